"""Layers for ``functional/classic.py``: LocalResponseNorm, LPPool1d/2d/3d, ChannelShuffle, MaxUnpool1d/2d/3d,
RReLU; each holds its options, calls the function, and prints as PyTorch's."""

from __future__ import annotations

from ...tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = ["LocalResponseNorm", "LPPool1d", "LPPool2d", "LPPool3d", "ChannelShuffle", "MaxUnpool1d",
           "MaxUnpool2d", "MaxUnpool3d", "RReLU"]


class LocalResponseNorm(Module):
    """Local response normalization across channels: ``b_c = a_c (k + alpha / n sum_{c'} a_{c'}^2)^-beta``.

    Args:
        size (int): the number of neighbouring channels summed.
        alpha (float): Default: 1e-4. beta (float): Default: 0.75. k (float): Default: 1.0

    Shape:
        input ``(N, C, *)``; output: the same.

    Raises:
        ValueError: (in forward) fewer than 3 dims.

    As ``torch.nn.LocalResponseNorm`` (Krizhevsky et al. 2012).
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input: Tensor) -> Tensor:
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class _LPPoolNd(Module):
    _nd = 1

    def __init__(self, norm_type: float, kernel_size, stride=None, ceil_mode: bool = False) -> None:
        super().__init__()
        self.norm_type, self.kernel_size = norm_type, kernel_size
        self.stride, self.ceil_mode = stride, ceil_mode

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, f"lp_pool{self._nd}d")(input, float(self.norm_type), self.kernel_size, self.stride,
                                                 self.ceil_mode)

    def extra_repr(self) -> str:
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}, "
                f"ceil_mode={self.ceil_mode}")


class LPPool1d(_LPPoolNd):
    """1-d power-average pooling: ``(sum_{window} x^p)^(1/p)``.

    Args:
        norm_type (float): p. kernel_size (int): the window. stride (int, optional): Default: the window.
        ceil_mode (bool): round the output size up. Default: False

    Shape:
        input ``(N, C, L)`` or ``(C, L)``; output ``(N, C, L_out)``.

    Raises:
        RuntimeError: (in forward) from ``F.lp_pool1d``.

    As ``torch.nn.LPPool1d``.
    """

    _nd = 1


class LPPool2d(_LPPoolNd):
    """2-d power-average pooling: ``(sum_{window} x^p)^(1/p)``.

    Args:
        norm_type (float): p. kernel_size (int or (int, int)): the window. stride (optional): Default: the
        window. ceil_mode (bool): round the output size up. Default: False

    Shape:
        input ``(N, C, H, W)`` or ``(C, H, W)``; output ``(N, C, H_out, W_out)``.

    Raises:
        RuntimeError: (in forward) from ``F.lp_pool2d``.

    As ``torch.nn.LPPool2d``.
    """

    _nd = 2


class LPPool3d(_LPPoolNd):
    """3-d power-average pooling: ``(sum_{window} x^p)^(1/p)``.

    Args:
        norm_type (float): p. kernel_size (int or (int, int, int)): the window.
        stride (optional): Default: the window. ceil_mode (bool): round the output size up. Default: False

    Shape:
        input ``(N, C, D, H, W)`` or ``(C, D, H, W)``; output ``(N, C, D_out, H_out, W_out)``.

    Raises:
        RuntimeError: (in forward) from ``F.lp_pool3d``.

    As ``torch.nn.LPPool3d``.
    """

    _nd = 3


class ChannelShuffle(Module):
    """Channel shuffle: the channels, in ``groups`` groups, interleaved.

    Args:
        groups (int): the number of groups (divides C).

    Shape:
        input ``(N, C, *)``; output: the same.

    Raises:
        RuntimeError: (in forward) from ``F.channel_shuffle``.

    As ``torch.nn.ChannelShuffle`` (Zhang et al. 2018, ShuffleNet).
    """

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, input: Tensor) -> Tensor:
        return F.channel_shuffle(input, self.groups)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"


class _MaxUnpoolNd(Module):
    _nd = 1

    def __init__(self, kernel_size, stride=None, padding=0) -> None:
        super().__init__()

        def tup(v):
            return tuple(v) if isinstance(v, (tuple, list)) else (v,) * self._nd
        self.kernel_size = tup(kernel_size)
        self.stride = tup(stride if stride is not None else kernel_size)
        self.padding = tup(padding)

    def forward(self, input: Tensor, indices: Tensor, output_size=None) -> Tensor:
        unpool = getattr(F, f"max_unpool{self._nd}d")
        return unpool(input, indices, self.kernel_size, self.stride, self.padding, output_size)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpoolNd):
    """The partial inverse of ``MaxPool1d``: each value back at its index, zeros elsewhere.

    Args:
        kernel_size, stride (default: kernel_size), padding: the pooling's.

    Shape:
        input ``(N, C, L_in)``; ``forward(input, indices, output_size=None)``; output ``(N, C, L_out)``,
        ``L_out = (L_in - 1) * stride - 2 * padding + kernel_size``.

    Raises:
        ValueError / RuntimeError: (in forward) from ``F.max_unpool1d``.

    As ``torch.nn.MaxUnpool1d``.
    """

    _nd = 1


class MaxUnpool2d(_MaxUnpoolNd):
    """The partial inverse of ``MaxPool2d``: each value back at its index, zeros elsewhere.

    Args:
        kernel_size, stride (default: kernel_size), padding: the pooling's.

    Shape:
        input ``(N, C, H, W)``; ``forward(input, indices, output_size=None)``; output ``(N, C, H_out,
        W_out)``, ``H_out = (H_in - 1) * stride - 2 * padding + kernel_size``.

    Raises:
        ValueError / RuntimeError: (in forward) from ``F.max_unpool2d``.

    As ``torch.nn.MaxUnpool2d`` (SegNet, Badrinarayanan et al. 2015).
    """

    _nd = 2


class MaxUnpool3d(_MaxUnpoolNd):
    """The partial inverse of ``MaxPool3d``: each value back at its index, zeros elsewhere.

    Args:
        kernel_size, stride (default: kernel_size), padding: the pooling's.

    Shape:
        input ``(N, C, D, H, W)``; ``forward(input, indices, output_size=None)``; output ``(N, C, D_out,
        H_out, W_out)``, ``D_out = (D_in - 1) * stride - 2 * padding + kernel_size``.

    Raises:
        ValueError / RuntimeError: (in forward) from ``F.max_unpool3d``.

    As ``torch.nn.MaxUnpool3d``.
    """

    _nd = 3


class RReLU(Module):
    """Randomized leaky ReLU: slope ``a ~ U(lower, upper)`` per negative element in training, ``(lower +
    upper) / 2`` in eval.

    Args:
        lower, upper (float): the slope's range. Defaults: 1/8, 1/3
        inplace (bool): write into the input. Default: False

    Shape:
        output: input's shape.

    Raises:
        RuntimeError: (in forward) ``lower > upper``.

    As ``torch.nn.RReLU`` (Xu et al. 2015).
    """

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False) -> None:
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}" + (", inplace=True" if self.inplace else "")
