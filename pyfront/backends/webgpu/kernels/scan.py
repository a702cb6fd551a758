"""Scans: cumsum and cumprod along one dim (scan.wgsl, scan_serial.wgsl), and the row parameters
(scan_rows.wgsl) that the scan, softmax and sort kernels share."""
from __future__ import annotations

import math

from ....shape import contiguous_strides
from ...storage import dense
from ..layout import wgsl_type
from ..runtime import WORKGROUP, specialise
from ..strides import MAX_DIMS, TooManyDims, coalesce
from . import launcher

SERIAL_BELOW = 64  # rows shorter than this get one thread each
SEGMENT = 16  # elements each invocation of scan.wgsl folds
BLOCK = WORKGROUP * SEGMENT  # elements one workgroup scans

_FOLDS = {"cumsum": ("0", "acc + v"), "cumprod": ("1", "acc * v")}
# complex64's (vec2<f32>)
_COMPLEX_FOLDS = {"cumsum": ("0.0", "acc + v"), "cumprod": ("vec2<f32>(1.0, 0.0)", "cmul(acc, v)")}


def row_params(x, dim: int | None) -> tuple[int, int, dict]:
    """(rows M, row length N, the ``Rows`` parameters of scan_rows.wgsl) for the rows of ``x`` along
    ``dim`` (None: one row of the whole of a contiguous ``x``), written to a contiguous output of
    ``x``'s shape."""
    if dim is None or not x.dim():
        n = x.numel()
        m = 1 if n else 0
        return m, n, dict(m=m, n=n, offset=x.offset, in_stride=1, out_stride=1, nk=0, dims=())
    n = x.shape[dim]
    out_strides = contiguous_strides(x.shape)
    kept = [d for d in range(x.dim()) if d != dim]
    ports = [tuple(x.strides[d] for d in kept), tuple(out_strides[d] for d in kept)]
    sizes, (in_st, out_st) = coalesce(tuple(x.shape[d] for d in kept), ports)
    m = math.prod(sizes)
    if len(sizes) > MAX_DIMS:
        raise TooManyDims(f"webgpu row kernels index at most {MAX_DIMS} dimensions besides the row after "
                           f"merging contiguous ones; got {len(sizes)}: make the input contiguous first")
    dims = [w for d in zip(sizes, in_st, out_st) for w in (*d, 0)]
    return m, n, dict(m=m, n=n, offset=x.offset, in_stride=x.strides[dim], out_stride=out_strides[dim],
                      nk=len(sizes), dims=dims)


@launcher("cumsum", "cumprod")
def scan(backend, op, inputs, attrs, out_meta):
    (x,), ((shape, dtype),) = inputs, out_meta
    storage = backend.allocate(math.prod(shape), dtype)
    scan_into(backend, op.name, x, attrs["dim"], bool(attrs.get("reverse", False)), storage)
    return [storage]


def scan_into(backend, name, x, dim, reverse, storage):
    """Scan ``x`` along ``dim`` into ``storage`` (contiguous, ``x``'s shape and dtype).

    Rows of several BLOCKs take three passes (scan.wgsl): each block's total, a scan of the totals
    (this function again, on the rows x blocks totals), then each block from its carry-in."""
    from ....dtypes import float32
    m, n, rows = row_params(x, dim)
    if not m * n:
        return
    in_type = wgsl_type(x.dtype)
    acc_type = "f32" if in_type[0] == "f" else in_type  # float16 accumulates in float32
    identity, combine = _COMPLEX_FOLDS[name] if in_type == "vec2<f32>" else _FOLDS[name]
    subs = dict(enable="enable f16;" if in_type == "f16" else "", in_type=in_type, acc_type=acc_type,
                identity=f"{acc_type}({identity})", combine=combine, SEGMENT=SEGMENT, BLOCK=BLOCK)
    dst = (storage.data, 0, storage.nbytes)
    if n < SERIAL_BELOW:
        params = {"rows": rows, "reverse": int(reverse)}
        backend.runtime.launch(specialise("scan_serial.wgsl", **subs), [backend.binding(x)], [dst], params, m)
        return
    source = specialise("scan.wgsl", **subs)
    blocks = -(-n // BLOCK)
    params = {"rows": rows, "reverse": int(reverse), "blocks": blocks}
    acc_dtype = float32 if acc_type == "f32" else x.dtype
    carries = backend.allocate(m * blocks, acc_dtype)  # with one block: bound, never read
    if blocks > 1:
        totals = backend.allocate(m * blocks, acc_dtype)
        spare = backend.allocate(1, x.dtype)  # the totals pass's output binding, never written
        backend.runtime.launch(source, [backend.binding(x)], [(totals.data, 0, totals.nbytes),
                               (spare.data, 0, spare.nbytes)], {**params, "phase": 0}, m * blocks * WORKGROUP)
        scan_into(backend, name, dense(totals, (m, blocks), acc_dtype), 1, False, carries)
    backend.runtime.launch(source, [backend.binding(x)], [(carries.data, 0, carries.nbytes), dst],
                           {**params, "phase": 1}, m * blocks * WORKGROUP)
