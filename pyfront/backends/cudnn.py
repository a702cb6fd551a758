"""``pyfront.backends.cudnn``: cuDNN's switches, accepted so scripts that set them run.

pyfront has no cuDNN; its kernels are deterministic whatever ``deterministic`` says, and
``benchmark`` picks nothing.
"""
from __future__ import annotations

import sys

from ._flags import switches

enabled = True
benchmark = False
benchmark_limit = None  # torch's without cuDNN (its flags leave it so)
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    return False


def version():
    return None


def flags(enabled=False, benchmark=False, benchmark_limit=10, deterministic=False, allow_tf32=True,
          fp32_precision="none", depthwise_kernel="auto"):
    """Set cuDNN's switches for a ``with`` block and restore them after, as ``torch.backends.cudnn.flags``
    (whose defaults turn cuDNN off inside the block)."""
    return switches(sys.modules[__name__], dict(enabled=enabled, benchmark=benchmark,
                                               deterministic=deterministic, allow_tf32=allow_tf32))
