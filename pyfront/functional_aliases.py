"""The functional ops ``torch`` itself exposes (``torch.conv2d``, ``torch.dropout``, ``torch.layer_norm``,
...), mapped to ``pyfront.nn.functional``. These are ATen's signatures, not ``torch.nn.functional``'s:
no defaults where ATen has none (``torch.dropout(input, p, train)``), the norms' parameters in ATen's
order (``torch.batch_norm`` takes 9 positional arguments), losses' ``reduction`` as an int (0 none,
1 mean, 2 sum; 0 when left out, as torch's Python binding has it), ``torch.embedding(weight, indices)``
with -1 for no padding index. Where the signatures match, the name is the functional itself (``SAME``);
tests/test_funcs_s18.py runs every entry against torch."""
from __future__ import annotations


from .autograd.function import no_derivative
from .nn import functional as F
from .ops.primitives.elementwise import where
from .ops.shell import SHELL, refuse

# torch.X is torch.nn.functional.X, the same positional signature
conv1d, conv2d = F.conv1d, F.conv2d
conv_transpose1d, conv_transpose2d = F.conv_transpose1d, F.conv_transpose2d
bilinear, pixel_shuffle, pixel_unshuffle = F.bilinear, F.pixel_shuffle, F.pixel_unshuffle
cosine_similarity, pairwise_distance, prelu, hardshrink = (F.cosine_similarity, F.pairwise_distance, F.prelu,
                                                           F.hardshrink)
avg_pool1d, adaptive_avg_pool1d, rms_norm = F.avg_pool1d, F.adaptive_avg_pool1d, F.rms_norm
SAME = ("conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "bilinear", "pixel_shuffle",
        "pixel_unshuffle", "cosine_similarity", "pairwise_distance", "prelu", "hardshrink", "avg_pool1d",
        "adaptive_avg_pool1d", "rms_norm")

_REDUCTION = {0: "none", 1: "mean", 2: "sum"}


def _dropout_p(p):
    """ATen's check of a dropout probability: a RuntimeError (F.dropout's Python check is a ValueError),
    NaN refused, the number printed as C++ prints a double (six significant digits)."""
    if not 0 <= float(p) <= 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {float(p):g}")
    return p


def dropout(input, p, train):
    """``torch.dropout``: ``F.dropout(input, p, train)``."""
    return F.dropout(input, _dropout_p(p), train)


def dropout_(input, p, train):
    """``torch.dropout_``: in-place ``dropout``."""
    return F.dropout(input, _dropout_p(p), train, inplace=True)


def alpha_dropout(input, p, train):
    """``torch.alpha_dropout``: ``F.alpha_dropout(input, p, train)``."""
    return F.alpha_dropout(input, _dropout_p(p), train)


def alpha_dropout_(input, p, train):
    """``torch.alpha_dropout_``: in-place ``alpha_dropout``."""
    return F.alpha_dropout(input, _dropout_p(p), train, inplace=True)


def feature_alpha_dropout(input, p, train):
    """``torch.feature_alpha_dropout``: ``F.feature_alpha_dropout(input, p, train)``."""
    return F.feature_alpha_dropout(input, _dropout_p(p), train)


def feature_alpha_dropout_(input, p, train):
    """``torch.feature_alpha_dropout_``: in-place ``feature_alpha_dropout``."""
    return F.feature_alpha_dropout(input, _dropout_p(p), train, inplace=True)


def selu(input):
    """``torch.selu``."""
    return F.selu(input)


def selu_(input):
    """``torch.selu_``: in-place ``selu``."""
    return F.selu(input, inplace=True)


def celu(input, alpha=1.0):
    """``torch.celu``."""
    return F.celu(input, alpha)


def celu_(input, alpha=1.0):
    """``torch.celu_``: in-place ``celu``."""
    return F.celu(input, alpha, inplace=True)


def threshold(input, threshold, value):
    """``torch.threshold``: ``value`` where ``input <= threshold``."""
    return F.threshold(input, threshold, value)


def threshold_(input, threshold, value):
    """``torch.threshold_``: in-place ``threshold``."""
    return F.threshold(input, threshold, value, inplace=True)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05, cudnn_enable=True):
    """``torch.layer_norm`` (``cudnn_enable`` has no effect here)."""
    return F.layer_norm(input, normalized_shape, weight, bias, eps)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05, cudnn_enabled=True):
    """``torch.group_norm`` (``cudnn_enabled`` has no effect here)."""
    return F.group_norm(input, num_groups, weight, bias, eps)


def batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled):
    """``torch.batch_norm``: ATen's order, the affine parameters before the running statistics."""
    return F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps,
                  cudnn_enabled):
    """``torch.instance_norm``: ATen's order, the affine parameters before the running statistics."""
    return F.instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)


def embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """``torch.embedding``: the weight first. ATen's ``padding_idx`` is a row number the backward compares
    indices with, unchecked and not wrapped: a negative one (-1 its "none") or one past the table matches
    no index, so no row is held out."""
    if isinstance(padding_idx, int) and (padding_idx < 0 or (
            getattr(weight, "ndim", 0) == 2 and padding_idx >= weight.shape[0])):
        padding_idx = None
    return F.embedding(indices, weight, padding_idx, scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


def max_pool1d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """``torch.max_pool1d``: an empty ``stride`` is the kernel size."""
    return F.max_pool1d(input, kernel_size, stride or None, padding, dilation, ceil_mode)


def max_pool1d_with_indices(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """``torch.max_pool1d_with_indices``: (values, indices)."""
    return F.max_pool1d(input, kernel_size, stride or None, padding, dilation, ceil_mode, return_indices=True)


def max_pool2d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """``torch.max_pool2d``: an empty ``stride`` is the kernel size."""
    return F.max_pool2d(input, kernel_size, stride or None, padding, dilation, ceil_mode)


def adaptive_max_pool1d(input, output_size):
    """``torch.adaptive_max_pool1d``: (values, indices), as ATen returns both."""
    return F.adaptive_max_pool1d(input, output_size, return_indices=True)


def constant_pad_nd(input, pad, value=0):
    """``torch.constant_pad_nd``: ``F.pad(input, pad, "constant", value)``."""
    return F.pad(input, pad, "constant", value)


def kl_div(input, target, reduction=0, *, log_target=False):
    """``torch.kl_div``: ``reduction`` 1 is the mean over every element (no batchmean warning)."""
    out = F.kl_div(input, target, reduction="none", log_target=log_target)
    return out.mean() if reduction == 1 else out.sum() if reduction == 2 else out


def cosine_embedding_loss(input1, input2, target, margin=0.0, reduction=0):
    """``torch.cosine_embedding_loss``: 1 - cos(x1, x2) where ``target`` is 1, max(0, cos - margin) where
    it is -1, the cosine over the last dim with ATen's 1e-12 added to each squared magnitude."""
    dim = input1.dim() - 1
    cos = (input1 * input2).sum(dim) / ((input1 * input1).sum(dim).add(1e-12)
                                       * (input2 * input2).sum(dim).add(1e-12)).sqrt()
    out = where(target == 1, 1 - cos, 0.0) + where(target == -1, (cos - margin).clamp_min(0), 0.0)
    return out.mean() if reduction == 1 else out.sum() if reduction == 2 else out


def native_layer_norm(input, normalized_shape, weight, bias, eps):
    """``torch.native_layer_norm``: (output, mean, rstd), the statistics over the normalized dims kept
    as size-1 dims, rstd = 1 / sqrt(biased variance + eps)."""
    out = F.layer_norm(input, normalized_shape, weight, bias, eps)  # its checks and kernel's refusals first
    dims = tuple(range(input.dim() - len(normalized_shape), input.dim()))
    mean = input.mean(dims, keepdim=True)
    rstd = (input.var(dims, correction=0, keepdim=True) + eps).rsqrt()
    return out, mean, rstd


def margin_ranking_loss(input1, input2, target, margin=0.0, reduction=0):
    """``torch.margin_ranking_loss``."""
    return F.margin_ranking_loss(input1, input2, target, margin, reduction=_REDUCTION[reduction])


def hinge_embedding_loss(input, target, margin=1.0, reduction=0):
    """``torch.hinge_embedding_loss``."""
    return F.hinge_embedding_loss(input, target, margin, reduction=_REDUCTION[reduction])


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2.0, eps=1e-06, swap=False, reduction=0):
    """``torch.triplet_margin_loss``."""
    return F.triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap,
                                 reduction=_REDUCTION[reduction])


def poisson_nll_loss(input, target, log_input, full, eps, reduction):
    """``torch.poisson_nll_loss``: every argument positional, as ATen's."""
    return F.poisson_nll_loss(input, target, log_input, full, eps=eps, reduction=_REDUCTION[reduction])


def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None, reduction=0):
    """``torch.binary_cross_entropy_with_logits``: ``pos_weight`` fourth, as ATen's."""
    return F.binary_cross_entropy_with_logits(input, target, weight, reduction=_REDUCTION[reduction],
                                              pos_weight=pos_weight)


def rrelu(input, lower=0.125, upper=1.0 / 3, training=False, generator=None):
    """``torch.rrelu``: slopes drawn uniformly from [lower, upper] for negative inputs when training,
    their mean otherwise. Raises RuntimeError, as ATen, for a bound that is not finite or lower > upper."""
    return F.rrelu(input, lower, upper, training, generator=generator)


rrelu_ = F.rrelu_  # the same binding, as torch's


def channel_shuffle(input, groups):
    """``torch.channel_shuffle``: the channels (dim 1), in ``groups`` groups, interleaved."""
    if input.dtype in SHELL:  # a kernel torch has for none of them
        refuse("channel_shuffle", (input,))
    n, c = input.shape[0], input.shape[1]
    if groups <= 0:
        raise RuntimeError("Number of groups to divide channels in must be positive. Value of "
                           f"groups:{groups}")
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels and {groups} "
                           "groups.")
    rest = tuple(input.shape[2:])
    return input.reshape(n, groups, c // groups, *rest).transpose(1, 2).reshape(n, c, *rest)


def native_channel_shuffle(input, groups):
    """``torch.native_channel_shuffle``: ``channel_shuffle`` without a derivative, as torch's."""
    out = channel_shuffle(input.detach(), groups)
    if not input.requires_grad:
        return out
    return no_derivative(out, "derivative for aten::native_channel_shuffle is not implemented", input)


pdist = F.pdist  # the same function, as torch's


__all__ = [*SAME, "dropout", "dropout_", "alpha_dropout", "alpha_dropout_", "feature_alpha_dropout",
           "feature_alpha_dropout_", "selu", "selu_", "celu", "celu_", "threshold", "threshold_",
           "layer_norm", "group_norm", "batch_norm", "instance_norm", "embedding", "max_pool1d",
           "max_pool1d_with_indices", "max_pool2d", "adaptive_max_pool1d", "constant_pad_nd", "kl_div",
           "margin_ranking_loss", "hinge_embedding_loss", "triplet_margin_loss", "poisson_nll_loss",
           "binary_cross_entropy_with_logits", "rrelu", "rrelu_", "channel_shuffle", "native_channel_shuffle",
           "pdist", "cosine_embedding_loss", "native_layer_norm"]
