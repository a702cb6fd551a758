"""Indexing built from the indexing primitives: ``x[...]``, ``x[...] = v`` and the named ops.

Basic indexing (ints, slices, None, ``...``) is a chain of views (select, slice, unsqueeze), so
the result shares memory with ``x``. What remains (index tensors, lists, masks, bools) is one
``index`` / ``index_put`` on that view: a copy, whose gradient is an accumulating ``index_put``.
"""

from __future__ import annotations

import operator
from contextlib import contextmanager

from ... import _warnings
from ... import dtypes as dt
from ...dtypes import scalar_name
from ...shape import LONG_LONG_MAX, broadcast_shapes, check_long_long, contiguous_strides, normalize_dim
from ...strides_order import result_strides
from ...autograd.function import no_derivative
from ...autograd.grad_mode import IN_TRANSFORM
from ...autograd.graph import also_saves, saved_as_torch
from ...tensor import Tensor
from ..common import check_fits, scalar_tensor
from ..creation import _is_array, is_sequence, type_name, tensor as _tensor, zeros
from ..primitives import indexing as prim
from ..primitives.elementwise import where
from ..memory_formats import contiguous_result, grads_laid_as_inputs, lays_out
from ..on_meta import on_meta, refuse_on_meta
from ..registry import composite
from .. import samples, shell
from ..views import alias_view, select, slice_dim, unsqueeze


@contextmanager
def reworded(error: type, message):
    """Re-raise a primitive's out-of-bounds error as ``error(message(value, size))``: this op's
    PyTorch wording of the same fault."""
    try:
        yield
    except (IndexError, RuntimeError) as e:
        if not hasattr(e, "bounds"):
            raise
        value, _, size = e.bounds
        raise error(message(value, size)) from None


__all__ = [
    "scatter",
    "scatter_add",
    "index_select",
    "index_add",
    "index_copy",
    "index_fill",
    "index_put",
    "masked_fill",
    "masked_select",
    "masked_scatter",
    "take",
    "take_along_dim",
]
METHODS = "__getitem__ __setitem__ " + " ".join(__all__)
INPLACE = "scatter scatter_add index_add index_copy index_fill index_put masked_fill masked_scatter"

# -- turning an index expression into views plus advanced indices -------------------------------
def _as_tuple(index) -> tuple:
    """PyTorch's rule: a short non-tuple sequence holding a slice, None, ``...``, a tensor or a
    sequence is read as a tuple (deprecated there, with this warning); any other is one index."""
    if isinstance(index, tuple):
        return index
    if isinstance(index, Tensor) or _is_array(index) or not is_sequence(index) or len(index) >= 32:
        return (index,)  # PyTorch reads an ndarray as one index, never as a tuple
    if any(isinstance(i, (Tensor, slice)) or i is None or i is Ellipsis or is_sequence(i) for i in index):
        _warnings.warn(
            "Using a non-tuple sequence for multidimensional indexing is deprecated and will be "
            "changed in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will "
            "be interpreted as tensor index, x[torch.tensor(seq)], which will result either in an "
            "error or a different result",
            UserWarning,
        )
        return tuple(index)
    return (index,)


def _classify(item, device, scalars_select: bool):
    """One index -> ("none" | "ellipsis" | "int" | "slice" | "bool" | "tensor", value)."""
    if item is None:
        return "none", None
    if item is Ellipsis:
        return "ellipsis", None
    if isinstance(item, slice):
        return "slice", item
    if _is_array(item) and not is_sequence(item) and item.dtype.kind in "iu":  # a NumPy integer scalar
        item = int(item)
    if isinstance(item, bool):
        return "bool", item
    if isinstance(item, Tensor):
        if item.dim() == 0 and item.dtype.kind == "i" and scalars_select:
            return "int", int(item.item())  # a 0-d integer tensor acts like an int, as in PyTorch
        return "tensor", item
    if is_sequence(item):  # list, tuple, range, deque, ndarray, ...: read as torch.tensor reads data
        t = _tensor(item)  # converted on the cpu: float64 data cannot go to webgpu as it is
        # PyTorch reads index data as a mask (bool, uint8) or as int64, truncating floats
        return "tensor", (t if t.dtype in (dt.bool_, dt.uint8) else t.to(dt.int64)).to(device)
    if isinstance(item, float) or _is_array(item) or not hasattr(item, "__index__"):
        raise IndexError(
            "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
            f"valid indices (got {type_name(item)})"
        )
    return "int", operator.index(item)


def _consumed(kind, value) -> int:
    if kind in ("int", "slice"):
        return 1
    if kind == "tensor":
        return value.dim() if value.dtype in (dt.bool_, dt.uint8) else 1
    return 0


