"""Creation ops: from Python data or NumPy, constant fills, ranges and random tensors."""

from __future__ import annotations

import math
import operator
import sys

from .. import dtypes as dt
from .._warnings import called_by_user, warn_copy_construct, warn_once
from ..autograd.function import no_derivative, zero_derivative
from ..autograd.grad_mode import _state as _grad
from ..backends import get_backend, host_numpy
from ..device import as_device, factory_device
from ..device import device as _Device
from ..random import default_generator, draw_device
from ..shape import (LONG_LONG_MAX, LONG_LONG_MIN, c_div, check_long_long, index_like, infer_size,
                     refuse_symbolic, wrap_int)
from ..tensor import Tensor, _kind_name
from .common import check_fits


def require_args(args, name: str, arg: str = "size") -> None:
    """torch's TypeError where a method of ``*args`` (sizes, dims) is called with none."""
    if not args:
        raise TypeError(f'{name}() missing 1 required positional arguments: "{arg}"')


def int_tuple(args, name: str, arg: str = "size", position: int = 1) -> tuple:
    """``*args`` read as torch reads a ``tuple of ints`` argument: ints, or one tuple/list/torch.Size of
    them (NumPy integers and one-element integer tensors count as ints; a range, a deque or an array as
    the one argument do not; a bool after the first is 0 or 1, as torch reads it), with torch's TypeError
    naming the function ``name`` and its ``arg``."""
    if len(args) == 1 and not index_like(args[0]):
        if not isinstance(args[0], (tuple, list)):
            raise TypeError(f"{name}(): argument '{arg}' (position {position}) must be tuple of ints, not "
                            f"{type_name(args[0])}")
        args = args[0]
    elif args and not index_like(args[0]):  # torch's parser takes ints spelled out only from an int first
        raise TypeError(f"{name}() takes 1 positional argument but {len(args)} were given")
    # torch's parser checks the first element's type only (is_int_or_symint_list), then unpacks each as an
    # index: a bool after the first is read as 0 or 1, anything else there fails to unpack
    if args and not index_like(args[0]):
        raise TypeError(f"{name}(): argument '{arg}' (position {position}) must be tuple of ints, but found "
                        f"element of type {type_name(args[0])} at pos 0")
    for i, n in enumerate(args):
        if not (index_like(n) or isinstance(n, bool)):
            raise TypeError(f"{name}(): argument '{arg}' failed to unpack the object at pos {i + 1} with "
                            f'error "type must be tuple of ints,but got {type_name(n)}"')
    out = tuple(int(n.item() if isinstance(n, Tensor) else n) for n in args)
    for i, n in enumerate(out):
        if not -2 ** 63 <= n < 2 ** 63:  # torch's text goes on with a C++ backtrace: its first line
            raise TypeError(f"{name}(): argument '{arg}' failed to unpack the object at pos {i + 1} with "
                            'error "Overflow when unpacking long long')
    return out


def _size(size, name="zeros", kw=None):
    """A factory's ``*size`` (see ``int_tuple``), or its ``size=`` keyword (``kw``, the factory's other
    keywords: ``torch.rand(size=(2, 3))``), refusing negative sizes as torch does. ``name`` may name one of
    torch's registrations of the factory (``randint(low)``: its SymInt refusal's place), shown without it."""
    form, name = name, name.partition("(")[0]
    if kw and "size" in kw:
        if size:
            if name in ("rand", "randn"):  # their argument parser's refusal
                from .argcheck import invalid_combination
                raise invalid_combination(name, size, kw)
            raise TypeError(f"{name}() got multiple values for argument 'size'")
        if not isinstance(kw["size"], (tuple, list)):  # (a Size is a tuple) the keyword takes no bare int
            raise TypeError(f"{name}(): argument 'size' must be tuple of ints, not {type_name(kw['size'])}")
        size = (kw["size"],)
    require_args(size, name)
    out = int_tuple(size, name)
    for n in out:
        if n < 0:
            if name == "zeros":  # torch.zeros checks sizes on its own path, with its own text
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            refuse_symbolic(form, out)
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: {list(out)}")
    return out


def _num(x) -> str:
    """A number as C++'s ostream prints it in PyTorch's messages (``0``, ``1.5``, ``nan``, ``-1e+20``)."""
    return f"{x:g}" if isinstance(x, float) else str(x)


def check_storage(size, dtype) -> None:
    """torch's checks of a new contiguous tensor's sizes, before anything is allocated or drawn: the
    bytes (the running product of the sizes, in uint64, then times the item size) must fit an int64,
    then each stride must."""
    nbytes, overflowed = 1, False
    for n in size:
        nbytes *= n
        overflowed |= nbytes >= 2 ** 64  # torch's running product overflows even before a later 0
    if overflowed or nbytes * dtype.itemsize >= 2 ** 63:
        raise RuntimeError(f"Storage size calculation overflowed with sizes={list(size)}")
    stride = 1
    for n in reversed(size[1:]):
        stride *= max(n, 1)
        if stride >= 2 ** 63:
            raise RuntimeError("Stride calculation overflowed")


_INT_GRAD = "Only Tensors of floating point and complex dtype can require gradients"


def _finish(storage, shape, dtype, requires_grad):
    t = Tensor._make(storage, shape, dtype)
    if requires_grad:
        t._set_requires_grad(True, _INT_GRAD)
    return t


def _is_array(data) -> bool:
    """A NumPy array or scalar (not a NumPy string, which torch refuses as it refuses str)."""
    return (hasattr(data, "__array_interface__") and hasattr(data, "dtype")
            and not isinstance(data, (Tensor, str, bytes)))


