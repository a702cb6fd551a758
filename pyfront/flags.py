"""Global switches that PyTorch scripts set for CUDA: accepted, and answered as torch answers them.

pyfront's float32 matmuls are full float32 whatever the precision setting, and its kernels are
deterministic, so these record the user's choice (and what torch derives from it) and change nothing.
"""
from __future__ import annotations

from ._warnings import warn
from .backends import cuda as _cuda

_state = {"precision": "highest", "deterministic": False, "warn_only": False}


def set_float32_matmul_precision(precision: str) -> None:
    if precision not in ("highest", "high", "medium"):
        warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
             "setFloat32MatmulPrecision call has no effect.")
        return
    _state["precision"] = precision
    _cuda.matmul.allow_tf32 = precision != "highest"  # torch ties the two together


def get_float32_matmul_precision() -> str:
    return _state["precision"]


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    _state["deterministic"], _state["warn_only"] = bool(mode), bool(warn_only)


def are_deterministic_algorithms_enabled() -> bool:
    return _state["deterministic"]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    return _state["warn_only"]
