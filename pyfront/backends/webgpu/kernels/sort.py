"""argsort (stable, both directions) by bitonic sorting networks, and median of everything by a sort.

Rows of up to SORT_BLOCK elements sort in one kernel, a workgroup per row in workgroup memory
(sort_rows.wgsl). Longer rows take several passes over scratch keys and indices: sort_keys.wgsl,
sort_block.wgsl for the stages that fit a block, one sort_step.wgsl dispatch per longer step,
then sort_write.wgsl.
"""
from __future__ import annotations

import math

from .... import dtypes as dt
from ...storage import dense
from ..layout import wgsl_type
from ..runtime import WORKGROUP, specialise
from . import launcher
from .elementwise import run_elementwise
from .scan import row_params

SORT_BLOCK = 2048  # elements sorted in workgroup memory (two u32 arrays: 16 KiB)

# an expression of v whose unsigned order is v's order (signed: the sign bit flipped)
_KEYS = {"f32": "float_key(v)", "f16": "float_key(f32(v))", "i32": "bitcast<u32>(v) ^ 0x80000000u",
         "u32": "v"}


def _source(name: str, dtype) -> str:
    ty = wgsl_type(dtype)
    return specialise(name, enable="enable f16;" if ty == "f16" else "", in_type=ty, key=_KEYS[ty],
                      SORT_BLOCK=SORT_BLOCK)


def argsort_into(backend, x, dim, descending: bool, out) -> None:
    """The stable sort order of ``x`` along ``dim`` (None: all of a contiguous ``x``) into the
    contiguous int64 tensor ``out`` of ``x``'s shape."""
    size = 1 << max(0, (x.shape[dim] if dim is not None and x.dim() else x.numel()) - 1).bit_length()
    m, n, rows = row_params(x, dim)
    params = {"rows": rows, "descending": int(descending), "size": size}
    if not m * n:
        return
    run = backend.runtime.launch
    dst = (out.storage.data, 0, out.storage.nbytes)
    if size <= SORT_BLOCK:
        run(_source("sort_rows.wgsl", x.dtype), [backend.binding(x)], [dst], params, m * WORKGROUP)
        return
    total = m * size
    keys, ids = backend.allocate(total, dt.int32), backend.allocate(total, dt.int32)
    scratch = [(keys.data, 0, keys.nbytes), (ids.data, 0, ids.nbytes)]
    run(_source("sort_keys.wgsl", x.dtype), [backend.binding(x)], scratch, params, total)
    block, step = _source("sort_block.wgsl", dt.int32), _source("sort_step.wgsl", dt.int32)
    blocks = total // SORT_BLOCK

    def stages(first, last):
        run(block, [], scratch, dict(blocks=blocks, size=size, first=first, last=last), blocks * WORKGROUP)

    stages(2, SORT_BLOCK)
    k = 2 * SORT_BLOCK
    while k <= size:  # merge stage k: the long steps in global memory, the rest within blocks
        j = k // 2
        while j >= SORT_BLOCK:
            run(step, [], scratch, {"rows": m, "size": size, "k": k, "j": j}, total // 2)
            j //= 2
        stages(k, k)
        k *= 2
    run(_source("sort_write.wgsl", dt.int32), [scratch[1]], [dst], params, m * n)


@launcher("argsort")
def argsort(backend, op, inputs, attrs, out_meta):
    (x,), ((shape, dtype),) = inputs, out_meta
    out = dense(backend.allocate(math.prod(shape), dtype), shape, dtype)
    argsort_into(backend, x, attrs["dim"], attrs["descending"], out)
    return [out.storage]


@launcher("median")
def median(backend, op, inputs, attrs, out_meta):
    (x,), ((shape, dtype),) = inputs, out_meta
    n = x.numel()
    if not n:  # no identity: NaN for floats, the lowest value for integers, as PyTorch
        return [backend.full(shape, math.nan if dtype.is_floating_point else dt.iinfo(dtype).min, dtype)]
    if not x.is_contiguous():
        flat = dense(backend.allocate(n, x.dtype), x.shape, x.dtype)
        run_elementwise(backend, "a", [x], flat)
        x = flat
    order = dense(backend.allocate(n, dt.int64), (n,), dt.int64)
    argsort_into(backend, x, None, False, order)
    storage = backend.allocate(1, dtype)
    ty = wgsl_type(dtype)
    source = specialise("median.wgsl", enable="enable f16;" if ty == "f16" else "", type=ty,
                        is_nan="is_nan_f32(f32(v))" if ty[0] == "f" else "false")
    backend.runtime.launch(source, [backend.binding(x), backend.binding(order)],
                           [(storage.data, 0, storage.nbytes)], {"n": n, "offset": x.offset}, 1)
    return [storage]
