"""CPU storages in memory other processes map too: ``share_memory_()`` and ``torch.multiprocessing``.

A shared storage's bytes live in an anonymous memory file (``memfd_create``; elsewhere an unlinked
temporary file) mapped ``MAP_SHARED``: a forked child keeps the mapping, and a tensor pickled for a
spawned child carries the file's descriptor (``multiprocessing.reduction.DupFd``), which the child maps
(``attach``). Every process then reads and writes the same memory, as torch's ``file_descriptor``
sharing strategy does. The storage is ``exported`` from then on, so no in-place op swaps its memory
for a fresh buffer.
"""
from __future__ import annotations

import mmap
import os
import tempfile
import weakref

from ..device import CPU
from .storage import Storage

_FDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # shared storage -> its file (None: empty)


def _memory_file(nbytes: int) -> int:
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("pyfront-shared", os.MFD_CLOEXEC)
    else:
        fd, path = tempfile.mkstemp(prefix="pyfront-shared-")
        os.unlink(path)  # the open descriptor keeps the file; nothing is left behind on exit
    os.ftruncate(fd, nbytes)
    return fd


def _mapped(fd: int, nbytes: int, np_dtype):
    import numpy as np  # here, not at the top: every module but the NumPy backend imports without NumPy

    return np.frombuffer(mmap.mmap(fd, nbytes), dtype=np_dtype)


def is_shared(storage: Storage) -> bool:
    return storage in _FDS


def share(storage: Storage) -> None:
    """Move ``storage``'s bytes into shared memory (nothing happens if they are there already)."""
    if storage in _FDS:
        return
    fd = None
    if storage.nbytes:
        fd = _memory_file(storage.nbytes)
        flat = _mapped(fd, storage.nbytes, storage.data.dtype)
        flat[...] = storage.data
        storage.data = flat
        weakref.finalize(storage, os.close, fd)
    storage.exported = True
    _FDS[storage] = fd


def fd_of(storage: Storage) -> int | None:
    """The descriptor of a shared storage's memory file (None for an empty storage)."""
    return _FDS[storage]


def attach(fd: int | None, nbytes: int, np_dtype: str) -> Storage:
    """A storage over the memory file ``fd`` that another process shared; the storage owns ``fd``."""
    if fd is None:
        import numpy as np

        flat = np.empty(0, np_dtype)
    else:
        flat = _mapped(fd, nbytes, np_dtype)
    storage = Storage(flat, CPU, nbytes, exported=True)
    if fd is not None:
        weakref.finalize(storage, os.close, fd)
    _FDS[storage] = fd
    return storage
