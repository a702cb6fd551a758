"""Products of Householder reflectors in LAPACK's compact form (what geqrf leaves): the explicit Q
(``linalg.householder_product``, ``torch.orgqr``) and Q applied to a matrix (``torch.ormqr``).

Reflector i is ``H_i = I - tau_i v_i v_i^T``, v_i column i of the input below its diagonal with a 1 on it.
Each is applied as a rank-1 update (``X - tau_i v_i (v_i^T X)``), never formed, so the products are
matmuls that webgpu runs and autograd differentiates.
"""
from __future__ import annotations

from ..dtypes import scalar_name
from ..ops.creation import eye
from ..ops.memory_formats import in_column_major
from ..ops.registry import records
from ._checks import refuse_complex

__all__ = ["householder_product", "orgqr", "ormqr"]


def _householder_check(name: str, A, tau) -> None:
    """torch's argument checks of householder_product (orgqr) in its order: ranks, sizes, batch, dtype."""
    if A.dim() < 2:
        raise RuntimeError(f"{name}: input must have at least 2 dimensions.")
    if A.shape[-2] < A.shape[-1]:
        raise RuntimeError(f"{name}: input.shape[-2] must be greater than or equal to input.shape[-1]")
    if A.shape[-1] < tau.shape[-1]:
        raise RuntimeError(f"{name}: input.shape[-1] must be greater than or equal to tau.shape[-1]")
    if tau.dim() != A.dim() - 1:
        raise RuntimeError(f"{name}: Expected tau to have one dimension less than input, but got tau.ndim "
                           f"equal to {tau.dim()} and input.ndim is equal to {A.dim()}")
    if tuple(tau.shape[:-1]) != tuple(A.shape[:-2]):
        raise RuntimeError(f"{name}: Expected batch dimensions of tau to be equal to input.shape[:-2], but "
                           f"got {list(tau.shape[:-1])}")
    if tau.dtype is not A.dtype:
        raise RuntimeError(f"{name}: tau dtype {scalar_name(tau.dtype)} does not match input dtype "
                           f"{scalar_name(A.dtype)}")
    if A.dtype.is_complex:
        refuse_complex(name, A)
    if not A.dtype.is_floating_point or A.dtype.itemsize < 4:
        raise NotImplementedError(f"\"orgqr_cpu\" not implemented for '{scalar_name(A.dtype)}'")


def _reflect(X, V, tau, i):
    """``H_i X`` for ``H_i = I - tau_i v_i v_i^T``, v_i column i of V: a rank-1 update, not the m x m H_i."""
    v = V[..., :, i]
    return X - (tau[..., i, None] * v)[..., :, None] * (v[..., None, :] @ X)


@records("LinalgHouseholderProductBackward0")
def householder_product(A, tau):
    """The first n columns of ``H_1 H_2 ... H_k`` (LAPACK's orgqr), as ``torch.linalg.householder_product``.

    Each ``H_i = I - tau_i v_i v_i^T`` with v_i column i of A below the diagonal and 1 on it (the form
    geqrf leaves a QR decomposition in). Composed of matmuls, so webgpu runs it and autograd differentiates
    it.

    Args:
        A: (*, m, n) with m >= n, the reflectors' vectors in its strict lower triangle.
        tau: (*, k) with k <= n, their scales.

    Returns:
        (*, m, n) the product's first n columns.

    Raises:
        RuntimeError: ranks, sizes, batches or dtypes that do not fit (torch's texts); NotImplementedError:
        an integer or float16 input.
    """
    _householder_check("torch.linalg.householder_product", A, tau)
    m, n, k = A.shape[-2], A.shape[-1], tau.shape[-1]
    V = _vectors(A, k)
    Q = eye(m, n, dtype=A.dtype, device=A.device).expand(A.shape)
    for i in reversed(range(k)):  # H_1 (H_2 (... (H_k I)))
        Q = _reflect(Q, V, tau, i)
    return in_column_major(Q)  # (LAPACK's orgqr result, as torch's)


def _vectors(A, k):
    """The reflectors' vectors: A's first k columns, strictly below the diagonal, with 1 on it."""
    m = A.shape[-2]
    return A[..., :, :k].tril(-1) + eye(m, k, dtype=A.dtype, device=A.device)


def orgqr(input, tau):
    """``torch.orgqr``: :func:`householder_product` by its LAPACK name (and torch's messages)."""
    return householder_product(input, tau)


def _ormqr_check(input, tau, other, left) -> None:
    name = "torch.ormqr"
    if input.dim() < 2:
        raise RuntimeError(f"{name}: input must have at least 2 dimensions.")
    if other.dim() < 2:
        raise RuntimeError(f"{name}: other must have at least 2 dimensions.")
    side = -2 if left else -1
    if other.shape[side] != input.shape[-2]:
        raise RuntimeError(f"{name}: other.shape[{side}] must be equal to input.shape[-2]")
    if tau.dim() >= 1 and tau.shape[-1] != min(other.shape[side], input.shape[-1]):
        raise RuntimeError(f"{name}: tau.shape[-1] must be equal to min(other.shape[{side}], "
                           "input.shape[-1])")
    if tau.dim() != input.dim() - 1:
        raise RuntimeError(f"{name}: Expected tau to have one dimension less than input, but got tau.ndim "
                           f"equal to {tau.dim()} and input.ndim is equal to {input.dim()}")
    for what, batch in (("tau", tau.shape[:-1]), ("other", other.shape[:-2])):
        if tuple(batch) != tuple(input.shape[:-2]):
            raise RuntimeError(f"{name}: Expected batch dimensions of {what} to be equal to "
                               f"input.shape[:-2], but got {list(batch)}")
    for what, t in (("tau", tau), ("other", other)):
        if t.dtype is not input.dtype:
            raise RuntimeError(f"{name}: Expected input and {what} to have the same dtype, but input has "
                               f"dtype{scalar_name(input.dtype)} and {what} has dtype {scalar_name(t.dtype)}")
    if not input.dtype.is_floating_point or input.dtype.itemsize < 4:
        raise NotImplementedError(f"\"ormqr_cpu\" not implemented for '{scalar_name(input.dtype)}'")


@records("OrmqrBackward0")
def ormqr(input, tau, other, left=True, transpose=False):
    """``Q other`` for the Q of :func:`householder_product` (all m x m of it), as ``torch.ormqr``: ``other Q``
    when not ``left``, Q^T in place of Q when ``transpose``.

    Args:
        input: (*, m, n) the reflectors' vectors; tau: (*, k) their scales.
        other: (*, m, p) (``left``) or (*, p, m).

    Returns:
        a tensor of ``other``'s shape. Differentiable in all three.

    Raises:
        RuntimeError: ranks, sizes, batches or dtypes that do not fit (torch's texts).
    """
    _ormqr_check(input, tau, other, left)
    if not left:  # other Q = (Q^T other^T)^T
        return in_column_major(ormqr(input, tau, other.mT, True, not transpose).mT)
    k = tau.shape[-1]
    V = _vectors(input, k)
    X = other
    # Q = H_1 ... H_k: Q X applies H_k first; Q^T X = H_k ... H_1 X applies H_1 first
    for i in (range(k) if transpose else reversed(range(k))):
        X = _reflect(X, V, tau, i)
    return in_column_major(X)  # (LAPACK's ormqr result, as torch's)
