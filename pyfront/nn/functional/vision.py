"""Vision functions of pyfront.nn.functional: ``pad`` (all modes), ``interpolate``, the pixel shuffles.

Non-constant padding and nearest resizing are one ``index_select`` per dim with indices computed
here (PyTorch's formulas), so the gradient is the matching scatter-add; ``'area'`` is PyTorch's adaptive
average pools. Linear, cubic and antialiased resizing are separable linear maps: each spatial dim is
multiplied by a small ``(out, in)`` weight matrix built here, so their gradient is the transposed product.
"""

from __future__ import annotations

import math
import numbers

from ... import _warnings
from ... import dtypes as dt
from ...errors import refuse_halves
from ...shape import refuse_symbolic
from ...ops.composite.shaping import pad as _constant_pad, pad_value
from ...ops.creation import tensor
from ...ops.registry import composite
from ...ops import samples
from ...tensor import Tensor
from ...ops.common import Formula, in_float32
from ...ops.memory_formats import grads_in_incoming_format, incoming_suggested, lays_out, like_input, \
    suggested_result
from .pooling import adaptive_avg_pool1d, adaptive_avg_pool2d
from .pooling3d import adaptive_avg_pool3d

__all__ = [
    "pad",
    "interpolate",
    "upsample",
    "upsample_nearest",
    "upsample_bilinear",
    "pixel_shuffle",
    "pixel_unshuffle",
]

_PAD_MODES = ("constant", "reflect", "replicate", "circular")
_SUPPORTED = (
    "Supported combinations for non-constant padding:\n"
    "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
    "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
    "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
)
_AXES = "DHW"


def _index_along(x, dim, index):
    return x.index_select(dim, tensor(index, dtype=dt.int64, device=x.device))


def _reflect_index(n, left, right):
    """PyTorch's reflection_pad source index of each output position (negative amounts crop)."""
    out, start_in, start_out = [], max(0, -left), max(0, left)
    for j in range(n + left + right):
        if j < left:
            i = 2 * left - j
        elif j < n + left:
            i = j
        else:
            i = 2 * (n + left - 1) - j
        out.append(i - start_out + start_in)
    return out


def _replicate_index(n, left, right):
    start_in, start_out = max(0, -left), max(0, left)
    return [min(max(j, left), n + left - 1) - start_out + start_in for j in range(n + left + right)]


def _circular_index(n, left, right):
    return [(j - left) % n for j in range(n + left + right)]


def _check_non_constant(input, amounts, mode):
    """PyTorch's checks for reflect/replicate/circular padding of ``len(amounts)`` trailing dims."""
    k = len(amounts)
    if k > 3 or input.dim() not in (k + 1, k + 2):  # PyTorch has these modes for 1, 2 and 3 dims only
        raise NotImplementedError(
            f"Padding size {2 * k} is not supported for {input.dim()}D input tensor.\n" + _SUPPORTED
        )
    sizes = input.shape[input.dim() - k :]
    if mode == "circular":
        for n, (left, right) in zip(sizes, amounts):
            if left > n or right > n:
                raise RuntimeError("Padding value causes wrapping around more than once.")
            if n + left + right <= 0:
                raise RuntimeError("Negative padding value is resulting in an empty dimension")
        return
    refuse_symbolic("boxed", [p for pair in amounts for p in pair])  # (torch's dispatcher's, first)
    first = 1 if input.dim() == k + 2 else 0
    if any(n == 0 for n in input.shape[first:]):
        raise RuntimeError(
            f"Expected {k + 1}D or {k + 2}D (batch mode) tensor with possibly 0 batch size and "
            f"other non-zero dimensions for input, but got: {list(input.shape)}"
        )
    if mode == "reflect":
        # PyTorch checks the last dim first (argument #4), then the ones before it (#6, #8)
        for i, ((left, right), n) in enumerate(zip(reversed(amounts), reversed(sizes))):
            if left >= n or right >= n:
                raise RuntimeError(
                    f"Argument #{4 + 2 * i}: Padding size should be less than the corresponding "
                    f"input dimension, but got: padding ({left}, {right}) at dimension "
                    f"{input.dim() - 1 - i} of input {list(input.shape)}"
                )
    outs = [n + left + right for n, (left, right) in zip(sizes, amounts)]
    if any(o < 1 for o in outs):
        axes = _AXES[3 - k :]
        given = ", ".join(f"{a}: {n}" for a, n in zip(axes, sizes))
        calculated = " ".join(f"{a}: {o}" for a, o in zip(axes, outs))
        raise RuntimeError(f"input ({given}) is too small. Calculated output {calculated}")
    if input.dtype is dt.bool_:
        kernel = "reflection" if mode == "reflect" else "replication"
        raise NotImplementedError(f"\"{kernel}_pad{k}d\" not implemented for 'Bool'")


