"""``out=`` against real torch: which functions take it (torch's own stubs decide), and for every op-table
row whose torch function takes it, a preallocated ``out`` of the right shape, a wrong non-empty shape,
no elements, a non-contiguous view, and another dtype: values written, ``r is out``, warnings and errors
all torch's, on cpu and webgpu. Then factories, autograd, aliasing and the cost of a call without out."""

import ast
import inspect
import pathlib
import warnings

import numpy as np
import pytest
import torch
from optable import assert_same, assert_same_error, build, entries, to_numpy, warns_as
from webgpu_required import requires_webgpu

import pyfront
from pyfront.ops.outarg import TAKES_OUT

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _torch_takes_out():
    """torch.* names whose Python signature has ``out``: the generated stub of its C functions, and the
    signature of its Python-level ones."""
    stub = pathlib.Path(torch._C.__file__).parent / "_C" / "_VariableFunctions.pyi"
    with_out = set()
    for node in ast.parse(stub.read_text()).body:
        if isinstance(node, ast.FunctionDef):
            if "out" in [a.arg for a in node.args.args + node.args.kwonlyargs]:
                with_out.add(node.name)
    names = set()
    for name in dir(pyfront):
        fn = getattr(torch, name, None)
        if name.startswith("_") or not callable(fn) or isinstance(fn, type):
            continue
        try:
            takes = "out" in inspect.signature(fn).parameters
        except (TypeError, ValueError):
            takes = name in with_out
        if takes:
            names.add(name)
    return names


def test_the_functions_that_take_out_are_torchs():
    expected = _torch_takes_out()
    assert len(expected) > 150  # the discovery found torch's functions
    assert sorted(TAKES_OUT - expected) == [] and sorted(expected - TAKES_OUT) == []
    for name in TAKES_OUT:  # and each takes it in pyfront's signature too (stubs, help())
        assert "out" in inspect.signature(getattr(pyfront, name)).parameters, name


def _rows():
    """Two samples of each op on cpu, the first on webgpu (lavapipe compiles a kernel per op)."""
    rows = []
    for name, torch_name, samples, domain, _ in entries(edge=False):
        if torch_name in TAKES_OUT:
            for i in range(min(2, len(samples))):
                rows.append(pytest.param(torch_name, samples[i], domain, "cpu", id=f"{name}-{i}-cpu"))
            rows.append(pytest.param(torch_name, samples[0], domain, "webgpu", id=f"{name}-0-webgpu",
                                     marks=requires_webgpu))
    return rows


ROWS = _rows()


def _variants(t_result):
    """(label, builder) of the ``out`` tensors to try for one result: ``builder(lib, shape, dtype)``."""
    shape = tuple(t_result.shape)
    wrong = (7,) if shape != (7,) else (2, 2)
    other = "int64" if t_result.dtype.is_floating_point else "float32"
    variants = [("right", lambda lib, d: lib.zeros(shape, dtype=d)),
                ("resized", lambda lib, d: lib.zeros(wrong, dtype=d)),
                ("empty", lambda lib, d: lib.zeros(0, dtype=d)),
                ("other-dtype", lambda lib, d: lib.zeros(shape, dtype=getattr(lib, other)))]
    if len(shape) >= 2:
        variants.append(("view", lambda lib, d: lib.zeros(shape[::-1], dtype=d).permute(
            *reversed(range(len(shape))))))
    return variants


def _dtype(lib, t):
    return getattr(lib, str(t.dtype).split(".")[1])


@pytest.mark.parametrize("torch_name,sample,domain,device", ROWS)
def test_out_is_written_as_torch_writes_it(torch_name, sample, domain, device):
    rng = np.random.default_rng(0)
    args, kwargs = sample
    built = [build(a, domain, rng, device) for a in args]
    kw_built = {k: build(v, domain, rng, device) for k, v in kwargs.items()}
    detach = lambda x: x.detach() if hasattr(x, "detach") else x  # noqa: E731
    p_args, t_args = [detach(b[0]) for b in built], [detach(b[1]) for b in built]
    p_kw = {k: detach(v[0]) for k, v in kw_built.items()}
    t_kw = {k: detach(v[1]) for k, v in kw_built.items()}
    _compare_outs(torch_name, p_args, t_args, p_kw, t_kw, device)


