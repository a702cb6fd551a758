"""pow against real torch over a grid of bases and exponents, on every device.

The kind: WGSL's pow is exp2(y * log2(x)), a few ulp off where the result is exactly representable
(5 ** 2 was 24.999998, pow(x, 1) was not x) and outside C's rules at -0, -1 ** inf and the like.
Integral exponents (as a number and inside an exponent tensor) must give torch's bits; C's special
cases (zeros, infinities, NaN, negative bases) torch's bits including the sign of zero; other
powers torch's value within a few ulp (WGSL's pow on the GPU; NumPy in float64 on the cpu: exact).
"""

import math

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
INF, NAN = math.inf, math.nan
BASES = [-2.0, -0.0, 0.0, 0.5, 1.0, 5.0, INF, -INF, NAN, -1.0, 3.0, 0.1, -0.5, 7.0]
EXPONENTS = [-3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0, 2.5, INF, -INF, NAN, 4.0, 7.0, -2.5, -4.0]


def _bits(t: torch.Tensor) -> np.ndarray:
    return t.numpy().view(np.int32)


def _ulps(want: torch.Tensor, got: torch.Tensor) -> np.ndarray:
    """Distance in float32 steps (NaN to NaN is 0; NaN to a number is huge)."""
    w, g = _bits(want).astype(np.int64), _bits(got).astype(np.int64)
    w = np.where(w < 0, -(w & 0x7FFFFFFF), w)  # sign-magnitude to a monotone integer line
    g = np.where(g < 0, -(g & 0x7FFFFFFF), g)
    both_nan = want.isnan().numpy() & got.isnan().numpy()
    return np.where(both_nan, 0, np.abs(w - g))


def _exact(base, exponent) -> bool:
    """Where torch's bits are the only right answer: a special operand or an integral exponent with an
    exactly representable result (small integer bases; 0.1 ** k is rounded on every path)."""
    if not (math.isfinite(base) and math.isfinite(exponent)) or base in (0.0, 1.0, -1.0) or exponent == 0:
        return True
    if exponent != int(exponent):
        return False
    return (abs(exponent) <= 2 and base != 0.1) or (exponent > 0 and base != 0.1)


def _check(want: torch.Tensor, got, bases, exponents, tol_ulps: int):
    got = torch.from_numpy(got.cpu().numpy())
    d = _ulps(want, got)
    for b, e, w, g, u in zip(bases, exponents, want.tolist(), got.tolist(), d):
        limit = 0 if _exact(b, e) else tol_ulps
        assert u <= limit, f"pow({b!r}, {e!r}): torch {w!r}, pyfront {g!r} ({u} ulp)"


@pytest.mark.parametrize("device", DEVICES)
def test_tensor_tensor_grid(device):
    b = [x for x in BASES for _ in EXPONENTS]
    e = [y for _ in BASES for y in EXPONENTS]
    want = torch.tensor(b) ** torch.tensor(e)
    got = pyfront.tensor(b, device=device) ** pyfront.tensor(e, device=device)
    _check(want, got, b, e, 0 if device == "cpu" else 2)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("exponent", [y for y in EXPONENTS if y not in (0.5, -0.5)])
def test_tensor_number_grid(device, exponent):
    want = torch.tensor(BASES) ** exponent
    got = pyfront.tensor(BASES, device=device) ** exponent
    # torch's cpu kernel computes ** 3 as x * x * x and ** -2 as 1 / (x * x): one rounding more than pow
    _check(want, got, BASES, [exponent] * len(BASES), 1 if exponent in (3.0, -2.0) else 2)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("exponent", [0.5, -0.5])
def test_half_powers_are_sqrt_and_rsqrt(device, exponent):
    """Finite non-zero bases: ** 0.5 is the correctly rounded sqrt, ** -0.5 is 1 / sqrt, as torch."""
    bases = [0.1, 0.5, 2.0, 3.0, 5.0, 1e-30, 1e30, 7.25, INF, 0.0, -2.0, NAN]
    want = torch.tensor(bases) ** exponent
    got = pyfront.tensor(bases, device=device) ** exponent
    _check(want, got, bases, [exponent] * len(bases), 0)


SPECIAL = [-0.0, 0.0, -INF, INF, NAN, -1.0, 2.0]
ROW_EXPONENTS = [0.5, -0.5, 2, -2, 3, 0, 1, -1, 1.5, -1.5]
# (device, dtype): webgpu has no float64
DTYPES = [("cpu", "float32"), ("cpu", "float64"), ("cpu", "float16"),
          pytest.param("webgpu", "float32", marks=requires_webgpu),
          pytest.param("webgpu", "float16", marks=requires_webgpu)]