def type_name(obj) -> str:
    """CPython's tp_name of ``type(obj)``, as torch's messages print it: ``set``, ``collections.deque``,
    ``numpy.float32``, or a Python class's own name."""
    t = type(obj)
    if isinstance(obj, (dt.dtype, _Device)):  # C types in torch (torch.dtype): pyfront's are Python classes
        return f"torch.{t.__name__}"
    if t.__module__ == "builtins" or t.__flags__ & (1 << 9):  # a builtin, or a class written in Python
        return t.__name__
    return f"{t.__module__}.{t.__name__}"


def is_sequence(obj) -> bool:
    """CPython's PySequence_Check, which torch uses for data and indices: anything indexable by position
    with a length (list, tuple, range, deque, str, array.array, NumPy arrays, a Sequence class); no dict,
    set, generator, tensor or NumPy scalar."""
    if isinstance(obj, (list, tuple)):
        return True
    t = type(obj)
    return not isinstance(obj, (dict, Tensor)) and hasattr(t, "__getitem__") and hasattr(t, "__len__")


def _infer_dtype(data):
    """torch's infer_scalar_type: numbers give the default dtypes, tensors and NumPy values their own, a
    sequence the promotion of its items (an empty one the default float)."""
    kind = type(data)  # the common leaves first, by exact type (no NumPy scalar is one)
    if kind is float:
        return dt.get_default_dtype()
    if kind is int:
        return dt.int64
    if isinstance(data, Tensor):
        return data.dtype
    if _is_array(data):  # before the numbers: NumPy's float64 and complex128 are Python float and complex
        return dt.from_numpy_dtype(data.dtype)
    if isinstance(data, bool):
        return dt.bool_
    if isinstance(data, int):
        return dt.int64
    if isinstance(data, float):
        return dt.get_default_dtype()
    if isinstance(data, complex):
        return dt.to_complex(dt.get_default_dtype())
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type_name(data)}'")
    if is_sequence(data):
        d = None
        for item in data:
            k = _infer_dtype(item)
            d = k if d is None else dt.promote_types(d, k)
        return d or dt.get_default_dtype()
    raise RuntimeError(f"Could not infer dtype of {type_name(data)}")


def _sizes(data) -> tuple:
    """torch's compute_sizes: the lengths along the first element of each nesting level."""
    sizes = []
    while is_sequence(data):
        sizes.append(len(data))
        if len(sizes) > 64:  # a str holds strs forever
            raise ValueError(f"too many dimensions '{type_name(data)}'")
        if not sizes[-1]:
            break
        data = data[0]
    return tuple(sizes)


def _store(data, shape, dim, dtype, flat) -> None:
    """torch's recursive_store: every level must have the first element's length; leaves are numbers."""
    if dim == len(shape):
        if isinstance(data, Tensor) and data.numel() != 1:
            if dtype.kind in "iu":
                raise TypeError("only integer tensors of a single element can be converted to an index")
            raise ValueError("only one element tensors can be converted to Python scalars")
        if isinstance(data, Tensor):
            data = data.item()
        elif _is_array(data):
            data = _numpy_scalar_value(data, dtype)
        if dtype.kind == "b" and isinstance(data, complex):  # torch's bool reader takes a complex: nonzero
            data = data != 0
        if (not isinstance(data, (int, float)) and dtype is not dt.uint64  # (_check_uint64's words)
                and not (dtype.kind == "c" and isinstance(data, complex))):
            if dtype.kind in "fc":  # only reached with a dtype given: no inference refused it
                raise TypeError(f"must be real number, not {type_name(data)}")
            raise TypeError(f"'{type(data).__name__}' object cannot be interpreted as an integer")
        flat.append(data)
        return
    try:
        items = list(data)
    except TypeError:
        raise TypeError("not a sequence") from None
    if len(items) != shape[dim]:
        raise ValueError(f"expected sequence of length {shape[dim]} at dim {dim} (got {len(items)})")
    for item in items:
        _store(item, shape, dim + 1, dtype, flat)


