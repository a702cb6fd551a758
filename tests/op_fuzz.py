"""Differential fuzzer: pyfront against torch on inputs the op table's samples do not hold.

Each case takes one op-table sample (optable.entries) and mutates it, seeded: every operand's dtype
(bool .. complex64), its values (nan/inf/-0.0, huge and tiny, ties, integer extremes), its layout
(transposed, sliced with a step, expanded), its shape (0-d, empty, size 1), Python scalars of each
kind in place of an operand, and the out= and in-place forms. Torch's answer is the oracle: the
value (bit-exact for integers and exact ops, nan positions and zero signs), dtype, shape, a view's
strides, and for an error its type and text.

    python tests/op_fuzz.py --n 2000 --seed 0 [--device webgpu] [--op add] [-v]

prints one line per mismatch and a count per kind (op, what differed). ``fuzz(...)`` is the same run
as a function, for the test that keeps a quick seeded slice passing (test_op_fuzz.py).
"""
from __future__ import annotations

import argparse
import collections
import math
import signal
import sys
import warnings
from dataclasses import dataclass, replace

import numpy as np
import torch

import pyfront
from optable import _resolve, entries
from pyfront.ops.samples import T
from warned import torch_text

DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64",
          "complex64")
FLOATS = ("float16", "bfloat16", "float32", "float64")
FILLS = ("random", "special", "huge", "tiny", "ties", "extremes", "zeros")
LAYOUTS = ("contiguous", "transposed", "stepped", "expanded")
SCALARS = (True, False, 0, 1, -1, 3, 255, -129, 2 ** 31, 2 ** 63 - 1, -2 ** 63, 2 ** 63, 2 ** 64, 0.0, -0.0,
           0.5, -2.5, 1e308, math.inf, -math.inf, math.nan, 1e-45, 2 + 3j, -1j)
# ops whose float results torch computes exactly (one rounding of an exact operation, a selection or a copy):
# pyfront's must be the same bits; every other float op is compared at assert_close's tolerance
EXACT = frozenset("""neg abs floor ceil trunc sign frac round isnan isinf isfinite logical_not bitwise_not add
sub mul div floor_divide copysign remainder fmod maximum minimum eq ne lt le gt ge logical_and logical_or
logical_xor bitwise_and bitwise_or bitwise_xor bitwise_left_shift bitwise_right_shift where clamp clone flip
gather nonzero amax amin argmax argmin all any argsort max min sort topk median kthvalue mode fliplr flipud
roll tile repeat_interleave tril triu rot90 diag diag_embed nan_to_num fmax fmin heaviside signbit msort
cummax cummin ravel sgn isposinf isneginf index_select masked_fill masked_select take take_along_dim scatter
unique unique_consecutive searchsorted bucketize aminmax nn.functional.relu nn.functional.hardtanh
nn.functional.relu6 nn.functional.threshold nn.functional.pad nn.functional.one_hot nn.functional.embedding
Tensor.unfold nn.functional.pixel_shuffle nn.functional.pixel_unshuffle nn.functional.max_pool1d
nn.functional.max_pool2d nextafter gcd lcm isin count_nonzero reciprocal sqrt""".split())
TIMEOUT_S = 10
SKIPPED = collections.Counter()  # cases not run, by why


@dataclass(frozen=True)
class Case:
    """One fuzzed call: the op, its mutated sample, how it is called (plain, out=, in place)."""
    name: str
    torch_name: str
    args: tuple
    kwargs: dict
    domain: tuple
    form: str = "plain"      # "plain", "out", "inplace"
    out_dtype: str = ""      # for form "out": the out tensor's dtype ("" = the result's)
    seed: int = 0

    def describe(self):
        def one(a):
            if isinstance(a, T):
                return f"T({a.shape},{a.dtype},{a.fill},{a.layout})"
            return repr(a)
        args = ", ".join([one(a) for a in self.args] + [f"{k}={one(v)}" for k, v in self.kwargs.items()])
        form = {"plain": "", "out": f" out={self.out_dtype or 'same'}", "inplace": " in-place"}[self.form]
        return f"{self.torch_name}({args}){form} seed={self.seed}"


# -- mutation -------------------------------------------------------------------------------------------
def _is_index(a: T):
    """An index operand (integers with a range) keeps its dtype and values: torch checks them first."""
    return a.dtype not in ("float32", "float64", "bool") and (a.low is not None or a.high is not None)


