"""Classical machine learning in torch.linalg as tutorials and small libraries write it: PCA by SVD
(sklearn's svd_flip sign convention) and torch.pca_lowrank, ZCA whitening, orthogonal Procrustes, CCA,
Mahalanobis distance through cholesky and solve_triangular, ridge regression by lstsq / solve / cholesky_solve
/ lu_factor + lu_solve, kernel ridge with cdist, LDA's generalized eigenproblem through eigh, least squares
via QR (mode='r' and 'complete'), matrix_rank / pinv / cond / matrix_norm, LowRankMultivariateNormal and the
weighted torch.cov; all in float64."""
import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
N, D = 60, 5
A = torch.randn(D, D)
X = torch.randn(N, D) @ A + torch.tensor([1.0, -2.0, 0.5, 0.0, 3.0])
labels = (X[:, 0] + 0.3 * torch.randn(N) > 1).long()


def svd_flip(u, v):
    max_abs_cols = torch.argmax(torch.abs(u), dim=0)
    signs = torch.sign(u[max_abs_cols, range(u.shape[1])])
    return u * signs, v * signs[:, None]


Xc = X - X.mean(0)
U, S, Vh = torch.linalg.svd(Xc, full_matrices=False)
U, Vh = svd_flip(U, Vh)
explained = S ** 2 / (N - 1)
print("explained ratio", (explained / explained.sum()).round(decimals=6).tolist())
print("components[0]", Vh[0].round(decimals=6).tolist())
Z = Xc @ Vh[:2].T
print("scores", Z[:2].round(decimals=6).tolist())
U2, S2, V2 = torch.pca_lowrank(X, q=D, center=True, niter=4)
print("pca_lowrank singular values match:", torch.allclose(S2, S), V2.shape)
print("svdvals", torch.linalg.svdvals(Xc).round(decimals=6).tolist())

cov = torch.cov(X.T)
evals, evecs = torch.linalg.eigh(cov)
W_zca = evecs @ torch.diag(1.0 / torch.sqrt(evals + 1e-5)) @ evecs.T
Xw = Xc @ W_zca
print("zca cov ~ I:", torch.allclose(torch.cov(Xw.T), torch.eye(D), atol=1e-4), evals.round(decimals=6).tolist())

R_true = torch.linalg.qr(torch.randn(D, D)).Q
B = Xc @ R_true + 0.01 * torch.randn(N, D)
u, s, vh = torch.linalg.svd(Xc.T @ B)
R = u @ vh
print("procrustes", f"{(R - R_true).abs().max().item():.6f}", f"{torch.linalg.det(R).item():.6f}")

Y = Xc[:, :2] @ torch.randn(2, 3) + 0.5 * torch.randn(N, 3)
Yc = Y - Y.mean(0)
Cxx = Xc.T @ Xc / (N - 1) + 1e-6 * torch.eye(D)
Cyy = Yc.T @ Yc / (N - 1) + 1e-6 * torch.eye(3)
Cxy = Xc.T @ Yc / (N - 1)
Lx, Ly = torch.linalg.cholesky(Cxx), torch.linalg.cholesky(Cyy)
Tm = torch.linalg.solve_triangular(Lx, Cxy, upper=False)
Tm = torch.linalg.solve_triangular(Ly, Tm.T, upper=False).T
print("cca correlations", torch.linalg.svdvals(Tm).round(decimals=6).tolist())

L = torch.linalg.cholesky(cov)
diff = (X[:4] - X.mean(0)).T
sol = torch.linalg.solve_triangular(L, diff, upper=False)
maha = (sol ** 2).sum(0).sqrt()
print("mahalanobis", maha.round(decimals=6).tolist())
print("same via solve:", torch.allclose(maha ** 2, (diff * torch.linalg.solve(cov, diff)).sum(0)))

