"""The float16 and bfloat16 gradients of the norm layers as torch's CPU backward kernels compute them.

torch's forward of a 16-bit norm keeps its statistics (mean, 1 / std) in the input's dtype, and its
backward is one kernel that reads them so rounded, computes the input's gradient in float32 per row (a few
per-row numbers, then one float32 expression per element) and rounds it once; layer_norm's sums the
weight's and bias's gradients into 16-bit per-thread buffers (ops/half_cpu.thread_buffer_sum), group and
batch norm's in float32, rounded once. The float32 steps below follow the kernel's order, so each float32
rounding is its own too; only its sums over a row may add in another order (its vector lanes), which moves
a gradient by an ulp now and then.
"""
from __future__ import annotations

import math

from ...ops.common import Formula
from ...ops.dispatch import apply
from ...ops.primitives.reductions import thread_buffer_sum
from ...tensor import Tensor


def _buffered(rows: Tensor, low) -> Tensor:
    """The column sums of float32 ``rows`` in torch's 16-bit per-thread buffers. Without NumPy (the
    browser build), which computes those buffers on every device, the float32 sum rounded once: the
    same to an ulp, where an error would stop a float16 model's training in the page."""
    from ...backends import host_numpy
    from ...process import get_num_threads
    if host_numpy() is None:
        return rows.sum(0).to(low)
    return apply(thread_buffer_sum, rows, dtype=low, threads=get_num_threads())


def _stored_stats(x: Tensor, eps: float, low):
    """(mean, rstd) of each row of float32 ``x`` (kept), as the 16-bit forward stores them: read back as
    float32."""
    from .normalization import _moments
    mean, var = _moments(x, (-1,))
    return mean.to(low).float(), (var + eps).rsqrt().to(low).float()


def layer_norm(value, input: Tensor, weight, bias, eps: float, dims: tuple) -> Tensor:
    """``value(input, weight, bias, eps, dims)``, layer_norm's forward, differentiated as torch's 16-bit
    LayerNormBackwardKernel: ``dx = (a * dy) * w + b * x + c`` per row (a the stored rstd), rounded once."""
    return Formula.apply(value, _layer_norm_backward, input, weight, bias, eps, dims)


def _layer_norm_backward(g, input, weight, bias, eps, dims):
    low = input.dtype
    n = 1
    for d in dims:
        n *= input.shape[d]
    x = input.float().reshape(-1, n)
    dy = g.float().reshape(-1, n)
    w = weight.float().reshape(n) if weight is not None else None
    mean, a = _stored_stats(x, eps, low)
    scale = 1 / n if n else 0.0
    dyw = dy if w is None else dy * w
    ds = (dy * x if w is None else dy * x * w).sum(-1, keepdim=True)
    db = dyw.sum(-1, keepdim=True)
    b = (db * mean - ds) * a * a * a * scale
    c = -b * mean - db * a * scale
    dx = ((a * dy if w is None else a * dy * w) + b * x + c).to(low).reshape(input.shape)
    dw = _buffered(dy * (a * x + -a * mean), low).reshape(weight.shape) if weight is not None else None
    dbias = _buffered(dy, low).reshape(bias.shape) if bias is not None else None
    return dx, dw, dbias, None, None


def group_norm(value, input: Tensor, weight, bias, eps: float, num_groups: int) -> Tensor:
    """``value(input, weight, bias, eps, num_groups)``, group_norm's forward, differentiated as torch's
    16-bit GroupNormBackwardKernel: per (sample, channel) float32 sums ds = sum(dy * x), db = sum(dy); per
    group ``dx = rstd * w * dy + c2 * x + c3`` rounded once; the weight's and bias's gradients summed over the
    batch in float32 and rounded once."""
    return Formula.apply(value, _group_norm_backward, input, weight, bias, eps, num_groups)


def _group_norm_backward(g, input, weight, bias, eps, groups):
    low = input.dtype
    n, c = input.shape[:2]
    per = c // groups
    x = input.float().reshape(n, groups, per, math.prod(input.shape[2:]))
    dy = g.float().reshape(x.shape)
    mean, rstd = _stored_stats(x.reshape(n, groups, per * x.shape[-1]), eps, low)  # (n, groups, 1)
    ds, db = (dy * x).sum(-1), dy.sum(-1)  # (n, groups, per)
    w = weight.float().reshape(groups, per) if weight is not None else None
    ds_w, db_w = (ds, db) if w is None else (ds * w, db * w)
    ds_g, db_g = ds_w.sum(-1, keepdim=True), db_w.sum(-1, keepdim=True)
    s = 1 / (per * x.shape[-1]) if x.numel() else 0.0
    c2 = (db_g * mean - ds_g) * rstd * rstd * rstd * s
    c3 = -c2 * mean - db_g * rstd * s
    c1 = rstd if w is None else rstd * w
    dx = (c1.unsqueeze(-1) * dy + c2.unsqueeze(-1) * x + c3.unsqueeze(-1)).to(low).reshape(input.shape)
    dw = ((ds - db * mean) * rstd).sum(0).to(low).reshape(c) if weight is not None else None
    dbias = db.sum(0).to(low).reshape(c) if bias is not None else None
    return dx, dw, dbias, None, None


def batch_norm(value, input: Tensor, weight, bias, mean: Tensor, invstd: Tensor, training: bool, shape):
    """``value(input, weight, bias, mean, invstd, training, shape)``, batch_norm's forward from float32
    ``mean`` and ``invstd`` of shape ``shape`` (in training the 16-bit stored ones), differentiated as
    torch's 16-bit batch_norm backward kernel: per channel float32 sums of dy and (x - mean) * dy, then
    ``dx = (dy - sum / n - (x - mean) * k) * invstd * w`` (``dy * invstd * w`` in evaluation), rounded once,
    and the weight's and bias's gradients rounded once from those sums."""
    return Formula.apply(value, _batch_norm_backward, input, weight, bias, mean, invstd, training, shape)


def _batch_norm_backward(g, input, weight, bias, mean, invstd, training, shape):
    low = input.dtype
    x, dy = input.float(), g.float()
    dims = (0,) + tuple(range(2, x.dim()))
    mean, invstd = mean.reshape(shape), invstd.reshape(shape)
    centered = x - mean
    total, dotp = dy.sum(dims, keepdim=True), (centered * dy).sum(dims, keepdim=True)
    if training:
        n = x.numel() // x.shape[1]
        dx = dy - total / n - centered * (dotp * invstd * invstd / n)
        dx = dx * invstd
    else:
        dx = dy * invstd
    dx = (dx if weight is None else dx * weight.float().reshape(shape)).to(low)
    dw = (dotp * invstd).to(low).reshape(weight.shape) if weight is not None else None
    dbias = total.to(low).reshape(bias.shape) if bias is not None else None
    return dx, dw, dbias, None, None, None, None
