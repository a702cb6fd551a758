"""A sparse COO operand wherever a tensor is taken: torch's result, or torch's error.

PyTorch runs an op on a sparse tensor where it has a sparse kernel (add and sub with a dense or a
sparse operand, mul, division by a number, the unary functions that keep zero at zero, sums,
products, transposes, casts) and raises NotImplementedError ("Could not run 'aten::exp' with
arguments from the 'SparseCPU' backend ...") everywhere else. Here one table, ``FUNCTIONS``, holds
what pyfront runs, by torch's name, and every way a sparse operand arrives looks it up:

* through ops/sparse_seam.py, from the dense code's branches no dense call takes (no cost on the
  dense path): ``torch.f(sparse, ...)``, ``torch.f(dense, sparse)`` and ``dense.f(sparse)`` (argcheck's
  check of ``input`` and ``other``), operators with a dense left operand (``dense - sparse``,
  ``dense == sparse``: the operators' fallback for an unusual operand), ``dense.copy_(sparse)`` and
  ``torch.cat``/``torch.stack`` of a list holding one;
* ``sparse.f(...)`` and operators with the sparse tensor on the left: SparseCooTensor's methods;
* the products whose sparse operand is no ``input``/``other`` (``torch.addmm(d, sparse, d)``,
  ``torch.mm(d, sparse)``, ``dense.mm(sparse)``): thin wrappers of those few functions, none on a
  path nn's layers take (``F.linear(x, sparse_weight)`` is not one: nn.Linear calls it).

A name not in the table raises torch's NotImplementedError (its first sentences: the list of
backends that follows in torch's names its build). The values are computed by dense pyfront ops
on the stored values, so gradients reach them and every device runs them.
"""
from __future__ import annotations

import functools
import operator
from numbers import Number

from . import dtypes as dt
from .ops.creation import arange, tensor as _tensor, zeros
from .shape import normalize_dim
from .sparse import SparseCooTensor, _compressed_layout, _dense_sparse_mm, _same_size, _sparse_mm
from .sparse import sum as _sparse_sum
from .tensor import Tensor, _castable

FUNCTIONS: dict = {}


def _register(*names):
    def deco(fn):
        for name in names:
            FUNCTIONS[name] = fn
        return fn
    return deco


def _like(s, values, coalesced=None) -> SparseCooTensor:
    """``s``'s positions holding ``values``."""
    return SparseCooTensor(s._ind, values, s._size, s._coalesced if coalesced is None else coalesced)


# -- refusals --------------------------------------------------------------------------------------
# torch's overload of an op whose kernel a sparse operand does not have, as its error names it
_BY_OTHER = {"eq", "ne", "lt", "le", "gt", "ge"}  # .Scalar or .Tensor by the other operand
_TENSOR_OVERLOAD = {"remainder", "fmod", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift",
                    "bitwise_right_shift", "atan2", "where", "xlogy"}
_OVERLOAD = {"mean": ".dim", "fill_": ".Scalar", "index": ".Tensor", "where": ".self"}
_ATEN = {"softmax": "_softmax", "log_softmax": "_log_softmax", "ones_like": "fill_", "full_like": "fill_",
         "narrow": "as_strided"}


def refusal(name: str, args=(), dense=False) -> NotImplementedError:
    """torch's error for an op with no sparse kernel (``args``: the call's, which pick the overload and
    the device), or with ``dense`` for a sparse-only op given a dense tensor."""
    name = _ATEN.get(name, name)
    base = name.rstrip("_")
    other = args[1] if len(args) > 1 else None
    if base in _BY_OTHER:
        name += ".Tensor" if isinstance(other, (Tensor, SparseCooTensor)) else ".Scalar"
    elif base in _TENSOR_OVERLOAD:
        name += ".Tensor" if base != "where" else ".self"
    elif base == "pow":
        name += (".Scalar" if isinstance(args[0], Number) else
                 ".Tensor_Tensor" if isinstance(other, (Tensor, SparseCooTensor)) else ".Tensor_Scalar")
    else:
        name += _OVERLOAD.get(name, "")
    device = next((a.device for a in args if isinstance(a, (Tensor, SparseCooTensor))), None)
    backend = ("" if dense else "Sparse") + ("CPU" if device is None or device.type == "cpu" else "WebGPU")
    return NotImplementedError(
        f"Could not run 'aten::{name}' with arguments from the '{backend}' backend. This could be because "
        "the operator doesn't exist for this backend, or was omitted during the selective/custom build "
        "process (if using custom build). If you are a Facebook employee using PyTorch on mobile, please "
        "visit https://fburl.com/ptmfixes for possible resolutions.")


def call(name: str, args, kwargs):
    """``torch.<name>(*args, **kwargs)`` (or the method) where one of the tensors is sparse."""
    fn = FUNCTIONS.get(name)
    if fn is None:
        raise refusal(name[2:] if name.startswith("F.") else name, args)
    return fn(*args, **kwargs)


