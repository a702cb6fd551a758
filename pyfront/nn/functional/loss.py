"""Loss functions of pyfront.nn.functional, in pyfront ops, with PyTorch's reductions and checks."""

from __future__ import annotations

import functools
import math

from ... import _warnings
from ... import dtypes as dt
from ...autograd.function import no_derivative
from ...autograd.grad_mode import is_grad_enabled, not_differentiable
from ...backends import host_rules
from ...autograd.graph import also_saves, saved_as_torch
from ...ops.argcheck import must_be
from ...ops.common import Formula, in_float32, shown_as
from ...ops.creation import arange, full
from ...ops.half_cpu import LANES, kernel_tail
from ...ops.memory_formats import contiguous_gradients, contiguous_result_of_all, iterated_grads, lays_out
from ...ops.composite import arrays
from ...ops.primitives import elementwise as ew
from ...ops.primitives.elementwise import relaid
from ...ops.primitives import reductions as red
from ...ops.primitives.nn import nll_loss_forward, nll_sum
from ...ops.dispatch import apply, reduce as reduce_op
from ...ops.registry import composite
from ...ops import samples
from ...ops.queries import can_cast
from ...shape import broadcast_shapes, contiguous_strides
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


def _kernel_reduction(input: Tensor, target: Tensor, reduction: str) -> None:
    """torch's F losses bound to a kernel warn of and broadcast input and target, then read the reduction's
    name, before the kernel checks its numbers (beta, delta) and dtype: a bad name's refusal in that order
    (a good name costs one test)."""
    if reduction not in ("none", "mean", "sum"):
        _pointwise_pair(input, target)
        _check_reduction(reduction)


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    _check_reduction(reduction)
    return loss if reduction == "none" else loss.sum() if reduction == "sum" else loss.mean()


def _mean_node(*args, reduction="mean", weight=None, **kwargs):
    """The node of a loss PyTorch composes too, ending in ``mean()``: MeanBackward0 (else the last op's)."""
    return "MeanBackward0" if reduction == "mean" and weight is None else None


def _weighted_or(node):
    """A loss kernel's node, which PyTorch composes instead when given elementwise weights."""
    return lambda *args, weight=None, **kwargs: node if weight is None else None


def _smooth_l1_node(*args, reduction="mean", beta=1.0, **kwargs):
    return _mean_node(reduction=reduction) if beta == 0 else "SmoothL1LossBackward0"  # beta 0: l1_loss


def _triplet_node(*args, reduction="mean", **kwargs):
    return {"mean": "MeanBackward0", "none": "ClampMinBackward0"}.get(reduction)


def _nll_node(input, target, *args, reduction="mean", **kwargs):
    """nll_loss's node: NllLoss2d for an image-shaped input, viewed back for reduction='none' unless 4-d."""
    if input.dim() < 3:  # torch's node has one edge, the scores' (target and weight are not differentiable)
        return "NllLossBackward0", (input,)
    return "ViewBackward0" if reduction == "none" and input.dim() != 4 else ("NllLoss2DBackward0", (input,))


def _nll_saves(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
               reduction="mean"):
    """What torch's nll_loss node keeps: the scores, the target and the weight (a 3-d or 5-d and up input and
    its target viewed as 4-d and 3-d, as its nll_loss2d reads them); unnamed where the node shown is a view of
    its result."""
    shown = _nll_node(input, target, reduction=reduction)[0] != "ViewBackward0"
    if input.dim() == 3 or input.dim() > 4:
        n, c = input.shape[:2]
        rest = math.prod(input.shape[2:])  # not -1: ambiguous for an empty batch
        input, target = input.reshape(n, c, 1, rest), target.reshape(n, 1, rest)
    return list(zip(("self", "target", "weight") if shown else (None,) * 3, (input, target, weight)))


def _cross_entropy_node(input, target, *args, reduction="mean", label_smoothing=0.0, **kwargs):
    """cross_entropy's node: nll_loss's for class indices (it names it, fed by log_softmax), else the
    last op of PyTorch's composition."""
    if target.dtype.is_floating_point:  # class probabilities: -(input * target).sum() / batch
        return "DivBackward1" if reduction == "mean" else "NegBackward0"
    return "AddBackward0" if label_smoothing > 0 else None


def _pointwise_pair(input, target, kernel=False):
    """Broadcast input and target, warning as PyTorch does when their sizes differ. ``kernel``: the loss is
    one of torch's kernels, which reads both operands in their promoted dtype, so a bool one takes part
    (mse_loss(x, mask)); a composite loss subtracts them as they are, and torch refuses a bool there."""
    if kernel:
        common = dt.promote_types(input.dtype, target.dtype)
        input, target = (x.to(common) if x.dtype is dt.bool_ else x for x in (input, target))
    if target.shape != input.shape:
        _warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
            "This will likely lead to incorrect results due to broadcasting. Please ensure they have the "
            "same size.",
        )
    shape = broadcast_shapes(input.shape, target.shape)
    return input.broadcast_to(shape), target.broadcast_to(shape)


def _kernel_saves(input, target, **numbers):
    """What torch's loss kernel node saves, as a composite's ``saves``: its input and target as F.<loss> gives
    them, broadcast to each other (torch.broadcast_tensors: an expanded view of one whose size differs), and
    the ``numbers`` by name."""
    x, t = arrays.broadcast_tensors(input, target)
    return [("self", x), ("target", t), *numbers.items()]


def _floating(kernel: str, dtype) -> None:
    """PyTorch's loss kernels exist for floating dtypes only (``dtype``: the one the kernel runs in)."""
    if not dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt.scalar_name(dtype)}'")


def _cast_back(result, dtype) -> None:
    """An in-place step of PyTorch's kernel (``mul_``) writes ``result`` into ``dtype``: refused only
    across kinds (float into an integer), as ``torch.can_cast``; float64 into float32 is allowed."""
    if not can_cast(result, dtype):
        raise RuntimeError(f"result type {dt.scalar_name(result)} can't be cast to the desired output type "
                           f"{dt.scalar_name(dtype)}")


def _into(x: Tensor, dtype) -> Tensor:
    """``x`` written into a ``dtype`` buffer, as PyTorch's in-place and ``out=`` steps do (computed in the
    promoted dtype, then cast)."""
    _cast_back(x.dtype, dtype)
    return x if x.dtype == dtype else x.to(dtype)


def _only(mask, x):
    """``x`` where ``mask`` holds, else 0: a branch of a ``where`` that sees only its own elements, so an
    infinite element of the other branch gives no 0 * inf = nan in its gradient."""
    return ew.where(mask, x, 0.0)


def _weighted(loss, weight, input, reduction, by_count=False):
    """The ``weight=`` path of mse/l1/huber: per-element weights, 'mean' divides by their sum (huber's,
    ``by_count``: the weighted losses' mean)."""
    _check_reduction(reduction)
    if weight is None:
        return _reduce(loss, reduction)
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    loss = loss * weight
    if reduction == "mean":
        return loss.mean() if by_count else loss.sum() / weight.sum()
    return loss if reduction == "none" else loss.sum()


