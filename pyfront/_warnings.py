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


def called_by_user() -> bool:
    """Whether the pyfront function that asks was called from outside pyfront (its argument-checking
    wrappers passed over): torch's warnings about how a user calls it, not pyfront's own calls."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__") == "pyfront.ops.argcheck":
        frame = frame.f_back
    return frame is None or not frame.f_globals.get("__name__", "").startswith("pyfront.")


def warn_copy_construct(call: str) -> None:
    """torch's warning when ``torch.tensor`` or ``Tensor.new_tensor`` is given a tensor."""
    warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
         f"sourceTensor.detach().clone().requires_grad_(True), rather than {call}(sourceTensor).")
