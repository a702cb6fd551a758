"""The training-loop plumbing of recent PyTorch tutorials and libraries: pytorch/tutorials' "optimizer step in
backward" (register_post_accumulate_grad_hook with one optimizer per parameter), register_multi_grad_hook,
tensor hooks that rewrite gradients, clip_grad_norm_(error_if_nonfinite=True), get_total_norm and
clip_grads_with_norm_ (torch 2.6), clip_grad_value_, optimizer step hooks and state_dict hooks, a custom
LRScheduler subclass (get_lr from last_epoch, _get_closed_form_lr, its state_dict), swa_utils' EMA through
get_ema_multi_avg_fn with use_buffers, and the errors these raise when misused."""
import math
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd.graph import register_multi_grad_hook

warnings.simplefilter("ignore", FutureWarning)
torch.manual_seed(0)
X = torch.randn(32, 8)
y = torch.randint(0, 3, (32,))


def make():
    torch.manual_seed(1)
    return nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 3))


# the optimizer step fused into backward
model = make()
optimizer_dict = {p: torch.optim.Adam([p], foreach=False, lr=1e-2) for p in model.parameters()}
order = []


def optimizer_hook(parameter) -> None:
    order.append(tuple(parameter.shape))
    optimizer_dict[parameter].step()
    optimizer_dict[parameter].zero_grad()


handles = [p.register_post_accumulate_grad_hook(optimizer_hook) for p in model.parameters()]
for step in range(3):
    loss = F.cross_entropy(model(X), y)
    loss.backward()
    print(f"in-backward step {step}: {loss.item():.6f} grads left {[p.grad for p in model.parameters()][:1]}")
print(order[:6])
reference = make()
opt = torch.optim.Adam(reference.parameters(), lr=1e-2, foreach=False)
for step in range(3):
    opt.zero_grad()
    F.cross_entropy(reference(X), y).backward()
    opt.step()
print("same as a plain loop:", all(torch.allclose(a, b, atol=1e-6) for a, b in
                                   zip(model.parameters(), reference.parameters())))
for h in handles:
    h.remove()
try:
    F.cross_entropy(model(X), y).sum().register_post_accumulate_grad_hook(optimizer_hook)
except RuntimeError as e:
    print("RuntimeError:", e)

# a hook on several gradients at once, and hooks that rewrite gradients
a = torch.ones(3, requires_grad=True)
b = torch.full((2,), 2.0, requires_grad=True)
seen = []
handle = register_multi_grad_hook((a, b), lambda grads: seen.append([None if g is None else g.sum().item()
                                                                      for g in grads]))
(a.sum() * b.sum()).backward()
(a * 3).sum().backward()
print("multi grad hook (all):", seen)
handle.remove()
seen.clear()
handle = register_multi_grad_hook((a, b), lambda g: seen.append(tuple(g.shape)), mode="any")
(a.sum() * b.sum()).backward()
print("multi grad hook (any):", seen)
handle.remove()
w = torch.randn(4, requires_grad=True)
h1 = w.register_hook(lambda g: g * 2)
h2 = w.register_hook(lambda g: print("second hook sees", [round(v, 4) for v in g.tolist()]))
(w ** 2).sum().backward()
print([round(v, 4) for v in w.grad.tolist()], [round(v, 4) for v in (4 * w).tolist()])
h1.remove()
h2.remove()

# norms and clipping
model = make()
F.cross_entropy(model(X), y).backward()
grads = [p.grad for p in model.parameters()]
total = torch.nn.utils.get_total_norm(grads, norm_type=2.0)
print(f"total norm {total.item():.6f}")
torch.nn.utils.clip_grads_with_norm_(model.parameters(), max_norm=0.5, total_norm=total)
print(f"after clip_grads_with_norm_: {torch.nn.utils.get_total_norm([p.grad for p in model.parameters()]).item():.6f}")
print(f"inf norm {torch.nn.utils.get_total_norm(grads, norm_type=math.inf).item():.6f}")
print(f"clip_grad_norm_ returns {torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1, norm_type=1.0).item():.6f}")
torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=0.01)
print(f"max |grad| after clip_grad_value_ {max(p.grad.abs().max().item() for p in model.parameters()):.4f}")
model[0].weight.grad[0, 0] = float("nan")
try:
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0, error_if_nonfinite=True)
except RuntimeError as e:
    print("RuntimeError:", e)
