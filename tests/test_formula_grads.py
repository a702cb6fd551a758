"""Ops differentiated by PyTorch's one derivative formula (``ops.common.Formula``): what the formula
needs from autograd.Function (a saved None), and the weights PyTorch gives no derivative. Their values
under an infinite incoming gradient are tested in test_inf_cotangents.py."""
import pytest
import torch

import pyfront


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
