"""Convolution, pooling, normalization, attention and resizing layers against torch.nn.

Functional forms run through the op table (forward, gradients, errors); each layer runs against its
torch twin with copied weights: outputs, the input gradient and every parameter gradient, running
statistics after training steps, eval mode, and ``print(model)``.
"""

import math
import warnings

import numpy as np
import pytest
from webgpu_required import requires_webgpu
import torch

import pyfront
import pyfront.nn as pnn
import pyfront.nn.functional as PF
from optable import GRAD_TOL, assert_same, check, entries, to_numpy

# -- the functional forms: the op table entries of this family ----------------------------------------
FAMILY = (
    "unfold",
    "fold",
    "conv1d",
    "conv2d",
    "conv_transpose1d",
    "conv_transpose2d",
    "max_pool1d",
    "max_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "batch_norm",
    "instance_norm",
    "layer_norm",
    "group_norm",
    "rms_norm",
    "pad",
    "interpolate",
    "pixel_shuffle",
    "pixel_unshuffle",
    "scaled_dot_product_attention",
    "multi_head_attention_forward",
)
# the edge rows (narrow integers, nan/inf) run in test_ops.py, with their known faults marked
OPS = [e for e in entries(edge=False) if e[1].startswith("nn.functional.") and e[1].split(".")[-1] in FAMILY]
CASES = [pytest.param(e, i, id=f"{e[1].split('.')[-1]}-{i}") for e in OPS for i in range(len(e[2]))]


def test_family_is_registered():
    assert {e[1].split(".")[-1] for e in OPS} == set(FAMILY)


@pytest.mark.parametrize("entry,index", CASES)
def test_functional_matches_torch(entry, index):
    name, torch_name, samples, domain, differentiable = entry
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # padding="same" with an even kernel warns in both libraries
        check(name, torch_name, samples[index], domain, differentiable, seed=index)


# -- layers against torch.nn with copied weights -------------------------------------------------------
def _pf(t):
    return pyfront.tensor(t.detach().numpy())


def copy_weights(pm, tm):
    """Load torch module ``tm``'s state (parameters and buffers) into pyfront module ``pm``."""
    state = {k: pyfront.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()}
    result = pm.load_state_dict(state)
    assert not result.missing_keys and not result.unexpected_keys


def run_both(pm, tm, *inputs, kwargs=None, seed=0, grad=True):
    """Forward ``inputs`` (torch tensors) through both modules, backward a random cotangent, compare all."""
    kwargs = kwargs or {}
    rng = np.random.default_rng(seed)
    t_in = [
        x.detach().clone().requires_grad_(x.is_floating_point() and grad)
        if isinstance(x, torch.Tensor)
        else x
        for x in inputs
    ]
    p_in = [
        pyfront.tensor(x.detach().numpy(), requires_grad=x.requires_grad)
        if isinstance(x, torch.Tensor)
        else x
        for x in t_in
    ]
    t_kw = {k: v for k, v in kwargs.items()}
    p_kw = {k: _pf(v) if isinstance(v, torch.Tensor) else v for k, v in kwargs.items()}
    t_out, p_out = tm(*t_in, **t_kw), pm(*p_in, **p_kw)
    assert_same(p_out, t_out)
    if not grad:
        return p_out, t_out
    t_outs = [
        t
        for t in (t_out if isinstance(t_out, tuple) else (t_out,))
        if isinstance(t, torch.Tensor) and t.requires_grad
    ]
    p_outs = [
        p
        for p in (p_out if isinstance(p_out, tuple) else (p_out,))
        if isinstance(p, pyfront.Tensor) and p.requires_grad
    ]
    t_total, p_total = 0, 0
    for t, p in zip(t_outs, p_outs):
        cot = rng.uniform(-1, 1, size=tuple(t.shape)).astype(np.float32)
        t_total = t_total + (t * torch.from_numpy(cot)).sum()
        p_total = p_total + (p * pyfront.tensor(cot)).sum()
    t_total.backward()
    p_total.backward()
    for t, p in zip(t_in, p_in):
        if isinstance(t, torch.Tensor) and t.requires_grad:
            assert_same(p.grad, t.grad, **GRAD_TOL)
    t_params = dict(tm.named_parameters())
    for name, p in pm.named_parameters():
        assert name in t_params, name
        if t_params[name].grad is None:
            assert p.grad is None or not np.any(to_numpy(p.grad)), name
        else:
            assert p.grad is not None, name
            assert_same(p.grad, t_params[name].grad, **GRAD_TOL)
    return p_out, t_out


