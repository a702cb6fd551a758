"""The checkpoint unpickler: reads pickle bytes and builds only what a weights file may hold.

``pickle.Unpickler`` imports and calls whatever a file names, so a checkpoint could run any code.
This reader walks the opcodes itself: a fixed set of opcodes (protocol 2, plus the plain-data
opcodes of protocols 3-5), globals resolved from a fixed table to pyfront's own stand-ins (never
imported), calls only to the handlers below, each of which checks its arguments. Anything else
is refused with an ``UnpicklingError`` that names it (for a global, torch.load's own message).
Nothing from the file ever runs, except what the user allowed by name with ``add_safe_globals``.
"""
from __future__ import annotations

import _compat_pickle
import pickletools
import re
import struct
from collections import Counter, OrderedDict
from pickle import UnpicklingError

from .. import dtypes as dt
from ..shape import Size, extent
from ..tensor import Tensor
from .safe_globals import user_globals
from .tables import (ITEMSIZE, LOADED_AS, MISSING_DTYPES, MISSING_STORAGES, STORAGE_DTYPES, TENSOR_MARKS,
                     numel_overflows)

INT64 = 2 ** 63  # sizes, strides, offsets and element counts are int64 in PyTorch


class StorageType:
    """Stands for ``torch.FloatStorage`` & co. inside persistent ids; ``dtype`` None when untyped."""

    __slots__ = ("qualname", "dtype")

    def __init__(self, qualname: str, dtype):
        self.qualname, self.dtype = qualname, dtype

    def __repr__(self) -> str:
        return self.qualname


class StorageRef:
    """One storage record of the file, as declared by a persistent id; its bytes come later.

    ``dtype`` is the torch dtype name of its elements; an untyped storage (``torch.UntypedStorage``,
    bytes) takes the dtype of the first tensor built on it, and every other tensor must agree.
    """

    __slots__ = ("key", "location", "nbytes", "dtype", "untyped")

    def __init__(self, key: str, location: str, nbytes: int, dtype, untyped: bool):
        self.key, self.location, self.nbytes, self.dtype, self.untyped = key, location, nbytes, dtype, untyped

    def share(self, *tensors) -> None:
        """Nothing to record yet: ``_fill`` records every tensor built on this storage once it is read
        (a Parameter rebuilt from a full pickle shares its data's storage before the bytes come)."""

    def bind(self, dtype_name):
        if dtype_name is not None and dtype_name != self.dtype:
            if not self.untyped or self.dtype is not None:
                raise UnpicklingError(f"storage '{self.key}' is used as {self.dtype} and as {dtype_name}: "
                                      "tensors that view the same data as different types are not supported")
            if self.nbytes % ITEMSIZE[dtype_name]:
                raise UnpicklingError(f"storage '{self.key}' holds {self.nbytes} bytes, not a whole "
                                      f"number of {dtype_name} elements")
            self.dtype = dtype_name
        if self.dtype is None:
            raise UnpicklingError(f"untyped storage '{self.key}' is used by a tensor without a dtype")
        return self.dtype


class _TensorType:
    """``torch.Tensor`` or ``torch.nn.Parameter`` named by a file: only an argument of
    ``_rebuild_from_type_v2``, never called."""

    __slots__ = ("qualname",)

    def __init__(self, qualname: str):
        self.qualname = qualname

    def __repr__(self) -> str:
        return self.qualname


class _Callable:
    """A global that the file may call with REDUCE; ``handler`` names an Unpickler method."""

    __slots__ = ("qualname", "handler")

    def __init__(self, qualname: str, handler: str):
        self.qualname, self.handler = qualname, handler

    def __repr__(self) -> str:
        return self.qualname


