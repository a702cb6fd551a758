"""Tensor methods pyfront lacked: the in-place twins of the alias names (absolute_, arccos_, arcsin_,
arctan_, arctan2_, greater_, greater_equal_, less_, less_equal_, not_equal_) and Tensor.hardshrink /
Tensor.prelu, against real torch (cpu) on cpu and webgpu: values, dtype, identity of the result, the
version counter and the gradient."""
import numpy as np
import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
UNARY = ["absolute_", "arccos_", "arcsin_", "arctan_"]
BINARY = ["arctan2_", "greater_", "greater_equal_", "less_", "less_equal_", "not_equal_"]


def _outcome(fn):
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
        return type(e).__name__, torch_text(e)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", UNARY + BINARY)
def test_in_place_alias_as_torch(name, device):
    x = np.array([[-0.9, 0.0, 0.5], [0.25, -0.5, 0.9]], np.float32)
    y = np.array([0.5, 0.0, -0.25], np.float32)

    def run(L, dev):
        a = L.tensor(x, device=dev, requires_grad=True)
        b = a * 1
        v0 = b._version
        args = (L.tensor(y, device=dev),) if name in BINARY else ()
        out = getattr(b, name)(*args)
        assert out is b
        grad = None
        if name in UNARY or name == "arctan2_":
            b.sum().backward()
            grad = np.round(a.grad.cpu().numpy(), 5).tolist()
        return str(b.dtype), np.round(b.detach().cpu().numpy(), 5).tolist(), b._version - v0, grad
    assert _outcome(lambda: run(pyfront, device)) == _outcome(lambda: run(torch, "cpu"))


@pytest.mark.parametrize("device", DEVICES)
def test_hardshrink_and_prelu_methods_as_torch(device):
    x = np.array([[-0.9, 0.0, 0.5], [0.25, -0.5, 0.9]], np.float32)

    def run(L, dev):
        a = L.tensor(x, device=dev, requires_grad=True)
        w = L.tensor([0.25], device=dev, requires_grad=True)
        out = a.hardshrink(0.3) + a.hardshrink() + a.prelu(w)
        out.sum().backward()
        return [np.round(t.detach().cpu().numpy(), 5).tolist() for t in (out, a.grad, w.grad)]
    assert run(pyfront, device) == run(torch, "cpu")


X = np.arange(12, dtype=np.float32).reshape(3, 4) / 4 - 1
SCATTER_CALLS = {
    "diagonal_scatter": lambda L, x, d: L.diagonal_scatter(x, L.ones(3, device=d) * 7),
    "diagonal_scatter offset": lambda L, x, d: x.diagonal_scatter(L.ones(2, device=d), 2, 1, 0),
    "diagonal_scatter bad": lambda L, x, d: L.diagonal_scatter(x, L.ones(4, device=d)),
    "select_scatter": lambda L, x, d: L.select_scatter(x, L.arange(3.0, device=d), 1, -1),
    "select_scatter bad": lambda L, x, d: x.select_scatter(L.ones(4, device=d), 1, 0),
    "slice_scatter": lambda L, x, d: L.slice_scatter(x, L.zeros(3, 2, device=d), 1, 0, 4, 2),
    "slice_scatter rows": lambda L, x, d: x.slice_scatter(L.zeros(1, 4, device=d), start=2),
    "slice_scatter bad": lambda L, x, d: L.slice_scatter(x, L.zeros(3, 1, device=d), 1, 0, 4, 2),
    "addr": lambda L, x, d: L.addr(x, L.arange(3.0, device=d), L.arange(4.0, device=d), beta=0.5, alpha=2),
    "addr beta 0": lambda L, x, d: (x * float("nan")).addr(L.ones(3, device=d), L.ones(4, device=d), beta=0),
    "addr_": lambda L, x, d: (x * 1).addr_(L.ones(3, device=d), L.arange(4.0, device=d)),
    "addr 2-d": lambda L, x, d: x.addr(L.ones(3, 1, device=d), L.ones(4, device=d)),
    "put": lambda L, x, d: x.put(L.tensor([0, -1, 5], device=d), L.tensor([9.0, 8.0, 7.0], device=d)),
    "put accumulate": lambda L, x, d: x.put(L.tensor([[0, 0]], device=d), L.tensor([9.0, 8.0], device=d),
                                            True),
    "put_": lambda L, x, d: (x * 1).put_(L.tensor([3], device=d), L.tensor([5.0], device=d)),
    "put range": lambda L, x, d: x.put(L.tensor([12], device=d), L.tensor([1.0], device=d)),
    "put sizes": lambda L, x, d: x.put(L.tensor([1], device=d), L.tensor([1.0, 2.0], device=d)),
    "narrow_copy": lambda L, x, d: L.narrow_copy(x, 1, 1, 2),
    "split_with_sizes": lambda L, x, d: L.cat(x.split_with_sizes([1, 3], 1), 0),
    "split_with_sizes bad": lambda L, x, d: L.split_with_sizes(x, [1, 1], 1)[0],
    "unsafe_chunk": lambda L, x, d: L.cat(L.unsafe_chunk(x, 2, 1), 0),
    "unsafe_split": lambda L, x, d: L.cat(x.unsafe_split(2, 0), 1 - 1),
    "unsafe_split_with_sizes": lambda L, x, d: L.cat(L.unsafe_split_with_sizes(x, [2, 1]), 0),
    "new_empty_strided": lambda L, x, d: L.tensor([*x.t().new_empty_strided((2, 3), (1, 2)).stride(),
                                                   float(x.is_shared())]),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", SCATTER_CALLS)
def test_scatter_and_split_spellings_as_torch(name, device):
    def run(L, dev):
        x = L.tensor(X, device=dev, requires_grad=True)
        out = SCATTER_CALLS[name](L, x, dev)
        if out.requires_grad:
            (out * L.arange(out.numel(), device=dev).reshape(out.shape).float().cos()).sum().backward()
        grad = None if x.grad is None else str(np.round(x.grad.cpu().numpy(), 5).tolist())  # str: nan == nan
        return list(out.shape), str(np.round(out.detach().cpu().numpy(), 5).tolist()), grad
    assert _outcome(lambda: run(pyfront, device)) == _outcome(lambda: run(torch, "cpu"))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("args", [(), (2, 3), ("size",), ([1.5, 2.5],), ([[1, 2]],), (0,)], ids=str)
@pytest.mark.parametrize("dtype", ["float32", "int64"])
def test_legacy_new_as_torch(args, dtype, device):
    def run(L, dev):
        x = L.ones(2, 3, dtype=getattr(L, dtype), device=dev)
        out = x.new(*[x.size() if a == "size" else a for a in args])
        values = out.cpu().tolist() if isinstance(args[0] if args else None, list) else None  # sizes: unset
        return list(out.shape), str(out.dtype), out.device.type == x.device.type, values
    assert _outcome(lambda: run(pyfront, device)) == _outcome(lambda: run(torch, "cpu"))
