"""The cpu's one-op rules of the fixed-window poolings (nn/functional/pooling.py).

There max and average pooling are composites (a pad, im2col, a max or a sum, a NaN pick, a gather, index
arithmetic): what the GPU and autograd run. Where no graph is recorded on the cpu (moments.one_kernel), each
instead runs as one op here whose NumPy rule takes the composite's steps on the arrays: the input padded
(with the dtype's lowest value for max, zeros for avg) so that every window lies inside it, the windows
read through a strided view, and for max the first maximum of each window (the last NaN where one is, as
torch's ``val > max or isnan(val)`` scan), its value gathered (a NaN's bits, a signed zero kept); for avg
the window sums taken from the composite's very (N, C, K, L) column array, so NumPy adds them in its order,
then divided as the composite divides. So the values are the composite's to the bit, in one dispatch.

No rule here has a VJP: a call that needs a gradient takes the composite.
"""
from __future__ import annotations

import math

from ... import dtypes as dt
from ..dispatch import apply
from ..registry import OpDef, register

__all__: list = []
METHODS = ""
INPLACE = ""


def _padded(np, x, kernel, stride, padding, dilation, out, fill):
    """``x`` padded on its last ``len(kernel)`` dims with ``fill``: ``padding`` before, and after as far as
    the last window reaches (cropped where it ends inside the input), as the composite's constant pad."""
    lead = x.ndim - len(kernel)
    before, crop = [(0, 0)] * lead, [slice(None)] * lead
    for n, k, st, p, d, o in zip(x.shape[lead:], kernel, stride, padding, dilation, out):
        needed = (o - 1) * st + d * (k - 1) + 1
        before.append((p, max(needed - n - p, 0)))
        crop.append(slice(0, needed))
    return np.pad(x, before, constant_values=fill)[tuple(crop)]


def _windows(np, x, kernel, stride, padding, dilation, out, fill):
    """``x``'s windows as a view ``lead + out + kernel``: each output's window elements, padding included."""
    nd = len(kernel)
    padded = _padded(np, x, kernel, stride, padding, dilation, out, fill)
    spans = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    view = np.lib.stride_tricks.sliding_window_view(padded, spans, axis=tuple(range(x.ndim - nd, x.ndim)))
    steps = (Ellipsis, *(slice(None, None, st) for st in stride), *(slice(None, None, d) for d in dilation))
    return view[steps]


# -- max pooling ------------------------------------------------------------------------------------------
def _max_pool_np(np, x, kernel, stride, padding, dilation, out, fill):
    nd = len(kernel)
    lead, sizes = x.shape[:-nd], x.shape[-nd:]
    windows = _windows(np, x, kernel, stride, padding, dilation, out, fill).reshape(
        *lead, *out, math.prod(kernel))
    which = windows.argmax(-1)  # the first maximum
    if windows.dtype.kind == "f":
        nan = np.isnan(windows)
        has_nan = nan.any(-1)
        if has_nan.any():  # the last NaN
            which = np.where(has_nan, windows.shape[-1] - 1 - nan[..., ::-1].argmax(-1), which)
    values = np.take_along_axis(windows, which[..., None], -1)[..., 0]
    # each maximum's flat index in its input plane: its window's start plus its offset, per dim
    index = np.zeros(which.shape, np.int64)
    offsets = np.unravel_index(which, kernel)
    for dim, (n, st, p, d, o) in enumerate(zip(sizes, stride, padding, dilation, out)):
        starts = (np.arange(o, dtype=np.int64) * st - p).reshape((o,) + (1,) * (nd - 1 - dim))
        index = index * n + (starts + offsets[dim] * d)
    return values, index


def _max_pool_infer(x, kernel, stride, padding, dilation, out, fill):
    shape = tuple(x.shape[:-len(kernel)]) + tuple(out)
    return [(shape, x.dtype), (shape, dt.int64)]


_max_pool_op = register(OpDef("max_pool_kernel", "other", _max_pool_infer, _max_pool_np, None))


def max_pool(input, kernel, stride, padding, dilation, out, fill):
    """(values, int64 flat indices) of the fixed-window max pool over ``input``'s last ``len(kernel)`` dims
    (``out`` their output sizes, ``fill`` the padding value), one op."""
    return apply(_max_pool_op, input, kernel=tuple(kernel), stride=tuple(stride), padding=tuple(padding),
                 dilation=tuple(dilation), out=tuple(out), fill=fill)


# -- average pooling --------------------------------------------------------------------------------------
def _avg_pool_np(np, x, kernel, stride, padding, out, divisor):
    """The composite's window sums of a 4-d ``x`` (over the contiguous (N, C, K, L) columns, as its sum
    adds them), divided by ``divisor``: a number, or the (H_out, W_out) factors."""
    n, c = x.shape[:2]
    windows = _windows(np, x, kernel, stride, padding, (1,) * len(kernel), out, 0)
    cols = np.ascontiguousarray(np.moveaxis(windows, (-2, -1), (2, 3))).reshape(
        n, c, math.prod(kernel), math.prod(out))
    total = np.add.reduce(cols, (2,)).reshape(n, c, *out)
    if isinstance(divisor, tuple):
        divisor = np.array(divisor, x.dtype)
    else:
        divisor = x.dtype.type(divisor)
    return total / divisor


def _avg_pool_infer(x, kernel, stride, padding, out, divisor):
    return [(tuple(x.shape[:2]) + tuple(out), x.dtype)]


_avg_pool_op = register(OpDef("avg_pool_kernel", "other", _avg_pool_infer, _avg_pool_np, None))


def avg_pool(input, kernel, stride, padding, out, divisor):
    """The fixed-window average pool of a 4-d float32 or float64 ``input``, one op: each window's sum (its
    zero padding included) divided by ``divisor`` (a number, or a tuple of rows of per-output factors)."""
    return apply(_avg_pool_op, input, kernel=tuple(kernel), stride=tuple(stride), padding=tuple(padding),
                 out=tuple(out), divisor=divisor)
