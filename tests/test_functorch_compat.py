"""The ``functorch`` package's API (found missing by pytorch/tutorials' forward_ad_usage, whose
``import functorch`` stopped on ``torch._functorch``): pyfront's ``_functorch`` modules, which torch's own
functorch package imports under ``python -m pyfront run``, compute, warn and refuse as torch's."""
import warnings

import functorch
import pytest
import torch

import pyfront
import pyfront._functorch.deprecated as pf_functorch


def _libs():
    return [(torch, functorch), (pyfront, pf_functorch)]


def _model(L, with_buffers):
    layers = [L.nn.Linear(3, 4), L.nn.Tanh(), L.nn.Linear(4, 2)]
    if with_buffers:  # (in eval mode: a training batchnorm's count is a write torch's grad transform refuses)
        layers.insert(1, L.nn.BatchNorm1d(4).eval())
    model = L.nn.Sequential(*layers)
    with L.no_grad():  # the same weights in both libraries
        for k, p in enumerate(model.parameters()):
            p.copy_(L.linspace(-1, 1, p.numel()).reshape(p.shape) * (k + 1) / 3)
    return model


def _close(a, b):
    return a == pytest.approx(b, rel=1e-5, abs=1e-6)


def _flat(ts):
    return [v for t in ts for v in t.detach().flatten().tolist()]


def _stateless_run(L, ft, with_buffers):
    model = _model(L, with_buffers)
    x = L.linspace(-2, 2, 15).reshape(5, 3)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        if with_buffers:
            fmodel, params, buffers = ft.make_functional_with_buffers(model)

            def call(ps):
                return fmodel(ps, buffers, x)
        else:
            fmodel, params = ft.make_functional(model)

            def call(ps):
                return fmodel(ps, x)
        grads = ft.grad(lambda ps: call(ps).pow(2).sum())(params)
    out = call(params)
    out.sum().backward()  # autograd tracks the params it returned
    return (_flat([out]), _flat(grads), _flat([p.grad for p in params]), [p.requires_grad for p in params],
            [(w.category.__name__, str(w.message)) for w in seen], len(list(model.parameters())))


@pytest.mark.parametrize("with_buffers", [False, True])
def test_stateless_model_computes_as_torchs(with_buffers):
    want, ours = (_stateless_run(L, ft, with_buffers) for L, ft in _libs())
    assert _close(ours[0], want[0]) and _close(ours[1], want[1]) and _close(ours[2], want[2])
    assert ours[3:] == want[3:]


def test_ensemble_of_models_runs_under_vmap_as_torchs():
    got = []
    for L, ft in _libs():
        models = [_model(L, False) for _ in range(3)]
        for k, m in enumerate(models):
            with L.no_grad():
                m[0].bias.add_(k)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fmodel, params, buffers = ft.combine_state_for_ensemble(models)
            out = ft.vmap(fmodel, (0, 0, None))(params, buffers, L.ones(2, 3))
        got.append((tuple(out.shape), _flat([out]), [tuple(p.shape) for p in params]))
    assert got[1][0] == got[0][0] and _close(got[1][1], got[0][1]) and got[1][2] == got[0][2]


def _refusal(L, ft, case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if case == "make_functional of a model with buffers":
                ft.make_functional(L.nn.BatchNorm1d(2))
            elif case == "an empty ensemble":
                ft.combine_state_for_ensemble([])
            elif case == "train and eval models":
                ft.combine_state_for_ensemble([L.nn.Linear(1, 1), L.nn.Linear(1, 1).eval()])
            elif case == "models of two classes":
                ft.combine_state_for_ensemble([L.nn.Linear(1, 1), L.nn.Conv1d(1, 1, 1)])
        except Exception as e:  # noqa: BLE001 -- the type and text are what is compared
            return type(e).__name__, str(e)


@pytest.mark.parametrize("case", ["make_functional of a model with buffers", "an empty ensemble",
                                  "train and eval models", "models of two classes"])
def test_refusals_are_torchs(case):
    assert _refusal(pyfront, pf_functorch, case) == _refusal(torch, functorch, case)


@pytest.mark.parametrize("name", ["vmap", "grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd",
                                  "hessian"])
def test_each_transform_warns_as_torchs(name):
    def warned(L, ft):
        x = L.tensor([1.0, 2.0])
        f = lambda t: (t * t).sum()  # noqa: E731
        args = {"vjp": (f, x), "jvp": (f, (x,), (x,))}.get(name)
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            got = getattr(ft, name)(*args) if args else getattr(ft, name)(f)
        # (torch's first jvp also imports modules that warn of torch.jit.script, hidden by default)
        shown = [(w.category, str(w.message)) for w in seen if w.category is FutureWarning]
        return shown, callable(got) or isinstance(got, tuple)
    assert warned(pyfront, pf_functorch) == warned(torch, functorch)
