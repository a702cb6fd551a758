"""A float converted to an integer gives torch's CPU values (x86's: NaN, +-inf and values outside
[-2^31, 2^31) become -2^31 before a narrow integer wraps; int64 keeps values below 2^63, else -2^63),
on cpu and webgpu, through every path a conversion takes: ``to``, the dtype methods, ``copy_``, an
indexed assignment and a fused chain. webgpu's int64 holds 32 bits (README): there the values torch's
int64 has outside the int32 range are -2^31, and every other value is torch's.
"""
from __future__ import annotations

import math
import platform

import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

pytestmark = pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"),
                                reason="torch's casts of NaN and out-of-range floats are the CPU's own")

VALUES = [math.nan, -math.nan, math.inf, -math.inf, 3e9, -3e9, 2.5e9, 1e20, -1e20, 3e38, 300.7, -300.7, 128.5,
          -129.5, 65504.0, 70000.0, -1.5, -0.7, 0.7, -0.0, 255.9, 256.0, 2147483520.0, -2147483648.0,
          2147483648.0, 4294967296.0, 40000.0, -40000.0, 9.3e18, -9.3e18, 9.2e18, 1e-40, 127.99, -128.99]
TARGETS = ["int64", "int32", "int16", "int8", "uint8", "bool"]
PATHS = {
    "to": lambda x, d: x.to(d),
    "method": lambda x, d: getattr(x, {"int64": "long", "int32": "int", "int16": "short", "int8": "char",
                                       "uint8": "byte", "bool": "bool"}[str(d).split(".")[1]])(),
    "copy_": lambda x, d: x.new_zeros(x.shape, dtype=d).copy_(x),
    "setitem": lambda x, d: _setitem(x, d),
    "fused": lambda x, d: (x * 1.0 + 0.0).to(d),
}


def _setitem(x, d):
    out = x.new_zeros(x.shape, dtype=d)
    out[:] = x
    return out


def _expected(src, target):
    x = torch.tensor(VALUES, dtype=torch.float32).to(getattr(torch, src))
    return PATHS["to"](x, getattr(torch, target)).tolist()


def _webgpu_int64(values):
    """What webgpu's 32-bit int64 holds of torch's int64 values: those outside int32 are -2^31."""
    return [v if -2 ** 31 <= v < 2 ** 31 else -2 ** 31 for v in values]


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("src", ["float32", "float16", "float64"])
@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_float_to_int_as_torch_cpu(device, src, target, path):
    if device == "webgpu" and src == "float64":
        return  # no float64 on webgpu
    x = pyfront.tensor(VALUES, dtype=pyfront.float32).to(getattr(pyfront, src)).to(device)
    got = PATHS[path](x, getattr(pyfront, target))
    assert (got.dtype, got.device.type) == (getattr(pyfront, target), device)
    want = _expected(src, target)
    if device == "webgpu" and target == "int64":
        want = _webgpu_int64(want)
    assert got.tolist() == want


@requires_webgpu
def test_after_a_conversion_the_integers_compute_as_torch():
    """The -2^31 a NaN becomes is an ordinary int32 afterwards (it wraps, as torch's does)."""
    x = pyfront.tensor([math.nan, 2.5, -3e9], device="webgpu")
    t = torch.tensor([math.nan, 2.5, -3e9])
    assert (x.int() + 1).tolist() == (t.int() + 1).tolist()
    assert (x.int() - 1).tolist() == (t.int() - 1).tolist()
    assert (x.short() * 3).tolist() == (t.short() * 3).tolist()