def _mutate_tensor(a: T, rng, dtype, shape_map):
    if _is_index(a):
        return a
    fill = FILLS[rng.integers(len(FILLS))] if rng.random() < 0.7 else "random"
    layout = a.layout
    if layout != "expanded" and rng.random() < 0.4:
        layout = ("contiguous", "transposed", "stepped")[rng.integers(3)]
    shape = shape_map.get(a.shape, a.shape) if layout != "expanded" else a.shape
    return replace(a, dtype=dtype, fill=fill, layout=layout, shape=shape)


def _shape_map(samples_shapes, rng):
    """One shape substitution for the whole sample (so operands of one shape keep broadcasting): a dim
    made 0 or 1, or the shape made 0-d."""
    if not samples_shapes or rng.random() < 0.7:
        return {}
    shape = samples_shapes[rng.integers(len(samples_shapes))]
    if not shape:
        return {}
    kind = rng.integers(3)
    if kind == 0:
        return {shape: ()}
    dim = rng.integers(len(shape))
    return {shape: tuple((0 if kind == 1 else 1) if i == dim else n for i, n in enumerate(shape))}


def mutate(entry, rng, seed):
    name, torch_name, samples, domain, _ = entry
    args, kwargs = samples[rng.integers(len(samples))]
    tensors = [a for a in (*args, *kwargs.values()) if isinstance(a, T) and not _is_index(a)]
    dtype = DTYPES[rng.integers(len(DTYPES))]
    mixed = rng.random() < 0.3  # each operand its own dtype
    smap = _shape_map([a.shape for a in tensors], rng)

    def one(a):
        if not isinstance(a, T) or _is_index(a):
            return a
        if len(tensors) > 1 and rng.random() < 0.15:  # a Python scalar in the operand's place
            return SCALARS[rng.integers(len(SCALARS))]
        return _mutate_tensor(a, rng, DTYPES[rng.integers(len(DTYPES))] if mixed else dtype, smap)
    new_args = tuple(one(a) for a in args)
    new_kwargs = {k: one(v) for k, v in kwargs.items()}
    if not any(isinstance(a, T) for a in (*new_args, *new_kwargs.values())):
        new_args = args
    form = ("plain", "plain", "plain", "out", "inplace")[rng.integers(5)]
    out_dtype = DTYPES[rng.integers(len(DTYPES))] if form == "out" and rng.random() < 0.4 else ""
    return Case(name, torch_name, new_args, new_kwargs, domain, form, out_dtype, seed)


# -- values ---------------------------------------------------------------------------------------------
def _np_dtype(dtype):
    return "float32" if dtype == "bfloat16" else dtype


def values(a: T, domain, rng):
    """The operand's values as a NumPy array (bfloat16 as float32, rounded by the tensor made from it)."""
    shape = a.shape[::-1] if a.layout == "transposed" else a.shape
    if a.layout == "stepped" and shape:
        shape = (*shape[:-1], 2 * shape[-1])
    size = int(np.prod(shape))
    dtype = _np_dtype(a.dtype)
    if _is_index(a):
        low = int(a.low or 0)
        high = max(int(a.high if a.high is not None else 3), low + 1)
        data = rng.integers(low, high, size=shape).astype(dtype)
    elif dtype == "bool":
        data = rng.random(shape) < 0.5
    elif np.issubdtype(np.dtype(dtype), np.integer):
        info = np.iinfo(dtype)
        if a.fill in ("extremes", "huge", "special"):
            pool = np.array([info.min, info.max, 0, -1 if info.min else 1, 1, info.min + 1, info.max - 1],
                            dtype)
            data = pool[rng.integers(len(pool), size=size)].reshape(shape)
        elif a.fill == "ties":
            data = rng.integers(0, 2, size=shape).astype(dtype)
        elif a.fill == "zeros":  # (an integer division by zero)
            data = np.zeros(shape, dtype)
        else:
            lo, hi = (0, 6) if dtype == "uint8" else (-5, 6)
            data = rng.integers(lo, hi, size=shape).astype(dtype)
    else:
        data = _float_values(a.fill, shape, size, dtype, domain, rng)
    return _sorted_last(data, a) if a.sort else data


