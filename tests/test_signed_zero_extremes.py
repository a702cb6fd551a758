"""maximum and minimum of 0.0 with -0.0: torch's CPU kernel keeps the second operand in its vectors
and the first in its scalar tail, so the sign of each zero depends on the element's place in the loop.
pyfront's results, bit for bit (the sign of every zero), are torch's: sizes 1..70 in both orders,
float32 and float64, a 0-d operand, transposed, sliced and broadcast layouts. On webgpu fmax/fmin
(float32: WGSL has no float64); its maximum/minimum keep the first operand at every tie, an open
difference (its kernel knows no loop order; a fused chain not even the op's own size)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu


def _layouts():
    for n in range(1, 71):
        yield f"n{n}", lambda T, n=n, dt="float32": _alternating(T, n, dt)
    yield "float64", lambda T: _alternating(T, 37, "float64")
    yield "0-d other", lambda T: (_alternating(T, 40, "float32")[0], T.tensor(0.0))
    yield "0-d first", lambda T: (T.tensor(-0.0), _alternating(T, 40, "float32")[1])
    yield "transposed", lambda T: tuple(v.reshape(6, 10).t() for v in _alternating(T, 60, "float32"))
    yield "sliced", lambda T: tuple(v[::2] for v in _alternating(T, 60, "float32"))
    yield "broadcast row", lambda T: (_alternating(T, 20, "float32")[0].expand(3, 20),
                                      _alternating(T, 20, "float32")[1])


def _alternating(T, n, dtype):
    a = T.tensor(np.where(np.arange(n) % 3 == 0, -0.0, 0.0), dtype=getattr(T, dtype))
    return a, -a


LAYOUTS = dict(_layouts())


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
@pytest.mark.parametrize("order", ["ab", "ba"])
@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("op", ["maximum", "minimum", "fmax", "fmin"])
def test_signed_zeros_as_torch(op, layout, order, device):
    if device == "webgpu" and (op in ("maximum", "minimum") or layout == "float64"):
        pytest.skip("see the module's docstring")
    def signs(T):
        a, b = (v.to(device if T is pyfront else "cpu") for v in LAYOUTS[layout](T))
        out = getattr(T, op)(*((a, b) if order == "ab" else (b, a)))
        return np.signbit(np.asarray(out.tolist(), dtype=np.float64)).tolist()
    assert signs(pyfront) == signs(torch)
