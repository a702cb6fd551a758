"""Sparse gradients against torch, on cpu and webgpu: ``Embedding``/``EmbeddingBag``/``F.embedding`` with
``sparse=True`` (torch's uncoalesced COO gradient: indices ``(1, nnz)``, values ``(nnz, dim)``), their
accumulation with sparse and dense gradients, ``w.grad = sparse``, every optimizer's answer to a sparse
gradient (SGD, Adagrad, LBFGS and SparseAdam step, the others refuse with torch's words), and the sparse ops
a user met there (``s + s`` as torch's merge, ``addmm_``, ``mv``, ``bmm``, ``permute``).

A sparse outcome is compared as stored (not coalesced first): its coalesced flag, indices, values, shape
and dtype; an exception by type and message."""
import warnings

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
IDX = [[1, 3, 1], [0, 3, 4]]


def _dev(lib, device):
    return {} if lib is torch else {"device": device}


def _weight(lib, device, rows=5, cols=3):
    return lib.tensor(np.linspace(-1.5, 2.0, rows * cols).reshape(rows, cols).tolist(), **_dev(lib, device))


def _embedding(lib, device, **kw):
    e = lib.nn.Embedding(5, 3, sparse=True, **kw, **_dev(lib, device))
    with lib.no_grad():
        e.weight.copy_(_weight(lib, device))
    return e


def _idx(lib, device, idx=IDX, **kw):
    return lib.tensor(idx, **_dev(lib, device), **kw)


def _backward(out):
    (out * (1 + out.detach().abs())).sum().backward()  # a gradient that differs per element


