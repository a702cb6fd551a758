"""The discrete Fourier transforms: three primitives, as torch's own kernels (``_fft_c2c``, ``_fft_r2c``,
``_fft_c2r``), that ``pyfront.fft``'s functions are built from. Each takes its ``norm`` as torch's and NumPy's
names ("backward": the inverse scales by 1/n, "forward": the forward one does, "ortho": both by 1/sqrt(n)).

Their VJPs are written as every primitive's, ``g`` times the derivative (ops/primitives/elementwise.py); the
autograd node conjugates them for complex gradients (graph._conjugate_vjp), so a DFT, a symmetric matrix, is
its own rule. ``c2r`` is not complex-linear (it reads a half spectrum as Hermitian): its gradient is torch's,
the half spectrum of ``g`` with the mirrored bins counted twice."""
from __future__ import annotations

from ... import dtypes as dt
from ...shape import contiguous_strides
from ..dispatch import apply_laid
from ..registry import OpDef, register

_DUAL = {"backward": "forward", "forward": "backward", "ortho": "ortho"}  # the same scale on the other side


def _c2c_np(np, x, dims, forward, norm):
    fn = np.fft.fftn if forward else np.fft.ifftn
    return fn(x, axes=dims, norm=norm).astype(x.dtype, copy=False)


def _c2c_vjp(c, g):
    return (fft_c2c(g, c.attrs["dims"], c.attrs["forward"], c.attrs["norm"]),)


_C2C = register(OpDef("fft_c2c", "other", lambda x, **a: [(x.shape, x.dtype)], _c2c_np, _c2c_vjp,
                      torch_name="_fft_c2c", backward_name="FftC2CBackward0"))


def _r2c_infer(x, dims, norm):
    shape = list(x.shape)
    shape[dims[-1]] = shape[dims[-1]] // 2 + 1
    return [(tuple(shape), dt.to_complex(x.dtype))]


def _r2c_np(np, x, dims, norm):
    """torch's MKL r2c: the half spectrum along the last dim, then the full transform over the others."""
    complex_name = dt.to_complex(dt.from_numpy_name(x.dtype.name)).np_name
    out = np.fft.rfft(x, axis=dims[-1], norm=norm).astype(complex_name, copy=False)
    return _c2c_np(np, out, dims[:-1], True, norm) if len(dims) > 1 else out


def _r2c_vjp(c, g):
    """torch's fft_r2c_backward: ``g`` zero-padded to the input's length along the last dim (a new row-major
    tensor), then one transform over every dim (the autograd engine keeps the real part for the real
    input)."""
    dims = c.attrs["dims"]
    n = c.input_shapes[0][dims[-1]]
    if n > g.shape[dims[-1]]:
        pad = list(g.shape)
        pad[dims[-1]] = n - g.shape[dims[-1]]
        from ..composite.shaping import cat
        g = cat([g, g.new_zeros(tuple(pad))], dims[-1])
    return (fft_c2c(g, dims, True, c.attrs["norm"]),)


# (torch's node keeps its input, the resized one, though its gradient reads only the sizes: a write into it
# after the transform is torch's version error)
_R2C = register(OpDef("fft_r2c", "other", _r2c_infer, _r2c_np, _r2c_vjp, save=(0,), torch_name="_fft_r2c",
                      backward_name="FftR2CBackward0"))


def _c2r_infer(x, dims, n, norm):
    shape = list(x.shape)
    shape[dims[-1]] = n
    return [(tuple(shape), dt.to_real(x.dtype))]


def _c2r_np(np, x, dims, n, norm):
    """torch's MKL c2r: the inverse over all dims but the last, then the Hermitian half's along it."""
    if len(dims) > 1:
        x = _c2c_np(np, x, dims[:-1], False, norm)
    real = dt.to_real(dt.from_numpy_name(x.dtype.name)).np_name
    return np.fft.irfft(x, n=n, axis=dims[-1], norm=norm).astype(real, copy=False)


