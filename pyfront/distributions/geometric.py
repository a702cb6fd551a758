"""Geometric(probs | logits), as ``torch.distributions.Geometric``: the number of failures before the
first success."""

from __future__ import annotations

from numbers import Number

from .. import dtypes as dt
from ..autograd import no_grad
from ..nn.functional import binary_cross_entropy_with_logits
from ..ops.creation import rand
from ..ops.primitives.elementwise import where
from ..shape import Size
from . import constraints
from .distribution import Distribution
from .utils import BinaryParam


class Geometric(BinaryParam, Distribution):
    """Failures ``k = 0, 1, ...`` before the first success of trials that succeed with ``probs``."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.nonnegative_integer

    def __init__(self, probs=None, logits=None, validate_args=None):
        param, _ = self._set_binary_param(probs, logits)
        given = probs if probs is not None else logits
        super().__init__(Size() if isinstance(given, Number) else param.size(), validate_args=validate_args)
        if self._validate_args and probs is not None and not bool((self.probs > 0).all()):
            # unit_interval lets 0 through, but a trial that never succeeds has no distribution
            raise ValueError(
                f"Expected parameter probs ({type(param).__name__} of shape {tuple(param.shape)}) of "
                f"distribution {self!r} to be positive but found invalid values:\n{param}"
            )

    def expand(self, batch_shape, _instance=None):
        return self._expanded(Geometric, batch_shape, _instance, "probs", "logits")

    @property
    def mean(self):
        return self.probs.reciprocal() - 1

    @property
    def mode(self):
        return self.probs.new_zeros(self.probs.shape)

    @property
    def variance(self):
        return (self.probs.reciprocal() - 1) / self.probs

    def sample(self, sample_shape=Size()):
        # inversion: floor(log u / log(1 - p)), u kept off 0
        shape = self._extended_shape(sample_shape)
        with no_grad():
            tiny = dt.finfo(self.probs.dtype).tiny
            u = rand(shape, dtype=self.probs.dtype, device=self.probs.device).clamp(min=tiny)
            return (u.log() / (-self.probs).log1p()).floor()

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        p = self.probs
        # 0 * log(0) is 0 where p is 1 and value 0: the sure first success
        return where(value == 0, 0.0, value * (-p).log1p()) + p.log()

    def entropy(self):
        return binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none") / self.probs
