"""Loss layers: each holds its reduction (and weights, as buffers) and calls ``nn.functional``."""

from __future__ import annotations

from ...tensor import Tensor
from .. import functional as F
from ..functional.loss import _legacy_reduction
from .module import Module

__all__ = [
    "L1Loss",
    "MSELoss",
    "SmoothL1Loss",
    "HuberLoss",
    "NLLLoss",
    "CrossEntropyLoss",
    "BCELoss",
    "BCEWithLogitsLoss",
    "KLDivLoss",
    "SoftMarginLoss",
    "MarginRankingLoss",
    "HingeEmbeddingLoss",
    "PoissonNLLLoss",
    "MultiLabelSoftMarginLoss",
    "TripletMarginLoss",
]


class _Loss(Module):
    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__()
        self.reduction = _legacy_reduction(size_average, reduce, reduction)


class _WeightedLoss(_Loss):
    def __init__(
        self, weight: Tensor | None = None, size_average=None, reduce=None, reduction: str = "mean"
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class L1Loss(_Loss):
    """Mean absolute error: ``l_n = |x_n - y_n|``, then reduced.

    Args:
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input: ``(*)``, any shape; target: broadcastable to it (a different size warns); output: scalar, or
            the broadcast shape with ``reduction='none'``.

    Raises:
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``, or ``weight``'s shape
            differs from ``input``'s.

    Matches ``torch.nn.L1Loss``; its forward calls ``F.l1_loss`` (whose errors it raises).
    """
    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class MSELoss(_Loss):
    """Mean squared error: ``l_n = (x_n - y_n)^2``, then reduced.

    Args:
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input: ``(*)``, any shape; target: broadcastable to it (a different size warns); output: scalar, or
            the broadcast shape with ``reduction='none'``.

    Raises:
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``, or ``weight``'s shape
            differs from ``input``'s.
        NotImplementedError: the promoted dtype is not floating point.

    Matches ``torch.nn.MSELoss``; its forward calls ``F.mse_loss`` (whose errors it raises).
    """
    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """Smooth L1: ``0.5 * d^2 / beta`` where ``d = |x - y| < beta``, else ``d - 0.5 * beta``; reduced.

    ``beta = 0`` gives the L1 loss.

    Args:
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``
        beta (float): the quadratic-to-linear switch (>= 0). Default: 1.0

    Shape:
        input: ``(*)``, any shape; target: broadcastable to it (a different size warns); output: scalar, or
            the broadcast shape with ``reduction='none'``.

    Raises:
        RuntimeError: ``beta < 0``.
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``.
        NotImplementedError: the promoted dtype is not floating point.

    Matches ``torch.nn.SmoothL1Loss``; its forward calls ``F.smooth_l1_loss`` (whose errors it raises).
    """
    def __init__(self, size_average=None, reduce=None, reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """Huber loss: ``0.5 * d^2`` where ``d = |x - y| < delta``, else ``delta * (d - 0.5 * delta)``; reduced.

    Args:
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``
        delta (float): the quadratic-to-linear switch (> 0). Default: 1.0

    Shape:
        input: ``(*)``, any shape; target: broadcastable to it (a different size warns); output: scalar, or
            the broadcast shape with ``reduction='none'``.

    Raises:
        RuntimeError: ``delta <= 0``, or the promoted dtype cannot be cast to ``input``'s.
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``, or ``weight``'s shape
            differs from ``input``'s.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.HuberLoss``; its forward calls ``F.huber_loss`` (whose errors it raises).
    """
    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class NLLLoss(_WeightedLoss):
    """Negative log likelihood: ``l_n = -w[y_n] * x[n, y_n]``, ``x`` holding log-probabilities over dim 1.

    Args:
        weight (Tensor, optional): per-class weights ``(C,)``, kept as a buffer. Default: None
        ignore_index (int): targets of this class add nothing to the loss. Default: -100
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

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

    Matches ``torch.nn.NLLLoss``; its forward calls ``F.nll_loss`` (whose errors it raises).
    """
    def __init__(
        self,
        weight: Tensor | None = None,
        size_average=None,
        ignore_index: int = -100,
        reduce=None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(
            input, target, weight=self.weight, ignore_index=self.ignore_index, reduction=self.reduction
        )


class CrossEntropyLoss(_WeightedLoss):
    """Cross entropy of unnormalised scores: ``log_softmax`` over the class dim, then NLL.

    Class indices: ``l_n = -w[y_n] * log_softmax(x_n)[y_n]``. Class probabilities (target of the input's
    shape): ``l_n = -sum_c w_c * y_nc * log_softmax(x_n)_c``. ``label_smoothing`` eps mixes the target with
    the uniform distribution: ``(1 - eps) * y + eps / C``.

    Args:
        weight (Tensor, optional): per-class weights ``(C,)``, kept as a buffer. Default: None
        ignore_index (int): targets of this class add nothing to the loss. Default: -100
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``
        label_smoothing (float): in ``[0, 1]``; mixes the target with the uniform distribution. Default: 0.0

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

    Matches ``torch.nn.CrossEntropyLoss``; its forward calls ``F.cross_entropy`` (whose errors it raises).
    """
    def __init__(
        self,
        weight: Tensor | None = None,
        size_average=None,
        ignore_index: int = -100,
        reduce=None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(
            input,
            target,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class BCELoss(_WeightedLoss):
    """Binary cross entropy of probabilities: ``l_n = -w_n * (y_n log x_n + (1 - y_n) log(1 - x_n))``.

    Each log is clamped at -100, as PyTorch does, so the loss stays finite at 0 and 1.

    Args:
        weight (Tensor, optional): rescaling weight broadcast to the input, kept as a buffer. Default: None
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input: ``(*)``; target: ``(*)``, the same shape; output: scalar, or ``(*)`` with ``reduction='none'``.

    Raises:
        ValueError: the target's shape differs from the input's; a bad ``reduction``.
        RuntimeError: dtypes differ, or an element of ``input`` or ``target`` outside ``[0, 1]`` (NaN too).
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.BCELoss``; its forward calls ``F.binary_cross_entropy`` (whose errors it raises).
    """
    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Sigmoid plus binary cross entropy in one stable step, on logits.

    ``l_n = -w_n * (p * y_n * log(sigmoid(x_n)) + (1 - y_n) * log(1 - sigmoid(x_n)))``, p = ``pos_weight``.

    Args:
        weight (Tensor, optional): rescaling weight broadcast to the input (a buffer). Default: None
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``
        pos_weight (Tensor, optional): weight of the positive term, one per class (a buffer). Default: None

    Shape:
        input: ``(*)``; target: ``(*)``, the same shape; output: scalar, or ``(*)`` with ``reduction='none'``.

    Raises:
        ValueError: the target's shape differs from the input's; a bad ``reduction``.
        RuntimeError: the result dtype cannot be cast to the target's (an integer target).

    Matches ``torch.nn.BCEWithLogitsLoss``; its forward calls ``F.binary_cross_entropy_with_logits`` (whose
    errors it raises).
    """
    def __init__(
        self,
        weight: Tensor | None = None,
        size_average=None,
        reduce=None,
        reduction: str = "mean",
        pos_weight: Tensor | None = None,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(
            input, target, self.weight, pos_weight=self.pos_weight, reduction=self.reduction
        )


class KLDivLoss(_Loss):
    """Kullback-Leibler divergence, pointwise: ``l = y * (log y - x)`` with ``x`` in log-space.

    ``log_target=True`` takes ``y`` in log-space too: ``l = exp(y) * (y - x)``. ``y = 0`` gives 0.

    Args:
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'``, ``'batchmean'``, ``'sum'`` or ``'mean'`` (warns). Default: ``'mean'``
        log_target (bool): the target is in log-space. Default: False

    Shape:
        input: ``(*)``; target: ``(*)``, the same shape; output: scalar, or ``(*)`` with ``reduction='none'``.

    Raises:
        RuntimeError: an integer input or target.
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'`` (or ``'batchmean'``).

    Matches ``torch.nn.KLDivLoss``; its forward calls ``F.kl_div`` (whose errors it raises).
    """
    def __init__(
        self, size_average=None, reduce=None, reduction: str = "mean", log_target: bool = False
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class SoftMarginLoss(_Loss):
    """Two-class logistic loss: ``l_n = log(1 + exp(-y_n * x_n))``, reduced.

    Args:
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input: ``(*)``; target: ``(*)``; output: scalar, or ``(*)`` with ``reduction='none'``.

    Raises:
        RuntimeError: the result cannot be cast back to the input's dtype (for example an integer input).
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``.

    Matches ``torch.nn.SoftMarginLoss``; its forward calls ``F.soft_margin_loss`` (whose errors it raises).
    """
    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.soft_margin_loss(input, target, reduction=self.reduction)


class MarginRankingLoss(_Loss):
    """Ranking loss: ``l_n = max(0, -y_n * (x1_n - x2_n) + margin)``, reduced.

    Args:
        margin (float): the required gap. Default: 0.0
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input1, input2, target: ``(N,)`` or ``()``, broadcastable; output: scalar, or ``(N,)`` with
            ``reduction='none'``.

    Raises:
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``.

    Matches ``torch.nn.MarginRankingLoss``; its forward calls ``F.margin_ranking_loss`` (whose errors it
    raises).
    """
    def __init__(self, margin: float = 0.0, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        return F.margin_ranking_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    """Hinge embedding loss: ``l_n = x_n`` where ``y_n = 1``, ``max(0, margin - x_n)`` where ``y_n = -1``.

    Args:
        margin (float): the margin for y = -1. Default: 1.0
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input: ``(*)``; target: ``(*)``, the same shape; output: scalar, or ``(*)`` with ``reduction='none'``.

    Raises:
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``.

    Matches ``torch.nn.HingeEmbeddingLoss``; its forward calls ``F.hinge_embedding_loss`` (whose errors it
    raises).
    """
    def __init__(self, margin: float = 1.0, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.hinge_embedding_loss(input, target, margin=self.margin, reduction=self.reduction)


class PoissonNLLLoss(_Loss):
    """Poisson negative log likelihood of ``target ~ Poisson(lambda)``, reduced.

    ``log_input``: ``l = exp(x) - y * x`` (x = log lambda); else ``l = x - y * log(x + eps)`` (x = lambda).
    ``full`` adds the Stirling term ``y log y - y + 0.5 log(2 pi y)`` where ``y > 1``.

    Args:
        log_input (bool): the input is log lambda. Default: True
        full (bool): add the Stirling approximation term. Default: False
        eps (float): added inside the log when not ``log_input``. Default: 1e-8
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input: ``(*)``; target: ``(*)``; output: scalar, or ``(*)`` with ``reduction='none'``.

    Raises:
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``.

    Matches ``torch.nn.PoissonNLLLoss``; its forward calls ``F.poisson_nll_loss`` (whose errors it raises).
    """
    def __init__(
        self,
        log_input: bool = True,
        full: bool = False,
        size_average=None,
        eps: float = 1e-8,
        reduce=None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input: Tensor, target: Tensor) -> Tensor:
        return F.poisson_nll_loss(
            log_input,
            target,
            log_input=self.log_input,
            full=self.full,
            eps=self.eps,
            reduction=self.reduction,
        )


class MultiLabelSoftMarginLoss(_WeightedLoss):
    """Multi-label one-vs-all logistic loss, averaged over the C classes.

    ``l_n = -1/C * sum_c w_c * (y_nc * log(sigmoid(x_nc)) + (1 - y_nc) * log(sigmoid(-x_nc)))``.

    Args:
        weight (Tensor, optional): per-class weights ``(C,)``, kept as a buffer. Default: None
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        input: ``(N, C)`` or ``(C,)``; target: the same shape; output: scalar, or ``(N,)`` with
            ``reduction='none'``.

    Raises:
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``.

    Matches ``torch.nn.MultiLabelSoftMarginLoss``; its forward calls ``F.multilabel_soft_margin_loss`` (whose
    errors it raises).
    """
    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.multilabel_soft_margin_loss(input, target, weight=self.weight, reduction=self.reduction)


class TripletMarginLoss(_Loss):
    """Triplet loss: ``l_n = max(0, d(a_n, p_n) - d(a_n, n_n) + margin)``, d the p-norm distance.

    Args:
        margin (float): the required gap (> 0). Default: 1.0
        p (float): the norm's exponent. Default: 2.0
        eps (float): added to differences in the distance. Default: 1e-6
        swap (bool): use the smaller of d(a, n) and d(p, n) (Balntas et al. 2016). Default: False
        size_average, reduce: deprecated; when either is given they set ``reduction`` (with a warning).
            Default: None
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``

    Shape:
        anchor, positive, negative: ``(N, D)`` or ``(D,)``; output: scalar, or ``(N,)`` with
            ``reduction='none'``.

    Raises:
        ValueError: ``margin <= 0``.
        ValueError: ``reduction`` is not one of ``'none'``, ``'mean'``, ``'sum'``.

    Matches ``torch.nn.TripletMarginLoss``; its forward calls ``F.triplet_margin_loss`` (whose errors it
    raises).
    """
    def __init__(
        self,
        margin: float = 1.0,
        p: float = 2.0,
        eps: float = 1e-6,
        swap: bool = False,
        size_average=None,
        reduce=None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginLoss: expected margin to be greater than 0, got {margin} instead")
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return F.triplet_margin_loss(
            anchor,
            positive,
            negative,
            margin=self.margin,
            p=self.p,
            eps=self.eps,
            swap=self.swap,
            reduction=self.reduction,
        )