def pair(name, *args, **kwargs):
    """The same layer in both libraries, the pyfront one holding the torch one's weights."""
    tm = getattr(torch.nn, name)(*args, **kwargs)
    pm = getattr(pnn, name)(*args, **kwargs)
    copy_weights(pm, tm)
    return pm, tm


def randn(*shape, seed=0):
    return torch.from_numpy(np.random.default_rng(seed).standard_normal(shape).astype(np.float32))


CONV_LAYERS = [
    ("Conv1d", (3, 4, 3), {}, (2, 3, 9)),
    ("Conv1d", (4, 6, 3), dict(stride=2, padding=1, dilation=2, groups=2), (2, 4, 11)),
    ("Conv1d", (2, 4, 4), dict(padding="same", bias=False), (3, 2, 7)),
    ("Conv1d", (2, 4, 3), dict(padding=2, padding_mode="circular"), (2, 2, 6)),
    ("Conv2d", (1, 8, 3), dict(padding=1), (2, 1, 6, 6)),
    ("Conv2d", (4, 6, (3, 2)), dict(stride=(2, 1), padding=(1, 0), dilation=(1, 2), groups=2), (2, 4, 7, 8)),
    ("Conv2d", (4, 4, 3), dict(groups=4, bias=False), (2, 4, 5, 5)),
    ("Conv2d", (3, 5, 4), dict(padding="same", dilation=(1, 2)), (2, 3, 7, 9)),
    ("Conv2d", (3, 5, 3), dict(padding="valid", stride=2), (2, 3, 7, 9)),
    ("Conv2d", (2, 3, 3), dict(padding=1, padding_mode="reflect"), (2, 2, 5, 6)),
    ("Conv2d", (2, 3, 3), dict(padding=(2, 1), padding_mode="replicate"), (2, 2, 5, 6)),
    ("Conv2d", (2, 3, 3), dict(padding=1, padding_mode="circular"), (2, 5, 6)),
    ("ConvTranspose1d", (3, 4, 3), dict(stride=2, padding=1, output_padding=1), (2, 3, 5)),
    ("ConvTranspose2d", (3, 4, 3), {}, (2, 3, 4, 5)),
    (
        "ConvTranspose2d",
        (4, 6, (3, 2)),
        dict(stride=(2, 3), padding=(1, 0), output_padding=(1, 2), groups=2, dilation=(2, 1)),
        (2, 4, 4, 3),
    ),
    ("ConvTranspose2d", (2, 2, 2), dict(stride=2, bias=False), (2, 3, 3)),
]


@pytest.mark.parametrize("name,args,kwargs,shape", CONV_LAYERS, ids=lambda v: str(v))
def test_conv_layers(name, args, kwargs, shape):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pm, tm = pair(name, *args, **kwargs)
        run_both(pm, tm, randn(*shape))


def test_conv_transpose_output_size():
    pm, tm = pair("ConvTranspose2d", 2, 3, 3, stride=2, padding=1)
    for size in ((9, 10), [2, 3, 10, 9]):
        run_both(pm, tm, randn(2, 2, 5, 5), kwargs=dict(output_size=size))
    with pytest.raises(ValueError, match="valid sizes range from"):
        pm(pyfront.randn(2, 2, 5, 5), output_size=(12, 12))


POOL_LAYERS = [
    ("MaxPool2d", (2,), {}, (2, 3, 6, 6)),
    ("MaxPool2d", (3, 2, 1), dict(dilation=1, ceil_mode=True), (2, 3, 8, 7)),
    ("MaxPool2d", ((3, 2),), dict(stride=(1, 2), padding=(1, 0), dilation=(2, 1)), (3, 7, 8)),
    ("MaxPool1d", (3,), dict(stride=2, padding=1), (2, 3, 9)),
    ("AvgPool2d", (2,), {}, (2, 3, 6, 6)),
    ("AvgPool2d", (3, 2, 1), dict(ceil_mode=True, count_include_pad=False), (2, 3, 8, 7)),
    ("AvgPool2d", (3,), dict(stride=2, padding=1, divisor_override=5), (2, 3, 8, 7)),
    ("AvgPool1d", (3,), dict(stride=2, padding=1, count_include_pad=False), (2, 3, 9)),
    ("AdaptiveAvgPool2d", ((3, 4),), {}, (2, 3, 7, 9)),
    ("AdaptiveAvgPool2d", (1,), {}, (2, 3, 5, 5)),
    ("AdaptiveAvgPool2d", ((None, 2),), {}, (3, 5, 7)),
    ("AdaptiveAvgPool1d", (4,), {}, (2, 3, 9)),
    ("AdaptiveMaxPool2d", ((3, 4),), {}, (2, 3, 7, 9)),
    ("AdaptiveMaxPool1d", (4,), {}, (2, 3, 9)),
]


