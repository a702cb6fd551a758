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