def _numpy_scalar_value(value, dtype):
    """The number torch stores from a NumPy scalar as ``dtype``: it reads the scalar as that C type's Python
    reader does. uint64 takes only a Python int (any NumPy scalar is refused); the other integer types an
    index or a Python float (NumPy's float64 is one; its other floats, complexes and bools are neither);
    bool those, a NumPy bool or a Python complex (complex128); a real float type a complex's real part
    (NumPy's float(), which warns)."""
    if dtype is dt.uint64:
        raise TypeError("an integer is required")
    kind = value.dtype.kind  # NumPy's: b, i, u, f, c
    if dtype.kind in "iub" and kind not in "iu" and not isinstance(value, float) and not (
            dtype.kind == "b" and (kind == "b" or isinstance(value, complex))):
        raise TypeError(f"'{type_name(value)}' object cannot be interpreted as an integer")
    return float(value) if kind == "c" and dtype.kind == "f" else value.item()


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor copied from ``data``: a number, a NumPy array or scalar, a tensor, or any (nested)
    sequence of these (list, tuple, range, deque, ...), read as ``torch.tensor`` reads it."""
    device = factory_device(device)
    if isinstance(data, Tensor):
        if called_by_user():
            warn_copy_construct("torch.tensor")
        out = data.detach().clone()
        out = out.to(device=device, dtype=dtype or out.dtype)
        return out._set_requires_grad(True, _INT_GRAD) if requires_grad else out
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type_name(data)}'")
    if is_ndarray(data):  # torch's copy of from_numpy's tensor: its refusals, its strides where dense
        out = adopt(data, dt.from_numpy_dtype(data.dtype), warn_read_only=False)
        out = out.to(device=device, dtype=dtype or out.dtype, copy=True)
        return out._set_requires_grad(True, _INT_GRAD) if requires_grad else out
    shape = _sizes(data)
    dtype = dtype or _infer_dtype(data)
    flat: list = []
    _store(data, shape, 0, dtype, flat)
    if dtype is dt.uint64:  # torch reads each element as a C unsigned long long
        _check_uint64(flat)
    elif dtype.kind == "i":
        if any(isinstance(v, int) and not -(1 << 63) <= v < (1 << 63) for v in flat):
            raise ValueError("Overflow when unpacking long long")  # read as a C long long first
        low, high = _INT_RANGE[dtype.name]
        for v in flat:  # before truncating: int8's 127.5 overflows, as in torch
            # c10::overflows: an unsigned type takes an int down to -max, wrapped (uint8 -1 is 255)
            if not (-high if low == 0 and isinstance(v, int) else low) <= v <= high:
                raise RuntimeError(f"value cannot be converted to type {dtype.name} without overflow")
        if low == 0:
            flat = [v % (high + 1) if isinstance(v, int) and v < 0 else v for v in flat]
    if dtype.kind == "i" and any(isinstance(v, float) for v in flat):
        flat = [int(v) for v in flat]
    storage = get_backend(device).from_list(flat, dtype)
    return _finish(storage, shape, dtype, requires_grad)


def _check_uint64(flat) -> None:
    """torch's errors for a uint64 tensor's elements: each an int in [0, 2**64) (bools are ints)."""
    for v in flat:
        if not isinstance(v, int):
            raise TypeError("an integer is required")
        if v < 0:
            raise OverflowError("can't convert negative int to unsigned")
        if v >= 1 << 64:
            raise OverflowError("int too big to convert")


_INT_RANGE = {
    "uint8": (0, 255),
    "uint16": (0, (1 << 16) - 1),
    "uint32": (0, (1 << 32) - 1),
    "int8": (-128, 127),
    "int16": (-(1 << 15), (1 << 15) - 1),
    "int32": (-(1 << 31), (1 << 31) - 1),
    "int64": (-(1 << 63), (1 << 63) - 1),
}


def as_tensor(data, dtype=None, device=None):
    """``data`` itself when it already is a tensor of that dtype and device, else a tensor of it; a NumPy
    array is read as torch reads it, through from_numpy (shared where dtype and device allow)."""
    if is_ndarray(data):
        data = from_numpy(data)
    if isinstance(data, Tensor):
        return data.to(device=device if device is not None else data.device, dtype=dtype or data.dtype)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(ndarray):
    """A tensor sharing memory with ``ndarray`` (any strided layout), as ``torch.from_numpy``."""
    if not is_ndarray(ndarray):
        raise TypeError(f"expected np.ndarray (got {type_name(ndarray)})")
    return adopt(ndarray, dt.from_numpy_dtype(ndarray.dtype))


def is_ndarray(obj) -> bool:
    """Whether ``obj`` is a NumPy array (or of a subclass), not a NumPy scalar; NumPy is not imported for it
    (the browser build has none: then nothing is an array)."""
    np = sys.modules.get("numpy")
    return np is not None and isinstance(obj, np.ndarray)


READ_ONLY_ARRAY = (
    "The given NumPy array is not writable, and PyTorch does not support non-writable tensors. This means "
    "writing to this tensor will result in undefined behavior. You may want to copy the array to protect its "
    "data or make it writable before converting it to a tensor. This type of warning will be suppressed for "
    "the rest of this program.")


def adopt(ndarray, dtype, warn_read_only: bool = True):
    """A ``dtype`` tensor over ``ndarray``'s memory with its strides (a transposed, sliced, Fortran-ordered,
    broadcast or read-only array too), as torch's from_numpy: ``from_numpy``'s, ``frombuffer``'s (whose
    bfloat16 array, ml_dtypes', from_numpy refuses as torch) and ``from_dlpack``'s. torch refuses strides
    that are not whole items, negative ones and a non-native byte order; a read-only array is shared
    (after from_numpy's warning, where ``warn_read_only``)."""
    size = ndarray.itemsize
    for step in ndarray.strides:
        if step % size:
            raise ValueError("given numpy array strides not a multiple of the element byte size. Copy the "
                             "numpy array to reallocate the memory.")
        if step < 0:
            raise ValueError("At least one stride in the given numpy array is negative, and tensors with "
                             "negative strides are not currently supported. (You can probably work around "
                             "this by making a copy of your array  with array.copy().) ")
    if not ndarray.dtype.isnative:
        raise ValueError("given numpy array has byte order different from the native byte order. Conversion "
                         "between byte orders is currently not supported.")
    if warn_read_only and not ndarray.flags.writeable:
        warn_once(READ_ONLY_ARRAY)
    storage = get_backend(as_device("cpu")).wrap(ndarray)
    return Tensor._make(storage, tuple(ndarray.shape), dtype, tuple(step // size for step in ndarray.strides))


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False, **kw):
    if kw:  # (zeros, ones and empty come through here: no call where there is nothing to check)
        factory_keywords("full", kw)
    size = _size((size,), "full")
    if dtype is None:
        dtype = fill_value.dtype if isinstance(fill_value, Tensor) else dt.scalar_dtype(fill_value)
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    elif dtype is dt.float16 and math.prod(size) == 1:  # torch's one-element fill skips the range check
        fill_value = dt.check_number(fill_value)
    else:
        fill_value = check_fits(fill_value, dtype)
    check_storage(size, dtype)
    storage = get_backend(factory_device(device)).full(size, fill_value, dtype)
    return _finish(storage, size, dtype, requires_grad)


def zeros(*size, dtype=None, device=None, requires_grad=False, **kw):
    if kw:
        factory_keywords("zeros", kw)
    return full(
        _size(size, "zeros", kw),
        0,
        dtype=dtype or dt.get_default_dtype(),
        device=device,
        requires_grad=requires_grad,
    )


def ones(*size, dtype=None, device=None, requires_grad=False, **kw):
    if kw:
        factory_keywords("ones", kw)
    return full(
        _size(size, "ones", kw),
        1,
        dtype=dtype or dt.get_default_dtype(),
        device=device,
        requires_grad=requires_grad,
    )


def empty(*size, dtype=None, device=None, requires_grad=False, memory_format=None, **kw):
    if kw:
        factory_keywords("empty", kw)
    out = zeros(_size(size, "empty", kw), dtype=dtype, device=device, requires_grad=requires_grad)
    if memory_format is None:
        return out
    from .memory_formats import format_name, laid_like, memory_format_arg
    memory_format_arg("empty", memory_format)
    if format_name(memory_format) == "preserve_format":
        raise RuntimeError("unsupported memory format Preserve")
    return laid_like(out, out, memory_format)


# the keywords torch's ``*_like`` factories take that their own code reads (one strided layout,
# memory formats follow the input's strides, no pinned memory)
_LIKE_IGNORED = frozenset(("layout", "memory_format", "pin_memory"))


# the keywords a sizes factory takes besides its dtype, device and requires_grad (``size=``: as a keyword)
_FACTORY_KEYWORDS = frozenset(("size", "out", "layout", "pin_memory"))


def factory_keywords(name: str, kw: dict, sampler_args=None) -> None:
    """torch's TypeError for a keyword factory ``name`` has not (``memory_format`` included, which only
    ``empty`` and the ``*_like`` ones take); ``sampler_args``: rand's and randn's positional arguments, whose
    refusal is their argument parser's."""
    for key in kw:
        if key not in _FACTORY_KEYWORDS:
            if sampler_args is not None:
                from .argcheck import invalid_combination
                raise invalid_combination(name, sampler_args, kw)
            raise TypeError(f"{name}() got an unexpected keyword argument '{key}'")


def _like_keywords(name: str, args, kw: dict, sampler: bool = False) -> None:
    """torch's TypeError for any other keyword (``out=`` included: a ``*_like`` has no out), or for a
    ``memory_format`` that is none."""
    from .memory_formats import is_memory_format, memory_format_arg
    if kw.get("memory_format") is not None and not is_memory_format(kw["memory_format"]):
        if sampler:
            from .argcheck import invalid_combination
            raise invalid_combination(name, args, kw)
        memory_format_arg(name, kw["memory_format"])
    for key in kw:
        if key not in _LIKE_IGNORED:
            if sampler:  # rand_like, randn_like and randint_like go through torch's argument parser
                from .argcheck import invalid_combination
                raise invalid_combination(name, args, kw)
            raise TypeError(f"{name}() got an unexpected keyword argument '{key}'")


def made_like(out, input, memory_format):
    """``out``, a ``*_like`` factory's fresh result, laid out like ``input`` (or in ``memory_format``) and
    batched where it is, as torch's."""
    if getattr(input, "_odd", False) or memory_format is not None:
        from .memory_formats import laid_like
        out = laid_like(out, input, memory_format)
    return batched_as(out, input)


def batched_as(out, input):
    """``out``, made like ``input``: inside vmap, batched where ``input`` is (Tensor._batched), as torch's."""
    batched = getattr(input, "_batched", 0)  # (a sparse input has none)
    if batched:
        out._batched = batched
    return out


def _like(fn):
    def like(input, *args, dtype=None, device=None, requires_grad=False, **kw):
        _like_keywords(fn.__name__ + "_like", (input, *args), kw)
        return made_like(fn(
            input.shape,
            *args,
            dtype=dtype or input.dtype,
            device=device if device is not None else input.device,
            requires_grad=requires_grad,
        ), input, kw.get("memory_format"))

    like.__name__ = fn.__name__ + "_like"
    return like


zeros_like, ones_like, empty_like = _like(zeros), _like(ones), _like(empty)


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False, **kw):
    _like_keywords("full_like", (input, fill_value), kw)
    return made_like(full(
        input.shape,
        fill_value,
        dtype=dtype or input.dtype,
        device=device if device is not None else input.device,
        requires_grad=requires_grad,
    ), input, kw.get("memory_format"))


def _check_range(start, end, step) -> None:
    """torch's checks of arange's and range's numbers, in its order (NaN and inf included)."""
    if not (step > 0 or step < 0):  # NaN too, as torch's check
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {start:g} -> {end:g}")  # C++'s printing of a double
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else dt.check_number(v) for v in (start, end, step)]
    # torch reads a complex bound as a double: its real part, where it has no imaginary part
    vals = [check_fits(v, dt.float64) if isinstance(v, complex) else v for v in vals]
    start, end, step = vals
    _check_range(start, end, step)
    if dtype is None:
        dtype = dt.get_default_dtype() if any(isinstance(v, float) for v in vals) else dt.int64
    _no_bool("arange", dtype, complex_too=True)
    if dtype is dt.int64:  # torch's int64 kernel truncates all three to integers, then counts
        # (a float bound too, against the limits as doubles: 1e19 is no int64, 2.0**63 passes, as torch's)
        if any(not LONG_LONG_MIN <= v <= (LONG_LONG_MAX if type(v) is int else 2.0 ** 63)
               for v in vals if type(v) in (int, float) and v == v):
            raise RuntimeError("value cannot be converted to type int64_t without overflow")
        start, end, step = int(start), int(end), int(step)
        if step == 0:
            raise ValueError("step must be nonzero")
        # torch's count (end - start + step - sign) / step, in int64 (it can wrap)
        n = size_d = c_div(wrap_int(end - start + step - (1 if step > 0 else -1)), step)
    else:  # the other integer kernels count in floating point and step by the truncated numbers
        n = size_d = max(math.ceil((end - start) / step), 0)
        if not dtype.is_floating_point:
            start, step = int(start), int(step)
    if not 0 <= float(size_d) <= 2**63:  # torch counts in double, and checks the count fits int64
        raise RuntimeError("invalid size, possible overflow?")
    _check_count(n)
    check_storage((n,), dtype)
    storage = get_backend(factory_device(device)).arange(start, step, n, dtype)
    return _finish(storage, (n,), dtype, requires_grad)


