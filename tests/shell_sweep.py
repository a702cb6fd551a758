"""The shell dtypes (uint16/32/64, the float8 family) in every tensor position of every op's valid calls,
against torch 2.13: each call's outcome (values and dtypes, or the error's type and text) must be torch's.

A call's bases are badargs' (the op table's samples that pass a new argument, and its EXTRA rows), a row
with a Python number where the op table has one, this file's ROWS for what neither reaches, and a found
base for the other public functions (the first of a few plain ones torch takes). Each tensor of a base (an
operand, an index, a mask, one inside a list) is made each shell dtype in turn, the others left as they are,
and called in each form pyfront and torch share: the function, the method, the in-place method and out=.

``PYTHONPATH=$PWD python tests/shell_sweep.py`` (from the checkout's root, so that its pyfront is the one
imported, not an editable install's) runs the whole sweep and prints what differs; the test file runs a
sample.
"""
from __future__ import annotations

import sys
import warnings
from dataclasses import replace

import numpy as np
import torch
from badargs import bases
from optable import _resolve, build, entries, torch_text

import pyfront
from pyfront.ops.outarg import TAKES_OUT
from pyfront.ops.samples import T, s

UINTS = ["uint16", "uint32", "uint64"]
FLOAT8 = ["float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e8m0fnu"]
SHELL = UINTS + FLOAT8
_I = dict(dtype="int64")

# valid calls of functions and methods no op-table row or badargs row reaches
ROWS = {
    "cross": [s(T((3, 3)), T((3, 3)), dim=1)], "linalg.cross": [s(T((2, 3)), T((2, 3)))],
    "Tensor.put_": [s(T((3, 4)), T((2,), low=0, high=12, **_I), T((2,)))],
    "put": [s(T((3, 4)), T((2,), low=0, high=12, **_I), T((2,)))],
    "index_put": [s(T((3, 4)), (T((2,), low=0, high=3, **_I),), T((2, 4)))],
    "Tensor.index_put_": [s(T((3, 4)), (T((2,), low=0, high=3, **_I),), T((2, 4)))],
    "index_reduce": [s(T((3, 4)), 0, T((2,), low=0, high=3, **_I), T((2, 4)), "prod")],
    "diagonal_scatter": [s(T((3, 3)), T((3,)))], "select_scatter": [s(T((3, 4)), T((4,)), 0, 1)],
    "slice_scatter": [s(T((3, 4)), T((1, 4)), 0, 0, 1)],
    "Tensor.scatter_": [s(T((3, 4)), 1, T((3, 2), low=0, high=4, **_I), 2.5)],
    "Tensor.masked_fill_": [s(T((3, 4)), T((3, 4), "bool"), T(()))],
    "Tensor.index_fill_": [s(T((3, 4)), 1, T((2,), low=0, high=4, **_I), T(()))],
    "histogramdd": [s(T((5, 2)), bins=[2, 2]), s(T((6, 2)), [T((3,), sort=True), T((4,), sort=True)])],
    "bincount": [s(T((5,), low=0, high=4, **_I), T((5,)))],
    "searchsorted": [s(T((4,), sort=True), T((3,)))], "where": [s(T((3, 4), "bool"), T((3, 4)), T(()))],
    "lerp": [s(T((3, 4)), T((3, 4)), T((3, 4)))], "addcdiv": [s(T((3, 4)), T((3, 4)), T((3, 4), low=1))],
    "kthvalue": [s(T((3, 4)), 2)], "tensordot": [s(T((3, 4)), T((4, 2)), 1)],
}
# a few plain calls, tried in turn on a function or method no row reaches: the first torch takes is its base
_PLAIN = [s(T((3, 4))), s(T((3, 4)), T((3, 4))), s(T((3, 4)), T((3, 4)), T((3, 4))), s(T((3, 3))),
          s(T((3, 4)), 1), s(T((3, 4)), 0.5), s(T((2, 3, 4)))]
# what a plain call would change beyond its operands, or has no dtype of its own to compare
_LEAVE = {"set_default_dtype", "set_default_tensor_type", "set_rng_state", "manual_seed", "seed", "save",
          "load", "set_printoptions", "set_num_threads", "set_num_interop_threads", "set_grad_enabled",
          "set_flush_denormal", "use_deterministic_algorithms", "compile", "vmap", "cond", "export",
          "set_default_device", "set_warn_always", "Tensor.set_", "Tensor.storage", "Tensor.untyped_storage",
          "Tensor.register_hook", "Tensor.backward", "Tensor.retain_grad", "Tensor.requires_grad_",
          "Tensor.share_memory_", "Tensor.pin_memory", "Tensor.data_ptr", "Tensor.const_data_ptr",
          "Tensor.numpy", "Tensor.tolist", "Tensor.item", "Tensor.resize_", "Tensor.resize_as_",
          "Tensor.copy_", "Tensor.new_tensor",
          "Tensor.uniform_", "Tensor.normal_", "Tensor.random_", "Tensor.bernoulli_", "Tensor.cauchy_",
          "Tensor.exponential_", "Tensor.geometric_", "Tensor.log_normal_", "Tensor.map_", "Tensor.apply_",
          "Tensor.__reduce_ex__", "Tensor.__deepcopy__", "Tensor.__setstate__", "Tensor.dim_order"}
