"""``torch.utils.benchmark.Compare``: many ``Measurement``s as one table per label, laid out as torch 2.13's
``torch/utils/benchmark/utils/compare.py`` lays them out (rows: thread count, env, sub-label; columns:
description; each cell a median, optionally trimmed to its significant figures and colored against the
best of its column or row)."""
from __future__ import annotations

import collections
import enum
import itertools
import math

from ..dtypes import round_float32

__all__ = ["Colorize", "Compare"]

BEST, GOOD, BAD, VERY_BAD = "\033[92m", "\033[34m", "\033[2m\033[91m", "\033[31m"
BOLD, TERMINATE = "\033[1m", "\033[0m"
_ENGLISH = {"ns": "nanosecond", "us": "microsecond", "ms": "millisecond", "s": "second"}


class Colorize(enum.Enum):
    NONE = "none"
    COLUMNWISE = "columnwise"
    ROWWISE = "rowwise"


def _log10(x: float) -> float:
    """log10 of ``x`` as torch's Compare takes it, in a float32 tensor: the float32 nearest (NumPy-free, so the
    page has Compare too)."""
    return round_float32(math.log10(round_float32(x)))


def _leading_digits(x: float) -> int:
    return math.ceil(_log10(x))


def trim_sigfig(x: float, n: int) -> float:
    """``x`` rounded to ``n`` significant figures, in float32 as torch's (half to even; a product of two
    float32s is exact in a double, so rounding it once is float32's multiply)."""
    scale = 10 ** (math.ceil(_log10(abs(x))) - n)
    return round_float32(round(round_float32(x / scale)) * round_float32(scale))


def _ordered_unique(items) -> list:
    return list(dict.fromkeys(items))


class _Column:
    """One description's cells, formatted to one width and count of decimals."""

    def __init__(self, grouped, scale, trim, highlight):
        flat = [*itertools.chain.from_iterable(grouped)]
        self._grouped, self._scale, self._trim = grouped, scale, trim
        self._highlight = highlight and any(r.has_warnings for r in flat if r)
        digits = [_leading_digits(r.median / scale) if r else None for r in flat]
        unit_digits = max(d for d in digits if d is not None)
        decimals = min(max(m.significant_figures - d, 0) for d, m in zip(digits, flat)
                       if m is not None and d is not None) if trim else 1
        length = unit_digits + decimals + (1 if decimals else 0)
        self._template = f"{{:>{length}.{decimals}f}}{{:>{7 if self._highlight else 0}}}"

    def results_for(self, group):
        return self._grouped[group]

    def num_to_str(self, value, sigfigs, spread) -> str:
        if value is None:
            return " " * len(self.num_to_str(1, sigfigs, None))
        if self._trim:
            value = trim_sigfig(value, sigfigs)
        return self._template.format(
            value, f" (! {spread * 100:.0f}%)" if self._highlight and spread is not None else "")


def _colored(segment: str, value: float, best: float) -> str:
    if value <= best * 1.01 or value <= best + 100e-9:
        return BEST + BOLD + segment + TERMINATE * 2
    if value <= best * 1.1:
        return GOOD + BOLD + segment + TERMINATE * 2
    if value >= best * 5:
        return VERY_BAD + BOLD + segment + TERMINATE * 2
    if value >= best * 2:
        return BAD + segment + TERMINATE * 2
    return segment


class _Row:
    def __init__(self, results, group, render_env, env_len, scale, colorize, num_threads):
        self.results, self._group, self._render_env, self._env_len = results, group, render_env, env_len
        self._scale, self._colorize, self._num_threads = scale, colorize, num_threads
        self.columns: tuple = ()

    def column_strings(self) -> list:
        first = next(r for r in self.results if r is not None)
        env = (f"({first.env})" if self._render_env else "").ljust(self._env_len + 4)
        out = ["  " + env + first.as_row_name]
        for m, col in zip(self.results, self.columns):
            out.append(col.num_to_str(None, 1, None) if m is None else col.num_to_str(
                m.median / self._scale, m.significant_figures, m.iqr / m.median if m.has_warnings else None))
        return out

    def separator(self, width: int) -> list:
        return [f"{self._num_threads} threads: ".ljust(width, "-")] if self._num_threads is not None else []

    def finalized(self, strings: list, widths: list) -> list:
        best = [-1] * len(strings)
        if self._colorize == Colorize.ROWWISE:
            best = [min(r.median for r in self.results if r is not None)] * len(strings)
        elif self._colorize == Colorize.COLUMNWISE:
            best = [min((r.median for r in c.results_for(self._group) if r is not None), default=None)
                    for c in self.columns]
        row = [strings[0].ljust(widths[0])]
        for text, width, result, b in zip(strings[1:], widths[1:], self.results, best):
            text = text.center(width)
            if self._colorize != Colorize.NONE and result is not None and b is not None:
                text = _colored(text, result.median, b)
            row.append(text)
        return row