def _float_values(fill, shape, size, dtype, domain, rng):
    real = "float32" if dtype == "complex64" else "float64" if dtype == "complex128" else dtype
    big = float(np.finfo(real).max) if real != "float16" else 65504.0
    pools = {"special": (np.nan, np.inf, -np.inf, 0.0, -0.0, 1.5, -2.0),
             "huge": (big, -big, big / 3, 1e4, -7.0),
             "tiny": (float(np.finfo(real).tiny), -float(np.finfo(real).tiny),
                      1e-45 if real != "float16" else 6e-8, -0.0, 1e-30 if real != "float16" else 1e-4, 0.0),
             "ties": (0.5, 1.5, 2.5, -0.5, -2.5, 1.0, 1.0, 2.0),
             "extremes": (2.0 ** 24 + 1, -(2.0 ** 31), 2.0 ** 63, 3.0e9, -1.0),
             "zeros": (0.0, -0.0, 0.0, -0.0, 1.0)}
    if fill in pools:
        pool = np.array(pools[fill], dtype="float64")
        data = pool[rng.integers(len(pool), size=size)].reshape(shape)
    else:
        lo, hi = domain if domain else (None, None)
        lo = -2.0 if lo is None else lo
        hi = lo + 4.0 if hi is None else hi
        data = rng.uniform(lo, hi, size=shape)
    with np.errstate(all="ignore"):
        data = data.astype(real)
        if dtype.startswith("complex"):
            data = (data + 1j * data[::-1].reshape(shape) if data.ndim else data + 0.5j).astype(dtype)
    return data


def _sorted_last(data, a):
    if a.layout == "transposed":
        return np.sort(data.T, axis=-1).T if data.ndim else data
    return np.sort(data, axis=-1) if data.ndim else data


def make(lib, data, a: T, device):
    """The operand in ``lib`` (pyfront or torch) from ``data``, in the spec's layout."""
    if lib is pyfront:
        t = pyfront.tensor(data, device=device)
    else:
        t = torch.tensor(data)
    if a.dtype == "bfloat16":
        t = t.to(lib.bfloat16)
    if a.layout == "transposed":
        return t.permute(*reversed(range(t.dim())))
    if a.layout == "stepped" and t.dim():
        return t[..., ::2]
    if a.layout == "expanded":
        return t.expand(a.expand_to)
    return t


# -- comparison -----------------------------------------------------------------------------------------
class Mismatch(Exception):
    """What differed, as a short kind (for the counts) and a detail."""

    def __init__(self, kind, detail=""):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


def _numpy(x):
    if isinstance(x, pyfront.Tensor):
        bf16 = x.dtype == pyfront.bfloat16
        return np.asarray(x.detach().cpu().tolist(), dtype="float32" if bf16 else x.dtype.np_name).reshape(
            tuple(x.shape))
    return x.detach().float().numpy() if x.dtype == torch.bfloat16 else x.detach().numpy()


def compare(p, t, exact, device):
    if isinstance(t, (tuple, list)):
        if not isinstance(p, (tuple, list)) or len(p) != len(t):
            raise Mismatch("structure", f"{type(p).__name__} vs {type(t).__name__}")
        for a, b in zip(p, t):
            compare(a, b, exact, device)
        return
    if not isinstance(t, torch.Tensor):
        if isinstance(t, float) and isinstance(p, float) and math.isnan(t) and math.isnan(p):
            return
        if p != t or type(p) is not type(t):
            raise Mismatch("python value", f"{p!r} vs torch {t!r}")
        return
    if not isinstance(p, pyfront.Tensor):
        raise Mismatch("structure", f"{type(p).__name__} vs Tensor")
    if tuple(p.shape) != tuple(t.shape):
        raise Mismatch("shape", f"{tuple(p.shape)} vs torch {tuple(t.shape)}")
    if str(p.dtype) != str(t.dtype):
        raise Mismatch("dtype", f"{p.dtype} vs torch {t.dtype}")
    if t._base is not None and device == "cpu" and t.numel() > 1 and p.stride() != t.stride():
        raise Mismatch("view strides", f"{p.stride()} vs torch {t.stride()}")
    got = torch.from_numpy(np.array(_numpy(p), order="C")).to(t.dtype)
    want = t.detach()
    floating = want.dtype.is_floating_point or want.dtype.is_complex
    if floating and device == "cpu" and exact:
        tol = dict(rtol=0, atol=0)
    elif floating and device != "cpu":
        tol = dict(rtol=1e-3, atol=1e-5) if want.dtype in (torch.float32, torch.complex64) else {}
    else:
        tol = {}
    try:
        torch.testing.assert_close(got, want, equal_nan=True, **tol)
    except AssertionError as e:
        nan_differs = floating and not torch.equal(torch.isnan(got), torch.isnan(want))
        kind = "nan positions" if nan_differs else "value"
        raise Mismatch(kind, f"{str(e).splitlines()[0:4]}\n    got {got.flatten()[:8].tolist()}\n"
                             f"    torch {want.flatten()[:8].tolist()}") from None
    if want.dtype.is_floating_point and exact and device == "cpu":
        zero = (got == 0) & (want == 0)
        if (zero & (torch.signbit(got) != torch.signbit(want))).any():
            raise Mismatch("zero sign",
                           f"{got.flatten()[:8].tolist()} vs torch {want.flatten()[:8].tolist()}")


