"""``pyfront.cuda``: pyfront has no CUDA device; this answers honestly so scripts can ask.

``python -m pyfront run --cuda-as webgpu`` (or ``PYFRONT_CUDA_AS=webgpu``) opts in to the other
answer: ``is_available()`` is then True and the device type ``cuda`` names the WebGPU device, so
the usual ``device = "cuda" if torch.cuda.is_available() else "cpu"`` runs on the GPU.
"""
from __future__ import annotations

from ..device import _TYPES
from ..errors import OutOfMemoryError  # noqa: F401  (torch.cuda.OutOfMemoryError is torch.OutOfMemoryError)
from ..ops.legacy import CUDA_CLASSES
from . import amp  # noqa: F401  (torch.cuda.amp)

globals().update(CUDA_CLASSES)  # torch.cuda.FloatTensor, ... (the legacy classes of the cuda device)

_AS = {"webgpu": False}


def map_to_webgpu(on: bool = True) -> None:
    """Make ``cuda`` (``"cuda"``, ``"cuda:0"``, ``device("cuda")``, ``.cuda()``) mean the WebGPU device."""
    _AS["webgpu"] = on
    _TYPES["cuda"] = "webgpu" if on else "cuda"


def is_mapped() -> bool:
    return _AS["webgpu"]


def is_available() -> bool:
    if _AS["webgpu"]:
        from .. import webgpu
        return webgpu.is_available()
    return False


def device_count() -> int:
    return 1 if is_available() else 0


def current_device() -> int:
    _need("current_device")
    return 0


def get_device_name(device=None) -> str:
    _need("get_device_name")
    from .. import webgpu
    return webgpu.get_device_name()


def is_bf16_supported(including_emulation: bool = True) -> bool:
    return False  # no CUDA device: torch's CPU build answers so


def manual_seed(seed) -> None:
    """No CUDA generator exists; the default generator seeds every pyfront device."""


manual_seed_all = manual_seed


def empty_cache() -> None:
    """Nothing to free: pyfront's buffer pool is its own."""


def synchronize(device=None) -> None:
    _need("synchronize")
    from .. import webgpu
    webgpu.synchronize()


def _need(what: str) -> None:
    if not is_available():  # what torch's build without CUDA raises
        raise AssertionError("Torch not compiled with CUDA enabled")


# What a CPU-only torch build answers to the rest of torch.cuda, so device-agnostic code runs (or fails)
# exactly as it does there (checked against torch 2.13's CPU build in tests/test_device_agnostic.py).
def _not_compiled(*args, **kwargs):
    raise AssertionError("Torch not compiled with CUDA enabled")


def is_initialized() -> bool:
    return False


def memory_allocated(device=None) -> int:
    """0: no CUDA memory is ever allocated (a CPU-only torch answers the same)."""
    return 0


max_memory_allocated = memory_reserved = max_memory_reserved = memory_allocated
memory_cached = max_memory_cached = memory_allocated


def memory_stats(device=None) -> dict:
    return {}


def seed() -> None:
    """A no-op, as in a CPU-only torch."""


seed_all = seed


def get_arch_list() -> list:
    return []


get_device_properties = get_device_capability = _not_compiled
mem_get_info = init = ipc_collect = current_stream = initial_seed = get_rng_state = _not_compiled


def _missing_binding(binding):
    # a CPU-only torch lacks these C bindings, so the call fails with this AttributeError there
    def call(*args, **kwargs):
        raise AttributeError(f"module 'torch._C' has no attribute '{binding}'")
    return call


reset_peak_memory_stats = reset_max_memory_allocated = reset_max_memory_cached = _missing_binding(
    "_cuda_resetPeakMemoryStats")
reset_accumulated_memory_stats = _missing_binding("_cuda_resetAccumulatedMemoryStats")
set_device = _missing_binding("_cuda_setDevice")
