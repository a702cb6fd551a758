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
    shape, inside, read = list(x.shape[:lead]), [slice(None)] * lead, [slice(None)] * lead
    for n, k, st, p, d, o in zip(x.shape[lead:], kernel, stride, padding, dilation, out):
        needed = (o - 1) * st + d * (k - 1) + 1
        shape.append(needed)
        inside.append(slice(p, min(p + n, needed)))
        read.append(slice(0, min(n, needed - p)))
    if not any(padding) and all(n >= m for n, m in zip(x.shape[lead:], shape[lead:])):
        return x  # (no padding, and the windows end inside: only their view is read)
    padded = np.full(shape, fill, x.dtype)
    padded[tuple(inside)] = x[tuple(read)]
    return padded


def _windows(np, x, kernel, stride, padding, dilation, out, fill):
    """``x``'s windows as a strided view ``lead + out + kernel``: each output's window elements, padding
    included."""
    nd = len(kernel)
    padded = _padded(np, x, kernel, stride, padding, dilation, out, fill)
    lead, steps = padded.shape[:-nd], padded.strides[-nd:]
    return np.lib.stride_tricks.as_strided(
        padded, (*lead, *out, *kernel),
        (*padded.strides[:-nd], *(s * st for s, st in zip(steps, stride)),
         *(s * d for s, d in zip(steps, dilation))), writeable=False)


def _first_max(np, windows):
    """(value, offset) of each row of (M, K) ``windows`` as torch's ``val > max or isnan(val)`` scan picks:
    the first maximum, or the last NaN; the value gathered there (a NaN's bits, a signed zero kept)."""
    which = windows.argmax(-1)  # the first maximum (the first NaN, where one is)
    rows = np.arange(len(which))
    values = windows[rows, which]
    if windows.dtype.kind == "f" and np.isnan(values).any():  # torch's pick there: the last NaN
        nan = np.isnan(windows)
        which = np.where(nan.any(-1), windows.shape[-1] - 1 - nan[:, ::-1].argmax(-1), which)
        values = windows[rows, which]
    return values, which


def _first_inside(np, x, which, lowest, kernel, stride, padding, dilation, out):
    """``which`` with each ``lowest`` row's offset (a window whose real values all equal the padding's)
    moved to its window's first in-bounds element, where torch's scan starts and stays (none is greater):
    the padding's equal cells come first in a window at the top or left edge."""
    nd = len(kernel)
    inside = _windows(np, np.ones(x.shape[-nd:], bool), kernel, stride, padding, dilation, out, False)
    first = inside.reshape(-1, math.prod(kernel)).argmax(-1)  # one per window position
    first = np.broadcast_to(first, (*x.shape[:-nd], len(first))).reshape(-1)
    return np.where(lowest, first, which)


