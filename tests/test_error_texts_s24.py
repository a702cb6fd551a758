"""Error texts (and results) as torch's, swept over dtypes where pyfront said something else:

* conv1d/2d/3d and their transposes: torch checks a convolution's bias, then a bool input, then the weight;
  a transposed one's input kernel, then its weight, then its bias (1-d and 2-d add it in place); a float16
  input names MKLDNN's tensor types. float16 operands were upcast before the check, so it named float.
* C++ type names where torch's message prints a TypeMeta (clamp_ with number bounds: "long int"), and the
  old CPUBoolType where it prints a bool tensor's type (embedding's indices, map_);
* cosine_similarity converts an integer operand to the common float dtype (pyfront refused it);
* take_along_dim without a dim is gather's (int32 indices taken, gather's own refusal otherwise);
* put_ refuses an index that is no int64 and a source of another dtype; linalg.vecdot integers and mixed
  dtypes;
* linalg.cond of a singular matrix is inf for the norms that need an inverse (nuc: from the singular
  values), and 0 for matrices without elements.
"""
from __future__ import annotations

import itertools
import math
import warnings

import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DTYPES = ["bool", "uint8", "int32", "int64", "float16", "float32", "float64"]
DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _outcome(lib, call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = call(lib)
        except Exception as e:  # noqa: BLE001 - the type and text are what is compared
            return type(e).__name__, str(e)
    return "ok", str(out.dtype), tuple(out.shape)


def _compare(call):
    assert _outcome(pyfront, call) == _outcome(torch, call)


def _compare_on(device, call):
    """``call(lib, device)`` on pyfront's ``device`` against torch's cpu."""
    assert _outcome(pyfront, lambda L: call(L, device)) == _outcome(torch, lambda L: call(L, "cpu"))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("fn", [f"conv{t}{n}d" for t in ("", "_transpose") for n in (1, 2, 3)])
def test_convolution_dtype_checks(fn, device):
    nd = int(fn[-2])
    # (webgpu holds no float64)
    kinds = [d for d in DTYPES if d != "uint8" and (device == "cpu" or d != "float64")]
    # one sample: torch's own kernel; two: its MKLDNN path for float32 too, whose messages name tensor types
    cases = [(1, x, w, b) for x, w, b in itertools.product(kinds, kinds, [None, *kinds])]
    cases += [(2, x, w, b) for x, w, b in itertools.product(kinds[2:], kinds[2:], [None, *kinds[2:]])]
    for n, x, w, b in cases:
        def call(L, d, n=n, x=x, w=w, b=b):
            bias = None if b is None else L.ones(2, dtype=getattr(L, b), device=d)
            weight = L.ones((2, 2) + (3,) * nd, dtype=getattr(L, w), device=d)
            return getattr(L.nn.functional, fn)(L.ones((n, 2) + (4,) * nd, dtype=getattr(L, x), device=d),
                                                weight, bias)
        _compare_on(device, call)


def test_linear_dtype_checks():
    for x, w in itertools.product(DTYPES, DTYPES):
        _compare(lambda L, x=x, w=w: L.nn.functional.linear(L.ones(2, 3, dtype=getattr(L, x)),
                                                            L.ones(4, 3, dtype=getattr(L, w))))


@pytest.mark.parametrize("dtype", DTYPES)
def test_clamp_inplace_number_bounds(dtype):
    for low, high in [(0.5, None), (None, 2.5), (0.5, 2.5), (1, 2), (True, None), (0.5, 2), (None, None)]:
        for form in ("clamp_", "clip_", "clamp", "clamp_min_", "clamp_max_"):
            def call(L, low=low, high=high, form=form):
                x = L.ones(3, dtype=getattr(L, dtype))
                if form in ("clamp_min_", "clamp_max_"):
                    bound = low if form == "clamp_min_" else high
                    return getattr(x, form)(bound if bound is not None else 1)
                return getattr(x, form)(low, high)
            _compare(call)
    _compare(lambda L: L.ones(3, dtype=getattr(L, dtype)).clamp_(L.tensor(0.5), L.tensor(2.5)))


def test_type_names_of_bool_tensors():
    for d in DTYPES:
        _compare(lambda L, d=d: L.nn.functional.embedding(L.zeros(2, dtype=getattr(L, d)), L.ones(3, 2)))
        _compare(lambda L, d=d: L.nn.functional.embedding_bag(L.zeros(1, 2, dtype=L.int64),
                                                              L.ones(3, 2, dtype=getattr(L, d))))


def test_cosine_similarity_dtypes():
    for a, b in itertools.product(DTYPES, DTYPES):
        _compare(lambda L, a=a, b=b: L.nn.functional.cosine_similarity(L.ones(2, 3, dtype=getattr(L, a)),
                                                                       L.ones(2, 3, dtype=getattr(L, b))))
    x, y = torch.tensor([[1, 2, 3], [4, 5, -6]]), torch.tensor([[0.5, 1.0, -2.0], [1.0, 0.0, 3.0]])
    got = pyfront.nn.functional.cosine_similarity(pyfront.tensor(x.numpy()), pyfront.tensor(y.numpy()))
    torch.testing.assert_close(torch.tensor(got.numpy()), torch.nn.functional.cosine_similarity(x, y))


def test_index_dtypes():
    for d in DTYPES:
        for dim in (1, None):
            def along(L, d=d, dim=dim):
                return L.take_along_dim(L.ones(2, 3), L.zeros(2, 1, dtype=getattr(L, d)), dim)
            _compare(along)
        _compare(lambda L, d=d: L.ones(2, 3).put(L.zeros(2, dtype=getattr(L, d)), L.ones(2)))
        _compare(lambda L, d=d: L.ones(2, 3).put(L.tensor([0]), L.ones(1, dtype=getattr(L, d))))
        _compare(lambda L, d=d: L.ones(2, 3, dtype=getattr(L, d)).put(
            L.tensor([0, 1]), L.ones(1, dtype=L.int64), accumulate=True))
    index = pyfront.tensor([5, 0], dtype=pyfront.int32)
    got = pyfront.take_along_dim(pyfront.arange(6.0).reshape(2, 3), index)
    assert got.tolist() == [5.0, 0.0]


def test_vecdot_dtypes():
    for a, b in itertools.product(DTYPES, DTYPES):
        _compare(lambda L, a=a, b=b: L.linalg.vecdot(L.ones(3, dtype=getattr(L, a)),
                                                     L.ones(3, dtype=getattr(L, b))))


MATRICES = {"singular": [[1.0, 2.0], [2.0, 4.0]], "zero": [[0.0, 0.0], [0.0, 0.0]],
            "regular": [[2.0, 1.0], [1.0, 3.0]], "nan": [[math.nan, 1.0], [1.0, 1.0]],
            "rank_one_3": [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 1.0, 1.0]],
            "inf": [[math.inf, 0.0], [0.0, math.inf]],
            "batch": [[[1.0, 2.0], [2.0, 4.0]], [[2.0, 1.0], [1.0, 3.0]]]}


