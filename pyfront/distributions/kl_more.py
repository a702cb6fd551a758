"""The KL divergences torch registers for ContinuousBernoulli and LowRankMultivariateNormal, each from
``E_p[log p - log q]`` in closed form; imported by the package after ``kl`` so the rules are registered
with it."""

from __future__ import annotations

import math

from ..linalg import solve
from ..ops.primitives.elementwise import where
from ..shape import broadcast_shapes
from .beta import Beta
from .continuous_bernoulli import ContinuousBernoulli
from .exponential import Exponential
from .gamma import Gamma
from .gumbel import Gumbel
from .kl import _kl_infinite, _infinite_like, register_kl
from .laplace import Laplace
from .lowrank_multivariate_normal import LowRankMultivariateNormal, _logdet_cov, _mahalanobis
from .multivariate_normal import MultivariateNormal, _batch_mahalanobis
from .normal import Normal
from .pareto import Pareto
from .uniform import Uniform


def _cb_cross_entropy(mean_x, q):
    """``-E[log q(x)]`` for a ContinuousBernoulli q and any law of x on [0, 1] with mean ``mean_x``:
    log q(x) = x logit(λ) + log(1 - λ) + log C(λ) is linear in x."""
    return -mean_x * q.logits - (-q.probs).log1p() - q._log_norm_constant()


@register_kl(ContinuousBernoulli, ContinuousBernoulli)
def _kl_cb_cb(p, q):
    return -p.entropy() + _cb_cross_entropy(p.mean, q)


@register_kl(Beta, ContinuousBernoulli)
def _kl_beta_cb(p, q):
    return -p.entropy() + _cb_cross_entropy(p.mean, q)


@register_kl(Uniform, ContinuousBernoulli)
def _kl_uniform_cb(p, q):
    result = -p.entropy() + _cb_cross_entropy(p.mean, q)
    # torch's test, equality included: a Uniform reaching 0 or 1 gives inf
    return where((p.low <= 0) | (p.high >= 1), math.inf, result)


@register_kl(ContinuousBernoulli, Exponential)
def _kl_cb_exponential(p, q):
    return -p.entropy() - q.rate.log() + q.rate * p.mean


@register_kl(ContinuousBernoulli, Normal)
def _kl_cb_normal(p, q):
    second_moment = p.variance + p.mean.pow(2)
    quadratic = (second_moment - 2 * q.loc * p.mean + q.loc.pow(2)) / (2 * q.scale.pow(2))
    return -p.entropy() + 0.5 * math.log(2 * math.pi) + q.scale.log() + quadratic


@register_kl(ContinuousBernoulli, Uniform)
def _kl_cb_uniform(p, q):
    result = -p.entropy() + (q.high - q.low).log()
    # torch's test, equality included: a Uniform starting at 0 or ending at 1 gives inf
    return where((q.low >= 0) | (q.high <= 1), math.inf, result)


@register_kl(ContinuousBernoulli, Pareto)
def _kl_cb_pareto(p, q):
    # a Pareto's support starts at its (positive) scale; a ContinuousBernoulli has mass all the way to 0
    return _infinite_like(p.probs)


for _p in (Exponential, Gamma, Gumbel, Laplace, Normal, Pareto):
    register_kl(_p, ContinuousBernoulli)(_kl_infinite)  # p has mass outside [0, 1]


# -- low-rank normals: 1/2 (tr(Σq^-1 Σp) + Mahalanobis(μq - μp) - n + log det Σq - log det Σp) ---------
def _check_events(p, q, which):
    if p.event_shape != q.event_shape:
        raise ValueError(
            f"KL-divergence between two {which} with                          "
            "different event shapes cannot be computed"
        )  # the run of spaces is torch's


def _trace_lowrank_inverse(q, factors, diag=None):
    """``tr(Σq^-1 (F F^T + diag(d)))`` for a low-rank q, by Woodbury: Σq^-1 = D^-1 - G^T G with
    ``G = C^-1 W^T D^-1`` (C the capacitance's Cholesky factor)."""
    W, D = q._unbroadcasted_cov_factor, q._unbroadcasted_cov_diag
    G = solve(q._capacitance_tril.tril(), (W / D.unsqueeze(-1)).mT)  # (..., k, n)
    trace = (factors.pow(2).sum(-1) / D).sum(-1) - (G @ factors).pow(2).sum((-2, -1))
    if diag is not None:
        trace = trace + (diag / D).sum(-1) - (G.pow(2) * diag.unsqueeze(-2)).sum((-2, -1))
    return trace


def _trace_tril_inverse(L, factors):
    """``tr(Σq^-1 F F^T) = |L^-1 F|_F^2`` for ``Σq = L L^T``."""
    batch = broadcast_shapes(tuple(L.shape[:-2]), tuple(factors.shape[:-2]))
    n = L.shape[-1]
    return (
        solve(L.tril().expand(batch + (n, n)), factors.expand(batch + tuple(factors.shape[-2:])))
        .pow(2)
        .sum((-2, -1))
    )


def _lowrank_terms(q, diff):
    W, D = q._unbroadcasted_cov_factor, q._unbroadcasted_cov_diag
    return _logdet_cov(W, D, q._capacitance_tril), _mahalanobis(W, D, diff, q._capacitance_tril)


@register_kl(LowRankMultivariateNormal, LowRankMultivariateNormal)
def _kl_lowrank_lowrank(p, q):
    _check_events(p, q, "Low Rank Multivariate Normals")
    logdet_q, maha = _lowrank_terms(q, q.loc - p.loc)
    Wp, Dp = p._unbroadcasted_cov_factor, p._unbroadcasted_cov_diag
    logdet_p = _logdet_cov(Wp, Dp, p._capacitance_tril)
    trace = _trace_lowrank_inverse(q, Wp, Dp)
    return 0.5 * (logdet_q - logdet_p + trace + maha - p.event_shape[0])


@register_kl(MultivariateNormal, LowRankMultivariateNormal)
def _kl_mvn_lowrank(p, q):
    _check_events(p, q, "(Low Rank) Multivariate Normals")
    logdet_q, maha = _lowrank_terms(q, q.loc - p.loc)
    Lp = p._unbroadcasted_scale_tril
    logdet_p = 2 * Lp.diagonal(0, -2, -1).log().sum(-1)
    trace = _trace_lowrank_inverse(q, Lp)
    return 0.5 * (logdet_q - logdet_p + trace + maha - p.event_shape[0])


@register_kl(LowRankMultivariateNormal, MultivariateNormal)
def _kl_lowrank_mvn(p, q):
    _check_events(p, q, "(Low Rank) Multivariate Normals")
    Lq = q._unbroadcasted_scale_tril
    logdet_q = 2 * Lq.diagonal(0, -2, -1).log().sum(-1)
    maha = _batch_mahalanobis(Lq, q.loc - p.loc)
    Wp, Dp = p._unbroadcasted_cov_factor, p._unbroadcasted_cov_diag
    logdet_p = _logdet_cov(Wp, Dp, p._capacitance_tril)
    trace = _trace_tril_inverse(Lq, Wp) + _trace_tril_inverse(Lq, Dp.sqrt().diag_embed())
    return 0.5 * (logdet_q - logdet_p + trace + maha - p.event_shape[0])
