"""torch.func (grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian, vmap, functional_call,
stack_module_state) and torch.vmap against real torch: every case runs the same code with ``torch`` and
with ``pyfront`` on seeded inputs and compares the result's structure (tuple / list / dict nesting),
shapes, values and requires_grad; compositions (vmap of grad, grad of vmap, Hessians, gradients of
per-sample gradients) and torch's per-sample-gradient tutorial included. Invalid calls raise torch's
error type and message. A sample of cases runs on webgpu."""
import numpy as np
import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

RNG_SHAPES = {"x": (4, 3), "y": (4, 3), "v": (3,), "s": (), "m": (2, 3), "w": (3, 2), "b": (5, 4, 2)}


def _data(lib, device):
    rng = np.random.RandomState(0)
    arrays = {k: rng.uniform(-1, 1, size=s).astype(np.float32) for k, s in RNG_SHAPES.items()}
    if lib is torch:
        return {k: torch.tensor(a) for k, a in arrays.items()}
    return {k: pyfront.tensor(a, device=device) for k, a in arrays.items()}


def _cube(a):
    return (a ** 3).sum()


def _two(a, b):
    return (a.sin() * b).sum()


# each case: (lib, data) -> result; written with Tensor methods and lib.func only, so one body serves both
CASES = {
    # grad / grad_and_value
    "grad": lambda lib, d: lib.func.grad(_cube)(d["x"]),
    "grad argnums 1": lambda lib, d: lib.func.grad(_two, argnums=1)(d["x"], d["y"]),
    "grad argnums -2": lambda lib, d: lib.func.grad(_two, argnums=-2)(d["x"], d["y"]),
    "grad argnums tuple": lambda lib, d: lib.func.grad(_two, argnums=(1, 0))(d["x"], d["y"]),
    "grad dict arg": lambda lib, d: lib.func.grad(lambda p, x: ((x @ p["w"]).tanh().sum() + p["c"].sum()))(
        {"w": d["w"], "c": d["v"]}, d["x"]),
    "grad nested arg": lambda lib, d: lib.func.grad(lambda p: (p[0] * p[1][0]).sum() * p[1][1].sum())(
        (d["x"], [d["y"], d["v"]])),
    "grad has_aux": lambda lib, d: lib.func.grad(lambda a: (_cube(a), {"mean": a.mean(), "l": [a * 2]}),
                                                 has_aux=True)(d["x"]),
    "grad unused arg": lambda lib, d: lib.func.grad(lambda a, b: (a * 2).sum(), argnums=(0, 1))(d["x"],
                                                                                                d["v"]),
    "grad constant": lambda lib, d: lib.func.grad(lambda a: lib.ones(()))(d["x"]),
    "grad kwargs": lambda lib, d: lib.func.grad(lambda a, scale=1.0: _cube(a) * scale)(d["x"], scale=2.5),
    "grad no_grad inside": lambda lib, d: lib.func.grad(_no_grad_inside(lib))(d["v"]),
    "grad under no_grad": lambda lib, d: _under_no_grad(lib, lambda: lib.func.grad(_cube)(d["v"])),
    "grad in inference_mode": lambda lib, d: _in_inference(lib, lambda: lib.func.grad(_cube)(d["v"])),
    "vjp in inference_mode": lambda lib, d: _in_inference(lib, lambda: _vjp(lib, lambda a: a ** 2, (d["v"],),
                                                                             d["v"])),
    "jacrev in inference_mode": lambda lib, d: _in_inference(lib, lambda: lib.func.jacrev(lambda a: a ** 2)(
        d["v"])),
    "grad and value": lambda lib, d: lib.func.grad_and_value(_two, argnums=(0, 1))(d["x"], d["y"]),
    "grad and value aux": lambda lib, d: lib.func.grad_and_value(lambda a: (_cube(a), a * 2),
                                                                 has_aux=True)(d["v"]),
    "grad of grad": lambda lib, d: lib.func.grad(lib.func.grad(lambda a: a.sin() * a ** 3))(d["s"]),
    "grad of grad closure": lambda lib, d: lib.func.grad(
        lambda a: lib.func.grad(lambda b: (a * b).sin().sum())(d["v"] * 1).sum())(d["v"]),
    "grad requires_grad input": lambda lib, d: _through(lib, d["v"], lambda x: lib.func.grad(_cube)(x)),
    # vjp / jvp
    "vjp": lambda lib, d: _vjp(lib, lambda a: a.exp() * 2, (d["x"],), d["y"]),
    "vjp two in two out": lambda lib, d: _vjp(lib, lambda a, b: (a * b, (a - b).sum()), (d["x"], d["y"]),
                                              (d["y"], d["s"])),
    "vjp dict out": lambda lib, d: _vjp(lib, lambda a: {"p": a.sin(), "q": [a.sum()]}, (d["v"],),
                                        {"p": d["v"], "q": [d["s"]]}),
    "vjp has_aux": lambda lib, d: _vjp(lib, lambda a: (a.cos(), a.sum()), (d["v"],), d["v"], has_aux=True),
    "vjp unused": lambda lib, d: _vjp(lib, lambda a, b: a * 3, (d["v"], d["m"]), d["v"]),
    "vjp twice": lambda lib, d: _vjp_twice(lib, d),
    "jvp": lambda lib, d: lib.func.jvp(lambda a: a.sin() * a, (d["x"],), (d["y"],)),
    "jvp two in": lambda lib, d: lib.func.jvp(lambda a, b: (a * b, a.exp()), (d["x"], d["y"]),
                                              (d["y"], d["x"])),
    "jvp has_aux": lambda lib, d: lib.func.jvp(lambda a: (a ** 2, {"k": a.sum()}), (d["v"],), (d["v"],),
                                               has_aux=True),
    "jvp constant out": lambda lib, d: lib.func.jvp(lambda a: lib.ones(2), (d["v"],), (d["v"],)),
    "linearize": lambda lib, d: _linearize(lib, d),
    "functionalize": lambda lib, d: _functionalize(lib, d),
    # jacrev / jacfwd / hessian
    "jacrev": lambda lib, d: lib.func.jacrev(lambda a: a.sin() * a.sum())(d["v"]),
    "jacfwd": lambda lib, d: lib.func.jacfwd(lambda a: a.sin() * a.sum())(d["v"]),
    "jacrev matrix": lambda lib, d: lib.func.jacrev(lambda a: a @ a.t())(d["m"]),
    "jacrev argnums": lambda lib, d: lib.func.jacrev(lambda a, b: a @ b, argnums=(0, 1))(d["m"], d["w"]),
    "jacfwd argnums": lambda lib, d: lib.func.jacfwd(lambda a, b: a @ b, argnums=(0, 1))(d["m"], d["w"]),
    "jacrev outputs": lambda lib, d: lib.func.jacrev(lambda a: (a.exp(), {"s": a.sum()}))(d["v"]),
    "jacrev dict in": lambda lib, d: lib.func.jacrev(lambda p: p["a"] * p["b"].sum())({"a": d["v"],
                                                                                       "b": d["m"]}),
    "jacrev has_aux": lambda lib, d: lib.func.jacrev(lambda a: (a ** 2, a.sum()), has_aux=True)(d["v"]),
    "jacfwd has_aux": lambda lib, d: lib.func.jacfwd(lambda a: (a ** 2, a.sum()), has_aux=True)(d["v"]),
    "jacrev chunk": lambda lib, d: lib.func.jacrev(lambda a: a.exp(), chunk_size=2)(d["v"]),
    "jacrev empty out": lambda lib, d: lib.func.jacrev(lambda a: a[:0])(d["v"]),
    "jacrev scalar in": lambda lib, d: lib.func.jacrev(lambda a: lib.stack([a.sin(), a * a]))(d["s"]),
    "jacrev of jacrev": lambda lib, d: lib.func.jacrev(lib.func.jacrev(lambda a: (a ** 3).prod()))(d["v"]),
    "hessian": lambda lib, d: lib.func.hessian(lambda a: (a.sin() * a ** 2).sum())(d["v"]),
    "hessian argnums": lambda lib, d: lib.func.hessian(lambda a, b: (a @ b).tanh().sum(), argnums=(0, 1))(
        d["m"], d["w"]),
    "hessian vector out": lambda lib, d: lib.func.hessian(lambda a: a.exp() * a.sum())(d["v"]),
    # vmap
    "vmap": lambda lib, d: lib.func.vmap(lambda a: a.sin() @ a)(d["x"]),
    "vmap torch.vmap": lambda lib, d: lib.vmap(lambda a, b: (a * b).sum())(d["x"], d["y"]),
    "vmap in_dims 1": lambda lib, d: lib.func.vmap(lambda a: a.cumsum(0), in_dims=1)(d["x"]),
    "vmap in_dims -1 out 1": lambda lib, d: lib.func.vmap(lambda a: a * 2, in_dims=-1, out_dims=1)(d["b"]),
    "vmap in_dims None": lambda lib, d: lib.func.vmap(lambda a, b: a @ b, in_dims=(0, None))(d["x"], d["w"]),
    "vmap nested in_dims": lambda lib, d: lib.func.vmap(lambda p, q: p[0] * p[1] + q["k"],
                                                        in_dims=((0, 1), {"k": None}))(
        (d["x"], d["y"].t()), {"k": d["v"]}),
    "vmap out_dims tuple": lambda lib, d: lib.func.vmap(lambda a: (a.exp(), a.sum()),
                                                        out_dims=(1, 0))(d["x"]),
    "vmap out_dims None": lambda lib, d: lib.func.vmap(lambda a, b: (a * b, b), in_dims=(0, None),
                                                       out_dims=(0, None))(d["x"], d["v"]),
    "vmap out_dims -1": lambda lib, d: lib.func.vmap(lambda a: a.t(), out_dims=-1)(d["b"]),
    "vmap dict out": lambda lib, d: lib.func.vmap(lambda a: {"a": a, "l": [a.sum(), a.max()]})(d["x"]),
    "vmap unbatched out": lambda lib, d: lib.func.vmap(lambda a, b: b * 2, in_dims=(0, None))(d["x"], d["v"]),
    "vmap kwargs": lambda lib, d: lib.func.vmap(lambda a, scale: a * scale)(d["x"], scale=d["v"]),
    "vmap chunk_size": lambda lib, d: lib.func.vmap(lambda a: a.softmax(0), chunk_size=3)(d["b"]),
    "vmap of vmap": lambda lib, d: lib.func.vmap(lib.func.vmap(lambda a, b: a * b, in_dims=(0, None)),
                                                 in_dims=(0, None))(d["b"], d["s"]),
    "vmap of vmap outer 1": lambda lib, d: lib.func.vmap(lib.func.vmap(lambda a: a.sum()), in_dims=1)(d["b"]),
    "vmap batch 0": lambda lib, d: lib.func.vmap(lambda a: (a * 2, a.sum()))(d["x"][:0]),
    "vmap 0-d samples": lambda lib, d: lib.func.vmap(lambda a: a.exp())(d["v"]),
    "vmap inplace": lambda lib, d: _vmap_inplace(lib, d),
    # compositions
    "vmap grad": lambda lib, d: lib.func.vmap(lib.func.grad(_cube))(d["x"]),
    "vmap grad in_dims": lambda lib, d: lib.func.vmap(lib.func.grad(lambda w, x: (x @ w).tanh().sum()),
                                                      in_dims=(None, 0))(d["w"], d["x"]),
    "vmap jacrev": lambda lib, d: lib.func.vmap(lib.func.jacrev(lambda a: a.sin() * a.sum()))(d["x"]),
    "vmap hessian": lambda lib, d: lib.func.vmap(lib.func.hessian(_cube))(d["x"]),
    "vmap jvp": lambda lib, d: lib.func.vmap(lambda a, t: lib.func.jvp(lambda u: u.exp(), (a,), (t,)))(
        d["x"], d["y"]),
    "vmap vjp": lambda lib, d: lib.func.vmap(lambda a, c: lib.func.vjp(lambda u: u.exp(), a)[1](c))(
        d["x"], d["y"]),
    "grad of vmap": lambda lib, d: lib.func.grad(lambda a: lib.func.vmap(lambda r: r.sin() @ r)(a).sum())(
        d["x"]),
    "jacrev of vmap": lambda lib, d: lib.func.jacrev(lib.func.vmap(lambda r: (r * r).sum()))(d["x"]),
    "grad of per-sample grad norms": lambda lib, d: lib.func.grad(
        lambda w: lib.func.vmap(lib.func.grad(lambda w_, x: (x @ w_).tanh().sum()), in_dims=(None, 0))(
            w, d["x"]).pow(2).sum())(d["w"]),
    "autograd through vmap grad": lambda lib, d: _through(
        lib, d["w"], lambda w: lib.func.vmap(lib.func.grad(lambda w_, x: (x @ w_).sin().sum()),
                                             in_dims=(None, 0))(w, d["x"])),
    "autograd through jacrev": lambda lib, d: _through(lib, d["v"],
                                                       lib.func.jacrev(lambda a: a.sin() * a.sum())),
    "autograd through jvp": lambda lib, d: _through(lib, d["v"], lambda a: lib.func.jvp(lambda u: u.exp() * u,
                                                                                        (a,), (d["v"],))[1]),
    "autograd through vjp": lambda lib, d: _through(lib, d["v"], lambda a: lib.func.vjp(lambda u: u.exp() * u,
                                                                                        a)[1](d["v"])[0]),
    "autograd through hessian": lambda lib, d: _through(lib, d["v"],
                                                        lib.func.hessian(lambda a: (a ** 4).sum())),
    # functional_call / stack_module_state
    "functional_call": lambda lib, d: _functional_call(lib, d),
    "functional_call dicts": lambda lib, d: _functional_call(lib, d, split=True),
    "functional_call kwargs": lambda lib, d: _functional_call(lib, d, kwargs=True),
    "functional_call buffers": lambda lib, d: _functional_call_buffers(lib, d),
    "functional_call tied": lambda lib, d: _tied(lib, d, tie_weights=True),
    "functional_call untied": lambda lib, d: _tied(lib, d, tie_weights=False),
    "functional_call new name": lambda lib, d: _functional_call_new_name(lib, d),
    "functional_call grad": lambda lib, d: _functional_call_grad(lib, d),
    "per-sample gradients": lambda lib, d: _per_sample_gradients(lib, d),
    "ensemble": lambda lib, d: _ensemble(lib, d),
}


