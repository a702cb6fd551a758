"""``torch.utils.swap_tensors``: two tensor objects exchange everything they are (class, attributes, the
memory they read, their autograd fields) while each keeps its identity, so whoever holds one (an optimizer
holding a Parameter) sees the other's contents. nn.Module's conversions use it under
``torch.__future__.set_swap_module_params_on_conversion(True)``."""
from __future__ import annotations

import gc
import types
import weakref

__all__ = ["swap_tensors"]


def _user_weakrefs(t) -> list:
    """The weak references to ``t`` held by the user: not the ones its storage keeps of its sharers, nor its
    gradient accumulator's of its leaf (torch's hold the TensorImpl, not the Python object)."""
    storage = getattr(t, "_storage", None)
    ours = {id(r) for r in (storage.sharers or {}).values()} if storage is not None else set()
    accum = getattr(t, "_accum", None)
    if accum is not None:
        ours.add(id(accum.variable_ref))
    return [r for r in weakref.getweakrefs(t) if id(r) not in ours]


def _poisoned(grad_outputs):
    raise RuntimeError(
        "Trying to execute AccumulateGrad node that was poisoned by swap_tensors this can happen when you "
        "try to run backward on a tensor that was swapped. For a module m with "
        "`torch.__future__.set_swap_module_params_on_conversion(True)` you should not change the device or "
        "dtype of the module (e.g. `m.cpu()` or `m.half()`) between running forward and backward. To resolve "
        "this, please only change the device/dtype before running forward (or after both forward and "
        "backward).")


def _savers(t) -> int:
    """How many live graph nodes keep ``t`` itself for backward (as an input: an output is kept as an alias).
    Looked for only where its storage counts some (a backward uncounts the ones it frees); a graph dropped
    unrun left its count high, so the count is set to what is found."""
    storage = t._storage
    if not getattr(storage, "kept_by_graph", 0):
        return 0
    from .autograd.graph import SavedTensor
    sharers = storage._live() if storage.sharers else [t]
    savers = [r for r in gc.get_referrers(*sharers) if type(r) is SavedTensor and r.tensor is not None
              and not r.is_output and r.tensor._storage is storage]
    storage.kept_by_graph = len(savers)
    return sum(1 for r in savers if r.tensor is t)


def _accumulator_in_a_graph(t) -> bool:
    """Whether a live graph (not only ``t`` itself) holds ``t``'s gradient accumulator: torch's tensor holds
    its own weakly, so only then does it count among the tensor's users."""
    accum = t._accum
    if accum is None:
        return False
    own = getattr(t, "__dict__", None)
    return any(r is not own and r is not t and not isinstance(r, types.FrameType)
               for r in gc.get_referrers(accum))


def _check_alone(t, name: str) -> None:
    # torch refuses a tensor whose TensorImpl more than its Python object holds: its live views (each keeps it
    # as its base, and would read the other's memory once swapped), the nodes that saved it for backward and
    # its gradient accumulator while a graph holds that; a leaf held by its accumulator alone may swap (the
    # accumulator is then poisoned, below)
    from .tensor import Tensor
    if not isinstance(t, Tensor):  # torch asks it for its use count first
        raise AttributeError(f"'{type(t).__name__}' object has no attribute '_use_count'")
    storage = t._storage
    others = len([v for v in (storage._live() if storage.sharers else ()) if v is not t and v._base is t])
    others += _savers(t)
    if not others:
        return
    count = 1 + others + _accumulator_in_a_graph(t)
    if count == 2 and t.is_leaf and not t.requires_grad:  # torch asks the leaf for its gradient edge
        raise RuntimeError("It is not possible to get the gradient edge for a Tensor that does not require "
                           "gradients")
    raise RuntimeError(f"Expected use_count of {name} to be 1 or 2 with an AccumulateGrad node but got "
                       f"{count} make sure you are not holding references to the tensor in other places.")


def swap_tensors(t1, t2) -> None:
    """Swap the contents of tensors ``t1`` and ``t2``: afterwards ``t1`` is what ``t2`` was and back."""
    for t, name in ((t1, "t1"), (t2, "t2")):
        if _user_weakrefs(t):
            raise RuntimeError(f"Cannot swap {name} because it has weakref associated with it")
    _check_alone(t1, "t1")
    _check_alone(t2, "t2")
    for t in (t1, t2):  # a graph recorded before the swap would accumulate into the other tensor: refused
        accum = getattr(t, "_accum", None)
        if accum is not None:
            accum.register_prehook(_poisoned)
    t1.__class__, t2.__class__ = t2.__class__, t1.__class__
    t1.__dict__, t2.__dict__ = t2.__dict__, t1.__dict__
    for t in (t1, t2):  # each now sees the other's memory: counted there (a stale entry only keeps it shared)
        t._storage.share(t)
