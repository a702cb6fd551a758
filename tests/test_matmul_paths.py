"""The two-matrix products' own paths (issue 13): ``a @ b``, ``torch.matmul``, ``torch.mm``, the Tensor
methods and ``F.linear`` of two matrices run mm's planned product (ops/dispatch.py ``product``) past the
composites' recording wrappers. Each gives torch's values, dtype, strides, node and its next functions,
gradients, saved-tensor and version checks and errors, for every dtype, shape (empty ones, other ranks
beside), layout (transposed, offset) and device, with and without a gradient."""
import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

CALLS = {
    "operator": lambda m, a, b: a @ b,
    "matmul": lambda m, a, b: m.matmul(a, b),
    "mm": lambda m, a, b: m.mm(a, b),
    "Tensor.mm": lambda m, a, b: a.mm(b),
    "Tensor.matmul": lambda m, a, b: a.matmul(b),
    # linear's weight w is made of b's values transposed (see _both): the same product as the others'
    "linear": lambda m, a, w: m.nn.functional.linear(a, w),
    "linear_kw": lambda m, a, w: m.nn.functional.linear(a, weight=w, bias=None),
    "linear_bias": lambda m, a, w: m.nn.functional.linear(a, w, m.ones(w.shape[0], dtype=w.dtype,
                                                                        device=w.device)),
}
SHAPES = [((3, 4), (4, 5)), ((1, 1), (1, 1)), ((0, 4), (4, 5)), ((3, 0), (0, 5)), ((3, 4), (4, 0)),
          ((3, 4), (5, 2)), ((4,), (4, 5)), ((3, 4), (4,)), ((2, 3, 4), (4, 5))]
DTYPES = ["float32", "float64", "float16", "int64", "bool"]
LAYOUTS = ["contiguous", "transposed", "offset"]


def _make(m, values, dtype, layout, device, grad):
    """``values`` as a tensor of module ``m``: contiguous, a transpose's view, or a view at an offset."""
    def flat(v):
        return m.tensor(v.ravel().tolist(), dtype=getattr(m, dtype), device=device)

    if layout == "transposed" and values.ndim == 2:
        t = flat(values.T).reshape(values.shape[::-1]).t()
    elif layout == "offset":
        t = flat(np.concatenate([values.ravel()[:1], values.ravel()]))[1:].reshape(values.shape)
    else:
        t = flat(values).reshape(values.shape)
    return t.requires_grad_() if grad else t


def _names(fn, matrices):
    """The node's name and, for two matrices, its next functions' (other ranks' composites present their
    node over the operands' own edges, where torch's squeeze or view follows its mm, and linear's
    AddmmBackward0 has the weight's own edge where torch's has its TBackward0: known differences of the
    general paths)."""
    if fn is None or not matrices:
        return fn and type(fn).__name__
    return type(fn).__name__, tuple(type(f).__name__ if f else None for f, _ in fn.next_functions)


def _outcome(m, call, a, b, backward):
    """What a caller sees of ``call(a, b)``: its values, dtype, shape, strides, node and the node's next
    functions, then the operands' gradients after a backward; or the error, where one is raised."""
    try:
        r = CALLS[call](m, a, b)
        matrices = a.dim() == 2 == b.dim()
        seen = (str(r.dtype).split(".")[-1], tuple(r.shape), r.stride(), r.cpu().tolist(),
                _names(r.grad_fn, matrices), r.requires_grad)
        if backward and r.requires_grad:
            r.sum().backward()
            seen += tuple(None if t.grad is None else t.grad.cpu().tolist() for t in (a, b))
        return seen
    except Exception as e:  # noqa: BLE001 (the error is compared with torch's)
        return type(e).__name__, str(e)


