"""relu's NumPy rule picks its zeros by bits: every special value (-0.0, NaN of either sign, infinities,
subnormals) at every length a SIMD loop splits differently, bit for bit against torch."""
import numpy as np
import torch

import pyfront

_VALUES = [-0.0, 0.0, -1.0, 2.0, float("inf"), float("-inf"), 1e-40, -1e-40, 3.5, -7.25]


def test_relu_is_torchs_bit_for_bit():
    for dtype in ("float32", "float64", "float16"):
        base = np.array(_VALUES, dtype)
        # NaN of both signs (x86's default NaN from 0 * inf has its sign bit set)
        nans = np.array([np.nan, np.nan], dtype)
        nans[1] = -nans[1]
        values = np.concatenate([base, nans])
        for n in (0, 1, 7, 12, 33, 1000):
            x = np.resize(values, n)
            theirs = torch.relu(torch.from_numpy(x.copy())).numpy()
            for mine in (pyfront.relu(pyfront.from_numpy(x.copy())), pyfront.from_numpy(x.copy()).relu(),
                         pyfront.nn.functional.relu(pyfront.from_numpy(x.copy()))):
                assert mine.numpy().tobytes() == theirs.tobytes(), (dtype, n)
        for v in values:  # 0-d
            theirs = torch.relu(torch.tensor(v)).numpy()
            assert pyfront.relu(pyfront.tensor(v)).numpy().tobytes() == theirs.tobytes(), (dtype, v)


def _strided_relu_is_torchs():
    for dtype in ("float32", "float64"):
        values = np.array(_VALUES + [np.nan, -np.nan], dtype)
        for n in (1, 9, 33, 1000):
            x = np.resize(values, 2 * n)
            theirs = torch.relu(torch.from_numpy(x.copy())[::2]).numpy()
            mine = pyfront.relu(pyfront.from_numpy(x.copy())[::2])
            assert mine.numpy().tobytes() == theirs.tobytes(), (dtype, n)
            assert pyfront.relu(pyfront.from_numpy(x.copy())).numpy().tobytes() == \
                torch.relu(torch.from_numpy(x.copy())).numpy().tobytes(), (dtype, n)


def test_relu_by_maximum_and_by_bits_are_torchs(monkeypatch):
    """Both of relu's NumPy paths, where NumPy's maximum keeps the bits (as probed) and where it may not
    (the bit select), on strided and contiguous inputs."""
    from pyfront.ops.primitives import elementwise
    _strided_relu_is_torchs()
    for keeps in (False, True):
        paths = dict.fromkeys(map(np.dtype, ("float32", "float64")), keeps)
        monkeypatch.setattr(elementwise, "_MAXIMUM_KEEPS", paths)
        if keeps and not all(elementwise._maximum_keeps(np, np.dtype(d)) for d in ("float32", "float64")):
            continue  # this CPU's maximum does not keep them: only the bit select runs here
        _strided_relu_is_torchs()


def _grads(lib, x, g):
    t = lib.from_numpy(x.copy()).requires_grad_()
    lib.relu(t).backward(lib.from_numpy(g.copy()))
    return t.grad.numpy().tobytes()


def test_relu_gradient_is_torchs_bit_for_bit(monkeypatch):
    """relu's gradient (torch's threshold_backward, a bit select): +0 where the output is not above 0 whatever
    the incoming gradient (inf, NaN, -0.0), the gradient's own bits elsewhere and where the output is NaN,
    at lengths a SIMD loop splits differently, 0-d included; and the forward's bit select on 0-d inputs."""
    from pyfront.ops.primitives import elementwise
    for dtype in ("float32", "float64", "float16"):
        values = np.array(_VALUES + [np.nan, np.nan], dtype)
        values[-1] = -values[-1]
        for n in (0, 1, 7, 12, 33, 1000):
            x = np.resize(values, n)
            for g in (np.resize(np.roll(values, 3), n), np.resize(values[::-1], n)):  # every pair meets
                assert _grads(pyfront, x, g) == _grads(torch, x, g), (dtype, n)
        for v in values:
            x, g = np.array(v, dtype), np.array(values[3], dtype)
            assert _grads(pyfront, x, g) == _grads(torch, x, g), (dtype, v)
    by_bits = dict.fromkeys(map(np.dtype, ("float32", "float64")), False)
    monkeypatch.setattr(elementwise, "_MAXIMUM_KEEPS", by_bits)
    for v in _VALUES + [np.nan]:
        x = np.array(v, "float32")
        mine, theirs = pyfront.relu(pyfront.from_numpy(x)), torch.relu(torch.from_numpy(x))
        assert mine.numpy().tobytes() == theirs.numpy().tobytes(), v
