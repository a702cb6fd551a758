"""``pyfront.save`` / ``pyfront.load``: PyTorch's checkpoint formats, both ways, and nothing runs from a file.

``save`` writes PyTorch's zip format, which ``torch.load(path, weights_only=True)`` reads. ``load``
reads that format and the legacy (pre-1.6) one written by ``torch.save``, through an allowlisting
unpickler (``unpickler.py``), and ``.safetensors`` paths through ``pyfront.safetensors``.

Differences from PyTorch, all from pyfront's dtypes and devices: bfloat16 tensors load as float32
(exact: a bfloat16 is the top half of a float32); complex, uint16/32/64 and float8 data is refused
with an error that names the dtype; ``nn.Parameter`` loads as a plain tensor with
``requires_grad`` set; every tensor loads to the cpu unless ``map_location`` says otherwise; and
``weights_only=True`` (the default) builds only tensors, containers, numbers, strings and what
``add_safe_globals`` allows; ``weights_only=False`` is the user's opt-in to Python's full unpickler
(serialization/full.py), as in torch, for files holding modules, NumPy arrays or other objects.

A damaged file fails as ``torch.load(weights_only=True)`` fails on it, and with no other exception
type: RuntimeError for the container (zip structures, records, storage sizes) and for tensor
geometry torch refuses, pickle.UnpicklingError for what the pickle holds, EOFError where the data
ends before the next pickle opcode (an empty file too). tests/fuzz_checkpoints.py checks it.
"""
from __future__ import annotations

import io
import os
import sys
import pickle
from pickle import UnpicklingError

from ..backends import get_backend
from ..backends.storage import Storage, dense
from ..device import CPU, as_device
from ..tensor import Tensor
from .atomic import atomic_write
from .full import FullUnpickler
from .pickler import Pickler
from .safe_globals import add_safe_globals, clear_safe_globals, get_safe_globals, safe_globals
from .tables import ITEMSIZE, LOADED_AS, decode_elements
from .unpickler import StorageRef, Unpickler
from .zipformat import ZipReader, ZipWriter

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C  # the first pickle of a legacy (pre-1.6) torch.save file
LEGACY_PROTOCOL = 1001

__all__ = ["save", "load", "add_safe_globals", "get_safe_globals", "clear_safe_globals", "safe_globals"]


def save(obj, f, pickle_module=pickle, pickle_protocol: int = 2, _use_new_zipfile_serialization: bool = True,
         _disable_byteorder_record: bool = False) -> None:
    """Save ``obj`` to ``f``: state_dicts as torch.load(weights_only=True) reads them, any picklable object.

    Args:
        obj: what to save.
        f: a path (written atomically: the old file or the whole new one, never half) or a
            binary file object (written from its current position).
        pickle_module: only ``pickle`` itself: pyfront writes with its own pickler (torch's layout of
            protocol 2), so another module's abilities (dill's lambdas) would be lost: others raise
            ValueError.
        pickle_protocol: 0 to ``pickle.HIGHEST_PROTOCOL`` (as ``pickle`` checks it; ValueError past it); the
            file is written at protocol 2 whatever it is, which every torch and pickle reads.
        _disable_byteorder_record: True leaves out the zip format's ``byteorder`` record, as torch does
            (a reader then takes the file as little-endian).
        _use_new_zipfile_serialization: False writes torch's legacy (pre-1.6) format, as torch does:
            pickles of its magic number, protocol 1001 and the machine's sizes, the data, the storage keys,
            then each storage as its int64 element count and its elements.
    """
    if pickle_module is not pickle:
        raise ValueError(f"pyfront.save writes with its own pickler: pickle_module={pickle_module!r} is not "
                         "supported (only the pickle module)")
    if not -1 <= pickle_protocol <= pickle.HIGHEST_PROTOCOL:  # pickle's own check and text
        raise ValueError(f"pickle protocol must be <= {pickle.HIGHEST_PROTOCOL}")
    pickler = Pickler(legacy=not _use_new_zipfile_serialization)
    pkl = pickler.dump(obj)

    def storage_bytes(storage, dtype, numel) -> bytes:
        # the backend's download gives the dtype's true width, whatever its device stores
        return get_backend(storage.device).to_bytes(dense(storage, (numel,), dtype))

    def write_legacy(stream) -> None:
        info = {"protocol_version": LEGACY_PROTOCOL, "little_endian": sys.byteorder == "little",
                "type_sizes": {"short": 2, "int": 4, "long": 4}}
        for part in (LEGACY_MAGIC, LEGACY_PROTOCOL, info):
            stream.write(pickle.dumps(part, protocol=2))
        stream.write(pkl)
        entries = {key: (storage, dtype, numel) for key, storage, dtype, numel in pickler.storages.values()}
        stream.write(pickle.dumps(sorted(entries), protocol=2))
        for key in sorted(entries):
            storage, dtype, numel = entries[key]
            stream.write(numel.to_bytes(8, sys.byteorder, signed=True) + storage_bytes(storage, dtype, numel))

    def write(stream) -> None:
        zw = ZipWriter(stream, "archive")
        zw.write("data.pkl", pkl)
        zw.write(".format_version", b"1")
        zw.write(".storage_alignment", b"64")
        if not _disable_byteorder_record:
            zw.write("byteorder", sys.byteorder.encode())
        for key, storage, dtype, numel in pickler.storages.values():
            zw.write(f"data/{key}", storage_bytes(storage, dtype, numel))
        zw.write("version", b"3\n")
        zw.close()

    if not _use_new_zipfile_serialization:
        write = write_legacy  # noqa: F811 - the one writer this call uses
    if isinstance(f, (str, os.PathLike)):
        with atomic_write(f) as stream:
            write(stream)
    else:
        write(f)


