"""``pyfront.cuda``: pyfront has no CUDA device; this answers honestly so scripts can ask.

``python -m pyfront run --cuda-as webgpu`` (or ``PYFRONT_CUDA_AS=webgpu``) opts in to the other
answer: ``is_available()`` is then True and the device type ``cuda`` names the WebGPU device, so
the usual ``device = "cuda" if torch.cuda.is_available() else "cpu"`` runs on the GPU.
"""
from __future__ import annotations

from ..device import _TYPES
from . import amp  # noqa: F401  (torch.cuda.amp)

_AS = {"webgpu": False}


def map_to_webgpu(on: bool = True) -> None:
    """Make ``cuda`` (``"cuda"``, ``"cuda:0"``, ``device("cuda")``, ``.cuda()``) mean the WebGPU device."""
    _AS["webgpu"] = on
    _TYPES["cuda"] = "webgpu" if on else "cuda"


def is_mapped() -> bool:
    return _AS["webgpu"]


def is_available() -> bool:
    if _AS["webgpu"]:
        from .. import webgpu
        return webgpu.is_available()
    return False


def device_count() -> int:
    return 1 if is_available() else 0


def current_device() -> int:
    _need("current_device")
    return 0


def get_device_name(device=None) -> str:
    _need("get_device_name")
    from .. import webgpu
    return webgpu.get_device_name()


def is_bf16_supported(including_emulation: bool = True) -> bool:
    return False  # pyfront has no bfloat16 dtype


def manual_seed(seed) -> None:
    """No CUDA generator exists; the default generator seeds every pyfront device."""


manual_seed_all = manual_seed


def empty_cache() -> None:
    """Nothing to free: pyfront's buffer pool is its own."""


def synchronize(device=None) -> None:
    _need("synchronize")
    from .. import webgpu
    webgpu.synchronize()


def _need(what: str) -> None:
    if not is_available():  # what torch's build without CUDA raises
        raise AssertionError("Torch not compiled with CUDA enabled")
