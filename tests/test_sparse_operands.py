"""A sparse COO operand wherever a tensor is taken, against torch: every row is one call a user writes
with a sparse tensor first, second or both (functions, methods, in-place methods, operators, products),
and its outcome must be torch's: a sparse result's layout, coalesced flag, dtype, shape and entries
(after coalescing), a dense result's dtype and values, or the exception's type and message. On cpu and
webgpu (where pyfront composes sparse ops from dense ones). Torch's NotImplementedError for an op with
no sparse kernel is compared up to the list of backends it goes on with (that list names its build),
and on webgpu names the 'SparseWebGPU' (or 'WebGPU') backend where torch's names 'SparseCPU' ('CPU')."""
import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
INDICES = [[0, 1, 1, 2, 0], [2, 0, 2, 1, 2]]  # (0, 2) twice: uncoalesced, its values of both signs
VALUES = [3.0, -4.0, 5.0, 1.0, -2.0]
INDICES_C = [[0, 1, 1, 2], [2, 0, 2, 1]]  # coalesced
ZERO_PRESERVING = ["abs", "sqrt", "square", "sign", "sgn", "relu", "floor", "ceil", "round", "trunc", "frac",
                   "tanh", "sin", "tan", "asin", "atan", "sinh", "asinh", "atanh", "expm1", "log1p", "erf",
                   "erfinv", "deg2rad", "rad2deg", "isnan", "isinf", "isposinf", "isneginf", "signbit",
                   "nan_to_num"]
NO_SPARSE_KERNEL = ["exp", "sigmoid", "log", "cos", "mean", "max", "amax", "exp_", "cumsum", "argmax"]


def _operands(lib, device):
    kw = {} if lib is torch else {"device": device}
    with torch.sparse.check_sparse_tensor_invariants(False):
        s = lib.sparse_coo_tensor(lib.tensor(INDICES, **kw), lib.tensor(VALUES, **kw), (3, 3))
    return {"s": s, "sc": s.coalesce(), "d": lib.arange(9.0, **kw).reshape(3, 3) - 4,
            "v": lib.tensor([1.0, -2.0, 3.0], **kw), "z": lib.tensor(2.0, **kw),
            "d3": lib.arange(18.0, **kw).reshape(2, 3, 3), "b": lib.ones(3, **kw),
            "dint": lib.arange(9, **kw).reshape(3, 3), "i": lib.tensor([2, 0], **kw)}


def _method(name):
    return lambda L, o: getattr(o["s"], name)()


def _function(name):
    return lambda L, o: getattr(L, name)(o["s"])


def _require_grad(s):
    s.requires_grad = True
    return s.requires_grad, s.is_leaf


def _iadd(x, y):
    x += y
    return x


def _isub(x, y):
    x -= y
    return x


def _imul(x, y):
    x *= y
    return x


