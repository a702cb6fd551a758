"""Vector and matrix norms, composed of pyfront ops (abs, sum, amax, the vector-norm reduction), so
they run natively on every device; only the spectral norms (2, -2, 'nuc') need singular values."""
from __future__ import annotations

import math

from ..ops.primitives.reductions import norm as _vector_norm
from .. import dtypes as dt
from ..ops import sparse_seam
from ..shape import list_dims, single_int_list
from ._checks import check_float, check_matrix
from .decompositions import svdvals


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """``sum(|x|^ord)^(1/ord)`` over ``dim`` (all dims when None; max/min for ±inf, the count of
    non-zeros for 0), as ``torch.linalg.vector_norm``."""
    if isinstance(ord, str) or not isinstance(ord, (int, float)):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' (position 2) must be Number, not "
                        f"{type(ord).__name__}")
    if isinstance(x, sparse_seam.TYPES):  # torch's refusal (no sparse kernel)
        return sparse_seam.call("linalg_vector_norm", (x, ord, dim, keepdim), {"dtype": dtype})
    return _vector_norm(x, ord, dim, keepdim, dtype)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """A matrix norm over the two dims ``dim``: 'fro', 'nuc' (sum of singular values), ±1 (max/min
    column sum of |A|), ±inf (max/min row sum), ±2 (largest/smallest singular value), as
    ``torch.linalg.matrix_norm``."""
    check_matrix("linalg.matrix_norm", A, square=False)
    spectral = ord in ("nuc", 2, -2)  # by singular values, which torch takes in float and double only
    check_float("linalg.matrix_norm", A, low_precision=spectral)
    if spectral and A.dtype in dt.FLOAT8:
        raise RuntimeError("linalg.matrix_norm: Low precision dtypes not supported. Got "
                           f"{dt.scalar_name(A.dtype)}")
    if len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}")
    d0, d1 = list_dims(dim, A.dim())
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dim[0]}, {dim[1]})")
    if dtype is not None:
        A = A.to(dtype)
    if ord == "fro":
        return _vector_norm(A, 2, (d0, d1), keepdim)
    # an empty matrix has norm 0 (a maximum of no nonnegative values); a minimum over nothing is
    # PyTorch's amin error, naming the dim as its reduction does
    if ord in ("nuc", 2, -2):
        s = svdvals(A.movedim((d0, d1), (-2, -1)))
        if s.shape[-1] == 0 and ord == -2:
            raise IndexError("amin(): Expected reduction dim -1 to have non-zero size.")
        out = s.sum(-1) if ord == "nuc" or s.shape[-1] == 0 else s.amax(-1) if ord == 2 else s.amin(-1)
        return out.unsqueeze(min(d0, d1)).unsqueeze(max(d0, d1)) if keepdim else out
    if ord in (1, -1, math.inf, -math.inf):
        summed, picked = (d0, d1) if abs(ord) == 1 else (d1, d0)
        out = _vector_norm(A, 1, summed, keepdim)  # torch's 1-norms of the columns (rows)
        picked -= not keepdim and summed < picked
        if ord > 0:
            return out.sum(picked, keepdim) if out.shape[picked] == 0 else out.amax(picked, keepdim)
        return out.amin(picked, keepdim)
    raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """A vector norm (one dim, or all of them) or a matrix norm (two dims), as ``torch.linalg.norm``."""
    if dim is not None and not isinstance(dim, int):
        dim = single_int_list(dim) or tuple(dim)
        if len(dim) == 1:
            dim = dim[0]
        elif len(dim) != 2:
            raise RuntimeError("linalg.norm: If dim is specified, it must be of length 1 or 2. Got "
                               f"{list(dim)}")
    if dim is None:
        if ord is None:
            return vector_norm(A, 2, None, keepdim, dtype=dtype)
        if A.dim() not in (1, 2):
            raise RuntimeError("linalg.norm: If dim is not specified but ord is, the input must be 1D or "
                               f"2D. Got {A.dim()}D.")
        dim = 0 if A.dim() == 1 else (0, 1)
    if isinstance(dim, tuple):
        return matrix_norm(A, "fro" if ord is None else ord, dim, keepdim, dtype=dtype)
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
