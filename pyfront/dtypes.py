"""dtype objects and PyTorch's type-promotion rules.

No NumPy here: dtypes carry the NumPy name as a string so the browser build works without NumPy.
"""
from __future__ import annotations

import math
import numbers
import struct

from . import float8


class dtype:
    """A tensor element type, printed as PyTorch prints it (``torch.float32``)."""

    __slots__ = ("name", "itemsize", "kind", "rank", "np_name", "struct_fmt", "own_vjp")

    def __init__(self, name: str, itemsize: int, kind: str, rank: int, np_name: str, struct_fmt: str):
        self.name = name  # PyTorch's name, e.g. "float32"
        self.itemsize = itemsize
        self.kind = kind  # "b" bool, "i" integer, "f" floating, "c" complex
        self.rank = rank  # order inside its kind, for promotion
        self.np_name = np_name
        self.struct_fmt = struct_fmt  # for the NumPy-free conversion helpers
        # whether a gradient of this dtype takes a primitive's VJP its own way (autograd/graph.py): complex
        # (torch's conjugate convention) and the 16-bit floats (torch's fused backward kernels compute them
        # in float32); one attribute, so the float32 path reads no more than it did
        self.own_vjp = kind == "c"

    @property
    def is_floating_point(self) -> bool:
        return self.kind == "f"

    @property
    def is_signed(self) -> bool:
        return self.name not in _UNSIGNED

    @property
    def is_complex(self) -> bool:
        return self.kind == "c"

    def to_complex(self) -> "dtype":
        """The complex dtype whose parts are this one, as ``torch.dtype.to_complex``."""
        if self.kind not in "fc":
            raise RuntimeError(f"Unknown Complex ScalarType for {scalar_name(self)}")
        return to_complex(self)

    def to_real(self) -> "dtype":
        """The dtype of a complex dtype's parts (a real dtype itself), as ``torch.dtype.to_real``."""
        return to_real(self)

    @property
    def _legacy_name(self) -> str:  # "FloatTensor", used in PyTorch's error messages
        return _LEGACY[self.name]

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self):
        return (_by_name, (self.name,))


bool_ = dtype("bool", 1, "b", 0, "bool", "?")
uint8 = dtype("uint8", 1, "i", 1, "uint8", "B")
int8 = dtype("int8", 1, "i", 1, "int8", "b")
int16 = dtype("int16", 2, "i", 2, "int16", "h")
int32 = dtype("int32", 4, "i", 3, "int32", "i")
int64 = dtype("int64", 8, "i", 4, "int64", "q")
float16 = dtype("float16", 2, "f", 1, "float16", "e")
float32 = dtype("float32", 4, "f", 2, "float32", "f")
float64 = dtype("float64", 8, "f", 3, "float64", "d")

# bfloat16 keeps float32's 8 exponent bits and 7 of its 23 fraction bits: on the cpu NumPy holds it
# through the ml_dtypes package (imported on first use: ``numpy_dtype``); WGSL has no such type, so the
# webgpu backend refuses it as it refuses float64. It has no struct format: ``pack_bfloat16`` instead.
bfloat16 = dtype("bfloat16", 2, "f", 1, "bfloat16", "")
# the dtypes torch's CPU kernels compute in float32, rounding each op's result once
HALVES = (float16, bfloat16)
for _half in HALVES:
    _half.own_vjp = True


# complex64 and complex128 are stored as NumPy's complex arrays on the cpu; they stay out of ALL, the real
# dtypes every real-valued sweep and fast path runs over, and are named in STORED, what a storage may hold.
# On webgpu (WGSL has no complex type) complex64 is held as float32 pairs, the layout torch.view_as_real shows
# (backends/webgpu/layout.py), and complex128 refused as float64 is. The cpu device without NumPy (the browser
# build) refuses a complex tensor with no_complex's message.
complex64 = dtype("complex64", 8, "c", 2, "complex64", "")
complex128 = dtype("complex128", 16, "c", 3, "complex128", "")
COMPLEX = (complex64, complex128)
# torch.complex32 is a name scripts spell (torch.chalf); pyfront has no storage for it
complex32 = dtype("complex32", 4, "c", 1, "complex32", "")


