"""At a tie of 0.0 with -0.0, max/min-like ops return torch's zero, on cpu and webgpu.

torch's row reductions keep the earlier element (rows of up to 32: its vectors mix lanes past that), and
maximum/minimum of a small tensor the first operand. WGSL's max and min may return either zero: webgpu's
reductions gave the other one.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
_r = np.random.default_rng(5)
SIGNS = _r.integers(0, 2, (12, 16)).astype(bool)  # rows of zeros of random signs, and a row of 3s among them
VALUES = np.where(SIGNS, -0.0, 0.0)
VALUES[3] = [3.0] * 16

REDUCTIONS = {
    "amax": lambda L, t: L.amax(t, 1), "amin": lambda L, t: L.amin(t, 1),
    "amax_dim0": lambda L, t: L.amax(t, 0), "amin_dim0": lambda L, t: L.amin(t, 0),
    "max_values": lambda L, t: L.max(t, 1).values, "min_values": lambda L, t: L.min(t, 1).values,
    "aminmax_min": lambda L, t: L.aminmax(t, dim=1).min,
    "aminmax_max": lambda L, t: L.aminmax(t, dim=1).max,
    # (maximum/minimum: torch's vectors keep the second operand and its tail the first; webgpu's fused
    # expressions know no position and keep the first, as a small tensor's: not swept here)
    "maximum_small": lambda L, t: L.maximum(t[:1, :12], t[1:2, :12]),
    "minimum_small": lambda L, t: L.minimum(t[:1, :12], t[1:2, :12]),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize("op", list(REDUCTIONS))
def test_zero_ties_as_torch(op, dtype, device):
    want = REDUCTIONS[op](torch, torch.tensor(VALUES, dtype=getattr(torch, dtype)))
    got = REDUCTIONS[op](pyfront, pyfront.tensor(VALUES, dtype=getattr(pyfront, dtype), device=device))
    w, g = want.numpy(), got.cpu().numpy()
    assert (np.signbit(g) == np.signbit(w)).all() and (g == w).all(), (g.tolist(), w.tolist())
