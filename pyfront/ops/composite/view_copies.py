"""The ``*_copy`` spellings of the view functions (``torch.permute_copy``, ``torch.view_copy``, ...): the
view, then a contiguous copy of it, so the result never shares memory with ``input`` and autograd flows
through both steps. Arguments and errors are the view's own (PyTorch checks them the same way); ``out=``
comes from ``outarg``. Split and unbind give a tuple of copies, as torch's."""
from __future__ import annotations

from ...tensor import Tensor

METHODS = ""
INPLACE = ""
__all__ = [
    "alias_copy", "as_strided_copy", "detach_copy", "diagonal_copy", "expand_copy", "permute_copy",
    "select_copy", "slice_copy", "split_copy", "split_with_sizes_copy", "squeeze_copy", "t_copy",
    "transpose_copy", "unbind_copy", "unfold_copy", "unsqueeze_copy", "view_copy",
]


def _copy(view: Tensor) -> Tensor:
    from ...sparse import contiguous_format

    return view.clone(memory_format=contiguous_format)  # torch's copies are contiguous, whatever the view


def alias_copy(input: Tensor) -> Tensor:
    """A copy of ``input`` (torch's alias is a view of the whole tensor)."""
    return _copy(input)


def as_strided_copy(input: Tensor, size, stride, storage_offset=None) -> Tensor:
    """A copy of ``input.as_strided(size, stride, storage_offset)``."""
    return _copy(input.as_strided(size, stride, storage_offset))


def detach_copy(input: Tensor) -> Tensor:
    """A copy of ``input.detach()``. (torch's result claims requires_grad and fails on backward; pyfront's
    has no history.)"""
    return _copy(input.detach())


def diagonal_copy(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """A copy of ``input.diagonal(offset, dim1, dim2)``."""
    return _copy(input.diagonal(offset, dim1, dim2))


def expand_copy(input: Tensor, size, *, implicit: bool = False) -> Tensor:
    """A copy of ``input.expand(size)`` (every element written out)."""
    return _copy(input.expand(size))


def permute_copy(input: Tensor, dims) -> Tensor:
    """A copy of ``input.permute(dims)``."""
    return _copy(input.permute(dims))


def select_copy(input: Tensor, dim: int, index: int) -> Tensor:
    """A copy of ``input.select(dim, index)``. Raises IndexError with torch.select's text (pyfront's select
    words it as indexing ``x[:, i]`` does)."""
    if input.dim():
        size = input.shape[dim]
        if not -size <= index < size:
            raise IndexError(f"select(): index {index} out of range for tensor of size {list(input.shape)} "
                             f"at dimension {dim + input.dim() if dim < 0 else dim}")
    return _copy(input.select(dim, index))


def slice_copy(input: Tensor, dim: int = 0, start=None, end=None, step: int = 1) -> Tensor:
    """A copy of ``input`` sliced ``start:end:step`` along ``dim``."""
    from ..views import slice_dim

    return _copy(slice_dim(input, dim, start, end, step))


def split_copy(input: Tensor, split_size, dim: int = 0) -> tuple:
    """Copies of ``input.split(split_size, dim)``."""
    return tuple(_copy(t) for t in input.split(split_size, dim))


def split_with_sizes_copy(input: Tensor, split_sizes, dim: int = 0) -> tuple:
    """Copies of ``torch.split_with_sizes(input, split_sizes, dim)``."""
    from .scatters import split_with_sizes

    return tuple(_copy(t) for t in split_with_sizes(input, split_sizes, dim))


def squeeze_copy(input: Tensor, dim=None) -> Tensor:
    """A copy of ``input.squeeze(dim)`` (every size-1 dim when ``dim`` is None)."""
    return _copy(input.squeeze() if dim is None else input.squeeze(dim))


def t_copy(input: Tensor) -> Tensor:
    """A copy of ``input.t()``."""
    return _copy(input.t())


def transpose_copy(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """A copy of ``input.transpose(dim0, dim1)``."""
    return _copy(input.transpose(dim0, dim1))


def unbind_copy(input: Tensor, dim: int = 0) -> tuple:
    """Copies of ``input.unbind(dim)``."""
    return tuple(_copy(t) for t in input.unbind(dim))


def unfold_copy(input: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """A copy of ``input.unfold(dimension, size, step)``."""
    return _copy(input.unfold(dimension, size, step))


def unsqueeze_copy(input: Tensor, dim: int) -> Tensor:
    """A copy of ``input.unsqueeze(dim)``."""
    return _copy(input.unsqueeze(dim))


def view_copy(input: Tensor, size) -> Tensor:
    """A copy of ``input`` with shape ``size`` (any layout: torch's copy needs no view), or reinterpreted as
    the dtype ``size``."""
    from ...dtypes import dtype

    return _copy(input.view(size) if isinstance(size, dtype) else input.reshape(size))
