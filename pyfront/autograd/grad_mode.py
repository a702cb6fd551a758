"""Grad-mode switches: no_grad, enable_grad, set_grad_enabled, inference_mode.

As in PyTorch, the modes are per thread: a ``no_grad`` block in one thread leaves autograd on in
the others, and every new thread starts with grad mode on and inference mode off.
"""
from __future__ import annotations

import functools
import threading


class _ThreadState(threading.local):
    def __init__(self):
        self.enabled = True     # grad mode
        self.inference = False  # inference mode (pyfront has no inference tensors: it is no_grad)


_state = _ThreadState()

# inference_mode blocks open in any thread: while there are none, a tensor made per op need not read its
# thread's state (a thread-local read costs as much as a Python call). Counted under a lock: two threads
# entering at once must not lose a count
_inference_blocks = [0]
_inference_lock = threading.Lock()


def is_grad_enabled() -> bool:
    return _state.enabled


def is_inference_mode_enabled() -> bool:
    return _state.inference


class _GradModeContext:
    """Base of the switches; usable as a context manager and as a decorator, like PyTorch's."""

    mode = True

    def __enter__(self):
        self._prev = _state.enabled
        _state.enabled = self.mode

    def __exit__(self, *exc):
        _state.enabled = self._prev
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
    """Like no_grad (pyfront has no separate inference tensors); ``inference_mode(False)`` turns
    grad mode back on, as PyTorch's does."""

    def __init__(self, mode: bool = True):
        self.inference = bool(mode)
        self.mode = not mode

    def __enter__(self):
        self._prev = (_state.enabled, _state.inference)
        if self.inference:
            with _inference_lock:
                _inference_blocks[0] += 1
        _state.enabled, _state.inference = self.mode, self.inference

    def __exit__(self, *exc):
        _state.enabled, _state.inference = self._prev
        if self.inference:
            with _inference_lock:
                _inference_blocks[0] -= 1
        return False

    def __call__(self, fn):
        if not callable(fn):
            raise TypeError("inference_mode expects a callable")
        inference = self.inference

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with inference_mode(inference):
                return fn(*args, **kwargs)
        return wrapper


class set_grad_enabled(_GradModeContext):
    """Set grad mode now; restore the previous mode when used as a context manager."""

    def __init__(self, mode: bool):
        self._prev = _state.enabled
        self.mode = bool(mode)
        _state.enabled = self.mode

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _state.enabled = self._prev
        return False
