"""API gaps found by real programs, against real torch on cpu and webgpu: nn.Parameter through
torch.load(weights_only=True), torch.mode, F.gumbel_softmax and torch.sparse.sum."""

import math

import numpy as np
import pytest
import torch

import pyfront
import pyfront.nn.functional as F
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _np(t):
    return t.detach().cpu().numpy()


# -- nn.Parameter through save / load ------------------------------------------------------------------
def _objects(lib):
    """A Parameter alone, in a dict, in a list and nested, plus a frozen one, in ``lib``."""
    w = lib.nn.Parameter(lib.arange(6.0).reshape(2, 3))
    frozen = lib.nn.Parameter(lib.ones(2), requires_grad=False)
    return {"alone": w, "dict": {"w": w, "frozen": frozen}, "list": [frozen, w, {"deep": [w]}]}


def _check_loaded(out, lib):
    """Parameters come back as the library's Parameter, requires_grad as saved, one object per saved one."""
    param = lib.nn.Parameter
    w = out["alone"]
    assert type(w) is param and w.requires_grad and w.is_leaf
    assert type(out["dict"]["frozen"]) is param and not out["dict"]["frozen"].requires_grad
    assert out["dict"]["w"] is w and out["list"][1] is w and out["list"][2]["deep"][0] is w
    assert out["list"][0] is out["dict"]["frozen"]
    assert np.array_equal(_np(w), np.arange(6.0, dtype=np.float32).reshape(2, 3))


@pytest.mark.parametrize("saver", ["torch", "pyfront"])
@pytest.mark.parametrize("weights_only", [True, False])
def test_parameters_load_as_parameters(tmp_path, saver, weights_only):
    path = tmp_path / "p.pt"
    lib = torch if saver == "torch" else pyfront
    lib.save(_objects(lib), path)
    _check_loaded(torch.load(path, weights_only=weights_only), torch)  # the oracle agrees
    _check_loaded(pyfront.load(path, weights_only=weights_only), pyfront)


@pytest.mark.parametrize("weights_only", [True, False])
def test_parameter_saved_alone_and_with_attributes(tmp_path, weights_only):
    p = torch.nn.Parameter(torch.tensor([1.5, -2.0]))
    torch.save(p, tmp_path / "p.pt")
    p.tag = "enc"  # a Parameter with attributes of its own: torch writes _rebuild_parameter_with_state
    torch.save(p, tmp_path / "state.pt")
    for name in ("p.pt", "state.pt"):
        want = torch.load(tmp_path / name, weights_only=weights_only)
        got = pyfront.load(tmp_path / name, weights_only=weights_only)
        assert type(got) is pyfront.nn.Parameter and got.requires_grad == want.requires_grad
        assert got.tolist() == want.tolist() and repr(got) == repr(want)
        assert getattr(got, "tag", None) == getattr(want, "tag", None)


@pytest.mark.parametrize("saver", ["torch", "pyfront"])
@pytest.mark.parametrize("weights_only", [True, False])
def test_tensors_with_attributes_keep_them(tmp_path, saver, weights_only):
    """torch writes a tensor with attributes of its own through torch._tensor._rebuild_from_type_v2, a
    Parameter through _rebuild_parameter_with_state; both libraries read both back."""
    lib = torch if saver == "torch" else pyfront
    t, p = lib.arange(3.0), lib.nn.Parameter(lib.ones(2))
    t.note, p.tag = "scale", "enc"
    lib.save({"t": t, "same": t, "p": p, "plain": lib.ones(1)}, tmp_path / "t.pt")
    for loaded, reader in ((torch.load, torch), (pyfront.load, pyfront)):
        out = loaded(tmp_path / "t.pt", weights_only=weights_only)
        assert type(out["t"]) is reader.Tensor and out["t"].tolist() == [0.0, 1.0, 2.0]
        assert out["t"].note == "scale" and out["same"] is out["t"]
        assert type(out["p"]) is reader.nn.Parameter and out["p"].tag == "enc"
        assert not hasattr(out["plain"], "note")


