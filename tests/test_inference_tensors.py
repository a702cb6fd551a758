"""Inference tensors against torch: every row is one thing a user does to an inference tensor (made in
``inference_mode``), a view of one, or a normal tensor, run outside any mode, under ``no_grad``, inside
``inference_mode`` and inside ``inference_mode`` with ``enable_grad``; the outcome (the result's values,
``is_inference`` and ``requires_grad``, or the exception's type and message) must be torch's, on cpu and
webgpu."""
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _setitem(t, value):
    t[0] = value
    return t


def _set_requires_grad(t):
    t.requires_grad = True
    return t


# name -> fn(lib, t, n, w): t an inference tensor [1, 2, 3], n a normal one [1, 1, 1], w a leaf that
# requires grad [2, 2, 2]
ROWS = {
    # in-place updates (every in-place path: an op's twin, indexing, copy, fill, out=, resize_)
    "add_": lambda L, t, n, w: t.add_(1),
    "mul_(tensor)": lambda L, t, n, w: t.mul_(n),
    "clamp_": lambda L, t, n, w: t.clamp_(max=2),
    "setitem": lambda L, t, n, w: _setitem(t, 5.0),
    "copy_": lambda L, t, n, w: t.copy_(n),
    "fill_": lambda L, t, n, w: t.fill_(3),
    "zero_": lambda L, t, n, w: t.zero_(),
    "view.add_": lambda L, t, n, w: t[:2].add_(1),
    "out=": lambda L, t, n, w: L.add(n, n, out=t),
    "resize_": lambda L, t, n, w: t.resize_(2),
    "F.relu(inplace)": lambda L, t, n, w: L.nn.functional.relu(t, inplace=True),
    "normal.add_": lambda L, t, n, w: n.add_(1),
    "normal.add_(inference)": lambda L, t, n, w: n.add_(t),
    # views, aliases and copies
    "view": lambda L, t, n, w: t.view(3, 1),
    "slice": lambda L, t, n, w: t[1:],
    "transpose": lambda L, t, n, w: t.reshape(1, 3).t(),
    "detach": lambda L, t, n, w: t.detach(),
    ".data": lambda L, t, n, w: t.data,
    "clone": lambda L, t, n, w: t.clone(),
    "contiguous": lambda L, t, n, w: t.contiguous(),
    "to(same dtype)": lambda L, t, n, w: t.to(L.float32),
    "out-of-place": lambda L, t, n, w: t * 2,
    "normal.view": lambda L, t, n, w: n.view(3),
    "normal.detach": lambda L, t, n, w: n.detach(),
    "normal.clone": lambda L, t, n, w: n.clone(),
    "is_inference()": lambda L, t, n, w: (L.is_inference(t), t[:1].is_inference(), L.is_inference(n)),
    # autograd
    "requires_grad_()": lambda L, t, n, w: t.requires_grad_(),
    "requires_grad_(False)": lambda L, t, n, w: t.requires_grad_(False),
    "requires_grad = True": _set_requires_grad,
    "Parameter": lambda L, t, n, w: L.nn.Parameter(t),
    "Parameter(requires_grad=False)": lambda L, t, n, w: L.nn.Parameter(t, requires_grad=False),
    "_version": lambda L, t, n, w: t._version,
    "normal._version": lambda L, t, n, w: n._version,
    "mul by a leaf (saves it)": lambda L, t, n, w: w * t,
    "leaf times it (saves it)": lambda L, t, n, w: t * w,
    "add a leaf (saves nothing)": lambda L, t, n, w: t + w,
    "a normal result with a leaf": lambda L, t, n, w: t.exp().round() * w,
    "linear": lambda L, t, n, w: L.nn.functional.linear(t.reshape(1, 3), w.reshape(1, 3)),
    "backward through it": lambda L, t, n, w: (w * t).sum().backward(),
}


def _make(lib, device):
    kw = {} if lib is torch else {"device": device}
    with lib.inference_mode():
        t = lib.tensor([1.0, 2.0, 3.0], **kw)
    return t, lib.ones(3, **kw), lib.full((3,), 2.0, **kw).requires_grad_()


def _mode(lib, mode):
    import contextlib
    stack = contextlib.ExitStack()
    if mode == "no_grad":
        stack.enter_context(lib.no_grad())
    elif mode.startswith("inference_mode"):
        stack.enter_context(lib.inference_mode())
        if mode.endswith("enable_grad"):
            stack.enter_context(lib.enable_grad())
    return stack


def _outcome(lib, device, row, mode):
    t, n, w = _make(lib, device)
    try:
        with _mode(lib, mode):
            r = ROWS[row](lib, t, n, w)
            if isinstance(r, lib.Tensor):
                # is_inference and requires_grad read where the tensor was made; values read outside
                r = (r.is_inference(), r.requires_grad, r.grad_fn is not None, r.detach().cpu().tolist())
    except Exception as e:  # the outcome is what is compared: the exception's type and message
        return type(e).__name__, str(e)
    # what the row did to the inputs, read after the mode is left
    return r, t.tolist(), n.tolist(), (w.grad.tolist() if w.grad is not None else None)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("mode", ["plain", "no_grad", "inference_mode", "inference_mode+enable_grad"])
@pytest.mark.parametrize("row", list(ROWS))
def test_inference_tensor_row(row, mode, device):
    assert _outcome(pyfront, device, row, mode) == _outcome(torch, "cpu", row, mode)


@pytest.mark.parametrize("lib", [torch, pyfront], ids=["torch", "pyfront"])
def test_grad_mode_inside_inference_mode(lib):
    """enable_grad inside inference_mode says grad mode is on but records nothing; inference_mode(False)
    turns grad mode on (torch's InferenceMode(false))."""
    seen = []
    with lib.inference_mode():
        seen.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
        with lib.enable_grad():
            seen.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
            with lib.inference_mode(False):
                seen.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
        with lib.set_grad_enabled(True):
            seen.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
        seen.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
    with lib.no_grad(), lib.inference_mode(False):
        seen.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
    seen.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
    assert seen == [(False, True), (True, True), (True, False), (True, True), (False, True), (True, False),
                    (True, False)]


def test_is_inference_refuses_a_non_tensor():
    with pytest.raises(TypeError) as expected:
        torch.is_inference(1)
    with pytest.raises(TypeError) as got:
        pyfront.is_inference(1)
    assert str(got.value) == str(expected.value)


def test_deepcopy_of_an_inference_tensor_is_normal():
    import copy
    for lib in (torch, pyfront):
        with lib.inference_mode():
            t = lib.ones(2)
        assert not copy.deepcopy(t).is_inference()