@pytest.mark.parametrize("name,args,kwargs,shape", POOL_LAYERS, ids=lambda v: str(v))
def test_pool_layers(name, args, kwargs, shape):
    pm, tm = pair(name, *args, **kwargs)
    run_both(pm, tm, randn(*shape))


def test_max_pool_indices_and_ties():
    """Indices are flat positions in each plane; with ties the gradient goes to the first maximum."""
    x = torch.from_numpy(np.random.default_rng(3).integers(0, 3, size=(2, 3, 7, 8)).astype(np.float32))
    for args, kw in (((2,), {}), ((3, 2, 1), {}), ((3, 1, 1, 2), dict(ceil_mode=True))):
        pm, tm = pair("MaxPool2d", *args, return_indices=True, **kw)
        run_both(pm, tm, x)
    pm, tm = pair("AdaptiveMaxPool2d", (3, 5), return_indices=True)
    run_both(pm, tm, x)
    pm, tm = pair("MaxPool1d", 3, 2, 1, return_indices=True)
    run_both(pm, tm, x[0])


def test_max_pool_integers():
    x = torch.from_numpy(np.random.default_rng(0).integers(-50, 50, size=(2, 3, 6, 5)))
    assert_same(PF.max_pool2d(_pf(x), 3, 2, 1), torch.nn.functional.max_pool2d(x, 3, 2, 1))


# -- normalization -------------------------------------------------------------------------------------
def _train_steps(pm, tm, shape, steps=3):
    for step in range(steps):
        run_both(pm, tm, randn(*shape, seed=step) * 2 + 1, seed=step)
        for name, buf in tm.named_buffers():
            assert_same(dict(pm.named_buffers())[name], buf)


@pytest.mark.parametrize(
    "name,args,kwargs,shape",
    [
        ("BatchNorm1d", (4,), {}, (8, 4)),
        ("BatchNorm1d", (4,), dict(momentum=None), (8, 4, 5)),
        ("BatchNorm1d", (4,), dict(affine=False, momentum=0.3), (6, 4, 3)),
        ("BatchNorm2d", (3,), {}, (4, 3, 5, 5)),
        ("BatchNorm2d", (3,), dict(momentum=None, eps=1e-3), (4, 3, 5, 5)),
        ("BatchNorm2d", (3,), dict(track_running_stats=False), (4, 3, 5, 5)),
        ("InstanceNorm1d", (4,), {}, (3, 4, 6)),
        ("InstanceNorm1d", (4,), dict(affine=True, track_running_stats=True), (3, 4, 6)),
        ("InstanceNorm2d", (3,), dict(affine=True), (2, 3, 5, 4)),
        ("InstanceNorm2d", (3,), dict(track_running_stats=True, momentum=None), (3, 5, 4)),
    ],
    ids=lambda v: str(v),
)
def test_batch_and_instance_norm(name, args, kwargs, shape):
    """Training steps update the running statistics as torch does; eval mode then uses them."""
    pm, tm = pair(name, *args, **kwargs)
    _train_steps(pm, tm, shape)
    pm.eval()
    tm.eval()
    run_both(pm, tm, randn(*shape, seed=9))
    for name_, buf in tm.named_buffers():
        assert_same(dict(pm.named_buffers())[name_], buf)


