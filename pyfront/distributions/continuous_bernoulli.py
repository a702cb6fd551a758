"""ContinuousBernoulli(probs | logits), as ``torch.distributions.ContinuousBernoulli``: the density on
[0, 1] proportional to ``λ^x (1 - λ)^(1 - x)`` (Loaiza-Ganem and Cunningham, "The continuous Bernoulli",
2019)."""

from __future__ import annotations

import math

from ..ops.creation import rand
from ..ops.primitives.elementwise import where
from ..shape import Size
from . import constraints
from .exp_family import ExponentialFamily
from .utils import BinaryParam, broadcast_all, clamp_probs, lazy_property, logits_to_probs

# Near λ = 1/2 the closed forms divide 0 by 0; inside this window their Taylor series in (λ - 1/2) take
# over (the window PyTorch uses: its series' next terms are below 1e-12 there).
_WINDOW = (0.499, 0.501)


class ContinuousBernoulli(BinaryParam, ExponentialFamily):
    """The continuous Bernoulli with shape ``probs`` (λ, clamped inside (0, 1) by the dtype's eps) or
    ``logits``; has rsample (through the icdf), cdf and icdf.

    Raises ValueError when both or neither of probs and logits is given, and, as torch, checks ``probs``
    before clamping it whenever ``validate_args`` is given (True or False): "The parameter probs has
    invalid values"."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, probs=None, logits=None, lims=_WINDOW, validate_args=None):
        if probs is not None and logits is None:
            (given,) = broadcast_all(probs)
            if validate_args is not None and not bool(self.arg_constraints["probs"].check(given).all()):
                raise ValueError("The parameter probs has invalid values")
            probs = clamp_probs(given)
        param, _ = self._set_binary_param(probs, logits)
        self._lims = lims
        super().__init__(param.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._expanded(ContinuousBernoulli, batch_shape, _instance, "probs", "logits")
        new._lims = self._lims
        return new

    @lazy_property
    def probs(self):
        return clamp_probs(logits_to_probs(self.logits, is_binary=True))

    def _stable(self):
        """Where λ is outside the window, and λ there (1/4 inside, where the closed forms are unused,
        so that their gradients stay finite)."""
        p = self.probs
        outside = (p <= self._lims[0]) | (p > self._lims[1])
        return outside, where(outside, p, 0.25), p - 0.5

    def _log_norm_constant(self):
        """``log C(λ)``, ``C = 2 atanh(1 - 2λ) / (1 - 2λ)`` = ``log((1 - λ) / λ) / (1 - 2λ)``."""
        outside, p, x = self._stable()
        closed = ((-p).log1p() - p.log()).abs().log() - (1 - 2 * p).abs().log()
        x2 = x * x
        return where(outside, closed, math.log(2.0) + (4 / 3 + 104 / 45 * x2) * x2)

    @property
    def mean(self):
        outside, p, x = self._stable()
        closed = p / (2 * p - 1) + 1 / ((-p).log1p() - p.log())
        return where(outside, closed, 0.5 + (1 / 3 + 16 / 45 * x * x) * x)

    @property
    def variance(self):
        outside, p, x = self._stable()
        closed = p * (p - 1) / (1 - 2 * p).pow(2) + 1 / ((-p).log1p() - p.log()).pow(2)
        x2 = x * x
        return where(outside, closed, 1 / 12 - (1 / 15 - 128 / 945 * x2) * x2)

    @property
    def stddev(self):
        return self.variance.sqrt()

    def rsample(self, sample_shape=Size()):
        shape = self._extended_shape(sample_shape)
        return self.icdf(rand(shape, dtype=self.probs.dtype, device=self.probs.device))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        # x log λ + (1 - x) log(1 - λ), as torch: minus the cross-entropy with logits (its form gives an
        # infinite logit torch's -inf at +inf and NaN at -inf; x * logits - softplus(logits) swapped them)
        from ..nn.functional import binary_cross_entropy_with_logits

        return -binary_cross_entropy_with_logits(logits, value, reduction="none") + self._log_norm_constant()

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        outside, p, _ = self._stable()
        closed = (p.pow(value) * (1 - p).pow(1 - value) + p - 1) / (2 * p - 1)
        inside = where(outside, closed, value)
        return where(value <= 0, 0.0, where(value >= 1, 1.0, inside))

    def icdf(self, value):
        outside, p, _ = self._stable()
        closed = ((-p + value * (2 * p - 1)).log1p() - (-p).log1p()) / (p.log() - (-p).log1p())
        return where(outside, closed, value)

    def entropy(self):
        log_q, log_p = (-self.probs).log1p(), self.probs.log()
        return self.mean * (log_q - log_p) - self._log_norm_constant() - log_q
