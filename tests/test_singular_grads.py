"""Every differentiable op of the op table at its singular points, forward and gradient, against torch.

The op table's seeded random values almost never land where a derivative is singular or ambiguous:
0 and -0 (x ** 0, sqrt, abs, sign, norm of a zero vector, prod and cumprod with zeros, relu at 0),
ties (max/min/amax/median/maximum/clamp at a boundary), +-inf (log, softmax, logsumexp) and 1 (pow).
Here each float operand is filled from one small set of such values, so zeros, ties and infinities
meet in every sample, and Python-number operands take a value of the set too. Torch is the oracle
for the value and the gradient (nan where torch gives nan).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import optable
from optable import check, entries
from webgpu_required import requires_webgpu

from pyfront.ops.registry import OPS

SETS = {
    "zeros": (0.0, -0.0),
    "ties": (0.0, 1.0, -1.0),
    "inf": (math.inf, -math.inf, 0.0, 1.0),
}
# A Python-number operand of an elementwise op (an exponent, a divisor) takes this value of each set;
# numbers that configure other ops (a dropout rate, a margin) keep theirs.
SCALARS = {"zeros": 0.0, "ties": 1.0, "inf": math.inf}


def _singular_values(values):
    original = optable._values

    def fill(spec, domain, rng):
        if not spec.dtype.startswith("float"):
            return original(spec, domain, rng)
        shape = spec.shape[::-1] if spec.layout == "transposed" else spec.shape
        return rng.choice(np.array(values, dtype=spec.dtype), size=shape)

    return fill


def _scalar_args(sample, value):
    args, kwargs = sample
    swap = lambda a: value if type(a) is float else a  # noqa: E731
    return [swap(a) for a in args], {k: swap(v) for k, v in kwargs.items()}


def _cases(max_samples):
    out = []
    for e in entries():
        if not e[4]:
            continue
        for i in range(min(len(e[2]), max_samples)):
            for mode in SETS:
                out.append(pytest.param(e, i, mode, id=f"{e[0]}-{i}-{mode}"))
    return out


def _run(monkeypatch, entry, index, mode, device):
    name, torch_name, samples, domain, differentiable = entry
    monkeypatch.setattr(optable, "_values", _singular_values(SETS[mode]))
    sample = samples[index]
    if name in OPS and OPS[name].kind == "elementwise":
        sample = _scalar_args(sample, SCALARS[mode])
    check(name, torch_name, sample, domain, differentiable, seed=index, device=device)


@pytest.mark.parametrize("entry,index,mode", _cases(max_samples=99))
def test_singular_points_cpu(monkeypatch, entry, index, mode):
    _run(monkeypatch, entry, index, mode, "cpu")


@requires_webgpu
@pytest.mark.parametrize("entry,index,mode", _cases(max_samples=2))
def test_singular_points_webgpu(monkeypatch, entry, index, mode):
    _run(monkeypatch, entry, index, mode, "webgpu")
