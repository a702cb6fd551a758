"""torch.func results and the graph outside the transform, against real torch.

Every transform (grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian, vmap of grad, grad of grad)
runs a function that closes over a weight ``w`` (or takes a cotangent / tangent made of it), in three
settings: ``w`` requires grad (the result must keep a graph back to it: the WGAN-GP input-gradient
penalty trains the model that way), ``w`` a constant (the result must not require grad: the transform's
own fresh inputs never leak into it) and the call under ``no_grad``. Values, requires_grad and ``w``'s
gradient after a backward through the results must be torch's. Also torch's refusals inside a transform
(``.item()``, ``bool``, ``.tolist()``, ``nonzero``, boolean masks inside vmap; ``backward`` and
``requires_grad_`` inside any transform): type and text."""
import contextlib

import numpy as np
import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

X = np.array([[0.3, -0.7, 0.9], [0.5, 0.2, -0.4]], np.float32)
W = np.array([0.8, -1.1, 0.6], np.float32)


def _scalar(lib, w):
    return lambda a: (a * w).sin().pow(2).sum() + (a * a * w).sum()


def _vector(lib, w):
    return lambda a: (a * w).tanh() * a.sum()


def _vjp(lib, f, x):
    out, fn = lib.func.vjp(f, x)
    return out, fn(lib.ones_like(out) * 0.5)[0]


TRANSFORMS = {
    "grad": lambda lib, w, x: lib.func.grad(_scalar(lib, w))(x[0]),
    "grad_and_value": lambda lib, w, x: lib.func.grad_and_value(_scalar(lib, w))(x[0]),
    "vjp": lambda lib, w, x: _vjp(lib, _vector(lib, w), x[0]),
    "jvp": lambda lib, w, x: lib.func.jvp(_vector(lib, w), (x[0],), (x[1],)),
    "vjp cotangent w": lambda lib, w, x: lib.func.vjp(lambda a: a.sin() * a, x[0])[1](w * 2)[0],
    "jvp tangent w": lambda lib, w, x: lib.func.jvp(lambda a: a.sin() * a, (x[0],), (w * 2,))[1],
    "jacrev": lambda lib, w, x: lib.func.jacrev(_vector(lib, w))(x[0]),
    "jacfwd": lambda lib, w, x: lib.func.jacfwd(_vector(lib, w))(x[0]),
    "hessian": lambda lib, w, x: lib.func.hessian(_scalar(lib, w))(x[0]),
    "vmap(grad)": lambda lib, w, x: lib.func.vmap(lib.func.grad(_scalar(lib, w)))(x),
    "grad(grad)": lambda lib, w, x: lib.func.grad(lambda a: lib.func.grad(_scalar(lib, w))(a).pow(2).sum())(
        x[0]),
}
SETTINGS = ("closure", "constant", "no_grad")


def _run(lib, transform, setting, device="cpu"):
    """The results as (value, requires_grad) pairs and w's gradient after a backward through them."""
    w = lib.tensor(W, device=device).requires_grad_(setting != "constant")
    x = lib.tensor(X, device=device)
    with lib.no_grad() if setting == "no_grad" else contextlib.nullcontext():
        out = TRANSFORMS[transform](lib, w, x)
    outs = list(out) if isinstance(out, tuple) else [out]
    seen = [(o.detach().cpu().numpy(), o.requires_grad) for o in outs]
    graphed = [o for o in outs if o.requires_grad]
    if graphed:
        sum(o.pow(2).sum() for o in graphed).backward()
    return seen, None if w.grad is None else w.grad.cpu().numpy()


def _check(transform, setting, device="cpu", tol=1e-5):
    want, want_grad = _run(torch, transform, setting)
    got, got_grad = _run(pyfront, transform, setting, device)
    assert len(got) == len(want)
    for i, ((g, g_rg), (v, v_rg)) in enumerate(zip(got, want)):
        np.testing.assert_allclose(g, v, rtol=tol, atol=tol, err_msg=f"result {i}")
        assert g_rg == v_rg, f"result {i}: requires_grad {g_rg}, torch's {v_rg}"
    assert (got_grad is None) == (want_grad is None), f"w.grad {got_grad} where torch's is {want_grad}"
    if want_grad is not None:
        np.testing.assert_allclose(got_grad, want_grad, rtol=tol, atol=tol, err_msg="w.grad")


@pytest.mark.parametrize("setting", SETTINGS)
@pytest.mark.parametrize("transform", TRANSFORMS)
def test_results_keep_the_graph_to_what_the_function_closes_over(transform, setting):
    _check(transform, setting)


@requires_webgpu
@pytest.mark.parametrize("transform", ("grad", "vjp", "vmap(grad)"))
def test_results_keep_the_graph_to_what_the_function_closes_over_webgpu(transform):
    _check(transform, "closure", "webgpu", 1e-4)


