"""torch's autograd layer refuses an in-place op on a leaf that requires grad (or a view of one) before the
op's kernel checks its arguments: a bad shape, an index out of range, a random fill's bad bounds all report
the leaf (pyfront checked the leaf only once it had computed); argument parsing (and a setitem's basic
indices) stays first, and without grad mode the kernel's own error stands."""
import pytest
import torch

import pyfront

CALLS = [
    "x.add_(l.randn(5))", "x.mul_(l.randn(2, 4))", "x.copy_(l.randn(5))", "x.copy_('a')",
    "x.masked_fill_(l.ones(5, dtype=l.bool), 1.)", "x.index_add_(0, l.tensor([9]), l.randn(1, 3))",
    "x.clamp_(l.randn(5))", "x.clamp_(min=l.randn(5))", "x.addcmul_(l.randn(5), l.randn(5))",
    "x.lerp_(l.randn(5), .5)", "x.sub_(l.randn(4, 3) > 0)", "x.pow_(l.randn(5))", "x.div_(0)",
    "x.addmm_(l.randn(2, 2), l.randn(2, 2))", "x.addmv_(l.randn(3, 2), l.randn(2))",
    "x.addr_(l.randn(3), l.randn(2))", "x.baddbmm_(l.randn(2, 2, 2), l.randn(2, 2, 2))",
    "x.scatter_(0, l.tensor([[9]]), 1.)", "x.index_fill_(0, l.tensor([9]), 1.)", "x.fill_(l.randn(2))",
    "x.masked_scatter_(l.ones(4, 3, dtype=l.bool), l.randn(2))", "x.put_(l.tensor([99]), l.tensor([1.]))",
    "x.index_put_((l.tensor([9]),), l.tensor(1.))", "x.uniform_(2, 1)", "x.normal_(0, -1)",
    "x.bernoulli_(2.)", "x.random_(5, 2)", "x.exponential_(-1)", "x.geometric_(2.)", "x.log_normal_(0, -1)",
    "x.cauchy_()", "x.renorm_(2, 5, 1.)", "x.cumsum_(5)", "x.tril_(1.5)", "x.add_('a')", "x.zero_()",
    "x.unsqueeze_(5)", "x.transpose_(0, 5)", "l.nn.functional.relu_(x)", "l.sigmoid_(x)",
    "l.nn.functional.hardtanh_(x, 2., 1.)", "l.nn.functional.leaky_relu_(x, 'a')",
    # setitem: a basic index's own errors first, then index_put_'s or masked_fill_'s autograd check
    "x.__setitem__(l.tensor([9]), 1.)", "x.__setitem__(l.ones(4, 3, dtype=l.bool), l.randn(2))", "x.__setitem__(9, 1.)",
    "x.__setitem__(l.tensor([0, 1]), l.randn(3, 3))", "x.__setitem__((0, l.tensor([9])), 1.)",
    "x.__setitem__(l.tensor([0]), l.randn(1, 3, dtype=l.float64))", "x.__setitem__(x > 0, 'a')",
    "x.__setitem__((x > 0).byte(), 2.)", "x.__setitem__(l.tensor([0]), 2)",
]


def _outcome(lib, call, form):
    leaf = lib.randn(4, 3, requires_grad=True)
    x = {"leaf": leaf, "view": leaf[:4], "nonleaf view": (leaf * 1)[:4]}[form]
    try:
        eval(call, {"x": x, "l": lib})
        return ("ok",)
    except Exception as e:  # noqa: BLE001 (the outcome compared is the exception's type and text)
        return type(e).__name__, str(e)


@pytest.mark.parametrize("form", ["leaf", "view", "nonleaf view"])
def test_autograd_refuses_before_the_kernel(form):
    differing = [(call, _outcome(torch, call, form), _outcome(pyfront, call, form)) for call in CALLS
                 if _outcome(torch, call, form) != _outcome(pyfront, call, form)]
    assert differing == []
