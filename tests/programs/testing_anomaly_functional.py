"""Tools a research script reaches for around its model (torch.quasirandom.SobolEngine left out: pyfront lacks
it): torch.testing.assert_close as unit tests use it (its mismatch report, rtol/atol, equal_nan,
check_dtype, msg=), torch.autograd.detect_anomaly / set_detect_anomaly naming the backward that made a NaN,
torch.autograd.gradcheck/gradgradcheck of a small custom Function, and torch.autograd.functional's jacobian,
hessian, vjp, jvp, hvp and vhp (vectorize both ways)."""
import math
import warnings

import torch
from torch.autograd.functional import hessian, hvp, jacobian, jvp, vhp, vjp

def report(fn):
    try:
        fn()
        print("  passed")
    except AssertionError as e:
        print("  AssertionError:", " | ".join(str(e).splitlines()))
    except Exception as e:
        print(" ", type(e).__name__ + ":", " | ".join(str(e).splitlines()))


a = torch.tensor([1.0, 2.0, 3.0, float("nan")])
print("assert_close")
report(lambda: torch.testing.assert_close(a, a.clone(), equal_nan=True))
report(lambda: torch.testing.assert_close(a, a.clone()))
report(lambda: torch.testing.assert_close(a[:3], torch.tensor([1.0, 2.0001, 3.1])))
report(lambda: torch.testing.assert_close(a[:3], torch.tensor([1.0, 2.0001, 3.1]), rtol=0.1, atol=0))
report(lambda: torch.testing.assert_close(a[:3], a[:3].double()))
report(lambda: torch.testing.assert_close(a[:3], a[:3].double(), check_dtype=False))
report(lambda: torch.testing.assert_close(a[:3], a[:2]))
report(lambda: torch.testing.assert_close(torch.arange(4), torch.tensor([0, 1, 2, 4])))
report(lambda: torch.testing.assert_close(a[:3], torch.zeros(3), msg="weights drifted"))
report(lambda: torch.testing.assert_close({"w": a[:2], "b": [a[2]]}, {"w": a[:2], "b": [a[2] + 1]}))
report(lambda: torch.testing.assert_close(1.0, 1.0 + 1e-9))
report(lambda: torch.testing.assert_close(torch.ones(2, 2), torch.ones(2, 2).t().contiguous().t()))

print("anomaly")


class BadSqrt(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sqrt()

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / (2 * x.sqrt()) * 0.0 / 0.0


x = torch.tensor([1.0, 4.0], requires_grad=True)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        with torch.autograd.detect_anomaly():
            BadSqrt.apply(x).sum().backward()
    except RuntimeError as e:
        print("  ", str(e))
print("  warnings", len(caught) > 0, torch.is_anomaly_enabled())
torch.autograd.set_detect_anomaly(True, check_nan=False)
print("  enabled", torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
torch.autograd.set_detect_anomaly(False)
y = torch.tensor([0.0], requires_grad=True)
with torch.autograd.detect_anomaly(check_nan=False):
    (y.sqrt() * 0).sum().backward()
print("  check_nan off", y.grad.tolist())


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 3 * x ** 2 * g


xd = torch.randn(4, dtype=torch.float64, requires_grad=True)
print("gradcheck", torch.autograd.gradcheck(Cube.apply, (xd,)), torch.autograd.gradgradcheck(Cube.apply, (xd,)))
try:
    torch.autograd.gradcheck(BadSqrt.apply, (xd.detach().abs().requires_grad_(),), raise_exception=True)
except Exception as e:
    print("gradcheck error", type(e).__name__, str(e).splitlines()[0])
print("gradcheck quiet", torch.autograd.gradcheck(BadSqrt.apply, (xd.detach().abs().requires_grad_(),),
                                                  raise_exception=False))


def f(x):
    return torch.stack([x[0] * x[1], x[1].exp(), (x ** 2).sum()])


def scalar_f(x):
    return (x[0] ** 2 * x[1] + x[1].sin()).sum()


x0 = torch.tensor([0.5, -1.0])
v = torch.tensor([1.0, 2.0])
print("jacobian", jacobian(f, x0).tolist())
print("jacobian vectorized", torch.equal(jacobian(f, x0, vectorize=True), jacobian(f, x0)))
print("jacobian forward", jacobian(f, x0, vectorize=True, strategy="forward-mode").tolist())
print("hessian", hessian(scalar_f, x0).tolist())
print("vjp", [t.tolist() for t in vjp(f, x0, torch.ones(3))])
print("jvp", [t.tolist() for t in jvp(f, x0, v)])
print("hvp", [t.tolist() if t.dim() else t.item() for t in hvp(scalar_f, x0, v)])
print("vhp", [t.tolist() if t.dim() else t.item() for t in vhp(scalar_f, x0, v)])
print("two inputs", [[t.tolist() for t in row] for row in jacobian(lambda a, b: a * b + b, (x0, v))])
print("create_graph", jacobian(f, x0, create_graph=True).requires_grad, jacobian(f, x0).requires_grad)
try:
    jacobian(lambda x: x.detach() * 2, x0, strict=True)
except RuntimeError as e:
    print("strict", str(e))
