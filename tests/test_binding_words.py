"""Errors worded as torch's where an op broadcasts several operands or hands numbers to a C++ binding:
TensorIterator names input's (self's) size first, then each operand's (addcmul, in-place masked_fill_ and
addcmul_ named them the other way); masked_scatter_ expands its mask to self (expand's words); torch's
Python F functions hand their numbers to bindings whose parser says "must be Number" (pyfront leaked
Python's "must be real number"), F.hardtanh_ is that binding (no min_val > max_val refusal), softshrink's
lambda range names the dtype's largest value."""
import pytest
import torch

import pyfront

CALLS = [
    "l.addcmul(x, l.randn(5), l.randn(5))", "l.addcmul(l.randn(5), x, x)", "l.addcmul(x, l.randn(3), l.randn(5))",
    "l.addcdiv(x, l.randn(5), l.randn(5))", "x.masked_fill(l.ones(5, dtype=l.bool), 1.)",
    "x.masked_fill_(l.ones(5, dtype=l.bool), 1.)", "x.masked_fill_(l.ones(5, dtype=l.bool), l.tensor(1.))",
    "x.addcmul_(l.randn(5), l.randn(5))", "x.addcmul_(l.randn(5), l.randn(3))", "x.addcdiv_(l.randn(5), l.randn(5))",
    "x.lerp_(l.randn(3), l.randn(5))", "x.clamp_(l.randn(3), l.randn(5))", "x.mul_(l.randn(5))",
    "x.masked_scatter_(l.ones(5, dtype=l.bool), l.randn(20))", "x.masked_scatter_(l.ones(2, 1, 3, dtype=l.bool), l.randn(20))",
    "x.masked_scatter_(l.ones(5, dtype=l.bool), l.randn(20, dtype=l.float64))",
    "x.masked_scatter_(mask=l.ones(5, dtype=l.bool), source=l.randn(20))",
    "x.masked_scatter_(source=l.randn(20), mask=l.ones(3, dtype=l.bool))",
    "x.masked_scatter_(source=l.randn(20, dtype=l.float64), mask=l.ones(5, dtype=l.bool))",
    "x.masked_scatter_(l.ones(3, dtype=l.bool), source=l.randn(20))",
    "F.hardtanh_(x, 2., 1.)", "F.hardtanh_(x, 'a')", "F.hardtanh(x, 2., 1.)", "F.hardtanh_(x, None)",
    "F.leaky_relu_(x, 'a')", "F.leaky_relu(x, 'a')", "F.leaky_relu(x, None, True)", "F.elu_(x, 'a')", "F.elu(x, 'a')",
    "F.celu_(x, 'a')", "F.celu(x, 'a')", "F.celu(x, None)", "F.threshold_(x, 'a', 1.)", "F.threshold(x, 'a', 1.)",
    "F.threshold(x, 1., 'a')", "F.softplus(x, 'a')", "F.softplus(x, 1., [2])",
    "F.softshrink(x, -1.)", "F.softshrink(x, float('nan'))", "F.softshrink(x, 1e39)", "F.softshrink(x.double(), 1e39)",
    "F.softshrink(x.half(), 65505.)", "F.softshrink(x.bfloat16(), -1e-50)",
]


def _outcome(lib, call):
    x = lib.randn(4, 3)
    try:
        eval(call, {"x": x, "l": lib, "F": lib.nn.functional})
        return ("ok",)
    except Exception as e:  # noqa: BLE001 (the outcome compared is the exception's type and text)
        return type(e).__name__, str(e)


@pytest.mark.parametrize("call", CALLS)
def test_words_as_torchs(call):
    assert _outcome(pyfront, call) == _outcome(torch, call)


def test_hardtanh_inplace_with_crossed_bounds_is_clamps_answer():
    t, p = torch.randn(5), None
    p = pyfront.tensor(t.numpy())
    torch.nn.functional.hardtanh_(t, 2., 1.)
    pyfront.nn.functional.hardtanh_(p, 2., 1.)
    assert p.tolist() == t.tolist()
