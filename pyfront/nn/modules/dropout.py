"""Dropout layers: active in training mode, the identity in eval mode."""

from __future__ import annotations

from ...tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"]


class _DropoutNd(Module):
    _fn = None

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return type(self)._fn(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Zeroes each element with probability ``p`` and scales the rest by ``1 / (1 - p)``.

    Active in training mode only; in eval mode (``model.eval()``) it returns its input.

    ``y = x * m / (1 - p)``, ``m ~ Bernoulli(1 - p)`` drawn afresh for every call, so the mean is kept.

    Args:
        p (float): the probability of dropping an element, in ``[0, 1]``. Default: 0.5
        inplace (bool): overwrite the input. Default: False

    Shape:
        input: ``(*)``, any shape; output: ``(*)``, the same shape.

    Raises:
        ValueError: ``p`` outside ``[0, 1]``.

    Matches ``torch.nn.Dropout``; its forward calls ``F.dropout`` (whose errors it raises).
    """

    _fn = F.dropout


class Dropout1d(_DropoutNd):
    """Zeroes whole channels with probability ``p`` and scales the rest by ``1 / (1 - p)``.

    Active in training mode only; in eval mode (``model.eval()``) it returns its input.

    One Bernoulli draw per (sample, channel) of an input with 1 spatial dim, a channel dim and an optional
    batch dim.

    Args:
        p (float): the probability of dropping a channel, in ``[0, 1]``. Default: 0.5
        inplace (bool): overwrite the input. Default: False

    Shape:
        input: ``(N, C, L)`` or ``(C, L)``; output: the same shape.

    Raises:
        ValueError: ``p`` outside ``[0, 1]``.
        RuntimeError: ``input`` is not 2-dim or 3-dim.

    Matches ``torch.nn.Dropout1d``; its forward calls ``F.dropout1d`` (whose errors it raises).
    """
    _fn = F.dropout1d


class Dropout2d(_DropoutNd):
    """Zeroes whole channels with probability ``p`` and scales the rest by ``1 / (1 - p)``.

    Active in training mode only; in eval mode (``model.eval()``) it returns its input.

    One Bernoulli draw per (sample, channel) of an input with 2 spatial dims, a channel dim and an optional
    batch dim.

    Args:
        p (float): the probability of dropping a channel, in ``[0, 1]``. Default: 0.5
        inplace (bool): overwrite the input. Default: False

    Shape:
        input: ``(N, C, H, W)`` or ``(C, H, W)``; output: the same shape.

    Raises:
        ValueError: ``p`` outside ``[0, 1]``.
        RuntimeError: ``input`` is not 3-dim or 4-dim.

    Matches ``torch.nn.Dropout2d``; its forward calls ``F.dropout2d`` (whose errors it raises).
    """
    _fn = F.dropout2d


class Dropout3d(_DropoutNd):
    """Zeroes whole channels with probability ``p`` and scales the rest by ``1 / (1 - p)``.

    Active in training mode only; in eval mode (``model.eval()``) it returns its input.

    One Bernoulli draw per (sample, channel) of an input with 3 spatial dims, a channel dim and an optional
    batch dim.

    Args:
        p (float): the probability of dropping a channel, in ``[0, 1]``. Default: 0.5
        inplace (bool): overwrite the input. Default: False

    Shape:
        input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``; output: the same shape.

    Raises:
        ValueError: ``p`` outside ``[0, 1]``.
        RuntimeError: ``input`` is not 4-dim or 5-dim.

    Matches ``torch.nn.Dropout3d``; its forward calls ``F.dropout3d`` (whose errors it raises).
    """
    _fn = F.dropout3d


class AlphaDropout(_DropoutNd):
    """Alpha dropout: drops elements with probability ``p`` while keeping SELU's mean and variance.

    Active in training mode only; in eval mode (``model.eval()``) it returns its input.

    Each dropped units are set to SELU's negative saturation ``-scale * alpha`` and the result is then
    transformed affinely (``a * y + b``) so that zero mean and unit variance are kept.

    Args:
        p (float): the probability of dropping an element, in ``[0, 1]``. Default: 0.5
        inplace (bool): overwrite the input. Default: False

    Shape:
        input: ``(*)``, any shape; output: ``(*)``, the same shape.

    Raises:
        ValueError: ``p`` outside ``[0, 1]``.

    Matches ``torch.nn.AlphaDropout``; its forward calls ``F.alpha_dropout`` (whose errors it raises).
    """
    _fn = F.alpha_dropout


class FeatureAlphaDropout(_DropoutNd):
    """Alpha dropout of whole channels: one draw per (sample, channel) of ``(N, C, *)``.

    Active in training mode only; in eval mode (``model.eval()``) it returns its input.

    As ``alpha_dropout``, dropped units are set to SELU's negative saturation ``-scale * alpha`` and the
    result is then transformed affinely (``a * y + b``) so that zero mean and unit variance are kept.

    Args:
        p (float): the probability of dropping a channel, in ``[0, 1]``. Default: 0.5
        inplace (bool): overwrite the input. Default: False

    Shape:
        input: ``(N, C, *)``; output: the same shape.

    Raises:
        ValueError: ``p`` outside ``[0, 1]``.

    Matches ``torch.nn.FeatureAlphaDropout``; its forward calls ``F.feature_alpha_dropout`` (whose errors it
    raises).
    """
    _fn = F.feature_alpha_dropout
