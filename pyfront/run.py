"""``python -m pyfront run script.py [args]``: run an unchanged PyTorch script on pyfront.

A meta path finder answers every ``import torch`` and ``import torch.X.Y`` with pyfront's module
``pyfront.X.Y`` (the same object, so ``torch.nn.Module is pyfront.nn.Module``), whatever
submodules this pyfront has; a name pyfront lacks fails as a missing torch module does. The script
then runs through ``runpy`` as ``python script.py`` runs it: ``__name__ == "__main__"``,
``sys.argv[0]`` the script, its folder first on ``sys.path``. ``-m module`` runs a module the same
way.

``--cuda-as webgpu`` (or the environment variable ``PYFRONT_CUDA_AS=webgpu``) makes
``torch.cuda.is_available()`` True and the device ``cuda`` the WebGPU device; without it, cuda
answers as torch's CPU build does.
"""
from __future__ import annotations

import builtins
import importlib
import importlib.abc
import importlib.util
import io
import os
import pickle
import runpy
import sys
import threading
import types

USAGE = ("usage: python -m pyfront run [--cuda-as webgpu] (script.py | -m module) [args ...]\n"
         "  runs a PyTorch script unchanged, with torch and its submodules resolving to pyfront;\n"
         "  --cuda-as webgpu (or PYFRONT_CUDA_AS=webgpu) makes torch.cuda.is_available() True and\n"
         "  maps the device 'cuda' to the WebGPU device")


class _Alias(importlib.abc.Loader):
    """Loads ``torch.X`` as the already imported ``pyfront.X``, leaving that module as it is."""

    def __init__(self, target: str):
        self.target = target

    def create_module(self, spec):
        return importlib.import_module(self.target)

    def exec_module(self, module) -> None:
        # the import system set the alias's spec on the shared module: give pyfront its own back
        module.__spec__ = importlib.util.find_spec(self.target)
        _missing_names_as_torch(module)


_WITHOUT_TORCH = frozenset("torch." + name for name in (
    "amp", "cpu.amp", "cuda.amp", "distributions", "distributions.chi2", "distributions.constraint_registry",
    "distributions.log_normal", "distributions.logistic_normal", "distributions.pareto", "func", "linalg",
    "multiprocessing.spawn", "nn", "nn.modules", "nn.modules.distance", "nn.modules.dropout",
    "nn.modules.flatten", "nn.modules.loss", "nn.modules.padding", "nn.modules.pooling",
    "nn.modules.upsampling", "nn.modules.utils", "nn.parallel", "nn.utils", "nn.utils.weight_norm", "ops",
    "optim", "optim.lr_scheduler", "profiler", "signal", "signal.windows", "testing", "utils.data",
    "utils.data.dataset", "version")) | {"torch"}


def _missing_names_as_torch(module) -> None:
    """A name the script asks of ``torch.X`` that pyfront's module lacks fails naming ``torch.X``, as
    torch's own AttributeError does (``module 'torch.functional' has no attribute 'max_pool2d'``), not
    the pyfront module it is; a module with a ``__getattr__`` of its own answers for itself."""
    if not isinstance(module, types.ModuleType) or "__getattr__" in vars(module):
        return
    torch_name = "torch" + module.__name__[len("pyfront"):]
    # most of torch's files ``import torch``, so old scripts reach torch through one (capsule networks'
    # ``torch.sparse.torch.eye``): those torch 2.13 modules pyfront has that do not are listed
    imports_torch = torch_name not in _WITHOUT_TORCH

    def missing(name: str):
        if name == "torch" and imports_torch:
            return sys.modules["torch"]
        raise AttributeError(f"module '{torch_name}' has no attribute '{name}'")
    module.__getattr__ = missing


def _torch_names(module_name: str):
    """A module ``__getattr__`` (PEP 562) answering the names torch pickles under ``module_name`` with what
    ``load(weights_only=False)`` finds for them, else the AttributeError of a name a module lacks."""
    from .serialization.full import torch_global

    def found(name: str):
        # the search reads pyfront's modules, some answering through this: a thread searches a name once
        searching = _SEARCHING.__dict__.setdefault("names", set())
        if (module_name, name) not in searching:
            searching.add((module_name, name))
            try:
                return torch_global(module_name, name)
            except pickle.UnpicklingError:
                pass
            finally:
                searching.discard((module_name, name))
        raise AttributeError(f"module '{module_name}' has no attribute '{name}'")
    return found


_SEARCHING = threading.local()


class _Standin(importlib.abc.Loader):
    """Loads a ``torch.X`` that torch pickles name and pyfront has not (``torch.nn.modules.batchnorm``,
    ``torch._C._nn``, ``torch.optim.adamw``) as a module whose names are what ``load(weights_only=False)``
    finds for them: so a plain pickle torch made (a DataLoader's batch, a cached model) loads here."""

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__getattr__ = _torch_names(spec.name)
        return module

    def exec_module(self, module) -> None:
        pass


