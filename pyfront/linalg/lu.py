"""The LU family: ``linalg.lu_factor(_ex)``, ``linalg.lu``, ``lu_unpack``, ``linalg.lu_solve`` and the old
``torch.lu`` / ``torch.lu_solve``, with PyTorch's checks, messages and pivots (1-based int32, LAPACK's).

Only the factorization is a primitive (``ops/primitives/lu.py``); unpacking is tril/triu and a
permutation, solving is two triangular solves, so their gradients (and double backward) come from those
ops. The factorization's own backward is :func:`lu_factor_backward`.
"""
from __future__ import annotations

from .._warnings import warn_once
from ..dtypes import int32, scalar_name
from ..ops import return_types as rt
from ..ops.argcheck import must_be
from ..ops.creation import arange, eye
from ..ops.dispatch import apply, apply_column_major
from ..ops.primitives import lu as P
from ..ops.primitives.shaping import cat
from ..ops.registry import records
from ..shape import broadcast_shapes
from ..tensor import Tensor
from ._checks import check_matrix, refuse_complex
from .products import solve_triangular

__all__ = ["lu_factor", "lu_factor_ex", "lu", "lu_solve", "lu_unpack", "lu_factor_backward"]

_NO_PIVOT = "linalg.lu_factor: LU without pivoting is not implemented on the CPU"


def _check_factor_input(name: str, A) -> None:
    if A.dim() < 2:
        raise RuntimeError(f"{name}: Expected tensor with 2 or more dimensions. Got size: {list(A.shape)} "
                           "instead")
    if A.dtype.is_complex:
        refuse_complex(name, A)
    if not A.dtype.is_floating_point or A.dtype.itemsize < 4:  # the CPU kernel has float and double
        raise NotImplementedError(f"\"lu_cpu\" not implemented for '{scalar_name(A.dtype)}'")


def lu_factor_ex(A, *, pivot=True, check_errors=False):
    """The packed LU factorization with partial pivoting, as ``torch.linalg.lu_factor_ex``.

    Args:
        A: (*, m, n) float matrices (rectangular ones too).
        pivot: must be True (PyTorch factors without pivoting on CUDA only).
        check_errors: raise (RuntimeError, as torch) where a matrix has a zero pivot.

    Returns ``(LU, pivots, info)``: L (unit diagonal, below) and U (on and above) packed in one (*, m, n)
    tensor, (*, min(m, n)) int32 1-based row swaps, and (*) int32 LAPACK info (the first zero diagonal
    element of U, 1-based; 0 when none).
    """
    _check_factor_input("torch.lu_factor", A)
    if not pivot:
        raise RuntimeError(_NO_PIVOT)
    LU, pivots, info = apply_column_major(P._LU_FACTOR, (0,), A)
    if check_errors:
        _raise_on_zero_pivot(info, "lu_factor" if check_errors is _PLAIN else "lu_factor_ex")
    return rt.linalg_lu_factor_ex(LU, pivots, info)


_PLAIN = object()  # lu_factor's own check: its error names lu_factor, where lu_factor_ex's names itself


def _raise_on_zero_pivot(info, name) -> None:
    flat = info.reshape(-1).tolist()
    bad = next((i for i, v in enumerate(flat) if v), None)
    if bad is not None:
        batch = f"(Batch element {bad}): " if info.dim() else ""
        k = flat[bad]
        raise RuntimeError(f"torch.linalg.{name}: {batch}U[{k},{k}] is zero and using it on lu_solve "
                          "would result in a division by zero. If you still want to perform the "
                          "factorization, consider calling linalg.lu(A, pivot) or "
                          "linalg.lu_factor_ex(A, pivot)")


def lu_factor(A, *, pivot=True):
    """``(LU, pivots)`` of :func:`lu_factor_ex`, raising RuntimeError for a matrix with a
    zero pivot, as ``torch.linalg.lu_factor``."""
    LU, pivots, _ = lu_factor_ex(A, pivot=pivot, check_errors=_PLAIN)
    return rt.linalg_lu_factor(LU, pivots)


def _order(pivots, rows: int, inverse: bool):
    """The row order of P^T (``inverse``: of P) as int64 indices: ``(P^T A)[i] = A[order[i]]``."""
    return apply(P._PERMUTATION, pivots, rows=rows, inverse=inverse)


def _take_rows(X, order):
    """``X``'s rows in ``order`` (which broadcasts over X's batch); differentiable in X (a gather)."""
    batch = broadcast_shapes(tuple(X.shape[:-2]), tuple(order.shape[:-1]))
    X = X.expand(batch + tuple(X.shape[-2:]))
    index = order.expand(batch + tuple(order.shape[-1:])).unsqueeze(-1).expand(X.shape)
    return X.gather(-2, index)


def _permutation_matrix(order, dtype):
    """P, with ``P[j, i] = 1`` where ``order[i] == j`` (order: the row order of P^T)."""
    n = order.shape[-1]
    rows = arange(n, device=order.device).unsqueeze(-1)
    return (rows == order.unsqueeze(-2)).to(dtype)


