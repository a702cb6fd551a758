"""The matmul family and the joining/movement ops against torch, beyond what the op table covers:
exact error messages, list arguments (cat, stack, ...), methods and operators, in-place variants,
``Tensor.repeat`` and ``pad`` (no ``pyfront.X`` of that name), and double backward."""
from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import pyfront
from optable import assert_same, build, check
from pyfront.ops.composite import shaping as pf_shaping
from pyfront.ops.registry import COMPOSITES, OPS
from pyfront.ops.samples import T, s

OWN = ("mm bmm flip dot vdot mv outer ger inner matmul addmm addmv baddbmm addbmm tensordot einsum "
       "fliplr flipud roll tile repeat_interleave tril triu rot90").split()


def _samples(name):
    return OPS[name].samples() if name in OPS else COMPOSITES[name]["samples"]()


def _build(sample, seed=0):
    rng = np.random.default_rng(seed)
    args, kwargs = sample
    built = [build(a, (None, None), rng) for a in args]
    kw = {k: build(v, (None, None), rng) for k, v in kwargs.items()}
    return ([b[0] for b in built], {k: v[0] for k, v in kw.items()},
            [b[1] for b in built], {k: v[1] for k, v in kw.items()})


def _torch_error(fn, args, kwargs):
    try:
        fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 -- any exception torch raises is the expectation
        return e
    return None


def assert_same_error(pfn, tfn, sample, seed=0):
    """torch raises on ``sample``; pyfront raises the same type with the same message."""
    p_args, p_kw, t_args, t_kw = _build(sample, seed)
    expected = _torch_error(tfn, t_args, t_kw)
    assert expected is not None, "torch accepts this sample"
    with pytest.raises(type(expected)) as info:
        pfn(*p_args, **p_kw)
    assert str(info.value) == str(expected)


def _error_cases():
    cases = []
    for name in OWN:
        tfn = getattr(torch, name)
        for i, sample in enumerate(_samples(name)):
            _, _, t_args, t_kw = _build(sample, i)
            if _torch_error(tfn, t_args, t_kw) is not None:
                cases.append(pytest.param(name, sample, i, id=f"{name}-{i}"))
    return cases


@pytest.mark.parametrize("name,sample,seed", _error_cases())
def test_op_table_errors_have_torch_messages(name, sample, seed):
    assert_same_error(getattr(pyfront, name), getattr(torch, name), sample, seed)


# -- matmul: the paths whose messages depend on strides and requires_grad -------------------------
@pytest.mark.parametrize("a,b", [
    (T((2, 3, 4), layout="transposed"), T((2, 5))),           # not foldable: batched message
    (T((4, 3, 2), layout="transposed"), T((4, 5))),
    (T((2, 2, 3)), T((4, 5))), (T((2, 2, 3)), T((4,))), (T((4,)), T((2, 2, 3))), (T((5, 4)), T((2, 2, 3))),
    (T((1, 1, 3)), T((2, 4, 1))), (T((2, 2, 3)), T((1, 4, 5))), (T((1, 2, 3)), T((2, 4, 5)))])
@pytest.mark.parametrize("grad", [None, 0, 1])
def test_matmul_error_paths(a, b, grad):
    p_args, _, t_args, _ = _build(s(replace(a, grad=False), replace(b, grad=False)))
    if grad is not None:  # an operand that needs a gradient can make PyTorch fold a batch into one mm
        p_args[grad].requires_grad_(True)
        t_args[grad].requires_grad_(True)
    expected = _torch_error(torch.matmul, t_args, {})
    with pytest.raises(type(expected)) as info:
        pyfront.matmul(*p_args)
    assert str(info.value) == str(expected)


def test_matmul_operators_and_methods():
    check("matmul", None, s(T((2, 3, 4)), T((4, 5))), (None, None), True,
          call=(lambda a, b: a @ b, lambda a, b: a @ b))
    check("matmul", None, s(T((3,)), T((2, 3, 4))), (None, None), True,
          call=(lambda a, b: a.matmul(b), lambda a, b: a.matmul(b)))
    check("rmatmul", None, s(T((3, 4)), T((2, 3))), (None, None), True,
          call=(lambda a, b: a.__rmatmul__(b), lambda a, b: a.__rmatmul__(b)))
    for name in ("mm", "mv", "dot", "outer", "inner", "bmm"):
        assert callable(getattr(pyfront.Tensor, name))


