"""Writes into a tensor whose elements share memory (``expand``'s stride 0), as torch's
``assert_no_internal_overlap``: every in-place op, ``out=`` and ``t[...] = v`` refuses them with torch's
text; fill_ (with a number), zero_ and some ``out=`` write them; masked_fill_, index_fill_ and
index_put_ write them with torch's deprecation warning.
Real torch (cpu) is the oracle for which is which, the error type and text, and the values."""
import warnings

import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]

# (label, what to do with x (a (2, 3) view of 3 zeros expanded), the library, and the device)
CASES = {
    "add_": lambda x, L, d: x.add_(1), "sub_": lambda x, L, d: x.sub_(1), "mul_": lambda x, L, d: x.mul_(2),
    "div_": lambda x, L, d: x.div_(2), "pow_": lambda x, L, d: x.pow_(2), "neg_": lambda x, L, d: x.neg_(),
    "abs_": lambda x, L, d: x.abs_(), "exp_": lambda x, L, d: x.exp_(), "floor_": lambda x, L, d: x.floor_(),
    "relu_": lambda x, L, d: x.relu_(), "sigmoid_": lambda x, L, d: x.sigmoid_(),
    "clamp_": lambda x, L, d: x.clamp_(0, 1), "clamp_min_": lambda x, L, d: x.clamp_min_(0),
    "addcmul_": lambda x, L, d: x.addcmul_(L.ones(3, device=d), L.ones(3, device=d)),
    "lerp_": lambda x, L, d: x.lerp_(L.ones(3, device=d), 0.5),
    "addmm_": lambda x, L, d: x.addmm_(L.ones(2, 3, device=d), L.ones(3, 3, device=d)),
    "copy_": lambda x, L, d: x.copy_(L.ones(2, 3, device=d)),
    "iadd": lambda x, L, d: x.__iadd__(1),
    "uniform_": lambda x, L, d: x.uniform_(), "normal_": lambda x, L, d: x.normal_(),
    "bernoulli_": lambda x, L, d: x.bernoulli_(), "random_": lambda x, L, d: x.random_(),
    "exponential_": lambda x, L, d: x.exponential_(),
    "scatter_": lambda x, L, d: x.scatter_(1, L.zeros(2, 1, dtype=L.long, device=d), 1.0),
    "scatter_add_": lambda x, L, d: x.scatter_add_(1, L.zeros(2, 1, dtype=L.long, device=d),
                                                   L.ones(2, 1, device=d)),
    "index_add_": lambda x, L, d: x.index_add_(1, L.tensor([0], device=d), L.ones(2, 1, device=d)),
    "index_copy_": lambda x, L, d: x.index_copy_(1, L.tensor([0], device=d), L.ones(2, 1, device=d)),
    "masked_scatter_": lambda x, L, d: x.masked_scatter_(L.ones(2, 3, dtype=L.bool, device=d),
                                                         L.ones(6, device=d)),
    "setitem_column": lambda x, L, d: x.__setitem__((slice(None), 0), 1.0),
    "setitem_column_tensor": lambda x, L, d: x.__setitem__((slice(None), 0), L.ones(2, device=d)),
    "out_add": lambda x, L, d: L.add(L.ones(2, 3, device=d), 1, out=x),
    "out_matmul": lambda x, L, d: L.matmul(L.ones(2, 3, device=d), L.ones(3, 3, device=d), out=x),
    # the writes torch lets through
    "fill_": lambda x, L, d: x.fill_(1), "fill_tensor": lambda x, L, d: x.fill_(L.tensor(1.0, device=d)),
    "zero_": lambda x, L, d: x.zero_(),
    "masked_fill_": lambda x, L, d: x.masked_fill_(L.ones(2, 3, dtype=L.bool, device=d), 1),
    "index_fill_": lambda x, L, d: x.index_fill_(1, L.tensor([0], device=d), 1.0),
    "index_put_": lambda x, L, d: x.index_put_((L.tensor([0], device=d),), L.tensor(1.0, device=d)),
    "setitem_row": lambda x, L, d: x.__setitem__(0, 1.0),  # one row of x: no overlap in it
    "setitem_index": lambda x, L, d: x.__setitem__(L.tensor([0], device=d), 1.0),
    "out_sum": lambda x, L, d: L.sum(L.ones(3, 3, device=d), 0, out=x[0].expand(3)),
}


