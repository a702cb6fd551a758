"""Pure functions on shapes and strides: broadcasting, contiguity, axis normalisation."""
from __future__ import annotations

import math
import numbers
import operator


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``torch.Size([2, 3])``."""

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    __str__ = __repr__

    def numel(self) -> int:
        return math.prod(self)

    def __getitem__(self, item):
        r = tuple.__getitem__(self, item)
        return Size(r) if isinstance(item, slice) else r

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))

    def __reversed__(self):
        # without it reversed() reads a tuple subclass through __getitem__, one Python call per dim
        # (is_contiguous runs per tensor made)
        return reversed(tuple(self))


def contiguous_strides(shape) -> tuple:
    try:
        cached = _STRIDES.get(shape)  # a Size or tuple as it is (no copy per tensor made)
    except TypeError:  # unhashable: a list
        cached = None
    if cached is not None:
        return cached
    shape = tuple(shape)
    strides, acc = [], 1
    for n in reversed(shape):
        strides.append(acc)
        acc *= max(n, 1)
    out = tuple(reversed(strides))
    if len(_STRIDES) < 4096:
        _STRIDES[shape] = out
    return out


_STRIDES: dict = {}


def is_contiguous(shape, strides) -> bool:
    expected = 1
    for n, s in zip(reversed(shape), reversed(strides)):
        if n == 0:
            return True
        if n != 1 and s != expected:
            return 0 in shape  # an empty tensor is contiguous whatever its strides, as torch's
        expected *= n
    return True


_KINDS: dict = {}  # (shape, strides) -> layout_kind's answer, for the views every step makes again


def layout_kind(shape, strides) -> tuple:
    """(contiguous, odd) of a view of ``shape`` and ``strides`` (a tuple), remembered: Tensor._make asks it
    per view made (a transposed weight per matmul, twice per Linear a step), and the answer is two Python
    loops over the dims. odd: where an op's result takes a layout of its own from this one (torch's layout
    rules): a contiguous tensor's size-1 dims with other strides than the row-major ones (a copy keeps
    them), dims out of row-major order; a sliced or expanded row-major one is not odd."""
    key = (shape, strides)
    found = _KINDS.get(key)
    if found is None:
        contiguous = is_contiguous(shape, strides)
        odd = strides != contiguous_strides(shape) if contiguous else not in_row_major_order(strides)
        found = (contiguous, odd)
        if len(_KINDS) < 4096:
            _KINDS[key] = found
    return found


def extent(size, strides, offset: int = 0) -> int:
    """How many storage elements a geometry needs: one past the farthest element that ``size``,
    ``strides`` (in elements, non-negative) and ``offset`` address; ``offset`` itself when ``size``
    has a 0 and so addresses no element."""
    return offset + 1 + sum((n - 1) * s for n, s in zip(size, strides)) if all(size) else offset


def in_row_major_order(strides) -> bool:
    """Whether the nonzero ``strides`` fall strictly from the first dim to the last: a gapped (sliced) or
    broadcast row-major layout. torch's TensorIterator then orders an elementwise result's dims, whatever
    its other operands of that kind, as they stand, so the result is contiguous (strides_order.order_of:
    no such operand tells a later dim to lie outside an earlier one)."""
    last = None
    for s in strides:
        if s:
            if last is not None and s >= last:
                return False
            last = s
    return True


def reads_as_int(value) -> bool:
    """Whether torch's argument parser reads ``value`` as an ``int`` (a dim, a size): a Python int but no
    bool, a NumPy integer (no NumPy bool, no 0-d ndarray) or a 0-d integer tensor (no bool one)."""
    if isinstance(value, numbers.Integral):
        return not isinstance(value, bool)
    return (getattr(value, "ndim", None) == 0 and type(value).__module__ != "numpy"
            and getattr(getattr(value, "dtype", None), "kind", None) == "i")


# the range of a C long long, as which torch's argument parser reads every int (ops/argcheck.py)
LONG_LONG_MIN, LONG_LONG_MAX = -(1 << 63), (1 << 63) - 1


def check_long_long(value) -> None:
    """torch's argument parser reads an ``int`` argument as a C long long: a Python int outside int64 is its
    ValueError, before the op sees it (ops/argcheck.py reads each public call's ints so)."""
    if type(value) is int and not LONG_LONG_MIN <= value <= LONG_LONG_MAX:
        raise ValueError("Overflow when unpacking long long")


def wrap_int(value: int, bits: int = 64) -> int:
    """``value`` as a C integer of ``bits`` bits holds it (two's complement): where torch's own arithmetic
    on an int argument overflows (a slice's length, a C int stride), its result is this."""
    half = 1 << (bits - 1)
    return (value + half) % (half << 1) - half


def c_div(a: int, b: int) -> int:
    """C's integer division (towards zero), as torch's size arithmetic divides."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def index_like(value) -> bool:
    """Whether torch's parser takes ``value`` as an element of an int list (it checks the first one, and a
    Tensor method's ints spelled out, x.permute(1, 0)): no bool; a one-element integer or bool tensor; any
    other object whose ``__index__`` works (a NumPy integer, a 0-d integer ndarray)."""
    if type(value) is int:
        return True
    if isinstance(value, bool):
        return False
    if hasattr(value, "numel") and hasattr(value, "dtype"):  # a tensor (its __index__ refuses no bool)
        return value.numel() == 1 and value.dtype.kind in ("i", "b")
    try:
        operator.index(value)
    except TypeError:
        return False
    return True


def single_int_list(value, symint: bool = False) -> tuple | None:
    """``value``, not a tuple or list, as the one-element list torch's parser reads where an ``int[1]`` goes
    (a reduction's dim), or None where it reads none: an int as above, or a one-element integer or bool
    tensor. Another object with ``__index__`` (a 0-d ndarray) passes its type check, then fails an assert
    (at the line of its ``SymInt[1]`` reader where ``symint``: roll's shifts)."""
    if reads_as_int(value):
        return (value,)
    if not index_like(value):
        return None
    if hasattr(value, "numel"):
        return (operator.index(value),)
    raise RuntimeError('PyList_Check(arg) INTERNAL ASSERT FAILED at "/__w/pytorch/pytorch/torch/csrc/utils/'
                       f'python_arg_parser.h":{573 if symint else 658}, please report a bug to PyTorch. '
                       'expected tuple or list')


def normalize_dim(dim: int, ndim: int) -> int:
    """Wrap a negative dim; IndexError with PyTorch's message when out of range."""
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if type(dim) is not int:
        if not reads_as_int(dim):  # (a function parsed on failure names the argument, as torch)
            raise TypeError(f"dim must be an int, not {type(dim).__name__}")
        dim = operator.index(dim)
    if dim < lo or dim > hi:
        check_long_long(dim)  # (only here: a dim in range is one)
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})")
    return dim % max(ndim, 1)


def list_dims(dims, ndim: int) -> list:
    """``dims`` (one dim, or a tuple/list of them) normalised, as torch's parser reads an ``int[]``: it
    checks the first element's type only and reads a bool after it as 0 or 1 (``x.flip((0, True))``)."""
    if not isinstance(dims, (tuple, list)):
        return [normalize_dim(dims, ndim)]
    # (an element is read as an index: a 0-d ndarray too, unlike an int argument)
    return [normalize_dim(operator.index(d) if i and isinstance(d, bool) or index_like(d) else d, ndim)
            for i, d in enumerate(dims)]


def normalize_dims(dim, ndim: int) -> tuple:
    """A sorted tuple of dims; None or () means every dim (PyTorch's reduction convention)."""
    if dim is None:
        return tuple(range(ndim))
    if not isinstance(dim, (tuple, list)):
        found = single_int_list(dim)
        if found is None:  # an ndarray, a many-element tensor, a range: torch's parser takes no iterable
            raise TypeError(f"dim must be a tuple of ints, not {type(dim).__name__}")
        dim = found
    out = tuple(list_dims(tuple(dim), ndim))
    for d in set(out):
        if out.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return tuple(sorted(out)) if out else tuple(range(ndim))


def broadcast_shapes(*shapes) -> tuple:
    """Broadcast shapes as PyTorch does, with its error text on a mismatch."""
    ndim = max((len(s) for s in shapes), default=0)
    out = [1] * ndim
    for s in shapes:
        # from the last dimension, so the first mismatch reported is PyTorch's (the rightmost)
        for i, n in reversed(list(enumerate(s, ndim - len(s)))):
            if n == out[i] or n == 1:
                continue
            if out[i] == 1:
                out[i] = n
            else:  # for two shapes, out[i] is tensor a's size
                raise RuntimeError(
                    f"The size of tensor a ({out[i]}) must match the size of tensor b "
                    f"({n}) at non-singleton dimension {i}")
    return tuple(out)


def broadcast_shapes_on_meta(*shapes) -> tuple:
    """``broadcast_shapes`` with the words of torch's meta device, whose kernels broadcast in Python: the
    shapes taken in argument order, each from its last dim, against the common shape built so far; the
    first one that fits no longer is named by its index."""
    out = [1] * max((len(s) for s in shapes), default=0)
    for index, s in enumerate(shapes):
        for back in range(-1, -len(s) - 1, -1):
            n = s[back]
            if out[back] == 1:
                out[back] = n
            elif n != 1 and n != out[back]:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {n} at {back}! "
                                   f"Mismatching argument at index {index} had torch.Size({list(s)}); but "
                                   f"expected shape should be broadcastable to {out}")
    return tuple(out)


