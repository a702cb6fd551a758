"""The cpu device's matrix products through oneMKL (the ``mkl`` extra, which ``bash dev.sh test`` installs):
torch's CPU build computes float32/float64 products with the same library, so mm, addmm, F.linear and the
gradients they make must equal torch's bit for bit, for every layout BLAS reads in place; operands it
cannot read, and other dtypes, go to NumPy; a result never holds what its fresh memory held before."""
import importlib.metadata
import itertools
import multiprocessing
import threading

import numpy as np
import pytest
import torch

import pyfront
from pyfront.backends import host_blas, host_gemm


def _installed() -> bool:
    try:
        importlib.metadata.distribution("mkl")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _installed(), reason="the mkl extra is not installed")

SHAPES = [(256, 784, 512), (256, 512, 10), (7, 5, 3), (1, 1, 1), (64, 300, 1), (1, 47, 33), (2, 1, 9)]


def _layouts(a):
    """``a`` as it is, as a transposed copy's transpose (column-major), and as a slice of a wider matrix
    (a leading dimension longer than its row): the layouts BLAS reads where they are."""
    wide = np.zeros((a.shape[0], a.shape[1] + 3), a.dtype)
    wide[:, 1:1 + a.shape[1]] = a
    return {"row": a, "column": np.ascontiguousarray(a.T).T, "sliced": wide[:, 1:1 + a.shape[1]]}


def _both(a):
    # torch.from_numpy and pyfront.from_numpy keep the array's strides
    return torch.from_numpy(a), pyfront.from_numpy(a)


@pytest.fixture
def one_thread():
    """torch's MKL and pyfront's on one thread each: with several, MKL may split a skinny product's sums
    over as many threads as it finds free (its dynamic mode, in torch's process as in pyfront's), so two
    runs on a busy machine may round apart."""
    lib = host_gemm._routines()["lib"]
    before = torch.get_num_threads(), lib.MKL_Get_Max_Threads()
    torch.set_num_threads(1)
    host_gemm.set_num_threads(1)
    yield
    torch.set_num_threads(before[0])
    host_gemm.set_num_threads(before[1])


def test_mkl_is_found_where_installed():
    assert host_gemm.available()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_products_equal_torchs_bits(dtype, one_thread):
    rng = np.random.default_rng(0)
    differ = []
    for n, k, m in SHAPES:
        x0, w0 = rng.standard_normal((n, k)).astype(dtype), rng.standard_normal((m, k)).astype(dtype)
        b = rng.standard_normal(m).astype(dtype)
        tb, pb = _both(b)
        for lx, x in _layouts(x0).items():
            for lw, w in _layouts(w0).items():
                (tx, px), (tw, pw) = _both(x), _both(w)
                tf, pf = torch.nn.functional, pyfront.nn.functional
                pairs = {"linear": (tf.linear(tx, tw, tb), pf.linear(px, pw, pb)),
                         "linear no bias": (tf.linear(tx, tw), pf.linear(px, pw)),
                         "mm": (torch.mm(tx, tw.T), pyfront.mm(px, pw.T)),
                         "matmul": (tw @ tx.T, pw @ px.T),
                         "addmm": (torch.addmm(tb, tx, tw.T), pyfront.addmm(pb, px, pw.T))}
                for name, (want, got) in pairs.items():
                    if not np.array_equal(want.numpy(), got.numpy()):
                        differ.append(f"{name} {n}x{k}x{m} x {lx} w {lw}")
    assert not differ, differ


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_batched_products_equal_torchs_bits(dtype, one_thread):
    """bmm and matmul's batched and folded cases: MKL's batched gemm as torch's, and for matrices of fewer
    than 400 products torch's own loop (each element summed from zero in order of k, as NumPy does not)."""
    rng = np.random.default_rng(5)
    differ = []
    cases = [((16, 10, 784), (16, 784, 20)), ((4, 64, 64), (4, 64, 64)), ((2, 3, 5), (2, 5, 7)),
             ((3, 7, 8), (3, 8, 7)), ((5, 1, 9), (5, 9, 1)), ((4, 30, 50), (50, 20)), ((50,), (4, 50, 20)),
             ((30, 50), (4, 50, 20)), ((3, 1, 30, 50), (4, 50, 20)), ((2, 3, 4, 6), (2, 3, 6, 5))]
    for sa, sb in cases:
        a, b = rng.standard_normal(sa).astype(dtype), rng.standard_normal(sb).astype(dtype)
        if a.ndim > 1:  # a first row of -0.0 times positive numbers: torch's sum from +0 gives +0
            a[..., :1, :] = -0.0
        b = np.abs(b)
        column_major = np.ascontiguousarray(np.swapaxes(a, -1, -2)).swapaxes(-1, -2) if a.ndim > 1 else a
        for la, lb in ((a, b), (column_major, b)):
            (ta, pa), (tb, pb) = _both(la), _both(lb)
            want = (torch.bmm(ta, tb) if la.ndim == lb.ndim == 3 else torch.matmul(ta, tb)).numpy()
            got = (pyfront.bmm(pa, pb) if la.ndim == lb.ndim == 3 else pyfront.matmul(pa, pb)).numpy()
            if not (np.array_equal(want, got) and np.array_equal(np.signbit(want), np.signbit(got))):
                differ.append(f"{sa} @ {sb}")
    assert not differ, differ


