"""Pooling functions of pyfront.nn.functional: max/avg pooling (1-d, 2-d) and their adaptive forms.

The fixed-window poolings pad the input (with the dtype's lowest value for max, zeros for avg) so
that every window, ceil_mode's last ones included, lies inside it, take the windows with
``im2col`` (in batch pieces, as the convolutions) and reduce them; max pooling's gradient
reaches the first maximal element of each window (the max reduction's gather), as in PyTorch.
Adaptive pooling gathers its variable windows with index_select (max) or averages them with two
small matrices (avg).
"""

from __future__ import annotations

import math

from ... import dtypes as dt
from ...ops.composite.shaping import pad as _constant_pad
from ...ops.creation import arange, check_storage, int_tuple, is_sequence, ones, tensor
from ...ops.primitives import elementwise as ew
from ...ops.primitives.nn import im2col
from ...ops.primitives import pools as kernels
from ...ops.primitives.moments import one_kernel
from ...ops.registry import composite, records
from .conv import in_pieces
from .pool_grad16 import divided_in_steps, max_grad_in_order, ordered_avg_grad, wants_ordered_grad
from ...ops import samples
from ...autograd.function import no_derivative
from ...autograd.grad_mode import is_grad_enabled
from ...tensor import Tensor
from ...ops.common import check_fits, in_float32
from ...ops.memory_formats import lays_out, like_input, suggested
from ...ops.primitives.elementwise import relaid
from ...ops.shell import checked as shell_checked

__all__ = [
    "max_pool1d",
    "max_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "max_pool1d_with_indices",
    "max_pool2d_with_indices",
    "adaptive_max_pool1d_with_indices",
    "adaptive_max_pool2d_with_indices",
]


def _pool_pair(value, name, what, allow_empty=False):
    """kernel_size/stride/padding/dilation as a pair, with the message of ``max_pool2d``/``avg_pool2d``; each
    a C int to torch's kernels (its checked conversion's error past one, before any other check)."""
    if isinstance(value, (tuple, list)):
        if allow_empty and len(value) == 0:
            return None
        if len(value) not in (1, 2):
            raise RuntimeError(f"{name}: {what}")
        pair = (int(value[0]), int(value[-1]))
    else:
        pair = (int(value), int(value))
    for v in pair:
        if not -_C_INT <= v < _C_INT:  # (check_fits's words past one; it costs a microsecond a value)
            check_fits(v, dt.int32)
    return pair


_C_INT = 1 << 31


