"""LKJCholesky(dim, concentration), as ``torch.distributions.LKJCholesky``: Cholesky factors of random
correlation matrices with density proportional to ``det(C)^(concentration - 1)`` (Lewandowski,
Kurowicka and Joe, "Generating random correlation matrices based on vines and extended onion method",
2009)."""

from __future__ import annotations

import math

from ..ops.creation import arange, randn
from ..shape import Size
from . import constraints
from .beta import Beta
from .distribution import Distribution
from .utils import broadcast_all, lgamma


class LKJCholesky(Distribution):
    """The lower Cholesky factor L of a ``dim`` x ``dim`` correlation matrix ``C = L L^T`` drawn from the
    LKJ law with shape ``concentration`` (η; 1 is uniform over correlation matrices, larger η favours
    the identity). Sampled by the onion method; no rsample.

    Raises ValueError for ``dim < 2``; a concentration that is not positive is refused by the Beta the
    sampler is built on, with its message, as torch's."""

    arg_constraints = {"concentration": constraints.positive}
    support = constraints.corr_cholesky

    def __init__(self, dim, concentration=1.0, validate_args=None):
        if dim < 2:
            raise ValueError(f"Expected dim to be an integer greater than or equal to 2. Found dim={dim}.")
        self.dim = dim
        (self.concentration,) = broadcast_all(concentration)
        # The onion method grows the factor a row at a time: row i (i >= 1) is (w, sqrt(1 - |w|^2)) with
        # w = sqrt(y) u, u uniform on the sphere in R^i and y ~ Beta(i / 2, η + (dim - 1 - i) / 2).
        # Row 0 is (1, 0, ...): its Beta (first shape 1/2) is drawn and ignored, so that every row has one.
        rows = arange(dim, dtype=self.concentration.dtype, device=self.concentration.device)
        first = (rows * 0.5).clamp(min=0.5)
        second = self.concentration.unsqueeze(-1) + 0.5 * (dim - 1 - rows)
        self._beta = Beta(first, second, validate_args=validate_args)
        super().__init__(self.concentration.size(), Size((dim, dim)), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(LKJCholesky, _instance)
        batch_shape = Size(batch_shape)
        new.dim = self.dim
        new.concentration = self.concentration.expand(batch_shape)
        new._beta = self._beta.expand(batch_shape + (self.dim,))
        Distribution.__init__(new, batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def sample(self, sample_shape=Size()):
        y = self._beta.sample(sample_shape).unsqueeze(-1)  # (..., dim, 1): one squared row length per row
        shape = self._extended_shape(sample_shape)
        u = randn(shape, dtype=y.dtype, device=y.device).tril(-1)
        norms = u.pow(2).sum(-1, keepdim=True).sqrt()
        # row 0 has no entries left of its diagonal: its norm 0 is replaced, its (all zero) row stays 0
        w = y.sqrt() * u / norms.clamp(min=1e-300 if y.dtype.itemsize == 8 else 1e-38)
        diag = (1 - w.pow(2).sum(-1)).clamp(min=0).sqrt()
        return w + diag.diag_embed()

    def _log_normalizer(self):
        """``log c_d(η)``, the volume term of LKJ's equation (16):
        ``sum_k (d - k) [(2η - 2 + d - k) log 2 + log B(b_k, b_k)]`` with ``b_k = η + (d - k - 1) / 2``."""
        eta, d = self.concentration, self.dim
        total = 0.0
        for k in range(1, d):
            b = eta + 0.5 * (d - k - 1)
            log_beta = 2 * lgamma(b) - lgamma(2 * b)
            total = total + (d - k) * ((2 * eta - 2 + d - k) * math.log(2.0) + log_beta)
        return total

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        # det(C)^(η-1) is prod L_ii^(2η-2); the map from the rows of L to C adds L_ii^(d-1-i)
        d = self.dim
        log_diag = value.diagonal(0, -2, -1)[..., 1:].log()
        order = arange(d - 2, -1, -1, dtype=value.dtype, device=value.device)  # d - 1 - i for i = 1..d-1
        powers = 2 * (self.concentration.unsqueeze(-1) - 1) + order
        return (powers * log_diag).sum(-1) - self._log_normalizer()