@composite(torch_name="nn.functional.mse_loss", samples=samples.mse_loss,
           grad_fn=_weighted_or("MseLossBackward0"),
           saves=lambda input, target, size_average=None, reduce=None, reduction="mean", weight=None:
           _kernel_saves(input, target) if weight is None else [])
def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean squared error: ``l_n = (x_n - y_n)^2``, then reduced.

    Args:
        input (Tensor): predictions.
        target (Tensor): targets.
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'`` (per element), ``'mean'`` or ``'sum'``. Default: ``'mean'``
        weight (Tensor, optional): per-element weights of the input's shape; ``'mean'`` divides by their sum.
            Default: None

    Shape:
        input: ``(*)``, any shape; target: broadcastable to it (a different size warns); output: scalar, or
            the broadcast shape with ``reduction='none'``.

    Raises:
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``, or ``weight``'s shape
            differs from ``input``'s.
        NotImplementedError: the promoted dtype is not floating point.

    Matches ``torch.nn.functional.mse_loss``.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if weight is None:  # torch's kernel (floating dtypes only); weighted, its Python's pow, of any dtype
        _kernel_reduction(input, target, reduction)
        _floating("mse_cpu", dt.promote_types(input.dtype, target.dtype))
    x, t = _pointwise_pair(input, target, kernel=weight is None)
    if weight is None:
        saved_as_torch(x, t)  # torch's mse_loss kernel saves both
        if x.dtype in dt.HALVES and (x.requires_grad or t.requires_grad):
            _check_reduction(reduction)
            return Formula.apply(_squared_error, _mse_backward, x, t, reduction)
    return _weighted(_squared_error(x, t), weight, input, reduction)


def _squared_error(x, t, reduction="none"):
    d = x - t
    return _reduce(d * d, reduction)


def _mse_backward(g, x, t, reduction):
    """torch's mse_loss_backward kernel in a 16-bit dtype: ``norm * (x - t) * g``, each step rounded to the
    dtype, norm (2, or 2 / N for 'mean') too; the target's is the same with x and t swapped."""
    n = x.numel()
    norm = dt.round_half((2 / n if n else math.inf) if reduction == "mean" else 2.0, x.dtype)
    return (x - t) * norm * g, (t - x) * norm * g, None


@composite(torch_name="nn.functional.l1_loss", samples=samples.l1_loss, grad_fn=_mean_node)
def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean absolute error: ``l_n = |x_n - y_n|``, then reduced.

    Args:
        input (Tensor): predictions.
        target (Tensor): targets.
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'`` (per element), ``'mean'`` or ``'sum'``. Default: ``'mean'``
        weight (Tensor, optional): per-element weights of the input's shape; ``'mean'`` divides by their sum.
            Default: None

    Shape:
        input: ``(*)``, any shape; target: broadcastable to it (a different size warns); output: scalar, or
            the broadcast shape with ``reduction='none'``.

    Raises:
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``, or ``weight``'s shape
            differs from ``input``'s.

    Matches ``torch.nn.functional.l1_loss``.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if weight is None:
        _kernel_reduction(input, target, reduction)
    x, t = _pointwise_pair(input, target)
    return _weighted(ew.abs(x - t), weight, input, reduction)


@composite(torch_name="nn.functional.smooth_l1_loss", samples=samples.smooth_l1_loss, grad_fn=_smooth_l1_node,
           saves=lambda input, target, size_average=None, reduce=None, reduction="mean", beta=1.0:
           _kernel_saves(input, target, beta=beta) if beta != 0 else [])
@lays_out(contiguous_gradients, grads=2, as_given=True)
def smooth_l1_loss(
    input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean", beta: float = 1.0
) -> Tensor:
    """Smooth L1: ``0.5 * d^2 / beta`` where ``d = |x - y| < beta``, else ``d - 0.5 * beta``; reduced.

    ``beta = 0`` gives the L1 loss.

    Args:
        input (Tensor): predictions.
        target (Tensor): targets.
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'`` (per element), ``'mean'`` or ``'sum'``. Default: ``'mean'``
        beta (float): where the loss turns from quadratic to linear; must be >= 0. Default: 1.0

    Shape:
        input: ``(*)``, any shape; target: broadcastable to it (a different size warns); output: scalar, or
            the broadcast shape with ``reduction='none'``.

    Raises:
        RuntimeError: ``beta < 0``.
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``.
        NotImplementedError: the promoted dtype is not floating point.

    Follows Girshick 2015 (Fast R-CNN), as ``torch.nn.functional.smooth_l1_loss``.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _kernel_reduction(input, target, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0.0:  # torch's l1_loss: a composite that saves neither, of any dtype its sub and mean take
        x, t = _pointwise_pair(input, target)
        return _reduce(ew.abs(x - t), reduction)
    _floating("smooth_l1_cpu", dt.promote_types(input.dtype, target.dtype))
    x, t = _pointwise_pair(input, target, kernel=True)
    saved_as_torch(x, t)  # torch's smooth_l1_loss kernel saves both
    if x.dtype in dt.HALVES and (x.requires_grad or t.requires_grad):
        _check_reduction(reduction)
        return Formula.apply(_smooth_l1, _smooth_l1_backward, x, t, reduction, beta)
    return _smooth_l1(x, t, reduction, beta)


def _smooth_l1(x, t, reduction, beta):
    """The loss, each element as torch's kernel computes it: bfloat16's in float32, rounded once; float16's
    in float16 steps, each rounded, beta itself a float16."""
    low = dt.promote_types(x.dtype, t.dtype)
    if low is dt.bfloat16:
        x, t = x.float(), t.float()
    elif low is dt.float16:
        beta = dt.round_half(beta, low)
    d = ew.abs(x - t)
    small = ew.logical_not(d >= beta)  # nan takes the quadratic side, as in PyTorch's gradient
    loss = ew.where(small, 0.5 * _only(small, d) ** 2 / beta, d - 0.5 * beta)
    return _reduce(loss.to(low) if low is dt.bfloat16 else loss, reduction)


def _smooth_l1_backward(g, x, t, reduction, beta):
    """torch's smooth_l1_loss_backward kernel in a 16-bit dtype: ``norm * (x - t) * g / beta`` inside the
    quadratic part, ``+-norm * g`` outside, in float32 (norm 1, or 1 / N for 'mean') and rounded once; the
    target's is the same kernel with x and t swapped."""
    n = x.numel()
    norm = (1 / n if n else math.inf) if reduction == "mean" else 1.0
    g = g.float().expand(x.shape)

    def rule(a, b):
        d = a.float() - b.float()
        inside = norm * d * g / beta
        return ew.where(d <= -beta, -norm * g, ew.where(d >= beta, norm * g, inside)).to(x.dtype)
    return rule(x, t), rule(t, x), None, None


@composite(torch_name="nn.functional.huber_loss", samples=samples.huber_loss,
           grad_fn=_weighted_or("HuberLossBackward0"),
           saves=lambda input, target, reduction="mean", delta=1.0, weight=None:
           _kernel_saves(input, target, delta=delta) if weight is None else [])
