"""float16 and bfloat16 gradients equal torch's, bit for bit, over the op table.

torch's CPU backward of many ops is one kernel (tanh_backward, _softmax_backward_data, ...) that reads its
16-bit operands as float32 and rounds each gradient once; pyfront's VJP is a chain of ops, rounded at every
step in a 16-bit dtype unless the op says otherwise (OpDef.vjp_in_float32, autograd/graph.py) or computes its
forward in float32 (ops/common.in_float32, whose casts carry the gradient through float32 too).

Each differentiable op's first samples run with every float32 operand made the 16-bit dtype and a leaf, a
16-bit cotangent, and each gradient compared with torch's to the bit.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch

import pyfront
from optable import T, _resolve, _values, entries
from webgpu_required import requires_webgpu

SAMPLES = 4  # per op: the rows that differ show in the first ones; every sample would take ~60 s

# Ops whose 16-bit gradients still differ from torch's on some sample: each is a fault left for later, not an
# accepted difference; the xfail is strict, so a fix shows up as XPASS and its line goes. Over every sample a
# first sweep found 83 of 262 ops off in float16 and 81 in bfloat16; 19 and 18 are left.
FORWARD = "the forward already differs from torch's in this dtype (test_half_round_once, test_bfloat16)"
CHAIN = ("torch's gradient is a chain of 16-bit ops (its derivative formula or its composite), each rounded, "
         "in another order than pyfront's: not yet written in torch's order")
KERNEL16 = ("torch's backward kernel rounds inside in the 16-bit dtype (pyfront's is float32 rounded once): "
            "where, not yet traced")
ACCUM16 = ("torch's backward kernel adds overlapping contributions into a 16-bit gradient, and its grid's "
           "gradient sums in the dtype too (not yet traced)")
UNTRACED = "where torch rounds not yet traced"
SUM_ORDER = ("torch computes in float32 and rounds once, as pyfront, but sums in another order: one "
             "element's weight gradient an ulp off")
NN = "nn.functional."

_COMMON = {
    **dict.fromkeys(["norm", "cov", "corrcoef", "renorm", "mvlgamma",
                     NN + "normalize", NN + "cosine_similarity", NN + "pairwise_distance",
                     NN + "kl_div", NN + "triplet_margin_loss",
                     NN + "bilinear"], CHAIN),
    **dict.fromkeys([NN + "grid_sample"], ACCUM16),
    **dict.fromkeys(["softmax", NN + "softmax", NN + "softmin", "special_i0e",
                     NN + "multi_head_attention_forward"], FORWARD),
}
KNOWN = {
    "float16": {**_COMMON, "dist": CHAIN, NN + "conv_transpose3d": SUM_ORDER},
    "bfloat16": {**_COMMON, NN + "poisson_nll_loss": UNTRACED},
}


def _pair(spec, domain, rng, dtype, device):
    """(pyfront arg, torch arg, pyfront leaf, torch leaf): a float32 operand made ``dtype`` and a leaf before
    its layout (transposed, expanded), so both libraries hold the same strides."""
    if not isinstance(spec, T):
        return spec, spec, None, None
    data = _values(spec, domain, rng)
    made = []
    for lib in (pyfront, torch):
        x = leaf = lib.tensor(data, device=device) if lib is pyfront else lib.tensor(data)
        if spec.dtype == "float32":
            x = leaf = x.to(getattr(lib, dtype)).requires_grad_(spec.grad)
        if spec.layout == "transposed":
            x = x.permute(*reversed(range(x.dim())))
        elif spec.layout == "expanded":
            x = x.expand(spec.expand_to)
        made.append((x, leaf if spec.dtype == "float32" and spec.grad else None))
    return made[0][0], made[1][0], made[0][1], made[1][1]


def _bits(t) -> list:
    return ["nan" if x != x else (x, math.copysign(1.0, x)) for x in t.detach().float().reshape(-1).tolist()]


def _gradients(lib, torch_name, args, kwargs, leaves, device):
    """Each leaf's gradient of the op's float outputs under a seeded 16-bit cotangent, as (dtype, bits)."""
    out = _resolve(lib, torch_name)(*args, **kwargs)
    outs = [o for o in (out if isinstance(out, (tuple, list)) else (out,))
            if isinstance(o, lib.Tensor) and o.dtype.is_floating_point and o.requires_grad]
    if not outs:
        return None
    rng = np.random.default_rng(1)
    cots = [lib.tensor(rng.uniform(-1, 1, tuple(o.shape)).astype(np.float32)).to(o.device, o.dtype)
            for o in outs]
    grads = lib.autograd.grad(outs, leaves, cots, allow_unused=True)
    return [None if g is None else (str(g.dtype), _bits(g)) for g in grads]


def _rows():
    out = []
    for name, torch_name, samples, domain, differentiable in entries(edge=False):
        picked = [sm for sm in samples if any(isinstance(a, T) and a.dtype == "float32" and a.grad
                                              for a in (*sm[0], *sm[1].values()))][:SAMPLES]
        if not differentiable or not picked:
            continue
        for dtype in KNOWN:
            known = KNOWN[dtype].get(name)
            marks = [pytest.mark.xfail(strict=True, reason=known)] if known else []
            out.append(pytest.param(name, torch_name, picked, domain, dtype, id=f"{name}-{dtype}",
                                    marks=marks))
    return out


@pytest.mark.parametrize("name,torch_name,samples,domain,dtype", _rows())
def test_16_bit_gradients_are_torchs_to_the_bit(name, torch_name, samples, domain, dtype):
    off = _off(torch_name, samples, domain, dtype, "cpu")
    assert not off, f"(sample, input, values off, of) {off}"


# the ops this sweep fixed, float16 on webgpu (no bfloat16 there): their VJPs run on the GPU as on the cpu
# (a first run: 25 of these 26 off torch's, 5 now, each from a forward the WGSL kernels compute otherwise)
ON_WEBGPU = ["tanh", "sigmoid", "relu", "erf", "erfc", "erfinv", "reciprocal", "div", "pow", "sinc", "lerp",
             "addcmul", "addcdiv", "logcumsumexp", "var", "std", "var_mean", "std_mean", NN + "tanhshrink",
             NN + "softsign", "special.ndtr", NN + "mse_loss", NN + "layer_norm", NN + "group_norm",
             NN + "batch_norm", NN + "instance_norm"]


@requires_webgpu
@pytest.mark.parametrize("name", ON_WEBGPU)
def test_fixed_float16_gradients_on_webgpu(name):
    (row,) = [r for r in entries(edge=False) if r[0] == name]
    _, torch_name, samples, domain, _ = row
    picked = [sm for sm in samples if any(isinstance(a, T) and a.dtype == "float32" and a.grad
                                          for a in (*sm[0], *sm[1].values()))][:1]
    off = _off(torch_name, picked, domain, "float16", "webgpu")
    assert not off, f"(sample, input, values off, of) {off}"


def _off(torch_name, samples, domain, dtype, device):
    """(sample, input, values off, values) for each gradient of the samples that differs from torch's."""
    off = []
    for index, (args, kwargs) in enumerate(samples):
        rng = np.random.default_rng(0)
        built = [_pair(a, domain, rng, dtype, device) for a in args]
        kw = {k: _pair(v, domain, rng, dtype, device) for k, v in kwargs.items()}
        results = []
        for j, lib in enumerate((pyfront, torch)):
            leaves = [b[2 + j] for b in (*built, *kw.values()) if b[2 + j] is not None]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    results.append(_gradients(lib, torch_name, [b[j] for b in built],
                                              {k: v[j] for k, v in kw.items()}, leaves, device))
                except Exception as e:  # noqa: BLE001 - torch's refusals are the op table's to compare
                    results.append((type(e).__name__, str(e)))
        got, want = results
        if want is None or isinstance(want, tuple):  # no gradient, or torch refuses the sample
            continue
        assert isinstance(got, list), f"sample {index}: torch computes, pyfront gives {got}"
        for k, (g, w) in enumerate(zip(got, want)):
            if w is None:
                continue
            assert g is not None and g[0] == w[0], (index, k, g and g[0], w[0])
            differ = sum(a != b for a, b in zip(g[1], w[1]))
            if differ:
                off.append((index, k, differ, len(w[1])))
    return off


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5), (3, 2, 4, 5)])
def test_batch_norm_of_a_strided_16_bit_input_is_torchs_to_the_bit(shape, training, dtype):
    """A transposed input takes torch's strided kernels, which round each step in the 16-bit dtype (the
    contiguous ones compute in float32): the output and every gradient, with and without the affine
    parameters, as torch's bits."""
    rng = np.random.default_rng(3)
    data = rng.standard_normal(tuple(reversed(shape))).astype(np.float32) * 2 + 1
    params = [rng.standard_normal(shape[1]).astype(np.float32) for _ in range(2)]
    stats = [rng.standard_normal(shape[1]).astype(np.float32),
             rng.uniform(0.5, 2, shape[1]).astype(np.float32)]
    cot = rng.uniform(-1, 1, shape).astype(np.float32)
    for affine in (True, False):
        results = []
        for lib in (pyfront, torch):
            low = getattr(lib, dtype)
            x = lib.tensor(data).to(low).requires_grad_()
            w, b = (lib.tensor(p).to(low).requires_grad_() for p in params)
            running = [lib.tensor(s).to(low) for s in stats]
            out = lib.nn.functional.batch_norm(x.permute(*reversed(range(len(shape)))), *running,
                                               *((w, b) if affine else (None, None)), training=training)
            leaves = [x, w, b] if affine else [x]
            grads = lib.autograd.grad([out], leaves, [lib.tensor(cot).to(low)])
            results.append([_bits(t) for t in (out, *grads, *running)])
        assert results[0] == results[1], (affine, [a == b for a, b in zip(*results)])


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_gradient_of_another_layout_than_its_input_is_torchs_to_the_bit(training, dtype):
    """A channels-last 16-bit input with a contiguous gradient: torch's backward takes its strided kernel
    (the two layouts differ), each step rounded to the dtype: every gradient as torch's bits."""
    rng = np.random.default_rng(7)
    for shape in ((4, 3, 5, 6), (2, 20, 3, 3)):
        data = (rng.standard_normal(shape) * 2 + 1).astype(np.float32)
        params = [rng.standard_normal(shape[1]).astype(np.float32) for _ in range(2)]
        stats = [rng.standard_normal(shape[1]).astype(np.float32),
                 rng.uniform(0.5, 2, shape[1]).astype(np.float32)]
        cot = rng.uniform(-1, 1, shape).astype(np.float32)
        results = []
        for lib in (pyfront, torch):
            low = getattr(lib, dtype)
            x = lib.tensor(data).to(low).contiguous(memory_format=lib.channels_last).requires_grad_()
            w, b = (lib.tensor(p).to(low).requires_grad_() for p in params)
            out = lib.nn.functional.batch_norm(x, *(lib.tensor(s).to(low) for s in stats), w, b, training)
            grads = lib.autograd.grad([out], [x, w, b], [lib.tensor(cot).to(low)])
            results.append([_bits(t) for t in grads])
        assert results[0] == results[1], (shape, [a == b for a, b in zip(*results)])

