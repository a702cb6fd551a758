"""``torch._tensor._rebuild_from_type_v2``: what a plain pickle of a torch tensor with attributes of its own
calls (see ``_utils``), so that under ``pyfront run`` it loads."""
from __future__ import annotations

from .serialization.unpickler import _set_state


def _rebuild_from_type_v2(func, new_type, args, state):
    """``func(*args)`` (a rebuild of ``_utils``) as a ``new_type`` (Tensor or Parameter), given ``state``."""
    from .nn.parameter import Parameter
    t = func(*args)
    if new_type is Parameter and type(t) is not Parameter:
        t = Parameter(t, t.requires_grad)
    return _set_state(t, state)
