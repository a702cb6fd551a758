"""GeneralizedPareto(loc, scale, concentration), as ``torch.distributions.GeneralizedPareto``: the law of
exceedances over a high threshold (Pickands 1975)."""

from __future__ import annotations

import math
from numbers import Number

from ..ops.creation import rand
from ..ops.primitives.elementwise import where
from ..shape import Size
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all


class GeneralizedPareto(Distribution):
    """Survival function ``(1 + ξ z)^(-1/ξ)`` of ``z = (x - loc) / scale`` for concentration ξ (``e^-z``
    at ξ = 0, taken as |ξ| <= 1e-8 as torch's isclose does). Support: ``[loc, inf)`` for ξ >= 0,
    ``[loc, loc - scale / ξ]`` for ξ < 0. Reparameterized through the icdf. The mean (ξ >= 1) and variance
    (ξ >= 1/2) that do not exist are nan; log_prob, cdf and icdf are the closed forms wherever evaluated
    (nan outside the support, as torch's)."""

    arg_constraints = {
        "loc": constraints.real,
        "scale": constraints.positive,
        "concentration": constraints.real,
    }
    has_rsample = True

    def __init__(self, loc, scale, concentration, validate_args=None):
        self.loc, self.scale, self.concentration = broadcast_all(loc, scale, concentration)
        scalar = all(isinstance(v, Number) for v in (loc, scale, concentration))
        super().__init__(Size() if scalar else self.loc.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expanded(GeneralizedPareto, batch_shape, _instance, "loc", "scale", "concentration")

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self):
        negative = self.concentration < 0
        upper = where(negative, self.loc - self.scale / where(negative, self.concentration, -1.0), math.inf)
        return constraints.interval(self.loc, upper)

    def _xi(self):
        """ξ = 0 where it counts as zero, and ξ with those places set to 1 (so no branch divides by 0)."""
        zero = self.concentration.abs() <= 1e-8
        return zero, where(zero, 1.0, self.concentration)

    def rsample(self, sample_shape=Size()):
        u = rand(self._extended_shape(sample_shape), dtype=self.loc.dtype, device=self.loc.device)
        return self.icdf(u)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        z = (value - self.loc) / self.scale
        zero, xi = self._xi()
        power = 1 / xi + 1
        # at ξ = -1 the density is flat on its support: the 0 * log(0) at its upper end counts as 0
        tail = where(power == 0, power, power * (xi * z).log1p())
        return -self.scale.log() - where(zero, z, tail)

    def log_survival_function(self, value):
        """``log P(X > value)``."""
        if self._validate_args:
            self._validate_sample(value)
        z = (value - self.loc) / self.scale
        zero, xi = self._xi()
        return where(zero, -z, -(xi * z).log1p() / xi)

    def log_cdf(self, value):
        return (-self.log_survival_function(value).exp()).log1p()

    def cdf(self, value):
        return self.log_cdf(value).exp()

    def icdf(self, value):
        zero, xi = self._xi()
        log_survival = (-value).log1p()
        return where(
            zero,
            self.loc - self.scale * log_survival,
            self.loc + self.scale / xi * (-xi * log_survival).expm1(),
        )

    @property
    def mean(self):
        valid = self.concentration < 1
        xi = where(valid, self.concentration, 0.5)
        return where(valid, self.loc + self.scale / (1 - xi), math.nan)

    @property
    def variance(self):
        valid = self.concentration < 0.5
        xi = where(valid, self.concentration, 0.25)
        return where(valid, self.scale.pow(2) / ((1 - xi).pow(2) * (1 - 2 * xi)), math.nan)

    @property
    def mode(self):
        return self.loc

    def entropy(self):
        return self.scale.log() + self.concentration + 1
