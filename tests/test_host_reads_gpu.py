"""Host reads of a tensor on the GPU, as torch's of a tensor off the cpu: the NumPy family (numpy(),
np.asarray, np.array, __array__, a ufunc, a NumPy scalar made of it) refuses with torch's TypeError that
names the device ("webgpu:0", as torch's names "cuda:0"), the device before the grad and the conj bit;
tolist, item, float, int, bool, complex, format and index read it, as torch's do on CUDA. The oracle for the
refusals is torch's tensor on its "meta" device (the one device other than the cpu this torch has), for the
reads torch's cpu tensor (torch reads a CUDA tensor the same); memoryview takes no tensor on any device."""
import warnings

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

pytestmark = requires_webgpu


def _outcome(read, t):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # NumPy's, for __array__ without copy=
            out = read(t)
    except Exception as e:  # noqa: BLE001 (the type and words are compared)
        return type(e).__name__, str(e)
    return out.tolist() if isinstance(out, np.ndarray) else out


REFUSED = {
    "numpy": lambda t: t.numpy(), "asarray": np.asarray, "array": np.array,
    "asarray_float64": lambda t: np.asarray(t, dtype=np.float64),
    "array_copy_false": lambda t: np.asarray(t, copy=False),
    "dunder": lambda t: t.__array__(), "dunder_float64": lambda t: t.__array__(np.float64),
    "ufunc": lambda t: np.add(t, 1), "numpy_scalar": lambda t: np.float32(t[0, 0]),
    "requires_grad": lambda t: np.asarray(t.float().requires_grad_()),
    "requires_grad_numpy": lambda t: t.float().requires_grad_().numpy(),
    "memoryview": memoryview,
}

READ = {
    "tolist": lambda t: t.tolist(), "item": lambda t: t[1, 2].item(), "float": lambda t: float(t[0, 1]),
    "int": lambda t: int(t[1, 0]), "bool": lambda t: bool(t[0, 1]), "complex": lambda t: complex(t[1, 1]),
    "format": lambda t: f"{t[1, 2]:.3f}", "index": lambda t: [10, 11, 12, 13][t[0, 2].int()],
    "numpy_force": lambda t: t.numpy(force=True).tolist(), "len": len,
    "iter": lambda t: [r.tolist() for r in t],
}

DTYPES = ["float32", "int32", "int64", "bool", "uint8", "float16"]


def _base(lib, dtype, device):
    return lib.tensor([[0, 1, 2], [3, 1, 5]], device=device).to(getattr(lib, dtype)).t().t()


@pytest.mark.parametrize("dtype", DTYPES)
def test_numpy_reads_of_a_gpu_tensor_refuse_as_torchs_of_another_device(dtype):
    for name, read in REFUSED.items():
        kind, words = _outcome(read, _base(torch, dtype, "meta"))
        want = kind, words.replace("meta device", "webgpu:0 device")
        assert _outcome(read, _base(pyfront, dtype, "webgpu")) == want, name


@pytest.mark.parametrize("dtype", DTYPES)
def test_python_reads_of_a_gpu_tensor_give_torchs_values(dtype):
    for name, read in READ.items():
        want = _outcome(read, _base(torch, dtype, "cpu"))
        assert _outcome(read, _base(pyfront, dtype, "webgpu")) == want, name
