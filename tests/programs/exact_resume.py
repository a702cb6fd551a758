"""Exact resume, as the PyTorch forums' and Lightning's advice writes it: save the model, the optimizer, the
LR scheduler, the GradScaler, torch.get_rng_state(), the numpy and Python random states and the DataLoader's
shuffling generator (and the sampler position) at an epoch boundary and mid-epoch; reload into fresh objects in
a new "process" and continue: the losses must equal the uninterrupted run's, bit for bit. Dropout draws from
the global generator, the DataLoader from its own torch.Generator; RandomSampler with a generator, a
SubsetRandomSampler, and torch.utils.data.random_split with a seeded generator."""
import io
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, RandomSampler, SubsetRandomSampler, TensorDataset, random_split


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


seed_everything(0)
X = torch.randn(40, 5)
Y = (X[:, 0] - 0.5 * X[:, 1] > 0).long()
dataset = TensorDataset(X, Y)
train_set, val_set = random_split(dataset, [32, 8], generator=torch.Generator().manual_seed(42))
print("split", train_set.indices[:6], val_set.indices)
print("fractions", [len(s) for s in random_split(range(10), [0.5, 0.3, 0.2], generator=torch.Generator().manual_seed(1))])


def build():
    model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 2))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
    scaler = torch.amp.GradScaler("cpu", enabled=False)
    gen = torch.Generator()
    gen.manual_seed(7)
    loader = DataLoader(train_set, batch_size=8, shuffle=True, generator=gen)
    return model, opt, sched, scaler, gen, loader


def train_epoch(model, opt, scaler, loader, skip=0, stop=None):
    model.train()
    losses = []
    for i, (xb, yb) in enumerate(loader):
        if i < skip:
            continue
        if stop is not None and i == stop:
            break
        opt.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        losses.append(round(loss.item(), 7))
    return losses


def snapshot(model, opt, sched, scaler, gen, epoch):
    buf = io.BytesIO()
    torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "scaler": scaler.state_dict(), "torch_rng": torch.get_rng_state(),
                "numpy_rng": np.random.get_state(), "python_rng": random.getstate(), "loader_gen": gen.get_state()},
               buf)
    return buf.getvalue()


def restore(blob):
    ckpt = torch.load(io.BytesIO(blob), weights_only=False)
    model, opt, sched, scaler, gen, loader = build()
    model.load_state_dict(ckpt["model"])
    opt.load_state_dict(ckpt["optimizer"])
    sched.load_state_dict(ckpt["scheduler"])
    scaler.load_state_dict(ckpt["scaler"])
    torch.set_rng_state(ckpt["torch_rng"])
    np.random.set_state(ckpt["numpy_rng"])
    random.setstate(ckpt["python_rng"])
    gen.set_state(ckpt["loader_gen"])
    return ckpt["epoch"], model, opt, sched, scaler, gen, loader


# the uninterrupted run
seed_everything(1)
model, opt, sched, scaler, gen, loader = build()
full = []
for epoch in range(5):
    full.append(train_epoch(model, opt, scaler, loader))
    sched.step()
    if epoch == 1:
        blob = snapshot(model, opt, sched, scaler, gen, epoch)
print("uninterrupted", full)
print("lr", sched.get_last_lr(), "noise", np.random.rand(), random.random(), torch.rand(1).item())

# resume at the epoch boundary, in fresh objects, after other random draws
torch.randn(100)
np.random.rand(10)
start, model, opt, sched, scaler, gen, loader = restore(blob)
resumed = [train_epoch(model, opt, scaler, loader) for _ in range(0)]
for epoch in range(start + 1, 5):
    resumed.append(train_epoch(model, opt, scaler, loader))
    sched.step()
print("resumed", resumed)
print("same as uninterrupted:", resumed == full[2:])
print("lr", sched.get_last_lr(), "noise", np.random.rand(), random.random(), torch.rand(1).item())

# mid-epoch: the loader's generator state is taken at the epoch's start (its permutation is drawn when the
# iterator starts), the dropout stream at the batch; skip the done batches on resume
seed_everything(2)
model, opt, sched, scaler, gen, loader = build()
epoch_start_gen = gen.get_state()
straight, mid = [], None
for i, (xb, yb) in enumerate(loader):
    if i == 2:
        buf = io.BytesIO()
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "rng": torch.get_rng_state(),
                    "gen": epoch_start_gen, "batch": i}, buf)
        mid = buf.getvalue()
    opt.zero_grad()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    opt.step()
    straight.append(round(loss.item(), 7))
print("straight", straight)

ckpt = torch.load(io.BytesIO(mid))
model2, opt2, sched2, scaler2, gen2, loader2 = build()
model2.load_state_dict(ckpt["model"])
opt2.load_state_dict(ckpt["opt"])
gen2.set_state(ckpt["gen"])
torch.set_rng_state(ckpt["rng"])
again = train_epoch(model2, opt2, scaler2, loader2, skip=ckpt["batch"])
print("mid-epoch resume", again, again == straight[2:])

# samplers with their own generators
g = torch.Generator().manual_seed(3)
print("random sampler", list(RandomSampler(range(10), generator=g)), list(RandomSampler(range(10), generator=g)))
g.manual_seed(3)
print("replacement", list(RandomSampler(range(10), replacement=True, num_samples=6, generator=g)))
g.manual_seed(3)
print("subset", list(SubsetRandomSampler([10, 20, 30, 40, 50], generator=g)))
state = g.get_state()
a = torch.randperm(6, generator=g).tolist()
g.set_state(state)
b = torch.randperm(6, generator=g).tolist()
print("generator state round trip", a == b, a, g.initial_seed(), state.dtype, tuple(state.shape))
print("rng state", torch.get_rng_state().dtype, torch.initial_seed())
