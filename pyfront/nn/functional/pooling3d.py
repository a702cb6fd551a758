"""3-d pooling of pyfront.nn.functional: max_pool3d, avg_pool3d, adaptive_avg_pool3d, adaptive_max_pool3d.

The windows of a 3-d pool are the 2-d pool's windows (``pooling._windows``, im2col) of each input plane the
window's depth reaches, stacked in PyTorch's scan order (depth, then row, then column): so the maximum and
its index are the first in that order, as PyTorch's kernel picks, and every gradient comes from the ops.
The adaptive pools share the 1-d/2-d ones' N-d code (``_adaptive_avg``, ``_adaptive_max``).
"""
from __future__ import annotations

import math

from ... import dtypes as dt
from ...errors import refuse_halves
from ...ops.common import check_fits
from ...ops.composite.shaping import pad as _constant_pad, stack
from ...ops import samples
from ...ops.primitives import elementwise as ew
from ...ops.primitives import pools as kernels
from ...ops.primitives.moments import one_kernel
from ...ops.creation import arange, ones, tensor
from ...ops.registry import composite
from ...tensor import Tensor
from .conv import _fold_planes, in_pieces
from .pool_grad16 import max_grad_in_order, ordered_avg_grad, wants_ordered_grad, window_targets
from .pooling import (_adaptive_avg, _adaptive_geometry, _adaptive_max, _adaptive_sizes, _avg_kernel,
                      _avg_node, _bounds, _check_adaptive, _global_mean, _lowest, _output_size, _to_ones,
                      _window_max, _window_sizes, _windows, kernel_in_pieces)
from ...ops.memory_formats import channels_last_only, contiguous_result, lays_out, like_input
from ...ops.shell import checked as shell_checked

__all__ = ["max_pool3d", "max_pool3d_with_indices", "avg_pool3d", "adaptive_avg_pool3d",
           "adaptive_max_pool3d", "adaptive_max_pool3d_with_indices"]


def _triple(value, what, allow_empty=False):
    """kernel_size/stride/padding/dilation as a triple; each a C int to torch's kernels
    (pooling._pool_pair)."""
    if isinstance(value, (tuple, list)):
        if allow_empty and len(value) == 0:
            return None
        if len(value) not in (1, 3):
            raise RuntimeError(what)
        triple = tuple(int(v) for v in value) if len(value) == 3 else (int(value[0]),) * 3
    else:
        triple = (int(value),) * 3
    for v in triple:
        check_fits(v, dt.int32)
    return triple


def _pool3d_args(name, input, kernel_size, stride, padding, dilation, ceil_mode, avg, divisor=None):
    """PyTorch's argument parsing and pool3d_shape_check, in its order: (kernel, stride, padding, out)."""
    must = "must be" if avg else "must either be"
    kernel = _triple(kernel_size, f"{name}: kernel_size {must} a single int, or a tuple of three ints")
    stride = _triple(stride if stride is not None else [],
                     f"{name}: stride {must} omitted, a single int, or a tuple of three ints", True) or kernel
    padding = _triple(padding, f"{name}: padding {must} a single int, or a tuple of three ints")
    dilation = _triple(dilation, f"{name}: dilation must be either a single int, or a tuple of three ints")
    if divisor is not None and divisor == 0:
        raise RuntimeError("divisor must be not zero")
    if input.dim() not in (4, 5):
        raise RuntimeError("non-empty 4D or 5D (batch mode) tensor expected for input")
    out = tuple(_output_size(n, k, p, st, d, ceil_mode)
                for n, k, p, st, d in zip(input.shape[-3:], kernel, padding, stride, dilation))
    for label, values in (("kernel size", kernel), ("stride", stride), ("dilation", dilation)):
        if min(values) <= 0:
            names = {"kernel size": "kT kH kW", "stride": "dT dH dW",
                     "dilation": "dilationT dilationH dilationW"}[label].split()
            got = " ".join(f"{n}: {v}" for n, v in zip(names, values))
            raise RuntimeError(f"{label} should be greater than zero, but got {got}")
    for n in input.shape[-4:]:
        if n == 0:
            where = "avg_pool3d()" if avg else "max_pool3d_with_indices_out_cpu_template()"
            raise RuntimeError(f"{where}: Expected input's non-batch dimensions to have positive length, but "
                               f"input has a shape of {list(input.shape)} and non-batch dimension 0 has "
                               "length zero!")
    c, t, h, w = input.shape[-4:]
    if avg and (t < kernel[0] or h < kernel[1] or w < kernel[2]):
        raise RuntimeError(f"input image (T: {t} H: {h} W: {w}) smaller than kernel size (kT: {kernel[0]} "
                           f"kH: {kernel[1]} kW: {kernel[2]})")
    if min(out) < 1:
        raise RuntimeError(f"Given input size: ({c}x{t}x{h}x{w}). Calculated output size: "
                           f"({c}x{out[0]}x{out[1]}x{out[2]}). Output size is too small")
    return kernel, stride, padding, dilation, out


