"""torch.autograd.functional (vjp, jvp, jacobian, hessian, vhp, hvp) against real torch, on cpu and webgpu:
for functions with one or several inputs and outputs, an unused input, a linear function and a constant
output, every API with create_graph off and on and strict off and on gives torch's values and nesting
(Tensor / tuple / tuple of tuples), whether results require grad, and with create_graph the gradients of
the results with respect to the original inputs; invalid calls raise torch's error type and message."""
import numpy as np
import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront


FUNCS = {  # name: (function written with Tensor methods only, so one lambda serves both libraries, shapes)
    "cube sum": (lambda x: (x ** 3).sum(), [(4,)]),
    "matrix exp": (lambda x: (x @ x).exp() * 0.1, [(2, 2)]),
    "two in": (lambda x, y: (x.sin() * y).sum(), [(3,), (3,)]),
    "two in two out": (lambda x, y: (x * y.tanh(), (x ** 2).sum() + y.sum()), [(2,), (2, 1)]),
    "unused input": (lambda x, y: (x.exp() * 2).sum(), [(3,), (2,)]),
    "linear": (lambda x: (x * 3).sum(), [(3,)]),
    "scalar in": (lambda x: x.sin() * x.exp(), [()]),
}
SCALAR_OUT = {"cube sum", "matrix exp", "two in", "unused input", "linear", "scalar in"}


def _inputs(lib, shapes, device, requires_grad):
    rng = np.random.RandomState(len(shapes) * 7 + sum(len(s) for s in shapes))
    out = []
    for s in shapes:
        x = rng.uniform(-1, 1, size=s).astype(np.float32)
        t = torch.tensor(x) if lib is torch else pyfront.tensor(x, device=device)
        out.append(t.requires_grad_(requires_grad))
    return out


def _v(lib, like, device):
    rng = np.random.RandomState(3)
    vs = [rng.uniform(-1, 1, size=tuple(t.shape)).astype(np.float32) for t in like]
    vs = [torch.tensor(v) if lib is torch else pyfront.tensor(v, device=device) for v in vs]
    return tuple(vs) if len(vs) > 1 else vs[0]


def _call(lib, api, name, device, create_graph, strict):
    fn, shapes = FUNCS[name]
    F = lib.autograd.functional
    xs = _inputs(lib, shapes, device, requires_grad=create_graph)
    inp = tuple(xs) if len(xs) > 1 else xs[0]
    if api in ("vjp",):
        outs = fn(*[x.detach() for x in xs])
        outs = outs if isinstance(outs, tuple) else (outs,)
        res = F.vjp(fn, inp, _v(lib, outs, device), create_graph=create_graph, strict=strict)
    elif api in ("jvp", "hvp", "vhp"):
        res = getattr(F, api)(fn, inp, _v(lib, xs, device), create_graph=create_graph, strict=strict)
    else:
        res = getattr(F, api)(fn, inp, create_graph=create_graph, strict=strict)
    return xs, res


def _flat(res):
    if isinstance(res, (tuple, list)):
        return [t for r in res for t in _flat(r)]
    return [res]


def _shape(res):
    return tuple(_shape(r) for r in res) if isinstance(res, tuple) else "T"


def _outcome(lib, api, name, device, create_graph, strict):
    try:
        xs, res = _call(lib, api, name, device, create_graph, strict)
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
        return ("error", type(e).__name__, torch_text(e) if lib is torch else str(e))
    flat = _flat(res)
    grads = None
    if create_graph:
        total = sum(t.sum() for t in flat if t.requires_grad)
        if not isinstance(total, int):
            grads = [None if g is None else g.detach().cpu().numpy()
                     for g in lib.autograd.grad(total, xs, allow_unused=True)]
    return (_shape(res), [t.detach().cpu().numpy() for t in flat], [t.requires_grad for t in flat], grads)


APIS = ["vjp", "jvp", "jacobian", "hessian", "hvp", "vhp"]


WEBGPU_SAMPLE = ("two in two out", "scalar in")  # lavapipe is slow: a sample with tuples and a 0-d input
CASES = ([pytest.param("cpu", api, name, id=f"{name}-{api}-cpu") for api in APIS for name in FUNCS]
         + [pytest.param("webgpu", api, name, marks=requires_webgpu, id=f"{name}-{api}-webgpu")
            for api in APIS for name in WEBGPU_SAMPLE])


@pytest.mark.parametrize("device,api,name", CASES)
def test_matches_torch(device, api, name):
    for create_graph in (False, True):
        for strict in (False, True):
            want = _outcome(torch, api, name, device, create_graph, strict)
            got = _outcome(pyfront, api, name, device, create_graph, strict)
            where = f"{api} {name} create_graph={create_graph} strict={strict}"
            if want[0] == "error" or got[0] == "error":
                assert got == want, where
                continue
            assert got[0] == want[0] and got[2] == want[2], where
            for g, w in zip(got[1], want[1]):
                assert g.shape == w.shape, where
                np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5, err_msg=where)
            assert (got[3] is None) == (want[3] is None), where
            for g, w in zip(got[3] or [], want[3] or []):
                assert (g is None) == (w is None), where
                if w is not None:
                    np.testing.assert_allclose(g, w, rtol=1e-3, atol=1e-4, err_msg=where)


