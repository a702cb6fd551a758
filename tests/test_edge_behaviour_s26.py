"""Edge values fed through the APIs of real programs tried in session 26 (pruning, parametrizations, char-RNN
names, DQN, a Siamese net; tests/test_scripts_s26.py), as torch 2.13 on cpu and webgpu.

Found: isclose/allclose took an integer difference in the operands' own dtype (uint8 1 - 2 wrapped to 255,
so 1 and 2 were not close within atol=1) where torch compares integers as default floats; a uint8 mask of
the wrong shape given one value (``x[mask] = 3.``, ``index_put``) was refused as a uint8 masked_fill before
torch's shape IndexError; embedding_bag refused uint8/int16/bool indices that torch takes in their common
dtype with the offsets (int64 offsets make them int64), and named ``embedding`` in its refusal;
multi_margin_loss and multilabel_margin_loss took int32/uint8 targets (or failed in gather) where torch's
kernels refuse any but int64, and multilabel's range check compared a uint8 target with -1 (wrapping);
adaptive average pooling to all-ones sizes (every ResNet's global pool) ran the window kernel where torch
takes a mean over the pooled dims (NaN for an empty window, mean's dtype error and MeanBackward1, no rank
check), an empty integer input was refused where torch's 2-d kernel returns it empty, and 1-d pooling's
empty-length error named itself where torch names the 2-d pool it runs; a sequence of output sizes for an
input of no more dims (2-d and 3-d pools, average and max) missed torch's ValueError.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
INTS = ["uint8", "int8", "int16", "int32", "int64"]


def _outcome(lib, fn, device):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (uint8 indexing's deprecation)
        try:
            r = fn(lib, "cpu" if lib is torch else device)
        except Exception as e:  # noqa: BLE001 (compared with torch's)
            return e
    return r.tolist() if hasattr(r, "tolist") else r


def _same(fn, device):
    want, got = _outcome(torch, fn, device), _outcome(pyfront, fn, device)
    if isinstance(want, Exception):
        assert isinstance(got, Exception), got
        assert (type(got).__name__, str(got)) == (type(want).__name__, str(want))
    else:
        assert not isinstance(got, Exception), repr(got)
        np.testing.assert_allclose(np.array(got, dtype=float), np.array(want, dtype=float), rtol=1e-6)


def _isclose(dtype, a, b, **kw):
    def run(L, device):
        d = getattr(L, dtype)
        return L.isclose(L.tensor(a, dtype=d, device=device), L.tensor(b, dtype=d, device=device), **kw)
    return run


# pairs whose difference wraps in the narrow dtype, or whose float32 rounding decides (2**40 + 1)
ISCLOSE = {f"{d}_{i}": _isclose(d, *case[:2], **case[2]) for d in INTS for i, case in enumerate([
    ([1, 100, 0, 5], [2, 90, 127, 5], dict(atol=1)),
    ([2, 90, 127, 5], [1, 100, 0, 5], dict(atol=0, rtol=0.1)),
    ([1, 100, 0, 5], [2, 90, 127, 5], dict(atol=200)),
    ([-100, 100, 50] if d != "uint8" else [0, 200, 50], [100, -100, 49] if d != "uint8" else [200, 0, 49],
     dict(atol=250)),
])}
ISCLOSE["allclose_uint8"] = lambda L, device: L.allclose(
    L.tensor([1, 200], dtype=L.uint8, device=device), L.tensor([2, 190], dtype=L.uint8, device=device),
    atol=10)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", list(ISCLOSE))
def test_isclose_integers_as_torch(case, device):
    _same(ISCLOSE[case], device)


def test_isclose_int64_rounds_as_float32():  # (cpu only: webgpu keeps int64 in 32 bits, by design)
    _same(_isclose("int64", [2**40 + 1], [2**40], rtol=0, atol=0.5), "cpu")



def _mask_put(kind, n, value):
    def run(L, device):
        x = L.ones(n, device=device)
        m = L.tensor([1, 0], dtype=L.uint8, device=device)
        v = L.tensor(value, device=device) if isinstance(value, list) or kind != "setitem" else value
        if kind == "index_put":
            return x.index_put((m,), v)
        x[m] = v
        return x
    return run


MASK_PUT = {f"{kind}_{n}_{value}": _mask_put(kind, n, value)
            for kind in ("setitem", "tensor", "index_put") for n in (2, 5) for value in (3.0, [3.0])}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", list(MASK_PUT))
def test_uint8_mask_put_as_torch(case, device):
    _same(MASK_PUT[case], device)


def _bag(idt, odt, two_d=False):
    def run(L, device):
        w = L.arange(10.0, device=device).reshape(5, 2)
        if two_d:
            return L.nn.functional.embedding_bag(L.tensor([[1, 0]], dtype=getattr(L, idt), device=device), w)
        offsets = L.tensor([0, 1], dtype=getattr(L, odt), device=device)
        return L.nn.functional.embedding_bag(L.tensor([1, 2, 4], dtype=getattr(L, idt), device=device), w,
                                             offsets, mode="sum")
    return run


BAGS = {f"{i}_{o}": _bag(i, o) for i, o in [
    ("uint8", "int64"), ("int16", "int64"), ("bool", "int64"), ("int8", "int32"), ("int32", "int64"),
    ("int64", "int32"), ("int16", "int32"), ("uint8", "int8"), ("uint8", "int16"), ("int64", "float32"),
    ("bool", "bool")]}
BAGS.update({f"2d_{i}": _bag(i, None, two_d=True) for i in ("uint8", "int16", "int8", "float32")})


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", list(BAGS))
def test_embedding_bag_index_dtypes_as_torch(case, device):
    _same(BAGS[case], device)


def _margin(loss, tdt, target, rows=2):
    def run(L, device):
        x = L.arange(rows * 3.0, device=device).reshape(rows, 3) / 4
        f = getattr(L.nn.functional, loss)
        return f(x, L.tensor(target, dtype=getattr(L, tdt), device=device), reduction="none")
    return run


MARGINS = {}
for _t in ["int32", "uint8", "int16", "int8", "float32", "int64"]:
    MARGINS[f"multi_{_t}"] = _margin("multi_margin_loss", _t, [1, 2])
    MARGINS[f"multi_{_t}_out_of_range"] = _margin("multi_margin_loss", _t, [5, 2])
    MARGINS[f"multi_{_t}_bad_size"] = _margin("multi_margin_loss", _t, [1])
    MARGINS[f"multi_{_t}_empty"] = _margin("multi_margin_loss", _t, [], rows=0)
    MARGINS[f"multilabel_{_t}"] = _margin("multilabel_margin_loss", _t, [[1, 2, 0], [0, 1, 2]])
    MARGINS[f"multilabel_{_t}_padded"] = _margin("multilabel_margin_loss", _t, [[1, 2, -1], [0, -1, 0]])
    MARGINS[f"multilabel_{_t}_bad_size"] = _margin("multilabel_margin_loss", _t, [1, 2, 0])


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", list(MARGINS))
def test_margin_loss_target_dtypes_as_torch(case, device):
    _same(MARGINS[case], device)


def _pool(nd, shape, out, dtype):
    def run(L, device):
        f = getattr(L.nn.functional, f"adaptive_avg_pool{nd}d")
        x = L.ones(shape, dtype=getattr(L, dtype), device=device)
        if dtype == "float32":
            x.requires_grad_()
        y = f(x, out)
        return (list(y.shape), str(y.dtype).split(".")[-1], y.grad_fn and y.grad_fn.name(), y.tolist())
    return run


POOLS = {f"{nd}d_{shape}_{out}_{dtype}": _pool(nd, shape, out, dtype) for nd, shapes, outs in [
    (1, [(1, 2, 0), (2, 0), (0, 2, 3), (2, 3)], [1, (1,), 2]),
    (2, [(1, 2, 0, 3), (2, 3, 0), (0, 2, 3, 3), (1, 0, 2, 2), (2, 3), (1, 2, 3, 4, 5), (5,), (2, 3, 3)],
     [1, (1, 1), 2, (1, None), (None, 1), [2, 2]]),
    (3, [(1, 2, 0, 3, 3), (2, 3, 0, 1), (0, 2, 2, 2, 2), (1, 0, 2, 2, 2), (2, 3), (2, 3, 3)],
     [1, (1, 1, 1), 2, (2, 2, 2)]),
] for shape in shapes for out in outs for dtype in ("float32", "int64", "uint8")}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", list(POOLS))
def test_adaptive_avg_pool_to_ones_as_torch(case, device):
    _same_pool(POOLS[case], device)


def _same_pool(fn, device):
    want, got = _outcome(torch, fn, device), _outcome(pyfront, fn, device)
    if isinstance(want, Exception):
        assert isinstance(got, Exception), got
        assert (type(got).__name__, str(got)) == (type(want).__name__, str(want))
        return
    assert not isinstance(got, Exception), repr(got)
    assert got[:3] == want[:3]  # shape, dtype, node
    np.testing.assert_allclose(np.array(got[3], dtype=float), np.array(want[3], dtype=float), rtol=1e-6)


@pytest.mark.parametrize("fn", ["adaptive_max_pool2d", "adaptive_max_pool3d", "adaptive_avg_pool2d"])
def test_adaptive_pool_sizes_longer_than_input_as_torch(fn):
    nd = int(fn[-2])
    for shape in [(2,) * nd, (3,)]:
        def run(L, device, shape=shape):
            return getattr(L.nn.functional, fn)(L.ones(shape, device=device), (2,) * nd)
        _same(run, "cpu")
