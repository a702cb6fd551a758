"""Tensor printing, character for character as PyTorch prints it (the rules of torch/_tensor_str.py).

Values come back through one ``tolist()`` (no NumPy: the browser build has none) of a strided view
that keeps only the printed elements, so a summarised tensor reads back only its edges. Importing
this module installs ``Tensor.__repr__`` (``str()`` falls back to it, as in PyTorch).
"""
from __future__ import annotations

import dataclasses
import math

from .autograd import dual
from . import dtypes as _dt
from .tensor import Tensor

__all__ = ["set_printoptions", "get_printoptions"]


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


_OPTS = _PrintOptions()
_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}


def set_printoptions(precision: int | None = None, threshold: float | None = None,
                     edgeitems: int | None = None, linewidth: int | None = None,
                     profile: str | None = None, sci_mode: bool | None = None) -> None:
    """Set the options ``repr(tensor)`` uses, as ``torch.set_printoptions``.

    A profile (``default``, ``short``, ``full``) is applied first, then the explicit options.
    Like PyTorch, every call sets ``sci_mode`` (leaving it out means automatic).
    """
    for name, value in _PROFILES.get(profile, {}).items():
        setattr(_OPTS, name, value)
    for name, value in (("precision", precision), ("threshold", threshold), ("edgeitems", edgeitems),
                        ("linewidth", linewidth)):
        if value is not None:
            setattr(_OPTS, name, value)
    _OPTS.sci_mode = sci_mode


def get_printoptions() -> dict:
    """The current options, as keyword arguments that ``set_printoptions`` accepts."""
    return dataclasses.asdict(_OPTS)


class _Formatter:
    """One width and one notation for every element of a tensor, chosen from the printed values."""

    def __init__(self, values: list, floating: bool, zero: float = 0.0, e8m0: bool = False):
        self.floating = floating
        self.int_mode = True   # floats that are all whole numbers print as "2."
        self.sci_mode = False
        self.width = 1
        if not floating:
            self.width = max([1] + [len(str(v)) for v in values])
            return
        # only nonzero finite values decide: zeros, nan and inf fit any notation. ``zero``: what 0 becomes in
        # the dtype, as torch compares (float8_e8m0fnu has no 0: its 2**-127 prints as "0."); ``e8m0``:
        # float8_e8m0fnu, whose NaN torch's isfinite counts finite, so it decides too
        finite = [v for v in values if v != zero and (e8m0 or math.isfinite(v))]
        if not finite:
            return
        if any(v != v for v in finite):  # torch's min and max of them are NaN: every test below is false
            self.int_mode, auto_sci = False, False
        else:
            self.int_mode = all(v == math.ceil(v) for v in finite)
            lo, hi = min(abs(v) for v in finite), max(abs(v) for v in finite)
            auto_sci = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
        self.sci_mode = auto_sci if _OPTS.sci_mode is None else _OPTS.sci_mode
        if self.sci_mode:
            spec, extra = f".{_OPTS.precision}e", 0
        elif self.int_mode:
            spec, extra = ".0f", 1  # room for the trailing "."
        else:
            spec, extra = f".{_OPTS.precision}f", 0
        self.width = max([1] + [len(format(v, spec)) + extra for v in finite])

    def format(self, value) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = format(value, f".{_OPTS.precision}e")
        elif self.int_mode:
            text = format(value, ".0f")
            if math.isfinite(value):
                text += "."
        else:
            text = format(value, f".{_OPTS.precision}f")
        return text.rjust(self.width)


class _ComplexFormatter:
    """A complex element as torch prints it: the real part in the real parts' formatter, then the imaginary
    part in its own (its padding dropped), signed, and "j"; its width holds both and the "j"."""

    def __init__(self, values: list):
        self.real = _Formatter([v.real for v in values], True)
        self.imag = _Formatter([v.imag for v in values], True)
        self.width = self.real.width + self.imag.width + 1

    def format(self, value) -> str:
        imag = self.imag.format(value.imag).lstrip() + "j"
        return self.real.format(value.real) + ("" if imag[0] in "+-" else "+") + imag


def _printed_values(t: Tensor, summarize: bool):
    """The printed elements as nested lists, and per dim whether its middle is elided.

    An elided dim of size n and stride s keeps [0, e) and [n - e, n): as a view, two rows (stride
    s * (n - e)) of e elements (stride s), so one read-back fetches exactly what is printed.
    """
    e = _OPTS.edgeitems
    elided = [summarize and n > 2 * e for n in t.shape]
    if not any(elided):
        return t.tolist(), elided
    shape, strides = [], []
    for n, s, cut in zip(t.shape, t.stride(), elided):
        if cut:
            shape += [2, e]
            strides += [s * (n - e), s]
        else:
            shape.append(n)
            strides.append(s)
    return _join_halves(t._view(shape, strides, t.storage_offset()).tolist(), elided), elided


