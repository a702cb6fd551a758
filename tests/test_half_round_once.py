"""float16 results equal torch's, bit for bit: torch's CPU kernels compute float16 in float32 and round the
result once, where a chain of float16 primitives rounds (and overflows) at every step.

The op table's samples run with every float32 operand made float16 and each result compared with torch's
at 0 ulp; the ops fixed for it also run on a larger tensor on cpu and webgpu.
"""
from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
import torch

import pyfront
from optable import T, _resolve, build, float32_rows, to_numpy
from webgpu_required import requires_webgpu

# Ops whose float16 results still differ from torch's on some sample: each is a fault left for later, not
# an accepted difference; the xfail is strict, so a fix shows up as XPASS and its line goes.
# "once": pyfront equals torch's float32 result rounded once, and torch's float16 kernel differs from that
# (its scalar tail for tensors under a vector's 32 elements, or a float16 step inside the kernel);
# "steps": pyfront and torch both round between steps, in different places.
ONCE = "pyfront rounds torch's float32 result once; torch's float16 kernel (or its scalar tail) rounds a step"
# e.g. softmax along a dim other than the last: torch's AVX512 kernel stores exp(x - max) in float16
# before dividing for the inner elements past its 64-wide vector blocks (all in a (16, 32) softmax over dim 0)
STEPS = "a chain of float16 ops in torch and in pyfront, rounded in other places"
NN = "nn.functional."
KNOWN_HALF_OFF = {
    **dict.fromkeys(["nanmean", "nansum",
                     NN + "softmax", NN + "softmin", NN + "interpolate", "polygamma",
                     "scatter_reduce", "softmax", "special_i0e"], ONCE),
    **dict.fromkeys(["corrcoef", "cov", "mvlgamma", NN + "bilinear", NN + "cross_entropy",
                     NN + "multi_head_attention_forward", "renorm", "special.ndtr"], STEPS),
    "float_power": "a float64 result one ulp off torch's (pow in float64)",
    "nn.functional.group_norm": "one element per group: torch's variance is not 0 in float16",
}

# torch's float16 convolutions run a kernel its CPU's instruction set picks, whose rounding moves by an ulp
# between machines (conv3d matched torch on one machine and not on another, conv_transpose3d the reverse):
# these are compared within one float16 ulp on every machine, not to the bit
CONVOLUTIONS = {NN + f"conv{t}{n}d" for t in ("", "_transpose") for n in (1, 2, 3)}


def _half(spec):
    return dataclasses.replace(spec, dtype="float16", grad=False) if isinstance(spec, T) and \
        spec.dtype == "float32" else spec


def _off(name, torch_name, samples, domain, ulps=0):
    """(elements off torch's by more than ``ulps`` float16 ulps, elements compared) over the op's samples
    with float32 operands as float16."""
    off = total = 0
    for args, kwargs in samples:
        if not any(isinstance(a, T) and a.dtype == "float32" for a in (*args, *kwargs.values())):
            continue
        rng = np.random.default_rng(0)
        built = [build(_half(a), domain, rng) for a in args]
        kw = {k: build(_half(v), domain, rng) for k, v in kwargs.items()}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                want = _resolve(torch, torch_name)(*[b[1] for b in built], **{k: v[1] for k, v in kw.items()})
            except Exception:  # refusals are test_ops' to compare
                continue
            got = _resolve(pyfront, torch_name)(*[b[0] for b in built], **{k: v[0] for k, v in kw.items()})
        wants = want if isinstance(want, (tuple, list)) else (want,)
        gots = got if isinstance(got, (tuple, list)) else (got,)
        for g, w in zip(gots, wants):
            if isinstance(w, torch.Tensor) and w.dtype.is_floating_point:
                assert str(g.dtype) == str(w.dtype), (g.dtype, w.dtype)
                g, w = to_numpy(g).astype(np.float64), w.detach().double().numpy()
                same = (g == w) | (np.isnan(g) & np.isnan(w))
                if ulps:
                    with np.errstate(all="ignore"):  # the spacing of inf is NaN: compared equal above or not
                        same |= np.abs(g - w) <= ulps * np.abs(np.spacing(w.astype(np.float16)).astype(float))
                off += int((~same).sum())
                total += w.size
    return off, total


@pytest.mark.parametrize("name,torch_name,samples,domain", float32_rows(KNOWN_HALF_OFF))
def test_op_table_in_float16_is_torchs_to_the_bit(name, torch_name, samples, domain):
    """A sweep of this table found 51 ops off torch by an ulp in float16 (batch_norm in half its values,
    nextafter in all: it ran in float32, whose next float rounds back)."""
    off, total = _off(name, torch_name, samples, domain, ulps=1 if name in CONVOLUTIONS else 0)
    assert off == 0, f"{off} of {total} float16 values differ from torch's"


