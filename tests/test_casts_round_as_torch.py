"""Numbers converted to a narrower float as torch converts them, bit for bit, on every path in.

torch makes a float16 (c10::Half) only from a float: a float64 value, a Python float, rounds to float32
first and then to float16. A value just past a float16 half-way point that float32 rounds onto it then
ties to even, where NumPy's and struct's single rounding goes up; 65520 - 2**-30 is inf, not 65504.
An int64 (a Python int operand) becomes a float32 directly, rounded once, not through a double.

The values are built to sit on float16 ties and next to them (by a quarter, a half and a whole float32
ulp), with subnormals, the overflow boundary 65520, float32's own boundary, inf and nan; every path a
float64 value takes into a float16 tensor runs them on each device and is compared with torch's bits.
"""
from __future__ import annotations

import io
import json
import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _tie_values(count):
    """float16 half-way points (normal and subnormal) and the doubles around each, both signs."""
    rng = np.random.default_rng(0)
    ends = [1, 2, 0x3FF, 0x400, 0x3C00, 0x7BFE]  # subnormal, the last subnormal, 1.0, float16's largest
    bits = np.concatenate([rng.integers(1, 0x7BFF, count), ends]).astype(np.uint16)
    low = bits.view(np.float16).astype(np.float64)
    mid = (low + (bits + 1).view(np.float16).astype(np.float64)) / 2
    ulp = np.spacing(mid.astype(np.float32)).astype(np.float64)  # float32's, at the half-way point
    near = [mid, mid + ulp / 4, mid - ulp / 4, mid + ulp / 2, mid - ulp / 2, mid + ulp, mid * (1 + 2**-50)]
    special = [65504.0, 65519.99, 65520.0 - 2**-30, 65520.0, 2.0**-25 * (1 + 2**-40), 2.0**-25 * (1 - 2**-40),
               1e-300, 0.0, float("inf"), float("nan"), 3.4028235677973366e38, 3.4028235677973362e38, 1e300]
    v = np.concatenate(near + [special])
    return [float(x) for x in np.concatenate([v, -v])]


VALUES = _tie_values(14)  # for the paths that take the values as one tensor
FEW = VALUES[::5]  # for those that take one number at a time (every kind is still in: 5 is prime to 7)


def _f64(lib, v):
    return lib.tensor(v, dtype=lib.float64)


def _each(lib, v, d, make):
    """One float16 element per number, by ``make(number, zeros(1))``; an error is kept as its text."""
    out = []
    for x in v:
        try:
            out.append(make(x, lib.zeros(1, dtype=lib.float16, device=d)).reshape(-1).cpu())
        except RuntimeError as e:
            out.append(str(e))
    return out


def _load_state(lib, v, d):
    m = lib.nn.Linear(len(v), 1, bias=False).half().to(d)
    m.load_state_dict({"weight": _f64(lib, v).reshape(1, -1)})
    return m.weight.detach().reshape(-1)


def _loaded(lib, v, d):
    buf = io.BytesIO()
    lib.save(_f64(lib, v), buf)
    buf.seek(0)
    return lib.load(buf).half().to(d)


def _iadd(lib, v, d):
    h = lib.zeros(len(v), dtype=lib.float16, device=d)
    h += _f64(lib, v)  # (a float64 tensor lives on the cpu: NUMBER's iadd_float64_0d is its webgpu case)
    return h


def _setitem(lib, v, d, index):
    h = lib.zeros(len(v), dtype=lib.float16, device=d)
    for i, x in enumerate(v):
        h[index(lib, i, d)] = x
    return h


# path -> (lib, values, device) -> a float16 tensor of len(values) (or a list of per-number results)
WHOLE = {
    "to": lambda L, v, d: _f64(L, v).to(L.float16).to(d),
    "to_device_dtype": lambda L, v, d: _f64(L, v).to(d, L.float16),
    "half": lambda L, v, d: _f64(L, v).half().to(d),
    "type": lambda L, v, d: _f64(L, v).type(L.float16).to(d),
    "copy_": lambda L, v, d: L.zeros(len(v), dtype=L.float16, device=d).copy_(_f64(L, v)),
    "iadd": _iadd,
    "tensor_list": lambda L, v, d: L.tensor(v, dtype=L.float16, device=d),
    "tensor_numpy": lambda L, v, d: L.tensor(np.array(v), dtype=L.float16, device=d),
    "as_tensor_numpy": lambda L, v, d: L.as_tensor(np.array(v), dtype=L.float16, device=d),
    "as_tensor_list": lambda L, v, d: L.as_tensor(v, dtype=L.float16, device=d),
    "from_numpy": lambda L, v, d: L.from_numpy(np.array(v)).half().to(d),
    "new_tensor": lambda L, v, d: L.zeros(1, dtype=L.float16, device=d).new_tensor(v),
    "load_state_dict": _load_state,
    "save_load": _loaded,
    "setitem_number": lambda L, v, d: _setitem(L, v, d, lambda L, i, d: i),
    "setitem_index_tensor": lambda L, v, d: _setitem(L, v, d, lambda L, i, d: L.tensor([i], device=d)),
}


