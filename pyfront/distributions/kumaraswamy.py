"""Kumaraswamy(concentration1, concentration0), as ``torch.distributions.Kumaraswamy``: a Beta-like law on
[0, 1] with a closed-form cdf (Kumaraswamy 1980), sampled as ``(1 - U^(1/b))^(1/a)``."""

from __future__ import annotations

import math

from ..ops.primitives.elementwise import where
from ..shape import Size
from . import constraints
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, PowerTransform
from .uniform import Uniform
from .utils import EULER_GAMMA, broadcast_all, digamma, lgamma


def _raw_moment(a, b, n):
    """``E[X^n] = b B(1 + n / a, b)``, through log-gammas."""
    shifted = 1 + n / a
    return (b.log() + lgamma(shifted) + lgamma(b) - lgamma(shifted + b)).exp()


class Kumaraswamy(TransformedDistribution):
    """Density ``a b x^(a-1) (1 - x^a)^(b-1)`` on [0, 1] with a = ``concentration1``, b = ``concentration0``.

    ``mode`` differs from torch 2.13's on purpose: torch's formula is nan for every a, b > 1 (it takes
    ``log1p(-b)``); here it is the maximizer ``((a - 1) / (a b - 1))^(1/a)`` (nan where a < 1 or b < 1, as
    torch's)."""

    arg_constraints = {"concentration1": constraints.positive, "concentration0": constraints.positive}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, concentration1, concentration0, validate_args=None):
        self.concentration1, self.concentration0 = broadcast_all(concentration1, concentration0)
        a, b = self.concentration1, self.concentration0
        base = Uniform(a.new_zeros(a.shape), a.new_ones(a.shape), validate_args=validate_args)
        chain = [PowerTransform(exponent=b.reciprocal()), AffineTransform(loc=1.0, scale=-1.0),
                 PowerTransform(exponent=a.reciprocal())]
        super().__init__(base, chain, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Kumaraswamy, _instance)
        new.concentration1 = self.concentration1.expand(Size(batch_shape))
        new.concentration0 = self.concentration0.expand(Size(batch_shape))
        return super().expand(batch_shape, _instance=new)

    @property
    def mean(self):
        return _raw_moment(self.concentration1, self.concentration0, 1)

    @property
    def mode(self):
        a, b = self.concentration1, self.concentration0
        valid = (a >= 1) & (b >= 1) & ((a > 1) | (b > 1))
        a_safe, b_safe = where(valid, a, 2.0), where(valid, b, 2.0)
        log_mode = ((a_safe - 1).log() - (a_safe * b_safe - 1).log()) / a_safe
        return where(valid, log_mode.exp(), math.nan)

    @property
    def variance(self):
        a, b = self.concentration1, self.concentration0
        return _raw_moment(a, b, 2) - _raw_moment(a, b, 1).pow(2)

    def entropy(self):
        a, b = self.concentration1, self.concentration0
        harmonic_b = digamma(b + 1) + EULER_GAMMA  # H_b, the b-th harmonic number
        return (1 - 1 / b) + (1 - 1 / a) * harmonic_b - (a * b).log()
