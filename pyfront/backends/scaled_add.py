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
    # the commonest sum apart, both row-major of one shape, in the fewest steps (then every other layout)
    if (out is None and a.shape == b.shape and a.dtype == b.dtype and a.flags.c_contiguous
            and b.flags.c_contiguous):
        r = np.array(a, copy=True)
        if host_blas.axpy(alpha, b, r):
            return r
    r = _through_blas(np, a, b, alpha, out)
    if r is not None:
        return r
    dtype = np.result_type(a, b)
    alpha = np.float64(alpha) if dtype == np.float64 else np.float64(np.float32(alpha))  # torch's scalar_t
    r = fused_multiply_add(np, b, alpha, a)
    if out is None:
        return r
    out[...] = r
    return out


def _through_blas(np, a, b, alpha, out):
    """scaled_add's operands of one dtype made row-major arrays of the result's shape where they are not (a
    strided self or other, a broadcast row, a number, an other over self's memory), so that BLAS's axpy
    computes the sum in their dtype: a copy or two, where NumPy's way rounds in double through temporaries
    of twice the size (ten times the time). The result (``out``, which is ``a``, where given), or None where
    BLAS can't (none, an alpha it skips) or another ``out``."""
    if a.dtype != b.dtype or out is not None and out is not a or not host_blas.available(a.dtype):
        return None
    shape = np.broadcast_shapes(a.shape, b.shape)
    target = None  # the array axpy writes: a itself where its memory is row-major in some order of its dims
    if out is not None and a.shape == shape and a.flags.writeable:
        if a.flags.c_contiguous:
            target = a
        elif a.flags.f_contiguous:  # a transposed self: both read in its memory's order (elementwise)
            target, b, shape = a.T, np.broadcast_to(b, shape).T, shape[::-1]
    in_a = target is not None
    if not in_a:
        target = np.empty(shape, a.dtype)
        target[...] = a
    if not (b.shape == shape and b.flags.c_contiguous) or in_a and np.may_share_memory(a, b):
        b = np.array(np.broadcast_to(b, shape), order="C")  # (a copy where b reads a's memory)
    if not host_blas.axpy(alpha, b, target):
        return None
    if out is None:
        return target
    if not in_a:
        out[...] = target
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


def fused_lerp(np, x, end, w, out=None):
    """torch's lerp kernel: ``x + w * (end - x)`` for ``|w| < 0.5``, else ``end - (end - x) * (1 - w)``,
    each a fused multiply-add rounded once (its vectors' fmadd). float16 comes as float32 (torch's opmath).
    One weight (Adam's exp_avg step, lerp by a number) is scaled_add's sum (one form, BLAS's axpy where it
    can). A tensor of weights: the float32 product is exact in double, whose sum rounds as the fused one
    but for rare double roundings (a plain float32 ``x + w * d`` rounds twice: a sixth of random values
    differ from torch's). ``out`` (``x`` itself, a number ``w``): the result written there."""
    with np.errstate(all="ignore"):
        d = end - x  # (before out, which is x, is written)
        if np.ndim(w) == 0:  # (w of x's dtype, as is 1 - w: axpy's alpha exactly, and the fallback's)
            if abs(w) < 0.5:
                return scaled_add(np, x, d, float(w), out=out)
            if out is not None:
                out[...] = end
                end = out
            # end + -(d * rest) is end - d * rest, zeros' signs too
            return scaled_add(np, end, d, -float(1 - w), out=out)
        rest = 1 - w
        if x.dtype == np.float64:
            return np.where(np.abs(w) < 0.5, fma(np, w, d, x), fma(np, -d, rest, end))
        x, end, w, d, rest = (a.astype(np.float64) for a in (x, end, w, d, rest))
        return np.where(np.abs(w) < 0.5, x + w * d, end - d * rest).astype(np.float32)
