"""Faults found running session 36's user-style programs (tests/programs/: each file's header names the
public code it imitates), each checked as a kind against torch 2.13: nll_loss's and cross_entropy's target
checks for every rank of scores, in the order torch's kernels make them (an unbatched input's 1-element
target read as its one index; nll_loss2d's own refusals of a 4-d input's target); torch._foreach_*'s
arguments bound by torch's overloads (timm's ModelEmaV3 calls ``_foreach_mul_(params, scalar=decay)``),
maximum/minimum of a number, and torch's TypeErrors for calls that fit none; nll_loss's sum in the order of
torch's kernels (a cascade of partial sums, not a pairwise sum), so a printed loss is torch's to the bit;
torch.utils._pytree's API beyond flatten/unflatten/map (libraries' tree_map over several trees, tree_map_only,
is_leaf, registered classes, key paths, the TreeSpec queries); torch.cond, run eagerly where torch runs it
(its argument checks torch's)."""
from __future__ import annotations

import collections
import functools
import math
import warnings

import numpy as np
import pytest
import torch

import pyfront


def _outcome(fn):
    """('ok', shape, values) or (exception type name, message)."""
    try:
        out = fn()
        return "ok", tuple(out.shape), out.detach().double().numpy()
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return type(e).__name__, str(e)


# scores' shape -> targets' shapes: the right one, then wrong ranks and sizes
_TARGETS = {(4,): [(), (1,), (2,), (0,), (1, 1)], (2, 4): [(2,), (3,), (2, 1)],
            (2, 4, 3): [(2, 3), (2, 2), (2,)],
            (2, 4, 3, 3): [(2, 3, 3), (2, 2, 3), (2, 3), (2,), (2, 3, 3, 1), (3, 3, 3), (2, 3, 2)],
            (2, 4, 3, 3, 2): [(2, 3, 3, 2), (2, 3, 3)]}
_CASES = [(s, t) for s, ts in _TARGETS.items() for t in ts]


def _loss(lib, fn, shape, target_shape, weight, target_dtype, reduction, smoothing):
    scores = lib.linspace(-1, 1, math.prod(shape)).reshape(shape)
    target = (lib.arange(math.prod(target_shape)) % 4).reshape(target_shape).to(getattr(lib, target_dtype))
    kw = {"label_smoothing": smoothing} if smoothing else {}
    w = None if weight is None else lib.linspace(0.5, 2, weight)
    return getattr(lib.nn.functional, fn)(scores, target, weight=w, reduction=reduction, **kw)


@pytest.mark.parametrize("case", range(len(_CASES)))
@pytest.mark.parametrize("fn", ["nll_loss", "cross_entropy"])
def test_class_index_targets_checked_as_torch_for_every_rank(fn, case):
    shape, target_shape = _CASES[case]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for weight in (None, 3):  # (no weight, or one of the wrong size)
            for target_dtype in ("int64", "int32"):
                for reduction in ("none", "sum"):
                    # (label smoothing: its own refusal for an unbatched input)
                    for smoothing in ((0.0, 0.2) if fn == "cross_entropy" and len(shape) == 1 else (0.0,)):
                        args = (fn, shape, target_shape, weight, target_dtype, reduction, smoothing)
                        want = _outcome(functools.partial(_loss, torch, *args))
                        got = _outcome(functools.partial(_loss, pyfront, *args))
                        assert got[:2] == want[:2], args
                        if want[0] == "ok":  # (softmax's exp and the spatial sums' order: not to the bit)
                            np.testing.assert_allclose(got[2], want[2], rtol=1e-6, atol=1e-6)
                            zero = want[2] == 0
                            assert (np.signbit(got[2][zero]) == np.signbit(want[2][zero])).all(), args


# the margin losses' (scores, target) shapes, unbatched and batched, right and wrong (an empty batch left out:
# torch's multi_margin and multilabel_margin kernels return uninitialised memory for it)
_MARGIN_SHAPES = [((4,), ()), ((4,), (1,)), ((4,), (4,)), ((4,), (2,)), ((2, 4), (2,)), ((2, 4), (2, 4)),
                  ((2, 4), (3,)), ((2, 4), (2, 1)), ((2, 4, 3), (2, 4, 3)), ((), ())]


