"""``nn.AdaptiveLogSoftmaxWithLoss``: the adaptive softmax of Grave et al. 2016 ("Efficient softmax
approximation for GPUs").

The classes, ordered by frequency, are split by ``cutoffs`` into a shortlist and clusters. The head
scores the shortlist classes plus one entry per cluster; a cluster's own small network (a projection of
size ``in_features // div_value ** (i + 1)``, then its classes) scores the classes inside it. The
log-probability of a class in cluster i is the head's log-probability of cluster i plus the cluster's
log-probability of that class, so rare classes cost little compute."""
from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence

from ...ops.primitives.shaping import cat
from ...tensor import Tensor
from .. import functional as F
from .container import ModuleList, Sequential
from .linear import Linear
from .module import Module

__all__ = ["AdaptiveLogSoftmaxWithLoss"]

_ASMoutput = namedtuple("_ASMoutput", ["output", "loss"])


class AdaptiveLogSoftmaxWithLoss(Module):
    """The adaptive softmax: a shortlist of frequent classes in the head and the rest in clusters, as
    ``torch.nn.AdaptiveLogSoftmaxWithLoss``.

    Args:
        in_features (int): the features of each input row.
        n_classes (int): the number of classes.
        cutoffs (Sequence[int]): increasing, unique class indices in [1, n_classes - 1] where the
            shortlist ends and each cluster begins.
        div_value (float): cluster i projects to ``in_features // div_value ** (i + 1)`` features.
            Default: 4.0
        head_bias (bool): give the head a bias. Default: False
        device, dtype: where and in which dtype the parameters are made.

    forward(input, target) returns ``(output, loss)`` (a named tuple): each row's log-probability of its
    target ``(N,)`` (``()`` for a 1-D input and 0-d target) and the mean negative log-likelihood.
    ``log_prob(input)`` gives the full ``(N, n_classes)`` log-probabilities and ``predict(input)`` the most
    likely class of each row (both for 2-D input).

    Raises:
        ValueError: bad cutoffs. RuntimeError: target and input batches that differ, a target of the
        wrong rank, or target values outside [0, n_classes - 1] (torch's texts).
    """

    def __init__(self, in_features: int, n_classes: int, cutoffs: Sequence[int], div_value: float = 4.0,
                 head_bias: bool = False, device=None, dtype=None) -> None:
        super().__init__()
        cutoffs = list(cutoffs)
        valid = (len(cutoffs) > 0 and all(int(c) == c and 0 < c < n_classes for c in cutoffs)
                 and all(a < b for a, b in zip(cutoffs, cutoffs[1:])))
        if not valid:
            raise ValueError("cutoffs should be a sequence of unique, positive integers sorted in an "
                             "increasing order, where each value is between 1 and n_classes-1")
        self.in_features = in_features
        self.n_classes = n_classes
        self.cutoffs = cutoffs + [n_classes]
        self.div_value = div_value
        self.head_bias = head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        self.head = Linear(in_features, self.head_size, bias=head_bias, device=device, dtype=dtype)
        self.tail = ModuleList()
        for i, (low, high) in enumerate(zip(self.cutoffs, self.cutoffs[1:])):
            hidden = int(in_features // (div_value ** (i + 1)))
            self.tail.append(Sequential(Linear(in_features, hidden, bias=False, device=device, dtype=dtype),
                                        Linear(hidden, high - low, bias=False, device=device, dtype=dtype)))

    def reset_parameters(self) -> None:
        self.head.reset_parameters()
        for projection, scores in self.tail:
            projection.reset_parameters()
            scores.reset_parameters()

    def forward(self, input_: Tensor, target_: Tensor) -> _ASMoutput:
        if target_.dim() == 1:
            if input_.size(0) != target_.size(0):
                raise RuntimeError("Input and target should have the same size in the batch dimension.")
            if input_.dim() != 2:
                raise RuntimeError(f"1D target tensor expects 2D input tensors, but found inputs with size "
                                   f"{input_.size()}")
        elif target_.dim() == 0:
            if input_.dim() != 1:
                raise RuntimeError(f"0D target tensor expects 1D input tensors, but found inputs with size "
                                   f"{input_.size()}")
        else:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        batched = target_.dim() > 0
        input = input_ if batched else input_.unsqueeze(0)
        target = target_ if batched else target_.unsqueeze(0)

        # the head column each row reads: its class in the shortlist, else its cluster's entry
        column = target
        covered = (target >= 0) & (target < self.shortlist_size)
        output = input.new_zeros(target.size(0))
        for i, (low, high) in enumerate(zip(self.cutoffs, self.cutoffs[1:])):
            inside = (target >= low) & (target < high)
            rows = inside.nonzero().reshape(-1)
            if rows.numel() == 0:
                continue
            covered = covered | inside
            column = column.masked_fill(inside, self.shortlist_size + i)
            scores = F.log_softmax(self.tail[i](input.index_select(0, rows)), dim=1)
            within = scores.gather(1, (target.index_select(0, rows) - low).unsqueeze(1)).squeeze(1)
            output = output.index_add(0, rows, within)
        if not bool(covered.all()):
            raise RuntimeError(f"Target values should be in [0, {self.n_classes - 1}], but values in range "
                               f"[{target.min().item()}, {target.max().item()}] were found. ")
        head = F.log_softmax(self.head(input), dim=1)
        output = output + head.gather(1, column.unsqueeze(1)).squeeze(1)
        loss = (-output).mean()
        return _ASMoutput(output if batched else output.squeeze(0), loss)

    def _get_full_log_prob(self, input: Tensor, head_output: Tensor) -> Tensor:
        """(N, n_classes) log-probabilities: the shortlist's from the head, each cluster's as the head's
        cluster entry plus the cluster's own log-softmax."""
        head = F.log_softmax(head_output, dim=1)
        parts = [head[:, :self.shortlist_size]]
        for i, cluster in enumerate(self.tail):
            parts.append(F.log_softmax(cluster(input), dim=1) + head[:, self.shortlist_size + i].unsqueeze(1))
        return cat(parts, 1)

    def log_prob(self, input: Tensor) -> Tensor:
        """The log-probability of every class for each row of the 2-D ``input``: ``(N, n_classes)``."""
        return self._get_full_log_prob(input, self.head(input))

    def predict(self, input: Tensor) -> Tensor:
        """The most likely class of each row of the 2-D ``input`` (int64 ``(N,)``); the clusters run only
        for rows whose head's best entry is a cluster."""
        head_output = self.head(input)
        output = head_output.argmax(dim=1)
        outside = output >= self.shortlist_size
        if not bool(outside.any()):
            return output
        if bool(outside.all()):
            return self._get_full_log_prob(input, head_output).argmax(dim=1)
        output[outside] = self._get_full_log_prob(input[outside], head_output[outside]).argmax(dim=1)
        return output