def _pickled_homes() -> tuple:
    """The torch modules torch pickles name (its C homes, and the files of what pyfront writes by torch's
    name): (those pyfront lacks, those pyfront has without one of the names)."""
    from .serialization.full import _C_MODULES
    from .serialization.homes import HOMES
    # (torch._C is pyfront._C, the protocol's switches, and answers the names torch pickles under it)
    missing, partial = set(_C_MODULES), {"torch._C"}
    for module, qualname in HOMES.values():
        try:
            home = importlib.import_module("pyfront" + module[len("torch"):])
        except ImportError:
            missing.add(module)
            continue
        if not hasattr(home, qualname.split(".")[0]):
            partial.add(module)
    return missing, partial


def _module_name(name: str) -> str:
    """The module ``name`` is: a submodule torch has as a file that pyfront keeps elsewhere and imports
    under torch's name (``torch.return_types`` is pyfront's ``ops.return_types``) is that module."""
    parent, _, child = name.rpartition(".")
    owner = sys.modules.get(parent)
    # (a module the parent holds, not one its __getattr__ answers a pickled name with: torch._C._profiler)
    found = vars(owner).get(child) if owner is not None and child not in ("__main__",) else None
    if isinstance(found, types.ModuleType) and found.__name__ != name:
        return found.__name__
    return name


class TorchFinder(importlib.abc.MetaPathFinder):
    """Finds ``torch`` and ``torch.*`` as the pyfront modules of the same names."""

    def __init__(self):
        self.standins, partial = _pickled_homes()
        for name in partial:  # pyfront's module, as the alias promises; the names torch's file has added
            module = importlib.import_module("pyfront" + name[len("torch"):])
            if "__getattr__" not in vars(module):
                module.__getattr__ = _torch_names(name)

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "torch" and not fullname.startswith("torch."):
            return None
        if fullname in self.standins:
            return importlib.util.spec_from_loader(fullname, _Standin(), is_package=True)
        name = _module_name("pyfront" + fullname[len("torch"):])
        try:
            found = importlib.util.find_spec(name)
        except ModuleNotFoundError:  # a parent that pyfront lacks
            return None
        if found is None:
            return None
        return importlib.util.spec_from_loader(fullname, _Alias(name),
                                               is_package=found.submodule_search_locations is not None)


def install(cuda_as: str | None = None) -> None:
    """Alias ``torch`` to pyfront in this process; ``cuda_as="webgpu"`` maps the cuda device too."""
    import pyfront
    finder = next((f for f in sys.meta_path if isinstance(f, TorchFinder)), None)
    if finder is None:
        finder = TorchFinder()
        sys.meta_path.insert(0, finder)
    for name, module in list(sys.modules.items()):  # what pyfront already imported, under torch's names
        if name == "pyfront" or name.startswith("pyfront."):
            sys.modules.setdefault("torch" + name[len("pyfront"):], module)
            _missing_names_as_torch(module)
    _classes_by_torch_names()
    if cuda_as is not None:
        if cuda_as != "webgpu":
            raise SystemExit(f"--cuda-as takes 'webgpu', not {cuda_as!r}")
        pyfront.cuda.map_to_webgpu(True)
    _spawn_children_as_pyfront(cuda_as)


# pyfront's files whose public classes torch defines elsewhere than the file of the same name (tried
# before that file's alias; a class that name does not find takes the alias)
_TORCH_CLASS_FILES = {"pyfront.tensor": "torch", "pyfront.dtypes": "torch", "pyfront.device": "torch",
                      "pyfront.shape": "torch", "pyfront.random": "torch._C", "pyfront.ops.legacy": "torch",
                      "pyfront.sparse": "torch", "pyfront.ops.primitives.decompositions": "torch._C",
                      "pyfront.ops.return_types": "torch.return_types",
                      "pyfront.autograd.saved_hooks": "torch.autograd.graph",
                      "pyfront.nn.modules.module": "torch.utils.hooks",
                      "pyfront.serialization.safe_globals": "torch.serialization",
                      "pyfront.distributions.transforms_matrix": "torch.distributions.transforms",
                      "pyfront.distributions.transforms_structured": "torch.distributions.transforms"}