def _no_grad_inside(lib):
    def f(a):
        with lib.no_grad():
            c = a ** 2
        return (a - c).sum()
    return f


def _under_no_grad(lib, fn):
    with lib.no_grad():
        return fn()


def _in_inference(lib, fn):
    with lib.inference_mode():
        return fn()


def _through(lib, x, fn):
    """fn's result and the ordinary autograd gradient of its sum with respect to x (x requires grad)."""
    x = x.detach().requires_grad_()
    out = fn(x)
    return out, lib.autograd.grad(out.sum(), x)[0]


def _vjp(lib, f, primals, cot, has_aux=False):
    res = lib.func.vjp(f, *primals, has_aux=has_aux)
    return (res[0], res[1](cot)) + tuple(res[2:])


def _vjp_twice(lib, d):
    out, fn = lib.func.vjp(lambda a: a.exp().sum(0), d["x"])
    return out, fn(d["v"]), fn(d["v"] * 2)


def _linearize(lib, d):
    out, jvp_fn = lib.func.linearize(lambda a, p: (a.sin() * p["b"], [a.sum()]), d["v"], {"b": d["v"] * 2})
    return out, jvp_fn(d["v"], {"b": d["v"] * 0 + 1}), jvp_fn(d["v"] * 3, {"b": d["v"]})