# -- add, sub, mul, div ----------------------------------------------------------------------------
@_register("add")
def add(input, other, *, alpha=1):
    """dense + sparse is dense, sparse + sparse sparse; torch refuses sparse + dense (and a number)."""
    if not isinstance(input, SparseCooTensor):
        _same_size(input, other)
        from .ops.primitives.elementwise import add as dense_add
        return dense_add(input, other.to_dense(), alpha=alpha)
    if not isinstance(other, SparseCooTensor):
        raise RuntimeError("add(sparse, dense) is not supported. Use add(dense, sparse) instead.")
    if input._size != other._size:
        raise RuntimeError(f"add: expected sizes of 'self' and 'other' to match, but {list(input._size)} != "
                           f"{list(other._size)}")
    dtype = dt.result_type(input._val, other._val)
    if not other._nnz():
        return SparseCooTensor(input._ind.clone(), input._val.to(dtype, copy=True), input._size,
                               input._coalesced)
    if not input._nnz():
        return _like(other, other._val.to(dtype) * alpha)
    if input.sparse_dim() != other.sparse_dim():
        raise RuntimeError(f"add: expected 'self' and 'other' to have same density, but 'self' has "
                           f"{input.sparse_dim()} sparse dimensions while 'other' has {other.sparse_dim()} "
                           "sparse dimensions")
    if dtype in (dt.float16, dt.bool_):  # torch's CPU kernel of sparse + sparse has no such type
        raise NotImplementedError(f'"cadd_sparse" not implemented for \'{dt.scalar_name(dtype)}\'')
    if not (input._val.is_contiguous() and other._val.is_contiguous()):
        return _append(input, other, alpha, dtype)
    return _merge(input, other, alpha, dtype)


def _append(t: SparseCooTensor, s: SparseCooTensor, alpha, dtype) -> SparseCooTensor:
    """``t + alpha * s`` as torch's CPU kernel makes it when a values tensor is not contiguous (an
    embedding's gradient of a ``sum()`` is expanded): both entry lists one after the other, coalesced only
    once they outnumber the elements; the flag then says coalesced only for fewer than two entries."""
    added = s._val.to(dtype) if alpha == 1 else s._val.to(dtype) * alpha
    out = SparseCooTensor(_cat_all([t._ind, s._ind], 1), _cat_all([t._val.to(dtype), added]), t._size, False)
    if out._nnz() > out.numel():
        out = out.coalesce()
    out._coalesced = out._nnz() < 2
    return out


def _merge(t: SparseCooTensor, s: SparseCooTensor, alpha, dtype) -> SparseCooTensor:
    """``t + alpha * s`` as torch's CPU kernel makes it: one walk along both entry lists as if each were
    sorted, taking the smaller position first and adding equal ones into one entry. Two coalesced
    tensors give a coalesced sum; otherwise the entries stay in that walk's order, uncoalesced."""
    tf, sf = t._flat(), s._flat()
    if tf.shape == sf.shape and bool((tf == sf).all()):  # s + s: every step a tie, entry k in slot k
        to = so = arange(tf.numel(), dtype=dt.int64, device=t.device)
        n = tf.numel()
    elif _sorted(tf) and _sorted(sf):
        to, so, n = _sorted_merge_slots(tf, sf)
    else:
        to, so, n = _merge_slots(tf.tolist(), sf.tolist(), t.device)
    indices = zeros(t.sparse_dim(), n, dtype=dt.int64, device=t.device)
    indices = indices.index_copy(1, so, s._ind).index_copy(1, to, t._ind)
    values = zeros(n, *t._val.shape[1:], dtype=dtype, device=t.device)
    values = values.index_add(0, to, t._val.to(dtype)).index_add(0, so, s._val.to(dtype), alpha=alpha)
    return SparseCooTensor(indices, values, t._size, t._coalesced and s._coalesced)


def _sorted(flat: Tensor) -> bool:
    return flat.numel() < 2 or bool((flat[1:] >= flat[:-1]).all())


def _sorted_merge_slots(tf: Tensor, sf: Tensor):
    """The merge walk's slots for two sorted position lists, without the walk: equal positions pair up
    in order (the k-th of a position in one list shares its slot with the k-th in the other), and the
    slots follow (position, k). Returns each side's slots and their count."""
    from .ops.primitives.shaping import cat

    def starts(*keys):  # where a run of equal keys begins, in a sorted list
        first = keys[0].new_ones(min(1, keys[0].numel()), dtype=dt.bool_)
        return cat([first, functools.reduce(operator.or_, [f[1:] != f[:-1] for f in keys])])

    keys = []
    for f in (tf, sf):  # k: how many equal positions come before each entry in its own list
        at = arange(f.numel(), device=f.device)
        keys.append(at - (at * starts(f)).cummax(0).values)
    pos, k = cat([tf, sf]), cat(keys)
    order = k.argsort(stable=True)
    order = order[pos[order].argsort(stable=True)]  # by position, then by k
    new = starts(pos[order], k[order])
    slots = zeros(pos.numel(), dtype=dt.int64, device=tf.device)
    slots = slots.index_copy(0, order, new.long().cumsum(0) - 1)
    return slots[:tf.numel()], slots[tf.numel():], int(new.sum())


def _merge_slots(tf: list, sf: list, device):
    """The merge walk's slots, walked: for lists that are not sorted (uncoalesced tensors)."""
    t_at, s_at, i, j = [], [], 0, 0  # each entry's slot in the result
    while i < len(tf) or j < len(sf):
        take_t = j >= len(sf) or i < len(tf) and tf[i] <= sf[j]
        take_s = i >= len(tf) or j < len(sf) and sf[j] <= tf[i]
        slot = _next_slot(t_at, s_at)
        if take_t:
            t_at.append(slot)
            i += 1
        if take_s:
            s_at.append(slot)
            j += 1
    return (_tensor(t_at, dtype=dt.int64, device=device), _tensor(s_at, dtype=dt.int64, device=device),
            _next_slot(t_at, s_at))


