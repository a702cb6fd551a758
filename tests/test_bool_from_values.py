"""A bool tensor made from Python numbers holds each number's truth, as torch's: on webgpu the values
went through int(), so 0.5 and 1e-30 were False, -1 raised a struct range error and NaN crashed."""
import math

import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
VALUES = [0.5, 1e-30, -1, math.nan, 0.0, -0.0, 2, True, False, math.inf, -math.inf, 3]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("make", ["tensor", "as_tensor"])
def test_bool_tensor_from_numbers_holds_their_truth(device, make):
    want = getattr(torch, make)(VALUES, dtype=torch.bool).tolist()
    got = getattr(pyfront, make)(VALUES, dtype=pyfront.bool, device=device).tolist()
    assert got == want
    for v in VALUES:  # one at a time, 0-d too
        assert getattr(pyfront, make)(v, dtype=pyfront.bool, device=device).item() == bool(v)
