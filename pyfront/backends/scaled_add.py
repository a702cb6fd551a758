"""``a + alpha * b`` rounded once, as torch's CPU ``add``/``sub`` with an ``alpha`` compute it (measured:
every float32 and float64 element, its vectors' fmadd and its scalar loop alike, contiguous, strided or
broadcast), and so SGD's and every ``x.add_(y, alpha=s)`` of an optimizer.

Where both are row-major arrays of one shape, OpenBLAS's axpy (host_blas) computes it. Elsewhere NumPy
does: float32's product is exact in double and its sum is rounded to double once, then to float32, which
rounds twice only where the double lands exactly on a float32 midpoint; those rare elements are redone
with the sum's exact error (Knuth's two-sum) rounded to odd, which a second rounding keeps correct.
float64 takes vector_range.fma (Dekker's exact product, then the sum and its errors: correctly rounded
but where those errors' own sum rounds, which random tests have not met).
"""
from __future__ import annotations

from . import host_blas
from .vector_range import fma

_FLT_MIN = 1.1754943508222875e-38  # float32's least normal: below it a float32 rounds at a coarser bit


def scaled_add(np, a, b, alpha, out=None):
    """``a + alpha * b`` (arrays of one float dtype, broadcasting; ``alpha`` a number rounded to that
    dtype as torch's scalar_t) rounded once, into ``out`` where given (which may be ``a``)."""
    if alpha == 1 or alpha == -1:  # a plain sum or difference: one rounding already, no call to make
        r = (np.add if alpha == 1 else np.subtract)(a, b, out=out)
        return r if out is not None or type(r) is np.ndarray else np.asarray(r)
    if out is a and host_blas.axpy(alpha, b, a):  # (first: it runs per parameter per optimizer step)
        return a
    # (the copy only where axpy can take it: b row-major and of a's dtype too, else it is wasted)
    if (out is None and a.shape == b.shape and a.dtype == b.dtype and a.flags.c_contiguous
            and b.flags.c_contiguous):
        r = np.array(a, copy=True)
        if host_blas.axpy(alpha, b, r):
            return r
    dtype = np.result_type(a, b)
    alpha = np.float64(alpha) if dtype == np.float64 else np.float64(np.float32(alpha))  # torch's scalar_t
    r = fused_multiply_add(np, b, alpha, a)
    if out is None:
        return r
    out[...] = r
    return out


def fused_multiply_add(np, x, y, a):
    """``x * y + a`` rounded once to the dtype of ``a`` (float32 or float64; ``x`` and ``y`` arrays or
    numbers of that dtype, broadcasting), as a CPU's fma: torch's addcmul is one, fma(value * t1, t2, a)."""
    a = np.asarray(a)
    with np.errstate(all="ignore"):
        if a.dtype == np.float64:
            return fma(np, x, y, a)
        return _float32(np, a, x, y)


def _float32(np, a, x, y):
    s = np.asarray(np.multiply(x, y, dtype=np.float64))  # exact: 24 bits times 24 bits (0-d: an array)
    s = np.add(s, a, out=s) if s.shape == np.broadcast_shapes(s.shape, a.shape) else s + a
    bits = s.view(np.int64)
    # a double rounds to float32 as the exact sum does unless it lies on a float32 midpoint: the low 29 of
    # its 52 fraction bits 1 then zeros for a normal float32, a subnormal one's coarser midpoint below
    risky = (bits & 0x1FFFFFFF) == 0x10000000
    risky |= (np.abs(s) < _FLT_MIN) & (s != 0)
    at = np.flatnonzero(risky)
    if at.size:
        def picked(v):
            return np.broadcast_to(v, s.shape).flat[at].astype(np.float64)
        p, v = picked(x) * picked(y), picked(a)
        t = s.flat[at]
        back = t - p
        err = (p - (t - back)) + (v - back)  # p + v == t + err exactly
        odd = (err != 0) & np.isfinite(err) & (t.view(np.int64) & 1 == 0)
        t = np.where(odd, np.nextafter(t, np.where(err > 0, np.inf, -np.inf)), t)  # rounded to odd
        s.flat[at] = t
    return s.astype(np.float32)
