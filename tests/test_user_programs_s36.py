"""Faults found running session 36's user-style programs (tests/programs/: each file's header names the
public code it imitates), each checked as a kind against torch 2.13: nll_loss's and cross_entropy's target
checks for every rank of scores, in the order torch's kernels make them (an unbatched input's 1-element
target read as its one index; nll_loss2d's own refusals of a 4-d input's target)."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch

import pyfront


def _outcome(fn):
    """('ok', shape, values) or (exception type name, message)."""
    try:
        out = fn()
        return "ok", tuple(out.shape), out.detach().double().numpy()
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return type(e).__name__, str(e)


# scores' shape -> targets' shapes: the right one, then wrong ranks and sizes
_TARGETS = {(4,): [(), (1,), (2,), (0,), (1, 1)], (2, 4): [(2,), (3,), (2, 1)],
            (2, 4, 3): [(2, 3), (2, 2), (2,)],
            (2, 4, 3, 3): [(2, 3, 3), (2, 2, 3), (2, 3), (2,), (2, 3, 3, 1), (3, 3, 3), (2, 3, 2)],
            (2, 4, 3, 3, 2): [(2, 3, 3, 2), (2, 3, 3)]}
_CASES = [(s, t) for s, ts in _TARGETS.items() for t in ts]


def _loss(lib, fn, shape, target_shape, weight, target_dtype, reduction, smoothing):
    scores = lib.linspace(-1, 1, math.prod(shape)).reshape(shape)
    target = (lib.arange(math.prod(target_shape)) % 4).reshape(target_shape).to(getattr(lib, target_dtype))
    kw = {"label_smoothing": smoothing} if smoothing else {}
    w = None if weight is None else lib.linspace(0.5, 2, weight)
    return getattr(lib.nn.functional, fn)(scores, target, weight=w, reduction=reduction, **kw)


@pytest.mark.parametrize("case", range(len(_CASES)))
@pytest.mark.parametrize("fn", ["nll_loss", "cross_entropy"])
def test_class_index_targets_checked_as_torch_for_every_rank(fn, case):
    shape, target_shape = _CASES[case]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for weight in (None, 4, 3):
            for target_dtype in ("int64", "int32"):
                for reduction in ("none", "sum"):
                    for smoothing in ((0.0, 0.2) if fn == "cross_entropy" else (0.0,)):
                        args = (fn, shape, target_shape, weight, target_dtype, reduction, smoothing)
                        want = _outcome(lambda: _loss(torch, *args))
                        got = _outcome(lambda: _loss(pyfront, *args))
                        assert got[:2] == want[:2], args
                        if want[0] == "ok":  # (softmax's exp and the spatial sums' order: not to the bit)
                            np.testing.assert_allclose(got[2], want[2], rtol=1e-6, atol=1e-6)
                            zero = want[2] == 0
                            assert (np.signbit(got[2][zero]) == np.signbit(want[2][zero])).all(), args