print(torch.nn.utils.clip_grad_norm_([], 1.0), torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0).isnan().item())

# optimizer hooks
model = make()
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
calls = []
pre = opt.register_step_pre_hook(lambda o, args, kwargs: calls.append(("pre", len(o.param_groups))))
post = opt.register_step_post_hook(lambda o, args, kwargs: calls.append(("post", o.param_groups[0]["lr"])))
sd_post = opt.register_state_dict_post_hook(lambda o, sd: {**sd, "note": "saved"})
load_pre = opt.register_load_state_dict_pre_hook(lambda o, sd: calls.append(("load", sorted(sd))))
F.cross_entropy(model(X), y).backward()
opt.step()
state = opt.state_dict()
print(calls, sorted(state))
state.pop("note")
opt.load_state_dict(state)
print(calls[-1])
for h in (pre, post, sd_post, load_pre):
    h.remove()
bad = torch.optim.SGD([{"params": list(model.parameters())[:2]}, {"params": list(model.parameters())[2:]}], lr=0.1)
try:
    bad.load_state_dict(state)
except ValueError as e:
    print("ValueError:", e)


# a custom scheduler, as users subclass it
class WarmupCosine(torch.optim.lr_scheduler.LRScheduler):
    def __init__(self, optimizer, warmup, total, last_epoch=-1):
        self.warmup = warmup
        self.total = total
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch < self.warmup:
            scale = (self.last_epoch + 1) / self.warmup
        else:
            progress = (self.last_epoch - self.warmup) / max(1, self.total - self.warmup)
            scale = 0.5 * (1 + math.cos(math.pi * progress))
        return [base_lr * scale for base_lr in self.base_lrs]


model = make()
opt = torch.optim.AdamW([{"params": model[0].parameters()}, {"params": model[3].parameters(), "lr": 1e-3}],
                        lr=1e-2)
sched = WarmupCosine(opt, warmup=3, total=10)
lrs = []
for epoch in range(10):
    opt.zero_grad()
    F.cross_entropy(model(X), y).backward()
    opt.step()
    sched.step()
    lrs.append([round(lr, 7) for lr in sched.get_last_lr()])
print(lrs[:4], lrs[-1])
sd = sched.state_dict()
print(sorted(sd), sd["last_epoch"], sd["base_lrs"])
again = WarmupCosine(opt, warmup=3, total=10)
again.load_state_dict(sd)
print(again.last_epoch, again.get_last_lr() == sched.get_last_lr())
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    sched.get_lr()
print([str(w.message)[:60] for w in caught])
try:
    torch.optim.lr_scheduler.StepLR(opt, 2, last_epoch=3)
except KeyError as e:
    print("KeyError:", e)

# EMA through swa_utils, buffers included
model = make()
ema = torch.optim.swa_utils.AveragedModel(model, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(0.9),
                                          use_buffers=True)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(4):
    opt.zero_grad()
    F.cross_entropy(model(X), y).backward()
    opt.step()
    ema.update_parameters(model)
print(ema.n_averaged, f"{ema.module[1].running_mean.sum().item():.6f} {model[1].running_mean.sum().item():.6f}")
print(f"ema weight {ema.module[0].weight.sum().item():.6f} model {model[0].weight.sum().item():.6f}")
ema.eval()
print(f"ema loss {F.cross_entropy(ema(X), y).item():.6f}")
swa = torch.optim.swa_utils.AveragedModel(model, avg_fn=torch.optim.swa_utils.get_swa_avg_fn())
swa.update_parameters(model)
swa.update_parameters(make())
print(swa.n_averaged.item(), f"{swa.module[3].bias.sum().item():.6f}")
