"""Process-wide settings scripts set at their top (thread counts, denormals, the legacy default tensor
type) and the small queries on objects that live next to them in ``torch`` (``is_storage``,
``get_device``, ``is_same_size``, ``is_signed``)."""
from __future__ import annotations

import os

from . import _warnings
from . import dtypes as dt
from .backends import host_gemm
from .backends.storage import Storage
from .nn.modules.module import typename
from .tensor import Tensor

__all__ = ["get_num_threads", "set_num_threads", "get_num_interop_threads", "set_num_interop_threads",
           "set_flush_denormal", "set_default_tensor_type", "typename", "is_storage", "get_device",
           "is_same_size", "is_signed"]

# torch's defaults: one intra-op thread per core, as many inter-op threads
_THREADS = {"set_num_threads": os.cpu_count() or 1, "set_num_interop_threads": os.cpu_count() or 1}


def _set_threads(name: str, n) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise RuntimeError(f"{name} expects an int, but got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError(f"{name} expects a positive integer")
    _THREADS[name] = n


def get_num_threads() -> int:
    """The number of threads for intra-op parallelism last set by ``set_num_threads`` (at first the
    number of CPUs), as ``torch.get_num_threads``."""
    return _THREADS["set_num_threads"]


def set_num_threads(n: int) -> None:
    """Record ``n`` as the intra-op thread count ``get_num_threads`` answers, as ``torch.set_num_threads``.

    Where the ``mkl`` extra is installed, the cpu device's matrix products run on MKL, whose pool is
    resized to ``n`` as torch resizes its own. NumPy's OpenBLAS (the other products, and every product
    without MKL) sizes its thread pool when it loads: changing that pool while the process runs is not
    safe, so for it the number is recorded, not applied: set ``OPENBLAS_NUM_THREADS`` /
    ``OMP_NUM_THREADS`` before the process starts. Raises RuntimeError, as torch, for a non-int or a
    count below 1.
    """
    _set_threads("set_num_threads", n)
    host_gemm.set_num_threads(n)


def get_num_interop_threads() -> int:
    """The inter-op thread count last set by ``set_num_interop_threads`` (at first the number of CPUs)."""
    return _THREADS["set_num_interop_threads"]


def set_num_interop_threads(n: int) -> None:
    """Record ``n`` as the inter-op thread count, as ``torch.set_num_interop_threads``: pyfront runs an
    op on the calling thread, so there is no pool to resize (see ``set_num_threads`` about NumPy's BLAS
    threads). Raises RuntimeError for a non-int or a count below 1."""
    _set_threads("set_num_interop_threads", n)


def set_flush_denormal(mode: bool) -> bool:
    """Ask for denormal floats to be flushed to zero, as ``torch.set_flush_denormal``; returns whether
    that is supported. NumPy gives no control over the CPU's FTZ/DAZ flags (WGSL leaves denormals to the
    GPU), so pyfront computes with denormals kept and answers False, as torch does on a CPU without the
    SSE3 flags. Raises RuntimeError for a non-bool ``mode``."""
    if not isinstance(mode, bool):
        raise RuntimeError(f"flush_denormal expects a bool, but got {type(mode).__name__}")
    return False


_TENSOR_TYPES = {"FloatTensor": dt.float32, "DoubleTensor": dt.float64, "HalfTensor": dt.float16,
                 "BFloat16Tensor": dt.bfloat16}


def set_default_tensor_type(t, /) -> None:
    """Set the default floating dtype from a legacy tensor type (``torch.DoubleTensor`` or the string
    ``"torch.DoubleTensor"``), as the deprecated ``torch.set_default_tensor_type``: it warns once, as
    torch, to use ``set_default_dtype`` and ``set_default_device`` instead. Raises TypeError for an
    integer or bool tensor type and for ``torch.cuda.*`` types (no CUDA here)."""
    _warnings.warn_once("torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
                        "torch.set_default_dtype() and torch.set_default_device() as alternatives.")
    if isinstance(t, str):
        if t.startswith("torch.cuda."):
            raise TypeError(f"type {t} not available. Torch not compiled with CUDA enabled.")
        module, _, name = t.rpartition(".")
        if module != "torch":
            raise ModuleNotFoundError(f"No module named '{module or t}'")
        from . import ops  # the legacy classes, by name
        if not hasattr(ops.legacy, name):
            raise AttributeError(f"module 'torch' has no attribute '{name}'")
        t = getattr(ops.legacy, name)
    dtype = _TENSOR_TYPES.get(getattr(t, "__name__", None)) if isinstance(t, type) else None
    if dtype is None or getattr(t, "_dtype", None) is not dtype:
        prefix = "invalid type object: " if not isinstance(t, type) or not issubclass(t, Tensor) else ""
        raise TypeError(f"{prefix}only floating-point types are supported as the default type")
    dt.set_default_dtype(dtype)


def is_storage(obj) -> bool:
    """Whether ``obj`` is a tensor's storage (what ``untyped_storage()`` or ``storage()`` returns), as
    ``torch.is_storage``."""
    from .storage import TypedStorage, UntypedStorage
    return isinstance(obj, (UntypedStorage, TypedStorage, Storage))


def get_device(input: Tensor) -> int:
    """The index of ``input``'s accelerator, -1 on the cpu, as ``torch.get_device``."""
    return -1 if input.device.type == "cpu" else input.device.index or 0


def is_same_size(input: Tensor, other: Tensor) -> bool:
    """Whether the two tensors have the same shape, as ``torch.is_same_size``."""
    return input.shape == other.shape


def is_signed(input: Tensor) -> bool:
    """Whether ``input``'s dtype is signed, as ``torch.is_signed``."""
    return input.is_signed()


Tensor.get_device = get_device
Tensor.is_same_size = is_same_size
