"""torch.fft, torch.stft/istft and torch.linalg.eig/eigvals against torch: values, dtypes, gradients (under
torch's convention for complex numbers), grad_fn nodes and errors, over n/s/dim/norm and both widths."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import pyfront

RNG = np.random.default_rng(1)
REAL = RNG.standard_normal((4, 6))
CPLX = REAL + 1j * RNG.standard_normal((4, 6))
REAL3 = RNG.standard_normal((3, 4, 5))
CPLX3 = REAL3 + 1j * RNG.standard_normal((3, 4, 5))


def _np(t):
    return t.detach().resolve_conj().numpy() if isinstance(t, torch.Tensor) else np.array(t.detach().tolist())


def _forward_backward(lib, fn, arr, dtype):
    """``fn``'s output, the gradient of a real weighted sum of all its parts, and its node's name."""
    x = lib.tensor(arr, dtype=getattr(lib, dtype), requires_grad=True)
    y = fn(lib, x)
    parts = lib.view_as_real(y.resolve_conj()) if y.dtype.is_complex else y
    weights = lib.arange(parts.numel(), dtype=parts.dtype).reshape(parts.shape).cos()
    (parts * weights).sum().backward()
    return y, x.grad, type(y.grad_fn).__name__


def _check(fn, arr, dtype):
    yt, gt, nt = _forward_backward(torch, fn, arr, dtype)
    yp, gp, np_ = _forward_backward(pyfront, fn, arr, dtype)
    tol = 1e-4 if dtype in ("float32", "complex64") else 1e-10
    assert str(yp.dtype) == str(yt.dtype) and tuple(yp.shape) == tuple(yt.shape)
    np.testing.assert_allclose(_np(yp), _np(yt), rtol=tol, atol=tol)
    assert str(gp.dtype) == str(gt.dtype)
    np.testing.assert_allclose(_np(gp), _np(gt), rtol=tol, atol=tol)
    return nt, np_


COMPLEX_CASES = {
    "fft": lambda L, x: L.fft.fft(x),
    "fft_n_dim_ortho": lambda L, x: L.fft.fft(x, n=9, dim=0, norm="ortho"),
    "fft_short_forward": lambda L, x: L.fft.fft(x, n=3, norm="forward"),
    "ifft": lambda L, x: L.fft.ifft(x, dim=0),
    "ifft_n_ortho": lambda L, x: L.fft.ifft(x, n=8, norm="ortho"),
    "fft2": lambda L, x: L.fft.fft2(x),
    "ifft2_s": lambda L, x: L.fft.ifft2(x, s=(3, 7), norm="forward"),
    "fftn_dim": lambda L, x: L.fft.fftn(x, dim=(1,)),
    "ifftn": lambda L, x: L.fft.ifftn(x),
    "hfft": lambda L, x: L.fft.hfft(x),
    "hfft_n_ortho": lambda L, x: L.fft.hfft(x, n=7, norm="ortho"),
    "irfft": lambda L, x: L.fft.irfft(x),
    "irfft_odd_dim0": lambda L, x: L.fft.irfft(x, n=7, dim=0),
    "irfft_long": lambda L, x: L.fft.irfft(x, n=12, norm="forward"),
    "irfft2": lambda L, x: L.fft.irfft2(x),
    "irfftn_s": lambda L, x: L.fft.irfftn(x, s=(5, 9), norm="ortho"),
    "hfft2": lambda L, x: L.fft.hfft2(x, s=(3, 6), norm="ortho"),
    "hfftn": lambda L, x: L.fft.hfftn(x),
}
REAL_CASES = {
    "rfft": lambda L, x: L.fft.rfft(x),
    "rfft_n_dim_ortho": lambda L, x: L.fft.rfft(x, n=9, dim=0, norm="ortho"),
    "rfft2": lambda L, x: L.fft.rfft2(x),
    "rfftn_s": lambda L, x: L.fft.rfftn(x, s=(3, 5), norm="forward"),
    "ihfft": lambda L, x: L.fft.ihfft(x),
    "ihfft_n": lambda L, x: L.fft.ihfft(x, n=5, norm="ortho"),
    "ihfft2": lambda L, x: L.fft.ihfft2(x),
    "ihfftn": lambda L, x: L.fft.ihfftn(x, norm="forward"),
    "fft_of_real": lambda L, x: L.fft.fft(x),
    "fftn_of_real": lambda L, x: L.fft.fftn(x, norm="ortho"),
    "irfft_of_real": lambda L, x: L.fft.irfft(x),
    "fftshift": lambda L, x: L.fft.fftshift(x),
    "ifftshift_dim": lambda L, x: L.fft.ifftshift(x, dim=1),
}


@pytest.mark.parametrize("dtype", ["complex128", "complex64"])
@pytest.mark.parametrize("name", list(COMPLEX_CASES))
def test_complex_input_transforms_as_torch(name, dtype):
    nt, np_ = _check(COMPLEX_CASES[name], CPLX, dtype)
    assert nt == np_


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", list(REAL_CASES))
def test_real_input_transforms_as_torch(name, dtype):
    nt, np_ = _check(REAL_CASES[name], REAL, dtype)
    if not name.startswith("ihfft"):  # torch's lazy conjugate shows its own node (pyfront's conj is a copy)
        assert nt == np_


@pytest.mark.parametrize(
    "fn, arr, dtype",
    [
        (lambda L, x: L.fft.fftn(x, s=(2, 3), dim=(0, 2)), CPLX3, "complex128"),
        (lambda L, x: L.fft.rfftn(x), REAL3, "float64"),
        (lambda L, x: L.fft.irfftn(x, dim=(0, 1)), CPLX3, "complex128"),
        (lambda L, x: L.fft.ifftn(x, norm="ortho"), CPLX3, "complex128"),
        (lambda L, x: L.fft.hfftn(x, dim=(0, 2), norm="forward"), CPLX3, "complex128"),
        (lambda L, x: L.fft.ihfft2(x, s=(3, 4), norm="ortho"), REAL3, "float64"),
    ],
)
def test_three_dim_transforms_as_torch(fn, arr, dtype):
    _check(fn, arr, dtype)


@pytest.mark.parametrize(
    "call",
    [
        lambda L: L.fft.fft(L.ones(4), norm="foo"),
        lambda L: L.fft.rfft(L.ones(4, dtype=L.cfloat)),
        lambda L: L.fft.fft(L.ones(4), n=0),
        lambda L: L.fft.fft(L.ones(2, 3), dim=3),
        lambda L: L.fft.fftn(L.ones(2, 3), s=(2, 3, 4)),
        lambda L: L.fft.fftn(L.ones(2, 3), s=(3,), dim=(0, 1)),
        lambda L: L.fft.ihfft(L.ones(3, dtype=L.cfloat)),
        lambda L: L.fft.fft2(L.ones(3)),
        lambda L: L.fft.fft(L.ones(3, dtype=L.float16)),
        lambda L: L.fft.fft(L.zeros(0)),
        lambda L: L.fft.rfft2(L.ones(3, 3, dtype=L.cfloat)),
        lambda L: L.fft.ihfftn(L.ones(3, 3, dtype=L.cdouble)),
    ],
)
def test_errors_as_torch(call):
    _same_error(call)


def _same_error(call):
    """``call(torch)`` and ``call(pyfront)`` raise one exception type with one text (warnings aside)."""
    got = []
    for lib in (torch, pyfront):
        with pytest.raises(Exception) as info, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call(lib)
        got.append((type(info.value), str(info.value)))
    assert got[0] == got[1]


@pytest.mark.parametrize("name", ["fftfreq", "rfftfreq"])
def test_frequencies_as_torch(name):
    for n, d in [(5, 1.0), (6, 0.5), (1, 2.0), (8, 0.1)]:
        a, b = getattr(torch.fft, name)(n, d), getattr(pyfront.fft, name)(n, d)
        assert repr(a) == repr(b)
    assert repr(getattr(torch.fft, name)(4, dtype=torch.float64)) == repr(
        getattr(pyfront.fft, name)(4, dtype=pyfront.float64)
    )


def test_fft_of_integers_and_round_trip():
    for lib in (torch, pyfront):
        x = lib.arange(6)
        out = (
            lib.fft.fft(x),
            lib.fft.irfft(lib.fft.rfft(x.double()), n=6),
            lib.fft.ifft(lib.fft.fft(x.cfloat())),
        )
        if lib is torch:
            expected = out
    for e, a in zip(expected, out):
        assert str(e.dtype) == str(a.dtype)
        np.testing.assert_allclose(_np(a), _np(e), atol=1e-5)


# -- stft / istft --------------------------------------------------------------------------------
SIGNAL = RNG.standard_normal((2, 40))
STFT = {
    "plain": lambda L, x: L.stft(x, 8, window=L.ones(8, dtype=x.dtype), return_complex=True),
    "hann_hop_win": lambda L, x: L.stft(
        x,
        8,
        hop_length=3,
        win_length=6,
        window=L.hann_window(6, dtype=x.dtype),
        return_complex=True,
        center=False,
    ),
    "twosided_normalized": lambda L, x: L.stft(
        x[0], 8, window=L.ones(8, dtype=x.dtype), onesided=False, return_complex=True, normalized=True
    ),
    "constant_pad": lambda L, x: L.stft(
        x,
        10,
        hop_length=4,
        pad_mode="constant",
        window=L.hamming_window(10, dtype=x.dtype),
        return_complex=True,
    ),
    "round_trip": lambda L, x: L.istft(
        L.stft(x, 8, window=L.hann_window(8, dtype=x.dtype), return_complex=True),
        8,
        window=L.hann_window(8, dtype=x.dtype),
    ),
    "round_trip_length": lambda L, x: L.istft(
        L.stft(
            x[1],
            16,
            hop_length=4,
            window=L.hann_window(16, dtype=x.dtype),
            return_complex=True,
            normalized=True,
        ),
        16,
        hop_length=4,
        window=L.hann_window(16, dtype=x.dtype),
        normalized=True,
        length=37,
    ),
    "istft_no_center": lambda L, x: L.istft(
        L.stft(x, 8, window=L.ones(8, dtype=x.dtype), return_complex=True, center=False, hop_length=2),
        8,
        hop_length=2,
        center=False,
        window=L.ones(8, dtype=x.dtype),
    ),
}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", list(STFT))
def test_stft_istft_as_torch(name, dtype):
    _check(STFT[name], SIGNAL, dtype)


@pytest.mark.parametrize(
    "call",
    [
        lambda L: L.stft(L.ones(2, 40), 8),
        lambda L: L.stft(L.ones(2, 40), 80, return_complex=True),
        lambda L: L.stft(L.ones(2, 40), 8, window=L.ones(5), return_complex=True),
        lambda L: L.istft(
            L.stft(L.ones(40), 8, window=L.ones(8), return_complex=True),
            8,
            window=L.ones(8),
            return_complex=True,
        ),
    ],
)
def test_stft_errors_as_torch(call):
    _same_error(call)


def test_stft_warnings_as_torch():
    """Each is torch's warn-once: compared with set_warn_always, so the tests run before do not matter."""
    got = []
    for lib in (torch, pyfront):
        lib.set_warn_always(True)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                lib.stft(lib.ones(40), 8, return_complex=False)
                lib.istft(lib.stft(lib.ones(40), 8, window=lib.ones(8), return_complex=True), 8)
        finally:
            lib.set_warn_always(False)
        got.append([str(w.message).split(" (Triggered")[0] for w in caught])
    assert got[0] == got[1] and len(got[0]) == 3


