"""FisherSnedecor(df1, df2), as ``torch.distributions.FisherSnedecor``: the F distribution."""

from __future__ import annotations

import math
from numbers import Number

from .. import dtypes as dt
from ..ops.primitives.elementwise import where
from ..shape import Size
from . import constraints
from .distribution import Distribution
from .gamma import Gamma
from .utils import broadcast_all, lgamma


class FisherSnedecor(Distribution):
    """The ratio ``(X1 / df1) / (X2 / df2)`` of two independent chi-squared variables scaled by their
    degrees of freedom; reparameterized through the gamma samples' implicit gradients. Moments that do
    not exist (mean for df2 <= 2, variance for df2 <= 4, mode for df1 <= 2) are nan."""

    arg_constraints = {"df1": constraints.positive, "df2": constraints.positive}
    support = constraints.positive
    has_rsample = True

    def __init__(self, df1, df2, validate_args=None):
        self.df1, self.df2 = broadcast_all(df1, df2)
        # X / (2 df) for X ~ chi2(df) is Gamma(df / 2, rate df); they check their parameters by the default
        # setting whatever validate_args says, so a bad df is refused in Gamma's words (torch's)
        self._gamma1 = Gamma(self.df1 * 0.5, self.df1)
        self._gamma2 = Gamma(self.df2 * 0.5, self.df2)
        scalar = isinstance(df1, Number) and isinstance(df2, Number)
        super().__init__(Size() if scalar else self.df1.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._expanded(FisherSnedecor, batch_shape, _instance, "df1", "df2")
        new._gamma1 = self._gamma1.expand(Size(batch_shape))
        new._gamma2 = self._gamma2.expand(Size(batch_shape))
        return new

    # A moment that does not exist is nan. Its gradients follow torch's: mean and variance put the nan in
    # df2 before the formula (so the variance's gradient for df1 is nan there too), mode after it.
    @property
    def mean(self):
        df2 = where(self.df2 > 2, self.df2, math.nan)
        return df2 / (df2 - 2)

    @property
    def mode(self):
        df1 = where(self.df1 > 2, self.df1, 3.0)
        return where(self.df1 > 2, (df1 - 2) / df1 * self.df2 / (self.df2 + 2), math.nan)

    @property
    def variance(self):
        df2 = where(self.df2 > 4, self.df2, math.nan)
        return 2 * df2.pow(2) * (self.df1 + df2 - 2) / (self.df1 * (df2 - 2).pow(2) * (df2 - 4))

    def rsample(self, sample_shape=Size()):
        # the gammas' rates are df, not df / 2: each draw is chi2(df) / (2 df) and the factors 2 cancel
        ratio = self._gamma1.rsample(sample_shape) / self._gamma2.rsample(sample_shape)
        return ratio.clamp(min=dt.finfo(ratio.dtype).tiny)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        half1, half2 = self.df1 * 0.5, self.df2 * 0.5
        log_beta = lgamma(half1) + lgamma(half2) - lgamma(half1 + half2)
        ratio = self.df1 / self.df2
        return (
            half1 * ratio.log()
            + (half1 - 1) * value.log()
            - (half1 + half2) * (ratio * value).log1p()
            - log_beta
        )
