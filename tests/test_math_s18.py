"""The math API found missing by use (session 18): special functions over wide grids against torch,
torch.X_ in-place functions, torch.special, and the Tensor method / in-place twin of each new op.
(The op table, tests/optable.py, runs every new op's samples and edge rows on cpu and webgpu.)"""
import math

import numpy as np
import pytest
import torch

import pyfront
from optable import assert_same
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]

NEW = ("asinh acosh atanh arcsinh arccosh arctanh erfc erfinv lgamma digamma polygamma mvlgamma logit xlogy "
       "hypot logaddexp logaddexp2 deg2rad rad2deg sgn positive fix sinc i0 isposinf isneginf isreal ldexp "
       "nextafter gcd lcm isin").split()


@pytest.mark.parametrize("name", NEW)
def test_function_method_and_inplace_exist_where_torch_has_them(name):
    assert hasattr(pyfront, name)
    for attr in (name, name + "_"):
        assert hasattr(pyfront.Tensor, attr) == hasattr(torch.Tensor, attr), attr


def test_every_torch_inplace_function_pyfront_has_as_a_method():
    """torch.X_ exists in pyfront wherever torch has it and pyfront has Tensor.X_."""
    names = [n for n in dir(torch) if n.endswith("_") and not n.startswith("_")
             and callable(getattr(torch, n))]
    missing = [n for n in names if hasattr(pyfront.Tensor, n) and not hasattr(pyfront, n)]
    assert not missing


@pytest.mark.parametrize("name,args", [("abs_", ()), ("sigmoid_", ()), ("clamp_", (-0.5, 0.5)), ("sin_", ()),
                                       ("relu_", ()), ("asinh_", ()), ("erfc_", ()), ("sinc_", ()),
                                       ("xlogy_", (2.0,)), ("logit_", ()), ("fill_", (3.0,))])
def test_torch_level_inplace_functions(name, args):
    values = [-1.5, -0.25, 0.0, 0.3, 2.0]
    t, p = torch.tensor(values), pyfront.tensor(values)
    t_out, p_out = getattr(torch, name)(t, *args), getattr(pyfront, name)(p, *args)
    assert p_out is p and t_out is t
    assert_same(p, t, signed_zeros=True)


def _grid(lo, hi, n=2001):
    return np.concatenate([np.linspace(lo, hi, n), [0.0, -0.0, 1.0, 2.0, -1.0, -2.5, 1e-30, -1e-30]])


GRIDS = {
    "lgamma": (lambda m, x: m.lgamma(x), _grid(-30.5, 60.0)),
    "digamma": (lambda m, x: m.digamma(x), _grid(-30.3, 60.0)),
    "trigamma": (lambda m, x: m.polygamma(1, x), _grid(-10.3, 60.0)),
    "polygamma3": (lambda m, x: m.polygamma(3, x), _grid(0.05, 40.0)),
    "erfinv": (lambda m, x: m.erfinv(x), np.concatenate([np.linspace(-1, 1, 2001), [1 - 1e-7, -1 + 1e-7]])),
    "erfc": (lambda m, x: m.erfc(x), _grid(-6.0, 9.0)),
    "i0": (lambda m, x: m.i0(x), _grid(-80.0, 80.0)),
    "i1": (lambda m, x: m.special.i1(x), _grid(-80.0, 80.0)),
    "i0e": (lambda m, x: m.special.i0e(x), _grid(-200.0, 200.0)),
    "i1e": (lambda m, x: m.special.i1e(x), _grid(-200.0, 200.0)),
    "asinh": (lambda m, x: m.asinh(x), _grid(-1e4, 1e4)),
    "logaddexp": (lambda m, x: m.logaddexp(x, x.flip(0) * 0.5), _grid(-100.0, 100.0)),
    "hypot": (lambda m, x: m.hypot(x, x.flip(0)), _grid(-1e30, 1e30)),
}


@pytest.mark.parametrize("key", GRIDS)
@pytest.mark.parametrize("device", DEVICES)
def test_special_functions_on_a_wide_grid(key, device):
    """float64 on the cpu to torch's own tolerance; float32 on every device (the GPU's WGSL functions)."""
    fn, grid = GRIDS[key]
    for dtype in (("float64", "float32") if device == "cpu" else ("float32",)):
        data = grid.astype(dtype)
        expected = fn(torch, torch.tensor(data))
        got = fn(pyfront, pyfront.tensor(data, device=device))
        tol = {} if device == "cpu" else dict(rtol=2e-4, atol=1e-5)
        assert_same(got, expected, **tol)


