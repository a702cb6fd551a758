"""``torch.testing.assert_close``: the comparison user tests and tutorials write, with torch's texts.

Tensors (and nested sequences or mappings of them, Python numbers too) are compared elementwise with
``|actual - expected| <= atol + rtol * |expected|``; the tolerances default by dtype as torch's do.
A mismatch raises AssertionError with torch's message: how many elements differ, the greatest
absolute and relative differences and where ("Scalars are not close!" for 0-d tensors and numbers).
"""
from __future__ import annotations

import math

from . import dtypes as dt
from .tensor import Tensor

# torch's default (rtol, atol) by dtype; integers and bool compare exactly
_TOLERANCES = {dt.float16: (1e-3, 1e-5), dt.bfloat16: (1.6e-2, 1e-5), dt.float32: (1.3e-6, 1e-5),
               dt.float64: (1e-7, 1e-7)}


def _attribute(name, a, b):
    return AssertionError(f"The values for attribute '{name}' do not match: {a} != {b}.")


def _compare(actual, expected, rtol, atol, equal_nan, check_dtype, check_device):
    """The message for one pair of leaves, or None when they match."""
    import numpy as np  # here, not at import: pyfront (and so torch.testing) imports without NumPy
    number = not isinstance(actual, Tensor)
    if number:
        if isinstance(expected, Tensor):
            raise TypeError(f"No comparison pair was able to handle inputs of type {type(actual)} and "
                            f"{type(expected)}.")
        if type(actual) is not type(expected):
            raise AssertionError(f"The values for attribute 'type' do not match: {type(actual)} != "
                                 f"{type(expected)}.")
        kind = dt.float64 if isinstance(actual, float) else dt.int64
        a, e = np.asarray(actual, dtype=np.float64 if kind is dt.float64 else np.int64), np.asarray(expected)
    else:
        if not isinstance(expected, Tensor):
            raise TypeError(f"No comparison pair was able to handle inputs of type {type(actual)} and "
                            f"{type(expected)}.")
        if actual.shape != expected.shape:
            raise _attribute("shape", actual.shape, expected.shape)
        if check_device and actual.device != expected.device:
            raise _attribute("device", actual.device, expected.device)
        if check_dtype and actual.dtype is not expected.dtype:
            raise _attribute("dtype", actual.dtype, expected.dtype)
        kind = actual.dtype
        a, e = actual.detach().cpu().numpy(), expected.detach().cpu().numpy()
    if rtol is None:
        rtol, atol = _TOLERANCES.get(kind, (0.0, 0.0))
    floating = a.dtype.kind == "f" or e.dtype.kind == "f"
    if not floating:
        a, e = a.astype(np.int64), e.astype(np.int64)
    if a.dtype != e.dtype:
        a, e = a.astype(np.result_type(a, e)), e.astype(np.result_type(a, e))
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        ok = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=equal_nan) if floating else a == e
        if np.all(ok):
            return None
        diff = np.abs(a - e)
        as_float = (lambda v: v) if floating else (lambda v: v.astype(np.float32))  # as torch divides
        rel = as_float(diff) / np.abs(as_float(e))
    allowed = "equal" if rtol == 0 and atol == 0 else "close"
    tol_a, tol_r = ((f" (up to {atol} allowed)", f" (up to {rtol} allowed)") if allowed == "close"
                    else ("", ""))
    if number or a.ndim == 0:  # torch compares these as Python numbers
        x, y = a.item(), e.item()
        d = abs(x - y)
        r = d / abs(y) if y != 0 else (math.nan if d == 0 or d != d else math.inf)
        return (f"Scalars are not {allowed}!\n\nExpected {y} but got {x}.\n"
                f"Absolute difference: {d}{tol_a}\nRelative difference: {r}{tol_r}")

    def greatest(values):
        flat = values.reshape(-1)
        nan = np.isnan(flat) if flat.dtype.kind == "f" else np.zeros(flat.shape, bool)
        i = int(np.argmax(nan)) if nan.any() else int(np.argmax(flat))
        return flat[i].item(), tuple(int(k) for k in np.unravel_index(i, values.shape))

    # the greatest differences are taken over the mismatched elements only
    diff, rel = np.where(ok, 0, diff), np.where(ok, 0, rel)
    bad = int((~ok).sum())
    (d, di), (r, ri) = greatest(diff), greatest(rel)
    return (f"Tensor-likes are not {allowed}!\n\nMismatched elements: {bad} / {a.size} "
            f"({math.floor(bad / a.size * 1000 + 0.5) / 10}%)\n"
            f"Greatest absolute difference: {d} at index {di}{tol_a}\n"
            f"Greatest relative difference: {r} at index {ri}{tol_r}")


def _pairs(actual, expected, path=()):
    if isinstance(actual, (list, tuple)) and isinstance(expected, (list, tuple)):
        if len(actual) != len(expected):
            raise AssertionError(f"The length of the sequences mismatch: {len(actual)} != {len(expected)}")
        for i, (a, e) in enumerate(zip(actual, expected)):
            yield from _pairs(a, e, (*path, i))
    elif isinstance(actual, dict) and isinstance(expected, dict):
        missing, extra = sorted(set(expected) - set(actual)), sorted(set(actual) - set(expected))
        if missing or extra:
            raise AssertionError("The keys of the mappings do not match:\n"
                                 f"Missing keys in the actual mapping: {missing}\n"
                                 f"Additional keys in the actual mapping: {extra}")
        for k in actual:
            yield from _pairs(actual[k], expected[k], (*path, k))
    else:
        yield actual, expected, path


def assert_close(actual, expected, *, allow_subclasses=True, rtol=None, atol=None, equal_nan=False,
                 check_device=True, check_dtype=True, check_layout=True, check_stride=False, msg=None):
    """Raise AssertionError unless ``actual`` and ``expected`` are close, as
    ``torch.testing.assert_close`` (its default tolerances, checks and message texts)."""
    if (rtol is None) != (atol is None):
        raise ValueError(f"Both 'rtol' and 'atol' must be either specified or omitted, but got no "
                         f"{'rtol' if rtol is None else 'atol'}.")
    for a, e, path in _pairs(actual, expected):
        try:
            problem = _compare(a, e, rtol, atol, equal_nan, check_dtype, check_device)
        except AssertionError as err:
            problem = str(err)
        if problem is None:
            continue
        if path:
            problem += "\n\nThe failure occurred for item " + "".join(f"[{p!r}]" for p in path)
        if callable(msg):
            problem = msg(problem)
        elif msg is not None:
            problem = msg
        raise AssertionError(problem)
