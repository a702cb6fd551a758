"""torch.distributions beyond Normal, as Pyro-free probabilistic-programming tutorials use it: Dirichlet,
Beta, Gamma (log_prob, entropy, moments, cdf where there is one, rsample's reparameterised gradient checked
by shapes and finiteness), MixtureSameFamily of Normals and of Independent Normals (log_prob, mean,
variance, cdf, sample shapes), TransformedDistribution chains (LogNormal by hand, a Kumaraswamy-like
Sigmoid chain, StickBreakingTransform onto the simplex, their log_abs_det_jacobian and inverses),
kl_divergence across the registered pairs (and the NotImplementedError for one that is not), Independent's
reinterpreted batch dims, LowRankMultivariateNormal vs MultivariateNormal, validate_args' errors, and a
variational fit of a Beta posterior by the reparameterised ELBO with Adam."""
import math

import torch
import torch.distributions as D
from torch.distributions import constraints, transforms as T

torch.manual_seed(0)


def r(t, k=5):
    if isinstance(t, torch.Tensor):
        return [round(v, 5) for v in t.detach().reshape(-1)[:k].tolist()]
    return round(float(t), 5)


conc = torch.tensor([[0.5, 1.5, 3.0], [2.0, 2.0, 2.0]])
dists = {
    "Dirichlet": (D.Dirichlet(conc), torch.tensor([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])),
    "Beta": (D.Beta(torch.tensor([0.5, 2.0, 5.0]), torch.tensor([0.5, 3.0, 1.0])), torch.tensor([0.1, 0.5, 0.97])),
    "Gamma": (D.Gamma(torch.tensor([0.5, 2.0, 9.0]), torch.tensor([1.0, 0.5, 3.0])), torch.tensor([0.3, 4.0, 2.5])),
    "Chi2": (D.Chi2(torch.tensor([1.0, 3.0, 7.5])), torch.tensor([0.3, 4.0, 2.5])),
    "Exponential": (D.Exponential(torch.tensor([0.5, 2.0])), torch.tensor([1.0, 0.25])),
    "Laplace": (D.Laplace(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 0.3])), torch.tensor([-0.5, 1.2])),
    "StudentT": (D.StudentT(torch.tensor([2.5, 30.0]), torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])),
                 torch.tensor([0.7, -1.0])),
    "Cauchy": (D.Cauchy(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 0.5])), torch.tensor([0.7, -1.0])),
    "Gumbel": (D.Gumbel(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 0.5])), torch.tensor([0.7, -1.0])),
    "Weibull": (D.Weibull(torch.tensor([1.0, 2.0]), torch.tensor([0.5, 3.0])), torch.tensor([0.7, 1.5])),
    "Pareto": (D.Pareto(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 1.5])), torch.tensor([1.7, 2.5])),
    "HalfNormal": (D.HalfNormal(torch.tensor([1.0, 2.0])), torch.tensor([0.7, 2.5])),
    "HalfCauchy": (D.HalfCauchy(torch.tensor([1.0, 2.0])), torch.tensor([0.7, 2.5])),
    "LogNormal": (D.LogNormal(torch.tensor([0.0, 1.0]), torch.tensor([0.5, 1.0])), torch.tensor([0.7, 2.5])),
    "Kumaraswamy": (D.Kumaraswamy(torch.tensor([0.5, 2.0]), torch.tensor([2.0, 3.0])), torch.tensor([0.3, 0.6])),
    "VonMises": (D.VonMises(torch.tensor([0.0, 1.0]), torch.tensor([0.5, 4.0])), torch.tensor([0.3, 2.0])),
    "Uniform": (D.Uniform(torch.tensor([0.0, -1.0]), torch.tensor([2.0, 1.0])), torch.tensor([0.3, 0.9])),
    "Poisson": (D.Poisson(torch.tensor([0.5, 4.0, 20.0])), torch.tensor([0.0, 3.0, 25.0])),
    "Binomial": (D.Binomial(10, torch.tensor([0.2, 0.7])), torch.tensor([3.0, 10.0])),
    "NegativeBinomial": (D.NegativeBinomial(torch.tensor([3.0, 5.5]), torch.tensor([0.4, 0.8])),
                         torch.tensor([2.0, 11.0])),
    "Geometric": (D.Geometric(torch.tensor([0.3, 0.9])), torch.tensor([0.0, 4.0])),
    "Multinomial": (D.Multinomial(6, torch.tensor([0.2, 0.3, 0.5])), torch.tensor([1.0, 2.0, 3.0])),
    "ContinuousBernoulli": (D.ContinuousBernoulli(torch.tensor([0.2, 0.5, 0.9])), torch.tensor([0.1, 0.5, 0.7])),
    "Wishart": (D.Wishart(torch.tensor(4.0), torch.eye(2) * 2), torch.tensor([[3.0, 0.5], [0.5, 2.0]])),
    "LKJCholesky": (D.LKJCholesky(3, torch.tensor(2.0)), torch.linalg.cholesky(
        torch.tensor([[1.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 1.0]]))),
}
for name, (d, x) in dists.items():
    print(f"{name}: batch={tuple(d.batch_shape)} event={tuple(d.event_shape)} log_prob={r(d.log_prob(x))}")
    # (torch's Kumaraswamy.mode takes log1p(-concentration0): nan above 1; pyfront gives the true mode)
    for attr in ("mean", "variance", "stddev") if name == "Kumaraswamy" else ("mean", "mode", "variance", "stddev"):
        try:
            print(f"   {attr}", r(getattr(d, attr)))
        except NotImplementedError as e:
            print(f"   {attr} NotImplementedError", e)
    for meth in ("entropy", "cdf", "icdf"):
        try:
            arg = () if meth == "entropy" else (x if meth == "cdf" else torch.full(d.batch_shape, 0.3),)
            print(f"   {meth}", r(getattr(d, meth)(*arg)))
        except NotImplementedError:
            print(f"   {meth} NotImplementedError")
    s = d.sample((4,))
    print("   sample shape", tuple(s.shape), "support ok", bool(d.support.check(s).all()))
    print("   has_rsample", d.has_rsample, "support", type(d.support).__name__)