def _next_slot(t_at: list, s_at: list) -> int:
    """The result's next free entry, given the slots taken so far by each side."""
    return max(t_at[-1] if t_at else -1, s_at[-1] if s_at else -1) + 1


@_register("sub")
def sub(input, other, *, alpha=1):
    from .ops.primitives.elementwise import _refuse_bool_subtraction
    _refuse_bool_subtraction(*(x._val if isinstance(x, SparseCooTensor) else x for x in (input, other)))
    return add(input, other, alpha=-alpha)


@_register("rsub")
def rsub(input, other, *, alpha=1):
    """``other - alpha * input`` (``1 - sparse``): a number is a 0-d dense tensor, which add's size
    check refuses, as torch's."""
    if isinstance(other, Number):
        other = _tensor(other, device=input.device)
    return add(other, input, alpha=-alpha)


def _in_place(op):
    """``self.op_(other)``: a dense self takes the dense result; a sparse self takes the new entries."""
    def method(self, other, **kwargs):
        new = op(self, other, **kwargs)
        if isinstance(self, SparseCooTensor):
            self._ind, self._val, self._coalesced = new._ind, new._val, new._coalesced
            return self
        if isinstance(new, SparseCooTensor):
            new = new.to_dense()
        if not _castable(new.dtype, self.dtype):  # torch's sparse kernels word the cast check so
            raise RuntimeError(f"Can't convert result type {dt.scalar_name(new.dtype)} to output "
                               f"{dt.scalar_name(self.dtype)} in add operation")
        return self.copy_(new)
    method.__name__ = op.__name__ + "_"
    return method


def _dense_at(d: Tensor, s: SparseCooTensor) -> Tensor:
    """``d`` (broadcast to ``s``'s shape) at ``s``'s stored positions."""
    return d.expand(s._size)[tuple(s._ind)]


@_register("mul", "multiply")
def mul(input, other):
    """sparse * dense, dense * sparse and sparse * sparse are sparse (a product is zero where either is)."""
    if not isinstance(input, SparseCooTensor):
        input, other = other, input
    if isinstance(other, SparseCooTensor):
        return _mul_sparse(input, other)
    if isinstance(other, Tensor) and other.dim():
        return _like(input, input._val * _dense_at(other, input))
    return _like(input, input._val * other)


def _mul_sparse(a: SparseCooTensor, b: SparseCooTensor) -> SparseCooTensor:
    """As torch's intersection kernel: two coalesced tensors give the entries both have; otherwise every
    entry of the uncoalesced one (of both uncoalesced, the one with fewer entries, the second on a tie)
    is kept as stored, times the other's summed value at its position (zero where it has none)."""
    if a._size != b._size:
        raise RuntimeError("sparse_binary_op_intersection_cpu(): expects sparse inputs with equal "
                           "dimensionality, number of sparse dimensions, and shape of sparse dimensions")
    from .ops.composite.sets import searchsorted
    if not a._nnz() or not b._nnz():
        return SparseCooTensor(a._ind[:, :0], a._val[:0] * b._val[:0], a._size, True)
    if not (a._coalesced and b._coalesced):
        if a._coalesced != b._coalesced:
            keep, other = (b, a) if a._coalesced else (a, b)
        else:
            keep, other = (a, b) if a._nnz() < b._nnz() else (b, a)
        other = other.coalesce()
        fk, fo = keep._flat(), other._flat()
        dtype = dt.result_type(a._val, b._val)
        at = searchsorted(fo, fk).clamp(max=fo.numel() - 1)
        found = (fo[at] == fk).reshape(-1, *[1] * keep.dense_dim())
        picked = other._val[at].to(dtype).where(found, 0)
        return _like(keep, keep._val * picked if keep is a else picked * keep._val)
    fa, fb = a._flat(), b._flat()
    at = searchsorted(fb, fa).clamp(max=fb.numel() - 1)
    both = (fb[at] == fa).nonzero().reshape(-1)
    return SparseCooTensor(a._ind[:, both], a._val[both] * b._val[at[both]], a._size, True)


def _division(word: str, op: str, coalesce: bool):
    def divide(input, other, **kwargs):
        """A sparse tensor divided by a number or a 0-d tensor; torch refuses any other divisor. A division
        that is not linear (floor) works on the coalesced values."""
        if isinstance(other, SparseCooTensor) or (isinstance(other, Tensor) and other.dim()):
            raise RuntimeError(f"Sparse {word} requires a scalar or zero-dim dense tensor divisor (got shape "
                               f"{list(other.shape)} for divisor)")
        if coalesce:
            input = input.coalesce()
        return _like(input, getattr(input._val, op)(other, **kwargs))
    divide.__name__ = op
    return divide


div = _register("div", "divide", "true_divide")(_division("division", "div", False))
floor_divide = _register("floor_divide")(_division("floor division", "floor_divide", True))

for _name, _op in (("add", add), ("sub", sub), ("mul", mul), ("div", div), ("true_divide", div),
                   ("floor_divide", floor_divide)):
    FUNCTIONS[_name + "_"] = _in_place(_op)


@_register("neg", "negative")
def neg(input):
    return _like(input, -input._val)


@_register("neg_", "negative_")
def neg_(input):
    input._val = -input._val
    return input


