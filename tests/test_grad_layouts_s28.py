"""Gradient layouts (strides) as torch 2.13 gives them, for two kinds of backward formula:

* a constant's gradient, torch's ``zeros_like(grad)`` (floor, ceil, trunc, round, sign, floor/trunc
  division): laid out as the incoming gradient, so a transposed or permuted input gets its layout back;
* mean's, torch's ``mean_backward``: the gradient expanded to the input, then divided: a dense result, not
  the stride-0 view a plain sum's gradient is (which sum keeps, as torch's);
* var_mean's and std_mean's, torch's one node: the var's (std's) part, laid out as the input, plus the
  mean's (pyfront added them in the engine's order, the mean's first: a dense sum).

Each op runs on inputs laid out in several ways (transposed, permuted, channels-last, sliced) in both
libraries; the gradient's strides and values are compared with torch's.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import pyfront

LAYOUTS = {
    "transposed": lambda L, t: t.transpose(-1, -2).contiguous().transpose(-1, -2),
    "permuted": lambda L, t: t.permute(2, 0, 1).contiguous().permute(1, 2, 0),
    "channels_last": lambda L, t: t.reshape(2, 3, 2, 2).contiguous(memory_format=L.channels_last).reshape(
        2, 3, 2, 2),
    "sliced": lambda L, t: L.cat([t, t], -1)[..., ::2],
}
SHAPES = {"transposed": (2, 3, 4), "permuted": (2, 3, 4), "channels_last": (24,), "sliced": (2, 3, 4)}

OPS = {
    "floor": lambda L, x: x.floor(),
    "ceil": lambda L, x: L.ceil(x),
    "trunc": lambda L, x: x.trunc(),
    "round": lambda L, x: x.round(),
    "sign": lambda L, x: x.sign(),
    "div_floor": lambda L, x: L.div(x, 0.7, rounding_mode="floor"),
    "div_trunc": lambda L, x: L.div(x, x.detach() + 5, rounding_mode="trunc"),
    "mean": lambda L, x: x.mean(),
    "mean_dim": lambda L, x: x.mean(1),
    "mean_dims_keepdim": lambda L, x: x.mean((0, -1), keepdim=True),
    "sum": lambda L, x: x.sum(),  # (its gradient is an expanded view in both)
    "sum_dim": lambda L, x: x.sum(-1),
    "var_mean": lambda L, x: L.var_mean(x),
    "var_mean_dim": lambda L, x: L.var_mean(x, 1, keepdim=True),
    "std_mean_dims": lambda L, x: L.std_mean(x, (0, 2)),
    "var_mean_var_only": lambda L, x: L.var_mean(x, 1)[0],
    "std_mean_mean_only": lambda L, x: L.std_mean(x, -1)[1],
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("op", list(OPS))
def test_gradient_strides_as_torch(op, layout):
    values = np.random.default_rng(0).standard_normal(SHAPES[layout]).astype(np.float32) * 3
    got = []
    for L in (torch, pyfront):
        leaf = L.tensor(values).requires_grad_()
        x = LAYOUTS[layout](L, leaf.reshape(2, 3, 4) if layout != "channels_last" else leaf)
        outs = OPS[op](L, x)
        outs = list(outs) if isinstance(outs, tuple) else [outs]
        # the incoming gradients laid out as the results (torch's ones_like)
        g, = L.autograd.grad(outs, x, [L.ones_like(out) for out in outs])
        got.append((tuple(g.stride()), g.detach().numpy().copy()))
    (want_strides, want), (strides, value) = got
    assert strides == want_strides
    np.testing.assert_allclose(value, want, rtol=1e-6, atol=1e-6)
