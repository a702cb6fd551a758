"""The cpu fast paths of issue 13 give the numbers of the general paths they stand in for.

The multi-tensor (foreach) SGD step against the op-by-op loop (bit for bit) and against torch's
trajectory; a transposed matmul operand's gradient in row-major order; per-op state that now lives
on the class (autograd fields, hooks) kept per tensor.
"""

import math
import warnings

import numpy as np
import pytest
import torch

import pyfront
from pyfront.ops.registry import OPS

SGD_CONFIGS = [
    {"momentum": 0.9},
    {"momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01},
    {"momentum": 0.8, "nesterov": True, "maximize": True},
    {"weight_decay": 0.1},
    {},
]


def _run_sgd(lib, config, foreach, dtype="float32", steps=4):
    rng = np.random.default_rng(0)
    dt = getattr(lib, dtype)
    params = [lib.tensor(rng.standard_normal(s).tolist(), dtype=dt, requires_grad=True)
              for s in ((4, 3), (3,), ())]
    targets = [lib.tensor(rng.standard_normal(p.shape).tolist(), dtype=dt) for p in params]
    kw = {} if lib is torch else {"foreach": foreach}
    opt = lib.optim.SGD(params, lr=0.05, **config, **kw)
    for _ in range(steps):
        opt.zero_grad()
        sum(((p - t) ** 3).sum() for p, t in zip(params, targets)).backward()
        opt.step()
    return [p.detach().numpy() for p in params], [v.get("momentum_buffer") for v in opt.state.values()]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("config", SGD_CONFIGS, ids=str)
def test_foreach_sgd_is_the_loop_bit_for_bit(config, dtype, monkeypatch):
    from pyfront.backends.numpy import NumpyBackend
    monkeypatch.setattr(pyfront.backends.numpy, "_CHUNK_BYTES", 16)  # (4, 3) chunked, the rest whole
    calls = []
    kernel = NumpyBackend.foreach_sgd
    monkeypatch.setattr(NumpyBackend, "foreach_sgd", lambda *a: calls.append(1) or kernel(*a))
    fast, fast_bufs = _run_sgd(pyfront, config, None, dtype)
    assert len(calls) >= 3  # every step once the momentum buffers exist (from the first without momentum)
    calls.clear()
    slow, slow_bufs = _run_sgd(pyfront, config, False, dtype)
    assert not calls
    for a, b in zip(fast, slow):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(fast_bufs, slow_bufs):
        if a is not None:
            np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize("config", SGD_CONFIGS, ids=str)
def test_foreach_sgd_follows_torch(config):
    ours, _ = _run_sgd(pyfront, config, None)
    theirs, _ = _run_sgd(torch, config, None)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_foreach_sgd_counts_a_version_and_keeps_views_current():
    p = pyfront.ones(4, requires_grad=True)
    view = p.detach()[1:]
    opt = pyfront.optim.SGD([p], lr=0.5, momentum=0.9)
    for _ in range(2):
        p.grad = pyfront.ones(4)
        before = p._version
        opt.step()
        assert p._version > before
    assert view.tolist() == p.detach()[1:].tolist() == pytest.approx([1 - 0.5 - 0.5 * 1.9] * 3)


def test_linear_weight_grad_is_row_major_and_matches_torch():
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((5, 4)).astype(np.float32), rng.standard_normal((3, 4)).astype(np.float32)
    grads = []
    for lib in (pyfront, torch):
        wt = lib.tensor(w, requires_grad=True)
        (lib.nn.functional.linear(lib.tensor(x), wt) ** 2).sum().backward()
        grads.append(wt.grad)
    assert grads[0].is_contiguous()
    np.testing.assert_allclose(grads[0].numpy(), grads[1].numpy(), rtol=1e-5, atol=1e-6)


def test_hooks_and_autograd_fields_stay_per_tensor():
    a, b = pyfront.ones(2, requires_grad=True), pyfront.ones(2, requires_grad=True)
    seen = []
    a.register_hook(lambda g: seen.append("a"))
    a.register_post_accumulate_grad_hook(lambda t: seen.append("a post"))
    (a * 2 + b).sum().backward()
    assert seen == ["a", "a post"]
    assert b._hooks == () and b._post_accumulate_hooks == ()
    assert pyfront.ones(1)._grad_fn is None and not pyfront.ones(1).requires_grad


ADAM_CONFIGS = [
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.02, "betas": (0.8, 0.9), "weight_decay": 0.1, "amsgrad": True, "maximize": True}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.1}),
    ("AdamW", {"lr": 0.01, "amsgrad": True, "eps": 1e-3}),
]