def _pad_node(input, pad, mode="constant", value=None):
    """pad's node, PyTorch's kernel for ``mode`` (circular pads by slice copies)."""
    kernel = {"reflect": "ReflectionPad", "replicate": "ReplicationPad"}.get(mode)
    if kernel is None:
        return "ConstantPadNdBackward0" if mode == "constant" else "CopySlices"
    return f"{kernel}{len(pad) // 2}DBackward0"


def _pad_saves(input, pad, mode="constant", value=None):
    """What pad's node keeps: torch's reflection and replication kernels keep their input."""
    return [("self", input)] if mode in ("reflect", "replicate") else []


def _interpolate_node(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                      recompute_scale_factor=None, antialias=False):
    """interpolate's node: PyTorch's upsample kernel for ``mode`` and the number of spatial dims."""
    n = input.dim() - 2
    if mode == "area":
        return "SqueezeBackward1" if n == 1 else f"AdaptiveAvgPool{n}DBackward0"
    kernel = {"nearest": "Nearest", "nearest-exact": "NearestExact", "linear": "Linear",
              "bilinear": "Bilinear", "bicubic": "Bicubic", "trilinear": "Trilinear"}.get(mode)
    return kernel and f"Upsample{kernel}{n}D{'Aa' if antialias else ''}Backward0"


def _pad_layout(input, pad, mode="constant", value=None):
    """pad's result layout (lays_out's rule): its kernels' (the input's suggested format); circular padding
    is slice copies into a contiguous result; the constant pad (ops' pad) lays out its own, and its gradient
    as the incoming one (torch's constant_pad_nd and its backward)."""
    return None if mode in ("circular", "constant") else like_input(input)


def _interpolate_layout(input, size=None, scale_factor=None, mode="nearest", *args, **kwargs):
    """interpolate's result layout (lays_out's rule): its kernels', the input's suggested format; its input
    gradient's: area's (adaptive pools) the input's format too, the others' _interpolate_grad_format's; 1-d
    area's none (its adaptive pool lays out its own, as torch's 2-d one)."""
    formats = like_input(input)
    if formats is None or mode == "area" and input.dim() == 3:
        return None
    return formats[0], formats[1] if mode == "area" else None


def _interpolate_grad_format(input, size=None, scale_factor=None, mode="nearest", *args, **kwargs):
    """interpolate's input gradient's format (grads_in_incoming_format's rule): torch's upsampling backward
    kernels make it in the format the incoming gradient suggests, bicubic's and 3-d nearest's contiguous;
    area's as its adaptive pool lays it out (None)."""
    if mode == "area":
        return None
    if mode == "bicubic" or mode in ("nearest", "nearest-exact") and input.dim() == 5:
        return "contiguous_format"
    return "suggested"


