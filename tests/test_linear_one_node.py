"""F.linear with a bias as torch's one op (issue 13): a matrix input is addmm(bias, input, weight.t())
(AddmmBackward0 over the bias's, the input's and TBackward0's edges), a contiguous input of another rank
with a 1-d bias is viewed as a matrix and back (ViewBackward0 over it), other cases are a product plus an
add, as torch's. Each case is compared with torch: values, dtype, shape, strides, the node and its next
functions two levels down, the gradients of every operand, errors; on cpu and webgpu."""
import itertools

import numpy as np
import pytest
import torch

import pyfront
from graph_names import node_names
from webgpu_required import requires_webgpu

# (input shape, weight shape, bias shape, input layout)
CASES = [
    ((3, 4), (5, 4), (5,), "contiguous"), ((3, 4), (5, 4), (5,), "transposed"),
    ((3, 4), (5, 4), (1,), "contiguous"), ((3, 4), (5, 4), (), "contiguous"),
    ((3, 4), (5, 4), (3, 5), "contiguous"), ((3, 4), (5, 4), (1, 5), "contiguous"),
    ((3, 4), (5, 4), (3, 1), "contiguous"), ((4,), (5, 4), (5,), "contiguous"),
    ((4,), (5, 4), (5,), "strided"), ((2, 3, 4), (5, 4), (5,), "contiguous"),
    ((2, 3, 4), (5, 4), (1,), "contiguous"), ((2, 3, 4), (5, 4), (5,), "transposed"),
    ((2, 3, 4), (5, 4), (3, 5), "contiguous"), ((2, 2, 3, 4), (5, 4), (5,), "contiguous"),
    ((0, 4), (5, 4), (5,), "contiguous"), ((3, 0), (5, 0), (5,), "contiguous"),
    ((2, 0, 4), (5, 4), (5,), "contiguous"), ((3, 4), (0, 4), (0,), "contiguous"),
    # torch's errors: a bias that does not expand, a size mismatch
    ((3, 4), (5, 4), (7,), "contiguous"), ((2, 3, 4), (5, 4), (7,), "contiguous"),
    ((3, 3), (5, 4), (5,), "contiguous"), ((2, 3, 3), (5, 4), (5,), "contiguous"),
]


def _make(m, shape, dtype, layout, device, grad, seed):
    values = np.random.default_rng(seed).standard_normal(shape)
    if layout == "strided":
        values = np.repeat(values, 2, axis=-1)
    elif layout == "transposed":
        values = np.ascontiguousarray(np.swapaxes(values, 0, -1))
    t = m.tensor(values.ravel().tolist(), dtype=getattr(m, dtype), device=device).reshape(values.shape)
    if layout == "strided":
        t = t[..., ::2]
    elif layout == "transposed":
        t = t.transpose(0, -1)
    return t.requires_grad_() if grad else t


def _outcome(m, case, dtypes, grads, device, depth):
    x_shape, w_shape, b_shape, layout = case
    x = _make(m, x_shape, dtypes[0], layout, device, grads[0], 1)
    w = _make(m, w_shape, dtypes[1], "contiguous", device, grads[1], 2)
    b = _make(m, b_shape, dtypes[2], "contiguous", device, grads[2], 3)
    try:
        r = m.nn.functional.linear(x, w, b)
    except Exception as e:  # noqa: BLE001 (compared with torch's)
        return type(e).__name__, str(e)
    # two levels down where torch's linear is its one op (viewed back); a product plus an add (the general
    # path, whose matmul presents its nodes over the operands' own edges) one level
    if r.grad_fn is not None and r.grad_fn.name() == "AddBackward0":
        depth = min(depth, 1)
    seen = [str(r.dtype), tuple(r.shape), r.stride(), r.requires_grad, node_names(r.grad_fn, depth)]
    if r.requires_grad:
        (r * r).sum().backward()
        seen += [None if t.grad is None else t.grad.cpu() for t in (x, w, b)]
    return seen, r.detach().cpu()


def _compare(case, dtypes, grads, device="cpu", depth=2, **tol):
    ours, theirs = (_outcome(m, case, dtypes, grads, dev, depth)
                    for m, dev in ((pyfront, device), (torch, "cpu")))
    if isinstance(theirs[0], str):  # an error
        assert ours == theirs, case
        return
    (seen, value), (their_seen, their_value) = ours, theirs
    assert seen[:5] == their_seen[:5], (case, grads)
    torch.testing.assert_close(torch.from_numpy(value.numpy()), their_value, **tol)
    for g, tg in zip(seen[5:], their_seen[5:]):
        assert (g is None) == (tg is None), (case, grads)
        if g is not None:
            torch.testing.assert_close(torch.from_numpy(g.numpy()), tg, **tol)


GRADS = list(itertools.product((False, True), repeat=3))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_linear_with_bias_is_torchs_node_values_and_gradients(dtype):
    for case in CASES:
        for grads in GRADS:
            _compare(case, (dtype,) * 3, grads)


def test_linear_with_bias_of_other_dtypes_as_torch():
    """float16 (computed in float32, rounded once), integers, and mixed dtypes' errors: the general path,
    whose node shows the weight's own edge where torch's shows its TBackward0 (its node's name compared)."""
    for dtypes in [("float16",) * 3, ("int64",) * 3, ("float32", "float32", "float64"),
                   ("float64", "float32", "float32"), ("float32", "float64", "float64")]:
        for case in CASES[:3] + CASES[9:10]:
            grads = (False, False, False) if dtypes[0] == "int64" else (True, True, True)
            _compare(case, dtypes, grads, depth=0, rtol=1e-3, atol=1e-3)


def test_linear_with_bias_under_no_grad_records_nothing():
    for m in (pyfront, torch):
        w, b = m.ones(5, 4, requires_grad=True), m.ones(5, requires_grad=True)
        with m.no_grad():
            r = m.nn.functional.linear(m.ones(3, 4), w, b)
        assert r.grad_fn is None and not r.requires_grad


@requires_webgpu
def test_linear_with_bias_on_webgpu_as_torchs_cpu():
    for case in CASES:
        for grads in [(False, False, False), (True, True, True), (False, True, True)]:
            _compare(case, ("float32",) * 3, grads, device="webgpu", rtol=1e-3, atol=1e-4)