def _check_count(n: int) -> None:
    """torch's error for a count that its cast to int64 turns negative (it passed its checks as a double)."""
    if float(n) >= 2**63:
        raise RuntimeError("IntArrayRef contains an int that cannot be represented as a SymInt: "
                           "-9223372036854775808")


def _range(start, end, step=1, *, dtype=None, device=None, requires_grad=False):
    """``start, start + step, ...`` up to and including ``end``, in the default float dtype unless
    ``dtype`` says otherwise, as the deprecated ``torch.range`` (with its warning; ``arange`` excludes
    ``end``).

    Args:
        start (Number): the first value.
        end (Number): the last value, included when the steps reach it.
        step (Number): the gap between values. Default: 1

    Raises:
        RuntimeError: ``step`` is 0, or its sign does not lead from ``start`` to ``end``.
    """
    from .. import _warnings
    _warnings.warn("torch.range is deprecated and will be removed in a future release because its behavior "
                   "is inconsistent with Python's range builtin. Instead, use torch.arange, which produces "
                   "values in [start, end).")
    start, end, step = (v.item() if isinstance(v, Tensor) else dt.check_number(v) for v in (start, end, step))
    _check_range(start, end, step)
    dtype = dtype or dt.get_default_dtype()
    _no_bool("range", dtype, complex_too=True)
    n = math.floor((end - start) / step) + 1
    _check_count(n)
    check_storage((n,), dtype)
    storage = get_backend(factory_device(device)).arange(start, step, n, dtype)
    return _finish(storage, (n,), dtype, requires_grad)


