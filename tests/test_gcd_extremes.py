"""gcd and lcm over every pair of extreme values of each integer dtype (its minimum, maximum, +-1, 0, small
numbers), on every device, against torch: torch's Euclid runs in the dtype's own width, so the absolute
value of the minimum wraps to itself (gcd(-128, 6) is -2 in int8), and lcm's product is C's int arithmetic.
pyfront gave 2 (NumPy's gcd, and the GPU's 32-bit lanes for int8/int16)."""
import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64", "uint8"])
@pytest.mark.parametrize("op", ["gcd", "lcm"])
def test_gcd_lcm_at_the_extremes(op, dtype, device):
    info = np.iinfo(dtype)
    values = sorted(v for v in {int(info.min), int(info.min) + 1, -1, 0, 1, 2, 6, 12, int(info.max) - 1,
                                 int(info.max)} if info.min <= v <= info.max)
    if device == "webgpu" and dtype == "int64":  # stored as i32 there (README), where 2^31 does not fit
        values = [v for v in values if -2 ** 31 < v < 2 ** 31] + [-2 ** 31 + 1, 2 ** 31 - 1]
    if op == "lcm" and device == "webgpu" and dtype == "int64":  # products within its i32 lanes
        values = [v for v in values if abs(v) < 46341]
    if op == "lcm" and dtype in ("int32", "int64"):  # torch's own min / -1 traps (SIGFPE) there
        values = [v for v in values if v != info.min]
    a = [v for v in values for _ in values]
    b = [w for _ in values for w in values]
    expected = getattr(torch, op)(torch.tensor(a, dtype=getattr(torch, dtype)),
                                  torch.tensor(b, dtype=getattr(torch, dtype)))
    x = pyfront.tensor(a, dtype=getattr(pyfront, dtype), device=device)
    y = pyfront.tensor(b, dtype=getattr(pyfront, dtype), device=device)
    assert getattr(pyfront, op)(x, y).tolist() == expected.tolist()
    assert getattr(x.clone(), f"{op}_")(y).tolist() == expected.tolist()
