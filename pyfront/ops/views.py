"""View ops: new shape/strides/offset over the same storage, and their gradients.

A view's rule maps (shape, strides, offset) to the view's (shape, strides, offset). Slicing-like
views share one backward: scatter the gradient into zeros through the same view of a contiguous
tensor of the input's shape (``as_strided_scatter``).
"""

from __future__ import annotations

import math

from ..autograd.dual import ON as _DUAL, set_tangent
from ..autograd.grad_mode import _state, _vmap_blocks, is_grad_enabled
from ..autograd.graph import OpNode
from ..dtypes import HALVES, int64, type_name
from ..shape import (LONG_LONG_MAX, c_div, check_long_long, contiguous_strides, extent, index_like,
                     infer_size, list_dims, normalize_dim, reads_as_int, refuse_symbolic, view_strides,
                     wrap_int)
from ..storage import elements
from .dispatch import _record, apply, apply_as
from . import samples
from .registry import OPS, OpDef, register

METHODS = (
    "as_strided view reshape view_as reshape_as flatten unflatten permute transpose swapaxes "
    "swapdims t movedim moveaxis expand expand_as broadcast_to squeeze unsqueeze narrow "
    "select diagonal unbind split chunk contiguous unfold as_strided_scatter"
)
INPLACE = ""
__all__ = METHODS.split()
_METHOD_ONLY = ("view", "view_as", "reshape_as", "expand_as", "contiguous", "unfold")  # no torch.X function
__all__ = [n for n in __all__ if n not in _METHOD_ONLY]


INT64_MAX = 2**63 - 1  # what torch's slice keeps for an end not given (x[1:])


def _shows(out, **given):
    """``out``, its node keeping the arguments torch's view node shows as ``_saved_<name>`` as the caller gave
    them (a dim or index not normalised, as torch's keeps it; read only when asked: saved_names)."""
    fn = out._grad_fn
    if fn is not None:
        fn.view_args = given
    return out


def _view_op(name, rule, vjp, **kw):
    return register(OpDef(name, "view", rule, None, vjp, **kw))


def _scatter_back(op_name):
    """VJP of a slicing-like view: zeros of the input's shape with the gradient written in."""

    def vjp(c, g):
        from .creation import zeros

        shape = c.input_shapes[0]
        size, stride, off = OPS_VIEW[op_name].infer(shape, contiguous_strides(shape), 0, **c.attrs)
        return (as_strided_scatter(zeros(shape, dtype=g.dtype, device=g.device), g, size, stride, off),)

    return vjp


def _as_strided_rule(shape, strides, offset, size, stride, storage_offset):
    return tuple(size), tuple(stride), offset + storage_offset


def _reshape_rule(shape, strides, offset, shape_out, strides_out=None):
    if strides_out is not None:  # squeeze/unsqueeze: the strides torch gives the size-1 dims
        return shape_out, strides_out, offset
    new = view_strides(shape, strides, shape_out)
    if new is None:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least "
            "one dimension spans across two contiguous subspaces). Use .reshape(...) "
            "instead."
        )
    return shape_out, new, offset


def _permute_rule(shape, strides, offset, dims):
    shape = tuple(shape)  # indexed as a plain tuple: a Size's own __getitem__ is a Python call per index
    return tuple([shape[d] for d in dims]), tuple([strides[d] for d in dims]), offset


def _expand_rule(shape, strides, offset, size):
    lead = len(size) - len(shape)
    out_strides = [0] * lead + list(strides)
    for i, n in enumerate(shape):
        if n != size[lead + i]:
            out_strides[lead + i] = 0
    return tuple(size), tuple(out_strides), offset


def _slice_rule(shape, strides, offset, dim, start, stop, step):
    n = len(range(start, stop, step))
    shape = shape[:dim] + (n,) + shape[dim + 1 :]
    stride = strides[dim] * step
    if stride > LONG_LONG_MAX:  # (a step near 2**63: torch's int64 stride wraps)
        stride = wrap_int(stride)
    new_strides = strides[:dim] + (stride,) + strides[dim + 1 :]
    # an empty slice still starts at its (clamped) start, as torch's: x[:, 2:2].storage_offset() is 2
    return shape, new_strides, offset + start * strides[dim]


def _select_rule(shape, strides, offset, dim, index):
    return shape[:dim] + shape[dim + 1 :], strides[:dim] + strides[dim + 1 :], offset + index * strides[dim]


def _diagonal_rule(shape, strides, offset, offset_diag, dim1, dim2):
    n1, n2 = shape[dim1], shape[dim2]
    if offset_diag >= 0:
        n = max(min(n1, n2 - offset_diag), 0)
        start = offset_diag * strides[dim2] if n else 0
    else:
        n = max(min(n1 + offset_diag, n2), 0)
        start = -offset_diag * strides[dim1] if n else 0
    keep = [d for d in range(len(shape)) if d not in (dim1, dim2)]
    return (
        tuple(shape[d] for d in keep) + (n,),
        tuple(strides[d] for d in keep) + (strides[dim1] + strides[dim2],),
        offset + start,
    )


def _unfold_rule(shape, strides, offset, dimension, size, step):
    if not shape:  # a 0-d tensor is one window of length size (0 or 1)
        return (size,), (1,), offset
    d = dimension
    n = (shape[d] - size) // step + 1
    return (shape[:d] + (n,) + shape[d + 1:] + (size,),
            strides[:d] + (strides[d] * step,) + strides[d + 1:] + (strides[d],), offset)


