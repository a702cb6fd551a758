"""Imitates a user's "competition-style" tabular training script: random_split into train/val,
ConcatDataset and Subset, an IterableDataset sharded over 2 workers by get_worker_info, a forward hook
collecting features, an exponential moving average of the weights (torch._foreach_lerp_ on
torch.optim.swa_utils-free code), gradient accumulation, GradScaler (enabled only on cuda),
SequentialLR(LinearLR -> CosineAnnealingLR), ReduceLROnPlateau on the validation loss, early stopping,
torch.inference_mode evaluation, a confusion matrix from torch.bincount, parametrizations.weight_norm,
saving and reloading the state_dict through an in-memory buffer. Written for pyfront's tests; synthetic
features, tiny sizes.
"""
import argparse
import copy
import io

import torch
import torch.nn as nn
from torch.utils.data import ConcatDataset, DataLoader, IterableDataset, Subset, TensorDataset, random_split

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=6)
parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
args = parser.parse_args()
device = torch.device(args.device)
torch.manual_seed(2024)

N, D, C = 120, 6, 3
X = torch.randn(N, D)
W = torch.randn(D, C)
y = (X @ W + 0.3 * torch.randn(N, C)).argmax(1)
full = ConcatDataset([TensorDataset(X[:60], y[:60]), TensorDataset(X[60:], y[60:])])
train_set, val_set = random_split(full, [0.75, 0.25], generator=torch.Generator().manual_seed(1))
small = Subset(train_set, range(10))
print("sizes", len(full), len(train_set), len(val_set), len(small), "first val index", val_set.indices[0])


class Stream(IterableDataset):
    """Yields the validation rows, each worker its share."""

    def __init__(self, ds):
        self.ds = ds

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        for i in range(start, len(self.ds), step):
            yield self.ds[i]


model = nn.Sequential(
    nn.utils.parametrizations.weight_norm(nn.Linear(D, 16)), nn.LayerNorm(16), nn.GELU(), nn.Dropout(0.1),
    nn.Linear(16, C)).to(device)
print(model)
ema = copy.deepcopy(model)
for p in ema.parameters():
    p.requires_grad_(False)
features = []
handle = model[2].register_forward_hook(lambda mod, inp, out: features.append(out.detach()))

opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=2)
cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs - 2)
sched = torch.optim.lr_scheduler.SequentialLR(opt, [warm, cos], milestones=[2])
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=0)
scaler = torch.amp.GradScaler(device.type, enabled=device.type == "cuda")
loader = DataLoader(train_set, batch_size=15, shuffle=True)
accum = 2


def evaluate(net):
    net.eval()
    conf = torch.zeros(C, C, dtype=torch.long)
    total = 0.0
    with torch.inference_mode():
        for xb, yb in DataLoader(Stream(val_set), batch_size=10, num_workers=2):
            out = net(xb.to(device))
            total += nn.functional.cross_entropy(out, yb.to(device), reduction="sum").item()
            conf += torch.bincount(yb * C + out.argmax(1).cpu(), minlength=C * C).view(C, C)
    return total / len(val_set), conf


best, bad = float("inf"), 0
for epoch in range(args.epochs):
    model.train()
    for i, (xb, yb) in enumerate(loader):
        with torch.autocast(device.type, dtype=torch.float16, enabled=device.type == "cuda"):
            loss = nn.functional.cross_entropy(model(xb.to(device)), yb.to(device)) / accum
        scaler.scale(loss).backward()
        if (i + 1) % accum == 0:
            scaler.unscale_(opt)
            nn.utils.clip_grad_value_(model.parameters(), 1.0)
            scaler.step(opt)
            scaler.update()
            opt.zero_grad()
            with torch.no_grad():
                torch._foreach_lerp_(list(ema.parameters()), list(model.parameters()), 0.2)
    sched.step()
    val_loss, conf = evaluate(model)
    plateau.step(val_loss)
    ema_loss, _ = evaluate(ema)
    print(f"epoch {epoch} lr {opt.param_groups[0]['lr']:.6f} val {val_loss:.4f} ema {ema_loss:.4f}"
          f" acc {conf.diag().sum().item() / conf.sum().item():.4f}")
    if val_loss < best - 1e-3:
        best, bad = val_loss, 0
        buf = io.BytesIO()
        torch.save(model.state_dict(), buf)
    else:
        bad += 1
        if bad >= 3:
            print("early stop")
            break
handle.remove()
print("hooked batches", len(features), "feature shape", tuple(features[0].shape))
print("confusion", conf.tolist())
buf.seek(0)
state = torch.load(buf, weights_only=True)
print("state keys", list(state)[:4])
model.load_state_dict(state)
print("best reloaded", round(evaluate(model)[0], 4), "best", round(best, 4))
