"""Activations differentiate by torch's own backward formulas, against torch: the double backward's node
and values at the edges (NaN, +-inf, signed zeros, the breakpoints) for every activation and four float
dtypes; in-place calls differentiated from the result as torch's (node, saved attributes, values, the
refusal of a negative slope); celu's refusal of alpha = 0 and its scales' range; and the handle every
hook registration returns (torch.utils.hooks.RemovableHandle)."""
from __future__ import annotations

import math

import pytest
import torch

import pyfront

EDGES = [math.nan, math.inf, -math.inf, -0.0, 0.0, -3.0, 3.0, -1.0, 1.0, 6.0, 0.5, -0.5, 2.0, -20.0, 0.25,
         -2.5]
DTYPES = ["float32", "float64", "float16", "bfloat16"]
ACTIVATIONS = {
    "hardsigmoid": lambda F, x: F.hardsigmoid(x),
    "hardswish": lambda F, x: F.hardswish(x),
    "hardtanh": lambda F, x: F.hardtanh(x, -1.0, 2.0),
    "relu6": lambda F, x: F.relu6(x),
    "leaky_relu": lambda F, x: F.leaky_relu(x, 0.2),
    "rrelu_evaluation": lambda F, x: F.rrelu(x, 0.1, 0.3),
    "threshold": lambda F, x: F.threshold(x, 1.0, 2.0),
    "softshrink": lambda F, x: F.softshrink(x, 0.5),
    "hardshrink": lambda F, x: F.hardshrink(x, 0.5),
    "silu": lambda F, x: F.silu(x),
    "mish": lambda F, x: F.mish(x),
    "gelu": lambda F, x: F.gelu(x),
    "gelu_tanh": lambda F, x: F.gelu(x, approximate="tanh"),
    "glu": lambda F, x: F.glu(x.reshape(2, -1), 0),
    "softsign": lambda F, x: F.softsign(x),
    "tanhshrink": lambda F, x: F.tanhshrink(x),
    "sigmoid": lambda F, x: F.sigmoid(x),
    "tanh": lambda F, x: F.tanh(x),
    "relu": lambda F, x: F.relu(x),
    "elu": lambda F, x: F.elu(x, 0.7),
    "selu": lambda F, x: F.selu(x),
    "celu": lambda F, x: F.celu(x, 2.0),
    "softplus": lambda F, x: F.softplus(x, 2.0, 5.0),
    "logsigmoid": lambda F, x: F.logsigmoid(x),
}


def _name(t):
    return None if t is None or t.grad_fn is None else type(t.grad_fn).__name__


def _twice(lib, f, dtype):
    """The first gradient (with its graph) and the gradients of it, or the error the second raises."""
    x = lib.tensor(EDGES, dtype=getattr(lib, dtype), requires_grad=True)
    y = f(lib.nn.functional, x)
    g = lib.full(y.shape, 1.5, dtype=x.dtype, requires_grad=True)
    (gx,) = lib.autograd.grad(y, x, g, create_graph=True)
    try:
        second = lib.autograd.grad(gx, (x, g), lib.full(gx.shape, 0.75, dtype=x.dtype), allow_unused=True)
    except RuntimeError as e:
        second = str(e)
    return gx, second


def _same(got, want, **tol):
    if want is None or got is None:
        assert got is None and want is None
        return
    torch.testing.assert_close(torch.from_numpy(got.detach().float().numpy()), want.detach().float(),
                               equal_nan=True, **tol)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_double_backward_as_torch(name, dtype):
    """The gradient taken with create_graph shows torch's node (EluBackwardBackward0, ...), and its
    gradients are torch's double-backward formulas' (hardswish's gave NaN at +-inf and NaN, the masking
    activations none for the input where torch's give zeros)."""
    f = ACTIVATIONS[name]
    want_gx, want = _twice(torch, f, dtype)
    got_gx, got = _twice(pyfront, f, dtype)
    tol = {"rtol": 2e-2, "atol": 2e-2} if dtype in ("float16", "bfloat16") else {}
    assert _name(got_gx) == _name(want_gx)
    _same(got_gx, want_gx, **tol)
    if isinstance(want, str):
        assert got == want
        return
    for d, w in zip(got, want):
        _same(d, w, **tol)


