"""Every function the op table and tests/badargs.py's EXTRA call (torch.*, torch.special.*,
torch.nn.functional.*) and the Tensor method of each torch.* one, called with no arguments and with the
last argument of a valid call left out: pyfront's outcome is torch's (the exception type and text, or the
value where torch's default fills the gap). torch's C++ parser words a missing argument in its own way
('abs() missing 1 required positional arguments: "input"', or its invalid-combination text where it has
several signatures); its Python functions (F.*, torch.functional's) in Python's.

``KNOWN``: the calls that still differ, and why; exact, so a fix (or a new fault) fails until it changes."""
from __future__ import annotations

import warnings

import pytest
import torch

import pyfront
from badargs import bases, compare

_BASES = bases()
_DISPATCHED = "torch's F function is a boolean_dispatch, Python's words name its _inner function"
KNOWN = {
    ("nn.functional.adaptive_max_pool1d", "none"): _DISPATCHED,
    ("nn.functional.adaptive_max_pool1d", "fewer"): _DISPATCHED,
    ("nn.functional.adaptive_max_pool2d", "none"): _DISPATCHED,
    ("nn.functional.adaptive_max_pool2d", "fewer"): _DISPATCHED,
    ("nn.functional.adaptive_max_pool3d", "none"): _DISPATCHED,
    ("nn.functional.max_pool1d", "none"): _DISPATCHED, ("nn.functional.max_pool1d", "fewer"): _DISPATCHED,
    ("nn.functional.max_pool2d", "none"): _DISPATCHED, ("nn.functional.max_pool2d", "fewer"): _DISPATCHED,
    ("nn.functional.max_pool3d", "none"): _DISPATCHED, ("nn.functional.max_pool3d", "fewer"): _DISPATCHED,
    ("nn.functional.threshold", "none"): _DISPATCHED, ("nn.functional.threshold", "fewer"): _DISPATCHED,
    ("unique", "none"): _DISPATCHED, ("unique", "fewer"): _DISPATCHED,
    ("unique_consecutive", "none"): _DISPATCHED, ("unique_consecutive", "fewer"): _DISPATCHED,
    **{("Tensor." + n, k): "a method every training step calls: Python's words (KNOWN_METHODS)"
       for n in ("addcdiv", "addcmul") for k in ("none", "fewer")},
    ("where", "fewer"): "where(x, y): pyfront reads it as where(condition, input) and checks the dtype first",
    ("set_num_threads", "none"): "torch's METH_O text ('takes exactly one argument')",
    ("set_num_threads", "fewer"): "torch's METH_O text ('takes exactly one argument')",
    ("set_flush_denormal", "none"): "torch's METH_O text ('takes exactly one argument')",
    ("set_flush_denormal", "fewer"): "torch's METH_O text ('takes exactly one argument')",
    ("Tensor.polygamma", "none"): "torch's descriptor error (x.polygamma(n) takes n first)",
    ("Tensor.polygamma", "fewer"): "torch's descriptor error (x.polygamma(n) takes n first)",
    ("repeat_interleave", "fewer"): "repeat_interleave(x): torch reads x as the repeats",
    ("Tensor.repeat_interleave", "none"): "x.repeat_interleave(): pyfront's own check of the repeats",
    ("Tensor.repeat_interleave", "fewer"): "x.repeat_interleave(): pyfront's own check of the repeats",
}


_PER_STEP = "a method every training step calls, no check wraps it (a wrapper would cost each call)"
KNOWN_METHODS = {
    **{n: _PER_STEP
       for n in "addcmul addcmul_ addcdiv addcdiv_ clamp_min clamp_min_ clamp_max clamp_max_".split()},
    **{n: "torch's method is Python (Tensor.NAME in its words; lstsq and solve name their argument other)"
       for n in ("stft", "istft", "resize_as", "lstsq", "solve")},
    "map_": "torch's parser names map_'s tensor other", "orgqr": "torch's parser names tau input2",
    "ormqr": "torch's parser names tau and other input2 and input3",
    "sparse_mask": "the sparse seam's wrapper gives Python's words",
    "repeat_interleave": "x.repeat_interleave(): pyfront's own check of the repeats",
    "to_sparse_bsr": "pyfront refuses the compressed layouts first", "to_sparse_bsc": "as to_sparse_bsr",
}


