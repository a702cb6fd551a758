"""StudentT(df, loc, scale), as ``torch.distributions.StudentT``."""

from __future__ import annotations

import math

from ..ops.creation import randn
from ..ops.primitives.elementwise import where
from ..shape import Size
from . import constraints
from ._gamma_sampler import StandardGamma
from .distribution import Distribution
from .utils import broadcast_all, digamma, lgamma


class StudentT(Distribution):
    """Student's t with ``df`` degrees of freedom, shifted by ``loc`` and scaled by ``scale``."""

    arg_constraints = {"df": constraints.positive, "loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, df, loc=0.0, scale=1.0, validate_args=None):
        self.df, self.loc, self.scale = broadcast_all(df, loc, scale)
        super().__init__(self.df.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expanded(StudentT, batch_shape, _instance, "df", "loc", "scale")

    @property
    def mean(self):
        return where(self.df > 1, self.loc, math.nan)

    @property
    def mode(self):
        return self.loc

    @property
    def variance(self):
        df = self.df
        finite = self.scale.pow(2) * df / (df - 2)
        return where(df > 2, finite, where(df > 1, math.inf, math.nan))

    def rsample(self, sample_shape=Size()):
        # t = z / sqrt(v / df), z standard normal, v chi-squared(df) = 2 * Gamma(df / 2)
        shape = self._extended_shape(sample_shape)
        z = randn(shape, dtype=self.df.dtype, device=self.df.device)
        v = 2 * StandardGamma.apply((0.5 * self.df).expand(shape))
        return self.loc + self.scale * z * (v / self.df).rsqrt()

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        df = self.df
        z = (value - self.loc) / self.scale
        log_norm = (self.scale.log() + 0.5 * df.log() + 0.5 * math.log(math.pi)
                    + lgamma(0.5 * df) - lgamma(0.5 * (df + 1)))
        return -0.5 * (df + 1) * (z * z / df).log1p() - log_norm

    def entropy(self):
        df = self.df
        log_beta = lgamma(0.5 * df) + 0.5 * math.log(math.pi) - lgamma(0.5 * (df + 1))
        return (self.scale.log() + 0.5 * (df + 1) * (digamma(0.5 * (df + 1)) - digamma(0.5 * df))
                + 0.5 * df.log() + log_beta)
