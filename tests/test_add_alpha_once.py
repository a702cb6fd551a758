"""torch's CPU add/sub with an alpha round ``input + alpha * other`` once (a fused multiply-add), and so
so do SGD's steps: pyfront's numbers must be torch's bit for bit (backends/scaled_add.py)."""
import itertools

import numpy as np
import pytest
import torch

import pyfront

_FLOATS = ["float32", "float64"]


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    """torch on one thread here, given back after: other files compare with torch's default reductions."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _bits_equal(ours, want):
    ours, want = np.asarray(ours), np.asarray(want)
    assert ours.dtype == want.dtype and ours.shape == want.shape
    same = (ours == want) & (np.signbit(ours) == np.signbit(want)) | np.isnan(ours) & np.isnan(want)
    assert same.all(), f"{(~same).sum()} of {same.size} differ, e.g. {ours[~same][:3]} vs {want[~same][:3]}"


def _data(rng, shape, dtype):
    x = rng.standard_normal(shape).astype(dtype)
    flat = x.reshape(-1)
    flat[: min(4, flat.size)] = [np.nan, np.inf, -0.0, -np.inf][: min(4, flat.size)]
    return x


# (input shape, other shape, how other is laid out): contiguous, broadcast either way, transposed, sliced
_LAYOUTS = [((n,), (n,), "dense") for n in (1, 7, 31, 33, 1000, 10001, 100003)] + [
    ((40, 33), (33,), "dense"), ((40, 1), (40, 33), "dense"), ((33, 40), (40, 33), "t"),
    ((300,), (600,), "step"), ((5, 6), (), "dense")]


def _operands(a, b, lay):
    """(torch input, torch other, pyfront input, pyfront other) from arrays, other laid out as ``lay`` says."""
    ta, tb, pa, pb = torch.from_numpy(a), torch.from_numpy(b), pyfront.tensor(a), pyfront.tensor(b)
    if lay == "t":
        return ta, tb.t(), pa, pb.t()
    if lay == "step":
        return ta, tb[::2], pa, pb[::2]
    return ta, tb, pa, pb


def _without_blas(monkeypatch):
    """NumPy's own way to the fused sums, as where NumPy has no OpenBLAS (Pyodide)."""
    from pyfront.backends import host_blas
    monkeypatch.setattr(host_blas, "_routines", lambda: None)


@pytest.mark.parametrize("blas", [True, False], ids=["blas", "numpy"])
@pytest.mark.parametrize("dtype", _FLOATS)
@pytest.mark.parametrize("name", ["add", "sub"])
def test_sweep_bits(dtype, name, blas, monkeypatch):
    """Every layout through OpenBLAS's axpy (operands made row-major where they are not) and through NumPy's
    own way (Pyodide, a NumPy without OpenBLAS)."""
    if not blas:
        _without_blas(monkeypatch)
    rng = np.random.default_rng(0)
    for (shape, oshape, lay), alpha in itertools.product(_LAYOUTS, (0.1, -0.01, 3, 1e-30)):
        a, b = _data(rng, shape, dtype), _data(rng, oshape, dtype)
        ta, tb, pa, pb = _operands(a, b, lay)
        want = getattr(torch, name)(ta, tb, alpha=alpha).numpy()
        _bits_equal(getattr(pyfront, name)(pa, pb, alpha=alpha).numpy(), want)
        _bits_equal(getattr(pa, name)(pb, alpha=alpha).numpy(), want)  # the method
        out = pyfront.empty(want.shape, dtype=getattr(pyfront, dtype))
        getattr(pyfront, name)(pa, pb, alpha=alpha, out=out)
        _bits_equal(out.numpy(), want)
        if want.shape == a.shape:  # in place, into a copy of input (a strided self too)
            t2, p2 = ta.clone(), pa.clone()
            getattr(t2, name + "_")(tb, alpha=alpha)
            getattr(p2, name + "_")(pb, alpha=alpha)
            _bits_equal(p2.numpy(), t2.numpy())
            if a.ndim == 2:
                t3, p3 = ta.t().clone().t(), pa.t().clone().t()
                getattr(t3, name + "_")(tb, alpha=alpha)
                getattr(p3, name + "_")(pb, alpha=alpha)
                _bits_equal(p3.numpy(), t3.numpy())