@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_smooth_l1_loss_of_16_bits_is_torchs_to_the_bit(dtype, reduction):
    """smooth_l1_loss's 16-bit kernels: bfloat16's loss in float32 rounded once, float16's in float16 steps
    with beta itself a float16; the backward kernel in float32, rounded once (the target's with its
    operands swapped), over betas that float16 does not hold and a broadcast target."""
    rng = np.random.default_rng(4)
    for beta in (1.0, 0.7, 0.3):
        for shape, target_shape in (((4, 10), (4, 10)), ((3, 5), (5,))):
            data = (rng.standard_normal(shape) * 2).astype(np.float32)
            target = rng.standard_normal(target_shape).astype(np.float32)
            results = []
            for lib in (pyfront, torch):
                low = getattr(lib, dtype)
                x, t = (lib.tensor(v).to(low).requires_grad_() for v in (data, target))
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # the broadcast target's size warning
                    out = lib.nn.functional.smooth_l1_loss(x, t, reduction=reduction, beta=beta)
                cot = np.linspace(-1, 1, out.numel()).reshape(tuple(out.shape)).astype(np.float32)
                grads = lib.autograd.grad([out], [x, t], [lib.tensor(cot).to(low)])
                results.append([_bits(v) for v in (out, *grads)])
            assert results[0] == results[1], (beta, shape, [a == b for a, b in zip(*results)])



