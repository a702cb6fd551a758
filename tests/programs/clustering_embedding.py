"""Clustering and embedding by hand, as sklearn-free tutorials write them in torch: k-means++ seeding by
torch.multinomial over squared distances, Lloyd iterations with scatter_add_/index_add_/bincount (empty
clusters re-seeded), a diagonal-covariance GMM by EM (logsumexp responsibilities, torch.distributions
Independent Normals, log-likelihood monotone), t-SNE (a vectorised perplexity binary search, symmetric P,
the Student-t Q, early exaggeration, gradients by autograd into SGD with momentum), a UMAP-style fuzzy kNN
graph (topk, smooth-kNN sigmas, the fuzzy union), spectral clustering from eigh of the normalised
Laplacian, and the silhouette score and adjusted Rand index written out."""
import math

import torch
import torch.nn.functional as F
from torch.distributions import Independent, Normal

torch.manual_seed(0)


def r(t, k=6, nd=5):
    return [round(v, nd) for v in t.detach().reshape(-1)[:k].tolist()]


centers = torch.tensor([[0.0, 0.0], [4.0, 4.0], [-4.0, 3.0], [3.0, -3.5]])
labels_true = torch.arange(4).repeat_interleave(30)
X = centers[labels_true] + torch.randn(120, 2) * torch.tensor([0.6, 0.9])
X = torch.cat([X, torch.randn(120, 3) * 0.1], dim=1)  # three noise dims
print("data", tuple(X.shape), r(X.mean(0)))


# -- k-means++ ---------------------------------------------------------------------------------------------
def kmeans_pp(X, k, gen):
    first = torch.randint(0, X.shape[0], (1,), generator=gen)
    chosen = [X[first]]
    for _ in range(1, k):
        d2 = torch.cdist(X, torch.cat(chosen)).pow(2).min(dim=1).values
        idx = torch.multinomial(d2 / d2.sum(), 1, generator=gen)
        chosen.append(X[idx])
    return torch.cat(chosen)


def lloyd(X, C, iters=20):
    k = C.shape[0]
    for it in range(iters):
        assign = torch.cdist(X, C).argmin(dim=1)
        sums = torch.zeros_like(C).index_add_(0, assign, X)
        counts = torch.bincount(assign, minlength=k).float()
        empty = counts == 0
        newC = sums / counts.clamp(min=1).unsqueeze(1)
        if empty.any():  # re-seed an empty cluster at the point farthest from its centre
            far = (X - C[assign]).pow(2).sum(1).argmax()
            newC[empty] = X[far]
        shift = (newC - C).norm(dim=1).max()
        C = newC
        if shift < 1e-6:
            break
    inertia = (X - C[assign]).pow(2).sum()
    return C, assign, inertia, it


gen = torch.Generator().manual_seed(3)
C0 = kmeans_pp(X, 4, gen)
print("k-means++ seeds", r(C0, 8))
C, assign, inertia, it = lloyd(X, C0)
print("lloyd", it, "inertia", round(inertia.item(), 4), "sizes", torch.bincount(assign).tolist())
C_bad, assign_bad, inertia_bad, _ = lloyd(X, X[:4].clone())
print("from the first points", round(inertia_bad.item(), 4), torch.bincount(assign_bad, minlength=4).tolist())
onehot = F.one_hot(assign, 4).float()
print("scatter_add_ sums agree", torch.allclose(torch.zeros(4, 5).scatter_add_(0, assign.unsqueeze(1).expand(-1, 5), X),
                                                onehot.T @ X, atol=1e-4))


# -- GMM by EM (diagonal) ---------------------------------------------------------------------------------
def gmm_em(X, k, iters=30):
    n, d = X.shape
    means = C.clone()
    var = torch.ones(k, d)
    weights = torch.full((k,), 1.0 / k)
    prev = -math.inf
    history = []
    for it in range(iters):
        comp = Independent(Normal(means, var.sqrt()), 1)
        log_p = comp.log_prob(X.unsqueeze(1)) + weights.log()
        ll = torch.logsumexp(log_p, dim=1).sum()
        resp = torch.softmax(log_p, dim=1)
        nk = resp.sum(0)
        weights = nk / n
        means = (resp.T @ X) / nk.unsqueeze(1)
        var = (resp.T @ X.pow(2)) / nk.unsqueeze(1) - means.pow(2) + 1e-6
        history.append(ll.item())
        if ll - prev < 1e-5:
            break
        prev = ll
    return weights, means, var, history


w, mu, var, hist = gmm_em(X, 4)
print("gmm iters", len(hist), "ll", [round(h, 3) for h in hist[:4]], round(hist[-1], 4),
      "monotone", all(b >= a - 1e-3 for a, b in zip(hist, hist[1:])))
print("weights", r(w), "var", r(var, 8, 4))


# -- t-SNE ------------------------------------------------------------------------------------------------
def binary_search_perplexity(D, perplexity, steps=50):
    n = D.shape[0]
    target = math.log(perplexity)
    lo = torch.full((n,), 1e-10, dtype=torch.float64)
    hi = torch.full((n,), 1e10, dtype=torch.float64)
    beta = torch.ones(n, dtype=torch.float64)
    mask = ~torch.eye(n, dtype=torch.bool)
    for _ in range(steps):
        logits = -D * beta.unsqueeze(1)
        logits = logits.masked_fill(~mask, -math.inf)
        P = torch.softmax(logits, dim=1)
        H = -(P * torch.log(P.clamp_min(1e-300))).sum(1)
        too_flat = H > target
        lo = torch.where(too_flat, beta, lo)
        hi = torch.where(too_flat, hi, beta)
        beta = torch.where(hi < 1e10, (lo + hi) / 2, beta * 2)
    return P, beta


