"""The in-place samplers and multinomial: torch's signatures and errors, the right distributions.

Values are random, so each distribution is checked by loose moment tests on 40,000 draws from
pyfront's Philox stream (several standard errors wide: a wrong formula fails, chance does not),
and errors against torch's.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import pyfront
from test_errors import assert_like_torch

N = 40_000
DTYPES = ["float32", "float64", "int64", "int32", "int16", "int8", "uint8", "bool"]
CALLS = ["random_(5, 3)", "random_(3, 3)", "random_(-1)", "random_(0)", "random_(300)", "random_(-1, 5)",
         "random_(1.5)", "random_(-1000, 5)", "random_(0, 2**40)", "random_(5, None)", "random_(2**25)",
         "random_(1, 2, 3)", 'random_(**{"from": 1, "to": 2, "x": 3})', "bernoulli_(1.5)", "bernoulli_(-0.1)",
         "bernoulli_(L.tensor([0.5, 2.0, 0.1]))", "bernoulli_(L.ones(2))",
         "bernoulli_(L.ones(3, dtype=L.int64))", "exponential_(0)", "exponential_(-1)", "exponential_()",
         'exponential_(float("nan"))', "geometric_(0)",
         "geometric_(1)", "geometric_(1.5)", "geometric_()", "log_normal_(1, 0)", "log_normal_(1, -1)",
         "log_normal_()", "cauchy_(0, 0)", "cauchy_(0, -1)", "cauchy_()", "normal_(0, -1)", "normal_()",
         "uniform_(2, 1)", "uniform_()", 'uniform_(0, float("inf"))', "uniform_(0, 1e300)",
         'uniform_(1, **{"from": 2})', "normal_(mean=1.0, std=2.0)", "exponential_(lambd=2)",
         'random_(**{"from": 1, "to": 2})', "cauchy_(sigma=2)", "log_normal_(std=1)", "geometric_(p=0.3)"]


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_sampler_arguments_as_torch(dtype, call):
    """Errors (type and text) and the result's shape and dtype, as torch's."""
    draw = eval(f"lambda L: L.ones(3, dtype=L.{dtype}).{call}")
    assert_like_torch(lambda lib: (lambda t: (tuple(t.shape), str(t.dtype)))(draw(lib)))


def _draw(call, dtype="float64"):
    pyfront.manual_seed(1)
    t = pyfront.empty(N, dtype=getattr(pyfront, dtype))
    out = eval(f"t.{call}")
    assert out is t
    return np.asarray(t.tolist(), dtype=np.float64)


def _moments_close(x, mean, var):
    se = math.sqrt(var / len(x))
    assert abs(x.mean() - mean) < 6 * se, (x.mean(), mean)
    assert abs(x.var() - var) < 0.1 * var, (x.var(), var)


@pytest.mark.parametrize("call,mean,var", [
    ("uniform_(-1.0, 3.0)", 1.0, 16 / 12), ("normal_(mean=2.0, std=0.5)", 2.0, 0.25),
    ("exponential_(lambd=4.0)", 0.25, 1 / 16), ("geometric_(0.2)", 5.0, 0.8 / 0.04),
    ("log_normal_(0.1, 0.4)", math.exp(0.1 + 0.08), (math.exp(0.16) - 1) * math.exp(0.2 + 0.16)),
    ("bernoulli_(0.3)", 0.3, 0.21), ("random_(3, 9)", 5.5, 35 / 12), ("random_(7)", 3.0, 4.0),
])
def test_distribution_moments(call, mean, var):
    _moments_close(_draw(call), mean, var)


def test_cauchy_quartiles():
    # no moments: its quartiles are median -/+ sigma
    x = _draw("cauchy_(median=1.0, sigma=2.0)")
    q1, q2, q3 = np.quantile(x, [0.25, 0.5, 0.75])
    assert abs(q2 - 1.0) < 0.1 and abs(q1 + 1.0) < 0.1 and abs(q3 - 3.0) < 0.1


@pytest.mark.parametrize("dtype,lo,hi", [("uint8", 0, 255), ("int8", 0, 127), ("bool", 0, 1),
                                         ("float32", 0, 2**24), ("int64", 0, 2**63 - 1)])
def test_random_default_range(dtype, lo, hi):
    x = _draw("random_()", dtype)
    assert x.min() >= lo and x.max() <= hi and x.max() - x.min() > (hi - lo) / 2


def test_random_wide_range_uses_64_bits():
    x = _draw("random_(0, 2**40)", "int64")
    assert x.max() < 2**40 and x.max() > 2**39 and len(np.unique(x)) > N - 5


def test_geometric_support_and_bernoulli_tensor_p():
    assert _draw("geometric_(0.9)").min() == 1
    p = pyfront.tensor([0.0, 1.0]).repeat(N // 2)
    assert pyfront.empty(N).bernoulli_(p).tolist() == p.tolist()


@pytest.mark.parametrize("sample", [
    lambda t, g: t.random_(0, 1000, generator=g), lambda t, g: t.bernoulli_(0.5, generator=g),
    lambda t, g: t.exponential_(generator=g), lambda t, g: t.geometric_(0.5, generator=g),
    lambda t, g: t.log_normal_(generator=g), lambda t, g: t.cauchy_(generator=g),
    lambda t, g: t.normal_(mean=0.0, std=1.0, generator=g), lambda t, g: t.uniform_(generator=g),
])
def test_samplers_follow_the_generator(sample):
    """The same seed gives the same draws; the next draw and another seed give other ones."""
    t, g = pyfront.empty(200), pyfront.Generator().manual_seed(7)
    first = sample(t, g).tolist()
    again = sample(t, g).tolist()
    assert again != first
    g.manual_seed(7)
    assert sample(t, g).tolist() == first
    assert sample(t, pyfront.Generator().manual_seed(8)).tolist() != first


def test_multinomial_frequencies_and_without_replacement():
    pyfront.manual_seed(0)
    probs = pyfront.tensor([0.1, 0.0, 0.6, 0.3])
    draws = np.asarray(pyfront.multinomial(probs, 20_000, True).tolist())
    freq = np.bincount(draws, minlength=4) / len(draws)
    assert np.allclose(freq, [0.1, 0.0, 0.6, 0.3], atol=0.015)
    rows = pyfront.multinomial(pyfront.ones(50, 6), 6).tolist()
    assert all(sorted(r) == list(range(6)) for r in rows)
    assert pyfront.ones(3).multinomial(2).shape == torch.ones(3).multinomial(2).shape
