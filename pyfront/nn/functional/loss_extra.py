"""The losses of ``torch.nn.functional`` that real scripts call beyond the common ones: Gaussian NLL, cosine
embedding, multi-class and multi-label margin, triplet with a chosen distance. Each is composed of pyfront
ops (no kernel of its own), so its gradient and every device come from theirs."""

from __future__ import annotations

import math

from ... import dtypes as dt
from ...errors import refuse_halves
from ...autograd.grad_mode import no_grad, not_differentiable
from ...ops.composite.shaping import stack
from ...ops.creation import arange, ones_like, tensor
from ...ops.primitives.shaping import cat
from ...tensor import Tensor
from ...ops.argcheck import invalid_combination
from .linear import linear, pairwise_distance
from .loss import (_check_reduction, _legacy_reduction, _reduce, check_same_dtype, cross_entropy,
                   refused_twice)

__all__ = ["gaussian_nll_loss", "cosine_embedding_loss", "multi_margin_loss", "multilabel_margin_loss",
           "triplet_margin_with_distance_loss", "ctc_loss", "linear_cross_entropy"]


def gaussian_nll_loss(input: Tensor, target: Tensor, var, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    """Gaussian negative log likelihood: ``0.5 * (log(max(var, eps)) + (input - target)^2 / max(var, eps))``,
    plus ``0.5 * log(2 pi)`` with ``full``.

    Args:
        input (Tensor): the Gaussian's expectation.
        target (Tensor): a sample from it.
        var (Tensor or float): its variance: ``input``'s shape, or one dim short of it, or 1 in one dim
            (homoscedastic); entries below ``eps`` are clamped (the gradient still flows, as PyTorch's).
        full (bool): add the constant. Default: False
        eps (float): the clamp on ``var``. Default: 1e-6
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input ``(N, *)`` or ``(*)``; target like input (or broadcast to it); var as above; output: scalar,
        or input's shape with ``reduction='none'``.

    Raises:
        ValueError: ``var`` has a negative entry, ``var`` is of incorrect size, or ``reduction`` is invalid,
            with PyTorch's texts.

    Follows Nix and Weigend 1994, as ``torch.nn.functional.gaussian_nll_loss`` (whose checks it repeats).
    """
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * ones_like(input)
    elif (var < 0).any():
        raise ValueError("var has negative entry/entries")
    if var.size() != input.size():
        if input.size()[:-1] == var.size():  # one dim short: one variance per row
            var = var.unsqueeze(-1)
        elif not (input.ndim == var.ndim and sum(y for x, y in zip(input.size(), var.size()) if x != y) == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    var = var.clone()
    with no_grad():  # the clamp is not differentiated, as PyTorch's
        var.clamp_(min=eps)
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                          size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """Cosine embedding loss: ``1 - cos(x1, x2)`` where ``y = 1``, ``max(0, cos(x1, x2) - margin)`` where
    ``y = -1`` (and 0 for any other target value).

    Args:
        input1, input2 (Tensor): the embeddings compared (row by row).
        target (Tensor): 1 or -1 per row.
        margin (float): in [-1, 1]; 0 to 0.5 suggested. Default: 0
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input1, input2 ``(N, D)`` or ``(D,)``; target ``(N,)`` or ``()``; output: scalar, or ``(N,)`` / ``()``
        with ``reduction='none'``.

    Raises:
        RuntimeError: a target of more than one dim, or inputs of the wrong rank for it (PyTorch's texts).
        ValueError: ``reduction`` is invalid.

    As ``torch.nn.functional.cosine_embedding_loss`` (its squared norms get 1e-12 added, as ATen's).
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)  # before the shapes, as torch
    dim = target.dim()
    if dim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if (input1.dim(), input2.dim()) != (dim + 1, dim + 1):
        raise RuntimeError(f"{dim}D target tensor expects {dim + 1}D input tensors, but found inputs with "
                           f"sizes {list(input1.shape)} and {list(input2.shape)}.")
    prod = (input1 * input2).sum(dim)
    denom = (((input1 * input1).sum(dim) + 1e-12) * ((input2 * input2).sum(dim) + 1e-12)).sqrt()
    cos = prod / denom
    zero = cos.new_zeros(())
    loss = (1 - cos).where(target == 1, zero) + (cos - margin).clamp_min(0).where(target == -1, zero)
    return _reduce(loss, reduction)


def _margin_shapes(input):
    """ATen's shape check of the margin losses: (C,) or (N, C) input, C > 0 (or a 0-d input)."""
    n = input.dim()
    if not (n == 2 and input.shape[1] != 0 or n == 1 and input.shape[0] != 0 or n == 0):
        raise RuntimeError(f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
                           f"{list(input.shape)}")
    rows = input.shape[0] if n == 2 else 1
    classes = input.shape[-1] if n else 1
    return rows, classes


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0, weight=None,
                      size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """Multi-class margin (hinge) loss: ``sum_{i != y} w[y] * max(0, margin - x[y] + x[i])^p / C`` per row.

    Args:
        input (Tensor): scores, ``(N, C)`` or ``(C,)``.
        target (Tensor): the class of each row (int64), ``(N,)`` or ``()``.
        p (int): 1 or 2. Default: 1
        margin (float): Default: 1.0
        weight (Tensor, optional): a weight per class, ``(C,)``.
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        output: scalar, or ``(N,)`` with ``reduction='none'``.

    Raises:
        ValueError: ``p`` other than 1 or 2, a weight that is not 1-D, an invalid ``reduction``.
        RuntimeError: inconsistent target or weight size, a target out of range (PyTorch's texts).

    As ``torch.nn.functional.multi_margin_loss`` (``nn.MultiMarginLoss``).
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)  # before the shapes, as torch
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    not_differentiable("multi_margin_loss", weight=weight)
    rows, classes = _margin_shapes(input)
    if target.numel() != rows or (target.dim() != 1 if input.dim() == 2 else target.dim() > 1):
        raise RuntimeError(f"multi_margin_loss: target tensor should be 1-D with size equal to the number of "
                           f"input samples (batch size). Expected target size [{rows}], but got "
                           f"{list(target.shape)}. Input has shape {list(input.shape)}.")
    if weight is not None and weight.numel() != classes:
        raise RuntimeError(f"inconsistent weight size, expected {classes} but got {list(weight.shape)}")
    if input.dtype not in (dt.float32, dt.float64):  # torch's kernel: float and double only
        raise NotImplementedError(f"\"multi_margin_loss_cpu_kernel\" not implemented for "
                                  f"'{dt.scalar_name(input.dtype)}'")
    if rows:  # torch's kernel reads int64s
        check_same_dtype(target, dt.int64)
    else:  # an empty batch returns before the kernel reads its target, whatever the dtype
        target = target.to(dt.int64)
    check_same_dtype(weight, input.dtype)
    if rows and not ((target >= 0) & (target < classes)).all():
        raise RuntimeError("target out of range")
    x = refused_twice(input, "multi_margin_loss_backward").reshape(rows, classes)
    y = target.reshape(rows, 1)
    margins = (margin - x.gather(1, y) + x).clamp_min(0)
    if p == 2:
        margins = margins * margins
    if weight is not None:
        margins = margins * weight.gather(0, y.reshape(-1)).unsqueeze(1)
    others = arange(classes, device=x.device) != y  # the target's own class adds nothing
    loss = (margins * others).sum(1) / classes
    return _reduce(loss.reshape(target.shape) if input.dim() < 2 else loss, reduction)


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                           reduction: str = "mean") -> Tensor:
    """Multi-label margin loss: ``sum_{j, i} max(0, 1 - (x[y_j] - x[i])) / C`` per row, over the target
    classes ``y_j`` (the row's leading entries up to the first -1) and the classes ``i`` not among them.

    Args:
        input (Tensor): scores, ``(C,)`` or ``(N, C)``.
        target (Tensor): int64 class indices of input's shape, padded with -1.
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        output: scalar, or ``(N,)`` with ``reduction='none'``.

    Raises:
        RuntimeError: an empty input, an inconsistent target size (PyTorch's texts).
        ValueError: an invalid ``reduction``.

    As ``torch.nn.functional.multilabel_margin_loss`` (``nn.MultiLabelMarginLoss``).
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)  # before the shapes, as torch
    rows, classes = _margin_shapes(input)
    if (target.dim() > 1 or target.numel() != classes) if input.dim() <= 1 else (
            target.dim() != 2 or tuple(target.shape) != tuple(input.shape)):
        raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: "
                           f"{list(input.shape)}")
    # torch's range check reads the extremes as int64s, whatever the dtype (uint8's 255 is out of range)
    if target.numel() and not (int(target.min()) >= -1 and int(target.max()) < classes):
        raise RuntimeError("argument #2 'target' is out of range")
    check_same_dtype(target, dt.int64)  # torch's kernel reads int64s, after its range check (any dtype)
    x = refused_twice(input, "multilabel_margin_loss_backward").reshape(rows, classes)
    y = target.reshape(rows, classes)
    valid = (y >= 0).long().cumprod(1) > 0  # the targets end at the first -1
    picked = (y.unsqueeze(-1) == arange(classes, device=x.device)) & valid.unsqueeze(-1)  # (N, j, i)
    is_target = picked.any(1)
    x_y = x.gather(1, y.clamp_min(0))
    hinge = (1 - x_y.unsqueeze(-1) + x.unsqueeze(1)).clamp_min(0)  # (N, j, i)
    loss = (hinge * (valid.unsqueeze(-1) & ~is_target.unsqueeze(1))).sum((1, 2)) / classes
    return _reduce(loss.reshape(()) if input.dim() < 2 else loss, reduction)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function=None, margin: float = 1.0, swap: bool = False,
                                      reduction: str = "mean") -> Tensor:
    """Triplet loss with any distance: ``max(0, d(a, p) - d(a, n) + margin)``.

    Args:
        anchor, positive, negative (Tensor): embeddings of one number of dims.
        distance_function (callable, optional): ``d(x1, x2)`` -> a non-negative distance per row.
            Default: ``pairwise_distance``
        margin (float): the required gap (> 0). Default: 1.0
        swap (bool): use ``min(d(a, n), d(p, n))`` (Balntas et al. 2016). Default: False
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        anchor, positive, negative ``(N, *)``; output: scalar, or ``(N,)`` with ``reduction='none'``.

    Raises:
        ValueError: an invalid ``reduction``, ``margin <= 0``.
        RuntimeError: inputs of different numbers of dims (PyTorch's texts).

    As ``torch.nn.functional.triplet_margin_with_distance_loss``.
    """
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    a, p, n = anchor.ndim, positive.ndim, negative.ndim
    if not a == p == n:
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number "
                           f"of dimensions, but got: anchor {a}D, positive {p}D, and negative {n}D inputs")
    distance = distance_function or pairwise_distance
    d_pos, d_neg = distance(anchor, positive), distance(anchor, negative)
    if swap:
        d_neg = d_neg.minimum(distance(positive, negative))
    return _reduce((margin + d_pos - d_neg).clamp_min(0), reduction)


