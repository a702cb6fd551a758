"""In-place view changes (unsqueeze_, squeeze_, t_, transpose_, swapdims_/swapaxes_, as_strided_) and
fill_diagonal_, against real torch (cpu) on cpu and webgpu: the values, shape, strides and storage offset,
the version counter, the node recorded (UnsqueezeBackward1, ...), the gradients through the changed tensor,
and torch's errors (a leaf that requires grad or a view of one, bad dims, as_strided's geometry checks)."""
import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _outcome(fn):
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
        return type(e).__name__, torch_text(e)


def _state(t):
    node = t.grad_fn.name() if hasattr(t.grad_fn, "name") else type(t.grad_fn).__name__
    return (list(t.shape), list(t.stride()), t.storage_offset(), t.is_contiguous(), node,
            [round(v, 5) for v in t.detach().cpu().reshape(-1).tolist()])


def _same(program, device):
    def run(L, dev):
        return _outcome(lambda: program(L, dev))
    assert run(pyfront, device) == run(torch, "cpu")


# each: (name, the in-place call); applied to a non-leaf of shape (1, 2, 1, 3) or its 2-D / 1-D views
CALLS = [
    ("unsqueeze_(0)", lambda t: t.unsqueeze_(0)), ("unsqueeze_(-1)", lambda t: t.unsqueeze_(-1)),
    ("unsqueeze_(9)", lambda t: t.unsqueeze_(9)),
    ("squeeze_()", lambda t: t.squeeze_()), ("squeeze_(0)", lambda t: t.squeeze_(0)),
    ("squeeze_(1)", lambda t: t.squeeze_(1)), ("squeeze_((0, 2))", lambda t: t.squeeze_((0, 2))),
    ("squeeze_([0, 0])", lambda t: t.squeeze_([0, 0])), ("squeeze_(7)", lambda t: t.squeeze_(7)),
    ("transpose_(1, 3)", lambda t: t.transpose_(1, 3)), ("transpose_(0, -1)", lambda t: t.transpose_(0, -1)),
    ("swapdims_(1, 2)", lambda t: t.swapdims_(1, 2)), ("swapaxes_(0, 3)", lambda t: t.swapaxes_(0, 3)),
    ("transpose_(0, 5)", lambda t: t.transpose_(0, 5)),
    ("t_()", lambda t: t.t_()),
    ("as_strided_((3, 2), (1, 3))", lambda t: t.as_strided_((3, 2), (1, 3))),
    ("as_strided_((2,), (2,), 1)", lambda t: t.as_strided_((2,), (2,), 1)),
    ("as_strided_((4, 4), (1, 1))", lambda t: t.as_strided_((4, 4), (1, 1))),
    ("as_strided_((2,), (-1,))", lambda t: t.as_strided_((2,), (-1,))),
    ("as_strided_((2, 2), (1,))", lambda t: t.as_strided_((2, 2), (1,))),
]
SHAPES = {"4-D": lambda x: x, "2-D": lambda x: x.view(2, 3), "1-D": lambda x: x.view(6)}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", [c[0] for c in CALLS])
def test_in_place_view_change_as_torch(name, shape, device):
    call = dict(CALLS)[name]

    def program(L, dev):
        x = L.tensor([[[[1.0, 2, 3]], [[4, 5, 6]]]], device=dev, requires_grad=True)  # (1, 2, 1, 3)
        y = SHAPES[shape](x * 2).clone()  # a non-leaf that is no view
        v0 = y._version
        out = call(y)
        assert out is y
        weights = L.arange(1.0, y.numel() + 1, device=dev).view(y.shape)
        (y * weights).sum().backward()
        return _state(y), y._version - v0, x.grad.cpu().tolist()
    _same(program, device)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("strided", ["slice", "transposed"])
@pytest.mark.parametrize("name", [c[0] for c in CALLS])
def test_in_place_view_change_of_a_view_as_torch(name, strided, device):
    """A view of a non-leaf changed in place stays a view of its base; writing its base afterwards is
    seen through it, and the gradients flow to the base's history."""
    call = dict(CALLS)[name]

    def program(L, dev):
        x = L.tensor([[1.0, 2, 3], [4, 5, 6]], device=dev, requires_grad=True)
        z = (x * 2).view(1, 2, 1, 3)
        v = z[:, :1] if strided == "slice" else z.view(2, 3).t()
        call(v)
        same_base = v._base is z
        z.mul_(3)
        first = _state(v)
        (v * L.arange(1.0, v.numel() + 1, device=dev).view(v.shape)).sum().backward()
        return first, same_base, x.grad.cpu().tolist()
    _same(program, device)


