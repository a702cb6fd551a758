"""torch functions and Tensor methods real scripts call that pyfront lacked, composed of its ops:
``index_reduce``, ``nonzero_static``, ``empty_permuted``, the negative-bit queries (pyfront has no lazy
negation), ``conv3d`` and
``conv_transpose3d`` under their top-level names, and the CPU element-wise Python callbacks ``apply_``,
``map_``, ``map2_``. Each checks its arguments as PyTorch does, with PyTorch's texts."""
from __future__ import annotations

from ... import dtypes as dt
from ... import _warnings
from ..._C import DisableTorchFunctionSubclass
from ...autograd import graph
from ...backends import get_backend
from ...shape import reads_as_int
from ...tensor import Tensor, _kind_name
from ..shell import SHELL, refuse_kernel
from ..views import alias_view
from .indexing import add_in_turn, check_slices, out_of_range_in_self, reworded

METHODS = "index_reduce nonzero_static"
INPLACE = "index_reduce"
__all__ = ["index_reduce", "nonzero_static", "empty_permuted",
           "resolve_neg", "is_neg", "is_distributed", "conv3d",
           "conv_transpose3d", "gradient"]

_REDUCES = ("prod", "mean", "amax", "amin")


def index_reduce(input: Tensor, dim: int, index: Tensor, source: Tensor, reduce: str, *,
                 include_self: bool = True) -> Tensor:
    """``input`` with ``source``'s slices along ``dim`` reduced (``prod``, ``mean``, ``amax``, ``amin``) into
    the slices ``index`` names, as ``torch.index_reduce``: ``scatter_reduce`` with the index spread over
    ``source``'s shape. Raises RuntimeError for another reduce, a non-integer index or a count mismatch."""
    _warnings.warn_once("index_reduce() is in beta and the API may change at any time.")
    if reduce not in _REDUCES:
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got "
                           f"{reduce}.")
    if index.dtype not in (dt.int32, dt.int64):
        raise RuntimeError(f"index_reduce_(): Expected dtype int32/int64 for index but got: "
                           f"{_kind_name(index.dtype)}")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"index_reduce_(): self ({_kind_name(input.dtype)}) and source "
                           f"({_kind_name(source.dtype)}) must have the same scalar type")
    if index.dim() > 1:
        raise RuntimeError(f"index_reduce_(): Index is supposed to be a vector, but got dim: {index.dim()} "
                           f"with type: {_kind_name(index.dtype)} and size: {list(index.shape)}")
    d = dim + input.dim() if dim < 0 else dim
    if d and d >= source.dim():  # (torch's check passes dim 0 whatever source's dims)
        raise RuntimeError(f"index_reduce_(): Indexing dim {d} is out of bounds of the source tensor "
                           f"with dim {source.dim()}")
    n = source.shape[d] if source.dim() else 1
    if index.numel() != n:
        raise RuntimeError(f"index_reduce_(): Number of indices ({index.numel()}) should be equal to "
                           f"source.size(dim): ({n}), for dim: {dim}")
    shape = [1] * source.dim()
    if source.dim():
        shape[d] = n
    check_slices(input, d, source)
    since = graph.SEQUENCE[0]
    if reduce == "mean" and input.dtype in dt.HALVES and input.dim() and source.dim():
        out = _mean_in_turn(input, d, index.reshape(-1).to(dt.int64), source, include_self)
    else:
        spread = index.reshape(shape).expand(source.shape) if source.dim() else index.reshape(())
        with reworded(IndexError, out_of_range_in_self):  # (index_reduce's kernel's words, not scatter's)
            out = input.scatter_reduce(dim, spread, source, reduce, include_self=include_self)
    if out.requires_grad:  # torch's one node (pyfront's steps recorded a scatter_reduce's or a division's)
        graph.present_as(out, "IndexReduceBackward0", since, [input, source])
    return out