# torch's "shell" dtypes: stored, cast, printed, saved and loaded, with a narrow set of kernels (ops/shell.py)
# uint16/32/64 are NumPy's own; the float8 formats are held as NumPy's uint8-sized types of the ml_dtypes
# package (imported on first use) and converted by pyfront's own rules (float8.py), as torch's
uint16 = dtype("uint16", 2, "i", 2, "uint16", "H")
uint32 = dtype("uint32", 4, "i", 3, "uint32", "I")
uint64 = dtype("uint64", 8, "i", 4, "uint64", "Q")
WIDE_UNSIGNED = (uint16, uint32, uint64)
float8_e4m3fn = dtype("float8_e4m3fn", 1, "f", 0, "float8_e4m3fn", "")
float8_e5m2 = dtype("float8_e5m2", 1, "f", 0, "float8_e5m2", "")
float8_e4m3fnuz = dtype("float8_e4m3fnuz", 1, "f", 0, "float8_e4m3fnuz", "")
float8_e5m2fnuz = dtype("float8_e5m2fnuz", 1, "f", 0, "float8_e5m2fnuz", "")
float8_e8m0fnu = dtype("float8_e8m0fnu", 1, "f", 0, "float8_e8m0fnu", "")
FLOAT8 = (float8_e4m3fn, float8_e5m2, float8_e4m3fnuz, float8_e5m2fnuz, float8_e8m0fnu)
SHELL = WIDE_UNSIGNED + FLOAT8
_UNSIGNED = ("bool", "uint8", "uint16", "uint32", "uint64", "float8_e8m0fnu")


def check_storable(d) -> None:
    """Raise pyfront's one error for a tensor of a dtype it cannot hold (complex32)."""
    if d is complex32:
        raise TypeError("pyfront has no complex32 storage, so it cannot create a torch.complex32 tensor or "
                        "convert one to it; use torch.complex64 instead")


def no_complex(d: dtype, device: str, lacking: str) -> TypeError:
    """The error for a complex tensor where ``lacking`` (Python without NumPy) has no complex numbers, with
    the way out: the parts as float32 pairs (torch.view_as_real's layout)."""
    way = "torch.view_as_real(t)" + ("" if d is complex64 else ".float()")
    return TypeError(f"Cannot hold a {d.name} Tensor on {device}: {lacking} has no complex numbers. Hold its "
                     f"real and imaginary parts as float32 pairs instead, a last dim of 2 ({way} gives them)")


ALL = (bool_, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64)
STORED = ALL + COMPLEX + SHELL
_BY_NAME = {d.name: d for d in STORED}
_LEGACY = {"bool": "BoolTensor", "uint8": "ByteTensor", "int8": "CharTensor", "int16": "ShortTensor",
           "int32": "IntTensor", "int64": "LongTensor", "float16": "HalfTensor",
           "float32": "FloatTensor", "float64": "DoubleTensor", "bfloat16": "BFloat16Tensor",
           "complex32": "ComplexHalfTensor", "complex64": "ComplexFloatTensor",
           "complex128": "ComplexDoubleTensor", "uint16": "UInt16Tensor", "uint32": "UInt32Tensor",
           "uint64": "UInt64Tensor", **{d.name: d.name.capitalize() + "Tensor" for d in FLOAT8}}
# torch's messages name a dtype in three spellings, each printed by different kernels: the ScalarType
# ("Long", `scalar_name`), the C++ type that a tensor's TypeMeta prints ("long int", `cpp_name`: mm's,
# histogramdd's, out='s exact-dtype checks) and the <cstdint> type that checked_convert's macro spells
# ("int64_t", `convert_name`: "value cannot be converted to type int64_t without overflow")
_CPP = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short int", "int32": "int",
        "int64": "long int", "float16": "c10::Half", "float32": "float", "float64": "double",
        "bfloat16": "c10::BFloat16", "complex32": "c10::complex<c10::Half>",
        "complex64": "c10::complex<float>", "complex128": "c10::complex<double>",
        "uint16": "short unsigned int", "uint32": "unsigned int", "uint64": "long unsigned int",
        **{d.name: "c10::" + d.name.capitalize() for d in FLOAT8}}
_CONVERT = {"bool": "bool", "uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
            "int64": "int64_t", "float16": "c10::Half", "float32": "float", "float64": "double",
            "bfloat16": "c10::BFloat16", "complex64": "c10::complex<float>",
            "complex128": "c10::complex<double>", "uint16": "uint16_t", "uint32": "uint32_t",
            "uint64": "uint64_t",
            **{d.name: "c10::" + d.name.capitalize() for d in FLOAT8}}
