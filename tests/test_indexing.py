"""``x[index]`` and ``x[index] = value`` against torch: values, views, errors and gradients.

Each index is written once as a function of the module (``torch`` or ``pyfront``), so the same
expression builds its index tensors in both libraries. Every test runs on each device: ``pf`` is
pyfront with its tensor factories bound to that device.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pytest
import torch

import pyfront
from optable import assert_same
from webgpu_required import requires_webgpu

SHAPE = (4, 5, 6)


class _OnDevice:
    """pyfront, with the tensor factories the tests use placing their tensors on one device."""

    FACTORIES = ("tensor", "zeros", "ones", "arange")

    def __init__(self, device):
        self.device = device

    def __getattr__(self, name):
        attr = getattr(pyfront, name)
        return functools.partial(attr, device=self.device) if name in self.FACTORIES else attr


@pytest.fixture(params=["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def pf(request):
    return _OnDevice(request.param)


def _data():
    return np.random.default_rng(0).uniform(-2, 2, size=SHAPE).astype("float32")


def _mask(m, shape, seed=1):
    return m.tensor(np.random.default_rng(seed).random(shape) < 0.5)


# (name, index builder) on a (4, 5, 6) tensor; `m` is torch or pyfront (on a device)
GET = [
    ("int", lambda m: 1),
    ("neg-int", lambda m: -1),
    ("int-int", lambda m: (2, -3)),
    ("int3", lambda m: (3, 4, 5)),
    ("slice", lambda m: slice(1, 3)),
    ("slice-step", lambda m: slice(None, None, 2)),
    ("slice-neg", lambda m: slice(-3, -1)),
    ("slice-clamp", lambda m: slice(-100, 100)),
    ("slice-empty", lambda m: slice(3, 1)),
    ("slices", lambda m: (slice(1, None), slice(None, 4, 3), slice(2))),
    ("none", lambda m: None),
    ("none-mid", lambda m: (slice(None), None, 1)),
    ("nones", lambda m: (None, 0, None, None)),
    ("ellipsis", lambda m: ...),
    ("ellipsis-int", lambda m: (..., 2)),
    ("int-ellipsis", lambda m: (1, ...)),
    ("ellipsis-mid", lambda m: (0, ..., 1)),
    ("ellipsis-none", lambda m: (..., None)),
    ("true", lambda m: True),
    ("false", lambda m: False),
    ("int-true", lambda m: (0, True)),
    ("list", lambda m: [0, 2, 2, -1]),
    ("list-empty", lambda m: []),
    ("list2d", lambda m: [[0, 1], [2, 3]]),
    ("tensor", lambda m: m.tensor([3, 0])),
    ("tensor2d", lambda m: m.tensor([[3, 0, 1], [1, 1, 2]])),
    ("int32", lambda m: m.tensor([1, 2], dtype=m.int32)),
    ("np", lambda m: np.array([1, 0, 3])),
    ("np-int", lambda m: np.int64(2)),
    ("tensor0d", lambda m: m.tensor(2)),
    ("tensor0d-neg", lambda m: (0, m.tensor(-1))),
    ("adv-adv", lambda m: ([0, 1], [2, 3])),
    ("adv-bcast", lambda m: (m.tensor([[0], [1]]), m.tensor([2, 3, 4]))),
    ("slice-adv", lambda m: (slice(None), [0, 4])),
    ("slice-adv-adv", lambda m: (slice(1, 3), [0, 4], [5, 1])),
    ("adv-slice-adv", lambda m: ([0, 1], slice(None), [2, 3])),
    ("int-slice-adv", lambda m: (0, slice(None), [0, 1])),
    ("adv-int-adv", lambda m: ([0, 1], 1, [2, 3])),
    ("adv-none-adv", lambda m: ([0, 1], None, [2, 3])),
    ("none-adv-none-adv", lambda m: (None, [0, 1], None, [1, 2])),
    ("adv-true-adv", lambda m: ([0, 1], True, [0, 1])),
    ("ellipsis-adv", lambda m: (..., [0, 5])),
    ("adv-step", lambda m: ([3, 1], slice(None, None, 2))),
    ("mask1", lambda m: _mask(m, (4,))),
    ("mask2", lambda m: _mask(m, (4, 5))),
    ("mask3", lambda m: _mask(m, SHAPE)),
    ("slice-mask", lambda m: (slice(None), _mask(m, (5,)))),
    ("mask-adv", lambda m: (_mask(m, (4,), 3), slice(None), 0)),
    ("mask0d-true", lambda m: m.tensor(True)),
    ("mask0d-false", lambda m: (0, m.tensor(False))),
    ("mask-list", lambda m: [True, False, True, True]),
    ("np-mask", lambda m: np.array([True, False, False, True])),
    ("uint8-mask", lambda m: m.tensor([1, 0, 1, 1], dtype=m.uint8)),
    ("mask-int", lambda m: (_mask(m, (4, 5), 2), m.tensor([1]))),
    ("seq-as-tuple", lambda m: [0, slice(None), None]),
    ("float-list", lambda m: [0.5, 1.7, -1.2]),
    ("np-float", lambda m: np.array([2.5, 0.0])),
]

GET_ERRORS = [
    ("int-oob", lambda m: 4),
    ("int-oob-neg", lambda m: -5),
    ("int-oob-dim1", lambda m: (0, 5)),
    ("too-many", lambda m: (0, 0, 0, 0)),
    ("too-many-adv", lambda m: ([0], [0], [0], [0])),
    ("neg-step", lambda m: slice(None, None, -1)),
    ("zero-step", lambda m: slice(None, None, 0)),
    ("adv-oob", lambda m: [4]),
    ("adv-oob-neg", lambda m: [0, -5]),
    ("adv-oob-2nd", lambda m: (slice(None), [0], [7])),
    ("adv-oob-sep", lambda m: ([0], slice(None), [6])),
    ("bcast", lambda m: ([0, 1], [0, 1, 2])),
    ("mask-shape", lambda m: m.tensor([True, False])),
    ("mask-shape-dim1", lambda m: (slice(None), m.tensor([True]))),
    ("float-index", lambda m: 1.5),
    ("float-tensor", lambda m: m.tensor([0.0])),
    ("int16-tensor", lambda m: m.tensor([1], dtype=m.int16)),
]


def _both(builder, pf):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return builder(pf), builder(torch)


@pytest.mark.parametrize("builder", [b for _, b in GET], ids=[n for n, _ in GET])
def test_getitem_values_and_views(builder, pf):
    data = _data()
    px, tx = pf.tensor(data), torch.tensor(data)
    pi, ti = _both(builder, pf)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_out = tx[ti]
        p_out = px[pi]
    assert_same(p_out, t_out)
    t_view = t_out.untyped_storage().data_ptr() == tx.untyped_storage().data_ptr()
    assert (p_out._storage is px._storage) == t_view
    if t_view and t_out.numel():  # a write through the view shows in the base, and back
        p_out.fill_(7.0)
        t_out.fill_(7.0)
        assert_same(px, tx)
        px.mul_(2.0)
        tx.mul_(2.0)
        assert_same(p_out, t_out)


@pytest.mark.parametrize("builder", [b for _, b in GET], ids=[n for n, _ in GET])
def test_getitem_gradient(builder, pf):
    data = _data()
    px, tx = pf.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    pi, ti = _both(builder, pf)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_out, p_out = tx[ti], px[pi]
    cot = np.random.default_rng(5).uniform(-1, 1, size=tuple(t_out.shape)).astype("float32")
    (t_out * torch.tensor(cot)).sum().backward()
    (p_out * pf.tensor(cot)).sum().backward()
    assert_same(px.grad, tx.grad)


@pytest.mark.parametrize("builder", [b for _, b in GET_ERRORS], ids=[n for n, _ in GET_ERRORS])
def test_getitem_errors(builder, pf):
    data = _data()
    px, tx = pf.tensor(data), torch.tensor(data)
    pi, ti = _both(builder, pf)
    with pytest.raises(Exception) as t_err:
        tx[ti]
    with pytest.raises(type(t_err.value)) as p_err:
        px[pi]
    assert str(p_err.value) == str(t_err.value)


def test_getitem_0d(pf):
    for m_index in (lambda m: ..., lambda m: None, lambda m: True, lambda m: False, lambda m: (None, True)):
        pi, ti = _both(m_index, pf)
        assert_same(pf.tensor(3.0)[pi], torch.tensor(3.0)[ti])
    for m_index in (lambda m: 0, lambda m: m.tensor([0])):
        pi, ti = _both(m_index, pf)
        with pytest.raises(IndexError) as t_err:
            torch.tensor(3.0)[ti]
        with pytest.raises(IndexError, match=None) as p_err:
            pf.tensor(3.0)[pi]
        assert str(p_err.value) == str(t_err.value)


# (name, index builder, value builder); the value is a number or a tensor made from seeded data
def _val(shape, dtype="float32", seed=7):
    def build(m):
        data = np.random.default_rng(seed).uniform(-3, 3, size=shape).astype(dtype)
        return m.tensor(data)

    return build


SET = [
    ("int-num", lambda m: 1, lambda m: 2.5),
    ("int-tensor", lambda m: 1, _val((5, 6))),
    ("int-bcast", lambda m: 1, _val((6,))),
    ("int-lead1", lambda m: 1, _val((1, 1, 5, 6))),
    ("slice-num", lambda m: (slice(1, 3), slice(None, None, 2)), lambda m: -1),
    ("slice-tensor", lambda m: (slice(None), 2), _val((4, 6))),
    ("cast", lambda m: (0, 0, 0), _val((), "float64")),
    ("ellipsis", lambda m: ..., _val((6,))),
    ("none", lambda m: (None, 2), _val((1, 6))),
    ("adv-num", lambda m: [0, 2], lambda m: 9.0),
    ("adv-tensor", lambda m: [3, 1], _val((2, 5, 6))),
    ("adv-bcast", lambda m: (slice(None), [0, 4]), _val((6,))),
    ("adv-lead1", lambda m: [0], _val((1, 1, 5, 6))),
    ("adv-adv", lambda m: ([0, 1], [2, 3]), _val((2, 6))),
    ("adv-slice-adv", lambda m: ([0, 1], slice(None), [2, 3]), _val((2, 5))),
    ("int-adv", lambda m: (1, [0, 2]), _val((2, 6))),
    ("mask-num", lambda m: _mask(m, (4, 5)), lambda m: 0.0),
    ("mask-tensor", lambda m: _mask(m, SHAPE), lambda m: m.tensor(4.0)),
    ("mask0d", lambda m: m.tensor(True), lambda m: 1.0),
    ("true", lambda m: True, _val((5, 6))),
    ("tensor0d", lambda m: m.tensor(2), _val((5, 6))),
    ("bool-value", lambda m: 0, lambda m: True),
]

SET_ERRORS = [
    ("basic-shape", lambda m: 0, _val((5,))),
    ("basic-ndim", lambda m: 0, _val((2, 5, 6))),
    ("adv-shape", lambda m: [0, 1], _val((5,))),
    ("adv-dtype", lambda m: [0], _val((5, 6), "int64")),
    ("mask-shape", lambda m: _mask(m, SHAPE), _val((2,))),
    ("oob", lambda m: 4, lambda m: 1.0),
    ("adv-oob", lambda m: (slice(None), [5]), lambda m: 1.0),
    ("float-index", lambda m: 0.5, lambda m: 1.0),
    # torch drops every leading size-1 dim of the value first: its message names the value without them
    ("adv-leading-ones", lambda m: (slice(None), [0, 1]), _val((1, 1, 7))),
    ("mask-leading-ones", lambda m: _mask(m, SHAPE[:1]), _val((1, 1, 5))),
    ("basic-leading-ones", lambda m: 0, _val((1, 1, 1, 7))),
]


@pytest.mark.parametrize("index,value", [(i, v) for _, i, v in SET], ids=[n for n, _, _ in SET])
def test_setitem_values_and_gradients(index, value, pf):
    data = _data()
    px, tx = pf.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    pi, ti = _both(index, pf)
    tv = value(torch)
    if isinstance(tv, torch.Tensor) and tv.dtype is torch.float64 and pf.device != "cpu":
        with pytest.raises(TypeError, match=r"\.float\(\)"):  # WGSL has no 64-bit floats
            value(pf)
        return
    pv = value(pf)
    grad_value = isinstance(tv, torch.Tensor) and tv.dtype.is_floating_point
    if grad_value:
        pv.requires_grad_(True)
        tv.requires_grad_(True)
    py, ty = px.clone(), tx.clone()
    py[pi] = pv
    ty[ti] = tv
    assert_same(py, ty)
    cot = np.random.default_rng(9).uniform(-1, 1, size=SHAPE).astype("float32")
    (ty * torch.tensor(cot)).sum().backward()
    (py * pf.tensor(cot)).sum().backward()
    assert_same(px.grad, tx.grad)
    if grad_value:
        assert_same(pv.grad, tv.grad)


@pytest.mark.parametrize("index,value", [(i, v) for _, i, v in SET_ERRORS], ids=[n for n, _, _ in SET_ERRORS])
def test_setitem_errors(index, value, pf):
    data = _data()
    px, tx = pf.tensor(data), torch.tensor(data)
    pi, ti = _both(index, pf)
    with pytest.raises(Exception) as t_err:
        tx[ti] = value(torch)
    with pytest.raises(type(t_err.value)) as p_err:
        px[pi] = value(pf)
    assert str(p_err.value) == str(t_err.value)


def test_setitem_int_tensor_scalar_cast(pf):
    px, tx = pf.arange(6).reshape(2, 3), torch.arange(6).reshape(2, 3)
    px[0], tx[0] = 2.7, 2.7
    px[[1]], tx[[1]] = -1.5, -1.5
    assert_same(px, tx)


def test_setitem_leaf_requires_grad(pf):
    px, tx = pf.zeros(3, requires_grad=True), torch.zeros(3, requires_grad=True)
    for index in (0, [0]):
        with pytest.raises(RuntimeError) as t_err:
            tx[index] = 1.0
        with pytest.raises(RuntimeError) as p_err:
            px[index] = 1.0
        assert str(p_err.value) == str(t_err.value)


def test_setitem_through_view_then_grad(pf):
    # writing into a view of a non-leaf: the base's gradient skips the overwritten region
    data = _data()
    px, tx = pf.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    pv, tv = pf.ones(2, requires_grad=True), torch.ones(2, requires_grad=True)
    py, ty = px * 2, tx * 2
    py[1][:, 0][[0, 3]] = pv * 3
    ty[1][:, 0][[0, 3]] = tv * 3
    assert_same(py, ty)
    py.sum().backward()
    ty.sum().backward()
    assert_same(px.grad, tx.grad)
    assert_same(pv.grad, tv.grad)


def test_index_put_accumulate_duplicates(pf):
    data = _data()
    for accumulate in (True, False):
        px, tx = pf.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
        pv, tv = (
            pf.tensor([1.0, 2.0, 3.0], requires_grad=True),
            torch.tensor([1.0, 2.0, 3.0], requires_grad=True),
        )
        idx = ([0, 0, 3], [1, 1, 2], [5, 5, 0]) if accumulate else ([0, 2, 3], [1, 1, 2], [5, 5, 0])
        p_out = pf.index_put(px, tuple(pf.tensor(i) for i in idx), pv, accumulate=accumulate)
        t_out = torch.index_put(tx, tuple(torch.tensor(i) for i in idx), tv, accumulate=accumulate)
        assert_same(p_out, t_out)
        cot = np.random.default_rng(2).uniform(-1, 1, size=SHAPE).astype("float32")
        (p_out * pf.tensor(cot)).sum().backward()
        (t_out * torch.tensor(cot)).sum().backward()
        assert_same(px.grad, tx.grad)
        assert_same(pv.grad, tv.grad)


def test_index_put_inplace_and_masks(pf):
    data = _data()
    px, tx = pf.tensor(data), torch.tensor(data)
    pm, tm = _mask(pf, (4, 5)), _mask(torch, (4, 5))
    px.index_put_((pm,), pf.tensor(0.5))
    tx.index_put_((tm,), torch.tensor(0.5))
    assert_same(px, tx)
    px.index_put_((pf.tensor([1, 1]), pf.tensor([0, 0])), pf.ones(6), accumulate=True)
    tx.index_put_((torch.tensor([1, 1]), torch.tensor([0, 0])), torch.ones(6), accumulate=True)
    assert_same(px, tx)


@pytest.mark.parametrize(
    "call",
    [
        lambda m, x: m.index_put(x, (m.tensor([0]),), m.tensor(1)),
        lambda m, x: m.index_put(x, (m.tensor([0]),), 1.0),
        lambda m, x: m.index_put(x, (None, m.tensor([0])), m.tensor(1.0)),
        lambda m, x: m.index_put(x, (m.tensor([0]),) * 4, m.tensor(1.0)),
        lambda m, x: m.index_put(x, (m.tensor([0, 1]), m.tensor([0, 1, 2])), m.tensor(1.0)),
        lambda m, x: m.index_put(x, (m.tensor([0]), m.tensor([7])), m.tensor(1.0)),
        lambda m, x: m.index_put(x, (m.tensor([0, 1]),), m.ones(3)),
    ],
)
def test_index_put_errors(call, pf):
    data = _data()
    with pytest.raises(Exception) as t_err:
        call(torch, torch.tensor(data))
    with pytest.raises(type(t_err.value)) as p_err:
        call(pf, pf.tensor(data))
    assert str(p_err.value) == str(t_err.value)


@pytest.mark.parametrize(
    "name,args",
    [
        ("scatter_", (1, [[0, 1], [2, 0]], "src")),
        ("scatter_add_", (1, [[0, 0], [2, 0]], "src")),
        ("index_add_", (0, [0, 0], "rows")),
        ("index_copy_", (0, [1, 2], "rows")),
        ("index_fill_", (1, [0, 4], 2.5)),
        ("masked_fill_", ("mask", -1.0)),
        ("masked_scatter_", ("mask", "flat")),
    ],
)
def test_inplace_twins(name, args, pf):
    data = _data()[0]  # (5, 6)
    rng = np.random.default_rng(4)
    values = {
        "src": rng.uniform(size=(2, 2)).astype("float32"),
        "rows": rng.uniform(size=(2, 6)).astype("float32"),
        "flat": rng.uniform(size=(30,)).astype("float32"),
        "mask": rng.random((5, 6)) < 0.5,
    }

    def build(m):
        out = []
        for a in args:
            if isinstance(a, str):
                out.append(m.tensor(values[a]))
            elif isinstance(a, list):
                out.append(m.tensor(a))
            else:
                out.append(a)
        return out

    px, tx = pf.tensor(data), torch.tensor(data)
    p_ret = getattr(px, name)(*build(pf))
    t_ret = getattr(tx, name)(*build(torch))
    assert p_ret is px and t_ret is tx
    assert_same(px, tx)


def test_one_element_alias_written_into_itself_as_torch():
    """A value of the target's own shape is copied as it is (torch's copy_to), so the target's own memory is a
    full overlap and written; a 0-d alias given to copy_, or a shifted one, is a partial overlap, refused."""
    def run(L):
        x, i, y, z = L.arange(3.0), L.tensor([[5]]), L.arange(3.0), L.arange(4.0)
        out = []
        for write in (lambda: x.__setitem__(slice(0, 1), x[0:1]), lambda: i.__setitem__(0, i[0].sub_(1)),
                      lambda: y[0:1].copy_(y[0]), lambda: z[1:3].copy_(z[0:2])):
            try:
                write()
                out.append(None)
            except RuntimeError as e:
                out.append(str(e))
        return out, x.tolist(), i.tolist(), y.tolist(), z.tolist()
    assert run(pyfront) == run(torch)


@pytest.mark.parametrize("dim", [0, 1, 2, -1])
def test_index_select_and_a_broadcast_gather_take_whole_slices(dim):
    """index_select (a gather of its vector broadcast along the other dims) and a gather by such an index:
    torch's values, the gather's out-of-range errors, and no buffer beside the result's (before: a key per
    element, and every copy of the vector checked). (index_select's own error past dim 0 is left out: torch's
    text depends on its kernel's path.)"""
    import tracemalloc

    from optable import torch_text

    data = np.random.default_rng(0).standard_normal((6, 7, 8)).astype(np.float32)
    size = data.shape[dim]
    for vector in ([size - 1, 0, 2, 2], [1, size], [-1]):
        outcomes = []
        for lib in (pyfront, torch):
            x, index = lib.tensor(data), lib.tensor(vector)
            view = [1, 1, 1]
            view[dim] = -1
            shape = list(x.shape)
            shape[dim] = len(vector)
            try:
                gathered = x.gather(dim, index.reshape(view).expand(shape)).numpy().tolist()
                outcomes.append((x.index_select(dim, index).numpy().tolist(), gathered))
            except (IndexError, RuntimeError) as e:
                outcomes.append((type(e), torch_text(e)))
        assert outcomes[0] == outcomes[1]
    x, index = pyfront.randn(256, 512), pyfront.arange(0, 512, 2)
    x.index_select(1, index)
    tracemalloc.start()
    try:
        out = x.index_select(1, index)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1.2 * out.numel() * out.element_size()


@pytest.mark.parametrize("dim", [0, 1])
def test_index_reductions_by_whole_slices_bits(dim):
    """index_add_/index_copy_/index_reduce_ and a scatter by an expanded vector write whole slices where the
    vector repeats no index (ufunc.at where it does): torch's bits, float32 sums in its order."""
    rng = np.random.default_rng(3)
    data = rng.standard_normal((6, 5)).astype(np.float32) * 1e3
    n = data.shape[dim]
    source_shape = [6, 5]
    source_shape[dim] = 4
    source = rng.standard_normal(source_shape).astype(np.float32)
    for vector in (rng.permutation(n)[:4].tolist(), [1, 3, 1, 1]):
        calls = [("index_add_", dict(alpha=1)), ("index_add_", dict(alpha=2.5)),
                 *[("index_reduce_", dict(reduce=r, include_self=s))
                   for r in ("prod", "amax", "amin", "mean") for s in (True, False)]]
        if len(set(vector)) == len(vector):  # (repeats: which copy lands is torch's own order)
            calls.append(("index_copy_", {}))
        outcomes = []
        for lib in (pyfront, torch):
            x, index, src = lib.tensor(data), lib.tensor(vector), lib.tensor(source)
            view = [1, 1]
            view[dim] = -1
            rows = [getattr(x.clone(), name)(dim, index, src, **kw).numpy().tobytes() for name, kw in calls]
            expanded = index.reshape(view).expand(source_shape)
            rows.append(x.clone().scatter_add_(dim, expanded, src).numpy().tobytes())
            outcomes.append(rows)
        assert outcomes[0] == outcomes[1]


# index_select, index_add and index_reduce where self or source has no dims or fewer (torch's checks compare
# their dim counts, pass dim 0 whatever source's dims, and count a 0-d self's indices)
_NO_DIMS = [
    lambda m: m.tensor(5.0).index_select(0, m.tensor([0, 0])),
    lambda m: m.tensor(5.0).index_select(0, m.tensor([], dtype=m.long)),
    lambda m: m.tensor(5.0).index_select(0, m.tensor([0])),
    lambda m: m.tensor(5.0).index_add(0, m.tensor([0]), m.tensor([1.0])),
    lambda m: m.tensor(5.0).index_add(0, m.tensor([0, 0]), m.tensor(2.0)),
    lambda m: m.tensor(5.0).index_add(0, m.tensor(0), m.tensor(2.0), alpha=3),
    lambda m: m.zeros(3).index_add(0, m.tensor([0]), m.tensor(1.0)),
    lambda m: m.tensor(5.0).to(m.float16).index_add(0, m.tensor([0]), m.tensor([1.0]).to(m.float16), alpha=2),
    lambda m: m.tensor(2.0).index_reduce(0, m.tensor([0]), m.tensor([1.0]), "mean"),
    lambda m: m.ones(3, 2).index_reduce(0, m.tensor([1]), m.ones(1, 3), "prod"),
    lambda m: m.ones(3, 2).index_reduce(1, m.tensor([0]), m.ones(3), "mean"),
]


@pytest.mark.parametrize("case", range(len(_NO_DIMS)))
def test_index_select_and_index_add_without_dims_as_torch(case, pf):
    try:
        expected = _NO_DIMS[case](torch)
    except Exception as e:
        with pytest.raises(type(e)) as p_err:
            _NO_DIMS[case](pf)
        assert str(p_err.value) == str(e)
        return
    assert_same(_NO_DIMS[case](pf), expected)
