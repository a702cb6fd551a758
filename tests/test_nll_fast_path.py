"""nll_loss's one-op path on cpu ((N, C) scores, int64 class indices, no class weight) against the
composite it stands in for: with a weight of ones the composite computes the same steps (the picked
scores negated, times a 0/1 weight, summed, divided by the summed weights), so the two must agree bit
for bit, forward, gradient and double backward, nan/inf scores and ignored rows included. Node names
and values are checked against torch."""
import numpy as np
import pytest
import torch

import pyfront


def _bits(t):
    return np.atleast_1d(t.detach().numpy()).view(np.uint8)


def _values(t):
    return np.atleast_1d(t.detach().numpy())


def _same(u, w, nan_signs=True):
    """Bit for bit; without ``nan_signs``, a NaN matches a NaN of either sign (torch's own NaN signs in
    nll_loss follow its kernel's cascade of subtractions, which neither path follows yet: see below)."""
    if nan_signs:
        return np.array_equal(u.view(np.uint8), w.view(np.uint8))
    both = np.isnan(u) & np.isnan(w)
    return np.array_equal(np.where(both, 0, u).view(np.uint8), np.where(both, 0, w).view(np.uint8))


def _case(rng, n, c, dtype):
    x = (rng.standard_normal((n, c)) * rng.choice([1.0, 50.0])).astype(dtype)
    if n:
        hit = rng.random(x.shape) < 0.05
        x[hit] = rng.choice([np.inf, -np.inf, np.nan, 0.0, -0.0], hit.sum())
    t = rng.integers(0, c, n)
    t[rng.random(n) < 0.25] = -100
    return x, t


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_the_one_op_path_is_the_composite_bit_for_bit(reduction):
    rng = np.random.default_rng(7)
    for i in range(40):
        n, c = (0, 5) if i == 0 else (int(rng.integers(1, 70)), int(rng.integers(1, 12)))
        x, t = _case(rng, n, c, np.float32 if i % 2 else np.float64)
        target = pyfront.tensor(t)
        results = []
        for weight in (None, pyfront.ones(c, dtype=pyfront.tensor(x).dtype)):
            xp = pyfront.tensor(x, requires_grad=True)
            for loss_fn in (pyfront.nn.functional.nll_loss, pyfront.nn.functional.cross_entropy):
                loss = loss_fn(xp, target, weight=weight, reduction=reduction)
                v = pyfront.ones_like(loss, requires_grad=True)
                (g,) = pyfront.autograd.grad(loss, xp, v, create_graph=True)
                (gg,) = pyfront.autograd.grad(g, v, pyfront.ones_like(g))
                results.append([_values(loss), _values(g), _values(gg)])
        fast, slow = results[:2], results[2:]
        for a, b in zip(fast, slow):
            for u, w in zip(a, b):
                assert _same(u, w, nan_signs=False), (i, n, c, reduction)


@pytest.mark.xfail(strict=True, reason="the one-op path's double backward gives +NaN where torch and the "
                   "composite give -NaN (a sum of NaNs of both signs: the sign is the order's)")
def test_double_backward_nan_sign_as_torch():
    rng = np.random.default_rng(7)
    for i in range(9):  # the sweep's ninth case (39 rows of 5 scores, NaN and inf among them)
        n, c = (0, 5) if i == 0 else (int(rng.integers(1, 70)), int(rng.integers(1, 12)))
        x, t = _case(rng, n, c, np.float32 if i % 2 else np.float64)
    for lib in (torch, pyfront):
        xp = lib.tensor(x, requires_grad=True)
        loss = lib.nn.functional.cross_entropy(xp, lib.tensor(t), reduction="sum")
        v = lib.ones_like(loss, requires_grad=True)
        (g,) = lib.autograd.grad(loss, xp, v, create_graph=True)
        (gg,) = lib.autograd.grad(g, v, lib.ones_like(g))
        if lib is torch:
            expected = _bits(gg)
    assert np.array_equal(_bits(gg), expected)


def test_the_one_op_path_follows_torch():
    rng = np.random.default_rng(3)
    x, t = _case(rng, 30, 7, np.float32)
    x[np.isnan(x) | np.isinf(x)] = 1.0
    xp, xt = pyfront.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    lp = pyfront.nn.functional.cross_entropy(xp, pyfront.tensor(t))
    lt = torch.nn.functional.cross_entropy(xt, torch.tensor(t))
    lp.backward()
    lt.backward()
    assert type(lp.grad_fn).__name__ == type(lt.grad_fn).__name__ == "NllLossBackward0"
    assert [type(f).__name__ for f, _ in lp.grad_fn.next_functions] == \
        [type(f).__name__ for f, _ in lt.grad_fn.next_functions]
    torch.testing.assert_close(torch.tensor(lp.detach().numpy()), lt.detach())
    torch.testing.assert_close(torch.tensor(xp.grad.numpy()), xt.grad)
    for lib in (pyfront, torch):
        with pytest.raises(IndexError, match="Target 9 is out of bounds."):
            lib.nn.functional.nll_loss(lib.zeros(2, 7), lib.tensor([1, 9]))
