"""The per-op paths of issue 13 give what the general paths give.

The operators' fold (ops/dispatch.py: ``a + b`` run by the op's plan in the operator's own frame),
the planned cast (a plan per target dtype), and the NumPy backend's flat computation of whole
storages under a Context of its own (threads, a re-entrant op and the user's errstate kept apart).
"""

import operator
import threading
import warnings

import numpy as np
import pytest

import pyfront
from pyfront.ops import dispatch
from pyfront.ops.registry import OPS

from test_cpu_fast_paths import _layouts

OPERATORS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv, operator.mod,
             operator.pow, operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge,
             operator.and_, operator.or_, operator.xor]
VALUES = {"float32": [1.5, -2.0, float("inf"), -0.0, float("nan"), 3.0, 0.5, -7.25],
          "float16": [1.5, -2.0, float("inf"), -0.0, float("nan"), 3.0, 0.5, -7.25],
          "int64": [3, -2, 7, 1, -5, 4, 2, 9],
          "bool": [True, False, True, True, False, True, False, True]}


def _outcome(fn, *args):
    """``fn(*args)`` as every caller sees it (values, dtype, shape, strides, node), or the error."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # NumPy's inf/nan warnings never reach the user
            r = fn(*args)
    except Exception as e:  # noqa: BLE001 (the error is compared between the paths)
        return type(e), str(e)
    return (r.dtype, tuple(r.shape), r.stride(), r.is_contiguous(), repr(r.tolist()),
            type(r.grad_fn).__name__ if r.grad_fn else None, r.requires_grad)


@pytest.mark.parametrize("dtype", sorted(VALUES))
def test_the_folded_operators_give_the_general_paths_results(dtype, monkeypatch):
    """Every operator over every layout the plan tells apart and plain numbers on either side (the
    reflected ``2 - x`` included), with and without a gradient, against the same calls with no plan
    at all (each fold then takes the operator's own function)."""
    numbers = [2, -1, 2.5, -0.0, float("nan"), True]

    def outcomes():
        rows = []
        for case, (x, y) in _layouts(pyfront, VALUES[dtype], dtype).items():
            for grad in (False, True) if dtype != "int64" and dtype != "bool" else (False,):
                x, y = x.detach().requires_grad_(grad), y.detach()
                for op in OPERATORS:
                    rows.append((case, op.__name__, _outcome(op, x, y)))
                    for n in numbers:
                        rows.append((case, op.__name__, n, _outcome(op, x, n)))
                        rows.append((case, op.__name__, "r", n, _outcome(op, n, x)))
        return rows

    monkeypatch.setattr(dispatch, "_PLANS", {})
    # every op's plan made first, straight through apply, as other callers may: a fold must still
    # refuse what its operator's function refuses (a bool ``-``, an integer ``/`` computed in float)
    x = pyfront.tensor(VALUES[dtype], dtype=getattr(pyfront, dtype))
    for op in OPS.values():
        if op.kind == "elementwise" and op.arity == 2:
            try:
                dispatch.apply(op, x, x)
            except Exception:  # noqa: BLE001, S110 (an op that refuses this dtype has no plan to misuse)
                pass
    folded = outcomes()
    assert any(key[0] is OPS["add"] for key in dispatch._PLANS)
    monkeypatch.setattr(dispatch, "_PLANS", {})
    monkeypatch.setattr(dispatch, "_plan", lambda *a: False)
    general = outcomes()
    assert len(folded) == len(general)
    for a, b in zip(folded, general):
        np.testing.assert_equal(a, b)


DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def test_the_planned_cast_gives_the_general_paths_values(monkeypatch):
    """``to(dtype)`` between every pair of dtypes, in a whole storage, a transpose and a 0-d tensor,
    with the values a cast wraps, rounds or saturates (nan and inf into integers as NumPy does on both
    paths, with no warning), against the same casts with no plan."""
    values = [0.0, -0.0, 1.5, -2.5, 300.0, 70000.0, 1e10, float("inf"), float("nan"), -1.0]

    def outcomes():
        rows = []
        for src in DTYPES:
            x = pyfront.tensor(values).to(getattr(pyfront, src)) if src != "bool" else \
                pyfront.tensor(values) != 0
            for case, t in {"whole": x, "transposed": x[:8].reshape(2, 4).t(), "0-d": x[2]}.items():
                for dst in DTYPES:
                    rows.append((src, dst, case, _outcome(t.to, getattr(pyfront, dst))))
        return rows

    monkeypatch.setattr(dispatch, "_PLANS", {})
    planned = outcomes()
    assert any(key[0] is OPS["to_copy"] for key in dispatch._PLANS)
    monkeypatch.setattr(dispatch, "_PLANS", {})
    monkeypatch.setattr(dispatch, "_plan", lambda *a: False)
    np.testing.assert_equal(planned, outcomes())


def test_planned_ops_in_two_threads_keep_numpys_errstate_their_own():
    """Two threads adding inf to -inf at once (NumPy's invalid flag each time), one of them under the
    user's ``np.errstate(all="raise")``: no error, no warning, nan each time, and each thread's errstate
    as it set it."""
    x, y = pyfront.full((1000,), float("inf")), pyfront.full((1000,), float("-inf"))
    faults, start = [], threading.Barrier(2)

    def work(strict):
        try:
            with np.errstate(all="raise" if strict else "warn"), warnings.catch_warnings():
                warnings.simplefilter("error")
                start.wait()
                for _ in range(300):
                    r = x + y
                    assert r.isnan().all().item()
                assert np.geterr()["invalid"] == ("raise" if strict else "warn")
        except Exception as e:  # noqa: BLE001 (reported below)
            faults.append(e)

    threads = [threading.Thread(target=work, args=(strict,)) for strict in (True, False)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not faults


def test_an_op_run_inside_a_planned_rule_takes_a_context_of_its_own(monkeypatch):
    """A planned op entered again while its rule runs (a finalizer, a rule calling back) gets its own
    Context: a Context entered twice would raise."""
    add = OPS["add"].numpy
    inner = []

    def rule(np, a, b):
        if not inner:
            inner.append((pyfront.tensor([1.0]) - pyfront.tensor([3.0])).tolist())
        return add(np, a, b)

    monkeypatch.setattr(dispatch, "_PLANS", {})
    monkeypatch.setattr(OPS["add"], "numpy", rule)
    assert (pyfront.tensor([1.0, 2.0]) + pyfront.tensor([0.5, 0.5])).tolist() == [1.5, 2.5]
    assert (pyfront.tensor([1.0, 2.0]) + pyfront.tensor([0.5, 0.5])).tolist() == [1.5, 2.5]
    assert inner == [[-2.0]]


def _as_torch_sees_it(lib, fn, *args):
    """``fn(*args)`` as torch's user sees it: values, dtype, the node and which of its inputs are
    tensors (next_functions, in order), or the error's type and words."""
    try:
        r = fn(*args)
    except Exception as e:  # noqa: BLE001 (compared with torch's)
        return type(e).__name__, str(e)
    node = r.grad_fn
    inputs = [type(f).__name__ if f is not None else None for f, _ in node.next_functions] if node else None
    return repr(r.tolist()), str(r.dtype), type(node).__name__ if node else None, inputs


@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
def test_a_number_on_the_left_of_an_operator_is_torchs(dtype):
    """``2 + t``, ``1.5 * t``, ``True | t`` and every other operator with the number on the left, the
    tensor with and without a gradient: the values, dtype, error and the recorded node with its inputs
    in torch's order (``1 + t`` is ``t.add(1)``: the tensor first)."""
    torch = pytest.importorskip("torch")
    values = VALUES[dtype][:4]
    for op in OPERATORS:
        for n in (2, -1, 2.5, -0.0, True):
            for grad in (False, True) if dtype == "float32" else (False,):
                mine = pyfront.tensor(values, dtype=getattr(pyfront, dtype)).requires_grad_(grad)
                theirs = torch.tensor(values, dtype=getattr(torch, dtype)).requires_grad_(grad)
                assert (_as_torch_sees_it(pyfront, op, n, mine) == _as_torch_sees_it(torch, op, n, theirs)), \
                    (op.__name__, n, grad)


def _unary_folds():
    """Every public function that runs a one-operand op's plan in its own frame (dispatch.fold_unary)."""
    from pyfront.ops.primitives import elementwise, special
    found = {name: f for m in (elementwise, special) for name, f in vars(m).items()
             if not name.startswith("_")  # by the code's own name: serialization.homes renames public ones
             and getattr(getattr(f, "__code__", None), "co_qualname", "") == "fold_unary.<locals>.entry"}
    assert {"exp", "neg", "relu", "sigmoid", "tanh", "abs", "isnan"} <= found.keys()
    return [found[k] for k in sorted(found)]


@pytest.mark.parametrize("dtype", ["float32", "float16", "int64", "bool"])
def test_the_folded_unary_functions_give_the_general_paths_results(dtype, monkeypatch):
    """Every one-operand function whose plan runs in its own frame, over every layout the plan tells
    apart (whole, offset, prefix, transposed, broadcast, 0-d, empty), with and without a gradient,
    against the same calls with no plan at all: values (nan, inf, -0.0 among them), dtype, strides, node,
    and the error where the dtype is refused."""
    fns = _unary_folds()

    def outcomes():
        rows = []
        for case, (x, _) in _layouts(pyfront, VALUES[dtype], dtype).items():
            for grad in (False, True) if dtype in ("float32", "float16") else (False,):
                x = x.detach().requires_grad_(grad)
                rows += [(case, fn.__name__, grad, _outcome(fn, x)) for fn in fns]
        return rows

    monkeypatch.setattr(dispatch, "_PLANS", {})
    outcomes()  # the first call of each op and dtype makes its plan
    assert any(key[0] is OPS["relu"] for key in dispatch._PLANS) == (dtype != "bool")
    folded = outcomes()
    monkeypatch.setattr(dispatch, "_PLANS", {})
    monkeypatch.setattr(dispatch, "_plan", lambda *a: False)
    general = outcomes()
    assert len(folded) == len(general)
    for a, b in zip(folded, general):
        np.testing.assert_equal(a, b, err_msg=str(a[:3]))


def test_relu_keeps_nan_and_signed_zeros_as_torch_on_every_dtype():
    """relu is a select, not a max: relu(-0.0) is -0.0, NaN passes, a negative is +0, as torch's."""
    torch = pytest.importorskip("torch")
    values = [float("nan"), -0.0, 0.0, -1.5, 2.0, float("-inf"), float("inf"), -3.0]
    for dtype in ("float32", "float64", "float16"):
        mine = pyfront.relu(pyfront.tensor(values, dtype=getattr(pyfront, dtype)))
        theirs = torch.relu(torch.tensor(values, dtype=getattr(torch, dtype)))
        np.testing.assert_array_equal(np.signbit(mine.numpy()), np.signbit(theirs.numpy()))
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())
    for dtype in ("int64", "int8", "uint8"):
        ints = [-3, 0, 5, -128] if dtype != "uint8" else [0, 5, 200, 255]
        assert pyfront.relu(pyfront.tensor(ints, dtype=getattr(pyfront, dtype))).tolist() == \
            torch.relu(torch.tensor(ints, dtype=getattr(torch, dtype))).tolist()


def test_a_layout_is_whole_only_where_it_reads_its_whole_storage():
    """Layout.whole, which lets the NumPy plan compute on a storage as it is stored: a contiguous
    reading of every element from the first; never a slice, a prefix, a transpose or a broadcast."""
    x = pyfront.arange(6.0)
    assert x._layout.whole and x.reshape(2, 3)._layout.whole and pyfront.tensor(2.0)._layout.whole
    assert (x + 1)._layout.whole and pyfront.ones(0, 3)._layout.whole
    for part in (x[1:], x[:5], x[0], x.reshape(2, 3).t(), x[:1].expand(6), x[::2]):
        assert not part._layout.whole
    y = pyfront.zeros(6)
    y.copy_(x[:6] * 2)  # may adopt the result's storage: the layout is told again
    assert y._layout.whole and y.tolist() == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]


