"""``where(mask, x, y)`` of a bool mask and values of one dtype (or a value and a plain number that keeps its
dtype) takes a plan keyed by the values' dtype (ops/dispatch.select), not apply's general path, whose
one-dtype plans a bool mask kept it from (issue 13: 17 us at 1,000 elements for add's 2). What it gives must
stay torch's: values to the bit, dtypes, shapes, strides, the node, gradients of a negative zero, and the
errors of the cases it leaves to the general path."""
import math

import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront
from pyfront.ops import dispatch

VALUES = [0.0, -0.0, 1.5, -2.0, math.inf, -math.inf, math.nan, 3.0]
INTS = [0, 1, -2, 3, 5, 0, 1, 7]
DTYPES = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int8", "uint8", "bool"]
# (mask, x, y): "x"/"y" the dtype's values (2, 4) and "xt" transposed in memory; a number, or a shape to slice
OPERANDS = [("x", "y"), ("xt", "y"), ("x", 0.0), (2, "y"), ("x", -0.0), ("x", math.nan), ("x", 1e39),
            ("x", 7), ("x", 300), (2.5, "y"), ("x", True)]
SHAPES = [((2, 4), (2, 4), (2, 4)), ((1, 4), (2, 4), (2, 1)), ((), (2, 4), (2, 4)), ((2, 4), (), (1, 4))]


def _value(lib, spec, dtype, shape, grad):
    if not isinstance(spec, str):
        return spec
    data = VALUES if dtype.startswith(("float", "bfloat")) else INTS
    t = lib.tensor(data, dtype=getattr(lib, dtype)).reshape(2, 4)
    t = t.flip(0) if spec == "y" else t
    if spec == "xt":
        t = t.t().contiguous().t()
    t = t[:shape[0], :shape[1]] if shape else t[0, 0]
    return t.detach().requires_grad_(grad and t.dtype.is_floating_point)


def _where(lib, dtype, a, b, shapes, grad, device="cpu"):
    """What where gives: (dtype, shape, values by repr, strides[, gradients by repr, node]) or the error."""
    mask = lib.tensor([bool(i % 3) for i in range(8)]).reshape(2, 4)
    mask = mask[:shapes[0][0], :shapes[0][1]] if shapes[0] else mask[0, 0]
    x, y = _value(lib, a, dtype, shapes[1], grad), _value(lib, b, dtype, shapes[2], grad)
    if device != "cpu":
        mask, x, y = (t.to(device) if isinstance(t, pyfront.Tensor) else t for t in (mask, x, y))
    try:
        r = lib.where(mask, x, y)
    except (RuntimeError, TypeError) as e:
        return type(e).__name__, str(e)
    out = [str(r.dtype).split(".")[-1], tuple(r.shape), [repr(v) for v in r.cpu().flatten().tolist()],
           r.stride()]
    if r.requires_grad:
        r.backward(lib.full(r.shape, -0.0, dtype=r.dtype, device=r.device))
        out += [[repr(v) for v in t.grad.cpu().flatten().tolist()] for t in (x, y)
                if isinstance(t, lib.Tensor) and t.requires_grad]
        out.append(r.grad_fn.name())
    return out


@pytest.mark.parametrize("dtype", DTYPES)
def test_where_is_torchs(dtype):
    for a, b in OPERANDS:
        for shapes in SHAPES:
            for grad in (False, True):
                want = _where(torch, dtype, a, b, shapes, grad)
                assert _where(pyfront, dtype, a, b, shapes, grad) == want, (a, b, shapes, grad)


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_where_takes_the_plan(device, monkeypatch):
    """A where of one dtype's values, or of a value and a number, never reaches the general path's run
    (dispatch._run), from its first call (which makes the plan) on."""
    mask = pyfront.tensor([True, False, True]).to(device)
    x, y = pyfront.tensor([1.0, -0.0, 2.0]).to(device), pyfront.tensor([3.0, 4.0, 5.0]).to(device)
    calls = [lambda: pyfront.where(mask, x, y), lambda: pyfront.where(mask, x, 0.0),
             lambda: pyfront.where(mask, 1.0, y), lambda: x.where(mask, y),
             lambda: pyfront.where(mask, x.requires_grad_(), y)]
    dispatch.forget_plans()
    reached = []
    original = dispatch._run
    monkeypatch.setattr(dispatch, "_run", lambda op, *a: reached.append(op.name) or original(op, *a))
    for call in calls:
        call()
    assert reached == []


@requires_webgpu
def test_where_on_webgpu_is_torchs():
    for dtype in ("float32", "int32", "bool"):
        for a, b in OPERANDS[:4]:
            for shapes in SHAPES:
                want = _where(torch, dtype, a, b, shapes, False)
                assert _where(pyfront, dtype, a, b, shapes, False, "webgpu") == want, (dtype, a, b, shapes)


def test_where_refuses_as_torch():
    """The general path's checks: a float mask, a number too large for the values, a mask elsewhere."""
    errors = []
    for lib in (torch, pyfront):
        x = lib.zeros(3)
        for call in (lambda: lib.where(x, x, x), lambda: lib.where(x > 0, lib.zeros(3, dtype=lib.int8), 300),
                     lambda: lib.where((x > 0).to("meta"), x, x)):
            with pytest.raises((RuntimeError, TypeError)) as caught:
                call()
            errors.append((lib.__name__, type(caught.value), str(caught.value)))
    assert [e[1:] for e in errors[:3]] == [e[1:] for e in errors[3:]]
