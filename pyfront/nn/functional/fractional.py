"""Fractional max pooling (Graham 2014, "Fractional Max-Pooling"): ``fractional_max_pool2d/3d`` and their
``_with_indices`` forms, as ``torch.nn.functional``.

Each (sample, channel) plane gets its own pseudo-random window starts from a number ``u`` in [0, 1)
(``_random_samples``, one per pooled dim): along a dim of input size n, output size m and window k, with
``alpha = (n - k) / (m - 1)`` in the input's dtype, start ``i < m - 1`` is
``trunc((i + u) * alpha) - trunc(u * alpha)`` and the last start is ``n - k``: PyTorch's sequence, so the
same samples pick the same windows. The starts are elementwise ops and the windows a gather, so both
devices run it and the gradient (a scatter-add to each maximum) comes from the ops.
"""
from __future__ import annotations

import math

from ... import dtypes as dt
from ...ops.creation import arange, full, rand, tensor
from ...ops.primitives.shaping import cat
from ...ops.registry import records
from ...tensor import Tensor
from .pooling import _window_max

__all__ = ["fractional_max_pool2d", "fractional_max_pool2d_with_indices", "fractional_max_pool3d",
           "fractional_max_pool3d_with_indices"]

_DIM_NAMES = {2: ("height", "width"), 3: ("time", "height", "width")}


def _tuple(value, nd):
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * nd


def _starts(u, size, out, k):
    """The window starts along one dim for each plane's sample ``u`` (N, C): (N, C, out) int64."""
    last = full(tuple(u.shape) + (min(out, 1),), size - k, dtype=dt.int64, device=u.device)
    if out <= 1:
        return last
    # the ratio rounded to the input's dtype on the host, as torch's scalar_t holds it (a GPU's float32
    # division may be ulps off, which would move a window at a boundary)
    alpha = tensor((size - k) / (out - 1), dtype=u.dtype, device="cpu").item()
    u = u.unsqueeze(-1)
    steps = arange(out - 1, dtype=u.dtype, device=u.device)
    # the products are >= 0: truncating to int64 is C's static_cast<int>
    inner = ((steps + u) * alpha).to(dt.int64) - (u * alpha).to(dt.int64)
    return cat([inner, last], -1)


def _check(name, input, kernel, out, samples, nd):
    where = "fractional_max_pool2d()" if nd == 2 else "fractional_max_pool3d_out()"
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"{where}: Expected {nd + 1}D or {nd + 2}D tensor, but got: {list(input.shape)}")
    for d in range(1 if input.dim() == nd + 2 else 0, input.dim()):
        if input.shape[d] == 0:
            raise RuntimeError(f"{where}: Expected input to have non-zero size for non-batch dimensions, but "
                               f"got{list(input.shape)} with dimension {d} being empty.")
    for what, n, m, k in zip(_DIM_NAMES[nd], input.shape[-nd:], out, kernel):
        if m + k - 1 > n - (nd == 3):  # torch's 3-d check is strict (a window may not reach the end)
            raise RuntimeError(f"{where}: pool {what} {k} too large relative to input {what} {n}")
    if samples.dtype is not input.dtype:
        raise RuntimeError("Expect _random_samples to have the same dtype as input")
    if samples.dim() != 3:
        raise RuntimeError(f"Expect _random_samples to have 3 dimensions, got {samples.dim()}")
    batch = input.shape[0] if input.dim() == nd + 2 else 1
    if samples.shape[0] < batch:
        raise RuntimeError("Expect _random_samples.size(0) no less then input batch size.")
    if samples.shape[1] != input.shape[-nd - 1]:
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    if samples.shape[2] != nd:
        raise RuntimeError(f"Expect _random_samples.size(2) equals to {nd}; got {samples.shape[2]}.")


