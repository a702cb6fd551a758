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

# the counts set, each read from the environment at its first use (_default_threads)
_THREADS: dict = {"set_num_threads": None, "set_num_interop_threads": None}
_INTEROP_SET = []  # (torch lets a process set its inter-op count once)


def _set_threads(name: str, n) -> None:
    """torch's reading of a thread count: a Python or NumPy int (its C int: "Overflow when unpacking long",
    past int64 "... long long"), positive; the inter-op one once per process."""
    if isinstance(n, bool) or not (isinstance(n, int) or _numpy_int(n)):
        from .ops.argcheck import typename as tp_name  # (CPython's type name: "numpy.float64", "Tensor")
        raise RuntimeError(f"{name} expects an int, but got {tp_name(n)}")
    n = int(n)
    if not -2 ** 63 <= n < 2 ** 63:
        raise ValueError("Overflow when unpacking long long")
    if not -2 ** 31 <= n < 2 ** 31:
        raise ValueError("Overflow when unpacking long")
    if n <= 0:
        raise RuntimeError(f"{name} expects a positive integer")
    if name == "set_num_interop_threads":
        if _INTEROP_SET:
            raise RuntimeError("Error: cannot set number of interop threads after parallel work has started "
                               "or set_num_interop_threads called")
        _INTEROP_SET.append(n)
    _THREADS[name] = n


def _numpy_int(n) -> bool:
    """Whether ``n`` is a NumPy integer scalar, which torch takes for a count (not NumPy's bool)."""
    kind = getattr(getattr(n, "dtype", None), "kind", None)
    return type(n).__module__ == "numpy" and kind in ("i", "u") and not getattr(n, "ndim", 0)


def _threads(name: str) -> int:
    if _THREADS[name] is None:
        _THREADS[name] = _default_threads(name, os.environ)
    return _THREADS[name]


def _default_threads(name: str, environ) -> int:
    """torch's (x86-64, MKL) first thread counts: inter-op, one per physical core; intra-op, MKL's own
    count (as measured with torch 2.13's MKL): MKL_NUM_THREADS (empty or 0: unset; not a positive int: 1),
    else OMP_NUM_THREADS (a positive int, the first of a list; else unread), else one per physical core,
    and at most one per physical core unless MKL_DYNAMIC is false."""
    cores = _physical_cores()
    if name == "set_num_interop_threads":
        return cores
    mkl = environ.get("MKL_NUM_THREADS", "").strip()
    if mkl and mkl != "0":
        asked = _env_count(mkl) or 1
    else:
        asked = _env_count(environ.get("OMP_NUM_THREADS", "").split(",")[0]) or cores
    return asked if environ.get("MKL_DYNAMIC", "").strip().lower() == "false" else min(asked, cores)


def _env_count(value: str) -> int | None:
    """A positive decimal int, else None."""
    value = value.strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def _physical_cores() -> int:
    """The machine's physical cores, as torch's cpuinfo counts them (not its hyper-threads): distinct
    (physical id, core id) pairs of /proc/cpuinfo; the CPU count where it does not say (not Linux, the
    browser)."""
    try:
        with open("/proc/cpuinfo") as f:
            text = f.read()
    except OSError:
        return os.cpu_count() or 1
    cores, package = set(), None
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "physical id":
            package = value.strip()
        elif key.strip() == "core id":
            cores.add((package, value.strip()))
    return len(cores) or os.cpu_count() or 1


def get_num_threads() -> int:
    """The number of threads for intra-op parallelism last set by ``set_num_threads`` (at first the
    environment's count, or one per physical core: _default_threads), as ``torch.get_num_threads``."""
    return _threads("set_num_threads")


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
    host_gemm.set_num_threads(_THREADS["set_num_threads"])  # (a NumPy int given: the Python int read)


def get_num_interop_threads() -> int:
    """The inter-op thread count set by ``set_num_interop_threads`` (at first one per physical core)."""
    return _threads("set_num_interop_threads")


def set_num_interop_threads(n: int) -> None:
    """Record ``n`` as the inter-op thread count, as ``torch.set_num_interop_threads``: pyfront runs an
    op on the calling thread, so there is no pool to resize (see ``set_num_threads`` about NumPy's BLAS
    threads). Raises RuntimeError for a non-int, a count below 1 or a second call, as torch."""
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