@_register("pow")
def pow(input, exponent):
    if not isinstance(input, SparseCooTensor) or not isinstance(exponent, Number):
        raise refusal("pow", (input, exponent))
    if exponent == 0:
        raise RuntimeError("pow: cannot raise to zeroth power on sparse tensor; it would make the result "
                           "tensor dense")
    c = input.coalesce()
    return _like(c, c._val ** exponent, True)


# the unary functions torch's sparse kernels have: zero stays zero, so only the stored values change
# (after coalescing: f(a) + f(b) is not f(a + b))
_ZERO_PRESERVING = ("abs", "sqrt", "square", "sign", "sgn", "relu", "floor", "ceil", "round", "trunc", "frac",
                    "tanh", "sin", "tan", "asin", "atan", "sinh", "asinh", "atanh", "expm1", "log1p", "erf",
                    "erfinv", "deg2rad", "rad2deg", "isnan", "isinf", "isposinf", "isneginf", "signbit",
                    "nan_to_num")


def _unary(name):
    def fn(input, *args, **kwargs):
        c = input.coalesce()
        return _like(c, getattr(c._val, name)(*args, **kwargs), True)

    def fn_(input, *args, **kwargs):
        if not input._coalesced:
            raise RuntimeError(f"{name}_ requires coalesced input")
        input._val = getattr(input._val, name)(*args, **kwargs)
        return input
    FUNCTIONS[name], FUNCTIONS[name + "_"] = fn, fn_


for _name in _ZERO_PRESERVING:
    _unary(_name)


# -- casts, copies, shapes ---------------------------------------------------------------------------
def _cast(dtype):
    return lambda input, *args, **kwargs: _like(input, input._val.to(dtype))


for _name, _dtype in (("float", dt.float32), ("double", dt.float64), ("half", dt.float16), ("int", dt.int32),
                      ("long", dt.int64), ("short", dt.int16), ("char", dt.int8), ("byte", dt.uint8),
                      ("bool", dt.bool_)):
    FUNCTIONS[_name] = _cast(_dtype)


@_register("type")
def type_(input, dtype=None, non_blocking=False):
    if dtype is None:
        return f"torch.sparse.{input.dtype._legacy_name}"
    return _like(input, input._val.to(dtype))


@_register("clone")
def clone(input, *, memory_format=None):
    return SparseCooTensor(input._ind.clone(), input._val.clone(), input._size, input._coalesced)


@_register("zeros_like")
def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    device = device or input.device
    values = zeros(0, *input._val.shape[1:], dtype=dtype or input.dtype, device=device,
                   requires_grad=requires_grad)
    return SparseCooTensor(zeros(input.sparse_dim(), 0, dtype=dt.int64, device=device), values, input._size,
                           True)


@_register("zero_")
def zero_(input):
    empty = zeros_like(input)
    input._ind, input._val, input._coalesced = empty._ind, empty._val.to(input.dtype), True
    return input


@_register("transpose", "swapaxes", "swapdims")
def transpose(input, dim0, dim1):
    n = input.dim()
    d0, d1 = normalize_dim(dim0, n), normalize_dim(dim1, n)
    if d0 == d1:
        return input
    if max(d0, d1) >= input.sparse_dim():
        raise RuntimeError(f"sparse transpose: transposed dimensions must be sparse Got sparse_dim: "
                           f"{input.sparse_dim()}, d0: {d0}, d1: {d1}")
    order = list(range(n))
    order[d0], order[d1] = d1, d0
    return SparseCooTensor(input._ind[order[:input.sparse_dim()]], input._val,
                           tuple(input._size[d] for d in order), False)


@_register("t")
def t(input):
    if input.dense_dim():
        raise RuntimeError(f"t() expects a tensor with <= 2 sparse and 0 dense dimensions, but got "
                           f"{input.sparse_dim()} sparse and {input.dense_dim()} dense dimensions")
    if input.dim() > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.dim()}D")
    return transpose(input, 0, 1) if input.dim() == 2 else input


@_register("select")
def select(input, dim, index):
    n = input.dim()
    dim = normalize_dim(dim, n)
    size = input._size[dim]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(input._size)} at "
                         f"dimension {dim}")
    sd = input.sparse_dim()
    if dim >= sd:  # a dense dim: in every value
        return SparseCooTensor(input._ind, input._val.select(dim - sd + 1, index),
                               input._size[:dim] + input._size[dim + 1:], input._coalesced)
    keep = (input._ind[dim] == index % size).nonzero().reshape(-1)
    if sd == 1:  # no sparse dim left: dense (an element, or the dense dims), as torch's
        return input._val[keep].sum(0)
    rows = [d for d in range(sd) if d != dim]
    return SparseCooTensor(input._ind[rows][:, keep], input._val[keep],
                           tuple(input._size[d] for d in range(n) if d != dim),
                           input._coalesced or keep.numel() <= 1)


def _getitem(self, index):
    """``sparse[i]``: select(0, i) with indexing's bounds error; a slice or a tensor has no sparse kernel."""
    if not isinstance(index, int):
        raise refusal("as_strided" if isinstance(index, slice) else "index", (self, index))
    n = self._size[0] if self._size else 0
    if not -n <= index < n:
        raise IndexError(f"index {index} is out of bounds for dimension 0 with size {n}")
    return select(self, 0, index)