def _prelu_twice(lib, dtype):
    x = lib.tensor(EDGES, dtype=getattr(lib, dtype), requires_grad=True)
    w = lib.tensor([0.25], dtype=x.dtype, requires_grad=True)
    g = lib.full(x.shape, 1.5, dtype=x.dtype, requires_grad=True)
    gx, gw = lib.autograd.grad(lib.nn.functional.prelu(x, w), (x, w), g, create_graph=True)
    seconds = [lib.autograd.grad(d, (x, w, g), lib.full(d.shape, 0.75, dtype=x.dtype), allow_unused=True,
                                 retain_graph=True) for d in (gx, gw)]
    return gx, gw, seconds


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_prelu_double_backward_as_torch(dtype):
    """torch's PreluKernelBackwardBackward0 (its selects by x >= 0: +-0 on the positive side, where the
    first gradients take x > 0), zeros where its formulas give them. (The weight's gradient shows torch's
    SumBackward1 there, pyfront's view of the weight: not compared.)"""
    want_gx, want_gw, want = _prelu_twice(torch, dtype)
    got_gx, got_gw, got = _prelu_twice(pyfront, dtype)
    assert _name(got_gx) == _name(want_gx) == "PreluKernelBackwardBackward0"
    _same(got_gx, want_gx)
    _same(got_gw, want_gw)
    for got_grads, want_grads in zip(got, want):
        for d, w in zip(got_grads, want_grads):
            _same(d, w)


# (name, call, input values): in-place calls torch differentiates from the result (EluBackward1 ...) or from
# the input it keeps (ThresholdBackward1, HardtanhBackward0)
VALUES = [-20.0, math.nan, -1.0, -0.0, 0.0, 0.5, 2.0, math.inf, -math.inf] * 4 + [-20.0, math.nan, -1.0, 2.0]
IN_PLACE = {
    "elu_": lambda F, y: F.elu_(y),
    "elu_alpha2": lambda F, y: F.elu_(y, 2.0),
    "elu_alpha0": lambda F, y: F.elu_(y, 0.0),
    "elu_negative_alpha": lambda F, y: F.elu_(y, -0.5),
    "elu_inplace_negative_alpha": lambda F, y: F.elu(y, -0.5, inplace=True),
    "selu_": lambda F, y: F.selu_(y),
    "celu_": lambda F, y: F.celu_(y, 2.0),
    "celu_negative_alpha": lambda F, y: F.celu(y, -2.0, inplace=True),
    "leaky_relu_": lambda F, y: F.leaky_relu_(y, 0.2),
    "leaky_relu_slope0": lambda F, y: F.leaky_relu(y, 0.0, inplace=True),
    "leaky_relu_negative_slope": lambda F, y: F.leaky_relu_(y, -0.2),
    "hardtanh_": lambda F, y: F.hardtanh_(y, -1.0, 1.0),
    "relu6_inplace": lambda F, y: F.relu6(y, inplace=True),
    "threshold_": lambda F, y: F.threshold_(y, 0.5, 3.0),
    "silu_inplace": lambda F, y: F.silu(y, inplace=True),
    "hardswish_inplace": lambda F, y: F.hardswish(y, inplace=True),
    "rrelu_eval": lambda F, y: F.rrelu_(y),
    "rrelu_eval_negative_slope": lambda F, y: F.rrelu(y, -0.5, -0.2, inplace=True),
}


def _in_place(lib, f, dtype):
    x = lib.tensor(VALUES, dtype=getattr(lib, dtype), requires_grad=True)
    z = f(lib.nn.functional, x * 1)
    fn = z.grad_fn
    saved = {a: getattr(fn, a) for a in dir(fn) if a.startswith("_saved_")}
    try:
        z.backward(lib.full(z.shape, 1.5, dtype=x.dtype))
        outcome = x.grad
    except RuntimeError as e:
        outcome = str(e)
    return type(fn).__name__, saved, outcome


def _close(got, want):
    """Within torch's relative tolerance, with none near 0 (elu_(alpha=2)'s gradient at -20 is 0, where the
    input's formula gave 4.1e-09), zeros signed as torch's."""
    got, want = torch.from_numpy(got.detach().numpy()), want.detach()
    torch.testing.assert_close(got, want, atol=0, rtol=1.3e-6, equal_nan=True)
    zeros = want == 0
    assert got[zeros].signbit().tolist() == want[zeros].signbit().tolist()


@pytest.mark.parametrize("dtype", ["float32", "float64", "bfloat16"])
@pytest.mark.parametrize("case", IN_PLACE)
def test_in_place_as_torch(case, dtype):
    want_node, want_saved, want = _in_place(torch, IN_PLACE[case], dtype)
    got_node, got_saved, got = _in_place(pyfront, IN_PLACE[case], dtype)
    assert got_node == want_node
    assert got_saved.keys() == want_saved.keys()
    for k, w in want_saved.items():
        if k == "_saved_noise" and case.startswith("rrelu"):  # (torch's, unwritten in evaluation: any values)
            assert got_saved[k].shape == w.shape
        elif isinstance(w, torch.Tensor):
            _close(got_saved[k].float(), w.float())
        else:
            assert got_saved[k] == w
    if isinstance(want, str):
        assert got == want
    else:
        _close(got.float(), want.float())


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
@pytest.mark.parametrize("alpha", [0.0, -0.0, 0, 1e-320, 1e-45, 1e39, -1e39])
def test_celu_alpha_as_torch(alpha, dtype):
    """alpha = 0: torch's RuntimeError (Python's ZeroDivisionError escaped), before the dtype's refusal;
    alpha and 1 / alpha must fit the dtype; a subnormal alpha's 1 / alpha is inf."""
    def outcome(lib):
        try:
            return lib.nn.functional.celu(lib.tensor([-1.0, 1.0]).to(getattr(lib, dtype)), alpha).tolist()
        except (RuntimeError, NotImplementedError) as e:
            return type(e).__name__, str(e)
    assert outcome(pyfront) == outcome(torch)


