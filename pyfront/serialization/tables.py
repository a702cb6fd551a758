"""Names shared by the readers and writers: PyTorch's storage classes, dtype names and item sizes."""
from __future__ import annotations

import sys

from .. import dtypes as dt

# torch.<X>Storage -> the PyTorch dtype name of its elements (what torch.save writes for a tensor)
STORAGE_DTYPES = {
    "FloatStorage": "float32", "DoubleStorage": "float64", "HalfStorage": "float16",
    "BFloat16Storage": "bfloat16", "LongStorage": "int64", "IntStorage": "int32",
    "ShortStorage": "int16", "CharStorage": "int8", "ByteStorage": "uint8", "BoolStorage": "bool",
    "ComplexFloatStorage": "complex64", "ComplexDoubleStorage": "complex128",
}
DTYPE_STORAGES = {v: k for k, v in STORAGE_DTYPES.items()}

# the private attributes torch writes in a tensor's state, pyfront's too: nn.Buffer's mark (a whole lazy
# norm layer holds its materialized buffers so); pyfront's other private names are its own internals
TENSOR_MARKS = ("_is_buffer",)


def own_state(t) -> dict:
    """A tensor's attributes a user set and torch's marks (pyfront's own are private names, and dtype): what
    torch's pickle, deepcopy and copy carry as the tensor's state."""
    return {k: v for k, v in vars(t).items() if (k[:1] != "_" or k in TENSOR_MARKS) and k != "dtype"}

# Element types PyTorch has and pyfront does not: named in the error instead of "not allowed".
MISSING_DTYPES = ("complex32",)
MISSING_STORAGES = {"ComplexHalfStorage": "complex32"}

# Every dtype a file may hold that pyfront can load, each as itself.
ITEMSIZE = {d.name: d.itemsize for d in dt.STORED}
LOADED_AS = {d.name: d for d in dt.STORED}


def numel_overflows(shape) -> bool:
    """Whether torch refuses ``shape`` for its element count: multiplied in order as uint64, an
    overflow at any step (even before a zero), or a product past int64 (c10::safe_multiply_u64)."""
    numel = 1
    for n in shape:
        numel *= n
        if numel >= 2 ** 64:
            return True
    return numel >= 2 ** 63


def decode_elements(data: bytes, name: str, byteorder: str) -> bytes:
    """File bytes of ``name`` elements in ``byteorder`` -> native bytes of its pyfront dtype."""
    if byteorder != "little":
        data = byteswap(data, ITEMSIZE[name])
    return byteswap(data, ITEMSIZE[name]) if sys.byteorder != "little" else data


def byteswap(data: bytes, itemsize: int) -> bytes:
    """Reverse the bytes of every ``itemsize``-byte element (big-endian files on little-endian hosts)."""
    if itemsize == 1:
        return data
    out = bytearray(len(data))
    for i in range(itemsize):
        out[i::itemsize] = data[itemsize - 1 - i::itemsize]
    return bytes(out)
