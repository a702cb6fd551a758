"""The order among equal elements, against torch's CPU kernels: sort and argsort (stable or not, both
directions), topk (both std::partial_sort's and std::nth_element's sizes, sorted or not), kthvalue, mode and
max/min with a dim return torch's indices on rows full of ties (signed zeros and NaN among them), on cpu and
webgpu; nn.utils.prune removes the same one of tied weights as torch."""
import numpy as np
import pytest
import torch
import torch.nn.utils.prune  # noqa: F401  (torch.nn.utils does not import it)
from webgpu_required import requires_webgpu

import pyfront
import pyfront.nn.utils.prune  # noqa: F401  (as torch, nn.utils does not import it)

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _rows(shape, kind, seed):
    rng = np.random.default_rng(seed)
    if kind == "ints":
        return rng.integers(0, 3, size=shape).astype(np.int64)
    x = rng.choice(np.array([0.0, -0.0, 1.5, -2.0], dtype=np.float32), size=shape)
    if kind == "nan":
        x[..., ::5] = np.nan
    return x


OPS = {  # name -> fn(L, t): the indices (and values) the op returns
    "sort": lambda L, t: L.sort(t, -1),
    "sort descending": lambda L, t: L.sort(t, -1, descending=True),
    "sort stable": lambda L, t: L.sort(t, dim=-1, stable=True),
    "sort stable descending": lambda L, t: L.sort(t, dim=-1, descending=True, stable=True),
    "argsort": lambda L, t: L.argsort(t, -1),
    "argsort descending": lambda L, t: t.argsort(-1, descending=True),
    "sort dim 0": lambda L, t: L.sort(t, 0),
    "topk 1": lambda L, t: L.topk(t, 1),
    "topk 3": lambda L, t: L.topk(t, 3),
    "topk 3 smallest": lambda L, t: L.topk(t, 3, largest=False),
    "topk 3 unsorted": lambda L, t: L.topk(t, 3, sorted=False),
    "topk half": lambda L, t: L.topk(t, t.shape[-1] // 2),
    "topk half unsorted smallest": lambda L, t: L.topk(t, t.shape[-1] // 2, largest=False, sorted=False),
    "topk dim 0": lambda L, t: L.topk(t, 2, 0),
    "kthvalue 1": lambda L, t: L.kthvalue(t, 1),
    "kthvalue 5": lambda L, t: L.kthvalue(t, 5),
    "kthvalue middle": lambda L, t: L.kthvalue(t, t.shape[-1] // 2),
    "mode": lambda L, t: L.mode(t),
    "max dim": lambda L, t: L.max(t, -1),
    "min dim": lambda L, t: L.min(t, 0),
}
# row lengths: insertion-sort sizes (<= 16), partition sizes, and topk's std::partial_sort (k * 64 <= n)
SHAPES = [(4, 7), (3, 17), (2, 40), (2, 257)]
KINDS = ["floats", "nan", "ints"]


def _numpy(out):
    outs = out if isinstance(out, tuple) else (out,)
    return [np.array(o.tolist()) if isinstance(o, pyfront.Tensor) else o.numpy() for o in outs]


# torch's mode compares NaN with <, no strict weak order: its index in a NaN row is no rule to follow
ROWS = [(op, kind) for op in OPS for kind in KINDS if not (op == "mode" and kind == "nan")]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("op, kind", ROWS)
def test_ties_as_torch(op, kind, device):
    for i, shape in enumerate(SHAPES):
        x = _rows(shape, kind, i)
        expected = _numpy(OPS[op](torch, torch.tensor(x)))
        got = _numpy(OPS[op](pyfront, pyfront.tensor(x, device=device)))
        for g, e in zip(got, expected):
            np.testing.assert_array_equal(g, e, err_msg=f"{op} {shape} {kind}")


def test_long_integer_sort_is_torch_stable_radix_sort():
    """torch sorts a long 1-d integer tensor ascending with fbgemm's radix sort: stable."""
    x = np.random.default_rng(0).integers(0, 4, size=40000)
    expected = torch.sort(torch.tensor(x)).indices.numpy()
    assert np.array_equal(pyfront.sort(pyfront.tensor(x)).indices.numpy(), expected)


@pytest.mark.parametrize("device", DEVICES)
def test_prune_removes_the_tied_weights_torch_removes(device):
    w = np.random.default_rng(0).choice(np.array([0.0, 0.5, -0.5, 1.0], dtype=np.float32), size=(8, 40))
    masks = []
    for L, d in ((torch, "cpu"), (pyfront, device)):
        lin = L.nn.Linear(40, 8).to(d)
        with L.no_grad():
            lin.weight.copy_(L.tensor(w).to(d))
        L.nn.utils.prune.l1_unstructured(lin, "weight", amount=101)
        L.nn.utils.prune.ln_structured(lin, "weight", amount=3, n=1, dim=0)
        masks.append(np.array(lin.weight_mask.tolist()) if L is pyfront else lin.weight_mask.numpy())
    np.testing.assert_array_equal(masks[1], masks[0])


@pytest.mark.parametrize("shape", [(1, 300_000), (5000, 8)])
def test_many_ties_keep_the_stable_order_past_the_emulation_budget(shape):
    """Past tie_order's budget the steps would take seconds (torch: milliseconds): values stay torch's, and
    equal elements come lowest index first, each row a permutation."""
    x = np.floor(np.random.default_rng(0).random(shape, dtype=np.float32) * 10)
    values, indices = pyfront.from_numpy(x.copy()).sort(stable=False)
    want = torch.from_numpy(x.copy()).sort(stable=False).values.numpy()
    np.testing.assert_array_equal(values.numpy(), want)
    np.testing.assert_array_equal(indices.numpy(), np.argsort(x, axis=-1, kind="stable"))
    top = pyfront.from_numpy(x.copy()).topk(3)
    np.testing.assert_array_equal(top.values.numpy(), torch.from_numpy(x.copy()).topk(3).values.numpy())
    np.testing.assert_array_equal(np.take_along_axis(x, top.indices.numpy(), -1), top.values.numpy())
