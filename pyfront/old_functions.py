"""Functions torch keeps at its top level for old scripts and the JIT, which real programs still call:
``torch.fill`` and ``torch.detach`` (the out-of-place twins of Tensor methods), ``torch.frobenius_norm``
and ``torch.nuclear_norm`` (deprecated for ``torch.linalg``'s norms, with torch's warning), and
``Tensor.storage_type()`` (the legacy storage class of a tensor's dtype)."""
from __future__ import annotations

from ._warnings import warn_once
from .dtypes import scalar_name
from .tensor import Tensor

__all__ = ["fill", "detach", "frobenius_norm", "nuclear_norm", "is_vulkan_available"]


def fill(input, value):
    """A new tensor of ``input``'s shape, dtype and device filled with ``value`` (a number or a 0-d
    tensor)."""
    return input.clone().fill_(value)


def detach(input):
    """``input.detach()``: the same data, cut off from the graph."""
    return input.detach()


def _deprecated(name: str, instead: str) -> None:
    warn_once(f"at::{name} is deprecated and it is just left for JIT compatibility. It will be removed in a "
              f"future PyTorch release. Please use `{instead}` instead")


def frobenius_norm(input, dim=(), keepdim=False):
    """The 2-norm over ``dim`` (every dim when empty), as ``linalg.vector_norm(input, 2, dim, keepdim)``."""
    from .linalg import vector_norm
    _deprecated("frobenius_norm", "linalg.vector_norm(A, 2., dim, keepdim)")
    if input.dtype.kind not in "fc":  # torch runs it as torch.norm, which refuses in its own words
        raise RuntimeError("norm(): input dtype should be either floating point or complex. Got "
                           f"{scalar_name(input.dtype)} instead.")
    dims = (dim,) if isinstance(dim, int) else tuple(dim)  # (torch takes one dim as an int too)
    return vector_norm(input, 2, dim=dims or None, keepdim=keepdim)


def nuclear_norm(input, dim=None, keepdim=False):
    """The sum of singular values over the matrix dims ``dim`` (the last two when not given)."""
    from .linalg import matrix_norm
    _deprecated("nuclear_norm", "linalg.matrix_norm(A, 'nuc', dim, keepdim)")
    if isinstance(dim, bool):  # nuclear_norm(input, keepdim)
        dim, keepdim = None, dim
    return matrix_norm(input, "nuc", dim=(-2, -1) if dim is None else tuple(dim), keepdim=keepdim)


def is_vulkan_available(*_ignored, **_also) -> bool:  # (torch's binding takes any arguments and reads none)
    return False  # pyfront's GPU is WebGPU (which may run on Vulkan underneath), not torch's Vulkan backend


def storage_type(self):
    """The legacy storage class of this tensor's dtype (``torch.FloatStorage`` for float32); None for a dtype
    that has none (uint16/32/64, the float8 family), as torch."""
    from .storage import LEGACY_CLASSES, _LEGACY_NAMES, _warn_typed_storage_removal
    _warn_typed_storage_removal()
    legacy = _LEGACY_NAMES.get(self.dtype)
    return None if legacy is None else LEGACY_CLASSES[legacy + "Storage"]


Tensor.storage_type = storage_type
for _device in ("xla", "ipu", "mtia", "maia", "vulkan"):  # devices pyfront has none of
    setattr(Tensor, f"is_{_device}", property(lambda self: False))
