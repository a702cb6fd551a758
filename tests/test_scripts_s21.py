"""APIs real PyTorch programs stopped on (pytorch/examples' mnist_hogwild, test code, compile-era scripts),
each tested against real torch at the level of its kind.

* ``Tensor.set_`` in every call form, with torch's values, strides, offsets, storage growth and errors.
* ``share_memory_``/``is_shared``/``Module.share_memory`` and ``torch.multiprocessing``: a child process
  (forked, spawned or forkserver-started from ``pyfront run``, whose child imports torch as pyfront)
  trains the shared weights and the parent sees the very values torch computes for that step.
* ``torch.jit.script``/``trace``: what a script does with the result (call, print, state_dict, eval,
  attributes, freeze) as torch; archives refused with a clear RuntimeError.
* ``torch._dynamo`` (config, reset, disable, is_compiling), ``torch.testing.assert_allclose``,
  ``torch.library.custom_op`` (with and without ``register_autograd``), ``torch.export.export``.
"""
import json
import os
import subprocess
import sys
import textwrap
import warnings
from multiprocessing.reduction import ForkingPickler
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.multiprocessing  # noqa: F401  (torch's reductions, to compare refusals)

import pyfront
import pyfront.multiprocessing as pmp
from webgpu_required import requires_webgpu

ROOT = Path(__file__).resolve().parents[1]


