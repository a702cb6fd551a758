"""Sparse matrices and signal windows as graph and audio scripts use them (CSR left out: pyfront has the COO
layout only): a COO graph's degree normalisation (torch.sparse.sum, sparse.mm with gradient to the dense factor,
coalesce of duplicate edges, torch.sparse.softmax over neighbours, sparse.addmm, index_select, sparse *
dense, a sparse gradient), and torch.signal.windows (hann, hamming, gaussian, kaiser,
blackman, cosine, exponential, general_hamming, nuttall, bartlett) beside the torch.*_window functions."""
import torch

torch.manual_seed(0)

edges = torch.tensor([[0, 0, 1, 2, 2, 3, 4, 4, 1], [1, 2, 2, 0, 3, 4, 0, 1, 2]])
vals = torch.tensor([1.0, 2.0, 1.0, 0.5, 1.5, 1.0, 2.0, 1.0, 3.0])
coo = torch.sparse_coo_tensor(edges, vals, (5, 5))
print("coalesced", coo.is_coalesced(), coo.coalesce().indices().tolist(), coo.coalesce().values().tolist())
A = coo.coalesce()
X = torch.randn(5, 3)

deg = torch.sparse.sum(A, dim=1).to_dense()
print("degree", deg.tolist())
d_inv_sqrt = deg.pow(-0.5)
d_inv_sqrt[torch.isinf(d_inv_sqrt)] = 0
idx = A.indices()
norm_vals = d_inv_sqrt[idx[0]] * A.values() * d_inv_sqrt[idx[1]]
A_hat = torch.sparse_coo_tensor(idx, norm_vals, A.shape)
W = torch.randn(3, 2, requires_grad=True)
out = torch.sparse.mm(A_hat, X @ W)
out.sum().backward()
print("gcn out", [round(v, 5) for v in out.flatten().tolist()], [round(v, 5) for v in W.grad.flatten().tolist()])
print("sparse softmax", [round(v, 5) for v in torch.sparse.softmax(A, dim=1).to_dense().flatten().tolist()[:10]])
print("log_softmax", [round(v, 5) for v in torch.sparse.log_softmax(A, dim=1).coalesce().values().tolist()])
M = torch.randn(5, 2)
print("addmm", [round(v, 5) for v in torch.sparse.addmm(M, A, X[:, :2], beta=0.5, alpha=2.0).flatten().tolist()])
print("index_select", A.index_select(0, torch.tensor([0, 4])).to_dense().tolist())
print("sparse * dense", (A * 2).coalesce().values().tolist(), (A * torch.arange(5.0)).to_dense()[0].tolist())
print("sum all", torch.sparse.sum(A).item(), A.to_dense().sum().item())
Vs = A.clone().requires_grad_()
y = torch.sparse.mm(Vs, X).pow(2).sum()
y.backward()
print("sparse grad", Vs.grad.layout, Vs.grad.coalesce().indices().shape, round(Vs.grad.coalesce().values().sum().item(), 5))

for name, fn in [("hann", lambda: torch.signal.windows.hann(8)), ("hann sym=False", lambda: torch.signal.windows.hann(8, sym=False)),
                 ("hamming", lambda: torch.signal.windows.hamming(7)), ("gaussian", lambda: torch.signal.windows.gaussian(7, std=1.5)),
                 ("kaiser", lambda: torch.signal.windows.kaiser(7, beta=8.0)), ("blackman", lambda: torch.signal.windows.blackman(6)),
                 ("cosine", lambda: torch.signal.windows.cosine(5)), ("exponential", lambda: torch.signal.windows.exponential(6, tau=2.0)),
                 ("general_hamming", lambda: torch.signal.windows.general_hamming(6, alpha=0.6)),
                 ("nuttall", lambda: torch.signal.windows.nuttall(6)), ("bartlett", lambda: torch.signal.windows.bartlett(6)),
                 ("general_cosine", lambda: torch.signal.windows.general_cosine(6, a=[0.5, 0.3, 0.2])),
                 ("torch.hann_window", lambda: torch.hann_window(8)), ("torch.hann periodic=False", lambda: torch.hann_window(8, periodic=False)),
                 ("torch.hamming_window", lambda: torch.hamming_window(7, alpha=0.5, beta=0.5)),
                 ("torch.kaiser_window", lambda: torch.kaiser_window(7, periodic=False, beta=5.0)),
                 ("torch.blackman_window", lambda: torch.blackman_window(5, dtype=torch.float64)),
                 ("torch.bartlett_window", lambda: torch.bartlett_window(5))]:
    try:
        w = fn()
        print(f"{name:26s} {w.dtype} {[round(v, 6) for v in w.tolist()]}")
    except Exception as e:
        print(f"{name:26s} {type(e).__name__}: {e}")
