"""16-bit sums added one term at a time, each sum rounded, in the order a torch CPU kernel adds them.

Many of torch's CPU backward kernels (pools, ``Tensor.unfold``, ``embedding_bag``) add each contribution
into a zeroed float16 or bfloat16 gradient in turn: every sum is rounded to the dtype, so where an element
takes two or more contributions their order shows in the bits. A chain of ops (index_add, a float32
scatter) adds the same terms in float32 and rounds once. Here the terms go in rounds: round r adds each
element's r-th term (in the kernel's order), so no round holds one element twice and each round is one
vectorized ``index_put``.
"""
from __future__ import annotations

from .composite.shaping import cat
from .creation import arange, tensor, zeros
from .primitives import elementwise as ew
from ..tensor import Tensor


def add_in_order(shape, nd: int, targets: Tensor, shares: Tensor) -> Tensor:
    """A zeroed 16-bit tensor of ``shape`` (planes of its last ``nd`` dims), with ``shares`` added one at a
    time at ``targets``, each sum rounded. ``targets``: (planes or 1, M) flat indices into a plane, -1 for
    none, in torch's order; ``shares``: (planes, M) of the gradient's dtype."""
    planes, plane = shares.shape[0], 1
    for n in shape[len(shape) - nd:]:
        plane *= n
    targets = targets.expand(planes, targets.shape[-1])
    valid = targets >= 0
    where = (targets + arange(planes, device=shares.device).reshape(planes, 1) * plane)[valid]
    values = shares[valid]
    rank = rank_among_equals(where)
    out = zeros(planes * plane, dtype=shares.dtype, device=shares.device)
    rounds = int(rank.max().item()) + 1 if rank.numel() else 0
    for r in range(rounds):
        this = rank == r
        at = where[this]
        out = out.index_put((at,), out[at] + values[this])
    return out.reshape(shape)


def rank_among_equals(where: Tensor) -> Tensor:
    """Each entry's count of earlier entries equal to it."""
    n = where.numel()
    if n == 0:
        return where
    order = where.argsort(stable=True)
    ordered = where[order]
    first = cat([tensor([True], device=where.device), ordered[1:] != ordered[:-1]])
    at = arange(n, device=where.device)
    in_sorted = at - ew.where(first, at, 0).cummax(0).values
    return zeros(n, dtype=in_sorted.dtype, device=where.device).index_put((order,), in_sorted)
