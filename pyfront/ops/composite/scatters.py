"""Functions and Tensor methods pyfront lacked, composed of its ops: the view scatters (diagonal_scatter,
select_scatter, slice_scatter: ``input`` with one view of it replaced by ``src``), ``addr``, ``put``, and
the split/copy spellings torch also has (narrow_copy, split_with_sizes, unsafe_chunk, unsafe_split,
unsafe_split_with_sizes). Each checks its arguments as PyTorch does, with PyTorch's texts."""
from __future__ import annotations

from ... import dtypes as dt
from ...dtypes import bool_
from ...shape import normalize_dim
from ...tensor import Tensor
from ..views import chunk, narrow, split
from ..primitives.elementwise import _check_alpha
from ..primitives.linalg import maybe_multiply
from ..common import Formula, scalars_first
from ..outarg import out_strides
from ..registry import records
from .linalg import product_saves

METHODS = ("diagonal_scatter select_scatter slice_scatter addr put narrow_copy split_with_sizes unsafe_chunk "
           "unsafe_split unsafe_split_with_sizes")
INPLACE = "addr put"
__all__ = METHODS.split()


def _scatter(input, src, view):
    """``input`` with ``view(input)`` replaced by ``src`` (of that view's shape), differentiable in both."""
    out = input.clone()
    target = view(out)
    if tuple(src.shape) != tuple(target.shape):
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = "
                           f"{list(src.shape)}, slice size = {list(target.shape)}")
    target.copy_(src)
    return out