@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_huber_loss_of_16_bits_is_torchs_to_the_bit(dtype, reduction):
    """huber_loss's 16-bit kernels: each element of the loss rounded to the dtype (bfloat16's at every step),
    then reduced in it; the backward every step in the dtype, its vector loop and its scalar tail (the last
    ``run % 32`` elements of each contiguous run, all of a strided one) in two orders: sizes past a vector,
    a broadcast target, a transposed input, weights, deltas the dtype does not hold."""
    rng = np.random.default_rng(8)
    cases = (((4, 10), (4, 10), False), ((70,), (70,), False), ((3, 5), (5,), False),
             ((6, 40), (6, 40), True))
    for delta in (1.0, 0.7, 2.3):
        for shape, target_shape, transposed in cases:
            data = (rng.standard_normal(shape) * 2).astype(np.float32)
            target = rng.standard_normal(target_shape).astype(np.float32)
            weight = rng.uniform(0, 2, shape[::-1] if transposed else shape).astype(np.float32)
            results = []
            for lib in (pyfront, torch):
                low = getattr(lib, dtype)
                x, t = (lib.tensor(v).to(low).requires_grad_() for v in (data, target))
                kw = {"weight": lib.tensor(weight).to(low)} if delta == 0.7 else {}
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # the broadcast target's size warning
                    out = lib.nn.functional.huber_loss(x.t() if transposed else x, t.t() if transposed else t,
                                                       reduction=reduction, delta=delta, **kw)
                cot = np.linspace(-1, 1, out.numel()).reshape(tuple(out.shape)).astype(np.float32)
                grads = lib.autograd.grad([out], [x, t], [lib.tensor(cot).to(low)])
                results.append([_bits(v) for v in (out, *grads)])
            assert results[0] == results[1], (delta, shape, [a == b for a, b in zip(*results)])