@pytest.mark.parametrize("saver", ["torch", "pyfront"])
@pytest.mark.parametrize("weights_only", [True, False])
def test_sparse_tensors_save_and_load_both_ways(tmp_path, saver, weights_only):
    lib = torch if saver == "torch" else pyfront
    s = lib.sparse_coo_tensor(lib.tensor([[0, 1, 1], [2, 0, 0]]), lib.tensor([1.0, 2.0, 3.0]), (3, 4))
    lib.save({"s": s, "again": s, "c": s.coalesce()}, tmp_path / "s.pt")
    want = torch.load(tmp_path / "s.pt", weights_only=weights_only)
    got = pyfront.load(tmp_path / "s.pt", weights_only=weights_only)
    assert got["s"] is got["again"] and want["s"] is want["again"]
    for k in ("s", "c"):
        assert got[k].is_coalesced() == want[k].is_coalesced()
        assert repr(got[k]) == repr(want[k])


def test_sparse_tensor_with_indices_out_of_range_is_refused(tmp_path):
    """torch 2.13 loads it unchecked (its invariant checks are off by default); pyfront refuses it with the
    error torch's constructor gives with its checks on: an index past the size would be read out of
    bounds by every later op (on the GPU without a word)."""
    i, v = torch.tensor([[0, 5]]), torch.tensor([1.0, 2.0])
    torch.save(torch.sparse_coo_tensor(i, v, (3,), check_invariants=False), tmp_path / "bad.pt")
    with pytest.raises(RuntimeError) as want:
        torch.sparse_coo_tensor(i, v, (3,), check_invariants=True)
    with pytest.raises(RuntimeError) as got:
        pyfront.load(tmp_path / "bad.pt", weights_only=True)
    assert str(got.value) == str(want.value)


@requires_webgpu
def test_parameter_loads_onto_webgpu(tmp_path):
    torch.save({"w": torch.nn.Parameter(torch.tensor([1.0, 2.0]))}, tmp_path / "p.pt")
    w = pyfront.load(tmp_path / "p.pt", map_location="webgpu")["w"]
    assert type(w) is pyfront.nn.Parameter and w.device.type == "webgpu" and w.tolist() == [1.0, 2.0]
    (w * 3).sum().backward()
    assert w.grad.tolist() == [3.0, 3.0]


# -- torch.mode -----------------------------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
def test_mode_matches_torch_on_repeats(device):
    """Values and indices as torch's cpu kernel: count ties go to the smallest value; its index is its last
    occurrence (rows of few distinct values, so nearly every row has repeats and many have count ties;
    rows of at most 16, where torch's index is defined)."""
    rng = np.random.default_rng(1)
    for shape, dim, keepdim in [((40, 9), -1, False), ((7, 30), 0, True), ((3, 5, 11), 1, False)]:
        x = rng.integers(-2, 3, shape)
        for dtype in ("int64", "float32"):
            want = torch.mode(torch.tensor(x, dtype=getattr(torch, dtype)), dim, keepdim)
            got = pyfront.mode(pyfront.tensor(x, dtype=getattr(pyfront, dtype), device=device), dim, keepdim)
            assert np.array_equal(_np(got.values), want.values.numpy())
            assert np.array_equal(_np(got.indices), want.indices.numpy())


@pytest.mark.parametrize("device", DEVICES)
def test_mode_long_rows(device):
    """Rows over 16 elements: torch's std::sort (introsort) picks which occurrence it reports; pyfront runs
    its steps (ops/primitives/tie_order.py), so the indices are torch's too."""
    x = np.random.default_rng(4).integers(0, 4, (20, 100))
    want = torch.mode(torch.tensor(x))
    got = pyfront.mode(pyfront.tensor(x, device=device))
    assert np.array_equal(_np(got.values), want.values.numpy())
    idx = _np(got.indices)
    assert np.array_equal(x[np.arange(20), idx], want.values.numpy())
    assert np.array_equal(idx, want.indices.numpy())