def _functionalize(lib, d):
    def f(a):
        b = a.clone()
        b.add_(1)
        a.mul_(2)  # a mutation of the input reaches the caller under torch's functionalize too
        return b.view(-1)
    x = d["m"].clone()
    return lib.func.functionalize(f)(x), x, lib.func.functionalize(f, remove="mutations_and_views")(x), x


def _vmap_inplace(lib, d):
    x = d["x"].clone()
    lib.func.vmap(lambda a: a.mul_(2))(x)  # a sample is a view: torch's in-place writes reach the input
    return x


def _mlp(lib):
    lib.manual_seed(0)
    return lib.nn.Sequential(lib.nn.Linear(3, 5), lib.nn.Tanh(), lib.nn.Linear(5, 2))


def _copy_weights(lib, model, device):
    """torch's initial weights into pyfront's model, so both compute on the same numbers."""
    if lib is torch:
        return model
    ref = _mlp(torch)
    for (_, p), (_, q) in zip(model.named_parameters(), ref.named_parameters()):
        p.data = pyfront.tensor(q.detach().numpy(), device=device)
    for (_, b), (_, c) in zip(model.named_buffers(), ref.named_buffers()):
        b.data = pyfront.tensor(c.numpy(), device=device)
    return model


def _model(lib, d):
    return _copy_weights(lib, _mlp(lib), d["x"].device if lib is pyfront else None)


