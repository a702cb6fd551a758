"""``pyfront.utils``: data loading (``pyfront.utils.data``), as ``torch.utils``."""
from . import data

__all__ = ["data"]
