"""``pyfront.cuda.amp``: PyTorch's deprecated spellings of ``torch.amp`` for the device ``cuda``."""
from __future__ import annotations

from ..amp import custom as _custom
from ..amp.autocast_mode import autocast as _autocast
from ..amp.grad_scaler import deprecated_spelling
from .._warnings import warn


class autocast(_autocast):
    """``torch.cuda.amp.autocast(...)``: ``torch.amp.autocast("cuda", ...)`` with torch's FutureWarning."""

    def __init__(self, enabled: bool = True, dtype=None, cache_enabled: bool = True):
        warn("`torch.cuda.amp.autocast(args...)` is deprecated. Please use `torch.amp.autocast('cuda', "
             "args...)` instead.", FutureWarning)
        from .. import dtypes
        super().__init__("cuda", dtype=dtypes.float16 if dtype is None else dtype, enabled=enabled,
                         cache_enabled=cache_enabled)


GradScaler = deprecated_spelling("cuda", __name__)


def custom_fwd(fwd=None, *, cast_inputs=None):
    """``torch.cuda.amp.custom_fwd``: ``torch.amp.custom_fwd(device_type="cuda")``, with torch's
    FutureWarning."""
    warn("`torch.cuda.amp.custom_fwd(args...)` is deprecated. Please use `torch.amp.custom_fwd(args..., "
         "device_type='cuda')` instead.", FutureWarning)
    return _custom.custom_fwd(fwd, device_type="cuda", cast_inputs=cast_inputs)


def custom_bwd(bwd):
    """``torch.cuda.amp.custom_bwd``: ``torch.amp.custom_bwd(device_type="cuda")``, with torch's
    FutureWarning."""
    warn("`torch.cuda.amp.custom_bwd(args...)` is deprecated. Please use `torch.amp.custom_bwd(args..., "
         "device_type='cuda')` instead.", FutureWarning)
    return _custom.custom_bwd(bwd, device_type="cuda")
