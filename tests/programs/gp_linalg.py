"""Gaussian-process regression and the linear algebra under it, as GPyTorch-free tutorials and the
"GP from scratch" notebooks write it: an ARD RBF kernel by cdist (and by the expanded-square form, its
clamp), Matern-5/2 and periodic kernels, the exact marginal likelihood through cholesky / cholesky_ex
(jitter retried on failure) / cholesky_solve / solve_triangular (left and right, upper, unitriangular) /
logdet and slogdet, the predictive mean and variance, hyperparameters under softplus optimised with Adam,
a batched multi-output GP, cholesky_inverse, lu_factor/lu_solve, ldl_factor/ldl_solve, eigh for a
low-rank approximation, and the errors for a non positive-definite matrix."""
import math

import torch
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_printoptions(precision=5)


def r(t, k=6):
    return [round(v, 5) for v in t.detach().reshape(-1)[:k].tolist()]


X = torch.rand(24, 2) * 4
y = torch.sin(X[:, 0] * 1.5) * torch.cos(X[:, 1]) + 0.05 * torch.randn(24)
Xs = torch.stack(torch.meshgrid(torch.linspace(0, 4, 4), torch.linspace(0, 4, 3), indexing="ij"), -1).view(-1, 2)


def rbf(a, b, ls, var):
    d = torch.cdist(a / ls, b / ls)
    return var * torch.exp(-0.5 * d.pow(2))


def rbf_sq(a, b, ls, var):
    a, b = a / ls, b / ls
    d2 = (a.pow(2).sum(-1, keepdim=True) - 2 * a @ b.transpose(-1, -2) + b.pow(2).sum(-1).unsqueeze(-2))
    return var * torch.exp(-0.5 * d2.clamp_min(1e-30))


def matern52(a, b, ls, var):
    d = torch.cdist(a / ls, b / ls, compute_mode="donot_use_mm_for_euclid_dist")
    s5 = math.sqrt(5) * d
    return var * (1 + s5 + s5.pow(2) / 3) * torch.exp(-s5)


def periodic(a, b, ls, var, period=2.0):
    d = torch.cdist(a, b, p=1)
    return var * torch.exp(-2 * torch.sin(math.pi * d / period).pow(2) / ls.mean().pow(2))


raw_ls = torch.zeros(2, requires_grad=True)
raw_var = torch.zeros((), requires_grad=True)
raw_noise = torch.tensor(-2.0, requires_grad=True)
opt = torch.optim.Adam([raw_ls, raw_var, raw_noise], lr=0.05)
for step in range(40):
    ls, var, noise = F.softplus(raw_ls), F.softplus(raw_var), F.softplus(raw_noise) + 1e-4
    K = rbf(X, X, ls, var) + noise * torch.eye(24)
    L = torch.linalg.cholesky(K)
    alpha = torch.cholesky_solve(y.unsqueeze(-1), L)
    nll = 0.5 * (y.unsqueeze(-1) * alpha).sum() + L.diagonal().log().sum() + 12 * math.log(2 * math.pi)
    opt.zero_grad()
    nll.backward()
    opt.step()
    if step % 8 == 0:
        print(f"step {step} nll {nll.item():.5f} ls {r(ls)} var {var.item():.5f} noise {noise.item():.5f} "
              f"grads {r(raw_ls.grad)}")