_NO_PATH = -1e30  # log-space "impossible": finite, so no inf - inf reaches a gradient; -inf at the end


def _lengths(value):
    return [int(v) for v in (value.reshape(-1).tolist() if isinstance(value, Tensor) else value)]


def _ints(values, device):
    return tensor(values, dtype=dt.int64, device=device)


_WHILE = " (while checking arguments for ctc_loss_allocate_outputs)"
_REDUCTION_ENUM = {"none": 0, "mean": 1, "sum": 2}


def _ctc_checked(log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity):
    """torch's checks of a ctc_loss call, in its order (its parser's overloads, then
    ctc_loss_allocate_outputs'): (log_probs as (T, N, C), each sample's target, input and target lengths)."""
    if isinstance(input_lengths, Tensor) != isinstance(target_lengths, Tensor):  # neither overload fits
        raise invalid_combination("ctc_loss", (log_probs, targets, input_lengths, target_lengths, blank,
                                               _REDUCTION_ENUM[reduction], zero_infinity), {})
    for name, lengths in (("input_lengths", input_lengths), ("target_lengths", target_lengths)):
        if isinstance(lengths, Tensor) and (lengths.dtype.is_floating_point or lengths.dtype.is_complex):
            raise RuntimeError(f"{name} must be integral")
    # torch reads any other rank as unbatched: unsqueezed, then checked; the targets as given (1-d: one
    # sample's, "concatenated")
    lp = log_probs if log_probs.dim() == 3 else log_probs.unsqueeze(1)
    tg = targets
    if lp.dim() != 3:
        raise RuntimeError(f"Expected 3-dimensional tensor, but got {lp.dim()}-dimensional tensor for "
                           f"argument #1 'log_probs'{_WHILE}")
    if not 1 <= tg.dim() <= 2:
        raise RuntimeError(f"Expected 1 to 2 dimensions, but got {tg.dim()}-dimensional tensor for argument "
                           f"#2 'targets'{_WHILE}")
    steps, batch, classes = lp.shape
    if not 0 <= blank < classes:
        raise RuntimeError("blank must be in label range")
    in_len, tg_len = _lengths(input_lengths), _lengths(target_lengths)
    if len(in_len) != batch:
        raise RuntimeError("input_lengths must be of size batch_size")
    if len(tg_len) != batch:
        raise RuntimeError("target_lengths must be of size batch_size")
    for k in tg_len:
        if k < 0:
            raise RuntimeError(f"Expected target_lengths to have value at least 0, but got value {k}{_WHILE}")
    if tg.dim() == 1:  # the targets concatenated
        if tg.shape[0] != sum(tg_len):
            raise RuntimeError(f"Expected tensor to have size {sum(tg_len)} at dimension 0, but got size "
                               f"{tg.shape[0]} for argument #2 'targets'{_WHILE}")
        starts = [sum(tg_len[:i]) for i in range(batch)]
        rows = [tg[s:s + k] for s, k in zip(starts, tg_len)]
    else:
        if tg.shape[1] < max(tg_len, default=0):
            raise RuntimeError(f"Expected tensor to have size at least {max(tg_len)} at dimension 1, but got "
                               f"size {tg.shape[1]} for argument #2 'targets'{_WHILE}")
        rows = [tg[i, :k] for i, k in enumerate(tg_len)]
    for n in in_len:
        if n < 0:
            raise RuntimeError(f"Expected input_lengths to have value at least 0, but got value {n}{_WHILE}")
        if n > steps:
            raise RuntimeError(f"Expected input_lengths to have value at most {steps}, but got value "
                               f"{n}{_WHILE}")
    return lp, rows, in_len, tg_len


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths, target_lengths, blank: int = 0,
             reduction: str = "mean", zero_infinity: bool = False) -> Tensor:
    """Connectionist Temporal Classification loss: ``-log`` of the summed probability of every alignment of
    each target to its input (the forward algorithm over the blank-extended target, in log space).

    Args:
        log_probs (Tensor): ``(T, N, C)`` or ``(T, C)``, log-probabilities (``log_softmax`` over C).
        targets (Tensor): ``(N, S)`` padded, or the targets concatenated ``(sum(target_lengths),)``.
        input_lengths, target_lengths (Tensor or sequence of ints): each sample's T and target length.
        blank (int): the blank class. Default: 0
        reduction (str): ``'none'``, ``'mean'`` (each loss divided by its target length, then averaged) or
            ``'sum'``. Default: ``'mean'``
        zero_infinity (bool): an impossible alignment's loss (inf) and its gradient become 0. Default: False

    Shape:
        output: scalar, or ``(N,)`` with ``reduction='none'``.

    Raises:
        ValueError: an invalid reduction. RuntimeError: a blank outside [0, C), lengths of another batch
            size, an input length beyond T, targets shorter than a target length (PyTorch's texts).

    Graves et al. 2006, as ``torch.nn.functional.ctc_loss`` (its gradient with respect to ``log_probs``
    included: ATen's adds ``exp(log_probs)`` within each input length, exact once composed with
    ``log_softmax``).
    """
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    unbatched = log_probs.dim() != 3
    lp, rows, in_len, tg_len = _ctc_checked(log_probs, targets, input_lengths, target_lengths, blank,
                                            reduction, zero_infinity)
    steps, batch, _ = lp.shape
    longest = max(tg_len, default=0)
    refuse_halves("ctc_loss_cpu", lp.dtype)
    lp = refused_twice(lp, "_ctc_loss_backward")
    width = 2 * longest + 1
    ext = lp.new_full((batch, width), blank, dtype=dt.int64)
    for i, row in enumerate(rows):
        if tg_len[i]:
            ext[i, 1:2 * tg_len[i]:2] = row.long()
    # skip from s - 2: a label not equal to the one two back (so never a blank)
    skip = ext.new_zeros((batch, width), dtype=dt.bool_)
    if width > 2:
        skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    emit = lp.gather(2, ext.unsqueeze(0).expand(steps, batch, width))  # (T, N, width)
    neg = emit.new_full((batch, 1), _NO_PATH)
    start = arange(width, device=lp.device) < 2
    alpha = emit[0].where(start, _NO_PATH)
    lengths = _ints(in_len, lp.device)
    for t in range(1, steps):
        one = cat([neg, alpha[:, :-1]], 1)
        two = cat([neg, neg, alpha[:, :-2]], 1)[:, :width].where(skip, _NO_PATH)
        step = stack([alpha, one, two]).logsumexp(0) + emit[t]
        alpha = step.where((lengths > t).unsqueeze(1), alpha)
    ends = _ints([2 * k for k in tg_len], lp.device).unsqueeze(1)
    last = alpha.gather(1, ends).squeeze(1)
    before = alpha.gather(1, (ends - 1).clamp_min(0)).squeeze(1).where(ends.squeeze(1) > 0, _NO_PATH)
    nll = -stack([last, before]).logsumexp(0)
    # an empty input aligns only the empty target (log 1, -0.0 as torch's); its alpha above read step 0
    empty = _ints(tg_len, lp.device) == 0
    nll = nll.where(lengths > 0, lp.new_full((batch,), -0.0).where(empty, -_NO_PATH))
    impossible = nll > -_NO_PATH / 2
    # torch's gradient adds exp(log_probs) within each input length (see the docstring): a term of value 0
    within = (arange(steps, device=lp.device).unsqueeze(1) < lengths).unsqueeze(2)
    extra = ((lp - lp.detach()) * lp.detach().exp() * within).sum((0, 2))
    nll = (nll.where(~impossible, float("inf")) + extra).where((lengths > 0) | ~empty, -0.0)
    if zero_infinity:
        nll = nll.where(~impossible, 0.0)
    if reduction == "mean":
        return (nll / _ints(tg_len, lp.device).clamp_min(1).to(nll.dtype)).mean()
    loss = nll.sum() if reduction == "sum" else nll
    return loss.squeeze(0) if unbatched and reduction == "none" else loss


