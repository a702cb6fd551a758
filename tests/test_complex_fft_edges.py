"""Edges a new user of complex numbers, torch.fft, stft and linalg.eig meets, against torch: refusals
(type and text), non-finite inputs, 16-bit and 0-d inputs, ``out=``, and the warnings torch raises from
its C++ (with its "(Triggered internally at ...)" suffix) or does not raise at all."""
import warnings

import pytest
import torch

import pyfront

LIBS = (torch, pyfront)


def _outcome(fn, lib):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = fn(lib)
        except Exception as e:  # noqa: BLE001 - compared with torch's
            return "raised", type(e).__name__, str(e)
    if isinstance(out, (torch.Tensor, pyfront.Tensor)):
        return "value", str(out.dtype), [complex(v) for v in out.reshape(-1).tolist()]
    return "value", repr(out)


def _same(fn):
    want, got = (_outcome(fn, lib) for lib in LIBS)
    assert got == want


# -- linalg.eig / eigvals: torch's checks, in its order; a non-finite matrix is a RuntimeError ------------
EIG_INPUTS = {
    "int64": lambda L: L.ones(2, 2, dtype=L.int64), "bool 1-d": lambda L: L.ones(3, dtype=L.bool),
    "int 2x3": lambda L: L.ones(2, 3, dtype=L.int32), "bf16": lambda L: L.ones(2, 2, dtype=L.bfloat16),
    "half 2x3": lambda L: L.ones(2, 3, dtype=L.float16), "float 1-d": lambda L: L.ones(3),
    "nan": lambda L: L.tensor([[float("nan"), 1.0], [-1.0, 0.0]]),
    "inf batch": lambda L: L.tensor([[[1.0, 1.0], [-1.0, 0.0]], [[0.0, float("inf")], [-1.0, 0.0]]]),
    "-inf complex": lambda L: L.tensor([[complex("-inf"), 1], [-1, 0j]]),
    "empty": lambda L: L.ones(3, 0, 0),
}


@pytest.mark.parametrize("name", EIG_INPUTS)
@pytest.mark.parametrize("fn", ["eig", "eigvals"])
def test_eig_refuses_as_torch(fn, name):
    if fn == "eigvals" and name in ("nan", "inf batch", "-inf complex"):
        # torch's eigvals crashes the process on these (LAPACK's geev); pyfront raises eig's error
        with pytest.raises(RuntimeError, match="input tensor should not contain infs or NaNs"):
            pyfront.linalg.eigvals(EIG_INPUTS[name](pyfront))
        return
    _same(lambda L: getattr(L.linalg, fn)(EIG_INPUTS[name](L)))


# -- nan_to_num of complex tensors: each part replaced; no derivative, as torch ---------------------------
SPECIAL = [complex("nan+infj"), complex("-inf-nanj"), 1 - 2j, complex("inf+1j")]


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("args", [(), (1.0, 2.0, -3.0), (0.5, None, 7.0)])
def test_nan_to_num_of_complex(dtype, args):
    _same(lambda L: L.tensor(SPECIAL, dtype=getattr(L, dtype)).nan_to_num(*args))
    _same(lambda L: L.tensor(SPECIAL, dtype=getattr(L, dtype)).nan_to_num_(*args))
    _same(lambda L: L.nan_to_num(L.tensor(SPECIAL, dtype=getattr(L, dtype)), *args,
                                 out=L.empty(0, dtype=getattr(L, dtype))))
    _same(lambda L: L.nan_to_num(L.tensor(SPECIAL, dtype=getattr(L, dtype)), *args, out=L.empty(0)))
    _same(lambda L: L.tensor(SPECIAL, dtype=getattr(L, dtype), requires_grad=True).nan_to_num(*args))


def test_can_cast_covers_every_dtype_pair():
    names = ["bool", "uint8", "int8", "int64", "float16", "bfloat16", "float32", "float64", "complex64",
             "complex128"]
    for a in names:
        for b in names:
            want = torch.can_cast(getattr(torch, a), getattr(torch, b))
            assert pyfront.can_cast(getattr(pyfront, a), getattr(pyfront, b)) == want, (a, b)


