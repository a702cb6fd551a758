"""``torch.linalg``'s decompositions and solvers over the LAPACK primitives, with PyTorch's checks."""
from __future__ import annotations

from ..ops import return_types as rt
from ..ops.dispatch import apply_column_major
from ..ops.memory_formats import in_column_major
from ..ops.primitives import decompositions as P
from ..dtypes import FLOAT8, scalar_name
from ..ops.registry import records
from ..shape import broadcast_shapes
from ._checks import check, check_float, check_matrix


def inv_ex(A, *, check_errors=False):
    """The inverse of square matrices and LAPACK's ``info`` (0: invertible), as ``torch.linalg.inv_ex``."""
    return _inv_ex(A, P.checked_by(check_errors, "linalg.inv_ex"))


def _inv_ex(A, check_errors):
    check("linalg.inv", A)
    return rt.linalg_inv_ex(*apply_column_major(P._INV, (0,), A, check_errors=check_errors))


def inv(A):
    """The inverse of square matrices; raises ``LinAlgError`` for a singular one, as ``torch.linalg.inv``."""
    return _inv_ex(A, True).inverse


def _is_vector_rhs(A, B) -> bool:
    """PyTorch's rule: B is a (batch of) vector(s) if 1-D, or if its shape is A's without the last dim."""
    return B.dim() == 1 or (B.dim() == A.dim() - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


def solve_ex(A, B, *, left=True, check_errors=False):
    """The solution X of ``AX = B`` (``XA = B`` when not ``left``) and LAPACK's ``info``, as
    ``torch.linalg.solve_ex``."""
    return _solve_ex(A, B, left, P.checked_by(check_errors, "torch.linalg.solve_ex"))


@records("LinalgSolveExBackward0")  # also when B is a vector or left=False
def _solve_ex(A, B, left, check_errors):
    if A.dtype.is_floating_point and B.dtype is not A.dtype:
        raise RuntimeError("linalg.solve: Expected A and B to have the same dtype, but found A of type "
                           f"{scalar_name(A.dtype)} and B of type {scalar_name(B.dtype)} instead")
    check_matrix("linalg.solve", A)
    check_float("linalg.solve", A)
    vector = _is_vector_rhs(A, B)
    B_ = B.unsqueeze(-1) if vector else B
    n = A.shape[-1]
    if B_.dim() < 2 or (B_.shape[-2] if left else B_.shape[-1]) != n:
        rows, cols = (B_.shape[-2], B_.shape[-1]) if B_.dim() >= 2 else (B_.shape[-1], 1)
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation "
                           f"{'AX = B' if left else 'XA = B'} ({n}x{n} and {rows}x{cols})")
    if not left:
        A, B_ = A.mT, B_.mT
    batch = broadcast_shapes(tuple(A.shape[:-2]), tuple(B_.shape[:-2]))
    X, info = apply_column_major(P._SOLVE, (0,), A.expand(batch + tuple(A.shape[-2:])),
                                 B_.expand(batch + tuple(B_.shape[-2:])), check_errors=check_errors)
    X = X.mT if not left else X
    return rt.linalg_solve_ex(X.squeeze(-1) if vector else X, info)


def solve(A, B, *, left=True):
    """The solution X of ``AX = B`` (``XA = B`` when not ``left``), as ``torch.linalg.solve``."""
    return _solve_ex(A, B, left, True).result


def det(A):
    """The determinant of square matrices, as ``torch.linalg.det``."""
    check("linalg.det", A)
    return P.det(A)


def slogdet(A):
    """The sign and the log of the absolute value of the determinant, as ``torch.linalg.slogdet``."""
    check("linalg.slogdet", A)
    return rt.linalg_slogdet(*P.slogdet(A))


def cholesky_ex(A, *, upper=False, check_errors=False):
    """The Cholesky factor (lower, or upper ``L^T``) and LAPACK's ``info``, as ``torch.linalg.cholesky_ex``.

    ``upper`` reads A's upper triangle, as PyTorch does: it is the lower factor of ``A^T``, transposed.
    """
    return _cholesky_ex(A, upper, P.checked_by(check_errors, "linalg.cholesky_ex"))


@records("LinalgCholeskyExBackward0")  # also for upper=True
def _cholesky_ex(A, upper, check_errors):
    check("linalg.cholesky", A)
    L, info = P.cholesky_ex(A.mT if upper else A, check_errors)
    return rt.linalg_cholesky_ex(in_column_major(L.mT) if upper else L, info)  # U as LAPACK's, as torch's


def cholesky(A, *, upper=False):
    """The Cholesky factor of symmetric positive-definite matrices, as ``torch.linalg.cholesky``."""
    return _cholesky_ex(A, upper, True).L


def qr(A, mode="reduced"):
    """The QR decomposition (``mode``: 'reduced', 'complete' or 'r'), as ``torch.linalg.qr``."""
    check_matrix("linalg.qr", A, square=False)
    check_float("linalg.qr", A)
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
                           "'r', or 'complete'")
    return rt.linalg_qr(*P.qr(A, mode))


def svd(A, full_matrices=True, *, driver=None):
    """``A = U diag(S) Vh`` with S descending, as ``torch.linalg.svd``."""
    check_matrix("linalg.svd", A, square=False)
    check_float("linalg.svd", A)
    if driver is not None:
        raise RuntimeError("torch.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs "
                           "with cuSOLVER backend.")
    return rt.linalg_svd(*P.svd(A, full_matrices))


def svdvals(A, *, driver=None):
    """The singular values, descending, as ``torch.linalg.svdvals``."""
    return svd(A, False, driver=driver).S


def eigh(A, UPLO="L"):
    """Eigenvalues (ascending) and eigenvectors of symmetric matrices, reading the ``UPLO`` triangle, as
    ``torch.linalg.eigh``."""
    check("linalg.eigh", A)
    if UPLO not in ("L", "U", "l", "u"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return rt.linalg_eigh(*P.eigh(A, UPLO.upper()))


def _check_eig(name: str, A) -> None:
    """torch's checks of ``eig``'s input, in its order: the complex dtype of the input's first, then
    its shape and precision, then finite values (LAPACK's geev would not return on them)."""
    if A.dtype.kind not in "fc" or A.dtype in FLOAT8:  # (float8 has no complex twin)
        raise RuntimeError(f"Unknown Complex ScalarType for {scalar_name(A.dtype)}")
    check(name, A)
    if not bool(A.isfinite().all()):  # (torch's eigvals crashes here; pyfront gives eig's error)
        raise RuntimeError("torch.linalg.eig: input tensor should not contain infs or NaNs.")


def eig(A):
    """Eigenvalues and eigenvectors (unit length, complex) of square matrices, as ``torch.linalg.eig``."""
    _check_eig("linalg.eig", A)
    return rt.linalg_eig(*P.eig(A))


def eigvals(A):
    """The eigenvalues (complex) of square matrices, as ``torch.linalg.eigvals``."""
    _check_eig("linalg.eigvals", A)
    return rt.linalg_eig(*P.eig(A)).eigenvalues


def eigvalsh(A, UPLO="L"):
    """The eigenvalues of symmetric matrices, ascending, as ``torch.linalg.eigvalsh``."""
    return eigh(A, UPLO).eigenvalues