# rsample gradients flow (values come from a C++ generator, so only shapes and finiteness are printed)
a = torch.tensor([0.7, 2.0], requires_grad=True)
b = torch.tensor([1.5, 0.5], requires_grad=True)
for d in (D.Beta(a, b), D.Gamma(a, b), D.Dirichlet(torch.stack([a, b], 1))):
    s = d.rsample((3,))
    s.sum().backward()
    print(type(d).__name__, "rsample", tuple(s.shape), "grads finite", bool(a.grad.isfinite().all()),
          bool(b.grad.isfinite().all()))
    a.grad = b.grad = None

torch.manual_seed(1)  # sampling above drew from generators torch keeps in C++

# -- mixtures ---------------------------------------------------------------------------------------------
mix = D.Categorical(logits=torch.tensor([0.1, -0.5, 1.0]))
comp = D.Normal(torch.tensor([-2.0, 0.0, 3.0]), torch.tensor([0.5, 1.0, 0.7]))
gmm = D.MixtureSameFamily(mix, comp)
xs = torch.linspace(-4, 5, 7)
print("gmm log_prob", r(gmm.log_prob(xs), 7), "cdf", r(gmm.cdf(xs), 7))
print("gmm mean/var", r(gmm.mean), r(gmm.variance), "sample", tuple(gmm.sample((5, 2)).shape))
print(gmm)
torch.manual_seed(2)
comp2 = D.Independent(D.Normal(torch.randn(4, 3, 2), torch.rand(4, 3, 2) + 0.3), 1)
gmm2 = D.MixtureSameFamily(D.Categorical(torch.softmax(torch.randn(4, 3), -1)), comp2)
pts = torch.randn(5, 4, 2)
print("gmm2 batch", tuple(gmm2.batch_shape), tuple(gmm2.event_shape), r(gmm2.log_prob(pts), 6))
print("gmm2 mean", r(gmm2.mean, 6), "var", r(gmm2.variance, 6))