def _grad_of(lib, device, row):
    """The gradient the row leaves in its weight (or what the row returns)."""
    w = _weight(lib, device).requires_grad_()
    F = lib.nn.functional
    if row == "Embedding":
        e = _embedding(lib, device)
        _backward(e(_idx(lib, device)))
        return e.weight.grad
    if row == "Embedding twice":
        e = _embedding(lib, device)
        _backward(e(_idx(lib, device)))
        _backward(e(_idx(lib, device, [2, 1])))
        return e.weight.grad
    if row.startswith("Embedding, sum() backward"):  # an expanded gradient: torch's sparse add appends
        e = _embedding(lib, device)
        for idx in ([[1, 3, 1], [0, 3, 4]], [3, 3], [2, 1, 2, 0, 0, 0, 4], [1, 3])[:int(row[-1])]:
            e(_idx(lib, device, idx)).sum().backward()
        return e.weight.grad
    if row == "padding_idx":
        e = _embedding(lib, device, padding_idx=3)
        _backward(e(_idx(lib, device)))
        return e.weight.grad
    if row == "padding_idx=-1":
        e = _embedding(lib, device, padding_idx=-1)
        _backward(e(_idx(lib, device)))
        return e.weight.grad
    if row == "max_norm":
        e = _embedding(lib, device, max_norm=1.0)
        _backward(e(_idx(lib, device)))
        return e.weight.grad
    if row == "scale_grad_by_freq":
        e = _embedding(lib, device, scale_grad_by_freq=True)
        _backward(e(_idx(lib, device)))
        return e.weight.grad
    if row == "0-d index":
        _backward(F.embedding(_idx(lib, device, 2), w, sparse=True))
    elif row == "no index":
        _backward(F.embedding(_idx(lib, device, [], dtype=lib.int64), w, sparse=True))
    elif row == "int32 index":
        _backward(F.embedding(_idx(lib, device, IDX, dtype=lib.int32), w, sparse=True))
    elif row == "torch.embedding":
        _backward(lib.embedding(w, _idx(lib, device), sparse=True))
    elif row == "dense then sparse":
        _backward(w * 2)
        _backward(F.embedding(_idx(lib, device), w, sparse=True))
    elif row == "sparse then dense":
        _backward(F.embedding(_idx(lib, device), w, sparse=True))
        _backward(w * 2)
    elif row == "dense and sparse in one backward":
        _backward((w * 2).sum() + F.embedding(_idx(lib, device), w, sparse=True).sum())
    elif row == "two sparse in one backward":
        _backward(F.embedding(_idx(lib, device, [2, 0]), w, sparse=True).sum()
                  + F.embedding(_idx(lib, device, [4, 2, 2]), w, sparse=True).sum())
    elif row == "two sparse in one backward, contiguous":
        _backward(lib.cat([F.embedding(_idx(lib, device, [2, 0]), w, sparse=True),
                           F.embedding(_idx(lib, device, [4, 2, 2]), w, sparse=True)]))
    elif row == "weight w * 2":
        _backward(F.embedding(_idx(lib, device), w * 2, sparse=True))
    elif row == "retain_grad":
        v = w * 1
        v.retain_grad()
        _backward(F.embedding(_idx(lib, device), v, sparse=True))
        return v.grad
    elif row == "hook":
        w.register_hook(lambda g: g * 2)
        _backward(F.embedding(_idx(lib, device), w, sparse=True))
    elif row == "backward(inputs=[w]) twice":
        for _ in range(2):
            F.embedding(_idx(lib, device), w, sparse=True).sum().backward(inputs=[w])
    elif row in ("clip_grad_norm_", "clip_grad_value_"):
        _backward(F.embedding(_idx(lib, device), w, sparse=True))
        getattr(lib.nn.utils, row)([w], 0.5)
    elif row == ".grad.coalesce()":
        _backward(F.embedding(_idx(lib, device), w, sparse=True))
        return w.grad.coalesce()
    elif row == ".grad.to_dense()":
        _backward(F.embedding(_idx(lib, device), w, sparse=True))
        return w.grad.to_dense()
    elif row == "zero_grad(set_to_none=False)":
        _backward(F.embedding(_idx(lib, device), w, sparse=True))
        opt = lib.optim.SGD([w], lr=0.1)
        opt.zero_grad(set_to_none=False)
    elif row == "autograd.grad":
        return lib.autograd.grad(F.embedding(_idx(lib, device), w, sparse=True).sum(), w)[0]
    elif row == "EmbeddingBag offsets, padding_idx, per_sample_weights":
        bag = lib.nn.EmbeddingBag(5, 3, mode="sum", sparse=True, padding_idx=3, **_dev(lib, device))
        with lib.no_grad():
            bag.weight.copy_(_weight(lib, device))
        weights = lib.tensor([1.0, 2, 3, 4, 5, 6], **_dev(lib, device))
        flat, offsets = _idx(lib, device, [1, 3, 1, 0, 3, 4]), _idx(lib, device, [0, 2])
        _backward(bag(flat, offsets, per_sample_weights=weights))
        return bag.weight.grad
    elif row.startswith("EmbeddingBag"):
        mode = row.split()[1]
        bag = lib.nn.EmbeddingBag(5, 3, mode=mode, sparse=True, **_dev(lib, device))
        with lib.no_grad():
            bag.weight.copy_(_weight(lib, device))
        _backward(bag(_idx(lib, device)))
        return bag.weight.grad
    elif row == "w.grad = sparse, then a dense backward":
        ones = lib.ones(2, 3, **_dev(lib, device))
        w.grad = lib.sparse_coo_tensor(_idx(lib, device, [[0, 2]]), ones, (5, 3))
        _backward(w * 2)
    elif row == "w.grad = dense, then a sparse backward":
        w.grad = lib.ones(5, 3, **_dev(lib, device))
        _backward(F.embedding(_idx(lib, device), w, sparse=True))
    return w.grad


GRAD_ROWS = ["Embedding", "Embedding twice", *(f"Embedding, sum() backward x{n}" for n in (1, 2, 3, 4)),
             "padding_idx", "padding_idx=-1", "max_norm",
             "scale_grad_by_freq", "0-d index", "no index", "int32 index", "torch.embedding",
             "dense then sparse", "sparse then dense",
             "dense and sparse in one backward", "two sparse in one backward",
             "two sparse in one backward, contiguous", "weight w * 2", "retain_grad", "hook",
             "backward(inputs=[w]) twice", "clip_grad_norm_", "clip_grad_value_", ".grad.coalesce()",
             ".grad.to_dense()", "zero_grad(set_to_none=False)", "autograd.grad", "EmbeddingBag sum",
             "EmbeddingBag offsets, padding_idx, per_sample_weights",
             "EmbeddingBag mean", "EmbeddingBag max", "w.grad = sparse, then a dense backward",
             "w.grad = dense, then a sparse backward"]