@lays_out(contiguous_gradients, grads=2, as_given=True)
def huber_loss(
    input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0, weight: Tensor | None = None
) -> Tensor:
    """Huber loss: ``0.5 * d^2`` where ``d = |x - y| < delta``, else ``delta * (d - 0.5 * delta)``; reduced.

    Args:
        input (Tensor): predictions (floating dtype; the loss is computed in it).
        target (Tensor): targets.
        reduction (str): ``'none'`` (per element), ``'mean'`` or ``'sum'``. Default: ``'mean'``
        delta (float): where the loss turns from quadratic to linear; must be > 0. Default: 1.0
        weight (Tensor, optional): per-element weights of the input's shape; ``'mean'`` divides by their sum.
            Default: None

    Shape:
        input: ``(*)``, any shape; target: broadcastable to it (a different size warns); output: scalar, or
            the broadcast shape with ``reduction='none'``.

    Raises:
        RuntimeError: ``delta <= 0``, or the promoted dtype cannot be cast to ``input``'s.
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``, or ``weight``'s shape
            differs from ``input``'s.
        NotImplementedError: ``input`` is not floating point.

    Follows Huber 1964, as ``torch.nn.functional.huber_loss``.
    """
    if weight is None:
        _kernel_reduction(input, target, reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    _cast_back(dt.promote_types(input.dtype, target.dtype), input.dtype)  # huber computes into input's dtype
    _floating("huber_cpu", input.dtype)
    x, t = _pointwise_pair(input, target, kernel=True)
    if x.dtype not in dt.HALVES or t.dtype is not x.dtype:
        if weight is None:
            saved_as_torch(x, t)  # torch's huber_loss kernel saves both
            return _huber(x, t, reduction, delta, weight, input)
        out = _huber(x, t, reduction, delta, weight, input)
        if x.requires_grad or t.requires_grad:  # torch runs its kernel unreduced, then weighs: that node
            also_saves(out, *((None, v) for v in arrays.broadcast_tensors(input, target)))  # (checked, not shown)
        return out
    _check_reduction(reduction)
    kernel = "none" if weight is not None else reduction  # torch multiplies weights into the kernel's 'none'
    saved_as_torch(x, t)
    if x.requires_grad or t.requires_grad:
        loss = Formula.apply(_huber_half, _huber_backward, x, t, kernel, delta)
    else:
        loss = _huber_half(x, t, kernel, delta)
    return loss if weight is None else _weighted(loss, weight, input, reduction, by_count=True)


@in_float32
def _huber(x, t, reduction, delta, weight=None, input=None):
    d = ew.abs(x - t)
    small = ew.logical_not(d >= delta)  # nan takes the quadratic side, as in PyTorch's gradient
    loss = ew.where(small, 0.5 * _only(small, d) ** 2, delta * (d - 0.5 * delta))
    return _weighted(_into(loss, x.dtype), weight, input, reduction, by_count=True)


def _huber_half(x, t, reduction, delta):
    """torch's 16-bit huber_loss kernel, each element rounded to the dtype (float16's computed in float32,
    bfloat16's rounded at every step, delta stored in it), then reduced in the dtype."""
    low = x.dtype
    d = (x.float() - t.float()).abs()
    if low is dt.bfloat16:
        d, delta = d.to(low).float(), dt.round_half(delta, low)
        quadratic = (0.5 * d).to(low).float() * d
        linear = delta * (d - 0.5 * delta).to(low).float()
    else:
        quadratic, linear = 0.5 * d * d, delta * (d - 0.5 * delta)
    return _reduce(ew.where(d < delta, quadratic, linear).to(low), reduction)


def _huber_backward(g, x, t, reduction, delta):
    """torch's huber_loss_backward kernel in a 16-bit dtype, every step rounded to it: norm (1, or 1 / N for
    'mean') and delta stored in the dtype, d = x - t rounded; its vector loop gives ``norm * (d or +-delta)
    * g``, its scalar tail ``norm * d * g`` inside and ``(+-norm * g) * delta`` outside, that last product in
    float64 with delta as given. The target's is the same kernel with x and t swapped."""
    low, n = x.dtype, x.numel()
    g = g.expand(x.shape)
    norm = dt.round_half((1 / n if n else math.inf) if reduction == "mean" else 1.0, low)
    half_delta = dt.round_half(delta, low)
    wide = dt.float64 if x.device.type == "cpu" else dt.float32  # (no float64 in WGSL)
    tail = _scalar_tail(x.shape, (x, t, g), x.device)
    gf = g.float()

    def rule(a, b):
        d = (a.float() - b.float()).to(low).float()
        sign = ew.where(d > 0, 1.0, -1.0)
        far = ew.where(d.abs() >= half_delta, sign * half_delta, d)
        vector = ((norm * far).to(low).float() * gf).to(low)
        outside = ((sign * norm * gf).to(low).to(wide) * delta).float().to(low)
        inside = ((norm * d).to(low).float() * gf).to(low)
        wd = d.to(wide)
        scalar = ew.where(ew.logical_or(wd <= -delta, wd >= delta), outside, inside)
        return ew.where(tail, scalar, vector)
    return rule(x, t), rule(t, x), None, None


def _scalar_tail(shape, operands, device) -> Tensor:
    """Where (a bool tensor of ``shape``) torch's vectorized CPU kernel over ``operands`` writing a new
    contiguous tensor computes one element at a time (half_cpu.kernel_tail)."""
    run, vectorized = kernel_tail(tuple(shape), [o.stride() for o in operands])
    if not vectorized:
        return full(shape, True, device=device)
    at = arange(math.prod(shape), device=device).reshape(shape) % run
    return at >= run - run % (2 * LANES)


# -- classification ------------------------------------------------------------------------------
def _class_weight(weight, n_classes, input_dim: int, prefix: str = "", dtype=None):
    """torch's refusal of a ``weight`` that is not one per class: its 2-d kernel's text (nll_loss of a
    3-d or larger input) names no count; cross_entropy of class probabilities names itself. With ``dtype``
    (a kernel's, which takes no other), a weight of another dtype is refused too."""
    if weight is not None and weight.numel() != n_classes:
        if input_dim > 2 and not prefix:
            raise RuntimeError("weight tensor should be defined either for all or no classes")
        raise RuntimeError(
            f"{prefix}weight tensor should be defined either for all {n_classes} classes or no classes but "
            f"got weight tensor of shape: {list(weight.shape)}"
        )
    if dtype is not None:
        check_same_dtype(weight, dtype)


def check_same_dtype(weight, dtype) -> None:
    """torch's refusal of a tensor whose dtype is not the one its kernel reads it as (a class weight as the
    input's dtype, a margin loss's target as int64)."""
    if weight is not None and weight.dtype is not dtype:
        raise RuntimeError(f"expected scalar type {dt.scalar_name(dtype)} but found "
                           f"{dt.scalar_name(weight.dtype)}")


def _refuse_empty_batch_of_no_target(rank):
    """torch's refusal of a 0-d target beside an empty batch of rank-``rank`` scores: nll_loss's reads its
    size 0 (2-d), nll_loss2d's its dims (4-d), the general one slices its sizes (3-d, 5-d and up)."""
    if rank == 2:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if rank == 4:
        raise RuntimeError("only batches of spatial targets supported (3D tensors) but got targets of "
                           "dimension: 0")
    raise RuntimeError("ArrayRef: invalid slice, N = 1; size = 0")


def _checked_targets(input, target, weight=None):
    """PyTorch's shape checks between (N, C, d1, ...) scores and (N, d1, ...) class indices, in its
    kernels' order; the target as they read it (an unbatched input's 1-element target as its one index)."""
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    batch = target.shape[0] if target.dim() else 0  # (a 0-d target's is 0 to torch)
    if input.dim() >= 2 and input.shape[0] != batch:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                         f"({batch}).")
    if input.dim() >= 2 and not target.dim():  # an empty batch's 0-d target: each kernel's own refusal
        _refuse_empty_batch_of_no_target(input.dim())
    if input.dim() == 1 and target.dim() == 1:  # (torch's nll_loss_nd squeezes it, its dtype checked first)
        _check_target_dtype(target)
        if target.shape[0] != 1:
            raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: "
                             f"{target.shape[0]}")
        target = target.reshape(())
    if input.dim() <= 2:
        if target.dim() > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    elif input.dim() == 4:
        _check_spatial_targets(input, target, weight)
    elif tuple(target.shape) != (input.shape[0], *input.shape[2:]):
        raise RuntimeError(
            f"Expected target size {[input.shape[0], *input.shape[2:]]}, got {list(target.shape)}"
        )
    elif input.shape[1] == 0 and input.shape[0]:  # torch views (N, 0, ...) scores as (N, 0, 0, 0), its
        # -1 read as 0, which its nll_loss2d refuses against the (N, 1, d1*...) target
        n = input.shape[0]
        _check_spatial_targets(input.reshape(n, 0, 0, 0), target.reshape(n, 1, math.prod(target.shape[1:])),
                               weight)
    _check_target_dtype(target)
    return target


