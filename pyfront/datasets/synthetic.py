"""Synthetic 2-D classification sets, made with tensor ops so they work on every device.

Random draws come from pyfront's Philox stream: pass a seeded ``pyfront.Generator`` for a fixed set.
"""
from __future__ import annotations

import math

from .. import dtypes as dt
from ..device import as_device
from ..ops.composite.shaping import stack
from ..ops.creation import full, linspace, randn, randperm
from ..ops.primitives.shaping import cat
from ..tensor import Tensor

__all__ = ["make_moons", "make_spirals"]


def _finish(points: list[Tensor], counts: list[int], shuffle: bool, noise: float | None, generator,
            device) -> tuple[Tensor, Tensor]:
    X = cat(points)
    y = cat([full((n,), k, dtype=dt.int64, device=device) for k, n in enumerate(counts)])
    if shuffle:
        order = randperm(len(y), generator=generator, device=device)
        X, y = X[order], y[order]
    if noise:
        X = X + noise * randn(X.shape, generator=generator, device=device)
    return X, y


def _check(n_samples: int, noise: float | None) -> None:
    if not isinstance(n_samples, int) or n_samples < 0:
        raise ValueError(f"n_samples must be a non-negative int, but got n_samples={n_samples!r}")
    if noise is not None and noise < 0:
        raise ValueError(f"noise must be non-negative, but got noise={noise}")


def make_moons(n_samples: int | tuple[int, int] = 100, *, shuffle: bool = True, noise: float | None = None,
               generator=None, device=None) -> tuple[Tensor, Tensor]:
    """Two interleaving half circles, as scikit-learn's ``make_moons``.

    Args:
        n_samples: the number of points, split as evenly as possible (the outer moon gets the smaller
            half), or a pair ``(n_outer, n_inner)``.
        shuffle: shuffle the points (otherwise the outer moon comes first).
        noise: standard deviation of Gaussian noise added to the coordinates.
        generator: the ``pyfront.Generator`` for the shuffle and the noise.
        device: where to create the tensors.

    Returns:
        X: float32 ``[n_samples, 2]``; y: int64 ``[n_samples]``, 0 for the outer moon, 1 for the inner.
    """
    if isinstance(n_samples, int):
        _check(n_samples, noise)
        n_out, n_in = n_samples // 2, n_samples - n_samples // 2
    else:
        n_out, n_in = n_samples
        _check(n_out, noise)
        _check(n_in, noise)
    device = as_device(device)
    t_out = linspace(0, math.pi, n_out, device=device)
    t_in = linspace(0, math.pi, n_in, device=device)
    outer = stack([t_out.cos(), t_out.sin()], 1)
    inner = stack([1 - t_in.cos(), 1 - t_in.sin() - 0.5], 1)
    return _finish([outer, inner], [n_out, n_in], shuffle, noise, generator, device)


def make_spirals(n_samples: int = 100, n_classes: int = 2, *, turns: float = 1.0, shuffle: bool = True,
                 noise: float | None = None, generator=None, device=None) -> tuple[Tensor, Tensor]:
    """``n_classes`` interleaved spiral arms from the origin out to radius 1.

    Args:
        n_samples: the number of points, split as evenly as possible between the arms.
        n_classes: the number of arms (one class each).
        turns: how many full turns each arm makes.
        shuffle: shuffle the points (otherwise arm 0 comes first).
        noise: standard deviation of Gaussian noise added to the coordinates.
        generator: the ``pyfront.Generator`` for the shuffle and the noise.
        device: where to create the tensors.

    Returns:
        X: float32 ``[n_samples, 2]``; y: int64 ``[n_samples]``, the arm of each point.
    """
    _check(n_samples, noise)
    if not isinstance(n_classes, int) or n_classes < 1:
        raise ValueError(f"n_classes must be a positive int, but got n_classes={n_classes!r}")
    device = as_device(device)
    counts = [n_samples // n_classes + (k < n_samples % n_classes) for k in range(n_classes)]
    arms = []
    for k, n in enumerate(counts):
        r = linspace(0.0, 1.0, n, device=device)
        theta = r * (2 * math.pi * turns) + 2 * math.pi * k / n_classes  # arms start evenly spaced
        arms.append(stack([r * theta.cos(), r * theta.sin()], 1))
    return _finish(arms, counts, shuffle, noise, generator, device)
