"""Indexing primitives: the few data-dependent gathers and scatters every indexing op is built on.

* ``index``: advanced indexing, ``x[..., i0, i1, ...]`` with index tensors on some dims.
* ``index_put``: its adjoint, writing (or accumulating) values at those positions.
* ``gather`` and ``scatter_reduce``: the along-one-dim pair (``out[i][j] = x[i][index[i][j]]``).
* ``nonzero``: the coordinates of the non-zero elements (its size depends on the data).

The index tensors of ``index``/``index_put`` travel as one int64 tensor of shape
``(k, *broadcast_shape)`` (``packed``), with ``dims`` naming the k dims of ``x`` they index, so
each op has a fixed number of inputs. Index bounds are checked where the data is read: in the
NumPy rule, with PyTorch's messages.
"""

from __future__ import annotations

from ... import dtypes as dt
from ...autograd import graph
from ...autograd.saved_names import as_torch_saves
from ...autograd.function import no_derivative
from ...autograd.grad_mode import IN_TRANSFORM
from ...errors import out_of_bounds
from ...shape import normalize_dim
from ..dispatch import apply, apply_laid, apply_like
from ..on_meta import refuse_on_meta
from ..registry import OpDef, register
from .. import samples

__all__ = ["gather", "scatter_reduce", "nonzero", "argwhere"]
METHODS = "gather scatter_reduce nonzero argwhere"
INPLACE = "scatter_reduce"

REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")


def _check_bounds(np, indices, sizes):
    """Raise for the first bad index in (element, index-tensor) order, as PyTorch's kernels do."""
    if not indices or not indices[0].size:
        return
    if len(indices) == 1:  # one index tensor (x[idx]): np.stack and np.broadcast_to were most of the check
        flat = indices[0].reshape(1, -1)
    else:
        flat = np.stack([np.broadcast_to(i, indices[0].shape).reshape(-1) for i in indices])
    limits = np.array(sizes, dtype=np.int64).reshape(-1, 1)
    bad = (flat >= limits) | (flat < -limits)
    if np.count_nonzero(bad):  # (not bad.any(): NumPy's Python wrapper, ~3x the time, per indexing op)
        col = int(bad.any(axis=0).argmax())
        row = int(bad[:, col].argmax())
        raise out_of_bounds(IndexError, int(flat[row, col]), row, sizes[row])


# -- index / index_put: advanced indexing on the dims ``dims`` -----------------------------------
def indexed_shape(shape, dims, index_shape) -> tuple:
    """PyTorch's (and NumPy's) rule: the index dims replace adjacent indexed dims in place,
    and go first when the indexed dims are separated."""
    rest = [n for d, n in enumerate(shape) if d not in dims]
    if list(dims) == list(range(dims[0], dims[0] + len(dims))):
        return tuple(rest[: dims[0]]) + tuple(index_shape) + tuple(rest[dims[0] :])
    return tuple(index_shape) + tuple(rest)


def _key(ndim, dims, packed):
    key = [slice(None)] * ndim
    for d, i in zip(dims, packed):
        key[d] = i
    return tuple(key)


def _index_np(np, x, packed, dims):
    _check_bounds(np, list(packed), [x.shape[d] for d in dims])
    return x[_key(x.ndim, dims, packed)]


def _index_put_np(np, x, packed, values, dims, accumulate):
    _check_bounds(np, list(packed), [x.shape[d] for d in dims])
    out = np.array(x, copy=True)
    key = _key(x.ndim, dims, packed)
    if accumulate:
        np.add.at(out, key, values)
    else:
        out[key] = values
    return out


INDEX = register(
    OpDef(
        "index",
        "other",
        lambda x, packed, dims: [(indexed_shape(x.shape, dims, packed.shape[1:]), x.dtype)],
        _index_np,
        lambda c, g: (index_put(g.new_zeros(c.input_shapes[0]), c.inputs[1], g, c.attrs["dims"], True), None),
        arity=2,
        save=(1,),
    )
)

INDEX_PUT = register(
    OpDef(
        "index_put",
        "other",
        lambda x, packed, values, dims, accumulate: [(x.shape, x.dtype)],
        _index_put_np,
        lambda c, g: (
            g
            if c.attrs["accumulate"]
            else index_put(g, c.inputs[1], g.new_zeros(()), c.attrs["dims"], False),
            None,
            index(g, c.inputs[1], c.attrs["dims"]),
        ),
        arity=3,
        save=(1,),
        # torch's accumulating kernel adds one value at a time into a 16-bit self, each sum rounded to
        # the dtype (a repeated index shows it): NumPy's add.at does so on the 16-bit arrays themselves
        takes_halves=True,
    )
)


