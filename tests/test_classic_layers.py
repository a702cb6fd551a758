"""local_response_norm, lp_pool1d/2d/3d, channel_shuffle, max_unpool1d/2d/3d, rrelu (eval; training's slope
range), pdist, celu_/selu_ and their nn modules against real torch (cpu), on cpu and webgpu: values and the
gradients of the input, torch's errors (type and text), print(module)."""
import numpy as np
import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _outcome(fn):
    try:
        return "ok", fn()
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
        return type(e).__name__, torch_text(e)


def _run(L, dev, x, call):
    def go():
        xt = L.tensor(x, device=dev, requires_grad=x.dtype.kind == "f")
        out = call(L, xt)
        if xt.requires_grad:
            out.backward(L.arange(out.numel(), device=dev).reshape(out.shape).float().cos())
        grad = None if xt.grad is None else xt.grad.cpu().numpy()
        return list(out.shape), out.detach().cpu().numpy(), grad
    return _outcome(go)


def _compare(x, call, device):
    got, want = _run(pyfront, device, x, call), _run(torch, "cpu", x, call)
    assert got[0] == want[0], (got, want)
    if want[0] != "ok":
        assert got[1] == want[1]
        return
    assert got[1][0] == want[1][0]
    for g, w in zip(got[1][1:], want[1][1:]):
        if w is None:
            assert g is None
        else:
            np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5)


def _pooled(L, x, nd):
    return getattr(L.nn.functional, f"max_pool{nd}d")(x, 2, return_indices=True)