_range.__name__ = _range.__qualname__ = "range"  # torch.range (a name this module keeps for the builtin)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False):
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    start, end, steps = (v.item() if isinstance(v, Tensor) else v for v in (start, end, steps))
    dtype = _range_dtype("linspace", start, end, dtype)
    _no_bool("linspace", dtype)
    check_storage((operator.index(steps),), dtype)  # (torch makes its result first: its bytes checked)
    _claim_result(steps, dtype)
    if dtype.is_complex:  # torch's steps are complex times a real count: each part steps on its own
        from .composite.complex_numbers import complex as from_parts
        (a, b), real = (complex(start), complex(end)), dt.to_real(dtype)
        parts = (linspace(a.real, b.real, steps, dtype=real, device=device),
                 linspace(a.imag, b.imag, steps, dtype=real, device=device))
        return from_parts(*parts).requires_grad_(requires_grad)
    # torch's kernel reads both ends as the dtype (its range check) only for two steps or more: one step is
    # a fill with start (a 16-bit one unchecked: inf), none reads nothing
    check_fits(start, dtype) if steps > 1 or steps and dtype not in dt.HALVES else None
    check_fits(end, dtype) if steps > 1 else None
    # PyTorch fills the second half from the end so that the last value is exactly ``end``
    half = steps // 2 if steps > 1 else steps
    if dtype.kind == "f":
        vals = _float_linspace(start, end, steps, half, dtype)
    else:  # integers: torch converts start and end to the dtype first, steps in double, truncates each value
        start, end = _in_int_dtype(start, dtype), _in_int_dtype(end, dtype)
        if steps == 1:  # (torch's fill with start: no double in between)
            return tensor([start], dtype=dtype, device=device, requires_grad=requires_grad)
        step = (end - start) / (steps - 1) if steps > 1 else 0.0
        vals = [from_double(_fma(step, float(i), start) if i < half else
                            _fma(step, float(i - steps + 1), end), dtype) for i in range(steps)]
    return tensor(vals, dtype=dtype, device=device, requires_grad=requires_grad)


def _claim_result(steps, dtype):
    """Allocate (and drop) linspace's or logspace's result on the host, where their values are computed:
    torch allocates its result before filling it, so a count no memory holds fails at once with its
    allocator's message, not after a fill that builds the values one by one (a hang, then the OOM killer)."""
    zeros((steps,), dtype=dtype, device="cpu")


def _range_dtype(name, start, end, dtype):
    """linspace's and logspace's dtype: a complex bound makes the default dtype's complex one, and
    refuses a real ``dtype``, as torch."""
    if not any(isinstance(v, complex) for v in (start, end)):
        return dtype or dt.get_default_dtype()
    inferred = dt.to_complex(dt.get_default_dtype())
    if dtype is not None and not dtype.is_complex:
        raise RuntimeError(f"torch.{name}(): inferred dtype {dt.cpp_name(inferred)} can't be safely cast to "
                           f"passed dtype {dt.scalar_name(dtype)}")
    return dtype or inferred


def _split(a: float) -> tuple:
    c = 134217729.0 * a  # Veltkamp: a = hi + lo, each with at most 26 significant bits
    hi = c - (c - a)
    return hi, a - hi


def _fma(a: float, b: float, c: float) -> float:
    """``a * b + c`` rounded once, as C's fma: Dekker's exact product, then fsum's correctly rounded sum."""
    p = a * b
    if not (math.isfinite(p) and math.isfinite(c)) or abs(p) > 1e300:
        return p + c
    (ah, al), (bh, bl) = _split(a), _split(b)
    return math.fsum((c, p, ((ah * bh - p) + ah * bl + al * bh) + al * bl))


def _rounder(dtype):
    """A Python float rounded as ``dtype`` holds it (float64: itself)."""
    if dtype in dt.HALVES:
        return lambda x: dt.round_half(x, dtype)
    return dt.round_float32 if dtype is dt.float32 else float


