"""What crosses the backend seam: a Storage (flat memory) and a Layout (how a tensor reads it).

A backend receives Layouts and returns Storages; it never sees a Tensor. A Storage also knows who
else can see its memory, so an in-place op may adopt a result's buffer only where no one could
tell (see ``Storage.alone``): ownership is tracked, never inferred from reference counts.
"""
from __future__ import annotations

import math
import weakref
from collections import namedtuple

from ..shape import contiguous_strides, is_contiguous


class Storage:
    """Flat device memory plus the version counter that in-place ops bump: the one its tensors count with
    (shared by views and ``detach()``), but those with their own (``Tensor._vc``: ``.data``, ``x.data = y``).

    ``sharers``: weak references (by id) to every tensor that holds this memory once a second one
    does (a view, an alias such as ``detach()`` or a saved output, a Parameter); a tensor stops
    counting when it dies (plain weak references, no callbacks: a view stays cheap). ``exported``:
    the memory was handed out where it cannot be tracked (a NumPy array from ``numpy()`` or
    ``from_numpy``, ``untyped_storage()``), so it is never replaced. ``public``: a weak reference to
    the one user-facing view of it while the user holds that (torch returns one storage object).
    ``origin``: where set, the storage whose memory this one reads as another dtype (``Tensor.view(dtype)``,
    ``view_as_real``): torch's one storage, for ``data_ptr`` and ``save`` (see ``memory_of``).
    ``kept_by_graph``: where set, how many autograd nodes keep a tensor over it for backward (where
    ``swap_tensors`` looks for the ones that still do). ``lanes``: the bytes its elements take, where
    a device pads its buffers (webgpu: to 4 bytes, and 4 for none), so that a storage's element count is
    exact (``pyfront.storage.elements``); else ``nbytes``.
    """

    __slots__ = ("data", "device", "nbytes", "lanes", "version", "sharers", "exported", "public", "origin",
                 "kept_by_graph", "__weakref__")

    def __init__(self, data, device, nbytes: int, exported: bool = False, lanes: int | None = None):
        self.data = data
        self.device = device
        self.nbytes = nbytes
        self.lanes = nbytes if lanes is None else lanes
        self.version = 0
        self.sharers = None
        self.exported = exported
        self.public = None  # a weak reference to the user's view of it (pyfront.storage.UntypedStorage)

    def share(self, *tensors) -> None:
        """``tensors`` hold this memory together: each counts as a sharer while it lives."""
        sharers = self.sharers
        if sharers is None:
            sharers = self.sharers = {}
        for t in tensors:
            sharers[id(t)] = weakref.ref(t)  # by identity (a tensor's == compares values)
        n = len(sharers)
        if n >= 16 and not n & (n - 1):  # drop the dead at each power of two: amortised O(1)
            self.sharers = {id(t): weakref.ref(t) for t in self._live()}

    def _live(self) -> list:
        return [t for t in (r() for r in self.sharers.values()) if t is not None]

    def alone(self, tensor) -> bool:
        """Whether ``tensor`` is the only one that can see this memory: no other tensor over it
        is alive and no NumPy array or user holds it."""
        if self.exported:
            return False
        if not self.sharers:
            return True
        live = self._live()
        return not live or (len(live) == 1 and live[0] is tensor)


def memory_of(storage) -> Storage:
    """The storage that owns ``storage``'s memory: itself, or the one it reinterprets (its ``origin``)."""
    return getattr(storage, "origin", None) or storage


_Fields = namedtuple("_Fields", "storage shape strides offset dtype contiguous whole")


class Layout(_Fields):
    """How one tensor reads a storage: ``shape``, ``strides`` and ``offset`` in elements, ``dtype``.

    Frozen (a tuple). Derived, kept because every op asks: ``contiguous`` (from shape and strides), and
    ``whole``: it reads every element of the storage once, in order from the first, so a backend may
    compute on the storage as it is stored (a flat NumPy array), with no view made per op.
    ``Layout(storage, shape, strides, offset, dtype)`` computes both.
    """

    __slots__ = ()

    def __new__(cls, storage, shape, strides, offset, dtype):
        shape, strides = tuple(shape), tuple(strides)
        contiguous = is_contiguous(shape, strides)
        return tuple.__new__(cls, (storage, shape, strides, offset, dtype, contiguous,
                                   contiguous and is_whole(storage, shape, offset, dtype)))

    def numel(self) -> int:
        return math.prod(self.shape)

    def dim(self) -> int:
        return len(self.shape)

    def is_contiguous(self) -> bool:
        return self.contiguous

    def view(self, shape, strides, offset) -> Layout:
        """Another reading of the same storage."""
        return Layout(self.storage, shape, strides, offset, self.dtype)

    def expand(self, shape) -> Layout:
        """This layout broadcast to ``shape`` (stride 0 along the dims it repeats)."""
        lead = len(shape) - len(self.shape)
        strides = [0] * lead + [0 if n == 1 else s for n, s in zip(self.shape, self.strides)]
        return Layout(self.storage, shape, strides, self.offset, self.dtype)


def is_whole(storage, shape, offset, dtype) -> bool:
    """Whether a contiguous reading of ``shape`` from ``offset`` covers ``storage`` exactly. Told by
    the bytes, so where a backend stores a dtype wider (webgpu's bool and int64) or pads a buffer, the
    answer is False: a missed shortcut, never a wrong one."""
    return not offset and math.prod(shape) * dtype.itemsize == storage.nbytes


def dense(storage, shape, dtype) -> Layout:
    """A contiguous layout over the whole of ``storage`` from offset 0."""
    shape = tuple(shape)
    return tuple.__new__(Layout, (storage, shape, contiguous_strides(shape), 0, dtype, True, True))
