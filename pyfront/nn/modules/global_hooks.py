"""Hooks every ``nn.Module`` runs, registered once for all (``torch.nn.modules.module.register_module_*``):
profilers, tracers and debugging tools hook all layers at once with them. ``Module`` runs these before a
module's own hooks of the same kind; each registration returns a ``RemovableHandle`` as a module's does.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Callable

__all__ = ["register_module_buffer_registration_hook", "register_module_forward_hook",
           "register_module_forward_pre_hook", "register_module_full_backward_hook",
           "register_module_full_backward_pre_hook", "register_module_module_registration_hook",
           "register_module_parameter_registration_hook"]

# id -> hook, in registration order (a handle's id is unique over all hook dicts, so a module's own
# with_kwargs/always_call dicts and these can be asked together)
forward_pre: dict = OrderedDict()
forward: dict = OrderedDict()
forward_with_kwargs: dict = OrderedDict()
forward_always_called: dict = OrderedDict()
backward_pre: dict = OrderedDict()
backward: dict = OrderedDict()
buffer_registration: dict = OrderedDict()
parameter_registration: dict = OrderedDict()
module_registration: dict = OrderedDict()


def _register(hooks: dict, hook: Callable, extras=()):
    from .module import RemovableHandle  # (module.py reads the dicts above: imported when first used)
    handle = RemovableHandle(hooks, extra_dict=list(extras))
    hooks[handle.id] = hook
    return handle


def registered(hooks: dict, owner, name: str, value):
    """``value`` after each registration hook of ``hooks`` saw it (a hook may return a replacement)."""
    for hook in tuple(hooks.values()):
        out = hook(owner, name, value)
        if out is not None:
            value = out
    return value


def register_module_forward_pre_hook(hook: Callable):
    """``hook(module, args)`` before every module's forward (and its own pre-hooks); may return new args."""
    return _register(forward_pre, hook)


def register_module_forward_hook(hook: Callable, *, with_kwargs: bool = False, always_call: bool = False):
    """``hook(module, args, output)`` (with kwargs: ``hook(module, args, kwargs, output)``) after every
    module's forward, before its own forward hooks; may return a new output."""
    handle = _register(forward, hook, (forward_with_kwargs, forward_always_called))
    if with_kwargs:
        forward_with_kwargs[handle.id] = True
    if always_call:
        forward_always_called[handle.id] = True
    return handle


def register_module_full_backward_pre_hook(hook: Callable):
    """``hook(module, grad_output)`` for every module, before its own backward pre-hooks."""
    return _register(backward_pre, hook)


def register_module_full_backward_hook(hook: Callable):
    """``hook(module, grad_input, grad_output)`` for every module, before its own backward hooks."""
    return _register(backward, hook)


def register_module_buffer_registration_hook(hook: Callable):
    """``hook(module, name, buffer)`` whenever a module registers a buffer; may return a replacement."""
    return _register(buffer_registration, hook)


def register_module_parameter_registration_hook(hook: Callable):
    """``hook(module, name, param)`` whenever a module registers a parameter; may return a replacement."""
    return _register(parameter_registration, hook)


def register_module_module_registration_hook(hook: Callable):
    """``hook(module, name, submodule)`` whenever a module registers a child; may return a replacement."""
    return _register(module_registration, hook)
