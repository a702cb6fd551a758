"""max_pool1d/2d/3d (with or without indices), avg_pool1d/2d/3d and their adaptive forms on the cpu without
a recorded gradient run one kernel each (ops/primitives/pools.py: the composite's pad, windows, max or sum and
NaN pick in one NumPy pass); a recorded call keeps the composite, whose gradient is torch's. The kernel's
values and indices are the composite's to the bit (NaN, ties, signed zeros, infinities, 16-bit dtypes,
strided, stride-0 and channels-last inputs, padding, dilation, ceil_mode, count_include_pad,
divisor_override), and torch's."""
import numpy as np
import pytest
import torch

import pyfront
from pyfront.nn.functional import pooling
from pyfront.ops.primitives import pools

CALLS = {
    "max_pool2d": lambda F, x: F.max_pool2d(x, 2),
    "max_pool2d indices": lambda F, x: F.max_pool2d(x, 3, 2, 1, return_indices=True),
    "max_pool2d dilated ceil": lambda F, x: F.max_pool2d(x, (2, 3), (1, 2), (1, 0), (2, 1), True, True),
    "max_pool1d": lambda F, x: F.max_pool1d(x.flatten(2), 3, 2, 1, return_indices=True),
    "avg_pool2d": lambda F, x: F.avg_pool2d(x, 2),
    "avg_pool2d padded": lambda F, x: F.avg_pool2d(x, 3, 2, 1, True, False),
    "avg_pool2d override": lambda F, x: F.avg_pool2d(x, (3, 2), 1, (1, 0), divisor_override=5),
    "avg_pool1d": lambda F, x: F.avg_pool1d(x.flatten(2), 3, 2, 1, True, False),
    "max_pool3d": lambda F, x: F.max_pool3d(_deep(x), (2, 3, 2), (1, 2, 1), (1, 1, 0), (1, 1, 2), True, True),
    "avg_pool3d": lambda F, x: F.avg_pool3d(_deep(x), (3, 2, 2), 1, (1, 1, 0), True, False),
    "avg_pool3d override": lambda F, x: F.avg_pool3d(_deep(x), 2, divisor_override=3),
    "adaptive_avg_pool2d": lambda F, x: F.adaptive_avg_pool2d(x, (4, 5)),
    "adaptive_avg_pool1d": lambda F, x: F.adaptive_avg_pool1d(x.flatten(2), 8),
    "adaptive_avg_pool3d": lambda F, x: F.adaptive_avg_pool3d(_deep(x), (2, 3, None)),
    "adaptive_max_pool2d": lambda F, x: F.adaptive_max_pool2d(x, (3, 4), True),
    "adaptive_max_pool1d": lambda F, x: F.adaptive_max_pool1d(x.flatten(2), 9, True),
    "adaptive_max_pool3d": lambda F, x: F.adaptive_max_pool3d(_deep(x), (2, 4, 4), True),
}


def _deep(x):
    """``x`` as a volume of depth 3 (a stride-0 view: every window's maximum tied along the depth)."""
    return x.unsqueeze(-3).expand(*x.shape[:-2], 3, *x.shape[-2:])


def _data():
    g = np.random.default_rng(0)
    a = np.round(g.standard_normal((2, 3, 7, 6)) * 2) / 2  # ties
    a.reshape(-1)[[0, 5, 6, 40, 41, 90]] = [np.nan, np.nan, np.inf, -np.inf, np.nan, -0.0]
    a[1, 2, 2:5, 2:5] = -np.inf  # windows of -inf inside (not at an edge: see the lowest-window test)
    return a


def _inputs(dtype):
    x = pyfront.tensor(_data(), dtype=getattr(pyfront, dtype))
    return [x, x[0], x.contiguous(memory_format=pyfront.channels_last), x.transpose(2, 3)[..., ::2, :]]


def _seen(out):
    out = out if isinstance(out, tuple) else (out,)
    return [(str(o.dtype), tuple(o.shape), o.stride(), o.float().numpy().tobytes()) for o in out]


@pytest.mark.parametrize("name", sorted(CALLS))
def test_one_kernel_without_a_gradient(name):
    x = pyfront.randn(2, 3, 8, 8)
    F = pyfront.nn.functional
    with pyfront.profiler.profile(activities=[pyfront.profiler.ProfilerActivity.CPU]) as prof:
        CALLS[name](F, x)
    kernel = f"aten::{name.split('_pool')[0]}_pool_kernel"
    assert [e.name for e in prof.events() if e.name.startswith("aten::")] == [kernel]


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
def test_the_kernel_gives_the_composites_bits(dtype, monkeypatch):
    ops = (pools._max_pool_op, pools._avg_pool_op, pools._adaptive_max_op, pools._adaptive_avg_op)
    counts = {op.name: 0 for op in ops}

    def counted(op, rule):
        def run(*args, **kwargs):
            counts[op.name] += 1
            return rule(*args, **kwargs)
        return run

    for op in ops:
        monkeypatch.setattr(op, "numpy", counted(op, op.numpy))
    F = pyfront.nn.functional
    for x in _inputs(dtype):
        for name, call in CALLS.items():
            if name.startswith(("avg_pool3d", "adaptive_avg_pool3d")) and dtype in ("float16", "bfloat16"):
                continue  # (avg_pool3d refuses 16-bit inputs, as torch; adaptive_avg_pool3d rounds apart)
            fast = _seen(call(F, x))
            with monkeypatch.context() as m:
                m.setattr(pooling, "one_kernel", lambda *args, **kwargs: False)
                composite = _seen(call(F, x))
            assert fast == composite, (name, dtype, x.shape, x.stride())
    assert all(counts.values()), counts


