"""Sample inputs for the op table tests, described without data (the tests fill in seeded values).

``T`` describes one tensor operand; a sample is ``(args, kwargs)``. Elementwise ops get a standard
set by arity (0-d, zero-size, broadcast on both sides, transposed, expanded, Python scalars).
Every other op's list lives below, in sections named for the module that defines the op, and its
registry entry or ``@composite`` names it (``samples=samples.gather``): the op's definition stays
short, and an op's test inputs are one search away. The op table (tests/optable.py) adds the edge
rows (``edge_samples``) to each list.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class T:
    shape: tuple
    dtype: str = "float32"
    layout: str = "contiguous"   # "contiguous", "transposed" (all dims reversed), "expanded"
    expand_to: tuple = ()        # for layout="expanded": the shape it is expanded to
    low: float = None            # override the op's domain
    high: float = None
    grad: bool = True            # float operands take part in the gradient check
    # "random": seeded values in the domain; "full": every value of an integer dtype (wraparound);
    # "special": floats with nan, inf, -inf, 0 and -0 at fixed positions, shifted by ``shift``
    fill: str = "random"
    shift: int = 0


def s(*args, **kwargs):
    return (args, kwargs)


def elementwise(arity: int):
    if arity == 1:
        return [s(T((3, 4))), s(T(())), s(T((0, 3))), s(T((4, 5), layout="transposed")),
                s(T((3, 1), layout="expanded", expand_to=(3, 4))), s(T((2, 3, 4))), s(T((5,), "int64"))]
    if arity == 2:
        return [s(T((3, 4)), T((3, 4))), s(T((3, 1)), T((1, 4))), s(T((4,)), T((2, 3, 4))),
                s(T(()), T((2, 3))), s(T((2, 3)), T(())), s(T((0, 3)), T((1, 3))),
                s(T((4, 5), layout="transposed"), T((4, 5))), s(T((3, 4)), 2.5), s(1.5, T((3, 4))),
                s(T((3, 1), layout="expanded", expand_to=(3, 4)), T((3, 4))),
                s(T((3, 4), "int64"), T((3, 4), "int64")), s(T((3, 4), "int64"), 0.5),
                s(T((3, 4)), T((3, 4), "int64"))]
    return [s(T((3, 4)), T((3, 4)), T((3, 4))), s(T((3, 1)), T((1, 4)), T(())),
            s(T((4, 5), layout="transposed"), T((4, 5)), 0.5)]


def where_samples():
    return [s(T((3, 4), "bool"), T((3, 4)), T((3, 4))), s(T((3, 1), "bool"), T((1, 4)), T(())),
            s(T((3, 4), "bool"), T((3, 4)), 0.0), s(T((), "bool"), T((2, 3)), T((2, 3), layout="transposed"))]


NARROW_INTS = ("uint8", "int8", "int16")


def edge_samples(samples):
    """Rows every op runs, derived from its first sample with a tensor operand: the operands as
    each narrow integer dtype over its whole range (narrow integers live in 32-bit GPU lanes and
    must wrap), and as floats holding nan/inf/-inf/0/-0. Index operands (integers with a range)
    stay as they are; torch decides whether the op accepts the dtype."""
    base = next((smp for smp in samples if any(isinstance(a, T) for a in (*smp[0], *smp[1].values()))), None)
    if base is None:
        return []

    def derive(fn):
        args, kwargs = base
        k = itertools.count()  # the operand's position: special values shift with it
        return (tuple(fn(a, next(k)) if isinstance(a, T) else a for a in args),
                {n: fn(a, next(k)) if isinstance(a, T) else a for n, a in kwargs.items()})

    def narrow(dtype):
        def fn(a, _):
            index = a.dtype not in ("float32", "float64") and (a.low is not None or a.high is not None)
            return a if index or a.dtype == "bool" else replace(a, dtype=dtype, fill="full")
        return fn

    def special(a, k):
        return replace(a, fill="special", shift=2 * k) if a.dtype in ("float32", "float64") else a

    return [derive(narrow(d)) for d in NARROW_INTS] + [derive(special)]


# -- pyfront/ops/primitives/elementwise.py ---------------------------------------------------------------
def shift():
    i64 = dict(dtype="int64")
    return [s(T((3, 4), low=-100, high=100, **i64), T((3, 4), low=-3, high=24, **i64)),
            s(T((3, 4), **i64), T((4,), low=64, high=70, **i64)),
            s(T((2, 3), "int32", low=-1000, high=1000), T((1, 3), "int32", low=-2, high=40)),
            s(T((3, 4), "uint8", low=0, high=256), T((3, 4), "uint8", low=0, high=12)),
            s(T((3, 4), "int8", low=-128, high=128), T((3, 4), "int8", low=-1, high=10)),
            s(T((4, 5), layout="transposed", **i64), 3), s(5, T((2, 3), low=0, high=10, **i64)),
            s(T((3,), "bool"), 1), s(T((3,), "bool"), T((3,), "bool")), s(T((3, 4)), 1),
            s(T((3, 4), **i64), 1.5), s(T((0, 3), **i64), T((3,), low=0, high=3, **i64))]


# -- pyfront/ops/primitives/shaping.py -------------------------------------------------------------------
def flip():
    return [s(T((3, 4)), (0,)), s(T((3, 4)), [0, 1]), s(T((2, 3, 4)), (-1, 0)), s(T(()), (0,)),
            s(T(()), ()), s(T((0, 3)), (1,)), s(T((4, 5), layout="transposed"), (1,)),
            s(T((3, 4), "int64"), (0,)), s(T((3, 4)), (0, 0)), s(T((3, 4)), (-2, 0)),
            s(T((3, 4)), (2,)), s(T((3, 1), layout="expanded", expand_to=(3, 4)), (0, 1))]


# -- pyfront/ops/primitives/reductions.py ----------------------------------------------------------------
def reduction_dims(dtypes):
    """Reduction samples: all dims, one dim, negative dim, keepdim, 0-d, empty, strided, several and
    repeated dims, out-of-range dims, and the integer/bool ``dtypes``."""
    return [s(T((3, 4))), s(T((3, 4)), 1), s(T((2, 3, 4)), -1, True), s(T((2, 3, 4)), 0, keepdim=True),
            s(T(())), s(T(()), 0), s(T(()), -1, True), s(T((0, 3)), 1), s(T((4, 5), layout="transposed"), 0),
            s(T((3, 1), layout="expanded", expand_to=(3, 4)), 1), s(T((3, 4)), 2), s(T(()), 1),
            s(T((2, 3, 4)), (0, 2)), s(T((2, 3, 4)), (-1, 1), True), s(T((2, 3)), (1, -1)),
            *(s(T((3, 4), d), 1) for d in dtypes), *(s(T((3, 4), d)) for d in dtypes)]


def sum():
    return reduction_dims(("int64", "bool", "int32", "uint8"))


def prod():
    return reduction_dims(("int64", "bool", "int32"))


def amax_amin():
    return reduction_dims(("int64", "bool", "uint8")) + [s(T((0, 3)), 0), s(T((0, 3)))]


def argmax_argmin():
    return [s(T((3, 4))), s(T((3, 4)), 1), s(T((2, 3, 4)), -1, True), s(T((3, 4)), keepdim=True),
            s(T(())), s(T(()), 0), s(T((0, 3)), 1), s(T((0, 3)), 0), s(T((0, 3))),
            s(T((4, 5), layout="transposed"), 0), s(T((3, 4)), 2), s(T((3, 4), "int64"), 0),
            s(T((3, 4), "bool"), 0), s(T((3, 4), "uint8"))]


def all_any():
    return reduction_dims(("int64", "bool", "uint8")) + [s(T((3, 4), "bool", low=1), 1)]


def cumsum_cumprod():
    return [s(T((3, 4)), 1), s(T((3, 4)), 0), s(T((2, 3, 4)), -1), s(T(()), 0), s(T(()), -1),
            s(T((0, 3)), 0), s(T((0, 3)), 1), s(T((4, 5), layout="transposed"), 1),
            s(T((3, 1), layout="expanded", expand_to=(3, 4)), 1), s(T((3, 4)), 2), s(T((3, 4), "int64"), 1),
            s(T((3, 4), "bool"), 0), s(T((3, 4), "int32"), 1)]


def argsort():
    return [s(T((3, 4))), s(T((3, 4)), 0), s(T((2, 3, 4)), -2, True), s(T((5,)), descending=True),
            s(T(())), s(T(()), 0), s(T((0, 3)), 0), s(T((0, 3))), s(T((4, 5), layout="transposed"), 1),
            s(T((3, 1), layout="expanded", expand_to=(3, 4)), 0), s(T((3, 4)), 2),
            s(T((12,), "int64"), stable=True), s(T((12,), "int64"), descending=True, stable=True),
            s(T((3, 6), "int32"), 1, True), s(T((8,), "bool"), stable=True), s(T((8,), "uint8"), 0, True)]


def softmax():
    return [s(T((3, 4)), 1), s(T((3, 4)), 0), s(T((2, 3, 4)), -1), s(T(()), 0), s(T((0, 3)), 1),
            s(T((0, 3)), 0), s(T((4, 5), layout="transposed"), 1), s(T((3, 4), low=-300, high=300), 1),
            s(T((3, 1), layout="expanded", expand_to=(3, 4)), 1), s(T((3, 4)), 2), s(T((3, 4), "int64"), 1),
            s(T((3, 4), "int64"), 0), s(T((3, 4), "float64"), -1)]


def norm():
    inf = math.inf
    return [s(T((3, 4))), s(T((3, 4)), 2, 1), s(T((3, 4)), "fro", (0, 1), True), s(T((3, 4)), 1, 0),
            s(T((3, 4)), inf, 1), s(T((3, 4)), -inf), s(T((3, 4)), 0, 1), s(T((3, 4)), 3.5, -1, True),
            s(T((3, 4)), 0.5, 1), s(T((3, 4)), -1, 1), s(T((3, 4)), -2.5), s(T(())), s(T(()), 1, 0),
            s(T((0, 3)), 2, 1), s(T((0, 3))), s(T((0, 3)), inf), s(T((0, 3)), inf, 1),
            s(T((4, 5), layout="transposed"), 2, 0), s(T((3, 1), layout="expanded", expand_to=(3, 4)), 1, 1),
            s(T((2, 3, 4)), "fro", (0, 1, 2)), s(T((3, 4)), "abc"), s(T((3, 4)), 2, 2),
            s(T((3, 4), "int64")), s(T((2, 3, 4)), keepdim=True), s(T((3, 4)), inf, keepdim=True)]


# -- pyfront/ops/primitives/indexing.py ------------------------------------------------------------------
def gather():
    i = dict(dtype="int64", low=0, high=3)
    return [
        s(T((3, 4)), 1, T((3, 2), **i)),
        s(T((3, 4)), 0, T((2, 4), **i)),
        s(T((3, 4)), -1, T((2, 5), **i)),
        s(T((4, 3), layout="transposed"), 1, T((3, 6), **i)),
        s(T((2, 3, 4)), 2, T((2, 3, 4), **i)),
        s(T(()), 0, T((), "int64", low=0, high=1)),
        s(T((3,)), 0, T((), **i)),
        s(T((3, 4)), 1, T((0, 2), **i)),
        s(T((3, 4), "int64"), 1, T((3, 2), **i)),
        s(T((3, 4)), 1, T((3, 2), "int32", low=0, high=3)),
        s(T((3, 4)), 1, T((3, 2), "float32")),
        s(T((3, 4)), 1, T((3, 2), dtype="int64", low=3, high=6)),
        s(T((3, 4)), 1, T((3, 2), dtype="int64", low=-2, high=0)),
        s(T((3, 4)), 1, T((4, 2), **i)),
        s(T((3, 4)), 1, T((3,), **i)),
        s(T((3, 4)), 2, T((3, 2), **i)),
    ]


def scatter_reduce():
    i = dict(dtype="int64", low=0, high=3)
    out = []
    for r in ("sum", "prod", "mean", "amax", "amin"):
        out += [
            s(T((3, 4)), 1, T((3, 5), **i), T((3, 5)), r),
            s(T((3, 4)), 0, T((4, 4), **i), T((4, 4)), r, include_self=False),
        ]
    return out + [
        s(T((3, 4), "int64"), 1, T((3, 5), **i), T((3, 5), "int64"), "mean"),
        s(T((4, 3), layout="transposed"), -1, T((2, 6), **i), T((2, 6)), "amax", include_self=False),
        s(T((3, 4)), 1, T((3, 5), **i), T((3, 5), low=-1, high=1), "prod"),
        s(T(()), 0, T((), "int64", low=0, high=1), T(()), "amin"),
        s(T((3, 4)), 1, T((3, 5), **i), T((3, 5)), "max"),
        s(T((3, 4)), 1, T((3, 5), **i), T((3, 5)), "add"),
        s(T((3, 4)), 1, T((3, 5), **i), T((3, 5), "float64"), "sum"),
        s(T((3, 4)), 1, T((3, 5), "float32"), T((3, 5)), "sum"),
        s(T((3, 4)), 1, T((3,), **i), T((3, 5)), "sum"),
        s(T((3, 4)), 1, T((3, 2), **i), T((3, 5), grad=False), "sum"),
        s(T((3, 4)), 1, T((3, 5), **i), T((2, 5)), "sum"),
    ]


def nonzero():
    return [
        s(T((3, 4), "int64", low=-1, high=2)),
        s(T((2, 3, 4), "bool")),
        s(T(())),
        s(T((0, 3))),
        s(T((4, 5), "int64", low=0, high=2, layout="transposed")),
    ]


# -- pyfront/ops/primitives/linalg.py --------------------------------------------------------------------
def mm():
    return [
        s(T((3, 4)), T((4, 5))), s(T((4, 3), layout="transposed"), T((4, 5))),
        s(T((3, 4)), T((5, 4), layout="transposed")), s(T((0, 4)), T((4, 5))), s(T((3, 0)), T((0, 5))),
        s(T((3, 1), layout="expanded", expand_to=(3, 4)), T((4, 2))),
        s(T((2, 3), "int64"), T((3, 4), "int64")),
        s(T((2, 3)), T((4, 5))), s(T((3,)), T((3, 4))), s(T((2, 3)), T((3,))),
        s(T((2, 3)), T((3, 4), "float64")),
        s(T((2, 3), "bool"), T((3, 4), "bool")), s(T((2, 3), "float64"), T((3, 2), "float64"))]


def bmm():
    return [
        s(T((2, 3, 4)), T((2, 4, 5))), s(T((4, 3, 2), layout="transposed"), T((2, 4, 5))),
        s(T((1, 4, 5), layout="expanded", expand_to=(2, 4, 5)), T((2, 5, 3))), s(T((0, 3, 4)), T((0, 4, 5))),
        s(T((2, 3, 0)), T((2, 0, 4))), s(T((2, 3, 4), "int64"), T((2, 4, 5), "int64")),
        s(T((2, 3, 4)), T((3, 4, 5))), s(T((2, 3, 4)), T((2, 5, 5))), s(T((3, 4)), T((2, 4, 5))),
        s(T((2, 3, 4)), T((4, 5))), s(T((2, 3, 4)), T((2, 4, 5), "float64")),
        s(T((2, 3, 4), "bool"), T((2, 4, 5), "bool"))]


# -- pyfront/ops/primitives/nn.py ------------------------------------------------------------------------
def im2col():
    return [
        s(T((2, 3, 5, 5)), 2),
        s(T((1, 2, 6, 7)), (2, 3), dilation=(2, 1), padding=1, stride=2),
        s(T((3, 5, 4)), 3, padding=(0, 1)),
        s(T((0, 2, 4, 4)), 2),
        s(T((4, 4, 3, 2), layout="transposed"), 2, stride=(1, 2)),
        s(T((2, 3, 5, 5), "int64"), 2),
        s(T((2, 3, 5, 5)), 6),
        s(T((2, 3, 5, 5)), 2, stride=0),
        s(T((2, 3, 5, 5)), 2, padding=-1),
        s(T((2, 3, 5, 5)), 2, dilation=0),
        s(T((2, 3, 5, 5)), 0),
        s(T((5, 5)), 2),
        s(T((1, 2, 3, 5, 5)), 2),
    ]


def col2im():
    return [
        s(T((2, 12, 16)), (5, 5), 2),
        s(T((12, 16)), (5, 5), 2),
        s(T((1, 12, 9)), (6, 7), (2, 3), dilation=(2, 1), padding=1, stride=2),
        s(T((0, 8, 4)), (3, 3), 2),
        s(T((16, 12), layout="transposed"), (5, 5), 2),
        s(T((2, 12, 15)), (5, 5), 2),
        s(T((2, 11, 16)), (5, 5), 2),
        s(T((3, 2, 12, 16)), (5, 5), 2),
        s(T((2, 12, 16), "int64"), (5, 5), 2),
        s(T((2, 12, 16)), (5, 5), 2, stride=0),
    ]


# -- pyfront/ops/composite/math.py -----------------------------------------------------------------------
def lerp():
    return [s(T((3, 4)), T((3, 4)), 0.3), s(T((3, 1)), T((4,)), T((3, 4))),
            s(T((4, 5), layout="transposed"), T(()), 0.7)]


def addcmul():
    return [s(T((3, 4)), T((3, 4)), T((3, 4))), s(T((3, 1)), T((4,)), T((3, 4)), value=0.5),
            s(T(()), T((2, 3), layout="transposed"), T((2, 3)), value=-2)]


def addcdiv():
    return [s(T((3, 4)), T((3, 4)), T((3, 4), low=0.5, high=2.0)),
            s(T((3, 1)), T((4,)), T((3, 4), low=0.5, high=2.0), value=0.5)]


def isclose():
    return [s(T((3, 4)), T((3, 4))), s(T((3, 1)), T((4,)), rtol=0.5, atol=0.5),
            s(T((5,), "int64"), T((5,), "int64"))]


# -- pyfront/ops/composite/shaping.py --------------------------------------------------------------------
def fliplr():
    return [s(T((3, 4))), s(T((2, 3, 4))), s(T((4, 5), layout="transposed")), s(T((3,))),
            s(T((0, 2)))]


def flipud():
    return [s(T((3, 4))), s(T((3,))), s(T((3, 4), "int64")), s(T(()))]


def roll():
    return [
        s(T((3, 4)), 1), s(T((3, 4)), -5, 1), s(T((3, 4)), (1, 2), (0, 1)), s(T((3, 4)), (1, 2), (0, 0)),
        s(T((2, 3, 4)), 2, -1), s(T(()), 1), s(T((0, 3)), 1, 0),
        s(T((4, 5), layout="transposed"), (2,), (1,)),
        s(T((3, 4), "int64"), 7), s(T((3, 4)), (1, 2), (0,)), s(T((3, 4)), (1, 2)), s(T((3, 4)), 1, 2),
        s(T(()), 1, 0), s(T((3, 4)), [], []), s(T((3, 4)), 1.5)]


def tile():
    return [
        s(T((2, 3)), (2,)), s(T((2, 3)), (2, 2, 2)), s(T(()), ()), s(T(()), (3,)), s(T((2, 3)), ()),
        s(T((2, 3)), (0, 2)), s(T((4, 3), layout="transposed"), (2, 1)), s(T((2, 3), "int64"), (1, 2)),
        s(T((2, 3)), (-1,))]


def repeat_interleave():
    return [
        s(T((2, 3)), 2), s(T((2, 3)), 2, 1), s(T((2, 3)), 3, -2), s(T(()), 2), s(T((2, 3)), 0, 0),
        s(T((2, 3)), T((2,), "int64", low=0, high=3), 0),
        s(T((2, 3)), T((3,), "int32", low=0, high=3), dim=1),
        s(T((2, 3)), T((1,), "int64", low=1, high=3), 1), s(T((2, 3)), T((), "int64", low=1, high=3), 0),
        s(T((4, 3), layout="transposed"), T((4,), "int64", low=0, high=3), 1), s(T((2, 3), "int64"), 2),
        s(T((2, 3)), -1), s(T((2, 3)), T((2,), "int64", low=-2, high=-1), 0),
        s(T((2, 3)), T((2,), "int64", low=0, high=3)),
        s(T((2, 3)), T((1, 2), "int64", low=0, high=3), 1), s(T((2, 3)), T((2,), low=0, high=3), 0),
        s(T((2, 3)), T((2,), "int64", low=0, high=3), 1), s(T((2, 3)), 2, 2),
        s(T((3,), "int64", low=0, high=4))]


def triu_tril():
    return [
        s(T((3, 4))), s(T((4, 3)), 1), s(T((2, 3, 4)), -1), s(T((3, 3)), diagonal=5), s(T((3, 3)), -5),
        s(T((0, 3))), s(T((4, 3), layout="transposed"), 1), s(T((3, 3), "int64")), s(T((3, 3), "bool")),
        s(T((3,))),
        s(T(()))]


def rot90():
    return [
        s(T((2, 3))), s(T((2, 3)), 2), s(T((2, 3)), -1), s(T((2, 3)), 5, [1, 0]), s(T((2, 3, 4)), 1, (0, 2)),
        s(T((2, 3)), 0), s(T((2, 3, 4)), 3, (-1, -2)), s(T((2, 3)), 1, [0]), s(T((2, 3)), 1, [0, 0]),
        s(T((2, 3)), 1, [0, 2]), s(T((3,)), 1), s(T((2, 3)), 1, [0, -2])]


# -- pyfront/ops/composite/reductions.py -----------------------------------------------------------------
def mean():
    return [s(T((3, 4))), s(T((3, 4)), 1), s(T((2, 3, 4)), -1, keepdim=True), s(T((2, 3, 4)), (0, 2)),
            s(T((2, 3, 4)), (-1, 1), keepdim=True), s(T(())), s(T(()), 0), s(T((0, 3)), 1), s(T((0, 3))),
            s(T((4, 5), layout="transposed"), 0), s(T((3, 1), layout="expanded", expand_to=(3, 4)), 1),
            s(T((3, 4)), 2), s(T((2, 3)), (1, -1)), s(T((3, 4), "int64")), s(T((3, 4), "bool"), 0),
            s(T((3, 4), "float64"), 1)]


def var_std():
    return mean()[:-3] + [
        s(T((3, 4)), 1, False), s(T((3, 4)), 1, True, True), s(T((3, 4)), False), s(T((3, 4)), correction=0),
        s(T((3, 4)), 1, correction=2.5, keepdim=True), s(T((3, 4)), 0, correction=3),
        s(T((3, 4)), 0, correction=5), s(T((3, 4)), unbiased=False, correction=0), s(T((1, 4)), 0),
        s(T((3, 4), "float64"), 1)]


def logsumexp():
    return [s(T((3, 4)), 1), s(T((3, 4)), (0, 1)), s(T((2, 3, 4)), -1, True), s(T((2, 3, 4)), (0, 2), True),
            s(T(()), 0), s(T((0, 3)), 1), s(T((0, 3)), 0), s(T((4, 5), layout="transposed"), 0),
            s(T((3, 1), layout="expanded", expand_to=(3, 4)), 1), s(T((3, 4), low=-200, high=200), 1),
            s(T((3, 4)), 2), s(T((3, 4), "int64"), 1), s(T((3, 4), "bool"), 0)]


def count_nonzero():
    return [
        s(T((3, 4), low=-1, high=2, dtype="int64")), s(T((3, 4), "int64"), 1),
        s(T((2, 3, 4), "bool"), (0, 2)),
        s(T((3, 4), low=-1, high=2)), s(T(())), s(T(()), 0), s(T((0, 3)), 0), s(T((2, 3)), ()),
        s(T((4, 5), "int64", layout="transposed"), -1), s(T((2, 3)), (1, -1)), s(T((2, 3)), 2)]


def max_min():
    return [s(T((3, 4))), s(T((3, 4)), 1), s(T((2, 3, 4)), -1, True), s(T((2, 3, 4)), 0, keepdim=True),
            s(T(())), s(T(()), 0), s(T(()), -1, True), s(T((0, 3)), 1), s(T((0, 3)), 0), s(T((0, 3))),
            s(T((4, 5), layout="transposed"), 0), s(T((3, 1), layout="expanded", expand_to=(3, 4)), 1),
            s(T((3, 4)), 2), s(T((3, 4)), (0, 1)), s(T((3, 4), "int64"), 1), s(T((3, 4), "int64")),
            s(T((3, 4), "bool"), 0), s(T((3, 4), "uint8")), s(T((3, 4)), T((3, 4))), s(T((3, 1)), T((4,))),
            s(T((3, 4)), T((3, 4), "int64")), s(T((3, 4)), other=T((3, 4)))]


def sort():
    return [s(T((3, 4))), s(T((3, 4)), 0), s(T((2, 3, 4)), -2, True), s(T((5,)), descending=True), s(T(())),
            s(T(()), 0), s(T((0, 3)), 0), s(T((0, 3))), s(T((4, 5), layout="transposed"), 1),
            s(T((3, 1), layout="expanded", expand_to=(3, 4)), 0), s(T((3, 4)), 2),
            s(T((12,), "int64"), stable=True), s(T((12,), "int64"), descending=True, stable=True),
            s(T((3, 6), "int32"), 1, True), s(T((8,), "bool"), stable=True), s(T((8,), "uint8"), 0, True)]


def topk():
    return [s(T((3, 5)), 2), s(T((3, 5)), 3, 0), s(T((2, 3, 4)), 4, -1, False), s(T((5,)), 5, sorted=True),
            s(T((5,)), 0), s(T(()), 1), s(T((0, 3)), 0, 0), s(T((0, 3)), 2), s(T((5,)), 6), s(T((5,)), -1),
            s(T((4, 5), layout="transposed"), 2, 1),
            s(T((3, 6), low=0, high=100, dtype="int64"), 2, largest=False),
            s(T((3, 4)), 1, 2)]


def median():
    # no expanded input with a dim: torch 2.13 reads stride-0 inputs wrongly there (test_reductions.py
    # checks that case against a contiguous copy)
    return [s(T((3, 5))), s(T((3, 4))), s(T((3, 5)), 1), s(T((3, 4)), 1), s(T((2, 3, 4)), -1, True),
            s(T(())), s(T(()), 0, True), s(T((0, 3)), 1), s(T((0, 3)), 0),
            s(T((4, 5), layout="transposed"), 0),
            s(T((3, 1), layout="expanded", expand_to=(3, 4))),
            s(T((3, 4)), 2), s(T((4, 6), "int64"), 1), s(T((4, 7), "int64")), s(T((3, 4), "bool"))]


# -- pyfront/ops/composite/indexing.py -------------------------------------------------------------------
def index_select():
    return [
        s(T((3, 4)), 1, T((5,), "int64", low=0, high=4)),
        s(T((3, 4)), -2, T((2,), "int64", low=0, high=3)),
        s(T((4, 3), layout="transposed"), 0, T((), "int64", low=0, high=3)),
        s(T((2, 3, 4), "int64"), 2, T((0,), "int64")),
        s(T(()), 0, T((1,), "int64", low=0, high=1)),
        s(T((3, 4)), 1, T((2,), "int32", low=0, high=4)),
        s(T((3, 4)), 1, T((2,), "int64", low=4, high=6)),
        s(T((3, 4)), 1, T((2,), "int64", low=-2, high=0)),
        s(T((3, 4)), 1, T((2,), "float32")),
        s(T((3, 4)), 1, T((1, 2), "int64", low=0, high=4)),
    ]


def index_add():
    return [
        s(T((3, 4)), 1, T((5,), "int64", low=0, high=4), T((3, 5))),
        s(T((3, 4)), 0, T((2,), "int64", low=0, high=3), T((2, 4)), alpha=2.5),
        s(T((4, 3), layout="transposed"), -1, T((4,), "int64", low=0, high=4), T((3, 4))),
        s(T((3, 4), "int64"), 1, T((2,), "int64", low=0, high=4), T((3, 2), "int64")),
        s(T((3, 4)), 1, T((2,), "int64", low=4, high=6), T((3, 2))),
        s(T((3, 4)), 1, T((2,), "float32"), T((3, 2))),
        s(T((3, 4)), 1, T((2,), "int64", low=0, high=4), T((3, 3))),
        s(T((3, 4)), 1, T((2,), "int64", low=0, high=4), T((3, 2), "float64")),
    ]


def index_copy():
    return [
        s(T((3, 4)), 1, T((2,), "int64", low=0, high=2), T((3, 2))),
        s(T((4, 3), layout="transposed"), 0, T((1,), "int64", low=0, high=3), T((1, 4))),
        s(T((3, 4)), 1, T((2,), "int64", low=4, high=6), T((3, 2))),
        s(T((3, 4)), 1, T((2,), "int32", low=0, high=2), T((3, 2))),
        s(T((3, 4)), 1, T((2,), "int64", low=0, high=2), T((3, 3))),
        s(T((3, 4)), 1, T((2,), "int64", low=0, high=2), T((3, 2), "int64")),
    ]


def index_fill():
    return [
        s(T((3, 4)), 1, T((2,), "int64", low=-4, high=4), 2.5),
        s(T((4, 3), layout="transposed"), 0, T((), "int64", low=0, high=3), -1),
        s(T((3, 4)), 1, T((2,), "int64", low=0, high=4), T(())),
        s(T((3, 4), "int64"), 0, T((2,), "int64", low=0, high=3), 7),
        s(T((3, 4)), 1, T((2,), "int64", low=4, high=6), 1.0),
        s(T((3, 4)), 1, T((2,), "int32", low=0, high=4), 1.0),
        s(T((3, 4)), 1, T((2,), "int64", low=0, high=4), T((1,))),
    ]


def masked_fill():
    return [
        s(T((3, 4)), T((3, 4), "bool"), 2.5),
        s(T((3, 4)), T((4,), "bool"), -1.0),
        s(T((4,)), T((3, 4), "bool"), 0.5),
        s(T((4, 3), layout="transposed"), T((3, 4), "bool"), T(())),
        s(T((3, 4), "int64"), T((3, 4), "bool"), 2.5),
        s(T(()), T((), "bool"), 3.0),
        s(T((3, 4)), T((3, 4), "int64"), 1.0),
        s(T((3, 4)), T((3, 4), "bool"), T((1,))),
        s(T((0, 4)), T((4,), "bool"), 1.0),
        s(T((3, 4)), T((3, 4), "bool"), T((), "int64")),
    ]


def masked_select():
    return [
        s(T((3, 4)), T((3, 4), "bool")),
        s(T((3, 4)), T((4,), "bool")),
        s(T((4,)), T((3, 4), "bool")),
        s(T((4, 3), layout="transposed"), T((3, 4), "bool")),
        s(T(()), T((), "bool")),
        s(T((0, 4)), T((4,), "bool")),
        s(T((3, 4), "int64"), T((3, 4), "bool")),
        s(T((3, 4)), T((3, 4), "int64")),
    ]


def masked_scatter():
    return [
        s(T((3, 4)), T((3, 4), "bool"), T((12,))),
        s(T((3, 4)), T((4,), "bool"), T((4, 5))),
        s(T((4, 3), layout="transposed"), T((3, 4), "bool"), T((20,))),
        s(T(()), T((), "bool"), T((3,))),
        s(T((3, 4), "int64"), T((3, 4), "bool"), T((12,), "int64")),
        s(T((3, 4)), T((3, 4), "bool"), T((2,))),
        s(T((3, 4)), T((3, 4), "bool"), T((12,), "int64")),
        s(T((3, 4)), T((3, 4), "float32"), T((12,))),
    ]


def take():
    return [
        s(T((3, 4)), T((2, 3), "int64", low=-12, high=12)),
        s(T(()), T((), "int64", low=0, high=1)),
        s(T((4, 3), layout="transposed"), T((5,), "int64", low=0, high=12)),
        s(T((3, 4)), T((0,), "int64")),
        s(T((3, 4)), T((2,), "int64", low=12, high=14)),
        s(T((3, 4)), T((2,), "int32", low=0, high=12)),
        s(T((3, 4), "int64"), T((2,), "int64", low=0, high=9)),
    ]


def take_along_dim():
    return [
        s(T((3, 4)), T((3, 2), "int64", low=0, high=4), 1),
        s(T((3, 4)), T((1, 2), "int64", low=0, high=4), -1),
        s(T((3, 1)), T((2, 5), "int64", low=0, high=3), 0),
        s(T((4, 3), layout="transposed"), T((2, 3), "int64", low=0, high=12)),
        s(T((3, 4)), T((2, 2), "int64", low=0, high=3), 0),
        s(T((3, 4)), T((3, 2), "int32", low=0, high=4), 1),
        s(T((3, 4)), T((2,), "int64", low=0, high=4), 1),
    ]


def index_operand(low=0, high=3, shape=(3, 2)):
    return T(shape, "int64", low=low, high=high)


def scatter():
    return [
        s(T((3, 4)), 1, index_operand(0, 4), T((3, 2))),
        s(T((3, 4)), 0, index_operand(), T((3, 2))),
        s(T((3, 4)), 0, index_operand(), T((4, 5), grad=False)),
        s(T((3, 4)), 1, index_operand(0, 4), 2.5),
        s(T((3, 4)), 1, index_operand(0, 4), value=-1.0),
        s(T((4, 3), layout="transposed"), -1, index_operand(0, 4), T((3, 3))),
        s(T((3, 4)), 1, index_operand(0, 4), T((3, 2), grad=False), reduce="add"),
        s(T((3, 4)), 1, index_operand(0, 4), T((3, 2), grad=False), reduce="multiply"),
        s(T((3, 4)), 1, index_operand(0, 4), T((3, 2)), reduce="mean"),
        s(T((3, 4), "int64"), 1, index_operand(0, 4), 2.5),
        s(T((3, 4)), 1, index_operand(4, 6), T((3, 2))),
        s(T((3, 4)), 1, index_operand(0, 4), T((3, 2), "float64")),
        s(T((3, 4)), 1, index_operand(0, 4), T((3, 1))),
    ]


def scatter_add():
    return [
        s(T((3, 4)), 1, index_operand(0, 4), T((3, 2))),
        s(T((3, 4)), 0, index_operand(), T((3, 2))),
        s(T((3, 4)), 0, index_operand(), T((4, 5), grad=False)),
        s(T((4, 3), layout="transposed"), -1, index_operand(0, 4), T((3, 2))),
        s(T((3, 4), "int64"), 1, index_operand(0, 4), T((3, 2), "int64")),
        s(T(()), 0, T((), "int64", low=0, high=1), T(())),
        s(T((3, 4)), 1, index_operand(4, 6), T((3, 2))),
        s(T((3, 4)), 1, T((3, 2)), T((3, 2))),
        s(T((3, 4)), 1, index_operand(0, 4), T((2, 2))),
    ]


# -- pyfront/ops/composite/linalg.py ---------------------------------------------------------------------
def dot():
    return [
        s(T((3,)), T((3,))), s(T((0,)), T((0,))), s(T((3,), "int64"), T((3,), "int64")), s(T((3,)), T((4,))),
        s(T((3, 1)), T((3,))), s(T(()), T(())), s(T((3,)), T((3,), "float64")),
        s(T((3,), "bool"), T((3,), "bool")),
        s(T((1,), layout="expanded", expand_to=(4,)), T((4,)))]


def vdot():
    return [s(T((3,)), T((3,))), s(T((3,)), T((4,))), s(T((2, 3)), T((3,)))]


def mv():
    return [
        s(T((2, 3)), T((3,))), s(T((3, 2), layout="transposed"), T((3,))), s(T((0, 3)), T((3,))),
        s(T((2, 0)), T((0,))),
        s(T((2, 3), "int64"), T((3,), "int64")), s(T((2, 3)), T((4,))), s(T((3,)), T((3,))),
        s(T((2, 3)), T((3, 1))),
        s(T((2, 3)), T((3,), "float64")), s(T((2, 3), "bool"), T((3,), "bool"))]


def outer():
    return [
        s(T((3,)), T((4,))), s(T((3,), "int64"), T((4,))), s(T((0,)), T((4,))), s(T((3, 1)), T((4,))),
        s(T(()), T((4,))), s(T((3,)), T((4, 1))), s(T((3,), "bool"), T((2,), "bool")),
        s(T((3,)), T((2,), "float64"))]


def ger():
    return [s(T((3,)), T((4,)))]


def inner():
    return [
        s(T((3,)), T((3,))), s(T((2, 3)), T((4, 3))), s(T((2, 2, 3)), T((3,))), s(T(()), T((4, 3))),
        s(T((2, 3)), T(())), s(T((3,)), T((4,))), s(T((2, 3)), T((4, 4))), s(T((2, 3)), T((4, 3), "float64")),
        s(T((2, 3), "int64"), T((3,), "int64"))]


def matmul():
    return [
        s(T((3,)), T((3,))), s(T((2, 3)), T((3,))), s(T((3,)), T((3, 4))), s(T((2, 3)), T((3, 4))),
        s(T((2, 2, 3)), T((3, 4))), s(T((2, 2, 3)), T((3,))), s(T((3,)), T((2, 3, 4))),
        s(T((5, 3)), T((2, 3, 4))),
        s(T((2, 1, 2, 3)), T((4, 3, 2))), s(T((4, 3, 2), layout="transposed"), T((3, 2))),
        s(T((3, 1), layout="expanded", expand_to=(3, 4)), T((2, 4, 5))), s(T((0, 2, 3)), T((3, 4))),
        s(T((2, 3, 0)), T((0, 4))), s(T((2, 3), "int64"), T((2, 3, 4), "int64")),
        s(T((2, 3, 4), "int64"), T((4,), "int64")), s(T((3, 4), "int32"), T((4, 2), "int32")),
        s(T((2, 3)), T((4, 5))), s(T((3,)), T((4,))), s(T((3,)), T((4, 5))), s(T((2, 3)), T((4,))),
        s(T((2, 2, 3)), T((2, 4, 5))), s(T((2, 2, 3)), T((3, 3, 5))), s(T(()), T((3,))), s(T((3,)), T(())),
        s(T((2, 3)), T((3, 4), "float64")), s(T((3,)), T((3,), "float64")), s(T((2, 3)), T((3,), "float64")),
        s(T((2, 2, 3)), T((2, 3, 4), "float64")), s(T((2, 2, 3)), T((4, 5))), s(T((4, 5)), T((2, 2, 3))),
        s(T((2, 3), "bool"), T((3, 4), "bool")), s(T((3, 4), "int64"), T((4, 2)))]


def addmm():
    return [
        s(T((2, 4)), T((2, 3)), T((3, 4))), s(T((4,)), T((2, 3)), T((3, 4)), beta=0.5, alpha=2.0),
        s(T(()), T((3, 2), layout="transposed"), T((3, 4)), beta=0),
        s(T((2, 1)), T((2, 0)), T((0, 4)), alpha=-1),
        s(T((2, 4), "int64"), T((2, 3), "int64"), T((3, 4), "int64"), alpha=2, beta=3),
        s(T((3,)), T((2, 3)), T((3, 4))), s(T((2, 4)), T((3,)), T((3, 4))),
        s(T((2, 4)), T((2, 3)), T((5, 4))),
        s(T((2, 4), "float64"), T((2, 3)), T((3, 4))), s(T((2, 4)), T((2, 3), "float64"), T((3, 4))),
        s(T((2, 1, 4)), T((2, 3)), T((3, 4)))]


def addmv():
    return [
        s(T((2,)), T((2, 3)), T((3,))),
        s(T(()), T((3, 2), layout="transposed"), T((3,)), beta=0.5, alpha=2.0),
        s(T((1,)), T((2, 3)), T((3,)), beta=0),
        s(T((2,), "int64"), T((2, 3), "int64"), T((3,), "int64"), alpha=2),
        s(T((3,)), T((2, 3)), T((3,))), s(T((2,)), T((2, 3)), T((4,))), s(T((2,)), T((3,)), T((3,))),
        s(T((2,), "float64"), T((2, 3)), T((3,))), s(T((2, 1)), T((2, 3)), T((3,)))]


def baddbmm():
    return [
        s(T((2, 3, 5)), T((2, 3, 4)), T((2, 4, 5))),
        s(T((3, 5)), T((2, 3, 4)), T((2, 4, 5)), beta=0.5, alpha=2.0),
        s(T(()), T((4, 3, 2), layout="transposed"), T((2, 4, 5)), beta=0),
        s(T((2, 3, 5), "int64"), T((2, 3, 4), "int64"), T((2, 4, 5), "int64"), alpha=2),
        s(T((3, 3, 5)), T((2, 3, 4)), T((2, 4, 5))), s(T((2, 3, 5)), T((2, 3, 4)), T((2, 3, 5))),
        s(T((2, 3, 5)), T((3, 4)), T((2, 4, 5))), s(T((2, 3, 5), "float64"), T((2, 3, 4)), T((2, 4, 5))),
        s(T((2, 3, 5)), T((2, 3, 4)), T((2, 4, 5), "float64"))]


def addbmm():
    return [
        s(T((3, 5)), T((2, 3, 4)), T((2, 4, 5))), s(T((5,)), T((2, 3, 4)), T((2, 4, 5)), beta=0.5, alpha=2.0),
        s(T(()), T((4, 3, 2), layout="transposed"), T((2, 4, 5)), beta=0),
        s(T((3, 5)), T((0, 3, 4)), T((0, 4, 5))),
        s(T((3, 5), "int64"), T((2, 3, 4), "int64"), T((2, 4, 5), "int64"), alpha=3),
        s(T((2, 3, 5)), T((2, 3, 4)), T((2, 4, 5))), s(T((3, 5)), T((2, 3, 4)), T((3, 4, 5))),
        s(T((3, 5)), T((2, 3, 4)), T((2, 5, 5))), s(T((3, 5)), T((3, 4)), T((2, 4, 5))),
        s(T((3, 5), "float64"), T((2, 3, 4)), T((2, 4, 5))),
        s(T((3, 5)), T((2, 3, 4), "float64"), T((2, 4, 5)))]


def tensordot():
    return [
        s(T((2, 3, 4)), T((3, 4, 5))), s(T((2, 3, 4)), T((3, 4, 5)), dims=2),
        s(T((2, 3, 4)), T((4, 3, 5)), ([1, 2], [1, 0])),
        s(T((2, 3)), T((4, 5)), 0), s(T((2, 3)), T((3, 5)), dims=([-1], [0])),
        s(T((2, 1)), T((3, 5)), ([1], [0])),
        s(T((2, 3), "int64"), T((3, 5), "int64"), 1),
        s(T((4, 3, 2), layout="transposed"), T((3, 4)), ([0, 1], [0, 1])),
        s(T((2, 3, 4)), T((3, 4, 5)), 1), s(T((2, 3)), T((4, 5)), -1), s(T((2, 3)), T((3, 5)), ([1], [1])),
        s(T((2, 3)), T((3, 5)), ([1], [0, 1])), s(T((2, 3)), T((3, 5), "float64"), 1),
        s(T((2, 3)), T((3, 5)), 3),
        s(T((2, 3)), T((3, 5)), ([3], [0])), s(T((2, 3)), T((3, 5)), (1, 0)),
        s(T((2, 3)), T((3, 3)), ([1, 1], [0, 1]))]


def einsum():
    return [
        s("ij,jk->ik", T((2, 3)), T((3, 4))), s("ij,jk", T((2, 3)), T((3, 4))), s("ji", T((2, 3))),
        s("ii->i", T((3, 3))),
        s("ii", T((3, 3))), s("iij->ji", T((3, 3, 2))), s("bij,bjk->bik", T((2, 3, 4)), T((2, 4, 5))),
        s("...ij,...jk", T((2, 2, 3)), T((3, 4))), s("i,j->ij", T((2,)), T((3,))), s("ij->j", T((2, 3))),
        s("i...->", T((2, 3, 4))), s("...ii->...i", T((4, 3, 3))), s("i...i->...", T((3, 2, 3))),
        s("ij,ij->ij", T((1, 3)), T((2, 3))), s("i,i,i->", T((2,)), T((2,)), T((2,))),
        s("a,A", T((2,)), T((3,))),
        s("i j , j k -> i k", T((2, 3)), T((3, 4))), s("...i,...i", T((2, 1, 3)), T((4, 3))),
        s("ij...,jk...->ik...", T((2, 3, 5)), T((3, 4, 1))),
        s("ijk,ikl,jl->kj", T((2, 3, 4)), T((2, 4, 5)), T((3, 5))),
        s("ij,jk->ik", T((3, 2), layout="transposed"), T((3, 4), "int64", grad=False)),
        s("ij,jk->ik", T((2, 3), "int64"), T((3, 4), "int64")), s("ij->", T((2, 3), "int32")),
        s("ij,j->", T((2, 3), "int32"), T((3,), "int32")), s("ij,j->i", T((2, 3), "int32"), T((1,), "int32")),
        s("ij,jk", T((2, 3), "bool"), T((3, 4), "bool")), s("i->", T((0,))), s("->", T(())),
        s("ij,jk", T((2, 3)), T((4, 4))), s("ij,jk->ik", T((2, 3))), s("ii->i", T((2, 3))),
        s("ij->k", T((2, 3))),
        s("ij->ii", T((2, 3))), s("ijk", T((2, 3))), s("ij,jk->ik", T((2, 3)), T((3, 4), "float64")),
        s("i1->i", T((2, 3))), s("..i->i", T((2, 3))), s("ij->ji->", T((2, 3))),
        s("...i,...i", T((5, 2, 3)), T((4, 3))),
        s("...i->......", T((3,))), s("ij->i.", T((3, 3))), s("i", T((3,)), T((3,))), s("i...j->", T((2,)))]
