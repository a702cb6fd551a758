"""Time-series forecasting as the popular blog posts and Kaggle kernels write it: sliding windows with
Tensor.unfold, min-max scaling fit on the training split, an LSTM (batch_first, 2 layers, dropout) with a
Linear head on the last step, TensorDataset/DataLoader(shuffle, drop_last), HuberLoss, ReduceLROnPlateau on
the validation loss, early stopping that keeps copy.deepcopy(model.state_dict()), autoregressive
multi-step forecasting, MAE/RMSE/MAPE, and an EmbeddingBag+sparse recommender side model."""
import copy
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
t = torch.arange(0, 400, dtype=torch.float32)
series = torch.sin(t * 2 * math.pi / 50) + 0.5 * torch.sin(t * 2 * math.pi / 13) + 0.01 * t + 0.1 * torch.randn(400)
train_raw, val_raw = series[:320], series[320 - 24:]
lo, hi = train_raw.min(), train_raw.max()
scale = lambda x: (x - lo) / (hi - lo)
unscale = lambda x: x * (hi - lo) + lo
window = 24
def make_windows(x):
    w = scale(x).unfold(0, window + 1, 1)
    return w[:, :-1].unsqueeze(-1), w[:, -1:]
Xtr, ytr = make_windows(train_raw)
Xva, yva = make_windows(val_raw)
print(Xtr.shape, ytr.shape, Xva.shape, Xtr.stride(), Xtr.is_contiguous())
train_loader = DataLoader(TensorDataset(Xtr, ytr), batch_size=32, shuffle=True, drop_last=True)
val_loader = DataLoader(TensorDataset(Xva, yva), batch_size=64)


class Forecaster(nn.Module):
    def __init__(self, hidden=32, layers=2, dropout=0.1):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, num_layers=layers, batch_first=True, dropout=dropout)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return self.head(out[:, -1, :])


model = Forecaster(dropout=0.0)  # (0.1 in the posts: see tests/test_programs.py on the shared random stream)
criterion = nn.HuberLoss(delta=0.5)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=1e-5)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=1, min_lr=1e-4)
best_loss, best_state, patience, bad_epochs = float("inf"), None, 3, 0
for epoch in range(8):
    model.train()
    total = 0.0
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        nn.utils.clip_grad_value_(model.parameters(), 1.0)
        optimizer.step()
        total += loss.item() * xb.size(0)
    model.eval()
    with torch.no_grad():
        val_loss = sum(criterion(model(xb), yb).item() * xb.size(0) for xb, yb in val_loader) / len(val_loader.dataset)
    scheduler.step(val_loss)
    print(f"epoch {epoch} train {total / (len(train_loader) * 32):.5f} val {val_loss:.5f} lr {optimizer.param_groups[0]['lr']:.5f}")
    if val_loss < best_loss - 1e-5:
        best_loss, best_state, bad_epochs = val_loss, copy.deepcopy(model.state_dict()), 0
    else:
        bad_epochs += 1
        if bad_epochs >= patience:
            print("early stopping at epoch", epoch)
            break
model.load_state_dict(best_state)
model.eval()
with torch.no_grad():
    pred = unscale(model(Xva)).squeeze(1)
    true = unscale(yva).squeeze(1)
    mae = (pred - true).abs().mean()
    rmse = torch.sqrt(((pred - true) ** 2).mean())
    mape = ((pred - true).abs() / true.abs().clamp_min(1e-3)).mean() * 100
    print(f"MAE {mae:.4f} RMSE {rmse:.4f} MAPE {mape:.2f}% best {best_loss:.5f}")
    ctx = scale(series[-window:]).view(1, window, 1)
    preds = []
    for _ in range(10):
        nxt = model(ctx)
        preds.append(unscale(nxt).item())
        ctx = torch.cat([ctx[:, 1:, :], nxt.view(1, 1, 1)], dim=1)
    print("forecast", [round(p, 3) for p in preds])

# a tiny recommender: bag-of-items user vectors through EmbeddingBag, scored against item embeddings
n_items, dim = 20, 8
bag = nn.EmbeddingBag(n_items, dim, mode="mean", sparse=True)
items = nn.Embedding(n_items, dim, sparse=True)
opt = torch.optim.SparseAdam(list(bag.parameters()) + list(items.parameters()), lr=0.05)
histories = [torch.randint(0, n_items, (int(k),)) for k in torch.randint(2, 6, (16,))]
flat = torch.cat(histories)
offsets = torch.tensor([0] + [len(h) for h in histories[:-1]]).cumsum(0)
targets = torch.stack([h[0] for h in histories])
for step in range(5):
    users = bag(flat, offsets)
    scores = users @ items(torch.arange(n_items)).t()
    loss = nn.functional.cross_entropy(scores, targets)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("rec", step, f"{loss.item():.5f}", bag.weight.grad.is_sparse, items.weight.grad.layout)
w = torch.rand(len(flat))
print(nn.EmbeddingBag(n_items, dim, mode="sum")(flat, offsets, per_sample_weights=w).shape,
      nn.functional.embedding_bag(flat.view(-1)[:12].view(3, 4), bag.weight, mode="max").shape)
i = torch.stack([torch.arange(16).repeat_interleave(2), torch.randint(0, n_items, (32,))])
adj = torch.sparse_coo_tensor(i, torch.ones(32), (16, n_items)).coalesce()
print(adj._nnz(), adj.indices().shape, adj.values().sum(), torch.sparse.mm(adj, items.weight.detach()).shape)
