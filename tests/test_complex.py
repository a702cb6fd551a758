"""Complex tensors on the cpu against torch: dtypes and promotion, creation, printing, the real/imag views,
elementwise ops and torch's refusals, autograd under torch's convention (the conjugate Wirtinger derivative),
meta-llama's RoPE, save/load both ways; complex results on webgpu, and the refusal without NumPy."""

from __future__ import annotations

import io
import math
import warnings

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

RNG = np.random.default_rng(0)
A = RNG.standard_normal((2, 3)) + 1j * RNG.standard_normal((2, 3))
B = RNG.standard_normal(3) + 1j * RNG.standard_normal(3)
CDTYPES = ["complex64", "complex128"]
KINDS = ["bool", "int64", "float16", "float32", "float64", "complex64", "complex128"]


def _run(fn):
    try:
        return "ok", fn()
    except Exception as e:  # noqa: BLE001 (the exception is what is compared)
        return "err", (type(e).__name__, str(e))


def _values(t):
    t = t.detach()
    if isinstance(t, torch.Tensor):
        return t.resolve_conj().numpy()
    return np.array(t.tolist(), dtype=pyfront_np(t.dtype)).reshape(tuple(t.shape))


def pyfront_np(d):
    return np.dtype(d.name if d.name != "bool" else "bool")


def _same(expected, actual, tol=1e-5):
    """torch's result and pyfront's agree: both raise the same error, or give tensors of one dtype, shape,
    values and printing."""
    assert expected[0] == actual[0], (expected, actual)
    if expected[0] == "err":
        assert expected[1] == actual[1]
        return
    e, a = expected[1], actual[1]
    assert str(e.dtype) == str(a.dtype) and tuple(e.shape) == tuple(a.shape), (e, a)
    np.testing.assert_allclose(_values(a), _values(e), rtol=tol, atol=tol)


def _both(fn, tol=1e-5):
    _same(_run(lambda: fn(torch)), _run(lambda: fn(pyfront)), tol)


def _t(lib, arr, dtype, **kw):
    return lib.tensor(arr, dtype=getattr(lib, dtype), **kw)


# -- dtypes --------------------------------------------------------------------------------
def test_dtype_names_and_queries():
    for name in ("complex32", "complex64", "complex128", "cfloat", "cdouble", "chalf"):
        d, td = getattr(pyfront, name), getattr(torch, name)
        assert repr(d) == repr(td) and d.is_complex and not d.is_floating_point
        assert d.itemsize == td.itemsize
    z = pyfront.tensor([1j])
    assert z.is_complex() and not z.is_floating_point() and pyfront.is_complex(z)
    assert z.type() == "torch.ComplexFloatTensor" and z.cdouble().type() == "torch.ComplexDoubleTensor"


@pytest.mark.parametrize("a", KINDS)
def test_promotion_with_complex_as_torch(a):
    for b in KINDS:
        assert repr(pyfront.promote_types(getattr(pyfront, a), getattr(pyfront, b))) == repr(
            torch.promote_types(getattr(torch, a), getattr(torch, b))
        ), (a, b)


@pytest.mark.parametrize(
    "make",
    [
        lambda L: L.tensor([1 + 2j, 3]),
        lambda L: L.tensor(2.5j),
        lambda L: L.tensor([[1, 2], [3j, 4]]),
        lambda L: L.tensor([1.5, -2], dtype=L.cdouble),
        lambda L: L.tensor([1 + 1j], dtype=L.float32),
        lambda L: L.zeros(2, 3, dtype=L.cfloat),
        lambda L: L.ones(2, dtype=L.complex128),
        lambda L: L.full((2,), 1 - 1j),
        lambda L: L.full((2,), 1j, dtype=L.float32),
        lambda L: L.empty(2, dtype=L.cfloat).zero_(),
        lambda L: L.complex(L.tensor([1.0, 2]), L.tensor([3.0, -4])),
        lambda L: L.complex(L.tensor([1.0]), L.tensor([3.0], dtype=L.float64)),
        lambda L: L.complex(L.tensor([1]), L.tensor([3])),
        lambda L: L.polar(L.tensor([1.0, 2.0]), L.tensor([0.3, -1.0])),
        lambda L: L.polar(L.tensor([1.0], dtype=L.float64), L.tensor([0.3])),
        lambda L: L.ones(3) + 1j,
        lambda L: L.tensor([1, 2]) * (2 - 1j),
        lambda L: L.ones(2, dtype=L.float64) + 1j,
        lambda L: L.tensor([1 + 2j]).to(L.float32),
        lambda L: L.tensor([1.5 + 2j]).long(),
        lambda L: L.tensor([0j, 1j]).bool(),
        lambda L: L.tensor([1.5, 2]).cfloat(),
    ],
)
def test_creation_and_casts_as_torch(make):
    _both(make)


