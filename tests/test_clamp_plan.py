"""clamp by numbers takes a plan per pair of bounds (ops/dispatch.apply's ``plan_attrs``), not apply's general
path (issue 13: 9 us at 1,000 elements, and hardtanh, relu6, hardsigmoid and hardswish call it), with its
bounds spelled so that -0.0 and 0.0, which clamp tells apart (clamp(-1.0, min=-0.0) is -0.0), and NaN, which
never equals itself, keep plans of their own. Each against torch: values by their bits, dtypes and errors,
each case twice (a plan made by one call must give every later call the same)."""
import math

import numpy as np
import pytest
import torch

import pyfront
from pyfront.ops import dispatch

FLOATS = [-0.0, 0.0, -1.0, 1.0, math.nan, math.inf, -math.inf, 0.5, -0.5, 2.0]
FLOAT_BOUNDS = [None, -0.0, 0.0, 1, 0.5, math.nan, -1.0, True]
INTS = [0, 1, 2, 5, 100, 3]
INT_BOUNDS = [None, 0, 2, 1.5, -0.0]


def _clamped(lib, data, dtype, lo, hi):
    """clamp's result (dtype name, float64 values) or its error (type, message)."""
    x = lib.tensor(data, dtype=lib.float64).to(getattr(lib, dtype))
    try:
        out = lib.clamp(x, lo, hi)
    except (RuntimeError, TypeError, NotImplementedError) as e:
        return type(e), str(e)
    return str(out.dtype).split(".")[-1], out.to(lib.float64).tolist()


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16", "int64", "int32", "uint8"])
def test_clamp_by_numbers_keeps_signed_zeros_and_nan_bounds_apart(dtype):
    data, bounds = (FLOATS, FLOAT_BOUNDS) if dtype[0] in "fb" else (INTS, INT_BOUNDS)
    for _ in range(2):
        for lo in bounds:
            for hi in bounds:
                if lo is None and hi is None:
                    continue
                want, got = _clamped(torch, data, dtype, lo, hi), _clamped(pyfront, data, dtype, lo, hi)
                assert got[0] == want[0], (lo, hi)
                if isinstance(want[0], str):  # the bits, a zero's sign and NaN too
                    assert np.array(got[1]).tobytes() == np.array(want[1]).tobytes(), (lo, hi, got, want)
                else:
                    assert got[1] == want[1]


def test_clamp_by_numbers_is_planned(monkeypatch):
    x = pyfront.tensor([-2.0, -0.0, 0.5, 3.0])
    x.clamp(-1.0, 1.0)  # the first call makes the plan

    def general(*args, **kwargs):
        raise AssertionError("clamp took apply's general path")
    monkeypatch.setattr(dispatch, "_run", general)
    assert x.clamp(-1.0, 1.0).tolist() == [-1.0, -0.0, 0.5, 1.0]
    assert pyfront.nn.functional.hardtanh(x).tolist() == [-1.0, -0.0, 0.5, 1.0]


def test_tensor_bounds_without_a_gradient_select_twice():
    """With tensor bounds, the input's NaN are kept out of its gradient by a selection of their own: taken
    only where a gradient (or tangent) of the input flows (7 of a 1,000-element clamp's 36 us)."""
    x, lo, hi = pyfront.tensor([-2.0, math.nan, 0.5, 3.0]), pyfront.full((4,), -1.0), pyfront.full((4,), 1.0)

    def wheres():
        with pyfront.profiler.profile(activities=[pyfront.profiler.ProfilerActivity.CPU]) as prof:
            x.clamp(lo, hi)
        return [e.name for e in prof.events()].count("aten::where")
    assert wheres() == 2
    x.requires_grad_()
    assert wheres() == 3
    got = x.clamp(lo, hi)
    got.sum().backward()
    want = torch.tensor([-2.0, math.nan, 0.5, 3.0], requires_grad=True)
    want.clamp(torch.full((4,), -1.0), torch.full((4,), 1.0)).sum().backward()
    assert str(got.tolist()) == "[-1.0, nan, 0.5, 1.0]" and x.grad.tolist() == want.grad.tolist()