@composite(torch_name="nn.functional.pad", samples=samples.pad, grad_fn=_pad_node, saves=_pad_saves)
@lays_out(_pad_layout)
def pad(input: Tensor, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pads (or, with negative amounts, crops) the last ``len(pad) // 2`` dims.

    ``pad = (left_last, right_last, left_2nd_last, right_2nd_last, ...)``: each trailing dim grows by its two
    amounts.

    Args:
        input (Tensor): the input.
        pad (sequence of int): the amounts, last dim first; an even number, at most ``2 * input.dim()``.
        mode (str): ``'constant'`` (fill with ``value``), ``'reflect'`` (mirror, edge not repeated),
            ``'replicate'`` (repeat the edge) or ``'circular'`` (wrap around). Default: ``'constant'``
        value (float, optional): the fill of ``'constant'`` (None: 0); other modes refuse a non-zero one.
            Default: None

    Shape:
        input: ``(*, D_1, ..., D_k)``, k = ``len(pad) // 2``; output: ``(*, D_1 + l_1 + r_1, ...)``. The
            non-constant modes pad ``(N, C, L)``/``(C, L)``, ``(N, C, H, W)``/``(C, H, W)`` or 5-d/4-d inputs.

    Raises:
        NotImplementedError: an unknown mode; a non-constant mode for an input rank it does not support, or on
            a bool input (reflect, replicate).
        RuntimeError: an odd or too long ``pad``, ``value`` with a non-constant mode, a reflect amount not
            below the dim's size, a circular amount above it, or an empty result.

    Matches ``torch.nn.functional.pad``.
    """
    if mode not in _PAD_MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    pad = [int(p) for p in pad]
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) > 2 * input.dim():
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension but got "
            f"padding length {len(pad)} and input of dimension {input.dim()}"
        )
    if mode == "constant":
        return _constant_pad(input, pad, value=pad_value(0 if value is None else value, input.dtype))
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    k = len(pad) // 2
    amounts = [(pad[2 * (k - 1 - i)], pad[2 * (k - 1 - i) + 1]) for i in range(k)]  # first padded dim first
    _check_non_constant(input, amounts, mode)
    source = {"reflect": _reflect_index, "replicate": _replicate_index, "circular": _circular_index}[mode]
    out = input
    for i, (left, right) in enumerate(amounts):
        d = input.dim() - k + i
        out = _index_along(out, d, source(input.shape[d], left, right))
    return out


# -- interpolate -------------------------------------------------------------------------------------
_MODES_TEXT = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"
_RANK = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}
_ADAPTIVE_AVG = {3: adaptive_avg_pool1d, 4: adaptive_avg_pool2d, 5: adaptive_avg_pool3d}


def _scale(in_size, out_size, scale_factor, align_corners, as_float):
    """PyTorch's area_pixel_compute_scale (the input step per output step)."""
    rnd = dt.round_float32 if as_float else float
    if align_corners:
        return rnd((in_size - 1) / (out_size - 1)) if out_size > 1 else 0.0
    if scale_factor is not None and scale_factor > 0:
        return rnd(1.0 / scale_factor)
    return rnd(in_size / out_size)


def _nearest_index(in_size, out_size, scale_factor, exact):
    if not exact and out_size == in_size:
        return list(range(out_size))
    if not exact and out_size == 2 * in_size:
        return [j >> 1 for j in range(out_size)]
    scale = _scale(in_size, out_size, scale_factor, False, True)
    offset = 0.5 if exact else 0.0
    f32 = dt.round_float32
    return [min(math.floor(f32(f32(j + offset) * scale)), in_size - 1) for j in range(out_size)]


def _cubic1(t, a):
    """PyTorch's cubic_convolution1: Keys' kernel for distances 0 <= t <= 1 (a float or a tensor)."""
    return ((a + 2) * t - (a + 3)) * t * t + 1


def _cubic2(t, a):
    """PyTorch's cubic_convolution2: Keys' kernel for distances 1 < t < 2 (a float or a tensor)."""
    return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a


def _cubic(t, a):
    """The cubic convolution kernel of PyTorch's bicubic weights at distance ``t``."""
    t = abs(t)
    if t <= 1:
        return _cubic1(t, a)
    if t < 2:
        return _cubic2(t, a)
    return 0.0


def _cubic_coefficients(t, a=-0.75):
    """The weights of the four taps floor(x) - 1 .. floor(x) + 2 for fraction ``t`` = x - floor(x) in
    [0, 1], as PyTorch's get_cubic_upsample_coefficients (same operations, so the same roundings);
    ``t`` is a float or a tensor, so grid_sample differentiates through it."""
    return _cubic2(t + 1, a), _cubic1(t, a), _cubic1(1 - t, a), _cubic2((1 - t) + 1, a)


def _interp_taps(mode, in_size, out_size, scale_factor, align_corners, as_float, low=None):
    """Each output's taps along one dim of a linear or cubic resize: ``(input index, weight)`` pairs in
    PyTorch's order (2 linear, 4 cubic). ``low``: the weights as PyTorch's kernels store them for an input of
    that 16-bit dtype, rounded to it (linear's second first, its first then 1 less the rounded second)."""
    scale = _scale(in_size, out_size, scale_factor, align_corners, as_float)
    rnd = dt.round_float32 if as_float else float
    taps = []
    for j in range(out_size):
        real = rnd(scale * j) if align_corners else rnd(rnd(scale * rnd(j + 0.5)) - 0.5)
        if mode != "cubic" and real < 0:
            real = 0.0
        index = min(math.floor(real), in_size - 1)
        t = min(max(real - index, 0.0), 1.0)
        if mode == "cubic":
            weights = [dt.round_half(w, low) if low else w for w in _cubic_coefficients(t)]
            taps.append([(min(max(index + k, 0), in_size - 1), w) for k, w in zip(range(-1, 3), weights)])
        else:
            t = dt.round_half(t, low) if low else t
            taps.append([(index, dt.round_half(1 - t, low) if low else 1 - t),
                         (index + (index < in_size - 1), t)])
    return taps


def _interp_rows(mode, in_size, out_size, scale_factor, align_corners, as_float):
    """The (out, in) weight rows of a separable linear or cubic resize along one dim."""
    rows = []
    for taps in _interp_taps(mode, in_size, out_size, scale_factor, align_corners, as_float):
        row = [0.0] * in_size
        for i, w in taps:
            row[i] += w
        rows.append(row)
    return rows


def _antialias_rows(mode, in_size, out_size, scale_factor, align_corners):
    """PyTorch's antialiased weights: the filter widened by the downscale factor, normalized per output."""
    scale = _scale(in_size, out_size, scale_factor, align_corners, False)
    support = (2 if mode == "linear" else 4) * 0.5
    support, inv = (support * scale, 1.0 / scale) if scale >= 1.0 else (support, 1.0)
    rows = []
    for j in range(out_size):
        center = scale * (j + 0.5)
        lo = max(int(center - support + 0.5), 0)
        hi = min(int(center + support + 0.5), in_size)
        weights = [
            (
                max(0.0, 1.0 - abs((i - center + 0.5) * inv))
                if mode == "linear"
                else _cubic((i - center + 0.5) * inv, -0.5)
            )
            for i in range(lo, hi)
        ]
        total = sum(weights)
        row = [0.0] * in_size
        for i, w in zip(range(lo, hi), weights):
            row[i] = w / total if total else w
        rows.append(row)
    return rows


def _apply_rows(x, dim, rows):
    """``x`` with dim ``dim`` mapped through the (out, in) matrix ``rows``."""
    matrix = tensor(rows, dtype=x.dtype, device=x.device).reshape(len(rows), x.shape[dim])
    return x.movedim(dim, -1).matmul(matrix.mT).movedim(-1, dim)


def _output_sizes(input, size, scale_factor, recompute_scale_factor, mode):
    nd = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != nd:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got input "
                    f"with spatial dimensions of {list(input.shape[2:])} and output size of {size}. "
                    "Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in "
                    "(o1, o2, ...,oK) format."
                )
            if not all(
                # (torch's _is_integer: an int, a NumPy integer, a tensor of integers)
                isinstance(v, numbers.Integral) or (isinstance(v, Tensor) and not v.dtype.is_floating_point)
                for v in size
            ):
                raise TypeError(
                    "expected size to be one of int or Tuple[int] or Tuple[int, int] or Tuple[int, int, "
                    f"int], but got size with types {[type(v) for v in size]}"
                )
            sizes = [int(v) for v in size]
        else:
            sizes = [int(size)] * nd
        scales = [None] * nd
    elif scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != nd:
                raise ValueError(
                    "Input and scale_factor must have the same number of spatial dimensions, but got "
                    f"input with spatial dimensions of {list(input.shape[2:])} and scale_factor of "
                    f"shape {scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) "
                    "format and scale_factor in (s1, s2, ...,sK) format."
                )
            scales = [float(v) for v in scale_factor]
        else:
            scales = [float(scale_factor)] * nd
        sizes = [math.floor(n * sf) for n, sf in zip(input.shape[2:], scales)]
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if recompute_scale_factor or mode == "area":  # sizes from the scale, coordinates from the sizes
        scales = [None] * nd
    return sizes, scales