ROWS = {
    # add and sub: dense + sparse is dense, sparse + sparse sparse, sparse + dense refused
    "torch.add(d, s)": lambda L, o: L.add(o["d"], o["s"]),
    "torch.add(s, d)": lambda L, o: L.add(o["s"], o["d"]),
    "torch.add(d, s, alpha=2)": lambda L, o: L.add(o["d"], o["s"], alpha=2),
    "torch.add(s, s)": lambda L, o: L.add(o["s"], o["s"]),
    "torch.add(s, s, alpha=2)": lambda L, o: L.add(o["s"], o["s"], alpha=2),
    "torch.add(s, 1)": lambda L, o: L.add(o["s"], 1),
    "d.add(s)": lambda L, o: o["d"].add(o["s"]),
    "s.add(s)": lambda L, o: o["s"].add(o["s"]),
    "s.add(d)": lambda L, o: o["s"].add(o["d"]),
    "d.add_(s)": lambda L, o: o["d"].add_(o["s"]),
    "d.add_(s, alpha=-1)": lambda L, o: o["d"].add_(o["s"], alpha=-1),
    "s.add_(s)": lambda L, o: o["s"].add_(o["s"]),
    "s.add_(d)": lambda L, o: o["s"].add_(o["d"]),
    "d + s": lambda L, o: o["d"] + o["s"],
    "s + d": lambda L, o: o["s"] + o["d"],
    "s + s": lambda L, o: o["s"] + o["s"],
    "sc + sc": lambda L, o: o["sc"] + o["sc"],
    "s + 1": lambda L, o: o["s"] + 1,
    "1 + s": lambda L, o: 1 + o["s"],
    "d += s": lambda L, o: _iadd(o["d"], o["s"]),
    "s += s": lambda L, o: _iadd(o["s"], o["s"]),
    "d[:, :1] + s": lambda L, o: o["d"][:, :1] + o["s"],
    "s + s[:2, :2]": lambda L, o: o["s"] + o["s"].to_dense()[:2, :2].to_sparse(),
    "dint + s": lambda L, o: o["dint"] + o["s"],
    "dint.add_(s)": lambda L, o: o["dint"].add_(o["s"]),
    "torch.sub(d, s)": lambda L, o: L.sub(o["d"], o["s"]),
    "torch.sub(d, s, alpha=0.5)": lambda L, o: L.sub(o["d"], o["s"], alpha=0.5),
    "d - s": lambda L, o: o["d"] - o["s"],
    "s - d": lambda L, o: o["s"] - o["d"],
    "s - s": lambda L, o: o["s"] - o["s"],
    "d.sub_(s)": lambda L, o: o["d"].sub_(o["s"]),
    "d -= s": lambda L, o: _isub(o["d"], o["s"]),
    "s.sub(s, alpha=2)": lambda L, o: o["s"].sub(o["s"], alpha=2),
    "1 - s": lambda L, o: 1 - o["s"],
    # mul: sparse wherever either is
    "d * s": lambda L, o: o["d"] * o["s"],
    "s * d": lambda L, o: o["s"] * o["d"],
    "s * s": lambda L, o: o["s"] * o["s"],
    "sc * sc": lambda L, o: o["sc"] * o["sc"],
    "s * 2": lambda L, o: o["s"] * 2,
    "2 * s": lambda L, o: 2 * o["s"],
    "s * z": lambda L, o: o["s"] * o["z"],
    "d[:, :1] * s": lambda L, o: o["d"][:, :1] * o["s"],
    "s * dint": lambda L, o: o["s"] * o["dint"],
    "s.long() * 1.5": lambda L, o: o["s"].long() * 1.5,
    "torch.mul(d, s)": lambda L, o: L.mul(o["d"], o["s"]),
    "d.mul(s)": lambda L, o: o["d"].mul(o["s"]),
    "d.mul_(s)": lambda L, o: o["d"].mul_(o["s"]),
    "s.mul_(2)": lambda L, o: o["s"].mul_(2),
    "s *= 2": lambda L, o: _imul(o["s"], 2),
    "d *= s": lambda L, o: _imul(o["d"], o["s"]),
    # division: by a number or a 0-d tensor only
    "s / 2": lambda L, o: o["s"] / 2,
    "s / z": lambda L, o: o["s"] / o["z"],
    "d / s": lambda L, o: o["d"] / o["s"],
    "s / d": lambda L, o: o["s"] / o["d"],
    "torch.div(s, 2)": lambda L, o: L.div(o["s"], 2),
    "torch.div(d, s)": lambda L, o: L.div(o["d"], o["s"]),
    "torch.true_divide(s, 2)": lambda L, o: L.true_divide(o["s"], 2),
    "s.div_(2)": lambda L, o: o["s"].div_(2),
    "1 / s": lambda L, o: 1 / o["s"],
    "s // 2": lambda L, o: o["s"] // 2,
    "d // s": lambda L, o: o["d"] // o["s"],
    # negation and powers
    "-s": lambda L, o: -o["s"],
    "s.neg()": lambda L, o: o["s"].neg(),
    "torch.neg(s)": lambda L, o: L.neg(o["s"]),
    "s.neg_()": lambda L, o: o["s"].neg_(),
    "s ** 2": lambda L, o: o["s"] ** 2,
    "s ** 0": lambda L, o: o["s"] ** 0,
    "s ** -1": lambda L, o: o["s"] ** -1,
    "s.pow(0.5)": lambda L, o: o["s"].pow(0.5),
    "torch.pow(s, 2)": lambda L, o: L.pow(o["s"], 2),
    "torch.pow(d, s)": lambda L, o: L.pow(o["d"], o["s"]),
    "2 ** s": lambda L, o: 2 ** o["s"],
    "abs(s)": lambda L, o: abs(o["s"]),
    "s.abs_()": lambda L, o: o["s"].abs_(),
    "sc.abs_()": lambda L, o: o["sc"].abs_(),
    "sc.sqrt_()": lambda L, o: o["sc"].sqrt_(),
    **{f"s.{f}()": _method(f) for f in ZERO_PRESERVING},
    **{f"torch.{f}(s)": _function(f) for f in ("abs", "sqrt", "relu", "tanh")},
    # what torch has no sparse kernel for
    **{f"s.{f}()": _method(f) for f in NO_SPARSE_KERNEL if f != "cumsum"},
    "s.cumsum(0)": lambda L, o: o["s"].cumsum(0),
    "torch.exp(s)": lambda L, o: L.exp(o["s"]),
    "torch.softmax(s, 0)": lambda L, o: L.softmax(o["s"], 0),
    "torch.maximum(d, s)": lambda L, o: L.maximum(o["d"], o["s"]),
    "torch.eq(d, s)": lambda L, o: L.eq(o["d"], o["s"]),
    "d == s": lambda L, o: o["d"] == o["s"],
    "s == d": lambda L, o: o["s"] == o["d"],
    "d > s": lambda L, o: o["d"] > o["s"],
    "d <= s": lambda L, o: o["d"] <= o["s"],
    "s > d": lambda L, o: o["s"] > o["d"],
    "s > 1": lambda L, o: o["s"] > 1,
    "s != 1": lambda L, o: o["s"] != 1,
    "s % 2": lambda L, o: o["s"] % 2,
    "d % s": lambda L, o: o["d"] % o["s"],
    "torch.ones_like(s)": lambda L, o: L.ones_like(o["s"]),
    # casts and copies
    **{f"s.{f}()": _method(f)
       for f in ("float", "double", "half", "long", "int", "bool", "clone", "coalesce", "detach", "to_dense",
                 "to_sparse", "is_coalesced", "is_contiguous", "numel", "dim", "size", "_nnz", "type")},
    "sc.clone()": lambda L, o: o["sc"].clone(),
    "s.type(float64)": lambda L, o: o["s"].type(L.float64),
    "s.to(float64)": lambda L, o: o["s"].to(L.float64),
    "torch.zeros_like(s)": lambda L, o: L.zeros_like(o["s"]),
    "s.zero_()": lambda L, o: o["s"].zero_(),
    "s.copy_(sc)": lambda L, o: o["s"].copy_(o["sc"]),
    "d.copy_(s)": lambda L, o: o["d"].copy_(o["s"]),
    "d.to_sparse()": lambda L, o: o["d"].to_sparse(),
    # what a sparse tensor answers
    "s.indices()": lambda L, o: o["s"].indices(),
    "s.values()": lambda L, o: o["s"].values(),
    "sc.indices()": lambda L, o: o["sc"].indices(),
    "sc.values()": lambda L, o: o["sc"].values(),
    "s.shape": lambda L, o: tuple(o["s"].shape),
    "s.size(1)": lambda L, o: o["s"].size(1),
    "s.ndim": lambda L, o: o["s"].ndim,
    "len(s)": lambda L, o: len(o["s"]),
    "s.is_sparse": lambda L, o: o["s"].is_sparse,
    "s.layout": lambda L, o: repr(o["s"].layout),
    "s.dtype": lambda L, o: repr(o["s"].dtype),
    "s.is_leaf": lambda L, o: o["s"].is_leaf,
    "s.requires_grad": lambda L, o: o["s"].requires_grad,
    "s.requires_grad = True": lambda L, o: _require_grad(o["s"]),
    "s.long().requires_grad = True": lambda L, o: _require_grad(o["s"].long()),
    "torch.is_tensor(s)": lambda L, o: L.is_tensor(o["s"]),
    "torch.is_inference(s)": lambda L, o: L.is_inference(o["s"]),
    "s.item()": lambda L, o: o["s"].item(),
    "s.tolist()": lambda L, o: o["s"].tolist(),
    "s.numpy()": lambda L, o: o["s"].numpy(),
    "s.reshape(9)": lambda L, o: o["s"].reshape(9),
    "s.flatten()": lambda L, o: o["s"].flatten(),
    "s.view(9)": lambda L, o: o["s"].view(9),
    "s.expand(3, 3)": lambda L, o: o["s"].expand(3, 3),
    "s.contiguous()": lambda L, o: o["s"].contiguous(),
    # shapes
    "s.t()": lambda L, o: o["s"].t(),
    "sc.t()": lambda L, o: o["sc"].t(),
    "s.T": lambda L, o: o["s"].T,
    "s.mT": lambda L, o: o["s"].mT,
    "torch.t(s)": lambda L, o: L.t(o["s"]),
    "s.transpose(0, 1)": lambda L, o: o["s"].transpose(0, 1),
    "torch.transpose(s, 1, 0)": lambda L, o: L.transpose(o["s"], 1, 0),
    "s.transpose(0, 0)": lambda L, o: o["s"].transpose(0, 0),
    "s[0]": lambda L, o: o["s"][0],
    "s[-1]": lambda L, o: o["s"][-1],
    "s[5]": lambda L, o: o["s"][5],
    "s.select(1, 2)": lambda L, o: o["s"].select(1, 2),
    "s[0][2]": lambda L, o: o["s"][0][2],
    "s[0:2]": lambda L, o: o["s"][0:2],
    # sums
    "s.sum()": lambda L, o: o["s"].sum(),
    "torch.sum(s)": lambda L, o: L.sum(o["s"]),
    "s.sum(0)": lambda L, o: o["s"].sum(0),
    "s.sum(-1)": lambda L, o: o["s"].sum(-1),
    "torch.sum(s, 1)": lambda L, o: L.sum(o["s"], 1),
    "s.sum((0, 1))": lambda L, o: o["s"].sum((0, 1)),
    "s.sum(0, keepdim=True)": lambda L, o: o["s"].sum(0, keepdim=True),
    "s.sum(dtype=float64)": lambda L, o: o["s"].sum(dtype=L.float64),
    "torch.sparse.sum(s)": lambda L, o: L.sparse.sum(o["s"]),
    "torch.sparse.sum(s, 0)": lambda L, o: L.sparse.sum(o["s"], 0),
    "torch.sparse.sum(s, (0, 1))": lambda L, o: L.sparse.sum(o["s"], (0, 1)),
    # products
    "torch.mm(s, d)": lambda L, o: L.mm(o["s"], o["d"]),
    "torch.mm(d, s)": lambda L, o: L.mm(o["d"], o["s"]),
    "torch.mm(s, v)": lambda L, o: L.mm(o["s"], o["v"]),
    "torch.spmm(s, d)": lambda L, o: L.spmm(o["s"], o["d"]),
    "s.mm(d)": lambda L, o: o["s"].mm(o["d"]),
    "d.mm(s)": lambda L, o: o["d"].mm(o["s"]),
    "torch.matmul(s, d)": lambda L, o: L.matmul(o["s"], o["d"]),
    "torch.matmul(d, s)": lambda L, o: L.matmul(o["d"], o["s"]),
    "d.matmul(s)": lambda L, o: o["d"].matmul(o["s"]),
    "s @ d": lambda L, o: o["s"] @ o["d"],
    "d @ s": lambda L, o: o["d"] @ o["s"],
    "s @ v": lambda L, o: o["s"] @ o["v"],
    "v @ s": lambda L, o: o["v"] @ o["s"],
    "s @ s": lambda L, o: o["s"] @ o["s"],
    "d3 @ s": lambda L, o: o["d3"] @ o["s"],
    "s @ d3": lambda L, o: o["s"] @ o["d3"],
    "s @ d[:2]": lambda L, o: o["s"] @ o["d"][:2],
    "d[:2].t() @ s": lambda L, o: o["d"][:2].t().contiguous()[:, :2] @ o["s"],
    "torch.mv(s, v)": lambda L, o: L.mv(o["s"], o["v"]),
    "s.mv(v)": lambda L, o: o["s"].mv(o["v"]),
    "torch.addmm(d, s, d)": lambda L, o: L.addmm(o["d"], o["s"], o["d"]),
    "torch.addmm(d, s, d, beta=2, alpha=3)": lambda L, o: L.addmm(o["d"], o["s"], o["d"], beta=2, alpha=3),
    "torch.addmm(d, d, s)": lambda L, o: L.addmm(o["d"], o["d"], o["s"]),
    "torch.sparse.addmm(d, s, d)": lambda L, o: L.sparse.addmm(o["d"], o["s"], o["d"]),
    "torch.sparse.mm(s, d)": lambda L, o: L.sparse.mm(o["s"], o["d"]),
    "F.linear(s, d)": lambda L, o: L.nn.functional.linear(o["s"], o["d"]),
    "F.linear(s, d, b)": lambda L, o: L.nn.functional.linear(o["s"], o["d"], o["b"]),
    # what else torch does to a sparse tensor
    "s.unsqueeze(0)": lambda L, o: o["s"].unsqueeze(0),
    "s.unsqueeze(-1)": lambda L, o: o["s"].unsqueeze(-1),
    "torch.unsqueeze(sc, 1)": lambda L, o: L.unsqueeze(o["sc"], 1),
    "s.norm()": lambda L, o: o["s"].norm(),
    "s.norm(1)": lambda L, o: o["s"].norm(1),
    "s.norm(inf)": lambda L, o: o["s"].norm(float("inf")),
    "s.norm(dim=0)": lambda L, o: o["s"].norm(dim=0),
    "s.index_select(0, i)": lambda L, o: o["s"].index_select(0, o["i"]),
    "torch.index_select(sc, 1, i)": lambda L, o: L.index_select(o["sc"], 1, o["i"]),
    "s.narrow_copy(1, 1, 2)": lambda L, o: o["s"].narrow_copy(1, 1, 2),
    "s.narrow(0, 0, 2)": lambda L, o: o["s"].narrow(0, 0, 2),
    "s.new_zeros(2, 3)": lambda L, o: o["s"].new_zeros(2, 3),
    "d.sparse_mask(sc)": lambda L, o: o["d"].sparse_mask(o["sc"]),
    "d.sparse_mask(s)": lambda L, o: o["d"].sparse_mask(o["s"]),
    "torch.sparse.softmax(s, 1)": lambda L, o: L.sparse.softmax(o["s"], 1),
    "torch.sparse.softmax(s, 0, dtype=float64)": lambda L, o: L.sparse.softmax(o["s"], 0, dtype=L.float64),
    "torch.sparse.log_softmax(s, -2)": lambda L, o: L.sparse.log_softmax(o["s"], -2),
    "torch.sparse.softmax(d, 0)": lambda L, o: L.sparse.softmax(o["d"], 0),
    "torch.cat([s, sc])": lambda L, o: L.cat([o["s"], o["sc"]]),
    "torch.cat([s, s.double()], 1)": lambda L, o: L.cat([o["s"], o["s"].double()], 1),
    "torch.cat([sc, sc])": lambda L, o: L.cat([o["sc"], o["sc"]]),
    "torch.cat([s, d])": lambda L, o: L.cat([o["s"], o["d"]]),
    "torch.cat([d, s])": lambda L, o: L.cat([o["d"], o["s"]]),
    "torch.cat([s, s.t()[:2]])": lambda L, o: L.cat([o["s"], o["s"].narrow_copy(0, 0, 2).t()], 1),
    "torch.cat([s, s[:2]])": lambda L, o: L.cat([o["s"], o["s"].narrow_copy(1, 0, 2)]),
    "torch.stack([s, s], 1)": lambda L, o: L.stack([o["s"], o["s"]], 1),
    "torch.stack([s, d])": lambda L, o: L.stack([o["s"], o["d"]]),
}


