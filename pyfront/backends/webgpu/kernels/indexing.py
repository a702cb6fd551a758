"""Indexing: index, index_put, gather, scatter_reduce, take_along, put_along and nonzero.

All but nonzero map element i of an iteration shape to two addresses (shaders/index_map.wgsl):
an "indexed" side whose address takes the index values, and a "plain" side addressed by the
coordinates alone. A gather reads the indexed side and writes the plain one; a scatter does the
opposite, either overwriting (the last writer wins, as in NumPy: scatter_claim + scatter_store)
or reducing with atomics (scatter_atomic). Index tensors travel as one contiguous i32 array.

Where the cpu backend raises for an out-of-range index, a tiny kernel finds the first bad index
and its key is read back before the op runs (a sync point, as PyTorch's CUDA indexing has), so
the same exception and message reach the user; the kernels themselves skip bad indices.
"""
from __future__ import annotations

import math
import struct

from .... import dtypes as dt
from ....shape import contiguous_strides
from ....errors import out_of_bounds
from ...storage import dense
from ..layout import I32_MAX, truth, wgsl_type
from ..runtime import WORKGROUP, specialise
from ..strides import MAX_DIMS, TooManyDims, coalesce
from . import launcher
from .elementwise import run_elementwise
from .scan import scan_into

MAX_INDEXED = 12  # index rows one kernel takes (index_map.wgsl's index_vecs vec4s of each list)
MAX_NONZERO_DIMS = 16  # dims of a nonzero input (nonzero_common.wgsl's dim_vecs vec4s of each list)
_NEG_INF, _POS_INF = "f32_from_bits(0xff800000u)", "f32_from_bits(0x7f800000u)"

# folds of floats, in f32 (float16 elements too), over the old value a and the new one b
_FLOAT_COMBINE = {
    "sum": "a + b",
    "prod": "a * b",
    "amax": "select(max(a, b), a + b, is_nan_f32(a) || is_nan_f32(b))",  # NaN wins, as np.maximum
    "amin": "select(min(a, b), a + b, is_nan_f32(a) || is_nan_f32(b))",
}
# reductions with a native WGSL atomic, by kind: i32, u32 (uint8) and bool (0/1 in a u32: a sum
# is a logical or, a product a logical and, as NumPy's add/multiply on bools)
_NATIVE = {
    "i": {"sum": "atomicAdd", "amax": "atomicMax", "amin": "atomicMin"},
    "u": {"sum": "atomicAdd", "amax": "atomicMax", "amin": "atomicMin"},
    "b": {"sum": "atomicMax", "prod": "atomicMin", "amax": "atomicMax", "amin": "atomicMin"},
}
# the other folds: a compare-and-swap loop on the 32-bit word of element t
_CAS = """    let b = {value};
    var old = atomicLoad(&out[t]);
    loop {{
        let a = {load};
        let c = {combine};
        let r = atomicCompareExchangeWeak(&out[t], old, {store});
        if (r.exchanged) {{
            break;
        }}
        old = r.old_value;
    }}"""
# float16 elements share a word in pairs: swap the whole word, changing only element t's half
_CAS_F16 = """    let w = t / 2u;
    let high = (t & 1u) == 1u;
    let b = f32(v);
    var old = atomicLoad(&out[w]);
    loop {{
        let pair = unpack2x16float(old);
        let a = select(pair.x, pair.y, high);
        let c = {combine};
        let word = pack2x16float(select(vec2<f32>(c, pair.y), vec2<f32>(pair.x, c), high));
        let r = atomicCompareExchangeWeak(&out[w], old, word);
        if (r.exchanged) {{
            break;
        }}
        old = r.old_value;
    }}"""


def _enable(dtype) -> str:
    return "enable f16;" if dtype is dt.float16 else ""