def _params(model):
    return {k: v.detach() * 0.5 for k, v in model.named_parameters()}


def _functional_call(lib, d, split=False, kwargs=False):
    model = _model(lib, d)
    params = _params(model)
    given = ({k: v for k, v in params.items() if k.startswith("0.")},
             {k: v for k, v in params.items() if k.startswith("2.")}) if split else params
    if kwargs:
        out = lib.func.functional_call(model, given, (), {"input": d["x"]})
    else:
        out = lib.func.functional_call(model, given, d["x"])
    return out, model(d["x"]), [p.clone() for p in model.parameters()]


def _functional_call_buffers(lib, d):
    bn = lib.nn.BatchNorm1d(3)
    buffers = {"running_mean": d["v"].clone(), "running_var": d["v"].abs() + 1}
    out = lib.func.functional_call(bn, buffers, d["x"])
    # training-mode batch norm updates the given running stats in place, the module's stay as they were
    return out, buffers, bn.running_mean, bn.running_var, bn.num_batches_tracked


class _Tied:
    @staticmethod
    def make(lib):
        class Tied(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.a = lib.nn.Linear(3, 3, bias=False)
                self.b = lib.nn.Linear(3, 3, bias=False)
                self.b.weight = self.a.weight

            def forward(self, x):
                return self.b(self.a(x))
        return Tied()


def _tied(lib, d, tie_weights):
    lib.manual_seed(0)
    m = _Tied.make(lib)
    m.a.weight.data = d["x"][:3].clone()
    return lib.func.functional_call(m, {"a.weight": d["x"][1:] * 2}, d["x"], tie_weights=tie_weights)


def _functional_call_new_name(lib, d):
    class Scale(lib.nn.Module):
        def forward(self, x):
            return x * getattr(self, "extra", 1.0)
    m = Scale()
    out = lib.func.functional_call(m, {"extra": d["v"]}, d["x"])
    return out, hasattr(m, "extra")


def _functional_call_grad(lib, d):
    model = _model(lib, d)

    def loss(p, x):
        return lib.func.functional_call(model, p, (x,)).pow(2).mean()
    return lib.func.grad(loss)(_params(model), d["x"])


def _per_sample_gradients(lib, d):
    """torch's tutorial: per-sample gradients with functional_call, vmap and grad."""
    model = _model(lib, d)
    params = {k: v.detach() for k, v in model.named_parameters()}
    buffers = {k: v.detach() for k, v in model.named_buffers()}
    targets = (d["y"][:, :2] > 0).long().sum(1) % 2

    def compute_loss(params, buffers, sample, target):
        batch, targets = sample.unsqueeze(0), target.unsqueeze(0)
        predictions = lib.func.functional_call(model, (params, buffers), (batch,))
        return lib.nn.functional.cross_entropy(predictions, targets)
    ft_compute_grad = lib.func.grad(compute_loss)
    ft_compute_sample_grad = lib.func.vmap(ft_compute_grad, in_dims=(None, None, 0, 0))
    per_sample = ft_compute_sample_grad(params, buffers, d["x"], targets)
    # the same from a loop of ordinary backward passes
    looped = []
    for i in range(d["x"].shape[0]):
        model.zero_grad()
        lib.nn.functional.cross_entropy(model(d["x"][i:i + 1]), targets[i:i + 1]).backward()
        looped.append([p.grad.clone() for p in model.parameters()])
    return per_sample, [lib.stack(g) for g in zip(*looped)]


def _ensemble(lib, d):
    """torch's model-ensembling tutorial: stack_module_state, vmap over functional_call."""
    models = [_model(lib, d) for _ in range(3)]
    for i, m in enumerate(models):
        for p in m.parameters():
            p.data = p.data * (i + 1)
    params, buffers = lib.func.stack_module_state(models)

    def f(p, b, x):
        return lib.func.functional_call(models[0], (p, b), (x,))
    return lib.func.vmap(f, in_dims=(0, 0, None))(params, buffers, d["x"]), [p.requires_grad for p in
                                                                              params.values()]


def _tree(res):
    """The result with tensors as (numpy value, requires_grad); containers kept."""
    if isinstance(res, (torch.Tensor, pyfront.Tensor)):
        return ("T", res.detach().cpu().numpy(), res.requires_grad)
    if isinstance(res, dict):
        return {k: _tree(v) for k, v in res.items()}
    if isinstance(res, (tuple, list)):
        return type(res)(_tree(r) for r in res)
    return res


def _compare(got, want, where, rtol=1e-4, atol=1e-5):
    assert type(got) is type(want), f"{where}: {type(got).__name__} where torch gives {type(want).__name__}"
    if isinstance(want, dict):
        assert list(got) == list(want), where
        for k in want:
            _compare(got[k], want[k], f"{where}[{k!r}]", rtol, atol)
    elif isinstance(want, tuple) and want and want[0] == "T":
        assert got[1].shape == want[1].shape, f"{where}: shape {got[1].shape} vs {want[1].shape}"
        assert got[1].dtype == want[1].dtype, where
        np.testing.assert_allclose(got[1], want[1], rtol=rtol, atol=atol, err_msg=where)
        assert got[2] == want[2], f"{where}: requires_grad {got[2]} vs torch's {want[2]}"
    elif isinstance(want, (tuple, list)):
        assert len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want)):
            _compare(g, w, f"{where}[{i}]", rtol, atol)
    else:
        assert got == want, where


