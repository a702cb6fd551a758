"""Activation functions of pyfront.nn.functional, written in pyfront ops (autograd and devices come free).

Where PyTorch's derivative at a kink differs from what the formula's ops would give, the formula is
arranged (``where`` on the side PyTorch picks) so that the gradient matches exactly.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

from ... import _warnings
from ... import dtypes as dt
from ...autograd import dual, is_grad_enabled
from ...backends import host_rules
from ...ops.dispatch import apply_like
from ...autograd.graph import SEQUENCE, Result, Unreturned, also_saves, present_as, saved_as_torch
from ...ops.common import Formula, check_fits, grad_first, shown_as
from ...ops.primitives import activation_formulas as formulas, elementwise as ew
from ...ops.primitives.shaping import cat
from ...ops.argcheck import _accepts, must_be
from ...ops.registry import composite, records
from ...ops import samples
from ...shape import normalize_dim, reads_as_int
from ...tensor import Tensor
from ...ops.common import in_float32
from ...ops.cpu_vectors import vector_or_tail
from ...ops.memory_formats import contiguous_result, iterated_grads, lays_out

__all__ = [
    "gumbel_softmax",
    "relu",
    "relu_",
    "relu6",
    "leaky_relu",
    "leaky_relu_",
    "elu",
    "elu_",
    "selu",
    "celu",
    "gelu",
    "silu",
    "mish",
    "hardswish",
    "hardsigmoid",
    "hardtanh",
    "hardtanh_",
    "sigmoid",
    "tanh",
    "softplus",
    "softsign",
    "logsigmoid",
    "tanhshrink",
    "softshrink",
    "hardshrink",
    "threshold",
    "threshold_",
    "glu",
    "softmax",
    "log_softmax",
    "softmin",
    "prelu",
]


def _out(input: Tensor, result: Tensor, inplace: bool, since: int) -> Tensor:
    """``result``, or ``input`` overwritten with it (the ``inplace=True`` variants); ``since``: the
    graph's sequence number before ``result`` was computed (see ``Tensor._assign``)."""
    return input._assign(result, since) if inplace else result


def _inplace_of(fn):
    def inplace(input, *args, **kwargs):  # fn's own in-place call: torch's node of it (EluBackward1 ...)
        return fn(input, *args, **kwargs, inplace=True)

    inplace.__name__ = fn.__name__ + "_"
    inplace.__doc__ = f"""In-place ``{fn.__name__}``: overwrites ``input`` with the result and returns it.

    Args:
        input (Tensor): the tensor to overwrite; the other arguments are those of ``{fn.__name__}``.

    Shape:
        input: ``(*)``; output: ``input`` itself.

    Raises what ``{fn.__name__}`` raises; matches ``torch.nn.functional.{fn.__name__}_``.
    """
    return inplace


def _inplace_node(op: str):
    """The node of an activation whose in-place form PyTorch records as another overload (``Backward1``)."""
    def node(*args, inplace=False, **kwargs):
        return f"{op}Backward{int(bool(inplace) or (len(args) > 1 and args[-1] is True))}"
    return node


def _numbers(binding: str, **numbers) -> None:
    """torch's Python F function hands ``numbers`` on to its C++ binding ``binding``, whose parser refuses
    anything but a number (a str, None) in its words, counting positions after the input."""
    for position, (name, value) in enumerate(numbers.items(), 2):
        if type(value) is not float and type(value) is not int and not _accepts("Scalar", value):
            raise must_be(binding, name, "Number", value, position)


def _floating(kernel: str, input: Tensor) -> None:
    """PyTorch's activation kernels exist for floating dtypes only (hardtanh, relu6 and threshold
    take integers too)."""
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt.scalar_name(input.dtype)}'")


@composite(torch_name="nn.functional.relu", samples=samples.float_unary)
def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """Rectified linear unit, elementwise: ``relu(x) = max(0, x)``.

    Args:
        input (Tensor): the input.
        inplace (bool): overwrite ``input`` with the result and return it. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.functional.relu`` (gradient 0 at x = 0).
    """
    return input.relu_() if inplace else ew.relu(input)


def _hardtanh(input, lo, hi):
    if input.dtype is dt.bool_:
        raise RuntimeError("Bool inputs not supported for hardtanh")
    if not input.dtype.is_floating_point:  # relu6's bounds: the result keeps the integer dtype
        lo, hi = int(lo), int(hi)
    return Formula.apply(ew.clamp, _hardtanh_backward, input, lo, hi)


