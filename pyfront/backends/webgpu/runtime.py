"""The scheduler: pipelines and bind groups cached, parameters in a uniform ring, one open pass.

Per-op costs dominate small tensors (DESIGN.md: a dispatch into an open pass costs ~3 µs, a new
bind group plus pass ~55 µs, a submit ~100 µs), so dispatches accumulate in one compute pass and
are submitted only at a sync point: a read-back, ``synchronize()``, or a full parameter ring.

The loader lives here too: kernels come from shaders/ with their includes expanded and their
placeholders and shared constants substituted (``specialise``), and each kernel's parameters are
packed by name from the ``struct Params`` it declares (``ParamLayout``).
"""

from __future__ import annotations

import functools
import inspect
import keyword
import os
import re
import string
import struct
from collections import OrderedDict

from ...dtypes import round_float16
from .protocol import COPY_DST, UNIFORM, is_lost, is_lost_error, lost_error
from .memory import BufferPool, GPUBuffer
from .strides import MAX_DIMS

PARAM_BYTES = 256  # one kernel's parameters at most; also the dynamic-offset alignment WebGPU requires
WORKGROUP = 256  # invocations per workgroup, in every kernel (shaders read it as WORKGROUP)
RING_SLOTS = 4096
# Bounds of the caches. Shader text depends only on (kernel, specialisation), so in a steady program
# these sets are small; the bounds keep a program that specialises widely from growing without end.
MAX_PIPELINES = 512
MAX_BIND_GROUPS = 4096
MAX_PENDING = 2048  # dispatches recorded before a submit even with no sync point: the encoder is bounded too
_PACKAGE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# in the wheel shaders/ is inside the package; in a checkout (and editable installs) beside it
SHADER_DIR = next(
    d
    for d in (os.path.join(_PACKAGE, "shaders"), os.path.join(os.path.dirname(_PACKAGE), "shaders"))
    if os.path.isdir(d)
)


@functools.lru_cache(maxsize=None)  # keyed by file name: at most one entry per file in shaders/
def shader_source(name: str) -> str:
    """A kernel file from shaders/, with ``//!include file.wgsl`` lines expanded."""
    with open(os.path.join(SHADER_DIR, name), encoding="utf-8") as f:
        return _includes(f.read())


def _includes(src: str) -> str:
    return re.sub(r"^//!include (\S+)$", lambda m: shader_source(m.group(1)), src, flags=re.M)


# Launchers specialise at every dispatch, and substituting a kernel's text costs more than the rest
# of a small dispatch; a kernel's specialisations are few (numbers are parameters, never text).
@functools.lru_cache(maxsize=MAX_PIPELINES)
def specialise(name: str, **subs) -> str:
    """A kernel's text: its placeholders substituted, with the constants every kernel may use
    (WORKGROUP, MAX_DIMS) defined here once, never copied into the shaders."""
    return specialise_text(shader_source(name), **subs)


def specialise_text(src: str, **subs) -> str:
    """``specialise`` for a kernel generated in Python (fusion.py) rather than read from a file."""
    return string.Template(_includes(src)).substitute(WORKGROUP=WORKGROUP, MAX_DIMS=MAX_DIMS, **subs)


