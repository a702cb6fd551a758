"""Normalization functions of pyfront.nn.functional: batch, instance, layer, group and RMS norm.

Each is ``(x - mean) / sqrt(var + eps)`` (biased variance) over its own dims, then an optional
per-feature affine map, written with the reduction composites so autograd derives the full
backward (through the statistics too). Running statistics are updated in place, outside the
graph, with the unbiased variance, as PyTorch does.
"""

from __future__ import annotations

import math

from ... import dtypes as dt
from ...autograd.grad_mode import is_grad_enabled, no_grad, not_differentiable
from ...autograd.graph import saved_as_torch
from ...ops.composite.reductions import mean_without_overflow
from ...ops.registry import composite, records
from ...ops.primitives import moments as kernels
from ...ops import samples
from . import half_norm_grads
from ...tensor import Tensor
from ...ops.common import in_float32
from ...dtypes import scalar_name
from ...ops.memory_formats import contiguous_result, grads_in_incoming_format, in_format, lays_out, \
    like_input, suggested, suggested_result

__all__ = ["batch_norm", "instance_norm", "layer_norm", "group_norm", "rms_norm"]
_ONE_DTYPE = (dt.float32, dt.float64)  # rms_norm's one kernel: its composite's float32 steps (in_float32's)


def _not_implemented(kernel, input):
    """torch's refusal of a norm's input it has no kernel for: an integer, bool or shell one (float8's)."""
    if not input.dtype.is_floating_point or input.dtype in dt.FLOAT8:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt.scalar_name(input.dtype)}'")


def _mixed(input, *params) -> bool:
    """ATen's CPU check of a norm's parameters (weight, bias, running stats), from the first one given: of
    the input's dtype, the others must be too; else all float32 beside a float16 or bfloat16 input (a
    "mixed" call, computed in float32, its output of the input's dtype)."""
    given = [p for p in params if p is not None]
    if not given or given[0].dtype is input.dtype:
        for p in given:  # the kernel reads each as the input's type (an integer input: its own refusal)
            if p.dtype is not input.dtype and input.dtype.is_floating_point:
                raise RuntimeError(f"expected scalar type {scalar_name(input.dtype)} but found "
                                   f"{scalar_name(p.dtype)}")
        return False
    if any(p.dtype is not dt.float32 for p in given):
        raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
    if input.dtype not in dt.HALVES:
        raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
    return True


def _differs(input, *params) -> bool:
    """Whether the first parameter given is not of the input's dtype (a "mixed" call to ``_mixed``)."""
    return next((p.dtype is not input.dtype for p in params if p is not None), False)


def _affine(out, weight, bias, shape):
    if weight is not None:
        out = out * _viewed(weight, shape)
    if bias is not None:
        out = out + _viewed(bias, shape)
    return out


def _viewed(param, shape):
    """A weight or bias viewed as ``shape`` (a ``-1`` and ones) to broadcast per feature; itself where it has
    that shape (layer_norm's always, a 2-d batch's): a view would add a node to the graph for nothing (and
    its step to the backward), the values and gradients the same."""
    if len(shape) == param.dim() and all(n == -1 or n == m for n, m in zip(shape, param.shape)):
        return param
    return param.reshape(shape)


def _update(running, stat, momentum, writes=0):
    """``running`` moved towards ``stat``, its version moved by ``writes`` only: torch's batch_norm kernel
    writes the running statistics in place without a version bump, so its node keeps them as written (a
    later write fails its backward); instance_norm copies its average into them (one write)."""
    counter = running._vc
    version = counter.version
    _move(running, stat, momentum)
    counter.version = version + writes


def _move(running, stat, momentum):
    with no_grad():
        d = running.dtype  # torch's kernel updates a 16-bit, float8 or integer one in float32, cast once
        if d in dt.HALVES or d in dt.FLOAT8 or not d.is_floating_point:
            running.copy_(running.float() * (1 - momentum) + stat.detach().float() * momentum)
        else:
            running.mul_(1 - momentum).add_(stat.detach().to(running.dtype) * momentum)


def _needs_grad(*tensors) -> bool:
    return is_grad_enabled() and any(t is not None and t.requires_grad for t in tensors)


