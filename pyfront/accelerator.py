"""``pyfront.accelerator``: device-agnostic access to the GPU, as ``torch.accelerator`` (PyTorch 2.6+)."""
from __future__ import annotations

from . import webgpu
from .device import device


def is_available() -> bool:
    return webgpu.is_available()


def current_accelerator(check_available: bool = False):
    """``device(type='webgpu')`` when a GPU is usable, else None."""
    return device("webgpu") if webgpu.is_available() else None


def device_count() -> int:
    return webgpu.device_count()


def current_device_index() -> int:
    return 0


def synchronize(device=None) -> None:
    webgpu.synchronize()