def _outcome(fn, *args):
    """What a call gives, as compared: a sparse tensor as stored, a dense one's values, or the error."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = fn(*args)
    except Exception as e:  # torch's "no sparse kernel" error is compared up to its build's backend list
        text = str(e).replace("WebGPU' backend", "CPU' backend")
        cut = text.find(" for possible resolutions.")
        return (type(e).__name__, text if cut < 0 else text[:cut]), None
    if getattr(r, "is_sparse", False) is True:
        return (("sparse", r.is_coalesced(), tuple(r.shape), repr(r.dtype), r._indices().cpu().tolist(),
                 tuple(r._values().shape)), np.array(r._values().detach().cpu().tolist(), dtype=np.float64))
    if hasattr(r, "dtype"):
        return ("dense", tuple(r.shape), repr(r.dtype)), np.array(r.detach().cpu().tolist(), dtype=np.float64)
    return r, None


def _same(got, expected, device):
    assert got[0] == expected[0]
    if expected[1] is not None:
        tol = dict(rtol=1e-6, atol=1e-7) if device == "cpu" else dict(rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(got[1], expected[1], **tol)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("row", GRAD_ROWS)
def test_sparse_gradient(row, device):
    _same(_outcome(_grad_of, pyfront, device, row), _outcome(_grad_of, torch, "cpu", row), device)


def test_sparse_embedding_repr_and_grad_fn():
    for lib in (pyfront, torch):
        assert repr(lib.nn.Embedding(5, 3, sparse=True)) == "Embedding(5, 3, sparse=True)"
    out = _embedding(pyfront, "cpu")(_idx(pyfront, "cpu"))
    assert type(out.grad_fn).__name__ == "EmbeddingBackward0"


# -- w.grad = ... ----------------------------------------------------------------------------------------
def _assign(lib, device, row):
    w = _weight(lib, device).requires_grad_()
    ones = lambda *shape, **kw: lib.ones(*shape, **_dev(lib, device), **kw)  # noqa: E731
    rows, both = _idx(lib, device, [[0, 2]]), _idx(lib, device, [[0, 2], [1, 1]])
    grads = {"sparse, same size": lambda: lib.sparse_coo_tensor(rows, ones(2, 3), (5, 3)),
             "all-sparse, same size": lambda: lib.sparse_coo_tensor(both, ones(2), (5, 3)),
             "sparse, other size": lambda: lib.sparse_coo_tensor(rows, ones(2, 3), (6, 3)),
             "sparse, fewer dims": lambda: lib.sparse_coo_tensor(rows, ones(2), (5,)),
             "sparse, other dtype": lambda: lib.sparse_coo_tensor(rows, ones(2, 3, dtype=lib.float16),
                                                                  (5, 3))}
    w.grad = grads[row]()
    return w.grad


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("row", ["sparse, same size", "all-sparse, same size", "sparse, other size",
                                 "sparse, fewer dims", "sparse, other dtype"])
def test_assign_sparse_grad(row, device):
    _same(_outcome(_assign, pyfront, device, row), _outcome(_assign, torch, "cpu", row), device)


# -- optimizers ------------------------------------------------------------------------------------------
OPTIMIZERS = {
    "SGD": [{"lr": 0.1}, {"lr": 0.1, "momentum": 0.9}, {"lr": 0.1, "momentum": 0.9, "nesterov": True},
            {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}, {"lr": 0.1, "maximize": True},
            {"lr": 0.1, "weight_decay": 0.1}],
    "Adagrad": [{"lr": 0.1}, {"lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.1},
                {"lr": 0.1, "maximize": True}, {"lr": 0.1, "weight_decay": 0.1}],
    "SparseAdam": [{"lr": 0.1}, {"lr": 0.1, "betas": (0.8, 0.9), "maximize": True}],
    "LBFGS": [{"lr": 0.5}],
    "Adam": [{}, {"amsgrad": True}], "AdamW": [{}], "Adamax": [{}], "Adadelta": [{}], "ASGD": [{}],
    "NAdam": [{}], "RAdam": [{}], "RMSprop": [{}, {"centered": True}], "Rprop": [{}], "Adafactor": [{}],
}
OPT_ROWS = [(name, kw) for name, kws in OPTIMIZERS.items() for kw in kws]


def test_every_optimizer_has_a_row():
    have = {n for n in pyfront.optim.__all__
            if isinstance(getattr(pyfront.optim, n), type) and issubclass(getattr(pyfront.optim, n),
                                                                          pyfront.optim.Optimizer)}
    assert have - {"Optimizer"} == set(OPTIMIZERS)


def _train(lib, device, name, kw, sparse=True, steps=3):
    """A few steps on an embedding's sparse gradient (row 2 unused, rows 1 and 3 twice); the weight after."""
    e = lib.nn.Embedding(5, 3, sparse=sparse, **_dev(lib, device))
    with lib.no_grad():
        e.weight.copy_(_weight(lib, device))
    opt = getattr(lib.optim, name)(e.parameters(), **kw)
    idx = _idx(lib, device)

    def loss():
        opt.zero_grad()
        out = e(idx)
        value = (out * out * (1 + out.detach().abs())).sum()
        value.backward()
        return value
    for _ in range(steps):
        if name == "LBFGS":
            opt.step(loss)
        else:
            loss()
            opt.step()
    return e.weight


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name,kw", OPT_ROWS, ids=[f"{n}-{kw}" for n, kw in OPT_ROWS])
def test_optimizer_on_sparse_gradient(name, kw, device):
    _same(_outcome(_train, pyfront, device, name, kw), _outcome(_train, torch, "cpu", name, kw), device)