def test_mode_tie_rule_spelled_out():
    """The rule the test above checks, on rows whose answer is known by hand (torch agrees)."""
    rows = [[2.0, 1, 2, 3, 2, 1, 1], [5.0, 1, 3, 7, 9, 4, 6], [3.0, 3, 1, 1, 0, 0, 8]]
    want_values, want_indices = [1.0, 1.0, 0.0], [6, 1, 5]  # count ties: the smallest value, its last index
    got = pyfront.tensor(rows).mode()
    assert got.values.tolist() == want_values and got.indices.tolist() == want_indices
    t = torch.tensor(rows).mode()
    assert t.values.tolist() == want_values and t.indices.tolist() == want_indices


@pytest.mark.parametrize("device", DEVICES)
def test_mode_gradient_print_and_errors(device):
    x = pyfront.tensor([1.0, 2, 2, 3], device=device, requires_grad=True)
    tx = torch.tensor([1.0, 2, 2, 3], requires_grad=True)
    got, want = pyfront.mode(x), torch.mode(tx)
    assert repr(got).replace(", device='webgpu:0'", "") == repr(want)
    got.values.backward()
    want.values.backward()
    assert x.grad.tolist() == tx.grad.tolist()
    assert pyfront.mode(pyfront.tensor(3.0, device=device)).indices.item() == torch.mode(torch.tensor(3.0))[1]
    b = [True, False, True, False]
    assert pyfront.tensor(b, device=device).mode().values.item() == torch.tensor(b).mode().values.item()
    for args in [((0,),), ((2, 0), 1), ((2, 3), 2), ((2, 3), -3)]:
        with pytest.raises(Exception) as want_err:
            torch.mode(torch.zeros(args[0]), *args[1:])
        with pytest.raises(type(want_err.value), match=None) as got_err:
            pyfront.mode(pyfront.zeros(args[0], device=device), *args[1:])
        assert str(got_err.value) == str(want_err.value)


@pytest.mark.parametrize("device", DEVICES)
def test_mode_nan_rows(device):
    """NaNs count as one value: a row of mostly NaN has mode NaN, as torch; its index is torch's (0 here:
    its sort compares with a plain <, which ops/primitives/nan_order.py follows), on every device (webgpu
    took the whole-array order, NaN last). Seeded rows of few values and NaN, short (insertion sort) and
    long (introsort), along either dim."""
    row = [math.nan, 1.0, math.nan, 1.0, math.nan]
    want = torch.tensor(row).mode()
    assert math.isnan(want.values.item())
    got = pyfront.tensor(row, device=device).mode()
    assert math.isnan(got.values.item()) and got.indices.item() == want.indices.item()
    rng = np.random.default_rng(3)
    for n in (3, 9, 17, 40):
        values = rng.choice([math.nan, 1.0, 2.0, -0.5], size=(5, n)).astype(np.float32)
        for dim in (1, 0):
            rows = values if dim == 1 else np.ascontiguousarray(values.T)
            want = torch.tensor(rows).mode(dim)
            got = pyfront.tensor(rows, device=device).mode(dim)
            assert got.indices.tolist() == want.indices.tolist(), (n, dim)
            np.testing.assert_array_equal(_np(got.values), want.values.numpy())