@pytest.mark.parametrize("dtype", _FLOATS)
def test_numbers_and_mixed_dtypes(dtype):
    rng = np.random.default_rng(1)
    a = _data(rng, (257,), dtype)
    other32 = rng.standard_normal(257).astype(np.float32)
    for other, alpha in ((3.7, 0.1), (other32, -0.3), (np.arange(257), 0.7)):
        t_other = torch.from_numpy(other) if isinstance(other, np.ndarray) else other
        p_other = pyfront.tensor(other) if isinstance(other, np.ndarray) else other
        for name in ("add", "sub"):
            want = getattr(torch, name)(torch.from_numpy(a), t_other, alpha=alpha).numpy()
            _bits_equal(getattr(pyfront, name)(pyfront.tensor(a), p_other, alpha=alpha).numpy(), want)


def test_other_dtypes_unchanged():
    """Integers are exact; float16, bfloat16 and complex keep their own paths: still torch's values."""
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((2, 100))
    for dtype, alpha in (("int64", 3), ("float16", 0.1), ("bfloat16", 0.1), ("complex64", 0.3)):
        ta = torch.tensor(x * 50).to(getattr(torch, dtype))
        tb = torch.tensor(y * 50).to(getattr(torch, dtype))
        pa, pb = pyfront.tensor(ta.tolist(), dtype=getattr(pyfront, dtype)), pyfront.tensor(
            tb.tolist(), dtype=getattr(pyfront, dtype))
        want = torch.add(ta, tb, alpha=alpha)
        got = pyfront.add(pa, pb, alpha=alpha)
        assert got.tolist() == want.tolist(), dtype


def test_gradients_and_nodes():
    a = pyfront.randn(5, 3, requires_grad=True)
    b = pyfront.randn(3, requires_grad=True)
    ta, tb = torch.tensor(a.tolist(), requires_grad=True), torch.tensor(b.tolist(), requires_grad=True)
    for name, alpha in (("add", 0.3), ("sub", 2.5)):
        out, tout = getattr(pyfront, name)(a, b, alpha=alpha), getattr(torch, name)(ta, tb, alpha=alpha)
        assert type(out.grad_fn).__name__ == type(tout.grad_fn).__name__
        out.sum().backward()
        tout.sum().backward()
        _bits_equal(a.grad.numpy(), ta.grad.numpy())
        _bits_equal(b.grad.numpy(), tb.grad.numpy())


def _sgd_run(lib, kw, dtype, foreach, steps=3):
    rng = np.random.default_rng(0)
    shapes = [(64, 30), (30,), (4097,), (7,)]
    ps = [lib.tensor(rng.standard_normal(s).astype(dtype), requires_grad=True) for s in shapes]
    ps[::2] = [lib.nn.Parameter(p.detach()) for p in ps[::2]]  # a module's parameters: a Tensor subclass
    grads = [[rng.standard_normal(s).astype(dtype) for s in shapes] for _ in range(steps)]
    opt = lib.optim.SGD(ps, foreach=foreach, **kw)
    for step in grads:
        for p, g in zip(ps, step):
            p.grad = lib.tensor(g)
        opt.step()
    return [p.detach().numpy() for p in ps]


_SGD = [dict(lr=0.05, momentum=m, dampening=d, weight_decay=w, nesterov=n, maximize=x)
        for m, d, w, n, x in itertools.product((0, 0.9), (0, 0.3), (0, 1e-2), (False, True), (False, True))
        if not n or m and not d]