def _known(call, dtype, shapes):
    """Differences of the general paths from torch, older than these paths and left to their own issues:
    an empty bool product is refused (torch gives an empty result), float16 linear computes in float32
    (ToCopyBackward0 over torch's MmBackward0), a bias beside a 1-d weight is added before mm's check."""
    return (dtype == "bool" and any(0 in s for s in shapes)
            or dtype == "float16" and call.startswith("linear")
            or call == "linear_bias" and len(shapes[1]) == 1)


def _values(shape, seed):
    return np.random.default_rng(seed).integers(-3, 4, shape).astype(np.float64)


def _both(call, shapes, dtypes, layouts, grads, device="cpu", backward=True):
    va, vb = _values(shapes[0], 1), _values(shapes[1], 2)
    if call.startswith("linear"):
        vb = vb.T
    out = []
    for m, dev in ((pyfront, device), (torch, "cpu")):
        a = _make(m, va, dtypes[0], layouts[0], dev, grads[0])
        b = _make(m, vb, dtypes[1], layouts[1], dev, grads[1])
        out.append(_outcome(m, call, a, b, backward))
    return out


@pytest.mark.parametrize("call", sorted(CALLS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_two_matrices_give_torchs_product_node_and_gradients(call, dtype):
    for shapes in SHAPES:
        if _known(call, dtype, shapes):
            continue
        for layouts in [(x, y) for x in LAYOUTS for y in LAYOUTS]:
            grad_options = [(False, False)] + ([(True, False), (False, True), (True, True)]
                                               if dtype.startswith("float") else [])
            for grads in grad_options:
                ours, theirs = _both(call, shapes, (dtype, dtype), layouts, grads)
                assert ours == theirs, (shapes, layouts, grads)


def _second(call):
    """The shape of the operand beside a (2, 3) matrix: linear's weight is (out, in)."""
    return (4, 3) if call.startswith("linear") else (3, 4)


@pytest.mark.parametrize("call", sorted(CALLS))
def test_two_dtypes_and_no_grad_modes_as_torch(call):
    """Mixed dtypes give torch's errors; under no_grad nothing is recorded; inference tensors beside a
    tensor that needs its gradient are refused with torch's text."""
    for pair in [("float32", "float64"), ("float64", "float32"), ("float16", "float32"),
                 ("int64", "float32")]:
        ours, theirs = _both(call, ((3, 4), (4, 5)), pair, ("contiguous", "contiguous"), (False, False))
        assert ours == theirs, pair
    for m in (pyfront, torch):
        with m.no_grad():
            r = CALLS[call](m, m.ones(2, 3, requires_grad=True), m.ones(*_second(call), requires_grad=True))
        assert r.grad_fn is None and not r.requires_grad
    seen = []
    for m in (pyfront, torch):
        with m.inference_mode():
            a = m.ones(2, 3)
        try:
            CALLS[call](m, a, m.ones(*_second(call), requires_grad=True))
            seen.append(None)
        except RuntimeError as e:
            seen.append(str(e))
    assert seen[0] == seen[1]


@pytest.mark.parametrize("call", sorted(CALLS))
def test_a_saved_operand_changed_in_place_is_caught_as_torch(call):
    seen = []
    for m in (pyfront, torch):
        a, b = m.ones(2, 3, requires_grad=True), m.ones(*_second(call))
        r = CALLS[call](m, a, b)
        b.add_(1)
        try:
            r.sum().backward()
            seen.append(None)
        except RuntimeError as e:
            seen.append(str(e).replace("torch.", "").split("; ")[0])
    assert seen[0] == seen[1] and seen[0] is not None


@pytest.mark.parametrize("device", [pytest.param("webgpu", marks=requires_webgpu)])
@pytest.mark.parametrize("call", sorted(CALLS))
def test_two_matrices_on_webgpu_as_torchs_cpu(call, device):
    for shapes in SHAPES:
        if _known(call, "float32", shapes):
            continue
        for grads in [(False, False), (True, True)]:
            ours, theirs = _both(call, shapes, ("float32", "float32"), ("transposed", "contiguous"), grads,
                                 device=device)
            assert ours == theirs, (shapes, grads)
