"""erf, erfc, lgamma and erfinv on cpu are vectorized NumPy (ops/primitives/libm.py), no longer one
``math.*`` call per element. Each is checked on a sweep of float32 bit patterns (every 10,007th, so every
exponent and both signs) and the special values: float32 results are math.*'s float64 value rounded once
(what the per-element rule computed, to the bit), float64 ones within a few ulp of math.* and of torch.
A wrong coefficient or branch boundary in libm.py shows here as thousands of differing float32 values.
Where float64 is ill-conditioned (erfinv near +-1, lgamma near its zeros 1 and 2) it is checked against
torch in ulp of the value itself."""
import math

import numpy as np
import pytest
import torch

import pyfront

SPECIAL = [0.0, -0.0, math.inf, -math.inf, math.nan, -math.nan, 1e-45, -1e-45, 1.17549435e-38, 1e-30,
           -1e-30, 0.84375, 1.25, 2.857142, 3.9, -3.9, 3.92, 6.0, -6.0, 10.06, -10.06, 28.0, 1.0, 2.0, -1.0,
           -2.0, -3.0, -100.0, -0.5, -2.5, -2.7476826, 3e38, -3e38, 4.1e36]
SWEEP32 = np.concatenate([np.arange(0, 2 ** 32, 10007, dtype=np.uint64).astype(np.uint32).view(np.float32),
                          np.array(SPECIAL, np.float32)])
with np.errstate(invalid="ignore"):  # the signaling NaN patterns
    SWEEP64 = np.concatenate([SWEEP32.astype(np.float64), np.random.default_rng(0).standard_normal(20000) * 6,
                              np.array(SPECIAL + [1e306, 1.7e308, -1e306]),
                              # torch's lgamma overflows from where x log(x) does, math's a little later
                              [2.5563481638716906e305, 2.556348163871691e305, 2.5571287279927503e305]])


def _math(name):
    """math.``name`` at one float, +inf where it raises: lgamma's poles and overflow (C's and torch's
    value; the per-element rule raised math's OverflowError above ~2.5e305)."""
    fn = getattr(math, name)

    def f(v):
        try:
            return fn(v)
        except (ValueError, OverflowError):
            return math.inf
    return f


def _bits_equal(got, want):
    """Equal values, NaN where NaN, and the same sign bit (-0.0, a NaN's sign)."""
    return ((got == want) | (np.isnan(got) & np.isnan(want))) & (np.signbit(got) == np.signbit(want))


def _scaled_error(got, want):
    """|got - want| in ulp of max(|want|, 1): relative for large values, absolute near lgamma's zeros."""
    finite = np.isfinite(want)
    scale = np.maximum(np.abs(want[finite]), 1).astype(got.dtype)
    return np.abs(got[finite] - want[finite]) / np.spacing(scale)


# float64 lgamma for x > 0 is glibc's FDLIBM algorithm (torch's; 1 ulp, checked below), no longer
# math.lgamma's Lanczos sum, itself up to ~14 ulp off; x < 0 keeps the reflection, 10 ulp off torch
# (glibc's lgamma_neg) just beside the poles, where its terms cancel
@pytest.mark.parametrize("name,ulp64,torch_ulp64", [("erf", 1, 1), ("erfc", 4, 4), ("lgamma", 16, 10)])
def test_sweep_against_math_and_torch(name, ulp64, torch_ulp64):
    ref = _math(name)
    # float32: math.*'s value rounded once, to the bit (the per-element rule's result)
    got = getattr(pyfront, name)(pyfront.from_numpy(SWEEP32)).numpy()
    with np.errstate(over="ignore"):  # lgamma beyond float32's range
        want = np.array([ref(v) for v in SWEEP64[:len(SWEEP32)].tolist()]).astype(np.float32)
    want[np.isnan(SWEEP32)] = SWEEP32[np.isnan(SWEEP32)]  # a NaN is passed through, its sign too
    bad = ~_bits_equal(got, want)
    assert not bad.any(), (bad.sum(), SWEEP32[bad][:5], got[bad][:5], want[bad][:5])
    # against torch: the same NaN/inf/zero positions and signs, values within an ulp (its float32 kernels
    # are other approximations); torch's float32 lgamma overflows from 4.03e36 on, where the exact value
    # (~3.36e38) is finite: pyfront keeps it
    oracle = getattr(torch, name)(torch.from_numpy(SWEEP32)).numpy()
    comparable = ~((name == "lgamma") & (np.abs(SWEEP32) > 4e36) & np.isinf(oracle))
    special = ~np.isfinite(oracle) | ((oracle == 0) & (got == 0))
    assert _bits_equal(got, oracle)[special & comparable].all()
    assert _scaled_error(got[comparable], oracle[comparable]).max() <= 1
    # float64: within a few ulp of math.* and of torch
    got = getattr(pyfront, name)(pyfront.from_numpy(SWEEP64)).numpy()
    want = np.array([ref(v) for v in SWEEP64.tolist()])
    oracle = getattr(torch, name)(torch.from_numpy(SWEEP64)).numpy()
    comparable = np.isfinite(oracle) | ~np.isfinite(want)  # math's lgamma is finite a little longer
    assert _bits_equal(got, want)[(~np.isfinite(want) | (want == 0)) & comparable].all()
    assert _scaled_error(got[comparable], want[comparable]).max() <= ulp64
    assert _bits_equal(got, oracle)[~np.isfinite(oracle)].all()
    assert _scaled_error(got, oracle).max() <= torch_ulp64