def test_item_tolist_and_randn():
    z = pyfront.tensor([[1 + 2j, -0.5j]])
    assert z.tolist() == torch.tensor([[1 + 2j, -0.5j]]).tolist()
    assert z[0, 1].item() == complex(torch.tensor(-0.5j).item()) and complex(z[0, 0]) == 1 + 2j
    for d in CDTYPES:
        pyfront.manual_seed(3)
        r = pyfront.randn(4, 5, dtype=getattr(pyfront, d))
        pyfront.manual_seed(3)
        pairs = pyfront.randn(4, 5, 2, dtype=pyfront.float64 if d == "complex128" else pyfront.float32)
        assert str(r.dtype) == f"torch.{d}" and r.shape == (4, 5)
        np.testing.assert_allclose(
            _values(pyfront.view_as_real(r)), _values(pairs) * math.sqrt(0.5), rtol=1e-6
        )


# -- printing --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make",
    [
        lambda L: L.tensor([1.5 + 2j, -3 - 0.25j, 1e5j]),
        lambda L: L.tensor([[1.5 + 2j, -3 - 0.25j], [1e-5j, 2]]),
        lambda L: L.tensor([float("nan") + 1j, float("inf") - 2j]),
        lambda L: L.tensor(3 + 0j),
        lambda L: L.tensor(-0.0 - 0.0j),
        lambda L: L.tensor([], dtype=L.cfloat),
        lambda L: L.tensor([1j], dtype=L.cdouble),
        lambda L: L.tensor([1 + 1j, 2], requires_grad=True),
        lambda L: L.arange(40.0).to(L.cfloat).reshape(4, 10) * (1 - 2j),
        lambda L: L.arange(2004.0).to(L.cfloat) * (1 + 0.5j),
        lambda L: L.tensor([[1e-8 + 3j, 2], [100, -1j]], dtype=L.cdouble),
        lambda L: L.view_as_complex(L.tensor([[0.123456, -7.5], [3.0, 1e-3]])),
    ],
)
def test_printing_as_torch(make):
    assert repr(make(pyfront)) == repr(make(torch))


# -- views --------------------------------------------------------------------------------
def test_real_imag_and_view_as_real_share_memory():
    for lib in (torch, pyfront):
        z = lib.tensor([[1 + 2j, 3 - 4j], [5j, -6]])
        z.real[0, 0] = 7
        z.imag.mul_(2)
        v = lib.view_as_real(z)
        v[1, 1, 0] = -1
        c = lib.view_as_complex(v.transpose(0, 1).contiguous().transpose(0, 1))
        yield_ = (
            z.tolist(),
            tuple(v.shape),
            v.stride(),
            z.t().imag.stride(),
            z[1:].real.storage_offset(),
            c.tolist(),
            z.real.stride(),
        )
        if lib is torch:
            expected = yield_
    assert yield_ == expected


@pytest.mark.parametrize(
    "call",
    [
        lambda L: L.view_as_real(L.randn(3, 4)),
        lambda L: L.view_as_complex(L.randn(3, 4)),
        lambda L: L.view_as_complex(L.randn(6, 2).t().contiguous().t()),
        lambda L: L.view_as_complex(L.randn(3, 3)[:, 1:]),
        lambda L: L.view_as_complex(L.randn(7)[1:].view(3, 2)),
        lambda L: L.view_as_complex(L.ones(3, 2).long()),
        lambda L: L.view_as_complex(L.ones(2)),
        lambda L: L.ones(3, 4).imag,
        lambda L: L.imag(L.ones(2)),
        lambda L: L.real(L.ones(2)),
        lambda L: L.view_as_complex(L.arange(12.0).reshape(2, 3, 2)[:, :2]),
    ],
)
def test_view_checks_as_torch(call):
    _both(call)


