"""``pyfront.backends.cuda``: CUDA's switches, accepted so scripts that set them run.

pyfront has no CUDA device and no TF32 arithmetic: float32 matmuls are always full float32. The scaled
dot product attention switches (``enable_flash_sdp`` / ``flash_sdp_enabled`` and the others, the
deprecated ``sdp_kernel``) are the ones ``torch.nn.attention.sdpa_kernel`` sets, and pyfront's
``scaled_dot_product_attention`` reads them (see ``pyfront.nn.attention``).
"""
from __future__ import annotations

import contextlib
import enum

from . import _fp32_precision as _fp32


class cuBLASModule:
    """``torch.backends.cuda.matmul``: its TF32 switches are the float32 precision tree's
    (backends/_fp32_precision.py)."""

    allow_tf32 = _fp32.Setting(_fp32.allow_tf32_cublas, _fp32.set_allow_tf32_cublas)
    fp32_precision = _fp32.leaf_setting("cuda", "matmul")
    allow_fp16_reduced_precision_reduction = True
    allow_bf16_reduced_precision_reduction = True


matmul = cuBLASModule()


def is_built() -> bool:
    return False


class SDPBackend(enum.Enum):
    """The backends of scaled dot product attention, torch's enum values.

    ERROR (-1), MATH (0), FLASH_ATTENTION (1), EFFICIENT_ATTENTION (2), CUDNN_ATTENTION (3), OVERRIDEABLE (4);
    ``int(backend)`` is the value, as torch's. Used with ``torch.nn.attention.sdpa_kernel``.
    """

    ERROR = -1
    MATH = 0
    FLASH_ATTENTION = 1
    EFFICIENT_ATTENTION = 2
    CUDNN_ATTENTION = 3
    OVERRIDEABLE = 4

    def __int__(self) -> int:
        return self.value


SDPBackend.__module__ = "pyfront.nn.attention"  # where torch users name it
# the backends switched on, process-wide as torch's (changed in place: nn.attention holds the same set)
enabled = {SDPBackend.MATH, SDPBackend.FLASH_ATTENTION, SDPBackend.EFFICIENT_ATTENTION,
           SDPBackend.CUDNN_ATTENTION, SDPBackend.OVERRIDEABLE}
_SWITCHES = {"flash": SDPBackend.FLASH_ATTENTION, "mem_efficient": SDPBackend.EFFICIENT_ATTENTION,
             "math": SDPBackend.MATH, "cudnn": SDPBackend.CUDNN_ATTENTION}


def _switch(backend: SDPBackend, on: bool) -> None:
    if on:
        enabled.add(backend)
    else:
        enabled.discard(backend)


def enable_flash_sdp(enabled: bool) -> None:
    """Allow or forbid the flash attention kernel (torch's cpu build runs one)."""
    _switch(SDPBackend.FLASH_ATTENTION, enabled)


def enable_mem_efficient_sdp(enabled: bool) -> None:
    _switch(SDPBackend.EFFICIENT_ATTENTION, enabled)


def enable_math_sdp(enabled: bool) -> None:
    _switch(SDPBackend.MATH, enabled)


def enable_cudnn_sdp(enabled: bool) -> None:
    _switch(SDPBackend.CUDNN_ATTENTION, enabled)


def flash_sdp_enabled() -> bool:
    return SDPBackend.FLASH_ATTENTION in enabled


def mem_efficient_sdp_enabled() -> bool:
    return SDPBackend.EFFICIENT_ATTENTION in enabled


def math_sdp_enabled() -> bool:
    return SDPBackend.MATH in enabled


def cudnn_sdp_enabled() -> bool:
    return SDPBackend.CUDNN_ATTENTION in enabled


def is_flash_attention_available() -> bool:
    """False, as torch's cpu build: there is no CUDA flash attention."""
    return False


@contextlib.contextmanager
def sdp_kernel(enable_flash: bool = True, enable_math: bool = True, enable_mem_efficient: bool = True,
               enable_cudnn: bool = True):
    """The deprecated ``with torch.backends.cuda.sdp_kernel(...)``: the switches set for the block and
    restored after, with torch's FutureWarning naming ``torch.nn.attention.sdpa_kernel``."""
    import warnings

    warnings.warn("`torch.backends.cuda.sdp_kernel()` is deprecated. In the future, this context manager "
                  "will be removed. Please see `torch.nn.attention.sdpa_kernel()` for the new context "
                  "manager, with updated signature.", FutureWarning, stacklevel=3)
    previous = set(enabled)
    for name, on in (("flash", enable_flash), ("math", enable_math), ("mem_efficient", enable_mem_efficient),
                     ("cudnn", enable_cudnn)):
        _switch(_SWITCHES[name], on)
    try:
        yield {}
    finally:
        enabled.clear()
        enabled.update(previous)