# -- running one case -----------------------------------------------------------------------------------
def _call(lib, case, built, out_like):
    fn_name = case.torch_name
    args = [b[0] if lib is pyfront else b[1] for b in built["args"]]
    kwargs = {k: (b[0] if lib is pyfront else b[1]) for k, b in built["kwargs"].items()}
    if case.form == "inplace":
        first = args[0]
        method = getattr(first, fn_name.rsplit(".", 1)[-1] + "_")
        return method(*args[1:], **kwargs)
    fn = _resolve(lib, fn_name)
    if case.form == "out":
        out = out_like[0] if lib is pyfront else out_like[1]
        result = fn(*args, **kwargs, out=out)
        return (result, out)
    return fn(*args, **kwargs)


def _build(case, device):
    rng = np.random.default_rng(case.seed)

    def one(a):
        if not isinstance(a, T):
            return (a, a)
        data = values(a, case.domain, rng)
        return (make(pyfront, data, a, device), make(torch, data, a, "cpu"))
    return {"args": [one(a) for a in case.args], "kwargs": {k: one(v) for k, v in case.kwargs.items()}}


def _with_timeout(fn):
    def on_alarm(*_):
        raise TimeoutError("case took too long")
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TIMEOUT_S)
    try:
        return fn()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _crashes_torch(case):
    """torch's CPU integer division with rounding_mode="trunc" traps (SIGFPE, the process dies) on the most
    negative int32/int64 over -1, and its lcm on it beside an odd one (lcm(-2**63, 2**63 - 1)): no oracle
    there."""
    return case.name in ("div_trunc", "lcm") and any(
        isinstance(a, T) and a.dtype in ("int32", "int64") and a.fill in ("extremes", "huge", "special")
        for a in (*case.args, *case.kwargs.values()))


def run_case(case, device="cpu"):
    """None when pyfront agrees with torch, else the Mismatch."""
    if _crashes_torch(case):
        SKIPPED["torch's own SIGFPE"] += 1
        return None
    if case.form == "inplace" and not (case.args and isinstance(case.args[0], T)):
        return None
    if case.form == "inplace" and not (hasattr(torch.Tensor, case.torch_name.rsplit(".", 1)[-1] + "_")
                                       and "." not in case.torch_name):
        return None
    try:
        built = _build(case, "cpu")
    except Exception:  # torch or NumPy cannot make this operand: not a case
        SKIPPED["build"] += 1
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            t_out = _torch_side(case, built)
        except _NotACase:
            SKIPPED["out= of a call torch refuses"] += 1
            return None
        except Exception as e:
            t_err = e
            t_out = None
        else:
            t_err = None
        if device != "cpu" and _needs_cpu(case, t_out):
            SKIPPED["64-bit float or complex on webgpu"] += 1
            return None
        try:
            p_built = _build(case, device) if device != "cpu" else built
            out_like = _out_pair(case, built, device) if case.form == "out" else (None, None)
            p_out = _with_timeout(lambda: _call(pyfront, case, p_built, out_like))
        except Mismatch as m:
            return m
        except TimeoutError as e:
            return Mismatch("timeout", str(e))
        except Exception as e:
            if t_err is None:
                return Mismatch(f"pyfront raises {type(e).__name__}", str(e)[:300])
            if type(e) is not type(t_err):
                return Mismatch(f"error type {type(e).__name__} vs {type(t_err).__name__}",
                                f"{str(e)[:200]} | torch: {str(t_err)[:200]}")
            if str(e) != torch_text(t_err):
                return Mismatch("error text",
                                f"\n    pyfront: {str(e)[:300]}\n    torch:   {torch_text(t_err)[:300]}")
            return None
        if t_err is not None:
            if device != "cpu" and str(t_err) == "ZeroDivisionError":
                return None  # torch's CPU integer division checks; CUDA's, like webgpu's, does not
            return Mismatch(f"torch raises {type(t_err).__name__}", str(t_err)[:300])
        try:
            compare(p_out, t_out, case.name in EXACT, device)
            if case.form == "inplace":
                compare(p_built["args"][0][0], built["args"][0][1], case.name in EXACT, device)
        except Mismatch as m:
            return m
    return None


