"""``autograd.forward_ad`` (dual tensors) against torch: every differentiable op of the op table carries a
tangent as torch's forward mode does (its first sample, in float64), the official forward-mode tutorial runs
the same, and the level, layout, in-place, view, custom Function and error rules are torch's."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.autograd.forward_ad as tfw
from optable import _resolve, _values, assert_same_error, entries, laid_out

import pyfront
import pyfront.autograd.forward_ad as pfw
from pyfront.ops.samples import T

FW = {pyfront: pfw, torch: tfw}

# where pyfront's tangent differs from torch's, and why
KNOWN: dict = {}


def _dual_run(lib, name, sample, domain, seed=0):
    """The op on its sample, every float operand a float64 dual tensor with a seeded tangent: (primal,
    tangent or None) of each tensor output, as NumPy arrays."""
    fw, rng = FW[lib], np.random.default_rng(seed)
    args, kwargs = sample
    names = list(range(len(args))) + list(kwargs)
    values = []
    with fw.dual_level(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for spec in list(args) + list(kwargs.values()):
            if not isinstance(spec, T):
                values.append(spec)
                continue
            data = _values(spec, domain, rng)
            x = lib.tensor(data)
            if spec.dtype.startswith("float"):
                x = lib.tensor(data.astype("float64"))
                if spec.grad:
                    x = fw.make_dual(x, lib.tensor(rng.standard_normal(data.shape)))
            values.append(laid_out(x, spec))
        out = _resolve(lib, name)(*[v for n, v in zip(names, values) if isinstance(n, int)],
                                  **{n: v for n, v in zip(names, values) if not isinstance(n, int)})
        result = []
        for o in out if isinstance(out, (tuple, list)) else (out,):
            if isinstance(o, lib.Tensor):
                primal, tangent = fw.unpack_dual(o)
                result.append((primal.detach().numpy().copy(),
                               None if tangent is None else tangent.detach().numpy().copy()))
    return result


def _torch_runs(entry):
    try:
        return _dual_run(torch, entry[1], entry[2][0], entry[3])
    except Exception:  # an op torch has no forward derivative for, or a sample it refuses
        return None


OPS = [(e, expected) for e in entries(edge=False) if e[4] and e[2]
       if (expected := _torch_runs(e)) is not None]


@pytest.mark.parametrize("entry,expected", [pytest.param(e, x, id=e[0], marks=pytest.mark.xfail(
    strict=True, reason=KNOWN[e[0]]) if e[0] in KNOWN else ()) for e, x in OPS])
def test_every_differentiable_op_has_a_forward_derivative(entry, expected):
    got = _dual_run(pyfront, entry[1], entry[2][0], entry[3])
    assert len(got) == len(expected)
    for (_, tangent), (_, want) in zip(got, expected):
        assert (tangent is None) == (want is None), f"tangent {tangent} where torch's is {want}"
        if want is not None:
            np.testing.assert_allclose(tangent, want, rtol=1e-6, atol=1e-8)


def test_the_sweep_covers_the_table():
    assert len(OPS) > 200


def _double_backward_jvp(entry, index):
    """torch's JVP of the sample by the double-backward trick (autograd.functional.jvp): where its forward
    mode has no formula (scatter_reduce's prod gives no tangent), the tangent its backward implies."""
    rng, (args, kwargs) = np.random.default_rng(index), entry[2][index]
    names, specs = list(range(len(args))) + list(kwargs), list(args) + list(kwargs.values())
    values, primals, tangents, where = [], [], [], []
    for spec in specs:
        if not isinstance(spec, T):
            values.append(spec)
            continue
        data = _values(spec, entry[3], rng)
        if spec.dtype.startswith("float"):
            data = data.astype("float64")
            if spec.grad:
                where.append(len(values))
                primals.append(torch.tensor(data))
                tangents.append(torch.tensor(rng.standard_normal(data.shape)))
        values.append(laid_out(torch.tensor(data), spec))

    def fn(*xs):
        vs = list(values)
        for k, x in zip(where, xs):
            vs[k] = laid_out(x, specs[k])
        return _resolve(torch, entry[1])(*[v for n, v in zip(names, vs) if isinstance(n, int)],
                                         **{n: v for n, v in zip(names, vs) if not isinstance(n, int)})
    return torch.autograd.functional.jvp(fn, tuple(primals), tuple(tangents))[1].numpy()


# later samples of ops whose tangent once failed or differed there (the sweep above takes each op's first):
# by torch's forward mode, or its double-backward JVP where its forward mode gives no tangent
LATER = {"scatter_reduce": (2, 3, 12), "logit": (3, 4, 5), "scatter": (1,),
         "nn.functional.embedding": (1, 2, 4), "var": (18,), "var_mean": (18,), "std": (10,),
         "std_mean": (10,)}


@pytest.mark.parametrize("name,index", [(n, i) for n, idx in LATER.items() for i in idx])
def test_later_samples_as_torch(name, index):
    entry = next(e for e in entries(edge=False) if e[0] == name)
    got = _dual_run(pyfront, entry[1], entry[2][index], entry[3], seed=index)
    want = _dual_run(torch, entry[1], entry[2][index], entry[3], seed=index)
    for (_, tangent), (_, w) in zip(got, want):
        if w is None:  # (scatter_reduce's prod: none from torch's forward mode)
            w = _double_backward_jvp(entry, index)
        np.testing.assert_allclose(tangent, w, rtol=1e-6, atol=1e-8)


# -- the official tutorial (intermediate/forward_ad_usage), run by each library ------------------------
def _tutorial(lib):
    fw, nn, seen = FW[lib], lib.nn, []
    lib.manual_seed(0)
    primal, tangent, plain = (lib.tensor(np.random.default_rng(i).standard_normal((10, 10)))
                              for i in range(3))

    def fn(x, y):
        return x ** 2 + y ** 2

    with fw.dual_level():
        dual_input = fw.make_dual(primal, tangent)
        assert fw.unpack_dual(dual_input).tangent is tangent
        dual_input_alt = fw.make_dual(primal, tangent.T)
        assert fw.unpack_dual(dual_input_alt).tangent is not tangent
        dual_output = fn(dual_input, plain)
        seen.append(fw.unpack_dual(dual_output).tangent)
    assert fw.unpack_dual(dual_output).tangent is None

    model = nn.Linear(5, 5)
    with lib.no_grad():
        model.weight.copy_(lib.tensor(np.random.default_rng(3).standard_normal((5, 5))))
        model.bias.copy_(lib.tensor(np.random.default_rng(4).standard_normal(5)))
    input = lib.tensor(np.random.default_rng(5).standard_normal((16, 5)), dtype=lib.float32)
    params = {name: p for name, p in model.named_parameters()}
    tangents = {name: lib.tensor(np.random.default_rng(6).random(p.shape), dtype=lib.float32)
                for name, p in params.items()}
    with fw.dual_level():
        for name, p in params.items():
            delattr(model, name)
            setattr(model, name, fw.make_dual(p, tangents[name]))
        out = model(input)
        jvp = fw.unpack_dual(out).tangent
        seen += [out, jvp, jvp.requires_grad]
    model = nn.Linear(5, 5)
    with fw.dual_level():
        dual_params = {name: fw.make_dual(p, tangents[name]) for name, p in params.items()}
        out = lib.func.functional_call(model, dual_params, input)
        jvp2 = fw.unpack_dual(out).tangent
    assert lib.allclose(jvp, jvp2)

    class Fn(lib.autograd.Function):
        @staticmethod
        def forward(ctx, foo):
            result = lib.exp(foo)
            ctx.result = result
            return result

        @staticmethod
        def jvp(ctx, gI):
            gO = gI * ctx.result
            del ctx.result
            return gO

    primal = lib.tensor(np.random.default_rng(7).standard_normal((3, 3)), requires_grad=True)
    tangent = lib.tensor(np.random.default_rng(8).standard_normal((3, 3)))
    with fw.dual_level():
        seen.append(fw.unpack_dual(Fn.apply(fw.make_dual(primal, tangent))).tangent)
    seen.append(lib.autograd.gradcheck(Fn.apply, (primal,), check_forward_ad=True, check_backward_ad=False,
                                       check_undefined_grad=False, check_batched_grad=False))
    primals = tuple(lib.tensor(np.random.default_rng(9 + i).standard_normal((4, 4))) for i in range(4))
    primal_out, tangent_out = lib.func.jvp(fn, primals[:2], primals[2:])
    with fw.dual_level():
        dual_out = fn(fw.make_dual(primals[0], primals[2]), fw.make_dual(primals[1], primals[3]))
        assert lib.allclose(fw.unpack_dual(dual_out).tangent, tangent_out)
    seen += [primal_out, tangent_out]
    return seen


def test_the_tutorial_runs_as_torch():
    got, want = _tutorial(pyfront), _tutorial(torch)
    for g, w in zip(got, want):
        if isinstance(w, torch.Tensor):
            np.testing.assert_allclose(g.detach().numpy(), w.detach().numpy(), rtol=1e-5, atol=1e-6)
        else:
            assert g == w


# -- levels, layouts, views and in-place writes ------------------------------------------------------
def _behaviour(lib):
    fw, seen = FW[lib], []

    def tan(t):
        tangent = fw.unpack_dual(t).tangent
        return None if tangent is None else tangent.tolist()

    p, t = lib.tensor([1.0, 2.0, 3.0]), lib.tensor([0.5, -1.0, 2.0])
    with fw.dual_level() as level:
        seen.append(level)
        d = fw.make_dual(p, t)
        seen += [d._base is p, d.requires_grad, fw.unpack_dual(d).primal._base is p, tan(p), tan(d.detach())]
        seen.append(fw.unpack_dual(d[1:]).tangent._base is t)  # a view's tangent: that view of the tangent
        x = lib.zeros(3)
        x.add_(d)
        seen.append(tan(x))
        y = lib.zeros(4)
        y[1:].copy_(d)  # written through a view: the base gets the tangent
        seen.append(tan(y))
        z = lib.zeros(4)
        zv = z[:2]
        z[2:].copy_(d[:2])  # a view taken before sees its base's new tangent
        seen += [tan(zv), tan(z)]
        w = d.clone()
        w.mul_(3)
        seen.append(tan(w))
        w.copy_(lib.ones(3))
        seen.append(tan(w))
        q = lib.zeros(2, 3)
        q[0] = d
        q[1, 1:] = d[:2] * d[:2]
        seen.append(tan(q))
        with lib.no_grad():  # forward mode runs whatever grad mode says
            seen.append(tan(d * d))
        u = fw.make_dual(lib.tensor([1.0, 2.0]), lib.ones(2))
        u.unsqueeze_(0)
        seen.append(tan(u))
        seen.append(fw.unpack_dual(d.exp()).tangent.requires_grad)  # (exp's VJP reads its saved result)
        seen += [tan(d > 0), tan(d.floor()), tan(d.argmax()), tan(d.double() * 2), tan(d + lib.ones(2, 3))]
        m = lib.tensor([[1.0, 2.0], [3.0, 4.0]])
        # a tangent of another layout is copied into the primal's
        seen.append(fw.unpack_dual(fw.make_dual(m, lib.ones(2, 2).T)).tangent.stride())
        seen.append(fw.unpack_dual(fw.make_dual(m.T, lib.ones(2, 2))).tangent.stride())
        seen.append(fw.unpack_dual(fw.make_dual(p, lib.ones(5)[:3])).tangent.stride())
        seen.append(fw.unpack_dual(fw.make_dual(p, t.double())).tangent.dtype is lib.float64)
        seen.append(repr(fw.make_dual(lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64), m) * 2))
    seen += [tan(d), tan(x), fw.unpack_dual(p).primal is p, fw.unpack_dual(p).tangent, fw.unpack_dual(3)]
    level = fw.enter_dual_level()
    fw.exit_dual_level(level=level)
    return seen