# (call, input shape): windows that overlap, padding, ceil_mode, the divisors' options, unbatched inputs,
# adaptive windows of uneven lengths, so an element gets shares from three or more outputs (two add as once)
_POOLS = [
    (lambda F, x: F.max_pool1d(x, 5, 1, 2), (2, 3, 9)),
    (lambda F, x: F.max_pool2d(x, 3, 1, 1, ceil_mode=True), (2, 2, 7, 6)),
    (lambda F, x: F.max_pool2d(x, (3, 2), (2, 1), (1, 0), (2, 1)), (3, 7, 8)),
    (lambda F, x: F.max_pool3d(x, 3, 1, 1), (1, 2, 4, 5, 4)),
    (lambda F, x: F.adaptive_max_pool1d(x, 20), (2, 3, 9)),
    (lambda F, x: F.adaptive_max_pool2d(x, (12, 9)), (2, 2, 7, 5)),
    (lambda F, x: F.adaptive_max_pool3d(x, (5, 8, 12)), (1, 2, 3, 5, 7)),
    (lambda F, x: F.avg_pool1d(x, 3, 1, 1, count_include_pad=False), (2, 3, 9)),
    (lambda F, x: F.avg_pool2d(x, 3, 1, 1), (2, 2, 7, 6)),
    (lambda F, x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False), (3, 7, 8)),
    (lambda F, x: F.avg_pool2d(x, (3, 2), 1, divisor_override=5), (1, 2, 6, 5)),
    (lambda F, x: F.avg_pool1d(x, 4, 1, 2, ceil_mode=True), (3, 10)),
    (lambda F, x: F.adaptive_avg_pool1d(x, 4), (2, 3, 9)),
    (lambda F, x: F.adaptive_avg_pool2d(x, (4, 3)), (2, 2, 7, 5)),
    (lambda F, x: F.adaptive_avg_pool2d(x, (5, 2)), (3, 7, 3)),
    (lambda F, x: F.adaptive_avg_pool3d(x, (2, 3, 4)), (1, 2, 3, 5, 7)),
    # interpolate's 'area' is these adaptive pools
    (lambda F, x: F.interpolate(x, size=4, mode="area"), (2, 3, 9)),
    (lambda F, x: F.interpolate(x, size=(5, 9), mode="area"), (2, 3, 4, 5)),
    (lambda F, x: F.interpolate(x, scale_factor=(0.6, 1.5), mode="area"), (1, 2, 5, 7)),
    (lambda F, x: F.interpolate(x, size=(3, 5, 4), mode="area"), (1, 2, 2, 3, 5)),
]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("case", range(len(_POOLS)))
def test_pool_gradients_of_16_bits_add_in_torchs_order(case, dtype):
    """A pool's 16-bit input gradient: each output's share (its gradient divided as torch's kernel divides
    it) added into its window's elements in output order, each sum rounded: as torch's bits."""
    call, shape = _POOLS[case]
    rng = np.random.default_rng(9)
    data = rng.standard_normal(shape).astype(np.float32)
    results = []
    for lib in (pyfront, torch):
        x = lib.tensor(data).to(getattr(lib, dtype)).requires_grad_()
        y = call(lib.nn.functional, x)
        cot = np.random.default_rng(10).uniform(-3, 3, tuple(y.shape)).astype(np.float32)
        (g,) = lib.autograd.grad([y], [x], [lib.tensor(cot).to(getattr(lib, dtype))])
        results.append([_bits(y), _bits(g)])
    assert results[0] == results[1], [a == b for a, b in zip(*results)]


