"""Activation layers: each holds its settings and calls the matching ``nn.functional`` function."""

from __future__ import annotations

from ...ops.creation import empty
from ...tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = [
    "Threshold",
    "ReLU",
    "ReLU6",
    "Hardtanh",
    "LeakyReLU",
    "ELU",
    "CELU",
    "SELU",
    "GELU",
    "SiLU",
    "Mish",
    "Hardswish",
    "Hardsigmoid",
    "Sigmoid",
    "Tanh",
    "Softplus",
    "Softsign",
    "LogSigmoid",
    "Tanhshrink",
    "Softshrink",
    "Hardshrink",
    "GLU",
    "Softmax",
    "LogSoftmax",
    "Softmin",
    "Softmax2d",
    "PReLU",
]


def _inplace_only(self) -> str:
    return "inplace=True" if self.inplace else ""


def _inplace_suffix(self) -> str:
    return ", inplace=True" if self.inplace else ""


class _Inplace(Module):
    """An activation whose only setting is ``inplace``."""

    _fn = None

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return type(self)._fn(input, inplace=self.inplace)

    extra_repr = _inplace_only


class _Plain(Module):
    """An activation without settings."""

    _fn = None

    def forward(self, input: Tensor) -> Tensor:
        return type(self)._fn(input)


class ReLU(_Inplace):
    """Rectified linear unit, elementwise.

    ``ReLU(x) = max(0, x)``

    Args:
        inplace (bool): overwrite the input with the result. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.ReLU``; calls ``F.relu``.
    """
    _fn = F.relu


class SiLU(_Inplace):
    """Sigmoid linear unit (swish), elementwise.

    ``SiLU(x) = x * sigmoid(x)``

    Args:
        inplace (bool): overwrite the input with the result. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: (in forward) a non-floating input.

    Follows Elfwing et al. 2017, as ``torch.nn.SiLU``; calls ``F.silu``.
    """
    _fn = F.silu


class Mish(_Inplace):
    """Mish, elementwise.

    ``Mish(x) = x * tanh(softplus(x))``

    Args:
        inplace (bool): overwrite the input with the result. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: (in forward) a non-floating input.

    Follows Misra 2019, as ``torch.nn.Mish``; calls ``F.mish``.
    """
    _fn = F.mish


class SELU(_Inplace):
    """Scaled exponential linear unit, elementwise.

    ``SELU(x) = scale * (max(0, x) + min(0, alpha * (exp(x) - 1)))``, alpha = 1.6732632423543772, scale =
    1.0507009873554805.

    Args:
        inplace (bool): overwrite the input with the result. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: (in forward) a non-floating input.

    Follows Klambauer et al. 2017, as ``torch.nn.SELU``; calls ``F.selu``.
    """
    _fn = F.selu


class Hardswish(_Inplace):
    """Hard swish, elementwise.

    ``Hardswish(x) = x * relu6(x + 3) / 6``: 0 for x <= -3, x for x >= 3.

    Args:
        inplace (bool): overwrite the input with the result. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: (in forward) a non-floating input.

    Follows Howard et al. 2019 (MobileNetV3), as ``torch.nn.Hardswish``; calls ``F.hardswish``.
    """
    _fn = F.hardswish
    extra_repr = Module.extra_repr


class Hardsigmoid(_Inplace):
    """Hard sigmoid, elementwise.

    ``Hardsigmoid(x) = relu6(x + 3) / 6``: 0 for x <= -3, 1 for x >= 3.

    Args:
        inplace (bool): overwrite the input with the result. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: (in forward) a non-floating input.

    Matches ``torch.nn.Hardsigmoid``; calls ``F.hardsigmoid``.
    """
    _fn = F.hardsigmoid
    extra_repr = Module.extra_repr


class Sigmoid(_Plain):
    """Logistic sigmoid, elementwise, into ``(0, 1)``.

    ``Sigmoid(x) = 1 / (1 + exp(-x))``

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.Sigmoid``; calls ``F.sigmoid``.
    """
    _fn = F.sigmoid


class Tanh(_Plain):
    """Hyperbolic tangent, elementwise, into ``(-1, 1)``.

    ``Tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))``

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.Tanh``; calls ``F.tanh``.
    """
    _fn = F.tanh


class Softsign(_Plain):
    """Softsign, elementwise, into ``(-1, 1)``.

    ``Softsign(x) = x / (1 + |x|)``

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.Softsign``; calls ``F.softsign``.
    """
    _fn = F.softsign


class LogSigmoid(_Plain):
    """Log of the sigmoid, elementwise (a log-probability, <= 0), computed stably.

    ``LogSigmoid(x) = log(1 / (1 + exp(-x)))``

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: (in forward) a non-floating input.

    Matches ``torch.nn.LogSigmoid``; calls ``F.logsigmoid``.
    """
    _fn = F.logsigmoid


