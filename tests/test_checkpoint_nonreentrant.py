"""torch.utils.checkpoint's non-reentrant variant (use_reentrant=False) gives the plain call's graph, against
torch: a gradient penalty through create_graph, parameters a closure reaches when the input needs no
gradient, autograd.grad leaving other leaves' .grad alone, outputs and arguments of any structure, dropout
drawn the same in the recomputation. (A fresh user found the first three silently wrong.)"""
import numpy as np
import pytest
import torch

import pyfront


def _model(L):
    L.manual_seed(0)
    lin = L.nn.Linear(4, 3)
    with L.no_grad():
        lin.weight.copy_(L.tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)))
        lin.bias.fill_(0.1)
    return lin


def _x(L, requires_grad=True):
    return L.tensor([[1.0, 2.0, 3.0, 4.0], [0.5, -1.0, 0.0, 1.0]], requires_grad=requires_grad)


def _gradient_penalty(L):
    lin = _model(L)
    x = _x(L)
    y = L.utils.checkpoint.checkpoint(lambda t: lin(t).tanh(), x, use_reentrant=False)
    gx, = L.autograd.grad(y.sum(), x, create_graph=True)
    untouched = lin.weight.grad is None
    (y.mean() + ((gx.norm(dim=1) - 1) ** 2).mean()).backward()
    return untouched, gx.requires_grad, lin.weight.grad.numpy(), lin.bias.grad.numpy(), x.grad.numpy()


def _closure_without_grad_input(L):
    lin = _model(L)
    y = L.utils.checkpoint.checkpoint(lambda t: lin(t).relu(), _x(L, False), use_reentrant=False)
    y.sum().backward()
    return y.requires_grad, lin.weight.grad.numpy()


def _structured(L):
    lin = _model(L)
    x = _x(L)

    def fn(d):
        h = lin(d["x"])
        return {"out": h.sigmoid(), "parts": [h * d["scale"], h.exp()]}
    out = L.utils.checkpoint.checkpoint(fn, {"x": x, "scale": 2.0}, use_reentrant=False)
    (out["out"].sum() + out["parts"][0].sum() + out["parts"][1].mean()).backward()
    return x.grad.numpy(), lin.weight.grad.numpy()


def _dropout_recomputed(L):
    L.manual_seed(1)
    x = L.ones(8, 16, requires_grad=True)
    y = L.utils.checkpoint.checkpoint(lambda t: L.nn.functional.dropout(t * 3, 0.5), x, use_reentrant=False)
    y.sum().backward()
    return np.array_equal(x.grad.numpy(), (y.detach().numpy() != 0) * 3 * 2)


@pytest.mark.parametrize("case", [_gradient_penalty, _closure_without_grad_input, _structured])
def test_as_torchs(case):
    for want, got in zip(case(torch), case(pyfront)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)  # float32 rounding of a second derivative


def test_dropout_draws_the_same_mask_when_recomputed():
    assert _dropout_recomputed(pyfront) and _dropout_recomputed(torch)
