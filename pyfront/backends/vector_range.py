"""``arange`` of a float dtype as torch's CPU kernel computes it, bit for bit, and the fused multiply-add
of doubles (``fma``) it and scaled_add.py use.

torch fills a float range a vector at a time: the first element of each vector is ``start + step * i``
in the dtype's accumulate type (float32 for float16 and bfloat16, double for float32 and float64),
rounded to the dtype; the rest of the vector adds ``k * step`` to that rounded first element (k = 1 ..
lanes - 1), again in the accumulate type. Its loop takes two vectors a step, and the elements left over
past the last pair (the scalar tail) are ``start + step * i`` each. Its vectors are 32 bytes (16 float16
or bfloat16, 8 float32, 4 float64, measured), and its multiply-adds are fused (rounded once), in float32
as in double.
"""
from __future__ import annotations

# dtype name -> (elements in one of torch's CPU vectors, whether the accumulate type is double)
_VECTOR = {"float16": (16, False), "bfloat16": (16, False), "float32": (8, True), "float64": (4, True)}


def arange_values(np, start, step, n, dtype_name):
    """The ``n`` values of torch's float ``arange(start, ..., step)``, as an array of ``dtype_name``."""
    lanes, wide = _VECTOR[dtype_name]
    out_type = np.dtype(dtype_name)  # (bfloat16: ml_dtypes', registered by the caller's array)
    i = np.arange(n, dtype=np.int64)
    k = i % lanes
    tail = i >= n - n % (2 * lanes)
    if wide:
        start, step = np.float64(start), np.float64(step)
        base = fma(np, step, (i - k).astype(np.float64), start).astype(out_type).astype(np.float64)
        out = fma(np, k.astype(np.float64), step, base)
        out[tail] = fma(np, step, i[tail].astype(np.float64), start)
    else:
        # float32's fused multiply-add: its exact product and the sum in double, rounded to float32
        start, step = (np.float64(np.float32(v)) for v in (start, step))

        def fma32(a, b, c):
            return (a.astype(np.float32).astype(np.float64) * b + c).astype(np.float32)
        with np.errstate(over="ignore"):
            base = fma32(i - k, step, start).astype(out_type).astype(np.float64)
            out = fma32(k, step, base)
            out[tail] = fma32(i[tail], step, start)
    with np.errstate(over="ignore"):
        return out.astype(out_type)


def fma(np, a, b, c):
    """``a * b + c`` rounded once (the product kept exactly by Dekker's split, then added in two parts);
    where the split would overflow, the plain sum; where the result is zero, too (the sum is then exact and
    has the fused zero's sign: -0.5 * 0 + -0 is -0, where the error terms' +0 would make it +0). WGSL's
    twin, for float32 on the GPU: fused_f32 in shaders/elementwise_lib.wgsl."""
    with np.errstate(over="ignore", invalid="ignore"):
        p = a * b
        a_hi, a_lo = _split(np, a)
        b_hi, b_lo = _split(np, b)
        err = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo  # a * b == p + err exactly
        s = p + c
        bv = s - p
        t = (p - (s - bv)) + (c - bv)  # p + c == s + t exactly
        fused = s + (t + err)
    return np.where(np.isfinite(fused) & (fused != 0), fused, p + c)


def _split(np, x):
    """``x`` as a sum of two doubles of 26 significant bits each (Veltkamp)."""
    big = x * 134217729.0
    hi = big - (big - x)
    return hi, x - hi