def _margin_loss(lib, fn, shape, target_shape, target_dtype, reduction):
    x = lib.linspace(-1, 1, math.prod(shape)).reshape(shape)
    t = (lib.arange(math.prod(target_shape)) % 3).reshape(target_shape).to(getattr(lib, target_dtype))
    return getattr(lib.nn.functional, fn)(x, t, reduction=reduction)


@pytest.mark.parametrize("fn, target_dtype", [("multi_margin_loss", "int64"),
                                              ("multilabel_margin_loss", "int64"),
                                              ("multilabel_soft_margin_loss", "float32"),
                                              ("soft_margin_loss", "float32")])
def test_margin_losses_take_shapes_as_torch(fn, target_dtype):
    for shape, target_shape in _MARGIN_SHAPES:
        for reduction in ("none", "sum"):
            args = (fn, shape, target_shape, target_dtype, reduction)
            want = _outcome(functools.partial(_margin_loss, torch, *args))
            got = _outcome(functools.partial(_margin_loss, pyfront, *args))
            assert got[:2] == want[:2], (shape, target_shape, reduction)
            if want[0] == "ok":
                np.testing.assert_allclose(got[2], want[2], rtol=1e-6)


# _foreach_ ops: how user code writes each overload (positionally and by torch's keyword names), and calls
# that fit none; (op, call) with the lists built per library
def _lists(lib):
    return ([lib.tensor([1.0, -2.0, float("nan")]), lib.tensor([3.0])],
            [lib.tensor([2.0, 0.5, 1.0]), lib.tensor([-3.5])],
            [lib.tensor([0.5, 4.0, 2.0]), lib.tensor([1.0])])


_SCALAR_OPS = ("add", "sub", "mul", "div", "clamp_max", "clamp_min", "maximum", "minimum")
_FOREACH_CALLS = [
    *[(op, form) for op in _SCALAR_OPS for form in (
        lambda f, a, b, c, lib: f(a, 1.5), lambda f, a, b, c, lib: f(a, scalar=1.5),
        lambda f, a, b, c, lib: f(a, [1.5, -2]), lambda f, a, b, c, lib: f(a, scalars=[1.5, -2]),
        lambda f, a, b, c, lib: f(a, b), lambda f, a, b, c, lib: f(a, other=b),
        lambda f, a, b, c, lib: f(a, lib.tensor(2.0)), lambda f, a, b, c, lib: f(a, other=lib.tensor(2.0)),
        lambda f, a, b, c, lib: f(self=a, scalar=2), lambda f, a, b, c, lib: f(a, 2.0, alpha=3),
        lambda f, a, b, c, lib: f(a, b, alpha=0.5), lambda f, a, b, c, lib: f(a, value=2.0),
        lambda f, a, b, c, lib: f(a, lib.tensor(2.0, requires_grad=True)), lambda f, a, b, c, lib: f(a[0], 2),
        lambda f, a, b, c, lib: f(a, "x"), lambda f, a, b, c, lib: f(a))],
    *[("pow", form) for form in (
        lambda f, a, b, c, lib: f(a, exponent=2.0), lambda f, a, b, c, lib: f(a, exponent=[2.0, 3]),
        lambda f, a, b, c, lib: f(a, exponent=c), lambda f, a, b, c, lib: f(a, scalar=2))],
    *[("lerp", form) for form in (
        lambda f, a, b, c, lib: f(a, b, 0.25), lambda f, a, b, c, lib: f(a, tensors1=b, weight=0.25),
        lambda f, a, b, c, lib: f(a, b, [0.5, 0.25]), lambda f, a, b, c, lib: f(a, b, weights=c),
        lambda f, a, b, c, lib: f(a, tensors1=b, weight=c), lambda f, a, b, c, lib: f(a, b, wt=0.5))],
    *[(op, form) for op in ("addcmul", "addcdiv") for form in (
        lambda f, a, b, c, lib: f(a, b, c), lambda f, a, b, c, lib: f(a, b, c, 0.5),
        lambda f, a, b, c, lib: f(a, tensor1=b, tensor2=c, value=0.5),
        lambda f, a, b, c, lib: f(a, b, c, scalars=[0.5, 2]),
        lambda f, a, b, c, lib: f(a, b, c, scalars=lib.tensor([0.5, 2.0])),
        lambda f, a, b, c, lib: f(a, b, c, alpha=2))],
]


