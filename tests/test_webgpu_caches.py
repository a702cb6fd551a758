"""Numbers are kernel parameters, never shader text, and every cache of the webgpu backend is bounded.

Each distinct shader text compiles a pipeline; when Python numbers were written into the text, a
learning-rate schedule compiled new pipelines every step and the process grew without end.
"""

import gc
import math
from collections import OrderedDict
import os

import pytest
import torch

import pyfront
from optable import assert_same
from pyfront.backends.webgpu import memory, runtime
from pyfront.backends.webgpu.kernels import elementwise
from pyfront.ops import common
from webgpu_required import requires_webgpu

GPU = "webgpu"
DEVICES = ["cpu", pytest.param(GPU, marks=requires_webgpu)]


def _runtime():
    return pyfront.webgpu._backend().runtime


def _step(i, model, opt, sched, x, y):
    """One training step that brings new Python numbers to every kind of op that takes one."""
    opt.zero_grad()
    out = model(x) * (1.0 + i * 1e-4) + i / 7
    out = out.clamp(-1.0 - i * 1e-3, 1.0 + i * 1e-3).clamp(min=-0.5 - i * 1e-3)
    loss = pyfront.nn.functional.mse_loss(out, y) + out.norm(p=1.5 + i * 1e-3) * 1e-3
    loss = loss + pyfront.where(out > i * 1e-3, out, float(i)).sum() * 1e-6
    loss.backward()
    opt.step()
    sched.step()
    floats = pyfront.full((3,), 0.5 + i, device=GPU) + pyfront.arange(i / 3, i / 3 + 2, 0.25, device=GPU)[:3]
    ints = pyfront.arange(i, i + 4, device=GPU).sum() + pyfront.full((2,), i, dtype=pyfront.int32, device=GPU)
    return floats + ints.sum()


@requires_webgpu
def _settle(monkeypatch):
    """Compute what earlier tests left pending (fusion), and count from empty caches: a kernel an
    earlier test compiled would otherwise be found without an insert (no eviction to check), and a
    number an earlier test cached is a ready buffer where a new one is a constant inside a fused
    chain (two kernels for one chain, both bounded)."""
    gc.collect()
    pyfront.webgpu.synchronize()
    monkeypatch.setattr(common, "_SCALARS", OrderedDict())
    rt = _runtime()
    monkeypatch.setattr(rt, "_pipelines", OrderedDict())
    monkeypatch.setattr(rt, "_bind_groups", OrderedDict())


def test_pipeline_count_stays_flat_with_a_new_number_every_step(monkeypatch):
    _settle(monkeypatch)
    pyfront.manual_seed(0)
    model = pyfront.nn.Sequential(pyfront.nn.Linear(4, 8), pyfront.nn.ReLU(), pyfront.nn.Linear(8, 2)).to(GPU)
    opt = pyfront.optim.Adam(model.parameters(), lr=1e-2)
    sched = pyfront.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=200)
    x, y = pyfront.randn(16, 4, device=GPU), pyfront.randn(16, 2, device=GPU)
    rt = _runtime()
    for i in range(3):  # the first steps compile what the loop uses
        _step(i, model, opt, sched, x, y)
    pipelines, sources = len(rt._pipelines), elementwise._source.cache_info().currsize
    for i in range(3, 203):
        last = _step(i, model, opt, sched, x, y)
    assert len(rt._pipelines) == pipelines
    assert elementwise._source.cache_info().currsize == sources
    # after the count: with fusion the steps' unread results were never computed, so reading one
    # compiles its chain's kernel here
    assert math.isfinite(last.sum().item())


@requires_webgpu
def test_the_pipeline_and_bind_group_caches_stay_within_their_bounds(monkeypatch):
    _settle(monkeypatch)
    rt = _runtime()
    monkeypatch.setattr(runtime, "MAX_PIPELINES", 3)
    monkeypatch.setattr(runtime, "MAX_BIND_GROUPS", 5)
    a = pyfront.arange(6.0, device=GPU)
    t = torch.arange(6.0)
    for name in ("exp", "sin", "cos", "tanh", "sqrt", "neg", "abs", "exp"):  # evicted ones compile again
        assert_same(getattr(pyfront, name)(a).cpu(), getattr(torch, name)(t))
        assert len(rt._pipelines) <= 3 and len(rt._bind_groups) <= 5
    for k in range(10):  # new buffers each time: new bind groups
        assert_same((a + pyfront.full((6,), float(k), device=GPU)).cpu(), t + k)
        assert len(rt._pipelines) <= 3 and len(rt._bind_groups) <= 5


@requires_webgpu
def test_recorded_dispatches_are_submitted_within_their_bound(monkeypatch):
    rt = _runtime()
    monkeypatch.setattr(runtime, "MAX_PENDING", 8)
    x = pyfront.zeros(4, device=GPU)
    for _ in range(50):  # no read-back, and the same parameters each time: nothing else would submit
        x.add_(1.0)
        assert rt._pending < 8
    assert x.tolist() == [50.0] * 4