def _apply_basic(x, index, scalars_select=True):
    """Apply the basic part of ``index`` as views; returns (view, [(dim, index or mask), ...])."""
    items = [_classify(i, x.device, scalars_select) for i in _as_tuple(index)]
    used = sum(_consumed(k, v) for k, v in items)
    if used > x.dim():
        if x.dim() == 0 and items[0][0] == "int":
            raise IndexError(
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
            )
        raise IndexError(f"too many indices for tensor of dimension {x.dim()}")
    view, dim, real, adv, seen_ellipsis = x, 0, 0, [], False
    for kind, value in items:
        if kind == "none":
            view, dim = unsqueeze(view, dim), dim + 1
        elif kind == "ellipsis":
            skip = 0 if seen_ellipsis else x.dim() - used
            dim, real, seen_ellipsis = dim + skip, real + skip, True
        elif kind == "int":
            size = view.shape[dim]
            if not -size <= value < size:
                check_long_long(value)  # (past int64: torch's parser's overflow, where it reads the index)
                raise IndexError(f"index {value} is out of bounds for dimension {real} with size {size}")
            view, real = select(view, dim, value), real + 1
        elif kind == "slice":
            # torch's indexing of several dims skips a slice that takes a whole dim (its applySlice; a bare
            # x[:] is sliced)
            if isinstance(index, slice) or not _takes_all(value, view.shape[dim]):
                view = _slice(view, dim, value)
            dim, real = dim + 1, real + 1
        elif kind == "bool":  # a new dim of size 1, kept or dropped whole
            view = unsqueeze(view, dim)
            adv.append((dim, _tensor([0] if value else [], dtype=dt.int64, device=x.device)))
            dim += 1
        else:
            if value.dtype not in (dt.int64, dt.int32, dt.bool_, dt.uint8):
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            if value.dtype in (dt.bool_, dt.uint8) and value.dim() == 0:
                view = unsqueeze(view, dim)
                adv.append((dim, _tensor([0] if value.item() else [], dtype=dt.int64, device=x.device)))
                dim += 1
                continue
            adv.append((dim, value))
            n = _consumed(kind, value)
            dim, real = dim + n, real + n
    return view, adv


def _takes_all(sl, size) -> bool:
    """Whether slice ``sl`` takes a whole dim of ``size`` as given (torch's test, before it wraps bounds:
    start 0, step 1, stop past the end; x[-2:] of two is sliced)."""
    whole = sl.stop is None or _slice_index(sl.stop) >= size
    return sl.start in (None, 0) and sl.step in (None, 1) and whole


# c10::SymInt's least int: torch truncates a slice's start, stop or step below it, warning
_SLICE_MIN = -(1 << 62)


def _slice_index(v):
    """A slice's bound as torch reads it: clamped to a Py_ssize_t (as Python's slices), then to _SLICE_MIN."""
    if v is None:
        return None
    v = operator.index(v)
    if v < _SLICE_MIN:
        _warnings.warn("Truncating the start/stop/step of slice. This is likely because of saved old models "
                       "when the start/stop/step were larger.")
        return _SLICE_MIN
    return min(v, LONG_LONG_MAX)


def _slice(view, dim, sl):
    start, stop, step = (_slice_index(v) for v in (sl.start, sl.stop, sl.step))
    if step == 0:
        raise ValueError("slice step cannot be zero")
    return slice_dim(view, dim, start, stop, 1 if step is None else step)