def _unfold_vjp(c, g):
    """The windows may overlap (step < size): each element's gradient is the sum over its windows."""
    from .creation import arange, zeros

    shape, d, size, step = c.input_shapes[0], c.attrs["dimension"], c.attrs["size"], c.attrs["step"]
    if not shape:
        return (g.sum(),)
    n = g.shape[d]
    where = (arange(n, device=g.device) * step).unsqueeze(1) + arange(size, device=g.device)
    if g.dtype in HALVES:  # torch's kernel adds an element's windows in turn into its 16-bit gradient
        from .ordered_adds import add_in_order
        rows = g.movedim(d, -2).reshape(-1, n * size)  # each line along d: its windows in order
        moved = shape[:d] + shape[d + 1:] + (shape[d],)
        return (add_in_order(moved, 1, where.reshape(1, -1), rows).reshape(moved).movedim(-1, d),)
    flat = g.movedim(-1, d + 1).reshape(shape[:d] + (n * size,) + shape[d + 1:])
    return (zeros(shape, dtype=g.dtype, device=g.device).index_add(d, where.reshape(-1), flat),)


def _same_rule(shape, strides, offset):
    return shape, strides, offset


def mT_view(x, rank, name="TransposeBackward0"):
    """``x.mT`` of a matrix (rank 2) or a batch of them (rank 3), the view ``mT`` records, without its
    checks and dim parsing: a VJP makes two per product per step. ``name``: "TBackward0" makes a
    matrix's ``x.t()`` (F.linear's weight, once per layer per step)."""
    if _vmap_blocks[0] or _DUAL[0]:  # (forward AD: its tangent)
        return apply(OPS_VIEW["permute"], x, dims=_SWAPPED[rank], _name=name)
    # apply's view path without its rule and checks: the view, then its node where one is recorded (a
    # linear layer's weight.t() in forward; a VJP's operands in backward record none)
    *lead, m, n = x._shape
    *lead_strides, sm, sn = x._strides
    t = x._view((*lead, n, m), (*lead_strides, sn, sm), x._offset)
    if _state.enabled and x._requires_grad:
        _record(OPS_VIEW["permute"], (x,), (t,), {"dims": _SWAPPED[rank]}, name)
    return t


_SWAPPED = {2: (1, 0), 3: (0, 2, 1)}


def _permute_vjp(dims, g):
    """The gradient of a permute: ``g`` permuted back (a transpose, a linear layer's weight.t() once per layer
    per step, is its own inverse: mT_view's lean view)."""
    if _SWAPPED.get(len(dims)) == dims:
        return mT_view(g, len(dims), None)
    return apply(OPS_VIEW["permute"], g, dims=_inverse(dims))


def _inverse(dims):
    inv = [0] * len(dims)
    for i, d in enumerate(dims):
        inv[d] = i
    return tuple(inv)


OPS_VIEW = {}
for _op in [
    _view_op("as_strided", _as_strided_rule, _scatter_back("as_strided")),
    _view_op(
        "view", _reshape_rule, lambda c, g: (g.reshape(c.input_shapes[0]),), backward_name="ViewBackward0"
    ),
    # (the op itself, not g.permute: its parser and checks are for a user's dims; a transposed weight's
    # gradient, per layer per step)
    _view_op("permute", _permute_rule, lambda c, g: (_permute_vjp(c.attrs["dims"], g),)),
    _view_op("expand", _expand_rule, lambda c, g: (g,)),  # the engine sums it back
    _view_op("slice", _slice_rule, _scatter_back("slice")),
    _view_op("select", _select_rule, _scatter_back("select")),
    _view_op("diagonal", _diagonal_rule, _scatter_back("diagonal")),
    _view_op("unfold", _unfold_rule, _unfold_vjp, torch_name="Tensor.unfold", samples=samples.unfold),
    # the same geometry with torch's conjugate or negative bit flipped (ops/lazy_bits.py)
    _view_op("conj", _same_rule, lambda c, g: (g.conj(),), backward_name="ConjBackward0"),
    _view_op("neg_view", _same_rule, lambda c, g: (g.neg(),), backward_name="NegViewBackward0"),
]:
    OPS_VIEW[_op.name] = _op


def _as_strided_scatter_np(np, base, src, size, stride, storage_offset):
    out = np.array(base, copy=True, order="C").reshape(-1)
    view = np.lib.stride_tricks.as_strided(out[storage_offset:], size, [s * out.itemsize for s in stride])
    view[...] = src
    return out.reshape(base.shape)


AS_STRIDED_SCATTER = register(
    OpDef(
        "as_strided_scatter",
        "other",
        lambda base, src, size, stride, storage_offset: [(base.shape, base.dtype)],
        _as_strided_scatter_np,
        lambda c, g: (
            as_strided_scatter(g, g.new_zeros(c.input_shapes[1]), **c.attrs),
            g.contiguous().as_strided(**c.attrs),
        ),
        torch_name="as_strided_scatter",
    )
)


# The base of a view written in place records this node (PyTorch's CopySlices).
COPY_SLICES = register(
    OpDef(
        "copy_slices",
        "other",
        AS_STRIDED_SCATTER.infer,
        _as_strided_scatter_np,
        AS_STRIDED_SCATTER.vjp,
        backward_name="CopySlices",
    )
)


def as_strided_scatter(input, src, size, stride, storage_offset=0):
    """``input`` with the strided view (size, stride, storage_offset) replaced by ``src``."""
    return apply(
        AS_STRIDED_SCATTER,
        input.contiguous(),
        src.to(input.dtype).expand(size).contiguous(),
        size=tuple(size),
        stride=tuple(stride),
        storage_offset=storage_offset,
    )