# PyTorch's aliases, exported from the package namespace
ALIASES = {"float": float32, "double": float64, "half": float16, "long": int64, "int": int32,
           "short": int16, "bool": bool_, "cfloat": complex64, "cdouble": complex128, "chalf": complex32}


def scalar_name(d: dtype) -> str:
    """torch's ScalarType name ("Float", "Long"), as most of its dtype messages print it."""
    return _LEGACY[d.name][:-len("Tensor")]


def type_name(d: dtype) -> str:
    """The tensor type torch's dtype-mismatch messages name: torch.FloatTensor, and for bool, bfloat16, the
    complex and the shell dtypes their old CPUBoolType, CPUBFloat16Type, CPUComplexFloatType, CPUUInt16Type."""
    old_type = d is bool_ or d is bfloat16 or d.is_complex or d in SHELL
    return f"CPU{scalar_name(d)}Type" if old_type else "torch." + _LEGACY[d.name]


def cpp_name(d: dtype) -> str:
    """The C++ type name ("float", "long int", "c10::Half") of a tensor's TypeMeta in torch's messages."""
    return _CPP[d.name]


def convert_name(d: dtype) -> str:
    """The type name ("int64_t") in torch's "value cannot be converted to type ... without overflow"."""
    return _CONVERT[d.name]


def round_float16(x: float) -> float:
    """``x`` as torch stores it in a float16: rounded to nearest even, an infinity past its range.

    torch makes a c10::Half only from a float, so a double (a Python float) is rounded to float32 first:
    one just past a float16 half-way point that float32 rounds onto it then ties to even, where a single
    rounding would go up (1 + 2**-11 + 2**-40 is 1.0 in torch, not 1.0009765625)."""
    return _round("e", round_float32(x))


def round_half(x: float, d: dtype) -> float:
    """``x`` as torch stores it in the 16-bit float ``d`` (float16 or bfloat16): through float32 first,
    as torch makes both from a float (``round_float16``, ``unpack_bfloat16(pack_bfloat16([x]))``)."""
    return round_float16(x) if d is float16 else unpack_bfloat16(pack_bfloat16([x]))[0]


def pack_bfloat16(values) -> bytes:
    """Little-endian bfloat16 bytes of Python numbers: each rounded to float32, as torch makes a
    c10::BFloat16 from a float, then its top 16 bits rounded to nearest even (a NaN stays a quiet NaN)."""
    words = struct.unpack(f"<{len(values)}I", struct.pack(f"<{len(values)}f", *map(round_float32, values)))
    halves = [(w >> 16) | 0x40 if w & 0x7FFFFFFF > 0x7F800000 else (w + 0x7FFF + (w >> 16 & 1)) >> 16
              for w in words]
    return struct.pack(f"<{len(halves)}H", *halves)


def unpack_bfloat16(raw) -> list:
    """Python floats of little-endian bfloat16 bytes: each the float32 of its top 16 bits (exact)."""
    halves = struct.unpack(f"<{len(raw) // 2}H", raw)
    n = len(halves)
    return list(struct.unpack(f"<{n}f", struct.pack(f"<{n}I", *(h << 16 for h in halves))))


def numpy_dtype(np, d: dtype):
    """The NumPy dtype that holds ``d``. NumPy has no bfloat16 or float8: the ml_dtypes package registers
    them, imported here on first use (it costs as much as a fifth of ``import pyfront``, and the browser has
    neither)."""
    if d is bfloat16 or d in FLOAT8:
        try:
            import ml_dtypes
        except ImportError:
            raise TypeError(f"torch.{d.name} tensors on the cpu need the ml_dtypes package, which is not "
                            "installed here; use torch.float16 or torch.float32 instead") from None
        return np.dtype(getattr(ml_dtypes, d.name))
    return np.dtype(d.np_name)


