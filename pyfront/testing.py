"""``torch.testing``: ``assert_close`` and ``make_tensor``, with torch's rules and texts.

assert_close walks sequences and mappings in step, then compares each pair of leaves by the first
kind that takes them, as torch's comparison pairs: both None; Python (or NumPy) bools; numbers;
tensor-likes (tensors, sparse COO tensors, NumPy arrays). Tensors are compared on their device with
pyfront's own ops (``isclose``), so it needs no NumPy and runs on webgpu. A mismatch raises
AssertionError with torch's message; inputs no kind takes raise its TypeError.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from . import dtypes as dt
from .tensor import Tensor

# torch's default (rtol, atol) by dtype; every other dtype compares exactly
_TOLERANCES = {dt.float16: (1e-3, 1e-5), dt.bfloat16: (1.6e-2, 1e-5), dt.float32: (1.3e-6, 1e-5),
               dt.float64: (1e-7, 1e-7)}
_NUMBER_DTYPES = {int: dt.int64, float: dt.float64}


class _Unsupported(Exception):
    """The pair kind does not take these inputs: the next kind is tried."""


class _Mismatch(Exception):
    """A failure, its exception type and text, at the item ``path`` of the inputs."""

    def __init__(self, kind, text, path=()):
        super().__init__(text)
        self.kind, self.text, self.path = kind, text, path

    def error(self, msg=None):
        if isinstance(msg, str):
            return self.kind(msg)
        text = self.text
        if self.path:
            text += "\n\nThe failure occurred for item " + "".join(str([p]) for p in self.path)
        return self.kind(msg(text) if callable(msg) else text)


def _numpy_kind(x, name: str) -> bool:
    """Whether ``x`` is a NumPy object of class ``name`` (NumPy is only imported where one exists)."""
    if type(x).__module__ != "numpy":
        return False
    import numpy as np
    return isinstance(x, getattr(np, name))


def _tolerances(dtypes, rtol, atol, path):
    if (rtol is None) != (atol is None):
        raise _Mismatch(ValueError, f"Both 'rtol' and 'atol' must be either specified or omitted, but got no "
                                    f"{'rtol' if rtol is None else 'atol'}.", path)
    if rtol is not None:
        return rtol, atol
    pairs = [_TOLERANCES.get(d, (0.0, 0.0)) for d in dtypes]
    return max(p[0] for p in pairs), max(p[1] for p in pairs)


def _diff_line(kind, diff, index, tol, equality):
    line = f"{kind.title()} difference: {diff}" if index is None else \
        f"Greatest {kind} difference: {diff} at index {index}"
    return line + ("" if equality else f" (up to {tol} allowed)") + "\n"


def _mismatch_text(identifier, extra, abs_diff, abs_at, rtol, atol, rel_diff, rel_at):
    equality = rtol == 0 and atol == 0
    text = f"{identifier} are not {'equal' if equality else 'close'}!\n\n{extra.strip()}\n"
    text += _diff_line("absolute", abs_diff, abs_at, atol, equality)
    text += _diff_line("relative", rel_diff, rel_at, rtol, equality)
    return text.strip()


def _scalar_text(actual, expected, rtol, atol, identifier="Scalars"):
    abs_diff = abs(actual - expected)
    rel_diff = math.inf if expected == 0 else abs_diff / abs(expected)
    return _mismatch_text(identifier, f"Expected {expected} but got {actual}.", abs_diff, None, rtol, atol,
                          rel_diff, None)


def _compare_none(actual, expected, path, options):
    if actual is not None and expected is not None:
        raise _Unsupported
    if not (actual is None and expected is None):
        raise _Mismatch(AssertionError, f"None mismatch: {actual} is not {expected}", path)


def _compare_bools(actual, expected, path, options):
    if not all(isinstance(x, bool) or _numpy_kind(x, "bool_") for x in (actual, expected)):
        raise _Unsupported
    actual, expected = bool(actual), bool(expected)
    if actual is not expected:
        raise _Mismatch(AssertionError, f"Booleans mismatch: {actual} is not {expected}", path)


def _compare_numbers(actual, expected, path, options):
    if not all(isinstance(x, (int, float, complex)) or _numpy_kind(x, "number") for x in (actual, expected)):
        raise _Unsupported
    actual, expected = (x.item() if _numpy_kind(x, "number") else x for x in (actual, expected))
    kinds = [type(x) for x in (actual, expected)]
    if not all(k in _NUMBER_DTYPES or k is complex for k in kinds):  # a bool beside a number
        raise RuntimeError(
            f"Originating a NumberPair() at item {''.join(str([p]) for p in path)} with\n\n"
            f"{kinds[0].__name__}(): {actual}\n\nand\n\n{kinds[1].__name__}(): {expected}\n\n"
            "resulted in the unexpected exception above. If you are a user and see this message during "
            "normal operation please file an issue at https://github.com/pytorch/pytorch/issues. If you are "
            "a developer and working on the comparison functions, please except the previous error and raise "
            "an expressive `ErrorMeta` instead.")
    complex_tol = {complex: dt.float64}  # complex128's tolerances are float64's
    rtol, atol = _tolerances([_NUMBER_DTYPES.get(k) or complex_tol[k] for k in kinds], options["rtol"],
                             options["atol"], path)
    if options["check_dtype"] and kinds[0] is not kinds[1]:
        raise _Mismatch(AssertionError, f"The (d)types do not match: {kinds[0]} != {kinds[1]}.", path)
    if actual == expected:
        return
    nan = (lambda x: x != x)
    if options["equal_nan"] and nan(actual) and nan(expected):
        return
    diff = abs(actual - expected)
    if math.isfinite(diff) and diff <= atol + rtol * abs(expected):
        return
    raise _Mismatch(AssertionError, _scalar_text(actual, expected, rtol, atol), path)


def _as_tensor(x):
    from .sparse import SparseCooTensor
    if isinstance(x, (Tensor, SparseCooTensor)):
        return x
    if _numpy_kind(x, "ndarray"):
        from .ops.creation import as_tensor
        return as_tensor(x)
    raise _Unsupported


def _compare_tensors(actual, expected, path, options):
    from .sparse import SparseCooTensor
    tensors = (Tensor, SparseCooTensor)  # one class in torch, which a sparse layout does not change
    if all(isinstance(x, tensors) for x in (actual, expected)):
        kinds = [Tensor if isinstance(x, SparseCooTensor) else type(x) for x in (actual, expected)]
    else:
        kinds = [type(actual), type(expected)]
    if not (issubclass(kinds[0], kinds[1]) or issubclass(kinds[1], kinds[0])):
        raise _Unsupported
    if not options["allow_subclasses"] and kinds[0] is not kinds[1]:
        raise _Unsupported
    actual, expected = _as_tensor(actual), _as_tensor(expected)
    rtol, atol = _tolerances([actual.dtype, expected.dtype], options["rtol"], options["atol"], path)

    def differ(name, a, b):
        raise _Mismatch(AssertionError, f"The values for attribute '{name}' do not match: {a} != {b}.", path)
    if actual.shape != expected.shape:
        differ("shape", actual.shape, expected.shape)
    if options["check_device"] and actual.device != expected.device:
        differ("device", actual.device, expected.device)
    if options["check_dtype"] and actual.dtype is not expected.dtype:
        differ("dtype", actual.dtype, expected.dtype)
    if options["check_layout"] and actual.layout != expected.layout:
        differ("layout", actual.layout, expected.layout)
    strided = not actual.is_sparse
    if strided and options["check_stride"] and actual.stride() != expected.stride():
        differ("stride()", actual.stride(), expected.stride())
    # then on one device, in one dtype and one layout, as torch's
    if actual.device != expected.device:
        actual, expected = actual.cpu(), expected.cpu()
    if actual.dtype is not expected.dtype:
        common = dt.promote_types(actual.dtype, expected.dtype)
        actual, expected = actual.to(common), expected.to(common)
    if actual.is_sparse != expected.is_sparse:
        actual, expected = (x.to_dense() if x.is_sparse else x for x in (actual, expected))
    if actual.is_sparse:
        if actual._nnz() != expected._nnz():
            raise _Mismatch(AssertionError, "The number of specified values in sparse COO tensors does not "
                                            f"match: {actual._nnz()} != {expected._nnz()}", path)
        _values(actual._indices(), expected._indices(), 0, 0, False, path, "Sparse COO indices")
        _values(actual._values(), expected._values(), rtol, atol, options["equal_nan"], path,
                "Sparse COO values")
    else:
        _values(actual, expected, rtol, atol, options["equal_nan"], path, "Tensor-likes")


def _values(actual, expected, rtol, atol, equal_nan, path, identifier):
    from .ops.creation import zeros_like
    from .autograd.grad_mode import no_grad
    with no_grad():
        actual, expected = actual.detach(), expected.detach()
        matches = actual.isclose(expected, rtol=rtol, atol=atol, equal_nan=equal_nan)
        if bool(matches.all()):
            return
        if actual.dim() == 0:
            text = _scalar_text(actual.item(), expected.item(), rtol, atol,
                                "Scalars" if identifier == "Tensor-likes" else identifier)
            raise _Mismatch(AssertionError, text, path)
        n, bad = matches.numel(), matches.numel() - int(matches.sum())
        a, e, ok = actual.flatten(), expected.flatten(), matches.flatten()
        if not (a.dtype.is_floating_point or a.dtype.is_complex):  # differences in int64, as torch's
            a, e = a.long(), e.long()
        diff = (a - e).abs()
        diff = diff.where(~ok, zeros_like(diff))  # the greatest differences of the mismatched elements
        rel = diff / e.abs()
        rel = rel.where(~ok, zeros_like(rel))
        (d, di), (r, ri) = diff.max(0), rel.max(0)

    def index(flat):
        out = []
        for size in reversed(matches.shape):
            flat, k = divmod(flat, size)
            out.append(k)
        return tuple(reversed(out))
    extra = f"Mismatched elements: {bad} / {n} ({bad / n:.1%})"
    raise _Mismatch(AssertionError, _mismatch_text(identifier, extra, d.item(), index(int(di)), rtol, atol,
                                                   r.item(), index(int(ri))), path)


_KINDS = (_compare_none, _compare_bools, _compare_numbers, _compare_tensors)


def _sequence(x) -> bool:
    return isinstance(x, Sequence) and not isinstance(x, str)


def _pairs(actual, expected, path, options):
    """The leaves of ``actual`` and ``expected`` in step, each with the compare that takes them."""
    if _sequence(actual) and _sequence(expected):
        if len(actual) != len(expected):
            raise _Mismatch(AssertionError, f"The length of the sequences mismatch: {len(actual)} != "
                                            f"{len(expected)}", path)
        out = []
        for i, (a, e) in enumerate(zip(actual, expected)):
            out += _pairs(a, e, (*path, i), options)
        return out
    if isinstance(actual, Mapping) and isinstance(expected, Mapping):
        keys, other = set(actual), set(expected)
        if keys != other:
            raise _Mismatch(AssertionError, "The keys of the mappings do not match:\n"
                            f"Missing keys in the actual mapping: {sorted(other - keys)}\n"
                            f"Additional keys in the actual mapping: {sorted(keys - other)}", path)
        try:  # a deterministic first failure, where the keys sort
            keys = sorted(keys)
        except TypeError:
            pass
        out = []
        for k in keys:
            out += _pairs(actual[k], expected[k], (*path, k), options)
        return out
    for compare in _KINDS:
        try:
            compare(actual, expected, path, options)
        except _Unsupported:
            continue
        except _Mismatch as m:  # found while the pair is made or compared: reported in the order torch's
            return [(path, m)]
        return [(path, None)]
    raise _Mismatch(TypeError, f"No comparison pair was able to handle inputs of type {type(actual)} and "
                               f"{type(expected)}.", path)


def assert_close(actual, expected, *, allow_subclasses=True, rtol=None, atol=None, equal_nan=False,
                 check_device=True, check_dtype=True, check_layout=True, check_stride=False, msg=None):
    """Raise AssertionError unless ``actual`` and ``expected`` are close, as ``torch.testing.assert_close``:
    ``|actual - expected| <= atol + rtol * |expected|`` elementwise, with torch's default tolerances per
    dtype, its attribute checks (shape, device, dtype, layout, strides with ``check_stride``) and texts.

    Args:
        actual, expected: tensors, sparse COO tensors, NumPy arrays, Python numbers or bools, None, or
            sequences and mappings of them (compared item by item).
        rtol, atol (float, optional): both or neither; by default the larger of the two dtypes' own.
        equal_nan (bool): NaN equals NaN.
        msg (str or callable, optional): replaces the message, or maps it to a new one.

    Raises:
        AssertionError: the values or attributes differ. TypeError: no comparison takes the inputs.
        ValueError: only one of ``rtol`` and ``atol`` is given.
    """
    options = dict(allow_subclasses=allow_subclasses, rtol=rtol, atol=atol, equal_nan=equal_nan,
                   check_device=check_device, check_dtype=check_dtype, check_layout=check_layout,
                   check_stride=check_stride)
    try:
        pairs = _pairs(actual, expected, (), options)
    except _Mismatch as m:  # the inputs' structure: torch reports it without ``msg``
        raise m.error() from None
    problems = [p for _, p in pairs if p is not None]
    for problem in problems:  # a refusal of some pair's inputs (torch's, while it makes the pairs) first
        if problem.kind is not AssertionError:
            raise problem.error() from None
    if problems:
        raise problems[0].error(msg) from None


# -- make_tensor -------------------------------------------------------------------------------------
_INTEGRAL = (dt.bool_, dt.uint8, dt.int8, dt.int16, dt.int32, dt.int64)


def _low_high(low, high, dtype, lowest, highest, default_low, default_high):
    """torch's checks and clamping of make_tensor's ``low`` and ``high`` (integers: both ceiled)."""
    low = default_low if low is None else low
    high = default_high if high is None else high
    if any(isinstance(v, float) and math.isnan(v) for v in (low, high)):
        raise ValueError(f"`low` and `high` cannot be NaN, but got low={low} and high={high}")
    if low == high and dtype.is_floating_point:
        import warnings
        warnings.warn("Passing `low==high` to `torch.testing.make_tensor` for floating or complex types is "
                      "deprecated since 2.1 and will be removed in 2.3. Use `torch.full(...)` instead.",
                      FutureWarning, stacklevel=3)
    elif low >= high:
        raise ValueError(f"`low` must be less than `high`, but got {low} >= {high}")
    elif high < lowest or low >= highest:
        raise ValueError(f"The value interval specified by `low` and `high` is [{low}, {high}), but {dtype} "
                         f"only supports [{lowest}, {highest})")
    low, high = min(max(low, lowest), highest), min(max(high, lowest), highest)
    return (math.ceil(low), math.ceil(high)) if dtype in _INTEGRAL else (low, high)


def make_tensor(*shape, dtype, device, low=None, high=None, requires_grad=False, noncontiguous=False,
                exclude_zero=False, memory_format=None):
    """A tensor of ``shape`` with random values in ``[low, high)``, as ``torch.testing.make_tensor``.

    Defaults: [-9, 9) for floating dtypes, [-9, 10) for integers (clamped to the dtype's range), [0, 2)
    for bool. ``noncontiguous`` takes every other element of a last dimension twice as long;
    ``exclude_zero`` replaces zeros by 1 (integers) or the dtype's smallest normal number.

    Raises:
        ValueError: NaN bounds, ``low >= high``, an interval outside the dtype's, ``requires_grad`` for an
            integer or bool dtype, ``noncontiguous`` with ``memory_format``.
        TypeError: a dtype make_tensor has no values for.
    """
    from .ops import creation
    if len(shape) == 1 and isinstance(shape[0], Sequence):
        shape = shape[0]
    shape = tuple(shape)
    if noncontiguous and memory_format is not None:
        raise ValueError(f"The parameters `noncontiguous` and `memory_format` are mutually exclusive, but "
                         f"got noncontiguous={noncontiguous} and memory_format={memory_format}")
    if requires_grad and dtype in _INTEGRAL:
        raise ValueError(f"`requires_grad=True` is not supported for boolean and integral dtypes, but got "
                         f"dtype={dtype}")
    noncontiguous = noncontiguous and math.prod(shape) > 1
    if noncontiguous:  # twice the last dimension, so that the elements taken are not all alike
        shape = (*shape[:-1], 2 * shape[-1])
    if dtype is dt.bool_:
        low, high = _low_high(low, high, dtype, 0, 2, 0, 2)
        result = creation.randint(low, high, shape, device=device, dtype=dtype)
    elif dtype in _INTEGRAL:
        info = dt.iinfo(dtype)
        # randint cannot draw int64's greatest value (its bounds are int64s): torch's limit
        low, high = _low_high(low, high, dtype, info.min, info.max + (dtype is not dt.int64), -9, 10)
        result = creation.randint(low, high, shape, device=device, dtype=dtype)
    elif dtype.is_floating_point:
        info = dt.finfo(dtype)
        low, high = _low_high(low, high, dtype, info.min, info.max, -9, 9)
        result = creation.empty(shape, device=device, dtype=dtype)
        if high - low >= info.max:  # uniform_ needs high - low within the dtype: drawn halved, then doubled
            result.uniform_(low / 2, high / 2).mul_(2)
        else:
            result.uniform_(low, high)
    else:
        raise TypeError(f"The requested dtype '{dtype}' is not supported by torch.testing.make_tensor(). To "
                        "request support, file an issue at: https://github.com/pytorch/pytorch/issues")
    if noncontiguous:  # from the second element, to catch offsets too
        result = result[..., 1::2]
    elif memory_format is not None:
        result = result.clone(memory_format=memory_format)
    if exclude_zero:
        result[result == 0] = 1 if dtype in _INTEGRAL else dt.finfo(dtype).tiny
    if dtype.is_floating_point:
        result.requires_grad = requires_grad
    return result


# the deprecated assert_allclose's own defaults (rtol, atol), looser than assert_close's
_ALLCLOSE_TOLERANCES = {dt.float16: (1e-3, 1e-3), dt.float32: (1e-4, 1e-5), dt.float64: (1e-5, 1e-8)}


def assert_allclose(actual, expected, rtol=None, atol=None, equal_nan=True, msg=""):
    """The deprecated ``torch.testing.assert_allclose`` (still in older test code), as torch 2.13's.

    Warns FutureWarning, then makes tensors of non-tensor inputs (``expected`` in ``actual``'s dtype) and
    calls ``assert_close`` without its dtype and stride checks, with NaN equal to NaN by default and, where
    neither ``rtol`` nor ``atol`` is given, the larger of the two dtypes' old defaults (float16 1e-3/1e-3,
    float32 1e-4/1e-5, float64 1e-5/1e-8, others exact).

    Raises:
        AssertionError: the values differ (assert_close's text). ValueError: only one of rtol/atol given.
    """
    from . import _warnings
    from .ops.creation import tensor
    _warnings.warn("`torch.testing.assert_allclose()` is deprecated since 1.12 and will be removed in a "
                   "future release. Please use `torch.testing.assert_close()` instead. You can find detailed "
                   "upgrade instructions in https://github.com/pytorch/pytorch/issues/61844.", FutureWarning)
    if not isinstance(actual, Tensor):
        actual = tensor(actual)
    if not isinstance(expected, Tensor):
        expected = tensor(expected, dtype=actual.dtype)
    if rtol is None and atol is None:
        rtols, atols = zip(*(_ALLCLOSE_TOLERANCES.get(t.dtype, (0.0, 0.0)) for t in (actual, expected)))
        rtol, atol = max(rtols), max(atols)
    assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan, check_device=True,
                 check_dtype=False, check_stride=False, msg=msg or None)