# -- warnings: the cast's suffix; none from the gradient of a real -> complex step ------------------------
def _warnings_of(fn, lib):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        fn(lib)
    return [str(w.message) for w in seen]


REAL_TO_COMPLEX = {
    "fft": lambda L, a: L.fft.fft(a).real.pow(2).sum(),
    "to": lambda L, a: (a.to(L.complex64) * (1 + 1j)).abs().sum(),
    "mul": lambda L, a: (a * L.tensor(1 + 2j)).abs().sum(),
    "complex": lambda L, a: (L.complex(a, a * 2) ** 2).abs().sum(),
    "rfft irfft": lambda L, a: L.fft.irfft(L.fft.rfft(a) * 2).sum(),
}


@pytest.mark.parametrize("name", REAL_TO_COMPLEX)
def test_gradient_into_a_real_input_warns_as_torch(name):
    def run(L):
        a = L.tensor([0.5, -1.0, 2.0, 3.0], requires_grad=True)
        return L.autograd.grad(REAL_TO_COMPLEX[name](L, a), a)[0]
    assert _warnings_of(run, pyfront) == _warnings_of(run, torch)
    _same(run)


@pytest.mark.parametrize("call", [
    lambda L: L.tensor([1 + 2j]).float(), lambda L: L.tensor([1 + 2j]).to(L.float64),
    lambda L: L.stft(L.arange(16.0), 8, return_complex=True),
    lambda L: L.stft(L.arange(16.0), 8, window=L.ones(8), return_complex=False),
    lambda L: L.istft(L.ones(5, 3, dtype=L.complex64), 8)])
def test_warnings_from_torchs_cpp_carry_its_suffix(call):
    pyfront._warnings._WARNED_ONCE.clear()  # (each is torch's TORCH_WARN_ONCE)
    torch.set_warn_always(True)
    try:
        want = _warnings_of(call, torch)
    finally:
        torch.set_warn_always(False)
    assert want and _warnings_of(call, pyfront) == want


# -- torch.fft: 16-bit refusals, 0-d inputs, out= ----------------------------------------------------------
TRANSFORMS = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2", "irfft2", "hfft2",
              "ihfft2", "fftn", "ifftn", "rfftn", "irfftn", "hfftn", "ihfftn"]


@pytest.mark.parametrize("name", TRANSFORMS)
def test_transforms_refuse_and_write_out_as_torch(name):
    fn = getattr(pyfront.fft, name), getattr(torch.fft, name)
    for dtype in ("bfloat16", "float16", "bool", "int8"):
        _same(lambda L, d=dtype: fn[L is torch](L.ones(4, 4, dtype=getattr(L, d))))
    _same(lambda L: fn[L is torch](L.tensor(1.5)))
    # (complex128: torch's ifft and ihfft of a real input refuse it, its other transforms take it)
    for dtype in ("float32", "float64", "complex64", "int64"):
        _same(lambda L, d=dtype: fn[L is torch](L.arange(16.0).reshape(4, 4),
                                                out=L.empty(0, dtype=getattr(L, d))))


STFT_CALLS = {
    "int": lambda L: L.stft(L.ones(2, 2, 16, dtype=L.int64), 8, return_complex=True),
    "3-d": lambda L: L.stft(L.ones(2, 2, 16), 8, return_complex=True),
    "bf16": lambda L: L.stft(L.ones(16, dtype=L.bfloat16), 8, return_complex=True),
    "half": lambda L: L.stft(L.ones(16, dtype=L.float16), 8, window=L.ones(8, dtype=L.float16),
                             return_complex=True),
    "half, float window": lambda L: list(L.stft(L.ones(16, dtype=L.float16), 8, window=L.ones(8),
                                                return_complex=True).shape),
    "short": lambda L: L.stft(L.ones(4), 8, return_complex=True, center=False),
    "hop 0": lambda L: L.stft(L.ones(16), 8, hop_length=0, return_complex=True),
    "win 9": lambda L: L.stft(L.ones(16), 8, win_length=9, return_complex=True),
    "window 5": lambda L: L.stft(L.ones(2, 16), 8, window=L.ones(5), return_complex=True),
    "batched": lambda L: list(L.stft(L.arange(32.0).reshape(2, 16), 8, window=L.hann_window(8),
                                     return_complex=True).shape),
}


