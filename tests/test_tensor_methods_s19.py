"""Tensor methods pyfront lacked: the in-place twins of the alias names (absolute_, arccos_, arcsin_,
arctan_, arctan2_, greater_, greater_equal_, less_, less_equal_, not_equal_) and Tensor.hardshrink /
Tensor.prelu, against real torch (cpu) on cpu and webgpu: values, dtype, identity of the result, the
version counter and the gradient."""
import numpy as np
import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
UNARY = ["absolute_", "arccos_", "arcsin_", "arctan_"]
BINARY = ["arctan2_", "greater_", "greater_equal_", "less_", "less_equal_", "not_equal_"]


def _outcome(fn):
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
        return type(e).__name__, torch_text(e)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", UNARY + BINARY)
def test_in_place_alias_as_torch(name, device):
    x = np.array([[-0.9, 0.0, 0.5], [0.25, -0.5, 0.9]], np.float32)
    y = np.array([0.5, 0.0, -0.25], np.float32)

    def run(L, dev):
        a = L.tensor(x, device=dev, requires_grad=True)
        b = a * 1
        v0 = b._version
        args = (L.tensor(y, device=dev),) if name in BINARY else ()
        out = getattr(b, name)(*args)
        assert out is b
        grad = None
        if name in UNARY or name == "arctan2_":
            b.sum().backward()
            grad = np.round(a.grad.cpu().numpy(), 5).tolist()
        return str(b.dtype), np.round(b.detach().cpu().numpy(), 5).tolist(), b._version - v0, grad
    assert _outcome(lambda: run(pyfront, device)) == _outcome(lambda: run(torch, "cpu"))


@pytest.mark.parametrize("device", DEVICES)
def test_hardshrink_and_prelu_methods_as_torch(device):
    x = np.array([[-0.9, 0.0, 0.5], [0.25, -0.5, 0.9]], np.float32)

    def run(L, dev):
        a = L.tensor(x, device=dev, requires_grad=True)
        w = L.tensor([0.25], device=dev, requires_grad=True)
        out = a.hardshrink(0.3) + a.hardshrink() + a.prelu(w)
        out.sum().backward()
        return [np.round(t.detach().cpu().numpy(), 5).tolist() for t in (out, a.grad, w.grad)]
    assert run(pyfront, device) == run(torch, "cpu")
