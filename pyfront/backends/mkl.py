"""``pyfront.backends.mkl``: whether the cpu device's matrix products run on Intel's oneMKL (the ``mkl``
extra), and torch's on-demand verbose switch for it."""
from __future__ import annotations

from . import host_gemm

VERBOSE_OFF = 0
VERBOSE_ON = 1


def is_available() -> bool:
    """Whether MKL computes this process's cpu matrix products (torch: whether it was built with MKL)."""
    return host_gemm.available()


class verbose:
    """``with torch.backends.mkl.verbose(level):`` as torch's: MKL's verbose messages are not turned on
    through pyfront (set ``MKL_VERBOSE=1`` before the process starts), so the block runs unchanged."""

    def __init__(self, enable):
        self.enable = enable

    def __enter__(self):
        return None if self.enable == VERBOSE_OFF else self

    def __exit__(self, exc_type, exc_val, exc_tb):
        return False
