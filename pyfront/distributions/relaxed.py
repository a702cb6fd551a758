"""The Concrete (Gumbel-softmax) relaxations of Bernoulli and OneHotCategorical, as
``torch.distributions.RelaxedBernoulli`` / ``RelaxedOneHotCategorical`` and their log-space bases
``LogitRelaxedBernoulli`` / ``ExpRelaxedCategorical``: reparameterized samples that approach the discrete
ones as ``temperature`` goes to 0 (Maddison et al. 2017; Jang et al. 2017)."""

from __future__ import annotations

import math
from numbers import Number

from ..nn.functional import softplus
from ..ops.creation import rand
from ..shape import Size
from . import constraints
from .categorical import Categorical
from .distribution import Distribution
from .transformed_distribution import TransformedDistribution
from .transforms import ExpTransform, SigmoidTransform
from .utils import BinaryParam, broadcast_all, clamp_probs


def _open_uniform(shape, like):
    """Uniform draws kept inside (0, 1) so that their logs (and logs of 1 - u) are finite."""
    return clamp_probs(rand(shape, dtype=like.dtype, device=like.device))


def _log(temperature):
    return math.log(temperature) if isinstance(temperature, Number) else temperature.log()


class LogitRelaxedBernoulli(BinaryParam, Distribution):
    """The logit of a RelaxedBernoulli: ``(logits + logistic noise) / temperature``."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.real
    has_rsample = True

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        self.temperature = temperature
        param, _ = self._set_binary_param(probs, logits)
        given = probs if probs is not None else logits
        super().__init__(Size() if isinstance(given, Number) else param.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._expanded(LogitRelaxedBernoulli, batch_shape, _instance, "probs", "logits")
        new.temperature = self.temperature
        return new

    def rsample(self, sample_shape=Size()):
        u = _open_uniform(self._extended_shape(sample_shape), self._param)
        logistic = u.log() - (-u).log1p()
        return (self.logits + logistic) / self.temperature

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        # the logistic density of (logits - τ y), times τ for the change of scale
        logits, value = broadcast_all(self.logits, value)
        diff = logits - value * self.temperature
        return _log(self.temperature) + diff - 2 * softplus(diff)


class _Relaxed(TransformedDistribution):
    """A relaxed distribution as its log-space base pushed through one transform; the parameters are the
    base's."""

    has_rsample = True

    def expand(self, batch_shape, _instance=None):
        return super().expand(batch_shape, _instance=self._get_checked_instance(type(self), _instance))

    temperature = property(lambda self: self.base_dist.temperature)
    logits = property(lambda self: self.base_dist.logits)
    probs = property(lambda self: self.base_dist.probs)


class RelaxedBernoulli(_Relaxed):
    """A value in (0, 1) that relaxes Bernoulli(probs | logits) at ``temperature``."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.unit_interval

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        base = LogitRelaxedBernoulli(temperature, probs, logits, validate_args=validate_args)
        super().__init__(base, SigmoidTransform(), validate_args=validate_args)


class ExpRelaxedCategorical(Distribution):
    """The log of a RelaxedOneHotCategorical: ``log_softmax((logits + Gumbel noise) / temperature)``."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        self._categorical = Categorical(probs, logits)
        self.temperature = temperature
        super().__init__(self._categorical.batch_shape, self._categorical.param_shape[-1:],
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(ExpRelaxedCategorical, _instance)
        new.temperature = self.temperature
        new._categorical = self._categorical.expand(Size(batch_shape))
        Distribution.__init__(new, Size(batch_shape), self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    param_shape = property(lambda self: self._categorical.param_shape)
    logits = property(lambda self: self._categorical.logits)
    probs = property(lambda self: self._categorical.probs)

    def rsample(self, sample_shape=Size()):
        u = _open_uniform(self._extended_shape(sample_shape), self.logits)
        gumbel = -(-u.log()).log()
        scores = (self.logits + gumbel) / self.temperature
        return scores - scores.logsumexp(dim=-1, keepdim=True)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        k = self._categorical._num_events
        t = self.temperature
        # the Concrete density of log-simplex points:
        # (K-1)! τ^(K-1) Π_i π_i e^{-τ y_i} / (Σ_i π_i e^{-τ y_i})^K
        log_norm = math.lgamma(k) + (k - 1) * _log(t)
        score = self.logits - value * t
        return (score - score.logsumexp(dim=-1, keepdim=True)).sum(-1) + log_norm


class RelaxedOneHotCategorical(_Relaxed):
    """A point of the simplex that relaxes OneHotCategorical(probs | logits) at ``temperature``."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.simplex

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        base = ExpRelaxedCategorical(temperature, probs, logits, validate_args=validate_args)
        super().__init__(base, ExpTransform(), validate_args=validate_args)

