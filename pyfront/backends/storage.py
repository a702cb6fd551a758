"""Storage: a flat buffer owned by a backend, shared by every view of it."""
from __future__ import annotations


class Storage:
    """Flat device memory plus the version counter that in-place ops bump (shared by views)."""

    __slots__ = ("data", "device", "nbytes", "version", "__weakref__")

    def __init__(self, data, device, nbytes: int):
        self.data = data
        self.device = device
        self.nbytes = nbytes
        self.version = 0