def _strided_view_vjp(c, g):
    """The gradient of a view of any geometry over its input's memory (an ``as_strided`` of a strided
    input): each output element's gradient added at its storage index, then read through the input's
    geometry, as PyTorch's as_strided backward (elements the view repeats add up)."""
    from .creation import arange, zeros

    shape, (strides, offset) = c.input_shapes[0], (c.attrs["in_strides"], c.attrs["in_offset"])
    size, stride, out_offset = c.attrs["size"], c.attrs["stride"], c.attrs["storage_offset"]
    n = max(extent(shape, strides, offset), extent(size, stride, out_offset), 1)
    index = zeros(size, dtype=int64, device=g.device) + out_offset
    for d, (k, s) in enumerate(zip(size, stride)):
        index = index + (arange(k, device=g.device) * s).view((k,) + (1,) * (len(size) - d - 1))
    flat = zeros(n, dtype=g.dtype, device=g.device).index_add(0, index.reshape(-1), g.reshape(-1))
    return (flat.as_strided(shape, strides, offset),)


# the public as_strided, of any input (strided, or its view reaching memory outside it): the output's storage
# offset is absolute, and the input's geometry travels in the attributes for the gradient. (OPS_VIEW's
# as_strided, relative to a contiguous base, is the history a view gets when its base changes in place.)
AS_STRIDED_ANY = _view_op("as_strided_any", lambda shape, strides, offset, size, stride, storage_offset,
                          in_strides, in_offset: (size, stride, storage_offset), _strided_view_vjp,
                          backward_name="AsStridedBackward0")


# -- public view functions -------------------------------------------------------------------
def as_strided(input, size, stride, storage_offset=None):
    """A view of ``input``'s memory with ``size``, ``stride`` and ``storage_offset`` (default: input's),
    as ``torch.as_strided``; refuses, with PyTorch's RuntimeError and text, strides of another length,
    a negative stride or offset, and a view reaching past the storage."""
    return _as_strided(input, size, stride, storage_offset, "AsStridedBackward0")


def _as_strided(input, size, stride, storage_offset, name):
    size, stride = _shape_arg((size,), "as_strided"), _shape_arg((stride,), "as_strided", "stride")
    offset = input._offset if storage_offset is None else int(storage_offset)
    if min(size, default=0) < 0 or min(stride, default=0) < 0:
        refuse_symbolic("as_strided", size, stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(n < 0 for n in size):
        raise RuntimeError(f"Storage size calculation overflowed with sizes={list(size)} and "
                           f"strides={list(stride)}")
    if any(s < 0 for s in stride):
        raise RuntimeError(f"as_strided: Negative strides are not supported at the moment, got strides: "
                           f"{list(stride)}")
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset}")
    itemsize, capacity = input.dtype.itemsize, elements(input._storage, input.dtype)
    needed = extent(size, stride, offset)
    if all(size) and needed > capacity:  # torch: no element, no bound (any offset)
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset "
                           f"{offset}, and itemsize {itemsize} requiring a storage size of "
                           f"{needed * itemsize} are out of bounds for storage "
                           f"of size {capacity * itemsize}")
    out = apply(AS_STRIDED_ANY, input, size=size, stride=stride, storage_offset=offset,
                in_strides=tuple(input._strides), in_offset=input._offset, _name=name)
    return _shows(out, size=size, stride=stride, storage_offset=storage_offset)


def _shape_arg(shape, name, arg="size", required=False):
    if required:  # a method's *sizes: none given is torch's TypeError
        require_args(shape, name, arg)
    return int_tuple(shape, name, arg)


def view(input, *shape, dtype=None, size=None):
    if size is not None:  # torch's keyword form x.view(size=...)
        shape = (size,)
    if dtype is not None:  # torch's view(dtype) overload, its argument named
        if shape:
            from .argcheck import invalid_combination
            raise invalid_combination("view", shape, {"dtype": dtype}, method=True)
        shape = (dtype,)
    if len(shape) == 1 and not isinstance(shape[0], (tuple, list, int)) and hasattr(shape[0], "name"):
        from .bit_views import view_dtype
        return view_dtype(input, shape[0])
    ints = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
    if not shape or ints and not index_like(ints[0]):  # neither a dtype nor ints: torch lists both overloads
        from .argcheck import invalid_combination
        raise invalid_combination("view", shape, {}, method=True)
    shape = _inferred(_shape_arg(shape, "view"), input.numel())
    if shape == tuple(input.shape):
        return apply(OPS_VIEW["view"], input, shape_out=shape)
    return apply(OPS_VIEW["view"], input, shape_out=shape)


def _inferred(shape, numel):
    """view's and reshape's ``infer_size``, after torch's dispatcher's refusal of a symbolic-range size."""
    try:
        return infer_size(shape, numel)
    except RuntimeError:
        refuse_symbolic("view", shape)
        raise


def reshape(input, *sizes, shape=None):
    # (torch's keyword form reshape(x, shape=...), as flip's dims: one test where a shape is given)
    shape = _inferred(_shape_arg(sizes if shape is None else (shape,), "reshape", "shape", required=True),
                      input.numel())
    if view_strides(input.shape, input._strides, shape) is None:  # a copy, viewed: PyTorch's _unsafe_view
        return apply(OPS_VIEW["view"], input.contiguous(), shape_out=shape, _name="UnsafeViewBackward0")
    return apply(OPS_VIEW["view"], input, shape_out=shape)


