"""The webgpu device layer: transfers, dtypes, limits, errors, memory reuse, the accelerator API."""

import numpy as np
import pytest
import torch

import pyfront
from optable import assert_same
from webgpu_required import assert_lost_error, requires_webgpu

pytestmark = requires_webgpu
GPU = "webgpu"


@pytest.mark.parametrize("dtype", ["float32", "int64", "int32", "int16", "int8", "uint8", "bool"])
def test_round_trip_every_dtype(dtype):
    data = (np.arange(-6, 6).reshape(3, 4) % 7).astype(dtype)
    x = pyfront.tensor(data)
    g = x.to(GPU)
    assert g.device == pyfront.device("webgpu", 0) and g.dtype is x.dtype
    assert g.tolist() == x.tolist() and g.cpu().tolist() == x.tolist()
    assert_same(g.t().contiguous().cpu(), torch.tensor(data).t())


def test_float16_where_the_adapter_has_it():
    x = pyfront.tensor([1.5, -2.25, 3.0], dtype=pyfront.float16)
    if "shader-f16" in pyfront.webgpu._backend().driver.features:
        assert (x.to(GPU) * 2).cpu().tolist() == [3.0, -4.5, 6.0]
    else:
        with pytest.raises(TypeError, match=r"\.float\(\)"):
            x.to(GPU)


def test_float64_is_refused_with_a_hint():
    with pytest.raises(TypeError, match=r"WGSL has no 64-bit floats.*\.float\(\)"):
        pyfront.ones(3, dtype=pyfront.float64).to(GPU)
    with pytest.raises(TypeError, match=r"\.float\(\)"):
        pyfront.zeros(2, dtype=pyfront.float64, device=GPU)


def test_int64_outside_int32_is_refused():
    with pytest.raises(RuntimeError, match="int32 range"):
        pyfront.tensor([1, 2**40]).to(GPU)
    with pytest.raises(RuntimeError, match="int32 range"):
        pyfront.tensor([-(2**35)], device=GPU)
    assert pyfront.tensor([2**31 - 1, -(2**31)], device=GPU).tolist() == [2**31 - 1, -(2**31)]


def test_creation_on_the_device():
    assert pyfront.zeros(2, 3, device=GPU).device.type == "webgpu"
    assert pyfront.arange(5, device="gpu").tolist() == list(range(5))
    assert pyfront.full((2,), 7.5, device=GPU).tolist() == [7.5, 7.5]
    assert_same(pyfront.eye(3, device=GPU).cpu(), torch.eye(3))
    assert_same(pyfront.linspace(0, 1, 5, device=GPU).cpu(), torch.linspace(0, 1, 5))


def test_random_streams_equal_on_cpu_and_gpu():
    pyfront.manual_seed(3)
    cpu = [pyfront.rand(1000), pyfront.randn(1001), pyfront.randint(-5, 9, (999,))]
    pyfront.manual_seed(3)
    gpu = [
        pyfront.rand(1000, device=GPU),
        pyfront.randn(1001, device=GPU),
        pyfront.randint(-5, 9, (999,), device=GPU),
    ]
    for c, g in zip(cpu, gpu):
        np.testing.assert_allclose(np.array(g.tolist()), np.array(c.tolist()), rtol=1e-5, atol=1e-5)


def test_mixing_devices_raises_pytorchs_message():
    with pytest.raises(
        RuntimeError,
        match=r"^Expected all tensors to be on the same device, but found at least "
        r"two devices, webgpu:0 and cpu!$",
    ):
        pyfront.ones(3, device=GPU) + pyfront.ones(3)
    # a 0-d cpu tensor acts as a number, as in PyTorch
    assert (pyfront.ones(3, device=GPU) * pyfront.tensor(2.0)).tolist() == [2.0, 2.0, 2.0]


def test_in_place_and_views_on_the_device():
    p = pyfront.arange(12.0, device=GPU).reshape(3, 4)
    t = torch.arange(12.0).reshape(3, 4)
    p[1].mul_(10)
    t[1].mul_(10)
    p.t()[2].fill_(-1)
    t.t()[2].fill_(-1)
    p.add_(pyfront.ones(4, device=GPU))
    t.add_(torch.ones(4))
    assert_same(p.cpu(), t)
    assert repr(p).endswith("device='webgpu:0')")


def test_autograd_on_the_device():
    x = pyfront.tensor([[1.0, -2.0], [3.0, 0.5]], device=GPU, requires_grad=True)
    y = ((x * x).exp() / 10 + x.t()).sum()
    y.backward()
    xt = torch.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
    ((xt * xt).exp() / 10 + xt.t()).sum().backward()
    assert x.grad.device == x.device
    assert_same(x.grad.cpu(), xt.grad, rtol=1e-4, atol=1e-5)
    moved = pyfront.ones(2, requires_grad=True)
    (moved.to(GPU) * 3).sum().backward()
    assert moved.grad.device.type == "cpu" and moved.grad.tolist() == [3.0, 3.0]


def test_large_dispatch_folds_into_a_2d_grid():
    n = 65535 * 256 + 1000  # more workgroups than one grid dimension allows
    x = pyfront.ones(n, device=GPU)
    y = x + x
    assert y[-1].item() == 2.0 and y[0].item() == 2.0 and y.sum().item() == 2 * n


