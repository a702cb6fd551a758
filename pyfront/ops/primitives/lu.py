"""The LU primitives of ``pyfront.linalg``: the partial-pivoting factorization (LAPACK's getrf) and the
row permutation its pivots describe.

The factorization is Doolittle elimination with partial pivoting, one column at a time over the whole
batch at once (the pivot is the first largest magnitude in the column, as LAPACK's ``i?amax`` picks it),
so its pivots, packed factors and ``info`` are LAPACK's: ``pivots[i]`` (1-based, int32) is the row
swapped with row ``i`` at step ``i``, ``info`` the first zero diagonal element of U (1-based; 0 when
none); elimination goes on past a zero pivot, as getrf's does. Its backward is composed of pyfront ops
(``pyfront.linalg.lu``); neither has a WGSL kernel: on webgpu they run on the host (``cpu_fallback``), as
the other decompositions do.
"""
from __future__ import annotations

import math

from ... import dtypes as dt
from ..registry import OpDef, register

__all__: list = []
METHODS = ""
INPLACE = ""


def _getrf_np(np, a):
    *batch, m, n = a.shape
    k = min(m, n)
    count = math.prod(batch)
    lu = np.array(a, copy=True).reshape((count, m, n))
    pivots = np.zeros((count, k), np.int32)
    info = np.zeros(count, np.int32)
    every = np.arange(count)
    for j in range(k):
        p = j + np.argmax(np.abs(lu[:, j:, j]), axis=1)
        pivots[:, j] = p + 1
        row = lu[every, p].copy()
        lu[every, p] = lu[:, j]
        lu[:, j] = row
        pivot = lu[:, j, j]
        zero = pivot == 0
        info = np.where(zero & (info == 0), j + 1, info).astype(np.int32)
        # a zero pivot has a zero column below it: nothing to eliminate (getrf skips the scaling)
        lu[:, j + 1:, j] /= np.where(zero, 1, pivot)[:, None]
        lu[:, j + 1:, j + 1:] -= lu[:, j + 1:, j, None] * lu[:, j, None, j + 1:]
    return lu.reshape(a.shape), pivots.reshape(tuple(batch) + (k,)), info.reshape(tuple(batch))


def _lu_factor_vjp(c, g, *_):
    from ...linalg.lu import lu_factor_backward  # composed of linalg's solvers, which import this package

    return (lu_factor_backward(c.outputs[0], c.outputs[1], g),)


_LU_FACTOR = register(OpDef(
    "linalg_lu_factor_ex", "other",
    lambda a: [(tuple(a.shape), a.dtype), (tuple(a.shape[:-2]) + (min(a.shape[-2:]),), dt.int32),
               (tuple(a.shape[:-2]), dt.int32)],
    _getrf_np, _lu_factor_vjp, save_output=True, backward_name="LinalgLuFactorExBackward0",
    extra={"cpu_fallback": True}))


def _permutation_np(np, pivots, rows, inverse):
    """The row order ``perm`` with ``(P^T A)[i] = A[perm[i]]`` for ``A = P L U``, by replaying the swaps on
    ``0..rows-1``; ``inverse``: its inverse, the order with ``(P B)[i] = B[order[i]]``."""
    batch, k = pivots.shape[:-1], pivots.shape[-1]
    flat = pivots.reshape((-1, k)) if pivots.size else np.zeros((math.prod(batch), k), np.int32)
    perm = np.tile(np.arange(rows, dtype=np.int64), (flat.shape[0], 1))
    every = np.arange(flat.shape[0])
    for j in range(k):
        target = flat[:, j].astype(np.int64) - 1
        moved = perm[every, target].copy()
        perm[every, target] = perm[:, j]
        perm[:, j] = moved
    if inverse:
        perm = np.argsort(perm, axis=-1, kind="stable")
    return perm.reshape(tuple(batch) + (rows,))


_PERMUTATION = register(OpDef(
    "lu_pivots_permutation", "other",
    lambda pivots, rows, inverse: [(tuple(pivots.shape[:-1]) + (rows,), dt.int64)],
    _permutation_np, None, extra={"cpu_fallback": True, "quiet_fallback": True}))
