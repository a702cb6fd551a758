"""The KL divergences torch registers for Cauchy, Geometric, Gumbel, HalfNormal, Pareto, Poisson, Binomial
and between two
TransformedDistributions (LogNormal with LogNormal), each from ``E_p[log p - log q]`` worked out in
closed form; imported by the package after ``kl`` so the rules are registered with it."""

from __future__ import annotations

import math

from ..ops.primitives.elementwise import where
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .cauchy import Cauchy
from .exponential import Exponential
from .gamma import Gamma
from .geometric import Geometric
from .gumbel import Gumbel
from .half_normal import HalfNormal
from .kl import _kl_infinite, _kl_normal_normal, kl_divergence, register_kl
from .laplace import Laplace
from .normal import Normal
from .pareto import Pareto
from .poisson import Poisson
from .transformed_distribution import TransformedDistribution
from .uniform import Uniform
from .utils import EULER_GAMMA, lgamma, xlogy


@register_kl(Cauchy, Cauchy)
def _kl_cauchy_cauchy(p, q):
    width = p.scale + q.scale
    return ((width.pow(2) + (p.loc - q.loc).pow(2)) / (4 * p.scale * q.scale)).log()


@register_kl(Geometric, Geometric)
def _kl_geometric_geometric(p, q):
    # E_p[k] = 1/p - 1 failures, each costing log(1 - q) under q, then one success costing log q
    return -p.entropy() - (p.probs.reciprocal() - 1) * (-q.probs).log1p() - q.probs.log()


@register_kl(Poisson, Poisson)
def _kl_poisson_poisson(p, q):
    return xlogy(p.rate, p.rate) - p.rate * q.rate.log() - (p.rate - q.rate)


@register_kl(Bernoulli, Poisson)
def _kl_bernoulli_poisson(p, q):
    # log q(k) = k log λ - λ for k in {0, 1} (log k! is 0 for both)
    return -p.entropy() - p.probs * q.rate.log() + q.rate


@register_kl(Binomial, Binomial)
def _kl_binomial_binomial(p, q):
    # n independent Bernoulli pairs when the counts agree; p reaching past q's count is infinite
    if bool((p.total_count < q.total_count).any()):
        raise NotImplementedError(
            "KL between Binomials where q.total_count > p.total_count is not implemented"
        )
    pp, qp = p.probs, q.probs
    per_trial = xlogy(pp, pp) - pp * qp.log() + xlogy(1 - pp, 1 - pp) - (1 - pp) * (-qp).log1p()
    return where(p.total_count > q.total_count, math.inf, p.total_count * per_trial)


@register_kl(HalfNormal, HalfNormal)
def _kl_halfnormal_halfnormal(p, q):
    return _kl_normal_normal(p.base_dist, q.base_dist)  # folding both at 0 keeps the ratio of densities


@register_kl(TransformedDistribution, TransformedDistribution)
def _kl_transformed_transformed(p, q):
    # one bijection applied to both leaves the divergence of the bases unchanged
    if p.transforms != q.transforms:
        raise NotImplementedError
    if p.event_shape != q.event_shape:
        raise NotImplementedError
    return kl_divergence(p.base_dist, q.base_dist)


# -- a Gumbel q: E_p[log q(x)] = -log b - E_p[z] - E_p[exp(-z)] with z = (x - m) / b ---------------------
def _gumbel_cross(q, mean_x, mean_exp):
    """``-E_p[log q]`` from E_p[x] and E_p[exp(-x / b)] (the latter given without q's exp(m / b))."""
    return q.scale.log() + (mean_x - q.loc) / q.scale + (q.loc / q.scale).exp() * mean_exp


@register_kl(Gumbel, Gumbel)
def _kl_gumbel_gumbel(p, q):
    ratio = p.scale / q.scale
    # E_p[exp(-(x - m) / b)] = exp((m - μ) / b) Γ(1 + β / b)
    mean_exp = ((q.loc - p.loc) / q.scale + lgamma(1 + ratio)).exp()
    shift = (p.loc - q.loc) / q.scale
    return (q.scale / p.scale).log() - 1 - EULER_GAMMA + EULER_GAMMA * ratio + shift + mean_exp


@register_kl(Gumbel, Normal)
def _kl_gumbel_normal(p, q):
    # E_p[(x - m)²] from the Gumbel's mean μ + γβ and variance (πβ)² / 6
    second = (math.pi * p.scale).pow(2) / 6 + (p.loc + EULER_GAMMA * p.scale - q.loc).pow(2)
    return -p.entropy() + 0.5 * math.log(2 * math.pi) + q.scale.log() + second / (2 * q.scale.pow(2))


