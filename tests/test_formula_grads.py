"""Ops differentiated by PyTorch's one derivative formula (``ops.common.Formula``): what the formula
needs from autograd.Function (a saved None), and the weights PyTorch gives no derivative. Their values
under an infinite incoming gradient are tested in test_inf_cotangents.py."""
import pytest
import torch

import pyfront
from optable import assert_same
from webgpu_required import requires_webgpu


@pytest.mark.parametrize("name, weights", [
    ("binary_cross_entropy", ["weight"]),
    ("binary_cross_entropy_with_logits", ["weight", "pos_weight"]),
])
def test_a_weight_without_derivative_is_refused(name, weights):
    for arg in weights:
        errors = []
        for lib in (pyfront, torch):
            x, y = lib.full((3,), 0.3, requires_grad=True), lib.full((3,), 0.6)
            w = lib.full((3,), 2.0, requires_grad=True)
            with lib.no_grad():  # allowed where no graph is made
                getattr(lib.nn.functional, name)(x, y, **{arg: w})
            with pytest.raises(RuntimeError) as info:
                getattr(lib.nn.functional, name)(x, y, **{arg: w})
            errors.append(str(info.value))
        assert errors[0] == errors[1]


def test_a_function_saves_none():
    class Scale(pyfront.autograd.Function):
        @staticmethod
        def forward(ctx, x, bias):
            ctx.save_for_backward(x, bias, None)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            x, bias, nothing = ctx.saved_tensors
            assert bias is None and nothing is None and x.shape == (2,)
            return g * 2, None

    x = pyfront.ones(2, requires_grad=True)
    Scale.apply(x, None).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def _bce_vs_torch(x, y, device, rtol):
    got = pyfront.nn.functional.binary_cross_entropy(pyfront.tensor(x, device=device),
                                                     pyfront.tensor(y, device=device), reduction="none")
    expected = torch.nn.functional.binary_cross_entropy(torch.tensor(x), torch.tensor(y), reduction="none")
    assert_same(got.cpu(), expected, signed_zeros=True, rtol=rtol, atol=0)


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_binary_cross_entropy_is_torchs_kernel_at_0_and_1(device):
    """(y - 1) max(log1p(-x), -100) - y max(log x, -100), in torch's order: a zero loss has torch's sign
    (-(y log x + (1 - y) log(1 - x)) made every zero -0)."""
    _bce_vs_torch([0.0, -0.0, 1.0, 0.5, 0.0, 1.0], [0.0, -0.0, 1.0, -0.0, 1.0, 0.0], device, rtol=1e-6)


def test_binary_cross_entropy_keeps_a_small_inputs_digits():
    """log1p(-x), as torch: log(1 - x) lost a small x's digits (1e-3 off at 1e-5). cpu: webgpu's log1p is
    log(1 + x) * x / ((1 + x) - 1), as exact as WGSL's log near 1, which lavapipe gives to ~1e-7
    absolute, so a few percent at x = 1e-7."""
    _bce_vs_torch([1e-5, 1e-7, 0.999, 2.0 ** -20], [0.0, 0.0, 1.0, 0.0], "cpu", rtol=1e-6)
