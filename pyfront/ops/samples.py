"""Sample inputs for the op table tests, described without data (the tests fill in seeded values).

``T`` describes one tensor operand; a sample is ``(args, kwargs)``. Elementwise ops get a standard
set by arity (0-d, zero-size, broadcast on both sides, transposed, expanded, Python scalars);
other ops give their own ``samples`` function in their registry entry.
"""
from __future__ import annotations

import itertools
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