def diagonal_scatter(input: Tensor, src: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """``input`` with its ``diagonal(offset, dim1, dim2)`` replaced by ``src``, as
    ``torch.diagonal_scatter``."""
    return _scatter(input, src, lambda t: t.diagonal(offset, dim1, dim2))


def select_scatter(input: Tensor, src: Tensor, dim: int, index: int) -> Tensor:
    """``input`` with ``select(dim, index)`` replaced by ``src``, as ``torch.select_scatter``."""
    return _scatter(input, src, lambda t: t.select(dim, index))


def slice_scatter(input: Tensor, src: Tensor, dim: int = 0, start=None, end=None, step: int = 1) -> Tensor:
    """``input`` with the slice ``start:end:step`` of ``dim`` replaced by ``src``, as
    ``torch.slice_scatter``."""
    index = [slice(None)] * input.dim()
    index[normalize_dim(dim, input.dim())] = slice(start, end, step)
    return _scatter(input, src, lambda t: t[tuple(index)])


@scalars_first("vec1", "vec2")
@records("AddrBackward0", saves=product_saves("vec1", "vec2"))
def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * outer(vec1, vec2)`` (``input`` ignored, NaN included, where beta is 0), as
    ``torch.addr``."""
    for name, v in (("vec1", vec1), ("vec2", vec2)):
        if v.dim() != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {v.dim()}-D")
    shape = (vec1.shape[0], vec2.shape[0])
    if tuple(input.shape) != shape:  # torch expands input to the product's shape first: its error
        input.expand(shape)
    dtype = dt.result_type(input, vec1, vec2)
    for name, v in (("beta", beta), ("alpha", alpha)):
        _check_alpha(v, dtype, name, complex_check=False)
    if dtype is bool_:  # the numbers read as bools: an and of the vectors' elements, an or with input
        alpha, beta = bool(alpha), bool(beta)
    vec1, vec2 = vec1.to(dtype), vec2.to(dtype)  # in the result's dtype (float32 vectors times 1e300: no inf)
    width = _vector_width(dtype) if input.device.type == "cpu" and input.dim() <= 2 else None
    if width and input.dtype is dtype:
        full = input.expand(shape)
        columns, width, order = _addr_loop(full, vec1, vec2, width, out_strides(shape))
        return Formula.apply(_addr_fused, _addr_backward, full, vec1, vec2, beta, alpha, width, columns,
                             order)
    if dtype is dt.float16:  # torch's Half kernel takes both numbers as float16s, and rounds every step
        alpha, beta = dt.round_float16(alpha), dt.round_float16(beta)
    # (alpha * vec1[i]) * vec2[j], in torch's order
    product = vec1.outer(vec2) if alpha == 1 else (vec1 * alpha).outer(vec2)
    # (input's term first: the result laid out as input, as torch's loop lays it; the sum is the same)
    if beta == 0:  # torch's kernel gives the product alone (a -0.0 kept), still in input's history
        return input.where(input.new_zeros((), dtype=bool_), product)  # (input's gradient: 0)
    return (input if beta == 1 else input * beta) + product


def _addr_loop(full, vec1, vec2, width, out=None):
    """How torch's TensorIterator runs addr over ``full`` (input expanded to the product's shape), vec1 as a
    column, vec2 as a row (and ``out``'s strides first, where it writes into one): (columns, width, order).
    ``order``: its dims innermost first, as it picks them from the operands' strides (the result is laid
    out so); its loop runs along the inner one (down the columns: ``columns``; a dim of one: the other);
    its vectorised steps of ``width`` need every operand contiguous along it but for at most one constant
    input (vec1 along a row, vec2 down a column): a constant input (a number, a column), a strided one or
    an expanded vector runs its scalar loop (width 0)."""
    from ...strides_order import order_of
    shape = (n, m) = full.shape
    rows, cols = (vec1.stride(0) if n > 1 else 0, 0), (0, vec2.stride(0) if m > 1 else 0)
    operands = [full.stride(), rows, cols]
    order = order_of(shape, ([out] if out is not None else []) + operands)
    inner = order[0] if n > 1 and m > 1 else 0 if m == 1 else 1  # (a dim of one: coalesced away)
    strides = [1 if out is None else out[inner]] + [st[inner] for st in operands]
    constants = sum(st == 0 for st in strides[1:])
    vectorised = strides[0] == 1 and constants <= 1 and all(st in (0, 1) for st in strides[1:])
    size = shape[inner]
    return inner == 0 and m > 1, width if vectorised and size > 1 else 0, order


def _vector_bytes():
    """The bytes of torch's CPU vectors where its kernels' bits are known here: x86 at torch's AVX2 or AVX512
    level (backends.cpu's answer, ATEN_CPU_CAPABILITY heeded as torch's dispatch heeds it), else None."""
    import platform
    from ...backends.cpu import get_cpu_capability
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return None
    return {"AVX512": 64, "AVX2": 32}.get(get_cpu_capability())


def _vector_width(dtype):
    """The elements of one of torch's CPU vectors of float32 or float64: its elementwise loops' steps (two
    vectors by hand, then one by the compiler's vectorising of the scalar loop, measured on addr)."""
    size = _vector_bytes()
    return size and dtype in (dt.float32, dt.float64) and size // dtype.itemsize


def _addr_fused(input, vec1, vec2, beta, alpha, width, columns=False, order=(1, 0)):
    """torch's addr kernel's numbers: its vectorised loop computes fma(alpha * vec1, vec2, beta * input) for
    each whole step of ``width`` elements (0: none) of a stretch of a row (a thread's share of the rows
    starts one; one column is one row), its scalar loop the rest as fma(beta, input, alpha * vec1 * vec2);
    a beta of 0 reads no input (NaN included): alpha * vec1 * vec2. With ``columns`` (a transposed input)
    the loop runs down the columns; the result is laid out in ``order`` (its dims innermost first)."""
    from ..creation import arange
    from ..primitives.elementwise import relaid
    from ..primitives.special import fused_multiply_add_kernel as fma
    from ..dispatch import apply
    from ...process import get_num_threads
    from ...strides_order import dense_strides
    n, m = input.shape
    scaled = vec1 * alpha if alpha != 1 else vec1
    if beta == 0:  # (no input read: laid out as torch's loop lays it, which the input's strides choose)
        product = scaled.unsqueeze(1) * vec2
        laid = dense_strides(product.shape, order)
        return product if laid == product.stride() else relaid(product, laid)
    if not width:
        return _addr_scalars(input, scaled, vec2, beta)
    vectors = apply(fma, scaled.unsqueeze(1).expand(n, m), vec2.expand(n, m),
                    input * beta if beta != 1 else input)
    numel, threads = n * m, get_num_threads()
    row = n if columns or m == 1 else m  # (one column: one row of n)
    # torch's parallel_for: one stretch under its grain (32768) or on one thread, else a share per thread
    chunk = numel if numel < 32768 or threads == 1 else -(-numel // min(threads, -(-numel // 32768)))
    tail = row % width
    if chunk % row == 0 or not tail and chunk % width == 0:  # every stretch a whole row, or whole vectors
        if tail:  # each row's last ``tail`` by the scalar loop, written over the vectors' (their layout kept)
            cut = (slice(row - tail, None),) if columns or m == 1 else (slice(None), slice(row - tail, None))
            rows, cols = (cut + (slice(None),))[:2]
            vectors[cut] = _addr_scalars(input[cut], scaled[rows], vec2[cols], beta)
        return vectors
    # (a thread's share starting within a row: each element's place in its stretch)
    at = arange(numel).reshape(m, n).t() if columns else arange(numel).reshape(n, m)  # the loop's order
    start = (at - at % row).maximum(at - at % chunk)
    length = (at - at % row + row).minimum(at - at % chunk + chunk) - start
    return vectors.where(at - start < length - length % width, _addr_scalars(input, scaled, vec2, beta))


def _addr_scalars(input, scaled, vec2, beta):
    """torch's addr scalar loop: fma(beta, input, alpha * vec1 * vec2), ``scaled`` being alpha * vec1."""
    from ..creation import scalar_tensor
    from ..primitives.special import fused_multiply_add_kernel as fma
    from ..dispatch import apply
    beta = scalar_tensor(beta, dtype=input.dtype).expand(input.shape)
    return apply(fma, beta, input, scaled.unsqueeze(1) * vec2)


def _addr_backward(g, input, vec1, vec2, beta, alpha, width, columns=False, order=None):
    """torch's addr derivative: g times beta; g's mv with each vector (the other's gradient), times alpha."""
    return (maybe_multiply(g, beta), None if vec2 is None else maybe_multiply(g.mv(vec2), alpha),
            None if vec1 is None else maybe_multiply(g.t().mv(vec1), alpha), None, None, None, None, None)


_addr_backward.saves = {1: (2,), 2: (1,)}  # vec1 for vec2's gradient, vec2 for vec1's


def put(input: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """``input`` with the elements at flat (row-major) ``index`` set to ``source`` (added with
    ``accumulate``), negative indices from the end, as ``torch.Tensor.put``."""
    n = input.numel()
    if index.dtype is not dt.int64:
        raise RuntimeError(f"put_(): Expected a long tensor for index, but got {dt.scalar_name(index.dtype)}")
    if source.dtype is not input.dtype:  # no promotion: torch's kernel writes source's elements as they are
        raise RuntimeError("put_(): self and source expected to have the same dtype, but got self.dtype = "
                           f"{dt.scalar_name(input.dtype)} and source.dtype = {dt.scalar_name(source.dtype)}")
    if source.numel() != index.numel():
        raise IndexError(f"put_(): Expected source and index to have the same number of elements, but got "
                         f"source.numel() = {source.numel()}, index.numel() = {index.numel()}")
    flat_index = index.reshape(-1)
    if flat_index.numel():
        bad = (flat_index < -n) | (flat_index >= n)
        if bad.any():
            first = flat_index[bad][0].item()
            raise IndexError(f"out of range: tried to access index {first} on a tensor of {n} elements.")
    flat_index = flat_index.where(flat_index >= 0, flat_index + n)
    flat = input.reshape(-1)
    values = source.reshape(-1)
    out = flat.index_add(0, flat_index, values) if accumulate else flat.index_put((flat_index,), values)
    return out.reshape(input.shape)


def narrow_copy(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """A copy of ``input.narrow(dim, start, length)``, as ``torch.narrow_copy``."""
    return narrow(input, dim, start, length).clone()


def split_with_sizes(input: Tensor, split_sizes, dim: int = 0):
    """``input`` split along ``dim`` into pieces of ``split_sizes`` (which sum to its size), as
    ``torch.split_with_sizes``."""
    return split(input, list(split_sizes), dim)


def unsafe_chunk(input: Tensor, chunks: int, dim: int = 0):
    """``chunk``'s pieces as ``unsafe_split``'s, as ``torch.unsafe_chunk``."""
    return _unsafe(chunk, input, chunks, dim)


def unsafe_split(input: Tensor, split_size: int, dim: int = 0):
    """``split`` by one size, its pieces no views for autograd, as ``torch.unsafe_split``."""
    return _unsafe(split, input, split_size, dim)


def unsafe_split_with_sizes(input: Tensor, split_sizes, dim: int = 0):
    """``split_with_sizes``, its pieces no views for autograd, as ``torch.unsafe_split_with_sizes``."""
    return _unsafe(split, input, list(split_sizes), dim)


def _unsafe(how, input, sizes, dim):
    """``how(input, sizes, dim)``'s pieces as torch's unsafe_ variants give them: over the same memory but no
    views for autograd (no base, a version counter each: a piece may be written in place, its history then
    its own), their node UnsafeSplitBackward0 (UnsafeSplitWithSizesBackward0 for a list of sizes)."""
    from ...autograd import graph
    from ...tensor import VersionCounter
    since = graph.SEQUENCE[0]
    pieces = how(input, sizes, dim)
    for piece in pieces:
        fn = piece._grad_fn
        if fn is not None and fn._seq > since:
            graph.rename(fn, "Unsafe" + type(fn).__name__)
        piece._base, piece._counter, piece._creation = None, VersionCounter(), None
    return pieces
