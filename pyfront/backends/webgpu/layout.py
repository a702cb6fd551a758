"""How each dtype lives on the GPU, and conversions between host bytes and GPU bytes.

WGSL has 32-bit scalars (and f16 with ``shader-f16``): int64/int32/int16/int8 are stored as i32,
uint8 and bool as u32, float16 as f16, float32 as f32, complex64 as vec2<f32> (its real and imaginary parts,
the float32 pairs torch's view_as_real shows, so its bytes are the host's); float64, complex128 and bfloat16
are refused (WGSL has
neither; bfloat16 kept as f32 would need a rounding after every step of every kernel, fused chains and
matmul tiles included, to give torch's values: not a storage choice but a second set of kernels), and so
are torch's shell dtypes, uint16/32/64 and float8 (storage for files and interop, with a handful of cpu
kernels in torch itself).
int64 values outside the i32 range are refused on upload (PyTorch's default integer is int64:
indices and counts fit; documented in the README).
"""

from __future__ import annotations

import math
import struct

from ... import dtypes as dt
from .. import host_numpy

WGSL_TYPE = {
    "float32": "f32",
    "float16": "f16",
    "int64": "i32",
    "int32": "i32",
    "int16": "i32",
    "int8": "i32",
    "uint8": "u32",
    "bool": "u32",
    "complex64": "vec2<f32>",
}
# the dtypes whose lanes are their own width, holding the bits torch would hold (view(dtype) between them)
TRUE_BITS = ("float32", "int32", "float16", "complex64")
GPU_FMT = {"f32": "f", "f16": "e", "i32": "i", "u32": "I", "vec2<f32>": "f"}  # (a complex64 is two f32 lanes)
I32_MIN, I32_MAX = -(1 << 31), (1 << 31) - 1


# the dtypes WGSL has no type for: what it lacks, and the conversion that makes a tensor fit
_NO_WGSL = {"float64": ("WGSL has no 64-bit floats", ".float()"),
            "complex128": ("WGSL has no 64-bit floats", ".cfloat()"),
            "bfloat16": ("WGSL has no bfloat16", ".float()"),
            # torch's shell dtypes: storage with a handful of kernels, used in files and interop, not on GPUs
            **{d.name: ("pyfront's WGSL kernels have no uint16, uint32 or uint64", ".long()")
               for d in dt.WIDE_UNSIGNED},
            **{d.name: ("WGSL has no 8-bit floats", ".float()") for d in dt.FLOAT8}}


def wgsl_type(dtype) -> str:
    if dtype.name in _NO_WGSL:
        lacks, way = _NO_WGSL[dtype.name]
        raise TypeError(f"Cannot convert a {dtype.name} Tensor to webgpu: {lacks}. Convert it with {way} "
                        "first.")
    return WGSL_TYPE[dtype.name]


def truth(expr: str, ty: str) -> str:
    """WGSL bool: whether ``expr`` (of WGSL type ``ty``) is non-zero, as torch: a float through
    common.wgsl's nonzero_f32 (NaN and subnormals true, +-0 false), a complex number either part, an integer
    against 0."""
    if ty == "vec2<f32>":
        return f"nonzero_c64({expr})"
    return f"nonzero_f32(f32({expr}))" if ty in ("f32", "f16") else f"({expr} != {ty}(0))"


# Narrow integers live in 32-bit lanes: a value written to one is wrapped to the dtype's width, as
# the dtype's own arithmetic would (two's complement), so every later op reads an in-range value.
# Floats go through i32 first, so negative values wrap as PyTorch's casts do (WGSL's u32(f32)
# would saturate at 0).
_WRAP = {
    "uint8": "(u32(i32({})) & 0xffu)",
    "int8": "((i32({}) << 24u) >> 24u)",
    "int16": "((i32({}) << 16u) >> 16u)",
    "bool": "u32(u32({}) != 0u)",  # True + True is True
}


def store_expr(expr: str, dtype) -> str:
    """The WGSL that stores ``expr`` (any scalar type; i32(u32) keeps the bits) in a lane of ``dtype``."""
    wrap = _WRAP.get(dtype.name)
    return wrap.format(expr) if wrap else f"{wgsl_type(dtype)}({expr})"


