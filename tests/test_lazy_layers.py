"""Lazy layers (LazyLinear, LazyConv1d/2d/3d, LazyConvTranspose1d/2d/3d, LazyBatchNorm1d/2d/3d,
LazyInstanceNorm1d/2d/3d) and UninitializedParameter/UninitializedBuffer against real torch (cpu), on cpu and
webgpu: print(model) before and after the first forward, the class each becomes, the parameter and buffer
shapes, then (torch's materialized weights copied in) outputs and gradients; an optimizer made before the
first forward updates the materialized parameters; torch's errors."""
import numpy as np
import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
LAYERS = {
    "LazyLinear": (lambda nn: nn.LazyLinear(3), (4, 5)),
    "LazyLinear no bias": (lambda nn: nn.LazyLinear(2, bias=False), (2, 3, 5)),
    "LazyConv1d": (lambda nn: nn.LazyConv1d(4, 3, padding=1), (2, 3, 6)),
    "LazyConv2d": (lambda nn: nn.LazyConv2d(4, 2, groups=2, stride=2), (2, 4, 5, 5)),
    "LazyConv2d unbatched": (lambda nn: nn.LazyConv2d(2, 3), (3, 5, 5)),
    "LazyConv3d": (lambda nn: nn.LazyConv3d(2, 2), (1, 3, 3, 4, 3)),
    "LazyConvTranspose1d": (lambda nn: nn.LazyConvTranspose1d(2, 3, stride=2), (2, 3, 4)),
    "LazyConvTranspose2d": (lambda nn: nn.LazyConvTranspose2d(4, 3, groups=2, output_padding=1, stride=2),
                            (2, 2, 3, 3)),
    "LazyConvTranspose3d": (lambda nn: nn.LazyConvTranspose3d(2, 2, stride=2), (1, 3, 2, 2, 2)),
    "LazyBatchNorm1d": (lambda nn: nn.LazyBatchNorm1d(), (4, 3)),
    "LazyBatchNorm2d": (lambda nn: nn.LazyBatchNorm2d(momentum=0.5, affine=False), (2, 3, 4, 4)),
    "LazyBatchNorm3d": (lambda nn: nn.LazyBatchNorm3d(track_running_stats=False), (2, 3, 2, 3, 2)),
    "LazyInstanceNorm1d": (lambda nn: nn.LazyInstanceNorm1d(), (2, 3, 5)),
    "LazyInstanceNorm2d": (lambda nn: nn.LazyInstanceNorm2d(affine=False, track_running_stats=False),
                           (2, 3, 4, 4)),
    "LazyInstanceNorm3d": (lambda nn: nn.LazyInstanceNorm3d(bias=False), (2, 3, 2, 3, 2)),
}


def _outcome(fn):
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
        return type(e).__name__, torch_text(e)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", LAYERS)
def test_lazy_layer_as_torch(name, device):
    make, shape = LAYERS[name]
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    t_model = make(torch.nn)
    t_before = repr(t_model)
    t_model(torch.tensor(x))  # materialize torch's: its weights are copied into pyfront's below
    p_model = make(pyfront.nn).to(device)
    assert repr(p_model) == t_before
    assert all(repr(p) == "<UninitializedParameter>" for p in p_model.parameters())
    params = list(p_model.parameters())
    opt = pyfront.optim.SGD(params, lr=0.5) if params else None
    p_model(pyfront.tensor(x, device=device))
    assert repr(p_model) == repr(t_model) and type(p_model).__name__ == type(t_model).__name__
    p_state, t_state = p_model.state_dict(), t_model.state_dict()
    assert [(k, tuple(v.shape), str(v.dtype)) for k, v in p_state.items()] == [
        (k, tuple(v.shape), str(v.dtype)) for k, v in t_state.items()]
    p_model.load_state_dict({k: pyfront.tensor(v.numpy()) for k, v in t_state.items()})
    xs = [L.tensor(x, device=d, requires_grad=True) for L, d in ((pyfront, device), (torch, "cpu"))]
    outs = [m(xi) for m, xi in zip((p_model, t_model), xs)]
    for o in outs:
        o.pow(2).sum().backward()
    tol = dict(rtol=1e-3, atol=1e-4) if device == "webgpu" else dict(rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(outs[0].detach().cpu().numpy(), outs[1].detach().numpy(), **tol)
    np.testing.assert_allclose(xs[0].grad.cpu().numpy(), xs[1].grad.numpy(), **tol)
    for p, t in zip(p_model.parameters(), t_model.parameters()):
        np.testing.assert_allclose(p.grad.cpu().numpy(), t.grad.numpy(), **tol)
    before = [p.detach().cpu().numpy().copy() for p in p_model.parameters()]
    if opt is not None:
        opt.step()  # the optimizer holds the same (now materialized) parameter objects
    for b, p in zip(before, p_model.parameters()):
        np.testing.assert_allclose(p.detach().cpu().numpy(), b - 0.5 * p.grad.cpu().numpy(), **tol)


@pytest.mark.parametrize("call", [
    lambda L: L.nn.LazyConv2d(4, 3, groups=2)(L.ones(1, 3, 5, 5)),
    lambda L: L.nn.LazyConv2d(4, 3)(L.ones(5, 5)),
    lambda L: L.nn.LazyConvTranspose1d(4, 3)(L.ones(1, 2, 3, 5, 5)),
    lambda L: repr(L.nn.UninitializedParameter()) + repr(L.nn.UninitializedBuffer()),
    lambda L: [type(p).__name__ for p in L.nn.LazyLinear(2).parameters()],
])
def test_lazy_errors_and_placeholders_as_torch(call):
    assert _outcome(lambda: call(pyfront)) == _outcome(lambda: call(torch))
