"""cpu rules that select per element (relu, clamp, hardtanh, where, masked_fill, ...) do it by bits, not by
a branch per element (np.where, putmask mispredict on random signs): the values must stay torch's bit for
bit, signed zeros, infinities and NaN payloads included, forward and backward, for every float width and
for the narrow integer and bool selects of ``where``."""

import numpy as np
import pytest
import torch

import pyfront

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -3.0, 6.0, 7.0, np.inf, -np.inf, np.nan]
FORWARD = {
    "relu": lambda m, x, y: m.nn.functional.relu(x),
    "clamp": lambda m, x, y: x.clamp(-0.5, 0.5),
    "clamp_min0": lambda m, x, y: x.clamp(min=0.0),
    "clamp_max0": lambda m, x, y: x.clamp(max=0.0),
    "clamp_nan": lambda m, x, y: x.clamp(min=float("nan")),
    "hardtanh": lambda m, x, y: m.nn.functional.hardtanh(x),
    "relu6": lambda m, x, y: m.nn.functional.relu6(x),
    "leaky_relu": lambda m, x, y: m.nn.functional.leaky_relu(x, 0.25),
    "threshold": lambda m, x, y: m.nn.functional.threshold(x, 0.5, -2.0),
    "where": lambda m, x, y: m.where(x > y, x, y),
    "masked_fill": lambda m, x, y: x.masked_fill(y < 0, -0.0),
}
# (not remainder, maximum, minimum: torch's vectorised kernels give NaN payloads, and signed zeros at a tie,
# that depend on the element's place in a vector block; the op table compares their values)


def _operands(dtype, n=300):
    """Specials with NaN payloads of both signs, mixed at random with normal numbers (past the width of a
    vector loop, so vectorised paths run too)."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal(n).astype(dtype)
    special = rng.random(n) < 0.5
    x[special] = rng.choice(np.array(SPECIAL, dtype=dtype), size=int(special.sum()))
    bits = x.view(f"u{x.dtype.itemsize}")
    quiet = np.array(np.nan, dtype).view(bits.dtype)
    bits[::37] = quiet | 1  # a payload
    bits[::41] = quiet | (bits.dtype.type(1) << bits.dtype.type(8 * x.dtype.itemsize - 1))  # a negative NaN
    return x, np.roll(x, 7)


def _bits(a):
    return a.view(f"u{a.dtype.itemsize}")


# below and past the size where _where_np leaves np.where's branches for its selection by bits
SIZES = [300, 5000]


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("op", FORWARD)
def test_select_is_torchs_bits(op, dtype, n):
    x, y = _operands(dtype, n)
    want = FORWARD[op](torch, torch.from_numpy(x), torch.from_numpy(y)).numpy()
    got = FORWARD[op](pyfront, pyfront.tensor(x), pyfront.tensor(y)).numpy()
    np.testing.assert_array_equal(_bits(got), _bits(want))


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("op", ["relu", "clamp", "hardtanh", "relu6", "leaky_relu", "threshold", "where"])
def test_select_gradient_is_torchs_bits(op, n):
    x, y = _operands("float32", n)
    g = np.roll(x, 3)  # an incoming gradient with its own infinities, NaN and signed zeros
    grads = []
    for m in (torch, pyfront):
        t = m.tensor(x, requires_grad=True)
        FORWARD[op](m, t, m.tensor(y)).backward(m.tensor(g))
        grads.append(t.grad.numpy())
    if op in ("hardtanh", "relu6"):  # torch's NaN gets 0 in whole vector blocks, the gradient in the tail
        keep = ~np.isnan(x)
        grads = [g[keep] for g in grads]
    np.testing.assert_array_equal(_bits(grads[1]), _bits(grads[0]))


@pytest.mark.parametrize("n", [257, 5001])
@pytest.mark.parametrize("dtype", ["bool", "int8", "uint8", "int16", "int32", "int64"])
def test_where_of_narrow_types(dtype, n):
    rng = np.random.default_rng(2)
    x, y = (rng.integers(0, 100, n).astype(dtype) for _ in range(2))
    c = rng.random(n) < 0.5
    want = torch.where(torch.from_numpy(c), torch.from_numpy(x), torch.from_numpy(y)).numpy()
    got = pyfront.where(pyfront.tensor(c), pyfront.tensor(x), pyfront.tensor(y)).numpy()
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
