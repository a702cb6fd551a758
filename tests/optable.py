"""The op table: every registry op and registered composite, checked against real PyTorch.

Inputs come from each op's sample descriptions (pyfront.ops.samples), filled with seeded values,
built identically in pyfront and torch (same layout: transposed and expanded views included).
Forward values are compared with torch's assert_close defaults (float32), then the gradient of
sum(out * cotangent) for every float operand.
"""
from __future__ import annotations

import re
import warnings
from contextlib import contextmanager

import numpy as np
import pytest
import torch

import pyfront
from pyfront.backends import host_gemm
from pyfront.ops.registry import COMPOSITES, OPS
from pyfront.ops.samples import T, edge_samples, elementwise
from warned import torch_text  # (the test files import it from here too)

GRAD_TOL = dict(rtol=1e-3, atol=1e-4)


def entries(edge=True):
    """(id, public name, samples, domain, differentiable) for every op the table covers; ``edge``:
    with the edge rows (narrow integers, nan/inf) after each op's own samples."""
    out = []
    for op in OPS.values():
        if op.torch_name is None:
            continue
        samples = op.samples() if op.samples else elementwise(op.arity) if op.kind == "elementwise" else None
        if samples is None:
            continue
        samples = samples + edge_samples(samples) if edge else samples
        out.append((op.name, op.torch_name, samples, op.domain, op.vjp is not None))
    for name, info in COMPOSITES.items():
        samples = info["samples"]() if info["samples"] else []
        samples = samples + edge_samples(samples) if edge else samples
        out.append((name, name, samples, info["domain"], info["grad"]))
    return out