# -- F.gumbel_softmax --------------------------------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
def test_gumbel_softmax_samples_the_categorical(device):
    """hard=True samples argmax(logits + Gumbel): category k with probability softmax(logits)_k (the
    Gumbel-max trick); soft samples are probability vectors, near one-hot at a low temperature."""
    pyfront.manual_seed(0)
    logits = pyfront.tensor([[1.0, 2.0, 0.0, -1.0]], device=device).expand(20000, 4)
    hard = F.gumbel_softmax(logits, tau=0.7, hard=True)
    assert set(np.unique(_np(hard))) <= {0.0, 1.0} and np.all(_np(hard).sum(1) == 1)
    freq = _np(hard).mean(0)
    want = torch.softmax(torch.tensor([1.0, 2.0, 0.0, -1.0]), 0).numpy()
    assert np.abs(freq - want).max() < 0.015, (freq, want)
    tlogits = torch.tensor([[1.0, 2.0, 0.0, -1.0]]).expand(20000, 4)
    for tau in (2.0, 0.05):  # soft samples: their mean and how often they are nearly one-hot, as torch's
        soft = _np(F.gumbel_softmax(logits, tau=tau))
        want = torch.nn.functional.gumbel_softmax(tlogits, tau=tau)
        assert np.all(soft >= 0) and np.allclose(soft.sum(1), 1, atol=1e-5)
        assert np.abs(soft.mean(0) - want.mean(0).numpy()).max() < 0.015
        assert abs(np.mean(soft.max(1) > 0.99) - (want.max(1).values > 0.99).float().mean().item()) < 0.02
    along0 = _np(F.gumbel_softmax(logits[:5].t(), dim=0))
    assert np.allclose(along0.sum(0), 1, atol=1e-5)


@pytest.mark.parametrize("device", DEVICES)
def test_gumbel_softmax_hard_is_straight_through(device):
    """Forward: one-hot at the soft sample's argmax; backward: exactly the soft sample's gradient."""
    values = np.random.default_rng(2).standard_normal((6, 5)).astype(np.float32)
    logits = pyfront.tensor(values, device=device)
    w = pyfront.arange(5.0, device=device)
    grads = {}
    for hard in (False, True):
        x = logits.clone().requires_grad_()
        pyfront.manual_seed(7)  # the same noise both times
        y = F.gumbel_softmax(x, tau=0.5, hard=hard)
        (y * w).sum().backward()
        grads[hard] = (_np(y), _np(x.grad), type(y.grad_fn).__name__)
    soft, hard = grads[False], grads[True]
    assert np.array_equal(hard[0], np.eye(5, dtype=np.float32)[soft[0].argmax(1)])
    np.testing.assert_allclose(hard[1], soft[1], rtol=1e-5, atol=1e-6)
    tx = torch.zeros(2, 3, requires_grad=True)  # torch's nodes: the softmax's, or the straight-through add
    assert soft[2] == type(torch.nn.functional.gumbel_softmax(tx).grad_fn).__name__
    assert hard[2] == type(torch.nn.functional.gumbel_softmax(tx, hard=True).grad_fn).__name__


@pytest.mark.parametrize("device", DEVICES)
def test_gumbel_softmax_errors_and_warning(device):
    cases = [(lambda lib: lib.zeros(2, 3), dict(dim=2)), (lambda lib: lib.tensor([1, 2]), {})]
    for make, kw in cases:
        with pytest.raises(Exception) as want:
            torch.nn.functional.gumbel_softmax(make(torch), **kw)
        with pytest.raises(type(want.value)) as got:
            F.gumbel_softmax(make(pyfront).to(device), **kw)
        assert str(got.value) == str(want.value)
    with pytest.warns(UserWarning) as want_w:
        torch.nn.functional.gumbel_softmax(torch.zeros(2, 3), eps=1e-5)
    with pytest.warns(UserWarning) as got_w:
        F.gumbel_softmax(pyfront.zeros(2, 3, device=device), eps=1e-5)
    assert [str(w.message) for w in got_w] == [str(w.message) for w in want_w]
    # tau = 0: nan everywhere, as torch (no check, the division by zero decides)
    assert np.isnan(_np(F.gumbel_softmax(pyfront.zeros(2, 3, device=device), tau=0))).all()
    assert torch.nn.functional.gumbel_softmax(torch.zeros(2, 3), tau=0).isnan().all()