# -- elementwise ops, reductions and refusals ----------------------------------------------------------------
UNARY = (
    "neg exp log sqrt sin cos tan tanh sigmoid reciprocal rsqrt square abs angle sgn sign floor ceil round "
    "trunc frac relu log2 log10 exp2 expm1 log1p asin acos atan sinh cosh asinh acosh atanh erf lgamma isnan "
    "isinf isfinite isreal logical_not conj conj_physical resolve_conj real imag sum mean prod cumsum max "
    "min argmax argmin amax sort argsort clone flatten norm var std"
).split()
BINARY = "add sub mul div pow eq ne lt gt le ge maximum minimum remainder fmod atan2 floor_divide".split()


@pytest.mark.parametrize("dtype", CDTYPES)
@pytest.mark.parametrize("name", UNARY)
def test_unary_ops_as_torch(name, dtype):
    _both(
        lambda L: getattr(L, name)(_t(L, A, dtype)) if hasattr(L, name) else getattr(_t(L, A, dtype), name)()
    )


@pytest.mark.parametrize("dtype", CDTYPES)
@pytest.mark.parametrize("name", BINARY)
def test_binary_ops_as_torch(name, dtype):
    _both(lambda L: getattr(L, name)(_t(L, A, dtype), _t(L, B, dtype)), 1e-4)
    _both(lambda L: getattr(L, name)(_t(L, A, dtype), L.tensor(B.real, dtype=L.float64)), 1e-4)
    _both(lambda L: getattr(L, name)(_t(L, A, dtype), 2.5), 1e-4)
    _both(lambda L: getattr(L, name)(_t(L, A, dtype), 1 - 2j), 1e-4)


@pytest.mark.parametrize(
    "call",
    [
        lambda L: _t(L, A, "complex64") @ _t(L, B, "complex64"),
        lambda L: L.vdot(_t(L, B, "cfloat"), _t(L, B * 2, "cfloat")),
        lambda L: L.dot(_t(L, B, "cfloat"), _t(L, B * 2, "cfloat")),
        lambda L: L.tensor([1, 2, 3]) * _t(L, B, "cdouble"),
        lambda L: _t(L, A, "cfloat").sum(0),
        lambda L: _t(L, A, "cfloat").mean(1, keepdim=True),
        lambda L: L.where(L.tensor([True, False, True]), _t(L, A, "cfloat"), _t(L, B, "cfloat")),
        lambda L: L.cat([_t(L, A, "cfloat"), _t(L, A, "cfloat")]),
        lambda L: _t(L, A, "cfloat").t().reshape(-1),
        lambda L: _t(L, A, "cfloat").topk(1),
        lambda L: _t(L, A, "cfloat").max(0),
        lambda L: _t(L, A, "cfloat").clamp(0, 1),
        lambda L: L.linalg.vector_norm(_t(L, A, "cdouble")),
        lambda L: _t(L, A, "cfloat").abs().dtype and L.zeros(1),
    ],
)
def test_other_ops_as_torch(call):
    _both(call, 1e-4)


# -- autograd --------------------------------------------------------------------------------
def _grads(lib, fn, arrays, dtypes):
    xs = [lib.tensor(a, dtype=getattr(lib, d), requires_grad=True) for a, d in zip(arrays, dtypes)]
    out = fn(lib, *xs)
    out.backward()
    return [_values(x.grad) for x in xs], type(out.grad_fn).__name__


def _loss(lib, z):
    """A real number from any tensor, depending on every real and imaginary part."""
    parts = lib.view_as_real(z.resolve_conj()) if z.dtype.is_complex else z
    weights = lib.arange(parts.numel(), dtype=parts.dtype).reshape(parts.shape).sin()
    return (parts * weights).sum()


