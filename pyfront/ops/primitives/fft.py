"""The discrete Fourier transforms: three primitives, as torch's own kernels (``_fft_c2c``, ``_fft_r2c``,
``_fft_c2r``), that ``pyfront.fft``'s functions are built from. Each takes its ``norm`` as torch's and NumPy's
names ("backward": the inverse scales by 1/n, "forward": the forward one does, "ortho": both by 1/sqrt(n)).

Their VJPs are written as every primitive's, ``g`` times the derivative (ops/primitives/elementwise.py); the
autograd node conjugates them for complex gradients (graph._conjugate_vjp), so a DFT, a symmetric matrix, is
its own rule. ``c2r`` is not complex-linear (it reads a half spectrum as Hermitian): its gradient is torch's,
the half spectrum of ``g`` with the mirrored bins counted twice."""
from __future__ import annotations

from ... import dtypes as dt
from ..dispatch import apply, apply_laid
from ..registry import OpDef, register

_DUAL = {"backward": "forward", "forward": "backward", "ortho": "ortho"}  # the same scale on the other side


def _c2c_np(np, x, dims, forward, norm):
    fn = np.fft.fftn if forward else np.fft.ifftn
    return fn(x, axes=dims, norm=norm).astype(x.dtype, copy=False)


def _c2c_vjp(c, g):
    return (fft_c2c(g, c.attrs["dims"], c.attrs["forward"], c.attrs["norm"]),)


_C2C = register(OpDef("fft_c2c", "other", lambda x, **a: [(x.shape, x.dtype)], _c2c_np, _c2c_vjp,
                      torch_name="_fft_c2c", backward_name="FftC2CBackward0"))


def _r2c_infer(x, dim, norm):
    shape = list(x.shape)
    shape[dim] = shape[dim] // 2 + 1
    return [(tuple(shape), dt.to_complex(x.dtype))]


def _r2c_np(np, x, dim, norm):
    return np.fft.rfft(x, axis=dim, norm=norm).astype(dt.to_complex(dt.from_numpy_name(x.dtype.name)).np_name,
                                                        copy=False)


def _r2c_vjp(c, g):
    """The transpose of "keep the first n // 2 + 1 bins of a DFT": the DFT of ``g`` zero-padded to n (the
    autograd engine keeps the real part for the real input)."""
    dim = c.attrs["dim"]
    n = c.input_shapes[0][dim]
    pad = list(g.shape)
    pad[dim] = n - g.shape[dim]
    from ..composite.shaping import cat
    full = cat([g, g.new_zeros(tuple(pad))], dim) if pad[dim] else g
    return (fft_c2c(full, (dim,), True, c.attrs["norm"]),)


_R2C = register(OpDef("fft_r2c", "other", _r2c_infer, _r2c_np, _r2c_vjp, torch_name="_fft_r2c",
                      backward_name="FftR2CBackward0"))


def _c2r_infer(x, dim, n, norm):
    shape = list(x.shape)
    shape[dim] = n
    return [(tuple(shape), dt.to_real(x.dtype))]


def _c2r_np(np, x, dim, n, norm):
    real = dt.to_real(dt.from_numpy_name(x.dtype.name)).np_name
    return np.fft.irfft(x, n=n, axis=dim, norm=norm).astype(real, copy=False)


def _c2r_vjp(c, g):
    """torch's: the half spectrum of ``g`` (with the other side's scale), the bins the Hermitian half stands
    for twice (1 .. n - m) doubled."""
    dim, n, norm = c.attrs["dim"], c.attrs["n"], c.attrs["norm"]
    half = fft_r2c(g, dim, _DUAL[norm])
    mirrored = n - half.shape[dim]
    if mirrored <= 0:
        return (half,)
    scale = half.new_ones((half.shape[dim],), dtype=dt.to_real(half.dtype))
    scale[1:1 + mirrored] = 2.0
    return (half * scale.reshape((-1,) + (1,) * (half.dim() - 1 - dim)),)


_C2R = register(OpDef("fft_c2r", "other", _c2r_infer, _c2r_np, _c2r_vjp, torch_name="_fft_c2r",
                      backward_name="FftC2RBackward0"))


def fft_c2c(x, dims, forward, norm, strides=...):
    """``_fft_c2c``, its result laid out as torch's MKL kernel lays it (``strides``: another's, where this
    finishes a transform torch runs as one)."""
    dims = tuple(dims)
    if strides is ...:
        strides = exec_strides(x, x._shape, by_strides(x, dims))
    return apply_laid(_C2C, strides, x, dims=dims, forward=forward, norm=norm)


def fft_r2c(x, dim, norm):
    shape = list(x._shape)
    shape[dim] = shape[dim] // 2 + 1
    return apply_laid(_R2C, exec_strides(x, shape, (dim,)), x, dim=dim, norm=norm)


def fft_c2r(x, dim, n, norm):
    shape = list(x._shape)
    shape[dim] = n
    return apply_laid(_C2R, exec_strides(x, shape, (dim,)), x, dim=dim, n=n, norm=norm)


def by_strides(x, dims):
    """``dims`` in the order torch's transforms take them (``_sort_dims``): ``x``'s largest strides first."""
    return tuple(sorted(dims, key=lambda d: -x._strides[d]))  # (a stable sort: std::sort's of so few is)


def exec_strides(x, out_shape, dims):
    """The strides torch's MKL transforms (``_exec_fft``) give a result of ``out_shape`` from input ``x``: the
    dims not transformed outermost, by x's strides (largest first), then ``dims`` in their order, each row-major
    over the result's sizes; None where that is row-major (the usual last-dim transform, at no cost)."""
    n = len(out_shape)
    order = list(range(n))
    # batch dims first by libstdc++'s std::partition (not stable: a batch dim after a transformed one is
    # swapped in from the end), then sorted by stride
    first, last = 0, n
    while True:
        while first != last and order[first] not in dims:
            first += 1
        if first == last:
            break
        last -= 1
        while first != last and order[last] in dims:
            last -= 1
        if first == last:
            break
        order[first], order[last] = order[last], order[first]
        first += 1
    order = sorted(order[:first], key=lambda d: -x._strides[d]) + list(dims)
    if order == list(range(n)):
        return None
    strides, step = [0] * n, 1
    for d in reversed(order):
        strides[d] = step
        step *= out_shape[d]
    return tuple(strides)
