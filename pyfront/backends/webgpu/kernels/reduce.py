"""Reductions: sum, prod, amax, amin, all, any (reduce.wgsl) and argmax/argmin (arg_reduce.wgsl)."""

from __future__ import annotations

import math

from ...storage import dense
from ..layout import truth, wgsl_type
from ..runtime import WORKGROUP, specialise
from ..strides import TooManyDims, coalesce
from . import launcher
from .. import fusion
from ....dtypes import complex64, float32, int32, uint8

# Outputs that fold at most this many elements get one thread each (reduce_serial.wgsl): where a
# workgroup of WORKGROUP threads would load at most one element each, its tree of log2(WORKGROUP)
# barrier rounds costs more than one thread's short loop, and CPU renderers run a barrier as a switch
# between all the workgroup's threads (SwiftShader: ~1.5 ms a workgroup; a 32 x 200 sum took 54 ms).
SERIAL_MAX = WORKGROUP
CHUNK = 16384  # elements one workgroup folds before a second pass combines the partials
ARG_CHUNK = 4096  # candidates one argmax/argmin thread scans per pass (arg_reduce.wgsl's CHUNK)
MAX_SIDE_DIMS = 12  # kept or reduced dims a reduction indexes, after merging contiguous ones

_NEG_INF, _POS_INF = "f32_from_bits(0xff800000u)", "f32_from_bits(0x7f800000u)"
# NaN wins; at a tie (0.0 with -0.0) the earlier element stays, as torch's loop over rows of up to 32
# (not WGSL's max, which may return either zero)
_NAN_MAX = "select(select(acc, v, v > acc), acc + v, is_nan_f32(acc) || is_nan_f32(v))"
_NAN_MIN = "select(select(acc, v, v < acc), acc + v, is_nan_f32(acc) || is_nan_f32(v))"

# A whole float32 max()/min() that is a zero takes the sign of the zero torch's CPU vector kernel keeps
# (ops/primitives/reductions.py's _vector_kernel_zero, the rule on cpu): element j is accumulated in lane
# j % 8, each lane keeps its last zero, the lanes' own fold prefers lane 7, 3, 5, 1, 6, 2, 4, 0 (the
# descending order of j % 8 with its three bits reversed); under 8 elements, the last zero. The zero_key
# fold takes the largest such key of the zeros, the zero's sign bit in its low bit (zero_sign.wgsl then
# signs the result); keys fit 32 bits for up to 2^30 elements (beyond any binding).
_LANE_RANK = "(((j & 1u) << 2u) | (j & 2u) | ((j >> 2u) & 1u))"
# (every shift in parentheses: WGSL's grammar refuses a shift beside a bitwise or, as Chrome's compiler
# does; naga, natively, lets it pass)
_ZERO_KEY = (f"select(0u, select(j << 1u, ({_LANE_RANK} << 28u) | ((j >> 3u) << 1u), params.n >= 8u)"
             " | (bitcast<u32>(f32(${v})) >> 31u), f32(${v}) == 0.0)")

# op -> kind of accumulator -> (identity, combine)
_FOLDS = {
    "sum": {"f": ("0.0", "acc + v"), "i": ("0i", "acc + v"), "u": ("0u", "acc + v"),
            "v": ("0.0", "acc + v")},  # (complex64: vec2<f32>, its parts summed apart, as torch's)
    "prod": {"f": ("1.0", "acc * v"), "i": ("1i", "acc * v"), "u": ("1u", "acc * v"),
             "v": ("vec2<f32>(1.0, 0.0)", "cmul(acc, v)")},
    "amax": {
        "f": (_NEG_INF, _NAN_MAX),
        "i": ("-2147483647i - 1i", "max(acc, v)"),
        "u": ("0u", "max(acc, v)"),
    },
    "amin": {
        "f": (_POS_INF, _NAN_MIN),
        "i": ("2147483647i", "min(acc, v)"),
        "u": ("4294967295u", "min(acc, v)"),
    },
    "zero_key": {"u": ("0u", "max(acc, v)")},  # (loads: _ZERO_KEY)
    "all": {"*": ("1u", "acc & v")},
    "any": {"*": ("0u", "acc | v")},
}