def _setitem_f64(L, v, d):
    h = L.zeros(len(v), dtype=L.float16, device=d)
    h[:] = _f64(L, v)  # a cpu float64 source written into a float16 on any device (as torch's cuda)
    return h


WHOLE["setitem_float64"] = _setitem_f64

# one number at a time: creation, fills, and number operands of float16 ops (torch rounds these to float32
# as its kernels compute float16 in float; those with torch's range check must refuse the same numbers)
NUMBER = {
    "full": lambda x, z: pyfront_or_torch(z).full((1,), x, dtype=z.dtype, device=z.device),
    "tensor_0d": lambda x, z: pyfront_or_torch(z).tensor(x, dtype=z.dtype, device=z.device),
    "full_like": lambda x, z: pyfront_or_torch(z).full_like(z, x),
    "new_full": lambda x, z: z.new_full((1,), x),
    "fill_": lambda x, z: z.fill_(x),
    "fill_float64_0d": lambda x, z: z.fill_(pyfront_or_torch(z).tensor(x, dtype=pyfront_or_torch(z).float64)),
    "iadd_float64_0d": lambda x, z: z.add_(pyfront_or_torch(z).tensor(x, dtype=pyfront_or_torch(z).float64)),
    "masked_fill": lambda x, z: z.masked_fill(z == 0, x),
    "index_fill": lambda x, z: z.index_fill(0, pyfront_or_torch(z).tensor([0], device=z.device), x),
    "scatter_value": lambda x, z: z.scatter(0, pyfront_or_torch(z).tensor([0], device=z.device), x),
    "where": lambda x, z: pyfront_or_torch(z).where(z == 0, x, z),
    "clamp_min": lambda x, z: (z - 70000).clamp(min=x),
    "add": lambda x, z: z + x,
    "radd": lambda x, z: x + z,
    "sub": lambda x, z: z - (-x),
    "iadd": lambda x, z: z.__iadd__(x),
    "mul": lambda x, z: (z + 1) * x,
    "div": lambda x, z: (z + 1) / (1 / x) if x else z * x,
}


def pyfront_or_torch(t):
    return torch if isinstance(t, torch.Tensor) else pyfront


def _bits(t):
    a = t.detach().cpu().numpy().astype(np.float16)
    b = a.view(np.uint16).copy()
    b[np.isnan(a)] = 0x7E00  # any nan is torch's nan
    return b.tolist()


def _compare(got, want, values):
    if isinstance(want, list):  # per number: the bits, or torch's refusal text
        want = [w if isinstance(w, str) else _bits(w)[0] for w in want]
        got = [g if isinstance(g, str) else _bits(g)[0] for g in got]
    else:
        assert str(got.dtype) == str(want.dtype)
        want, got = _bits(want), _bits(got)
    off = [(x, g, w) for x, g, w in zip(values, got, want) if g != w]
    assert not off, f"{len(off)} of {len(values)} differ from torch's, e.g. (value, got, torch's) {off[:3]}"


@pytest.mark.parametrize("path,device", [(p, "cpu") for p in WHOLE] + [
    pytest.param(p, "webgpu", marks=requires_webgpu) for p in WHOLE if p != "iadd"])
def test_float64_to_float16_paths(path, device):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = WHOLE[path](torch, VALUES, "cpu")
        got = WHOLE[path](pyfront, VALUES, device)
    _compare(got, want, VALUES)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("path", list(NUMBER))
def test_number_to_float16_paths(path, device):
    want = _each(torch, FEW, "cpu", NUMBER[path])
    got = _each(pyfront, FEW, device, NUMBER[path])
    _compare(got, want, FEW)


# ints at float32 ties past 2**24 (the double in between lands on the tie, then rounds to even), both signs
INTS = [n for m in (2**24 + 1, 2**24 + 3, 2**25 + 2, 2**54 + 2**30 + 1, 2**62 + 2**38 + 1, 2**62 + 2**38 - 1,
                    2**62 + 2**38, 2**63 - 1, 65519, 65520, 2049, 2051) for n in (m, -m)]
