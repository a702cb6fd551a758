"""Faults of a kind s36 mended, each against torch: an in-place activation through a view shows the view's
regenerated history (AsStridedBackward0 over its base's CopySlices) ..."""
import pytest
import torch

import pyfront

# torch's in-place activations reached every way: F.<name>_, F.<name>(inplace=True), torch.<name>_
INPLACE_ACTIVATIONS = {
    "F.hardtanh_": lambda L, v: L.nn.functional.hardtanh_(v, -0.5, 0.5),
    "F.hardtanh inplace": lambda L, v: L.nn.functional.hardtanh(v, inplace=True),
    "F.relu6 inplace": lambda L, v: L.nn.functional.relu6(v, inplace=True),
    "F.leaky_relu_": lambda L, v: L.nn.functional.leaky_relu_(v, 0.2),
    "F.leaky_relu inplace": lambda L, v: L.nn.functional.leaky_relu(v, inplace=True),
    "F.elu_": lambda L, v: L.nn.functional.elu_(v, 0.7),
    "F.elu inplace": lambda L, v: L.nn.functional.elu(v, inplace=True),
    "F.selu_": lambda L, v: L.nn.functional.selu_(v),
    "F.selu inplace": lambda L, v: L.nn.functional.selu(v, inplace=True),
    "F.celu_": lambda L, v: L.nn.functional.celu_(v, 0.5),
    "F.celu inplace": lambda L, v: L.nn.functional.celu(v, inplace=True),
    "F.rrelu_": lambda L, v: L.nn.functional.rrelu_(v),
    "F.rrelu inplace": lambda L, v: L.nn.functional.rrelu(v, inplace=True),
    "F.threshold_": lambda L, v: L.nn.functional.threshold_(v, 0.1, 2.0),
    "F.threshold inplace": lambda L, v: L.nn.functional.threshold(v, 0.1, 2.0, inplace=True),
    "F.hardswish inplace": lambda L, v: L.nn.functional.hardswish(v, inplace=True),
    "F.hardsigmoid inplace": lambda L, v: L.nn.functional.hardsigmoid(v, inplace=True),
    "F.silu inplace": lambda L, v: L.nn.functional.silu(v, inplace=True),
    "F.mish inplace": lambda L, v: L.nn.functional.mish(v, inplace=True),
    "torch.selu_": lambda L, v: L.selu_(v),
    "torch.celu_": lambda L, v: L.celu_(v),
    "torch.rrelu_": lambda L, v: L.rrelu_(v),
    "torch.threshold_": lambda L, v: L.threshold_(v, 0.1, 2.0),
    "torch.relu_": lambda L, v: L.relu_(v),
    "nn.Hardtanh module": lambda L, v: L.nn.Hardtanh(inplace=True)(v),
}


@pytest.mark.parametrize("how", list(INPLACE_ACTIVATIONS))
def test_inplace_activation_on_a_view_shows_the_regenerated_view(how):
    def run(L):
        leaf = L.tensor([[0.3, -1.2, 2.5], [-0.4, 0.05, 1.1], [-3.0, 0.7, -0.2], [4.0, -0.6, 0.9]],
                        dtype=L.float64, requires_grad=True)
        x = leaf.clone()
        v = x[1:3]
        out = INPLACE_ACTIVATIONS[how](L, v)
        names = [out is v, type(v.grad_fn).__name__, type(x.grad_fn).__name__,
                 [type(f).__name__ for f, _ in x.grad_fn.next_functions]]
        (x * L.arange(1.0, 13.0, dtype=L.float64).reshape(4, 3)).sum().backward()
        return names, x.detach().numpy(), leaf.grad.numpy()

    got, want = run(pyfront), run(torch)
    assert got[0] == want[0]
    torch.testing.assert_close(torch.from_numpy(got[1]), torch.from_numpy(want[1]))
    torch.testing.assert_close(torch.from_numpy(got[2]), torch.from_numpy(want[2]))
