"""Backends: one interface, one implementation per device type.

Every backend offers: ``from_list``/``from_array`` (upload), ``to_list``/``to_array`` (download),
``run(op, inputs, attrs, out_meta)``, ``write(dst, src)`` for in-place updates, ``full``,
``arange``, ``random`` and ``synchronize``. Nothing above the backends branches on the device.
"""
from __future__ import annotations

import threading

_BACKENDS: dict = {}
_LOADING = threading.Lock()  # two threads' first use of a device must open one backend, not two


def get_backend(device):
    backend = _BACKENDS.get(device.type)
    if backend is None:
        with _LOADING:
            backend = _BACKENDS.get(device.type)
            if backend is None:
                backend = _BACKENDS[device.type] = _load(device.type)
    return backend


def forget(kind: str) -> None:
    """Drop a backend whose device is gone (a lost GPU); the next use opens a new one."""
    _BACKENDS.pop(kind, None)
    if kind == "webgpu":
        from .. import webgpu
        webgpu._state.clear()


def _load(kind: str):
    if kind == "cpu":
        try:
            from .numpy import NumpyBackend
        except ImportError:  # the browser build may run without NumPy
            from .pure import PureBackend
            return PureBackend()
        return NumpyBackend()
    if kind == "webgpu":
        from .webgpu import WebGPUBackend
        from .webgpu.driver import open_driver
        return WebGPUBackend(open_driver())
    if kind in ("cuda", "xpu"):  # what torch's builds without them raise
        raise AssertionError(f"Torch not compiled with {kind.upper()} enabled")
    raise RuntimeError(f"PyTorch is not linked with support for {kind} devices")
