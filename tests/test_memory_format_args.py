"""Memory formats where torch takes them beyond one op's result: ``Module.to(memory_format=)`` lays out the
4-d and 5-d parameters and buffers (refusing a format of the other rank), a bad ``memory_format`` gets
torch's TypeError naming the function, ``out=`` keeps its strides where it has the result's shape and takes
the result's layout where it is resized, in-place ops keep their destination's strides, and
``resize_``/``resize_as_`` restride in the format asked. PyTorch is the oracle, on cpu and webgpu."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
FORMATS = ["channels_last", "channels_last_3d", "contiguous_format", "preserve_format"]


def _outcome(fn):
    try:
        return fn()
    except (RuntimeError, TypeError) as e:
        return type(e).__name__, str(e)


def _module(T, kind, device):
    T.manual_seed(0)
    if kind == "conv2d":
        m = T.nn.Conv2d(3, 4, 3)
    elif kind == "conv3d":
        m = T.nn.Conv3d(3, 4, 2)
    elif kind == "batchnorm":
        m = T.nn.BatchNorm2d(3)
    elif kind == "linear":
        m = T.nn.Linear(3, 4)
    else:  # buffers of rank 4 and 5
        m = T.nn.Module()
        m.register_buffer("b4", T.zeros(2, 3, 4, 5))
        m.register_buffer("b5", T.zeros(2, 3, 4, 5, 6))
    return m.to(device) if T is pyfront else m


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", ["conv2d", "conv3d", "batchnorm", "linear", "buffers"])
def test_module_to_memory_format_as_torch(kind, fmt, device):
    def run(T):
        m = _module(T, kind, device if T is pyfront else "cpu")
        params = dict(m.named_parameters())
        m.to(memory_format=getattr(T, fmt))
        same = all(p is params[n] for n, p in m.named_parameters())  # the Parameters themselves, relaid
        return same, [(n, tuple(t.stride())) for n, t in [*m.named_parameters(), *m.named_buffers()]]
    assert _outcome(lambda: run(pyfront)) == _outcome(lambda: run(torch))


def test_module_to_memory_format_then_backward_as_torch():
    def run(T):
        m = _module(T, "conv2d", "cpu").to(memory_format=T.channels_last)
        m(T.ones(1, 3, 5, 5).contiguous(memory_format=T.channels_last)).sum().backward()
        return tuple(m.weight.grad.stride()), m.weight.grad.sum().item()
    got, want = run(pyfront), run(torch)
    assert got[0] == want[0] and got[1] == pytest.approx(want[1], rel=1e-5)


# None too: an optional memory_format takes it (torch's default), contiguous()/is_contiguous() do not (theirs
# is a format), and a factory without the argument refuses the keyword whatever its value
BAD_VALUES = ["channels_last", 1, "dtype", None]
CALLS = {
    "clone": lambda T, x, f: x.clone(memory_format=f),
    "torch.clone": lambda T, x, f: T.clone(x, memory_format=f),
    "contiguous": lambda T, x, f: x.contiguous(memory_format=f),
    "is_contiguous": lambda T, x, f: x.is_contiguous(memory_format=f),
    "to": lambda T, x, f: x.to(memory_format=f),
    "to_dtype": lambda T, x, f: x.to(T.float64, memory_format=f),
    "module_to": lambda T, x, f: T.nn.Linear(2, 2).to(memory_format=f),
    "float": lambda T, x, f: x.float(memory_format=f),
    "half": lambda T, x, f: x.half(memory_format=f),
    "cpu": lambda T, x, f: x.cpu(memory_format=f),
    "empty": lambda T, x, f: T.empty(2, 3, memory_format=f),
    "zeros_like": lambda T, x, f: T.zeros_like(x, memory_format=f),
    "empty_like": lambda T, x, f: T.empty_like(x, memory_format=f),
    "full_like": lambda T, x, f: T.full_like(x, 2, memory_format=f),
    "rand_like": lambda T, x, f: T.rand_like(x, memory_format=f),
    "resize_": lambda T, x, f: x.resize_(3, 2, memory_format=f),
    "resize_as_": lambda T, x, f: x.resize_as_(T.zeros(3, 2), memory_format=f),
    "double": lambda T, x, f: x.double(memory_format=f),
    "bool": lambda T, x, f: x.bool(memory_format=f),
    "ones_like": lambda T, x, f: T.ones_like(x, memory_format=f),
    "randn_like": lambda T, x, f: T.randn_like(x, memory_format=f),
    "randint_like": lambda T, x, f: T.randint_like(x, 3, memory_format=f),
    "foreach_clone": lambda T, x, f: T._foreach_clone([x], memory_format=f),
    # the positional form: torch's memory_format is keyword-only
    "contiguous_positional": lambda T, x, f: x.contiguous(f),
    "is_contiguous_positional": lambda T, x, f: x.is_contiguous(f),
    "to_positional": lambda T, x, f: x.to("cpu", T.float64, False, False, f),
    # factories that take no memory_format
    "zeros": lambda T, x, f: T.zeros(2, 3, memory_format=f),
    "ones": lambda T, x, f: T.ones((2, 3), memory_format=f),
    "full": lambda T, x, f: T.full((2, 3), 1.0, memory_format=f),
    "rand": lambda T, x, f: T.rand(2, 3, memory_format=f),
    "randn": lambda T, x, f: T.randn(2, memory_format=f),
    "new_empty": lambda T, x, f: x.new_empty(2, memory_format=f),
    "new_zeros": lambda T, x, f: x.new_zeros((2, 3), memory_format=f),
    "new_ones": lambda T, x, f: x.new_ones(2, memory_format=f),
    "new_full": lambda T, x, f: x.new_full((2,), 1, memory_format=f),
    "new_empty_strided": lambda T, x, f: x.new_empty_strided((2,), (1,), memory_format=f),
    "new_tensor": lambda T, x, f: x.new_tensor([1], memory_format=f),
}


@pytest.mark.parametrize("value", BAD_VALUES, ids=str)
@pytest.mark.parametrize("call", list(CALLS))
def test_bad_memory_format_refused_as_torch(call, value):
    def run(T):
        f = T.float32 if value == "dtype" else value
        out = CALLS[call](T, T.zeros(2, 3), f)
        return out if isinstance(out, bool) else "done"
    assert _outcome(lambda: run(pyfront)) == _outcome(lambda: run(torch))


TO_ARGS = [("float64", False, True), ("cpu", "float64", False, True), ("cpu", None), (None,),
           ("float64", "cpu"), ("cpu", False), ("float64", None), ("float64", 1), ("cpu", "float64", 1),
           ("float64", False, False, False), ("cpu", "float64", False, False, False),
           ("cpu", "float64", False, False)]


@pytest.mark.parametrize("args", TO_ARGS, ids=str)
def test_to_positional_arguments_as_torch(args):
    """``to``'s positional overloads: (dtype | device[, dtype]), then the bools non_blocking and copy; at most
    four (a fifth, a memory_format among them, is refused: torch's is keyword-only)."""
    def run(T):
        x = T.zeros(2, 3)
        y = x.to(*[getattr(T, a) if a == "float64" else a for a in args])
        return str(y.dtype), y is x
    assert _outcome(lambda: run(pyfront)) == _outcome(lambda: run(torch))


@pytest.mark.parametrize("args,kwargs", [((), {"other": 0}), ((), {"foo": 1}), (("float64",), {"foo": 1}),
                                         (("cpu",), {"copy": True, "bar": 2})], ids=str)
def test_to_unknown_keyword_refused_as_torch(args, kwargs):
    """A keyword none of ``to``'s overloads has: torch's invalid-combination text (Tensor.to, Module.to)."""
    def run(T):
        x = T.zeros(2, 3)
        given = [getattr(T, a) if a == "float64" else a for a in args]
        keywords = {k: x if k == "other" else v for k, v in kwargs.items()}
        return [_outcome(lambda: str(x.to(*given, **keywords).dtype)),
                _outcome(lambda: str(T.nn.Linear(2, 2).to(*given, **keywords)))]
    assert run(pyfront) == run(torch)


A4 = np.random.default_rng(3).standard_normal((2, 3, 4, 5)).astype(np.float32)


def _x(T, layout, device):
    t = T.tensor(A4, device=device)
    if layout == "channels_last":
        return t.contiguous(memory_format=T.channels_last)
    if layout == "transposed":
        return t.transpose(1, 3).contiguous().transpose(1, 3)
    return t


LAYOUTS = ["contiguous", "channels_last", "transposed"]
OUT_OPS = {
    "add": lambda T, x, y, out: T.add(x, y, out=out),
    "mul_number": lambda T, x, y, out: T.mul(x, 2, out=out),
    "exp": lambda T, x, y, out: T.exp(x, out=out),
    "clamp": lambda T, x, y, out: T.clamp(x, -0.5, 0.5, out=out),
    "sigmoid": lambda T, x, y, out: T.sigmoid(x, out=out),
    "maximum": lambda T, x, y, out: T.maximum(x, y, out=out),
}
OUTS = {
    "empty": lambda T, d: T.empty(0, device=d),
    "wrong_shape": lambda T, d: T.empty(2, 3, device=d),
    "channels_last": lambda T, d: _x(T, "channels_last", d),
    "transposed": lambda T, d: _x(T, "transposed", d),
}


@pytest.mark.filterwarnings("ignore:An output with one or more elements was resized")
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("out", list(OUTS))
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("op", list(OUT_OPS))
def test_out_layout_as_torch(op, layout, out, device):
    def run(T, d):
        x, y = _x(T, layout, d), _x(T, "contiguous", d)
        o = OUTS[out](T, d)
        r = OUT_OPS[op](T, x, y, o)
        assert r is o
        return tuple(o.stride()), np.asarray(o.cpu().tolist(), dtype=np.float32)
    (gs, gv), (ws, wv) = run(pyfront, device), run(torch, "cpu")
    assert gs == ws
    np.testing.assert_allclose(gv, wv, rtol=1e-5, atol=1e-6)


INPLACE = {
    "add_": lambda T, x, y: x.add_(y), "mul_": lambda T, x, y: x.mul_(2), "relu_": lambda T, x, y: x.relu_(),
    "relu_inplace": lambda T, x, y: T.nn.functional.relu(x, inplace=True),
    "hardtanh_inplace": lambda T, x, y: T.nn.functional.hardtanh(x, inplace=True),
    "dropout_inplace": lambda T, x, y: T.nn.functional.dropout(x, 0.0, inplace=True),
    "copy_": lambda T, x, y: x.copy_(y), "fill_": lambda T, x, y: x.fill_(1.5),
    "clamp_": lambda T, x, y: x.clamp_(0, 1),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("other", LAYOUTS)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("op", list(INPLACE))
def test_inplace_keeps_layout_as_torch(op, layout, other, device):
    def run(T, d):
        x = _x(T, layout, d)
        r = INPLACE[op](T, x, _x(T, other, d))
        assert r is x
        return tuple(x.stride()), np.asarray(x.cpu().tolist(), dtype=np.float32)
    (gs, gv), (ws, wv) = run(pyfront, device), run(torch, "cpu")
    assert gs == ws
    np.testing.assert_allclose(gv, wv, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (2, 3, 4, 5, 6), (2, 3)])
def test_resize_in_a_memory_format_as_torch(shape, fmt):
    def run(T):
        f = getattr(T, fmt)
        a = T.empty(0).resize_(*shape, memory_format=f).stride()
        template = T.zeros(shape)
        if len(shape) in (4, 5):
            name = "channels_last" + "_3d" * (len(shape) == 5)
            template = template.contiguous(memory_format=getattr(T, name))
        b = T.empty(0).resize_as_(template, memory_format=f).stride()
        return tuple(a), tuple(b)
    assert _outcome(lambda: run(pyfront)) == _outcome(lambda: run(torch))
