"""The rarer torch.distributions as probabilistic-modelling code uses them (Pyro-style models, topic models,
directional statistics, LKJ priors for covariance): Dirichlet (LDA's topic proportions), VonMises (angles),
LKJCholesky (a correlation prior), Kumaraswamy and ContinuousBernoulli (VAEs on [0, 1] data), Beta, Gamma,
Chi2, StudentT, Pareto, Weibull, HalfCauchy, HalfNormal, LogNormal, Gumbel, Laplace, Binomial,
NegativeBinomial, Geometric, Poisson, Multinomial, LowRankMultivariateNormal, RelaxedBernoulli and
RelaxedOneHotCategorical; each one's log_prob, mean, variance, entropy, cdf/icdf where it has them, support
checks under validate_args, and the transforms/constraints registry (biject_to, transform_to)."""
import math

import torch
from torch import distributions as D
from torch.distributions import constraints, transforms

torch.manual_seed(0)


def show(name, d, value):
    parts = [f"{name:24s} lp {d.log_prob(value).sum().item():+.6f}"]
    for attr in ("mean", "variance", "mode"):
        try:
            parts.append(f"{attr} {getattr(d, attr).sum().item():+.6f}")
        except (NotImplementedError, AttributeError):
            parts.append(f"{attr} -")
    try:
        parts.append(f"H {d.entropy().sum().item():+.6f}")
    except NotImplementedError:
        parts.append("H -")
    print(" ".join(parts), tuple(d.batch_shape), tuple(d.event_shape))


alpha = torch.tensor([[0.5, 1.0, 2.0], [3.0, 3.0, 3.0]])
show("Dirichlet", D.Dirichlet(alpha), torch.tensor([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]))
show("VonMises", D.VonMises(torch.tensor([0.0, 1.0]), torch.tensor([0.5, 4.0])), torch.tensor([0.3, -2.0]))
lkj = D.LKJCholesky(3, concentration=torch.tensor(2.0))
L = torch.linalg.cholesky(torch.tensor([[1.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 1.0]]))
print("LKJCholesky lp", round(lkj.log_prob(L).item(), 6), lkj.event_shape, lkj.support)
show("Kumaraswamy", D.Kumaraswamy(torch.tensor([2.0, 0.7]), torch.tensor([3.0, 1.5])), torch.tensor([0.4, 0.9]))
show("ContinuousBernoulli", D.ContinuousBernoulli(probs=torch.tensor([0.2, 0.5, 0.9])),
     torch.tensor([0.1, 0.5, 0.7]))
show("Beta", D.Beta(torch.tensor([0.5, 2.0]), torch.tensor([0.5, 5.0])), torch.tensor([0.3, 0.2]))
show("Gamma", D.Gamma(torch.tensor([0.5, 3.0]), torch.tensor([1.0, 2.0])), torch.tensor([0.4, 1.7]))
show("Chi2", D.Chi2(torch.tensor([1.0, 4.0])), torch.tensor([0.5, 3.0]))
show("StudentT", D.StudentT(torch.tensor([1.0, 3.0, 30.0]), 0.5, 2.0), torch.tensor([0.0, 1.0, -3.0]))
show("Pareto", D.Pareto(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 1.5])), torch.tensor([1.5, 4.0]))
show("Weibull", D.Weibull(torch.tensor([1.0, 2.0]), torch.tensor([0.5, 3.0])), torch.tensor([0.7, 1.2]))
show("HalfCauchy", D.HalfCauchy(torch.tensor([1.0, 2.5])), torch.tensor([0.5, 3.0]))
show("HalfNormal", D.HalfNormal(torch.tensor([1.0, 2.5])), torch.tensor([0.5, 3.0]))
show("LogNormal", D.LogNormal(torch.tensor([0.0, 1.0]), torch.tensor([0.5, 1.5])), torch.tensor([0.5, 3.0]))
show("Gumbel", D.Gumbel(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])), torch.tensor([0.5, -1.0]))
show("Laplace", D.Laplace(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])), torch.tensor([0.5, -1.0]))
show("Binomial", D.Binomial(10, probs=torch.tensor([0.2, 0.7])), torch.tensor([3.0, 7.0]))
show("NegativeBinomial", D.NegativeBinomial(torch.tensor([3.0, 5.5]), probs=torch.tensor([0.4, 0.7])),
     torch.tensor([2.0, 10.0]))
show("Geometric", D.Geometric(probs=torch.tensor([0.3, 0.9])), torch.tensor([2.0, 0.0]))
show("Poisson", D.Poisson(torch.tensor([0.5, 4.0])), torch.tensor([0.0, 6.0]))
show("Multinomial", D.Multinomial(8, probs=torch.tensor([0.2, 0.3, 0.5])), torch.tensor([1.0, 3.0, 4.0]))
lr = D.LowRankMultivariateNormal(torch.zeros(3), cov_factor=torch.tensor([[1.0], [0.5], [-0.3]]),
                                 cov_diag=torch.tensor([0.5, 1.0, 2.0]))
