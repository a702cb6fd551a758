"""``Tensor.resize_`` / ``resize_as_``: the old way to reshape a buffer in place (dcgan-era scripts do
``input.data.resize_(batch.size()).copy_(batch)``).

As PyTorch: the same shape is a no-op; another shape that fits the storage from the tensor's offset
gives contiguous strides over that memory (a strided tensor's memory reinterpreted, as torch's), a
larger one grows the memory (the old values first, the new ones unset); a tensor that requires grad
refuses. Unlike PyTorch, pyfront cannot grow memory that another tensor (a view, an alias) also
reads: that raises RuntimeError rather than leave the other tensors looking at stale memory.
"""
from __future__ import annotations

import math

from ..autograd.grad_mode import _state, no_grad
from ..shape import contiguous_strides
from ..tensor import Tensor, raise_inplace_on_inference


def resize_(self, *sizes, memory_format=None):
    """Gives ``self`` the shape ``sizes`` in place, as ``torch.Tensor.resize_`` (see the module)."""
    shape = tuple(sizes[0]) if len(sizes) == 1 and not isinstance(sizes[0], int) else tuple(sizes)
    if self.requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    if any(n < 0 for n in shape):
        raise RuntimeError("numel: integer multiplication overflow")  # PyTorch's text for a negative size
    if shape == tuple(self.shape):
        return self  # nothing changes: torch lets an inference tensor through too
    if self._inference and not _state.inference:
        raise_inplace_on_inference()
    n = math.prod(shape)
    room = self._storage.nbytes // self.dtype.itemsize - self._offset  # the memory from self's offset on
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
    return resize_(self, the_template.shape)