def _packed(view, adv):
    """Masks become their coordinates; all index tensors broadcast and stack to (k, *shape)."""
    dims, tensors = [], []
    for dim, t in adv:
        if t.dtype in (dt.bool_, dt.uint8):
            if t.dtype is dt.uint8:
                _warnings.warn("indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                               "torch.bool instead.")
            _check_mask_shape(view, dim, t)
            if t._batched:  # each sample's mask would pick its own number of elements
                raise RuntimeError(IN_TRANSFORM["mask"])
            coords = prim.coordinates(t)
            dims += range(dim, dim + t.dim())
            tensors += [coords.select(1, j) for j in range(t.dim())]
        else:
            dims.append(dim)
            tensors.append(t)
    if len(tensors) == 1 and tensors[0].dtype is dt.int64 and not tensors[0]._batched \
            and tensors[0].device == view.device:
        # one int64 index on x's device (x[idx], the commonest): read where it is, not copied into a new
        # stack (25 us); a cpu index of a webgpu x is copied there, below
        return tensors[0].unsqueeze(0), tuple(dims)
    try:
        shape = broadcast_shapes(*(t.shape for t in tensors))
    except RuntimeError:
        raise IndexError(
            "shape mismatch: indexing tensors could not be broadcast together with shapes "
            + ", ".join(str(list(t.shape)) for t in tensors)
        ) from None
    packed = zeros((len(tensors),) + shape, dtype=dt.int64, device=view.device)
    for j, t in enumerate(tensors):
        packed[j].copy_(t)
    return packed, tuple(dims)


def _strip_leading_ones(value):
    """PyTorch drops every leading size-1 dim of a value before it broadcasts it to the target (so its
    shape-mismatch error names the value's shape without them)."""
    while value.dim() and value.shape[0] == 1:
        value = value.reshape(value.shape[1:])
    return value


def __getitem__(self, index):
    """``x[index]`` with every index PyTorch accepts; basic indexing returns a view."""
    view, adv = _apply_basic(self, index)
    if not adv:  # x[...] or x[:, :] is a new view, torch's alias
        return alias_view(self) if view is self else view
    packed, dims = _packed(view, adv)
    out = prim.index(view, packed, dims, _index_strides(view, packed, dims) if view._odd else None)
    if out._requires_grad:  # torch's node keeps the index tensors as given (a mask, not its coordinates)
        also_saves(out, ("indices", _as_torch_indices(adv)))
    return out


def _index_strides(view, packed, dims):
    """The strides torch's index kernel gives ``view[...]`` (None: row-major): a TensorIterator over ``view``
    restrided to the result's shape (stride 0 at the index dims, which replace the indexed ones, or go first
    where those are apart) and the index tensors there (a channels-last ``x[..., idx]`` is no row-major
    result, and its ``.view(-1)`` raises, as torch's)."""
    index_shape = tuple(packed.shape[1:])
    shape = prim.indexed_shape(view.shape, dims, index_shape)
    rest = [st for d, st in enumerate(view._strides) if d not in dims]
    before = dims[0] if list(dims) == list(range(dims[0], dims[0] + len(dims))) else 0
    after = len(shape) - before - len(index_shape)
    self_strides = (*rest[:before], *[0] * len(index_shape), *rest[before:])
    index_strides = (*[0] * before, *contiguous_strides(index_shape), *[0] * after)
    strides = result_strides(shape, [(shape, self_strides), (shape, index_strides)])
    return None if not strides or tuple(strides) == contiguous_strides(shape) else tuple(strides)


def _as_torch_indices(adv) -> list:
    """The index tensors as torch's index node keeps them: one entry per dim of the basic-indexed view up
    to the last one indexed, None where a dim is not indexed, a mask once for the dims it spans."""
    out, at = [], 0
    for dim, t in adv:
        out += [None] * (dim - at)
        out.append(t)
        at = dim + (t.dim() if t.dtype in (dt.bool_, dt.uint8) else 1)
    return out


def _setitem_number(value, self):
    """``x[i] = number`` as a 0-d tensor of x's dtype. torch reads the value as a Python int (a NumPy
    integer too), float or complex (NumPy's float64 and complex128 are those) and refuses anything else (a
    list, an array, None, a NumPy bool or float32) with its TypeError; an int as a C long long, whatever the
    dtype: one outside int64 raises its ValueError. The number is checked against the dtype as torch does,
    except for float16 and bfloat16, where torch rounds a real one (1e5 is inf) and checks a complex one's
    imaginary part as a double's."""
    if isinstance(value, bool) or isinstance(value, int) or _is_array(value) and value.dtype.kind in "iu":
        value = value if isinstance(value, bool) else operator.index(value)
        check_long_long(value)
    elif isinstance(value, (float, complex)):
        value = complex(value) if isinstance(value, complex) else float(value)
    else:
        raise TypeError(f"can't assign a {type_name(value)} to a {self.type()}")
    if self.dtype in dt.HALVES and isinstance(value, complex) and value.imag:
        raise RuntimeError("value cannot be converted to type double without overflow")
    if self.dtype is not dt.float16:
        value = check_fits(value, self.dtype)  # (a complex one's real part for a real dtype)
    elif isinstance(value, complex):
        value = value.real
    return scalar_tensor(value, self.dtype, self.device)


def __setitem__(self, index, value) -> None:
    """``x[index] = value``: a view's copy_/fill_ for basic indices, else an index_put."""
    view, adv = _apply_basic(self, index)
    if not adv:
        if view is self:  # x[...] = v: write through an alias, as PyTorch, so the history is kept
            view = self.view(self.shape)
        if isinstance(value, Tensor):
            # as torch's copy_to: a value of the target's shape is copied as it is (so the target's own
            # memory, x[0:1] = x[0:1] or i[0] -= 1, is a full overlap); another 0-d cpu value fills it, read
            # as a number (so x[0:1] = x[0] is no overlap); any other broadcast without its ones
            if value.shape == view.shape:
                view.copy_(value)
            elif not value.dim() and value.device.type == "cpu":
                view.fill_(value)
            else:
                view.copy_(_strip_leading_ones(value).expand(view.shape))
        else:
            view._check_no_overlap()  # torch writes a number through copy_, which checks (fill_ does not)
            view.fill_(_setitem_number(value, self))
        return
    filled = _mask_fill(adv, value)
    if not isinstance(value, Tensor):
        value = _setitem_number(value, self)
        view._check_autograd_first()  # (index_put_'s or masked_fill_'s, before their kernels' checks)
    elif filled:  # read as one number of x's dtype, on x's device, as torch's masked fill (x[x > 0] = x[0] is
        # no overlap; a cpu value fills a GPU tensor)
        view._check_autograd_first()
        value = value.to(self.device, self.dtype)
    else:
        view._check_autograd_first()
        _same_dtype(self, value)
    _refuse_byte_mask_fill(view, adv, value)
    packed, dims = _packed(view, adv)
    # torch's index_put_: assert_no_overlap (with the value, where it is not a masked fill's number)
    view._check_no_partial_overlap((packed,) if filled else (value, packed), full=True)
    view._warn_expanded("index_put_", "tensor[indices] = tensor")
    view._assign(prim.index_put(view, packed, _strip_leading_ones(value), dims, False, laid=False),
                 overlap_ok=True, vmap_name="index_put_")  # torch's index_put_ may write an expanded tensor


def _check_mask_shape(view, dim, mask):
    for j, n in enumerate(mask.shape):
        if n != view.shape[dim + j]:
            raise IndexError(
                f"The shape of the mask {list(mask.shape)} at index {j} does not match the "
                f"shape of the indexed tensor {list(view.shape)} at index {dim + j}"
            )


def _mask_fill(adv, value) -> bool:
    """Whether torch's setitem puts ``value`` through the one mask of ``adv`` as a fill: one element (a
    number, or a tensor of any shape and dtype) under one bool or uint8 mask."""
    return (len(adv) == 1 and adv[0][1].dtype in (dt.bool_, dt.uint8)
            and (not isinstance(value, Tensor) or value.numel() == 1))


def _refuse_byte_mask_fill(view, adv, value):
    """torch puts one value through one mask with masked_fill_, which refuses a uint8 mask (where a
    value per selected element goes the index_put way and takes it, with a deprecation warning);
    a mask of the wrong shape is refused first, for its shape."""
    if _mask_fill(adv, value) and adv[0][1].dtype is dt.uint8:
        _check_mask_shape(view, *adv[0])
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype unsigned char")


def _same_dtype(x, values):
    if values.dtype is not x.dtype:
        raise RuntimeError(
            f"Index put requires the source and destination dtypes match, got {scalar_name(x.dtype)} "
            f"for the destination and {scalar_name(values.dtype)} for the source."
        )


# -- the named ops ------------------------------------------------------------------------------
def index_put(input, indices, values, accumulate=False):
    """``input`` with ``values`` put (or, with ``accumulate``, added) at ``input[indices]``."""
    if not isinstance(values, Tensor):
        raise TypeError(
            f"index_put(): argument 'values' (position 3) must be Tensor, not {type(values).__name__}"
        )
    for j, t in enumerate(indices):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {j} in argument 1, but got {type(t).__name__}")
    if not indices:
        raise RuntimeError("index_put(): expected at least one index tensor")
    _same_dtype(input, values)
    # the named op's kernel (a setitem takes other routes in torch, not all of them this one: left to them)
    shell.refuse("index_put(named)", (input, values))
    used = sum(_consumed("tensor", t) for t in indices)
    if used > input.dim():
        raise IndexError(f"too many indices for tensor of dimension {input.dim()} (got {used})")
    view, adv = _apply_basic(input, tuple(indices), scalars_select=False)
    if not accumulate:
        _refuse_byte_mask_fill(view, adv, values)
    packed, dims = _packed(view, adv)
    return prim.index_put(input, packed, values, dims, accumulate, shown=list(indices))


def _along(index, d, shape):
    """A vector ``index`` laid along dim ``d`` and broadcast to ``shape`` (for gather/scatter)."""
    if len(shape) == 1 and index._shape == shape:  # a vector along a vector: itself (two views were ~10 us)
        return index
    view_shape = [1] * len(shape)
    if shape:
        view_shape[d] = -1
    return index.reshape(view_shape).expand(shape)


def _vector(index):
    return index.reshape(1) if index.dim() == 0 else index


def _value_node(op):
    """The fills' node by overload: a number (Scalar, 0) or a 0-d tensor (Tensor, 1)."""
    def node(input, a, b, value=None):
        return f"{op}Backward{int(isinstance(b if value is None else value, Tensor))}"
    return node


def _scatter_node(input, dim, index, src=None, value=None, *, reduce=None):
    """scatter's node by overload (src or value); a reduce is not differentiable (NotImplemented)."""
    return None if reduce else "ScatterBackward0" if isinstance(src, Tensor) else "ScatterBackward1"


@composite(samples=samples.index_select, grad_fn="IndexSelectBackward0", saves="dim index")
def index_select(input, dim, index):
    """The slices ``index`` of ``input`` along ``dim``, as ``torch.index_select``."""
    if index.dim() > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if index.dtype not in (dt.int64, dt.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    d = normalize_dim(dim, input.dim())
    if input.dim() and not input.shape[d] and index.numel():
        raise RuntimeError("index_select(): self indexing axis dim should be positive")
    if not input.dim() and index.numel() != 1:
        raise RuntimeError(
            f"index_select(): Index to scalar can have only 1 value, got {index.numel()} value(s)"
        )
    index = _vector(index).to(dt.int64)
    if input.dim() == 1 and input.dtype in dt.HALVES and input.requires_grad:
        return rows_added_in_turn(input, index)
    shape = list(input.shape)
    if shape:
        shape[d] = index.shape[0]
    # PyTorch's CPU kernel has its own loop for dim 0, with its own wording and type
    if d == 0:
        fault = reworded(IndexError, out_of_range_in_self)
    else:
        fault = reworded(RuntimeError,
                         lambda v, n: f"INDICES element is out of DATA bounds, id={v} axis_dim={n}")
    with fault:
        return prim.gather_op(input, _along(index, d, tuple(shape)), d)


def rows_added_in_turn(input, index):
    """``input``'s rows (along dim 0) at ``index``, an int64 vector, whose gradient adds the rows into a
    16-bit gradient one at a time, each sum rounded (index_put's accumulation), as torch's backward kernels
    of a vector's index_select and of embedding do (a gather's scatter_add would sum in float32 and round
    once). Raises IndexError for an index out of range, negative ones included."""
    _check_in_self(index, input.shape[0])
    return prim.index(input, index.reshape(1, -1), (0,))


@composite(samples=samples.index_add, grad_fn="IndexAddBackward0",
           saves="dim index/source source/source alpha")
def index_add(input, dim, index, source, *, alpha=1):
    """``input`` with ``alpha * source`` added at the slices ``index`` along ``dim``."""
    if index.dtype not in (dt.int64, dt.int32):
        raise RuntimeError(
            f"index_add_(): Expected dtype int32/int64 for index but got: {scalar_name(index.dtype)}"
        )
    if source.dtype is not input.dtype:
        raise RuntimeError(
            f"index_add_(): self ({scalar_name(input.dtype)}) and source ({scalar_name(source.dtype)}) "
            "must have the same scalar type"
        )
    if index.dim() > 1:
        raise IndexError(
            f"index_add_(): Index is supposed to be a vector, but got dim: {index.dim()} with type: "
            f"{scalar_name(index.dtype)} and size: {list(index.shape)}"
        )
    d = normalize_dim(dim, input.dim())
    index = _vector(index).to(dt.int64)
    if d and d >= source.dim():  # (torch's check passes dim 0 whatever source's dims)
        raise RuntimeError(
            f"index_add_(): Indexing dim {d} is out of bounds of the source tensor with dim {source.dim()}"
        )
    if not source.dim() and index.shape[0] != 1:  # torch's message reads source.size(0) of a 0-d source
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if source.dim() and index.shape[0] != source.shape[d]:
        raise RuntimeError(
            f"index_add_(): Number of indices ({index.shape[0]}) should be equal to "
            f"source.size(dim): ({source.shape[d]}), for dim: {d}"
        )
    check_slices(input, d, source)
    if input.dtype in dt.HALVES and (input.dim() == 1 or alpha != 1):
        return add_in_turn(input, d, index, source, alpha)
    if alpha != 1:
        if input.dtype.kind in "iu" and isinstance(alpha, float):  # torch's alpha.to<int>(): truncated
            alpha = int(check_fits(alpha, input.dtype))
        source = source * alpha
    if input.dim() > 1:
        return prim.scatter_op(input, _along(index, d, source.shape), source, d, "sum", True)
    # torch's kernel for a vector (or 0-d) self checks each index in its own words
    with reworded(IndexError, out_of_range_in_self):
        return prim.scatter_op(input, _along(index, d, source.shape), source, d, "sum", True)


def add_in_turn(input, d, index, source, alpha=1):
    """A 16-bit index_add as torch's loops add into self one term at a time, each sum rounded to the
    dtype, where a repeated index shows it (a matrix's kernel with alpha 1 is a scatter_add, which sums
    in float32 and rounds once). A vector's loop is ``self[i] += source[j] * alpha``, alpha converted to
    the dtype and the product rounded first; a matrix's adds each slice with add_'s alpha."""
    _check_in_self(index, input.shape[d])
    if input.dim() == 1:
        if alpha != 1:
            source = _scaled_as_torch(source, alpha)
        return prim.index_put(input, index.reshape(1, -1), source, (0,), True)
    if not index.numel():
        return input.clone()  # (a new tensor, as the rounds' index_copy makes)
    from ..ordered_adds import rank_among_equals
    rank, out = rank_among_equals(index), input
    for r in range(int(rank.max().item()) + 1):  # each round: no index twice
        terms = (rank == r).nonzero().reshape(-1)
        at = index[terms]
        out = out.index_copy(d, at, out.index_select(d, at).add(source.index_select(d, terms), alpha=alpha))
    return out


def _scaled_as_torch(source, alpha):
    """``source * alpha`` as torch's vector loop computes it, in the 16-bit dtype (alpha rounded to it
    first), its gradient ``grad * alpha`` as torch's formula (maybe_multiply) has it."""
    rounded = source.detach() * scalar_tensor(check_fits(alpha, source.dtype), source.dtype, source.device)
    if not source.requires_grad:
        return rounded
    exact = source * alpha
    return rounded + (exact - exact.detach())  # (its values: rounded's, plus zeros)


def _check_in_self(index, size):
    """torch's loops' check of each index (TORCH_CHECK_INDEX), negative ones refused, where pyfront's
    indexing primitives would read a negative index from the end."""
    if index.numel() and bool(((index < 0) | (index >= size)).any()):
        raise IndexError(out_of_range_in_self(None, size))


def out_of_range_in_self(value, size) -> str:
    """The words of torch's index kernels that check each index as they go (TORCH_CHECK_INDEX)."""
    return "index out of range in self"


def check_slices(input, d, source):
    want = [n for k, n in enumerate(input.shape) if k != d]
    got = [n for k, n in enumerate(source.shape) if k != d]
    if input.dim() != source.dim() or want != got:
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified dimension. "
            f"Got self.shape = {list(input.shape)} source.shape = {list(source.shape)}"
        )


@composite(samples=samples.index_copy, grad_fn="IndexCopyBackward0", saves="dim index source/source")
def index_copy(input, dim, index, source):
    """``input`` with its slices ``index`` along ``dim`` replaced by ``source``'s."""
    # torch's order: the dim, the index's rank, a scalar source's count, the index's dtype, the dtypes, the
    # slices' shapes, then the count of indices
    d = normalize_dim(dim, input.dim())
    if index.dim() > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {index.dim()})")
    if not source.dim() and index.numel() != 1:
        raise IndexError(f"index_copy_(): When source is scalar, index should have one element (got "
                         f"{index.numel()})")
    if index.dtype is not dt.int64:
        raise RuntimeError("index_copy_(): Expected a long tensor for index, but got "
                           f"{scalar_name(index.dtype)}")
    if source.dtype is not input.dtype:
        raise RuntimeError(
            f"index_copy_(): self and source expected to have the same dtype, but got (self) "
            f"{scalar_name(input.dtype)} and (source) {scalar_name(source.dtype)}"
        )
    index = _vector(index)
    if input.dim() and [n for k, n in enumerate(input.shape) if k != d] != \
            [n for k, n in enumerate(source.shape) if k != d]:
        def spelled(t):  # a C++ vector as PyTorch prints it here: "3 2"
            return " ".join(str(n) for k, n in enumerate(t.shape) if k != d)

        raise RuntimeError(
            "index_copy_(): Source/destination tensor must have same slice shapes. Destination slice shape: "
            f"{spelled(input)} at dimension {d} and source slice shape: {spelled(source)} at dimension 0."
        )
    n = source.shape[d] if source.dim() else 1
    if index.shape[0] != n:
        raise IndexError(
            f"index_copy_(): Number of indices ({index.shape[0]}) should be equal to source.size(dim) ({n})"
        )
    with reworded(IndexError, lambda v, n: f"index_copy_(): index {v} is out of bounds for dimension {d} "
                                            f"with size {n}"):
        return prim.scatter_op(input, _along(index, d, source.shape), source, d, "none", True)


