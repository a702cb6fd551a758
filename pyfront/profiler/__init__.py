"""``torch.profiler``: ``profile`` with a ``schedule`` of steps, ``record_function``, trace handlers.

The recording itself is ``pyfront.autograd.profiler``'s: named ranges and an ``aten::<op>`` event per
op run, with wall-clock CPU times (no device timeline). What this module adds is torch's step machinery:
which steps are waited out, warmed up and recorded, when ``on_trace_ready`` runs, and each step's
``ProfilerStep#N``.
"""
from __future__ import annotations

import enum
import os
import socket
import time
import warnings

from ..autograd import profiler as _autograd_profiler
from ..autograd.profiler import record_function
from ..autograd.profiler_util import EventList

__all__ = ["ProfilerAction", "ProfilerActivity", "profile", "record_function", "schedule",
           "supported_activities", "tensorboard_trace_handler"]


class ProfilerActivity(enum.Enum):
    """The kinds of activity a profiler can be asked for (torch's values); pyfront records CPU."""

    CPU = 0
    XPU = 1
    CUDA = 2
    HPU = 3
    MTIA = 4
    PrivateUse1 = 5


class ProfilerAction(enum.Enum):
    """What the profiler does at a step."""

    NONE = 0
    WARMUP = 1
    RECORD = 2
    RECORD_AND_SAVE = 3
    DEVICE_STOPPED = 4


def supported_activities() -> set:
    return {ProfilerActivity.CPU}


def schedule(*, wait: int, warmup: int, active: int, repeat: int = 0, skip_first: int = 0,
             skip_first_wait: int = 0):
    """The step -> ProfilerAction function: after ``skip_first`` steps, cycles of ``wait`` idle,
    ``warmup`` and ``active`` recorded steps (the last one saves), ``repeat`` times (0: forever);
    ``skip_first_wait`` leaves out the first cycle's wait."""
    if not (wait >= 0 and warmup >= 0 and active > 0 and repeat >= 0 and skip_first >= 0):
        raise AssertionError(f"Invalid profiler schedule arguments. Got wait={wait} (need >= 0), "
                             f"warmup={warmup} (need >= 0), active={active} (need > 0), "
                             f"repeat={repeat} (need >= 0), skip_first={skip_first} (need >= 0).")
    if warmup == 0:
        warnings.warn("Profiler won't be using warmup, this can skew profiler results", stacklevel=2)
    cycle = wait + warmup + active

    def action(step: int) -> ProfilerAction:
        assert step >= 0
        if step < skip_first:
            return ProfilerAction.NONE
        step = step - skip_first + (wait if skip_first_wait else 0)
        if repeat > 0 and step // cycle >= repeat:
            return ProfilerAction.NONE
        at = step % cycle
        if at < wait:
            return ProfilerAction.NONE
        if at < wait + warmup:
            return ProfilerAction.WARMUP
        return ProfilerAction.RECORD if at < cycle - 1 else ProfilerAction.RECORD_AND_SAVE

    return action


def _always_record(step: int) -> ProfilerAction:
    return ProfilerAction.RECORD


_RECORDING = (ProfilerAction.RECORD, ProfilerAction.RECORD_AND_SAVE)
_warned_cycles = False  # torch says once per process that a new cycle drops the last one's events


