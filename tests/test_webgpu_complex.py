"""complex64 on webgpu against torch: held as float32 pairs (to/cpu/item/printing/save round-trip bit for
bit), its views (view_as_real/complex, real, imag, conj), the elementwise kernels, sums, products and the
FFT family (forward and backward), within the GPU tolerances; complex128 refused as float64 is, and the ops
without a complex kernel refused by name."""
import io
import math

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

pytestmark = requires_webgpu

# a real and imaginary part each: signed zeros, an infinity, a NaN, small and large parts
_RE = [1.5, -2.0, 0.0, -0.0, 3.25, 1e-3, -7.0, float("inf"), 0.5, float("nan"), 1e20, -0.75]
_IM = [-0.5, 2.0, 0.0, 1.0, -0.0, 4.0, 1e-4, 1.0, -3.0, 0.5, 2e19, 0.25]


def _pair(lib, n=None, device="cpu"):
    re, im = _RE[:n], _IM[:n]
    z = lib.complex(lib.tensor(re), lib.tensor(im)).to(device)
    w = lib.complex(lib.tensor(im[::-1]), lib.tensor(re[::-1])).to(device)
    return z, w


def _host(t):
    """A pyfront tensor's values as a torch tensor (through Python numbers: no pyfront -> torch shortcut)."""
    t = t.cpu()
    dtype = {"complex64": np.complex64, "float32": np.float32, "bool": np.bool_}[str(t.dtype).split(".")[1]]
    return torch.from_numpy(np.array(t.tolist(), dtype=dtype).reshape(tuple(t.shape)))


def _close(got, want, rtol=1e-3, atol=1e-5):
    assert got.dtype == want.dtype and got.shape == want.shape
    torch.testing.assert_close(got, want, rtol=rtol, atol=atol, equal_nan=True)


def test_storage_round_trips_bit_for_bit():
    z, _ = _pair(torch)
    g = pyfront.tensor(z.tolist(), device="webgpu")
    assert g.dtype is pyfront.complex64 and g.device.type == "webgpu"
    assert np.array(g.cpu().tolist(), np.complex64).view(np.uint32).tolist() == \
        z.numpy().view(np.uint32).tolist()
    assert g[4].item() == z[4].item() and repr(g[:3]) == repr(z[:3]).replace(")", ", device='webgpu:0')")
    buf = io.BytesIO()
    pyfront.save(g.reshape(3, 4).t(), buf)
    buf.seek(0)
    assert torch.equal(torch.load(buf).view(torch.int64), z.reshape(3, 4).t().view(torch.int64))


def test_views_share_the_pairs():
    for lib, device in ((torch, "cpu"), (pyfront, "webgpu")):
        z, _ = _pair(lib, 4, device)
        parts = lib.view_as_real(z)
        parts[1, 1] = 9.0  # a write through the float view is the complex tensor's
        z.imag[2] = -4.0
        c = z.conj()
        seen = [lib.view_as_complex(parts.flip(0).contiguous()), z.real, z.imag, c, c.imag, c.resolve_conj()]
        if lib is torch:
            want = seen
        else:
            assert c.is_conj() and c.imag._base is not None
            for g, w in zip(seen, want):
                _close(_host(g), w, 0, 0)