def _vector_or_tail(x: Tensor, vector: Tensor, scalar: Tensor, block: int = 64) -> Tensor:
    """``vector`` (torch's vectorised result), with ``x``'s scalar tail taken from ``scalar``. ``block``:
    the bytes torch's loop takes at once (64: AVX512's vectors, measured: 16 float32s, 8 float64s; some
    kernels two vectors: 128, measured for elu and hardswish)."""
    return vector_or_tail([x], vector, scalar, block // x.element_size())


def _masking(name: str):
    """A backward linear in the incoming gradient, masked or scaled by the input alone (hardtanh's,
    leaky_relu's, threshold's ...) as a Formula of its own with torch's double backward ``name``: the same
    backward of ``gg`` for the incoming gradient, zeros (torch's zeros_like(grad)) for the input."""
    def deco(value):
        @shown_as(name)
        def double(gg, g, x, *numbers):
            return backward(gg, x, *numbers), gg.new_zeros(gg.shape), *(None,) * len(numbers)

        def backward(g, x, *numbers):
            return Formula.apply(value, double, g, x, *numbers)
        backward.__doc__ = value.__doc__
        return backward
    return deco


@grad_first
def _hardtanh_backward(g, x, lo, hi):
    return _hardtanh_backward_value(g, x, lo, hi), None, None


@_masking("HardtanhBackwardBackward0")
def _hardtanh_backward_value(g, x, lo, hi):
    """PyTorch's hardtanh_backward: the gradient strictly inside the bounds, else 0. At NaN 0 in torch's
    vectors and the gradient in its scalar tail (a tensor's last few elements: ops/cpu_vectors.py)."""
    inside = ew.logical_and(x > lo, x < hi)
    return _vector_or_tail(x, ew.where(inside, g, 0.0), ew.where(ew.logical_or(x <= lo, x >= hi), 0.0, g))


@composite(torch_name="nn.functional.hardtanh", samples=samples.hardtanh, grad_fn="HardtanhBackward0",
           saves="max_val min_val self=input")
def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """Clamps elementwise to ``[min_val, max_val]``.

    ``hardtanh(x) = min(max(x, min_val), max_val)``; the gradient is 1 strictly inside the bounds, else 0.

    Args:
        input (Tensor): the input (floating or integer dtype).
        min_val (float): lower bound. Default: -1.0
        max_val (float): upper bound. Default: 1.0
        inplace (bool): overwrite ``input`` with the result and return it. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        ValueError: ``min_val > max_val``.
        RuntimeError: a uint8 input with ``min_val < 0``, or a bound that does not fit the dtype.

    Matches ``torch.nn.functional.hardtanh``.
    """
    since = SEQUENCE[0]
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if input.dtype is dt.uint8 and min_val < 0:  # checked before the bounds' range, as in torch
        raise RuntimeError("cannot do hardtanh on an unsigned type with negative limits")
    if not input.dtype.is_floating_point:  # an integer tensor's bounds go through int64, as in torch
        min_val, max_val = (int(check_fits(v, dt.int64)) for v in (min_val, max_val))
    check_fits(min_val, input.dtype)
    check_fits(max_val, input.dtype)
    return _out(input, _hardtanh(input, min_val, max_val), inplace, since)


@composite(torch_name="nn.functional.relu6", samples=samples.relu6, grad_fn="HardtanhBackward0",
           saves=lambda input, inplace=False: [("max_val", 6), ("min_val", 0), ("self", input)])
def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """ReLU capped at 6, elementwise: ``relu6(x) = min(max(0, x), 6)``.

    Args:
        input (Tensor): the input (floating or integer dtype).
        inplace (bool): overwrite ``input`` with the result and return it. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.functional.relu6`` (``hardtanh(x, 0, 6)``).
    """
    since = SEQUENCE[0]
    return _out(input, _hardtanh(input, 0.0, 6.0), inplace, since)


@composite(torch_name="nn.functional.leaky_relu", samples=samples.leaky_relu,
           grad_fn=_inplace_node("LeakyRelu"),
           saves="negative_slope self=input@LeakyReluBackward0 result@LeakyReluBackward1")
def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """Leaky ReLU, elementwise: ``x`` where ``x > 0``, else ``negative_slope * x``.

    Args:
        input (Tensor): the input (floating dtype).
        negative_slope (float): slope for ``x <= 0``. Default: 0.01
        inplace (bool): overwrite ``input`` with the result and return it. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: ``input`` is not floating point.
        RuntimeError: ``negative_slope`` does not fit the dtype.

    Matches ``torch.nn.functional.leaky_relu`` (Maas et al. 2013).
    """
    _numbers("leaky_relu_" if inplace else "leaky_relu", negative_slope=negative_slope)
    return leaky_slope(input, negative_slope, inplace, LEAKY_RELU_BACKWARDS)


def leaky_slope(input: Tensor, slope: float, inplace: bool, backwards) -> Tensor:
    """``x`` where ``x > 0``, else ``slope * x`` (leaky_relu's, evaluation rrelu's), differentiated by
    ``backwards``: (the backward from the input, the in-place call's from the result); torch's refusals of a
    non-float input and of a slope the dtype cannot hold first."""
    _floating("leaky_relu_cpu", input)
    if input.dtype.is_floating_point:  # (torch refuses integer inputs)
        check_fits(slope, input.dtype, opmath=True)
    since = SEQUENCE[0]
    return _out(input, Formula.apply(_leaky_relu, backwards[bool(inplace)], input, slope), inplace, since)


def _leaky_relu(x, slope):
    return ew.where(x > 0, x, x * slope)


def _leaky_relu_grad(g, x, slope):
    """PyTorch's leaky_relu_backward, one select: g where x > 0, else g * slope (a sum of the two branches'
    gradients would turn a -0.0 gradient into +0.0)."""
    return ew.where(x > 0, g, g * slope)


def _leaky_backwards(double_backward: str):
    """leaky_relu_backward from the input, and with self_is_result (an in-place call's: LeakyReluBackward1,
    RreluWithNoiseBackward1) from the result, refused for a negative slope (a positive result may then come
    from a negative input); their double backward shown as ``double_backward``."""
    value = _masking(double_backward)(_leaky_relu_grad)

    def backward(g, x, slope):
        return value(g, x, slope), None

    def from_result(g, x, slope, *, result):
        if slope < 0:
            raise RuntimeError(
                "In-place leakyReLu backward calculation is triggered with a negative slope which is not "
                "supported. This is caused by calling in-place forward function with a negative slope, "
                "please call out-of-place version instead. File an issue at "
                "https://github.com/pytorch/pytorch if you do require supporting in-place leakRelu backward "
                "calculation with negative slope")
        return value(g, result, slope), None

    from_result.reads_result, from_result.saves = True, ()
    return backward, from_result


LEAKY_RELU_BACKWARDS = _leaky_backwards("LeakyReluBackwardBackward0")
RRELU_BACKWARDS = _leaky_backwards("RreluWithNoiseBackwardBackward0")


def _recorded(input: Tensor) -> bool:
    """Whether a gradient is recorded from ``input`` (or a tangent carried): then elu's family, softplus
    and logsigmoid run their value in a Formula with torch's backward, else the value alone."""
    return input._requires_grad and is_grad_enabled() or dual.ON[0]


@iterated_grads("grad", 0)  # torch's elu_backward: over (grad_output, self)
def _elu(input, alpha, scale, input_scale, grad_input_scale=None, inplace=False):
    """elu's family; ``grad_input_scale``: the input scale torch's backward takes where it differs from
    the forward's (celu's, 1 / alpha rounded through a float32 there). A recorded call runs torch's
    elu_backward (one select: a -0.0 gradient stays -0.0, where the branches' summed gradients gave +0),
    an in-place one from the result, as torch's (its input is overwritten)."""
    if _recorded(input):
        backward = _elu_result_backward if inplace else _elu_backward
        return Formula.apply(_elu_value, backward, input, alpha, scale, input_scale,
                             input_scale if grad_input_scale is None else grad_input_scale)
    return _elu_value(input, alpha, scale, input_scale)


@in_float32  # torch's float16 kernel takes alpha as a float32 and rounds the result once
def _elu_value(input, alpha, scale, input_scale, grad_input_scale=None):
    if host_rules(input._storage.device):
        return apply_like(input, ew.elu_op, input, alpha=alpha, scale=scale, input_scale=input_scale)
    return formulas.elu(_TENSOR_MATH, input, alpha, scale, input_scale)


def _in_dtype(value: float, x: Tensor) -> float:
    """``value`` rounded as torch's kernel converts a Scalar to its opmath type (float32 but for float64)."""
    return value if x.dtype is dt.float64 else dt.round_float32(value)


# ops/primitives/activation_formulas' operations on tensors: the formulas the cpu kernels compute in NumPy,
# as ops (webgpu's, and the cpu's 16-bit gradients)
_TENSOR_MATH = SimpleNamespace(
    where=ew.where, exp=ew.exp, expm1=ew.expm1, log=ew.log, log1p=ew.log1p, abs=ew.abs, sigmoid=ew.sigmoid,
    logical_and=ew.logical_and, logical_not=ew.logical_not, num=lambda x, v: _in_dtype(v, x))


def _elu_backward(g, x, alpha, scale, input_scale, grad_input_scale):
    """torch's elu_backward (is_result false), as its cpu kernel: ``g * input_scale * (alpha * scale) *
    exp(x * input_scale)`` where ``x <= 0``, else ``g * scale``; NaN takes the first in torch's vectors (two
    64-byte ones at once) and the second in its scalar tail. A Formula itself: its gradients are torch's
    elu_double_backward's."""
    return Formula.apply(_elu_backward_value, _elu_double_backward, g, x, alpha, scale, grad_input_scale), \
        None, None, None, None


def _torch_loop(kernel, g, x, block=128):
    """An elementwise backward over (g, x) as torch's cpu loop runs it: ``kernel(g, x, vectors)``, where
    ``vectors`` says on which side NaN falls: that of torch's vectors (``block`` bytes at once: two 64-byte
    vectors) or that of its scalar tail (a tensor's last few elements: ops/cpu_vectors.py). A 16-bit
    dtype's in float32, rounded once, on the tail's side throughout (torch's 16-bit kernel converts its
    vectors to float32 and selects as its tail does)."""
    if x.dtype in dt.HALVES:
        return kernel(g.float(), x.float(), False).to(x.dtype)
    return _vector_or_tail(x, kernel(g, x, True), lambda: kernel(g, x, False), block)


def _elu_backward_value(g, x, alpha, scale, input_scale):
    if host_rules(x._storage.device):  # one kernel
        def kernel(g, x, nan_negative):
            return apply_like(g, ew.elu_backward_op, g, x, alpha=alpha, scale=scale, input_scale=input_scale,
                              nan_negative=nan_negative)
    else:
        def kernel(g, x, nan_negative):
            return formulas.elu_backward(_TENSOR_MATH, g, x, alpha, scale, input_scale, nan_negative)
    return _torch_loop(kernel, g, x)


@shown_as("EluBackwardBackward0")
def _elu_double_backward(gg, g, x, alpha, scale, input_scale):
    """torch's: elu_backward(gg) for the incoming gradient; elu_backward(gg * g * input_scale) where x < 0
    (a 0/1 mask multiplied), else 0, for the input."""
    d_g = _elu_backward(gg, x, alpha, scale, input_scale, input_scale)[0]
    d_x = _elu_backward(gg * g * input_scale, x, alpha, scale, input_scale, input_scale)[0] * (x < 0).to(gg.dtype)
    return d_g, d_x, None, None, None


def _elu_result_backward(g, x, alpha, scale, input_scale, grad_input_scale, *, result):
    """torch's elu_backward with is_result (an in-place call's, EluBackward1/CeluBackward1): from the
    result alone, which keeps no input (x is None here)."""
    return _elu_from_result(g, result, alpha, scale, grad_input_scale), None, None, None, None


_elu_result_backward.reads_result, _elu_result_backward.saves = True, ()


def _elu_from_result(g, y, alpha, scale, input_scale):
    """``g * input_scale * (y + alpha * scale)`` where the result ``y <= 0``, else ``g * scale`` (NaN on the
    first side in torch's vectors, on the second in its tail, as _elu_backward_value); refused for a
    negative alpha, as torch's (a positive result may then come from a negative input)."""
    if alpha < 0:
        raise RuntimeError("In-place elu backward calculation is triggered with a negative slope which is "
                           "not supported. This is caused by calling in-place forward function with a "
                           "negative slope, please call out-of-place version instead.")
    return Formula.apply(_elu_from_result_value, _elu_result_double_backward, g, y, alpha, scale, input_scale)


def _elu_from_result_value(g, y, alpha, scale, input_scale):
    def kernel(g, y, nan_negative):
        return formulas.elu_backward_from_result(_TENSOR_MATH, g, y, alpha, scale, input_scale, nan_negative)
    return _torch_loop(kernel, g, y)


@shown_as("EluBackwardBackward0")
def _elu_result_double_backward(gg, g, y, alpha, scale, input_scale):
    """torch's with is_result: elu_backward(gg) for the incoming gradient, ``gg * g * input_scale`` where
    the result is below 0, else 0, for the result."""
    return (_elu_from_result(gg, y, alpha, scale, input_scale), gg * g * input_scale * (y < 0).to(gg.dtype),
            None, None, None)


def _elu_saved(alpha, inplace, input, scale=None, input_scale=1):
    """What torch's EluBackward0 (``scale`` given; EluBackward1 in place) or CeluBackward0/1 saves: the
    numbers as given, then the input, or the in-place call's result."""
    numbers = [("alpha", alpha)] if scale is None else [("alpha", alpha), ("input_scale", input_scale),
                                                        ("scale", scale)]
    return [*numbers, ("result", Result(0)) if inplace else ("self", input)]


@composite(torch_name="nn.functional.elu", samples=samples.elu, grad_fn=_inplace_node("Elu"),
           saves=lambda input, alpha=1.0, inplace=False: _elu_saved(alpha, inplace, input, 1))
def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """Exponential linear unit, elementwise: ``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)``.

    Args:
        input (Tensor): the input (floating dtype).
        alpha (float): the value the negative side tends to (as ``-alpha``). Default: 1.0
        inplace (bool): overwrite ``input`` with the result and return it. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: ``input`` is not floating point.
        RuntimeError: ``alpha`` does not fit the dtype.

    Follows Clevert et al. 2015, as ``torch.nn.functional.elu``.
    """
    _numbers("elu_" if inplace else "elu", alpha=alpha)
    _floating("elu_cpu", input)
    since = SEQUENCE[0]
    if input.dtype.is_floating_point:  # (torch refuses integer inputs)
        check_fits(alpha, input.dtype, opmath=True)
    return _out(input, _elu(input, alpha, 1.0, 1.0, inplace=inplace), inplace, since)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


@composite(torch_name="nn.functional.selu", samples=samples.float_unary, grad_fn=_inplace_node("Elu"),
           saves=lambda input, inplace=False: _elu_saved(_SELU_ALPHA, inplace, input, _SELU_SCALE))
def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """Scaled ELU, elementwise: ``scale * (x if x > 0 else alpha * (exp(x) - 1))``.

    ``alpha = 1.6732632423543772``, ``scale = 1.0507009873554805``.

    Args:
        input (Tensor): the input (floating dtype).
        inplace (bool): overwrite ``input`` with the result and return it. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: ``input`` is not floating point.

    Follows Klambauer et al. 2017 (self-normalizing networks), as ``torch.nn.functional.selu``.
    """
    _floating("elu_cpu", input)
    since = SEQUENCE[0]
    return _out(input, _elu(input, _SELU_ALPHA, _SELU_SCALE, 1.0, inplace=inplace), inplace, since)


@composite(torch_name="nn.functional.celu", samples=samples.celu, grad_fn=_inplace_node("Celu"),
           saves=lambda input, alpha=1.0, inplace=False: _elu_saved(alpha, inplace, input))
def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """Continuously differentiable ELU: ``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``.

    Args:
        input (Tensor): the input (floating dtype).
        alpha (float): the scale of the negative side. Default: 1.0
        inplace (bool): overwrite ``input`` with the result and return it. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        RuntimeError: ``alpha`` is 0, or ``alpha`` or ``1 / alpha`` does not fit the dtype.
        NotImplementedError: ``input`` is not floating point.

    Follows Barron 2017, as ``torch.nn.functional.celu``.
    """
    _numbers("celu_" if inplace else "celu", alpha=alpha)
    if alpha == 0:  # (torch's check, before its kernel's dtype; its words name Python's error)
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    _floating("elu_cpu", input)
    since = SEQUENCE[0]
    input_scale = 1.0 / alpha  # (a subnormal alpha's is inf in Python too)
    if input.dtype.is_floating_point:
        check_fits(alpha, input.dtype, opmath=True)
        check_fits(input_scale, input.dtype, opmath=True)
    # torch's backward takes 1 / alpha.toFloat(): inf where alpha underflows a float32
    alpha_f32 = dt.round_float32(alpha)
    grad_input_scale = 1.0 / alpha_f32 if alpha_f32 else math.copysign(math.inf, alpha_f32)
    return _out(input, _elu(input, alpha, 1.0, input_scale, grad_input_scale, inplace), inplace, since)


@composite(torch_name="nn.functional.gelu", samples=samples.gelu, grad_fn="GeluBackward0",
           saves="approximate self=input")
def gelu(input: Tensor, *, approximate: str = "none") -> Tensor:
    """Gaussian error linear unit, elementwise: ``gelu(x) = x * Phi(x)``, Phi the standard normal CDF.

    ``approximate='tanh'``: ``0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))``.

    Args:
        input (Tensor): the input (floating dtype).
        approximate (str): ``'none'`` (exact, with erf) or ``'tanh'``. Default: ``'none'``
        out (Tensor, optional): the output tensor, of the result's dtype. Default: None

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: ``input`` is not floating point.
        RuntimeError: ``approximate`` is neither ``'none'`` nor ``'tanh'``.

    Follows Hendrycks & Gimpel 2016, as ``torch.nn.functional.gelu``.
    """
    if not input.dtype.is_floating_point:  # (torch reads approximate before its kernel's dtype)
        if approximate not in ("none", "tanh"):
            raise RuntimeError("approximate argument must be either none or tanh.")
        _floating("GeluKernelImpl", input)
    if approximate == "none":
        return Formula.apply(_gelu, _gelu_backward, input)
    if approximate == "tanh":
        return Formula.apply(_gelu_tanh, _gelu_tanh_backward, input)
    raise RuntimeError("approximate argument must be either none or tanh.")


# gelu's values and gradients in float32 for 16-bit dtypes, rounded once, as torch's kernels (in a Formula of
# the 16-bit tensors: its double backward's node is torch's, not a cast's)
@in_float32
def _gelu(x):
    return x * 0.5 * (1.0 + ew.erf(x * (1.0 / math.sqrt(2.0))))


@in_float32
def _gelu_tanh(x):
    return x * 0.5 * (1.0 + ew.tanh(_gelu_inner(x)))


def _gelu_inner(x):
    return (x + 0.044715 * x * x * x) * math.sqrt(2.0 / math.pi)


def _gelu_backward(g, x):
    return Formula.apply(_gelu_backward_value, _gelu_double_backward, g, x)


def _gelu_tanh_backward(g, x):
    return Formula.apply(_gelu_tanh_backward_value, _gelu_tanh_double_backward, g, x)


@shown_as("GeluBackwardBackward0")
def _gelu_double_backward(gg, g, x):
    """torch's gelu_double_backward: ``gg * g * (2 * pdf - x * x * pdf)``, pdf the normal density."""
    x_sq = x * x
    pdf = ew.exp(x_sq * -0.5) * (1.0 / math.sqrt(2.0 * math.pi))
    return _gelu_backward(gg, x), gg * g * (pdf * 2 - x_sq * pdf)


@shown_as("GeluBackwardBackward0")
def _gelu_tanh_double_backward(gg, g, x):
    """torch's gelu_double_backward for approximate='tanh', its terms in its order: the derivative of
    ``f * (1 + t) + ...`` with f = x / 2, t = tanh(inner), h = inner's derivative."""
    beta, kappa = math.sqrt(2.0 / math.pi), 0.044715
    inner = (x + kappa * x * x * x) * beta
    t = ew.tanh(inner)
    sech = 1 / ew.cosh(inner)
    f, g_ = x * 0.5, 1 - t * t
    h = (1 + 3 * kappa * x * x) * beta
    f_prime_gh = 0.5 * g_ * h
    g_prime_fh = f * h * ((2 * sech) * (-sech * t) * h)
    h_prime_fg = f * g_ * (6 * kappa * x * beta)
    return _gelu_tanh_backward(gg, x), gg * g * (2 * f_prime_gh + g_prime_fh + h_prime_fg)


@in_float32
def _gelu_backward_value(g, x):
    """PyTorch's GeluBackward: g * (Phi(x) + x * phi(x))."""
    cdf = 0.5 * (1.0 + ew.erf(x * (1.0 / math.sqrt(2.0))))
    pdf = ew.exp(x * x * -0.5) * (1.0 / math.sqrt(2.0 * math.pi))
    return g * (cdf + x * pdf)


@in_float32
def _gelu_tanh_backward_value(g, x):
    """PyTorch's tanh GeluBackward: g * (0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2 / pi) (1 + 3 k x^2))."""
    t = ew.tanh(_gelu_inner(x))
    inner_grad = (1.0 + 3 * 0.044715 * x * x) * math.sqrt(2.0 / math.pi)
    return g * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * inner_grad)