def test_matmul_folded_gradient_of_a_shared_weight():
    # (batch, n, k) @ (k, m) with a weight that needs its gradient: the folded path
    check("matmul", None, s(T((3, 2, 4), grad=False), T((4, 5))), (None, None), True,
          call=(pyfront.matmul, torch.matmul))


@pytest.mark.parametrize("name,sample", [
    ("addmm_", s(T((2, 4)), T((2, 3)), T((3, 4)), beta=0.5, alpha=2.0)),
    ("addmv_", s(T((2,)), T((2, 3)), T((3,)))),
    ("baddbmm_", s(T((2, 3, 5)), T((2, 3, 4)), T((2, 4, 5)), alpha=-1.0)),
    ("addbmm_", s(T((3, 5)), T((2, 3, 4)), T((2, 4, 5)), beta=0)),
    ("tril_", s(T((3, 4)), 1)), ("triu_", s(T((2, 3, 4)), -1))])
def test_inplace_variants(name, sample):
    def call(mod):
        def run(x, *args, **kwargs):
            y = x * 1  # in-place on a non-leaf, so the gradient flows through the write
            getattr(y, name)(*args, **kwargs)
            return y
        return run
    check(name, None, sample, (None, None), True, call=(call(pyfront), call(torch)))


# (method, self's shape, operands' shapes): self of another shape than the product, which broadcasts to it or
# not; a bad operand (its own refusal first); an addmv_/baddbmm_ self that does not expand (theirs)
_PRODUCT_SELVES = [("addmm_", (2,), ((2, 3), (3, 2))), ("addmm_", (1, 2), ((2, 3), (3, 2))),
                   ("addmm_", (3, 2), ((2, 3), (3, 2))), ("addmm_", (2, 2), ((2, 3), (3, 1))),
                   ("addmm_", (2,), ((2, 3), (4, 2))), ("addmv_", (1,), ((2, 3), (3,))),
                   ("addmv_", (), ((2, 3), (3,))), ("addmv_", (3,), ((2, 3), (3,))),
                   ("baddbmm_", (2, 2), ((2, 2, 3), (2, 3, 2))), ("baddbmm_", (1, 2, 2), ((2, 2, 3), (2, 3, 2))),
                   ("baddbmm_", (2, 2, 3), ((2, 2, 3), (2, 4, 2)))]


@pytest.mark.parametrize("case", range(len(_PRODUCT_SELVES)))
def test_inplace_products_refuse_another_self_shape_as_torch(case):
    name, shape, operands = _PRODUCT_SELVES[case]
    with pytest.raises(RuntimeError) as t_err:
        getattr(torch.ones(shape), name)(*(torch.ones(o) for o in operands), beta=0.5)
    with pytest.raises(RuntimeError) as p_err:
        getattr(pyfront.ones(shape), name)(*(pyfront.ones(o) for o in operands), beta=0.5)
    assert str(p_err.value) == str(t_err.value)


def test_addmm_beta_zero_ignores_nan_and_gives_zero_gradient():
    inp = pyfront.full((2, 4), float("nan"), requires_grad=True)
    out = pyfront.addmm(inp, pyfront.ones(2, 3), pyfront.ones(3, 4), beta=0)
    assert not out.isnan().any().item()
    out.sum().backward()
    assert inp.grad.tolist() == torch.zeros(2, 4).tolist()


def test_integer_addmm_casts_scalars_like_torch():
    a, b, c = (torch.randint(-3, 4, shape) for shape in ((2, 4), (2, 3), (3, 4)))
    for beta, alpha in ((0.5, 2), (1.7, 0.5), (2, 3)):
        expected = torch.addmm(a, b, c, beta=beta, alpha=alpha)
        got = pyfront.addmm(*(pyfront.tensor(t.numpy()) for t in (a, b, c)), beta=beta, alpha=alpha)
        assert_same(got, expected)


