"""Convolution layers (Conv1d/2d, ConvTranspose1d/2d) and Fold/Unfold, initialised as PyTorch does."""

from __future__ import annotations


from ...ops.creation import empty
from ...tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "Fold",
           "Unfold"]

_PADDING_STRINGS = {"same", "valid"}
_PADDING_MODES = {"zeros", "reflect", "replicate", "circular"}


def _ntuple(value, n: int) -> tuple:
    """``torch.nn.modules.utils._ntuple``: a sequence as a tuple (any length), anything else repeated."""
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return (value,) * n


class _ConvNd(Module):
    """What every convolution layer shares: argument checks, parameters, initialisation and repr."""

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride,
        padding,
        dilation,
        transposed,
        output_padding,
        groups,
        bias,
        padding_mode,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in _PADDING_STRINGS:
                raise ValueError(f"Invalid padding string {padding!r}, should be one of {_PADDING_STRINGS}")
            if padding == "same" and any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(
                f"padding_mode must be one of {_PADDING_MODES}, but got padding_mode='{padding_mode}'"
            )
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.transposed = transposed
        self.output_padding = output_padding
        self.groups = groups
        self.padding_mode = padding_mode
        # F.pad amounts (last dim first) for the non-zero padding modes: a list for a padding string, else a
        # tuple, as torch keeps them (a whole layer saved holds it)
        if isinstance(padding, str):
            amounts = [0, 0] * len(kernel_size)
            if padding == "same":
                for d, k, i in zip(dilation, kernel_size, range(len(kernel_size) - 1, -1, -1)):
                    total = d * (k - 1)
                    amounts[2 * i], amounts[2 * i + 1] = total // 2, total - total // 2
            self._reversed_padding_repeated_twice = amounts
        else:
            self._reversed_padding_repeated_twice = tuple(p for p in reversed(padding) for _ in range(2))
        shape = (in_channels, out_channels // groups) if transposed else (out_channels, in_channels // groups)
        self.weight = Parameter(empty((*shape, *kernel_size), device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_channels, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init._default_layer_init_(self.weight, self.bias)

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * len(self.padding):
            s += f", padding={self.padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class _Conv(_ConvNd):
    _nd = 2

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride=1,
        padding=0,
        dilation=1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device=None,
        dtype=None,
    ) -> None:
        n = self._nd
        super().__init__(
            in_channels,
            out_channels,
            _ntuple(kernel_size, n),
            _ntuple(stride, n),
            padding if isinstance(padding, str) else _ntuple(padding, n),
            _ntuple(dilation, n),
            False,
            _ntuple(0, n),
            groups,
            bias,
            padding_mode,
            device,
            dtype,
        )

    def _conv_forward(self, input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
        conv = getattr(F, f"conv{self._nd}d")
        if self.padding_mode != "zeros":
            padded = F.pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
            return conv(padded, weight, bias, self.stride, _ntuple(0, self._nd), self.dilation, self.groups)
        return conv(input, weight, bias, self.stride, self.padding, self.dilation, self.groups)

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(input, self.weight, self.bias)


class Conv1d(_Conv):
    """1-d convolution (cross-correlation) of ``(N, C_in, L)`` with ``C_out`` filters.

    ``weight`` and ``bias`` start uniform in ``(-1/sqrt(k), 1/sqrt(k))``, k = ``C_in / groups *
    prod(kernel_size)``, as torch's default (kaiming_uniform_ with a = sqrt(5)).

    ``out(N_i, C_out_j) = bias(C_out_j) + sum_k weight(C_out_j, k) * input(N_i, k)`` (``*``: 1-d
    cross-correlation); ``L_out = floor((L + 2 * padding - dilation * (kL - 1) - 1) / stride) + 1``.

    Args:
        in_channels (int): C_in.
        out_channels (int): C_out.
        kernel_size (int or (int,)): the filter size.
        stride (int or (int,)): the step between windows. Default: 1
        padding (int, (int,) or str): padding on each side, or ``'valid'`` / ``'same'`` (stride 1 only).
            Default: 0
        dilation (int or (int,)): the spacing between kernel elements. Default: 1
        groups (int): blocked connections from input to output channels; divides both. Default: 1
        bias (bool): add a learnable bias. Default: True
        padding_mode (str): ``'zeros'``, ``'reflect'``, ``'replicate'`` or ``'circular'``. Default:
            ``'zeros'``
        device, dtype: of the parameters. Default: None

    Shape:
        input: ``(N, C_in, L)`` or ``(C_in, L)``; output: ``(N, C_out, L_out)`` or ``(C_out, L_out)``.

    Raises:
        ValueError: ``groups`` not positive or not dividing the channels, an unknown padding string or mode,
            or ``'same'`` with a stride.
        RuntimeError: a bad input rank, ``C_in`` not matching ``weight`` and ``groups``, a bias of the wrong
            size, non-positive stride/dilation/groups, negative padding, an unknown padding string, ``'same'``
            with a stride, a kernel larger than the padded input, or dtypes that differ.
        NotImplementedError: a bool input.

    Matches ``torch.nn.Conv1d``; its forward calls ``F.conv1d`` (whose errors it raises).
    """

    _nd = 1


class Conv2d(_Conv):
    """2-d convolution (cross-correlation) of ``(N, C_in, H, W)`` with ``C_out`` filters.

    ``weight`` and ``bias`` start uniform in ``(-1/sqrt(k), 1/sqrt(k))``, k = ``C_in / groups *
    prod(kernel_size)``, as torch's default (kaiming_uniform_ with a = sqrt(5)).

    ``out(N_i, C_out_j) = bias(C_out_j) + sum_k weight(C_out_j, k) * input(N_i, k)`` (``*``: 2-d
    cross-correlation); ``H_out = floor((H + 2 * padding - dilation * (kH - 1) - 1) / stride) + 1``, the same
    for W.

    Args:
        in_channels (int): C_in.
        out_channels (int): C_out.
        kernel_size (int or (int, int)): the filter size.
        stride (int or (int, int)): the step between windows. Default: 1
        padding (int, (int, int) or str): padding on each side, or ``'valid'`` / ``'same'`` (stride 1 only).
            Default: 0
        dilation (int or (int, int)): the spacing between kernel elements. Default: 1
        groups (int): blocked connections from input to output channels; divides both. Default: 1
        bias (bool): add a learnable bias. Default: True
        padding_mode (str): ``'zeros'``, ``'reflect'``, ``'replicate'`` or ``'circular'``. Default:
            ``'zeros'``
        device, dtype: of the parameters. Default: None

    Shape:
        input: ``(N, C_in, H, W)`` or ``(C_in, H, W)``; output: ``(N, C_out, H_out, W_out)`` or ``(C_out,
            H_out, W_out)``.

    Raises:
        ValueError: ``groups`` not positive or not dividing the channels, an unknown padding string or mode,
            or ``'same'`` with a stride.
        RuntimeError: a bad input rank, ``C_in`` not matching ``weight`` and ``groups``, a bias of the wrong
            size, non-positive stride/dilation/groups, negative padding, an unknown padding string, ``'same'``
            with a stride, a kernel larger than the padded input, or dtypes that differ.
        NotImplementedError: a bool input.

    Matches ``torch.nn.Conv2d``; its forward calls ``F.conv2d`` (whose errors it raises).
    """

    _nd = 2


class _ConvTranspose(_ConvNd):
    _nd = 2

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride=1,
        padding=0,
        output_padding=0,
        groups: int = 1,
        bias: bool = True,
        dilation=1,
        padding_mode: str = "zeros",
        device=None,
        dtype=None,
    ) -> None:
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {self.__class__.__name__}')
        n = self._nd
        super().__init__(
            in_channels,
            out_channels,
            _ntuple(kernel_size, n),
            _ntuple(stride, n),
            _ntuple(padding, n),
            _ntuple(dilation, n),
            True,
            _ntuple(output_padding, n),
            groups,
            bias,
            padding_mode,
            device,
            dtype,
        )

    def _output_padding(self, input, output_size):
        """The output_padding that gives ``output_size`` (PyTorch's ConvTranspose._output_padding)."""
        if output_size is None:
            return self.output_padding
        n = self._nd
        non_spatial = 2 if input.dim() == n + 2 else 1
        output_size = list(output_size)
        if len(output_size) == non_spatial + n:
            output_size = output_size[non_spatial:]
        if len(output_size) != n:
            raise ValueError(
                f"ConvTranspose{n}D: for {input.dim()}D input, output_size must have {n} or "
                f"{non_spatial + n} elements (got {len(output_size)})"
            )
        min_sizes = [
            (input.shape[d + non_spatial] - 1) * self.stride[d]
            - 2 * self.padding[d]
            + self.dilation[d] * (self.kernel_size[d] - 1)
            + 1
            for d in range(n)
        ]
        max_sizes = [m + st - 1 for m, st in zip(min_sizes, self.stride)]
        for size, lo, hi in zip(output_size, min_sizes, max_sizes):
            if size < lo or size > hi:
                raise ValueError(
                    f"requested an output size of {output_size}, but valid sizes range from {min_sizes} "
                    f"to {max_sizes} (for an input of {input.shape[2:]})"
                )
        return tuple(size - lo for size, lo in zip(output_size, min_sizes))

    def forward(self, input: Tensor, output_size=None) -> Tensor:
        conv = getattr(F, f"conv_transpose{self._nd}d")
        output_padding = self._output_padding(input, output_size)
        return conv(
            input,
            self.weight,
            self.bias,
            self.stride,
            self.padding,
            output_padding,
            self.groups,
            self.dilation,
        )


class ConvTranspose1d(_ConvTranspose):
    """1-d transposed convolution: the gradient of ``conv1d`` with respect to its input.

    ``weight`` and ``bias`` start uniform in ``(-1/sqrt(k), 1/sqrt(k))``, k = ``C_out / groups *
    prod(kernel_size)``, as torch's default (kaiming_uniform_ with a = sqrt(5)).

    Each input position adds ``weight`` scaled by its value into a window of the output. ``L_out = (i - 1) *
    stride - 2 * padding + dilation * (k - 1) + output_padding + 1`` with i = L, k = kL.

    Args:
        in_channels (int): C_in.
        out_channels (int): C_out.
        kernel_size (int or (int,)): the filter size.
        stride (int or (int,)): the step in the output between input positions. Default: 1
        padding (int or (int,)): cropped from each side of the output. Default: 0
        output_padding (int or (int,)): extra size on one side of the output. Default: 0
        groups (int): blocked connections from input to output channels; divides both. Default: 1
        bias (bool): add a learnable bias. Default: True
        dilation (int or (int,)): the spacing between kernel elements. Default: 1
        padding_mode (str): only ``'zeros'``. Default: ``'zeros'``
        device, dtype: of the parameters. Default: None

    ``forward(input, output_size=None)``: ``output_size`` picks one of the ``stride`` output sizes that a
    strided convolution maps to the same input size.

    Shape:
        input: ``(N, C_in, L)`` or ``(C_in, L)``; output: ``(N, C_out, L_out)`` or ``(C_out, L_out)``.

    Raises:
        ValueError: ``padding_mode`` other than ``'zeros'``, ``groups`` not positive or not dividing the
            channels; in forward, an ``output_size`` of the wrong length or out of the reachable range.
        TypeError: ``padding`` is a string.
        RuntimeError: a bad input rank, ``C_in`` not matching ``weight``, a bias of the wrong size, bad
            stride/padding/dilation/groups, ``output_padding`` not below stride or dilation, an output size
            below 1, or dtypes that differ.
        NotImplementedError: a dtype other than floating point or int64.

    Matches ``torch.nn.ConvTranspose1d``; its forward calls ``F.conv_transpose1d`` (whose errors it raises).
    """

    _nd = 1


class ConvTranspose2d(_ConvTranspose):
    """2-d transposed convolution: the gradient of ``conv2d`` with respect to its input.

    ``weight`` and ``bias`` start uniform in ``(-1/sqrt(k), 1/sqrt(k))``, k = ``C_out / groups *
    prod(kernel_size)``, as torch's default (kaiming_uniform_ with a = sqrt(5)).

    Each input position adds ``weight`` scaled by its value into a window of the output. ``H_out = (i - 1) *
    stride - 2 * padding + dilation * (k - 1) + output_padding + 1`` with i = H, k = kH; the same for W.

    Args:
        in_channels (int): C_in.
        out_channels (int): C_out.
        kernel_size (int or (int, int)): the filter size.
        stride (int or (int, int)): the step in the output between input positions. Default: 1
        padding (int or (int, int)): cropped from each side of the output. Default: 0
        output_padding (int or (int, int)): extra size on one side of the output. Default: 0
        groups (int): blocked connections from input to output channels; divides both. Default: 1
        bias (bool): add a learnable bias. Default: True
        dilation (int or (int, int)): the spacing between kernel elements. Default: 1
        padding_mode (str): only ``'zeros'``. Default: ``'zeros'``
        device, dtype: of the parameters. Default: None

    ``forward(input, output_size=None)``: ``output_size`` picks one of the ``stride`` output sizes that a
    strided convolution maps to the same input size.

    Shape:
        input: ``(N, C_in, H, W)`` or ``(C_in, H, W)``; output: ``(N, C_out, H_out, W_out)`` or ``(C_out,
            H_out, W_out)``.

    Raises:
        ValueError: ``padding_mode`` other than ``'zeros'``, ``groups`` not positive or not dividing the
            channels; in forward, an ``output_size`` of the wrong length or out of the reachable range.
        TypeError: ``padding`` is a string.
        RuntimeError: a bad input rank, ``C_in`` not matching ``weight``, a bias of the wrong size, bad
            stride/padding/dilation/groups, ``output_padding`` not below stride or dilation, an output size
            below 1, or dtypes that differ.
        NotImplementedError: a dtype other than floating point or int64.

    Matches ``torch.nn.ConvTranspose2d``; its forward calls ``F.conv_transpose2d`` (whose errors it raises).
    """

    _nd = 2


class Conv3d(_Conv):
    """3-d convolution layer over ``(N, C_in, D, H, W)``.

    ``weight`` and ``bias`` start uniform in ``(-1/sqrt(k), 1/sqrt(k))``, k = ``C_in / groups *
    prod(kernel_size)``, as torch's default (kaiming_uniform_ with a = sqrt(5)).

    ``out(N_i, C_out_j) = bias(C_out_j) + sum_k weight(C_out_j, k) * input(N_i, k)`` (3-d cross-correlation);
    ``D_out = floor((D + 2 * padding - dilation * (kD - 1) - 1) / stride) + 1``, the same for H and W.

    Args:
        in_channels (int): C_in.
        out_channels (int): C_out.
        kernel_size (int or (int, int, int)): the filter size.
        stride (int or (int, int, int)): the step between windows. Default: 1
        padding (int, (int, int, int) or str): zeros (or ``padding_mode``) on each side, or ``'valid'`` /
            ``'same'``. Default: 0
        dilation (int or (int, int, int)): the spacing between kernel elements. Default: 1
        groups (int): blocked connections from input to output channels; divides both. Default: 1
        bias (bool): add a learnable bias. Default: True
        padding_mode (str): ``'zeros'``, ``'reflect'``, ``'replicate'`` or ``'circular'``.
            Default: ``'zeros'``
        device, dtype: of the parameters. Default: None

    Shape:
        input: ``(N, C_in, D, H, W)`` or ``(C_in, D, H, W)``; output: ``(N, C_out, D_out, H_out, W_out)`` or
            ``(C_out, D_out, H_out, W_out)``.

    Raises:
        ValueError: (at construction) groups not positive or not dividing the channels, a bad padding string
            or mode, ``'same'`` with a stride.
        RuntimeError: (in forward) from ``F.conv3d``.

    Matches ``torch.nn.Conv3d``; its forward calls ``F.conv3d`` (whose errors it raises).
    """

    _nd = 3


class ConvTranspose3d(_ConvTranspose):
    """3-d transposed convolution layer: the gradient of ``conv3d`` with respect to its input.

    ``weight`` and ``bias`` start uniform in ``(-1/sqrt(k), 1/sqrt(k))``, k = ``C_out / groups *
    prod(kernel_size)``, as torch's default (kaiming_uniform_ with a = sqrt(5)).

    ``D_out = (D - 1) * stride - 2 * padding + dilation * (kD - 1) + output_padding + 1``; the same for H, W.

    Args:
        in_channels (int): C_in.
        out_channels (int): C_out.
        kernel_size (int or (int, int, int)): the filter size.
        stride (int or (int, int, int)): the step in the output between input positions. Default: 1
        padding (int or (int, int, int)): cropped from each side of the output. Default: 0
        output_padding (int or (int, int, int)): extra size on one side of the output. Default: 0
        groups (int): blocked connections from input to output channels; divides both. Default: 1
        bias (bool): add a learnable bias. Default: True
        dilation (int or (int, int, int)): the spacing between kernel elements. Default: 1
        padding_mode (str): only ``'zeros'``. Default: ``'zeros'``
        device, dtype: of the parameters. Default: None

    ``forward(input, output_size=None)``: ``output_size`` picks one of the ``stride`` output sizes that a
    strided convolution maps to the same input size.

    Shape:
        input: ``(N, C_in, D, H, W)`` or ``(C_in, D, H, W)``; output: ``(N, C_out, D_out, H_out, W_out)`` or
            ``(C_out, D_out, H_out, W_out)``.

    Raises:
        ValueError: (at construction) as ``Conv3d``, and a padding mode other than ``'zeros'``.
        RuntimeError / NotImplementedError: (in forward) from ``F.conv_transpose3d``.

    Matches ``torch.nn.ConvTranspose3d``; its forward calls ``F.conv_transpose3d`` (whose errors it raises).
    """

    _nd = 3


class Fold(Module):
    """Sums columns of sliding local blocks back into an image (col2im), the inverse layout of ``unfold``.

    Overlapping block elements are added. ``L = prod_d floor((size_d + 2 * padding_d - dilation_d *
    (kernel_size_d - 1) - 1) / stride_d + 1)``, ``size`` the ``output_size``.

    Args:
        output_size (int or (int, int)): the image's spatial size ``(H, W)``.
        kernel_size (int or (int, int)): the block size.
        dilation (int or (int, int)): the spacing between block elements. Default: 1
        padding (int or (int, int)): implicit zeros on each side of the image. Default: 0
        stride (int or (int, int)): the step between blocks. Default: 1

    Shape:
        input: ``(N, C * kH * kW, L)`` or ``(C * kH * kW, L)``; output: ``(N, C, H, W)`` or ``(C, H, W)``.

    Raises:
        RuntimeError: a bad rank or an empty dim, dim -2 not divisible by ``kH * kW``, L not the number of
            blocks, a non-positive kernel/dilation/stride, negative padding, or a pair of the wrong length.
        NotImplementedError: an integer dtype.

    Matches ``torch.nn.Fold``; its forward calls ``F.fold`` (whose errors it raises).
    """

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1) -> None:
        super().__init__()
        self.output_size = output_size
        self.kernel_size = kernel_size
        self.dilation = dilation
        self.padding = padding
        self.stride = stride

    def forward(self, input: Tensor) -> Tensor:
        return F.fold(input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (
            f"output_size={self.output_size}, kernel_size={self.kernel_size}, dilation={self.dilation}, "
            f"padding={self.padding}, stride={self.stride}"
        )


class Unfold(Module):
    """Extracts sliding local blocks of a batched image into columns (im2col).

    ``L = prod_d floor((size_d + 2 * padding_d - dilation_d * (kernel_size_d - 1) - 1) / stride_d + 1)``, the
    number of blocks, ``size`` the input's (H, W).

    Args:
        kernel_size (int or (int, int)): the block size.
        dilation (int or (int, int)): the spacing between block elements. Default: 1
        padding (int or (int, int)): implicit zeros on each side of the image. Default: 0
        stride (int or (int, int)): the step between blocks. Default: 1

    Shape:
        input: ``(N, C, H, W)`` or ``(C, H, W)``; output: ``(N, C * kH * kW, L)`` or ``(C * kH * kW, L)``.

    Raises:
        IndexError: a 2-dim input.
        RuntimeError: another rank or an empty dim, a non-positive kernel/dilation/stride, negative padding,
            an argument pair of the wrong length, or no whole block.
        NotImplementedError: an integer dtype.

    Matches ``torch.nn.Unfold``; its forward calls ``F.unfold`` (whose errors it raises).
    """

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.dilation = dilation
        self.padding = padding
        self.stride = stride

    def forward(self, input: Tensor) -> Tensor:
        return F.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
                f"stride={self.stride}")
