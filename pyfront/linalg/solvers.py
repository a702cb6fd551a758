"""Least squares, the pseudo-inverse and the rank, through the SVD (or eigh) as PyTorch computes them,
and the cross product; gradients come from the ops they are built of."""
from __future__ import annotations

from .. import dtypes as dt
from ..ops import return_types as rt
from ..ops.creation import empty, zeros
from ..ops.primitives.elementwise import maximum, where
from ..dtypes import scalar_name
from ..ops.primitives.shaping import cat
from ..ops.registry import records
from ..ops.shell import SHELL, refuse_kernel
from ..shape import broadcast_shapes, normalize_dim
from ..autograd.function import Function
from ..tensor import Tensor
from ._checks import refuse_complex
from .decompositions import eigh, eigvalsh, svd, svdvals

_FLOATS = (dt.float32, dt.float64)


def _cutoff(A, smax, atol, rtol):
    """``max(atol, rtol * s_max)`` per matrix (``smax`` keeps its last dim), with PyTorch's default rtol:
    ``eps * max(m, n)``, or 0 where an ``atol`` above zero is given alone. Numbers or tensors."""
    if rtol is None:
        default = dt.finfo(A.dtype).eps * max(A.shape[-2], A.shape[-1])
        rtol = default if atol is None else where(atol > 0, 0.0, default) if isinstance(atol, Tensor) else (
            0.0 if atol > 0 else default)
    atol, rtol = (t.unsqueeze(-1) if isinstance(t, Tensor) else t for t in (atol or 0.0, rtol))
    scaled = smax * rtol
    return maximum(scaled, atol) if isinstance(atol, Tensor) else scaled.clamp_min(atol)


def _pinv(A, atol, rtol, hermitian):
    if hermitian:
        s, u = eigh(A)
        vh = u.mT
    else:
        u, s, vh = svd(A, False)
    keep = s.abs() > _cutoff(A, s.abs().amax(-1, keepdim=True), atol, rtol)
    s_inv = where(keep, 1 / where(keep, s, 1.0), 0.0)
    return (vh.mT * s_inv.unsqueeze(-2)) @ u.mT


class LinalgPinv(Function):
    """The pseudo-inverse with PyTorch's pinv_backward, the derivative of ``A^+`` at constant rank:
    ``-P^T g P^T + (I - A P) g^T P P^T + P^T P g^T (I - P A)`` (P = A^+), whatever cut-off made P."""

    @staticmethod
    def forward(ctx, A, atol, rtol, hermitian):
        P = _pinv(A, atol, rtol, hermitian)
        ctx.save_for_backward(A, P)
        return P

    @staticmethod
    def backward(ctx, g):
        A, P = ctx.saved_tensors
        gt = g.mT
        ga = -(P.mT @ g @ P.mT) + (gt - A @ (P @ gt)) @ (P @ P.mT) + (P.mT @ P) @ (gt - (gt @ P) @ A)
        return ga, None, None, None


@records("LinalgPinvBackward0")
def pinv(A, *, atol=None, rtol=None, hermitian=False):
    """The Moore-Penrose pseudo-inverse, zeroing singular values at or below ``max(atol, rtol * s_max)``,
    through the SVD (eigh when ``hermitian``), as ``torch.linalg.pinv``."""
    if A.dim() >= 2 and A.dtype.is_complex:
        refuse_complex("linalg.pinv", A)
    if A.dim() < 2 or A.dtype not in _FLOATS:
        raise RuntimeError(f"linalg.pinv({scalar_name(A.dtype)}{{{list(A.shape)}}}): expected a tensor with "
                           "2 or more dimensions of float, double, cfloat or cdouble types")
    if A.numel() == 0:
        return zeros(A.shape[:-2] + (A.shape[-1], A.shape[-2]), dtype=A.dtype, device=A.device)
    return LinalgPinv.apply(A, atol, rtol, hermitian)


