"""Matrix products ``mm`` and ``bmm``: one register-blocked tiled kernel (shaders/matmul.wgsl).

Operands are read through their own strides, so a transposed, sliced or batch-broadcast operand
costs no copy. Each operand is staged into workgroup memory by one of three tile loaders, picked
from its layout: four elements at a time along K or along its rows where that dimension is
contiguous and 4-aligned, else one element at a time.

K is covered K_CHUNK at a time, one dispatch each adding to the output, so no invocation's loop
grows with K (lavapipe silently stopped a 65,536-long one at 47,663; other drivers have watchdogs).

Small float32 products (K <= SERIAL_MAX, at most FOLD_MAX multiply-adds) are a fused multiply-and-sum
instead (``_folded``): one dispatch without barriers. With fusion off (PYFRONT_FUSION=0) they
stay the tile kernel's, so the two paths are compared by the fusion tests.
"""
from __future__ import annotations

import math

from ....dtypes import complex64, float32
from ...storage import Layout, dense
from ..layout import gpu_itemsize, wgsl_type
from ..runtime import WORKGROUP, specialise
from . import launcher
from .. import fusion
from .complex import matmul as complex_matmul
from .elementwise import run_elementwise
from .reduce import SERIAL_MAX, fold

TILE = 64  # output tile edge: each of the WORKGROUP threads computes a 4x4 block of the tile
STEP = 16  # K per stage in workgroup memory
K_CHUNK = 512 * STEP  # K per dispatch: 512 stages, each ~25 loop iterations per invocation
assert (TILE // 4) ** 2 == WORKGROUP, "matmul.wgsl gives each thread a 4x4 block of the tile"
FOLD_MAX = 1 << 16  # float32 products up to this many multiply-adds are one fused multiply-and-sum


def _loader(batch_stride, row_stride, k_stride, offset, rows, k):
    """(loader file, vectorised?) for an operand with these strides, ``rows`` x ``k`` per batch."""
    aligned = offset % 4 == 0 and batch_stride % 4 == 0
    if k_stride == 1 and k % 4 == 0 and row_stride % 4 == 0 and aligned:
        return "matmul_load_k.wgsl", True
    if row_stride == 1 and rows % 4 == 0 and k_stride % 4 == 0 and aligned:
        return "matmul_load_rows.wgsl", True
    return "matmul_load_scalar.wgsl", False


def _strides3(t):
    """(batch, row, column) strides of a 2-D or 3-D operand, 0 along size-1 dims (any stride is
    valid there, and 0 keeps the vec4 alignment checks from failing on it)."""
    shape, strides = tuple(t.shape), t.strides
    if t.dim() == 2:
        shape, strides = (1, *shape), (0, *strides)
    return tuple(0 if size == 1 else st for size, st in zip(shape, strides))


def _folded(backend, full, operands, storage, dtype):
    """A small product as a sum over K of the products ``a[b, i, k] * b[b, k, j]``: a pending
    elementwise result over (batch, m, n, k) that the sum computes in its loads (fusion.py), so one
    dispatch, one thread per output (reduce_serial.wgsl) and no barriers. The tile kernel's 64 x 64
    tile is mostly empty for such sizes, and its barriers are its cost on CPU renderers: SwiftShader
    took 5-8 ms for each of the page's training example's 200 x 32 x 1 products, this 1-2 ms."""
    products = backend._elementwise(full, dtype, operands, "a * b")
    fold(backend, "sum", dense(products, full, dtype), (3,), storage, dtype)


@launcher("mm", "bmm")
def matmul(backend, op, inputs, attrs, out_meta):
    a, b = inputs
    ((shape, dtype),) = out_meta
    if dtype is complex64:
        return [complex_matmul(backend, lambda x, y, s: matmul(backend, op, [x, y], attrs, [(s, float32)])[0],
                               a, b, shape)]
    storage = backend.allocate(math.prod(shape), dtype)
    batch = shape[0] if len(shape) == 3 else 1
    m, n, k = a.shape[-2], b.shape[-1], a.shape[-1]
    if not batch * m * n:
        return [storage]
    a_batch, a_m, a_k = _strides3(a)
    b_batch, b_k, b_n = _strides3(b)
    full = (batch, m, n, k)
    products = batch * m * n * k  # the pending products hold a buffer: it must fit one binding
    if dtype is float32 and 0 < k <= SERIAL_MAX and products <= FOLD_MAX and fusion.fusable(full) \
            and 4 * products <= backend.runtime.pool.max_binding:
        operands = [Layout(a.storage, full, (a_batch, a_m, 0, a_k), a.offset, dtype),
                    Layout(b.storage, full, (b_batch, 0, b_n, b_k), b.offset, dtype)]
        _folded(backend, full, operands, storage, dtype)
        return [storage]
    ty = wgsl_type(dtype)
    acc = "f32" if ty in ("f32", "f16") else ty
    subs = dict(acc_type=acc, TILE=TILE, STEP=STEP)
    reads = []
    # per operand: strides as (batch, rows, K), row count and its parameter field
    operands = (("a", a, (a_batch, a_m, a_k), m, "m"), ("b", b, (b_batch, b_n, b_k), n, "n"))
    for x, t, st, rows, rows_field in operands:
        file, vec = _loader(*st, t.offset, rows, k)
        subs[f"load_{x}"] = specialise(file, x=x, acc_type=acc, rows=rows_field)
        subs[f"{x}_type"] = f"vec4<{ty}>" if vec else ty
        buf, _, nbytes = backend.binding(t)
        if vec:  # a vec4 array binding: whole vec4s, at least one (pool buffers are 256-byte multiples)
            vec_bytes = 4 * gpu_itemsize(dtype)
            nbytes = min(buf.size, max(1, -(-nbytes // vec_bytes)) * vec_bytes)
        reads.append((buf, 0, nbytes))
    # float16 chunks add up in a float32 scratch, converted once at the end (as one long sum would be)
    staged = ty == "f16" and k > K_CHUNK
    target = backend.allocate(math.prod(shape), float32) if staged else storage
    out_ty = "f32" if staged else ty
    source = specialise("matmul.wgsl", enable="enable f16;" if ty == "f16" else "", out_type=out_ty, **subs)
    tiles_m, tiles_n = -(-m // TILE), -(-n // TILE)
    for k0 in range(0, max(k, 1), K_CHUNK):
        params = dict(m=m, n=n, k=k, tiles_n=tiles_n, tiles_m=tiles_m, batch=batch, k_first=k0,
                      k_end=min(k, k0 + K_CHUNK),
                      a=dict(offset=a.offset, batch_stride=a_batch, row_stride=a_m, k_stride=a_k),
                      b=dict(offset=b.offset, batch_stride=b_batch, row_stride=b_n, k_stride=b_k))
        backend.runtime.launch(source, reads, [(target.data, 0, target.nbytes)], params,
                               batch * tiles_m * tiles_n * WORKGROUP)
    if staged:
        scratch = dense(target, shape, float32)
        run_elementwise(backend, "a", [scratch], dense(storage, shape, dtype))
    return [storage]


@launcher("addmm_bias")
def addmm(backend, op, inputs, attrs, out_meta):
    """``bias + mat1 @ mat2`` (F.linear's one op; float32): the tile kernel's product, then the bias added
    as add's pending elementwise result, which fusion computes with whatever reads it, so the op costs
    the dispatches a product and an add cost."""
    bias, a, b = inputs
    ((shape, dtype),) = out_meta
    (prod,) = matmul(backend, op, [a, b], {}, out_meta)
    # the bias broadcast along the rows: (m,) or (n, m), a zero stride where it repeats
    strides = tuple(0 if size == 1 else st for size, st in zip(bias.shape, bias.strides))
    strides = (0,) * (len(shape) - len(strides)) + strides
    row = Layout(bias.storage, tuple(shape), strides, bias.offset, dtype)
    return [backend._elementwise(shape, dtype, [dense(prod, shape, dtype), row], "a + b")]