def _output_size(size, k, pad, stride, dilation, ceil_mode):
    """PyTorch's pooling_output_shape, with its checks."""
    if stride == 0:
        raise RuntimeError("stride should not be zero")
    if pad < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {pad}")
    effective = (k - 1) * dilation + 1
    # C++'s division truncates: a kernel of -1 passes here (half of -1 is 0) and fails the kernel check
    if pad > (abs(effective) // 2) * (1 if effective >= 0 else -1):
        raise RuntimeError(
            f"pad should be at most half of effective kernel size, but got pad={pad}, kernel_size={k} "
            f"and dilation={dilation}"
        )
    out = (size + 2 * pad - dilation * (k - 1) - 1 + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1  # the last window must start inside the input or its left padding
    return out


def _shape_check(input, kernel, stride, dilation, out):
    """PyTorch's pool2d_shape_check (``input`` is 3-d or 4-d)."""
    if kernel[0] <= 0 or kernel[1] <= 0:
        raise RuntimeError(
            f"kernel size should be greater than zero, but got kH: {kernel[0]} kW: {kernel[1]}"
        )
    if stride[0] <= 0 or stride[1] <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got dH: {stride[0]} dW: {stride[1]}")
    if dilation[0] <= 0 or dilation[1] <= 0:
        raise RuntimeError(
            f"dilation should be greater than zero, but got dilationH: {dilation[0]} dilationW: {dilation[1]}"
        )
    shape = input.shape
    if any(n == 0 for n in shape[1:]) or (input.dim() == 3 and shape[0] == 0):
        raise RuntimeError(
            "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but "
            f"got:{list(shape)}"
        )
    if out[0] < 1 or out[1] < 1:
        c, h, w = shape[-3:]
        raise RuntimeError(
            f"Given input size: ({c}x{h}x{w}). Calculated output size: ({c}x{out[0]}x{out[1]}). "
            "Output size is too small"
        )


def _windows(x, kernel, stride, padding, dilation, out, fill):
    """``(N, C, kh * kw, oh * ow)``: every window of ``x`` padded with ``fill`` (cropped where unused)."""
    amounts = []
    for n, k, st, p, d, o in zip(
        reversed(x.shape[2:]),
        reversed(kernel),
        reversed(stride),
        reversed(padding),
        reversed(dilation),
        reversed(out),
    ):
        needed = (o - 1) * st + d * (k - 1) + 1
        amounts += [p, needed - n - p]
    padded = _constant_pad(x, amounts, value=fill)
    if x.dtype in dt.HALVES:  # (exact both ways) so the gradient's windows add up in float32, rounded once:
        # col2im, im2col's VJP, rounds each sum in a 16-bit dtype as torch's own col2im, not its pools
        cols = im2col(padded.float(), kernel, dilation, (0, 0), stride).to(x.dtype)
    else:
        cols = im2col(padded, kernel, dilation, (0, 0), stride)
    return cols.reshape(x.shape[0], x.shape[1], kernel[0] * kernel[1], out[0] * out[1])


def _batched(input, fn):
    """Run ``fn`` on a 4-d view of a 3-d (unbatched) or 4-d input; restore the batch dim of each result."""
    if input.dim() == 3:
        result = fn(input.unsqueeze(0))
        return tuple(r.squeeze(0) for r in result) if isinstance(result, tuple) else result.squeeze(0)
    return fn(input)


def _lowest(dtype):
    if dtype.is_floating_point:
        return -math.inf
    return False if dtype is dt.bool_ else dt.iinfo(dtype).min


# -- max pooling -----------------------------------------------------------------------------------
# (max_pool1d's too, on its input viewed as one row: torch's node, which saves that view)
@records("MaxPool2DWithIndicesBackward0", saves="self=input")
@lays_out(lambda name, input, *args: like_input(input))
def _max_pool2d(name, input, kernel_size, stride, padding, dilation, ceil_mode):
    kernel = _pool_pair(kernel_size, name, "kernel_size must either be a single int, or a tuple of two ints")
    stride = (
        _pool_pair(
            stride if stride is not None else [],
            name,
            "stride must either be omitted, a single int, or a tuple of two ints",
            True,
        )
        or kernel
    )
    padding = _pool_pair(padding, name, "padding must either be a single int, or a tuple of two ints")
    dilation = _pool_pair(dilation, name, "dilation must be either a single int, or a tuple of two ints")
    if input.dim() not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    out = tuple(
        _output_size(n, k, p, st, d, ceil_mode)
        for n, k, p, st, d in zip(input.shape[-2:], kernel, padding, stride, dilation)
    )
    _shape_check(input, kernel, stride, dilation, out)
    if input.dtype is dt.bool_ or input.dtype.is_complex:
        raise NotImplementedError(f"\"{name}\" not implemented for '{dt.scalar_name(input.dtype)}'")
    if one_kernel(input):
        return kernel_in_pieces(lambda x: kernels.max_pool(x, kernel, stride, padding, dilation, out,
                                                            _lowest(x.dtype)), input, kernel, out)

    def pool(x):
        n, c, _, width = x.shape
        cols = _windows(x, kernel, stride, padding, dilation, out, _lowest(x.dtype))
        inside = (_windows(ones((1, 1, *x.shape[2:]), dtype=dt.uint8, device=x.device), kernel, stride,
                           padding, dilation, out, 0).movedim(2, -1) != 0) if any(padding) else None
        # torch's pick: the first maximum (in bounds), or the last nan
        values, which = _window_max(cols.movedim(2, -1), inside, _lowest(x.dtype))
        # flat index into the input plane of each window's maximum
        rows = (arange(out[0], device=x.device) * stride[0] - padding[0]).reshape(out[0], 1)
        columns = arange(out[1], device=x.device) * stride[1] - padding[1]
        which = which.reshape(n, c, *out)
        h = rows + (which // kernel[1]) * dilation[0]
        w = columns + (which % kernel[1]) * dilation[1]
        return values.reshape(n, c, *out), h * width + w

    per_sample = input.shape[-3] * kernel[0] * kernel[1] * out[0] * out[1]  # the windows
    values, indices = _batched(input, lambda x: in_pieces(pool, x, per_sample))
    if wants_ordered_grad(input):
        values = max_grad_in_order(values, indices, input, 2)
    return values, indices


@composite(torch_name="nn.functional.max_pool2d", samples=samples.max_pool2d,
           grad_fn="MaxPool2DWithIndicesBackward0")
def max_pool2d(
    input: Tensor,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode: bool = False,
    return_indices: bool = False,
):
    """2-d max pooling: the maximum of each ``kernel_size`` window.

    ``H_out = floor((H_in + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1`` (``ceil`` with
    ``ceil_mode``; a last window that would start in the right padding is dropped). The same for W.

    Args:
        input (Tensor): the input (any dtype but bool).
        kernel_size (int or (int, int)): the window size.
        stride (int or (int, int), optional): the window step; None (or ``[]``) means ``kernel_size``.
            Default: None
        padding (int or (int, int)): implicit -inf padding on each side, at most half the effective window.
            Default: 0
        dilation (int or (int, int)): the spacing between window elements. Default: 1
        ceil_mode (bool): round the output size up instead of down. Default: False
        return_indices (bool): also return the flat index of each maximum in its input plane. Default: False

    Shape:
        input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``; output: ``(N, C, H_out, W_out)`` or ``(C, H_out,
            W_out)``; indices (int64): the output's shape, each ``h * W_in + w``.

    Raises:
        RuntimeError: a bad input rank, a non-positive window, stride or dilation, too much padding, an
            argument tuple of the wrong length, or an output size below 1.
        NotImplementedError: a bool input.

    Matches ``torch.nn.functional.max_pool2d`` (the gradient reaches the first maximum of a window).
    """
    values, indices = _max_pool2d("max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode)
    return (values, indices) if return_indices else values


@shell_checked("nn.functional.max_pool2d_with_indices")  # refused as its pool is
def max_pool2d_with_indices(
    input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=True
):
    """2-d max pooling: the maximum of each ``kernel_size`` window; returns ``(values, indices)``.

    ``H_out = floor((H_in + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1`` (``ceil`` with
    ``ceil_mode``; a last window that would start in the right padding is dropped). The same for W.

    Args:
        input (Tensor): the input (any dtype but bool).
        kernel_size (int or (int, int)): the window size.
        stride (int or (int, int), optional): the window step; None (or ``[]``) means ``kernel_size``.
            Default: None
        padding (int or (int, int)): implicit -inf padding on each side, at most half the effective window.
            Default: 0
        dilation (int or (int, int)): the spacing between window elements. Default: 1
        ceil_mode (bool): round the output size up instead of down. Default: False
        return_indices (bool): accepted; the indices are always returned. Default: True

    Shape:
        input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``; output: ``(N, C, H_out, W_out)`` or ``(C, H_out,
            W_out)``; indices (int64): the output's shape, each ``h * W_in + w``.

    Raises:
        RuntimeError: a bad input rank, a non-positive window, stride or dilation, too much padding, an
            argument tuple of the wrong length, or an output size below 1.
        NotImplementedError: a bool input.

    Matches ``torch.nn.functional.max_pool2d_with_indices`` (the gradient reaches the first maximum of a
    window).
    """
    return _max_pool2d("max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode)


def _max_pool1d_checks(input, kernel_size, stride, padding, dilation, ceil_mode, kernel="max_pool1d_impl"):
    """max_pool1d's own argument checks (PyTorch's max_pool1d_impl), then its refusal of a dtype
    ``kernel`` has no version for (with indices torch runs its 2-d kernel)."""

    def one(value, name):
        values = tuple(value) if isinstance(value, (tuple, list)) else (value,)
        if len(values) != 1:
            raise RuntimeError(f"max_pool1d() {name} must be an int, got a list of {len(values)} values")
        return int(values[0])

    if kernel == "max_pool2d" and input.dim() not in (2, 3):  # (with indices: torch's checkDimRange)
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional tensor for "
                           "argument #1 'self' (while checking arguments for max_pool1d)")
    # (the 1-d kernel's first check: a batch may be empty, no other dim)
    empty = 0 in input.shape[input.dim() - 2:]
    if input.dim() not in (2, 3) or empty and kernel == "max_pool1d_impl":
        raise RuntimeError(
            "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
            f"input, but got:{list(input.shape)}"
        )
    k = one(kernel_size, "kernel_size")
    st = k if stride is None or (isinstance(stride, (tuple, list)) and not stride) else one(stride, "stride")
    p, d = one(padding, "padding"), one(dilation, "dilation")
    if kernel == "max_pool2d":  # with indices torch runs its 2-d kernel, whose checks are _max_pool2d's
        return k, st, p, d
    if k <= 0:
        raise RuntimeError(f"max_pool1d() kernel_size must be greater than zero, but got {k}")
    if st <= 0:
        raise RuntimeError(f"max_pool1d() stride must be greater than zero, but got {st}")
    if p < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError(
            f"max_pool1d() padding should be at most half of kernel size, but got padding={p} and "
            f"kernel_size={k}"
        )
    if d <= 0:
        raise RuntimeError(f"max_pool1d() dilation must be greater than zero, but got {d}")
    out = _output_size(input.shape[-1], k, p, st, d, ceil_mode)
    if out <= 0:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {out}")
    x = input.dtype  # the 1-d kernel computes floats (not float8); the 2-d one all but bool and shell dtypes
    if (x is dt.bool_ or x in dt.SHELL) if kernel == "max_pool2d" else (
            not x.is_floating_point or x in dt.FLOAT8):
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt.scalar_name(x)}'")
    return k, st, p, d


def _max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, kernel="max_pool2d"):
    k, st, p, d = _max_pool1d_checks(input, kernel_size, stride, padding, dilation, ceil_mode, kernel)
    if kernel == "max_pool1d_impl":  # (its 1-d kernel reads int64s: a stride past the input is one window,
        st = min(st, 2 ** 31 - 1)    # whatever its size, where the 2-d one run here takes C ints)
    values, indices = _max_pool2d(
        "max_pool2d", input.unsqueeze(-2), (1, k), (1, st), (0, p), (1, d), ceil_mode
    )
    return values.squeeze(-2), indices.squeeze(-2)


def _max_pool1d_values(input, kernel_size, stride, padding, dilation, ceil_mode):
    """max_pool1d's values, laid out as torch's: its 1-d kernel makes them contiguous, but where a gradient
    is recorded it runs the 2-d one with indices on the input as one row, whose channels-last layout (a
    transposed input's) they keep."""
    values, _ = _max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, "max_pool1d_impl")
    return values if input._requires_grad and is_grad_enabled() else values.contiguous()


@composite(torch_name="nn.functional.max_pool1d", samples=samples.max_pool1d)
def max_pool1d(
    input: Tensor,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode: bool = False,
    return_indices: bool = False,
):
    """1-d max pooling: the maximum of each ``kernel_size`` window.

    ``L_out = floor((L_in + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1`` (``ceil`` with
    ``ceil_mode``; a last window that would start in the right padding is dropped).

    Args:
        input (Tensor): the input (floating dtype).
        kernel_size (int or (int,)): the window size.
        stride (int or (int,), optional): the window step; None (or ``[]``) means ``kernel_size``. Default:
            None
        padding (int or (int,)): implicit -inf padding on each side, at most half the effective window.
            Default: 0
        dilation (int or (int,)): the spacing between window elements. Default: 1
        ceil_mode (bool): round the output size up instead of down. Default: False
        return_indices (bool): also return the flat index of each maximum in its input plane. Default: False

    Shape:
        input: ``(N, C, L_in)`` or ``(C, L_in)``; output: ``(N, C, L_out)`` or ``(C, L_out)``; indices
            (int64): the output's shape, positions along L_in.

    Raises:
        RuntimeError: a bad input rank, a non-positive window, stride or dilation, too much padding, an
            argument tuple of the wrong length, or an output size below 1.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.functional.max_pool1d``.
    """
    if return_indices:
        return _max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)
    return _max_pool1d_values(input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool1d_with_indices(
    input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=True
):
    """1-d max pooling: the maximum of each ``kernel_size`` window; returns ``(values, indices)``.

    ``L_out = floor((L_in + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1`` (``ceil`` with
    ``ceil_mode``; a last window that would start in the right padding is dropped).

    Args:
        input (Tensor): the input (floating dtype).
        kernel_size (int or (int,)): the window size.
        stride (int or (int,), optional): the window step; None (or ``[]``) means ``kernel_size``. Default:
            None
        padding (int or (int,)): implicit -inf padding on each side, at most half the effective window.
            Default: 0
        dilation (int or (int,)): the spacing between window elements. Default: 1
        ceil_mode (bool): round the output size up instead of down. Default: False
        return_indices (bool): accepted; the indices are always returned. Default: True

    Shape:
        input: ``(N, C, L_in)`` or ``(C, L_in)``; output: ``(N, C, L_out)`` or ``(C, L_out)``; indices
            (int64): the output's shape, positions along L_in.

    Raises:
        RuntimeError: a bad input rank, a non-positive window, stride or dilation, too much padding, an
            argument tuple of the wrong length, or an output size below 1.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.functional.max_pool1d_with_indices``.
    """
    return _max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)