# op name -> (torch function over z, w complex and x real)
OPS = {
    "add": lambda L, z, w, x: z + w,
    "sub": lambda L, z, w, x: z - w,
    "mul": lambda L, z, w, x: z * w,
    "div": lambda L, z, w, x: z / w,
    "neg": lambda L, z, w, x: -z,
    "reciprocal": lambda L, z, w, x: z.reciprocal(),
    "mixed": lambda L, z, w, x: z * x + 2.5 - (1 - 2j) * z,
    "scalar_div": lambda L, z, w, x: (3 + 4j) / z,
    "abs": lambda L, z, w, x: z.abs(),
    "angle": lambda L, z, w, x: z.angle(),
    "exp": lambda L, z, w, x: z.exp(),
    "expm1": lambda L, z, w, x: z.expm1(),
    "log1p": lambda L, z, w, x: z.log1p(),
    "log": lambda L, z, w, x: z.log(),
    "sqrt": lambda L, z, w, x: z.sqrt(),
    "rsqrt": lambda L, z, w, x: z.rsqrt(),
    "exp2": lambda L, z, w, x: z.exp2(),
    "log2": lambda L, z, w, x: z.log2(),
    "log10": lambda L, z, w, x: z.log10(),
    "sin": lambda L, z, w, x: z.sin(),
    "cos": lambda L, z, w, x: z.cos(),
    "tan": lambda L, z, w, x: z.tan(),
    "sinh": lambda L, z, w, x: z.sinh(),
    "cosh": lambda L, z, w, x: z.cosh(),
    "tanh": lambda L, z, w, x: (z * 3).tanh(),
    "sigmoid": lambda L, z, w, x: z.sigmoid(),
    "square": lambda L, z, w, x: z ** 2,
    "pow": lambda L, z, w, x: z ** (0.5 - 1j),
    "sgn": lambda L, z, w, x: z.sgn(),
    "polar": lambda L, z, w, x: L.polar(x.abs(), x),
    "complex": lambda L, z, w, x: L.complex(x, x * 2),
    "eq": lambda L, z, w, x: z == w,
    "ne": lambda L, z, w, x: z != z,
    "isnan": lambda L, z, w, x: z.isnan(),
    "isinf": lambda L, z, w, x: z.isinf(),
    "isfinite": lambda L, z, w, x: z.isfinite(),
    "not": lambda L, z, w, x: L.logical_not(z),
    "where": lambda L, z, w, x: L.where(x > 0, z, w),
    "float": lambda L, z, w, x: z.real.float() + x.cfloat(),
    "sum": lambda L, z, w, x: z.reshape(3, 4).sum(0),
    "prod": lambda L, z, w, x: z.reshape(3, 4).prod(-1),
    "cumsum": lambda L, z, w, x: z.reshape(3, 4).cumsum(-1),
    "cumprod": lambda L, z, w, x: z.reshape(3, 4).cumprod(0),
    "any_all_nonzero": lambda L, z, w, x: L.cat([
        (z * (x > 0)).reshape(3, 4).any(0), (z * (x > 0)).all(0, True), (z * (x > 0)).nonzero()[:, 0] > 4]),
    "scatter": lambda L, z, w, x: z.reshape(3, 4).scatter(-1, L.tensor([[3, 0]] * 3, device=z.device),
                                                          w.reshape(3, 4)[:, :2]),
    "scatter_add": lambda L, z, w, x: z.reshape(3, 4).scatter_add(-1, L.tensor([[1, 1]] * 3, device=z.device),
                                                                  w.reshape(3, 4)[:, 1:3]),
    "scatter_mean": lambda L, z, w, x: z.reshape(3, 4).scatter_reduce(
        0, L.tensor([[2, 0, 2, 2]], device=z.device), w.reshape(3, 4)[1:], "mean"),
    "index_put_acc": lambda L, z, w, x: z.reshape(3, 4).index_put(
        (L.tensor([2, 0, 2], device=z.device),), w.reshape(3, 4)[0], accumulate=True),
    "mean": lambda L, z, w, x: z.mean(),
    "matmul": lambda L, z, w, x: z.reshape(3, 4) @ w.reshape(4, 3),
    "bmm": lambda L, z, w, x: z.reshape(2, 2, 3).transpose(1, 2) @ w.reshape(2, 2, 3),
    "cat_index": lambda L, z, w, x: L.cat([z[x > 0], w.flip(0)])[L.tensor([0, 3, 5], device=z.device)],
}
# the operands without non-finite parts, where the formulas are torch's only up to rounding
_FINITE = {"exp", "log", "sqrt", "rsqrt", "sin", "cos", "sigmoid", "pow", "polar", "matmul", "bmm", "sum",
           "mean", "expm1", "log1p", "cumprod", "exp2", "log2", "log10", "tan", "sinh", "cosh", "tanh",
           "prod", "cumsum", "scatter_add", "scatter_mean", "index_put_acc", "div", "scalar_div",
           "reciprocal", "sgn", "square", "mixed"}


@pytest.mark.parametrize("name", sorted(OPS))
def test_elementwise_and_products_against_torch(name):
    want_args, got_args = _pair(torch), _pair(pyfront, device="webgpu")
    x = [0.5, -1.25, 2.0, 0.0, -3.0, 1.0, 0.25, -0.5, 4.0, -2.5, 0.75, 1.5]
    if name in _FINITE:  # the parts made finite and moderate
        want_args = [torch.complex(*(p.nan_to_num(0, 5, -5).clamp(-5, 5) for p in (t.real, t.imag)))
                     for t in want_args]
        got_args = [pyfront.tensor(t.tolist(), device="webgpu") for t in want_args]
    want = OPS[name](torch, *want_args, torch.tensor(x))
    got = OPS[name](pyfront, *got_args, pyfront.tensor(x, device="webgpu"))
    _close(_host(got), want)


