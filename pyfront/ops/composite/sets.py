"""Sets, counts and sorted search built from sort, compare, cumsum, nonzero and scatter.

unique, unique_consecutive and bincount have output shapes that depend on the data, so on webgpu
they read back one count (the size), as PyTorch does on CUDA; the values never leave the device.
"""
from __future__ import annotations

import builtins
import math

from ... import dtypes as dt
from ...backends import host_rules
from ...autograd.function import no_derivative
from ...shape import normalize_dim, reads_as_int
from ...tensor import Tensor
from ..argcheck import bool_flags, must_be
from ..common import check_fits
from ..creation import arange, check_storage, tensor as _tensor, zeros
from ..primitives import reductions as red
from ..primitives.elementwise import where
from ..dispatch import apply
from ..primitives.indexing import SEARCHED, nonzero
from ..primitives.shaping import cat
from ..on_meta import refuse_on_meta
from ..registry import composite, node_name
from ..samples import T, s

__all__ = ["unique", "unique_consecutive", "bincount", "histc", "searchsorted", "bucketize"]
METHODS = "unique unique_consecutive bincount histc"
INPLACE = ""


def _groups(rows, perm, name, input, return_inverse, return_counts, dim):
    """unique's results from ``rows`` (n, m) already in order (``perm``: their original positions,
    or None when in place): a new group starts where a row differs from the one before."""
    n = rows.shape[0]
    starts_flag = cat([_tensor([True], device=rows.device),
                       (rows[1:] != rows[:-1]).any(1) if n else rows.new_zeros((0,), dtype=dt.bool_)])
    starts = nonzero(starts_flag[:n]).reshape(-1)  # one read-back: the number of groups
    values = _values(input, dim, perm, starts)
    if input.requires_grad:
        values = no_derivative(values, f"the derivative for '{name}' is not implemented.", input,
                               error=NotImplementedError, grad_fn=node_name(name))
    out = [values]
    if return_inverse:
        group = starts_flag[:n].to(dt.int64).cumsum(0) - 1
        if perm is not None:
            group = zeros(n, dtype=dt.int64, device=rows.device).scatter(0, perm, group)
        out.append(group.reshape(input.shape if dim is None else (n,)))
    if return_counts:
        ends = cat([starts[1:], _tensor([n], device=rows.device)])
        out.append(ends - starts)
    return out[0] if len(out) == 1 else tuple(out)


def _values(input, dim, perm, starts):
    if dim is None:
        flat = input.reshape(-1)
        return (flat if perm is None else flat.index_select(0, perm)).index_select(0, starts)
    picked = starts if perm is None else perm.index_select(0, starts)
    # taken along dim moved outermost and moved back, as torch's unique_dim (its result keeps that order)
    return input.movedim(dim, 0).index_select(0, picked).movedim(0, dim)


