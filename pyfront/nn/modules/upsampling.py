"""Upsample (and its fixed-mode forms) and the pixel shuffles."""

from __future__ import annotations

from ...tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = ["Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "PixelShuffle", "PixelUnshuffle"]


class Upsample(Module):
    """Resizes the spatial dims of ``(N, C, *spatial)`` to ``size`` or by ``scale_factor``.

    Args:
        size (int or tuple of int, optional): the output spatial size. Default: None
        scale_factor (float or tuple of float, optional): the multiplier of each spatial size (kept as float).
            Default: None
        mode (str): ``'nearest'``, ``'nearest-exact'``, ``'linear'``, ``'bilinear'``, ``'bicubic'``,
            ``'trilinear'`` or ``'area'``. Default: ``'nearest'``
        align_corners (bool, optional): for the linear and cubic modes. Default: None
        recompute_scale_factor (bool, optional): compute the coordinates from the output size. Default: None

    Shape:
        input: ``(N, C, L_in)``, ``(N, C, H_in, W_in)`` or ``(N, C, D_in, H_in, W_in)``; output: ``(N, C,
            *size)`` or ``(N, C, floor(spatial * scale_factor))``.

    Raises:
        ValueError: both or neither of ``size``/``scale_factor``, a length that differs from the spatial rank,
            ``align_corners`` with a non-interpolating mode, ``recompute_scale_factor`` with ``size``, or
            ``antialias`` outside bilinear/bicubic 4-d.
        TypeError: a non-integer ``size`` entry.
        NotImplementedError: an unknown mode, an input rank the mode does not take, or an integer dtype (uint8
            is allowed with the nearest modes, and integers with ``'area'``).
        RuntimeError: an empty input or output size.

    Matches ``torch.nn.Upsample``; its forward calls ``F.interpolate`` (whose errors it raises).
    """

    def __init__(
        self,
        size=None,
        scale_factor=None,
        mode: str = "nearest",
        align_corners: bool | None = None,
        recompute_scale_factor: bool | None = None,
    ) -> None:
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple):
            self.scale_factor = tuple(float(factor) for factor in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        return F.interpolate(
            input,
            self.size,
            self.scale_factor,
            self.mode,
            self.align_corners,
            recompute_scale_factor=self.recompute_scale_factor,
        )

    def extra_repr(self) -> str:
        info = (
            f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None else f"size={self.size!r}"
        )
        return info + f", mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """Nearest-neighbour upsampling of 4-d inputs: ``Upsample(mode='nearest')``.

    Args:
        size (int or tuple of int, optional): the output spatial size. Default: None
        scale_factor (float or tuple of float, optional): the multiplier of each spatial size (kept as float).
            Default: None

    Shape:
        input: ``(N, C, H_in, W_in)``; output: ``(N, C, H_out, W_out)``.

    Raises:
        ValueError: both or neither of ``size``/``scale_factor``, a length that differs from the spatial rank,
            ``align_corners`` with a non-interpolating mode, ``recompute_scale_factor`` with ``size``, or
            ``antialias`` outside bilinear/bicubic 4-d.
        TypeError: a non-integer ``size`` entry.
        NotImplementedError: an unknown mode, an input rank the mode does not take, or an integer dtype (uint8
            is allowed with the nearest modes, and integers with ``'area'``).
        RuntimeError: an empty input or output size.

    Matches ``torch.nn.UpsamplingNearest2d``; its forward calls ``F.interpolate`` (whose errors it raises).
    """

    def __init__(self, size=None, scale_factor=None) -> None:
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """Bilinear upsampling of 4-d inputs: ``Upsample(mode='bilinear', align_corners=True)``.

    Args:
        size (int or tuple of int, optional): the output spatial size. Default: None
        scale_factor (float or tuple of float, optional): the multiplier of each spatial size (kept as float).
            Default: None

    Shape:
        input: ``(N, C, H_in, W_in)``; output: ``(N, C, H_out, W_out)``.

    Raises:
        ValueError: both or neither of ``size``/``scale_factor``, a length that differs from the spatial rank,
            ``align_corners`` with a non-interpolating mode, ``recompute_scale_factor`` with ``size``, or
            ``antialias`` outside bilinear/bicubic 4-d.
        TypeError: a non-integer ``size`` entry.
        NotImplementedError: an unknown mode, an input rank the mode does not take, or an integer dtype (uint8
            is allowed with the nearest modes, and integers with ``'area'``).
        RuntimeError: an empty input or output size.

    Matches ``torch.nn.UpsamplingBilinear2d``; its forward calls ``F.interpolate`` (whose errors it raises).
    """

    def __init__(self, size=None, scale_factor=None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)


class PixelShuffle(Module):
    """Rearranges channels into space: ``(*, C * r^2, H, W) -> (*, C, H * r, W * r)``.

    r = ``upscale_factor``. ``out[..., c, h * r + i, w * r + j] = in[..., c * r^2 + i * r + j, h, w]``.

    Args:
        upscale_factor (int): r.

    Shape:
        input: ``(*, C * r^2, H, W)``; output: ``(*, C, H * r, W * r)``.

    Raises:
        RuntimeError: fewer than 3 dims, or channels not divisible by ``r^2``.

    Matches ``torch.nn.PixelShuffle``; its forward calls ``F.pixel_shuffle`` (whose errors it raises).
    """

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return F.pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """Rearranges space into channels: ``(*, C, H * r, W * r) -> (*, C * r^2, H, W)``.

    r = ``downscale_factor``. The inverse of ``pixel_shuffle``.

    Args:
        downscale_factor (int): r.

    Shape:
        input: ``(*, C, H * r, W * r)``; output: ``(*, C * r^2, H, W)``.

    Raises:
        RuntimeError: fewer than 3 dims, or a height or width not divisible by r.

    Matches ``torch.nn.PixelUnshuffle``; its forward calls ``F.pixel_unshuffle`` (whose errors it raises).
    """

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return F.pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"