def _float_linspace(start, end, steps, half, dtype):
    """torch's CPU linspace kernel, value for value: start, end and step in the dtype, then
    ``start + step * i`` (``end - step * (steps - 1 - i)`` past halfway). Its compiled kernel fuses that
    multiply-add (one rounding) for float and double; Half and BFloat16 round after each operation. A Python
    double rounding (what this did before) differed from torch in the last bit of most float32
    linspaces, which moved affine_grid's pixel centres across grid_sample's floor."""
    itemsize, r = dtype.itemsize, _rounder(dtype)
    s, e = r(float(start)), r(float(end))
    step = r(r(e - s) / r(steps - 1)) if steps > 1 else 0.0
    if itemsize < 8:
        np = host_numpy()
        if np is not None:  # the same double operations and roundings as the loop, on whole arrays (the page
            # without NumPy runs the loop)
            k = np.arange(steps, dtype=np.float64)
            k[half:] -= steps - 1
            base = np.full(steps, s)
            base[half:] = e
            with np.errstate(all="ignore"):  # float16's overflow to inf is torch's too
                if itemsize == 2:
                    low = dt.numpy_dtype(np, dtype)  # (a double rounds to float32 first, as round_half)
                    rounded = k.astype(low).astype(np.float64)
                    out = base + (step * rounded).astype(np.float32).astype(low).astype(np.float64)
                    # held in float32 (exact): ``tensor`` takes no ml_dtypes array, as torch's from_numpy
                    return out.astype(np.float32).astype(low).astype(np.float32)
                return (base + step * k).astype(np.float32)
    out = []
    for i in range(steps):
        base, k = (s, i) if i < half else (e, -(steps - 1 - i))
        if itemsize == 2:
            out.append(r(base + r(step * r(k))))
        elif itemsize == 4:  # step * k is exact in a double, so one double sum then float is one rounding
            out.append(r(base + step * k))
        else:
            out.append(_fma(step, float(k), base))
    return out


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False):
    _no_bool("logspace", dtype or dt.get_default_dtype())
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    start, end = (v.item() if isinstance(v, Tensor) else v for v in (start, end))
    kind = _range_dtype("logspace", start, end, dtype)
    check_storage((operator.index(steps),), kind)  # (as linspace's; a 0-d integer tensor is a count)
    _claim_result(steps, kind)
    if kind.is_complex:  # complex exponents, stepped as linspace's, each half from its own end
        step = (complex(end) - complex(start)) / (steps - 1) if steps > 1 else 0j
        half = steps // 2 if steps > 1 else steps
        exps = [start + step * i if i < half else end - step * (steps - 1 - i) for i in range(steps)]
        return tensor([base ** e for e in exps], dtype=kind, device=device, requires_grad=requires_grad)
    if steps < 2:  # torch's fill with base ** start (its range check of that power, none 16-bit), or nothing
        power = _power(base, float(start))
        values = [power if kind in dt.HALVES else check_fits(power, kind)] if steps else []
        values = [from_double(v, kind) for v in values] if not kind.is_floating_point else values
        return tensor(values, dtype=kind, device=device, requires_grad=requires_grad)
    check_fits(start, kind)  # (as linspace's: torch reads both ends as the dtype first)
    check_fits(end, kind)
    # torch's kernel: start and end in the dtype (integers truncate), their difference too, then double
    # exponents, not fused (unlike linspace's), each half from its own end
    if not kind.is_floating_point:
        start, end = _in_int_dtype(start, kind), _in_int_dtype(end, kind)
        diff = end - start  # (C++'s: in int for the narrow types, wrapped in the dtype for 32 and 64 bits)
        diff = _in_int_dtype(diff, kind) if kind.itemsize >= 4 else diff
    else:
        r = _rounder(kind)
        start, end = r(float(start)), r(float(end))
        diff = r(end - start)
    step, half = diff / (steps - 1) if steps > 1 else 0.0, steps // 2 if steps > 1 else steps
    exps = [start + step * i if i < half else end - step * (steps - 1 - i) for i in range(steps)]
    values = [_power(base, e) for e in exps]
    if not kind.is_floating_point:  # torch's kernel casts each double power to the integer dtype
        values = [from_double(v, kind) for v in values]
    return tensor(values, dtype=kind, device=device, requires_grad=requires_grad)


def _power(base, e):
    """base ** e as C's pow gives it: NaN where Python's would be complex (a negative base), as torch; an
    infinity past the double range (where Python raises), negative for a negative base's odd power."""
    try:
        p = base ** e
    except OverflowError:
        odd = float(e).is_integer() and e % 2 == 1
        return -math.inf if base < 0 and odd else math.inf
    except ZeroDivisionError:  # C's pow of a zero to a negative power: an infinity, -0.0's odd ones negative
        odd = float(e).is_integer() and e % 2 == 1
        return math.copysign(math.inf, base) if odd else math.inf
    return math.nan if isinstance(p, complex) else p


def _in_int_dtype(v, dtype) -> int:
    """A Python number converted to integer ``dtype`` as torch's Scalar.to<T>() does past its range check:
    an int wrapped to the width (uint8's -1 is 255), a float truncated (``from_double``)."""
    if not isinstance(v, int):
        return from_double(float(v), dtype)
    width = 8 * dtype.itemsize
    n = v & ((1 << width) - 1)
    return n - (1 << width) if dtype.is_signed and n >> (width - 1) else n


def from_double(v: float, dtype) -> int:
    """A double converted to integer ``dtype`` as torch's CPU kernels' C++ cast does on x86: truncated
    toward 0; past int64 (past int32 for the narrower types, converted through a C int) x86's "integer
    indefinite", the lowest value; then wrapped to the dtype's width (logspace(0, 3, 2, dtype=torch.int8)
    is [1, -24]; linspace(0, 2**63 - 1, 3, dtype=torch.int64) ends at -2**63, the double 2**63)."""
    bits = 64 if dtype.itemsize == 8 else 32
    lowest = -1 << (bits - 1)
    n = int(v) if lowest <= v < -lowest else lowest  # (NaN fails the comparison too)
    width = 8 * dtype.itemsize
    if width < bits:
        n &= (1 << width) - 1
        if dtype.is_signed and n >> (width - 1):
            n -= 1 << width
    return n


