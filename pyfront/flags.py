"""Global switches that PyTorch scripts set for CUDA: accepted, and answered as torch answers them.

pyfront's float32 matmuls are full float32 whatever the precision setting, and its kernels are
deterministic, so these record the user's choice (and what torch derives from it) and change nothing.
"""
from __future__ import annotations

from . import _warnings
from ._warnings import warn
from .backends import _fp32_precision as _fp32

_state = {"deterministic": False, "warn_only": False}


def set_float32_matmul_precision(precision: str) -> None:
    if precision not in ("highest", "high", "medium"):
        warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
             "setFloat32MatmulPrecision call has no effect.")
        return
    _fp32.set_matmul_precision(precision)  # (and the matmul leaves of the precision tree, as torch's)


def get_float32_matmul_precision() -> str:
    return _fp32.matmul_precision()


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    _state["deterministic"], _state["warn_only"] = bool(mode), bool(warn_only)


def are_deterministic_algorithms_enabled() -> bool:
    return _state["deterministic"]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    return _state["warn_only"]


_DEBUG_MODES = ("default", "warn", "error")


def set_deterministic_debug_mode(debug_mode) -> None:
    """``use_deterministic_algorithms`` by level: 0/"default" off, 1/"warn" warn only, 2/"error" on."""
    if isinstance(debug_mode, str):
        if debug_mode not in _DEBUG_MODES:
            raise RuntimeError("invalid value of debug_mode, expected one of `default`, `warn`, `error`, "
                               f"but got {debug_mode}")
        debug_mode = _DEBUG_MODES.index(debug_mode)
    elif not isinstance(debug_mode, int):
        raise TypeError(f"debug_mode must be str or int, but got {type(debug_mode)}")
    if debug_mode not in (0, 1, 2):
        raise RuntimeError(f"invalid value of debug_mode, expected 0, 1, or 2, but got {debug_mode}")
    use_deterministic_algorithms(debug_mode > 0, warn_only=debug_mode == 1)


def get_deterministic_debug_mode() -> int:
    """0, 1 or 2: the level ``set_deterministic_debug_mode`` takes."""
    return 0 if not _state["deterministic"] else 1 if _state["warn_only"] else 2


def set_warn_always(b: bool) -> None:
    """When True, warnings torch gives once per process are given every time."""
    _warnings.WARN_ALWAYS[0] = bool(b)


def is_warn_always_enabled() -> bool:
    return _warnings.WARN_ALWAYS[0]
