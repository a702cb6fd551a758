"""A leaf's gradient made by a Formula's derivative (an activation's, lerp's, ...) becomes its ``.grad`` as the
engine's registry-op gradients do, with no copy (issue 13: a clone per leaf per backward), and only where no
one else can see it: a gradient passed on, one handed to two leaves, a saved tensor and a user Function's stay
copied. Values as torch's."""
import torch

import pyfront
from pyfront.autograd.function import Function


def _clones(fn):
    with pyfront.profiler.profile(activities=[pyfront.profiler.ProfilerActivity.CPU]) as prof:
        fn()
    return [e.name for e in prof.events()].count("aten::clone")


def test_a_formulas_gradient_is_not_copied_into_grad():
    for name, args in (("silu", ()), ("hardtanh", ()), ("softplus", ()), ("mish", ())):
        ours, theirs = (lib.linspace(-4, 4, 9).requires_grad_() for lib in (pyfront, torch))
        y = getattr(pyfront.nn.functional, name)(ours, *args).sum()
        assert _clones(y.backward) == 0, name
        getattr(torch.nn.functional, name)(theirs, *args).sum().backward()
        torch.testing.assert_close(torch.tensor(ours.grad.tolist()), theirs.grad, msg=name)


class _PassOn(Function):
    """A user Function that hands back the gradient it was given, and the tensor it saved."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(y)
        return x * 1.0

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g, y


def test_gradients_others_can_see_stay_copied():
    x = pyfront.ones(3, requires_grad=True)
    y = pyfront.full((3,), 2.0, requires_grad=True)
    out = _PassOn.apply(x, y)
    out.backward(pyfront.full((3,), 5.0))
    assert x.grad.tolist() == [5.0] * 3 and y.grad.tolist() == [2.0] * 3
    y.grad.add_(1.0)  # its own memory, not y's
    assert y.tolist() == [2.0] * 3
