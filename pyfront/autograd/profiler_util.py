"""The profiler's events and their summaries: ``FunctionEvent``, ``FunctionEventAvg``, ``EventList``.

pyfront's profiler records the ranges a program names (``record_function`` blocks and, under a
schedule, the ``ProfilerStep#N`` of each step) and each op a backend runs (``aten::<op>``, the
primitive ops: a composite such as ``linear`` shows as the ops it runs), with their wall-clock CPU
times. Times are in microseconds, as torch's.
"""
from __future__ import annotations

import gzip
import json
import os


def _format_time(us: float) -> str:
    """A duration in microseconds as the table shows it (the largest unit under which it is >= 1)."""
    if us >= 1e6:
        return f"{us / 1e6:.3f}s"
    if us >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


class _TimeStrings:
    """The times as the table prints them."""

    cpu_time_str = property(lambda self: _format_time(self.cpu_time))
    cpu_time_total_str = property(lambda self: _format_time(self.cpu_time_total))
    self_cpu_time_total_str = property(lambda self: _format_time(self.self_cpu_time_total))


class FunctionEvent(_TimeStrings):
    """One recorded range: its name, start and end (microseconds), thread and nesting."""

    def __init__(self, id: int, name: str, thread: int, start_us: float, end_us: float, args=None):
        self.id = id
        self.name = name
        self.thread = thread
        self.start_us = start_us
        self.end_us = end_us
        self.args = args
        self.cpu_parent = None
        self.cpu_children: list[FunctionEvent] = []
        self.count = 1
        self.is_user_annotation = not name.startswith(("ProfilerStep#", "aten::"))

    @property
    def key(self) -> str:
        return self.name

    @property
    def cpu_time_total(self) -> float:
        return self.end_us - self.start_us

    @property
    def self_cpu_time_total(self) -> float:
        return self.cpu_time_total - sum(c.cpu_time_total for c in self.cpu_children)

    @property
    def cpu_time(self) -> float:
        return self.cpu_time_total

    def __repr__(self):
        return (f"<FunctionEvent id={self.id} name={self.name} thread={self.thread} "
                f"cpu_time={self.cpu_time_str} start_us={self.start_us:.3f} end_us={self.end_us:.3f}>")


class FunctionEventAvg(_TimeStrings):
    """The events of one key added up: ``count`` calls, their total and self times."""

    def __init__(self, key: str):
        self.key = key
        self.count = 0
        self.cpu_time_total = 0.0
        self.self_cpu_time_total = 0.0
        self.is_user_annotation = False

    def add(self, other):
        self.count += other.count
        self.cpu_time_total += other.cpu_time_total
        self.self_cpu_time_total += other.self_cpu_time_total
        self.is_user_annotation = other.is_user_annotation
        return self

    @property
    def cpu_time(self) -> float:
        return self.cpu_time_total / self.count if self.count else 0.0

    def __repr__(self):
        return (f"<FunctionEventAvg key={self.key} self_cpu_time={self.self_cpu_time_total_str} "
                f"cpu_time={self.cpu_time_str} count={self.count}>")


def _group_key(name: str) -> str:
    # every step's range counts as one key, as torch's "ProfilerStep*"
    return "ProfilerStep*" if name.startswith("ProfilerStep#") else name


class EventList(list):
    """A list of events with torch's summaries: ``key_averages``, ``table``, ``export_chrome_trace``."""

    def key_averages(self, group_by_input_shape: bool = False, group_by_stack_n: int = 0):
        groups: dict[str, FunctionEventAvg] = {}
        for e in self:
            key = _group_key(e.key)
            groups.setdefault(key, FunctionEventAvg(key)).add(e)
        return EventList(groups.values())

    def total_average(self):
        total = FunctionEventAvg("Total")
        for e in self:
            total.add(e)
        return total

    @property
    def self_cpu_time_total(self) -> float:
        return sum(e.self_cpu_time_total for e in self)

    def table(self, sort_by=None, row_limit=100, max_src_column_width=75, max_name_column_width=55,
              max_shapes_column_width=80, header=None, top_level_events_only=False, time_unit=None) -> str:
        """The events as torch's text table: name, self and total CPU time and share, calls."""
        rows = list(self)
        if top_level_events_only:
            rows = [e for e in rows if getattr(e, "cpu_parent", None) is None]
        if sort_by is not None:
            rows.sort(key=lambda e: getattr(e, sort_by), reverse=True)
        if row_limit is not None and row_limit > 0:
            rows = rows[:row_limit]
        total = self.self_cpu_time_total or 1.0
        name_width = min(max([len(e.key) for e in rows] + [len("Name")]), max_name_column_width) + 4
        heads = ["Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg", "# of Calls"]
        fmt = "{:>" + str(name_width) + "}" + "  {:>12}" * len(heads) + "  "
        rule = "-" * name_width + "  " + "  ".join(["-" * 12] * len(heads)) + "  "
        lines = ([header, "=" * len(rule)] if header else []) + [rule, fmt.format("Name", *heads), rule]
        for e in rows:
            name = e.key if len(e.key) <= max_name_column_width else e.key[:max_name_column_width - 3] + "..."
            lines.append(fmt.format(name, f"{100 * e.self_cpu_time_total / total:.2f}%",
                                    _format_time(e.self_cpu_time_total),
                                    f"{100 * e.cpu_time_total / total:.2f}%", _format_time(e.cpu_time_total),
                                    _format_time(e.cpu_time), e.count))
        lines += [rule, f"Self CPU time total: {_format_time(self.self_cpu_time_total)}", ""]
        return "\n".join(lines)

    def __str__(self):
        return self.table()

    def export_chrome_trace(self, path: str) -> None:
        """Writes the events in the Chrome trace format (chrome://tracing, Perfetto); ``.gz``: gzipped."""
        pid = os.getpid()
        events = [{"ph": "X", "cat": "user_annotation" if e.is_user_annotation else "cpu_op", "name": e.name,
                   "pid": pid, "tid": e.thread, "ts": e.start_us, "dur": e.cpu_time_total,
                   "args": dict(e.args or {})} for e in self if isinstance(e, FunctionEvent)]
        text = json.dumps({"schemaVersion": 1, "traceEvents": events, "displayTimeUnit": "ms",
                           "traceName": path})
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "wt") as f:
            f.write(text)
