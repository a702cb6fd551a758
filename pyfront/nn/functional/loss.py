"""Loss functions of pyfront.nn.functional, in pyfront ops, with PyTorch's reductions and checks."""

from __future__ import annotations

import math

from ... import _warnings
from ... import dtypes as dt
from ...ops.primitives import elementwise as ew
from ...ops.primitives import reductions as red
from ...ops.registry import composite
from ...ops import samples
from ...shape import broadcast_shapes
from ...tensor import Tensor
from .activation import logsigmoid
from .linear import pairwise_distance

__all__ = [
    "mse_loss",
    "l1_loss",
    "smooth_l1_loss",
    "huber_loss",
    "nll_loss",
    "cross_entropy",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "kl_div",
    "soft_margin_loss",
    "margin_ranking_loss",
    "hinge_embedding_loss",
    "poisson_nll_loss",
    "multilabel_soft_margin_loss",
    "triplet_margin_loss",
]


def _legacy_reduction(size_average, reduce, reduction: str) -> str:
    """The ``reduction`` string, from the deprecated ``size_average``/``reduce`` flags when given."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    ret = "mean" if size_average and reduce else "sum" if reduce else "none"
    _warnings.warn(
        f"size_average and reduce args will be deprecated, please use reduction='{ret}' instead.",
    )
    return ret


def _check_reduction(reduction: str) -> None:
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    _check_reduction(reduction)
    return loss if reduction == "none" else loss.sum() if reduction == "sum" else loss.mean()


def _pointwise_pair(input, target):
    """Broadcast input and target, warning as PyTorch does when their sizes differ."""
    if target.shape != input.shape:
        _warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
            "This will likely lead to incorrect results due to broadcasting. Please ensure they have the "
            "same size.",
        )
    shape = broadcast_shapes(input.shape, target.shape)
    return input.broadcast_to(shape), target.broadcast_to(shape)


def _floating(kernel: str, dtype) -> None:
    """PyTorch's loss kernels exist for floating dtypes only (``dtype``: the one the kernel runs in)."""
    if not dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dtype._legacy_name[:-6]}'")


def _cast_back(result, dtype) -> None:
    """An in-place step of PyTorch's kernel (``mul_``) writes a floating result into ``dtype``."""
    if dt.promote_types(result, dtype) != dtype:
        raise RuntimeError(f"result type {result._legacy_name[:-6]} can't be cast to the desired output type "
                           f"{dtype._legacy_name[:-6]}")


def _only(mask, x):
    """``x`` where ``mask`` holds, else 0: a branch of a ``where`` that sees only its own elements, so an
    infinite element of the other branch gives no 0 * inf = nan in its gradient."""
    return ew.where(mask, x, 0.0)


def _weighted(loss, weight, input, reduction):
    """The ``weight=`` path of mse/l1/huber: per-element weights, 'mean' divides by their sum."""
    _check_reduction(reduction)
    if weight is None:
        return _reduce(loss, reduction)
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    loss = loss * weight
    return loss if reduction == "none" else loss.sum() if reduction == "sum" else loss.sum() / weight.sum()


@composite(torch_name="nn.functional.mse_loss", samples=samples.mse_loss)
def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean squared error."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _floating("mse_cpu", dt.promote_types(input.dtype, target.dtype))
    x, t = _pointwise_pair(input, target)
    d = x - t
    return _weighted(d * d, weight, input, reduction)


@composite(torch_name="nn.functional.l1_loss", samples=samples.l1_loss)
def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean absolute error."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    x, t = _pointwise_pair(input, target)
    return _weighted(ew.abs(x - t), weight, input, reduction)


@composite(torch_name="nn.functional.smooth_l1_loss", samples=samples.smooth_l1_loss)
def smooth_l1_loss(
    input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean", beta: float = 1.0
) -> Tensor:
    """Squared below ``beta`` (scaled by 1/beta), absolute above."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    _floating("smooth_l1_cpu", dt.promote_types(input.dtype, target.dtype))
    x, t = _pointwise_pair(input, target)
    d = ew.abs(x - t)
    if beta == 0.0:
        return _reduce(d, reduction)
    small = ew.logical_not(d >= beta)  # nan takes the quadratic side, as in PyTorch's gradient
    return _reduce(ew.where(small, 0.5 * _only(small, d) ** 2 / beta, d - 0.5 * beta), reduction)


@composite(torch_name="nn.functional.huber_loss", samples=samples.huber_loss)
def huber_loss(
    input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0, weight: Tensor | None = None
) -> Tensor:
    """Squared below ``delta``, ``delta``-scaled absolute above."""
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    _cast_back(dt.promote_types(input.dtype, target.dtype), input.dtype)  # huber computes into input's dtype
    _floating("huber_cpu", input.dtype)
    x, t = _pointwise_pair(input, target)
    d = ew.abs(x - t)
    small = ew.logical_not(d >= delta)  # nan takes the quadratic side, as in PyTorch's gradient
    loss = ew.where(small, 0.5 * _only(small, d) ** 2, delta * (d - 0.5 * delta))
    return _weighted(loss, weight, input, reduction)


# -- classification ------------------------------------------------------------------------------
def _class_weight(weight, n_classes):
    if weight is not None and weight.numel() != n_classes:
        raise RuntimeError(
            f"weight tensor should be defined either for all {n_classes} classes or no classes but "
            f"got weight tensor of shape: {list(weight.shape)}"
        )


def _check_targets(input, target):
    """PyTorch's shape checks between (N, C, d1, ...) scores and (N, d1, ...) class indices."""
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    if input.dim() >= 2 and target.dim() >= 1 and input.shape[0] != target.shape[0]:
        raise ValueError(
            f"Expected input batch_size ({input.shape[0]}) to match target batch_size ({target.shape[0]})."
        )
    if input.dim() <= 2:
        if target.dim() > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    elif tuple(target.shape) != (input.shape[0], *input.shape[2:]):
        raise RuntimeError(
            f"Expected target size {[input.shape[0], *input.shape[2:]]}, got {list(target.shape)}"
        )
    if target.dtype not in (dt.int64, dt.uint8):
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {target.dtype._legacy_name[:-6]}"
        )


