"""Schedules and weight averaging a user copies from the docs: OneCycleLR, SequentialLR with warmup,
ReduceLROnPlateau, CyclicLR, LambdaLR, swa_utils (AveragedModel, SWALR, update_bn, EMA), rng state."""
import torch
import torch.nn as nn
from torch.optim.swa_utils import AveragedModel, SWALR, update_bn, get_ema_multi_avg_fn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
X, Y = torch.randn(64, 3), torch.randn(64, 1)
loader = [(X[i:i + 16], Y[i:i + 16]) for i in range(0, 64, 16)]


def lrs(o):
    return [round(g["lr"], 6) for g in o.param_groups]


sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.5, total_steps=10)
seen = []
for _ in range(10):
    opt.step()
    sched.step()
    seen.append(lrs(opt)[0])
print(seen, round(opt.param_groups[0]["momentum"], 4))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=3)
cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=5, eta_min=1e-4)
seq = torch.optim.lr_scheduler.SequentialLR(opt, [warm, cos], milestones=[3])
seen = []
for _ in range(9):
    opt.step()
    seq.step()
    seen.append(lrs(opt)[0])
print(seen)
print(sorted(seq.state_dict().keys()))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1, threshold=0.01)
for v in [1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.6, 0.7]:
    plateau.step(v)
    print(lrs(opt)[0], plateau.num_bad_epochs, end="; ")
print(plateau.get_last_lr())
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
cyc = torch.optim.lr_scheduler.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2, mode="triangular2")
seen = []
for _ in range(9):
    opt.step()
    cyc.step()
    seen.append(lrs(opt)[0])
print(seen)
lam = torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 0.9 ** e)
mul = torch.optim.lr_scheduler.MultiplicativeLR(opt, lambda e: 0.5)
for _ in range(3):
    opt.step()
    lam.step()
    mul.step()
print(lrs(opt), lam.get_last_lr(), mul.get_last_lr())
poly = torch.optim.lr_scheduler.PolynomialLR(torch.optim.SGD([nn.Parameter(torch.ones(1))], lr=1.0), total_iters=4, power=2.0)
print([round(poly.get_last_lr()[0], 4) for _ in range(5) if poly.optimizer.step() is None and poly.step() is None])
try:
    torch.optim.lr_scheduler.StepLR(opt, step_size=1).step(3) if False else torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1)
except ValueError as e:
    print("ValueError:", e)

# SWA / EMA
opt = torch.optim.SGD(model.parameters(), lr=0.05)
swa_model = AveragedModel(model)
ema_model = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.9))
swa_sched = SWALR(opt, swa_lr=0.01, anneal_epochs=2, anneal_strategy="cos")
for epoch in range(4):
    for xb, yb in loader:
        opt.zero_grad()
        nn.functional.mse_loss(model(xb), yb).backward()
        opt.step()
        ema_model.update_parameters(model)
    swa_model.update_parameters(model)
    swa_sched.step()
    print(epoch, lrs(opt), swa_model.n_averaged.item())
print(swa_model.module[1].running_mean[:3])
update_bn(loader, swa_model)
print(swa_model.module[1].running_mean[:3], swa_model.module[1].momentum)
print(swa_model(X[:2]), ema_model(X[:2]))
print(list(swa_model.state_dict().keys())[:3], swa_model.n_averaged)

# rng state
s = torch.get_rng_state()
a = torch.rand(3)
torch.set_rng_state(s)
print(torch.equal(a, torch.rand(3)), s.dtype, s.shape)
with torch.random.fork_rng():
    torch.rand(5)
b = torch.rand(2)
g = torch.Generator()
print(g.initial_seed(), g.manual_seed(5).initial_seed(), torch.initial_seed())
st = g.get_state()
u = torch.rand(2, generator=g)
g.set_state(st)
print(torch.equal(u, torch.rand(2, generator=g)))
try:
    torch.set_rng_state(torch.zeros(3))
except Exception as e:
    print(type(e).__name__, e)