class ParamLayout:
    """The parameters a kernel declares by name in its WGSL ``struct Params`` (the uniform
    ``params``), and how to pack values given by name into it. Field types: u32, i32, f32 (a Python
    number), vec4<u32> and array<vec4<u32>, N> (a sequence of at most 4N words, zero-filled), or
    another struct of the kernel (a dict of its fields); offsets follow WGSL's uniform layout
    rules (scalars 4 bytes; vec4s, arrays and structs 16-byte aligned).

    The table of fields is worked out once per pipeline and compiled, as dataclasses compile
    ``__init__``, into a function of the fields by keyword that lists the values in struct order:
    Python's own argument binding refuses a missing or unknown name, and a dispatch pays no more
    than one call for its parameters. For ``struct Params { n: u32, sizes: array<vec4<u32>, 2> }``::

        def Params(*, n, sizes):
            return (n, *sizes, *_ZEROS[_len(sizes):8])
    """

    def __init__(self, source: str, struct_name: str = "Params"):
        self.name, self.fields = struct_name, []  # (name, words of an array / nested layout / None)
        self.kinds = ""  # struct format letter of each value, in order
        fmt, at, values, scope = "", 0, [], {"_ZEROS": _ZEROS, "_len": len}
        for name, ty, vecs in _struct_fields(source, struct_name):
            if ty in _SCALARS:
                align, size, kind, part = 4, 4, None, _SCALARS[ty]
                self.kinds += part
                values.append(name)
            elif vecs:
                align, size, kind, part = 16, 16 * vecs, 4 * vecs, f"{4 * vecs}I"
                self.kinds += "I" * kind
                values.append(f"*{name}, *_ZEROS[_len({name}):{kind}]")
            else:
                kind = ParamLayout(source, ty)
                align, size = 16, -(-kind.size // 16) * 16
                part = f"{kind.format}{size - kind.size}x"
                self.kinds += kind.kinds
                scope[f"_{name}"] = kind.values
                values.append(f"*_{name}(**{name})")
            fmt += f"{-at % align}x{part}"
            at += -at % align + size
            self.fields.append((name, kind))
        self.size, self.format = at, fmt
        self.struct = struct.Struct("<" + fmt)
        # values struct.pack refuses (a negative u32, a float beyond float32) go in as raw words
        self.words = struct.Struct("<" + fmt.replace("i", "I").replace("f", "I"))
        keywords = ", ".join(name for name, _ in self.fields)
        exec(f"def {struct_name}(*, {keywords}):\n    return ({', '.join(values)},)", scope)
        self.values = scope[struct_name]
        if struct_name == "Params" and self.size > PARAM_BYTES:
            raise ValueError(f"a webgpu kernel's parameters take at most {PARAM_BYTES} bytes; "
                             f"this kernel's struct Params takes {self.size}")

    def pack(self, params: dict) -> bytes:
        """The parameter bytes for ``params``: a value for every field, by name, and no other."""
        try:
            return self.struct.pack(*self.values(**params))
        except TypeError as e:  # a name missing or unknown
            raise TypeError(f"webgpu kernel parameters: {e} (struct {self.name} declares "
                            f"{', '.join(name for name, _ in self.fields)})") from None
        except (struct.error, OverflowError):
            self._check_lengths(params, "")
            return self.words.pack(*(f32_bits(v) if k == "f" else v & 0xFFFFFFFF
                                     for v, k in zip(self.values(**params), self.kinds)))

    def _check_lengths(self, params, prefix):
        for name, kind in self.fields:
            if isinstance(kind, ParamLayout):
                kind._check_lengths(params[name], f"{prefix}{name}.")
            elif kind is not None and len(params[name]) > kind:
                raise ValueError(f"webgpu kernel parameter {prefix + name} holds at most {kind} words; "
                                 f"got {len(params[name])}")


_SCALARS = {"u32": "I", "i32": "i", "f32": "f"}
_ZEROS = (0,) * (PARAM_BYTES // 4)
_FIELD = re.compile(  # name: type, where a name starts lowercase and a struct's type uppercase
    r"\s*([a-z]\w*)\s*:\s*(u32|i32|f32|vec4<u32>|array<vec4<u32>,\s*(\d+)\s*>|[A-Z]\w*)\s*(,|$)")


def _struct_fields(source: str, name: str) -> list:
    """(name, type, its count of vec4s or 0) for each field of WGSL ``struct name`` in ``source``."""
    found = re.search(rf"\bstruct {name}\s*\{{([^}}]*)\}}", source)
    if found is None:
        raise ValueError(f"a webgpu kernel declares its parameters in `struct {name} {{ ... }}`; "
                         f"this one has no struct {name}")
    body = re.sub(r"//[^\n]*", "", found.group(1)).rstrip()
    fields, at = [], 0
    while at < len(body):
        m = _FIELD.match(body, at)
        if m is None:
            raise ValueError(f"struct {name} of a webgpu kernel has a field the loader cannot pack (u32, "
                             f"i32, f32, vec4<u32>, array<vec4<u32>, N> or a struct): {body[at:].strip()}")
        ty = m.group(2)
        if keyword.iskeyword(m.group(1)):
            raise ValueError(f"struct {name} of a webgpu kernel names a field {m.group(1)!r}, a Python "
                             f"keyword")
        fields.append((m.group(1), ty, 1 if ty == "vec4<u32>" else int(m.group(3) or 0)))
        at = m.end()
    return fields


def f32_bits(x: float) -> int:
    """The bits of ``x`` rounded to float32; beyond float32's range it is +-inf, as a cast in PyTorch."""
    try:
        return struct.unpack("<I", struct.pack("<f", x))[0]
    except OverflowError:
        return 0x7F800000 if x > 0 else 0xFF800000


def f16_bits(x: float) -> int:
    """The bits of ``x`` rounded to float16 as torch rounds it (through float32; +-inf beyond its range)."""
    return struct.unpack("<H", struct.pack("<e", round_float16(x)))[0]


def _guarded(method):
    """Driver failures caused by a lost device become one clear error, and the backend is dropped.

    Each call holds the runtime's lock: threads share one open command encoder, parameter ring and
    buffer pool, so one thread's dispatch must not interleave with another's (a reentrant lock,
    since a buffer freed mid-call hands itself back to the pool under the same lock). A coroutine
    takes the lock itself around the parts that record (never across an await), and its failures
    are turned into the lost-device error as they come."""

    if inspect.iscoroutinefunction(method):
        async def wrapper(self, *args, **kwargs):
            try:
                return await method(self, *args, **kwargs)
            except Exception as e:
                _raise_if_lost(self, e)
                raise
    else:
        def wrapper(self, *args, **kwargs):
            try:
                with self.lock:
                    return method(self, *args, **kwargs)
            except Exception as e:
                _raise_if_lost(self, e)
                raise

    wrapper.__name__, wrapper.__doc__ = method.__name__, method.__doc__
    return wrapper


def _reads_a_lost_buffer(e) -> bool:
    """``e`` is wgpu's refusal of a buffer of another device: one from before a loss (a bind group is made
    before anything is recorded, so the encoder stays usable)."""
    return is_lost_error(e) or "doesn't match device" in str(e).lower()


def _raise_if_lost(runtime, e):
    """Raise the lost-device error (dropping the backend) where ``e`` says the device is gone."""
    if is_lost_error(e):  # raised already (a nested call's)
        return
    if _reads_a_lost_buffer(e):  # a tensor made before a loss, used on the new device
        raise lost_error("an operand's memory was on the device that was lost") from e
    if runtime.driver.lost_reason or is_lost(e):
        from .. import forget

        forget("webgpu")
        raise lost_error(runtime.driver.lost_reason or str(e).strip().splitlines()[-1].strip()) from e


class Runtime:
    def __init__(self, driver):
        self.driver = driver
        limits = driver.limits
        self.max_groups = limits.get("max-compute-workgroups-per-dimension", 65535)
        self.pool = BufferPool(driver, limits.get("max-storage-buffer-binding-size", 128 << 20))
        self.pool.on_release = self._forget_buffer
        self.lock = self.pool.lock
        # both least recently used first
        self._pipelines: OrderedDict = OrderedDict()
        self._bind_groups: OrderedDict = OrderedDict()
        self._ring = driver.create_buffer(PARAM_BYTES * RING_SLOTS, UNIFORM | COPY_DST)
        self._staging = bytearray(PARAM_BYTES * RING_SLOTS)
        self._slot = 0
        self._slot_of: dict = {}  # parameter bytes -> ring slot, within one batch
        self._pending = 0  # dispatches recorded since the last submit
        self.dispatch_count = 0
        # id(buffer handle) -> weak references to the pending results (fusion.py) that read it
        self.readers: dict = {}
        # id -> weak reference of the pending results (fusion.py) not computed yet, which synchronize
        # computes; plain weak references (a WeakSet's runs a callback as each dies): the dead are
        # dropped in bulk, when the entries reach a bound that doubles with the live ones
        self.unrealized: dict = {}
        self.unrealized_bound = 1024
        # id(buffer handle) -> the bounds checks its contents passed (kernels/indexing.py), forgotten when
        # it is written or let go: a training step checks one index for its gather and again for the
        # backward's scatter, and each check is a read-back (a wait for the GPU)
        self.checked: dict = {}

    def _before_write(self, buf):
        """``buf`` is about to be written: compute first every pending result that reads it (and
        ``buf`` itself when it is one)."""
        if buf.__class__ is not GPUBuffer:
            buf.realize()
        if self.checked:
            self.checked.pop(id(buf.handle), None)
        refs = self.readers.pop(id(buf.handle), None) if self.readers else None
        if refs:
            for ref in refs:
                p = ref()
                if p is not None:
                    p.realize()
        if len(self.readers) > 4096:  # entries of results that died unrealized
            self.readers = {k: live for k, v in self.readers.items() if (live := [r for r in v if r()])}

    def pipeline(self, source: str, n_read: int, n_write: int):
        key = (source, n_read, n_write)
        entry = self._pipelines.get(key)
        if entry is None:
            # the parameter layout is read before compiling, so a mismatch fails before any GPU work
            params = ParamLayout(source)
            entry = self._pipelines[key] = (*self.driver.compile(source, n_read, n_write), params)
            while len(self._pipelines) > MAX_PIPELINES:
                # a dispatch already recorded keeps its pipeline alive in the driver
                self._pipelines.popitem(last=False)
        else:
            self._pipelines.move_to_end(key)
        return entry

    @_guarded
    def launch(self, source, reads, writes, params: dict, threads: int):
        """Dispatch ``source`` over ``threads`` invocations (folded into a 2D grid when large).

        ``reads``/``writes``: (GPUBuffer, byte offset, byte size) bound in that order; ``params``:
        a value for each field of the kernel's ``struct Params``, by name (see ParamLayout).
        """
        if threads <= 0:
            return
        for port in reads:
            if port[0].__class__ is not GPUBuffer:
                port[0].realize()
        for port in writes:
            self._before_write(port[0])
        # the commonest cases of pipeline() and _params_slot() inline: their entries are there
        pipeline_key = (source, len(reads), len(writes))
        entry = self._pipelines.get(pipeline_key)
        if entry is None:
            entry = self.pipeline(*pipeline_key)
        else:
            self._pipelines.move_to_end(pipeline_key)
        pipeline, layout, param_layout = entry
        raw = param_layout.pack(params)
        slot = self._slot_of.get(raw)
        offset = (self._params_slot(raw) if slot is None else slot) * PARAM_BYTES
        ports = (*reads, *writes)
        key = [id(layout)]  # a loop, not a comprehension: one call fewer per dispatch
        for b, o, n in ports:
            key.append((id(b.handle), o, n))
        key = tuple(key)
        entry = self._bind_groups.get(key)
        if entry is None:
            bound = [(b.handle, o, max(n, 4)) for b, o, n in ports]
            group = self.driver.bind_group(layout, [*bound, (self._ring, 0, PARAM_BYTES)])
            # the layout and handles live as long as the entry, so no new object reuses an id in its key
            self._bind_groups[key] = (group, layout, bound)
            while len(self._bind_groups) > MAX_BIND_GROUPS:
                self._bind_groups.popitem(last=False)
        else:
            group = entry[0]
            self._bind_groups.move_to_end(key)
        groups = -(-threads // WORKGROUP)
        if groups <= self.max_groups:
            self.driver.dispatch(pipeline, group, offset, groups, 1)
        else:
            self.driver.dispatch(pipeline, group, offset, self.max_groups, -(-groups // self.max_groups))
        self.dispatch_count += 1
        self._pending += 1
        if self._pending >= MAX_PENDING:
            self.flush()

    def _forget_buffer(self, handle):
        """The pool let ``handle`` go: drop the bind groups that would keep it alive, and what its
        contents were checked to hold (a new buffer may take its id)."""
        self.checked.pop(id(handle), None)
        stale = [key for key in self._bind_groups if any(port[0] == id(handle) for port in key[1:])]
        for key in stale:
            del self._bind_groups[key]

    def _params_slot(self, raw: bytes) -> int:
        slot = self._slot_of.get(raw)
        if slot is None:
            if self._slot == RING_SLOTS:
                self.flush()
            slot = self._slot
            self._slot += 1
            self._staging[slot * PARAM_BYTES : slot * PARAM_BYTES + len(raw)] = raw
            self._slot_of[raw] = slot
        return slot

    @_guarded
    def flush(self):
        """Write the parameters used so far, then submit everything recorded."""
        self._write_params()
        self.driver.submit()
        self._submitted()

    def _write_params(self):
        if self._slot:
            self.driver.write_buffer(self._ring, 0, memoryview(self._staging)[: self._slot * PARAM_BYTES])

    def _submitted(self):
        self._pending = 0
        self._slot = 0
        self._slot_of.clear()
        self.pool.recycled_since_submit.clear()

    @_guarded
    def upload(self, buf, data: bytes):
        self._before_write(buf)
        if id(buf.handle) in self.pool.recycled_since_submit:
            self.flush()  # a recorded dispatch may still read the old contents
        self.driver.write_buffer(buf.handle, 0, data)

    @_guarded
    def read(self, buf, offset: int, size: int) -> bytes:
        if buf.__class__ is not GPUBuffer:
            buf.realize()
        # the read's copy joins the dispatches recorded so far: the driver submits them together
        self._write_params()
        data = self.driver.read_buffer(buf.handle, offset, size)
        self._submitted()  # not on a failure: one before the submit leaves those parameters needed
        return data

    @_guarded
    async def read_async(self, buf, offset: int, size: int) -> bytes:
        with self.lock:  # as read: the copy is submitted with the dispatches recorded so far, at once
            if buf.__class__ is not GPUBuffer:
                buf.realize()
            self._write_params()
            reading = self.driver.read_buffer_async(buf.handle, offset, size)
            self._submitted()  # before the await: other code may record new dispatches meanwhile
        return bytes(await reading)

    def drop_dead_unrealized(self):
        self.unrealized = {k: r for k, r in self.unrealized.items() if r() is not None}
        self.unrealized_bound = max(1024, 2 * len(self.unrealized))

    def _realize_all(self):
        """Queued work includes results fusion has not computed yet: torch.cuda.synchronize() waits for
        every op issued, so timing code sees the work it asked for. The longest chains first: one
        that inlines another computes and stores that one too (fusion's extra outputs)."""
        live = [p for p in (r() for r in list(self.unrealized.values())) if p is not None]
        for p in sorted(live, key=lambda p: -p.node.count if p.node is not None else 0):
            try:
                p.realize()
            except Exception as e:
                if not _reads_a_lost_buffer(e):
                    raise
                # it reads memory of a device lost since: its tensor is gone (refused wherever it is
                # used), and a synchronize of the new device's work must not fail for it, now or later
                self.unrealized.pop(id(p), None)
        self.drop_dead_unrealized()

    @_guarded
    def synchronize(self):
        self._realize_all()
        self.flush()
        self.driver.wait()

    @_guarded
    async def synchronize_async(self):
        with self.lock:
            self._realize_all()
            self.flush()
        await self.driver.wait_async()