# -- the fixed ops on a tensor of whole 32-element vectors (torch's vector loop, not its scalar tail) --------
_r = np.random.default_rng(7)
_H = {k: _r.standard_normal(s).astype(np.float16) for k, s in
      {"x": (64, 32), "y": (64, 32), "x3": (4, 8, 64), "x4": (4, 8, 8, 8), "c": (8,)}.items()}
_H["v"] = (_r.random((8,)) + 0.5).astype(np.float16)
FIXED = {
    "selu": lambda L, t: L.nn.functional.selu(t["x"]),
    "selu_inplace": lambda L, t: L.nn.functional.selu(t["x"] * 1, inplace=True),
    "hardsigmoid": lambda L, t: L.nn.functional.hardsigmoid(t["x"]),
    "hardsigmoid_inplace": lambda L, t: L.nn.functional.hardsigmoid(t["x"] * 1, True),
    "silu_inplace": lambda L, t: L.nn.functional.silu(t["x"] * 1, inplace=True),
    "mish_inplace": lambda L, t: L.nn.functional.mish(t["x"] * 1, inplace=True),
    "logsigmoid": lambda L, t: L.nn.functional.logsigmoid(t["x"]),
    "glu": lambda L, t: L.nn.functional.glu(t["x"]),
    "huber_loss": lambda L, t: L.nn.functional.huber_loss(t["x"], t["y"], reduction="none", delta=0.5),
    "avg_pool1d": lambda L, t: L.nn.functional.avg_pool1d(t["x3"], 3),
    "avg_pool2d": lambda L, t: L.nn.functional.avg_pool2d(t["x4"], 3, 1),
    "adaptive_avg_pool1d": lambda L, t: L.nn.functional.adaptive_avg_pool1d(t["x3"], 24),
    "logcumsumexp": lambda L, t: L.logcumsumexp(t["x"], 1),
    "var_positional_unbiased": lambda L, t: L.var(t["x"], 1, True),
    "batch_norm_eval": lambda L, t: L.nn.functional.batch_norm(t["x4"], t["c"], t["v"], t["v"], t["c"]),
    "batch_norm_train": lambda L, t: L.nn.functional.batch_norm(t["x4"], None, None, t["v"], t["c"], True),
    "batch_norm_running_mean": lambda L, t: _running_mean(L, t),
    "instance_norm": lambda L, t: L.nn.functional.instance_norm(t["x4"], weight=t["v"], bias=t["c"]),
    "nextafter": lambda L, t: L.nextafter(t["x"], t["y"]),
    "log_softmax_lastdim": lambda L, t: L.log_softmax(t["x"], 1),
    "log_softmax_dim0": lambda L, t: L.nn.functional.log_softmax(t["x3"], 0),
    "softmax_lastdim": lambda L, t: L.softmax(t["x"], 1),
    "prod_dim0": lambda L, t: L.prod(t["x"] * 0.1 + 1, 0),
    "softmax_dim0": lambda L, t: L.nn.functional.softmax(t["x3"], 0),
    "ldexp": lambda L, t: L.ldexp(t["x"], L.tensor(np.arange(-20, 12), device=t["x"].device)),
}
# torch's vectorized exp is not libm's: one value at a rounding boundary lands an ulp away
ALLOWED_OFF = {"silu_inplace": 1, "mish_inplace": 1}


def _running_mean(lib, t):
    mean = t["c"].clone()
    lib.nn.functional.batch_norm(t["x4"], mean, t["v"].clone(), training=True, momentum=0.3)
    return mean


# webgpu faults left for a shader change (strict xfail: a fix shows up as XPASS)
WEBGPU_OFF = {
    "log_softmax_lastdim": "the WGSL kernel keeps the sum of exps in float32, torch's CPU kernel in float16",
    "prod_dim0": "the WGSL reduction multiplies in float32, torch's CPU kernel in float16",
}
_ROWS = [*((name, "cpu") for name in sorted(FIXED)),
         *(pytest.param(name, "webgpu", marks=[requires_webgpu, *(
             [pytest.mark.xfail(strict=True, reason=WEBGPU_OFF[name])] if name in WEBGPU_OFF else [])])
           for name in sorted(FIXED))]


@pytest.mark.parametrize("name,device", _ROWS)
def test_fixed_float16_ops_round_once_as_torch(name, device):
    want = FIXED[name](torch, {k: torch.tensor(v) for k, v in _H.items()}).numpy()
    got = FIXED[name](pyfront, {k: pyfront.tensor(v, device=device) for k, v in _H.items()})
    assert got.dtype is pyfront.float16
    got = got.cpu().numpy()
    off = (got != want) & ~(np.isnan(got) & np.isnan(want))
    assert off.sum() <= ALLOWED_OFF.get(name, 0), f"{int(off.sum())} of {off.size} values differ from torch's"
