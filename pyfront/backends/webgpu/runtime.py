"""The scheduler: pipelines and bind groups cached, parameters in a uniform ring, one open pass.

Per-op costs dominate small tensors (DESIGN.md: a dispatch into an open pass costs ~3 µs, a new
bind group plus pass ~55 µs, a submit ~100 µs), so dispatches accumulate in one compute pass and
are submitted only at a sync point: a read-back, ``synchronize()``, or a full parameter ring.
"""

from __future__ import annotations

import functools
import os
import re
import string
import struct
from collections import OrderedDict

from .protocol import COPY_DST, UNIFORM, DeviceLost, is_lost, lost_error
from .memory import BufferPool

PARAM_WORDS = 64
PARAM_BYTES = PARAM_WORDS * 4  # also the dynamic-offset alignment WebGPU requires (256)
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
        src = f.read()
    return re.sub(r"^//!include (\S+)$", lambda m: shader_source(m.group(1)), src, flags=re.M)


def specialise(name: str, **subs) -> str:
    return string.Template(shader_source(name)).substitute(**subs)


def f32_bits(x: float) -> int:
    """The bits of ``x`` rounded to float32; beyond float32's range it is +-inf, as a cast in PyTorch."""
    try:
        return struct.unpack("<I", struct.pack("<f", x))[0]
    except OverflowError:
        return 0x7F800000 if x > 0 else 0xFF800000


def f16_bits(x: float) -> int:
    """The bits of ``x`` rounded to float16 (+-inf beyond its range)."""
    try:
        return struct.unpack("<H", struct.pack("<e", x))[0]
    except OverflowError:
        return 0x7C00 if x > 0 else 0xFC00


def _guarded(method):
    """Driver failures caused by a lost device become one clear error, and the backend is dropped.

    Each call holds the runtime's lock: threads share one open command encoder, parameter ring and
    buffer pool, so one thread's dispatch must not interleave with another's (a reentrant lock,
    since a buffer freed mid-call hands itself back to the pool under the same lock)."""

    def wrapper(self, *args, **kwargs):
        try:
            with self.lock:
                return method(self, *args, **kwargs)
        except DeviceLost:
            raise
        except Exception as e:
            if self.driver.lost_reason or is_lost(e):
                from .. import forget

                forget("webgpu")
                raise lost_error(
                    self.driver.lost_reason or str(e).strip().splitlines()[-1].strip()
                ) from e
            raise

    wrapper.__name__, wrapper.__doc__ = method.__name__, method.__doc__
    return wrapper


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

    def pipeline(self, source: str, n_read: int, n_write: int):
        key = (source, n_read, n_write)
        entry = self._pipelines.get(key)
        if entry is None:
            entry = self._pipelines[key] = self.driver.compile(source, n_read, n_write)
            while len(self._pipelines) > MAX_PIPELINES:
                # a dispatch already recorded keeps its pipeline alive in the driver
                self._pipelines.popitem(last=False)
        else:
            self._pipelines.move_to_end(key)
        return entry

    @_guarded
    def launch(self, source, reads, writes, params, threads: int, group_size: int = 256):
        """Dispatch ``source`` over ``threads`` invocations (folded into a 2D grid when large).

        ``reads``/``writes``: (GPUBuffer, byte offset, byte size) bound in that order; ``params``:
        up to 64 u32 words (use ``f32_bits`` for floats).
        """
        if threads <= 0:
            return
        pipeline, layout = self.pipeline(source, len(reads), len(writes))
        offset = self._params_slot(params) * PARAM_BYTES
        ports = (*reads, *writes)
        key = (id(layout), *[(id(b.handle), o, n) for b, o, n in ports])
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
        groups = -(-threads // group_size)
        if groups <= self.max_groups:
            self.driver.dispatch(pipeline, group, offset, groups, 1)
        else:
            self.driver.dispatch(pipeline, group, offset, self.max_groups, -(-groups // self.max_groups))
        self.dispatch_count += 1
        self._pending += 1
        if self._pending >= MAX_PENDING:
            self.flush()

    def _forget_buffer(self, handle):
        """The pool let ``handle`` go: drop the bind groups that would keep it alive."""
        stale = [key for key in self._bind_groups if any(port[0] == id(handle) for port in key[1:])]
        for key in stale:
            del self._bind_groups[key]

    def _params_slot(self, params) -> int:
        try:
            raw = struct.pack(f"<{len(params)}I", *params)
        except struct.error:  # negative words (i32 parameters) as their two's-complement bits
            raw = struct.pack(f"<{len(params)}I", *(p & 0xFFFFFFFF for p in params))
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
        if self._slot:
            self.driver.write_buffer(self._ring, 0, memoryview(self._staging)[: self._slot * PARAM_BYTES])
        self.driver.submit()
        self._pending = 0
        self._slot = 0
        self._slot_of.clear()
        self.pool.recycled_since_submit.clear()

    @_guarded
    def upload(self, buf, data: bytes):
        if id(buf.handle) in self.pool.recycled_since_submit:
            self.flush()  # a recorded dispatch may still read the old contents
        self.driver.write_buffer(buf.handle, 0, data)

    @_guarded
    def read(self, buf, offset: int, size: int) -> bytes:
        self.flush()
        return bytes(self.driver.read_buffer(buf.handle, offset, size))

    @_guarded
    async def read_async(self, buf, offset: int, size: int) -> bytes:
        self.flush()
        return bytes(await self.driver.read_buffer_async(buf.handle, offset, size))

    @_guarded
    def synchronize(self):
        self.flush()
        self.driver.wait()

    @_guarded
    async def synchronize_async(self):
        self.flush()
        await self.driver.wait_async()
