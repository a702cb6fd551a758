"""Activation functions of pyfront.nn.functional, written in pyfront ops (autograd and devices come free).

Where PyTorch's derivative at a kink differs from what the formula's ops would give, the formula is
arranged (``where`` on the side PyTorch picks) so that the gradient matches exactly.
"""

from __future__ import annotations

import math

from ... import _warnings
from ... import dtypes as dt
from ...autograd import dual, is_grad_enabled
from ...backends import host_rules
from ...ops.dispatch import apply_like
from ...autograd.graph import SEQUENCE, Result, Unreturned, also_saves, present_as, saved_as_torch
from ...ops.common import Formula, check_fits, grad_first
from ...ops.primitives import elementwise as ew
from ...ops.primitives.shaping import cat
from ...ops.argcheck import must_be
from ...ops.registry import composite
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
    def inplace(input, *args, **kwargs):
        since = SEQUENCE[0]
        return input._assign(fn(input, *args, **kwargs), since)

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


@grad_first
def _hardtanh_backward(g, x, lo, hi):
    """PyTorch's hardtanh_backward: the gradient strictly inside the bounds, else 0. At NaN 0 in torch's
    vectors and the gradient in its scalar tail (a tensor's last few elements: ops/cpu_vectors.py)."""
    inside = ew.logical_and(x > lo, x < hi)
    return _vector_or_tail(x, ew.where(inside, g, 0.0), ew.where(ew.logical_or(x <= lo, x >= hi), 0.0, g)), \
        None, None


@composite(torch_name="nn.functional.hardtanh", samples=samples.hardtanh, grad_fn="HardtanhBackward0")
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


@composite(torch_name="nn.functional.relu6", samples=samples.relu6, grad_fn="HardtanhBackward0")
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
           grad_fn=_inplace_node("LeakyRelu"))
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
    _floating("leaky_relu_cpu", input)
    since = SEQUENCE[0]
    if input.dtype.is_floating_point:  # (torch refuses integer inputs)
        check_fits(negative_slope, input.dtype, opmath=True)
    result = Formula.apply(_leaky_relu, _leaky_relu_backward, input, negative_slope)
    return _out(input, result, inplace, since)


def _leaky_relu(x, slope):
    return ew.where(x > 0, x, x * slope)


def _leaky_relu_backward(g, x, slope):
    """PyTorch's leaky_relu_backward, one select: g where x > 0, else g * slope (a sum of the two branches'
    gradients would turn a -0.0 gradient into +0.0)."""
    return ew.where(x > 0, g, g * slope), None


def _recorded(input: Tensor) -> bool:
    """Whether a gradient is recorded from ``input`` (or a tangent carried): then elu's family, softplus
    and logsigmoid run their value in a Formula with torch's backward, else the value alone."""
    return input._requires_grad and is_grad_enabled() or dual.ON[0]


@iterated_grads("grad", 0)  # torch's elu_backward: over (grad_output, self)
def _elu(input, alpha, scale, input_scale, grad_input_scale=None):
    """elu's family; ``grad_input_scale``: the input scale torch's backward takes where it differs from
    the forward's (celu's, 1 / alpha rounded through a float32 there). A recorded call runs torch's
    elu_backward (one select: a -0.0 gradient stays -0.0, where the branches' summed gradients gave +0)."""
    if _recorded(input):
        return Formula.apply(_elu_value, _elu_backward, input, alpha, scale, input_scale,
                             input_scale if grad_input_scale is None else grad_input_scale)
    return _elu_value(input, alpha, scale, input_scale)


@in_float32  # torch's float16 kernel takes alpha as a float32 and rounds the result once
def _elu_value(input, alpha, scale, input_scale, grad_input_scale=None):
    if host_rules(input._storage.device):
        return apply_like(input, ew.elu_op, input, alpha=alpha, scale=scale, input_scale=input_scale)
    # only non-positive inputs reach expm1: no overflow
    negative = input <= 0
    neg = ew.expm1(ew.where(negative, input, 0.0) * input_scale) * (alpha * scale)
    return ew.where(negative, neg, input * scale)