def _classes_by_torch_names() -> None:
    """A script that prints a class or function (``print(type(x))``, a ``torch.typename``,
    ``F.relu.__module__``, an error naming a type) shows torch's module: ``<class 'torch.Tensor'>``,
    ``torch.nn.modules.linear.Linear``, ``torch.nn.functional.relu``, not the pyfront file it lives in. So
    each public pyfront class and function (and the methods a renamed class defines) takes the module torch
    names it by (its pickle home, else where torch defines its file's classes, else the alias of its own
    file, else of the module that exports it), the first whose name finds the very object again through the
    alias, so pickle still finds it. Only ``__module__`` changes (a name an error or a bound method's pickle
    reads stays); nothing is added to a call. pyfront's own autograd Functions keep theirs: forward AD tells
    them apart by it. Modules keep pyfront's ``__name__``: it is their globals' ``__name__``, which pyfront's
    frames go by (warnings' stack levels, the calls it tells apart), and a ModuleType subclass naming them
    would slow every ``torch.X`` lookup (CPython specialises attribute reads of plain modules only)."""
    from .autograd.function import Function
    from .serialization.homes import HOMES, resolves
    renamed = []
    for name, module in list(sys.modules.items()):
        if not (name == "pyfront" or name.startswith("pyfront.")) or not isinstance(module, types.ModuleType):
            continue
        for attr, obj in list(vars(module).items()):
            kind = isinstance(obj, type)
            if (attr.startswith("_") or not (kind or isinstance(obj, types.FunctionType))
                    or not (obj.__module__ or "").startswith("pyfront")
                    or kind and issubclass(obj, Function) and obj is not Function):
                continue
            home = HOMES.get(obj, (None, None))
            kept = obj.__module__
            # the last: the module that makes it public (torch.cuda's legacy tensor types)
            for torch_module in (home[0] if home[1] == obj.__qualname__ else None,
                                 _TORCH_CLASS_FILES.get(kept), "torch" + kept[len("pyfront"):],
                                 "torch" + name[len("pyfront"):]):
                if torch_module is not None and _finds(obj, torch_module, resolves):
                    if kind:
                        renamed.append((obj, kept))
                    break
            else:
                obj.__module__ = kept
    for cls, kept in renamed:  # its methods (Linear.forward): where its new name finds them
        for method in vars(cls).values():
            if isinstance(method, types.FunctionType) and method.__module__ == kept:
                method.__module__ = cls.__module__
                if not resolves(method):
                    method.__module__ = kept


def _finds(obj, torch_module: str, resolves) -> bool:
    """Names ``obj`` (a class or function) by ``torch_module``: whether that name finds it again (imported
    through the alias, so that ``resolves`` sees the module)."""
    obj.__module__ = torch_module
    try:
        importlib.import_module(torch_module)
    except ImportError:
        return False
    return resolves(obj)


def _spawn_children_as_pyfront(cuda_as: str | None) -> None:
    """A process the script starts with the spawn or forkserver method (``torch.multiprocessing``, a
    DataLoader's workers: spawn is macOS's and Windows' default, forkserver Linux's from Python 3.14) is a
    fresh interpreter that imports the script's main module again: its ``import torch`` must find pyfront
    there too (else it gets another torch, or none). So every Python that ``multiprocessing`` starts (on
    POSIX through ``util.spawnv_passfds``, on Windows from ``spawn.get_command_line``) first installs
    this alias, from the pyfront the parent runs; a forkserver's children inherit it."""
    import multiprocessing.spawn as spawn
    import multiprocessing.util as util
    if getattr(util.spawnv_passfds, "pyfront_alias", False):
        return
    home = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    prefix = (f"import sys; sys.path.insert(0, {home!r}); import pyfront.run; sys.path.remove({home!r}); "
              f"pyfront.run.install({cuda_as!r}); ")

    def aliased(command):
        command = list(command)
        if "-c" in command:
            at = command.index("-c") + 1
            if not command[at].startswith(prefix):
                command[at] = prefix + command[at]
        return command

    spawnv_passfds, get_command_line = util.spawnv_passfds, spawn.get_command_line
    util.spawnv_passfds = lambda path, args, passfds: spawnv_passfds(path, aliased(args), passfds)
    util.spawnv_passfds.pyfront_alias = True
    spawn.get_command_line = lambda **kwds: aliased(get_command_line(**kwds))


def main(argv: list[str]) -> int:
    cuda_as = os.environ.get("PYFRONT_CUDA_AS") or None
    args = list(argv)
    while args and args[0].startswith("--cuda-as"):
        if "=" in args[0]:
            cuda_as = args.pop(0).split("=", 1)[1]
        elif len(args) > 1:
            args.pop(0)
            cuda_as = args.pop(0)
        else:
            args = []
    if not args or args[0] in ("-h", "--help") or (args[0] == "-m" and len(args) < 2):
        print(USAGE, file=sys.stderr)
        return 2
    install(cuda_as)
    if args[0] == "-m":
        sys.argv = [args[1], *args[2:]]  # runpy puts the module's file in argv[0]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
        return 0
    sys.argv = args  # argv[0] as typed, as `python script.py` leaves it
    path = os.path.abspath(args[0])  # while __file__ and tracebacks name it absolutely
    try:
        with io.open_code(path) as f:
            source = f.read()
    except OSError as e:  # python's own words for a script it cannot open, and its exit status
        print(f"{sys.orig_argv[0]}: can't open file {path!r}: [Errno {e.errno}] {e.strerror}",
              file=sys.stderr)
        return 2
    sys.path[0] = os.path.dirname(path)  # its folder, not the cwd
    _run_as_main(compile(source, path, "exec", dont_inherit=True), path)
    return 0


def _run_as_main(code, path: str) -> None:
    """Run ``code`` as the module ``__main__`` (runpy.run_path would make argv[0] the absolute path)."""
    main = types.ModuleType("__main__")
    main.__dict__.update(__file__=path, __cached__=None, __loader__=None, __package__=None, __spec__=None,
                         __builtins__=builtins)
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = main
    try:
        exec(code, main.__dict__)
    finally:
        sys.modules["__main__"] = saved
