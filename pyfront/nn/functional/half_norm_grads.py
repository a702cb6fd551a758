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

from ... import dtypes

from ...autograd import no_grad
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


def stored_batch_stats(input: Tensor, mean: Tensor, invstd: Tensor, eps: float):
    """(mean, 1 / std) of 16-bit ``input`` as torch's CPU training forward stores them in its dtype, read back
    as float32, from the float32 ``mean`` and ``invstd`` (over each channel, kept dims). Both sum in float32
    and round the mean once; float16's 1 / std is float32's rounded, while bfloat16's kernel rounds its sum
    of squares to bfloat16, divides it by the count in bfloat16 (c10's operators, each rounded) and takes
    1 / sqrt in float64 from that variance."""
    low = input.dtype
    if low is dtypes.bfloat16 and input.device.type == "cpu":
        x = input.float()
        m = mean.reshape((1,) * (x.dim() - mean.dim()) + tuple(mean.shape))
        dims = tuple(d for d in range(x.dim()) if m.shape[d] == 1)  # (instance_norm's: the spatial ones)
        var_sum = ((x - m) ** 2).sum(dims, keepdim=True).to(low).float()
        count = x.new_full((), x.numel() // m.numel()).to(low).float()
        var = (var_sum / count).to(low).double()
        invstd = (var + eps).rsqrt().float().reshape(mean.shape)
    return mean.to(low).float(), invstd.to(low).float()


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
    if _layout(g) != _layout(input) and (weight is None or weight.dtype is low):
        # a gradient of another memory format than the input's: torch's strided backward, in 16-bit steps
        grads = _strided_backward(g, input, weight, bias, mean.reshape(shape).to(low), None,
                                  invstd.reshape(shape).to(low), training, shape)
        return (*grads[:3], None, None, None, None)
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
    # (a float32 weight and bias beside the 16-bit input, torch's mixed kernel: their gradients in float32)
    dw = (dotp * invstd).to(weight.dtype).reshape(weight.shape) if weight is not None else None
    dbias = total.to(bias.dtype).reshape(bias.shape) if bias is not None else None
    return dx, dw, dbias, None, None, None, None


def strided(input: Tensor, *params) -> bool:
    """Whether torch runs 16-bit ``input``'s batch_norm through its strided (TensorIterator) kernels, which
    compute in the 16-bit dtype itself: an input neither contiguous nor channels-last, its ``params``
    (weight, bias, running stats) of its own dtype (a float32 one takes float32's kernels)."""
    return _layout(input) is None and all(p is None or p.dtype is input.dtype for p in params)


def _layout(t: Tensor):
    """Which of torch's dense norm kernels reads ``t``: "contiguous", "channels_last" or None (strided)."""
    from ...sparse import channels_last, channels_last_3d
    if t.is_contiguous():
        return "contiguous"
    layout = {4: channels_last, 5: channels_last_3d}.get(t.dim())
    return "channels_last" if layout is not None and t.is_contiguous(memory_format=layout) else None


def strided_batch_norm(input: Tensor, weight, bias, running_mean, running_var, eps: float, training: bool):
    """batch_norm of a strided 16-bit ``input`` as torch's TensorIterator kernels: ``((x - mean) * invstd)
    * w + b`` with each step rounded to the dtype (c10's 16-bit operators). Training stores the 16-bit mean
    (torch's mean) and 1 / sqrt of the float32 variance about it, taken in float64; evaluation's forward
    takes 1 / sqrt(var + eps) in 16-bit steps, its backward in float64, rounded once."""
    low, shape = input.dtype, (-1,) + (1,) * (input.dim() - 2)
    dims = (0,) + tuple(range(2, input.dim()))
    count = input.numel() // input.shape[1]
    with no_grad():
        if training:
            mean = input.detach().mean(dims, keepdim=True)
            var = ((input.detach().float() - mean.float()) ** 2).sum(dims, keepdim=True) / count
            invstd = _rsqrt64(var, eps).to(low)
            forward_invstd = invstd
        else:
            mean, var = running_mean.reshape(shape), running_var.reshape(shape)
            forward_invstd = 1 / (var + eps).sqrt()
            invstd = _rsqrt64(var.float(), eps).to(low)
    return Formula.apply(_strided_value, _strided_backward, input, weight, bias, mean, forward_invstd, invstd,
                         training, shape)


def _rsqrt64(var: Tensor, eps: float) -> Tensor:
    """float32 ``1 / sqrt(var + eps)`` taken in float64 as ATen's InvStd (float32 where there is none)."""
    return (var.double() + eps).rsqrt().float() if var.device.type == "cpu" else (var + eps).rsqrt()


def _strided_value(input, weight, bias, mean, invstd, _invstd, _training, shape):
    out = (input - mean) * invstd
    out = out if weight is None else out * weight.reshape(shape)
    return out if bias is None else out + bias.reshape(shape)


def _strided_backward(g, input, weight, bias, mean, _forward_invstd, invstd, training, shape):
    """torch's strided 16-bit batch_norm backward: the gradient's sum and its dot product with (x - mean)
    (each difference and product rounded) in float32, then each step of ``(g - mean(g) - (x - mean) * k) *
    invstd * w`` in the dtype, ``k = dotp * invstd * invstd / n`` too (the count itself rounded)."""
    low = input.dtype
    dims = (0,) + tuple(range(2, input.dim()))
    n = input.numel() // input.shape[1]
    count = input.new_full((), n).to(low)
    total = g.float().sum(dims, keepdim=True)
    centered = input - mean
    dotp = (centered * g).float().sum(dims, keepdim=True)
    w = weight.reshape(shape) if weight is not None else None
    if training:
        k = dotp.to(low) * invstd * invstd / count
        # the gradient's mean: bfloat16's from its rounded sum, float16's from the float32 sum (measured)
        g_mean = total.to(low) / count if low is dtypes.bfloat16 else (total / n).to(low)
        dx = (g - g_mean - centered * k) * invstd
    else:
        dx = g * invstd
    dx = dx if w is None else dx * w
    dw = (dotp * invstd.float()).to(low).reshape(weight.shape) if weight is not None else None
    dbias = total.to(low).reshape(bias.shape) if bias is not None else None
    return dx, dw, dbias, None, None, None, None, None