def _check_target_dtype(target) -> None:
    if target.dtype not in (dt.int64, dt.uint8):
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {dt.scalar_name(target.dtype)}"
        )


def _check_spatial_targets(input, target, weight) -> None:
    """torch's nll_loss2d's checks of (N, C, H, W) scores, in its order: the target's rank, its dtype, the
    class weight, then the sizes."""
    if target.dim() != 3:
        raise RuntimeError(f"only batches of spatial targets supported (3D tensors) but got targets of "
                           f"dimension: {target.dim()}")
    _check_target_dtype(target)
    _class_weight(weight, input.shape[1], input.dim())
    if tuple(target.shape) != (input.shape[0], *input.shape[2:]):
        raise RuntimeError(f"size mismatch (got input: {list(input.shape)} , target: {list(target.shape)}")


def _targets(target, weight, ignore_index, n_classes, dtype):
    """(targets with the ignored ones at 0, w[target] (0 where ignored), ignored), with no bounds check:
    the caller checked ``target`` (``_pick``), so each index is in range by construction and is taken with
    ``take_along``, which does not check again (gather's and indexing's checks are each a read-back, a
    wait for the GPU per training step)."""
    ignored = target == ignore_index
    safe = ew.where(ignored, 0, target).to(dt.int64)
    if weight is None:
        return safe, ew.logical_not(ignored).to(dtype), ignored
    # weight never requires grad here (not_differentiable), so take_along's backward is never asked
    w = apply(red.take_along, weight.to(dtype), safe.reshape(-1), dim=0).reshape(safe.shape)
    return safe, ew.where(ignored, 0.0, w), ignored


def _moved_strides(shape):
    """The strides of a contiguous tensor of ``shape`` as ``movedim(1, -1)`` shows them."""
    strides = contiguous_strides(shape)
    return (strides[0], *strides[2:], strides[1])


def _pick(logp, target, weight, ignore_index):
    """(-logp[target] * w[target], w[target], ignored) per target element, zero where target ==
    ignore_index; a target out of range raises torch's IndexError (the one read-back)."""
    n_classes = logp.shape[1] if logp.dim() >= 2 else logp.shape[0]
    bad = ew.logical_and(target != ignore_index, ew.logical_or(target < 0, target >= n_classes))
    if not bad.is_meta and bad.any():  # (a meta target has no values to check)
        raise IndexError(f"Target {int(target[bad].reshape(-1)[0])} is out of bounds.")
    safe, w, ignored = _targets(target, weight, ignore_index, n_classes, logp.dtype)
    scores = logp.movedim(1, -1) if logp.dim() >= 2 else logp
    if logp.dim() > 2:  # the copy the reshape below would make, its gradient laid back out contiguous in
        # logp's dims, as torch's kernel gives it (the copy's own would be the moved one)
        scores = relaid(scores, None, _moved_strides(logp.shape))
    # one index per row: take_along's backward (put_along) needs distinct indices along the dim
    picked = apply(red.take_along, scores.reshape(safe.numel(), n_classes), safe.reshape(-1, 1), dim=1)
    # the ignored rows' gradient a +0 put in (gather's backward added -0 to a zero: +0, as torch's)
    picked = ew.where(ignored, 0, picked.reshape(safe.shape))
    # an ignored target adds nothing, even where its score is inf or NaN, and gets a zero gradient even where
    # the mean's 1 / sum(w) is inf (every target ignored): a select, not a product with w = 0, as torch's
    return ew.where(ignored, 0, -picked * w), w, ignored


@composite(torch_name="nn.functional.nll_loss", samples=samples.nll_loss, grad_fn=_nll_node, saves=_nll_saves)
@lays_out(contiguous_result_of_all)
def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Negative log likelihood: ``l_n = -w[y_n] * x[n, y_n]``, ``x`` holding log-probabilities over dim 1.

    Args:
        input (Tensor): log-probabilities (for example from ``log_softmax``), floating dtype.
        target (Tensor): class indices (int64 or uint8).
        weight (Tensor, optional): ``(C,)`` per-class weights; ``'mean'`` divides by the summed weights of the
            targets. Default: None
        ignore_index (int): targets of this class add nothing to the loss or the mean. Default: -100
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'`` (per element), ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input: ``(N, C)``, ``(C,)`` or ``(N, C, d1, ..., dK)``; target: ``(N,)``, ``()`` or ``(N, d1, ...,
            dK)`` class indices in ``[0, C)``; output: scalar, or the target's shape with
            ``reduction='none'``.

    Raises:
        ValueError: a 0-dim input, a batch size that differs from the target's, or a bad ``reduction``.
        RuntimeError: a target of the wrong shape or dtype (int64 or uint8 expected), or a ``weight`` without
            ``C`` elements.
        IndexError: a target class outside ``[0, C)`` (other than ``ignore_index``).
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.functional.nll_loss``.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    not_differentiable("nll_loss_forward" if input.dim() <= 2 else "nll_loss2d_forward", weight=weight)
    target = _checked_targets(input, target, weight)
    _floating("nll_loss_out_frame" if input.dim() <= 2 else "nll_loss2d_forward_out_frame", input.dtype)
    n_classes = input.shape[1] if input.dim() >= 2 else input.shape[0]
    _class_weight(weight, n_classes, input.dim(), dtype=input.dtype)
    saved_as_torch(input, target, weight, by=(input,))  # torch's nll_loss kernel saves them for input's grad
    if (weight is None and input.dim() == 2 and target.dim() == 1 and target.dtype is dt.int64
            and type(ignore_index) is int and host_rules(input._storage.device)
            and input.dtype in (dt.float32, dt.float64)):
        # a training step's case, as one op (see nll_loss_forward); on a GPU (and the page's cpu) the
        # composite below keeps every step on the device, where that op has no kernel
        return apply(nll_loss_forward, input, target, ignore_index=ignore_index, reduction=reduction)
    if input._requires_grad and is_grad_enabled():
        input = _scores_kept(input)
    losses, w, ignored = _pick(input, target, weight, ignore_index)
    if reduction == "none":
        # an unbatched input's one loss is torch's sum of one term: 0 + (-0.0) is +0.0
        return losses + 0.0 if input.dim() == 1 else losses
    total = _kernel_sum(losses, ignored)
    return total if reduction == "sum" else total / (w.sum() if weight is None else _kernel_sum(w, ignored))