@composite(torch_name="nn.functional.silu", samples=samples.float_unary, grad_fn="SiluBackward0",
           saves="self=input")
def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """Sigmoid linear unit (swish), elementwise: ``silu(x) = x * sigmoid(x)``.

    Args:
        input (Tensor): the input (floating dtype).
        inplace (bool): overwrite ``input`` with the result and return it. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: ``input`` is not floating point.

    Follows Elfwing et al. 2017 / Ramachandran et al. 2017, as ``torch.nn.functional.silu``.
    """
    if input.dtype.is_complex:  # torch's silu computes complex numbers, but has no complex gradient
        if input.requires_grad and is_grad_enabled():
            raise RuntimeError("silu does not support automatic differentiation for outputs with complex "
                               "dtype.")
    else:
        _floating("silu_cpu", input)
    since = SEQUENCE[0]
    return _out(input, Formula.apply(_silu, _silu_backward, input), inplace, since)


@in_float32  # (torch's 16-bit kernels: in float32, rounded once)
def _silu(x):
    # torch's order, x / (1 + exp(-x)): below -88.7 exp overflows and the result is -0, as torch's
    return x / (1.0 + ew.exp(-x))


def _silu_backward(g, x):
    """torch's SiluBackward: with create_graph its differentiable formula in the dtype's own steps
    (infinitely_differentiable_silu_backward: its node is a product's), else its kernel."""
    if is_grad_enabled():
        s = ew.sigmoid(x)
        return g * s * (1.0 + x * (1.0 - s))
    return _silu_kernel_backward(g, x)