def _compare_outs(torch_name, p_args, t_args, p_kw, t_kw, device):
    """Each ``out`` variant through torch and pyfront: the same error, or the same warnings, values and
    ``r is out``."""
    pfn, tfn = getattr(pyfront, torch_name), getattr(torch, torch_name)
    with warnings.catch_warnings():  # one-time warnings (deprecations, webgpu's CPU fallback) go here
        warnings.simplefilter("ignore")
        try:
            t_plain = tfn(*t_args, **t_kw)
        except Exception:
            return  # a sample torch refuses: the op table checks that error
        many = isinstance(t_plain, tuple)
        t_results = t_plain if many else (t_plain,)
        if not all(isinstance(r, torch.Tensor) for r in t_results):
            return
        if device != "cpu" and any(r.dtype == torch.float64 for r in t_results):
            return  # no float64 on webgpu (float_power's result): the op table checks that refusal
        pfn(*p_args, **p_kw)
    for i, (label, _) in enumerate(_variants(t_results[0])):
        def outs(lib, dev=None, i=i):
            made = [_variants(r)[min(i, len(_variants(r)) - 1)][1](lib, _dtype(lib, r)) for r in t_results]
            made = [m.to(dev) for m in made] if dev else made
            return tuple(made) if many else made[0]
        t_out, p_out = outs(torch), outs(pyfront, device)
        with warnings.catch_warnings(record=True) as t_warned:
            warnings.simplefilter("always")
            try:
                t_r = tfn(*t_args, **t_kw, out=t_out)
            except Exception as e:
                with pytest.raises(type(e)) as got, warns_as(t_warned):
                    pfn(*p_args, **p_kw, out=p_out)
                assert_same_error(got.value, e)
                continue
        # deprecations (torch.ger, qr, cholesky) are TORCH_WARN_ONCE at each of their call sites
        t_warned = [w for w in t_warned if not str(w.message).startswith(("torch.ger is", "torch.qr is",
                                                                          "torch.cholesky is"))]
        with warns_as(t_warned):
            p_r = pfn(*p_args, **p_kw, out=p_out)
        if many:
            assert type(p_r).__name__ == type(t_r).__name__, label
            assert all(a is b for a, b in zip(p_r, p_out)), label
        else:
            assert p_r is p_out, label
        tol = dict(rtol=1e-3, atol=1e-5) if device != "cpu" else {}
        assert_same(p_out, t_out, **tol)