def test_linear_gradients_equal_torchs_bits(one_thread):
    """The backward's products (g @ W and g^T @ x) run the same kernel: the input's and the weight's
    gradients are torch's too."""
    rng = np.random.default_rng(1)
    # reduced dims of 784 (the batch for the weight's, the outputs for the input's), where OpenBLAS's
    # order differs from torch's
    x, w, b = (rng.standard_normal(s).astype(np.float32) for s in ((784, 300), (784, 300), (784,)))
    g = rng.standard_normal((784, 784)).astype(np.float32)
    grads = []
    for lib in (torch, pyfront):
        tx, tw, tb = (lib.tensor(a, requires_grad=True) for a in (x, w, b))
        lib.nn.functional.linear(tx, tw, tb).backward(lib.tensor(g))
        grads.append((tx.grad.numpy(), tw.grad.numpy()))
    for want, got in zip(*grads):
        assert np.array_equal(want, got)


def test_operands_mkl_cannot_take_go_to_numpy():
    rng = np.random.default_rng(2)
    a = rng.standard_normal((6, 4)).astype(np.float32)
    b = rng.standard_normal((4, 5)).astype(np.float32)
    refused = {"int32": (a.astype(np.int32), b.astype(np.int32)),
               "float16": (a.astype(np.float16), b.astype(np.float16)),
               "mixed": (a, b.astype(np.float64)), "4-d": (a[None, None], b[None, None]),
               "empty": (a[:, :0], b[:0]), "byte-swapped": (a.astype(">f4"), b.astype(">f4"))}
    for name, (x, y) in refused.items():
        assert host_gemm.matmul(x, y) is None, name
    empty = pyfront.mm(pyfront.ones(3, 0), pyfront.ones(0, 2))
    assert np.array_equal(empty.numpy(), np.zeros((3, 2), np.float32))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_layouts_blas_cannot_read_are_copied_as_torchs(dtype, one_thread):
    """Broadcast rows, a step, overlapping rows: torch copies such an operand and still calls MKL, so its
    numbers are MKL's (NumPy's BLAS gave others: a fresh user's expanded input to F.linear)."""
    rng = np.random.default_rng(6)
    row, wide = rng.standard_normal((1, 300)).astype(dtype), rng.standard_normal((8, 600)).astype(dtype)
    w, bias = rng.standard_normal((40, 300)).astype(dtype), rng.standard_normal(40).astype(dtype)
    views = {"expanded": (row, lambda t: t.expand(8, 300)), "stepped": (wide, lambda t: t[:, ::2]),
             "overlapping": (wide, lambda t: t.as_strided((8, 300), (1, 1)))}
    differ = []
    for name, (base, view) in views.items():
        for lib in (torch, pyfront):
            x, W, b = view(lib.from_numpy(base)), lib.from_numpy(w), lib.from_numpy(bias)
            got = [lib.mm(x, W.T).numpy(), lib.nn.functional.linear(x, W, b).numpy(), lib.mm(W, x.T).numpy()]
            if lib is torch:
                want = got
        differ += [name] * sum(not np.array_equal(p, t) for p, t in zip(got, want))
    assert not differ, differ