def _kernel_name(mode: str, nd: int) -> str:
    """The C++ function torch's interpolate hands ``mode`` to (its parser names it)."""
    if mode == "area":
        return f"adaptive_avg_pool{nd}d"
    return f"_upsample_nearest_exact{nd}d" if mode == "nearest-exact" else f"upsample_{mode}{nd}d"


def _check_sizes(input, sizes, mode):
    """torch's upsample kernels' checks, in order: its parser's read of the sizes (C long longs), their
    common shape check (its 1-d words say "and output"), the result's bytes, then the dtype."""
    from ...ops.argcheck import _unpack_ints
    from ...ops.creation import check_storage
    _unpack_ints(_kernel_name(mode, len(sizes)), "output_size", sizes)
    axes = _AXES[3 - len(sizes) :]
    if any(n <= 0 for n in input.shape[2:]) or any(o <= 0 for o in sizes):
        given = ", ".join(f"{a}: {n}" for a, n in zip(axes, input.shape[2:]))
        wanted = ", ".join(f"{a}: {o}" for a, o in zip(axes, sizes))
        joined = " and" if len(sizes) == 1 else ""
        raise RuntimeError("Input and output sizes should be greater than 0, but got "
                           f"input ({given}){joined} output ({wanted})")
    if input.numel() == 0 and input.shape[0] != 0:
        raise RuntimeError(
            f"Non-empty {input.dim()}D data tensor expected but got a tensor with sizes {list(input.shape)}"
        )
    check_storage((*input.shape[:2], *sizes), input.dtype)
    # PyTorch's nearest kernels take uint8 (images); its bilinear/bicubic uint8 kernels are not matched here
    byte_ok = input.dtype is dt.uint8 and mode.startswith("nearest")
    if not input.dtype.is_floating_point and mode != "area" and not byte_ok:  # (area: its pool refuses)
        # the name of PyTorch's CPU kernel that refuses integers
        if len(sizes) == 2 and mode in ("nearest", "nearest-exact", "bilinear"):
            kernel = f"upsample_{'bilinear' if mode == 'bilinear' else 'nearest'}2d_channels_last"
        else:
            weights = {"nearest-exact": "nearest", "bilinear": "linear", "trilinear": "linear",
                       "bicubic": "cubic"}
            kernel = f"compute_indices_weights_{weights.get(mode, mode)}"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt.scalar_name(input.dtype)}'")


