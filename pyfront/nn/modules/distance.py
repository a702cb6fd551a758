"""Distance layers: cosine similarity and pairwise distance, as ``torch.nn.modules.distance``."""

from __future__ import annotations

from ...tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = ["CosineSimilarity", "PairwiseDistance"]


class CosineSimilarity(Module):
    r"""The cosine similarity between ``x1`` and ``x2`` along ``dim``.

    .. math::
        \text{similarity} = \frac{x_1 \cdot x_2}{\max(\lVert x_1 \rVert_2, \epsilon)
        \cdot \max(\lVert x_2 \rVert_2, \epsilon)}

    Args:
        dim (int, optional): the dimension along which the similarity is computed. Default: 1
        eps (float, optional): the smallest norm, which keeps the division finite. Default: 1e-8

    Shape:
        - Input1: :math:`(\ast_1, D, \ast_2)` where D is at position ``dim``
        - Input2: :math:`(\ast_1, D, \ast_2)`, the same number of dimensions as x1, broadcastable to it
        - Output: :math:`(\ast_1, \ast_2)`

    Raises RuntimeError, as PyTorch, when the shapes do not broadcast or the common dtype is not a
    floating one. Follows ``torch.nn.CosineSimilarity`` (each norm is clamped separately).
    """

    __constants__ = ["dim", "eps"]

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim = dim
        self.eps = eps

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return F.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    r"""The p-norm distance between the rows of ``x1`` and ``x2``, with ``eps`` added to the difference.

    .. math::
        \mathrm{dist}(x, y) = \lVert x - y + \epsilon e \rVert_p

    where :math:`e` is the vector of ones.

    Args:
        p (float, optional): the norm degree; may be negative. Default: 2
        eps (float, optional): a small value added to the difference, so the norm's gradient stays
            finite where the inputs are equal. Default: 1e-6
        keepdim (bool, optional): whether to keep the vector dimension. Default: False

    Shape:
        - Input1: :math:`(N, D)` or :math:`(D)`
        - Input2: :math:`(N, D)` or :math:`(D)`, the same shape as Input1 (or broadcastable to it)
        - Output: :math:`(N)` or :math:`()`; with ``keepdim``, :math:`(N, 1)` or :math:`(1)`

    Raises RuntimeError, as PyTorch, when the shapes do not broadcast. Follows
    ``torch.nn.PairwiseDistance``.
    """

    __constants__ = ["norm", "eps", "keepdim"]

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm = p
        self.eps = eps
        self.keepdim = keepdim

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
