"""Grad-mode switches: no_grad, enable_grad, set_grad_enabled, inference_mode.

As in PyTorch, the modes are per thread: a ``no_grad`` block in one thread leaves autograd on in
the others, and every new thread starts with grad mode on and inference mode off.
"""
from __future__ import annotations

import functools
import threading


class _ThreadState(threading.local):
    def __init__(self):
        self.grad = True        # grad mode, as is_grad_enabled() tells it
        self.inference = False  # inference mode: what is made in it is an inference tensor
        # whether ops record a graph: grad mode outside inference mode (in inference mode nothing is
        # recorded, enable_grad or not, as PyTorch's); the one flag every op reads
        self.enabled = True


_state = _ThreadState()


def is_grad_enabled() -> bool:
    return _state.grad


def _set_grad(mode: bool) -> None:
    _state.grad = mode
    _state.enabled = mode and not _state.inference


def is_inference_mode_enabled() -> bool:
    return _state.inference


class _GradModeContext:
    """Base of the switches; usable as a context manager and as a decorator, like PyTorch's."""

    mode = True

    def __enter__(self):
        self._prev = _state.grad
        _set_grad(self.mode)

    def __exit__(self, *exc):
        _set_grad(self._prev)
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
    """Inference mode: no graph is recorded (even under ``enable_grad``) and every tensor made is an
    inference tensor (``Tensor.is_inference``), which outside the mode refuses in-place updates,
    ``requires_grad`` and being saved for backward, as PyTorch's; ``inference_mode(False)`` leaves
    the mode and turns grad mode back on, as PyTorch's does."""

    def __init__(self, mode: bool = True):
        self.inference = bool(mode)
        self.mode = not mode

    def __enter__(self):
        self._prev = (_state.grad, _state.inference)
        _state.inference = self.inference
        _set_grad(self.mode)

    def __exit__(self, *exc):
        _state.grad, _state.inference = self._prev
        _set_grad(_state.grad)
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
        self._prev = _state.grad
        self.mode = bool(mode)
        _set_grad(self.mode)

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _set_grad(self._prev)
        return False
