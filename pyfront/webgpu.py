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


def get_device_name(index: int = 0) -> str:
    b = _backend()
    if b is None:
        raise RuntimeError(f"no webgpu device: {unavailable_reason()}")
    return b.driver.name


def is_software_renderer() -> bool:
    """Whether the adapter draws on the CPU (Mesa's lavapipe, SwiftShader): correct, but slower than NumPy."""
    b = _backend()
    return bool(b is not None and b.driver.software)


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