@composite(samples=samples.index_fill, grad_fn=_value_node("IndexFill"), saves="dim index")
def index_fill(input, dim, index, value):
    """``input`` with its slices ``index`` along ``dim`` set to ``value``."""
    if index.dtype is not dt.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError(
            f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value.dim()} dimension(s)."
        )
    if index.dim() > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    d = normalize_dim(dim, input.dim())
    value = (
        value.to(input.dtype)
        if isinstance(value, Tensor)
        else scalar_tensor(check_fits(value, input.dtype), input.dtype, input.device)
    )
    x = input.reshape(1) if input.dim() == 0 else input
    with reworded(IndexError, lambda v, n: f"index {v} is out of bounds for dimension {d} with size {n}"):
        out = prim.index_put(x, _vector(index).reshape(1, -1), value, (d,), False)
    return out.reshape(input.shape)


def _mask_check(name, mask):
    if mask.dtype is not dt.bool_:
        raise RuntimeError(
            f"{name} only supports boolean masks, but got mask with dtype {dt.cpp_name(mask.dtype)}"
        )


def masked_fill_arguments(self, args, kwargs):
    """torch's masked_fill_'s checks, in its order: a value tensor's rank, then the mask's dtype, then (in
    place: ``self`` given) the mask's shape against self's."""
    bound = {**dict(zip(("mask", "value"), args)), **kwargs}
    mask, value = bound.get("mask"), bound.get("value")
    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value.dim()} dimension(s).")
    if isinstance(mask, Tensor):
        _mask_check("masked_fill_", mask)
        if self is not None:
            broadcast_shapes(self.shape, mask.shape)


