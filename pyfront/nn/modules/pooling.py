"""Pooling layers: max/avg pooling (1-d, 2-d, 3-d) and their adaptive forms, printed as PyTorch prints
them."""

from __future__ import annotations

from ...tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = [
    "MaxPool1d",
    "MaxPool2d",
    "AvgPool1d",
    "AvgPool2d",
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "MaxPool3d",
    "AvgPool3d",
    "AdaptiveAvgPool3d",
    "AdaptiveMaxPool3d",
]


class _MaxPoolNd(Module):
    def __init__(
        self,
        kernel_size,
        stride=None,
        padding=0,
        dilation=1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class MaxPool1d(_MaxPoolNd):
    """1-d max pooling: the maximum of each ``kernel_size`` window.

    ``L_out = floor((L_in + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1`` (``ceil`` with
    ``ceil_mode``; a last window that would start in the right padding is dropped).

    Args:
        kernel_size (int or (int,)): the window size.
        stride (int or (int,), optional): the window step; None (or ``[]``) means ``kernel_size``. Default:
            None
        padding (int or (int,)): implicit -inf padding on each side, at most half the effective window.
            Default: 0
        dilation (int or (int,)): the spacing between window elements. Default: 1
        ceil_mode (bool): round the output size up instead of down. Default: False
        return_indices (bool): also return the flat index of each maximum in its input plane. Default: False

    Shape:
        input: ``(N, C, L_in)`` or ``(C, L_in)``; output: ``(N, C, L_out)`` or ``(C, L_out)``; indices
            (int64): the output's shape, positions along L_in.

    Raises:
        RuntimeError: a bad input rank, a non-positive window, stride or dilation, too much padding, an
            argument tuple of the wrong length, or an output size below 1.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.MaxPool1d``; its forward calls ``F.max_pool1d`` (whose errors it raises).
    """

    def forward(self, input: Tensor):
        return F.max_pool1d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            ceil_mode=self.ceil_mode,
            return_indices=self.return_indices,
        )


class MaxPool2d(_MaxPoolNd):
    """2-d max pooling: the maximum of each ``kernel_size`` window.

    ``H_out = floor((H_in + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1`` (``ceil`` with
    ``ceil_mode``; a last window that would start in the right padding is dropped). The same for W.

    Args:
        kernel_size (int or (int, int)): the window size.
        stride (int or (int, int), optional): the window step; None (or ``[]``) means ``kernel_size``.
            Default: None
        padding (int or (int, int)): implicit -inf padding on each side, at most half the effective window.
            Default: 0
        dilation (int or (int, int)): the spacing between window elements. Default: 1
        ceil_mode (bool): round the output size up instead of down. Default: False
        return_indices (bool): also return the flat index of each maximum in its input plane. Default: False

    Shape:
        input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``; output: ``(N, C, H_out, W_out)`` or ``(C, H_out,
            W_out)``; indices (int64): the output's shape, each ``h * W_in + w``.

    Raises:
        RuntimeError: a bad input rank, a non-positive window, stride or dilation, too much padding, an
            argument tuple of the wrong length, or an output size below 1.
        NotImplementedError: a bool input.

    Matches ``torch.nn.MaxPool2d``; its forward calls ``F.max_pool2d`` (whose errors it raises).
    """

    def forward(self, input: Tensor):
        return F.max_pool2d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            ceil_mode=self.ceil_mode,
            return_indices=self.return_indices,
        )