def _windows3d(x, kernel, stride, padding, dilation, out, fill):
    """``(N, C, kT * kH * kW, oT * oH * oW)``: every window of ``x`` (padded with ``fill``), each window's
    elements in depth, row, column order: the 2-d windows of the planes at each kernel depth, stacked."""
    (k, *kernel), (st, *stride), (p, *padding), (d, *dilation), (o, *out) = (
        kernel, stride, padding, dilation, out)
    n, c = x.shape[:2]
    needed = (o - 1) * st + d * (k - 1) + 1
    x = _constant_pad(x, [0, 0, 0, 0, p, needed - x.shape[2] - p], value=fill)
    parts = []
    for i in range(k):
        # (N, C, oT, H, W); a step past the planes taken is the same slice, and keeps int64 strides
        planes = x.narrow(2, i * d, (o - 1) * st + 1)[:, :, ::min(st, (o - 1) * st + 1)]
        cols = _windows(_fold_planes(planes), kernel, stride, padding, dilation, out, fill)  # (N*oT, C, K, L)
        parts.append(cols.reshape(n, o, c, *cols.shape[2:]).movedim(1, 3))  # (N, C, K, oT, L)
    return stack(parts, 2).reshape(n, c, k * parts[0].shape[2], o * parts[0].shape[4])


def _batched(input, fn):
    """``fn`` on a 5-d input, the batch dim of a 4-d (unbatched) one added and removed around it."""
    if input.dim() == 4:
        result = fn(input.unsqueeze(0))
        return tuple(r.squeeze(0) for r in result) if isinstance(result, tuple) else result.squeeze(0)
    return fn(input)


def _max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode):
    kernel, stride, padding, dilation, out = _pool3d_args("max_pool3d", input, kernel_size, stride, padding,
                                                          dilation, ceil_mode, avg=False)
    if input.dtype is dt.bool_ or input.dtype.is_complex:
        raise NotImplementedError(f"\"max_pool3d\" not implemented for '{dt.scalar_name(input.dtype)}'")
    if one_kernel(input):
        return kernel_in_pieces(lambda x: kernels.max_pool(x, kernel, stride, padding, dilation, out,
                                                            _lowest(x.dtype)), input, kernel, out)

    def pool(x):
        n, c = x.shape[:2]
        windows = _windows3d(x, kernel, stride, padding, dilation, out, _lowest(x.dtype))
        inside = (_windows3d(ones((1, 1, *x.shape[2:]), dtype=dt.uint8, device=x.device), kernel, stride,
                             padding, dilation, out, 0).movedim(2, -1) != 0) if any(padding) else None
        # the first maximum (in bounds), or the last nan
        values, which = _window_max(windows.movedim(2, -1), inside, _lowest(x.dtype))
        which = which.reshape(n, c, *out)
        index = None
        for axis, (size, k_rest) in enumerate(zip(x.shape[2:], (kernel[1] * kernel[2], kernel[2], 1))):
            offset = which // k_rest % kernel[axis]  # the window element's position along this axis
            start = arange(out[axis], device=x.device) * stride[axis] - padding[axis]
            pos = start.reshape((out[axis],) + (1,) * (2 - axis)) + offset * dilation[axis]
            index = pos if index is None else index * size + pos
        return values.reshape(n, c, *out), index

    per_sample = input.shape[-4] * kernel[0] * kernel[1] * kernel[2] * out[0] * out[1] * out[2]
    values, indices = _batched(input, lambda x: in_pieces(pool, x, per_sample))
    if wants_ordered_grad(input):
        values = max_grad_in_order(values, indices, input, 3)
    return values, indices


@composite(torch_name="nn.functional.max_pool3d", samples=samples.max_pool3d,
           grad_fn="MaxPool3DWithIndicesBackward0", saves="self=input")
@lays_out(like_input, batched=5, unbatched=channels_last_only)
def max_pool3d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """3-d max pooling: the maximum of each ``kernel_size`` window.

    ``D_out = floor((D_in + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1`` (``ceil`` with
    ``ceil_mode``; a last window that would start in the right padding is dropped). The same for H and W.

    Args:
        input (Tensor): the input (any dtype but bool).
        kernel_size (int or (int, int, int)): the window size.
        stride (int or (int, int, int), optional): the window step; None (or ``[]``) means ``kernel_size``.
        padding (int or (int, int, int)): implicit -inf padding on each side, at most half the effective
            window. Default: 0
        dilation (int or (int, int, int)): the spacing between window elements. Default: 1
        ceil_mode (bool): round the output size up instead of down. Default: False
        return_indices (bool): also return the flat index of each maximum in its input volume. Default: False

    Shape:
        input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``; output: ``(N, C, D_out, H_out, W_out)`` or
            ``(C, D_out, H_out, W_out)``; indices (int64): the output's shape, each ``(d * H + h) * W + w``.

    Raises:
        RuntimeError: a bad input rank or an empty dim, a non-positive window, stride or dilation, too much
            padding, an argument tuple of the wrong length, or an output size below 1 (PyTorch's texts).
        NotImplementedError: a bool input.

    Matches ``torch.nn.functional.max_pool3d`` (the gradient reaches the first maximum of a window).
    """
    values, indices = _max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode)
    return (values, indices) if return_indices else values


