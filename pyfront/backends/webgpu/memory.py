"""GPU memory: buffers pooled by size class, returned to the pool when their tensor storage dies."""

from __future__ import annotations

import collections
import functools
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
            pool.give_back(self.handle, self.size)


class BufferPool:
    """Free buffers by size class; ``in_use`` and ``created`` are the counts the leak test watches.

    The free bytes are bounded by the most the program ever held in use at once (at least
    ``MIN_POOLED_BYTES``): a training loop reuses its buffers step after step, while the size
    classes a program stopped using are let go, least recently returned first.
    """

    def __init__(self, driver, max_binding: int):
        self.driver = driver
        self.max_binding = max_binding
        self.free: dict = {}  # size class -> free handles
        # id -> (handle, size) of the free ones, oldest first: a plain dict, since give_back runs from
        # __del__, at any allocation, and may re-enter it (an OrderedDict raises on that)
        self._returned: dict = {}
        self.in_use = 0
        self.created = 0
        self.pooled_bytes = 0
        self.in_use_bytes = self.peak_bytes = 0
        self.recycled_since_submit = set()
        # every live handle, so that a garbage cycle holding a GPUBuffer (an exception's frames) can
        # never finalise its handle before the GPUBuffer hands it back to the pool
        self.owned: dict = {}
        self.on_release = None  # called with each handle the pool lets go (the runtime drops its bind groups)
        # the pool is shared by every thread (and a buffer may be freed in any of them); the runtime
        # holds the same lock around each of its calls
        self.lock = threading.RLock()
        # buffers handed back while another thread held the lock, for the next holder to take in
        self._returns: collections.deque = collections.deque()

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
            handle = free.pop()
            del self._returned[id(handle)]
            self.pooled_bytes -= size
        else:
            handle = self._guarded_create(size)
            self.owned[id(handle)] = handle
            self.created += 1
        self.in_use += 1
        self.in_use_bytes += size
        if self.in_use_bytes > self.peak_bytes:
            self.peak_bytes = self.in_use_bytes
        return GPUBuffer(handle, size, self)

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
                raise RuntimeError(
                    f"webgpu out of memory: tried to allocate {size / 2**20:.1f} MiB"
                ) from first

    def give_back(self, handle, size):
        """Called from ``__del__``, in any thread at any allocation: never blocks. wgpu resolves a
        read-back in its own thread while the reader holds the lock and waits on it, so a garbage
        collection in that thread must not wait for the lock: its buffers queue for the next holder."""
        if self.lock.acquire(False):  # positional: a keyword costs a parse per buffer let go
            try:
                if self._returns:
                    self._drain()
                self._give_back(handle, size)
            finally:
                self.lock.release()
        else:
            self._returns.append((handle, size))

    def _drain(self):
        while self._returns:
            try:
                handle, size = self._returns.popleft()
            except IndexError:  # another thread took the last one
                return
            self._give_back(handle, size)

    def _give_back(self, handle, size):
        self.in_use -= 1
        self.in_use_bytes -= size
        free = self.free.get(size)
        if free is None:
            self.free[size] = [handle]
        else:
            free.append(handle)
        self._returned[id(handle)] = (handle, size)
        self.pooled_bytes += size
        # a pending dispatch may still read this buffer: an upload into it must wait for a submit
        self.recycled_since_submit.add(id(handle))
        # max_pooled_bytes, spelled out: this runs for every buffer let go
        while self.pooled_bytes > max(MIN_POOLED_BYTES, self.peak_bytes) and self._returned:
            entry = self._returned.pop(next(iter(self._returned)), None)
            if entry is None:  # a nested give_back (from a __del__) let it go already
                continue
            old, old_size = entry
            handles = self.free[old_size]
            del handles[next(i for i, h in enumerate(handles) if h is old)]
            self._release(old, old_size, destroy=False)

    def _release(self, handle, size, destroy: bool):
        """Let ``handle`` go. Dropping the last reference frees it once the GPU is done with it;
        ``destroy`` frees it now, so only for a buffer no recorded dispatch may still use."""
        self.pooled_bytes -= size
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