# -- average pooling -------------------------------------------------------------------------------
def _divisors(size, k, stride, pad, out, count_include_pad):
    """PyTorch's divide factor along one dim: the window clipped to the padded input, or to the input."""
    result = []
    for i in range(out):
        start = i * stride - pad
        end = min(start + k, size + pad)
        if count_include_pad:
            result.append(end - start)
        else:
            result.append(min(end, size) - max(start, 0))
    return result


def _avg_args(name, kernel_size, stride, padding):
    """avg_pool2d's kernel, stride and padding as pairs (its errors for bad ones)."""
    kernel = _pool_pair(kernel_size, name, "kernel_size must either be a single int, or a tuple of two ints")
    stride = (
        _pool_pair(
            stride if stride is not None else [],
            name,
            "stride must either be omitted, a single int, or a tuple of two ints",
            True,
        )
        or kernel
    )
    padding = _pool_pair(padding, name, "padding must either be a single int, or a tuple of two ints")
    return kernel, stride, padding


def _clipped_windows(size, k, stride, pad, out):
    """Each output's window along one dim, clipped to the input (the part a 16-bit gradient reaches)."""
    return [(max(i * stride - pad, 0), min(i * stride - pad + k, size)) for i in range(out)]


def _avg_geometry(input, output, kernel, stride, padding, count_include_pad, divisor_override):
    """ordered_avg_grad's windows and divide of a fixed-window average pool (kernel, ...: one per dim)."""
    nd = len(kernel)
    sizes, out = input.shape[input.dim() - nd:], output.shape[output.dim() - nd:]
    windows = [_clipped_windows(*args) for args in zip(sizes, kernel, stride, padding, out)]
    if divisor_override is not None:
        return windows, divided_in_steps([divisor_override])
    factor = None
    for d, args in enumerate(zip(sizes, kernel, stride, padding, out)):
        along = tensor(_divisors(*args, count_include_pad), device=input.device).reshape(
            (-1,) + (1,) * (nd - 1 - d))
        factor = along if factor is None else factor * along
    return windows, divided_in_steps([factor.float()])