def matrix_rank(A, *, atol=None, rtol=None, hermitian=False):
    """The number of singular values above ``max(atol, rtol * s_max)``, as ``torch.linalg.matrix_rank``."""
    if A.dim() < 2:
        raise RuntimeError("torch.linalg.matrix_rank: The input tensor input must have at least 2 "
                           "dimensions.")
    if A.dtype.is_complex:
        refuse_complex("linalg.matrix_rank", A)
    if A.dtype not in _FLOATS:
        raise RuntimeError("This function doesn't handle types other than float and double")
    s = eigvalsh(A).abs() if hermitian else svdvals(A)
    if s.shape[-1] == 0:
        return zeros(A.shape[:-2], dtype=dt.int64, device=A.device)
    return (s > _cutoff(A, s.amax(-1, keepdim=True), atol, rtol)).sum(-1)


_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


@records("LinalgLstsqBackward0")
def lstsq(A, B, rcond=None, *, driver=None):
    """The least-squares solution of ``AX = B`` and, as the LAPACK ``driver`` gives them, the squared
    residuals, the rank and the singular values, as ``torch.linalg.lstsq``.

    The solution is ``pinv(A) B`` with ``rcond`` as the relative cut-off (the minimum-norm solution
    the CPU drivers compute), so its gradient is PyTorch's, which also goes through the pseudo-inverse.
    """
    # torch's checks in its order: the operands' dims and dtypes, the driver, the sizes, then the kernel's
    if A.dim() < 2:
        raise RuntimeError("torch.linalg.lstsq: input must have at least 2 dimensions.")
    if B.dim() < 1:
        raise RuntimeError("torch.linalg.lstsq: other must have at least 1 dimension.")
    if A.dtype is not B.dtype:
        raise RuntimeError("torch.linalg.lstsq: Expected input and other to have the same dtype, but got "
                           f"input's dtype {scalar_name(A.dtype)} and other's dtype {scalar_name(B.dtype)}")
    driver = driver or "gelsy"
    if driver not in _DRIVERS:
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of "
                           "(gels, gelsy, gelsd, gelss)")
    vector = B.dim() == A.dim() - 1
    if (B.shape[-1] if vector else B.shape[-2]) != A.shape[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match "
                           f"other.size({-1 if vector else -2})")
    if A.dtype.is_complex:
        refuse_complex("linalg.lstsq", A)
    if A.dtype not in _FLOATS:
        raise RuntimeError("This function doesn't handle types other than float and double")
    B_ = B.unsqueeze(-1) if vector else B
    m, n = A.shape[-2], A.shape[-1]
    rtol = dt.finfo(A.dtype).eps * max(m, n) if rcond is None or rcond < 0 else rcond
    X = pinv(A, rtol=rtol) @ B_
    batch = broadcast_shapes(tuple(A.shape[:-2]), tuple(B_.shape[:-2]))
    rank = (matrix_rank(A, rtol=rtol).expand(batch) if driver != "gels"
            else empty(0, dtype=dt.int64, device=A.device))
    residuals = X.reshape(-1)[:0]  # empty, but from the solution's graph: torch's node shows on it too
    if driver != "gelsy" and m > n and bool((matrix_rank(A, rtol=rtol) == n).all()):
        residuals = (A @ X - B_).square().sum(-2)
    sv = svdvals(A).detach() if driver in ("gelsd", "gelss") else empty(0, dtype=A.dtype, device=A.device)
    return rt.linalg_lstsq(X.squeeze(-1) if vector else X, residuals, rank, sv)


@records("LinalgCrossBackward0")
def cross(input, other, *, dim=-1):
    """The cross product of 3-vectors along ``dim`` (inputs broadcast), as ``torch.linalg.cross``."""
    if input.dim() != other.dim():
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = normalize_dim(dim, input.dim())
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got {input.shape[d]} "
                           f"and {other.shape[d]}")
    if input.dtype is dt.bool_ or input.dtype in SHELL:  # the kernel's dispatch on input's dtype first
        refuse_kernel("cross", input.dtype)
    if input.dtype is not other.dtype:
        raise RuntimeError(f"expected scalar type {scalar_name(input.dtype)} but found "
                           f"{scalar_name(other.dtype)}")
    a = [input.narrow(d, i, 1) for i in range(3)]
    b = [other.narrow(d, i, 1) for i in range(3)]
    return cat([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]], d)