def _run_adam(lib, name, config, foreach, dtype="float32", steps=4):
    rng = np.random.default_rng(2)
    dt = getattr(lib, dtype)
    params = [lib.tensor(rng.standard_normal(s).tolist(), dtype=dt, requires_grad=True)
              for s in ((4, 3), (3,), ())]
    targets = [lib.tensor(rng.standard_normal(p.shape).tolist(), dtype=dt) for p in params]
    kw = {} if lib is torch else {"foreach": foreach}
    opt = getattr(lib.optim, name)(params, **config, **kw)
    for _ in range(steps):
        opt.zero_grad()
        sum(((p - t) ** 3).sum() for p, t in zip(params, targets)).backward()
        opt.step()
    states = [[v[k].detach().numpy() for k in ("exp_avg", "exp_avg_sq", "max_exp_avg_sq") if k in v]
              for v in opt.state.values()]
    return [p.detach().numpy() for p in params], states


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,config", ADAM_CONFIGS, ids=str)
def test_foreach_adam_is_the_loop_bit_for_bit(name, config, dtype, monkeypatch):
    from pyfront.backends.numpy import NumpyBackend
    monkeypatch.setattr(pyfront.backends.numpy, "_CHUNK_BYTES", 16)  # (4, 3) chunked, the rest whole
    calls = []
    kernel = NumpyBackend.foreach_adam
    monkeypatch.setattr(NumpyBackend, "foreach_adam", lambda *a: calls.append(kernel(*a)) or calls[-1])
    fast, fast_states = _run_adam(pyfront, name, config, None, dtype)
    assert calls == [True] * 4  # one call per step for the whole group, which it took
    calls.clear()
    slow, slow_states = _run_adam(pyfront, name, config, False, dtype)
    assert not calls
    for a, b in zip(fast + sum(fast_states, []), slow + sum(slow_states, [])):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name,config", ADAM_CONFIGS, ids=str)
def test_foreach_adam_follows_torch(name, config):
    ours, our_states = _run_adam(pyfront, name, config, None)
    theirs, their_states = _run_adam(torch, name, config, None)
    for a, b in zip(ours + sum(our_states, []), theirs + sum(their_states, [])):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_foreach_adam_steps_strided_params_and_grads_in_place(monkeypatch):
    """A transposed parameter and gradient (no row-major flat view: the chunked passes take them whole)."""
    monkeypatch.setattr(pyfront.backends.numpy, "_CHUNK_BYTES", 16)
    rng = np.random.default_rng(3)
    value, grads = rng.standard_normal((3, 4)), rng.standard_normal((2, 4, 3))
    results = []
    for lib, kw in ((pyfront, {}), (pyfront, {"foreach": False}), (torch, {})):
        p = lib.tensor(value, dtype=lib.float32).t().requires_grad_()
        opt = lib.optim.Adam([p], lr=0.1, **kw)
        for g in grads:
            p.grad = lib.tensor(g.transpose(1, 0), dtype=lib.float32).t()
            opt.step()
        results.append(p.detach().numpy())
    np.testing.assert_array_equal(results[0], results[1])
    np.testing.assert_allclose(results[0], results[2], rtol=1e-5, atol=1e-6)


def test_foreach_adam_counts_a_version_and_mixed_dtypes_take_the_loop():
    p = pyfront.ones(4, requires_grad=True)
    q = pyfront.ones(2, dtype=pyfront.float64, requires_grad=True)
    view = p.detach()[1:]
    opt = pyfront.optim.Adam([p, q], lr=0.5)
    for _ in range(2):
        p.grad, q.grad = pyfront.ones(4), pyfront.ones(2, dtype=pyfront.float64)
        before = p._version
        opt.step()
        assert p._version > before
    tp, tq = torch.ones(4, requires_grad=True), torch.ones(2, dtype=torch.float64, requires_grad=True)
    topt = torch.optim.Adam([tp, tq], lr=0.5)
    for _ in range(2):
        tp.grad, tq.grad = torch.ones(4), torch.ones(2, dtype=torch.float64)
        topt.step()
    assert view.tolist() == p.detach()[1:].tolist() == tp.detach()[1:].tolist()
    assert q.tolist() == pytest.approx(tq.tolist(), rel=1e-12)


