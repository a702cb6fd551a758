"""Gradients at NaN and inf of the activations whose torch CPU kernels treat them one way in their vectors
and another in their scalar tail, for inputs of every layout: torch runs a dense one (contiguous,
transposed, channels-last) in memory order, vectorised but for its last elements, and a strided or
expanded one element by element. pyfront's gradients are torch's, NaN for NaN, on cpu and webgpu."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

ACTIVATIONS = {
    "hardtanh": lambda T, x: T.nn.functional.hardtanh(x), "relu6": lambda T, x: T.nn.functional.relu6(x),
    "hardshrink": lambda T, x: T.nn.functional.hardshrink(x),
    "softshrink": lambda T, x: T.nn.functional.softshrink(x), "elu": lambda T, x: T.nn.functional.elu(x),
    "celu": lambda T, x: T.nn.functional.celu(x), "selu": lambda T, x: T.nn.functional.selu(x),
    "hardswish": lambda T, x: T.nn.functional.hardswish(x), "clamp": lambda T, x: x.clamp(-1, 1),
}
LAYOUTS = {
    "contiguous": lambda b: b, "transposed": lambda b: b.t(), "step": lambda b: b[:, ::2],
    "expanded": lambda b: b[:1].expand(6, 10),
    "channels_last": lambda b: b.reshape(1, 3, 4, 5).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2),
    "transposed_odd": lambda b: b[:5, :7].contiguous().t(),
}


def _grad(T, activation, layout, device):
    v = np.where(np.arange(60) % 3 == 0, np.nan, np.where(np.arange(60) % 3 == 1, np.inf, 0.5))
    base = T.tensor(v.astype(np.float32), device=device).reshape(6, 10)
    x = LAYOUTS[layout](base).detach().requires_grad_()
    ACTIVATIONS[activation](T, x).sum().backward()
    return np.asarray(x.grad.tolist(), dtype=np.float64)


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_grad_at_nan_and_inf_as_torch(activation, layout, device):
    expected = _grad(torch, activation, layout, "cpu")
    np.testing.assert_array_equal(_grad(pyfront, activation, layout, device), expected)
