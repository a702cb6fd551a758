"""Ops whose derivative torch defines as zero (floor, ceil, round, trunc, sign, div with a rounding
mode, ...): the gradient is torch's zeros_like(grad) whatever flows in. A ``grad * 0`` gives -0 for a
negative and nan for an infinite incoming gradient. The ops are found from torch over the whole op
table: every op whose gradient torch gives as exact zeros for an all-ones cotangent."""
import warnings

import numpy as np
import pytest
import torch

import pyfront
from optable import _float_outputs, _resolve, assert_same, build, entries

COTANGENT = (np.inf, -1.0, 2.0, -np.inf)


def _grads(lib, outs, leaves, fill):
    total = 0
    for out in outs:
        c = np.resize(np.array(fill, dtype=str(out.dtype).split(".")[-1]), tuple(out.shape))
        total = total + (out * lib.tensor(c)).sum()
    return lib.autograd.grad(total, leaves, allow_unused=True)


def _run(lib, entry, col, device="cpu", index=0):
    name, torch_name, samples, domain, _ = entry
    args, kwargs = samples[index]
    rng = np.random.default_rng(0)
    built = [build(a, domain, rng, device) for a in args]
    kw = {k: build(v, domain, rng, device) for k, v in kwargs.items()}
    out = _resolve(lib, torch_name)(*[b[col] for b in built], **{k: v[col] for k, v in kw.items()})
    leaves = [b[col + 2] for b in built + list(kw.values()) if b[col + 2] is not None]
    return out, leaves


def _zero_derivative_ops():
    found = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for entry in entries(edge=False):
            if not entry[4]:
                continue
            try:
                out, leaves = _run(torch, entry, 1)
                outs = [t for _, t in _float_outputs(out, out)]
                grads = _grads(torch, outs, leaves, (1.0,)) if leaves and outs else ()
            except RuntimeError:  # no derivative at all, or no sample torch accepts
                continue
            if grads and all(g is not None and not g.any() for g in grads):
                found.append(pytest.param(entry, id=entry[0]))
    return found


ZERO_DERIVATIVE = _zero_derivative_ops()


def test_the_kind_is_found():
    names = {p.id for p in ZERO_DERIVATIVE}
    assert {"floor", "ceil", "trunc", "round", "sign", "div_trunc", "div_floor"} <= names, names


@pytest.mark.parametrize("entry", ZERO_DERIVATIVE)
def test_a_zero_derivative_is_zeros_whatever_flows_in(entry):
    t_out, t_leaves = _run(torch, entry, 1)
    p_out, p_leaves = _run(pyfront, entry, 0)
    pairs = _float_outputs(p_out, t_out)
    expected = _grads(torch, [t for _, t in pairs], t_leaves, COTANGENT)
    got = _grads(pyfront, [p for p, _ in pairs], p_leaves, COTANGENT)
    for g, e in zip(got, expected):
        assert_same(g, e, signed_zeros=True)
