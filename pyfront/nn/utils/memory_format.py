"""Re-laying out convolution weights (``nn.utils.convert_conv2d/3d_weight_memory_format``), as torch's.

pyfront keeps every dense tensor row-major and takes memory formats as hints (``pyfront.sparse``), so the
weights are copied in place of the old ones and keep their values and strides."""
from __future__ import annotations

from ..modules.module import Module

__all__ = ["convert_conv2d_weight_memory_format", "convert_conv3d_weight_memory_format"]


def _convert(module: Module, memory_format, kinds) -> Module:
    if isinstance(module, kinds):
        # the same Parameter object (optimizers keep it), its data in the new layout
        module.weight.data = module.weight.detach().clone(memory_format=memory_format)
    for child in module.children():
        _convert(child, memory_format, kinds)
    return module


def convert_conv2d_weight_memory_format(module: Module, memory_format) -> Module:
    """Every ``Conv2d`` / ``ConvTranspose2d`` weight in ``module`` (itself included) copied into
    ``memory_format`` (e.g. ``channels_last``), in place, as
    ``torch.nn.utils.convert_conv2d_weight_memory_format``.

    Args:
        module (Module): the model. memory_format: the layout of the weights.

    Returns:
        ``module`` itself, its weights the same Parameters with the same values.
    """
    from ..modules.conv import Conv2d, ConvTranspose2d
    return _convert(module, memory_format, (Conv2d, ConvTranspose2d))


def convert_conv3d_weight_memory_format(module: Module, memory_format) -> Module:
    """Every ``Conv3d`` / ``ConvTranspose3d`` weight in ``module`` copied into ``memory_format`` (e.g.
    ``channels_last_3d``), in place, as ``torch.nn.utils.convert_conv3d_weight_memory_format``.

    Args:
        module (Module): the model. memory_format: the layout of the weights.

    Returns:
        ``module`` itself, its weights the same Parameters with the same values.
    """
    from ..modules.conv import Conv3d, ConvTranspose3d
    return _convert(module, memory_format, (Conv3d, ConvTranspose3d))