@in_float32
def _silu_kernel_backward(g, x):
    """torch's silu_backward kernel: g * sigmoid(x) * (1 + x * (1 - sigmoid(x)))."""
    s = ew.sigmoid(x)
    return g * (s * (1.0 + x * (1.0 - s)))


@composite(torch_name="nn.functional.softplus", samples=samples.softplus, grad_fn="SoftplusBackward0",
           saves="self=input beta threshold")
@iterated_grads("grad", 0)  # torch's softplus_backward: over (grad_output, self)
def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """Smooth ReLU, elementwise: ``softplus(x) = log(1 + exp(beta * x)) / beta``.

    Where ``beta * x > threshold`` it returns ``x`` (linear), which avoids overflow in ``exp``.

    Args:
        input (Tensor): the input (floating dtype).
        beta (float): sharpness of the curve. Default: 1.0
        threshold (float): above this value of ``beta * x`` the function is the identity. Default: 20.0
        out (Tensor, optional): the output tensor, of the result's dtype. Default: None

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: ``input`` is not floating point.
        RuntimeError: ``beta`` or ``threshold`` does not fit the dtype.

    Matches ``torch.nn.functional.softplus``.
    """
    _floating("softplus_cpu", input)
    if input.dtype.is_floating_point:  # (torch refuses integer inputs)
        check_fits(beta, input.dtype, opmath=True)
        check_fits(threshold, input.dtype, opmath=True)
    if _recorded(input):  # torch's softplus_backward, one select (summed branches turned -0.0 into +0)
        return Formula.apply(_softplus_value, _softplus_backward, input, beta, threshold)
    return _softplus_value(input, beta, threshold)


@in_float32  # torch's 16-bit kernel: in float32, rounded once
def _softplus_value(input, beta, threshold):
    if host_rules(input._storage.device):
        return apply_like(input, ew.softplus_op, input, beta=beta, threshold=threshold)
    return formulas.softplus(_TENSOR_MATH, input, beta, threshold)


def _softplus_backward(g, x, beta, threshold):
    """torch's softplus_backward, a Formula itself (its gradients torch's softplus_double_backward's)."""
    return Formula.apply(_softplus_backward_value, _softplus_double_backward, g, x, beta, threshold), None, None


@in_float32  # torch's 16-bit kernel: in float32, rounded once
def _softplus_backward_value(g, x, beta, threshold):
    """As torch's cpu kernel: ``g`` where ``x * beta > threshold``, else ``g * z / (z + 1)``, z =
    ``exp(x * beta)`` (an infinite g times z = 0 at -inf: NaN, as there)."""
    if host_rules(x._storage.device):
        return apply_like(g, ew.softplus_backward_op, g, x, beta=beta, threshold=threshold)
    return formulas.softplus_backward(_TENSOR_MATH, g, x, beta, threshold)


@shown_as("SoftplusBackwardBackward0")
def _softplus_double_backward(gg, g, x, beta, threshold):
    """torch's: softplus_backward(gg) for the incoming gradient; for the input sigmoid_backward(gg * g,
    sigmoid(x * beta)) * (x * beta < threshold) * beta."""
    s = ew.sigmoid(x * beta)
    d_x = gg * g * (1.0 - s) * s * (x * beta < threshold).to(gg.dtype) * beta
    return _softplus_backward(gg, x, beta, threshold)[0], d_x, None, None


@composite(torch_name="nn.functional.mish", samples=samples.mish, grad_fn="MishBackward0",
           saves="self=input")