yreg = X @ torch.tensor([1.0, 0.0, -1.0, 2.0, 0.5]) + 0.1 * torch.randn(N)
Xb = torch.cat([X, torch.ones(N, 1)], 1)
lam = 0.5
G = Xb.T @ Xb + lam * torch.eye(D + 1)
w1 = torch.linalg.solve(G, Xb.T @ yreg)
w2 = torch.cholesky_solve((Xb.T @ yreg)[:, None], torch.linalg.cholesky(G))[:, 0]
LU, piv = torch.linalg.lu_factor(G)
w3 = torch.linalg.lu_solve(LU, piv, (Xb.T @ yreg)[:, None])[:, 0]
w4 = torch.linalg.lstsq(torch.cat([Xb, lam ** 0.5 * torch.eye(D + 1)]), torch.cat([yreg, torch.zeros(D + 1)])).solution
print("ridge", w1.round(decimals=6).tolist(), torch.allclose(w1, w2), torch.allclose(w1, w3), torch.allclose(w1, w4))
Q, Rq = torch.linalg.qr(Xb)
w_ls = torch.linalg.solve_triangular(Rq, (Q.T @ yreg)[:, None], upper=True)[:, 0]
print("qr lstsq", torch.allclose(w_ls, torch.linalg.lstsq(Xb, yreg[:, None]).solution[:, 0]),
      torch.linalg.qr(Xb, mode="r")[1].shape, torch.linalg.qr(Xb, mode="complete")[0].shape)

Kxx = torch.exp(-torch.cdist(X, X) ** 2 / (2 * 2.0 ** 2))
alpha = torch.linalg.solve(Kxx + 0.1 * torch.eye(N), yreg)
Xt = torch.randn(3, D)
print("kernel ridge", (torch.exp(-torch.cdist(Xt, X) ** 2 / 8.0) @ alpha).round(decimals=6).tolist())

m0, m1 = X[labels == 0].mean(0), X[labels == 1].mean(0)
Sw = torch.cov(X[labels == 0].T) + torch.cov(X[labels == 1].T)
Sb = torch.outer(m1 - m0, m1 - m0)
Lw = torch.linalg.cholesky(Sw)
Linv = torch.linalg.inv(Lw)
ev, vecs = torch.linalg.eigh(Linv @ Sb @ Linv.T)
wlda = Linv.T @ vecs[:, -1]
wlda = wlda / wlda.norm() * torch.sign(wlda[0])
print("lda", ev[-1].round(decimals=6).item(), wlda.round(decimals=6).tolist())

M = torch.randn(6, 4) @ torch.randn(4, 6)
print("rank", torch.linalg.matrix_rank(M).item(), torch.linalg.matrix_rank(M, hermitian=False, atol=1.0, rtol=0.0).item(),
      "pinv", torch.allclose(M @ torch.linalg.pinv(M) @ M, M), f"cond {torch.linalg.cond(A).item():.6f}")
print("norms", [round(torch.linalg.matrix_norm(A, ord=o).item(), 6) for o in ("fro", "nuc", 2, -2, 1, float("inf"))])
sign, logabs = torch.linalg.slogdet(cov)
print(f"slogdet {sign.item()} {logabs.item():.6f}", f"multi_dot {torch.linalg.multi_dot([A, A.T, A]).trace().item():.6f}")

lr = torch.distributions.LowRankMultivariateNormal(torch.zeros(D), cov_factor=Vh[:2].T * S[:2, None].T / N ** 0.5,
                                                   cov_diag=torch.full((D,), 0.1))
full = torch.distributions.MultivariateNormal(torch.zeros(D), covariance_matrix=lr.covariance_matrix)
print("lowrank", f"{lr.log_prob(Xc[:3]).sum().item():.6f}", f"{full.log_prob(Xc[:3]).sum().item():.6f}",
      f"{lr.entropy().item():.6f}", torch.allclose(lr.precision_matrix, full.precision_matrix))
wts = torch.arange(1, N + 1)
print("weighted cov", torch.cov(X.T, fweights=wts, aweights=torch.rand(N))[0].round(decimals=6).tolist())
print("corrcoef", torch.corrcoef(X.T)[0].round(decimals=6).tolist())