def test_double_backward_through_mm():
    data = [np.random.default_rng(i).standard_normal(shape).astype("float32") for i, shape in
            enumerate(((3, 4), (4, 2)))]
    results = []
    for lib in (pyfront, torch):
        a, b = (lib.tensor(d, requires_grad=True) for d in data)
        (ga,) = lib.autograd.grad((lib.matmul(a, b) ** 2).sum(), [a], create_graph=True)
        (gb,) = lib.autograd.grad((ga * ga).sum(), [b])
        results.append((ga, gb))
    assert_same(results[0][0], results[1][0].detach())
    assert_same(results[0][1], results[1][1], rtol=1e-4, atol=1e-4)


# -- einsum forms the op table cannot express ---------------------------------------------------
def test_einsum_sublist_and_list_forms():
    check("einsum", None, s(T((2, 3)), T((3, 4))), (None, None), True,
          call=(lambda a, b: pyfront.einsum(a, [0, 1], b, [1, 2], [0, 2]),
                lambda a, b: torch.einsum(a, [0, 1], b, [1, 2], [0, 2])))
    check("einsum", None, s(T((2, 3, 3))), (None, None), True,
          call=(lambda a: pyfront.einsum(a, [0, Ellipsis, 26]), lambda a: torch.einsum(a, [0, Ellipsis, 26])))
    check("einsum", None, s(T((2, 3)), T((3,))), (None, None), True,
          call=(lambda a, b: pyfront.einsum("ij,j->i", [a, b]), lambda a, b: torch.einsum("ij,j->i", [a, b])))


def test_einsum_float64_gradcheck_style():
    check("einsum", "einsum", s("bij,bjk,bk->bi", T((2, 3, 4), "float64"), T((2, 4, 5), "float64"),
                                T((2, 5), "float64")), (None, None), True)


# -- joining ops take lists -----------------------------------------------------------------------
def _list_call(name, module_p=pyfront, module_t=torch):
    return (lambda *ts, **kw: getattr(module_p, name)(list(ts), **kw),
            lambda *ts, **kw: getattr(module_t, name)(list(ts), **kw))


JOIN_SAMPLES = {
    "cat": [s(T((2, 3)), T((4, 3))), s(T((2, 3)), T((2, 4)), dim=1), s(T((2, 3)), T((2, 4)), dim=-1),
            s(T((2, 3)), T((0,)), T((1, 3))), s(T((0,)), T((2, 3)), T((2, 1)), dim=1), s(T((0,)), T((0,))),
            s(T((0,)), T((0,), "float64")), s(T((0,)), T((0,)), dim=5), s(T((2, 3)), T((2, 3), "int64")),
            s(T((2, 3), "bool"), T((2, 3), "uint8")), s(T((0,)), T((2, 3), "int64")),
            s(T((4, 3), layout="transposed"), T((1, 4), layout="expanded", expand_to=(2, 4)), dim=0),
            s(T((2, 3))), s(T((2, 0)), T((2, 3)), dim=1), s(T((2, 3)), T((0, 3))),
            s(T((2, 3)), T((2, 4))), s(T((2, 3)), T((2, 4, 1)), dim=1), s(T(()), T(())), s(T((3,)), T(())),
            s(T((2, 3)), T((0, 4))), s(T((2, 3)), T((2, 3)), dim=2), s(T((2, 3)), T((2, 3)), dim=-3),
            s(T((2, 3)), T((0,)), T((2, 4))), s(T((2, 3)), T((0, 2)), dim=1)],
    "concat": [s(T((2,)), T((3,)))],
    "stack": [s(T((2, 3)), T((2, 3))), s(T((2, 3)), T((2, 3)), dim=-1), s(T((2, 3)), T((2, 3)), dim=1),
              s(T(()), T(())), s(T((2, 3)), T((2, 3), "int64")), s(T((0, 2)), T((0, 2)), T((0, 2))),
              s(T((2, 3)), T((2, 4))), s(T((2, 3)), T((2, 3)), dim=3), s(T((2, 3)), T((3, 2)), dim=1)],
    "hstack": [s(T(()), T((3,))), s(T((2, 3)), T((2, 1))), s(T((3,)), T((2,))), s(T((2, 3)), T((3, 3)))],
    "vstack": [s(T((3,)), T((3,))), s(T((3,)), T((2, 3))), s(T((2, 2, 3)), T((1, 2, 3))),
               s(T((3,)), T((4,)))],
    "dstack": [s(T((3,)), T((3,))), s(T((2, 3)), T((2, 3, 2))), s(T(()), T(())), s(T((2, 3)), T((3, 2)))],
    "column_stack": [s(T((3,)), T((3, 2))), s(T(()), T((1, 2))), s(T((3,)), T((3,))), s(T((3,)), T((4, 2)))],
}