GRADS = {
    "mul": (lambda L, z, w: _loss(L, z * w), ["c", "c"]),
    "div": (lambda L, z, w: _loss(L, z / w), ["c", "c"]),
    "add_sub": (lambda L, z, w: _loss(L, (z + w) - 2 * w), ["c", "c"]),
    "real_times_complex": (lambda L, x, w: _loss(L, x * w), ["r", "c"]),
    "exp_log_sqrt": (lambda L, z: _loss(L, z.exp() + z.log() + z.sqrt() + z.sin() * z.cos()), ["c"]),
    "pow": (lambda L, z: _loss(L, z**2 + z**0.5 + z.reciprocal()), ["c"]),
    "abs": (lambda L, z: _loss(L, z.abs()), ["c"]),
    "angle": (lambda L, z: _loss(L, z.angle()), ["c"]),
    "sgn": (lambda L, z: _loss(L, z.sgn()), ["c"]),
    "conj": (lambda L, z: _loss(L, z.conj() * z), ["c"]),
    "real_imag": (lambda L, z: _loss(L, z.real * 2 - z.imag**2), ["c"]),
    "view_as_real": (lambda L, z: _loss(L, L.view_as_real(z).exp()), ["c"]),
    "view_as_complex": (lambda L, x: _loss(L, L.view_as_complex(x.reshape(-1, 2)) ** 2), ["r"]),
    "polar": (lambda L, r, t: _loss(L, L.polar(r, t)), ["r", "r"]),
    "complex": (lambda L, r, t: _loss(L, L.complex(r, t) * (1 + 2j)), ["r", "r"]),
    "matmul": (lambda L, z, w: _loss(L, z.reshape(2, 3) @ w.reshape(3, 2)), ["c", "c"]),
    "sum_mean_prod": (lambda L, z: _loss(L, z.sum() * z.mean(0).prod()), ["c"]),
    "norm": (lambda L, z: L.linalg.vector_norm(z), ["c"]),
    "var_std": (lambda L, z: z.var() + z.std(correction=0), ["c"]),
    "lerp": (lambda L, z, w: _loss(L, L.lerp(z, w, 0.3 + 0.2j) + L.lerp(z, w * 2, w.conj())), ["c", "c"]),
    "adjoint": (
        lambda L, z: _loss(L, z.reshape(2, 3).mH @ z.reshape(2, 3)) + _loss(L, z.reshape(3, 2).adjoint()),
        ["c"],
    ),
}


@pytest.mark.parametrize("dtype", CDTYPES)
@pytest.mark.parametrize("name", list(GRADS))
def test_gradients_as_torch(name, dtype):
    fn, kinds = GRADS[name]
    real = "float64" if dtype == "complex128" else "float32"
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal(6) + (1j * rng.standard_normal(6) if k == "c" else 0) + 0.5 for k in kinds]
    dtypes = [dtype if k == "c" else real for k in kinds]
    expected, node = _grads(torch, fn, arrays, dtypes)
    actual, _ = _grads(pyfront, fn, arrays, dtypes)
    for e, a in zip(expected, actual):
        assert a.dtype == e.dtype
        np.testing.assert_allclose(a, e, rtol=1e-4, atol=1e-5)


def test_grad_nodes_and_complex_backward_refusal():
    for lib in (torch, pyfront):
        x = lib.randn(2, 2, requires_grad=True)
        z = lib.view_as_complex(x)
        names = [
            type(t.grad_fn).__name__
            for t in (
                z,
                lib.view_as_real(z),
                z.conj_physical(),
                z.abs(),
                z.angle(),
                z * z,
                z.real,
                lib.polar(x, x),
                lib.complex(x, x),
            )
        ]
        err = _run((z * z).sum().backward)
        if lib is torch:
            expected = names, err
    assert (names, err) == expected