# -- torch.sparse.sum ----------------------------------------------------------------------------------
def _coo(lib, device=None, requires_grad=True):
    """A 3-d COO tensor with duplicate coordinates; its values a leaf in ``lib``."""
    i = [[0, 1, 1, 2, 0, 2], [2, 0, 2, 1, 2, 1], [0, 1, 1, 0, 0, 1]]
    v = lib.tensor([3.0, 4.0, 5.0, 6.0, 7.0, -1.5], requires_grad=requires_grad)
    kw = {} if lib is torch else dict(device=device)
    if lib is pyfront and device:
        v = v.detach().to(device).requires_grad_(requires_grad)
    return lib.sparse_coo_tensor(lib.tensor(i, **kw), v, (3, 3, 2)), v


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dim", [None, 0, 1, -1, (0, 2), [2, 0], (0, 1, 2), ()])
def test_sparse_sum_matches_torch(device, dim):
    ts, tv = _coo(torch)
    ps, pv = _coo(pyfront, device)
    kw = {} if dim is None else dict(dim=dim)
    want, got = torch.sparse.sum(ts, **kw), pyfront.sparse.sum(ps, **kw)
    assert got.is_sparse == want.is_sparse
    node = got.values().grad_fn if got.is_sparse else got.grad_fn
    assert type(node).__name__ == type(want.grad_fn).__name__
    if want.is_sparse:
        assert got.is_coalesced() and got.shape == want.shape
        assert np.array_equal(_np(got.indices()), want.indices().numpy())
        np.testing.assert_array_equal(_np(got.values()), want.values().detach().numpy())
        # (the device is a suffix, which can move the line breaks of a cpu tensor's repr)
        assert repr(got).replace("device='webgpu:0', ", "").split() == repr(want).split()
        cot = np.arange(1, want.values().numel() + 1, dtype=np.float32)
        (want.values() * torch.tensor(cot)).sum().backward()
        (got.values() * pyfront.tensor(cot, device=device)).sum().backward()
    else:
        assert got.shape == want.shape and got.item() == want.item()
        (want * 2).backward()
        (got * 2).backward()
    assert np.array_equal(_np(pv.grad), tv.grad.numpy())  # the gradient reaches the values


@pytest.mark.parametrize("device", DEVICES)
def test_sparse_sum_dtype_integers_and_errors(device):
    ts, _ = _coo(torch, requires_grad=False)
    ps, _ = _coo(pyfront, device, requires_grad=False)
    want, got = torch.sparse.sum(ts, dtype=torch.float16), pyfront.sparse.sum(ps, dtype=pyfront.float16)
    assert got.dtype == pyfront.float16 and got.item() == want.item()
    ti = torch.sparse_coo_tensor(torch.tensor([[0, 2, 2]]), torch.tensor([1, 2, 3]), (4,))
    pi = pyfront.sparse_coo_tensor(pyfront.tensor([[0, 2, 2]], device=device),
                                   pyfront.tensor([1, 2, 3], device=device), (4,))
    assert pyfront.sparse.sum(pi).item() == torch.sparse.sum(ti).item()
    assert str(pyfront.sparse.sum(pi).dtype) == str(torch.sparse.sum(ti).dtype)
    for kw in [dict(dim=3), dict(dim=-4), dict(dim=(0, 0)), dict(dim=(1, -2))]:
        with pytest.raises(Exception) as want_err:
            torch.sparse.sum(ts, **kw)
        with pytest.raises(type(want_err.value)) as got_err:
            pyfront.sparse.sum(ps, **kw)
        assert str(got_err.value) == str(want_err.value)
    with pytest.raises(RuntimeError) as want_err:
        torch.sparse.sum(torch.ones(3))
    with pytest.raises(RuntimeError) as got_err:
        pyfront.sparse.sum(pyfront.ones(3, device=device))
    assert str(got_err.value) == str(want_err.value)
