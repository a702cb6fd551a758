"""Elementwise math built from primitives: logit, sinc, angle conversions, the special-function
combinations of ``torch.special`` (see primitives/__init__.py for the module conventions)."""
from __future__ import annotations

import math

from ...shape import reads_as_int
from ...tensor import Tensor
from ... import dtypes as dt
from ..argcheck import invalid_combination
from ..common import Formula
from ..primitives.elementwise import eq, sign, trunc, where
from ..primitives.special import erfc, lgamma
from ..registry import composite
from ..shell import refuse_kernel
from .arrays import broadcast_tensors
from .. import samples
from ..memory_formats import contiguous_result, lays_out

__all__ = ["deg2rad", "rad2deg", "sgn", "positive", "fix", "isposinf", "isneginf", "isreal",
           "ldexp", "mvlgamma", "isin"]
METHODS = "deg2rad rad2deg sgn positive fix isposinf isneginf isreal ldexp mvlgamma"  # isin: no method
INPLACE = "deg2rad rad2deg sgn fix ldexp mvlgamma"


def _floating(x):
    """``x``, an integer or bool one as the default float dtype (a complex one kept: never its real part)."""
    return x if x.dtype.is_floating_point or x.dtype.is_complex else x.to(dt.get_default_dtype())


def _refuse_complex(x, text, kind=RuntimeError):
    """torch's refusal of a complex ``x``; ``text`` may hold ``{}``, the dtype's ScalarType name."""
    if x.dtype.is_complex:
        raise kind(text.format(dt.scalar_name(x.dtype)))


def _unary():
    return samples.elementwise(1)


@composite(samples=_unary, grad_fn="Deg2RadBackward0")
def deg2rad(input):
    """Degrees to radians, as ``torch.deg2rad``."""
    _refuse_complex(input, "deg2rad is not supported for complex tensors.")
    return _floating(input) * (math.pi / 180)


@composite(samples=_unary, grad_fn="Rad2DegBackward0")
def rad2deg(input):
    """Radians to degrees, as ``torch.rad2deg``."""
    _refuse_complex(input, "rad2deg is not supported for complex tensors.")
    return _floating(input) * (180 / math.pi)


@composite(samples=_unary, grad_fn=lambda input: "SgnBackward0" if input.dtype.is_floating_point else None,
           saves="self=input result")
def sgn(input):
    """``sign`` for real tensors, ``z / |z|`` (0 at 0) for complex ones, as ``torch.sgn``."""
    if input.dtype.is_complex:
        from .complex_numbers import complex_sgn
        return complex_sgn(input)
    return sign(input)


def positive(input):
    """``input`` itself, as ``torch.positive``; a bool tensor raises as torch's unary ``+``."""
    if input.dtype is dt.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


fix = trunc


@composite(grad=False, samples=_unary)
def isposinf(input):
    """``input == inf``, as ``torch.isposinf``."""
    _refuse_complex(input, "isposinf does not support complex inputs.")
    return eq(input, math.inf) if input.dtype.is_floating_point else eq(input, input) & False


@composite(grad=False, samples=_unary)
def isneginf(input):
    """``input == -inf``, as ``torch.isneginf``."""
    _refuse_complex(input, "isneginf does not support complex inputs.")
    return eq(input, -math.inf) if input.dtype.is_floating_point else eq(input, input) & False


def isreal(input):
    """Where the imaginary part is 0 (everywhere for a real tensor), as ``torch.isreal``."""
    if input.dtype.is_complex:
        return input.imag == 0
    return input.new_ones(input.shape, dtype=dt.bool_)


@composite(samples=lambda: samples.elementwise(2), grad_fn="LdexpBackward0", saves="other/input result")
def ldexp(input, other):
    """``input * 2 ** other``, as ``torch.ldexp``."""
    for i, (name, t) in enumerate((("input", input), ("other", other))):
        if not isinstance(t, Tensor):
            raise TypeError(f"ldexp(): argument '{name}' (position {i + 1}) must be Tensor, "
                            f"not {type(t).__name__}")
    if other.dtype in dt.FLOAT8:  # torch's pow(2, other) comes first
        refuse_kernel("pow", other.dtype)
    dtype = _ldexp_dtype(input, other)  # (a float8 mantissa's promotion with a float exponent)
    integral = not other.dtype.is_floating_point
    if integral and input.dtype.is_floating_point:
        # torch's own kernel of a float mantissa and an integer exponent, looked up for each in turn
        if input.dtype in dt.FLOAT8:
            refuse_kernel("ldexp_cpu", input.dtype)
        if other.dtype is dt.bool_ or other.dtype in dt.WIDE_UNSIGNED:
            refuse_kernel("ldexp_cpu_exp", other.dtype)
    # broadcast first: torch's gradient of other is grad * result * ln 2 at every element before the sum over
    # broadcast dims (0 * inf there is nan), not that sum times 2 ** other
    # float16 (bfloat16) with an integer exponent stays float16 (bfloat16), computed in float32 and rounded
    # once as torch's (a 16-bit float exponent is torch's pow and mul in that dtype, each rounded)
    half = dtype if dtype in dt.HALVES and integral else None
    x, e = broadcast_tensors(input.float() if half else input.to(dtype), _floating(other))
    return Formula.apply(_ldexp, _ldexp_backward, x, e, half, integral)


