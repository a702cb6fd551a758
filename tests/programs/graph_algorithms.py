"""Graph algorithms on edge lists as users write them in plain torch (torch_scatter-free PyG snippets, the
networkx-to-torch ports): scatter_reduce with every reduce and include_self both ways (values and
gradients), index_reduce, index_add_ with alpha, scatter_add_/scatter_ with reduce=, degree by bincount,
PageRank by power iteration with torch.sparse.mm on a COO adjacency (coalesce, transpose, sum), Bellman-Ford shortest paths by scatter_reduce amin, connected components by label
propagation, triangle counts through sparse-dense products, and the errors for bad indices."""
import torch

torch.manual_seed(0)
# the device-agnostic idiom: a GPU where there is one (python -m pyfront run --cuda-as webgpu)
torch.set_default_device("cuda" if torch.cuda.is_available() else "cpu")

n = 9
src = torch.tensor([0, 0, 1, 2, 2, 3, 4, 5, 5, 6, 7, 7, 8, 1, 3])
dst = torch.tensor([1, 2, 2, 0, 3, 4, 5, 3, 6, 7, 8, 5, 6, 0, 2])
w = torch.rand(src.numel()) * 2 + 0.1
print("edges", src.numel(), "weights", [round(v, 4) for v in w.tolist()])

# -- scatter_reduce / index_reduce -----------------------------------------------------------------------
for reduce in ("sum", "prod", "mean", "amax", "amin"):
    for include_self in (True, False):
        base = torch.linspace(-1, 1, n).requires_grad_()
        vals = w.clone().requires_grad_()
        out = base.scatter_reduce(0, dst, vals, reduce=reduce, include_self=include_self)
        out.mul(torch.arange(1.0, n + 1)).sum().backward()
        print(f"scatter_reduce {reduce:4s} self={include_self!s:5s}", [round(v, 5) for v in out.tolist()])
        print("   dbase", [round(v, 5) for v in base.grad.tolist()])
        print("   dvals", [round(v, 5) for v in vals.grad.tolist()])
        feats = torch.arange(float(2 * src.numel())).view(-1, 2) - 7
        idx2 = dst.unsqueeze(1).expand(-1, 2)
        z = torch.full((n, 2), 0.5).scatter_reduce(0, idx2, feats, reduce, include_self=include_self)
        print("   2d", z.tolist())
        ints = torch.zeros(n, dtype=torch.int64).scatter_reduce(0, dst, src * 3 - 5, reduce,
                                                                 include_self=include_self)
        print("   int64", ints.tolist())

for reduce in ("prod", "mean", "amax", "amin"):
    for include_self in (True, False):
        base = torch.ones(n, 2) * 2
        out = base.index_reduce(0, dst, torch.stack([w, -w], 1), reduce, include_self=include_self)
        print(f"index_reduce {reduce} self={include_self}", [[round(a, 4) for a in r] for r in out.tolist()])
ints = torch.full((n,), 7).index_reduce_(0, dst, src, "mean", include_self=True)
print("index_reduce_ int mean", ints.tolist())

acc = torch.zeros(n, 3)
acc.index_add_(0, dst, torch.ones(src.numel(), 3), alpha=2.5)
print("index_add alpha", acc[:, 0].tolist())
print("index_add int alpha", torch.zeros(n, dtype=torch.long).index_add(0, dst, src, alpha=-2).tolist())
deg = torch.zeros(n).scatter_add_(0, src, torch.ones_like(w))
print("out-degree", deg.tolist(), torch.bincount(src, minlength=n).tolist())
print("weighted in-degree", [round(v, 4) for v in torch.bincount(dst, weights=w, minlength=n).tolist()])
print("scatter_ reduce=add", torch.zeros(n).scatter_(0, dst, w, reduce="add").sum().item())
print("scatter_ reduce=multiply", [round(v, 4) for v in torch.ones(n).scatter_(0, dst, w, reduce="multiply").tolist()])
print("scatter value", torch.zeros(n).scatter(0, dst[:4], 3.5).tolist())

