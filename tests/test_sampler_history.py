"""torch records a random draw from tensors in a graph as a node whose gradient is zero: torch.normal with
tensor mean/std (NormalBackward1/2/3), torch.bernoulli(p) (BernoulliBackward0; a number p: a node with no
derivative), and every in-place fill (uniform_, normal_, bernoulli_, random_, ...) of a tensor that requires
grad. pyfront's draws dropped out of the graph (requires_grad False, so backward raised). Each case runs on
torch and pyfront and compares requires_grad, the node's name and the gradients backward gives."""
import pytest
import torch

import pyfront


def _history(lib, draw):
    p = lib.tensor([0.2, 0.5, 0.9], requires_grad=True)
    m = lib.tensor([[0.1], [0.3]], requires_grad=True)
    try:
        out = draw(lib, p, m)
    except RuntimeError as e:
        return "RuntimeError", str(e)[:80]
    node = out.grad_fn
    seen = (out.requires_grad, out.is_leaf, None if node is None else type(node).__name__)
    if not out.requires_grad:
        return seen
    try:
        out.float().sum().backward()
    except RuntimeError as e:
        return seen, ("RuntimeError", str(e)[:80])
    return seen, [None if g is None else g.tolist() for g in (p.grad, m.grad)]


DRAWS = {
    "normal(tensor, float)": lambda L, p, m: L.normal(p, 1.0),
    "normal(float, tensor)": lambda L, p, m: L.normal(0.0, p),
    "normal(tensor, tensor) broadcast": lambda L, p, m: L.normal(m, p),
    "bernoulli(p)": lambda L, p, m: L.bernoulli(p),
    "p.bernoulli()": lambda L, p, m: p.bernoulli(),
    "bernoulli(p, 0.3)": lambda L, p, m: L.bernoulli(p, 0.3),
    "uniform_": lambda L, p, m: (p * 1).uniform_(),
    "normal_": lambda L, p, m: (p * 1).normal_(),
    "log_normal_": lambda L, p, m: (p * 1).log_normal_(),
    "exponential_": lambda L, p, m: (p * 1).exponential_(),
    "cauchy_": lambda L, p, m: (p * 1).cauchy_(),
    "geometric_": lambda L, p, m: (p * 1).geometric_(0.5),
    "bernoulli_(0.5)": lambda L, p, m: (p * 1).bernoulli_(0.5),
    "bernoulli_(tensor p)": lambda L, p, m: L.zeros(3).bernoulli_(p),
    "random_()": lambda L, p, m: (p * 1).random_(),
    "random_(to)": lambda L, p, m: (p * 1).random_(5),
    "random_(from, to)": lambda L, p, m: (p * 1).random_(2, 5),
    "uniform_ of a view": lambda L, p, m: (m * 1)[0].uniform_(),
    "uniform_ of a leaf": lambda L, p, m: p.uniform_(),
    "under no_grad": lambda L, p, m: _no_grad(L, lambda: (p * 1).normal_()),
    "draw on a plain tensor": lambda L, p, m: L.zeros(3).normal_(),
}


def _no_grad(L, fn):
    with L.no_grad():
        return fn()


@pytest.mark.parametrize("name", list(DRAWS))
def test_sampler_history_as_torch(name):
    assert _history(pyfront, DRAWS[name]) == _history(torch, DRAWS[name])
