"""Exact samplers for counts, composed of pyfront ops so that they run on every device. Each element
takes one of two routes, so the work never grows with the rate or the number of trials:

- a small mean (below ``_SMALL_MEAN``) counts events one at a time: Poisson counts unit-rate exponential
  inter-arrival times that fit before ``rate``; Binomial skips from success to success by geometric gaps
  (Devroye 1986, X.4). The loop runs once per event drawn, and with a mean under 10 that is a few dozen
  rounds at most, whatever the tensor's size.
- a large mean uses Hörmann's transformed rejection with squeeze: PTRS for Poisson ("The transformed
  rejection method for generating Poisson random variables", 1993) and BTRS for Binomial ("The generation
  of binomial random variates", 1993). A candidate ``k = floor((2a / (1/2 - |u|) + b) u + c)`` from one
  uniform is accepted by a second against the exact log pmf, about nine times in ten, so every element is
  done after a handful of vectorised rounds.
"""

from __future__ import annotations

import math

from ..autograd import no_grad
from ..ops.creation import empty, rand
from ..ops.primitives.elementwise import where
from .utils import lgamma

_SMALL_MEAN = 10.0  # both rejection samplers' constants are fitted for means of 10 and more
_MAX_ROUNDS = 1000


def _uniform(like, generator):
    return rand(like.shape, generator=generator, dtype=like.dtype, device=like.device)


def _until_accepted(like, propose):
    """Rounds of ``propose() -> (candidate, accepted)`` until every element has an accepted candidate."""
    out, done = like.new_zeros(like.shape), like != like  # all False
    for _ in range(_MAX_ROUNDS):
        k, accept = propose()
        out = where(accept & ~done, k, out)
        done = done | accept
        if bool(done.all()):
            return out
    raise RuntimeError("count sampling did not finish; are the parameters finite?")


def _stirling_error(x):
    """``log Γ(x + 1) - log(sqrt(2π x) (x / e)^x)``: the series 1/12x - 1/360x^3 + 1/1260x^5 from x = 10
    (its next term is below 1e-10), directly from lgamma below (where nothing large cancels)."""
    big = where(x < 10, 10.0, x)
    inv, inv2 = 1 / big, 1 / (big * big)
    series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260))
    small = where(x < 10, x, 1.0)
    direct = lgamma(small + 1) - (small + 0.5) * small.log() + small - 0.5 * math.log(2 * math.pi)
    return where(x < 10, direct, series)


def _deviance(x, mean):
    """``x log(x / mean) + mean - x`` written as ``mean ((1 + t) log1p(t) - t)``, t = x / mean - 1, so that
    nothing of the size of ``mean`` cancels (for x >= 1)."""
    t = (x - mean) / mean
    return mean * ((1 + t) * t.log1p() - t)


# The log pmfs below are Loader's saddle-point form ("Fast and accurate computation of binomial
# probabilities", 2000): small terms only, where ``k log(rate) - rate - lgamma(k + 1)`` would cancel numbers
# near ``k log k`` (1.3e7 at k = 1e6, beyond float32's digits) and bias the acceptance test.


def _poisson_log_pmf(k, lam):
    safe = where(k < 1, 1.0, k)
    saddle = -_deviance(safe, lam) - 0.5 * (2 * math.pi * safe).log() - _stirling_error(safe)
    return where(k < 1, -lam, saddle)  # p(0) = e^-rate; negative k is rejected before this matters


def _binomial_log_pmf(k, n, p):
    """For ``0 <= k <= n`` (other k are rejected before this matters)."""
    safe = where((k < 1) | (k > n - 1), 1.0, k)
    j = n - safe
    saddle = (_stirling_error(n) - _stirling_error(safe) - _stirling_error(j) - _deviance(safe, n * p)
              - _deviance(j, n * (1 - p)) + 0.5 * (n / (2 * math.pi * safe * j)).log())
    return where(k < 1, n * (-p).log1p(), where(k > n - 1, n * p.log(), saddle))


def _poisson_by_arrivals(rate, generator):
    def arrival():
        return empty(rate.shape, dtype=rate.dtype, device=rate.device).exponential_(generator=generator)

    count = rate.new_zeros(rate.shape)
    clock = arrival()
    running = clock < rate
    while bool(running.any()):
        count = count + running.to(rate.dtype)
        clock = clock + arrival()
        running = running & (clock < rate)
    return count


