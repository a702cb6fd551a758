"""Reductions over dims, with ``keepdim``; their VJPs broadcast the gradient back."""
from __future__ import annotations

from ... import dtypes as dt
from ...shape import normalize_dims
from ..dispatch import apply
from ..registry import OpDef, register

__all__ = ["sum"]
METHODS = "sum sum_to_size"
INPLACE = ""


def reduced_shape(shape, dims, keepdim):
    if keepdim:
        return tuple(1 if d in dims else n for d, n in enumerate(shape))
    return tuple(n for d, n in enumerate(shape) if d not in dims)


def unsqueeze_to(g, shape, dims):
    """Undo a keepdim=False reduction on ``g`` so that it broadcasts against ``shape``."""
    return g.reshape(reduced_shape(shape, dims, True))


def _reduce_infer(out_dtype=None):
    def rule(x, dims, keepdim, **attrs):
        return [(reduced_shape(x.shape, dims, keepdim), out_dtype or x.dtype)]
    return rule


_sum = register(OpDef(
    "sum", "reduction", _reduce_infer(), lambda np, x, dims, keepdim: np.sum(x, axis=dims, keepdims=keepdim),
    lambda c, g: (unsqueeze_to(g, c.input_shapes[0], c.attrs["dims"]).expand(c.input_shapes[0]),),
    torch_name="sum"))


def sum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum over ``dim`` (all dims when None); integer and bool inputs sum as int64, like PyTorch."""
    if dtype is not None:
        input = input.to(dtype)
    elif not input.dtype.is_floating_point:
        input = input.to(dt.int64)
    return apply(_sum, input, dims=normalize_dims(dim, input.dim()), keepdim=keepdim)


def sum_to_size(input, *size):
    """Sum ``input`` down to the broadcast-compatible ``size`` (how broadcast gradients shrink)."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    size = tuple(size)
    lead = input.dim() - len(size)
    dims = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(size)
                                      if n == 1 and input.shape[lead + i] != 1)
    if not dims:
        return input.reshape(size) if tuple(input.shape) != size else input
    out = apply(_sum, input, dims=dims, keepdim=True)
    return out.reshape(size)