class AvgPool1d(Module):
    """1-d average pooling: the mean of each ``kernel_size`` window of each channel.

    ``L_out = floor((L_in + 2 * padding - kernel_size) / stride) + 1`` (``ceil`` with ``ceil_mode``; a last
    window that would start in the right padding is dropped).

    Args:
        kernel_size (int or (int,)): the window size.
        stride (int or (int,), optional): the window step; None (or ``[]``) means ``kernel_size``. Default:
            None
        padding (int or (int,)): implicit zero padding on each side, at most half the window. Default: 0
        ceil_mode (bool): round the output size up instead of down. Default: False
        count_include_pad (bool): count the zero padding in each window's divisor. Default: True

    Its sizes are kept (and printed) as 1-tuples, as in torch.

    Shape:
        input: ``(N, C, L_in)`` or ``(C, L_in)``; output: ``(N, C, L_out)`` or ``(C, L_out)``.

    Raises:
        RuntimeError: ``input`` is not 2-dim or 3-dim, a non-positive window or stride, too much padding, or
            an output size below 1.
        NotImplementedError: a dtype other than floating point or int64.

    Matches ``torch.nn.AvgPool1d``; its forward calls ``F.avg_pool1d`` (whose errors it raises).
    """

    def __init__(
        self, kernel_size, stride=None, padding=0, ceil_mode: bool = False, count_include_pad: bool = True
    ) -> None:
        super().__init__()
        one = lambda v: tuple(v) if isinstance(v, (tuple, list)) else (v,)  # noqa: E731
        self.kernel_size = one(kernel_size)
        self.stride = one(stride if stride is not None else kernel_size)
        self.padding = one(padding)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def forward(self, input: Tensor) -> Tensor:
        return F.avg_pool1d(
            input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(Module):
    """2-d average pooling: the mean of each ``kernel_size`` window of each channel.

    ``H_out = floor((H_in + 2 * padding - kernel_size) / stride) + 1`` (``ceil`` with ``ceil_mode``; a last
    window that would start in the right padding is dropped). The same for W.

    Args:
        kernel_size (int or (int, int)): the window size.
        stride (int or (int, int), optional): the window step; None (or ``[]``) means ``kernel_size``.
            Default: None
        padding (int or (int, int)): implicit zero padding on each side, at most half the window. Default: 0
        ceil_mode (bool): round the output size up instead of down. Default: False
        count_include_pad (bool): count the zero padding in each window's divisor. Default: True
        divisor_override (int, optional): divide every window's sum by this instead. Default: None

    Shape:
        input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``; output: ``(N, C, H_out, W_out)`` or ``(C, H_out,
            W_out)``.

    Raises:
        IndexError: fewer than 3 dims.
        RuntimeError: more than 4 dims, ``divisor_override=0``, a non-positive window or stride, too much
            padding, or an output size below 1.
        NotImplementedError: a dtype other than floating point or int64.

    Matches ``torch.nn.AvgPool2d``; its forward calls ``F.avg_pool2d`` (whose errors it raises).
    """

    def __init__(
        self,
        kernel_size,
        stride=None,
        padding=0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override=None,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input: Tensor) -> Tensor:
        return F.avg_pool2d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AdaptivePool(Module):
    def __init__(self, output_size) -> None:
        super().__init__()
        self.output_size = output_size

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptivePool):
    """1-d adaptive average pooling to ``output_size``.

    Output ``i`` pools the window ``[floor(i * L_in / L_out), ceil((i + 1) * L_in / L_out))``.

    Args:
        output_size (int or (int,)): ``L_out``.

    Shape:
        input: ``(N, C, L_in)`` or ``(C, L_in)``; output: ``(N, C, L_out)`` or ``(C, L_out)``.

    Raises:
        RuntimeError: ``input`` is not 2-dim or 3-dim, has an empty non-batch dim, or ``output_size`` has more
            than one value.
        RuntimeError: a negative ``output_size``.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.AdaptiveAvgPool1d``; its forward calls ``F.adaptive_avg_pool1d`` (whose errors it
    raises).
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.adaptive_avg_pool1d(input, self.output_size)


class AdaptiveAvgPool2d(_AdaptivePool):
    """2-d adaptive average pooling to ``output_size``.

    Output ``i`` pools the window ``[floor(i * L_in / L_out), ceil((i + 1) * L_in / L_out))``, along H and
    along W.

    Args:
        output_size (int or (int or None, int or None)): ``(H_out, W_out)``; an int is used for both, None
            keeps the input's size.

    Shape:
        input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``; output: ``(N, C, H_out, W_out)`` or ``(C, H_out,
            W_out)``.

    Raises:
        RuntimeError: ``input`` is not 3-dim or 4-dim, has an empty non-batch dim, or ``output_size`` has the
            wrong length.
        RuntimeError: a negative ``output_size``.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.AdaptiveAvgPool2d``; its forward calls ``F.adaptive_avg_pool2d`` (whose errors it
    raises).
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.adaptive_avg_pool2d(input, self.output_size)


class _AdaptiveMaxPool(_AdaptivePool):
    def __init__(self, output_size, return_indices: bool = False) -> None:
        super().__init__(output_size)
        self.return_indices = return_indices


class AdaptiveMaxPool1d(_AdaptiveMaxPool):
    """1-d adaptive maximum pooling to ``output_size``.

    Output ``i`` pools the window ``[floor(i * L_in / L_out), ceil((i + 1) * L_in / L_out))``.

    Args:
        output_size (int or (int,)): ``L_out``.
        return_indices (bool): also return the flat index of each maximum. Default: False

    Shape:
        input: ``(N, C, L_in)`` or ``(C, L_in)``; output: ``(N, C, L_out)`` or ``(C, L_out)``; indices
            (int64): the output's shape.

    Raises:
        RuntimeError: ``input`` is not 2-dim or 3-dim, has an empty non-batch dim, or ``output_size`` has more
            than one value.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.AdaptiveMaxPool1d``; its forward calls ``F.adaptive_max_pool1d`` (whose errors it
    raises).
    """

    def forward(self, input: Tensor):
        return F.adaptive_max_pool1d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool2d(_AdaptiveMaxPool):
    """2-d adaptive maximum pooling to ``output_size``.

    Output ``i`` pools the window ``[floor(i * L_in / L_out), ceil((i + 1) * L_in / L_out))``, along H and
    along W.

    Args:
        output_size (int or (int or None, int or None)): ``(H_out, W_out)``; an int is used for both, None
            keeps the input's size.
        return_indices (bool): also return the flat index of each maximum. Default: False

    Shape:
        input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``; output: ``(N, C, H_out, W_out)`` or ``(C, H_out,
            W_out)``; indices (int64): the output's shape.

    Raises:
        RuntimeError: ``input`` is not 3-dim or 4-dim, has an empty non-batch dim, or ``output_size`` has the
            wrong length.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.AdaptiveMaxPool2d``; its forward calls ``F.adaptive_max_pool2d`` (whose errors it
    raises).
    """

    def forward(self, input: Tensor):
        return F.adaptive_max_pool2d(input, self.output_size, self.return_indices)