def load(f, map_location=None, weights_only: bool | None = None, *, mmap: bool | None = None):
    """Load an object saved by ``pyfront.save`` or ``torch.save`` (or a ``.safetensors`` path).

    Args:
        f: a path or a binary file object.
        map_location: where tensors go: None (cpu), a device or device string, a dict from the
            location tags in the file (``'cpu'``, ``'cuda:0'``) to devices (unmapped tags go to the
            cpu), or ``fn(storage, location)`` returning a storage or None, as in PyTorch.
        weights_only: True (the default, also for None): only tensors, containers, numbers,
            strings and the globals allowed by ``add_safe_globals``; anything else is refused
            with torch's message. False: the user's opt-in to Python's full unpickler, which runs
            what the file names (a pickled module, optimizer, NumPy array, dataclass); only for
            files you trust, as in torch. (A legacy pre-1.6 file loads weights-only either way.)
        mmap: torch maps a zip checkpoint's storages from the file instead of reading them; pyfront reads
            them (the same tensors). As torch, it needs a file path (ValueError for a file object) and a
            zip checkpoint (RuntimeError for a legacy one).
    """
    full = weights_only is False
    if isinstance(f, (str, os.PathLike)):
        path = os.fspath(f)
        if path.endswith(".safetensors"):  # as torch.load does
            from .safetensors import load_file
            if isinstance(map_location, dict) or callable(map_location):
                raise RuntimeError("Loading safetensors file with dict or callable map_location is not "
                                   "supported. Use a device string or device instead.")
            return load_file(path, device=CPU if map_location is None else map_location)
        with open(path, "rb") as stream:
            return _load(stream, f"{path!r}", map_location, full, mmap and f)
    return _load(f, "the file object", map_location, full, mmap and f)


def _load(stream, what: str, map_location, full: bool = False, mmap=None):
    """``mmap``: the ``f`` given to ``load`` with mmap=True (a path, or a file object torch refuses)."""
    if not (hasattr(stream, "seekable") and stream.seekable()) or stream.tell() != 0:
        stream = io.BytesIO(stream.read())
    head = stream.read(4)
    stream.seek(0)
    # the exception types are torch.load's for the same damage: EOFError for no data, and
    # UnpicklingError for what is not a zip archive (torch reads it as a legacy pickle)
    if not head:
        raise EOFError(f"Ran out of input: {what} is empty (0 bytes), not a checkpoint")
    if head == b"PK\x03\x04":
        if mmap and not isinstance(mmap, (str, os.PathLike)):
            raise ValueError("f must be a file path in order to use the mmap argument")
        return _load_zip(ZipReader(stream, what), what, map_location, full)
    if mmap:
        given = f"{mmap}, " if isinstance(mmap, str) else ""  # (torch names a str path only)
        raise RuntimeError(f"mmap can only be used with files saved with `torch.save({given}"
                           "_use_new_zipfile_serialization=True), please torch.save your checkpoint with "
                           "this option in order to use mmap.")
    if head[:1] == b"\x80":
        return _load_legacy(stream.read(), what, map_location, full)
    raise UnpicklingError(f"invalid load key, {head[:1]!r}: {what} is not a PyTorch checkpoint (it starts "
                          f"with {head!r}, neither a zip archive nor a legacy pickle)")


def _load_zip(reader: ZipReader, what: str, map_location, full: bool = False):
    byteorder = sys.byteorder
    if reader.has("byteorder"):
        byteorder = reader.read("byteorder").decode("ascii", "replace")
    if byteorder not in ("little", "big"):
        raise RuntimeError(f"{what}: unknown byte order {byteorder!r:.20}")
    pkl = reader.read("data.pkl")

    def check(ref) -> None:
        if not reader.has(f"data/{ref.key}"):
            raise RuntimeError(f"PytorchStreamReader failed locating file data/{ref.key}: file not found "
                               f"(storage '{ref.key}' has no data record in {what})")

    u = Unpickler(pkl, persistent_load=check)
    if full:
        result = FullUnpickler(pkl, u).load()
        u.pos = len(pkl)  # pickle's reader stops at STOP too; what follows it is not read
    else:
        result = u.load()
    if u.pos != len(pkl):
        raise UnpicklingError(f"{what}: data.pkl has {len(pkl) - u.pos} bytes after its end")
    whole = _whole(result, u.tensors)
    _fill(u.tensors, lambda ref: reader.read(f"data/{ref.key}", ref.nbytes), byteorder, map_location)
    u.check_sparse()
    return _storage_object(whole) if whole is not None else result