@composite(torch_name="nn.functional.interpolate", samples=samples.interpolate, grad_fn=_interpolate_node)
@grads_in_incoming_format(_interpolate_grad_format)
@lays_out(_interpolate_layout)
def interpolate(
    input: Tensor,
    size=None,
    scale_factor=None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
    antialias: bool = False,
) -> Tensor:
    """Resizes the spatial dims of ``(N, C, *spatial)`` to ``size`` or by ``scale_factor``.

    Give exactly one of ``size`` and ``scale_factor``. With step ``s = 1 / scale_factor`` (or ``in / out``),
    output index i reads input coordinate ``(i + 0.5) * s - 0.5`` in the linear and cubic modes (``i * (in -
    1) / (out - 1)`` with ``align_corners``), ``floor(i * s)`` in ``'nearest'`` and ``floor((i + 0.5) * s)``
    in ``'nearest-exact'``.

    Args:
        input (Tensor): ``(N, C, L)``, ``(N, C, H, W)`` or ``(N, C, D, H, W)``.
        size (int or tuple of int, optional): the output's spatial size. Default: None
        scale_factor (float or tuple of float, optional): multiplier of each spatial size (the output size is
            floored). Default: None
        mode (str): ``'nearest'``, ``'nearest-exact'``, ``'area'`` (adaptive average), ``'linear'`` (3-d),
            ``'bilinear'``/``'bicubic'`` (4-d) or ``'trilinear'`` (5-d). Default: ``'nearest'``
        align_corners (bool, optional): for the linear and cubic modes: map the corner pixels' centres onto
            each other (None: False); the other modes refuse it. Default: None
        recompute_scale_factor (bool, optional): compute the coordinates from the output size rather than from
            ``scale_factor``; not with ``size``. Default: None
        antialias (bool): low-pass filter when downscaling (bilinear and bicubic, 4-d only). Default: False

    Shape:
        input: ``(N, C, L_in)``, ``(N, C, H_in, W_in)`` or ``(N, C, D_in, H_in, W_in)``; output: ``(N, C,
            *size)`` or ``(N, C, floor(spatial * scale_factor))``.

    Raises:
        ValueError: both or neither of ``size``/``scale_factor``, a length that differs from the spatial rank,
            ``align_corners`` with a non-interpolating mode, ``recompute_scale_factor`` with ``size``, or
            ``antialias`` outside bilinear/bicubic 4-d.
        TypeError: a non-integer ``size`` entry.
        NotImplementedError: an unknown mode, an input rank the mode does not take, or an integer dtype (uint8
            is allowed with the nearest modes; ``'area'`` refuses as its adaptive pool).
        RuntimeError: an empty input or output size.

    Matches ``torch.nn.functional.interpolate`` (bicubic: Keys 1981, a = -0.75; -0.5 with antialias).
    """
    if antialias and mode in ("bilinear", "bicubic") and isinstance(input, Tensor) and input.dim() == 4:
        refuse_halves("compute_index_ranges_weights", input.dtype)  # seen before in_float32 goes up
    return _interpolate(input, size, scale_factor, mode, align_corners, recompute_scale_factor, antialias)


