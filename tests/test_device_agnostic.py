"""The imports device-agnostic code makes: torch.nn.parallel, Tensor.is_<device/layout>, and torch.cuda's
queries, each answering (or failing) as the installed CPU-only torch does."""
import warnings

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]

CUDA_CALLS = [
    ("is_available", ()), ("is_initialized", ()), ("device_count", ()), ("memory_allocated", ()),
    ("memory_allocated", (0,)), ("memory_allocated", ("cpu",)), ("max_memory_allocated", ()),
    ("memory_reserved", ()), ("max_memory_reserved", ()), ("memory_cached", ()), ("max_memory_cached", ()),
    ("memory_stats", ()), ("empty_cache", ()), ("manual_seed", (0,)), ("manual_seed_all", (0,)), ("seed", ()),
    ("seed_all", ()), ("get_arch_list", ()), ("is_bf16_supported", ()), ("reset_peak_memory_stats", ()),
    ("reset_max_memory_allocated", ()), ("reset_accumulated_memory_stats", ()), ("set_device", (0,)),
    ("current_device", ()), ("synchronize", ()), ("get_device_name", ()), ("get_device_name", (0,)),
    ("get_device_properties", (0,)), ("get_device_capability", ()), ("mem_get_info", ()), ("init", ()),
    ("ipc_collect", ()), ("current_stream", ()), ("initial_seed", ()), ("get_rng_state", ()),
]


def _outcome(fn, args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's FutureWarning for the *_cached names
        try:
            return "returns", fn(*args)
        except Exception as e:
            return type(e), str(e)


@pytest.mark.parametrize("name,args", CUDA_CALLS, ids=[f"{n}{a}" for n, a in CUDA_CALLS])
def test_cuda_queries_answer_as_a_cpu_only_torch(name, args):
    expected = _outcome(getattr(torch.cuda, name), args)
    got = _outcome(getattr(pyfront.cuda, name), args)
    if expected[0] == "returns" and hasattr(expected[1], "items"):
        expected = ("returns", dict(expected[1]))  # an empty OrderedDict
    assert got == expected


@pytest.mark.parametrize("device", DEVICES)
def test_tensor_device_and_layout_queries(device):
    names = ["is_cuda", "is_cpu", "is_xpu", "is_mps", "is_meta", "is_sparse", "is_sparse_csr", "is_quantized",
             "is_mkldnn", "is_nested"]
    t, x = torch.ones(2), pyfront.ones(2, device=device)
    for name in names:
        want = getattr(t, name) if device == "cpu" or name != "is_cpu" else False
        assert getattr(x, name) is want, name


def _pair(device):
    torch.manual_seed(0)
    ref = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.LayerNorm(3), torch.nn.ReLU())
    mine = pyfront.nn.Sequential(pyfront.nn.Linear(4, 3), pyfront.nn.LayerNorm(3), pyfront.nn.ReLU())
    mine.load_state_dict({k: pyfront.tensor(v.numpy()) for k, v in ref.state_dict().items()})
    return ref, mine.to(device)


@pytest.mark.parametrize("device", DEVICES)
def test_data_parallel_is_the_module_wrapped_as_without_cuda(device):
    ref, mine = _pair(device)
    tdp, pdp = torch.nn.DataParallel(ref), pyfront.nn.DataParallel(mine)
    assert pyfront.nn.parallel.DataParallel is pyfront.nn.DataParallel
    assert repr(pdp) == repr(tdp) and pdp.module is mine and pdp.device_ids == tdp.device_ids == []
    assert list(pdp.state_dict()) == list(tdp.state_dict())
    assert [n for n, _ in pdp.named_parameters()] == [n for n, _ in tdp.named_parameters()]
    x = np.random.randn(5, 4).astype(np.float32)
    out_t, out_p = tdp(torch.tensor(x)), pdp(pyfront.tensor(x, device=device))
    np.testing.assert_allclose(out_p.detach().cpu().numpy(), out_t.detach().numpy(), rtol=1e-4, atol=1e-5)
    out_t.sum().backward()
    out_p.sum().backward()
    np.testing.assert_allclose(mine[0].weight.grad.cpu().numpy(), ref[0].weight.grad.numpy(), rtol=1e-4,
                               atol=1e-5)
    # a checkpoint of the wrapped model loads into a wrapper, and the bare keys are refused with torch's text
    pdp.load_state_dict(pdp.state_dict())
    with pytest.raises(RuntimeError) as t_err:
        tdp.load_state_dict(ref.state_dict())
    with pytest.raises(RuntimeError) as p_err:
        pdp.load_state_dict(mine.state_dict())
    assert str(p_err.value) == str(t_err.value)


def test_distributed_data_parallel_needs_a_process_group():
    from pyfront.nn.parallel import DistributedDataParallel
    for make in (lambda m, cls: cls(m), lambda m, cls: cls(m, device_ids=[0])):
        with pytest.raises(ValueError) as t_err:
            make(torch.nn.Linear(2, 2), torch.nn.parallel.DistributedDataParallel)
        with pytest.raises(ValueError) as p_err:
            make(pyfront.nn.Linear(2, 2), DistributedDataParallel)
        assert str(p_err.value) == str(t_err.value)
    with pytest.raises(RuntimeError) as t_err:
        torch.nn.parallel.data_parallel(torch.nn.Linear(2, 2), torch.ones(1, 2))
    with pytest.raises(RuntimeError) as p_err:
        pyfront.nn.parallel.data_parallel(pyfront.nn.Linear(2, 2), pyfront.ones(1, 2))
    assert str(p_err.value) == str(t_err.value)
