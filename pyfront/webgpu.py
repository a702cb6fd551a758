"""``pyfront.webgpu``: the WebGPU device, as ``torch.cuda`` is for CUDA."""
from __future__ import annotations

from . import backends


def _backend():
    """The webgpu backend, or None when this machine has no usable adapter (the reason is kept)."""
    return backends.available("webgpu")


def is_available() -> bool:
    return _backend() is not None


def unavailable_reason() -> str:
    return "" if is_available() else backends.unavailable("webgpu")


def device_count() -> int:
    return 1 if is_available() else 0


def current_device() -> int:
    return 0


def get_device_name(device=None) -> str:
    b = _backend()
    if b is None:
        raise RuntimeError(f"no webgpu device: {unavailable_reason()}")
    _check_index(_device_index(device))
    return b.driver.name


def _device_index(device) -> int:
    """torch.cuda's _get_device_index(device, optional=True), for webgpu: an int as given, a device (or
    its string) of webgpu its index, another device type a ValueError, anything else the current device."""
    from .device import device as Device
    if isinstance(device, int):
        return device
    if isinstance(device, str):
        device = Device(device)
    if isinstance(device, Device):
        if device.type != "webgpu":
            raise ValueError(f"Expected a webgpu device, but got: {device}")
        if device.index is not None:
            return device.index
    return current_device()


def _check_index(index: int) -> None:
    """torch's refusal of an index past its devices, as pyfront's device("webgpu:N") (get_backend's)."""
    if not 0 <= index < device_count():
        raise RuntimeError(f"The device index is out of range. It must be in [0, {device_count()}), but got "
                           f"{index}.")


def is_software_renderer() -> bool:
    """Whether the adapter draws on the CPU (Mesa's lavapipe, SwiftShader): correct, but slower than NumPy."""
    b = _backend()
    return bool(b is not None and b.driver.software)


def adapter_info() -> dict:
    """The adapter behind ``device("webgpu")`` and whether it serves as the accelerator, with why.

    Keys: ``name``, ``backend`` (Vulkan, Metal, D3D12, OpenGL, browser), ``type`` (DiscreteGPU,
    IntegratedGPU, CPU, ...; None where the browser does not say), ``software`` (it renders on the
    CPU), ``accelerator`` (what ``pyfront.accelerator.is_available()`` answers) and ``reason``, one line
    saying why. A CPU renderer (lavapipe, SwiftShader, WARP) runs every op correctly but slower than
    NumPy, so natively it is the accelerator only when ``PYFRONT_ADAPTER`` picked it; an explicit
    ``device="webgpu"`` uses it either way. In a browser page WebGPU is always the compute device.
    """
    import sys
    b = _backend()
    if b is None:
        return {"name": None, "backend": None, "type": None, "software": False, "accelerator": False,
                "reason": f"no WebGPU adapter: {unavailable_reason()}"}
    d = b.driver
    info = {"name": d.name, "backend": getattr(d, "backend_type", "browser"),
            "type": getattr(d, "adapter_type", None), "software": bool(d.software), "accelerator": True}
    if sys.platform == "emscripten":
        info["reason"] = f"{d.name} is the page's WebGPU device"
    elif not d.software:
        info["reason"] = f"{d.name} is a GPU"
    elif getattr(d, "chosen_by_user", False):
        info["reason"] = f"{d.name} renders on the CPU, used because PYFRONT_ADAPTER chose it"
    else:
        info["accelerator"] = False
        info["reason"] = (f"{d.name} renders on the CPU (slower than the cpu device), so it is not used "
                          f"as the accelerator; device='webgpu' or PYFRONT_ADAPTER uses it anyway")
    return info


def synchronize(device=None) -> None:
    """Wait for all work queued on the GPU to finish."""
    b = _backend()
    if b is not None:
        b.synchronize()


async def synchronize_async(device=None) -> None:
    """``synchronize()`` that awaits the GPU instead of blocking (the browser's twin)."""
    b = _backend()
    if b is not None:
        await b.synchronize_async()


async def init_async() -> bool:
    """Open the GPU without blocking (for pages without JSPI); returns ``is_available()``."""
    import sys
    if "webgpu" not in backends._BACKENDS and sys.platform == "emscripten":
        from .backends.webgpu import WebGPUBackend
        from .backends.webgpu.browser import BrowserDriver
        try:
            backends.install("webgpu", WebGPUBackend(await BrowserDriver.create_async()))
        except Exception as e:  # no WebGPU in this browser: the device is unavailable
            backends._UNAVAILABLE["webgpu"] = e
    return is_available()


def manual_seed(seed) -> None:
    """One generator serves every device (a seed gives the same stream on each)."""
    from .random import manual_seed as seed_all
    seed_all(seed)


manual_seed_all = manual_seed
