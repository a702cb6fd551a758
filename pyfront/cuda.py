"""``pyfront.cuda``: pyfront has no CUDA device; this answers honestly so scripts can ask."""
from __future__ import annotations


def is_available() -> bool:
    return False


def device_count() -> int:
    return 0


def manual_seed(seed) -> None:
    """No CUDA generator exists; the default generator seeds every pyfront device."""


manual_seed_all = manual_seed


def synchronize(device=None) -> None:
    """As a CPU-only torch: there is no CUDA device to wait for (use ``pyfront.accelerator.synchronize``)."""
    _not_compiled()


# What a CPU-only torch build answers, so device-agnostic code runs (or fails) exactly as it does there.
_NO_CUDA = "Torch not compiled with CUDA enabled"


def _not_compiled(*args, **kwargs):
    raise AssertionError(_NO_CUDA)


def is_initialized() -> bool:
    return False


def memory_allocated(device=None) -> int:
    """0: no CUDA memory is ever allocated (a CPU-only torch answers the same)."""
    return 0


max_memory_allocated = memory_reserved = max_memory_reserved = memory_allocated
memory_cached = max_memory_cached = memory_allocated  # torch also warns these are renamed


def memory_stats(device=None) -> dict:
    return {}


def empty_cache() -> None:
    """Nothing is cached; a no-op, as in a CPU-only torch."""


def seed() -> None:
    """A no-op, as in a CPU-only torch."""


seed_all = seed


def get_arch_list() -> list:
    return []


def is_bf16_supported(including_emulation: bool = True) -> bool:
    return False


current_device = get_device_name = get_device_properties = get_device_capability = _not_compiled
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