def _scores_kept(scores):
    """``scores`` as they are, whose gradient (of the composite's steps, none of which reads them) keeps
    an edge to them where a graph of it is recorded (create_graph), as torch's nll_loss_backward takes its
    scores: its NllLossBackwardBackward0 (NllLoss2D for 3-d and up), whose own gradient there is zeros.
    torch's nll_loss2d reads 3-d and 5-d and up scores viewed as 4-d: so here, its views around the node."""
    if scores.dim() == 3 or scores.dim() > 4:
        n, c = scores.shape[:2]
        rest = math.prod(scores.shape[2:])  # not -1: ambiguous for an empty batch
        return _scores_kept(scores.reshape(n, c, 1, rest)).reshape(scores.shape)
    return Formula.apply(Tensor.detach, _KEEPS_SCORES[scores.dim() > 2], scores)


def _keeping_scores(node: str):
    @shown_as(node)
    def double_backward(gg, g, scores):
        return gg, ew.zeros_like_grad(scores)

    def backward(g, scores):
        if not is_grad_enabled():  # no graph of the gradient: the gradient as it is
            return g
        return Formula.apply(lambda g, scores: g.detach(), double_backward, g, scores)
    return backward


def refused_twice(scores, op: str):
    """``scores`` as they are, whose gradient (of a composite loss) refuses to be differentiated again where
    a graph of it is recorded (create_graph), as torch's gradient of a loss kernel without a double
    backward: its NotImplemented node over the scores, raising "derivative for aten::``op`` is not
    implemented" when run. Only where a gradient is recorded (``scores`` requires grad)."""
    if not (scores._requires_grad and is_grad_enabled()):
        return scores
    backward = _REFUSING.get(op)
    if backward is None:
        backward = _REFUSING[op] = _refusing(f"derivative for aten::{op} is not implemented")
    return Formula.apply(Tensor.detach, backward, scores)


def _refusing(message: str):
    def backward(g, scores):
        if not is_grad_enabled():  # no graph of the gradient: the gradient as it is
            return g
        return no_derivative(g.detach(), message, scores)
    return backward


_REFUSING: dict = {}


_KEEPS_SCORES = {False: _keeping_scores("NllLossBackwardBackward0"),
                 True: _keeping_scores("NllLoss2DBackwardBackward0")}


def _kernel_sum(terms, ignored):
    """The sum of nll_loss's terms: in torch's kernel's order on the host, a plain sum on a GPU."""
    if host_rules(terms._storage.device):
        return apply(nll_sum, terms, ew.logical_not(ignored))
    return terms.sum()


def _two_ops_first(general):
    """``general``, cross_entropy as a composite, with a training step's case run as torch's two ops in one
    frame: (N, C) float32 or float64 scores on the cpu, (N,) int64 class indices, no class weights, label
    smoothing or deprecated flags: log_softmax over dim 1 (LogSoftmaxBackward0), then nll_loss_forward
    (NllLossBackward0), which is what ``general`` runs for it, past its wrappers and checks (each of them
    Python calls per step; the inference-tensor check kept). A target out of range raises torch's
    IndexError from the op; every other case (and error) takes ``general``."""
    def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                      reduction="mean", label_smoothing=0.0):
        if (weight is None and size_average is None and reduce is None and type(label_smoothing) in _NUMBER
                and label_smoothing == 0 and type(ignore_index) is int and type(reduction) is str
                and reduction in _REDUCTIONS and isinstance(input, Tensor) and isinstance(target, Tensor)
                and target.dtype is dt.int64 and input.dtype in _FLOAT_SCORES
                and len(input._shape) == 2 and len(target._shape) == 1 and input._shape[0] == target._shape[0]
                and input._storage.device is target._storage.device and host_rules(input._storage.device)):
            logp = reduce_op(red.log_softmax_op, input, dim=1, log=True)
            # nll_loss's kernel saves the target for logp's grad (logp, made here, is an inference tensor only
            # in inference mode, where nothing is saved): asked only of an inference target
            if target._inference:
                saved_as_torch(logp, target, by=(logp,))
            return apply(nll_loss_forward, logp, target, ignore_index=ignore_index, reduction=reduction)
        return general(input, target, weight=weight, size_average=size_average, ignore_index=ignore_index,
                       reduce=reduce, reduction=reduction, label_smoothing=label_smoothing)

    return functools.update_wrapper(cross_entropy, general)


_NUMBER = (int, float)
_REDUCTIONS = ("mean", "sum", "none")
_FLOAT_SCORES = (dt.float32, dt.float64)