def _in_dtype(value: float, x: Tensor) -> float:
    """``value`` rounded as torch's kernel converts a Scalar to its opmath type (float32 but for float64)."""
    return value if x.dtype is dt.float64 else dt.round_float32(value)


def _elu_backward(g, x, alpha, scale, input_scale, grad_input_scale):
    """torch's elu_backward (is_result false), as its cpu kernel: ``g * input_scale * (alpha * scale) *
    exp(x * input_scale)`` where ``x <= 0``, else ``g * scale``; NaN takes the first in torch's vectors (two
    64-byte ones at once) and the second in its scalar tail. A Formula itself: its gradients are torch's
    elu_double_backward's."""
    return Formula.apply(_elu_backward_value, _elu_double_backward, g, x, alpha, scale, grad_input_scale), \
        None, None, None, None


def _elu_backward_value(g, x, alpha, scale, input_scale):
    if host_rules(x._storage.device):  # one kernel (NaN's side as torch's vectors, then its tail's)
        def kernel(nan_negative):
            return apply_like(g, ew.elu_backward_op, g, x, alpha=alpha, scale=scale, input_scale=input_scale,
                              nan_negative=nan_negative)
        if x.dtype in dt.HALVES:
            return kernel(False)
        return _vector_or_tail(x, kernel(True), lambda: kernel(False), 128)
    low = x.dtype if x.dtype in dt.HALVES else None
    if low:  # torch's 16-bit kernel: in float32, rounded once, NaN on the positive side in its vectors too
        g, x = g.float(), x.float()
    negcoef = _in_dtype(_in_dtype(alpha, x) * _in_dtype(scale, x), x)
    neg = g * input_scale * negcoef * ew.exp(x * input_scale)
    pos = g * scale
    scalar = ew.where(x <= 0, neg, pos)
    if low:
        return scalar.to(low)
    return _vector_or_tail(x, ew.where(x > 0, pos, neg), scalar, 128)


def _elu_double_backward(gg, g, x, alpha, scale, input_scale):
    """torch's: elu_backward(gg) for the incoming gradient; elu_backward(gg * g * input_scale) where x < 0
    (a 0/1 mask multiplied), else 0, for the input."""
    d_g = _elu_backward(gg, x, alpha, scale, input_scale, input_scale)[0]
    d_x = _elu_backward(gg * g * input_scale, x, alpha, scale, input_scale, input_scale)[0] * (x < 0).to(gg.dtype)
    return d_g, d_x, None, None, None


def _elu_saved(alpha, inplace, input, scale=None):
    """What torch's EluBackward0 (``scale`` given; EluBackward1 in place) or CeluBackward0/1 saves: the
    numbers as given, then the input, or the in-place call's result."""
    numbers = [("alpha", alpha)] if scale is None else [("alpha", alpha), ("input_scale", 1), ("scale", scale)]
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
    _floating("elu_cpu", input)
    since = SEQUENCE[0]
    if input.dtype.is_floating_point:  # (torch refuses integer inputs)
        check_fits(alpha, input.dtype, opmath=True)
    return _out(input, _elu(input, alpha, 1.0, 1.0), inplace, since)


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
    return _out(input, _elu(input, _SELU_ALPHA, _SELU_SCALE, 1.0), inplace, since)


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
        NotImplementedError: ``input`` is not floating point.

    Follows Barron 2017, as ``torch.nn.functional.celu``.
    """
    _floating("elu_cpu", input)
    since = SEQUENCE[0]
    return _out(input, _elu(input, alpha, 1.0, 1.0 / alpha, 1.0 / dt.round_float32(alpha)), inplace, since)


@composite(torch_name="nn.functional.gelu", samples=samples.gelu, grad_fn="GeluBackward0")
@in_float32
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
        return Formula.apply(lambda x: x * 0.5 * (1.0 + ew.erf(x * (1.0 / math.sqrt(2.0)))), _gelu_backward,
                             input)
    if approximate == "tanh":
        return Formula.apply(lambda x: x * 0.5 * (1.0 + ew.tanh(_gelu_inner(x))), _gelu_tanh_backward, input)
    raise RuntimeError("approximate argument must be either none or tanh.")


def _gelu_inner(x):
    return (x + 0.044715 * x * x * x) * math.sqrt(2.0 / math.pi)


def _gelu_backward(g, x):
    """PyTorch's GeluBackward: g * (Phi(x) + x * phi(x))."""
    cdf = 0.5 * (1.0 + ew.erf(x * (1.0 / math.sqrt(2.0))))
    pdf = ew.exp(x * x * -0.5) * (1.0 / math.sqrt(2.0 * math.pi))
    return g * (cdf + x * pdf)