with torch.no_grad():
    ls, var, noise = F.softplus(raw_ls), F.softplus(raw_var), F.softplus(raw_noise) + 1e-4
    K = rbf(X, X, ls, var) + noise * torch.eye(24)
    L = torch.linalg.cholesky(K)
    Ks = rbf(Xs, X, ls, var)
    v = torch.linalg.solve_triangular(L, Ks.T, upper=False)
    mean = v.T @ torch.linalg.solve_triangular(L, y.unsqueeze(-1), upper=False)
    cov = rbf(Xs, Xs, ls, var) - v.T @ v
    print("pred mean", r(mean, 12))
    print("pred var", r(cov.diagonal(), 12))
    print("logdet", torch.logdet(K).item(), 2 * L.diagonal().log().sum().item(), torch.linalg.slogdet(K))
    print("rbf forms agree", torch.allclose(rbf(X, X, ls, var), rbf_sq(X, X, ls, var), atol=1e-5))
    print("matern", r(matern52(Xs, X, ls, var), 8), "periodic", r(periodic(Xs, X, ls, var), 8))

    # right-sided and upper solves
    U = L.T
    B = torch.randn(3, 24)
    Xr = torch.linalg.solve_triangular(U, B, upper=True, left=False)
    print("left=False residual", (Xr @ U - B).abs().max().item() < 1e-4)
    unit = torch.linalg.solve_triangular(L, B.T, upper=False, unitriangular=True)
    print("unitriangular", r(unit, 6))
    print("cholesky upper", torch.allclose(torch.linalg.cholesky(K, upper=True), U, atol=1e-5),
          r(torch.cholesky_solve(B.T, U, upper=True), 6))
    print("cholesky_inverse", torch.allclose(torch.cholesky_inverse(L) @ K, torch.eye(24), atol=1e-3),
          r(torch.cholesky_inverse(U, upper=True).diagonal(), 5))
    LU, piv = torch.linalg.lu_factor(K[:6, :6] - 0.5 * torch.eye(6))
    print("lu_factor piv", piv.tolist(), r(torch.linalg.lu_solve(LU, piv, B.T[:6]), 6))
    print("lu_solve adjoint", r(torch.linalg.lu_solve(LU, piv, B.T[:6], adjoint=True), 6))
    P, Lm, Um = torch.linalg.lu(K[:6, :6] - 0.5 * torch.eye(6))
    print("lu P", P.argmax(0).tolist(), r(Lm.diagonal(), 6))
    LD, pivots = torch.linalg.ldl_factor(K[:5, :5])
    print("ldl", pivots.tolist(), r(torch.linalg.ldl_solve(LD, pivots, B.T[:5]), 6))
    evals, evecs = torch.linalg.eigh(K)
    top = evecs[:, -5:] * evals[-5:].sqrt()
    print("eigh top", r(evals[-5:]), "low-rank err", round((top @ top.T - K).norm().item() / K.norm().item(), 4))

# batched multi-output GP with a jitter loop
Xb = torch.rand(3, 10, 1)
Kb = rbf(Xb, Xb, torch.tensor([0.01]), 1.0)
for jitter in (0.0, 1e-6, 1e-4, 1e-2):
    Lb, info = torch.linalg.cholesky_ex(Kb + jitter * torch.eye(10))
    print("jitter", jitter, "info", info.tolist())
    if (info == 0).all():
        break
yb = torch.randn(3, 10, 2)
alpha = torch.cholesky_solve(yb, Lb)
print("batched alpha", tuple(alpha.shape), r(alpha, 6))
print("batched logdet", r(torch.logdet(Kb + jitter * torch.eye(10))))
neg = torch.tensor([[1.0, 2.0], [2.0, 1.0]])
print("logdet negative", torch.logdet(neg).item(), torch.linalg.slogdet(neg), torch.det(neg).item())
print("logdet singular", torch.logdet(torch.zeros(2, 2)).item())
for bad in (lambda: torch.linalg.cholesky(neg),
            lambda: torch.linalg.cholesky(torch.stack([torch.eye(2), neg])),
            lambda: torch.linalg.cholesky_ex(neg, check_errors=True),
            lambda: torch.linalg.cholesky(torch.ones(2, 3)),
            lambda: torch.cholesky_solve(torch.ones(3, 1), torch.eye(2)),
            lambda: torch.linalg.solve_triangular(torch.eye(2), torch.ones(2)),
            lambda: torch.linalg.lu_factor(torch.zeros(2, 2)),
            lambda: torch.linalg.solve(torch.zeros(2, 2), torch.ones(2))):
    try:
        print("no error", bad())
    except Exception as e:  # noqa: BLE001
        print(type(e).__name__, (str(e).splitlines() or [""])[0][:200])
