"""Products and triangular solves of ``torch.linalg`` composed of pyfront ops: matmul, vecdot, multi_dot,
matrix_power, matrix_exp, solve_triangular, and the top-level cholesky_solve / cholesky_inverse built on
it."""
from __future__ import annotations

import math

from .. import dtypes as dt
from ..ops.composite.linalg import matmul
from ..ops.creation import eye
from ..ops.primitives.shaping import cat
from ..ops.registry import records
from ..shape import broadcast_shapes, normalize_dim
from ._checks import check_float, check_linear_solve, check_matrix, refuse_kernelless, refuse_unsolvable
from .decompositions import inv, solve_ex

__all__ = ["matmul", "vecdot", "multi_dot", "matrix_power", "matrix_exp", "solve_triangular"]


def vecdot(x, y, *, dim=-1):
    """The dot product of vectors along ``dim`` (inputs broadcast), as ``torch.linalg.vecdot``: of floats
    or complex numbers (x conjugated) of one dtype (no promotion)."""
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        raise RuntimeError("linalg.vecdot: Expected a floating point or complex tensor as input. Got "
                           f"{dt.scalar_name(x.dtype)}")
    if y.dtype is not x.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found x of type "
                           f"{dt.scalar_name(x.dtype)} and y of type {dt.scalar_name(y.dtype)} instead")
    product = (x.conj() if x.dtype.is_complex else x) * y
    return product.sum(normalize_dim(dim, product.dim()))  # (an int: sum's list would take one tensor)


def multi_dot(tensors):
    """The product of a chain of matrices (the first and last may be vectors), as
    ``torch.linalg.multi_dot``; multiplied left to right, where PyTorch picks the cheapest order."""
    tensors = list(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    for i, t in enumerate(tensors):
        where = "first" if i == 0 else "last" if i == len(tensors) - 1 else None
        if where and t.dim() not in (1, 2):
            raise RuntimeError(f"multi_dot(): the {where} tensor must be 1D or 2D but got {t.dim()}D")
        if not where and t.dim() != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t.dim()}D")
    first, last = tensors[0], tensors[-1]
    mats = ([first.unsqueeze(0) if first.dim() == 1 else first] + tensors[1:-1]
            + [last.unsqueeze(1) if last.dim() == 1 else last])
    out = mats[0]
    for i, m in enumerate(mats[1:]):
        if out.shape[-1] != m.shape[0]:
            raise RuntimeError(f"multi_dot(): tensors {i} and {i + 1} with shapes {list(tensors[i].shape)} "
                               f"and {list(tensors[i + 1].shape)} cannot be multiplied")
        out = out @ m
    shape = tuple(out.shape[tensors[0].dim() == 1:out.dim() - (tensors[-1].dim() == 1)])
    return out.view(shape)  # PyTorch's result is a view of its last product (ViewBackward0)


def matrix_power(A, n):
    """``A`` multiplied by itself ``n`` times (the identity for 0, powers of the inverse below 0), by
    repeated squaring, as ``torch.linalg.matrix_power``."""
    check_matrix("linalg.matrix_power", A)
    if n == 0:
        # PyTorch copies the identity into a clone of A: CopyBackwards, a zero gradient to A
        return A.clone().copy_(eye(A.shape[-1], dtype=A.dtype, device=A.device).expand(A.shape))
    if n == 1:
        return A.clone()  # a new tensor, as PyTorch's (CloneBackward0)
    if n < 0:
        A, n = inv(A), -n
    result, square = None, A
    while n:
        if n & 1:
            result = square if result is None else result @ square
        n >>= 1
        if n:
            square = square @ square
    return result


# the largest 1-norm at which a degree-18 Taylor polynomial is exact to the dtype's precision (PyTorch's
# mexp thresholds, from Bader, Blanes and Casas, "Computing the Matrix Exponential with an Optimized
# Taylor Polynomial Approximation", 2019); a larger matrix is scaled by a power of 2 below it, then squared
_EXP_THETA = {4: 3.010066362817634e+00, 8: 1.090863719290036e+00, 2: 3.010066362817634e+00}


@records("LinalgMatrixExpBackward0")
def matrix_exp(A):
    """``e^A``, the sum of ``A^k / k!``, of each square matrix in ``A``, as ``torch.linalg.matrix_exp``
    (also ``torch.matrix_exp``): scaling and squaring around a degree-18 Taylor polynomial, composed of
    matmuls so webgpu runs it and autograd differentiates it. PyTorch picks a lower degree for small
    norms; the values agree to the dtype's precision, not bit for bit."""
    check_matrix("linalg.matrix_exp", A)
    check_float("linalg.matrix_exp", A)
    if A.numel() == 0:
        return A.clone()
    norm = A.detach().abs().sum(-2).amax().item()  # the largest 1-norm in the batch sets the scaling
    theta = _EXP_THETA[A.dtype.itemsize]
    squarings = max(0, math.ceil(math.log2(norm / theta))) if math.isfinite(norm) and norm > theta else 0
    X = A / 2.0 ** squarings if squarings else A
    I = eye(A.shape[-1], dtype=A.dtype, device=A.device)  # noqa: E741
    P = I + X / 18
    for k in range(17, 0, -1):  # Horner: I + X/k (I + X/(k+1) (...))
        P = I + (X @ P) / k
    for _ in range(squarings):
        P = P @ P
    return P


