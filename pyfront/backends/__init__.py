"""Backends: one interface, one implementation per device type.

Every backend offers: ``from_list``/``from_array`` (upload), ``to_list``/``to_array`` (download),
``run(op, inputs, attrs, out_meta)``, ``write(dst, src)`` for in-place updates, ``full``,
``arange``, ``random`` and ``synchronize``. Nothing above the backends branches on the device.
"""
from __future__ import annotations

_BACKENDS: dict = {}


def get_backend(device):
    backend = _BACKENDS.get(device.type)
    if backend is None:
        backend = _BACKENDS[device.type] = _load(device.type)
    return backend


def _load(kind: str):
    if kind == "cpu":
        from .numpy import NumpyBackend
        return NumpyBackend()
    raise RuntimeError(f"pyfront was not able to use the '{kind}' device: its backend is not "
                       "available in this build; use device='cpu'")