# functions the op table has no row for (aliases, joins, decompositions): one call each
_M = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]], dtype=np.float32)
_V = np.array([[0.3, -0.7, 0.9], [0.1, 0.5, -0.2]], dtype=np.float32)
EXTRA = {
    **{name: lambda lib: ((lib.tensor(_V / 2),), {}) for name in ("absolute", "arccos", "arcsin", "arctan",
                                                                   "negative", "square")},
    **{name: lambda lib: ((lib.tensor(_V), lib.tensor(_V[::-1].copy())), {}) for name in (
        "arctan2", "divide", "multiply", "subtract", "true_divide", "greater", "greater_equal", "less",
        "less_equal", "not_equal", "clamp_max", "clamp_min")},
    "clip": lambda lib: ((lib.tensor(_V), -0.25, 0.25), {}),
    **{name: lambda lib: (([lib.tensor(_V), lib.tensor(_V * 2)],), {}) for name in (
        "cat", "stack", "hstack", "vstack", "dstack", "column_stack", "concat", "concatenate")},
    "cross": lambda lib: ((lib.tensor(_V), lib.tensor(_V[::-1].copy())), {"dim": 1}),
    **{name: lambda lib: ((lib.tensor(_M),), {}) for name in ("cholesky", "inverse", "slogdet", "qr")},
    "cholesky_inverse": lambda lib: ((lib.tensor(np.linalg.cholesky(_M)),), {}),
    "cholesky_solve": lambda lib: ((lib.tensor(_V.T.copy()), lib.tensor(np.linalg.cholesky(_M))), {}),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", sorted(EXTRA))
def test_out_of_the_functions_without_a_row(name, device):
    (t_args, t_kw), (p_args, p_kw) = EXTRA[name](torch), EXTRA[name](pyfront)
    to = lambda x: [to(v) for v in x] if isinstance(x, list) else x.to(device) if hasattr(x, "to") else x  # noqa: E731
    _compare_outs(name, [to(a) for a in p_args], t_args, p_kw, t_kw, device)


@pytest.mark.parametrize("device", DEVICES)
def test_factories_take_dtype_and_device_from_out(device):
    calls = [("zeros", (2, 3)), ("ones", (4,)), ("arange", (5,)), ("arange", (1, 7, 2)),
             ("full", ((2, 2), 3)), ("eye", (3,)), ("linspace", (0, 1, 5)), ("logspace", (0, 2, 3)),
             ("empty", (0,))]
    for name, args in calls:
        for dtype in ("float32", "int64"):
            t_out, p_out = torch.zeros(1, dtype=getattr(torch, dtype)), pyfront.zeros(
                1, dtype=getattr(pyfront, dtype), device=device)
            with warnings.catch_warnings(record=True) as t_warned:
                warnings.simplefilter("always")
                getattr(torch, name)(*args, out=t_out)
            with warns_as(t_warned):
                p_r = getattr(pyfront, name)(*args, out=p_out)
            assert p_r is p_out and p_r.device.type == device
            assert_same(p_out, t_out)
    for name, args in (("rand", (2, 3)), ("randn", (4,)), ("randint", (5, (3,))), ("randperm", (6,))):
        p_out = pyfront.zeros(0, device=device, dtype=pyfront.int64 if name.startswith("randi")
                              or name == "randperm" else pyfront.float32)
        assert getattr(pyfront, name)(*args, out=p_out) is p_out
        assert tuple(p_out.shape) == tuple(getattr(torch, name)(*args).shape)
    t_out, p_out = torch.zeros(3), pyfront.zeros(3, device=device)
    torch.ones(2, out=t_out, requires_grad=True)
    assert pyfront.ones(2, out=p_out, requires_grad=True) is p_out
    assert p_out.requires_grad == t_out.requires_grad
    with pytest.raises(RuntimeError) as t_err:
        torch.zeros(2, out=torch.zeros(0, dtype=torch.long), dtype=torch.float)
    with pytest.raises(RuntimeError) as got:
        pyfront.zeros(2, out=pyfront.zeros(0, dtype=pyfront.long, device=device), dtype=pyfront.float)
    assert_same_error(got.value, t_err.value)


def _same_call(fn_name, make_args, make_out):
    """torch and pyfront (cpu) raise the same error for the call, or both return ``out``."""
    with pytest.raises(Exception) as t_err:
        getattr(torch, fn_name)(*make_args(torch), out=make_out(torch))
    with pytest.raises(type(t_err.value)) as got:
        getattr(pyfront, fn_name)(*make_args(pyfront), out=make_out(pyfront))
    assert_same_error(got.value, t_err.value)


def test_out_refuses_autograd_as_torch():
    grad = lambda lib: (lib.ones(3, requires_grad=True), lib.ones(3))  # noqa: E731
    _same_call("add", grad, lambda lib: lib.empty(3))
    _same_call("add", lambda lib: (lib.ones(3), lib.ones(3)), lambda lib: lib.empty(3, requires_grad=True))
    _same_call("cat", lambda lib: ([lib.ones(3, requires_grad=True)],), lambda lib: lib.empty(3))
    _same_call("max", lambda lib: (lib.ones(2, 3, requires_grad=True), 1),
               lambda lib: (lib.empty(0), lib.empty(0, dtype=lib.long)))
    for lib in (torch, pyfront):  # under no_grad an out that requires grad is written and keeps the flag
        o = lib.empty(3, requires_grad=True)
        with lib.no_grad():
            assert lib.add(lib.ones(3), lib.ones(3), out=o) is o
        assert o.requires_grad and o.tolist() == [2.0, 2.0, 2.0]


@pytest.mark.parametrize("device", DEVICES)
def test_out_aliasing_an_input_and_out_on_another_device(device):
    for lib, dev in ((torch, "cpu"), (pyfront, device)):
        a = lib.arange(6.0).reshape(2, 3).to(dev)
        b = lib.ones(2, 3).to(dev) * 2
        lib.add(a, b, out=a)
        lib.mul(a, a, out=b)
        lib.sub(a[:, 1:], a[:, :2], out=a[:, :2])  # into a view of the input it reads
        lib.cumsum(b, 1, out=b)
        if lib is torch:
            expected = (a.clone(), b.clone())
    assert_same(a, expected[0]) and assert_same(b, expected[1])
    if device != "cpu":
        with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device, but found at "
                           "least two devices, webgpu:0 and cpu!"):
            pyfront.add(pyfront.ones(2), pyfront.ones(2), out=pyfront.empty(2, device=device))


@pytest.mark.parametrize("device", DEVICES)
def test_out_through_lazy_fusion(device):
    """A chain whose steps write into outs: each out holds its step's value when read (fusion may keep
    them pending until then)."""
    x = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    results = []
    for lib, dev in ((torch, "cpu"), (pyfront, device)):
        a = lib.tensor(x).to(dev)
        o1, o2 = lib.empty(0).to(dev), lib.empty(3, 4).to(dev)
        lib.exp(a, out=o1)
        lib.mul(o1, a, out=o2)
        lib.add(o2, 1, out=o1)
        with pytest.warns(UserWarning, match=r"resized since it had shape \[3, 4\]"):
            lib.sum(o1, 1, out=o2)  # resized from the pending product
        results.append((o1, o2))
    assert_same(results[1][0], results[0][0], rtol=1e-5, atol=1e-6)
    assert_same(results[1][1], results[0][1], rtol=1e-5, atol=1e-6)
    assert to_numpy(results[1][1]).shape == (3,)