def _same_bits(got, want, what, device):
    """NaN where torch's is, zeros and infinities with torch's sign; a finite value torch's bits on the
    cpu, its value to float tolerance on the GPU (WGSL's pow is a few ulp off: 2 ** -1.5)."""
    got = torch.from_numpy(np.asarray(got.detach().cpu().numpy()))
    msg = f"{what}: {got.tolist()} vs torch {want.tolist()}"
    assert torch.equal(got.isnan(), want.isnan()), msg
    exact = (want == 0) | want.isinf() if device != "cpu" else ~want.isnan()
    if device == "cpu" and want.dtype == torch.float64:
        # torch's float64 pow is a vectorized one its CPU's instruction set picks, within an ulp: 2 ** 0.5
        # is sqrt(2) rounded on one machine and an ulp below on another; zeros and infinities stay exact
        finite = exact & (want != 0) & ~want.isinf()
        ulp = torch.from_numpy(np.spacing(np.abs(want[finite].detach().numpy())))
        assert bool(((got[finite] - want[finite].detach()).abs() <= ulp).all()), msg
        exact = exact & ~finite
    assert torch.equal(got[exact], want[exact]), msg
    assert torch.equal(got[exact].signbit(), want[exact].signbit()), msg
    torch.testing.assert_close(got, want, equal_nan=True, msg=msg)


@pytest.mark.parametrize("device, dtype", DTYPES)
def test_special_bases_to_number_and_tensor_exponents(device, dtype):
    """torch's pow with a number exponent is sqrt for 0.5 and 1 / sqrt for -0.5 in float32/float64
    (-0 ** 0.5 is -0, -inf ** 0.5 nan, -0 ** -0.5 -inf), C's pow in float16 and for an exponent tensor
    (+0, inf, inf); its gradient's x ** (y - 1) is a number power too (sqrt for 1.5). Bits, zero signs
    and NaN positions against torch's cpu, values and gradients."""
    for e in ROW_EXPONENTS:
        want_x = torch.tensor(SPECIAL, dtype=getattr(torch, dtype), requires_grad=True)
        got_x = pyfront.tensor(SPECIAL, dtype=getattr(pyfront, dtype), device=device, requires_grad=True)
        want, got = want_x ** e, got_x ** e
        _same_bits(got, want, f"** {e}", device)
        assert got.grad_fn.name() == want.grad_fn.name()
        _same_bits(pyfront.autograd.grad(got.sum(), got_x)[0], torch.autograd.grad(want.sum(), want_x)[0],
                   f"grad of ** {e}", device)
        _same_bits(pyfront.pow(got_x.detach(), e), torch.pow(want_x.detach(), e), f"pow(x, {e})", device)
        for shape in ((), (len(SPECIAL),)):  # an exponent tensor: 0-d, and one per base
            want_t = want_x.detach() ** torch.full(shape, e, dtype=want_x.dtype)
            got_t = got_x.detach() ** pyfront.full(shape, e, dtype=got_x.dtype, device=device)
            _same_bits(got_t, want_t, f"** tensor {e} {shape}", device)


@pytest.mark.parametrize("device", DEVICES)
def test_number_base_grid(device):
    for b in BASES:
        want = torch.pow(b, torch.tensor(EXPONENTS))
        got = pyfront.pow(b, pyfront.tensor(EXPONENTS, device=device))
        _check(want, got, [b] * len(EXPONENTS), EXPONENTS, 0 if device == "cpu" else 2)