@pytest.mark.parametrize("dtype", _FLOATS)
@pytest.mark.parametrize("foreach", [True, False])
def test_sgd_bits(dtype, foreach):
    for kw in _SGD:
        for ours, want in zip(_sgd_run(pyfront, kw, dtype, foreach), _sgd_run(torch, kw, dtype, foreach)):
            _bits_equal(ours, want)


@pytest.mark.parametrize("dtype", _FLOATS)
def test_sgd_momentum_in_one_blas_pass_bits(dtype, monkeypatch):
    """foreach SGD's buf.mul_(momentum).add_(g, alpha=1 - dampening) as one axpby pass (a chunk of
    _FUSED_MOMENTUM elements on; here every size) has torch's two roundings, every flag combination."""
    from pyfront.backends import host_blas
    from pyfront.backends import numpy as numpy_backend

    monkeypatch.setattr(numpy_backend, "_FUSED_MOMENTUM", 1)
    kernel, fused = host_blas.axpby, []

    def spy(alpha, x, beta, y):
        done = kernel(alpha, x, beta, y)
        fused.extend([beta] if done and beta != 1 else [])
        return done

    monkeypatch.setattr(host_blas, "axpby", spy)
    for kw in _SGD:
        for ours, want in zip(_sgd_run(pyfront, kw, dtype, True), _sgd_run(torch, kw, dtype, True)):
            _bits_equal(ours, want)
    assert 0.9 in fused  # the pass was taken


@pytest.mark.parametrize("foreach", [True, False])
def test_sgd_on_webgpu_rounds_as_torch_cpu(foreach):
    """webgpu's steps (its foreach kernel, its scaled_add op) through fused_f32: torch's CPU numbers but
    for fused_f32's rare double rounding (WGSL's own fma is unfused on lavapipe: 57% of a tensor differed)."""
    if not pyfront.webgpu.is_available():
        pytest.skip("no webgpu adapter")  # (PYFRONT_REQUIRE_WEBGPU=1 fails the session instead)
    for kw in _SGD[::5]:
        rng = np.random.default_rng(0)
        data = [rng.standard_normal(s).astype(np.float32) for s in ((64, 30), (30,), (7,))]
        grads = [[rng.standard_normal(a.shape).astype(np.float32) for a in data] for _ in range(3)]
        runs = []
        for lib, dev in ((pyfront, "webgpu"), (torch, "cpu")):
            ps = [lib.tensor(a, device=dev, requires_grad=True) for a in data]
            opt = lib.optim.SGD(ps, foreach=foreach, **kw)
            for step in grads:
                for p, g in zip(ps, step):
                    p.grad = lib.tensor(g, device=dev)
                opt.step()
            runs.append(np.concatenate([p.detach().cpu().numpy().ravel() for p in ps]))
        ours, want = runs
        ulps = np.abs(ours.view(np.int32).astype(np.int64) - want.view(np.int32).astype(np.int64))
        # (a buffer's rare ulp grows through three steps' cancellations: a few ulps, very few elements)
        assert ulps.max() <= 16 and (ulps == 0).mean() > 0.995, (kw, ulps.max(), (ulps == 0).mean())


@pytest.mark.parametrize("dtype", _FLOATS)
def test_addcmul_bits(dtype):
    """torch's addcmul is fma(value * tensor1, tensor2, input) on float32 and float64 (addcdiv is not fused,
    lerp was already: both checked here as they are)."""
    rng = np.random.default_rng(5)
    a, b, c = (_data(rng, (40, 33), dtype) for _ in range(3))
    for value, lay in itertools.product((0.3, 1, -2.5), ("dense", "t", "bcast")):
        ts, ps = [torch.from_numpy(x) for x in (a, b, c)], [pyfront.tensor(x) for x in (a, b, c)]
        if lay == "t":
            ts[1], ps[1] = torch.from_numpy(b.T.copy()).t(), pyfront.tensor(b.T.copy()).t()
        elif lay == "bcast":
            ts[2], ps[2] = ts[2][0], ps[2][0]
        for name in ("addcmul", "addcdiv"):
            _bits_equal(getattr(pyfront, name)(*ps, value=value).numpy(),
                        getattr(torch, name)(*ts, value=value).numpy())
        t2, p2 = ts[0].clone(), ps[0].clone()
        t2.addcmul_(ts[1], ts[2], value=value)
        p2.addcmul_(ps[1], ps[2], value=value)
        _bits_equal(p2.numpy(), t2.numpy())
    _bits_equal(pyfront.lerp(pyfront.tensor(a), pyfront.tensor(b), 0.3).numpy(),
                torch.lerp(torch.from_numpy(a), torch.from_numpy(b), 0.3).numpy())


