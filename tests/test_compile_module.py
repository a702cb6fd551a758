"""torch.compile(module) returns an OptimizedModule as torch's: `_orig_mod` is the module, parameters shared,
state_dict keys under `_orig_mod.`, attributes read and written through, training mode shared, print, deepcopy
and pickle as torch's; its forward is the module's (pyfront compiles nothing: eager is what a compiled module
computes). torch.compile(fn) returns a callable that runs fn. Each row runs in pyfront (cpu and webgpu) and
torch and compares the outcomes."""
import copy
import pickle

import numpy as np
import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


@pytest.fixture(autouse=True, scope="module")
def _torch_distributions_validation_kept():
    """torch.compile's first call (dynamo's set-up) turns torch.distributions' argument validation off for the
    whole process, and later tests compare pyfront's validation errors with torch's."""
    before = torch.distributions.Distribution._validate_args
    yield
    torch.distributions.Distribution.set_default_validate_args(before)
MODULES = {
    "Sequential": lambda nn: nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)),
    "Linear": lambda nn: nn.Linear(3, 2),
    "Conv+BN": lambda nn: nn.Sequential(nn.Conv1d(3, 2, 1), nn.BatchNorm1d(2)),
    "LazyLinear": lambda nn: nn.LazyLinear(2),
}
ROWS = {  # (name, action on L (the library), m (the module) and c (its compiled wrapper))
    "type": lambda L, m, c: (type(c).__name__, [k.__name__ for k in type(c).__mro__]),
    "_orig_mod": lambda L, m, c: c._orig_mod is m,
    "repr": lambda L, m, c: repr(c),
    "state_dict keys": lambda L, m, c: list(c.state_dict()),
    "named_parameters": lambda L, m, c: [n for n, _ in c.named_parameters()],
    "named_buffers": lambda L, m, c: [n for n, _ in c.named_buffers()],
    "named_modules": lambda L, m, c: [n for n, _ in c.named_modules()],
    "parameters shared": lambda L, m, c: [a is b for a, b in zip(c.parameters(), m.parameters())],
    "own state_dict": lambda L, m, c: str(c.load_state_dict(c.state_dict())),
    "module's state_dict": lambda L, m, c: str(c.load_state_dict(m.state_dict())),
    "into the module": lambda L, m, c: str(m.load_state_dict(c.state_dict())),
    "eval": lambda L, m, c: (c.eval() is c, m.training, c.training),
    "module train": lambda L, m, c: (m.eval(), m.train(), c.training)[2],
    "getattr": lambda L, m, c: [getattr(c, a, "-") is getattr(m, a, "-") for a in ("in_features", "weight")],
    "missing attribute": lambda L, m, c: c.nothing_here,
    "setattr": lambda L, m, c: (setattr(c, "tag", 5), m.tag, "tag" in vars(c))[1:],
    "delattr": lambda L, m, c: (setattr(c, "tag", 5), delattr(c, "tag"), hasattr(m, "tag"))[2],
    "len": lambda L, m, c: len(c),
    "index": lambda L, m, c: c[0],
    "to": lambda L, m, c: c.to(L.float16) is c and next(m.parameters()).dtype == L.float16,
    "deepcopy": lambda L, m, c: (repr(copy.deepcopy(c)), copy.deepcopy(c)._orig_mod is m),
    "pickle": lambda L, m, c: repr(pickle.loads(pickle.dumps(c))),
    "compile twice": lambda L, m, c: type(L.compile(c)).__name__,
    "disable": lambda L, m, c: L.compile(m, disable=True) is m,
    "Module.compile": lambda L, m, c: (m.compile(), repr(m))[1],
    "Module.compile bad mode": lambda L, m, c: m.compile(mode="fastest"),
}


def _outcome(fn):
    try:
        return "value", fn()
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
        return type(e).__name__, torch_text(e)


@pytest.mark.parametrize("row", ROWS)
@pytest.mark.parametrize("name", MODULES)
def test_compiled_module_as_torch(name, row):
    results = []
    for L in (torch, pyfront):
        m = MODULES[name](L.nn)
        results.append(_outcome(lambda L=L, m=m: ROWS[row](L, m, L.compile(m))))
    assert results[1] == results[0]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", MODULES)
def test_compiled_forward_and_training_as_torch(name, device):
    """The wrapper's forward (and backward, an optimizer step through its parameters) is the module's."""
    x = np.random.default_rng(0).standard_normal((4, 3) if "Linear" in name or name == "Sequential"
                                                   else (4, 3, 5)).astype(np.float32)
    t_mod = MODULES[name](torch.nn)
    t_mod(torch.tensor(x))  # materializes a lazy one: its values are copied in below
    p_mod = MODULES[name](pyfront.nn).to(device)
    p_mod(pyfront.tensor(x, device=device))
    compiled = [pyfront.compile(p_mod), torch.compile(t_mod, backend="eager")]
    compiled[0].load_state_dict({k: pyfront.tensor(v.numpy()) for k, v in compiled[1].state_dict().items()})
    outs = []
    for c, L, d in zip(compiled, (pyfront, torch), (device, "cpu")):
        opt = L.optim.SGD(c.parameters(), lr=0.1)
        loss = c(L.tensor(x, device=d)).pow(2).sum()
        loss.backward()
        opt.step()
        outs.append([loss.item()] + [v.detach().cpu().numpy() for v in c.state_dict().values()])
    tol = dict(rtol=1e-3, atol=1e-4) if device == "webgpu" else dict(rtol=1e-5, atol=1e-6)
    for a, b in zip(*outs):
        np.testing.assert_allclose(a, b, **tol)


def test_compiled_function_runs_it():
    def f(x, scale=2):
        return x * scale
    for L in (torch, pyfront):
        cf = L.compile(f)
        assert callable(cf) and cf.__name__ == "f" and cf.__wrapped__ is f
        assert cf(L.ones(2), scale=3).tolist() == [3.0, 3.0]
        assert L.compile(fullgraph=True)(f)(L.ones(1)).tolist() == [2.0]