class Tanhshrink(_Plain):
    """Tanhshrink, elementwise.

    ``Tanhshrink(x) = x - tanh(x)``

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.Tanhshrink``; calls ``F.tanhshrink``.
    """
    _fn = F.tanhshrink


class Threshold(Module):
    """Replaces the elements at or below ``threshold`` with ``value``.

    ``y = x if x > threshold else value``

    Args:
        threshold (float): the value to threshold at.
        value (float): the replacement.
        inplace (bool): overwrite the input with the result. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: (in forward) a bool input.
        RuntimeError: (in forward) ``threshold`` or ``value`` does not fit the input's dtype.

    Matches ``torch.nn.Threshold``; calls ``F.threshold``.
    """
    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}{_inplace_suffix(self)}"


class Hardtanh(Module):
    """Clamps elementwise to ``[min_val, max_val]``.

    ``Hardtanh(x) = min(max(x, min_val), max_val)``

    Args:
        min_val (float): lower bound. Default: -1.0
        max_val (float): upper bound. Default: 1.0
        inplace (bool): overwrite the input with the result. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        AssertionError: ``max_val <= min_val``.

    Matches ``torch.nn.Hardtanh``; calls ``F.hardtanh``.
    """
    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace
        if self.max_val <= self.min_val:
            raise AssertionError(f"max_val ({self.max_val}) must be greater than min_val ({self.min_val})")

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}{_inplace_suffix(self)}"


class ReLU6(Hardtanh):
    """ReLU capped at 6, elementwise.

    ``ReLU6(x) = min(max(0, x), 6)``

    Args:
        inplace (bool): overwrite the input with the result. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Follows Krizhevsky 2010 (as used by MobileNet), as ``torch.nn.ReLU6``; calls ``F.hardtanh``.
    """
    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    extra_repr = _inplace_only


class LeakyReLU(Module):
    """Leaky ReLU, elementwise.

    ``LeakyReLU(x) = x if x > 0 else negative_slope * x``

    Args:
        negative_slope (float): the slope for x <= 0. Default: 0.01
        inplace (bool): overwrite the input with the result. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: (in forward) a non-floating input.

    Follows Maas et al. 2013, as ``torch.nn.LeakyReLU``; calls ``F.leaky_relu``.
    """
    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}{_inplace_suffix(self)}"


class ELU(Module):
    """Exponential linear unit, elementwise.

    ``ELU(x) = x if x > 0 else alpha * (exp(x) - 1)``

    Args:
        alpha (float): the negative side's saturation value is ``-alpha``. Default: 1.0
        inplace (bool): overwrite the input with the result. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: (in forward) a non-floating input.

    Follows Clevert et al. 2015, as ``torch.nn.ELU``; calls ``F.elu``.
    """
    _fn = F.elu

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Tensor) -> Tensor:
        return type(self)._fn(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}{_inplace_suffix(self)}"


class CELU(ELU):
    """Continuously differentiable ELU, elementwise.

    ``CELU(x) = max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``

    Args:
        alpha (float): the scale of the negative side. Default: 1.0
        inplace (bool): overwrite the input with the result. Default: False

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: (in forward) a non-floating input.

    Follows Barron 2017, as ``torch.nn.CELU``; calls ``F.celu``.
    """
    _fn = F.celu


class GELU(Module):
    """Gaussian error linear unit, elementwise.

    ``GELU(x) = x * Phi(x)`` (Phi: the standard normal CDF); ``approximate='tanh'``: ``0.5 * x * (1 +
    tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))``.

    Args:
        approximate (str): ``'none'`` or ``'tanh'``. Default: ``'none'``

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: (in forward) a non-floating input.
        RuntimeError: (in forward) ``approximate`` is neither ``'none'`` nor ``'tanh'``.

    Follows Hendrycks & Gimpel 2016, as ``torch.nn.GELU``; calls ``F.gelu``.
    """
    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softplus(Module):
    """Smooth ReLU, elementwise; linear where ``beta * x > threshold``.

    ``Softplus(x) = log(1 + exp(beta * x)) / beta``

    Args:
        beta (float): sharpness. Default: 1.0
        threshold (float): above this ``beta * x`` the output is x. Default: 20.0

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: (in forward) a non-floating input.

    Matches ``torch.nn.Softplus``; calls ``F.softplus``.
    """
    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Softshrink(Module):
    """Soft shrinkage, elementwise.

    ``y = x - lambd if x > lambd; x + lambd if x < -lambd; else 0``

    Args:
        lambd (float): the half-width of the zero band (>= 0). Default: 0.5

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: (in forward) a non-floating input.
        RuntimeError: (in forward) ``lambd < 0``.

    Matches ``torch.nn.Softshrink``; calls ``F.softshrink``.
    """
    _fn = F.softshrink

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, input: Tensor) -> Tensor:
        return type(self)._fn(input, self.lambd)

    def extra_repr(self) -> str:
        return str(self.lambd)