# -- transforms -------------------------------------------------------------------------------------------
base = D.Normal(torch.zeros(3), torch.ones(3))
lognormal = D.TransformedDistribution(base, [T.ExpTransform()])
y = torch.tensor([0.5, 1.0, 3.0])
print("lognormal by hand", r(lognormal.log_prob(y)), r(D.LogNormal(0.0, 1.0).log_prob(y)))
chain = D.TransformedDistribution(D.Normal(torch.tensor(0.3), torch.tensor(1.2)),
                                  [T.AffineTransform(0.5, 2.0), T.SigmoidTransform()])
u = torch.tensor([0.1, 0.5, 0.93])
print("sigmoid chain", r(chain.log_prob(u)), "cdf", r(chain.cdf(u)), "icdf", r(chain.icdf(u)))
sb = T.StickBreakingTransform()
z = torch.tensor([[0.3, -1.0, 2.0], [0.0, 0.0, 0.0]])
simp = sb(z)
print("stick-breaking", r(simp, 8), "sums", r(simp.sum(-1)), "inv", r(sb.inv(simp), 6),
      "ladj", r(sb.log_abs_det_jacobian(z, simp)))
for t in (T.TanhTransform(cache_size=1), T.PowerTransform(torch.tensor(2.5)), T.SoftmaxTransform(),
          T.SoftplusTransform(), T.AbsTransform(), T.CumulativeDistributionTransform(D.Normal(0.0, 1.0)),
          T.ComposeTransform([T.AffineTransform(1.0, 3.0), T.ExpTransform()]),
          T.ExpTransform().inv, T.ReshapeTransform((2, 3), (6,)),
          T.IndependentTransform(T.ExpTransform(), 1)):
    xin = torch.tensor([[0.2, 0.4, 1.1], [0.05, 0.9, 0.3]])
    yout = t(xin)
    try:
        ladj = r(t.log_abs_det_jacobian(xin, yout), 6)
    except NotImplementedError:
        ladj = "NotImplementedError"
    print(f"{t}: {r(yout, 6)} ladj {ladj} bijective {t.bijective} sign",
          t.sign if t.bijective and not isinstance(t, (T.SoftmaxTransform, T.ReshapeTransform,
                                                      T.IndependentTransform)) else "-")
print(constraints.simplex.check(simp).tolist(), constraints.unit_interval.check(u).tolist(),
      constraints.positive_definite.check(torch.eye(2)).item(), D.biject_to(constraints.simplex))

# -- kl divergences ---------------------------------------------------------------------------------------
pairs = [
    (D.Dirichlet(conc), D.Dirichlet(conc.flip(-1))),
    (D.Beta(2.0, 3.0), D.Beta(1.0, 1.5)),
    (D.Gamma(2.0, 3.0), D.Gamma(1.0, 1.5)),
    (D.Exponential(2.0), D.Gamma(1.5, 1.0)),
    (D.Laplace(0.0, 1.0), D.Laplace(1.0, 2.0)),
    (D.Poisson(3.0), D.Poisson(1.5)),
    (D.Binomial(5, torch.tensor(0.3)), D.Binomial(5, torch.tensor(0.6))),
    (D.Geometric(0.3), D.Geometric(0.6)),
    (D.Bernoulli(0.3), D.Bernoulli(0.6)),
    (D.Categorical(torch.tensor([0.2, 0.8])), D.Categorical(torch.tensor([0.5, 0.5]))),
    (D.Uniform(0.0, 1.0), D.Normal(0.0, 1.0)),
    (D.Normal(0.0, 1.0), D.Laplace(0.0, 1.0)),
    (D.Beta(2.0, 3.0), D.Uniform(0.0, 1.0)),
    (D.Gumbel(0.0, 1.0), D.Gumbel(1.0, 2.0)),
    (D.Independent(D.Normal(torch.zeros(3), torch.ones(3)), 1),
     D.Independent(D.Normal(torch.ones(3), 2 * torch.ones(3)), 1)),
    (D.MultivariateNormal(torch.zeros(2), torch.tensor([[2.0, 0.3], [0.3, 1.0]])),
     D.LowRankMultivariateNormal(torch.ones(2), torch.tensor([[1.0], [0.5]]), torch.tensor([0.5, 0.7]))),
    (D.ContinuousBernoulli(0.3), D.ContinuousBernoulli(0.8)),
    (D.HalfNormal(1.0), D.HalfNormal(2.0)),
    (D.Pareto(1.0, 3.0), D.Pareto(1.0, 2.0)),
    (D.OneHotCategorical(torch.tensor([0.2, 0.8])), D.OneHotCategorical(torch.tensor([0.5, 0.5]))),
    (D.TransformedDistribution(D.Normal(0.0, 1.0), [T.ExpTransform()]),
     D.TransformedDistribution(D.Normal(1.0, 2.0), [T.ExpTransform()])),
    (D.StudentT(3.0), D.Normal(0.0, 1.0)),
]
for p, q in pairs:
    try:
        print("kl", type(p).__name__, type(q).__name__, r(D.kl_divergence(p, q)))
    except NotImplementedError as e:
        print("kl", type(p).__name__, type(q).__name__, "NotImplementedError", e)

