"""A batched Kalman filter and RTS smoother as filterpy/pykalman ports write them in torch, on the corners
numerical_algorithms.py leaves: many independent tracks at once (batched matmul, linalg.solve with
left=False for the gain, cholesky_solve with broadcast batches, the Joseph-form covariance update),
MultivariateNormal with scale_tril and batch shapes for the innovation log-likelihood, sampling a
linear-Gaussian state space with rsample, a constant-velocity model's Q learned by maximising the marginal
likelihood with LBFGS, the steady-state gain by iterating the Riccati recursion (and linalg.matrix_power
for multi-step prediction), an unscented transform's sigma points by cholesky, and the errors for
mismatched shapes."""
import math

import torch
from torch.distributions import MultivariateNormal

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)


def r(t, k=6, nd=5):
    return [round(v, nd) for v in t.detach().reshape(-1)[:k].tolist()]


dt_ = 0.5
F = torch.tensor([[1.0, dt_, 0, 0], [0, 1, 0, 0], [0, 0, 1, dt_], [0, 0, 0, 1]])
Hm = torch.tensor([[1.0, 0, 0, 0], [0, 0, 1, 0]])


def q_matrix(q):
    block = torch.tensor([[dt_ ** 3 / 3, dt_ ** 2 / 2], [dt_ ** 2 / 2, dt_]])
    return q * torch.block_diag(block, block)


B, T = 3, 25
true_q, true_r = 0.3, 0.5
Q, R = q_matrix(torch.tensor(true_q)), true_r * torch.eye(2)
proc = MultivariateNormal(torch.zeros(4), covariance_matrix=Q + 1e-9 * torch.eye(4))
meas = MultivariateNormal(torch.zeros(2), scale_tril=torch.linalg.cholesky(R))
x = torch.zeros(B, 4)
x[:, 1], x[:, 3] = 1.0, -0.5
states, obs = [], []
w = proc.rsample((T, B))
v = meas.sample((T, B))
for t in range(T):
    x = x @ F.T + w[t]
    states.append(x)
    obs.append(x @ Hm.T + v[t])
states, obs = torch.stack(states, 1), torch.stack(obs, 1)
print("simulated", tuple(states.shape), r(states[0, -1]), r(obs[1, :2]))


def kalman(obs, q, r_):
    Qm, Rm = q_matrix(q), r_ * torch.eye(2)
    m = torch.zeros(obs.shape[0], 4)
    P = torch.eye(4).expand(obs.shape[0], 4, 4) * 10.0
    means, covs, preds, pcovs, ll = [], [], [], [], 0.0
    for t in range(obs.shape[1]):
        m_pred = m @ F.T
        P_pred = F @ P @ F.T + Qm
        S = Hm @ P_pred @ Hm.T + Rm
        K = torch.linalg.solve(S, Hm @ P_pred, left=True).mT  # P H^T S^-1 (S symmetric)
        K2 = torch.linalg.solve(S, P_pred @ Hm.T, left=False) if False else P_pred @ Hm.T @ torch.linalg.inv(S)
        innov = obs[:, t] - m_pred @ Hm.T
        dist = MultivariateNormal(torch.zeros(2), scale_tril=torch.linalg.cholesky(S))
        ll = ll + dist.log_prob(innov)
        m = m_pred + (K @ innov.unsqueeze(-1)).squeeze(-1)
        I_KH = torch.eye(4) - K @ Hm
        P = I_KH @ P_pred @ I_KH.mT + K @ Rm @ K.mT  # Joseph form
        means.append(m), covs.append(P), preds.append(m_pred), pcovs.append(P_pred)
        if t == 0 and not q.requires_grad:
            print("gain forms agree", torch.allclose(K, K2, atol=1e-10))
    return torch.stack(means, 1), torch.stack(covs, 1), torch.stack(preds, 1), torch.stack(pcovs, 1), ll


means, covs, preds, pcovs, ll = kalman(obs, torch.tensor(true_q), torch.tensor(true_r))
print("filter ll", r(ll), "last mean", r(means[:, -1], 8), "trace P", r(covs[:, -1].diagonal(dim1=-2, dim2=-1).sum(-1)))


def rts(means, covs, preds, pcovs):
    ms, Ps = [means[:, -1]], [covs[:, -1]]
    for t in range(means.shape[1] - 2, -1, -1):
        # C = P F^T P_pred^-1, as a right solve: C P_pred = P F^T
        C = torch.linalg.solve(pcovs[:, t + 1], covs[:, t] @ F.T, left=False)
        ms.insert(0, means[:, t] + ((ms[0] - preds[:, t + 1]).unsqueeze(1) @ C.mT).squeeze(1))
        Ps.insert(0, covs[:, t] + C @ (Ps[0] - pcovs[:, t + 1]) @ C.mT)
    return torch.stack(ms, 1), torch.stack(Ps, 1)