def _globals() -> dict:
    table = {}
    for qualname, handler in [
        ("torch._utils._rebuild_tensor", "_rebuild_tensor"),
        ("torch._utils._rebuild_tensor_v2", "_rebuild_tensor_v2"),
        ("torch._utils._rebuild_tensor_v3", "_rebuild_tensor_v3"),
        ("torch._utils._rebuild_parameter", "_rebuild_parameter"),
        ("torch._utils._rebuild_meta_tensor_no_storage", "_rebuild_meta_tensor_no_storage"),
        ("torch._utils._rebuild_parameter_with_state", "_rebuild_parameter_with_state"),
        ("torch._tensor._rebuild_from_type_v2", "_rebuild_from_type_v2"),
        ("torch._utils._rebuild_sparse_tensor", "_rebuild_sparse_tensor"),
        ("torch.serialization._get_layout", "_get_layout"),
        ("collections.OrderedDict", "_ordered_dict"),
        ("builtins.set", "_set"), ("builtins.bytes", "_bytes"),
        # the rest of torch's default allowlist of Python's own types
        ("builtins.complex", "_complex"), ("builtins.bytearray", "_bytearray"),
        ("collections.Counter", "_counter"),
        ("_codecs.encode", "_encode"), ("torch.Size", "_size"), ("torch.device", "_device"),
    ]:
        table[qualname] = _Callable(qualname, handler)
    for name, dtype_name in STORAGE_DTYPES.items():
        table[f"torch.{name}"] = StorageType(f"torch.{name}", dtype_name)
    for qualname in ("torch.UntypedStorage", "torch.storage.UntypedStorage"):
        table[qualname] = StorageType(qualname, None)
    for d in dt.STORED:
        table[f"torch.{d.name}"] = d
    for qualname in ("torch.Tensor", "torch._tensor.Tensor", "torch.nn.parameter.Parameter"):
        table[qualname] = _TensorType(qualname)
    return table


GLOBALS = _globals()
def unsafe_globals(pkl: bytes) -> list:
    """The GLOBAL names in a pickle that ``load(weights_only=True)`` would refuse, in the order they first
    appear: read statically, as torch's get_unsafe_globals_in_checkpoint (nothing is built or run)."""
    allowed = user_globals()
    found = []
    for op, arg, _ in pickletools.genops(pkl):
        if op.name != "GLOBAL":
            continue
        module, name = arg.split(" ", 1)
        # torch.save's protocol 2 writes Python 2 names: read them as Python 3's, as torch does
        module, name = _compat_pickle.NAME_MAPPING.get((module, name), (module, name))
        module = _compat_pickle.IMPORT_MAPPING.get(module, module)
        qualname = f"{module}.{name}"
        torch_dtype = module == "torch" and (name in MISSING_STORAGES or name in MISSING_DTYPES)
        if qualname not in GLOBALS and qualname not in allowed and not torch_dtype and qualname not in found:
            found.append(qualname)
    return found


_LOCATION = re.compile(r"[a-z][a-z0-9_]*(:[0-9]+)?")  # a device: 'cpu', 'cuda:0', 'mps', 'meta', ...
_MARKERS = (StorageType, StorageRef, _Callable, _TensorType)


def _show(value) -> str:
    """A short description of a value from the file: never its repr when that could run or recurse."""
    if type(value) is int and value.bit_length() > 64:
        return "a huge int"
    if type(value) in (int, float, bool, str, bytes, type(None)) or isinstance(value, (dt.dtype, *_MARKERS)):
        return f"{value!r:.80}"
    return f"a {type(value).__name__}"


def _int(value, what: str, low: int = 0) -> int:
    if type(value) is not int or not low <= value < INT64:
        bounds = f"[{'-2**63' if low else low}, 2**63)"
        raise UnpicklingError(f"{what} must be an int in {bounds}, got {_show(value)}")
    return value


def _ints(value, what: str) -> tuple:
    if type(value) not in (tuple, list, Size):
        raise UnpicklingError(f"{what} must be a tuple of ints, got {type(value).__name__}")
    return tuple(_int(v, what, low=-INT64) for v in value)


def _check_geometry(offset: int, size: tuple, stride: tuple, capacity: int, key: str) -> None:
    """Refuse what torch's ``set_`` refuses for a tensor on a storage, with its RuntimeError and text."""
    where = f"(size {list(size)}, stride {list(stride)}, offset {offset}, storage '{key}')"
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset} {where}")
    if any(n < 0 for n in size):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(size)}: {list(size)}")
    if any(s < 0 for s in stride):
        raise RuntimeError(f"as_strided: Negative strides are not supported at the moment, got strides: "
                           f"{list(stride)}")
    if numel_overflows(size):
        raise RuntimeError(f"numel: integer multiplication overflow {where}")
    if 0 in size:
        return  # no element: torch's set_ takes any offset and strides (its storage "can have any numel")
    end = extent(size, stride, offset)
    if end >= INT64:
        raise RuntimeError(f"Storage size calculation overflowed with sizes={list(size)} and "
                           f"strides={list(stride)}")
    if end > capacity:
        raise RuntimeError(f"Trying to resize storage that is not resizable: the tensor {where} needs "
                           f"{end} elements, the storage holds {capacity}")


