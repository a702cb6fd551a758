"""DLPack interchange of cpu tensors, as ``torch.utils.dlpack``: a tensor's memory handed to another library
(NumPy's ``np.from_dlpack``) or taken from one, shared, not copied. pyfront's cpu memory is a NumPy array, so
the capsules are NumPy's; NumPy is imported only here, when DLPack is used (the browser build has none)."""
from __future__ import annotations

import enum

from ..tensor import Tensor

__all__ = ["DLDeviceType", "from_dlpack", "to_dlpack"]


class DLDeviceType(enum.IntEnum):
    """DLPack's device codes (the cpu's is the one pyfront exports)."""
    kDLCPU = 1


def _check_cpu(t: Tensor) -> None:
    if t.device.type != "cpu":
        raise BufferError(f"DLPack exports cpu tensors only, not {t.device.type} ones: call .cpu() first")


def export_check(t: Tensor, stream) -> None:
    """torch's refusals of an export (``Tensor.__dlpack__``), in its order; a lazy bit is refused too (torch
    exports a negative view's memory as it is, whose values are not the tensor's)."""
    if t._requires_grad:
        raise BufferError("Can't export tensors that require gradient, use tensor.detach()")
    if t._lazy == "conj":
        raise BufferError("Can't export tensors with the conjugate bit set")
    if t._lazy == "neg":
        raise BufferError("Can't export tensors with the negative bit set")
    _check_cpu(t)
    if stream is not None:
        raise AssertionError("stream should be None on cpu.")


def dlpack(t: Tensor, *, stream=None, max_version=None, dl_device=None, copy=None):
    """``Tensor.__dlpack__``: a DLPack capsule over ``t``'s memory."""
    export_check(t, stream)
    return t.numpy().__dlpack__(max_version=max_version, dl_device=dl_device, copy=copy)


def dlpack_device(t: Tensor) -> tuple:
    """``Tensor.__dlpack_device__``: (device type, index)."""
    _check_cpu(t)
    return DLDeviceType.kDLCPU, 0


def to_dlpack(tensor: Tensor):
    """A DLPack capsule over ``tensor``'s memory, as ``torch.utils.dlpack.to_dlpack``: a versioned one, whose
    flags say the memory is writable (a consumer of a legacy one reads it as read-only)."""
    return dlpack(tensor, max_version=(1, 0))


class _Capsule:
    """A bare capsule (``to_dlpack``'s) as the object NumPy's ``from_dlpack`` reads."""
    def __init__(self, capsule):
        self.capsule = capsule

    def __dlpack__(self, **_):
        return self.capsule

    def __dlpack_device__(self):
        return DLDeviceType.kDLCPU, 0


def from_dlpack(ext_tensor, *, device=None, copy=None) -> Tensor:
    """A tensor over the memory of ``ext_tensor`` (an object with ``__dlpack__``, or a capsule), shared, as
    ``torch.from_dlpack``: ``copy`` True copies it, False refuses where sharing cannot be done (the
    producer's BufferError), None shares where it can; ``device`` other than the cpu is a copy there."""
    import numpy as np
    from .. import dtypes as dt
    from ..ops.creation import adopt
    source = ext_tensor if hasattr(ext_tensor, "__dlpack__") else _Capsule(ext_tensor)
    try:
        array = np.from_dlpack(source) if copy is None else np.from_dlpack(source, copy=copy)
    except ValueError:
        # NumPy's words for a capsule it cannot read (no capsule at all, or one already consumed)
        if source is ext_tensor:
            raise
        raise RuntimeError(
            "from_dlpack received an invalid capsule. Note that DLTensor capsules can be consumed only once, "
            "so you might have already constructed a tensor from it once.") from None
    # torch takes a read-only producer's memory as it is, without from_numpy's warning
    tensor = adopt(array, dt.from_numpy_dtype(array.dtype), warn_read_only=False)
    return tensor if device is None else tensor.to(device, copy=bool(copy))


Tensor.__dlpack__ = dlpack
Tensor.__dlpack_device__ = dlpack_device