def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """Mish, elementwise: ``mish(x) = x * tanh(softplus(x))``.

    Args:
        input (Tensor): the input (floating dtype).
        inplace (bool): overwrite ``input`` with the result and return it. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: ``input`` is not floating point.

    Follows Misra 2019, as ``torch.nn.functional.mish``.
    """
    _floating("mish_cpu", input)
    since = SEQUENCE[0]
    return _out(input, Formula.apply(_mish, _mish_backward, input), inplace, since)


@in_float32  # (torch's 16-bit kernels: in float32, rounded once)
def _mish(x):
    return x * ew.tanh(softplus(x))


def _mish_backward(g, x):
    """torch's MishBackward: g * (tanh(softplus(x)) + x * sigmoid(x) * (1 - tanh(softplus(x))^2)); with
    create_graph in the dtype's own steps (infinitely_differentiable_mish_backward), else its kernel."""
    return _mish_grad(g, x) if is_grad_enabled() else _mish_kernel_backward(g, x)


def _mish_grad(g, x):
    t = ew.tanh(softplus(x))
    return g * (t + x * ew.sigmoid(x) * (1.0 - t * t))


_mish_kernel_backward = in_float32(_mish_grad)


@composite(torch_name="nn.functional.hardswish", samples=samples.hardswish, grad_fn="HardswishBackward0",
           saves="self=input")
def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """Hard swish, elementwise: ``x * relu6(x + 3) / 6``.

    0 for ``x <= -3``, ``x`` for ``x >= 3``; the gradient is ``x / 3 + 1 / 2`` strictly between, as PyTorch's.

    Args:
        input (Tensor): the input (floating dtype).
        inplace (bool): overwrite ``input`` with the result and return it. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: ``input`` is not floating point.

    Follows Howard et al. 2019 (MobileNetV3), as ``torch.nn.functional.hardswish``.
    """
    _floating("hardswish_cpu", input)
    since = SEQUENCE[0]
    return _out(input, Formula.apply(_hardswish, _hardswish_backward, input), inplace, since)


@in_float32  # torch's 16-bit kernel: in float32, rounded once
def _hardswish(x):
    # PyTorch's x * relu6(x + 3) / 6 in its order: -inf gives NaN (-inf * 0) and x * 6 overflows past
    # 5.7e37 to inf, as there
    return (x * ew.clamp(x + 3.0, 0.0, 6.0) / 6.0).to(x.dtype)


@grad_first
def _hardswish_backward(g, x):
    """torch's hardswish_backward, a Formula itself (its gradients torch's double backward's)."""
    return Formula.apply(_hardswish_backward_value, _hardswish_double_backward, g, x)


@shown_as("HardswishBackwardBackward0")
def _hardswish_double_backward(gg, g, x):
    """torch's: hardswish_backward(gg) for the incoming gradient, ``gg * g / 3`` strictly inside (-3, 3)
    (NaN outside), else 0, for the input."""
    return _hardswish_backward(gg, x), ew.where(ew.logical_and(x > -3.0, x < 3.0), gg * g / 3.0, 0.0)


def _hardswish_backward_value(g, x):
    return _torch_loop(_hardswish_backward_kernel, g, x)


def _hardswish_backward_kernel(g, x, vectors):
    # the boundaries -3 and 3 belong to the outer pieces, where PyTorch's derivative is 0 and 1
    # (selected: an infinite g gives 0 below -3). NaN takes the middle piece (NaN) in torch's vectors and
    # the last (g) in its scalar tail
    middle = g * (x / 3.0 + 0.5)
    if vectors:
        return ew.where(x <= -3, 0.0, ew.where(x >= 3, g, middle))
    return ew.where(x <= -3, 0.0, ew.where(x < 3, middle, g))


@composite(torch_name="nn.functional.hardsigmoid", samples=samples.hardsigmoid,
           grad_fn="HardsigmoidBackward0",
           saves="self=input")
def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """Hard sigmoid, elementwise: ``relu6(x + 3) / 6``.

    0 for ``x <= -3``, 1 for ``x >= 3``; the gradient is 1/6 strictly inside ``(-3, 3)`` and 0 elsewhere.

    Args:
        input (Tensor): the input (floating dtype).
        inplace (bool): overwrite ``input`` with the result and return it. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.functional.hardsigmoid``.
    """
    _floating("hardsigmoid_cpu", input)
    since = SEQUENCE[0]
    return _out(input, Formula.apply(_hardsigmoid, _hardsigmoid_backward, input), inplace, since)


@in_float32  # (torch's 16-bit kernels: in float32, rounded once)
def _hardsigmoid(x):
    # relu6(x + 3) / 6 as PyTorch: x / 6 + 0.5 cancels near -3 (8 ulp at -2.94)
    return (ew.clamp(x, -3.0, 3.0) + 3.0) / 6.0


# torch's hardsigmoid_backward multiplies by 1.0f / 6.0f, a float32, in float64 too
_ONE_SIXTH_F32 = 0.1666666716337204


@grad_first
def _hardsigmoid_backward(g, x):
    return Formula.apply(_hardsigmoid_backward_value, _hardsigmoid_double_backward, g, x)


@in_float32
def _hardsigmoid_backward_value(g, x):
    """0 at NaN (unlike hardtanh, in torch's vectors and tail alike), 1/6 strictly inside (-3, 3)."""
    return ew.where(ew.logical_and(x > -3, x < 3), g * _ONE_SIXTH_F32, 0.0)


@shown_as("NotImplemented")
def _hardsigmoid_double_backward(gg, g, x):
    """torch has no derivative of hardsigmoid_backward: its node refuses when a backward reaches it. Forward
    AD's transposed VJP (torch has hardsigmoid's jvp) takes the part linear in g alone."""
    if dual.transposing():
        return _hardsigmoid_backward(gg, x), None
    raise RuntimeError("derivative for aten::hardsigmoid_backward is not implemented")


@composite(torch_name="nn.functional.sigmoid", samples=samples.float_unary)
def sigmoid(input: Tensor) -> Tensor:
    """Logistic sigmoid, elementwise: ``sigmoid(x) = 1 / (1 + exp(-x))``, a value in ``(0, 1)``.

    Args:
        input (Tensor): the input.

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.functional.sigmoid`` (``torch.sigmoid``).
    """
    return ew.sigmoid(input)


@composite(torch_name="nn.functional.tanh", samples=samples.float_unary)
def tanh(input: Tensor) -> Tensor:
    """Hyperbolic tangent, elementwise: ``(exp(x) - exp(-x)) / (exp(x) + exp(-x))``, in ``(-1, 1)``.

    Args:
        input (Tensor): the input.

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.functional.tanh`` (``torch.tanh``).
    """
    return ew.tanh(input)


@composite(torch_name="nn.functional.softsign", samples=samples.float_unary)
def softsign(input: Tensor) -> Tensor:
    """Softsign, elementwise: ``x / (1 + |x|)``, in ``(-1, 1)``.

    Args:
        input (Tensor): the input.

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.functional.softsign``.
    """
    return input / (ew.abs(input) + 1)


@composite(torch_name="nn.functional.logsigmoid", samples=samples.logsigmoid, grad_fn="LogSigmoidBackward0")
@lays_out(contiguous_result)
def logsigmoid(input: Tensor) -> Tensor:
    """Log of the sigmoid, elementwise: ``logsigmoid(x) = log(1 / (1 + exp(-x)))`` (a log-probability, <= 0).

    Computed stably in three ranges, each seeing only its own inputs, so the gradient is PyTorch's ``grad * (1
    - sigmoid(x))`` even for an infinite incoming gradient: below -c the result is ``x`` (c = 40 for
    float32/64, 10 for 16-bit floats); in ``[-c, 0)`` it is ``log(sigmoid(x))``; from 0, ``-log1p(exp(-x))``.

    Args:
        input (Tensor): the input (floating dtype).
        out (Tensor, optional): the output tensor, of the result's dtype. Default: None

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.functional.logsigmoid``.
    """
    _floating("log_sigmoid_cpu", input)
    if _recorded(input):  # torch's log_sigmoid_backward, one kernel (summed branches turned -0.0 into +0)
        return _recorded_logsigmoid(input)
    return _logsigmoid(input)