def test_levels_layouts_views_and_in_place_as_torch():
    got, want = _behaviour(pyfront), _behaviour(torch)
    assert [str(g) if isinstance(g, pyfront.dtype) else g for g in got] == \
        [str(w).replace("torch.", "pyfront.") if isinstance(w, torch.dtype) else w for w in want]


def _errors(lib):
    fw, p = FW[lib], lib.tensor([1.0, 2.0, 3.0])
    cases = {"outside": lambda: fw.make_dual(p, p), "exit none": lambda: fw.exit_dual_level()}

    def inside(fn):
        def run():
            with fw.dual_level():
                return fn()
        return run

    def wrong_exit():
        fw.enter_dual_level()
        try:
            fw.exit_dual_level(level=3)
        finally:
            fw.exit_dual_level()

    cases.update({
        "nested": inside(lambda: fw.dual_level().__enter__()),
        "unpack int": inside(lambda: fw.unpack_dual(3)),
        "nested enter": inside(fw.enter_dual_level),
        "size": inside(lambda: fw.make_dual(p, lib.ones(4))),
        "size 2-d": inside(lambda: fw.make_dual(p, lib.ones(3, 1))),
        "int primal": inside(lambda: fw.make_dual(lib.arange(3), p)),
        "int tangent": inside(lambda: fw.make_dual(p, lib.arange(3))),
        "dual of dual": inside(lambda: fw.make_dual(fw.make_dual(p, p), p)),
        "level": inside(lambda: fw.make_dual(p, p, level=5)),
        "wrong exit": wrong_exit,
    })
    return cases


