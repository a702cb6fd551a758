"""The cpu device without NumPy (the browser build): tensors can be created, held, copied to and
from the GPU, converted and printed; other ops on them run on the webgpu device when there is one
(inputs up, result back), else they raise an error that says to use NumPy or the webgpu device.
"""
from __future__ import annotations

import math
import operator
import struct

from ..device import CPU
from .. import float8
from ..dtypes import (FLOAT8, SHELL, bfloat16, no_complex, pack_bfloat16, round_float16, round_float32,
                      unpack_bfloat16)
from .base import Backend, nest
from .storage import Storage, dense

_NEEDS_NUMPY = ("computing on the cpu device needs NumPy, which is not installed here (as in the browser "
                "build); create the tensors with device='webgpu' or move them there with .to('webgpu')")


def _pack(values, dtype) -> bytearray:
    if dtype.kind == "c":  # every storage of this backend is made through here
        raise no_complex(dtype, "the cpu device", "Python without NumPy (as in the browser build)")
    if dtype is bfloat16:  # no struct format: its own rounding, through float32 as torch's
        return bytearray(pack_bfloat16(values))
    if dtype in FLOAT8:  # each through float32, then torch's float8 rounding (float8.py), one value at a time
        n = len(values)
        words = struct.unpack(f"<{n}I", struct.pack(f"<{n}f", *map(round_float32, values)))
        return bytearray(float8.encode(dtype.name, w, _where) for w in words)
    if dtype.kind == "b":
        values = [bool(v) for v in values]
    elif dtype.kind == "i":
        values = [int(v) for v in values]
    elif dtype.itemsize == 2:  # through float32, as torch makes a Half (struct would round once, or refuse)
        values = [round_float16(v) for v in values]
    return bytearray(struct.pack(f"<{len(values)}{dtype.struct_fmt}", *values))


def _where(cond, a, b):
    return a if cond else b


def _unpack(raw, dtype) -> list:
    if dtype is bfloat16:
        return unpack_bfloat16(raw)
    if dtype in FLOAT8:
        table = float8.decode_table(dtype.name)
        return list(struct.unpack(f"<{len(raw)}f", struct.pack(f"<{len(raw)}I", *(table[c] for c in raw))))
    return list(struct.unpack(f"<{len(raw) // dtype.itemsize}{dtype.struct_fmt}", raw))


def _positions(x):
    """Storage element positions of layout ``x``'s elements in row-major order."""
    pos = [x.offset]
    for n, s in zip(x.shape, x.strides):
        pos = [p + i * s for p in pos for i in range(n)]
    return pos


# Arithmetic on one floating-point value each that Python computes exactly as the GPU (and torch):
# the float64 result of +, -, *, / on float32 or float16 operands rounds once more to the same value
# (53 bits >= 2 * 24 + 2). Such an op runs here rather than up to the GPU and back: the read-back
# would wait for all the GPU work queued so far (an optimizer's step counter did, once per parameter).
_SCALAR_MATH = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv}
_GPU_FLOATS = ("float32", "float16")  # float64 stays refused without NumPy, as for any other size


class PureBackend(Backend):
    name = "pure"

    def _storage(self, raw: bytearray) -> Storage:
        return Storage(raw, CPU, len(raw))

    def from_list(self, flat, dtype):
        return self._storage(_pack(flat, dtype))

    def from_bytes(self, raw, dtype):
        return self._storage(bytearray(raw))

    def _values(self, x) -> list:
        all_values = _unpack(x.storage.data, x.dtype)
        return [all_values[p] for p in _positions(x)]

    def to_bytes(self, x) -> bytes:
        return bytes(_pack(self._values(x), x.dtype))

    def to_list(self, x):
        return nest(self._values(x), x.shape)

    def full(self, shape, value, dtype):
        if dtype.kind == "f" and type(value) is int:  # a number rounds as torch's int64 to float: once
            value = round_float32(value) if dtype.itemsize == 4 else float(value)
        return self._storage(_pack([value] * math.prod(shape), dtype))

    def arange(self, start, step, n, dtype):
        return self._storage(_pack([start + step * i for i in range(n)], dtype))

    def random(self, kind, n, dtype, seed, offset, a, b):
        from .philox import random_values
        return self._storage(_pack(random_values(kind, n, seed, offset, a, b), dtype))

    def write(self, dst, src):
        values = _unpack(dst.storage.data, dst.dtype)
        src_values = self._values(src.expand(dst.shape))  # read in full before any write (overlap)
        for p, v in zip(_positions(dst), src_values):
            values[p] = v
        dst.storage.data[:] = _pack(values, dst.dtype)

    def run(self, op, inputs, attrs, out_meta):
        if op.name in ("to_copy", "clone"):  # conversions work without NumPy
            (shape, dtype), = out_meta
            values = self._values(inputs[0])
            if dtype.kind == "i" and inputs[0].dtype.kind == "f":
                values = [math.trunc(v) for v in values]
            elif dtype.itemsize == 4 and dtype.kind == "f" and inputs[0].dtype.kind == "i":
                values = [round_float32(v) for v in values]  # once, as torch's int64 to float
            return [self.from_list(values, dtype)]
        scalar = _SCALAR_MATH.get(op.name)
        if scalar is not None and not attrs and all(x.dtype.name in _GPU_FLOATS and math.prod(x.shape) == 1
                                                    for x in inputs):
            (shape, dtype), = out_meta
            try:
                return [self.full(shape, scalar(*(self._values(x)[0] for x in inputs)), dtype)]
            except (ArithmeticError, struct.error):  # x / 0, or beyond the dtype's range: as the GPU does
                pass
        if op.extra.get("cpu_fallback"):  # the GPU computes this op on the host: with NumPy only
            raise RuntimeError(f'"{op.name}" is computed with NumPy on every device (it has no GPU kernel), '
                               "and NumPy is not installed here (as in the browser build)")
        return self._on_gpu(op, inputs, attrs, out_meta)

    def _on_gpu(self, op, inputs, attrs, out_meta):
        """Compute on the GPU and bring the result back: small cpu-side work such as an optimizer's
        step counter keeps working in a browser without NumPy."""
        from . import available
        gpu = available("webgpu")
        if gpu is None or any(x.dtype.name in ("float64", "bfloat16") or x.dtype in SHELL for x in inputs):
            raise RuntimeError(_NEEDS_NUMPY)
        moved = [dense(gpu.from_bytes(self.to_bytes(x), x.dtype), x.shape, x.dtype) for x in inputs]
        out = gpu.run(op, moved, attrs, out_meta)
        return [self.from_bytes(gpu.to_bytes(dense(st, shape, dtype)), dtype)
                for st, (shape, dtype) in zip(out, out_meta)]