def test_tiny_parts_keep_their_digits():
    """Parts far below the others (tanh near +-1, sinh of a large real part) to torch's relative accuracy,
    where the absolute tolerance would pass any small number."""
    z = torch.tensor([12 + 0.7j, -11 - 2j, 30 + 1j, 1e-3 + 2e-4j, -0.5 + 1e-6j])
    g = pyfront.tensor(z.tolist(), device="webgpu")
    for fn in ("tanh", "tan", "exp", "sin", "sinh", "log", "expm1", "log1p"):
        arg_t, arg_g = (z / 10, g / 10) if fn == "tan" else (z, g)
        # each part on its own (a complex tolerance is relative to the whole number's magnitude)
        _close(torch.view_as_real(_host(getattr(arg_g, fn)())), torch.view_as_real(getattr(arg_t, fn)()),
               rtol=2e-5, atol=0)


def test_special_values_are_cs():
    """torch's complex kernels are C's at zero, infinity and NaN: pow is cpow, exp(y log x) with C's complex
    product (infinities recovered) and C's exp (e^-inf is 0 whatever the angle), so 0j ** 0 tensor exponents
    are NaN and 0j ** -1 inf + nanj; division is Smith's, 1 / 0j inf + nanj; csqrt(x + infj) is inf + infj."""
    inf, nan = math.inf, math.nan
    bases = [0j, 0j, 0j, 0j, 0j, complex(inf, nan), complex(inf, 0), complex(-inf, 1), complex(2, inf),
             -2 + 0j, 1e30 + 1e30j, complex(nan, 1)]
    powers = [2 + 0j, 0j, 0.5 + 0j, -1 + 0j, 1j, -3 + 0j, 2 + 1j, 1 + 0j, 0.5j, 0.5 + 0j, 2 + 0j, 2 + 0j]
    want = torch.pow(torch.tensor(bases), torch.tensor(powers))
    got = pyfront.pow(pyfront.tensor(bases, device="webgpu"), pyfront.tensor(powers, device="webgpu"))
    _close(torch.view_as_real(_host(got)), torch.view_as_real(want), rtol=1e-5, atol=1e-6)
    divisors = [0j, 0j, 1 + 1j, complex(inf, inf), complex(inf, 0), 1 + 1j, complex(0, -0.0), 0.25 + 7j,
                complex(-0.0, 0), 1e30 - 1e30j, 1e-30 + 1e-30j, complex(nan, 0)]
    for divisor in (divisors, [d.real for d in divisors]):  # (a real one cast in the fused chain)
        want = torch.tensor(bases) / torch.tensor(divisor)
        got = pyfront.tensor(bases, device="webgpu") / pyfront.tensor(divisor, device="webgpu")
        _close(torch.view_as_real(_host(got)), torch.view_as_real(want), rtol=1e-5, atol=1e-6)
    _close(torch.view_as_real(_host(pyfront.tensor(bases, device="webgpu").sgn())),
           torch.view_as_real(torch.tensor(bases).sgn()), rtol=1e-5, atol=1e-6)
    edges = [complex(inf, nan), complex(inf, inf), complex(-inf, inf), complex(inf, 1), complex(nan, 0),
             complex(-inf, nan), 0j, complex(-0.0, 0.0), complex(-inf, 2), complex(2, -inf), 1 + 1j]
    for fn in ("exp", "sqrt", "reciprocal", "rsqrt", "sigmoid"):  # (the last three: C's 1 / 0j is inf + nanj)
        _close(torch.view_as_real(_host(getattr(pyfront.tensor(edges, device="webgpu"), fn)())),
               torch.view_as_real(getattr(torch.tensor(edges), fn)()), rtol=1e-6, atol=0)


# every pair of parts from zeros, finite numbers, infinities, NaN and an overflowing one
_PARTS = (0.0, -0.0, 1.5, -2.0, math.inf, -math.inf, math.nan, 1e30)
_GRID = [complex(x, y) for x in _PARTS for y in _PARTS[:-1]]


@pytest.mark.parametrize("fn", ["exp", "expm1", "exp2", "log", "log1p", "log2", "log10", "sqrt", "rsqrt",
                                "reciprocal", "sigmoid", "sin", "cos", "tan", "sinh", "cosh", "tanh"])
def test_unary_special_values_are_torchs(fn):
    """C's values (Annex G, glibc's, what torch's kernels call) where a part is 0, inf or NaN."""
    got = _host(getattr(pyfront.tensor(_GRID, device="webgpu"), fn)())
    want = getattr(torch.tensor(_GRID), fn)()
    _close(torch.view_as_real(got), torch.view_as_real(want), rtol=1e-4, atol=1e-6)


