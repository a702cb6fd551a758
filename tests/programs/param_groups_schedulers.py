"""Optimizer param groups and schedulers as training scripts write them: timm's / HF's weight-decay split
(no decay for biases and norms, per-group lr for a backbone and a head), a head added later through
optimizer.add_param_group (gradual unfreezing, as fastai's), ChainedScheduler of a warmup and a decay (and
torch's own example of ConstantLR + ExponentialLR), PolynomialLR, SequentialLR's milestones, clipping by value
(clip_grad_value_) and by norm in its two halves (get_total_norm + clip_grads_with_norm_, torch 2.6+), the
optimizer's and scheduler's state_dict round trip, and the errors a wrong group gives."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")  # (python tests/test_programs.py NAME --cuda-as webgpu)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(6, 16), nn.LayerNorm(16), nn.GELU(), nn.Linear(16, 16), nn.ReLU())
        self.head = nn.Linear(16, 3)
        self.extra = nn.Linear(16, 3)

    def forward(self, x):
        h = self.backbone(x)
        return self.head(h) + 0.5 * self.extra(h)


def param_groups_weight_decay(model, weight_decay=1e-5, no_weight_decay_list=()):
    # timm.optim.optim_factory.param_groups_weight_decay
    no_weight_decay_list = set(no_weight_decay_list)
    decay = []
    no_decay = []
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        if param.ndim <= 1 or name.endswith(".bias") or name in no_weight_decay_list:
            no_decay.append(param)
        else:
            decay.append(param)
    return [
        {'params': no_decay, 'weight_decay': 0.},
        {'params': decay, 'weight_decay': weight_decay}]


x = torch.randn(32, 6).to(device)
y = torch.randint(0, 3, (32,)).to(device)
model = Net().to(device)
for p in model.extra.parameters():
    p.requires_grad_(False)

groups = param_groups_weight_decay(model.backbone, 0.05)
groups[0]["lr"] = 1e-3
groups.append({"params": model.head.parameters(), "lr": 1e-2, "weight_decay": 0.0, "name": "head"})
opt = torch.optim.AdamW(groups, lr=5e-3, betas=(0.9, 0.99))
print([len(g["params"]) for g in opt.param_groups], [g["lr"] for g in opt.param_groups])
print(sorted(opt.param_groups[2].keys()))
print(opt.defaults["weight_decay"], opt.param_groups[1]["weight_decay"], opt.param_groups[2].get("name"))

warmup = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=3)
decay = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
sched = torch.optim.lr_scheduler.ChainedScheduler([warmup, decay], optimizer=opt)
print("chained start", [round(v, 8) for v in sched.get_last_lr()])

for step in range(8):
    if step == 4:  # unfreeze the extra head and give it its own group
        for p in model.extra.parameters():
            p.requires_grad_(True)
        opt.add_param_group({"params": list(model.extra.parameters()), "lr": 2e-3})
        print("groups", len(opt.param_groups), opt.param_groups[-1]["lr"], opt.param_groups[-1]["betas"],
              opt.param_groups[-1]["weight_decay"], "initial_lr" in opt.param_groups[-1])
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    params = [p for p in model.parameters() if p.grad is not None]
    if step % 2 == 0:
        nn.utils.clip_grad_value_(model.parameters(), clip_value=0.05)
        total = nn.utils.get_total_norm([p.grad for p in params], norm_type=2.0)
        print(f"step {step} loss {loss.item():.6f} clipped-by-value norm {total.item():.6f}")
    else:
        grads = [p.grad for p in params]
        total = nn.utils.get_total_norm(grads, norm_type=2.0, error_if_nonfinite=True)
        nn.utils.clip_grads_with_norm_(params, max_norm=0.1, total_norm=total)
        after = nn.utils.get_total_norm([p.grad for p in params])
        inf_norm = nn.utils.get_total_norm([p.grad for p in params], norm_type="inf")
        print(f"step {step} loss {loss.item():.6f} norm {total.item():.6f} -> {after.item():.6f} "
              f"inf {inf_norm.item():.6f}")
    opt.step()
    sched.step()
    print("  lr", [f"{g['lr']:.8f}" for g in opt.param_groups])

state = opt.state_dict()
print("state keys", sorted(state.keys()), len(state["state"]), [g["params"] for g in state["param_groups"]])
print(sorted(state["state"][0].keys()), state["state"][0]["step"])
sstate = sched.state_dict()
print(sorted(sstate.keys()))
print(sorted(sstate["_schedulers"][0].keys()))

opt2 = torch.optim.AdamW([{"params": g["params"]} for g in opt.param_groups], lr=1.0)
opt2.load_state_dict(state)
print([round(g["lr"], 8) for g in opt2.param_groups], opt2.param_groups[2].get("name"))

# torch's documented example: ConstantLR(factor=0.1, total_iters=2) chained with ExponentialLR(gamma=0.9)
w = nn.Parameter(torch.zeros(2))
o = torch.optim.SGD([w], lr=1.0)
s = torch.optim.lr_scheduler.ChainedScheduler([torch.optim.lr_scheduler.ConstantLR(o, factor=0.1, total_iters=2),
                                               torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)])
lrs = []
for _ in range(6):
    lrs.append(round(o.param_groups[0]["lr"], 8))
    o.step()
    s.step()
print("documented chain", lrs)

o = torch.optim.SGD([nn.Parameter(torch.zeros(2))], lr=0.5)
s = torch.optim.lr_scheduler.PolynomialLR(o, total_iters=4, power=2.0)
poly = []
for _ in range(6):
    poly.append(round(s.get_last_lr()[0], 8))
    o.step()
    s.step()
print("polynomial", poly)

o = torch.optim.SGD([nn.Parameter(torch.zeros(2))], lr=0.1, momentum=0.9)
s = torch.optim.lr_scheduler.SequentialLR(o, [torch.optim.lr_scheduler.LinearLR(o, 0.5, total_iters=2),
                                              torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=4)],
                                          milestones=[2])
seq = []
for _ in range(7):
    seq.append(round(s.get_last_lr()[0], 8))
    o.step()
    s.step()
print("sequential", seq)


def show(fn):
    try:
        fn()
        print("  ok")
    except Exception as e:
        print(" ", type(e).__name__, str(e).splitlines()[0])


p = nn.Parameter(torch.zeros(2))
o = torch.optim.SGD([p], lr=0.1)
print("errors")
show(lambda: o.add_param_group({"params": [p]}))
show(lambda: o.add_param_group({"params": torch.zeros(2, requires_grad=True)}))
show(lambda: o.add_param_group({"params": [torch.zeros(2)]}))
show(lambda: o.add_param_group({"params": [nn.Parameter(torch.zeros(2))], "lr": 0.2, "momentum": 0.5}))
show(lambda: torch.optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1))
show(lambda: torch.optim.SGD([], lr=0.1))
show(lambda: torch.optim.SGD([{"params": [nn.Parameter(torch.zeros(1))]}]))
show(lambda: torch.optim.AdamW([nn.Parameter(torch.zeros(1))], lr=-1))
show(lambda: torch.optim.AdamW([nn.Parameter(torch.zeros(1))], betas=(1.0, 0.9)))
show(lambda: torch.optim.lr_scheduler.ChainedScheduler([]))
o1 = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.1)
o2 = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.1)
show(lambda: torch.optim.lr_scheduler.ChainedScheduler([torch.optim.lr_scheduler.StepLR(o1, 2),
                                                        torch.optim.lr_scheduler.StepLR(o2, 2)]))
show(lambda: torch.optim.lr_scheduler.SequentialLR(o1, [torch.optim.lr_scheduler.StepLR(o1, 2)], milestones=[1]))
show(lambda: o1.load_state_dict({"state": {}, "param_groups": []}))
show(lambda: nn.utils.get_total_norm([torch.tensor([float("inf")])], error_if_nonfinite=True))
show(lambda: nn.utils.clip_grad_norm_([nn.Parameter(torch.zeros(1))], max_norm=1.0, norm_type=3.0))
