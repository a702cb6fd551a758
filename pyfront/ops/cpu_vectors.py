"""Which elements torch's CPU loop computes a vector at a time and which one at a time (its scalar tail).

Some float16 kernels round differently in the two (add's alpha: float32 arithmetic in the vectors, every
step rounded to float16 in the tail), and some treat NaN or a zero's sign one way in their vectors and
another in the tail. TensorIterator orders the dims by the operands' strides (memory order), merges the
dims that lie one after another in every operand, and vectorizes the innermost run where every operand
is dense along it or expanded (a number broadcast along it); each run's last ``len % lanes`` elements form
the tail. A run that some operand reads strided, or that all read expanded, is computed one element at a
time (measured). Works on any device: the choice is
made from shapes and strides, and the two results are joined with views and one cat.
"""
from __future__ import annotations

from ..strides_order import order_of
from ..tensor import Tensor
from .primitives import shaping


def loop_layout(operands: list) -> tuple[list, int, bool]:
    """(the dims in TensorIterator's order, outermost first; the length of the innermost merged run;
    whether that run is vectorized) for ``operands`` of one shape."""
    shape = operands[0].shape
    strides = [t.stride() for t in operands]
    order = list(reversed(order_of(shape, strides)))  # TensorIterator's, outermost first
    run, dense = 1, True
    for d in reversed(order):
        if shape[d] == 1:
            continue
        if run == 1:  # the innermost dim of more than one element: dense, or some operands expanded along it
            want = [s[d] for s in strides]
            dense = 1 in want and all(w in (0, 1) for w in want)
        elif any(s[d] != w * run for s, w in zip(strides, want)):
            break
        run *= shape[d]
    return order, run, dense


def vector_or_tail(operands: list, vector: Tensor, scalar: Tensor, lanes: int) -> Tensor:
    """``vector`` (torch's vectorized result) with the scalar tail of the loop over ``operands`` (tensors
    of the result's shape, expanded as the op reads them) taken from ``scalar``; ``lanes``: the elements
    one step of torch's loop takes (often two vectors). ``scalar`` may be a function giving it: asked only
    where there is a tail."""
    if vector.numel() == 0:
        return vector
    order, run, dense = loop_layout(operands)
    tail = run % lanes if dense else run
    if not tail:
        return vector
    if not isinstance(scalar, Tensor):
        scalar = scalar()
    if tail == run:
        return scalar.expand(vector.shape)
    v = vector.permute(order).reshape(-1, run)
    s = scalar.expand(vector.shape).permute(order).reshape(-1, run)
    joined = shaping.cat([v[:, :run - tail], s[:, run - tail:]], 1)
    joined = joined.reshape([vector.shape[d] for d in order])
    return joined.permute(sorted(range(len(order)), key=order.__getitem__))
