"""The 0-d tensors pyfront caches for Python-number operands (ops/common.py scalar_tensor) are shared by
every later op, so one first made inside ``inference_mode`` must not be an inference tensor: torch makes a
fresh wrapped number per op, and ``x ** 2`` under inference mode followed by ``(w ** 2).backward()``
outside it works there. Every binary operator with a number operand, on cpu and webgpu."""
import numpy as np
import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront
from pyfront.ops import common

OPS = {
    "pow": lambda a: a ** 2, "rpow": lambda a: 2 ** a, "mul": lambda a: a * 3.0, "rmul": lambda a: 3.5 * a,
    "add": lambda a: a + 1.25, "sub": lambda a: a - 0.75, "rsub": lambda a: 0.5 - a, "div": lambda a: a / 4.0,
    "rdiv": lambda a: 2.0 / (a + 3), "maximum": lambda a: a.clamp(min=0.1) * 1.5,
}
DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", OPS)
def test_number_operand_made_in_inference_mode_serves_autograd_after(name, device):
    x = np.linspace(-1, 1, 5).astype(np.float32)
    common._SCALARS.clear()  # whatever earlier tests cached: the first use must be the one in inference mode
    grads = []
    for lib, kw in ((torch, {}), (pyfront, {"device": device})):
        with lib.inference_mode():
            OPS[name](lib.tensor(x, **kw))  # the number's 0-d tensor is made (and cached) here
        w = lib.tensor(x, **kw).requires_grad_()
        OPS[name](w).sum().backward()
        grads.append(w.grad.cpu().numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-5, atol=1e-6)