def _join_halves(data, elided):
    if not elided:
        return data
    rows = data[0] + data[1] if elided[0] else data
    return [_join_halves(row, elided[1:]) for row in rows]


def _flat(data, ndim: int) -> list:
    if ndim == 0:
        return [data]
    if ndim == 1:
        return data
    return [v for row in data for v in _flat(row, ndim - 1)]


def _row_str(row: list, elided: bool, indent: int, fmt: _Formatter) -> str:
    per_line = max(1, math.floor((_OPTS.linewidth - indent) / (fmt.width + 2)))  # ", " per element
    cells = [fmt.format(v) for v in row]
    if elided:
        cells[_OPTS.edgeitems:_OPTS.edgeitems] = [" ..."]
    lines = [", ".join(cells[i:i + per_line]) for i in range(0, len(cells), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _block_str(data, elided: list, indent: int, fmt: _Formatter) -> str:
    ndim = len(elided)
    if ndim == 0:
        return fmt.format(data)
    if ndim == 1:
        return _row_str(data, elided[0], indent, fmt)
    parts = [_block_str(sub, elided[1:], indent + 1, fmt) for sub in data]
    if elided[0]:
        parts.insert(_OPTS.edgeitems, "...")
    # blank lines between slices grow with the dims below: one per dim beyond the rows
    return "[" + ("," + "\n" * (ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _values_str(t: Tensor, indent: int) -> str:
    summarize = t.numel() > _OPTS.threshold
    if summarize and _OPTS.edgeitems == 0 and t.ndim:
        return "[...]"
    data, elided = _printed_values(t, summarize)
    values = _flat(data, t.ndim)
    e8m0 = t.dtype is _dt.float8_e8m0fnu
    fmt = (_ComplexFormatter(values) if t.dtype.is_complex else
           _Formatter(values, t.dtype.is_floating_point, 2.0 ** -127 if e8m0 else 0.0, e8m0))
    return _block_str(data, elided, indent, fmt)


def _join_suffixes(body: str, suffixes: list, indent: int, force_newline: bool = False) -> str:
    # PyTorch's line-length bookkeeping, quirks included: it counts two more than the last line holds
    # (``force_newline``: the first suffix starts a line, as a sparse tensor's size does)
    last_line_len = len(body) - body.rfind("\n") + 1
    out = [body]
    for suffix in suffixes:
        if force_newline or last_line_len + len(suffix) + 2 > _OPTS.linewidth:
            out.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
            force_newline = False
        else:
            out.append(", " + suffix)
            last_line_len += len(suffix) + 2
    return "".join(out) + ")"


def tensor_repr(t: Tensor) -> str:
    """``repr(t)`` exactly as PyTorch writes it: values, then device, size, dtype and autograd notes."""
    # nn.Parameter prints as "tensor(" like a plain tensor (matched by name: no import of nn here)
    plain = type(t) is Tensor or type(t).__name__ == "Parameter"
    prefix = "tensor(" if plain else f"{type(t).__name__}("
    indent = len(prefix)
    suffixes = []
    if t.device.type != "cpu":
        suffixes.append(f"device='{t.device}'")
    default_dtype = _dt.get_default_dtype()
    if t.device.type == "meta":  # no values to show: the size and any dtype but the default, always
        suffixes.append(f"size={tuple(t.shape)}")
        if t.dtype is not default_dtype:
            suffixes.append(f"dtype={t.dtype}")
        body = "..."
    elif t.numel() == 0:
        # nothing to show the shape or the dtype by, so both are spelled out ((0,) reads as "[]")
        if t.ndim != 1:
            suffixes.append(f"size={tuple(t.shape)}")
        if t.dtype is not default_dtype:  # (the default complex dtype too: torch names it here)
            suffixes.append(f"dtype={t.dtype}")
        body = "[]"
    else:
        if _OPTS.edgeitems == 0:
            suffixes.append(f"size={tuple(t.shape)}")
        if t.dtype not in (default_dtype, _dt.to_complex(default_dtype), _dt.int64, _dt.bool_):
            suffixes.append(f"dtype={t.dtype}")
        body = _values_str(t.detach(), indent)
    try:
        grad_fn = t.grad_fn
        grad_fn_name = None if grad_fn is None else type(grad_fn).__name__
    except RuntimeError:  # regenerating a view's history can fail; PyTorch prints this then
        grad_fn_name = "Invalid"
    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    tangent = dual.tangent_of(t) if dual.ON[0] else None
    if tangent is not None:  # a dual tensor (forward AD): its tangent, as written on its own
        suffixes.append(f"tangent={tangent!r}")
    return _join_suffixes(prefix + body, suffixes, indent)


Tensor.__repr__ = tensor_repr
