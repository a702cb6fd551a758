"""Joining and movement ops built from ``cat``, ``flip`` and the views (no gradient rules here)."""
from __future__ import annotations

import operator

from ... import dtypes as dt
from ...shape import list_dims, normalize_dim, refuse_symbolic, single_int_list, wrap_int
from ...tensor import Tensor
from ..common import Formula
from ..creation import arange, check_storage, full, int_tuple, require_args, type_name
from ..primitives.elementwise import where
from ..primitives.shaping import cat, flip
from ..memory_formats import contiguous_result, in_format, lays_out, rolled, suggested
from ..registry import composite, records
from .. import samples

__all__ = ["stack", "hstack", "vstack", "dstack", "column_stack", "atleast_1d", "atleast_2d", "atleast_3d",
           "fliplr", "flipud", "roll", "tile", "repeat_interleave", "tril", "triu", "rot90"]
METHODS = "fliplr flipud roll repeat tile repeat_interleave tril triu rot90"
INPLACE = "tril triu"


def _tensor_list(name, tensors):
    """torch's ``tuple of Tensors`` argument: a tuple or list only (no generator, deque or tensor)."""
    if isinstance(tensors, Tensor) or not isinstance(tensors, (tuple, list)):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type_name(tensors)}")
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return list(tensors)


@records("StackBackward0")
def stack(tensors, dim: int = 0, *, axis: int | None = None) -> Tensor:
    """Join equally shaped tensors along a new dim ``dim`` (alias ``axis``), as ``torch.stack``."""
    if axis is not None:
        dim = axis
    tensors = _tensor_list("stack", tensors)
    first = tensors[0]
    for i, t in enumerate(tensors[1:], 1):
        if t.shape != first.shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(first.shape)} at "
                               f"entry 0 and {list(t.shape)} at entry {i}")
    dim = normalize_dim(dim, first.dim() + 1)
    # a new last dim has no dim to join along; sparse operands have no view to split one (torch's sparse stack
    # is a cat of unsqueezed tensors too)
    if dim == first.dim() or any(t.is_sparse for t in tensors):
        return cat([t.unsqueeze(dim) for t in tensors], dim)
    # joined along dim and that dim split, as torch's: the result takes the layout cat picks for the
    # inputs themselves (channels-last ones stay so), not for their unsqueezed views
    shape = list(first.shape)
    return cat(tensors, dim).view(*shape[:dim], len(tensors), *shape[dim:])


def _atleast(ndim, tensors):
    """Views with at least ``ndim`` dims, placed as NumPy's ``atleast_Nd`` places them."""
    def one(t):
        if t.dim() >= ndim:
            return t
        if ndim == 3 and t.dim() == 2:
            return t.unsqueeze(-1)
        if ndim == 3 and t.dim() == 1:
            return t.reshape(1, t.shape[0], 1)
        return t.reshape((1,) * (ndim - t.dim()) + tuple(t.shape))
    if len(tensors) == 1 and not isinstance(tensors[0], Tensor):
        return tuple(one(t) for t in tensors[0])
    return one(tensors[0]) if len(tensors) == 1 else tuple(one(t) for t in tensors)


def atleast_1d(*tensors):
    """``tensors`` as views with at least 1 dim, as ``torch.atleast_1d``."""
    return _atleast(1, tensors)


def atleast_2d(*tensors):
    """``tensors`` as views with at least 2 dims, as ``torch.atleast_2d``."""
    return _atleast(2, tensors)


def atleast_3d(*tensors):
    """``tensors`` as views with at least 3 dims, as ``torch.atleast_3d``."""
    return _atleast(3, tensors)


def hstack(tensors) -> Tensor:
    """Join along dim 1 (dim 0 for 1-D tensors), as ``torch.hstack``."""
    tensors = atleast_1d(_tensor_list("hstack", tensors))
    return cat(tensors, 0 if tensors[0].dim() == 1 else 1)


def vstack(tensors) -> Tensor:
    """Join along dim 0 after making every tensor 2-D, as ``torch.vstack``."""
    return cat(atleast_2d(_tensor_list("vstack", tensors)), 0)


def dstack(tensors) -> Tensor:
    """Join along dim 2 after making every tensor 3-D, as ``torch.dstack``."""
    return cat(atleast_3d(_tensor_list("dstack", tensors)), 2)


def column_stack(tensors) -> Tensor:
    """Join as columns: 0-d and 1-D tensors become one column each, as ``torch.column_stack``."""
    tensors = _tensor_list("column_stack", tensors)
    return hstack([t.reshape(t.numel(), 1) if t.dim() <= 1 else t for t in tensors])


