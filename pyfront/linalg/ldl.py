"""``linalg.ldl_factor(_ex)`` and ``linalg.ldl_solve``: the Bunch-Kaufman factorization ``P A P^T = L D L^T``
of a symmetric matrix (D with 1x1 and 2x2 blocks) in LAPACK's packed form, as torch returns it: ``LD``
holds L's strict lower part and D's blocks (the upper triangle zeroed), ``pivots`` are LAPACK's 1-based
int32 interchanges, negative (and repeated) for a 2x2 block.

The factorization is Bunch and Kaufman's partial pivoting ("Some stable methods for calculating inertia
and solving symmetric linear systems", 1977) with their alpha = (1 + sqrt 17) / 8, choosing pivots as
LAPACK's unblocked sytf2 does (lower triangle), so LD and pivots are torch's. It runs on the host in
NumPy, one matrix at a time: n steps of rank-1 or rank-2 updates; there is no gradient (as torch's)."""

from __future__ import annotations

import math

from ..autograd.function import no_derivative
from .. import dtypes as dt
from ..dtypes import int32, scalar_name
from ..ops import return_types as rt
from ..ops.creation import tensor
from ..ops.memory_formats import in_column_major
from ..ops.shell import refuse_kernel
from ..tensor import Tensor
from ._checks import refuse_complex

__all__ = ["ldl_factor", "ldl_factor_ex", "ldl_solve"]

_ALPHA = (1 + math.sqrt(17)) / 8


def _first_max(np, values):
    """The reference BLAS i*amax: the first index of the largest magnitude (a NaN is never larger)."""
    mags = np.abs(values)
    return int(np.argmax(np.where(np.isnan(mags), -1.0, mags)))


def _factor_one(np, A):
    """One matrix in place (lower triangle used); returns (pivots 1-based, info)."""
    n, info = A.shape[0], 0
    pivots = np.zeros(n, dtype=np.int32)
    k = 0
    while k < n:
        step, absakk = 1, abs(A[k, k])
        imax, colmax = k, 0.0
        if k < n - 1:
            imax = k + 1 + _first_max(np, A[k + 1:, k])
            colmax = abs(A[imax, k])
        if not max(absakk, colmax) > 0:  # a zero (or NaN) column: D's block is singular
            info = info or k + 1
            kp = k
        elif absakk >= _ALPHA * colmax:
            kp = k
        else:
            jmax = k + _first_max(np, A[imax, k:imax])
            rowmax = abs(A[imax, jmax])
            if imax < n - 1:
                rowmax = max(rowmax, abs(A[imax + 1 + _first_max(np, A[imax + 1:, imax]), imax]))
            if absakk >= _ALPHA * colmax * (colmax / rowmax):
                kp = k
            elif abs(A[imax, imax]) >= _ALPHA * rowmax:
                kp = imax
            else:
                kp, step = imax, 2
        kk = k + step - 1
        if kp != kk:  # the symmetric interchange of rows and columns kk and kp, on the lower triangle
            A[kp + 1:, [kk, kp]] = A[kp + 1:, [kp, kk]]
            between = A[kk + 1:kp, kk].copy()
            A[kk + 1:kp, kk] = A[kp, kk + 1:kp]
            A[kp, kk + 1:kp] = between
            A[[kk, kp], [kk, kp]] = A[[kp, kk], [kp, kk]]
            if step == 2:
                A[[k + 1, kp], k] = A[[kp, k + 1], k]
        if max(absakk, colmax) > 0:
            if step == 1 and k < n - 1:
                x = A[k + 1:, k].copy()
                scaled = (-1 / A[k, k]) * x
                A[k + 1:, k + 1:] += np.tril(np.outer(x, scaled))
                A[k + 1:, k] = x * (1 / A[k, k])
            elif step == 2 and k < n - 2:
                d21 = A[k + 1, k]
                d11, d22 = A[k + 1, k + 1] / d21, A[k, k] / d21
                d21 = (1 / (d11 * d22 - 1)) / d21
                rest = slice(k + 2, n)
                wk = d21 * (d11 * A[rest, k] - A[rest, k + 1])
                wkp1 = d21 * (d22 * A[rest, k + 1] - A[rest, k])
                A[rest, rest] -= np.tril(np.outer(A[rest, k], wk))  # two subtractions, in LAPACK's order
                A[rest, rest] -= np.tril(np.outer(A[rest, k + 1], wkp1))
                A[rest, k], A[rest, k + 1] = wk, wkp1
        pivots[k:k + step] = kp + 1 if step == 1 else -(kp + 1)
        k += step
    return pivots, info


def ldl_factor_ex(A, *, hermitian=False, check_errors=False):
    """``(LD, pivots, info)``: the packed Bunch-Kaufman factorization of each symmetric matrix of ``A``
    (its lower triangle read), as ``torch.linalg.ldl_factor_ex``; ``info`` > 0 names the first zero
    diagonal block (1-based).

    Args:
        A (Tensor): ``(*, n, n)`` float or double.
        hermitian (bool): for complex input (pyfront's are real: no effect). Default: False
        check_errors (bool): raise where ``info`` is not 0. Default: False
    """
    return _factor("torch.linalg.ldl_factor_ex", A, check_errors)


def ldl_factor(A, *, hermitian=False):
    """``(LD, pivots)``, as ``torch.linalg.ldl_factor`` (``ldl_factor_ex`` that raises on a singular D)."""
    LD, pivots, _ = _factor("torch.linalg.ldl_factor", A, True)
    return rt.linalg_ldl_factor(LD, pivots)