@pytest.mark.parametrize("p", ["fro", "nuc", math.inf, -math.inf, 1, -1])
def test_cond_of_singular_matrices(p):
    for name, m in MATRICES.items():
        if p == "nuc" and name in ("nan", "inf"):
            continue  # svd's refusal: torch's exception class is _LinAlgError, pyfront's LinAlgError
        want = torch.linalg.cond(torch.tensor(m, dtype=torch.float64), p)
        got = pyfront.linalg.cond(pyfront.tensor(m, dtype=pyfront.float64), p)
        # inf where torch's is: the finite values of a nearly singular matrix's nuc are rounding noise
        assert [math.isinf(v) or math.isnan(v) for v in got.reshape(-1).tolist()] == \
            [math.isinf(v) or math.isnan(v) for v in want.reshape(-1).tolist()], (name, got, want)
        finite = ~torch.isinf(want) & ~torch.isnan(want)
        if name not in ("singular", "rank_one_3", "batch") or p != "nuc":
            torch.testing.assert_close(torch.tensor(got.tolist(), dtype=torch.float64)[finite], want[finite])
        assert torch.isnan(torch.tensor(got.tolist())).tolist() == torch.isnan(want).tolist()


def test_cond_without_elements():
    for shape in [(0, 0), (2, 0, 0), (0, 3), (3, 0)]:
        for p in [None, 2, -2, "fro", "nuc", math.inf, 1]:
            _compare(lambda L, s=shape, p=p: L.linalg.cond(L.ones(s), p))


WEIGHTED = {
    "nll_loss": lambda L, x, w: L.nn.functional.nll_loss(x, L.zeros(2, dtype=L.int64), weight=w),
    "nll_loss2d": lambda L, x, w: L.nn.functional.nll_loss(x.reshape(2, 3, 1), L.zeros(2, 1, dtype=L.int64),
                                                           weight=w),
    "cross_entropy": lambda L, x, w: L.nn.functional.cross_entropy(x, L.zeros(2, dtype=L.int64), weight=w),
    "cross_entropy_smoothed": lambda L, x, w: L.nn.functional.cross_entropy(x, L.zeros(2, dtype=L.int64),
                                                                            weight=w, label_smoothing=0.1),
    "cross_entropy_probabilities": lambda L, x, w: L.nn.functional.cross_entropy(x, x.softmax(1), weight=w),
    "multi_margin_loss": lambda L, x, w: L.nn.functional.multi_margin_loss(x, L.zeros(2, dtype=L.int64),
                                                                           weight=w),
}


@pytest.mark.parametrize("loss", list(WEIGHTED))
def test_class_weight_dtypes(loss):
    """A class weight of another dtype: refused by the kernels (torch's 'expected scalar type'), promoted
    with class probabilities."""
    for a, b in itertools.product(DTYPES[2:], DTYPES):  # (float16 and float64 inputs too: their kernels')
        def call(L, a=a, b=b):
            x = L.tensor([[0.5, 1.0, -2.0], [1.5, 0.25, 3.0]], dtype=getattr(L, a))
            return WEIGHTED[loss](L, x, L.ones(3, dtype=getattr(L, b)))
        _compare(call)


@pytest.mark.parametrize("fn", ["median", "nanmedian"])
def test_median_index_out_types(fn):
    """An indices out= that is no int64: torch names its tensor type (CPUBoolType for bool)."""
    for a, b in itertools.product(["int64", "float32", "float64"], DTYPES):
        _compare(lambda L, a=a, b=b: getattr(L, fn)(L.ones(2, 3, dtype=getattr(L, a)), 0, out=(
            L.ones(3, dtype=getattr(L, a)), L.ones(3, dtype=getattr(L, b))))[0])