rng = np.random.default_rng(0)
X3, X4, X5 = (rng.standard_normal(s).astype(np.float32) for s in [(2, 6, 7), (2, 6, 5, 4), (2, 4, 4, 5, 4)])
CALLS = {
    "lrn 3-d": (X3, lambda L, x: L.nn.functional.local_response_norm(x, 3)),
    "lrn 4-d": (X4, lambda L, x: L.nn.functional.local_response_norm(x, 4, alpha=0.1, beta=0.5, k=2.0)),
    "lrn 5-d module": (X5, lambda L, x: L.nn.LocalResponseNorm(2)(x)),
    "lrn 2-d": (X4[0, 0], lambda L, x: L.nn.functional.local_response_norm(x, 3)),
    "lp_pool1d": (X3, lambda L, x: L.nn.functional.lp_pool1d(x, 2, 3, 2)),
    "lp_pool1d ceil": (X3, lambda L, x: L.nn.LPPool1d(1.5, 2, ceil_mode=True)(x.abs() + 0.1)),
    "lp_pool2d": (X4, lambda L, x: L.nn.functional.lp_pool2d(x, 3, (2, 3))),
    "lp_pool2d inf": (X4, lambda L, x: L.nn.LPPool2d(float("inf"), 2, 1)(x)),
    "lp_pool3d": (X5, lambda L, x: L.nn.LPPool3d(2, (2, 2, 3), (1, 2, 1))(x)),
    "channel_shuffle": (X4, lambda L, x: L.nn.functional.channel_shuffle(x, 3)),
    "channel_shuffle module": (X5, lambda L, x: L.nn.ChannelShuffle(2)(x)),
    "channel_shuffle bad": (X4, lambda L, x: L.nn.functional.channel_shuffle(x, 4)),
    "channel_shuffle 0": (X4, lambda L, x: L.nn.functional.channel_shuffle(x, 0)),
    "channel_shuffle 2-d": (X4[0, 0], lambda L, x: L.nn.functional.channel_shuffle(x, 1)),
    "unpool1d": (X3, lambda L, x: L.nn.functional.max_unpool1d(*_pooled(L, x, 1), 2)),
    "unpool2d": (X4, lambda L, x: L.nn.MaxUnpool2d(2)(*_pooled(L, x, 2))),
    "unpool2d size": (X4, lambda L, x: L.nn.MaxUnpool2d(2)(*_pooled(L, x, 2), output_size=(2, 6, 5, 5))),
    "unpool2d bad size": (X4, lambda L, x: L.nn.MaxUnpool2d(2)(*_pooled(L, x, 2), output_size=(9, 9))),
    "unpool3d": (X5, lambda L, x: L.nn.MaxUnpool3d(3, 2, 1)(*L.nn.MaxPool3d(3, 2, 1, return_indices=True)(
        x), output_size=x.shape)),
    "unpool float indices": (X4, lambda L, x: L.nn.functional.max_unpool2d(x, x.detach(), 2)),
    "unpool index range": (X4, lambda L, x: L.nn.functional.max_unpool2d(x, L.full(x.shape, 99), 2)),
    "unpool index shape": (X4, lambda L, x: L.nn.functional.max_unpool2d(x, L.zeros(2, 6, 5, 1).long(), 2)),
    "rrelu eval": (X4, lambda L, x: L.nn.functional.rrelu(x, 0.1, 0.3)),
    "rrelu module eval": (X4, lambda L, x: L.nn.RReLU(0.2, 0.25).eval()(x)),
    "rrelu bounds": (X4, lambda L, x: L.nn.functional.rrelu(x, 0.5, 0.1)),
    "pdist": (X4[0, 0], lambda L, x: L.nn.functional.pdist(x)),
    "pdist p1": (X4[0, 0], lambda L, x: L.nn.functional.pdist(x, 1)),
    "pdist p3": (X4[0, 0], lambda L, x: L.nn.functional.pdist(x, 3.0)),
    "pdist 3-d": (X3, lambda L, x: L.nn.functional.pdist(x)),
    "pdist neg p": (X4[0, 0], lambda L, x: L.nn.functional.pdist(x, -1)),
    "pdist int": (np.arange(6).reshape(3, 2), lambda L, x: L.nn.functional.pdist(x)),
    "celu_": (X4, lambda L, x: L.nn.functional.celu_(x * 1, 0.5)),
    "selu_": (X4, lambda L, x: L.nn.functional.selu_(x * 1)),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", CALLS)
def test_as_torch(name, device):
    _compare(*CALLS[name], device)


def test_rrelu_training_draws_slopes_in_range():
    x = pyfront.full((10000,), -1.0, requires_grad=True)
    y = pyfront.nn.RReLU(0.1, 0.3)(x)
    y.sum().backward()
    slopes = -y.detach().numpy()
    assert 0.1 <= slopes.min() and slopes.max() <= 0.3 and 0.19 < slopes.mean() < 0.21
    np.testing.assert_allclose(x.grad.numpy(), slopes)  # the gradient is each element's own slope
    z = pyfront.tensor([1.0, -2.0])
    assert pyfront.nn.functional.rrelu_(z, 0.5, 0.5, training=True) is z and z.tolist() == [1.0, -1.0]


def test_modules_print_as_torch():
    def build(L):
        return [repr(m) for m in (L.nn.LocalResponseNorm(3), L.nn.LPPool1d(1.5, 3, 2), L.nn.LPPool2d(2, 3),
                                  L.nn.LPPool3d(2, (1, 2, 3)), L.nn.ChannelShuffle(2), L.nn.MaxUnpool1d(2),
                                  L.nn.MaxUnpool2d(2, 1), L.nn.MaxUnpool3d(2, 1, 1), L.nn.RReLU(),
                                  L.nn.RReLU(0.1, 0.2, inplace=True))]
    assert build(pyfront) == build(torch)


WRONG_INPUT = {  # torch writes these in Python: a non-Tensor input fails at its first attribute
    "gaussian_nll_loss": lambda L, b: L.nn.functional.gaussian_nll_loss(b, L.ones(2), L.ones(2)),
    "cosine_embedding_loss": lambda L, b: L.nn.functional.cosine_embedding_loss(b, L.ones(2, 3), L.ones(2)),
    "multi_margin_loss": lambda L, b: L.nn.functional.multi_margin_loss(b, L.ones(2).long()),
    "triplet_margin_with_distance_loss": lambda L, b: L.nn.functional.triplet_margin_with_distance_loss(
        b, L.ones(2, 3), L.ones(2, 3)),
    "local_response_norm": lambda L, b: L.nn.functional.local_response_norm(b, 2),
    "lp_pool2d": lambda L, b: L.nn.functional.lp_pool2d(b, 2, 2),
    "max_unpool2d": lambda L, b: L.nn.functional.max_unpool2d(b, L.zeros(1, 1, 2, 2).long(), 2),
    "adaptive_avg_pool3d": lambda L, b: L.nn.functional.adaptive_avg_pool3d(b, 2),
    "adaptive_max_pool3d": lambda L, b: L.nn.functional.adaptive_max_pool3d(b, 2),
    "pdist": lambda L, b: L.nn.functional.pdist(b),
    "channel_shuffle": lambda L, b: L.nn.functional.channel_shuffle(b, 2),
}


@pytest.mark.parametrize("bad", ["a", None])
@pytest.mark.parametrize("name", WRONG_INPUT)
def test_a_non_tensor_input_fails_as_torch(name, bad):
    call = WRONG_INPUT[name]
    assert _outcome(lambda: call(pyfront, bad)) == _outcome(lambda: call(torch, bad))
