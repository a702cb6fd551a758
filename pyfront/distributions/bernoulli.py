"""Bernoulli(probs | logits), as ``torch.distributions.Bernoulli``."""

from __future__ import annotations

from numbers import Number

from ..nn.functional import binary_cross_entropy_with_logits
from ..ops.creation import arange, bernoulli
from ..ops.primitives.elementwise import where
from ..shape import Size
from . import constraints
from .exp_family import ExponentialFamily
from .utils import BinaryParam, broadcast_all


class Bernoulli(BinaryParam, ExponentialFamily):
    """1 with probability ``probs`` (or ``sigmoid(logits)``), else 0."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.boolean
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None):
        param, _ = self._set_binary_param(probs, logits)
        is_scalar = isinstance(probs if probs is not None else logits, Number)
        super().__init__(Size() if is_scalar else param.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expanded(Bernoulli, batch_shape, _instance, "probs", "logits")

    @property
    def mean(self):
        return self.probs

    @property
    def mode(self):
        mode = (self.probs >= 0.5).to(self.probs.dtype)
        return where(self.probs == 0.5, float("nan"), mode)

    @property
    def variance(self):
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape=Size()):
        shape = self._extended_shape(sample_shape)
        return bernoulli(self.probs.detach().expand(shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        return -binary_cross_entropy_with_logits(logits, value, reduction="none")

    def enumerate_support(self, expand=True):
        """0 and 1, shaped ``(2,) + batch_shape`` (or with size-1 batch dims when not ``expand``)."""
        values = arange(2, dtype=self._param.dtype, device=self._param.device)
        values = values.reshape((-1,) + (1,) * len(self._batch_shape))
        return values.expand((-1,) + tuple(self._batch_shape)) if expand else values

    def entropy(self):
        return binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none")
