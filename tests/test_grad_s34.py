"""Gradients as torch's in the corners s34 found: a hooked complex leaf's conj gradient (torch's AccumulateGrad
takes the conj view as it is where no hook kept it); std_mean's gradient with no degrees of freedom left
(torch's one node: laid out as the input)."""
import math
import warnings

import pytest
import torch

import pyfront

HOOKS = {
    "none": lambda x, kept: None,
    "looks": lambda x, kept: x.register_hook(lambda g: kept.append(g.is_conj())),
    "keeps": lambda x, kept: x.register_hook(kept.append),
    "returns": lambda x, kept: x.register_hook(lambda g: g * 1),
    "node looks": lambda x, kept: _accumulator(x, kept).register_prehook(lambda gs: kept.append(len(gs))),
    "node keeps": lambda x, kept: _accumulator(x, kept).register_prehook(kept.append),
}


def _accumulator(x, kept):
    acc = x.conj().grad_fn.next_functions[0][0]
    kept.append(acc)  # (torch's leaf holds its AccumulateGrad weakly: the hook lives with it)
    return acc


def _conj_grads(L, hook, make):
    x = L.tensor([1 + 2j, 3 - 1j], requires_grad=True)
    kept = []
    HOOKS[hook](x, kept)
    make(x).backward(L.tensor([1 + 1j, 2 - 3j]))
    return x.grad.is_conj(), L.view_as_real(x.grad.resolve_conj()).tolist()


@pytest.mark.parametrize("hook", list(HOOKS))
@pytest.mark.parametrize("make", ["conj", "scaled"])
def test_hooked_leaf_conj_gradient(hook, make):
    f = {"conj": lambda x: x.conj(), "scaled": lambda x: x.conj() * 2}[make]
    assert _conj_grads(pyfront, hook, f) == _conj_grads(torch, hook, f)


def _col(t):
    return t.transpose(-1, -2).contiguous().transpose(-1, -2)


def _moments(L, fn, correction):
    """(std or var, mean) and the input's gradient, its layout and second derivative, for a column-major
    input, no degrees of freedom left (correction >= N) among them: torch's one node lays it out as the input."""
    out = []
    for dim in (0, 1, None):
        for x in (L.linspace(-1, 1, 12).reshape(3, 4), L.ones(3, 4)):
            x = _col(x).requires_grad_()
            s, m = getattr(L, fn)(x, dim=dim, correction=correction)
            g = L.autograd.grad(s.sum() * 0.5 + m.sum() * 2, x, create_graph=True)[0]
            gg = L.autograd.grad(g.sum(), x)[0] if g.requires_grad else None
            if gg is None:  # (torch's full reduction without degrees of freedom: a constant, inf or NaN)
                gg, g = g, g.detach()
            out.append((g.stride(), *(torch.tensor(t.detach().tolist()) for t in (s, m, g, gg))))
    return out


@pytest.mark.parametrize("fn", ["std_mean", "var_mean"])
@pytest.mark.parametrize("correction", [1, 3, 4, 5])
def test_moment_and_mean_gradients_laid_out_as_the_input(fn, correction):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (no degrees of freedom: both warn)
        ours, theirs = _moments(pyfront, fn, correction), _moments(torch, fn, correction)
    for a, b in zip(ours, theirs):
        assert a[0] == b[0]
        for x, y in zip(a[1:], b[1:]):
            torch.testing.assert_close(x, y, equal_nan=True)



def _permuted(t):
    n = t.dim()
    return t.permute(*range(1, n), 0).contiguous().permute(n - 1, *range(n - 1))



def _moment_second_derivatives(L, fn):
    """var, std, var_mean and std_mean's first and second derivatives as torch's var_backward and
    std_backward: at a constant input (std 0, its gradient masked to 0; std_mean's running mean exact there),
    without degrees of freedom over no dim given (g times inf, NaN at the mean: a constant in x) or over
    every dim named (2 / 0), and with a negative count."""
    out = []
    w = L.tensor([0.5, -1.0, 2.0, 0.25])
    for x0 in (L.ones(3, 4), L.linspace(-0.5, 0.5, 12).reshape(3, 4)):
        for kw in ({}, {"dim": (0, 1)}, {"dim": 0}):
            for correction in (0, 1, 12, 13):
                x = x0.clone().requires_grad_()
                r = getattr(L, fn)(x, correction=correction, **kw)
                loss = r[0].sum() * 0.5 + r[1].sum() * 2 if isinstance(r, tuple) else r.sum() * 0.5
                g = L.autograd.grad(loss, x, create_graph=True)[0]
                gg = L.autograd.grad((g * w).sum(), x)[0] if g.requires_grad else None
                out.append([None if t is None else torch.tensor(t.detach().tolist())
                            for t in (*(r if isinstance(r, tuple) else (r,)), g, gg)])
    return out