def _interpolate(input, size, scale_factor, mode, align_corners, recompute_scale_factor, antialias) -> Tensor:
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError(
                "align_corners option can only be set with the interpolating modes: linear | bilinear "
                "| bicubic | trilinear"
            )
    elif align_corners is None:
        align_corners = False
    sizes, scales = _output_sizes(input, size, scale_factor, recompute_scale_factor, mode)
    if antialias and not (mode in ("bilinear", "bicubic") and input.dim() == 4):
        raise ValueError(
            "Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a 4-D "
            "tensor as input"
        )
    known = mode in ("nearest", "nearest-exact", "area") or mode in _RANK
    if not known or input.dim() not in (3, 4, 5) or (mode == "bicubic" and input.dim() != 4):
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) for "
            f"the modes: {_MODES_TEXT} (got {mode})"
        )
    if mode in _RANK and input.dim() != _RANK[mode]:
        raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs {_RANK[mode]}D input")
    if mode == "area":  # torch's adaptive average pools (their 16-bit sums and gradients, their dtype checks)
        return _ADAPTIVE_AVG[input.dim()](input, sizes)
    _check_sizes(input, sizes, mode)
    return _resample(input, sizes, scales, mode, align_corners, antialias, input.dtype)


@in_float32
def _resample(input, sizes, scales, mode, align_corners, antialias, given) -> Tensor:
    """``input`` resized to ``sizes`` by nearest, linear or cubic weights (float32 for a ``given`` 16-bit
    input)."""
    if given in dt.HALVES and mode in ("linear", "trilinear", "bicubic") and not antialias:
        return _taps_as_torch16(input, sizes, scales, "cubic" if mode == "bicubic" else "linear",
                                align_corners, given)
    out = input
    for i, (n, o, sf) in enumerate(zip(input.shape[2:], sizes, scales)):
        d = 2 + i
        if mode in ("nearest", "nearest-exact"):
            out = _index_along(out, d, _nearest_index(n, o, sf, mode == "nearest-exact"))
        elif antialias:
            out = _apply_rows(
                out, d, _antialias_rows("linear" if mode == "bilinear" else "cubic", n, o, sf, align_corners)
            )
        else:
            out = _apply_rows(
                out,
                d,
                _interp_rows(
                    "cubic" if mode == "bicubic" else "linear",
                    n,
                    o,
                    sf,
                    align_corners,
                    input.dtype is not dt.float64,
                ),
            )
    return out


