"""``torch.autograd.graph.saved_tensors_hooks`` / ``save_on_cpu`` / ``disable_saved_tensors_hooks``
(found missing by running pytorch/tutorials' autograd_saved_tensors_hooks_tutorial): what the hooks see,
in which order, what the backward computes from what ``unpack`` returns, and the errors, against torch's.
"""
import threading

import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _seen(t):
    """What a hook call shows of a tensor: enough to tell which one it is and how the op hands it over."""
    return (tuple(t.shape), str(t.dtype).split(".")[-1], round(t.flatten()[0].item(), 5), t.requires_grad,
            type(t.grad_fn).__name__ if t.grad_fn is not None else None)


# primitives whose saved tensors pyfront keeps as torch's node does (composites keep their steps': lerp,
# a Formula, packs in its save_for_backward order; clamp its masks; cdist its steps')
OPS = {
    "mul": lambda L, x, w, v: x * w,
    "mul by a number": lambda L, x, w, v: x * 2,
    "square": lambda L, x, w, v: x * x,
    "div": lambda L, x, w, v: x / w,
    "pow scalar": lambda L, x, w, v: x.pow(2),
    "pow tensor": lambda L, x, w, v: x.pow(w),
    "exp (its result)": lambda L, x, w, v: x.exp(),
    "sigmoid": lambda L, x, w, v: L.sigmoid(x),
    "relu": lambda L, x, w, v: x.relu(),
    "mm": lambda L, x, w, v: x @ w,
    "bmm": lambda L, x, w, v: L.bmm(x[None], w[None]),
    "linear": lambda L, x, w, v: L.nn.functional.linear(x, w, v[0]),
    "atan2": lambda L, x, w, v: L.atan2(x, w),
    "maximum": lambda L, x, w, v: L.maximum(x, w),
    "hypot": lambda L, x, w, v: L.hypot(x, w),
    "frexp (its int exponent)": lambda L, x, w, v: L.frexp(x)[0] * 1,
    "sum (nothing saved)": lambda L, x, w, v: x.sum(),
}


def _run(L, name, device="cpu"):
    log = []
    x = L.tensor([[1.0, 2.0], [3.0, 4.0]], device=device, requires_grad=True)
    w = L.full((2, 2), 2.0, device=device, requires_grad=True)
    v = (L.full((2, 2), 3.0, device=device, requires_grad=True) * 1)

    def pack(t):
        log.append(("pack", L.is_grad_enabled(), _seen(t)))
        return t

    def unpack(t):
        log.append(("unpack", _seen(t)))
        return t

    with L.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = OPS[name](L, x, w, v)
    y.sum().backward()
    grads = [[round(g, 4) for g in t.grad.flatten().tolist()] if t.grad is not None else None for t in (x, w)]
    return log, grads


@pytest.mark.parametrize("name", list(OPS))
def test_hooks_see_what_torchs_node_saves_in_its_order(name):
    assert _run(pyfront, name) == _run(torch, name)


@pytest.mark.parametrize("device", DEVICES)
def test_what_unpack_returns_is_what_the_backward_uses(device):
    def grads(L, dev):
        x = L.tensor([1.0, -2.0, 3.0], device=dev, requires_grad=True)
        with L.autograd.graph.saved_tensors_hooks(lambda t: t * 4, lambda t: t / 2):  # x saved twice as big
            y = (x * x).sum() + L.exp(x).sum()
        y.backward()
        return x.grad.cpu().tolist()
    assert grads(pyfront, device) == pytest.approx(grads(torch, "cpu"), rel=1e-6)


