"""``pyfront.utils``: data loading (``pyfront.utils.data``), as ``torch.utils``."""
from . import checkpoint, data, dlpack, hooks
from .._swap import swap_tensors

__all__ = ["checkpoint", "data", "dlpack", "hooks", "swap_tensors"]