def _pick(logp, target, weight, ignore_index):
    """(-logp[target] * w[target], w[target]) per target element, zero where target == ignore_index."""
    n_classes = logp.shape[1] if logp.dim() >= 2 else logp.shape[0]
    ignored = target == ignore_index
    bad = ew.logical_and(ew.logical_not(ignored), ew.logical_or(target < 0, target >= n_classes))
    if bad.any():
        raise IndexError(f"Target {int(target[bad].reshape(-1)[0])} is out of bounds.")
    safe = ew.where(ignored, 0, target).to(dt.int64)
    scores = logp.movedim(1, -1) if logp.dim() >= 2 else logp
    picked = scores.reshape(-1, n_classes).gather(1, safe.reshape(-1, 1)).reshape(safe.shape)
    w = (
        ew.logical_not(ignored).to(logp.dtype)
        if weight is None
        else ew.where(ignored, 0.0, weight.to(logp.dtype)[safe])
    )
    return -picked * w, w, ignored


@composite(torch_name="nn.functional.nll_loss", samples=samples.nll_loss)
def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Negative log likelihood of the target classes, given log-probabilities over dim 1."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    _check_targets(input, target)
    _floating("nll_loss_out_frame" if input.dim() <= 2 else "nll_loss2d_forward_out_frame", input.dtype)
    _class_weight(weight, input.shape[1] if input.dim() >= 2 else input.shape[0])
    losses, w, _ = _pick(input, target, weight, ignore_index)
    if reduction == "none":
        return losses
    return losses.sum() if reduction == "sum" else losses.sum() / w.sum()


@composite(torch_name="nn.functional.cross_entropy", samples=samples.cross_entropy)
def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """log_softmax over dim 1 then NLL; the target is class indices or class probabilities."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    class_dim = 1 if input.dim() >= 2 else 0
    n_classes = input.shape[class_dim] if input.dim() else 1
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    logp = red.log_softmax(input, class_dim)
    w_b = (
        None
        if weight is None
        else weight.to(input.dtype).reshape((n_classes,) + (1,) * (input.dim() - 1 - class_dim))
    )
    if input.shape == target.shape:  # class probabilities
        if not target.dtype.is_floating_point:
            raise RuntimeError(
                f"Expected floating point type for target with class probabilities, got "
                f"{target.dtype._legacy_name[:-6]}"
            )
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        _class_weight(weight, n_classes)
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / n_classes
        terms = logp * target if w_b is None else logp * target * w_b
        loss = -terms.sum(class_dim)
        if reduction == "none":
            return loss
        return loss.sum() if reduction == "sum" else loss.sum() / (input.numel() / n_classes)
    _check_targets(input, target)
    _class_weight(weight, n_classes)
    nll = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing == 0:
        return nll
    _, w, ignored = _pick(logp, target, weight, ignore_index)
    smooth = -(logp if w_b is None else logp * w_b).sum(class_dim)
    smooth = ew.where(ignored, 0.0, smooth)
    if reduction == "sum":
        smooth = smooth.sum()
    elif reduction == "mean":
        smooth = smooth.sum() / w.sum()
    return (1 - label_smoothing) * nll + smooth * (label_smoothing / n_classes)


@composite(torch_name="nn.functional.binary_cross_entropy", samples=samples.binary_cross_entropy)
def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """-(t log x + (1 - t) log(1 - x)) for probabilities x, each log clamped at -100 as in PyTorch."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is deprecated. Please ensure they have the same size."
        )
    _check_reduction(reduction)
    if target.dtype != input.dtype:
        raise RuntimeError(
            f"Found dtype {target.dtype._legacy_name[:-6]} but expected {input.dtype._legacy_name[:-6]}"
        )
    _floating("binary_cross_entropy", input.dtype)
    if input.numel():  # element by element, input before target, as PyTorch's kernel checks (NaN fails)
        bad_input = ew.logical_not(ew.logical_and(input >= 0, input <= 1)).reshape(-1)
        bad_target = ew.logical_not(ew.logical_and(target >= 0, target <= 1)).reshape(-1)
        bad = ew.logical_or(bad_input, bad_target)
        if bool(bad.any()):
            which = "input" if bool(bad_input[bad.int().argmax()]) else "target"
            raise RuntimeError(f"all elements of {which} should be between 0 and 1")
    loss = -(
        target * ew.clamp_min(ew.log(input), -100) + (1 - target) * ew.clamp_min(ew.log(1 - input), -100)
    )
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


