"""Array-building and splitting functions NumPy users reach for (broadcast_tensors, tensor_split,
unravel_index, block_diag, kron, diff, vander, ...): views, cat and products of existing ops, so they run
on every device and autograd derives their gradients."""
from __future__ import annotations

import itertools
import operator
import os
from collections.abc import Sequence

from ... import dtypes as dt
from ...autograd.graph import also_saves
from ...shape import Size, broadcast_shapes as _broadcast, normalize_dim, wrap_int
from ...tensor import Tensor
from ..argcheck import must_be, typename
from ..creation import arange, check_storage, empty, ones, tensor, zeros
from ..primitives.elementwise import logical_xor
from ..primitives.reductions import cumprod
from ..primitives.shaping import cat
from ..registry import composite
from ..samples import T, s
from ..views import slice_dim, unsafe_view
from .functions import diag
from .shaping import stack, vstack

__all__ = ["broadcast_shapes", "broadcast_tensors", "tensor_split", "hsplit", "vsplit", "dsplit",
           "unravel_index", "tril_indices", "triu_indices", "block_diag", "cartesian_prod", "combinations",
           "kron", "diff", "vander", "diagflat", "row_stack", "adjoint", "ravel"]
METHODS = "tensor_split hsplit vsplit dsplit kron diff diagflat ravel"
INPLACE = ""


def _tensors(tensors):
    """torch's check of a TensorList argument, element by element."""
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {typename(t)}")
    return tensors


# -- broadcasting -------------------------------------------------------------------------------
def broadcast_shapes(*shapes) -> Size:
    """The shape tensors of ``shapes`` broadcast to (an int is a 1-D shape), as ``torch.broadcast_shapes``:
    in its order (each shape from its last dim, against the common shape built so far), so its error names the
    dim and shape it stops at."""
    shapes = [(s_,) if isinstance(s_, int) else s_ for s_ in shapes if s_ is not None]
    for s_ in shapes:
        if not isinstance(s_, Sequence):
            raise RuntimeError(f"Input shapes should be of type ints, a tuple of ints, or a list of ints, got {s_}")
    out = [1] * max((len(s_) for s_ in shapes), default=0)
    for k, s_ in enumerate(shapes):
        for i in range(-1, -len(s_) - 1, -1):
            n = s_[i]
            if n == out[i]:
                continue
            if out[i] == 1:
                if n < 0:
                    raise ValueError("Attempting to broadcast a dimension with negative length!")
                out[i] = n
            elif n != 1:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {n} at {i}! Mismatching "
                                   f"argument at index {k} had {s_}; but expected shape should be broadcastable "
                                   f"to {out}")
    return Size(out)


@composite(samples=lambda: [
    s(T((3, 1)), T((1, 4))), s(T((4,)), T((2, 3, 4)), T(())), s(T((2, 3))), s(T((2, 3)), T((4,))),
    s(T((0, 1)), T((3,))), s(T((4, 5), layout="transposed"), T((5,), "int64"))])
def broadcast_tensors(*tensors):
    """Views of ``tensors`` expanded to their common broadcast shape, as ``torch.broadcast_tensors``.

    Raises RuntimeError with PyTorch's "The size of tensor a ... must match" text on a mismatch, and
    TypeError for a list of tensors given as one argument, as torch."""
    shape = _broadcast(*(t.shape for t in _tensors(tensors)))
    return tuple(t if t.shape == shape else t.expand(shape) for t in tensors)


