"""``pyfront.xpu``: pyfront has no Intel XPU device; this answers as a torch built without XPU does, so
device-picking code (``torch.xpu.is_available()``, as pytorch/examples' scripts ask) runs unchanged."""
from __future__ import annotations


def _not_compiled(*args, **kwargs):
    raise AssertionError("Torch not compiled with XPU enabled")


def is_available() -> bool:
    return False


def is_initialized() -> bool:
    return False


def device_count() -> int:
    return 0


def is_bf16_supported(including_emulation: bool = True) -> bool:
    return False


def get_arch_list() -> list:
    return []


def memory_allocated(device=None) -> int:
    """0: no XPU memory is ever allocated (torch without XPU answers the same)."""
    return 0


max_memory_allocated = memory_reserved = max_memory_reserved = memory_allocated


def manual_seed(seed) -> None:
    """No XPU generator exists: a no-op, as in torch without XPU."""


manual_seed_all = manual_seed


def seed() -> None:
    """A no-op, as in torch without XPU."""


seed_all = empty_cache = seed

synchronize = current_device = get_device_name = get_device_properties = _not_compiled
get_device_capability = set_device = initial_seed = get_rng_state = init = _not_compiled
