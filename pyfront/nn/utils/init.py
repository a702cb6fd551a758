"""``nn.utils.skip_init``: build a module without paying for its parameters' initialisation, as torch's."""
from __future__ import annotations

import inspect

from ..modules.module import Module

__all__ = ["skip_init"]


def skip_init(module_cls, *args, **kwargs):
    """An instance of ``module_cls(*args, **kwargs)`` whose parameters and buffers hold unspecified values,
    as ``torch.nn.utils.skip_init``.

    torch builds the module on its ``meta`` device and allocates it afterwards, uninitialised; pyfront has
    no meta device, so the module is built directly on ``device`` (default ``cpu``, as torch's) and its
    values are whatever its own initialisation gives: equally unspecified to the caller.

    Args:
        module_cls: a Module class whose constructor takes ``device``.
        *args, **kwargs: its constructor's arguments (``device``: where it lives).

    Raises:
        RuntimeError: not a Module class, or one without a ``device`` argument (torch's texts).
    """
    if not (isinstance(module_cls, type) and issubclass(module_cls, Module)):
        raise RuntimeError(f"Expected a Module; got {module_cls}")
    if "device" not in inspect.signature(module_cls).parameters:
        raise RuntimeError("Module must support a 'device' arg to skip initialization")
    kwargs["device"] = kwargs.pop("device", "cpu")
    return module_cls(*args, **kwargs)
