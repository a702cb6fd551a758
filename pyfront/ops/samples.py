"""Sample inputs for the op table tests, described without data (the tests fill in seeded values).

``T`` describes one tensor operand; a sample is ``(args, kwargs)``. Elementwise ops get a standard
set by arity (0-d, zero-size, broadcast on both sides, transposed, expanded, Python scalars);
other ops give their own ``samples`` function in their registry entry.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class T:
    shape: tuple
    dtype: str = "float32"
    layout: str = "contiguous"   # "contiguous", "transposed" (all dims reversed), "expanded"
    expand_to: tuple = ()        # for layout="expanded": the shape it is expanded to
    low: float = None            # override the op's domain
    high: float = None
    grad: bool = True            # float operands take part in the gradient check


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