def _ldexp_dtype(input, other):
    """torch's result dtype of ``ldexp(input, other)``: a float mantissa's own with an integer exponent (its
    kernel), else that of ``input * pow(2., other)``: the mantissa promoted with the power's dtype (the
    exponent's, or the default float for an integer one)."""
    inexact = other.dtype.is_floating_point or other.dtype.is_complex
    if input.dtype.is_floating_point and not inexact:
        return input.dtype
    return dt.promote_types(input.dtype, other.dtype if inexact else dt.get_default_dtype())


def _ldexp(x, e, half, _):
    out = x * (2.0 ** e)
    return out.to(half) if half else out


def _ldexp_backward(g, x, e, half, integral, result):
    """torch's formula, which reads the exponent (for x's gradient) and the result (for e's), not ``x``: the
    exponent kept only for x's gradient (None where that is not needed), the result for any, as torch's."""
    if e is None:
        return None, g * result * math.log(2), None, None
    scale = 2.0 ** e
    # an integer exponent's gradient is grad * pow(2, other) in that integer dtype: 0 for a negative one
    return g * (where(e < 0, 0.0, scale) if integral else scale), g * result * math.log(2), None, None


_ldexp_backward.saves, _ldexp_backward.reads_result = {1: (0,), "result": (0, 1)}, True


@composite(samples=samples.mvlgamma, domain=(2.0, 5.0), grad_fn="MvlgammaBackward0", saves="self=input p")
@lays_out(contiguous_result)
def mvlgamma(input, p):
    """The multivariate log-gamma of dimension ``p``:
    ``p (p - 1) / 4 log(pi) + sum_{i < p} lgamma(x - i / 2)``, as ``torch.mvlgamma``.

    Raises RuntimeError for a bool input or ``p < 1``, as torch (which no longer checks the domain
    ``x > (p - 1) / 2``: outside it the result is inf or NaN)."""
    if not reads_as_int(p):  # (a bool, a float, a 0-d ndarray: the public wrapper parses for torch's text)
        raise TypeError(f"mvlgamma(): argument 'p' must be int, not {type(p).__name__}")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    if input.dtype is dt.bool_:
        raise RuntimeError("The input tensor may not be a boolean tensor.")
    # (torch's lgamma steps come from an arange in the input's dtype)
    _refuse_complex(input, "\"arange_cpu\" not implemented for '{}'", NotImplementedError)
    input = _floating(input)
    out = lgamma(input + 0.0)  # x + 0 as torch's x + arange(...): digamma(+0) in the gradient at -0
    for i in range(1, p):
        out = out + lgamma(input - i / 2)
    return out + p * (p - 1) / 4 * math.log(math.pi)


@composite(grad=False, samples=samples.isin)
def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """Whether each of ``elements`` is among ``test_elements`` (either may be a number), as ``torch.isin``."""
    number = (int, float, bool)
    if not all(isinstance(a, (Tensor, *number)) for a in (elements, test_elements)) or not any(
            isinstance(a, Tensor) for a in (elements, test_elements)):
        raise invalid_combination("isin", (elements, test_elements), {})
    for a in (elements, test_elements):
        d = a.dtype if isinstance(a, Tensor) else dt.bool_ if isinstance(a, bool) else None
        if d is dt.bool_ or d is not None and d.is_complex:
            raise RuntimeError(f"Unsupported input type encountered for isin(): {dt.scalar_name(d)}")
    # a number compared as torch's eq with it promotes (0.5 is not among an int tensor's 0s); every pair of
    # tensors' elements compared (no sort), so NaN is never found, as torch
    if not isinstance(test_elements, Tensor):
        found = eq(elements, test_elements)
    elif not isinstance(elements, Tensor):
        found = eq(test_elements.reshape(-1), elements).any()
    else:
        found = eq(elements.unsqueeze(-1), test_elements.reshape(-1)).any(-1)
    return ~found if invert else found


@composite("special.ndtr", samples=_unary, grad_fn="MulBackward1")
def special_ndtr(input):
    """The standard normal CDF ``erfc(-x / sqrt(2)) / 2``, as ``torch.special.ndtr``."""
    _refuse_complex(input, "\"erf_vml_cpu\" not implemented for '{}'", NotImplementedError)  # its erf's
    return erfc(_floating(input) * -math.sqrt(0.5)) * 0.5
