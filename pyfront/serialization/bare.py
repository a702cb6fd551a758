"""Storages a file holds as themselves (``torch.save(t.untyped_storage())``, ``{'s': torch.LongStorage()}``,
a list of storages, a typed storage beside the tensors over it): torch loads each as a TypedStorage (of
bytes when it was untyped), one object per storage record, sharing memory with the tensors over that record.

The reader leaves a StorageRef where the file holds a bare storage; ``claim`` gives each such record a 1-d
tensor over all of it (so ``_fill`` reads it with the others), and ``swap`` then puts the storage objects
in their places.
"""
from __future__ import annotations

from collections import OrderedDict

from ..tensor import Tensor
from .tables import ITEMSIZE, LOADED_AS
from .unpickler import StorageRef
from .walk import drive

_CONTAINERS = (dict, OrderedDict, list, tuple, set)
# what holds no StorageRef: visited in place, without a generator each (the cost of walking)
_PLAIN = (int, float, str, bool, type(None), bytes, Tensor)


def claim(result, tensors: list, objects: bool = False) -> dict:
    """The bare storages in ``result``: record key -> a whole tensor over it, appended to ``tensors``.
    ``objects``: look in the attributes of any object too (the full unpickler builds the user's classes)."""
    wholes: dict = {}

    def whole(ref: StorageRef):
        if ref.key not in wholes:
            name = ref.bind(None if ref.dtype else "uint8")  # an untyped storage: its bytes
            t = Tensor._make(ref, (ref.nbytes // ITEMSIZE[name],), LOADED_AS[name])
            tensors.append(t)
            wholes[ref.key] = t
        return ref
    _visit(result, whole, objects)
    return wholes


def swap(result, wholes: dict, objects: bool = False):
    """``result`` with each StorageRef replaced by its storage object (one per record), once ``wholes`` hold
    their data; lists, dicts and sets change in place (other references to them see it), tuples are new."""
    if not wholes:
        return result
    from ..storage import TypedStorage, untyped
    made: dict = {}

    def storage_object(ref: StorageRef):
        if ref.key not in made:
            t = wholes[ref.key]
            made[ref.key] = TypedStorage(wrap_storage=untyped(t._storage, t.dtype), dtype=t.dtype,
                                         _internal=True)
        return made[ref.key]
    return _visit(result, storage_object, objects)


def _visit(obj, fn, objects: bool):
    """``obj`` with ``fn(ref)`` in place of every StorageRef it reaches; each container is visited once.
    A file may nest containers thousands deep (torch loads them), so ``visit`` yields each child instead of
    calling itself and ``drive`` keeps the stack: no bound from Python's recursion limit."""
    done: dict = {}

    def visit(o):
        if type(o) is StorageRef:
            return fn(o)
        if id(o) in done:
            return done[id(o)]
        if type(o) in _CONTAINERS:
            done[id(o)] = o  # (a container that holds itself)
            if isinstance(o, dict):
                for k, v in list(dict.items(o)):
                    if type(v) not in _PLAIN:
                        dict.__setitem__(o, k, (yield v))
                if type(o) is OrderedDict:
                    yield from _visit_attributes(o)
            elif type(o) is list:
                o[:] = yield from _visit_items(o)
            elif type(o) is set:
                items = yield from _visit_items(o)
                o.clear()
                o.update(items)
            else:
                new = tuple((yield from _visit_items(o)))
                if any(a is not b for a, b in zip(new, o)):
                    done[id(o)] = new
                    return new
            return o
        if objects and not isinstance(o, (Tensor, type)) and hasattr(o, "__dict__"):
            done[id(o)] = o
            yield from _visit_attributes(o)
        return o
    return drive(visit, visit(obj))


def _visit_items(o):
    """The visited value of each item of ``o``, in order (as a list)."""
    items = []
    for v in o:
        items.append(v if type(v) in _PLAIN else (yield v))
    return items


def _visit_attributes(o):
    attributes = vars(o)
    if type(attributes) is dict:  # (a class's mappingproxy is not the instance's to change)
        for k, v in list(attributes.items()):
            if type(v) not in _PLAIN:
                attributes[k] = yield v
