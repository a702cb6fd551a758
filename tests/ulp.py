"""Float32 accuracy of pyfront's elementwise functions in ulp of torch's result, on a log-uniform grid.

Used by test_float_accuracy.py, and run as a script it sweeps every float unary and binary elementwise op
(registry primitives and elementwise composites) on the given devices and prints the worst error per op:
    OPENBLAS_NUM_THREADS=1 python tests/ulp.py [cpu] [webgpu] [--only name,name]
"""
from __future__ import annotations

import sys

import numpy as np
import torch

import pyfront
from optable import _resolve

TINY = np.finfo(np.float32).tiny
EPS = np.finfo(np.float32).eps
SPECIALS = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.35, -0.35, 0.25, -0.25, 0.5, -0.5, 9.1, -9.1,
            88.0, -88.0, 1.0000001, 0.99999994, -1.0000001, 0.41421357, 2.4142137, 1.25, 0.75, 2.0, -2.0,
            3.0, -3.0, 2.5, -2.5, 10.0, 100.0, 1e7, -1e7, 3e38, -3e38]


def grid(lo=-40, hi=7, n=3000, seed=0):
    """Magnitudes 2^lo .. 2^hi, log-uniform, both signs, and the special points."""
    mag = np.exp2(np.random.default_rng(seed).uniform(lo, hi, n))
    return np.concatenate([mag, -mag, SPECIALS]).astype(np.float32)


def pairs(n=3000, seed=1):
    """Operand pairs for binary ops: two independent log-uniform grids (2^-30 .. 2^30, both signs), each
    special point against each other and against a few ordinary values."""
    rng = np.random.default_rng(seed)
    mag = np.exp2(rng.uniform(-30, 30, (2, n))) * rng.choice([-1.0, 1.0], (2, n))
    sp = np.array(SPECIALS[:30])
    a, b = np.meshgrid(sp, sp)
    return (np.concatenate([mag[0], a.ravel()]).astype(np.float32),
            np.concatenate([mag[1], b.ravel()]).astype(np.float32))


def compare(got, want, truth, inputs):
    """How far ``got`` is from torch's float32 result ``want``, in ulp, or if less, how much further it is
    from ``truth`` (torch in float64 at the same float32 inputs) than torch's: torch's float32 digamma
    is 1000 ulp off near its poles and its x - tanh(x) keeps no digit near 0, where pyfront need only be
    as close as torch; its sinc(x) is sin of the rounded pi x, where pyfront's is that same number.
    Returns (the worst among results torch gives as a normal float, its inputs, got, want; where the
    result is of another kind: NaN against a number, an infinity against a finite or
    another infinity, a nonzero where torch's result is a zero)."""
    got, want, truth = (np.asarray(v, dtype=np.float64) for v in (got, want, truth))
    bad = (np.isnan(got) != np.isnan(want)) | (np.isinf(got) != np.isinf(want))
    bad |= np.isinf(want) & (got != want)
    bad |= (want == 0) & ~(np.abs(got) < TINY)  # where torch underflows and the other keeps a subnormal: fine
    # away from the subnormals by a margin (an intermediate there is flushed on the GPU), inputs normal
    normal = np.isfinite(want) & (np.abs(want) >= 2.0**-100) & np.isfinite(truth) & (truth != 0)
    for x in inputs:
        normal &= ~((np.abs(x) < TINY) & (x != 0))
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(normal, np.abs(truth), 1.0) * EPS
        excess = np.abs(got - truth) / scale - np.abs(want - truth) / scale
        off = np.abs(got - want) / (np.abs(want) * EPS)
        ulps = np.where(normal, np.maximum(np.minimum(excess, off), 0.0), 0.0)
    ulps = np.where(np.isnan(ulps), np.inf, ulps)
    worst = int(np.argmax(ulps)) if ulps.size else 0
    return float(ulps[worst]), tuple(float(x[worst]) for x in inputs), got[worst], want[worst], bad


def run(name, device, *inputs, lead=(), **kwargs):
    """pyfront's result of the function ``name`` at the float32 arrays ``inputs`` on ``device``, torch's,
    and torch's in float64 at the same inputs (the truth, to float32's precision)."""
    fn = _resolve(torch, name)
    want = fn(*lead, *[torch.from_numpy(x) for x in inputs], **kwargs)
    if not want.dtype.is_floating_point:
        raise TypeError(f"{name} gives {want.dtype}: no ulp")
    want = want.double().numpy()
    truth = fn(*lead, *[torch.from_numpy(x).double() for x in inputs], **kwargs).numpy()
    got = _resolve(pyfront, name)(*lead, *[pyfront.tensor(x, device=device) for x in inputs], **kwargs)
    return np.asarray(got.tolist(), dtype=np.float64), want, truth


# the elementwise composites (the registry's primitives are found by kind)
UNARY_EXTRA = ["deg2rad", "rad2deg", "sgn", "special.ndtr", "nan_to_num"] + [
    "nn.functional." + n for n in ("relu", "hardtanh", "relu6", "leaky_relu", "elu", "selu", "celu", "gelu",
                                   "silu", "softplus", "mish", "hardswish", "hardsigmoid", "softsign",
                                   "logsigmoid", "tanhshrink", "softshrink", "hardshrink")]
BINARY_EXTRA = ["fmax", "fmin", "heaviside", "ldexp"]
# with a fixed leading argument (polygamma's order) or keyword (mvlgamma's dimension, gelu's approximation)
WITH_ARG = [("polygamma", (n,), {}) for n in (1, 2, 3)] + [("mvlgamma", (), {"p": p}) for p in (1, 3)] + [
    ("nn.functional.gelu", (), {"approximate": "tanh"})]
SKIP = {"to_copy", "clone", "polygamma", "clamp"}  # no float function of the operands alone


def rows():
    """(name, leading arguments or None for a binary op, keywords) for every float elementwise function."""
    from pyfront.ops.registry import OPS

    def named(arity):
        return [op.torch_name for op in OPS.values()
                if op.kind == "elementwise" and op.arity == arity and op.torch_name and op.name not in SKIP]
    return ([(n, (), {}) for n in named(1) + UNARY_EXTRA] + WITH_ARG
            + [(n, None, {}) for n in named(2) + BINARY_EXTRA])


def sweep(devices, only=None):
    x = grid()
    a, b = pairs()
    print(f"{'op':34}" + "".join(f"{d:>12}{'bad':>6}" for d in devices) + "   worst input (last device)")
    for name, lead, kw in rows():
        if only and name not in only:
            continue
        inputs = (a, b) if lead is None else (x[x > (kw["p"] - 1) / 2] if name == "mvlgamma" else x,)
        line, where = f"{name + str(lead or '') + str(kw or ''):34}", ""
        for device in devices:
            try:
                got, want, truth = run(name, device, *inputs, lead=lead or (), **kw)
            except (RuntimeError, TypeError, NotImplementedError) as e:  # integer-only or a bool result
                line, where = line + f"{'-':>12}{'':6}", f"   {type(e).__name__}: {str(e)[:50]}"
                continue
            ulp, at, g, w, bad = compare(got, want, truth, inputs)
            line += f"{ulp:12.1f}{int(bad.sum()):6d}"
            where = f"   at {at}: {g!r} vs torch {w!r}"
        print(line + where, flush=True)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    only = next((a.split("=", 1)[1].split(",") for a in sys.argv[1:] if a.startswith("--only=")), None)
    sweep(args or ["cpu", "webgpu"], only)
