"""Lazy elementwise fusion on webgpu (backends/webgpu/fusion.py): fused and unfused give the same
numbers and gradients, a chain is one dispatch, and a pending result reads its inputs as they were
at the time of the op."""
import gc
import threading

import numpy as np
import pytest
import torch

import pyfront
from optable import _resolve, build, entries, to_numpy
from pyfront.backends.webgpu import fusion
from webgpu_required import requires_webgpu

pytestmark = requires_webgpu
DEV = "webgpu"


@pytest.fixture
def unfused():
    fusion.ENABLED = False
    yield
    fusion.ENABLED = True


def _runtime():
    return pyfront.webgpu._backend().runtime


# Every elementwise op's first samples, and the edge rows (narrow ints, nan/inf, float16) of some.
_ELEMENTWISE = {op.name for op in pyfront.ops.registry.OPS.values()
                if op.kind == "elementwise"}
_EVERY_ROW = ("add", "mul", "sub", "where", "sigmoid")
_COMPOSITES = ("nn.functional.softmax", "nn.functional.gelu", "nn.functional.cross_entropy",
               "addcmul", "lerp")
ROWS = [pytest.param(e, i, id=f"{e[0]}-{i}") for e in entries()
        for i in range(len(e[2]))
        if (e[0] in _ELEMENTWISE and (i == 0 or e[0] in _EVERY_ROW and i % 4 == 0))
        or (e[0] in _COMPOSITES and i == 0)]


# Reductions whose input is a pending result: the chain is computed in the reduction's loads.
_REDUCTIONS = ("sum", "prod", "amax", "amin", "all", "any", "mean", "var", "std", "norm", "logsumexp",
               "nn.functional.log_softmax", "nn.functional.cross_entropy")
REDUCE_ROWS = [pytest.param(e, i, id=f"{e[0]}-{i}") for e in entries() for i in range(len(e[2]))
               if e[0] in _REDUCTIONS and i % 5 == 0 and "float64" not in repr(e[2][i])]  # webgpu has no f64


def _run(entry, index, pending_inputs=False):
    """One op table row on webgpu: its outputs and its inputs' gradients, as NumPy arrays (or the
    error it raises). ``pending_inputs``: each tensor argument is first copied by an elementwise op
    (clone), so the op reads a pending result where fusion is on."""
    name, torch_name, samples, domain, differentiable = entry
    rng = np.random.default_rng(index)
    args, kwargs = samples[index]
    built = [build(a, domain, rng, DEV) for a in args]
    kw = {k: build(v, domain, rng, DEV) for k, v in kwargs.items()}

    def arg(b):
        return b[0].clone() if pending_inputs and isinstance(b[0], pyfront.Tensor) else b[0]
    try:
        out = _resolve(pyfront, torch_name)(*[arg(b) for b in built], **{k: arg(v) for k, v in kw.items()})
        outs = out if isinstance(out, (tuple, list)) else (out,)
        outs = [o for o in outs if isinstance(o, pyfront.Tensor)]
        result = [to_numpy(o) for o in outs]
        leaves = [b[2] for b in [*built, *kw.values()] if b[2] is not None]
        floats = [o for o in outs if o.dtype.is_floating_point and o.requires_grad]
        if differentiable and leaves and floats:
            cot = [pyfront.tensor(rng.uniform(-1, 1, tuple(o.shape)).astype(np.float32), device=DEV)
                   .to(o.dtype) for o in floats]
            total = sum((o * c).sum() for o, c in zip(floats, cot))
            grads = pyfront.autograd.grad(total, leaves, allow_unused=True)
            result += [None if g is None else to_numpy(g) for g in grads]
    except Exception as e:  # the same error either way
        return (type(e), str(e))
    return result


