"""A convolution's output is contiguous with torch's strides, as its is: ``y.view(n, -1)`` after a conv3d (its
planes moved into place) or a padded transposed convolution (its padding cropped off) raised where torch's
works. A sweep over rank, padding, stride, bias and batching; PyTorch is the oracle."""
import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
KWARGS = [{}, {"stride": 2, "padding": 1}, {"padding": 1}, {"stride": 2}]


def _layout(lib, device, nd, transposed, kw, bias, batched):
    dev = {"device": device} if lib is pyfront else {}
    x = lib.ones(((2,) if batched else ()) + (2,) + (5,) * nd, **dev)
    w = lib.ones(((2, 3) if transposed else (3, 2)) + (3,) * nd, **dev)
    b = lib.ones(3, **dev) if bias else None
    fn = getattr(lib.nn.functional, f"conv_transpose{nd}d" if transposed else f"conv{nd}d")
    y = fn(x, w, b, **kw)
    return y.is_contiguous(), y.stride(), tuple(y.view(-1).shape)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("kw", KWARGS, ids=str)
@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("nd", [1, 2, 3])
def test_conv_output_contiguous_as_torch(nd, transposed, kw, bias, batched, device):
    assert _layout(pyfront, device, nd, transposed, kw, bias, batched) == \
        _layout(torch, "cpu", nd, transposed, kw, bias, batched)
