"""Convolutions of pyfront.nn.functional: unfold/fold and conv{1,2,3}d/conv_transpose{1,2,3}d.

A convolution is ``im2col`` (every window as a column) followed by one (grouped, batched) matmul
with the flattened weight; a transposed convolution is the matmul with the transposed weight
followed by ``col2im``. Both primitives are each other's VJP, so every gradient is exact. A convolution
of more dims is a sum, over the kernel's first dim, of convolutions of one dim fewer with the output's
planes folded into the batch (``_conv_nd``, ``_conv_transpose_nd``): one implementation for every rank.

The column matrix is the kernel area times the input, so a batch is convolved in pieces whose
intermediates each fit CHUNK_BYTES (WebGPU's default storage binding limit, which every adapter
grants), and where one sample's exceed it, a convolution in bands of output rows: any batch whose
input and output fit in memory runs, forward and backward.
"""

from __future__ import annotations

import functools
import math

from ... import _warnings
from ... import dtypes as dt
from ...autograd.graph import saved_as_torch
from ...dtypes import cpp_name, scalar_name
from ...ops.primitives.elementwise import relaid
from ...ops.primitives.nn import blocks, col2im, im2col
from ...ops.primitives.shaping import cat
from ...ops.composite.shaping import pad as _constant_pad
from ...ops.registry import composite, records
from ...ops import samples
from ...shape import LONG_LONG_MAX, contiguous_strides, refuse_symbolic, wrap_int
from ...tensor import Tensor, _castable
from ...autograd import grad as autograd_grad
from ...autograd.grad_mode import enable_grad, is_grad_enabled
from ...ops.common import Formula, in_float32_of_one_dtype
from ...ops.creation import zeros
from ...ops.memory_formats import lays_out, like_input_or_weight, like_input_or_weight_3d, like_weight
from ...strides_order import non_overlapping_and_dense

__all__ = ["unfold", "fold", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d"]

CHUNK_BYTES = 128 << 20  # the largest intermediate (column matrix, product) one piece of a batch makes


def in_pieces(fn, x, per_sample: int):
    """``fn`` over ``x``'s batch, in pieces whose intermediates (``per_sample`` elements of each
    sample) fit CHUNK_BYTES, the results (a tensor or a tuple of them) joined along the batch."""
    n = x.shape[0]
    step = max(1, CHUNK_BYTES // max(1, per_sample * x.dtype.itemsize))
    if n <= step:
        return fn(x)
    pieces = [fn(x.narrow(0, i, min(step, n - i))) for i in range(0, n, step)]
    if isinstance(pieces[0], tuple):
        return tuple(cat(list(parts), 0) for parts in zip(*pieces))
    return cat(pieces, 0)


def ntuple(value, n: int, name: str) -> tuple:
    """An int, or a sequence of exactly ``n`` ints, as an n-tuple (``torch.nn.modules.utils._ntuple``)."""
    if isinstance(value, (tuple, list)):
        if len(value) != n:
            raise RuntimeError(f"It is expected {name} equals to {n}, but got size {len(value)}")
        return tuple(int(v) for v in value)
    return (int(value),) * n


def _check_positive(name, label, values, strict=True):
    if any(v <= 0 if strict else v < 0 for v in values):
        kind = "greater than zero" if strict else "non-negative"
        raise RuntimeError(
            f"{name} should be {kind}, but got {label}_height: {values[0]} {label}_width: {values[1]}"
        )


def _check_float_or_bool(kernel, input):
    if not input.dtype.is_floating_point and input.dtype.name != "bool":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(input.dtype)}'")


def _conv_node(input, weight, *args, **kwargs):
    """The convolutions' node; an unbatched input is squeezed back after it."""
    return "SqueezeBackward1" if input.dim() < weight.dim() else "ConvolutionBackward0"


def _conv_saves(input, weight, bias=None, stride=1, padding=0, dilation=1, *args, **kwargs):
    """What torch's ConvolutionBackward0 saves: the input (unbatched: its batch of one, a view, which the
    squeeze after it does not show; with padding='same' of an odd extra, its zero-padded copy) and the
    weight."""
    unbatched = input.dim() < weight.dim()
    if unbatched:
        input = input.unsqueeze(0)
    if padding == "same":
        nd = weight.dim() - 2
        amounts = _same_pads(weight, _conv_param(dilation, "dilation", nd, nd))[1]
        input = _constant_pad(input, amounts) if amounts else input
    if unbatched:
        return [(None, input), (None, weight)]
    return [("input", input), ("weight", weight)]


# -- unfold / fold -------------------------------------------------------------------------------
@records("Im2ColBackward0")
def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Extracts sliding local blocks of a batched image into columns (im2col).

    ``L = prod_d floor((size_d + 2 * padding_d - dilation_d * (kernel_size_d - 1) - 1) / stride_d + 1)``, the
    number of blocks, ``size`` the input's (H, W).

    Args:
        input (Tensor): ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size (int or (int, int)): the block size.
        dilation (int or (int, int)): the spacing between block elements. Default: 1
        padding (int or (int, int)): implicit zeros on each side of the image. Default: 0
        stride (int or (int, int)): the step between blocks. Default: 1

    Shape:
        input: ``(N, C, H, W)`` or ``(C, H, W)``; output: ``(N, C * kH * kW, L)`` or ``(C * kH * kW, L)``.

    Raises:
        IndexError: an input of fewer than 3 dims.
        RuntimeError: another rank or an empty dim, a non-positive kernel/dilation/stride, negative padding,
            an argument pair of the wrong length, or no whole block.
        NotImplementedError: an integer dtype.

    Matches ``torch.nn.functional.unfold``.
    """
    kernel_size = ntuple(kernel_size, 2, "kernel_size")
    dilation, padding, stride = (
        ntuple(v, 2, n) for v, n in ((dilation, "dilation"), (padding, "padding"), (stride, "stride"))
    )
    _check_positive("kernel size", "kernel", kernel_size)
    _check_positive("dilation", "dilation", dilation)
    _check_positive("padding", "pad", padding, strict=False)
    _check_positive("stride", "stride", stride)
    input.size(1), input.size(2)  # torch reads both before the rank: its IndexError below 3 dims
    if input.dim() not in (3, 4) or any(n == 0 for n in input.shape[-3:]):
        raise RuntimeError(
            "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
            f"dimensions for input, but got: {list(input.shape)}"
        )
    out_size = blocks(input.shape[-2:], kernel_size, dilation, padding, stride)
    if any(n < 1 for n in out_size):
        raise RuntimeError(
            f"Given input with spatial size {tuple(input.shape[-2:])}, kernel_size={kernel_size}, "
            f"dilation={dilation}, padding={padding}, calculated shape of the array of sliding "
            f"blocks as {out_size}, but its components must be at least one."
        )
    _check_float_or_bool("im2col_out_cpu", input)
    if input.dim() == 3:
        return im2col(input.unsqueeze(0), kernel_size, dilation, padding, stride).squeeze(0)
    return im2col(input, kernel_size, dilation, padding, stride)


@records("Col2ImBackward0")
def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sums columns of sliding local blocks back into an image (col2im), the inverse layout of ``unfold``.

    Overlapping block elements are added. ``L = prod_d floor((size_d + 2 * padding_d - dilation_d *
    (kernel_size_d - 1) - 1) / stride_d + 1)``, ``size`` the ``output_size``.

    Args:
        input (Tensor): ``(N, C * kH * kW, L)`` or ``(C * kH * kW, L)``.
        output_size (int or (int, int)): the image's spatial size ``(H, W)``.
        kernel_size (int or (int, int)): the block size.
        dilation (int or (int, int)): the spacing between block elements. Default: 1
        padding (int or (int, int)): implicit zeros on each side of the image. Default: 0
        stride (int or (int, int)): the step between blocks. Default: 1

    Shape:
        input: ``(N, C * kH * kW, L)`` or ``(C * kH * kW, L)``; output: ``(N, C, H, W)`` or ``(C, H, W)``.

    Raises:
        RuntimeError: a bad rank or an empty dim, dim -2 not divisible by ``kH * kW``, L not the number of
            blocks, a non-positive kernel/dilation/stride, negative padding, or a pair of the wrong length.
        NotImplementedError: an integer dtype.

    Matches ``torch.nn.functional.fold``.
    """
    output_size = ntuple(output_size, 2, "output_size")
    kernel_size = ntuple(kernel_size, 2, "kernel_size")
    dilation, padding, stride = (
        ntuple(v, 2, n) for v, n in ((dilation, "dilation"), (padding, "padding"), (stride, "stride"))
    )
    _check_positive("kernel size", "kernel", kernel_size)
    _check_positive("dilation", "dilation", dilation)
    _check_positive("padding", "pad", padding, strict=False)
    _check_positive("stride", "stride", stride)
    if input.dim() not in (2, 3) or any(n == 0 for n in input.shape[-2:]):
        raise RuntimeError(
            "Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero "
            f"dimensions for input, but got: {list(input.shape)}"
        )
    channels, length = input.shape[-2:]
    kk = kernel_size[0] * kernel_size[1]
    if channels % kk:
        raise RuntimeError(
            "Expected size of input's dimension 1 to be divisible by the product of kernel_size, "
            f"but got input.size(1)={channels} and kernel_size={kernel_size}."
        )
    bh, bw = blocks(output_size, kernel_size, dilation, padding, stride)
    if length != bh * bw or bh < 1 or bw < 1:
        raise RuntimeError(
            f"Given output_size={output_size}, kernel_size={kernel_size}, dilation={dilation}, "
            f"padding={padding}, stride={stride}, expected size of input's dimension 2 to match "
            f"the calculated number of sliding blocks {bh} * {bw} = {bh * bw}, but got "
            f"input.size(2)={length}."
        )
    _check_float_or_bool("col2im_out_cpu", input)
    if input.dim() == 2:
        return col2im(input.unsqueeze(0), output_size, kernel_size, dilation, padding, stride).squeeze(0)
    return col2im(input, output_size, kernel_size, dilation, padding, stride)


# -- argument checks shared by the convolutions, in PyTorch's order ------------------------------
def _conv_param(value, name, nd, wd):
    """torch's parsing: an int becomes ``nd`` copies, a 1-list ``wd`` (the weight's spatial dims)."""
    values = [int(v) for v in value] if isinstance(value, (tuple, list)) else [int(value)] * nd
    if len(values) == 1:
        values = values * wd
    if len(values) != wd:
        raise RuntimeError(
            f"expected {name} to be a single integer value or a list of {wd} values to match the "
            f"convolution dimensions, but got {name}={values}"
        )
    return tuple(values)


def _check_weight_rank(input, weight, nd, by_mode):
    """torch's first check of the weight: three dims at least; a padding mode's path then compares the
    (batched) input's rank with it at once (the others after the arguments' values: _check_conv)."""
    if weight.dim() < 3:
        raise RuntimeError("weight should have at least three dimensions")
    if by_mode and weight.dim() != nd + 2:
        _refuse_ranks(input if input.dim() == nd + 2 else input.unsqueeze(0), weight, "")


def _refuse_ranks(input, weight, space=" "):
    """torch's refusal of a weight whose rank is not the batched input's (a padding mode's words have no
    space before the weight's sizes)."""
    rank = weight.dim()
    raise RuntimeError(f"Expected {rank}-dimensional input for {rank}-dimensional weight{space}"
                       f"{list(weight.shape)}, but got {input.dim()}-dimensional input of size "
                       f"{list(input.shape)} instead")


def _check_input_dim(name, input, nd):
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {name}, but got "
            f"input of size: {list(input.shape)}"
        )