@pytest.mark.parametrize("case", list(_errors(torch)))
def test_errors_as_torch(case):
    with pytest.raises(Exception) as want:
        _errors(torch)[case]()
    with pytest.raises(Exception) as got:
        _errors(pyfront)[case]()
    assert_same_error(got.value, want.value)
    assert pfw._current[0] == -1  # no level is left open by the error


# -- custom Functions -----------------------------------------------------------------------------
def _functions(lib):
    fw = FW[lib]

    class NoJvp(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g

    class Scaled(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, k, y):
            ctx.save_for_forward(x, y)
            ctx.k = k
            return x * y * k, x + 1

        @staticmethod
        def jvp(ctx, tx, tk, ty):
            x, y = ctx.saved_tensors
            assert tk is None
            return (tx * y + x * ty) * ctx.k, tx

    class Many(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def jvp(ctx, tx):
            return tx, tx

    class Short(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def jvp(ctx, tx):
            return tx[:1]

    p, t = lib.tensor([1.0, 2.0, 3.0]), lib.tensor([0.5, -1.0, 2.0])
    seen = {}
    with fw.dual_level():
        d = fw.make_dual(p, t)
        a, b = Scaled.apply(d, 2, lib.ones(3))
        seen["jvp"] = [fw.unpack_dual(a).tangent.tolist(), fw.unpack_dual(b).tangent.tolist()]
        a, b = Scaled.apply(p, 2, fw.make_dual(lib.ones(3), t))  # a tensor without a tangent: zeros
        seen["zeros"] = [fw.unpack_dual(a).tangent.tolist(), fw.unpack_dual(b).tangent.tolist()]
        seen["plain"] = NoJvp.apply(p).tolist()
        for name, fn in (("no jvp", NoJvp), ("count", Many), ("size", Short)):
            try:
                fn.apply(d)
            except Exception as e:
                seen[name] = (type(e).__name__, str(e))
    return seen


def test_custom_functions_as_torch():
    assert _functions(pyfront) == _functions(torch)


# -- forward over reverse and reverse over forward ---------------------------------------------------
def _second_order(lib):
    fw = FW[lib]
    x = lib.tensor([0.3, -0.7, 1.2], requires_grad=True)
    v = lib.tensor([1.0, 0.5, -2.0])
    with fw.dual_level():
        d = fw.make_dual(x, v)
        y = (d.sin() * d).sum()
        tangent = fw.unpack_dual(y).tangent  # differentiable: reverse over forward gives H v
        hvp = lib.autograd.grad(tangent, x)[0]
        g = lib.autograd.grad((d.sin() * d).sum(), d, create_graph=True)[0]  # forward over reverse
        fwd_over_rev = fw.unpack_dual(g).tangent
    return [tangent.item(), hvp.tolist(), fwd_over_rev.tolist()]


def test_second_order_as_torch():
    np.testing.assert_allclose(np.array(_second_order(pyfront)[1:]), np.array(_second_order(torch)[1:]),
                               rtol=1e-6)
    assert _second_order(pyfront)[0] == pytest.approx(_second_order(torch)[0])


def _complex(lib):
    fw = FW[lib]
    z, tz = lib.tensor([1 + 2j, -0.5 + 0.25j]), lib.tensor([0.3 - 1j, 2 + 0.5j])
    x, tx = lib.tensor([0.5, 1.5]), lib.tensor([1.0, -2.0])
    with fw.dual_level():
        d, dx = fw.make_dual(z, tz), fw.make_dual(x, tx)
        outs = [d * d, d.abs(), d.conj(), d.conj() * d, d.exp(), d.real * 2, lib.view_as_real(d), d.angle(),
                (d * 1j).sum(), lib.polar(dx, dx), dx * (1 + 1j)]
        return [fw.unpack_dual(o).tangent.resolve_conj().numpy() for o in outs]


def test_complex_tangents_as_torch():  # torch's convention for abs, conj, angle too
    for got, want in zip(_complex(pyfront), _complex(torch)):
        np.testing.assert_allclose(got, want, rtol=1e-6)


# -- the GPU backend ---------------------------------------------------------------------------------
def test_webgpu_tangents_as_torch():
    if not pyfront.webgpu.is_available():
        pytest.skip("no WebGPU adapter")
    rng = np.random.default_rng(0)
    x, tx = rng.standard_normal((4, 5)).astype("float32"), rng.standard_normal((4, 5)).astype("float32")
    w, tw = rng.standard_normal((3, 5)).astype("float32"), rng.standard_normal((3, 5)).astype("float32")

    def run(lib, device):
        fw = FW[lib]
        with fw.dual_level():
            X = fw.make_dual(lib.tensor(x, device=device), lib.tensor(tx, device=device))
            W = fw.make_dual(lib.tensor(w, device=device), lib.tensor(tw, device=device))
            h = (X @ W.T).exp()
            out = (h * 2 + X[:, :3]).sum(0)
            s = lib.zeros(3, device=device)
            s.add_(out)
            return [fw.unpack_dual(o).tangent.cpu().numpy() for o in (h, out, s)]

    for got, want in zip(run(pyfront, "webgpu"), run(torch, "cpu")):
        np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-5)


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_recurrent_layers_whose_weights_require_grad_as_torch(kind):
    """pyfront's own Functions with non-tensor arguments (the recurrent layers' split of the steps, by sizes)
    under forward AD with weights that require grad: the tangent and the gradient of a loss on it, against
    torch's native recurrent kernels (its oneDNN ones have no forward AD)."""
    def run(lib, fw):
        m = getattr(lib.nn, kind)(3, 4, num_layers=2, bidirectional=True)
        with lib.no_grad():
            for p in m.parameters():
                p.copy_(lib.sin(lib.arange(p.numel()).float()).view(p.shape) * 0.3)
        x = lib.cos(lib.arange(6.0)).view(2, 1, 3)
        with fw.dual_level():
            tangent = fw.unpack_dual(m(fw.make_dual(x, lib.ones_like(x)))[0]).tangent
            tangent.sum().backward()
        return tangent.detach().numpy(), next(m.parameters()).grad.numpy()
    # the flags' enter and exit warn (TF32 on oneDNN) once per process: both inside the ignoring catch
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.backends.mkldnn.flags(enabled=False):
            want = run(torch, tfw)
    got = run(pyfront, pfw)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


def _tangent_graphs(lib):
    """Of tangents whose primals require grad: whether each requires grad, its grad_fn's name and the
    gradient of its sum (zeros where torch's formula reads a primal its value does not depend on: d * 2)."""
    fw = FW[lib]
    p = lib.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype=lib.float64, requires_grad=True)
    x = lib.tensor([[1.0, -2.0, 0.5]], dtype=lib.float64)
    with fw.dual_level():
        d = fw.make_dual(p, lib.tensor([[1.0, 2.0, -1.0], [0.5, 0.5, 3.0]], dtype=lib.float64))
        outs = [d, d * 2, d.sum(), d + 1, d.T, d.clone(), d.sin(), d * d, d.exp(), d.abs().log(),
                d.abs().sqrt(), 2 * d, d - 2, x @ d.T, lib.nn.functional.linear(x, d), d @ d.T]
        seen = []
        for o in outs:
            t = fw.unpack_dual(o).tangent
            fn = None if t.grad_fn is None else type(t.grad_fn).__name__
            grad = lib.autograd.grad(t.sum(), p)[0] if t.requires_grad else None
            if grad is not None:  # (torch's zeros there are a ZeroTensor, with no storage to list)
                grad = np.zeros((2, 3)) if getattr(grad, "_is_zerotensor", bool)() else grad.numpy()
            seen.append((t.requires_grad, fn, grad))
    return seen


def test_tangent_graphs_as_torch():  # once pyfront's own LocalGraphBackward, requiring grad everywhere
    for got, want in zip(_tangent_graphs(pyfront), _tangent_graphs(torch)):
        assert got[:2] == want[:2]
        np.testing.assert_allclose(np.array(got[2], dtype=float), np.array(want[2], dtype=float), rtol=1e-6)