def _avg2d_geometry(input, output, kernel_size, stride=None, padding=0, ceil_mode=False,
                    count_include_pad=True, divisor_override=None):
    kernel, stride, padding = _avg_args("avg_pool2d", kernel_size, stride, padding)
    return _avg_geometry(input, output, kernel, stride, padding, count_include_pad, divisor_override)


def _avg1d_geometry(input, output, kernel_size, stride=None, padding=0, ceil_mode=False,
                    count_include_pad=True):
    k = _first(kernel_size)
    stride = k if stride is None or (isinstance(stride, (tuple, list)) and not stride) else _first(stride)
    return _avg_geometry(input, output, (k,), (stride,), (_first(padding),), count_include_pad, None)


def _first(value):
    return int(value[0]) if isinstance(value, (tuple, list)) else int(value)


def _window_sizes(x, kernel, stride, padding, out, count_include_pad):
    """Each dim's divide factors of a fixed-window average pool (their products are its divisors)."""
    return tuple(tuple(_divisors(size, k, st, p, o, count_include_pad))
                 for size, k, st, p, o in zip(x.shape[2:], kernel, stride, padding, out))


def _avg_kernel(x, kernel, stride, padding, out, count_include_pad, divisor_override):
    """The cpu's one op of a fixed-window average pool of a batched ``x`` (pools.avg_pool)."""
    divisor = divisor_override if divisor_override is not None else _window_sizes(
        x, kernel, stride, padding, out, count_include_pad)
    return kernel_in_pieces(lambda x: kernels.avg_pool(x, kernel, stride, padding, out, divisor), x, kernel,
                            out)


def kernel_in_pieces(fn, x, kernel, out):
    """``fn``, a one-op pool kernel over ``x``'s last ``len(kernel)`` dims, in pieces of ``x``'s first dim
    as the composite runs (in_pieces): the kernel copies each plane's windows (kernel * out elements), which
    for a large batch would pass CHUNK_BYTES many times over; each piece's values are the whole's."""
    nd = len(kernel)
    if x.dim() == nd:
        return fn(x)
    return in_pieces(fn, x, math.prod(x.shape[1:-nd]) * math.prod(kernel) * math.prod(out))


def _avg_pool2d(name, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    kernel, stride, padding = _avg_args(name, kernel_size, stride, padding)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    if input.dim() < 3:
        input.size(-3)  # (torch reads it first: its IndexError, of a 0-d input too)
    if input.dim() > 4:
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    out = tuple(
        _output_size(n, k, p, st, 1, ceil_mode)
        for n, k, p, st in zip(input.shape[-2:], kernel, padding, stride)
    )
    _shape_check(input, kernel, stride, (1, 1), out)
    if input.dtype is not dt.int64 and not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"{name}\" not implemented for '{dt.scalar_name(input.dtype)}'")
    if one_kernel(input):
        return _batched(input, lambda x: _avg_kernel(x, kernel, stride, padding, out, count_include_pad,
                                                     divisor_override))

    def pool(x):
        n, c = x.shape[:2]
        total = _windows(x, kernel, stride, padding, (1, 1), out, 0).sum(2).reshape(n, c, *out)
        if divisor_override is not None:
            divisor = divisor_override
        else:
            rows, columns = _window_sizes(x, kernel, stride, padding, out, count_include_pad)
            divisor = tensor([[r * col for col in columns] for r in rows], dtype=x.dtype, device=x.device)
        if x.dtype.is_floating_point:
            return total / divisor
        return total.div(divisor, rounding_mode="trunc")

    per_sample = input.shape[-3] * kernel[0] * kernel[1] * out[0] * out[1]  # the windows
    return _batched(input, lambda x: in_pieces(pool, x, per_sample))


# (its node saves the input as given, not the copy lays_out may pool: records outside it, as _max_pool2d's)
@composite(torch_name="nn.functional.avg_pool2d", samples=samples.avg_pool2d, grad_fn="AvgPool2DBackward0",
           saves="self=input")