def _gelu_tanh_backward(g, x):
    """PyTorch's tanh GeluBackward: g * (0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2 / pi) (1 + 3 k x^2))."""
    t = ew.tanh(_gelu_inner(x))
    inner_grad = (1.0 + 3 * 0.044715 * x * x) * math.sqrt(2.0 / math.pi)
    return g * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * inner_grad)


@composite(torch_name="nn.functional.silu", samples=samples.float_unary, grad_fn="SiluBackward0")
@in_float32
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
    # torch's order, x / (1 + exp(-x)): below -88.7 exp overflows and the result is -0, as torch's
    result = Formula.apply(lambda x: x / (1.0 + ew.exp(-x)), _silu_backward, input)
    return _out(input, result, inplace, since)


def _silu_backward(g, x):
    """PyTorch's SiluBackward: g * sigmoid(x) * (1 + x * (1 - sigmoid(x)))."""
    s = ew.sigmoid(x)
    return g * (s * (1.0 + x * (1.0 - s)))


@composite(torch_name="nn.functional.softplus", samples=samples.softplus, grad_fn="SoftplusBackward0",
           saves="self=input beta threshold")
@iterated_grads("grad", 0)  # torch's softplus_backward: over (grad_output, self)
@in_float32
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


def _softplus_value(input, beta, threshold):
    if host_rules(input._storage.device):
        return apply_like(input, ew.softplus_op, input, beta=beta, threshold=threshold)
    scaled = input * beta
    linear = scaled > threshold
    # the linear side feeds exp a finite value (no overflow)
    soft = ew.log1p(ew.exp(ew.where(linear, threshold, scaled))) / beta
    return ew.where(linear, input, soft)


def _softplus_backward(g, x, beta, threshold):
    """torch's softplus_backward, a Formula itself (its gradients torch's softplus_double_backward's)."""
    return Formula.apply(_softplus_backward_value, _softplus_double_backward, g, x, beta, threshold), None, None


@in_float32  # torch's 16-bit kernel: in float32, rounded once
def _softplus_backward_value(g, x, beta, threshold):
    """As torch's cpu kernel: ``g`` where ``x * beta > threshold``, else ``g * z / (z + 1)``, z =
    ``exp(x * beta)`` (an infinite g times z = 0 at -inf: NaN, as there)."""
    if host_rules(x._storage.device):
        return apply_like(g, ew.softplus_backward_op, g, x, beta=beta, threshold=threshold)
    scaled = x * beta
    z = ew.exp(scaled)
    return ew.where(scaled > threshold, g, g * z / (z + 1.0))


def _softplus_double_backward(gg, g, x, beta, threshold):
    """torch's: softplus_backward(gg) for the incoming gradient; for the input sigmoid_backward(gg * g,
    sigmoid(x * beta)) * (x * beta < threshold) * beta."""
    s = ew.sigmoid(x * beta)
    d_x = gg * g * (1.0 - s) * s * (x * beta < threshold).to(gg.dtype) * beta
    return _softplus_backward(gg, x, beta, threshold)[0], d_x, None, None


