"""The Tensor one-liners (properties and small methods such as ``.T``, ``.H``, ``.real``, ``.data``,
the ``.grad`` setter) raise and warn exactly as torch's: the same results, exception types, messages
and warnings, over ranks 0..3, an empty tensor and every dtype.

Each library runs the whole list in a fresh process (this file run as a script), in the same order:
torch's TORCH_WARN_ONCE warnings fire once per process, so only fresh processes can compare them.
"""
from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

from warned import every_warning, shown, torch_text

SHAPES = ((), (2,), (2, 3), (2, 3, 4), (0, 3))
DTYPES = ("float32", "float64", "float16", "int64", "int32", "uint8", "bool")


def _set(attr, make_value):
    def fn(L, x):
        setattr(x, attr, make_value(L, x))
        return getattr(x, attr) if attr != "grad" else x.grad

    return fn


def _nonleaf(L, x):
    return _grad_leaf(L, x) * 2


def _grad_leaf(L, x):
    return x.float().requires_grad_() if not x.is_floating_point() else x.clone().requires_grad_()


# name -> fn(lib, x): x is a fresh leaf of the row's shape and dtype
ONELINERS = {
    "T": lambda L, x: x.T,
    "mT": lambda L, x: x.mT,
    "H": lambda L, x: x.H,
    "mH": lambda L, x: x.mH,
    "adjoint": lambda L, x: x.adjoint(),
    "t": lambda L, x: x.t(),
    "real": lambda L, x: x.real,
    "imag": lambda L, x: x.imag,
    "conj": lambda L, x: x.conj(),
    "resolve_conj": lambda L, x: x.resolve_conj(),
    "resolve_neg": lambda L, x: x.resolve_neg(),
    "is_conj": lambda L, x: x.is_conj(),
    "is_neg": lambda L, x: x.is_neg(),
    "is_complex": lambda L, x: x.is_complex(),
    "is_floating_point": lambda L, x: x.is_floating_point(),
    "is_signed": lambda L, x: x.is_signed(),
    "ndim": lambda L, x: x.ndim,
    "dim": lambda L, x: x.dim(),
    "ndimension": lambda L, x: x.ndimension(),
    "shape": lambda L, x: tuple(x.shape),
    "size": lambda L, x: tuple(x.size()),
    "size_last": lambda L, x: x.size(-1),
    "size_2": lambda L, x: x.size(2),
    "stride": lambda L, x: x.stride(),
    "stride_1": lambda L, x: x.stride(1),
    "numel": lambda L, x: x.numel(),
    "nelement": lambda L, x: x.nelement(),
    "element_size": lambda L, x: x.element_size(),
    "itemsize": lambda L, x: x.itemsize,
    "nbytes": lambda L, x: x.nbytes,
    "storage_offset": lambda L, x: x.storage_offset(),
    "is_contiguous": lambda L, x: x.is_contiguous(),
    "is_leaf": lambda L, x: x.is_leaf,
    "is_cpu": lambda L, x: x.is_cpu,
    "is_cuda": lambda L, x: x.is_cuda,
    "requires_grad": lambda L, x: x.requires_grad,
    "grad_fn": lambda L, x: x.grad_fn,
    "output_nr": lambda L, x: x.output_nr,
    "retains_grad": lambda L, x: x.retains_grad,
    "grad": lambda L, x: x.grad,
    "len": lambda L, x: len(x),
    "iter": lambda L, x: list(x),
    "item": lambda L, x: x.item(),
    "bool": lambda L, x: bool(x),
    "float": lambda L, x: float(x),
    "int": lambda L, x: int(x),
    "index": lambda L, x: x.__index__(),
    "is_nonzero": lambda L, x: x.is_nonzero(),
    "tolist": lambda L, x: x.tolist(),
    "data": lambda L, x: x.data,
    "detach": lambda L, x: x.detach(),
    "requires_grad_": lambda L, x: x.requires_grad_(),
    "requires_grad_set": _set("requires_grad", lambda L, x: True),
    "retain_grad": lambda L, x: x.retain_grad(),
    "data_set_same": _set("data", lambda L, x: L.zeros(x.shape, dtype=x.dtype)),
    "data_set_other_shape": _set("data", lambda L, x: L.zeros(5, dtype=x.dtype)),
    "data_set_other_dtype": _set("data", lambda L, x: L.zeros(x.shape, dtype=L.float64)),
    "data_set_number": _set("data", lambda L, x: 5),
    "grad_set_same": _set("grad", lambda L, x: L.ones(x.shape, dtype=x.dtype)),
    "grad_set_none": _set("grad", lambda L, x: None),
    "grad_set_other_shape": _set("grad", lambda L, x: L.ones(5, dtype=x.dtype)),
    "grad_set_other_dtype": _set("grad", lambda L, x: L.ones(x.shape, dtype=L.float64)),
    "grad_set_number": _set("grad", lambda L, x: 1.0),
    "grad_set_on_grad_leaf": lambda L, x: _set("grad", lambda L, y: L.ones(y.shape))(L, _grad_leaf(L, x)),
    "nonleaf_is_leaf": lambda L, x: _nonleaf(L, x).is_leaf,
    "nonleaf_grad": lambda L, x: _nonleaf(L, x).grad,
    "nonleaf_requires_grad_off": lambda L, x: _set("requires_grad", lambda L, y: False)(L, _nonleaf(L, x)),
    "nonleaf_detach_": lambda L, x: _nonleaf(L, x).detach_().requires_grad,
    "view_detach_": lambda L, x: x.view(x.shape).detach_(),
}


