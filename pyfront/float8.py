"""The float8 formats torch stores (float8_e4m3fn, float8_e5m2, their fnuz variants, float8_e8m0fnu): their
bytes to float32 and float32 to their bytes, with torch's rules.

No NumPy here: the encoder is written once over integers and a ``where(cond, a, b)`` the caller gives, so
the NumPy backend runs it on whole uint32 arrays and the NumPy-free backend on one Python int at a time.
torch makes every float8 from a float32 (a double or an int is rounded to float32 first), to nearest
even; what lies past the largest finite value differs by format: e4m3fn saturates there (inf too),
e5m2 becomes inf, the fnuz formats (no inf, no -0, one NaN: 0x80) become NaN. e8m0fnu is a bare
power-of-two exponent: the sign is dropped and a significand of 1.5 or more rounds up (a
float32 subnormal: one past 2**-127).
"""
from __future__ import annotations

import struct

# name -> (exponent bits, fraction bits, bias, the largest finite code, what an overflow becomes)
_FORMATS = {
    "float8_e4m3fn": (4, 3, 7, 0x7E, "saturate"),
    "float8_e5m2": (5, 2, 15, 0x7B, "inf"),
    "float8_e4m3fnuz": (4, 3, 8, 0x7F, "nan"),
    "float8_e5m2fnuz": (5, 2, 16, 0x7F, "nan"),
}
NAMES = (*_FORMATS, "float8_e8m0fnu")
_NUZ_NAN = 0x7F800001  # the float32 bits torch gives the fnuz formats' and e8m0fnu's NaN


def _f32_bits(x: float) -> int:
    return struct.unpack("<I", struct.pack("<f", x))[0]


def _decode(name: str, code: int) -> int:
    """The float32 bits of float8 ``code``: exact, its NaN with the payload torch's conversion gives."""
    if name == "float8_e8m0fnu":
        return _NUZ_NAN if code == 0xFF else (code << 23 if code else 0x00400000)  # 2**-127 is subnormal
    ebits, mbits, bias, _, overflow = _FORMATS[name]
    sign, e, m = code >> 7, (code >> mbits) & ((1 << ebits) - 1), code & ((1 << mbits) - 1)
    if overflow == "nan":
        if code == 0x80:
            return _NUZ_NAN
    elif (e == (1 << ebits) - 1) and (overflow == "inf" or m == (1 << mbits) - 1):
        if overflow == "inf" and m == 0:
            return sign << 31 | 0x7F800000
        return sign << 31 | 0x7FC00000 | m << (23 - mbits)  # a quiet NaN keeping the fraction bits
    value = m * 2.0 ** (1 - bias - mbits) if e == 0 else (1 + m / (1 << mbits)) * 2.0 ** (e - bias)
    return sign << 31 | _f32_bits(value)


_TABLES: dict = {}


def decode_table(name: str) -> list:
    """The float32 bits (ints) of each of the 256 codes of float8 format ``name``."""
    table = _TABLES.get(name)
    if table is None:
        table = _TABLES[name] = [_decode(name, c) for c in range(256)]
    return table


def encode(name: str, w, where):
    """The float8 codes of float32 bits ``w`` (an int, or a NumPy uint64 array), by torch's rounding;
    ``where(cond, a, b)``: a Python conditional or ``np.where``."""
    a = w & 0x7FFFFFFF
    e32 = a >> 23
    if name == "float8_e8m0fnu":
        m = a & 0x7FFFFF
        normal = where(e32 > 0, e32 + (m >= 0x400000), where(m > 0x400000, 1, 0))  # past 2**-127: 2**-126
        return where(e32 + (m >= 0x400000) > 254, 0xFF, normal)
    ebits, mbits, bias, top, overflow = _FORMATS[name]
    sign = (w >> 31) << 7
    drop = 23 - mbits
    # a normal float8: the float32 bits rounded at the kept fraction bit (a carry moves the exponent),
    # then rebiased; below float8's normals: the significand shifted to the subnormal step, rounded
    normal = ((a + (1 << (drop - 1)) - 1 + ((a >> drop) & 1)) >> drop) - ((127 - bias) << mbits)
    sig = where(e32 > 0, (a & 0x7FFFFF) | 0x800000, a)
    shift = where(e32 > 0, 151 - bias - mbits - e32, 150 - bias - mbits)
    shift = where(shift < 1, 1, shift)  # NumPy's uint64 wraps a negative one: past 40 too
    shift = where(shift > 40, 40, shift)
    kept, rest, half = sig >> shift, sig & ((1 << shift) - 1), 1 << (shift - 1)
    sub = kept + where(rest > half, 1, where(rest == half, kept & 1, 0))
    code = where(e32 >= 128 - bias, normal, sub)
    big = {"saturate": top, "inf": 0x7C, "nan": 0x80}[overflow]
    code = where(code > top, big, code)
    nan = 0x80 if overflow == "nan" else 0x7F
    if overflow == "nan":  # no -0 and no signed NaN: the sign goes on a nonzero finite code only
        signed = where((code == 0) | (code == 0x80), code, code | sign)
    else:
        signed = code | sign
    return where(a > 0x7F800000, nan | (0 if overflow == "nan" else sign), signed)