# Edge rows (samples.edge_samples) that still differ from torch: test id -> (devices, why). Each is
# a known fault left for a later change, not an accepted difference; the xfail is strict, so a fix
# shows up as XPASS and its line goes.
SUM_ORDER = "huge terms of both signs: inf, -inf or NaN by the summation order, torch's own"
KNOWN_EDGE_FAULTS = {
    "cumprod-13": ("webgpu", "int64 is 32-bit on webgpu: the product of narrow ints overflows"),
    "cumprod-15": ("webgpu", "int64 is 32-bit on webgpu: the product of narrow ints overflows"),
    # torch's CPU float32 kernel gives nan for gelu(+inf) on a contiguous tensor, but inf on a strided
    # view, in float64 and in float16: pyfront gives inf everywhere
    "nn.functional.gelu-12": ("cpu webgpu", "torch's contiguous float32 CPU kernel gives nan for gelu(+inf)"),
    # the sign of a zero result: torch's own choice among equal values (+0 and -0 tie), or its
    # accumulation order, which pyfront does not reproduce
    # (the cpu takes the zero torch's nth_element leaves: tie_order.signed_zero_median; webgpu does not)
    "nanmedian-14": ("webgpu", "at a tie of 0.0 and -0.0 torch's median picks -0.0, pyfront the other"),
    "prod-21": ("webgpu", "int64 is 32-bit on webgpu: the product of narrow ints overflows"),
    "prod-22": ("webgpu", "int64 is 32-bit on webgpu: the product of narrow ints overflows"),
    "prod-23": ("webgpu", "int64 is 32-bit on webgpu: the product of narrow ints overflows"),
    # the huge rows (magnitudes up to float32's largest) where torch's result comes from its own order of
    # float32 arithmetic (a kernel's summation order, a fused multiply-add, a float64 accumulator WGSL lacks)
    # PyTorch's CPU scan accumulates float32 in float64 (3e38 * 1e20 * ... * 1e-30 comes back finite); pyfront
    # cpu does too, WGSL has no 64-bit float to accumulate in
    "cumprod-19": ("webgpu", "torch's CPU cumprod accumulates in float64; WGSL has no f64"),
    "cumprod-20": ("webgpu", "torch's CPU cumprod accumulates in float64; WGSL has no f64"),
    # torch's addbmm adds the batches into the result one at a time (addmm_ per batch, input first): -3e38
    # + -1.55e38 overflows to -inf before the +inf batch comes (NaN); pyfront's webgpu sums the batch
    # products first (its cpu adds them in turn, as torch's)
    "addbmm-18": ("webgpu", "torch adds input and each batch in turn: -inf + inf"),
    # the values match; the gradients sum huge products of both signs (the cotangent's), whose float32 partial
    # sums pass 3.4e38 or not by summation order: inf in torch's gemm order, finite (or -3.4e38) in pyfront's
    "nn.functional.conv2d-27": ("cpu webgpu", SUM_ORDER),
    "nn.functional.conv2d-28": ("cpu webgpu", SUM_ORDER),
    "nn.functional.conv_transpose2d-19": ("cpu webgpu", SUM_ORDER),
    "nn.functional.conv_transpose2d-20": ("cpu webgpu", SUM_ORDER),
    # 3-d: the values too, as the sum over the kernel's depth of 2-d convolutions adds its partial sums in
    # another order than torch's one gemm (3e38-sized products overflow to inf in one order, not the other)
    "nn.functional.conv3d-14": ("cpu webgpu", SUM_ORDER),
    "nn.functional.conv3d-15": ("cpu webgpu", SUM_ORDER),
    "nn.functional.conv_transpose3d-10": ("cpu webgpu", SUM_ORDER),
    "nn.functional.conv_transpose3d-11": ("cpu webgpu", SUM_ORDER),
    # torch's contiguous CPU kernel rounds x * alpha + beta once (a fused multiply-add): -2.98e-8 at x ==
    # the running mean; a transposed input, and pyfront, give 0 (float64: 2.8e-17, the same rounding)
    "nn.functional.batch_norm-18": ("cpu webgpu", "torch fuses x * alpha + beta (an FMA)"),
    # torch's RowwiseMoments merges partial moments with m2 += delta * delta * c1 * c2 * n, and one partial is
    # empty (c1 = 0): inf * 0 makes the whole row NaN wherever the mean's square overflows (the variance is
    # inf either way; pyfront gives the signed zeros of rstd = 0, as torch's group_norm and float64 do)
    "nn.functional.layer_norm-18": ("cpu webgpu", "torch's Welford merge: inf * 0 = NaN"),
    "nn.functional.layer_norm-19": ("cpu webgpu", "torch's Welford merge: inf * 0 = NaN"),
    # the values match; pyfront's gradient is autograd's through (x - mean) * rsqrt(var + eps): the sum of
    # g * (x - mean) overflows, and times rsqrt's derivative 0 it is NaN; torch's backward kernel sums dy * x
    # and dy apart (finite here) and scales them by rstd^3 = 0
    "nn.functional.group_norm-18": ("cpu webgpu", "the gradient: sum of g * (x - mean) overflows (NaN)"),
    # bilinear's products: torch's MKL order, which the cpu device has only with the mkl extra
    "nn.functional.bilinear-10": ("" if host_gemm.available() else "cpu", SUM_ORDER),
    "nn.functional.bilinear-11": ("" if host_gemm.available() else "cpu", SUM_ORDER),
    # the per-element losses match torch's (3e38, 1.5e38, -inf, ...); their mean is NaN in torch's float32
    # cascade order (+inf, then + -inf) and -inf in NumPy's pairwise one (webgpu's order gives torch's NaN)
    "nn.functional.binary_cross_entropy_with_logits-16": ("cpu", SUM_ORDER),
    # torch's vectorized float32 gelu gives inf for gelu(3e38) (x * (1 + erf) first), its scalar tail 3e38
    "nn.functional.gelu-15": ("cpu webgpu", "torch's vectorized float32 gelu overflows for x near 3e38"),
    "vander-10": ("webgpu", "int64 is 32-bit on webgpu: the powers of int16 overflow"),
    # every product (x_i - mean)(y_i - mean) overflows, with both signs: torch's float32 mm rounds each one
    # (inf + -inf = NaN), NumPy's sgemm fuses them (FMA) and gives -inf, the float64 answer's sign
    # (torch's MKL, which the cpu device has with the mkl extra, gives torch's NaN)
    "cov-15": ("" if host_gemm.available() else "cpu",
               "torch's mm rounds each overflowing product (NaN); NumPy's sgemm fuses them"),
    "cov-16": ("" if host_gemm.available() else "cpu",
               "torch's mm rounds each overflowing product (NaN); NumPy's sgemm fuses them"),
    # torch's float32 histogram kernel computes the bin as (x - min) * bins / (max - min): for x = 3e38 the
    # product overflows to inf and its int64 cast puts x in bin 1; float64 (and pyfront) put it in the last
    "histogram-14": ("cpu webgpu", "torch's float32 bin index (x - min) * bins overflows (bin 1)"),
    "histogram-15": ("cpu webgpu", "torch's float32 bin index (x - min) * bins overflows (bin 1)"),
}