@composite(samples=samples.masked_fill, grad_fn=_value_node("MaskedFill"))
@lays_out(lambda input, mask, *args: contiguous_result(input) or contiguous_result(mask))  # (torch's clone)
def masked_fill(input, mask, value):
    """``input`` with ``value`` where ``mask`` holds (both broadcast), as ``torch.masked_fill``."""
    if not on_meta(input, mask):  # (the meta device's kernel broadcasts later, in its own words)
        broadcast_shapes(mask.shape, input.shape)  # (torch's expand_outplace, before masked_fill_'s checks)
    masked_fill_arguments(None, (mask, value), {})
    if isinstance(value, Tensor):
        value = value.to(input.dtype)
    else:
        value = scalar_tensor(check_fits(value, input.dtype), input.dtype, input.device)
    return where(mask, value, input)


def _broadcasts_into(t, into) -> bool:
    """Whether ``t`` broadcasts to ``into``'s shape (False where the two do not broadcast: the op's own check
    then raises torch's error)."""
    try:
        return tuple(broadcast_shapes(into.shape, t.shape)) == tuple(into.shape)
    except RuntimeError:
        return False


def _flat_coords(mask, ndim):
    """(k, n) int64 coordinates of ``mask``'s true elements, for index/index_put on all dims."""
    return prim.coordinates(mask).permute(1, 0) if ndim else None