D = torch.cdist(X.double(), X.double()).pow(2)
P_cond, beta = binary_search_perplexity(D, 15.0)
P = (P_cond + P_cond.T) / (2 * P_cond.shape[0])
print("perplexity betas", r(beta, 4, 4), "P sum", round(P.sum().item(), 6))
# (in float64, as sklearn's: the first steps at lr 100 amplify float32's last bits)
Y = (torch.randn(120, 2, dtype=torch.float64) * 1e-2).requires_grad_()
opt = torch.optim.SGD([Y], lr=100.0, momentum=0.5)
for step in range(120):
    exaggeration = 4.0 if step < 40 else 1.0
    if step == 40:
        for g in opt.param_groups:
            g["momentum"] = 0.8
    num = 1.0 / (1.0 + torch.cdist(Y, Y).pow(2))
    num = num * (1 - torch.eye(120, dtype=torch.float64))
    Q = num / num.sum()
    kl = (exaggeration * P * (torch.log((exaggeration * P).clamp_min(1e-12)) - torch.log(Q.clamp_min(1e-12)))).sum()
    opt.zero_grad()
    kl.backward()
    opt.step()
    if step % 30 == 0 or step == 119:
        print(f"tsne step {step} kl {kl.item():.5f} spread {Y.detach().std(0).mean().item():.5f}")
emb = Y.detach().float()
emb_assign = lloyd(emb, kmeans_pp(emb, 4, torch.Generator().manual_seed(5)))[1]


# -- UMAP-style fuzzy graph ------------------------------------------------------------------------------
k = 10
dist = torch.cdist(X, X)
knn_d, knn_i = dist.topk(k + 1, largest=False)
knn_d, knn_i = knn_d[:, 1:], knn_i[:, 1:]
rho = knn_d[:, 0]
target = math.log2(k)
lo, hi = torch.zeros(120), torch.full((120,), float("inf"))
sigma = torch.ones(120)
for _ in range(64):
    psum = torch.exp(-(knn_d - rho.unsqueeze(1)).clamp_min(0) / sigma.unsqueeze(1)).sum(1)
    big = psum > target
    hi = torch.where(big, sigma, hi)
    lo = torch.where(big, lo, sigma)
    sigma = torch.where(torch.isinf(hi), sigma * 2, (lo + hi) / 2)
W = torch.zeros(120, 120).scatter_(1, knn_i, torch.exp(-(knn_d - rho.unsqueeze(1)).clamp_min(0) / sigma.unsqueeze(1)))
fuzzy = W + W.T - W * W.T
print("umap sigmas", r(sigma, 4), "graph", round(fuzzy.sum().item(), 4), "nnz", int((fuzzy > 0).sum()))


# -- spectral clustering ---------------------------------------------------------------------------------
deg = fuzzy.sum(1)
Dm = deg.rsqrt()
L = torch.eye(120) - Dm.unsqueeze(1) * fuzzy * Dm.unsqueeze(0)
evals, evecs = torch.linalg.eigh(L)
print("laplacian smallest", r(evals, 6, 4))
U = F.normalize(evecs[:, :4], dim=1)
spec_assign = lloyd(U, kmeans_pp(U, 4, torch.Generator().manual_seed(11)))[1]


# -- scores -------------------------------------------------------------------------------------------------
def silhouette(X, labels):
    d = torch.cdist(X, X)
    k = int(labels.max()) + 1
    onehot = F.one_hot(labels, k).float()
    sums = d @ onehot
    counts = onehot.sum(0)
    own = counts[labels]
    a = sums.gather(1, labels.unsqueeze(1)).squeeze(1) / (own - 1).clamp_min(1)
    other = (sums / counts).masked_fill(onehot.bool(), float("inf"))
    b = other.min(1).values
    s = torch.where(own > 1, (b - a) / torch.maximum(a, b), torch.zeros_like(a))
    return s.mean()


def adjusted_rand(a, b):
    table = torch.zeros(int(a.max()) + 1, int(b.max()) + 1).index_put_((a, b), torch.ones(a.numel()),
                                                                        accumulate=True)
    comb = lambda t: (t * (t - 1) / 2).sum()  # noqa: E731
    idx = comb(table)
    ai, bj, n = comb(table.sum(1)), comb(table.sum(0)), comb(torch.tensor(float(a.numel())))
    expected = ai * bj / n
    return (idx - expected) / ((ai + bj) / 2 - expected)


for name, lab in (("kmeans", assign), ("kmeans bad", assign_bad), ("tsne+kmeans", emb_assign),
                  ("spectral", spec_assign), ("gmm", torch.softmax(Independent(Normal(mu, var.sqrt()), 1).log_prob(
                      X.unsqueeze(1)) + w.log(), 1).argmax(1))):
    print(f"{name}: silhouette {silhouette(X, lab).item():.5f} ARI {adjusted_rand(labels_true, lab).item():.5f}")
