"""The MLP training step of ``python -m pyfront.bench`` on webgpu: at most 28 dispatches (lazy fusion,
reductions reading pending chains, a leaf keeping the gradient the engine made for it), the same
numbers fused and unfused, and the same as PyTorch's. Plus the rule that lets a leaf keep its
gradient: only one no one else can see (on every device)."""
import numpy as np
import pytest
import torch

import pyfront
from pyfront import bench
from pyfront.backends.webgpu import fusion
from webgpu_required import requires_webgpu

MAX_DISPATCHES = 28  # today's count (46 before fusion reached reductions; the issue asks for at most 30)


def _closure(step) -> dict:
    """The step's variables (weights, biases, momentum buffers, inputs), as NumPy arrays."""
    found = dict(zip(step.__code__.co_freevars, (c.cell_contents for c in step.__closure__)))
    def arrays(v):
        return [arrays(t) for t in v] if isinstance(v, list) else np.array(v.tolist(), dtype=np.float32)
    return {name: arrays(found[name]) for name in ("ws", "bs", "bufs", "x", "onehot")}


@requires_webgpu
def test_the_mlp_step_dispatches_stay_within_their_bound():
    lib = bench._pyfront_lib("webgpu")
    lib.grad_step()  # shaders compiled, constants made
    assert bench.step_dispatches(lib) <= MAX_DISPATCHES


@requires_webgpu
def test_the_mlp_step_fused_and_unfused_give_the_same_numbers_as_torch():
    runs = []
    for enabled in (True, False):
        fusion.ENABLED = enabled
        try:
            pyfront.manual_seed(0)
            lib = bench._pyfront_lib("webgpu")
            start = _closure(lib.grad_step)
            for _ in range(2):
                lib.grad_step()
            runs.append(_closure(lib.grad_step))
        finally:
            fusion.ENABLED = True
    for name in ("ws", "bs", "bufs"):
        for a, b in zip(runs[0][name], runs[1][name]):
            np.testing.assert_array_equal(a, b)
    # the same two steps in PyTorch, from the same weights and inputs
    ws, bs = ([torch.from_numpy(t).requires_grad_() for t in start[k]] for k in ("ws", "bs"))
    bufs = [torch.from_numpy(t) for t in start["bufs"]]
    x, onehot = torch.from_numpy(start["x"]), torch.from_numpy(start["onehot"])
    for _ in range(2):
        h = x
        for i, (w, b) in enumerate(zip(ws, bs)):
            h = h @ w + b
            h = h.relu() if i < len(ws) - 1 else h
        loss = -((h - h.logsumexp(dim=1, keepdim=True)) * onehot).sum() / x.shape[0]
        for p in ws + bs:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p, buf in zip(ws + bs, bufs):
                buf.mul_(0.9).add_(p.grad)
                p.sub_(0.01 * buf)
    for got, want in zip(runs[0]["ws"] + runs[0]["bs"] + runs[0]["bufs"], ws + bs + bufs):
        np.testing.assert_allclose(got, want.detach().numpy(), rtol=1e-4, atol=1e-5)


def _leaf(device, *shape):
    return pyfront.randn(*shape, device=device).requires_grad_()


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_a_gradient_seen_elsewhere_is_copied_into_grad(device):
    """torch keeps the incoming gradient as .grad only where nothing else holds it; an in-place
    change of .grad must never reach the caller's gradient, a hook's, or another leaf's."""
    a, b = _leaf(device, 4), _leaf(device, 4)
    root = pyfront.ones(4, device=device)
    (a + b).backward(root)  # add passes the root gradient on, to both leaves
    a.grad.add_(1)
    assert root.tolist() == [1.0] * 4 and b.grad.tolist() == [1.0] * 4
    kept = []
    c = _leaf(device, 4)
    c.register_hook(lambda g: kept.append(g))
    (c * 2).sum().backward()
    c.grad.add_(1)
    assert kept[0].tolist() == [2.0] * 4 and c.grad.tolist() == [3.0] * 4
    d = _leaf(device, 4)
    y = d * 3
    y.retain_grad()
    (y + 0).sum().backward()
    d.grad.add_(1)
    assert y.grad.tolist() == [1.0] * 4 and d.grad.tolist() == [4.0] * 4


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_a_gradient_made_for_one_leaf_becomes_its_grad(device):
    """What the engine made for one leaf alone is kept as it is: the bias of a linear layer gets the
    sum over the batch (not a view of it), and a weight its matmul's result."""
    w, bias = _leaf(device, 3, 5), _leaf(device, 5)
    x = pyfront.randn(4, 3, device=device)
    out = x @ w + bias
    out.sum().backward()
    for t, tw in ((w, x.sum(0)[:, None].expand(3, 5)), (bias, pyfront.full((5,), 4.0, device=device))):
        assert t.grad._base is None and t.grad.is_contiguous()
        np.testing.assert_allclose(np.array(t.grad.tolist()), np.array(tw.tolist()), rtol=1e-5)


@requires_webgpu
def test_keeping_the_gradient_saves_a_copy_per_leaf(monkeypatch):
    from pyfront.autograd import engine
    runtime = pyfront.webgpu._backend().runtime

    def backward_dispatches():
        w, bias = _leaf("webgpu", 3, 5), _leaf("webgpu", 5)
        x = pyfront.randn(4, 3, device="webgpu")
        loss = (x @ w + bias).sum()
        pyfront.webgpu.synchronize()
        before = runtime.dispatch_count
        loss.backward()
        pyfront.webgpu.synchronize()
        return runtime.dispatch_count - before

    backward_dispatches()  # shaders compiled
    kept = backward_dispatches()
    monkeypatch.setattr(engine, "_made_here", lambda g, in_grads, grads, saved: False)
    assert kept < backward_dispatches()  # w.grad was not copied