@composite(torch_name="nn.functional.binary_cross_entropy_with_logits",
           samples=samples.binary_cross_entropy_with_logits)
def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """Sigmoid then binary cross entropy, computed stably; ``pos_weight`` weighs the positive term."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    _check_reduction(reduction)
    # PyTorch's formula, so nan/inf and the gradient at 0 come out as there
    log_sig = logsigmoid(input)
    if pos_weight is not None:
        log_sig = ((pos_weight - 1) * target + 1) * log_sig
    negated = 1 - target
    _cast_back(dt.promote_types(negated.dtype, input.dtype), negated.dtype)  # (1 - target).mul_(input)
    loss = negated * input - log_sig
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


@composite(torch_name="nn.functional.kl_div", samples=samples.kl_div)
def kl_div(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """KL(target || exp(input)) pointwise: target * (log target - input)."""
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        _warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support size."
            "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
            "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
        )
    if not (input.dtype.is_floating_point and target.dtype.is_floating_point):
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if log_target:
        loss = ew.exp(target) * (target - input)
    else:
        # PyTorch's xlogy(t, t): 0 where t == 0. The zero gradient the where sends into t * log(t) there
        # becomes 0 * -inf = nan, which is PyTorch's gradient of xlogy at 0 (it adds t / t)
        loss = ew.where(target == 0, 0.0, target * ew.log(target)) - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.dim() else loss.sum()
    return _reduce(loss, reduction)


@composite(torch_name="nn.functional.soft_margin_loss", samples=samples.soft_margin_loss)
def soft_margin_loss(
    input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean"
) -> Tensor:
    reduction = _legacy_reduction(size_average, reduce, reduction)
    # PyTorch's log1p(exp(-input * target)), in place: inf where exp overflows, and its gradient is nan
    # where PyTorch's is
    z = -input
    _cast_back(dt.promote_types(z.dtype, target.dtype), z.dtype)
    z = z * target
    _cast_back(dt.to_float(z.dtype), z.dtype)
    return _reduce(ew.log1p(ew.exp(z)), reduction)


@composite(torch_name="nn.functional.margin_ranking_loss", samples=samples.margin_ranking_loss)
def margin_ranking_loss(
    input1: Tensor,
    input2: Tensor,
    target: Tensor,
    margin: float = 0,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    reduction = _legacy_reduction(size_average, reduce, reduction)
    # the margin is a float in PyTorch's signature: integer inputs give a float loss
    diff = input1 - input2  # first, as in PyTorch: two bool inputs are refused for it
    return _reduce(ew.clamp_min(-target * diff + float(margin), 0), reduction)


@composite(torch_name="nn.functional.hinge_embedding_loss", samples=samples.hinge_embedding_loss)
def hinge_embedding_loss(
    input: Tensor,
    target: Tensor,
    margin: float = 1.0,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if not input.dtype.is_floating_point:  # PyTorch computes in the input's integer dtype, margin truncated
        margin = int(margin)
    zeros = input * 0
    margin_part = ew.where(target != 1, ew.clamp_min(margin - input, 0), zeros)
    self_part = ew.where(target != -1, input, zeros)
    return _reduce(margin_part + self_part, reduction)


@composite(torch_name="nn.functional.poisson_nll_loss", samples=samples.poisson_nll_loss)
def poisson_nll_loss(
    input: Tensor,
    target: Tensor,
    log_input: bool = True,
    full: bool = False,
    size_average=None,
    eps: float = 1e-8,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    loss = ew.exp(input) - target * input if log_input else input - target * ew.log(input + eps)
    if full:
        safe = ew.where(target > 1, target, 1.0)
        stirling = safe * ew.log(safe) - safe + 0.5 * ew.log(2 * math.pi * safe)
        loss = loss + ew.where(target > 1, stirling, 0.0)
    return _reduce(loss, reduction)


@composite(
    torch_name="nn.functional.multilabel_soft_margin_loss",
    samples=samples.multilabel_soft_margin_loss,
)
def multilabel_soft_margin_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    reduction = _legacy_reduction(size_average, reduce, reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    loss = loss.sum(input.dim() - 1) / input.shape[-1]
    return _reduce(loss, reduction)


@composite(torch_name="nn.functional.triplet_margin_loss", samples=samples.triplet_margin_loss)
def triplet_margin_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-6,
    swap: bool = False,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    reduction = _legacy_reduction(size_average, reduce, reduction)
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = ew.minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    return _reduce(ew.clamp_min(margin + d_pos - d_neg, 0), reduction)