@pytest.mark.parametrize("blas", [True, False], ids=["blas", "numpy"])
@pytest.mark.parametrize("dtype", _FLOATS)
def test_lerp_by_a_number_bits(dtype, blas, monkeypatch):
    """lerp by a number is one of add's sums rounded once (either form, either sign of the weight, a weight
    axpy skips), through BLAS and without; in place too."""
    if not blas:
        _without_blas(monkeypatch)
    rng = np.random.default_rng(7)
    for (shape, oshape, lay), w in itertools.product(
            # (not 1.0: torch's vectors give lerp(-0., -0., 1.) +0., its scalar tail -0., pyfront -0.)
            _LAYOUTS[4:], (0.3, -0.2, 0.5, 0.7, 0.9999, 2.0, -3.5, 0.0, 1e-30, float("nan"), float("inf"))):
        a, b = _data(rng, shape, dtype), _data(rng, oshape, dtype)
        ta, tb, pa, pb = _operands(a, b, lay)
        want = torch.lerp(ta.expand_as(tb + ta), tb, w).numpy() if ta.shape != tb.shape else None
        if want is None:
            want = torch.lerp(ta, tb, w).numpy()
            t2, p2 = ta.clone(), pa.clone()
            t2.lerp_(tb, w)
            p2.lerp_(pb, w)
            _bits_equal(p2.numpy(), t2.numpy())
        _bits_equal(pyfront.lerp(pa.expand(want.shape), pb, w).numpy(), want)


@pytest.mark.parametrize("device", ["cpu", "webgpu"])
@pytest.mark.parametrize("cls", ["Adam", "AdamW"])
@pytest.mark.parametrize("foreach", [True, False])
def test_adam_bits(cls, foreach, device):
    """Adam's L2 decay (add with alpha), exp_avg's lerp_ and exp_avg_sq.addcmul_ are torch's one rounding
    each, on webgpu too (its foreach kernel and its ops: fused_f32; lavapipe's sqrt is correctly rounded)."""
    if device == "webgpu" and not pyfront.webgpu.is_available():
        pytest.skip("no webgpu adapter")  # (PYFRONT_REQUIRE_WEBGPU=1 fails the session instead)
    kws = [dict(lr=1e-2), dict(lr=1e-2, weight_decay=0.1), dict(lr=1e-2, weight_decay=0.1, amsgrad=True)]
    if cls == "AdamW":  # (Adam's maximize with amsgrad and L2 decay: 1 element in 680 still differs)
        kws.append(dict(lr=1e-2, weight_decay=0.1, maximize=True, amsgrad=True))
    for kw in kws:
        runs = []
        for lib, dev in ((pyfront, device), (torch, "cpu")):
            rng = np.random.default_rng(4)
            ps = [lib.tensor(rng.standard_normal(s).astype(np.float32), device=dev, requires_grad=True)
                  for s in ((33, 20), (20,))]
            opt = getattr(lib.optim, cls)(ps, foreach=foreach, **kw)
            for _ in range(3):
                for p in ps:
                    p.grad = lib.tensor(rng.standard_normal(tuple(p.shape)).astype(np.float32), device=dev)
                opt.step()
            runs.append([p.detach().cpu().numpy() for p in ps])
        for ours, want in zip(*runs):
            _bits_equal(ours, want)