def test_nan_and_inf_as_torchs_and_fresh_memory_never_read():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((32, 16)).astype(np.float32)
    x[3, 4], x[5, :] = np.nan, np.inf
    w = rng.standard_normal((8, 16)).astype(np.float32)
    want = torch.from_numpy(x) @ torch.from_numpy(w).T
    for _ in range(3):  # memory full of NaN just let go of, which the product's fresh array may be given
        poison = np.full((32, 8), np.nan, np.float32)
        del poison
        got = pyfront.from_numpy(x) @ pyfront.from_numpy(w).T
        assert np.array_equal(want.numpy(), got.numpy(), equal_nan=True)
        poison = np.full((32, 8), np.nan, np.float32)
        del poison
        clean = x.copy()
        clean[3, 4], clean[5, :] = 0, 0
        assert not np.isnan(host_gemm.matmul(clean, w.T)).any()


def test_two_threads_get_their_own_products():
    rng = np.random.default_rng(4)
    pairs = [(rng.standard_normal((128, 96), np.float32), rng.standard_normal((96, 64), np.float32))
             for _ in "ab"]
    want = [host_gemm.matmul(a, b) for a, b in pairs]
    wrong = []

    def run(i):
        for _ in range(200):
            if not np.array_equal(host_gemm.matmul(*pairs[i]), want[i]):
                wrong.append(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not wrong


def _child_product(queue):
    a = np.ones((300, 300), np.float32)
    queue.put((float(pyfront.from_numpy(a).mm(pyfront.from_numpy(a))[0, 0]), host_gemm.available()))


def _forked_after_threads(work, target):
    """``target(queue)``'s answer from a forked child, once ``work`` has run on two Python threads of this
    process (MKL's pool started from several threads, torch's OpenMP runtime loaded too: where MKL hung in
    a child); a hung child fails the test, never the suite."""
    threads = [threading.Thread(target=lambda: [work() for _ in range(20)]) for _ in "ab"]
    [t.start() for t in threads]
    [t.join() for t in threads]
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=target, args=(queue,))
    child.start()
    try:
        return queue.get(timeout=60)
    finally:
        child.kill()
        child.join(10)


def test_a_forked_child_computes_products():
    """A DataLoader worker forks a process whose parent has run MKL's threads: the child computes its
    products with NumPy."""
    a = np.ones((300, 300), np.float32)
    assert _forked_after_threads(lambda: host_gemm.matmul(a, a), _child_product) == (300, False)
    assert host_gemm.available()


def test_set_num_threads_sizes_mkls_pool():
    lib = host_gemm._routines()["lib"]
    before, recorded = lib.MKL_Get_Max_Threads(), pyfront.get_num_threads()
    try:
        pyfront.set_num_threads(2)
        assert lib.MKL_Get_Max_Threads() == 2 and pyfront.get_num_threads() == 2
        pyfront.set_num_threads(1)
        assert lib.MKL_Get_Max_Threads() == 1
    finally:
        pyfront.set_num_threads(recorded)
        host_gemm.set_num_threads(before)


