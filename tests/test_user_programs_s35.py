"""Faults found running session 35's user-style programs (tests/programs/: each file's header names the
public code it imitates), each checked as a kind against torch 2.13: the number powers torch's kernel
computes by products (x ** 3 as x * x * x, x ** -2 as 1 / (x * x)) and the gradients built on them
(rsqrt's), tanh's backward with its fused multiply-add (Karpathy's makemore part 4 compares it with the
formula written out), a complex base's negative integer power."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import pyfront


def _floats(dtype, n=2000, seed=0):
    """Random values of several scales with zeros, infinities, NaN and subnormals, as a float64 array."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n) * np.exp(rng.uniform(-8, 8, n))
    x[:8] = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-40, -3e-39, 7.0]
    return x.astype(dtype)


def _same(got, want) -> bool:
    """Bit for bit, any NaN for a NaN (torch's NaN payloads after a cast vary with its kernels)."""
    a, b = (np.ascontiguousarray(t.detach().float().numpy() if t.dtype in (torch.bfloat16, pyfront.bfloat16)
                                 else t.detach().numpy()) for t in (got, want))
    return a.shape == b.shape and bool(((a.view(f"u{a.itemsize}") == b.view(f"u{b.itemsize}"))
                                        | (np.isnan(a) & np.isnan(b))).all())


# how a program writes a number power
_FORMS = {"operator": lambda lib, x, e: x ** e, "function": lambda lib, x, e: lib.pow(x, e),
          "method": lambda lib, x, e: x.pow(e), "in-place": lambda lib, x, e: x.clone().pow_(e)}


@pytest.mark.parametrize("dtype", ["float32", "float64", "bfloat16"])
@pytest.mark.parametrize("exponent", [3, -2, 3.0, -2.0, 2])
def test_number_powers_by_products_as_torch(dtype, exponent):
    x = _floats("float64")
    with np.errstate(all="ignore"):
        for form, call in _FORMS.items():
            want = call(torch, torch.tensor(x).to(getattr(torch, dtype)), exponent)
            got = call(pyfront, pyfront.tensor(x).to(getattr(pyfront, dtype)), exponent)
            assert got.dtype.__repr__() == repr(want.dtype)
            assert _same(got, want), (form, dtype, exponent)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gradients_through_cubes_as_torch(dtype):
    # rsqrt's backward is -0.5 * g * result ** 3; pow's backward for 3 is g * (3 * x ** 2)
    x = np.abs(_floats(dtype, seed=1)[8:]) + 0.1
    g = _floats(dtype, seed=2)[8:]
    for op in (lambda t: t.rsqrt(), lambda t: t ** 3):
        grads = []
        for lib in (torch, pyfront):
            t = lib.tensor(x, requires_grad=True)
            op(t).backward(lib.tensor(g))
            grads.append(t.grad)
        assert _same(grads[1], grads[0])


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
def test_tanh_backward_is_torchs_kernel(dtype):
    # torch's tanh_backward is g * fma(-y, y, 1): the written-out g * (1 - y * y) differs in the last bit,
    # which makemore part 4's cmp() shows; compared given pyfront's own forward (libm's tanh is not SLEEF's)
    rng = np.random.default_rng(3)
    xs, gs, ws = (rng.standard_normal(3000) for _ in range(3))
    x = pyfront.tensor(xs, dtype=getattr(pyfront, dtype), requires_grad=True)
    g = pyfront.tensor(gs, dtype=getattr(pyfront, dtype), requires_grad=True)
    y = x.tanh()
    gx, = pyfront.autograd.grad(y, x, g, create_graph=True)
    w = pyfront.tensor(ws, dtype=x.dtype)
    gg, gy = pyfront.autograd.grad(gx, (g, x), w)

    def ours(t):
        t = t.detach()
        t = t.float() if t.dtype is pyfront.bfloat16 else t
        return torch.from_numpy(t.numpy()).to(getattr(torch, dtype))
    ty = ours(y).requires_grad_()
    tg = ours(g).requires_grad_()
    want = torch.ops.aten.tanh_backward(tg, ty)
    assert _same(ours(gx), want)
    if x.dtype in (pyfront.float16, pyfront.bfloat16):
        return  # (their second derivatives round in float32 steps torch's half kernels take otherwise)
    want_gg, want_gy = torch.autograd.grad(want, (tg, ty), ours(w))
    assert _same(ours(gg), want_gg)
    # pyfront's gy is through y = tanh(x): torch's gradient for y, times tanh's derivative
    assert _same(ours(gy), torch.ops.aten.tanh_backward(want_gy, ty))