class MaxPool3d(_MaxPoolNd):
    """3-d max pooling over ``(N, C, D, H, W)``: the maximum of each ``kernel_size`` window.

    ``D_out = floor((D_in + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1`` (``ceil`` with
    ``ceil_mode``); the same for H and W.

    Args:
        kernel_size (int or (int, int, int)): the window size.
        stride (int or (int, int, int), optional): the window step. Default: ``kernel_size``
        padding (int or (int, int, int)): implicit -inf padding on each side. Default: 0
        dilation (int or (int, int, int)): the spacing between window elements. Default: 1
        return_indices (bool): also return the flat index of each maximum. Default: False
        ceil_mode (bool): round the output size up instead of down. Default: False

    Shape:
        input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``; output: ``(N, C, D_out, H_out, W_out)`` or
            ``(C, D_out, H_out, W_out)``.

    Raises:
        RuntimeError / NotImplementedError: (in forward) from ``F.max_pool3d``.

    Matches ``torch.nn.MaxPool3d``; its forward calls ``F.max_pool3d`` (whose errors it raises).
    """

    def forward(self, input: Tensor):
        return F.max_pool3d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                            ceil_mode=self.ceil_mode, return_indices=self.return_indices)


class AvgPool3d(AvgPool2d):
    """3-d average pooling over ``(N, C, D, H, W)``: the mean of each ``kernel_size`` window.

    ``out = sum(window) / divisor`` (``divisor_override``, else the window's size clipped to the padded
    input, or with ``count_include_pad=False`` to the input); ``D_out = floor((D_in + 2 * padding -
    kernel_size) / stride) + 1`` (``ceil`` with ``ceil_mode``), the same for H and W.

    Args:
        kernel_size (int or (int, int, int)): the window size.
        stride (int or (int, int, int), optional): the window step. Default: ``kernel_size``
        padding (int or (int, int, int)): implicit zeros on each side. Default: 0
        ceil_mode (bool): round the output size up instead of down. Default: False
        count_include_pad (bool): count the padding in the divisor. Default: True
        divisor_override (int, optional): divide by this instead. Default: None

    Shape:
        input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``; output: ``(N, C, D_out, H_out, W_out)`` or
            ``(C, D_out, H_out, W_out)``.

    Raises:
        RuntimeError / NotImplementedError: (in forward) from ``F.avg_pool3d``.

    Matches ``torch.nn.AvgPool3d``; its forward calls ``F.avg_pool3d`` (whose errors it raises).
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.avg_pool3d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)


class AdaptiveAvgPool3d(_AdaptivePool):
    """3-d adaptive average pooling to ``output_size``.

    Output ``i`` pools the window ``[floor(i * L_in / L_out), ceil((i + 1) * L_in / L_out))``, along D, H
    and W.

    Args:
        output_size (int or (int or None, int or None, int or None)): ``(D_out, H_out, W_out)``; None keeps
            the input's size.

    Shape:
        input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``; output: ``(N, C, D_out, H_out, W_out)`` or
            ``(C, D_out, H_out, W_out)``.

    Raises:
        RuntimeError / NotImplementedError: (in forward) from ``F.adaptive_avg_pool3d``.

    Matches ``torch.nn.AdaptiveAvgPool3d``; its forward calls ``F.adaptive_avg_pool3d``.
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.adaptive_avg_pool3d(input, self.output_size)


class AdaptiveMaxPool3d(_AdaptiveMaxPool):
    """3-d adaptive maximum pooling to ``output_size``.

    Output ``i`` pools the window ``[floor(i * L_in / L_out), ceil((i + 1) * L_in / L_out))``, along D, H
    and W.

    Args:
        output_size (int or (int or None, int or None, int or None)): ``(D_out, H_out, W_out)``.
        return_indices (bool): also return the flat index of each maximum. Default: False

    Shape:
        input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``; output: ``(N, C, D_out, H_out, W_out)`` or
            ``(C, D_out, H_out, W_out)``.

    Raises:
        RuntimeError / NotImplementedError: (in forward) from ``F.adaptive_max_pool3d``.

    Matches ``torch.nn.AdaptiveMaxPool3d``; its forward calls ``F.adaptive_max_pool3d``.
    """

    def forward(self, input: Tensor):
        return F.adaptive_max_pool3d(input, self.output_size, self.return_indices)