def _message(e) -> str:
    text = str(e).replace("WebGPU' backend", "CPU' backend")
    cut = text.find(" for possible resolutions.")
    return text if cut < 0 else text[:cut]


def _outcome(lib, device, row):
    o = _operands(lib, device)
    try:
        r = ROWS[row](lib, o)
    except Exception as e:  # the outcome compared: the exception's type and message
        return (type(e).__name__, _message(e)), None
    if getattr(r, "is_sparse", False) is True:
        c = r.coalesce()
        return ("sparse", r.is_coalesced(), repr(r.dtype), tuple(r.shape), c.indices().tolist()), \
            np.array(c.values().detach().cpu().tolist(), dtype=np.float64)
    if isinstance(r, lib.Tensor):
        return ("dense", repr(r.dtype), tuple(r.shape)), np.array(r.detach().cpu().tolist(), dtype=np.float64)
    return r, None


@pytest.mark.filterwarnings("ignore:Sparse CSR tensor support is in beta")
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("row", list(ROWS))
def test_sparse_operand_row(row, device):
    (got, got_values), (expected, expected_values) = _outcome(pyfront, device, row), \
        _outcome(torch, "cpu", row)
    if device == "webgpu" and "float64" in str(expected):  # WGSL has no float64: pyfront's documented refusal
        assert got == ("TypeError", "Cannot convert a float64 Tensor to webgpu: WGSL has no 64-bit floats. "
                                    "Convert it with .float() first.")
        return
    assert got == expected
    if expected_values is not None:
        tol = dict(rtol=1.3e-6, atol=1e-5) if device == "cpu" else dict(rtol=1e-3, atol=1e-5)
        np.testing.assert_allclose(got_values, expected_values, **tol)