@pytest.mark.parametrize("name,index", [(n, i) for n, ss in JOIN_SAMPLES.items() for i in range(len(ss))])
def test_joining_ops(name, index):
    sample = JOIN_SAMPLES[name][index]
    pfn, tfn = _list_call(name)
    if _torch_error(tfn, *_build(sample, index)[2:]) is not None:
        assert_same_error(pfn, tfn, sample, index)
    else:
        check(name, None, sample, (None, None), True, seed=index, call=(pfn, tfn))


@pytest.mark.parametrize("name", ["cat", "stack", "hstack", "vstack", "dstack", "column_stack"])
def test_joining_an_empty_list(name):
    expected = _torch_error(getattr(torch, name), [[]], {})
    with pytest.raises(type(expected)) as info:
        getattr(pyfront, name)([])
    assert str(info.value) == str(expected)


def test_cat_refuses_a_tensor_and_concatenate_takes_axis():
    with pytest.raises(TypeError, match="must be tuple of Tensors, not Tensor"):
        pyfront.cat(pyfront.ones(2, 3))
    x = pyfront.concatenate([pyfront.ones(2), pyfront.zeros(3)], 0)
    assert x.tolist() == torch.cat([torch.ones(2), torch.zeros(3)]).tolist()


@pytest.mark.parametrize("name", ["atleast_1d", "atleast_2d", "atleast_3d"])
def test_atleast(name):
    for shape in ((), (3,), (2, 3), (2, 3, 4)):
        data = np.arange(int(np.prod(shape)), dtype="float32").reshape(shape)
        assert_same(getattr(pyfront, name)(pyfront.tensor(data)), getattr(torch, name)(torch.tensor(data)))
    pair_p = getattr(pyfront, name)(pyfront.ones(()), pyfront.ones(3))
    pair_t = getattr(torch, name)(torch.ones(()), torch.ones(3))
    assert_same(list(pair_p), list(pair_t))


# -- methods: repeat, flip(*dims), roll ------------------------------------------------------------
REPEAT_SAMPLES = [s(T((2, 3)), 2, 2, 2), s(T((2, 3)), (2, 1)), s(T((3,)), [2, 2]), s(T(()), 2),
                  s(T((2, 3)), 0, 2),
                  s(T((4, 3), layout="transposed"), 1, 1), s(T((2, 3), "int64"), 3, 1),
                  s(T((3, 1), layout="expanded", expand_to=(3, 4)), 2, 1, 1),
                  s(T((2, 3)), 2), s(T((2, 3)), -1, 2), s(T((2, 3)))]


@pytest.mark.parametrize("index", range(len(REPEAT_SAMPLES)))
def test_repeat_method(index):
    sample = REPEAT_SAMPLES[index]
    call = (lambda x, *r: x.repeat(*r), lambda x, *r: x.repeat(*r))
    if _torch_error(call[1], *_build(sample, index)[2:]) is not None:
        assert_same_error(*call, sample, index)
    else:
        check("repeat", None, sample, (None, None), True, seed=index, call=call)


