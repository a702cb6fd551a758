"""The top-level names (and Tensor methods) PyTorch keeps for the linalg functions: ``torch.det``,
``torch.inverse``, ``torch.svd`` (which returns V, not Vh), ``torch.cross`` (whose dim defaults to the
first of size 3), ..."""
from __future__ import annotations

from .._warnings import warn_once
from ..dtypes import FLOAT8, scalar_name
from ..ops import return_types as rt
from ..ops.primitives import decompositions as P
from ..ops.creation import zeros
from ..ops.primitives.elementwise import where
from ..ops.registry import records
from ..shape import broadcast_shapes
from ..tensor import Tensor
from . import decompositions as D
from ._checks import check, check_linear_solve, refuse_unsolvable
from .householder import orgqr, ormqr
from .lu import legacy_lu as lu, legacy_lu_solve as lu_solve, lu_unpack
from .products import cholesky_inverse, cholesky_solve
from .solvers import cross as _linalg_cross, pinv

__all__ = ["det", "inverse", "slogdet", "logdet", "cholesky", "svd", "qr", "pinverse", "cross",
           "cholesky_solve", "cholesky_inverse", "chain_matmul", "triangular_solve",
           "lu", "lu_solve", "lu_unpack", "orgqr", "ormqr", "geqrf"]



def det(input):
    """The determinant, as ``torch.det``."""
    return D.det(input)


def inverse(input):
    """The inverse of square matrices, as ``torch.inverse``."""
    return D.inv(input)


def slogdet(input):
    """The sign and log-absolute-determinant, as ``torch.slogdet``."""
    return rt.slogdet(*D.slogdet(input))


def logdet(input):
    """``log(det(A))``: nan for a negative determinant, -inf for zero, as ``torch.logdet``."""
    check("logdet", input)  # torch's refusals name logdet, not the slogdet it computes with
    if input.dtype in FLOAT8:
        raise RuntimeError(f"logdet: Low precision dtypes not supported. Got {scalar_name(input.dtype)}")
    sign, logabsdet = D.slogdet(input)
    return where(sign < 0, float("nan"), logabsdet)


_CHOLESKY_DEPRECATED = (
    "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a future PyTorch "
    "release.\nL = torch.cholesky(A)\nshould be replaced with\nL = torch.linalg.cholesky(A)\nand\n"
    "U = torch.cholesky(A, upper=True)\nshould be replaced with\nU = torch.linalg.cholesky(A).mH\n"
    "This transform will produce equivalent results for all valid (symmetric positive definite) inputs.")


@records("CholeskyBackward0")
def cholesky(input, upper=False):
    """The deprecated ``torch.cholesky`` (warns once, as PyTorch does)."""
    warn_once(_CHOLESKY_DEPRECATED)
    return D._cholesky_ex(input, upper, "cholesky").L  # its error names the old function


def svd(input, some=True, compute_uv=True):
    """``torch.svd``: U, S and V (not Vh); zero-filled U and V when not ``compute_uv``."""
    U, S, Vh = D.svd(input, full_matrices=not some)
    if not compute_uv:
        m, n = input.shape[-2], input.shape[-1]
        batch = tuple(input.shape[:-2])
        return rt.svd(zeros(batch + (m, m), dtype=input.dtype, device=input.device), S,
                      zeros(batch + (n, n), dtype=input.dtype, device=input.device))
    return rt.svd(U, S, Vh.mT)


_QR_DEPRECATED = (
    "torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future PyTorch release.\n"
    "The boolean parameter 'some' has been replaced with a string parameter 'mode'.\n"
    "Q, R = torch.qr(A, some)\nshould be replaced with\n"
    "Q, R = torch.linalg.qr(A, 'reduced' if some else 'complete')")


def qr(input, some=True):
    """``torch.qr``: the reduced (``some``) or complete QR decomposition (deprecated: warns once)."""
    warn_once(_QR_DEPRECATED)
    return rt.qr(*D.qr(input, "reduced" if some else "complete"))


