"""The input gradient of a pooling in float16 or bfloat16, added up as torch's CPU pool kernels add it.

torch's backward of a pool (max, average, adaptive; 1-d to 3-d, contiguous planes) visits the outputs of a
plane in order and adds each one's share into a zeroed 16-bit gradient, window element by window element:
every sum is rounded to the dtype, so where windows overlap the order shows in the bits. A chain of ops
(im2col's VJP, a float32 scatter) adds the same shares in float32 and rounds once. Here the shares go in
rounds: round r adds each input element's r-th share (in torch's order), so no round holds one element twice.
"""
from __future__ import annotations

import functools
from itertools import product

from ... import dtypes as dt
from ...autograd.grad_mode import is_grad_enabled, no_grad
from ...ops.common import Formula
from ...ops.creation import tensor
from ...ops.ordered_adds import add_in_order
from ...tensor import Tensor


def wants_ordered_grad(input: Tensor) -> bool:
    """Whether a pool of ``input`` needs this gradient: a 16-bit, non-empty input that will have one."""
    # (anything else goes to the pool as it is, which raises torch's error)
    return (isinstance(input, Tensor) and input.dtype in dt.HALVES and input.requires_grad
            and is_grad_enabled() and input.numel() > 0)


def with_ordered_grad(values: Tensor, input: Tensor, backward) -> Tensor:
    """``values`` (the pool's output, computed already) as a function of ``input`` whose gradient is
    ``backward(g)``, the shares of ``g`` added in torch's order (add_in_order)."""
    return Formula.apply(lambda x: values.detach(), lambda g, x: backward(g), input)


def max_grad_in_order(values: Tensor, indices: Tensor, input: Tensor, nd: int) -> Tensor:
    """A max pool's ``values`` whose gradient adds each output's ``g`` at its ``indices`` (flat in the
    input's last ``nd`` dims), in order."""
    planes = _planes(input, nd)
    return with_ordered_grad(values, input, lambda g: add_in_order(
        input.shape, nd, indices.reshape(planes, -1), g.reshape(planes, -1)))


def _planes(input: Tensor, nd: int) -> int:
    n = 1
    for size in input.shape[:input.dim() - nd]:
        n *= size
    return n


def window_targets(sizes, windows, device) -> Tensor:
    """(1, O * K) flat input indices of separable windows, the outputs in order and each window's elements in
    order, -1 for a slot past a shorter window's end: ``windows[d]`` lists each output's ``(start, end)``
    along dim d (of ``sizes``), clipped to the input."""
    slots = []  # per dim: each output's window, padded to the longest with -1
    for per_output in windows:
        k = max((end - start for start, end in per_output), default=0)
        slots.append([[i if i < end else -1 for i in range(start, start + k)] for start, end in per_output])
    flat = []
    for out in product(*(range(len(per_output)) for per_output in slots)):  # outputs in order
        for element in product(*(per_output[i] for per_output, i in zip(slots, out))):
            index = 0
            for size, i in zip(sizes, element):
                index = index * size + i
            flat.append(index if min(element) >= 0 else -1)
    return tensor([flat], dtype=dt.int64, device=device)


def ordered_avg_grad(geometry):
    """An average pool whose 16-bit input gradient adds each output's share (``g`` divided as torch's kernel
    divides it, rounded to the dtype) into its window's elements in torch's order. ``geometry(input,
    output, *args, **kwargs)`` gives ``(windows, divide)``: each dim's ``(start, end)`` per output, clipped
    to the input, and ``divide(g)`` each output's share, in the dtype; or None where torch pools otherwise
    (a mean)."""
    def wrap(fn):
        @functools.wraps(fn)
        def pool(*args, **kwargs):
            # (input read here, not named: a call missing it gets the pool's own TypeError, torch's words)
            input = args[0] if args else kwargs.get("input")
            if not wants_ordered_grad(input):
                return fn(*args, **kwargs)
            with no_grad():
                values = fn(*args, **kwargs)
            rest = {k: v for k, v in kwargs.items() if k != "input"}
            found = geometry(input, values, *args[1:], **rest)
            if found is None or values.numel() == 0:
                return fn(*args, **kwargs)
            windows, divide = found
            nd = len(windows)
            targets = window_targets(input.shape[input.dim() - nd:], windows, input.device)
            planes, outputs = _planes(input, nd), values.numel() // _planes(input, nd)

            def backward(g):
                shares = divide(g).reshape(planes, outputs, 1)
                shares = shares.expand(planes, outputs, targets.shape[-1] // outputs)
                return add_in_order(input.shape, nd, targets, shares.reshape(planes, -1))
            return with_ordered_grad(values, input, backward)
        return pool
    return wrap


def divided_in_steps(divisors):
    """``divide`` for ordered_avg_grad: ``g`` divided by each of ``divisors`` (numbers, or float32 tensors of
    whole numbers shaped to ``g``'s outputs) in turn, each read as the dtype and each quotient rounded to
    it, as torch's 16-bit kernel divides by integers."""
    def divide(g):
        for d in divisors:
            d = dt.round_half(d, g.dtype) if isinstance(d, (int, float)) else d.to(g.dtype).float()
            g = (g.float() / d).to(g.dtype)
        return g
    return divide
