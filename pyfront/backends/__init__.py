"""Backends: one contract (``base.Backend``), one implementation per device type.

Nothing above the backends branches on the device, and nothing here imports the layers above
(tensor, ops, autograd, nn, the public device modules): a backend sees Layouts and Storages.
"""
from __future__ import annotations

import functools
import sys
import threading
import types

_BACKENDS: dict = {}
_UNAVAILABLE: dict = {}  # device type -> why it could not open (kept, so it is not retried per call)
_LOADING = threading.Lock()  # two threads' first use of a device must open one backend, not two
_REPLACED: list = []  # called when a device type's backend goes or is installed anew


def on_replace(fn) -> None:
    """Call ``fn()`` whenever a device type's backend is dropped or installed anew, so a cache of what
    was made for the old backend, keyed by device type alone (a cheaper key), empties itself."""
    _REPLACED.append(fn)


@functools.cache
def host_numpy():
    """NumPy where this build has it, None where it has not (a browser page without the package): the one
    answer to "is NumPy here" (which the cpu backend, bench's devices and the host-side kernels ask)."""
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def get_backend(device):
    backend = _BACKENDS.get(device.type)
    if backend is None:
        with _LOADING:
            backend = _BACKENDS.get(device.type)
            if backend is None:
                backend = _BACKENDS[device.type] = _load(device.type)
    if device.index and device.type != "cpu":  # torch ignores a cpu index
        # each device type here has one device, 0. torch's check of an index past its devices, for the
        # GPU it names by type and index as webgpu is named (c10::xpu::check_device_index; CUDA's is the
        # driver's "invalid device ordinal" with CUDA's debugging advice)
        raise RuntimeError(f"The device index is out of range. It must be in [0, 1), but got {device.index}.")
    return backend


def host_rules(device) -> bool:
    """Whether ``device`` runs ops by their NumPy rules: the cpu, where NumPy is (the page's cpu has none: its
    backend computes on the GPU). Ops with a NumPy rule alone (nll_loss_forward, _softmax_backward_data,
    cummax's extreme_index, nan_to_num's kernel) run there; elsewhere their callers take a composite that
    keeps every step on the device."""
    return device.type == "cpu" and get_backend(device).name == "numpy"


def loaded() -> list:
    """The backends opened so far."""
    return list(_BACKENDS.values())


def available(kind: str):
    """The backend of device type ``kind``, or None where it cannot open here (see ``unavailable``)."""
    if kind not in _BACKENDS and kind not in _UNAVAILABLE:
        from ..device import device
        try:
            get_backend(device(kind))
        except Exception as e:  # no wgpu package, no adapter, no driver: the device is unavailable
            _UNAVAILABLE[kind] = e
    return _BACKENDS.get(kind)


def unavailable(kind: str) -> str:
    """Why device type ``kind`` could not open ("" when it did or was not tried)."""
    e = _UNAVAILABLE.get(kind)
    return "" if e is None else str(e)


def install(kind: str, backend) -> None:
    """Use ``backend`` for device type ``kind`` (opened elsewhere, e.g. asynchronously in a browser)."""
    _BACKENDS[kind] = backend
    _UNAVAILABLE.pop(kind, None)
    for fn in _REPLACED:
        fn()


def forget(kind: str) -> None:
    """Drop a backend whose device is gone (a lost GPU); the next use opens a new one."""
    _BACKENDS.pop(kind, None)
    _UNAVAILABLE.pop(kind, None)
    for fn in _REPLACED:
        fn()


def _load(kind: str):
    if kind == "cpu":
        if host_numpy() is None:  # the browser build may run without NumPy
            from .pure import PureBackend
            return PureBackend()
        from .numpy import NumpyBackend
        return NumpyBackend()
    if kind == "webgpu":
        from .webgpu import WebGPUBackend, open_driver
        return WebGPUBackend(open_driver())
    if kind == "meta":
        from .meta import MetaBackend
        return MetaBackend()
    if kind in ("cuda", "xpu"):  # what torch's builds without them raise
        raise AssertionError(f"Torch not compiled with {kind.upper()} enabled")
    raise RuntimeError(f"PyTorch is not linked with support for {kind} devices")


from . import _fp32_precision as _fp32  # noqa: E402


class GenericModule(types.ModuleType):
    """The package's class, as torch's: ``fp32_precision`` is the generic setting of the float32 precision
    tree (_fp32_precision.py)."""

    fp32_precision = _fp32.leaf_setting("generic", "all")


sys.modules[__name__].__class__ = GenericModule