def _same(a, b):
    if isinstance(a, tuple):
        assert a == b
        return
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert (x is None) == (y is None)
        if x is not None:
            assert x.dtype == y.dtype and x.shape == y.shape
            np.testing.assert_allclose(x.astype(np.float64), y.astype(np.float64), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("entry,index", ROWS)
def test_fused_and_unfused_give_the_same_numbers_and_gradients(entry, index):
    fused = _run(entry, index)
    fusion.ENABLED = False
    try:
        unfused = _run(entry, index)
    finally:
        fusion.ENABLED = True
    _same(fused, unfused)


@pytest.mark.parametrize("entry,index", REDUCE_ROWS)
def test_reductions_of_pending_inputs_give_the_same_numbers_and_gradients(entry, index):
    fused = _run(entry, index, pending_inputs=True)
    fusion.ENABLED = False
    try:
        unfused = _run(entry, index, pending_inputs=True)
    finally:
        fusion.ENABLED = True
    _same(fused, unfused)
    _same(fused, _run(entry, index))  # and as the op reads its inputs from memory


def test_a_chain_into_a_reduction_is_one_dispatch():
    x, y = pyfront.randn(600, 70, device=DEV), pyfront.randn(70, device=DEV)
    expected = _chain(torch.from_numpy(to_numpy(x)), torch.from_numpy(to_numpy(y)))
    for reduce in (lambda t: t.sum(1), lambda t: t.amax(0), lambda t: t.sum()):  # serial, workgroup, 2 passes
        reduce(_chain(x, y))  # the scalars' constants are made once
        pyfront.webgpu.synchronize()
        before = _runtime().dispatch_count
        got = reduce(_chain(x, y))
        pyfront.webgpu.synchronize()
        assert _runtime().dispatch_count - before == (2 if got.dim() == 0 else 1)
        torch.testing.assert_close(torch.from_numpy(got.cpu().numpy()), reduce(expected))


def test_a_pending_result_broadcast_into_a_chain_is_computed_in_it():
    x, v = pyfront.randn(64, 33, device=DEV), pyfront.randn(64, 1, device=DEV)
    tx, tv = torch.from_numpy(to_numpy(x)), torch.from_numpy(to_numpy(v))

    def chain(x, v):
        w = v * 2 + 1  # (64, 1), read by every element of a row
        return (x - w).exp(), w

    chain(x, v)[0].cpu()  # the scalars' constants are made once
    pyfront.webgpu.synchronize()
    before = _runtime().dispatch_count
    z, w = chain(x, v)
    got = z.cpu()
    assert _runtime().dispatch_count - before == 1
    tz, tw = chain(tx, tv)
    torch.testing.assert_close(torch.from_numpy(got.numpy()), tz)
    torch.testing.assert_close(torch.from_numpy(w.cpu().numpy()), tw)  # still its own values


def test_a_chain_stores_the_pending_results_it_computes_on_the_way():
    """buf.mul_(m).add_(g); p.sub_(lr * buf): computing p computes buf too, in the same dispatch,
    each stored as its own kernel would (an int8 step wraps)."""
    def step(p, buf, g):
        buf.mul_(0.9).add_(g)
        p.sub_(0.01 * buf)

    step(*(pyfront.randn(1000, device=DEV) for _ in range(3)))  # the scalars' constants are made once
    p, buf, g = (pyfront.randn(1000, device=DEV) for _ in range(3))
    tp, tbuf, tg = (torch.from_numpy(to_numpy(t)) for t in (p, buf, g))
    pyfront.webgpu.synchronize()
    before = _runtime().dispatch_count
    step(p, buf, g)
    pyfront.webgpu.synchronize()
    assert _runtime().dispatch_count - before == 1
    step(tp, tbuf, tg)
    torch.testing.assert_close(torch.from_numpy(p.cpu().numpy()), tp)
    torch.testing.assert_close(torch.from_numpy(buf.cpu().numpy()), tbuf)
    x = pyfront.tensor([100, -100, 7], dtype=pyfront.int8, device=DEV)
    tx = torch.tensor([100, -100, 7], dtype=torch.int8)
    y = x * 3
    z = y + 1
    assert z.tolist() == (tx * 3 + 1).tolist() and y.tolist() == (tx * 3).tolist()


def _chain(x, y):
    return ((x * 2 + y).relu() - 1).sigmoid()


def test_a_chain_is_one_dispatch():
    x, y = pyfront.randn(64, 33, device=DEV), pyfront.randn(33, device=DEV)
    pyfront.webgpu.synchronize()
    runtime = _runtime()
    before = runtime.dispatch_count
    z = _chain(x, y)
    got = z.cpu()
    assert runtime.dispatch_count - before == 1
    expected = _chain(torch.from_numpy(to_numpy(x)), torch.from_numpy(to_numpy(y)))
    torch.testing.assert_close(torch.from_numpy(got.numpy()), expected)


def test_unfused_a_chain_is_a_dispatch_per_op(unfused):
    x, y = pyfront.randn(64, 33, device=DEV), pyfront.randn(33, device=DEV)
    pyfront.webgpu.synchronize()
    before = _runtime().dispatch_count
    _chain(x, y).cpu()
    assert _runtime().dispatch_count - before >= 4


def test_a_pending_result_reads_its_inputs_as_they_were():
    base = np.arange(12, dtype=np.float32).reshape(3, 4)
    x = pyfront.tensor(base, device=DEV)
    y = x * 2          # pending: reads x's memory
    v = x[1]           # a view: the write below goes through x's memory
    v.mul_(10)
    x.add_(1)
    x[0, 0] = -5.0
    z = y + 1          # inlines y, still pending
    x.zero_()
    np.testing.assert_array_equal(y.cpu().numpy(), base * 2)
    np.testing.assert_array_equal(z.cpu().numpy(), base * 2 + 1)
    expected = base.copy()
    expected[1] *= 10
    expected += 1
    expected[0, 0] = -5
    assert not x.cpu().numpy().any()


def test_writes_into_views_and_parameters():
    base = np.random.default_rng(0).standard_normal((5, 6)).astype(np.float32)
    for device in ("cpu", DEV):
        a = pyfront.zeros(5, 6, device=device)
        p = pyfront.nn.Parameter(pyfront.tensor(base, device=device))
        g = pyfront.tensor(base[::-1].copy(), device=device)
        with pyfront.no_grad():
            a[:, 1:3] = (g[:, :2] * 3).exp()     # a pending result into a strided view
            a.t()[2].copy_(g[:, 5] - 1)          # into a strided row of a transposed view
            p.add_(g * 0.5, alpha=-0.1)          # reads p element for element while writing it
            p.mul_(p.t().t() + 1)                # the same, through views
            q = a * 1                             # q reads a; a is written after
            a[0] = p[0] - a[0]
        got = [t.detach().cpu().numpy() for t in (a, p, q)]
        if device == "cpu":
            expected = got
    for x, y in zip(got, expected):
        np.testing.assert_allclose(x, y, rtol=1e-6, atol=1e-6)


def test_one_pending_result_with_several_readers_and_itself_read():
    x = pyfront.randn(7, 5, device=DEV)
    y = (x * 3).sin()
    a, b = y + 1, y * y
    xs = torch.from_numpy(to_numpy(x))
    ys = (xs * 3).sin()
    torch.testing.assert_close(torch.from_numpy(a.cpu().numpy()), ys + 1)
    torch.testing.assert_close(torch.from_numpy(b.cpu().numpy()), ys * ys)
    torch.testing.assert_close(torch.from_numpy(y.cpu().numpy()), ys)


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "int32", "bool", "float16"])
def test_chains_store_each_step_as_its_own_kernel(dtype):
    """A narrow integer wraps and a float16 rounds at every step, fused or not, as in torch."""
    if dtype == "float16" and not pyfront.webgpu._backend().has_f16:
        pytest.skip("this adapter has no shader-f16 (float16 is refused there, fused or not)")
    rng = np.random.default_rng(1)
    data = rng.integers(0, 100, (4, 9))
    if dtype == "float16":
        data = (rng.standard_normal((4, 9)) * 300).astype(np.float32)
    t = torch.tensor(data).to(getattr(torch, dtype))
    p = pyfront.tensor(data, device=DEV).to(getattr(pyfront, dtype))
    if dtype == "bool":
        expected, got = (t & ~t.t().t()) | t, (p & ~p.t().t()) | p
    else:
        expected, got = (t * 3 + t) * 5 - t.flip(0), (p * 3 + p) * 5 - p.flip(0)
    torch.testing.assert_close(torch.from_numpy(got.cpu().numpy()), expected)