def test_batch_norm_buffers_and_defaults():
    bn = pnn.BatchNorm2d(5)
    assert [n for n, _ in bn.named_buffers()] == ["running_mean", "running_var", "num_batches_tracked"]
    assert list(bn.state_dict()) == list(torch.nn.BatchNorm2d(5).state_dict())
    assert bn.num_batches_tracked.dtype == pyfront.int64 and bn.num_batches_tracked.item() == 0
    assert bn.weight.tolist() == [1.0] * 5 and bn.bias.tolist() == [0.0] * 5
    assert bn.running_var.tolist() == [1.0] * 5
    bn(pyfront.randn(4, 5, 3, 3))
    assert bn.num_batches_tracked.item() == 1
    assert pnn.BatchNorm1d(3, track_running_stats=False).running_mean is None
    with pytest.raises(ValueError, match=r"expected 4D input \(got 3D input\)"):
        bn(pyfront.randn(4, 5, 3))
    with pytest.raises(ValueError, match=r"expected 2D or 3D input \(got 4D input\)"):
        pnn.BatchNorm1d(5)(pyfront.randn(4, 5, 3, 3))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        pnn.BatchNorm1d(5)(pyfront.randn(1, 5))


def test_batch_norm_eval_without_running_stats_uses_batch():
    pm, tm = pair("BatchNorm2d", 3, track_running_stats=False)
    pm.eval()
    tm.eval()
    run_both(pm, tm, randn(4, 3, 2, 2))


@pytest.mark.parametrize(
    "name,args,kwargs,shape",
    [
        ("LayerNorm", (6,), {}, (2, 3, 6)),
        ("LayerNorm", ((3, 6),), dict(eps=1e-3), (2, 3, 6)),
        ("LayerNorm", (6,), dict(bias=False), (4, 6)),
        ("LayerNorm", (6,), dict(elementwise_affine=False), (4, 6)),
        ("GroupNorm", (2, 6), {}, (3, 6, 4, 4)),
        ("GroupNorm", (3, 6), dict(affine=False), (3, 6, 5)),
        ("GroupNorm", (1, 4), dict(eps=1e-3), (2, 4)),
        ("RMSNorm", (6,), {}, (2, 3, 6)),
        ("RMSNorm", ((3, 6),), dict(eps=1e-4, elementwise_affine=False), (2, 3, 6)),
    ],
    ids=lambda v: str(v),
)
def test_layer_group_rms_norm(name, args, kwargs, shape):
    pm, tm = pair(name, *args, **kwargs)
    with torch.no_grad():  # non-trivial affine parameters, so their gradients are tested too
        for p in tm.parameters():
            p.copy_(torch.randn(p.shape))
    copy_weights(pm, tm)
    run_both(pm, tm, randn(*shape) * 3 + 1)


# -- attention -----------------------------------------------------------------------------------------
def _bool_mask(*shape, seed=0, keep_first=True):
    m = np.random.default_rng(seed).random(shape) < 0.3
    if keep_first:
        m[..., 0] = False  # every query keeps one key: no fully masked rows
    return torch.from_numpy(m)


@pytest.mark.parametrize(
    "kwargs,call",
    [
        (dict(), dict()),
        (dict(batch_first=True), dict(need_weights=False)),
        (dict(batch_first=True), dict(average_attn_weights=False)),
        (dict(bias=False, add_bias_kv=True, add_zero_attn=True), dict()),
        (dict(kdim=5, vdim=3), dict()),
        (dict(kdim=5, vdim=3, batch_first=True), dict(need_weights=False)),
        (dict(), dict(key_padding_mask="bool")),
        (dict(batch_first=True), dict(key_padding_mask="bool", attn_mask="bool", need_weights=False)),
        (dict(), dict(attn_mask="float")),
        (dict(), dict(attn_mask="causal", is_causal=True, need_weights=False)),
        (dict(), dict(attn_mask="3d")),
    ],
    ids=lambda v: str(v),
)
def test_multihead_attention(kwargs, call):
    e, h, n, length, source = 8, 2, 3, 4, 5
    pm, tm = pair("MultiheadAttention", e, h, **kwargs)
    with torch.no_grad():
        for p in tm.parameters():  # non-zero biases too
            p.copy_(torch.randn(p.shape) * 0.5)
    copy_weights(pm, tm)
    first = kwargs.get("batch_first", False)
    shape = lambda seq, dim: (n, seq, dim) if first else (seq, n, dim)
    q = randn(*shape(length, e), seed=1)
    k = randn(*shape(source, kwargs.get("kdim", e)), seed=2)
    v = randn(*shape(source, kwargs.get("vdim", e)), seed=3)
    call = dict(call)
    if call.get("key_padding_mask") == "bool":
        call["key_padding_mask"] = _bool_mask(n, source, seed=4)
    masks = {
        "bool": _bool_mask(length, source, seed=5),
        "float": randn(length, source, seed=6),
        "causal": torch.nn.Transformer.generate_square_subsequent_mask(length)[:, :source]
        if source == length
        else None,
        "3d": randn(n * h, length, source, seed=7),
    }
    if "attn_mask" in call:
        if call["attn_mask"] == "causal":
            k, v = randn(*shape(length, e), seed=2), randn(*shape(length, e), seed=3)
            call["attn_mask"] = torch.nn.Transformer.generate_square_subsequent_mask(length)
        else:
            call["attn_mask"] = masks[call["attn_mask"]]
    run_both(pm, tm, q, k, v, kwargs=call)


