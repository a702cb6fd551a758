"""The safetensors format (Hugging Face), read and written exactly per its specification.

Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON (``{"name": {"dtype": "F32",
"shape": [2, 3], "data_offsets": [begin, end]}, "__metadata__": {"key": "value"}}``, padded with
spaces), then the tensors' little-endian bytes, offsets relative to the end of the header.

The reader is stricter than the reference: the header is capped at 100 MB, must start with ``{``
and hold no duplicate keys, each entry has exactly its three fields, dtype, shape and byte length
agree, the offsets are sorted, contiguous and non-overlapping and cover the data exactly, and the
metadata maps strings to strings. Every violation is a ``SafetensorError`` that says which.
"""
from __future__ import annotations

import json
import math
import os
import struct
import sys

from ..backends import get_backend
from ..device import CPU
from ..tensor import Tensor
from .atomic import atomic_write
from .tables import ITEMSIZE, LOADED_AS, byteswap, decode_elements, numel_overflows

MAX_HEADER_SIZE = 100_000_000  # the reference implementation's cap

_CODES = {"BOOL": "bool", "U8": "uint8", "I8": "int8", "I16": "int16", "I32": "int32", "I64": "int64",
          "F16": "float16", "BF16": "bfloat16", "F32": "float32", "F64": "float64", "U16": "uint16",
          "U32": "uint32", "U64": "uint64", "F8_E4M3": "float8_e4m3fn", "F8_E5M2": "float8_e5m2",
          "F8_E4M3FNUZ": "float8_e4m3fnuz", "F8_E5M2FNUZ": "float8_e5m2fnuz", "F8_E8M0": "float8_e8m0fnu",
          "C64": "complex64"}
_NAMES = {v: k for k, v in _CODES.items()}
# valid in the format, but pyfront has no such dtype
_OTHER_CODES = ("F4", "F6_E2M3", "F6_E3M2")


class SafetensorError(Exception):
    """A file that breaks the safetensors specification, or a dtype pyfront does not have."""


def save(tensors: dict, metadata: dict | None = None) -> bytes:
    """The safetensors bytes of ``tensors`` (name -> Tensor), with optional string ``metadata``."""
    _check_inputs(tensors, metadata)
    # largest items first keeps every tensor aligned to its item size, as the reference writer does
    order = sorted(tensors, key=lambda k: (-tensors[k].dtype.itemsize, k))
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = dict(metadata)
    for name in order:
        t = tensors[name]
        data = get_backend(t.device).to_bytes(t._layout)
        if sys.byteorder != "little":
            data = byteswap(data, t.dtype.itemsize)
        header[name] = {"dtype": _NAMES[t.dtype.name], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-(8 + len(text)) % 8)
    return b"".join([struct.pack("<Q", len(text)), text, *chunks])


def save_file(tensors: dict, filename, metadata: dict | None = None) -> None:
    """Write ``tensors`` to ``filename`` in the safetensors format, atomically."""
    data = save(tensors, metadata)
    with atomic_write(filename) as f:
        f.write(data)


def load(data: bytes, device="cpu") -> dict:
    """The tensors (name -> Tensor, sorted by name) of safetensors bytes."""
    return _load(bytes(data), device, "the safetensors data")[0]


def load_file(filename, device="cpu") -> dict:
    """The tensors (name -> Tensor, sorted by name) of a safetensors file."""
    with open(filename, "rb") as f:
        return _load(f.read(), device, f"safetensors file {os.fspath(filename)!r}")[0]


def load_metadata(data: bytes) -> dict:
    """The ``__metadata__`` strings of safetensors bytes (empty when there are none)."""
    return _load(bytes(data), "cpu", "the safetensors data")[1]


def _check_inputs(tensors, metadata) -> None:
    if not isinstance(tensors, dict):
        raise TypeError(f"tensors must be a dict of name -> Tensor, got {type(tensors).__name__}")
    for name, t in tensors.items():
        if type(name) is not str or name == "__metadata__":
            raise ValueError(f"invalid tensor name {name!r}: names are strings other than '__metadata__'")
        if not isinstance(t, Tensor):
            raise TypeError(f"tensors[{name!r}] is a {type(t).__name__}, not a Tensor")
    if metadata is not None and (not isinstance(metadata, dict) or not all(
            type(k) is str and type(v) is str for k, v in metadata.items())):
        raise TypeError("metadata must be a dict of str -> str")


