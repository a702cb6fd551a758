"""Arguments torch's parser refuses, refused with its exception type and text (pyfront took each of these):

* a dim list that is no tuple or list (an ndarray, a tensor of several dims, a range), in every reduction;
* an empty dim list in logsumexp, whose kept maximum cannot be subtracted from an unkept sum;
* map_/map2_ with an operand of another dtype (torch's loop reads each as self's C type);
* sum_to_size, view, tensorsolve and tensordot sizes and dims that are no ints (a str, a bool first, a float);
* polygamma's n and mvlgamma's p that are no int, in the method and in-place forms too.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import pyfront


def _outcome(lib, call):
    try:
        out = call(lib)
    except Exception as e:  # noqa: BLE001 - the type and text are what is compared
        return type(e).__name__, str(e)
    return "ok", [o.tolist() for o in out] if isinstance(out, tuple) else out.tolist()


def _compare(call):
    assert _outcome(pyfront, call) == _outcome(torch, call)


# numbers, not tensors, so that each library builds its own
NOT_DIM_LISTS = [np.array([0, 1]), np.array([1]), "tensor01", range(2), "iter"]


def _dims(lib, spec):
    return {"tensor01": lambda: lib.tensor([0, 1]), "iter": lambda: iter([0])}.get(spec, lambda: spec)() \
        if isinstance(spec, str) else spec


REDUCTIONS = {
    "sum": lambda x, d: x.sum(d), "mean": lambda x, d: x.mean(d), "amax": lambda x, d: x.amax(d),
    "amin": lambda x, d: x.amin(d), "nansum": lambda x, d: x.nansum(d), "var": lambda x, d: x.var(d),
    "std": lambda x, d: x.std(d), "count_nonzero": lambda x, d: x.count_nonzero(d),
    "logsumexp": lambda x, d: x.logsumexp(d), "sum_kw": lambda x, d: x.sum(dim=d),
    "mean_kw": lambda x, d: x.mean(dim=d), "any": lambda x, d: x.any(d), "norm": lambda x, d: x.norm(dim=d),
}


@pytest.mark.parametrize("op", list(REDUCTIONS))
def test_reduction_dim_lists(op):
    for spec in NOT_DIM_LISTS:
        _compare(lambda L, spec=spec: REDUCTIONS[op](L.ones(2, 3), _dims(L, spec)))
    for fn in ("sum", "mean", "amax", "logsumexp"):  # the function forms
        _compare(lambda L, fn=fn: getattr(L, fn)(L.ones(2, 3), np.array([0, 1])))


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 0)])
def test_logsumexp_empty_dims(shape):
    for dims in ((), []):
        for keepdim in (False, True):
            _compare(lambda L, d=dims, k=keepdim: L.logsumexp(L.ones(shape), d, keepdim=k))
            _compare(lambda L, d=dims, k=keepdim: L.special.logsumexp(L.ones(shape), d, keepdim=k))
            _compare(lambda L, d=dims, k=keepdim: L.ones(shape).logsumexp(d, k))


DTYPES = ["float32", "float64", "float16", "int64", "int32", "int8", "uint8", "bool"]


@pytest.mark.parametrize("dtype", DTYPES)
def test_map_operand_dtypes(dtype):
    def x(L):
        return L.ones(2, 3, dtype=getattr(L, dtype))

    for other in DTYPES:
        def o(L, other=other):
            return L.ones(3, dtype=getattr(L, other))

        _compare(lambda L, o=o: x(L).map_(o(L), lambda a, b: a))
        _compare(lambda L, o=o: x(L).map2_(o(L), x(L), lambda a, b, c: a))
        _compare(lambda L, o=o: x(L).map2_(x(L), o(L), lambda a, b, c: a))
    _compare(lambda L: L.ones(2).map_(1.0, lambda a, b: a))
    _compare(lambda L: L.ones(2).map2_(L.ones(2), [1], lambda a, b, c: a))
    _compare(lambda L: L.ones(2, requires_grad=True).map_(L.ones(2, dtype=L.int64), lambda a, b: a))


SIZES = [("a",), (1.0,), ([1, "a"],), ((1, 3.0),), (None,), (1, "a"), ([1, 3],), (), ([],), (1, 3), (3,),
         (True,), ([True, 3],), (range(2),), (np.array([1, 3]),), ((1,), 3), (np.int64(3),),
         ((np.int64(1), 3),),
         ((4,),)]


def test_sum_to_size_and_view_sizes():
    for size in SIZES:
        _compare(lambda L, s=size: L.ones(2, 3).sum_to_size(*s))
        _compare(lambda L, s=size: L.ones(1, 3).view(*s))
    _compare(lambda L: L.ones(1, 3).view(L.tensor([3])))
    _compare(lambda L: L.ones(1, 3).view(L.tensor([1, 3])))


DIMS = [(True,), (1.0,), np.array([1]), [1, "a"], 1, [True], (1, True), [0, 1.5], "a", None, (), (1, 1), (5,),
        (-1,), (1, -3), (0, 1, 2), [2, 3]]


def test_tensorsolve_dims():
    for dims in DIMS:
        for keyword in (True, False):
            def call(L, d=dims, k=keyword):
                a, b = L.eye(4).reshape(2, 2, 2, 2), L.ones(2, 2)
                return L.linalg.tensorsolve(a, b, dims=d) if k else L.linalg.tensorsolve(a, b, d)
            _compare(call)


def test_tensordot_dim_lists():
    for dims in [([True], [0]), ([0], [True]), ([0.0], [0]), (np.array([0]), [0]), ([0], [0, "a"]),
                 [[1], [0]], ((1,), (0,)), (1, [0]), ([1, True], [0, 1]), ("a", [0])]:
        _compare(lambda L, d=dims: L.tensordot(L.ones(2, 2), L.ones(2, 2), dims=d))


ORDERS = [2.5, True, np.int64(1), np.array(1), None, -1.5, -1, 1, np.float64(1.0), np.bool_(True), "s",
          "tensor", "float_tensor"]


def _order(lib, v):
    return {"tensor": lambda: lib.tensor(1), "float_tensor": lambda: lib.tensor(1.0)}.get(v, lambda: v)() \
        if isinstance(v, str) and v != "s" else v


GAMMAS = {
    "polygamma": lambda L, n: L.ones(2).polygamma(n), "polygamma_": lambda L, n: L.ones(2).polygamma_(n),
    "polygamma_kw": lambda L, n: L.ones(2).polygamma(n=n),
    "polygamma__kw": lambda L, n: L.ones(2).polygamma_(n=n),
    "torch.polygamma": lambda L, n: L.polygamma(n, L.ones(2)),
    "special.polygamma": lambda L, n: L.special.polygamma(n, L.ones(2)),
    "mvlgamma": lambda L, p: L.mvlgamma(L.ones(2) + 3, p),
    "mvlgamma_method": lambda L, p: (L.ones(2) + 3).mvlgamma(p),
    "mvlgamma_": lambda L, p: (L.ones(2) + 3).mvlgamma_(p),
}


@pytest.mark.parametrize("form", list(GAMMAS))
def test_integer_orders(form):
    for v in ORDERS:
        _compare(lambda L, v=v: GAMMAS[form](L, _order(L, v)))
