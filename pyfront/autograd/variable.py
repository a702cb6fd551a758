"""``Variable``: PyTorch's pre-0.4 wrapper, now a function that returns a Tensor (as torch keeps it)."""
from __future__ import annotations


class _VariableMeta(type):
    def __instancecheck__(cls, other) -> bool:
        from ..tensor import Tensor
        return isinstance(other, Tensor)


class Variable(metaclass=_VariableMeta):
    """``Variable(data, requires_grad=False)``: ``data`` detached (same storage), ``requires_grad`` set."""

    def __new__(cls, data, requires_grad: bool = False, volatile: bool = False):
        from .._warnings import warn
        from ..tensor import Tensor
        if volatile:
            warn("volatile was removed and now has no effect. Use `with torch.no_grad():` instead.")
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        return data.detach().requires_grad_(requires_grad)