def _fractional(name, input, kernel_size, output_size, output_ratio, samples, nd):
    """(values, indices) of an nd fractional max pool, after PyTorch's argument handling."""
    if output_size is None and output_ratio is None:
        raise ValueError(f"{name} requires specifying either an output_size or an output_ratio")
    kernel = _tuple(kernel_size, nd)
    if output_size is None:
        ratio = _tuple(output_ratio, nd)
        output_size = [int(input.size(d - nd) * r) for d, r in enumerate(ratio)]
    out = _tuple(output_size, nd)
    if samples is None:
        batch = 1 if input.dim() == nd + 1 else input.size(0)
        channels = input.size(-nd - 1)
        if not input.dtype.is_floating_point:
            kind = dt.scalar_name(input.dtype)
            raise NotImplementedError(f"\"check_uniform_bounds\" not implemented for '{kind}'")
        samples = rand(batch, channels, nd, dtype=input.dtype, device=input.device)
    _check(name, input, kernel, out, samples, nd)
    x = input if input.dim() == nd + 2 else input.unsqueeze(0)
    n, c = x.shape[0], x.shape[1]
    sizes = tuple(x.shape[2:])
    samples = samples[:n]
    # 2-d samples hold (w, h); 3-d ones (t, h, w), as PyTorch's kernels read them
    order = (1, 0) if nd == 2 else (0, 1, 2)
    position = 0
    for d in range(nd):
        starts = _starts(samples[..., order[d]], sizes[d], out[d], kernel[d])
        offsets = arange(kernel[d], device=x.device)
        shape = [n, c] + [1] * nd + [1] * nd
        shape[2 + d] = out[d]
        window_shape = [1] * nd
        window_shape[d] = kernel[d]
        along = starts.reshape(shape) + offsets.reshape(window_shape)
        position = position + along * math.prod(sizes[d + 1:])
    position = position.reshape(n, c, *out, math.prod(kernel))
    windows = x.reshape(n, c, -1).gather(-1, position.reshape(n, c, -1)).reshape(position.shape)
    values, which = _window_max(windows)
    indices = position.gather(-1, which.unsqueeze(-1)).squeeze(-1)
    if input.dim() == nd + 1:
        return values.squeeze(0), indices.squeeze(0)
    return values, indices


_ARGS = """Args:
        input (Tensor): ``(N, C, {dims})`` or ``(C, {dims})`` floating-point input.
        kernel_size (int or tuple): the window size along each pooled dim.
        output_size (int or tuple, optional): the output's size along each pooled dim.
        output_ratio (float or tuple, optional): output size as a fraction of the input's (truncated),
            used where ``output_size`` is None.
        return_indices (bool): also return each maximum's index in its input plane. Default: False
        _random_samples (Tensor, optional): ``(N, C, {nd})`` numbers in [0, 1) in the input's dtype that
            place the windows ({order}); drawn uniformly when None.

    Raises:
        ValueError: neither an output size nor a ratio. RuntimeError: a bad rank, an empty non-batch
        dim, a window too large for the output size, or samples of the wrong dtype/shape (torch's texts).
"""


def _define(nd):
    """The pair ``fractional_max_pool{nd}d_with_indices`` and ``fractional_max_pool{nd}d``."""
    name = f"fractional_max_pool{nd}d"
    index = "h * W_in + w" if nd == 2 else "(t * H_in + h) * W_in + w"
    args = _ARGS.format(dims="H, W" if nd == 2 else "T, H, W", nd=nd,
                        order="sample 0 for W, 1 for H" if nd == 2 else "T, H, W in order")

    @records(f"FractionalMaxPool{nd}DBackward0")
    def with_indices(input: Tensor, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                     _random_samples=None):
        return _fractional(name, input, kernel_size, output_size, output_ratio, _random_samples, nd)

    def pool(input: Tensor, kernel_size, output_size=None, output_ratio=None, return_indices=False,
             _random_samples=None):
        values, indices = with_indices(input, kernel_size, output_size, output_ratio, return_indices,
                                       _random_samples)
        return (values, indices) if return_indices else values

    with_indices.__doc__ = (f"{nd}-d fractional max pooling; returns ``(output, indices)``, each index\n    "
                            f"``{index}`` in its plane.\n\n    {args}")
    pool.__doc__ = (f"{nd}-d fractional max pooling: the maximum of pseudo-randomly placed overlapping "
                    f"windows,\n    as ``torch.nn.functional.{name}``; with ``return_indices``, also each "
                    f"maximum's\n    ``{index}``.\n\n    {args}")
    for fn, fn_name in ((with_indices, name + "_with_indices"), (pool, name)):
        fn.__name__ = fn.__qualname__ = fn_name
    return with_indices, pool


fractional_max_pool2d_with_indices, fractional_max_pool2d = _define(2)
fractional_max_pool3d_with_indices, fractional_max_pool3d = _define(3)