@pytest.mark.parametrize("device", DEVICES)
def test_save_on_cpu_trains_as_without_it(device):
    def grads(L, dev):
        lin = L.nn.Linear(3, 2).to(dev)
        with L.no_grad():  # the same weights in both libraries
            lin.weight.copy_(L.linspace(-1, 1, 6).reshape(2, 3))
            lin.bias.fill_(0.5)
        x = L.arange(6.0, device=dev).reshape(2, 3) / 10
        with L.autograd.graph.save_on_cpu(pin_memory=True):
            loss = L.tanh(lin(x)).pow(2).sum()
        loss.backward()
        return [loss.item(), *lin.weight.grad.cpu().flatten().tolist()], lin.weight.grad.device.type
    got, want = grads(pyfront, device), grads(torch, "cpu")
    assert got[0] == pytest.approx(want[0], rel=1e-5, abs=1e-6) and got[1] == device


def _outcome(fn):
    try:
        return ("ok", fn())
    except Exception as e:  # noqa: BLE001 -- the type and text are what is compared
        return (type(e).__name__, str(e))


def _unpack_not_a_tensor(L):
    x = L.ones(3, requires_grad=True)
    with L.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: 5):
        y = (x * x).sum()
    y.backward()


def _read_twice_after_backward(L):
    x = L.ones(3, requires_grad=True)
    with L.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        y = x.exp()
    y.sum().backward()
    return y.grad_fn._saved_result


def _hooked_saves_skip_the_version_check(L):
    x = L.zeros(3, requires_grad=True)
    b = x * 1
    with L.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        y = b.exp()
    y.mul_(2)  # torch checks no version through the hooks: the backward reads the doubled result
    y.sum().backward()
    return x.grad.tolist()


def _opened_while_disabled(L):
    with L.autograd.graph.disable_saved_tensors_hooks("no hooks here"):
        with L.autograd.graph.disable_saved_tensors_hooks("nor here"):
            pass
        with L.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
            pass


def _disabled_while_open(L):
    with L.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        with L.autograd.graph.disable_saved_tensors_hooks("not while hooks are open"):
            pass


def _innermost_pair_only(L):
    seen = []
    x = L.ones(2, requires_grad=True)
    with L.autograd.graph.saved_tensors_hooks(lambda t: seen.append("outer") or t, lambda t: t):
        with L.autograd.graph.saved_tensors_hooks(lambda t: seen.append("inner") or t, lambda t: t):
            x.exp()
        with L.no_grad():
            x.exp()  # nothing is saved without grad mode
    return seen


def _function_save_for_backward(L):
    seen = []

    class Twice(L.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            out = t * 2
            ctx.save_for_backward(t, out)
            return out

        @staticmethod
        def backward(ctx, g):
            t, out = ctx.saved_tensors
            return g * out / t

    x = L.ones(2, requires_grad=True)
    with L.autograd.graph.saved_tensors_hooks(lambda t: seen.append(("pack", _seen(t))) or t,
                                              lambda t: seen.append(("unpack", _seen(t))) or t):
        y = Twice.apply(x)
    y.sum().backward()
    return seen, x.grad.tolist()


ERRORS = [_unpack_not_a_tensor, _read_twice_after_backward, _hooked_saves_skip_the_version_check,
          _opened_while_disabled, _disabled_while_open, _innermost_pair_only, _function_save_for_backward]


@pytest.mark.parametrize("case", ERRORS, ids=lambda f: f.__name__.strip("_"))
def test_outcomes_are_torchs(case):
    assert _outcome(lambda: case(pyfront)) == _outcome(lambda: case(torch))


def test_hooks_are_per_thread():
    """A pair opened on one thread packs nothing another thread saves (torch keeps them thread-local)."""
    seen, ready, done = [], threading.Event(), threading.Event()

    def other():
        ready.wait()
        (pyfront.ones(2, requires_grad=True) * pyfront.ones(2, requires_grad=True)).sum().backward()
        done.set()

    thread = threading.Thread(target=other)
    thread.start()
    with pyfront.autograd.graph.saved_tensors_hooks(lambda t: seen.append(1) or t, lambda t: t):
        ready.set()
        done.wait()
    thread.join()
    assert seen == []
