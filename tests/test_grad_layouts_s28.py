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


CONVS = {
    "conv2d": (lambda L: L.nn.functional.conv2d, (2, 3, 6, 5), (4, 3, 3, 3), "channels_last"),
    "conv3d": (lambda L: L.nn.functional.conv3d, (2, 3, 4, 5, 4), (4, 3, 2, 3, 2), "channels_last_3d"),
    "conv_transpose2d": (lambda L: L.nn.functional.conv_transpose2d, (2, 3, 4, 5), (3, 2, 3, 2),
                         "channels_last"),
}


@pytest.mark.parametrize("laid", ["input", "weight", "both", "input_transposed"])
@pytest.mark.parametrize("conv", list(CONVS))
def test_convolution_weight_gradient_in_the_convolutions_format(conv, laid):
    """A convolution's weight gradient takes the format its kernel computes in (channels-last where the
    input or weight is), as its input gradient already did: pyfront's came out contiguous (or, from a
    transposed input, in a layout of its own steps)."""
    fn, in_shape, w_shape, fmt = CONVS[conv]
    rng = np.random.default_rng(1)
    x_values, w_values = (rng.standard_normal(s).astype(np.float32) for s in (in_shape, w_shape))
    got = []
    for L in (torch, pyfront):
        x, w = L.tensor(x_values).requires_grad_(), L.tensor(w_values).requires_grad_()
        xs = x.contiguous(memory_format=getattr(L, fmt)) if laid in ("input", "both") else \
            x.transpose(-1, -2).contiguous().transpose(-1, -2) if laid == "input_transposed" else x
        ws = w.contiguous(memory_format=getattr(L, fmt)) if laid in ("weight", "both") else w
        out = fn(L)(xs, ws)
        gx, gw = L.autograd.grad(out, [xs, ws], L.ones_like(out))
        got.append((gx.stride(), gw.stride(), gw.detach().numpy()))
    (want_x, want_w, want), (sx, sw, value) = got
    assert (sx, sw) == (want_x, want_w)
    np.testing.assert_allclose(value, want, rtol=1e-5, atol=1e-5)


LOSSES = {"huber_loss": lambda F, x, t, r: F.huber_loss(x, t, reduction=r, delta=0.7),
          "smooth_l1_loss": lambda F, x, t, r: F.smooth_l1_loss(x, t, reduction=r, beta=0.5)}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("laid", ["input", "target", "both"])
@pytest.mark.parametrize("loss", list(LOSSES))
def test_pointwise_loss_gradients_contiguous_as_torch(loss, laid, reduction):
    """huber_loss and smooth_l1_loss: torch's backward kernels fill contiguous gradients for the input and
    the target, whatever their layouts (pyfront's elementwise steps laid them out as the operands); the
    result of reduction='none' keeps the operands' layout in both."""
    rng = np.random.default_rng(2)
    x_values, t_values = (rng.standard_normal((3, 4)).astype(np.float32) for _ in range(2))
    got = []
    for L in (torch, pyfront):
        x, t = L.tensor(x_values).requires_grad_(), L.tensor(t_values).requires_grad_()
        xs = x.t().contiguous().t() if laid in ("input", "both") else x
        ts = t.t().contiguous().t() if laid in ("target", "both") else t
        out = LOSSES[loss](L.nn.functional, xs, ts, reduction)
        gx, gt = L.autograd.grad(out, [xs, ts], L.ones_like(out))
        got.append((out.stride(), gx.stride(), gt.stride(), gx.detach().numpy()))
    assert got[1][:3] == got[0][:3]
    np.testing.assert_allclose(got[1][3], got[0][3], rtol=1e-6, atol=1e-7)


def _column_major(L, t):
    return t.mT.contiguous().mT


PRODUCTS = {  # (the call, the operands' shapes)
    "mm": (lambda L, a, b: L.mm(a, b), ((3, 4), (4, 5))),
    "addmm": (lambda L, a, b: L.addmm(L.ones(5), a, b), ((3, 4), (4, 5))),
    "matmul": (lambda L, a, b: a @ b, ((3, 4), (4, 5))),
    "linear": (lambda L, a, b: L.nn.functional.linear(a, b.t()), ((3, 4), (4, 5))),
    "mv": (lambda L, a, b: L.mv(a, b[:, 0].contiguous()), ((3, 4), (4, 1))),
    "bmm": (lambda L, a, b: L.bmm(a, b), ((2, 3, 4), (2, 4, 5))),
    "attention": (lambda L, a, b: L.nn.functional.scaled_dot_product_attention(a, a, b),
                  ((2, 3, 4), (2, 3, 5))),
}


@pytest.mark.parametrize("laid", ["first", "second", "both"])
@pytest.mark.parametrize("product", list(PRODUCTS))
def test_matrix_product_gradients_as_torch(product, laid):
    """torch's mm backward computes a column-major operand's gradient transposed (so it comes out in that
    operand's layout), the other's plainly; its bmm backward (and so attention's) always plainly: pyfront
    did the first for the second operand only, and for bmm too."""
    fn, shapes = PRODUCTS[product]
    rng = np.random.default_rng(3)
    values = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    got = []
    for L in (torch, pyfront):
        a, b = (L.tensor(v).requires_grad_() for v in values)
        a_, b_ = (_column_major(L, t) if laid in (which, "both") else t
                  for t, which in ((a, "first"), (b, "second")))
        out = fn(L, a_, b_)
        ga, gb = L.autograd.grad(out, [a_, b_], L.ones_like(out))
        got.append((ga.stride(), gb.stride(), ga.detach().numpy(), gb.detach().numpy()))
    assert got[1][:2] == got[0][:2]
    for mine, theirs in zip(got[1][2:], got[0][2:]):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-5)
