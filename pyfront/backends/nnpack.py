"""``pyfront.backends.nnpack``: pyfront has no NNPACK; its switch is accepted and changes nothing."""
from __future__ import annotations

import sys

from ._flags import switches

enabled = True


def is_available() -> bool:
    return False


def flags(enabled=False):
    """Set ``enabled`` for a ``with`` block and restore it after, as ``torch.backends.nnpack.flags``."""
    return switches(sys.modules[__name__], dict(enabled=enabled))


def set_flags(_enabled):
    """Set ``enabled``, returning the previous value in a tuple, as torch's."""
    before = (sys.modules[__name__].enabled,)
    sys.modules[__name__].enabled = _enabled
    return before
