"""Gradient accumulation into ``.grad``, as torch's AccumulateGrad: without create_graph a second
backward adds in place into the ``.grad`` tensor already there (whoever holds it sees the sum); with
create_graph it makes a new one (the graph of the sum is kept). Real torch (cpu) is the oracle."""
import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _outcome(fn, lib, dev):
    """What ``fn`` returns, or the type and text of what it raised."""
    try:
        return fn(lib, dev)
    except Exception as e:  # noqa: BLE001 - the error is the result compared with torch's
        return (type(e).__name__, str(e))


def _same(fn, device):
    assert _outcome(fn, pyfront, device) == _outcome(fn, torch, "cpu")


def _two_backwards(lib, dev, create_graph=False, retain_graph=False):
    w = lib.ones(3, device=dev, requires_grad=True)
    y = (w * 2).sum()
    y.backward(create_graph=create_graph, retain_graph=True)
    g1 = w.grad
    held = [p.grad for p in [w]]  # a reference taken between the two, as optimizers and users do
    (y if retain_graph else (w * 3).sum()).backward(create_graph=create_graph)
    return [w.grad is g1, held[0] is w.grad, g1.tolist(), w.grad.tolist(), w.grad.requires_grad]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("retain_graph", [False, True])
def test_a_second_backward_adds_into_the_same_grad(device, retain_graph):
    _same(lambda lib, dev: _two_backwards(lib, dev, retain_graph=retain_graph), device)


@pytest.mark.parametrize("device", DEVICES)
def test_create_graph_makes_a_new_grad_with_its_graph(device):
    _same(lambda lib, dev: _two_backwards(lib, dev, create_graph=True), device)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("kind", ["shared", "transposed", "expanded", "requires_grad"])
def test_a_grad_the_user_set_is_added_into(device, kind):
    def run(lib, dev):
        w = lib.ones(2, 3, device=dev, requires_grad=True)
        if kind == "shared":  # a tensor the user keeps using elsewhere: torch adds into it too
            other = lib.zeros(2, 3, device=dev)
            w.grad = other
        elif kind == "transposed":  # a non-contiguous .grad stays that tensor, strides and all
            other = lib.zeros(3, 2, device=dev)
            w.grad = other.t()
        elif kind == "expanded":  # an in-place add into it is refused: its elements share memory
            other = lib.zeros(3, device=dev)
            w.grad = other.expand(2, 3)
        else:
            other = lib.zeros(2, 3, device=dev, requires_grad=True)
            w.grad = other
        before = w.grad
        (w * 2).sum().backward()
        return [w.grad is before, w.grad.stride(), other.tolist(), w.grad.requires_grad]
    _same(run, device)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("bad", ["dtype", "shape"])
def test_a_grad_of_another_dtype_or_shape_is_refused(device, bad):
    def run(lib, dev):
        w = lib.ones(3, device=dev, requires_grad=True)
        w.grad = lib.zeros(3, dtype=lib.int32, device=dev) if bad == "dtype" else lib.zeros(4, device=dev)
    _same(run, device)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("returns", ["none", "tensor", "number"])
def test_a_post_accumulate_grad_hook_must_return_none(device, returns):
    def run(lib, dev):
        w = lib.ones(3, device=dev, requires_grad=True)
        seen = []
        value = {"none": lambda p: None, "tensor": lambda p: p.grad * 2, "number": lambda p: 5}[returns]
        w.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.tolist()) or value(p))
        (w * 2).sum().backward()
        return [seen, w.grad.tolist()]
    _same(run, device)


@pytest.mark.parametrize("device", DEVICES)
def test_optimizer_grads_taken_before_a_second_backward_are_current(device):
    def run(lib, dev):
        lib.manual_seed(0)
        w = lib.nn.Parameter(lib.arange(4.0, device=dev))
        grads = [p.grad for p in [w]]
        (w ** 2).sum().backward()
        grads = [p.grad for p in [w]]
        (w * 3).sum().backward()
        return [g.tolist() for g in grads]
    _same(run, device)


@pytest.mark.parametrize("device", DEVICES)
def test_a_retained_non_leaf_grad_is_replaced_not_added_into(device):
    def run(lib, dev):  # torch's retain_grad hook sums out of place, unlike a leaf's AccumulateGrad
        h = lib.ones(3, device=dev, requires_grad=True) * 1
        h.retain_grad()
        y = (h * 2).sum()
        y.backward(retain_graph=True)
        g1 = h.grad
        y.backward()
        return [h.grad is g1, g1.tolist(), h.grad.tolist()]
    _same(run, device)


@pytest.mark.parametrize("device", DEVICES)
def test_backward_with_inputs_adds_into_the_same_grad(device):
    def run(lib, dev):
        w = lib.ones(3, device=dev, requires_grad=True)
        b = lib.ones(3, device=dev, requires_grad=True)
        (w * 2 + b).sum().backward(inputs=[w, b])
        g1, gb = w.grad, b.grad
        lib.autograd.backward((w * 3 + b).sum(), inputs=[w, b])
        return [w.grad is g1, b.grad is gb, g1.tolist(), gb.tolist()]

    _same(run, device)


# a .grad made from a gradient its giver still holds (a retained non-leaf's, a first one under create_graph):
# torch keeps a copy of it (contiguous for retain_grad, the leaf's layout and a CopyBackwards node under
# create_graph), never the gradient itself, whose giver may change it or which may be expanded
def _kept(L, dev, case):
    x = L.ones(2, 3, device=dev, requires_grad=True)
    g = L.ones(2, 3, device=dev) * 2
    if case == "retained_sum":
        y = x * 2
        y.retain_grad()
        y.sum().backward()
        return y.grad.stride(), y.grad.add_(1).tolist()
    if case == "retained_transposed":
        y = x * 2
        y.retain_grad()
        (y.t() * L.arange(2.0, device=dev)).sum().backward()
        return y.grad.stride(), y.grad.tolist()
    if case == "retained_given":
        y = x + 0
        y.retain_grad()
        y.backward(g)
        g.add_(1)
        return y.grad.tolist(), x.grad.tolist()
    if case == "create_graph_given":
        (x + 0).backward(g, create_graph=True)
        g.add_(1)
        return x.grad.tolist(), x.grad.grad_fn
    if case == "create_graph_node":
        x.pow(2).sum().backward(create_graph=True)
        return type(x.grad.grad_fn).__name__, x.grad.stride(), x.grad.tolist()
    (x.t().pow(2) * L.arange(3.0, device=dev)).sum().backward(create_graph=True)  # a transposed one
    return type(x.grad.grad_fn).__name__, x.grad.stride(), x.grad.tolist()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", ["retained_sum", "retained_transposed", "retained_given",
                                  "create_graph_given", "create_graph_node", "create_graph_transposed"])
def test_a_grad_is_a_copy_of_what_its_giver_holds(device, case):
    assert _outcome(lambda L, d: _kept(L, d, case), pyfront, device) == _outcome(
        lambda L, d: _kept(L, d, case), torch, "cpu")
