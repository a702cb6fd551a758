"""linalg functions built on the others: ``vander``, ``diagonal``, ``tensorinv``, ``tensorsolve`` (a reshape
around ``inv`` / ``solve``) and ``cond`` (singular values, or a norm of A times the same norm of A^-1), with
PyTorch's checks and messages. Composites, so they differentiate and run wherever their parts do."""
from __future__ import annotations

import math
import operator

from ..shape import index_like, normalize_dim
from .. import dtypes as dt
from ..tensor import Tensor

__all__ = ["cond", "diagonal", "tensorinv", "tensorsolve", "vander"]


def vander(x: Tensor, *, N: int | None = None) -> Tensor:
    """The Vandermonde matrix of ``x`` (``(*, n)``): ``(*, n, N)`` with columns ``x^0 .. x^(N-1)``;
    ``N`` defaults to n. Raises RuntimeError when N (or n) is under 2."""
    d = x.dtype
    # torch's kernel: float32/64, complex and every integer (its powers in int64, wrapping, an unsigned
    # one's too); bool, the halves and the float8 family are refused by name
    if d is dt.bool_ or d in dt.HALVES or d in dt.FLOAT8:
        raise RuntimeError("linalg.vander supports floating point, complex, and integer tensors, but got "
                           f"{dt.scalar_name(d)}")
    n = x.shape[-1] if x.dim() else 0
    N = n if N is None else N
    if N <= 1:
        raise RuntimeError("N must be greater than 1.")
    from ..ops.creation import arange

    powers = arange(N, device=x.device)
    if d.is_floating_point or d.is_complex:
        return x.unsqueeze(-1) ** powers.to(d)
    return x.to(powers.dtype).unsqueeze(-1) ** powers


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """``torch.diagonal`` over the last two dims by default (a view)."""
    return A.diagonal(offset, dim1, dim2)


def tensorinv(A: Tensor, ind: int = 2) -> Tensor:
    """The tensor ``X`` with ``tensordot(A, X, ind)`` the identity: ``inv`` of A reshaped to a square matrix,
    of shape ``A.shape[ind:] + A.shape[:ind]``. Raises RuntimeError for ind <= 0 or a non-square split."""
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    rows, cols = math.prod(A.shape[:ind]), math.prod(A.shape[ind:])
    if rows != cols:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[ind:]) == "
                           f"prod(self.shape[:ind]), but got {cols} != {rows}")
    from .decompositions import inv

    return inv(A.reshape(rows, cols)).reshape(tuple(A.shape[ind:]) + tuple(A.shape[:ind]))


def tensorsolve(A: Tensor, B: Tensor, dims=None) -> Tensor:
    """The ``X`` with ``tensordot(A, X, X.ndim) == B``: ``solve`` of A reshaped to a square matrix, after
    moving ``dims`` of A to the end. Raises RuntimeError when the sizes do not make a square system."""
    if dims is not None:
        # an int[] as torch's parser reads it: no bool, float or ndarray first (TypeError: the public
        # wrapper parses the call then, for torch's text), an index after it
        if not isinstance(dims, (tuple, list)) or dims and not index_like(dims[0]):
            raise TypeError(f"dims must be a tuple of ints, not {type(dims).__name__}")
        given = [operator.index(d) for d in dims]
        dims = [normalize_dim(d, A.dim()) for d in given]
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"movedim: repeated dim in `source` ({given})")
        A = A.permute([d for d in range(A.dim()) if d not in dims] + dims)
    result_shape = tuple(A.shape[B.dim():])
    rows, cols = B.numel(), math.prod(result_shape)
    if math.prod(A.shape[:B.dim()]) != rows or rows != cols:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == "
                           f"prod(self.shape[:other.ndim]), but got {cols} != {math.prod(A.shape[:B.dim()])}")
    from .decompositions import solve

    return solve(A.reshape(rows, cols), B.reshape(rows)).reshape(result_shape)


def cond(A: Tensor, p=None) -> Tensor:
    """The condition number of (a batch of) matrices: ``smax / smin`` for p None or 2 (``smin / smax`` for
    -2), else ``norm(A, p) * norm(inv(A), p)`` for 'fro', 'nuc', inf, -inf, 1, -1 (square A only)."""
    if A.dim() < 2:
        raise RuntimeError("linalg.cond: The input tensor must have at least 2 dimensions.")
    from .decompositions import inv_ex, svdvals
    from .norms import matrix_norm

    # torch's answer for matrices without elements: 0 (NumPy leaves it undefined); for 'fro' and 'nuc' only
    # once they are square
    empty = A.numel() == 0
    if empty and not isinstance(p, str):
        return A.new_zeros(A.shape[:-2])
    if p is None or p in (2, -2):
        s = svdvals(A)
        big, small = s[..., 0], s[..., -1]
        return small / big if p == -2 else big / small
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.cond(ord={p}): A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    if empty:
        return A.new_zeros(A.shape[:-2])
    if p == "nuc":  # from the singular values, as torch's: no inverse to fail
        s = svdvals(A)
        return s.sum(-1) * s.reciprocal().sum(-1)
    # a singular matrix's inverse is taken as all inf, and a NaN product (0 * inf, a NaN input) is inf: the
    # condition number of a matrix that has no inverse, as torch's, not inv's error
    inverse, info = inv_ex(A)
    inverse = inverse.masked_fill((info > 0)[..., None, None], math.inf)
    out = matrix_norm(A, p) * matrix_norm(inverse, p)
    return out.masked_fill(out.isnan(), math.inf)