def _recorded_logsigmoid(input):
    """logsigmoid whose node keeps what torch's LogSigmoidBackward0 keeps: the input, then (as an output of
    its log_sigmoid_forward) the kernel's buffer exp(-|x|) in x's dtype, computed with the value."""
    made = []

    def value(x):
        made.append(_logsigmoid(x, buffer=True))
        return made[0][0]

    def backward(g, x):  # the forward's buffer, as torch's kernel reads it (not computed again)
        return _logsigmoid_backward(g, x, made[0][1])

    since = SEQUENCE[0]
    out = Formula.apply(value, backward, input)
    present_as(out, "LogSigmoidBackward0", since, inputs=(input,),
               saves=lambda: [("self", input), ("buffer", Unreturned(made[0][1]))])
    return out


@in_float32
def _logsigmoid(input, buffer=False):
    """The value (and with ``buffer``, the pair of it and exp(-|x|))."""
    if host_rules(input._storage.device):
        return apply_like(input, ew.logsigmoid_op, input, buffer=buffer)
    if buffer:
        return _logsigmoid(input), ew.exp(-ew.abs(input))
    return formulas.logsigmoid(_TENSOR_MATH, input)


def _logsigmoid_backward(g, input, buffer=None):
    """torch's log_sigmoid_backward, a Formula itself (its gradients torch's double backward's); ``buffer``:
    the forward's exp(-|x|), where it kept one (else computed here)."""
    return Formula.apply(_logsigmoid_backward_value, _logsigmoid_double_backward, g, input, buffer)


def _logsigmoid_backward_value(g, input, buffer=None):
    """torch's cpu kernel: it reads the forward's buffer z = exp(-|x|), stored in the dtype (so rounded for
    16-bit ones), and computes ``(1 - z / (1 + z)) * g`` below 0, ``(0 + z / (1 + z)) * g`` from 0 (NaN
    included): one select, in float32 for the 16-bit dtypes, rounded once."""
    low = input.dtype if input.dtype in dt.HALVES else None
    if not low and host_rules(input._storage.device):
        operands = (g, input) if buffer is None else (g, input, buffer)
        return apply_like(input, ew.log_sigmoid_backward_op, *operands)
    if buffer is None and low:
        buffer = ew.exp(-ew.abs(input.float())).to(low)
    return _logsigmoid_grad(g, input, buffer)


@in_float32  # (16-bit operands: torch's kernel in float32, rounded once)
def _logsigmoid_grad(g, x, z):
    return formulas.log_sigmoid_backward(_TENSOR_MATH, g, x, z)


@shown_as("LogSigmoidBackwardBackward0")
def _logsigmoid_double_backward(gg, g, input, buffer):
    """torch's: log_sigmoid_backward(gg) for the incoming gradient (over the same buffer), ``gg * g * (s -
    1) * s`` (s = sigmoid(x)) for the input."""
    s = ew.sigmoid(input)
    return _logsigmoid_backward(gg, input, buffer), gg * g * (s - 1) * s, None


@composite(torch_name="nn.functional.tanhshrink", samples=samples.float_unary)
def tanhshrink(input: Tensor) -> Tensor:
    """Tanhshrink, elementwise: ``x - tanh(x)``.

    Args:
        input (Tensor): the input.

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.functional.tanhshrink``.
    """
    return input - ew.tanh(input)


@composite(torch_name="nn.functional.softshrink", samples=samples.softshrink, grad_fn="SoftshrinkBackward0",
           saves="self=input lambd")
@iterated_grads("grad", 0)  # torch's softshrink_backward: over (grad_output, self)
def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """Soft shrinkage, elementwise: ``x - lambd`` above ``lambd``, ``x + lambd`` below ``-lambd``, else 0.

    Args:
        input (Tensor): the input (floating dtype).
        lambd (float): the half-width of the zero band; must be >= 0. Default: 0.5
        out (Tensor, optional): the output tensor, of the result's dtype. Default: None

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: ``input`` is not floating point.
        RuntimeError: ``lambd`` below 0, NaN or beyond the dtype's largest value.

    Matches ``torch.nn.functional.softshrink`` (NaN passes through).
    """
    _floating("softshrink_check", input)
    top = float(dt.finfo(input.dtype).max)
    if not 0 <= lambd <= top:  # (NaN and -0.0's neighbours below included; %g: C++'s stream of a double)
        raise RuntimeError(f"lambda must be in range [0, {top:g}] for input dtype "
                           f"{dt.scalar_name(input.dtype)}, but found {float(lambd):g}")
    return Formula.apply(_softshrink, _softshrink_backward, input, lambd)


@in_float32  # torch's 16-bit kernel: in float32, rounded once
def _softshrink(input, lambd):
    # NaN and the infinities are outside [-lambd, lambd] (sign(nan) is 0): they pass
    small = ew.logical_and(input >= -lambd, input <= lambd)
    # the band's zeros signed as torch's: +0 in its vectors, x * 0 in its scalar tail
    zero = input * 0.0
    zero = _vector_or_tail(input, ew.abs(zero), zero)
    return ew.where(small, zero, input - ew.sign(input) * lambd).to(input.dtype)


def _softshrink_backward(g, x, lambd):
    return _softshrink_backward_value(g, x, lambd), None


def _hardshrink_backward(g, x, lambd):
    return _hardshrink_backward_value(g, x, lambd), None


def _shrink_backward(g, x, lambd):
    """torch's softshrink_backward and hardshrink_backward: 0 in the band ``[-lambd, lambd]``, else the
    gradient (selected: an infinite one gives 0 in the band). NaN fails every comparison with the band in
    torch's vectors (0 there) and passes the gradient in its scalar tail."""
    outside = ew.logical_or(x < -lambd, x > lambd)
    return _vector_or_tail(x, ew.where(outside, g, 0.0),
                           ew.where(ew.logical_and(x >= -lambd, x <= lambd), 0.0, g))


_softshrink_backward_value = _masking("SoftshrinkBackwardBackward0")(_shrink_backward)
_hardshrink_backward_value = _masking("HardshrinkBackwardBackward0")(_shrink_backward)


@composite(torch_name="nn.functional.hardshrink", samples=samples.hardshrink, grad_fn="HardshrinkBackward0",
           saves="self=input lambd")
@iterated_grads("grad", 0)  # torch's hardshrink_backward: over (grad_output, self)
def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """Hard shrinkage, elementwise: 0 where ``-lambd <= x <= lambd``, else ``x``.

    Args:
        input (Tensor): the input (floating dtype).
        lambd (float): the half-width of the zero band. Default: 0.5
        out (Tensor, optional): the output tensor, of the result's dtype. Default: None

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.functional.hardshrink`` (NaN is kept).
    """
    _floating("hardshrink_cpu", input)
    return Formula.apply(_hardshrink, _hardshrink_backward, input, lambd)


def _hardshrink(input, lambd):
    small = ew.logical_and(input >= -lambd, input <= lambd)  # NaN is kept, as in PyTorch
    return ew.where(small, 0.0, input).to(input.dtype)


@composite(torch_name="nn.functional.threshold", samples=samples.threshold,
           grad_fn=_inplace_node("Threshold"),
           saves="self=input threshold")  # (ThresholdBackward1's too: torch's keeps the input)