def _f(x):
    return x.sum()


ERRORS = {
    "vjp v none": lambda lib, x: lib.autograd.functional.vjp(lambda a: a * 2, x),
    "vjp v size": lambda lib, x: lib.autograd.functional.vjp(lambda a: a * 2, x, lib.ones(2)),
    "vjp v tuple length": lambda lib, x: lib.autograd.functional.vjp(lambda a: (a, a * 2), x, (lib.ones(3),)),
    "vjp v single": lambda lib, x: lib.autograd.functional.vjp(lambda a: a * 2, x,
                                                               (lib.ones(3), lib.ones(3))),
    "jvp v entry size": lambda lib, x: lib.autograd.functional.jvp(lambda a, b: a * b, (x, x),
                                                                   (lib.ones(3), lib.ones(2))),
    "jvp v none": lambda lib, x: lib.autograd.functional.jvp(lambda a: a * 2, x),
    "inputs type": lambda lib, x: lib.autograd.functional.jacobian(_f, [x]),
    "inputs tuple entry": lambda lib, x: lib.autograd.functional.jacobian(_f, (x, 3)),
    "output type": lambda lib, x: lib.autograd.functional.vjp(lambda a: 3.0, x),
    "hessian tuple out": lambda lib, x: lib.autograd.functional.hessian(lambda a: (a.sum(), a.sum()), x),
    "hessian many": lambda lib, x: lib.autograd.functional.hessian(lambda a: a * 2, x),
    "hvp many": lambda lib, x: lib.autograd.functional.hvp(lambda a: a * 2, x, lib.ones(3)),
    "vhp tuple": lambda lib, x: lib.autograd.functional.vhp(lambda a: (a.sum(),), x, lib.ones(3)),
    "strategy": lambda lib, x: lib.autograd.functional.jacobian(_f, x, strategy="sideways"),
    "forward no vectorize": lambda lib, x: lib.autograd.functional.jacobian(_f, x, strategy="forward-mode"),
    "forward create_graph": lambda lib, x: lib.autograd.functional.jacobian(_f, x, create_graph=True,
                                                                            strategy="forward-mode"),
    "forward strict": lambda lib, x: lib.autograd.functional.jacobian(_f, x, strict=True, vectorize=True,
                                                                      strategy="forward-mode"),
    "vectorize strict": lambda lib, x: lib.autograd.functional.jacobian(_f, x, strict=True, vectorize=True),
    "hessian strategy": lambda lib, x: lib.autograd.functional.hessian(_f, x, outer_jacobian_strategy="no"),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors_match_torch(name):
    with pytest.raises(Exception) as want:
        ERRORS[name](torch, torch.ones(3))
    with pytest.raises(Exception) as got:
        ERRORS[name](pyfront, pyfront.ones(3))
    assert type(got.value) is type(want.value)
    assert str(got.value) == torch_text(want.value).replace("torch.Tensor", "pyfront.Tensor")


@pytest.mark.parametrize("vectorize,strategy", [(True, "reverse-mode"), (True, "forward-mode")])
def test_vectorized_forms_give_the_same_values(vectorize, strategy):
    """vectorize=True and forward-mode (vectorized) are accepted and give torch's Jacobian / Hessian."""
    x = np.random.RandomState(5).randn(3).astype(np.float32)

    def f(a, b):
        return a.sin() * b.exp(), (a * b).sum()

    def g(a):
        return (a ** 3).sum() * a.sum()
    want = torch.autograd.functional.jacobian(f, (torch.tensor(x), torch.tensor(x[::-1].copy())),
                                              vectorize=vectorize, strategy=strategy)
    got = pyfront.autograd.functional.jacobian(f, (pyfront.tensor(x), pyfront.tensor(x[::-1].copy())),
                                               vectorize=vectorize, strategy=strategy)
    want_h = torch.autograd.functional.hessian(g, torch.tensor(x), vectorize=True,
                                               outer_jacobian_strategy=strategy)
    got_h = pyfront.autograd.functional.hessian(g, pyfront.tensor(x), vectorize=True,
                                                outer_jacobian_strategy=strategy)
    assert type(got) is type(want) and [type(r) for r in got] == [type(r) for r in want]
    for a, b in zip(_flat(got) + [got_h], _flat(want) + [want_h]):
        # (torch's forward-over-reverse Hessian comes back requiring grad; pyfront's is detached)
        np.testing.assert_allclose(a.numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6)
