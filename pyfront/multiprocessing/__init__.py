"""``torch.multiprocessing``: Python's ``multiprocessing``, where a cpu tensor sent to another process
shares its memory instead of being copied.

Importing it registers reductions with ``multiprocessing.reduction.ForkingPickler`` (the pickler of
``Process`` arguments under the spawn and forkserver start methods, of ``Queue`` and ``Pipe``), as
torch's does: a cpu tensor so pickled is moved into shared memory (``Tensor.share_memory_()``) and the
receiving process maps the same memory, so writes on either side are seen by both (Hogwild training:
``model.share_memory()``, then processes that each run an optimizer on the same parameters). Under the
fork start method a shared tensor is shared with the children anyway. Sharing a webgpu tensor between
processes is refused: its memory lives in one process's GPU device.
"""
from __future__ import annotations

import multiprocessing
import sys
from multiprocessing import *  # noqa: F401,F403
from multiprocessing.reduction import DupFd, ForkingPickler

from ..backends import shared_memory
from ..backends.storage import Storage
from ..dtypes import _BY_NAME, numpy_dtype
from ..nn.parameter import Buffer, Parameter
from ..tensor import Tensor
from ..utils.hooks import warn_if_has_hooks

__all__ = ["set_sharing_strategy", "get_sharing_strategy", "get_all_sharing_strategies",
           *multiprocessing.__all__]

if sys.platform in ("darwin", "win32"):
    _sharing_strategy, _all_sharing_strategies = "file_system", {"file_system"}
else:
    _sharing_strategy, _all_sharing_strategies = "file_descriptor", {"file_descriptor", "file_system"}


def set_sharing_strategy(new_strategy) -> None:
    """Set the strategy for sharing CPU tensors, one of ``get_all_sharing_strategies()``; raises
    AssertionError for another, as torch. pyfront shares through a memory file's descriptor whichever
    is set (its memory files have no name to leak)."""
    global _sharing_strategy
    if new_strategy not in _all_sharing_strategies:
        raise AssertionError(f"invalid sharing strategy {new_strategy!r}, expected one of "
                             f"{_all_sharing_strategies}")
    _sharing_strategy = new_strategy


def get_sharing_strategy():
    """The current strategy for sharing CPU tensors."""
    return _sharing_strategy


def get_all_sharing_strategies():
    """The sharing strategies this system supports, as torch answers."""
    return _all_sharing_strategies


def _reduce_tensor(tensor):
    if tensor.requires_grad and not tensor.is_leaf:
        raise RuntimeError("Cowardly refusing to serialize non-leaf tensor which requires_grad, since "
                           "autograd does not support crossing process boundaries.  If you just want to "
                           "transfer the data, call detach() on the tensor before serializing (e.g., putting "
                           "it on the queue).")
    warn_if_has_hooks(tensor)
    tensor.share_memory_()
    return _rebuild_tensor, (type(tensor), tensor._storage, tuple(tensor._shape), tensor._strides,
                             tensor._offset, tensor.dtype.name, tensor.requires_grad)


def _rebuild_tensor(cls, storage, shape, strides, offset, dtype_name, requires_grad):
    t = cls._make(storage, shape, _BY_NAME[dtype_name], strides, offset)
    t._requires_grad = requires_grad
    return t


def _reduce_storage(storage):
    fd = shared_memory.fd_of(storage)
    # by its dtype's name: a bfloat16 array's NumPy code is a bare "<V2" (ml_dtypes' type, registered by name)
    return _attach, (None if fd is None else DupFd(fd), storage.nbytes, storage.data.dtype.name)


def _attach(dup, nbytes, dtype_name):
    import numpy as np
    np_dtype = numpy_dtype(np, _BY_NAME[dtype_name])
    return shared_memory.attach(None if dup is None else dup.detach(), nbytes, np_dtype)


for _cls in (Tensor, Parameter, Buffer):
    ForkingPickler.register(_cls, _reduce_tensor)
ForkingPickler.register(Storage, _reduce_storage)

from .spawn import (ProcessContext, ProcessExitedException, ProcessRaisedException, SpawnContext,  # noqa: E402,F401
                    spawn, start_processes)