def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """Thresholds elementwise: ``value`` where ``x <= threshold``, else ``x``.

    Args:
        input (Tensor): the input (floating or integer dtype; not bool).
        threshold (float): the value to threshold at.
        value (float): the value that replaces elements at or below ``threshold``.
        inplace (bool): overwrite ``input`` with the result and return it. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: a bool input.
        RuntimeError: ``threshold`` or ``value`` does not fit the dtype.

    Matches ``torch.nn.functional.threshold``.
    """
    _numbers("threshold_" if inplace else "threshold", threshold=threshold, value=value)
    since = SEQUENCE[0]
    if input.dtype is dt.bool_ or input.dtype.is_complex:
        raise NotImplementedError(f"\"threshold_cpu\" not implemented for '{dt.scalar_name(input.dtype)}'")
    if not input.dtype.is_floating_point:  # both numbers become the integer type, as in PyTorch
        info = dt.iinfo(input.dtype)
        if any(not info.min <= v <= info.max for v in (threshold, value)):
            ctype = {"int32": "int"}.get(input.dtype.name, input.dtype.name + "_t")
            raise RuntimeError(f"value cannot be converted to type {ctype} without overflow")
        # in the integer type indeed: a float value would carry the result through float32, where
        # 2**31 - 1 rounds to 2**31 (and wraps)
        threshold, value = int(threshold), int(value)
    else:
        check_fits(threshold, input.dtype, opmath=True)
        check_fits(value, input.dtype)
    result = Formula.apply(_threshold, _threshold_backward, input, threshold, value)
    return _out(input, result, inplace, since)


def _threshold(x, threshold, value):
    return ew.where(x <= threshold, value, x).to(x.dtype)


def _threshold_backward(g, x, threshold, value):
    return _threshold_backward_value(g, x, threshold), None, None


@_masking("ThresholdBackwardBackward0")
def _threshold_backward_value(g, x, threshold):
    """torch's threshold_backward: 0 where ``x <= threshold``, else the gradient (NaN's too)."""
    return ew.where(x <= threshold, 0.0, g)


@composite(torch_name="nn.functional.glu", samples=samples.glu, grad_fn="GluBackward0",
           saves="self=input dim")
def glu(input: Tensor, dim: int = -1) -> Tensor:
    """Gated linear unit: splits ``input`` in halves ``a, b`` along ``dim`` and returns ``a * sigmoid(b)``.

    Args:
        input (Tensor): the input (floating dtype).
        dim (int): the dim to split; its size must be even. Default: -1

    Shape:
        input: ``(*, 2M, *)``; output: ``(*, M, *)``, halved along ``dim``.

    Raises:
        NotImplementedError: ``input`` is not floating point.
        RuntimeError: a 0-dim input, or an odd size along ``dim``.

    Follows Dauphin et al. 2016, as ``torch.nn.functional.glu``.
    """
    if input.dim() == 0:  # (torch checks the shape before its kernel's dtype)
        raise RuntimeError("glu does not support scalars because halving size must be even")
    if not reads_as_int(dim):  # torch's Python hands dim on to its binding, whose parser refuses it
        raise must_be("glu", "dim", "int", dim, 2)
    dim = normalize_dim(dim, input.dim())
    size = input.shape[dim]
    if size % 2:
        raise RuntimeError(
            f"Halving dimension must be even, but dimension {dim % input.dim()} is size {size}"
        )
    _floating("glu_cpu", input)
    return Formula.apply(_gated, _glu_backward, input, dim)


def _halves(input, dim):
    """The two halves glu gates: narrowed, so an empty halving dim gives two empty ones (chunk gives one)."""
    half = input.shape[dim] // 2
    return input.narrow(dim, 0, half), input.narrow(dim, half, half)


@in_float32
def _gated(input, dim):
    a, b = _halves(input, dim)
    return a * ew.sigmoid(b)


def _glu_backward(g, input, dim):
    """torch's glu_backward, a Formula itself (its gradients torch's double backward's)."""
    return Formula.apply(_glu_backward_value, _glu_double_backward, g, input, dim), None


def _glu_backward_value(g, input, dim):
    """torch's glu_backward kernel: it reads sigmoid(b) in the dtype, then computes ``s * g`` and ``(1 - s)
    * s * a * g`` per element (16-bit ones in float32, each rounded once)."""
    a, b = _halves(input, dim)
    return _glu_grads(g, a, ew.sigmoid(b), dim)


@in_float32
def _glu_grads(g, a, s, dim):
    # row-major whatever the input's layout: torch's kernel writes a new tensor of the input's sizes
    return cat([s * g, (1 - s) * s * a * g], dim).contiguous()


@shown_as("GluBackwardBackward0")
def _glu_double_backward(gg, g, input, dim):
    """torch's glu_double_backward_grad_output and glu_double_backward, their terms in their order."""
    a, b = _halves(input, dim)
    gg_a, gg_b = _halves(gg, dim)
    s = ew.sigmoid(b)
    one_sub_s = 1 - s
    s_one_sub_s = s * one_sub_s
    d_a = gg_b * g * s_one_sub_s
    second_order = s_one_sub_s * one_sub_s - s * s_one_sub_s
    d_b = gg_b * a * g * second_order + gg_a * g * s_one_sub_s
    ones = g.new_ones(g.shape)
    d_g = _halves(gg * _glu_backward(ones, input, dim)[0], dim)
    return d_g[0] + d_g[1], cat([d_a, d_b], dim), None


def _softmax_dim(name: str, ndim: int) -> int:
    _warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
        "as an argument.",
    )
    return 0 if ndim in (0, 1, 3) else 1


@composite(torch_name="nn.functional.softmax", samples=samples.nn_softmax)
def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """Softmax along ``dim``: ``exp(x_i) / sum_j exp(x_j)``, probabilities that sum to 1 along ``dim``.

    Args:
        input (Tensor): the input.
        dim (int, optional): the dim along which the results sum to 1. None (deprecated, warns) picks 0 for
            0-, 1- and 3-dim inputs, else 1. Default: None
        dtype (pyfront.dtype, optional): cast ``input`` to this dtype first. Default: None

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.functional.softmax``.
    """
    if dim is None:
        dim = _softmax_dim("softmax", input.dim())
    # (torch's Python calls the method: its parser's errors)
    return input.softmax(dim) if dtype is None else input.softmax(dim, dtype=dtype)


@composite(torch_name="nn.functional.log_softmax", samples=samples.nn_softmax)
def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """Log of the softmax along ``dim``: ``x_i - log(sum_j exp(x_j))`` (log-probabilities), computed stably.

    Args:
        input (Tensor): the input.
        dim (int, optional): the dim to normalise along. None (deprecated, warns) picks 0 for 0-, 1- and 3-dim
            inputs, else 1. Default: None
        dtype (pyfront.dtype, optional): cast ``input`` to this dtype first. Default: None

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.functional.log_softmax``.
    """
    if dim is None:
        dim = _softmax_dim("log_softmax", input.dim())
    return input.log_softmax(dim) if dtype is None else input.log_softmax(dim, dtype=dtype)


@composite(torch_name="nn.functional.softmin", samples=samples.nn_softmax)
def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """Softmin along ``dim``: ``softmax(-x)``, probabilities that sum to 1 along ``dim``.

    Args:
        input (Tensor): the input.
        dim (int, optional): the dim along which the results sum to 1. None (deprecated, warns) picks 0 for
            0-, 1- and 3-dim inputs, else 1. Default: None
        dtype (pyfront.dtype, optional): cast ``input`` to this dtype first. Default: None

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.functional.softmin``.
    """
    if dim is None:
        dim = _softmax_dim("softmin", input.dim())
    return (-input).softmax(dim, dtype=dtype)  # negated in its own dtype first, as torch's (uint16's refusal)


