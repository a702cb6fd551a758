"""The in-place version error names the node whose output was written as torch 2.13 does: a generated node
by its op (Mul, Fill2, Clamp1), a hand-written C++ node by its class (torch::autograd::CopyBackwards,
torch::autograd::CopySlices), never a mangled form of the latter (a fresh user saw 'Copys')."""
import pytest
import torch

import pyfront

WRITES = {
    "copy_": lambda L, b: b.copy_(L.ones(4)),
    "copy_ into a view": lambda L, b: b[:2].copy_(L.ones(2)),
    "setitem": lambda L, b: b.__setitem__(0, 1.0),
    "mul_": lambda L, b: b.mul_(2),
    "fill_": lambda L, b: b.fill_(2),
    "zero_": lambda L, b: b.zero_(),
    "clamp_": lambda L, b: b.clamp_(0),
    "index_put_": lambda L, b: b.index_put_((L.tensor([0]),), L.tensor(1.0)),
}


def _message(L, write):
    a = L.ones(4, requires_grad=True)
    b = a * 1
    c = b.sin()
    write(L, b)
    with pytest.raises(RuntimeError) as e:
        c.sum().backward()
    return str(e.value)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_version_error_names_the_node_as_torch(name):
    assert _message(pyfront, WRITES[name]) == _message(torch, WRITES[name])


# tensor-bound clamp: torch's one node keeps the input and the bounds, so a write into any of them after the
# forward fails the backward (pyfront's selections kept only their masks and ran)
CLAMPS = {
    "clamp(a, lo)": lambda L, a, lo, hi: L.clamp(a, min=lo),
    "clamp(a, lo, hi)": lambda L, a, lo, hi: L.clamp(a, lo, hi),
    "clamp(a, max=hi)": lambda L, a, lo, hi: L.clamp(a, max=hi),
    "clamp_min": lambda L, a, lo, hi: L.clamp_min(a, lo),
    "clamp_max": lambda L, a, lo, hi: L.clamp_max(a, hi),
    # in place: the node keeps a copy of the original input (torch's clone of self), not the written one
    "a.clamp_(lo)": lambda L, a, lo, hi: a.clamp_(lo),
    "a.clamp_(lo, hi)": lambda L, a, lo, hi: a.clamp_(lo, hi),
    "a.clamp_min_(lo)": lambda L, a, lo, hi: a.clamp_min_(lo),
    "a.clamp_max_(hi)": lambda L, a, lo, hi: a.clamp_max_(hi),
}


def _clamp_outcome(L, form, written):
    leaf = L.tensor([0.0, 1.0, 2.0], requires_grad=True)
    a, lo, hi = leaf * 1, L.tensor([0.5, 0.5, 0.5], requires_grad=True) * 1, L.tensor([1.5, 1.5, 1.5])
    r = CLAMPS[form](L, a, lo, hi)
    saved = sorted(n for n in dir(r.grad_fn) if n.startswith("_saved"))
    {"input": a, "min": lo, "max": hi}[written].add_(1)
    try:
        r.sum().backward()
    except RuntimeError as e:
        return type(r.grad_fn).__name__, saved, str(e)
    return type(r.grad_fn).__name__, saved, leaf.grad.tolist()


@pytest.mark.parametrize("written", ["input", "min", "max"])
@pytest.mark.parametrize("form", sorted(CLAMPS))
def test_tensor_bound_clamp_keeps_what_torch_keeps(form, written):
    assert _clamp_outcome(pyfront, form, written) == _clamp_outcome(torch, form, written)