def _rows(input, dim):
    """``input`` as rows to compare: its elements (dim None), or its slices along ``dim``."""
    if dim is None:
        return input.reshape(-1, 1)
    if input.numel() == 0 and input.shape[dim] != 0:
        raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so unique cannot be "
                           "applied")
    n = input.shape[dim]
    return input.movedim(dim, 0).reshape(n, input.numel() // n if n else 0)


def _lexsort(rows):
    """The stable order of ``rows`` compared column by column (the first column decides first)."""
    # (complex: the argsort's refusal below; the page's cpu, no NumPy: the sorts below)
    if host_rules(rows._storage.device) and not rows.dtype.is_complex:
        return apply(red.lexsort_op, rows)  # one kernel, not a sort per column
    n, m = rows.shape
    perm = arange(n, device=rows.device)
    for k in range(m - 1, -1, -1):  # a stable sort by each later column first
        perm = perm.index_select(0, red.argsort(rows[:, k].index_select(0, perm), 0, False, stable=True))
    return perm


def _check_dim(input, dim, binding: str, position: int | None):
    """``dim`` normalised; one torch's parser refuses gets its TypeError, under the name of the binding
    torch's Python hands it to (unique's torch.unique_dim, by position; unique_consecutive's, by keyword)."""
    if dim is None:
        return None
    if not reads_as_int(dim):
        raise must_be(binding, "dim", "int", dim, position)
    if input.dim() == 0:  # (torch's kernels read the size at dim: no 0-d input read as one element)
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    return normalize_dim(dim, input.dim())


def _unique_samples():
    return [s(T((12,), "int64", low=0, high=5)), s(T((3, 4), "int64", low=0, high=3), return_inverse=True),
            s(T((3, 4), "int64", low=0, high=3), return_inverse=True, return_counts=True),
            s(T((8,)), return_counts=True), s(T(())), s(T((0,)), return_inverse=True, return_counts=True),
            s(T((4, 5), "int64", low=0, high=3, layout="transposed"), sorted=False, return_inverse=True),
            s(T((6, 2), "int64", low=0, high=2), dim=0, return_inverse=True, return_counts=True),
            s(T((2, 6), "int64", low=0, high=2), dim=-1, return_counts=True),
            s(T((3, 2), "bool"), return_inverse=True), s(T((3, 2)), dim=2),
            s(T((0, 3)), dim=0, return_inverse=True, return_counts=True), s(T((2, 0)), dim=0)]


def _flags_then_dim(input, dim, name, position, **flags):
    """unique's and unique_consecutive's ``dim`` normalised, after torch's parser's checks in its order: the
    dim's type (unique_dim's comes first in its signature; unique_consecutive's last), then the flags' (a
    bool each), then the dim's range."""
    if name == "unique_consecutive":
        bool_flags(name, **flags)
    try:
        checked = _check_dim(input, dim, "unique_dim" if name == "_unique2" else name, position)
    except IndexError:
        bool_flags(name, **flags)
        _no_complex(input, dim, name)
        raise
    bool_flags(name, **flags)
    _no_complex(input, dim, name)
    return checked


def _no_complex(input, dim, name):
    """torch's kernels of unique and unique_consecutive have no complex numbers: refused before the dim's
    range, named for the kernel the dim picks (unique_consecutive's dim=0 of a 1-d input: the one without)."""
    if input.dtype.is_complex:
        whole = dim is None or name == "unique_consecutive" and dim == 0 and input.dim() == 1
        kernel = "unique" if whole else "unique_dim"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt.scalar_name(input.dtype)}'")


@composite(grad=False, samples=_unique_samples)
def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct elements (or slices along ``dim``) of ``input``, sorted, as ``torch.unique``.

    With ``return_inverse``, also where each element went; with ``return_counts``, how often each
    distinct element occurs. PyTorch sorts whatever ``sorted`` says; so does this. NaN is never
    equal to NaN, so each NaN is its own element.
    """
    name = "_unique2" if dim is None else "unique_dim"
    dim = _flags_then_dim(input, dim, name, 2, sorted=sorted, return_inverse=return_inverse,
                          return_counts=return_counts)
    refuse_on_meta("aten::" + name, input)
    rows = _rows(input, dim)
    perm = red.argsort(rows[:, 0], 0, False, stable=True) if dim is None else _lexsort(rows)
    return _groups(rows.index_select(0, perm), perm, name, input, return_inverse, return_counts, dim)


@composite(grad=False, samples=lambda: [
    s(T((12,), "int64", low=0, high=3)), s(T((3, 4), "int64", low=0, high=2), return_inverse=True),
    s(T((8,), "int64", low=0, high=2), return_inverse=True, return_counts=True), s(T(())),
    s(T((0,)), return_counts=True), s(T((6, 2), "int64", low=0, high=2), dim=0, return_inverse=True),
    s(T((4, 5), "int64", low=0, high=2, layout="transposed"), return_counts=True), s(T((6,))),
    s(T((6, 2), "bool"), dim=1, return_counts=True)])
def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """``input`` with each run of equal consecutive elements (or slices along ``dim``) kept once."""
    dim = _flags_then_dim(input, dim, "unique_consecutive", None, return_inverse=return_inverse,
                          return_counts=return_counts)
    refuse_on_meta("aten::unique_consecutive", input)
    return _groups(_rows(input, dim), None, "unique_consecutive", input, return_inverse, return_counts, dim)


@composite(samples=lambda: [
    s(T((10,), "int64", low=0, high=6)), s(T((10,), "int64", low=0, high=4), minlength=7),
    s(T((6,), "int64", low=0, high=4), T((6,))), s(T((0,), "int64")), s(T((0,), "int64"), minlength=3),
    s(T((5,), "int32", low=0, high=3), T((5,), "int64")),
    s(T((4,), "int64", low=0, high=3), T((4,), "float64")),
    s(T((4,), "int64", low=-2, high=0)), s(T((2, 2), "int64", low=0, high=3)), s(T((4,))),
    s(T((4,), "int64", low=0, high=3), minlength=-1), s(T((4,), "int64", low=0, high=3), T((3,))),
    s(T((5,), "uint8", low=0, high=9), weights=T((5,)))])
def bincount(input, weights=None, minlength=0):
    """How often each value 0..max(input) occurs in the non-negative integers ``input``, or the sum
    of their ``weights``; at least ``minlength`` bins. As ``torch.bincount``."""
    refuse_on_meta("aten::bincount", input, weights)
    if input.dtype.is_floating_point or input.dtype is dt.bool_:
        raise NotImplementedError(f"\"bincount_cpu\" not implemented for '{dt.scalar_name(input.dtype)}'")
    if input.dim() != 1:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if weights is not None and (weights.dim() != 1 or weights.shape[0] != input.shape[0]):
        raise RuntimeError("weights should be 1-d and have the same length as input")
    n = input.shape[0]
    top = int(input.amax().item()) if n else -1  # the read-back that sizes the result
    if n and int(input.amin().item()) < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    size = builtins.max(top + 1, minlength)
    index = input.to(dt.int64)
    if weights is None:
        return zeros(size, dtype=dt.int64, device=input.device).index_add(0, index, index * 0 + 1)
    dtype = weights.dtype if weights.dtype in (dt.float32, dt.float64) else dt.float64
    out = zeros(size, dtype=dtype, device=input.device).index_add(0, index, weights.detach().to(dtype))
    if weights.requires_grad:
        return no_derivative(out, "derivative for aten::bincount is not implemented", weights)
    return out


def _fmt(v: float) -> str:
    """A double as PyTorch's messages print it (C++ stream style: 1, 2.5, inf, nan)."""
    if math.isnan(v):  # by its sign, as C++ streams print it
        return "-nan" if math.copysign(1.0, v) < 0 else "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:g}"