@register_kl(Normal, Gumbel)
def _kl_normal_gumbel(p, q):
    # a normal's moment generating function: E[exp(-x / b)] = exp(-μ / b + σ² / 2b²)
    mean_exp = (-p.loc / q.scale + 0.5 * (p.scale / q.scale).pow(2)).exp()
    return -p.entropy() + _gumbel_cross(q, p.loc, mean_exp)


@register_kl(Uniform, Gumbel)
def _kl_uniform_gumbel(p, q):
    width = p.high - p.low
    mean_exp = q.scale * ((-p.low / q.scale).exp() - (-p.high / q.scale).exp()) / width
    return -width.log() + _gumbel_cross(q, (p.low + p.high) / 2, mean_exp)


@register_kl(Exponential, Gumbel)
def _kl_exponential_gumbel(p, q):
    mean_exp = p.rate / (p.rate + q.scale.reciprocal())
    return -p.entropy() + _gumbel_cross(q, p.rate.reciprocal(), mean_exp)


@register_kl(Gamma, Gumbel)
def _kl_gamma_gumbel(p, q):
    # the gamma's Laplace transform: E[exp(-x / b)] = (1 + 1 / (b r)) ** -α
    mean_exp = (-p.concentration * (q.scale * p.rate).reciprocal().log1p()).exp()
    return -p.entropy() + _gumbel_cross(q, p.concentration / p.rate, mean_exp)


# -- Pareto: support [scale, inf) ----------------------------------------------------------------------
def _pareto_mean_log(p):
    """E_p[log x] = log scale + 1 / alpha (log(x / scale) is exponential with rate alpha)."""
    return p.scale.log() + p.alpha.reciprocal()


def _pareto_mean(p):
    """E_p[x], infinite for alpha <= 1."""
    return where(p.alpha > 1, p.alpha * p.scale / (p.alpha - 1), math.inf)


@register_kl(Pareto, Pareto)
def _kl_pareto_pareto(p, q):
    kl = (p.alpha / q.alpha).log() + q.alpha * (p.scale / q.scale).log() + q.alpha / p.alpha - 1
    return where(p.scale < q.scale, math.inf, kl)  # p puts mass below q's support


@register_kl(Pareto, Exponential)
def _kl_pareto_exponential(p, q):
    return -p.entropy() - q.rate.log() + q.rate * _pareto_mean(p)


@register_kl(Pareto, Gamma)
def _kl_pareto_gamma(p, q):
    c = q.concentration
    cross = lgamma(c) - c * q.rate.log() - (c - 1) * _pareto_mean_log(p) + q.rate * _pareto_mean(p)
    return -p.entropy() + cross


@register_kl(Pareto, Normal)
def _kl_pareto_normal(p, q):
    a = p.alpha
    variance = where(a > 2, p.scale.pow(2) * a / ((a - 1).pow(2) * (a - 2)), math.inf)
    second = variance + (_pareto_mean(p) - q.loc).pow(2)  # E_p[(x - μ)²]
    return -p.entropy() + 0.5 * math.log(2 * math.pi) + q.scale.log() + second / (2 * q.scale.pow(2))


@register_kl(Uniform, Pareto)
def _kl_uniform_pareto(p, q):
    width = p.high - p.low
    mean_log = (p.high * p.high.log() - p.low * p.low.log() - width) / width  # E_p[log x] on [low, high]
    log_q = q.alpha.log() + q.alpha * q.scale.log() - (q.alpha + 1) * mean_log
    return where(p.low < q.scale, math.inf, -width.log() - log_q)


# p's support reaches where q has no density: the real line, or [0, inf), against [scale, inf) or a
# bounded q; a Pareto's unbounded tail against a bounded q; unbounded counts against bounded ones
for _p, _qs in ((Gumbel, (Beta, Exponential, Gamma, Pareto, Uniform)),
                (Normal, (Pareto,)), (Laplace, (Pareto,)), (Exponential, (Pareto,)), (Gamma, (Pareto,)),
                (Beta, (Pareto,)), (Pareto, (Beta, Uniform)), (Poisson, (Bernoulli, Binomial))):
    for _q in _qs:
        register_kl(_p, _q)(_kl_infinite)