def alias_view(input):
    """torch's ``alias``: a view of all of ``input``, its node AliasBackward0."""
    return apply(OPS_VIEW["view"], input, shape_out=input.shape, _name="AliasBackward0")


def unsafe_view(input, shape):
    """torch's ``_unsafe_view``: ``input`` reshaped, named UnsafeViewBackward0 and no view for autograd: a
    version counter of its own, so a later write into ``input`` fails no backward that saved this (torch's
    kron multiplies two of these)."""
    from ..tensor import VersionCounter
    out = reshape(input, shape)
    if out._base is not None:
        out = apply(OPS_VIEW["view"], input, shape_out=tuple(out.shape), _name="UnsafeViewBackward0")
        out._base, out._counter = None, VersionCounter()
    return out


def view_as(input, other):
    return view(input, other.shape)


def reshape_as(input, other):
    return reshape(input, other.shape)


def flatten(input, start_dim=0, end_dim=-1):
    if input.dim() == 0:
        return reshape(input, (1,))
    s, e = normalize_dim(start_dim, input.dim()), normalize_dim(end_dim, input.dim())
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = input.shape
    return reshape(input, shape[:s] + (math.prod(shape[s : e + 1]),) + shape[e + 1 :])


def unflatten(input, dim, sizes):
    d = normalize_dim(dim, input.dim())
    sizes = tuple(sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    try:
        inferred = infer_size(sizes, input.shape[d])
    except RuntimeError as e:  # torch's unflatten rewords what its size inference raised
        if getattr(e, "sizes_mismatch", False):
            raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of "
                               f"dim {d} ({input.shape[d]}) in the input tensor") from None
        # (C++'s own error, with the backtrace torch's text goes on with from there)
        raise RuntimeError(f"unflatten got an unexpected error:\n{e}\nException raised from infer_size_impl "
                           f"at /__w/pytorch/pytorch/aten/src/ATen/InferSize.h:{e.cpp_line} (most recent "
                           "call first):") from None
    return view(input, input.shape[:d] + inferred + input.shape[d + 1 :])


def _unflatten_method(self, dim, sizes):
    """``Tensor.unflatten``: torch's is Python over its binding, so a call without sizes is Python's own
    TypeError ("Tensor.unflatten() missing 1 required positional argument: 'sizes'"), before any parse."""
    return unflatten(self, dim, sizes)


_unflatten_method.__qualname__ = "Tensor.unflatten"
_unflatten_method.python_level = True  # (argcheck.install: Python's check of its signature comes first)


def _split_method(self, split_size, dim=0):
    """``Tensor.split``: torch's Python method names its size ``split_size`` (``x.split(split_size=2)``),
    where ``torch.split`` says ``split_size_or_sections``."""
    return split(self, split_size, dim)


_split_method.__qualname__ = "Tensor.split"
_split_method.python_level = True
AS_METHOD = {"unflatten": _unflatten_method, "split": _split_method}


def permute(input, dims):
    """``input`` with its dims in the order ``dims`` (one sequence: torch.permute(x, 1, 0) is Python's
    TypeError, as torch's; the method spells them out), as ``torch.permute``."""
    return _permuted(input, _shape_arg((dims,), "permute", "dims"))


def _permute_method(input, *args, dims=None):
    """``x.permute(1, 0)``, ``x.permute((1, 0))`` or ``x.permute(dims=(1, 0))``."""
    if args and dims is not None:
        raise TypeError("permute() got multiple values for argument 'dims'")
    return _permuted(input, _shape_arg(args if dims is None else (dims,), "permute", "dims"))


_permute_method.__name__, _permute_method.__qualname__ = "permute", "Tensor.permute"
AS_METHOD["permute"] = _permute_method


def _permuted(input, dims):
    n = input.dim()
    if len(dims) != n:
        raise RuntimeError(
            f"permute(sparse_coo): number of dimensions in the tensor input does not "
            f"match the length of the desired ordering of dimensions i.e. input.dim() "
            f"= {n} is not equal to len(dims) = {len(dims)}"
        )
    given = dims
    dims = tuple(normalize_dim(d, n) for d in dims)
    if len(set(dims)) != n:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _shows(apply(OPS_VIEW["permute"], input, dims=dims), dims=tuple(given))


def transpose(input, dim0, dim1, _name="TransposeBackward0"):
    n = input.dim()
    a, b = normalize_dim(dim0, n), normalize_dim(dim1, n)
    dims = list(range(n))
    dims[a], dims[b] = dims[b], dims[a]
    out = apply(OPS_VIEW["permute"], input, dims=tuple(dims), _name=_name)
    return out if _name.startswith("TBackward") else _shows(out, dim0=dim0, dim1=dim1)  # (t()'s keeps none)


swapdims = transpose


def swapaxes(input, axis0, axis1):
    """``transpose`` by NumPy's names of the dims, which torch's keywords are (axis0=, axis1=)."""
    return transpose(input, axis0, axis1)


def t(input):
    return _t(input, "TBackward0")


def movedim(input, source, destination):
    n = input.dim()
    src, dst = list_dims(source, n), list_dims(destination, n)
    order = [d for d in range(n) if d not in src]
    for s, d in sorted(zip(dst, src)):
        order.insert(s, d)
    return permute(input, order)


moveaxis = movedim


