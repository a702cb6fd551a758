"""Identity, Linear and Bilinear, initialised as PyTorch initialises them."""

from __future__ import annotations

import math
from typing import Any

from ...ops.creation import empty
from ...tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Identity", "Linear", "Bilinear"]


class Identity(Module):
    """Returns its input unchanged: a placeholder layer.

    Any constructor arguments are accepted and ignored.

    Shape:
        input: ``(*)``; output: ``(*)``, the input itself.

    Matches ``torch.nn.Identity``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Linear(Module):
    """Affine map: ``y = x W^T + b``.

    ``weight`` ``(H_out, H_in)`` and ``bias`` ``(H_out,)`` start uniform in ``(-1/sqrt(H_in), 1/sqrt(H_in))``,
    as torch's default (kaiming_uniform_ with a = sqrt(5)).

    Args:
        in_features (int): H_in, the size of each input sample.
        out_features (int): H_out, the size of each output sample.
        bias (bool): learn an additive bias. Default: True
        device, dtype: of the parameters. Default: None

    Shape:
        input: ``(*, H_in)``; weight: ``(H_out, H_in)``; output: ``(*, H_out)``.

    Raises:
        RuntimeError: ``input``'s last dim does not match ``weight``'s (from matmul).

    Matches ``torch.nn.Linear``; its forward calls ``F.linear`` (whose errors it raises).
    """

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, device=None, dtype=None
    ) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(empty((out_features, in_features), device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_features, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init._default_layer_init_(self.weight, self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
        )


class Bilinear(Module):
    """Bilinear map: ``y_k = x1^T W_k x2 + b_k`` for each output feature k.

    ``weight`` ``(H_out, H_in1, H_in2)`` and ``bias`` ``(H_out,)`` start uniform in ``(-1/sqrt(H_in1),
    1/sqrt(H_in1))``, as torch's.

    Args:
        in1_features (int): H_in1, the size of each first input.
        in2_features (int): H_in2, the size of each second input.
        out_features (int): H_out.
        bias (bool): learn an additive bias. Default: True
        device, dtype: of the parameters. Default: None

    Shape:
        input1: ``(*, H_in1)``; input2: ``(*, H_in2)``; output: ``(*, H_out)``.

    Raises:
        RuntimeError: the last dim of ``input1`` or ``input2`` does not match ``weight``.

    Matches ``torch.nn.Bilinear``; its forward calls ``F.bilinear`` (whose errors it raises).
    """

    def __init__(
        self,
        in1_features: int,
        in2_features: int,
        out_features: int,
        bias: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        self.in1_features = in1_features
        self.in2_features = in2_features
        self.out_features = out_features
        self.weight = Parameter(empty((out_features, in1_features, in2_features), device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_features, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        bound = 1 / math.sqrt(self.weight.size(1))
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
            f"out_features={self.out_features}, bias={self.bias is not None}"
        )
