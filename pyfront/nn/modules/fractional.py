"""``nn.FractionalMaxPool2d`` / ``FractionalMaxPool3d``: the modules over ``F.fractional_max_pool2d/3d``
(Graham 2014, "Fractional Max-Pooling")."""
from __future__ import annotations

from ...tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = ["FractionalMaxPool2d", "FractionalMaxPool3d"]


class _FractionalMaxPoolNd(Module):
    _nd = 2

    def __init__(self, kernel_size, output_size=None, output_ratio=None, return_indices: bool = False,
                 _random_samples=None) -> None:
        super().__init__()

        def spread(value):
            return tuple(value) if isinstance(value, (tuple, list)) else (value,) * self._nd
        self.kernel_size = spread(kernel_size)
        self.return_indices = return_indices
        # a buffer, so fixed samples follow the module's device and state dict, as torch's do
        self.register_buffer("_random_samples", _random_samples)
        self.output_size = spread(output_size) if output_size is not None else None
        self.output_ratio = spread(output_ratio) if output_ratio is not None else None
        if output_size is None and output_ratio is None:
            raise ValueError(f"{type(self).__name__} requires specifying either an output size, or a pooling "
                             "ratio")
        if output_size is not None and output_ratio is not None:
            raise ValueError("only one of output_size and output_ratio may be specified")
        if self.output_ratio is not None and not all(0 < r < 1 for r in self.output_ratio):
            raise ValueError(f"output_ratio must be between 0 and 1 (got {output_ratio})")

    def forward(self, input: Tensor):
        pool = F.fractional_max_pool2d if self._nd == 2 else F.fractional_max_pool3d
        return pool(input, self.kernel_size, self.output_size, self.output_ratio, self.return_indices,
                    _random_samples=self._random_samples)


class FractionalMaxPool2d(_FractionalMaxPoolNd):
    """2-d fractional max pooling: the maximum of overlapping windows placed pseudo-randomly per plane, so
    the output can shrink the input by any ratio, as ``torch.nn.FractionalMaxPool2d``.

    Args:
        kernel_size (int or (int, int)): the window size.
        output_size (int or (int, int), optional): the output's (H, W).
        output_ratio (float or (float, float), optional): the output size as a fraction in (0, 1) of the
            input's (exactly one of output_size and output_ratio).
        return_indices (bool): also return each maximum's ``h * W_in + w``. Default: False
        _random_samples (Tensor, optional): fixed ``(N, C, 2)`` samples in [0, 1) placing the windows.

    Shape: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)`` to ``(N, C, H_out, W_out)`` or ``(C, H_out, W_out)``.

    Raises:
        ValueError: no output size or ratio, both, or a ratio outside (0, 1) (torch's texts).
    """

    _nd = 2


class FractionalMaxPool3d(_FractionalMaxPoolNd):
    """3-d fractional max pooling: the maximum of overlapping windows placed pseudo-randomly per plane, as
    ``torch.nn.FractionalMaxPool3d``.

    Args:
        kernel_size (int or (int, int, int)): the window size.
        output_size (int or (int, int, int), optional): the output's (T, H, W).
        output_ratio (float or tuple, optional): the output size as a fraction in (0, 1) of the input's
            (exactly one of output_size and output_ratio).
        return_indices (bool): also return each maximum's ``(t * H_in + h) * W_in + w``. Default: False
        _random_samples (Tensor, optional): fixed ``(N, C, 3)`` samples in [0, 1) placing the windows.

    Shape: ``(N, C, T_in, H_in, W_in)`` or ``(C, T_in, H_in, W_in)`` to the same with the output's sizes.

    Raises:
        ValueError: no output size or ratio, both, or a ratio outside (0, 1) (torch's texts).
    """

    _nd = 3