def test_every_method_called_with_none_as_torch():
    """x.NAME() for every method of torch's that pyfront has, where torch refuses it for an argument left
    out: torch's type and text (unfold, as_strided, expand_as, ... named the arguments in Python's words)."""
    differ = {}
    for name in sorted(n for n in dir(torch.Tensor) if not n.startswith("_") and hasattr(pyfront.Tensor, n)):
        outs = []
        for lib in (torch, pyfront):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    getattr(lib.ones(2, 3), name)()
                outs.append("ok")
            except Exception as e:  # noqa: BLE001 - compared with torch's
                outs.append(f"{type(e).__name__}: {e}")
        if outs[0].startswith("TypeError") and ("missing" in outs[0] or "invalid combination" in outs[0]) \
                and outs[1] != outs[0]:
            differ[name] = outs
    assert {k: v for k, v in differ.items() if k not in KNOWN_METHODS} == {}
    assert sorted(k for k in KNOWN_METHODS if k not in differ) == []


def _calls():
    """(name, label, args, kwargs, domain): each function's and method's calls with an argument left out."""
    out = []
    for name, (rows, domain) in sorted(_BASES.items()):
        args, kwargs = rows[0]
        out.append((name, "none", (), {}, domain))
        if args:
            out.append((name, "fewer", tuple(args[:-1]), kwargs, domain))
        method = name.split(".")[-1]
        if "." in name or not args or not (hasattr(torch.Tensor, method) and hasattr(pyfront.Tensor, method)):
            continue
        out.append((f"Tensor.{method}", "none", tuple(args[:1]), {}, domain))
        if len(args) > 1:
            out.append((f"Tensor.{method}", "fewer", tuple(args[:-1]), kwargs, domain))
    return out


def test_an_argument_left_out_as_torch():
    differ = {}
    for name, label, args, kwargs, domain in _calls():
        if (found := compare(name, args, kwargs, domain)) is not None:
            differ[name, label] = found
    assert {k: v[:200] for k, v in differ.items() if k not in KNOWN} == {}
    assert sorted(k for k in KNOWN if k not in differ) == []  # a fix: drop its line


@pytest.mark.parametrize("call", [
    lambda lib, x: x.unfold(0), lambda lib, x: x.unfold(), lambda lib, x: x.as_strided((1,)),
    lambda lib, x: lib.as_strided(x, (1,)), lambda lib, x: x.expand_as(), lambda lib, x: x.fill_(),
    lambda lib, x: lib.reshape(x), lambda lib, x: x.mm(), lambda lib, x: lib.add(), lambda lib, x: x.add(),
    lambda lib, x: x.copy_(), lambda lib, x: lib.addcmul(x), lambda lib, x: lib.nonzero(),
    lambda lib, x: lib.abs(), lambda lib, x: lib.special.i1(), lambda lib, x: lib.nn.functional.relu(),
    lambda lib, x: lib.nn.functional.layer_norm(x), lambda lib, x: lib.nn.functional.instance_norm(),
    lambda lib, x: lib.nn.functional.interpolate(), lambda lib, x: lib.cdist(x),
    lambda lib, x: lib.einsum("ij"), lambda lib, x: lib.cartesian_prod(),
    # scatter with neither src nor value: torch has no such signature (pyfront wrote garbage memory)
    lambda lib, x: x.scatter(0, lib.zeros(1, 1, dtype=lib.long)),
    lambda lib, x: x.scatter_(1, lib.zeros(1, 1, dtype=lib.long), reduce="add"),
    lambda lib, x: lib.scatter(x, 0, index=lib.zeros(1, 1, dtype=lib.long))])
def test_named_cases_as_torch(call):
    """The cases this kind was found by, and one of each wrapper's: the exception and its text."""
    outs = []
    for lib in (torch, pyfront):
        try:
            outs.append(("ok", call(lib, lib.ones(2, 3))))
        except Exception as e:  # noqa: BLE001 - compared with torch's
            outs.append((type(e).__name__, str(e)))
    assert outs[1] == outs[0]


def test_defaults_filling_the_gap_as_torch():
    """torch.block_diag() is one empty row; histogram's bins default to 100 (function and method)."""
    assert tuple(pyfront.block_diag().shape) == tuple(torch.block_diag().shape) == (1, 0)
    x = [0.5, 1.0, 3.0, -2.0]
    for got, want in ((pyfront.histogram(pyfront.tensor(x)), torch.histogram(torch.tensor(x))),
                      (pyfront.tensor(x).histogram(), torch.tensor(x).histogram())):
        assert got[0].tolist() == want[0].tolist()
        assert got[1].tolist() == pytest.approx(want[1].tolist())