def _split(LU):
    """L (m x k, unit diagonal) and U (k x n) of a packed factorization, k = min(m, n)."""
    m, n = LU.shape[-2], LU.shape[-1]
    k = min(m, n)
    L = LU[..., :, :k].tril(-1) + eye(m, k, dtype=LU.dtype, device=LU.device)
    return L, LU[..., :k, :].triu()


def _check_pivots(name: str, pivots) -> None:
    if pivots.dtype is not int32:
        raise RuntimeError(f"{name}: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype.\n"
                           "Note: this function is intended to be used with the output produced by "
                           "torch.linalg.lu_factor")


@records("LuUnpackBackward0")
def lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True):
    """P, L and U of a packed factorization from :func:`lu_factor`, as ``torch.lu_unpack``.

    Args:
        LU_data: (*, m, n) packed factors.
        LU_pivots: (*, min(m, n)) int32 1-based pivots.
        unpack_data: compute L (*, m, k) and U (*, k, n) (else both are empty tensors).
        unpack_pivots: compute the (*, m, m) permutation P in LU_data's dtype (else an empty tensor).
    """
    for position, (name, arg) in enumerate((("LU_data", LU_data), ("LU_pivots", LU_pivots)), 1):
        if not isinstance(arg, Tensor):
            raise must_be("lu_unpack", name, "Tensor", arg, position)
    if LU_data.dim() < 2:
        raise RuntimeError(f"torch.lu_unpack: Expected tensor with 2 or more dimensions. Got size: "
                           f"{list(LU_data.shape)} instead")
    _check_pivots("torch.lu_unpack", LU_pivots)
    m, n = LU_data.shape[-2], LU_data.shape[-1]
    empty = LU_data.new_empty((0,))
    L, U = _split(LU_data) if unpack_data else (empty, empty)
    Pm = empty
    if unpack_pivots:
        if LU_pivots.shape[-1] != min(m, n) or bool(((LU_pivots < 1) | (LU_pivots > m)).any()):
            raise RuntimeError("pivots passed to lu_unpack must be between 1 and LU.size(-2) inclusive."
                               "Did you properly pass the result of lu_factor?")
        Pm = _permutation_matrix(_order(LU_pivots, m, False), LU_data.dtype)
    return rt.lu_unpack(Pm, L, U)


@records("LinalgLuBackward0")
def lu(A, *, pivot=True):
    """``A = P L U`` with partial pivoting, as ``torch.linalg.lu``: P (*, m, m), L (*, m, k) unit lower
    triangular, U (*, k, n) upper triangular, k = min(m, n). Differentiable in A."""
    _check_factor_input("linalg.lu", A)
    if not pivot:
        raise RuntimeError(_NO_PIVOT)
    LU, pivots, _ = apply(P._LU_FACTOR, A)
    return rt.linalg_lu(*lu_unpack(LU, pivots))


def lu_factor_backward(LU, pivots, grad):
    """The gradient of A from the gradient of its packed factors, by the differentials of ``P^T A = L U``
    (L unit lower, U upper; the parts of dL, dU that keep those shapes): with k = min(m, n),
    square:  gA = P L^{-T} (tril(L^T gL, -1) + triu(gU U^T)) U^{-T};
    tall:    the rows below k (L2) add ``-L2^T gL2`` to the triu part and give ``gL2 U^{-T}`` rows;
    wide:    the columns right of k (U2) add ``-gU2 U2^T`` to the tril part and give ``L^{-T} gU2``."""
    m, n = LU.shape[-2], LU.shape[-1]
    k = min(m, n)
    L, U = _split(LU)
    gL, gU = grad[..., :, :k].tril(-1), grad[..., :k, :].triu()
    L1, U1 = L[..., :k, :], U[..., :, :k]
    gL1, gU1 = gL[..., :k, :], gU[..., :, :k]
    lower, upper = L1.mT @ gL1, gU1 @ U1.mT
    if m > n:
        upper = upper - L[..., k:, :].mT @ gL[..., k:, :]
    elif m < n:
        lower = lower - gU[..., :, k:] @ U[..., :, k:].mT
    M = lower.tril(-1) + upper.triu()
    if m >= n:
        G = cat([solve_triangular(L1.mT, M, upper=True, unitriangular=True), gL[..., k:, :]], -2)
        G = solve_triangular(U1.mT, G, upper=False, left=False)
    else:
        G = cat([solve_triangular(U1.mT, M, upper=False, left=False), gU[..., :, k:]], -1)
        G = solve_triangular(L1.mT, G, upper=True, unitriangular=True)
    # (+ 0: an exact zero is +0.0, as the triangular solves of torch's formula leave it, not -0.0 here)
    return _take_rows(G + 0.0, _order(pivots, m, True))


