"""The checkpoint pickler: writes protocol-2 pickle bytes exactly as ``torch.save`` lays them out.

A tensor becomes ``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad,
OrderedDict())`` with the storage as a persistent id ``('storage', torch.FloatStorage, key, 'cpu',
numel)``; each storage is written once, so views keep their strides and offsets and tensors that
share memory stay shared. A state_dict holds only the globals that ``torch.load(weights_only=True)``
accepts; any other picklable object (a module, an optimizer, a NumPy array, a dataclass) is written
as ``pickle`` protocol 2 writes it, which only ``load(weights_only=False)`` (the user's opt-in) reads.

A storage's element count (the persistent id's ``numel``, and the length of its record) is its
whole size, as torch writes it (``pyfront.storage.elements``: a device may hold elements in wider
lanes or pad its buffers, as webgpu keeps int64, int8, bool ... in 32-bit lanes); the record
holds at least the elements the saved views reach, which the pickle knows only once every tensor
is seen: the counts are written into the pickle at the end.
"""
from __future__ import annotations

import copyreg
import pickle
import struct
import sys
import types
from _compat_pickle import REVERSE_IMPORT_MAPPING, REVERSE_NAME_MAPPING
from collections import OrderedDict
from pickle import whichmodule as _whichmodule

from .. import dtypes as dt
from ..backends.storage import memory_of
from ..shape import Size
from ..nn.parameter import Parameter, is_lazy
from ..sparse import SparseCooTensor, layout
from ..storage import TypedStorage, UntypedStorage, backend_storage, elements
from ..tensor import Tensor
from .homes import HOMES
from .tables import DTYPE_STORAGES, own_state
from .walk import drive

_BATCH = 1000  # items per APPENDS/SETITEMS, as the pickle module batches them


