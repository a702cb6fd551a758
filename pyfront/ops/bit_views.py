"""Tensors over another tensor's memory read as another dtype: ``Tensor.view(dtype)``, and the one place
such a tensor is made (``view_as_real`` / ``view_as_complex`` build on it too).

pyfront's storages are typed (a NumPy array of one dtype, a GPU buffer its kernels read as one WGSL type),
so the new tensor has a storage of its own over the same memory (the backend's ``reinterpret``). Its
writes and its base's reach each other through that memory; what the second storage would not share is
the version counter, so the new tensor counts its in-place writes with its source's (``_counter``), as
torch's share one.
"""
from __future__ import annotations

from .. import dtypes as dt
from ..backends import get_backend
from ..backends.storage import memory_of


def reinterpreted_storage(storage, dtype, as_dtype):
    """A storage over ``storage``'s memory (of ``dtype``) that reads it as ``as_dtype``, known as that
    memory's (one ``data_ptr``, one storage in a checkpoint)."""
    out = get_backend(storage.device).reinterpret(storage, dtype, as_dtype)
    out.origin = memory_of(storage)
    return out


def reinterpreted(input, dtype, shape, strides, offset):
    """A tensor of ``dtype`` with ``shape``, ``strides`` and ``offset`` (in ``dtype`` elements) over
    ``input``'s memory, counting its in-place writes with ``input``: an edit of either bumps both
    ``_version`` values, and a saved tensor's check in backward sees it."""
    from ..tensor import Tensor
    t = Tensor._make(reinterpreted_storage(input._storage, input.dtype, dtype), shape, dtype, strides, offset)
    t._counter = input._vc
    t._inference, t._batched = input._inference, input._batched
    return t


def view_dtype(input, dtype):
    """``input``'s bits as ``dtype``, as ``torch.Tensor.view(dtype)``: the same shape where the element
    sizes agree, else a last dim scaled by their ratio. Never differentiable and no view for autograd (as
    torch's), but one memory and one version counter with ``input``. Refuses, with torch's RuntimeError
    and text, a 0-d tensor, and where the sizes differ a last dim whose stride is not 1 or, to a wider
    dtype, a last size, storage offset or other stride the ratio does not divide."""
    dt.check_storable(dtype)
    if input._lazy is not None and dtype is not input.dtype:
        what = "conjugate view tensors" if input._lazy == "conj" else "tensors with negative bit set"
        raise RuntimeError(f"torch.Tensor.view is not supported for {what} when converting to a different "
                           "dtype.")
    old, new = input.dtype.itemsize, dtype.itemsize
    shape, strides, offset = tuple(input.shape), tuple(input.stride()), input.storage_offset()
    if old == new:
        if dtype is input.dtype:
            return input.detach()  # a new tensor of its memory and counter, without its history
        return reinterpreted(input, dtype, shape, strides, offset)
    what = f"to view {dt.scalar_name(input.dtype)} as {dt.scalar_name(dtype)} (different element sizes)"
    if not shape:
        raise RuntimeError(f"self.dim() cannot be 0 {what}")
    if new < old:  # each element becomes `ratio` narrower ones along the last dim
        ratio = old // new
        _check_last_stride(strides, what)
        return reinterpreted(input, dtype, shape[:-1] + (shape[-1] * ratio,),
                             tuple(s * ratio for s in strides[:-1]) + (1,), offset * ratio)
    ratio = new // old  # `ratio` elements along the last dim become one wider one
    if shape[-1] % ratio:
        raise RuntimeError(f"self.size(-1) must be divisible by {ratio} {what}, but got {shape[-1]}")
    if offset % ratio:
        raise RuntimeError(f"self.storage_offset() must be divisible by {ratio} {what}, but got {offset}")
    _check_last_stride(strides, what)
    for d, s in enumerate(strides[:-1]):
        if s % ratio:
            raise RuntimeError(f"self.stride({d}) must be divisible by {ratio} {what}, but got {s}")
    return reinterpreted(input, dtype, shape[:-1] + (shape[-1] // ratio,),
                         tuple(s // ratio for s in strides[:-1]) + (1,), offset // ratio)


def _check_last_stride(strides, what):
    if strides[-1] != 1:
        raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {strides[-1]}")