@pytest.mark.parametrize("op", ["add", "sub", "mul", "eq", "maximum"])
def test_a_plan_serves_only_its_own_signature(op):
    """ops/dispatch.py plans an elementwise op once per (dtype, device): calls of one op with other
    dtypes, numbers, broadcasting, NaN and grad on or off in turn each give torch's result."""
    rows = [("float32", [1.5, float("nan"), -2.0]), ("int64", [7, -3, 0]), ("uint8", [250, 3, 0]),
            ("bool", [True, False, True]), ("float64", [0.25, float("inf"), -0.0])]
    for (name, values), (other_name, other) in zip(rows, rows[1:] + rows[:1]):
        for lib_args in ((values, values), (values, other), (values[:1], other), (values, 2)):
            results = []
            for lib in (pyfront, torch):
                x = lib.tensor(lib_args[0], dtype=getattr(lib, name))
                y = lib_args[1] if isinstance(lib_args[1], int) else lib.tensor(lib_args[1], dtype=getattr(
                    lib, other_name if lib_args[1] is other else name))
                try:
                    r = getattr(lib, op)(x, y)
                    results.append((str(r.dtype), r.tolist()))
                except Exception as e:  # noqa: BLE001 (the error is compared with torch's)
                    results.append((type(e), str(e)))
            np.testing.assert_equal(results[0], results[1])
    for grad in (True, False):
        x = pyfront.tensor([1.0, 2.0], requires_grad=grad)
        r = getattr(pyfront, op)(x, x)
        t = getattr(torch, op)(*(2 * [torch.tensor([1.0, 2.0], requires_grad=grad)]))
        assert (type(r.grad_fn).__name__ if r.grad_fn else None) == (type(t.grad_fn).__name__ if t.grad_fn
                                                                     else None)
        assert r.requires_grad == t.requires_grad


def test_float_remainder_keeps_the_dividends_zero_sign():
    # torch computes fmod, then adds the divisor where the signs differ: -4 % 2 is -0.0 (NumPy's +0.0)
    values = [-4.0, -0.0, 0.0, 4.0, -3.5, 3.5, float("inf"), float("nan"), -1.0]
    for divisor in (2.0, -2.0, float("inf"), [2.0, -2.0, 0.5, -0.5, 2.0, -2.0, 1.0, 1.0, float("-inf")]):
        ours = pyfront.remainder(pyfront.tensor(values), divisor if isinstance(divisor, float)
                                 else pyfront.tensor(divisor))
        theirs = torch.remainder(torch.tensor(values), divisor if isinstance(divisor, float)
                                 else torch.tensor(divisor))
        np.testing.assert_array_equal(np.signbit(ours.numpy()), np.signbit(theirs.numpy()))
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_matmul_gets_strided_views_never_copies(monkeypatch):
    """A linear layer's step hands NumPy's matmul views of the tensors' storages (``weight.t()``, the
    backward's transposes): NumPy passes the strides to BLAS, so no operand is copied first."""
    from pyfront.ops import dispatch
    seen = []
    rule, biased = OPS["mm"].numpy, OPS["addmm_bias"].numpy
    monkeypatch.setattr(OPS["mm"], "numpy", lambda np, a, b, **kw: seen.extend((a, b)) or rule(np, a, b,
                                                                                                **kw))
    # the forward is addmm (the bias, then the two matrices)
    monkeypatch.setattr(OPS["addmm_bias"], "numpy",
                        lambda np, c, a, b: seen.extend((a, b)) or biased(np, c, a, b))
    monkeypatch.setattr(dispatch, "_PLANS", {})  # plans made before hold the rule: new ones take the spy
    layer = pyfront.nn.Linear(6, 4)
    x = pyfront.randn(5, 6, requires_grad=True)
    layer(x).sum().backward()
    assert len(seen) == 6  # forward, and both gradients
    assert any(not a.flags.c_contiguous for a in seen)  # transposed operands are among them
    assert all(a.base is not None for a in seen)  # each a view over a storage, none a fresh copy


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "int32", "int16", "uint8",
                                   "bool"])
