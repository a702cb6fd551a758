"""``nn.Parameter`` and ``nn.Buffer``: tensors a Module registers when they are assigned to it."""

from __future__ import annotations

from ..ops.creation import empty
from ..tensor import Tensor

__all__ = ["Parameter", "Buffer"]


class Parameter(Tensor):
    """A Tensor that a Module lists in ``parameters()`` when assigned as an attribute.

    Args:
        data (Tensor): the values; the parameter shares their memory, without their history.
        requires_grad (bool): whether it requires gradient (also under ``no_grad``). Default: True
    """

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True):
        if data is None:
            data = empty(0)
        if requires_grad and not data.dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        # same storage, strides and version counter as ``data``, but a leaf of its own (PyTorch's
        # _make_subclass): ops on it return plain Tensors, since Tensor._make builds those
        p = cls._make(data._storage, data._shape, data.dtype, data._strides, data._offset)
        data._storage.share(data, p)
        p._inference = data._inference  # an alias of data: an inference tensor refuses requires_grad below
        p._set_requires_grad(requires_grad, "")
        return p

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.data.clone(), self.requires_grad)
        memo[id(self)] = result
        return result

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class _BufferMeta(type):
    # ``Buffer(...)`` returns a plain Tensor marked ``_is_buffer``; isinstance recognises the mark
    def __instancecheck__(cls, instance) -> bool:
        return isinstance(instance, Tensor) and getattr(instance, "_is_buffer", False)


class Buffer(metaclass=_BufferMeta):
    """A Tensor that a Module lists in ``buffers()`` (and, if persistent, its state_dict) when assigned.

    Args:
        data (Tensor): the values (shared, detached).
        persistent (bool): whether it is part of the module's state_dict. Default: True
    """

    def __new__(cls, data: Tensor | None = None, *, persistent: bool = True):
        if data is None:
            data = empty(0)
        t = data.detach().requires_grad_(data.requires_grad)
        t.persistent = persistent
        t._is_buffer = True
        return t