def _mean_in_turn(input, d, index, source, include_self):
    """A 16-bit index_reduce 'mean' as torch's CPU kernel: the terms added into self one at a time, each
    sum rounded to the dtype (a float32 sum rounded once differs where an index repeats), then divided by
    each slice's count (self counted with include_self)."""
    base = input if include_self else input.index_fill(d, index, 0)
    total = add_in_turn(base, d, index, source)
    counts = (input.new_ones(input.shape) if include_self else input.new_zeros(input.shape)).index_add(
        d, index, source.new_ones(source.shape))
    return total / counts.masked_fill(counts == 0, 1)


def nonzero_static(input: Tensor, *, size: int, fill_value: int = -1) -> Tensor:
    """``input.nonzero()`` cut or padded with ``fill_value`` rows to exactly ``size`` rows (shape
    ``(size, input.dim())``, int64), as ``torch.nonzero_static``."""
    if not isinstance(size, int) or size < 0:
        raise RuntimeError("nonzero_static: 'size' must be an non-negative integer")
    if input.is_meta:  # its size is known without the values: torch's meta kernel lays it out column-wise
        from ..factories import empty_strided
        return empty_strided((size, input.dim()), (1, size), dtype=dt.int64, device=input.device)
    from ..primitives.indexing import coordinates
    found = coordinates(input)[:size]  # torch's are contiguous, not nonzero's layout
    if found.shape[0] == size:
        return found
    from ..creation import full

    pad = full((size - found.shape[0], found.shape[1]), fill_value, dtype=found.dtype, device=found.device)
    from ..primitives.shaping import cat

    return cat([found, pad])


def empty_permuted(size, physical_layout, *, dtype=None, layout=None, device=None, requires_grad=False,
                   pin_memory=False) -> Tensor:
    """An uninitialised tensor of ``size`` whose memory runs in the dim order ``physical_layout`` (outermost
    first), as ``torch.empty_permuted``. Raises RuntimeError for a repeated dim."""
    from ..creation import empty

    size, order = tuple(size), tuple(physical_layout)
    if len(order) != len(size):
        raise RuntimeError("Number of dimensions in size does not match the length of the physical_layout; "
                           f"i.e. len(size) = {len(size)} is not equal to len(physical_layout) = "
                           f"{len(order)}")
    if len(set(order)) != len(order):
        raise RuntimeError("Duplicate dim not allowed")
    physical = empty(tuple(size[d] for d in order), dtype=dtype, device=device)
    inverse = sorted(range(len(order)), key=order.__getitem__)
    return physical.permute(inverse).requires_grad_(requires_grad)


def resolve_neg(input: Tensor) -> Tensor:
    """A view with the negative bit (``z.conj().imag``) as a tensor of its values; any other tensor itself."""
    return input.resolve_neg()


def is_neg(input: Tensor) -> bool:
    """Whether ``input`` carries torch's negative bit (``z.conj().imag``: ops/lazy_bits.py)."""
    return input.is_neg()


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    """``torch.conv3d``: ``F.conv3d``."""
    from ...nn.functional import conv3d as f

    return f(input, weight, bias, stride, padding, dilation, groups)


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1) -> Tensor:
    """``torch.conv_transpose3d``: ``F.conv_transpose3d``."""
    from ...nn.functional import conv_transpose3d as f

    return f(input, weight, bias, stride, padding, output_padding, groups, dilation)


