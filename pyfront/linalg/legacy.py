"""The top-level names (and Tensor methods) PyTorch keeps for the linalg functions: ``torch.det``,
``torch.inverse``, ``torch.svd`` (which returns V, not Vh), ``torch.cross`` (whose dim defaults to the
first of size 3), ..."""
from __future__ import annotations

from .._warnings import warn_once
from ..ops import return_types as rt
from ..ops.creation import zeros
from ..ops.primitives.elementwise import where
from ..ops.registry import records
from ..tensor import Tensor
from . import decompositions as D
from .products import cholesky_inverse, cholesky_solve
from .solvers import cross as _linalg_cross, pinv

__all__ = ["det", "inverse", "slogdet", "logdet", "cholesky", "svd", "qr", "pinverse", "cross",
           "cholesky_solve", "cholesky_inverse"]



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
    return D.cholesky(input, upper=upper)


def svd(input, some=True, compute_uv=True):
    """``torch.svd``: U, S and V (not Vh); zero-filled U and V when not ``compute_uv``."""
    U, S, Vh = D.svd(input, full_matrices=not some)
    if not compute_uv:
        m, n = input.shape[-2], input.shape[-1]
        batch = tuple(input.shape[:-2])
        return rt.svd(zeros(batch + (m, m), dtype=input.dtype, device=input.device), S,
                      zeros(batch + (n, n), dtype=input.dtype, device=input.device))
    return rt.svd(U, S, Vh.mT)


def qr(input, some=True):
    """``torch.qr``: the reduced (``some``) or complete QR decomposition."""
    return rt.qr(*D.qr(input, "reduced" if some else "complete"))


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


for _name in __all__:
    setattr(Tensor, _name, globals()[_name])
