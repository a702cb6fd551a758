"""Transforms onto matrices, as ``torch.distributions.transforms``' CorrCholeskyTransform,
LowerCholeskyTransform and PositiveDefiniteTransform."""

from __future__ import annotations

import math

from .. import dtypes as dt
from ..nn.functional import softplus
from ..ops.primitives.shaping import cat
from ..shape import Size
from . import constraints
from .transforms import _Parameterless
from .utils import tril_matrix_to_vec, vec_to_tril_matrix

__all__ = ["CorrCholeskyTransform", "LowerCholeskyTransform", "PositiveDefiniteTransform"]


def _shift_right(t, fill):
    """``t`` moved one place right along the last dim, ``fill`` coming in on the left (an exclusive scan
    from an inclusive one)."""
    return cat([t.new_full(tuple(t.shape[:-1]) + (1,), fill), t[..., :-1]], -1)


class CorrCholeskyTransform(_Parameterless):
    """A bijection from ``n (n - 1) / 2`` reals onto the Cholesky factors of n x n correlation matrices
    (the construction of Lewandowski, Kurowicka and Joe 2009, as Stan's): ``tanh`` of each real is a
    partial correlation ``r_ij`` (filled in row by row), and row i's entry j is ``r_ij`` times what is left
    of the row's unit length, ``prod_{k<j} sqrt(1 - r_ik^2)``; the diagonal takes the rest."""

    domain = constraints.real_vector
    codomain = constraints.corr_cholesky
    bijective = True

    def _call(self, x):
        eps = dt.finfo(x.dtype).eps
        r = vec_to_tril_matrix(x.tanh().clamp(min=-1 + eps, max=1 - eps), diag=-1)
        n = r.shape[-1]
        left = _shift_right((1 - r * r).sqrt().cumprod(-1), 1.0)
        return (r + r.new_ones(n).diag_embed()) * left

    def _inverse(self, y):
        left_sq = _shift_right(1 - (y * y).cumsum(-1), 1.0)
        r = tril_matrix_to_vec(y, diag=-1) / tril_matrix_to_vec(left_sq, diag=-1).sqrt()
        return 0.5 * (r.log1p() - (-r).log1p())  # atanh

    def log_abs_det_jacobian(self, x, y, intermediates=None):
        # the rows' scaling (triangular within each row) and tanh's derivative 1 - tanh^2
        left_sq = _shift_right(1 - (y * y).cumsum(-1), 1.0)
        scaling = 0.5 * tril_matrix_to_vec(left_sq, diag=-1).log().sum(-1)
        return scaling + (2 * (math.log(2.0) - x - softplus(-2.0 * x))).sum(-1)

    def forward_shape(self, shape):
        if len(shape) < 1:
            raise ValueError("Too few dimensions on input")
        count = shape[-1]
        n = round((1 + math.sqrt(1 + 8 * count)) / 2)
        if n * (n - 1) // 2 != count:
            raise ValueError("Input is not a flattened lower-diagonal number")
        return Size(tuple(shape[:-1]) + (n, n))

    def inverse_shape(self, shape):
        if len(shape) < 2:
            raise ValueError("Too few dimensions on input")
        if shape[-2] != shape[-1]:
            raise ValueError("Input is not square")
        n = shape[-1]
        return Size(tuple(shape[:-2]) + (n * (n - 1) // 2,))


class LowerCholeskyTransform(_Parameterless):
    """Any square matrix onto a lower Cholesky factor: the strictly lower part is kept, the diagonal is
    exponentiated (the upper part is dropped, so not bijective)."""

    domain = constraints.independent(constraints.real, 2)
    codomain = constraints.lower_cholesky

    def _call(self, x):
        return x.tril(-1) + x.diagonal(0, -2, -1).exp().diag_embed()

    def _inverse(self, y):
        return y.tril(-1) + y.diagonal(0, -2, -1).log().diag_embed()


class PositiveDefiniteTransform(_Parameterless):
    """Any square matrix onto a positive-definite one, ``L L^T`` with L from LowerCholeskyTransform; the
    inverse goes back through the Cholesky factor."""

    domain = constraints.independent(constraints.real, 2)
    codomain = constraints.positive_definite

    def _call(self, x):
        L = LowerCholeskyTransform()(x)
        return L @ L.mT

    def _inverse(self, y):
        from ..linalg import cholesky

        return LowerCholeskyTransform().inv(cholesky(y))