def _set_state(t, state):
    """A loaded tensor's own attributes, as torch's _set_obj_state: a dict, or a (dict, slots) pair."""
    parts = state if type(state) is tuple and len(state) == 2 else (state, None)
    for part in parts:
        if part is None:
            continue
        if type(part) not in (dict, OrderedDict) or not all(
                type(k) is str and (k[:1] != "_" or k in TENSOR_MARKS) for k in part):
            raise UnpicklingError(f"a tensor's state must map public names to values, got {_show(state)}")
        for name, value in part.items():
            setattr(t, name, value)
    return t


class Unpickler:
    """Reads one pickle from ``data`` at ``pos``.

    ``persistent_load(ref)`` is called once per storage key with a new StorageRef, to check it
    against the file's records; the tensors built are listed in ``tensors``, each holding its
    StorageRef in ``_storage`` until the caller puts the loaded storage there.
    """

    def __init__(self, data, pos: int = 0, persistent_load=None, legacy: bool = False):
        self.data, self.pos = memoryview(data), pos
        self.persistent_load, self.legacy = persistent_load, legacy
        self.refs: dict = {}
        self.tensors: list = []
        self.sparse: list = []
        self.memo: dict = {}
        self.stack: list = []
        self.metastack: list = []

    # -- the opcode loop --------------------------------------------------------------------------
    def load(self):
        """The unpickled object; ``self.pos`` is then just after its STOP opcode."""
        while True:
            start = self.pos
            if start >= len(self.data):  # as the pickle module (and torch.load): no next opcode
                raise EOFError(f"Ran out of input: the pickle ends at byte {start} without its STOP opcode")
            code = self._take(1)[0]
            op = _OPS.get(code)
            if op is None:
                name = pickletools.code2op[chr(code)].name if chr(code) in pickletools.code2op else hex(code)
                raise UnpicklingError(f"refused pickle opcode {name} at byte {start}: a checkpoint never "
                                      "needs it and pyfront does not run it")
            try:
                done = op(self)
            except UnpicklingError:
                raise
            except IndexError as e:
                raise UnpicklingError(f"corrupted pickle: stack underflow at byte {start}") from e
            except (TypeError, ValueError, KeyError, RecursionError, OverflowError, AttributeError) as e:
                # (AttributeError: a crafted file that compares a tensor before its data is loaded)
                raise UnpicklingError(f"corrupted pickle at byte {start}: {e!r:.200}") from e
            if done:
                if len(self.stack) != 1 or self.metastack:
                    raise UnpicklingError(f"corrupted pickle: STOP at byte {start} finds {len(self.stack)} "
                                          "items on the stack, not one")
                result = self.stack.pop()
                _check_no_markers(result, StorageRef)  # a storage saved as itself: load makes one (bare.py)
                return result

    def _take(self, n: int):
        if not 0 <= n <= len(self.data) - self.pos:
            raise UnpicklingError(f"pickle data was truncated: {n} bytes needed at byte {self.pos}, "
                                  f"{len(self.data) - self.pos} left")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def _unpack(self, fmt: str):
        return struct.unpack(fmt, self._take(struct.calcsize(fmt)))[0]

    def _line(self) -> str:
        end = bytes(self.data[self.pos:self.pos + 256]).find(b"\n")
        if end < 0:
            raise UnpicklingError(f"corrupted pickle: a GLOBAL name at byte {self.pos} is unterminated "
                                  "or too long")
        text = bytes(self._take(end + 1)[:-1])
        return text.decode("utf-8")

    def _pop_mark(self) -> list:
        if not self.metastack:
            raise UnpicklingError(f"corrupted pickle: no MARK before byte {self.pos}")
        items, self.stack = self.stack, self.metastack.pop()
        return items

    # -- opcodes: plain data ----------------------------------------------------------------------
    def _proto(self):
        proto = self._take(1)[0]
        if not 2 <= proto <= 5:
            raise UnpicklingError(f"unsupported pickle protocol {proto}")

    def _frame(self):
        self._take(8)  # protocol 4 framing: a length hint only

    def _mark(self):
        self.metastack.append(self.stack)
        self.stack = []

    def _pop(self):
        if self.stack:
            self.stack.pop()
        else:
            self._pop_mark()

    def _push(self, value):  # after _pop_mark: self.stack is then another list
        self.stack.append(value)

    def _discard_mark(self):
        self._pop_mark()

    def _long(self, n: int):
        self.stack.append(int.from_bytes(self._take(n), "little", signed=True))

    def _text(self, n: int):
        self.stack.append(str(self._take(n), "utf-8", "surrogatepass"))

    def _memo_put(self, idx: int):  # (a storage memoized too: pyfront's pickler writes one saved twice so)
        self.memo[idx] = self.stack[-1]

    def _memo_get(self, idx: int):
        if idx not in self.memo:
            raise UnpicklingError(f"corrupted pickle: memo entry {idx} is read before it is written")
        self.stack.append(self.memo[idx])

    def _setitems(self, items: list):
        target = self.stack[-1]
        if type(target) not in (dict, OrderedDict):
            raise UnpicklingError(f"refused item-setting on a {type(target).__name__}: only dicts take items")
        if len(items) % 2:
            raise UnpicklingError("corrupted pickle: SETITEMS with an odd number of items")
        for i in range(0, len(items), 2):
            target[items[i]] = items[i + 1]

    def _extend(self, items: list):
        target = self.stack[-1]
        if type(target) is not list:
            raise UnpicklingError(f"refused APPEND to a {type(target).__name__}: only lists take appends")
        target.extend(items)

    def _additems(self):
        items = self._pop_mark()
        if type(self.stack[-1]) is not set:
            raise UnpicklingError(f"refused ADDITEMS to a {type(self.stack[-1]).__name__}")
        self.stack[-1].update(items)

    # -- opcodes: globals, calls, storages --------------------------------------------------------
    def _global(self, module: str, name: str):
        if module == "__builtin__":  # protocol 2 writes Python 2 names
            module = "builtins"
        qualname = f"{module}.{name}"
        found = GLOBALS.get(qualname)
        if found is None:
            dtype_name = MISSING_STORAGES.get(name) if module == "torch" else None
            if module == "torch" and name in MISSING_DTYPES:
                dtype_name = name
            if dtype_name:
                raise UnpicklingError(f"the file holds {dtype_name} data ({qualname}), a dtype pyfront "
                                      "does not have")
            allowed = user_globals()
            if qualname not in allowed:
                raise UnpicklingError(unsupported_global(qualname))
            found = allowed[qualname]
        self.stack.append(found)

    def _stack_global(self):
        name, module = self.stack.pop(), self.stack.pop()
        if type(module) is not str or type(name) is not str:
            raise UnpicklingError("corrupted pickle: STACK_GLOBAL needs two strings")
        self._global(module, name)

    def _reduce(self):
        args, func = self.stack.pop(), self.stack.pop()
        if _user_allowed(func):  # the user's trust, given by add_safe_globals
            _check_no_markers(args)
            self.stack.append(func(*args))
            return
        if not isinstance(func, _Callable):
            raise UnpicklingError(f"refused call of {_show(func)}: it is not a function a checkpoint may "
                                  "call")
        if type(args) is not tuple:
            raise UnpicklingError(f"corrupted pickle: arguments of {func.qualname} are not a tuple")
        try:
            result = getattr(self, func.handler)(*args)
        except TypeError as e:
            raise UnpicklingError(f"bad arguments for {func.qualname}: {e}") from e
        self.stack.append(result)

    def _newobj(self):
        args, cls = self.stack.pop(), self.stack.pop()
        if not _user_allowed(cls) or not isinstance(cls, type):
            raise UnpicklingError("refused NEWOBJ: Can only create new object for nn.Parameter or classes "
                                  f"allowlisted via `add_safe_globals` but got {_show(cls)}")
        if type(args) is not tuple:
            raise UnpicklingError(f"corrupted pickle: arguments of {cls.__qualname__} are not a tuple")
        _check_no_markers(args)
        self.stack.append(cls.__new__(cls, *args))

    def _build(self):
        state, inst = self.stack.pop(), self.stack[-1]
        if _user_allowed(type(inst)):  # as pickle's BUILD, for a class the user allowed
            _check_no_markers(state)
            if hasattr(inst, "__setstate__"):
                inst.__setstate__(state)
                return
            slots = None
            if isinstance(state, tuple) and len(state) == 2:
                state, slots = state
            if state:
                inst.__dict__.update(state)
            for k, v in (slots or {}).items():
                setattr(inst, k, v)
            return
        if type(inst) is not OrderedDict:
            raise UnpicklingError(f"refused BUILD of a {type(inst).__name__}: only an OrderedDict's "
                                  "attributes (a state_dict's _metadata) may be set")
        # an attribute may not hide a dict method (``keys``, ``items``): the result would break
        # everything that reads it, here and in the user's code
        if type(state) is not dict or not all(type(k) is str and not k.startswith("__")
                                              and not hasattr(OrderedDict, k) for k in state):
            raise UnpicklingError("refused BUILD of an OrderedDict: its state must be a dict of "
                                  "attribute names that are not OrderedDict's own")
        inst.__dict__.update(state)

    def _persistent_id(self):
        self.stack.append(self.storage_ref(self.stack.pop()))

    def storage_ref(self, pid) -> StorageRef:
        """The StorageRef a persistent id names (checked, and declared once per key)."""
        fields = 6 if self.legacy else 5
        if type(pid) is not tuple or len(pid) != fields or type(pid[0]) is not str or pid[0] != "storage":
            what = pid[0] if type(pid) is tuple and pid else pid
            raise UnpicklingError(f"refused persistent id {_show(what)}: only storage records are loaded")
        _, stype, key, location, numel = pid[:5]
        if type(stype) is not StorageType:
            raise UnpicklingError(f"persistent id of storage {_show(key)} names {_show(stype)}, not a "
                                  "storage type")
        if type(key) is not str or type(location) is not str:
            raise UnpicklingError("corrupted persistent id: the storage key and location must be strings")
        if not _LOCATION.fullmatch(location):
            raise RuntimeError(f"don't know how to restore data location of {stype!r} (tagged with "
                               f"{location[:40]})")
        if self.legacy and pid[5] is not None:
            raise UnpicklingError("storage views of the pre-1.0 format are not supported")
        numel = _int(numel, f"the size of storage '{key}'")
        nbytes = numel * (ITEMSIZE[stype.dtype] if stype.dtype else 1)
        ref = self.refs.get(key)
        if ref is None:
            ref = self.refs[key] = StorageRef(key, location, nbytes, stype.dtype, stype.dtype is None)
            if self.persistent_load is None:
                raise UnpicklingError("this pickle may not reference storages")
            self.persistent_load(ref)
        elif ref.nbytes != nbytes or (ref.untyped != (stype.dtype is None)) or (
                not ref.untyped and ref.dtype != stype.dtype):
            raise UnpicklingError(f"storage '{key}' is declared twice with different types or sizes")
        return ref

    # -- the callable globals ---------------------------------------------------------------------
    def _tensor(self, storage, offset, size, stride, dtype_name):
        if type(storage) is not StorageRef:
            raise UnpicklingError(f"a tensor needs a storage reference, got {type(storage).__name__}")
        name = storage.bind(dtype_name)
        offset = _int(offset, "storage_offset", low=-INT64)
        size, stride = _ints(size, "size"), _ints(stride, "stride")
        if len(size) != len(stride):
            raise UnpicklingError(f"size {list(size)} and stride {list(stride)} differ in length")
        _check_geometry(offset, size, stride, storage.nbytes // ITEMSIZE[name], storage.key)
        t = Tensor._make(storage, size, LOADED_AS[name], stride, offset)
        self.tensors.append(t)
        return t

    def _rebuild_meta_tensor_no_storage(self, dtype, size, stride, requires_grad):
        """A meta tensor: its dtype and geometry, no memory (and so none in the archive)."""
        from ..ops.factories import empty_strided  # (the factories import the tensor module this file needs)

        if not isinstance(dtype, dt.dtype):
            raise UnpicklingError(f"_rebuild_meta_tensor_no_storage needs a dtype, got {_show(dtype)}")
        size, stride = _ints(size, "size"), _ints(stride, "stride")
        if len(size) != len(stride):
            raise UnpicklingError(f"size {list(size)} and stride {list(stride)} differ in length")
        return self._finish(empty_strided(size, stride, dtype=dtype, device="meta"), requires_grad, {}, None)

    def _rebuild_tensor(self, storage, offset, size, stride):
        return self._tensor(storage, offset, size, stride, None)

    def _rebuild_tensor_v2(self, storage, offset, size, stride, requires_grad, backward_hooks, metadata=None):
        return self._finish(self._tensor(storage, offset, size, stride, None), requires_grad, backward_hooks,
                            metadata)

    def _rebuild_tensor_v3(self, storage, offset, size, stride, requires_grad, backward_hooks, dtype,
                           metadata=None):
        if not isinstance(dtype, dt.dtype):
            raise UnpicklingError(f"_rebuild_tensor_v3 needs a dtype, got {_show(dtype)}")
        return self._finish(self._tensor(storage, offset, size, stride, dtype.name), requires_grad,
                            backward_hooks, metadata)

    def _finish(self, t, requires_grad, backward_hooks, metadata):
        if type(requires_grad) is not bool:
            raise UnpicklingError(f"requires_grad must be a bool, got {_show(requires_grad)}")
        if type(backward_hooks) not in (dict, OrderedDict):
            raise UnpicklingError("backward_hooks must be a dict")  # PyTorch never restores hooks either
        # PyTorch records its conj/neg bits here: the stored values are shown conjugated or negated
        if metadata is not None and (type(metadata) is not dict or any(
                k not in ("conj", "neg") or type(v) is not bool for k, v in metadata.items())
                or metadata.get("conj") and (metadata.get("neg") or not t.dtype.is_complex)):
            raise UnpicklingError(f"unsupported tensor metadata {_show(metadata)}")
        for bit in ("conj", "neg"):
            if metadata and metadata.get(bit):
                from ..ops.lazy_bits import mark
                mark(t, bit)
        if requires_grad and not t.dtype.is_floating_point:
            raise UnpicklingError(f"a {t.dtype} tensor can't require gradients")
        t.requires_grad_(requires_grad)
        return t

    def _rebuild_parameter(self, data, requires_grad, backward_hooks):
        from ..nn.parameter import Parameter  # here: pyfront.nn imports the tensor module this file needs

        if not isinstance(data, Tensor):
            raise UnpicklingError(f"_rebuild_parameter needs a tensor, got {type(data).__name__}")
        self._finish(data, requires_grad, backward_hooks, None)  # a tensor's checks; then data is plain again
        data.requires_grad_(False)
        p = Parameter(data, requires_grad)  # a Parameter, as torch loads it (saved alone or in a container)
        if type(p._storage) is StorageRef:  # (a meta one has none)
            self.tensors.append(p)  # its storage is filled in with the other tensors'
        return p

    def _rebuild_parameter_with_state(self, data, requires_grad, backward_hooks, state):
        """torch writes this for a Parameter with attributes of its own: ``state`` is their dict, or a
        (dict, slots) pair."""
        return _set_state(self._rebuild_parameter(data, requires_grad, backward_hooks), state)

    def _rebuild_from_type_v2(self, func, new_type, args, state):
        """torch writes this for a tensor with attributes of its own: ``func(*args)`` rebuilds it (one
        of the rebuilds above), ``new_type`` is torch.Tensor or nn.Parameter, ``state`` its attributes."""
        from ..nn.parameter import Parameter

        # (the full unpickler hands over this unpickler's own method where this one has its _Callable)
        rebuild = getattr(self, func.handler) if isinstance(func, _Callable) else func
        if getattr(rebuild, "__self__", None) is not self or type(args) is not tuple:
            raise UnpicklingError(f"_rebuild_from_type_v2 needs a tensor rebuild, got {_show(func)}")
        # (the full unpickler names the classes themselves, this one its _TensorType markers, or a subclass
        # the user allowed: safe_globals)
        subclass = isinstance(new_type, type) and issubclass(new_type, Tensor) and new_type is not Parameter
        if not isinstance(new_type, _TensorType) and new_type is not Parameter and not subclass:
            raise UnpicklingError(f"_rebuild_from_type_v2 may only make a Tensor or Parameter, got "
                                  f"{_show(new_type)}")
        t = rebuild(*args)
        if not isinstance(t, Tensor):
            raise UnpicklingError(f"_rebuild_from_type_v2 needs a tensor, got {_show(t)}")
        if (new_type is Parameter or repr(new_type).endswith("Parameter")) and type(t) is not Parameter:
            t = self._rebuild_parameter(t, t.requires_grad, OrderedDict())
        elif subclass and type(t) is not new_type:
            t.__class__ = new_type  # (torch's as_subclass: this rebuilt tensor is no one else's yet)
            if getattr(new_type, "__setstate__", None) not in (None, getattr(Tensor, "__setstate__", None)):
                t.__setstate__(state)  # (a subclass's own, as torch's rebuild calls it)
                return t
        return _set_state(t, state)

    def _get_layout(self, name):
        from .. import sparse

        if name not in ("torch.strided", "torch.sparse_coo"):
            raise UnpicklingError(f"pyfront has the strided and sparse COO layouts, not {_show(name)}")
        return getattr(sparse, name[len("torch."):])

    def _rebuild_sparse_tensor(self, layout, data):
        """A sparse COO tensor: (indices, values, size[, is_coalesced]); checked against its size once the
        data is read (``check_sparse``), as torch validates loaded sparse tensors."""
        from ..sparse import SparseCooTensor, sparse_coo

        if layout is not sparse_coo:
            raise UnpicklingError(f"only sparse COO tensors can be loaded, not layout {_show(layout)}")
        if type(data) is not tuple or len(data) not in (3, 4):
            raise UnpicklingError("a sparse tensor needs (indices, values, size[, is_coalesced])")
        indices, values, size = data[:3]
        coalesced = data[3] if len(data) == 4 else None
        tensors = isinstance(indices, Tensor) and isinstance(values, Tensor)
        if not tensors or coalesced not in (None, True, False):
            raise UnpicklingError("a sparse tensor needs index and value tensors")
        size = _ints(size, "a sparse tensor's size")
        if indices.dim() != 2 or indices.dtype is not dt.int64 or indices.shape[0] != len(size) or \
                values.dim() != 1 or values.shape[0] != indices.shape[1]:
            raise UnpicklingError(f"sparse tensor indices {list(indices.shape)} and values "
                                  f"{list(values.shape)} do not fit size {list(size)}")
        s = SparseCooTensor(indices, values, size, bool(coalesced))
        self.sparse.append(s)
        return s

    def check_sparse(self) -> None:
        """After the data is read: each loaded sparse tensor's indices within its size, with the error
        sparse_coo_tensor raises (and its placement: indices follow the values' device)."""
        from ..sparse import sparse_coo_tensor

        for s in self.sparse:
            s._ind = s._ind.to(s._val.device)
            sparse_coo_tensor(s._ind, s._val, s._size, check_invariants=True)

    def _ordered_dict(self, pairs=()):
        pair_types = (list, tuple)
        if type(pairs) not in pair_types or not all(type(p) in pair_types and len(p) == 2 for p in pairs):
            raise UnpicklingError("OrderedDict takes a list of (key, value) pairs")
        return OrderedDict(pairs)

    def _set(self, items=()):
        if type(items) not in (list, tuple):
            raise UnpicklingError("set takes a list")
        return set(items)

    def _bytes(self):
        return b""

    def _complex(self, real=0.0, imag=0.0):
        if type(real) not in (int, float) or type(imag) not in (int, float):
            raise UnpicklingError(f"complex takes two numbers, got {_show(real)}, {_show(imag)}")
        return complex(real, imag)

    def _bytearray(self, data=b"", encoding=None):
        # torch.save's pickle: bytearray(_codecs.encode(text, 'latin1')); Python's protocol 2 (pyfront's
        # pickler): bytearray(text, 'latin-1')
        if type(data) is str and encoding is not None:
            data = self._encode(data, encoding)
        if type(data) is not bytes or encoding is not None and type(encoding) is not str:
            raise UnpicklingError(f"bytearray takes bytes, got {_show(data)}")
        return bytearray(data)

    def _counter(self, counts=()):
        if type(counts) is not dict:
            raise UnpicklingError(f"Counter takes a dict, got {_show(counts)}")
        return Counter(counts)

    def _encode(self, text, encoding):
        if type(text) is not str or type(encoding) is not str or encoding not in ("latin1", "latin-1"):
            raise UnpicklingError(f"_codecs.encode is only allowed for latin1 text (bytes), got "
                                  f"{_show(encoding)}")
        try:
            return text.encode("latin-1")
        except UnicodeEncodeError as e:
            raise UnpicklingError(f"corrupted bytes object: {e}") from e

    def _device(self, kind, index=None):
        if type(kind) is not str or (index is not None and type(index) is not int):
            raise UnpicklingError(f"torch.device takes a str and an int, got {_show(kind)}, {_show(index)}")
        from ..device import device
        try:
            return device(kind, index)
        except RuntimeError as e:
            raise UnpicklingError(f"bad device in the file: {e}") from None

    def _size(self, dims):
        return Size(_ints(dims, "torch.Size"))


def _user_allowed(obj) -> bool:
    return any(obj is v for v in user_globals().values())


def unsupported_global(qualname: str) -> str:
    """torch.load's message for a global that weights_only refuses (the user may allowlist it)."""
    if qualname.startswith("builtins."):
        qualname = qualname[len("builtins."):]
    message = (f"Unsupported global: GLOBAL {qualname} was not an allowed global by default. Please use "
               f"`torch.serialization.add_safe_globals([{qualname}])` or the "
               f"`torch.serialization.safe_globals([{qualname}])` context manager to allowlist this global "
               "if you trust this class/function.")
    return ("Weights only load failed. This file can still be loaded, to do so you have two options, "
            "\033[1mdo those steps only if you trust the source of the checkpoint\033[0m. "
            f"\n\t(1) {UNSAFE_MESSAGE}\n\t(2) Alternatively, to load with `weights_only=True` please check "
            "the recommended steps in the following error message.\n\tWeightsUnpickler error: " + message
            + "\n\nCheck the documentation of torch.load to learn more about types accepted by default with "
            "weights_only https://pytorch.org/docs/stable/generated/torch.load.html.")


UNSAFE_MESSAGE = ("In PyTorch 2.6, we changed the default value of the `weights_only` argument in "
                  "`torch.load` from `False` to `True`. Re-running `torch.load` with `weights_only` set to "
                  "`False` will likely succeed, but it can result in arbitrary code execution. Do it only if "
                  "you got the file from a trusted source.")


def _check_no_markers(obj, allowed=()) -> None:
    """Refuse a result that still holds a bare storage or global (but the ``allowed`` marker types): pyfront
    has no such objects."""
    seen, todo = set(), [obj]
    while todo:
        o = todo.pop()
        if isinstance(o, _MARKERS) and not isinstance(o, allowed):
            raise UnpicklingError(f"the file holds a bare {o!r:.80} outside any tensor; pyfront loads "
                                  "tensors, containers, numbers and strings only")
        if id(o) in seen or type(o) not in (dict, OrderedDict, list, tuple, set):
            continue
        seen.add(id(o))
        if isinstance(o, dict):
            todo.extend(dict.keys(o))
            todo.extend(dict.values(o))
            todo.extend(vars(o).values() if type(o) is OrderedDict else ())
        else:
            todo.extend(o)


_OPS = {ord(code): fn for code, fn in {
    "\x80": Unpickler._proto, "\x95": Unpickler._frame, ".": lambda u: True, "(": Unpickler._mark,
    "0": Unpickler._pop, "1": Unpickler._discard_mark,
    "N": lambda u: u.stack.append(None), "\x88": lambda u: u.stack.append(True),
    "\x89": lambda u: u.stack.append(False),
    "J": lambda u: u.stack.append(u._unpack("<i")), "K": lambda u: u.stack.append(u._take(1)[0]),
    "M": lambda u: u.stack.append(u._unpack("<H")), "\x8a": lambda u: u._long(u._take(1)[0]),
    "\x8b": lambda u: u._long(_int(u._unpack("<i"), "LONG4 length")),
    "G": lambda u: u.stack.append(u._unpack(">d")),
    "X": lambda u: u._text(u._unpack("<I")), "\x8c": lambda u: u._text(u._take(1)[0]),
    "\x8d": lambda u: u._text(u._unpack("<Q")),
    "U": lambda u: u._text(u._take(1)[0]), "T": lambda u: u._text(u._unpack("<I")),  # Python 2 str
    "B": lambda u: u.stack.append(bytes(u._take(u._unpack("<I")))),
    "C": lambda u: u.stack.append(bytes(u._take(u._take(1)[0]))),
    "\x8e": lambda u: u.stack.append(bytes(u._take(u._unpack("<Q")))),
    ")": lambda u: u.stack.append(()), "t": lambda u: u._push(tuple(u._pop_mark())),
    "\x85": lambda u: u.stack.append((u.stack.pop(),)),
    "\x86": lambda u: u.stack.append(tuple(u.stack.pop() for _ in range(2))[::-1]),
    "\x87": lambda u: u.stack.append(tuple(u.stack.pop() for _ in range(3))[::-1]),
    "]": lambda u: u.stack.append([]), "a": lambda u: u._extend([u.stack.pop()]),
    "e": lambda u: u._extend(u._pop_mark()),
    "}": lambda u: u.stack.append({}), "s": lambda u: u._setitems([u.stack.pop(-2), u.stack.pop()]),
    "u": lambda u: u._setitems(u._pop_mark()),
    "\x8f": lambda u: u.stack.append(set()), "\x90": Unpickler._additems,
    "q": lambda u: u._memo_put(u._take(1)[0]), "r": lambda u: u._memo_put(u._unpack("<I")),
    "\x94": lambda u: u._memo_put(len(u.memo)),
    "h": lambda u: u._memo_get(u._take(1)[0]), "j": lambda u: u._memo_get(u._unpack("<I")),
    "c": lambda u: u._global(u._line(), u._line()), "\x93": Unpickler._stack_global,
    "R": Unpickler._reduce, "b": Unpickler._build, "Q": Unpickler._persistent_id, "\x81": Unpickler._newobj,
}.items()}
