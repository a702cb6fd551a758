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
        from .backends.storage import memory_of
        return id(memory_of(self._storage))  # Tensor.data_ptr is this plus the offset in bytes

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

    def __init__(self, *args, wrap_storage=None, dtype=None, device=None, _internal=False,
                 _legacy=None) -> None:
        if not _internal:
            _warn_typed_storage_removal()
        cls = _legacy or type(self)  # the class the user called, as torch's messages name it
        if wrap_storage is not None:
            if args or device is not None:
                raise RuntimeError(_invalid_combination(cls, "No positional arguments should be given "
                                                        "when using 'wrap_storage'"))
            self._untyped_storage, self.dtype = wrap_storage, dtype
            return
        from . import dtypes
        self.dtype = dtype or dtypes.get_default_dtype()
        self._untyped_storage = _new_memory(cls, args, self.dtype, device).untyped_storage()

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

    def fill_(self, value) -> TypedStorage:
        self._elements().fill_(value)
        return self

    def copy_(self, source, non_blocking: bool = False) -> TypedStorage:
        """Copy ``source``'s bytes (a storage of as many bytes, whatever its dtype)."""
        if self.nbytes() != source.nbytes():
            raise RuntimeError(f"size does not match, self was {self.nbytes()} bytes but src was "
                               f"{source.nbytes()} bytes")
        source = source if isinstance(source, TypedStorage) else TypedStorage(
            wrap_storage=source, dtype=_uint8(), _internal=True)
        if source.dtype is not self.dtype:  # the same bytes read as this dtype: reinterpreted on the host
            import numpy as np
            from .ops.creation import from_numpy
            raw = np.frombuffer(bytes(source.untyped().tolist()), dtype=self.dtype.np_name)
            source = from_numpy(raw.copy()).storage()
        self._elements().copy_(source._elements())
        return self

    def clone(self) -> TypedStorage:
        return self._elements().clone().storage()

    def cpu(self) -> TypedStorage:
        return self if self.device.type == "cpu" else self._elements().cpu().storage()

    def _to(self, dtype) -> TypedStorage:
        return self if dtype is self.dtype else self._elements().to(dtype).storage()

    def type(self, dtype=None, non_blocking: bool = False):
        """The legacy class name (``"torch.FloatStorage"``), or a copy as the storage class ``dtype``."""
        if dtype is None:
            return f"torch.{self.pickle_storage_type()}"
        if isinstance(dtype, str):
            dtype = LEGACY_CLASSES[dtype.rsplit(".", 1)[-1]]
        return self._to(dtype.dtype)

    def pickle_storage_type(self) -> str:
        return _LEGACY_NAMES[self.dtype] + "Storage"

    def __str__(self) -> str:
        values = " " + "\n ".join(str(v) for v in self.tolist())
        return (f"{values}\n[torch.storage.TypedStorage(dtype={self.dtype}, device={self.device}) of size "
                f"{self.size()}]")

    __repr__ = __str__


def _uint8():
    from . import dtypes
    return dtypes.uint8


def _invalid_combination(cls, reason: str) -> str:
    torch_name = "torch" + cls.__module__[len("pyfront"):] + "." + cls.__qualname__  # torch.FloatStorage
    return (f"<class '{torch_name}'>.__new__ received an invalid combination of arguments. Expected one of:\n"
            " * no arguments\n * (int size)\n * (Sequence data)\n * (*, UntypedStorage wrap_storage)\n"
            + reason)


def _new_memory(cls, args, dtype, device):
    """The tensor a storage constructor's ``()``, ``(size)`` or ``(sequence)`` makes."""
    from .ops.creation import empty, tensor
    if len(args) > 1:
        raise RuntimeError(_invalid_combination(cls, "Too many positional arguments"))
    data = args[0] if args else 0
    if isinstance(data, int) and not isinstance(data, bool):
        return empty(data, dtype=dtype, device=device)
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    if isinstance(data, (list, tuple)):
        numbers = (int, float, bool, complex) if dtype.is_complex else (int, float, bool)
        for v in data:
            if not isinstance(v, numbers):
                raise TypeError(f"must be real number, not {type(v).__name__}")
        return tensor(list(data), dtype=dtype, device=device)
    raise TypeError(_invalid_combination(cls, f"Argument type not recognized: {type(data)}"))


class _LegacyStorageMeta(type):
    """``isinstance(t.storage(), torch.FloatStorage)``: a TypedStorage of the class's dtype."""

    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, TypedStorage) and obj.dtype is cls.dtype


class _LegacyStorage(TypedStorage, metaclass=_LegacyStorageMeta):
    """``torch.FloatStorage(n)``, ``(sequence)``, ``(wrap_storage=)``: a TypedStorage of the class's dtype
    (what torch's legacy classes make; never an instance of the class itself)."""

    def __new__(cls, *args, wrap_storage=None, **kwargs):
        if kwargs:
            raise RuntimeError(_invalid_combination(cls, f"Keyword argument '{next(iter(kwargs))}' cannot be "
                                                         "specified"))
        return TypedStorage(*args, wrap_storage=wrap_storage, dtype=cls.dtype, _legacy=cls)


def _legacy_classes() -> dict:
    from . import dtypes
    kinds = {"Double": dtypes.float64, "Float": dtypes.float32, "Half": dtypes.float16,
             "BFloat16": dtypes.bfloat16, "Long": dtypes.int64, "Int": dtypes.int32, "Short": dtypes.int16,
             "Char": dtypes.int8, "Byte": dtypes.uint8, "Bool": dtypes.bool_,
             "ComplexFloat": dtypes.complex64, "ComplexDouble": dtypes.complex128}
    made = {}
    for kind, dtype in kinds.items():
        name = f"{kind}Storage"
        made[name] = type(name, (_LegacyStorage,), {"dtype": dtype, "__module__": "pyfront"})
    return made


def _caster(dtype):
    def cast(self) -> TypedStorage:
        return self._to(dtype)
    return cast


LEGACY_CLASSES = _legacy_classes()  # torch.FloatStorage, ... (exported by pyfront/__init__)
(BFloat16Storage, BoolStorage, ByteStorage, CharStorage, ComplexDoubleStorage, ComplexFloatStorage,
 DoubleStorage, FloatStorage, HalfStorage, IntStorage, LongStorage, ShortStorage) = (
    LEGACY_CLASSES[n] for n in sorted(LEGACY_CLASSES))
for _cls in LEGACY_CLASSES.values():  # storage.float(), .long(), .complex_float(), ...: a copy in that dtype
    _kind = _cls.__name__[:-len("Storage")]
    setattr(TypedStorage, _kind.lower().replace("complex", "complex_"), _caster(_cls.dtype))
_LEGACY_NAMES = {cls.dtype: name[:-len("Storage")] for name, cls in LEGACY_CLASSES.items()}


def _load_from_bytes(b: bytes):
    """``torch.storage._load_from_bytes``: a storage a plain pickle of a torch tensor holds, as the bytes of
    ``torch.save(storage)`` (see ``_utils``)."""
    import io
    from .serialization import load
    return load(io.BytesIO(b), weights_only=False)