def _check_solve(LU, pivots, B, left) -> None:
    name = "linalg.lu_solve"
    if LU.dtype.is_complex:
        refuse_complex(name, LU)
    if not LU.dtype.is_floating_point:
        raise RuntimeError(f"torch.{name}: Expected a floating point or complex tensor as input. Got "
                           f"{scalar_name(LU.dtype)}")
    if B.dtype is not LU.dtype:
        raise RuntimeError(f"{name}: Expected LU and B to have the same dtype, but found LU of type "
                           f"{scalar_name(LU.dtype)} and B of type {scalar_name(B.dtype)} instead")
    if pivots.dtype is not int32:
        raise RuntimeError(f"{name}: pivots should be a Tensor of scalar type torch.int32")
    check_matrix(f"torch.{name}", LU)
    check_matrix(name, B, square=False, arg="B")
    n = LU.shape[-1]
    if (B.shape[-2] if left else B.shape[-1]) != n:
        raise RuntimeError(f"{name}: Incompatible shapes of A and B for the equation "
                           f"{'AX = B' if left else 'XA = B'} ({n}x{n} and {B.shape[-2]}x{B.shape[-1]})")
    if pivots.dim() < 1 or pivots.shape[-1] != n:
        raise RuntimeError(f"{name}: Number of pivots per batch should be same as the dimension of the "
                           "matrix")
    if tuple(pivots.shape) != tuple(LU.shape[:-1]):
        raise RuntimeError(f"{name}: Expected LU.shape[:-1] and pivots.shape to be the same, but got pivots "
                           f"with shape {list(pivots.shape)} instead")


@records("LinalgLuSolveBackward0")
def lu_solve(LU, pivots, B, *, left=True, adjoint=False):
    """The solution X of ``AX = B`` given A's factorization from :func:`lu_factor`, as
    ``torch.linalg.lu_solve``: ``XA = B`` when not ``left``, A^T in place of A when ``adjoint``.

    Args:
        LU: (*, n, n) packed factors; pivots: (*, n) int32 pivots.
        B: (*, n, k) right-hand sides (``left``) or (*, k, n); batches broadcast with LU's.

    Differentiable in LU and B. A zero pivot gives inf/nan, not an error.
    """
    _check_solve(LU, pivots, B, left)
    if not left:  # XA = B is A^T X^T = B^T
        return lu_solve(LU, pivots, B.mT, adjoint=not adjoint).mT
    n = LU.shape[-1]
    if not adjoint:  # U^{-1} L^{-1} P^T B
        Y = _take_rows(B, _order(pivots, n, False))
        Y = solve_triangular(LU, Y, upper=False, unitriangular=True)
        return solve_triangular(LU, Y, upper=True)
    Y = solve_triangular(LU.mT, B, upper=False)  # P L^{-T} U^{-T} B
    Y = solve_triangular(LU.mT, Y, upper=True, unitriangular=True)
    return _take_rows(Y, _order(pivots, n, True))


_LU_DEPRECATED = (
    "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex and will be "
    "removed in a future PyTorch release.\nLU, pivots = torch.lu(A, compute_pivots)\n"
    "should be replaced with\n"
    "LU, pivots = torch.linalg.lu_factor(A, compute_pivots)\nand\n"
    "LU, pivots, info = torch.lu(A, compute_pivots, get_infos=True)\nshould be replaced with\n"
    "LU, pivots, info = torch.linalg.lu_factor_ex(A, compute_pivots)")
_LU_SOLVE_DEPRECATED = (
    "torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed in a future PyTorch "
    "release.\nNote that torch.linalg.lu_solve has its arguments reversed.\n"
    "X = torch.lu_solve(B, LU, pivots)\n"
    "should be replaced with\nX = torch.linalg.lu_solve(LU, pivots, B)")


def legacy_lu(A, pivot=True, get_infos=False, out=None):
    """The deprecated ``torch.lu`` (warns once): ``(LU, pivots)``, with ``info`` when ``get_infos`` (then a
    zero pivot is not an error)."""
    warn_once(_LU_DEPRECATED)
    # torch's _lu_with_info checks only for invalid arguments: a singular matrix is factored, not refused
    LU, pivots, info = lu_factor_ex(A, pivot=pivot)
    result = rt._lu_with_info(LU, pivots, info) if get_infos else (LU, pivots)
    if out is None:
        return result
    # torch's Python writes each result into its out (any dtype: resize_as_, copy_) and returns out as given
    if len(out) - (1 if get_infos else 0) != 2:
        raise TypeError(f"expected tuple of {2 + int(get_infos)} elements but got {len(out)}")
    if not isinstance(out, (tuple, list)):
        raise TypeError(f"argument 'out' must be tuple of Tensors, not {type(out).__name__}")
    for o, r in zip(out, result):
        o.resize_as_(r).copy_(r)
    return out


def legacy_lu_solve(b, LU_data, LU_pivots):
    """The deprecated ``torch.lu_solve(b, LU_data, LU_pivots)`` (warns once): ``linalg.lu_solve`` with its
    arguments in the old order."""
    warn_once(_LU_SOLVE_DEPRECATED)
    return lu_solve(LU_data, LU_pivots, b)