@pytest.mark.parametrize("device", DEVICES)
def test_sparse_adam_refuses_dense_gradients(device):
    _same(_outcome(_train, pyfront, device, "SparseAdam", {}, False),
          _outcome(_train, torch, "cpu", "SparseAdam", {}, False), device)


@pytest.mark.parametrize("kw", [{"lr": -1.0}, {"lr": 0.0}, {"eps": 0.0}, {"betas": (1.0, 0.9)},
                                {"betas": (0.9, -0.1)}, {}])
def test_sparse_adam_arguments(kw):
    def make(lib):
        opt = lib.optim.SparseAdam([lib.zeros(3, requires_grad=True)], **kw)
        return repr(opt), opt.defaults
    assert _outcome(make, pyfront) == _outcome(make, torch)


# -- sparse ops a user met ----------------------------------------------------------------------------------
def _ops(lib, device):
    d = _dev(lib, device)
    coo = lib.sparse_coo_tensor
    with torch.sparse.check_sparse_tensor_invariants(False):
        s = coo(lib.tensor([[0, 1, 1], [2, 0, 2]], **d), lib.tensor([3.0, 4.0, 5.0], **d), (2, 3))
        u = coo(lib.tensor([[1, 0, 1], [2, 2, 0]], **d), lib.tensor([3.0, -4.0, 5.0], **d), (2, 3))
        h = coo(lib.tensor([[0, 2, 0]], **d), lib.arange(6.0, **d).reshape(3, 2), (3, 2))
        h3 = coo(lib.tensor([[0, 2, 0]], **d), lib.arange(12.0, **d).reshape(3, 2, 2), (3, 2, 2))
        s3 = coo(lib.tensor([[0, 1, 1], [1, 0, 0], [2, 2, 0]], **d), lib.tensor([1.0, 2.0, -3.0], **d),
                 (2, 2, 3))
        sv = coo(lib.tensor([[1]], **d), lib.tensor([2.0], **d), (3,))
        empty = coo(lib.zeros(2, 0, dtype=lib.int64, **d), lib.zeros(0, **d), (2, 3))
        h2 = coo(lib.tensor([[0, 2, 0], [1, 0, 1]], **d), lib.arange(6.0, **d).reshape(3, 2) - 3, (3, 2, 2))
    m = lib.arange(12.0, **d).reshape(3, 4) / 4
    return {"h2": h2, "dev": d, "s": s, "c": s.coalesce(), "u": u, "h": h, "h3": h3, "s3": s3, "sv": sv,
            "m": m, "empty": empty,
            "d": lib.arange(8.0, **d).reshape(2, 4) - 3, "v": lib.tensor([1.0, -2.0, 0.5], **d),
            "d3": lib.arange(24.0, **d).reshape(2, 3, 4) / 8, "d23": lib.arange(6.0, **d).reshape(2, 3)}