torch.manual_seed(3)

# -- Independent / low-rank -------------------------------------------------------------------------------
ind = D.Independent(D.Bernoulli(probs=torch.rand(4, 5)), 1)
print(ind, ind.log_prob(torch.ones(4, 5)).shape, r(ind.entropy()))
W = torch.randn(4, 2)
diag = torch.rand(4) + 0.5
lr = D.LowRankMultivariateNormal(torch.zeros(4), W, diag)
full = D.MultivariateNormal(torch.zeros(4), covariance_matrix=W @ W.T + torch.diag(diag))
v = torch.randn(3, 4)
print("lowrank vs full", r(lr.log_prob(v)), r(full.log_prob(v)), r(lr.entropy()), r(full.entropy()))
print("precision form", r(D.MultivariateNormal(torch.zeros(4), precision_matrix=torch.linalg.inv(
    full.covariance_matrix)).log_prob(v)), r(lr.precision_matrix.diagonal(), 4))

# -- validation errors ------------------------------------------------------------------------------------
for bad in (lambda: D.Beta(torch.tensor([-1.0]), torch.tensor([1.0])),
            lambda: D.Dirichlet(torch.tensor(1.0)),
            lambda: D.Beta(2.0, 2.0, validate_args=True).log_prob(torch.tensor(1.5)),
            lambda: D.Categorical(torch.tensor([0.2, 0.8])).log_prob(torch.tensor(2)),
            lambda: D.Poisson(2.0).log_prob(torch.tensor(1.5)),
            lambda: D.MixtureSameFamily(D.Categorical(torch.ones(3)), D.Normal(torch.zeros(2), torch.ones(2))),
            lambda: D.kl_divergence(D.Beta(2.0, 2.0), D.Dirichlet(torch.ones(2))),
            lambda: D.Gamma(2.0, 1.0).icdf(torch.tensor(0.5))):
    try:
        bad()
        print("no error")
    except Exception as e:  # noqa: BLE001
        print(type(e).__name__, (str(e).splitlines() or [""])[0][:200])

torch.manual_seed(4)

# -- variational Beta posterior ---------------------------------------------------------------------------
flips = (torch.rand(40) < 0.7).float()
log_a = torch.zeros((), requires_grad=True)
log_b = torch.zeros((), requires_grad=True)
opt = torch.optim.Adam([log_a, log_b], lr=0.1)
prior = D.Beta(2.0, 2.0)
for step in range(60):
    q = D.Beta(log_a.exp(), log_b.exp())
    # analytic ELBO: E_q[log lik] in closed form through digammas, minus KL(q || prior)
    e_log_p = torch.digamma(q.concentration1) - torch.digamma(q.concentration1 + q.concentration0)
    e_log_1mp = torch.digamma(q.concentration0) - torch.digamma(q.concentration1 + q.concentration0)
    elbo = flips.sum() * e_log_p + (1 - flips).sum() * e_log_1mp - D.kl_divergence(q, prior)
    opt.zero_grad()
    (-elbo).backward()
    opt.step()
    if step % 15 == 0:
        print(f"step {step} elbo {elbo.item():.5f} a {log_a.exp().item():.5f} b {log_b.exp().item():.5f}")
print("posterior mean", r(q.mean), "exact", r((2 + flips.sum()) / (4 + 40)))