def _refuse(lists, message):
    """A convolution argument's refusal: torch's SymInt one first where a size list holds one below -2**62."""
    refuse_symbolic("convolution", *lists)
    raise RuntimeError(message)


def _check_conv(input, weight, bias, stride, padding, dilation, groups, transposed, output_padding=None,
                by_mode=False):
    """PyTorch's check_shape_forward and dtype checks; ``input`` is batched. ``by_mode``: the padding was
    a string ("same", "valid"), torch's other path, whose dtype checks differ (``_check_conv_dtypes``).
    A number past int64 fails here too, with no work per call: the F function's failure path then parses
    the call, as torch's parser refuses it first (argcheck._f_builtin)."""
    lists = (stride, padding, dilation, output_padding or ())  # (the dispatcher's check of them comes first)
    if not 0 < groups <= LONG_LONG_MAX:
        _refuse(lists, "non-positive groups is not supported")
    far = any(not 0 <= p <= LONG_LONG_MAX // 2 for p in padding)
    if far and any(not 0 <= p <= LONG_LONG_MAX for p in padding):
        _refuse(lists, "negative padding is not supported")
    if output_padding is not None and any(not 0 <= p <= LONG_LONG_MAX for p in output_padding):
        _refuse(lists, "negative output_padding is not supported")
    if any(not 0 < st <= LONG_LONG_MAX for st in stride):
        _refuse(lists, "non-positive stride is not supported")
    if any(not 0 <= d <= LONG_LONG_MAX for d in dilation):
        _refuse(lists, "dilation should be greater than zero")
    if weight.dim() != input.dim():
        _refuse_ranks(input, weight)
    if not transposed and 0 in dilation:  # (torch's MKLDNN path checks it in its own words)
        if _mkldnn(input, weight, stride, dilation, groups):
            raise RuntimeError("non-positive dilation is not supported")
        raise RuntimeError(_zero_dilation(dilation, transposed))
    w = list(weight.shape)
    if w[0] < groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got "
            f"weight of size {w} instead"
        )
    if w[0] % groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but "
            f"got weight of size [{w}] instead"
        )
    if transposed:
        if input.shape[1] != w[0]:
            raise RuntimeError(
                f"Given transposed=1, weight of size {w}, expected input{list(input.shape)} to have "
                f"{w[0]} channels, but got {input.shape[1]} channels instead"
            )
        if bias is not None and (bias.dim() != 1 or bias.shape[0] != w[1] * groups):
            raise RuntimeError(
                f"Given transposed=1, weight of size {w}, expected bias to be 1-dimensional with "
                f"{w[1] * groups} elements, but got bias of size {list(bias.shape)} instead"
            )
    else:
        if input.shape[1] != w[1] * groups:
            raise RuntimeError(
                f"Given groups={groups}, weight of size {w}, expected input{list(input.shape)} to "
                f"have {w[1] * groups} channels, but got {input.shape[1]} channels instead"
            )
        if bias is not None and (bias.dim() != 1 or bias.shape[0] != w[0]):
            raise RuntimeError(
                f"Given weight of size {w}, expected bias to be 1-dimensional with {w[0]} elements, "
                f"but got bias of size {list(bias.shape)} instead"
            )
        padded = [n + 2 * p for n, p in zip(input.shape[2:], padding)]
        kernel = [d * (k - 1) + 1 for d, k in zip(dilation, w[2:])]
        if any(n < k for n, k in zip(padded, kernel)):
            raise RuntimeError(
                f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). "
                f"Kernel size: ({' x '.join(map(str, kernel))}). Kernel size can't be greater than "
                "actual input size"
            )
    if transposed:  # torch's last shape check, before any of the dtypes'
        for op, st, d in zip(output_padding, stride, dilation):
            if op >= st and op >= d:
                raise RuntimeError("output padding must be smaller than either stride or dilation, but got "
                                   + _transposed_detail(output_padding, stride, dilation))
    mkldnn = _mkldnn(input, weight, stride, dilation, groups)
    if transposed and not input.numel() and input.shape[0] and input.shape[1]:  # (before the dtypes)
        shape = list(input.shape) if input.dim() > 3 else [*input.shape[:2], 1, input.shape[2]]  # (1-d: 2-d)
        raise RuntimeError(f"Only zero batch or zero channel inputs are supported, but got input shape: "
                           f"{shape}")
    _check_conv_dtypes(input, weight, bias, transposed, mkldnn, dilation, by_mode)
    if far:  # (after the weight's checks, as torch's)
        at, p = next((i, p) for i, p in enumerate(padding) if p > LONG_LONG_MAX // 2)
        raise RuntimeError(f"Given padding={p} at dimension {at} , expected padding to be at most "
                           f"{LONG_LONG_MAX // 2}")
    if _empty_backend(input):  # (no kernel's checks of the weight)
        return
    if 0 in w[2:] or mkldnn and transposed and not w[1]:
        raise RuntimeError(_empty_kernel(w, transposed, mkldnn, dilation))
    if transposed and any(wrap_int(st, 32) <= 0 for st in stride):
        raise RuntimeError(_c_int_strides(stride))
    if transposed and 0 in dilation:  # (the transposed kernel's own check, after its strides')
        raise RuntimeError(_zero_dilation(dilation, transposed))
    if not (transposed or mkldnn or by_mode) and input.dim() in (3, 4) and all(d == 1 for d in dilation) \
            and all(st == 1 for st in stride):  # (strided: torch allocates the padded input first)
        _slow_conv2d_output(input, w, padding)


def _slow_conv2d_output(input, w, padding):
    """torch's unstrided 2-d kernel's refusal of an output of no elements, its doubled padding a C int's (a
    padding of 2**30 wraps it negative: refused at once, where computing it would take minutes); a 1-d
    convolution is a 2-d one of height 1."""
    sizes, kernel = ([1, *input.shape[2:]], [1, *w[2:]]) if input.dim() == 3 else (input.shape[2:], w[2:])
    padding = (0, *padding) if input.dim() == 3 else padding
    out = [n + wrap_int(2 * p, 32) - k + 1 for n, k, p in zip(sizes, kernel, padding)]
    if min(out) < 1:
        raise RuntimeError(f"Given input size per channel: ({sizes[0]} x {sizes[1]}). Calculated output size "
                           f"per channel: ({out[0]} x {out[1]}). Output size is too small")


def _zero_dilation(dilation, transposed: bool) -> str:
    """torch's refusal of a zero dilation (a negative one is refused before, without the values): its
    convolution's, a 1-d one shown as 2-d, or its transposed kernels' with the dims named."""
    given = [1, *dilation] if len(dilation) == 1 else list(dilation)
    if not transposed:
        return f"dilation should be greater than zero, but got {given}"
    names = ("depth", "height", "width")[-len(given):]
    return "dilation should be greater than zero, but got " + ", ".join(
        f"dilation_{n}: {d}" for n, d in zip(names, given))


def _c_int_strides(stride) -> str:
    """torch's transposed-convolution kernels' refusal of a stride that their C int wraps to none positive
    (2**31 is -2**31; a 1-d one is 2-d with height 1)."""
    names = ("depth", "height", "width")[-max(len(stride), 2):]
    given = [wrap_int(st, 32) for st in ([1, *stride] if len(stride) == 1 else stride)]
    return ("stride should be greater than zero, but got "
            + " ".join(f"stride_{n}: {st}" for n, st in zip(names, given)))


def _empty_kernel(w, transposed, mkldnn, dilation) -> str:
    """torch's refusal of a kernel with an empty spatial dim (weight shape ``w``), in the words of the CPU
    kernel it picks: oneDNN's, the dilated ones', the 2-d (a 1-d one has height 1) and 3-d ones'."""
    if mkldnn:
        kind = "deconvolution" if transposed else "convolution"
        return (f"could not create a primitive descriptor for the {kind} forward propagation primitive. Run "
                "workload with environment variable ONEDNN_VERBOSE=all to get additional diagnostic "
                "information.")
    sizes = w[2:] if len(w) == 5 else ([1] + w[2:])[-2:]
    dilated = not transposed and any(d != 1 for d in dilation)
    head = "kernel size should be greater than zero, but got"
    if len(w) == 5 and transposed:
        return ("non-empty 5D (n_output_plane x n_input_plane x kernel_depth x kernel_height x kernel_width) "
                f"tensor expected for weight, but got: {w}")
    if dilated:
        return f"{head} {sizes}"
    if len(w) == 5:
        return f"{head}: {' x '.join(map(str, sizes))} (TxHxW)"
    return f"{head} kernel_height: {sizes[0]} kernel_width: {sizes[1]}"


def _mkldnn(input, weight, stride, dilation, groups) -> bool:
    """Whether torch's CPU convolution takes its MKLDNN path, whose dtype messages differ: float16 where the
    CPU has half-precision arithmetic (oneDNN's fp16 support), bfloat16 where it has AVX512's BW, VL and DQ
    (oneDNN's bf16 device check); float32 where torch's heuristic expects it to be faster than its own
    kernel (a 1-d input counts as 2-d, with height 1)."""
    if input.dtype is dt.float16:
        return bool({"avx512_fp16", "amx_fp16", "avx_ne_convert"} & _cpu_flags())
    if input.dtype is dt.bfloat16:
        return {"avx512bw", "avx512vl", "avx512dq"} <= _cpu_flags() or "amx_bf16" in _cpu_flags()
    if input.dtype is not dt.float32:
        return False
    from ...process import get_num_threads

    kernel = (1, *weight.shape[2:])[-2:]
    sizes = (*input.shape[:2], 1, *input.shape[2:])[-4:] if input.dim() == 3 else input.shape[:4]
    n = input.shape[0]
    worth_it = (any(v != 1 for v in (*stride, *dilation)) or n >= 16 or kernel != (1, 1)
                or get_num_threads() > 1)
    return worth_it and (groups > 1 or min(kernel) > 3 or n > 1 or math.prod(sizes) > 20480)


@functools.cache
def _cpu_flags() -> frozenset:
    """The x86 instruction-set flags of this CPU as Linux names them (what torch's oneDNN checks for a
    16-bit convolution); none where it cannot tell."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    except OSError:
        return frozenset()
    return frozenset(flags)


def _check_conv_dtypes(input, weight, bias, transposed, mkldnn, dilation, by_mode):
    """torch's dtype checks, in its order. A convolution: its bias, then an input torch has no kernel for
    (bool, the shell dtypes: the dilated, volumetric or 2-d kernel named), then its weight; by a padding
    string, the input's kernel first, then its weight, then its bias. A transposed one: its input (a float
    or int64 kernel only, no float8 one), then its weight, then its bias,
    which the 3-d and MKLDNN kernels take as it is and the others add into the result in place."""
    x, volumetric = input.dtype, weight.dim() == 5
    empty = _empty_backend(input)
    if empty and not transposed and bias is not None and bias.dtype is not x:  # (its _convolution's, first)
        raise RuntimeError(f"Input type ({cpp_name(x)}) and bias type ({cpp_name(bias.dtype)}) should be "
                           "the same")
    if x.is_complex and weight.dtype is not x:  # (torch's complex convolution compares the types first)
        raise RuntimeError(f"Input type ({dt.type_name(x)}) and weight type ({dt.type_name(weight.dtype)}) "
                           "should be the same")
    if empty:  # no kernel runs, nor its dtype checks (_empty_conv); a complex one compares the bias too
        if x.is_complex and bias is not None and bias.dtype is not x:
            raise RuntimeError(f"Input type ({dt.type_name(x)}) and bias type ({dt.type_name(bias.dtype)}) "
                               "should be the same")
        return
    if transposed:
        if x in dt.SHELL or not x.is_floating_point and x is not dt.int64:
            kernel = f"slow_conv_transpose{3 if volumetric else 2}d_out_cpu"
            raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(x)}'")
    elif bias is not None and bias.dtype is not x and not by_mode:
        raise RuntimeError(f"Input type ({cpp_name(x)}) and bias type ({cpp_name(bias.dtype)}) should be the "
                           "same")
    elif x is dt.bool_ or x in dt.SHELL:
        kernel = ("slow_conv_dilated<>" if any(d > 1 for d in dilation) else
                  "compute_columns3d" if volumetric else "slow_conv2d_cpu")
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(x)}'")
    _check_same_dtype(input, weight, "weight", mkldnn)
    if by_mode and bias is not None:
        _check_same_dtype(input, bias, "bias", mkldnn)
    if not transposed or bias is None or bias.dtype is x:
        return
    if mkldnn or volumetric:
        _check_same_dtype(input, bias, "bias", mkldnn)
    elif not _castable(dt.promote_types(x, bias.dtype), x):  # a float bias into an int64 result
        raise RuntimeError(f"result type {scalar_name(dt.promote_types(x, bias.dtype))} can't be cast to the "
                           f"desired output type {scalar_name(x)}")


def _empty_backend(input) -> bool:
    """Whether torch's convolution takes its Empty backend for an empty batch: no kernel runs. (An input of
    no channels goes there too, with an output torch shapes its own way: left to the kernels' path.)"""
    return not input.shape[0] and input.shape[1]


