"""``torch.svd_lowrank`` and ``torch.pca_lowrank``: a few leading singular triplets of a (batch of) matrix
by randomized range finding (Halko, Martinsson and Tropp 2011, "Finding structure with randomness",
algorithms 4.4 and 5.1), composed of pyfront's matmul, QR and SVD, so gradients and devices come free.

A random ``(n, q)`` Gaussian block sketches the range of ``A``; ``niter`` subspace iterations (each a QR
of ``A^H Q`` then of ``A Q``) sharpen it; the exact SVD of the small ``Q^H A`` gives the triplets. A wide
matrix is handled as its conjugate transpose, so the sketch is always of the longer side."""

from __future__ import annotations

from .. import dtypes as dt
from ..ops.creation import randn
from .decompositions import qr, svd


def _basis(A, q: int, niter: int, M=None):
    """An orthonormal ``(m, q)`` basis approximating the range of ``A - M`` (``M`` None: of A)."""
    def times(X):
        return A @ X if M is None else A @ X - M @ X

    def adjoint_times(X):
        return A.mH @ X if M is None else A.mH @ X - M.mH @ X

    # torch's sketch: of A's dtype where it is float16, float32 or float64, else float32 (whose product with A
    # then refuses A's dtype: bfloat16, integers, float8)
    dtype = A.dtype if A.dtype in (dt.float16, dt.float32, dt.float64) else dt.float32
    Q = qr(times(randn(A.shape[-1], q, dtype=dtype, device=A.device))).Q
    for _ in range(niter):
        Q = qr(adjoint_times(Q)).Q
        Q = qr(times(Q)).Q
    return Q


def _svd_lowrank(A, q: int, niter: int, M=None):
    m, n = A.shape[-2:]
    if M is not None:
        M = M.broadcast_to(A.shape)
    wide = m < n
    if wide:
        A, M = A.mH, None if M is None else M.mH
    Q = _basis(A, q, niter, M)
    B = Q.mH @ A if M is None else Q.mH @ A - Q.mH @ M
    U, S, Vh = svd(B, full_matrices=False)
    U, V = Q @ U, Vh.mH
    return (V, S, U) if wide else (U, S, V)


def svd_lowrank(A, q: int | None = 6, niter: int | None = 2, M=None):
    """``(U, S, V)`` with ``A - M ~ U diag(S) V^H``, the ``q`` leading singular triplets, as
    ``torch.svd_lowrank``: ``U`` ``(*, m, q)``, ``S`` ``(*, q)``, ``V`` ``(*, n, q)``.

    Args:
        A (Tensor): ``(*, m, n)``.
        q (int, optional): the rank sketched (slightly above the rank wanted). Default: 6
        niter (int, optional): subspace iterations. Default: 2
        M (Tensor, optional): subtracted from A (broadcast to its shape) without forming ``A - M``.
    """
    return _svd_lowrank(A, 6 if q is None else q, 2 if niter is None else niter, M)


def pca_lowrank(A, q: int | None = None, center: bool = True, niter: int = 2):
    """``(U, S, V)``: the principal components of the rows of ``A`` (``V``'s columns), after subtracting
    the column means with ``center``, as ``torch.pca_lowrank``.

    Args:
        A (Tensor): ``(*, m, n)``, a row per sample.
        q (int, optional): the components wanted. Default: ``min(6, m, n)``
        center (bool): subtract each column's mean first. Default: True
        niter (int): subspace iterations. Default: 2

    Raises:
        ValueError: ``q`` outside ``[0, min(m, n)]`` or a negative ``niter`` (torch's texts).
    """
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not 0 <= q <= min(m, n):
        raise ValueError(f"q(={q}) must be non-negative integer and not greater than min(m, n)={min(m, n)}")
    if not niter >= 0:
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if center:
        A = A - A.mean(dim=(-2,), keepdim=True)
    return _svd_lowrank(A, q, niter)
