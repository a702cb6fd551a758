"""fmod, remainder and the floor division are exact in C (their results are representable), and torch
gives them bit for bit. The GPU's a - b * trunc(a / b) rounded twice: 2**40 % -1.5 gave 0, not -0.5,
once the quotient passed float32's 24 bits. These run a log-uniform grid of magnitudes, with both signs
and the specials, against torch, bit for bit, on every device and float dtype."""
import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
OPS = [
    ("fmod", lambda m, a, b: m.fmod(a, b)),
    ("remainder", lambda m, a, b: m.remainder(a, b)),
    ("floor_divide", lambda m, a, b: m.floor_divide(a, b)),
    ("div_floor", lambda m, a, b: m.div(a, b, rounding_mode="floor")),
    ("div_trunc", lambda m, a, b: m.div(a, b, rounding_mode="trunc")),
    ("number % tensor", lambda m, a, b: 2**40 % b),
    ("tensor % number", lambda m, a, b: a % -1.5),
]
# no float16 quotients: torch's own depends on the element's place (its vector loop rounds a / b to
# float16 before the floor or trunc, its scalar tail does not: floor_divide(11830, 3.064) is 3862 at
# index 0 of 40 and 3860 alone), so there is no one answer to match; float32 has none of this
QUOTIENTS = {"floor_divide", "div_floor", "div_trunc"}
CASES = [(name, op, dtype) for name, op in OPS for dtype in ("float32", "float16")
         if dtype == "float32" or name not in QUOTIENTS]


def _operands(dtype):
    rng = np.random.default_rng(0)
    top = 60 if dtype == "float32" else 14  # float16 ends at 65504
    a = np.exp2(rng.uniform(-12, top, 400)) * rng.choice([-1, 1], 400)
    b = np.exp2(rng.uniform(-12, top / 2, 400)) * rng.choice([-1, 1], 400)
    specials = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -3.0]
    a = np.concatenate([a, np.repeat(specials, len(specials))])
    b = np.concatenate([b, np.tile(specials, len(specials))])
    return a.astype(dtype), b.astype(dtype)


def _bits(t):
    """The values as bits, every NaN one pattern (torch's NaN sign is not part of its contract)."""
    x = t.numpy()
    bits = x.view(np.uint32 if x.dtype == np.float32 else np.uint16).copy()
    bits[np.isnan(x)] = 1
    return bits


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name,op,dtype", CASES, ids=[f"{name}-{dtype}" for name, _, dtype in CASES])
def test_exact_division_family_matches_torch_bit_for_bit(device, dtype, name, op):
    a, b = _operands(dtype)
    want = op(torch, torch.from_numpy(a), torch.from_numpy(b))
    got = op(pyfront, pyfront.tensor(a, device=device), pyfront.tensor(b, device=device)).cpu()
    assert got.dtype == getattr(pyfront, str(want.dtype).split(".")[1])
    mismatch = np.flatnonzero(_bits(torch.from_numpy(got.numpy())) != _bits(want))
    assert mismatch.size == 0, [(a[i], b[i], got.numpy()[i], want.numpy()[i]) for i in mismatch[:5]]
