"""In-place writes through a view, as torch 2.13 records them: the base's CopySlices node shows the base's
history, then the in-place op's other inputs as torch's node for that op takes them (none for zero_, fill_
with a number, masked_fill_ with a number, pow_/fmod_ by a number; the source of copy_; the value of fill_
and masked_fill_ with a tensor; other, not other * alpha, for add_/sub_ with alpha; the values of
index_put_; both bounds of clamp_ with tensors, None for an absent one), and the gradients are torch's.

The ops' own nodes (the same write on a tensor that is not a view) are compared too: add/sub with alpha,
index_put, fill_ with a tensor and tensor-bound clamp showed the nodes of pyfront's parts (the scaling's
MulBackward0, the broadcast ExpandBackward0, WhereBackward0).
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import pyfront

WRITES = {
    "copy_": lambda L, v, o, m: v.copy_(o),
    "copy_broadcast": lambda L, v, o, m: v.copy_(o[0]),
    "copy_no_grad_source": lambda L, v, o, m: v.copy_(o.detach()),
    "zero_": lambda L, v, o, m: v.zero_(),
    "fill_number": lambda L, v, o, m: v.fill_(2.0),
    "fill_tensor": lambda L, v, o, m: v.fill_(o[0, 0]),
    "add_alpha": lambda L, v, o, m: v.add_(o, alpha=2),
    "add_number_alpha": lambda L, v, o, m: v.add_(3, alpha=2),
    "sub_alpha": lambda L, v, o, m: v.sub_(o, alpha=2),
    "mul_": lambda L, v, o, m: v.mul_(o),
    "masked_fill_number": lambda L, v, o, m: v.masked_fill_(m, 3.0),
    "masked_fill_tensor": lambda L, v, o, m: v.masked_fill_(m, o[0, 0]),
    "masked_scatter_": lambda L, v, o, m: v.masked_scatter_(m, o),
    "index_put_": lambda L, v, o, m: v.index_put_((L.tensor([0, 1]),), o[:2]),
    "index_put_accumulate": lambda L, v, o, m: v.index_put_((L.tensor([0, 0]),), o[:2], accumulate=True),
    "setitem_number": lambda L, v, o, m: v.__setitem__(0, 5.0),
    "setitem_tensor": lambda L, v, o, m: v.__setitem__(0, o[0]),
    "setitem_advanced": lambda L, v, o, m: v.__setitem__(L.tensor([1, 0]), o),
    "clamp_numbers": lambda L, v, o, m: v.clamp_(min=0.0),
    "clamp_min_tensor": lambda L, v, o, m: v.clamp_(min=o),
    "clamp_both_tensors": lambda L, v, o, m: v.clamp_(o - 1, o + 1),
    "clamp_min_": lambda L, v, o, m: v.clamp_min_(o),
    "clamp_max_": lambda L, v, o, m: v.clamp_max_(o),
    "addcmul_": lambda L, v, o, m: v.addcmul_(o, o, value=2),
    "lerp_tensor": lambda L, v, o, m: v.lerp_(o, o),
    "pow_number": lambda L, v, o, m: v.pow_(2),
    "fmod_number": lambda L, v, o, m: v.fmod_(1.5),
    "relu_": lambda L, v, o, m: v.relu_(),
    "scatter_": lambda L, v, o, m: v.scatter_(0, L.tensor([[1, 0, 1]]), o[:1]),
    "index_fill_": lambda L, v, o, m: v.index_fill_(1, L.tensor([0]), 2.0),
    "index_add_alpha": lambda L, v, o, m: v.index_add_(0, L.tensor([1]), o[:1], alpha=2),
}
VIEWS = {
    "rows": lambda b: b[1:3],
    "transposed": lambda b: b.t()[:, 1:3].t(),
    "strided": lambda b: b.view(2, 6)[:, ::2],
    "not_a_view": lambda b: b[1:3].clone(),  # the op's own node
}


def _shown(fn, depth):
    """The node's name and its next_functions' (as a tutorial walks them), ``depth`` levels down."""
    if fn is None:
        return None
    if depth == 0:
        return fn.name()
    return fn.name(), tuple(_shown(n, depth - 1) for n, _ in fn.next_functions)


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("write", list(WRITES))
def test_write_through_a_view_shows_torchs_nodes(write, view):
    rng = np.random.default_rng(0)
    base_values = rng.standard_normal((4, 3)).astype(np.float32)
    other_values = rng.standard_normal((2, 3)).astype(np.float32)
    mask = np.array([[True, False, True], [False, True, False]])
    got = []
    for L in (torch, pyfront):
        leaf, other = (L.tensor(v, requires_grad=True) for v in (base_values, other_values))
        base = leaf * 1
        written = VIEWS[view](base)
        WRITES[write](L, written, other, L.tensor(mask))
        if written._base is None:  # (not a view: the op's own node)
            base = written
        weights = L.arange(float(base.numel())).reshape(base.shape)
        grads = L.autograd.grad((base * weights).sum(), [leaf, other], allow_unused=True)
        got.append((_shown(base.grad_fn, 3), [None if g is None else g.numpy().tolist() for g in grads]))
    (want_nodes, want_grads), (nodes, grads) = got
    assert nodes == want_nodes
    assert grads == want_grads
