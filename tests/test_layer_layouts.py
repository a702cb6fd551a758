"""The layout of every layer's (and layout-picking tensor op's) result and input gradient is torch's: a
channels-last (3d) input (or a convolution's channels-last weight) gives the channels-last results torch's
CPU kernels make, a transposed one the contiguous results they make, and a few layers (instance_norm,
layer_norm, logsigmoid, 3-d average pooling, masked_fill, repeat) always give contiguous ones. Compared with
torch, on cpu and webgpu: values, ``stride()``, ``is_contiguous(memory_format=)``, the input gradient's
strides (``autograd.grad``) and a leaf's ``.grad`` strides (torch's layout contract)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

_RNG = np.random.default_rng(7)
X3, X4, X5 = (_RNG.standard_normal(s).astype(np.float32) for s in [(2, 4, 7), (2, 4, 5, 6), (2, 4, 3, 4, 5)])
W1, W2, W3 = (_RNG.standard_normal(s).astype(np.float32) for s in [(6, 4, 3), (6, 4, 3, 3), (6, 4, 2, 2, 2)])
WT2, WT3 = (_RNG.standard_normal(s).astype(np.float32) for s in [(4, 6, 3, 3), (4, 3, 2, 2, 2)])
G4 = _RNG.standard_normal(4).astype(np.float32)
CL = {4: "channels_last", 5: "channels_last_3d"}


def _aux(T, device, a, layout="contiguous"):
    t = T.tensor(a, device=device)
    return t.contiguous(memory_format=getattr(T, CL[t.dim()])) if layout == "channels_last" else t


# name: (the input's array, the layer as a function of (torch or pyfront, device, input))
CASES = {
    "conv1d": (X3, lambda T, d, x: T.nn.functional.conv1d(x, _aux(T, d, W1), padding=1)),
    "conv2d": (X4, lambda T, d, x: T.nn.functional.conv2d(x, _aux(T, d, W2), _aux(T, d, G4[:3].repeat(2)),
                                                          padding=1)),
    "conv2d_weight_cl": (X4, lambda T, d, x: T.nn.functional.conv2d(x, _aux(T, d, W2, "channels_last"))),
    "conv2d_groups": (X4, lambda T, d, x: T.nn.functional.conv2d(x, _aux(T, d, W2[:, :2]), groups=2,
                                                                 stride=2)),
    "conv3d": (X5, lambda T, d, x: T.nn.functional.conv3d(x, _aux(T, d, W3))),
    "conv_transpose2d": (X4, lambda T, d, x: T.nn.functional.conv_transpose2d(x, _aux(T, d, WT2), stride=2)),
    "conv_transpose2d_weight_cl": (X4, lambda T, d, x: T.nn.functional.conv_transpose2d(
        x, _aux(T, d, WT2, "channels_last"))),
    "conv_transpose3d": (X5, lambda T, d, x: T.nn.functional.conv_transpose3d(x, _aux(T, d, WT3))),
    "max_pool1d": (X3, lambda T, d, x: T.nn.functional.max_pool1d(x, 2)),
    "max_pool2d": (X4, lambda T, d, x: T.nn.functional.max_pool2d(x, 2)),
    "max_pool2d_indices": (X4, lambda T, d, x: T.nn.functional.max_pool2d(x, 3, 1, 1,
                                                                          return_indices=True)[1]),
    "max_pool3d": (X5, lambda T, d, x: T.nn.functional.max_pool3d(x, 2)),
    "avg_pool2d": (X4, lambda T, d, x: T.nn.functional.avg_pool2d(x, 2, padding=1)),
    "avg_pool3d": (X5, lambda T, d, x: T.nn.functional.avg_pool3d(x, 2)),
    "lp_pool2d": (X4, lambda T, d, x: T.nn.functional.lp_pool2d(x, 2, 2)),
    "adaptive_avg_pool2d": (X4, lambda T, d, x: T.nn.functional.adaptive_avg_pool2d(x, (2, 3))),
    "adaptive_avg_pool2d_1": (X4, lambda T, d, x: T.nn.functional.adaptive_avg_pool2d(x, 1)),
    "adaptive_max_pool2d": (X4, lambda T, d, x: T.nn.functional.adaptive_max_pool2d(x, (2, 3))),
    "adaptive_avg_pool3d": (X5, lambda T, d, x: T.nn.functional.adaptive_avg_pool3d(x, 2)),
    "adaptive_max_pool3d": (X5, lambda T, d, x: T.nn.functional.adaptive_max_pool3d(x, 2)),
    "max_unpool2d": (X4, lambda T, d, x: T.nn.functional.max_unpool2d(*T.nn.functional.max_pool2d(
        x, 2, return_indices=True), 2)),
    "batch_norm": (X4, lambda T, d, x: T.nn.functional.batch_norm(x, None, None, training=True)),
    "batch_norm_eval": (X4, lambda T, d, x: T.nn.functional.batch_norm(x, _aux(T, d, G4),
                                                                       _aux(T, d, G4 ** 2))),
    "batch_norm3d": (X5, lambda T, d, x: T.nn.functional.batch_norm(x, None, None, training=True)),
    "instance_norm": (X4, lambda T, d, x: T.nn.functional.instance_norm(x)),
    "group_norm": (X4, lambda T, d, x: T.nn.functional.group_norm(x, 2, _aux(T, d, G4))),
    "group_norm3d": (X5, lambda T, d, x: T.nn.functional.group_norm(x, 2)),
    "layer_norm": (X4, lambda T, d, x: T.nn.functional.layer_norm(x, (6,))),
    "local_response_norm": (X4, lambda T, d, x: T.nn.functional.local_response_norm(x, 2)),
    "nearest": (X4, lambda T, d, x: T.nn.functional.interpolate(x, scale_factor=2)),
    "nearest_exact": (X4, lambda T, d, x: T.nn.functional.interpolate(x, size=(7, 9), mode="nearest-exact")),
    "bilinear": (X4, lambda T, d, x: T.nn.functional.interpolate(x, scale_factor=2, mode="bilinear")),
    "bicubic": (X4, lambda T, d, x: T.nn.functional.interpolate(x, size=(7, 9), mode="bicubic")),
    "area": (X4, lambda T, d, x: T.nn.functional.interpolate(x, size=(2, 3), mode="area")),
    "linear": (X3, lambda T, d, x: T.nn.functional.interpolate(x, scale_factor=2, mode="linear")),
    "nearest3d": (X5, lambda T, d, x: T.nn.functional.interpolate(x, scale_factor=2)),
    "trilinear": (X5, lambda T, d, x: T.nn.functional.interpolate(x, scale_factor=2, mode="trilinear")),
    "pad_constant": (X4, lambda T, d, x: T.nn.functional.pad(x, (1, 1, 2, 0))),
    "pad_reflect": (X4, lambda T, d, x: T.nn.functional.pad(x, (1, 1, 2, 0), mode="reflect")),
    "pad_replicate": (X4, lambda T, d, x: T.nn.functional.pad(x, (1, 1, 2, 0), mode="replicate")),
    "pad_circular": (X4, lambda T, d, x: T.nn.functional.pad(x, (1, 1, 2, 0), mode="circular")),
    "pad_constant3d": (X5, lambda T, d, x: T.nn.functional.pad(x, (1, 1))),
    "pad_replicate3d": (X5, lambda T, d, x: T.nn.functional.pad(x, (1, 1, 1, 1, 1, 1), mode="replicate")),
    "pixel_shuffle": (X4, lambda T, d, x: T.nn.functional.pixel_shuffle(x, 2)),
    "pixel_unshuffle": (X4[:, :, :4], lambda T, d, x: T.nn.functional.pixel_unshuffle(x, 2)),
    "channel_shuffle": (X4, lambda T, d, x: T.nn.functional.channel_shuffle(x, 2)),
    "dropout_eval": (X4, lambda T, d, x: T.nn.functional.dropout(x, 0.5, training=False)),
    "dropout_p0": (X4, lambda T, d, x: T.nn.functional.dropout(x, 0.0)),
    "dropout2d_p0": (X4, lambda T, d, x: T.nn.functional.dropout2d(x, 0.0)),
    "relu": (X4, lambda T, d, x: T.nn.functional.relu(x)),
    "gelu": (X4, lambda T, d, x: T.nn.functional.gelu(x)),
    "logsigmoid": (X4, lambda T, d, x: T.nn.functional.logsigmoid(x)),
    "prelu": (X4, lambda T, d, x: T.nn.functional.prelu(x, _aux(T, d, G4))),
    "softmax": (X4, lambda T, d, x: T.nn.functional.softmax(x, 1)),
    "glu": (X4, lambda T, d, x: T.nn.functional.glu(x, 1)),
    # tensor ops whose kernels pick their own layout
    "cat": (X4, lambda T, d, x: T.cat([x, x * 2], 1)),
    "cat_mixed": (X4, lambda T, d, x: T.cat([x, _aux(T, d, X4)], 0)),
    "roll": (X4, lambda T, d, x: x.roll(1, 2)),
    "roll_flat": (X4, lambda T, d, x: x.roll(3)),
    "masked_fill": (X4, lambda T, d, x: x.masked_fill(_aux(T, d, X4 > 0), 0.5)),
    "repeat": (X4, lambda T, d, x: x.repeat(1, 2, 1, 1)),
    # laid out as the input (their kernels' empty_like): flips, sorts
    "flip": (X4, lambda T, d, x: x.flip(1, 3)),
    "flip3d": (X3, lambda T, d, x: x.flip(0)),
    "fliplr": (X4, lambda T, d, x: T.fliplr(x)),
    "rot90": (X4, lambda T, d, x: T.rot90(x, 1, (2, 3))),
    "rot90_0": (X4, lambda T, d, x: T.rot90(x, 0)),  # torch's contiguous copy
    "sort": (X4, lambda T, d, x: T.sort(x, 1)[0]),
    "sort_indices": (X4, lambda T, d, x: T.sort(x, stable=True, dim=2)[1]),
    "argsort": (X3, lambda T, d, x: x.argsort(1)),
    "msort": (X3, lambda T, d, x: T.msort(x)),
    # cat's layout of the inputs, split (a new last dim: of the unsqueezed inputs)
    "stack": (X4, lambda T, d, x: T.stack([x, x * 2])),
    "stack_inner": (X4, lambda T, d, x: T.stack([x, x * 2], 2)),
    "stack_last": (X3, lambda T, d, x: T.stack([x, x], -1)),
    # contiguous whatever the input's layout (their kernels' own contiguous results)
    "rrelu_train": (X4, lambda T, d, x: T.nn.functional.rrelu(x, 0.25, 0.25, training=True)),
    "rrelu_eval": (X4, lambda T, d, x: T.nn.functional.rrelu(x)),
    "tril": (X4, lambda T, d, x: x.tril()),
    "triu3d": (X3, lambda T, d, x: T.triu(x, 1)),
    "logcumsumexp": (X4, lambda T, d, x: x.logcumsumexp(1)),
    "renorm": (X4, lambda T, d, x: x.renorm(2, 1, 1.0)),
    "mvlgamma": (X4, lambda T, d, x: (x.abs() + 2).mvlgamma(2)),
    "rms_norm": (X4, lambda T, d, x: T.nn.functional.rms_norm(x, (6,))),
    "pow_number_base": (X4, lambda T, d, x: 2.0 ** x),
    "pow_number_base_fn": (X3, lambda T, d, x: T.pow(1.5, x)),
    "ldexp": (X4, lambda T, d, x: T.ldexp(_aux(T, d, G4[:1]), x)),
    # (each dim's coordinates in turn: strides (1, n))
    "nonzero": (X4, lambda T, d, x: (x > 0).nonzero()),
    "argwhere": (X3, lambda T, d, x: T.argwhere(x > 0)),
    "nonzero_tuple": (X3, lambda T, d, x: (x > 0).nonzero(as_tuple=True)[1]),
}
# a rank-3 input has no channels-last format: transposed only
PAIRS = [(name, layout) for name, (a, _) in CASES.items() for layout in ("channels_last", "transposed")
         if a.ndim in CL or layout == "transposed"]


def _input(T, device, a, layout):
    x = T.tensor(a, device=device)
    if layout == "channels_last":
        x = x.contiguous(memory_format=getattr(T, CL[x.dim()]))
    elif layout == "transposed":  # the last two dims swapped in memory: dense, in no named format
        x = x.transpose(-1, -2).contiguous().transpose(-1, -2)
    return x.requires_grad_()


def _run(T, device, name, layout):
    """(the result, its stride(), its is_contiguous per format, autograd.grad's input gradient strides, the
    leaf's .grad strides)."""
    a, fn = CASES[name]
    x = _input(T, device, a, layout)
    y = fn(T, device, x)
    formats = ["contiguous_format"] + ([CL[y.dim()]] if y.dim() in CL else [])
    contiguous = tuple(y.is_contiguous(memory_format=getattr(T, f)) for f in formats)
    grads = None
    if y.dtype.is_floating_point:
        g = T.ones_like(y)  # preserve_format: laid out as y
        (gx,) = T.autograd.grad(y, x, g, retain_graph=True)
        y.backward(g)
        grads = tuple(gx.stride()), tuple(x.grad.stride())
    return y.detach(), tuple(y.stride()), contiguous, grads


# webgpu runs the channels-last inputs (the layout rules are the device's as much as the cpu's; its kernels
# read the strided inputs); the cpu both
CASES_BY_DEVICE = [(name, layout, "cpu") for name, layout in PAIRS] + [
    pytest.param(name, layout, "webgpu", marks=requires_webgpu) for name, layout in PAIRS
    if layout == "channels_last"]


@pytest.mark.parametrize("name,layout,device", CASES_BY_DEVICE)
def test_layer_layout_as_torch(name, layout, device):
    want = _run(torch, "cpu", name, layout)
    got = _run(pyfront, device, name, layout)
    tol = {} if device == "cpu" else {"rtol": 1e-3, "atol": 1e-4}
    torch.testing.assert_close(torch.from_numpy(np.asarray(got[0].cpu().numpy())), want[0], **tol)
    assert got[1:] == want[1:]


@pytest.mark.parametrize("size", [1, (1, 1), (None, 1), [2, 2], np.array([1, 1])], ids=repr)
@pytest.mark.parametrize("pool", ["adaptive_avg_pool2d", "adaptive_max_pool2d"])
def test_adaptive_pool_sizes_as_given(pool, size):
    """The output size as a user gives it (a NumPy array among them) on a channels-last input: a layout
    rule that compared the whole argument with 1 raised NumPy's ambiguous-truth ValueError."""
    outs = []
    for T in (torch, pyfront):
        x = T.arange(48.).reshape(1, 3, 4, 4).to(memory_format=T.channels_last)
        y = getattr(T.nn.functional, pool)(x, size)
        outs.append((tuple(y.shape), y.stride(), y.flatten().tolist()))
    assert outs[1] == outs[0]