def _vector_and_scaled_products(L, x, w, c, bias, v, u, cn):
    """The products torch computes with other BLAS calls than mm's gemm, or with gemm's beta and alpha: each
    a function of the library ``L`` (torch or pyfront) and arrays made tensors with their strides."""
    t = L.from_numpy
    calls = {"mm": lambda: L.mm(t(x), t(w)),
             "mv": lambda: L.mv(t(x), t(v)), "matmul 2d@1d": lambda: t(x) @ t(v),
             "matmul 1d@2d": lambda: t(u) @ t(x), "matmul 3d@1d": lambda: t(x)[None].expand(2, -1, -1) @ t(v),
             "dot": lambda: L.dot(t(v), t(w[:, 0])), "inner": lambda: L.inner(t(v), t(v[::-1].copy())),
             "matmul 1d@1d": lambda: t(v) @ t(w[:, 0]),
             "addmm beta 0 NaN input": lambda: L.addmm(t(cn), t(x), t(w), beta=0, alpha=1.5),
             "addmm_": lambda: t(c.copy()).addmm_(t(x), t(w), beta=0.5, alpha=2)}
    for beta, alpha in ((1, 1), (0.5, 2.0), (0, -0.3), (2, 1)):
        calls[f"addmm {beta} {alpha}"] = lambda b=beta, a=alpha: L.addmm(t(c), t(x), t(w), beta=b, alpha=a)
        calls[f"addmm bias {beta} {alpha}"] = lambda b=beta, a=alpha: L.addmm(t(bias), t(x), t(w), beta=b,
                                                                             alpha=a)
        calls[f"addmv {beta} {alpha}"] = lambda b=beta, a=alpha: L.addmv(t(u), t(x), t(v), beta=b, alpha=a)
    return calls


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_vector_and_scaled_products_equal_torchs_bits(dtype, one_thread):
    """addmm and addmv with other beta and alpha than 1 (gemm's and gemv's own, where pyfront scaled its
    product afterwards; a beta of 0 never reads the input), mv and matmul of a matrix and a vector (gemv),
    dot, inner and matmul of two vectors (dot), and mm of a row and a column (gemm as torch calls it, the
    result column-major), over layouts BLAS reads in place or copies."""
    rng = np.random.default_rng(7)
    differ = []
    for n, k, m in [(1, 33, 1), (7, 33, 1), (1, 33, 9), (5, 17, 3), (40, 70, 1), (3, 1, 4)]:
        x0, w0 = rng.standard_normal((n, k)).astype(dtype), rng.standard_normal((k, m)).astype(dtype)
        c, bias = rng.standard_normal((n, m)).astype(dtype), rng.standard_normal(m).astype(dtype)
        v, u = rng.standard_normal(k).astype(dtype), rng.standard_normal(n).astype(dtype)
        cn = c.copy()
        cn[0, 0] = np.nan
        for lx, x in _layouts(x0).items():
            for lw, w in _layouts(w0).items():
                got = _vector_and_scaled_products(pyfront, x, w, c, bias, v, u, cn)
                for name, want in _vector_and_scaled_products(torch, x, w, c, bias, v, u, cn).items():
                    if not np.array_equal(want().numpy(), got[name]().numpy(), equal_nan=True):
                        differ.append(f"{name} {n}x{k}x{m} x {lx} w {lw}")
    assert not differ, differ


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gradients_of_vector_and_scaled_products_equal_torchs_bits(dtype, one_thread):
    """addmm's gradients times alpha and beta (torch's maybe_multiply of the products), mv's (an outer
    product and a gemv of the transposed matrix), dot's, baddbmm's and addbmm's."""
    rng = np.random.default_rng(8)
    x, w, c = (rng.standard_normal(s).astype(dtype) for s in ((40, 70), (70, 30), (40, 30)))
    v, u = rng.standard_normal(70).astype(dtype), rng.standard_normal(40).astype(dtype)
    bx, by, bc = (rng.standard_normal(s).astype(dtype) for s in ((4, 10, 20), (4, 20, 6), (4, 10, 6)))
    calls = {"addmm": lambda L, t: L.addmm(t[2], t[0], t[1], beta=0.5, alpha=-1.5),
             "addmv": lambda L, t: L.addmv(t[4], t[0], t[3], beta=2, alpha=0.3),
             "mv": lambda L, t: L.mv(t[0], t[3]), "dot": lambda L, t: L.dot(t[3], t[3] * 3),
             "baddbmm": lambda L, t: L.baddbmm(t[7], t[5], t[6], beta=2, alpha=0.5),
             "baddbmm small": lambda L, t: L.baddbmm(t[7][:, :2, :3], t[5][:, :2], t[6][..., :3], alpha=0.5),
             "addbmm": lambda L, t: L.addbmm(t[7][0], t[5], t[6].mT.contiguous().mT, beta=0.5, alpha=3)}
    differ = []
    for name, call in calls.items():
        grads = []
        for L in (torch, pyfront):
            ts = [L.tensor(a, requires_grad=True) for a in (x, w, c, v, u, bx, by, bc)]
            out = call(L, ts)
            out.backward(L.tensor(np.linspace(-1, 1, out.numel()).reshape(tuple(out.shape)).astype(dtype)))
            grads.append([t.grad.numpy() for t in ts if t.grad is not None])
        differ += [name] * sum(not np.array_equal(p, q) for p, q in zip(*grads))
    assert not differ, differ


