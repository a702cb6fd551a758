"""Complex matrix products on the cpu as torch computes them where no BLAS is involved (torch's gemv is its
own loop for complex numbers, its bmm of small matrices its own kernel: c10::complex products, each
rounded, summed in order), and right values from NumPy where the ``mkl`` extra is absent (conj views,
their gradients)."""
import numpy as np
import pytest
import torch

import pyfront
from pyfront.backends import host_gemm


def _complex(rng, shape, dtype):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)


def _bits(t) -> bytes:
    return t.detach().resolve_conj().numpy().tobytes()


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_mv_and_small_bmm_equal_torchs_bits(dtype):
    """mv (row-major, column-major and conj views, which torch's mv resolves first) and bmm of small
    matrices (fewer than 400 products each)."""
    rng = np.random.default_rng(11)
    differ = []
    for n, k in [(7, 5), (1, 6), (6, 1), (30, 40)]:
        mat, vec = _complex(rng, (n, k), dtype), _complex(rng, (k,), dtype)
        for layout in (mat, np.asfortranarray(mat)):
            for conj in (False, True):
                want, got = (L.mv(L.from_numpy(layout).conj() if conj else L.from_numpy(layout),
                                  L.from_numpy(vec)) for L in (torch, pyfront))
                if _bits(want) != _bits(got):
                    differ.append(f"mv {n}x{k} {layout.flags.f_contiguous} {conj}")
        a, b = _complex(rng, (3, n, k), dtype), _complex(rng, (3, k, 4), dtype)
        if n * k * 4 < 400 and _bits(torch.bmm(torch.from_numpy(a), torch.from_numpy(b).conj())) != _bits(
                pyfront.bmm(pyfront.from_numpy(a), pyfront.from_numpy(b).conj())):
            differ.append(f"bmm {n}x{k}")
    assert not differ, differ


def test_complex_products_without_mkl_are_right(monkeypatch):
    """Where MKL is absent, NumPy computes complex products of conj views and their gradients: the right
    values (torch's bits are MKL's)."""
    monkeypatch.setattr(host_gemm, "_routines", lambda: None)
    rng = np.random.default_rng(12)
    a, b, g = (_complex(rng, shape, "complex128") for shape in ((5, 4), (4, 3), (5, 3)))
    results = []
    for L in (torch, pyfront):
        x, y = L.from_numpy(a).requires_grad_(), L.from_numpy(b).requires_grad_()
        out = x.conj() @ y.mT.conj().mT
        out.backward(L.from_numpy(g))
        results.append([t.detach().resolve_conj().numpy() for t in (
            out, x.grad, y.grad, L.dot(x[0].conj(), y[:, 0].conj()), L.dot(x[0], y[:, 0].conj()),
            L.vdot(x[0], y[:, 0]), L.mv(x.conj(), y[:, 0]))])
    for want, got in zip(*results):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_complex_scaled_products_keep_their_factors():
    """addmm, addmv, baddbmm and addbmm of complex tensors with fractional and complex beta and alpha (the
    factors were cast to integers, as for an integer input: 0.5 dropped a term, a complex one raised), and
    addmm's gradients (times the conjugated factors)."""
    rng = np.random.default_rng(13)
    a, b, c = (_complex(rng, s, "complex128") for s in ((4, 3), (3, 5), (4, 5)))
    a3, b3, c3, v, u = (_complex(rng, s, "complex128") for s in ((2, 4, 3), (2, 3, 5), (2, 4, 5), (3,), (4,)))
    for beta, alpha in [(0.5, 2), (0.5 + 1j, -0.25j)]:
        results = []
        for L in (torch, pyfront):
            x, y, z = (L.from_numpy(t).requires_grad_() for t in (a, b, c))
            out = L.addmm(z.conj(), x, y, beta=beta, alpha=alpha)
            out.backward(L.ones_like(out))
            f = L.from_numpy
            results.append([t.detach().resolve_conj().numpy() for t in (
                out, x.grad, y.grad, z.grad, L.addmv(f(u), f(a), f(v), beta=beta, alpha=alpha),
                L.baddbmm(f(c3), f(a3), f(b3), beta=beta, alpha=alpha),
                L.addbmm(f(c), f(a3), f(b3), beta=beta, alpha=alpha))])
        for want, got in zip(*results):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
