"""Pure functions on a dense tensor's dimension order in memory: torch's memory formats and the strides
a new result takes (a copy that preserves its input's layout, an elementwise op's output).

A dimension order here is a tuple of dims, innermost (stride 1) first. No Tensor is seen: shapes and
strides in elements.
"""
from __future__ import annotations

from .shape import is_contiguous

# the dims of each channels-last format, innermost first: C, then the spatial dims backwards, then N
_FORMAT_ORDERS = {"channels_last": (1, 3, 2, 0), "channels_last_3d": (1, 4, 3, 2, 0)}
_FORMAT_RANKS = {"channels_last": 4, "channels_last_3d": 5}


def check_format_rank(name: str, rank: int) -> None:
    """torch's refusal of a channels-last ``name`` format for a tensor of another rank."""
    need = _FORMAT_RANKS.get(name)
    if need is not None and rank != need:
        raise RuntimeError(f"required rank {need} tensor to use {name} format")


def format_rank(name: str):
    """The rank a channels-last format ``name`` holds for (None: any rank)."""
    return _FORMAT_RANKS.get(name)


def dense_strides(shape, order) -> tuple:
    """Strides of a dense tensor of ``shape`` laid out in ``order`` (innermost first); a size-0 or size-1
    dim counts as size 1 for the dims outside it, as torch's."""
    strides = [0] * len(shape)
    step = 1
    for d in order:
        strides[d] = step
        step *= max(shape[d], 1)
    return tuple(strides)


def column_major_strides(shape):
    """The strides of a batch of column-major matrices of ``shape`` (LAPACK's order: the last two dims
    swapped, the batch outside them); None where they are the row-major ones (fewer than two dims, or a
    matrix with one row or column)."""
    if len(shape) < 2 or shape[-1] <= 1 or shape[-2] <= 1:
        return None
    n = len(shape)
    return dense_strides(shape, (n - 2, n - 1, *range(n - 3, -1, -1)))


def format_strides(shape, name: str) -> tuple:
    """The strides of a fresh tensor of ``shape`` in memory format ``name`` (its rank checked)."""
    check_format_rank(name, len(shape))
    order = _FORMAT_ORDERS.get(name) or tuple(range(len(shape) - 1, -1, -1))
    return dense_strides(shape, order)


def is_contiguous_as(shape, strides, name: str) -> bool:
    """torch's ``is_contiguous(memory_format=name)``: size-1 dims' strides are free; a channels-last format
    holds only at its rank, and not for an empty tensor."""
    order = _FORMAT_ORDERS.get(name)
    if order is None:
        raise RuntimeError(f"Unsupported memory format {name}")
    if len(shape) != len(order) or 0 in shape:
        return False
    expected = 1
    for d in order:
        if shape[d] != 1:
            if strides[d] != expected:
                return False
            expected *= shape[d]
    return True


def non_overlapping_and_dense(shape, strides) -> bool:
    """Whether the elements fill a block of memory exactly once, in some dim order (size-1 dims free)."""
    dims = sorted((d for d in range(len(shape)) if shape[d] > 1), key=lambda d: strides[d])
    expected = 1
    for d in dims:
        if strides[d] != expected:
            return False
        expected *= shape[d]
    return True


def order_of(shape, operands) -> tuple:
    """The dimension order of an elementwise result of ``shape`` whose inputs read with ``operands``' strides
    (each broadcast to ``shape``: a broadcast dim reads stride 0), as torch's TensorIterator picks it: from
    the last dim inwards, a dim moves inside another where the first input that tells them apart (neither
    stride 0, strides not equal) has the smaller stride there, or equal strides and a smaller size."""
    order = list(range(len(shape) - 1, -1, -1))

    def outer(a, b):  # 1: dim a lies outside dim b; -1: inside; 0: no input tells
        for strides in operands:
            sa, sb = strides[a], strides[b]
            if sa == 0 or sb == 0:
                continue
            if sa != sb:
                return 1 if sa > sb else -1
            if shape[a] > shape[b]:
                return 1
        return 0

    for i in range(1, len(order)):
        j = i
        for k in range(i - 1, -1, -1):
            told = outer(order[k], order[j])
            if told > 0:
                order[k], order[j] = order[j], order[k]
                j = k
            elif told < 0:
                break
    return tuple(order)


def broadcast_strides(shape, in_shape, in_strides) -> tuple:
    """``in_strides`` as read for a result of ``shape``: 0 in the dims the input broadcasts."""
    lead = len(shape) - len(in_shape)
    return (0,) * lead + tuple(0 if n == 1 and shape[lead + i] != 1 else s
                               for i, (n, s) in enumerate(zip(in_shape, in_strides)))


def result_strides(shape, inputs):
    """The strides of an elementwise result of ``shape`` over ``inputs`` ((shape, strides) pairs), as torch's
    TensorIterator gives them; None where they are the contiguous ones (the caller's usual case). Inputs
    of the result's shape that are all contiguous, all channels-last, or all dense with one set of strides
    give those strides; otherwise the order the inputs' strides tell."""
    # (plain loops: this runs per elementwise op on a permuted operand, where generators cost a visible share)
    same = contiguous = alike = True
    last = inputs[-1][1]
    for s, st in inputs:
        if s != shape:
            same = False
            break
        if contiguous and not is_contiguous(s, st):
            contiguous = False
        if st != last:
            alike = False
    if same:
        if contiguous:
            return None
        if len(shape) == 4 and all(is_contiguous_as(shape, st, "channels_last") for _, st in inputs):
            return format_strides(shape, "channels_last")
        if alike and non_overlapping_and_dense(shape, last):
            return last
    order = order_of(shape, [broadcast_strides(shape, s, st) for s, st in inputs])
    if order == tuple(range(len(shape) - 1, -1, -1)):
        return None
    return dense_strides(shape, order)


def preserved_strides(shape, strides):
    """The strides a preserve_format copy of a tensor takes: its own where it is dense (a size-1 dim's
    odd one too), else dense ones in its dimension order (None: contiguous)."""
    if non_overlapping_and_dense(shape, strides):
        return tuple(strides)
    order = order_of(shape, [strides])
    return None if order == tuple(range(len(shape) - 1, -1, -1)) else dense_strides(shape, order)


def suggested_format(shape, strides) -> str:
    """torch's ``suggest_memory_format``: the channels-last format a 4-D or 5-D tensor's strides look like,
    else contiguous_format (ambiguous size-1 cases count as contiguous, as torch's)."""
    order = _FORMAT_ORDERS.get({4: "channels_last", 5: "channels_last_3d"}.get(len(shape), ""))
    if order is None or strides[1] == 0:
        return "contiguous_format"
    low = 0
    for d in order:
        if shape[d] == 0 or strides[d] < low or (d == 0 and low == strides[1]):
            return "contiguous_format"
        low = strides[d] * (shape[d] if shape[d] > 1 else 1)
    return "channels_last" if len(shape) == 4 else "channels_last_3d"


def gradient_strides(shape, strides, grad_strides):
    """The strides a leaf's ``.grad`` must take, as torch's AccumulateGrad lays it out (its "layout
    contract"), or None where ``grad_strides`` keep it already: a dense leaf's own strides (a size-1 dim's
    free, but not 0), else the contiguous ones."""
    if non_overlapping_and_dense(shape, strides):
        if all(g == s if n != 1 else g != 0 for n, s, g in zip(shape, strides, grad_strides)):
            return None
        return tuple(strides)
    return None if is_contiguous(shape, grad_strides) else dense_strides(shape, range(len(shape) - 1, -1, -1))