def _penalty(lib, device):
    """The WGAN-GP pattern: a loss on the norms of per-sample input gradients trains the model."""
    model = lib.nn.Linear(3, 1).to(device)
    with lib.no_grad():
        model.weight.copy_(lib.tensor([[1., -2., 0.5]]))
        model.bias.fill_(0.25)
    x = lib.tensor([[1., 2., 3.], [0.5, -1., 2.]], device=device)
    gx = lib.func.vmap(lib.func.grad(lambda xi: lib.tanh(model(xi)).sum()))(x)
    loss = model(x).mean() + (gx.norm(dim=1) - 1).pow(2).mean()
    loss.backward()
    return [p.grad.cpu().numpy() for p in (model.weight, model.bias)]


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_gradient_penalty_trains_the_model(device):
    for got, want in zip(_penalty(pyfront, device), _penalty(torch, "cpu")):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def _vmap(lib, f):
    return lambda: lib.func.vmap(f)(lib.ones(2, 3))


def _grad(lib, f):
    return lambda: lib.func.grad(f)(lib.ones(3))


REFUSALS = {
    "vmap item": lambda lib: _vmap(lib, lambda t: t.sum().item()),
    "vmap bool": lambda lib: _vmap(lib, lambda t: t * 2 if t.sum() > 0 else t),
    "vmap tolist": lambda lib: _vmap(lib, lambda t: t.tolist()),
    "vmap nonzero": lambda lib: _vmap(lib, lambda t: t.nonzero()),
    "vmap mask index": lambda lib: _vmap(lib, lambda t: t[t > 0]),
    "vmap backward": lambda lib: _vmap(lib, lambda t: (t.sum().backward(), t)[1]),
    "vmap requires_grad_": lambda lib: _vmap(lib, lambda t: lib.ones(3).requires_grad_() + t),
    "grad backward": lambda lib: _grad(lib, lambda t: (t.sum().backward(), t.sum())[1]),
    "grad requires_grad_": lambda lib: _grad(lib, lambda t: t.requires_grad_().sum()),
    "grad requires_grad_ False": lambda lib: _grad(lib, lambda t: lib.ones(3).requires_grad_(False).sum()
                                                   + t.sum()),
    "vjp backward": lambda lib: lambda: lib.func.vjp(lambda t: (t.sum().backward(), t)[1], lib.ones(3)),
    "jacrev requires_grad_": lambda lib: lambda: lib.func.jacrev(lambda t: lib.ones(3).requires_grad_() * t)(
        lib.ones(3)),
    "vmap of grad item": lambda lib: _vmap(lib, lib.func.grad(lambda t: t.sum() * t.sum().item())),
    "vmap of grad bool": lambda lib: _vmap(lib, lib.func.grad(lambda t: t.sum() if t.sum() > 0
                                                              else -t.sum())),
    "vmap of jacrev item": lambda lib: _vmap(lib, lib.func.jacrev(lambda t: t * t.sum().item())),
    "grad of vmap bool": lambda lib: _grad(lib, lambda x: lib.func.vmap(lambda t: t if t > 0 else -t)(x)
                                           .sum()),
    "item after grad in vmap": lambda lib: _vmap(lib, lambda t: lib.func.grad(lambda u: u.sum())(t).sum()
                                                 .item()),
}


@pytest.mark.parametrize("name", REFUSALS)
def test_refusals_inside_a_transform_match_torch(name):
    with pytest.raises(Exception) as want:
        REFUSALS[name](torch)()
    with pytest.raises(Exception) as got:
        REFUSALS[name](pyfront)()
    assert type(got.value) is type(want.value), f"{type(got.value).__name__}: {got.value}"
    assert str(got.value) == str(want.value)
    # the refusal leaves no transform behind: the same calls work again outside
    t = pyfront.ones(3)
    assert t.sum().item() == 3.0 and bool(t.sum() > 0) and t.tolist() == [1.0, 1.0, 1.0]
    assert t.nonzero().shape == (3, 1) and t.requires_grad_().sum().backward() is None


def test_what_torch_allows_inside_transforms():
    """.item() inside grad (not vmap), a factory's requires_grad=True and a Parameter made inside grad, and
    pyfront's own data reads (a loss's target check, printing) inside vmap, as torch's do them in C++."""
    def run(lib):
        g = lib.func.grad(lambda t: t.sum() * t.sum().item() + (lib.ones(3, requires_grad=True) * t).sum()
                          + (lib.nn.Parameter(lib.ones(3)) * t).sum())(lib.ones(3))
        logits = lib.tensor([[0.2, 0.9], [1.1, -0.3]])
        out = lib.func.vmap(lambda z, y: (repr(z), lib.nn.functional.cross_entropy(z, y))[1])(
            logits, lib.tensor([1, 0]))
        return g.tolist(), out.tolist()
    got = [run(torch), run(pyfront)]
    np.testing.assert_allclose(np.asarray(got[1][0]), got[0][0], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(got[1][1]), got[0][1], rtol=1e-5)
