"""``torch.utils.hooks``: the handle hook registrations return, and the marks for hooks a pickle drops."""
from __future__ import annotations

from .. import _warnings
from ..autograd.handles import RemovableHandle
from ..nn.modules.module import BackwardHook

__all__ = ["BackwardHook", "RemovableHandle", "unserializable_hook", "warn_if_has_hooks"]


def unserializable_hook(f):
    """Mark ``f`` as a hook that is not pickled with its tensor (no warning then), as torch's decorator."""
    f.__torch_unserializable__ = True
    return f


def warn_if_has_hooks(tensor) -> None:
    """Warn, with torch's text, for each backward hook of ``tensor`` that pickling it will drop (one not
    marked ``unserializable_hook``)."""
    hooks = list(tensor._hooks.values()) if tensor._hooks else []
    fn = tensor.grad_fn
    if fn is not None and getattr(fn, "_pre_hooks", None):
        hooks += [h for nr, h in fn._pre_hooks.values() if nr == tensor._output_nr]
    for hook in hooks:
        if not hasattr(hook, "__torch_unserializable__"):
            _warnings.warn(f"backward hook {hook!r} on tensor will not be serialized.  If this is expected, "
                           "you can decorate the function with @torch.utils.hooks.unserializable_hook to "
                           "suppress this warning")