# -- eig --------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "complex64"])
def test_eig_as_torch(dtype):
    a = RNG.standard_normal((2, 3, 3)) + (1j * RNG.standard_normal((2, 3, 3)) if "complex" in dtype else 0)
    got = []
    for lib in (torch, pyfront):
        A = lib.tensor(a, dtype=getattr(lib, dtype), requires_grad=True)
        w, v = lib.linalg.eig(A)
        # a loss that does not depend on the eigenvectors' phases (LAPACK builds may pick another)
        loss = (w * lib.tensor([1 + 2j, 0.5, -1j], dtype=w.dtype)).real.sum() + (
            v.abs() ** 2 * lib.arange(3.0).to(v.real.dtype)
        ).sum()
        loss.backward()
        vals = lib.linalg.eigvals(A)
        got.append(
            (
                str(w.dtype),
                str(v.dtype),
                _np(w),
                _np(vals),
                np.abs(_np(v)),
                _np(A.grad),
                type(w.grad_fn).__name__,
            )
        )
    tol = 1e-4 if dtype in ("float32", "complex64") else 1e-9
    for e, g in zip(*got):
        if isinstance(e, str):
            assert e == g
        else:
            np.testing.assert_allclose(g, e, rtol=tol, atol=tol)


def test_eig_checks_as_torch():
    for call in (
        lambda L: L.linalg.eig(L.ones(2, 3)),
        lambda L: L.linalg.eig(L.ones(3)),
        lambda L: L.linalg.eigvals(L.ones(2, 2, dtype=L.long)),
    ):
        _same_error(call)