# -- splitting ----------------------------------------------------------------------------------
def _split_points(input, indices_or_sections, d):
    """The (start, stop) slices of ``tensor_split``: n sections (the first size % n one longer) or the
    pieces between the indices."""
    size = input.shape[d]
    if isinstance(indices_or_sections, Tensor):
        if indices_or_sections.dtype is not dt.int64:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype of long, "
                               f"but got {dt.scalar_name(indices_or_sections.dtype)}")
        if indices_or_sections.dim() > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a zero-dimensional "
                               f"or one-dimensional tensor, but got a tensor with "
                               f"{indices_or_sections.dim()} dims")
        indices_or_sections = indices_or_sections.tolist()
    if isinstance(indices_or_sections, int):
        n = indices_or_sections
        if n <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {n}")
        _refuse_more_views_than_memory(n)
        lengths = [size // n + (i < size % n) for i in range(n)]
        starts = list(itertools.accumulate([0] + lengths[:-1]))
        return [(a, a + m) for a, m in zip(starts, lengths)]
    bounds = [0, *indices_or_sections, size]  # (the last piece ends at the size: torch's slice keeps that end)
    return list(zip(bounds[:-1], bounds[1:]))


# the least memory one view takes in torch (its TensorImpl, its Python object, its slot in the result)
_VIEW_BYTES = 256


def _refuse_more_views_than_memory(n: int) -> None:
    """torch builds ``n`` views of one tensor in a vector of n Tensors: more than the machine holds is its
    allocator's refusal at once, where pyfront's tuple of them took minutes before its MemoryError
    (torch.tensor_split(x, 2**31))."""
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # (no such query: the browser's)
        return
    if n * _VIEW_BYTES > memory:
        raise RuntimeError("std::bad_alloc")


def _split_samples():
    return [s(T((7, 3)), 3), s(T((6,)), [1, 4]), s(T((2, 5)), 2, 1), s(T((2, 5)), (1, -1, 9), -1),
            s(T((4, 5), layout="transposed"), 4, 0), s(T((0, 3)), 2), s(T((5,), "int64"), [3, 1]),
            s(T((4,)), 0), s(T(()), 2)]


@composite(samples=_split_samples)
def tensor_split(input, indices_or_sections=None, dim=0, *, sections=None, indices=None,
                 tensor_indices_or_sections=None):
    """Views of ``input`` split along ``dim`` into n near-equal sections (an int) or at the given indices
    (a sequence or a 1-D int64 tensor), as ``torch.tensor_split``.

    Raises RuntimeError for a 0-d input, a section count below 1 or a non-int64 index tensor."""
    indices_or_sections = _sections(indices_or_sections, sections, indices, tensor_indices_or_sections)
    if input.dim() == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 "
                           "dims")
    d = normalize_dim(dim, input.dim())
    # (torch's slices, each its node, a whole dim's too: not indexing's, which skips those)
    return tuple(slice_dim(input, d, a, b) for a, b in _split_points(input, indices_or_sections, d))


def _sections(indices_or_sections, sections=None, indices=None, tensor=None):
    """The split points given by position or by one of torch's keywords (sections=, indices=, and
    tensor_split's tensor_indices_or_sections=): each names one of its overloads."""
    for given in (sections, indices, tensor):
        if given is not None:
            return given
    return indices_or_sections


def _dim_split(name, dim, min_dim, input, indices_or_sections):
    if input.dim() < min_dim:
        raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dim} dimension, but got a "
                           f"tensor with {input.dim()} dimensions!")
    if isinstance(indices_or_sections, int) and input.shape[dim] % indices_or_sections:
        raise RuntimeError(f"torch.{name} attempted to split along dimension {dim}, but the size of the "
                           f"dimension {input.shape[dim]} is not divisible by the split_size "
                           f"{indices_or_sections}!")
    return tensor_split(input, indices_or_sections, dim)


def hsplit(input, indices_or_sections=None, *, sections=None, indices=None):
    """``tensor_split`` along dim 1 (dim 0 of a 1-D tensor), into equal sections, as ``torch.hsplit``."""
    return _dim_split("hsplit", 1 if input.dim() > 1 else 0, 1, input,
                      _sections(indices_or_sections, sections, indices))


def vsplit(input, indices_or_sections=None, *, sections=None, indices=None):
    """``tensor_split`` along dim 0 of a tensor of 2 or more dims, as ``torch.vsplit``."""
    return _dim_split("vsplit", 0, 2, input, _sections(indices_or_sections, sections, indices))


def dsplit(input, indices_or_sections=None, *, sections=None, indices=None):
    """``tensor_split`` along dim 2 of a tensor of 3 or more dims, as ``torch.dsplit``."""
    return _dim_split("dsplit", 2, 3, input, _sections(indices_or_sections, sections, indices))