class Hardshrink(Softshrink):
    """Hard shrinkage, elementwise.

    ``y = x if |x| > lambd else 0``

    Args:
        lambd (float): the half-width of the zero band. Default: 0.5

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Raises:
        NotImplementedError: (in forward) a non-floating input.

    Matches ``torch.nn.Hardshrink``; calls ``F.hardshrink``.
    """
    _fn = F.hardshrink


class GLU(Module):
    """Gated linear unit: halves ``a, b`` of the input along ``dim`` give ``a * sigmoid(b)``.

    Args:
        dim (int): the dim to halve; its size must be even. Default: -1

    Shape:
        input: ``(*1, 2M, *2)``; output: ``(*1, M, *2)``.

    Raises:
        RuntimeError: (in forward) a 0-dim input or an odd size along ``dim``.
        NotImplementedError: (in forward) a non-floating input.

    Follows Dauphin et al. 2016, as ``torch.nn.GLU``; calls ``F.glu``.
    """
    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class _SoftmaxBase(Module):
    _fn = None

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return type(self)._fn(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_SoftmaxBase):
    """Softmax along ``dim``: probabilities in ``[0, 1]`` that sum to 1 along it.

    ``Softmax(x)_i = exp(x_i) / sum_j exp(x_j)``

    Args:
        dim (int, optional): the dim to normalise along. None (deprecated, warns) picks 0 for 0-, 1- and 3-dim
            inputs, else 1. Default: None

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.Softmax``; calls ``F.softmax``.
    """
    _fn = F.softmax


class LogSoftmax(_SoftmaxBase):
    """Log of the softmax along ``dim`` (log-probabilities), computed stably.

    ``LogSoftmax(x)_i = x_i - log(sum_j exp(x_j))``

    Args:
        dim (int, optional): the dim to normalise along. None (deprecated, warns) picks 0 for 0-, 1- and 3-dim
            inputs, else 1. Default: None

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.LogSoftmax``; calls ``F.log_softmax``.
    """
    _fn = F.log_softmax


class Softmin(_SoftmaxBase):
    """Softmin along ``dim``: probabilities that sum to 1, largest for the smallest inputs.

    ``Softmin(x) = Softmax(-x)``

    Args:
        dim (int, optional): the dim to normalise along. None (deprecated, warns) picks 0 for 0-, 1- and 3-dim
            inputs, else 1. Default: None

    Shape:
        input: ``(*)``, any number of dims; output: ``(*)``, the same shape.

    Matches ``torch.nn.Softmin``; calls ``F.softmin``.
    """
    _fn = F.softmin


class Softmax2d(Module):
    """Softmax over the channels (dim -3) at every spatial position.

    ``y[..., c, h, w] = exp(x[..., c, h, w]) / sum_k exp(x[..., k, h, w])``

    Shape:
        input: ``(N, C, H, W)`` or ``(C, H, W)``; output: the same shape.

    Raises:
        ValueError: (in forward) the input is not 3-dim or 4-dim.

    Matches ``torch.nn.Softmax2d``; calls ``F.softmax``.
    """

    def forward(self, input: Tensor) -> Tensor:
        if input.dim() not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D instead")
        return F.softmax(input, -3, _stacklevel=5)


class PReLU(Module):
    """Parametric ReLU with a learnable slope ``a`` for the negative side.

    ``PReLU(x) = max(0, x) + a * min(0, x)``, one ``a`` or one per channel (dim 1).

    Args:
        num_parameters (int): 1, or the number of input channels C. Default: 1
        init (float): the initial value of every ``a``. Default: 0.25
        device, dtype: of the parameter ``weight`` ``(num_parameters,)``. Default: None

    Shape:
        input: ``(N, C, *)``, ``(C,)`` or ``()``; output: the same shape.

    Raises:
        RuntimeError: (in forward) ``num_parameters`` is neither 1 nor C.
        NotImplementedError: (in forward) a non-floating input.

    Follows He et al. 2015, as ``torch.nn.PReLU``; calls ``F.prelu``.
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device=None, dtype=None) -> None:
        self.num_parameters = num_parameters
        super().__init__()
        self.init = init
        self.weight = Parameter(empty(num_parameters, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.constant_(self.weight, self.init)

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"
