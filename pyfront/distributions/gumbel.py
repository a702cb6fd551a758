"""Gumbel(loc, scale), as ``torch.distributions.Gumbel``: the law of the maximum of many draws."""

from __future__ import annotations

import math

from .. import dtypes as dt
from ..shape import Size
from . import constraints
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, ExpTransform
from .uniform import Uniform
from .utils import EULER_GAMMA, broadcast_all


class Gumbel(TransformedDistribution):
    """The Gumbel (type-I extreme value) distribution, sampled as ``loc - scale * log(-log(u))``."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_all(loc, scale)
        info = dt.finfo(self.loc.dtype)
        # u stays inside (0, 1) so both logs are finite
        shape = self.loc.shape
        low, high = self.loc.new_full(shape, info.tiny), self.loc.new_full(shape, 1 - info.eps)
        u = Uniform(low, high, validate_args=validate_args)
        log_inv = ExpTransform().inv
        chain = [log_inv, AffineTransform(0, -1), log_inv, AffineTransform(self.loc, -self.scale)]
        super().__init__(u, chain, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Gumbel, _instance)
        new.loc, new.scale = self.loc.expand(Size(batch_shape)), self.scale.expand(Size(batch_shape))
        return super().expand(batch_shape, _instance=new)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        z = (self.loc - value) / self.scale
        return z - z.exp() - self.scale.log()

    @property
    def mean(self):
        return self.loc + self.scale * EULER_GAMMA

    @property
    def mode(self):
        return self.loc

    @property
    def stddev(self):
        return (math.pi / math.sqrt(6)) * self.scale

    @property
    def variance(self):
        return self.stddev.pow(2)

    def entropy(self):
        return self.scale.log() + (1 + EULER_GAMMA)