_RANDOM = ("rand", "randn", "randint", "randperm", "normal", "bernoulli", "multinomial", "poisson", "dropout",
           "rrelu", "empty", "uniform", "gumbel", "sample", "new_empty")


def _rows_of() -> dict:
    """name -> (valid calls, domain): torch.* and torch.nn.functional.* names, and Tensor.* methods."""
    out = {n: (list(rows), dom) for n, (rows, dom) in bases().items()}
    for _, torch_name, samples, _, _ in entries(edge=False):
        number = next(((a, k) for a, k in samples
                       if any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in a[:2])), None)
        if number and torch_name in out and number not in out[torch_name][0]:
            out[torch_name][0].append(number)
    for name, rows in ROWS.items():
        out.setdefault(name, ([], (None, None)))[0].extend(rows)
    return out


def _public(module, prefix=""):
    for n in dir(module):
        if n.startswith("_") and not n.startswith("__"):
            continue
        if n.startswith("__") or any(r in n for r in _RANDOM) or prefix + n in _LEAVE:
            continue
        obj = getattr(module, n, None)
        if callable(obj) and not isinstance(obj, type):
            yield prefix + n


def _found_rows(known: dict, wanted=None) -> dict:
    """A base for each public function and method pyfront and torch share that no row reaches (of ``wanted``
    only, where given)."""
    out = {}
    names = [*_public(pyfront), *_public(pyfront.nn.functional, "nn.functional."),
             *_public(pyfront.Tensor, "Tensor."), *_public(pyfront.special, "special."),
             *_public(pyfront.linalg, "linalg.")]
    for name in names if wanted is None else wanted:
        if name in known or name.removeprefix("Tensor.") in known or name in _LEAVE:
            continue
        try:
            tfn = _resolve(torch, name)
        except AttributeError:
            continue
        if name.startswith("Tensor.") and not callable(tfn):
            continue
        for row in _PLAIN:
            if _outcome(torch, name, "function", _built(row, (None, None), None)[1])[0] == "ok":
                out[name] = ([row], (None, None))
                break
    return out


def _convert(lib, x, d):
    """``x`` made dtype ``d`` (an unsigned one from the magnitudes: torch wraps negatives)."""
    if d in UINTS and x.dtype.is_signed:
        x = x.abs()
    return x.to(getattr(lib, d))


def _build_one(v, rng, domain, shell):
    """(pyfront value, torch value) of a sample value; ``shell``: (dtype, path) to make the tensor at path."""
    if isinstance(v, T):
        p, t = build(replace(v, grad=False), domain, rng)[:2]
        if shell is not None and shell[1] == ():
            p, t = _convert(pyfront, p, shell[0]), _convert(torch, t, shell[0])
        return p, t
    if isinstance(v, (list, tuple)) and any(isinstance(a, T) for a in v):
        inside = [(shell[0], shell[1][1:]) if shell and shell[1][:1] == (i,) else None for i in range(len(v))]
        pairs = [_build_one(a, rng, domain, here) for a, here in zip(v, inside)]
        return type(v)(a for a, _ in pairs), type(v)(b for _, b in pairs)
    return v, v


def _built(row, domain, shell):
    """(pyfront args, kwargs), (torch args, kwargs) of ``row``, the tensor at ``shell[1]`` (a path: position
    or keyword, then list indices) made dtype ``shell[0]``."""
    args, kwargs = row
    rng = np.random.default_rng(0)
    pa, ta, pk, tk = [], [], {}, {}
    for key, v in [*enumerate(args), *kwargs.items()]:
        here = (shell[0], shell[1][1:]) if shell and shell[1][0] == key else None
        p, t = _build_one(v, rng, domain, here)
        if isinstance(key, int):
            pa.append(p), ta.append(t)
        else:
            pk[key], tk[key] = p, t
    return (pa, pk), (ta, tk)


