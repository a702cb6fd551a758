"""torch.special's Bessel, Airy, orthogonal-polynomial, normal-distribution and incomplete-gamma functions,
zeta, and torch.frexp/igamma/igammac, against real torch on cpu and webgpu: every name torch.special has,
the domain edges (NaN, +-inf, signed zeros, negatives, poles, huge degrees) of every function as one grid,
dtypes torch refuses, out=, frexp's named tuple, and which arguments torch differentiates. The op table
(tests/optable.py) runs each op's samples and edge rows; this file runs what a row cannot say."""

import math
import warnings

import numpy as np
import pytest
import torch
from optable import assert_same, assert_same_error
from webgpu_required import requires_webgpu

import pyfront
from pyfront import _warnings
from pyfront.ops.primitives.special_functions import SPECIAL

# the one-time warning of the cpu fallback these functions take on webgpu (checked once, below)
pytestmark = pytest.mark.filterwarnings("ignore:The operator '.*' has no kernel on the webgpu device")

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
UNARY = [
    "bessel_j0",
    "bessel_j1",
    "bessel_y0",
    "bessel_y1",
    "modified_bessel_i0",
    "modified_bessel_i1",
    "modified_bessel_k0",
    "modified_bessel_k1",
    "scaled_modified_bessel_k0",
    "scaled_modified_bessel_k1",
    "spherical_bessel_j0",
    "airy_ai",
    "erfcx",
    "ndtri",
    "log_ndtr",
]
POLYNOMIALS = [
    n
    for n in SPECIAL
    if n.endswith(
        (
            "polynomial_t",
            "polynomial_u",
            "polynomial_v",
            "polynomial_w",
            "polynomial_h",
            "polynomial_he",
            "polynomial_l",
            "polynomial_p",
        )
    )
]
EDGES = [
    math.nan,
    math.inf,
    -math.inf,
    0.0,
    -0.0,
    -1.0,
    1.0,
    -2.5,
    0.5,
    1e-30,
    -1e-30,
    2.09,
    -2.09,
    5.0,
    8.0,
    2.0,
    26.7,
    -26.7,
    50.0,
    60.0,
    103.9,
    1e7,
    3e38,
    -3e38,
]


def test_every_name_torch_special_has():
    names = {
        n
        for n in dir(torch.special)
        if not n.startswith("_") and callable(getattr(torch.special, n)) and n != "Tensor"
    }
    assert sorted(names - set(dir(pyfront.special))) == []
    for name in ("frexp", "igamma", "igammac"):
        assert callable(getattr(pyfront, name))
    for name in ("frexp", "igamma", "igamma_", "igammac", "igammac_"):
        assert callable(getattr(pyfront.Tensor, name))


@pytest.mark.parametrize(
    "device,dtype",
    [
        ("cpu", "float32"),
        ("cpu", "float64"),  # WGSL has no float64
        pytest.param("webgpu", "float32", marks=requires_webgpu),
    ],
)
@pytest.mark.parametrize("name", UNARY)
def test_unary_edges(name, dtype, device):
    x = np.array(EDGES + [v / 7 for v in range(-60, 61)], dtype=dtype)
    want = getattr(torch.special, name)(torch.from_numpy(x))
    got = getattr(pyfront.special, name)(pyfront.tensor(x, device=device))
    # the Bessel functions of the second kind near a zero: torch's own float32 rounding, relative to 1
    assert_same(
        got, want, signed_zeros=True, **({"rtol": 1.3e-6, "atol": 2e-5} if dtype == "float32" else {})
    )