def test_where_selects_torchs_bits(dtype):
    """where's branch-free select gives torch.where's exact bits: NaN, signed zeros, broadcasting on
    every operand, transposed operands."""
    rng = np.random.default_rng(3)
    if dtype in ("float32", "float64", "float16"):
        pool = np.array([np.nan, -0.0, 0.0, np.inf, -np.inf, 1.5, -2.25], dtype)
    else:
        pool = np.array([0, 1, 5, 100], dtype)
    shapes = [((4, 5), (4, 5), (4, 5)), ((4, 1), (5,), ()), ((), (4, 5), (1, 5)), ((5, 4), (5, 4), (5, 4))]
    for cs, xs, ys in shapes:
        c = rng.random(cs) < 0.5
        x, y = rng.choice(pool, xs), rng.choice(pool, ys)
        ours = pyfront.where(*(pyfront.from_numpy(np.ascontiguousarray(a)) for a in (c, x, y)))
        theirs = torch.where(*(torch.from_numpy(np.ascontiguousarray(a)) for a in (c, x, y)))
        if cs == (5, 4):  # transposed operands
            ours = pyfront.where(*(pyfront.from_numpy(np.ascontiguousarray(a.T)).t() for a in (c, x, y)))
            theirs = torch.where(*(torch.from_numpy(np.ascontiguousarray(a.T)).t() for a in (c, x, y)))
        a, b = ours.numpy(), theirs.numpy()
        assert a.dtype == b.dtype and a.shape == b.shape
        assert a.tobytes() == b.tobytes()


def _layouts(lib, values, dtype):
    """Operand pairs in every layout the planned path tells apart: whole 1-D and 2-D storages, a
    slice with an offset, a prefix of a longer storage, a transpose, a broadcast (stride 0),
    broadcasting shapes, 0-d, empty, and a Parameter (a Tensor subclass)."""
    d = getattr(lib, dtype)
    full = lib.tensor(values * 2, dtype=d)
    n = len(values)
    x = lib.tensor(values, dtype=d)
    y = lib.tensor(values[::-1], dtype=d)
    m = lib.tensor(values[:6], dtype=d).reshape(2, 3)
    return {
        "1-d": (x, y),
        "2-d": (m, m.flip(0)),
        "offset": (full[n:], x),
        "prefix": (full[:n], y),
        "transposed": (m.t(), m.flip(1).t()),
        "expanded": (x[:1].expand(n), y),
        "broadcast": (m[:, :1], x[:3]),
        "0-d": (x[0], y[1]),
        "empty": (lib.ones(0, 3, dtype=d), lib.ones(3, dtype=d)),
    }


BINARY = sorted(name for name, op in OPS.items() if op.kind == "elementwise" and op.arity == 2)


@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
@pytest.mark.parametrize("name", BINARY)
def test_the_binary_fold_gives_the_general_paths_tensors(name, dtype, monkeypatch):
    """ops/dispatch.py's fold (the planned path of a two-tensor elementwise op) gives what the general
    path gives, with no plan at all: values, dtype, shape, strides, the error and its words, and the
    recorded node; and it did run planned."""
    from pyfront.ops import dispatch
    op = OPS[name]
    pair = dispatch.fold(op, frozenset(pyfront.dtypes.ALL), lambda x, y: dispatch.apply(op, x, y))
    values = {"float32": [1.5, -2.0, float("inf"), -0.0, float("nan"), 3.0, 0.5, -7.25],  # NaN, inf, -0
              "int64": [3, -2, 7, 1, -5, 4, 2, 9],
              "bool": [True, False, True, True, False, True, False, True]}
    requires = dtype == "float32" and op.vjp is not None

    def outcomes():
        rows = []
        for case, (x, y) in _layouts(pyfront, values[dtype], dtype).items():
            x, y = x.detach().requires_grad_(requires), y.detach().requires_grad_(requires)
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # NumPy's inf/nan warnings never reach the user
                try:
                    r = pair(x, y)
                except Exception as e:  # noqa: BLE001 (the error is compared between the paths)
                    rows.append((case, type(e), str(e)))
                    continue
            rows.append((case, r.dtype, tuple(r.shape), r.stride(), r.is_contiguous(), r.tolist(),
                         type(r.grad_fn).__name__ if r.grad_fn else None, r.requires_grad))
        return rows

    monkeypatch.setattr(dispatch, "_PLANS", {})
    planned = outcomes()
    assert any(key[0] is op for key in dispatch._PLANS) or all(len(r) == 3 for r in planned)
    monkeypatch.setattr(dispatch, "_PLANS", {})
    monkeypatch.setattr(dispatch, "_plan", lambda *a: False)  # every call the general path
    general = outcomes()
    np.testing.assert_equal(planned, general)


def test_a_parameter_operand_takes_the_plan_and_gives_a_tensor():
    w = pyfront.nn.Parameter(pyfront.tensor([1.0, 2.0]))
    r = w + pyfront.tensor([0.5, 0.5])
    assert type(r) is pyfront.Tensor and r.tolist() == [1.5, 2.5]
    assert type(r.grad_fn).__name__ == "AddBackward0"