@composite(samples=lambda: [
    s(T((20,))), s(T((4, 5)), 5), s(T((10,)), 4, -1.0, 1.0), s(T((10,)), bins=3, min=0, max=0),
    s(T((0,))), s(T((5,)), 0), s(T((5,)), 4, 2.0, 1.0), s(T((6,), "int64")),
    s(T((3, 4), layout="transposed"), 6),
    s(T(()), 3), s(T((6,), "float64"), 5, -2.0, 2.0), s(T((8,), low=0.0, high=1.0), 4, 0.0, 1.0)])
def histc(input, bins=100, min=0, max=0):
    """A histogram of ``input`` in ``bins`` equal bins over [``min``, ``max``] (the data's range when
    they are equal); elements outside are ignored, ``max`` falls in the last bin. As ``torch.histc``."""
    if input.is_meta:  # torch's meta kernel: its own words for its two checks, and no counting
        if bins <= 0:
            raise RuntimeError(f"histc(): bins must be > 0, but got {bins}")
        if min > max:
            raise RuntimeError("histc(): max must be larger than min")
        return zeros(bins, dtype=input.dtype, device=input.device)
    # torch's order: the bins, the range (the data's: complex numbers have none), then the bin edges (none
    # of bool) and the kernel's dtype
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    _edges_allocated(bins, input)
    if input.dtype.is_complex and min == max and input.numel():
        raise NotImplementedError(f"\"aminmax_cpu\" not implemented for '{dt.scalar_name(input.dtype)}'")
    lo, hi = float(min), float(max)
    if lo == hi and input.numel() and not input.is_meta:  # the data's range: a read-back of two numbers
        finite = input.detach()
        lo, hi = float(finite.amin().item()), float(finite.amax().item())
        # (torch's range of data with a NaN is computed in a way that gives the negative NaN)
        lo, hi = (v if v == v else -math.nan for v in (lo, hi))
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{_fmt(lo)}, {_fmt(hi)}] is not finite")
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if input.dtype is dt.bool_:  # torch fails building the bin edges of a bool histogram
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    if not input.dtype.is_floating_point:
        _integer_edges(lo, hi, input.dtype)
    check_fits(lo, input.dtype), check_fits(hi, input.dtype)  # (torch's bin edges are of the input's dtype)
    x = input.detach().reshape(-1)
    if hi - lo > dt.finfo(input.dtype).max:  # the width overflows the dtype: torch's bin edges are NaN,
        return zeros(bins, dtype=input.dtype, device=input.device)  # so it counts no element
    # torch's position, (x - min) * bins / (max - min) in the input's dtype; where the product overflows,
    # torch's cast of an infinite position to int64 puts the element in bin 0
    pos = (x - lo) * bins / (x.new_tensor(hi) - lo)
    inside = (x >= lo) & (x <= hi)
    # an element outside (NaN too) adds 0 to bin 0: a count plus 0 is the count, where selecting the ones
    # inside first takes two masked selects (a third of the op's time)
    pos = pos.masked_fill(pos.isinf() | ~inside, 0).floor().clamp(0, bins - 1).to(dt.int64)
    counts = zeros(bins, dtype=input.dtype, device=input.device)
    return counts.index_add(0, pos, inside.to(input.dtype))


