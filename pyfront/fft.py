"""``torch.fft``: the discrete Fourier transforms and their helpers, as torch's, with autograd.

Each transform resizes its input along the transformed dims to the asked lengths (cut, or zero-padded at the
end), then runs the primitives of ops/primitives/fft.py: ``c2c`` over all of them, or for the real
transforms ``r2c`` over the last dim and ``c2c`` over the rest (``c2r`` last for the inverse). The Hermitian
ones are the real ones on the conjugate, with the other side's scale, as NumPy and torch define them."""
from __future__ import annotations

from . import dtypes as dt
from .ops.creation import arange
from .ops.primitives.fft import _DUAL, fft_c2c, fft_c2r, fft_r2c, normalization
from .autograd import graph
from .shape import normalize_dim
from .tensor import Tensor

__all__ = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2", "irfft2", "fftn",
           "ifftn",
           "rfftn", "irfftn", "hfft2", "ihfft2", "hfftn", "ihfftn", "fftfreq", "rfftfreq", "fftshift",
           "ifftshift"]


def _norm(norm):
    if norm is None:
        return "backward"
    if norm not in _DUAL:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')
    return norm


def _dual(norm):
    """The other side's name of ``norm``'s scale; an unknown one passed on as it is, refused (_norm) where
    torch refuses it, after the dims and the dtype."""
    return _DUAL.get("backward" if norm is None else norm, norm)


def _complex(x: Tensor) -> Tensor:
    """``x`` as the complex dtype torch transforms it in (an integer input as the default float's)."""
    if x.dtype.is_complex:
        return x
    _check_real_dtype(x)
    return x.to(dt.to_complex(x.dtype if x.dtype.is_floating_point else dt.get_default_dtype()))


# torch's refusal of a complex input, by transform
_NOT_REAL = {"rfft": "rfft expects a real input tensor, but got {}",
             "ihfft": "ihfft expects a real input tensor, but got {}",
             "rfftn": "rfftn expects a real-valued input tensor, but got {}",
             "ihfftn": "Only supports floating-point dtypes, but found: {}"}


def _real(x: Tensor, name: str) -> Tensor:
    if x.dtype.is_complex:
        raise RuntimeError(_NOT_REAL[name].format(dt.scalar_name(x.dtype)))
    _check_real_dtype(x)
    return x if x.dtype.is_floating_point else x.to(dt.get_default_dtype())


def _check_real_dtype(x):
    if x.dtype in dt.HALVES:  # (torch's CPU transforms have no 16-bit floats)
        raise RuntimeError(f"Unsupported dtype {dt.scalar_name(x.dtype)}")


def _resize(x: Tensor, dims, sizes) -> Tensor:
    """``x`` cut or zero-padded at the end to ``sizes`` (checked: _dims_and_sizes) along ``dims``, as torch's
    resize_fft_input: each cut a slice, then every padding in one constant_pad_nd (its node, its gradient)."""
    pad, padded = [0] * (2 * x.dim()), False
    for d, n in zip(dims, sizes):
        have = x.shape[d]
        if have < n:
            pad[2 * (x.dim() - 1 - d) + 1], padded = n - have, True
        elif have > n:
            x = x.narrow(d, 0, n)
    if not padded:
        return x
    from .functional_aliases import constant_pad_nd
    return constant_pad_nd(x, pad)


def _dims_and_sizes(x: Tensor, s, dim, last_default=None):
    """torch's reading of ``s`` and ``dim``, in its order (the dims wrapped and unique, then ``s`` against
    them): (dims, sizes). An n-dimensional transform's -1 in ``s`` keeps that dim's size (the last one's
    default where ``last_default`` gives it); a one-dimensional transform's ``n`` is a length, -1 too."""
    keeps = not isinstance(dim, _OneDim)
    if dim is not None and isinstance(dim, int):
        dim = (dim,)
    if dim and x.dim() == 0:  # torch wraps the dims without a scalar's allowance
        raise IndexError(f"Dimension specified as {dim[0]} but tensor has no dimensions")
    if s is not None and isinstance(s, int):
        s = (s,)
    dims = None if dim is None else tuple(normalize_dim(d, x.dim()) for d in dim)
    if dims is not None and len(set(dims)) != len(dims):
        raise RuntimeError("FFT dims must be unique")
    if s is not None and dim is not None and len(s) != len(dim):
        raise RuntimeError("When given, dim and shape arguments must have the same length")
    if s is not None and len(s) > x.dim():
        raise RuntimeError(f"Got shape with {len(s)} values but input tensor only has {x.dim()} dimensions.")
    if dims is None:
        dims = tuple(range(x.dim() - len(s), x.dim())) if s is not None else tuple(range(x.dim()))
    sizes = [x.shape[d] for d in dims] if s is None else \
        [x.shape[d] if n == -1 and keeps else n for d, n in zip(dims, s)]
    if last_default is not None and dims and (s is None or s[-1] == -1 and keeps):
        sizes[-1] = last_default(x.shape[dims[-1]])
    for n in sizes:
        if n < 1:
            raise RuntimeError(f"Invalid number of data points ({n}) specified")
    return dims, sizes


