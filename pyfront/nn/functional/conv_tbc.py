"""``F.conv_tbc``: 1-d convolution over time-major ``(time, batch, channels)`` sequences (the layout of
fairseq's convolutional models), and ``F.assert_int_or_pair``, the argument check torch exports beside it."""
from __future__ import annotations

from ...ops.composite.shaping import pad as _constant_pad
from ...tensor import Tensor

__all__ = ["conv_tbc", "assert_int_or_pair"]


def conv_tbc(input: Tensor, weight: Tensor, bias: Tensor, pad: int = 0) -> Tensor:
    """1-d convolution of time-major sequences, as ``torch.nn.functional.conv_tbc``.

    ``out[t] = bias + sum_k x[t + k] @ weight[k]`` over the input zero-padded by ``pad`` steps at both ends
    (a negative ``pad`` trims them): one matmul per kernel tap, so both devices run it and autograd
    differentiates it.

    Args:
        input (Tensor): ``(T, B, C_in)``.
        weight (Tensor): ``(K, C_in, C_out)``.
        bias (Tensor): ``(C_out,)``.
        pad (int): steps of zeros added before and after the sequence. Default: 0

    Shape:
        output: ``(T + 2 * pad - K + 1, B, C_out)``.

    Raises:
        RuntimeError: inputs of the wrong rank or sizes that do not fit, or a negative output length
        (torch's texts).
    """
    if input.dim() != 3:
        raise RuntimeError("Input must have 3 dims: time, batch, in_channel")
    if weight.dim() != 3:
        raise RuntimeError("Weight tensor must have 3 dims: kernel_width, in_channels, out_channels.")
    if bias.dim() != 1:
        raise RuntimeError("Bias must be 1-D")
    if input.shape[2] != weight.shape[1]:
        raise RuntimeError("Input dim 2 (input channels) is not == dim 1 in the weight tensor")
    if bias.shape[0] != weight.shape[2]:
        raise RuntimeError("Bias size must equal dim 2 in the weight tensor (output channels).")
    steps = input.shape[0] + 2 * pad - weight.shape[0] + 1
    if steps < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {steps}: "
                           f"[{steps}, {input.shape[1]}, {weight.shape[2]}]")
    padded = _constant_pad(input, (0, 0, 0, 0, pad, pad)) if pad else input
    out = bias.expand(steps, input.shape[1], weight.shape[2])
    for k in range(weight.shape[0]):
        out = out + padded[k:k + steps] @ weight[k]
    return out


def assert_int_or_pair(arg, arg_name: str, message: str) -> None:
    """Raise ``AssertionError(message.format(arg_name))`` unless ``arg`` is an int or has two elements, as
    ``torch.nn.functional.assert_int_or_pair``.

    Args:
        arg: the value checked. arg_name (str): its name. message (str): the text, with ``{}`` for the name.
    """
    assert isinstance(arg, int) or len(arg) == 2, message.format(arg_name)
