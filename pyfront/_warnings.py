"""Warnings attributed to the user's line, as PyTorch's are (its C++ ones name the Python caller)."""
from __future__ import annotations

import sys
import warnings


_WARNED_ONCE: set = set()
WARN_ALWAYS = [False]  # torch.set_warn_always: every time instead


def warn_once(message: str) -> None:
    """PyTorch's TORCH_WARN_ONCE: the first time in the process only (unless set_warn_always)."""
    if WARN_ALWAYS[0] or message not in _WARNED_ONCE:
        _WARNED_ONCE.add(message)
        warn(message)


def warn(message: str, category: type = UserWarning) -> None:
    """``warnings.warn`` from the first frame outside pyfront, however deep the op that warns."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("pyfront."):
        frame = frame.f_back
    if frame is None:
        warnings.warn(message, category, stacklevel=2)
        return
    glob = frame.f_globals
    module = glob.get("__name__") or "<string>"  # as warnings.warn names code exec'd without __name__
    warnings.warn_explicit(message, category, frame.f_code.co_filename, frame.f_lineno,
                           module=module, registry=glob.setdefault("__warningregistry__", {}))