def _c2c_n(x, s, dim, norm, forward):
    if isinstance(dim, _OneDim):  # torch checks a one-dimensional transform's dtype before its dim
        _check_real_dtype(x)
    dims, sizes = _dims_and_sizes(x, s, dim)
    norm = _norm(norm)
    if isinstance(dim, _OneDim) and not x.dtype.is_complex:
        return _two_sided_r2c(_resize(x, dims, sizes), dims, norm, forward)
    x = _resize(_complex(x), dims, sizes)  # (fftn's input made complex first)
    return fft_c2c(x, dims, forward, norm) if dims else x


def _two_sided_r2c(x, dims, norm, forward):
    """fft's real input, resized: torch's one two-sided r2c op (its node, keeping that input), computed as
    the c2c of the input made complex."""
    since = graph.SEQUENCE[0]
    out = fft_c2c(_complex(x), dims, forward, norm)
    graph.present_as(out, "FftR2CBackward0", since, inputs=(x,), saves=lambda: [
        ("self", x), ("dim", dims), ("normalization", normalization(norm, forward)), ("onesided", False)])
    return out


def _one_transform(x, s, dim) -> bool:
    """Whether ``s`` and ``dim`` name one dim to transform (asked once they are known to be valid)."""
    return len(_dims_and_sizes(x, s, dim)[0]) == 1


def _r2c_n(x, s, dim, norm, name):
    if isinstance(dim, _OneDim) or name == "rfftn" and x.dtype.is_complex:  # (before the dims, as torch)
        x = _real(x, name)
    dims, sizes = _dims_and_sizes(x, s, dim)
    _check_some(dims, name)
    if name == "ihfftn":  # torch's: a 16-bit float refused, then the norm, before r2c refuses a complex input
        _check_real_dtype(x)
        norm = _norm(norm)
    x = _real(x, name)
    x = _resize(x, dims, sizes)
    norm = _norm(norm)
    if name.startswith("ihfft") and len(dims) > 1:  # torch's: r2c over the last dim, its conjugate made, the
        out = fft_r2c(x, dims[-1:], norm).conj_physical()  # inverse c2c over the others (the same scale)
        return fft_c2c(out, dims[:-1], False, _DUAL[norm])
    return fft_r2c(x, dims, norm)  # (rfftn's one transform, as torch's)


def _check_some(dims, name):
    if not dims:  # the real transforms need a last dim for the half spectrum
        raise RuntimeError(f"{name} must transform at least one axis")