@_two_ops_first
@composite(
    torch_name="nn.functional.cross_entropy",
    samples=samples.cross_entropy,
    grad_fn=_cross_entropy_node,
)
@iterated_grads(grads_of=(0, 1))  # torch's gradients: contiguous (class probabilities too)
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
    """Cross entropy of unnormalised scores: ``log_softmax`` over the class dim, then NLL.

    Class indices: ``l_n = -w[y_n] * log_softmax(x_n)[y_n]``. Class probabilities (target of the input's
    shape): ``l_n = -sum_c w_c * y_nc * log_softmax(x_n)_c``. ``label_smoothing`` eps mixes the target with
    the uniform distribution: ``(1 - eps) * y + eps / C``.

    Args:
        input (Tensor): unnormalised scores (logits), classes along dim 1 (dim 0 for a 1-dim input).
        target (Tensor): class indices (int64 or uint8), or class probabilities of the input's shape.
        weight (Tensor, optional): ``(C,)`` per-class weights; ``'mean'`` divides by the summed weights of the
            targets. Default: None
        ignore_index (int): targets of this class add nothing to the loss or the mean; must be < 0 with
            probability targets. Default: -100
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'`` (per element), ``'mean'`` or ``'sum'``. Default: ``'mean'``
        label_smoothing (float): in ``[0, 1]``. Default: 0.0

    Shape:
        input: ``(N, C)``, ``(C,)`` or ``(N, C, d1, ..., dK)``; target: ``(N,)``, ``()`` or ``(N, d1, ...,
            dK)`` class indices in ``[0, C)``, or probabilities of the input's shape; output: scalar, or the
            target's shape with ``reduction='none'``.

    Raises:
        ValueError: a 0-dim input, a batch size that differs from the target's, or a bad ``reduction``.
        RuntimeError: a target of the wrong shape or dtype (int64 or uint8 expected), or a ``weight`` without
            ``C`` elements.
        IndexError: a target class outside ``[0, C)`` (other than ``ignore_index``).
        RuntimeError: ``label_smoothing`` outside ``[0, 1]``; a non-floating probability target.

    Matches ``torch.nn.functional.cross_entropy`` (label smoothing: Szegedy et al. 2016).
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    class_dim = 0 if input.dim() == 1 else 1  # (torch's: a 0-d input's is out of range)
    n_classes = input.shape[class_dim] if input.dim() else 1
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    try:  # (torch's order: the target's kind first, then the log-softmax's dim and kernel)
        probabilities = input.shape == target.shape
    except AttributeError:
        raise TypeError(f"cross_entropy_loss(): argument 'target' (position 2) must be Tensor, not "
                        f"{type(target).__name__}") from None
    if probabilities and not target.dtype.is_floating_point:
        raise RuntimeError(f"Expected floating point type for target with class probabilities, got "
                           f"{dt.scalar_name(target.dtype)}")
    if probabilities and not input.dim():  # (its count of classes, read first)
        raise IndexError("Dimension specified as 1 but tensor has no dimensions")
    logp = red.log_softmax(input, class_dim)

    def class_weight():  # (reshaped once checked; as given: class probabilities promote with it, as torch's)
        # torch's view of the input's rank, which its product's node keeps
        return (None if weight is None else weight.reshape(
            (1,) * class_dim + (n_classes,) + (1,) * (input.dim() - 1 - class_dim)))
    if probabilities:
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        _class_weight(weight, n_classes, input.dim(), "cross_entropy: ")
        w_b = class_weight()
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / n_classes
        terms = logp * target if w_b is None else logp * target * w_b
        loss = -terms.sum(class_dim)
        if reduction == "none":
            return loss
        return loss.sum() if reduction == "sum" else loss.sum() / (input.numel() / n_classes)
    not_differentiable("nll_loss_forward" if input.dim() <= 2 else "nll_loss2d_forward", weight=weight)
    squeezed = input.dim() == 1 and target.dim() == 1
    target = _checked_targets(input, target, weight)
    _class_weight(weight, n_classes, input.dim(), dtype=input.dtype)
    if squeezed and label_smoothing > 0:  # torch adds the (1,) smoothing term in place into the 0-d loss
        raise RuntimeError("output with shape [] doesn't match the broadcast shape [1]")
    w_b = class_weight()
    nll = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing == 0:
        return nll
    _, w, ignored = _targets(target, weight, ignore_index, n_classes, logp.dtype)  # nll_loss checked target
    smooth = -(logp if w_b is None else logp * w_b).sum(class_dim)
    smooth = ew.where(ignored, 0.0, smooth)
    if reduction == "sum":
        smooth = smooth.sum()
    elif reduction == "mean":
        smooth = smooth.sum() / w.sum()
    return (1 - label_smoothing) * nll + smooth * (label_smoothing / n_classes)


@composite(
    torch_name="nn.functional.binary_cross_entropy",
    samples=samples.binary_cross_entropy,
    grad_fn="BinaryCrossEntropyBackward0",
)
@iterated_grads(0, 1)  # torch's backward kernels: a TensorIterator over (input, target) for both gradients
def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Binary cross entropy of probabilities: ``l_n = -w_n * (y_n log x_n + (1 - y_n) log(1 - x_n))``.

    Each log is clamped at -100, as PyTorch does, so the loss stays finite at 0 and 1.

    Args:
        input (Tensor): probabilities in ``[0, 1]`` (floating dtype).
        target (Tensor): targets in ``[0, 1]``, the input's shape and dtype.
        weight (Tensor, optional): rescaling weight, broadcast to the input. Default: None
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'`` (per element), ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input: ``(*)``; target: ``(*)``, the same shape; output: scalar, or ``(*)`` with ``reduction='none'``.

    Raises:
        ValueError: the target's shape differs from the input's; a bad ``reduction``.
        RuntimeError: dtypes differ, or an element of ``input`` or ``target`` outside ``[0, 1]`` (NaN too);
            a ``weight`` that requires grad (PyTorch has no derivative for it).
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.functional.binary_cross_entropy``.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is deprecated. Please ensure they have the same size."
        )
    _check_reduction(reduction)
    if target.dtype != input.dtype:
        raise RuntimeError(
            f"Found dtype {dt.scalar_name(target.dtype)} but expected {dt.scalar_name(input.dtype)}"
        )
    _floating("binary_cross_entropy", input.dtype)
    if input.numel():  # element by element, input before target, as PyTorch's kernel checks (NaN fails)
        bad_input = ew.logical_not(ew.logical_and(input >= 0, input <= 1)).reshape(-1)
        bad_target = ew.logical_not(ew.logical_and(target >= 0, target <= 1)).reshape(-1)
        bad = ew.logical_or(bad_input, bad_target)
        if bool(bad.any()):
            which = "input" if bool(bad_input[bad.int().argmax()]) else "target"
            raise RuntimeError(f"all elements of {which} should be between 0 and 1")
    not_differentiable("binary_cross_entropy", weight=weight)
    if weight is not None:  # F.binary_cross_entropy's expanded view of it (torch's node keeps it), its words
        weight = weight.expand(arrays.broadcast_shapes(target.shape, weight.shape))
    return Formula.apply(_bce, _bce_backward, input, target, weight, reduction)


def _bce(x, y, w, reduction):
    # PyTorch's kernel: log1p(-x) (log(1 - x) loses the digits of a small x), and its order, for the
    # sign of a zero loss
    loss = (y - 1) * ew.clamp_min(ew.log1p(-x), -100) - y * ew.clamp_min(ew.log(x), -100)
    return _reduce(loss if w is None else loss * w, reduction)


def _bce_backward(g, x, y, w, reduction):
    """PyTorch's binary_cross_entropy_backward, g (x - y) / max((1 - x) x, 1e-12), and its target's,
    -logit(x) g (each times the weight, and / numel for 'mean'); one product with g, where the
    composite's two log terms gave inf - inf for an infinite g."""
    dx = g * (x - y) / ew.clamp_min((1 - x) * x, 1e-12)
    return _weigh(dx, w, reduction), _weigh(-ew.log(x / (1 - x)) * g, w, reduction), None, None


@composite(torch_name="nn.functional.binary_cross_entropy_with_logits",
           samples=samples.binary_cross_entropy_with_logits, grad_fn="BinaryCrossEntropyWithLogitsBackward0")
