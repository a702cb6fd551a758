"""Every webgpu kernel whose work grows with a dimension, at that dimension past 10^5 and past 2^17,
against torch. Kernels must bound the work of one invocation (ARCHITECTURE.md): lavapipe silently cut a
matmul's K at 47,663 and an argmax at 65,535, other drivers have watchdogs. Inputs are small
integers, so float32 results are exact and a dropped element shows."""
import numpy as np
import pytest
import torch

import pyfront
import pyfront.nn.functional as PF
from optable import assert_same
from webgpu_required import requires_webgpu

pytestmark = requires_webgpu
GPU = "webgpu"
SIZES = [100_000, 2**17 + 3]
EXACT = dict(rtol=0, atol=0)


def _pair(data):
    return pyfront.tensor(data, device=GPU), torch.tensor(data)


# (id, fn(lib, x, ints) -> result): x is (2, n) float32 in [-3, 3], ints the same values as int32
CASES = [
    ("sum", lambda L, x, i: (x.sum(1), x.sum(), i.sum(1))),
    ("prod", lambda L, x, i: x.sign().add(0.5).sign().prod(1)),  # +-1: exact
    ("amax_amin", lambda L, x, i: (x.amax(1), x.amin(1), i.amax(1))),
    ("all_any", lambda L, x, i: ((x > -3).all(1), (x > 2).any(1))),
    ("argmax_argmin", lambda L, x, i: (x.argmax(1), x.argmin(1), x.t().argmax(0), x.argmax(), i.argmin(1),
                                       _ramp(L, x).argmax(1), (-_ramp(L, x)).t().argmin(0))),  # the last wins
    ("cumsum", lambda L, x, i: (x.cumsum(1), x.t().cumsum(0), i.cumsum(1))),
    ("cumprod", lambda L, x, i: x.sign().add(0.5).sign().cumprod(1)),
    ("sort", lambda L, x, i: L.sort(x[0], descending=True, stable=True)),
    ("median", lambda L, x, i: x[1].median()),
    ("nonzero", lambda L, x, i: (x > 0).nonzero()),
    ("gather_scatter", lambda L, x, i: _gather_scatter(L, x)),
    ("mm", lambda L, x, i: (x @ x[:1].t(), i[:, 1:] @ i[:, 1:].t())),  # vec4 and scalar tile loads
    ("bmm", lambda L, x, i: L.bmm(x.unsqueeze(1), x.unsqueeze(2))),
]


def _ramp(L, x):
    """0, 1, ..., n - 1 along each row of ``x``: the extreme is the last element."""
    return x[:, :1] * 0 + L.arange(x.shape[1], device=x.device)


def _gather_scatter(L, x):
    n = x.shape[1]
    idx = (x.abs().long() * (n // 4)) % n  # many duplicates
    scattered = L.zeros(2, 8, device=x.device).scatter_add(1, idx % 8, x)
    put = L.zeros(8, device=x.device).index_put((idx[0] % 8,), x[0], accumulate=True)
    return x.gather(1, idx), scattered, put, x.index_select(1, idx[1])


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("case", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_long_dimension_matches_torch(case, n):
    data = np.random.default_rng(n).integers(-3, 4, (2, n)).astype(np.float32)
    (p, t), (pi, ti) = _pair(data), _pair(data.astype(np.int32))
    assert_same(case(pyfront, p, pi), case(torch, t, ti), **EXACT)


@pytest.mark.parametrize("n", SIZES)
def test_long_softmax_and_norm_rows_match_torch(n):
    data = np.random.default_rng(n).standard_normal((2, n)).astype(np.float32)
    data[1, -5] = np.nan  # a NaN turns its whole row NaN
    p, t = _pair(data)
    for fn in ("softmax", "log_softmax"):
        assert_same(getattr(p, fn)(1), getattr(t, fn)(1), rtol=1e-3, atol=1e-6)
        assert_same(getattr(p.t(), fn)(0), getattr(t.t(), fn)(0), rtol=1e-3, atol=1e-6)
    for fn in (lambda L, x: x.norm(dim=1), lambda L, x: x.var(1), lambda L, x: x.logsumexp(1),
               lambda L, x: L.nn.functional.layer_norm(x[:1], (n,))):
        assert_same(fn(pyfront, p), fn(torch, t), rtol=1e-3, atol=1e-5)


def test_long_scan_takes_three_levels_of_blocks():
    n = 300_000  # more blocks (of 4096) per row than one workgroup scans at once
    data = np.random.default_rng(0).integers(-3, 4, (n,)).astype(np.float32)
    p, t = _pair(data)
    assert_same(p.cumsum(0), t.cumsum(0), **EXACT)


def test_conv_weight_gradient_over_a_large_batch_times_image():
    # the weight gradient sums over N * H * W = 2 * 298 * 298 > 2^17 positions
    data = np.random.default_rng(0).integers(-2, 3, (2, 1, 300, 300)).astype(np.float32)
    weight = np.random.default_rng(1).integers(-2, 3, (2, 1, 3, 3)).astype(np.float32)
    (p, t), (pw, tw) = _pair(data), _pair(weight)
    pw.requires_grad_(), tw.requires_grad_()
    PF.conv2d(p, pw).sum().backward()
    torch.nn.functional.conv2d(t, tw).sum().backward()
    assert_same(pw.grad, tw.grad, **EXACT)


@pytest.mark.parametrize("device", ["cpu", GPU])
def test_windowed_ops_run_in_batch_pieces_that_each_fit_the_binding_limit(monkeypatch, device):
    """With the binding limit lowered to 64 KiB, convolutions and poolings whose windows take several
    times that still run, forward and backward, because no piece of the batch (or band of output
    rows, where one sample's windows exceed it) needs more."""
    if device == GPU:
        monkeypatch.setattr(pyfront.webgpu._backend().runtime.pool, "max_binding", 64 << 10)
    monkeypatch.setattr(PF.conv, "CHUNK_BYTES", 64 << 10)
    rng = np.random.default_rng(0)
    data = rng.integers(-2, 3, (9, 2, 12, 12)).astype(np.float32)  # 10 KiB per sample
    weight = rng.integers(-2, 3, (3, 2, 3, 3)).astype(np.float32)  # columns: 28 KiB per sample
    large = rng.integers(-2, 3, (2, 2, 48, 48)).astype(np.float32)  # columns: 81 KiB per sample
    results = []
    for lib, fn, dev in ((pyfront, PF, device), (torch, torch.nn.functional, "cpu")):
        x = lib.tensor(data, device=dev, requires_grad=True)
        w = lib.tensor(weight, device=dev, requires_grad=True)
        w_t = lib.tensor(weight.transpose(1, 0, 2, 3).copy(), device=dev, requires_grad=True)
        y = fn.conv2d(x, w, padding=1) + fn.conv_transpose2d(x, w_t, padding=1, stride=1)
        z = fn.conv1d(x.flatten(2), w.flatten(2), stride=2)
        pooled = fn.max_pool2d(x, 3, 1, 1, return_indices=True)
        averaged = fn.avg_pool2d(x, 3, 1, 1)
        big = lib.tensor(large, device=dev, requires_grad=True)  # in bands of output rows
        banded = fn.conv2d(big, w, padding=(2, 1), stride=(2, 1), dilation=(2, 1))
        loss = y.square().sum() + z.square().sum() + banded.square().sum()
        (loss + pooled[0].sum() + averaged.sum()).backward()
        results.append((y, z, pooled, averaged, banded, x.grad, big.grad, w.grad, w_t.grad))
    assert_same(*results, **EXACT)
