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


def get_device_module(device=None):
    """The module of ``device``'s type (``torch.get_device_module("cpu")`` is ``torch.cpu``; ``None``, the
    current accelerator's, or ``torch.cpu`` without one), as torch's; RuntimeError, as torch's, for
    another type of argument or a device type without a module."""
    import sys

    from .device import device as device_class

    if isinstance(device, device_class):
        kind = device.type
    elif isinstance(device, str):
        kind = device_class(device).type
    elif device is None:
        kind = (current_accelerator() or device_class("cpu")).type
    else:
        raise RuntimeError(f"Invalid value of device '{device}', expect torch.device, str, or None")
    module = getattr(sys.modules[__name__.rpartition(".")[0]], kind, None)
    if module is None or not hasattr(module, "is_available"):
        raise RuntimeError(f"Device '{kind}' does not have a corresponding module registered as "
                           f"'torch.{kind}'.")
    return module