# (input shape, weight shape, stride, padding, output_padding, groups, dilation); an output padding that
# reaches its stride has its own test below (torch's fallback kernel)
_TRANSPOSED = [((2, 3, 7), (3, 4, 3), 2, 1, 1, 1, 1), ((4, 6), (4, 2, 3), 1, 0, 0, 2, 1),
               ((2, 3, 4, 5), (3, 2, 3, 2), (2, 1), 1, (1, 0), 1, 1),
               ((3, 5, 5), (3, 2, 3, 3), 1, 1, 0, 1, 1),
               ((1, 2, 3, 4, 3), (2, 3, 2, 2, 3), 2, 0, 1, 1, 1),
               ((2, 2, 3, 3, 3), (2, 2, 2, 2, 2), 1, 0, 0, 1, 2)]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("case", range(len(_TRANSPOSED)))
def test_transposed_convolutions_of_16_bits_are_torchs_to_the_bit(case, dtype):
    """torch's 16-bit transposed convolutions compute in float32 and round once (output and gradients):
    batched and not, groups, strides, dilations, output paddings, 1-d to 3-d."""
    results = _transposed_bits(_TRANSPOSED[case], dtype, 11, with_input=True)
    assert results[0] == results[1], [a == b for a, b in zip(*results)]


def _transposed_bits(case, dtype, seed, with_input):
    """The bits of a transposed convolution's output and gradients (the input's ``with_input``), pyfront's
    and torch's."""
    xs, ws, *options = case
    rng = np.random.default_rng(seed)
    data, weight, bias = (rng.standard_normal(s).astype(np.float32) for s in (xs, ws, (ws[1] * options[3],)))
    results = []
    for lib in (pyfront, torch):
        low = getattr(lib, dtype)
        x, w, b = (lib.tensor(v).to(low).requires_grad_() for v in (data, weight, bias))
        y = getattr(lib.nn.functional, f"conv_transpose{len(ws) - 2}d")(x, w, b, *options)
        cot = np.random.default_rng(seed + 1).uniform(-1, 1, tuple(y.shape)).astype(np.float32)
        grads = lib.autograd.grad([y], [x, w, b] if with_input else [w, b], [lib.tensor(cot).to(low)])
        results.append([_bits(t) for t in (y, *grads)])
    return results

