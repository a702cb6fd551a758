"""The cpu device without NumPy (the browser build): tensors can be created, held, copied to and
from the GPU, converted and printed; other ops on them run on the webgpu device when there is one
(inputs up, result back), else they raise an error that says to use NumPy or the webgpu device.
"""
from __future__ import annotations

import math
import struct

from ..device import CPU
from ..dtypes import check_storable
from .storage import Storage

_NEEDS_NUMPY = ("computing on the cpu device needs NumPy, which is not installed here (as in the browser "
                "build); create the tensors with device='webgpu' or move them there with .to('webgpu')")


def _pack(values, dtype) -> bytearray:
    if dtype.kind == "b":
        values = [bool(v) for v in values]
    elif dtype.kind == "i":
        values = [int(v) for v in values]
    return bytearray(struct.pack(f"<{len(values)}{dtype.struct_fmt}", *values))


def _unpack(raw, dtype) -> list:
    return list(struct.unpack(f"<{len(raw) // dtype.itemsize}{dtype.struct_fmt}", raw))


def _positions(t):
    """Storage element positions of ``t``'s elements in row-major order."""
    pos = [t._offset]
    for n, s in zip(t.shape, t._strides):
        pos = [p + i * s for p in pos for i in range(n)]
    return pos if t.numel() else []


class PureBackend:
    name = "pure"

    def _storage(self, raw: bytearray) -> Storage:
        return Storage(raw, CPU, len(raw))

    def from_list(self, flat, dtype):
        check_storable(dtype)
        return self._storage(_pack(flat, dtype))

    def from_bytes(self, raw, dtype):
        check_storable(dtype)
        return self._storage(bytearray(raw))

    def _values(self, t) -> list:
        all_values = _unpack(t._storage.data, t.dtype)
        return [all_values[p] for p in _positions(t)]

    def to_bytes(self, t) -> bytes:
        return bytes(_pack(self._values(t), t.dtype))

    def to_list(self, t):
        values = self._values(t)
        for n in reversed(t.shape[1:]):
            values = [values[i:i + n] for i in range(0, len(values), n)] if n else []
        return values if t.shape else values[0]

    def full(self, shape, value, dtype):
        return self._storage(_pack([value] * math.prod(shape), dtype))

    def arange(self, start, step, n, dtype):
        return self._storage(_pack([start + step * i for i in range(n)], dtype))

    def random(self, kind, n, dtype, seed, offset, a, b):
        from .philox import random_values
        return self._storage(_pack(random_values(kind, n, seed, offset, a, b), dtype))

    def write(self, dst, src):
        values = _unpack(dst._storage.data, dst.dtype)
        src_values = self._values(src.expand(dst.shape))
        for p, v in zip(_positions(dst), src_values):
            values[p] = v
        dst._storage.data[:] = _pack(values, dst.dtype)

    def run(self, op, inputs, attrs, out_meta):
        if op.name in ("to_copy", "clone"):  # conversions work without NumPy
            (shape, dtype), = out_meta
            values = self._values(inputs[0])
            if dtype.kind == "i" and inputs[0].dtype.kind == "f":
                values = [math.trunc(v) for v in values]
            return [self.from_list(values, dtype)]
        return self._on_gpu(op, inputs, attrs, out_meta)

    def _on_gpu(self, op, inputs, attrs, out_meta):
        """Compute on the GPU and bring the result back: small cpu-side work such as an optimizer's
        step counter keeps working in a browser without NumPy."""
        from .. import webgpu
        from ..tensor import Tensor
        if not webgpu.is_available() or any(t.dtype.name == "float64" for t in inputs):
            raise RuntimeError(_NEEDS_NUMPY)
        gpu = webgpu._backend()
        moved = [Tensor._make(gpu.from_bytes(self.to_bytes(t), t.dtype), t.shape, t.dtype) for t in inputs]
        out = gpu.run(op, moved, attrs, out_meta)
        return [self.from_bytes(gpu.to_bytes(Tensor._make(st, shape, dtype)), dtype)
                for st, (shape, dtype) in zip(out, out_meta)]

    def synchronize(self):
        pass
