"""``torch._dynamo``: the names scripts reach for around ``torch.compile``, with nothing to compile.

pyfront runs every op eagerly (see ``pyfront.compiler``), so there is no graph capture to tune: the
``config`` knobs are kept and read back as set (an unknown one raises AttributeError, as torch's),
``reset`` clears nothing, ``disable`` returns the function, ``is_compiling`` is False,
``mark_dynamic``/``mark_static``/``maybe_mark_dynamic`` leave the tensor as it is, ``allow_in_graph``
returns its argument and ``optimize(...)`` gives a decorator that returns the function unchanged.
"""
from __future__ import annotations

from ..compiler import (OptimizedModule, _check_backend, allow_in_graph, assume_constant_result,  # noqa: F401
                        disable, disallow_in_graph, is_compiling, list_backends, reset, set_stance)
from . import config, exc  # noqa: F401

__all__ = ["OptimizedModule", "allow_in_graph", "assume_constant_result", "config", "disable",
           "disallow_in_graph", "graph_break", "is_compiling", "is_dynamo_supported", "list_backends",
           "mark_dynamic", "mark_static", "mark_static_address", "maybe_mark_dynamic", "optimize", "reset",
           "set_stance"]


def mark_dynamic(t, index, *, min=None, max=None, specialize_on=None) -> None:
    """``torch._dynamo.mark_dynamic``: a hint to the compiler that pyfront has not; nothing changes."""


def maybe_mark_dynamic(t, index) -> None:
    """``torch._dynamo.maybe_mark_dynamic``: a compiler hint; nothing changes."""


def mark_static(t, index=None) -> None:
    """``torch._dynamo.mark_static``: a compiler hint; nothing changes."""


def optimize(backend="inductor", *, nopython=False, guard_export_fn=None, guard_fail_fn=None,
             disable=False, dynamic=None):
    """``torch._dynamo.optimize(backend)``: a decorator returning its function unchanged (eager is what a
    compiled function computes); a backend name torch does not know is its InvalidBackend."""
    _check_backend(backend)
    return lambda fn: fn


def mark_static_address(t, guard: bool = False) -> None:
    """``torch._dynamo.mark_static_address``: a compiler hint; nothing changes."""


def graph_break(msg: str = "") -> None:
    """``torch._dynamo.graph_break``: there is no graph to break."""


def is_dynamo_supported() -> bool:
    """True: ``torch.compile`` works here (it runs the model eagerly)."""
    return True