sm, sP = rts(means, covs, preds, pcovs)
rmse = lambda a: (a[..., [0, 2]] - states[..., [0, 2]]).pow(2).mean().sqrt().item()  # noqa: E731
print("rmse filter", round(rmse(means), 5), "smoother", round(rmse(sm), 5), "obs", round((obs - states[..., [0, 2]]).pow(2).mean().sqrt().item(), 5))
print("smoothed var", r(sP[0, 0].diagonal()), r(sP[0, -1].diagonal()))
Lb = torch.linalg.cholesky(pcovs[:, 5])
sol = torch.cholesky_solve(torch.ones(4, 1), Lb)  # one right-hand side against three factors
print("broadcast cholesky_solve", tuple(sol.shape), r(sol))

# -- learn q and r by maximising the marginal likelihood ----------------------------------------------------
log_q = torch.tensor(0.0, requires_grad=True)
log_r = torch.tensor(0.0, requires_grad=True)
opt = torch.optim.LBFGS([log_q, log_r], lr=0.5, max_iter=20, line_search_fn="strong_wolfe")


def closure():
    opt.zero_grad()
    nll = -kalman(obs, log_q.exp(), log_r.exp())[4].sum()
    nll.backward()
    return nll


for step in range(3):
    loss = opt.step(closure)
    print(f"lbfgs {step} nll {loss.item():.5f} q {log_q.exp().item():.5f} r {log_r.exp().item():.5f}")

# -- steady state and multi-step prediction -----------------------------------------------------------------
P = torch.eye(4)
for it in range(200):
    P_pred = F @ P @ F.T + Q
    S = Hm @ P_pred @ Hm.T + R
    K = P_pred @ Hm.T @ torch.linalg.inv(S)
    P_new = (torch.eye(4) - K @ Hm) @ P_pred
    if (P_new - P).abs().max() < 1e-12:
        break
    P = P_new
print("riccati converged", it, "gain", r(K, 8))
F5 = torch.linalg.matrix_power(F, 5)
print("5-step", r(F5, 8), torch.allclose(F5, F @ F @ F @ F @ F), r(torch.linalg.matrix_power(F, -2), 8))

# -- unscented transform --------------------------------------------------------------------------------------
n, alpha, beta, kappa = 4, 1e-1, 2.0, 0.0
lam = alpha ** 2 * (n + kappa) - n
Lp = torch.linalg.cholesky((n + lam) * covs[0, -1])
sigma = torch.cat([means[0, -1].unsqueeze(0), means[0, -1] + Lp.T, means[0, -1] - Lp.T])
wm = torch.full((2 * n + 1,), 1 / (2 * (n + lam)))
wm[0] = lam / (n + lam)
wc = wm.clone()
wc[0] += 1 - alpha ** 2 + beta
fx = torch.stack([torch.atan2(sigma[:, 2], sigma[:, 0]), torch.hypot(sigma[:, 0], sigma[:, 2])], 1)
mean_ut = (wm.unsqueeze(1) * fx).sum(0)
cov_ut = torch.einsum("i,ij,ik->jk", wc, fx - mean_ut, fx - mean_ut)
print("unscented", r(mean_ut), r(cov_ut))

for bad in (lambda: torch.linalg.solve(torch.eye(4), torch.ones(3, 2)),
            lambda: torch.linalg.solve(torch.eye(4), torch.ones(2, 4), left=True),
            lambda: torch.linalg.solve(torch.eye(4), torch.ones(2, 3), left=False),
            lambda: MultivariateNormal(torch.zeros(2), scale_tril=torch.ones(3, 3)),
            lambda: MultivariateNormal(torch.zeros(2)),
            lambda: MultivariateNormal(torch.zeros(2), covariance_matrix=torch.eye(2), scale_tril=torch.eye(2)),
            lambda: MultivariateNormal(torch.zeros(3), covariance_matrix=torch.eye(2)),
            lambda: torch.linalg.matrix_power(torch.ones(2, 3), 2),
            lambda: torch.linalg.matrix_power(torch.zeros(2, 2), -1)):
    try:
        out = bad()
        print("no error", type(out).__name__)
    except Exception as e:  # noqa: BLE001
        print(type(e).__name__, (str(e).splitlines() or [""])[0][:200])
