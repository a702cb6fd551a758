"""Inference tensors, every in-place path, against torch: each in-place method Tensor has (every name ending
in ``_``, found by listing them, with the first arguments torch takes for it) runs on an inference tensor
outside inference mode, under no_grad and inside inference mode; the outcome (the result's kind, shape and
is_inference, or the error's type and message) must be torch's, on cpu and webgpu. Then a view made in
inference mode or under no_grad of a tensor that requires grad: torch's requires_grad, is_leaf, in-place
refusal and backward."""
import contextlib

import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
IN_PLACE = sorted(n for n in dir(pyfront.Tensor) if n.endswith("_") and not n.startswith("_"))
SHAPES = ((2, 2), (2,), (2, 2, 2))  # the self tensors tried, in order: the first torch takes is the row's


def _candidates(L, shape, dtype, device):
    """Argument lists tried for a method, in order, built in library L."""
    kw = {} if L is torch else {"device": device}
    n, v = L.ones(shape, dtype=dtype, **kw), L.ones(2, dtype=dtype, **kw)
    b = L.ones(2, 2, 2, dtype=dtype, **kw)
    idx, idx2 = L.tensor([0, 1], **kw), L.tensor([[0, 1], [1, 0]], **kw)
    mask = L.tensor([[True, False], [False, True]], **kw)
    return [(), (n,), (2,), (0.5,), (n, n), (0,), (0, 1), (0, idx, n), (0, idx, 1.0), ((idx, idx), v),
            (mask, 1.0), (mask, n), (idx, v), (0, idx2, n), (0, idx2, n, "sum"), (n, 0.5), (2, 0, 1.0),
            ((2, 2), (2, 1)), (2, 2), (n, v), (v, v), (b, b), (L.ones(2, 2, dtype=dtype, **kw), v), (1,),
            (abs,), (n, max), (n, n, lambda a, b, c: a + b + c),  # apply_, map_, map2_: Python callables
            (0, idx, n, "prod")]


def _row(name):
    """(shape, dtype name, candidate index) of the first call torch takes on a normal tensor."""
    for dtype in ("float32", "float64", "int64", "bool"):
        for shape in SHAPES:
            for i, args in enumerate(_candidates(torch, shape, getattr(torch, dtype), "cpu")):
                try:
                    getattr(torch.ones(shape, dtype=getattr(torch, dtype)), name)(*args)
                except Exception:  # noqa: BLE001,S112 - not this call: try the next
                    continue
                return shape, dtype, i
    raise AssertionError(f"no call of {name} found")


def _outcome(L, device, name, mode):
    shape, dtype, i = _row(name)
    kw = {} if L is torch else {"device": device}
    with L.inference_mode():
        t = L.ones(shape, dtype=getattr(L, dtype), **kw)
    args = _candidates(L, shape, getattr(L, dtype), device)[i]
    ctx = {"plain": contextlib.nullcontext, "no_grad": L.no_grad, "inference_mode": L.inference_mode}[mode]
    try:
        with ctx():
            r = getattr(t, name)(*args)
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
        return type(e).__name__, torch_text(e)
    if isinstance(r, L.Tensor):
        return "tensor", tuple(r.shape), r.is_inference()
    return "value", r


@pytest.mark.parametrize("mode", ["plain", "no_grad", "inference_mode"])
@pytest.mark.parametrize("name", IN_PLACE)
def test_in_place_method_on_inference_tensor_as_torch(name, mode):
    assert _outcome(pyfront, "cpu", name, mode) == _outcome(torch, "cpu", name, mode)


@requires_webgpu
# webgpu has no float64; share_memory_ is refused on webgpu (no inter-process GPU memory; test_scripts_s21);
# apply_/map_/map2_ run Python per element on CPU tensors only (torch's TypeError on another device)
@pytest.mark.parametrize("name", [n for n in IN_PLACE if _row(n)[1] != "float64" and n not in (
    "share_memory_", "apply_", "map_", "map2_")])
def test_in_place_method_on_inference_tensor_as_torch_webgpu(name):
    assert _outcome(pyfront, "webgpu", name, "plain") == _outcome(torch, "cpu", name, "plain")


def test_every_in_place_method_has_a_row():
    """The list is Tensor's own: a new in-place method gets a row (and must find a call torch takes)."""
    assert len(IN_PLACE) > 140 and {"unsqueeze_", "t_", "random_", "uniform_", "bernoulli_"} <= set(IN_PLACE)


MODES = {
    "inference_mode": lambda L: [L.inference_mode()],
    "no_grad": lambda L: [L.no_grad()],
    "no_grad, inference_mode": lambda L: [L.no_grad(), L.inference_mode()],
    "inference_mode, enable_grad": lambda L: [L.inference_mode(), L.enable_grad()],
}
VIEWS = {
    "index": lambda w: w[0], "view": lambda w: w.view(6), "t": lambda w: w.t(),
    "unbind": lambda w: w.unbind(0)[0], "view of a view": lambda w: w[0][1:],
    "expand": lambda w: w.expand(2, 2, 3), "detach": lambda w: w.detach(),
    "out-of-place": lambda w: w * 2,
}


def _view_outcome(L, device, mode, view):
    kw = {} if L is torch else {"device": device}
    w = L.ones(2, 3, requires_grad=True, **kw)
    with contextlib.ExitStack() as stack:
        for ctx in MODES[mode](L):
            stack.enter_context(ctx)
        r = VIEWS[view](w)
        inside = (r.requires_grad, r.is_leaf, r.grad_fn is not None)
    outcome = [inside, (r.requires_grad, r.is_leaf, r.grad_fn is not None, r.is_inference())]
    for action in (lambda: (r * 2).sum().backward(), lambda: r.add_(1)):
        try:
            action()
            outcome.append(("ok", w.grad is not None, r.grad is not None))
        except RuntimeError as e:
            outcome.append(str(e))
    return outcome


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("mode", MODES)
def test_view_made_without_a_graph_as_torch(mode, view, device):
    """torch's view of a tensor that requires grad, made in inference mode or under no_grad, requires grad
    too (a leaf whose gradient goes nowhere), and refuses an in-place write outside that mode."""
    assert _view_outcome(pyfront, device, mode, view) == _view_outcome(torch, "cpu", mode, view)
