"""Joining and reordering primitives: ``cat`` (any number of inputs) and ``flip``.

Both copy: a flipped or joined tensor is no strided view of its inputs. Every other joining or
movement op (stack, roll, repeat, pad, ...) is a composite of these and the views.
"""
from __future__ import annotations

from ... import dtypes as dt
from ...shape import normalize_dim, normalize_dims
from ...tensor import Tensor
from ..creation import require_args, type_name
from ..dispatch import apply, apply_like
from ..memory_formats import lays_out, like_all_inputs
from ..registry import OpDef, register
from ..shell import SHELL, refuse_flip
from .elementwise import to_dtype
from .. import samples, sparse_seam

__all__ = ["cat", "concat", "concatenate", "flip"]
METHODS = "flip"
INPLACE = ""


def _skipped(shape) -> bool:
    # PyTorch's legacy rule: a 1-D tensor with no elements takes no part in cat, whatever its dim
    return shape == (0,)  # (tuple's compare: a Size's indexing is a Python method)


def _kept(shapes):
    kept = [sh for sh in shapes if not _skipped(sh)]
    return kept or list(shapes[:1])


def _cat_infer(*xs, dim):
    kept = _kept([tuple(x._shape) for x in xs])
    shape = list(kept[0])
    shape[dim] = sum(sh[dim] for sh in kept)
    return [(tuple(shape), xs[0].dtype)]


def _cat_numpy(np, *arrays, dim):
    kept = [a for a in arrays if not _skipped(a.shape)] or list(arrays[:1])
    return np.concatenate(kept, axis=dim)


def _cat_vjp(c, g):
    dim, start, grads = c.attrs["dim"], 0, []
    everything_skipped = all(_skipped(sh) for sh in c.input_shapes)
    for shape in c.input_shapes:
        if _skipped(shape) and not everything_skipped:
            grads.append(g.new_zeros(shape))
            continue
        grads.append(g.narrow(dim, start, shape[dim]))
        start += shape[dim]
    return tuple(grads)


_CAT = register(OpDef("cat", "other", _cat_infer, _cat_numpy, _cat_vjp, arity=0, torch_name=None))


@lays_out(like_all_inputs)
def cat(tensors, dim: int = 0, *, axis: int | None = None) -> Tensor:
    """Join ``tensors`` along ``dim`` (alias ``axis``), promoting to their common dtype, as ``torch.cat``."""
    if axis is not None:
        dim = axis
    if isinstance(tensors, Tensor) or not isinstance(tensors, (tuple, list)):
        raise TypeError("cat(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type_name(tensors)}")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if isinstance(t, sparse_seam.TYPES):
            return sparse_seam.call("cat", (tensors, dim), {})
        if not t._shape:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    first = tensors[0].dtype
    dtype = first if all(t.dtype is first for t in tensors) else dt.result_type(*tensors)
    kept = [(i, t) for i, t in enumerate(tensors) if not _skipped(t._shape)]
    if kept:
        first = tuple(kept[0][1]._shape)
        dim = normalize_dim(dim, len(first))
        for i, t in kept[1:]:
            shape = tuple(t._shape)
            if len(shape) != len(first):
                raise RuntimeError(f"Tensors must have same number of dimensions: got {len(first)} and "
                                   f"{len(shape)}")
            if shape[:dim] != first[:dim] or shape[dim + 1:] != first[dim + 1:]:
                d = next(d for d in range(len(first)) if d != dim and shape[d] != first[d])
                raise RuntimeError(f"Sizes of tensors must match except in dimension {dim}. Expected "
                                   f"size {first[d]} but got size {shape[d]} for tensor number "
                                   f"{i} in the list.")
    else:
        dim = 0  # only empty 1-D tensors: PyTorch does not check the dim at all
    return apply(_CAT, *(t if t.dtype is dtype else to_dtype(t, dtype) for t in tensors), dim=dim)


concat = concatenate = cat


_FLIP = register(OpDef(
    "flip", "other", lambda x, dims: [(x.shape, x.dtype)], lambda np, x, dims: np.flip(x, axis=dims),
    lambda c, g: (apply_like(g, _FLIP, g, dims=c.attrs["dims"]),), torch_name="flip",
    samples=samples.flip))


def flip(input: Tensor, *args, dims=None) -> Tensor:
    """Reverse the order of elements along ``dims``, as ``torch.flip`` (and ``Tensor.flip(*dims)``)."""
    if dims is None:
        require_args(args, "flip", "dims")
        dims = args[0] if len(args) == 1 and isinstance(args[0], (tuple, list)) else args
    dims = normalize_dims(tuple(dims), input.dim())
    if input.dtype in SHELL:
        refuse_flip(input, dims)
    # laid out as its input, as torch's kernel (empty_like) makes it
    return apply_like(input, _FLIP, input, dims=dims if input.dim() else ())