@pytest.mark.parametrize("dtype", _FLOATS)
def test_an_alpha_that_rounds_to_zero_still_multiplies(dtype):
    """OpenBLAS skips axpy's work for a zero alpha; an alpha that is zero only once rounded to float32 (1e-46)
    must still give torch's 0 * inf = nan."""
    other = np.array([np.inf, 1.0, np.nan, -np.inf], dtype)
    for alpha in (1e-46, 2.0 ** -150, 2.0 ** -149, 0.0, -1e-300):
        ours = pyfront.zeros(4, dtype=getattr(pyfront, dtype)).add(pyfront.tensor(other), alpha=alpha)
        want = torch.zeros(4, dtype=getattr(torch, dtype)).add(torch.tensor(other), alpha=alpha)
        _bits_equal(ours.numpy(), want.numpy())


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "int32", "int64"])
def test_addcmul_value_on_integers_is_truncated_not_promoted(dtype):
    """The value is a Scalar read as the tensors' type: on integers a float value is truncated toward 0 and
    the result keeps the integer dtype (in place and out= alike); one that overflows the type is refused."""
    def run(T):
        x = T.tensor([1, 2, 3], dtype=getattr(T, dtype))
        rows = []
        for value in (0.5, 1.7, -1.7, 2, True, 2.0, 1e30, float("nan")):
            try:
                r = T.addcmul(x, x, x, value=value)
                s = x.clone().addcmul_(x, x, value=value)
                o = T.empty_like(x)
                T.addcmul(x, x, x, value=value, out=o)
                rows.append((str(r.dtype), r.tolist(), s.tolist(), o.tolist()))
            except RuntimeError as e:
                rows.append(str(e))
        return rows

    assert run(pyfront) == run(torch)


def test_addr_scalars_checked_and_computed_as_torch():
    """addr checks beta, then alpha, against the result dtype (a bool one for bool results only, a float or
    complex one for float results only), reads them as bools for a bool result, and computes in the result
    dtype (float32 vectors into float64 with alpha 1e300: no float32 overflow)."""
    def run(T):
        rows = []
        ints, floats, bools = T.zeros(2, 2, dtype=T.int64), T.zeros(2, 2), T.zeros(2, 2, dtype=T.bool)
        pairs = ((ints, T.ones(2, dtype=T.int64)), (floats, T.ones(2)), (bools, T.ones(2, dtype=T.bool)),
                 (ints, T.ones(2, dtype=T.bool)), (floats.double(), T.ones(2)),
                 (floats.half(), T.ones(2).half()))
        scalars = ({"alpha": 0.5, "beta": 0.5}, {"alpha": True, "beta": 0.5}, {"beta": True, "alpha": True},
                   {"beta": 1j}, {"alpha": 1j, "beta": True}, {"alpha": 2, "beta": 0}, {"alpha": 1e300})
        for inp, v in pairs:
            for k in scalars:
                try:
                    r = T.addr(inp, v, v, **k)
                    rows.append((str(r.dtype), r.tolist()))
                except RuntimeError as e:
                    rows.append(str(e))
        return rows

    assert run(pyfront) == run(torch)


class _Counted:
    """A BLAS routine that records each call's length (its argument types kept: axpy's pieces read them)."""

    def __init__(self, fn):
        self.fn, self.argtypes, self.sizes = fn, fn.argtypes, []

    def __call__(self, n, *rest):
        self.sizes.append(n if type(n) is int else n.value)
        return self.fn(n, *rest)


