"""Binomial(total_count, probs | logits) and NegativeBinomial(total_count, probs | logits), as
``torch.distributions.Binomial`` / ``NegativeBinomial``."""

from __future__ import annotations

from ..nn.functional import logsigmoid
from ..ops.creation import arange
from ..ops.primitives.elementwise import where
from ..shape import Size
from . import constraints
from ._count_sampler import binomial_counts, poisson_counts
from ._gamma_sampler import StandardGamma
from .distribution import Distribution
from .utils import BinaryParam, lgamma


class _CountsOfTrials(BinaryParam, Distribution):
    """The shared parametrisation: ``total_count`` and a success probability given as probs or logits."""

    def __init__(self, total_count, probs=None, logits=None, validate_args=None):
        param, (count,) = self._set_binary_param(probs, logits, total_count)
        self.total_count = count.type_as(param)
        super().__init__(param.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expanded(type(self), batch_shape, _instance, "total_count", "probs", "logits")


class Binomial(_CountsOfTrials):
    """Successes among ``total_count`` independent trials that each succeed with ``probs``."""

    arg_constraints = {
        "total_count": constraints.nonnegative_integer,
        "probs": constraints.unit_interval,
        "logits": constraints.real,
    }
    has_enumerate_support = True

    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None):
        super().__init__(total_count, probs, logits, validate_args=validate_args)

    @constraints.dependent_property(is_discrete=True, event_dim=0)
    def support(self):
        return constraints.integer_interval(0, self.total_count)

    @property
    def mean(self):
        return self.total_count * self.probs

    @property
    def mode(self):
        return ((self.total_count + 1) * self.probs).floor().clamp(max=self.total_count)

    @property
    def variance(self):
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape=Size()):
        shape = self._extended_shape(sample_shape)
        return binomial_counts(self.total_count.detach().expand(shape), self.probs.detach().expand(shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        n, k, logits = self.total_count, value, self.logits
        # log(p^k (1-p)^(n-k)) = k * logits - n * log(1 + e^logits), with log(1 + e^l) written as
        # max(l, 0) + log1p(e^-|l|) (half-and-half at 0 for the gradient), summed in torch's order
        at_least_0 = (logits.clamp(min=0) + logits - logits.clamp(max=0)) / 2
        normalizer = n * at_least_0 + n * (-logits.abs()).exp().log1p() - lgamma(n + 1)
        return k * logits - lgamma(k + 1) - lgamma(n - k + 1) - normalizer

    def entropy(self):
        n = int(self.total_count.max().item())
        if not bool((self.total_count == n).all()):
            raise NotImplementedError("Inhomogeneous total count not supported by `entropy`.")
        log_pmf = self.log_prob(self.enumerate_support(False))
        return -(log_pmf.exp() * log_pmf).sum(0)

    def enumerate_support(self, expand=True):
        n = int(self.total_count.max().item())
        if not bool((self.total_count == n).all()):
            raise NotImplementedError("Inhomogeneous total count not supported by `enumerate_support`.")
        values = arange(1 + n, dtype=self._param.dtype, device=self._param.device)
        values = values.reshape((-1,) + (1,) * len(self._batch_shape))
        return values.expand((-1,) + tuple(self._batch_shape)) if expand else values


class NegativeBinomial(_CountsOfTrials):
    """Successes (each with ``probs``) before ``total_count`` failures."""

    arg_constraints = {
        "total_count": constraints.greater_than_eq(0),
        "probs": constraints.half_open_interval(0.0, 1.0),
        "logits": constraints.real,
    }
    support = constraints.nonnegative_integer

    def __init__(self, total_count, probs=None, logits=None, validate_args=None):
        super().__init__(total_count, probs, logits, validate_args=validate_args)

    @property
    def mean(self):
        return self.total_count * self.logits.exp()

    @property
    def mode(self):
        return ((self.total_count - 1) * self.logits.exp()).floor().clamp(min=0.0)

    @property
    def variance(self):
        return self.mean / (-self.logits).sigmoid()

    def sample(self, sample_shape=Size()):
        # a Poisson whose rate is Gamma(total_count, scale = p / (1 - p)) distributed
        shape = self._extended_shape(sample_shape)
        rate = StandardGamma.apply(self.total_count.detach().expand(shape)) * self.logits.detach().exp()
        return poisson_counts(rate)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        n, k = self.total_count, value
        log_weights = n * logsigmoid(-self.logits) + k * logsigmoid(self.logits)
        log_choose = lgamma(n + k) - lgamma(1 + k) - lgamma(n)
        return log_weights + where(n + k == 0, 0.0, log_choose)  # lgamma(0) is infinite: 0 counts of 0