def index(x, packed, dims: tuple, strides=None):
    """``x`` indexed by the int64 ``packed`` index tensors on ``dims`` (bounds-checked); ``strides``: the
    result's (None: row-major)."""
    if strides is None:
        return apply(INDEX, x, packed, dims=tuple(dims))
    return apply_laid(INDEX, strides, x, packed, dims=tuple(dims))


def index_put(x, packed, values, dims: tuple, accumulate: bool, shown=None, laid=True):
    """``x`` with ``values`` (broadcast to the indexed shape) written or added at the indices (``shown``:
    the index tensors as the caller gave them, which torch's node keeps), laid out as ``x`` (torch's
    ``clone(preserve_format).index_put_``); ``laid`` False: contiguous, for a caller that only reads its
    values (an assignment back into ``x``)."""
    shape = indexed_shape(x.shape, dims, packed.shape[1:])
    if len(values.shape) > len(shape) or any(
        a not in (1, b) for a, b in zip(values.shape[::-1], shape[::-1])
    ):
        raise RuntimeError(
            f"shape mismatch: value tensor of shape {list(values.shape)} cannot be "
            f"broadcast to indexing result of shape {list(shape)}"
        )
    spread = values.to(x.dtype).expand(shape)
    since = graph.SEQUENCE[0]
    out = (apply_like(x, INDEX_PUT, x, packed, spread, dims=tuple(dims), accumulate=bool(accumulate)) if laid
           else apply(INDEX_PUT, x, packed, spread, dims=tuple(dims), accumulate=bool(accumulate)))
    if out._requires_grad:  # torch's node shows self and the values as given, not their broadcast
        saves = None if shown is None else lambda: [("indices", shown), ("accumulate", bool(accumulate))]
        graph.present_as(out, "IndexPutBackward0", since, [x, values], saves=saves)
    return out


# -- gather / scatter_reduce: along one dim, index and output of the same shape ------------------
def _flat_key(np, shape, index, dim):
    """The positions in a row-major array of ``shape`` of ``out[i][index[i][j][k]][k]`` (dim 1), one flat
    index array in the order of ``index``'s elements: the elements a grid of broadcast keys (np.ix_) picks,
    in its order, where NumPy's fancy indexing and ufunc.at take one flat index several times faster."""
    dim %= index.ndim
    strides = [1] * len(shape)
    for k in range(len(shape) - 2, -1, -1):
        strides[k] = strides[k + 1] * shape[k + 1]
    key = index * strides[dim]
    for k, n in enumerate(index.shape):
        if k != dim and n > 1:
            key += (np.arange(n) * strides[k]).reshape([n if j == k else 1 for j in range(index.ndim)])
    return key


def _along_bounds(np, index, dim, size):
    # unlike x[index], a negative index is out of range here
    bad = (index < 0) | (index >= size)
    if np.count_nonzero(bad):  # (see _check_bounds)
        value = int(index.reshape(-1)[bad.reshape(-1).argmax()])
        raise out_of_bounds(RuntimeError, value, dim, size)


def _slices_key(np, x, index, dim):
    """The key of whole slices along ``dim`` where ``index`` is one vector broadcast along every other dim
    of ``x``'s sizes (index_select's, index_add's: an expanded index), its vector checked once; None
    elsewhere. Those slices are read or written whole, where the full grid of keys goes element by element
    and checks every copy of the vector."""
    strides = index.strides
    # (a zero stride first: the one question a gather of a full index, cross_entropy's, is asked)
    if 0 not in strides or index.ndim < 2 or index.shape != x.shape[:dim] + index.shape[dim:dim + 1] \
            + x.shape[dim + 1:] or any(step != 0 for k, step in enumerate(strides) if k != dim):
        return None
    vector = index[(0,) * dim + (slice(None),) + (0,) * (index.ndim - dim - 1)]
    _along_bounds(np, vector, dim, x.shape[dim])
    return (slice(None),) * dim + (vector,)


def _gather_np(np, x, index, dim):
    key = _slices_key(np, x, index, dim)
    if key is not None:  # (take: a key with slices before its vector would index through a transposed copy)
        return np.take(x, key[-1], axis=dim)
    _along_bounds(np, index, dim, x.shape[dim] if x.ndim else 1)
    x1, i1 = x.reshape(x.shape or (1,)), index.reshape(index.shape or (1,))
    flat = np.ascontiguousarray(x1).reshape(-1)
    return np.take(flat, _flat_key(np, x1.shape, i1, dim)).reshape(index.shape)