@lays_out(like_input, batched=5, unbatched=channels_last_only)
def max_pool3d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=True):
    """3-d max pooling; returns ``(values, indices)``, as ``max_pool3d(..., return_indices=True)``.

    ``D_out = floor((D_in + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1``; the same for H
    and W.

    Args:
        input, kernel_size, stride, padding, dilation, ceil_mode: as ``max_pool3d``.
        return_indices (bool): accepted; the indices are always returned. Default: True

    Shape:
        as ``max_pool3d``.

    Raises:
        as ``max_pool3d``.

    Matches ``torch.nn.functional.max_pool3d_with_indices``.
    """
    return _max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode)


@composite(torch_name="nn.functional.avg_pool3d", samples=samples.avg_pool3d, grad_fn="AvgPool3DBackward0",
           saves="self=input")
@lays_out(contiguous_result)
def avg_pool3d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override=None) -> Tensor:
    """3-d average pooling: the mean of each ``kernel_size`` window.

    ``out = sum(window) / divisor``: ``divisor_override``, else the window's size clipped to the padded input
    (``count_include_pad``) or to the input. ``D_out = floor((D_in + 2 * padding - kernel_size) / stride) +
    1`` (``ceil`` with ``ceil_mode``); the same for H and W.

    Args:
        input (Tensor): the input (floating point or int64).
        kernel_size (int or (int, int, int)): the window size.
        stride (int or (int, int, int), optional): the window step; None means ``kernel_size``.
        padding (int or (int, int, int)): implicit zeros on each side, at most half the window. Default: 0
        ceil_mode (bool): round the output size up instead of down. Default: False
        count_include_pad (bool): count the padding in the divisor. Default: True
        divisor_override (int, optional): divide by this instead. Default: None
        out (Tensor, optional): the output tensor, of the result's dtype. Default: None

    Shape:
        input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``; output: ``(N, C, D_out, H_out, W_out)`` or
            ``(C, D_out, H_out, W_out)``.

    Raises:
        RuntimeError: a bad input rank or an empty dim, an input smaller than the window, a non-positive
            window or stride, too much padding, a zero divisor, an argument tuple of the wrong length, or an
            output size below 1 (PyTorch's texts).
        NotImplementedError: an integer dtype other than int64, or bool.

    Matches ``torch.nn.functional.avg_pool3d``.
    """
    kernel, stride_, padding, _, out = _pool3d_args("avg_pool3d", input, kernel_size, stride, padding, 1,
                                                    ceil_mode, avg=True, divisor=divisor_override)
    if input.dtype is not dt.int64 and not input.dtype.is_floating_point:
        kind = dt.scalar_name(input.dtype)
        raise NotImplementedError(f"\"avg_pool3d_out_frame\" not implemented for '{kind}'")
    refuse_halves("avg_pool3d_out_frame", input.dtype)

    def pool(x):
        n, c = x.shape[:2]
        total = _windows3d(x, kernel, stride_, padding, (1, 1, 1), out, 0).sum(2).reshape(n, c, *out)
        if divisor_override is not None:
            divisor = divisor_override
        else:
            t, h, w = _window_sizes(x, kernel, stride_, padding, out, count_include_pad)
            divisor = tensor([[[a * b * e for e in w] for b in h] for a in t], dtype=x.dtype, device=x.device)
        return total / divisor if x.dtype.is_floating_point else total.div(divisor, rounding_mode="trunc")

    if one_kernel(input):
        return _batched(input, lambda x: _avg_kernel(x, kernel, stride_, padding, out, count_include_pad,
                                                     divisor_override))
    per_sample = input.shape[-4] * kernel[0] * kernel[1] * kernel[2] * out[0] * out[1] * out[2]
    return _batched(input, lambda x: in_pieces(pool, x, per_sample))


@composite(torch_name="nn.functional.adaptive_avg_pool3d", samples=samples.adaptive_avg_pool3d,
           grad_fn=_avg_node("AdaptiveAvgPool3DBackward0", 3), saves="self=input@AdaptiveAvgPool3DBackward0")
