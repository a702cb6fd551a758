"""Where Python numbers meet float16 (and float ranges), results equal torch's CPU kernels bit for bit.

torch's float16 kernels each take a number in their own way: elu's alpha and a softshrink's lambda as a
float32 (the op computes in float32 and rounds once), add's alpha as a float16 (its scalar_t), addr's
alpha and beta as float16s with every step rounded, xlogy's logarithm rounded to float16 before the
product; its vectors and its scalar tail (the last elements of each run, under 32 of them) round
differently (add's alpha); lerp and arange fuse their multiply-adds. A sweep found each off by an ulp
somewhere; each row here runs on sizes with and without a tail, on cpu and webgpu.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
NUMBERS = [0.1, 1 / 3, 0.7, 1.1, -0.3, 2.9]

_r = np.random.default_rng(3)
_SHAPES = {"m": (8, 25), "u": (8,), "v": (25,), "b": (3, 8, 5), "c": (3, 5, 25), "sq": (40, 40)}
DATA = {"x": (_r.standard_normal(200) * 3).astype(np.float16),
        "y": (_r.standard_normal(200) * 3).astype(np.float16),
        **{k: _r.standard_normal(s).astype(np.float16) for k, s in _SHAPES.items()}}


def F(L):
    return L.nn.functional


CASES = {
    "elu": lambda L, t, s: F(L).elu(t["x"], alpha=s),
    "elu_inplace": lambda L, t, s: F(L).elu(t["x"] * 1, alpha=s, inplace=True),
    "celu": lambda L, t, s: F(L).celu(t["x"], alpha=s),
    "selu": lambda L, t, s: F(L).selu(t["x"] * s),
    "softshrink": lambda L, t, s: F(L).softshrink(t["x"], abs(s)),
    "xlogy_number_first": lambda L, t, s: L.xlogy(s, t["x"].abs()),
    "xlogy_number_second": lambda L, t, s: L.xlogy(t["x"], abs(s)),
    "xlogy_tensors": lambda L, t, s: L.xlogy(t["x"] * s, t["y"].abs()),
    "xlog1py": lambda L, t, s: L.special.xlog1py(s, t["x"].abs()),
    "addr": lambda L, t, s: L.addr(t["m"], t["u"], t["v"], alpha=s, beta=1 / 3),
    "addr_beta": lambda L, t, s: L.addr(t["m"], t["u"], t["v"], beta=s),
    "addr_beta0": lambda L, t, s: L.addr(t["m"], t["u"], t["v"], alpha=s, beta=0),
    "addbmm": lambda L, t, s: L.addbmm(t["m"], t["b"], t["c"], alpha=s, beta=1 / 3),
    "lerp": lambda L, t, s: L.lerp(t["x"], t["y"], s),
    "lerp_": lambda L, t, s: t["x"].clone().lerp_(t["y"], s),
    "lerp_weight_tensor": lambda L, t, s: L.lerp(t["x"], t["y"], (t["y"] * s).sigmoid()),
    # alpha: all tail (20), vectors and a tail (50), whole vectors (64), per row of a 2-d operand,
    # transposed operands (one memory order), broadcast rows, and a strided operand (no vectors)
    "add_alpha_20": lambda L, t, s: L.add(t["x"][:20], t["y"][:20], alpha=s),
    "add_alpha_50": lambda L, t, s: L.add(t["x"][:50], t["y"][:50], alpha=s),
    "add_alpha_64": lambda L, t, s: L.add(t["x"][:64], t["y"][:64], alpha=s),
    "sub_alpha_50": lambda L, t, s: L.sub(t["x"][:50], t["y"][:50], alpha=s),
    "add__alpha_50": lambda L, t, s: t["x"][:50].clone().add_(t["y"][:50], alpha=s),
    "sub__alpha_20": lambda L, t, s: t["x"][:20].clone().sub_(t["y"][:20], alpha=s),
    "add_alpha_rows": lambda L, t, s: L.add(t["sq"], t["sq"] * 2, alpha=s),
    "add_alpha_transposed": lambda L, t, s: L.add(t["sq"].t(), (t["sq"] * 2).t(), alpha=s),
    "add_alpha_broadcast": lambda L, t, s: L.add(t["sq"], t["sq"][0], alpha=s),
    "add_alpha_column": lambda L, t, s: L.add(t["sq"], t["sq"][:, :1], alpha=s),
    "add_alpha_strided": lambda L, t, s: L.add(t["sq"][:, ::2], t["sq"][:, 1::2], alpha=s),
}


def _bits(r):
    a = r.detach().cpu().numpy()
    b = a.view({2: np.uint16, 4: np.uint32, 8: np.uint64}[a.itemsize]).copy()
    b[np.isnan(a)] = 0
    return b


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", list(CASES))
def test_float16_number_operands_as_torch(case, device):
    off = []
    for s in NUMBERS:
        want = CASES[case](torch, {k: torch.tensor(v) for k, v in DATA.items()}, s)
        got = CASES[case](pyfront, {k: pyfront.tensor(v, device=device) for k, v in DATA.items()}, s)
        assert got.dtype is pyfront.float16
        n = int((_bits(got) != _bits(want)).sum())
        if n:
            off.append((s, n))
    assert not off, f"(number, elements off torch's) {off}"


RANGES = [(0, 100, 0.37), (-5, 50, 0.1), (1.3, 70, 0.77), (0.5, 9, 0.013), (1e6, 1e6 + 1, 1 / 7),
          (-3, 3, 0.25), (9.510659568536408, 1031, 3.233242079300557), (0, 31, 1.1), (0, 7, 0.5)]


@pytest.mark.parametrize("device,dtype", [("cpu", "float16"), ("cpu", "float32"), ("cpu", "float64"),
                                          pytest.param("webgpu", "float16", marks=requires_webgpu)])
def test_float_arange_as_torch(device, dtype):
    """torch fills a float range a vector at a time from a rounded first element, with fused multiply-adds,
    and its last elements one at a time: float16, float32 and float64 differ in the last bit from
    start + i * step rounded once."""
    off = []
    for start, end, step in RANGES:
        if dtype == "float16" and abs(end) > 6e4:
            continue
        want = torch.arange(start, end, step, dtype=getattr(torch, dtype))
        got = pyfront.arange(start, end, step, dtype=getattr(pyfront, dtype), device=device)
        n = int((_bits(got) != _bits(want)).sum())
        if n:
            off.append(((start, end, step), n))
    assert not off, f"(range, elements off torch's) {off}"


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", ["float16", "float32"])
def test_nextafter_at_edges_as_torch(device, dtype):
    """float16's next value is float16's (webgpu stepped float32's and rounded back), from 0, the largest
    finite value, the infinities, subnormals, and the signed zeros towards each other; a NaN operand's
    bits are torch's."""
    x = np.concatenate([DATA["x"][:40], np.array([0, -0.0, 65504, -65504, 1, 2, 0.5, -2, 6e-8, -6e-8, np.inf,
                                                  -np.inf, np.nan, 6.1e-5, 6.1035e-05], np.float16)])
    x = x.astype(dtype)
    for y in (np.roll(x, 1), -x, np.zeros_like(x), -np.zeros_like(x), np.full_like(x, np.inf),
              np.full_like(x, -np.inf), np.full_like(x, np.nan)):
        want = torch.nextafter(torch.tensor(x), torch.tensor(y))
        got = pyfront.nextafter(pyfront.tensor(x, device=device), pyfront.tensor(y, device=device))
        w, g = want.numpy(), got.cpu().numpy()
        assert (g.view(np.uint8) == w.view(np.uint8)).all(), x[g.view(_UINT[dtype]) != w.view(_UINT[dtype])]


_UINT = {"float16": np.uint16, "float32": np.uint32}
