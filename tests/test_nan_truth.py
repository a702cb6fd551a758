"""Truth values of floats, against torch: NaN (either sign) and +-inf are true, +-0 false, subnormals true.

Every way a float becomes a bool runs here: casts, all/any (whole and along a dim), the logical ops,
comparison with 0, count_nonzero, nonzero/argwhere and a 0-d tensor's bool()/item()/is_nonzero, on
cpu and webgpu, float32 and float16, read contiguous, transposed and as a pending elementwise chain
(webgpu folds a pending chain into the reduction's loads: fusion.py). On webgpu ``x != 0`` is an
ordered compare (false for NaN), so the kernels must test ``!(x == 0)``.
"""
from __future__ import annotations

import math

import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

# the smallest subnormal of each dtype: true in torch; a driver flushing subnormals would say false
VALUES = {
    "float32": [math.nan, -math.nan, math.inf, -math.inf, 0.0, -0.0, 1e-45, 1.0],
    "float16": [math.nan, -math.nan, math.inf, -math.inf, 0.0, -0.0, 2.0 ** -24, 1.0],
}


def _operands(T, dtype, device, layout):
    """(X, Z): column 0 the special values, column 1 ones (X) or zeros (Z), so a fold along dim 1
    or over a row is the value's own truth."""
    vals = VALUES[dtype]
    out = []
    for other in (1.0, 0.0):
        rows = [vals, [other] * len(vals)]
        if layout == "transposed":
            x = T.tensor(rows, dtype=getattr(T, dtype), device=device).t()
        else:
            x = T.tensor([list(r) for r in zip(*rows)], dtype=getattr(T, dtype), device=device)
        out.append(x * 1 if layout == "pending" else x)  # webgpu keeps x * 1 pending
    return out


def _rows(fn):
    """One 0-d result per row, as Python values."""
    return lambda T, X, Z: [fn(T, X, Z, i) for i in range(X.shape[0])]


OPS = {
    "bool": lambda T, X, Z: X.bool(),
    "to_bool": lambda T, X, Z: X.to(T.bool),
    "type_as": lambda T, X, Z: X.type_as(T.tensor([True], device=X.device)),
    "all_dim": lambda T, X, Z: X.all(dim=1),
    "any_dim": lambda T, X, Z: Z.any(dim=1),
    "all_keepdim": lambda T, X, Z: X.all(1, keepdim=True),
    "all": _rows(lambda T, X, Z, i: X[i].all().item()),
    "any": _rows(lambda T, X, Z, i: Z[i].any().item()),
    "logical_not": lambda T, X, Z: T.logical_not(X),
    "logical_and": lambda T, X, Z: T.logical_and(X, X),
    "logical_or": lambda T, X, Z: T.logical_or(Z, Z),
    "logical_xor": lambda T, X, Z: T.logical_xor(X, Z),
    "logical_and_bool": lambda T, X, Z: T.logical_and(X, T.ones_like(X, dtype=T.bool)),
    "logical_or_int": lambda T, X, Z: T.logical_or(T.zeros_like(Z, dtype=T.int32), Z),
    "ne_zero": lambda T, X, Z: X != 0,
    "count_nonzero": lambda T, X, Z: T.count_nonzero(Z, dim=1),
    "nonzero": lambda T, X, Z: T.nonzero(Z),
    "argwhere": lambda T, X, Z: T.argwhere(Z),
    "nonzero_tuple": lambda T, X, Z: [t.tolist() for t in T.nonzero(Z, as_tuple=True)],
    "where_one_arg": lambda T, X, Z: [t.tolist() for t in T.where(Z)],  # torch takes a float here
    "equal": _rows(lambda T, X, Z, i: T.equal(X[i], X[i])),
    "allclose": _rows(lambda T, X, Z, i: (T.allclose(X[i], X[i]), T.allclose(X[i], X[i], equal_nan=True))),
    "dunder_bool": _rows(lambda T, X, Z, i: bool(X[i, 0])),
    "is_nonzero": _rows(lambda T, X, Z, i: T.is_nonzero(X[i, 0])),
    "item_of_cast": _rows(lambda T, X, Z, i: X[i, 0].bool().item()),
}

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _plain(r):
    return r.tolist() if hasattr(r, "tolist") and not isinstance(r, list) else r


@pytest.mark.parametrize("layout", ["contiguous", "transposed", "pending"])
@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("op", sorted(OPS))
def test_truth_values_match_torch(op, device, dtype, layout):
    expected = OPS[op](torch, *_operands(torch, dtype, "cpu", layout))
    got = OPS[op](pyfront, *_operands(pyfront, dtype, device, layout))
    assert str(getattr(got, "dtype", None)) == str(getattr(expected, "dtype", None))
    assert _plain(got) == _plain(expected), VALUES[dtype]


@pytest.mark.parametrize("device", DEVICES)
def test_two_pass_folds_count_nan_as_true(device):
    """all/any over more elements than one workgroup folds (reduce.py's partials pass), also pending."""
    def folds(T, dev, n=40_000):
        nans = T.full((n,), math.nan, device=dev)
        last = T.cat([T.zeros(n - 1, device=dev), T.tensor([math.nan], device=dev)])
        return [nans.all().item(), (nans * 1).all().item(), last.any().item(), (last * 1).any().item(),
                (last * 1).any(0).item(), T.count_nonzero(last).item()]

    assert folds(pyfront, device) == folds(torch, "cpu")


@pytest.mark.parametrize("device", DEVICES)
def test_float_masks_raise_as_torch(device):
    """A float condition or mask is refused (torch takes only bool), with torch's type and text."""
    calls = [lambda T, x: T.where(x, x, x), lambda T, x: x.masked_fill(x, 0.0),
             lambda T, x: T.masked_select(x, x)]
    for call in calls:
        with pytest.raises(Exception) as expected:
            call(torch, torch.tensor([1.0, math.nan]))
        with pytest.raises(expected.type) as got:
            call(pyfront, pyfront.tensor([1.0, math.nan], device=device))
        assert str(got.value) == str(expected.value)
