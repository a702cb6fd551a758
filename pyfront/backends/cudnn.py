"""``pyfront.backends.cudnn``: cuDNN's switches, accepted so scripts that set them run.

pyfront has no cuDNN; its kernels are deterministic whatever ``deterministic`` says, and
``benchmark`` picks nothing.
"""
from __future__ import annotations

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    return False


def version():
    return None