@composite(torch_name="nn.functional.mish", samples=samples.mish, grad_fn="MishBackward0")
@in_float32
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
    result = Formula.apply(lambda x: x * ew.tanh(softplus(x)), _mish_backward, input)
    return _out(input, result, inplace, since)


def _mish_backward(g, x):
    """PyTorch's MishBackward: g * (tanh(softplus(x)) + x * sigmoid(x) * (1 - tanh(softplus(x))^2))."""
    t = ew.tanh(softplus(x))
    return g * (t + x * ew.sigmoid(x) * (1.0 - t * t))


@composite(torch_name="nn.functional.hardswish", samples=samples.hardswish, grad_fn="HardswishBackward0")
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
    # the boundaries -3 and 3 belong to the outer pieces, where PyTorch's derivative is 0 and 1
    # (selected: an infinite g gives 0 below -3). NaN takes the middle piece (NaN) in torch's vectors, of
    # two 64-byte vectors at once, and the last (g) in its scalar tail and in its 16-bit kernel's vectors
    low = x.dtype if x.dtype in dt.HALVES else None
    if low:  # torch's 16-bit kernel: in float32, rounded once
        g, x = g.float(), x.float()
    middle = g * (x / 3.0 + 0.5)
    scalar = ew.where(x <= -3, 0.0, ew.where(x < 3, middle, g))
    if low:
        return scalar.to(low)
    return _vector_or_tail(x, ew.where(x <= -3, 0.0, ew.where(x >= 3, g, middle)), scalar, 128)


@composite(torch_name="nn.functional.hardsigmoid", samples=samples.hardsigmoid,
           grad_fn="HardsigmoidBackward0")
@in_float32
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


def _hardsigmoid(x):
    # relu6(x + 3) / 6 as PyTorch: x / 6 + 0.5 cancels near -3 (8 ulp at -2.94)
    return (ew.clamp(x, -3.0, 3.0) + 3.0) / 6.0


# torch's hardsigmoid_backward multiplies by 1.0f / 6.0f, a float32, in float64 too
_ONE_SIXTH_F32 = 0.1666666716337204


@grad_first
def _hardsigmoid_backward(g, x):
    """0 at NaN (unlike hardtanh, in torch's vectors and tail alike), 1/6 strictly inside (-3, 3)."""
    return ew.where(ew.logical_and(x > -3, x < 3), g * _ONE_SIXTH_F32, 0.0)


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

    since = SEQUENCE[0]
    out = Formula.apply(value, _logsigmoid_backward, input)
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
    far, negative = input < (-10.0 if input.dtype.itemsize == 2 else -40.0), input < 0
    mid = ew.where(ew.logical_and(negative, ew.logical_not(far)), input, 0.0)
    high = ew.where(negative, 0.0, input)
    # 0 - log1p(..), not -log1p(..): torch's logsigmoid(+inf) is +0, not -0
    return ew.where(far, input, ew.where(negative, ew.log(ew.sigmoid(mid)), 0.0 - ew.log1p(ew.exp(-high))))


def _logsigmoid_backward(g, input):
    """torch's log_sigmoid_backward, a Formula itself (its gradients torch's double backward's)."""
    return Formula.apply(_logsigmoid_backward_value, _logsigmoid_double_backward, g, input)


def _logsigmoid_backward_value(g, input):
    """torch's cpu kernel: it reads the forward's buffer z = exp(-|x|), stored in the dtype (so rounded for
    16-bit ones), and computes ``(1 - z / (1 + z)) * g`` below 0, ``(0 + z / (1 + z)) * g`` from 0 (NaN
    included): one select, in float32 for the 16-bit dtypes, rounded once."""
    low = input.dtype if input.dtype in dt.HALVES else None
    if not low and host_rules(input._storage.device):
        return apply_like(input, ew.log_sigmoid_backward_op, g, input)
    x = input.float() if low else input
    z = ew.exp(-ew.abs(x))
    if low:
        z, g = z.to(low).float(), g.float()
    share = z / (1 + z)
    d = ew.where(x < 0, 1 - share, 0 + share) * g
    return d.to(low) if low else d


