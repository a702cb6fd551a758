"""Flatten and Unflatten layers."""

from __future__ import annotations

from ...tensor import Tensor
from .module import Module

__all__ = ["Flatten", "Unflatten"]


class Flatten(Module):
    """Flattens dims ``start_dim`` to ``end_dim`` into one (by default all but the batch dim).

    Args:
        start_dim (int): the first dim to flatten. Default: 1
        end_dim (int): the last dim to flatten. Default: -1

    Shape:
        input: ``(*, S_start, ..., S_end, *)``; output: ``(*, S_start * ... * S_end, *)``; e.g. ``(N, C, H,
            W)`` gives ``(N, C * H * W)``.

    Raises:
        IndexError: (in forward) a dim out of range (from ``Tensor.flatten``).

    Matches ``torch.nn.Flatten``.
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Expands dim ``dim`` of the input into the shape ``unflattened_size``.

    Args:
        dim (int): the dim to expand.
        unflattened_size (tuple or list of int): the new dims; their product is the size of ``dim`` (one may
            be -1).

    Shape:
        input: ``(*, S_dim, *)``; output: ``(*, U_1, ..., U_n, *)`` with ``prod(U) = S_dim``.

    Raises:
        TypeError: ``unflattened_size`` is not a tuple or list of ints.
        RuntimeError: (in forward) sizes whose product differs from the dim's size.

    Matches ``torch.nn.Unflatten``.
    """

    def __init__(self, dim: int, unflattened_size) -> None:
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError(
                f"unflattened_size must be a tuple of ints, but found type {type(unflattened_size).__name__}"
            )
        for idx, elem in enumerate(unflattened_size):
            if not isinstance(elem, int):
                raise TypeError(
                    f"unflattened_size must be tuple of ints, but found element of type "
                    f"{type(elem).__name__} at pos {idx}"
                )
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, input: Tensor) -> Tensor:
        return input.unflatten(self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
