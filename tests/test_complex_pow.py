"""Complex powers as torch's: C's cpow, exp(y * log(x)) with C's complex product, for a tensor exponent and
every number exponent torch's kernel does not specialise (NumPy multiplied out integral exponents); 0 fills
1 and 1 copies (cpow gives NaN for 0 ** 0 and -4e-08+1j for 1j ** 1); 0.5, -0.5, -1, 2 are sqrt, rsqrt,
reciprocal and a product; the gradient of a number power is torch's pow_backward, conjugated."""
import warnings

import numpy as np
import pytest
import torch

import pyfront

_VALUES = [0, -0.0, 1, -1, 2.5, -3.25, np.inf, -np.inf, np.nan, 1e-30, 1e30]
_SPECIAL = [complex(a, b) for a in _VALUES for b in _VALUES]


def _inputs(dtype):
    rs = np.random.RandomState(1)
    return np.concatenate([_SPECIAL, rs.randn(300) + 1j * rs.randn(300)]).astype(dtype)


def _differing(expected, actual):
    e, a = expected.numpy(), actual.numpy()
    e, a = e.view(e.real.dtype), a.view(a.real.dtype)
    same = ((e == a) & (np.signbit(e) == np.signbit(a))) | (np.isnan(e) & np.isnan(a))
    return int((~same).sum())


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("exponent", [0, 1, 0.0, 1.0, 0.5, 1.5, 0.25, 4.0, 7.0, -3.0, 2 + 1j, -1j])
def test_tensor_to_a_number_power(dtype, exponent):
    z = _inputs(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _differing(torch.tensor(z) ** exponent, pyfront.tensor(z) ** exponent) == 0


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("exponent", [0.0, 1.0, 2.0, 4.0, -3.0, 0.5, 2 + 1j])
def test_tensor_to_a_tensor_power(dtype, exponent):
    z = _inputs(dtype)
    w = np.full(z.shape, exponent, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _differing(torch.tensor(z) ** torch.tensor(w), pyfront.tensor(z) ** pyfront.tensor(w)) == 0


@pytest.mark.parametrize("exponent", [0, 1, 2, 3, -1, -2, 0.5, -0.5, 1.5, 4.0, 2 + 1j])
def test_number_power_gradient_is_torchs(exponent):
    rs = np.random.RandomState(0)
    z = rs.randn(6) + 1j * rs.randn(6)
    z[0] = 0
    results = []
    for lib in (torch, pyfront):
        x = lib.tensor(z, requires_grad=True)
        y = x ** exponent
        (y * lib.tensor(np.arange(1, 7) * (1 - 2j))).real.sum().backward()
        results.append((y.detach().numpy(), x.grad.numpy(), type(y.grad_fn).__name__))
    (ty, tg, tnode), (py, pg, pnode) = results
    np.testing.assert_allclose(py, ty, rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(pg, tg, rtol=1e-12, equal_nan=True)
    assert pnode == tnode


_PRODUCTS = {
    "z * w": lambda lib, z, w: z * w, "z.mul_(w)": lambda lib, z, w: z.clone().mul_(w),
    "addcmul": lambda lib, z, w: lib.addcmul(z, z, w), "z ** w": lambda lib, z, w: z ** w,
}


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("form", sorted(_PRODUCTS))
def test_complex_products_are_torchs_plain_product(dtype, form):
    """torch's complex product (its vectors) is (ac - bd) + (ad + bc)i, each product rounded: NumPy's multiply
    fuses them where the CPU has FMA (a quarter of the parts differed), special values included."""
    rs = np.random.RandomState(2)
    # 416 elements, whole 16-element blocks: torch's scalar tail (c10::complex's product, compiled with FMA
    # contraction in its AVX-512 kernels) rounds once, where its vectors round each product: not emulated
    z = np.concatenate([_SPECIAL, rs.randn(295) + 1j * rs.randn(295)]).astype(dtype)
    w = np.concatenate([_SPECIAL[::-1], rs.randn(295) + 1j * rs.randn(295)]).astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = _PRODUCTS[form](torch, torch.tensor(z), torch.tensor(w))
        assert _differing(expected, _PRODUCTS[form](pyfront, pyfront.tensor(z), pyfront.tensor(w))) == 0


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("exponent", [2, 3])
def test_integral_powers_are_products(dtype, exponent):
    rs = np.random.RandomState(3)
    z = (rs.randn(2048) + 1j * rs.randn(2048)).astype(dtype)  # (whole blocks: see above)
    assert _differing(torch.tensor(z) ** exponent, pyfront.tensor(z) ** exponent) == 0


_BASES = {"complex": [1 + 2j, 3j, 0j, -2 + 0j], "real": [1.5, -2.0, 0.0, 3.0]}
_EXPONENTS = {"real_tensor": [2.0, 3.0, 0.5, -1.0], "complex_tensor": [2 + 1j, 0.5j, 0j, -1 + 0j],
              "complex_half": 0.5 + 0j, "complex_minus_half": -0.5 + 0j, "complex_two": 2 + 0j, "one_j": 1j}


@pytest.mark.parametrize("base", _BASES)
@pytest.mark.parametrize("exponent", _EXPONENTS)
def test_mixed_real_and_complex_powers_and_gradients(base, exponent):
    """A real and a complex operand in either place, each a leaf: values and gradients as torch's (a complex
    base to a real exponent needing grad raised "ge_cpu" not implemented in the backward; a real tensor to the
    number 0.5+0j a TypeError)."""
    def run(lib):
        b = lib.tensor(_BASES[base], requires_grad=True)
        e = _EXPONENTS[exponent]
        e = lib.tensor(e, requires_grad=True) if isinstance(e, list) else e
        w = b ** e
        leaves = [t for t in (b, e) if isinstance(t, lib.Tensor)]
        grads = lib.autograd.grad(w.abs().sum(), leaves)
        return [lib.view_as_real(w.detach()) if w.is_complex() else w.detach()] + [
            lib.view_as_real(g) if g.is_complex() else g for g in grads]
    for ours, theirs in zip(run(pyfront), run(torch)):
        torch.testing.assert_close(torch.tensor(ours.numpy()), theirs, equal_nan=True, rtol=1e-5, atol=1e-6)