def cases(device):
    """The op table as pytest params for ``device``, known edge faults marked."""
    out = []
    for e in entries():
        for i in range(len(e[2])):
            devices, why = KNOWN_EDGE_FAULTS.get(f"{e[0]}-{i}", ("", ""))
            marks = [pytest.mark.xfail(strict=True, reason=why)] if device in devices.split() else []
            out.append(pytest.param(e, i, id=f"{e[0]}-{i}", marks=marks))
    return out


SPECIAL = (np.nan, np.inf, -np.inf, 0.0, -0.0)
ZEROS = (0.0, -0.0, -0.3, 0.4)
# magnitudes near float32's largest, where a formula that squares, exponentiates or divides overflows
# or rounds away the answer torch's kernel keeps, and an integer past float32's 24 bits of mantissa. The
# large ones have one sign ("-huge": the other), so a sum does not cancel them: cancelling huge terms
# gives a result of the summation order, which is torch's own and not part of its contract
HUGE = (3e38, 1e20, 16777217.0, -1e-30, 2.5, -0.5, 1e37, 7.0)


def _values(spec: T, domain, rng):
    data = _unsorted_values(spec, domain, rng)
    return _sorted_last(data, spec) if spec.sort else data


def _sorted_last(data, spec):
    """Sorted along the last dim of the tensor built from ``data`` (NaN last, as torch.sort)."""
    if spec.layout == "transposed":
        return np.sort(data.T, axis=-1).T if data.ndim else data
    return np.sort(data, axis=-1) if data.ndim else data


