"""Optimizers users write themselves by subclassing torch.optim.Optimizer, as the well-known repositories
write them: davda54/sam's SAM (a wrapper whose param_groups are its base optimizer's, first_step/second_step,
a closure under torch.enable_grad()), lucidrains/lion-pytorch's Lion, lonePatient's Lookahead wrapper (slow
weights in its own state, state_dict/load_state_dict of the pair), and a hand-written Adam checked against
torch.optim.Adam; each trains the same small MLP, with a scheduler on the custom optimizer."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from collections import OrderedDict, defaultdict
from torch.optim import Optimizer


class SAM(torch.optim.Optimizer):
    def __init__(self, params, base_optimizer, rho=0.05, adaptive=False, **kwargs):
        assert rho >= 0.0, f"Invalid rho, should be non-negative: {rho}"

        defaults = dict(rho=rho, adaptive=adaptive, **kwargs)
        super(SAM, self).__init__(params, defaults)

        self.base_optimizer = base_optimizer(self.param_groups, **kwargs)
        self.param_groups = self.base_optimizer.param_groups
        self.defaults.update(self.base_optimizer.defaults)

    @torch.no_grad()
    def first_step(self, zero_grad=False):
        grad_norm = self._grad_norm()
        for group in self.param_groups:
            scale = group["rho"] / (grad_norm + 1e-12)

            for p in group["params"]:
                if p.grad is None: continue
                self.state[p]["old_p"] = p.data.clone()
                e_w = (torch.pow(p, 2) if group["adaptive"] else 1.0) * p.grad * scale.to(p)
                p.add_(e_w)  # climb to the local maximum "w + e(w)"

        if zero_grad: self.zero_grad()

    @torch.no_grad()
    def second_step(self, zero_grad=False):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None: continue
                p.data = self.state[p]["old_p"]  # get back to "w" from "w + e(w)"

        self.base_optimizer.step()  # do the actual "sharpness-aware" update

        if zero_grad: self.zero_grad()

    @torch.no_grad()
    def step(self, closure=None):
        assert closure is not None, "Sharpness Aware Minimization requires closure, but it was not provided"
        closure = torch.enable_grad()(closure)  # the closure should do a full forward-backward pass

        self.first_step(zero_grad=True)
        closure()
        self.second_step()

    def _grad_norm(self):
        shared_device = self.param_groups[0]["params"][0].device  # put everything on the same device, in case of model parallelism
        norm = torch.norm(
                    torch.stack([
                        ((torch.abs(p) if group["adaptive"] else 1.0) * p.grad).norm(p=2).to(shared_device)
                        for group in self.param_groups for p in group["params"]
                        if p.grad is not None
                    ]),
                    p=2
               )
        return norm

    def load_state_dict(self, state_dict):
        super().load_state_dict(state_dict)
        self.base_optimizer.param_groups = self.param_groups


def exists(val):
    return val is not None


def update_fn(p, grad, exp_avg, lr, wd, beta1, beta2):
    # stepweight decay
    p.data.mul_(1. - lr * wd)
    # weight update
    update = exp_avg.clone().mul_(beta1).add(grad, alpha = 1. - beta1).sign_()
    p.add_(update, alpha = -lr)
    # decay the momentum running average coefficient
    exp_avg.mul_(beta2).add_(grad, alpha = 1. - beta2)


class Lion(Optimizer):
    def __init__(self, params, lr: float = 1e-4, betas=(0.9, 0.99), weight_decay: float = 0.0):
        assert lr > 0.
        assert all([0. <= beta <= 1. for beta in betas])
        defaults = dict(lr = lr, betas = betas, weight_decay = weight_decay)
        super().__init__(params, defaults)
        self.update_fn = update_fn

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if exists(closure):
            with torch.enable_grad():
                loss = closure()

        for group in self.param_groups:
            for p in filter(lambda p: exists(p.grad), group['params']):
                grad, lr, wd, beta1, beta2, state = p.grad, group['lr'], group['weight_decay'], *group['betas'], self.state[p]
                # init state - exponential moving average of gradient values
                if len(state) == 0:
                    state['exp_avg'] = torch.zeros_like(p)
                exp_avg = state['exp_avg']
                self.update_fn(p, grad, exp_avg, lr, wd, beta1, beta2)
        return loss


class Lookahead(Optimizer):
    def __init__(self, optimizer, k=5, alpha=0.5):
        self.optimizer = optimizer
        self.k = k
        self.alpha = alpha
        self.param_groups = self.optimizer.param_groups
        self.state = defaultdict(dict)
        self.fast_state = self.optimizer.state
        for group in self.param_groups:
            group["counter"] = 0
        self.defaults = self.optimizer.defaults
        # (the repository's issue thread's fix for torch >= 1.13, whose step wrapper reads these)
        for name in ("step_pre", "step_post", "state_dict_pre", "state_dict_post", "load_state_dict_pre",
                     "load_state_dict_post"):
            setattr(self, f"_optimizer_{name}_hooks", OrderedDict())

    def update(self, group):
        for fast in group["params"]:
            param_state = self.state[fast]
            if "slow_param" not in param_state:
                param_state["slow_param"] = torch.zeros_like(fast.data)
                param_state["slow_param"].copy_(fast.data)
            slow = param_state["slow_param"]
            slow += (fast.data - slow) * self.alpha
            fast.data.copy_(slow)

    def update_lookahead(self):
        for group in self.param_groups:
            self.update(group)

    def step(self, closure=None):
        loss = self.optimizer.step(closure)
        for group in self.param_groups:
            if group["counter"] == 0:
                self.update(group)
            group["counter"] += 1
            if group["counter"] >= self.k:
                group["counter"] = 0
        return loss

    def state_dict(self):
        fast_state_dict = self.optimizer.state_dict()
        slow_state = {
            (id(k) if isinstance(k, torch.Tensor) else k): v
            for k, v in self.state.items()
        }
        fast_state = fast_state_dict["state"]
        param_groups = fast_state_dict["param_groups"]
        return {
            "fast_state": fast_state,
            "slow_state": slow_state,
            "param_groups": param_groups,
        }

    def load_state_dict(self, state_dict):
        slow_state_dict = {
            "state": state_dict["slow_state"],
            "param_groups": state_dict["param_groups"],
        }
        fast_state_dict = {
            "state": state_dict["fast_state"],
            "param_groups": state_dict["param_groups"],
        }
        super(Lookahead, self).load_state_dict(slow_state_dict)
        self.optimizer.load_state_dict(fast_state_dict)
        self.fast_state = self.optimizer.state

    def add_param_group(self, param_group):
        param_group["counter"] = 0
        self.optimizer.add_param_group(param_group)


class HandAdam(Optimizer):
    """Adam as the tutorials write it, checked against torch.optim.Adam."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0):
        if not 0.0 <= lr:
            raise ValueError("Invalid learning rate: {}".format(lr))
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
        super(HandAdam, self).__init__(params, defaults)

    def __setstate__(self, state):
        super(HandAdam, self).__setstate__(state)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group['params']:
                if p.grad is None:
                    continue
                grad = p.grad
                if group['weight_decay'] != 0:
                    grad = grad.add(p, alpha=group['weight_decay'])
                state = self.state[p]
                if len(state) == 0:
                    state['step'] = 0
                    state['exp_avg'] = torch.zeros_like(p, memory_format=torch.preserve_format)
                    state['exp_avg_sq'] = torch.zeros_like(p, memory_format=torch.preserve_format)
                exp_avg, exp_avg_sq = state['exp_avg'], state['exp_avg_sq']
                beta1, beta2 = group['betas']
                state['step'] += 1
                bias_correction1 = 1 - beta1 ** state['step']
                bias_correction2 = 1 - beta2 ** state['step']
                exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                denom = (exp_avg_sq.sqrt() / (bias_correction2 ** 0.5)).add_(group['eps'])
                step_size = group['lr'] / bias_correction1
                p.addcdiv_(exp_avg, denom, value=-step_size)
        return loss


