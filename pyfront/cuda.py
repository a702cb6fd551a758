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
    raise RuntimeError("pyfront has no CUDA device; use pyfront.accelerator.synchronize()")
