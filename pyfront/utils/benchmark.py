"""``torch.utils.benchmark`` (its Python timer): ``Timer`` with ``timeit``, ``blocked_autorange`` and
``adaptive_autorange``, each returning a ``Measurement`` whose statistics and repr follow torch 2.13's
``torch/utils/benchmark/utils/{timer,common}.py``.

The statement sees ``torch`` bound to pyfront (as torch's Timer binds ``torch``), so a benchmark written for
torch runs unchanged. The default timer waits for queued GPU work when the webgpu device is open.
C++ statements (``language="cpp"``) and Callgrind collection are torch-only and not provided.
"""
from __future__ import annotations

import collections
import dataclasses
import enum
import math
import textwrap
import time
import timeit as _timeit


__all__ = ["Timer", "Measurement", "TaskSpec", "Language", "select_unit", "Compare", "Colorize"]

_MAX_SIGNIFICANT_FIGURES = 4
_MIN_CONFIDENCE_INTERVAL = 25e-9  # 25 ns: no finer than the timer can tell
_IQR_WARN_THRESHOLD = 0.1
_IQR_GROSS_WARN_THRESHOLD = 0.25


class Language(enum.Enum):
    PYTHON = 0
    CPP = 1


def timer() -> float:
    """``time.perf_counter()`` after the open webgpu device's queued work (so GPU time is counted)."""
    from ..backends import _BACKENDS
    gpu = _BACKENDS.get("webgpu")
    if gpu is not None:
        gpu.synchronize()
    return time.perf_counter()


@dataclasses.dataclass(init=True, repr=False, eq=True, frozen=True)
class TaskSpec:
    """What was timed: the statement, its setup and the labels shown in a ``Measurement``'s repr."""

    stmt: str
    setup: str
    global_setup: str = ""
    label: str | None = None
    sub_label: str | None = None
    description: str | None = None
    env: str | None = None
    num_threads: int = 1

    @property
    def title(self) -> str:
        sub = f": {self.sub_label}" if self.sub_label else ""
        if self.label is not None:
            return self.label + sub
        if "\n" not in self.stmt:
            return self.stmt + sub
        return f"stmt:{f' ({self.sub_label})' if self.sub_label else ''}\n{textwrap.indent(self.stmt, '  ')}"

    def setup_str(self) -> str:
        if self.setup == "pass" or not self.setup:
            return ""
        if "\n" in self.setup:
            return f"setup:\n{textwrap.indent(self.setup, '  ')}"
        return f"setup: {self.setup}"

    def summarize(self) -> str:
        sections = [self.title, self.description or "", self.setup_str()]
        return "\n".join([f"{i}\n" if "\n" in i else i for i in sections if i])


_TASKSPEC_FIELDS = tuple(f.name for f in dataclasses.fields(TaskSpec))