@composite(samples=samples.fliplr)
def fliplr(input: Tensor) -> Tensor:
    """Flip dim 1 (left/right), as ``torch.fliplr``."""
    if input.dim() < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


@composite(samples=samples.flipud)
def flipud(input: Tensor) -> Tensor:
    """Flip dim 0 (up/down), as ``torch.flipud``."""
    if input.dim() < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


def _roll_dim(input, shift, dim):
    n = input.shape[dim]
    shift = shift % n if n else 0
    if shift == 0:
        return input
    return cat([input.narrow(dim, n - shift, shift), input.narrow(dim, 0, n - shift)], dim)


@composite(samples=samples.roll, grad_fn="RollBackward0")
@lays_out(rolled)
def roll(input: Tensor, shifts, dims=None) -> Tensor:
    """Rotate elements along ``dims`` by ``shifts`` (the flattened tensor when no dims), as ``torch.roll``."""
    # torch's int[1] parse: one int, or a list parsed as every size argument's
    shifts = int_tuple(single_int_list(shifts, symint=True) or (shifts,), "roll", "shifts", 2)
    dims = () if dims is None else int_tuple(single_int_list(dims) or (dims,), "roll", "dims", 3)
    refuse_symbolic("roll", shifts, dims)
    if not shifts:
        raise RuntimeError("`shifts` required")
    if not dims:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        return _roll_dim(input.flatten(), shifts[0], 0).reshape(input.shape)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    if input.dim() == 0:
        raise IndexError(f"Dimension specified as {dims[0]} but tensor has no dimensions")
    out = input
    for shift, d in zip(shifts, dims):
        out = _roll_dim(out, shift, normalize_dim(d, input.dim()))
    return out if out is not input else input.clone()


@records("RepeatBackward0")
@lays_out(contiguous_result)
def repeat(input: Tensor, *sizes, repeats=None) -> Tensor:
    """Tile ``input`` ``sizes[i]`` times along each dim (leading new dims allowed), as ``Tensor.repeat``."""
    if repeats is not None:
        sizes = (repeats,)
    require_args(sizes, "repeat", "repeats")
    sizes = int_tuple(sizes, "repeat", "repeats")  # torch's parse (a bool refused first, 0 or 1 after)
    if len(sizes) < input.dim():
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of "
                           "dimensions of tensor")
    shape = (1,) * (len(sizes) - input.dim()) + tuple(input.shape)
    target = [wrap_int(r * n) for r, n in zip(sizes, shape)]  # (torch's int64 product)
    for n in target:
        if n < 0:
            refuse_symbolic("repeat", sizes)
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: {target}")
    check_storage(target, input.dtype)  # (torch makes its result first)
    if all(r == 1 for r in sizes):
        return input.reshape(target).clone()
    # a new unit dim before every dim of the input's, expanded to the repeat count: a broadcast view, then one
    # copy. The leading new dims go on one at a time, the last first: torch's backward sums them away one by
    # one (each sum rounded in a 16-bit dtype), then the input's repeats in one sum, as these expands' VJPs
    lead = len(sizes) - input.dim()
    interleaved = input.reshape(tuple(x for n in shape[lead:] for x in (1, n)))
    out = interleaved.expand(tuple(x for r, n in zip(sizes[lead:], shape[lead:]) for x in (r, n)))
    for r in reversed(sizes[:lead]):
        out = out.unsqueeze(0).expand(r, *out.shape)
    # (a copy always, as torch's: a reshape can keep repeats of one element a view of the input, stride 0)
    return out.contiguous().reshape(target)


@composite(samples=samples.tile, grad_fn="RepeatBackward0")
def tile(input: Tensor, dims) -> Tensor:
    """``repeat`` with ``dims`` padded by leading 1s to the input's rank, as ``torch.tile``."""
    dims = tuple(dims)
    return repeat(input, (1,) * (input.dim() - len(dims)) + dims)


@composite(samples=samples.repeat_interleave,
           grad_fn=lambda input, repeats=None, *a, **k: (
               "IndexSelectBackward0" if isinstance(repeats, Tensor) else "ViewBackward0"))
