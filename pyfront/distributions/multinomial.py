"""Multinomial(total_count, probs | logits), as ``torch.distributions.Multinomial``: the counts per
category of ``total_count`` Categorical draws."""

from __future__ import annotations

import math

from ..ops.primitives.elementwise import where
from ..shape import Size
from . import constraints
from .binomial import Binomial
from .categorical import Categorical
from .distribution import Distribution
from .utils import lgamma


class Multinomial(Distribution):
    """Counts of each of ``K`` categories among ``total_count`` independent draws with ``probs``."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}

    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None):
        if not isinstance(total_count, int):
            raise NotImplementedError("inhomogeneous total_count is not supported")
        self.total_count = total_count
        self._categorical = Categorical(probs=probs, logits=logits)
        self._binomial = Binomial(total_count=total_count, probs=self.probs)
        super().__init__(self._categorical.batch_shape, self._categorical.param_shape[-1:],
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Multinomial, _instance)
        batch_shape = Size(batch_shape)
        new.total_count = self.total_count
        new._categorical = self._categorical.expand(batch_shape)
        new._binomial = self._binomial.expand(batch_shape + self.event_shape)
        Distribution.__init__(new, batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @constraints.dependent_property(is_discrete=True, event_dim=1)
    def support(self):
        return constraints.multinomial(self.total_count)

    probs = property(lambda self: self._categorical.probs)
    logits = property(lambda self: self._categorical.logits)
    param_shape = property(lambda self: self._categorical.param_shape)

    @property
    def mean(self):
        return self.probs * self.total_count

    @property
    def variance(self):
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape=Size()):
        # total_count category draws, one-hot and added up
        sample_shape = Size(sample_shape)
        draws = self._categorical.sample(Size((self.total_count,)) + sample_shape)
        counts = self.probs.new_zeros(tuple(draws.shape) + (self._categorical._num_events,))
        counts = counts.scatter_add(-1, draws.unsqueeze(-1), counts.new_ones(counts.shape[:-1] + (1,)))
        return counts.sum(0) if self.total_count else self.probs.new_zeros(self._extended_shape(sample_shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        # a category of probability 0 drawn 0 times contributes 0, not 0 * -inf
        weighted = where((value == 0) & (self.logits == -math.inf), 0.0, value * self.logits)
        return lgamma(value.sum(-1) + 1) - lgamma(value + 1).sum(-1) + weighted.sum(-1)

    def entropy(self):
        # H = n H(categorical) - log n! + Σ_i E[log x_i!], each x_i binomial(n, p_i)
        n = self.total_count
        counts = self._binomial.enumerate_support(expand=False)  # (n + 1, 1, ..., 1)
        weights = self._binomial.log_prob(counts).exp()
        expected_log_factorials = (weights * lgamma(counts + 1)).sum((0, -1))
        return n * self._categorical.entropy() - math.lgamma(n + 1) + expected_log_factorials