def geqrf(input):
    """``torch.geqrf``: ``(a, tau)``, a QR decomposition as LAPACK keeps it: R on and above a's diagonal,
    the Householder vectors below it (see ``linalg.householder_product``) and their scales in tau.
    Not differentiable (torch's error at backward)."""
    if input.dim() < 2:
        raise RuntimeError("torch.geqrf: input must have at least 2 dimensions.")
    if not input.dtype.is_floating_point or input.dtype.itemsize < 4:
        raise NotImplementedError(f"\"geqrf_cpu\" not implemented for '{scalar_name(input.dtype)}'")
    return rt.geqrf(*P.geqrf(input))


def pinverse(input, rcond=1e-15, hermitian=False):
    """``torch.pinverse``: ``linalg.pinv`` with ``rcond`` as the relative tolerance."""
    return pinv(input, rtol=rcond, hermitian=hermitian)


_CROSS_DEPRECATED = (
    "Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the dim explicitly "
    "or simply use torch.linalg.cross.\nThe default value of dim will change to agree with that of "
    "linalg.cross in a future release.")


def cross(input, other, dim=None):
    """``torch.cross``: ``linalg.cross``, with ``dim`` defaulting (deprecated) to the first dim of size 3."""
    if dim is None:
        warn_once(_CROSS_DEPRECATED)
        dim = next((d for d, n in enumerate(input.shape) if n == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    return _linalg_cross(input, other, dim=dim)


_CHAIN_DEPRECATED = (
    "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
    "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than multiple "
    "parameters.")
_TRIANGULAR_DEPRECATED = (
    "torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangularand will be removed in a "
    "future PyTorch release.\ntorch.linalg.solve_triangular has its arguments reversed and does not return a "
    "copy of one of the inputs.\nX = torch.triangular_solve(B, A).solution\nshould be replaced with\n"
    "X = torch.linalg.solve_triangular(A, B).")


def chain_matmul(*matrices):
    """The product of the 2-D ``matrices`` (deprecated): ``linalg.multi_dot``; one matrix gives a copy."""
    warn_once(_CHAIN_DEPRECATED)
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for m in matrices:
        if m.dim() != 2:
            raise RuntimeError(f"Tensor dimension is {m.dim()}, expected 2 instead.")
    if len(matrices) == 1:
        return matrices[0].clone()
    from .products import multi_dot

    return multi_dot(list(matrices))


def triangular_solve(input, A, upper=True, transpose=False, unitriangular=False):
    """Solve ``A X = input`` for triangular ``A`` (deprecated; ``linalg.solve_triangular`` reversed):
    ``(solution, cloned_coefficient)``. Raises RuntimeError for mismatched sizes."""
    warn_once(_TRIANGULAR_DEPRECATED)
    for arg, t in (("b", input), ("A", A)):
        if t.dim() < 2:
            raise RuntimeError(f"torch.triangular_solve: Expected {arg} to have at least 2 dimensions, but "
                               f"it has {t.dim()} dimensions instead")
    check_linear_solve("triangular_solve", input, A)
    broadcast_shapes(input.shape[:-2], A.shape[:-2])  # (b's batch first in torch's words)
    refuse_unsolvable("triangular_solve_cpu", input)
    from .products import solve_triangular

    lhs = A.mT if transpose else A
    x = solve_triangular(lhs, input, upper=upper != transpose, unitriangular=unitriangular)
    from ..sparse import contiguous_format

    def column_major(t):  # torch's LAPACK results' layout
        return t.mT.clone(memory_format=contiguous_format).mT

    # the coefficient as torch's kernel clones it: broadcast to the batch of the solution
    return rt.triangular_solve(column_major(x), column_major(A.expand(*x.shape[:-2], *A.shape[-2:])))


for _name in __all__:
    if _name not in ("chain_matmul", "lu_unpack"):  # the ones torch keeps off Tensor
        setattr(Tensor, _name, globals()[_name])