def _scatter_np(np, x, index, src, dim, reduce, include_self):
    key = _slices_key(np, x, index, dim)
    # (whole slices, each written once where the vector repeats no index: one ufunc call, ufunc.at's numbers)
    once = key is not None and np.unique(key[-1]).size == key[-1].size
    out = np.array(x, copy=True, order="C").reshape(x.shape or (1,))
    src = src.reshape(index.shape or (1,))
    target = out  # what key indexes: out, or its flat view with the flat key
    if key is None:
        _along_bounds(np, index, dim, x.shape[dim] if x.ndim else 1)
        key = _flat_key(np, out.shape, index.reshape(index.shape or (1,)), dim).reshape(-1)
        target, src = out.reshape(-1), src.reshape(-1)
    if reduce == "none":
        target[key] = src
        return out.reshape(x.shape)
    if not include_self:
        target[key] = _identity(np, reduce, x.dtype)
    ufunc = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum, "amin": np.minimum}
    if once:
        target[key] = ufunc[reduce](target[key], src)
    else:
        ufunc[reduce].at(target, key, src)
    if reduce == "mean":
        count = np.full(out.shape, int(include_self), dtype=np.int64)
        np.add.at(count if target is out else count.reshape(-1), key, 1)
        count = np.maximum(count, 1)
        out = out / count if out.dtype.kind == "f" else np.floor_divide(out, count)
    return out.astype(x.dtype).reshape(x.shape)


def _identity(np, reduce, dtype):
    """What a reduction starts from where ``include_self=False`` drops the old value."""
    if reduce in ("sum", "mean", "prod"):
        return int(reduce == "prod")
    if dtype.kind == "f":
        return -np.inf if reduce == "amax" else np.inf
    info = np.iinfo(dtype)
    return info.min if reduce == "amax" else info.max


def _gather_vjp(c, g):
    zeros = g.new_zeros(c.input_shapes[0])
    return (scatter_op(zeros, c.inputs[1], g, c.attrs["dim"], "sum", True), None)


def _scatter_vjp(c, g):
    """PyTorch's scatter_reduce_backward, written with the ops themselves (so it differentiates)."""
    from .elementwise import where

    # (scatter_write's node keeps the index only, scatter_add_write's for src's gradient alone)
    x, idx, src = c.inputs
    dim, reduce, include_self = c.attrs["dim"], c.attrs["reduce"], c.attrs["include_self"]
    if reduce in ("none", "sum"):
        gx, gsrc = g, gather_op(g, idx, dim) if c.needs_input_grad[2] else None
    elif reduce == "mean":
        n = scatter_op(
            g.new_full(g.shape, float(include_self)), idx, src.new_ones(src.shape), dim, "sum", True
        )
        n = n.masked_fill(n == 0, 1)
        gx, gsrc = g / n, gather_op(g / n, idx, dim)
    elif reduce == "prod":
        # the exclusive products, taken with care where an element is 0
        masked_x = x.masked_fill(x == 0, 1)
        gx = g * scatter_op(masked_x, idx, src, dim, "prod", include_self) / masked_x
        src_zero = src == 0
        n_zeros = gather_op(
            scatter_op(g.new_zeros(g.shape), idx, src_zero.to(g.dtype), dim, "sum", True), idx, dim
        )
        single = src_zero & (n_zeros == 1)
        masked_src_out = scatter_op(x, idx, src.masked_fill(single, 1), dim, "prod", include_self)
        gsrc = where(
            single,
            gather_op(g * masked_src_out, idx, dim),
            gather_op(g * c.out, idx, dim) / src.masked_fill(src_zero, 1),
        )
    else:  # amax / amin: every element equal to the result shares its gradient evenly
        x_wins = (x == c.out).to(g.dtype)
        src_wins = (src == gather_op(c.out, idx, dim)).to(g.dtype)
        shared = g / scatter_op(x_wins, idx, src_wins, dim, "sum", True)
        gx, gsrc = x_wins * shared, src_wins * gather_op(shared, idx, dim)
    if reduce == "none" or not include_self:  # the old values there were overwritten
        gx = scatter_op(gx, idx, gx.new_zeros(idx.shape), dim, "none", True)
    return gx, None, gsrc


GATHER = register(
    OpDef(
        "gather",
        "other",
        lambda x, index, dim: [(index.shape, x.dtype)],
        _gather_np,
        _gather_vjp,
        arity=2,
        save=(1,),
        torch_name="gather",
        samples=samples.gather,
    )
)

