"""Several roots given to one backward, against torch: a root that another root's graph reaches (its
consumers counted once, so it and what it leads to run), the same root twice, and grad mode restored
after a backward that raised."""
import pytest
import torch

import pyfront


def _graph(lib):
    x = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = x * 2
    z = (y * y).sum()
    w = y.exp()
    return x, y, z, w


@pytest.mark.parametrize("pick", [
    lambda y, z, w: ([z, y], [None, "ones"]),  # y, a root, is reached from z
    lambda y, z, w: ([y, z, w], ["ones", None, "ones"]),
    lambda y, z, w: ([w, y, w], ["ones", "ones", "ones"]),  # one root twice: its gradients add
])
def test_roots_that_reach_each_other(pick):
    got = {}
    for lib in (pyfront, torch):
        x, y, z, w = _graph(lib)
        roots, kinds = pick(y, z, w)
        grads = [None if k is None else lib.ones_like(r) for r, k in zip(roots, kinds)]
        lib.autograd.backward(roots, grads)
        x2, y2, z2, w2 = _graph(lib)
        roots2, _ = pick(y2, z2, w2)
        got[lib] = x.grad.tolist() + lib.autograd.grad(roots2, x2, grads)[0].tolist()
    assert got[pyfront] == pytest.approx(got[torch])


@pytest.mark.parametrize("create_graph", [False, True])
def test_grad_mode_is_restored_after_a_backward_that_raised(create_graph):
    for lib in (pyfront, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        for outer in (True, False):
            y = (x * 3).sum()
            y.grad_fn.register_hook(lambda *_: 1 / 0)
            with lib.set_grad_enabled(outer):
                with pytest.raises(ZeroDivisionError):
                    y.backward(create_graph=create_graph)
                assert lib.is_grad_enabled() is outer