def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """Sigmoid plus binary cross entropy in one stable step, on logits.

    ``l_n = -w_n * (p * y_n * log(sigmoid(x_n)) + (1 - y_n) * log(1 - sigmoid(x_n)))``, p = ``pos_weight``.

    Args:
        input (Tensor): logits (unnormalised log-odds).
        target (Tensor): targets in ``[0, 1]``, the input's shape.
        weight (Tensor, optional): rescaling weight, broadcast to the input. Default: None
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'`` (per element), ``'mean'`` or ``'sum'``. Default: ``'mean'``
        pos_weight (Tensor, optional): weight of the positive term, broadcast along the last dim (one per
            class). Default: None

    Shape:
        input: ``(*)``; target: ``(*)``, the same shape; output: scalar, or ``(*)`` with ``reduction='none'``.

    Raises:
        ValueError: the target's shape differs from the input's; a bad ``reduction``.
        RuntimeError: the result dtype cannot be cast to the target's (an integer target); a ``weight`` or
            ``pos_weight`` that requires grad (PyTorch has no derivative for them).

    Matches ``torch.nn.functional.binary_cross_entropy_with_logits``.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    _check_reduction(reduction)
    not_differentiable("binary_cross_entropy_with_logits", weight=weight, pos_weight=pos_weight)
    return Formula.apply(_bce_logits, _bce_logits_backward, input, target, weight, pos_weight, reduction)


def _bce_logits(x, y, w, pos_weight, reduction):
    # PyTorch's formula, so nan/inf come out as there
    log_sig = logsigmoid(x)
    if pos_weight is not None:
        log_sig = _into(((pos_weight - 1) * y + 1) * log_sig, log_sig.dtype)  # log_sig.mul_(...)
    # ATen's 1 - t fills a tensor of t's dtype with 1 first, so a bool target is two bool tensors there
    negated = (True if y.dtype is dt.bool_ else 1) - y
    _cast_back(dt.promote_types(negated.dtype, x.dtype), negated.dtype)
    loss = _into(_into(negated * x, negated.dtype) - log_sig, negated.dtype)  # (1 - t).mul_(x).sub_(ls)
    return _reduce(loss if w is None else loss * w, reduction)


def _bce_logits_backward(g, x, y, w, pos_weight, reduction):
    """PyTorch's binary_cross_entropy_with_logits_backward, (sigmoid(x) - y) g, or with p = pos_weight
    y: ((p + 1 - y) sigmoid(x) - p) g, and its target's, -x g, or (logsigmoid(-x) - logsigmoid(x)
    pos_weight) g (each times the weight, and / numel for 'mean')."""
    if pos_weight is None:
        dx, dy = (ew.sigmoid(x) - y) * g, -x * g
    else:
        p = pos_weight * y
        dx = ((p + 1 - y) * ew.sigmoid(x) - p) * g
        dy = (logsigmoid(-x) - logsigmoid(x) * pos_weight) * g
    return _weigh(dx, w, reduction), _weigh(dy, w, reduction), None, None, None


def _weigh(grad, weight, reduction):
    grad = grad if weight is None else grad * weight
    return grad / grad.numel() if reduction == "mean" else grad


@composite(torch_name="nn.functional.kl_div", samples=samples.kl_div)
def kl_div(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """Kullback-Leibler divergence, pointwise: ``l = y * (log y - x)`` with ``x`` in log-space.

    ``log_target=True`` takes ``y`` in log-space too: ``l = exp(y) * (y - x)``. ``y = 0`` gives 0.

    Args:
        input (Tensor): log-probabilities.
        target (Tensor): probabilities (or log-probabilities with ``log_target``).
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'``, ``'batchmean'`` (sum / N, the true KL), ``'sum'`` or ``'mean'`` (over all
            elements; warns). Default: ``'mean'``
        log_target (bool): ``target`` is in log-space. Default: False

    Shape:
        input: ``(*)``; target: ``(*)``, the same shape; output: scalar, or ``(*)`` with ``reduction='none'``.

    Raises:
        RuntimeError: an integer input or target.
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'`` (or ``'batchmean'``).

    Matches ``torch.nn.functional.kl_div``.
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        _warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support size."
            "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
            "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
        )
    if input.dtype.is_complex or target.dtype.is_complex:  # (before the integral check, as torch)
        raise RuntimeError("kl_div: Complex inputs not supported.")
    if not (input.dtype.is_floating_point and target.dtype.is_floating_point):
        raise RuntimeError("kl_div: Integral inputs not supported.")
    # torch's C++ takes a product's or difference's right operand first: a promotion error between target and
    # input (a float8 one's) comes before the kernel of exp(target) or xlogy(target, target) is looked up.
    # (The product itself is recorded after the xlogy term: its node's number sets the order in which
    # target's 16-bit gradient terms are summed, torch's)
    if log_target:
        difference = target - input
        loss = ew.exp(target) * difference
    else:
        dt.result_type(target, input)
        # PyTorch's xlogy(t, t): 0 where t == 0. The zero gradient the where sends into t * log(t) there
        # becomes 0 * -inf = nan, which is PyTorch's gradient of xlogy at 0 (it adds t / t)
        loss = ew.where(target == 0, 0.0, target * ew.log(target)) - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.dim() else loss.sum()
    return _reduce(loss, reduction)


