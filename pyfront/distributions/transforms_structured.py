"""The transforms that act on pieces or the layout of a tensor, as ``torch.distributions.transforms``'
CatTransform, StackTransform, ReshapeTransform and CumulativeDistributionTransform: one transform per
block along a dim, a change of event shape, a distribution's cdf as a map onto (0, 1)."""

from __future__ import annotations

import math

from ..ops.composite.shaping import stack
from ..ops.primitives.shaping import cat
from ..shape import Size
from . import constraints
from .transforms import Transform
from .utils import sum_rightmost

__all__ = ["CatTransform", "CumulativeDistributionTransform", "ReshapeTransform", "StackTransform"]


def _check_parts(tseq):
    parts = list(tseq)
    if not all(isinstance(t, Transform) for t in parts):
        raise AssertionError("All elements of tseq must be Transform instances")
    return parts


def _check_dim(dim, t, what="tensor"):
    if not -t.dim() <= dim < t.dim():
        raise AssertionError(f"dim {dim} out of range for {what} with {t.dim()} dimensions")


class CatTransform(Transform):
    """``tseq[i]`` applied to the i-th block of ``lengths[i]`` entries along ``dim`` (one entry each when
    ``lengths`` is None), the results joined again as ``cat`` joins them.

    Raises AssertionError (as torch) when ``lengths`` and ``tseq`` differ in count, or an input's size
    along ``dim`` is not ``sum(lengths)``."""

    def __init__(self, tseq, dim=0, lengths=None, cache_size=0):
        self.transforms = _check_parts(tseq)
        if cache_size:
            self.transforms = [t.with_cache(cache_size) for t in self.transforms]
        super().__init__(cache_size=cache_size)
        self.lengths = [1] * len(self.transforms) if lengths is None else list(lengths)
        if len(self.lengths) != len(self.transforms):
            raise AssertionError(
                f"lengths ({len(self.lengths)}) must match transforms ({len(self.transforms)})"
            )
        self.dim = dim

    @property
    def event_dim(self):
        return max(t.event_dim for t in self.transforms)

    @property
    def length(self):
        return sum(self.lengths)

    def with_cache(self, cache_size=1):
        if self._cache_size == cache_size:
            return self
        return CatTransform(self.transforms, self.dim, self.lengths, cache_size)

    def _blocks(self, t, name="x"):
        """``t`` cut into the blocks along dim, after checking its size there."""
        _check_dim(self.dim, t, "tensor" if name == "x" else name)
        if t.size(self.dim) != self.length:
            raise AssertionError(
                f"{name}.size({self.dim}) = {t.size(self.dim)} must equal length {self.length}"
            )
        starts = [sum(self.lengths[:i]) for i in range(len(self.lengths))]
        return [t.narrow(self.dim, s, n) for s, n in zip(starts, self.lengths)]

    def _call(self, x):
        return cat([t(block) for t, block in zip(self.transforms, self._blocks(x))], self.dim)

    def _inverse(self, y):
        return cat([t.inv(block) for t, block in zip(self.transforms, self._blocks(y, "y"))], self.dim)

    def log_abs_det_jacobian(self, x, y):
        xs, ys = self._blocks(x, "x"), self._blocks(y, "y")
        parts = [
            sum_rightmost(t.log_abs_det_jacobian(a, b), self.event_dim - t.event_dim)
            for t, a, b in zip(self.transforms, xs, ys)
        ]
        # the joined dim, counted from the right of the jacobian (which has lost event_dim dims): a batch
        # dim keeps the blocks side by side, an event dim is summed over with them
        dim = (self.dim - x.dim() if self.dim >= 0 else self.dim) + self.event_dim
        return cat(parts, dim) if dim < 0 else sum(parts)

    bijective = property(lambda self: all(t.bijective for t in self.transforms))

    @constraints.dependent_property
    def domain(self):
        return constraints.cat([t.domain for t in self.transforms], self.dim, self.lengths)

    @constraints.dependent_property
    def codomain(self):
        return constraints.cat([t.codomain for t in self.transforms], self.dim, self.lengths)