def test_multihead_attention_self_attention_unbatched_and_eval():
    pm, tm = pair("MultiheadAttention", 6, 3, dropout=0.5)
    pm.eval()
    tm.eval()
    x = randn(4, 6)
    run_both(pm, tm, x, x, x)
    x = randn(4, 2, 6)
    run_both(pm, tm, x, x, x)


def test_multihead_attention_parameters_and_init():
    pm, tm = pnn.MultiheadAttention(8, 2, kdim=4), torch.nn.MultiheadAttention(8, 2, kdim=4)
    assert [(n, tuple(p.shape)) for n, p in pm.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in tm.named_parameters()
    ]
    pm = pnn.MultiheadAttention(8, 2, add_bias_kv=True)
    assert pm.in_proj_bias.abs().sum().item() == 0 and pm.out_proj.bias.abs().sum().item() == 0
    bound = math.sqrt(6 / (8 + 24))  # xavier_uniform_ on the packed (24, 8) weight
    assert pm.in_proj_weight.abs().max().item() <= bound
    with pytest.raises(AssertionError, match="embed_dim must be divisible by num_heads"):
        pnn.MultiheadAttention(8, 3)
    with pytest.raises(ValueError, match="embed_dim and num_heads must be greater than 0"):
        pnn.MultiheadAttention(0, 2)


def test_scaled_dot_product_attention_dropout():
    """Dropout draws differ between the libraries; check the scaling and that p=0 is the identity."""
    q = pyfront.randn(2, 3, 64, 8)
    v = pyfront.ones(2, 3, 64, 8)
    out = PF.scaled_dot_product_attention(q, q, v, dropout_p=0.5)
    mean = out.mean().item()
    assert 0.8 < mean < 1.2  # kept weights are scaled by 1 / (1 - p): the expectation stays 1
    assert not pyfront.allclose(out, v)
    assert pyfront.allclose(PF.scaled_dot_product_attention(q, q, v, dropout_p=0.0), v)


# -- resizing ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name,args,kwargs,shape",
    [
        ("Upsample", (), dict(scale_factor=2), (2, 3, 4, 5)),
        ("Upsample", (), dict(size=(7, 3), mode="bilinear"), (2, 3, 4, 5)),
        ("Upsample", (), dict(scale_factor=1.5, mode="bilinear", align_corners=True), (2, 3, 4, 5)),
        ("Upsample", (), dict(scale_factor=(2, 3), mode="bicubic"), (1, 2, 3, 4)),
        ("Upsample", (), dict(size=5, mode="linear"), (2, 3, 4)),
        ("UpsamplingNearest2d", (), dict(scale_factor=3), (2, 3, 2, 2)),
        ("UpsamplingBilinear2d", (), dict(size=(5, 4)), (2, 3, 2, 3)),
        ("PixelShuffle", (2,), {}, (2, 8, 3, 3)),
        ("PixelUnshuffle", (2,), {}, (2, 2, 4, 6)),
    ],
    ids=lambda v: str(v),
)
def test_resizing_layers(name, args, kwargs, shape):
    pm, tm = pair(name, *args, **kwargs)
    run_both(pm, tm, randn(*shape))