def _c2r_n(x, s, dim, norm, name):
    """The real transforms' inverse (``hfft``'s and ``hfftn``'s input taken conjugated)."""
    if isinstance(dim, _OneDim):
        x = _complex(x)
    dims, sizes = _dims_and_sizes(x, s, dim, last_default=lambda m: 2 * (m - 1))
    _check_some(dims, name)
    last = sizes[-1]  # (the last dim's half spectrum resized with the others, as torch's)
    x = _resize(_complex(x), dims, sizes[:-1] + [last // 2 + 1])
    norm = _norm(norm)
    if not name.startswith("hfft"):
        return fft_c2r(x, dims, last, norm)  # (irfftn's one transform, as torch's)
    if len(dims) > 1:  # hfftn's as torch's: the forward c2c over the other dims, then the conjugate
        x = fft_c2c(x, dims[:-1], True, _DUAL[norm])
    return fft_c2r(x.conj(), dims[-1:], last, norm)


class _OneDim(tuple):
    """A one-dimensional transform's dim (its ``n`` is a length: -1 is refused, not the input's size)."""


def _one(dim):
    return _OneDim((dim,))


def fft(input, n=None, dim=-1, norm=None):
    """The one-dimensional discrete Fourier transform along ``dim``, as ``torch.fft.fft``."""
    return _c2c_n(input, None if n is None else (n,), _one(dim), norm, True)


def ifft(input, n=None, dim=-1, norm=None):
    """The inverse of ``fft``, as ``torch.fft.ifft``. A real input's is, as torch's, the conjugate view of
    its forward transform with the inverse's scale (no r2c runs backward)."""
    if isinstance(input, Tensor) and not input.dtype.is_complex:
        return _c2c_n(input, None if n is None else (n,), _one(dim), _dual(norm), True).conj()
    return _c2c_n(input, None if n is None else (n,), _one(dim), norm, False)


def rfft(input, n=None, dim=-1, norm=None):
    """The Fourier transform of a real signal: its n // 2 + 1 non-negative frequencies, as
    ``torch.fft.rfft``."""
    return _r2c_n(input, None if n is None else (n,), _one(dim), norm, "rfft")


def irfft(input, n=None, dim=-1, norm=None):
    """The real signal of a half spectrum (length ``n``, by default 2 * (m - 1)), as ``torch.fft.irfft``."""
    return _c2r_n(input, None if n is None else (n,), _one(dim), norm, "irfft")


def hfft(input, n=None, dim=-1, norm=None):
    """The real spectrum of a Hermitian-symmetric signal given by its first half, as ``torch.fft.hfft``."""
    return _c2r_n(input, None if n is None else (n,), _one(dim), _dual(norm), "hfft")


def ihfft(input, n=None, dim=-1, norm=None):
    """The inverse of ``hfft``: a real signal's Hermitian half spectrum, as ``torch.fft.ihfft``."""
    return _r2c_n(input, None if n is None else (n,), _one(dim), _dual(norm), "ihfft").conj()


def hfftn(input, s=None, dim=None, norm=None):
    """``hfft`` over several dims (the last one's half given), as ``torch.fft.hfftn``."""
    return _c2r_n(input, s, dim, _dual(norm), "hfftn")


def ihfftn(input, s=None, dim=None, norm=None):
    """The inverse of ``hfftn``, as ``torch.fft.ihfftn``: over one dim a conjugate view (``ihfft``'s), over
    several a new tensor, as torch's."""
    out = _r2c_n(input, s, dim, _dual(norm), "ihfftn")
    return out.conj() if _one_transform(input, s, dim) else out


def hfft2(input, s=None, dim=(-2, -1), norm=None):
    """``hfftn`` over the last two dims, as ``torch.fft.hfft2``."""
    return hfftn(input, s, dim, norm)


def ihfft2(input, s=None, dim=(-2, -1), norm=None):
    """``ihfftn`` over the last two dims, as ``torch.fft.ihfft2``."""
    return ihfftn(input, s, dim, norm)


def fftn(input, s=None, dim=None, norm=None):
    """The n-dimensional discrete Fourier transform over ``dim`` (all dims), as ``torch.fft.fftn``."""
    return _c2c_n(input, s, dim, norm, True)


def ifftn(input, s=None, dim=None, norm=None):
    """The inverse of ``fftn``, as ``torch.fft.ifftn``."""
    return _c2c_n(input, s, dim, norm, False)


def rfftn(input, s=None, dim=None, norm=None):
    """``fftn`` of a real signal, the last dim's non-negative frequencies only, as ``torch.fft.rfftn``."""
    return _r2c_n(input, s, dim, norm, "rfftn")


def irfftn(input, s=None, dim=None, norm=None):
    """The inverse of ``rfftn``, as ``torch.fft.irfftn``."""
    return _c2r_n(input, s, dim, norm, "irfftn")


def fft2(input, s=None, dim=(-2, -1), norm=None):
    """``fftn`` over the last two dims, as ``torch.fft.fft2``."""
    return fftn(input, s, dim, norm)


def ifft2(input, s=None, dim=(-2, -1), norm=None):
    """``ifftn`` over the last two dims, as ``torch.fft.ifft2``."""
    return ifftn(input, s, dim, norm)


def rfft2(input, s=None, dim=(-2, -1), norm=None):
    """``rfftn`` over the last two dims, as ``torch.fft.rfft2``."""
    return rfftn(input, s, dim, norm)


def irfft2(input, s=None, dim=(-2, -1), norm=None):
    """``irfftn`` over the last two dims, as ``torch.fft.irfft2``."""
    return irfftn(input, s, dim, norm)


def fftfreq(n, d=1.0, *, dtype=None, device=None, requires_grad=False, **_):
    """The sample frequencies of an ``n``-point DFT with spacing ``d``: 0, 1, ..., -1 over (d * n), as
    ``torch.fft.fftfreq``."""
    out = arange(n, dtype=dtype or dt.get_default_dtype(), device=device)
    out = (out - (out >= (n + 1) // 2) * n) / (d * n)
    return out.requires_grad_(requires_grad) if requires_grad else out


def rfftfreq(n, d=1.0, *, dtype=None, device=None, requires_grad=False, **_):
    """The non-negative sample frequencies of ``rfft``'s output, as ``torch.fft.rfftfreq``."""
    out = arange(n // 2 + 1, dtype=dtype or dt.get_default_dtype(), device=device) / (d * n)
    return out.requires_grad_(requires_grad) if requires_grad else out


def _shift(input, dim, sign):
    dims = tuple(range(input.dim())) if dim is None else (dim,) if isinstance(dim, int) else tuple(dim)
    return input.roll(tuple(sign * (input.shape[d] // 2) for d in dims), dims)


def fftshift(input, dim=None):
    """The zero frequency moved to the middle (a roll by half of each dim), as ``torch.fft.fftshift``."""
    return _shift(input, dim, 1)


def ifftshift(input, dim=None):
    """The inverse of ``fftshift``, as ``torch.fft.ifftshift``."""
    return _shift(input, dim, -1)