# rows whose result has a gradient: it reaches the dense operand and the sparse one's values
# (torch has no backward for a sparse sqrt, sum(dim), select, unsqueeze or cat, and its sparse log_softmax
# backward reads the incoming gradient at unstored positions too: pyfront's is not compared there)
GRAD_ROWS = ["torch.add(d, s)", "d - s", "d * s", "s * d", "s * s", "s * 2", "s / 2", "-s", "s ** 2",
             "s.abs()", "s.t()", "s.sum()", "torch.mm(s, d)", "torch.matmul(d, s)", "s @ v", "v @ s",
             "d3 @ s", "torch.addmm(d, s, d, beta=2, alpha=3)", "s.double()",
             "s.coalesce()", "torch.sparse.softmax(s, 1)"]


# WGSL has no float64: the value table checks that refusal, so float64 rows run on cpu only
_GRAD_CASES = [*((row, "cpu") for row in GRAD_ROWS),
               *(pytest.param(row, "webgpu", marks=requires_webgpu)
                 for row in GRAD_ROWS if "double" not in row)]


@pytest.mark.parametrize("row,device", _GRAD_CASES)
def test_sparse_operand_gradients(row, device):
    """Gradients of the dense operand and of the sparse values, the sparse operand a coalesced leaf. The
    sparse gradient is compared at the stored positions: pyfront's holds those (what trains the values),
    where torch's is dense after many ops (see SparseCooTensor.grad)."""
    def run(lib, dev):
        o = _operands(lib, dev)
        c = o["sc"]
        o["s"] = o["sc"] = lib.sparse_coo_tensor(c.indices(), c.values().abs() + 0.5, (3, 3),
                                                 requires_grad=True)
        for k in ("d", "v", "d3"):
            o[k] = o[k].detach().requires_grad_()
        r = ROWS[row](lib, o)
        r = r.to_dense() if getattr(r, "is_sparse", False) is True else r
        weights = lib.arange(float(r.numel()), **({} if lib is torch else {"device": dev})).reshape(r.shape)
        (r * weights).sum().backward()
        grads = [o[k].grad for k in ("d", "v", "d3")] + [o["s"].grad]
        grads = [None if g is None else np.array((g.to_dense() if g.is_sparse else g).cpu().tolist())
                 for g in grads]
        rows, cols = INDICES_C
        grads[-1] = grads[-1][rows, cols]
        return grads
    tol = dict(rtol=1e-5, atol=1e-6) if device == "cpu" else dict(rtol=1e-3, atol=1e-4)
    for got, expected in zip(run(pyfront, device), run(torch, "cpu")):
        assert (got is None) == (expected is None)
        if expected is not None:
            np.testing.assert_allclose(got, expected, **tol)
