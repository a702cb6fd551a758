"""torch.autograd.graph.register_multi_grad_hook: one hook over several tensors' gradients in a backward
call, as torch's (torch/autograd/graph.py): per graph task, "all" waits for every tensor whose node that
call runs, "any" fires on the first."""
from __future__ import annotations

import threading
from collections import defaultdict

from .grad_mode import enable_grad
from .handles import RemovableHandle

_OUTSIDE = "expected this hook to be called inside a backward call"


def _node_of(t):
    """The node a backward runs for ``t``: its grad_fn, or a leaf's AccumulateGrad (torch's
    _get_grad_fn_or_grad_acc)."""
    if t.requires_grad and t.grad_fn is None:
        with enable_grad():
            return t.view_as(t).grad_fn.next_functions[0][0]
    if t.grad_fn is None:
        raise AssertionError("Expected gradient function to be set")
    return t.grad_fn


def _current_task():
    from .engine import current_task  # (the engine imports the graph module, which imports this one)
    return current_task()


def _task_id() -> int:
    task = _current_task()
    if task is None:
        raise AssertionError(_OUTSIDE)
    return task.id


class _MultiHandle(RemovableHandle):
    """The handles of each tensor's hook: ``remove()`` removes them all (as does leaving a ``with`` block)."""

    __module__ = "pyfront.autograd.graph"  # torch's home of it (torch.autograd.graph._MultiHandle)

    def __init__(self, handles):
        self.handles = handles

    def remove(self):
        for handle in self.handles:
            handle.remove()

    def __getstate__(self):
        return self.handles

    def __setstate__(self, state):
        self.handles = state


def _all_hooks(tensors, fn, lock):
    nodes = [_node_of(t) for t in tensors]
    count, buffer, expected = {}, {}, [0]

    def inner_hook(idx):
        def hook(grad):
            task_id = _task_id()
            slots = buffer.setdefault(task_id, [None] * len(tensors))
            with lock:
                seen = count.get(task_id, 0)
                count[task_id] = seen + 1
                if not seen:  # the first of this call: how many of the nodes it runs
                    task = _current_task()
                    expected[0] = sum(task.will_execute(n) for n in nodes)
            slots[idx] = grad
            if seen == expected[0] - 1:
                fn(slots)
                del count[task_id], buffer[task_id]
        return hook
    return tuple(t.register_hook(inner_hook(i)) for i, t in enumerate(tensors))


def _any_hooks(tensors, fn, lock):
    ran = defaultdict(bool)

    def hook(grad):
        task_id = _task_id()
        with lock:
            before, ran[task_id] = ran[task_id], True
        if not before:
            fn(grad)
    return tuple(t.register_hook(hook) for t in tensors if t.requires_grad)


def register_multi_grad_hook(tensors, fn, *, mode="all"):
    """Call ``fn`` once a backward call has computed the gradients of all ``tensors`` it reaches (a list,
    None for those it does not), or, with ``mode="any"``, with the first of them; returns a handle whose
    ``remove()`` removes it."""
    supported_modes = ("all", "any")
    if mode not in supported_modes:
        raise ValueError(f"Expects mode to be one of {supported_modes} but got {mode}")
    make = _all_hooks if mode == "all" else _any_hooks
    return _MultiHandle(make(tensors, fn, threading.Lock()))