class _NotACase(Exception):
    pass


def _torch_side(case, built):
    if case.form == "inplace":
        return _call(torch, case, built, None)
    if case.form == "out":
        plain = replace(case, form="plain")
        try:
            result = _call(torch, plain, built, None)
        except Exception as e:
            raise _NotACase from e
        if not isinstance(result, torch.Tensor):
            raise _NotACase
        dtype = getattr(torch, case.out_dtype) if case.out_dtype else result.dtype
        out = torch.empty(result.shape, dtype=dtype)
        built["torch_out"] = out
        return _call(torch, case, built, (None, out))
    return _call(torch, case, built, None)


def _out_pair(case, built, device):
    t = built.get("torch_out")
    if t is None:
        raise _NotACase
    dtype = getattr(pyfront, case.out_dtype) if case.out_dtype else getattr(pyfront, str(t.dtype)[6:])
    return (pyfront.empty(tuple(t.shape), dtype=dtype, device=device), t)


def _needs_cpu(case, t_out):
    """webgpu refuses float64, bfloat16 and complex numbers by design (WGSL has none of them), and int64
    values outside int32's range (it stores int64 as i32): such a case is the refusal's tests', not the
    fuzzer's."""
    specs = [a for a in (*case.args, *case.kwargs.values())]
    if any(isinstance(a, T) and (a.dtype in ("float64", "bfloat16", "complex64")
                                 or a.dtype == "int64" and a.fill in ("extremes", "huge", "special"))
           for a in specs):
        return True
    if any(isinstance(a, complex) for a in specs) or case.out_dtype in ("float64", "bfloat16", "complex64"):
        return True
    outs = t_out if isinstance(t_out, (tuple, list)) else (t_out,)
    return any(isinstance(o, torch.Tensor) and (o.dtype == torch.float64 or o.dtype.is_complex) for o in outs)


# -- the run --------------------------------------------------------------------------------------------
def cases(n, seed=0, only=None):
    table = [e for e in entries(edge=False) if only is None or e[0] in only or e[1] in only]
    rng = np.random.default_rng(seed)
    for i in range(n):
        entry = table[rng.integers(len(table))]
        yield mutate(entry, rng, seed * 1_000_003 + i)