def half_array(np, values, d: dtype = float16):
    """``values`` (a NumPy array, a flat list of Python numbers) as an array of the narrow float ``d``
    (float16, bfloat16, a float8), rounded as torch makes them: from float32 (NumPy's own cast of a float64
    rounds once, torch's twice), a float8 by torch's rules (float8.py; ml_dtypes' saturate and round its
    own way)."""
    arr = np.asarray(values)
    want = numpy_dtype(np, d)
    if d in FLOAT8:
        if arr.dtype.name in float8.NAMES:  # a float8 array: through its exact float32 values
            arr = float8_to_float32(np, arr)
        bits = arr.astype(np.float32).view(np.uint32).astype(np.uint64)
        return float8.encode(d.name, bits, np.where).astype(np.uint8).view(want)
    # (a float32 array, the commonest, goes as it is: no copy of it, and no dtype.name, a slow property)
    if arr.dtype != want and arr.dtype.kind != "b" and arr.dtype != np.float32:
        arr = float8_to_float32(np, arr) if arr.dtype.name in float8.NAMES else arr.astype(np.float32)
    return arr.astype(want)


_DECODE: dict = {}


def float8_to_float32(np, arr):
    """A float8 NumPy array's float32 values, exactly and with torch's NaN bits (ml_dtypes' differ)."""
    table = _DECODE.get(arr.dtype)
    if table is None:
        table = _DECODE[arr.dtype] = np.array(float8.decode_table(arr.dtype.name), np.uint32).view(np.float32)
    return table[arr.view(np.uint8)]


def round_float32(x: float) -> float:
    """``x`` as a float32 holds it, for the arithmetic torch's kernels do in float on Python numbers.

    An int is rounded once, as torch converts an int64 to float; ``float(x)`` first would round twice
    (2**62 + 2**38 + 1 is a double tie between two floats, and rounds down)."""
    if type(x) is int and not -_EXACT_INT_32 <= x <= _EXACT_INT_32:
        return _int_to_float32(x)
    return _round("f", x)


_EXACT_INT_32 = 1 << 24  # every int up to this magnitude is a float32


def _int_to_float32(n: int) -> float:
    """``n`` rounded to float32's 24 significant bits, to nearest even, in integers (exact)."""
    shift = abs(n).bit_length() - 24
    kept, rest = divmod(abs(n), 1 << shift)
    half = 1 << (shift - 1)
    if rest > half or rest == half and kept & 1:
        kept += 1
    return math.copysign(math.ldexp(kept, shift), n)  # an int under 2**128: never past float32's range


def _round(fmt: str, x: float) -> float:
    try:
        return struct.unpack(fmt, struct.pack(fmt, float(x)))[0]
    except OverflowError:  # struct refuses a number past float16's range ("f" gives inf itself)
        return math.copysign(math.inf, x)


def _by_name(name: str) -> dtype:
    return {"complex32": complex32}.get(name) or _BY_NAME[name]


def from_numpy_name(name: str, scalar_type=None) -> dtype:
    """The dtype of a NumPy dtype named ``name``; torch's TypeError for one from_numpy refuses, naming its
    ``scalar_type`` as Python names that class (``numpy.object_``, ``numpy.str_``, ``ml_dtypes.bfloat16``)."""
    if name not in _BY_NAME or name == "bfloat16" or name.startswith("float8"):  # ml_dtypes' own types
        if scalar_type is not None:
            kind = f"{scalar_type.__module__}.{scalar_type.__name__}"
        else:
            kind = f"{'ml_dtypes' if name == 'bfloat16' or name.startswith('float8') else 'numpy'}.{name}"
        raise TypeError(f"can't convert np.ndarray of type {kind}. The only supported types are: "
                        "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, "
                        "uint64, uint32, uint16, uint8, and bool.")
    return _BY_NAME[name]


_BY_NUMPY: dict = {}  # NumPy dtype object -> dtype, as from_numpy_name found it


def from_numpy_dtype(np_dtype) -> dtype:
    """``from_numpy_name`` of a NumPy dtype, remembered per dtype object: NumPy's ``dtype.name`` is Python
    code of its own (~6x a small add), where a dict lookup by the object is a hash."""
    found = _BY_NUMPY.get(np_dtype)
    if found is None:
        found = _BY_NUMPY[np_dtype] = from_numpy_name(np_dtype.name, np_dtype.type)
    return found


_default_float = float32


def get_default_dtype() -> dtype:
    """The dtype of floating-point tensors created from Python floats (float32 unless changed)."""
    return _default_float


def set_default_dtype(d: dtype) -> None:
    global _default_float
    if d not in (float16, bfloat16, float32, float64):
        raise TypeError("only floating-point types are supported as the default type")
    _default_float = d