@records("LinalgSolveTriangularBackward0")
def solve_triangular(A, B, *, upper, left=True, unitriangular=False):
    """The solution of ``AX = B`` (``XA = B`` when not ``left``) reading only A's ``upper`` or lower
    triangle (and a unit diagonal when ``unitriangular``), as ``torch.linalg.solve_triangular``; its
    gradient lives on that triangle. A zero on the diagonal gives trsm's inf/nan (substitution), as torch."""
    check_matrix("linalg.solve_triangular", A)
    check_matrix("linalg.solve_triangular", B, square=False, arg="B")
    n = A.shape[-1]
    if (B.shape[-2] if left else B.shape[-1]) != n:
        raise RuntimeError(f"linalg.solve_triangular: Incompatible shapes of A and B for the equation "
                           f"{'AX = B' if left else 'XA = B'} ({n}x{n} and {B.shape[-2]}x{B.shape[-1]})")
    refuse_unsolvable("triangular_solve_cpu", A)  # (solve_ex's names its own)
    if B.dtype is not A.dtype:  # torch solves into a result of A's dtype, B copied into it
        B = B.to(A.dtype)
    T = A.triu() if upper else A.tril()
    if unitriangular:
        I = eye(n, dtype=A.dtype, device=A.device)  # noqa: E741
        T = T * (1 - I) + I
    solved = solve_ex(T, B, left=left)
    if not bool((solved.info != 0).any()):
        return solved.result
    return _substitute(T, B, upper) if left else _substitute(T.mT, B.mT, not upper).mT


def _substitute(T, B, upper: bool):
    """``T X = B`` row by row, as trsm: where T's diagonal has a zero (LU then gives nan everywhere) each
    row divides by its own pivot, so the infinities and nans are torch's."""
    n = T.shape[-1]
    rows = [None] * n
    for i in (range(n - 1, -1, -1) if upper else range(n)):
        known = [j for j in range(n) if rows[j] is not None]
        acc = B[..., i:i + 1, :]
        for j in known:
            acc = acc - T[..., i:i + 1, j:j + 1] * rows[j]
        rows[i] = acc / T[..., i:i + 1, i:i + 1]
    return cat(rows, dim=-2)


@records("CholeskySolveBackward0")
def cholesky_solve(input, input2, upper=False):
    """``A^{-1} B`` for ``A = L L^T`` (``U^T U`` when ``upper``) given its factor, as
    ``torch.cholesky_solve``."""
    for arg, t in (("b", input), ("u", input2)):
        if t.dim() < 2:
            raise RuntimeError(f"{arg} should have at least 2 dimensions, but has {t.dim()} dimensions "
                               "instead")
    check_linear_solve("cholesky_solve", input, input2)
    batch = broadcast_shapes(input.shape[:-2], input2.shape[:-2])  # (b's batch first in torch's words)
    refuse_unsolvable("cholesky_solve_cpu", input)
    L = (input2.mT if upper else input2).expand(*batch, *input2.shape[-2:])
    return solve_triangular(L.mT, solve_triangular(L, input, upper=False), upper=True)


@records("CholeskyInverseBackward0")
def cholesky_inverse(input, upper=False):
    """``(L L^T)^{-1}`` (``(U^T U)^{-1}`` when ``upper``) from its Cholesky factor, as
    ``torch.cholesky_inverse``."""
    check_matrix("cholesky_inverse", input)
    refuse_kernelless("cholesky_inverse", input)
    _refuse_zero_diagonal(input)
    I = eye(input.shape[-1], dtype=input.dtype, device=input.device)  # noqa: E741
    return cholesky_solve(I.expand(input.shape), input, upper)


def _refuse_zero_diagonal(factor):
    """torch's cholesky_inverse (LAPACK's potri) refuses a factor with a zero on its diagonal: the
    first such (1-based) of the first such matrix in the batch (a NaN there passes, to a NaN result)."""
    if not factor.numel():
        return
    zero = factor.diagonal(dim1=-2, dim2=-1) == 0
    if not bool(zero.any()):
        return
    from ..ops.primitives.decompositions import LinAlgError
    rows = zero.reshape(-1, zero.shape[-1]).tolist()
    batch = next(b for b, row in enumerate(rows) if any(row))
    where = f"(Batch element {batch}): " if factor.dim() > 2 else ""
    first = rows[batch].index(True) + 1
    raise LinAlgError(f"cholesky_inverse: {where}The diagonal element {first} is zero, the inversion could "
                      "not be completed because the input matrix is singular.")

