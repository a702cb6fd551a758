"""``Module.to(dtype)`` against torch's: the floating and complex parameters and buffers cast (an integer
buffer such as BatchNorm's count keeps its dtype), a complex dtype accepted with torch's warning, an integer
or bool dtype refused in torch's words."""
from __future__ import annotations

import warnings

import pytest
import torch

import pyfront

DTYPES = ["float64", "float16", "complex64", "complex128", "int32", "bool"]


@pytest.mark.parametrize("start", [None, "complex64"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_module_to_dtype_as_torch(dtype, start):
    def run(L):
        m = L.nn.Sequential(L.nn.Linear(2, 2), L.nn.BatchNorm1d(2))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if start:
                m.to(getattr(L, start))
            try:
                m.to(getattr(L, dtype))
            except TypeError as e:
                return "TypeError", str(e).replace("pyfront.", "torch.")
        kinds = sorted({w.category.__name__ for w in caught if "Complex modules" in str(w.message)})
        state = [(k, str(v.dtype).replace("pyfront.", "torch.")) for k, v in m.state_dict().items()]
        return state, kinds, type(m[0].weight).__name__
    assert run(pyfront) == run(torch)
