"""Wishart(df, covariance_matrix | precision_matrix | scale_tril), as ``torch.distributions.Wishart``:
the law of ``sum_i x_i x_i^T`` for ``df`` normal vectors x_i of covariance Σ (df need not be an integer)."""

from __future__ import annotations

import math
import warnings
from numbers import Number

from ..linalg import cholesky, cholesky_ex, solve
from ..ops.creation import arange, randn, tensor
from ..ops.primitives.elementwise import where
from ..shape import Size, broadcast_shapes
from . import constraints
from .chi2 import Chi2
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .multivariate_normal import ScaleTrilMatrices, _precision_to_scale_tril
from .utils import digamma, lgamma


def _mvlgamma(a, p):
    """``log Γ_p(a) = p (p - 1) / 4 log π + sum_i log Γ(a - i / 2)``."""
    return p * (p - 1) / 4 * math.log(math.pi) + sum(lgamma(a - 0.5 * i) for i in range(p))


def _mvdigamma(a, p):
    """``d/da log Γ_p(a) = sum_i ψ(a - i / 2)``."""
    return sum(digamma(a - 0.5 * i) for i in range(p))


class Wishart(ScaleTrilMatrices, ExponentialFamily):
    """The Wishart distribution over p x p positive-definite matrices with ``df`` (> p - 1) degrees of
    freedom and scale Σ, given as its covariance, precision or lower Cholesky factor (exactly one).
    Sampled by Bartlett's decomposition ``(L A)(L A)^T``: A lower triangular with ``sqrt(chi2(df - i))``
    on its diagonal and standard normals below; reparameterized (the chi2 draws carry implicit
    gradients). A draw that is not numerically positive definite is drawn again, up to
    ``max_try_correction`` times, with torch's warning.

    Raises AssertionError unless exactly one matrix is given, ValueError for a matrix that is not at
    least 2-d or ``df <= p - 1``; warns when ``df < p`` (singular draws are likely)."""

    support = constraints.positive_definite
    has_rsample = True

    @property
    def arg_constraints(self):
        return {
            "covariance_matrix": constraints.positive_definite,
            "precision_matrix": constraints.positive_definite,
            "scale_tril": constraints.lower_cholesky,
            "df": constraints.greater_than(self.event_shape[-1] - 1),
        }

    def __init__(
        self, df, covariance_matrix=None, precision_matrix=None, scale_tril=None, validate_args=None
    ):
        given = [
            (n, m)
            for n, m in (
                ("covariance_matrix", covariance_matrix),
                ("precision_matrix", precision_matrix),
                ("scale_tril", scale_tril),
            )
            if m is not None
        ]
        if len(given) != 1:
            raise AssertionError(
                "Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified."
            )
        name, matrix = given[0]
        if matrix.dim() < 2:
            raise ValueError(
                "scale_tril must be at least two-dimensional, with optional leading batch dimensions"
            )
        if isinstance(df, Number):
            batch_shape = Size(matrix.shape[:-2])
            self.df = tensor(df, dtype=matrix.dtype, device=matrix.device)
        else:
            batch_shape = Size(broadcast_shapes(tuple(matrix.shape[:-2]), tuple(df.shape)))
            self.df = df.expand(batch_shape)
        p = matrix.shape[-1]
        if bool((self.df <= p - 1).any()):
            raise ValueError(f"Value of df={df} expected to be greater than ndim - 1 = {p - 1}.")
        setattr(self, name, matrix.expand(batch_shape + (-1, -1)))
        if bool((self.df < p).any()):
            warnings.warn(
                "Low df values detected. Singular samples are highly likely to occur for ndim - 1 < df "
                "< ndim.",
                stacklevel=2,
            )
        super().__init__(batch_shape, matrix.shape[-2:], validate_args=validate_args)
        if name == "scale_tril":
            self._unbroadcasted_scale_tril = matrix
        elif name == "covariance_matrix":
            self._unbroadcasted_scale_tril = cholesky(matrix)
        else:
            self._unbroadcasted_scale_tril = _precision_to_scale_tril(matrix)
        self._make_chi2()

    def _make_chi2(self):
        """The diagonal of Bartlett's A: row i is chi2(df - i)."""
        rows = arange(self._event_shape[-1], dtype=self.df.dtype, device=self.df.device)
        self._dist_chi2 = Chi2(self.df.unsqueeze(-1) - rows.expand(self._batch_shape + (-1,)))

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Wishart, _instance)
        batch_shape = Size(batch_shape)
        matrix_shape = batch_shape + self.event_shape
        new._unbroadcasted_scale_tril = self._unbroadcasted_scale_tril.expand(matrix_shape)
        new.df = self.df.expand(batch_shape)
        for name in ("covariance_matrix", "scale_tril", "precision_matrix"):
            if name in self.__dict__:
                setattr(new, name, self.__dict__[name].expand(matrix_shape))
        Distribution.__init__(new, batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        new._make_chi2()
        return new

    def _matrix_shape(self):
        return self._batch_shape + self._event_shape

    def _df_matrix(self):
        return self.df.reshape(tuple(self._batch_shape) + (1, 1))

    @property
    def mean(self):
        return self._df_matrix() * self.covariance_matrix

    @property
    def mode(self):
        factor = self.df - self._event_shape[-1] - 1
        factor = where(factor <= 0, math.nan, factor)
        return factor.reshape(tuple(self._batch_shape) + (1, 1)) * self.covariance_matrix

    @property
    def variance(self):
        cov = self.covariance_matrix
        diag = cov.diagonal(0, -2, -1)
        return self._df_matrix() * (cov.pow(2) + diag.unsqueeze(-1) * diag.unsqueeze(-2))

    def _bartlett(self, sample_shape):
        shape = self._extended_shape(sample_shape)
        noise = randn(shape, dtype=self.df.dtype, device=self.df.device).tril(-1)
        A = noise + self._dist_chi2.rsample(sample_shape).sqrt().diag_embed()
        B = self._unbroadcasted_scale_tril @ A
        return B @ B.mT

    def rsample(self, sample_shape=Size(), max_try_correction=None):
        tries = 10 if max_try_correction is None else max_try_correction
        sample = self._bartlett(sample_shape)
        singular = cholesky_ex(sample).info != 0
        if bool(singular.any()):
            warnings.warn("Singular sample detected.", stacklevel=2)
            for _ in range(tries):
                again = self._bartlett(sample_shape)
                sample = where(singular.unsqueeze(-1).unsqueeze(-1), again, sample)
                singular = cholesky_ex(sample).info != 0
                if not bool(singular.any()):
                    break
        return sample

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        nu, p = self.df, self._event_shape[-1]
        L = self._unbroadcasted_scale_tril
        value_tril = cholesky(value)
        log_det_value = 2 * value_tril.diagonal(0, -2, -1).log().sum(-1)
        batch = broadcast_shapes(tuple(L.shape[:-2]), tuple(value_tril.shape[:-2]))
        whitened = solve(L.tril().expand(batch + (p, p)), value_tril.expand(batch + (p, p)))
        trace = whitened.pow(2).sum((-2, -1))  # tr(Σ^-1 X)
        log_det_scale = 2 * L.diagonal(0, -2, -1).log().sum(-1)
        return (
            0.5 * (nu - p - 1) * log_det_value
            - 0.5 * trace
            - 0.5 * nu * p * math.log(2.0)
            - 0.5 * nu * log_det_scale
            - _mvlgamma(0.5 * nu, p)
        )

    def entropy(self):
        nu, p = self.df, self._event_shape[-1]
        log_det_scale = 2 * self._unbroadcasted_scale_tril.diagonal(0, -2, -1).log().sum(-1)
        return (
            0.5 * (p + 1) * log_det_scale
            + 0.5 * p * (p + 1) * math.log(2.0)
            + _mvlgamma(0.5 * nu, p)
            - 0.5 * (nu - p - 1) * _mvdigamma(0.5 * nu, p)
            + 0.5 * nu * p
        )
