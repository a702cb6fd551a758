"""Sizes, counts and dims given as NumPy scalars, 0-d arrays or 0-d tensors, where torch's Python wrappers and
argument parser take or refuse them: a NumPy integer is an int to the parser (a count, a dim, an element of
a size list), but the 2-d/3-d adaptive pools' Python wrapper sizes anything but an int with ``len()``, and
``split`` sends it to ``split_with_sizes``, which wants a list. Values, or error type and text, against
torch."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import pyfront


def _calls(T):
    F = T.nn.functional
    x3, x4, x5 = T.ones(1, 2, 6), T.ones(1, 2, 6, 6), T.ones(1, 2, 4, 4, 4)
    return {
        "adaptive_avg_pool1d": lambda v: F.adaptive_avg_pool1d(x3, v),
        "adaptive_avg_pool2d": lambda v: F.adaptive_avg_pool2d(x4, v),
        "adaptive_avg_pool2d_pair": lambda v: F.adaptive_avg_pool2d(x4, (v, None)),
        "adaptive_avg_pool3d": lambda v: F.adaptive_avg_pool3d(x5, v),
        "adaptive_max_pool1d": lambda v: F.adaptive_max_pool1d(x3, v),
        "adaptive_max_pool2d": lambda v: F.adaptive_max_pool2d(x4, v),
        "adaptive_max_pool3d": lambda v: F.adaptive_max_pool3d(x5, v),
        "AdaptiveAvgPool2d": lambda v: T.nn.AdaptiveAvgPool2d(v)(x4),
        "interpolate_size": lambda v: F.interpolate(x4, size=v),
        "interpolate_size_pair": lambda v: F.interpolate(x4, size=(v, v)),
        "view": lambda v: x4.view(-1, v),
        "reshape": lambda v: x4.reshape((v, -1)),
        "expand": lambda v: T.ones(1).expand(v),
        "repeat": lambda v: T.ones(2).repeat(v),
        "zeros": lambda v: T.zeros(v),
        "ones_pair": lambda v: T.ones((v, 2)),
        "new_zeros": lambda v: x4.new_zeros(v),
        "narrow": lambda v: x4.narrow(2, 0, v),
        "split": lambda v: T.ones(6).split(v),
        "chunk": lambda v: T.ones(6).chunk(v),
        "topk": lambda v: x3.topk(v)[0],
        "multinomial": lambda v: T.multinomial(T.ones(4), v),
        "max_pool2d": lambda v: F.max_pool2d(x4, v),
        "pixel_shuffle": lambda v: F.pixel_shuffle(T.ones(1, 9, 2, 2), v),
        "one_hot": lambda v: F.one_hot(T.tensor([0, 1]), v),
        "flatten": lambda v: x4.flatten(v - 2),
        "sum": lambda v: x4.sum(v - 2),
    }


VALUES = {"int64": lambda T: np.int64(3), "int32": lambda T: np.int32(2),
          "float64": lambda T: np.float64(3.0), "array0d": lambda T: np.array(3),
          "tensor0d": lambda T: T.tensor(3)}
# torch refuses these (its parser), pyfront's parser check runs only where the call fails and these succeed
KNOWN = {("adaptive_max_pool1d", "array0d"): "torch's parser fails an internal assert",
         ("interpolate_size", "float64"): "torch's upsample parser refuses a float size; pyfront rounds it"}


def _outcome(fn):
    try:
        out = fn()
    except (TypeError, ValueError, RuntimeError) as e:
        return type(e).__name__, str(e)
    if isinstance(out, (tuple, list)):
        return [tuple(t.shape) for t in out]
    return tuple(out.shape) if hasattr(out, "shape") else tuple(out)


@pytest.mark.parametrize("value", list(VALUES))
@pytest.mark.parametrize("call", list(_calls(torch)))
def test_numpy_and_tensor_sizes_as_torch(call, value):
    if (call, value) in KNOWN:
        pytest.xfail(KNOWN[call, value])
    got = _outcome(lambda: _calls(pyfront)[call](VALUES[value](pyfront)))
    want = _outcome(lambda: _calls(torch)[call](VALUES[value](torch)))
    assert got == want
