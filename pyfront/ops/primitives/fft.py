"""The discrete Fourier transforms: three primitives, as torch's own kernels (``_fft_c2c``, ``_fft_r2c``,
``_fft_c2r``), that ``pyfront.fft``'s functions are built from. Each takes its ``norm`` as torch's and NumPy's
names ("backward": the inverse scales by 1/n, "forward": the forward one does, "ortho": both by 1/sqrt(n)).

Their VJPs are written as every primitive's, ``g`` times the derivative (ops/primitives/elementwise.py); the
autograd node conjugates them for complex gradients (graph._conjugate_vjp), so a DFT, a symmetric matrix, is
its own rule. ``c2r`` is not complex-linear (it reads a half spectrum as Hermitian): its gradient is torch's,
the half spectrum of ``g`` with the mirrored bins counted twice."""
from __future__ import annotations

from ... import dtypes as dt
from ..dispatch import apply
from ..registry import OpDef, register

_DUAL = {"backward": "forward", "forward": "backward", "ortho": "ortho"}  # the same scale on the other side


def _c2c_np(np, x, dims, forward, norm):
    fn = np.fft.fftn if forward else np.fft.ifftn
    return fn(x, axes=dims, norm=norm).astype(x.dtype, copy=False)


def _c2c_vjp(c, g):
    return (apply(_C2C, g, **c.attrs),)


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
    return (apply(_C2C, full, dims=(dim,), forward=True, norm=c.attrs["norm"]),)


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
    half = apply(_R2C, g, dim=dim, norm=_DUAL[norm])
    mirrored = n - half.shape[dim]
    if mirrored <= 0:
        return (half,)
    scale = half.new_ones((half.shape[dim],), dtype=dt.to_real(half.dtype))
    scale[1:1 + mirrored] = 2.0
    return (half * scale.reshape((-1,) + (1,) * (half.dim() - 1 - dim)),)


_C2R = register(OpDef("fft_c2r", "other", _c2r_infer, _c2r_np, _c2r_vjp, torch_name="_fft_c2r",
                      backward_name="FftC2RBackward0"))


def fft_c2c(x, dims, forward, norm):
    return apply(_C2C, x, dims=tuple(dims), forward=forward, norm=norm)


def fft_r2c(x, dim, norm):
    return apply(_R2C, x, dim=dim, norm=norm)


def fft_c2r(x, dim, n, norm):
    return apply(_C2R, x, dim=dim, n=n, norm=norm)