def test_products_without_mkl_compute_with_numpy(monkeypatch):
    """Where MKL is absent every product computes with NumPy (to torch's tolerance, not its bits), a beta of
    0 still ignoring NaN in the input."""
    monkeypatch.setattr(host_gemm, "_routines", lambda: None)
    rng = np.random.default_rng(9)
    x, w, c = (rng.standard_normal(s).astype(np.float32) for s in ((6, 5), (5, 4), (6, 4)))
    v, u = rng.standard_normal(5).astype(np.float32), rng.standard_normal(6).astype(np.float32)
    cn = c.copy()
    cn[1, 1] = np.nan
    got = _vector_and_scaled_products(pyfront, x, w, c, c[0], v, u, cn)
    for name, want in _vector_and_scaled_products(torch, x, w, c, c[0], v, u, cn).items():
        torch.testing.assert_close(torch.from_numpy(got[name]().numpy()), want(), msg=name)
    bx, by, bc = (rng.standard_normal(s).astype(np.float32) for s in ((2, 9, 33), (2, 33, 7), (2, 9, 7)))
    bc[0, 0, 0] = np.nan
    for L in (torch, pyfront):  # (a large product and a small one: torch's loop)
        t = L.from_numpy
        got = [L.baddbmm(t(bc), t(bx), t(by), beta=0, alpha=2), L.baddbmm(t(bc[:, :2, :2]), t(bx[:, :2, :5]),
               t(by[:, :5, :2]), beta=0.5), L.addbmm(t(bc[1]), t(bx), t(by), beta=2, alpha=0.5)]
        if L is torch:
            want = got
    for p, q in zip(got, want):
        torch.testing.assert_close(torch.from_numpy(p.numpy()), q, equal_nan=True)