def _conjugates_and_nodes(lib):
    """Where torch's transforms give a conjugate view (ifft of a real input, ihfft, ihfftn over one dim) and
    where a new tensor (ihfftn over several: r2c, conj_physical, c2c; hfftn: c2c, conj, c2r), their chain of
    nodes, the gradient's strides; fftn of a real input over one dim (an int too) is made complex first; an
    unknown norm is refused after the dims and the dtype."""
    x = lib.tensor(REAL3, dtype=lib.float32, requires_grad=True)
    z = lib.tensor(CPLX3, dtype=lib.complex64, requires_grad=True)
    calls = [(lib.fft.ifft, x, {}), (lib.fft.ifft, x, {"n": 3, "dim": 0}), (lib.fft.ifftn, x, {"dim": 1}),
             (lib.fft.fftn, x, {"dim": (1,)}), (lib.fft.ihfftn, x, {}),
             (lib.fft.ihfft2, x, {"norm": "ortho"}), (lib.fft.ihfftn, x, {"dim": (2,)}),
             (lib.fft.hfftn, z, {}), (lib.fft.hfft2, x, {"norm": "forward"})]
    out = []
    for fn, t, kwargs in calls:
        y = fn(t, **kwargs)
        node, chain = y.grad_fn, []
        while node is not None:
            chain.append(type(node).__name__)
            node = next((n for n, _ in node.next_functions if n is not None and n.next_functions), None)
        g = lib.autograd.grad(y, t, lib.ones_like(y))[0]
        out.append((y.is_conj(), chain, g.stride(), _np(y)))
    for fn, dtype in ((lib.fft.ifft, lib.float16), (lib.fft.ihfftn, lib.float16), (lib.fft.ihfft, lib.half),
                      (lib.fft.ihfftn, lib.complex64), (lib.fft.hfftn, lib.float16)):
        with pytest.raises((RuntimeError, IndexError)) as info:
            fn(lib.ones(4, 4, dtype=dtype), norm="bad")
        out.append(str(info.value))
    with pytest.raises(IndexError) as info:
        lib.fft.ifft(lib.ones(4), dim=3, norm="bad")
    return out + [str(info.value)]


