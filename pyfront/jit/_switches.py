"""The rest of ``torch.jit``'s public names that scripts use around TorchScript, run eagerly: the
warning and error classes (``warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)``),
``isinstance`` (torch's eager check of container types), ``Attribute``, ``script_if_tracing`` and the
executor and fuser switches (``optimized_execution``, ``fuser``, ``set_fusion_strategy``,
``enable_onednn_fusion``, ``strict_fusion``), which have no executor or fuser to switch here."""
from __future__ import annotations

import builtins
import collections
import collections.abc
import contextlib
import types
import typing
import warnings


class Error(Exception):
    """``torch.jit.Error``: what a TorchScript ``raise`` becomes (never raised here: nothing is scripted)."""


Error.__module__ = "pyfront.jit"  # where it is public: torch.jit.Error under ``pyfront run``, as torch's


class TracerWarning(Warning):
    """``torch.jit.TracerWarning``: a trace that may not generalise (not raised here: nothing is traced)."""

    @staticmethod
    def ignore_lib_warnings():
        warnings.filterwarnings("ignore", category=TracerWarning, module="torch.(?!jit)")


class ScriptWarning(Warning):
    """``torch.jit.ScriptWarning``."""


class TracingCheckError(Exception):
    """``torch.jit.TracingCheckError``: a trace whose check failed (not raised here)."""

    def __init__(self, graph_diff_error, tensor_compare_error, extra_msg=None):
        self.message = "Tracing failed sanity checks!\n"
        if extra_msg is not None:
            self.message += extra_msg + "\n"
        for part in (graph_diff_error, tensor_compare_error):
            if part is not None:
                self.message += part + "\n"
        super().__init__(self.message)


# torch's value with TorchScript on (its default): ScriptModule.__setattr__ keeps ``value``
Attribute = collections.namedtuple("Attribute", ["value", "type"])


def script_if_tracing(fn):
    """``@torch.jit.script_if_tracing``: ``fn`` itself (nothing is traced here)."""
    return fn


@contextlib.contextmanager
def optimized_execution(should_optimize):
    """``with torch.jit.optimized_execution(flag):``: the block runs as written (no graph executor)."""
    yield


_FUSERS = ("fuser0", "fuser1", "fuser2", "fuser3", "none")


@contextlib.contextmanager
def fuser(name):
    """``with torch.jit.fuser(name):``: torch's names are accepted and fuse nothing here; another name is
    torch's error."""
    if name not in _FUSERS:
        raise Exception(f"unrecognized fuser option (name: {name})")  # noqa: TRY002 - torch's type
    yield


_fusion_strategy = [("STATIC", 2), ("DYNAMIC", 10)]  # torch's default


def set_fusion_strategy(strategy):
    """Record the fusion strategy and return the previous one, as ``torch.jit.set_fusion_strategy``."""
    global _fusion_strategy
    previous, _fusion_strategy = _fusion_strategy, list(strategy)
    return previous


def enable_onednn_fusion(enabled: bool) -> None:
    """Accepted; pyfront has no oneDNN graph fuser (``onednn_fusion_enabled()`` stays False)."""


def onednn_fusion_enabled() -> bool:
    return False


class strict_fusion:
    """``with torch.jit.strict_fusion():``: torch's warning outside script mode, which is always here."""

    def __init__(self) -> None:
        warnings.warn("Only works in script mode", stacklevel=2)

    def __enter__(self):
        pass

    def __exit__(self, type, value, tb) -> None:
        pass


strict_fusion.__module__ = "pyfront.jit"  # torch.jit.strict_fusion, as torch's prints


def isinstance(obj, target_type) -> bool:
    """``torch.jit.isinstance`` in eager mode: ``obj`` checked against a type or a container type
    (List/Dict/Tuple/Optional/Union and their builtin spellings) element by element, as torch's."""
    if builtins.isinstance(target_type, collections.abc.Container):
        if not builtins.isinstance(target_type, tuple):
            raise RuntimeError("The second argument to `torch.jit.isinstance` must be a type or a tuple of "
                               "types")
        return any(isinstance(obj, t) for t in target_type)
    if typing.get_origin(target_type):
        return _contains(obj, target_type)
    _check_args_exist(target_type)
    return builtins.isinstance(obj, target_type)


_BARE = {dict: "dict", list: "list", tuple: "tuple", typing.Dict: "Dict", typing.List: "List",  # noqa: UP006
         typing.Optional: "Optional", typing.Tuple: "Tuple"}  # noqa: UP006


def _check_args_exist(target_type) -> None:
    name = _BARE.get(target_type)
    if name is None:
        return
    if name.endswith("ict"):
        raise RuntimeError(f"Attempted to use {name} without contained types. Please add contained type, "
                           f"e.g. {name}[int, int]")
    raise RuntimeError(f"Attempted to use {name} without a contained type. Please add a contained type, "
                       f"e.g. {name}[int]")


def _warn_if_empty(obj) -> None:
    if obj == [] or obj == {} or obj == ():
        warnings.warn("The inner type of a container is lost when calling torch.jit.isinstance in eager "
                      "mode. For example, List[int] would become list and therefore falsely return True for "
                      "List[float] or List[str].", stacklevel=4)


def _matches(value, kind) -> bool:
    return _contains(value, kind) if typing.get_origin(kind) else builtins.isinstance(value, kind)


def _contains(obj, target_type) -> bool:
    """torch's container_checker: whether ``obj`` is the container ``target_type`` names, its elements
    checked one by one (an empty container matches whatever its element type, with a warning)."""
    origin, args = typing.get_origin(target_type), typing.get_args(target_type)
    _check_args_exist(target_type)
    if origin is list:
        _warn_if_empty(obj)
        return builtins.isinstance(obj, list) and all(_matches(el, args[0]) for el in obj)
    if origin is dict:
        _warn_if_empty(obj)
        return builtins.isinstance(obj, dict) and all(
            builtins.isinstance(k, args[0]) and _matches(v, args[1]) for k, v in obj.items())
    if origin is tuple:
        _warn_if_empty(obj)
        return (builtins.isinstance(obj, tuple) and len(obj) == len(args)
                and all(_matches(el, t) for el, t in zip(obj, args)))
    if origin is typing.Union or origin is types.UnionType:  # Optional too
        if obj is None:
            return True
        for t in args:
            if typing.get_origin(t):  # torch decides on the first container type it meets
                return _contains(obj, t)
            if builtins.isinstance(obj, t):
                return True
    return False
