"""``torch.jit``: the TorchScript API, run eagerly. pyfront has no TorchScript compiler or interpreter.

``script(module)`` and ``trace(module, example_inputs)`` return a module of torch's class name
(``RecursiveScriptModule``, ``TopLevelTracedModule``) that prints as torch prints one, holds the very
parameters and buffers of the module (so ``state_dict``, optimizers and ``load_state_dict`` work on
either), keeps its own ``training`` flag and attributes as torch's copy does, and whose ``forward`` is
the original's Python code, run eagerly. So a traced module follows Python control flow on every call,
where torch replays the path the example inputs took. ``script(fn)`` and ``trace(fn, ...)`` return
``fn``; the decorators (``ignore``, ``unused``, ``export``, ``script_method``, ``interface``) return
what they decorate; ``is_scripting()``/``is_tracing()`` are False; ``fork`` runs the call and
``wait`` gives its result.

Writing or reading a TorchScript archive (``torch.jit.save``, ``ScriptModule.save``, ``torch.jit.load``)
and a module's ``code``/``graph`` raise RuntimeError saying pyfront cannot: save the ``state_dict``
with ``torch.save`` instead.
"""
from __future__ import annotations

import builtins
import typing
import warnings

from ..nn.modules.module import Module
from ._switches import (Attribute, Error, ScriptWarning, TracerWarning, TracingCheckError,  # noqa: F401
                        enable_onednn_fusion, fuser, isinstance, onednn_fusion_enabled, optimized_execution,
                        script_if_tracing, set_fusion_strategy, strict_fusion)

__all__ = ["Final", "ScriptFunction", "ScriptModule", "RecursiveScriptModule", "TopLevelTracedModule",
           "TracedModule", "annotate", "export", "fork", "freeze", "ignore", "interface", "is_scripting",
           "is_tracing", "load", "optimize_for_inference", "save", "script", "script_method", "trace",
           "unused", "wait", "Attribute", "Error", "ScriptWarning", "TracerWarning", "TracingCheckError",
           "enable_onednn_fusion", "fuser", "isinstance", "onednn_fusion_enabled", "optimized_execution",
           "script_if_tracing", "set_fusion_strategy", "strict_fusion"]

Final = typing.Final


def _deprecated(name: str, instead: str = "`torch.compile` or `torch.export`") -> None:
    """torch 2.13's DeprecationWarning on each TorchScript entry point, raised as torch raises it: from the
    library's own line (torch's stacklevel 1), so Python's default filters hide it unless the user asks
    (``-W always``), where one attributed to the user's ``__main__`` would always show."""
    warnings.warn(f"`torch.jit.{name}` is deprecated. Please switch to {instead}.", DeprecationWarning,
                  stacklevel=2)


def _no_archive(what: str):
    return RuntimeError(f"pyfront cannot {what} a TorchScript archive: it runs modules eagerly and has no "
                        "TorchScript compiler or interpreter. Save the weights with "
                        "torch.save(model.state_dict(), path) and load them into the Python model.")


class ScriptModule(Module):
    """``torch.jit.ScriptModule``: a Module (subclass it with ``@torch.jit.script_method`` methods, which
    run as Python). Its archive cannot be written: ``save`` raises RuntimeError."""

    def __setattr__(self, name: str, value) -> None:
        if builtins.isinstance(value, Attribute):  # ``self.x = torch.jit.Attribute(v, type)`` keeps v
            value = value.value
        super().__setattr__(name, value)

    def save(self, f, **kwargs):
        """Write a TorchScript archive: pyfront cannot (RuntimeError)."""
        raise _no_archive("write")

    @property
    def code(self):
        raise RuntimeError("pyfront has no TorchScript: a scripted module runs its Python code eagerly, "
                           "there is no TorchScript code or graph to show")

    graph = inlined_graph = code


class RecursiveScriptModule(ScriptModule):
    """What ``torch.jit.script(module)`` returns: the module's own class behind torch's name, its
    parameters and buffers the module's, printed as torch prints a scripted module."""

    _jit_name = "RecursiveScriptModule"

    def _get_name(self) -> str:
        return self._jit_name

    def extra_repr(self) -> str:
        return f"original_name={self.original_name}"


class TracedModule(RecursiveScriptModule):
    """What ``torch.jit.trace(module, ...)`` makes of each submodule; printed under its original name."""

    def _get_name(self) -> str:
        return self.original_name


class TopLevelTracedModule(TracedModule):
    """What ``torch.jit.trace(module, ...)`` returns (see ``TracedModule``)."""


ScriptFunction = type(lambda: None)  # a scripted function is the function itself
_CLASSES: dict = {}  # (kind, the module's class) -> the class of its scripted or traced copies
_MADE: set = set()