INT_PATHS = {
    "float": lambda L, v, d: L.tensor(v).float(),
    "half": lambda L, v, d: L.tensor(v).half(),
    "copy_": lambda L, v, d: L.zeros(len(v)).copy_(L.tensor(v)),
    "tensor_list_f32": lambda L, v, d: L.tensor(v, dtype=L.float32),  # torch reads a list's ints as doubles
    "numpy_f32": lambda L, v, d: L.tensor(np.array(v), dtype=L.float32),
    "full_f32": lambda L, v, d: L.stack([L.full((), n, dtype=L.float32, device=d) for n in v]),
    "add_f32": lambda L, v, d: L.stack([L.zeros((), device=d) + n for n in v]),
    "mul_f32": lambda L, v, d: L.stack([L.ones((), device=d) * n for n in v]),
    "fill_f32": lambda L, v, d: L.stack([L.zeros((), device=d).fill_(n) for n in v]),
    "full_f16": lambda L, v, d: L.stack([L.full((), n, dtype=L.float16, device=d) for n in v]),
}
# the int64 tensors of these paths live on the cpu; webgpu holds int64 as int32
INT_ON_CPU = {"float", "half", "copy_", "tensor_list_f32", "numpy_f32"}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("path", list(INT_PATHS))
def test_int_to_float_paths(path, device):
    if device == "webgpu" and path in INT_ON_CPU:
        device = "cpu"
    want = INT_PATHS[path](torch, INTS, "cpu")
    got = INT_PATHS[path](pyfront, INTS, device)
    assert str(got.dtype) == str(want.dtype)
    assert got.tolist() == want.tolist()


def test_float64_to_float32_range_end():
    """float32's largest, the half-way point past it (inf: it ties away from an odd significand), and the
    smallest subnormals, from a float64 tensor and from a list."""
    v = [3.4028235677973366e38, 3.4028235677973362e38, 3.4028235677973370e38, 1e39, 1e-46,
         7.006492321624086e-46, 7.006492321624087e-46, 2.1019476964872256e-45, float("nan"), float("inf")]
    v += [-x for x in v]
    for lib_call in (lambda L: L.tensor(v, dtype=L.float64).float(), lambda L: L.tensor(v, dtype=L.float32),
                     lambda L: L.tensor(v, dtype=L.float64).to("cpu", L.float32)):
        want = lib_call(torch).tolist()
        assert lib_call(pyfront).tolist() == pytest.approx(want, rel=0, abs=0, nan_ok=True)


PURE = r"""
import json, sys
sys.modules["numpy"] = None  # the browser build's cpu backend
import pyfront as torch
v, ints = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(json.dumps({"tensor": torch.tensor(v, dtype=torch.float16).tolist(),
                  "half": torch.tensor(v, dtype=torch.float64).half().tolist(),
                  "full": [torch.full((), x, dtype=torch.float16).item() for x in v[::7]],
                  "int_float": torch.tensor(ints).float().tolist(),
                  "int_full": [torch.full((), n, dtype=torch.float32).item() for n in ints]}))
"""


def test_pure_backend_rounds_as_torch():
    """The cpu device without NumPy (the page) packs its numbers with struct: the same roundings."""
    finite = [x for x in VALUES if x == x]  # (JSON's nan compares unequal to itself)
    proc = subprocess.run([sys.executable, "-c", PURE, json.dumps(finite), json.dumps(INTS)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got == {"tensor": torch.tensor(finite, dtype=torch.float16).tolist(),
                   "half": torch.tensor(finite, dtype=torch.float64).half().tolist(),
                   "full": [torch.full((), x, dtype=torch.float16).item() for x in finite[::7]],
                   "int_float": torch.tensor(INTS).float().tolist(),
                   "int_full": [torch.full((), n, dtype=torch.float32).item() for n in INTS]}


# alpha, as torch's float16 add and sub kernels take it: rounded to float16 (their scalar type), then the
# product and the sum in float32, rounded once (64 elements: whole vectors, no scalar tail)
ALPHAS = [0.1, 1 / 3, 0.7, 1.1, -0.3, 1 + 2**-11 + 2**-40, 3.0000001, 2, 65504.0]
ALPHA_OPS = {
    "add": lambda L, a, b, s: L.add(a, b, alpha=s), "sub": lambda L, a, b, s: L.sub(a, b, alpha=s),
    "add_": lambda L, a, b, s: a.clone().add_(b, alpha=s),
    "sub_": lambda L, a, b, s: a.clone().sub_(b, alpha=s),
    "rsub": lambda L, a, b, s: L.rsub(a, b, alpha=s), "method": lambda L, a, b, s: a.add(b, alpha=s),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("op", list(ALPHA_OPS))
def test_float16_alpha(op, device):
    rng = np.random.default_rng(1)
    a, b = (rng.standard_normal(64).astype(np.float16) for _ in range(2))
    for s in ALPHAS:
        want = ALPHA_OPS[op](torch, torch.tensor(a), torch.tensor(b), s)
        got = ALPHA_OPS[op](pyfront, pyfront.tensor(a, device=device), pyfront.tensor(b, device=device), s)
        _compare(got, want, [s] * 64)
