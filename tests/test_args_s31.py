"""Arguments a fresh user got wrong, each raised or taken as torch 2.13 does (type and message, or the
values): embedding_bag's padding_idx and offsets, embedding's non-Tensor input, ints past int64 where
torch reads a C long long, and nan_to_num's replacements read as doubles."""
import math

import pytest

import pyfront
import pyfront.nn.functional as PF

torch = pytest.importorskip("torch")
import torch.nn.functional as TF  # noqa: E402


def _outcome(call):
    try:
        out = call()
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared
        return type(e).__name__, str(e).split("\nException raised from")[0]
    return "ok", out


def _same(lib_call):
    """The outcome of ``lib_call(torch, F)`` in torch and in pyfront: the same error, or equal values."""
    want, got = _outcome(lambda: lib_call(torch, TF)), _outcome(lambda: lib_call(pyfront, PF))
    assert want[0] == got[0], (want, got)
    if want[0] != "ok":
        assert want[1] == got[1]
        return
    w, g = want[1], got[1]
    assert str(w.dtype).split(".")[-1] == str(g.dtype).split(".")[-1]
    for a, b in zip(w.double().reshape(-1).tolist(), g.double().reshape(-1).tolist()):
        assert a == b or math.isnan(a) and math.isnan(b), (w, g)


def _bag(offsets, mode="mean", padding_idx=None, dtype="float32", n=3):
    def call(lib, F):
        w = lib.arange(15.).reshape(5, 3).to(getattr(lib, dtype))
        return F.embedding_bag(lib.tensor([1, 2, 4, 0, 3][:n]), w, lib.tensor(offsets), mode=mode,
                               padding_idx=padding_idx)
    return call


BAGS = [_bag([0, 3], padding_idx=p) for p in (5, -6, 4.0, True, -5, 4)]
# torch's fast path (sum or mean, no padding_idx, float32/float16) refuses decreasing offsets; a negative
# one is offset2bag's IndexError in every mode but the fast path's sum (which reads past its buffer)
BAGS += [_bag(off, mode, dtype=dtype, n=n) for off in ([0, 2, 1], [0, 2, 1, 2], [0, 1, 0])
         for mode in ("sum", "mean") for dtype in ("float32", "float16") for n in (3, 5)]
BAGS += [_bag([0, -1], mode, padding_idx=p) for mode in ("mean", "max") for p in (None, 0)]
BAGS += [_bag([0, -3], "sum", padding_idx=0), _bag([0, -1], "sum", dtype="float64")]


@pytest.mark.parametrize("case", range(len(BAGS)))
def test_embedding_bag_padding_idx_and_offsets(case):
    _same(BAGS[case])


EMBEDDINGS = [
    lambda lib, F: lib.nn.Embedding(5, 3)(1),
    lambda lib, F: F.embedding(1, lib.ones(5, 3)),
    lambda lib, F: F.embedding([1], lib.ones(5, 3)),
    lambda lib, F: F.embedding(lib.tensor([1]), lib.ones(5, 3), padding_idx=1.0),
    lambda lib, F: F.embedding(1, lib.ones(5, 3), max_norm=1.0),
    lambda lib, F: lib.nn.EmbeddingBag(5, 3)(1),
]


def test_embedding_input_and_padding_idx_types():
    for call in EMBEDDINGS:
        _same(call)


BIG = (2 ** 63, 2 ** 70, -2 ** 63 - 1)
LONG_LONG = [
    lambda lib, v: lib.round(lib.tensor([1.5]), decimals=v),
    lambda lib, v: lib.tensor([1.5]).round(decimals=v),
    lambda lib, v: lib.roll(lib.ones(3), v),
    lambda lib, v: lib.diagonal(lib.ones(1, 3), v),
    lambda lib, v: lib.diag(lib.ones(3), v),
    lambda lib, v: lib.triu(lib.ones(1, 3), v),
    lambda lib, v: lib.ones(1, 3).tril(v),
    lambda lib, v: lib.diff(lib.ones(3), v),
    lambda lib, v: lib.ones(3).narrow(0, v, 1),
    lambda lib, v: lib.ones(3).select(0, v),
    lambda lib, v: lib.ones(3).topk(v),
    lambda lib, v: lib.ones(3).kthvalue(v),
    lambda lib, v: lib.ones(3).repeat_interleave(v),
    lambda lib, v: lib.ones(3).cumsum(v),
    lambda lib, v: lib.ones(3).softmax(v),
]


def test_ints_past_int64_overflow_as_a_long_long():
    for call in LONG_LONG:
        for v in BIG:
            _same(lambda lib, F, call=call, v=v: call(lib, v))


NAN_TO_NUM = [dict(nan=2 ** 64), dict(nan=2 ** 70, posinf=-2 ** 70), dict(nan=-2 ** 63 - 1),
              dict(posinf=2 ** 64, neginf=-2 ** 64), dict(nan=10 ** 400), dict(neginf=-10 ** 400)]


def test_nan_to_num_reads_numbers_as_doubles():
    for dtype in ("float32", "float64", "float16", "bfloat16", "int32", "uint8"):
        for kw in NAN_TO_NUM:
            def call(lib, F, dtype=dtype, kw=kw):
                x = lib.tensor([float("nan"), float("inf"), -float("inf"), 1.0])
                return lib.nan_to_num(x.to(getattr(lib, dtype)), **kw)
            _same(call)
    _same(lambda lib, F: lib.tensor([float("nan")]).nan_to_num_(nan=2 ** 64))


# the same numbers where other ops take a Python scalar already matched torch: kept so they stay so
SCALARS = [
    lambda lib, v: lib.clamp(lib.tensor([1.0, 2.0]), min=v),
    lambda lib, v: lib.tensor([1.0]).fill_(v),
    lambda lib, v: lib.full((2,), v, dtype=lib.float32),
    lambda lib, v: lib.add(lib.tensor([1.0]), v),
    lambda lib, v: lib.tensor([1, 2]).masked_fill(lib.tensor([True, False]), v),
]


def test_other_scalars_past_int64():
    for call in SCALARS:
        for v in (2 ** 64, -2 ** 63 - 1, 10 ** 400):
            _same(lambda lib, F, call=call, v=v: call(lib, v))