def _wrap(module: Module, kind: type) -> Module:
    """A copy of ``module``'s fields in a subclass of ``kind`` and its own class (so every method, forward
    and ``__iter__`` included, is the module's), over the same parameters and buffers."""
    original = type(module)
    if original in _MADE:  # a scripted or traced module made again (a traced one frozen): its module's class
        original = original.__bases__[1]
    key = (kind, original)
    cls = _CLASSES.get(key)
    if cls is None:
        cls = _CLASSES[key] = type(kind.__name__, (kind, original), {"__module__": "torch.jit"})
        _MADE.add(cls)
    new = object.__new__(cls)
    new.__dict__.update(module.__dict__)
    child_kind = TracedModule if issubclass(kind, TracedModule) else kind
    object.__setattr__(new, "_parameters", dict(module._parameters))
    object.__setattr__(new, "_buffers", dict(module._buffers))
    # a child scripted or traced already stays what it is, as in torch's mixes of scripting and tracing
    object.__setattr__(new, "_modules", {k: m if m is None or builtins.isinstance(m, ScriptModule)
                                         else _wrap(m, child_kind) for k, m in module._modules.items()})
    object.__setattr__(new, "original_name", original.__name__)
    return new


def script(obj, optimize=None, _frames_up=0, _rcb=None, example_inputs=None):
    """``torch.jit.script``: a module becomes a ``RecursiveScriptModule`` that runs its Python forward
    (see the module); a function, a class or a scripted module is returned as it is."""
    _deprecated("script")
    if builtins.isinstance(obj, ScriptModule) or not builtins.isinstance(obj, Module):
        return obj
    return _wrap(obj, RecursiveScriptModule)


def trace(func, example_inputs=None, optimize=None, check_trace=True, check_inputs=None, check_tolerance=1e-5,
          strict=True, _force_outplace=False, _module_class=None, _compilation_unit=None,
          example_kwarg_inputs=None, _store_inputs=True):
    """``torch.jit.trace``: a module becomes a ``TopLevelTracedModule`` that runs its Python forward on
    every call (nothing is recorded: Python control flow is followed each time); a function is returned
    as it is."""
    _deprecated("trace")
    if builtins.isinstance(func, ScriptModule) or not builtins.isinstance(func, Module):
        return func
    _deprecated("trace_method")  # torch traces a module's forward through trace_module
    return _wrap(func, TopLevelTracedModule)


def trace_module(mod, inputs, **kwargs):
    """``torch.jit.trace_module``: as ``trace(mod)``."""
    return trace(mod)


def freeze(mod, preserved_attrs=None, optimize_numerics=True):
    """``torch.jit.freeze``: the scripted module itself, after torch's checks (RuntimeError for a module
    that is not scripted or is in training mode)."""
    if not builtins.isinstance(mod, ScriptModule):
        raise RuntimeError("Freezing expects a ScriptModule as input. Please use torch.jit.script or "
                           "torch.jit.trace to script your 'nn.Module'.")
    if mod.training:
        raise RuntimeError("Freezing is currently only implemented for modules in eval mode. Please call "
                           ".eval() on your module before freezing.")
    if type(mod)._jit_name == "RecursiveScriptModule" and not builtins.isinstance(mod, TracedModule):
        return mod
    return _wrap(mod, RecursiveScriptModule)  # a frozen traced module is a scripted one, as torch's


def optimize_for_inference(mod, other_methods=None):
    """``torch.jit.optimize_for_inference``: a scripted module in eval mode (a module is scripted first)."""
    if not builtins.isinstance(mod, ScriptModule):
        mod = script(mod.eval())
    return freeze(mod.eval())


def save(m, f, _extra_files=None):
    """``torch.jit.save``: pyfront cannot write a TorchScript archive (RuntimeError)."""
    _deprecated("save", "`torch.export`")
    raise _no_archive("write")


def load(f, map_location=None, _extra_files=None, _restore_shapes=False):
    """``torch.jit.load``: pyfront cannot run a TorchScript archive (RuntimeError)."""
    _deprecated("load", "`torch.export`")
    raise _no_archive("load")


def _decorator(fn=None, **kwargs):
    return (lambda f: f) if fn is None else fn


def ignore(drop=False, **kwargs):
    """``@torch.jit.ignore`` / ``@torch.jit.ignore(drop=True)``: the function (it is Python already)."""
    return drop if callable(drop) else (lambda fn: fn)


def script_method(fn):
    """``@torch.jit.script_method`` (of a ``ScriptModule`` subclass): the method, run as Python."""
    _deprecated("script_method")
    return fn


unused = export = interface = _decorator


def is_scripting() -> bool:
    """False: code never runs as TorchScript here."""
    return False


def is_tracing() -> bool:
    """False: nothing is traced here."""
    return False


def annotate(the_type, the_value):
    """``torch.jit.annotate``: ``the_value`` (a type hint for the TorchScript compiler)."""
    return the_value


class Future:
    """``torch.jit.fork``'s result: the call has run; ``wait()`` gives its value."""

    def __init__(self, value):
        self._value = value

    def wait(self):
        return self._value

    value = wait

    def done(self) -> bool:
        return True


def fork(func, *args, **kwargs) -> Future:
    """``torch.jit.fork``: runs ``func(*args, **kwargs)`` now (TorchScript would run it asynchronously)."""
    return Future(func(*args, **kwargs))


def wait(future):
    """``torch.jit.wait``: the value of a ``fork``."""
    return future.wait()