REDUCTIONS = {
    "sum()": lambda x: x.sum(), "sum(0)": lambda x: x.sum(0),
    "sum(-1,keep)": lambda x: x.sum(-1, keepdim=True),
    "sum((0,1))": lambda x: x.sum((0, 1)), "torch.sum(x,1)": lambda x: pyfront.sum(x, 1),
    "sum(dtype)": lambda x: x.sum(dtype=pyfront.float64), "mean()": lambda x: x.mean(),
    "mean(0)": lambda x: x.mean(0), "mean(-1,keep)": lambda x: pyfront.mean(x, -1, True),
    "amax()": lambda x: x.amax(), "amax(0)": lambda x: x.amax(0), "amin()": lambda x: x.amin(),
    "amin(-1)": lambda x: x.amin(-1), "prod()": lambda x: x.prod(), "prod(0)": lambda x: x.prod(0),
    "sum(5)": lambda x: x.sum(5),
}


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "bool"])
def test_the_planned_reductions_give_the_general_paths_results(dtype, monkeypatch):
    """sum/mean/amax/amin/prod by dispatch.reduce's plan (and mean's shortcut) over every layout the
    plan tells apart, signed zeros in either order (amax keeps the first), NaN and inf, with and
    without a gradient and under no_grad, against the same calls through apply's general path."""
    from pyfront.ops.composite import reductions as composite
    from pyfront.ops.primitives import reductions as primitive

    values = (VALUES.get(dtype) or VALUES["float32"]) + [0.0, -0.0, -0.0, 0.0]
    values = [bool(v) for v in values] if dtype == "bool" else values

    def outcomes():
        rows = []
        for case, (x, y) in _layouts(pyfront, values, dtype).items():
            for t in (x, y):
                for grad, mode in ((False, None), (True, None), (True, "no_grad")) if dtype[0] == "f" \
                        else ((False, None),):
                    t = t.detach().requires_grad_(grad)
                    for name, fn in REDUCTIONS.items():
                        if mode:
                            with pyfront.no_grad():
                                rows.append((case, grad, mode, name, _outcome(fn, t)))
                        else:
                            rows.append((case, grad, mode, name, _outcome(fn, t)))
                            if grad and rows[-1][-1][-1] is True:  # the gradient it sends back
                                fn(t).sum().backward()
                                rows.append((case, name, "grad", repr(t.grad.tolist())))
                                t.grad = None
        return rows

    monkeypatch.setattr(dispatch, "_PLANS", {})
    planned = outcomes()
    assert any(key[0] is OPS["sum"] for key in dispatch._PLANS)
    monkeypatch.setattr(dispatch, "_PLANS", {})
    monkeypatch.setattr(primitive, "reduce", lambda op, x, _name=None, **attrs:
                        dispatch.apply(op, x, _name=_name, **attrs))
    monkeypatch.setattr(composite, "_PLAIN_MEAN", ())
    general = outcomes()
    assert not any(key[0] is OPS["sum"] for key in dispatch._PLANS)
    assert len(planned) == len(general)
    for a, b in zip(planned, general):
        np.testing.assert_equal(a, b)