# -- Tensor methods ----------------------------------------------------------------------------------------
def _python_callback(name: str, self: Tensor, others, fn) -> Tensor:
    """``self[i] = fn(self[i], *(o[i] for o in others))`` for every element (others broadcast to self), in
    place: torch's CPU-only Python loop, refused on a tensor that requires grad, or given another dtype."""
    names = ("other",) if name == "map_" else ("x", "y")
    for i, (arg, o) in enumerate(zip(names, others), 1):
        if not isinstance(o, Tensor):
            raise TypeError(f"{name}(): argument '{arg}' (position {i}) must be Tensor, "
                            f"not {type(o).__name__}")
    if self.device.type != "cpu":
        raise TypeError(f"{name} is only implemented on CPU tensors")
    if self.requires_grad:
        raise RuntimeError(f"Can't call {name}() on Variable that requires grad. Use var.detach().{name}() "
                           "instead.")
    for arg, o in zip(names, others):
        if o.dtype is not self.dtype:  # torch's loop reads each operand as self's C type: no conversion
            where = f"'{arg}'" if name == "map_" else f"argument '{arg}'"
            raise TypeError(f"{name}: expected {dt.type_name(self.dtype)} for {where} "
                            f"(got {dt.type_name(o.dtype)})")
    from ...autograd import no_grad
    from ..creation import tensor

    columns = [self.reshape(-1).tolist()] + [o.expand(self.shape).reshape(-1).tolist() for o in others]
    cast = bool if self.dtype.name == "bool" else float if self.dtype.is_floating_point else int
    values = [cast(_real(fn(*vs))) for vs in zip(*columns)]
    with no_grad():
        src = tensor(values, dtype=self.dtype, device=self.device).reshape(self.shape)
    # torch's loop writes the memory itself: no version bump, and an inference tensor takes it anywhere
    get_backend(self.device).write(self._layout, src._layout)
    return self


def _real(v):
    if not isinstance(v, (bool, int, float)):  # torch's C++ cast of the callback's result
        raise TypeError(f"must be real number, not {type(v).__name__}")
    return v


def apply_(self: Tensor, callable) -> Tensor:
    """Replace every element ``x`` by ``callable(x)``, in place (CPU only), as ``Tensor.apply_``."""
    return _python_callback("apply_", self, (), callable)


def map_(self: Tensor, tensor: Tensor, callable) -> Tensor:
    """``self[i] = callable(self[i], tensor[i])`` (``tensor`` broadcast to self), in place, as
    ``Tensor.map_``."""
    return _python_callback("map_", self, (tensor,), callable)


def map2_(self: Tensor, x: Tensor, y: Tensor, callable) -> Tensor:
    """``self[i] = callable(self[i], x[i], y[i])``, in place, as ``Tensor.map2_``."""
    return _python_callback("map2_", self, (x, y), callable)


def as_subclass(self: Tensor, cls) -> Tensor:
    """A ``cls`` instance over the same memory and autograd history, as ``Tensor.as_subclass``. Raises
    TypeError when cls is not a Tensor subclass."""
    if not (isinstance(cls, type) and issubclass(cls, Tensor)):
        raise TypeError("Creating a Tensor subclass from a class that does not inherit from Tensor is not "
                        "possible. Make sure your class inherits from Tensor.")
    with DisableTorchFunctionSubclass():  # (torch's is no override's business: nor are the reads it makes)
        out = alias_view(self)  # (torch's alias: an AliasBackward0 node)
    out.__class__ = cls
    return out


def resize_as(self: Tensor, tensor: Tensor) -> Tensor:
    """Deprecated out-of-place resize: ``self`` viewed with ``tensor``'s shape (same number of elements)."""
    _warnings.warn("non-inplace resize_as is deprecated")
    return self.reshape(tensor.shape)


def const_data_ptr(self: Tensor) -> int:
    """``data_ptr()`` (torch's read-only spelling)."""
    return self.data_ptr()


def dim_order(self: Tensor, *, ambiguity_check=False) -> tuple:
    """The dims from outermost to innermost in memory (by stride, ties in dim order), as
    ``Tensor.dim_order``."""
    stride = self.stride()
    return tuple(sorted(range(self.dim()), key=lambda d: -stride[d]))


def is_distributed(self: Tensor) -> bool:
    """False: pyfront has no distributed tensors."""
    return False


METHODS += " apply_ map_ map2_ as_subclass resize_as const_data_ptr dim_order is_distributed"