def fuzz(n, seed=0, device="cpu", only=None, verbose=False, out=sys.stdout):
    """Run ``n`` cases; returns [(case, Mismatch)] and prints a line per mismatch when ``verbose``."""
    found = []
    for case in cases(n, seed, only):
        m = run_case(case, device)
        if m is not None:
            found.append((case, m))
            if verbose:
                print(f"{case.describe()}\n  {m}", file=out)
    return found


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--op", action="append")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args(argv)
    found = fuzz(a.n, a.seed, a.device, a.op, a.v)
    counts = collections.Counter((c.name, m.kind) for c, m in found)
    for (name, kind), k in counts.most_common():
        print(f"{k:5d}  {name}: {kind}")
    print(f"{len(found)} mismatches in {a.n} cases; not run: {dict(SKIPPED)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())


def dtype_sweep(dtypes=DTYPES, only=None, form="plain", fill=None):
    """Every op's first sample with each of ``dtypes`` for its (non-index) operands (and their values the
    ``fill``, where given): the cases where the op's dtype support (a result, or torch's refusal) shows."""
    for entry in entries(edge=False):
        if only is not None and entry[0] not in only and entry[1] not in only:
            continue
        name, torch_name, samples, domain, _ = entry
        base = _first_sample(samples)
        if base is None:
            continue
        for dtype in dtypes:
            def one(a, dtype=dtype):
                if not isinstance(a, T) or _is_index(a):
                    return a
                return replace(a, dtype=dtype, fill=fill) if fill else replace(a, dtype=dtype)
            args, kwargs = tuple(one(a) for a in base[0]), {k: one(v) for k, v in base[1].items()}
            yield Case(name, torch_name, args, kwargs, domain, form)


def _first_sample(samples):
    return next((smp for smp in samples if any(isinstance(a, T) for a in (*smp[0], *smp[1].values()))), None)


def number_sweep(number=0.5, only=None):
    """Every op's first sample with one tensor operand at a time (positional) given as a Python number: the
    cases where torch's parser refuses it (or its Python function fails reading it), or takes it."""
    for name, torch_name, samples, domain, _ in entries(edge=False):
        if only is not None and name not in only and torch_name not in only:
            continue
        base = _first_sample(samples)
        if base is None:
            continue
        for i, a in enumerate(base[0]):
            if isinstance(a, T) and not _is_index(a):
                args = tuple(number if j == i else b for j, b in enumerate(base[0]))
                yield Case(name, torch_name, args, base[1], domain)


def shape_sweep(form, dtypes=("float32", "complex64", "bool", "int32"), only=None):
    """Every two-operand elementwise op on shapes torch refuses, in each of ``dtypes``: in place (``form``
    "inplace") on a self smaller than the broadcast shape, else (``form`` "plain") on shapes that do not
    broadcast. torch refuses the shape before anything it would refuse of the dtype (TensorIterator)."""
    shapes = ((3,), (2, 3)) if form == "inplace" else ((3,), (2,))
    for name, torch_name, samples, domain, _ in entries(edge=False):
        if only is not None and name not in only:
            continue
        base = _first_sample(samples)
        tensors = [a for a in base[0] if isinstance(a, T)] if base else []
        if len(base[0] if base else ()) != 2 or len(tensors) != 2 or base[1] or "." in torch_name:
            continue
        for dtype in dtypes:
            args = (T(shapes[0], dtype), T(shapes[1], dtype, fill="zeros"))
            yield Case(name, torch_name, args, {}, domain, form)


def empty_sweep(only=None):
    """Every op's first sample with its (non-index) operands of each shape made empty in one dim in turn
    (the same dim of every operand of that shape, so they still broadcast): the reductions, selections and
    searches of nothing, or torch's refusal of them."""
    for name, torch_name, samples, domain, _ in entries(edge=False):
        if only is not None and name not in only:
            continue
        base = _first_sample(samples)
        operands = [a for a in (*base[0], *base[1].values()) if isinstance(a, T)] if base else []
        shapes = sorted({a.shape for a in operands if not _is_index(a) and a.layout != "expanded"})
        for shape in shapes:
            for dim in range(len(shape)):
                empty = tuple(0 if i == dim else n for i, n in enumerate(shape))

                def one(a, shape=shape, empty=empty):
                    ok = isinstance(a, T) and not _is_index(a) and a.shape == shape and a.layout != "expanded"
                    return replace(a, shape=empty) if ok else a
                args, kwargs = tuple(one(a) for a in base[0]), {k: one(v) for k, v in base[1].items()}
                yield Case(name, torch_name, args, kwargs, domain)


def scalar_sweep(only=None):
    """Every op's first sample with its (non-index) operands of each shape made 0-d in turn (every operand of
    that shape, so they still broadcast): torch's result, or its refusal, often of a dim it reads first
    ('Dimension specified as -1 but tensor has no dimensions')."""
    for name, torch_name, samples, domain, _ in entries(edge=False):
        if only is not None and name not in only:
            continue
        base = _first_sample(samples)
        operands = [a for a in (*base[0], *base[1].values()) if isinstance(a, T)] if base else []
        shapes = {a.shape for a in operands if not _is_index(a) and a.layout != "expanded" and a.shape}
        for shape in sorted(shapes):
            def one(a, shape=shape):
                ok = isinstance(a, T) and not _is_index(a) and a.shape == shape and a.layout != "expanded"
                return replace(a, shape=(), layout="contiguous") if ok else a
            args, kwargs = tuple(one(a) for a in base[0]), {k: one(v) for k, v in base[1].items()}
            yield Case(name, torch_name, args, kwargs, domain)
