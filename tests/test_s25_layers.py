"""nn.CrossMapLRN2d (Lua Torch's cross-channel LRN, its odd running window and hand-written gradient) and
F.linear_cross_entropy (torch 2.13's fused classifier-head loss), against torch: values, gradients,
shapes and argument errors. pyfront had neither."""
import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _run(lib, fn, arrays, device="cpu"):
    inputs = [lib.tensor(a, requires_grad=a.dtype.kind == "f").to(device) if lib is pyfront
              else lib.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    leaves = [t for t in inputs if t.dtype.is_floating_point]
    for t in leaves:
        t.retain_grad()
    try:
        out = fn(lib, *inputs)
        ramp = lib.linspace(0, 1, out.numel()).reshape(out.shape).to(out.device)
        out.backward(lib.ones_like(out) * 0.5 + ramp)
    except Exception as e:  # noqa: BLE001  (the comparison is the point)
        return type(e).__name__, str(e)
    return out.detach().cpu().numpy(), [t.grad.cpu().numpy() for t in leaves]


def _compare(fn, arrays, device="cpu"):
    ours, theirs = _run(pyfront, fn, arrays, device), _run(torch, fn, arrays)
    if isinstance(theirs[0], str):
        assert ours == theirs
        return
    tol = dict(rtol=1e-4, atol=1e-5) if device == "cpu" else dict(rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(ours[0], theirs[0], **tol)
    for a, b in zip(ours[1], theirs[1]):
        np.testing.assert_allclose(a, b, **tol)


def _r(*shape, seed=0):
    return np.random.RandomState(seed).randn(*shape).astype(np.float32)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("size,channels", [(1, 3), (2, 4), (3, 1), (3, 6), (4, 9), (5, 7), (7, 3)])
def test_cross_map_lrn2d(size, channels, device):
    _compare(lambda t, x: t.nn.CrossMapLRN2d(size, alpha=0.5, beta=0.75, k=1.5)(x),
             [_r(2, channels, 3, 2, seed=size + channels)], device)


def test_cross_map_lrn2d_refuses_other_ranks_and_prints():
    _compare(lambda t, x: t.nn.CrossMapLRN2d(3)(x), [_r(2, 3, 4)])
    assert repr(pyfront.nn.CrossMapLRN2d(3, k=2)) == repr(torch.nn.CrossMapLRN2d(3, k=2))


def _lce(**kw):
    def fn(t, x, w, y, *rest):
        extra = dict(zip(("linear_bias", "weight"), rest))
        return t.nn.functional.linear_cross_entropy(x, w, y, **extra, **kw)
    return fn


LCE = {
    "mean": (_lce(), [_r(4, 3), _r(5, 3, seed=1), np.array([0, 4, 2, 1])]),
    "bias and weight": (_lce(reduction="sum"), [_r(4, 3), _r(5, 3, seed=1), np.array([0, 4, 2, 1]),
                                                 _r(5, seed=2), np.abs(_r(5, seed=3))]),
    "none": (_lce(reduction="none", ignore_index=2), [_r(4, 3), _r(5, 3, seed=1), np.array([0, 4, 2, 1])]),
    "smoothing": (_lce(label_smoothing=0.2), [_r(4, 3), _r(5, 3, seed=1), np.array([0, 4, 2, 1])]),
    "unbatched": (_lce(), [_r(3), _r(5, 3, seed=1), np.array(2)]),
    "probabilities": (_lce(), [_r(4, 3), _r(5, 3, seed=1), np.abs(_r(4, 5, seed=4))]),
    "K-dimensional": (_lce(reduction="none"), [_r(4, 3), _r(5, 2, 3, seed=1), np.zeros((4, 2), np.int64),
                                                _r(5, 2, seed=2)]),
    "probabilities and ignore_index": (_lce(ignore_index=1), [_r(4, 3), _r(5, 3, seed=1), np.abs(_r(4, 5))]),
    "3-d input": (_lce(), [_r(2, 4, 3), _r(5, 3, seed=1), np.zeros((2, 4), np.int64)]),
    "1-d weight": (_lce(), [_r(4, 3), _r(3, seed=1), np.zeros(4, np.int64)]),
    "features differ": (_lce(), [_r(4, 3), _r(5, 2, seed=1), np.zeros(4, np.int64)]),
    "bad bias": (_lce(), [_r(4, 3), _r(5, 3, seed=1), np.zeros(4, np.int64), _r(4)]),
    "K-dim unbatched": (_lce(), [_r(3), _r(5, 2, 3, seed=1), np.zeros(2, np.int64)]),
}


@pytest.mark.parametrize("case", list(LCE))
def test_linear_cross_entropy(case):
    fn, arrays = LCE[case]
    _compare(fn, arrays)


@requires_webgpu
def test_linear_cross_entropy_webgpu():
    fn, arrays = LCE["bias and weight"]
    _compare(fn, arrays, "webgpu")
