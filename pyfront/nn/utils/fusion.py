"""Folding an eval-mode batch norm into the conv or linear layer before it (``nn.utils.fuse_*``), as
torch.nn.utils.fusion does for inference: ``bn(layer(x)) == fused(x)`` with the running statistics.

In eval, batch norm is the affine map ``y = (x - mean) * gamma / sqrt(var + eps) + beta`` per channel, so
it scales the layer's output channels by ``s = gamma / sqrt(var + eps)`` and shifts them by
``(b - mean) * s + beta``."""
from __future__ import annotations

import copy

from ...ops.creation import ones_like, zeros_like
from ..parameter import Parameter

__all__ = ["fuse_conv_bn_eval", "fuse_conv_bn_weights", "fuse_linear_bn_eval", "fuse_linear_bn_weights"]


def _channel_scale(bn_rv, bn_eps, bn_w):
    """``gamma / sqrt(var + eps)``, the factor batch norm applies to each channel in eval."""
    return (bn_w if bn_w is not None else ones_like(bn_rv)) * (bn_rv + bn_eps).rsqrt()


def fuse_conv_bn_weights(conv_w, conv_b, bn_rm, bn_rv, bn_eps, bn_w, bn_b, transpose=False):
    """The weight and bias of one convolution equal to ``conv`` followed by an eval-mode batch norm.

    Args:
        conv_w: (C_out, C_in/groups, *k) weight, or (C_in, C_out/groups, *k) for a transposed conv
            (``transpose``: the output channels are its dim 1).
        conv_b: (C_out,) bias or None (zeros). bn_rm, bn_rv: running mean and variance; bn_eps: eps;
        bn_w, bn_b: the affine scale and shift, or None (1 and 0).

    Returns:
        ``(weight, bias)`` as Parameters, in conv_w's and conv_b's dtypes (conv_w's where conv_b is None),
        requiring grad as conv_w and conv_b do (a missing bias: not).
    """
    weight_dtype = conv_w.dtype
    bias_dtype = conv_b.dtype if conv_b is not None else weight_dtype
    if conv_b is None:
        conv_b = zeros_like(bn_rm)
    scale = _channel_scale(bn_rv, bn_eps, bn_w)
    shape = [1] * conv_w.dim()
    shape[1 if transpose else 0] = -1
    weight = (conv_w * scale.reshape(shape)).to(dtype=weight_dtype)
    shift = bn_b if bn_b is not None else zeros_like(bn_rm)
    bias = ((conv_b - bn_rm) * scale + shift).to(dtype=bias_dtype)
    return Parameter(weight, conv_w.requires_grad), Parameter(bias, conv_b.requires_grad)


def fuse_conv_bn_eval(conv, bn, transpose=False):
    """A copy of the eval-mode ``conv`` with the eval-mode batch norm ``bn`` that follows it folded in, as
    ``torch.nn.utils.fuse_conv_bn_eval``.

    Args:
        conv: a ConvNd (``transpose``: a ConvTransposeNd). bn: the BatchNorm over its output channels.

    Returns:
        a new conv module (deep copy) whose output is ``bn(conv(x))``; ``conv`` is left as it was.

    Raises:
        AssertionError: either module is in training mode ("Fusion only for eval!").
    """
    assert not (conv.training or bn.training), "Fusion only for eval!"
    fused = copy.deepcopy(conv)
    assert bn.running_mean is not None and bn.running_var is not None
    fused.weight, fused.bias = fuse_conv_bn_weights(fused.weight, fused.bias, bn.running_mean, bn.running_var,
                                                    bn.eps, bn.weight, bn.bias, transpose)
    return fused


def fuse_linear_bn_weights(linear_w, linear_b, bn_rm, bn_rv, bn_eps, bn_w, bn_b):
    """The weight and bias of one linear layer equal to ``linear`` followed by an eval-mode batch norm.

    Args:
        linear_w: (out, in) weight; linear_b: (out,) bias or None (zeros). bn_rm, bn_rv, bn_eps, bn_w, bn_b:
            the batch norm's running mean, variance, eps, scale and shift (C = out, or 1: broadcast).

    Returns:
        ``(weight, bias)`` as Parameters in linear_w's and linear_b's dtypes (linear_w's where linear_b is
        None), requiring grad as linear_w and linear_b do.
    """
    bias_dtype = linear_b.dtype if linear_b is not None else linear_w.dtype
    if linear_b is None:
        linear_b = zeros_like(bn_rm)
    scale = _channel_scale(bn_rv, bn_eps, bn_w)
    weight = linear_w * scale.unsqueeze(-1).to(dtype=linear_w.dtype)
    bias = ((linear_b - bn_rm) * scale + bn_b).to(dtype=bias_dtype)
    return Parameter(weight, linear_w.requires_grad), Parameter(bias, linear_b.requires_grad)


def fuse_linear_bn_eval(linear, bn):
    """A copy of the eval-mode ``linear`` with the eval-mode 1-D batch norm ``bn`` after it folded in, as
    ``torch.nn.utils.fuse_linear_bn_eval``.

    Args:
        linear: a Linear. bn: a BatchNorm over its out_features (or over 1 feature, broadcast).

    Returns:
        a new Linear (deep copy) whose output is ``bn(linear(x))``.

    Raises:
        AssertionError: a module in training mode, or feature counts that do not fit (torch's texts).
    """
    assert not (linear.training or bn.training), "Fusion only for eval!"
    assert linear.out_features == bn.num_features or bn.num_features == 1, (
        "To fuse, linear.out_features == bn.num_features or bn.num_features == 1, got "
        f"linear.out_features={linear.out_features} and bn.num_features={bn.num_features}")
    assert bn.running_mean is not None and bn.running_var is not None
    fused = copy.deepcopy(linear)
    fused.weight, fused.bias = fuse_linear_bn_weights(fused.weight, fused.bias, bn.running_mean,
                                                      bn.running_var, bn.eps, bn.weight, bn.bias)
    return fused
