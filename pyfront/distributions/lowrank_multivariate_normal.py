"""LowRankMultivariateNormal(loc, cov_factor, cov_diag), as ``torch.distributions.LowRankMultivariateNormal``:
a normal whose covariance is ``W W^T + D``, handled through the k x k capacitance matrix ``I + W^T D^-1 W``
(the Woodbury identity and the matrix determinant lemma), so log_prob costs O(n k^2), not O(n^3)."""

from __future__ import annotations

import math

from ..linalg import cholesky, solve
from ..ops.creation import eye, randn
from ..shape import Size, broadcast_shapes
from . import constraints
from .distribution import Distribution
from .utils import lazy_property


def _capacitance_tril(W, D):
    """The lower Cholesky factor of ``I + W^T D^-1 W`` (W is n x k, D the diagonal as a vector)."""
    k = W.shape[-1]
    scaled = W.mT / D.unsqueeze(-2)
    return cholesky(eye(k, dtype=W.dtype, device=W.device) + scaled @ W)


def _logdet_cov(W, D, capacitance_tril):
    """``log det(W W^T + D) = log det(capacitance) + log det(D)``."""
    return 2 * capacitance_tril.diagonal(0, -2, -1).log().sum(-1) + D.log().sum(-1)


def _mahalanobis(W, D, x, capacitance_tril):
    """``x^T (W W^T + D)^-1 x`` by Woodbury: ``x^T D^-1 x - |C^-1 W^T D^-1 x|^2`` (C the capacitance's
    factor), batched over x's leading dims."""
    x_over_d = x / D
    projected = (W.mT @ x_over_d.unsqueeze(-1))  # (..., k, 1)
    batch = broadcast_shapes(tuple(capacitance_tril.shape[:-2]), tuple(projected.shape[:-2]))
    k = capacitance_tril.shape[-1]
    solved = solve(capacitance_tril.tril().expand(batch + (k, k)), projected.expand(batch + (k, 1)))
    return (x * x_over_d).sum(-1) - solved.squeeze(-1).pow(2).sum(-1)


class LowRankMultivariateNormal(Distribution):
    """The multivariate normal with mean ``loc`` (..., n) and covariance ``cov_factor @ cov_factor.mT +
    diag(cov_diag)``, ``cov_factor`` (..., n, k) and ``cov_diag`` (..., n) positive.

    Raises ValueError (torch's messages) for a loc that is not a vector, a cov_factor that is not a
    matrix or not n rows, a cov_diag of the wrong length, or batch shapes that do not broadcast."""

    arg_constraints = {
        "loc": constraints.real_vector,
        "cov_factor": constraints.independent(constraints.real, 2),
        "cov_diag": constraints.independent(constraints.positive, 1),
    }
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, loc, cov_factor, cov_diag, validate_args=None):
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        event_shape = loc.shape[-1:]
        if cov_factor.dim() < 2:
            raise ValueError(
                "cov_factor must be at least two-dimensional, with optional leading batch dimensions"
            )
        if cov_factor.shape[-2:-1] != event_shape:
            raise ValueError(f"cov_factor must be a batch of matrices with shape {event_shape[0]} x m")
        if cov_diag.shape[-1:] != event_shape:
            raise ValueError(f"cov_diag must be a batch of vectors with shape {event_shape}")
        loc_, cov_diag_ = loc.unsqueeze(-1), cov_diag.unsqueeze(-1)
        try:
            shape = broadcast_shapes(tuple(loc_.shape), tuple(cov_factor.shape), tuple(cov_diag_.shape))
        except RuntimeError:
            raise ValueError(
                f"Incompatible batch shapes: loc {loc.shape}, cov_factor {cov_factor.shape}, "
                f"cov_diag {cov_diag.shape}"
            ) from None
        batch_shape = Size(shape[:-2])
        k = cov_factor.shape[-1]
        self.loc = loc_.expand(batch_shape + event_shape + (1,))[..., 0]
        self.cov_factor = cov_factor.expand(batch_shape + event_shape + (k,))
        self.cov_diag = cov_diag_.expand(batch_shape + event_shape + (1,))[..., 0]
        self._unbroadcasted_cov_factor = cov_factor
        self._unbroadcasted_cov_diag = cov_diag
        self._capacitance_tril = _capacitance_tril(cov_factor, cov_diag)
        super().__init__(batch_shape, event_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(LowRankMultivariateNormal, _instance)
        batch_shape = Size(batch_shape)
        shape = batch_shape + self.event_shape
        new.loc = self.loc.expand(shape)
        new.cov_diag = self.cov_diag.expand(shape)
        new.cov_factor = self.cov_factor.expand(shape + self.cov_factor.shape[-1:])
        new._unbroadcasted_cov_factor = self._unbroadcasted_cov_factor
        new._unbroadcasted_cov_diag = self._unbroadcasted_cov_diag
        new._capacitance_tril = self._capacitance_tril
        Distribution.__init__(new, batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self):
        return self.loc

    @property
    def mode(self):
        return self.loc

    @lazy_property
    def variance(self):
        W, D = self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag
        return (W.pow(2).sum(-1) + D).expand(self._batch_shape + self._event_shape)

    def _matrix_shape(self):
        return self._batch_shape + self._event_shape + self._event_shape

    @lazy_property
    def covariance_matrix(self):
        W, D = self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag
        return (W @ W.mT + D.diag_embed()).expand(self._matrix_shape())

    @lazy_property
    def scale_tril(self):
        return cholesky(self.covariance_matrix)

    @lazy_property
    def precision_matrix(self):
        # Woodbury: D^-1 - D^-1 W C^-T C^-1 W^T D^-1, C the capacitance's factor
        W, D = self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag
        left = solve(self._capacitance_tril.tril(), (W / D.unsqueeze(-1)).mT)  # C^-1 W^T D^-1
        return ((1 / D).diag_embed() - left.mT @ left).expand(self._matrix_shape())

    def rsample(self, sample_shape=Size()):
        shape = self._extended_shape(sample_shape)
        k = self.cov_factor.shape[-1]
        kw = dict(dtype=self.loc.dtype, device=self.loc.device)
        eps_w = randn(tuple(shape[:-1]) + (k,), **kw)
        eps_d = randn(shape, **kw)
        W, D = self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag
        return self.loc + (W @ eps_w.unsqueeze(-1)).squeeze(-1) + D.sqrt() * eps_d

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        W, D = self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag
        M = _mahalanobis(W, D, value - self.loc, self._capacitance_tril)
        log_det = _logdet_cov(W, D, self._capacitance_tril)
        return -0.5 * (self._event_shape[0] * math.log(2 * math.pi) + log_det + M)

    def entropy(self):
        W, D = self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag
        log_det = _logdet_cov(W, D, self._capacitance_tril)
        H = 0.5 * (self._event_shape[0] * (1.0 + math.log(2 * math.pi)) + log_det)
        return H if len(self._batch_shape) == 0 else H.expand(self._batch_shape)
