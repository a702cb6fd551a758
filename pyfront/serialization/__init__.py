"""``pyfront.save`` / ``pyfront.load``: PyTorch's checkpoint formats, both ways, and nothing runs from a file.

``save`` writes PyTorch's zip format, which ``torch.load(path, weights_only=True)`` reads. ``load``
reads that format and the legacy (pre-1.6) one written by ``torch.save``, through an allowlisting
unpickler (``unpickler.py``), and ``.safetensors`` paths through ``pyfront.safetensors``.

Differences from PyTorch, all from pyfront's dtypes and devices: complex32 data is
refused with an error that names the dtype; ``nn.Parameter`` loads as a plain tensor with
``requires_grad`` set; a tensor saved from webgpu loads back on webgpu where it is available (torch
restores a CUDA tensor on CUDA), every other one (a torch file's 'cuda:0' too: pyfront has no CUDA) on
the cpu, unless ``map_location`` says otherwise; a file pyfront saves tags every storage 'cpu' in its
pickle, which any torch loads, and keeps the webgpu ones in a record of its own (``LOCATIONS``); and
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
import warnings
from pickle import UnpicklingError

from ..backends import get_backend
from ..backends.storage import Storage, dense
from ..device import CPU, as_device
from ..tensor import Tensor
from . import bare
from .atomic import atomic_write
from .full import full_unpickler
from .pickler import Pickler
from .safe_globals import add_safe_globals, clear_safe_globals, get_safe_globals, safe_globals
from .tables import ITEMSIZE, LOADED_AS, decode_elements
from .unpickler import _LOCATION, Unpickler, unsafe_globals
from .zipformat import ZipReader, ZipWriter

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C  # the first pickle of a legacy (pre-1.6) torch.save file
LEGACY_PROTOCOL = 1001
# The storages' devices other than the cpu, a line "key location" each. data.pkl tags every storage 'cpu', so
# that torch (which has no webgpu device: it refuses a location it does not know) loads any file pyfront
# saved, without map_location; pyfront reads this record and restores them on their device, as torch
# restores a CUDA tensor on CUDA. Torch ignores the record.
LOCATIONS = "pyfront_locations"

__all__ = ["save", "load", "add_safe_globals", "get_safe_globals", "clear_safe_globals", "safe_globals",
           "get_unsafe_globals_in_checkpoint"]


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
        devices = "".join(f"{key} {storage.device}\n" for key, storage, _, _ in pickler.storages.values()
                          if storage.device != CPU)
        if devices:
            zw.write(LOCATIONS, devices.encode())
        zw.write("version", b"3\n")
        zw.close()

    if not _use_new_zipfile_serialization:
        write = write_legacy  # noqa: F811 - the one writer this call uses
    if isinstance(f, (str, os.PathLike)):
        with atomic_write(f) as stream:
            write(stream)
    else:
        write(f)


def load(f, map_location=None, pickle_module=None, *, weights_only: bool | None = None,
         mmap: bool | None = None, **pickle_load_args):
    """Load an object saved by ``pyfront.save`` or ``torch.save`` (or a ``.safetensors`` path).

    Args:
        f: a path or a binary file object.
        map_location: where tensors go: None (where they were saved from: ``restore_device``), a device
            or device string, a dict from the location tags in the file (``'cpu'``, ``'webgpu:0'``,
            ``'cuda:0'``) to devices (unmapped tags: as None), or ``fn(storage, location)`` returning a
            storage, or None for the default, as in PyTorch.
        pickle_module: the module whose Unpickler reads the file with weights_only=False (``pickle`` when
            None); giving one makes the default weights_only False, and with weights_only=True it is
            refused, as in torch.
        weights_only: True (the default for None, without a pickle_module): only tensors, containers, numbers,
            strings and the globals allowed by ``add_safe_globals``; anything else is refused
            with torch's message. False: the user's opt-in to Python's full unpickler, which runs
            what the file names (a pickled module, optimizer, NumPy array, dataclass); only for
            files you trust, as in torch. (A legacy pre-1.6 file loads weights-only either way.)
        mmap: torch maps a zip checkpoint's storages from the file instead of reading them; pyfront reads
            them (the same tensors). As torch, it needs a file path (ValueError for a file object) and a
            zip checkpoint (RuntimeError for a legacy one).
    """
    if weights_only is None:
        weights_only = pickle_module is None
    if weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    if pickle_load_args and weights_only:
        warnings.warn("pickle_load_args only works if `weights_only=False`.", stacklevel=2)
    pickle_load_args.setdefault("encoding", "utf-8")
    full = None if weights_only else (full_unpickler(pickle_module or pickle), pickle_load_args)
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


def get_unsafe_globals_in_checkpoint(f) -> list:
    """The ``module.name`` of each class or function in a zip checkpoint that ``load(weights_only=True)``
    refuses (neither allowed by default nor by ``add_safe_globals``), as torch lists them: read from the
    pickle's GLOBAL instructions, nothing built or run.

    Args:
        f: a path or a binary file object holding what ``save`` wrote.
    """
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as stream:
            return get_unsafe_globals_in_checkpoint(stream)
    stream = f if hasattr(f, "seekable") and f.seekable() else io.BytesIO(f.read())
    start = stream.tell()
    head = stream.read(4)
    stream.seek(start)
    if head != b"PK\x03\x04":
        raise ValueError("Expected input to be a checkpoint returned by torch.save")
    if start:
        stream = io.BytesIO(stream.read())
    return unsafe_globals(ZipReader(stream, "the file object").read("data.pkl"))


def _load(stream, what: str, map_location, full=None, mmap=None):
    """``full``: None (weights only), or the full reader's class and keywords; ``mmap``: the ``f`` given to
    ``load`` with mmap=True (a path, or a file object torch refuses)."""
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


def _load_zip(reader: ZipReader, what: str, map_location, full=None):
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
    devices = _locations(reader, what) if reader.has(LOCATIONS) else {}
    if full:
        result = full[0](pkl, u, **full[1]).load()
        u.pos = len(pkl)  # pickle's reader stops at STOP too; what follows it is not read
    else:
        result = u.load()
    if u.pos != len(pkl):
        raise UnpicklingError(f"{what}: data.pkl has {len(pkl) - u.pos} bytes after its end")
    wholes = bare.claim(result, u.tensors, objects=bool(full))
    for ref in u.refs.values():
        ref.location = devices.get(ref.key, ref.location)
    _fill(u.tensors, lambda ref: reader.read(f"data/{ref.key}", ref.nbytes), byteorder, map_location)
    u.check_sparse()
    return bare.swap(result, wholes, objects=bool(full))


def _load_legacy(data: bytes, what: str, map_location, full=None):
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
        reader = full[0](data[main.pos:], main, **full[1])
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
    wholes = bare.claim(result, main.tensors, objects=bool(full))
    _fill(main.tensors, lambda ref: records[ref.key], "little", map_location)
    main.check_sparse()
    return bare.swap(result, wholes, objects=bool(full))


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


def _locations(reader: ZipReader, what: str) -> dict:
    """The ``LOCATIONS`` record: storage key -> the device it was saved from."""
    found = {}
    for line in reader.read(LOCATIONS).decode("ascii", "replace").splitlines():
        key, _, location = line.partition(" ")
        if not _LOCATION.fullmatch(location):
            raise RuntimeError(f"{what}: its record of storage devices is corrupted ({line!r:.60})")
        found[key] = location
    return found


def restore_device(location: str):
    """Where a storage saved from ``location`` goes when the user does not say: back on webgpu where it is
    available, as torch restores a CUDA tensor on CUDA; else, and for devices pyfront has not (a torch file's
    'cuda:0', 'mps'), the cpu."""
    from .. import webgpu
    if location.split(":")[0] == "webgpu" and webgpu.is_available():
        return as_device(location)
    return CPU


def _place(storage: Storage, dtype, location: str, map_location) -> Storage:
    """``storage`` (read on the cpu), saved from ``location``, where ``map_location`` puts it, as torch's:
    a device, a dict of locations (an unmapped one and None: its default, ``restore_device``), or
    ``fn(storage, location)`` returning a storage, or None for the default."""
    if isinstance(map_location, dict):
        target = map_location.get(location)
    elif callable(map_location):
        from ..storage import backend_storage, untyped
        moved = backend_storage(map_location(untyped(storage, dtype), location))  # the user's view of it
        if moved is not None and not isinstance(moved, Storage):
            raise TypeError(f"map_location returned a {type(moved).__name__}, expected a storage or None")
        if moved is not None:
            return moved
        target = None
    else:
        target = map_location
    device = restore_device(location) if target is None else as_device(target)
    if device.type == "cuda":  # torch's own words on a machine without CUDA
        raise RuntimeError("Attempting to deserialize object on a CUDA device but torch.cuda.is_available() "
                           "is False. If you are running on a CPU-only machine, please use torch.load with "
                           "map_location=torch.device('cpu') to map your storages to the CPU.")
    if device.type not in ("cpu", "webgpu"):
        raise RuntimeError(f"torch.UntypedStorage(): Storage device not recognized: {device.type}")
    if device == CPU:
        return storage
    return Tensor._make(storage, (storage.nbytes // dtype.itemsize,), dtype).to(device)._storage