def _logsigmoid_double_backward(gg, g, input):
    """torch's: log_sigmoid_backward(gg) for the incoming gradient, ``gg * g * (s - 1) * s`` (s =
    sigmoid(x)) for the input."""
    s = ew.sigmoid(input)
    return _logsigmoid_backward(gg, input), gg * g * (s - 1) * s


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
@in_float32
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
        RuntimeError: ``lambd < 0``.

    Matches ``torch.nn.functional.softshrink`` (NaN passes through).
    """
    _floating("softshrink_check", input)
    if lambd < 0:
        raise RuntimeError(f"lambda must be greater or equal to 0, but found to be {lambd}.")
    # NaN and the infinities are outside [-lambd, lambd] (sign(nan) is 0): they pass, with their gradient
    small = ew.logical_and(input >= -lambd, input <= lambd)
    # the band's zeros carry no gradient: selected, so an infinite one gives 0. Signed as torch's: +0 in its
    # vectors, x * 0 in its scalar tail; NaN's gradient likewise 0 in the vectors, 1 in the tail
    zero = (input * 0.0).detach()
    zero = _vector_or_tail(input, ew.abs(zero), zero)
    # (the sign detached: its gradient, zeros, added to the incoming one would turn a -0.0 into +0.0)
    return ew.where(small, zero, _nan_grad(input) - ew.sign(input.detach()) * lambd).to(input.dtype)


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
    small = ew.logical_and(input >= -lambd, input <= lambd)  # NaN is kept, as in PyTorch
    return ew.where(small, 0.0, _nan_grad(input)).to(input.dtype)


def _nan_grad(x: Tensor) -> Tensor:
    """``x``, whose NaNs pass no gradient in torch's vectors and pass it in its scalar tail (the shrink
    functions' backward compares x with the band in both, NaN failing every comparison in its vectors)."""
    if not x.requires_grad:
        return x
    keep = ew.logical_not(ew.isnan(x))
    return ew.where(_vector_or_tail(x, keep, ew.logical_or(keep, ew.isnan(x))), x, x.detach())


@composite(torch_name="nn.functional.threshold", samples=samples.threshold,
           grad_fn=_inplace_node("Threshold"),
           saves="self=input@ThresholdBackward0 result@ThresholdBackward1 threshold")
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
    return _out(input, ew.where(input <= threshold, value, input).to(input.dtype), inplace, since)


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
    if input.dtype in dt.HALVES and input.requires_grad:
        return Formula.apply(_gated, _glu_backward, input, dim)
    return _gated(input, dim)


def _halves(input, dim):
    """The two halves glu gates: narrowed, so an empty halving dim gives two empty ones (chunk gives one)."""
    half = input.shape[dim] // 2
    return input.narrow(dim, 0, half), input.narrow(dim, half, half)


@in_float32
def _gated(input, dim):
    a, b = _halves(input, dim)
    return a * ew.sigmoid(b)


def _glu_backward(g, input, dim):
    """torch's 16-bit glu_backward kernel: it reads sigmoid(b) rounded to the dtype (a 16-bit sigmoid),
    then computes ``s * g`` and ``(1 - s) * s * a * g`` per element in float32, each rounded once."""
    low = input.dtype
    a, b = _halves(input, dim)
    s, a, g = ew.sigmoid(b).float(), a.float(), g.float()
    return cat([s * g, (1 - s) * s * a * g], dim).to(low), None


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
    # one product with the slope picked per element: no 0 * inf from an unselected branch in backward
    return ew.where(input > 0, 1.0, weight) * input


relu_ = _inplace_of(relu)
leaky_relu_ = _inplace_of(leaky_relu)
elu_ = _inplace_of(elu)
hardtanh_ = _inplace_of(hardtanh)
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
