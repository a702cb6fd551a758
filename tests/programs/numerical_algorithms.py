"""Numerical algorithms users write in torch for their autograd: log-domain Sinkhorn optimal transport (as
geomloss/POT-style tutorials write it: cdist, logsumexp, a differentiable OT loss between point clouds),
a Kalman filter with a Rauch-Tung-Striebel smoother and its log-likelihood (linalg.solve, cholesky,
cholesky_solve, slogdet, MultivariateNormal) learning a noise scale by gradient, exact Gaussian-process
regression (the GPyTorch-free tutorial: cholesky, solve_triangular, the marginal likelihood's gradient
with respect to kernel hyperparameters), EM for a Gaussian mixture (MultivariateNormal.log_prob batched,
logsumexp responsibilities, einsum covariances), and a matrix exponential ODE check (linalg.matrix_exp)."""
import math

import torch
import torch.nn.functional as F
from torch.distributions import MultivariateNormal

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)


# -- Sinkhorn ----------------------------------------------------------------------------------------
def sinkhorn_log(a, b, C, eps, n_iters):
    log_a, log_b = a.log(), b.log()
    f = torch.zeros_like(a)
    g = torch.zeros_like(b)
    for _ in range(n_iters):
        f = eps * log_a - eps * torch.logsumexp((g[None, :] - C) / eps, dim=1)
        g = eps * log_b - eps * torch.logsumexp((f[:, None] - C) / eps, dim=0)
    P = torch.exp((f[:, None] + g[None, :] - C) / eps)
    return P, f, g


x = torch.randn(12, 2)
y = (torch.randn(10, 2) * 0.5 + 1.0).requires_grad_()
a = torch.full((12,), 1 / 12)
b = torch.full((10,), 1 / 10)
C = torch.cdist(x, y, p=2) ** 2
P, f, g = sinkhorn_log(a, b, C, eps=0.1, n_iters=200)
cost = (P * C).sum()
cost.backward()
print(f"sinkhorn cost {cost.item():.6f} marginals {(P.sum(1) - a).abs().max().item():.2e} "
      f"{(P.sum(0) - b).abs().max().item():.2e}")
print(f"dual {(f @ a + g @ b).item():.6f} grad norm {y.grad.norm().item():.6f}")
# a gradient flow of the cloud y towards x
y = y.detach().requires_grad_()
opt = torch.optim.SGD([y], lr=2.0)
for step in range(5):
    C = torch.cdist(x, y) ** 2
    P, _, _ = sinkhorn_log(a, b, C, eps=0.05, n_iters=100)
    loss = (P.detach() * C).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"flow step {step}: {loss.item():.6f}")


# -- Kalman filter and RTS smoother --------------------------------------------------------------------
def kalman(ys, A, Q, H, R, m0, P0):
    ms, Ps, mps, Pps, loglik = [], [], [], [], 0.0
    m, P = m0, P0
    for y in ys:
        mp = A @ m
        Pp = A @ P @ A.T + Q
        S = H @ Pp @ H.T + R
        v = y - H @ mp
        loglik = loglik + MultivariateNormal(torch.zeros_like(v), S).log_prob(v)
        Kt = torch.linalg.solve(S, H @ Pp).T  # P_p H^T S^-1 (S symmetric)
        m = mp + Kt @ v
        P = Pp - Kt @ S @ Kt.T
        ms.append(m), Ps.append(P), mps.append(mp), Pps.append(Pp)
    return ms, Ps, mps, Pps, loglik


def rts(ms, Ps, mps, Pps, A):
    m_s, P_s = [ms[-1]], [Ps[-1]]
    for k in range(len(ms) - 2, -1, -1):
        L = torch.linalg.cholesky(Pps[k + 1])
        G = torch.cholesky_solve(A @ Ps[k], L).T  # P_k A^T P_p^-1
        m_s.insert(0, ms[k] + G @ (m_s[0] - mps[k + 1]))
        P_s.insert(0, Ps[k] + G @ (P_s[0] - Pps[k + 1]) @ G.T)
    return m_s, P_s


dt = 0.1
A = torch.tensor([[1.0, dt], [0.0, 1.0]])
H = torch.tensor([[1.0, 0.0]])
true_q, true_r = 0.05, 0.3
xs = [torch.tensor([0.0, 1.0])]
for _ in range(30):
    xs.append(A @ xs[-1] + math.sqrt(true_q) * torch.randn(2) * torch.tensor([dt, 1.0]))
