"""GPU memory: buffers pooled by size class, returned to the pool when their tensor storage dies."""

from __future__ import annotations

import threading

from .driver import COPY_DST, COPY_SRC, STORAGE


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
    """Free buffers by size class; ``in_use`` and ``pooled`` are the counts the leak test watches."""

    def __init__(self, driver, max_binding: int):
        self.driver = driver
        self.max_binding = max_binding
        self.free: dict = {}
        self.in_use = 0
        self.created = 0
        self.pooled_bytes = 0
        self.recycled_since_submit = set()
        # every live handle, so that a garbage cycle holding a GPUBuffer (an exception's frames) can
        # never finalise its handle before the GPUBuffer hands it back to the pool
        self.owned: dict = {}
        # the pool is shared by every thread (and a buffer may be freed in any of them); the runtime
        # holds the same lock around each of its calls
        self.lock = threading.RLock()

    def take(self, nbytes: int) -> GPUBuffer:
        with self.lock:
            return self._take(nbytes)

    def _take(self, nbytes: int) -> GPUBuffer:
        size = size_class(nbytes)
        if nbytes > self.max_binding:
            raise RuntimeError(
                f"webgpu: a tensor of {nbytes / 2**20:.1f} MiB exceeds this device's storage "
                f"binding limit of {self.max_binding / 2**20:.1f} MiB; split it, or keep it on cpu"
            )
        free = self.free.get(size)
        if free:
            handle = free.pop()
            self.pooled_bytes -= size
        else:
            handle = self._guarded_create(size)
            self.owned[id(handle)] = handle
            self.created += 1
        self.in_use += 1
        return GPUBuffer(handle, size, self)

    def _guarded_create(self, size):
        from .driver import is_lost, lost_error

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
            from .driver import is_lost

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
        with self.lock:
            self.in_use -= 1
            self.free.setdefault(size, []).append(handle)
            self.pooled_bytes += size
            # a pending dispatch may still read this buffer: an upload into it must wait for a submit
            self.recycled_since_submit.add(id(handle))

    def trim(self):
        with self.lock:
            for handles in self.free.values():
                for h in handles:
                    self.driver.destroy_buffer(h)
                    del self.owned[id(h)]
            self.free.clear()
            self.pooled_bytes = 0