def _empty_conv(input, weight, bias, out_shape):
    """torch's Empty backend: ``input * weight.flatten()[0]`` (its IndexError for an empty weight, its
    type promotion), plus ``bias[0]`` in place, viewed as the output."""
    flat = weight.reshape(-1)
    if not flat.numel():
        raise IndexError("select(): index 0 out of range for tensor of size [0] at dimension 0")
    out = input * flat[0]
    if bias is not None:
        out = out.add_(bias[0])
    return out.view(out_shape)


def _conv_out_shape(input, weight, stride, padding, dilation, groups, transposed, output_padding):
    """The output's shape (N, C_out, *spatial) by torch's formula for a convolution or transposed one."""
    k = weight.shape[2:]
    if transposed:
        sizes = zip(input.shape[2:], k, stride, padding, dilation, output_padding)
        spatial = [(n - 1) * st - 2 * p + d * (kk - 1) + op + 1 for n, kk, st, p, d, op in sizes]
        return (input.shape[0], weight.shape[1] * groups, *spatial)
    spatial = [(n + 2 * p - d * (kk - 1) - 1) // st + 1
               for n, kk, st, p, d in zip(input.shape[2:], k, stride, padding, dilation)]
    return (input.shape[0], weight.shape[0], *spatial)


def _check_same_dtype(input, other, name, mkldnn):
    """torch's refusal of a weight (or bias) of another dtype; its MKLDNN path names the tensor types."""
    if other.dtype is input.dtype:
        return
    x, o = input.dtype, other.dtype
    if mkldnn:
        raise RuntimeError(f"Input type ({dt.type_name(x)}) and {name} type ({dt.type_name(o)}) should be "
                           f"the same or input should be a MKLDNN tensor and {name} is a dense tensor")
    raise RuntimeError(f"expected scalar type {scalar_name(x)} but found {scalar_name(o)}")


