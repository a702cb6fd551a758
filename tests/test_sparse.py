"""Sparse COO basics against torch, as pytorch/examples' graph convolution (GCN) uses them: built
with sparse_coo_tensor, coalesced, densified, multiplied into dense features (gradients to the dense
operand and to the values), printed; on cpu and webgpu (where the product is composed of dense ops)."""
import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
INDICES = [[0, 1, 1, 2, 0], [2, 0, 2, 1, 2]]  # (0, 2) twice: uncoalesced
VALUES = [3.0, 4.0, 5.0, 1.0, 2.0]


def _sparse(lib, device="cpu", **kw):
    if lib is torch:
        with torch.sparse.check_sparse_tensor_invariants(False):
            return torch.sparse_coo_tensor(torch.tensor(INDICES), torch.tensor(VALUES), (3, 3), **kw)
    return pyfront.sparse_coo_tensor(pyfront.tensor(INDICES), pyfront.tensor(VALUES), (3, 3), device=device,
                                     **kw)


def _np(t):
    return np.array(t.detach().cpu().tolist())


@pytest.mark.parametrize("device", DEVICES)
def test_build_coalesce_dense_and_print(device):
    p, t = _sparse(pyfront, device), _sparse(torch)
    assert (p.is_sparse, repr(p.layout), p.is_coalesced(), p._nnz(), tuple(p.shape)) == (
        t.is_sparse, repr(t.layout), t.is_coalesced(), t._nnz(), tuple(t.shape))
    assert repr(pyfront.tensor(1.0).layout) == repr(torch.tensor(1.0).layout) == "torch.strided"
    assert not pyfront.ones(2).is_sparse
    pc, tc = p.coalesce(), t.coalesce()
    assert pc.is_coalesced() and pc._nnz() == tc._nnz()
    np.testing.assert_array_equal(_np(pc.indices()), tc.indices().numpy())
    np.testing.assert_array_equal(_np(pc.values()), tc.values().numpy())
    np.testing.assert_array_equal(_np(p.to_dense()), t.to_dense().numpy())
    assert repr(pc.cpu()) == repr(tc)
    assert repr(_sparse(pyfront, requires_grad=True)) == repr(_sparse(torch, requires_grad=True))
    dense = [[1.0, 0.0, 2.0], [0.0, 0.0, 3.0]]
    assert repr(pyfront.tensor(dense).to_sparse()) == repr(torch.tensor(dense).to_sparse())
    with pytest.raises(RuntimeError, match="uncoalesced"):
        p.indices()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("how", ["sparse.mm", "spmm", "mm", "matmul", "method"])
def test_mm_values_and_gradients(how, device):
    def run(lib, dev):
        s = _sparse(lib, dev, requires_grad=True)
        x = lib.tensor(np.arange(6.0, dtype=np.float32).reshape(3, 2).tolist(), device=dev).requires_grad_() \
            if lib is pyfront else torch.arange(6.0).reshape(3, 2).requires_grad_()
        fn = {"sparse.mm": lib.sparse.mm, "spmm": lib.spmm, "mm": lib.mm, "matmul": lambda a, b: a @ b,
              "method": lambda a, b: a.mm(b)}[how]
        y = fn(s, x)
        (y * y).sum().backward()
        return y, x.grad, s.grad
    (py, px, ps), (ty, tx, ts) = run(pyfront, device), run(torch, "cpu")
    np.testing.assert_allclose(_np(py), ty.detach().numpy(), rtol=1e-5)
    assert type(py.grad_fn).__name__ == type(ty.grad_fn).__name__
    np.testing.assert_allclose(_np(px), tx.numpy(), rtol=1e-5)
    # torch.sparse.mm's gradient is sparse, torch.mm's dense: compared at the stored positions
    rows, cols = _np(ps.indices()).astype(int)
    dense_t = ts.to_dense() if ts.is_sparse else ts
    np.testing.assert_allclose(_np(ps.values()), dense_t.numpy()[rows, cols], rtol=1e-5)


@pytest.mark.parametrize("make", [
    lambda m: m.sparse_coo_tensor(m.tensor(INDICES), m.tensor(VALUES[:3]), (3, 3)),
    lambda m: m.sparse_coo_tensor(m.tensor(INDICES[0]), m.tensor(VALUES), (3,)),
    lambda m: m.sparse.mm(m.sparse_coo_tensor(m.tensor(INDICES), m.tensor(VALUES), (3, 3)), m.ones(2, 2)),
])
def test_errors_as_torch(make):
    with pytest.raises(RuntimeError) as expected, torch.sparse.check_sparse_tensor_invariants(False):
        make(torch)
    with pytest.raises(RuntimeError) as got:
        make(pyfront)
    assert str(got.value) == str(expected.value)


def _normalized_adjacency(lib, n, edges):
    """GCN's D^-1/2 (A + I) D^-1/2 as a sparse tensor (pytorch/examples gcn)."""
    rows = [a for a, b in edges] + [b for a, b in edges] + list(range(n))
    cols = [b for a, b in edges] + [a for a, b in edges] + list(range(n))
    deg = np.bincount(rows, minlength=n).astype(np.float32)
    vals = [float(1 / np.sqrt(deg[r] * deg[c])) for r, c in zip(rows, cols)]
    return lib.sparse_coo_tensor(lib.tensor([rows, cols]), lib.tensor(vals), (n, n))


@pytest.mark.parametrize("device", DEVICES)
def test_gcn_two_layers_forward_backward(device):
    rng = np.random.default_rng(0)
    n, f, h, c = 7, 5, 4, 3
    edges = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 0), (0, 3)]
    feats, w1, w2 = (rng.standard_normal(s).astype(np.float32) for s in ((n, f), (f, h), (h, c)))
    labels = [0, 1, 2, 0, 1, 2, 0]

    def run(lib, dev):
        adj = _normalized_adjacency(lib, n, edges)
        adj = adj if lib is torch else adj.to(dev)
        x = lib.tensor(feats.tolist(), device=dev) if lib is pyfront else torch.tensor(feats)
        W1, W2 = (lib.tensor(w.tolist(), device=dev).requires_grad_() if lib is pyfront
                  else torch.tensor(w).requires_grad_() for w in (w1, w2))
        hidden = lib.relu(lib.sparse.mm(adj, x @ W1))
        out = lib.nn.functional.log_softmax(lib.sparse.mm(adj, hidden @ W2), dim=1)
        loss = lib.nn.functional.nll_loss(out, lib.tensor(labels, device=dev) if lib is pyfront
                                          else torch.tensor(labels))
        loss.backward()
        return loss, W1.grad, W2.grad
    got, expected = run(pyfront, device), run(torch, "cpu")
    tol = dict(rtol=1e-5, atol=1e-6) if device == "cpu" else dict(rtol=1e-3, atol=1e-5)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(_np(g), e.detach().numpy(), **tol)
    assert type(got[0].grad_fn).__name__ == type(expected[0].grad_fn).__name__
