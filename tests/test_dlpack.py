"""DLPack interchange (``Tensor.__dlpack__``, ``__dlpack_device__``, ``from_dlpack``, ``torch.utils.dlpack``)
against torch's: memory shared both ways (NumPy's from_dlpack, torch's own, a capsule round trip), strides
kept, and torch's refusals (a tensor that requires grad, a conj view, a stream on the cpu)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import pyfront

DTYPES = ["float32", "float64", "int64", "int32", "uint8", "bool", "complex64"]
LAYOUTS = {"contiguous": lambda t: t, "transposed": lambda t: t.T, "sliced": lambda t: t[1:, ::2]}


def _base(L, dtype):
    return L.arange(12).reshape(3, 4).to(getattr(L, dtype))


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_numpy_reads_and_writes_the_tensors_memory_as_torch(dtype, layout):
    def run(L):
        base = _base(L, dtype)
        a = np.from_dlpack(LAYOUTS[layout](base))
        a[0, 0] = 1  # the tensor's memory itself
        device = tuple(int(v) for v in base.__dlpack_device__())
        return a.dtype.name, a.shape, a.strides, base.tolist(), device
    assert run(pyfront) == run(torch)


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("source", ["numpy", "torch", "capsule"])
def test_from_dlpack_shares_memory_as_torch(source, layout):
    def run(L):
        if source == "numpy":
            mem = np.arange(12.0).reshape(3, 4)
            t = L.from_dlpack(LAYOUTS[layout](mem))
        elif source == "torch":
            mem = torch.arange(12.0).reshape(3, 4)
            t = L.from_dlpack(LAYOUTS[layout](mem))
        else:
            mem = L.arange(12.0).reshape(3, 4)
            t = L.utils.dlpack.from_dlpack(L.utils.dlpack.to_dlpack(LAYOUTS[layout](mem)))
        t[0, 0] = -1
        return tuple(t.stride()), t.tolist(), mem.tolist()
    assert run(pyfront) == run(torch)


def test_torch_reads_a_pyfront_tensor_and_back():
    x = pyfront.arange(6.0).reshape(2, 3)
    t = torch.from_dlpack(x.t())
    t[0, 1] = 9
    assert t.stride() == (1, 3) and x[1, 0].item() == 9
    y = pyfront.from_dlpack(torch.arange(4))
    assert y.tolist() == [0, 1, 2, 3] and y.dtype is pyfront.int64


EXPORTS = {
    "requires_grad": lambda L: L.ones(2, requires_grad=True),
    "conj": lambda L: L.tensor([1 + 2j]).conj(),
}


@pytest.mark.parametrize("case", list(EXPORTS))
def test_refused_exports_as_torch(case):
    def run(L):
        with pytest.raises(BufferError) as e:
            np.from_dlpack(EXPORTS[case](L))
        return str(e.value)
    assert run(pyfront) == run(torch)


def test_stream_on_the_cpu_refused_as_torch():
    for L in (torch, pyfront):
        with pytest.raises(AssertionError, match="stream should be None on cpu."):
            L.ones(2).__dlpack__(stream=1)


def test_negative_view_is_refused_not_exported_with_its_memory():
    """torch exports a negative view's memory as it is (values that are not the tensor's): pyfront refuses."""
    with pytest.raises(BufferError, match="negative bit"):
        np.from_dlpack(pyfront.tensor([1 + 2j]).conj().imag)
    assert np.from_dlpack(pyfront.tensor([1 + 2j]).conj().imag.resolve_neg()).tolist() == [-2.0]


@pytest.mark.parametrize("copy", [None, True, False])
def test_from_dlpack_copy_and_device_keywords_as_torch(copy):
    """torch.from_dlpack's keyword-only ``copy`` (True: a copy, False and None: shared memory) and
    ``device`` (the cpu: the producer's own)."""
    def run(L):
        mem = np.arange(4.0)
        t = L.from_dlpack(mem, device="cpu", copy=copy)
        t[0] = 9
        return mem.tolist(), t.tolist()
    assert run(pyfront) == run(torch)


@pytest.mark.parametrize("source", ["not_an_array", "consumed_capsule"])
def test_unreadable_capsule_refused_as_torch(source):
    def run(L):
        if source == "not_an_array":
            arg = np.float64(3.0)  # a NumPy scalar has no __dlpack__ and is no capsule
        else:
            arg = L.arange(3.0).__dlpack__()
            L.from_dlpack(arg)  # a capsule is consumed once
        try:
            L.from_dlpack(arg)
        except Exception as e:  # noqa: BLE001 (the type is what is compared)
            return type(e).__name__, str(e)
        return "no error"
    assert run(pyfront) == run(torch)