@pytest.mark.parametrize("fn", ["var", "std", "var_mean", "std_mean"])
def test_moment_second_derivatives(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (no degrees of freedom: they warn)
        ours, theirs = _moment_second_derivatives(pyfront, fn), _moment_second_derivatives(torch, fn)
    for a, b in zip(ours, theirs):
        assert [t is None for t in a] == [t is None for t in b]
        for x, y in zip(a, b):
            if x is not None:
                torch.testing.assert_close(x, y, equal_nan=True)


def _bilinear_layouts(L):
    """bilinear's gradients for relaid inputs: torch's _trilinear flattens each input to rows (a reshape: a
    copy where no view fits, which a permuted batch needs) and gives input1 a contiguous gradient."""
    out = []
    for s1, s2 in (((4, 3), (4, 5)), ((2, 4, 3), (2, 4, 5))):
        for r1 in (_col, _permuted, lambda t: t[..., ::2, :]):
            for r2 in (_col, lambda t: t):
                a = r1(L.linspace(-1, 1, 24)[:math.prod(s1)].reshape(s1)).requires_grad_()
                b = r2(L.linspace(-1, 0.5, 40)[:math.prod(s2)].reshape(s2))[..., :a.shape[-2], :].requires_grad_()
                w = L.linspace(-1, 1, 30).reshape(2, 3, 5).requires_grad_()
                y = L.nn.functional.bilinear(a, b, w, L.ones(2))
                out.append((y.stride(), [g.stride() for g in L.autograd.grad(y, (a, b, w), L.ones_like(y))]))
    return out


def test_bilinear_gradient_layouts():
    assert _bilinear_layouts(pyfront) == _bilinear_layouts(torch)


def _max_pool3d_layouts(L):
    """Unbatched 3-d max pooling: torch's CPU kernel pools a (C, D, H, W) input whose batch of one is only
    channels-last contiguous (channels innermost) as that batch: values, indices and gradient channels-last."""
    out = []
    for p in ((1, 2, 3, 0), (3, 2, 1, 0), (0, 3, 1, 2), (1, 0, 2, 3)):
        inv = [p.index(i) for i in range(4)]
        x = L.linspace(0.1, 1, 4 * 4 * 4 * 6).reshape(4, 4, 4, 6).permute(*p).contiguous().permute(*inv)
        x = x.requires_grad_()
        for pool in (lambda x: L.nn.functional.max_pool3d(x, 2, return_indices=True),
                     lambda x: L.nn.functional.max_pool3d_with_indices(x, 2)):
            y, i = pool(x)
            out.append((y.stride(), i.stride(), L.autograd.grad(y, x, L.ones_like(y))[0].stride()))
    return out


def test_unbatched_max_pool3d_layouts():
    assert _max_pool3d_layouts(pyfront) == _max_pool3d_layouts(torch)


def _conv_transpose3d_layouts(L):
    """conv_transpose3d's input gradient contiguous as torch's kernel gives it (pyfront's plane-by-plane
    transposed convolution left it depth-major), for each argument kind, a batch of one and an unbatched
    input, with a channels-last one beside."""
    out = []
    for shape in ((2, 4, 3, 4, 4), (1, 4, 3, 4, 4), (4, 3, 4, 4)):
        for kw in ({"stride": 2, "output_padding": 1}, {"padding": 1, "dilation": 2, "groups": 2}):
            for last in (False, True):
                x = L.linspace(-1, 1, math.prod(shape)).reshape(shape)
                if last and shape[0] == 2:  # (a channels-last batch of one with groups: a rule of its own)
                    x = x.contiguous(memory_format=L.channels_last_3d)
                x, w = x.requires_grad_(), L.linspace(-1, 1, 4 * 2 * 27).reshape(4, 2, 3, 3, 3).requires_grad_()
                y = L.nn.functional.conv_transpose3d(x, w, **kw)
                out.append((y.stride(), [g.stride() for g in L.autograd.grad(y, (x, w), L.ones_like(y))]))
    return out


def test_conv_transpose3d_input_gradient_layouts():
    assert _conv_transpose3d_layouts(pyfront) == _conv_transpose3d_layouts(torch)


ONE_DIM_FFTS = ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft")
N_DIM_FFTS = ("fftn", "ifftn", "rfftn", "irfftn", "hfftn", "ihfftn")


def _fft_layouts(L, fn):
    """A transform's result and its input's gradient laid out as torch's MKL kernels lay them (_exec_fft: the
    dims not transformed outermost, by the input's strides, the transformed ones innermost in order), real
    and complex, row-major, permuted and column-major inputs, padded too; rfftn's and irfftn's gradients over
    several dims one transform each, as torch's fft_r2c_backward and fft_c2r_backward."""
    out = []
    dims = (0, 1, -1) if fn in ONE_DIM_FFTS else ((0, 2), (2, 0), (1, 0), (0, 1, 2))
    for relay in (lambda t: t, _permuted, _col):
        for dim, s in [(d, None) for d in dims] + ([] if fn in ONE_DIM_FFTS else [((2, 1), (7, 7))]):
            for is_complex in (False, True):
                x = L.linspace(-1, 1, 120).reshape(3, 4, 5, 2)
                x = L.view_as_complex(x) if is_complex else x[..., 0]
                x = relay(x).requires_grad_()
                try:
                    y = getattr(L.fft, fn)(x, dim=dim) if s is None else getattr(L.fft, fn)(x, s=s, dim=dim)
                except RuntimeError as e:  # (ihfft of a complex input)
                    out.append(str(e))
                    continue
                g = L.autograd.grad(y.abs().sum() if y.is_complex() else y.sum(), x)[0]
                out.append((y.stride(), g.stride(), type(y.grad_fn).__name__,
                            [type(f).__name__ for f, _ in y.grad_fn.next_functions]))
    return out


@pytest.mark.parametrize("fn", ONE_DIM_FFTS + N_DIM_FFTS)
def test_fft_layouts(fn):
    assert _fft_layouts(pyfront, fn) == _fft_layouts(torch, fn)



def _fft_nodes(L):
    """A transform's node as torch's: its one r2c or c2r op (rfftn's and irfftn's too, over several dims),
    keeping the input as resized (cut or padded), the resize's node its next, and its dims, normalization
    (0 none, 1 by root n, 2 by n), onesided or forward."""
    out = []
    x = L.linspace(-1, 1, 60).reshape(3, 4, 5).requires_grad_()
    xc = L.view_as_complex(L.linspace(-1, 1, 120).reshape(3, 4, 5, 2)).requires_grad_()
    for fn, kw in (("rfftn", {"s": (7, 7), "dim": (0, 2)}), ("rfft", {"n": 7, "dim": 1}), ("rfft", {"n": 3}),
                   ("fft", {"n": 7, "dim": 1}), ("fft", {"n": 2}), ("ifft", {"n": 7}), ("ihfft", {"n": 3}),
                   ("rfftn", {"dim": (0, 2)}), ("irfftn", {"dim": (0, 2)}), ("irfftn", {"s": (2, 6)}),
                   ("ihfftn", {"s": (7, 7), "dim": (0, 2)}), ("hfftn", {"dim": (2, 1)}),
                   ("rfftn", {"dim": (2, 0), "norm": "ortho"}), ("irfft", {"norm": "forward"}),
                   ("fft", {"norm": "forward"}), ("rfft2", {"norm": "forward"}), ("fftn", {"dim": (2, 0)}),
                   ("ifftn", {"dim": (1,), "norm": "forward"}), ("ifft", {}), ("hfft", {}),
                   ("fft", {"norm": "ortho"})):
        fn = getattr(L.fft, fn)(xc if fn in ("fftn", "ifftn", "hfft") or fn == "ifft" and not kw else x,
                                **kw).grad_fn
        saved = getattr(fn, "_saved_self", None)
        out.append((type(fn).__name__, [type(f).__name__ for f, _ in fn.next_functions],
                    None if saved is None else saved.shape,
                    {n: getattr(fn, n) for n in dir(fn) if n.startswith("_saved_") and n != "_saved_self"}))
    return out


def test_fft_nodes():
    assert _fft_nodes(pyfront) == _fft_nodes(torch)


AVG_POOLS = {
    "avg_pool2d": lambda F, x: F.avg_pool2d(x, 2), "avg_pool2d unbatched": lambda F, x: F.avg_pool2d(x[0], 2),
    "avg_pool1d": lambda F, x: F.avg_pool1d(x[:, :, 0], 2), "avg_pool1d unbatched": lambda F, x: F.avg_pool1d(x[0, :, 0], 2),
    "max_pool2d": lambda F, x: F.max_pool2d(x, 2),
}


def _written_pool_input(L, pool, relay):
    """An average pool's node keeps its input as given (a write into it after the forward fails the backward,
    in torch's words), not the channels-last copy pyfront pools."""
    x = L.linspace(0, 1, 96).reshape(2, 3, 4, 4)
    x = _col(x) if relay == "column_major" else x.contiguous(memory_format=L.channels_last)
    x = L.empty_strided(x.shape, x.stride()).copy_(x).requires_grad_()  # (a leaf that is no view)
    y = AVG_POOLS[pool](L.nn.functional, x)
    with L.no_grad():
        x.copy_(x.clone())
    try:
        y.sum().backward()
    except RuntimeError as e:
        return str(e)
    return "ran"


@pytest.mark.parametrize("pool", list(AVG_POOLS))
@pytest.mark.parametrize("relay", ["column_major", "channels_last"])
def test_pools_keep_their_input_as_given(pool, relay):
    assert _written_pool_input(pyfront, pool, relay) == _written_pool_input(torch, pool, relay)


PRODUCTS = {
    "addmm": lambda L, r, **k: L.addmm(_ones(L, (2, 4), r[0]), _ones(L, (2, 3), r[1]), _ones(L, (3, 4), r[2]), **k),
    "addmm bias": lambda L, r, **k: L.addmm(_ones(L, (4,), r[0]), _ones(L, (2, 3), r[1]), _ones(L, (3, 4), r[2]), **k),
    "addmv": lambda L, r, **k: L.addmv(_ones(L, (2,), r[0]), _ones(L, (2, 3), r[1]), _ones(L, (3,), r[2]), **k),
    "addr": lambda L, r, **k: L.addr(_ones(L, (2, 4), r[0]), _ones(L, (2,), r[1]), _ones(L, (4,), r[2]), **k),
    "addbmm": lambda L, r, **k: L.addbmm(_ones(L, (2, 4), r[0]), _ones(L, (2, 2, 3), r[1]), _ones(L, (2, 3, 4), r[2]),
                                         **k),
    "baddbmm": lambda L, r, **k: L.baddbmm(_ones(L, (2, 2, 4), r[0]), _ones(L, (2, 2, 3), r[1]),
                                           _ones(L, (2, 3, 4), r[2]), **k),
}


def _ones(L, shape, requires_grad):
    return L.ones(shape).requires_grad_(requires_grad)


def _product_saves(L, op):
    """What the node of a product plus an input shows: each operand where the other needs a gradient, the
    matrices' sizes (strides where their own gradient is computed), beta and alpha as given."""
    out = []
    for needs in ((True, True, True), (True, False, True), (False, True, False), (True, False, False)):
        for k in ({}, {"beta": 2, "alpha": 0.5}):
            fn = PRODUCTS[op](L, needs, **k).grad_fn
            out.append((type(fn).__name__, {n: (getattr(fn, n).shape if isinstance(getattr(fn, n), L.Tensor)
                                                else getattr(fn, n)) for n in dir(fn) if n.startswith("_saved_")}))
    return out


@pytest.mark.parametrize("op", list(PRODUCTS))
def test_product_nodes_show_what_torchs_keep(op):
    assert _product_saves(pyfront, op) == _product_saves(torch, op)


def _addbmm_bits(L, dtype):
    """addbmm's result and gradients bit for bit: torch differentiates it by one bmm of the incoming gradient
    expanded over the batch (a matrix dimension of 1 among the shapes, where pyfront's per-product gradients
    rounded otherwise), beta and alpha, a broadcast input and a column-major batch among them."""
    import numpy as np
    rng = np.random.default_rng(0)
    out = []
    for trial in range(24):
        b, n, m, p = (int(v) for v in rng.integers(1, 6, 4))
        n, p, m = (1 if trial % 3 == 0 else n), (1 if trial % 3 == 1 else p), (1 if trial % 5 == 0 else m)
        kw = ({}, {"beta": 0.5, "alpha": 2.0}, {"beta": 0, "alpha": 0.3})[trial % 3]
        shapes = ((p,) if trial % 4 == 0 else (n, p), (b, n, m), (b, m, p), (n, p))
        values = [L.tensor(rng.standard_normal(s).astype(dtype)) for s in shapes]
        x, b1, b2 = (v.requires_grad_() for v in values[:3])
        y = L.addbmm(x, _col(b1) if trial % 2 else b1, b2, **kw)
        out.append([t.detach().numpy().tobytes() for t in (y, *L.autograd.grad(y, (x, b1, b2), values[3]))])
    return out


def _mkl_installed():
    import importlib.metadata
    try:
        importlib.metadata.distribution("mkl")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


@pytest.mark.skipif(not _mkl_installed(), reason="torch's bits need the mkl extra (README)")
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_addbmm_gradients_bit_for_bit(dtype):
    assert _addbmm_bits(pyfront, dtype) == _addbmm_bits(torch, dtype)


def _addr_bits(L, dtype, grads):
    """addr bit for bit: torch's kernel computes fma(alpha * vec1, vec2, beta * input) a vector at a time
    along each row (16 float32s, 8 float64s on AVX-512), the rest of the row as fma(beta, input, alpha * vec1
    * vec2), all of it so where the input is constant along the rows (a number, a column); its gradients are
    mv products times alpha. Sizes past one thread's grain (32768 elements) among them."""
    import numpy as np
    rng = np.random.default_rng(0)
    out = []
    for n, m in ((3, 31), (6, 17), (2, 45), (4, 70), (9, 1), (1, 40), (200, 170)):
        large = n * m > 32768  # (once: a thread's share of the rows)
        for beta, alpha in ((0.7, 1.3),) if large else ((1, 1), (0.7, 1.3), (0, 1.3)):
            for shape in ((n, m),) if large else ((n, m), (m,), (), (n, 1)):
                values = [L.tensor(rng.standard_normal(s).astype(dtype)) for s in (shape, (n,), (m,), (n, m))]
                x, v1, v2 = (v.requires_grad_() for v in values[:3])
                y = L.addr(x, v1, v2, beta=beta, alpha=alpha)
                # (one column: vec2's gradient is mv of a one-row matrix, a large one's of a transposed matrix,
                # whose bits are not torch's yet)
                found = L.autograd.grad(y, (v1, v2), values[3]) if grads and m > 1 and not large else ()
                out.append([t.detach().numpy().tobytes() for t in (y, *found)])
    return out


def _skip_unless_addr_follows_torch():
    """pyfront follows torch's addr kernel where its vectors are known (x86 with AVX2 or AVX-512), and its
    threads' shares where both libraries run as many threads: elsewhere it computes torch's values, not bits."""
    from pyfront.ops.composite.scatters import _vector_bytes
    if _vector_bytes() is None or pyfront.get_num_threads() != torch.get_num_threads():
        pytest.skip("torch's addr bits are followed on x86 with AVX2/AVX-512, at torch's thread count")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_addr_bit_for_bit(dtype):
    _skip_unless_addr_follows_torch()
    grads = _mkl_installed()  # (its gradients' mv: torch's bits through the mkl extra)
    assert _addr_bits(pyfront, dtype, grads) == _addr_bits(torch, dtype, grads)


def _addr_of_strided_inputs(L, dtype):
    """An input that is not row-major as given: torch's loop runs down a transposed one's columns (vec2
    constant there; its result, in place too, laid out as the input), its vectorised steps along the rows of
    a slice of a wider matrix or a row expanded, none along a strided one (its scalar loop); float16's
    composite too."""
    import numpy as np
    rng = np.random.default_rng(1)
    layouts = {"transposed": lambda x, n, m: x[:m, :n].t(), "rows": lambda x, n, m: x[:n, :m],
               "strided": lambda x, n, m: x[:n, ::2][:, :m],
               "expanded": lambda x, n, m: x[:1, :m].expand(n, m)}
    out = []
    for n, m in ((3, 4), (7, 33), (40, 17), (257, 129)):
        for beta, alpha in ((1, 1), (0.3, 0.7), (0, 2)):
            big, v1, v2 = (L.tensor(rng.standard_normal(s).astype(dtype)) for s in ((300, 300), (n,), (m,)))
            for name, layout in layouts.items():
                y = L.addr(layout(big, n, m), v1, v2, beta=beta, alpha=alpha)
                out.append((name, y.stride(), y.numpy().tobytes()))
            y = big[:m, :n].t().addr_(v1, v2, beta=beta, alpha=alpha)
            out.append((y.stride(), y.numpy().tobytes()))
    return out


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_addr_of_strided_inputs(dtype):
    if dtype != "float16":
        _skip_unless_addr_follows_torch()
    assert _addr_of_strided_inputs(pyfront, dtype) == _addr_of_strided_inputs(torch, dtype)



def _addr_of_strided_vectors(L, dtype):
    """torch's TensorIterator runs addr's vectorised loop only where every operand is contiguous along it but
    one constant input: a strided vector along the loop, or vec2 expanded along a row (two constants), runs
    its scalar loop; an out= tensor's strides choose the loop first (a transposed out runs down the
    columns); a dim of one laid out as the input's strides say, beta 0 too (no input read)."""
    import numpy as np
    rng = np.random.default_rng(2)
    out = []
    for n, m in ((7, 33), (40, 17), (1, 40), (40, 1)):
        big = L.tensor(rng.standard_normal((90, 90)).astype(dtype))
        w1, w2 = (L.tensor(rng.standard_normal(3 * k).astype(dtype)) for k in (n, m))
        vectors = {"plain": (w1[:n], w2[:m]), "vec1 strided": (w1[::3][:n], w2[:m]),
                   "vec2 strided": (w1[:n], w2[::2][:m]), "vec2 expanded": (w1[:n], w2[:1].expand(m))}
        for beta, alpha in ((1, 1), (0.3, 0.7), (0, 2)):
            for v1, v2 in vectors.values():
                for x in (big[:n, :m], big[:m, :n].t()):
                    y = L.addr(x, v1, v2, beta=beta, alpha=alpha)
                    out.append((y.stride(), y.numpy().tobytes()))
                for o in (L.empty(m, n, dtype=getattr(L, dtype)).t(), L.empty(n, m, dtype=getattr(L, dtype))):
                    L.addr(big[:m, :n].t(), v1, v2, beta=beta, alpha=alpha, out=o)
                    out.append((o.stride(), o.numpy().tobytes()))
    return out


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_addr_of_strided_vectors(dtype):
    _skip_unless_addr_follows_torch()
    assert _addr_of_strided_vectors(pyfront, dtype) == _addr_of_strided_vectors(torch, dtype)


def test_addr_in_place_refuses_self_of_another_shape():
    """addr_ writes into self as it is: torch's own texts for a self that is not the 2-D product's shape."""
    for self_shape, n, m in (((3,), 2, 3), ((1, 3), 2, 3), ((2, 3), 2, 4), ((2, 3, 1), 2, 3)):
        texts = []
        for L in (pyfront, torch):
            with pytest.raises(RuntimeError) as info:
                L.ones(self_shape).addr_(L.ones(n), L.ones(m), beta=2)
            texts.append(str(info.value))
        assert texts[0] == texts[1]


def _addr_without_input(L):
    """beta 0: torch's kernels give alpha * vec1 * vec2 alone (a -0.0 kept, a NaN input unread) for every
    dtype, the composite ones (complex, 16-bit, mixed dtypes, an input to broadcast) too."""
    import numpy as np
    out = []
    for dtype, in_dtype in (("complex128", "complex128"), ("complex64", "float32"), ("float16", "float16"),
                            ("bfloat16", "bfloat16"), ("float64", "int32"), ("float32", "int32")):
        v1 = L.tensor(np.arange(3.0) - 1, dtype=getattr(L, dtype))
        v2 = L.tensor(np.arange(4.0) * 0.7 - 1, dtype=getattr(L, dtype))
        for x in (L.full((3, 4), 7), L.full((4, 3), 7).t(), L.full((4,), 7)):
            y = L.addr(x.to(getattr(L, in_dtype)), v1, v2, beta=0)
            y = y.float() if y.dtype.itemsize == 2 else y
            out.append((y.stride(), y.numpy().tobytes()))
    return out


def test_addr_beta_zero_is_the_product_alone():
    assert _addr_without_input(pyfront) == _addr_without_input(torch)