class profile:
    """Records the ranges a program names, step by step under ``schedule`` (default: every step), and
    hands each finished recording to ``on_trace_ready``.

    Args:
        activities: the ProfilerActivity values wanted; pyfront records CPU ranges and ops.
        schedule: step -> ProfilerAction (see ``schedule``); with one, each step is a ``ProfilerStep#N``.
        on_trace_ready: called with this profiler when a recording is complete.
        the others: accepted for torch's signature.
    """

    def __init__(self, *, activities=None, schedule=None, on_trace_ready=None, record_shapes=False,
                 profile_memory=False, with_stack=False, with_flops=False, with_modules=False,
                 experimental_config=None, execution_trace_observer=None, acc_events=False, use_cuda=None,
                 custom_trace_id_callback=None, post_processing_timeout_s=None):
        self.activities = set(activities) if activities else supported_activities()
        self.schedule = schedule or _always_record
        self.record_steps = schedule is not None
        self.on_trace_ready = on_trace_ready
        self.record_shapes = record_shapes
        self.acc_events = acc_events
        self.step_num = 0
        self.current_action = self.schedule(self.step_num)
        self.profiler = None  # the finished recording, a torch.autograd.profiler.profile
        self._collection = None
        self._step_range = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        self._transit(ProfilerAction.NONE, self.current_action)
        self._open_step()

    def stop(self):
        self._close_step()
        self._transit(self.current_action, None)

    def step(self):
        """Marks the end of a step: the schedule's next action takes over."""
        self._close_step()
        prev = self.current_action
        self.step_num += 1
        self.current_action = self.schedule(self.step_num)
        self._transit(prev, self.current_action)
        self._open_step()

    def _open_step(self):
        if self.record_steps:
            self._step_range = record_function(f"ProfilerStep#{self.step_num}")
            self._step_range.__enter__()

    def _close_step(self):
        if self._step_range is not None:
            self._step_range.__exit__(None, None, None)
            self._step_range = None

    def _transit(self, prev, now):
        """What moving from action ``prev`` to ``now`` (None: the profiler stops) does, as torch's."""
        A = ProfilerAction
        if prev is A.WARMUP and now is A.NONE or prev is A.RECORD and now in (A.NONE, A.WARMUP):
            warnings.warn(f"Incorrect schedule: {prev.name} followed by {now.name}", stacklevel=3)
        if prev in _RECORDING and (now not in _RECORDING or prev is A.RECORD_AND_SAVE):
            self._stop_trace()
            if prev is A.RECORD_AND_SAVE or now is None:
                self._trace_ready()
        elif prev is A.WARMUP and now in (A.NONE, None):
            self._start_trace()  # a cycle that warmed up but never recorded leaves an empty recording
            self._stop_trace()
        starts_cycle = prev in (A.NONE, A.RECORD_AND_SAVE) and now in (A.WARMUP, *_RECORDING)
        if starts_cycle:
            self._prepare_trace()
        if now in _RECORDING and (starts_cycle or prev is A.WARMUP):
            self._start_trace()

    def _prepare_trace(self):
        global _warned_cycles
        if self.profiler is not None and not self.acc_events and not _warned_cycles:
            _warned_cycles = True
            warnings.warn("Warning: Profiler clears events at the end of each cycle. Only events from "
                          "the current cycle will be reported. To keep events across cycles, set "
                          "acc_events=True.", stacklevel=4)
        if self.profiler is None or not self.acc_events:
            self.profiler = _autograd_profiler.profile()

    def _start_trace(self):
        self._collection = _autograd_profiler._start()

    def _stop_trace(self):
        events = _autograd_profiler._stop(self._collection)
        self._collection = None
        kept = self.profiler.function_events if self.acc_events else None
        self.profiler.function_events = EventList([*kept, *events]) if kept else events

    def _trace_ready(self):
        if self.on_trace_ready is not None:
            self.on_trace_ready(self)

    def _finished(self, what):
        if self.profiler is None or self.profiler.function_events is None:
            raise AssertionError(f"Profiler must be initialized before {what}")
        return self.profiler

    def events(self) -> EventList:
        return self._finished("getting events").function_events

    def key_averages(self, group_by_input_shape=False, group_by_stack_n=0, group_by_overload_name=False):
        return self._finished("getting key averages").key_averages(group_by_input_shape, group_by_stack_n)

    def export_chrome_trace(self, path):
        return self._finished("exporting chrome trace").export_chrome_trace(path)


def tensorboard_trace_handler(dir_name: str, worker_name: str | None = None, use_gzip: bool = False,
                              use_python_export: bool = False):
    """An ``on_trace_ready`` that writes each recording to ``dir_name`` as
    ``{worker_name}.{time_ns}.pt.trace.json`` (``.gz`` with ``use_gzip``), TensorBoard's layout."""

    def handler(prof) -> None:
        os.makedirs(dir_name, exist_ok=True)
        worker = worker_name or f"{socket.gethostname()}_{os.getpid()}"
        name = f"{worker}.{time.time_ns()}.pt.trace.json" + (".gz" if use_gzip else "")
        prof.export_chrome_trace(os.path.join(dir_name, name))

    return handler