@_register("unsqueeze")
def unsqueeze(input, dim):
    n, sd = input.dim(), input.sparse_dim()
    dim = normalize_dim(dim, n + 1)
    size = input._size[:dim] + (1,) + input._size[dim:]
    if dim > sd:  # a new dense dim
        return SparseCooTensor(input._ind, input._val.unsqueeze(dim - sd + 1), size, input._coalesced)
    rows = [input._ind[:dim], zeros(1, input._nnz(), dtype=dt.int64, device=input.device), input._ind[dim:]]
    return SparseCooTensor(_cat_all(rows), input._val, size, False)


@_register("index_select")
def index_select(input, dim, index):
    """The entries in the ``index`` positions along ``dim``, in ``index``'s order (repeats repeat them)."""
    dim, sd = normalize_dim(dim, input.dim()), input.sparse_dim()
    if dim >= sd:
        size = input._size[:dim] + (index.numel(),) + input._size[dim + 1:]
        values = input._val.index_select(dim - sd + 1, index)
        return SparseCooTensor(input._ind, values, size, input._coalesced)
    picked, entry = (input._ind[dim].unsqueeze(0) == index.reshape(-1, 1)).nonzero().unbind(1)
    indices = input._ind[:, entry]
    indices[dim] = picked
    size = input._size[:dim] + (index.numel(),) + input._size[dim + 1:]
    return SparseCooTensor(indices, input._val[entry], size, False)


@_register("narrow_copy")
def narrow_copy(input, dim, start, length):
    dim, sd = normalize_dim(dim, input.dim()), input.sparse_dim()
    if dim >= sd:
        size = input._size[:dim] + (length,) + input._size[dim + 1:]
        values = input._val.narrow(dim - sd + 1, start, length)
        return SparseCooTensor(input._ind, values, size, input._coalesced)
    at = input._ind[dim]
    keep = ((at >= start) & (at < start + length)).nonzero().reshape(-1)
    indices = input._ind[:, keep]
    indices[dim] -= start
    size = input._size[:dim] + (length,) + input._size[dim + 1:]
    return SparseCooTensor(indices, input._val[keep], size, input._coalesced)


@_register("new_zeros")
def new_zeros(input, *size, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False):
    size = tuple(size[0]) if len(size) == 1 and not isinstance(size[0], int) else size
    device = device or input.device
    values = zeros(0, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)
    return SparseCooTensor(zeros(len(size), 0, dtype=dt.int64, device=device), values, size, True)


@_register("norm")
def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """The norm of the (coalesced) values; torch's sparse norm reduces every dim."""
    dims = [] if dim is None else [dim] if isinstance(dim, int) else list(dim)
    if dims and sorted(normalize_dim(d, input.dim()) for d in dims) != list(range(input.dim())):
        raise RuntimeError("norm_sparse currently only supports full reductions, so 'dim' must either be "
                           "empty or contain all dimensions of the input")
    values = input.coalesce()._val
    values = values if dtype is None else values.to(dtype)
    return values.norm(2 if p == "fro" else p)


@_register("cat", "concat", "concatenate")
def cat(tensors, dim=0):
    """``torch.cat`` of sparse tensors: their entries side by side, each one's indices moved along ``dim``
    by the sizes before it. torch refuses a dense tensor among them."""
    if not isinstance(tensors[0], SparseCooTensor):
        raise refusal("_values", tensors[:1], dense=True)
    for i, s in enumerate(tensors):
        if not isinstance(s, SparseCooTensor):
            raise RuntimeError(f"Concatenating sparse tensors, but a dense tensor was found at position {i}.")
    first = tensors[0]
    dim = normalize_dim(dim, first.dim())
    indices, offset = [], 0
    for i, s in enumerate(tensors):
        others = [n for d, n in enumerate(s._size) if d != dim]
        if s.dim() != first.dim() or others != [n for d, n in enumerate(first._size) if d != dim]:
            raise RuntimeError(f"All tensors must have the same shape: {list(first._size)} (except in the "
                               f"concatenating dimension), but found shape: {list(s._size)} at position {i}.")
        moved = s._ind.clone()
        if dim < first.sparse_dim():
            moved[dim] += offset
        indices.append(moved)
        offset += s._size[dim]
    dtype = dt.result_type(*[s._val for s in tensors])
    size = first._size[:dim] + (offset,) + first._size[dim + 1:]
    values = [s._val.to(dtype) for s in tensors]
    if dim >= first.sparse_dim():  # a dense dim: each one's values sit in their slice of it, zeros around
        vdim, at = dim - first.sparse_dim() + 1, 0
        for i, v in enumerate(values):
            shape = list(v.shape)
            parts = [zeros(*shape[:vdim], n, *shape[vdim + 1:], dtype=dtype, device=v.device)
                     for n in (at, offset - at - v.shape[vdim])]
            values[i] = _cat_all([parts[0], v, parts[1]], vdim)
            at += v.shape[vdim]
    values = _cat_all(values)
    return SparseCooTensor(_cat_all(indices, 1), values, size, False)