def infer_size(shape, numel: int) -> tuple:
    """Resolve a single -1 in a view/reshape shape, checking its sizes left to right as torch does. A
    RuntimeError for sizes that cannot hold ``numel`` elements carries ``sizes_mismatch`` (unflatten words
    that one its own way); the others carry ``cpp_line``, the line of torch's InferSize.h that raised it."""
    shape = tuple(shape)
    infer, known = None, 1
    for i, n in enumerate(shape):
        if n == -1:
            if infer is not None:
                raise _cpp_error("only one dimension can be inferred", 30)
            infer = i
        elif n >= 0:
            known *= n
        else:
            raise _cpp_error(f"invalid shape dimension {n} at index {i} of shape {list(shape)}", 35)
    if numel == known or (infer is not None and known > 0 and numel % known == 0):
        if infer is None:
            return shape
        if known == 0:
            raise _cpp_error(f"cannot reshape tensor of 0 elements into shape {list(shape)} because the "
                             "unspecified dimension size -1 can be any value and is ambiguous", 88)
        return shape[:infer] + (numel // known,) + shape[infer + 1:]
    error = RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    error.sizes_mismatch = True
    raise error


# torch's SymInt holds a value below -2**62 as a symbolic one, so a list of sizes (strides, paddings) holding
# one is refused where the op's kernel is registered, in words naming that place in torch 2.13's build (its
# generated registration files, and the boxing header for the kernels called through it)
_SYMBOLIC_BELOW = -2 ** 62
_REGISTERED = {name: f"/__w/pytorch/pytorch/build/aten/src/ATen/{where}" for name, where in {
    "empty": "RegisterCPU_1.cpp:2398", "empty_strided": "RegisterCPU_2.cpp:2356",
    "ones": "RegisterCompositeExplicitAutograd_0.cpp:8236",
    "full": "RegisterCompositeExplicitAutograd_0.cpp:5179",
    "rand": "RegisterCompositeExplicitAutograd_0.cpp:8781",
    "randn": "RegisterCompositeExplicitAutograd_0.cpp:9454",
    "randint": "RegisterCompositeExplicitAutograd_0.cpp:8948",
    "randint(low)": "RegisterCompositeExplicitAutograd_0.cpp:9054",
    "new_empty": "RegisterCPU_1.cpp:2398", "new_zeros": "RegisterCompositeExplicitAutograd_0.cpp:4600",
    "new_ones": "RegisterCompositeExplicitAutograd_0.cpp:4653",
    "new_full": "RegisterCompositeExplicitAutograd_0.cpp:4547",
    "view": "RegisterCPU_3.cpp:5710", "expand": "RegisterCompositeExplicitAutograd_0.cpp:4963",
    "repeat": "RegisterCompositeExplicitAutograd_0.cpp:9752", "as_strided": "RegisterCPU_0.cpp:1754",
    "roll": "RegisterCPU_3.cpp:4890", "resize_": "RegisterCPU_3.cpp:2677",
    "constant_pad_nd": "RegisterCompositeExplicitAutograd_0.cpp:3016",
    "convolution": "RegisterCompositeExplicitAutograd_0.cpp:3063"}.items()}
_REGISTERED["boxed"] = "/__w/pytorch/pytorch/aten/src/ATen/core/boxing/KernelFunction_impl.h:123"


def refuse_symbolic(op: str, *lists) -> None:
    """torch's refusal of a value below -2**62 in any of ``lists`` (``op``'s int lists), which its SymInt
    reads as a symbolic size: asked where pyfront is about to refuse a negative value of its own (the
    dispatcher's check comes first in torch)."""
    if any(v < _SYMBOLIC_BELOW for values in lists for v in values):
        raise RuntimeError(f"{_REGISTERED[op]}: SymIntArrayRef expected to contain only concrete integers")


def _cpp_error(message: str, line: int) -> RuntimeError:
    error = RuntimeError(message)
    error.cpp_line = line
    return error


def view_strides(old_shape, old_strides, new_shape):
    """Strides for viewing (old_shape, old_strides) as new_shape without a copy, or None.

    PyTorch's rule: each run of new dims must map onto a run of old dims that is contiguous
    within itself.
    """
    if math.prod(old_shape) == 0 or not old_shape:
        return contiguous_strides(new_shape)
    new_strides = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base_stride = old_strides[-1]
    tensor_numel = 1
    view_numel = 1
    for d in range(len(old_shape) - 1, -1, -1):
        tensor_numel *= old_shape[d]
        if d == 0 or (old_shape[d - 1] != 1 and old_strides[d - 1] != tensor_numel * chunk_base_stride):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new_strides[view_d] = view_numel * chunk_base_stride
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                chunk_base_stride = old_strides[d - 1]
                tensor_numel = 1
                view_numel = 1
    if view_d != -1:
        return None
    return tuple(new_strides)


def blocks(size, kernel_size, dilation, padding, stride) -> tuple:
    """The number of sliding windows along each spatial dim."""
    return tuple(
        (n + 2 * p - d * (k - 1) - 1) // st + 1
        for n, k, d, p, st in zip(size, kernel_size, dilation, padding, stride)
    )