@lays_out(like_input)
@ordered_avg_grad(_avg2d_geometry)
@in_float32
def avg_pool2d(
    input: Tensor,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override=None,
) -> Tensor:
    """2-d average pooling: the mean of each ``kernel_size`` window of each channel.

    ``H_out = floor((H_in + 2 * padding - kernel_size) / stride) + 1`` (``ceil`` with ``ceil_mode``; a last
    window that would start in the right padding is dropped). The same for W.

    Args:
        input (Tensor): the input (floating or int64; integer averages are truncated).
        kernel_size (int or (int, int)): the window size.
        stride (int or (int, int), optional): the window step; None (or ``[]``) means ``kernel_size``.
            Default: None
        padding (int or (int, int)): implicit zero padding on each side, at most half the window. Default: 0
        ceil_mode (bool): round the output size up instead of down. Default: False
        count_include_pad (bool): count the zero padding in each window's divisor. Default: True
        divisor_override (int, optional): divide every window's sum by this instead. Default: None
        out (Tensor, optional): the output tensor, of the result's dtype. Default: None

    Shape:
        input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``; output: ``(N, C, H_out, W_out)`` or ``(C, H_out,
            W_out)``.

    Raises:
        IndexError: fewer than 3 dims.
        RuntimeError: more than 4 dims, ``divisor_override=0``, a non-positive window or stride, too much
            padding, or an output size below 1.
        NotImplementedError: a dtype other than floating point or int64.

    Matches ``torch.nn.functional.avg_pool2d``.
    """
    return _avg_pool2d(
        "avg_pool2d", input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
    )


# torch's avg_pool1d is its avg_pool2d over the input with a height of 1, laid out as that 2-d input suggests
# (channels-last where the input is column-major), as the public avg_pool2d lays out its own
_avg_pool2d_laid = records("AvgPool2DBackward0", saves="self=input")(
    lays_out(lambda name, input, *args: like_input(input))(_avg_pool2d))