def _check(name, device):
    want = _tree(CASES[name](torch, _data(torch, "cpu")))
    got = _tree(CASES[name](pyfront, _data(pyfront, device)))
    tol = {} if device == "cpu" else {"rtol": 1e-3, "atol": 1e-4}
    _compare(got, want, name, **tol)


@pytest.mark.parametrize("name", CASES)
def test_matches_torch(name):
    _check(name, "cpu")


WEBGPU_SAMPLE = ("grad argnums tuple", "vjp two in two out", "jvp", "hessian", "vmap nested in_dims",
                 "vmap grad in_dims", "grad of per-sample grad norms", "per-sample gradients", "ensemble")


@requires_webgpu
@pytest.mark.parametrize("name", WEBGPU_SAMPLE)
def test_matches_torch_webgpu(name):
    _check(name, "webgpu")


# -- randomness ----------------------------------------------------------------------------------
def test_randomness_same_and_different():
    """'same' gives every sample the same draw, and leaves the generator where one draw would; 'different'
    gives each its own; both the factory form and a random op on the sample."""
    x = pyfront.zeros(4, 3)
    pyfront.manual_seed(1)
    one = pyfront.rand(3)
    after_one = pyfront.rand(2)
    for fn in (lambda a: a + pyfront.rand(3), lambda a: pyfront.nn.functional.dropout(a + 1, 0.5)):
        pyfront.manual_seed(1)
        same = pyfront.func.vmap(fn, randomness="same")(x)
        assert all(pyfront.equal(same[i], same[0]) for i in range(4))
        different = pyfront.func.vmap(fn, randomness="different")(x)
        assert not all(pyfront.equal(different[i], different[0]) for i in range(4))
    pyfront.manual_seed(1)
    same = pyfront.func.vmap(lambda a: a + pyfront.rand(3), randomness="same")(x)
    assert pyfront.equal(same[0], one) and pyfront.equal(pyfront.rand(2), after_one)
    # an inner 'different' under an outer 'same': the inner samples differ, every outer sample repeats them
    nested = pyfront.func.vmap(pyfront.func.vmap(lambda a: a + pyfront.rand(()), randomness="different"),
                               randomness="same")(x)
    assert pyfront.equal(nested[1], nested[0]) and not pyfront.equal(nested[0][0], nested[0][1])


