"""Anomaly detection: where in the forward pass a failing backward came from, and NaN checks.

While it is on, every graph node keeps the Python stack of the forward call that made it (the
caller's frames, without pyfront's own), and the engine, when a node's backward raises (or, with
``check_nan``, returns a NaN), warns with that stack before the error goes on, as PyTorch does.
The switch is process-wide, as PyTorch's.
"""
from __future__ import annotations

import os
import traceback
import warnings

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled", "is_anomaly_check_nan_enabled"]

_STATE = {"enabled": False, "check_nan": True}
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def is_anomaly_enabled() -> bool:
    return _STATE["enabled"]


def is_anomaly_check_nan_enabled() -> bool:
    return _STATE["check_nan"]


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    """Turn anomaly detection on or off, as ``torch.set_anomaly_enabled`` (TypeError, as torch's, for a
    non-bool argument)."""
    for position, (name, value) in enumerate((("enabled", enabled), ("check_nan", check_nan)), 1):
        if not isinstance(value, bool):
            raise TypeError(f"set_anomaly_enabled(): argument '{name}' (position {position}) must be bool, "
                            f"not {type(value).__name__}")
    _set(enabled, check_nan)


def _set(enabled: bool, check_nan: bool) -> None:
    _STATE["enabled"], _STATE["check_nan"] = bool(enabled), bool(check_nan)


class detect_anomaly:
    """A context manager (or decorator) that turns anomaly detection on inside it.

    Args:
        check_nan: also raise when a backward function returns NaN. Default: True

    Warns on entry that it slows things down, as ``torch.autograd.detect_anomaly`` does.
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.prev, self.prev_check_nan = is_anomaly_enabled(), is_anomaly_check_nan_enabled()
        self.check_nan = check_nan
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and should "
                      "only be enabled for debugging.", UserWarning, stacklevel=2)

    def __enter__(self) -> None:
        _set(True, self.check_nan)

    def __exit__(self, *args) -> None:
        _set(self.prev, self.prev_check_nan)

    def __call__(self, fn):
        def wrapped(*args, **kwargs):
            with self.__class__(self.check_nan):
                return fn(*args, **kwargs)
        return wrapped


class set_detect_anomaly:
    """Turn anomaly detection on or off, now (a function call) or inside a ``with`` block.

    Args:
        mode: on or off.
        check_nan: also raise when a backward function returns NaN. Default: True
    """

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev, self.prev_check_nan = is_anomaly_enabled(), is_anomaly_check_nan_enabled()
        _set(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *args) -> None:
        _set(self.prev, self.prev_check_nan)


def forward_stack() -> str:
    """The current Python stack without pyfront's own frames, formatted as PyTorch shows it."""
    frames = [f for f in traceback.extract_stack()[:-1] if not f.filename.startswith(_PACKAGE)]
    return "".join(traceback.format_list(frames))


def run_node(node, grads):
    """``node.apply(grads)`` with PyTorch's anomaly checks: on an error (a NaN output included),
    first warn with the stack of the forward call that recorded ``node``."""
    try:
        if node.torch_saved is not None:  # (what it keeps as torch's node: checked as its own saved tensors)
            from .graph import check_torch_saved
            check_torch_saved(node)
        out = node.apply(grads)
        if _STATE["check_nan"]:
            for i, g in enumerate(out if isinstance(out, (tuple, list)) else (out,)):
                if g is not None and g.dtype.is_floating_point and bool(g.isnan().any()):
                    raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")
        return out
    except Exception:
        stack = getattr(node, "_forward_stack", None)
        if stack is not None:
            warnings.warn(f"Error detected in {node.name()}. Traceback of forward call that caused the "
                          f"error:\n{stack}", UserWarning, stacklevel=2)
        raise
