"""Quantization-aware training's fake quantizers, ``torch.fake_quantize_per_tensor_affine`` and
``torch.fake_quantize_per_channel_affine``: ``(clamp(round(x / scale) + zero_point) - zero_point) * scale``
in the input's dtype, differentiated straight through (the gradient passes where the rounded value fell
inside [quant_min, quant_max], else 0). Each follows its torch kernel's arithmetic: the per-tensor kernel
clamps in floating point (NaN to quant_min, inf to quant_max), the per-channel one casts to int64 first
(NaN and infinities, as x86's conversion gives, to quant_min). On a GPU both compute in float32, as
torch's cuda kernels."""
from __future__ import annotations

import struct

from ... import dtypes as dt
from ...shape import normalize_dim
from ...tensor import Tensor
from ..common import Formula, shown_as
from ..primitives.elementwise import where

METHODS = ""
INPLACE = ""
__all__ = ["fake_quantize_per_tensor_affine", "fake_quantize_per_channel_affine"]

_INT64_MIN = -2 ** 63


def _float32(x: float) -> float:
    """``x`` rounded to float32, as the kernels hold the scale and its inverse."""
    return struct.unpack("f", struct.pack("f", x))[0]


def _check_floating(input: Tensor, kernel: str) -> None:
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{dt.scalar_name(input.dtype)}\'')


def _check_range(quant_min: int, quant_max: int) -> None:
    if quant_min > quant_max:
        raise RuntimeError("`quant_min` should be less than or         equal to `quant_max`.")


def _zero_point_error() -> RuntimeError:
    return RuntimeError("`zero_point` must be between `quant_min` and `quant_max`.")


def _scaled(input: Tensor, inv_scale):
    """``input * inv_scale`` as the kernels compute it: float32 for 16-bit inputs (their opmath)."""
    wide = input if input.dtype in (dt.float32, dt.float64) else input.float()
    return wide * inv_scale


def fake_quantize_per_tensor_affine(input: Tensor, scale, zero_point, quant_min: int,
                                    quant_max: int) -> Tensor:
    """``input`` quantized to ``quant_min..quant_max`` with one ``scale`` and ``zero_point`` (numbers, or
    tensors of one element) and dequantized, as ``torch.fake_quantize_per_tensor_affine``."""
    tensor_qparams = isinstance(scale, Tensor) or isinstance(zero_point, Tensor)
    scale, zero_point = (v.item() if isinstance(v, Tensor) else v for v in (scale, zero_point))
    _check_range(quant_min, quant_max)
    # torch's overload for tensor qparams checks neither the range nor the zero point
    if not tensor_qparams and not quant_min <= zero_point <= quant_max:
        raise _zero_point_error()
    _check_floating(input, "fake_quantize_tensor_cachemask_kernel_type_handling")
    scale, zero_point = _float32(float(scale)), int(zero_point)
    inv_scale = _float32(1.0 / scale) if scale else float("inf")

    def rounded(x):
        return _scaled(x, inv_scale).round() + zero_point

    def value(x):
        q = rounded(x)
        clamped = where(q.isnan(), float(quant_min), q.clamp(quant_min, quant_max)).to(dt.int64)
        return ((clamped - zero_point).float() * scale).to(x.dtype)

    @shown_as("FakeQuantizePerTensorAffineCachemaskBackward0")
    def backward(g, x):
        q = rounded(x)
        return g * ((q >= quant_min) & (q <= quant_max))

    return Formula.apply(value, backward, input)


def _check_channel_qparams(input: Tensor, scale: Tensor, zero_point: Tensor, axis: int, quant_min: int,
                           quant_max: int) -> None:
    """torch's checks, in its order."""
    if scale.dtype not in (dt.float32, dt.bfloat16):
        raise RuntimeError(f"Scale must be Float or BFloat16, found {dt.scalar_name(scale.dtype)}")
    if zero_point.dtype not in (dt.int32, dt.float32, dt.float16):
        raise RuntimeError("Zero-point must be Int32, Float or Half, found "
                           f"{dt.scalar_name(zero_point.dtype)}")
    if scale.dim() != 1:
        raise RuntimeError("scale should be a 1-D tensor")
    if zero_point.dim() != 1:
        raise RuntimeError("zero point should be a 1-D tensor")
    if scale.numel() != zero_point.numel():
        raise RuntimeError("scale and zero-point need to have the same dimensions")
    if scale.numel() != input.size(axis):
        raise RuntimeError("dimensions of scale and zero-point are not consistent with input tensor")
    _check_range(quant_min, quant_max)
    if not zero_point.dtype.is_floating_point and zero_point.numel() and not (
            quant_min <= zero_point.min().item() and zero_point.max().item() <= quant_max):
        raise _zero_point_error()
    if not 0 <= axis <= input.dim():
        raise RuntimeError("`axis` must be between 0 and number of dimensions of input")


def fake_quantize_per_channel_affine(input: Tensor, scale: Tensor, zero_point: Tensor, axis: int,
                                     quant_min: int, quant_max: int) -> Tensor:
    """``input`` quantized with a ``scale`` and ``zero_point`` per index along ``axis`` and dequantized, as
    ``torch.fake_quantize_per_channel_affine``."""
    _check_channel_qparams(input, scale, zero_point, axis, quant_min, quant_max)
    _check_floating(input, "fake_quantize_channel_cachemask_cpu_type_handling")
    along = [1] * input.dim()
    along[normalize_dim(axis, input.dim())] = scale.numel()
    scale = scale.float().reshape(along)
    inv_scale = 1.0 / scale
    zp = zero_point.reshape(along)
    wide = dt.float64 if input.dtype is dt.float64 else dt.float32

    def quantized(x):
        """The int64 the kernel casts to: the integer zero point added after rounding, a float one before."""
        scaled = _scaled(x, inv_scale.to(wide))
        q = (scaled + zp).round() if zp.dtype.is_floating_point else scaled.round() + zp.to(wide)
        return where(q.abs() < 2.0 ** 63, q, float(_INT64_MIN)).to(dt.int64)

    def value(x):
        clamped = quantized(x).clamp(quant_min, quant_max)
        # torch's cpu kernel dequantizes in double (fmax/fmin of int64s), its cuda one in float
        exact = dt.float64 if x.device.type == "cpu" else dt.float32
        return ((clamped.to(exact) - zp.to(exact)) * scale.to(exact)).to(x.dtype)

    @shown_as("FakeQuantizePerChannelAffineCachemaskBackward0")
    def backward(g, x):
        q = quantized(x)
        return g * ((q >= quant_min) & (q <= quant_max))

    return Formula.apply(value, backward, input)
