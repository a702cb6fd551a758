"""Flatten parameters into one vector and back."""

from __future__ import annotations

from typing import Iterable

from ...autograd.grad_mode import no_grad
from ...ops.primitives.shaping import cat
from ...tensor import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def _check_same_device(param: Tensor, device):
    if device is not None and param.device != device:
        raise TypeError("Found two parameters on different devices, this is currently not supported.")
    return param.device


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """Flattens the parameters and concatenates them into one 1-dim tensor.

    Args:
        parameters (iterable of Tensor): the parameters, all on one device.

    Shape:
        parameters: any shapes; output: ``(sum of numel,)``.

    Raises:
        TypeError: parameters on different devices.

    Matches ``torch.nn.utils.parameters_to_vector``.
    """
    device, vec = None, []
    for param in parameters:
        device = _check_same_device(param, device)
        vec.append(param.reshape(-1))
    return cat(vec)


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copies consecutive slices of the 1-dim ``vec`` into the parameters, in place.

    The inverse of ``parameters_to_vector``.

    Args:
        vec (Tensor): ``(sum of numel,)``, the values.
        parameters (iterable of Tensor): the parameters to overwrite, all on one device.

    Shape:
        vec: ``(sum of numel,)``; each parameter keeps its shape; returns None.

    Raises:
        TypeError: ``vec`` is not a Tensor, or parameters on different devices.

    Matches ``torch.nn.utils.vector_to_parameters``.
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    device, pointer = None, 0
    for param in parameters:
        device = _check_same_device(param, device)
        n = param.numel()
        with no_grad():
            param.copy_(vec[pointer : pointer + n].view_as(param))
        pointer += n