def _poisson_ptrs(lam, generator):
    """PTRS for rates of at least ``_SMALL_MEAN``."""
    root = lam.sqrt()
    b = 0.931 + 2.53 * root
    a = -0.059 + 0.02483 * b
    log_inv_alpha = (1.1239 + 1.1328 / (b - 3.4)).log()
    v_r = 0.9277 - 3.6224 / (b - 2)

    def propose():
        u, v = _uniform(lam, generator) - 0.5, _uniform(lam, generator)
        us = 0.5 - u.abs()
        k = ((2 * a / us + b) * u + lam + 0.43).floor()
        squeezed = (us >= 0.07) & (v <= v_r)  # inside the hat's inner box: no pmf needed
        hat = v.log() + log_inv_alpha - (a / (us * us) + b).log()
        exact = (k >= 0) & ~((us < 0.013) & (v > us)) & (hat <= _poisson_log_pmf(k, lam))
        return k, squeezed | exact

    return _until_accepted(lam, propose)


def poisson_counts(rate, generator=None):
    """Poisson draws of ``rate``'s shape and dtype (no gradient), from ``generator`` (default: the global
    one)."""
    with no_grad():
        small = rate < _SMALL_MEAN
        out = rate.new_zeros(rate.shape)
        if bool(small.any()):
            out = _poisson_by_arrivals(where(small, rate, 0.0), generator)
        large = ~small & (rate == rate)
        if bool(large.any()):
            out = where(large, _poisson_ptrs(where(large, rate, _SMALL_MEAN), generator), out)
        return where(rate == rate, out, rate)  # a nan rate gives nan


def _binomial_by_gaps(n, p, generator):
    """Successes among ``n`` trials, counted by jumping over the failures between them: the gap to the
    next success is Geometric(p), ``ceil(log U / log(1 - p))`` trials."""
    log_q = (-p).log1p()
    count, position = n.new_zeros(n.shape), n.new_zeros(n.shape)
    running = (p > 0) & (n > 0)
    while bool(running.any()):
        gap = (_uniform(p, generator).log() / log_q).ceil().clamp(min=1.0)
        position = position + where(running, gap, 0.0)
        running = running & (position <= n)
        count = count + running.to(n.dtype)
    return count


def _binomial_btrs(n, p, generator):
    """BTRS for ``n * p`` of at least ``_SMALL_MEAN`` and ``p <= 1/2``."""
    q = 1 - p
    spq = (n * p * q).sqrt()
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    v_r = 0.92 - 4.2 / b
    alpha = (2.83 + 5.1 / b) * spq
    m = ((n + 1) * p).floor()
    log_pmf_mode = _binomial_log_pmf(m, n, p)

    def propose():
        u, v = _uniform(p, generator) - 0.5, _uniform(p, generator)
        us = 0.5 - u.abs()
        k = ((2 * a / us + b) * u + c).floor()
        squeezed = (us >= 0.07) & (v <= v_r)
        v_hat = v * alpha / (a / (us * us) + b)
        log_ratio = _binomial_log_pmf(k, n, p) - log_pmf_mode
        inside = (k >= 0) & (k <= n)
        exact = inside & (v_hat.log() <= where(inside, log_ratio, -math.inf))
        return k, squeezed | exact

    return _until_accepted(p, propose)


def binomial_counts(total_count, probs, generator=None):
    """Binomial draws of ``probs``' shape (total_count broadcast to it; no gradient), from ``generator``
    (default: the global one)."""
    with no_grad():
        n = total_count.expand(probs.shape).to(probs.dtype)
        flip = probs > 0.5  # count failures instead, so the rarer outcome is the one drawn
        p = where(flip, 1 - probs, probs)
        small = n * p < _SMALL_MEAN
        out = n.new_zeros(n.shape)
        if bool(small.any()):
            out = _binomial_by_gaps(where(small, n, 0.0), p, generator)
        large = ~small & (p == p)
        if bool(large.any()):
            # outside the large elements the parameters are swapped for harmless ones (n = 20, p = 1/2)
            out = where(large, _binomial_btrs(where(large, n, 20.0), where(large, p, 0.5), generator), out)
        out = where(flip, n - out, out)
        return where(probs == probs, out, probs)
