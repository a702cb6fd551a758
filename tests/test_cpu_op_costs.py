"""Ops whose cpu cost was of the wrong kind (issue 13), held to the right one by structure, not timing:
cummax/cummin a fixed number of kernels whatever the length (not a doubling scan's log2(n) rounds), sorting
a stable argsort only of rows with equal elements (NumPy's quicker one gives the others' one order), topk and
kthvalue a partition (never an order of the whole row); and each against torch on edge values (NaN, ties,
-0.0, inf, empty, integer dtypes), both directions and every dim."""
import math
import re

import numpy as np
import pytest
import torch

import pyfront
from pyfront.ops.primitives import tie_order

_SPECIAL = np.array([0.0, -0.0, 1.0, -1.0, np.nan, np.inf, -np.inf, 2.5], np.float32)


def _aten_events(fn):
    fn()  # planned once outside
    with pyfront.profiler.profile(activities=[pyfront.profiler.ProfilerActivity.CPU]) as prof:
        fn()
    return [e.name for e in prof.events() if e.name.startswith("aten::")]


@pytest.mark.parametrize("name", ["cummax", "cummin"])
def test_running_extremes_run_a_fixed_number_of_kernels(name):
    def events(n):
        x = pyfront.randn(3, n)
        return _aten_events(lambda: getattr(pyfront, name)(x, 1))
    assert events(4) == events(4096)


class _CountingNumpy:
    """NumPy as tie_order sees it, with every argsort's row length and kind written down."""

    def __init__(self):
        self.argsorts = []

    def __getattr__(self, name):
        return getattr(np, name)

    def argsort(self, a, axis=-1, kind=None):
        self.argsorts.append((np.shape(a)[axis], kind))
        return np.argsort(a, axis=axis, kind=kind)


@pytest.fixture
def counted(monkeypatch):
    spy = _CountingNumpy()
    monkeypatch.setattr(tie_order, "np", spy)
    return spy.argsorts


def test_topk_and_kthvalue_never_order_a_whole_row(counted):
    x = pyfront.randn(6, 1000)  # no ties: every row has one order
    for largest in (True, False):
        x.topk(7, largest=largest)
    x.kthvalue(300)
    assert counted and all(n <= 7 for n, _ in counted), counted


def test_rows_without_ties_are_not_sorted_stably(counted):
    x = pyfront.randn(6, 1000)
    x.sort()
    x.sort(descending=True, stable=True)
    x.argsort(dim=0)
    assert counted and all(kind != "stable" for _, kind in counted), counted


def test_rows_with_ties_are_ordered_once(counted):
    """Rows holding equal elements (labels: fewer values than elements) get their stable sort alone, no
    unstable order or partition first, which they would throw away."""
    labels = pyfront.tensor(np.random.default_rng(0).integers(0, 10, (4, 500)))
    labels.sort()
    labels.topk(3)
    labels.argsort(stable=True)
    assert counted and all(kind == "stable" for _, kind in counted), counted


def _cases(rng):
    for n in (1, 2, 5, 40, 129):
        yield rng.choice(_SPECIAL, size=(3, n))
        yield rng.standard_normal((3, n)).astype(np.float32)
        yield rng.integers(-3, 3, (2, n)).astype(np.int64)
        yield rng.permutation(2 * n).reshape(2, n).astype(np.int32)
        yield rng.standard_normal((2, n)).astype(np.float16)
    yield np.zeros((0, 4), np.float32)


def _same(got, want):
    got, want = np.ascontiguousarray(got.numpy()), np.ascontiguousarray(want.numpy())
    assert got.dtype == want.dtype and got.shape == want.shape
    if got.dtype.kind == "f":  # bit for bit: -0.0 and NaN too
        got, want = got.view(np.uint8), want.view(np.uint8)
    np.testing.assert_array_equal(got, want)


