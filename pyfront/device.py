"""Device objects: ``cpu`` (NumPy) and ``webgpu`` (alias ``gpu``).

PyTorch's other device types name valid devices too (``device("cuda")`` compares and prints); only
placing a tensor on one fails, with PyTorch's error for a build without it (backends._load).
"""

from __future__ import annotations

import re
import threading

_TORCH_TYPES = ("cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, "
                "vulkan, mps, meta, hpu, mtia, privateuseone")
_DEVICE_STRING = re.compile(r"[a-zA-Z_]+(?::(?:[1-9]\d*|0))?")  # PyTorch's: a type and an index
_TYPES = {**{t: t for t in _TORCH_TYPES.split(", ")}, "webgpu": "webgpu", "gpu": "webgpu"}


class device:
    """``device("cpu")``, ``device("webgpu")`` or ``device("webgpu", 0)``, as ``torch.device``."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            self.type, self.index = type.type, type.index
            return
        if isinstance(type, int) and not isinstance(type, bool) and index is None:
            type, index = "webgpu", type  # a bare index names the accelerator, as in PyTorch
        if index is not None:
            if not isinstance(index, int) or isinstance(index, bool):
                raise TypeError(f"device(): argument 'index' (position 2) must be int, not "
                                f"{index.__class__.__name__}")
            if index < 0:
                raise RuntimeError("Device index must not be negative")
            if index >= 2**63:
                raise ValueError("Overflow when unpacking long long")
        if not isinstance(type, str):
            raise TypeError(
                f"device() received an invalid combination of arguments - got ({type.__class__.__name__})"
            )
        if not _DEVICE_STRING.fullmatch(type):
            raise RuntimeError(f"Invalid device string: '{type}'")
        name, _, idx = type.partition(":")
        if name not in _TYPES:
            raise RuntimeError(
                f"Expected one of {_TORCH_TYPES}, webgpu, gpu device type at start of device string: {type}"
            )
        if idx:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was passed "
                                   f"explicitly: {type}")
            if int(idx) >= 2**31:  # PyTorch parses it as a C int
                raise RuntimeError(f"Could not parse device index '{idx}' in device string '{type}'")
            index = int(idx)
        self.type, self.index = _TYPES[name], index

    def __enter__(self):
        """``with torch.device(d):`` factories default to ``d`` inside the block (per thread, nested blocks
        restore the outer default), as torch's device context manager."""
        stack = _default.__dict__.setdefault("stack", [])
        stack.append(_default.device)
        set_default_device(self)
        return self

    def __exit__(self, *exc) -> None:
        _default.device = _default.stack.pop()

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other) -> bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (str(self),))


CPU = device("cpu")


def as_device(d) -> device:
    """Normalise a user's device argument (str, device, or None for cpu)."""
    if d is None:
        return CPU
    if isinstance(d, device):
        return d
    if isinstance(d, int) and not isinstance(d, bool):
        return device("webgpu", d)
    return device(d)


class _DefaultDevice(threading.local):
    device = None  # set_default_device's device, per thread as torch's device context is


_default = _DefaultDevice()


def set_default_device(device) -> None:
    """Where factory functions (zeros, randn, tensor, nn layers' parameters) put a tensor that names no
    device, as ``torch.set_default_device``; ``None`` restores the cpu."""
    d = None if device is None else as_device(device)
    if d is not None and d.type != "cpu" and d.index is None:  # torch reports the current index, 0
        d = globals()["device"](d.type, 0)
    _default.device = d


def get_default_device() -> device:
    """The device ``set_default_device`` chose (the cpu unless changed), as ``torch.get_default_device``."""
    return _default.device or CPU


def factory_device(d) -> device:
    """A factory's ``device`` argument, the default device when it names none."""
    return as_device(d) if d is not None else get_default_device()
