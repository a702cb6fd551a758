"""softmax's and log_softmax's gradient as one op, torch's _softmax_backward_data / _log_softmax_backward_data
(issue 13: a training step's cross_entropy backward), where no graph of the gradient is recorded: bit for bit
the formulas it stands in for (their four ops, still run for double backward and strided gradients; 16-bit
ones compute in float32, as torch's kernel, and take the op there),
and torch's bits on edge rows (infinities, NaN, -0.0, one-hot and empty rows) whose exps are exact. relu's
gradient mask, read off relu's output in one comparison, against torch's double backward too."""
import numpy as np
import pytest
import torch

import pyfront
from pyfront.ops.primitives import reductions

INF, NAN = np.inf, np.nan
ROWS = [[0.0, -INF, -INF], [-INF, 5.0, -INF], [NAN, 1.0, 2.0], [INF, 1.0, 2.0], [-INF, -INF, -INF],
        [3.0, 3.0, 3.0], [-0.0, -INF, 0.0], [1e30, -1e30, 0.0]]
GRADS = [[1.0, -0.0, 0.0], [INF, 2.0, -3.0], [NAN, 0.0, 1.0], [-0.0, -0.0, -0.0], [0.25, 0.5, -0.75],
         [-INF, INF, 0.0], [1e-45, -1e-45, 2.0], [0.0, 0.0, -1.0]]


def _same(a, b) -> bool:
    """The same bits, NaN for NaN (its payload is no number torch's kernels agree on)."""
    a, b = np.asarray(a), np.asarray(b)
    nan = np.isnan(a)
    return a.shape == b.shape and np.array_equal(nan, np.isnan(b)) and a[~nan].tobytes() == b[~nan].tobytes()


def _gradient(lib, fn, x, g, dim):
    xt = lib.tensor(x, requires_grad=True)
    y = getattr(lib.nn.functional, fn)(xt, dim)
    return y.detach().numpy(), lib.autograd.grad(y, xt, lib.tensor(g))[0].numpy()


@pytest.fixture
def one_kernel_calls(monkeypatch):
    """How often the one op ran (its rule wrapped)."""
    calls = []
    for op in reductions._SOFTMAX_BACKWARD.values():
        def counted(np, *args, _rule=op.numpy, **kwargs):
            calls.append(1)
            return _rule(np, *args, **kwargs)
        monkeypatch.setattr(op, "numpy", counted)
    return calls


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_edge_rows_are_torchs_bits(fn, dtype, one_kernel_calls):
    x, g = np.array(ROWS, dtype), np.array(GRADS, dtype)
    for dim, (xs, gs) in ((1, (x, g)), (0, (x.T.copy(), g.T.copy())), (1, (x[:0], g[:0]))):
        ours, theirs = _gradient(pyfront, fn, xs, gs, dim), _gradient(torch, fn, xs, gs, dim)
        assert _same(ours[0], theirs[0]) and _same(ours[1], theirs[1]), (dim, ours, theirs)
    assert len(one_kernel_calls) == 2  # (the empty one computes nothing)


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
def test_the_one_op_is_the_formulas_bit_for_bit(fn, monkeypatch, one_kernel_calls):
    rng = np.random.default_rng(34)
    cases = []
    for shape in [(256, 10), (7, 33), (3, 200), (5,), (2, 3, 9), (1, 1)]:
        for dtype in ("float32", "float64"):
            x, g = (rng.standard_normal(shape) * 6).astype(dtype), rng.standard_normal(shape).astype(dtype)
            hit = rng.random(shape) < 0.1
            x[hit] = rng.choice([INF, -INF, NAN, 0.0, -0.0], hit.sum())
            g[rng.random(shape) < 0.1] = -0.0
            cases += [(x, g, dim) for dim in range(len(shape))]
    fused = [_gradient(pyfront, fn, *case) for case in cases]
    assert len(one_kernel_calls) == len(cases)
    monkeypatch.setattr(reductions, "_one_kernel", lambda g, y: False)
    formulas = [_gradient(pyfront, fn, *case) for case in cases]
    assert len(one_kernel_calls) == len(cases)
    for case, a, b in zip(cases, fused, formulas):
        assert a[1].tobytes() == b[1].tobytes(), (case[0].shape, case[0].dtype, case[2])


def test_graphs_of_the_gradient_and_other_layouts_take_the_formulas(one_kernel_calls):
    x = pyfront.randn(4, 5, requires_grad=True)
    y = pyfront.nn.functional.log_softmax(x, 1)
    (g,) = pyfront.autograd.grad(y, x, pyfront.ones(4, 5), create_graph=True)  # double backward's graph
    assert g.grad_fn is not None
    pyfront.autograd.grad(y, x, pyfront.ones(5, 4).t(), retain_graph=True)  # a strided gradient
    pyfront.autograd.grad(y, x, pyfront.ones(5).expand(4, 5), retain_graph=True)  # an expanded one
    assert not one_kernel_calls
    pyfront.autograd.grad(y, x, pyfront.ones(4, 5))
    assert len(one_kernel_calls) == 1


@pytest.mark.parametrize("fn, event", [("log_softmax", "aten::_log_softmax_backward_data"),
                                       ("softmax", "aten::_softmax_backward_data")])
def test_a_backward_records_torchs_kernel(fn, event):
    names = []
    for lib in (pyfront, torch):
        x = lib.randn(6, 4, requires_grad=True)
        y = getattr(lib.nn.functional, fn)(x, 1)
        with lib.profiler.profile(activities=[lib.profiler.ProfilerActivity.CPU]) as prof:
            y.backward(lib.ones(6, 4))
        names.append({e.name for e in prof.events()})
    assert event in names[0] and event in names[1]
    assert "aten::exp" not in names[0]


def test_cross_entropy_of_edge_rows_is_torchs():
    for dtype in ("float32", "float64"):
        # (not the row of threes: its softmax of -log(3), exp'd by NumPy, is not SLEEF's float32 in torch)
        x = np.array(ROWS[:5] + ROWS[6:], dtype)
        t = np.array([0, 1, 2, 0, 1, 2, 0])
        got = []
        for lib in (pyfront, torch):
            xt = lib.tensor(x, requires_grad=True)
            for reduction in ("none", "sum"):
                loss = lib.nn.functional.cross_entropy(xt, lib.tensor(t), reduction=reduction)
                got.append(loss.detach().numpy())
                got.append(lib.autograd.grad(loss, xt, lib.ones_like(loss))[0].numpy())
        half = len(got) // 2
        for ours, theirs in zip(got[:half], got[half:]):
            assert _same(ours, theirs), (dtype, ours, theirs)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_relus_double_backward_is_torchs_bits(dtype):
    """ThresholdBackwardBackward0: the incoming gradient masked by relu's output again (NaN passes, -0.0 and
    +0 do not), read off relu's output as its first backward reads it."""
    values = np.array([-0.0, 0.0, -1.0, 2.0, INF, -INF, 1e-40, -1e-40, NAN, -NAN], dtype)
    x = np.resize(values, 40)
    g = np.resize(np.roll(values, 3), 40)
    gg = np.resize(values[::-1], 40)
    got = []
    for lib in (pyfront, torch):
        xt, gt = lib.tensor(x, requires_grad=True), lib.tensor(g, requires_grad=True)
        (gx,) = lib.autograd.grad(lib.relu(xt), xt, gt, create_graph=True)
        (ggx,) = lib.autograd.grad(gx, gt, lib.tensor(gg))
        got.append((gx.detach().numpy().tobytes(), ggx.numpy().tobytes()))
    assert got[0] == got[1]