def test_long_chains_are_cut_and_stay_right():
    x = pyfront.randn(300, device=DEV)
    xs = torch.from_numpy(to_numpy(x))
    for i in range(60):
        x = x * 0.99 + i / 100
        xs = xs * 0.99 + i / 100
    torch.testing.assert_close(torch.from_numpy(x.cpu().numpy()), xs)


def test_threads_fuse_apart():
    errors = []

    def work(seed):
        try:
            rng = np.random.default_rng(seed)
            data = rng.standard_normal((50, 20)).astype(np.float32)
            x = pyfront.tensor(data, device=DEV)
            for _ in range(20):
                x = (x * 0.5 + 1).tanh()
                data = np.tanh(data * 0.5 + 1)
            np.testing.assert_allclose(x.cpu().numpy(), data, rtol=1e-5, atol=1e-6)
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=work, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


@requires_webgpu
def test_synchronize_computes_pending_results():
    """synchronize() waits for every op issued, as torch.cuda.synchronize() does: a fused result not
    read yet is computed by it (timing code would otherwise time nothing)."""
    rt = pyfront.webgpu._backend().runtime
    gc.collect()
    pyfront.webgpu.synchronize()  # what earlier tests left pending
    a = pyfront.arange(1000.0, device="webgpu")
    c = (a * 2 + 1).relu()
    before = rt.dispatch_count
    pyfront.webgpu.synchronize()
    assert rt.dispatch_count == before + 1
    after = rt.dispatch_count
    assert c.tolist()[:3] == [1.0, 3.0, 5.0] and rt.dispatch_count == after  # already computed