@lays_out(contiguous_result)
@ordered_avg_grad(_adaptive_geometry(3))
def adaptive_avg_pool3d(input: Tensor, output_size) -> Tensor:
    """3-d adaptive average pooling to ``output_size``.

    Output ``i`` pools the window ``[floor(i * L_in / L_out), ceil((i + 1) * L_in / L_out))``, along D, H
    and W.

    Args:
        input (Tensor): the input (floating dtype).
        output_size (int or (int or None, int or None, int or None)): ``(D_out, H_out, W_out)``; an int is
            used for all three, None keeps the input's size.

    Shape:
        input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``; output: ``(N, C, D_out, H_out, W_out)`` or
            ``(C, D_out, H_out, W_out)``.

    Raises:
        RuntimeError: ``input`` is not 4-dim or 5-dim, has an empty non-batch dim, ``output_size`` has the
            wrong length or a negative entry (PyTorch's texts).
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.functional.adaptive_avg_pool3d``.
    """
    if _to_ones("adaptive_avg_pool3d", input, output_size, 3):
        return _global_mean(input, 3)
    sizes = _adaptive_sizes("adaptive_avg_pool3d", input, output_size, 3)
    _check_adaptive("adaptive_avg_pool3d", input, 3)
    if input.dtype in dt.HALVES and input.numel() and 0 not in sizes:  # (no windows: nothing to step)
        return _adaptive_avg_in_steps(input, sizes)
    return _adaptive_avg(input, sizes)


def _adaptive_avg_in_steps(input, sizes):
    """adaptive_avg_pool3d in a 16-bit dtype as torch's kernel: each window summed element by element in the
    dtype (every sum rounded), then divided by its depth, height and width in turn (each quotient rounded)."""
    spatial = input.shape[input.dim() - 3:]
    windows = [_bounds(n, o) for n, o in zip(spatial, sizes)]
    targets = window_targets(spatial, windows, input.device)
    planes = input.numel() // math.prod(spatial)
    outputs = math.prod(sizes)
    slots = targets.shape[-1] // outputs
    picked = input.reshape(planes, -1).index_select(1, targets.reshape(-1).clamp(min=0))
    picked, valid = picked.reshape(planes, outputs, slots), (targets >= 0).reshape(outputs, slots)
    total = picked[:, :, 0]
    for k in range(1, slots):
        total = ew.where(valid[:, k], total + picked[:, :, k], total)
    _, divide = _adaptive_geometry(3)(input, total.reshape(*input.shape[:-3], *sizes), sizes)
    return divide(total.reshape(*input.shape[:-3], *sizes))


@composite(torch_name="nn.functional.adaptive_max_pool3d", samples=samples.adaptive_max_pool3d,
           grad_fn="AdaptiveMaxPool3DBackward0", saves="self=input")
@lays_out(contiguous_result)
def adaptive_max_pool3d(input: Tensor, output_size, return_indices: bool = False):
    """3-d adaptive maximum pooling to ``output_size``.

    Output ``i`` pools the window ``[floor(i * L_in / L_out), ceil((i + 1) * L_in / L_out))``, along D, H
    and W.

    Args:
        input (Tensor): the input (floating dtype).
        output_size (int or (int or None, int or None, int or None)): ``(D_out, H_out, W_out)``.
        return_indices (bool): also return the flat index of each maximum. Default: False

    Shape:
        input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``; output: ``(N, C, D_out, H_out, W_out)`` or
            ``(C, D_out, H_out, W_out)``; indices (int64): the output's shape.

    Raises:
        RuntimeError: ``input`` is not 4-dim or 5-dim, has an empty non-batch dim, or ``output_size`` has the
            wrong length (PyTorch's texts).
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.functional.adaptive_max_pool3d``.
    """
    values, indices = adaptive_max_pool3d_with_indices(input, output_size)
    return (values, indices) if return_indices else values


@shell_checked("nn.functional.adaptive_max_pool3d_with_indices")  # refused as its pool is
@lays_out(contiguous_result)
def adaptive_max_pool3d_with_indices(input: Tensor, output_size, return_indices: bool = True):
    """3-d adaptive maximum pooling to ``output_size``; returns ``(values, indices)``.

    Output ``i`` pools the window ``[floor(i * L_in / L_out), ceil((i + 1) * L_in / L_out))``, along D, H
    and W.

    Args:
        input, output_size: as ``adaptive_max_pool3d``.
        return_indices (bool): accepted; the indices are always returned. Default: True

    Shape:
        as ``adaptive_max_pool3d``.

    Raises:
        as ``adaptive_max_pool3d``.

    Matches ``torch.nn.functional.adaptive_max_pool3d_with_indices``.
    """
    sizes = _adaptive_sizes("adaptive_max_pool3d", input, output_size, 3)
    _check_adaptive("adaptive_max_pool3d", input, 3)
    return _adaptive_max(input, sizes)
