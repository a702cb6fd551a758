"""``pyfront.cpu``: as ``torch.cpu`` (its ``amp`` spelling of autocast, and the device queries)."""
from __future__ import annotations

from . import amp  # noqa: F401


def is_available() -> bool:
    return True


def device_count() -> int:
    return 1


def synchronize(device=None) -> None:
    """The cpu runs each op when it is called: nothing to wait for."""