# -- errors --------------------------------------------------------------------------------------
def _f(a, b):
    return a + b


ERRORS = {
    "in_dims too long": lambda lib, x: lib.vmap(_f, in_dims=(0, 0, 0))(x, x),
    "in_dims dict vs tensor": lambda lib, x: lib.vmap(_f, in_dims=(0, {"a": 0}))(x, x),
    "in_dims list": lambda lib, x: lib.vmap(_f, in_dims=[0, 0])(x, x),
    "in_dims float": lambda lib, x: lib.vmap(_f, in_dims=(0.5, 0))(x, x),
    "in_dims range": lambda lib, x: lib.vmap(_f, in_dims=(2, 0))(x, x),
    "in_dims -3": lambda lib, x: lib.vmap(_f, in_dims=(-3, 0))(x, x),
    "in_dims non-tensor": lambda lib, x: lib.vmap(_f)(x, 3),
    "sizes differ": lambda lib, x: lib.vmap(_f, in_dims=(0, 1))(x, x[:, :2]),
    "nothing mapped": lambda lib, x: lib.vmap(_f, in_dims=(None, None))(x, x),
    "no inputs": lambda lib, x: lib.vmap(_f)(),
    "out_dims structure": lambda lib, x: lib.vmap(lambda a: (a, a), out_dims=(0, 0, 0))(x),
    "out_dims type": lambda lib, x: lib.vmap(lambda a: a, out_dims="x")(x),
    "out_dims range": lambda lib, x: lib.vmap(lambda a: a, out_dims=2)(x),
    "batched output with out_dims None": lambda lib, x: lib.vmap(lambda a: a * 2, out_dims=None)(x.cumsum(0)),
    "non-tensor output": lambda lib, x: lib.vmap(lambda a: 3)(x),
    "None output": lambda lib, x: lib.vmap(lambda a: (a, None))(x),
    "randomness value": lambda lib, x: lib.vmap(_f, randomness="foo"),
    "random in error mode": lambda lib, x: lib.vmap(lambda a: a + lib.randn(2))(x),
    "dropout in error mode": lambda lib, x: lib.vmap(lambda a: lib.nn.functional.dropout(a, 0.5))(x),
    "chunk_size 0": lambda lib, x: lib.vmap(_f, chunk_size=0),
    "jacfwd random": lambda lib, x: lib.func.jacfwd(lambda a: a * lib.rand(2))(x),
    "jacfwd randomness value": lambda lib, x: lib.func.jacfwd(lambda a: a, randomness="x")(x),
    "grad non-scalar": lambda lib, x: lib.func.grad(lambda a: a)(x),
    "grad non-tensor": lambda lib, x: lib.func.grad(lambda a: 3)(x),
    "grad has_aux single": lambda lib, x: lib.func.grad(lambda a: a.sum(), has_aux=True)(x),
    "grad argnums repeated": lambda lib, x: lib.func.grad(_f, argnums=(0, 0))(x, x),
    "grad argnums empty": lambda lib, x: lib.func.grad(_f, argnums=())(x, x),
    "grad argnums range": lambda lib, x: lib.func.grad(_f, argnums=5)(x, x),
    "grad argnums list": lambda lib, x: lib.func.grad(_f, argnums=[0])(x, x),
    "grad argnums str": lambda lib, x: lib.func.grad(_f, argnums=(0, "a"))(x, x),
    "grad non-tensor aux": lambda lib, x: lib.func.grad(lambda a: (a.sum(), 3), has_aux=True)(x),
    "grad non-tensor arg": lambda lib, x: lib.func.grad(lambda a: a.sum())(3),
    "grad int arg": lambda lib, x: lib.func.grad(lambda a: a.sum())(lib.arange(3)),
    "vjp cotangent structure": lambda lib, x: lib.func.vjp(lambda a: (a, a.sum()), x)[1](x),
    "vjp cotangent list": lambda lib, x: lib.func.vjp(lambda a: (a, a.sum()), x)[1]([x, x.sum()]),
    "vjp bool output": lambda lib, x: lib.func.vjp(lambda a: a > 0, x),
    "vjp empty output": lambda lib, x: lib.func.vjp(lambda a: (), x),
    "vjp has_aux": lambda lib, x: lib.func.vjp(lambda a: a, x, has_aux=True),
    "jvp primals not tuple": lambda lib, x: lib.func.jvp(lambda a: a, x, (x,)),
    "jvp structure": lambda lib, x: lib.func.jvp(lambda a: a, (x,), x),
    "jvp size": lambda lib, x: lib.func.jvp(lambda a: a, (x,), (x[:1],)),
    "jvp non-tensor out": lambda lib, x: lib.func.jvp(lambda a: 3, (x,), (x,)),
    "jvp non-tensor primal": lambda lib, x: lib.func.jvp(lambda a: a, (3,), (3,)),
    "jvp strict": lambda lib, x: lib.func.jvp(lambda a: lib.ones(2), (x,), (x,), strict=True),
    "linearize structure": lambda lib, x: lib.func.linearize(lambda a: a, x)[1]((x,)),
    "linearize shape": lambda lib, x: lib.func.linearize(lambda a: a, x)[1](x[0]),
    "linearize dtype": lambda lib, x: lib.func.linearize(lambda a: a, x)[1](x.double()),
    "functionalize remove": lambda lib, x: lib.func.functionalize(_f, remove="views"),
    "jacrev chunk 0": lambda lib, x: lib.func.jacrev(_f, chunk_size=0),
    "jacrev non-tensor out": lambda lib, x: lib.func.jacrev(lambda a: [a, 3])(x),
    "jacfwd non-tensor out": lambda lib, x: lib.func.jacfwd(lambda a: 3)(x),
    "functional_call strict": lambda lib, x: lib.func.functional_call(lib.nn.Linear(3, 2), {"weight": x[:2],
                                                                                           "foo": x}, x,
                                                                      strict=True),
    "functional_call repeated": lambda lib, x: lib.func.functional_call(lib.nn.Linear(3, 2),
                                                                        ({"bias": x}, {"bias": x}), x),
    "functional_call not dicts": lambda lib, x: lib.func.functional_call(lib.nn.Linear(3, 2),
                                                                         ({"bias": x}, 1), x),
    "functional_call type": lambda lib, x: lib.func.functional_call(lib.nn.Linear(3, 2), 3, x),
    "functional_call tied values": lambda lib, x: _tied_values(lib, x),
    "functional_call bad path": lambda lib, x: lib.func.functional_call(lib.nn.Linear(3, 2), {"a.b": x}, x),
    "stack_module_state none": lambda lib, x: lib.func.stack_module_state([]),
    "stack_module_state modes": lambda lib, x: lib.func.stack_module_state([lib.nn.Linear(2, 2),
                                                                            lib.nn.Linear(2, 2).eval()]),
    "stack_module_state classes": lambda lib, x: lib.func.stack_module_state([lib.nn.Linear(2, 2),
                                                                              lib.nn.Bilinear(2, 2, 2)]),
}