ys = [H @ s + math.sqrt(true_r) * torch.randn(1) for s in xs[1:]]
log_r = torch.tensor(0.0, requires_grad=True)
opt = torch.optim.Adam([log_r], lr=0.1)
for step in range(6):
    Q = true_q * torch.diag(torch.tensor([dt ** 2, 1.0]))
    R = log_r.exp().reshape(1, 1)
    ms, Ps, mps, Pps, loglik = kalman(ys, A, Q, H, R, torch.zeros(2), torch.eye(2))
    opt.zero_grad()
    (-loglik).backward()
    opt.step()
    print(f"kalman step {step}: loglik {loglik.item():.6f} r {R.item():.6f} grad {log_r.grad.item():.6f}")
with torch.no_grad():
    m_s, P_s = rts(ms, Ps, mps, Pps, A)
    err_f = torch.stack([m[0] - s[0] for m, s in zip(ms, xs[1:])]).pow(2).mean()
    err_s = torch.stack([m[0] - s[0] for m, s in zip(m_s, xs[1:])]).pow(2).mean()
    print(f"filtered mse {err_f.item():.6f} smoothed mse {err_s.item():.6f} "
          f"logdet {torch.linalg.slogdet(P_s[5]).logabsdet.item():.6f}")


# -- exact GP regression ---------------------------------------------------------------------------------
def rbf(x1, x2, lengthscale, variance):
    d = torch.cdist(x1 / lengthscale, x2 / lengthscale) ** 2
    return variance * torch.exp(-0.5 * d)


X = torch.linspace(-3, 3, 25).unsqueeze(-1)
Y = torch.sin(2 * X).squeeze(-1) + 0.1 * torch.randn(25)
raw = torch.zeros(3, requires_grad=True)  # softplus-parameterised lengthscale, variance, noise
opt = torch.optim.Adam([raw], lr=0.1)
for step in range(8):
    ls, var, noise = F.softplus(raw) + 1e-4
    Kxx = rbf(X, X, ls, var) + noise * torch.eye(25)
    L = torch.linalg.cholesky(Kxx)
    alpha = torch.cholesky_solve(Y.unsqueeze(-1), L)
    mll = -0.5 * (Y @ alpha.squeeze(-1)) - torch.log(torch.diagonal(L)).sum() - 12.5 * math.log(2 * math.pi)
    opt.zero_grad()
    (-mll / 25).backward()
    opt.step()
    print(f"gp step {step}: mll {mll.item():.6f} ls {ls.item():.5f} var {var.item():.5f} noise {noise.item():.5f}")
with torch.no_grad():
    Xs = torch.linspace(-3, 3, 7).unsqueeze(-1)
    Ks = rbf(X, Xs, ls, var)
    mean = Ks.T @ alpha
    v = torch.linalg.solve_triangular(L, Ks, upper=False)
    cov = rbf(Xs, Xs, ls, var) - v.T @ v
    print(mean.squeeze(-1), torch.diagonal(cov).clamp_min(0).sqrt())

# -- EM for a Gaussian mixture ----------------------------------------------------------------------
centers = torch.tensor([[-2.0, 0.0], [2.0, 1.0], [0.0, 3.0]])
data = torch.cat([c + 0.5 * torch.randn(40, 2) for c in centers])
k = 3
mu = data[torch.randperm(len(data))[:k]]
cov = torch.eye(2).repeat(k, 1, 1)
pi = torch.full((k,), 1 / k)
for it in range(10):
    log_p = MultivariateNormal(mu, covariance_matrix=cov).log_prob(data[:, None, :]) + pi.log()
    log_norm = torch.logsumexp(log_p, dim=1, keepdim=True)
    resp = (log_p - log_norm).exp()
    nk = resp.sum(0)
    pi = nk / len(data)
    mu = (resp.T @ data) / nk[:, None]
    diff = data[:, None, :] - mu[None]
    cov = torch.einsum('nk,nki,nkj->kij', resp, diff, diff) / nk[:, None, None] + 1e-6 * torch.eye(2)
    if it % 3 == 0:
        print(f"em it {it}: loglik {log_norm.sum().item():.5f} pi {sorted(round(p, 4) for p in pi.tolist())}")
order = mu[:, 0].argsort()
print(mu[order], torch.linalg.det(cov[order]))

# -- the matrix exponential solves a linear ODE --------------------------------------------------------
M = torch.tensor([[0.0, 1.0], [-4.0, -0.4]], requires_grad=True)
x0 = torch.tensor([1.0, 0.0])
xt = torch.linalg.matrix_exp(M * 2.0) @ x0
steps, state = 2000, x0.clone()
for _ in range(steps):
    state = state + (2.0 / steps) * (M.detach() @ state)
xt.sum().backward()
print(f"expm {xt.tolist()} euler {[round(s, 3) for s in state.tolist()]} grad {M.grad.flatten().tolist()}")