def expand(input, *sizes, size=None, implicit=False):
    # (torch's keyword forms: size=, and implicit, which only tracing reads)
    size = _shape_arg(sizes if size is None else (size,), "expand", required=True)
    n = input.dim()
    if len(size) < n:
        raise RuntimeError(
            f"expand({type_name(input.dtype)}{{{list(input.shape)}}}"
            f", size=[{', '.join(map(str, size))}]): the number of sizes provided "
            f"({len(size)}) must be greater or equal to the number of dimensions in the "
            f"tensor ({n})"
        )
    lead = len(size) - n
    out = list(size)
    for k in range(len(size) - 1, -1, -1):  # PyTorch reports the last bad dim
        want = size[k]
        if k < lead:  # a new leading dim: its size as asked, where -1 means nothing
            if want == -1:
                raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                                   f"non-existing dimension {k}")
            continue
        i, s = k - lead, input.shape[k - lead]
        if want == -1:
            out[lead + i] = s
        elif s != want and s != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({want}) must match the existing size "
                f"({s}) at non-singleton dimension {lead + i}.  Target sizes: "
                f"[{', '.join(map(str, size))}].  Tensor sizes: [{', '.join(map(str, input.shape))}]"
            )
    if any(n < 0 for n in out):  # a size below -1, kept where the tensor's size is 1 or new: torch's count
        refuse_symbolic("expand", size)
        raise RuntimeError("numel: integer multiplication overflow")
    return apply(OPS_VIEW["expand"], input, size=tuple(out))  # ExpandBackward0 even to its own shape


def expand_as(input, other):
    return expand(input, other.shape)


def broadcast_to(input, size):
    return expand(input, size)


def squeeze(input, dim=None):
    return _squeeze(input, dim, "SqueezeBackward0" if dim is None else
                    "SqueezeBackward2" if isinstance(dim, (tuple, list)) else "SqueezeBackward1")


def _squeeze(input, dim, name):
    n = input.dim()
    if dim is None:
        dims = [d for d in range(n) if input.shape[d] == 1]
    else:
        # a 0-d tensor's dim 0 or -1: itself
        dims = [d for d in list_dims(dim, n) if n and input.shape[d] == 1]
    shape = tuple(s for d, s in enumerate(input.shape) if d not in dims)
    out = apply(OPS_VIEW["view"], input, shape_out=shape,
                strides_out=tuple(s for d, s in enumerate(input._strides) if d not in dims), _name=name)
    if dim is None:
        return out
    return _shows(out, dim=tuple(dim) if isinstance(dim, (tuple, list)) else dim)


def unsqueeze(input, dim):
    return _unsqueeze(input, dim, "UnsqueezeBackward0")


def _unsqueeze(input, dim, name):
    d = normalize_dim(dim, input.dim() + 1)
    shape, strides = input.shape, input._strides
    new = shape[d] * strides[d] if d < len(shape) else 1  # torch's stride for the new dim
    return _shows(apply(OPS_VIEW["view"], input, shape_out=shape[:d] + (1,) + shape[d:],
                        strides_out=strides[:d] + (new,) + strides[d:], _name=name), dim=dim)


def narrow(input, dim, start, length):
    d = normalize_dim(dim, input.dim())
    size = input.shape[d]
    start = int(start)
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start < -size or start > size:
        raise IndexError(
            f"start out of range (expected to be in range of [{-size}, {size}], but got {start})"
        )
    if start < 0:
        start += size
    if length < 0 or start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    out = apply(OPS_VIEW["slice"], input, dim=d, start=start, stop=start + length, step=1, _name="SliceBackward0")
    return _shows(out, dim=dim, start=start, end=start + length, step=1)  # (torch's narrow: its start wrapped)


def slice_dim(input, dim, start, stop, step=1):
    """``input[..., start:stop:step, ...]`` along ``dim`` (Python slice semantics)."""
    if step <= 0:
        raise ValueError("step must be greater than zero")
    given = (0 if start is None else start, INT64_MAX if stop is None else stop)
    start, stop, step = slice(start, stop, step).indices(input.shape[dim])
    if step >> 31 and step > LONG_LONG_MAX // max(input.shape[dim], input._strides[dim], 1):  # (int64 wraps)
        stop = start + _wrapped_length(input, dim, start, stop, step)
    out = apply(OPS_VIEW["slice"], input, dim=dim, start=start, stop=max(stop, start), step=step,
                _name="SliceBackward0")
    return _shows(out, dim=dim, start=given[0], end=given[1], step=step)


def _wrapped_length(input, dim, start, stop, step):
    """torch's slice length ``(stop - start + step - 1) / step`` in int64, for a step so large that the sum
    or the new stride wraps: no element, or a length of -1 or a negative stride, which its view refuses."""
    length = c_div(wrap_int(stop - start + step - 1), step) if stop > start else 0
    strides = [wrap_int(s * step) if d == dim else s for d, s in enumerate(input._strides)]
    if strides[dim] < 0:
        raise RuntimeError(f"as_strided: Negative strides are not supported at the moment, got strides: "
                           f"{strides}")
    if length < 0:
        sizes = [length if d == dim else n for d, n in enumerate(input.shape)]
        raise RuntimeError(f"Storage size calculation overflowed with sizes={sizes} and strides={strides}")
    return length


def select(input, dim, index):
    n = input.dim()
    if n == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = normalize_dim(dim, n)
    size = input.shape[d]
    index = int(index)
    if index < -size or index >= size:  # (indexing, x[i], checks first, in its own words)
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(input.shape)} at "
                         f"dimension {d}")
    return _shows(apply(OPS_VIEW["select"], input, dim=d, index=index % size, _name="SelectBackward0"),
                  dim=dim, index=index)


