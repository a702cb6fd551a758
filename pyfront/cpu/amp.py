"""``pyfront.cpu.amp``: PyTorch's deprecated spellings of ``torch.amp.autocast("cpu", ...)`` and
``torch.amp.GradScaler("cpu", ...)``."""
from __future__ import annotations

from ..amp.autocast_mode import autocast as _autocast
from ..amp.grad_scaler import deprecated_spelling
from .._warnings import warn


class autocast(_autocast):
    """``torch.cpu.amp.autocast(...)``: ``torch.amp.autocast("cpu", ...)`` with torch's FutureWarning."""

    def __init__(self, enabled: bool = True, dtype=None, cache_enabled: bool = True):
        warn("`torch.cpu.amp.autocast(args...)` is deprecated. Please use `torch.amp.autocast('cpu', "
             "args...)` instead.", FutureWarning)
        super().__init__("cpu", dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)


GradScaler = deprecated_spelling("cpu", __name__)
