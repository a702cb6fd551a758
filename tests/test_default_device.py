"""torch.set_default_device / get_default_device: factories that name no device use it, per thread."""
import threading

import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

FACTORIES = [
    lambda t: t.zeros(2), lambda t: t.ones(2, 3), lambda t: t.empty(1), lambda t: t.full((2,), 3.0),
    lambda t: t.tensor([1.0, 2.0]), lambda t: t.as_tensor([1, 2]), lambda t: t.arange(3),
    lambda t: t.linspace(0, 1, 3), lambda t: t.eye(2), lambda t: t.randn(2), lambda t: t.rand(2),
    lambda t: t.randint(0, 5, (2,)), lambda t: t.nn.Linear(2, 2).weight,
]


@pytest.fixture(autouse=True)
def _restore():
    yield
    pyfront.set_default_device(None)
    torch.set_default_device(None)


def test_default_is_cpu_and_none_restores_it():
    assert repr(pyfront.get_default_device()) == repr(torch.get_default_device()) == "device(type='cpu')"
    pyfront.set_default_device("cpu")
    torch.set_default_device("cpu")
    assert repr(pyfront.get_default_device()) == repr(torch.get_default_device())
    assert [f(pyfront).device.type for f in FACTORIES] == [f(torch).device.type for f in FACTORIES]


@requires_webgpu
def test_factories_use_the_default_device_and_explicit_devices_win():
    pyfront.set_default_device("webgpu")
    assert repr(pyfront.get_default_device()) == "device(type='webgpu', index=0)"
    assert {str(f(pyfront).device) for f in FACTORIES} == {"webgpu:0"}
    assert pyfront.zeros(2, device="cpu").device.type == "cpu"
    assert pyfront.from_numpy(pyfront.ones(2, device="cpu").numpy()).device.type == "cpu"  # as in torch
    seen = []
    worker = threading.Thread(target=lambda: seen.append(pyfront.zeros(1).device.type))
    worker.start()
    worker.join()
    assert seen == ["cpu"]  # per thread, as torch's device context
    pyfront.set_default_device(None)
    assert pyfront.zeros(1).device.type == "cpu"


def test_a_bad_device_is_torchs_error():
    with pytest.raises(RuntimeError) as theirs:
        torch.set_default_device("nodevice")
    with pytest.raises(RuntimeError) as ours:
        pyfront.set_default_device("nodevice")
    # pyfront's list of device types adds its own (webgpu, gpu) to torch's
    assert str(ours.value).startswith(str(theirs.value).split(" device type")[0])