def diagonal(input, offset=0, dim1=0, dim2=1):
    n = input.dim()
    a, b = normalize_dim(dim1, n), normalize_dim(dim2, n)
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return _shows(apply(OPS_VIEW["diagonal"], input, offset_diag=offset, dim1=a, dim2=b), offset=offset,
                  dim1=dim1, dim2=dim2)


def unfold(input, dimension, size, step):
    """Every window of ``size`` elements along ``dimension``, ``step`` apart, as a new last dim (a view).

    As ``torch.Tensor.unfold``: the result has ``(input.size(dimension) - size) // step + 1`` windows in
    ``dimension``; windows may overlap, and their gradients add. Raises IndexError for a dim out of range
    and RuntimeError, with PyTorch's text, for a ``size`` larger than the dim or negative, or ``step <= 0``.
    """
    for position, (arg, value) in enumerate((("dimension", dimension), ("size", size), ("step", step)), 1):
        if isinstance(value, bool) or not hasattr(value, "__index__"):  # torch's parser refuses a bool
            from .argcheck import must_be
            raise must_be("unfold", arg, "int", value, position)
    for value in (dimension, size, step):  # (each read as a C long long, once all three are ints)
        check_long_long(value)
    n = input.dim()
    d = normalize_dim(dimension, max(n, 1))
    longest = input.shape[d] if n else 1
    if size > longest:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {longest} but size is {size}")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    return _shows(apply(OPS_VIEW["unfold"], input, dimension=d, size=int(size), step=int(step)),
                  dimension=dimension, size=int(size), step=int(step))


def _multi_output(views):
    """Mark the views one function returns together (unbind, split, chunk): torch forbids writing them in
    place (``Tensor._check_inplace_allowed``)."""
    grad = is_grad_enabled()
    for i, v in enumerate(views):
        # made with a graph, they are such views even of a view made under no_grad (not of an inference
        # mode one)
        if v._creation is None or v._creation == "no_grad" and grad:
            v._creation = i
        v._output_i = i  # torch's output number of its one node (pyfront records one node per output)
    return views


def unbind(input, dim=0):
    d = normalize_dim(dim, input.dim())
    return _multi_output(tuple(_shows(apply(OPS_VIEW["select"], input, dim=d, index=i, _name="UnbindBackward0"),
                                      dim=dim) for i in range(input.shape[d])))


def split(tensor, split_size_or_sections, dim=0):
    """``tensor`` in pieces of ``split_size_or_sections`` along ``dim``, as ``torch.split``: an int takes
    torch's ``split`` (which refuses a bool), anything else its ``split_with_sizes`` (a tuple of ints)."""
    from .argcheck import invalid_combination
    from .creation import int_tuple
    if isinstance(split_size_or_sections, bool) or not reads_as_int(dim):
        raise invalid_combination("split", (tensor, split_size_or_sections, dim), {})
    if not isinstance(split_size_or_sections, int):
        from ..tensor import Tensor
        if isinstance(split_size_or_sections, Tensor) and split_size_or_sections.numel() == 1:
            split_size_or_sections = int(split_size_or_sections.item())  # torch's Tensor.split: one size
        elif index_like(split_size_or_sections):  # a NumPy integer: split_with_sizes' parser wants a list
            from .argcheck import typename
            raise TypeError("split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, "
                            f"not {typename(split_size_or_sections)}")
        else:
            split_size_or_sections = int_tuple((split_size_or_sections,), "split_with_sizes", "split_sizes",
                                               2)
    d = normalize_dim(dim, tensor.dim())
    size = tensor.shape[d]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        check_long_long(step)  # (torch's parser reads it as a C long long)
        if step < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got split_size={step}")
        if step == 0 and size:
            raise RuntimeError(
                f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}"
            )
        sizes = [min(step, size - i) for i in range(0, size, step)] if size else [0]
    else:
        sizes = list(split_size_or_sections)
        if any(n < 0 for n in sizes):
            raise RuntimeError("split_with_sizes expects split_sizes have only non-negative entries, but got "
                               f"split_sizes={sizes}")
        if sum(sizes) != size:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input "
                f"tensor's size at dimension {d}), but got split_sizes={sizes}"
            )
    out, start = [], 0
    node = "SplitBackward0" if isinstance(split_size_or_sections, int) else "SplitWithSizesBackward0"
    shown = {"dim": dim, "split_size" if isinstance(split_size_or_sections, int) else "split_sizes":
             split_size_or_sections}
    for n in sizes:
        out.append(_shows(apply(OPS_VIEW["slice"], tensor, dim=d, start=start, stop=start + n, step=1,
                                _name=node), **shown))
        start += n
    return _multi_output(tuple(out))


def chunk(input, chunks, dim=0):
    if type(chunks) is not int and reads_as_int(chunks):  # a NumPy integer: the int torch's parser reads
        chunks = int(chunks)  # (its step must be one; anything else fails, and the parser's check says why)
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    d = normalize_dim(dim, input.dim())
    size = input.shape[d]
    # torch's (size + chunks - 1) / chunks in int64: chunks near 2**63 wrap it to 0, which split refuses
    step = c_div(wrap_int(size + chunks - 1), chunks) if size else 1
    # (an empty dim: ``chunks`` empty pieces, torch's split_with_sizes of zeros, which keeps their number)
    return split(input, step, dim) if size else tuple(split(input, [0] * chunks, dim))


