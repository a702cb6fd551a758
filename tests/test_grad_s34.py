"""Gradients as torch's in the corners s34 found: a hooked complex leaf's conj gradient (torch's AccumulateGrad
takes the conj view as it is where no hook kept it)."""
import pytest
import torch

import pyfront

HOOKS = {
    "none": lambda x, kept: None,
    "looks": lambda x, kept: x.register_hook(lambda g: kept.append(g.is_conj())),
    "keeps": lambda x, kept: x.register_hook(kept.append),
    "returns": lambda x, kept: x.register_hook(lambda g: g * 1),
    "node looks": lambda x, kept: _accumulator(x, kept).register_prehook(lambda gs: kept.append(len(gs))),
    "node keeps": lambda x, kept: _accumulator(x, kept).register_prehook(kept.append),
}


def _accumulator(x, kept):
    acc = x.conj().grad_fn.next_functions[0][0]
    kept.append(acc)  # (torch's leaf holds its AccumulateGrad weakly: the hook lives with it)
    return acc


def _conj_grads(L, hook, make):
    x = L.tensor([1 + 2j, 3 - 1j], requires_grad=True)
    kept = []
    HOOKS[hook](x, kept)
    make(x).backward(L.tensor([1 + 1j, 2 - 3j]))
    return x.grad.is_conj(), L.view_as_real(x.grad.resolve_conj()).tolist()


@pytest.mark.parametrize("hook", list(HOOKS))
@pytest.mark.parametrize("make", ["conj", "scaled"])
def test_hooked_leaf_conj_gradient(hook, make):
    f = {"conj": lambda x: x.conj(), "scaled": lambda x: x.conj() * 2}[make]
    assert _conj_grads(pyfront, hook, f) == _conj_grads(torch, hook, f)