@composite(torch_name="nn.functional.avg_pool1d", samples=samples.avg_pool1d)
@ordered_avg_grad(_avg1d_geometry)
@in_float32
def avg_pool1d(
    input: Tensor,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    """1-d average pooling: the mean of each ``kernel_size`` window of each channel.

    ``L_out = floor((L_in + 2 * padding - kernel_size) / stride) + 1`` (``ceil`` with ``ceil_mode``; a last
    window that would start in the right padding is dropped).

    Args:
        input (Tensor): the input (floating or int64; integer averages are truncated).
        kernel_size (int or (int,)): the window size.
        stride (int or (int,), optional): the window step; None (or ``[]``) means ``kernel_size``. Default:
            None
        padding (int or (int,)): implicit zero padding on each side, at most half the window. Default: 0
        ceil_mode (bool): round the output size up instead of down. Default: False
        count_include_pad (bool): count the zero padding in each window's divisor. Default: True

    Shape:
        input: ``(N, C, L_in)`` or ``(C, L_in)``; output: ``(N, C, L_out)`` or ``(C, L_out)``.

    Raises:
        RuntimeError: ``input`` is not 2-dim or 3-dim, a non-positive window or stride, too much padding, or
            an output size below 1.
        NotImplementedError: a dtype other than floating point or int64.

    Matches ``torch.nn.functional.avg_pool1d``.
    """
    if input.dim() not in (2, 3):
        raise RuntimeError(
            f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional tensor for argument #1 "
            "'self' (while checking arguments for avg_pool1d)"
        )

    stride = (
        None if stride is None or (isinstance(stride, (tuple, list)) and not stride) else (1, _first(stride))
    )
    out = _avg_pool2d_laid(
        "avg_pool2d",
        input.unsqueeze(-2),
        (1, _first(kernel_size)),
        stride,
        (0, _first(padding)),
        ceil_mode,
        count_include_pad,
        None,
    )
    return out.squeeze(-2)


# -- adaptive pooling ------------------------------------------------------------------------------
def _one_row(input, *args, **kwargs):
    """What torch's 1-d adaptive pools save: the input viewed as one row of a 2-d pool's (the squeeze after
    that pool's node shows nothing)."""
    return [(None, input.unsqueeze(-2))]


def _check_sizes_rank(name, input, output_size, nd):
    """``output_size`` as torch's F pools hand it to their kernel: the 2-d and 3-d ones' Python wrapper
    takes an int as it is and sizes anything else with ``len()`` (Python's TypeError for a NumPy integer, a
    0-d array or tensor), refusing an input of no more dims than it has entries and filling its Nones from
    the input's sizes; then torch's parser wants ints (an int or a sequence of them, NumPy integers
    counted)."""
    if nd > 1 and not isinstance(output_size, int):
        if len(input.size()) <= len(output_size):
            raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
        n = len(output_size)
        output_size = [input.shape[i - n] if v is None else v for i, v in enumerate(output_size)]
    sizes = int_tuple((output_size,), name, "output_size", 2)
    return sizes * nd if len(sizes) == 1 and isinstance(output_size, int) else sizes


def _adaptive_sizes(name, input, output_size, nd):
    output_size = _check_sizes_rank(name, input, output_size, nd)
    if isinstance(output_size, (tuple, list)):
        if len(output_size) != nd:
            if nd == 1:
                raise RuntimeError(f"{name}() argument 'output_size' should contain one int (got "
                                   f"{len(output_size)})")
            if "max" in name:
                raise RuntimeError(f"{name}(): internal error: output_size.size() must be {nd}")
            raise RuntimeError(f"{name}: output_size must be {nd}")
        sizes = tuple(input.shape[-nd + i] if v is None else int(v) for i, v in enumerate(output_size))
    else:
        sizes = (int(output_size),) * nd
    if "max" in name and any(v < 0 for v in sizes):  # the kernel's empty result refuses it
        shape = [*input.shape[:-nd], *sizes]
        negative = next(v for v in sizes if v < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {negative}: {shape}")
    if "avg" in name and any(v < 0 for v in sizes):
        raise RuntimeError(
            f"{name}: elements of output_size must be greater than or equal to 0 but received "
            # torch's spacing: {a, b,c}
            "{" + ", ".join(map(str, sizes[:2])) + "".join(f",{v}" for v in sizes[2:]) + "}"
        )
    # the result's size before anything is computed (windows of a huge size would take hours): the average
    # pools' kernels ask its element count, checked for overflow, then every pool's allocation its bytes
    # (torch's 1-d pools are its 2-d ones over a dim of 1)
    shape = [*input.shape[:-nd], *(1,) * (nd == 1), *sizes]
    if "avg" in name and math.prod(shape) >= 2 ** 63:
        raise RuntimeError("numel: integer multiplication overflow")
    check_storage(shape, input.dtype)
    if math.prod(shape) >= 2 ** 31:  # allocated first, as torch's kernels allocate their result before any
        input.new_empty(shape)  # window: more than the machine holds is refused at once, in its words
    return sizes


def _to_ones(name, input, output_size, nd) -> bool:
    """Whether ``output_size`` (None: the input's size) is all ones, which torch pools as a mean."""
    sizes = _check_sizes_rank(name, input, output_size, nd)
    return len(sizes) == nd and all(v == 1 for v in sizes)


def _global_mean(input, nd):
    """torch's adaptive average pooling to all-ones sizes: a mean over the last ``nd`` dims, kept, before
    any check of the input's rank or sizes (mean's own errors: an integer dtype's, a dim out of range; an
    empty window is NaN)."""
    return input.mean(tuple(range(-nd, 0)), keepdim=True)


def _avg_node(name: str, nd: int):
    """The node torch's adaptive average pool records: MeanBackward1 where it pools to ones."""
    return lambda input, output_size: "MeanBackward1" if _to_ones(name, input, output_size, nd) else name


def _bounds(size, out):
    """Each output's window ``[floor(i * size / out), ceil((i + 1) * size / out))``."""
    return [(i * size // out, -(-(i + 1) * size // out)) for i in range(out)]


def _adaptive_geometry(nd):
    """ordered_avg_grad's geometry of an adaptive average pool over ``nd`` dims: torch's kernel divides each
    output's gradient by its window's length along each dim in turn; to all ones it takes a mean."""
    def geometry(input, output, output_size):
        sizes, out = input.shape[input.dim() - nd:], output.shape[output.dim() - nd:]
        if all(o == 1 for o in out) and (nd > 1 or input.dim() in (2, 3)):
            return None
        windows = [_bounds(n, o) for n, o in zip(sizes, out)]
        lengths = [tensor([float(end - start) for start, end in w], device=input.device).reshape(
            (-1,) + (1,) * (nd - 1 - d)) for d, w in enumerate(windows)]
        return windows, divided_in_steps(lengths)
    return geometry


def _check_adaptive(name, input, nd, sizes=()):
    if input.dim() not in (nd + 1, nd + 2):
        if nd == 1:
            raise RuntimeError(
                f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional tensor for argument "
                f"#1 'self' (while checking arguments for {name})"
            )
        sep = ": " if "max" in name else " "
        raise RuntimeError(f"{name}(): Expected {nd + 1}D or {nd + 2}D tensor, but "
                           f"got{sep}{list(input.shape)}")
    # adaptive average pooling (1-d, 2-d) allows empty channels in a batched input; max pooling does not
    shape, shown = list(input.shape), name
    if name == "adaptive_avg_pool1d":  # torch pools it as one row of a 2-d pool, and names that
        shape, shown = shape[:-1] + [1] + shape[-1:], "adaptive_avg_pool2d"
    first = len(shape) - 2 if "avg" in name and nd < 3 else 1  # adaptive_avg_pool3d: no empty channels
    for d in range(first, len(shape)):
        if shape[d] == 0:
            raise RuntimeError(
                f"{shown}(): Expected input to have non-zero size for non-batch dimensions, but "
                f"input has sizes {shape} with dimension {d} being empty"
            )
    # (torch's 2-d average kernel returns an empty input or output before it looks at the dtype)
    if not input.dtype.is_floating_point and not ((input.numel() == 0 or 0 in sizes) and "avg_pool2d" in
                                                  name.replace("1d", "2d")):  # (the 1-d pools run as 2-d)
        kernel = name.replace("1d", "2d").replace("3d", "3d_cpu")
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt.scalar_name(input.dtype)}'")


def _window_sum(x, d, out):
    """Adaptive window sums along dim ``d`` (negative), and each window's length (shaped to divide them):
    each window gathered to the longest window's length, the repeats masked out by selection (not
    multiplied by 0, which would spread nan/inf)."""
    size = x.shape[d]
    bounds = _bounds(size, out)
    index, k = _window_index(size, out, x.device)
    trail = (1,) * (-d - 1)
    valid = [start + j < end for start, end in bounds for j in range(k)]
    valid = tensor(valid, dtype=dt.bool_, device=x.device)
    counts = tensor([float(end - start) for start, end in bounds], dtype=x.dtype, device=x.device)
    g = x.index_select(d, index)
    g = g.reshape(*x.shape[:d], out, k, *x.shape[x.dim() + d + 1:])
    return ew.where(valid.reshape(out, k, *trail), g, 0).sum(d), counts.reshape(out, *trail)


def _adaptive_avg(x, sizes):
    """Average pooling of the last ``len(sizes)`` dims of ``x``: summed one dim at a time, divided once
    by the window's area, as PyTorch's kernel (whose float32 sum of 3e38 + 1e37 is inf: an average per
    dim would stay finite)."""
    if (x.numel() == 0 or 0 in sizes) and not x.dtype.is_floating_point:  # (an empty one keeps its dtype)
        return x.new_empty(tuple(x.shape[:-len(sizes)]) + tuple(sizes))
    if one_kernel(x):
        return kernels.adaptive_avg(x, sizes)
    area = None
    for i, out in enumerate(sizes):
        x, counts = _window_sum(x, i - len(sizes), out)
        area = counts if area is None else area * counts
    return x / area


def _adaptive_avg_layout(input, output_size):
    """adaptive_avg_pool2d's layout (lays_out's rule): its kernel's, the input's suggested format; to 1x1
    torch takes a mean instead, whose input gradient comes back contiguous."""
    formats = like_input(input)
    if not formats:
        return formats
    # (the size as given: an int, a sequence, a NumPy array; each entry compared alone)
    sizes = list(output_size) if is_sequence(output_size) else [output_size]
    to_one = all(n == 1 for n in sizes)
    return formats[0], "contiguous_format" if to_one else formats[1]


@composite(
    torch_name="nn.functional.adaptive_avg_pool2d",
    samples=samples.adaptive_avg_pool2d,
    grad_fn=_avg_node("AdaptiveAvgPool2DBackward0", 2),
    saves="self=input@AdaptiveAvgPool2DBackward0",
)
@lays_out(_adaptive_avg_layout)
@ordered_avg_grad(_adaptive_geometry(2))
@in_float32
def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """2-d adaptive average pooling to ``output_size``.

    Output ``i`` pools the window ``[floor(i * L_in / L_out), ceil((i + 1) * L_in / L_out))``, along H and
    along W.

    Args:
        input (Tensor): the input (floating dtype).
        output_size (int or (int or None, int or None)): ``(H_out, W_out)``; an int is used for both, None
            keeps the input's size.

    Shape:
        input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``; output: ``(N, C, H_out, W_out)`` or ``(C, H_out,
            W_out)``.

    Raises:
        RuntimeError: ``input`` is not 3-dim or 4-dim, has an empty non-batch dim, or ``output_size`` has the
            wrong length.
        RuntimeError: a negative ``output_size``.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.functional.adaptive_avg_pool2d``.
    """
    if _to_ones("adaptive_avg_pool2d", input, output_size, 2):
        return _global_mean(input, 2)
    sizes = _adaptive_sizes("adaptive_avg_pool2d", input, output_size, 2)
    _check_adaptive("adaptive_avg_pool2d", input, 2, sizes)
    return _adaptive_avg(input, sizes)


@composite(
    torch_name="nn.functional.adaptive_avg_pool1d",
    samples=samples.adaptive_avg_pool1d,
    grad_fn="SqueezeBackward1",
    saves=_one_row,
)
@ordered_avg_grad(_adaptive_geometry(1))
@in_float32
def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    """1-d adaptive average pooling to ``output_size``.

    Output ``i`` pools the window ``[floor(i * L_in / L_out), ceil((i + 1) * L_in / L_out))``.

    Args:
        input (Tensor): the input (floating dtype).
        output_size (int or (int,)): ``L_out``.

    Shape:
        input: ``(N, C, L_in)`` or ``(C, L_in)``; output: ``(N, C, L_out)`` or ``(C, L_out)``.

    Raises:
        RuntimeError: ``input`` is not 2-dim or 3-dim, has an empty non-batch dim, or ``output_size`` has more
            than one value.
        RuntimeError: a negative ``output_size``.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.functional.adaptive_avg_pool1d``.
    """
    sizes = _adaptive_sizes("adaptive_avg_pool1d", input, output_size, 1)
    if sizes == (1,) and input.dim() in (2, 3):  # torch pools it as 2-d, to ones: a mean
        return _global_mean(input, 1)
    _check_adaptive("adaptive_avg_pool1d", input, 1, sizes)
    return _pooled_as_2d(_adaptive_avg, input, sizes)


def _pooled_as_2d(pool, input, sizes):
    """``pool(input, sizes)`` of a 1-d adaptive pool, laid out as torch's, which pools it as a 2-d one over a
    height of 1 (the input unsqueezed at -2): a batch whose channels are innermost makes that view
    channels-last, and the results and the input gradient come back with the channels innermost too."""
    if input.dim() != 3 or input._contiguous or suggested(input.unsqueeze(-2)) != "channels_last":
        return pool(input, sizes)
    if input._requires_grad and is_grad_enabled():
        input = relaid(input, None, _channels_innermost(input.shape))
    out = pool(input, sizes)
    if isinstance(out, tuple):
        return tuple(relaid(o, _channels_innermost(o.shape)) for o in out)
    return relaid(out, _channels_innermost(out.shape))


def _channels_innermost(shape) -> tuple:
    n, c, length = shape
    return (c * length, 1, c)


def _window_index(size, out, device):
    """``(out * k,)`` positions of the longest window ``k``; short windows repeat their last position."""
    bounds = _bounds(size, out)
    k = max((end - start for start, end in bounds), default=1)
    flat = [min(start + j, end - 1) for start, end in bounds for j in range(k)]
    return tensor(flat, dtype=dt.int64, device=device), k


def _adaptive_max(input, sizes):
    """(values, flat indices): each variable window gathered to a fixed length, then reduced by max."""
    lead = tuple(input.shape[: -len(sizes)])
    if any(o == 0 for o in sizes):
        empty = input.new_zeros(lead + sizes)
        # PyTorch records the (2-d) op and refuses its backward on the empty output
        as_2d = list(lead + (1,) * (2 - len(sizes)) + sizes)
        d = next(i for i in range(1, len(as_2d)) if as_2d[i] == 0)
        message = ("adaptive_max_pool2d_backward(): Expected grad_output to have non-zero size for non-batch "
                   f"dimensions, but grad_output has sizes {as_2d} with dimension {d} being empty")
        return no_derivative(empty, message, input), empty.to(dt.int64)
    if one_kernel(input):
        return kernels.adaptive_max(input, sizes)
    x, picks = input, []
    for i, out in enumerate(sizes):
        d = input.dim() - len(sizes) + i
        index, k = _window_index(input.shape[d], out, input.device)
        x = x.index_select(d, index)
        picks.append((index, k))
    ks = [k for _, k in picks]
    # (..., o1, k1, o2, k2, ...) -> (..., o1, o2, ..., k1 * k2 * ...): each output's window on the last dim
    x = x.reshape(*lead, *(n for pair in zip(sizes, ks) for n in pair))
    x = x.permute(*range(len(lead)), *(len(lead) + 2 * i for i in range(len(sizes))),
                  *(len(lead) + 2 * i + 1 for i in range(len(sizes))))
    values, which = _window_max(x.reshape(*lead, *sizes, math.prod(ks)))
    flat, rest = None, math.prod(ks)
    for i, (index, k) in enumerate(picks):
        rest //= k
        pos = _position(index, which // rest % k, k, i - len(sizes))
        flat = pos if flat is None else flat * input.shape[i - len(sizes)] + pos
    if wants_ordered_grad(input):
        values = max_grad_in_order(values, flat, input, len(sizes))
    return values, flat


def _window_max(windows, inside=None, fill=None):
    """(max, offset) over the last dim as PyTorch's adaptive max kernel scans it (``val > max or
    isnan(val)``): the first maximum, or the last nan; the value is gathered there, so the gradient
    goes to that element. ``inside``: where padding (``fill``, the dtype's lowest) was added, the windows'
    in-bounds cells (a bool mask broadcasting against ``windows``): torch's scan starts at the first of
    them, so a window whose real values all equal ``fill`` picks that one, not a padded cell before it."""
    values, which = windows.max(-1)
    if inside is not None:
        size = windows.shape[-1]
        first = ew.where(inside, arange(size, device=windows.device), size).amin(-1)
        which = ew.where(values == fill, first, which)
    if windows.dtype.is_floating_point:
        offsets = arange(windows.shape[-1], device=windows.device)
        last_nan = ew.where(ew.isnan(windows), offsets, -1).amax(-1)
        which = ew.where(last_nan >= 0, last_nan, which)
    return windows.gather(-1, which.unsqueeze(-1)).squeeze(-1), which


def _position(index, which, k, dim):
    """The input position of offset ``which`` in each output's window along ``dim`` (negative)."""
    out = which.shape[dim]
    start = arange(out, device=which.device) * k
    return index.take(which + start.reshape((out,) + (1,) * (-dim - 1)))


@composite(
    torch_name="nn.functional.adaptive_max_pool2d",
    samples=samples.adaptive_max_pool2d,
    grad_fn="AdaptiveMaxPool2DBackward0",
    saves="self=input",
)
@lays_out(like_input)
def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    """2-d adaptive maximum pooling to ``output_size``.

    Output ``i`` pools the window ``[floor(i * L_in / L_out), ceil((i + 1) * L_in / L_out))``, along H and
    along W.

    Args:
        input (Tensor): the input (floating dtype).
        output_size (int or (int or None, int or None)): ``(H_out, W_out)``; an int is used for both, None
            keeps the input's size.
        return_indices (bool): also return the flat index of each maximum. Default: False

    Shape:
        input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``; output: ``(N, C, H_out, W_out)`` or ``(C, H_out,
            W_out)``; indices (int64): the output's shape.

    Raises:
        RuntimeError: ``input`` is not 3-dim or 4-dim, has an empty non-batch dim, or ``output_size`` has the
            wrong length.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.functional.adaptive_max_pool2d``.
    """
    values, indices = adaptive_max_pool2d_with_indices(input, output_size)
    return (values, indices) if return_indices else values


@shell_checked("nn.functional.adaptive_max_pool2d_with_indices")  # refused as its pool is
@lays_out(like_input)
def adaptive_max_pool2d_with_indices(input: Tensor, output_size, return_indices: bool = True):
    """2-d adaptive maximum pooling to ``output_size``; returns ``(values, indices)``.

    Output ``i`` pools the window ``[floor(i * L_in / L_out), ceil((i + 1) * L_in / L_out))``, along H and
    along W.

    Args:
        input (Tensor): the input (floating dtype).
        output_size (int or (int or None, int or None)): ``(H_out, W_out)``; an int is used for both, None
            keeps the input's size.
        return_indices (bool): accepted; the indices are always returned. Default: True

    Shape:
        input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``; output: ``(N, C, H_out, W_out)`` or ``(C, H_out,
            W_out)``; indices (int64): the output's shape.

    Raises:
        RuntimeError: ``input`` is not 3-dim or 4-dim, has an empty non-batch dim, or ``output_size`` has the
            wrong length.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.functional.adaptive_max_pool2d_with_indices``.
    """
    sizes = _adaptive_sizes("adaptive_max_pool2d", input, output_size, 2)
    _check_adaptive("adaptive_max_pool2d", input, 2)
    return _adaptive_max(input, sizes)


@composite(
    torch_name="nn.functional.adaptive_max_pool1d",
    samples=samples.adaptive_max_pool1d,
    grad_fn="SqueezeBackward1",
    saves=_one_row,
)
def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):
    """1-d adaptive maximum pooling to ``output_size``.

    Output ``i`` pools the window ``[floor(i * L_in / L_out), ceil((i + 1) * L_in / L_out))``.

    Args:
        input (Tensor): the input (floating dtype).
        output_size (int or (int,)): ``L_out``.
        return_indices (bool): also return the flat index of each maximum. Default: False

    Shape:
        input: ``(N, C, L_in)`` or ``(C, L_in)``; output: ``(N, C, L_out)`` or ``(C, L_out)``; indices
            (int64): the output's shape.

    Raises:
        RuntimeError: ``input`` is not 2-dim or 3-dim, has an empty non-batch dim, or ``output_size`` has more
            than one value.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.functional.adaptive_max_pool1d``.
    """
    values, indices = adaptive_max_pool1d_with_indices(input, output_size)
    return (values, indices) if return_indices else values


@shell_checked("nn.functional.adaptive_max_pool1d_with_indices")  # refused as its pool is
def adaptive_max_pool1d_with_indices(input: Tensor, output_size, return_indices: bool = True):
    """1-d adaptive maximum pooling to ``output_size``; returns ``(values, indices)``.

    Output ``i`` pools the window ``[floor(i * L_in / L_out), ceil((i + 1) * L_in / L_out))``.

    Args:
        input (Tensor): the input (floating dtype).
        output_size (int or (int,)): ``L_out``.
        return_indices (bool): accepted; the indices are always returned. Default: True

    Shape:
        input: ``(N, C, L_in)`` or ``(C, L_in)``; output: ``(N, C, L_out)`` or ``(C, L_out)``; indices
            (int64): the output's shape.

    Raises:
        RuntimeError: ``input`` is not 2-dim or 3-dim, has an empty non-batch dim, or ``output_size`` has more
            than one value.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.functional.adaptive_max_pool1d_with_indices``.
    """
    sizes = _adaptive_sizes("adaptive_max_pool1d", input, output_size, 1)
    _check_adaptive("adaptive_max_pool1d", input, 1)
    return _pooled_as_2d(_adaptive_max, input, sizes)