def _outcome(fn):
    """(kind, value) of running ``fn``: its result as NumPy with shape/strides/offset, or the error."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t = fn()
    except Exception as e:  # noqa: BLE001 - the error itself is compared
        return ("error", type(e).__name__, str(e))
    kinds = sorted({w.category.__name__ for w in caught})
    if t is None:
        return ("none", kinds)
    return ("tensor", t.detach().cpu().numpy().tolist(), tuple(t.shape), tuple(t.stride()),
            t.storage_offset(),
            t._version if not t.is_inference() else None, kinds)


def _set_cases(lib):
    base = lambda: lib.arange(6.0)  # noqa: E731
    cases = {
        "tensor": lambda: lib.zeros(3).set_(base()),
        "tensor view": lambda: lib.zeros(3).set_(base()[1::2]),
        "storage": lambda: lib.zeros(3).set_(base().untyped_storage()),
        "storage view": lambda: lib.zeros(3).set_(base().untyped_storage(), 1, (2, 2), (1, 2)),
        "tensor view args": lambda: lib.zeros(3).set_(base(), 2, (2,)),
        "keywords": lambda: lib.zeros(2).set_(source=base(), storage_offset=0, size=(3,), stride=(2,)),
        "empty": lambda: lib.zeros(3).set_(),
        "zero size": lambda: lib.zeros(3).set_(base(), 4, (0, 3)),
        "dtype": lambda: lib.zeros(3).set_(lib.zeros(2, dtype=lib.int64)),
        "dtype f64": lambda: lib.zeros(3).set_(lib.zeros(2, dtype=lib.float64)),
        "dtype f16": lambda: lib.zeros(3).set_(lib.zeros(2, dtype=lib.float16)),
        "unequal strides": lambda: lib.zeros(3).set_(base(), 0, (2,), (1, 1)),
        "negative offset": lambda: lib.zeros(3).set_(base(), -1, (2,)),
        "negative size": lambda: lib.zeros(3).set_(base(), 0, (-2,)),
        "not resizable": lambda: lib.zeros(3).set_(lib.from_numpy(np.zeros(3, np.float32)), 0, (5,)),
        "leaf requires grad": lambda: lib.zeros(2, requires_grad=True).set_(base()),
        "int source": lambda: lib.zeros(2).set_(3),
        "parameter no_grad": lambda: _param_set(lib),
        "inference": lambda: _inference_set(lib),
        "views keep old memory": lambda: _views_keep(lib),
    }
    return cases


def _param_set(lib):
    p = lib.nn.Parameter(lib.zeros(2))
    with lib.no_grad():
        p.set_(lib.ones(4))
    assert type(p) is lib.nn.Parameter and p.requires_grad
    return p


def _inference_set(lib):
    with lib.inference_mode():
        t = lib.zeros(2)
    return t.set_(lib.ones(3))


def _views_keep(lib):
    x = lib.arange(4.0)
    y = x.view(2, 2)
    x.set_(lib.ones(5))
    return lib.cat([y.reshape(-1), x])


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_set_is_torchs(device):
    ours, theirs = _set_cases(pyfront), _set_cases(torch)
    with pyfront.device(device):
        got = {name: _outcome(fn) for name, fn in ours.items()
               if device == "cpu" or name not in ("not resizable", "dtype f64")}  # cpu-only dtype, from_numpy
    for name, outcome in got.items():
        want = _outcome(theirs[name])
        if name == "int source":  # torch lists its overloads' mismatches; the first line is what is kept
            assert outcome[:2] == want[:2] and outcome[2].split(" - got")[0] == want[2].split(" - got")[0]
            continue
        assert outcome == want, name


def test_set_with_history_refuses_clearly():
    # torch records a node whose backward raises; pyfront refuses at set_ (never a stale history)
    a = pyfront.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="set_.*not differentiable"):
        (a * 2).set_(pyfront.zeros(3))
    with pytest.raises(RuntimeError, match="set_.*not differentiable"):
        pyfront.zeros(2).set_(pyfront.ones(3, requires_grad=True))
    # torch grows the storage under every tensor reading it; pyfront refuses (its views know their extent)
    with pytest.raises(RuntimeError, match="cannot grow a storage"):
        pyfront.zeros(1).set_(pyfront.arange(4.0), 1, (2, 2), (1, 2))


def test_share_memory_and_reductions():
    for lib in (torch, pyfront):
        t = lib.arange(4.0)
        assert not t.is_shared()
        assert t.share_memory_() is t and t.is_shared() and t.share_memory_().is_shared()
        m = lib.nn.Linear(3, 2)
        assert m.share_memory() is m
        assert all(p.is_shared() for p in m.parameters())
    # a non-leaf that requires grad is refused, with torch's text
    errors = []
    for lib in (torch, pyfront):
        x = lib.ones(2, requires_grad=True) * 2
        with pytest.raises(RuntimeError) as e:
            ForkingPickler.dumps(x)
        errors.append(str(e.value))
    assert errors[0] == errors[1]
    # through ForkingPickler (a queue, a spawned Process's arguments): the same memory, views included
    t = pyfront.arange(6.0)
    v = t[1:5:2]
    u, w = ForkingPickler.loads(ForkingPickler.dumps((t, v)))
    assert u._storage is w._storage and w.tolist() == [1.0, 3.0] and u.is_shared()
    u[1] = 100.0
    assert t[1].item() == 100.0 and v[0].item() == 100.0
    p = ForkingPickler.loads(ForkingPickler.dumps(pyfront.nn.Parameter(pyfront.ones(2))))
    assert type(p) is pyfront.nn.Parameter and p.requires_grad
    for m in (torch.multiprocessing, pmp):
        assert m.get_sharing_strategy() == "file_descriptor"
        assert m.get_all_sharing_strategies() == {"file_descriptor", "file_system"}
    with pytest.raises(AssertionError) as e:
        pmp.set_sharing_strategy("bad")
    with pytest.raises(AssertionError) as t_e:
        torch.multiprocessing.set_sharing_strategy("bad")
    assert str(e.value) == str(t_e.value)


@requires_webgpu
def test_share_memory_webgpu_refuses_clearly():
    with pytest.raises(RuntimeError, match="cannot share a webgpu tensor"):
        pyfront.ones(2, device="webgpu").share_memory_()


HOGWILD = textwrap.dedent("""
    import json
    import sys
    import torch
    import torch.multiprocessing as mp

    class Where(torch.utils.data.Dataset):  # a DataLoader worker's torch, started the same way
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return torch.__name__  # (classes print torch's names under run: the module tells)

    def train(model, steps):
        assert torch.__name__ == "pyfront", "the child's torch is not pyfront"
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.5)
        for i in range(steps):
            opt.zero_grad()
            model(torch.arange(6.0).reshape(2, 3) / (i + 1)).pow(2).sum().backward()
            opt.step()

    if __name__ == "__main__":
        results = []
        for method in ("fork", "spawn", "forkserver"):
            model = torch.nn.Linear(3, 2)
            with torch.no_grad():
                model.weight.copy_(torch.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]))
                model.bias.copy_(torch.tensor([0.05, -0.05]))
            model.share_memory()
            p = mp.get_context(method).Process(target=train, args=(model, 3))
            p.start()
            p.join()
            assert p.exitcode == 0, p.exitcode
            if method != "spawn":  # a spawned worker starts as the spawned Process above did: one is enough
                loader = torch.utils.data.DataLoader(Where(), batch_size=2, num_workers=1,
                                                     multiprocessing_context=method)
                assert next(iter(loader)) == ["pyfront"] * 2, method
            results.append([model.weight.tolist(), model.bias.tolist()])
        print(json.dumps(results))
