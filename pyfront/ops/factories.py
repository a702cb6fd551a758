"""More factory functions: the signal windows (hann, hamming, blackman, bartlett, kaiser), and tensors
over existing memory or of a given layout (asarray, frombuffer, empty_strided)."""
from __future__ import annotations

import math

from .. import _warnings
from .. import dtypes as dt
from ..shape import extent, refuse_symbolic
from ..tensor import Tensor
from .creation import READ_ONLY_ARRAY, adopt, arange, is_ndarray, tensor, zeros
from .primitives.shaping import cat

__all__ = ["hann_window", "hamming_window", "blackman_window", "bartlett_window", "kaiser_window",
           "asarray", "frombuffer", "empty_strided"]


# -- windows ------------------------------------------------------------------------------------
def _window(name, window_length, periodic, dtype, device, requires_grad, value=None, ops=None):
    """A window of ``window_length`` points (N: the symmetric window's length; a periodic window is the
    symmetric one of length + 1 without its last point): ``ops(arange(N), N)`` computed in ``dtype``
    with torch's sequence of tensor ops (in float16 each op rounds, as torch's), or ``value(n, N)`` per
    point in double precision, stored as ``dtype``."""
    dtype = dt.get_default_dtype() if dtype is None else dtype
    if not dtype.is_floating_point:
        raise RuntimeError(f"{name} expects floating point dtypes, got: TensorOptions("
                           f"dtype={dt.cpp_name(dtype)}, device=cpu, layout=Strided (default), "
                           f"requires_grad=false (default), pinned_memory=false, memory_format=(nullopt))")
    if window_length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got window_length={window_length}")
    n_sym = window_length + 1 if periodic else window_length
    if window_length <= 1:
        out = tensor([1.0] * window_length, dtype=dtype, device=device)
    elif ops is not None:
        out = ops(arange(n_sym, dtype=dtype, device=device), n_sym)[:window_length]
    else:
        out = tensor([value(n, n_sym) for n in range(window_length)], dtype=dtype, device=device)
    return out.requires_grad_() if requires_grad else out


def _in(x, v):
    """A number as ATen's in-place ops (mul_, add_) on the window take it: in the window's dtype
    (float16 rounds it first), where an out-of-place op computes with it in float32."""
    return tensor(v, dtype=x.dtype, device=x.device)


def _hamming(alpha, beta):
    """alpha - beta cos(2 pi n / (N - 1)), in ATen's order of tensor ops (all in place)."""
    def ops(n, N):
        x = n.mul(_in(n, math.pi * 2.0 / (N - 1))).cos()
        return x.mul(_in(x, -beta)).add(_in(x, alpha))
    return ops


def _blackman(n, N):
    x = n.mul(_in(n, math.pi / (N - 1)))
    return x.mul(4).cos().mul(_in(x, 0.08)) - x.mul(2).cos().mul(_in(x, 0.5)) + 0.42


def _bartlett(n, N):
    x = n.mul(_in(n, 2.0 / (N - 1)))
    half = ((N - 1) >> 1) + 1
    return cat([x[:half], x[half:].mul(-1).add(2)])


def hann_window(window_length, periodic=True, *, dtype=None, layout=None, device=None, requires_grad=False):
    """The Hann window, 0.5 - 0.5 cos(2 pi n / (N - 1)), as ``torch.hann_window``; ``periodic`` (the
    default) gives the window for spectral analysis (the symmetric one of length + 1, last point
    dropped). Raises RuntimeError for a non-float dtype or a negative length, as torch."""
    return _window("hann_window", window_length, periodic, dtype, device, requires_grad,
                   ops=_hamming(0.5, 0.5))


def hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, *, dtype=None, layout=None,
                   device=None, requires_grad=False):
    """The Hamming window, alpha - beta cos(2 pi n / (N - 1)), as ``torch.hamming_window``."""
    return _window("hamming_window", window_length, periodic, dtype, device, requires_grad,
                   ops=_hamming(alpha, beta))


def blackman_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    requires_grad=False):
    """The Blackman window, 0.42 - 0.5 cos(2 pi n / (N - 1)) + 0.08 cos(4 pi n / (N - 1)), as
    ``torch.blackman_window``."""
    return _window("blackman_window", window_length, periodic, dtype, device, requires_grad, ops=_blackman)


def bartlett_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    requires_grad=False):
    """The Bartlett (triangular) window, 1 - |2n / (N - 1) - 1|, as ``torch.bartlett_window``."""
    return _window("bartlett_window", window_length, periodic, dtype, device, requires_grad, ops=_bartlett)


def _i0(x: float) -> float:
    """The modified Bessel function of the first kind, order 0: its power series (converges for all x)."""
    total, term, k = 1.0, 1.0, 1
    while term > 1e-17 * total:
        term *= (x / (2 * k)) ** 2
        total += term
        k += 1
    return total


