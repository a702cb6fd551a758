"""Grad-mode switches: no_grad, enable_grad, set_grad_enabled, inference_mode."""
from __future__ import annotations

import functools

_state = {"enabled": True}


def is_grad_enabled() -> bool:
    return _state["enabled"]


class _GradModeContext:
    """Base of the switches; usable as a context manager and as a decorator, like PyTorch's."""

    mode = True

    def __enter__(self):
        self._prev = _state["enabled"]
        _state["enabled"] = self.mode

    def __exit__(self, *exc):
        _state["enabled"] = self._prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return fn(*args, **kwargs)
        return wrapper


class no_grad(_GradModeContext):
    """Disable gradient recording inside the block."""

    mode = False


class enable_grad(_GradModeContext):
    """Enable gradient recording inside the block."""

    mode = True


class inference_mode(_GradModeContext):
    """Like no_grad (pyfront has no separate inference tensors)."""

    def __init__(self, mode: bool = True):
        self.mode = not mode

    def __call__(self, fn):
        if not callable(fn):
            raise TypeError("inference_mode expects a callable")
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with inference_mode(not mode):
                return fn(*args, **kwargs)
        return wrapper


class set_grad_enabled(_GradModeContext):
    """Set grad mode now; restore the previous mode when used as a context manager."""

    def __init__(self, mode: bool):
        self._prev = _state["enabled"]
        self.mode = bool(mode)
        _state["enabled"] = self.mode

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _state["enabled"] = self._prev
        return False
