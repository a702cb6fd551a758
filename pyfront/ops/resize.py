"""``Tensor.resize_`` / ``resize_as_``: the old way to reshape a buffer in place (dcgan-era scripts do
``input.data.resize_(batch.size()).copy_(batch)``).

As PyTorch: the same shape is a no-op; another shape that fits the storage from the tensor's offset
gives contiguous strides over that memory (a strided tensor's memory reinterpreted, as torch's), a
larger one grows the memory (the old values first, the new ones unset); a tensor that requires grad
refuses. Unlike PyTorch, pyfront cannot grow memory that another tensor (a view, an alias) also
reads: that raises RuntimeError rather than leave the other tensors looking at stale memory.
"""
from __future__ import annotations

import functools
import math
import operator

from .. import _warnings
from .. import dtypes as dt
from ..autograd.grad_mode import _state, no_grad
from ..shape import contiguous_strides, extent, refuse_symbolic
from ..storage import elements
from ..strides_order import format_strides
from ..tensor import Tensor, raise_inplace_on_inference


def resize_(self, *sizes, memory_format=None, size=None):
    """Gives ``self`` the shape ``sizes`` in place, as ``torch.Tensor.resize_`` (see the module); in
    ``memory_format``'s strides where one is given."""
    from .creation import int_tuple, require_args
    from .memory_formats import format_name, memory_format_arg
    memory_format_arg("resize_", memory_format)
    if size is not None:  # torch's keyword form x.resize_(size=...)
        sizes = (size,)
    require_args(sizes, "resize_")
    shape = int_tuple(sizes, "resize_")  # torch's parse: a bool is refused first and read as 0 or 1 after
    if memory_format is None:
        return _resized(self, shape)
    name = format_name(memory_format)
    if name == "preserve_format":
        raise RuntimeError("Unsupported memory formatPreserve")  # (torch's text, without its space)
    return _restrided(_resized(self, shape), format_strides(shape, name))


def _restrided(self, strides):
    """``self`` seeing its memory with ``strides`` (the same elements, as torch's restride: no data moves)."""
    if tuple(strides) != self._strides:
        self.data = Tensor._make(self._storage, self._shape, self.dtype, strides, self._offset, self._base)
    return self


def _resized(self, shape):
    if self.requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    if any(n < 0 for n in shape):
        refuse_symbolic("resize_", shape)
        raise RuntimeError("numel: integer multiplication overflow")  # PyTorch's text for a negative size
    if shape == tuple(self.shape):
        return self  # nothing changes: torch lets an inference tensor through too
    if self._inference and not _state.inference:
        raise_inplace_on_inference()
    n = math.prod(shape)
    room = elements(self._storage, self.dtype) - self._offset  # the memory from self's offset on
    with no_grad():
        if n <= room:
            # the same memory seen with contiguous strides from the offset, as torch (a strided tensor's
            # memory is reinterpreted; a shrunk one grown back within its storage has its old values)
            strides = contiguous_strides(shape)
            self.data = Tensor._make(self._storage, shape, self.dtype, strides, self._offset, self._base)
            return self
        if not self._storage.alone(self):
            raise RuntimeError("pyfront cannot grow memory that another tensor (a view or an alias) also "
                               "reads; resize a tensor that owns its memory, or use torch.empty")
        flat = Tensor._make(self._storage, (room,), self.dtype, None, self._offset)
        grown = flat.new_empty((n,))
        grown[:room] = flat
        self.data = grown.view(shape)
    return self


def resize_as_(self, the_template, memory_format=None):
    """``self.resize_(the_template.shape)``, as ``torch.Tensor.resize_as_``."""
    from .memory_formats import format_name, memory_format_arg, suggested
    memory_format_arg("resize_as_", memory_format)
    if memory_format is None:
        return resize_(self, the_template.shape)
    name = format_name(memory_format)
    if name == "preserve_format":  # the format the template's strides suggest
        name = suggested(the_template)
    strides = format_strides(the_template.shape, name)
    return _restrided(resize_(self, the_template.shape), strides)


def resize(self, *sizes):
    """The deprecated out-of-place ``resize``: ``self`` reshaped (differentiably) to ``sizes``, which must
    hold as many elements, as torch's autograd ``Resize`` (it multiplies ``sizes`` as given)."""
    _warnings.warn("non-inplace resize is deprecated")
    return _autograd_resize(self, sizes)


def resize_as(self, tensor):
    """The deprecated out-of-place ``resize_as``: ``self`` reshaped to ``tensor``'s shape."""
    _warnings.warn("non-inplace resize_as is deprecated")
    return _autograd_resize(self, tuple(tensor.shape))


def _autograd_resize(self, sizes):
    total = functools.reduce(operator.mul, sizes, 1)
    if total != self.numel():
        raise RuntimeError(
            f"requested resize to {'x'.join(map(str, sizes))} ({total} elements in total), but the given "
            f"tensor has a size of {'x'.join(map(str, self.shape))} ({self.numel()} elements). autograd's "
            "resize can only change the shape of a given tensor, while preserving the number of elements. ")
    return self.reshape(sizes)