def _edges_allocated(bins: int, input) -> None:
    """torch's histc makes its ``bins + 1`` bin edges (of the input's dtype) before anything else: their
    count and bytes checked, and 2**31 or more allocated, so that more than the machine holds is refused at
    once in the allocator's words."""
    if bins + 1 >= 2 ** 63:
        raise RuntimeError("numel: integer multiplication overflow")
    check_storage((bins + 1,), input.dtype)
    if bins + 1 >= 2 ** 31:
        input.new_empty(bins + 1)


def _integer_edges(lo: float, hi: float, dtype) -> None:
    """torch's refusals of an integer histogram (which it has no kernel for) after its range: one the +-1
    widening cannot widen in double precision (int64's ends), or bin edges outside the dtype."""
    if lo >= hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    info = dt.iinfo(dtype)  # (compared as doubles: int64's ends, rounded to 2 ** 63, fit)
    if not float(info.min) <= lo <= hi <= float(info.max):
        raise RuntimeError(f"value cannot be converted to type {dt.convert_name(dtype)} without overflow")
    raise NotImplementedError(f"\"histogram_cpu\" not implemented for '{dt.scalar_name(dtype)}'")


def _sorted(shape, dtype="float32", **kw):
    """Boundaries: sorted along the last dim (PyTorch's binary search is undefined otherwise)."""
    return T(shape, dtype, sort=True, **kw)


def _search_samples():
    return [s(_sorted((6,)), T((3, 4))), s(_sorted((5,)), T((7,)), right=True),
            s(_sorted((5,)), T((7,)), side="right"), s(_sorted((2, 5)), T((2, 3)), out_int32=True),
            s(_sorted((8,), "int64", low=0, high=3), T((4,), "int64", low=-1, high=4)),
            s(_sorted((8,), "int64", low=0, high=3), T((6,), "int64", low=-1, high=4), right=True),
            s(_sorted((5,)), 0.5), s(_sorted((0,)), T((3,))), s(_sorted((5,)), T((0,))),
            s(T((3,)), T((4,)), sorter=T((3,), "int64", sort=True, low=0, high=1)),
            s(_sorted((5,)), T((3,)), side="left", right=True), s(_sorted((5,)), T((3,)), side="mid"),
            s(_sorted((2, 5)), T((3, 3))), s(T(()), T((3,))),
            s(_sorted((5,)), T((3,)), sorter=T((4,), "int64", low=0, high=1)),
            s(_sorted((4, 5), layout="transposed"), T((5, 2)))]


def _refuse_complex_search(*operands):
    """torch's search kernel has no complex one (complex numbers have no order)."""
    for t in operands:
        if isinstance(t, Tensor) and t.dtype.is_complex:
            name = dt.scalar_name(t.dtype)
            raise NotImplementedError(f"\"searchsorted_out_cpu\" not implemented for '{name}'")


