"""Ints past what torch reads, in the calls that read them only once they fail (no work per call): F.conv*'s
stride, padding, dilation and groups past int64 (torch's parser's overflow; pyfront computed with them),
a padding past int64 / 2 (its own check); the pools' kernel, stride, padding and dilation past a C int
(its kernels' checked conversion; max_pool1d's values-only kernel reads int64s); an index past int64."""
import torch

import pyfront

_BIG = (2**63, 2**64, -2**63 - 1, 2**63 - 1, 2**62, 2**31)


def _calls(L):
    F = L.nn.functional
    x1, x2, x3 = L.ones(1, 1, 4), L.ones(1, 1, 4, 4), L.ones(1, 1, 4, 4, 4)
    w1, w2 = L.ones(1, 1, 2), L.ones(1, 1, 2, 2)
    return {
        "conv1d stride": lambda b: F.conv1d(x1, w1, stride=b),
        "conv2d stride": lambda b: F.conv2d(x2, w2, stride=(1, b)),
        "conv2d padding": lambda b: F.conv2d(x2, w2, padding=b) if b != 2**31 else None,  # (memory)
        "conv2d groups": lambda b: F.conv2d(x2, w2, groups=b),
        "conv3d stride": lambda b: F.conv3d(x3, L.ones(1, 1, 2, 2, 2), stride=b),
        "max_pool2d stride": lambda b: F.max_pool2d(x2, 2, stride=b),
        "max_pool2d kernel": lambda b: F.max_pool2d(x2, b),
        "avg_pool2d stride": lambda b: F.avg_pool2d(x2, 2, stride=b),
        "avg_pool1d stride": lambda b: F.avg_pool1d(x1, 2, stride=b),
        "max_pool1d stride": lambda b: F.max_pool1d(x1, 2, stride=b),
        "max_pool1d indices": lambda b: F.max_pool1d(x1, 2, stride=b, return_indices=True),
        "max_pool3d stride": lambda b: F.max_pool3d(x3, 2, stride=b),
        "avg_pool3d padding": lambda b: F.avg_pool3d(x3, 2, padding=b),
        "index": lambda b: L.ones(4)[b],
        "index 2d": lambda b: L.ones(4, 4)[0, b],
    }


def _outcome(call, b):
    try:
        out = call(b)
    except Exception as e:  # noqa: BLE001 - compared
        return type(e).__name__, str(e).split("\n")[0]  # (torch's unpacking error goes on with its C++ stack)
    return None if out is None else [tuple(t.shape) for t in (out if isinstance(out, tuple) else (out,))]


def test_ints_past_what_torch_reads():
    ours, theirs = _calls(pyfront), _calls(torch)
    wrong = [(name, b, _outcome(ours[name], b), _outcome(theirs[name], b))
             for name in ours for b in _BIG if _outcome(ours[name], b) != _outcome(theirs[name], b)]
    assert not wrong, "\n".join(map(str, wrong))


def test_sub_alpha_negated_as_an_int64_as_torch():
    """torch's sub adds -alpha * other, its int -alpha negated as an int64 (wrapping): sub(a, b, alpha=2**63)
    computes, and an int32 sub takes alpha=2**31 but not -2**31 (pyfront checked alpha itself)."""
    wrong = []
    for dtype in ("int64", "int32", "uint8", "float32"):
        for alpha in (2**63, 2**64 - 1, -2**63, 2**31, -2**31, 128, -129, 3):
            for form in ("sub", "rsub", "sub_"):
                got, expected = (_sub_outcome(L, dtype, alpha, form) for L in (pyfront, torch))
                if got != expected:
                    wrong.append((dtype, alpha, form, got, expected))
    assert not wrong, "\n".join(map(str, wrong))


def _sub_outcome(L, dtype, alpha, form):
    x, y = L.tensor([1, 2], dtype=getattr(L, dtype)), L.tensor([3, 5], dtype=getattr(L, dtype))
    try:
        out = x.sub_(y, alpha=alpha) if form == "sub_" else getattr(L, form)(x, y, alpha=alpha)
    except Exception as e:  # noqa: BLE001 - compared
        return type(e).__name__, str(e)
    return out.tolist(), str(out.dtype)