@composite(torch_name="nn.functional.prelu", samples=samples.prelu, grad_fn="PreluKernelBackward0")
def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """Parametric ReLU, elementwise: ``max(0, x) + weight * min(0, x)``.

    Args:
        input (Tensor): the input (floating dtype); its channels are dim 1 (a 1-dim input is one channel).
        weight (Tensor): the slopes: one element for all channels, or ``C`` elements, one per channel.

    Shape:
        input: ``(N, C, *)``, ``(C,)`` or ``()``; weight: ``(1,)`` or ``(C,)``; output: the input's shape.

    Raises:
        RuntimeError: ``input`` and ``weight`` differ in dtype; ``weight`` has neither 1 nor ``C``
            elements, or has several for a 0-dim input.
        NotImplementedError: ``input`` is not floating point.

    Follows He et al. 2015, as ``torch.nn.functional.prelu``.
    """
    if input.dtype != weight.dtype:
        raise RuntimeError(f"prelu: Type promoting not supported. Got {dt.scalar_name(input.dtype)} and "
                           f"{dt.scalar_name(weight.dtype)}")
    given = weight
    if weight.numel() != 1:  # (the shapes before the kernel's dtype, as torch)
        if input.dim() == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = input.shape[1] if input.dim() >= 2 else 1
        if weight.numel() != channels:
            raise RuntimeError(
                "Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                f"{weight.numel()} and channel size = {channels}."
            )
        if input.dim() >= 2:
            weight = weight.reshape((channels,) + (1,) * (input.dim() - 2))
    else:
        weight = weight.reshape(())
    _floating("prelu_cpu", input)
    saved_as_torch(input, weight)  # torch's prelu kernel saves both for any gradient
    out = _prelu(input, weight)
    if out.grad_fn is not None:  # torch's kernel keeps both, the weight viewed with as many dims as input
        if given.dim() != input.dim():
            given = given.reshape([given.numel() if k == 1 else 1 for k in range(input.dim())])
        also_saves(out, ("self", input), ("weight", given))
    return out


@iterated_grads(0, "grad")  # torch's prelu backward kernel: over (self, weight, grad_output)
def _prelu(input: Tensor, weight: Tensor) -> Tensor:
    return Formula.apply(_prelu_value, _prelu_backward, input, weight)


def _prelu_value(x, w):
    # one product with the slope picked per element
    return ew.where(x > 0, 1.0, w) * x


def _prelu_backward(g, x, w):
    """torch's _prelu_kernel_backward: ``g`` where x > 0, else ``w * g`` for the input; 0 where x > 0, else
    ``x * g`` for the weight (of the input's shape: the engine sums it to the weight's). Each a Formula,
    whose gradients are torch's double backward's."""
    return (Formula.apply(_prelu_input_grad, _prelu_input_grad_backward, g, x, w),
            Formula.apply(_prelu_weight_grad, _prelu_weight_grad_backward, g, x, w))


def _prelu_input_grad(g, x, w):
    return ew.where(x > 0, g, w * g)


def _prelu_weight_grad(g, x, w):
    return ew.where(x > 0, 0.0, x * g)


# torch's PreluKernelBackwardBackward0 selects by x >= 0 (its forward's gradients by x > 0): at +-0 the
# double backward takes the positive side
@shown_as("PreluKernelBackwardBackward0")
def _prelu_input_grad_backward(gg, g, x, w):
    """For the input's gradient: ``gg`` or ``gg * w`` for the incoming gradient, zeros for the input,
    ``g * gg`` below 0 for the weight."""
    nonnegative = x >= 0
    return ew.where(nonnegative, gg, gg * w), gg.new_zeros(gg.shape), ew.where(nonnegative, 0.0, g * gg)


@shown_as("PreluKernelBackwardBackward0")
def _prelu_weight_grad_backward(gg, g, x, w):
    """For the weight's gradient: ``gg * x`` below 0 for the incoming gradient, ``g * gg`` below 0 for the
    input, zeros for the weight."""
    nonnegative = x >= 0
    return ew.where(nonnegative, 0.0, gg * x), ew.where(nonnegative, 0.0, g * gg), gg.new_zeros(gg.shape)


relu_ = _inplace_of(relu)
leaky_relu_ = _inplace_of(leaky_relu)


@records("EluBackward1", lambda input, alpha=1.0, scale=1.0, input_scale=1.0: _elu_saved(alpha, True, input,
                                                                                        scale, input_scale))
def elu_(input: Tensor, alpha: float = 1.0, scale: float = 1.0, input_scale: float = 1.0) -> Tensor:
    """In-place ``elu``, as torch's binding ``aten::elu_``: ``input`` becomes ``scale * x`` where ``x > 0``,
    else ``scale * alpha * (exp(x * input_scale) - 1)``, and is returned.

    Args:
        input (Tensor): the tensor to overwrite (floating dtype).
        alpha (float): the value the negative side tends to (as ``-alpha``). Default: 1.0
        scale (float): the factor of both sides. Default: 1.0
        input_scale (float): the factor of ``x`` inside the exponential. Default: 1.0

    Shape:
        input: ``(*)``; output: ``input`` itself.

    Raises what ``elu`` raises; matches ``torch.nn.functional.elu_`` (selu is ``scale`` 1.0507 and
    ``alpha`` 1.6733).
    """
    _numbers("elu_", alpha=alpha, scale=scale, input_scale=input_scale)
    _floating("elu_cpu", input)
    since = SEQUENCE[0]
    if input.dtype.is_floating_point:  # (torch refuses integer inputs)
        for number in (alpha, scale, input_scale):
            check_fits(number, input.dtype, opmath=True)
    return _out(input, _elu(input, alpha, scale, input_scale, inplace=True), True, since)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """In-place ``hardtanh``: overwrites ``input`` with the result and returns it.

    Args:
        input (Tensor): the tensor to overwrite; ``min_val`` and ``max_val`` as ``hardtanh``'s.

    Shape:
        input: ``(*)``; output: ``input`` itself.

    torch's ``F.hardtanh_`` is its C++ binding, without ``F.hardtanh``'s refusal of ``min_val > max_val``:
    clamp's answer there, ``max_val`` everywhere (a zero gradient). Raises what ``hardtanh`` raises else.
    """
    return hardtanh(input, min(min_val, max_val), max_val, inplace=True)


threshold_ = _inplace_of(threshold)


def gumbel_softmax(logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10,
                   dim: int = -1) -> Tensor:
    """A sample from the Gumbel-Softmax (Concrete) distribution: ``softmax((logits + g) / tau)`` along
    ``dim``, with ``g = -log(E)``, ``E ~ Exponential(1)``: i.i.d. Gumbel(0, 1) noise.

    Args:
        logits (Tensor): unnormalized log-probabilities, ``(*, num_features)``.
        tau (float): the temperature, > 0; lower is closer to one-hot. Default: 1
        hard (bool): if True the result is one-hot (at the argmax of the soft sample) in the forward pass,
            while the gradient is the soft sample's (the straight-through estimator:
            ``y_hard - y_soft.detach() + y_soft``). Default: False
        eps (float): deprecated, has no effect (a value other than 1e-10 warns). Default: 1e-10
        dim (int): the dim the sample sums to 1 along. Default: -1

    Shape:
        logits: ``(*)``; output: ``(*)``, the same shape, summing to 1 along ``dim``.

    Raises what softmax raises (IndexError for ``dim`` out of range); a non-float ``logits`` raises
    exponential_'s RuntimeError. As ``torch.nn.functional.gumbel_softmax`` (Jang et al., 2016,
    "Categorical Reparameterization with Gumbel-Softmax"; Maddison et al., 2016).
    """
    if eps != 1e-10:
        _warnings.warn("`eps` parameter is deprecated and has no effect.")
    gumbels = -logits.new_empty(logits.shape).exponential_().log()  # ~Gumbel(0, 1)
    y_soft = ((logits + gumbels) / tau).softmax(dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = logits.new_zeros(logits.shape).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft  # straight through: the forward value is y_hard
