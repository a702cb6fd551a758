"""The discrete Fourier transforms (``fft_c2c``, ``fft_r2c``, ``fft_c2r``), one dim at a time, on rows made
contiguous along it.

A power-of-two length takes a radix-2 Stockham FFT (shaders/fft_stockham.wgsl: log2(n) dispatches of one
butterfly per invocation, rounding errors growing as log n). Other lengths up to DFT_MAX (frames of 400, a
prime or two) multiply their DFT matrix, made on the GPU from its index (the scale folded in), through the
tiled matrix product, whose K chunks bound each invocation's work (DESIGN.md); longer ones take Bluestein's
algorithm, three power-of-two FFTs. c2r transforms the full spectrum its half stands for. torch's values to
float32 rounding.
"""
from __future__ import annotations

import cmath
import math

from .... import dtypes as dt
from ...storage import Layout, dense
from ..runtime import specialise
from . import launcher
from .elementwise import run_elementwise
from .matmul import matmul

C64 = dt.complex64
DFT_MAX = 512  # lengths (not powers of two) up to this multiply their DFT matrix; longer ones: Bluestein
# the twiddle of row j, column k of an n_in x n_out matrix, exp(-+2 pi i (j k mod n) / n) (s0 = n_out, s1 =
# the transform's length n, s2 = -1 forward, 1 inverse, s3 = the scale); j k is taken mod n in integers, so
# the angle is exact to float32 rounding however large j k
_TWIDDLE = "cispi(s2 * f32(2u * ((i / s0) * (i % s0) % s1)) / f32(s1)) * s3"


def _scale(norm, forward, n):
    if norm == "ortho":
        return 1 / math.sqrt(n)
    return 1 / n if (norm == "forward") == forward else 1.0


def _fast(n) -> bool:
    return n >= 2 and not n & (n - 1)


def _transform(backend, rows, n_out, forward, scale):
    """The first ``n_out`` bins of the transform of each of ``rows`` (m x n complex64, dense from 0)."""
    m, n = rows.shape
    if _fast(n):  # the full transform, read up to n_out
        full = _stockham(backend, rows, forward, scale)
        return Layout(full.storage, (m, n_out), full.strides, 0, C64)
    if n <= DFT_MAX:
        return _dft(backend, rows, n_out, forward, scale)
    return _bluestein(backend, rows, n_out, forward, scale)


def _dft(backend, rows, n_out, forward, scale):
    """``rows`` (m x n) times the first ``n_out`` columns of the n x n DFT matrix."""
    m, n = rows.shape
    matrix = dense(backend.allocate(n * n_out, C64), (n, n_out), C64)
    direction = -1.0 if forward else 1.0
    run_elementwise(backend, _TWIDDLE, [], matrix,
                    scalars=[("u32", n_out), ("u32", n), ("f32", direction), ("f32", scale)])
    (out,) = matmul(backend, None, [rows, matrix], {}, [((m, n_out), C64)])
    return dense(out, (m, n_out), C64)


def _stockham(backend, rows, forward, scale):
    """The FFT of each of ``rows`` (m x n, dense from 0, n a power of two): log2(n) stages between two
    buffers."""
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


def _bluestein(backend, rows, n_out, forward, scale):
    """Bluestein's transform of a length n that is not a power of two, as a circular convolution of a power
    of two >= 2n - 1 (three Stockham FFTs): X_k = w_k sum_j (x_j w_j) conj(w_(k-j)), with the chirp
    w_k = exp(-+i pi k^2 / n).
    The chirp comes from the host, k^2 mod 2n in integers and the angle in float64, so it is exact to
    float32 rounding for any n."""
    m, n = rows.shape
    size = 1 << (2 * n - 2).bit_length()
    sign = -1.0 if forward else 1.0
    w = [cmath.exp(1j * sign * math.pi * (k * k % (2 * n)) / n) for k in range(n)]
    mirrored = [0j] * size
    for k, v in enumerate(w):
        mirrored[k] = mirrored[-k] = v.conjugate()
    kernel = _stockham(backend, dense(backend.from_list(mirrored, C64), (1, size), C64), True, 1.0)
    chirp = backend.from_list(w, C64)
    padded = dense(backend.allocate(m * size, C64), (m, size), C64)
    run_elementwise(backend, "vec2<f32>(0.0, 0.0)", [], padded)
    run_elementwise(backend, "cmul(a, b)", [rows, Layout(chirp, (m, n), (0, 1), 0, C64)],
                    Layout(padded.storage, (m, n), (size, 1), 0, C64))
    spectrum = _stockham(backend, padded, True, 1.0)
    product = dense(backend.allocate(m * size, C64), (m, size), C64)
    run_elementwise(backend, "cmul(a, b)", [spectrum, Layout(kernel.storage, (m, size), (0, 1), 0, C64)],
                    product)
    convolved = _stockham(backend, product, False, 1.0 / size)
    out = dense(backend.allocate(m * n_out, C64), (m, n_out), C64)
    run_elementwise(backend, "cmul(a, b) * s0", [Layout(convolved.storage, (m, n_out), (size, 1), 0, C64),
                                                 Layout(chirp, (m, n_out), (0, 1), 0, C64)], out,
                    scalars=[("f32", scale)])
    return out


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
        x = _along(backend, x, d, lambda rows, n=n, scale=scale: _transform(backend, rows, n, forward, scale))
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


@launcher("fft_r2c")
def fft_r2c(backend, op, inputs, attrs, out_meta):
    """The half spectrum along the last dim, then the full transforms along the others."""
    (x,), ((shape, _),) = inputs, out_meta
    if not math.prod(shape):
        return [backend.allocate(0, C64)]
    dims, norm = attrs["dims"], attrs["norm"]
    n = x.shape[dims[-1]]
    scale = _scale(norm, True, n)
    half = _along(backend, x, dims[-1], lambda rows: _transform(backend, rows, n // 2 + 1, True, scale),
                  "vec2<f32>(f32(a), 0.0)")
    return [_row_major(backend, _c2c(backend, half, dims[:-1], True, norm))]


def _from_half(backend, rows, n, norm):
    """c2r along the rows (complex64; the real parts are the values): the inverse of the full spectrum each
    half stands for (shaders/fft_hermitian.wgsl: the imaginary parts of bin 0 and, for even n, bin n / 2
    drop out, as NumPy's and torch's)."""
    m, bins = rows.shape
    full = backend.allocate(m * n, C64)
    backend.runtime.launch(specialise("fft_hermitian.wgsl"), [backend.binding(rows)],
                           [(full.data, 0, full.nbytes)], dict(numel=m * n, n=n, bins=bins), m * n)
    return _transform(backend, dense(full, (m, n), C64), n, False, _scale(norm, False, n))


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