def test_a_planned_result_is_stored_contiguous_even_from_a_strided_rule(monkeypatch):
    """The NumPy plan keeps a 1-D result that owns its memory as the storage itself: a rule giving a
    strided view (a base of its own) must still be stored as a contiguous row-major copy."""
    from pyfront.ops import dispatch
    monkeypatch.setattr(dispatch, "_PLANS", {})
    monkeypatch.setattr(OPS["add"], "numpy", lambda np, x, y: np.repeat(x + y, 2)[::2])
    r = pyfront.tensor([1.0, 2.0, 3.0]) + pyfront.tensor([1.0, 1.0, 1.0])
    data = r._storage.data
    assert data.flags.c_contiguous and data.shape == (3,) and r.tolist() == [2.0, 3.0, 4.0]
    monkeypatch.setattr(OPS["add"], "numpy", lambda np, x, y: (x + y).reshape(3, 1))  # a wrong shape
    monkeypatch.setattr(dispatch, "_PLANS", {})
    with pytest.raises(AssertionError, match="add: NumPy gave shape"):
        pyfront.tensor([1.0, 2.0, 3.0]) + pyfront.tensor([1.0, 1.0, 1.0])


def test_planned_ops_keep_the_users_numpy_errstate_and_word_out_of_memory(monkeypatch):
    from pyfront.ops import dispatch
    big = pyfront.tensor([3e38, float("inf")])
    with np.errstate(all="raise"):
        r = big + pyfront.tensor([3e38, float("-inf")])  # overflow and inf - inf: values, as torch's
        assert np.geterr()["over"] == "raise" and np.geterr()["invalid"] == "raise"
    t = torch.tensor([3e38, float("inf")]) + torch.tensor([3e38, float("-inf")])
    np.testing.assert_array_equal(r.numpy(), t.numpy())

    def refuse(np, x, y):  # NumPy's MemoryError carries what it tried to allocate
        e = MemoryError()
        e.shape, e.dtype = (10**6,), np.dtype("float32")
        raise e
    monkeypatch.setattr(dispatch, "_PLANS", {})
    monkeypatch.setattr(OPS["add"], "numpy", refuse)
    with pytest.raises(RuntimeError, match="DefaultCPUAllocator: can't allocate memory: you tried to "
                                           "allocate 4000000 bytes"):
        pyfront.ones(3) + pyfront.ones(3)


NUMBER_DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
# every kind of plain number, and the ones a wrong key or a wrong cast would mix up: 1, 1.0 and True;
# 0.0 and -0.0; nan; integers beyond a small dtype or float32 (wrapped or rounded as torch's C casts)
NUMBERS = [True, False, 1, 1.0, 0, 0.0, -0.0, -1, 300, 2**40, 2.5, -3.75, 1e5, float("nan"), float("inf")]
NUMBER_OPS = {
    "x + n": lambda x, n: x + n, "x - n": lambda x, n: x - n, "x * n": lambda x, n: x * n,
    "x / n": lambda x, n: x / n, "x ** n": lambda x, n: x ** n, "n + x": lambda x, n: n + x,
    "n - x": lambda x, n: n - x, "n * x": lambda x, n: n * x, "n / x": lambda x, n: n / x,
    "n ** x": lambda x, n: n ** x, "x // n": lambda x, n: x // n,
    "x.add(n, alpha)": lambda x, n: x.add(n, alpha=2),
}


def _number_outcome(lib, dtype, op, n):
    """The result's dtype and values (nan and a zero's sign told apart), or the error's type and words."""
    values = {"bool": [True, False, True], "uint8": [0.0, 1.0, 3.0]}.get(dtype, [-0.0, 1.0, -3.0])
    x = lib.tensor(values, dtype=getattr(lib, dtype))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # NumPy's overflow warnings never reach the user
            r = op(x, n)
    except Exception as e:  # noqa: BLE001 (the error is compared with torch's)
        return type(e).__name__, str(e)
    signs = [math.copysign(1, v) if isinstance(v, float) else v for v in r.tolist()]
    return str(r.dtype).split(".")[-1], [repr(v) for v in r.tolist()], signs


# NumPy scalars, which torch reads as Python numbers, as the right operand (not np.bool_: no Number,
# so the operators decline it and NumPy computes; the reflected operators are NumPy's too; pow and
# an alpha ask dt.result_type, which has no NumPy scalars yet)
NUMPY_NUMBERS = [np.float64(2.5), np.float32(-0.0), np.float16(1e4), np.int64(300), np.int8(-1),
                 np.uint8(200), np.float64("nan")]