def split_dims(x, dims):
    """(kept sizes, kept strides, reduced sizes, reduced strides), each side merged where contiguous."""
    kept = [d for d in range(x.dim()) if d not in dims]
    ks, (kst,) = coalesce(tuple(x.shape[d] for d in kept), [tuple(x.strides[d] for d in kept)])
    rs, (rst,) = coalesce(tuple(x.shape[d] for d in dims), [tuple(x.strides[d] for d in dims)])
    # the kernels index at least one dim on each side
    return (ks or (1,)), (kst or (0,)), (rs or (1,)), (rst or (0,))


def _params(x, dims):
    """(m outputs, n elements each, the kernel's dim placeholders, its parameters; chunks 1)."""
    ks, kst, rs, rst = split_dims(x, dims)
    if max(len(ks), len(rs)) > MAX_SIDE_DIMS:
        raise TooManyDims(f"webgpu reductions index at most {MAX_SIDE_DIMS} kept and {MAX_SIDE_DIMS} "
                           f"reduced dimensions after merging contiguous ones; make the input contiguous")
    m, n = math.prod(ks), math.prod(rs)
    dims = dict(nk=len(ks), nr=len(rs), kept_vecs=-(-len(ks) // 4), reduced_vecs=-(-len(rs) // 4))
    return m, n, dims, dict(m=m, n=n, offset=x.offset, chunks=1, kept_sizes=ks, kept_strides=kst,
                            reduced_sizes=rs, reduced_strides=rst)


@launcher("sum", "prod", "amax", "amin", "all", "any")
def reduce(backend, op, inputs, attrs, out_meta):
    (x,), ((shape, dtype),) = inputs, out_meta
    storage = backend.allocate(math.prod(shape), dtype)
    dims = attrs["dims"] if x.dim() else ()
    fold(backend, op.name, x, dims, storage, dtype)
    if attrs.get("nan_bits") == "ones" and shape == () and dtype is float32:  # a whole max()/min()/aminmax()
        _sign_zero(backend, x, dims, storage)
    return [storage]


def _sign_zero(backend, x, dims, storage):
    """Where the one result in ``storage`` is a zero, the sign torch's CPU kernel gives it (see _ZERO_KEY).
    A second fold and a launch on every whole float32 max()/min(), on purpose: whether the result is a zero
    is only known on the GPU, and a read-back to ask would cost more. (Carrying the key as a second
    accumulator of the first fold would save them; not done.)"""
    key = backend.allocate(1, uint8)  # (a u32 lane)
    fold(backend, "zero_key", x, dims, key, uint8)
    backend.runtime.launch(specialise("zero_sign.wgsl"), [(key.data, 0, key.nbytes)],
                           [(storage.data, 0, storage.nbytes)], {"numel": 1}, 1)


def fold(backend, name, x, dims, storage, dtype):
    """Fold ``x`` over ``dims`` into ``storage`` (contiguous, ``dtype``) with reduction ``name``."""
    m, n, dim_subs, params = _params(x, dims)
    in_type, out_type = wgsl_type(x.dtype), wgsl_type(dtype)
    logical = name in ("all", "any")
    acc_type = "u32" if logical or name == "zero_key" else ("f32" if in_type[0] == "f" else in_type)
    chunks = max(1, n // CHUNK) if n > SERIAL_MAX else 1
    if chunks > 1:  # two passes: partial folds of CHUNK elements, then a fold of the partials
        partial_dtype = {"f32": float32, "i32": int32, "u32": uint8, "vec2<f32>": complex64}[acc_type]
        partial = backend.allocate(m * chunks, partial_dtype)
        _launch(
            backend,
            name,
            x,
            {**params, "chunks": chunks},
            m,
            n,
            dim_subs,
            chunks,
            partial,
            in_type,
            acc_type,
            acc_type,
            logical,
            final=False,
        )
        # (the partial keys fold by their maximum)
        partials = dense(partial, (m, chunks), partial_dtype)
        fold(backend, "amax" if name == "zero_key" else name, partials, (1,), storage, dtype)
        return
    _launch(
        backend, name, x, params, m, n, dim_subs, 1, storage, in_type, out_type, acc_type, logical, final=True
    )


def _launch(
    backend, name, x, params, m, n, dim_subs, chunks, storage, in_type, out_type, acc_type, logical, final
):
    folds = _FOLDS[name]
    identity, combine = folds.get(acc_type[0], folds.get("*"))
    serial = n <= SERIAL_MAX
    # a pending elementwise input is computed in the loads (fusion.py): one dispatch, not two
    with backend.runtime.lock:  # the chain's inputs are read as they are now: no thread writes them between
        own_bytes = 16 + 32 * (dim_subs["kept_vecs"] + dim_subs["reduced_vecs"])  # reduce_index.wgsl's fields
        fused = fusion.reduce_input(backend, x, own_bytes)
        if fused is None:
            reads, uses_f16 = [backend.binding(x)], False
            text = f"@group(0) @binding(0) var<storage, read> inp: array<{in_type}>;"
            value, fused_params = "inp[i]", ""
        else:
            reads, text, uses_f16, params["fused"] = fused
            value, fused_params = "chain(i)", "    fused: Fused,"
        # all/any fold "is nonzero" bits, whatever the input type
        load = f"select(0u, 1u, {truth(value, in_type)})" if logical else f"{acc_type}({value})"
        if name == "zero_key":
            load = _ZERO_KEY.replace("${v}", value)
        source = specialise(
            "reduce_serial.wgsl" if serial else "reduce.wgsl",
            enable="enable f16;" if uses_f16 or "f16" in (in_type, out_type) else "",
            in_type=in_type,
            out_type=out_type,
            acc_type=acc_type,
            identity=f"{acc_type}({identity})",
            combine=combine,
            finish=f"{out_type}(acc)",
            input=text,
            load=load,
            out_binding=len(reads),
            params_binding=len(reads) + 1,
            fused_params=fused_params,
            **dim_subs,
        )
        threads = m if serial else m * chunks * WORKGROUP
        backend.runtime.launch(source, reads, [(storage.data, 0, storage.nbytes)], params, threads)


@launcher("argmax", "argmin")
def arg_reduce(backend, op, inputs, attrs, out_meta):
    """Passes of arg_reduce.wgsl, each leaving one winner per ARG_CHUNK candidates, until one is left."""
    (x,), ((shape, dtype),) = inputs, out_meta
    storage = backend.allocate(math.prod(shape), dtype)
    dim = attrs["dim"]
    dims = tuple(range(x.dim())) if dim is None else ((dim,) if x.dim() else ())
    m, n, dim_subs, params = _params(x, dims)
    in_type = wgsl_type(x.dtype)
    cmp = ">" if op.name == "argmax" else "<"
    better = f"v {cmp} best"
    if in_type[0] == "f":
        better = f"(is_nan_f32(f32(v)) && !is_nan_f32(f32(best))) || (!is_nan_f32(f32(best)) && v {cmp} best)"
    winners = backend.allocate(1, int32)  # the first pass reads no winners
    candidate = "c"
    while True:
        chunks = -(-n // ARG_CHUNK)
        source = specialise("arg_reduce.wgsl", enable="enable f16;" if in_type == "f16" else "",
                            fused_params="",
                            in_type=in_type, better=better, candidate=candidate, CHUNK=ARG_CHUNK, **dim_subs)
        out = storage if chunks == 1 else backend.allocate(m * chunks, int32)
        backend.runtime.launch(source, [backend.binding(x), (winners.data, 0, winners.nbytes)],
                               [(out.data, 0, out.nbytes)], {**params, "n": n, "chunks": chunks},
                               m * chunks)
        if chunks == 1:
            return [storage]
        winners, n, candidate = out, chunks, "u32(ids[m * params.n + c])"