@pytest.mark.parametrize("device", DEVICES)
def test_small_integral_exponents_are_products(device):
    """Random floats: x ** 1 is x, x ** 2 is x * x, x ** -1 is 1 / x, bit for bit, as torch; an exponent
    tensor of small integers gives torch's values within a few ulp."""
    rng = np.random.default_rng(0)
    x = (rng.standard_normal(4096) * 10).astype(np.float32)
    tx, px = torch.from_numpy(x), pyfront.tensor(x, device=device)
    for k in (1, 2, -1, 1.0, 2.0, -1.0, 0):
        assert np.array_equal(_bits(tx ** k), (px ** k).cpu().numpy().view(np.int32)), k
        assert np.array_equal(_bits(torch.pow(tx, k)), pyfront.pow(px, k).cpu().numpy().view(np.int32)), k
    e = rng.integers(-4, 5, 4096).astype(np.float32)
    want = tx ** torch.from_numpy(e)
    got = torch.from_numpy((px ** pyfront.tensor(e, device=device)).cpu().numpy())
    assert _ulps(want, got).max() <= (1 if device == "cpu" else 3)  # torch: Sleef pow, 1 ulp
    # integers exactly: every integral float base to small powers is exact
    ints = rng.integers(-40, 41, 4096).astype(np.float32)
    e = rng.integers(0, 5, 4096).astype(np.float32)
    want = torch.from_numpy(ints) ** torch.from_numpy(e)
    got = pyfront.tensor(ints, device=device) ** pyfront.tensor(e, device=device)
    assert np.array_equal(_bits(want), got.cpu().numpy().view(np.int32))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", ["int64", "int32", "int8"])
def test_integer_negative_exponent_tensor(device, dtype):
    """torch: 1 and -1 keep their magnitude under a negative integer exponent, every other base gives 0
    (NumPy raised ValueError; the GPU gave 1)."""
    b = [2, 1, -1, -1, 0, 3, -3, 1, 5]
    e = [-1, -5, -3, -2, -1, 0, 2, 3, 3]
    want = getattr(torch, dtype)
    got = pyfront.tensor(b, dtype=getattr(pyfront, dtype), device=device) ** pyfront.tensor(
        e, dtype=getattr(pyfront, dtype), device=device)
    assert got.tolist() == (torch.tensor(b, dtype=want) ** torch.tensor(e, dtype=want)).tolist()


@pytest.mark.parametrize("device", DEVICES)
def test_float16_small_powers(device):
    """float16 computes in float32 and rounds once, as torch: exact for integral and half exponents."""
    x = [0.5, 3.0, -2.0, 7.0, 0.1, 100.0, 0.0]
    for k in (2, 3, -1, 0.5, 2.5):
        want = torch.tensor(x, dtype=torch.float16) ** k
        got = torch.from_numpy((pyfront.tensor(x, dtype=pyfront.float16, device=device) ** k).cpu().numpy())
        tol = dict(rtol=1e-3, atol=0) if k == 2.5 else dict(rtol=0, atol=0)
        torch.testing.assert_close(got, want, equal_nan=True, **tol, msg=f"** {k}")


@pytest.mark.parametrize("device", DEVICES)
def test_general_powers_within_float32_tolerance(device):
    """Non-integral exponents: torch's value to assert_close's float32 tolerance (on the GPU the integral
    part is products and only the fraction goes through WGSL's pow, whose error grows with |y log2 x|)."""
    rng = np.random.default_rng(3)
    x = rng.uniform(0.1, 10, 20000).astype(np.float32)
    y = rng.uniform(-10, 10, 20000).astype(np.float32)
    want = torch.from_numpy(x) ** torch.from_numpy(y)
    got = pyfront.tensor(x, device=device) ** pyfront.tensor(y, device=device)
    got = torch.from_numpy(got.cpu().numpy())
    torch.testing.assert_close(got, want)
    assert _ulps(want, got).max() <= (1 if device == "cpu" else 12)


@pytest.mark.parametrize("device", DEVICES)
def test_bool_operands(device):
    """torch has no bool pow kernel (tensor ** tensor, number ** tensor), but takes a bool number exponent
    (its ** False fills 1, ** True copies) and promotes a bool operand meeting a number or an int tensor."""
    cases = [lambda L, d: L.tensor([True, False], device=d) ** L.tensor([True, True], device=d),
             lambda L, d: L.tensor([True, False], device=d) ** L.tensor(True, device=d),
             lambda L, d: L.pow(True, L.tensor([True, False], device=d)),
             lambda L, d: L.tensor([True, False], device=d) ** True,
             lambda L, d: L.tensor([True, False], device=d) ** False,
             lambda L, d: L.tensor([True, False], device=d) ** 2,
             lambda L, d: L.tensor([True, False], device=d) ** L.tensor([2, 3], device=d),
             lambda L, d: L.pow(2, L.tensor([True, False], device=d))]
    for case in cases:
        try:
            want = case(torch, "cpu")
        except NotImplementedError as e:
            with pytest.raises(NotImplementedError, match=None) as got:
                case(pyfront, device)
            assert str(got.value) == str(e)
            continue
        got = case(pyfront, device)
        assert got.tolist() == want.tolist() and str(got.dtype) == str(want.dtype)
