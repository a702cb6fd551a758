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
    # "special": floats with nan, inf, -inf, 0 and -0 at fixed positions, shifted by ``shift``;
    # "zeros": floats from (0, -0, -0.3, 0.4), operand ``shift`` cycling 4**shift times slower, so two
    # operands meet in every pair of signed zeros (min/max ties, mul, remainder, copysign)
    fill: str = "random"
    shift: int = 0
    sort: bool = False           # sorted along the last dim (searchsorted's boundaries)


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
    must wrap), as floats holding nan/inf/-inf/0/-0, as floats holding signed zeros and small
    values (the sign of a zero result must be torch's), as bool, and as floats of magnitudes up to
    float32's largest (overflow inside a formula), mostly of one sign and then the other. Index
    operands (integers with a range) stay as they are; torch decides whether the op accepts the dtype."""
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

    def zeros(a, k):
        return replace(a, fill="zeros", shift=k) if a.dtype in ("float32", "float64") else a

    def huge(sign):
        def fn(a, k):
            return replace(a, fill=sign + "huge", shift=k) if a.dtype in ("float32", "float64") else a
        return fn

    return [derive(narrow(d)) for d in NARROW_INTS] + [derive(special), derive(zeros), derive(narrow("bool")),
                                                        derive(huge("")), derive(huge("-"))]


# -- pyfront/ops/primitives/elementwise.py ---------------------------------------------------------------
def rounding_mode(mode):
    """div(..., rounding_mode=mode): the binary rows with the mode (the op table calls torch.div)."""
    return lambda: [(args, {**kwargs, "rounding_mode": mode}) for args, kwargs in elementwise(2)]


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
    # special floats folded one at a time (dims of size 1): a fold of a whole special row holds a 0
    # and an ordinary value, so it cannot tell whether nan, inf or -0 count as true
    special = [s(T((8, 1), fill="special"), 1), s(T((1, 8), layout="transposed", fill="special"), 0)]
    return reduction_dims(("int64", "bool", "uint8")) + [s(T((3, 4), "bool", low=1), 1)] + special


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
            s(T((3, 6), "int32"), 1, True), s(T((8,), "bool"), stable=True), s(T((8,), "uint8"), 0, True),
            s(T((3, 40), fill="zeros"), 1), s(T((2, 30), fill="zeros"), 1, True)]


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
        s(T((8,), fill="special")),  # nan is non-zero (the edge rows derive from the int64 sample)
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
        s(T((4, 5), "int64", layout="transposed"), -1), s(T((2, 3)), (1, -1)), s(T((2, 3)), 2),
        s(T((8, 1), fill="special"), 1)]  # one special value per count: nan and inf count, -0 not


def max_min():
    return [s(T((3, 4))), s(T((3, 4)), 1), s(T((2, 3, 4)), -1, True), s(T((2, 3, 4)), 0, keepdim=True),
            s(T(())), s(T(()), 0), s(T(()), -1, True), s(T((0, 3)), 1), s(T((0, 3)), 0), s(T((0, 3))),
            s(T((4, 5), layout="transposed"), 0), s(T((3, 1), layout="expanded", expand_to=(3, 4)), 1),
            s(T((3, 4)), 2), s(T((3, 4)), (0, 1)), s(T((3, 4), "int64"), 1), s(T((3, 4), "int64")),
            s(T((3, 4), "bool"), 0), s(T((3, 4), "uint8")), s(T((3, 4)), T((3, 4))), s(T((3, 1)), T((4,))),
            s(T((3, 4)), T((3, 4), "int64")), s(T((3, 4)), other=T((3, 4)))]


# rows with ties (signed zeros too): torch's CPU kernels put equal elements in their algorithms' order
# (std::sort, std::partial_sort for k * 64 <= n, std::nth_element, quickselect), which pyfront follows
_TIES = dict(fill="zeros")
_FEW = dict(dtype="int64", low=0, high=3)


def sort():
    return [s(T((3, 4))), s(T((3, 4)), 0), s(T((2, 3, 4)), -2, True), s(T((5,)), descending=True), s(T(())),
            s(T(()), 0), s(T((0, 3)), 0), s(T((0, 3))), s(T((4, 5), layout="transposed"), 1),
            s(T((3, 1), layout="expanded", expand_to=(3, 4)), 0), s(T((3, 4)), 2),
            s(T((12,), "int64"), stable=True), s(T((12,), "int64"), descending=True, stable=True),
            s(T((3, 6), "int32"), 1, True), s(T((8,), "bool"), stable=True), s(T((8,), "uint8"), 0, True),
            s(T((3, 40), **_TIES), 1), s(T((2, 30), **_TIES), 1, True), s(T((3, 40), **_FEW)),
            s(T((40,), **_TIES), stable=True)]


def topk():
    return [s(T((3, 5)), 2), s(T((3, 5)), 3, 0), s(T((2, 3, 4)), 4, -1, False), s(T((5,)), 5, sorted=True),
            s(T((5,)), 0), s(T(()), 1), s(T((0, 3)), 0, 0), s(T((0, 3)), 2), s(T((5,)), 6), s(T((5,)), -1),
            s(T((4, 5), layout="transposed"), 2, 1),
            s(T((3, 6), low=0, high=100, dtype="int64"), 2, largest=False),
            s(T((3, 4)), 1, 2),
            s(T((3, 40), **_TIES), 3), s(T((2, 200), **_TIES), 3, largest=False), s(T((2, 200), **_TIES), 2),
            s(T((3, 40), **_TIES), 5, sorted=False), s(T((3, 40), **_FEW), 4), s(T((40, 3), **_TIES), 6, 0)]


def median():
    # no expanded input with a dim: torch 2.13 reads stride-0 inputs wrongly there (test_reductions.py
    # checks that case against a contiguous copy)
    return [s(T((3, 5))), s(T((3, 4))), s(T((3, 5)), 1), s(T((3, 4)), 1), s(T((2, 3, 4)), -1, True),
            s(T(())), s(T(()), 0, True), s(T((0, 3)), 1), s(T((0, 3)), 0),
            s(T((4, 5), layout="transposed"), 0),
            s(T((3, 1), layout="expanded", expand_to=(3, 4))),
            s(T((3, 4)), 2), s(T((4, 6), "int64"), 1), s(T((4, 7), "int64")), s(T((3, 4), "bool"))]


def kthvalue():
    # NaN counts as the largest value (torch.sort's order); k past the dim, a 0-d input, an empty dim
    return [s(T((3, 5)), 2), s(T((3, 5)), 1, 0), s(T((2, 3, 4)), 4, -1, True), s(T((5,)), 5),
            s(T(()), 1), s(T(()), 2), s(T((0, 3)), 1, 0), s(T((3, 0)), 1, 0),
            s(T((5,)), 6), s(T((5,)), 0), s(T((4, 5), layout="transposed"), 2, 0),
            s(T((3, 6), "int64", low=-10**6, high=10**6), 3, 1), s(T((3,), "bool"), 1), s(T((3, 4)), 1, 2),
            s(T((1, 4), layout="expanded", expand_to=(3, 4)), 2, 1),
            s(T((3, 40), **_TIES), 7), s(T((3, 40), **_FEW), 20), s(T((2, 17), **_TIES), 9)]


def float_power():
    return [s(T((3, 4)), 2), s(T((3, 4), low=0.1, high=3), T((3, 4))), s(T((4,), "int64", low=0, high=5), 3),
            s(T((2, 3), low=0.5, high=2), T((3,), "int64", low=0, high=4)), s(T((2, 3), low=0.1), 0.5),
            s(2.0, T((3,))), s(T(()), T((2, 2))), s(T((3,), "float64", low=0.1), T((3,), low=-1, high=1)),
            s(T((3,), fill="special"), 2.0)]


def mode():
    # low-cardinality integers and floats: repeated values, ties in count (the smallest value wins)
    few = dict(low=0, high=4)
    return [s(T((3, 8), "int64", **few)), s(T((4, 6), "int64", **few), 0),
            s(T((2, 3, 9), "int64", **few), 1, True), s(T((3, 5))), s(T(())), s(T((5,), "int32", **few)),
            s(T((0, 3)), 0), s(T((3, 0)), 0),
            s(T((4, 5), layout="transposed"), 0), s(T((3, 4)), 2), s(T((4, 6), "bool")),
            s(T((3, 40), **_FEW)), s(T((2, 30), **_TIES))]


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


# -- pyfront/nn/functional/activation.py -----------------------------------------------------------------
def float_unary():
    return [smp for smp in elementwise(1) if smp[0][0].dtype == "float32"] + [s(T((3, 4), "float64"))]


def hardtanh():
    return float_unary() + [s(T((3, 4)), -0.5, 0.5), s(T((2, 5)), min_val=0.0, max_val=1.5)]


def relu6():
    return float_unary() + [s(T((3, 4), low=-2, high=9))]


def leaky_relu():
    return float_unary() + [s(T((3, 4)), 0.2)]


def elu():
    return float_unary() + [s(T((3, 4)), 0.5), s(T((3, 4), low=-5, high=100))]


def celu():
    return float_unary() + [s(T((3, 4)), 2.0)]


def gelu():
    return float_unary() + [s(T((3, 4)), approximate="tanh"), s(T((2, 3)), approximate="bad")]


def softplus():
    return float_unary() + [s(T((3, 4), low=-30, high=30), 2.0, 10.0), s(T((3, 4)), beta=0.5)]


def mish():
    return float_unary() + [s(T((3, 4), low=-30, high=30))]


def hardswish():
    return float_unary() + [s(T((3, 4), low=-5, high=5))]


def hardsigmoid():
    return float_unary() + [s(T((3, 4), low=-5, high=5))]


def logsigmoid():
    return float_unary() + [s(T((3, 4), low=-50, high=50))]


def softshrink():
    return float_unary() + [s(T((3, 4)), 1.0)]


def hardshrink():
    return float_unary() + [s(T((3, 4)), 1.0)]


def threshold():
    return [
        s(T((3, 4)), 0.5, -2.0),
        s(T((2, 3)), 0.0, 0.0),
        s(T((4, 5), layout="transposed"), -1.0, 3.0),
    ]


def glu():
    return [s(T((3, 4))), s(T((4, 6)), 0), s(T((2, 3, 4)), -1), s(T((3, 5)))]


def nn_softmax():
    return [
        s(T((3, 4)), 1),
        s(T((2, 3, 4)), -1),
        s(T((3, 4)), dim=0),
        s(T((0, 3)), 1),
        s(T((4, 5), layout="transposed"), 1),
    ]


def prelu():
    return [
        s(T((3, 4)), T((1,))),
        s(T((3, 4)), T((4,))),
        s(T((2, 3, 5)), T((3,))),
        s(T((5,)), T((1,))),
        s(T((2, 3, 4, 4)), T((3,))),
        s(T((3, 4)), T((3,))),
    ]


# -- pyfront/nn/functional/attention.py ------------------------------------------------------------------
def scaled_dot_product_attention():
    q, k, v = T((2, 3, 4, 8)), T((2, 3, 5, 8)), T((2, 3, 5, 6))
    mask = T((4, 5), "bool", grad=False)
    return [
        s(q, k, v),
        s(q, k, v, is_causal=True),
        s(T((2, 6, 8)), T((2, 6, 8)), T((2, 6, 8)), is_causal=True),
        s(q, k, v, mask),
        s(q, k, v, attn_mask=T((2, 1, 4, 5), grad=True)),
        s(q, k, v, scale=0.3),
        s(T((4, 8)), T((5, 8)), T((5, 6))),
        s(q, T((2, 1, 5, 8)), T((2, 1, 5, 6))),
        s(q, T((2, 1, 5, 8)), T((2, 1, 5, 6)), enable_gqa=True),
        s(T((1, 4, 3, 8)), T((1, 2, 5, 8)), T((1, 2, 5, 6)), enable_gqa=True),
        s(q, k, v, T((4, 5), "bool", low=0, high=1, grad=False)),
        s(q, k, v, dropout_p=1.0),
        s(T((0, 3, 4, 8)), T((0, 3, 5, 8)), T((0, 3, 5, 6))),
        s(T((2, 3, 0, 8)), k, v),
        s(q, T((2, 3, 0, 8)), T((2, 3, 0, 6))),
        s(T((8, 4, 3, 2), layout="transposed"), k, v),
        s(q, k, v, T((4, 5), grad=False), is_causal=True),
        s(T((8,)), T((8,)), T((8,))),
        s(q, T((2, 3, 5, 7)), v),
        s(q, k, T((2, 3, 4, 6))),
        s(T((2, 3, 4, 8), "float64"), k, v),
        s(q, k, v, T((4, 5), "int64")),
        s(q, k, v, T((4, 5), "float64")),
        s(q, k, v, T((3, 5))),
        s(q, T((2, 2, 5, 8)), T((2, 2, 5, 6)), enable_gqa=True),
        s(T((2, 3, 4, 8), "int64"), T((2, 3, 5, 8), "int64"), T((2, 3, 5, 6), "int64")),
    ]


def multi_head_attention_forward():
    e, h = 8, 2

    def W(*shape):  # small weights keep float32 rounding within the default tolerances
        return T(shape, low=-0.5, high=0.5)

    def weights(kdim=e, vdim=e, bias=True, bias_kv=False, zero_attn=False, separate=False):
        packed = W(3 * e, e) if not separate else None
        return dict(
            embed_dim_to_check=e,
            num_heads=h,
            in_proj_weight=packed,
            in_proj_bias=T((3 * e,)) if bias else None,
            bias_k=T((1, 1, e)) if bias_kv else None,
            bias_v=T((1, 1, e)) if bias_kv else None,
            add_zero_attn=zero_attn,
            dropout_p=0.0,
            out_proj_weight=W(e, e),
            out_proj_bias=T((e,)) if bias else None,
            use_separate_proj_weight=separate,
            q_proj_weight=W(e, e) if separate else None,
            k_proj_weight=W(e, kdim) if separate else None,
            v_proj_weight=W(e, vdim) if separate else None,
        )

    q, k = T((4, 3, e)), T((5, 3, e))
    pad_mask = T((3, 5), "bool", grad=False)
    return [
        s(q, k, k, **weights()),
        s(q, q, q, **weights(), need_weights=False),
        s(q, k, k, **weights(), average_attn_weights=False),
        s(T((4, e)), T((5, e)), T((5, e)), **weights()),
        s(q, k, k, **weights(bias=False, bias_kv=True, zero_attn=True), attn_mask=T((4, 5), grad=False)),
        s(q, k, k, **weights(bias_kv=True), key_padding_mask=pad_mask, need_weights=False),
        s(
            q,
            T((5, 3, 6)),
            T((5, 3, 7)),
            **weights(6, 7, separate=True),
            attn_mask=T((6, 4, 5), "bool", grad=False),
        ),
        s(
            q,
            k,
            k,
            **weights(zero_attn=True),
            key_padding_mask=T((3, 5), grad=False),
            attn_mask=T((4, 5), grad=False),
        ),
        s(q, q, q, **weights(), attn_mask=T((4, 4), "bool", grad=False), is_causal=True, need_weights=False),
        s(q, k, k, **weights(), attn_mask=T((5, 4))),
        s(q, k, k, **weights(), attn_mask=T((2, 4, 5))),
        s(q, T((5, e)), T((5, e)), **weights()),
        s(q, k, k, **weights(), key_padding_mask=T((3, 5, 1))),
        s(T((2, 4, 3, e)), k, k, **weights()),
        s(q, k, k, **weights(), is_causal=True),
        s(q, k, k, **weights(), key_padding_mask=T((3, 5), "int64")),
    ]


# -- pyfront/nn/functional/conv.py -----------------------------------------------------------------------
def weight(*shape, **kw):
    return T(shape, **kw)


def conv1d():
    return [
        s(T((2, 3, 7)), weight(4, 3, 3)),
        s(T((2, 3, 7)), weight(4, 3, 3), weight(4), stride=2, padding=1),
        s(T((3, 9)), weight(6, 1, 2), None, 1, "same", 2, 3),
        s(T((2, 4, 6)), weight(4, 2, 3), weight(4), padding="valid", groups=2),
        s(T((0, 3, 7)), weight(4, 3, 3)),
        s(T((7, 3, 2), layout="transposed"), weight(4, 3, 2), dilation=2),
        s(T((2, 3, 7)), weight(4, 2, 3)),
        s(T((2, 3, 3, 7)), weight(4, 3, 3)),
        s(T((2, 3, 7)), weight(4, 3, 9)),
    ]


def conv2d():
    return [
        s(T((2, 3, 6, 5)), weight(4, 3, 3, 3)),
        s(T((2, 3, 6, 5)), weight(4, 3, 3, 2), weight(4), stride=(2, 1), padding=1),
        s(T((2, 4, 7, 7)), weight(6, 2, 3, 3), weight(6), 1, 2, 2, 2),
        s(T((2, 4, 7, 7)), weight(4, 1, 3, 3), None, 2, 1, 1, 4),
        s(T((3, 6, 5)), weight(2, 3, 2, 2), weight(2), padding="same"),
        s(T((1, 2, 7, 6)), weight(3, 2, 4, 3), padding="same", dilation=(1, 2)),
        s(T((1, 2, 5, 5)), weight(3, 2, 3, 3), padding="valid"),
        s(T((0, 3, 5, 5)), weight(4, 3, 3, 3)),
        s(T((5, 5, 3, 2), layout="transposed"), weight(4, 3, 2, 2), weight(4)),
        s(T((2, 3, 5, 5), "int64"), weight(4, 3, 2, 2, dtype="int64")),
        s(T((2, 3, 5, 5)), weight(4, 2, 3, 3)),
        s(T((2, 3, 5, 5)), weight(4, 3, 7, 7)),
        s(T((5, 5)), weight(4, 3, 3, 3)),
        s(T((2, 3, 5, 5)), weight(4, 3, 3, 3), weight(5)),
        s(T((2, 3, 5, 5)), weight(4, 3, 3, 3), stride=2, padding="same"),
        s(T((2, 3, 5, 5)), weight(4, 3, 3, 3), stride=0),
        s(T((2, 3, 5, 5)), weight(4, 3, 3, 3), padding=-1),
        s(T((2, 3, 5, 5)), weight(4, 1, 3, 3), groups=2),
        s(T((2, 3, 5, 5)), weight(4, 3, 3, 3, dtype="float64")),
        s(T((2, 3, 5, 5)), weight(4, 3, 3)),
        s(T((2, 3, 5, 5)), weight(4, 3, 3, 3), padding="foo"),
    ]


def conv_transpose1d():
    return [
        s(T((2, 3, 5)), weight(3, 4, 3)),
        s(T((2, 4, 5)), weight(4, 2, 3), weight(4), 2, 1, 1, 2, 1),
        s(T((3, 5)), weight(3, 2, 2), None, 3, 0, 2),
        s(T((2, 3, 5)), weight(3, 4, 3), output_padding=1),
    ]


def conv_transpose2d():
    return [
        s(T((2, 3, 4, 5)), weight(3, 4, 3, 3)),
        s(T((2, 3, 4, 5)), weight(3, 2, 3, 2), weight(2), stride=2, padding=1, output_padding=1),
        s(T((1, 4, 3, 3)), weight(4, 3, 3, 3), weight(6), (2, 1), (0, 1), (1, 0), 2, (1, 2)),
        s(T((3, 4, 4)), weight(3, 2, 2, 2), None, 1, 0, 1, 1, 2),
        s(T((0, 3, 4, 4)), weight(3, 2, 3, 3)),
        s(T((2, 3, 5, 5)), weight(3, 4, 3, 3), padding=3),
        s(T((5, 4, 3, 2), layout="transposed"), weight(2, 3, 2, 2), weight(3), stride=3),
        s(T((2, 3, 4, 4)), weight(4, 4, 3, 3)),
        s(T((2, 3, 4, 4)), weight(3, 4, 3, 3), weight(3)),
        s(T((2, 3, 4, 4)), weight(3, 4, 3, 3), output_padding=1),
        s(T((2, 3, 4, 4)), weight(3, 4, 3, 3), groups=2),
        s(T((2, 3, 4, 4)), weight(3, 4, 3, 3), output_padding=-1),
        s(T((4, 4)), weight(3, 4, 3, 3)),
    ]


def conv3d():
    return [
        s(T((2, 3, 4, 5, 4)), weight(4, 3, 3, 2, 3)),
        s(T((1, 2, 6, 5, 5)), weight(4, 2, 3, 3, 2), weight(4), stride=(2, 1, 2), padding=(1, 0, 1),
          dilation=(1, 2, 1)),
        s(T((2, 4, 4, 4, 4)), weight(6, 2, 2, 2, 2), weight(6), 1, 1, 1, 2),
        s(T((3, 5, 4, 4)), weight(2, 3, 2, 2, 2), padding="same"),
        s(T((0, 3, 4, 4, 4)), weight(4, 3, 3, 3, 3)),
        s(T((2, 3, 4, 4, 4)), weight(4, 3, 5, 3, 3)),
        s(T((2, 3, 4, 4, 4)), weight(4, 3, 3, 3)),
        s(T((4, 4, 4)), weight(4, 3, 3, 3, 3)),
    ]


def conv_transpose3d():
    return [
        s(T((2, 3, 3, 4, 3)), weight(3, 4, 3, 2, 3)),
        s(T((1, 4, 3, 3, 2)), weight(4, 3, 2, 3, 2), weight(6), (2, 1, 3), (1, 0, 1), (1, 0, 2), 2,
          (1, 2, 1)),
        s(T((3, 3, 2, 3)), weight(3, 2, 2, 2, 2), None, 2, 1, 1),
        s(T((2, 3, 3, 3, 3)), weight(3, 4, 3, 3, 3), output_padding=1),
    ]


# -- pyfront/nn/functional/linear.py ---------------------------------------------------------------------
def linear():
    return [
        s(T((2, 3)), T((4, 3))),
        s(T((2, 3)), T((4, 3)), T((4,))),
        s(T((3,)), T((4, 3)), T((4,))),
        s(T((2, 5, 3)), T((4, 3)), T((4,))),
        s(T((0, 3)), T((4, 3)), T((4,))),
        s(T((2, 3)), T((4, 5))),
        s(T((3, 2), layout="transposed"), T((3, 4), layout="transposed"), T(())),
        s(T((2, 3)), T((3,))),
        s(T((2, 3), "float64"), T((4, 3)), T((4,))),
        s(T((3,)), T((4, 3), "float64"), T((4,))),
    ]


def bilinear():
    return [
        s(T((2, 3)), T((2, 4)), T((5, 3, 4))),
        s(T((2, 3)), T((2, 4)), T((5, 3, 4)), T((5,))),
        s(T((6, 2, 3)), T((6, 2, 4)), T((5, 3, 4)), T((5,))),
        s(T((2, 3)), T((2, 4)), T((5, 3, 3))),
    ]


def embedding():
    return [
        s(T((2, 3), "int64", low=0, high=5), T((5, 4))),
        s(T((4,), "int64", low=0, high=5), T((5, 3)), padding_idx=2),
        s(T((3,), "int64", low=0, high=5), T((5, 3)), padding_idx=-1),
        s(T((), "int64", low=0, high=5), T((5, 3))),
        s(T((2, 4), "int64", low=0, high=3), T((3, 2)), scale_grad_by_freq=True),
        s(T((2,), "float32"), T((5, 3))),
    ]


def one_hot():
    return [
        s(T((4,), "int64", low=0, high=5)),
        s(T((2, 3), "int64", low=0, high=4), 6),
        s(T((), "int64", low=0, high=3), 3),
        s(T((0,), "int64"), 3),
        s(T((3,), "float32")),
    ]


def normalize():
    return [
        s(T((3, 4))),
        s(T((3, 4)), 1.0, 0),
        s(T((2, 3, 4)), dim=-1),
        s(T((4,)), dim=0),
        s(T((3, 4)), 3.0),
        s(T((4, 5), layout="transposed")),
    ]


def cosine_similarity():
    return [
        s(T((3, 4)), T((3, 4))),
        s(T((3, 4)), T((1, 4)), 1),
        s(T((2, 3, 4)), T((2, 3, 4)), -1),
        s(T((4,)), T((4,)), 0),
        s(T((3, 4)), T((2, 4))),
    ]


def pairwise_distance():
    return [
        s(T((3, 4)), T((3, 4))),
        s(T((3, 4)), T((1, 4)), 1.0),
        s(T((4,)), T((4,))),
        s(T((2, 4)), T((2, 4)), keepdim=True),
    ]


# -- pyfront/nn/functional/loss.py -----------------------------------------------------------------------
def regression():
    return [
        s(T((3, 4)), T((3, 4))),
        s(T((3, 4)), T((3, 4)), reduction="sum"),
        s(T((3, 4)), T((3, 4)), reduction="none"),
        s(T(()), T(())),
        s(T((0, 3)), T((0, 3))),
        s(T((4, 5), layout="transposed"), T((4, 5))),
        s(T((3, 4)), T((3, 4)), reduction="bad"),
        s(T((3, 1)), T((3, 4))),
    ]


def mse_loss():
    return regression() + [
        s(T((3, 4)), T((3, 4)), weight=T((3, 4), low=0.1, high=2)),
        s(T((3, 4)), T((3, 4)), reduction="sum", weight=T((3, 4), low=0.1, high=2)),
    ]


def l1_loss():
    return regression() + [s(T((3, 4)), T((3, 4)), weight=T((3, 4), low=0.1, high=2))]


def smooth_l1_loss():
    return regression() + [
        s(T((3, 4)), T((3, 4)), beta=0.5),
        s(T((3, 4)), T((3, 4)), beta=0.0),
        s(T((3, 4)), T((3, 4)), beta=-1.0),
    ]


def huber_loss():
    return regression() + [
        s(T((3, 4)), T((3, 4)), delta=0.5),
        s(T((3, 4)), T((3, 4)), delta=0.0),
        s(T((3, 4)), T((3, 4)), reduction="sum", delta=2.0, weight=T((3, 4), low=0.1, high=2)),
    ]


def nll_loss():
    c = dict(low=0, high=5)
    return [
        s(T((3, 5)), T((3,), "int64", **c)),
        s(T((3, 5)), T((3,), "int64", **c), reduction="sum"),
        s(T((3, 5)), T((3,), "int64", **c), reduction="none"),
        s(T((5,)), T((), "int64", **c)),
        s(T((2, 5, 3)), T((2, 3), "int64", **c)),
        s(T((2, 5, 3, 2)), T((2, 3, 2), "int64", **c), reduction="none"),
        s(T((4, 5)), T((4,), "int64", **c), weight=T((5,), low=0.1, high=2, grad=False)),
        s(T((4, 5)), T((4,), "int64", low=-1, high=5), ignore_index=-1),
        s(
            T((4, 5)),
            T((4,), "int64", low=0, high=2),
            weight=T((5,), low=0.1, high=2, grad=False),
            ignore_index=1,
        ),
        s(T((3, 5)), T((3,), "int64", low=5, high=7)),
        s(T((3, 5)), T((2,), "int64", **c)),
        s(T((3, 5)), T((3,), "float32")),
        s(T((3, 5)), T((3,), "int64", **c), weight=T((3,), grad=False)),
        s(T((0, 5)), T((0,), "int64"), reduction="sum"),
    ]


def cross_entropy():
    c = dict(low=0, high=5)
    return nll_loss()[:-3] + [
        s(T((3, 5)), T((3,), "int64", **c), label_smoothing=0.2),
        s(T((4, 5)), T((4,), "int64", low=-1, high=5), ignore_index=-1, label_smoothing=0.1),
        s(
            T((4, 5)),
            T((4,), "int64", low=0, high=5),
            weight=T((5,), low=0.1, high=2, grad=False),
            label_smoothing=0.3,
            reduction="sum",
        ),
        s(
            T((2, 5, 3)),
            T((2, 3), "int64", **c),
            weight=T((5,), low=0.1, high=2, grad=False),
            label_smoothing=0.3,
        ),
        s(T((3, 5)), T((3, 5), low=0, high=1)),
        s(T((3, 5)), T((3, 5), low=0, high=1), reduction="none"),
        s(T((2, 5, 3)), T((2, 5, 3), low=0, high=1), label_smoothing=0.2),
        s(T((3, 5)), T((3, 5), low=0, high=1), weight=T((5,), low=0.1, high=2, grad=False), reduction="sum"),
        s(T((5,)), T((5,), low=0, high=1)),
        s(T((3, 5)), T((3, 5), low=0, high=1), ignore_index=1),
        s(T((3, 5)), T((3,), "int64", **c), label_smoothing=1.5),
        s(T((3, 5)), T((3, 4))),
    ]


def bce(logits: bool):
    lo, hi = (-3, 3) if logits else (0.05, 0.95)
    out = [
        s(T((3, 4), low=lo, high=hi), T((3, 4), low=0, high=1)),
        s(T((3, 4), low=lo, high=hi), T((3, 4), low=0, high=1), reduction="sum"),
        s(T((3, 4), low=lo, high=hi), T((3, 4), low=0, high=1), reduction="none"),
        s(T((3, 4), low=lo, high=hi), T((3, 4), low=0, high=1), weight=T((4,), low=0.1, high=2, grad=False)),
        s(T((), low=lo, high=hi), T((), low=0, high=1)),
        s(T((0, 2), low=lo, high=hi), T((0, 2), low=0, high=1)),
        s(T((3,), low=lo, high=hi), T((3, 1), low=0, high=1)),
    ]
    if logits:
        out += [
            s(T((3, 4), low=-50, high=50), T((3, 4), low=0, high=1)),
            s(T((3, 4)), T((3, 4), low=0, high=1), pos_weight=T((4,), low=0.5, high=3, grad=False)),
            s(
                T((3, 4)),
                T((3, 4), low=0, high=1),
                weight=T((3, 1), low=0.1, high=2, grad=False),
                pos_weight=T((4,), low=0.5, high=3, grad=False),
                reduction="sum",
            ),
        ]
    else:
        out += [s(T((3,), low=1.5, high=2), T((3,), low=0, high=1))]
    return out


def binary_cross_entropy():
    return bce(False)


def binary_cross_entropy_with_logits():
    return bce(True)


def kl_div():
    return [
        s(T((3, 4)), T((3, 4), low=0.05, high=1), reduction="batchmean"),
        s(T((3, 4)), T((3, 4), low=0.05, high=1), reduction="sum"),
        s(T((3, 4)), T((3, 4), low=0.05, high=1), reduction="none"),
        s(T((3, 4)), T((3, 4), low=-3, high=0), reduction="batchmean", log_target=True),
        s(T((3, 4)), T((3, 4), low=-3, high=0), log_target=True, reduction="none"),
        s(T(()), T((), low=0.05, high=1), reduction="batchmean"),
    ]


def soft_margin_loss():
    return [
        s(T((3, 4)), T((3, 4), grad=False)),
        s(T((3, 4)), T((3, 4), grad=False), reduction="none"),
    ]


def margin_ranking_loss():
    return [s(T((5,)), T((5,)), T((5,))), s(T((5,)), T((5,)), T((5,)), 0.5, reduction="sum")]


def hinge_embedding_loss():
    return [s(T((3, 4)), T((3, 4), low=-1, high=1)), s(T((5,)), T((5,)), 0.5, reduction="sum")]


def poisson_nll_loss():
    return [
        s(T((3, 4)), T((3, 4), low=0, high=3)),
        s(T((3, 4), low=0.1, high=3), T((3, 4), low=0, high=3), False),
        s(T((3, 4)), T((3, 4), low=0, high=3), True, True, reduction="sum"),
    ]


def multilabel_soft_margin_loss():
    return [
        s(T((3, 4)), T((3, 4), low=0, high=1)),
        s(T((3, 4)), T((3, 4), low=0, high=1), T((4,)), reduction="none"),
    ]


def triplet_margin_loss():
    return [
        s(T((3, 4)), T((3, 4)), T((3, 4))),
        s(T((3, 4)), T((3, 4)), T((3, 4)), 0.5, 1.0, swap=True, reduction="none"),
    ]


# -- pyfront/nn/functional/normalization.py --------------------------------------------------------------
def batch_norm():
    return [
        s(T((4, 3)), T((3,), grad=False), T((3,), low=0.5, high=2, grad=False)),
        s(T((4, 3, 5)), T((3,), grad=False), T((3,), low=0.5, high=2, grad=False), T((3,)), T((3,)), True),
        s(T((2, 3, 4, 4)), None, None, T((3,)), T((3,)), True, 0.3, 1e-3),
        s(T((2, 3, 4, 4)), T((3,), grad=False), T((3,), low=0.5, high=2, grad=False), T((3,)), None, False),
        s(
            T((5, 4, 3), layout="transposed"),
            T((4,), grad=False),
            T((4,), low=0.5, high=2, grad=False),
            None,
            T((4,)),
            True,
        ),
        s(T((0, 3, 5)), T((3,), grad=False), T((3,), grad=False), T((3,)), T((3,)), True),
        s(T((2, 3, 5)), None, None),
        s(T((1, 3, 1)), T((3,)), T((3,)), training=True),
        s(T((2, 3, 5)), T((4,), grad=False), T((3,), grad=False), training=True),
        s(T((2, 3, 5)), T((3,), grad=False), None, training=True),
        s(T((2, 3, 5)), T((3,)), T((3,)), T((4,))),
        s(T((2, 3, 5), "int64"), T((3,)), T((3,)), training=True),
    ]


def instance_norm():
    return [
        s(T((2, 3, 5))),
        s(T((2, 3, 4, 4)), None, None, T((3,)), T((3,))),
        s(T((2, 3, 5)), T((3,), grad=False), T((3,), low=0.5, high=2, grad=False), momentum=0.2),
        s(T((2, 3, 5)), T((3,), grad=False), T((3,), low=0.5, high=2, grad=False), T((3,)), T((3,)), False),
        s(T((3, 5))),
        s(T((2, 3, 1))),
        s(T((2, 3, 5)), None, None, use_input_stats=False),
    ]


def layer_norm():
    return [
        s(T((2, 3, 5)), (5,)),
        s(T((2, 3, 5)), (3, 5), T((3, 5)), T((3, 5))),
        s(T((4, 6)), [6], T((6,)), None, 1e-3),
        s(T((6, 4), layout="transposed"), (6,), None, T((6,))),
        s(T((0, 5)), (5,), T((5,)), T((5,))),
        s(T((5,)), (5,), T((5,)), T((5,))),
        s(T((2, 3, 5)), (4,)),
        s(T((2, 3, 5)), (5,), T((4,))),
        s(T((2, 3, 5)), ()),
        s(T((2, 3, 5)), 5),
        s(T((2, 3, 5)), (1, 2, 3, 5)),
        s(T((2, 3, 5), "int64"), (5,)),
    ]


def rms_norm():
    return [
        s(T((2, 3, 5)), (5,)),
        s(T((2, 3, 5)), (3, 5), T((3, 5))),
        s(T((4, 6)), [6], T((6,)), 1e-3),
        s(T((6, 4), layout="transposed"), (6,)),
        s(T((0, 5)), (5,), T((5,))),
        s(T((2, 3, 5)), (4,)),
        s(T((2, 3, 5)), (5,), T((4,))),
        s(T((2, 3, 5), "float64"), (5,)),
    ]


def group_norm():
    return [
        s(T((2, 6, 5)), 3),
        s(T((2, 6, 4, 3)), 2, T((6,)), T((6,))),
        s(T((3, 4)), 4, T((4,)), None, 1e-3),
        s(T((5, 4, 2), layout="transposed"), 1, T((4,)), T((4,))),
        s(T((0, 4, 3)), 2, T((4,)), T((4,))),
        s(T((2, 3, 5)), 2),
        s(T((2, 3, 5)), 3, T((4,))),
        s(T((2, 3, 5)), 3, None, T((4,))),
        s(T((5,)), 1),
        s(T((2, 3, 5)), 0),
        s(T((1, 2)), 2),
        s(T((2, 3, 5), "int64"), 3),
    ]


# -- pyfront/nn/functional/pooling.py --------------------------------------------------------------------
def max_pool2d():
    return [
        s(T((2, 3, 6, 6)), 2),
        s(T((2, 3, 7, 6)), 3, 2, 1),
        s(T((1, 2, 7, 8)), (3, 2), (2, 1), (1, 0), (2, 1)),
        s(T((2, 5, 5)), 2, ceil_mode=True),
        s(T((1, 2, 8, 7)), 3, 2, 1, ceil_mode=True),
        s(T((1, 2, 6, 6)), 2, return_indices=True),
        s(T((1, 1, 7, 7)), 3, 2, 1, 2, True, True),
        s(T((0, 2, 4, 4)), 2),
        s(T((6, 5, 2, 1), layout="transposed"), 2, 1),
        s(T((2, 3, 5, 5), "int64"), 2),
        s(T((2, 3, 5, 5)), (2, 2, 2)),
        s(T((2, 3, 5, 5)), 2, 2, 2),
        s(T((2, 3, 5, 5)), 2, 2, -1),
        s(T((5, 5)), 2),
        s(T((2, 0, 5, 5)), 2),
        s(T((2, 3, 5, 5)), 6),
        s(T((2, 3, 5, 5), "bool"), 2),
        s(T((2, 3, 5, 5)), 0),
        s(T((2, 3, 5, 5)), 2, 2, 0, 0),
        s(T((2, 3, 5, 5)), 2, stride=[]),
    ]


def max_pool1d():
    return [
        s(T((2, 3, 8)), 2),
        s(T((3, 9)), 3, 2, 1, 2),
        s(T((2, 3, 8)), 3, 2, 1, ceil_mode=True),
        s(T((2, 3, 8)), 2, return_indices=True),
        s(T((8, 3), layout="transposed"), 3, 1),
        s(T((3, 5)), 2, padding=2),
        s(T((3, 5)), 0),
        s(T((2, 3, 5, 5)), 2),
        s(T((5,)), 2),
        s(T((3, 5)), 6),
        s(T((3, 5), "int64"), 2),
    ]


def avg_pool2d():
    return [
        s(T((2, 3, 6, 6)), 2),
        s(T((2, 3, 7, 6)), 3, 2, 1),
        s(T((2, 3, 7, 6)), 3, 2, 1, count_include_pad=False),
        s(T((1, 2, 8, 7)), (3, 2), (2, 1), (1, 1), True),
        s(T((1, 2, 8, 7)), 3, 2, 1, True, False),
        s(T((2, 5, 5)), 2, ceil_mode=True),
        s(T((1, 2, 6, 5)), 3, 2, 1, divisor_override=4),
        s(T((0, 2, 4, 4)), 2),
        s(T((6, 5, 2, 1), layout="transposed"), 2, 1),
        s(T((2, 3, 5, 5), "int64"), 2),
        s(T((2, 3, 5, 5), "int64"), 3, 2, 1, count_include_pad=False),
        s(T((2, 3, 5, 5), "int32"), 2),
        s(T((2, 3, 5, 5)), (2, 2, 2)),
        s(T((2, 3, 5, 5)), 2, 2, 2),
        s(T((2, 3, 5, 5)), 2, 2, -1),
        s(T((5, 5)), 2),
        s(T((2, 0, 5, 5)), 2),
        s(T((2, 3, 5, 5)), 6),
        s(T((2, 3, 5, 5)), 2, divisor_override=0),
        s(T((2, 3, 5, 5)), 0),
    ]


def avg_pool1d():
    return [
        s(T((2, 3, 8)), 2),
        s(T((3, 9)), 3, 2, 1),
        s(T((2, 3, 8)), 3, 2, 1, True, False),
        s(T((8, 3), layout="transposed"), 3, 1),
        s(T((3, 5)), 2, padding=2),
        s(T((2, 3, 5, 5)), 2),
        s(T((5,)), 2),
        s(T((3, 5)), 6),
        s(T((3, 5)), 0),
    ]


def adaptive_avg_pool2d():
    return [
        s(T((2, 3, 6, 6)), 2),
        s(T((2, 3, 7, 5)), (3, 2)),
        s(T((3, 5, 7)), (4, None)),
        s(T((1, 2, 4, 4)), 7),
        s(T((2, 3, 5, 5), grad=False), (0, 2)),
        s(T((0, 2, 4, 4)), 2),
        s(T((5, 4, 2, 1), layout="transposed"), (3, 3)),
        s(T((5, 5)), 2),
        s(T((2, 3, 5, 5), "int64"), 2),
        s(T((2, 0, 5, 5), grad=False), 2),
        s(T((3, 0, 5)), 2),
        s(T((2, 3, 5, 5)), (2, 2, 2)),
        s(T((2, 3, 5, 5)), -1),
    ]


def adaptive_avg_pool1d():
    return [
        s(T((2, 3, 7)), 3),
        s(T((3, 5)), 8),
        s(T((3, 5), grad=False), 0),
        s(T((7, 3), layout="transposed"), (2,)),
        s(T((2, 3, 5, 5)), 2),
        s(T((3, 5), "int64"), 2),
    ]


def max_pool3d():
    return [
        s(T((2, 3, 4, 5, 4)), 2),
        s(T((1, 2, 5, 6, 5)), (3, 2, 3), (2, 1, 2), (1, 1, 0), (1, 2, 1), True, True),
        s(T((2, 5, 6, 5)), 3, 2, 1, ceil_mode=True, return_indices=True),
        s(T((0, 2, 4, 4, 4)), 2),
        s(T((2, 3, 4, 4, 4), "int64"), 2),
        s(T((2, 3, 4, 4, 4), "bool"), 2),
        s(T((2, 3, 4, 4, 4)), (2, 2)),
        s(T((2, 3, 4, 4, 4)), 2, padding=2),
        s(T((2, 3, 4, 4, 4)), 5),
        s(T((4, 4, 4)), 2),
        s(T((2, 0, 4, 4, 4)), 2),
        s(T((2, 3, 4, 4, 4)), 2, dilation=0),
    ]


def avg_pool3d():
    return [
        s(T((2, 3, 4, 5, 4)), 2),
        s(T((1, 2, 5, 6, 5)), (3, 2, 3), (2, 1, 2), (1, 1, 0), True, False),
        s(T((2, 5, 6, 5)), 3, 2, 1, ceil_mode=True, divisor_override=5),
        s(T((2, 3, 4, 4, 4), "int64"), 2),
        s(T((2, 3, 4, 4, 4), "int32"), 2),
        s(T((2, 3, 4, 4, 4)), (2, 2)),
        s(T((2, 3, 4, 4, 4)), 2, padding=2),
        s(T((2, 3, 4, 4, 4)), 5),
        s(T((2, 3, 4, 4, 4)), 2, divisor_override=0),
        s(T((4, 4, 4)), 2),
        s(T((2, 0, 4, 4, 4)), 2),
    ]


def adaptive_avg_pool3d():
    return [
        s(T((2, 3, 5, 6, 7)), (2, 3, None)),
        s(T((3, 4, 5, 4)), 3),
        s(T((2, 3, 4, 4, 4)), (2, 2)),
        s(T((3, 4)), 2),
        s(T((2, 0, 4, 4, 4)), 2),
        s(T((2, 3, 4, 4, 4), "int64"), 2),
        s(T((2, 3, 4, 4, 4)), -1),
    ]


def adaptive_max_pool3d():
    return [
        s(T((2, 3, 5, 6, 7)), (2, 4, 3), True),
        s(T((3, 4, 5, 4)), 3),
        s(T((2, 3, 4, 4, 4)), (2, 2)),
        s(T((3, 4)), 2),
        s(T((2, 0, 4, 4, 4)), 2),
        s(T((2, 3, 4, 4, 4), "int64"), 2),
    ]


def adaptive_max_pool2d():
    return [
        s(T((2, 3, 6, 6)), 2),
        s(T((2, 3, 7, 5)), (3, 2), True),
        s(T((3, 5, 7)), (4, None), return_indices=True),
        s(T((1, 2, 4, 4)), 7, True),
        s(T((2, 3, 5, 5)), (0, 2)),
        s(T((0, 2, 4, 4)), 2),
        s(T((5, 4, 2, 1), layout="transposed"), (3, 3)),
        s(T((5, 5)), 2),
        s(T((2, 3, 5, 5), "int64"), 2),
        s(T((2, 3, 5, 5)), (2, 2, 2)),
    ]


def adaptive_max_pool1d():
    return [
        s(T((2, 3, 7)), 3),
        s(T((3, 5)), 8, True),
        s(T((3, 5)), 0),
        s(T((7, 3), layout="transposed"), (2,), True),
        s(T((2, 3, 5, 5)), 2),
        s(T((3, 5), "int64"), 2),
    ]


# -- pyfront/nn/functional/vision.py ---------------------------------------------------------------------
def pad():
    return [
        s(T((2, 3)), (1, 2)),
        s(T((2, 3, 4)), (1, 0, 2, 1), value=1.5),
        s(T((3, 4)), (-1, 2)),
        s(T((2, 3, 5)), (2, 1), "reflect"),
        s(T((2, 3, 5)), (1, 2, 2, 1), "reflect"),
        s(T((1, 2, 3, 4, 5)), (1, 2, 2, 1, 1, 0), "reflect"),
        s(T((2, 3, 5)), (-1, 2), "reflect"),
        s(T((2, 3, 5)), (3, 1), "replicate"),
        s(T((2, 3, 4, 5)), (0, 2, 4, 1), "replicate"),
        s(T((2, 3, 5)), (-2, 3), "replicate"),
        s(T((3, 4, 5)), (2, 3, 1, 0, 1, 1), "replicate"),
        s(T((2, 3, 5)), (2, 4), "circular"),
        s(T((2, 3, 4, 5)), (1, 2, 3, 1), "circular"),
        s(T((2, 3, 5)), (-3, -1), "circular"),
        s(T((5, 4, 3), layout="transposed"), (1, 1, 2, 2), "reflect"),
        s(T((0, 3, 5)), (1, 2), "reflect"),
        s(T((2, 3, 5), "int64"), (1, 2), "replicate"),
        s(T((2, 3, 5), "bool"), (1, 2), "circular"),
        s(T((2, 3, 5)), (5, 1), "reflect"),
        s(T((2, 3, 5)), (1, 1, 5, 1), "reflect"),
        s(T((2, 3, 5)), (-3, -3), "replicate"),
        s(T((2, 3, 5)), (6, 1), "circular"),
        s(T((2, 3, 5)), (-3, -3), "circular"),
        s(T((2, 3, 4, 5)), (1, 2), "reflect"),
        s(T((2, 5)), (1, 1, 1, 1), "reflect"),
        s(T((2, 0, 5)), (1, 2), "replicate"),
        s(T((2, 3, 5)), (1, 2), "reflect", 3.0),
        s(T((2, 3, 5)), (1,)),
        s(T((2, 3, 5)), (1, 2), "foo"),
        s(T((2, 3, 5), "bool"), (1, 2), "reflect"),
        s(T((3,)), (1, 1, 1, 1)),
    ]


def interpolate():
    return [
        s(T((2, 3, 4, 5)), scale_factor=2),
        s(T((2, 3, 4, 5)), size=(7, 3)),
        s(T((1, 2, 5, 7)), scale_factor=(0.6, 1.5)),
        s(T((2, 3, 6)), size=4),
        s(T((1, 2, 2, 3, 4)), scale_factor=(1.5, 2, 0.5)),
        s(T((2, 3, 4, 5)), size=(6, 9), mode="nearest-exact"),
        s(T((2, 3, 5, 7)), scale_factor=0.7, mode="nearest-exact"),
        s(T((2, 3, 4, 5)), size=(7, 3), mode="bilinear"),
        s(T((2, 3, 4, 5)), size=(7, 3), mode="bilinear", align_corners=True),
        s(T((2, 3, 4, 5)), scale_factor=1.7, mode="bilinear"),
        s(T((2, 3, 4, 5)), scale_factor=(2, 0.5), mode="bilinear", recompute_scale_factor=True),
        s(T((2, 3, 6)), size=9, mode="linear"),
        s(T((2, 3, 6)), size=1, mode="linear", align_corners=True),
        s(T((1, 2, 3, 4, 5)), size=(4, 3, 6), mode="trilinear"),
        s(T((1, 2, 3, 4, 5)), scale_factor=2, mode="trilinear", align_corners=True),
        s(T((2, 3, 4, 5)), size=(7, 3), mode="bicubic"),
        s(T((2, 3, 4, 5)), scale_factor=2.5, mode="bicubic", align_corners=True),
        s(T((2, 3, 7, 9)), size=(3, 4), mode="area"),
        s(T((2, 3, 7, 9)), scale_factor=0.5, mode="area"),
        s(T((2, 3, 9)), size=4, mode="area"),
        s(T((2, 3, 9, 8)), size=(4, 3), mode="bilinear", antialias=True),
        s(T((2, 3, 9, 8)), size=(4, 11), mode="bicubic", antialias=True),
        s(T((5, 4, 3, 2), layout="transposed"), scale_factor=2, mode="bilinear"),
        s(T((0, 3, 4, 5)), scale_factor=2, mode="bilinear"),
        s(T((2, 3, 4, 5), "int64"), scale_factor=2),
        s(T((2, 3, 4, 5)), size=(0, 3)),
        s(T((2, 0, 4, 5)), size=(2, 3)),
        s(T((2, 3, 4, 5)), scale_factor=0.1),
        s(T((2, 3, 4, 5)), size=(2, 3), mode="nearest", antialias=True),
        s(T((2, 3, 4, 5)), size=(2, 3), mode="foo"),
        s(T((4, 5)), size=(2, 3)),
        s(T((2, 3, 4, 5)), size=(2, 3), mode="linear"),
        s(T((2, 3, 4, 5)), size=(2,)),
        s(T((2, 3, 4, 5)), size=(2, 3), scale_factor=2),
        s(T((2, 3, 4, 5))),
        s(T((2, 3, 4, 5)), size=(2, 3), align_corners=True),
        s(T((2, 3, 4, 5)), size=(2, 3), recompute_scale_factor=True),
        s(T((2, 3, 4)), size=(2,), mode="bicubic"),
    ]


def pixel_shuffle():
    return [
        s(T((2, 8, 3, 4)), 2),
        s(T((9, 2, 2)), 3),
        s(T((2, 1, 4, 3, 2)), 1),
        s(T((2, 3, 8, 3)), 2),
        s(T((4, 4)), 2),
        s(T((2, 8, 3, 4), "int64"), 2),
        s(T((4, 3, 2, 8), layout="transposed"), 2),
    ]


def pixel_unshuffle():
    return [
        s(T((2, 2, 6, 4)), 2),
        s(T((1, 6, 6)), 3),
        s(T((2, 3, 5, 4)), 2),
        s(T((4, 4)), 2),
        s(T((4, 6, 2, 2), layout="transposed"), 2),
    ]


# -- pyfront/ops/views.py: Tensor.unfold (dimension, size, step) -------------------------------------------
def unfold():
    return [
        s(T((2, 7)), 1, 3, 2), s(T((2, 7)), 1, 3, 1), s(T((2, 3, 4)), -1, 2, 1), s(T((2, 3, 4)), 0, 2, 2),
        s(T((5,)), 0, 5, 1), s(T((4, 3)), 0, 0, 1), s(T(()), 0, 1, 1), s(T(()), 0, 0, 3),
        s(T((4, 6), layout="transposed"), 1, 2, 3), s(T((3, 5), "int64"), 1, 2, 2), s(T((0, 4)), 1, 2, 1),
        s(T((2, 9)), 1, 4, 2)]


# -- pyfront/ops/primitives/special.py -------------------------------------------------------------------
def polygamma():
    return [s(n, T(shape, **kw)) for n in (0, 1, 2, 3)
            for shape, kw in (((3, 4), dict(low=0.2, high=4.0)), ((), dict(low=-2.7, high=-2.2)),
                              ((4, 5), dict(layout="transposed", low=0.5, high=6.0)),
                              ((5,), dict(dtype="int64")))]


# -- pyfront/ops/composite/elementary.py -----------------------------------------------------------------
def mvlgamma():
    return [s(T((3, 4)), 1), s(T((3, 4)), 3), s(T(()), 2), s(T((4, 5), layout="transposed"), 2),
            s(T((0, 3)), 4), s(T((3, 4)), 3)]


def round_decimals():
    wide = T((3, 4), low=-2000, high=2000)
    return [s(wide, decimals=2), s(wide, decimals=-3), s(T((5,), fill="special"), decimals=1),
            s(T(()), decimals=3), s(T((0, 2)), decimals=1), s(T((2, 3), layout="transposed"), decimals=-1)]


def logit():
    return [*elementwise(1), s(T((3, 4), low=-0.2, high=1.2), eps=0.1),
            s(T((3, 4), low=0.05, high=0.95), 1e-6), s(T((5,), "int64"), eps=0.25)]


def isin():
    i64 = dict(dtype="int64")
    return [s(T((3, 4), **i64), T((5,), **i64)), s(T((3, 4)), T((2, 2))), s(T((6,), **i64), 2),
            s(3, T((4,), **i64)), s(T((0, 3), **i64), T((4,), **i64)), s(T((3, 4), **i64), T((0,), **i64)),
            s(T((5,), **i64), T((3,), **i64), invert=True),
            s(T((5,), **i64), T((3,), **i64), assume_unique=True)]