def _load_legacy(data: bytes, what: str, map_location, full: bool = False):
    u = Unpickler(data)
    if u.load() != LEGACY_MAGIC:
        raise RuntimeError(f"Invalid magic number; corrupt file? {what} is a pickle without PyTorch's magic "
                           "number, not a checkpoint")
    parts = []
    for _ in range(2):  # protocol version, then sys_info
        u = Unpickler(data, u.pos)
        parts.append(u.load())
    if parts[0] != LEGACY_PROTOCOL or type(parts[1]) is not dict:
        raise RuntimeError(f"{what}: unsupported legacy checkpoint protocol {parts[0]!r:.40}")
    main = Unpickler(data, u.pos, persistent_load=lambda ref: None, legacy=True)
    if full:  # as _load_zip's: pickle's reader builds the objects, ``main`` the storages and tensors
        reader = FullUnpickler(data[main.pos:], main)
        result = reader.load()
        main.pos += reader.stream.tell()
    else:
        result = main.load()
    u = Unpickler(data, main.pos)
    keys = u.load()
    if (type(keys) is not list or not all(type(k) is str for k in keys) or len(set(keys)) != len(keys)
            or set(keys) != set(main.refs)):
        raise UnpicklingError(f"{what}: the list of storage records does not match the storages "
                              "the data uses")
    pos, records = u.pos, {}
    for key in keys:  # each: int64 element count, then the elements, always little-endian
        ref = main.refs[key]
        itemsize = 1 if ref.untyped else ITEMSIZE[ref.dtype]
        if pos + 8 + ref.nbytes > len(data):
            raise RuntimeError(f"{what} is truncated: storage '{key}' needs {ref.nbytes} bytes")
        if int.from_bytes(data[pos:pos + 8], "little", signed=True) * itemsize != ref.nbytes:
            raise RuntimeError(f"{what} is corrupted: storage '{key}' has a size that disagrees with "
                               "its declaration")
        records[key] = data[pos + 8:pos + 8 + ref.nbytes]
        pos += 8 + ref.nbytes
    if pos != len(data):
        raise RuntimeError(f"{what} is corrupted: {len(data) - pos} unexpected bytes after the last storage")
    whole = _whole(result, main.tensors)
    _fill(main.tensors, lambda ref: records[ref.key], "little", map_location)
    main.check_sparse()
    return _storage_object(whole) if whole is not None else result


def _whole(result, tensors: list):
    """A file whose object is a storage (``torch.save(t.untyped_storage())``, what a plain pickle of a
    torch tensor holds): a 1-d tensor over all of it, which ``_fill`` then reads as it reads the others."""
    if type(result) is not StorageRef:
        return None
    name = result.bind(None if result.dtype else "uint8")  # an untyped storage: its bytes
    t = Tensor._make(result, (result.nbytes // ITEMSIZE[name],), LOADED_AS[name])
    tensors.append(t)
    return t


def _storage_object(whole: Tensor):
    """The storage a file saved as itself, as torch loads it: a TypedStorage (of bytes if it was untyped)."""
    from ..storage import TypedStorage, untyped
    return TypedStorage(untyped(whole._storage, whole.dtype), whole.dtype)


def _fill(tensors: list, read, byteorder: str, map_location) -> None:
    """Give each loaded tensor its storage: read once per record, decoded, placed per map_location."""
    storages = {}
    for t in tensors:
        ref = t._storage
        if ref.key not in storages:
            dtype = LOADED_AS[ref.dtype]
            storage = get_backend(CPU).from_bytes(decode_elements(read(ref), ref.dtype, byteorder), dtype)
            storages[ref.key] = _place(storage, dtype, ref.location, map_location)
        t._set_storage(storages[ref.key])
        storages[ref.key].share(t)  # tensors saved over one storage share it again


def _place(storage: Storage, dtype, location: str, map_location) -> Storage:
    if map_location is None:
        return storage
    if isinstance(map_location, dict):
        target = map_location.get(location, CPU)
    elif callable(map_location):
        from ..storage import backend_storage, untyped
        moved = backend_storage(map_location(untyped(storage, dtype), location))  # the user's view of it
        if moved is not None and not isinstance(moved, Storage):
            raise TypeError(f"map_location returned a {type(moved).__name__}, expected a storage or None")
        return storage if moved is None else moved
    else:
        target = map_location
    device = as_device(target)
    if device.type == "cuda":  # torch's own words on a machine without CUDA
        raise RuntimeError("Attempting to deserialize object on a CUDA device but torch.cuda.is_available() "
                           "is False. If you are running on a CPU-only machine, please use torch.load with "
                           "map_location=torch.device('cpu') to map your storages to the CPU.")
    if device.type not in ("cpu", "webgpu"):
        raise RuntimeError(f"torch.UntypedStorage(): Storage device not recognized: {device.type}")
    if device == CPU:
        return storage
    return Tensor._make(storage, (storage.nbytes // dtype.itemsize,), dtype).to(device)._storage