# -- index arithmetic ---------------------------------------------------------------------------
def unravel_index(indices, shape):
    """The coordinates in a tensor of ``shape`` of flat ``indices`` (one tensor per dim), as
    ``torch.unravel_index``; like torch, an index past the end wraps around."""
    if not isinstance(indices, Tensor):
        indices = tensor(indices)
    if indices.dtype.is_floating_point or indices.dtype is dt.bool_:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if any(n < 0 for n in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {shape}")
    dt.promote_types(indices.dtype, dt.int64)  # torch divides int64 sizes into them (the shell dtypes' error)
    indices = indices.long()
    out, stride = [], 1
    for n in reversed(shape):
        out.append((indices // stride) % n)
        stride *= n
    return tuple(reversed(out))


def _triangle_indices(name, row, col, offset, lower, dtype, device):
    dtype = dt.int64 if dtype is None else dtype
    if dtype.is_floating_point or dtype is dt.bool_:
        raise NotImplementedError(f'"{name}" not implemented for \'{dt.scalar_name(dtype)}\'')
    row, col, offset = (operator.index(v) for v in (row, col, offset))  # (0-d integer tensors too)
    for what, n in (("row", row), ("col", col)):
        if n < 0:
            raise RuntimeError(f"{what} must be non-negative, got{n}")  # torch's text, without a space
    # torch counts the result first, checks and allocates it, then fills it: a matrix of 2**31 rows is its
    # refusal at once, where a loop over the matrix's elements took minutes
    if lower:
        n = _tril_size(row, col, offset)
    else:
        n = wrap_int(wrap_int(row * col) - _tril_size(row, col, offset - 1))
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [2, {n}]")
    check_storage((2, n), dtype)
    out = empty((2, n), dtype=dtype, device=device)
    if n == 0:
        return out
    # the rows holding elements (one or more each) and, in each, the first column and the count
    if lower:
        offset = min(offset, col)
        rows = arange(max(0, -offset), row, device=device)
        first = rows * 0
        counts = (rows + (offset + 1)).clamp(max=col)
    else:
        offset = max(offset, -row)
        rows = arange(0, min(row, col - offset), device=device)
        first = (rows + offset).clamp(min=0)
        counts = col - first
    ends = counts.cumsum(0)
    out[0] = rows.repeat_interleave(counts)
    out[1] = arange(n, device=device) - (ends - counts - first).repeat_interleave(counts)
    return out


def _tril_size(row: int, col: int, offset: int) -> int:
    """The number of elements of a ``row`` x ``col`` matrix's lower triangle to the ``offset``-th diagonal:
    torch's get_tril_size, a trapezoid then a rectangle."""
    if row == 0 or col == 0:
        return 0
    first_row = min(col, 1 + offset) if offset > 0 else int(row + offset > 0)
    last_row = max(0, min(col, row + offset))
    all_rows = max(0, min(row, row + offset))
    trapezoid_rows = last_row - first_row + 1
    size = wrap_int((first_row + last_row) * trapezoid_rows) >> 1  # (torch's int64 products wrap)
    if all_rows > trapezoid_rows:
        size = wrap_int(size + wrap_int((all_rows - trapezoid_rows) * col))
    return size


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The (row, column) coordinates of the lower triangle of a ``row`` x ``col`` matrix (a 2 x N tensor,
    row by row), ``offset`` diagonals above the main one included, as ``torch.tril_indices``."""
    return _triangle_indices("tril_indices", row, col, offset, True, dtype, device)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The (row, column) coordinates of the upper triangle of a ``row`` x ``col`` matrix, from the
    ``offset``-th diagonal up, as ``torch.triu_indices``."""
    return _triangle_indices("triu_indices", row, col, offset, False, dtype, device)


# -- building -----------------------------------------------------------------------------------
@composite(samples=lambda: [
    s(T((2, 3)), T((1, 2))), s(T((2,)), T(()), T((3, 1))), s(T((2, 2)), T((2, 2), "int64")), s(T((2, 3))),
    s(T((0, 2)), T((2, 0))), s(T((4, 5), layout="transposed"), T((1,))), s(T((2, 2, 2)))],
           grad_fn="BlockDiagBackward0")
def block_diag(*tensors):
    """A matrix with ``tensors`` (0-d, 1-D as a row, or 2-D) on its diagonal, zero elsewhere, as
    ``torch.block_diag``; the dtype is the promoted one. Raises RuntimeError for more than 2 dims."""
    mats = []
    for i, t in enumerate(_tensors(tensors)):
        if t.dim() > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} "
                               f"has {t.dim()} dimensions")
        mats.append(t.reshape(1, -1) if t.dim() < 2 else t)
    dtype = dt.result_type(*tensors) if tensors else None  # (a 0-d one counts as in torch's result_type)
    device = mats[0].device if mats else None
    width = sum(m.shape[1] for m in mats)
    rows, left = [], 0
    for m in mats:
        r, c = m.shape
        rows.append(cat([zeros(r, left, dtype=dtype, device=device), m.to(dtype),
                         zeros(r, width - left - c, dtype=dtype, device=device)], 1))
        left += c
    return cat(rows, 0) if rows else zeros(1, 0, device=device)  # (none: torch's one empty row)


def _vector(name, t):
    if t.dim() != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    return t


@composite(samples=lambda: [
    s(T((3,)), T((2,))), s(T((3,))), s(T((2,)), T((0,)), T((2,))), s(T((3,)), T((2,)), T((2,))),
    s(T((2, 2))), s(T((3,), "int64"), T((2,), "int64"))])
def cartesian_prod(*tensors):
    """Every tuple of one element from each 1-D tensor, as rows (lexicographic order), as
    ``torch.cartesian_prod``; one tensor is returned as it is."""
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")  # (torch's composite's)
    for t in _tensors(tensors):
        _vector("cartesian_prod", t)
    if any(t.dtype != tensors[0].dtype for t in tensors):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")  # torch's composite's check
    if len(tensors) == 1:
        return tensors[0]
    shape = tuple(t.shape[0] for t in tensors)
    grids = [t.reshape([-1 if k == i else 1 for k in range(len(tensors))]).expand(shape)
             for i, t in enumerate(tensors)]
    return stack([g.reshape(-1) for g in grids], 1)


@composite(samples=lambda: [
    s(T((4,))), s(T((4,)), 3), s(T((3,)), 2, True), s(T((5,)), 1), s(T((2,)), 3), s(T((0,))),
    s(T((4,), "int64"), 2, True), s(T((2, 2)))])
def combinations(input, r=2, with_replacement=False):
    """The length-``r`` combinations of the elements of a 1-D tensor, as rows, in
    ``itertools.combinations`` order (``with_replacement``: ``combinations_with_replacement``), as
    ``torch.combinations``."""
    _vector("combinations", input)
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return input.new_empty((0,)).detach()
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    idx = list(pick(range(input.shape[0]), r))
    out = stack([input[tensor([c[k] for c in idx], dtype=dt.int64, device=input.device)] for k in range(r)],
                1)
    if out.grad_fn is not None:
        # torch's takes each column by masked_select from a meshgrid of input, whose nodes keep those views
        n = input.shape[0]
        also_saves(out, *((None, input.view([n if j == k else 1 for j in range(r)]).expand([n] * r))
                          for k in range(r)))
    return out


@composite(samples=lambda: [
    s(T((2, 3)), T((3, 2))), s(T((3,)), T((2,))), s(T((2,)), T((2, 3, 2))), s(T(()), T((2,))),
    s(T((2, 2)), T((2,), "int64")), s(T((0, 2)), T((2,)))], grad_fn="UnsafeViewBackward0")
def kron(input, other):
    """The Kronecker product: block (i, j, ...) is ``input[i, j, ...] * other``, as ``torch.kron``."""
    n = max(input.dim(), other.dim())
    a_shape = (1,) * (n - input.dim()) + tuple(input.shape)
    b_shape = (1,) * (n - other.dim()) + tuple(other.shape)
    # no views for autograd, as torch's: a write into input or other later fails no backward of this product
    a = unsafe_view(input, [x for d in a_shape for x in (d, 1)])
    b = unsafe_view(other, [x for d in b_shape for x in (1, d)])
    return (a * b).reshape([p * q for p, q in zip(a_shape, b_shape)])


@composite(samples=lambda: [
    s(T((5,))), s(T((3, 5)), 2), s(T((3, 4)), 1, 0), s(T((3, 4)), 1, -1, T((3, 1)), T((3, 2))),
    s(T((4,)), 0), s(T((4,)), 6), s(T((4, 5), layout="transposed"), 1, 1), s(T((5,), "int64")),
    s(T((5,), "bool")), s(T(())), s(T((3,)), -1), s(T((0, 3)), 1, 0)])
def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The ``n``-th forward difference along ``dim`` (``prepend``/``append`` joined on first), as
    ``torch.diff``; bool tensors differ by xor. Raises RuntimeError for a 0-d input or a negative ``n``."""
    if input.dim() == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    if any(t is not None and t.dim() != input.dim() for t in (prepend, append)):
        raise RuntimeError("diff expects prepend or append to be the same dimension as input")
    d = normalize_dim(dim, input.dim())
    if n == 0:  # torch's copy of the input
        return input.new_empty(input.shape).detach().copy_(input)
    parts = [t for t in (prepend, input, append) if t is not None]
    x = cat(parts, d) if len(parts) > 1 else input
    for _ in range(n):
        m = x.shape[d]
        if m == 0:
            break
        later, earlier = x.narrow(d, 1, m - 1), x.narrow(d, 0, m - 1)
        x = logical_xor(later, earlier) if x.dtype is dt.bool_ else later - earlier
    return x


@composite(samples=lambda: [
    s(T((4,))), s(T((3,)), 5), s(T((3,)), 2, True), s(T((3,)), 0), s(T((3,)), 1), s(T((0,))),
    s(T((4,), "int64", low=-3, high=4)), s(T((2, 2)))],
           # torch's own vander backward fails (its cumprod reads a slice it wrote to): test_funcs_s18.py
           grad=False,
           grad_fn=lambda x, N=None, increasing=False: "CopySlices" if increasing else None)
def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of a 1-D ``x``: columns ``x**(N-1) .. x**0`` (``increasing``: the other
    way), as ``torch.vander``; integers are computed in int64, as torch."""
    if not isinstance(x, Tensor):
        raise must_be("vander", "x", "Tensor", x, 1)
    if x.dim() != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    N = x.shape[0] if N is None else N
    if N < 0:
        raise RuntimeError("N must be non-negative.")
    dt.promote_types(x.dtype, dt.int64)  # torch's powers: of x promoted with int64 (shell dtypes refuse)
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        x = x.to(dt.int64)
    columns = [ones(x.shape[0], 1, dtype=x.dtype, device=x.device)][:N]
    if N > 1:
        columns.append(cumprod(x.unsqueeze(1).expand(x.shape[0], N - 1), 1))
    out = cat(columns, 1) if columns else x.new_empty((x.shape[0], 0))
    return out if increasing else out.flip(1)


@composite(samples=lambda: [
    s(T((3,))), s(T((2, 2)), 1), s(T(())), s(T((3,)), -2), s(T((4, 5), layout="transposed")),
    s(T((0,))), s(T((3,), "int64"), 1)])
def diagflat(input, offset=0):
    """A square matrix with the flattened ``input`` on its ``offset``-th diagonal, as ``torch.diagflat``."""
    return diag(input.reshape(-1), offset)


def row_stack(tensors) -> Tensor:
    """Alias of ``vstack``, as ``torch.row_stack``."""
    return vstack(tensors)


def adjoint(input):
    """The conjugate transpose of the last two dims (a view of a real tensor; pyfront's conjugate is a copy),
    as ``torch.adjoint``."""
    return input.adjoint()


@composite(samples=lambda: [s(T((3, 4))), s(T(())), s(T((4, 5), layout="transposed")), s(T((0, 2))),
                            s(T((2, 3, 4), "int64"))])
def ravel(input):
    """``input`` flattened to 1-D (a view where the layout allows, else a copy), as ``torch.ravel``."""
    return input.contiguous().view(-1)