def promote_types(type1: dtype, type2: dtype) -> dtype:
    """The smallest dtype both promote to, as ``torch.promote_types``."""
    if type1 is type2:
        return type1
    if type1 in FLOAT8 or type2 in FLOAT8:
        raise RuntimeError(f"Promotion for Float8 Types is not supported, attempted to promote "
                           f"{scalar_name(type1)} and {scalar_name(type2)}")
    if (type1 in WIDE_UNSIGNED or type2 in WIDE_UNSIGNED) and "f" not in (type1.kind, type2.kind):
        raise RuntimeError(f"Promotion for uint16, uint32, uint64 types is not supported, attempted to "
                           f"promote {scalar_name(type1)} and {scalar_name(type2)}")
    if {type1, type2} == {float16, bfloat16}:  # neither holds the other's range and precision
        return float32
    if "c" in (type1.kind, type2.kind):  # the complex of the wider part: float64 + complex64 is complex128
        return to_complex(promote_types(to_real(type1), to_real(type2)) if type1.kind == type2.kind else
                          promote_types(to_real(type1 if type1.kind == "c" else type2),
                                        type1 if type2.kind == "c" else type2))
    if type1.kind != type2.kind:
        return type1 if _KIND_ORDER[type1.kind] > _KIND_ORDER[type2.kind] else type2
    if type1.kind == "i":
        signed = {uint8: 0, int8: 0}
        if {type1, type2} == {uint8, int8}:
            return int16
        if type1 in signed and type2 in signed:
            return type1
    return type1 if type1.rank > type2.rank else type2


_KIND_ORDER = {"b": 0, "i": 1, "f": 2, "c": 3}


def can_cast(from_: dtype, to: dtype) -> bool:
    """Whether PyTorch's casting rules let an op write ``from_`` into ``to``: never to a lower kind
    (bool < integer < floating < complex)."""
    return _KIND_ORDER[from_.kind] <= _KIND_ORDER[to.kind]


_INT_LOW, _INT_HIGH = -(1 << 63), 1 << 64  # torch reads a Python int as int64 or uint64


def check_number(value):
    """``value`` as torch reads a number operand, for the operands off the fast paths: a NumPy scalar
    becomes the Python number (its bool a float, its complex the real part with NumPy's warning, as torch
    reads them), an int outside the 64-bit range raises torch's OverflowError (torch converts it to int64
    or uint64 first, whatever the tensor's dtype)."""
    if type(value) is float or (type(value) is int and _INT_LOW <= value < _INT_HIGH):
        return value  # the usual operands: nothing more to ask
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    if kind is not None and type(value).__module__ == "numpy" and not getattr(value, "ndim", 0):
        if kind in "iu":
            value = int(value)
        elif kind in "fbc":  # a complex one too: torch reads it as a float (its real part, NumPy warns)
            value = float(value)
    if isinstance(value, int) and not isinstance(value, bool) and not _INT_LOW <= value < _INT_HIGH:
        raise OverflowError("int too big to convert" if value > 0 else
                            "can't convert negative int to unsigned")
    if isinstance(value, numbers.Number) and not isinstance(value, (int, float, complex)):
        # torch's arguments are a Tensor or a Scalar (bool, int, float, complex): it rejects a Fraction
        raise TypeError(f"expected a Tensor or a number (bool, int, float, complex), not "
                        f"{type(value).__name__}")
    return value


def scalar_dtype(value) -> dtype:
    """The dtype PyTorch gives a Python scalar: bool, int64, the default float or its complex."""
    value = check_number(value)
    if isinstance(value, bool):
        return bool_
    if isinstance(value, int):
        return int64
    if isinstance(value, complex):
        return to_complex(get_default_dtype())
    return get_default_dtype()