SCATTER = register(
    OpDef(
        "scatter_reduce",
        "other",
        lambda x, index, src, dim, reduce, include_self: [(x.shape, x.dtype)],
        _scatter_np,
        _scatter_vjp,
        arity=3,
        save=(0, 1, 2),
        save_output=True,
        backward_name="ScatterReduceBackward0",
        torch_name="scatter_reduce",
        samples=samples.scatter_reduce,
    )
)


# scatter and scatter_add (so index_add and index_copy): torch's nodes keep only the index, all their
# gradients read; scatter_reduce's keeps its operands and result, whatever the reduction
def _scatter_write_jvp(inputs, tangents, attrs):
    # torch's forward formula: the same write on the tangents, so where indices repeat the tangent is the one
    # of the element that wins the write, not the sum of theirs (the VJP's transpose)
    x, idx, src = inputs
    tx, _, tsrc = (t if t is not None else like.new_zeros(like.shape) for t, like in zip(tangents, inputs))
    return [scatter_op(tx, idx, tsrc.to(tx.dtype), attrs["dim"], attrs["reduce"], True)]


SCATTER_WRITE = register(OpDef(
    "scatter_write", "other", SCATTER.infer, _scatter_np, _scatter_vjp, arity=3, save=(1,),
    backward_name="ScatterBackward0", jvp=_scatter_write_jvp))
# scatter_add's (index_add's): self's gradient is g itself, so the index is kept for src's alone, as torch's
SCATTER_ADD_WRITE = register(OpDef(
    "scatter_add_write", "other", SCATTER.infer, _scatter_np, _scatter_vjp, arity=3, save=(1,),
    saved_for={1: (2,)}, backward_name="ScatterAddBackward0", jvp=_scatter_write_jvp))


def gather_op(x, index, dim: int, keeps_input=None):
    """``x`` gathered at ``index`` along ``dim``; ``keeps_input``: the dim as given, where its node keeps
    ``x`` too and shows that dim, as torch's gather does (its gradient here needs only x's shape;
    index_select's node keeps the index only)."""
    out = apply(GATHER, x, index, dim=dim)
    if keeps_input is not None and out._grad_fn is not None:
        graph.also_saves(out, ("self", x), ("dim", as_torch_saves(keeps_input, "int")))
    return out


def scatter_op(x, index, src, dim: int, reduce: str, include_self: bool, keeps_operands: bool = False):
    """``x`` with ``src`` written (reduce "none") or reduced into it at ``index`` along ``dim``;
    ``keeps_operands``: its node keeps ``x``, ``src`` and the result, as scatter_reduce's does."""
    op = SCATTER if not include_self or keeps_operands else SCATTER_WRITE if reduce == "none" else \
        SCATTER_ADD_WRITE if reduce == "sum" else SCATTER
    return apply(op, x, index, src, dim=dim, reduce=reduce, include_self=include_self)


