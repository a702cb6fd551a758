"""var, std, var_mean and std_mean give torch's CPU bits for float32, float16 and bfloat16.

torch's CPU kernel sums the squared deviations in float64 (from a running Welford mean, or for a whole
float32 reduction from its float32 mean), divides and takes the root there, and rounds to float (then to the
16-bit dtype) once. A sweep of random shapes (1-D to 4-D, 1 to 5,000 elements), dims, keepdim, corrections,
scales and offsets, transposed layouts, constant slices and infinities or NaNs must match it bit for bit,
ties included (torch's own steps settle an output whose rounding the order of the float64 sums could
change). float64 results keep the sums' order of NumPy, not torch's sequential one (a few ulps); a whole
float32 reduction of var or std takes its deviations from the float32 mean, whose last bits are torch's
float32 sum's (its own order; pyfront's sum is NumPy's): where that mean is far from 0 (an offset, a
constant) those bits decide the result's, and the sweep leaves such cases out."""
import warnings

import numpy as np
import pytest
import torch

import pyfront

OPS = ["var", "std", "var_mean", "std_mean"]
DTYPES = ["float32", "float16", "bfloat16"]


def _shape(g):
    ndim, left = int(g.integers(1, 5)), int(g.integers(1, 5001))
    shape = []
    for i in range(ndim - 1):
        size = int(g.integers(1, max(2, int(left ** (1 / (ndim - i))) * 2)))
        shape.append(size)
        left = max(1, left // size)
    return [*shape, left]


def _case(g):
    """(input array, transposed, dim, keepdim, correction, centred: the mean near 0)."""
    shape = _shape(g)
    centred = bool(g.integers(0, 3) == 0)
    x = g.standard_normal(shape) * 10 ** g.uniform(-3, 3) + (0 if centred else g.uniform(-100, 100))
    kind = g.integers(0, 8)
    if kind == 0:
        x, centred = np.full(shape, g.standard_normal()), False
    elif kind == 1:
        flat = x.reshape(-1)
        flat[g.integers(0, flat.size, size=max(1, flat.size // 50))] = g.choice([np.nan, np.inf, -np.inf])
    ndim, pick = len(shape), g.integers(0, 3)
    dim = None if pick == 0 else int(g.integers(-ndim, ndim)) if pick == 1 else \
        tuple(int(d) for d in g.choice(ndim, size=int(g.integers(1, ndim + 1)), replace=False))
    return x, bool(g.integers(0, 3) == 0), dim, bool(g.integers(0, 2)), int(g.integers(0, 3)), centred


def _dims(dim, ndim):
    return {d % ndim for d in ((dim,) if isinstance(dim, int) else dim)}


def _bits(out, int16):
    outs = out if isinstance(out, tuple) else (out,)
    return [(o.contiguous().view(int16) if o.element_size() == 2 else o).numpy().tobytes() for o in outs]


def _call(lib, op, x, dim, keepdim, correction):
    fn = getattr(lib, op)
    return fn(x, correction=correction) if dim is None else fn(x, dim, correction=correction, keepdim=keepdim)


@pytest.mark.parametrize("dtype", DTYPES)
def test_moments_are_torchs_bits(dtype):
    g = np.random.default_rng(35)
    wrong = []
    for i in range(200):
        x, transposed, dim, keepdim, correction, centred = _case(g)
        op = OPS[i % 4]
        whole = dim is None or all(n == 1 for d, n in enumerate(x.shape) if d not in _dims(dim, x.ndim))
        if dtype == "float32" and op in ("var", "std") and whole and not centred:
            continue  # the deviations from torch's float32 mean: its sum's bits decide (see above)
        t, p = torch.tensor(x, dtype=getattr(torch, dtype)), pyfront.tensor(x, dtype=getattr(pyfront, dtype))
        if transposed and x.ndim > 1:
            t, p = t.transpose(0, -1), p.transpose(0, -1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = _bits(_call(torch, op, t, dim, keepdim, correction), torch.int16)
            got = _bits(_call(pyfront, op, p, dim, keepdim, correction), pyfront.int16)
        if got != want:
            wrong.append((op, tuple(t.shape), transposed, dim, keepdim, correction))
    assert not wrong, wrong


@pytest.mark.parametrize("dtype", DTYPES + ["float64"])
def test_edge_inputs_are_torchs_bits(dtype):
    """0-d, empty and one-element inputs, a whole and a per-dim reduction, corrections 0 and 1: torch's NaN
    (empty: every output, the mean too), inf or 0, and its sign and NaN bits."""
    shapes = [((), None), ((), 0), ((0, 3), None), ((0, 3), 0), ((0, 3), 1), ((1,), 0), ((2, 1), 1),
              ((1, 1), None)]
    wrong = []
    for (shape, dim), op, correction in [(c, o, k) for c in shapes for o in OPS for k in (0, 1)]:
        x = np.full(shape, -2.5)
        t, p = torch.tensor(x, dtype=getattr(torch, dtype)), pyfront.tensor(x, dtype=getattr(pyfront, dtype))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = _bits(_call(torch, op, t, dim, False, correction), torch.int16)
            got = _bits(_call(pyfront, op, p, dim, False, correction), pyfront.int16)
        if got != want:
            wrong.append((op, shape, dim, correction))
    assert not wrong, wrong


def _special_inputs():
    """float16 results among its subnormals (small-scale data), a NaN of either sign in a long whole reduction,
    infinities of both signs beside a NaN along rows: torch's bits, each settled without walking every slice."""
    rng = np.random.default_rng(1)
    small = rng.standard_normal((200, 64)) * 1e-3
    long = rng.standard_normal(6000)
    signed = long.copy()
    long[123], signed[123] = np.nan, -np.nan
    mixed = rng.standard_normal((50, 40))
    mixed[3, 5] = mixed[11, 0] = np.inf
    mixed[7, 1] = mixed[11, 9] = -np.inf
    mixed[9, 2] = np.nan
    return [(small, "float16", 1), (long, "float32", None), (signed, "float32", None),
            (mixed, "float32", 1), (mixed, "float32", 0), (mixed, "float16", 1)]


@pytest.mark.parametrize("case", range(6))
def test_subnormal_and_non_finite_results_are_torchs_bits(case):
    x, dtype, dim = _special_inputs()[case]
    for op in OPS:
        t, p = torch.tensor(x, dtype=getattr(torch, dtype)), pyfront.tensor(x, dtype=getattr(pyfront, dtype))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = _bits(_call(torch, op, t, dim, False, 1), torch.int16)
            got = _bits(_call(pyfront, op, p, dim, False, 1), pyfront.int16)
        assert got == want, (op, dtype, dim)


@pytest.mark.parametrize("op", ["var", "std", "var_mean", "std_mean"])
def test_an_empty_dim_lists_gradient_is_torchs(op):
    """torch's var_backward divides an empty dim list's deviations by 1 - correction (its N the product of no
    sizes) where the forward reduces every dim: [1, -0, -1] at correction 3, where pyfront gave -inf/NaN/inf."""
    for correction in (0, 1, 3):
        grads = []
        for L in (torch, pyfront):
            x = L.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = getattr(L, op)(x, dim=[], correction=correction)
            (out[0] if isinstance(out, tuple) else out).sum().backward()
            grads.append(x.grad.tolist())
        assert str(grads[1]) == str(grads[0]), (correction, grads)
