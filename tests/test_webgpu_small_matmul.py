"""Small float32 matrix products on webgpu, which are a fused multiply-and-sum (kernels/matmul.py,
``_folded``) rather than the tile kernel: every operand layout, both sides of the size limits,
batches, NaN and infinity, gradients, and one dispatch each; against torch."""
import numpy as np
import pytest
import torch

import pyfront
from pyfront.backends.webgpu import fusion
from pyfront.backends.webgpu.kernels.matmul import FOLD_MAX
from pyfront.backends.webgpu.kernels.reduce import SERIAL_MAX
from test_webgpu_matmul import LAYOUTS, _compare, _operand
from webgpu_required import requires_webgpu

pytestmark = requires_webgpu
GPU = "webgpu"
# the playground's training example's products (Linear(1, 32), Linear(32, 1), batch 200, forward and
# backward), and each limit from both sides: K = SERIAL_MAX and one more; FOLD_MAX products and more
SHAPES = [(200, 1, 32), (200, 32, 1), (1, 200, 32), (32, 200, 1), (5, 4, 3)]
LIMITS = [(1, SERIAL_MAX, FOLD_MAX // SERIAL_MAX), (1, SERIAL_MAX + 1, 8), (FOLD_MAX // 64 + 1, 8, 8)]


def _dispatches(fn):
    runtime = pyfront.webgpu._backend().runtime
    pyfront.webgpu.synchronize()
    before = runtime.dispatch_count
    out = fn()
    out.cpu()
    return out, runtime.dispatch_count - before


@pytest.mark.parametrize("m,k,n,a_layout,b_layout",
                         [(*s, a, b) for s in SHAPES for a in LAYOUTS for b in LAYOUTS]
                         + [(*s, "transposed", "offset") for s in LIMITS])
def test_small_mm_every_layout_in_one_dispatch(m, k, n, a_layout, b_layout):
    rng = np.random.default_rng(m * k + n)
    pa, ta = _operand(rng, (m, k), "float32", a_layout)
    pb, tb = _operand(rng, (k, n), "float32", b_layout)
    out, dispatches = _dispatches(lambda: pyfront.mm(pa, pb))
    _compare(out, torch.mm(ta, tb), "float32")
    assert dispatches == 1  # the products are computed in the sum's loads; no copies of the operands


@pytest.mark.parametrize("a_shape,b_shape",
                         [((3, 5, 4), (3, 4, 6)), ((3, 5, 4), (4, 6)), ((5, 4), (2, 4, 6))])
def test_small_batched_products_broadcast(a_shape, b_shape):
    rng = np.random.default_rng(len(a_shape) + len(b_shape))
    a, b = rng.standard_normal(a_shape).astype("float32"), rng.standard_normal(b_shape).astype("float32")
    _compare(pyfront.matmul(pyfront.tensor(a, device=GPU), pyfront.tensor(b, device=GPU)),
             torch.matmul(torch.tensor(a), torch.tensor(b)), "float32")


def test_small_mm_propagates_nan_and_infinity():
    a = torch.tensor([[float("inf"), 1.0], [float("nan"), 0.0], [2.0, -float("inf")]])
    b = torch.tensor([[0.0, 1.0, 2.0], [1.0, 1.0, -1.0]])
    got = pyfront.mm(pyfront.tensor(a.tolist(), device=GPU), pyfront.tensor(b.tolist(), device=GPU))
    torch.testing.assert_close(torch.tensor(got.cpu().tolist()), torch.mm(a, b), equal_nan=True)


@pytest.mark.parametrize("fused", [True, False])
def test_small_network_gradients_match_torch(fused):
    """The playground's training example's model: every gradient, weights copied in; with fusion off
    the products are the tile kernel's."""
    fusion.ENABLED = fused
    try:
        _small_network_gradients()
    finally:
        fusion.ENABLED = True


def _small_network_gradients():
    torch.manual_seed(0)
    ref = torch.nn.Sequential(torch.nn.Linear(1, 32), torch.nn.Tanh(), torch.nn.Linear(32, 1))
    model = pyfront.nn.Sequential(pyfront.nn.Linear(1, 32), pyfront.nn.Tanh(), pyfront.nn.Linear(32, 1))
    model.load_state_dict({k: pyfront.tensor(v.tolist()) for k, v in ref.state_dict().items()})
    model.to(GPU)
    x = torch.linspace(-3, 3, 200).unsqueeze(1)
    y = torch.sin(x)
    torch.nn.functional.mse_loss(ref(x), y).backward()
    px, py = pyfront.tensor(x.tolist(), device=GPU), pyfront.tensor(y.tolist(), device=GPU)
    pyfront.nn.functional.mse_loss(model(px), py).backward()
    for (name, p), q in zip(model.named_parameters(), ref.parameters()):
        torch.testing.assert_close(torch.tensor(p.grad.cpu().tolist()), q.grad, rtol=1e-4, atol=1e-5,
                                   msg=name)