def _softmax(log: bool):
    def softmax(input, dim, *, dtype=None):
        """Softmax over the stored entries of each slice along ``dim`` (an unstored entry counts as minus
        infinity, not zero), as ``torch.sparse.softmax``; coalesced, gradients to the values."""
        name = "_sparse_log_softmax" if log else "_sparse_softmax"
        if not isinstance(input, SparseCooTensor):
            raise refusal(name, (input,), dense=True)
        c = input.coalesce()
        dim = normalize_dim(dim, c.dim())
        values = c._val if dtype is None else c._val.to(dtype)
        sd = c.sparse_dim()
        if dim >= sd:  # along a dense dim: within each value
            out = values.log_softmax(dim - sd + 1) if log else values.softmax(dim - sd + 1)
            return _like(c, out, True)
        rest = [d for d in range(sd) if d != dim]
        group = zeros(c._nnz(), dtype=dt.int64, device=c.device)  # each entry's slice: its other indices
        for d in rest:
            group = group * c._size[d] + c._ind[d]
        slices = 1
        for d in rest:
            slices *= c._size[d]
        dense = values.shape[1:]  # each dense position has its own softmax
        top = zeros(slices, *dense, dtype=values.dtype, device=c.device)  # each slice's largest: a shift
        spread = group.reshape(-1, *[1] * len(dense)).expand(values.shape)
        top = top.scatter_reduce(0, spread, values.detach(), "amax", include_self=False)
        shifted = values - top[group]
        total = zeros(slices, *dense, dtype=values.dtype, device=c.device).index_add(0, group, shifted.exp())
        out = shifted - total.log()[group] if log else shifted.exp() / total[group]
        return _like(c, out, True)
    softmax.__name__ = "log_softmax" if log else "softmax"
    return softmax


def sparse_mask(self: Tensor, mask: SparseCooTensor) -> SparseCooTensor:
    """``self``'s values at ``mask``'s stored positions, as ``Tensor.sparse_mask``."""
    return _like(mask, _dense_at(self, mask))


@_register("sum")
def sum(input, dim=None, keepdim=False, *, dtype=None):
    """``Tensor.sum`` of a sparse tensor: torch.sparse.sum, with ``keepdim``'s size-1 dims put back."""
    out = _sparse_sum(input, dim, dtype)
    if not keepdim or dim is None:
        return out
    n = input.dim()
    dims = {normalize_dim(d, n) for d in ([dim] if isinstance(dim, int) else dim)}
    if isinstance(out, Tensor):  # every dim summed: one entry at the origin
        out = SparseCooTensor(zeros(0, 1, dtype=dt.int64, device=input.device), out.reshape(1), (), True)
    rows, kept = [], iter(range(out.dim()))
    no_row = zeros(1, out._nnz(), dtype=dt.int64, device=input.device)
    for d in range(n):
        rows.append(no_row if d in dims else out._ind[next(kept)].unsqueeze(0))
    size = tuple(1 if d in dims else input._size[d] for d in range(n))
    return SparseCooTensor(_cat_all(rows), out._val, size, False)


def _cat_all(parts, dim=0):
    from .ops.primitives.shaping import cat
    return cat(parts, dim)


# -- products ----------------------------------------------------------------------------------------
@_register("matmul")
def matmul(input, other):
    """torch.matmul with a sparse operand: a sparse matrix times a dense matrix or vector, a dense
    matrix, vector or batch times a sparse matrix (dense results), or two sparse matrices (sparse)."""
    if isinstance(input, SparseCooTensor):
        if isinstance(other, SparseCooTensor):
            return _sparse_mm(input, other.to_dense()).to_sparse()
        if other.dim() == 1:
            return _sparse_mm(input, other.unsqueeze(1)).squeeze(1)
        if other.dim() > 2:
            raise RuntimeError("expand is unsupported for Sparse tensors")
        return _sparse_mm(input, other)
    if input.dim() == 1:
        return _dense_sparse_mm(input.unsqueeze(0), other).squeeze(0)
    if input.dim() > 2:
        batch = input.shape[:-1]
        return _dense_sparse_mm(input.reshape(-1, input.shape[-1]), other).reshape(*batch, other.shape[1])
    return _dense_sparse_mm(input, other)


@_register("mm", "spmm")
def mm(input, mat2):
    if isinstance(input, SparseCooTensor):
        if mat2.dim() == 1:  # torch reads the vector's second size
            raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
        return _sparse_mm(input, mat2)
    return _dense_sparse_mm(input, mat2)


@_register("mv")
def mv(input, vec):
    """A sparse matrix times a dense vector, or a dense matrix times a sparse vector (dense results)."""
    if isinstance(input, SparseCooTensor):
        if input.dim() != 2 or vec.dim() != 1 or isinstance(vec, SparseCooTensor):
            raise RuntimeError("mv: two tensor dim should be 2 and 1, but got SparseTensor Dim: "
                               f"{input.dim()}Tensor Dim: {vec.dim()}")
        _same_scalar_type(input, vec)
    if input.shape[-1] != vec.shape[-1]:
        raise RuntimeError("mv: expected self.size(-1) == vec.size(-1)")
    if isinstance(input, SparseCooTensor):
        return _sparse_mm(input, vec.unsqueeze(1)).squeeze(1)
    return _dense_sparse_mm(input, unsqueeze(vec, 1)).squeeze(1)


def _same_scalar_type(sparse: SparseCooTensor, dense: Tensor) -> None:
    if dense.dtype is not sparse.dtype:
        raise RuntimeError(f"expected scalar type {dt.scalar_name(sparse.dtype)} but found "
                           f"{dt.scalar_name(dense.dtype)}")