def is_narrow(dtype) -> bool:
    """An integer dtype narrower than its 32-bit lane: a kernel's sums and products may leave it."""
    return dtype.name in ("uint8", "int8", "int16")


def gpu_itemsize(dtype) -> int:
    return 2 if dtype is dt.float16 else 8 if dtype is dt.complex64 else 4


def host_to_gpu(raw: bytes, dtype) -> bytes:
    """Host bytes (``dtype``'s own layout) to GPU bytes, range-checking int64."""
    wtype = wgsl_type(dtype)
    if dtype.struct_fmt == GPU_FMT[wtype] or dtype is dt.complex64:
        return bytes(raw)
    np = host_numpy()  # None in the browser build without NumPy: struct below
    if np is not None:
        arr = np.frombuffer(raw, dtype=dtype.np_name)
        if dtype is dt.int64 and arr.size and (arr.min() < I32_MIN or arr.max() > I32_MAX):
            raise RuntimeError(_RANGE_ERROR)
        return arr.astype({"i32": np.int32, "u32": np.uint32}[wtype]).tobytes()
    n = len(raw) // dtype.itemsize
    values = struct.unpack(f"<{n}{dtype.struct_fmt}", raw)
    if dtype is dt.int64 and any(v < I32_MIN or v > I32_MAX for v in values):
        raise RuntimeError(_RANGE_ERROR)
    return struct.pack(f"<{n}{GPU_FMT[wtype]}", *(int(v) for v in values))


def gpu_to_host(raw, dtype) -> bytes:
    """GPU bytes back to ``dtype``'s host layout."""
    wtype = wgsl_type(dtype)
    if dtype.struct_fmt == GPU_FMT[wtype] or dtype is dt.complex64:
        return bytes(raw)
    np = host_numpy()  # None in the browser build without NumPy: struct below
    if np is not None:
        return (
            np.frombuffer(raw, dtype={"i32": np.int32, "u32": np.uint32}[wtype])
            .astype(dtype.np_name)
            .tobytes()
        )
    n = len(raw) // 4
    values = struct.unpack(f"<{n}{GPU_FMT[wtype]}", raw)
    if dtype is dt.bool_:
        values = [v != 0 for v in values]
    return struct.pack(f"<{n}{dtype.struct_fmt}", *values)


def values_to_gpu(flat, dtype) -> bytes:
    """A flat list of Python numbers to GPU bytes."""
    wtype = wgsl_type(dtype)
    if dtype is dt.int64 and any(v < I32_MIN or v > I32_MAX for v in flat):
        raise RuntimeError(_RANGE_ERROR)
    if dtype is dt.bool_:  # truth, not int(): 0.5, -1 and NaN are True (int() gave 0, a range error, a crash)
        flat = [int(v != 0) for v in flat]
    elif wtype in ("i32", "u32"):
        flat = [int(v) for v in flat]
    elif wtype == "f16":  # through float32, as torch makes a Half (and past its range, an infinity)
        flat = [dt.round_float16(v) for v in flat]
    elif dtype is dt.complex64:  # each number as its two parts
        flat = [part for v in flat for part in (complex(v).real, complex(v).imag)]
    fmt = f"<{len(flat)}{GPU_FMT[wtype]}"
    try:
        return struct.pack(fmt, *flat)
    except OverflowError:  # a float beyond the dtype's range rounds to +-inf, as PyTorch casts it
        return struct.pack(fmt, *(_in_range(v, GPU_FMT[wtype]) for v in flat))


def _in_range(v, fmt):
    try:
        struct.pack("<" + fmt, v)
        return v
    except OverflowError:
        return math.copysign(math.inf, v)


def gpu_to_values(raw, dtype) -> list:
    wtype = wgsl_type(dtype)
    n = len(raw) // struct.calcsize(GPU_FMT[wtype])
    values = list(struct.unpack(f"<{n}{GPU_FMT[wtype]}", raw))
    if dtype is dt.bool_:
        return [v != 0 for v in values]
    if dtype is dt.complex64:
        return [complex(re, im) for re, im in zip(values[::2], values[1::2])]
    return values


_RANGE_ERROR = (
    "webgpu stores int64 tensors as 32-bit integers, and a value is outside the int32 range "
    "[-2147483648, 2147483647]; keep such values on the cpu device"
)
