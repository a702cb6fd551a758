"""The CPU backend: NumPy arrays, and the reference every other backend is tested against."""

from __future__ import annotations

import math
import warnings

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..device import CPU
from ..dtypes import ALL, from_numpy_name
from .storage import Storage


_NP_DTYPES = {d.name: np.dtype(d.np_name) for d in ALL}

# inf/nan results are values in PyTorch, not warnings. Silencing NumPy's floating-point warnings
# for pyfront's own op rules costs nothing per op (np.errstate around each op cost ~1 µs), and
# leaves the user's own NumPy code alone.
warnings.filterwarnings("ignore", message=r".*encountered in", category=RuntimeWarning, module=r"pyfront\.")


def _storage(flat) -> Storage:
    return Storage(flat, CPU, flat.nbytes)


class NumpyBackend:
    name = "numpy"

    # -- upload / download --------------------------------------------------------------------
    def from_array(self, arr, dtype):
        """A contiguous copy of ``arr`` (any array-like) as a storage of ``dtype``."""
        flat = np.array(arr, dtype=dtype.np_name, copy=True, order="C").reshape(-1)
        return _storage(flat)

    def from_list(self, flat, dtype):
        with np.errstate(over="ignore"):  # a float beyond float16/float32 is +-inf, with no warning
            return _storage(np.array(flat, dtype=dtype.np_name).reshape(-1))

    def wrap(self, arr):
        """Adopt a contiguous array without copying (from_numpy): (storage, dtype)."""
        dtype = from_numpy_name(arr.dtype.name)
        return _storage(arr.reshape(-1)), dtype

    def array(self, t):
        """A NumPy view of tensor ``t`` (no copy)."""
        data = t._storage.data
        shape = t._shape
        if t._contiguous and t._offset == 0 and len(data) == t.numel():
            return data.reshape(shape)  # the common case: a whole, contiguous storage
        size = data.itemsize
        return as_strided(data[t._offset :], shape, [s * size for s in t._strides], writeable=True)

    to_array = array

    def to_list(self, t):
        return self.array(t).tolist()

    def to_bytes(self, t) -> bytes:
        return np.ascontiguousarray(self.array(t)).tobytes()

    def from_bytes(self, buf, dtype):
        return _storage(np.frombuffer(bytearray(buf), dtype=dtype.np_name))

    # -- compute ------------------------------------------------------------------------------
    def run(self, op, inputs, attrs, out_meta):
        # float16 computes in float32 and is rounded once into the output, as torch's CPU kernels do
        # (NumPy's float16 cumsum and matmul would round every partial result)
        arrays = [a.astype(np.float32) if a.dtype == np.float16 else a for a in map(self.array, inputs)]
        result = op.numpy(np, *arrays, **attrs)
        if not isinstance(result, tuple):
            result = (result,)
        out = []
        for r, (shape, dtype) in zip(result, out_meta):
            if not isinstance(r, np.ndarray) or r.dtype != _NP_DTYPES[dtype.name]:
                with np.errstate(over="ignore"):  # a float32 (opmath) result beyond float16 is inf
                    r = np.asarray(r, dtype=dtype.np_name)
            if r.shape != tuple(shape):
                raise AssertionError(f"{op.name}: NumPy gave shape {r.shape}, rule says {shape}")
            out.append(
                _storage(r.reshape(-1) if r.flags.c_contiguous else np.ascontiguousarray(r).reshape(-1))
            )
        return out

    def write(self, dst, src):
        """Copy ``src`` (same shape, broadcastable) into the memory of view ``dst``."""
        self.array(dst)[...] = self.array(src).astype(dst.dtype.np_name, copy=False)

    def full(self, shape, value, dtype):
        with np.errstate(over="ignore"):  # a float beyond float16/float32 is +-inf, with no warning
            return _storage(np.full(math.prod(shape), value, dtype=_NP_DTYPES[dtype.name]))

    def arange(self, start, step, n, dtype):
        return _storage(
            (start + step * np.arange(n, dtype=np.float64)).astype(dtype.np_name)
            if dtype.is_floating_point
            # int64, then wrapped to the width as torch's C cast (int8 from 0 by 500: 0, -12)
            else np.arange(start, start + step * n, step, dtype=np.int64)[:n].astype(dtype.np_name)
        )

    def random(self, kind, n, dtype, seed, offset, a, b):
        """``n`` values from the Philox stream of ``seed`` at word ``offset``.

        uniform: [a, b); normal: mean a, std b (Box-Muller, two words a value); randint: [a, b).
        """
        if kind == "normal":
            w = philox_words(2 * n, seed, offset).reshape(-1, 2) if n else np.zeros((0, 2), np.uint32)
            u1 = ((w[:, 0] >> 8).astype(np.float64) + 1.0) / 16777216.0  # (0, 1]
            u2 = (w[:, 1] >> 8).astype(np.float64) / 16777216.0
            vals = a + b * np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
        elif kind == "uniform":
            u = (philox_words(n, seed, offset) >> 8).astype(np.float64) / 16777216.0
            vals = a + (b - a) * u
        else:
            vals = a + philox_words(n, seed, offset).astype(np.int64) % (b - a)
        return _storage(vals.astype(dtype.np_name))

    def synchronize(self):
        pass


_M0, _M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
_W0, _W1 = np.uint32(0x9E3779B9), np.uint32(0xBB67AE85)


def philox_words(n, seed, offset):
    """Philox4x32-10 (Salmon et al. 2011): counter = word index // 4, key = the 64-bit seed."""
    first = offset // 4
    blocks = (offset + n + 3) // 4 - first
    ctr = np.zeros((4, blocks), dtype=np.uint32)
    idx = np.arange(first, first + blocks, dtype=np.uint64)
    ctr[0] = (idx & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    ctr[1] = (idx >> np.uint64(32)).astype(np.uint32)
    k0, k1 = np.uint32(seed & 0xFFFFFFFF), np.uint32((seed >> 32) & 0xFFFFFFFF)
    mask = np.uint64(0xFFFFFFFF)
    with np.errstate(over="ignore"):
        for _ in range(10):
            p0 = _M0 * ctr[0].astype(np.uint64)
            p1 = _M1 * ctr[2].astype(np.uint64)
            ctr = np.stack(
                [
                    (p1 >> np.uint64(32)).astype(np.uint32) ^ ctr[1] ^ k0,
                    (p1 & mask).astype(np.uint32),
                    (p0 >> np.uint64(32)).astype(np.uint32) ^ ctr[3] ^ k1,
                    (p0 & mask).astype(np.uint32),
                ]
            )
            k0, k1 = k0 + _W0, k1 + _W1
    words = ctr.T.reshape(-1)
    start = offset - first * 4
    return words[start : start + n]