def contiguous(input, *args, memory_format=...):
    """``input`` where it is contiguous (in ``memory_format``), else a copy that is, as
    ``Tensor.contiguous``; ``memory_format`` is keyword-only, and None is no format (torch's TypeErrors)."""
    if memory_format is ... and not args:  # (unset: torch's default, contiguous_format)
        return input if input._contiguous else apply_as(OPS["clone"], None, input)
    from .memory_formats import contiguous_as, memory_format_arg, no_positional
    no_positional("contiguous", args)
    memory_format_arg("contiguous", memory_format, none_ok=False)
    return contiguous_as(input, memory_format)


# -- autograd bookkeeping for in-place writes through views ------------------------------------
def _geometry(view_t, base):
    return dict(
        size=tuple(view_t.shape), stride=tuple(view_t._strides), storage_offset=view_t._offset - base._offset
    )


def _base_as_viewed(view_t):
    """The view's base as the autograd graph sees it from the view: the base itself, or for a view across
    dtypes (of ``view_as_real`` / ``view_as_complex``) the base read as the view's dtype, with the base's
    history (torch replays the view from its base): a complex base as its float pairs, a real one's
    elements paired in order."""
    from ..autograd.grad_mode import enable_grad
    base = view_t._base
    if base.dtype is view_t.dtype:
        return base
    from .composite.complex_numbers import view_as_complex, view_as_real
    here = base._reattach(base._grad_fn, base._output_nr) if base._grad_fn is not None else base._alias()
    with enable_grad():
        return view_as_real(here) if base.dtype.is_complex else view_as_complex(here.reshape(-1, 2))


def record_view_write(view_t, new):
    """After writing ``new`` into view ``view_t``: its base's history becomes the scatter."""
    from .lazy_bits import written
    base = view_t._base
    op_node = new._grad_fn
    # torch's CopySlices shows the in-place op's other inputs (its node's edges after self's), whatever
    # pyfront computes the written values with (a conj view's transform, a cast)
    # (the node's inputs as torch shows them: a composite's own, not those of its parts)
    op_inputs = new._grad_fn.next_functions if new._grad_fn is not None else ()
    shown = op_inputs[1:] if op_inputs and op_inputs[0][0] is view_t._grad_fn else None
    if new.shape != view_t.shape or new.dtype is not view_t.dtype:
        new = new.expand(view_t.shape).to(view_t.dtype)
    new = written(view_t, new)  # a conj or neg view's memory holds the transform of what it shows
    seen = _base_as_viewed(view_t)
    if seen is base:
        node = OpNode(COPY_SLICES, [base, new], [base], _geometry(view_t, base), (base._edge(), new._edge()))
        if shown is not None:
            node.shown_edges = (base._edge() if base._grad_fn is None else node.edges[0], *shown)
        base._grad_fn, base._output_nr, base._requires_grad = node, 0, True
    else:  # across dtypes: the scatter into the base read as the view's dtype, read back as the base's,
        # shown as torch's one CopySlices node
        from ..autograd import graph
        from ..autograd.grad_mode import enable_grad
        from .composite.complex_numbers import view_as_complex, view_as_real
        since, edges = graph.SEQUENCE[0], (seen._grad_fn and seen.grad_fn.edges[0], new._edge())
        with enable_grad():
            scattered = as_strided_scatter(seen, new, **_geometry(view_t, seen))
            back = (view_as_complex(scattered) if base.dtype.is_complex
                    else view_as_real(scattered).reshape(base.shape))
        graph.present_as(back, "CopySlices", since, edges=edges)
        base._grad_fn, base._output_nr, base._requires_grad = back._grad_fn, back._output_nr, True
    as_strided_record(view_t)
    if op_node is not None:  # a composite naming its node after the call names the op's (present_as)
        view_t._grad_fn.stands_for = op_node


def as_strided_record(view_t):
    """Give ``view_t`` the history "as_strided of its base" (its base changed in place)."""
    from ..tensor import Tensor
    base = view_t._base
    seen = _base_as_viewed(view_t)
    geometry = _geometry(view_t, seen)
    if seen is not base and (view_t.shape, view_t._strides, view_t._offset) == (seen.shape, seen._strides,
                                                                                 seen._offset):
        node = seen._grad_fn  # the whole base read as the view's dtype: its ViewAsRealBackward0, as torch's
    elif view_t._lazy is None:
        node = _as_strided_node(seen, view_t, geometry)
    else:  # a conj or neg view: the region's transform, as torch's replayed view (ConjBackward0 over it)
        from .lazy_bits import OPS
        region = Tensor._make(view_t._storage, view_t._shape, view_t.dtype, view_t._strides, view_t._offset)
        region._grad_fn = _as_strided_node(seen, region, geometry)
        region._requires_grad = True
        node = OpNode(OPS_VIEW[OPS[view_t._lazy]], [region], [view_t], {}, (region._edge(),))
    view_t._grad_fn, view_t._output_nr, view_t._requires_grad = node, 0, True
    view_t._view_of_fn, view_t._view_at = base._grad_fn, view_t._vc.version


def _as_strided_node(seen, view_t, geometry):
    """The AsStridedBackward0 of ``view_t`` over its base as ``seen``, showing its size, stride and offset
    (``_saved_size``, ...) as torch's regenerated node keeps them."""
    node = OpNode(OPS_VIEW["as_strided"], [seen], [view_t], geometry, (seen._edge(),))
    node.view_args = geometry
    return node