def tensor_paths(row):
    """The path of every tensor in ``row``: (position or keyword, list index ...)."""
    out = []
    for key, v in [*enumerate(row[0]), *row[1].items()]:
        if isinstance(v, T):
            out.append((key,))
        elif isinstance(v, (list, tuple)):
            out.extend((key, i) for i, a in enumerate(v) if isinstance(a, T))
    return out


def _call(lib, name, form, args, kwargs):
    method = name.removeprefix("Tensor.")
    if name.startswith("Tensor.") and form == "function":
        form = "method"
    if form == "function":
        return _resolve(lib, name)(*args, **kwargs)
    if form == "out":
        out = _call(lib, name, "function", args, kwargs)  # the result's own dtype and shape
        outs = [o.new_empty(0) for o in out] if isinstance(out, (tuple, list)) else out.new_empty(0)
        got = _resolve(lib, name)(*args, **kwargs, out=tuple(outs) if isinstance(outs, list) else outs)
        return got
    self = args[0].clone() if form == "inplace" else args[0]
    return getattr(self, method + ("_" if form == "inplace" else ""))(*args[1:], **kwargs)


def forms(name: str, row) -> list:
    """The forms torch gives ``name`` for ``row``: function, method, in-place method, out=."""
    method = name.removeprefix("Tensor.")
    if name.startswith("Tensor."):
        return ["function"]
    out = ["function"]
    first = row[0][0] if row[0] else None
    if "." not in name and isinstance(first, T):
        if hasattr(torch.Tensor, method) and hasattr(pyfront.Tensor, method):
            out.append("method")
        if not method.endswith("_") and hasattr(torch.Tensor, method + "_"):
            out.append("inplace")
    if name in TAKES_OUT:
        out.append("out")
    return out


def _value(x):
    if isinstance(x, (tuple, list)):
        return [_value(y) for y in x]
    if isinstance(x, (torch.Tensor, pyfront.Tensor)):
        return ("T", str(x.dtype).split(".")[-1], tuple(x.shape), x.detach().double().reshape(-1).tolist())
    if isinstance(x, (torch.dtype, pyfront.dtype)):
        return str(x).split(".")[-1]
    if isinstance(x, (torch.Size, pyfront.Size)):
        return tuple(x)
    return x


def _outcome(lib, name, form, args_kwargs):
    args, kwargs = args_kwargs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return "ok", _value(_call(lib, name, form, args, kwargs))
        except Exception as e:  # noqa: BLE001 - compared with torch's
            return "error", (type(e).__name__, torch_text(e))


def _same(got, want) -> bool:
    if got[0] != want[0]:
        return False
    if got[0] == "error":
        return got[1] == want[1]
    return _close(got[1], want[1])


def _close(a, b) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, tuple) and len(a) == 4 and a[:1] == ("T",) and isinstance(b, tuple):
        return a[:3] == b[:3] and np.allclose(a[3], b[3], rtol=1.3e-6, atol=1e-5, equal_nan=True)
    return a == b or (isinstance(a, float) and isinstance(b, float) and np.isclose(a, b, equal_nan=True))


def cases(names=None, dtypes=SHELL) -> list:
    """(name, form, row, domain, path, dtype) of every call of the sweep (``names``, ``dtypes``: only
    these)."""
    rows = _rows_of()
    rows.update(_found_rows(rows, None if names is None else set(names) - set(rows)))
    out = []
    for name, (base, domain) in rows.items():
        if names is not None and name not in names:
            continue
        for row in base:
            for form in forms(name, row):
                for path in tensor_paths(row):
                    out.extend((name, form, row, domain, path, d) for d in dtypes)
    return out


def differs(case):
    """None where pyfront's outcome of ``case`` is torch's, else (torch's, pyfront's)."""
    name, form, row, domain, path, d = case
    p, t = _built(row, domain, (d, path))
    want = _outcome(torch, name, form, t)
    got = _outcome(pyfront, name, form, p)
    if isinstance(got[1], tuple) and got[0] == "error":
        got = ("error", (got[1][0], got[1][1].replace("pyfront.", "torch.")))
    return None if _same(got, want) else (want, got)


def main():
    all_cases = cases(sys.argv[1:] or None)
    found = [(case, bad) for case in all_cases for bad in [differs(case)] if bad]
    for (name, form, _, _, path, d), (want, got) in found:
        print(f"{name} [{form}] {path} {d}:\n   torch   {str(want)[:220]}\n   pyfront {str(got)[:220]}")
    ops = {c[0] for c, _ in found}
    print(f"{len(found)} of {len(all_cases)} calls differ, in {len(ops)} functions: {' '.join(sorted(ops))}")


if __name__ == "__main__":
    main()