def _fail(what: str, message: str):
    raise SafetensorError(f"{what} is not valid safetensors: {message}")


def _no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise ValueError(f"duplicate key {k!r}")
        seen[k] = v
    return seen


def _no_constants(name):
    raise ValueError(f"{name} is not a JSON number")


def _parse_header(data: bytes, what: str):
    if len(data) < 8:
        _fail(what, f"{len(data)} bytes is too short for the 8-byte header length")
    n = struct.unpack("<Q", data[:8])[0]
    if n > MAX_HEADER_SIZE:
        _fail(what, f"the header declares {n} bytes, more than the {MAX_HEADER_SIZE} allowed")
    if 8 + n > len(data):
        _fail(what, f"the header declares {n} bytes but only {len(data) - 8} follow (truncated file?)")
    raw = data[8:8 + n]
    if raw[:1] != b"{":
        _fail(what, "the header does not start with '{'")
    try:
        header = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates,
                            parse_constant=_no_constants)
    except UnicodeDecodeError as e:
        _fail(what, f"the header is not UTF-8 ({e})")
    except RecursionError:
        _fail(what, "the JSON header is nested too deeply")
    except ValueError as e:
        _fail(what, f"the JSON header can't be read: {e}")
    if not isinstance(header, dict):
        _fail(what, "the header is not a JSON object")
    return header, 8 + n


def _int_list(value, length, what: str, field: str) -> list:
    if type(value) is not list or (length is not None and len(value) != length) or not all(
            type(v) is int and v >= 0 for v in value):
        count = f"{length} " if length is not None else ""
        _fail(what, f"{field} must be a list of {count}non-negative integers, got {value!r:.80}")
    return value


def _load(data: bytes, device, what: str):
    header, start = _parse_header(data, what)
    metadata = header.pop("__metadata__", {})
    if not isinstance(metadata, dict) or not all(type(v) is str for v in metadata.values()):
        _fail(what, "__metadata__ must map strings to strings")
    entries = []
    for name, info in header.items():
        if not isinstance(info, dict) or set(info) != {"dtype", "shape", "data_offsets"}:
            _fail(what, f"entry {name!r} must have exactly the fields dtype, shape and data_offsets")
        code = info["dtype"]
        if type(code) is not str:
            _fail(what, f"tensor {name!r} has a dtype that is not a string: {code!r:.40}")
        if code in _OTHER_CODES:
            raise SafetensorError(f"{what}: tensor {name!r} has dtype {code}, which pyfront does not have")
        if code not in _CODES:
            _fail(what, f"tensor {name!r} has unknown dtype {code!r:.40}")
        shape = _int_list(info["shape"], None, what, f"the shape of {name!r}")
        if numel_overflows(shape) or numel_overflows(max(n, 1) for n in shape[1:]):  # count, strides
            _fail(what, f"the shape {shape} of {name!r} overflows int64 (its element count or strides)")
        begin, end = _int_list(info["data_offsets"], 2, what, f"the data_offsets of {name!r}")
        nbytes = math.prod(shape) * ITEMSIZE[_CODES[code]]
        if begin > end or end - begin != nbytes:
            _fail(what, f"tensor {name!r} of dtype {code} and shape {shape} needs {nbytes} bytes, its "
                        f"data_offsets [{begin}, {end}] give {end - begin}")
        entries.append((begin, end, name, _CODES[code], shape))
    position = 0
    for begin, end, name, _, _ in sorted(entries):
        if begin != position:
            _fail(what, f"tensor {name!r} starts at byte {begin}, not {position}: offsets must be contiguous "
                        "and non-overlapping")
        position = end
    if position != len(data) - start:
        _fail(what, f"the tensors cover {position} data bytes but the file holds {len(data) - start}")
    out = {}
    for begin, end, name, dtype_name, shape in sorted(entries, key=lambda e: e[2]):
        raw = decode_elements(data[start + begin:start + end], dtype_name, "little")
        loaded = LOADED_AS[dtype_name]
        t = Tensor._make(get_backend(CPU).from_bytes(raw, loaded), shape, loaded)
        out[name] = t.to(device)
    return out, metadata
