"""``pyfront.signal``: signal-processing helpers, as ``torch.signal`` (its ``windows``)."""
from . import windows  # noqa: F401

__all__ = ["windows"]
