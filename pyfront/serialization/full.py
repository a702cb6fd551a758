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


class _Full:
    """An Unpickler whose storages and tensors are the weights-only reader's (``safe``); ``options`` are the
    Unpickler's keywords (``encoding``, ``errors``), as torch.load passes its ``pickle_load_args``."""

    def __init__(self, data: bytes, safe: Unpickler, **options):
        self.stream = io.BytesIO(data)  # its position after load: where a legacy file's next pickle starts
        super().__init__(self.stream, **options)
        self.safe = safe

    def find_class(self, module: str, name: str):
        qualname = f"{module}.{name}"
        found = GLOBALS.get(qualname)
        if isinstance(found, _Callable):
            return getattr(self.safe, found.handler)
        if found is not None and not isinstance(found, _TensorType):  # a storage type or a dtype
            return found
        if module == "torch" or module.startswith("torch."):
            return torch_global(module, name)
        return super().find_class(module, name)

    def persistent_load(self, pid):
        # torch's legacy files name each Module class with its source ('module', cls, file, source):
        # torch.load takes the class and only compares the source, to warn; the class is what counts
        if type(pid) is tuple and len(pid) == 4 and pid[0] == "module":
            return pid[1]
        return self.safe.storage_ref(pid)


def torch_global(module: str, name: str):
    """What pyfront has for torch's ``module.name`` (a torch.* name a pickle holds), else an UnpicklingError
    naming it; ``pyfront run`` resolves the torch modules pyfront lacks with it too."""
    qualname = f"{module}.{name}"
    if qualname in _C_OWNERS:
        return _C_OWNERS[qualname]
    if qualname in _RENAMED:
        return _lookup(*_RENAMED[qualname])
    if module in _C_MODULES:
        home, prefix = _C_MODULES[module]
        found = _lookup(home, name[len(prefix):] if name.startswith(prefix) else name)
        if found is None:
            raise pickle.UnpicklingError(f"the file names {qualname}, which pyfront does not have")
        return found
    return _pyfront_global(_MOVED.get(module, "pyfront" + module[len("torch"):]), name, qualname)


class FullUnpickler(_Full, pickle.Unpickler):
    """The full reader over ``pickle``'s Unpickler."""


def full_unpickler(pickle_module) -> type:
    """The full reader over ``pickle_module``'s Unpickler (torch.load's ``pickle_module``)."""
    base = pickle_module.Unpickler
    return FullUnpickler if base is pickle.Unpickler else type("FullUnpickler", (_Full, base), {})


class _Owner:
    """What ``getattr(owner, name)`` in a file finds a torch builtin on: pyfront's ``prefix + name`` in the
    first of ``homes`` that has it, else an UnpicklingError naming it (not pyfront's AttributeError)."""

    def __init__(self, qualname: str, *homes: tuple):
        self._qualname, self._homes = qualname, homes  # (underscored: no torch function has such a name)

    def __getattr__(self, name: str):
        for module, prefix in self._homes:
            found = _lookup(module, prefix + name)
            if found is not None:
                return found
        raise pickle.UnpicklingError(f"the file names {self._qualname}.{name}, which pyfront does not have")


# torch pickles its builtin functions by their C homes: torch.sum as getattr(torch._C._VariableFunctionsClass,
# "sum") (F.conv2d too: it is torch.conv2d), Tensor.add as getattr(torch._C.TensorBase, "add"), F.gelu as
# torch._C._nn.gelu, torch.linalg.det as torch._C._linalg.linalg_det. Where pyfront has them: the owner
# getattr takes them from, and the module and the prefix torch's C name adds
_C_OWNERS = {f"torch._C.{name}": _Owner(f"torch._C.{name}", *homes) for name, homes in (
    ("_VariableFunctionsClass", (("pyfront", ""), ("pyfront.nn.functional", ""))),
    ("TensorBase", (("pyfront", "Tensor."),)), ("_TensorBase", (("pyfront", "Tensor."),)))}
# names torch pickles under another name than the public one
_RENAMED = {"torch._C._LinAlgError": ("pyfront.linalg", "LinAlgError"),
            "torch._C._nn.log_sigmoid": ("pyfront.nn.functional", "logsigmoid"),
            "torch._C._is_multithreading_enabled": ("pyfront.autograd", "is_multithreading_enabled"),
            "torch._C._is_view_replay_enabled": ("pyfront.autograd", "is_view_replay_enabled")}
_C_MODULES = {"torch._C._nn": ("pyfront.nn.functional", ""),
              "torch._C._linalg": ("pyfront.linalg", "linalg_"),
              "torch._C._special": ("pyfront.special", "special_"), "torch._C._fft": ("pyfront.fft", "fft_")}

# torch modules pyfront keeps under another path (no package above the torch path's has them)
_MOVED = {"torch.return_types": "pyfront.ops.return_types"}


def _pyfront_global(module: str, name: str, qualname: str):
    """``pyfront.a.b.c`` + ``name``; where pyfront keeps it elsewhere than torch (its files are laid out
    differently: torch's ``torch.nn.modules.batchnorm.BatchNorm1d`` is ``pyfront.nn.BatchNorm1d``), the
    packages above, down to ``pyfront.<top>`` (``pyfront.nn``, ``pyfront.optim``), and for
    ``torch.nn.modules`` every file of ``pyfront.nn.modules`` (for classes ``pyfront.nn`` does not export)."""
    parts = module.split(".")
    for end in range(len(parts), min(2, len(parts)) - 1, -1):
        found = _lookup(".".join(parts[:end]), name)
        if found is not None:
            # torch.serialization.save is torch.save; pyfront's public one wraps its module's (argcheck)
            public = _lookup("pyfront", name)
            return public if getattr(public, "__wrapped__", None) is found else found
    # torch's private homes of public names (torch.functional.einsum, torch._tensor_str.set_printoptions)
    if len(parts) > 1 and (parts[1].startswith("_") or module == "pyfront.functional"):
        found = _lookup("pyfront", name)
        if found is not None:
            return found
    if module.startswith("pyfront.nn.modules"):
        for info in pkgutil.iter_modules(_nn_modules().__path__):
            found = _lookup(f"pyfront.nn.modules.{info.name}", name)
            if found is not None:
                return found
    if name.startswith("_") and not name.startswith("__"):  # torch's public F.threshold is its _threshold
        return _pyfront_global(module, name[1:], qualname)
    raise pickle.UnpicklingError(f"the file names {qualname}, which pyfront does not have")


def _nn_modules():
    return importlib.import_module("pyfront.nn.modules")


def _lookup(module: str, name: str):
    try:
        found = importlib.import_module(module)
        for part in name.split(".") if name else ():
            found = getattr(found, part)
    except (ImportError, AttributeError):
        return None
    return found