@composite(samples=samples.masked_select, grad_fn="MaskedSelectBackward0", saves="self=input mask")
@grads_laid_as_inputs(when=lambda input, mask: _broadcasts_into(mask, input))
def masked_select(input, mask):
    """The elements of ``input`` where ``mask`` holds (both broadcast), as a 1-D tensor."""
    refuse_on_meta("aten::masked_select", input, mask)
    if mask.dtype is not dt.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = broadcast_shapes(mask.shape, input.shape) or (1,)
    saved_as_torch(mask, by=(input,))  # torch's kernel saves the mask for input's gradient
    x, m = input.expand(shape), mask.expand(shape)
    return prim.index(x, _flat_coords(m, len(shape)), tuple(range(len(shape))))


def check_source_dtype(input, source):
    """masked_scatter's refusal of a source of another dtype than input's."""
    if source.dtype is not input.dtype:
        raise RuntimeError(
            f"masked_scatter: expected self and source to have same dtypes but got"
            f"{scalar_name(input.dtype)} and {scalar_name(source.dtype)}"
        )


@composite(samples=samples.masked_scatter, grad_fn="MaskedScatterBackward0", saves="mask")
def masked_scatter(input, mask, source):
    """``input`` with ``source``'s leading elements, in order, where ``mask`` holds."""
    saved_as_torch(mask, by=(input, source))  # torch's kernel saves the mask for both, before its checks
    # torch's order: mask and input broadcast (its expand_outplace), then its masked_scatter_'s dtype checks
    out_shape = broadcast_shapes(mask.shape, input.shape)
    check_source_dtype(input, source)
    if mask.dtype is not dt.bool_:
        raise RuntimeError(
            f"masked_scatter_ only supports boolean masks, but got mask with dtype {scalar_name(mask.dtype)}"
        )
    shape = out_shape or (1,)
    x, m = input.expand(shape), mask.expand(shape)
    coords = _flat_coords(m, len(shape))
    n = coords.shape[1]
    if source.numel() < n:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    values = source.reshape(-1).narrow(0, 0, n)
    # contiguous, as torch's masked_scatter (a contiguous clone of input, then masked_scatter_)
    return prim.index_put(x, coords, values, tuple(range(len(shape))), False, laid=False).reshape(out_shape)