def test_the_scalar_operand_cache_stays_within_its_bound(monkeypatch):
    monkeypatch.setattr(common, "MAX_SCALARS", 4)
    monkeypatch.setattr(common, "_SCALARS", type(common._SCALARS)())  # not what earlier tests left (0.5 hit)
    devices = ["cpu", GPU] if pyfront.webgpu.is_available() else ["cpu"]
    for device in devices:
        x = pyfront.ones(3, device=device)
        for k in range(20):
            assert (x * (k + 0.5)).tolist() == [k + 0.5] * 3
            assert len(common._SCALARS) <= 4
        again = common.scalar_tensor(19.5, pyfront.float32, x.device)
        assert again is common.scalar_tensor(19.5, pyfront.float32, x.device)  # recent ones are kept


def test_shader_sources_are_cached_once_per_file():
    assert runtime.shader_source.cache_info().currsize <= len(os.listdir(runtime.SHADER_DIR))
    assert elementwise._source.cache_info().maxsize is not None


@requires_webgpu
def test_free_gpu_buffers_are_bounded_and_let_go_with_their_bind_groups(monkeypatch):
    rt = _runtime()
    pool = rt.pool
    monkeypatch.setattr(memory, "MIN_POOLED_BYTES", 1 << 20)
    start = pool.in_use_bytes
    monkeypatch.setattr(pool, "peak_bytes", start)
    for k in range(1, 40):  # a size class each, used once (like batches of changing shapes): 31 MB in all
        x = pyfront.full((k * 5000,), float(k), device=GPU)
        assert (x + 1)[-1].item() == k + 1
        del x
        # at most what was in use at once: the 1 MiB floor, what lived before, x and x + 1
        assert pool.pooled_bytes <= max(1 << 20, start + 3 * memory.size_class(4 * 5000 * k))
    live = {id(h) for h in pool.owned.values()}
    for _group, _layout, bound in rt._bind_groups.values():
        assert all(id(handle) in live for handle, _, _ in bound)  # no bind group keeps a let-go buffer
    assert_same((pyfront.arange(5.0, device=GPU) * 2).cpu(), torch.arange(5.0) * 2)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_clamp_keeps_nan_as_torch(device, dtype):
    if device == GPU and dtype == "float16" and "shader-f16" not in pyfront.webgpu._backend().driver.features:
        return  # the adapter holds no float16 tensors (test_webgpu checks the error)
    nan, inf = math.nan, math.inf
    values = [nan, -inf, -2.0, -0.0, 0.0, 0.5, 3.0, inf]
    p = pyfront.tensor(values, dtype=getattr(pyfront, dtype), device=device)
    t = torch.tensor(values, dtype=getattr(torch, dtype))
    for lo, hi in [(-1.0, 1.0), (nan, 1.0), (-1.0, nan), (2.0, 1.0), (-inf, inf), (0.0, 0.0), (-0.1, 0.3)]:
        assert_same(p.clamp(lo, hi).cpu(), t.clamp(lo, hi))
        assert_same(p.clamp(min=lo).cpu(), t.clamp(min=lo))
        assert_same(p.clamp(max=hi).cpu(), t.clamp(max=hi))
    for fn in ("relu6", "hardtanh", "hardsigmoid"):
        assert_same(getattr(pyfront.nn.functional, fn)(p).cpu(), getattr(torch.nn.functional, fn)(t))
    i = pyfront.tensor([-5, 0, 7, 2**31 - 1], dtype=pyfront.int32, device=device)
    ti = torch.tensor([-5, 0, 7, 2**31 - 1], dtype=torch.int32)
    for lo, hi in [(-1, 3), (None, 3), (-1, None), (4, 2), (-1.5, 2.5)]:
        assert_same(i.clamp(lo, hi).cpu(), ti.clamp(lo, hi))


FULL_CASES = [(v, "float32") for v in (0.1, -0.0, math.nan, math.inf, -math.inf, 3.4e38, 3, True)] + [
    (v, d) for d in ("int32", "int64") for v in (-(2**31), 2**31 - 1, 3, -7, True)] + [
    (v, d) for d in ("uint8", "bool") for v in (0, 1, 255, True, False)]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("value,dtype", FULL_CASES)
def test_full_takes_any_number_as_torch(device, value, dtype):
    expected = torch.full((3,), value, dtype=getattr(torch, dtype))
    assert_same(pyfront.full((3,), value, dtype=getattr(pyfront, dtype), device=device).cpu(), expected)


@pytest.mark.parametrize("device", DEVICES)
def test_number_operands_beyond_float32_become_inf_as_torch(device):
    x, t = pyfront.tensor([1.0, -2.0, 0.0], device=device), torch.tensor([1.0, -2.0, 0.0])
    for v in (1e300, -1e300, 1e-300):
        assert_same((x * v).cpu(), t * v)
        assert_same((x + v).cpu(), t + v)


@pytest.mark.parametrize("device", DEVICES)
def test_arange_takes_any_numbers_as_torch(device):
    for args in [(0.1, 1.3, 0.3), (-3, 5, 2), (2**31 - 10, 2**31 - 1, 3), (5.0, -1.0, -0.75), (1e-3,)]:
        assert_same(pyfront.arange(*args, device=device).cpu(), torch.arange(*args))