def test_repeat_copies():
    x = pyfront.ones(2, 3)
    y = x.repeat(1, 1)
    y.add_(1)
    assert x.tolist() == torch.ones(2, 3).tolist()


def test_method_forms():
    check("flip", None, s(T((2, 3, 4)), 0, 2), (None, None), True,
          call=(lambda x, *d: x.flip(*d), lambda x, *d: x.flip(*d)))
    check("roll", None, s(T((2, 3)), 1, 0), (None, None), True,
          call=(lambda x, *a: x.roll(*a), lambda x, *a: x.roll(*a)))
    check("repeat_interleave", None, s(T((2, 3)), 2, 0), (None, None), True,
          call=(lambda x, *a: x.repeat_interleave(*a), lambda x, *a: x.repeat_interleave(*a)))
    check("rot90", None, s(T((2, 3)), 1, (1, 0)), (None, None), True,
          call=(lambda x, *a: x.rot90(*a), lambda x, *a: x.rot90(*a)))


def test_flip_copies():
    x = pyfront.arange(4)
    y = x.flip(0)
    y.add_(10)
    assert x.tolist() == [0, 1, 2, 3]


# -- pad: torch.nn.functional.pad in constant mode --------------------------------------------------
PAD_SAMPLES = [s(T((2, 3)), (1, 2)), s(T((2, 3)), (1, 0, 0, 2)),
               s(T((2, 3, 4)), (1, 1, 2, 2, 0, 1), value=2.5),
               s(T((2, 3)), (-1, -1)), s(T((2, 3)), (0, -3)), s(T((2, 3)), (-1, 2, 1, -1)), s(T(()), ()),
               s(T((2, 3)), ()), s(T((2, 3), "int64"), (1, 1), value=2.5),
               s(T((2, 3), "bool"), (1, 1), value=True),
               s(T((4, 3), layout="transposed"), (2, 1)), s(T((0, 3)), (1, 1, 1, 1)),
               s(T((2, 3)), (1, 1), value=None),
               s(T((2, 3)), (1, 2, 3)), s(T((2, 3)), (1, 2, 3, 4, 5, 6)), s(T((2, 3)), (-2, -2)),
               s(T((2, 3)), (-4, 1)),
               s(T((2, 3)), (1, -5))]


@pytest.mark.parametrize("index", range(len(PAD_SAMPLES)))
def test_pad_constant(index):
    sample = PAD_SAMPLES[index]
    call = (pf_shaping.pad, F.pad)
    if _torch_error(F.pad, *_build(sample, index)[2:]) is not None:
        assert_same_error(*call, sample, index)
    else:
        check("pad", None, sample, (None, None), True, seed=index, call=call)


def test_pad_other_modes_are_refused():
    with pytest.raises(ValueError, match="constant"):
        pf_shaping.pad(pyfront.ones(1, 2, 3), (1, 1), mode="reflect")


def test_keyword_forms():
    data = np.arange(6, dtype="float32").reshape(2, 3)
    p, t = pyfront.tensor(data), torch.tensor(data)
    pairs = [
        (lambda m, x: m.cat([x, x], axis=1)), (lambda m, x: m.concatenate([x, x], axis=0)),
        (lambda m, x: m.stack([x, x], axis=2)), (lambda m, x: m.flip(x, dims=(0,))),
        (lambda m, x: x.flip(dims=(1,))), (lambda m, x: m.roll(x, shifts=1, dims=0)),
        (lambda m, x: m.tile(x, dims=(2,))), (lambda m, x: x.repeat(repeats=(2, 1))),
        (lambda m, x: m.repeat_interleave(x, repeats=2, dim=0)), (lambda m, x: m.tril(x, diagonal=-1)),
        (lambda m, x: m.rot90(x, k=3, dims=[0, 1])), (lambda m, x: m.tensordot(x, x, dims=([0], [0]))),
        (lambda m, x: m.addmm(x, x, m.ones(3, 3), beta=2, alpha=0.5)),
    ]
    for fn in pairs:
        assert_same(fn(pyfront, p), fn(torch, t))