def test_complex_base_takes_negative_integer_powers():
    z = np.array([1 + 1j, -2 + 0.5j, 0.25j], np.complex64)
    for e in (-1, -2, -3):
        want = torch.tensor(z) ** e
        got = pyfront.tensor(z) ** e
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)
    for lib in (torch, pyfront):  # integers still refuse
        with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed."):
            lib.tensor([2]) ** -2


def _grad_calls(lib):
    """autograd.grad and backward called with the iterables programs pass (MAML's dict(...).values(), a
    generator of parameters, a dict of named tensors), each call's outcome."""
    import types
    seen = []

    def fresh():
        a, b = lib.tensor([1.0, 2.0], requires_grad=True), lib.tensor([3.0], requires_grad=True)
        return a, b, (a * a).sum() + (b ** 3).sum()

    def grads(r):
        if isinstance(r, dict):
            return {k: v.tolist() for k, v in r.items()}
        return [None if t is None else t.tolist() for t in r]

    def backward_then(a, b, **kw):
        return lambda loss: (lib.autograd.backward(loss, **kw), (a.grad, b.grad))[1]

    calls = [lambda a, b, l: lib.autograd.grad(l, {"a": a, "b": b}.values()),
             lambda a, b, l: lib.autograd.grad(l, (p for p in (a, b))),
             lambda a, b, l: lib.autograd.grad([l], iter([a])),
             lambda a, b, l: lib.autograd.grad((x for x in [l]), [a]),
             lambda a, b, l: lib.autograd.grad(l, [a], grad_outputs=(g for g in [lib.tensor(2.0)])),
             lambda a, b, l: lib.autograd.grad(l, {"a": a, "b": b}),
             lambda a, b, l: lib.autograd.grad(l, {a: 1}),
             lambda a, b, l: lib.autograd.grad(l, types.MappingProxyType({"a": a})),
             lambda a, b, l: lib.autograd.grad(l, iter([])),
             lambda a, b, l: lib.autograd.grad(l, [a, 1.0]),
             lambda a, b, l: lib.autograd.grad([l, 3], [a]),
             lambda a, b, l: lib.autograd.grad(l, [a], materialize_grads=True, allow_unused=False),
             lambda a, b, l: backward_then(a, b, inputs={"a": a}.values())(l),
             lambda a, b, l: backward_then(a, b, inputs={"b": b})(l),
             lambda a, b, l: backward_then(a, b, inputs=(p for p in [a]))(l),
             lambda a, b, l: backward_then(a, b, grad_tensors=iter([lib.tensor(3.0)]))([l]),
             lambda a, b, l: backward_then(a, b)(x for x in [l]),
             lambda a, b, l: (l.backward(inputs=(p for p in [b])), (a.grad, b.grad))[1],
             lambda a, b, l: backward_then(a, b, inputs=[a, 2])(l)]
    for call in calls:
        try:
            seen.append(("ok", grads(call(*fresh()))))
        except Exception as e:  # noqa: BLE001 - the exception is what is compared
            seen.append((type(e).__name__, str(e)))
    return seen


def test_autograd_takes_any_iterable_and_a_dict_as_torch():
    assert _grad_calls(pyfront) == _grad_calls(torch)


