"""Window functions, as ``torch.signal.windows``: each a 1-D tensor of ``M`` points made from ``linspace``
and elementwise ops, so it has a gradient history when ``requires_grad`` and runs on every device.

As PyTorch: ``sym=True`` gives a symmetric window (filter design), ``sym=False`` a periodic one (spectral
analysis, the first ``M`` points of an ``M + 1`` window); ``M`` must be non-negative, the layout strided and
the dtype float32 or float64, each refused with torch's ValueError and text.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

from ... import dtypes as dt
from ...ops.creation import arange, empty, linspace, ones, tensor
from ...sparse import strided

__all__ = ["bartlett", "blackman", "cosine", "exponential", "gaussian", "general_cosine", "general_hamming",
           "hamming", "hann", "kaiser", "nuttall"]


def _checks(name: str, M: int, dtype, layout):
    dtype = dtype or dt.get_default_dtype()
    if M < 0:
        raise ValueError(f"{name} requires non-negative window length, got M={M}")
    if layout is not strided:
        raise ValueError(f"{name} is implemented for strided tensors only, got: {layout}")
    if dtype not in (dt.float32, dt.float64):
        raise ValueError(f"{name} expects float32 or float64 dtypes, got: {dtype}")
    return dtype


def _trivial(M, dtype, device, requires_grad, one=False):
    """The window of no point (and, where ``one``, of one point: 1)."""
    if M == 0 or (one and M == 1):
        return (empty if M == 0 else ones)((M,), dtype=dtype, device=device, requires_grad=requires_grad)
    return None


def _points(start, step, M, dtype, device, requires_grad):
    return linspace(start, start + (M - 1) * step, M, dtype=dtype, device=device, requires_grad=requires_grad)


def exponential(M: int, *, center: float | None = None, tau: float = 1.0, sym: bool = True, dtype=None,
                layout=strided, device=None, requires_grad=False):
    """Exponential (Poisson) window: ``w_n = exp(-|n - c| / tau)``.

    Args:
        M (int): the window's length. center (float, optional): c, only for ``sym=False`` (default: the
        middle). tau (float): the decay (> 0). Default: 1.0. sym, dtype, layout, device, requires_grad: as
        every window (see the module).

    Raises:
        ValueError: ``tau <= 0``, ``center`` given with ``sym=True``, and the common checks.
    """
    dtype = _checks("exponential", M, dtype, layout)
    if tau <= 0:
        raise ValueError(f"Tau must be positive, got: {tau} instead.")
    if sym and center is not None:
        raise ValueError("Center must be None for symmetric windows")
    done = _trivial(M, dtype, device, requires_grad)
    if done is not None:
        return done
    if center is None:
        center = (M if not sym and M > 1 else M - 1) / 2.0
    return _points(-center / tau, 1 / tau, M, dtype, device, requires_grad).abs().neg().exp()


def cosine(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None, requires_grad=False):
    """Cosine (sine) window: ``w_n = sin(pi (n + 0.5) / M)``.

    Args:
        M (int): the window's length; sym, dtype, layout, device, requires_grad: see the module.

    Raises:
        ValueError: the common checks (see the module).
    """
    dtype = _checks("cosine", M, dtype, layout)
    done = _trivial(M, dtype, device, requires_grad)
    if done is not None:
        return done
    step = math.pi / (M + 1 if not sym and M > 1 else M)
    return _points(0.5 * step, step, M, dtype, device, requires_grad).sin()


def gaussian(M: int, *, std: float = 1.0, sym: bool = True, dtype=None, layout=strided, device=None,
             requires_grad: bool = False):
    """Gaussian window: ``w_n = exp(-(n - (M - 1) / 2)^2 / (2 std^2))``.

    Args:
        M (int): the window's length. std (float): its standard deviation (> 0). Default: 1.0.
        sym, dtype, layout, device, requires_grad: see the module.

    Raises:
        ValueError: ``std <= 0``, and the common checks.
    """
    dtype = _checks("gaussian", M, dtype, layout)
    if std <= 0:
        raise ValueError(f"Standard deviation must be positive, got: {std} instead.")
    done = _trivial(M, dtype, device, requires_grad)
    if done is not None:
        return done
    start, step = -(M if not sym and M > 1 else M - 1) / 2.0, 1 / (std * math.sqrt(2))
    return (-(_points(start * step, step, M, dtype, device, requires_grad) ** 2)).exp()


def kaiser(M: int, *, beta: float = 12.0, sym: bool = True, dtype=None, layout=strided, device=None,
           requires_grad: bool = False):
    """Kaiser window: ``w_n = I0(beta sqrt(1 - (2n / (M - 1) - 1)^2)) / I0(beta)``, I0 the modified Bessel
    function of order 0.

    Args:
        M (int): the window's length. beta (float): the shape (>= 0). Default: 12.0.
        sym, dtype, layout, device, requires_grad: see the module.

    Raises:
        ValueError: ``beta < 0``, and the common checks.
    """
    dtype = _checks("kaiser", M, dtype, layout)
    if beta < 0:
        raise ValueError(f"beta must be non-negative, got: {beta} instead.")
    done = _trivial(M, dtype, device, requires_grad, one=True)
    if done is not None:
        return done
    b = tensor(beta, dtype=dtype, device=device)
    step = 2.0 * beta / (M if not sym else M - 1)
    k = linspace(-beta, min(beta, -beta + (M - 1) * step), M, dtype=dtype, device=device,
                 requires_grad=requires_grad)
    return (b * b - k ** 2).sqrt().i0() / b.i0()


def bartlett(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None, requires_grad=False):
    """Bartlett (triangular) window: ``w_n = 1 - |2n / (M - 1) - 1|``.

    Args:
        M (int): the window's length; sym, dtype, layout, device, requires_grad: see the module.

    Raises:
        ValueError: the common checks (see the module).
    """
    dtype = _checks("bartlett", M, dtype, layout)
    done = _trivial(M, dtype, device, requires_grad, one=True)
    if done is not None:
        return done
    return 1 - _points(-1, 2 / (M if not sym else M - 1), M, dtype, device, requires_grad).abs()


def general_cosine(M, *, a: Iterable, sym: bool = True, dtype=None, layout=strided, device=None,
                   requires_grad: bool = False):
    """Generalized cosine window: ``w_n = sum_i (-1)^i a_i cos(2 pi i n / (M - 1))``.

    Args:
        M (int): the window's length. a (Iterable): the coefficients a_i.
        sym, dtype, layout, device, requires_grad: see the module.

    Raises:
        TypeError: ``a`` is not iterable. ValueError: ``a`` is empty, and the common checks.
    """
    dtype = _checks("general_cosine", M, dtype, layout)
    done = _trivial(M, dtype, device, requires_grad, one=True)
    if done is not None:
        return done
    if not isinstance(a, Iterable):
        raise TypeError("Coefficients must be a list/tuple")
    if not a:
        raise ValueError("Coefficients cannot be empty")
    k = _points(0, 2 * math.pi / (M if not sym else M - 1), M, dtype, device, requires_grad)
    a_i = tensor([(-1) ** i * w for i, w in enumerate(a)], device=device, dtype=dtype,
                 requires_grad=requires_grad)
    i = arange(a_i.shape[0], dtype=dtype, device=device)
    return (a_i.unsqueeze(-1) * (i.unsqueeze(-1) * k).cos()).sum(0)


def general_hamming(M, *, alpha: float = 0.54, sym: bool = True, dtype=None, layout=strided, device=None,
                    requires_grad: bool = False):
    """Generalized Hamming window: ``w_n = alpha - (1 - alpha) cos(2 pi n / (M - 1))``.

    Args:
        M (int): the window's length. alpha (float): Default: 0.54.
        sym, dtype, layout, device, requires_grad: see the module.

    Raises:
        ValueError: the common checks (see the module).
    """
    return general_cosine(M, a=[alpha, 1.0 - alpha], sym=sym, dtype=dtype, layout=layout, device=device,
                          requires_grad=requires_grad)


def hamming(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None, requires_grad=False):
    """Hamming window: ``general_hamming`` with alpha 0.54.

    Args:
        M (int): the window's length; sym, dtype, layout, device, requires_grad: see the module.

    Raises:
        ValueError: the common checks (see the module).
    """
    return general_hamming(M, sym=sym, dtype=dtype, layout=layout, device=device, requires_grad=requires_grad)


def hann(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None, requires_grad=False):
    """Hann window: ``general_hamming`` with alpha 0.5.

    Args:
        M (int): the window's length; sym, dtype, layout, device, requires_grad: see the module.

    Raises:
        ValueError: the common checks (see the module).
    """
    return general_hamming(M, alpha=0.5, sym=sym, dtype=dtype, layout=layout, device=device,
                           requires_grad=requires_grad)


def blackman(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None, requires_grad=False):
    """Blackman window: ``general_cosine`` with a = [0.42, 0.5, 0.08].

    Args:
        M (int): the window's length; sym, dtype, layout, device, requires_grad: see the module.

    Raises:
        ValueError: the common checks (see the module).
    """
    dtype = _checks("blackman", M, dtype, layout)
    return general_cosine(M, a=[0.42, 0.5, 0.08], sym=sym, dtype=dtype, layout=layout, device=device,
                          requires_grad=requires_grad)


def nuttall(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None, requires_grad=False):
    """Minimum 4-term Blackman-Harris window (Nuttall 1981): ``general_cosine`` with a = [0.3635819,
    0.4891775, 0.1365995, 0.0106411].

    Args:
        M (int): the window's length; sym, dtype, layout, device, requires_grad: see the module.

    Raises:
        ValueError: the common checks (see the module).
    """
    return general_cosine(M, a=[0.3635819, 0.4891775, 0.1365995, 0.0106411], sym=sym, dtype=dtype,
                          layout=layout, device=device, requires_grad=requires_grad)
