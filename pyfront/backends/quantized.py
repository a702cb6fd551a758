"""``pyfront.backends.quantized``: pyfront computes no quantized kernels, so it answers as a torch build
without a quantized engine: ``engine`` is ``"none"``, the one value ``supported_engines`` lists and the one
the setter takes (torch's words for another)."""
from __future__ import annotations

import sys
import types


class _QuantizedEngine:
    """``torch.backends.quantized.engine``'s descriptor: reads ``"none"``, refuses any other value."""

    def __get__(self, obj, objtype=None) -> str:
        return "none"

    def __set__(self, obj, value) -> None:
        if value != "none":
            raise RuntimeError(f"{value} is not a valid value for quantized engine")


class QuantizedEngine(types.ModuleType):
    """The module's class, as torch's (``torch.backends.quantized`` is a QuantizedEngine module)."""

    engine = _QuantizedEngine()
    supported_engines = ["none"]


sys.modules[__name__].__class__ = QuantizedEngine