def _describe(L, value):
    """A JSON-able account of a result: tensors by dtype, shape and values (NaN-free inputs)."""
    if isinstance(value, L.Tensor):
        return ["tensor", str(value.dtype).split(".")[-1], list(value.shape), value.detach().tolist()]
    if isinstance(value, (list, tuple)):
        return [type(value).__name__, [_describe(L, v) for v in value]]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return type(value).__name__


def probe(lib_name):
    """Every one-liner over every shape and dtype, in one fixed order: (key, outcome, warnings)."""
    L = __import__(lib_name)
    out = []
    for name, fn in ONELINERS.items():
        for shape in SHAPES:
            for dtype in DTYPES:
                x = L.arange(1, 1 + (2 * 3 * 4), dtype=L.float32)[: _numel(shape)].reshape(shape)
                x = x.to(getattr(L, dtype))
                with every_warning(L) as caught:
                    try:
                        outcome = ["ok", _describe(L, fn(L, x))]
                    except Exception as e:  # noqa: BLE001 - the type and message are what is compared
                        outcome = ["raise", type(e).__name__, str(e)]
                out.append([f"{name} {shape} {dtype}", outcome, shown(caught)])
    return out


def _numel(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def _start(lib_name):
    root = str(pathlib.Path(__file__).resolve().parents[1])  # this checkout's pyfront, not an installed one
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, __file__, lib_name], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def _result(proc):
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return json.loads(out)


def test_oneliners_as_torch():
    procs = [_start("pyfront"), _start("torch")]  # both at once: the two cores share them
    ours, theirs = (_result(p) for p in procs)
    assert [k for k, *_ in ours] == [k for k, *_ in theirs]
    differ = []
    for (key, got, got_warn), (_, want, want_warn) in zip(ours, theirs):
        if want[0] == "raise":
            want = [want[0], want[1], torch_text(want[2])]
        if got != want or got_warn != want_warn:
            differ.append(f"{key}:\n  pyfront {got} {got_warn}\n  torch   {want} {want_warn}")
    assert not differ, f"{len(differ)} of {len(ours)} differ:\n" + "\n".join(differ[:40])


if __name__ == "__main__":
    json.dump(probe(sys.argv[1]), sys.stdout)
