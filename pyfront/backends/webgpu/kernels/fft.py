"""The discrete Fourier transforms (``fft_c2c``, ``fft_r2c``, ``fft_c2r``), one dim at a time, on rows made
contiguous along it.

A power-of-two length takes a radix-2 Stockham FFT (shaders/fft_stockham.wgsl: log2(n) dispatches of one
butterfly per invocation, rounding errors growing as log n); any other length a product with its DFT matrix,
made on the GPU from its index (exp(-+2 pi i (j k mod n) / n), the scale folded in) and multiplied by the
tiled matrix product, whose K chunks bound each invocation's work (DESIGN.md): O(n^2) per row, right for
the lengths scripts transform that are not powers of two (frames of 400, a prime or two). torch's values
to float32 rounding.
"""
from __future__ import annotations

import math

from .... import dtypes as dt
from ...storage import Layout, dense
from ..runtime import specialise
from . import launcher
from .elementwise import run_elementwise
from .matmul import matmul

C64 = dt.complex64
MAX_LENGTH = 1 << 16  # (a DFT matrix's j k mod n is taken in u32)
# the twiddle of row j, column k of an n_in x n_out matrix, exp(-+2 pi i (j k mod n) / n) (s0 = n_out, s1 =
# the transform's length n, s2 = -1 forward, 1 inverse, s3 = the scale); j k is taken mod n in integers, so
# the angle is exact to float32 rounding however large j k
_TWIDDLE = "cispi(s2 * f32(2u * ((i / s0) * (i % s0) % s1)) / f32(s1)) * s3"
# c2r's: a half spectrum's bins 1 .. ceil(n/2) - 1 stand for their mirror images too, so count twice
_HERMITIAN = f"{_TWIDDLE} * select(2.0, 1.0, (i / s0) == 0u || 2u * (i / s0) == s1)"


def _scale(norm, forward, n):
    if norm == "ortho":
        return 1 / math.sqrt(n)
    return 1 / n if (norm == "forward") == forward else 1.0


def _fast(n) -> bool:
    return n >= 2 and not n & (n - 1)


def _dft(backend, rows, n_out, length, forward, scale, expr=_TWIDDLE):
    """``rows`` (m x n_in, complex64) times the n_in x n_out DFT matrix of ``length``: m x n_out."""
    if length > MAX_LENGTH:
        raise RuntimeError(f"webgpu transforms lengths up to {MAX_LENGTH} that are not powers of two, not "
                           f"{length}; move the tensor to the cpu device")
    (m, n_in) = rows.shape
    matrix = dense(backend.allocate(n_in * n_out, C64), (n_in, n_out), C64)
    run_elementwise(backend, expr, [], matrix, scalars=[("u32", n_out), ("u32", length),
                                                        ("f32", -1.0 if forward else 1.0), ("f32", scale)])
    (out,) = matmul(backend, None, [rows, matrix], {}, [((m, n_out), C64)])
    return dense(out, (m, n_out), C64)