def test_complex128_and_kernelless_ops_are_refused():
    with pytest.raises(TypeError, match=r"^Cannot convert a complex128 Tensor to webgpu: WGSL has no 64-bit "
                                        r"floats\. Convert it with \.cfloat\(\) first\.$"):
        pyfront.tensor([1j], dtype=pyfront.complex128).to("webgpu")
    z = pyfront.tensor([1 + 1j, 2j], device="webgpu")
    with pytest.raises(RuntimeError, match=r'^"asin" has no WebGPU kernel for complex64 tensors yet; move '
                                           r"the tensors to the cpu device$"):
        z.asin()


# the transforms: power-of-two lengths (the Stockham kernel), others (the DFT product, Bluestein's past
# 512), several dims, strided inputs, norms
FFTS = {
    "fft": lambda L, z, x: L.fft.fft(z), "ifft_dim0": lambda L, z, x: L.fft.ifft(z, dim=0, norm="ortho"),
    "fft_n": lambda L, z, x: L.fft.fft(z, n=5, norm="forward"),
    "fft2": lambda L, z, x: L.fft.fft2(z.transpose(0, 1)),
    "rfft": lambda L, z, x: L.fft.rfft(x), "rfft_odd": lambda L, z, x: L.fft.rfft(x[:, :7], norm="ortho"),
    "irfft": lambda L, z, x: L.fft.irfft(z[:, :5]), "irfft_n": lambda L, z, x: L.fft.irfft(z, n=9),
    "rfftn": lambda L, z, x: L.fft.rfftn(x), "irfftn": lambda L, z, x: L.fft.irfftn(z[:, :5], s=(6, 8)),
    "hfft": lambda L, z, x: L.fft.hfft(z[:, :3]),
    "fft_bluestein": lambda L, z, x: L.fft.fft(z[:2], n=600)[:, ::50],  # (past DFT_MAX: Bluestein's)
    "irfft_bluestein": lambda L, z, x: L.fft.irfft(z[:2], n=1030, norm="forward")[:, 3::97],
    "stft": lambda L, z, x: L.stft(x.reshape(-1), 8, hop_length=4, window=L.hann_window(8, device=x.device),
                                   return_complex=True),
}


@pytest.mark.parametrize("name", sorted(FFTS))
def test_fft_family_forward_and_backward(name):
    rs = np.random.RandomState(0)
    parts, real, weight = rs.randn(6, 8, 2), rs.randn(6, 8), rs.randn(96)
    results = []
    for lib, device in ((torch, "cpu"), (pyfront, "webgpu")):
        z = lib.view_as_complex(lib.tensor(parts.tolist(), device=device)).requires_grad_()
        x = lib.tensor(real.tolist(), device=device).requires_grad_()
        out = FFTS[name](lib, z, x)
        w = lib.tensor(weight[:out.numel()].tolist(), device=device).reshape(out.shape)
        loss = (lib.view_as_real(out * w) if out.is_complex() else out * w).sum()
        loss.backward()
        results.append([out, z.grad, x.grad])
    for want, got in zip(*results):
        if want is None:
            assert got is None
            continue
        _close(_host(got), want.detach(), atol=1e-4)


def test_a_long_power_of_two_transform():
    """2^17 points (DESIGN.md: every kernel past 2^17): 17 stages, each a butterfly per invocation."""
    n = 1 << 17
    t = torch.arange(n, dtype=torch.float32)
    x = torch.sin(t * (2 * math.pi * 5 / n)) + 0.5 * torch.cos(t * (2 * math.pi * 1000 / n))
    spectrum = pyfront.fft.rfft(pyfront.tensor(x.tolist(), device="webgpu"))
    _close(_host(spectrum), torch.fft.rfft(x), atol=2e-2)
    _close(_host(pyfront.fft.irfft(spectrum, n=n)), x, atol=1e-5)  # (the Hermitian spectrum's kernel too)


def test_long_folds():
    """Sums, products and scans of 2^18 complex numbers: their multi-pass kernels' complex partials."""
    n = 1 << 18
    t = torch.arange(n, dtype=torch.float32)
    z = torch.polar(1 + 1e-6 * torch.cos(t), t * 1e-3)
    g = pyfront.polar(1 + 1e-6 * pyfront.arange(n, device="webgpu").float().cos(),
                      pyfront.arange(n, device="webgpu").float() * 1e-3)
    _close(_host(g.sum()), z.sum(), atol=1e-2)
    _close(_host(g.reshape(512, 512).prod(1)), z.reshape(512, 512).prod(1), rtol=1e-3, atol=1e-3)
    _close(_host(g.cumsum(0)[::4099]), z.cumsum(0)[::4099], atol=1e-2)