@pytest.mark.parametrize("name", sorted(CALLS))
def test_values_indices_and_gradients_are_torchs(name):
    """The kernel's values and indices, and the composite's gradient (a recorded call), against torch's."""
    a = _data()
    results = []
    for lib in (torch, pyfront):
        x = lib.tensor(a, dtype=lib.float64)
        with lib.no_grad():
            kernel = CALLS[name](lib.nn.functional, x)
        x.requires_grad_()
        out = CALLS[name](lib.nn.functional, x)
        first = out[0] if isinstance(out, tuple) else out
        first.backward(lib.ones_like(first))
        kernel = kernel if isinstance(kernel, tuple) else (kernel,)
        results.append([np.asarray(t.detach().numpy()) for t in (*kernel, x.grad)])
    for want, got in zip(results[0][:-1], results[1][:-1]):
        np.testing.assert_array_equal(got, want)
    # (a padded average's gradient sums its windows' shares in the composite's order: an ulp from torch's)
    np.testing.assert_allclose(results[1][-1], results[0][-1], rtol=1e-12, atol=0)


def test_a_graph_keeps_the_composite_and_torchs_node():
    x = pyfront.randn(1, 2, 6, 6, requires_grad=True)
    F = pyfront.nn.functional
    assert F.max_pool2d(x, 2).grad_fn.name() == "MaxPool2DWithIndicesBackward0"
    assert F.avg_pool2d(x, 2).grad_fn.name() == "AvgPool2DBackward0"


LOWEST_WINDOWS = [("max_pool1d", (1, 2, 5), 3, 2, 1), ("max_pool2d", (1, 1, 4, 4), 3, 2, 1),
                  ("max_pool3d", (1, 1, 4, 4, 4), 3, 2, 1), ("max_pool2d", (2, 1, 5, 5), (3, 2), (2, 1), 1)]


@pytest.mark.parametrize("name, shape, k, s, p", LOWEST_WINDOWS)
@pytest.mark.parametrize("fill", ["-inf", "some -inf", "int32 min"])
def test_a_window_of_the_lowest_values_picks_its_first_real_cell(name, shape, k, s, p, fill):
    """Real values all the padding's lowest (-inf, int min): torch's scan starts at the window's first
    in-bounds element and keeps it, where a pick of the first maximum would take a padded cell; the kernel,
    the composite (autograd), and webgpu each give torch's values, indices and gradient."""
    if fill == "int32 min":
        x = torch.full(shape, -2 ** 31, dtype=torch.int32)
    else:
        x = torch.full(shape, -float("inf"))
        if fill == "some -inf":
            x.view(-1)[::3] = 1.0
    pool = getattr(torch.nn.functional, name)
    values, indices = pool(x, k, s, p, return_indices=True)
    devices = ["cpu", "webgpu"] if pyfront.webgpu.is_available() else ["cpu"]
    for device, grad in [(d, g) for d in devices for g in (False, x.dtype.is_floating_point)]:
        px = pyfront.tensor(x.numpy(), device=device, requires_grad=grad)
        v, i = getattr(pyfront.nn.functional, name)(px, k, s, p, return_indices=True)
        assert i.cpu().tolist() == indices.tolist() and str(v.detach().cpu().tolist()) == str(values.tolist())
        if grad:
            tx = x.clone().requires_grad_()
            pool(tx, k, s, p).sum().backward()
            getattr(pyfront.nn.functional, name)(px, k, s, p).sum().backward()
            assert px.grad.cpu().tolist() == tx.grad.tolist(), (device, name)


@pytest.mark.parametrize("name", ["max_pool2d indices", "avg_pool2d padded", "max_pool3d", "avg_pool3d"])
def test_the_kernel_runs_in_pieces_of_the_batch(name, monkeypatch):
    """The one-op kernels cap their window copies at CHUNK_BYTES as the composite does (in_pieces): a
    small cap splits the batch into several kernel calls, and the values are the whole's bits."""
    from pyfront.nn.functional import conv
    x = pyfront.tensor(np.random.default_rng(3).standard_normal((5, 2, 6, 7)).astype(np.float32))
    whole = _seen(CALLS[name](pyfront.nn.functional, x))
    calls = []
    run = pools.apply
    monkeypatch.setattr(pools, "apply", lambda *a, **k: calls.append(1) or run(*a, **k))
    monkeypatch.setattr(conv, "CHUNK_BYTES", 1)
    assert _seen(CALLS[name](pyfront.nn.functional, x)) == whole and len(calls) == 5