def check_along(name, x, dim, index, src=None) -> int:
    """PyTorch's argument checks shared by gather and the scatters; returns the normalised dim."""
    d = normalize_dim(dim, x.dim())
    if index.dtype not in (dt.int64, dt.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    if src is not None and src.dtype is not x.dtype:
        raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype")
    if index.numel() == 0:
        return d
    if max(index.dim(), 1) != max(x.dim(), 1):
        raise RuntimeError(
            "Index tensor must have the same number of dimensions as "
            + ("input tensor" if src is None else "self tensor")
        )
    if src is not None and max(index.dim(), 1) != max(src.dim(), 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    for k in range(index.dim()):
        if src is None and k != d and index.shape[k] > x.shape[k]:
            raise RuntimeError(
                f"Size does not match at dimension {k} expected index {list(index.shape)} to "
                f"be no larger than self {list(x.shape)} apart from dimension {d}"
            )
        if src is not None and ((k != d and index.shape[k] > x.shape[k]) or index.shape[k] > src.shape[k]):
            raise RuntimeError(
                f"Expected index {list(index.shape)} to be no larger than self {list(x.shape)} "
                f"apart from dimension {d} and to be no larger size than src {list(src.shape)}"
            )
    return d


def gather(input, dim, index, *, sparse_grad=False):
    """``out[i][j] = input[i][index[i][j]]`` along ``dim`` (here dim=1), as ``torch.gather``."""
    d = check_along("gather", input, dim, index)
    wide = index.to(dt.int64)
    out = gather_op(input, wide, d, keeps_input=dim)
    if wide is not index and out._grad_fn is not None:  # torch's node keeps the int32 index as given
        graph.saved_before_cast(out, (wide, index))
    return out


def scatter_along(input, dim, index, src, reduce, include_self=True, keeps_operands=False):
    """The shared entry of scatter, scatter_add and scatter_reduce: checks, then one op (see scatter_op)."""
    d = check_along("scatter", input, dim, index, src)
    given = src
    for k, n in enumerate(index.shape):  # only the part of src that index covers is used
        if src.shape[k] != n:
            src = src.narrow(k, 0, n)
    out = scatter_op(input, index.to(dt.int64), src, d, reduce, bool(include_self), keeps_operands)
    if src is not given and out._grad_fn is not None:  # torch's node keeps src as given
        covered = tuple(slice(0, n) for n in index.shape)
        graph.saved_as_given(out, (src, given, lambda whole: whole[covered]))
    return out


def scatter_reduce(input, dim, index, src, reduce, *, include_self=True):
    """Reduce ``src`` into ``input`` at ``index`` along ``dim``: sum, prod, mean, amax or amin."""
    if reduce in ("max", "min"):  # old names PyTorch still runs forward, but cannot differentiate
        out = scatter_along(input.detach(), dim, index, src.detach(), "a" + reduce, include_self)
        return no_derivative(out, "Expected 'reduce' to be one of 'sum', 'prod', 'mean', 'amax', 'amin' but "
                                  f"got {reduce}.", input, src, grad_fn="ScatterReduceBackward0", saves=lambda: [
                                      ("dim", as_torch_saves(dim, "int")), ("include_self", bool(include_self)),
                                      ("index", index), ("reduce", reduce), ("result", graph.Result(0)),
                                      ("self", input), ("src", src)])
    if reduce not in REDUCTIONS:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    return scatter_along(input, dim, index, src, reduce, include_self, keeps_operands=True)


# -- nonzero: its output size is read from the data ----------------------------------------------
NONZERO = register(
    OpDef(
        "nonzero",
        "other",
        lambda x: refuse_on_meta("nonzero", x) or [((int((x != 0).sum().item()), x.dim()), dt.int64)],
        lambda np, x: np.argwhere(x),
        None,
        torch_name="nonzero",
        samples=samples.nonzero,
    )
)


def nonzero(input, *, as_tuple=False):
    """Coordinates of the non-zero elements: an (n, ndim) tensor, or one tensor per dim."""
    if input._batched:  # the output's size depends on each sample's data (an unbatched input's does not)
        raise RuntimeError(IN_TRANSFORM["nonzero"])
    if type(as_tuple) is not bool:
        from ..argcheck import bool_flags
        bool_flags("nonzero", as_tuple=as_tuple)
    out = argwhere(input)
    if not as_tuple:
        return out
    if input.dim() == 0:  # one coordinate list, of zeros
        return (out.new_zeros((out.shape[0],)),)
    return tuple(out.select(1, k) for k in range(input.dim()))


def coordinates(input):
    """``nonzero(input)`` row-major, for the callers that read the coordinates themselves (mask indexing)."""
    return apply(NONZERO, input)


def argwhere(input):
    """The (n, ndim) coordinates of the non-zero elements, laid out as torch's CPU kernel writes them: each
    dim's list in turn (strides (1, n))."""
    from .elementwise import relaid
    out = apply(NONZERO, input)
    return relaid(out, (1, out.shape[0]))


def _searched_np(np, seq, values, right):
    """PyTorch's binary search of each of ``values`` in ``seq`` (its rows along the last dim), in one kernel.
    A sorted row without NaN has one partition point, which NumPy's search finds; any other row (unsorted,
    NaN) gets PyTorch's own steps, ceil(log2(n + 1)) rounds of ``!(mid >= v)`` (right: ``!(mid > v)``)."""
    n = seq.shape[-1]
    if seq.ndim == 1 and not (seq[1:] < seq[:-1]).any() and not (seq != seq).any():
        return np.searchsorted(seq, values, side="right" if right else "left").astype(np.int64)
    start = np.zeros(values.shape, np.int64)
    end = start + n
    for _ in range(n.bit_length()):
        mid = start + (end - start) // 2
        safe = np.minimum(mid, max(n - 1, 0))
        mid_val = seq[safe] if seq.ndim == 1 else np.take_along_axis(seq, safe, -1)
        go_right = ~(mid_val > values) if right else ~(mid_val >= values)
        active = start < end
        start, end = np.where(active & go_right, mid + 1, start), np.where(active & ~go_right, mid, end)
    return start


# searchsorted's cpu kernel (composite/sets.py runs the same search as whole-tensor steps on other devices)
SEARCHED = register(OpDef("searchsorted", "other", lambda seq, values, right: [(values.shape, dt.int64)],
                          _searched_np, None, arity=2))
