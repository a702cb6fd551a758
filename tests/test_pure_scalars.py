"""The cpu device without NumPy (the browser build) computes +, -, *, / of one-element float tensors
in Python, without the GPU round trip that stalled the page, and gets torch's numbers."""
import math

import pytest
import torch

from pyfront import dtypes as dt
from pyfront.backends.pure import _SCALAR_MATH, PureBackend
from pyfront.backends.storage import dense
from pyfront.ops.registry import OPS

VALUES = (1.0, -2.5, 3.0e-8, 1.0 / 3.0, 65504.0, 3.0e38, 0.0, -0.0, math.inf, -math.inf, math.nan)


class _ToTheGpu(Exception):
    pass


def _to_the_gpu(*args):
    raise _ToTheGpu


@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize("name", sorted(_SCALAR_MATH))
def test_scalar_arithmetic_without_numpy_matches_torch_and_needs_no_gpu(name, dtype, monkeypatch):
    b = PureBackend()
    monkeypatch.setattr(b, "_on_gpu", _to_the_gpu)
    ours, theirs = getattr(dt, dtype), getattr(torch, dtype)
    for x in VALUES:
        for y in VALUES:
            tx, ty = torch.tensor([x], dtype=theirs), torch.tensor(y, dtype=theirs)
            want = getattr(torch, name)(tx, ty).item()
            a = dense(b.from_list(tx.tolist(), ours), (1,), ours)  # broadcast: (1,) with ()
            c = dense(b.from_list([ty.item()], ours), (), ours)
            try:
                (out,) = b.run(OPS[name], [a, c], {}, [((1,), ours)])
            except _ToTheGpu:  # only a zero divisor or a result beyond the dtype's range goes up
                assert not math.isfinite(want) and (ty.item() == 0 or math.isfinite(tx.item())), (x, y)
                continue
            (got,) = b.to_list(dense(out, (1,), ours))
            same = got == want and math.copysign(1, got) == math.copysign(1, want)
            assert same or (math.isnan(got) and math.isnan(want)), (x, y, got, want)


def test_other_ops_and_sizes_still_go_to_the_gpu(monkeypatch):
    b = PureBackend()
    monkeypatch.setattr(b, "_on_gpu", _to_the_gpu)
    one, two = (dense(b.from_list([1.0] * n, dt.float32), (n,), dt.float32) for n in (1, 2))
    for op, inputs in (("add", [two, two]), ("maximum", [one, one]), ("add", [one, one])):
        if op == "add" and inputs[0] is one:
            inputs = [dense(b.from_list([1.0], dt.float64), (1,), dt.float64)] * 2  # no GPU float64
        with pytest.raises(_ToTheGpu):
            b.run(OPS[op], inputs, {}, [((inputs[0].shape), inputs[0].dtype)])