def _unsorted_values(spec: T, domain, rng):
    lo = spec.low if spec.low is not None else domain[0]
    hi = spec.high if spec.high is not None else domain[1]
    shape = spec.shape[::-1] if spec.layout == "transposed" else spec.shape
    if spec.dtype == "bool":
        return rng.random(shape) < 0.5
    if spec.fill == "full":  # the whole range (only positive values where the op's domain is)
        info = np.iinfo(spec.dtype)
        lo_i = 1 if lo is not None and lo > 0 else info.min
        return rng.integers(lo_i, int(info.max) + 1, size=shape).astype(spec.dtype)
    if spec.fill == "special":  # nan, inf, -inf, 0, -0, then three ordinary values, repeated
        flat = rng.uniform(-2.0, 2.0, size=shape).astype(spec.dtype).reshape(-1)
        for i in range(flat.size):
            if (i + spec.shift) % 8 < len(SPECIAL):
                flat[i] = SPECIAL[(i + spec.shift) % 8]
        return flat.reshape(shape)
    if spec.fill in ("huge", "-huge"):
        flat = np.arange(int(np.prod(shape)))
        values = np.array(HUGE, dtype=spec.dtype) * (-1 if spec.fill == "-huge" else 1)
        return values[(flat + 3 * spec.shift) % len(HUGE)].reshape(shape)
    if spec.fill == "zeros":
        flat = np.arange(int(np.prod(shape)))
        return np.array(ZEROS, dtype=spec.dtype)[(flat // 4 ** spec.shift) % 4].reshape(shape)
    if spec.dtype in ("int64", "int32", "uint8", "int8", "int16"):
        lo_i = int(lo) if lo is not None else (0 if spec.dtype == "uint8" else -5)
        hi_i = max(int(hi) if hi is not None else 6, lo_i + 1)
        return rng.integers(lo_i, hi_i, size=shape).astype(spec.dtype)
    lo = -2.0 if lo is None else lo
    hi = (lo + 4.0) if hi is None else hi
    return rng.uniform(lo, hi, size=shape).astype(spec.dtype)


GPU_TOL = dict(rtol=1e-3, atol=1e-5)


def build(spec, domain, rng, device="cpu"):
    """(pyfront arg, torch arg, pyfront leaf, torch leaf) for one sample argument."""
    if not isinstance(spec, T):
        return spec, spec, None, None
    data = _values(spec, domain, rng)
    wants_grad = spec.grad and spec.dtype.startswith("float")
    pl = pyfront.tensor(data, requires_grad=wants_grad, device=device)
    tl = torch.tensor(data, requires_grad=wants_grad)
    return laid_out(pl, spec), laid_out(tl, spec), (pl if wants_grad else None), (tl if wants_grad else None)


def laid_out(t, spec):
    """``t`` (pyfront's or torch's) in the sample's layout: a transposed view (all dims reversed), expanded,
    or as it is."""
    if spec.layout == "transposed":
        return t.permute(*reversed(range(t.dim())))
    if spec.layout == "expanded":
        return t.expand(spec.expand_to)
    return t


def float32_rows(known: dict) -> list:
    """pytest params (name, torch_name, samples, domain) of the ops with a float32 operand in their samples,
    for the sweeps that make those operands another float dtype; ``known``: name -> why it differs (a
    strict xfail, so a fix shows up as XPASS)."""
    out = []
    for name, torch_name, samples, domain, _ in entries(edge=False):
        specs = [a for args, kwargs in samples for a in (*args, *kwargs.values()) if isinstance(a, T)]
        if not any(a.dtype == "float32" for a in specs):
            continue
        marks = [pytest.mark.xfail(strict=True, reason=known[name])] if name in known else []
        out.append(pytest.param(name, torch_name, samples, domain, id=name, marks=marks))
    return out


def to_numpy(x):
    """``x``'s values as a NumPy array of its dtype; a bfloat16 tensor's (no NumPy dtype) as float32."""
    bf16 = x.dtype in (pyfront.bfloat16, torch.bfloat16)
    if isinstance(x, pyfront.Tensor):
        values = x.detach().tolist()
        return np.asarray(values, dtype="float32" if bf16 else x.dtype.np_name).reshape(tuple(x.shape))
    return x.detach().float().numpy() if bf16 else x.detach().numpy()


def assert_same(p, t, signed_zeros=False, **tol):
    """pyfront result ``p`` matches torch result ``t``: shape, dtype and values (``signed_zeros``: and
    the sign of every zero)."""
    if isinstance(t, (tuple, list)):
        assert isinstance(p, (tuple, list)) and len(p) == len(t), f"{type(p)} vs {type(t)}"
        for a, b in zip(p, t):
            assert_same(a, b, signed_zeros, **tol)
        return
    if not isinstance(t, torch.Tensor):
        assert p == t or (isinstance(t, float) and abs(p - t) <= 1e-6 + 1e-5 * abs(t)), f"{p} != {t}"
        return
    assert isinstance(p, pyfront.Tensor), f"expected a Tensor, got {type(p).__name__}"
    assert tuple(p.shape) == tuple(t.shape), f"shape {tuple(p.shape)} != torch {tuple(t.shape)}"
    assert str(p.dtype) == str(t.dtype), f"dtype {p.dtype} != torch {t.dtype}"
    got = torch.from_numpy(np.array(to_numpy(p), order="C")).to(t.dtype)
    torch.testing.assert_close(got, t.detach(), equal_nan=True, **tol)
    if signed_zeros and t.dtype.is_floating_point:  # assert_close takes -0 for +0: the zero's sign must match
        zero = (got == 0) & (t.detach() == 0)
        wrong = zero & (torch.signbit(got) != torch.signbit(t.detach()))
        assert not wrong.any(), f"sign of zero differs at {wrong.nonzero().tolist()}: {got} vs torch {t}"


def _float_outputs(p, t):
    ps = p if isinstance(p, (tuple, list)) else (p,)
    ts = t if isinstance(t, (tuple, list)) else (t,)
    return [(a, b) for a, b in zip(ps, ts)
            if isinstance(b, torch.Tensor) and b.dtype.is_floating_point and b.requires_grad]


# The sign of a zero that a BLAS sum of -0 products gives is the BLAS kernel's, which torch's and NumPy's
# libraries pick by the CPU they run on (addbmm-15 gave torch +0 on one machine and -0 on another): these
# ops' values are compared, not their zeros' signs.
BLAS_SUMS = frozenset(("addmm", "addmv", "addbmm", "baddbmm", "tensordot", "mm", "bmm", "matmul", "mv", "dot",
                       "vdot", "inner", "einsum", "nn.functional.linear", "nn.functional.bilinear"))


def check(name, torch_name, sample, domain, differentiable, seed=0, call=None, device="cpu", **tol):
    """Run one sample through pyfront and torch and compare values and gradients.

    On a GPU device, values are compared at rtol 1e-3 / atol 1e-5; float64 operands must be
    refused there (WGSL has no 64-bit floats).
    """
    rng = np.random.default_rng(seed)
    args, kwargs = sample
    if device != "cpu":
        tol = {**GPU_TOL, **tol}
        if any(isinstance(a, T) and a.dtype == "float64" for a in (*args, *kwargs.values())):
            with pytest.raises(TypeError, match=r"\.float\(\)"):
                pyfront.zeros(1, dtype=pyfront.float64, device=device)
            return
    built = [build(a, domain, rng, device) for a in args]
    kw_built = {k: build(v, domain, rng, device) for k, v in kwargs.items()}
    p_args = [b[0] for b in built]
    t_args = [b[1] for b in built]
    p_kw = {k: v[0] for k, v in kw_built.items()}
    t_kw = {k: v[1] for k, v in kw_built.items()}
    pfn, tfn = call if call else (_resolve(pyfront, torch_name), _resolve(torch, torch_name))
    try:
        with warnings.catch_warnings(record=True) as t_warned:
            warnings.simplefilter("always")
            t_out = tfn(*t_args, **t_kw)
    except Exception as e:  # torch refuses this sample: pyfront must refuse it with the same error
        if device != "cpu" and str(e) == "ZeroDivisionError":
            return  # integer division by zero raises only on PyTorch's CPU; CUDA, like webgpu, does not check
        with pytest.raises(type(e)) as got, warns_as(t_warned):
            pfn(*p_args, **p_kw)
        assert_same_error(got.value, e)
        return
    if device != "cpu" and any(o.dtype == torch.float64 for o in _tensors(t_out)):
        with pytest.raises(TypeError, match=r"\.float\(\)"):  # a float64 result (bincount's int weights)
            pfn(*p_args, **p_kw)
        return
    with warns_as(t_warned):
        p_out = pfn(*p_args, **p_kw)
    assert_same(p_out, t_out, signed_zeros=name not in BLAS_SUMS, **tol)
    assert_same_grad_fn(name, p_out, t_out)
    if not differentiable:
        return
    leaves = [(b[2], b[3]) for b in list(built) + list(kw_built.values()) if b[2] is not None]
    outs = _float_outputs(p_out, t_out)
    if not leaves or not outs:
        return
    t_total, p_total = 0, 0
    for p, t in outs:
        cot = rng.uniform(-1, 1, size=tuple(t.shape)).astype(str(t.dtype).replace("torch.", ""))
        t_total = t_total + (t * torch.from_numpy(cot)).sum()
        p_total = p_total + (p * pyfront.tensor(cot, device=device)).sum()
    try:
        with warnings.catch_warnings(record=True) as t_warned:
            warnings.simplefilter("always")
            t_grads = torch.autograd.grad(t_total, [tl for _, tl in leaves], allow_unused=True)
    except RuntimeError as e:  # torch has no derivative here: pyfront must say so too
        with pytest.raises(type(e)) as got, warns_as(t_warned):
            pyfront.autograd.grad(p_total, [pl for pl, _ in leaves], allow_unused=True)
        assert_same_error(got.value, e)
        return
    with warns_as(t_warned):
        p_grads = pyfront.autograd.grad(p_total, [pl for pl, _ in leaves], allow_unused=True)
    for pg, tg in zip(p_grads, t_grads):
        if tg is None:
            assert pg is None or not np.any(to_numpy(pg)), "pyfront has a gradient where torch has none"
            continue
        assert pg is not None, "pyfront gives no gradient where torch has one"
        assert_same(pg, tg, **GRAD_TOL)


def _tensors(out):
    return [o for o in (out if isinstance(out, (tuple, list)) else (out,)) if isinstance(o, torch.Tensor)]


def _grad_fn_names(out):
    outs = out if isinstance(out, (tuple, list)) else (out,)
    return [type(o.grad_fn).__name__ if o.grad_fn is not None else None
            for o in outs if isinstance(o, (torch.Tensor, pyfront.Tensor))]


# Ops whose outputs' grad_fn class name may differ from torch's, and why (keep it empty).
KNOWN_GRAD_FN_DIFFERENCES: dict[str, str] = {}


def assert_same_grad_fn(name, p_out, t_out):
    """The node an op records is torch's: ``type(out.grad_fn).__name__`` (what a printed tensor shows)."""
    if name in KNOWN_GRAD_FN_DIFFERENCES:
        return
    got, expected = _grad_fn_names(p_out), _grad_fn_names(t_out)
    assert got == expected, f"grad_fn {got} where torch records {expected}"


def _resolve(module, name):
    obj = module
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


# -- errors and warnings: pyfront's must be torch's, type and text --------------------------------
# Where pyfront's error text may differ from torch's, and why (nothing else may): torch_text (warned.py).
# (Its "invalid combination of arguments" texts, with the overloads it lists, are pyfront's too:
# ops/overloads.py.)
# TORCH_WARN_ONCE warnings: each process (torch's and pyfront's) shows them once, so which test
# sees them depends on what ran before; they are neither required nor refused here
WARN_ONCE = ("Using padding='same' with even kernel lengths and odd dilation",
             "The reduce argument of torch.scatter with Tensor src is deprecated",
             "where received a uint8 condition tensor",
             "torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
             # pyfront's cpu fallback on webgpu (ops/cpu_fallback.py), once as torch's MPS fallback warns
             "The operator '")


def assert_same_error(got: BaseException, expected: BaseException):
    assert type(got) is type(expected), f"{type(got).__name__} where torch raises {type(expected).__name__}"
    assert str(got) == torch_text(expected), f"message differs:\n  pyfront: {got}\n  torch:   {expected}"


@contextmanager
def warns_as(torch_warnings):
    """Run pyfront's twin of a torch call: a warning torch did not give is an error (the op table runs
    under ``simplefilter("error")``), and every warning torch gave must come, with torch's text."""
    expected = [(w.category, str(w.message)) for w in torch_warnings]  # its "(Triggered internally" too
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("error")
        for category, text in expected:
            warnings.filterwarnings("always", message=re.escape(text) + "$", category=category)
        for text in WARN_ONCE:
            warnings.filterwarnings("ignore", message=re.escape(text))
        yield
    shown = [(w.category, str(w.message)) for w in got]
    for category, text in expected:
        if not text.startswith(WARN_ONCE):
            assert (category, text) in shown, f"torch warns, pyfront does not: {category.__name__}: {text}"