@composite(samples=samples.take, grad_fn="TakeBackward0", saves="self=input index")
@grads_laid_as_inputs()
def take(input, index):
    """``input`` read as 1-D at ``index`` (negative counts from the end), as ``torch.take``."""
    if index.dtype is not dt.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {scalar_name(index.dtype)}")
    if not input.numel() and index.numel():
        raise IndexError("take(): tried to take from an empty tensor")
    message = "out of range: tried to access index {} on a tensor of {} elements."
    with reworded(IndexError, message.format):
        return prim.index(input.reshape(-1), index.reshape((1,) + tuple(index.shape)), (0,))


@composite(samples=samples.take_along_dim)
def take_along_dim(input, indices, dim=None):
    """``gather`` with ``input`` and ``indices`` broadcast against each other (flattened if dim is None)."""
    if dim is None:  # torch's gather of the flattened input: its index check (int32 too), a view, no copy
        return prim.gather(input.view(-1), 0, indices.view(-1))
    if indices.dtype is not dt.int64:
        raise RuntimeError(
            f"torch.take_along_dim(): dtype of indices should be Long but got {scalar_name(indices.dtype)}"
        )
    if input.dim() != indices.dim():  # (before the dim, as torch)
        raise RuntimeError(
            f"torch.take_along_dim(): input and indices should have the same number of dimensions, "
            f"but got {input.dim()} dimensions for input, and {indices.dim()} dimensions for indices"
        )
    if input.dim() == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = normalize_dim(dim, input.dim())
    sizes = list(input.shape)
    sizes[d] = indices.shape[d]
    shape = broadcast_shapes(tuple(sizes), indices.shape)
    in_shape = list(shape)
    in_shape[d] = input.shape[d]
    # torch's gather here reads a copy of the indices (its node keeps that: a later write to them is harmless)
    return prim.gather_op(input.expand(in_shape), indices.expand(shape).clone(), d, keeps_input=dim)