def _run(case, lib, dev):
    """The outcome (written, or the error's type and text) and the warnings' texts (torch's C++
    location, "(Triggered internally at ...)", left out)."""
    x = lib.zeros(3, device=dev).expand(2, 3)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            CASES[case](x, lib, dev)
            outcome = "written"
        except Exception as e:  # noqa: BLE001 - the error is the result compared with torch's
            outcome = (type(e).__name__, str(e))
    return outcome, [str(w.message).split(" (Triggered internally")[0] for w in seen]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_write_into_an_expanded_tensor_is_refused_as_torch(case, device):
    assert _run(case, pyfront, device) == _run(case, torch, "cpu")


@pytest.mark.parametrize("device", DEVICES)
def test_a_refused_write_leaves_the_memory_unchanged(device):
    base = pyfront.zeros(3, device=device)
    with pytest.raises(RuntimeError, match="more than one element"):
        base.expand(2, 3).add_(1)
    assert base.tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("device", DEVICES)
def test_a_stride_zero_on_a_dimension_of_size_one_or_on_an_empty_tensor_is_no_overlap(device):
    for lib, dev in ((pyfront, device), (torch, "cpu")):
        one = lib.zeros(1, device=dev).expand(1, 1)
        one.add_(1)
        assert one.tolist() == [[1.0]]
        lib.zeros(0, device=dev).expand(2, 0).add_(1)


def _i3(L):
    return L.zeros(1, dtype=L.long).expand(3)


# out= into o, 3 zeros that share one element: torch's kernels differ in whether they check (a reduction
# or a BLAS call may skip it), so each is compared one by one
OUT_CASES = {
    "sum": lambda a, o, L: L.sum(a, 0, out=o), "mean": lambda a, o, L: L.mean(a, 0, out=o),
    "prod": lambda a, o, L: L.prod(a, 0, out=o), "amax": lambda a, o, L: L.amax(a, 0, out=o),
    "amin": lambda a, o, L: L.amin(a, 0, out=o), "std": lambda a, o, L: L.std(a, 0, out=o),
    "var": lambda a, o, L: L.var(a, 0, out=o), "norm": lambda a, o, L: L.norm(a, dim=0, out=o),
    "nansum": lambda a, o, L: L.nansum(a, 0, out=o), "nanmean": lambda a, o, L: L.nanmean(a, 0, out=o),
    "logsumexp": lambda a, o, L: L.logsumexp(a, 0, out=o),
    "max": lambda a, o, L: L.max(a, 0, out=(o, L.zeros(3, dtype=L.long))),
    "max_indices": lambda a, o, L: L.max(a, 0, out=(L.zeros(3, device=a.device), _i3(L).to(a.device))),
    "min": lambda a, o, L: L.min(a, 0, out=(o, L.zeros(3, dtype=L.long))),
    "median": lambda a, o, L: L.median(a, 0, out=(o, L.zeros(3, dtype=L.long))),
    "argmax": lambda a, o, L: L.argmax(a, 0, out=_i3(L).to(a.device)),
    "all": lambda a, o, L: L.all(a, 0, out=L.zeros(1, dtype=L.bool, device=a.device).expand(3)),
    "cumsum": lambda a, o, L: L.cumsum(a[0], 0, out=o), "exp": lambda a, o, L: L.exp(a[0], out=o),
    "clamp": lambda a, o, L: L.clamp(a[0], 0, 1, out=o),
    "cummax": lambda a, o, L: L.cummax(a[0], 0, out=(o, L.zeros(3, dtype=L.long))),
    "sort": lambda a, o, L: L.sort(a[0], out=(o, L.zeros(3, dtype=L.long))),
    "cat": lambda a, o, L: L.cat([a[0, :1], a[0, :2]], out=o), "arange": lambda a, o, L: L.arange(3.0, out=o),
    "zeros": lambda a, o, L: L.zeros(3, out=o), "full": lambda a, o, L: L.full((3,), 1.0, out=o),
    "mv": lambda a, o, L: L.mv(a, a[0], out=o), "matmul_vector": lambda a, o, L: L.matmul(a, a[0], out=o),
    "mm": lambda a, o, L: L.mm(a, a, out=L.zeros(1, device=a.device).expand(3, 3)),
    "index_select": lambda a, o, L: L.index_select(a[0], 0, L.tensor([0, 1, 2], device=a.device), out=o),
}


@pytest.mark.parametrize("device", ["cpu"])  # the out= path is one for every device
@pytest.mark.parametrize("case", sorted(OUT_CASES))
def test_an_expanded_out_is_refused_or_written_as_torch(case, device):
    def run(lib, dev):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                OUT_CASES[case](lib.ones(3, 3, device=dev), lib.zeros(1, device=dev).expand(3), lib)
        except Exception as e:  # noqa: BLE001 - the error is the result compared with torch's
            return (type(e).__name__, str(e))
        return "written"
    assert run(pyfront, device) == run(torch, "cpu")
