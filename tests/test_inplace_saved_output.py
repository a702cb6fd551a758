"""An in-place op whose backward reads its own output (relu_, exp_, sigmoid_, tanh_, sqrt_, ...) saves
``self``, as torch's does: a later in-place write into ``self`` makes backward refuse, with torch's
message, where a kept private copy of the output let it pass silently. PyTorch is the oracle."""
import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
SAVE_OUTPUT = ["relu_", "exp_", "sigmoid_", "tanh_", "sqrt_", "rsqrt_"]
LATER = {
    "sub_": lambda b: b.sub_(5),
    "mul_": lambda b: b.mul_(0.5),
    "setitem": lambda b: b.__setitem__(0, -9.0),
    "view add_": lambda b: b[1:].add_(1),
    "zero_": lambda b: b.zero_(),
    "none": lambda b: None,
}


def _outcome(lib, device, op, later):
    kw = {"device": device} if lib is pyfront else {}
    a = lib.tensor([1.0, 2.0, 3.0], requires_grad=True, **kw)
    b = a * 1
    getattr(b, op)()
    LATER[later](b)
    try:
        (b * b).sum().backward()
    except RuntimeError as e:
        return "error", str(e)
    return "grad", a.grad.cpu().tolist()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("later", list(LATER))
@pytest.mark.parametrize("op", SAVE_OUTPUT)
def test_write_after_saved_output_as_torch(op, later, device):
    (kind, got), (want_kind, want) = _outcome(pyfront, device, op, later), _outcome(torch, "cpu", op, later)
    assert kind == want_kind, got
    assert got == (want if kind == "error" else pytest.approx(want, rel=1e-5))