@dataclasses.dataclass(init=True, repr=False)
class Measurement:
    """The times of one ``Timer`` run: ``raw_times`` of blocks of ``number_per_run`` executions each.

    ``times`` are per execution; ``median``, ``mean`` and ``iqr`` are over them (linear quantiles, as
    torch.quantile). The repr adds torch's warning when the IQR is over 10% (25%) of the median.
    """

    number_per_run: int
    raw_times: list
    task_spec: TaskSpec
    metadata: dict | None = None

    def __post_init__(self) -> None:
        self._sorted_times: tuple = ()
        self._warnings: tuple = ()
        self._median = self._mean = self._p25 = self._p75 = -1.0

    def __getattr__(self, name: str):
        if name in _TASKSPEC_FIELDS:
            return getattr(self.task_spec, name)
        return super().__getattribute__(name)

    @property
    def times(self) -> list:
        return [t / self.number_per_run for t in self.raw_times]

    @property
    def median(self) -> float:
        self._lazy_init()
        return self._median

    @property
    def mean(self) -> float:
        self._lazy_init()
        return self._mean

    @property
    def iqr(self) -> float:
        self._lazy_init()
        return self._p75 - self._p25

    @property
    def significant_figures(self) -> int:
        """How many digits of the median the spread of the middle half supports (1 to 4)."""
        self._lazy_init()
        n = len(self._sorted_times)
        middle = self._sorted_times[n // 4:math.ceil(3 * n / 4)]
        import numpy as np  # here, not at import: the page has no NumPy
        ci = max(1.645 * float(np.std(middle)) / math.sqrt(len(middle)), _MIN_CONFIDENCE_INTERVAL)
        return min(max(math.floor(math.log10(self._median / ci)), 1), _MAX_SIGNIFICANT_FIGURES)

    @property
    def has_warnings(self) -> bool:
        self._lazy_init()
        return bool(self._warnings)

    def _lazy_init(self) -> None:
        if self.raw_times and not self._sorted_times:
            self._sorted_times = tuple(sorted(self.times))
            import numpy as np
            s = np.array(self._sorted_times, dtype=np.float64)
            self._median, self._mean = float(np.quantile(s, 0.5)), float(s.mean())
            self._p25, self._p75 = float(np.quantile(s, 0.25)), float(np.quantile(s, 0.75))

            def add_warning(msg: str) -> None:
                rel_iqr = self.iqr / self.median * 100
                self._warnings += (f"  WARNING: Interquartile range is {rel_iqr:.1f}% of the median "
                                   "measurement.\n"
                                   f"           {msg}",)
            if not self.meets_confidence(_IQR_GROSS_WARN_THRESHOLD):
                add_warning("This suggests significant environmental influence.")
            elif not self.meets_confidence(_IQR_WARN_THRESHOLD):
                add_warning("This could indicate system fluctuation.")

    def meets_confidence(self, threshold: float = _IQR_WARN_THRESHOLD) -> bool:
        return self.iqr / self.median < threshold

    @property
    def title(self) -> str:
        return self.task_spec.title

    @property
    def as_row_name(self) -> str:
        return self.sub_label or self.stmt or "[Unknown]"

    def __repr__(self) -> str:
        self._lazy_init()
        n = len(self._sorted_times)
        unit, scale = select_unit(self._median)
        lines = [object.__repr__(self),
                 self.task_spec.summarize(),
                 f"  {'Median: ' if n > 1 else ''}{self._median / scale:.2f} {unit}"]
        if n >= 4:
            lines.append(f"  IQR:    {self.iqr / scale:.2f} {unit} ({self._p25 / scale:.2f} to "
                         f"{self._p75 / scale:.2f})")
        lines.append(f"  {n} measurement{'s' if n > 1 else ''}, {self.number_per_run} runs "
                     f"{'per measurement,' if n > 1 else ','} {self.num_threads} "
                     f"thread{'s' if self.num_threads > 1 else ''}")
        return "\n".join(lines + list(self._warnings)).strip()

    @staticmethod
    def merge(measurements) -> list:
        """One Measurement per TaskSpec, with all their per-execution times (``number_per_run=1``)."""
        grouped = collections.defaultdict(list)
        for m in measurements:
            grouped[m.task_spec].extend(m.times)
        return [Measurement(number_per_run=1, raw_times=times, task_spec=t) for t, times in grouped.items()]


def select_unit(t: float) -> tuple:
    """The unit (``ns``, ``us``, ``ms`` or ``s``) to print ``t`` seconds in, and its scale."""
    unit = {-3: "ns", -2: "us", -1: "ms"}.get(int(math.log10(t) // 3), "s")
    return unit, {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1}[unit]


def _clean(code: str) -> str:
    code = textwrap.dedent(code)
    return (code[1:] if code and code[0] == "\n" else code).rstrip()


class Timer:
    """Time a Python statement as ``torch.utils.benchmark.Timer``: warm-up, block sizing, per-run times.

    Args:
        stmt (str): the statement timed. Default: ``"pass"``
        setup (str): run once before timing. Default: ``"pass"``
        timer (callable): the clock. Default: :func:`timer`
        globals (dict, optional): names the statement sees; ``torch`` is pyfront unless given.
        label, sub_label, description, env (str, optional): shown in the Measurement.
        num_threads (int): recorded in the Measurement (pyfront's cpu kernels are NumPy's).

    Raises ValueError as torch for a non-str ``stmt``, a ``global_setup`` in Python or an unknown language.
    """

    def __init__(self, stmt="pass", setup="pass", global_setup="", timer=timer, globals=None, label=None,
                 sub_label=None, description=None, env=None, num_threads=1, language=Language.PYTHON) -> None:
        import pyfront
        if not isinstance(stmt, str):
            raise ValueError("Currently only a `str` stmt is supported.")
        if language not in (Language.PYTHON, "py", "python"):
            if language in (Language.CPP, "cpp", "c++"):
                raise ValueError("pyfront.utils.benchmark.Timer times Python statements only (language='cpp' "
                                 "compiles C++ against libtorch)")
            raise ValueError(f"Invalid language `{language}`.")
        if global_setup:
            raise ValueError(f"global_setup is C++ only, got `{global_setup}`. Most likely this code can "
                             "simply "
                             "be moved to `setup`.")
        self._globals = dict(globals or {})
        self._globals.setdefault("torch", pyfront)
        stmt, setup = _clean(stmt), _clean(setup)
        self._timer = _timeit.Timer(stmt=stmt, setup=setup, timer=timer, globals=self._globals)
        self._task_spec = TaskSpec(stmt=stmt, setup=setup, global_setup=global_setup, label=label,
                                   sub_label=sub_label, description=description, env=env,
                                   num_threads=num_threads)

    def _timeit(self, number: int) -> float:
        return max(self._timer.timeit(number), 1e-9)  # never zero: Measurement divides by the median

    def timeit(self, number: int = 1000000) -> Measurement:
        """One block of ``number`` runs, after a warm-up of ``number // 100`` (at least 2)."""
        self._timeit(number=max(int(number // 100), 2))
        return Measurement(number_per_run=number, raw_times=[self._timeit(number=number)],
                           task_spec=self._task_spec)

    def _measurement_loop(self, time_hook, stop_hook, min_run_time, max_run_time=None, callback=None,
                          number=0):
        total_time, can_stop, times = 0.0, False, []
        while total_time < min_run_time or not can_stop:
            spent = time_hook()
            times.append(spent)
            total_time += spent
            if callback:
                callback(number, spent)
            can_stop = stop_hook(times)
            if max_run_time and total_time > max_run_time:
                break
        return times

    def _estimate_block_size(self, min_run_time: float) -> int:
        """The smallest power of ten of runs whose block dwarfs the timer's own overhead."""
        import numpy as np
        overhead = float(np.median([self._timeit(0) for _ in range(5)]))
        number = 1
        while True:
            time_taken = self._timeit(number)
            if overhead / time_taken <= 1e-4 and time_taken >= min_run_time / 1000:
                break
            if time_taken > min_run_time or number * 10 > 2147483647:
                break
            number *= 10
        return number

    def blocked_autorange(self, callback=None, min_run_time: float = 0.2) -> Measurement:
        """Blocks of a sized number of runs until ``min_run_time`` seconds are spent."""
        number = self._estimate_block_size(min_run_time)
        times = self._measurement_loop(lambda: self._timeit(number), lambda times: True, min_run_time,
                                       callback=callback, number=number)
        return Measurement(number_per_run=number, raw_times=times, task_spec=self._task_spec)

    def adaptive_autorange(self, threshold: float = 0.1, *, min_run_time: float = 0.01,
                           max_run_time: float = 10.0, callback=None) -> Measurement:
        """Blocks until the IQR is under ``threshold`` of the median (more than 3 blocks) or time runs out."""
        number = self._estimate_block_size(min_run_time=0.05)

        def stop_hook(times) -> bool:
            return len(times) > 3 and Measurement(number_per_run=number, raw_times=times,
                                                  task_spec=self._task_spec).meets_confidence(threshold=threshold)
        times = self._measurement_loop(lambda: self._timeit(number), stop_hook, min_run_time, max_run_time,
                                       callback=callback, number=number)
        return Measurement(number_per_run=number, raw_times=times, task_spec=self._task_spec)


from ._benchmark_compare import Colorize, Compare  # noqa: E402  (it reads Measurement and select_unit)
