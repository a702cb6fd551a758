"""In-place ops and storage ownership: an in-place op may take over its result's buffer instead of
copying it in, but only where nothing else can see either buffer. Every tensor or array that
shares memory keeps seeing the update (PyTorch is the oracle); with no sharer the buffer is
adopted (no copy). Ownership is tracked by the storage, never read from reference counts."""
import gc

import numpy as np
import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront
from pyfront.backends import get_backend

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _both(device, fn):
    """``fn(lib, device)`` on pyfront and on torch (cpu): the lists each returns."""
    return fn(pyfront, device), fn(torch, "cpu")


def _counting_writes(monkeypatch, device):
    """A list that gets one entry per backend write (a copy into an existing buffer)."""
    writes = []
    backend = get_backend(pyfront.device(device))
    real = backend.write
    monkeypatch.setattr(backend, "write", lambda dst, src: writes.append(1) or real(dst, src))
    return writes


@pytest.mark.parametrize("device", DEVICES)
def test_a_live_view_sees_the_update_and_updates_its_base(device):
    def run(lib, dev):
        x = lib.arange(6.0, device=dev)
        v, part = x.view(2, 3), x[1:4]
        x.add_(1)
        part.mul_(10)
        return [x.tolist(), v.tolist(), part.tolist()]
    ours, theirs = _both(device, run)
    assert ours == theirs


@pytest.mark.parametrize("device", DEVICES)
def test_aliases_and_parameters_see_the_update(device):
    def run(lib, dev):
        x = lib.ones(3, device=dev)
        d, data = x.detach(), x.data
        p = lib.nn.Parameter(lib.zeros(3, device=dev))
        plain = p.detach()
        x.add_(1)
        d.mul_(3)
        with lib.no_grad():
            p.add_(5)
        return [x.tolist(), d.tolist(), data.tolist(), p.tolist(), plain.tolist()]
    ours, theirs = _both(device, run)
    assert ours == theirs


@pytest.mark.parametrize("device", DEVICES)
def test_copy_into_a_tensor_keeps_the_source_its_own(device):
    def run(lib, dev):
        x, y = lib.zeros(3, device=dev), lib.ones(3, device=dev)
        x.copy_(y)
        y.add_(1)
        x.mul_(5)
        return [x.tolist(), y.tolist()]
    ours, theirs = _both(device, run)
    assert ours == theirs


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("saved", ["output", "input"])
def test_a_tensor_saved_for_backward_catches_the_in_place_change(device, saved):
    def run(lib, dev):
        x = lib.tensor([0.5, -1.0, 2.0], device=dev, requires_grad=True)
        if saved == "output":  # exp saves its result
            y = x.exp()
            y.add_(1)
        else:  # mul saves its inputs
            y = x * 2
            z = y * y
            y.add_(1)
            y = z
        with pytest.raises(RuntimeError) as e:
            y.sum().backward()
        return [str(e.value).replace("torch.webgpu.FloatTensor", "torch.FloatTensor")]
    ours, theirs = _both(device, run)
    assert ours == theirs


def test_numpy_arrays_share_the_update_both_ways():
    def run(lib, _):
        x = lib.arange(4.0)
        arr = x.numpy()
        part = arr[1:]  # a NumPy view of the view: no tensor knows of it
        del arr
        x.add_(1)
        owned = np.zeros(3, dtype=np.float32)
        t = lib.from_numpy(owned)
        t.add_(2)
        return [x.tolist(), part.tolist(), owned.tolist(), t.tolist()]
    ours, theirs = _both("cpu", run)
    assert ours == theirs


@pytest.mark.parametrize("device", DEVICES)
def test_with_no_sharer_the_result_buffer_is_adopted(device, monkeypatch):
    writes = _counting_writes(monkeypatch, device)
    x = pyfront.arange(1000.0, device=device)
    before, ptr = x._storage, x.data_ptr()
    x.add_(1)  # computed into x's memory (cpu) or adopted: no copy either way
    x.mul_(2)
    x.fill_(3)
    # the Storage (and so data_ptr, as torch's in-place ops keep it) stays; only its memory may be new
    assert x._storage is before and x.data_ptr() == ptr and x._version == 3 and writes == []
    assert x[:3].tolist() == [3.0, 3.0, 3.0]
    # a live view keeps the memory where it is: the cpu computes into it, webgpu copies its result in
    v = x[1:]
    x.add_(1)
    assert writes == ([] if device == "cpu" else [1]) and v[0].item() == 4.0
    copies = len(writes)
    del v
    gc.collect()  # a view that has died no longer counts: adoption resumes
    x.add_(1)
    assert len(writes) == copies and x[:2].tolist() == [5.0, 5.0] and x.data_ptr() == ptr


@pytest.mark.parametrize("device", DEVICES)
def test_an_optimizer_step_adopts_once_the_graph_is_freed(device, monkeypatch):
    lin = pyfront.nn.Linear(4, 3).to(device)
    # the op-by-op step (a backend's multi-tensor kernel writes the parameters in place instead)
    opt = pyfront.optim.SGD(lin.parameters(), lr=0.1, foreach=False)
    lin(pyfront.ones(2, 4, device=device)).sum().backward()
    expected = [(p - 0.1 * p.grad).tolist() for p in lin.parameters()]
    buffers = [p._storage for p in lin.parameters()]
    writes = _counting_writes(monkeypatch, device)
    opt.step()
    for p, e in zip(lin.parameters(), expected):
        np.testing.assert_allclose(p.tolist(), e, rtol=1e-6)
    assert writes == [] and all(p._storage is b for p, b in zip(lin.parameters(), buffers))


def test_the_record_of_sharers_stays_small_while_views_come_and_go():
    x = pyfront.zeros(4)
    for _ in range(1000):
        x.view(2, 2).sum()
    assert len(x._storage.sharers) <= 32
    kept = x.unbind(0)  # four live views: no adoption while they live
    x.add_(1)
    assert [k.item() for k in kept] == [1.0] * 4
