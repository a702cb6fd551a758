"""Reductions against torch where the op table cannot reach: dtype= arguments, zeros in prod and
cumprod gradients, ties and NaN, gradients at zero, double backward, error messages, named tuples."""
import copy
import math
import pickle
import warnings

import numpy as np
import pytest
import torch

import pyfront
from optable import GRAD_TOL, assert_same


def pair(data, dtype="float32", requires_grad=None):
    """The same values as a pyfront and a torch tensor (float ones require grad by default)."""
    arr = np.array(data, dtype=dtype)
    grad = arr.dtype.kind == "f" if requires_grad is None else requires_grad
    return pyfront.tensor(arr, requires_grad=grad), torch.tensor(arr, requires_grad=grad)


def grads_match(p_out, t_out, p_x, t_x, cot_seed=0):
    """Values match, and so does the gradient of sum(out * random cotangent) with respect to x."""
    assert_same(p_out, t_out)
    cot = np.random.default_rng(cot_seed).uniform(-1, 1, size=tuple(t_out.shape)).astype("float32")
    (tg,) = torch.autograd.grad((t_out * torch.from_numpy(cot)).sum(), [t_x])
    (pg,) = pyfront.autograd.grad((p_out * pyfront.tensor(cot)).sum(), [p_x])
    assert_same(pg, tg, **GRAD_TOL)


WITH_ZEROS = [[2.0, 0.0, 3.0, -1.5], [0.0, 1.5, 0.0, 2.0], [1.0, 2.0, -0.5, 3.0], [0.0, 0.0, 0.0, 0.0]]


@pytest.mark.parametrize("dim", [None, 0, 1, -1])
def test_prod_gradient_with_zeros(dim):
    p, t = pair(WITH_ZEROS)
    args = () if dim is None else (dim,)
    grads_match(p.prod(*args), t.prod(*args), p, t)


def test_prod_gradient_single_zero_everywhere():
    p, t = pair([[1.5, 2.0], [0.0, -3.0]])
    grads_match(p.prod(), t.prod(), p, t)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cumprod_gradient_with_zeros(dim):
    p, t = pair(WITH_ZEROS + [[0.0, 2.0, 0.5, 1.5]])
    grads_match(p.cumprod(dim), t.cumprod(dim), p, t)


@pytest.mark.parametrize("p_norm", [2, "fro", 1, 3.0, 0.5, -1, 0, math.inf, -math.inf])
def test_norm_gradient_at_zero_and_with_zero_entries(p_norm):
    for data in ([0.0, 0.0, 0.0], [1.0, 0.0, -2.0, 0.0]):
        p, t = pair(data)
        p_out, t_out = pyfront.norm(p, p_norm), torch.norm(t, p_norm)
        assert_same(p_out, t_out)
        (tg,) = torch.autograd.grad(t_out, [t], allow_unused=True)
        (pg,) = pyfront.autograd.grad(p_out, [p], allow_unused=True)
        if tg is None:  # torch's 0-norm has no gradient: pyfront's may be None or zeros
            assert pg is None or not pg.abs().sum().item()
        else:
            assert_same(pg, tg, **GRAD_TOL)


def test_std_gradient_of_a_constant_is_zero():
    p, t = pair([[2.0, 2.0, 2.0], [1.0, 3.0, 5.0]])
    grads_match(p.std(1), t.std(1), p, t)
    grads_match(pyfront.std_mean(p, 1)[0], torch.std_mean(t, 1)[0], p, t)


