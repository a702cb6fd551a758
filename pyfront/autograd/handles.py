"""What hook registrations return (torch.utils.hooks.RemovableHandle): ``remove()`` undoes the
registration, as leaving a ``with`` block does. A leaf module (no pyfront imports): tensors, autograd
nodes, modules and optimizers all register through it."""
from __future__ import annotations

import weakref
from collections import OrderedDict


class RemovableHandle:
    """The handle a hook registration returns: ``remove()`` (or leaving a ``with`` block) takes the hook
    out of its dict (and of ``extra_dict``'s, where one registration fills several)."""

    __module__ = "pyfront.utils.hooks"  # torch's home of it: its repr, isinstance and pickle name it there

    next_id = 0

    def __init__(self, hooks_dict: dict, *, extra_dict=None) -> None:
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1
        # (an empty dict too: filled after registering, with_kwargs's; None alone is no dict)
        extras = (extra_dict if isinstance(extra_dict, (list, tuple)) else () if extra_dict is None
                  else [extra_dict])
        self.extra_dict_ref = tuple(weakref.ref(d) for d in extras)

    def remove(self) -> None:
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            d = ref()
            if d is not None and self.id in d:
                del d[self.id]

    # pickled (a module holding its handle, as a lazy module does) with its dicts, as torch's
    def __getstate__(self):
        return self.hooks_dict_ref(), self.id, tuple(ref() for ref in self.extra_dict_ref)

    def __setstate__(self, state) -> None:
        hooks, self.id, extras = state
        self.hooks_dict_ref = weakref.ref(hooks if hooks is not None else OrderedDict())  # None: dead
        RemovableHandle.next_id = max(RemovableHandle.next_id, self.id + 1)
        self.extra_dict_ref = tuple(weakref.ref(d) for d in extras if d is not None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


def add_hook(hooks: OrderedDict, hook, prepend: bool = False) -> RemovableHandle:
    """Register ``hook`` in ``hooks`` (an OrderedDict keyed by handle id), first where ``prepend``."""
    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle
