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


# webgpu: float32 only (WGSL has no float64)
CASES = [pytest.param(op, layout, order, device, id=f"{op}-{layout}-{order}-{device}",
                      marks=[requires_webgpu] if device == "webgpu" else [])
         for device in ("cpu", "webgpu") for op in ("maximum", "minimum", "fmax", "fmin")
         for layout in LAYOUTS for order in ("ab", "ba") if not (device == "webgpu" and layout == "float64")]


@pytest.mark.parametrize("op,layout,order,device", CASES)
def test_signed_zeros_as_torch(request, op, layout, order, device):

    def signs(T, first_at_ties=False):
        a, b = (v.to(device if T is pyfront else "cpu") for v in LAYOUTS[layout](T))
        a, b = (a, b) if order == "ab" else (b, a)
        out = getattr(T, op)(a, b) if not first_at_ties else T.where(a == b, a, getattr(T, op)(a, b))
        return np.signbit(np.asarray(out.tolist(), dtype=np.float64)).tolist()
    want = signs(torch)
    if device == "webgpu" and op in ("maximum", "minimum") and want != signs(torch, first_at_ties=True):
        # webgpu's maximum/minimum keep the first operand at every tie (see the docstring): where torch's
        # vectors keep the second, a known difference; the xfail is strict, so a fix shows
        request.node.add_marker(pytest.mark.xfail(strict=True, reason="webgpu keeps the first operand"))
    assert signs(pyfront) == want