_VIEW_ARGS = "int storage_offset, tuple of ints size, tuple of ints stride = None"
_SET_SIGNATURES = (f" * ()\n * (torch.Storage source)\n * (torch.Storage source, {_VIEW_ARGS})\n"
                   f" * (Tensor source)\n * (Tensor source, {_VIEW_ARGS})\n")


def set_(self, source=None, storage_offset=0, size=None, stride=None):
    """Makes ``self`` read ``source``'s memory in place, as ``torch.Tensor.set_``.

    ``set_(tensor)`` takes the tensor's storage, offset, shape and strides; ``set_(storage)`` the whole
    storage (an ``untyped_storage()``) as a 1-d tensor; ``set_(source, storage_offset, size, stride=None)``
    that view of it (contiguous strides where ``stride`` is None); ``set_()`` an empty storage. A view
    past the storage's end raises RuntimeError, where torch grows the storage (see the README). Raises
    RuntimeError, with torch's text, for a source of another dtype or device, a negative offset or
    size, sizes and strides of unequal length, and on a leaf that requires grad while grad mode is on;
    TypeError for a source that is neither.
    """
    from ..backends import get_backend
    from ..backends.storage import Storage
    from ..storage import backend_storage
    viewed, source = source, backend_storage(source)  # a user's Untyped/TypedStorage: the memory under it
    if self._inference and not _state.inference:
        raise_inplace_on_inference()
    if source is None:
        storage = get_backend(self.device).from_list([], self.dtype)
        offset, shape, strides = 0, (0,), (1,)
    elif isinstance(source, (Tensor, Storage)):
        if isinstance(source, Tensor):
            if source.dtype is not self.dtype:
                raise RuntimeError(f"Could not set tensor of type {dt.cpp_name(source.dtype)} to a tensor "
                                   f"of type {dt.cpp_name(self.dtype)}")
            storage = source._storage
            whole = (source._offset, tuple(source._shape), source._strides)
        else:
            storage = source
            whole = (0, (elements(source, self.dtype),), (1,))
            # the elements' dtype: the user's storage knows it (its tensor's); a bare cpu storage holds a
            # NumPy array of them (webgpu's holds a buffer)
            held = viewed.untyped()._dtype if viewed is not source else getattr(storage.data, "dtype", None)
            if held is not None and held.name != self.dtype.name:
                # torch reads the storage's bytes as the tensor's dtype: pyfront's storages are typed, so a
                # storage over the same memory reads them so (as view(dtype) does)
                from .bit_views import reinterpreted_storage
                storage = reinterpreted_storage(source, dt._by_name(held.name), self.dtype)
                whole = (0, (elements(storage, self.dtype),), (1,))
        if source.device != self.device:
            raise RuntimeError(f'Attempted to set the storage of a tensor on device "{self.device}" to a '
                               f'storage on different device "{source.device}".  This is no longer allowed; '
                               "the devices must match.")
        if size is None:
            offset, shape, strides = whole
        else:
            offset, shape = storage_offset, tuple(size)
            strides = contiguous_strides(shape) if stride is None else tuple(stride)
    else:
        raise TypeError(f"set_() received an invalid combination of arguments - got "
                        f"({type(source).__name__}), but expected one of:\n{_SET_SIGNATURES}")
    if len(shape) != len(strides):
        raise RuntimeError(f"unequal size length ({len(shape)}) and stride length ({len(strides)})")
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset}")
    if any(n < 0 for n in shape):
        raise RuntimeError("numel: integer multiplication overflow")
    if _state.enabled and self._requires_grad:
        self._check_inplace_allowed()  # a leaf that requires grad refuses, as any in-place op
    if _state.enabled and (self.grad_fn is not None or isinstance(source, Tensor) and source.requires_grad):
        # torch records a node whose backward raises; pyfront refuses here rather than keep a wrong history
        raise RuntimeError("pyfront: set_() on a tensor with autograd history, or from a source that "
                           "requires grad, is not differentiable (torch's derivative for set_ is not "
                           "implemented either); call it under torch.no_grad() or on .data")
    needed = extent(shape, strides, offset) if 0 not in shape else 0
    if needed > elements(storage, self.dtype):
        if storage.exported:
            raise RuntimeError("Trying to resize storage that is not resizable")
        # torch grows the storage under every tensor that reads it; pyfront's tensors know their storage's
        # extent (Layout.whole), so it refuses rather than leave them reading a stale one
        raise RuntimeError("pyfront cannot grow a storage that other tensors read: set_() a view within "
                           "the source's storage, or make a larger tensor first")
    with no_grad():
        self.data = Tensor._make(storage, shape, self.dtype, strides, offset)
    self._base = None
    self._vc.version += 1
    return self