def _tied_values(lib, x):
    m = _Tied.make(lib)
    return lib.func.functional_call(m, {"a.weight": x[:3, :3].clone(), "b.weight": x[:3, :3].clone()}, x)


@pytest.mark.parametrize("name", ERRORS)
def test_errors_match_torch(name):
    with pytest.raises(Exception) as want:
        ERRORS[name](torch, torch.ones(3, 3))
    with pytest.raises(Exception) as got:
        ERRORS[name](pyfront, pyfront.ones(3, 3))
    assert type(got.value) is type(want.value), f"{type(got.value).__name__}: {got.value}"
    assert str(got.value) == torch_text(want.value).replace("torch.Tensor", "pyfront.Tensor")


def test_functional_call_restores_on_error():
    """The module's own parameters are back after a call that raised, and the module is usable."""
    model = pyfront.nn.Linear(3, 2)
    weight, bias = model.weight, model.bias

    class Boom(pyfront.nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = model

        def forward(self, x):
            self.inner(x)
            raise ValueError("boom")
    with pytest.raises(ValueError, match="boom"):
        pyfront.func.functional_call(Boom(), {"inner.weight": pyfront.zeros(2, 3),
                                              "inner.extra": pyfront.ones(1)}, pyfront.ones(1, 3))
    assert model.weight is weight and model.bias is bias and not hasattr(model, "extra")
    assert dict(model.named_parameters()) == {"weight": weight, "bias": bias}


def test_transforms_keep_the_function_name():
    def loss(a):
        return a.sum()
    for transform in (pyfront.func.grad, pyfront.func.jacrev, pyfront.func.jacfwd, pyfront.vmap):
        assert transform(loss).__name__ == "loss"


def test_stateless_functional_call_warns_and_matches_torch():
    """nn.utils.stateless.functional_call: torch's FutureWarning text, torch's numbers."""
    outs = []
    for lib in (torch, pyfront):
        d = _data(lib, "cpu")
        model = _model(lib, d)
        with pytest.warns(FutureWarning) as rec:
            out = lib.nn.utils.stateless.functional_call(model, _params(model), d["x"])
        outs.append((out.detach().numpy(), str(rec[0].message)))
    np.testing.assert_allclose(outs[1][0], outs[0][0], rtol=1e-5, atol=1e-6)
    assert outs[1][1] == outs[0][1]


def test_randomness_rule_is_per_thread():
    """A vmap running on one thread (randomness='error') does not refuse another thread's draws, and a
    transform's grad mode stays on its thread."""
    import threading
    inside, release, seen = threading.Event(), threading.Event(), {}

    def mapped(a):
        inside.set()
        release.wait(10)
        return a * 2

    work = pyfront.vmap(pyfront.func.grad(lambda a: mapped(a).sum()))  # grad turns grad mode on, there
    worker = threading.Thread(target=lambda: seen.setdefault("out", work(pyfront.ones(1, 2))))
    worker.start()
    assert inside.wait(10)
    try:
        with pyfront.no_grad():
            seen["draw"] = pyfront.rand(2)  # would raise if the worker's vmap level were global
            seen["grad mode"] = pyfront.is_grad_enabled()
    finally:
        release.set()
        worker.join(10)
    assert seen["draw"].shape == (2,) and seen["grad mode"] is False
    assert seen["out"].tolist() == [[2.0, 2.0]]
