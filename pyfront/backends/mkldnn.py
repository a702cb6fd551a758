"""``pyfront.backends.mkldnn``: oneDNN's switches, accepted so scripts that read or set them run.

pyfront has no oneDNN: ``is_available()`` is False and the switches change nothing.
"""
from __future__ import annotations

import sys

from ._flags import switches
from .mkl import verbose as _mkl_verbose

VERBOSE_OFF = 0
VERBOSE_ON = 1
VERBOSE_ON_CREATION = 2

enabled = True
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    return False


def is_acl_available() -> bool:
    return False


class verbose(_mkl_verbose):
    """``with torch.backends.mkldnn.verbose(level):``: the block runs unchanged (no oneDNN here)."""


def flags(enabled=False, deterministic=False, allow_tf32=True, fp32_precision="none"):
    """Set the switches for a ``with`` block and restore them after, as ``torch.backends.mkldnn.flags``."""
    return switches(sys.modules[__name__], dict(enabled=enabled, deterministic=deterministic,
                                               allow_tf32=allow_tf32))