def _no_bool(name, dtype, complex_too=False):
    """PyTorch's CPU kernels for ranges have no bool or shell dtype version (arange's and range's no complex
    one)."""
    if dtype is dt.bool_ or complex_too and dtype.is_complex or dtype in dt.SHELL:
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{dt.scalar_name(dtype)}'")


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False):
    m = n if m is None else m
    for name, k in (("n", n), ("m", m)):
        if k < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {k}")
    if dtype in dt.WIDE_UNSIGNED:
        raise NotImplementedError(f"\"eye\" not implemented for '{dt.scalar_name(dtype)}'")
    if n * m >= 2 ** 63:  # torch resizes its result to (n, m): the element count's overflow is its first
        raise RuntimeError("numel: integer multiplication overflow")
    out = zeros(n, m, dtype=dtype, device=device)
    if n and m:
        out.diagonal().fill_(1)
    return out.requires_grad_(True) if requires_grad else out


# -- random ---------------------------------------------------------------------------------
def _random(kind, size, dtype, device, generator, a, b, requires_grad=False):
    check_storage(size, dtype)
    gen = generator or default_generator
    n = math.prod(size)
    device = factory_device(device)
    # a meta tensor has no values to draw: the generator's stream stays where it was, as torch's (a model
    # built on the meta device, then on the cpu, gets the weights of one built on the cpu alone)
    seed, offset = (0, 0) if device.type == "meta" else gen._take(2 * n if kind == "normal" else n)
    storage = get_backend(device).random(kind, n, dtype, seed, offset, a, b)
    return _finish(storage, size, dtype, requires_grad)


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, **kw):
    if kw:
        factory_keywords("rand", kw, size)
    dtype = dtype or dt.get_default_dtype()
    if dtype.is_complex:  # torch's: the (real, imaginary) pairs drawn in order, each U[0, 1)
        return _complex_draws(rand, _size(size, "rand", kw), generator, dtype, device, requires_grad, 1.0)
    _check_float("check_uniform_bounds", dtype)
    return _random("uniform", _size(size, "rand", kw), dtype, device, generator, 0.0, 1.0, requires_grad)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False, **kw):
    if kw:
        factory_keywords("randn", kw, size)
    dtype = dtype or dt.get_default_dtype()
    if dtype.is_complex:  # torch's: the (real, imaginary) pairs drawn in order, each of variance 1/2
        return _complex_draws(randn, _size(size, "randn", kw), generator, dtype, device, requires_grad,
                              math.sqrt(0.5))
    _check_float("normal_kernel_cpu", dtype)
    return _random("normal", _size(size, "randn", kw), dtype, device, generator, 0.0, 1.0, requires_grad)


def _complex_draws(draw, size, generator, dtype, device, requires_grad, scale):
    """A complex ``dtype``'s draws as torch's, those of its view_as_real: ``draw``'s (real, imaginary)
    pairs in order, times ``scale``."""
    from .composite.complex_numbers import view_as_complex
    pairs = draw(*size, 2, generator=generator, dtype=dt.to_real(dtype), device=device)
    return view_as_complex(pairs if scale == 1.0 else pairs * scale).requires_grad_(requires_grad)


def _check_float(kernel, dtype):
    """torch's CPU sampling kernels (``kernel``) have no integer, bool or float8 version."""
    if not dtype.is_floating_point or dtype in dt.FLOAT8:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt.scalar_name(dtype)}'")


# the dtypes torch's CPU sampling kernels of integers dispatch on (their AT_DISPATCH sets: no complex, no
# float8, the wide unsigned ones in from-to draws only); another dtype is the kernel's NotImplementedError
_REALS = frozenset((dt.uint8, dt.int8, dt.int16, dt.int32, dt.int64, dt.float16, dt.bfloat16, dt.float32,
                    dt.float64))
_KERNEL_DTYPES = {"geometric_cpu": _REALS, "randperm": _REALS, "bernoulli_scalar_cpu_": _REALS | {dt.bool_},
                  "bernoulli_tensor_cpu_self_": _REALS | {dt.bool_}, "random_kernel_cpu": _REALS | {dt.bool_},
                  "random_update_from_to": _REALS | {dt.bool_, *dt.WIDE_UNSIGNED}}


def check_kernel_dtype(kernel, dtype):
    """Refuse ``dtype`` as torch's CPU sampling ``kernel`` does where its dispatch lacks it."""
    if dtype not in _KERNEL_DTYPES[kernel]:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt.scalar_name(dtype)}'")


def randint(low=None, high=None, size=None, *, generator=None, dtype=None, device=None, requires_grad=False):
    form = "randint(low)" if None not in (low, high, size) else "randint"  # (torch's two registrations)
    if low is None:  # randint(high=n, size=...), as torch's RandomSampler calls it
        if high is None:
            raise TypeError("randint() missing 1 required positional argument: 'high'")
        low = 0
    if size is None and high is not None and isinstance(high, (tuple, list)):
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    if size is None:
        raise TypeError('randint() missing 1 required positional arguments: "size"')
    if dtype is not None and dtype.is_complex:
        raise RuntimeError("check_random_bounds handles only integral, floating-point and boolean types")
    check_long_long(low)  # (torch's parser reads each as a C long long)
    check_long_long(high)
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    if dtype is not None:
        check_kernel_dtype("random_update_from_to", dtype)
    return _random(
        "randint", _size((tuple(size),), form), dtype or dt.int64, device, generator, int(low), int(high)
    )