def test_addresses_are_numpys():
    """The one address helper of the BLAS calls: the array interface's address for every kind of view."""
    from pyfront.backends.addresses import address
    a = np.arange(60, dtype=np.float32).reshape(3, 4, 5)
    frozen = a.copy()
    frozen.flags.writeable = False
    for x in (a, a[0], a[0].T, a[:, 1:3], a[:, 1:3].transpose(0, 2, 1), a[::-1], a[0, ::2],
              np.broadcast_to(a[0, 0], (3, 5)), frozen, frozen[0].T):
        assert address(x) == x.__array_interface__["data"][0], x.shape


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_batched_scaled_products_equal_torchs_bits(dtype, one_thread):
    """baddbmm with its beta and alpha (batched gemm's own for matrices of 400 products or more, torch's loop
    for smaller ones: alpha times the product plus beta times the input, each rounded; a beta of 0 never
    reads the input), and addbmm, which torch computes as one addmm_ per matrix (beta, then 1)."""
    rng = np.random.default_rng(10)
    differ = []
    for b, n, k, m in [(3, 5, 17, 3), (2, 9, 33, 7), (1, 9, 33, 7), (1, 5, 8, 27), (4, 6, 50, 1)]:
        x, y = rng.standard_normal((b, n, k)).astype(dtype), rng.standard_normal((b, k, m)).astype(dtype)
        c = rng.standard_normal((b, n, m)).astype(dtype)
        c[0, 0, 0] = np.nan
        column_major = [np.ascontiguousarray(a.transpose(0, 2, 1)).transpose(0, 2, 1) for a in (x, y)]
        for lx, ly in ((x, y), (column_major[0], y), (x, column_major[1]), column_major):
            for beta, alpha in ((1, 1), (0.5, 2.0), (0, -1.5)):
                got = []
                for L in (torch, pyfront):
                    tx, ty, tc = L.from_numpy(lx), L.from_numpy(ly), L.from_numpy(c)
                    got.append([L.baddbmm(tc, tx, ty, beta=beta, alpha=alpha).numpy(),
                                L.baddbmm(tc[0, 0], tx, ty, beta=beta, alpha=alpha).numpy(),
                                L.addbmm(tc[-1], tx, ty, beta=beta, alpha=alpha).numpy()])
                differ += [f"{b}x{n}x{k}x{m} {beta} {alpha}"] * sum(
                    not np.array_equal(p, q, equal_nan=True) for p, q in zip(*got))
    assert not differ, differ


def test_a_negative_batch_stride_is_multiplied_matrix_by_matrix(one_thread):
    """A batch BLAS cannot step through (a negative stride: NumPy's, never torch's) is multiplied matrix by
    matrix, as torch's bmm splits a batch it cannot read (it went to NumPy's BLAS: another order)."""
    rng = np.random.default_rng(11)
    a, b = (rng.standard_normal(s).astype(np.float32) for s in ((3, 20, 30), (3, 30, 25)))
    got = host_gemm.matmul(a[::-1], b)
    want = torch.bmm(torch.from_numpy(a[::-1].copy()), torch.from_numpy(b)).numpy()
    assert got is not None and np.array_equal(got, want)


def _child_step(queue):
    p = pyfront.ones(100_000)
    p.add_(pyfront.full((100_000,), 3.0), alpha=0.1)  # host_blas's axpy (its fork handler re-chose)
    queue.put((float(p[0]), host_blas.threaded()))


def test_level1_blas_runs_on_mkl_and_a_forked_child_on_numpys():
    """Where products run on MKL, the optimizers' ``y += alpha * x`` does too (torch's own BLAS, threaded as
    torch's foreach; test_add_alpha_once checks its numbers); a forked child, where MKL is left alone, adds
    with NumPy's OpenBLAS instead of hanging, still rounded once."""
    assert host_blas.threaded()
    x = np.ones(100_000, np.float32)
    once = np.float32(np.float64(np.float32(0.1)) * 3 + 1)  # 1 + 0.1 * 3, one rounding (torch's fmadd)
    assert _forked_after_threads(lambda: host_blas.axpy(0.5, x, x.copy()), _child_step) == (once, False)
    assert host_blas.threaded()


def _complex(rng, shape, dtype):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)


def _shown(lib, a, layout, conj):
    """A ``lib`` tensor that shows the values ``a`` in ``layout`` (of _layouts), a conj view of their
    conjugates' memory where ``conj``."""
    t = lib.from_numpy(_layouts(np.conj(a) if conj else a)[layout])
    return t.conj() if conj else t


