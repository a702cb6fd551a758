"""``torch._dynamo``: the names scripts reach for around ``torch.compile``, with nothing to compile.

pyfront runs every op eagerly (see ``pyfront.compiler``), so there is no graph capture to tune: the
``config`` knobs are kept and read back as set (an unknown one raises AttributeError, as torch's),
``reset`` clears nothing, ``disable`` returns the function, ``is_compiling`` is False,
``mark_dynamic``/``mark_static``/``maybe_mark_dynamic`` leave the tensor as it is, ``allow_in_graph``
returns its argument and ``optimize(...)`` gives a decorator that returns the function unchanged.
"""
from __future__ import annotations

from ..compiler import OptimizedModule, _check_backend, disable, is_compiling, reset  # noqa: F401
from . import config, exc  # noqa: F401

__all__ = ["OptimizedModule", "allow_in_graph", "config", "disable", "is_compiling", "list_backends",
           "mark_dynamic", "mark_static", "maybe_mark_dynamic", "optimize", "reset"]


def mark_dynamic(t, index, *, min=None, max=None, specialize_on=None) -> None:
    """``torch._dynamo.mark_dynamic``: a hint to the compiler that pyfront has not; nothing changes."""


def maybe_mark_dynamic(t, index) -> None:
    """``torch._dynamo.maybe_mark_dynamic``: a compiler hint; nothing changes."""


def mark_static(t, index=None) -> None:
    """``torch._dynamo.mark_static``: a compiler hint; nothing changes."""


def allow_in_graph(fn):
    """``torch._dynamo.allow_in_graph``: ``fn`` itself (there is no graph)."""
    return fn


def optimize(backend="inductor", *, nopython=False, guard_export_fn=None, guard_fail_fn=None,
             disable=False, dynamic=None):
    """``torch._dynamo.optimize(backend)``: a decorator returning its function unchanged (eager is what a
    compiled function computes); a backend name torch does not know is its InvalidBackend."""
    _check_backend(backend)
    return lambda fn: fn


def list_backends(exclude_tags=("debug", "experimental")) -> list:
    """``torch._dynamo.list_backends``: pyfront has no compiler backends."""
    return []
