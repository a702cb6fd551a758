"""autocast's state as functions (``torch.set_autocast_enabled``, ``set_autocast_dtype``, the deprecated
``is_autocast_cpu_enabled`` / ``get_autocast_gpu_dtype`` family that transformers' attention code calls,
the cache switches and the nesting counter): the same per-thread state the ``autocast`` context sets."""
from __future__ import annotations

from .._warnings import warn
from .autocast_mode import _kind, _state, get_autocast_dtype, is_autocast_enabled

def _deprecated(old: str, new: str) -> None:
    """torch's DeprecationWarning (raised in its C++: _warnings adds where)."""
    warn(f"torch.{old} is deprecated. Please use torch.{new} instead.", DeprecationWarning)


def _type_name(value) -> str:
    return type(value).__name__


def set_autocast_enabled(*args) -> None:
    """``set_autocast_enabled(device_type, enabled)``, or ``set_autocast_enabled(enabled)`` for cuda: turn
    autocast on or off for the device type, keeping its dtype, as torch's (TypeError as torch's for a
    non-bool ``enabled`` or other arguments)."""
    if len(args) == 1 and isinstance(args[0], bool):
        device_type, enabled = "cuda", args[0]
    elif len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], bool):
        device_type, enabled = args
    elif len(args) in (1, 2) and not isinstance(args[-1], bool) and (
            len(args) == 1 or isinstance(args[0], str)):
        raise TypeError(f"set_autocast_enabled(): argument 'enabled' (position {len(args)}) must be bool, "
                        f"not {_type_name(args[-1])}")
    else:
        got = ", ".join(_type_name(a) for a in args)
        raise TypeError(f"set_autocast_enabled() received an invalid combination of arguments - got ({got}), "
                        "but expected one of:\n * (str device_type, bool enabled)\n * (bool enabled)\n")
    kind = _kind(device_type)
    if enabled:
        _state.dtype[kind] = get_autocast_dtype(device_type)
    else:
        _state.dtype.pop(kind, None)


def set_autocast_dtype(device_type: str, dtype) -> None:
    """The dtype autocast uses on ``device_type`` from now on (and at once, where it is on)."""
    _state.default[device_type] = dtype
    kind = _kind(device_type)
    if kind in _state.dtype:
        _state.dtype[kind] = dtype


def _check_bool(enabled) -> None:
    if not isinstance(enabled, bool):
        raise TypeError(f"enabled must be a bool (got {_type_name(enabled)})")


def is_autocast_cpu_enabled() -> bool:
    _deprecated("is_autocast_cpu_enabled()", "is_autocast_enabled('cpu')")
    return is_autocast_enabled("cpu")


def set_autocast_cpu_enabled(enabled: bool) -> None:
    _check_bool(enabled)  # (torch checks the argument's type before it warns)
    _deprecated("set_autocast_cpu_enabled(enabled)", "set_autocast_enabled('cpu', enabled)")
    set_autocast_enabled("cpu", enabled)


def get_autocast_cpu_dtype():
    _deprecated("get_autocast_cpu_dtype()", "get_autocast_dtype('cpu')")
    return get_autocast_dtype("cpu")


def get_autocast_gpu_dtype():
    _deprecated("get_autocast_gpu_dtype()", "get_autocast_dtype('cuda')")
    return get_autocast_dtype("cuda")


def set_autocast_cpu_dtype(dtype) -> None:
    _deprecated("set_autocast_cpu_dtype(dtype)", "set_autocast_dtype('cpu', dtype)")
    set_autocast_dtype("cpu", dtype)


def set_autocast_gpu_dtype(dtype) -> None:
    _deprecated("set_autocast_gpu_dtype(dtype)", "set_autocast_dtype('cuda', dtype)")
    set_autocast_dtype("cuda", dtype)


_cache = {"enabled": True, "nesting": 0}  # pyfront casts once per op call: there is no cache to keep


def is_autocast_cache_enabled() -> bool:
    return _cache["enabled"]


def set_autocast_cache_enabled(enabled: bool) -> None:
    _check_bool(enabled)
    _cache["enabled"] = enabled


def clear_autocast_cache() -> None:
    """Nothing is cached between ops here."""


def autocast_increment_nesting() -> int:
    _cache["nesting"] += 1
    return _cache["nesting"]


def autocast_decrement_nesting() -> int:
    _cache["nesting"] -= 1
    return _cache["nesting"]
