"""``load(weights_only=False)``: the user's explicit opt-in to Python's full unpickler, as in torch.

This runs whatever the file names (any class, any callable): use it only on files you trust. The
file's tensors still go through the checked handlers of the weights-only reader, and ``torch.X``
globals resolve to ``pyfront.X`` (``torch.nn.modules.linear.Linear`` is pyfront's Linear).
"""
from __future__ import annotations

import importlib
import io
import pickle
import pkgutil

from .unpickler import GLOBALS, Unpickler, _Callable, _TensorType


class FullUnpickler(pickle.Unpickler):
    """A ``pickle.Unpickler`` whose storages and tensors are the weights-only reader's (``safe``)."""

    def __init__(self, data: bytes, safe: Unpickler):
        super().__init__(io.BytesIO(data))
        self.safe = safe

    def find_class(self, module: str, name: str):
        qualname = f"{module}.{name}"
        found = GLOBALS.get(qualname)
        if isinstance(found, _Callable):
            return getattr(self.safe, found.handler)
        if found is not None and not isinstance(found, _TensorType):  # a storage type or a dtype
            return found
        if module == "torch" or module.startswith("torch."):
            return _pyfront_global("pyfront" + module[len("torch"):], name, qualname)
        return super().find_class(module, name)

    def persistent_load(self, pid):
        return self.safe.storage_ref(pid)


def _pyfront_global(module: str, name: str, qualname: str):
    """``pyfront.a.b.c`` + ``name``; where pyfront keeps it elsewhere than torch (its files are laid out
    differently: torch's ``torch.nn.modules.batchnorm.BatchNorm1d`` is ``pyfront.nn.BatchNorm1d``), the
    packages above, down to ``pyfront.<top>`` (``pyfront.nn``, ``pyfront.optim``), and for
    ``torch.nn.modules`` every file of ``pyfront.nn.modules`` (for classes ``pyfront.nn`` does not export)."""
    parts = module.split(".")
    for end in range(len(parts), min(2, len(parts)) - 1, -1):
        found = _lookup(".".join(parts[:end]), name)
        if found is not None:
            return found
    if module.startswith("pyfront.nn.modules"):
        for info in pkgutil.iter_modules(_nn_modules().__path__):
            found = _lookup(f"pyfront.nn.modules.{info.name}", name)
            if found is not None:
                return found
    raise pickle.UnpicklingError(f"the file names {qualname}, which pyfront does not have")


def _nn_modules():
    return importlib.import_module("pyfront.nn.modules")


def _lookup(module: str, name: str):
    try:
        found = importlib.import_module(module)
        for part in name.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError):
        return None
    return found