def _same_padding(input, weight, stride, dilation):
    """PyTorch's padding='same': the symmetric part as conv padding, any odd extra as a right pad first."""
    if any(st != 1 for st in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    left, amounts = _same_pads(weight, dilation)
    if amounts:
        # torch's TORCH_WARN_ONCE: once per process, every time under set_warn_always
        _warnings.warn_once("Using padding='same' with even kernel lengths and odd dilation may require a "
                            "zero-padded copy of the input be created")
        input = _constant_pad(input, amounts)
    return input, left


def _same_pads(weight, dilation):
    """padding='same''s (symmetric conv padding, F.pad's amounts of the odd extra on the right, or None)."""
    total = [d * (k - 1) for d, k in zip(dilation, weight.shape[2:])]
    left = tuple(t // 2 for t in total)
    extra = [t - 2 * lf for t, lf in zip(total, left)]
    if not any(extra):
        return left, None
    amounts = []
    for e in reversed(extra):  # F.pad lists the last dim first
        amounts += [0, e]
    return left, amounts


def _conv(name, nd, input, weight, bias, stride, padding, dilation, groups):
    _check_input_dim(name, input, nd)
    _check_weight_rank(input, weight, nd, by_mode=isinstance(padding, str))
    wd = weight.dim() - 2
    stride = _conv_param(stride, "stride", nd, wd)
    by_mode = isinstance(padding, str)
    if by_mode:
        if padding not in ("same", "valid"):
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        dilation = _conv_param(dilation, "dilation", nd, wd)
        if padding == "valid":
            padding = (0,) * wd
        else:
            input, padding = _same_padding(input, weight, stride, dilation)
    else:
        padding = _conv_param(padding, "padding", nd, wd)
        dilation = _conv_param(dilation, "dilation", nd, wd)
    unbatched = input.dim() == nd + 1
    if unbatched:
        input = input.unsqueeze(0)
    _check_conv(input, weight, bias, stride, padding, dilation, groups, transposed=False, by_mode=by_mode)
    if _empty_backend(input):
        out = _empty_conv(input, weight, bias,
                          _conv_out_shape(input, weight, stride, padding, dilation, groups, False, None))
        return out.squeeze(0) if unbatched else out
    saved_as_torch(input, weight)  # torch's convolution kernel saves both for any gradient
    if nd == 1:  # a 1-d convolution is a 2-d one over a height of 1
        input, weight = input.unsqueeze(2), weight.unsqueeze(2)
        stride, padding, dilation = (1,) + stride, (0,) + padding, (1,) + dilation
    out = (_conv_nd_as_2d if nd == 1 else _conv_nd)(input, weight, bias, stride, padding, dilation, groups)
    if nd == 1:
        out = out.squeeze(2)
    return out.squeeze(0) if unbatched else out


def _bias(out, bias):
    return out if bias is None else out + bias.reshape(-1, *(1,) * (out.dim() - 2))


def _fold_planes(x):
    """(N, C, P, ...) -> (N * P, C, ...): the planes of the first spatial dim as samples."""
    return x.movedim(2, 1).reshape(x.shape[0] * x.shape[2], x.shape[1], *x.shape[3:])


def _unfold_planes(y, n, planes):
    """(N * P, C, ...) -> (N, C, P, ...), the inverse of ``_fold_planes``."""
    return y.reshape(n, planes, *y.shape[1:]).movedim(1, 2)


def _conv_nd(x, weight, bias, stride, padding, dilation, groups):
    """A convolution of any rank >= 2: the 2-d one, or the sum over the kernel's first dim ``i`` of the
    convolutions (one dim fewer) of the input planes ``i * dilation + o * stride`` (o each output plane)
    with the kernel's slice ``i``."""
    if weight.dim() == 4:
        return _conv2d(x, weight, bias, stride, padding, dilation, groups)
    (st, *stride), (pad, *padding), (dil, *dilation) = stride, padding, dilation
    n, k = x.shape[0], weight.shape[2]
    planes = (x.shape[2] + 2 * pad - dil * (k - 1) - 1) // st + 1
    x = _constant_pad(x, [0, 0] * (x.dim() - 3) + [pad, pad])  # F.pad lists the last dim first
    out = None
    for i in range(k):
        # (a step past the planes taken is the same slice: torch's int64 stride of a huge one would wrap)
        part = x.narrow(2, i * dil, (planes - 1) * st + 1)[:, :, ::min(st, (planes - 1) * st + 1)]
        y = _conv_nd(_fold_planes(part), weight[:, :, i], None, stride, padding, dilation, groups)
        out = y if out is None else out + y
    # contiguous, as torch's output is (x.view(n, -1) after a conv3d): the planes were moved into place
    return _bias(_unfold_planes(out, n, planes).contiguous(), bias)


def _conv2d(x, weight, bias, stride, padding, dilation, groups):
    out_ch, in_per_group, kh, kw = weight.shape
    oh, ow = blocks(x.shape[2:], (kh, kw), dilation, padding, stride)
    per_row = max(x.shape[1] * kh * kw, out_ch) * ow  # intermediate elements per output row

    def piece(x, padding):
        rows = blocks(x.shape[2:], (kh, kw), dilation, padding, stride)[0]
        cols = im2col(x, (kh, kw), dilation, padding, stride)  # (N, C*kh*kw, L)
        if groups == 1:
            out = weight.reshape(out_ch, in_per_group * kh * kw).matmul(cols)
        else:
            cols = cols.reshape(x.shape[0], groups, in_per_group * kh * kw, rows * ow)
            out = weight.reshape(groups, out_ch // groups, in_per_group * kh * kw).matmul(cols)
        return out.reshape(x.shape[0], out_ch, rows, ow)

    band = max(1, CHUNK_BYTES // (per_row * x.dtype.itemsize))
    if band >= oh:
        out = in_pieces(lambda x: piece(x, padding), x, per_row * oh)
    else:  # even one sample's columns are too many: bands of output rows, from the padded input
        (ph, pw), (sh, _), (dh, _) = padding, stride, dilation
        padded = _constant_pad(x, [pw, pw, ph, ph])
        bands = []
        for r0 in range(0, oh, band):
            rows = min(band, oh - r0)
            part = padded.narrow(2, r0 * sh, (rows - 1) * sh + dh * (kh - 1) + 1)
            bands.append(in_pieces(lambda x: piece(x, (0, 0)), part, per_row * rows))
        out = cat(bands, 2)
    return out if bias is None else out + bias.reshape(out_ch, 1, 1)


def _conv_transpose(name, nd, input, weight, bias, stride, padding, output_padding, groups, dilation):
    _check_input_dim(name, input, nd)
    _check_weight_rank(input, weight, nd, by_mode=False)
    wd = weight.dim() - 2
    if isinstance(padding, str):
        raise TypeError(f"{name}(): argument 'padding' must be tuple of ints, not str")
    stride, padding = _conv_param(stride, "stride", nd, wd), _conv_param(padding, "padding", nd, wd)
    dilation = _conv_param(dilation, "dilation", nd, wd)
    output_padding = _conv_param(output_padding, "output_padding", nd, wd)
    unbatched = input.dim() == nd + 1
    if unbatched:
        input = input.unsqueeze(0)
    _check_conv(
        input, weight, bias, stride, padding, dilation, groups, transposed=True, output_padding=output_padding
    )
    if _empty_backend(input):
        shape = _conv_out_shape(input, weight, stride, padding, dilation, groups, True, output_padding)
        out = _empty_conv(input, weight, bias, shape)
        return out.squeeze(0) if unbatched else out
    if bias is not None and bias.dtype is not input.dtype:  # (one _check_conv lets through) added in place
        bias = bias.to(input.dtype)
    saved_as_torch(input, weight)  # torch's convolution kernel saves both for any gradient
    if nd == 1:
        input, weight = input.unsqueeze(2), weight.unsqueeze(2)
        stride, padding, dilation, output_padding = (
            (1,) + stride,
            (0,) + padding,
            (1,) + dilation,
            (0,) + output_padding,
        )
    out = (_conv_transpose_as_2d if nd == 1 else _conv_transpose_dense)(
        input, weight, bias, stride, padding, output_padding, groups, dilation)
    if nd == 1:
        out = out.squeeze(2)
    return out.squeeze(0) if unbatched else out


def _conv_transpose_dense(x, weight, bias, stride, padding, output_padding, groups, dilation):
    if weight.dim() == 5 and x.requires_grad and is_grad_enabled():
        # torch's kernel gives the input a contiguous gradient; the planes _conv_transpose_nd folds into the
        # batch would leave it plane-major (depth outside the channels)
        x = relaid(x, None, contiguous_strides(x.shape))
    # contiguous, as torch's output is: the padding was cropped off a larger result (a narrowed view)
    return _conv_transpose_nd(x, weight, bias, stride, padding, output_padding, groups, dilation).contiguous()


# torch runs a 1-d convolution as a 2-d one over a height of 1, whose kernels lay the result (and the input's
# and weight's gradients) out in the format that 2-d weight suggests: channels-last where it is column-major
_conv_nd_as_2d = lays_out(like_weight, grads=2)(_conv_nd)
_conv_transpose_as_2d = lays_out(like_weight, grads=2)(_conv_transpose_dense)


def _transposed_detail(output_padding, stride, dilation):
    if len(stride) == 1:  # PyTorch runs conv_transpose1d as 2-d, and says so
        output_padding, stride, dilation = (0, *output_padding), (1, *stride), (1, *dilation)
    names = ("depth", "height", "width")[-len(stride):]
    return " ".join(f"{label}_{name}: {v}" for label, values in (("output_padding", output_padding),
                    ("stride", stride), ("dilation", dilation)) for name, v in zip(names, values))


def _conv_transpose_nd(x, weight, bias, stride, padding, output_padding, groups, dilation):
    """A transposed convolution of any rank >= 2: the 2-d one, or the sum over the kernel's first dim ``i``
    of the transposed convolutions (one dim fewer) of each input plane ``j`` with the kernel's slice ``i``,
    each landing on output plane ``j * stride + i * dilation``; then cropped by ``padding`` and extended by
    ``output_padding`` along that dim."""
    if weight.dim() == 4:
        return _conv_transpose2d(x, weight, bias, stride, padding, output_padding, groups, dilation)
    size = [(i - 1) * st - 2 * p + d * (k - 1) + op + 1 for i, st, p, d, k, op in
            zip(x.shape[2:], stride, padding, dilation, weight.shape[2:], output_padding)]
    if any(v <= 0 for v in size):
        raise RuntimeError(f"Given input size per channel: ({' x '.join(map(str, x.shape[2:]))}). "
                           f"Calculated output size per channel: ({' x '.join(map(str, size))}). Output size "
                           "is too small")
    (st, *stride), (pad, *padding), (dil, *dilation), (op, *output_padding) = (
        stride, padding, dilation, output_padding)
    n, planes, k = x.shape[0], x.shape[2], weight.shape[2]
    full = (planes - 1) * st + dil * (k - 1) + 1
    out = None
    for i in range(k):
        y = _unfold_planes(_conv_transpose_nd(_fold_planes(x), weight[:, :, i], None, stride, padding,
                                              output_padding, groups, dilation), n, planes)
        if st > 1:  # stride - 1 zero planes after each plane
            y = _constant_pad(y.unsqueeze(3), [0, 0] * (y.dim() - 3) + [0, st - 1]).flatten(2, 3)
            y = y.narrow(2, 0, (planes - 1) * st + 1)
        rest = [0, 0] * (y.dim() - 3)
        y = _constant_pad(y, rest + [i * dil, full - i * dil - y.shape[2]])
        out = y if out is None else out + y
    out = _constant_pad(out, [0, 0] * (out.dim() - 3) + [-pad, op - pad])
    return _bias(out, bias)


def _conv_transpose2d(x, weight, bias, stride, padding, output_padding, groups, dilation):
    _, in_ch, h, w = x.shape
    _, out_per_group, kh, kw = weight.shape
    out_ch = out_per_group * groups
    args = list(zip((h, w), stride, padding, dilation, (kh, kw), output_padding))
    # torch's kernel checks the size with its C int padding doubled (2 * 2**30 wraps negative), then makes
    # the result of the true size: a negative one is its factory's refusal
    checked = [(i - 1) * st - wrap_int(2 * p, 32) + d * (k - 1) + op + 1 for i, st, p, d, k, op in args]
    if any(v <= 0 for v in checked):
        raise RuntimeError(
            f"Given input size per channel: ({h} x {w}). Calculated output size per channel: "
            f"({checked[0]} x {checked[1]}). Output size is too small"
        )
    size = [(i - 1) * st - 2 * p + d * (k - 1) + op + 1 for i, st, p, d, k, op in args]
    if (negative := next((v for v in size if v < 0), None)) is not None:
        raise RuntimeError(f"Trying to create tensor with negative dimension {negative}: "
                           f"{[x.shape[0], out_ch, *size]}")
    if weight.requires_grad and weight._contiguous and is_grad_enabled():
        # torch's kernel fills the weight's gradient as a fresh contiguous tensor; W^T's product gradient,
        # transposed back, would have the input channels innermost
        weight = relaid(weight, None, weight._strides)
    # the windows of the full (unpadded, uncropped) output each receive W^T x at one input position
    wmat = weight.reshape(groups, in_ch // groups, out_per_group * kh * kw).transpose(1, 2)
    full = [(i - 1) * st + d * (k - 1) + 1 for i, st, d, k in zip((h, w), stride, dilation, (kh, kw))]

    def piece(x):
        cols = wmat.matmul(x.reshape(x.shape[0], groups, in_ch // groups, h * w))
        cols = cols.reshape(x.shape[0], out_ch * kh * kw, h * w)
        return col2im(cols, tuple(full), (kh, kw), dilation, (0, 0), stride)

    out = in_pieces(piece, x, max(out_ch * kh * kw * h * w, out_ch * full[0] * full[1]))
    # padding crops both sides; output_padding then extends the bottom/right (zeros beyond the full output)
    (ph, pw), (oph, opw) = padding, output_padding
    out = _constant_pad(out, [-pw, opw - pw, -ph, oph - ph])
    return out if bias is None else out + bias.reshape(out_ch, 1, 1)


def _empty_batch_weight_grad(fn):
    """A convolution of an empty batch gives its weight gradient as torch's, ``zeros_like(weight)``: laid out
    as the weight (column-major or permuted too), where a batch's takes the format its layout rule picks."""
    @functools.wraps(fn)
    def conv(input, weight, *args, **kwargs):
        if isinstance(input, Tensor) and 0 in input._shape and isinstance(weight, Tensor) and \
                weight._requires_grad and is_grad_enabled() and not weight._contiguous and \
                non_overlapping_and_dense(weight._shape, weight._strides):
            weight = relaid(weight, None, weight._strides)
        return fn(input, weight, *args, **kwargs)
    return conv


# -- public functions ------------------------------------------------------------------------------
@composite(torch_name="nn.functional.conv1d", samples=samples.conv1d, grad_fn=_conv_node,
           saves=_conv_saves)
@_empty_batch_weight_grad
@in_float32_of_one_dtype
def conv1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride=1,
    padding=0,
    dilation=1,
    groups: int = 1,
) -> Tensor:
    """1-d convolution (cross-correlation) of ``(N, C_in, L)`` with ``C_out`` filters.

    ``out(N_i, C_out_j) = bias(C_out_j) + sum_k weight(C_out_j, k) * input(N_i, k)`` (``*``: 1-d
    cross-correlation); ``L_out = floor((L + 2 * padding - dilation * (kL - 1) - 1) / stride) + 1``.

    Args:
        input (Tensor): ``(N, C_in, L)`` or ``(C_in, L)``.
        weight (Tensor): the filters, ``(C_out, C_in / groups, kL)``.
        bias (Tensor, optional): ``(C_out,)``. Default: None
        stride (int or (int,)): the step between windows. Default: 1
        padding (int, (int,) or str): implicit zeros on each side, or ``'valid'`` (none) or ``'same'`` (output
            as long as the input; stride 1 only; an odd total pads the right/bottom more). Default: 0
        dilation (int or (int,)): the spacing between kernel elements. Default: 1
        groups (int): split the channels into this many groups, convolved separately; must divide ``C_in`` and
            ``C_out``. Default: 1

    Shape:
        input: ``(N, C_in, L)`` or ``(C_in, L)``; output: ``(N, C_out, L_out)`` or ``(C_out, L_out)``.

    Raises:
        RuntimeError: a bad input rank, ``C_in`` not matching ``weight`` and ``groups``, a bias of the wrong
            size, non-positive stride/dilation/groups, negative padding, an unknown padding string, ``'same'``
            with a stride, a kernel larger than the padded input, or dtypes that differ.
        NotImplementedError: a bool input.

    Matches ``torch.nn.functional.conv1d``.
    """
    return _conv("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


@composite(torch_name="nn.functional.conv2d", samples=samples.conv2d, grad_fn=_conv_node,
           saves=_conv_saves)
@_empty_batch_weight_grad
@lays_out(like_input_or_weight, grads=2, batched=4)
@in_float32_of_one_dtype
def conv2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride=1,
    padding=0,
    dilation=1,
    groups: int = 1,
) -> Tensor:
    """2-d convolution (cross-correlation) of ``(N, C_in, H, W)`` with ``C_out`` filters.

    ``out(N_i, C_out_j) = bias(C_out_j) + sum_k weight(C_out_j, k) * input(N_i, k)`` (``*``: 2-d
    cross-correlation); ``H_out = floor((H + 2 * padding - dilation * (kH - 1) - 1) / stride) + 1``, the same
    for W.

    Args:
        input (Tensor): ``(N, C_in, H, W)`` or ``(C_in, H, W)``.
        weight (Tensor): the filters, ``(C_out, C_in / groups, kH, kW)``.
        bias (Tensor, optional): ``(C_out,)``. Default: None
        stride (int or (int, int)): the step between windows. Default: 1
        padding (int, (int, int) or str): implicit zeros on each side, or ``'valid'`` (none) or ``'same'``
            (output as long as the input; stride 1 only; an odd total pads the right/bottom more). Default: 0
        dilation (int or (int, int)): the spacing between kernel elements. Default: 1
        groups (int): split the channels into this many groups, convolved separately; must divide ``C_in`` and
            ``C_out``. Default: 1

    Shape:
        input: ``(N, C_in, H, W)`` or ``(C_in, H, W)``; output: ``(N, C_out, H_out, W_out)`` or ``(C_out,
            H_out, W_out)``.

    Raises:
        RuntimeError: a bad input rank, ``C_in`` not matching ``weight`` and ``groups``, a bias of the wrong
            size, non-positive stride/dilation/groups, negative padding, an unknown padding string, ``'same'``
            with a stride, a kernel larger than the padded input, or dtypes that differ.
        NotImplementedError: a bool input.

    Matches ``torch.nn.functional.conv2d``.
    """
    return _conv("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def _transposed_in_float32(fn):
    """A transposed convolution in float16/bfloat16 computed in float32 and rounded once (in_float32), as
    torch's CPU kernel; where an output padding reaches its stride (allowed below the dilation) torch's
    oneDNN kernel refuses it and its fallback runs in the 16-bit dtype, as this convolution's own ops do."""
    up = in_float32_of_one_dtype(fn)

    @functools.wraps(fn)
    def run(input, weight, bias=None, stride=1, padding=0, output_padding=0, *args, **kwargs):
        if getattr(input, "dtype", None) in dt.HALVES and isinstance(weight, Tensor):
            nd = weight.dim() - 2
            strides, paddings = (_ints(v, nd) for v in (kwargs.get("stride", stride),
                                                         kwargs.get("output_padding", output_padding)))
            if strides and paddings and not any(p >= st for p, st in zip(paddings, strides)):
                return up(input, weight, bias, stride, padding, output_padding, *args, **kwargs)
            if (nd < 3 and weight.requires_grad and is_grad_enabled() and input.dim() == nd + 2
                    and input.shape[0] > 1):
                rest = (stride, padding, output_padding, *args)
                out = fn(input, weight.detach(), bias, *rest, **kwargs)
                return _weight_grad_by_sample(out, fn, input, weight, rest, kwargs)
        return fn(input, weight, bias, stride, padding, output_padding, *args, **kwargs)
    return run


def _weight_grad_by_sample(out, conv, input, weight, rest, kwargs):
    """``out`` with ``weight``'s gradient as torch's 16-bit fallback kernel adds it: each sample's in float32,
    added into the 16-bit gradient one sample at a time, each sum rounded."""
    def backward(g, result, weight):
        with enable_grad():
            wide = weight.detach().float().requires_grad_()
            total = zeros(weight.shape, dtype=weight.dtype, device=weight.device)
            for n in range(input.shape[0]):
                y = conv(input[n:n + 1].detach().float(), wide, None, *rest, **kwargs)
                (part,) = autograd_grad([y], [wide], [g[n:n + 1].float()], create_graph=is_grad_enabled())
                total = (total.float() + part).to(weight.dtype)
        return g, total
    return Formula.apply(lambda result, weight: result.clone(), backward, out, weight)


def _ints(value, nd):
    """``value`` (an int or a sequence of them) as ``nd`` ints, or None for anything else (the convolution
    raises torch's error for it)."""
    values = list(value) if isinstance(value, (tuple, list)) else [value] * nd
    return values if all(type(v) is int for v in values) else None


@composite(torch_name="nn.functional.conv_transpose1d", samples=samples.conv_transpose1d, grad_fn=_conv_node,
           saves=_conv_saves)
@_empty_batch_weight_grad
@_transposed_in_float32
def conv_transpose1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride=1,
    padding=0,
    output_padding=0,
    groups: int = 1,
    dilation=1,
) -> Tensor:
    """1-d transposed convolution: the gradient of ``conv1d`` with respect to its input.

    Each input position adds ``weight`` scaled by its value into a window of the output. ``L_out = (i - 1) *
    stride - 2 * padding + dilation * (k - 1) + output_padding + 1`` with i = L, k = kL.

    Args:
        input (Tensor): ``(N, C_in, L)`` or ``(C_in, L)``.
        weight (Tensor): the filters, ``(C_in, C_out / groups, kL)``.
        bias (Tensor, optional): ``(C_out,)``. Default: None
        stride (int or (int,)): the step between the input positions' windows in the output. Default: 1
        padding (int or (int,)): ``dilation * (k - 1) - padding`` zeros of implicit padding: crops each side
            of the output by ``padding``. Default: 0
        output_padding (int or (int,)): extra size added to one side of the output (smaller than stride or
            dilation). Default: 0
        groups (int): split the channels into this many groups; must divide ``C_in``. Default: 1
        dilation (int or (int,)): the spacing between kernel elements. Default: 1

    Shape:
        input: ``(N, C_in, L)`` or ``(C_in, L)``; output: ``(N, C_out, L_out)`` or ``(C_out, L_out)``.

    Raises:
        TypeError: ``padding`` is a string.
        RuntimeError: a bad input rank, ``C_in`` not matching ``weight``, a bias of the wrong size, bad
            stride/padding/dilation/groups, ``output_padding`` not below stride or dilation, an output size
            below 1, or dtypes that differ.
        NotImplementedError: a dtype other than floating point or int64.

    Matches ``torch.nn.functional.conv_transpose1d``.
    """
    return _conv_transpose(
        "conv_transpose1d", 1, input, weight, bias, stride, padding, output_padding, groups, dilation
    )


@composite(torch_name="nn.functional.conv_transpose2d", samples=samples.conv_transpose2d, grad_fn=_conv_node,
           saves=_conv_saves)
@_empty_batch_weight_grad
@lays_out(like_input_or_weight, grads=2, batched=4)
@_transposed_in_float32
def conv_transpose2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride=1,
    padding=0,
    output_padding=0,
    groups: int = 1,
    dilation=1,
) -> Tensor:
    """2-d transposed convolution: the gradient of ``conv2d`` with respect to its input.

    Each input position adds ``weight`` scaled by its value into a window of the output. ``H_out = (i - 1) *
    stride - 2 * padding + dilation * (k - 1) + output_padding + 1`` with i = H, k = kH; the same for W.

    Args:
        input (Tensor): ``(N, C_in, H, W)`` or ``(C_in, H, W)``.
        weight (Tensor): the filters, ``(C_in, C_out / groups, kH, kW)``.
        bias (Tensor, optional): ``(C_out,)``. Default: None
        stride (int or (int, int)): the step between the input positions' windows in the output. Default: 1
        padding (int or (int, int)): ``dilation * (k - 1) - padding`` zeros of implicit padding: crops each
            side of the output by ``padding``. Default: 0
        output_padding (int or (int, int)): extra size added to one side of the output (smaller than stride or
            dilation). Default: 0
        groups (int): split the channels into this many groups; must divide ``C_in``. Default: 1
        dilation (int or (int, int)): the spacing between kernel elements. Default: 1

    Shape:
        input: ``(N, C_in, H, W)`` or ``(C_in, H, W)``; output: ``(N, C_out, H_out, W_out)`` or ``(C_out,
            H_out, W_out)``.

    Raises:
        TypeError: ``padding`` is a string.
        RuntimeError: a bad input rank, ``C_in`` not matching ``weight``, a bias of the wrong size, bad
            stride/padding/dilation/groups, ``output_padding`` not below stride or dilation, an output size
            below 1, or dtypes that differ.
        NotImplementedError: a dtype other than floating point or int64.

    Matches ``torch.nn.functional.conv_transpose2d`` (Dumoulin & Visin 2016 describe the arithmetic).
    """
    return _conv_transpose(
        "conv_transpose2d", 2, input, weight, bias, stride, padding, output_padding, groups, dilation
    )


@composite(torch_name="nn.functional.conv3d", samples=samples.conv3d, grad_fn=_conv_node,
           saves=_conv_saves)
@_empty_batch_weight_grad
@lays_out(like_input_or_weight_3d, grads=2, batched=5)
@in_float32_of_one_dtype
def conv3d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride=1,
    padding=0,
    dilation=1,
    groups: int = 1,
) -> Tensor:
    """3-d convolution (cross-correlation) of ``(N, C_in, D, H, W)`` with ``C_out`` filters.

    ``out(N_i, C_out_j) = bias(C_out_j) + sum_k weight(C_out_j, k) * input(N_i, k)`` (``*``: 3-d
    cross-correlation); ``D_out = floor((D + 2 * padding - dilation * (kD - 1) - 1) / stride) + 1``, the same
    for H and W. Computed as the sum over the kernel's depth of 2-d convolutions (see the module).

    Args:
        input (Tensor): ``(N, C_in, D, H, W)`` or ``(C_in, D, H, W)``.
        weight (Tensor): the filters, ``(C_out, C_in / groups, kD, kH, kW)``.
        bias (Tensor, optional): ``(C_out,)``. Default: None
        stride (int or (int, int, int)): the step between windows. Default: 1
        padding (int, (int, int, int) or str): implicit zeros on each side, or ``'valid'`` / ``'same'``
            (stride 1 only). Default: 0
        dilation (int or (int, int, int)): the spacing between kernel elements. Default: 1
        groups (int): split the channels into this many groups; must divide ``C_in`` and ``C_out``. Default: 1

    Shape:
        input: ``(N, C_in, D, H, W)`` or ``(C_in, D, H, W)``; output: ``(N, C_out, D_out, H_out, W_out)`` or
            ``(C_out, D_out, H_out, W_out)``.

    Raises:
        RuntimeError: a bad input rank, ``C_in`` not matching ``weight`` and ``groups``, a bias of the wrong
            size, non-positive stride/dilation/groups, negative padding, an unknown padding string, ``'same'``
            with a stride, a kernel larger than the padded input, or dtypes that differ.
        NotImplementedError: a bool input.

    Matches ``torch.nn.functional.conv3d``.
    """
    return _conv("conv3d", 3, input, weight, bias, stride, padding, dilation, groups)


@composite(torch_name="nn.functional.conv_transpose3d", samples=samples.conv_transpose3d, grad_fn=_conv_node,
           saves=_conv_saves)
@_empty_batch_weight_grad
@lays_out(like_input_or_weight_3d, grads=2, batched=5)
@_transposed_in_float32
def conv_transpose3d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride=1,
    padding=0,
    output_padding=0,
    groups: int = 1,
    dilation=1,
) -> Tensor:
    """3-d transposed convolution: the gradient of ``conv3d`` with respect to its input.

    Each input position adds ``weight`` scaled by its value into a window of the output. ``D_out = (i - 1) *
    stride - 2 * padding + dilation * (k - 1) + output_padding + 1`` with i = D, k = kD; the same for H, W.

    Args:
        input (Tensor): ``(N, C_in, D, H, W)`` or ``(C_in, D, H, W)``.
        weight (Tensor): the filters, ``(C_in, C_out / groups, kD, kH, kW)``.
        bias (Tensor, optional): ``(C_out,)``. Default: None
        stride (int or (int, int, int)): the step between the input positions' windows. Default: 1
        padding (int or (int, int, int)): crops each side of the output by ``padding``. Default: 0
        output_padding (int or (int, int, int)): extra size added to one side of the output (smaller than
            stride or dilation). Default: 0
        groups (int): split the channels into this many groups; must divide ``C_in``. Default: 1
        dilation (int or (int, int, int)): the spacing between kernel elements. Default: 1

    Shape:
        input: ``(N, C_in, D, H, W)`` or ``(C_in, D, H, W)``; output: ``(N, C_out, D_out, H_out, W_out)`` or
            ``(C_out, D_out, H_out, W_out)``.

    Raises:
        TypeError: ``padding`` is a string.
        RuntimeError: a bad input rank, ``C_in`` not matching ``weight``, a bias of the wrong size, bad
            stride/padding/dilation/groups, ``output_padding`` not below stride or dilation, an output size
            below 1, or dtypes that differ.
        NotImplementedError: a dtype other than floating point or int64.

    Matches ``torch.nn.functional.conv_transpose3d``.
    """
    return _conv_transpose(
        "conv_transpose3d", 3, input, weight, bias, stride, padding, output_padding, groups, dilation
    )
