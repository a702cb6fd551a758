"""``Tensor.resize_`` / ``resize_as_``: the old way to reshape a buffer in place (dcgan-era scripts do
``input.data.resize_(batch.size()).copy_(batch)``).

As PyTorch: the same shape is a no-op; another shape gives contiguous strides over the same memory
from the storage offset, a larger one grows the memory (the old values first, the new ones unset);
a tensor that requires grad refuses. Unlike PyTorch, pyfront cannot grow memory that another tensor
(a view, an alias) also reads, nor reinterpret a non-contiguous tensor's memory in a new shape: both
raise RuntimeError rather than leave the other tensors looking at stale memory.
"""
from __future__ import annotations

import math

from ..autograd.grad_mode import no_grad
from ..shape import contiguous_strides
from ..tensor import Tensor


def resize_(self, *sizes, memory_format=None):
    """Gives ``self`` the shape ``sizes`` in place, as ``torch.Tensor.resize_`` (see the module)."""
    shape = tuple(sizes[0]) if len(sizes) == 1 and not isinstance(sizes[0], int) else tuple(sizes)
    if self.requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    if any(n < 0 for n in shape):
        raise RuntimeError("numel: integer multiplication overflow")  # PyTorch's text for a negative size
    if shape == tuple(self.shape):
        return self
    n = math.prod(shape)
    with no_grad():
        if self.is_contiguous() and n <= self.numel():
            # the same memory seen anew (self's own base, so no view of itself)
            strides = contiguous_strides(shape)
            self.data = Tensor._make(self._storage, shape, self.dtype, strides, self._offset, self._base)
            return self
        if not self.is_contiguous():
            raise RuntimeError("pyfront cannot resize_ a non-contiguous tensor to a new shape (PyTorch "
                               "reinterprets its memory); call .contiguous() first")
        if not self._storage.alone(self):
            raise RuntimeError("pyfront cannot grow memory that another tensor (a view or an alias) also "
                               "reads; resize a tensor that owns its memory, or use torch.empty")
        grown = self.new_empty((n,))
        grown[: self.numel()] = self.reshape(-1)
        self.data = grown.view(shape)
    return self


def resize_as_(self, the_template, memory_format=None):
    """``self.resize_(the_template.shape)``, as ``torch.Tensor.resize_as_``."""
    return resize_(self, the_template.shape)
