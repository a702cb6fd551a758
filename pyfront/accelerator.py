"""``pyfront.accelerator``: device-agnostic access to the GPU, as ``torch.accelerator`` (PyTorch 2.6+)."""
from __future__ import annotations

from . import webgpu
from .device import device


def is_available() -> bool:
    """Whether a GPU is there to speed things up: a CPU renderer is not one unless asked for
    (``pyfront.webgpu.adapter_info()["reason"]`` says why)."""
    return webgpu.adapter_info()["accelerator"]


def current_accelerator(check_available: bool = False):
    """``device(type='webgpu')`` when a GPU accelerates, else None (see ``is_available``)."""
    return device("webgpu") if is_available() else None


def device_count() -> int:
    return 1 if is_available() else 0


def current_device_index() -> int:
    return 0


def synchronize(device=None) -> None:
    webgpu.synchronize()
