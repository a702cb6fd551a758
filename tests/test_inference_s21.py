"""A view made in inference mode or under no_grad of a tensor that requires grad, then written in place (by
itself, its base or another view of its base; inside the mode or after it), against torch on cpu and webgpu:
torch refuses its history from then on (grad_fn, is_leaf, any op that records, backward: "A view was created
in ... and its base or another view of its base has been modified inplace ..."), refuses writing it in place
first with its own words ("... and is being modified inplace ..."), prints it with grad_fn=<Invalid>, and
lets it be read without a graph (no_grad, detach). Before this, pyfront ran the ops, and backward left the
leaf's grad None silently."""
import contextlib

import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
MODES = {"inference_mode": lambda L: L.inference_mode(), "no_grad": lambda L: L.no_grad()}
# who writes in place, and when: inside the mode the view was made in, or after it under grad mode
WRITES = {
    "view, inside": (lambda b, v, o: v.mul_(2), True), "base, inside": (lambda b, v, o: b.mul_(2), True),
    "other view, inside": (lambda b, v, o: o.mul_(2), True), "none": (lambda b, v, o: None, True),
    "base, after": (lambda b, v, o: b.mul_(2), False),
    "other view, after": (lambda b, v, o: o.mul_(2), False),
}
USES = {
    "grad_fn": lambda L, w, v: v.grad_fn is None, "is_leaf": lambda L, w, v: v.is_leaf,
    "requires_grad": lambda L, w, v: v.requires_grad,
    "repr": lambda L, w, v: repr(v).replace(", device='webgpu:0'", ""),
    "backward": lambda L, w, v: ((v * 2).sum().backward(), w.grad is None)[1],
    "exp": lambda L, w, v: L.exp(v).requires_grad, "matmul": lambda L, w, v: (v @ v).requires_grad,
    "add_": lambda L, w, v: v.add_(1).shape, "copy_": lambda L, w, v: v.copy_(v.detach() + 1).shape,
    "fill_": lambda L, w, v: v.fill_(2).shape, "zero_": lambda L, w, v: v.zero_().shape,
    "setitem": lambda L, w, v: v.__setitem__(0, 5.0), "unsqueeze_": lambda L, w, v: v.unsqueeze_(0).shape,
    # a view of it made with a graph: torch names that view's node, and unbind's outputs of a no_grad view are
    # unbind's (multi-output views), of an inference mode one still that mode's
    "its slice, add_": lambda L, w, v: v[1:].add_(1).shape,
    "its t(), mul_": lambda L, w, v: v.t().mul_(2).shape,
    "its unbind, add_": lambda L, w, v: v.unbind(0)[1].add_(1).shape,
    "detach": lambda L, w, v: (v.detach() * 2).tolist(),
    "under no_grad": lambda L, w, v: _under(L.no_grad(), lambda: (v * 2).tolist()),
    "under inference_mode": lambda L, w, v: _under(L.inference_mode(), lambda: (v * 2).tolist()),
}


def _under(ctx, fn):
    with ctx:
        return fn()


def _outcome(L, device, mode, write, leaf, use):
    kw = {} if L is torch else {"device": device}
    w = L.ones(2, 3, requires_grad=True, **kw)
    base = w if leaf else w * 1
    fn, inside = WRITES[write]
    with MODES[mode](L):
        v, other = base[0], base[1]
        if inside:
            fn(base, v, other)
    try:
        if not inside:  # a leaf that requires grad is not written under grad mode: then again in the mode
            with MODES[mode](L) if leaf else contextlib.nullcontext():
                fn(base, v, other)
        return "ok", USES[use](L, w, v)
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
        return type(e).__name__, torch_text(e)


@pytest.mark.parametrize("device", DEVICES)
def test_view_made_without_a_graph_then_written_as_torch(device):
    differing = []
    for mode in MODES:
        for write in WRITES:
            for leaf in (True, False):
                for use in USES:
                    got = _outcome(pyfront, device, mode, write, leaf, use)
                    expected = _outcome(torch, "cpu", mode, write, leaf, use)
                    if got != expected:
                        differing.append((mode, write, leaf, use, got, expected))
    assert not differing, "\n".join(map(str, differing))