@_register("bmm")
def bmm(input, mat2):
    """A batch of sparse matrices (three sparse dims) times a batch of dense ones: each stored value scales
    a row of its batch's ``mat2`` into its row of the result (dense)."""
    def check(ok, what):
        if not ok:
            raise RuntimeError(f"bmm_sparse: {what}")
    check(not isinstance(mat2, SparseCooTensor), "Tensor 'mat2' must be dense")
    check(isinstance(input, SparseCooTensor), "Tensor 'self' must be sparse")
    check(input.sparse_dim() == 3, f"Tensor 'self' must have 3 sparse dims, but has {input.sparse_dim()}")
    check(input.dense_dim() == 0, f"Tensor 'self' must have 0 dense dims, but has {input.dense_dim()}")
    check(mat2.dim() == 3, f"Tensor 'mat2' must have 3 dims, but has {mat2.dim()}")
    check(input.shape[0] == mat2.shape[0], "'self.size(0)' and 'mat2.size(0)' must match")
    check(input.shape[2] == mat2.shape[1], "'self.size(2)' and 'mat2.size(1)' must match")
    _same_scalar_type(input, mat2)
    b, n, k = input._ind
    picked = mat2[b, k] * input._val.unsqueeze(1)
    out = zeros(input.shape[0] * input.shape[1], mat2.shape[2], dtype=mat2.dtype, device=mat2.device)
    return out.index_add(0, b * input.shape[1] + n, picked).reshape(input.shape[0], input.shape[1],
                                                                      mat2.shape[2])


@_register("permute")
def permute(input, *dims):
    """The dims reordered: the indices' rows (and the values' dense dims) reordered; uncoalesced unless
    nothing moves, as torch's. Sparse and dense dims do not trade places."""
    dims = tuple(dims[0]) if len(dims) == 1 and not isinstance(dims[0], int) else dims
    n, sd = input.dim(), input.sparse_dim()
    if len(dims) != n:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does not match the "
                           "length of the desired ordering of dimensions i.e. input.dim() = "
                           f"{n} is not equal to len(dims) = {len(dims)}")
    order = [normalize_dim(d, n) for d in dims]
    if len(set(order)) != n:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    if order == list(range(n)):
        return input
    if sorted(order[:sd]) != list(range(sd)):
        raise RuntimeError("permute(sparse_coo): transpositions between sparse and dense dimensions are not "
                           "allowed.Only transpositions within sparse and dense dimensions are supported.")
    values = input._val.permute(0, *[d - sd + 1 for d in order[sd:]])
    return SparseCooTensor(input._ind[order[:sd]], values, tuple(input._size[d] for d in order), False)


