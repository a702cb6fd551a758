"""The multi-tensor (foreach) optimizer steps on webgpu (backends/webgpu/kernels/foreach.py): the
trajectories of torch's optimizers, the same as the single-tensor loop, one dispatch per step."""
import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

pytestmark = requires_webgpu
DEV = "webgpu"
SHAPES = [(5, 3), (3,), (4, 1, 2), (7,)]

CONFIGS = [
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, weight_decay=0.2, maximize=True)),
    ("SGD", dict(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.1, maximize=True)),
    ("SGD", dict(lr=0.05, momentum=0.5, nesterov=True, weight_decay=0.01)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.02, betas=(0.8, 0.9), weight_decay=0.1, amsgrad=True, maximize=True)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1)),
    ("AdamW", dict(lr=0.01, amsgrad=True)),
]


def _trajectory(lib, name, kwargs, device=None, steps=5):
    rng = np.random.default_rng(0)
    values = [rng.standard_normal(s).astype(np.float32) for s in SHAPES]
    grads = [[rng.standard_normal(s).astype(np.float32) for s in SHAPES] for _ in range(steps)]
    extra = {"device": device} if device else {}
    params = [lib.nn.Parameter(lib.tensor(v, **extra)) for v in values]
    opt = getattr(lib.optim, name)(params, **kwargs)
    for step in grads:
        for p, g in zip(params, step):
            p.grad = lib.tensor(g, **extra)
        opt.step()
    return [np.asarray(p.detach().cpu().numpy()) for p in params], opt


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CONFIGS)])
def test_foreach_steps_follow_torch_and_the_single_tensor_loop(name, kwargs):
    expected, _ = _trajectory(torch, name, kwargs)
    fused, _ = _trajectory(pyfront, name, kwargs, DEV)
    loop, _ = _trajectory(pyfront, name, {**kwargs, "foreach": False}, DEV)
    for f, l, t in zip(fused, loop, expected):
        np.testing.assert_allclose(f, t, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(f, l, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name,kwargs", [CONFIGS[0], CONFIGS[4], CONFIGS[7]], ids=["SGD", "Adam", "AdamW"])
def test_a_foreach_step_is_one_dispatch(name, kwargs):
    rng = np.random.default_rng(1)
    params = [pyfront.nn.Parameter(pyfront.tensor(rng.standard_normal(s).astype(np.float32), device=DEV))
              for s in SHAPES]
    opt = getattr(pyfront.optim, name)(params, **kwargs)
    runtime = pyfront.webgpu._backend().runtime
    for step in range(3):
        for p in params:
            p.grad = pyfront.tensor(rng.standard_normal(tuple(p.shape)).astype(np.float32), device=DEV)
        pyfront.webgpu.synchronize()
        before = runtime.dispatch_count
        opt.step()
        # SGD's first step makes its momentum buffers (a copy of each gradient) and steps each
        # param alone; those pending results are computed when the second step reads them
        if step == 2:
            assert runtime.dispatch_count - before == 1
    versions = [p._version for p in params]
    opt.step()
    assert all(p._version > v for p, v in zip(params, versions))  # in-place writes count, as in torch


def test_shared_memory_and_cpu_take_the_single_tensor_loop():
    base = pyfront.zeros(6, device=DEV)
    a, b = base[:3], base[3:]  # two params over one buffer: a dispatch cannot bind it twice
    pa, pb = pyfront.nn.Parameter(a), pyfront.nn.Parameter(b)
    tb = torch.zeros(6)
    ta, tb2 = torch.nn.Parameter(tb[:3].clone()), torch.nn.Parameter(tb[3:].clone())
    opt = pyfront.optim.SGD([pa, pb], lr=0.1, momentum=0.9)
    topt = torch.optim.SGD([ta, tb2], lr=0.1, momentum=0.9)
    for k in range(3):
        for p, t in ((pa, ta), (pb, tb2)):
            g = np.full(3, k + 1.0, np.float32)
            p.grad, t.grad = pyfront.tensor(g, device=DEV), torch.tensor(g)
        opt.step()
        topt.step()
    for p, t in ((pa, ta), (pb, tb2)):
        np.testing.assert_allclose(p.detach().cpu().numpy(), t.detach().numpy(), rtol=1e-6)


def test_foreach_binds_parse_torchs_overloads_once(monkeypatch):
    """torch._foreach_<name> binds by its printed overloads, parsed once per name (not on every call: that
    was half a small _foreach_mul_'s time)."""
    from pyfront import foreach
    parsed = []
    parse = foreach._parameters
    monkeypatch.setattr(foreach, "_parameters", lambda option: parsed.append(option) or parse(option))
    foreach._signatures.cache_clear()
    ts = [pyfront.ones(2) for _ in range(3)]
    for _ in range(3):
        pyfront._foreach_mul_(ts, 2.0)
    assert len(parsed) == 4 and [t.tolist() for t in ts] == [[8.0, 8.0]] * 3