def repeat_interleave(input: Tensor, repeats=None, dim: int | None = None, *, output_size=None) -> Tensor:
    """Repeat each element (or slice along ``dim``) ``repeats`` times, as ``torch.repeat_interleave``.

    With only a 1-D integer tensor, the indices ``i`` repeated ``input[i]`` times. ``output_size``
    is PyTorch's hint to skip a device sync; it changes nothing here.
    """
    if repeats is None:
        if input.dim() != 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        _index_dtype(input)
        return repeat_interleave(arange(input.shape[0], dtype=input.dtype, device=input.device), input,
                                 output_size=output_size)
    if isinstance(repeats, Tensor):
        if repeats.dim() > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        _index_dtype(repeats)
    if dim is None:
        input, dim = input.flatten(), 0
    dim = normalize_dim(dim, input.dim())
    size = input.shape[dim] if input.dim() else 1
    if isinstance(repeats, Tensor) and repeats.is_meta:
        return _repeat_on_meta(input, repeats, dim, size, output_size)
    if isinstance(repeats, Tensor) and repeats.numel() != 1:
        counts = [int(c) for c in repeats.tolist()]
        if len(counts) != size:
            raise RuntimeError("repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {len(counts)} and input.size({dim}) = {size}")
        if any(c < 0 for c in counts):
            raise RuntimeError("repeats can not be negative")
        # one broadcast slice per element, joined in order
        pieces = [_repeat_slice(input, dim, i, c) for i, c in enumerate(counts) if c]
        return cat(pieces, dim) if pieces else input.narrow(dim, 0, 0).clone()
    count = int(repeats.item()) if isinstance(repeats, Tensor) else int(repeats)
    if count < 0:
        raise RuntimeError("Repeats must be non-negative" if not isinstance(repeats, Tensor)
                           else "repeats can not be negative")
    if count == 1:
        return input.clone()
    shape = tuple(input.shape)
    wide = input.unsqueeze(dim + 1).expand(shape[:dim + 1] + (count,) + shape[dim + 1:])
    # copied first, as torch's: a reshape alone is a stride-0 view where the repeated dim has one element
    return wide.contiguous().reshape(shape[:dim] + (size * count,) + shape[dim + 1:])


def _repeat_on_meta(input, repeats, dim, size, output_size):
    """Counts with no values: the result's length along ``dim`` is ``output_size`` or unknown (torch's
    refusal), once the counts' length is checked as on any device."""
    if repeats.numel() != 1 and repeats.shape[0] != size:
        raise RuntimeError("repeats must have the same size as input along dim, but got "
                           f"repeats.size(0) = {repeats.shape[0]} and input.size({dim}) = {size}")
    if output_size is None:
        raise RuntimeError("cannot repeat_interleave a meta tensor without output_size")
    shape = list(input.shape) or [1]
    shape[dim] = output_size
    return full(tuple(shape), 0, dtype=input.dtype, device=repeats.device)


def _index_dtype(repeats):
    """torch's repeat_interleave kernel takes int32 and int64 repeats only (its output: their dtype)."""
    if repeats.dtype not in (dt.int32, dt.int64):
        raise NotImplementedError("\"repeat_interleave_cpu\" not implemented for "
                                  f"'{dt.scalar_name(repeats.dtype)}'")


def _repeat_slice(input, dim, index, count):
    piece = input.narrow(dim, index, 1)
    return piece.expand(tuple(count if d == dim else n for d, n in enumerate(piece.shape)))


def _triangle(name, input, keep):
    if input.dim() < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    rows, cols = input.shape[-2:]
    offset = arange(cols, device=input.device) - arange(rows, device=input.device).unsqueeze(1)
    return where(keep(offset), input, full((), 0, dtype=input.dtype, device=input.device))


@composite(samples=samples.triu_tril, grad_fn="TrilBackward0")
@lays_out(contiguous_result)
def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """Zero the elements above the ``diagonal``-th diagonal of the last two dims, as ``torch.tril``."""
    return _triangle("tril", input, lambda offset: offset <= diagonal)


@composite(samples=samples.triu_tril, grad_fn="TriuBackward0")
@lays_out(contiguous_result)
def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """Zero the elements below the ``diagonal``-th diagonal of the last two dims, as ``torch.triu``."""
    return _triangle("triu", input, lambda offset: offset >= diagonal)


@composite(samples=samples.rot90, grad_fn="Rot90Backward0")
def rot90(input: Tensor, k: int = 1, dims=(0, 1)) -> Tensor:
    """Rotate by 90 degrees ``k`` times in the plane of ``dims``, as ``torch.rot90``."""
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    n = input.dim()
    if n < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {n}")
    d0, d1 = list_dims(dims, n)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = "
                           f"{dims[1]}")
    k %= 4
    if k == 1:
        return flip(input, (d1,)).transpose(d0, d1)
    if k == 2:
        return flip(input, (d0, d1))
    if k == 3:
        return flip(input, (d0,)).transpose(d0, d1)
    from ... import contiguous_format
    return input.clone(memory_format=contiguous_format)  # torch's copy, whatever the input's layout


