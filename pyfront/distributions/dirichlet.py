"""Dirichlet(concentration), as ``torch.distributions.Dirichlet``.

``rsample`` normalises independent Gamma(concentration_i) samples; its gradient is the implicit one of
each gamma draw carried through the normalisation (a valid pathwise gradient of the same samples,
while PyTorch's ``_dirichlet_grad`` uses another transport, so single-sample gradients differ from
torch's and their expectations agree).
"""

from __future__ import annotations

from .. import dtypes as dt
from ..nn.functional import one_hot
from ..ops.primitives.elementwise import where
from ..shape import Size
from . import constraints
from ._gamma_sampler import StandardGamma
from .exp_family import ExponentialFamily
from .distribution import Distribution
from .utils import digamma, lgamma, xlogy


class Dirichlet(ExponentialFamily):
    """The Dirichlet distribution over the probability simplex with ``concentration`` (last dim: K)."""

    arg_constraints = {"concentration": constraints.independent(constraints.positive, 1)}
    support = constraints.simplex
    has_rsample = True

    def __init__(self, concentration, validate_args=None):
        if concentration.dim() < 1:
            raise ValueError("`concentration` parameter must be at least one-dimensional.")
        self.concentration = concentration
        shape = concentration.shape
        super().__init__(shape[:-1], shape[-1:], validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Dirichlet, _instance)
        batch_shape = Size(batch_shape)
        new.concentration = self.concentration.expand(batch_shape + self.event_shape)
        Distribution.__init__(new, batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def rsample(self, sample_shape=Size()):
        g = StandardGamma.apply(self.concentration.expand(self._extended_shape(sample_shape)))
        return (g / g.sum(-1, keepdim=True)).clamp(min=dt.finfo(g.dtype).tiny)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        c = self.concentration
        return xlogy(c - 1.0, value).sum(-1) + lgamma(c.sum(-1)) - lgamma(c).sum(-1)

    @property
    def mean(self):
        return self.concentration / self.concentration.sum(-1, keepdim=True)

    @property
    def mode(self):
        concm1 = (self.concentration - 1).clamp(min=0.0)
        total = concm1.sum(-1, keepdim=True)
        mode = concm1 / where(total == 0, 1.0, total)  # 0/0 would leave a nan gradient behind the corner
        # below 1 everywhere, the density peaks at a corner: the largest concentration's
        corner = one_hot(mode.argmax(-1), concm1.shape[-1]).to(mode.dtype)
        return where((self.concentration < 1).all(-1, keepdim=True), corner, mode)

    @property
    def variance(self):
        c = self.concentration
        c0 = c.sum(-1, keepdim=True)
        return c * (c0 - c) / (c0.pow(2) * (c0 + 1))

    def entropy(self):
        c = self.concentration
        k, a0 = c.shape[-1], c.sum(-1)
        return lgamma(c).sum(-1) - lgamma(a0) - (k - a0) * digamma(a0) - ((c - 1.0) * digamma(c)).sum(-1)
