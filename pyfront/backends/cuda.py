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


def _reduction_setting(value, attr_name: str) -> tuple:
    """torch's reading of a reduced-precision switch: a bool (split-k then allowed), or one or two bools."""
    def ensure_bool(obj, which):
        if isinstance(obj, bool):
            return obj
        raise TypeError(f"{attr_name} expects a bool for {which}, but got {type(obj)!r}")
    if isinstance(value, bool):
        return value, True
    if isinstance(value, (list, tuple)):
        if not value:
            raise TypeError(f"{attr_name} expects at least one boolean argument")
        if len(value) > 2:
            raise TypeError(f"{attr_name} expects at most two boolean arguments")
        allow = ensure_bool(value[0], "allow_reduced_precision")
        return allow, True if len(value) == 1 else ensure_bool(value[1], "allow_splitk")
    raise TypeError(f"{attr_name} expects a bool or a tuple/list of bools, but got {type(value)!r}")


# the reduced-precision switches (each with its split-k part) and fp16 accumulation, as a CPU build keeps them
_REDUCTIONS = {"fp16": [True, True], "bf16": [True, True]}
_FP16_ACCUMULATION = [False]


class cuBLASModule:
    """``torch.backends.cuda.matmul``: its TF32 switches are the float32 precision tree's
    (backends/_fp32_precision.py); the reduced-precision ones are kept (pyfront runs no cuBLAS); any other
    name is refused, as torch's (a mistyped switch would otherwise change nothing, silently)."""

    allow_tf32 = _fp32.Setting(_fp32.allow_tf32_cublas, _fp32.set_allow_tf32_cublas)
    fp32_precision = _fp32.leaf_setting("cuda", "matmul")

    def __getattr__(self, name):
        for kind, pair in _REDUCTIONS.items():
            if name == f"allow_{kind}_reduced_precision_reduction":
                return pair[0]
            if name == f"allow_{kind}_reduced_precision_reduction_split_k":
                return pair[1]
        if name == "allow_fp16_accumulation":
            return _FP16_ACCUMULATION[0]
        raise AttributeError("Unknown attribute " + name)

    def __setattr__(self, name, value):
        if name in ("allow_tf32", "fp32_precision"):
            return object.__setattr__(self, name, value)  # (their Settings)
        for kind, pair in _REDUCTIONS.items():
            if name == f"allow_{kind}_reduced_precision_reduction":
                pair[:] = _reduction_setting(value, name)
                return
        if name == "allow_fp16_accumulation":
            if type(value) is not bool:
                raise RuntimeError("set_allow_fp16_accumulation_cublas expects a bool, but got "
                                   f"{type(value).__name__}")
            _FP16_ACCUMULATION[0] = value
            return
        raise AttributeError("Unknown attribute " + name)


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