def _table(results: list, colorize: Colorize, trim: bool, highlight: bool) -> str:
    """One label's table: a row per (threads, env, sub-label), a column per description."""
    from .benchmark import select_unit
    unit, scale = select_unit(min(r.median for r in results))
    row_keys = _ordered_unique((r.num_threads, r.env, r.as_row_name) for r in results)
    row_keys.sort(key=lambda key: key[:2])  # (stable: statements keep their order)
    col_keys = _ordered_unique(r.description for r in results)
    cells = [[None] * len(col_keys) for _ in row_keys]
    rows_at, cols_at = {k: i for i, k in enumerate(row_keys)}, {k: i for i, k in enumerate(col_keys)}
    for r in results:
        cells[rows_at[(r.num_threads, r.env, r.as_row_name)]][cols_at[r.description]] = r
    envs = {r.env for r in results}
    render_env = len(envs) > 1
    env_len = max(len(e) for e in envs) if render_env else 0
    rows, groups, prior_threads, prior_env = [], [], -1, ""
    for (threads, env, _), row in zip(row_keys, cells):
        new_group = threads != prior_threads
        if new_group:
            prior_threads, prior_env = threads, ""
            groups.append([])
        rows.append(_Row(row, len(groups) - 1, render_env and env != prior_env, env_len, scale, colorize,
                         threads if new_group else None))
        groups[-1].append(row)
        prior_env = env
    columns = tuple(_Column([tuple(row[i] for row in g) for g in groups], scale, trim, highlight)
                    for i in range(len(col_keys)))
    for row in rows:
        row.columns = columns
    strings = [["", *col_keys], *(row.column_strings() for row in rows)]
    n = max(len(s) for s in strings)
    strings = [s + [""] * (n - len(s)) for s in strings]
    widths = [max(len(cell) for cell in column) for column in zip(*strings)]
    lines = ["  |  ".join(cell.center(w) for cell, w in zip(strings[0], widths))]
    width = len(lines[0])
    for s, row in zip(strings[1:], rows):
        lines.extend(row.separator(width))
        lines.append("  |  ".join(row.finalized(s, widths)))
    label = results[0].label
    warned = highlight and any(r.has_warnings for r in results)
    note = "(! XX%) Measurement has high variance, where XX is the IQR / median * 100.\n" if warned else ""
    return (f"[{(' ' + (label or '') + ' ').center(width - 2, '-')}]\n" + "\n".join(lines)
            + f"\n\nTimes are in {_ENGLISH[unit]}s ({unit}).\n{note}")


class Compare:
    """The results of many measurements as formatted tables, one per label (``print`` or ``str``).

    Args:
        results: the ``Measurement``s shown.
    """

    def __init__(self, results: list) -> None:
        self._results: list = []
        self.extend_results(results)
        self._trim_significant_figures = False
        self._colorize = Colorize.NONE
        self._highlight_warnings = False

    def __str__(self) -> str:
        return "\n".join(self._render())

    def extend_results(self, results) -> None:
        """Append ``results`` (each a ``Measurement``) to those shown."""
        from .benchmark import Measurement
        for r in results:
            if not isinstance(r, Measurement):
                raise ValueError(f"Expected an instance of `Measurement`, got {type(r)} instead.")
        self._results.extend(results)

    def trim_significant_figures(self) -> None:
        self._trim_significant_figures = True

    def colorize(self, rowwise: bool = False) -> None:
        self._colorize = Colorize.ROWWISE if rowwise else Colorize.COLUMNWISE

    def highlight_warnings(self) -> None:
        self._highlight_warnings = True

    def print(self) -> None:
        print(str(self))

    def _render(self) -> list:
        from .benchmark import Measurement
        by_label = collections.defaultdict(list)
        for r in Measurement.merge(self._results):
            by_label[r.label].append(r)
        return [_table(group, self._colorize, self._trim_significant_figures, self._highlight_warnings)
                for group in by_label.values()]