def _bounds_calls(lib):
    """uniform_ and random_ given their bounds as 0-d tensors (torchvision's RandomResizedCrop passes
    ``log_ratio[0]``), and the arguments torch's parser refuses, each call's outcome."""
    t = lib.tensor
    calls = [("uniform_", (t(0.5), t(2.0)), {}), ("uniform_", (), {"from": t(1), "to": t(3)}),
             ("uniform_", (t(True), 2.0), {}), ("uniform_", (t([0.5]), 2.0), {}),
             ("uniform_", (t(0.5, requires_grad=True), 2.0), {}), ("uniform_", (t(1 + 1j), 2.0), {}),
             ("uniform_", ("a", 1.0), {}), ("uniform_", (1.0, None), {}), ("uniform_", (), {"to": "a"}),
             ("random_", (t(2), t(9)), {}), ("random_", (t(9),), {}),
             ("random_", (), {"from": t(1), "to": t(4)}),
             ("random_", (t(2.0), t(9.0)), {}), ("random_", (t(True), 3), {}), ("random_", (2, None), {})]
    seen = []
    for name, args, kwargs in calls:
        x = lib.zeros(200)
        try:
            getattr(x, name)(*args, **kwargs)
            seen.append(("ok", float(x.min()) >= 0.5, float(x.max()) < 9))
        except Exception as e:  # noqa: BLE001 - the exception is what is compared
            seen.append((type(e).__name__, str(e)))
    return seen


def test_sampling_bounds_take_0d_tensors_as_torch():
    assert _bounds_calls(pyfront) == _bounds_calls(torch)


_DRAW_DTYPES = ["bool", "uint8", "int16", "int64", "uint16", "float16", "bfloat16", "float32", "complex64",
                "complex128", "float8_e4m3fn"]
# every sampling fill and factory, as a program calls it on a tensor (or dtype) of each kind
_DRAWS = {"uniform_": lambda lib, z: z.uniform_(), "normal_": lambda lib, z: z.normal_(),
          "log_normal_": lambda lib, z: z.log_normal_(), "exponential_": lambda lib, z: z.exponential_(),
          "cauchy_": lambda lib, z: z.cauchy_(), "geometric_": lambda lib, z: z.geometric_(0.5),
          "bernoulli_": lambda lib, z: z.bernoulli_(0.5),
          "bernoulli_ tensor": lambda lib, z: z.bernoulli_(lib.full((4,), 0.5)),
          "random_": lambda lib, z: z.random_(), "random_ to": lambda lib, z: z.random_(5),
          "random_ from to": lambda lib, z: z.random_(1, 5),
          "rand": lambda lib, z: lib.rand(4, dtype=z.dtype),
          "randn": lambda lib, z: lib.randn(4, dtype=z.dtype),
          "randint": lambda lib, z: lib.randint(0, 2, (4,), dtype=z.dtype),
          "randperm": lambda lib, z: lib.randperm(4, dtype=z.dtype),
          "rand_like": lambda lib, z: lib.rand_like(z), "randn_like": lambda lib, z: lib.randn_like(z),
          "randint_like": lambda lib, z: lib.randint_like(z, 2),
          "normal": lambda lib, z: lib.normal(0.0, 1.0, (4,), dtype=z.dtype),
          "bernoulli": lambda lib, z: lib.bernoulli(z), "poisson": lambda lib, z: lib.poisson(z),
          "multinomial": lambda lib, z: lib.multinomial(lib.ones(4, dtype=z.dtype), 1)}


@pytest.mark.parametrize("dtype", _DRAW_DTYPES)
def test_sampling_kernels_take_torchs_dtypes(dtype):
    # torch's CPU sampling kernels each dispatch on their own dtypes: the others are refused by name (pyfront
    # refused complex rand, drew complex bernoulli_/random_/geometric_, raised KeyError for bfloat16 random_)
    seen = []
    for lib in (torch, pyfront):
        row = {}
        for name, draw in _DRAWS.items():
            try:
                row[name] = ("ok", str(draw(lib, lib.zeros(4, dtype=getattr(lib, dtype))).dtype))
            except Exception as e:  # noqa: BLE001 - the exception is what is compared
                row[name] = (type(e).__name__, str(e).split("\n")[0])
        seen.append(row)
    assert seen[1] == seen[0]


