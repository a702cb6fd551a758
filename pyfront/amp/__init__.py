"""``pyfront.amp``: automatic mixed precision, as ``torch.amp`` (autocast, GradScaler and the custom
Function decorators custom_fwd/custom_bwd)."""
from __future__ import annotations

from .autocast_mode import autocast, get_autocast_dtype, is_autocast_enabled
from .custom import custom_bwd, custom_fwd, is_autocast_available
from .grad_scaler import GradScaler

__all__ = ["autocast", "GradScaler", "is_autocast_enabled", "get_autocast_dtype", "is_autocast_available",
           "custom_fwd", "custom_bwd"]