""")


def test_hogwild_child_trains_the_shared_weights(tmp_path):
    script = tmp_path / "hog.py"
    script.write_text(HOGWILD)
    env = {k: v for k, v in os.environ.items() if k != "PYFRONT_CUDA_AS"}
    env.update(OPENBLAS_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "pyfront", "run", str(script)], capture_output=True,
                          text=True, cwd=tmp_path, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout)
    model = torch.nn.Linear(3, 2)  # the same training in this process, in torch
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]))
        model.bias.copy_(torch.tensor([0.05, -0.05]))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.5)
    for i in range(3):
        opt.zero_grad()
        model(torch.arange(6.0).reshape(2, 3) / (i + 1)).pow(2).sum().backward()
        opt.step()
    for weight, bias in results:  # fork, spawn, forkserver
        torch.testing.assert_close(torch.tensor(weight), model.weight.detach())
        torch.testing.assert_close(torch.tensor(bias), model.bias.detach())


def _jit_net(lib):
    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = lib.nn.Linear(2, 3)
            self.seq = lib.nn.Sequential(lib.nn.ReLU(), lib.nn.Linear(3, 1))
            self.register_buffer("b", lib.ones(1))
            self.scale = 2.0

        def forward(self, x):
            return self.seq(self.fc(x)) * self.scale + self.b

        def helper(self):
            return self.scale
    return Net()


@pytest.mark.parametrize("how", ["script", "trace"])
def test_jit_module_is_used_as_torchs(how):
    results = []
    for lib in (torch, pyfront):
        m = _jit_net(lib)
        if lib is pyfront:
            m.load_state_dict({k: pyfront.tensor(v.numpy()) for k, v in results[0]["weights"].items()})
        x = lib.arange(4.0).reshape(2, 2)
        s = lib.jit.script(m) if how == "script" else lib.jit.trace(m, (x,))
        r = {"repr": repr(s), "type": type(s).__name__, "child": type(s.fc).__name__,
             "keys": list(s.state_dict()), "out": s(x).tolist(), "same param": s.fc.weight is m.fc.weight,
             "module": isinstance(s, lib.nn.Module), "script module": isinstance(s, lib.jit.ScriptModule),
             "original": (s.original_name, s.fc.original_name), "scripted again": lib.jit.script(s) is s,
             "flags": (lib.jit.is_scripting(), lib.jit.is_tracing())}
        s.eval()
        r["training"] = (s.training, m.training)
        s.extra = 1
        r["attr on original"] = hasattr(m, "extra")
        if how == "script":  # torch's traced module keeps no plain attribute; pyfront's runs Python: it does
            r["scale"] = s.scale
        errors = []
        for bad in (m, _jit_net(lib), s):
            try:
                errors.append(type(lib.jit.freeze(lib.jit.script(bad) if bad is not m else bad)).__name__)
            except RuntimeError as e:
                errors.append(str(e))
        r["freeze"] = errors
        r["weights"] = m.state_dict()
        results.append(r)
    ref = results[0].pop("weights")
    results[1].pop("weights")
    assert results[1] == results[0]
    assert ref is not None


def _mixed_script_trace(lib):
    class Gate(lib.nn.Module):
        def forward(self, x):
            return x if x.sum() > 0 else -x

    class Cell(lib.nn.Module):
        def __init__(self, gate):
            super().__init__()
            self.gate, self.linear = gate, lib.nn.Linear(4, 4)

        def forward(self, x, h):
            return lib.tanh(self.gate(self.linear(x)) + h)

    class Loop(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.cell = lib.jit.trace(Cell(lib.jit.script(Gate())), (lib.ones(3, 4), lib.ones(3, 4)))

        def forward(self, xs):
            h = lib.zeros(3, 4)
            for i in range(xs.size(0)):
                h = self.cell(xs[i], h)
            return h

    class Wrap(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.loop = lib.jit.script(Loop())

        def forward(self, xs):
            return lib.relu(self.loop(xs))
    traced = lib.jit.trace(Wrap(), (lib.ones(5, 3, 4),))
    return [repr(lib.jit.script(Loop())), repr(traced), tuple(traced(lib.ones(5, 3, 4)).shape)]


def test_jit_mixed_scripting_and_tracing_prints_as_torchs():
    assert _mixed_script_trace(pyfront) == _mixed_script_trace(torch)


def test_jit_rest():
    for lib in (torch, pyfront):
        @lib.jit.script
        def twice(x):
            return x * 2

        assert twice(lib.ones(2)).tolist() == [2.0, 2.0]
        assert lib.jit.wait(lib.jit.fork(lambda a: a + 1, lib.ones(1))).tolist() == [2.0]
        assert lib.jit.annotate(int, 3) == 3

        class M(lib.nn.Module):
            @lib.jit.ignore
            def a(self):
                return 1

            @lib.jit.unused
            def b(self):
                return 2

            @lib.jit.export
            def c(self):
                return 3

            def forward(self, x):
                return x
        m = M()
        assert (m.a(), m.b(), m.c()) == (1, 2, 3)
    s = pyfront.jit.script(_jit_net(pyfront))
    for call in (lambda: s.save("m.pt"), lambda: pyfront.jit.save(s, "m.pt"),
                 lambda: pyfront.jit.load("m.pt"),
                 lambda: s.code, lambda: pyfront.export.save(None, "m.pt2")):
        with pytest.raises(RuntimeError, match="pyfront (cannot|has no TorchScript)"):
            call()


def test_dynamo_names():
    import torch._dynamo
    for lib in (torch, pyfront):
        dyn = lib._dynamo
        assert dyn.config.cache_size_limit == 8 and dyn.config.suppress_errors is False
        old = dyn.config.cache_size_limit
        dyn.config.cache_size_limit = 64
        assert dyn.config.cache_size_limit == 64
        dyn.config.cache_size_limit = old
        assert dyn.is_compiling() is False and dyn.reset() is None
        f = lambda x: x  # noqa: E731
        assert dyn.disable(f)(3) == 3 and dyn.disable()(f)(4) == 4
        config = dyn.config
        with pytest.raises(AttributeError, match=r"^torch\._dynamo\.config\.no_such_knob does not exist$"):
            config.no_such_knob = 1
        with pytest.raises(AttributeError, match=r"^torch\._dynamo\.config\.no_such_knob does not exist$"):
            config.no_such_knob  # noqa: B018


ALLCLOSE = [((1.0, 1.0), {}), (([1.0, 2.0], [1.0, 2.0]), {}), (("ones", "zeros"), {}),
            (("ones", "ones+1e-5"), {}), (("ones", "ones+5e-6"), {}), (("nan", float("nan")), {}),
            (("nan", float("nan")), {"equal_nan": False}), (("ones", "ones"), {"rtol": 1e-3}),
            (("ones64", "ones"), {}), (("ones", [1.0, 1.0]), {}), (("ones", "zeros"), {"msg": "custom"}),
            (("ones", "zeros"), {"rtol": 0.0, "atol": 1.5}), (("int", "int+1"), {})]


def _operand(lib, x):
    table = {"ones": lambda: lib.ones(2), "zeros": lambda: lib.zeros(2),
             "ones+1e-5": lambda: lib.ones(2) + 1e-5,
             "ones+5e-6": lambda: lib.ones(2) + 5e-6, "nan": lambda: lib.tensor(float("nan")),
             "ones64": lambda: lib.ones(2, dtype=lib.float64), "int": lambda: lib.tensor([1, 2]),
             "int+1": lambda: lib.tensor([1, 3])}
    return table[x]() if isinstance(x, str) else x


def test_assert_allclose_is_torchs():
    for (a, b), kwargs in ALLCLOSE:
        outcomes = []
        for lib in (torch, pyfront):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    lib.testing.assert_allclose(_operand(lib, a), _operand(lib, b), **kwargs)
                    outcome = None
                except Exception as e:  # noqa: BLE001
                    outcome = (type(e).__name__, str(e))
            outcomes.append((outcome, [(w.category.__name__, str(w.message)) for w in caught]))
        assert outcomes[1] == outcomes[0], (a, b, kwargs)


def test_custom_op_is_torchs():
    results = []
    for lib, ns in ((torch, "s21torch"), (pyfront, "s21pyfront")):
        r = []

        @lib.library.custom_op(f"{ns}::scale", mutates_args=())
        def scale(x: lib.Tensor, k: float) -> lib.Tensor:
            return x * k

        x = lib.arange(3.0, requires_grad=True)
        r.append(scale(x, 2.0).tolist())
        r.append(getattr(lib.ops, ns).scale(x, 3.0).tolist())
        try:
            scale(x, 2.0).sum().backward()
        except RuntimeError as e:
            r.append(str(e).replace(ns, "NS"))

        def setup(ctx, inputs, output):
            ctx.k = inputs[1]

        scale.register_autograd(lambda ctx, g: (g * ctx.k * 10, None), setup_context=setup)
        scale(x, 2.0).sum().backward()
        r.append(x.grad.tolist())

        @scale.register_fake
        def _(x, k, empty_like=lib.empty_like):
            return empty_like(x)
        try:
            @lib.library.custom_op(f"{ns}::nohint", mutates_args=())
            def nohint(x):
                return x
        except ValueError as e:
            r.append(str(e))
        results.append(r)
    assert results[1] == results[0]


def test_export_program():
    results = []
    for lib in (torch, pyfront):
        m = lib.nn.Linear(2, 2)
        ep = lib.export.export(m, (lib.ones(1, 2),))
        r = [type(ep).__name__, list(ep.state_dict), tuple(ep.module()(lib.ones(1, 2)).shape)]
        try:
            ep(lib.ones(1, 2))
        except RuntimeError as e:
            r.append(str(e))
        results.append(r)
    assert results[1] == results[0]


def test_compressed_sparse_layouts_refuse_clearly():
    for name in ("to_sparse_csr", "to_sparse_csc", "to_sparse_bsr", "to_sparse_bsc"):
        with pytest.raises(RuntimeError, match="sparse COO tensors only"):
            getattr(pyfront.ones(2, 2), name)()


def test_distributed_single_process_answers():
    import torch.distributed as tdist
    assert pyfront.distributed.is_initialized() is tdist.is_initialized() is False
    assert pyfront.distributed.is_available() is False  # pyfront has no backend; scripts then stay single
    for name in ("get_rank", "get_world_size", "barrier"):
        errors = []
        for dist in (tdist, pyfront.distributed):
            with pytest.raises(ValueError) as e:
                getattr(dist, name)()
            errors.append(str(e.value))
        assert errors[0] == errors[1]
    with pytest.raises(RuntimeError, match="pyfront has no distributed backend"):
        pyfront.distributed.init_process_group("gloo")
    from pyfront.distributed import ReduceOp, destroy_process_group, init_process_group  # noqa: F401
    assert ReduceOp.SUM.name == tdist.ReduceOp.SUM.name


def _identity_method(self, x):
    return x


def test_jit_deprecation_warnings_are_torchs():
    seen = []
    for lib in (torch, pyfront):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.jit.script(lib.nn.Linear(2, 2))
            lib.jit.trace(lib.nn.Linear(2, 2), (lib.ones(1, 2),))
            lib.jit.script_method(_identity_method)
        # the distinct ones: torch repeats some from its internal calls
        seen.append({(w.category.__name__, str(w.message)) for w in caught if "jit" in str(w.message)})
    assert seen[1] == seen[0] and len(seen[0]) == 4


def test_utils_hooks_as_torchs():
    import torch.utils.hooks  # noqa: F401
    seen = []
    for lib in (torch, pyfront):
        hooks = lib.utils.hooks
        h = hooks.RemovableHandle(type("D", (dict,), {})())
        r = [isinstance(h.id, int), hooks.unserializable_hook(_identity_method) is _identity_method,
             _identity_method.__torch_unserializable__]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t = lib.ones(2, requires_grad=True)
            t.register_hook(lambda g: g)
            u = lib.ones(2, requires_grad=True) * 2
            u.register_hook(hooks.unserializable_hook(lambda g: g))
            hooks.warn_if_has_hooks(t)
            hooks.warn_if_has_hooks(u)
            hooks.warn_if_has_hooks(lib.ones(2))
        r.append([str(w.message).split(" on tensor")[1] for w in caught])
        seen.append(r)
    assert seen[1] == seen[0]


def test_device_context_manager_nests_as_torchs():
    seen = []
    for lib, other in ((torch, "meta"), (pyfront, "webgpu")):  # torch's CPU build has no webgpu
        name = lambda d, other=other: "OTHER" if d.type == other else d.type  # noqa: E731
        kinds = [name(lib.get_default_device())]
        with lib.device(other) as d:
            kinds.append((name(d), name(lib.get_default_device())))
            with lib.device("cpu"):
                kinds.append(name(lib.get_default_device()))
            kinds.append(name(lib.get_default_device()))
        kinds.append(name(lib.get_default_device()))
        seen.append(kinds)
    assert seen[1] == seen[0] == ["cpu", ("OTHER", "OTHER"), "cpu", "OTHER", "cpu"]


def test_set_storage_of_another_dtype_reads_its_bytes_as_torch():
    """torch reinterprets another dtype's storage bytes; pyfront's typed storages gave the old values (and
    their count) silently, then refused: now a storage over the same memory reads them (as view(dtype))."""
    seen = []
    for lib in (torch, pyfront):
        a = lib.arange(6.0)
        got = []
        for dtype in (lib.float64, lib.int32, lib.uint8, lib.int16):
            y = lib.empty(0, dtype=dtype).set_(a.untyped_storage(), 0, (3,))
            whole = lib.empty(0, dtype=dtype).set_(a.untyped_storage())
            y.fill_(1)
            got.append((y.tolist(), whole.shape[0], y.data_ptr() == a.data_ptr(), a.tolist()))
        seen.append(got)
    assert seen[1] == seen[0]
    a = pyfront.arange(6.0)
    same = pyfront.empty(0).set_(a.untyped_storage(), 1, (3,))
    assert same.tolist() == torch.empty(0).set_(torch.arange(6.0).untyped_storage(), 1, (3,)).tolist()