OP_ROWS = {
    "s + s": lambda L, o: o["s"] + o["s"], "c + c": lambda L, o: o["c"] + o["c"],
    "u + u": lambda L, o: o["u"] + o["u"], "c + u": lambda L, o: o["c"] + o["u"],
    "u + c": lambda L, o: o["u"] + o["c"], "s - u": lambda L, o: o["s"] - o["u"],
    "torch.add(c, u, alpha=2)": lambda L, o: L.add(o["c"], o["u"], alpha=2),
    "c.add_(u)": lambda L, o: o["c"].clone().add_(o["u"]),
    "u.add_(c)": lambda L, o: o["u"].clone().add_(o["c"]),
    "empty + u": lambda L, o: o["empty"] + o["u"], "u + empty": lambda L, o: o["u"] + o["empty"],
    "h + h": lambda L, o: o["h"] + o["h"], "h + h.coalesce()": lambda L, o: o["h"] + o["h"].coalesce(),
    "h + s": lambda L, o: o["h"] + o["s"], "h.coalesce()": lambda L, o: o["h"].coalesce(),
    "h.to_dense()": lambda L, o: o["h"].to_dense(), "h * 2": lambda L, o: o["h"] * 2,
    "ones + h": lambda L, o: L.ones(3, 2, **_dev(L, o["s"].device.type)) + o["h"],
    "d.addmm_(s, m)": lambda L, o: o["d"].addmm_(o["s"], o["m"]),
    "d.addmm_(s, m, beta=0.5, alpha=2)": lambda L, o: o["d"].addmm_(o["s"], o["m"], beta=0.5, alpha=2),
    "d.t().addmm_(m.t()[:, :2], s)": lambda L, o: L.zeros(4, 3).addmm_(o["m"].t()[:, :2], o["s"]),
    "s.addmm_(d23, d)": lambda L, o: o["s"].addmm_(o["d23"][:, :2], o["d23"]),
    "d[:, :3].addmm_(s, m)": lambda L, o: L.zeros(2, 5).addmm_(o["s"], o["m"]),
    "torch.addmm(s, d, d)": lambda L, o: L.addmm(o["s"], o["d23"][:, :2], o["d23"]),
    "torch.matmul(s, m)": lambda L, o: L.matmul(o["s"], o["m"]),
    "torch.matmul(d23.t(), s)": lambda L, o: L.matmul(o["d23"].t(), o["s"]),
    "torch.matmul(s, v)": lambda L, o: L.matmul(o["s"], o["v"]),
    "torch.mv(s, v)": lambda L, o: L.mv(o["s"], o["v"]), "s.mv(v)": lambda L, o: o["s"].mv(o["v"]),
    "torch.mv(d23, sv)": lambda L, o: L.mv(o["d23"], o["sv"]),
    "d23.mv(sv)": lambda L, o: o["d23"].mv(o["sv"]),
    "torch.mv(s, v[:2])": lambda L, o: L.mv(o["s"], o["v"][:2]),
    "torch.mv(s, m)": lambda L, o: L.mv(o["s"], o["m"]),
    "torch.mv(s3, v)": lambda L, o: L.mv(o["s3"], o["v"]),
    "torch.bmm(s3, d3)": lambda L, o: L.bmm(o["s3"], o["d3"]),
    "s3.bmm(d3)": lambda L, o: o["s3"].bmm(o["d3"]),
    "torch.bmm(d3, s3)": lambda L, o: L.bmm(o["d3"].transpose(1, 2)[:, :, :2], o["s3"]),
    "torch.bmm(s3, d3[:, :2])": lambda L, o: L.bmm(o["s3"], o["d3"][:, :2]),
    "torch.bmm(s3, d3[:1])": lambda L, o: L.bmm(o["s3"], o["d3"][:1]),
    "torch.bmm(s3, m)": lambda L, o: L.bmm(o["s3"], o["m"]),
    "torch.bmm(s, d3)": lambda L, o: L.bmm(o["s"], o["d3"]),
    "s.permute(1, 0)": lambda L, o: o["s"].permute(1, 0),
    "c.permute(1, 0)": lambda L, o: o["c"].permute(1, 0),
    "c.permute(0, 1)": lambda L, o: o["c"].permute(0, 1),
    "c.permute(-1, 0)": lambda L, o: o["c"].permute(-1, 0),
    "torch.permute(s3, (2, 0, 1))": lambda L, o: L.permute(o["s3"], (2, 0, 1)),
    "s.permute(0, 0)": lambda L, o: o["s"].permute(0, 0), "s.permute(0)": lambda L, o: o["s"].permute(0),
    "h.permute(1, 0)": lambda L, o: o["h"].permute(1, 0),
    "h3.permute(0, 2, 1)": lambda L, o: o["h3"].permute(0, 2, 1),
    "h.t()": lambda L, o: o["h"].t(),
    # sparse * sparse: torch keeps the entries of the uncoalesced (or the smaller) operand as stored
    "s * u": lambda L, o: o["s"] * o["u"], "u * s": lambda L, o: o["u"] * o["s"],
    "s * c": lambda L, o: o["s"] * o["c"], "c * u": lambda L, o: o["c"] * o["u"],
    "s * s": lambda L, o: o["s"] * o["s"], "c * c": lambda L, o: o["c"] * o["c"],
    "u * s3[0]": lambda L, o: o["u"] * o["s3"][0].narrow_copy(1, 0, 3),
    "u * empty": lambda L, o: o["u"] * o["empty"], "h * h": lambda L, o: o["h"] * o["h"],
    "h * h.coalesce()": lambda L, o: o["h"] * o["h"].coalesce(),
    "s * u.int()": lambda L, o: o["s"] * o["u"].int(),
    # a hybrid tensor (dense trailing dims, as an embedding's gradient) through the other sparse ops
    "repr(h)": lambda L, o: repr(o["h"]).replace("device='webgpu:0', ", ""),  # (torch's cpu has none)
    "repr(h3)": lambda L, o: repr(o["h3"]).replace("device='webgpu:0', ", ""),
    "h.sum()": lambda L, o: o["h"].sum(), "sparse.sum(h, 0)": lambda L, o: L.sparse.sum(o["h"], 0),
    "sparse.sum(h, 1)": lambda L, o: L.sparse.sum(o["h"], 1),
    "sparse.sum(h2, (0, 2))": lambda L, o: L.sparse.sum(o["h2"], (0, 2)),
    "h.norm()": lambda L, o: o["h"].norm(), "h.abs().sqrt()": lambda L, o: o["h"].abs().sqrt(),
    "h * row": lambda L, o: o["h"] * L.tensor([1.0, 2.0], **o["dev"]),
    "d * h": lambda L, o: L.arange(6.0, **o["dev"]).reshape(3, 2) * o["h"], "h / 2": lambda L, o: o["h"] / 2,
    "h.select(0, 0)": lambda L, o: o["h"].select(0, 0), "h.select(1, 1)": lambda L, o: o["h"].select(1, 1),
    "h2.select(1, 1)": lambda L, o: o["h2"].select(1, 1),
    "h2.select(2, 1)": lambda L, o: o["h2"].select(2, 1),
    "h[0]": lambda L, o: o["h"][0], "h2[2]": lambda L, o: o["h2"][2],
    "h.unsqueeze(0)": lambda L, o: o["h"].unsqueeze(0), "h.unsqueeze(2)": lambda L, o: o["h"].unsqueeze(2),
    "h.unsqueeze(1)": lambda L, o: o["h"].unsqueeze(1),
    "h.index_select(0, i)": lambda L, o: o["h"].index_select(0, L.tensor([0, 0], **o["dev"])),
    "h.index_select(1, i)": lambda L, o: o["h"].index_select(1, L.tensor([1, 0], **o["dev"])),
    "h.narrow_copy(0, 1, 2)": lambda L, o: o["h"].narrow_copy(0, 1, 2),
    "h.narrow_copy(1, 0, 1)": lambda L, o: o["h"].narrow_copy(1, 0, 1),
    "torch.cat([h, h])": lambda L, o: L.cat([o["h"], o["h"]]),
    "torch.cat([h, h], 1)": lambda L, o: L.cat([o["h"], o["h"]], 1),
    "sparse.softmax(h, 0)": lambda L, o: L.sparse.softmax(o["h"], 0),
    "sparse.softmax(h, 1)": lambda L, o: L.sparse.softmax(o["h"], 1),
    "sparse.log_softmax(h2, 1)": lambda L, o: L.sparse.log_softmax(o["h2"], 1),
    "h2.transpose(0, 1)": lambda L, o: o["h2"].transpose(0, 1),
    "h2.transpose(1, 2)": lambda L, o: o["h2"].transpose(1, 2),
    "torch.mm(h, m)": lambda L, o: L.mm(o["h"], o["m"][:2]), "d23 @ h": lambda L, o: o["d23"] @ o["h"],
    "torch.zeros_like(h)": lambda L, o: L.zeros_like(o["h"]),
    "h2.coalesce()": lambda L, o: o["h2"].coalesce(),
    "h2.to_dense()": lambda L, o: o["h2"].to_dense(),
    "h.clone().zero_()": lambda L, o: o["h"].clone().zero_(),
    "d.to_sparse(1)": lambda L, o: L.tensor([[0.0, 1], [0, 0], [2, 0]], **o["dev"]).to_sparse(1),
    "d3.to_sparse(2)": lambda L, o: (o["d3"] - 1).relu().to_sparse(2),
    "d.sparse_mask(h)": lambda L, o: L.arange(6.0, **o["dev"]).reshape(3, 2).sparse_mask(o["h"].coalesce()),
    "h.pow(2)": lambda L, o: o["h"].pow(2), "h + d (refused)": lambda L, o: o["h"] + L.ones(3, 2, **o["dev"]),
    "h2.permute(1, 0, 2)": lambda L, o: o["h2"].permute(1, 0, 2),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("row", list(OP_ROWS))
def test_sparse_op(row, device):
    _same(_outcome(OP_ROWS[row], pyfront, _ops(pyfront, device)),
          _outcome(OP_ROWS[row], torch, _ops(torch, "cpu")), device)


@pytest.mark.parametrize("size", [(5, 4), (5,), (5, 3, 4), None])
def test_sparse_constructor_with_dense_dims(size):
    def make(L):
        return L.sparse_coo_tensor(L.tensor([[0, 2]]), L.ones(2, 3), *[size] if size else [])
    _same(_outcome(make, pyfront), _outcome(make, torch), "cpu")


@pytest.mark.parametrize("device", DEVICES)
def test_momentum_buffer_over_steps(device):
    """SGD's sparse momentum buffer grows as torch's (its stored entries, step after step), with losses whose
    gradient is expanded (``sum()``: torch clones it into ``.grad``, then appends) or not (merges)."""
    rng = np.random.default_rng(0)
    idxs = [rng.integers(0, 300, (8, 16)).tolist() for _ in range(4)]
    table = rng.standard_normal((300, 8)).astype(np.float32).tolist()

    def run(lib, dev):
        e = lib.nn.Embedding(300, 8, sparse=True, **_dev(lib, dev))
        with lib.no_grad():
            e.weight.copy_(lib.tensor(table, **_dev(lib, dev)))
        opt = lib.optim.SGD(e.parameters(), lr=0.1, momentum=0.9, nesterov=True)
        for i, idx in enumerate(idxs):
            opt.zero_grad()
            out = e(lib.tensor(idx, **_dev(lib, dev)))
            (out.sum() if i % 2 else out.pow(2).sum()).backward()
            opt.step()
        return opt.state[e.weight]["momentum_buffer"], e.weight
    (buf, weight), (t_buf, t_weight) = run(pyfront, device), run(torch, "cpu")
    assert buf._indices().cpu().tolist() == t_buf._indices().tolist()
    tol = dict(rtol=1e-6, atol=1e-6) if device == "cpu" else dict(rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(buf._values().cpu().tolist(), t_buf._values().tolist(), **tol)
    np.testing.assert_allclose(weight.detach().cpu().tolist(), t_weight.detach().tolist(), **tol)
