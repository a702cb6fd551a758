"""elu, selu, celu, softplus and logsigmoid on the cpu without a recorded gradient run one kernel (elu_op,
softplus_op, logsigmoid_op: the composites' steps in one NumPy pass, 80-150 us of eight to twelve ops at 1,000
elements before); a recorded call runs the same kernel in a Formula whose gradient is torch's backward
kernel (elu_backward, softplus_backward, log_sigmoid_backward: one op each). The kernel's values are the
composite's to the bit (NaN, signed zeros, the infinities, 16-bit dtypes rounded once), laid out as torch
lays its result, and within torch's tolerance of torch's."""
import numpy as np
import pytest
import torch

import pyfront

CALLS = [("elu", {}), ("elu", {"alpha": 0.7}), ("selu", {}), ("celu", {"alpha": 2.5}), ("softplus", {}),
         ("softplus", {"beta": 2.0, "threshold": 5.0}), ("logsigmoid", {})]
VIEWS = [lambda t: t, lambda t: t.T, lambda t: t[:, :1].expand(8, 5), lambda t: t[0, 0], lambda t: t[:0]]


def _data():
    a = np.random.default_rng(0).standard_normal((8, 33)).astype(np.float32) * 4
    a[::3, ::5] = np.nan
    a[1, :6] = [np.inf, -np.inf, 0.0, -0.0, -1e-30, 88.0]
    return a


def _bits(t):
    return t.detach().float().numpy().view(np.uint32)


@pytest.mark.parametrize("name, kernel", [("elu", "elu"), ("selu", "elu"), ("softplus", "softplus"),
                                                 ("logsigmoid", "log_sigmoid")])
def test_one_kernel_without_a_gradient(name, kernel):
    x = pyfront.randn(4, 5)
    getattr(pyfront.nn.functional, name)(x)
    with pyfront.profiler.profile(activities=[pyfront.profiler.ProfilerActivity.CPU]) as prof:
        getattr(pyfront.nn.functional, name)(x)
    assert [e.name for e in prof.events() if e.name.startswith("aten::")] == [f"aten::{kernel}"]


@pytest.mark.parametrize("name, kernel", [("elu", "elu"), ("celu", "elu"), ("softplus", "softplus"),
                                          ("logsigmoid", "log_sigmoid")])
def test_one_kernel_forward_and_backward_when_recorded(name, kernel):
    """A recorded call: the one-kernel forward, and torch's backward kernel once (32 elements: no scalar
    tail, whose NaN side elu's kernel computes apart)."""
    x = pyfront.randn(4, 8, requires_grad=True)
    fn = getattr(pyfront.nn.functional, name)
    with pyfront.profiler.profile(activities=[pyfront.profiler.ProfilerActivity.CPU]) as forward:
        y = fn(x)
    with pyfront.profiler.profile(activities=[pyfront.profiler.ProfilerActivity.CPU]) as backward:
        y.backward(pyfront.ones(4, 8))
    assert [e.name for e in forward.events() if e.name.startswith("aten::")] == [f"aten::{kernel}"]
    assert [e.name for e in backward.events() if e.name.endswith("_backward")] == [f"aten::{kernel}_backward"]


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
@pytest.mark.parametrize("name, kwargs", CALLS)
def test_the_kernel_gives_the_composites_bits(name, kwargs, dtype, monkeypatch):
    """The kernel's values against the composite's (the ops webgpu runs: host_rules answering no), values
    and gradients (torch's backward kernel against its formula written in tensor ops)."""
    from pyfront.nn.functional import activation
    a = _data()
    fn, torch_fn = getattr(pyfront.nn.functional, name), getattr(torch.nn.functional, name)

    def value_and_grad(x):
        x = x.clone().requires_grad_()
        y = fn(x, **kwargs)
        (g,) = pyfront.autograd.grad(y, x, pyfront.ones_like(y) * -0.5)
        return y, g

    for view in VIEWS:
        x = pyfront.tensor(a).to(getattr(pyfront, dtype))
        got = fn(view(x), **kwargs)
        kernel = value_and_grad(view(x))
        with monkeypatch.context() as m:
            m.setattr(activation, "host_rules", lambda device: False)
            composite = value_and_grad(view(x))
        for k, c in zip(kernel, composite):
            np.testing.assert_array_equal(_bits(k), _bits(c))
        want = torch_fn(view(torch.tensor(a).to(getattr(torch, dtype))), **kwargs)
        assert got.dtype == composite[0].dtype and got.stride() == want.stride()
        np.testing.assert_array_equal(_bits(got), _bits(composite[0]))
        torch.testing.assert_close(torch.from_numpy(got.float().numpy()), want.float(), equal_nan=True)


def test_in_place_and_under_no_grad():
    a = _data()
    x, xt = pyfront.tensor(a), torch.tensor(a)
    pyfront.nn.functional.elu(x, inplace=True)
    torch.nn.functional.elu(xt, inplace=True)
    torch.testing.assert_close(torch.from_numpy(x.numpy()), xt, equal_nan=True)
    leaf = pyfront.tensor(a, requires_grad=True)
    with pyfront.no_grad():
        out = pyfront.nn.functional.selu(leaf)
    assert out.grad_fn is None and not out.requires_grad
