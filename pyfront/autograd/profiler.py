"""``torch.autograd.profiler``: ``record_function`` ranges and the ``profile`` context that collects them.

A collection is active while a ``profile`` records; ``record_function`` blocks entered meanwhile (on
any thread) become ``FunctionEvent`` s with their wall-clock times and nesting. Outside a collection a
``record_function`` costs two clock reads.

Every op a backend runs meanwhile becomes an ``aten::<op>`` event too. The timing costs nothing while no
profiler records, not even a check of a flag: the first collection replaces the backends' planners
(``plan``, ``plan_product``, ``plan_reduction``) and general ``run`` with timed ones, on the backend
objects themselves, and drops dispatch's cached plans so that each op asks again; the last one to stop
takes them away and drops the timed plans. (A backend first opened while a profiler records is not timed.)
"""
from __future__ import annotations

import contextlib
import threading
import time

from .profiler_util import EventList, FunctionEvent, FunctionEventAvg  # noqa: F401  (torch's names here)

_lock = threading.Lock()
_collections: list = []  # the active collections (a profile inside a profile records into both)
_stacks = threading.local()  # per thread: the open record_function ranges, for nesting


def _now_us() -> float:
    return time.perf_counter_ns() / 1000.0


class _Collection:
    """The events recorded between one start and stop."""

    def __init__(self):
        self.events = EventList()
        self._next_id = 0

    def add(self, name, start_us, end_us, args):
        with _lock:
            self._next_id += 1
            e = FunctionEvent(self._next_id, name, threading.get_ident(), start_us, end_us, args)
            self.events.append(e)
        return e

    def finish(self) -> EventList:
        # nesting from the times of each thread's ranges: a range's parent is the innermost one around it
        by_thread: dict = {}
        for e in sorted(self.events, key=lambda e: (e.start_us, -e.end_us)):
            open_ = by_thread.setdefault(e.thread, [])
            while open_ and open_[-1].end_us < e.end_us:
                open_.pop()
            if open_:
                e.cpu_parent = open_[-1]
                open_[-1].cpu_children.append(e)
            open_.append(e)
        self.events.sort(key=lambda e: e.start_us)
        return self.events


def _start() -> _Collection:
    c = _Collection()
    with _lock:
        _collections.append(c)
        first = len(_collections) == 1
    if first:
        _time_ops(True)
    return c


def _stop(c: _Collection) -> EventList:
    with _lock:
        if c in _collections:
            _collections.remove(c)
        last = not _collections
    if last:
        _time_ops(False)
    return c.finish()


_PLANNERS = ("plan", "plan_product", "plan_reduction")


def _time_ops(on: bool) -> None:
    """Time every op the backends run (``on``), or stop: see the module's docstring."""
    from ..backends import available, loaded
    from ..ops.dispatch import forget_plans
    available("cpu")
    for backend in loaded():
        for name in (*_PLANNERS, "run"):
            if not on:
                vars(backend).pop(name, None)  # the class's own method shows through again
            else:
                wrap = _timed_planner if name in _PLANNERS else _timed_run
                setattr(backend, name, wrap(getattr(backend, name)))
    forget_plans()


# the registry's ops that torch knows by another name (pyfront splits some of torch's ops in two)
_ATEN = {"relu_backward": "threshold_backward", "div_floor": "div", "div_trunc": "div", "to_copy": "_to_copy",
         "copy_slices": "copy_", "as_strided_any": "as_strided", "addmm_bias": "addmm", "torch_order": "sort",
         "take_along": "gather", "put_along": "scatter", "lu_pivots_permutation": "lu_unpack",
         "to_device": "_to_copy"}
_in_op = threading.local()  # an op a backend runs by way of another (a fallback, a planner's parts) is its


def _event_name(op) -> str:
    return "aten::" + _ATEN.get(op.name, op.name)


def _timed(run, name: str):
    def timed(*args):
        if getattr(_in_op, "depth", 0):
            return run(*args)
        _in_op.depth = 1
        start = _now_us()
        try:
            return run(*args)
        finally:
            _in_op.depth = 0
            end = _now_us()
            for c in list(_collections):
                c.add(name, start, end, None)
    return timed


def _timed_planner(planner):
    """A backend's planner whose plans (a function, or a falsy "no plan") record an event per call."""
    def plan(op, *args, **kwargs):
        run = planner(op, *args, **kwargs)
        return _timed(run, _event_name(op)) if run else run
    return plan


def _timed_run(run):
    def timed(op, *args):
        return _timed(run, _event_name(op))(op, *args)
    return timed


class record_function(contextlib.ContextDecorator):
    """Names a block (``with record_function("name"):``) or a function (``@record_function("name")``)
    so that an active profiler records it as one event.

    Args:
        name: the event's name in the profiler's tables and traces.
        args: an optional string kept with the event.
    """

    def __init__(self, name: str, args: str | None = None):
        self.name = name
        self.args = args
        self._start_us = None

    def _recreate_cm(self):
        return record_function(self.name, self.args)  # a decorated function may run nested or on threads

    def __enter__(self):
        self._start_us = _now_us()
        return self

    def __exit__(self, *exc):
        end = _now_us()
        for c in list(_collections):
            c.add(self.name, self._start_us, end, None if self.args is None else {"args": self.args})
        return False


class profile:
    """The legacy autograd profiler: ``with torch.autograd.profiler.profile() as prof:`` records the
    ranges named inside; ``prof.key_averages().table()`` summarises them.

    Args:
        enabled: False makes the context do nothing.
        the others (``use_cuda``, ``record_shapes``, ...): accepted for torch's signature; pyfront records
            CPU wall-clock ranges only.
    """

    def __init__(self, enabled=True, *, use_cuda=False, use_device=None, record_shapes=False,
                 with_flops=False, profile_memory=False, with_stack=False, with_modules=False,
                 use_kineto=False, use_cpu=True,
                 experimental_config=None, acc_events=False, custom_trace_id_callback=None,
                 post_processing_timeout_s=None, activity_filters=None):
        self.enabled = enabled
        self.record_shapes = record_shapes
        self.function_events = None
        self._collection = None
        self._entered = False

    def __enter__(self):
        if not self.enabled:
            return None  # as torch's: ``with profile(enabled=False) as prof`` binds None
        if self._entered:  # one recording per object, as torch's
            raise RuntimeError("Profiler context manager is not reentrant")
        self._entered = True
        self._collection = _start()
        return self

    def __exit__(self, *exc):
        if self.enabled and self._collection is not None:
            self.function_events = _stop(self._collection)
            self._collection = None
        return False

    def _events(self) -> EventList:
        if self.function_events is None:
            raise RuntimeError("Profiler didn't finish running")
        return self.function_events

    def key_averages(self, group_by_input_shape=False, group_by_stack_n=0, group_by_overload_name=False):
        return self._events().key_averages(group_by_input_shape, group_by_stack_n)

    def table(self, sort_by=None, row_limit=100, max_src_column_width=75, max_name_column_width=55,
              max_shapes_column_width=80, header=None, top_level_events_only=False, time_unit=None):
        return self._events().table(sort_by, row_limit, max_src_column_width, max_name_column_width,
                                    max_shapes_column_width, header, top_level_events_only, time_unit)

    def export_chrome_trace(self, path):
        return self._events().export_chrome_trace(path)

    def total_average(self):
        return self._events().total_average()

    @property
    def self_cpu_time_total(self):
        return self._events().self_cpu_time_total

    def __str__(self):
        return self.table()
