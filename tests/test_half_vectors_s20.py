"""float16 ``prod`` and ``rsqrt`` on cpu equal torch's CPU kernels bit for bit, where those depend on
the width of its vectors (pyfront/ops/half_cpu.py): prod's four vector accumulators (so
``arange(2048, dtype=float16).prod()`` is NaN, 0 * inf, as torch's) and rsqrt's scalar tail, over
shapes, layouts and reduced dims. Up to 32,768 elements: past that torch splits the work over its
threads, and its float16 result depends on how many it has.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import pyfront


def _same(got, want):
    g, w = got.numpy().astype(np.float64), want.numpy().astype(np.float64)
    assert got.dtype is pyfront.float16 and g.shape == w.shape
    np.testing.assert_array_equal(g, w)


def test_arange_product_is_nan_as_torch():
    for lib_n in (2048, 1024, 127, 4096):
        assert math.isnan(torch.arange(lib_n, dtype=torch.float16).prod().item()) == \
            math.isnan(pyfront.arange(lib_n, dtype=pyfront.float16).prod().item())
    assert math.isnan(pyfront.arange(2048, dtype=pyfront.float16).prod().item())
    assert pyfront.arange(1, 2048, dtype=pyfront.float16).prod().item() == math.inf


SHAPES = [(4,), (16,), (63,), (64,), (65,), (127,), (128,), (129,), (300,), (1000,), (5000,), (32768,),
          (3, 50), (3, 127), (5, 200), (2, 3, 70), (40, 3)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("layout", ["contiguous", "transposed", "sliced"])
def test_prod_as_torch(shape, layout):
    x = np.random.default_rng(len(shape) * 1000 + shape[-1]).uniform(0.7, 1.4, shape).astype(np.float16)
    x[..., :1] *= np.float16(1e-3)  # small products too: torch rounds each into float16's subnormals
    p, t = pyfront.tensor(x), torch.tensor(x)
    if layout == "transposed":
        p, t = p.transpose(0, -1), t.transpose(0, -1)
    elif layout == "sliced":
        p, t = p[..., ::2], t[..., ::2]
    _same(p.prod(), t.prod())
    for d in range(p.dim()):
        _same(p.prod(d), t.prod(d))
        _same(p.prod(d, keepdim=True), t.prod(d, keepdim=True))


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("layout", ["contiguous", "transposed", "sliced", "expanded"])
def test_rsqrt_as_torch(shape, layout):
    """Every positive float16 value near 1e-3, and a spread, whose square roots round in the tail."""
    rng = np.random.default_rng(shape[-1])
    x = np.exp(rng.uniform(-12, 8, shape)).astype(np.float16)
    x.reshape(-1)[: min(x.size, 200)] = np.linspace(8e-4, 1.2e-3, min(x.size, 200)).astype(np.float16)
    p, t = pyfront.tensor(x), torch.tensor(x)
    if layout == "transposed":
        p, t = p.transpose(0, -1), t.transpose(0, -1)
    elif layout == "sliced":
        p, t = p[..., ::2], t[..., ::2]
    elif layout == "expanded":
        p, t = p[..., :1].expand(*shape[:-1], 40), t[..., :1].expand(*shape[:-1], 40)
    _same(pyfront.rsqrt(p), torch.rsqrt(t))
    _same(pyfront.rsqrt(p[..., 1:]), torch.rsqrt(t[..., 1:]))  # an offset view


def test_rsqrt_of_one_element_near_1e_3_as_torch():
    for v in np.linspace(5e-4, 2e-3, 400).astype(np.float16):
        _same(pyfront.rsqrt(pyfront.tensor([v])), torch.rsqrt(torch.tensor([v])))
        _same(pyfront.tensor(v).rsqrt(), torch.tensor(v).rsqrt())