def _opmath(t):
    """float16 or bfloat16 ``t`` as float32, the type torch's norm kernels compute in (None and others as
    they are)."""
    return t.float() if t is not None and t.dtype in dt.HALVES else t


def _verify_batch_size(size):
    prod = size[0]
    for n in size[2:]:
        prod *= n
    if prod == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {size}")


def _moments(x: Tensor, dims) -> tuple[Tensor, Tensor]:
    """(mean, population variance) over ``dims`` (kept), without var's warning for an empty reduction,
    which PyTorch's norm layers do not give. The mean is a running one, as PyTorch's Welford
    moments: finite where sum(x) overflows (3e38 + 1e37); a variance past float32's largest is inf."""
    mean = mean_without_overflow(x, dims, True)
    d = x - mean
    return mean, mean_without_overflow(d * d, dims, True)


def _scale_shift(input, mean, var, eps, weight, bias, shape, batch_stats=False, mixed=False):
    """batch_norm's ``x * alpha + beta``, alpha = weight / sqrt(var + eps), beta = bias - mean * alpha
    (bias 0 when absent), in PyTorch's fused order: its rounding and its signed zeros (all +0 where the
    variance overflows and alpha is 0), not those of (x - mean) * alpha. float16 and bfloat16 compute in
    float32 and round the output once, as torch's kernel; with ``batch_stats`` (the training kernel) torch
    first stores the mean and 1 / sqrt(var + eps) in the input's dtype, so they are rounded too, except in a
    ``mixed`` call (float32 parameters beside a 16-bit input), whose kernel stores them in float32."""
    low = input.dtype if input.dtype in dt.HALVES else None
    mean, var = _opmath(mean), _opmath(var)
    if low and _needs_grad(input, weight, bias):  # torch's 16-bit backward kernel, from the stats it reads
        with no_grad():
            mean, invstd = mean.detach(), (var.detach() + eps).rsqrt()
            if batch_stats and not mixed:
                mean, invstd = half_norm_grads.stored_batch_stats(input, mean, invstd, eps)
            else:  # its evaluation backward takes 1 / sqrt(var + eps) in float64 (where there is one)
                invstd = (var.detach().double() + eps).rsqrt().float() if var.device.type == "cpu" else invstd
        return half_norm_grads.batch_norm(_apply_stats, input, weight, bias, mean, invstd, batch_stats, shape)
    alpha = (var + eps).rsqrt()
    if low and batch_stats and not mixed:
        mean, alpha = half_norm_grads.stored_batch_stats(input, mean.detach(), alpha, eps)
    return _apply_stats(input, weight, bias, mean, alpha, batch_stats, shape)


def _apply_stats(input, weight, bias, mean, invstd, batch_stats, shape):
    """``x * alpha + beta`` from float32 statistics, rounded once to a 16-bit input's dtype. torch's 16-bit
    kernel is compiled to one fused multiply-add (seen where the two cancel: -3e-8, not 0), which float64
    holds exactly here: a float32 product is exact in it, the sum rounded once (cpu, which has it)."""
    low = input.dtype if input.dtype in dt.HALVES else None
    input, weight, bias = map(_opmath, (input, weight, bias))
    alpha = invstd * _viewed(weight, shape) if weight is not None else invstd
    beta = (_viewed(bias, shape) if bias is not None else 0.0) - mean * alpha
    if not low:
        return input * alpha + beta
    if input.device.type == "cpu":
        return (input.double() * alpha.double() + beta).float().to(low)
    return (input * alpha + beta).to(low)


@composite(torch_name="nn.functional.batch_norm", samples=samples.batch_norm,
           grad_fn=lambda input, *a, **k: "NativeBatchNormBackward0" if input.numel() else "AddBackward0",
           # (an empty input: torch's clone, times weight[0], plus bias[0], each node saving its own)
           saves=lambda input, running_mean, running_var, weight=None, *a, **k: [
               ("input", input), ("weight", weight), ("running_mean", running_mean),
               ("running_var", running_var)] if input.numel() else [])
@grads_in_incoming_format(lambda input, *args, **kwargs: None if input._contiguous or not input.numel()
                          else suggested(input))  # torch's kernel: the input's format, whatever comes in
