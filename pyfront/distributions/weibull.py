"""Weibull(scale, concentration), as ``torch.distributions.Weibull``: ``scale * E ** (1 / k)`` for a
unit Exponential ``E``."""

from __future__ import annotations

from . import constraints
from .exponential import Exponential
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, PowerTransform
from .utils import EULER_GAMMA, broadcast_all, lgamma


class Weibull(TransformedDistribution):
    """The Weibull distribution with ``scale`` λ and shape ``concentration`` k."""

    arg_constraints = {"scale": constraints.positive, "concentration": constraints.positive}
    support = constraints.positive
    has_rsample = True

    def __init__(self, scale, concentration, validate_args=None):
        self.scale, self.concentration = broadcast_all(scale, concentration)
        unit = Exponential(self.scale.new_ones(self.scale.shape), validate_args=validate_args)
        chain = [PowerTransform(self.concentration.reciprocal()), AffineTransform(0, self.scale)]
        super().__init__(unit, chain, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Weibull, _instance)
        new.scale, new.concentration = self.scale.expand(batch_shape), self.concentration.expand(batch_shape)
        new = super().expand(batch_shape, _instance=new)
        new.transforms = [PowerTransform(new.concentration.reciprocal()), AffineTransform(0, new.scale)]
        return new

    @property
    def mean(self):
        return self.scale * lgamma(1 + self.concentration.reciprocal()).exp()

    @property
    def mode(self):
        k = self.concentration
        return self.scale * ((k - 1) / k).pow(k.reciprocal())

    @property
    def variance(self):
        inv = self.concentration.reciprocal()
        return self.scale.pow(2) * (lgamma(1 + 2 * inv).exp() - (2 * lgamma(1 + inv)).exp())

    def entropy(self):
        inv = self.concentration.reciprocal()
        return EULER_GAMMA * (1 - inv) + (self.scale * inv).log() + 1
