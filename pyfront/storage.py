"""``torch.UntypedStorage`` and ``torch.storage.TypedStorage``: what ``Tensor.untyped_storage()`` and
``Tensor.storage()`` return, a tensor's whole storage as bytes, or as elements of its dtype (torch deprecates
the typed one for ``untyped_storage()``, and warns once a process)."""
from __future__ import annotations

import warnings
import weakref

_warned = False


def _warn_typed_storage_removal() -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn("TypedStorage is deprecated. It will be removed in the future and UntypedStorage will "
                      "be the only storage class. This should only matter to you if you are using storages "
                      "directly.  To access UntypedStorage directly, use tensor.untyped_storage() instead of "
                      "tensor.storage()", UserWarning, stacklevel=3)


def untyped(storage, dtype) -> UntypedStorage:
    """The user's view of a backend ``storage`` (tensors of ``dtype`` read it): one object while the user
    holds it, as torch's ``x.untyped_storage() is x[1:].untyped_storage()``. Handing it out exports the memory
    (the user holds it now, so it is never replaced)."""
    storage.exported = True
    ref = getattr(storage, "public", None)  # unset where a backend fills the slots without __init__
    view = ref and ref()
    if view is None:
        view = UntypedStorage._over(storage, dtype)
        storage.public = weakref.ref(view)  # weak: the view holds the storage, not the other way round
    return view


def elements(storage, dtype) -> int:
    """How many ``dtype`` elements a backend ``storage`` holds: a webgpu buffer keeps most dtypes in 32-bit
    lanes (int64, int16, bool ...), so its size in bytes is not the elements', and pads itself to 4 bytes
    (an odd count of float16, an empty storage): its ``lanes`` are the elements' bytes."""
    if storage.device.type == "webgpu":
        from .backends.webgpu.layout import gpu_itemsize
        return storage.lanes // gpu_itemsize(dtype)
    return storage.nbytes // dtype.itemsize


def backend_storage(obj):
    """The backend Storage under a user's storage object (UntypedStorage or TypedStorage), else ``obj``."""
    if isinstance(obj, TypedStorage):
        obj = obj._untyped_storage
    return obj._storage if isinstance(obj, UntypedStorage) else obj


class UntypedStorage:
    """A tensor's whole memory as bytes, as ``torch.UntypedStorage``: ``nbytes()`` (= ``size()``, ``len``),
    ``data_ptr()`` (its start: equal for every view of one tensor, where ``Tensor.data_ptr`` adds the
    offset), ``element_size()`` 1, ``device``, its bytes by ``tolist``, iteration or index, and torch's repr.
    The backend's Storage (``nbytes`` an attribute there) stays internal.

    Args:
        size_or_bytes (int or sequence of ints): a new storage of that many bytes (uninitialized, as torch's),
            or holding those byte values. Default: 0
        device: where it lives. Default: the cpu
    """

    is_sparse = False
    is_sparse_csr = False
    is_cuda = False

    def __init__(self, size_or_bytes=0, *, device=None) -> None:
        from . import dtypes
        from .ops.creation import empty, tensor
        if isinstance(size_or_bytes, int) and not isinstance(size_or_bytes, bool):
            memory = empty(size_or_bytes, dtype=dtypes.uint8, device=device)
        else:
            memory = tensor(list(size_or_bytes), dtype=dtypes.uint8, device=device)
        self._storage, self._dtype = memory._storage, dtypes.uint8

    @classmethod
    def _over(cls, storage, dtype) -> UntypedStorage:
        """The user's view of a backend ``storage`` that tensors of ``dtype`` read (see ``untyped``)."""
        view = object.__new__(cls)
        view._storage, view._dtype = storage, dtype
        return view

    @property
    def device(self):
        return self._storage.device

    def nbytes(self) -> int:
        return elements(self._storage, self._dtype) * self._dtype.itemsize  # as on the cpu (not the lanes)

    size = nbytes
    __len__ = nbytes

    def element_size(self) -> int:
        return 1

    def data_ptr(self) -> int:
        return id(self._storage)  # Tensor.data_ptr is this plus the offset in bytes

    def untyped(self):
        return self

    def get_device(self) -> int:
        return self.device.index

    def _elements(self):
        from .tensor import Tensor
        return Tensor._make(self._storage, (elements(self._storage, self._dtype),), self._dtype)

    def is_shared(self) -> bool:
        return self._elements().is_shared()

    def tolist(self) -> list:
        import numpy as np
        held = self._elements().cpu()._storage.data  # pyfront's storages are typed: reinterpret on the host
        return np.ascontiguousarray(held).view(np.uint8).tolist()

    def __iter__(self):
        return iter(self.tolist())

    def __getitem__(self, idx):
        if not isinstance(idx, int):
            raise NotImplementedError("pyfront: an UntypedStorage is indexed by an int only (torch also "
                                      "slices it)")
        return self.tolist()[idx]

    def __str__(self) -> str:
        values = "".join(f" {v}\n" for v in self.tolist()) or " \n"
        return f"{values}[torch.storage.UntypedStorage(device={self.device}) of size {self.nbytes()}]"

    __repr__ = __str__


class TypedStorage:
    """A storage's elements of one dtype, as ``torch.storage.TypedStorage``: ``size()`` of them (the whole
    storage, not the tensor's view of it), read and written by index (a write is the tensor's), ``tolist``,
    ``nbytes()``, ``element_size()``, ``untyped()``, ``data_ptr()``, and torch's repr."""

    is_sparse = False

    def __init__(self, untyped, dtype) -> None:
        self._untyped_storage, self.dtype = untyped, dtype

    @property
    def device(self):
        return self._untyped_storage.device

    def _elements(self):
        from .ops.creation import empty
        n = self.size()
        return empty(0, dtype=self.dtype, device=self.device).set_(self._untyped_storage, 0, (n,), (1,))

    def size(self) -> int:
        return self._untyped_storage.nbytes() // self.dtype.itemsize

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


def _load_from_bytes(b: bytes):
    """``torch.storage._load_from_bytes``: a storage a plain pickle of a torch tensor holds, as the bytes of
    ``torch.save(storage)`` (see ``_utils``)."""
    import io
    from .serialization import load
    return load(io.BytesIO(b), weights_only=False)
