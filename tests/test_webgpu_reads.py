"""Read-backs on webgpu (item, tolist, cpu, numpy) through the native driver's pooled staging buffers:
every stored dtype, odd byte counts, empty tensors, views at unaligned offsets, pending results, and
two threads reading at once, against torch's values."""

import threading

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import assert_lost_error, requires_webgpu

pytestmark = requires_webgpu

DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32")
SIZES = (0, 1, 3, 5, 6, 1000, 70001)  # 0 elements; byte counts not a multiple of 4; past a size class


def _sample(dtype: str, n: int, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    if dtype == "bool":
        return torch.rand(n, generator=g) > 0.5
    if dtype.startswith("float"):
        t = torch.randn(n, generator=g) * 100
        t[: min(n, 3)] = torch.tensor([float("nan"), float("inf"), -float("inf")])[: min(n, 3)]
        return t.to(getattr(torch, dtype))
    info = torch.iinfo(getattr(torch, dtype))
    lo, hi = max(info.min, -(2**31)), min(info.max, 2**31 - 1)  # int64 on webgpu holds 32 bits
    t = torch.randint(lo, hi, (n,), generator=g, dtype=torch.int64)
    t[: min(n, 2)] = torch.tensor([lo, hi])[: min(n, 2)]
    return t.to(getattr(torch, dtype))


def _same_bits(p_np: np.ndarray, t: torch.Tensor):
    assert p_np.dtype == t.numpy().dtype and p_np.shape == tuple(t.shape)
    assert p_np.tobytes() == t.numpy().tobytes()


def test_reads_give_torch_values_for_every_dtype_and_size():
    for dtype in DTYPES:
        for n in SIZES:
            t = _sample(dtype, n, seed=n)
            p = pyfront.from_numpy(t.numpy().copy()).to("webgpu")
            _same_bits(p.cpu().numpy(), t)
            got, want = p.tolist(), t.tolist()
            assert str(got) == str(want), (dtype, n)  # str: NaN == NaN, and bool/int/float kinds show
            if n >= 1:
                assert str(p[n - 1].item()) == str(t[n - 1].item()), (dtype, n)
            for start in (1, 2, 3):  # views whose first byte is not 4-aligned for the narrow dtypes
                if n > start:
                    _same_bits(p[start:].cpu().numpy(), t[start:])
                    assert str(p[start:].tolist()) == str(t[start:].tolist()), (dtype, n, start)


def test_a_pending_result_reads_its_computed_values():
    t = torch.arange(-7, 10, dtype=torch.float32)
    p = pyfront.tensor(t.tolist(), device="webgpu")
    got = ((p * 3 + 1) / 2).tolist()
    assert got == ((t * 3 + 1) / 2).tolist()
    assert (p.sum() * 2).item() == (t.sum() * 2).item()


def test_staging_buffers_are_pooled_and_bounded(monkeypatch):
    driver = pyfront.webgpu._backend().runtime.driver
    p = pyfront.randn(1000, device="webgpu")
    p.tolist()
    made = []
    device_class = type(driver.device)  # wgpu-py's own read_buffer makes its staging buffer here too
    real = device_class._create_buffer
    monkeypatch.setattr(device_class, "_create_buffer", lambda *a: made.append(a) or real(*a))
    for _ in range(20):
        p.tolist()
        p[:3].tolist()
    assert len(made) <= 1  # the 12-byte read's class at most once; the 4000-byte one was made earlier
    for n in (1, 100, 5000, 70001, 300000):
        pyfront.zeros(n, device="webgpu").tolist()
    assert all(len(free) == 1 for free in driver._staging.values())  # reads hold the lock: one per class


def test_two_threads_read_their_own_values():
    errors = []

    def work(k):
        try:
            x = pyfront.arange(64, dtype=pyfront.float32, device="webgpu")
            for i in range(150):
                y = x * k + i
                want = [float(v * k + i) for v in range(64)]
                if y.tolist() != want or y[5].item() != want[5] or y.cpu().numpy().tolist() != want:
                    errors.append((k, i))
        except Exception as e:  # a failure in a thread must fail the test
            errors.append(repr(e))

    threads = [threading.Thread(target=work, args=(k,)) for k in (2, 3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []


def test_float64_is_not_held_on_webgpu():
    with pytest.raises(TypeError, match=r"\.float\(\)"):
        pyfront.zeros(3, dtype=pyfront.float64, device="webgpu")


def test_synchronize_on_a_lost_device_raises_as_a_read_does():
    """torch.cuda.synchronize() raises a device error whatever was queued; so does webgpu's, with nothing
    queued, and the next use opens a new device."""
    x = pyfront.ones(3, device="webgpu")
    x.tolist()
    pyfront.accelerator.synchronize()
    pyfront.webgpu._backend().driver.device.destroy()  # what a driver reset does to the device
    with pytest.raises(RuntimeError, match="WebGPU device was lost") as lost:
        pyfront.accelerator.synchronize()
    assert_lost_error(lost.value)
    assert (pyfront.ones(3, device="webgpu") * 2).tolist() == [2.0, 2.0, 2.0]
    pyfront.accelerator.synchronize()


def test_a_read_and_its_async_twin_submit_once_with_the_pending_work(monkeypatch):
    """A read's copy joins the dispatches recorded before it: one submit per read-back, sync or async
    (the async twins flushed first, then submitted the copy: two)."""
    import asyncio

    driver = pyfront.webgpu._backend().driver
    submits = []
    submit = driver._submit
    monkeypatch.setattr(driver, "_submit", lambda encoder: submits.append(1) or submit(encoder))
    x = pyfront.arange(6.0, device="webgpu")
    pyfront.webgpu.synchronize()
    reads = [lambda: (x * 2).sum().item(), lambda: (x + 1).tolist(),
             lambda: asyncio.run((x * 3).sum().item_async()), lambda: asyncio.run((x - 1).tolist_async())]
    expected = [30.0, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 45.0, [-1.0, 0.0, 1.0, 2.0, 3.0, 4.0]]
    for read, value in zip(reads, expected):
        submits.clear()
        assert read() == value
        assert len(submits) == 1
