"""Targets equal to ignore_index add nothing to nll_loss/cross_entropy and get a zero gradient, as torch's
kernels: also when every target is ignored (the mean's 1 / total is inf: the gradient was NaN, which one
padding-only batch spread to every weight) and when an ignored row's scores are inf or NaN."""

import itertools

import numpy as np
import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
IGNORED = {"all": [1, 1, 1, 1], "some": [1, 0, 2, 1], "none": [0, 2, 0, 2]}


def _run(lib, fn, scores, target, device, **kwargs):
    x = lib.tensor(scores, device=device).requires_grad_()
    loss = getattr(lib.nn.functional, fn)(x, lib.tensor(target, device=device), ignore_index=1, **kwargs)
    loss.backward(lib.ones_like(loss))
    return loss.detach().cpu().numpy(), x.grad.cpu().numpy()


@pytest.mark.parametrize("device", DEVICES)
def test_ignored_rows_as_torch(device):
    rng = np.random.default_rng(0)
    for fn, reduction, which, special, extra in itertools.product(
        ["nll_loss", "cross_entropy"], ["mean", "sum", "none"], IGNORED, [None, np.inf, np.nan],
        [{}, {"weight": [0.5, 2.0, 1.5]}, {"label_smoothing": 0.1}],
    ):
        if fn == "nll_loss" and "label_smoothing" in extra:
            continue
        scores = rng.standard_normal((4, 3)).astype(np.float32)
        target = IGNORED[which]
        if special is not None:  # an ignored row's scores, where there is one
            scores[[i for i, t in enumerate(target) if t == 1]] = special
        case = (fn, reduction, which, special, extra)
        if "weight" in extra:
            kwargs = dict(weight=torch.tensor(extra["weight"]), reduction=reduction)
            ours = _run(pyfront, fn, scores, target, device,
                        weight=pyfront.tensor(extra["weight"], device=device), reduction=reduction)
        else:
            kwargs = dict(extra, reduction=reduction)
            ours = _run(pyfront, fn, scores, target, device, **kwargs)
        theirs = _run(torch, fn, scores, target, "cpu", **kwargs)
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7, equal_nan=True, err_msg=str(case))
            assert (np.isnan(a) == np.isnan(b)).all(), case