def linear_cross_entropy(input: Tensor, linear_weight: Tensor, target: Tensor, *,
                         linear_bias: Tensor | None = None, weight: Tensor | None = None,
                         reduction: str = "mean", ignore_index: int | None = None,
                         label_smoothing: float = 0.0, options=None) -> Tensor:
    """``cross_entropy(linear(input, linear_weight, linear_bias), target, ...)``, torch 2.13's fused loss of
    a classifier head. ``linear_weight`` of shape ``(C, d_1, ..., d_K, in_features)`` gives K-dimensional
    logits ``(N, C, d_1, ..., d_K)``. ``options`` (torch's chunking of the logits, to save memory) is taken
    and computes the same loss unchunked.

    Args:
        input (Tensor): ``(in_features)`` or ``(N, in_features)``.
        linear_weight (Tensor): ``(C, in_features)`` or ``(C, d_1, ..., d_K, in_features)``.
        target (Tensor): class indices, or class probabilities of the logits' shape.
        linear_bias, weight, reduction, label_smoothing: as ``linear`` and ``cross_entropy``.
        ignore_index (int, optional): as cross_entropy's (None: -100); refused with probabilities.
    """
    if input.dim() < 1 or input.dim() > 2:
        raise RuntimeError(f"expected input with dimensionality 1 or 2, got {input.dim()}")
    if linear_weight.dim() < 2:
        raise RuntimeError("expected linear_weight with dimensionality at least 2, got "
                           f"{linear_weight.dim()}")
    batch, features = tuple(input.shape[:-1]), input.shape[-1]
    if features != linear_weight.shape[-1]:
        raise RuntimeError("expected equal input and linear_weight last dimensions (in_features), got "
                           f"{features} and {linear_weight.shape[-1]}, respectively")
    classes, spatial = linear_weight.shape[0], tuple(linear_weight.shape[1:-1])
    if linear_bias is not None and tuple(linear_bias.shape) != (classes, *spatial):
        raise RuntimeError(f"expected linear_bias shape {(classes, *spatial)}, got "
                           f"{tuple(linear_bias.shape)}")
    if spatial and not batch:
        raise RuntimeError(f"K-dimensional loss defined by linear_weight shape {tuple(linear_weight.shape)} "
                           f"requires batched input, (N, {features}), got unbatched input with shape "
                           f"{tuple(input.shape)}")
    shape = (*batch, classes, *spatial)
    if tuple(target.shape) == shape and ignore_index is not None:
        raise RuntimeError("ignore_index cannot be specified when target contains probabilities")
    bias = None if linear_bias is None else linear_bias.reshape(-1)
    logits = linear(input, linear_weight.reshape(-1, features), bias).reshape(shape)
    ignored = -100 if ignore_index is None else ignore_index
    return cross_entropy(logits, target, weight, ignore_index=ignored, reduction=reduction,
                         label_smoothing=label_smoothing)
