"""Helpers shared by the op families: turning arguments into tensors of one dtype and device."""
from __future__ import annotations

from .. import dtypes as dt
from ..backends import get_backend
from ..tensor import Tensor


def scalar_tensor(value, dtype, device) -> Tensor:
    """A 0-d tensor for a Python number operand; it ranks below tensors in type promotion."""
    t = Tensor._make(get_backend(device).full((), value, dtype), (), dtype)
    t._wrapped_number = True
    return t


def promote_args(args, float_only=False):
    """Cast the tensor operands to their common dtype and wrap Python numbers as 0-d tensors."""
    first = args[0]
    if isinstance(first, Tensor) and all(isinstance(a, Tensor) and a.dtype is first.dtype for a in args) \
            and (first.dtype.is_floating_point or not float_only):
        return args  # the common case: nothing to cast
    device = next(a.device for a in args if isinstance(a, Tensor))
    dtype = dt.result_type(*args)
    if float_only:
        dtype = dt.to_float(dtype)
    from .primitives.elementwise import to_dtype
    return [to_dtype(a, dtype) if isinstance(a, Tensor) else scalar_tensor(a, dtype, device) for a in args]


def as_tensor_like(value, like: Tensor) -> Tensor:
    """A Python number or Tensor as a Tensor on ``like``'s device."""
    if isinstance(value, Tensor):
        return value
    return scalar_tensor(value, dt.result_type(like, value), like.device)