def kaiser_window(window_length, periodic=True, beta=12.0, *, dtype=None, layout=None, device=None,
                  requires_grad=False):
    """The Kaiser window, I0(beta sqrt(1 - (2n / (N - 1) - 1)^2)) / I0(beta), as ``torch.kaiser_window``."""
    return _window("kaiser_window", window_length, periodic, dtype, device, requires_grad,
                   lambda n, N: _i0(beta * math.sqrt(max(0.0, 1 - (2 * n / (N - 1) - 1) ** 2))) / _i0(beta))


# -- tensors over existing memory ---------------------------------------------------------------
_BUFFERS = (bytes, bytearray, memoryview)


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    """A 1-D cpu tensor over the memory of an object with the buffer protocol (``bytearray``,
    ``array.array``, ``memoryview``, ...): writes to either are seen by the other, as
    ``torch.frombuffer``. Raises ValueError with torch's text for a length, offset or count that does
    not fit."""
    import numpy as np
    view = memoryview(buffer).cast("B")
    length, size = view.nbytes, dtype.itemsize
    if length == 0 or count == 0:
        raise ValueError(f"both buffer length ({length}) and count ({count}) must not be 0")
    if not 0 <= offset < length:
        raise ValueError(f"offset ({offset} bytes) must be non-negative and no greater than buffer length "
                         f"({length} bytes) minus 1")
    if count < 0:
        if (length - offset) % size:
            raise ValueError(f"buffer length ({length - offset} bytes) after offset ({offset} bytes) must be "
                             f"a multiple of element size ({size})")
        count = (length - offset) // size
    elif offset + count * size > length:
        raise ValueError(f"requested buffer length ({count} * {size} bytes) after offset ({offset} bytes) "
                         f"must not be greater than actual buffer length ({length} bytes)")
    if view.readonly:
        _warnings.warn_once("The given buffer is not writable, and PyTorch does not support non-writable "
                            "tensors. This means you can write to the underlying (supposedly non-writable) "
                            "buffer using the tensor. You may want to copy the buffer to protect its data or "
                            "make it writable before converting it to a tensor. This type of warning will be "
                            "suppressed for the rest of this program.")
    array = np.frombuffer(view, dtype=dt.numpy_dtype(np, dtype), count=count, offset=offset)
    out = adopt(array, dtype, warn_read_only=False)  # shared, read-only or not, after the warning above
    return out.requires_grad_() if requires_grad else out


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """``obj`` as a tensor, sharing its memory where it can (a tensor of the same dtype and device
    is returned itself, a NumPy array or a buffer is wrapped), as ``torch.asarray``. ``copy=True``
    always copies; ``copy=False`` raises ValueError where a copy would be needed."""
    read_only = False
    if is_ndarray(obj):  # torch's from_numpy tensor, then a tensor's rules
        read_only = not obj.flags.writeable
        array, obj = obj, adopt(obj, dt.from_numpy_dtype(obj.dtype), warn_read_only=False)
        if not array.ndim:  # torch reads a 0-d array as a NumPy scalar: a copy, which copy= will not convert
            obj, copy = obj.clone(), None if copy is None else False
    if isinstance(obj, Tensor):
        out = obj
        if dtype is not None and dtype is not obj.dtype:
            if copy is False:
                raise ValueError(f"can't alias tensor with dtype '{dt.scalar_name(obj.dtype)}' into dtype "
                                 f"'{dt.scalar_name(dtype)}'.")
            out = out.to(dtype)
        if device is not None and str(device) != str(out.device):
            if copy is False:
                raise ValueError(f"can't alias tensor from device '{out.device}' to '{device}'.")
            out = out.to(device)
        if copy and out is obj:
            out = obj.clone()
        if read_only and out is obj:  # from_numpy's warning, where the array's memory is taken as it is
            _warnings.warn_once(READ_ONLY_ARRAY)
    elif isinstance(obj, _BUFFERS) and copy is not True:
        out = frombuffer(obj, dtype=dt.get_default_dtype() if dtype is None else dtype)
        out = out if device is None else out.to(device)
    else:
        out = tensor(obj, dtype=dtype, device=device)
    return out.requires_grad_() if requires_grad else out


def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False):
    """An uninitialized (here zero) tensor of ``size`` laid out with ``stride``, as
    ``torch.empty_strided``: it owns a storage just long enough for the farthest element."""
    size, stride = tuple(size), tuple(stride)
    if len(size) != len(stride):
        raise RuntimeError(f"dimensionality of sizes ({len(size)}) must match dimensionality of strides "
                           f"({len(stride)})")
    refuse_symbolic("empty_strided", size, stride)
    for n in size:
        if n < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: {list(size)}")
    if 0 not in size and any(s < 0 and n > 1 for n, s in zip(size, stride)):  # (torch's storage size)
        raise RuntimeError(f"Storage size calculation overflowed with sizes={list(size)} and "
                           f"strides={list(stride)}")
    out = zeros(extent(size, stride), dtype=dtype, device=device).as_strided(size, stride).detach()
    return out.requires_grad_() if requires_grad else out
