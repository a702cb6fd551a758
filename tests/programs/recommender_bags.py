"""A click-log recommender as the DLRM / pytorch-recsys tutorials write it: nn.EmbeddingBag over ragged
feature lists (offsets, include_last_offset, per_sample_weights, padding_idx, 2-D input), every mode and its
gradients, F.embedding_bag with max_norm, from_pretrained(freeze), sparse gradients with SparseAdam, a
DLRM-style dot interaction (bmm + triu_indices), BCEWithLogits with pos_weight, and the errors users hit."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
# the device-agnostic idiom: a GPU where there is one (python -m pyfront run --cuda-as webgpu)
torch.set_default_device("cuda" if torch.cuda.is_available() else "cpu")


def r(t, k=6):
    return [round(v, 5) for v in t.detach().reshape(-1)[:k].tolist()]


ids = torch.tensor([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 0])
offsets = torch.tensor([0, 3, 3, 7, 8])  # bag 1 is empty
psw = torch.linspace(0.2, 2.2, ids.numel())
for mode in ("sum", "mean", "max"):
    for pad in (None, 1):
        bag = nn.EmbeddingBag(10, 4, mode=mode, padding_idx=pad)
        out = bag(ids, offsets)
        (out * torch.arange(1.0, out.numel() + 1).view_as(out)).sum().backward()
        print(f"{mode} pad={pad}", tuple(out.shape), r(out, 8))
        print("   grad rows", r(bag.weight.grad.abs().sum(1), 10))
        last = nn.EmbeddingBag.from_pretrained(bag.weight.detach(), mode=mode, include_last_offset=True,
                                               padding_idx=pad)
        print("   include_last_offset", r(last(ids, torch.cat([offsets, torch.tensor([ids.numel()])])), 8))
        print("   2d", r(bag(ids[:10].view(5, 2)), 8))
bag = nn.EmbeddingBag(10, 4, mode="sum")
out = bag(ids, offsets, per_sample_weights=psw.requires_grad_())
out.pow(2).sum().backward()
print("weighted", r(out, 8), "dpsw", r(psw.grad, 11))
print("weighted pad", r(nn.EmbeddingBag.from_pretrained(bag.weight.detach(), mode="sum", padding_idx=3)(
    ids, offsets, per_sample_weights=psw.detach()), 8))
w = torch.randn(10, 4) * 3
wc = w.clone()
out = F.embedding_bag(ids, wc, offsets, max_norm=1.5, norm_type=1.0, mode="mean")
print("max_norm", r(out, 8), "renormed rows", r(wc.abs().sum(1), 10))
frozen = nn.EmbeddingBag.from_pretrained(w, freeze=True)
print(frozen, frozen.weight.requires_grad, r(frozen(ids[:4].view(2, 2))))

# -- sparse gradients -----------------------------------------------------------------------------------------
sb = nn.EmbeddingBag(10, 3, mode="sum", sparse=True)
opt = torch.optim.SparseAdam(sb.parameters(), lr=0.1)
for step in range(3):
    opt.zero_grad()
    loss = sb(ids, offsets).pow(2).mean()
    loss.backward()
    g = sb.weight.grad
    print(step, "sparse grad", g.is_sparse, g.coalesce().indices().tolist(), round(loss.item(), 6))
    opt.step()
print("after SparseAdam", r(sb.weight, 12))

# -- DLRM interaction -------------------------------------------------------------------------------------------
torch.manual_seed(1)
n_tables, dim, batch = 3, 4, 5
tables = nn.ModuleList(nn.EmbeddingBag(20, dim, mode="sum") for _ in range(n_tables))
bottom = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, dim), nn.ReLU())
ni = n_tables + 1
li, lj = torch.triu_indices(ni, ni, offset=1)
top = nn.Sequential(nn.Linear(dim + li.numel(), 8), nn.ReLU(), nn.Linear(8, 1))
params = [*tables.parameters(), *bottom.parameters(), *top.parameters()]
opt = torch.optim.Adagrad(params, lr=0.05)
dense = torch.randn(batch, 6)
lS_i = [torch.randint(0, 20, (batch * 2,)) for _ in range(n_tables)]
lS_o = [torch.arange(0, batch * 2, 2) for _ in range(n_tables)]
clicks = torch.tensor([1.0, 0.0, 0.0, 1.0, 0.0])
for step in range(8):
    x = bottom(dense)
    ly = [t(i, o) for t, i, o in zip(tables, lS_i, lS_o)]
    T = torch.cat([x] + ly, dim=1).view(batch, -1, dim)
    Z = torch.bmm(T, T.transpose(1, 2))
    Zflat = Z[:, li, lj]
    p = top(torch.cat([x, Zflat], dim=1)).squeeze(1)
    loss = F.binary_cross_entropy_with_logits(p, clicks, pos_weight=torch.tensor(1.5))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.6f}")
print("triu", li.tolist(), lj.tolist(), torch.tril_indices(3, 4, -1).tolist())

for bad in (lambda: nn.EmbeddingBag(10, 4, mode="max")(ids, offsets, per_sample_weights=psw.detach()),
            lambda: nn.EmbeddingBag(10, 4)(ids, offsets[1:]),
            lambda: nn.EmbeddingBag(10, 4)(ids.view(1, -1), offsets),
            lambda: nn.EmbeddingBag(10, 4)(ids.float(), offsets),
            lambda: nn.EmbeddingBag(10, 4)(ids, torch.tensor([0, 3, 2])),
            lambda: nn.EmbeddingBag(10, 4)(torch.tensor([1, 12]), torch.tensor([0])),
            lambda: nn.EmbeddingBag(10, 4)(ids, offsets, per_sample_weights=psw[:3].detach()),
            lambda: nn.EmbeddingBag(10, 4, mode="median"),
            lambda: nn.EmbeddingBag(10, 4, padding_idx=10),
            lambda: nn.EmbeddingBag(10, 4)(ids)):
    try:
        print("no error", bad())
    except Exception as e:  # noqa: BLE001
        print(type(e).__name__, (str(e).splitlines() or [""])[0][:200])