# -- meta-llama's RoPE ---------------------------------------------------------------------------------------
def _rope(lib, xq, xk):
    """meta-llama/llama model.py's precompute_freqs_cis, reshape_for_broadcast and apply_rotary_emb."""
    dim, end = xq.shape[-1], xq.shape[1]
    freqs = 1.0 / (10000.0 ** (lib.arange(0, dim, 2)[: (dim // 2)].float() / dim))
    t = lib.arange(end, device=freqs.device)
    freqs_cis = lib.polar(lib.ones_like(lib.outer(t, freqs).float()), lib.outer(t, freqs).float())
    xq_ = lib.view_as_complex(xq.float().reshape(*xq.shape[:-1], -1, 2))
    xk_ = lib.view_as_complex(xk.float().reshape(*xk.shape[:-1], -1, 2))
    shape = [d if i == 1 or i == xq_.ndim - 1 else 1 for i, d in enumerate(xq_.shape)]
    freqs_cis = freqs_cis.view(*shape)
    xq_out = lib.view_as_real(xq_ * freqs_cis).flatten(3)
    xk_out = lib.view_as_real(xk_ * freqs_cis).flatten(3)
    return xq_out.type_as(xq), xk_out.type_as(xk)


def test_llama_rope_forward_and_backward_as_torch():
    rng = np.random.default_rng(2)
    q, k = rng.standard_normal((2, 5, 3, 8)), rng.standard_normal((2, 5, 3, 8))
    results = []
    for lib in (torch, pyfront):
        xq = lib.tensor(q, dtype=lib.float32, requires_grad=True)
        xk = lib.tensor(k, dtype=lib.float32, requires_grad=True)
        oq, ok = _rope(lib, xq, xk)
        (oq.sin().sum() + (ok * ok).sum()).backward()
        results.append(
            (_values(oq), _values(ok), _values(xq.grad), _values(xk.grad), type(oq.grad_fn).__name__)
        )
    for e, a in zip(*results):
        if isinstance(e, str):
            assert e == a
        else:
            np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-5)


# -- save / load --------------------------------------------------------------------------------
def test_save_and_load_cross_with_torch():
    z = torch.tensor([[1 + 2j, -3.5j], [0.25, 7 - 1j]])
    zd = z.to(torch.complex128)[:, 1]
    buf = io.BytesIO()
    torch.save({"a": z, "b": zd, "dtype": torch.complex64}, buf)
    buf.seek(0)
    got = pyfront.load(buf)
    assert repr(got["a"]) == repr(z) and repr(got["b"]) == repr(zd) and got["dtype"] is pyfront.complex64
    buf = io.BytesIO()
    pyfront.save({"a": got["a"], "b": got["b"]}, buf)
    buf.seek(0)
    back = torch.load(buf)
    assert torch.equal(back["a"], z) and torch.equal(back["b"], zd) and back["b"].dtype == torch.complex128


# -- complex results on webgpu, and where complex numbers cannot go -----------------------------------------
def _complex_from_real(lib, device):
    """Calls whose result (or a step's: irfft, hfft) is complex though every operand is a real tensor: the
    transforms, polar, complex, view_as_complex, eig (the cpu's, as the other decompositions on webgpu)."""
    x = lib.arange(8.0, device=device)
    grid = x.reshape(2, 4)
    square = lib.tensor([[2.0, 1.0, 0.0], [0.5, 3.0, 1.0], [0.0, -1.0, 1.0]], device=device)
    window = lib.hann_window(8, device=device)
    fft = lib.fft
    return (lambda: fft.fft(x), lambda: fft.rfft(x), lambda: fft.rfft2(grid), lambda: fft.rfftn(grid),
            lambda: fft.ihfft(x), lambda: fft.ihfft2(grid), lambda: fft.irfft(x), lambda: fft.hfft(x),
            lambda: fft.rfft(x.clone().requires_grad_()),
            lambda: lib.stft(x.repeat(4), 8, window=window, return_complex=True),
            lambda: lib.polar(x, x), lambda: lib.complex(x, x),
            lambda: lib.view_as_complex(x.reshape(4, 2)),
            lambda: lib.linalg.eig(square)[0], lambda: lib.linalg.eigvals(square))


@requires_webgpu
def test_webgpu_complex_results_are_torchs():
    """Each was refused on webgpu (WGSL has no complex type): complex64 is held there as float32 pairs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (eig's cpu fallback says so once)
        calls = zip(_complex_from_real(torch, "cpu"), _complex_from_real(pyfront, "webgpu"))
        for want_call, got_call in calls:
            want, got = want_call().detach(), got_call()
            assert got.device.type == "webgpu" and str(got.dtype) == str(want.dtype)
            torch.testing.assert_close(torch.tensor(got.cpu().tolist(), dtype=want.dtype), want, rtol=1e-3,
                                       atol=1e-4)


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_numpy_free_cpu_refuses_complex_with_the_way_out(dtype):
    """Only NumPy's arrays hold complex numbers on the cpu: without NumPy, the float pairs are the way out."""
    from pyfront.backends.pure import PureBackend

    with pytest.raises(TypeError) as caught:
        PureBackend().from_list([1j], getattr(pyfront, dtype))
    way = "torch.view_as_real(t)" + ("" if dtype == "complex64" else ".float()")
    assert str(caught.value) == (f"Cannot hold a {dtype} Tensor on the cpu device: Python without NumPy "
                                 "(as in the browser build) has no complex numbers. Hold its real and "
                                 "imaginary parts as float32 pairs instead, a last dim of 2 "
                                 f"({way} gives them)")


def test_complex32_is_a_name_only():
    with pytest.raises(TypeError, match="no complex32 storage"):
        pyfront.zeros(2, dtype=pyfront.complex32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert torch.zeros(2, dtype=torch.complex32).dtype == torch.chalf  # (torch has it: the name is real)