def _c2r_vjp(c, g):
    """torch's fft_c2r_backward: the half spectrum of ``g`` over every dim (with the other side's scale), the
    bins the Hermitian half stands for twice (1 .. n - m along the last dim) doubled."""
    dims, n, norm = c.attrs["dims"], c.attrs["n"], c.attrs["norm"]
    half = fft_r2c(g, dims, _DUAL[norm])
    dim = dims[-1]
    mirrored = n - half.shape[dim]
    if mirrored <= 0:
        return (half,)
    scale = half.new_ones((half.shape[dim],), dtype=dt.to_real(half.dtype))
    scale[1:1 + mirrored] = 2.0
    return (half * scale.reshape((-1,) + (1,) * (half.dim() - 1 - dim)),)


_C2R = register(OpDef("fft_c2r", "other", _c2r_infer, _c2r_np, _c2r_vjp, torch_name="_fft_c2r",
                      backward_name="FftC2RBackward0"))


def normalization(norm, forward) -> int:
    """torch's fft_norm_mode of a transform scaled as NumPy's ``norm`` names it in that direction: 0 none,
    1 by root n, 2 by n (what its node keeps as ``_saved_normalization``)."""
    if norm == "ortho":
        return 1
    return 2 if (norm == "forward") == forward else 0


def _shows(out, dims, norm, direction, **more):
    """``out``, its node showing the arguments torch's keeps (``_saved_dim``, ``_saved_normalization``, ...),
    ``direction`` the transform's (forward: True)."""
    fn = out._grad_fn
    if fn is not None:
        fn.view_args = {"dim": dims, "normalization": normalization(norm, direction), **more}
    return out


def fft_c2c(x, dims, forward, norm):
    """``_fft_c2c``, its result laid out as torch's MKL kernel lays it."""
    dims = tuple(dims)
    strides = exec_strides(x._strides, x._shape, by_strides(x._strides, dims))
    return _shows(apply_laid(_C2C, strides, x, dims=dims, forward=forward, norm=norm), dims, norm, forward,
                  forward=forward)


def fft_r2c(x, dims, norm):
    """``_fft_r2c`` (one-sided) over ``dims``, its result laid out as torch's: the dims but the last sorted
    by x's strides, the last kept last."""
    dims = tuple(dims)
    shape = list(x._shape)
    shape[dims[-1]] = shape[dims[-1]] // 2 + 1
    strides = exec_strides(x._strides, shape, by_strides(x._strides, dims[:-1]) + dims[-1:])
    return _shows(apply_laid(_R2C, strides, x, dims=dims, norm=norm), dims, norm, True, onesided=True)


def fft_c2r(x, dims, n, norm):
    """``_fft_c2r`` over ``dims`` (``n`` the last one's length), laid out as torch's MKL kernel: the c2c over
    the others first (laid out as fft_c2c's), then the c2r along the last from that."""
    dims = tuple(dims)
    strides = x._strides
    if len(dims) > 1:
        between = exec_strides(strides, x._shape, by_strides(strides, dims[:-1]))
        strides = between or contiguous_strides(x._shape)
    shape = list(x._shape)
    shape[dims[-1]] = n
    out = apply_laid(_C2R, exec_strides(strides, shape, dims[-1:]), x, dims=dims, n=n, norm=norm)
    return _shows(out, dims, norm, False)


def by_strides(strides, dims):
    """``dims`` in the order torch's transforms take them (``_sort_dims``): the largest ``strides`` first."""
    return tuple(sorted(dims, key=lambda d: -strides[d]))  # (a stable sort: std::sort's of so few is)


def exec_strides(in_strides, out_shape, dims):
    """The strides torch's MKL transforms (``_exec_fft``) give a result of ``out_shape`` from an input of
    ``in_strides``: the dims not transformed outermost, by the input's strides (largest first), then ``dims``
    in their order, each row-major over the result's sizes; None where that is row-major (the usual last-dim
    transform, at no cost)."""
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
    order = sorted(order[:first], key=lambda d: -in_strides[d]) + list(dims)
    if order == list(range(n)):
        return None
    strides, step = [0] * n, 1
    for d in reversed(order):
        strides[d] = step
        step *= out_shape[d]
    return tuple(strides)