def _registrations(lib):
    x = lib.ones(2, requires_grad=True)
    y = x * 2
    lin = lib.nn.Linear(2, 2)
    opt = lib.optim.SGD([x], lr=0.1)
    optimizer = __import__(lib.__name__ + ".optim.optimizer", fromlist=["_"])
    def hook(*a, **k):
        return None
    return [x.register_hook(hook), y.register_hook(hook), x.register_post_accumulate_grad_hook(hook),
            y.grad_fn.register_hook(hook), y.grad_fn.register_prehook(hook),
            lib.autograd.graph.register_multi_grad_hook([x, y], hook),
            lin.register_forward_hook(hook), lin.register_forward_pre_hook(hook),
            lin.register_full_backward_hook(hook), lin.register_state_dict_pre_hook(hook),
            lin.register_load_state_dict_post_hook(hook),
            lib.nn.modules.module.register_module_forward_hook(hook),
            opt.register_step_pre_hook(hook), opt.register_state_dict_pre_hook(hook),
            opt.register_load_state_dict_post_hook(hook), optimizer.register_optimizer_step_post_hook(hook)]


def _shown(lib, handle):
    kind = type(handle)
    repr_head = repr(handle).split(" object at ")[0].replace(lib.__name__, "torch")
    return (kind.__module__.replace(lib.__name__, "torch"), kind.__qualname__,
            isinstance(handle, lib.utils.hooks.RemovableHandle), sorted(vars(handle)), repr_head)


def test_hook_handles_are_torchs():
    """Every registration returns a torch.utils.hooks.RemovableHandle (type name, module, repr, attributes,
    isinstance), register_multi_grad_hook torch.autograd.graph's _MultiHandle, one; remove() unregisters."""
    want = [_shown(torch, h) for h in _registrations(torch)]
    handles = _registrations(pyfront)
    assert [_shown(pyfront, h) for h in handles] == want
    x = pyfront.ones(2, requires_grad=True)
    seen = []
    handle = x.register_hook(lambda g: seen.append(1))
    (x * 2).sum().backward()
    handle.remove()
    handle.remove()  # (twice: nothing left to remove)
    (x * 2).sum().backward()
    assert seen == [1]


@pytest.mark.parametrize("dtype", ["float32", "float16", "int32"])
def test_leaky_slopes_refuse_what_the_dtype_cannot_hold(dtype):
    """leaky_relu's and evaluation rrelu's slope checked against the dtype, an integer input refused by
    leaky_relu's kernel: torch's errors (evaluation rrelu with a slope of 1e300 computed -inf)."""
    calls = [lambda F, x: F.rrelu(x, 1e300, 1e300, training=False), lambda F, x: F.leaky_relu(x, 1e300),
             lambda F, x: F.rrelu(x, training=False), lambda F, x: F.rrelu(x, 1e300, 1e300, inplace=True)]
    for call in calls:
        outcomes = []
        for L in (torch, pyfront):
            try:
                outcomes.append(call(L.nn.functional, L.tensor([-1.0, 2.0]).to(getattr(L, dtype))).tolist())
            except Exception as e:
                outcomes.append((type(e).__name__, str(e)))
        assert outcomes[0] == outcomes[1]


def test_removing_a_module_hook_leaves_no_entry():
    """A handle's extra dicts are kept even when empty at registration (with_kwargs, always_call fill them
    after): remove() empties every dict as torch's (an entry per registration was left behind)."""
    left = []
    for L in (torch, pyfront):
        m = L.nn.Linear(2, 2)
        m.register_forward_pre_hook(lambda *a, **k: None, with_kwargs=True).remove()
        m.register_forward_hook(lambda *a, **k: None, with_kwargs=True).remove()
        m.register_forward_hook(lambda *a: None, always_call=True).remove()
        left.append([len(d) for d in (m._forward_pre_hooks, m._forward_pre_hooks_with_kwargs, m._forward_hooks,
                                      m._forward_hooks_with_kwargs, m._forward_hooks_always_called)])
    assert left[1] == left[0] == [0] * 5
