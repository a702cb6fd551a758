"""histc where (x - min) * bins / (max - min) overflows float32: the element's position was NaN and its
int64 cast indexed out of bounds (a crash). torch keeps the computation in the input's dtype: an
infinite width counts nothing, an infinite position counts in bin 0. Random data over float32's whole
range, against torch, on every device."""
import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _cases():
    rng = np.random.default_rng(0)
    fixed = [([3e38, -3e38, 1.0], 4, 0, 0), ([1.0, 2.0], 4, -3e38, 3e38), ([1.0, 2.0], 4, -2e38, 1e38),
             ([1.0, 3e38], 4, 0, 3e38), ([1.0, 16777217.0], 3, 0, 16777217.0)]
    drawn = [((np.exp2(rng.uniform(0, 128, 6)) * rng.choice([-1, 1], 6)).astype(np.float32).tolist(),
              int(rng.integers(1, 9)), 0, 0) for _ in range(60)]
    return fixed + drawn


@pytest.mark.parametrize("device", DEVICES)
def test_histc_over_float32s_range_matches_torch(device):
    for values, bins, lo, hi in _cases():
        want = torch.histc(torch.tensor(values), bins=bins, min=lo, max=hi)
        got = pyfront.histc(pyfront.tensor(values, device=device), bins=bins, min=lo, max=hi)
        assert got.tolist() == want.tolist(), (values, bins, lo, hi)