def test_orders_and_running_extremes_match_torch_on_edge_values():
    rng = np.random.default_rng(0)
    for a in _cases(rng):
        for dim in (0, -1):
            n = a.shape[dim]
            ours, theirs = pyfront.tensor(a), torch.tensor(a)
            for desc in (False, True):
                _same(pyfront.sort(ours, dim, desc).indices, torch.sort(theirs, dim, desc).indices)
                _same(pyfront.argsort(ours, dim=dim, descending=desc, stable=True),
                      torch.argsort(theirs, dim=dim, descending=desc, stable=True))
            for k in {0, min(1, n), n // 2, n}:
                for largest in (True, False):
                    for sort in (True, False):
                        got, want = ours.topk(k, dim, largest, sort), theirs.topk(k, dim, largest, sort)
                        _same(got.indices, want.indices)
                        _same(got.values, want.values)
                if a.size and k >= 1:
                    _same(ours.kthvalue(k, dim).indices, theirs.kthvalue(k, dim).indices)
            if a.size:
                _same(ours.median(dim).values, theirs.median(dim).values)
                for name in ("cummax", "cummin"):
                    got, want = getattr(ours, name)(dim), getattr(theirs, name)(dim)
                    _same(got.values, want.values)
                    _same(got.indices, want.indices)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
def test_whole_medians_of_signed_zeros_are_torchs(dtype):
    """median() and nanmedian() of a whole tensor whose median is a zero among -0.0 and 0.0: the one torch's
    std::nth_element leaves at the middle of its clone (memory order: a transposed or sliced input too)."""
    rng = np.random.default_rng(12)
    for shape in ((4, 5), (6, 7), (20, 30)):
        a = np.where(rng.random(shape) < 0.5, -0.0, 0.0)
        a[rng.random(shape) < 0.2], a[rng.random(shape) < 0.2] = 1.0, -1.0
        b = a.copy()
        b[0, 0] = np.nan
        for arr in (a, b):
            ours, theirs = (lib.tensor(arr).to(getattr(lib, dtype)) for lib in (pyfront, torch))
            for view in (lambda t: t, lambda t: t.t(), lambda t: t[:, ::2]):
                for name in ("median", "nanmedian"):
                    got, want = getattr(view(ours), name)(), getattr(view(theirs), name)()
                    assert str(got.float().item()) == str(want.float().item()), (shape, name)


@pytest.mark.parametrize("dtype", ["bool", "uint8"])
def test_running_extremes_of_narrow_dtypes(dtype):
    a = np.random.default_rng(1).integers(0, 3, (4, 9)).astype(dtype)
    for name in ("cummax", "cummin"):
        got, want = getattr(pyfront.tensor(a), name)(1), getattr(torch.tensor(a), name)(1)
        _same(got.values, want.values)
        _same(got.indices, want.indices)


def test_running_extremes_gradient_as_torch():
    a = np.random.default_rng(2).choice(_SPECIAL[:4], size=(5, 6))  # ties and signed zeros
    ours = pyfront.tensor(a, requires_grad=True)
    theirs = torch.tensor(a, requires_grad=True)
    for name in ("cummax", "cummin"):
        got, want = getattr(ours.T, name)(1), getattr(theirs.T, name)(1)
        assert got.values.grad_fn.name() == want.values.grad_fn.name()
        got.values.sum().backward()
        want.values.sum().backward()
    _same(ours.grad, theirs.grad)


@pytest.mark.parametrize("seed", [0, 2**32 + 5, 2**64 - 1])
@pytest.mark.parametrize("offset", [0, 3, 2**33 + 1])
def test_philox_words_written_in_place_are_the_stream(seed, offset):
    """The NumPy Philox (its rounds in place) against the pure-Python one, word for word, unaligned too."""
    from pyfront.backends import philox
    from pyfront.backends.numpy import philox_words
    for n in (0, 1, 6, 37):
        assert philox_words(n, seed, offset).tolist() == philox.words(n, seed, offset)


def test_histc_counts_without_selecting_the_elements_inside():
    """Every element goes to a bin (one outside adds 0): no masked select's nonzero and index passes."""
    x = pyfront.randn(1000)
    assert "aten::nonzero" not in _aten_events(lambda: pyfront.histc(x, 7, -0.5, 0.5))


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_histc_matches_torch_on_edge_values(dtype):
    rng = np.random.default_rng(3)
    special = np.append(_SPECIAL, [0.5, -0.5, 3e4, -3e4])
    for args in [(10,), (5, -1.0, 1.0), (3, 0.0, 2.5), (1, 0.0, 0.0), (7, -0.5, 0.5), (9, -6e4, 6e4)]:
        for a in (rng.choice(special, 60).astype(dtype), rng.standard_normal(500).astype(dtype)):
            if len(args) == 1 or args[1] == args[2]:  # the data's range: finite data (else torch refuses)
                a = a[np.isfinite(a)]
            _same(pyfront.histc(pyfront.tensor(a), *args), torch.histc(torch.tensor(a), *args))


class _NoGridNumpy:
    """NumPy for a rule, refusing np.ix_: a grid of broadcast keys, one index array per dim."""

    def __getattr__(self, name):
        if name == "ix_":
            raise AssertionError("a grid of broadcast keys")
        return getattr(np, name)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_gather_and_scatter_along_a_dim_index_flat_positions(dim):
    """gather and scatter's reductions take one flat index into the row-major result (NumPy's take and
    ufunc.at on one index run several times faster than on a grid), with the grid's elements in its order."""
    from pyfront.ops.primitives.indexing import _gather_np, _scatter_np
    rng = np.random.default_rng(4)
    x = rng.standard_normal((4, 6, 5)).astype(np.float32).transpose(1, 0, 2)  # (6, 4, 5), strided
    index = rng.integers(0, x.shape[dim], (5, 3, 4))
    src = rng.standard_normal(index.shape).astype(np.float32)
    part = [slice(0, n) for n in index.shape]
    part[dim] = slice(None)
    np.testing.assert_array_equal(_gather_np(_NoGridNumpy(), x, index, dim),
                                  np.take_along_axis(x[tuple(part)], index, dim))
    want = x.copy()
    key = list(np.ix_(*[np.arange(n) for n in index.shape]))
    key[dim] = index
    np.add.at(want, tuple(key), src)  # in the grid's order, one element at a time
    got = _scatter_np(_NoGridNumpy(), x, index, src, dim, "sum", True)
    np.testing.assert_array_equal(got.view(np.uint32), want.view(np.uint32))


def test_nan_to_num_is_one_kernel_on_the_cpu():
    x = pyfront.tensor([1.0, float("nan"), float("inf"), -float("inf")])
    assert _aten_events(lambda: pyfront.nan_to_num(x, 2.0)) == ["aten::nan_to_num"]


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
def test_nan_to_num_matches_torch(dtype):
    """Values, layouts and the node, replacements past the dtype's range too; the gradient torch's, the
    incoming one times isfinite (test_inf_cotangents: NaN for an infinite one, -0 for a negative one)."""
    a = np.random.default_rng(5).choice(np.append(_SPECIAL, [3e38, 65504.0]), (4, 6))
    for kw in ({}, {"nan": 1.5, "posinf": 1e300, "neginf": -1e300}, {"neginf": 0.5, "nan": -0.0}):
        for view in (lambda t: t, lambda t: t.T, lambda t: t[:, ::2], lambda t: t[:, :1].expand(4, 6)):
            ours = pyfront.tensor(a).to(getattr(pyfront, dtype)).requires_grad_()
            theirs = torch.tensor(a).to(getattr(torch, dtype)).requires_grad_()
            got, want = pyfront.nan_to_num(view(ours), **kw), torch.nan_to_num(view(theirs), **kw)
            assert got.stride() == want.stride() and got.grad_fn.name() == want.grad_fn.name()
            _same(got.detach().float(), want.detach().float())
            got.sum().backward()
            want.sum().backward()
            _same(ours.grad.float(), theirs.grad.float())


def test_whole_nanmedian_is_one_kernel_on_the_cpu():
    """nanmedian() of a whole tensor: median's one sort, counting the NaN (was a stable sort, a gather, a
    NaN count and a clamp: 184 us at 1,000 elements for median's 13)."""
    x = pyfront.tensor(np.where(np.arange(40) % 7 == 0, np.nan, np.arange(40.0)))
    assert len(_aten_events(x.nanmedian)) == 1


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16", "int64", "uint8"])
def test_whole_nanmedian_matches_torch_on_edge_values(dtype):
    """Values by their bits (a zero's sign, which NaN), dtypes, a transposed input, all-NaN, empty and 0-d
    inputs, and the gradient shared among ties."""
    rng = np.random.default_rng(5)
    floating = dtype[0] in "fb"
    for size in (0, 1, 2, 5, 12):
        for trial in range(6):
            a = (rng.choice(_SPECIAL.astype(np.float64), size) if trial % 2 else rng.integers(-2, 3, size) * 0.5)
            a = np.full(size, np.nan) if trial == 4 and floating else a if floating else np.abs(a) * 2
            shape = (size,) if trial < 3 else (size, 1) if size else (0, 2)
            ours, theirs = (lib.tensor(a).reshape(shape).to(getattr(lib, dtype)) for lib in (pyfront, torch))
            if trial == 5:
                ours, theirs = ours.t(), theirs.t()
            if size == 1 and trial == 0:
                ours, theirs = ours.reshape(()), theirs.reshape(())
            got, want = ours.nanmedian(), theirs.nanmedian()
            assert str(got.dtype) == str(want.dtype)
            assert str(got.double().item()) == str(want.double().item()), (a, shape)
            if floating and size and dtype != "float16":
                ours, theirs = ours.detach().requires_grad_(), theirs.detach().requires_grad_()
                ours.nanmedian().backward()
                theirs.nanmedian().backward()
                np.testing.assert_array_equal(ours.grad.double().numpy(), theirs.grad.double().numpy())


@pytest.mark.parametrize("kind, a, b", [("normal", 0.0, 1.0), ("normal", 2.0, 3.0), ("uniform", -2.0, 5.0),
                                        ("randint", -3, 1000)])
def test_random_values_drawn_in_pieces_are_one_stream(monkeypatch, kind, a, b):
    """A large draw is made a piece at a time (its words and temporaries kept in cache): pieces of a few
    words give the values of one draw of them all, unaligned offsets too, and the pure-Python stream's where
    no libm function is involved."""
    from pyfront.backends import get_backend, numpy as backend, philox
    from pyfront import dtypes as dt
    cpu = get_backend(pyfront.empty(0)._storage.device)
    dtype = dt.int64 if kind == "randint" else dt.float64
    for offset in (0, 3, 10):
        whole = cpu.random(kind, 37, dtype, 11, offset, a, b).data.tolist()
        monkeypatch.setattr(backend, "_RANDOM_WORDS", 8)
        assert cpu.random(kind, 37, dtype, 11, offset, a, b).data.tolist() == whole
        monkeypatch.undo()
        if kind != "normal":
            assert whole == philox.random_values(kind, 37, 11, offset, a, b)


def test_searchsorted_runs_one_kernel_whatever_the_length():
    """One search kernel, not ceil(log2(n + 1)) rounds of gather and compare over whole tensors."""
    def events(n):
        seq, values = pyfront.sort(pyfront.randn(n)).values, pyfront.randn(5)
        return _aten_events(lambda: (pyfront.searchsorted(seq, values), pyfront.bucketize(values, seq),
                                     pyfront.searchsorted(seq.expand(2, n), values.expand(2, 5))))
    assert events(4) == events(4096)


def _search_cases(rng):
    """(boundaries, values): sorted rows with ties and signed zeros, NaN, inf, unsorted rows, empty ones."""
    for dtype in ("float32", "float64", "float16", "int64", "int32", "uint8"):
        pool = _SPECIAL if dtype.startswith("float") else np.arange(-2, 3)
        for n in (0, 1, 2, 7, 33):
            row = rng.choice(pool, n).astype(dtype)
            values = rng.choice(pool, (2, 6)).astype(dtype)
            yield np.sort(row), values  # (NaN last, as torch.sort)
            yield row, values  # unsorted: torch's own steps decide
            yield np.sort(rng.choice(pool, (2, n)).astype(dtype), -1), values
    yield np.zeros(3, np.float32), np.zeros((0, 2), np.float32)


def test_searchsorted_matches_torch_on_edge_values():
    rng = np.random.default_rng(4)
    for seq, values in _search_cases(rng):
        for right in (False, True):
            ours = pyfront.searchsorted(pyfront.tensor(seq), pyfront.tensor(values), right=right, out_int32=right)
            _same(ours, torch.searchsorted(torch.tensor(seq), torch.tensor(values), right=right, out_int32=right))
            if seq.ndim == 1:
                ours = pyfront.bucketize(pyfront.tensor(values).T, pyfront.tensor(seq), right=right)
                _same(ours, torch.bucketize(torch.tensor(values).T, torch.tensor(seq), right=right))


def test_igamma_methods_run_over_their_own_elements(monkeypatch):
    """Each of igamma's series and continued fraction loops until its slowest element converges: it gets only
    the elements whose value it gives (an x ~ a >> 1 fed to the fraction loops thousands of times)."""
    from pyfront.ops.primitives import cephes
    seen = []
    for name in ("_igam_series", "_igamc_series", "_igamc_fraction"):
        def spy(a, *rest, _method=getattr(cephes, name), _name=name):
            seen.append((_name, a.size))
            return _method(a, *rest)
        monkeypatch.setattr(cephes, name, spy)
    a, x = [0.5, 50.0, 2.0, 3.0], [100.0, 49.0, 0.3, 0.2]  # the fraction, then the series three times
    for lib in (pyfront, torch):
        _ = lib.igamma(lib.tensor(a), lib.tensor(x)), lib.igammac(lib.tensor(a), lib.tensor(x))
    assert sorted(seen) == [("_igam_series", 3), ("_igam_series", 3), ("_igamc_fraction", 1),
                            ("_igamc_fraction", 1)], seen
    torch.testing.assert_close(pyfront.igamma(pyfront.tensor(a), pyfront.tensor(x)).numpy(),
                               torch.igamma(torch.tensor(a), torch.tensor(x)).numpy())


class _CountingAll:
    """NumPy for a rule, counting np.all (the Bessel power series' test for its last term)."""

    def __init__(self):
        self.calls = 0

    def __getattr__(self, name):
        return getattr(np, name)

    def all(self, a):
        self.calls += 1
        return np.all(a)


@pytest.mark.parametrize("order", [0, 1])
def test_bessel_series_stops_once_its_terms_round_away(order):
    """i0/i1's power series adds terms until they can change no sum (a dozen for |x| <= 3, not 130), and its
    sums are those of all 130 terms, bit for bit; the asymptotic series runs only past |x| = 30."""
    from pyfront.ops.primitives import special
    x = np.concatenate([np.linspace(-3, 3, 61), [0.0, -0.0, 1e-300, 5e-324]])
    spy = _CountingAll()
    got = special._bessel_np(spy, x, order)
    assert 0 < spy.calls < 30, spy.calls
    term = (np.abs(x) / 2) ** order / math.factorial(order)
    total = term.copy()
    for k in range(1, 130):
        term = term * (np.abs(x) / 2) ** 2 / (k * (k + order))
        total = total + term
    _same(pyfront.tensor(got), pyfront.tensor(np.where(x < 0, -total, total) if order else total))
    wide = np.array([-np.inf, -40.0, 0.5, 29.0, 31.0, np.inf, np.nan], np.float32)
    for name in ("i0", "special.i0e", "special.i1", "special.i1e"):
        ours = eval(f"pyfront.{name}")(pyfront.tensor(wide))
        torch.testing.assert_close(ours.numpy(), eval(f"torch.{name}")(torch.tensor(wide)).numpy(), equal_nan=True)


@pytest.mark.parametrize("name", ["prod", "cumprod"])
def test_product_gradients_run_the_formula_of_their_input_alone(name):
    """prod's and cumprod's backward pick a formula by whether the input holds a zero (torch's choice): on the
    cpu, with no graph of the gradient recorded, only the picked one runs (no exclusive products, no running
    count of zeros for an input without one)."""
    x = pyfront.randn(4, 5, requires_grad=True)
    events = _aten_events(lambda: getattr(x, name)(1).sum().backward())
    assert "aten::cat" not in events and "aten::where" not in events, events


def _product_cases(rng):
    plain = rng.uniform(-2, 2, (3, 4, 5))
    yield plain
    for p in (0.05, 0.4):  # a zero in some rows, two or more in others
        yield np.where(rng.random(plain.shape) < p, rng.choice([0.0, -0.0], plain.shape), plain)
    yield rng.choice(_SPECIAL.astype(np.float64), plain.shape)
    yield rng.choice(_SPECIAL[2:].astype(np.float64), plain.shape)  # NaN and inf, no zero


def test_product_gradients_match_torch_on_edge_values():
    rng = np.random.default_rng(5)
    calls = [lambda m, x: x.prod(), lambda m, x: x.prod(1), lambda m, x: x.prod(-1, keepdim=True),
             lambda m, x: x.permute(2, 0, 1).prod(0), lambda m, x: x.cumprod(0), lambda m, x: x.cumprod(2),
             lambda m, x: x.permute(2, 0, 1).cumprod(1)]
    for a in _product_cases(rng):
        for dtype in ("float32", "float64"):
            for call in calls:
                grads = []
                for lib in (pyfront, torch):
                    x = lib.tensor(a.astype(dtype), requires_grad=True)
                    y = call(lib, x)
                    (y * lib.tensor(np.linspace(-1, 1, y.numel()).reshape(tuple(y.shape)).astype(dtype))).sum().backward()
                    grads.append(x.grad.numpy())
                np.testing.assert_allclose(*grads, rtol=1e-5, atol=1e-6, equal_nan=True)


def test_unique_along_a_dim_orders_rows_in_one_kernel():
    """unique(dim=...) orders its slices with one lexicographic sort, not a stable argsort per column."""
    def events(width):
        x = pyfront.randint(0, 2, (30, width))
        return _aten_events(lambda: pyfront.unique(x, dim=0, return_inverse=True, return_counts=True))
    assert events(2) == events(64)


def test_unique_along_a_dim_matches_torch_on_edge_values():
    rng = np.random.default_rng(6)
    for dtype in ("float32", "float64", "float16", "int64", "uint8", "bool"):
        for shape in ((8, 3), (30, 4), (3, 30), (1, 1), (0, 3), (3, 0)):
            # (NaN left out: torch's unique_dim orders rows holding NaN otherwise, a fault of its own here)
            pool = _SPECIAL[~np.isnan(_SPECIAL)] if dtype.startswith("float") else np.arange(3)
            a = rng.choice(pool, shape).astype(dtype)
            for dim in (0, 1):
                kw = dict(dim=dim, return_inverse=True, return_counts=True)
                try:
                    want = torch.unique(torch.tensor(a), **kw)
                except RuntimeError as e:
                    with pytest.raises(RuntimeError, match=re.escape(str(e))):
                        pyfront.unique(pyfront.tensor(a), **kw)
                    continue
                for got, w in zip(pyfront.unique(pyfront.tensor(a), **kw), want):
                    _same(got, w)


def test_product_gradients_under_vmap_test_each_sample():
    """Under vmap the input may be batched: the zero test is per sample (a select), never one host read."""
    a = np.random.default_rng(7).uniform(-2, 2, (3, 4))
    a[1, 2] = 0.0
    got, want = [], []
    for lib, out in ((pyfront, got), (torch, want)):
        for name in ("prod", "cumprod"):
            def one(v, lib=lib, name=name):
                f = (lambda u: u.prod()) if name == "prod" else (lambda u: u.cumprod(0))
                _, pull = lib.func.vjp(f, v)
                return pull(lib.ones(() if name == "prod" else (4,), dtype=lib.float64))[0]
            out.append(lib.func.vmap(one)(lib.tensor(a)).numpy())
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-12)