# (call, shape, transposed): glu's backward kernel reads sigmoid(b) rounded to the dtype, logsigmoid's its
# forward's buffer exp(-|x|) stored in the dtype; each then computes in float32 and rounds once
_READS_ROUNDED = {
    "glu": [(lambda F, x: F.glu(x, -1), (3, 12), False), (lambda F, x: F.glu(x, 1), (4, 6, 5), False),
            (lambda F, x: F.glu(x, 0), (80,), False), (lambda F, x: F.glu(x, 0), (10, 4), True)],
    "logsigmoid": [(lambda F, x: F.logsigmoid(x), (40,), False),
                   (lambda F, x: F.logsigmoid(x), (5, 7), True)],
}


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("op", sorted(_READS_ROUNDED))
def test_backward_kernels_that_read_16_bit_values_are_torchs_to_the_bit(op, dtype):
    """Backward kernels that read a 16-bit value of the forward's: the output and gradient as torch's bits,
    over dims and a transposed input (values past 10 in size: logsigmoid's far side too)."""
    rng = np.random.default_rng(5)
    for call, shape, transposed in _READS_ROUNDED[op]:
        data = (rng.standard_normal(shape) * 5).astype(np.float32)
        results = []
        for lib in (pyfront, torch):
            x = lib.tensor(data).to(getattr(lib, dtype)).requires_grad_()
            y = call(lib.nn.functional, x.t() if transposed else x)
            cot = np.linspace(-2, 2, y.numel()).reshape(tuple(y.shape)).astype(np.float32)
            (g,) = lib.autograd.grad([y], [x], [lib.tensor(cot).to(getattr(lib, dtype))])
            results.append([_bits(y), _bits(g)])
        assert results[0] == results[1], (shape, [a == b for a, b in zip(*results)])


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_soft_margin_loss_gradient_of_16_bits_is_torchs_to_the_bit(dtype, reduction):
    """soft_margin_loss's backward is a chain of 16-bit ops in torch, the number -norm rounded to the dtype
    by its in-place multiply: the loss and the input's gradient as torch's bits."""
    rng = np.random.default_rng(6)
    for shape in ((7,), (4, 25)):
        data = (rng.standard_normal(shape) * 2).astype(np.float32)
        target = (np.sign(rng.standard_normal(shape)) * rng.uniform(0.5, 1.5, shape)).astype(np.float32)
        results = []
        for lib in (pyfront, torch):
            low = getattr(lib, dtype)
            x, t = lib.tensor(data).to(low).requires_grad_(), lib.tensor(target).to(low)
            out = lib.nn.functional.soft_margin_loss(x, t, reduction=reduction)
            cot = np.linspace(-1, 1, out.numel()).reshape(tuple(out.shape)).astype(np.float32)
            (g,) = lib.autograd.grad([out], [x], [lib.tensor(cot).to(low)])
            results.append([_bits(out), _bits(g)])
        assert results[0] == results[1], (shape, [a == b for a, b in zip(*results)])


# (call, input shape): overlapping Tensor.unfold windows along each dim (an element in up to 5 windows), and
# tile/repeat with new leading dims (summed away one at a time in torch's backward, then the rest at once)
_ADDED_IN_TURN = [
    (lambda x: x.unfold(1, 5, 1), (3, 12)), (lambda x: x.unfold(0, 3, 2), (9, 4)),
    (lambda x: x.unfold(-1, 4, 1), (2, 3, 10)), (lambda x: x.unfold(1, 2, 1).unfold(0, 3, 1), (5, 6)),
    (lambda x: x.tile((3, 2, 2)), (2, 3)), (lambda x: x.repeat(5, 3, 1, 2), (4, 2)),
    (lambda x: x.tile((7, 3, 3)), (5,)), (lambda x: x.repeat(4, 2, 3), ()),
]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("case", range(len(_ADDED_IN_TURN)))
def test_gradients_added_in_turn_are_torchs_to_the_bit(case, dtype):
    """Tensor.unfold's backward adds each element's windows into its 16-bit gradient in turn, each sum
    rounded; repeat's sums its leading dims away one by one: the gradients (and repeat's fresh memory) as
    torch's."""
    call, shape = _ADDED_IN_TURN[case]
    data = np.random.default_rng(13).standard_normal(shape).astype(np.float32)
    results = []
    for lib in (pyfront, torch):
        x = lib.tensor(data).to(getattr(lib, dtype)).requires_grad_()
        y = call(x)
        cot = np.random.default_rng(14).uniform(-2, 2, tuple(y.shape)).astype(np.float32)
        (g,) = lib.autograd.grad([y], [x], [lib.tensor(cot).to(getattr(lib, dtype))])
        results.append([_bits(y), _bits(g), y.stride()])
    assert results[0] == results[1], [a == b for a, b in zip(*results)]


# (bags, options): bags past 16 entries (torch's sort of the indices leaves ties out of order there), padding,
# per-sample weights, offsets with an empty bag, scale_grad_by_freq
_BAGS = [((3, 7), dict(mode="sum")), ((3, 30), dict(mode="mean")), ((4, 9), dict(mode="mean", padding_idx=1)),
         ((3, 25), dict(mode="sum", per_sample_weights=True, padding_idx=0)), ((30, 3), dict(mode="max")),
         ((2, 20), dict(mode="max", padding_idx=2)), ((21,), dict(mode="mean", offsets=[0, 2, 2, 9])),
         ((3, 20), dict(mode="mean", scale_grad_by_freq=True)),
         ((2, 9), dict(mode="sum", scale_grad_by_freq=True))]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32"])
