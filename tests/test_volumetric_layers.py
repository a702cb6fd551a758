"""The 3-d layers (Conv3d, ConvTranspose3d, MaxPool3d, AvgPool3d, AdaptiveAvgPool3d, AdaptiveMaxPool3d,
BatchNorm3d, InstanceNorm3d) against real torch (cpu), on cpu and webgpu: torch's weights copied in, outputs
and the gradients of the input and every parameter compared, print(model) equal to torch's. (The functional
ops' values, gradients and errors are op-table rows: tests/optable.py.) Also the max pools' choice among
several NaNs in one window (torch's kernels take the last NaN), which max_pool2d got wrong before."""
import numpy as np
import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]

LAYERS = {
    "Conv3d": lambda nn: nn.Conv3d(3, 4, (3, 2, 3), stride=(2, 1, 1), padding=(1, 0, 1), dilation=(1, 2, 1)),
    "Conv3d groups": lambda nn: nn.Conv3d(4, 6, 2, groups=2, bias=False),
    "Conv3d same reflect": lambda nn: nn.Conv3d(3, 2, 3, padding="same", padding_mode="reflect"),
    "ConvTranspose3d": lambda nn: nn.ConvTranspose3d(3, 4, (2, 3, 2), stride=(2, 1, 2), padding=(0, 1, 1),
                                                     output_padding=(1, 0, 1)),
    "ConvTranspose3d groups": lambda nn: nn.ConvTranspose3d(4, 2, 3, stride=2, groups=2, dilation=(1, 2, 1)),
    "MaxPool3d": lambda nn: nn.MaxPool3d(3, 2, 1, ceil_mode=True),
    "MaxPool3d indices": lambda nn: nn.MaxPool3d((2, 3, 2), return_indices=True),
    "AvgPool3d": lambda nn: nn.AvgPool3d(3, (2, 1, 2), 1, count_include_pad=False),
    "AvgPool3d divisor": lambda nn: nn.AvgPool3d(2, ceil_mode=True, divisor_override=3),
    "AdaptiveAvgPool3d": lambda nn: nn.AdaptiveAvgPool3d((3, None, 2)),
    "AdaptiveMaxPool3d": lambda nn: nn.AdaptiveMaxPool3d((2, 3, 4), return_indices=True),
    "BatchNorm3d": lambda nn: nn.BatchNorm3d(3, momentum=0.3),
    "InstanceNorm3d": lambda nn: nn.InstanceNorm3d(3, affine=True, track_running_stats=True),
    "Sequential": lambda nn: nn.Sequential(nn.Conv3d(3, 4, 3, padding=1), nn.BatchNorm3d(4), nn.ReLU(),
                                           nn.MaxPool3d(2), nn.ConvTranspose3d(4, 3, 2, stride=2)),
}
INPUT = {"Conv3d groups": (2, 4, 5, 4, 5), "ConvTranspose3d groups": (2, 4, 3, 3, 2)}


def _run(L, name, device, x, params, train):
    model = LAYERS[name](L.nn).to(device)
    with L.no_grad():
        for p, value in zip(model.parameters(), params):
            p.copy_(L.tensor(value, device=device))
    model.train(train)
    xt = L.tensor(x, device=device, requires_grad=True)
    out = model(xt)
    outs = out if isinstance(out, tuple) else (out,)
    g = np.random.default_rng(1).standard_normal(tuple(outs[0].shape)).astype(np.float32)
    outs[0].backward(L.tensor(g, device=device))
    buffers = [b.cpu().numpy() for b in model.buffers()]
    return (repr(model), [o.detach().cpu().numpy() for o in outs], xt.grad.cpu().numpy(),
            [p.grad.cpu().numpy() for p in model.parameters()], buffers)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("name", LAYERS)
def test_layer_matches_torch(name, train, device):
    torch.manual_seed(0)
    reference = LAYERS[name](torch.nn)
    params = [p.detach().numpy() for p in reference.parameters()]
    x = np.random.default_rng(0).standard_normal(INPUT.get(name, (2, 3, 5, 6, 5))).astype(np.float32)
    got, want = _run(pyfront, name, device, x, params, train), _run(torch, name, "cpu", x, params, train)
    assert got[0] == want[0]  # print(model)
    tol = dict(rtol=1e-3, atol=1e-4) if device == "webgpu" else dict(rtol=1e-4, atol=1e-5)
    for g, w in zip([*got[1], got[2], *got[3], *got[4]], [*want[1], want[2], *want[3], *want[4]]):
        assert g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_allclose(g, w, **tol)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("fn,shape", [("max_pool1d", (1, 1, 4)), ("max_pool2d", (1, 1, 2, 2)),
                                      ("max_pool3d", (1, 1, 2, 2, 2))])
def test_max_pool_takes_the_last_nan_of_a_window_as_torch(fn, shape, device):
    x = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    x.reshape(-1)[[0, 2]] = np.nan
    got = [getattr(L.nn.functional, fn) for L in (pyfront, torch)]
    px = pyfront.tensor(x, device=device, requires_grad=True)
    tx = torch.tensor(x, requires_grad=True)
    (pv, pi), (tv, ti) = got[0](px, 2, return_indices=True), got[1](tx, 2, return_indices=True)
    pv.sum().backward()
    tv.sum().backward()
    assert pi.cpu().tolist() == ti.tolist()
    np.testing.assert_array_equal(px.grad.cpu().numpy(), tx.grad.numpy())
