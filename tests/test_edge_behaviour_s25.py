"""Edge behaviour a user meets, as torch 2.13: a singular Cholesky factor's inverse, a continuous Bernoulli
at infinite logits, slice_scatter written into its own input.

cholesky_inverse gave NaN where torch raises its LinAlgError; ContinuousBernoulli.log_prob swapped torch's
-inf and NaN at infinite logits; slice_scatter(z, ..., out=z) refused the overlap that torch writes through
(and so named the overlap, not the size, for a source of the wrong size).
"""
from __future__ import annotations

import math

import pytest
import torch

import pyfront
import numpy as np

INF = math.inf


def _outcome(lib, fn):
    try:
        r = fn(lib)
    except Exception as e:  # noqa: BLE001 (compared with torch's)
        return e
    return r.tolist() if hasattr(r, "tolist") else r


CASES = {
    "cholesky_inverse_singular": lambda L: L.cholesky_inverse(L.tensor([[1.0, 0.0], [2.0, 0.0]])),
    "cholesky_inverse_upper": lambda L: L.cholesky_inverse(L.tensor([[0.0, 1.0], [0.0, 2.0]]), upper=True),
    "cholesky_inverse_batch": lambda L: L.cholesky_inverse(L.tensor([[[1.0, 0.0], [2.0, 1.0]],
                                                                      [[1.0, 0.0], [2.0, 0.0]]])),
    "cholesky_inverse_regular": lambda L: L.cholesky_inverse(L.tensor([[2.0, 0.0], [1.0, 3.0]])),
    "cont_bernoulli_log_prob": lambda L: L.distributions.ContinuousBernoulli(
        logits=L.tensor([INF, -INF, 0.0, 50.0, -50.0])).log_prob(L.tensor([0.3] * 5)),
    "cont_bernoulli_log_prob_ends": lambda L: L.distributions.ContinuousBernoulli(
        logits=L.tensor([INF, -INF, 3.0])).log_prob(L.tensor([0.0, 1.0, 1.0])),
    "slice_scatter_out_wrong_size": lambda L: _into_itself(L, lambda z: L.slice_scatter(z, z[:2], out=z)),
    "slice_scatter_out_overlap": lambda L: _into_itself(
        L, lambda z: L.slice_scatter(z, z[1:3], 0, 0, 2, out=z)),
    "slice_scatter_out_step": lambda L: _into_itself(
        L, lambda z: L.slice_scatter(z, z[3:5], 0, 1, 5, 2, out=z)),
}


def _into_itself(lib, fn):
    return fn(lib.arange(6.0))


@pytest.mark.parametrize("case", list(CASES))
def test_edge_behaviour_as_torch(case):
    want, got = _outcome(torch, CASES[case]), _outcome(pyfront, CASES[case])
    if isinstance(want, Exception):  # (torch's LinAlgError is its C extension's class: compared by name)
        assert isinstance(got, Exception), got
        assert (type(got).__name__, str(got)) == (type(want).__name__, str(want))
    else:
        assert not isinstance(got, Exception), got
        np.testing.assert_allclose(np.array(got), np.array(want), rtol=1e-6)  # nan and inf where torch's