@pytest.mark.parametrize("case", range(len(_BAGS)))
def test_embedding_bag_gradients_are_torchs(case, dtype):
    """embedding_bag's backward kernel: each entry's gradient row, times its scale rounded to the dtype, added
    into its weight row in the order torch's sort of the indices leaves them (max bags: bag after bag), each
    sum rounded; scale_grad_by_freq divides the k-th run of equal indices by the k-th sorted index's count
    (float32: to torch's tolerance, the others to the bit); the 16-bit forward in float32 rounded once
    (bfloat16's with ties away from zero where torch's fbgemm kernel sums, no padding index)."""
    shape, options = _BAGS[case]
    rng = np.random.default_rng(15)
    index, table = rng.integers(0, 6, shape), rng.standard_normal((6, 24)).astype(np.float32)
    weights = rng.standard_normal(shape).astype(np.float32)
    results = []
    for lib in (pyfront, torch):
        low = getattr(lib, dtype)
        w, p = lib.tensor(table).to(low).requires_grad_(), lib.tensor(weights).to(low).requires_grad_()
        kw = dict(options, per_sample_weights=p if options.get("per_sample_weights") else None)
        if "offsets" in kw:
            kw["offsets"] = lib.tensor(kw["offsets"])
        y = lib.nn.functional.embedding_bag(lib.tensor(index), w, **kw)
        cot = np.random.default_rng(16).uniform(-1, 1, tuple(y.shape)).astype(np.float32)
        grads = lib.autograd.grad([y], [w, p] if options.get("per_sample_weights") else [w],
                                  [lib.tensor(cot).to(low)])
        results.append([t.float().numpy() for t in (y.detach(), *grads)])
    for got, want in zip(*results):
        if dtype == "float32":
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
        else:
            assert (got == want).all(), (got != want).sum()


# (call, input shape, gradient compared): interpolate's 16-bit kernels that store their weights in the dtype
_RESIZES = [
    (lambda F, x: F.interpolate(x, size=9, mode="linear"), (2, 3, 6), True),
    (lambda F, x: F.interpolate(x, size=4, mode="linear", align_corners=True), (2, 3, 9), True),
    (lambda F, x: F.interpolate(x, scale_factor=1.7, mode="linear"), (1, 2, 7), True),
    (lambda F, x: F.interpolate(x, size=(3, 5, 4), mode="trilinear"), (1, 2, 2, 3, 5), True),
    (lambda F, x: F.interpolate(x, size=(5, 2, 7), mode="trilinear", align_corners=True), (1, 2, 3, 3, 4),
     True),
    # (bicubic's float16 gradient is an element or two off: its backward kernel not yet traced)
    (lambda F, x: F.interpolate(x, scale_factor=2, mode="bicubic", align_corners=True), (2, 3, 4, 5), False),
    (lambda F, x: F.interpolate(x, size=(5, 9), mode="bicubic"), (2, 3, 4, 5), False),
    (lambda F, x: F.interpolate(x, scale_factor=(0.6, 1.5), mode="bicubic"), (1, 2, 5, 7), False),
]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("case", range(len(_RESIZES)))
def test_interpolate_of_16_bits_is_torchs_to_the_bit(case, dtype):
    """torch's 16-bit linear, trilinear and bicubic kernels round their weights to the dtype (linear's first
    as 1 less the rounded second) and sum the taps of the first dim over those of the next in float32: the
    output, and the gradient where compared, as torch's bits."""
    call, shape, grad = _RESIZES[case]
    data = np.random.default_rng(17).standard_normal(shape).astype(np.float32)
    results = []
    for lib in (pyfront, torch):
        x = lib.tensor(data).to(getattr(lib, dtype)).requires_grad_()
        y = call(lib.nn.functional, x)
        cot = np.random.default_rng(18).uniform(-1, 1, tuple(y.shape)).astype(np.float32)
        (g,) = lib.autograd.grad([y], [x], [lib.tensor(cot).to(getattr(lib, dtype))])
        results.append([_bits(y), _bits(g)] if grad else [_bits(y)])
    assert results[0] == results[1], [a == b for a, b in zip(*results)]


