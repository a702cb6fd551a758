"""MixtureSameFamily(mixture_distribution, component_distribution), as
``torch.distributions.MixtureSameFamily``: a Categorical picks one of ``K`` components, all of one family
batched along their last batch dim."""

from __future__ import annotations

from ..autograd import no_grad
from ..shape import Size
from . import constraints
from .categorical import Categorical
from .distribution import Distribution


class MixtureSameFamily(Distribution):
    """``p(x) = Σ_k π_k p_k(x)`` with ``π`` from ``mixture_distribution`` (a Categorical over ``K``) and
    ``p_k`` the ``K`` members of ``component_distribution``'s last batch dim."""

    arg_constraints: dict = {}
    has_rsample = False

    def __init__(self, mixture_distribution, component_distribution, validate_args=None):
        if not isinstance(mixture_distribution, Categorical):
            raise ValueError(
                " The Mixture distribution needs to be an  instance of pyfront.distributions.Categorical"
            )
        if not isinstance(component_distribution, Distribution):
            raise ValueError(
                "The Component distribution needs to be an instance of pyfront.distributions.Distribution"
            )
        mix_batch = mixture_distribution.batch_shape
        comp_batch = component_distribution.batch_shape[:-1]
        for a, b in zip(reversed(mix_batch), reversed(comp_batch)):
            if a != 1 and b != 1 and a != b:
                raise ValueError(
                    f"`mixture_distribution.batch_shape` ({mix_batch}) is not compatible with "
                    f"`component_distribution.batch_shape`({comp_batch})"
                )
        k_mix = mixture_distribution.logits.shape[-1]
        k_comp = component_distribution.batch_shape[-1]
        if k_mix != k_comp:
            raise ValueError(
                f"`mixture_distribution component` ({k_mix}) does not equal "
                f"`component_distribution.batch_shape[-1]` ({k_comp})"
            )
        self._mixture_distribution = mixture_distribution
        self._component_distribution = component_distribution
        self._num_component = k_mix
        self._event_ndims = len(component_distribution.event_shape)
        super().__init__(comp_batch, component_distribution.event_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(MixtureSameFamily, _instance)
        batch_shape = Size(batch_shape)
        components = self._component_distribution
        new._component_distribution = components.expand(batch_shape + (self._num_component,))
        new._mixture_distribution = self._mixture_distribution.expand(batch_shape)
        new._num_component, new._event_ndims = self._num_component, self._event_ndims
        Distribution.__init__(new, batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @constraints.dependent_property
    def support(self):
        return constraints.MixtureSameFamilyConstraint(self._component_distribution.support)

    @property
    def mixture_distribution(self):
        return self._mixture_distribution

    @property
    def component_distribution(self):
        return self._component_distribution

    def _weights(self):
        """π with a trailing 1 per event dim, to weigh the components' event-shaped moments."""
        probs = self._mixture_distribution.probs
        return probs.reshape(tuple(probs.shape) + (1,) * self._event_ndims)

    def _component_dim(self):
        return -1 - self._event_ndims

    @property
    def mean(self):
        return (self._weights() * self._component_distribution.mean).sum(self._component_dim())

    @property
    def variance(self):
        # the law of total variance: E[Var(x | k)] + Var(E[x | k])
        w, dim = self._weights(), self._component_dim()
        means = self._component_distribution.mean
        within = (w * self._component_distribution.variance).sum(dim)
        between = (w * (means - self.mean.unsqueeze(dim)).pow(2)).sum(dim)
        return within + between

    def _per_component(self, x):
        return x.unsqueeze(self._component_dim())

    def cdf(self, x):
        per_component = self._component_distribution.cdf(self._per_component(x))
        return (per_component * self._mixture_distribution.probs).sum(-1)

    def log_prob(self, x):
        if self._validate_args:
            self._validate_sample(x)
        log_p = self._component_distribution.log_prob(self._per_component(x))
        log_w = self._mixture_distribution.logits.log_softmax(-1)
        return (log_p + log_w).logsumexp(-1)

    def sample(self, sample_shape=Size()):
        with no_grad():
            sample_shape = Size(sample_shape)
            picks = self._mixture_distribution.sample(sample_shape)  # sample_shape + batch_shape
            draws = self._component_distribution.sample(sample_shape)  # ... + (K,) + event_shape
            index = picks.reshape(tuple(picks.shape) + (1,) * (1 + self._event_ndims))
            index = index.expand(tuple(draws.shape[:-1 - self._event_ndims]) + (1,) + tuple(self.event_shape))
            return draws.gather(self._component_dim(), index).squeeze(self._component_dim())

    def __repr__(self):
        return (f"MixtureSameFamily(\n  {self._mixture_distribution},\n  {self._component_distribution})")