def test_var_without_degrees_of_freedom():
    p, t = pair([[1.0, 2.0], [4.0, 8.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same(p.var(0, correction=5), t.var(0, correction=5))
        grads_match(p.var(0, correction=2), t.var(0, correction=2), p, t)
        with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
            pyfront.var(p, correction=4)


def test_full_max_min_median_split_ties_but_dim_versions_pick_one():
    p, t = pair([[1.0, 3.0, 3.0], [2.0, 3.0, -1.0]])
    for name in ("max", "min", "median"):
        grads_match(getattr(p, name)(), getattr(t, name)(), p, t)
        grads_match(getattr(p, name)(1).values, getattr(t, name)(1).values, p, t)
    grads_match(p.amax(1), t.amax(1), p, t)
    grads_match(p.amin(), t.amin(), p, t)
    p2, t2 = pair([2.0, 1.0, 1.0, 2.0, 2.0])
    grads_match(p2.median(), t2.median(), p2, t2)
    assert_same(p2.median(0), t2.median(0))


def test_nan_propagates_and_takes_the_gradient():
    nan = float("nan")
    p, t = pair([[1.0, nan, 2.0, nan], [0.5, 3.0, -1.0, 2.0]])
    grads_match(p.max(), t.max(), p, t)
    grads_match(p.min(), t.min(), p, t)
    grads_match(p.amax(1), t.amax(1), p, t)  # torch: NaN gradients on the NaN row
    for name in ("max", "min", "median", "sort", "argmax", "argmin"):
        assert_same(getattr(p, name)(1), getattr(t, name)(1))
    assert_same(p.sort(1, descending=True), t.sort(1, descending=True))
    assert_same(p.median(), t.median())
    assert_same(p.norm(), t.norm())


def test_median_of_an_expanded_input():
    # torch 2.13 mis-reads stride-0 inputs here, so torch gets a contiguous copy
    data = np.random.default_rng(1).uniform(-2, 2, size=(3, 1)).astype("float32")
    pe = pyfront.tensor(data).expand(3, 4)
    assert_same(pe.median(1), torch.tensor(data).expand(3, 4).contiguous().median(1))


def test_softmax_logsumexp_are_stable_for_large_inputs():
    p, t = pair([[1e4, 1e4 - 1, -1e4], [-1e4, -1e4 - 2, -1e4 - 4]])
    for name in ("softmax", "log_softmax"):
        grads_match(getattr(p, name)(1), getattr(t, name)(1), p, t)
    grads_match(p.logsumexp(1), t.logsumexp(1), p, t)
    inf = float("inf")
    q, u = pair([[inf, 1.0], [-inf, -inf], [-inf, 2.0]], requires_grad=False)
    assert_same(q.logsumexp(1), u.logsumexp(1))
    assert_same(q.softmax(1), u.softmax(1))


@pytest.mark.parametrize("op,dim", [("softmax", 1), ("log_softmax", 0), ("prod", 1), ("cumsum", 1),
                                    ("cumprod", 0), ("logsumexp", 1), ("var", 1), ("std", 0), ("norm", None),
                                    ("amax", 1), ("mean", 0)])
def test_double_backward(op, dim):
    data = np.random.default_rng(3).uniform(0.5, 2.0, size=(3, 4)).astype("float32")
    results = []
    for lib in (pyfront, torch):
        x = lib.tensor(data, requires_grad=True)
        out = getattr(lib, op)(x) if dim is None else getattr(lib, op)(x, dim)
        (g,) = lib.autograd.grad((out * out).sum(), [x], create_graph=True)
        (gg,) = lib.autograd.grad((g * g).sum(), [x])
        results.append(gg)
    assert_same(results[0], results[1], **GRAD_TOL)


def test_sort_topk_max_double_backward():
    data = np.random.default_rng(4).uniform(-2, 2, size=(3, 5)).astype("float32")
    results = []
    for lib in (pyfront, torch):
        x = lib.tensor(data, requires_grad=True)
        out = x.sort(1).values * x.topk(5, 1).values + x.max(1, keepdim=True).values * x
        (g,) = lib.autograd.grad((out * out).sum(), [x], create_graph=True)
        (gg,) = lib.autograd.grad((g * g).sum(), [x])
        results.append(gg)
    assert_same(results[0], results[1], **GRAD_TOL)


def test_dtype_arguments():
    p, t = pair([[1, 2, 3], [4, 5, 6]], "int32")
    for lib_p, lib_t in ((pyfront.float64, torch.float64), (pyfront.int16, torch.int16)):
        assert_same(p.sum(1, dtype=lib_p), t.sum(1, dtype=lib_t))
        assert_same(p.prod(1, dtype=lib_p), t.prod(1, dtype=lib_t))
        assert_same(p.cumsum(0, dtype=lib_p), t.cumsum(0, dtype=lib_t))
        assert_same(p.cumprod(1, dtype=lib_p), t.cumprod(1, dtype=lib_t))
    assert_same(p.mean(dtype=pyfront.float64), t.mean(dtype=torch.float64))
    assert_same(p.softmax(1, pyfront.float64), t.softmax(1, torch.float64))
    assert_same(pyfront.log_softmax(p, 0, dtype=pyfront.float32),
                torch.log_softmax(t, 0, dtype=torch.float32))
    f, g = pair([[1.5, 2.0], [3.0, 4.0]])
    grads_match(f.sum(0, dtype=pyfront.float64), g.sum(0, dtype=torch.float64), f, g)
    grads_match(f.mean(1, dtype=pyfront.float64), g.mean(1, dtype=torch.float64), f, g)
    grads_match(f.cumsum(1, dtype=pyfront.float64), g.cumsum(1, dtype=torch.float64), f, g)
    grads_match(pyfront.norm(f, dim=1, dtype=pyfront.float64), torch.norm(g, dim=1, dtype=torch.float64),
                f, g)
    with pytest.raises(RuntimeError, match="Expected a floating point"):
        pyfront.norm(p, dtype=pyfront.float32)


def test_inplace_scans_keep_dtype():
    for dtype in ("float32", "int32", "int64"):
        p, t = pair([[1, 2, 3], [4, 5, 6]], dtype, requires_grad=False)
        assert p.cumsum_(1) is p
        t.cumsum_(1)
        assert_same(p, t)
        p.cumprod_(0)
        t.cumprod_(0)
        assert_same(p, t)


def test_methods_and_functions_agree_with_torch():
    p, t = pair(np.random.default_rng(5).uniform(-2, 2, size=(3, 4)).astype("float32"), requires_grad=False)
    for name, args, kwargs in [
            ("sum", (1,), {}), ("prod", (0,), {"keepdim": True}), ("mean", ((0, 1),), {}),
            ("amax", (-1,), {}), ("amin", (0, True), {}), ("max", (), {}), ("min", (1,), {}),
            ("argmax", (), {}), ("argmin", (1,), {"keepdim": True}), ("var", (1,), {}),
            ("std", (), {"unbiased": False}), ("logsumexp", (0,), {}), ("norm", (1, 1), {}),
            ("cumsum", (0,), {}), ("cumprod", (1,), {}), ("all", (1,), {}), ("any", (), {}),
            ("count_nonzero", (0,), {}), ("sort", (), {"descending": True}), ("argsort", (0,), {}),
            ("topk", (2,), {}), ("softmax", (0,), {}), ("log_softmax", (-1,), {}), ("median", (1,), {}),
            ("median", (), {})]:
        assert_same(getattr(p, name)(*args, **kwargs), getattr(t, name)(*args, **kwargs))
        assert_same(getattr(pyfront, name)(p, *args, **kwargs), getattr(torch, name)(t, *args, **kwargs))
    assert_same(p.max(p * -1), t.max(t * -1))
    assert_same(pyfront.min(p, other=p * 0.5), torch.min(t, other=t * 0.5))
    assert_same(pyfront.var_mean(p, 1, keepdim=True), torch.var_mean(t, 1, keepdim=True))
    assert_same(pyfront.std_mean(p, correction=0), torch.std_mean(t, correction=0))


def test_topk_unsorted_and_ties_select_the_right_values():
    data = [[3, 1, 3, 2, 1, 3, 2, 2, 5, 1, 0, 5]]
    p, t = pair(data, "int64")
    for largest in (True, False):
        pv, pi = p.topk(5, largest=largest)
        tv, _ = t.topk(5, largest=largest)
        assert_same(pv, tv)  # which of equal values comes first is torch's implementation detail
        assert [data[0][i] for i in pi.tolist()[0]] == pv.tolist()[0]
        assert len(set(pi.tolist()[0])) == 5
    f, g = pair([[0.3, -1.0, 2.0, 0.7, 1.1]])
    pv, pi = f.topk(3, sorted=False)
    tv, ti = g.topk(3, sorted=False)
    assert sorted(pv.tolist()[0]) == pytest.approx(sorted(tv.tolist()[0]))
    assert sorted(pi.tolist()[0]) == sorted(ti.tolist()[0])


def test_return_types_behave_like_torch():
    p, t = pair([[1.0, 3.0], [2.0, 0.0]], requires_grad=False)
    for name in ("max", "min", "sort", "median"):
        pr, tr = getattr(p, name)(1), getattr(t, name)(1)
        assert repr(pr) == repr(tr)
        assert type(pr).__name__ == type(tr).__name__ and isinstance(pr, tuple) and pr.n_fields == 2
        values, indices = pr
        assert values is pr.values is pr[0] and indices is pr.indices is pr[1]
    r = p.topk(1, 0)
    assert repr(r).startswith("torch.return_types.topk(\nvalues=")
    assert repr(copy.copy(r)) == repr(r)
    with pytest.raises(TypeError):
        type(r)(r.values)
    plain = type(r)(1, 2)
    assert pickle.loads(pickle.dumps(plain)) == plain and pickle.loads(pickle.dumps(plain)).indices == 2


ERRORS = [
    (lambda m, x, i: m.mean(i), RuntimeError, "mean(): could not infer output dtype. Input dtype must be "
     "either a floating point or complex dtype. Got: Long"),
    (lambda m, x, i: m.max(m.zeros(0)), RuntimeError, "max(): Expected reduction dim to be specified for "
     "input.numel() == 0. Specify the reduction dim with the 'dim' argument."),
    (lambda m, x, i: m.max(m.zeros(0, 3), 0), IndexError, "max(): Expected reduction dim 0 to have "
     "non-zero size."),
    (lambda m, x, i: m.amin(m.zeros(2, 0), 1), IndexError, "amin(): Expected reduction dim 1 to have "
     "non-zero size."),
    (lambda m, x, i: m.argmax(m.zeros(0)), IndexError, "argmax(): Expected reduction dim to be specified "
     "for input.numel() == 0."),
    (lambda m, x, i: m.argmax(x > 0), RuntimeError, "argmax(): does not support bool input"),
    (lambda m, x, i: m.topk(x, 4), RuntimeError, "selected index k out of range"),
    (lambda m, x, i: m.var(i), RuntimeError, "std and var only support floating point and complex dtypes"),
    (lambda m, x, i: m.norm(i), RuntimeError, "linalg.vector_norm: Expected a floating point or complex "
     "tensor as input. Got Long"),
    (lambda m, x, i: m.norm(m.zeros(0), math.inf), RuntimeError, "linalg.vector_norm cannot compute the "
     "inf norm on an empty tensor because the operation does not have an identity"),
    (lambda m, x, i: m.softmax(i, 1), NotImplementedError,
     "\"softmax_lastdim_kernel_impl\" not implemented for 'Long'"),
    (lambda m, x, i: m.sum(x, (1, -1)), RuntimeError, "dim 1 appears multiple times in the list of dims"),
    (lambda m, x, i: m.cumsum(x, 2), IndexError, "Dimension out of range (expected to be in range of "
     "[-2, 1], but got 2)"),
    (lambda m, x, i: m.median(x > 0), NotImplementedError, "\"median_cpu\" not implemented for 'Bool'"),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors_match_torch(index):
    fn, exc, message = ERRORS[index]
    for lib in (torch, pyfront):
        x = lib.tensor([[1.0, -2.0, 3.0], [0.5, 0.0, 2.0]])
        with pytest.raises(exc) as info:
            fn(lib, x, lib.tensor([[1, 2, 3]]))
        assert str(info.value) == message, lib.__name__


def test_empty_reductions():
    p, t = pair(np.zeros((0, 3), "float32"))
    for name in ("sum", "prod", "all", "any", "count_nonzero", "logsumexp", "norm"):
        assert_same(getattr(pyfront, name)(p, 0) if name != "norm" else pyfront.norm(p),
                    getattr(torch, name)(t, 0) if name != "norm" else torch.norm(t))
    assert_same(p.mean(), t.mean())
    assert_same(p.median(), t.median())
    assert_same(p.sum(), t.sum())
    assert_same(p.prod(), t.prod())