class StackTransform(Transform):
    """``tseq[i]`` applied to ``x.select(dim, i)``, the results stacked again along ``dim``.

    Raises AssertionError (as torch) when an input's size along ``dim`` is not ``len(tseq)``."""

    def __init__(self, tseq, dim=0, cache_size=0):
        self.transforms = _check_parts(tseq)
        if cache_size:
            self.transforms = [t.with_cache(cache_size) for t in self.transforms]
        super().__init__(cache_size=cache_size)
        self.dim = dim

    def with_cache(self, cache_size=1):
        return (
            self if self._cache_size == cache_size else StackTransform(self.transforms, self.dim, cache_size)
        )

    def _slices(self, t, name="x", what="tensor"):
        _check_dim(self.dim, t, what)
        if t.size(self.dim) != len(self.transforms):
            raise AssertionError(
                f"{name}.size({self.dim}) = {t.size(self.dim)} must equal len(transforms) "
                f"{len(self.transforms)}"
            )
        return [t.select(self.dim, i) for i in range(len(self.transforms))]

    def _call(self, x):
        return stack([t(s) for t, s in zip(self.transforms, self._slices(x))], self.dim)

    def _inverse(self, y):
        return stack([t.inv(s) for t, s in zip(self.transforms, self._slices(y, "y"))], self.dim)

    def log_abs_det_jacobian(self, x, y):
        pairs = zip(self.transforms, self._slices(x, "x", "x"), self._slices(y, "y", "y"))
        return stack([t.log_abs_det_jacobian(a, b) for t, a, b in pairs], self.dim)

    bijective = property(lambda self: all(t.bijective for t in self.transforms))

    @constraints.dependent_property
    def domain(self):
        return constraints.stack([t.domain for t in self.transforms], self.dim)

    @constraints.dependent_property
    def codomain(self):
        return constraints.stack([t.codomain for t in self.transforms], self.dim)


class ReshapeTransform(Transform):
    """The right-most ``in_shape`` of a tensor laid out as ``out_shape`` (the same number of elements);
    volume-preserving, so its log|det J| is zero over the batch.

    Raises ValueError when the shapes' sizes differ, or an input does not end in the expected shape."""

    bijective = True

    def __init__(self, in_shape, out_shape, cache_size=0):
        self.in_shape, self.out_shape = Size(in_shape), Size(out_shape)
        if math.prod(self.in_shape) != math.prod(self.out_shape):
            raise ValueError("in_shape, out_shape have different numbers of elements")
        super().__init__(cache_size=cache_size)

    @constraints.dependent_property
    def domain(self):
        return constraints.independent(constraints.real, len(self.in_shape))

    @constraints.dependent_property
    def codomain(self):
        return constraints.independent(constraints.real, len(self.out_shape))

    def with_cache(self, cache_size=1):
        if self._cache_size == cache_size:
            return self
        return ReshapeTransform(self.in_shape, self.out_shape, cache_size=cache_size)

    def _call(self, x):
        batch = tuple(x.shape[: x.dim() - len(self.in_shape)])
        return x.reshape(batch + tuple(self.out_shape))

    def _inverse(self, y):
        batch = tuple(y.shape[: y.dim() - len(self.out_shape)])
        return y.reshape(batch + tuple(self.in_shape))

    def log_abs_det_jacobian(self, x, y):
        return x.new_zeros(tuple(x.shape[: x.dim() - len(self.in_shape)]))

    @staticmethod
    def _swap_tail(shape, old, new):
        if len(shape) < len(old):
            raise ValueError("Too few dimensions on input")
        cut = len(shape) - len(old)
        if tuple(shape[cut:]) != tuple(old):
            raise ValueError(f"Shape mismatch: expected {tuple(shape[cut:])} but got {old}")
        return Size(tuple(shape[:cut]) + tuple(new))

    def forward_shape(self, shape):
        return self._swap_tail(shape, self.in_shape, self.out_shape)

    def inverse_shape(self, shape):
        return self._swap_tail(shape, self.out_shape, self.in_shape)


class CumulativeDistributionTransform(Transform):
    """``y = distribution.cdf(x)``: from the distribution's support onto (0, 1), increasing; its inverse is
    the icdf and its log|det J| is the log density (the cdf's derivative)."""

    bijective = True
    codomain = constraints.unit_interval
    sign = +1

    def __init__(self, distribution, cache_size=0):
        super().__init__(cache_size=cache_size)
        self.distribution = distribution

    @property
    def domain(self):
        return self.distribution.support

    def with_cache(self, cache_size=1):
        if self._cache_size == cache_size:
            return self
        return CumulativeDistributionTransform(self.distribution, cache_size=cache_size)

    def _call(self, x):
        return self.distribution.cdf(x)

    def _inverse(self, y):
        return self.distribution.icdf(y)

    def log_abs_det_jacobian(self, x, y):
        return self.distribution.log_prob(x)