def test_conjugate_views_nodes_and_norm_refusals_are_torchs():
    ours, theirs = _conjugates_and_nodes(pyfront), _conjugates_and_nodes(torch)
    for a, b in zip(ours, theirs):
        if isinstance(b, str):
            assert a == b
        else:  # (the values to float32's rounding; the sign of a zero imaginary part too)
            assert a[:3] == b[:3]
            np.testing.assert_allclose(a[3], b[3], rtol=1e-5, atol=1e-6)
            zeros = b[3].imag == 0
            assert np.array_equal(np.signbit(a[3].imag[zeros]), np.signbit(b[3].imag[zeros]))


def _resized_gradient_layouts(lib):
    """A transform whose n or s cuts or pads its input: torch slices each cut dim, then pads every padded
    one in one constant_pad_nd (a one-dimensional fft's real input before its r2c), so the gradient is laid
    out by those nodes' backward, not as a view of a complex one."""
    base = lib.tensor(REAL3, dtype=lib.float32)
    calls = [(lib.fft.fft, {"n": 7, "dim": 1}), (lib.fft.ifft, {"n": 3, "dim": 1}), (lib.fft.rfft, {"n": 4}),
             (lib.fft.irfft, {"n": 6, "dim": 1}), (lib.fft.fftn, {"s": (3, 7), "dim": (1, 0)}),
             (lib.fft.hfft, {"n": 9, "dim": 0})]
    out = []
    for fn, kwargs in calls:
        for x in (base, base.transpose(0, 2), base[:, ::2], lib.complex(base, -base)):
            x = x.detach().requires_grad_()
            try:
                y = fn(x, **kwargs)
            except RuntimeError as e:  # (rfft of a complex input)
                out.append(str(e))
                continue
            out.append((y.stride(), lib.autograd.grad(y, x, lib.ones_like(y))[0].stride()))
    return out


def test_resized_transforms_gradients_are_laid_out_as_torchs():
    assert _resized_gradient_layouts(pyfront) == _resized_gradient_layouts(torch)
