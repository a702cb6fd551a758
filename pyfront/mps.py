"""``pyfront.mps``: pyfront has no MPS device (it reaches Apple GPUs through WebGPU/Metal); this answers as
torch without the MPS backend does. ``pyfront.backends.mps`` is the other half of the same answer."""
from __future__ import annotations


def _without(call: str):
    def fail(*args, **kwargs):
        raise RuntimeError(f"Cannot execute {call}() without MPS backend.")
    return fail


def is_available() -> bool:
    return False


def device_count() -> int:
    return 0


def manual_seed(seed) -> None:
    """No MPS generator exists: a no-op, as in torch without MPS."""


seed = get_rng_state = set_rng_state = _without("getDefaultGenerator")
synchronize = _without("deviceSynchronize")
empty_cache = _without("emptyCache")
current_allocated_memory = _without("getCurrentAllocatedMemory")
driver_allocated_memory = _without("getDriverAllocatedMemory")
recommended_max_memory = _without("getRecommendedMaxMemory")