@_register("addmm")
def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat1 @ mat2)`` with a sparse ``mat1`` (torch has no kernel for a sparse
    ``mat2``)."""
    if isinstance(input, SparseCooTensor):
        raise RuntimeError("addmm_sparse_dense: expected strided result tensor, got tensor with layout "
                           "Sparse")
    if not isinstance(mat1, SparseCooTensor) or isinstance(mat2, SparseCooTensor):
        layout = lambda m: "Sparse" if isinstance(m, SparseCooTensor) else "Strided"  # noqa: E731
        raise RuntimeError("addmm_sparse_dense: expected either 'mat1' to have sparse layout and 'mat2' to "
                           f"have strided layout, got 'mat1' with layout {layout(mat1)} and 'mat2' with "
                           f"layout {layout(mat2)}")
    product = _sparse_mm(mat1, mat2)
    return (input if beta == 1 else input * beta) + (product if alpha == 1 else product * alpha)


@_register("addmm_")
def addmm_(input, mat1, mat2, *, beta=1, alpha=1):
    """``input.addmm_(sparse, dense)``: addmm's result written into ``input``, which must have its shape and
    the operands' dtype (torch's checks); a sparse ``input`` is refused."""
    if isinstance(mat1, SparseCooTensor) and not isinstance(mat2, SparseCooTensor):
        for d, want in enumerate((mat1.shape[0], mat2.shape[-1])):
            if input.dim() != 2 or input.shape[d] != want:
                got = input.shape[d] if d < input.dim() else input.shape[-1]
                raise RuntimeError(f"addmm: Argument #1 (t): Expected dim {d} size {want}, got {got}")
        _same_scalar_type(mat1, input)
    return input.copy_(addmm(input, mat1, mat2, beta=beta, alpha=alpha))


@_register("F.linear")
def linear(input, weight, bias=None):
    """``F.linear`` of a sparse input: ``input @ weight.T`` (+ ``bias``, through torch's addmm)."""
    if bias is not None:
        return addmm(bias, input, weight.t())
    return matmul(input, weight.t())


# -- what a sparse tensor refuses with words of its own ------------------------------------------
def _reshape(input, *shape):
    raise RuntimeError("reshape is not implemented for sparse tensors")


def _expand(input, *sizes, **kwargs):
    raise RuntimeError("expand is unsupported for Sparse tensors")


def _contiguous(input, memory_format=None):
    raise RuntimeError("unsupported memory format option Contiguous")


def _numpy(input, *, force=False):
    raise TypeError("can't convert Sparse layout tensor to numpy. Use Tensor.to_dense() first.")


def _tolist(input):
    raise RuntimeError("Cannot access data pointer of Tensor that doesn't have storage")


def _item(input):
    if input.numel() != 1:
        raise RuntimeError(f"a Tensor with {input.numel()} elements cannot be converted to Scalar")
    return input.to_dense().item()


def _copy_(self, src, non_blocking=False):
    if isinstance(self, SparseCooTensor) and isinstance(src, SparseCooTensor):
        self._ind, self._val, self._size, self._coalesced = src._ind.clone(), src._val.clone(), src._size, \
            src._coalesced
        return self
    raise RuntimeError("copy_() between dense and sparse Tensors is not implemented! Found self type = "
                       f"{_type_name(self)} and src type = {_type_name(src)}")


def _type_name(x) -> str:
    return f"torch.sparse.{x.dtype._legacy_name}" if isinstance(x, SparseCooTensor) else \
        f"torch.{x.dtype._legacy_name}"


FUNCTIONS.update(
    reshape=_reshape, flatten=_reshape, reshape_as=_reshape, expand=_expand, contiguous=_contiguous,
    numpy=_numpy, tolist=_tolist, item=_item, copy_=_copy_, to_sparse=lambda input, *a, **k: input,
    to_dense=lambda input, *a, **k: input.to_dense(), is_contiguous=lambda input, *a, **k: False,
    is_inference=lambda input: False)
# torch converts a COO tensor to the compressed layouts: pyfront's refusal says it has none (not torch's
# no-kernel error, which would claim torch lacks them)
FUNCTIONS.update(dict.fromkeys(("to_sparse_csr", "to_sparse_csc", "to_sparse_bsr", "to_sparse_bsc"),
                               _compressed_layout))


# -- the entry points ---------------------------------------------------------------------------------
def _method(name):
    def method(self, *args, **kwargs):
        return call(name, (self, *args), kwargs)
    method.__name__ = name
    return method


# the torch function of a Python operator (``__truediv__``: div), where the names differ
_OPERATOR_OPS = {"truediv": "div", "floordiv": "floor_divide", "mod": "remainder", "and": "bitwise_and",
                 "or": "bitwise_or", "xor": "bitwise_xor", "lshift": "bitwise_left_shift",
                 "rshift": "bitwise_right_shift"}


def dense_operator(name: str, dense: Tensor, sparse: SparseCooTensor):
    """``dense <op> sparse`` from the dense operand's operator ``name`` ("add", "truediv", "add_" for +=)."""
    base = name.rstrip("_")
    return call(_OPERATOR_OPS.get(base, base) + name[len(base):], (dense, sparse), {})


def _operator(name, swap=False):
    """A sparse tensor's operator: ``name(sparse, other)``, or ``name(other, sparse)`` (``swap``)."""
    def method(self, other):
        if not isinstance(other, (Tensor, SparseCooTensor, Number)):
            return NotImplemented
        return call(name, (other, self) if swap else (self, other), {})
    return method


def _getattr(self, name):
    """A Tensor method the class does not define: the table's, or torch's error when it is called."""
    if name in FUNCTIONS or not name.startswith("_") and callable(getattr(Tensor, name, None)):
        return functools.partial(_method(name), self)
    raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")


def install(namespace: dict) -> None:
    """Route sparse operands here: SparseCooTensor's methods and operators, the dense code's seam
    (ops/sparse_seam.py), and the products in ``namespace`` (pyfront's) taking one elsewhere."""
    from . import sparse as sparse_module
    from .ops import sparse_seam

    cls = SparseCooTensor
    cls.__getattr__ = _getattr
    for op in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and", "or", "xor", "matmul",
               "eq", "ne", "lt", "le", "gt", "ge"):
        name = _OPERATOR_OPS.get(op, op)
        setattr(cls, f"__{op}__", _operator(name))
        if op not in ("eq", "ne", "lt", "le", "gt", "ge"):
            setattr(cls, f"__i{op}__", _operator(name + "_"))
    # a number on the left, as torch's reflected operators: ``2 * s`` is ``s * 2``, ``1 - s`` is
    # ``rsub(s, 1)``, ``1 / s`` is ``s.reciprocal() * 1``, ``2 ** s`` is ``pow(2, s)``
    cls.__radd__, cls.__rmul__, cls.__rsub__ = _operator("add"), _operator("mul"), _operator("rsub")
    cls.__rtruediv__, cls.__rpow__ = _operator("reciprocal"), _operator("pow", swap=True)
    cls.__neg__, cls.__abs__ = _method("neg"), _method("abs")
    cls.__hash__ = object.__hash__
    cls.__getitem__ = _getitem
    cls.__rmatmul__ = lambda self, other: matmul(other, self) if isinstance(other, Tensor) else NotImplemented
    cls.T = cls.mT = property(t)
    sparse_seam.TYPES, sparse_seam.call, sparse_seam.operator = (cls,), call, dense_operator
    for name, positions in (("mm", (0, 1)), ("spmm", (0, 1)), ("addmm", (1, 2)), ("mv", (1,)),
                            ("bmm", (1,))):
        namespace[name] = _taking_sparse(namespace[name], name, positions)
    for name, positions in (("mm", (0, 1)), ("mv", (1,)), ("addmm_", (1, 2)), ("bmm", (1,))):
        setattr(Tensor, name, _taking_sparse(getattr(Tensor, name), name, positions))
    Tensor.sparse_mask = sparse_mask
    sparse_module.addmm = addmm
    sparse_module.softmax, sparse_module.log_softmax = _softmax(False), _softmax(True)


def _taking_sparse(fn, name, positions):
    """``fn``, handing a call with a sparse tensor at one of ``positions`` to the table."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        for i in positions:
            if i < len(args) and type(args[i]) is SparseCooTensor:
                return call(name, args, kwargs)
        return fn(*args, **kwargs)
    return wrapper
