"""Faults found running user-style programs (tests/programs/: transformer_lm, resnet_amp_resume,
autoencoder_compile, ...) under ``python -m pyfront run``, each tested against real torch:

- names scripts spell that pyfront lacked: ``torch.memory_format`` and its values (``channels_last`` in
  ``model.to(memory_format=torch.channels_last)``), ``torch.compile`` / ``torch.compiler``.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import pyfront
import pyfront.nn as pnn

FORMATS = ("contiguous_format", "preserve_format", "channels_last", "channels_last_3d")


@pytest.mark.parametrize("name", FORMATS)
def test_memory_format_values_print_as_torchs(name):
    ours, theirs = getattr(pyfront, name), getattr(torch, name)
    assert isinstance(ours, pyfront.memory_format)
    assert repr(ours) == repr(theirs) and str(ours) == str(theirs)


@pytest.mark.parametrize("name", FORMATS[:3])
def test_memory_format_is_taken_where_torch_takes_it_and_values_stay(name):
    x = torch.randn(2, 3, 4, 5)
    p = pyfront.from_numpy(x.numpy().copy())
    fmt, pfmt = getattr(torch, name), getattr(pyfront, name)
    for ours, theirs in [(p.to(memory_format=pfmt), x.to(memory_format=fmt)),
                         (p.contiguous(memory_format=pfmt) if name != "preserve_format" else p, x),
                         (p.clone(memory_format=pfmt), x.clone(memory_format=fmt)),
                         (pyfront.empty_like(p, memory_format=pfmt).shape,
                          torch.empty_like(x, memory_format=fmt).shape)]:
        if isinstance(theirs, torch.Tensor):
            assert ours.tolist() == theirs.tolist()
        else:
            assert tuple(ours) == tuple(theirs)
    conv, tconv = pnn.Conv2d(3, 2, 1), torch.nn.Conv2d(3, 2, 1)
    with torch.no_grad():
        tconv.weight.copy_(torch.from_numpy(conv.weight.detach().numpy()))
        tconv.bias.copy_(torch.from_numpy(conv.bias.detach().numpy()))
    out = conv.to(memory_format=pfmt)(p)
    assert abs(out.detach().numpy() - tconv.to(memory_format=fmt)(x).detach().numpy()).max() < 1e-5


def test_compile_returns_what_computes_the_same_and_decorates():
    model = pnn.Linear(3, 2)  # the module wrapper: tests/test_compile_module.py
    assert pyfront.compile(model)._orig_mod is model
    assert pyfront.compile(model, mode="max-autotune", dynamic=True, fullgraph=True)._orig_mod is model

    @pyfront.compile(fullgraph=True)
    def f(x):
        return x * 2

    assert f(pyfront.ones(2)).tolist() == [2.0, 2.0]
    assert pyfront.compile(backend="eager")(len)([1, 2]) == 2 and pyfront.compile(len, disable=True) is len
    assert pyfront.compiler.is_compiling() is torch.compiler.is_compiling() is False
    assert pyfront.compiler.disable(len) is len


@pytest.mark.parametrize("args, kwargs", [((lambda x: x,), {"mode": "fastest"}),
                                          ((lambda x: x,), {"mode": "default", "options": {}}),
                                          ((3,), {})])
def test_compile_refuses_as_torch_does(args, kwargs):
    with pytest.raises(Exception) as theirs:
        torch.compile(*args, **kwargs)
    with pytest.raises(type(theirs.value)) as ours:
        pyfront.compile(*args, **kwargs)
    assert str(ours.value) == str(theirs.value)


# -- torch._foreach_*: every one torch has, against torch (user EMA / weight-decay code calls them) --------
def _lists(seed=0):
    g = torch.Generator().manual_seed(seed)
    ts = [torch.rand(2, 3, generator=g) + 0.5, torch.rand(4, generator=g) + 0.5]
    return ts, [pyfront.from_numpy(t.numpy().copy()) for t in ts]


def _args(kind, ours):
    """(torch args, pyfront args) for one argument form of a binary/ternary foreach op."""
    (t2, p2), (t3, p3) = _lists(1), _lists(2)
    return {"scalar": ((0.7,), (0.7,)), "scalarlist": (([0.5, 2.0],), ([0.5, 2.0],)),
            "list": ((t2,), (p2,)), "three": ((t2, t3), (p2, p3)),
            "three_value": ((t2, t3, 0.3), (p2, p3, 0.3)), "list_value": ((t2, 0.3), (p2, 0.3)),
            "three_scalars": ((t2, t3, [0.3, -1.0]), (p2, p3, [0.3, -1.0])),
            "three_tensor": ((t2, t3, torch.tensor([0.3, -1.0])),
                             (p2, p3, pyfront.tensor([0.3, -1.0])))}[kind]


_FORMS = {"add": ["scalar", "scalarlist", "list"], "sub": ["scalar", "list"], "mul": ["scalar", "list"],
          "div": ["scalarlist", "list"], "pow": ["scalar", "list"], "clamp_max": ["scalar", "list"],
          "clamp_min": ["scalarlist"], "maximum": ["list"], "minimum": ["list"],
          "lerp": ["list_value", "three"],
          "addcmul": ["three_value", "three_scalars"], "addcdiv": ["three_tensor", "three_value"],
          "mm": [], "copy": ["list"]}


def _foreach_cases():
    for name in sorted(n for n in dir(torch) if n.startswith("_foreach_")):
        base = name[len("_foreach_"):].rstrip("_")
        if base == "powsum":  # new in torch 2.13, not in pyfront yet
            continue
        for form in _FORMS.get(base, ["none"]):
            yield name, form


@pytest.mark.parametrize("name, form", list(_foreach_cases()))
def test_every_foreach_function_matches_torch(name, form):
    ts, ps = _lists()
    args = ((), ()) if form == "none" else _args(form, ps)
    if name == "_foreach_mm":
        args = (([t.reshape(-1, 1).T for t in ts],), ([p.reshape(-1, 1).T for p in ps],))
        ts, ps = [t.reshape(-1, 1) for t in ts], [p.reshape(-1, 1) for p in ps]
    theirs = getattr(torch, name)(ts, *args[0])
    ours = getattr(pyfront, name)(ps, *args[1])
    if name.endswith("_"):  # in place: the tensors of self changed
        theirs, ours = ts, ps
    assert len(ours) == len(theirs)
    for o, t in zip(ours, theirs):
        assert o.shape == t.shape and repr(o.dtype) == repr(t.dtype)
        np.testing.assert_allclose(o.detach().numpy(), t.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_foreach_scalar_base_pow_alpha_and_autograd():
    ts, ps = _lists()
    for o, t in zip(pyfront._foreach_pow(2.0, ps), torch._foreach_pow(2.0, ts)):
        assert abs(o.numpy() - t.numpy()).max() < 1e-5
    for o, t in zip(pyfront._foreach_add(ps, ps, alpha=2), torch._foreach_add(ts, ts, alpha=2)):
        assert abs(o.numpy() - t.numpy()).max() < 1e-6
    ts = [t.requires_grad_() for t in ts]
    ps = [p.requires_grad_() for p in ps]
    sum(x.sum() for x in torch._foreach_mul(ts, ts)).backward()
    sum(x.sum() for x in pyfront._foreach_mul(ps, ps)).backward()
    for p, t in zip(ps, ts):
        assert abs(p.grad.numpy() - t.grad.numpy()).max() < 1e-6


@pytest.mark.parametrize("call", [lambda m, a: m._foreach_add([], 1.0),
                                  lambda m, a: m._foreach_add(a, a[:1]),
                                  lambda m, a: m._foreach_add(a, [1.0]),
                                  lambda m, a: m._foreach_lerp_(a, a[:1], 0.5)])
def test_foreach_refuses_as_torch_does(call):
    ts, ps = _lists()
    with pytest.raises(RuntimeError) as theirs:
        call(torch, ts)
    with pytest.raises(RuntimeError) as ours:
        call(pyfront, ps)
    assert str(ours.value) == str(theirs.value)


# -- a parametrized module deep-copies (an EMA or "best model" copy) as in torch, and pickling refuses ----
def test_parametrized_module_deepcopies_and_refuses_pickling():
    import copy
    import pickle

    lin = pnn.utils.parametrizations.weight_norm(pnn.Linear(3, 2))
    twin = copy.deepcopy(lin)
    assert type(twin) is type(lin) and twin is not lin
    assert twin.weight.tolist() == lin.weight.tolist()
    with pyfront.no_grad():
        twin.parametrizations.weight.original0.mul_(2)
    assert twin.weight.tolist() != lin.weight.tolist()  # its own parameters
    tlin = torch.nn.utils.parametrizations.weight_norm(torch.nn.Linear(3, 2))
    with pytest.raises(RuntimeError) as theirs:
        pickle.dumps(tlin)
    with pytest.raises(RuntimeError) as ours:
        pickle.dumps(lin)
    assert str(ours.value) == str(theirs.value)
    with pnn.utils.parametrize.cached():  # the cache is per instance: the copy's weight is its own
        assert twin.weight.tolist() != lin.weight.tolist()


# -- names environment and reproducibility code reads: torch.version, torch.random.fork_rng --------------
def test_version_module_answers_as_torchs_cpu_build():
    assert pyfront.version.__version__ == pyfront.__version__
    for name in ("cuda", "hip", "xpu"):
        assert getattr(pyfront.version, name) is None is getattr(torch.version, name)


@pytest.mark.parametrize("enabled", [True, False])
def test_fork_rng_restores_the_stream_as_torch(enabled):
    def draws(mod):
        mod.manual_seed(0)
        with mod.random.fork_rng(enabled=enabled):
            inside = mod.rand(3).tolist()
        after = mod.rand(3).tolist()
        return inside == after
    assert draws(pyfront) == draws(torch) == enabled


# -- nn.utils.weight_norm / remove_weight_norm (the hook API audio and GAN models still call) -----------
@pytest.mark.parametrize("dim", [0, 1, None])
def test_hook_weight_norm_matches_torch(dim):
    conv, tconv = pnn.Conv1d(3, 4, 2), torch.nn.Conv1d(3, 4, 2)
    with torch.no_grad():
        tconv.weight.copy_(torch.from_numpy(conv.weight.detach().numpy()))
        tconv.bias.copy_(torch.from_numpy(conv.bias.detach().numpy()))
    with pytest.warns(FutureWarning):
        pnn.utils.weight_norm(conv, dim=dim)
    with pytest.warns(FutureWarning):
        torch.nn.utils.weight_norm(tconv, dim=dim)
    assert [n for n, _ in conv.named_parameters()] == [n for n, _ in tconv.named_parameters()]
    assert list(conv.state_dict()) == list(tconv.state_dict())
    x = np.random.default_rng(0).standard_normal((2, 3, 5)).astype(np.float32)
    with torch.no_grad(), pyfront.no_grad():  # a changed direction is seen at the next call
        conv.weight_v.mul_(2)
        tconv.weight_v.mul_(2)
        conv.weight_g.add_(1)
        tconv.weight_g.add_(1)
    out, tout = conv(pyfront.from_numpy(x)), tconv(torch.from_numpy(x))
    np.testing.assert_allclose(out.detach().numpy(), tout.detach().numpy(), rtol=1e-5, atol=1e-6)
    out.square().sum().backward()
    tout.square().sum().backward()
    for n in ("weight_g", "weight_v"):
        np.testing.assert_allclose(getattr(conv, n).grad.numpy(), getattr(tconv, n).grad.numpy(), rtol=1e-4,
                                   atol=1e-5)
    with pytest.raises(RuntimeError) as theirs, pytest.warns(FutureWarning):
        torch.nn.utils.weight_norm(tconv, dim=dim)
    with pytest.raises(RuntimeError) as ours, pytest.warns(FutureWarning):
        pnn.utils.weight_norm(conv, dim=dim)
    assert str(ours.value) == str(theirs.value)
    pnn.utils.remove_weight_norm(conv)
    torch.nn.utils.remove_weight_norm(tconv)
    assert [n for n, _ in conv.named_parameters()] == [n for n, _ in tconv.named_parameters()]
    np.testing.assert_allclose(conv.weight.detach().numpy(), tconv.weight.detach().numpy(), rtol=1e-5,
                               atol=1e-6)
    with pytest.raises(ValueError) as theirs:
        torch.nn.utils.remove_weight_norm(tconv)
    with pytest.raises(ValueError) as ours:
        pnn.utils.remove_weight_norm(conv)
    assert str(ours.value) == str(theirs.value)


# -- torch.testing.assert_close: what user tests write, with torch's tolerances and texts ----------------
_CLOSE_CASES = [
    ("close", lambda m: (m.tensor([1.0, 2.0, 3.0]), m.tensor([1.0, 2.1, 3.5])), {}),
    ("within", lambda m: (m.tensor([1.0, 2.0]), m.tensor([1.0, 2.000001])), {}),
    ("shape", lambda m: (m.ones(2), m.ones(3)), {}),
    ("dtype", lambda m: (m.ones(2), m.ones(2, dtype=m.float64)), {}),
    ("dtype_unchecked", lambda m: (m.ones(2), m.ones(2, dtype=m.float64)), {"check_dtype": False}),
    ("int", lambda m: (m.tensor([1, 2]), m.tensor([1, 3])), {}),
    ("zero_dim", lambda m: (m.tensor(1.0), m.tensor(1.5)), {}),
    ("msg", lambda m: (m.ones(2, 2), m.zeros(2, 2)), {"msg": "custom"}),
    ("nan", lambda m: (m.tensor([float("nan")]), m.tensor([float("nan")])), {}),
    ("nan_equal", lambda m: (m.tensor([float("nan")]), m.tensor([float("nan")])), {"equal_nan": True}),
    ("numbers", lambda m: (1.0, 1.5), {}),
    ("list", lambda m: ([m.ones(1)], [m.zeros(1)]), {}),
    ("dict", lambda m: ({"a": m.ones(2)}, {"a": m.ones(2) * 2}), {}),
    ("tolerances", lambda m: (m.tensor([1.0, 2.0]), m.tensor([1.0, 2.5])), {"rtol": 0.3, "atol": 0.0}),
    ("half_tol", lambda m: (m.ones(3, dtype=m.float16), m.ones(3, dtype=m.float16) * 1.001), {}),
    ("one_tol", lambda m: (m.ones(1), m.ones(1)), {"rtol": 0.1}),
    ("int_scalar", lambda m: (m.tensor(1), m.tensor(2)), {}),
    ("bool", lambda m: (m.tensor([True, False]), m.tensor([False, False])), {}),
    ("two_d", lambda m: (m.arange(12.0).reshape(3, 4), m.arange(12.0).reshape(3, 4).flip(1)), {}),
    ("zero_expected", lambda m: (m.tensor([0.5, 0.0]), m.tensor([0.0, 0.0])), {}),
    ("int_number", lambda m: (1, 2), {}),
    ("length", lambda m: ([m.ones(1)], [m.ones(1), m.ones(1)]), {}),
    ("keys", lambda m: ({"a": m.ones(1)}, {"b": m.ones(1)}), {}),
    ("callable_msg", lambda m: (m.ones(1), m.zeros(1)), {"msg": lambda text: "wrapped: " + text}),
]


@pytest.mark.parametrize("make, kwargs", [c[1:] for c in _CLOSE_CASES], ids=[c[0] for c in _CLOSE_CASES])
def test_assert_close_as_torch(make, kwargs):
    def outcome(mod):
        try:
            mod.testing.assert_close(*make(mod), **kwargs)
            return None
        except (AssertionError, ValueError) as err:
            return type(err), str(err)
    assert outcome(pyfront) == outcome(torch)


def test_assert_close_refuses_a_tensor_against_a_number_as_torch():
    with pytest.raises(TypeError, match="^No comparison pair was able to handle inputs of type <class "):
        torch.testing.assert_close(torch.tensor(1.0), 1.0)
    with pytest.raises(TypeError, match="^No comparison pair was able to handle inputs of type <class "):
        pyfront.testing.assert_close(pyfront.tensor(1.0), 1.0)


# -- parametrizations.spectral_norm (GAN discriminators) ------------------------------------------------
@pytest.mark.parametrize("kind", ["Linear", "Conv2d", "ConvTranspose2d"])
def test_spectral_norm_matches_torch(kind):
    args = {"Linear": (5, 3), "Conv2d": (2, 3, 2), "ConvTranspose2d": (3, 2, 2)}[kind]
    ours = pnn.utils.parametrizations.spectral_norm(getattr(pnn, kind)(*args))
    theirs = torch.nn.utils.parametrizations.spectral_norm(getattr(torch.nn, kind)(*args))
    assert list(ours.state_dict()) == list(theirs.state_dict())
    # the random start (_u, _v) and the weights copied from torch; then both iterate alike
    ours.load_state_dict({k: pyfront.from_numpy(v.numpy().copy()) for k, v in theirs.state_dict().items()})
    shape = {"Linear": (5,), "Conv2d": (2, 4, 4), "ConvTranspose2d": (3, 3, 3)}[kind]
    x = np.random.default_rng(1).standard_normal((2, *shape)).astype(np.float32)
    for _ in range(3):  # every training-mode call runs one more power iteration
        out, tout = ours(pyfront.from_numpy(x)), theirs(torch.from_numpy(x))
        np.testing.assert_allclose(out.detach().numpy(), tout.detach().numpy(), rtol=1e-4, atol=1e-5)
    out.square().sum().backward()
    tout.square().sum().backward()
    np.testing.assert_allclose(ours.parametrizations.weight.original.grad.numpy(),
                               theirs.parametrizations.weight.original.grad.numpy(), rtol=1e-4, atol=1e-5)
    ours.eval()
    theirs.eval()
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy(), rtol=1e-4,
                               atol=1e-6)
    assert repr(ours) == repr(theirs)


def test_spectral_norm_refuses_as_torch():
    for kwargs in ({"name": "nope"}, {"n_power_iterations": 0}):
        def call(m, kwargs=kwargs):
            return m.nn.utils.parametrizations.spectral_norm(m.nn.Linear(2, 2), **kwargs)
        with pytest.raises(ValueError) as theirs:
            call(torch)
        with pytest.raises(ValueError) as ours:
            call(pyfront)
        assert str(ours.value) == str(theirs.value)
