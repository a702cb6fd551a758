"""The sign of a zero that a fused multiply-add gives (lerp's two forms, a float arange's elements), bit for
bit as torch's CPU kernels: the cpu device's emulated fma (backends/vector_range.py) once gave +0 where
the fused -0.5 * 0 + -0 is -0 (float64 lerp, arange from -0.0). webgpu's twin (fused_f32) in float32."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

_ENDS = (0.0, -0.0, 1.0, -1.0)
# (not 1.0: torch's vectors compute (w - 1) * d + end and its scalar tail end - d * (1 - w), whose zero
# products differ in sign there, so lerp(0, -0, 1) is -0 or +0 by the element's place in its loop; pyfront
# gives the tail's +0 everywhere, an open difference)
_WEIGHTS = (-0.3, -0.0, 0.0, 0.3, 0.5, 0.7, 1.5)


def _bits(t) -> list:
    a = t.detach().cpu().numpy()
    return a.view(np.uint64 if a.dtype == np.float64 else np.uint32).tolist()


def _lerp_cases(dtype):
    x, end = zip(*itertools.product(_ENDS, _ENDS))
    for w in _WEIGHTS:  # a number weight (one form for all) and a tensor of weights (np.where's forms)
        yield f"{dtype} w={w}", lambda L, w=w: L.lerp(L.tensor(x, dtype=getattr(L, dtype)),
                                                      L.tensor(end, dtype=getattr(L, dtype)), w)
    xs, ends, ws = zip(*itertools.product(_ENDS, _ENDS, _WEIGHTS))
    yield f"{dtype} tensor weights", lambda L: L.lerp(*(L.tensor(v, dtype=getattr(L, dtype))
                                                         for v in (xs, ends, ws)))


def _arange_cases(dtype):
    for start, step in itertools.product((-0.0, 0.0), (-1.0, 1.0, -0.5)):
        # 37 elements: past two of torch's vectors and into a scalar tail, whatever the dtype's lanes
        yield f"{dtype} arange({start}, step={step})", \
            lambda L, a=start, h=step: L.arange(a, a + 37 * h, h, dtype=getattr(L, dtype))


_CASES = dict(itertools.chain(*(_lerp_cases(d) for d in ("float32", "float64")),
                              *(_arange_cases(d) for d in ("float32", "float64", "float16", "bfloat16"))))


def _as_float32_bits(t):
    return _bits(t.float()) if t.dtype in (torch.float16, torch.bfloat16, pyfront.float16, pyfront.bfloat16) \
        else _bits(t)


@pytest.mark.parametrize("name", list(_CASES))
def test_zero_signs_as_torch_cpu(name):
    assert _as_float32_bits(_CASES[name](pyfront)) == _as_float32_bits(_CASES[name](torch))


@requires_webgpu
@pytest.mark.parametrize("name", [n for n in _CASES if n.startswith("float32")])
def test_zero_signs_as_torch_webgpu(name):
    with pyfront.device("webgpu"):
        got = _CASES[name](pyfront)
    assert got.device.type == "webgpu"
    assert _bits(got) == _bits(_CASES[name](torch))