def _kernel(name, **subs) -> str:
    """An indexing kernel, sized for MAX_INDEXED index rows."""
    return specialise(name, index_vecs=MAX_INDEXED // 4, **subs)


def _dense(backend, t):
    """``t`` itself when contiguous from offset 0, else a contiguous copy (index tensors are small)."""
    if t.is_contiguous() and t.offset == 0:
        return t
    out = dense(backend.allocate(t.numel(), t.dtype), t.shape, t.dtype)
    run_elementwise(backend, "a", [t], out)
    return out


def _words(storage):
    """A binding of a whole storage as 32-bit words (float16 storages may end mid-word)."""
    return (storage.data, 0, -(-storage.nbytes // 4) * 4)


def _map_params(sizes, indexed, plain, pstrides, index_dims, n, offsets) -> list:
    """index_map.wgsl's parameters for iterating over ``sizes``; ``index_dims``: (indexed stride,
    size) per index row of ``n`` elements; ``offsets``: (indexed, plain) element offsets."""
    shape, ports = coalesce(tuple(sizes), [tuple(indexed), tuple(plain), tuple(pstrides)])
    if not shape:
        shape, ports = (1,), [(0,), (0,), (0,)]
    if len(shape) > MAX_DIMS:
        raise TooManyDims(f"webgpu indexing kernels index at most {MAX_DIMS} dimensions after merging "
                           f"contiguous ones; got {len(shape)}: make the operands contiguous first")
    dims = [w for d, size in enumerate(shape) for w in (size, ports[0][d], ports[1][d], ports[2][d])]
    return dict(numel=math.prod(sizes), n=n, k=len(index_dims), ndim=len(shape), indexed_offset=offsets[0],
                plain_offset=offsets[1], dims=dims, index_strides=[stride for stride, _ in index_dims],
                index_sizes=[size for _, size in index_dims])


def _along_params(ishape, dim, xshape, indexed, indexed_offset, plain, plain_offset) -> list:
    """Parameters for gather-like ops: iterate over the index's shape ``ishape``; along ``dim`` the
    indexed side (of shape ``xshape``, strides ``indexed``) takes the index, elsewhere it follows
    the coordinates (broadcast where its size is 1)."""
    ind = [0 if d == dim or xshape[d] == 1 else indexed[d] for d in range(len(ishape))]
    return _map_params(ishape, ind, plain, contiguous_strides(ishape), [(indexed[dim], xshape[dim])],
                       math.prod(ishape), (indexed_offset, plain_offset))


# -- bounds ---------------------------------------------------------------------------------------
def _first_bad(backend, idx, n, sizes, negative_ok):
    """(row, value) of the first out-of-range index in (position, row) order, or None.

    One small kernel and a 4-byte read-back (the checked ops' only sync point); the value is read
    back only when there is an error to report. Memory that passed the same check and was not
    written since is not checked again (the runtime forgets a check at a write)."""
    runtime = backend.runtime
    with runtime.lock:  # no write between the check and its record
        handle_id = id(idx.storage.data.handle)
        passed = runtime.checked.get(handle_id)
        key = (idx.offset, idx.shape, idx.strides, idx.dtype, n, tuple(sizes), negative_ok)
        if passed is not None and key in passed:
            return None
        k = len(sizes)
        result = backend.full((1,), I32_MAX, dt.int32)
        params = dict(count=k * n, n=n, k=k, negative_ok=int(negative_ok), sizes=sizes)
        runtime.launch(_kernel("index_check.wgsl"), [backend.binding(idx)], [(result.data, 0, 4)], params,
                       k * n)
        first = struct.unpack("<i", runtime.read(result.data, 0, 4))[0]
        if first == I32_MAX:
            if passed is None or len(passed) >= 16:  # (a few layouts and sizes per buffer at most)
                passed = runtime.checked[handle_id] = set()
            passed.add(key)
            return None
    p, j = divmod(first, k)
    value = struct.unpack("<i", runtime.read(idx.storage.data, 4 * (j * n + p), 4))[0]
    return j, value


def _check_index(backend, idx, n, sizes):
    if len(sizes) > MAX_INDEXED:  # (before the bounds check, whose kernel takes as many rows)
        raise RuntimeError(f"webgpu indexing: too many indexed dimensions ({len(sizes)}) for one "
                           f"kernel; at most {MAX_INDEXED}")
    bad = _first_bad(backend, idx, n, sizes, True) if n else None
    if bad is not None:
        j, value = bad
        raise out_of_bounds(IndexError, value, j, sizes[j])


def _check_along(backend, idx, dim, size):
    bad = _first_bad(backend, idx, idx.numel(), [size], False) if idx.numel() else None
    if bad is not None:
        raise out_of_bounds(RuntimeError, bad[1], dim, size)


# -- the three scatter/gather kernels -------------------------------------------------------------
def _gather(backend, src, idx, out, params):
    source = _kernel("gather_indexed.wgsl", enable=_enable(src.dtype), type=wgsl_type(src.dtype))
    backend.runtime.launch(source, [backend.binding(src), backend.binding(idx)], [backend.binding(out)],
                           params, params["numel"])


def _claim(backend, idx, shape, params):
    """Each target's last writer (row-major position in the iteration shape), -1 where none."""
    winner = dense(backend.full(shape, -1, dt.int32), shape, dt.int32)
    backend.runtime.launch(_kernel("scatter_claim.wgsl"), [backend.binding(idx)],
                           [backend.binding(winner)], params, params["numel"])
    return winner


def _store(backend, src, idx, winner, out, params):
    source = _kernel("scatter_store.wgsl", enable=_enable(src.dtype), type=wgsl_type(src.dtype))
    reads = [backend.binding(src), backend.binding(idx), backend.binding(winner)]
    backend.runtime.launch(source, reads, [backend.binding(out)], params, params["numel"])


def _atomic(backend, src, idx, out, reduce, params):
    """Fold ``src`` into ``out`` (a fresh contiguous tensor) with ``reduce``, duplicates included."""
    ty = wgsl_type(out.dtype)
    kind = "b" if out.dtype is dt.bool_ else ty[0]
    native = _NATIVE.get(kind, {}).get(reduce)
    if native is not None:
        word, update = ty, f"    {native}(&out[t], v);"
    elif ty == "f16":
        word, update = "u32", _CAS_F16.format(combine=_FLOAT_COMBINE[reduce])
    elif ty == "f32":
        word, update = "u32", _CAS.format(value="v", load="bitcast<f32>(old)", combine=_FLOAT_COMBINE[reduce],
                                          store="bitcast<u32>(c)")
    else:  # an integer product
        word, update = ty, _CAS.format(value="v", load="old", combine="a * b", store="c")
    source = _kernel("scatter_atomic.wgsl", enable=_enable(src.dtype), src_type=wgsl_type(src.dtype),
                     word_type=word, update=update)
    backend.runtime.launch(source, [backend.binding(src), backend.binding(idx)], [_words(out.storage)],
                           params, params["numel"])


def _fresh(backend, shape, dtype):
    return dense(backend.allocate(math.prod(shape), dtype), shape, dtype)


def _identity(reduce, dtype) -> str:
    """What a target starts from when ``include_self=False`` drops its old value (a WGSL value of
    ``dtype``'s GPU type); only targets that receive at least one value get it."""
    ty = wgsl_type(dtype)
    if reduce in ("sum", "mean", "prod"):
        return f"{ty}({int(reduce == 'prod')})"
    if ty[0] == "f":
        return f"{ty}({_NEG_INF if reduce == 'amax' else _POS_INF})"
    if ty == "i32":
        return "i32(-2147483647 - 1)" if reduce == "amax" else "2147483647i"
    return "0u" if reduce == "amax" else "4294967295u"


# -- the ops --------------------------------------------------------------------------------------
def _index_layout(x, dims, bshape):
    """For the output of ``x[..., idx, ...]`` on ``dims``: its sizes, x's strides (0 on the index
    dims) and the index position strides (0 on x's own dims), in PyTorch's order."""
    rest = [(x.shape[d], x.strides[d], 0) for d in range(x.dim()) if d not in dims]
    index = [(n, 0, s) for n, s in zip(bshape, contiguous_strides(bshape))]
    if list(dims) == list(range(dims[0], dims[0] + len(dims))):  # adjacent: in place of the dims
        layout = rest[: dims[0]] + index + rest[dims[0]:]
    else:
        layout = index + rest
    return [n for n, _, _ in layout], [s for _, s, _ in layout], [p for _, _, p in layout]


@launcher("index")
def index(backend, op, inputs, attrs, out_meta):
    (x, packed), ((shape, dtype),) = inputs, out_meta
    dims = attrs["dims"]
    bshape = tuple(packed.shape[1:])
    n = math.prod(bshape)
    idx = _dense(backend, packed)
    _check_index(backend, idx, n, [x.shape[d] for d in dims])
    out = _fresh(backend, shape, dtype)
    sizes, strides, pstrides = _index_layout(x, dims, bshape)
    params = _map_params(sizes, strides, contiguous_strides(sizes), pstrides,
                         [(x.strides[d], x.shape[d]) for d in dims], n, (x.offset, 0))
    _gather(backend, x, idx, out, params)
    return [out.storage]


@launcher("index_put")
def index_put(backend, op, inputs, attrs, out_meta):
    (x, packed, values), ((shape, dtype),) = inputs, out_meta
    dims = attrs["dims"]
    bshape = tuple(packed.shape[1:])
    n = math.prod(bshape)
    idx = _dense(backend, packed)
    _check_index(backend, idx, n, [x.shape[d] for d in dims])
    out = _fresh(backend, shape, dtype)
    run_elementwise(backend, "a", [x], out)
    # the indexed side is the output itself, seen through the same layout as index's input
    sizes, strides, pstrides = _index_layout(out, dims, bshape)
    params = _map_params(sizes, strides, values.strides, pstrides,
                         [(out.strides[d], x.shape[d]) for d in dims], n, (0, values.offset))
    if attrs["accumulate"]:
        _atomic(backend, values, idx, out, "sum", params)
    else:
        _store(backend, values, idx, _claim(backend, idx, shape, params), out, params)
    return [out.storage]


def _as_1d(t):
    """Shape and strides, a 0-d tensor read as one element (the NumPy rules do the same)."""
    return (tuple(t.shape), tuple(t.strides)) if t.dim() else ((1,), (0,))


@launcher("gather", "take_along")
def gather(backend, op, inputs, attrs, out_meta):
    (x, index), ((shape, dtype),) = inputs, out_meta
    dim = attrs["dim"]
    xshape, xstrides = _as_1d(x)
    ishape, _ = _as_1d(index)
    idx = _dense(backend, index)
    if op.name == "gather":  # take_along's callers pass indices they computed, always in range
        _check_along(backend, idx, dim, xshape[dim])
    out = _fresh(backend, shape, dtype)
    params = _along_params(ishape, dim, xshape, xstrides, x.offset, contiguous_strides(ishape), 0)
    _gather(backend, x, idx, out, params)
    return [out.storage]


@launcher("put_along")
def put_along(backend, op, inputs, attrs, out_meta):
    (g, index), ((shape, dtype),) = inputs, out_meta
    dim = attrs["dim"]
    out = dense(backend.full(shape, 0, dtype), shape, dtype)
    oshape = tuple(shape) or (1,)
    ishape, _ = _as_1d(index)
    _, gstrides = _as_1d(g)
    idx = _dense(backend, index)
    params = _along_params(ishape, dim, oshape, contiguous_strides(oshape), 0, gstrides, g.offset)
    _store(backend, g, idx, _claim(backend, idx, shape, params), out, params)
    return [out.storage]


@launcher("scatter_reduce", "scatter_write", "scatter_add_write")
def scatter_reduce(backend, op, inputs, attrs, out_meta):
    (x, index, src), ((shape, dtype),) = inputs, out_meta
    dim, reduce, include_self = attrs["dim"], attrs["reduce"], attrs["include_self"]
    xshape, _ = _as_1d(x)
    ishape, _ = _as_1d(index)
    if tuple(src.shape) != tuple(index.shape):  # the rule reads src as index's shape
        src = _dense(backend, src)
        sstrides = contiguous_strides(ishape)
    else:
        sstrides = _as_1d(src)[1]
    idx = _dense(backend, index)
    _check_along(backend, idx, dim, xshape[dim])
    out = _fresh(backend, shape, dtype)
    params = _along_params(ishape, dim, xshape, contiguous_strides(xshape), 0, sstrides, src.offset)
    if reduce == "none" or not include_self:
        winner = _claim(backend, idx, shape, params)
    if reduce == "none":
        run_elementwise(backend, "a", [x], out)
        _store(backend, src, idx, winner, out, params)
        return [out.storage]
    if include_self:
        run_elementwise(backend, "a", [x], out)
    else:  # the targets that receive values start from the reduction's identity
        run_elementwise(backend, f"select(a, {_identity(reduce, dtype)}, b >= 0i)", [x, winner], out)
    _atomic(backend, src, idx, out, "sum" if reduce == "mean" else reduce, params)
    if reduce != "mean":
        return [out.storage]
    count = dense(backend.full(shape, int(include_self), dt.int32), shape, dt.int32)
    one = dense(backend.full((1,), 1, dt.int32), (1,), dt.int32)
    ones = _along_params(ishape, dim, xshape, contiguous_strides(xshape), 0, (0,) * len(ishape), 0)
    _atomic(backend, one, idx, count, "sum", ones)
    ty = wgsl_type(dtype)
    divide = {"f": f"a / {ty}(max(b, 1i))", "i": "floordiv_i32(a, max(b, 1i))", "u": "a / u32(max(b, 1i))"}
    mean = _fresh(backend, shape, dtype)
    run_elementwise(backend, divide[ty[0]], [out, count], mean)
    return [mean.storage]


@launcher("nonzero")
def nonzero(backend, op, inputs, attrs, out_meta):
    """Three passes: non-zero count per block of WORKGROUP, a scan of the counts (the multi-pass cumsum),
    then each element writes its coordinates at its block's first row plus its rank in the block."""
    (x,), ((shape, dtype),) = inputs, out_meta
    rows, ndim = shape
    out = backend.allocate(rows * ndim, dtype)
    if not rows * ndim:
        return [out]
    numel = x.numel()
    blocks = -(-numel // WORKGROUP)
    if ndim > MAX_NONZERO_DIMS:
        raise RuntimeError(f"webgpu nonzero supports at most {MAX_NONZERO_DIMS} dimensions")
    rshape, (rstrides,) = coalesce(tuple(x.shape), [tuple(x.strides)])
    params = dict(numel=numel, blocks=blocks, r=len(rshape), offset=x.offset, o=ndim, rows=rows,
                  read_sizes=rshape, read_strides=rstrides, sizes=tuple(x.shape))
    counts = backend.allocate(blocks, dt.int32)
    subs = dict(enable=_enable(x.dtype), type=wgsl_type(x.dtype), dim_vecs=MAX_NONZERO_DIMS // 4,
                truth=truth("x[offset]", wgsl_type(x.dtype)))
    launch = backend.runtime.launch
    counts_binding = (counts.data, 0, counts.nbytes)
    launch(specialise("nonzero_count.wgsl", **subs), [backend.binding(x)], [counts_binding], params,
           blocks * WORKGROUP)
    ends = backend.allocate(blocks, dt.int32)  # each block's last row + 1: an inclusive scan
    scan_into(backend, "cumsum", dense(counts, (blocks,), dt.int32), 0, False, ends)
    launch(specialise("nonzero_write.wgsl", **subs), [backend.binding(x), (ends.data, 0, ends.nbytes)],
           [(out.data, 0, out.nbytes)], params, blocks * WORKGROUP)
    return [out]