def randint_like(input, low=0, high=None, *, generator=None, dtype=None, device=None, **kw):
    _like_keywords("randint_like", (input, low) if high is None else (input, low, high), kw, sampler=True)
    if high is None:
        low, high = 0, low
    return made_like(randint(
        low,
        high,
        input.shape,
        generator=generator,
        dtype=dtype or input.dtype,
        device=device if device is not None else input.device,
    ), input, kw.get("memory_format"))


def rand_like(input, *, generator=None, dtype=None, device=None, requires_grad=False, **kw):
    _like_keywords("rand_like", (input,), kw, sampler=True)
    return made_like(rand(
        input.shape,
        generator=generator,
        dtype=dtype or input.dtype,
        device=device if device is not None else input.device,
        requires_grad=requires_grad,
    ), input, kw.get("memory_format"))


def randn_like(input, *, generator=None, dtype=None, device=None, requires_grad=False, **kw):
    _like_keywords("randn_like", (input,), kw, sampler=True)
    return made_like(randn(
        input.shape,
        generator=generator,
        dtype=dtype or input.dtype,
        device=device if device is not None else input.device,
        requires_grad=requires_grad,
    ), input, kw.get("memory_format"))


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False):
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    if dtype is not None:
        check_kernel_dtype("randperm", dtype)
    keys = _random("randint", (n,), dt.int64, "cpu", generator, 0, 1 << 31).tolist()
    order = sorted(range(n), key=lambda i: (keys[i], i))
    return tensor(order, dtype=dtype or dt.int64, device=device)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None, requires_grad=False):
    """Samples of N(mean, std); mean/std may be tensors (broadcast) or numbers with ``size``."""
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        like = mean if isinstance(mean, Tensor) else std
        from ..shape import broadcast_shapes

        if isinstance(std, Tensor):
            if std.numel() and not bool((std >= 0).all()):  # (nan too, as torch)
                raise RuntimeError("normal expects all elements of std >= 0.0")
        elif not std >= 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {_num(std)}")
        shape = broadcast_shapes(*(t.shape for t in (mean, std) if isinstance(t, Tensor)))
        z = randn(shape, generator=generator, dtype=like.dtype, device=like.device)
        out = (z * std + mean).detach()
        inputs = [t for t in (mean, std) if isinstance(t, Tensor)]
        if _grad.enabled and any(t.requires_grad for t in inputs):  # a zero gradient, as torch's
            form = 3 if len(inputs) == 2 else 1 if isinstance(mean, Tensor) else 2  # torch's overloads
            out = zero_derivative(out, inputs, f"NormalBackward{form}")
        return out
    if size is None:
        raise TypeError('normal() missing 1 required positional arguments: "size"')
    if not std >= 0:  # (nan too)
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_num(std)}")
    dtype = dtype or dt.get_default_dtype()
    if dtype.is_complex:  # torch's empty(size).normal_(mean, std): each part N(mean, std**2 / 2)
        from .sampling import normal_
        out = empty(_size((tuple(size),)), dtype=dtype, device=device)
        out = normal_(out, mean, std, generator=generator)
        return out.requires_grad_(requires_grad)
    _check_float("normal_kernel_cpu", dtype)
    return _random(
        "normal", _size((tuple(size),)), dtype, device, generator, float(mean), float(std), requires_grad
    )


def bernoulli(input, p=None, *, generator=None):
    """0/1 draws with probabilities ``input`` (or the number ``p``), in input's dtype."""
    from .sampling import bernoulli_

    out = bernoulli_(empty_like(input), input.detach() if p is None else p, generator=generator)
    if not (_grad.enabled and input.requires_grad):
        return out
    if p is None:  # a zero gradient, as torch's; none at all for a number p
        return zero_derivative(out, input, "BernoulliBackward0")
    return no_derivative(out, "derivative for aten::bernoulli is not implemented", input)


def multinomial(input, num_samples, replacement=False, *, generator=None):
    """Draw category indices with probabilities proportional to the rows of ``input``."""
    check_long_long(num_samples)  # (torch's parser reads it as a C long long, before the op's checks)
    if input.dim() not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{_kind_name(input.dtype)}")
    _check_float("aminmax_cpu", input.dtype)  # (float8: torch's range check of the weights has no kernel)
    if not index_like(num_samples):  # a NumPy integer, a 0-d integer array or tensor are ints to torch
        from .argcheck import typename
        raise TypeError(f"multinomial(): argument 'num_samples' (position 2) must be int, not "
                        f"{typename(num_samples)}")
    num_samples = int(num_samples)
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n_cat = input.shape[-1]
    if not replacement and num_samples > n_cat:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if n_cat > 1 << 24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    if input.is_meta:  # nothing to draw from: the samples' shape alone
        return empty(*input.shape[:-1], num_samples, dtype=dt.int64, device=input.device)
    rows = input.reshape(-1, n_cat).tolist()
    for row in rows:
        if not all(math.isfinite(v) and v >= 0 for v in row):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if math.fsum(row) <= 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    out = []
    for row in rows:
        w = list(row)
        picks = []
        for _ in range(num_samples):
            total = math.fsum(w)
            if total <= 0:  # without replacement, past the positive categories: torch takes the zero ones
                k = next(i for i in range(n_cat) if i not in picks)
            else:
                u = rand((), generator=generator, dtype=dt.float64, device=draw_device(generator)).item()
                u *= total
                acc, k = 0.0, max(i for i, v in enumerate(w) if v > 0)
                for i, v in enumerate(w):
                    acc += v
                    if u < acc:
                        k = i
                        break
            picks.append(k)
            if not replacement:
                w[k] = 0.0
        out.append(picks)
    res = tensor(out, dtype=dt.int64, device=input.device).reshape(len(rows), num_samples)
    return res if input.dim() > 1 else res.reshape(num_samples)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False):
    return full((), s, dtype=dtype or dt.get_default_dtype(), device=device, requires_grad=requires_grad)


__all__ = ["infer_size"]