@pytest.mark.parametrize("name", [c[0] for c in CALLS] + ["fill_diagonal_(1.5)"])
def test_leaves_and_their_views_are_refused_as_torch(name):
    call = dict(CALLS, **{"fill_diagonal_(1.5)": lambda t: t.fill_diagonal_(1.5)})[name]

    def program(L, dev):
        x = L.ones(2, 2, requires_grad=True)
        outcomes = [_outcome(lambda: call(x)), _outcome(lambda: call(x[:1]))]
        with L.no_grad():  # allowed there, and the history stays
            leaf = L.ones(1, 2, 1, 3, requires_grad=True)
            outcomes.append(_outcome(lambda: _state(call(leaf))))
        return outcomes, list(x.shape), x._version
    _same(program, "cpu")


def test_a_saved_tensor_changed_in_place_fails_backward_as_torch():
    def program(L, dev):
        w = L.ones(2, 3, requires_grad=True).exp()  # exp saves its result
        w.unsqueeze_(0)
        return w.sum().backward()
    _same(program, "cpu")


def test_as_strided_reads_the_memory_of_a_strided_tensor_as_torch():
    def program(L, dev):
        x = L.arange(12.0, requires_grad=True)
        base = (x * 1).view(3, 4)
        outs = [base.t().as_strided((2, 2), (1, 2)), base[1:].as_strided((3,), (2,)),
                base[1:].as_strided((3,), (2,), 0), base.t().as_strided((3, 3), (1, 1))]  # overlapping
        sum(((o * L.arange(1.0, o.numel() + 1).view(o.shape)).sum() for o in outs)).backward()
        return [_state(o) for o in outs], x.grad.tolist()
    _same(program, "cpu")


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape,wrap", [((3, 3), False), ((2, 4), False), ((7, 3), False), ((7, 3), True),
                                        ((8, 3), True), ((9, 3), True), ((3, 7), True), ((5, 1), True),
                                        ((3, 3, 3), False), ((2, 2, 2, 2), True), ((0, 0), False),
                                        ((3,), False), ((3, 4, 5), False)])
def test_fill_diagonal_as_torch(shape, wrap, device):
    def program(L, dev):
        x = L.arange(1.0, 1 + L.zeros(shape).numel(), device=dev, requires_grad=True)
        y = (x * 1).view(shape)
        v0 = y._version
        out = y.fill_diagonal_(-2.5, wrap=wrap)
        assert out is y
        (y * y).sum().backward()
        return _state(y), y._version > v0, x.grad.cpu().tolist()
    _same(program, device)


@pytest.mark.parametrize("value", [7, 2.7, True, "t0", "t1", "tgrad", None, "s"])
@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
def test_fill_diagonal_values_and_their_errors_as_torch(value, dtype):
    def program(L, dev):
        v = {"t0": L.tensor(3.0), "t1": L.tensor([3.0]), "tgrad": L.tensor(3.0, requires_grad=True)}.get(
            value, value) if isinstance(value, str) and value != "s" else value
        return _state(L.zeros(3, 3, dtype=getattr(L, dtype)).fill_diagonal_(v))
    _same(program, "cpu")


# torch's CreationMeta rules: which views may not be written in place (any in-place op). (Not here: a view
# written under no_grad, which torch allows but then refuses to give its grad_fn; pyfront gives it.)
VIEW_WRITES = {
    "unbind output mul_": lambda L, x, y: y.unbind()[1].mul_(2),
    "unbind output of a leaf": lambda L, x, y: x.unbind()[0].mul_(2),
    "split output unsqueeze_": lambda L, x, y: y.split(1)[1].unsqueeze_(0),
    "split_with_sizes output": lambda L, x, y: y.split([1, 1])[0].add_(1),
    "chunk output t_": lambda L, x, y: y.chunk(2)[0].t_(),
    "a view of an unbind output": lambda L, x, y: y.unbind()[0][0:2].zero_(),
    "unbind output detached": lambda L, x, y: y.unbind()[0].detach().mul_(2),
    "view made under no_grad": lambda L, x, y: _made_under_no_grad(L, y)[0].mul_(2),
    "view of a leaf made under no_grad": lambda L, x, y: _made_under_no_grad(L, x)[0].unsqueeze_(0),
    "unbind made under no_grad": lambda L, x, y: _made_under_no_grad(L, y, True)[0].mul_(2),
    "view of a base without grad made under no_grad": lambda L, x, y: _made_under_no_grad(
        L, y.detach())[0].mul_(2),
}


def _made_under_no_grad(L, t, unbind=False):
    with L.no_grad():
        return t.unbind() if unbind else (t[0:1],)


@pytest.mark.parametrize("name", VIEW_WRITES)
def test_views_torch_forbids_writing_in_place(name):
    def program(L, dev):
        x = L.tensor([[1.0, 2, 3], [4, 5, 6]], requires_grad=True)
        y = x * 2
        out = VIEW_WRITES[name](L, x, y)
        return _state(out), _state(y)
    _same(program, "cpu")