def _grid(dtype):
    a = np.array(
        [math.nan, math.inf, -math.inf, 0.0, -0.0, -1.0, 0.3, 1.0, 2.5, 7.0, 25.0, 180.0, 1e4, 1e37],
        dtype=dtype,
    )
    return np.meshgrid(a, a[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ["gammainc", "gammaincc", "zeta"])
def test_gamma_and_zeta_on_the_domain_edges(name, dtype):
    a, x = _grid(dtype)
    want = getattr(torch.special, name)(torch.from_numpy(a), torch.from_numpy(x))
    got = getattr(pyfront.special, name)(pyfront.tensor(a), pyfront.tensor(x))
    assert_same(got, want, signed_zeros=True)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", POLYNOMIALS)
def test_polynomial_degrees_and_ends(name, dtype):
    """Degrees torch truncates, takes as negative (NaN, inf, past int64) or limits (Hermite past 128 and 512),
    the closed forms of large degrees inside [-1, 1], and the ends of the interval."""
    xs = np.array([-1.0, 1.0, 0.0, -0.0, 0.5, -0.3, 0.999, 1.5, -2.0, math.inf, -math.inf], dtype=dtype)
    ns = np.array(
        [-1.0, 0.0, 1.0, 2.7, 5.0, 7.0, 9.0, 25.0, 129.0, 513.0, math.nan, math.inf, 1e20, -3.5], dtype=dtype
    )
    x, n = np.meshgrid(xs, ns)
    want = getattr(torch.special, name)(torch.from_numpy(x), torch.from_numpy(n))
    got = getattr(pyfront.special, name)(pyfront.tensor(x), pyfront.tensor(n))
    assert_same(got, want, signed_zeros=True, rtol=1e-5, atol=1e-4)
    # a number for either argument, as torch's overloads take it
    assert_same(
        getattr(pyfront.special, name)(0.25, pyfront.tensor(ns[:6])),
        getattr(torch.special, name)(0.25, torch.from_numpy(ns[:6])),
    )
    assert_same(
        getattr(pyfront.special, name)(pyfront.tensor(xs[:6]), 4),
        getattr(torch.special, name)(torch.from_numpy(xs[:6]), 4),
    )


def _outcome(fn):
    try:
        return fn(), None
    except Exception as e:  # noqa: BLE001 - compared with torch's below
        return None, e


@pytest.mark.parametrize("name", UNARY + POLYNOMIALS + ["zeta", "gammainc", "gammaincc"])
@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "int64", "bool"])
def test_dtypes_torch_refuses_or_promotes(name, dtype):
    args = 2 if name in POLYNOMIALS or name in ("zeta", "gammainc", "gammaincc") else 1

    def call(lib):
        x = lib.tensor([1, 0, 1]).to(getattr(lib, dtype))
        return getattr(lib.special, name)(*([x] * args))

    want, error = _outcome(lambda: call(torch))
    if error is not None:
        with pytest.raises(type(error)) as got:
            call(pyfront)
        assert_same_error(got.value, error)
    else:
        assert_same(call(pyfront), want)


@pytest.mark.parametrize("device", DEVICES)
def test_frexp(device):
    x = np.array([3.0, -5.5, 0.0, -0.0, math.inf, -math.inf, math.nan, 1e-30, 3e38, 0.5, 1.0], np.float32)
    got = pyfront.frexp(pyfront.tensor(x, device=device))
    want = torch.frexp(torch.from_numpy(x))
    assert type(got).__name__ == "frexp" and (got.mantissa, got.exponent) == tuple(got)
    assert_same(tuple(got), tuple(want), signed_zeros=True)
    assert repr(got).startswith("torch.return_types.frexp(\nmantissa=tensor(")
    m, e = pyfront.tensor(x, device=device).frexp()
    assert_same((m, e), tuple(want))
    out = (pyfront.zeros(11, device=device), pyfront.zeros(11, dtype=pyfront.int32, device=device))
    r = pyfront.frexp(pyfront.tensor(x, device=device), out=out)
    assert type(r).__name__ == "frexp_out" and r.mantissa is out[0] and r.exponent is out[1]
    assert_same(tuple(r), tuple(want), signed_zeros=True)
    for lib in (torch, pyfront):
        with pytest.raises(RuntimeError, match=r"torch\.frexp\(\) only supports floating-point dtypes"):
            lib.frexp(lib.tensor([1, 2]))