def make_model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))


torch.manual_seed(42)
X = torch.randn(64, 6)
y = (X[:, 0] > 0).long() + (X[:, 1] > 0.5).long()


def loss_fn(model):
    return F.cross_entropy(model(X), y)


# SAM around SGD with momentum, as its README trains
model = make_model()
optimizer = SAM(model.parameters(), torch.optim.SGD, rho=0.05, adaptive=False, lr=0.1, momentum=0.9)
print(optimizer.defaults)
print(len(optimizer.param_groups), optimizer.param_groups is optimizer.base_optimizer.param_groups)
for step in range(6):
    loss = loss_fn(model)
    loss.backward()
    optimizer.first_step(zero_grad=True)
    loss_fn(model).backward()
    optimizer.second_step(zero_grad=True)
    print(f"sam step {step}: loss {loss.item():.6f}")


def closure():
    loss = loss_fn(model)
    loss.backward()
    return loss


for step in range(3):
    loss_fn(model).backward()
    optimizer.step(closure)
    optimizer.zero_grad()
print(f"sam after closure steps: {loss_fn(model).item():.6f}")
sd = optimizer.state_dict()
print(sorted(sd), sorted(sd["param_groups"][0]), len(sd["state"]), sorted(sd["state"][0]))
adaptive = make_model()
opt = SAM(adaptive.parameters(), torch.optim.Adam, rho=2.0, adaptive=True, lr=0.01)
for step in range(3):
    loss_fn(adaptive).backward()
    opt.first_step(zero_grad=True)
    loss_fn(adaptive).backward()
    opt.second_step(zero_grad=True)