def _factor(name, A, check_errors):
    import numpy as np
    if A.dim() < 2:
        raise RuntimeError("torch.linalg.ldl_factor_ex: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError("torch.linalg.ldl_factor_ex: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    if A.dtype.is_complex:
        refuse_complex("linalg.ldl_factor_ex", A)
    if not A.dtype.is_floating_point:
        raise RuntimeError("torch.linalg.ldl_factor_ex: Expected a floating point or complex tensor as "
                           f"input. Got {scalar_name(A.dtype)}")
    if A.dtype in dt.FLOAT8:  # torch copies A's lower triangle for the kernel first: tril has no float8 one
        refuse_kernel("tril", A.dtype)
    if A.dtype.itemsize < 4:
        raise NotImplementedError(f"\"ldl_factor_kernel_cpu\" not implemented for '{scalar_name(A.dtype)}'")
    n = A.shape[-1]
    host = np.array(A.detach().cpu().numpy(), dtype=np.float64 if A.dtype.itemsize == 8 else np.float32)
    mats = host.reshape(-1, n, n)
    pivots = np.zeros(mats.shape[:2], dtype=np.int32)
    infos = np.zeros(mats.shape[0], dtype=np.int32)
    with np.errstate(divide="ignore", invalid="ignore"):
        for i, m in enumerate(mats):
            pivots[i], infos[i] = _factor_one(np, m)
            m[np.triu_indices(n, 1)] = 0
    if check_errors and infos.any():
        # torch 2.13 reaches an internal assertion here, and says so
        raise RuntimeError('false INTERNAL ASSERT FAILED at "/__w/pytorch/pytorch/aten/src/ATen/native/'
                           'BatchLinearAlgebra.cpp":1642, please report a bug to PyTorch. '
                           f"{name}: Unknown error code: {int(infos[infos != 0][0])}.")
    batch = tuple(A.shape[:-2])
    # laid out as LAPACK leaves it, as torch's
    LD = in_column_major(tensor(mats.reshape(host.shape), dtype=A.dtype, device=A.device))
    if A.requires_grad:
        LD = no_derivative(LD, "derivative for linalg_ldl_factor_ex is not implemented", A)
    return rt.linalg_ldl_factor_ex(LD, tensor(pivots.reshape(*batch, n), dtype=int32, device=A.device),
                                   tensor(infos.reshape(batch), dtype=int32, device=A.device))


def _solve_one(np, LD, pivots, B):
    """LAPACK sytrs (lower): ``A X = B`` from one packed factorization, ``B`` in place."""
    n, k = LD.shape[0], 0
    while k < n:  # L D Y = P B
        p = int(pivots[k])
        if p > 0:
            B[[k, p - 1]] = B[[p - 1, k]]
            B[k + 1:] -= np.outer(LD[k + 1:, k], B[k])
            B[k] *= 1 / LD[k, k]
            k += 1
        else:
            B[[k + 1, -p - 1]] = B[[-p - 1, k + 1]]
            B[k + 2:] -= np.outer(LD[k + 2:, k], B[k]) + np.outer(LD[k + 2:, k + 1], B[k + 1])
            off = LD[k + 1, k]
            first, second = LD[k, k] / off, LD[k + 1, k + 1] / off
            denom = first * second - 1
            b0, b1 = B[k] / off, B[k + 1] / off
            B[k], B[k + 1] = (second * b0 - b1) / denom, (first * b1 - b0) / denom
            k += 2
    k = n - 1
    while k >= 0:  # L^T P X = Y
        p = int(pivots[k])
        B[k] -= LD[k + 1:, k] @ B[k + 1:]
        if p > 0:
            B[[k, p - 1]] = B[[p - 1, k]]
            k -= 1
        else:
            B[k - 1] -= LD[k + 1:, k - 1] @ B[k + 1:]
            B[[k, -p - 1]] = B[[-p - 1, k]]
            k -= 2
    return B


def ldl_solve(LD, pivots, B, *, hermitian=False):
    """``X`` with ``A X = B`` from ``ldl_factor``'s ``(LD, pivots)`` of A, as ``torch.linalg.ldl_solve``.

    Args:
        LD (Tensor): ``(*, n, n)``. pivots (Tensor): ``(*, n)`` int32. B (Tensor): ``(*, n, k)``.
        hermitian (bool): for complex input (no effect here). Default: False
    """
    import numpy as np
    if not isinstance(B, Tensor) or B.dim() < 2:
        from ..shape import normalize_dim
        normalize_dim(-2, B.dim())  # torch's IndexError for a 1-d B
    n = LD.shape[-1]
    if B.shape[-2] != n:
        raise RuntimeError(f"Incompatible matrix sizes for torch.linalg.ldl_solve: each A matrix is {n} by "
                           f"{n} but each b matrix is {B.shape[-2]} by {B.shape[-1]}")
    batch = np.broadcast_shapes(tuple(LD.shape[:-2]), tuple(B.shape[:-2]))
    lds = np.broadcast_to(LD.detach().cpu().numpy(), (*batch, n, n)).reshape(-1, n, n)
    pivs = np.broadcast_to(pivots.cpu().numpy(), (*batch, n)).reshape(-1, n)
    rhs = tuple(B.shape[-2:])
    out = np.array(np.broadcast_to(B.detach().cpu().numpy(), (*batch, *rhs))).reshape(-1, *rhs)
    with np.errstate(divide="ignore", invalid="ignore"):  # a singular D gives inf and nan, as LAPACK's
        for i in range(out.shape[0]):
            _solve_one(np, lds[i], pivs[i], out[i])
    X = tensor(out.reshape(*batch, *B.shape[-2:]), dtype=B.dtype, device=B.device)
    if LD.requires_grad or B.requires_grad:
        X = no_derivative(X, "derivative for linalg_ldl_solve is not implemented", LD, B)
    return X