def gradient(input: Tensor, *, spacing=1, dim=None, edge_order: int = 1) -> tuple:
    """Estimated partial derivatives of ``input`` along each dim of ``dim`` (all by default): central
    differences inside, one-sided of order ``edge_order`` (1 or 2) at the ends, as ``torch.gradient`` (and
    numpy.gradient). ``spacing``: a number, one number per dim, or one coordinate tensor per dim.
    Raises RuntimeError for another edge_order, a dim shorter than edge_order + 1, or a spacing list of
    the wrong length."""
    if input.dtype in SHELL:  # torch's differences are its sub (add_stub), which they have no kernel of
        refuse_kernel("add_stub", input.dtype)
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    dims = list(range(input.dim())) if dim is None else [dim] if reads_as_int(dim) else list(dim)
    dims = [int(d) % input.dim() for d in dims]
    if isinstance(spacing, (list, tuple)):
        if len(spacing) != len(dims):
            if dim is None:
                raise RuntimeError("torch.gradient expected spacing to be unspecified, a scalar, or a list "
                                   f"of length equal to 'self.dim() = {input.dim()}', since dim argument was "
                                   f"not given, but got a list of length {len(spacing)}")
            raise RuntimeError("torch.gradient expected spacing to be unspecified, a scalar or it's spacing "
                               "and dim arguments to have the same length, but got a spacing argument of "
                               f"length {len(spacing)} and a dim argument of length {len(dims)}.")
        steps = list(spacing)
    else:
        steps = [spacing] * len(dims)
    if any(input.shape[d] < edge_order + 1 for d in dims):
        raise RuntimeError("torch.gradient expected each dimension size to be at least edge_order+1")
    f = input if input.dtype.is_floating_point else input.to(_default_float())
    return tuple(_gradient_1d(f, d, h, edge_order) for d, h in zip(dims, steps))


def _default_float():
    from ...dtypes import get_default_dtype

    return get_default_dtype()


def _gradient_1d(f: Tensor, d: int, h, edge_order: int) -> Tensor:
    from ..primitives.shaping import cat

    n = f.shape[d]

    def at(i, length=1):
        return f.narrow(d, i, length)

    if isinstance(h, Tensor):  # coordinates: the non-uniform formulas, steps shaped to broadcast along d
        shape = [1] * f.dim()
        dx = (h[1:] - h[:-1]).to(f.dtype)

        def step(i, length=1):
            shape[d] = length
            return dx.narrow(0, i, length).reshape(shape)
        hl, hr = step(0, n - 2), step(1, n - 2)
        inner = (-hr / (hl * (hl + hr)) * at(0, n - 2) + (hr - hl) / (hl * hr) * at(1, n - 2)
                 + hl / (hr * (hl + hr)) * at(2, n - 2))
        if edge_order == 1:
            first, last = (at(1) - at(0)) / step(0), (at(n - 1) - at(n - 2)) / step(n - 2)
        else:
            a, b = step(0), step(1)
            first = (-(2 * a + b) / (a * (a + b)) * at(0) + (a + b) / (a * b) * at(1)
                     - a / (b * (a + b)) * at(2))
            a, b = step(n - 3), step(n - 2)
            last = (b / (a * (a + b)) * at(n - 3) - (a + b) / (a * b) * at(n - 2)
                    + (2 * b + a) / (b * (a + b)) * at(n - 1))
    else:
        inner = (at(2, n - 2) - at(0, n - 2)) / (2 * h)
        if edge_order == 1:
            first, last = (at(1) - at(0)) / h, (at(n - 1) - at(n - 2)) / h
        else:
            first = (-1.5 * at(0) + 2 * at(1) - 0.5 * at(2)) / h
            last = (0.5 * at(n - 3) - 2 * at(n - 2) + 1.5 * at(n - 1)) / h
    return cat([first, inner, last], d)