def test_complex_draws_are_their_real_views():
    # torch draws a complex tensor as its view_as_real: rand as uniform_, normal(size) as normal_ (each part
    # N(mean, std**2 / 2); pyfront's normal(size, dtype=complex64) had zero imaginary parts)
    g = pyfront.Generator()
    pairs = pyfront.rand(3, 2, generator=g.manual_seed(5))
    drawn = pyfront.rand(3, dtype=pyfront.complex64, generator=g.manual_seed(5))
    assert pyfront.view_as_real(drawn).equal(pairs)
    filled = pyfront.empty(3, dtype=pyfront.complex64).normal_(2.0, 3.0, generator=g.manual_seed(5))
    assert pyfront.normal(2.0, 3.0, (3,), dtype=pyfront.complex64, generator=g.manual_seed(5)).equal(filled)
    big = pyfront.normal(2.0, 3.0, (20000,), dtype=pyfront.complex128)
    np.testing.assert_allclose([big.real.mean().item(), big.imag.mean().item()], [2.0, 2.0], atol=0.05)
    np.testing.assert_allclose([big.real.std().item(), big.imag.std().item()], [3 / 2 ** 0.5] * 2, rtol=0.03)


@pytest.mark.parametrize("name", ["to_sparse_csr", "to_sparse_csc", "to_sparse_bsr", "to_sparse_bsc"])
def test_compressed_layouts_refused_alike_from_coo(name):
    # torch converts both a dense and a COO tensor; pyfront has no compressed layout and says so for both
    # (a COO tensor gave torch's no-kernel error, as if torch had no such conversion)
    args = ((1, 1),) if name.endswith(("bsr", "bsc")) else ()
    for source in (pyfront.eye(2), pyfront.eye(2).to_sparse()):
        with pytest.raises(RuntimeError, match="pyfront has sparse COO tensors only"):
            getattr(source, name)(*args)
    for source in (torch.eye(2), torch.eye(2).to_sparse()):
        assert getattr(source, name)(*args).shape == (2, 2)


def _size_keyword_calls(lib):
    """Factories and ``new_*`` methods given ``size=`` (torch's own flex_attention noop_mask calls
    ``batch.new_ones(size=())``), with the conflicts and bare ints torch's parser refuses."""
    x = lib.ones(2)
    calls = [lambda: x.new_ones(size=()), lambda: x.new_zeros(size=[2, 3]),
             lambda: x.new_empty(size=(2,)).shape,
             lambda: x.new_ones(size=(1,), dtype=lib.bool), lambda: x.new_ones(2, size=(2,)),
             lambda: x.new_ones(size=3), lambda: lib.ones(size=3), lambda: lib.zeros(size=None),
             lambda: lib.empty(2, size=(3,)), lambda: lib.rand(2, size=(3,)), lambda: lib.randn(size=None),
             lambda: lib.zeros(size=lib.Size([2, 1]))]
    seen = []
    for call in calls:
        try:
            out = call()
            seen.append(("ok", tuple(out) if isinstance(out, tuple) else (out.tolist(), str(out.dtype))))
        except Exception as e:  # noqa: BLE001 - the exception is what is compared
            seen.append((type(e).__name__, str(e).split("\n")[0]))
    return seen


def test_size_keyword_as_torch():
    assert _size_keyword_calls(pyfront) == _size_keyword_calls(torch)