# -- PageRank --------------------------------------------------------------------------------------------
A = torch.sparse_coo_tensor(torch.stack([dst, src]), torch.ones(src.numel()), (n, n))
A = (A + A).coalesce()  # duplicates summed
print("coalesced nnz", A._nnz(), A.is_coalesced(), A.indices()[:, :5].tolist(), A.values()[:5].tolist())
out_deg = torch.sparse.sum(A, dim=0).to_dense()
print("sparse.sum dim0", out_deg.tolist())
vals = A.values() / out_deg[A.indices()[1]]
M = torch.sparse_coo_tensor(A.indices(), vals, (n, n))
r = torch.full((n, 1), 1.0 / n)
d = 0.85
for it in range(50):
    r_new = d * torch.sparse.mm(M, r) + (1 - d) / n
    delta = (r_new - r).abs().sum()
    r = r_new
    if delta < 1e-7:
        break
print("pagerank iters", it, [round(v, 5) for v in r.squeeze().tolist()], round(r.sum().item(), 5))
r2 = r.squeeze()
print("mv", [round(v, 5) for v in torch.mv(M.to_dense(), r2).tolist()[:4]])
print("transpose", M.t().coalesce().indices()[:, :4].tolist())

# -- shortest paths --------------------------------------------------------------------------------------
dist = torch.full((n,), float("inf"))
dist[0] = 0
for _ in range(n - 1):
    cand = dist[src] + w
    dist = dist.scatter_reduce(0, dst, cand, "amin", include_self=True)
print("bellman-ford", [round(v, 4) if v != float("inf") else "inf" for v in dist.tolist()])

# -- connected components (undirected) --------------------------------------------------------------------
und_src = torch.cat([src[:6], dst[:6]])
und_dst = torch.cat([dst[:6], src[:6]])
labels = torch.arange(n)
while True:
    new = labels.scatter_reduce(0, und_dst, labels[und_src], "amin")
    if torch.equal(new, labels):
        break
    labels = new
print("components", labels.tolist(), [t.tolist() for t in torch.unique(labels, return_counts=True)])

# -- triangles -------------------------------------------------------------------------------------------
S = torch.sparse_coo_tensor(torch.stack([und_src, und_dst]), torch.ones(und_src.numel()), (n, n)).coalesce()
S = torch.sparse_coo_tensor(S.indices(), torch.ones(S._nnz()), (n, n))
AA = torch.sparse.mm(S, S.to_dense())
print("triangles", ((AA * S.to_dense()).sum() / 6).item())
print("addmm", torch.sparse.addmm(torch.eye(n), S, torch.eye(n), beta=0.5, alpha=2.0).diagonal().tolist())
print("sparse softmax", [round(v, 4) for v in torch.sparse.softmax(M, 1).to_dense()[2].tolist()])

for bad in (lambda: torch.zeros(3).scatter_reduce(0, torch.tensor([0, 3]), torch.ones(2), "sum"),
            lambda: torch.zeros(3).scatter_reduce(0, torch.tensor([0, 1]), torch.ones(2), "max"),
            lambda: torch.zeros(3).index_reduce(0, torch.tensor([0, 1]), torch.ones(2), "sum"),
            lambda: torch.zeros(3).index_add_(0, torch.tensor([0, 5]), torch.ones(2)),
            lambda: torch.zeros(3).scatter_add_(0, torch.tensor([0.0, 1.0]), torch.ones(2)),
            lambda: torch.zeros(3, dtype=torch.long).scatter_reduce(0, torch.tensor([0]), torch.ones(1), "sum"),
            lambda: torch.sparse_coo_tensor(torch.tensor([[0, 4]]), torch.ones(2), (3,))):
    try:
        bad()
        print("no error")
    except Exception as e:  # noqa: BLE001
        print(type(e).__name__, str(e).splitlines()[0])