def test_polygamma_method_inplace_and_errors():
    x = [0.3, 1.5, 4.0]
    assert_same(pyfront.tensor(x).polygamma(2), torch.tensor(x).polygamma(2))
    p, t = pyfront.tensor(x), torch.tensor(x)
    assert p.polygamma_(1) is p
    assert_same(p, t.polygamma_(1))
    with pytest.raises(RuntimeError, match=r"^polygamma\(n, x\) does not support negative n\.$"):
        pyfront.polygamma(-1, pyfront.tensor(x))


def test_gradients_of_the_gamma_family_double_backward():
    """digamma's gradient is trigamma's, trigamma's polygamma(2): second derivatives through the rules."""
    def second(m):
        x = m.tensor([0.4, 1.7, 3.2, -1.3], dtype=m.float64, requires_grad=True)
        (g,) = m.autograd.grad(m.lgamma(x).sum(), x, create_graph=True)
        (gg,) = m.autograd.grad(g.sum(), x)
        return g, gg

    for got, expected in zip(second(pyfront), second(torch)):
        assert_same(got, expected)


def test_gradcheck_float64():
    for fn in (pyfront.asinh, pyfront.erfinv, pyfront.digamma, pyfront.i0, pyfront.special.i1e,
               lambda x: pyfront.logit(x, eps=0.2), lambda x: pyfront.xlogy(x, x + 1.5),
               lambda x: pyfront.logaddexp2(x, x * 0.3), lambda x: pyfront.hypot(x, x + 0.5)):
        x = pyfront.tensor([0.15, 0.45, 0.7], dtype=pyfront.float64, requires_grad=True)
        assert pyfront.autograd.gradcheck(fn, (x,))


@pytest.mark.parametrize("name", ["expit", "logit", "erf", "erfc", "erfinv", "ndtr", "i0", "i0e", "i1", "i1e",
                                  "entr", "gammaln", "digamma", "psi", "sinc", "round", "log1p", "expm1",
                                  "exp2"])
def test_special_namespace_unary(name):
    values = [-1.5, -0.25, 0.0, 0.3, 0.9, 2.0]
    assert_same(getattr(pyfront.special, name)(pyfront.tensor(values)),
                getattr(torch.special, name)(torch.tensor(values)), signed_zeros=True)


def test_special_namespace_others():
    x, y = [0.5, 1.5, 3.0], [0.0, 2.0, -0.5]
    for m_args in (("xlogy", (x, y)), ("xlog1py", (x, y))):
        name, (a, b) = m_args
        assert_same(getattr(pyfront.special, name)(pyfront.tensor(a), pyfront.tensor(b)),
                    getattr(torch.special, name)(torch.tensor(a), torch.tensor(b)))
    assert_same(pyfront.special.multigammaln(pyfront.tensor(x) + 2, 3), torch.special.multigammaln(
        torch.tensor(x) + 2, 3))
    assert_same(pyfront.special.polygamma(2, pyfront.tensor(x)), torch.special.polygamma(2, torch.tensor(x)))
    for name in ("softmax", "log_softmax", "logsumexp"):
        assert_same(getattr(pyfront.special, name)(pyfront.tensor([x, y]), 1),
                    getattr(torch.special, name)(torch.tensor([x, y]), 1))


def test_errors_for_integer_and_bool_inputs():
    for name in ("hypot", "logaddexp", "logaddexp2", "nextafter", "gcd", "lcm"):
        for dtype in ("bool", "float32") if name in ("gcd", "lcm") else ("int64", "bool"):
            a = [1, 2, 3]
            with pytest.raises(NotImplementedError) as expected:
                getattr(torch, name)(torch.tensor(a, dtype=getattr(torch, dtype)),
                                     torch.tensor(a, dtype=getattr(torch, dtype)))
            with pytest.raises(NotImplementedError, match=f"^{expected.value}$".replace('"', '.')):
                getattr(pyfront, name)(pyfront.tensor(a, dtype=getattr(pyfront, dtype)),
                                       pyfront.tensor(a, dtype=getattr(pyfront, dtype)))
    with pytest.raises(RuntimeError, match=r"^The `\+` operator, on a bool tensor is not supported\.$"):
        pyfront.positive(pyfront.tensor([True]))
    assert math.isinf(pyfront.mvlgamma(pyfront.tensor([0.0]), 2).item())  # torch no longer checks the domain