def _taps_as_torch16(input, sizes, scales, kind, align_corners, low) -> Tensor:
    """A 16-bit linear, trilinear or bicubic resize of float32 ``input`` as torch's kernel computes it: its
    weights rounded to the dtype, each output the taps of the first dim over those of the next (the last
    innermost), in float32. Its gradient is the float32 weights' transposed maps, as torch's backward."""
    dims = range(2, input.dim())
    spans = list(zip(input.shape[2:], sizes, scales))
    taps = [_interp_taps(kind, n, o, sf, align_corners, True, low) for n, o, sf in spans]
    rows = [_interp_rows(kind, n, o, sf, align_corners, True) for n, o, sf in spans]

    def value(x):
        for d in reversed(dims):  # the inner sums first
            out = None
            for k in range(len(taps[d - 2][0])):
                picked = _index_along(x, d, [t[k][0] for t in taps[d - 2]])
                w = tensor([t[k][1] for t in taps[d - 2]], dtype=x.dtype, device=x.device)
                term = picked * w.reshape((-1,) + (1,) * (x.dim() - 1 - d))
                out = term if out is None else out + term
            x = out
        return x

    def backward(g, x):
        for d in reversed(dims):
            g = _apply_rows(g, d, [list(column) for column in zip(*rows[d - 2])])
        return g
    return Formula.apply(value, backward, input)


_UPSAMPLE_DEPRECATED = "`nn.functional.{}` is deprecated. Use `nn.functional.interpolate` instead."


def upsample(
    input: Tensor, size=None, scale_factor=None, mode: str = "nearest", align_corners=None
) -> Tensor:
    """Resizes as ``interpolate(input, size, scale_factor, mode, align_corners)``: its deprecated name.

    Args:
        input (Tensor): ``(N, C, L)``, ``(N, C, H, W)`` or ``(N, C, D, H, W)``.
        size (int or tuple of int, optional): the output's spatial size. Default: None
        scale_factor (float or tuple of float, optional): multiplier of each spatial size (the output size is
            floored). Default: None
        mode (str): as in ``interpolate``. Default: ``'nearest'``
        align_corners (bool, optional): as in ``interpolate``. Default: None

    Shape:
        input: ``(N, C, *spatial)``; output: ``(N, C, *size)``, as ``interpolate``.

    Raises what ``interpolate`` raises. Matches ``torch.nn.functional.upsample``.
    """
    _warnings.warn(_UPSAMPLE_DEPRECATED.format("upsample"))
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """Nearest-neighbour resize: ``interpolate(mode='nearest')``, under its deprecated name.

    Args:
        input (Tensor): ``(N, C, L)``, ``(N, C, H, W)`` or ``(N, C, D, H, W)``.
        size (int or tuple of int, optional): the output's spatial size. Default: None
        scale_factor (float or tuple of float, optional): multiplier of each spatial size (the output size is
            floored). Default: None

    Shape:
        input: ``(N, C, *spatial)``; output: ``(N, C, *size)``, as ``interpolate``.

    Raises what ``interpolate`` raises. Matches ``torch.nn.functional.upsample_nearest``.
    """
    _warnings.warn(_UPSAMPLE_DEPRECATED.format("upsample_nearest"))
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """Bilinear resize with aligned corners: ``interpolate(mode='bilinear', align_corners=True)``.

    The deprecated name; the input must be 4-d.

    Args:
        input (Tensor): ``(N, C, L)``, ``(N, C, H, W)`` or ``(N, C, D, H, W)``.
        size (int or tuple of int, optional): the output's spatial size. Default: None
        scale_factor (float or tuple of float, optional): multiplier of each spatial size (the output size is
            floored). Default: None

    Shape:
        input: ``(N, C, H_in, W_in)``; output: ``(N, C, H_out, W_out)``.

    Raises what ``interpolate`` raises. Matches ``torch.nn.functional.upsample_bilinear``.
    """
    _warnings.warn(_UPSAMPLE_DEPRECATED.format("upsample_bilinear"))
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# -- pixel shuffles --------------------------------------------------------------------------------
@composite(torch_name="nn.functional.pixel_shuffle", samples=samples.pixel_shuffle,
           grad_fn="PixelShuffleBackward0")
