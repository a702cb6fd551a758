"""The engine's ownership of gradients: a gradient a VJP hands back may be kept by a leaf as its ``.grad``
with no copy, or added into in place, only where the VJP made it. A tensor the node saved is the user's
(torch's AccumulateGrad sees it held twice and copies), so it is neither kept nor written, whether or not the
graph is retained. mul's VJP is made to hand back its saved operand ``y`` itself: for ``(x * y).sum()`` that
is x's true gradient, ``y``."""
import pytest
import torch

import pyfront
from pyfront.ops.registry import OPS


@pytest.fixture
def y(monkeypatch):
    y = pyfront.tensor([1.0, 2.0, 3.0])
    original = OPS["mul"].vjp

    def vjp(c, g):  # d(x * y)/dx handed back as the saved y itself, where the incoming gradient is ones
        if c.inputs[1] is y and g.eq(1).all():
            return y, None
        return original(c, g)

    monkeypatch.setattr(OPS["mul"], "vjp", vjp)
    return y


@pytest.mark.parametrize("retain_graph", [False, True])
def test_a_saved_operand_handed_back_is_not_kept_as_grad(y, retain_graph):
    x = pyfront.tensor([0.5, -1.0, 2.0], requires_grad=True)
    (x * y).sum().backward(retain_graph=retain_graph)
    assert x.grad is not y and x.grad.untyped_storage().data_ptr() != y.untyped_storage().data_ptr()
    (x * y).sum().backward()  # accumulated into x.grad in place: y must not see it
    assert x.grad.tolist() == [2.0, 4.0, 6.0]
    assert y.tolist() == [1.0, 2.0, 3.0]


def test_a_saved_operand_handed_back_is_not_added_into(y):
    data = [0.5, -1.0, 2.0]
    x, tx = pyfront.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    for lib, leaf, other in ((pyfront, x, y), (torch, tx, torch.tensor([1.0, 2.0, 3.0]))):
        a = leaf.exp()
        s2 = a.sum()
        s1 = (a * other).sum()  # its MulBackward runs before s2's SumBackward: y reaches a's buffer first
        (s1 + s2).backward()
    assert y.tolist() == [1.0, 2.0, 3.0]
    torch.testing.assert_close(torch.from_numpy(x.grad.numpy()), tx.grad)
