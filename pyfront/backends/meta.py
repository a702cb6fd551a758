"""The ``meta`` device: tensors with a shape, dtype and strides but no memory. Every op runs its shape and
dtype rule (the layers above, as on any device) and gives a meta result without computing anything; a model
built under ``with torch.device("meta")`` costs no memory and draws no random numbers, and is materialised
later with ``to_empty`` or ``load_state_dict(..., assign=True)``. Reading values is torch's error."""
from __future__ import annotations

from ..device import device
from .base import Backend
from .storage import Storage

META = device("meta")


def _nothing(nbytes: int) -> Storage:
    return Storage(None, META, nbytes)


def _no_data(x=None):
    raise NotImplementedError("Cannot copy out of meta tensor; no data!")


class MetaBackend(Backend):
    name = "meta"

    def from_list(self, flat, dtype):
        return _nothing(len(flat) * dtype.itemsize)

    def from_bytes(self, raw, dtype):
        return _nothing(len(raw))

    to_list = to_bytes = staticmethod(_no_data)

    def run(self, op, inputs, attrs, out_meta):
        return [_nothing(_count(shape) * dtype.itemsize) for shape, dtype in out_meta]

    def write(self, dst, src):
        """Writing into no memory does nothing (``copy_`` into a meta tensor is torch's no-op)."""

    def reinterpret(self, storage, dtype, as_dtype):
        return _nothing(storage.nbytes)

    def full(self, shape, value, dtype):
        return _nothing(_count(shape) * dtype.itemsize)

    def arange(self, start, step, n, dtype):
        return _nothing(n * dtype.itemsize)

    def random(self, kind, n, dtype, seed, offset, a, b):
        return _nothing(n * dtype.itemsize)


def _count(shape) -> int:
    n = 1
    for s in shape:
        n *= s
    return n