def _bits(t) -> bytes:
    return t.detach().resolve_conj().numpy().tobytes()


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_products_of_conj_views_equal_torchs_bits(dtype, one_thread):
    """complex mm, dot and vdot through MKL's cgemm/zgemm and cdotu/cdotc as torch calls them: a conj view
    read with the conjugate-transpose flag where torch's addmm reads it transposed in place, its conjugate
    made first where torch reads it otherwise, dot of conj views by torch's vdot rules, addmm with gemm's
    beta and alpha, F.linear (addmm); and mm's gradients (products of conj views themselves), over
    one-row, one-column and empty shapes."""
    rng = np.random.default_rng(9)
    differ = []
    for n, k, m in [(7, 5, 3), (1, 6, 4), (6, 1, 4), (5, 3, 1), (33, 20, 17), (3, 0, 4)]:
        a, b, g = _complex(rng, (n, k), dtype), _complex(rng, (k, m), dtype), _complex(rng, (n, m), dtype)
        for (la, ca), (lb, cb) in itertools.product(itertools.product(("row", "column", "sliced"),
                                                                      (False, True)), repeat=2):
            case = f"{n}x{k}x{m} {la}{'*' if ca else ''} {lb}{'*' if cb else ''}"
            (ta, tb), (pa, pb) = ((_shown(L, a, la, ca), _shown(L, b, lb, cb)) for L in (torch, pyfront))
            if _bits(ta @ tb) != _bits(pa @ pb):
                differ.append("mm " + case)
            for name in ("dot", "vdot") if n and m else ():
                want, got = (getattr(L, name)(x[0], y[:, 0])
                             for L, x, y in ((torch, ta, tb), (pyfront, pa, pb)))
                if _bits(want) != _bits(got):
                    differ.append(f"{name} {case}")
            want, got = (L.addmm(L.from_numpy(g), x, y, beta=0.5 - 1j, alpha=2j)
                         for L, x, y in ((torch, ta, tb), (pyfront, pa, pb)))
            if _bits(want) != _bits(got):
                differ.append("addmm " + case)
            want, got = (L.nn.functional.linear(x, y.mT, L.from_numpy(g[0]))
                         for L, x, y in ((torch, ta, tb), (pyfront, pa, pb)))
            if _bits(want) != _bits(got):
                differ.append("linear " + case)
            if lb == "row" and k:
                grads = []
                for L, x, y in ((torch, ta, tb), (pyfront, pa, pb)):
                    x, y = x.detach().requires_grad_(), y.detach().requires_grad_()
                    (x @ y).backward(L.from_numpy(g))
                    grads.append((_bits(x.grad), _bits(y.grad)))
                if grads[0] != grads[1]:
                    differ.append("mm gradients " + case)
    assert not differ, differ


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_mv_of_transposed_matrices_equals_torchs_bits(dtype, one_thread):
    """mv of a transposed column (one row, strides (1, 1): torch's gemv 'n' of one row), of a transposed
    matrix, and their gradients (torch's outer product and mv of the transposed matrix): torch's gemv
    call rules read the tensor's strides, where the kernel's array may have others along a dim of one."""
    rng = np.random.default_rng(10)
    differ = []
    for n, k in [(1, 40), (6, 1), (7, 5), (40, 100)]:
        mat, vec, g = (rng.standard_normal(s).astype(dtype) for s in ((k, n), (k,), (n,)))
        results = []
        for L in (torch, pyfront):
            m, v = L.from_numpy(mat).requires_grad_(), L.from_numpy(vec).requires_grad_()
            out = L.mv(m.t(), v)
            out.backward(L.from_numpy(g))
            results.append([_bits(out), _bits(m.grad), _bits(v.grad)])
        differ += [f"{name} {n}x{k}" for name, want, got in zip(("mv", "mat grad", "vec grad"), *results)
                   if want != got]
    assert not differ, differ
