"""GPU memory: buffers pooled by size class, returned to the pool when their tensor storage dies."""

from __future__ import annotations

import collections
import functools
import heapq
import threading

from .protocol import COPY_DST, COPY_SRC, STORAGE

MIN_POOLED_BYTES = 64 << 20


@functools.lru_cache(maxsize=1024)  # asked at every allocation, of a program's few sizes
def size_class(nbytes: int) -> int:
    """Round up to a power of two up to 2 KiB, then to eighths of one: at most 12.5% waste."""
    n = max(256, (nbytes + 255) & ~255)
    top = 1 << (n - 1).bit_length()
    step = top // 8
    return top if step < 256 else -(-n // step) * step


class GPUBuffer:
    """One pooled buffer; going out of scope hands it back to the pool."""

    __slots__ = ("handle", "size", "pool", "__weakref__")

    def __init__(self, handle, size, pool):
        self.handle, self.size, self.pool = handle, size, pool

    def __del__(self):
        pool = self.pool
        if pool is not None:
            pool._returns.append((self.handle, self.size))  # give_back, without its call


_new = object.__new__
heappop, heappush = heapq.heappop, heapq.heappush


class BufferPool:
    """Free buffers by size class; ``in_use`` and ``created`` are the counts the leak test watches.

    The free bytes are bounded by the most the program ever held in use at once (at least
    ``MIN_POOLED_BYTES``): a training loop reuses its buffers step after step, while the size
    classes a program stopped using are let go, least recently returned first.

    A buffer let go is only queued (``give_back``: one append, in any thread, never blocking: it
    runs from ``__del__``, at any allocation, and wgpu resolves a read-back in its own thread while
    the reader holds the lock). The next holder of the lock that takes a buffer, trims, or reads a
    count takes the queue in: an elementwise op's result that dies unrealized costs no lock.
    """

    def __init__(self, driver, max_binding: int):
        self.driver = driver
        self.max_binding = max_binding
        # size class -> its free handles, as a heap of (id, handle): a take gets the free buffer of the lowest
        # id, whatever order the buffers came back in, so a training loop whose steps free the same buffers
        # at the same points gets the same buffer at each point, step after step, and its bind groups
        # (keyed by the buffers bound) are found in the cache. (A stack handed them out in the order of
        # the last step's frees, a new order each step: most dispatches made a new bind group.)
        self.free: dict = {}
        # id -> (handle, size) of the free ones, oldest first: a plain dict, since a __del__ in the
        # middle of an update may re-enter the pool (an OrderedDict raises on that)
        self._returned: dict = {}
        self._in_use = 0
        self.created = 0
        self._pooled_bytes = 0
        self._in_use_bytes = self.peak_bytes = 0
        self.recycled_since_submit = set()
        # every live handle, so that a garbage cycle holding a GPUBuffer (an exception's frames) can
        # never finalise its handle before the GPUBuffer hands it back to the pool
        self.owned: dict = {}
        self.on_release = None  # called with each handle the pool lets go (the runtime drops its bind groups)
        # the pool is shared by every thread (and a buffer may be freed in any of them); the runtime
        # holds the same lock around each of its calls
        self.lock = threading.RLock()
        self._returns: collections.deque = collections.deque()  # (handle, size) let go, not taken in yet

    def _counted(self, value_of):
        with self.lock:
            self._drain()
            return value_of(self)

    in_use = property(lambda self: self._counted(lambda p: p._in_use))
    in_use_bytes = property(lambda self: self._counted(lambda p: p._in_use_bytes))
    pooled_bytes = property(lambda self: self._counted(lambda p: p._pooled_bytes))

    @property
    def max_pooled_bytes(self) -> int:
        return max(MIN_POOLED_BYTES, self.peak_bytes)

    def take(self, nbytes: int) -> GPUBuffer:
        with self.lock:
            return self.take_held(nbytes)

    def take_held(self, nbytes: int) -> GPUBuffer:
        """``take`` where the caller holds ``lock`` already (each acquire of it costs as much as the
        rest of a take)."""
        size = size_class(nbytes)
        if nbytes > self.max_binding:
            raise RuntimeError(
                f"webgpu: a tensor of {nbytes / 2**20:.1f} MiB exceeds this device's storage "
                f"binding limit of {self.max_binding / 2**20:.1f} MiB; split it, or keep it on cpu"
            )
        if self._returns:
            self._drain()
        free = self.free.get(size)
        if free:
            handle = heappop(free)[1]
            del self._returned[id(handle)]
            self._pooled_bytes -= size
        else:
            handle = self._guarded_create(size)
            self.owned[id(handle)] = handle
            self.created += 1
        self._in_use += 1
        self._in_use_bytes += size
        if self._in_use_bytes > self.peak_bytes:
            self.peak_bytes = self._in_use_bytes
        # GPUBuffer(handle, size, self) without the call to __init__ (one per elementwise op)
        buf = _new(GPUBuffer)
        buf.handle = handle
        buf.size = size
        buf.pool = self
        return buf

    def _guarded_create(self, size):
        from .protocol import is_lost, lost_error

        try:
            return self._create(size)
        except Exception as e:
            if is_lost(e):
                from .. import forget

                forget("webgpu")
                raise lost_error(str(e).strip().splitlines()[-1].strip()) from e
            raise

    def _create(self, size):
        try:
            return self.driver.create_buffer(size, STORAGE | COPY_SRC | COPY_DST)
        except Exception as first:  # out of memory: drop the pool and try once more
            from .protocol import is_lost

            if is_lost(first):
                raise
            self.trim()
            try:
                return self.driver.create_buffer(size, STORAGE | COPY_SRC | COPY_DST)
            except Exception:
                from ...errors import OutOfMemoryError

                raise OutOfMemoryError(
                    f"webgpu out of memory: tried to allocate {size / 2**20:.1f} MiB"
                ) from first

    def give_back(self, handle, size):
        """Queue ``handle`` as free (what a GPUBuffer's ``__del__`` does): any thread, never blocks."""
        self._returns.append((handle, size))

    def _drain(self):
        """Take in the buffers let go (the caller holds ``lock``)."""
        returns, free_lists, returned = self._returns, self.free, self._returned
        recycled = self.recycled_since_submit
        while returns:
            try:
                handle, size = returns.popleft()
            except IndexError:  # a nested drain (from a __del__ below) took the last one
                return
            self._in_use -= 1
            self._in_use_bytes -= size
            key = id(handle)
            free = free_lists.get(size)
            if free is None:
                free_lists[size] = [(key, handle)]
            else:
                heappush(free, (key, handle))
            returned[key] = (handle, size)
            self._pooled_bytes += size
            # a pending dispatch may still read this buffer: an upload into it must wait for a submit
            recycled.add(key)
            # max_pooled_bytes, spelled out without calls: this runs for every buffer let go
            while self._pooled_bytes > MIN_POOLED_BYTES and self._pooled_bytes > self.peak_bytes and returned:
                entry = returned.pop(next(iter(returned)), None)
                if entry is None:  # a nested drain (from a __del__) let it go already
                    continue
                old, old_size = entry
                handles = free_lists[old_size]
                del handles[next(i for i, (_, h) in enumerate(handles) if h is old)]
                heapq.heapify(handles)
                self._release(old, old_size, destroy=False)

    def _release(self, handle, size, destroy: bool):
        """Let ``handle`` go. Dropping the last reference frees it once the GPU is done with it;
        ``destroy`` frees it now, so only for a buffer no recorded dispatch may still use."""
        self._pooled_bytes -= size
        del self.owned[id(handle)]
        self.recycled_since_submit.discard(id(handle))
        if destroy:
            self.driver.destroy_buffer(handle)
        if self.on_release is not None:
            self.on_release(handle)

    def trim(self):
        """Free every pooled buffer (before retrying an allocation that ran out of memory)."""
        with self.lock:
            self._drain()
            for handle, size in list(self._returned.values()):
                self._release(handle, size, destroy=id(handle) not in self.recycled_since_submit)
            self.free.clear()
            self._returned.clear()