def _stockham(backend, rows, forward, scale):
    """The FFT of each of ``rows`` (m x n, dense, n a power of two): log2(n) stages between two buffers."""
    m, n = rows.shape
    source = specialise("fft_stockham.wgsl")
    src, stages = rows.storage, n.bit_length() - 1
    for stage in range(stages):
        ns = 1 << stage
        dst = backend.allocate(m * n, C64)
        params = dict(numel=m * n // 2, n=n, ns=ns, direction=-1.0 if forward else 1.0,
                      scale=scale if stage == stages - 1 else 1.0)
        backend.runtime.launch(source, [backend.binding(dense(src, (m, n), C64))],
                               [(dst.data, 0, dst.nbytes)], params, m * n // 2)
        src = dst
    return dense(src, (m, n), C64)


def _full(backend, rows, length, forward, scale):
    """The transforms of ``rows`` (m x length) in full."""
    if _fast(length):
        return _stockham(backend, rows, forward, scale)
    return _dft(backend, rows, length, length, forward, scale)


def _along(backend, x, dim, transform, cast="a"):
    """``transform`` (of an m x n complex64 layout, dense, to an m x n_out one) applied along ``dim`` of ``x``
    (any layout; ``cast``: the expression that makes its values complex64), as a layout of x's shape with
    n_out along ``dim`` (the result's rows permuted back: no copy)."""
    order = [d for d in range(x.dim()) if d != dim] + [dim]
    shape = tuple(x.shape[d] for d in order)
    rows = dense(backend.allocate(math.prod(shape), C64), shape, C64)
    permuted = Layout(x.storage, shape, [x.strides[d] for d in order], x.offset, x.dtype)
    run_elementwise(backend, cast, [permuted], rows)
    m = math.prod(shape[:-1])
    out = transform(Layout(rows.storage, (m, shape[-1]), (shape[-1], 1), 0, C64))
    out_shape = shape[:-1] + (out.shape[1],)
    row_strides = [out.strides[0] * math.prod(out_shape[k + 1:-1]) for k in range(len(out_shape) - 1)]
    strides = row_strides + [out.strides[1]]
    back = [order.index(d) for d in range(x.dim())]
    return Layout(out.storage, [out_shape[k] for k in back], [strides[k] for k in back], out.offset, C64)


def _c2c(backend, x, dims, forward, norm):
    for d in dims:
        n = x.shape[d]
        scale = _scale(norm, forward, n)
        x = _along(backend, x, d, lambda rows, n=n, scale=scale: _full(backend, rows, n, forward, scale))
    return x


def _row_major(backend, x, dtype=C64, expr="a"):
    out = dense(backend.allocate(x.numel(), dtype), x.shape, dtype)
    run_elementwise(backend, expr, [x], out)
    return out.storage


@launcher("fft_c2c")
def fft_c2c(backend, op, inputs, attrs, out_meta):
    (x,) = inputs
    if not x.numel():
        return [backend.allocate(0, C64)]
    return [_row_major(backend, _c2c(backend, x, attrs["dims"], attrs["forward"], attrs["norm"]))]


def _half(backend, rows, n, norm):
    """r2c along the rows: the first n // 2 + 1 bins of each."""
    scale = _scale(norm, True, n)
    if _fast(n):  # the full transform, read up to its half
        full = _stockham(backend, rows, True, scale)
        return Layout(full.storage, (full.shape[0], n // 2 + 1), full.strides, 0, C64)
    return _dft(backend, rows, n // 2 + 1, n, True, scale)


@launcher("fft_r2c")
def fft_r2c(backend, op, inputs, attrs, out_meta):
    """The half spectrum along the last dim, then the full transforms along the others."""
    (x,), ((shape, _),) = inputs, out_meta
    if not math.prod(shape):
        return [backend.allocate(0, C64)]
    dims, norm = attrs["dims"], attrs["norm"]
    n = x.shape[dims[-1]]
    half = _along(backend, x, dims[-1], lambda rows: _half(backend, rows, n, norm), "vec2<f32>(f32(a), 0.0)")
    return [_row_major(backend, _c2c(backend, half, dims[:-1], True, norm))]


def _from_half(backend, rows, n, norm):
    """c2r along the rows (complex64; the real parts are the values): the inverse of the full spectrum each
    half stands for, or (n not a power of two) the half times the twiddles, its mirrored bins counted twice.
    Either way the imaginary parts of bin 0 and, for even n, bin n / 2 drop out, as NumPy's and torch's."""
    m, bins = rows.shape
    scale = _scale(norm, False, n)
    if not _fast(n):
        return _dft(backend, rows, n, n, False, scale, _HERMITIAN)
    full = backend.allocate(m * n, C64)
    backend.runtime.launch(specialise("fft_hermitian.wgsl"), [backend.binding(rows)],
                           [(full.data, 0, full.nbytes)], dict(numel=m * n, n=n, bins=bins), m * n)
    return _stockham(backend, dense(full, (m, n), C64), False, scale)


@launcher("fft_c2r")
def fft_c2r(backend, op, inputs, attrs, out_meta):
    """The inverse over the dims but the last, then the Hermitian half's along it."""
    (x,), ((shape, _),) = inputs, out_meta
    if not math.prod(shape):
        return [backend.allocate(0, dt.float32)]
    dims, n, norm = attrs["dims"], attrs["n"], attrs["norm"]
    x = _c2c(backend, x, dims[:-1], False, norm)
    out = _along(backend, x, dims[-1], lambda rows: _from_half(backend, rows, n, norm))
    return [_row_major(backend, out, dt.float32, "a.x")]
