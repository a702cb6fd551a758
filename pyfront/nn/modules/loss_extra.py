"""Loss layers for the losses of ``functional/loss_extra.py``; each holds its options and calls it."""

from __future__ import annotations

from ... import _warnings
from ...tensor import Tensor
from .. import functional as F
from .distance import PairwiseDistance
from .loss import NLLLoss, _Loss, _WeightedLoss

__all__ = ["GaussianNLLLoss", "CosineEmbeddingLoss", "MultiMarginLoss", "MultiLabelMarginLoss",
           "TripletMarginWithDistanceLoss", "NLLLoss2d", "CTCLoss"]


class GaussianNLLLoss(_Loss):
    """Gaussian negative log likelihood: ``0.5 * (log(max(var, eps)) + (input - target)^2 / max(var, eps))``
    (plus ``0.5 * log(2 pi)`` with ``full``).

    Args:
        full (bool): add the constant. Default: False
        eps (float): the clamp on ``var``. Default: 1e-6
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input ``(N, *)``, target like input, var like input or one dim short or 1 in one dim; output:
        scalar, or input's shape with ``reduction='none'``.

    Raises:
        ValueError: from ``F.gaussian_nll_loss`` (negative var, var of incorrect size, invalid reduction).

    As ``torch.nn.GaussianNLLLoss`` (Nix and Weigend 1994).
    """

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(None, None, reduction)
        self.full, self.eps = full, eps

    def forward(self, input: Tensor, target: Tensor, var) -> Tensor:
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps, reduction=self.reduction)


class CosineEmbeddingLoss(_Loss):
    """Cosine embedding loss: ``1 - cos(x1, x2)`` where ``y = 1``, ``max(0, cos(x1, x2) - margin)`` where
    ``y = -1``.

    Args:
        margin (float): in [-1, 1]. Default: 0.0
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input1, input2 ``(N, D)`` or ``(D,)``; target ``(N,)`` or ``()``; output: scalar, or ``(N,)``.

    Raises:
        RuntimeError / ValueError: from ``F.cosine_embedding_loss``.

    As ``torch.nn.CosineEmbeddingLoss``.
    """

    def __init__(self, margin: float = 0.0, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        return F.cosine_embedding_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class MultiMarginLoss(_WeightedLoss):
    """Multi-class margin loss: ``sum_{i != y} w[y] * max(0, margin - x[y] + x[i])^p / C`` per sample.

    Args:
        p (int): 1 or 2. Default: 1
        margin (float): Default: 1.0
        weight (Tensor, optional): a weight per class, ``(C,)`` (a buffer).
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input ``(N, C)`` or ``(C,)``; target ``(N,)`` or ``()``; output: scalar, or ``(N,)``.

    Raises:
        ValueError: ``p`` other than 1 or 2; a weight that is not 1-D (PyTorch's texts).

    As ``torch.nn.MultiMarginLoss``.
    """

    def __init__(self, p: int = 1, margin: float = 1.0, weight: Tensor | None = None, size_average=None,
                 reduce=None, reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        if p != 1 and p != 2:
            raise ValueError("only p == 1 and p == 2 supported")
        if weight is not None and weight.dim() != 1:
            raise ValueError(f"MultiMarginLoss: expected weight to be None or 1D tensor, got {weight.dim()}D "
                             "instead")
        self.p, self.margin = p, margin

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.multi_margin_loss(input, target, p=self.p, margin=self.margin, weight=self.weight,
                                   reduction=self.reduction)


class MultiLabelMarginLoss(_Loss):
    """Multi-label margin loss: ``sum_{j, i} max(0, 1 - (x[y_j] - x[i])) / C`` over the target classes
    ``y_j`` (up to the first -1) and the other classes ``i``.

    Args:
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input ``(C,)`` or ``(N, C)``; target: int64 of input's shape; output: scalar, or ``(N,)``.

    Raises:
        RuntimeError / ValueError: from ``F.multilabel_margin_loss``.

    As ``torch.nn.MultiLabelMarginLoss``.
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.multilabel_margin_loss(input, target, reduction=self.reduction)


class TripletMarginWithDistanceLoss(_Loss):
    """Triplet loss with any distance: ``max(0, d(a, p) - d(a, n) + margin)``.

    Args:
        distance_function (callable, optional): ``d(x1, x2)``. Default: ``nn.PairwiseDistance()``
        margin (float): the required gap (> 0). Default: 1.0
        swap (bool): use ``min(d(a, n), d(p, n))`` (Balntas et al. 2016). Default: False
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        anchor, positive, negative ``(N, *)``; output: scalar, or ``(N,)``.

    Raises:
        ValueError: ``margin <= 0`` (PyTorch's text).

    As ``torch.nn.TripletMarginWithDistanceLoss``.
    """

    def __init__(self, *, distance_function=None, margin: float = 1.0, swap: bool = False,
                 reduction: str = "mean") -> None:
        super().__init__(None, None, reduction)
        if margin <= 0:
            raise ValueError("TripletMarginWithDistanceLoss: expected margin to be greater than 0, got "
                             f"{margin} instead")
        self.distance_function = distance_function if distance_function is not None else PairwiseDistance()
        self.margin, self.swap = margin, swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return F.triplet_margin_with_distance_loss(anchor, positive, negative,
                                                   distance_function=self.distance_function,
                                                   margin=self.margin, swap=self.swap,
                                                   reduction=self.reduction)


class NLLLoss2d(NLLLoss):
    """The deprecated name of ``NLLLoss`` (which takes ``(N, C, H, W)`` inputs itself); warns as PyTorch's.

    Args:
        weight, size_average, ignore_index, reduce, reduction: as ``NLLLoss``'s.

    Shape:
        as ``NLLLoss``.

    Raises:
        as ``NLLLoss``; a FutureWarning at construction.

    As ``torch.nn.NLLLoss2d``.
    """

    def __init__(self, weight: Tensor | None = None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean") -> None:
        _warnings.warn("`NLLLoss2d` has been deprecated. Please use `NLLLoss` instead as a drop-in "
                       "replacement and see https://pytorch.org/docs/main/nn.html#torch.nn.NLLLoss for more "
                       "details.",
                       FutureWarning)
        super().__init__(weight, size_average, ignore_index, reduce, reduction)


class CTCLoss(_Loss):
    """Connectionist Temporal Classification loss: ``-log`` of the summed probability of every alignment of
    each target to its input.

    Args:
        blank (int): the blank class. Default: 0
        reduction (str): ``'none'``, ``'mean'`` (each loss divided by its target length, then averaged) or
            ``'sum'``. Default: ``'mean'``
        zero_infinity (bool): an impossible alignment's loss and gradient become 0. Default: False

    Shape:
        ``forward(log_probs (T, N, C), targets (N, S) or concatenated, input_lengths (N,), target_lengths
        (N,))``; output: scalar, or ``(N,)`` with ``reduction='none'``.

    Raises:
        ValueError / RuntimeError: from ``F.ctc_loss``.

    As ``torch.nn.CTCLoss`` (Graves et al. 2006).
    """

    def __init__(self, blank: int = 0, reduction: str = "mean", zero_infinity: bool = False) -> None:
        super().__init__(reduction=reduction)
        self.blank, self.zero_infinity = blank, zero_infinity

    def forward(self, log_probs: Tensor, targets: Tensor, input_lengths, target_lengths) -> Tensor:
        return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank, self.reduction,
                          self.zero_infinity)