@pytest.mark.parametrize("default", ["float32", "float64"])
@pytest.mark.parametrize("dtype", NUMBER_DTYPES)
def test_a_tensor_and_a_python_number_promote_and_compute_as_torch(dtype, default):
    """ops/common.py's _tensor_and_number (a tensor with a plain number, either side) against torch over
    every dtype, number kind and arithmetic operator, under either default dtype: the result dtype, the
    values bit for bit (signed zeros, nan, wrapped integers) or the error and its words. The numbers run
    in one order through one scalar cache, so a key that mixed 1, 1.0 and True, or 0.0 and -0.0, shows."""
    for lib in (torch, pyfront):
        lib.set_default_dtype(getattr(lib, default))
    try:
        for name, op in NUMBER_OPS.items():
            for n in NUMBERS:
                expected = _number_outcome(torch, dtype, op, n)
                assert _number_outcome(pyfront, dtype, op, n) == expected, (name, n)
            for n in NUMPY_NUMBERS if name in ("x + n", "x - n", "x * n", "x / n", "x // n") else ():
                expected = _number_outcome(torch, dtype, op, n)
                assert _number_outcome(pyfront, dtype, op, n) == expected, (name, n)
    finally:
        torch.set_default_dtype(torch.float32)
        pyfront.set_default_dtype(pyfront.float32)


def test_a_number_operand_records_torchs_node_and_gradient():
    """``x * 2``, ``2 - x``, ``x / 3``, ``x ** 2`` and ``x + 1.0`` through the number path keep autograd:
    torch's node names and gradients."""
    ops = [lambda x: x * 2, lambda x: 2 - x, lambda x: x / 3, lambda x: x ** 2, lambda x: x + 1.0,
           lambda x: 0.5 * x, lambda x: 1 / x]
    for op in ops:
        rows = []
        for lib in (torch, pyfront):
            x = lib.tensor([1.5, -2.0, 0.25], requires_grad=True)
            r = op(x)
            r.sum().backward()
            rows.append((type(r.grad_fn).__name__, r.tolist(), x.grad.tolist()))
        assert rows[0] == rows[1]


def test_the_scalar_cache_stays_bounded_and_keeps_zeros_and_nan_apart():
    """A new number every step (a learning-rate schedule) never grows the cache beyond its bound, and
    -0.0, 0.0 and nan each keep a tensor of their own."""
    from pyfront.ops import common
    x = pyfront.ones(2)
    for i in range(common.MAX_SCALARS + 50):
        x * (1.0 + i / 1000)
    assert len(common._SCALARS) <= common.MAX_SCALARS
    zeros = [common.scalar_tensor(v, pyfront.float32, x.device) for v in (0.0, -0.0, 0, False)]
    assert [math.copysign(1, z.item()) for z in zeros] == [1, -1, 1, 1]  # a float32 zero each
    assert len({id(z) for z in zeros}) == 4
    nan = common.scalar_tensor(float("nan"), pyfront.float32, x.device)
    assert common.scalar_tensor(float("nan"), pyfront.float32, x.device) is nan


def test_add_and_sub_with_bools_and_numbers_first_follow_torch():
    """A bool operand of a subtraction, tensor or Python bool, either side, in the function and the
    operators; a bool sum with alpha stays bool (torch casts alpha to the result's dtype)."""
    calls = [
        lambda m, t: m.sub(2, t(1.5)), lambda m, t: m.sub(True, t(1.5)), lambda m, t: m.sub(t(True), True),
        lambda m, t: m.sub(t(3), t(True)), lambda m, t: True - t(3), lambda m, t: t(2.0) - False,
        lambda m, t: m.rsub(t(3), True), lambda m, t: m.add(t(True), t(False), alpha=2),
        lambda m, t: m.add(t(True), True, alpha=3), lambda m, t: m.add(t(2), True, alpha=3),
        lambda m, t: m.sub(t(2.5), t(1.0), alpha=2), lambda m, t: m.add(t(2), 1, alpha=1.5),
    ]
    for call in calls:
        rows = []
        for m in (torch, pyfront):
            try:
                r = call(m, lambda v, m=m: m.tensor([v, v]))
                rows.append((str(r.dtype).split(".")[-1], r.tolist()))
            except Exception as e:
                rows.append((type(e).__name__, str(e)))
        assert rows[0] == rows[1], rows