_SCATTER_REDUCE = {None: "none", "add": "sum", "multiply": "prod"}


@composite(samples=samples.scatter, grad_fn=_scatter_node,
           saves="dim@ScatterBackward0 index@ScatterBackward0")
def scatter(input, dim, index, src=None, value=None, *, reduce=None):
    """``input`` with ``src`` (or the number ``value``) written at ``index`` along ``dim``."""
    if src is None and value is None:
        # torch has no signature without one: Python's words, reworded by the wrapper as torch's parser's
        raise TypeError("scatter() missing 1 required positional argument: 'src'")
    if reduce not in _SCATTER_REDUCE:
        raise RuntimeError("reduce argument must be either add or multiply.")
    if not isinstance(src, Tensor):
        value = src if src is not None else value
        src = scalar_tensor(check_fits(value, input.dtype), input.dtype, input.device).expand(index.shape)
    if reduce is None:
        return prim.scatter_along(input, dim, index, src, _SCATTER_REDUCE[reduce])
    if isinstance(src, Tensor) and value is None:
        _warnings.warn_once("The reduce argument of torch.scatter with Tensor src is deprecated and will be "
                            "removed in a future PyTorch release. Use torch.scatter_reduce instead for more "
                            "reduction options.")
    out = prim.scatter_along(input.detach(), dim, index, src.detach(), _SCATTER_REDUCE[reduce])
    return no_derivative(out, "derivative for aten::scatter is not implemented", input, src)


@composite(samples=samples.scatter_add, grad_fn="ScatterAddBackward0", saves="dim index/src")
def scatter_add(input, dim, index, src):
    """``input`` with ``src`` added at ``index`` along ``dim`` (duplicates accumulate)."""
    if not isinstance(src, Tensor):
        raise TypeError(
            f"scatter_add(): argument 'src' (position 4) must be Tensor, not {type(src).__name__}"
        )
    return prim.scatter_along(input, dim, index, src, "sum")