def _foreach_outcome(lib, op, form):
    try:
        got = form(getattr(lib, f"_foreach_{op}"), *_lists(lib), lib)
        return "ok", type(got).__name__, [t.tolist() for t in got]
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return type(e).__name__, str(e)


@pytest.mark.parametrize("case", range(len(_FOREACH_CALLS)))
@pytest.mark.parametrize("in_place", [False, True])
def test_foreach_ops_bind_their_arguments_as_torch(case, in_place):
    op, form = _FOREACH_CALLS[case]
    op += "_" if in_place else ""
    want, got = _foreach_outcome(torch, op, form), _foreach_outcome(pyfront, op, form)
    assert repr(got) == repr(want)  # (repr: NaN equal to NaN)


# scores' shape -> the sizes a batch of class indices takes: around the cascade's runs of 16 and 256
_NLL_SHAPES = [(1, 5), (7, 5), (16, 3), (17, 3), (33, 3), (64, 10), (256, 4), (257, 4), (258, 4), (1000, 3),
               (5,), (2, 5, 33), (2, 3, 17, 9), (2, 3, 4, 3, 2)]


@pytest.mark.parametrize("shape", _NLL_SHAPES, ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
def test_nll_loss_sums_in_torchs_order(shape, dtype):
    rng = np.random.default_rng(len(shape) * 100 + shape[0])
    x = rng.standard_normal(shape) * 3
    x.reshape(-1)[::5] = -0.0  # (a -0.0 term adds as +0.0 in torch's partial sums)
    classes = shape[1] if len(shape) > 1 else shape[0]
    t = rng.integers(0, classes, (shape[0], *shape[2:]) if len(shape) > 1 else ())
    w = rng.random(classes)
    for ignore_index in (-100, 1):
        for weight in (None, w):
            for reduction in ("sum", "mean"):
                # (16-bit: torch's partial sums are in the input's dtype, rounded at every step)
                got, want = (lib.nn.functional.nll_loss(
                    lib.from_numpy(x).to(getattr(lib, dtype)), lib.from_numpy(np.asarray(t)),
                    None if weight is None else lib.from_numpy(w).to(getattr(lib, dtype)),
                    ignore_index=ignore_index, reduction=reduction).item() for lib in (pyfront, torch))
                assert repr(got) == repr(want), (ignore_index, weight is None, reduction)


_Pair = collections.namedtuple("_Pair", ["inputs", "labels"])


class _Box:
    """A class each library registers as a pytree node."""

    def __init__(self, items, tag):
        self.items, self.tag = items, tag


def _pytree(lib):
    pt = lib.utils._pytree
    if _Box not in getattr(pt, "_REGISTERED", getattr(pt, "SUPPORTED_NODES", {})):
        pt.register_pytree_node(_Box, lambda b: (b.items, b.tag), lambda items, tag: _Box(list(items), tag))
    return pt


def _trees():
    return [1, None, [1, (2.5, [3])], {"b": [1, 2], "a": (3, {"c": 4})}, _Pair([1, 2], 3.0),
            [_Pair(1, (2, 3)), {"k": None}], collections.OrderedDict(x=1, y=[2]), (), [[], {}],
            {"box": _Box([1, [2, 3]], "t")}]


def _described(pt, tree, op):
    """What ``op`` gives for ``tree`` as plain values (a _Box as its items and tag)."""
    def plain(x):
        if isinstance(x, (torch.Tensor, pyfront.Tensor)):
            return ("tensor", x.tolist())
        if isinstance(x, _Box):
            return ("Box", plain(x.items), x.tag)
        if isinstance(x, (list, tuple)):
            return (type(x).__name__, [plain(v) for v in x])
        if isinstance(x, dict):
            return (type(x).__name__, [(k, plain(v)) for k, v in x.items()])
        return x
    if tree == "max":  # a structseq (torch.return_types)
        lib = torch if pt is torch.utils._pytree else pyfront
        tree = lib.tensor([1.0, 3.0]).max(0)
    try:
        return plain(op(pt, tree))
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        # (pyfront's return types live in its own module: the class's name is all that can match)
        return type(e).__name__, str(e).replace("pyfront.ops.return_types", "torch.return_types")


_PYTREE_OPS = {
    "leaves": lambda pt, t: pt.tree_leaves(t),
    "spec": lambda pt, t: (lambda s: (s.num_leaves, s.num_nodes, s.num_children, s.is_leaf(),
                                      s.context if s.context is None or isinstance(s.context, list)
                                      else "ctx"))(pt.tree_structure(t)),
    "map two": lambda pt, t: pt.tree_map(lambda a, b: (a, b), t, pt.tree_map(lambda x: "r", t)),
    "map mismatched": lambda pt, t: pt.tree_map(lambda a, b: a, t, [9]),
    "map only": lambda pt, t: pt.tree_map_only(int, lambda x: x * 10, t),
    "map only pred": lambda pt, t: pt.tree_map_only(lambda x: x is None, lambda x: "none", t),
    "is_leaf lists": lambda pt, t: pt.tree_leaves(t, is_leaf=lambda x: isinstance(x, list)),
    "all/any": lambda pt, t: (pt.tree_all(lambda x: x is not None, t), pt.tree_any(lambda x: x == 3, t),
                              pt.tree_all_only(int, lambda x: x > 0, t),
                              pt.tree_any_only(float, lambda x: x > 2, t)),
    "paths": lambda pt, t: [(pt.keystr(p), v) for p, v in pt.tree_leaves_with_path(t)],
    "key_get": lambda pt, t: [pt.key_get(t, p) == v for p, v in pt.tree_flatten_with_path(t)[0]],
    "map with path": lambda pt, t: pt.tree_map_with_path(lambda p, x: pt.keystr(p), t),
    "unflatten": lambda pt, t: pt.tree_unflatten(list(range(len(pt.tree_leaves(t)))), pt.tree_structure(t)),
    "flatten_up_to": lambda pt, t: pt.tree_structure(t).flatten_up_to(t),
    "repr": lambda pt, t: repr(pt.tree_structure(t)),
    "is_leaf": lambda pt, t: (pt.tree_is_leaf(t), pt.is_namedtuple(t), pt.is_namedtuple_instance(t),
                              pt.is_structseq(t)),
}


@pytest.mark.parametrize("op", sorted(_PYTREE_OPS))
def test_pytree_api_as_torchs(op):
    for tree in _trees() + ["max"]:
        want = _described(_pytree(torch), tree, _PYTREE_OPS[op])
        got = _described(_pytree(pyfront), tree, _PYTREE_OPS[op])
        assert got == want, tree


_Q, _R = collections.namedtuple("_Q", "a b"), collections.namedtuple("_R", "a b")
# (tree, another tree mapped beside it): dicts match by key in any order; torch's refusals of the rest
_TREE_PAIRS = [([1, 2], (1, 2)), ({"a": 1, "b": 2}, {"b": 5, "a": 6}), ({"a": 1, "b": 2}, {"a": 1, "c": 2}),
               ({"a": 1}, collections.OrderedDict(a=3)), (_Q(1, 2), _R(1, 2)), (_Q(1, 2), _Q(3, 4)),
               ([1, 2], [1]), ([1, [2]], [1, 5]), ({"a": 1, "b": 2}, {"a": 1}), (1, [1, 2])]


@pytest.mark.parametrize("case", range(len(_TREE_PAIRS)))
def test_pytree_maps_several_trees_as_torch(case):
    tree, other = _TREE_PAIRS[case]
    want, got = (_described(_pytree(lib), tree, lambda pt, t: pt.tree_map(lambda x, y: (x, y), t, other))
                 for lib in (torch, pyfront))
    assert got == want


# torch.cond calls torch runs in eager mode (no operand that requires grad, no branch returning an input
# unchanged: torch's compiler refuses those), and the calls it refuses before compiling
_COND_CALLS = [
    lambda lib, x: lib.cond(lib.tensor(True), lambda a: a.sin() * 2, lambda a: a.cos(), (x,)),
    lambda lib, x: lib.cond(x.sum() > 100, lambda a: a.sin() * 2, lambda a: a.cos(), [x]),
    lambda lib, x: lib.cond(lib.tensor([False]), lambda a, b: a + b["k"], lambda a, b: a - b["k"],
                            (x, {"k": x * 2})),
    lambda lib, x: lib.cond(True, lambda: lib.zeros(2), lambda: lib.ones(2)),
    lambda lib, x: lib.cond(0, lambda a: a + 1, lambda a: a - 1, (x,)),
    lambda lib, x: lib.cond(1.5, lambda a: a + 1, 3, (x,)),
    lambda lib, x: lib.cond(lib.tensor([True, False]), lambda a: a + 1, lambda a: a - 1, (x,)),
    lambda lib, x: lib.cond(lib.tensor(True), lambda a: a + 1, 3, (x,)),
    lambda lib, x: lib.cond(lib.tensor(True), lambda a: a + 1, lambda a: a - 1, x),
    lambda lib, x: lib.cond(lib.tensor(True), lambda a, n: a + n, lambda a, n: a - n, (x, 2)),
    lambda lib, x: lib.cond("yes", lambda a: a + 1, lambda a: a - 1, (x,)),
]


@pytest.mark.parametrize("case", range(len(_COND_CALLS)))
def test_cond_as_torchs_eager_cond(case):
    def outcome(lib):
        try:
            return "ok", _COND_CALLS[case](lib, lib.tensor([0.5, -1.0, 2.0])).tolist()
        except Exception as e:  # noqa: BLE001 - the exception is what is compared
            return type(e).__name__, str(e)
    want, got = outcome(torch), outcome(pyfront)
    assert got[0] == want[0] and (np.allclose(got[1], want[1], rtol=1e-6) if want[0] == "ok" else got == want)


def test_pytree_register_keeps_flatten_with_keys_fn():
    # (register_pytree_node's flatten_with_keys_fn gives the key paths: tree_leaves_with_path raised without)
    def program(L):
        pt = L.utils._pytree

        class Pair:
            def __init__(self, a, b):
                self.a, self.b = a, b
        pt.register_pytree_node(Pair, lambda x: ([x.a, x.b], None), lambda c, ctx: Pair(*c),
                                flatten_with_keys_fn=lambda x: ([(pt.GetAttrKey("a"), x.a),
                                                                 (pt.GetAttrKey("b"), x.b)], None))
        return [(pt.keystr(path), leaf) for path, leaf in pt.tree_leaves_with_path({"p": [Pair(1, 2)]})]
    assert program(pyfront) == program(torch)


def test_pytree_defaultdict_and_deque_are_containers():
    def program(L):
        pt = L.utils._pytree
        trees = (collections.defaultdict(list, {"a": 1, "b": [2, 3]}), collections.deque([1, (2, 3)], maxlen=4))
        out = []
        for tree in (*trees, list(trees)):
            leaves, spec = pt.tree_flatten(tree)
            back = pt.tree_unflatten([v * 10 for v in leaves], spec)
            out.append((leaves, repr(spec), repr(back), [pt.keystr(p) for p, _ in pt.tree_leaves_with_path(tree)]))
        return out
    assert program(pyfront) == program(torch)


def test_pytree_map_matches_defaultdict_and_deque_as_torch():
    # (a defaultdict matches any dict by its keys; a deque's maxlen is not compared)
    def program(L):
        pt, c = L.utils._pytree, collections
        a, d = c.defaultdict(list, {"a": 1, "b": 2}), c.deque([1, 2], maxlen=3)
        out = []
        for x, y in [(a, c.defaultdict(int, {"b": 3, "a": 4})), (a, {"a": 3, "b": 4}), ({"a": 1, "b": 2}, a),
                     (a, c.defaultdict(list, {"a": 3, "c": 4})), (d, c.deque([3, 4])), (d, [3, 4])]:
            try:
                out.append(repr(pt.tree_map(lambda u, v: u + v, x, y)))
            except ValueError as e:
                out.append(str(e))
        return out
    assert program(pyfront) == program(torch)