class Pickler:
    """``dump(obj)`` -> pickle bytes; ``storages`` then lists [key, storage, dtype, numel] to write."""

    def __init__(self, legacy: bool = False):
        self.legacy = legacy  # the legacy format's persistent id ends with a view_metadata, None
        self.out = bytearray()
        self.memo: dict = {}  # id(obj) -> (memo index, obj); obj is kept so its id stays unique
        self.names: dict = {}  # str or global name -> memo index
        self.storages: dict = {}  # id(storage) -> [key, storage, dtype, numel]
        self.holes: list = []  # (position in out, storage entry): where each storage's numel goes

    def dump(self, obj) -> bytes:
        self.out += b"\x80\x02"
        self._save(obj)
        self.out += b"."
        parts, start = [], 0
        for pos, entry in self.holes:
            parts += [self.out[start:pos], _int(entry[3])]
            start = pos
        return b"".join([*parts, self.out[start:]])

    # -- memo -------------------------------------------------------------------------------------
    def _put(self, index: int) -> None:
        self.out += b"q" + bytes([index]) if index < 256 else b"r" + struct.pack("<I", index)

    def _get(self, index: int) -> None:
        self.out += b"h" + bytes([index]) if index < 256 else b"j" + struct.pack("<I", index)

    def _memoize(self, obj) -> None:
        index = len(self.memo) + len(self.names)
        self.memo[id(obj)] = (index, obj)
        self._put(index)

    def _named(self, name, write) -> None:
        """Write a string or global once, then refer back to it."""
        if name in self.names:
            self._get(self.names[name])
            return
        write()
        self.names[name] = len(self.memo) + len(self.names)
        self._put(self.names[name])

    # -- values -----------------------------------------------------------------------------------
    def _save(self, obj) -> None:
        if not self._atom(obj):
            drive(self._step, self._step(obj))

    def _atom(self, obj) -> bool:
        """Write ``obj`` if it is no container to walk (a number, a string, a tensor, one written before ...):
        whether it did. Containers write their items so and yield only the rest (a generator each is what
        walking costs)."""
        kind = type(obj)
        if obj is None:
            self.out += b"N"
        elif kind is bool:
            self.out += b"\x88" if obj else b"\x89"
        elif kind is int:
            self.out += _int(obj)
        elif kind is float:
            self.out += b"G" + struct.pack(">d", obj)
        elif kind is str:
            self._named(("str", obj), lambda: self._text(obj))
        elif kind is bytes:  # protocol 2 has no bytes opcode: the pickle module's _codecs.encode form
            self._call("_codecs", "encode", (obj.decode("latin-1"), "latin1"))
        elif isinstance(obj, dt.dtype):
            self._global("torch", obj.name)
        elif id(obj) in self.memo:
            self._get(self.memo[id(obj)][0])
        elif type(obj) is Parameter:  # as torch writes one: its data, rebuilt as a Parameter
            state, args = own_state(obj), (obj.detach(), obj.requires_grad, OrderedDict())
            if state:  # with the attributes the user gave it
                self._call("torch._utils", "_rebuild_parameter_with_state", (*args, state))
            else:
                self._call("torch._utils", "_rebuild_parameter", args)
            self._memoize(obj)
        elif is_lazy(obj):  # as torch's __reduce_ex__ writes it: the class, given requires_grad
            self._call("torch.nn.parameter", type(obj).__name__, (obj.requires_grad,))
            self._memoize(obj)
        elif isinstance(obj, Tensor):
            self._tensor(obj)
        elif kind in (UntypedStorage, TypedStorage):
            self._storage_object(obj)
        elif kind is SparseCooTensor:  # as torch writes one: its layout, indices, values, size
            data = (obj._ind, obj._val.detach(), Size(obj.shape), obj.is_coalesced())
            self._call("torch._utils", "_rebuild_sparse_tensor", (obj.layout, data))
            self._memoize(obj)
        elif kind is layout:  # torch pickles a layout by name
            self._call("torch.serialization", "_get_layout", (repr(obj),))
        elif kind is Size:
            self._call("torch", "Size", (tuple(obj),))
            self._memoize(obj)
        else:
            return False
        return True

    def _step(self, obj):
        """Write ``obj``: a generator (see walk.py) that yields each item of a container to be written in
        its place, so a structure nested thousands deep is written without Python's call stack."""
        kind = type(obj)
        if self._atom(obj):
            return
        if kind in (dict, OrderedDict):
            yield from self._dict(obj)
        elif kind is list:
            self.out += b"]"
            self._memoize(obj)
            yield from self._batches(obj, b"a", b"e")
        elif kind is tuple:
            yield from self._tuple_steps(obj)
        elif kind is set:
            self._global("__builtin__", "set")
            yield from self._tuple_steps((list(obj),))
            self.out += b"R"
            self._memoize(obj)
        else:
            yield from self._object(obj)

    def _object(self, obj):
        """Any other picklable object, as ``pickle`` protocol 2 writes it (what torch.save does)."""
        if isinstance(obj, (type, types.FunctionType, types.BuiltinFunctionType)):
            self._named_global(obj)
            return
        reduce = copyreg.dispatch_table.get(type(obj))
        rv = reduce(obj) if reduce is not None else obj.__reduce_ex__(2)
        if isinstance(rv, str):  # a module-level singleton, by name
            self._named_global(obj, rv)
            return
        func, args, state, listitems, dictitems, setter = (*rv, None, None, None, None)[:6]
        if getattr(func, "__name__", "") == "__newobj__":  # cls.__new__(cls, *args): NEWOBJ
            yield args[0]
            yield from self._tuple_steps(tuple(args[1:]))
            self.out += b"\x81"
        else:
            yield func
            yield from self._tuple_steps(tuple(args))
            self.out += b"R"
        self._memoize(obj)
        if listitems is not None:
            yield from self._batches(list(listitems), b"a", b"e")
        if dictitems is not None:
            yield from self._batches(list(dictitems), b"s", b"u", pairs=True)
        if state is not None and setter is None:
            yield state
            self.out += b"b"
        elif state is not None:  # setter(obj, state), its result dropped, as pickle writes it
            yield setter
            yield from self._tuple_steps((obj, state))
            self.out += b"R0"

    def _named_global(self, obj, name: str | None = None) -> None:
        """A class or function by its module and name, which must find this very object again."""
        module = getattr(obj, "__module__", None) or _whichmodule(obj)
        name = name or getattr(obj, "__qualname__", None) or obj.__name__
        found = sys.modules.get(module)
        for part in name.split("."):
            found = getattr(found, part, None)
        if found is not obj:
            if "<locals>" in name:  # pickle's (and so torch.save's) errors for the two cases
                raise AttributeError(f"Can't pickle local object '{name}'")
            raise pickle.PicklingError(f"Can't pickle {obj!r}: attribute lookup {name} on {module} failed")
        if module == "pyfront.device" and name == "device":
            module = "torch"  # torch.device(str) rebuilds it in torch, as in pyfront
        elif isinstance(obj, (type, types.FunctionType)) and obj in HOMES:
            module, name = HOMES[obj]  # a public function or nn layer by torch's name: torch loads it too
        if (module, name) in REVERSE_NAME_MAPPING:  # protocol 2 writes Python 2 names, as pickle does
            module, name = REVERSE_NAME_MAPPING[(module, name)]
        module = REVERSE_IMPORT_MAPPING.get(module, module)
        self._dotted(module, name)

    def _dotted(self, module: str, name: str) -> None:
        """``module.name``; a nested name (``Tensor.add``) as ``getattr(module.Tensor, "add")``, as pickle
        writes one at protocol 2 (whose GLOBAL takes no dots)."""
        if "." not in name:
            self._global(module, name)
            return

        def write():
            parent, last = name.rsplit(".", 1)
            self._global("__builtin__", "getattr")
            self._dotted(module, parent)
            self._save(last)
            self.out += b"\x86R"  # TUPLE2, REDUCE
        self._named(("global", module, name), write)

    def _text(self, s: str) -> None:
        data = s.encode("utf-8", "surrogatepass")
        self.out += b"X" + struct.pack("<I", len(data)) + data

    def _global(self, module: str, name: str) -> None:
        self._named(("global", module, name), lambda: self.out.extend(f"c{module}\n{name}\n".encode()))

    def _call(self, module: str, name: str, args: tuple) -> None:
        self._global(module, name)
        self._tuple(args)
        self.out += b"R"

    def _tuple(self, obj: tuple) -> None:
        drive(self._step, self._tuple_steps(obj))

    def _tuple_steps(self, obj: tuple):
        if not obj:
            self.out += b")"
            return
        small = len(obj) <= 3
        if not small:
            self.out += b"("
        for item in obj:
            if not self._atom(item):
                yield item
        if id(obj) in self.memo:  # the tuple was reached through itself: drop the copy, as pickle does
            self.out += b"0" * len(obj) if small else b"1"
            self._get(self.memo[id(obj)][0])
            return
        self.out += {1: b"\x85", 2: b"\x86", 3: b"\x87"}.get(len(obj), b"t")
        self._memoize(obj)

    def _batches(self, items: list, one: bytes, many: bytes, pairs: bool = False):
        """Yield ``items`` (key and value of each when ``pairs``) in batches closed by ``one`` or ``many``."""
        for start in range(0, len(items), _BATCH):
            chunk = items[start:start + _BATCH]
            if len(chunk) > 1:
                self.out += b"("
            for item in chunk:
                for part in item if pairs else (item,):
                    if not self._atom(part):
                        yield part
            self.out += one if len(chunk) == 1 else many

    def _dict(self, obj: dict):
        if type(obj) is OrderedDict:
            self._call("collections", "OrderedDict", ())
        else:
            self.out += b"}"
        self._memoize(obj)
        yield from self._batches(list(obj.items()), b"s", b"u", pairs=True)
        if type(obj) is OrderedDict and vars(obj):  # a state_dict's _metadata
            yield dict(vars(obj))
            self.out += b"b"

    def _tensor(self, t: Tensor) -> None:
        state = own_state(t)
        # torch's form for a tensor with attributes of its own, or of a subclass: rebuilt, made that class,
        # then given them
        typed = bool(state) or type(t) is not Tensor
        if typed:
            self._global("torch._tensor", "_rebuild_from_type_v2")
            self.out += b"("
        if t.device.type == "meta":  # no memory to write: torch's form names the dtype and the geometry
            self._global("torch._utils", "_rebuild_meta_tensor_no_storage")
            if typed:
                self._tensor_type(t)
            self.out += b"("
            self._global("torch", t.dtype.name)
            for part in (tuple(t.shape), tuple(t._strides), t.requires_grad):
                self._save(part)
            self.out += b"t"
            if typed:
                self._save(state)
                self.out += b"t"
            self.out += b"R"
            return
        kind = DTYPE_STORAGES.get(t.dtype.name)
        # a dtype with no storage class of its own (uint16/32/64, float8): torch's v3 form, its bytes in an
        # untyped storage and the dtype named after the hooks
        self._global("torch._utils", "_rebuild_tensor_v2" if kind else "_rebuild_tensor_v3")
        if typed:
            self._tensor_type(t)
        self.out += b"("
        if kind:
            self._storage(t._storage, t.dtype, ("torch", kind), _reach(t))
        else:
            reach = _reach(t) * t.dtype.itemsize
            self._storage(t._storage, dt.uint8, ("torch.storage", "UntypedStorage"), reach)
        for part in (t._offset, tuple(t.shape), tuple(t._strides), t.requires_grad):
            self._save(part)
        self._call("collections", "OrderedDict", ())
        if not kind:
            self._global("torch", t.dtype.name)
        if t._lazy is not None:  # torch's metadata: the memory is saved as it is, with the bit to set on load
            self._save({t._lazy: True})
        self.out += b"t"
        if typed:
            self._save(state)
            self.out += b"t"
        self.out += b"R"
        self._memoize(t)

    def _tensor_type(self, t: Tensor) -> None:
        """The class ``_rebuild_from_type_v2`` makes: torch.Tensor, or the subclass by its own name."""
        if type(t) is Tensor:
            self._global("torch", "Tensor")
        else:
            self._named_global(type(t))

    def _storage_object(self, obj) -> None:
        """A storage saved as itself (``torch.save(t.untyped_storage())``): its whole memory, typed or not."""
        typed = isinstance(obj, TypedStorage)
        storage = backend_storage(obj)
        dtype = obj.dtype if typed else dt.uint8
        kind = ("torch", DTYPE_STORAGES[dtype.name]) if typed else ("torch.storage", "UntypedStorage")
        self._storage(storage, dtype, kind, elements(storage, dtype))
        self._memoize(obj)

    def _storage(self, storage, dtype, kind: tuple, reach: int) -> None:
        """The persistent id of ``storage`` (``kind`` its torch class: module, name); each storage is written
        once, of ``reach`` elements at least."""
        key = id(memory_of(storage))  # a tensor over another's memory as another dtype: torch's one storage
        entry = self.storages.get(key)
        if entry is None:
            whole = elements(storage, dtype)
            entry = self.storages[key] = [str(len(self.storages)), storage, dtype, whole]
        elif entry[2] is not dtype:
            raise RuntimeError("Cannot save multiple tensors or storages that view the same data as "
                               "different types")
        self.out += b"("
        self._save("storage")
        self._global(*kind)
        for part in (entry[0], "cpu"):
            self._save(part)
        entry[3] = max(entry[3], reach)
        self.holes.append((len(self.out), entry))
        self.out += b"NtQ" if self.legacy else b"tQ"


def _int(v: int) -> bytes:
    """The pickle opcode for int ``v``, the smallest that holds it, as the pickle module picks."""
    if 0 <= v < 256:
        return b"K" + bytes([v])
    if 0 <= v < 65536:
        return b"M" + struct.pack("<H", v)
    if -2 ** 31 <= v < 2 ** 31:
        return b"J" + struct.pack("<i", v)
    data = v.to_bytes((v.bit_length() + 8) // 8, "little", signed=True)
    head = b"\x8a" + bytes([len(data)]) if len(data) < 256 else b"\x8b" + struct.pack("<i", len(data))
    return head + data


def _reach(t: Tensor) -> int:
    """How many storage elements tensor ``t`` needs: one past the last element it can address."""
    if t.numel() == 0:
        return t._offset
    return t._offset + sum((n - 1) * s for n, s in zip(t.shape, t._strides)) + 1