def test_embedding_leaves_its_index_check_to_the_cpu_lookup():
    """On the cpu index_select refuses a bad index itself, with embedding's text: no min/max and read-backs."""
    weight, idx = pyfront.randn(50, 4), pyfront.randint(0, 50, (7,))
    events = _aten_events(lambda: pyfront.nn.functional.embedding(idx, weight))
    assert "aten::min" not in events and "aten::max" not in events, events


@pytest.mark.parametrize("kw", [{}, {"padding_idx": 1}, {"scale_grad_by_freq": True}, {"sparse": True}])
def test_embedding_refuses_bad_indices_as_torch(kw):
    for lib_idx in ([-1], [5], [0, 7], [[1, -6]], []):
        for dtype in ("int64", "int32"):
            outcomes = []
            for lib in (pyfront, torch):
                weight = lib.tensor(np.arange(15.0).reshape(5, 3), requires_grad=True)
                try:
                    out = lib.nn.functional.embedding(lib.tensor(lib_idx, dtype=getattr(lib, dtype)), weight, **kw)
                    outcomes.append(("ok", out.detach().numpy().tolist()))
                except Exception as e:  # noqa: BLE001 (compared with torch's)
                    outcomes.append((type(e).__name__, str(e)))
            assert outcomes[0] == outcomes[1], (lib_idx, dtype, outcomes)