def _check_padded_sizes(input: Tensor, amounts) -> None:
    """torch's sizes of a constant pad's result (its int64 sums wrap: a pad near 2**63 makes one negative),
    each checked, then the whole result's bytes (check_storage)."""
    shape = list(input.shape)
    for d, left, right in amounts:
        left, right = operator.index(left), operator.index(right)  # (a 0-d integer tensor is an amount)
        n = wrap_int(input.shape[d] + left + right)
        if n < 0:
            raise RuntimeError(f"The input size {input.shape[d]}, plus negative padding {left} and {right} "
                               "resulted in a negative output size, which is invalid. Check dimension "
                               f"{d} of your input.")
        shape[d] = n
    check_storage(shape, input.dtype)


def pad_value(value, dtype):
    """``value`` as torch's F.pad converts it for its constant mode, with c10's overflow check: an unsigned
    type takes no negative (a fill wraps uint8's -1, a pad refuses it), float8_e8m0fnu nothing under its
    least power of two (its default 0 included)."""
    if type(value) is int and not -(1 << 53) <= value <= 1 << 53:
        value = float(value)  # (torch reads it as a double: an int past int64 too)
    if isinstance(value, (bool, complex)) or dtype is dt.bool_ or dtype.is_complex:
        return value
    if not dtype.is_floating_point:
        # (compared as doubles: int64's 2**63 - 1 is 2**63, which passes, and its cast wraps)
        bad = not float(dt.iinfo(dtype).min) <= value <= float(dt.iinfo(dtype).max)
        if value == 2.0 ** 63:
            value = -(1 << 63)
    elif dtype is dt.float8_e8m0fnu:
        bad = value < dt.finfo(dtype).tiny or value > dt.finfo(dtype).max  # (inf is over; nan passes)
    else:
        bad = abs(value) > dt.finfo(dtype).max and abs(value) != float("inf")
    if bad:
        raise RuntimeError(f"value cannot be converted to type {dt.convert_name(dtype)} without overflow")
    return value


@records("ConstantPadNdBackward0")
def pad(input: Tensor, pad, mode: str = "constant", value=None) -> Tensor:
    """Pad (or, with negative amounts, crop) the last ``len(pad) // 2`` dims with ``value``, as
    ``torch.nn.functional.pad`` in its constant mode.

    Args:
        pad: (left, right) amounts for the last dim, then for the one before it, and so on.
    """
    if input.requires_grad:  # differentiated as torch's node: its gradient a fresh crop of the incoming one
        return Formula.apply(_padded, _pad_backward, input, pad, mode, value)
    return _padded(input, pad, mode, value)


def _pad_backward(g, input, pad, mode, value):
    """torch's constant_pad_nd_backward: the gradient padded by the negated amounts (a fresh tensor laid out
    as the incoming gradient, where the slices of a cat's gradient are strided views of the padded one)."""
    return _padded(g, [-p for p in pad], mode, None), None, None, None


_pad_backward.saves = ()  # (reads no input)


def _padded(input: Tensor, pad, mode: str = "constant", value=None) -> Tensor:
    if mode != "constant":
        raise ValueError(f"pad: only mode='constant' is available, got mode={mode!r}")
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) > 2 * input.dim():
        raise RuntimeError("Padding length should be less than or equal to two times the input dimension "
                           f"but got padding length {len(pad)} and input of dimension {input.dim()}")
    amounts = [(input.dim() - 1 - i, pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2)]
    out = input
    for d, left, right in amounts:  # crops first, as PyTorch narrows before it pads
        for start, amount in ((-left, left), (0, right)):
            if amount < 0:
                length = out.shape[d] + amount
                if length < 0:
                    refuse_symbolic("constant_pad_nd", pad)
                    raise RuntimeError("narrow(): length must be non-negative.")
                out = out.narrow(d, start, length)
    if max(pad, default=0) > 1 << 30:  # (only a huge amount can wrap or overflow: convs pad on every call)
        _check_padded_sizes(input, amounts)
    fill = 0 if value is None else value

    def block(d, n):
        shape = list(out.shape)
        shape[d] = n
        return [full(shape, fill, dtype=out.dtype, device=out.device)] if n > 0 else []
    for d, left, right in amounts:
        if left > 0 or right > 0:
            out = cat(block(d, left) + [out] + block(d, right), d)
    if out is input:
        return input.clone()
    if not any(left > 0 or right > 0 for _, left, right in amounts):  # a crop: torch's narrow, then clone
        return out.clone()
    return in_format(out, suggested(input))  # torch's fresh output in the format its input suggests

