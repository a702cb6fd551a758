"""``load(weights_only=False)``: the user's explicit opt-in to Python's full unpickler, as in torch.

This runs whatever the file names (any class, any callable): use it only on files you trust. The
file's tensors still go through the checked handlers of the weights-only reader, and ``torch.X``
globals resolve to ``pyfront.X`` (``torch.nn.modules.linear.Linear`` is pyfront's Linear).
"""
from __future__ import annotations

import importlib
import io
import pickle

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
    try:
        found = importlib.import_module(module)
        for part in name.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError):
        raise pickle.UnpicklingError(f"the file names {qualname}, which pyfront does not have") from None
    return found
