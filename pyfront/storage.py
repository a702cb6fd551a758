"""``torch.storage.TypedStorage``: what ``Tensor.storage()`` returns, a tensor's whole storage seen as
elements of its dtype (torch deprecates it for ``untyped_storage()``, and warns once a process)."""
from __future__ import annotations

import warnings

_warned = False


def _warn_typed_storage_removal() -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn("TypedStorage is deprecated. It will be removed in the future and UntypedStorage will "
                      "be the only storage class. This should only matter to you if you are using storages "
                      "directly.  To access UntypedStorage directly, use tensor.untyped_storage() instead of "
                      "tensor.storage()", UserWarning, stacklevel=3)


class TypedStorage:
    """A storage's elements of one dtype, as ``torch.storage.TypedStorage``: ``size()`` of them (the whole
    storage, not the tensor's view of it), read and written by index (a write is the tensor's), ``tolist``,
    ``nbytes()``, ``element_size()``, ``untyped()``, ``data_ptr()``, and torch's repr."""

    is_sparse = False

    def __init__(self, untyped, dtype) -> None:
        self._untyped_storage, self.dtype = untyped, dtype

    @property
    def device(self):
        from .device import device
        return device(self._untyped_storage.device)

    def _elements(self):
        from .ops.creation import empty
        n = self.size()
        return empty(0, dtype=self.dtype, device=self.device).set_(self._untyped_storage, 0, (n,), (1,))

    def size(self) -> int:
        return self._untyped_storage.nbytes // self.dtype.itemsize

    __len__ = size

    def element_size(self) -> int:
        return self.dtype.itemsize

    def nbytes(self) -> int:
        return self.size() * self.dtype.itemsize

    def untyped(self):
        return self._untyped_storage

    def data_ptr(self) -> int:
        return self._elements().data_ptr()

    def is_shared(self) -> bool:
        return self._elements().is_shared()

    @property
    def is_cuda(self) -> bool:
        return False

    def tolist(self) -> list:
        return self._elements().tolist()

    def __iter__(self):
        return iter(self.tolist())

    def __getitem__(self, idx):
        if not isinstance(idx, int):
            raise RuntimeError("slices are only supported in UntypedStorage.__getitem__")
        return self._elements()[idx].item()

    def __setitem__(self, idx, value) -> None:
        self._elements()[idx] = value

    def __str__(self) -> str:
        values = " " + "\n ".join(str(v) for v in self.tolist())
        return (f"{values}\n[torch.storage.TypedStorage(dtype={self.dtype}, device={self.device}) of size "
                f"{self.size()}]")

    __repr__ = __str__