def result_type(*operands) -> dtype:
    """PyTorch's promotion: dimensioned tensors beat 0-d tensors beat Python scalars, within a kind.

    Each operand is a Tensor or a Python number. A lower-priority operand only matters when its
    kind (bool < integer < float) is higher than every higher-priority operand's.
    """
    tiers: list = [None, None, None]  # dimensioned tensors, 0-d tensors, scalars
    for op in operands:
        if hasattr(op, "dim"):  # a Tensor (a NumPy scalar has a dtype too: it is a number)
            tier = 2 if getattr(op, "_wrapped_number", False) else (1 if op.dim() == 0 else 0)
            d = op.dtype
        else:
            tier, d = 2, scalar_dtype(op)
        tiers[tier] = d if tiers[tier] is None else promote_types(tiers[tier], d)
    result = None
    for d in tiers:
        if d is None:
            continue
        if result is None:
            result = d
        elif _KIND_ORDER[d.kind] > _KIND_ORDER[result.kind]:
            if (d.kind == "f" or result is bool_) and (d in SHELL or result in SHELL):
                promote_types(result, d)  # torch joins these tiers by promotion here: a shell dtype's refusal
            # a complex number of lower priority keeps a float result's width: float64 + 1j is complex128
            result = to_complex(result) if d.kind == "c" and result.kind == "f" else d
    if result is int64 and tiers[2] is int64 and (tiers[0] or tiers[1] or int64) is bool_ \
            and any(type(op) is int and op >= 1 << 63 for op in operands):
        # torch reads such an int as a uint64 scalar, which it does not promote with a bool tensor
        raise RuntimeError("Promotion for uint16, uint32, uint64 types is not supported, attempted to "
                           "promote Bool and UInt64")
    return result


def to_float(d: dtype) -> dtype:
    """The dtype a float-only op (exp, sqrt, true division) computes in: a complex dtype stays."""
    return d if d.kind in "fc" else get_default_dtype()


def to_complex(d: dtype) -> dtype:
    """The complex dtype of float dtype ``d`` (its real and imaginary parts' type), as torch pairs them."""
    return {float64: complex128, complex128: complex128, float16: complex32,
            complex32: complex32}.get(d, complex64)


def to_real(d: dtype) -> dtype:
    """The real dtype of one part of a complex ``d`` (``.real``, ``abs``); a real dtype is itself."""
    return {complex64: float32, complex128: float64, complex32: float16}.get(d, d)


class finfo:
    """Machine limits of a floating-point dtype, as ``torch.finfo``."""

    _TABLE = {  # bits, eps, max, tiny (smallest normal), resolution
        "float16": (16, 0.0009765625, 65504.0, 6.103515625e-05, 0.001),
        "bfloat16": (16, 0.0078125, 3.3895313892515355e38, 1.1754943508222875e-38, 0.01),
        "float32": (32, 1.1920928955078125e-07, 3.4028234663852886e38, 1.1754943508222875e-38, 1e-06),
        "float64": (64, 2.220446049250313e-16, 1.7976931348623157e308, 2.2250738585072014e-308, 1e-15),
        "float8_e4m3fn": (8, 0.125, 448.0, 0.015625, 1.0),
        "float8_e5m2": (8, 0.25, 57344.0, 6.103515625e-05, 1.0),
        "float8_e4m3fnuz": (8, 0.125, 240.0, 0.0078125, 1.0),
        "float8_e5m2fnuz": (8, 0.125, 57344.0, 3.0517578125e-05, 1.0),
        "float8_e8m0fnu": (8, 1.0, 1.7014118346046923e38, 5.877471754111438e-39, 1.0),
    }

    def __init__(self, type=None):
        type = type or get_default_dtype()
        if type.name not in self._TABLE:
            raise TypeError(f"torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                            f"'{type!r}'")
        self.bits, self.eps, self.max, self.tiny, self.resolution = self._TABLE[type.name]
        self.min = self.tiny if type is float8_e8m0fnu else -self.max  # e8m0fnu has no sign
        self.smallest_normal = self.tiny
        self.dtype = type.name

    # torch prints the numbers as C++'s stream does: 6 significant digits, %g's form (65504, 0.0078125)
    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.tiny:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """Limits of an integer dtype, as ``torch.iinfo``."""

    def __init__(self, type):
        if type.kind == "f":
            raise TypeError(f"torch.iinfo() requires an integer input type. Use torch.finfo to handle "
                            f"'{type!r}'")
        self.bits = type.itemsize * 8
        signed = type.is_signed and type.kind != "b"
        self.min = -(1 << (self.bits - 1)) if signed else 0
        self.max = (1 << (self.bits - 1)) - 1 if signed else (1 if type.kind == "b" else (1 << self.bits) - 1)
        self.dtype = type.name

    def __repr__(self):
        return f"iinfo(min={float(self.min):g}, max={float(self.max):g}, dtype={self.dtype})"  # (as finfo's)