# -- default initialisation ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "layer,fan_in",
    [
        (lambda: pnn.Conv2d(4, 16, 3), 36),
        (lambda: pnn.Conv1d(6, 32, 5, groups=2), 15),
        (lambda: pnn.ConvTranspose2d(8, 6, 3), 54),
    ],
)
def test_conv_default_init(layer, fan_in):
    """kaiming_uniform_(a=sqrt(5)) gives U(-1/sqrt(fan_in), 1/sqrt(fan_in)); the bias shares the bound."""
    pyfront.manual_seed(0)
    m = layer()
    bound = 1 / math.sqrt(fan_in)
    w = to_numpy(m.weight)
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.8 * bound
    assert abs(w.mean()) < 0.2 * bound
    b = to_numpy(m.bias)
    assert np.abs(b).max() <= bound and np.abs(b).max() > 0.3 * bound


def test_norm_default_init():
    for m in (pnn.LayerNorm(5), pnn.GroupNorm(1, 5), pnn.BatchNorm1d(5), pnn.InstanceNorm1d(5, affine=True)):
        assert m.weight.tolist() == [1.0] * 5 and m.bias.tolist() == [0.0] * 5
        assert m.weight.requires_grad


# -- print(model) -------------------------------------------------------------------------------------------
ZOO = [
    ("Conv1d", (3, 6, 3), {}),
    ("Conv1d", (4, 4, 2), dict(padding="same", groups=2, bias=False)),
    ("Conv2d", (1, 8, 3), dict(padding=1)),
    ("Conv2d", (4, 8, (3, 5)), dict(stride=2, dilation=(1, 2), groups=4)),
    ("Conv2d", (3, 3, 3), dict(padding="same", padding_mode="reflect")),
    ("Conv2d", (3, 3, 3), dict(padding="valid", bias=False)),
    ("ConvTranspose1d", (3, 4, 3), dict(stride=2)),
    ("ConvTranspose2d", (8, 4, 2), dict(stride=2, output_padding=1, dilation=2, bias=False)),
    ("MaxPool1d", (2,), {}),
    ("MaxPool2d", (2,), {}),
    ("MaxPool2d", ((3, 2), 1, 1), dict(ceil_mode=True)),
    ("AvgPool1d", (3,), {}),
    ("AvgPool2d", (2,), {}),
    ("AvgPool2d", (3, 2, 1), dict(count_include_pad=False)),
    ("AdaptiveAvgPool1d", (4,), {}),
    ("AdaptiveAvgPool2d", ((1, 1),), {}),
    ("AdaptiveAvgPool2d", ((None, 7),), {}),
    ("AdaptiveMaxPool2d", (3,), {}),
    ("AdaptiveMaxPool1d", (3,), dict(return_indices=True)),
    ("BatchNorm1d", (8,), {}),
    ("BatchNorm2d", (8,), {}),
    ("BatchNorm2d", (8,), dict(momentum=None, affine=False)),
    ("BatchNorm1d", (3,), dict(eps=1e-3, track_running_stats=False)),
    ("InstanceNorm1d", (3,), {}),
    ("InstanceNorm2d", (3,), dict(affine=True)),
    ("LayerNorm", (8,), {}),
    ("LayerNorm", ((2, 8),), dict(eps=1e-6)),
    ("LayerNorm", (8,), dict(elementwise_affine=False)),
    ("GroupNorm", (2, 8), {}),
    ("RMSNorm", (8,), {}),
    ("RMSNorm", ((2, 8),), dict(eps=1e-6)),
    ("MultiheadAttention", (8, 2), {}),
    ("MultiheadAttention", (8, 2), dict(kdim=3, vdim=5, bias=False)),
    ("Upsample", (), dict(scale_factor=2)),
    ("Upsample", (), dict(size=(4, 5), mode="bilinear")),
    ("Upsample", (), dict(scale_factor=(2, 3))),
    ("UpsamplingNearest2d", (), dict(scale_factor=2)),
    ("UpsamplingBilinear2d", (), dict(size=3)),
    ("PixelShuffle", (3,), {}),
    ("PixelUnshuffle", (2,), {}),
    ("Fold", ((4, 5), 2), {}),
    ("Unfold", ((2, 3),), dict(stride=2)),
]


@pytest.mark.parametrize("name,args,kwargs", ZOO, ids=lambda v: str(v))
def test_repr_matches_torch(name, args, kwargs):
    assert repr(getattr(pnn, name)(*args, **kwargs)) == repr(getattr(torch.nn, name)(*args, **kwargs))