@pytest.mark.parametrize("device", DEVICES)
def test_gradients_torch_has_and_has_not(device):
    x = [0.3, 0.7, 1.9]
    for name in ("erfcx", "ndtri", "log_ndtr"):
        t = torch.tensor(x if name != "ndtri" else [0.1, 0.5, 0.8], requires_grad=True)
        p = pyfront.tensor(t.tolist(), requires_grad=True, device=device)
        got = pyfront.autograd.grad(getattr(pyfront.special, name)(p).sum(), p)[0]
        assert_same(
            got, torch.autograd.grad(getattr(torch.special, name)(t).sum(), t)[0], rtol=1e-5, atol=1e-6
        )
    for name in UNARY[:12]:  # torch records no graph: the result does not require grad
        p = pyfront.tensor(x, requires_grad=True, device=device)
        assert not getattr(pyfront.special, name)(p).requires_grad
    p = pyfront.tensor(x, requires_grad=True, device=device)
    assert not pyfront.special.legendre_polynomial_p(p, 3).requires_grad
    # igamma, igammac, zeta: the second argument only; the first raises torch's NotImplementedError
    for name in ("gammainc", "gammaincc", "zeta"):
        a0, x0 = ([2.0, 3.0], [0.5, 1.5]) if name != "zeta" else ([2.0, 3.5], [0.5, 1.5])
        ta, tx = torch.tensor(a0, requires_grad=True), torch.tensor(x0, requires_grad=True)
        pa, px = (pyfront.tensor(v, requires_grad=True, device=device) for v in (a0, x0))
        want = torch.autograd.grad(getattr(torch.special, name)(ta.detach(), tx).sum(), tx)[0]
        assert_same(
            pyfront.autograd.grad(getattr(pyfront.special, name)(pa.detach(), px).sum(), px)[0],
            want,
            rtol=1e-5,
            atol=1e-6,
        )
        with pytest.raises(NotImplementedError) as expected:
            getattr(torch.special, name)(ta, tx).sum().backward()
        with pytest.raises(NotImplementedError) as got:
            getattr(pyfront.special, name)(pa, px).sum().backward()
        assert_same_error(got.value, expected.value)


@pytest.mark.parametrize("device", DEVICES)
def test_out_and_in_place(device):
    x = [0.5, 1.5, 4.0]
    for lib in (torch, pyfront):
        dev = {} if lib is torch else {"device": device}
        o = lib.zeros(3, **dev)
        r = lib.special.bessel_j0(lib.tensor(x, **dev), out=o)
        assert r is o
    assert_same(
        pyfront.special.modified_bessel_k1(pyfront.tensor(x), out=pyfront.zeros(3, dtype=pyfront.float64)),
        torch.special.modified_bessel_k1(torch.tensor(x), out=torch.zeros(3, dtype=torch.float64)),
    )
    for lib in (torch, pyfront):
        with pytest.raises(
            RuntimeError, match="result type Float can't be cast to the desired output type Long"
        ):
            lib.special.erfcx(lib.tensor(x), out=lib.zeros(3, dtype=lib.int64))
    a, b = torch.tensor(x), torch.tensor([1.0, 2.0, 3.0])
    pa, pb = pyfront.tensor(x, device=device), pyfront.tensor([1.0, 2.0, 3.0], device=device)
    assert_same(pa.igamma_(pb), a.igamma_(b))
    assert_same(pa.igammac(pb), a.igammac(b))
    assert_same(
        pyfront.igamma(pa, pb, out=pyfront.zeros(3, device=device)), torch.igamma(a, b, out=torch.zeros(3))
    )


@requires_webgpu
def test_webgpu_runs_them_on_the_host_and_says_so_once():
    _warnings._WARNED_ONCE.discard(
        next((m for m in _warnings._WARNED_ONCE if "'special_airy_ai'" in m), None)
    )
    x = pyfront.tensor([0.5, -3.0], device="webgpu")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = pyfront.special.airy_ai(x)
        pyfront.special.airy_ai(x)
    assert first.device.type == "webgpu"
    assert_same(first, torch.special.airy_ai(torch.tensor([0.5, -3.0])))
    messages = [str(w.message) for w in caught]
    assert (
        len(messages) == 1
        and "'special_airy_ai'" in messages[0]
        and "fall back to run on the CPU" in messages[0]
    )