def _relative_ulp(got, want):
    return np.abs(got - want) / np.spacing(np.abs(want))


def test_float64_where_erfinv_and_lgamma_are_ill_conditioned():
    """erfinv near +-1 and lgamma near its zeros 1 and 2 and on (0, 8), to 2 ulp of torch's float64 value
    (relative: absolute ulp of 1 hide it): erfinv(1 - 2^-53) was 7% off (Newton against erf, which is flat
    there), lgamma(1 - 2^-53) 2.2e-16 for 6.4e-17 (the Lanczos sum; glibc's FDLIBM has an approximation
    around each zero)."""
    k = np.arange(1.0, 3001.0)
    tail = np.concatenate([k * 2.0 ** -53, np.logspace(-15, np.log10(0.5), 3000)])
    y = np.concatenate([1 - tail, tail - 1])
    got = pyfront.erfinv(pyfront.from_numpy(y)).numpy()
    assert _relative_ulp(got, torch.erfinv(torch.from_numpy(y)).numpy()).max() <= 2
    steps = np.concatenate([k, -k, np.linspace(-1e-3, 1e-3, 2001) / 2.0 ** -52])
    x = np.concatenate([1 + steps * np.where(steps > 0, 2.0 ** -52, 2.0 ** -53),
                        2 + steps * np.where(steps > 0, 2.0 ** -51, 2.0 ** -52),
                        np.random.default_rng(1).uniform(0, 8, 20000)])
    got = pyfront.lgamma(pyfront.from_numpy(x)).numpy()
    want = torch.lgamma(torch.from_numpy(x)).numpy()
    nonzero = want != 0
    assert (got[~nonzero] == 0).all()
    assert _relative_ulp(got[nonzero], want[nonzero]).max() <= 2


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_erfinv_inverts_erf(dtype):
    """erfinv's Newton steps run against the vectorized erf: erf(erfinv(y)) is y to a few ulp, and the
    result is torch's to a few ulp of max(|x|, 1) (near |y| = 1 an ulp of y moves x by many of x's)."""
    y = np.concatenate([np.linspace(-1, 1, 20001), [0.0, -0.0, 1.0, -1.0, 1.5, -1.5, math.nan, -math.nan]])
    y = y.astype(dtype)
    got = pyfront.special.erfinv(pyfront.from_numpy(y)).numpy()
    oracle = torch.special.erfinv(torch.from_numpy(y)).numpy()
    assert _bits_equal(got, oracle)[np.isinf(oracle) | (oracle == 0) | np.isnan(y)].all()
    assert (np.isnan(got) == np.isnan(oracle)).all()  # |y| > 1: torch's NaN's sign differs by dtype
    inner = np.abs(y) < 0.999
    assert _scaled_error(got[inner], oracle[inner]).max() <= (2 if dtype == "float32" else 16)
    back = np.array([math.erf(v) for v in got[inner].astype(np.float64).tolist()])
    assert np.abs(back - y[inner]).max() <= (4e-7 if dtype == "float32" else 4e-16)


def test_gradients_and_nonfinite_values_are_torchs():
    """Forward and backward of erf, erfc and lgamma at the special values, as torch's."""
    values = [0.0, -0.0, 0.5, -0.5, 1.3, -3.0, -2.5, 5.0, 30.0, math.inf, -math.inf, math.nan]
    for name in ("erf", "erfc", "lgamma"):
        results = []
        for lib in (torch, pyfront):
            fn = getattr(lib, name)
            x = lib.tensor(values, requires_grad=True)
            out = fn(x)
            out.backward(lib.ones_like(out))
            results.append((out.detach().numpy(), x.grad.numpy()))
        (t_out, t_grad), (p_out, p_grad) = results
        assert _bits_equal(p_out, t_out)[~np.isfinite(t_out) | (t_out == 0)].all(), name
        np.testing.assert_allclose(p_out, t_out, rtol=2e-7, atol=1e-7, err_msg=name)
        np.testing.assert_allclose(p_grad, t_grad, rtol=2e-6, atol=1e-7, err_msg=name)