show("LowRankMVN", lr, torch.tensor([0.3, -0.2, 1.0]))
print("LowRankMVN cov", [round(v, 6) for v in lr.covariance_matrix.flatten().tolist()])

for name, d in [("Laplace", D.Laplace(0.0, 2.0)), ("Gumbel", D.Gumbel(1.0, 2.0)), ("Exponential", D.Exponential(3.0)),
                ("Cauchy", D.Cauchy(0.0, 1.0)), ("Uniform", D.Uniform(-1.0, 3.0)), ("Normal", D.Normal(1.0, 2.0)),
                ("HalfNormal", D.HalfNormal(2.0)), ("ContinuousBernoulli", D.ContinuousBernoulli(0.3)),
                ("Kumaraswamy", D.Kumaraswamy(2.0, 3.0)), ("Pareto", D.Pareto(1.0, 2.0)), ("Weibull", D.Weibull(1.0, 2.0))]:
    q = torch.tensor([0.1, 0.5, 0.9])
    try:
        icdf = d.icdf(q)
        print(f"{name:20s} icdf {[round(v, 6) for v in icdf.tolist()]} cdf {[round(v, 6) for v in d.cdf(icdf).tolist()]}")
    except NotImplementedError:
        print(f"{name:20s} icdf -")

# reparameterised samples: rsample through uniform/normal draws (shared stream)
for name, d in [("Kumaraswamy", D.Kumaraswamy(torch.tensor(2.0), torch.tensor(3.0))),
                ("RelaxedBernoulli", D.RelaxedBernoulli(torch.tensor(0.5), probs=torch.tensor([0.1, 0.9]))),
                ("RelaxedOneHot", D.RelaxedOneHotCategorical(torch.tensor(0.7), logits=torch.tensor([0.0, 1.0, 2.0]))),
                ("Weibull", D.Weibull(torch.tensor(1.0), torch.tensor(2.0))), ("Gumbel", D.Gumbel(0.0, 1.0)),
                ("LowRankMVN", lr), ("Laplace", D.Laplace(0.0, 1.0)), ("Cauchy", D.Cauchy(0.0, 1.0))]:
    s = d.rsample((2,))
    print(f"rsample {name:16s} {tuple(s.shape)} {[round(v, 5) for v in s.flatten().tolist()]}",
          round(d.log_prob(s).sum().item(), 5))

# support checks
print("validate")
for name, fn in [("Dirichlet off simplex", lambda: D.Dirichlet(alpha[0], validate_args=True).log_prob(torch.tensor([0.5, 0.5, 0.5]))),
                 ("Beta at 1.5", lambda: D.Beta(2.0, 2.0, validate_args=True).log_prob(torch.tensor(1.5))),
                 ("Gamma negative rate", lambda: D.Gamma(1.0, -1.0, validate_args=True)),
                 ("Binomial 2.5", lambda: D.Binomial(5, 0.5, validate_args=True).log_prob(torch.tensor(2.5))),
                 ("VonMises kappa 0", lambda: D.VonMises(0.0, 0.0, validate_args=True)),
                 ("LKJ dim 1", lambda: D.LKJCholesky(1, 1.0)),
                 ("Multinomial wrong total", lambda: D.Multinomial(8, probs=torch.tensor([0.5, 0.5]), validate_args=True).log_prob(torch.tensor([3.0, 3.0])))]:
    try:
        fn()
        print(f"  {name}: ok")
    except (ValueError, RuntimeError) as e:
        print(f"  {name}: {type(e).__name__}: {str(e).splitlines()[0][:150]}")

# constraints registry: unconstrained parameters as variational code keeps them
for c in (constraints.positive, constraints.unit_interval, constraints.simplex, constraints.interval(-2.0, 3.0),
          constraints.lower_cholesky, constraints.corr_cholesky, constraints.greater_than(1.0)):
    # (lower_cholesky has no bijection, only transform_to's map)
    t = D.transform_to(c) if c is constraints.lower_cholesky else D.biject_to(c)
    size = 3 if c in (constraints.lower_cholesky, constraints.corr_cholesky) else 4
    raw = torch.linspace(-1.5, 1.5, size * size if c is constraints.lower_cholesky else size if c is not constraints.corr_cholesky else 3)
    raw = raw.reshape(3, 3) if c is constraints.lower_cholesky else raw
    y = t(raw)
    ok = c.check(y).all().item()
    back = t.inv(y)
    try:
        ldj = f"{t.log_abs_det_jacobian(raw, y).sum().item():+.5f}"
    except NotImplementedError:
        ldj = "-"
    print(f"{str(c)[:40]:40s} {type(t).__name__:24s} ok {ok} roundtrip {torch.allclose(back, raw, atol=1e-5)} "
          f"ldj {ldj}")
print(type(D.transform_to(constraints.simplex)).__name__, type(D.biject_to(constraints.simplex)).__name__)