def _flex_run(lib):
    """torch.nn.attention.flex_attention as attention-gym's examples call it (masks combined by and/or,
    document and sliding-window masks, ALiBi and soft-capping score_mods, GQA, log-sum-exp), with its
    BlockMask printed, sliced and made dense, and the refusals of its CPU path, each call's outcome."""
    import importlib
    warnings.simplefilter("ignore")
    fa = importlib.import_module(lib.__name__ + ".nn.attention.flex_attention")
    fa._FLEX_ATTENTION_DISABLE_COMPILE_DEBUG = True  # (torch's eager path, uncompiled: seconds faster)
    rng = np.random.default_rng(0)
    q, k, v = (lib.tensor(rng.standard_normal(s).astype(np.float32))
               for s in ((2, 4, 16, 8), (2, 2, 16, 8), (2, 2, 16, 8)))
    bias = lib.tensor(rng.standard_normal(4).astype(np.float32))
    doc = lib.tensor([0] * 5 + [1] * 7 + [2] * 4)

    def causal(b, h, q_idx, kv_idx):
        return q_idx >= kv_idx

    def document(b, h, q_idx, kv_idx):
        return doc[q_idx] == doc[kv_idx]

    def window(b, h, q_idx, kv_idx):
        return q_idx - kv_idx <= 4

    def alibi(score, b, h, q_idx, kv_idx):
        return score + bias[h] * (kv_idx - q_idx)

    def softcap(score, b, h, q_idx, kv_idx):
        return 2.0 * lib.tanh(score / 2.0)

    seen = []
    bm = fa.create_block_mask(fa.and_masks(causal, document), None, None, 16, 16, device="cpu", BLOCK_SIZE=4)
    bm2 = fa.create_block_mask(fa.or_masks(window, document), 2, 4, 16, 16, device="cpu", BLOCK_SIZE=(4, 8))
    none = fa.create_block_mask(lambda b, h, q_idx, kv_idx: kv_idx > q_idx + 100, 1, 1, 16, 16, device="cpu")
    seen += [str(bm), repr(bm).replace("torch.", ""), bm2.to_string(limit=2), bm.to_dense().tolist(),
             bm.full_kv_indices.tolist(), bm.q_num_blocks.tolist(), bm[0, 0, 1:3].kv_num_blocks.tolist(),
             bm2.sparsity(), fa.create_mask(alibi, 1, 1, 4, 4, "cpu").tolist()]
    outs = [fa.flex_attention(q, k, v, score_mod=alibi, block_mask=bm, enable_gqa=True),
            *fa.flex_attention(q, k, v, score_mod=softcap, enable_gqa=True, return_lse=True),
            fa.flex_attention(q, k, v, block_mask=bm2, enable_gqa=True,
                              return_aux=fa.AuxRequest(lse=True))[1].lse,
            *fa.flex_attention(q, k, v, block_mask=none, enable_gqa=True, return_lse=True)]
    seen += [np.round(o.numpy().astype(np.float64), 4).tolist() for o in outs]
    for bad in (lambda: fa.flex_attention(q, k, v),
                lambda: fa.flex_attention(q[:, :, :8], k, v, block_mask=bm),
                lambda: fa.flex_attention(q, k, v, block_mask=bm[0], enable_gqa=True),
                lambda: fa.flex_attention(q.clone().requires_grad_(), k, v, enable_gqa=True),
                lambda: fa.flex_attention(q, k, v, enable_gqa=True,
                                          return_aux=fa.AuxRequest(max_scores=True)),
                lambda: fa.create_block_mask(alibi, 1, 1, 4, 4)):
        try:
            bad()
            seen.append("no error")
        except Exception as e:  # noqa: BLE001 - the exception is what is compared
            seen.append((type(e).__name__, str(e).split(" at 0x")[0]))
    return seen


def test_flex_attention_as_torchs_eager_path():
    import torch.nn.attention.flex_attention as theirs
    from pyfront.nn.attention import flex_attention as ours
    try:
        with warnings.catch_warnings():
            assert _flex_run(pyfront) == _flex_run(torch)
    finally:
        theirs._FLEX_ATTENTION_DISABLE_COMPILE_DEBUG = ours._FLEX_ATTENTION_DISABLE_COMPILE_DEBUG = False