@composite(
    torch_name="nn.functional.soft_margin_loss",
    samples=samples.soft_margin_loss,
    grad_fn="SoftMarginLossBackward0",
    saves="self=input target",
)
@iterated_grads(1, 0, grads_of=(0,))  # torch's mul_out(grad_input, target, z): target first
def soft_margin_loss(
    input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean"
) -> Tensor:
    """Two-class logistic loss: ``l_n = log(1 + exp(-y_n * x_n))``, reduced.

    Args:
        input (Tensor): scores.
        target (Tensor): labels, 1 or -1, the input's shape.
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'`` (per element), ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input: ``(*)``; target: ``(*)``; output: scalar, or ``(*)`` with ``reduction='none'``.

    Raises:
        RuntimeError: the result cannot be cast back to the input's dtype (for example an integer input).
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``.

    Matches ``torch.nn.functional.soft_margin_loss``.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)  # (torch's Python reads it first)
    not_differentiable("soft_margin_loss", target=target)  # PyTorch has no derivative for it
    # PyTorch's log1p(exp(-input * target)), in place: inf where exp overflows, and its gradient is nan
    # where PyTorch's is
    z = -input  # (torch refuses a bool input's negation first)
    _cast_back(dt.promote_types(z.dtype, target.dtype), z.dtype)
    _cast_back(dt.to_float(z.dtype), z.dtype)  # (z * target is cast into z's dtype)
    if input.dtype in dt.HALVES and target.dtype is input.dtype and input.requires_grad:
        _check_reduction(reduction)
        return Formula.apply(_soft_margin, _soft_margin_backward, input, target, reduction)
    return _soft_margin(input, target, reduction)


def _soft_margin(input, target, reduction):
    z = _into(-input * target, input.dtype)
    return _reduce(ew.log1p(ew.exp(z)), reduction)


def _soft_margin_backward(g, x, t, reduction):
    """torch's soft_margin_loss_backward, a chain of ops in the input's dtype (each rounded): z = exp(-t *
    x), then ``t * z * -norm / (z + 1) * g``, -norm (-1, or -1 / N for 'mean') itself rounded to the dtype
    (its in-place multiply takes the number as one)."""
    n = x.numel()
    norm = dt.round_half(-(1 / n if n else math.inf) if reduction == "mean" else -1.0, x.dtype)
    z = ew.exp(-t * x)
    return t * z * norm / (z + 1) * g, None, None


@composite(
    torch_name="nn.functional.margin_ranking_loss",
    samples=samples.margin_ranking_loss,
    grad_fn=_mean_node,
)
def margin_ranking_loss(
    input1: Tensor,
    input2: Tensor,
    target: Tensor,
    margin: float = 0,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Ranking loss: ``l_n = max(0, -y_n * (x1_n - x2_n) + margin)``, reduced.

    Args:
        input1 (Tensor): first scores.
        input2 (Tensor): second scores.
        target (Tensor): 1 where ``input1`` should rank higher, -1 where ``input2`` should.
        margin (float): the required gap. Default: 0
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'`` (per element), ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input1, input2, target: ``(N,)`` or ``()``, broadcastable; output: scalar, or ``(N,)`` with
            ``reduction='none'``.

    Raises:
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``.

    Matches ``torch.nn.functional.margin_ranking_loss``.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)  # (torch's Python reads it first)
    for t in (input1, input2, target):  # torch's Python compares their dims next
        if not isinstance(t, Tensor):
            raise AttributeError(f"'{type(t).__name__}' object has no attribute 'dim'")
    # the margin is a float in PyTorch's signature: integer inputs give a float loss
    diff = input1 - input2  # first, as in PyTorch: two bool inputs are refused for it
    return _reduce(ew.clamp_min(-target * diff + float(margin), 0), reduction)


@composite(
    torch_name="nn.functional.hinge_embedding_loss",
    samples=samples.hinge_embedding_loss,
    grad_fn=_mean_node,
)
def hinge_embedding_loss(
    input: Tensor,
    target: Tensor,
    margin: float = 1.0,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Hinge embedding loss: ``l_n = x_n`` where ``y_n = 1``, ``max(0, margin - x_n)`` where ``y_n = -1``.

    Args:
        input (Tensor): distances (for example L1 distances between pairs).
        target (Tensor): labels, 1 or -1.
        margin (float): the margin for ``y = -1`` (truncated to int for integer inputs). Default: 1.0
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'`` (per element), ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input: ``(*)``; target: ``(*)``, the same shape; output: scalar, or ``(*)`` with ``reduction='none'``.

    Raises:
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``.

    Matches ``torch.nn.functional.hinge_embedding_loss``.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)  # (torch's Python reads it first)
    if input.dtype is dt.bool_:  # torch's margin - input, with the margin taken in the input's dtype
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the "
                           "`^` or `logical_xor()` operator instead.")
    if not input.dtype.is_floating_point:  # PyTorch computes in the input's integer dtype, margin truncated
        margin = int(margin)
    zeros = input * 0
    margin_part = ew.where(target != 1, ew.clamp_min(margin - input, 0), zeros)
    self_part = ew.where(target != -1, input, zeros)
    return _reduce(margin_part + self_part, reduction)


@composite(torch_name="nn.functional.poisson_nll_loss", samples=samples.poisson_nll_loss, grad_fn=_mean_node)
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
    """Poisson negative log likelihood of ``target ~ Poisson(lambda)``, reduced.

    ``log_input``: ``l = exp(x) - y * x`` (x = log lambda); else ``l = x - y * log(x + eps)`` (x = lambda).
    ``full`` adds the Stirling term ``y log y - y + 0.5 log(2 pi y)`` where ``y > 1``.

    Args:
        input (Tensor): the expected counts, in log-space when ``log_input``.
        target (Tensor): observed counts.
        log_input (bool): ``input`` is log lambda. Default: True
        full (bool): add the Stirling approximation term. Default: False
        eps (float): added inside the log when not ``log_input``. Default: 1e-8
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'`` (per element), ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input: ``(*)``; target: ``(*)``; output: scalar, or ``(*)`` with ``reduction='none'``.

    Raises:
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``.

    Matches ``torch.nn.functional.poisson_nll_loss``.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if not isinstance(target, Tensor):  # (torch's binding parses it; pyfront's formula would take a number)
        raise must_be("poisson_nll_loss", "target", "Tensor", target, 2)
    _check_reduction(reduction)
    if log_input:  # torch's C++ takes the right operand first: target * input's promotion before exp's kernel
        product = target * input
        loss = ew.exp(input) - product
    else:
        loss = input - target * ew.log(input + eps)
    if full:
        if target.dtype is dt.bool_:  # torch's Stirling term subtracts the target itself
            ew._refuse_bool_subtraction(target, target.float())
        # torch computes the term over every target, then compares (target <= 1: its kernel's refusal)
        small = target <= 1
        safe = ew.where(small, 1.0, target)
        stirling = safe * ew.log(safe) - safe + 0.5 * ew.log(2 * math.pi * safe)
        loss = loss + ew.where(small, 0.0, stirling)
        if target.requires_grad:  # torch's term reads the target itself (its log's and product's nodes keep it)
            loss = _reduce(loss, reduction)
            also_saves(loss, (None, target))
            return loss
    return _reduce(loss, reduction)


@composite(
    torch_name="nn.functional.multilabel_soft_margin_loss",
    samples=samples.multilabel_soft_margin_loss,
    grad_fn=_mean_node,
)
def multilabel_soft_margin_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Multi-label one-vs-all logistic loss, averaged over the C classes.

    ``l_n = -1/C * sum_c w_c * (y_nc * log(sigmoid(x_nc)) + (1 - y_nc) * log(sigmoid(-x_nc)))``.

    Args:
        input (Tensor): scores.
        target (Tensor): labels, 0 or 1, the input's shape.
        weight (Tensor, optional): ``(C,)`` per-class weights. Default: None
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'`` (per element), ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input: ``(N, C)`` or ``(C,)``; target: the same shape; output: scalar, or ``(N,)`` with
            ``reduction='none'``.

    Raises:
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``.

    Matches ``torch.nn.functional.multilabel_soft_margin_loss``.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    classes = input.size(class_dim)  # (torch's Python reads it first: a 0-d input's IndexError)
    loss = loss.sum(class_dim) / classes
    if reduction not in ("none", "mean", "sum"):  # (torch's Python, after computing the loss: its words)
        raise ValueError(reduction + " is not valid")
    return _reduce(loss, reduction)


@composite(torch_name="nn.functional.triplet_margin_loss", samples=samples.triplet_margin_loss,
           grad_fn=_triplet_node)
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
    """Triplet loss: ``l_n = max(0, d(a_n, p_n) - d(a_n, n_n) + margin)``, d the p-norm distance.

    Args:
        anchor (Tensor): anchor embeddings.
        positive (Tensor): embeddings of the same class.
        negative (Tensor): embeddings of another class.
        margin (float): the required gap. Default: 1.0
        p (float): the norm's exponent for ``pairwise_distance``. Default: 2
        eps (float): added to differences in ``pairwise_distance``. Default: 1e-6
        swap (bool): use ``min(d(a, n), d(p, n))`` as the negative distance (Balntas et al. 2016). Default:
            False
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'`` (per element), ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        anchor, positive, negative: ``(N, D)`` or ``(D,)``; output: scalar, or ``(N,)`` with
            ``reduction='none'``.

    Raises:
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``.

    Follows Schroff et al. 2015 (FaceNet), as ``torch.nn.functional.triplet_margin_loss``.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)  # (torch's Python reads it first)
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = ew.minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    return _reduce(ew.clamp_min(margin + d_pos - d_neg, 0), reduction)