@grads_in_incoming_format(incoming_suggested)  # torch's backward: pixel_unshuffle of the incoming gradient
@lays_out(suggested_result)
def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """Rearranges channels into space: ``(*, C * r^2, H, W) -> (*, C, H * r, W * r)``.

    r = ``upscale_factor``. ``out[..., c, h * r + i, w * r + j] = in[..., c * r^2 + i * r + j, h, w]``.

    Args:
        input (Tensor): at least 3-dim.
        upscale_factor (int): r.

    Shape:
        input: ``(*, C * r^2, H, W)``; output: ``(*, C, H * r, W * r)``.

    Raises:
        RuntimeError: fewer than 3 dims, a factor not positive, or channels not divisible by ``r^2``.

    Follows Shi et al. 2016 (sub-pixel convolution), as ``torch.nn.functional.pixel_shuffle``.
    """
    if input.dim() < 3:
        raise RuntimeError(
            f"pixel_shuffle expects input to have at least 3 dimensions, but got input with "
            f"{input.dim()} dimension(s)"
        )
    r = int(upscale_factor)  # an int or a 0-d integer tensor (argcheck's parse)
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    *lead, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError(
            "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
            f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r}"
        )
    x = input.reshape(*lead, c // (r * r), r, r, h, w)
    n = len(lead)
    x = x.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return x.reshape(*lead, c // (r * r), h * r, w * r)


@composite(
    torch_name="nn.functional.pixel_unshuffle",
    samples=samples.pixel_unshuffle,
    grad_fn="PixelUnshuffleBackward0",
)
@grads_in_incoming_format(incoming_suggested)  # torch's backward: pixel_shuffle of the incoming gradient
@lays_out(suggested_result)
def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """Rearranges space into channels: ``(*, C, H * r, W * r) -> (*, C * r^2, H, W)``.

    r = ``downscale_factor``. The inverse of ``pixel_shuffle``.

    Args:
        input (Tensor): at least 3-dim.
        downscale_factor (int): r.

    Shape:
        input: ``(*, C, H * r, W * r)``; output: ``(*, C * r^2, H, W)``.

    Raises:
        RuntimeError: fewer than 3 dims, a factor not positive, or a height or width not divisible by r.

    Follows Shi et al. 2016, as ``torch.nn.functional.pixel_unshuffle``.
    """
    if input.dim() < 3:
        raise RuntimeError(
            f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
            f"{input.dim()} dimension(s)"
        )
    r = int(downscale_factor)  # an int or a 0-d integer tensor (argcheck's parse)
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    *lead, c, h, w = input.shape
    if h % r:
        raise RuntimeError(
            "pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)="
            f"{h} is not divisible by {r}"
        )
    if w % r:
        raise RuntimeError(
            "pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)="
            f"{w} is not divisible by {r}"
        )
    if not input.numel():  # torch's kernel hands an empty input back as it is (a copy), its shape unchanged
        return input.clone()
    x = input.reshape(*lead, c, h // r, r, w // r, r)
    n = len(lead)
    x = x.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return x.reshape(*lead, c * r * r, h // r, w // r)