print(f"asam: {loss_fn(adaptive).item():.6f}")

# Lion with a cosine schedule and weight decay on matrices only
model = make_model()
decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
optimizer = Lion([{"params": decay, "weight_decay": 1.0}, {"params": no_decay}], lr=3e-3, betas=(0.9, 0.99))
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=8, eta_min=1e-4)
print(optimizer)
for step in range(8):
    optimizer.zero_grad(set_to_none=True)
    loss = loss_fn(model)
    loss.backward()
    optimizer.step()
    scheduler.step()
    print(f"lion step {step}: loss {loss.item():.6f} lr {scheduler.get_last_lr()[0]:.6f}")
print(optimizer.state_dict()["param_groups"][1])
print(f"lion closure loss: {optimizer.step(lambda: loss_fn(model)).item():.6f}")

# Lookahead(Adam): its state_dict round trip and a new param group
model = make_model()
base = torch.optim.Adam(model.parameters(), lr=0.01)
optimizer = Lookahead(base, k=3, alpha=0.5)
for step in range(7):
    optimizer.zero_grad()
    loss = loss_fn(model)
    loss.backward()
    optimizer.step()
    print(f"lookahead step {step}: loss {loss.item():.6f} counter {optimizer.param_groups[0]['counter']}")
sd = optimizer.state_dict()
print(sorted(sd), sorted(sd["fast_state"][0]), len(sd["slow_state"]))
model2 = make_model()
optimizer2 = Lookahead(torch.optim.Adam(model2.parameters(), lr=0.01), k=3, alpha=0.5)
model2.load_state_dict(model.state_dict())
optimizer2.load_state_dict(sd)
print(optimizer2.param_groups[0]["counter"], optimizer2.optimizer.state_dict()["state"][0]["step"])
for m, o in ((model, optimizer), (model2, optimizer2)):
    o.zero_grad()
    loss_fn(m).backward()
    o.step()
print(f"resumed pair: {loss_fn(model).item():.6f} {loss_fn(model2).item():.6f}")
extra = nn.Parameter(torch.ones(3))
optimizer.add_param_group({"params": [extra], "lr": 0.1})
print(len(optimizer.param_groups), optimizer.param_groups[1]["counter"], optimizer.param_groups[1]["betas"])

# the hand-written Adam and torch's, step for step
m1, m2 = make_model(), make_model()
o1 = HandAdam(m1.parameters(), lr=0.02, weight_decay=0.01)
o2 = torch.optim.Adam(m2.parameters(), lr=0.02, weight_decay=0.01)
for step in range(5):
    for m, o in ((m1, o1), (m2, o2)):
        o.zero_grad()
        loss_fn(m).backward()
        o.step()
diff = max((a - b).abs().max().item() for a, b in zip(m1.parameters(), m2.parameters()))
print(f"hand adam vs torch adam: loss {loss_fn(m1).item():.6f} {loss_fn(m2).item():.6f} close {diff < 1e-5}")
try:
    HandAdam(m1.parameters(), lr=-1)
except ValueError as e:
    print("ValueError:", e)
try:
    Lion([])
except ValueError as e:
    print("ValueError:", e)
try:
    Lion(m1.parameters(), lr=1e-3).add_param_group({"params": list(m1.parameters())[:1]})
except ValueError as e:
    print("ValueError:", e)
try:
    SAM(m1.parameters(), torch.optim.SGD, lr=0.1).step()
except AssertionError as e:
    print("AssertionError:", e)
