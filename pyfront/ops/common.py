"""Helpers shared by the op families: turning arguments into tensors of one dtype and device."""
from __future__ import annotations

from collections import OrderedDict

from .. import dtypes as dt
from ..backends import get_backend
from ..tensor import Tensor


MAX_SCALARS = 512
_SCALARS: OrderedDict = OrderedDict()  # least recently used first


def scalar_tensor(value, dtype, device) -> Tensor:
    """A 0-d tensor for a Python number operand; it ranks below tensors in type promotion.

    These are never written to or exposed, so the recent (number, dtype, device) are kept: on a GPU
    that saves a fill kernel for every ``x * 2.0``, while a new number each step (a learning-rate
    schedule) only replaces the least recently used. The key spells the number with its type and
    repr, so 1, 1.0, True and -0.0 stay apart.
    """
    backend = get_backend(device)
    key = (backend, type(value), repr(value), dtype)
    t = _SCALARS.pop(key, None)  # popped and put back as the most recent (safe between threads)
    if t is None:
        t = Tensor._make(backend.full((), value, dtype), (), dtype)
        t._wrapped_number = True
    _SCALARS[key] = t
    while len(_SCALARS) > MAX_SCALARS:
        _SCALARS.popitem(last=False)
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
