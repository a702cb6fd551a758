"""``torch.where(mask, a, b)`` with Python numbers for both values (``where(m, 1.0, 0.0)``, a common
idiom): the dtype torch's promotion of the two numbers gives, under either default dtype, on every
device. It raised a bare StopIteration before."""
import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

PAIRS = [(1, 0), (1.0, 0), (1, 2.5), (True, False), (True, 2), (-0.0, 0.0), (float("nan"), 1),
         (2**31 - 1, -1)]
WIDE = [(2**40, -1)]  # int64 beyond int32: webgpu keeps int64 as 32 bits and refuses it (README)


# webgpu has no float64, so a float64 default is a cpu case only
CASES = [("cpu", "float32"), ("cpu", "float64"), pytest.param("webgpu", "float32", marks=requires_webgpu)]


@pytest.mark.parametrize("device,default", CASES)
def test_where_with_two_numbers_follows_torch(device, default):
    mask = [[True, False, True], [False, False, True]]
    for a, b in PAIRS + (WIDE if device == "cpu" else []):
        rows = []
        for lib, dev in ((torch, "cpu"), (pyfront, device)):
            lib.set_default_dtype(getattr(lib, default))
            try:
                r = lib.where(lib.tensor(mask, device=dev), a, b)
                rows.append((str(r.dtype).split(".")[-1], tuple(r.shape), repr(r.cpu().tolist())))
            finally:
                lib.set_default_dtype(lib.float32)
        assert rows[0] == rows[1], (a, b, rows)
