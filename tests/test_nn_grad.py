"""torch.nn.grad's convolution gradients (conv{1,2}d_input / _weight; pyfront has no conv3d yet) against
real torch, in 1d and 2d, with stride, padding, dilation and groups, on cpu and webgpu."""
import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]

CASES = [  # dims, stride, padding, dilation, groups
    (1, 1, 0, 1, 1),
    (1, 2, 1, 2, 2),
    (2, 1, 1, 1, 1),
    (2, 2, 0, 1, 2),
    (2, (2, 1), (1, 0), (1, 2), 1),
]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dims,stride,padding,dilation,groups", CASES)
def test_conv_grads_match_torch(device, dims, stride, padding, dilation, groups):
    rng = np.random.default_rng(dims)
    x = rng.standard_normal((2, 4, *[7] * dims)).astype(np.float32)
    w = rng.standard_normal((6, 4 // groups, *[3] * dims)).astype(np.float32)
    conv = getattr(torch.nn.functional, f"conv{dims}d")
    out = conv(torch.from_numpy(x), torch.from_numpy(w), None, stride, padding, dilation, groups)
    g = rng.standard_normal(tuple(out.shape)).astype(np.float32)
    args = (stride, padding, dilation, groups)
    for kind, first, second in (("input", x.shape, w), ("weight", x, w.shape)):
        name = f"conv{dims}d_{kind}"
        theirs = getattr(torch.nn.grad, name)(
            torch.from_numpy(first) if kind == "weight" else first,
            torch.from_numpy(second) if kind == "input" else second, torch.from_numpy(g), *args)
        ours = getattr(pyfront.nn.grad, name)(
            pyfront.tensor(first, device=device) if kind == "weight" else first,
            pyfront.tensor(second, device=device) if kind == "input" else second,
            pyfront.tensor(g, device=device), *args)
        assert ours.device.type == pyfront.device(device).type
        np.testing.assert_allclose(ours.cpu().numpy(), theirs.numpy(), rtol=1e-4, atol=1e-4, err_msg=name)
