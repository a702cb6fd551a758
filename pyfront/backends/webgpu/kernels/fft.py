"""The discrete Fourier transforms (``fft_c2c``, ``fft_r2c``, ``fft_c2r``) as products with DFT matrices.

One dim at a time: the input's rows along it times an n x m matrix of twiddles, made on the GPU from its
index (an elementwise kernel: exp(-+2 pi i (j k mod n) / n), the scale folded in), through the tiled matrix
product, whose K chunks bound each invocation's work (DESIGN.md). O(n^2) per row, where a fast transform is
O(n log n): right for the sizes scripts transform (frames of a few hundred, a RoPE table, an image's rows);
torch's values to float32 rounding of the sums.
"""
from __future__ import annotations

import math

from .... import dtypes as dt
from ...storage import Layout, dense
from . import launcher
from .elementwise import run_elementwise
from .matmul import matmul

# the twiddle of row j, column k of an n_in x n_out matrix (s0 = n_out, s1 = the transform's length,
# s2 = +-2 pi / length, s3 = the scale); j k is taken mod the length in integers, so the angle is exact
# to float32 rounding however large j k (j k < 2^32: lengths to 65,536)
_TWIDDLE = ("vec2<f32>(cos_f32(s2 * f32((i / s0) * (i % s0) % s1)), "
            "sin_f32(s2 * f32((i / s0) * (i % s0) % s1))) * s3")
# c2r's: a half spectrum's bins 1 .. ceil(n/2) - 1 stand for their mirror images too, so count twice
_HERMITIAN = f"{_TWIDDLE} * select(2.0, 1.0, (i / s0) == 0u || 2u * (i / s0) == s1)"


def _scale(norm, forward, n):
    if norm == "ortho":
        return 1 / math.sqrt(n)
    return 1 / n if (norm == "forward") == forward else 1.0


def _twiddles(backend, n_in, n_out, length, forward, scale, expr=_TWIDDLE):
    if length > 1 << 16:
        raise RuntimeError(f"webgpu transforms lengths up to 65536, not {length}; move the tensor to the cpu "
                           "device")
    storage = backend.allocate(n_in * n_out, dt.complex64)
    sign = -1.0 if forward else 1.0
    run_elementwise(backend, expr, [], dense(storage, (n_in, n_out), dt.complex64),
                    scalars=[("u32", n_out), ("u32", length), ("f32", sign * 2 * math.pi / length),
                             ("f32", scale)])
    return dense(storage, (n_in, n_out), dt.complex64)


def _along(backend, x, dim, matrix, cast="a"):
    """``x`` (any layout) transformed along ``dim`` by ``matrix`` (n_in x n_out): a complex64 layout of x's
    shape with n_out along ``dim``, row-major with ``dim`` moved last (a view, permuted back)."""
    order = [d for d in range(x.dim()) if d != dim] + [dim]
    shape = tuple(x.shape[d] for d in order)
    rows = dense(backend.allocate(math.prod(shape), dt.complex64), shape, dt.complex64)
    run_elementwise(backend, cast, [Layout(x.storage, shape, [x.strides[d] for d in order], x.offset, x.dtype)],
                    rows)  # (real input: made complex as it is gathered)
    m, n_out = math.prod(shape[:-1]), matrix.shape[1]
    flat = Layout(rows.storage, (m, shape[-1]), (shape[-1], 1), 0, dt.complex64)
    (out,) = matmul(backend, None, [flat, matrix], {}, [((m, n_out), dt.complex64)])
    out_shape = shape[:-1] + (n_out,)
    strides = dense(out, out_shape, dt.complex64).strides
    back = [order.index(d) for d in range(x.dim())]
    return Layout(out, [out_shape[k] for k in back], [strides[k] for k in back], 0, dt.complex64)


def _c2c(backend, x, dims, forward, norm):
    for d in dims:
        n = x.shape[d]
        x = _along(backend, x, d, _twiddles(backend, n, n, n, forward, _scale(norm, forward, n)))
    return x


def _row_major(backend, x, dtype=dt.complex64, expr="a"):
    out = dense(backend.allocate(x.numel(), dtype), x.shape, dtype)
    run_elementwise(backend, expr, [x], out)
    return out.storage


@launcher("fft_c2c")
def fft_c2c(backend, op, inputs, attrs, out_meta):
    (x,) = inputs
    if not x.numel():
        return [backend.allocate(0, dt.complex64)]
    return [_row_major(backend, _c2c(backend, x, attrs["dims"], attrs["forward"], attrs["norm"]))]


@launcher("fft_r2c")
def fft_r2c(backend, op, inputs, attrs, out_meta):
    """The half spectrum along the last dim (the first n // 2 + 1 columns of the DFT), then the rest."""
    (x,), ((shape, _),) = inputs, out_meta
    if not math.prod(shape):
        return [backend.allocate(0, dt.complex64)]
    dims, norm = attrs["dims"], attrs["norm"]
    n = x.shape[dims[-1]]
    half = _along(backend, x, dims[-1], _twiddles(backend, n, n // 2 + 1, n, True, _scale(norm, True, n)),
                  "vec2<f32>(f32(a), 0.0)")
    return [_row_major(backend, _c2c(backend, half, dims[:-1], True, norm))]


@launcher("fft_c2r")
def fft_c2r(backend, op, inputs, attrs, out_meta):
    """The inverse over the dims but the last, then the Hermitian half's along it: the real parts of the
    half times the twiddles, its mirrored bins counted twice (the imaginary parts of bin 0 and, for even
    n, bin n / 2 drop out, as NumPy's and torch's)."""
    (x,), ((shape, _),) = inputs, out_meta
    if not math.prod(shape):
        return [backend.allocate(0, dt.float32)]
    dims, n, norm = attrs["dims"], attrs["n"], attrs["norm"]
    x = _c2c(backend, x, dims[:-1], False, norm)
    bins = x.shape[dims[-1]]
    matrix = _twiddles(backend, bins, n, n, False, _scale(norm, False, n), _HERMITIAN)
    return [_row_major(backend, _along(backend, x, dims[-1], matrix), dt.float32, "a.x")]