# -- max pooling ------------------------------------------------------------------------------------------
def _max_pool_np(np, x, kernel, stride, padding, dilation, out, fill):
    nd, size = len(kernel), math.prod(kernel)
    windows = _windows(np, x, kernel, stride, padding, dilation, out, fill).reshape(-1, size)
    values, which = _first_max(np, windows)
    if any(padding) and (values == fill).any():  # (rare: a window whose real values are all the lowest)
        which = _first_inside(np, x, which, values == fill, kernel, stride, padding, dilation, out)
    # each maximum's flat index in its input plane: its window's start plus its offset, per dim
    shape = (*x.shape[:-nd], *out)
    which = which.reshape(shape)
    index, inner = 0, size
    for dim, (n, k, st, p, d, o) in enumerate(zip(x.shape[-nd:], kernel, stride, padding, dilation, out)):
        inner //= k
        starts = (np.arange(o, dtype=np.int64) * st - p).reshape((o,) + (1,) * (nd - 1 - dim))
        index = index * n + (starts + (which // inner % k) * d)
    return values.reshape(shape), index


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
    """The composite's window sums of ``x`` (N, C and the pooled dims: over the contiguous (N, C, K, L)
    columns, as its sum adds them), divided by ``divisor``: a number, or each pooled dim's factors, whose
    products (in integers, then in ``x``'s dtype) the composite divides by."""
    n, c, nd = x.shape[0], x.shape[1], len(kernel)
    windows = _windows(np, x, kernel, stride, padding, (1,) * nd, out, 0)
    cols = np.ascontiguousarray(np.moveaxis(windows, tuple(range(-nd, 0)), tuple(range(2, 2 + nd)))).reshape(
        n, c, math.prod(kernel), math.prod(out))
    total = np.add.reduce(cols, (2,)).reshape(n, c, *out)
    if isinstance(divisor, tuple):
        sizes = np.array(divisor[0], np.int64)
        for factors in divisor[1:]:
            sizes = np.multiply.outer(sizes, np.array(factors, np.int64))
        return total / sizes.astype(x.dtype)
    return total / x.dtype.type(divisor)


def _avg_pool_infer(x, kernel, stride, padding, out, divisor):
    return [(tuple(x.shape[:2]) + tuple(out), x.dtype)]


_avg_pool_op = register(OpDef("avg_pool_kernel", "other", _avg_pool_infer, _avg_pool_np, None))


def avg_pool(input, kernel, stride, padding, out, divisor):
    """The fixed-window average pool of a float32 or float64 ``input`` (N, C and the pooled dims), one op:
    each window's sum (its zero padding included) divided by ``divisor`` (a number, or each pooled dim's
    factors)."""
    return apply(_avg_pool_op, input, kernel=tuple(kernel), stride=tuple(stride), padding=tuple(padding),
                 out=tuple(out), divisor=divisor)


# -- adaptive pooling -------------------------------------------------------------------------------------
def _adaptive_windows(np, size, out):
    """Each output's window ``[floor(i * size / out), ceil((i + 1) * size / out))`` along one dim, as the
    composite gathers it: (out, k) positions (k the longest window; a short one repeats its last), which of
    them are its own, and each window's length."""
    i = np.arange(out, dtype=np.int64)
    starts, ends = i * size // out, -(-(i + 1) * size // out)
    reach = starts[:, None] + np.arange(int((ends - starts).max()), dtype=np.int64)
    return np.minimum(reach, ends[:, None] - 1), reach < ends[:, None], ends - starts


def _adaptive_avg_np(np, x, sizes):
    """_adaptive_avg's steps (nn/functional/pooling.py): each dim's windows gathered, the repeats replaced by
    0 and summed (the contiguous gather's order), then divided once by the windows' areas."""
    nd, area = len(sizes), None
    for i, out in enumerate(sizes):
        d = x.ndim - nd + i
        index, valid, lengths = _adaptive_windows(np, x.shape[d], out)
        trail = (1,) * (x.ndim - d - 1)
        g = np.take(x, index.reshape(-1), axis=d).reshape(*x.shape[:d], *index.shape, *x.shape[d + 1:])
        x = np.add.reduce(np.where(valid.reshape(*index.shape, *trail), g, x.dtype.type(0)), d + 1)
        counts = lengths.astype(x.dtype).reshape(out, *trail)
        area = counts if area is None else area * counts
    return x / area


def _adaptive_infer(x, sizes):
    return [(tuple(x.shape[:-len(sizes)]) + tuple(sizes), x.dtype)]


_adaptive_avg_op = register(OpDef("adaptive_avg_pool_kernel", "other", _adaptive_infer, _adaptive_avg_np,
                                  None))


def adaptive_avg(input, sizes):
    """The adaptive average pool of a float32 or float64 ``input``'s last ``len(sizes)`` dims, one op."""
    return apply(_adaptive_avg_op, input, sizes=tuple(sizes))


def _adaptive_max_np(np, x, sizes):
    """_adaptive_max's steps: each dim's windows gathered, each output's window elements in row-major order,
    its first maximum (last NaN) and that element's flat index in its input plane."""
    nd, lead, plane = len(sizes), x.shape[:-len(sizes)], x.shape[-len(sizes):]
    picks = []
    for i, out in enumerate(sizes):
        index, _, _ = _adaptive_windows(np, plane[i], out)
        x = np.take(x, index.reshape(-1), axis=len(lead) + i)
        picks.append(index)
    ks = [index.shape[1] for index in picks]
    x = x.reshape(*lead, *(n for pair in zip(sizes, ks) for n in pair))
    x = x.transpose(*range(len(lead)), *(len(lead) + 2 * i for i in range(nd)),
                    *(len(lead) + 2 * i + 1 for i in range(nd)))
    values, which = _first_max(np, x.reshape(-1, math.prod(ks)))
    shape = (*lead, *sizes)
    which = which.reshape(shape)
    flat, rest = 0, math.prod(ks)
    for i, (index, k) in enumerate(zip(picks, ks)):
        rest //= k
        starts = np.arange(sizes[i], dtype=np.int64).reshape((sizes[i],) + (1,) * (nd - 1 - i))
        flat = flat * plane[i] + index.reshape(-1)[starts * k + which // rest % k]
    return values.reshape(shape), flat


def _adaptive_max_infer(x, sizes):
    shape = tuple(x.shape[:-len(sizes)]) + tuple(sizes)
    return [(shape, x.dtype), (shape, dt.int64)]


_adaptive_max_op = register(OpDef("adaptive_max_pool_kernel", "other", _adaptive_max_infer, _adaptive_max_np,
                                  None))


def adaptive_max(input, sizes):
    """(values, int64 flat indices) of the adaptive max pool of ``input``'s last ``len(sizes)`` dims, one
    op."""
    return apply(_adaptive_max_op, input, sizes=tuple(sizes))