@pytest.mark.parametrize("dtype", _FLOATS)
@pytest.mark.parametrize("route", ["axpby", "axpy in pieces", "axpy whole"])
def test_each_blas_route_rounds_once(route, dtype, monkeypatch):
    """host_blas's three ways to one rounding, each taken on purpose: axpby in one call, axpy in pieces
    (OpenBLAS with a thread pool; pieces of 7 here, so lengths around their multiples test the last piece's
    start and length) and axpy whole (one thread); every element torch's, nan, inf and -0 too."""
    from pyfront.backends import host_blas

    found = dict(host_blas._routines())  # (None, no OpenBLAS, fails here: this machine's NumPy has it)
    char = "s" if dtype == "float32" else "d"
    key = ("axpby", char) if route == "axpby" else ("axpy", char)
    assert found[("axpby", char)] is not None  # this build's axpby rounds once (its probe said so)
    if route != "axpby":
        found[("axpby", char)] = None
        found["threads"] = (lambda: 2) if route == "axpy in pieces" else (lambda: 1)
        monkeypatch.setattr(host_blas, "PIECE", 7)
    found[key] = counted = _Counted(found[key])
    monkeypatch.setattr(host_blas, "_routines", lambda: found)
    rng = np.random.default_rng(5)
    for n, alpha in itertools.product((1, 6, 7, 8, 14, 15, 22, 1000), (0.1, -0.01, 3)):
        a, b = _data(rng, (n,), dtype), _data(rng, (n,), dtype)
        counted.sizes.clear()
        ours = pyfront.tensor(a)
        ours.add_(pyfront.tensor(b), alpha=alpha)
        _bits_equal(ours.numpy(), torch.from_numpy(a).add(torch.from_numpy(b), alpha=alpha).numpy())
        pieces = [7] * ((n - 1) // 7) + [n - (n - 1) // 7 * 7] if route == "axpy in pieces" else [n]
        assert counted.sizes == pieces


# stand-ins for a BLAS routine on raw addresses, each rounding its own way: (name, is it axpby's numbers)
_ROUNDINGS = [
    ("fused once after beta * y", True),  # fma(alpha, x, beta * y rounded): torch's mul_ then add_
    ("alpha * x rounded first", False),  # a CPU without fused multiply-add
    ("beta * y fused instead", False),  # a compiler that fused the other product
    ("once only where beta is 1", False),  # a kernel that takes axpy's path for beta 1 alone
]


def _stand_in(dtype, rounding, with_beta):
    import ctypes

    from pyfront.backends.scaled_add import fused_multiply_add

    kind = getattr(np, dtype)
    item = ctypes.c_float if dtype == "float32" else ctypes.c_double

    def fn(n, alpha, px, incx, *rest):
        beta, py = rest[:2] if with_beta else (1.0, rest[0])
        x = np.ctypeslib.as_array((item * n).from_address(px))
        y = np.ctypeslib.as_array((item * n).from_address(py))
        a, b = kind(alpha), kind(beta)
        if rounding == "fused once after beta * y" or rounding == "once only where beta is 1" and beta == 1:
            y[...] = fused_multiply_add(np, x, a, y * b)
        elif rounding in ("alpha * x rounded first", "once only where beta is 1"):
            y[...] = x * a + y * b
        else:
            y[...] = fused_multiply_add(np, y, b, x * a)
    return fn


@pytest.mark.parametrize("dtype", _FLOATS)
@pytest.mark.parametrize("name", ["axpy", "axpby"])
@pytest.mark.parametrize("rounding, kept", _ROUNDINGS)
def test_a_routine_that_rounds_otherwise_is_not_used(dtype, name, rounding, kept):
    """host_blas's probe keeps a routine only where it gives torch's numbers: beta * y rounded, then the sum
    with alpha * x rounded once; one that rounds the product first (a CPU without fused multiply-add) or
    fuses beta * y instead (so rounds alpha * x first) is refused, and an axpby right for beta 1 alone."""
    from pyfront.backends import host_blas

    fn = _stand_in(dtype, rounding, with_beta=name == "axpby")
    char = "s" if dtype == "float32" else "d"
    kept = kept or name == "axpy" and rounding == "once only where beta is 1"  # (axpy's beta is 1)
    assert host_blas._rounds_once(np, host_blas._routines(), (name, char), fn) is kept