def _check_search(seq, values, side, right, sorter):
    _refuse_complex_search(seq, values)
    if side is not None and side not in ("left", "right"):
        raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
    if side is not None and (side == "right") != right and right:
        raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got side of "
                           f"{side} while right was {right}")
    if seq.dim() == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive dimension, but "
                           "got 0 dimension")
    if seq.dim() != 1 and (not isinstance(values, Tensor) or tuple(seq.shape[:-1]) != tuple(values.shape[:-1])
                           or seq.dim() != values.dim()):
        vshape = list(values.shape) if isinstance(values, Tensor) else []
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
                           "dimensions of boundaries tensor and input value tensor must match, but we got "
                           f"boundaries tensor {list(seq.shape)} and input value tensor {vshape}")
    if sorter is not None and sorter.dtype is not dt.int64:
        raise RuntimeError(f"torch.searchsorted(): sorter must be a tensor of long dtype but got dtype "
                           f"{dt.scalar_name(sorter.dtype)}")
    if sorter is not None and tuple(sorter.shape) != tuple(seq.shape):
        raise RuntimeError("torch.searchsorted(): boundary and sorter must have the same size, but got "
                           f"boundary tensor {list(seq.shape)}and got sorter tensor {list(sorter.shape)}")


def _search(seq, values, right, out_int32):
    """PyTorch's binary search for each of ``values`` in ``seq`` (sorted along its last dim), step by
    step on whole tensors: ceil(log2(n + 1)) rounds of gather and compare, with PyTorch's exact
    comparisons (``!(mid >= v)``, right: ``!(mid > v)``), so NaN and unsorted input act as there."""
    if seq.dtype is dt.bool_ and values.dtype is dt.bool_:  # both bool: no common kernel, as in torch
        raise NotImplementedError("\"searchsorted_out_cpu\" not implemented for 'Bool'")
    if seq.dtype is not values.dtype:  # torch searches in their common dtype: float8's promotion error
        dt.promote_types(seq.dtype, values.dtype)
    seq, values = seq.detach(), values.detach()
    # (another dtype: compared in the common one; the page's cpu, no NumPy: the search below)
    if host_rules(seq._storage.device) and seq.dtype is values.dtype:
        found = apply(SEARCHED, seq, values, right=bool(right))
        return found.to(dt.int32) if out_int32 else found
    n = seq.shape[-1]
    start = zeros(values.shape, dtype=dt.int64, device=seq.device)
    end = start + n
    flat = seq if seq.dim() == 1 else None
    for _ in range(n.bit_length()):
        mid = start + (end - start) // 2
        safe = mid.clamp(max=builtins.max(n - 1, 0))
        mid_val = flat.take(safe) if flat is not None else seq.gather(-1, safe)
        go_right = ~(mid_val > values) if right else ~(mid_val >= values)
        active = start < end
        start, end = where(active & go_right, mid + 1, start), where(active & ~go_right, mid, end)
    return start.to(dt.int32) if out_int32 else start


@composite(grad=False, samples=_search_samples)
def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None, sorter=None):
    """Where each of ``input`` would go in ``sorted_sequence`` (sorted along its last dim) to keep it
    sorted: the first such place, or the last with ``right`` (``side="right"``). As ``torch.searchsorted``."""
    _check_search(sorted_sequence, input, side, right, sorter)
    right = right or side == "right"
    if sorter is not None:
        sorted_sequence = sorted_sequence.gather(-1, sorter)
    if not isinstance(input, Tensor):
        return _search(sorted_sequence, _tensor(input, device=sorted_sequence.device), right, out_int32)
    return _search(sorted_sequence, input, right, out_int32)


@composite(grad=False, samples=lambda: [
    s(T((3, 4)), _sorted((5,))), s(T((7,)), _sorted((4,)), right=True),
    s(T((7,), "int64"), _sorted((4,), "int64"), out_int32=True), s(T(()), _sorted((4,))),
    s(T((3,)), _sorted((2, 4))), s(T((0,)), _sorted((3,)))])
def bucketize(input, boundaries, *, out_int32=False, right=False):
    """The bucket of each of ``input`` among the sorted ``boundaries``: i with boundaries[i-1] < x <=
    boundaries[i] (``right``: boundaries[i-1] <= x < boundaries[i]). As ``torch.bucketize``."""
    if boundaries.dim() != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.dim()})")
    _refuse_complex_search(boundaries, input)
    if not isinstance(input, Tensor):
        input = _tensor(input, device=boundaries.device)
    return _search(boundaries, input, right, out_int32)