# (input shape, weight shape, stride, padding, output_padding, groups, dilation): output paddings that reach
# their stride (below the dilation), which torch's oneDNN kernel refuses
_FALLBACK = [((2, 3, 7), (3, 4, 3), 1, 0, 1, 1, 2), ((3, 4, 5), (4, 2, 3), 1, 0, 1, 2, 2),
             ((2, 3, 5, 5), (3, 2, 3, 3), 1, 1, 1, 1, 2), ((4, 3, 5, 5), (3, 2, 3, 3), 2, 0, 2, 1, 3)]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("case", range(len(_FALLBACK)))
def test_transposed_convolution_fallback_weight_gradients_are_torchs(case, dtype):
    """torch's 16-bit fallback transposed convolution adds each sample's float32 weight gradient into the
    16-bit gradient in turn, each sum rounded: the output, weight and bias gradients as torch's bits (the
    input's gradient, an element off in float16, is not yet traced)."""
    results = _transposed_bits(_FALLBACK[case], dtype, 19, with_input=False)
    assert results[0] == results[1], [a == b for a, b in zip(*results)]


# Repeated indices into a 16-bit tensor, whose sums torch's CPU loops round one term at a time (index_put's
# accumulation, a vector's index_add, a matrix's index_add with alpha, embedding's and a vector's
# index_select's backward, index_reduce's mean) or in float32 once (scatter_add, a matrix's index_add with
# alpha 1): a large term first, then small ones that a float32 sum would carry past the 16-bit step and a
# rounded one drops or adds
_IDX = [0, 2, 0, 0, 2, 0, 0, 1]
_REPEATED = [
    lambda lib, x, s: x.index_add(0, lib.tensor(_IDX), s),
    lambda lib, x, s: x.index_add(0, lib.tensor(_IDX), s, alpha=1.7),
    lambda lib, x, s: x.index_add(0, lib.tensor(_IDX, dtype=lib.int32), s, alpha=-3),
    lambda lib, x, s: x.reshape(3, 1).expand(3, 2).contiguous().index_add(0, lib.tensor(_IDX),
                                                                            s.reshape(8, 1).expand(8, 2)),
    lambda lib, x, s: x.reshape(1, 3).index_add(1, lib.tensor(_IDX), s.reshape(1, 8), alpha=1.3),
    lambda lib, x, s: x.index_put((lib.tensor(_IDX),), s, accumulate=True),
    lambda lib, x, s: x.put(lib.tensor(_IDX), s, accumulate=True),
    lambda lib, x, s: x.scatter_add(0, lib.tensor(_IDX), s),
    lambda lib, x, s: lib.autograd.grad([x.index_select(0, lib.tensor(_IDX))], [x], [s])[0],
    lambda lib, x, s: lib.autograd.grad([x.reshape(3, 1).index_select(0, lib.tensor(_IDX))], [x],
                                        [s.reshape(8, 1)])[0],
    lambda lib, x, s: lib.autograd.grad([x[lib.tensor(_IDX)]], [x], [s])[0],
    lambda lib, x, s: lib.autograd.grad([lib.nn.functional.embedding(lib.tensor(_IDX), x.reshape(3, 1))],
                                        [x], [s.reshape(8, 1)])[0],
    lambda lib, x, s: x.index_reduce(0, lib.tensor(_IDX), s, "mean"),
    lambda lib, x, s: x.reshape(3, 1).index_reduce(0, lib.tensor(_IDX), s.reshape(8, 1), "mean",
                                                   include_self=False),
]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("case", range(len(_REPEATED)))
def test_repeated_indices_add_into_16_bits_as_torch(case, dtype):
    """Sums at repeated indices rounded where torch's kernel rounds them, values and gradients."""
    results = []
    for lib in (pyfront, torch):
        low = getattr(lib, dtype)
        x = lib.tensor([0.5, -1.0, 3.0]).to(low).requires_grad_()
        s = lib.tensor([1000.0, 0.3, 0.3, 0.3, 0.4, 0.3, 0.3, 2.0]).to(low).requires_grad_()
        y = _REPEATED[case](lib, x, s)
        grads = [] if y.grad_fn is None else lib.autograd.grad([y.sum()], [x, s], allow_unused=True)
        results.append([_bits(y)] + [None if g is None else _bits(g) for g in grads])
    assert results[0] == results[1], [a == b for a, b in zip(*results)]
