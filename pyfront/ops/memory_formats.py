"""torch's ``memory_format`` arguments: copies in an asked layout, fresh tensors laid out like another,
``is_contiguous(memory_format=)``. The stride rules themselves are pure functions in strides_order.py."""
from __future__ import annotations

from ..strides_order import check_format_rank, format_strides, is_contiguous_as, preserved_strides, \
    suggested_format
from ..tensor import Tensor


def format_name(memory_format) -> str:
    """The name of ``memory_format`` (None: preserve_format, torch's default)."""
    if memory_format is None:
        return "preserve_format"
    name = getattr(memory_format, "name", None)
    if name not in ("preserve_format", "contiguous_format", "channels_last", "channels_last_3d"):
        raise TypeError(f"expected torch.memory_format, but got {type(memory_format).__name__}")
    return name


def asked_strides(t, memory_format):
    """The strides a copy of ``t`` in ``memory_format`` takes (None: contiguous), the format checked."""
    name = format_name(memory_format)
    if name == "preserve_format":
        return preserved_strides(t._shape, t._strides)
    if name == "contiguous_format":
        return None
    return format_strides(t._shape, name)


def copy_as(op, t, memory_format, **attrs):
    """``op`` (a copy: clone, a cast) of ``t`` laid out in ``memory_format``."""
    from .dispatch import apply, apply_as
    if memory_format is None or format_name(memory_format) == "preserve_format":
        return apply(op, t, **attrs)
    return apply_as(op, asked_strides(t, memory_format), t, **attrs)


def is_contiguous_in(t, memory_format) -> bool:
    """``t.is_contiguous(memory_format=)``, as torch's."""
    name = format_name(memory_format)
    if name in ("contiguous_format", "preserve_format"):  # torch reads preserve_format as the default
        return t._contiguous
    return is_contiguous_as(t._shape, t._strides, name)


def contiguous_as(t, memory_format):
    """``t.contiguous(memory_format=)``: ``t`` where it is already, else a copy in that format."""
    name = format_name(memory_format) if memory_format is not None else "contiguous_format"
    if name == "preserve_format" and not t._contiguous:
        raise RuntimeError("preserve memory format is unsupported by the contiguous operator")
    check_format_rank(name, t.dim())
    return t if is_contiguous_in(t, memory_format) else t.clone(memory_format=memory_format)


def keeps_format(t, memory_format) -> bool:
    """Whether ``t.to(memory_format=)`` with no other change returns ``t`` itself, as torch's (which asks
    which format the strides suggest, not whether they are contiguous in it)."""
    name = format_name(memory_format)
    return name == "preserve_format" or suggested_format(t._shape, t._strides) == name


def laid_like(out, input, memory_format):
    """``out``, a fresh contiguous tensor made for a ``*_like`` factory, over its own storage with the
    strides a copy of ``input`` in ``memory_format`` takes; a dense layout, filled in storage order as
    torch's."""
    name = format_name(memory_format)
    if name.startswith("channels"):
        check_format_rank(name, input.dim())
    strides = asked_strides(input, memory_format) if isinstance(input, Tensor) else None
    if strides is None:
        return out
    laid = Tensor._make(out._storage, out._shape, out.dtype, strides)
    laid._requires_grad = out._requires_grad
    return laid