@lays_out(suggested_result)
def batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-05,
) -> Tensor:
    """Batch normalization of ``(N, C, *)``, per channel over the batch and spatial dims.

    ``y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias``, with the biased variance. When ``training``, E
    and Var come from the batch and ``running_mean``/``running_var`` (if given) are updated in place, ``r = (1
    - momentum) * r + momentum * s`` (the variance unbiased); otherwise the running statistics are used.

    Args:
        input (Tensor): ``(N, C, *)`` (floating dtype).
        running_mean (Tensor or None): ``(C,)``; required when not ``training``.
        running_var (Tensor or None): ``(C,)``; None exactly when ``running_mean`` is None.
        weight (Tensor, optional): ``(C,)`` scale (gamma). Default: None
        bias (Tensor, optional): ``(C,)`` shift (beta). Default: None
        training (bool): use and update batch statistics. Default: False
        momentum (float): weight of the new statistic in the running update. Default: 0.1
        eps (float): added to the variance for stability. Default: 1e-5

    Shape:
        input: ``(N, C)``, ``(N, C, L)`` or ``(N, C, H, W)`` (any ``(N, C, *)``); output: the same shape.

    Raises:
        ValueError: one value per channel while ``training``, or only one of the running stats given.
        RuntimeError: a running stat missing in evaluation, a stat/weight/bias without ``C`` elements, a
            running stat that requires grad, or dtypes that differ from ``input``'s.
        NotImplementedError: ``input`` is not floating point.

    Follows Ioffe & Szegedy 2015, as ``torch.nn.functional.batch_norm``.
    """
    if training:
        _verify_batch_size(input.shape)
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must either both be None or neither be None")
    channels = input.shape[1]
    shape = (-1,) + (1,) * (input.dim() - 2)
    if input.numel() == 0:  # PyTorch's shortcut: no statistics, the affine map from the first element
        out = input.clone()
        out = out * weight[0] if weight is not None else out
        return out + bias[0] if bias is not None else out
    for name, t in (
        ("running_mean", running_mean),
        ("running_var", running_var),
        ("weight", weight),
        ("bias", bias),
    ):
        if t is None:
            if name.startswith("running") and not training:
                raise RuntimeError(f"{name} must be defined in evaluation mode")
        elif t.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {t.numel()}")
    not_differentiable("native_batch_norm", running_mean=running_mean, running_var=running_var)
    _not_implemented("batch_norm", input)
    mixed = _mixed(input, weight, bias, running_mean, running_var)
    dims = (0,) + tuple(range(2, input.dim()))
    if input.dtype not in dt.HALVES and kernels.one_kernel(input, weight, bias, running_mean, running_var,
                                                           numbers=(eps, momentum)):
        return _batch_norm_kernel(input, running_mean, running_var, weight, bias, training, momentum, eps,
                                  dims)
    if training:
        mean, var = _moments(_opmath(input), dims)
        if running_mean is not None:
            _update_batch(running_mean, running_var, mean, var, momentum, input.numel() // channels)
    else:
        mean, var = running_mean.reshape(shape), running_var.reshape(shape)
    if input.dtype in dt.HALVES and half_norm_grads.strided(input, weight, bias, running_mean, running_var):
        return half_norm_grads.strided_batch_norm(input, weight, bias, running_mean, running_var, eps,
                                                  training)
    return _scale_shift(input, mean, var, eps, weight, bias, shape, training, mixed)


def _batch_norm_kernel(input, running_mean, running_var, weight, bias, training, momentum, eps, dims):
    """batch_norm's value of a float32 or float64 input without a graph, one op (its running update too)."""
    if not training:
        return kernels.batch_norm(input, weight, bias, eps, mean=running_mean, var=running_var)
    out, mean, var = kernels.batch_norm(input, weight, bias, eps, dims)
    if running_mean is not None:
        _update_batch(running_mean, running_var, mean, var, momentum, input.numel() // input.shape[1])
    return out


def _update_batch(running_mean, running_var, mean, var, momentum, count):
    """batch_norm's running update from its batch's mean and biased variance over ``count`` elements (dims
    kept), outside the graph: by their arrays where it can (kernels.update_running), else by _update."""
    if kernels.update_running(running_mean, running_var, mean, var, momentum, count):
        return
    with no_grad():
        _update(running_mean, mean.reshape(-1), momentum)
        _update(running_var, var.reshape(-1) * (count / (count - 1)) if count > 1 else var.reshape(-1),
                momentum)


def _update_instances(running_mean, running_var, mean, var, momentum, count):
    """instance_norm's running update: _update_batch's from each sample's statistics (N, C, 1, ...), averaged
    over the samples, each a write."""
    instances = mean.shape[0]
    if kernels.update_running(running_mean, running_var, mean, var, momentum, count, instances, 1):
        return
    with no_grad():
        _update(running_mean, mean.reshape(instances, -1).mean(0), momentum, writes=1)
        _update(running_var, (var.reshape(instances, -1) * (count / (count - 1))).mean(0), momentum, writes=1)


def _check_repeated_sizes(input, running_mean, running_var, weight, bias):
    """torch's instance_norm is a batch_norm of one sample of N * C channels, its tensors repeated N times:
    that batch_norm's size checks come first, in its words and counts (before any of the dtype)."""
    given = (("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias))
    if any(t is not None and t.dim() > 1 for _, t in given) or input.dim() == 0:  # (their repeat(N))
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions "
                           "of tensor")
    n = input.shape[0]
    channels = n * (input.shape[1] if input.dim() > 1 else 1)
    for name, t in given:
        if t is not None and t.numel() * n != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {t.numel() * n}")


def _instances_as_channels(input, *args, **kwargs):
    """What torch's instance_norm saves: its input viewed as one sample of N * C channels (the batch_norm
    node before its last view, which shows nothing)."""
    return [(None, input.reshape(1, -1, *input.shape[2:]))] if input.dim() >= 2 else []


@composite(torch_name="nn.functional.instance_norm", samples=samples.instance_norm, grad_fn="ViewBackward0",
           saves=_instances_as_channels)
@lays_out(contiguous_result)
def instance_norm(
    input: Tensor,
    running_mean: Tensor | None = None,
    running_var: Tensor | None = None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-05,
) -> Tensor:
    """Instance normalization: each (sample, channel) of ``(N, C, *)`` over its own spatial dims.

    ``y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias``; with ``running_mean``/``running_var`` given, they
    get the per-instance statistics' batch average as in ``batch_norm``.

    Args:
        input (Tensor): ``(N, C, *)`` (floating dtype).
        running_mean (Tensor, optional): ``(C,)``. Default: None
        running_var (Tensor, optional): ``(C,)``. Default: None
        weight (Tensor, optional): ``(C,)`` scale. Default: None
        bias (Tensor, optional): ``(C,)`` shift. Default: None
        use_input_stats (bool): use the instance statistics; False uses the running ones. Default: True
        momentum (float): weight of the new statistic in the running update. Default: 0.1
        eps (float): added to the variance for stability. Default: 1e-5

    Shape:
        input: ``(N, C, L)`` or ``(N, C, H, W)`` (any ``(N, C, *)``); output: the same shape.

    Raises:
        ValueError: one spatial element while ``use_input_stats``.
        RuntimeError: ``use_input_stats=False`` without both running stats.
        NotImplementedError: ``input`` is not floating point.

    Follows Ulyanov et al. 2016, as ``torch.nn.functional.instance_norm``.
    """
    if use_input_stats:
        if math.prod(input.shape[2:]) == 1:
            raise ValueError(
                f"Expected more than 1 spatial element when training, got input size {input.shape}"
            )
    elif running_mean is None or running_var is None:
        raise RuntimeError(
            "Expected running_mean and running_var to be defined when use_input_stats is false"
        )
    _check_repeated_sizes(input, running_mean, running_var, weight, bias)
    if running_mean is not None and running_var is not None and running_mean.dtype is input.dtype \
            and running_var.dtype is not input.dtype:  # torch's kernel reads both as the input's type
        raise RuntimeError(f"expected scalar type {dt.scalar_name(input.dtype)} but found "
                           f"{dt.scalar_name(running_var.dtype)}")
    # PyTorch runs it as a batch_norm of the repeated running stats
    not_differentiable("native_batch_norm", running_mean=running_mean, running_var=running_var)
    _not_implemented("batch_norm", input)
    _mixed(input, weight, bias)  # (torch's instance_norm casts its running stats: any dtype goes)
    shape = (-1,) + (1,) * (input.dim() - 2)
    if input.dtype not in dt.HALVES and use_input_stats and input.dim() > 2 and \
            kernels.one_kernel(input, weight, bias, running_mean, running_var, numbers=(eps, momentum)):
        return _instance_norm_kernel(input, running_mean, running_var, weight, bias, momentum, eps)
    if use_input_stats:
        dims = tuple(range(2, input.dim()))
        mean, var = _moments(_opmath(input), dims)
        if running_mean is not None:  # the per-instance updates, averaged over the batch
            _update_instances(running_mean, running_var, mean, var, momentum, math.prod(input.shape[2:]))
    else:
        # (torch's instance_norm reads integer and float8 running stats as the input's dtype) copies, as
        # torch's repeats of them per sample: its nodes keep those, so a later write into one fails nothing
        mean, var = (t.reshape(shape).clone() if t.dtype.is_floating_point and t.dtype not in dt.FLOAT8 else
                     t.reshape(shape).to(input.dtype) for t in (running_mean, running_var))
    if input.dtype in dt.HALVES and _needs_grad(input, weight, bias) and input.dim() >= 2:
        # as PyTorch: a batch_norm of one sample, its channels the (sample, channel) pairs, the weight and
        # bias repeated for each sample (their gradients each pair's, rounded, summed per channel)
        n = input.shape[0]
        whole = (1, -1) + tuple(input.shape[2:])
        mean, var = (t.expand(input.shape[:2] + (1,) * len(shape[1:])).reshape(shape) for t in (mean, var))
        weight, bias = (t if t is None else t.repeat(n) for t in (weight, bias))
        out = _scale_shift(input.reshape(whole), mean, var, eps, weight, bias, shape, use_input_stats)
        return out.reshape(input.shape)
    # PyTorch runs it as a batch_norm, of its weight repeated per sample: its node keeps that copy
    weight = weight if weight is None else weight.repeat(1)
    return _scale_shift(input, mean, var, eps, weight, bias, shape, use_input_stats)


def _instance_norm_kernel(input, running_mean, running_var, weight, bias, momentum, eps):
    """instance_norm's value of a float32 or float64 input from its own statistics, without a graph, one op
    (its running update too)."""
    out, mean, var = kernels.batch_norm(input, weight, bias, eps, tuple(range(2, input.dim())))
    if running_mean is not None:
        _update_instances(running_mean, running_var, mean, var, momentum, math.prod(input.shape[2:]))
    return out


def _normalized_shape(name, input, normalized_shape, weight, bias, separator=", "):
    if isinstance(normalized_shape, int) or not isinstance(normalized_shape, (tuple, list)):
        raise TypeError(
            f"{name}(): argument 'normalized_shape' (position 2) must be tuple of ints, not "
            f"{type(normalized_shape).__name__}"
        )
    shape = [int(n) for n in normalized_shape]
    if not shape:
        raise RuntimeError(
            "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
            "element, but got normalized_shape = []"
        )
    for what, t in (("weight", weight), ("bias", bias)):
        if t is not None and list(t.shape) != shape:
            raise RuntimeError(
                f"Expected {what} to be of same shape as normalized_shape, but got {what} of shape "
                f"{list(t.shape)} and normalized_shape = {shape}"
            )
    if name == "rms_norm" and input.dim() < len(shape):  # (its own check, a ValueError, after the weight's)
        raise ValueError(f"Input tensor must have at least {len(shape)} dimensions, but got {input.dim()}")
    if input.dim() < len(shape) or list(input.shape[input.dim() - len(shape) :]) != shape:
        inner = ", ".join(map(str, shape))
        raise RuntimeError(
            f"Given normalized_shape={shape}, expected input with shape [*{separator}{inner}], but "
            f"got input of size{list(input.shape)}"
        )
    return tuple(range(input.dim() - len(shape), input.dim()))


@composite(
    torch_name="nn.functional.layer_norm",
    samples=samples.layer_norm,
    grad_fn="NativeLayerNormBackward0",
    saves="input weight bias",
)
@lays_out(contiguous_result)
def layer_norm(
    input: Tensor,
    normalized_shape,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-05,
) -> Tensor:
    """Layer normalization over the last ``len(normalized_shape)`` dims of each sample.

    ``y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias``, E and the biased Var over those dims.

    Args:
        input (Tensor): ``(*, *normalized_shape)`` (floating dtype).
        normalized_shape (tuple or list of int): the trailing shape to normalise over.
        weight (Tensor, optional): scale of shape ``normalized_shape``. Default: None
        bias (Tensor, optional): shift of shape ``normalized_shape``. Default: None
        eps (float): added to the variance for stability. Default: 1e-5

    Shape:
        input: ``(N, *)``, ending in ``normalized_shape``; output: the same shape.

    Raises:
        TypeError: ``normalized_shape`` is not a tuple or list.
        RuntimeError: ``normalized_shape`` is empty or is not the input's trailing shape, or weight or bias
            does not have that shape.
        NotImplementedError: ``input`` is not floating point.

    Follows Ba et al. 2016, as ``torch.nn.functional.layer_norm``.
    """
    # torch's CPU kernel checks a mixed call (the first parameter given not of the input's dtype) before the
    # sizes; the parameters of the input's dtype are looked at after them
    mixed = input.dtype not in dt.FLOAT8 and _differs(input, weight, bias) and _mixed(input, weight, bias)
    dims = _normalized_shape("layer_norm", input, normalized_shape, weight, bias)
    if input.dtype in dt.FLOAT8:  # (torch's float8 kernel lookup comes before the parameters' check)
        _not_implemented("LayerNormKernelImpl", input)
    if mixed or _mixed(input, weight, bias):  # checked before the kernel's dtype, as torch
        return _layer_norm(input.float(), dims, weight, bias, eps).to(input.dtype)
    _not_implemented("LayerNormKernelImpl", input)
    saved_as_torch(input, weight, bias)  # torch's layer_norm kernel saves the three for any gradient
    if input.dtype in dt.HALVES and _needs_grad(input, weight, bias):
        return half_norm_grads.layer_norm(_layer_norm_of, input, weight, bias, eps, dims)
    return _layer_norm(input, dims, weight, bias, eps)


def _layer_norm_of(input, weight, bias, eps, dims):
    return _layer_norm(input, dims, weight, bias, eps)


@in_float32
def _layer_norm(input, dims, weight, bias, eps):
    if kernels.one_kernel(input, weight, bias, numbers=(eps,)):
        return kernels.layer_norm(input, dims, weight, bias, eps)
    mean, var = _moments(input, dims)
    out = (input - mean) * (var + eps).rsqrt()
    return _affine(out, weight, bias, tuple(input.shape[dims[0] :]))


@composite(torch_name="nn.functional.rms_norm", samples=samples.rms_norm)
@in_float32
@lays_out(suggested_result)
def rms_norm(
    input: Tensor, normalized_shape, weight: Tensor | None = None, eps: float | None = None
) -> Tensor:
    """Root-mean-square normalization over the last ``len(normalized_shape)`` dims.

    ``y = x / sqrt(mean(x^2) + eps) * weight``.

    Args:
        input (Tensor): ``(*, *normalized_shape)`` (floating dtype).
        normalized_shape (tuple or list of int): the trailing shape to normalise over.
        weight (Tensor, optional): scale of shape ``normalized_shape``. Default: None
        eps (float, optional): added to the mean square; None uses ``finfo(input.dtype).eps``. Default: None

    Shape:
        input: ``(N, *)``, ending in ``normalized_shape``; output: the same shape.

    Raises:
        TypeError: ``normalized_shape`` is not a tuple or list.
        RuntimeError: ``normalized_shape`` is empty or is not the input's trailing shape, or weight does not
            have that shape.
        NotImplementedError: ``input`` is not floating point.

    Follows Zhang & Sennrich 2019, as ``torch.nn.functional.rms_norm``.
    """
    dims = _normalized_shape("rms_norm", input, normalized_shape, weight, None, separator="")
    if not input.dtype.is_complex:  # (torch's composite computes complex numbers: x * rsqrt(mean(x ** 2)))
        _not_implemented("rms_norm", input)
    if eps is None:
        eps = dt.finfo(input.dtype.to_real()).eps
    if weight is not None and dt.promote_types(input.dtype, weight.dtype) is not input.dtype:
        # torch's composite normalises into the input's dtype (type_as), then scales and casts back
        return (rms_norm(input, normalized_shape, None, eps) * weight).to(input.dtype)
    if input.dtype in _ONE_DTYPE and kernels.one_kernel(input, weight, numbers=(eps,)):
        return kernels.rms_norm(input, dims, weight, eps)
    # pow(x, 2), as PyTorch's composite: its gradient 2 * x overflows first (NaN at x ~ 3e38, as torch's)
    out = input * (input.pow(2).mean(dims, keepdim=True) + eps).rsqrt()
    return out if weight is None else out * weight


@composite(torch_name="nn.functional.group_norm", samples=samples.group_norm)
@lays_out(like_input)
def group_norm(
    input: Tensor,
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-05,
) -> Tensor:
    """Group normalization: the C channels of each sample split into ``num_groups`` groups.

    Each group is normalised over its channels and spatial dims, per sample.

    ``y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias``, weight and bias per channel.

    Args:
        input (Tensor): ``(N, C, *)`` (floating dtype).
        num_groups (int): number of groups; must divide ``C``.
        weight (Tensor, optional): ``(C,)`` scale. Default: None
        bias (Tensor, optional): ``(C,)`` shift. Default: None
        eps (float): added to the variance for stability. Default: 1e-5

    Shape:
        input: ``(N, C, *)``; output: the same shape.

    Raises:
        RuntimeError: fewer than 2 dims, ``C`` not divisible by ``num_groups``, or weight/bias not ``(C,)``.
        ValueError: one value per group.
        NotImplementedError: ``input`` is not floating point.

    Follows Wu & He 2018, as ``torch.nn.functional.group_norm``.
    """
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.dim()}")
    n, c = input.shape[:2]
    _verify_batch_size([n * c // num_groups, num_groups] + list(input.shape[2:]))
    if c % num_groups:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got input of "
            f"shape {list(input.shape)} and num_groups={num_groups}"
        )
    for what, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.dim() != 1 or t.numel() != c):
            # PyTorch prints the weight's shape in both messages ([0] for no weight)
            shown = list(weight.shape) if weight is not None else [0]
            raise RuntimeError(
                f"Expected {what} to be a vector of size equal to the number of channels in input, "
                f"but got {what} of shape {shown} and input of shape {list(input.shape)}"
            )
    if input.dtype in dt.FLOAT8:  # (torch's float8 kernel lookup comes before the parameters' check)
        _not_implemented("GroupNormKernelImpl", input)
    mixed = _mixed(input, weight, bias)  # checked before the kernel's dtype, as torch
    if not mixed:
        _not_implemented("GroupNormKernelImpl", input)
        saved_as_torch(input, weight, by=(input, weight, bias))  # torch's group_norm kernel saves these two
    # torch's kernel reads its input contiguous in the format it suggests: its node keeps a transposed
    # one's copy (a later write into the input fails nothing)
    return _native_group_norm(in_format(input, suggested(input)), num_groups, weight, bias, eps, mixed)


@records("NativeGroupNormBackward0", saves="input weight")
def _native_group_norm(input, num_groups, weight, bias, eps, mixed):
    if mixed:
        return _group_norm(input.float(), num_groups, weight, bias, eps).to(input.dtype)
    if input.dtype in dt.HALVES and _needs_grad(input, weight, bias):
        return half_norm_grads.group_norm(_group_norm_of, input, weight, bias, eps, num_groups)
    return _group_norm(input, num_groups, weight, bias, eps)


def _group_norm_of(input, weight, bias, eps, num_groups):
    return _group_norm(input, num_groups, weight, bias, eps)


@in_float32
def _group_norm(input, num_groups, weight, bias, eps):
    if kernels.one_kernel(input, weight, bias, numbers=(eps,)):
        return kernels.group_norm(input, num_groups, weight, bias, eps)
    n, c = input.shape[:2]
    grouped = input.reshape(n, num_groups, c // num_groups * math.prod(input.shape[2:]))
    mean, var = _moments(grouped, (-1,))
    out = ((grouped - mean) * (var + eps).rsqrt()).reshape(input.shape)
    return _affine(out, weight, bias, (-1,) + (1,) * (input.dim() - 2))