def _cnn(nn):
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.BatchNorm2d(8),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding="same", groups=2),
        nn.GroupNorm(4, 16),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d((2, 2)),
        nn.Flatten(),
        nn.LayerNorm(64),
        nn.Linear(64, 10),
    )


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_cnn_prints_and_trains_as_torch(device):
    """A small CNN: same print, same state_dict keys, the same losses and BN statistics over SGD steps."""
    pm, tm = _cnn(pnn), _cnn(torch.nn)
    assert repr(pm) == repr(tm)
    assert list(pm.state_dict()) == list(tm.state_dict())
    copy_weights(pm, tm)
    pm.to(device)
    p_opt = pyfront.optim.SGD(pm.parameters(), lr=0.1, momentum=0.9)
    t_opt = torch.optim.SGD(tm.parameters(), lr=0.1, momentum=0.9)
    rng = np.random.default_rng(0)
    for _ in range(4):
        x = rng.standard_normal((6, 1, 8, 8)).astype(np.float32)
        y = rng.integers(0, 10, size=6)
        t_loss = torch.nn.functional.cross_entropy(tm(torch.from_numpy(x)), torch.from_numpy(y))
        p_loss = PF.cross_entropy(pm(pyfront.tensor(x, device=device)), pyfront.tensor(y, device=device))
        assert abs(p_loss.item() - t_loss.item()) < 1e-4
        t_opt.zero_grad()
        p_opt.zero_grad()
        t_loss.backward()
        p_loss.backward()
        t_opt.step()
        p_opt.step()
    for name, value in tm.state_dict().items():
        assert_same(pm.state_dict()[name].cpu(), value, rtol=1e-3, atol=1e-4)
    pm.eval()
    tm.eval()
    x = rng.standard_normal((3, 1, 8, 8)).astype(np.float32)
    assert_same(pm(pyfront.tensor(x, device=device)).cpu(), tm(torch.from_numpy(x)), rtol=1e-3, atol=1e-4)


# -- constructor and forward errors --------------------------------------------------------------------
@pytest.mark.parametrize(
    "build",
    [
        lambda nn: nn.Conv2d(3, 6, 3, groups=2),
        lambda nn: nn.Conv2d(4, 6, 3, groups=4),
        lambda nn: nn.Conv2d(4, 6, 3, groups=0),
        lambda nn: nn.Conv2d(4, 6, 3, padding="full"),
        lambda nn: nn.Conv2d(4, 6, 3, stride=2, padding="same"),
        lambda nn: nn.Conv2d(4, 6, 3, padding_mode="mirror"),
        lambda nn: nn.ConvTranspose2d(4, 6, 3, padding_mode="reflect"),
        lambda nn: nn.GroupNorm(3, 8),
    ],
)
def test_constructor_errors(build):
    with pytest.raises(ValueError) as expected:
        build(torch.nn)
    with pytest.raises(ValueError) as got:
        build(pnn)
    assert _sets_sorted(str(got.value)) == _sets_sorted(str(expected.value))


def _sets_sorted(message: str) -> str:
    """A printed Python set's order depends on the hash seed torch's .pyc was compiled with."""
    import re
    return re.sub(r"\{([^{}]*)\}", lambda m: "{" + ", ".join(sorted(m.group(1).split(", "))) + "}", message)


@pytest.mark.parametrize(
    "layer,shape",
    [
        (lambda nn: nn.Conv2d(3, 4, 3), (2, 2, 5, 5)),
        (lambda nn: nn.Conv2d(3, 4, 3), (3, 5)),
        (lambda nn: nn.Conv2d(3, 4, 7), (2, 3, 5, 5)),
        (lambda nn: nn.MaxPool2d(2), (2,)),
        (lambda nn: nn.BatchNorm2d(3), (2, 3, 4)),
        (lambda nn: nn.LayerNorm(4), (2, 3)),
        (lambda nn: nn.GroupNorm(2, 4), (2, 6, 3)),
        (lambda nn: nn.InstanceNorm1d(4, affine=True), (2, 3, 5)),
    ],
)
def test_forward_errors(layer, shape):
    x = np.zeros(shape, dtype=np.float32)
    with pytest.raises(Exception) as expected:
        layer(torch.nn)(torch.from_numpy(x))
    with pytest.raises(type(expected.value)) as got:
        layer(pnn)(pyfront.tensor(x))
    assert str(got.value) == str(expected.value)