def test_amax_keeps_the_first_of_equal_zeros_and_nan_as_torch():
    """NumPy's maximum may give either zero of a tie; the plan's shortcut leaves zeros to the search
    for the first one, as torch."""
    import torch

    for values in ([0.0, -0.0], [-0.0, 0.0, -1.0], [1.0, float("nan"), 2.0], [-0.0, -0.0]):
        for fn in ("amax", "amin"):
            got = getattr(pyfront.tensor(values), fn)()
            want = getattr(torch.tensor(values), fn)()
            assert repr(got.item()) == repr(want.item()), (values, fn)
            got = getattr(pyfront.tensor([values, values]), fn)(1)
            want = getattr(torch.tensor([values, values]), fn)(1)
            assert repr(got.tolist()) == repr(want.tolist()), (values, fn)


def test_planned_reductions_in_threads_give_each_its_own_result():
    """Four threads reducing different tensors through the same plans at once each get their own
    sums and means (a plan's Context is taken by one thread at a time)."""
    xs = [pyfront.arange(1000, dtype=pyfront.float32) * (i + 1) for i in range(4)]
    want = [(x.sum().item(), x.mean().item(), x.amax().item()) for x in xs]
    errors = []

    def work(i):
        for _ in range(300):
            got = (xs[i].sum().item(), xs[i].mean().item(), xs[i].amax().item())
            if got != want[i]:
                errors.append((i, got))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