# -- in-place view changes: unsqueeze_, squeeze_, t_, transpose_, as_strided_ -----------------------
def _in_place_view(self, view):
    """Make ``self`` the view ``view(self)`` in place: its shape, strides and offset change, its memory
    does not. As PyTorch: the version counter goes up; where a gradient is recorded, a leaf that requires
    grad (or a view of one) is refused, and ``self`` takes the view's node (UnsqueezeBackward1, ...) over
    its old history; under no_grad its history stays as it was."""
    from ..tensor import raise_inplace_on_inference

    if self._inference and not _state.inference:  # its metadata changes in place: an in-place update
        raise_inplace_on_inference()
    base = self._base
    record = _state.enabled and (self._requires_grad or base is not None and base._requires_grad)
    if record:
        self._check_inplace_allowed()
    out = view(self)
    self._shape, self._strides, self._offset = out._shape, out._strides, out._offset
    from .lazy_bits import raw_layout
    self._contiguous, self._odd = out._contiguous, out._odd
    self.__dict__["_raw" if self._lazy else "_layout"] = raw_layout(out)  # (a lazy view keeps its bit)
    self._vc.version += 1
    if record:
        self._grad_fn, self._output_nr, self._requires_grad = out._grad_fn, 0, True
        self._view_of_fn, self._view_at = out._view_of_fn, self._vc.version
    if _DUAL[0] and out._tangent is not None:  # forward AD: its tangent takes the view too
        set_tangent(self, out._tangent)
    return self


def unsqueeze_(self, dim):
    return _in_place_view(self, lambda x: _unsqueeze(x, dim, "UnsqueezeBackward1"))


def _squeezed(x, dim):
    n = x.dim()
    if dim is None:
        return _squeeze(x, None, "SqueezeBackward3")
    many = isinstance(dim, (tuple, list))
    dims = list_dims(dim, n)
    for d in dims:
        if dims.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return _squeeze(x, dim, "SqueezeBackward5" if many else "SqueezeBackward4")


def squeeze_(self, dim=None):
    return _in_place_view(self, lambda x: _squeezed(x, dim))


def transpose_(self, dim0, dim1):
    return _in_place_view(self, lambda x: transpose(x, dim0, dim1, "TransposeBackward1"))


swapdims_ = transpose_


def swapaxes_(self, axis0, axis1):
    return transpose_(self, axis0, axis1)


def _t(x, name, method="t"):
    if x.dim() > 2:
        raise RuntimeError(f"{method}() expects a tensor with <= 2 dimensions, but self is {x.dim()}D")
    if x.dim() < 2:
        return apply(OPS_VIEW["view"], x, shape_out=x.shape, _name=name)
    return transpose(x, 0, 1, name)


def t_(self):
    return _in_place_view(self, lambda x: _t(x, "TBackward1", "t_"))


def as_strided_(self, size, stride, storage_offset=None):
    """``self`` becomes ``self.as_strided(size, stride, storage_offset)`` in place, as
    ``torch.Tensor.as_strided_`` (the same checks; AsStridedBackward1)."""
    return _in_place_view(self, lambda x: _as_strided(x, size, stride, storage_offset, "AsStridedBackward1"))


def fill_diagonal_(self, fill_value, wrap=False):
    """Fill the main diagonal of ``self`` (2-D, or every dimension of one length) with ``fill_value``, in
    place, as ``torch.Tensor.fill_diagonal_``. ``wrap``: on a matrix taller than wide, the diagonal starts
    again ``columns + 1`` rows further down (as NumPy's ``fill_diagonal``). Raises RuntimeError, with
    PyTorch's text, for fewer than two dimensions or unequal ones, and TypeError for a non-number value."""
    from ..tensor import Tensor

    if isinstance(fill_value, Tensor) and fill_value.dim() == 0 and not fill_value.requires_grad:
        fill_value = fill_value.item()
    elif not isinstance(fill_value, (int, float, complex)):  # bool is an int
        name = "Tensor" if isinstance(fill_value, Tensor) else type(fill_value).__name__
        raise TypeError(f"fill_diagonal_(): argument 'fill_value' (position 1) must be Number, not {name}")
    n = self.dim()
    if n < 2:
        raise RuntimeError("dimensions must larger than 1")
    height, width = self.shape[0], self.shape[1]
    if any(s != height for s in self.shape[1:]) and n > 2:
        raise RuntimeError("all dimensions of input must be of equal length")
    diag = self.diagonal()
    while diag.dim() > 1:  # (rest..., n): the diagonal of the first remaining dim and the last
        diag = diag.diagonal(0, 0, -1)
    diag.fill_(fill_value)
    if wrap and n == 2 and height > width + 1:
        rest = self[width + 1:]  # blocks of width + 1 rows: a diagonal, then a row left alone
        blocks = rest.shape[0] // (width + 1)
        if blocks:
            rest[:blocks * (width + 1)].unflatten(0, (blocks, width + 1))[:, :width].diagonal(0, 1, 2).fill_(
                fill_value)
        rest[blocks * (width + 1):].diagonal().fill_(fill_value)
    return self


IN_PLACE_METHODS = ("unsqueeze_", "squeeze_", "transpose_", "swapaxes_", "swapdims_", "t_", "as_strided_",
                    "fill_diagonal_")


# creation imports the tensor layer importing this module: bound once the module is made, not per call
# (a function-level import costs about a microsecond each time; every view and reshape parses its shape)
from .creation import int_tuple, require_args  # noqa: E402