def test_tensor_over_the_binding_limit_is_a_clear_error():
    limit = pyfront.webgpu._backend().runtime.pool.max_binding
    with pytest.raises(RuntimeError, match="binding limit"):
        pyfront.zeros(limit // 4 + 1024, device=GPU)


def test_training_leaks_no_gpu_buffers():
    """The pool must be stable over 100 steps: every step returns what it took."""
    pool = pyfront.webgpu._backend().runtime.pool
    pyfront.manual_seed(0)
    w = pyfront.randn(8, 4, device=GPU, requires_grad=True)
    x = pyfront.randn(16, 8, device=GPU)
    y = pyfront.randn(16, 4, device=GPU)

    def step():
        loss = ((x @ w - y) ** 2).mean()
        w.grad = None
        loss.backward()
        with pyfront.no_grad():
            w.sub_(0.01 * w.grad)
        return loss.item()

    first = step()
    for _ in range(5):
        step()
    in_use, created = pool.in_use, pool.created
    for _ in range(100):
        last = step()
    assert pool.in_use == in_use and pool.created == created
    assert last < first


def test_accelerator_api():
    # a CPU renderer (lavapipe here) is the accelerator only when PYFRONT_ADAPTER asked for it
    accel = pyfront.webgpu.adapter_info()["accelerator"]
    assert pyfront.accelerator.is_available() is accel and pyfront.accelerator.device_count() == int(accel)
    assert pyfront.accelerator.current_accelerator() == (pyfront.device("webgpu") if accel else None)
    assert pyfront.webgpu.is_available() and pyfront.webgpu.device_count() == 1
    assert "/" in pyfront.webgpu.get_device_name()
    pyfront.accelerator.synchronize()
    assert pyfront.cuda.is_available() is False and pyfront.backends.mps.is_available() is False
    assert pyfront.device("gpu") == pyfront.device("webgpu")


def test_a_lost_device_is_a_clear_error_and_the_next_use_reopens_one():
    x = pyfront.ones(3, device=GPU)
    w = pyfront.arange(6.0, device=GPU).reshape(2, 3)  # memory of its own (a small fill is an expression)
    assert (x * 2).tolist() == [2.0, 2.0, 2.0]  # its plan is made for this backend, and must go with it
    pyfront.webgpu._backend().driver.device.destroy()  # what a driver reset does to the device
    with pytest.raises(RuntimeError, match="WebGPU device was lost") as lost:
        (x + 1).tolist()
    assert_lost_error(lost.value)
    assert pyfront.webgpu.is_available()
    assert (pyfront.ones(3, device=GPU) * 2).tolist() == [2.0, 2.0, 2.0]
    # a tensor from before the loss, used on the new device: the same error, not the driver's validation
    # error (no RuntimeError), and the new device goes on working
    with pytest.raises(RuntimeError, match="WebGPU device was lost") as lost:
        (w @ pyfront.ones(3, device=GPU)).tolist()
    assert_lost_error(lost.value)
    assert (pyfront.ones(2, 3, device=GPU) @ pyfront.ones(3, device=GPU)).tolist() == [3.0, 3.0]
    for read in (w.cpu, w.tolist, lambda: repr(w)):  # a read copies: refused before it spoils the encoder
        y = pyfront.arange(3.0, device=GPU) * 2  # pending in the encoder the refused copy would join
        with pytest.raises(RuntimeError, match="WebGPU device was lost") as lost:
            read()
        assert_lost_error(lost.value)
        assert y.tolist() == [0.0, 2.0, 4.0] and pyfront.ones(2, device=GPU).sum().item() == 2.0
    pyfront.webgpu.synchronize()  # a result still pending over the old memory does not fail the new device's


def test_out_of_memory_is_a_clear_error(monkeypatch):
    pool = pyfront.webgpu._backend().runtime.pool
    pool.trim()  # no pooled buffer of that size to fall back on

    def refuse(size, usage):
        raise MemoryError("the driver could not allocate the buffer")
    monkeypatch.setattr(pool.driver, "create_buffer", refuse)
    with pytest.raises(RuntimeError, match="webgpu out of memory: tried to allocate 3.0 MiB"):
        pyfront.zeros(3 * 2 ** 18 - 5, device=GPU)


@requires_webgpu
@pytest.mark.parametrize("make", [lambda x: x + 2**40, lambda x: x * -(2**40), lambda x: 2**40 - x,
                                  lambda x: x.clamp(min=2**40), lambda x: (x + 1) * 2**33])
def test_a_number_webgpu_cannot_carry_fails_at_its_op_not_at_a_later_read(make):
    """webgpu stores int64 as int32: a number outside int32 is refused where the op is called. A fused
    (pending) op once took it and raised at whatever read or synchronize came next, in another test."""
    x = pyfront.ones(3, dtype=pyfront.int64, device="webgpu")
    with pytest.raises(RuntimeError, match="outside the int32 range"):
        make(x)
    pyfront.webgpu.synchronize()  # nothing left pending that fails
    assert (x * 2).tolist() == [2, 2, 2]