@pytest.mark.parametrize("name", STFT_CALLS)
def test_stft_checks_as_torch(name):
    _same(STFT_CALLS[name])


# -- factories: complex ranges (linspace/logspace step in complex; arange/range/randint refuse) -----------
def _close(fn):
    want, got = (_outcome(fn, lib) for lib in LIBS)
    assert got[:2] == want[:2]
    if want[0] == "value":
        assert len(got[2]) == len(want[2])
        for g, w in zip(got[2], want[2]):
            assert abs(g - w) <= 1e-5 * max(1.0, abs(w)), (g, w)
    else:
        assert got == want


@pytest.mark.parametrize("dtype", [None, "complex64", "complex128", "float64", "int64"])
@pytest.mark.parametrize("bounds", [(0, 1), (0, 1 + 1j), (1j, 2), (-1 + 0.5j, 2 - 1j)])
def test_complex_ranges(bounds, dtype):
    for steps in (0, 1, 2, 7):
        _close(lambda L, n=steps: L.linspace(*bounds, n, dtype=dtype and getattr(L, dtype)))
        _close(lambda L, n=steps: L.logspace(*bounds, n, base=2.0, dtype=dtype and getattr(L, dtype)))


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_integer_ranges_and_randint_refuse_complex(dtype):
    _same(lambda L: L.arange(3, dtype=getattr(L, dtype)))
    _same(lambda L: L.range(0, 2, dtype=getattr(L, dtype)))
    _same(lambda L: L.randint(3, (2,), dtype=getattr(L, dtype)))


def test_dtype_to_complex_and_to_real():
    for name in ["bool", "uint8", "int32", "int64", "float16", "bfloat16", "float32", "float64", "complex64",
                 "complex128"]:
        for method in ("to_complex", "to_real"):
            _same(lambda L, n=name, m=method: getattr(getattr(L, n), m)())


# -- what a node keeps: an in-place change after the forward is an error exactly where torch's is ------------
AFTER_FORWARD = {
    "rfft": lambda L, x, w: L.fft.rfft(x).abs(), "fft": lambda L, x, w: L.fft.fft(x).abs(),
    "rfftn": lambda L, x, w: L.fft.rfftn(x).abs(), "fft2": lambda L, x, w: L.fft.fft2(x).abs(),
    "polar": lambda L, x, w: L.polar(x, x).real, "mm": lambda L, x, w: x @ w.T,
    "bmm": lambda L, x, w: L.bmm(x[None], w.T[None]), "linear": lambda L, x, w: L.nn.functional.linear(x, w),
    "linear bias": lambda L, x, w: L.nn.functional.linear(x, w, L.ones(4)),
    "addmm": lambda L, x, w: L.addmm(L.ones(4), x, w.T),
    "linear_cross_entropy": lambda L, x, w: L.nn.functional.linear_cross_entropy(x, w, L.tensor([1, 3])),
}


@pytest.mark.parametrize("name,grads,changed", [
    (n, g, c) for n in AFTER_FORWARD for g in ("input", "weight", "both") for c in ("input", "weight")])
def test_version_errors_after_the_forward_as_torch(name, grads, changed):
    def run(L):
        x0 = L.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], requires_grad=grads != "weight")
        w0 = L.tensor([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5], [0.0, 2.0, 1.0], [1.5, 0.5, -0.5]],
                      requires_grad=grads != "input")
        x, w = x0 * 1, w0 * 1
        y = AFTER_FORWARD[name](L, x, w)
        (x if changed == "input" else w).add_(1)
        y.sum().backward()
        return "ok"
    _same(run)
