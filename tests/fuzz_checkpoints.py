"""Fuzz pyfront's checkpoint and safetensors loaders: every input loads, or fails with an allowed type.

Seeds are small checkpoints written by pyfront and by torch (zip and legacy formats, views sharing
storage, a state_dict with ``_metadata``, nested containers) and safetensors files. Each input is a
seed with one to three mutations: bytes overwritten or bit-flipped, a truncation, bytes inserted or
deleted, a zip header field (central directory, local header, end records) set to an edge value,
or a pickle opcode of ``data.pkl`` (or of a legacy file's pickles) replaced, retyped, dropped,
duplicated or given an edge-value argument -- re-zipped with a correct CRC, so it reaches the
unpickler. What loads is then used (printed, summed, reshaped, copied) as a user would use it.

A checkpoint may only fail as torch.load(weights_only=True) fails on damaged files: RuntimeError
(the container), pickle.UnpicklingError (the pickle and what it builds) or EOFError (ran out of
input); a safetensors file only with SafetensorError. Exact types: a NotImplementedError is not a
RuntimeError here. Using a loaded object may not fail at all.

Run by hand for a longer search (the suite runs a short, seeded one)::

    python tests/fuzz_checkpoints.py --n 1000000 [--seed 1] [--out escaped/]

It prints the count of each outcome and writes every escaping input to ``--out``.
"""
from __future__ import annotations

import argparse
import collections
import io
import math
import os
import pickle
import pickletools
import random
import struct
import sys
import time
from collections import OrderedDict

if __name__ == "__main__":  # run as a script: import this checkout's pyfront
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import pyfront  # noqa: E402
import pyfront.safetensors as st  # noqa: E402
from pyfront.serialization import zipformat  # noqa: E402

ALLOWED = (RuntimeError, pickle.UnpicklingError, EOFError)
ALLOWED_SAFETENSORS = (st.SafetensorError,)
EDGE_INTS = [0, 1, -1, 2, 3, 7, 255, 256, 65535, 65536, 2 ** 31 - 1, 2 ** 31, -2 ** 31, 2 ** 32 - 1, 2 ** 32,
             2 ** 61, 2 ** 62, 2 ** 63 - 1, 2 ** 63, -2 ** 63, 2 ** 64, 10 ** 6, 10 ** 12]
EDGE_STRINGS = ["", "keys", "values", "items", "_metadata", "__dict__", "__class__", "storage", "cpu", "0",
                "1", "torch", "collections", "OrderedDict", "FloatStorage", "LongStorage", "BoolStorage",
                "UntypedStorage", "_rebuild_tensor_v2", "_rebuild_parameter", "torch._utils", "Size",
                "float16", "int64", "builtins", "set", "\udcff", "x" * 300]
PICKLE_OPS = [op.code.encode("latin-1") for op in pickletools.opcodes]


# -- seeds --------------------------------------------------------------------------------------
def _pyfront_objects():
    base = pyfront.arange(12, dtype=pyfront.float32).reshape(3, 4)
    sd = OrderedDict([("w", base), ("b", pyfront.zeros(4, dtype=pyfront.float16)),
                      ("n", pyfront.tensor(3, dtype=pyfront.int64))])
    sd._metadata = {"": {"version": 1}}
    return [
        {"t": base, "row": base[1], "col": base[:, 2], "tt": base.t(), "empty": base[:, 4:]},
        sd,
        [pyfront.tensor([True, False]), pyfront.tensor([1, -2], dtype=pyfront.int8), (1, 2.5, "s", None),
         {"u8": pyfront.tensor([0, 255], dtype=pyfront.uint8),
          "f64": pyfront.ones(2, dtype=pyfront.float64)}],
    ]


def _records(data: bytes) -> list:
    """The (name, bytes) records of a zip checkpoint, read with Python's zipfile (seeds only)."""
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(n[n.index("/") + 1:], z.read(n)) for n in z.namelist()]


def seeds() -> dict:
    """name -> (kind, bytes): kind is 'zip' (records re-zippable), 'legacy' or 'safetensors'."""
    out = {}
    for i, obj in enumerate(_pyfront_objects()):
        buf = io.BytesIO()
        pyfront.save(obj, buf)
        out[f"pyfront{i}"] = ("zip", buf.getvalue())
    try:
        import torch
    except ImportError:  # torch is a test dependency; the fuzzer also runs without it
        torch = None
    if torch is not None:
        base = torch.arange(12.0).reshape(3, 4)
        sd = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2)).state_dict()
        for name, obj in [("torch_views", {"t": base, "col": base[:, 1], "tt": base.t(),
                                           "i": torch.tensor([1, 2], dtype=torch.int64)}),
                          ("torch_sd", sd),
                          ("torch_bf16", [base.to(torch.bfloat16)[1:], torch.Size([2, 3])])]:
            buf = io.BytesIO()
            torch.save(obj, buf)
            out[name] = ("zip", buf.getvalue())
        buf = io.BytesIO()
        torch.save({"t": base.t(), "i": torch.tensor([5, 6])}, buf, _use_new_zipfile_serialization=False)
        out["torch_legacy"] = ("legacy", buf.getvalue())
    base = pyfront.arange(6, dtype=pyfront.float32).reshape(2, 3)
    out["safetensors"] = ("safetensors", st.save({"a": base, "b": pyfront.tensor([1, 2], dtype=pyfront.int64),
                                                  "e": pyfront.zeros(0, 3)}, {"format": "pt"}))
    return out


# -- mutations ----------------------------------------------------------------------------------
def _edge_int(rng) -> int:
    return rng.choice(EDGE_INTS) if rng.random() < 0.8 else rng.randrange(-2 ** 40, 2 ** 40)


def flip_bytes(rng, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(buf))
        buf[i] = rng.randrange(256) if rng.random() < 0.5 else buf[i] ^ (1 << rng.randrange(8))
    return bytes(buf)


def truncate(rng, data: bytes) -> bytes:
    return data[:rng.randrange(len(data))]


def splice(rng, data: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    if rng.random() < 0.5:
        return data[:i] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 16))) + data[i:]
    return data[:i] + data[i + rng.randint(1, 64):]


# (signature, {field offset: width}) of the zip structures
_ZIP_FIELDS = {
    b"PK\x03\x04": {4: 2, 6: 2, 8: 2, 14: 4, 18: 4, 22: 4, 26: 2, 28: 2},
    b"PK\x01\x02": {4: 2, 6: 2, 8: 2, 10: 2, 16: 4, 20: 4, 24: 4, 28: 2, 30: 2, 32: 2, 34: 2, 42: 4},
    b"PK\x05\x06": {4: 2, 6: 2, 8: 2, 10: 2, 12: 4, 16: 4, 20: 2},
    b"PK\x06\x06": {4: 8, 24: 4, 28: 4, 32: 8, 40: 8, 48: 8, 56: 8},
    b"PK\x06\x07": {4: 4, 8: 8, 16: 4},
}


def zip_field(rng, data: bytes) -> bytes:
    """Set one field of one zip header (version, flags, method, CRC, size, offset, ...) to an edge value."""
    spots = []
    for sig, fields in _ZIP_FIELDS.items():
        i = data.find(sig)
        while i >= 0:
            spots += [(i + off, width) for off, width in fields.items() if i + off + width <= len(data)]
            i = data.find(sig, i + 1)
    if not spots:
        return flip_bytes(rng, data)
    pos, width = rng.choice(spots)
    if width == 2 and rng.random() < 0.5:  # versions and flags: single bits, as in zip's flag field
        value = rng.choice([1 << rng.randrange(16), 255, 63, 64, 45, 20])
    else:
        value = _edge_int(rng) % (1 << (8 * width))
    return data[:pos] + value.to_bytes(width, "little") + data[pos + width:]


def _pickle_op(rng) -> bytes:
    """One pickle opcode with an argument where it takes one."""
    code = rng.choice(PICKLE_OPS)
    v = _edge_int(rng)
    arg = {b"K": bytes([v % 256]), b"M": struct.pack("<H", v % 65536),
           b"J": struct.pack("<i", (v % 2 ** 32) - 2 ** 31), b"h": bytes([v % 256]),
           b"q": bytes([v % 256])}.get(code, b"")
    if code == b"\x8a":
        data = v.to_bytes((v.bit_length() + 8) // 8, "little", signed=True)
        arg = bytes([len(data)]) + data
    elif code in (b"X", b"\x8c"):
        text = rng.choice(EDGE_STRINGS).encode("utf-8", "surrogatepass")
        arg = struct.pack("<I", len(text)) + text if code == b"X" else bytes([len(text) % 256]) + text[:255]
    elif code == b"c":
        arg = rng.choice([b"collections\nOrderedDict\n", b"torch._utils\n_rebuild_tensor_v2\n",
                          b"torch\nSize\n", b"torch\nLongStorage\n", b"builtins\nset\n", b"os\nsystem\n"])
    return code + arg


def mutate_pickle(rng, pkl: bytes) -> bytes:
    """Replace, drop, duplicate or insert an opcode, or give an int/str opcode an edge argument."""
    try:
        ops = [(pos, op, arg) for op, arg, pos in pickletools.genops(pkl)]
    except Exception:  # an already-broken pickle: bytes only
        return flip_bytes(rng, pkl)
    ends = [pos for pos, _, _ in ops[1:]] + [len(pkl)]
    k = rng.randrange(len(ops))
    start, op, arg = ops[k]
    end = ends[k]
    choice = rng.random()
    if choice < 0.35 and isinstance(arg, int) and not isinstance(arg, bool) and op.name in (
            "BININT", "BININT1", "BININT2", "LONG1"):
        v = _edge_int(rng)
        if rng.random() < 0.3:  # a dimension next to a zero: zero elements, a huge size
            v = rng.choice([2 ** 61, 2 ** 62, 2 ** 63 - 1, 2 ** 40])
        new = _pickle_int(v)
    elif choice < 0.5 and isinstance(arg, str):
        text = rng.choice(EDGE_STRINGS).encode("utf-8", "surrogatepass")
        new = b"X" + struct.pack("<I", len(text)) + text
    elif choice < 0.65:
        new = b""
    elif choice < 0.75:
        new = pkl[start:end] * 2
    elif choice < 0.9:
        new = _pickle_op(rng) + pkl[start:end]
    else:
        new = rng.choice(PICKLE_OPS) + pkl[start + 1:end]
    return pkl[:start] + new + pkl[end:]


def _pickle_int(v: int) -> bytes:
    if 0 <= v < 256:
        return b"K" + bytes([v])
    if -2 ** 31 <= v < 2 ** 31:
        return b"J" + struct.pack("<i", v)
    data = v.to_bytes((v.bit_length() + 8) // 8, "little", signed=True)
    return b"\x8a" + bytes([len(data)]) + data


def rezip(records: list, prefix: str = "archive") -> bytes:
    buf = io.BytesIO()
    zw = zipformat.ZipWriter(buf, prefix)
    for name, data in records:
        zw.write(name, data)
    zw.close()
    return buf.getvalue()


def zip_pickle(rng, records: list) -> bytes:
    """A checkpoint whose data.pkl is mutated (and, sometimes, a record dropped or resized)."""
    records = [(n, mutate_pickle(rng, d) if n == "data.pkl" else d) for n, d in records]
    if rng.random() < 0.1:
        records.pop(rng.randrange(len(records)))
    elif rng.random() < 0.1:
        i = rng.randrange(len(records))
        records[i] = (records[i][0], records[i][1][:rng.randrange(len(records[i][1]) + 1)])
    return rezip(records)


def legacy_pickle(rng, data: bytes) -> bytes:
    """A legacy file with one of its five leading pickles mutated."""
    spans, pos = [], 0
    for _ in range(5):
        end = pos + max(p for _, _, p in pickletools.genops(io.BytesIO(data[pos:]))) + 1
        spans.append((pos, end))
        pos = end
    start, end = rng.choice(spans)
    return data[:start] + mutate_pickle(rng, data[start:end]) + data[end:]


def safetensors_header(rng, data: bytes) -> bytes:
    """Change a number or a string inside the JSON header, keeping its length field right."""
    n = struct.unpack("<Q", data[:8])[0]
    text, rest = data[8:8 + n].decode(), data[8 + n:]
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if rng.random() < 0.6 and digits:
        i = rng.choice(digits)
        text = text[:i] + str(_edge_int(rng)) + text[i + 1:]
    else:
        word = rng.choice(['"F32"', '"I64"', '"BOOL"', '"BF16"', '"C64"', '"dtype"', '"shape"',
                           '"data_offsets"', '"__metadata__"', "[]", "{}", "null", "-1", "1e400", "NaN", '"'])
        i = rng.randrange(len(text) + 1)
        text = text[:i] + word + text[i + rng.randint(0, 8):]
    head = text.encode("utf-8", "surrogatepass")
    return struct.pack("<Q", len(head)) + head + rest


def mutate(rng, kind: str, data: bytes, records) -> bytes:
    generic = [flip_bytes, truncate, splice]
    if kind == "zip":
        choices = generic + [zip_field, zip_field, lambda r, _: zip_pickle(r, records),
                             lambda r, _: zip_pickle(r, records), lambda r, _: zip_pickle(r, records)]
    elif kind == "legacy":
        choices = generic + [legacy_pickle, legacy_pickle, legacy_pickle]
    else:
        choices = generic + [safetensors_header, safetensors_header]
    out = rng.choice(choices)(rng, data)
    for _ in range(rng.choice([0, 0, 0, 1, 2])):  # sometimes more damage on top
        out = rng.choice(generic + ([zip_field] if kind == "zip" else []))(rng, out) if out else out
    return out


# -- the oracle ---------------------------------------------------------------------------------
def use(obj, seen=None) -> None:
    """Use what loaded as a user would: print it, and compute with it where torch could too."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, pyfront.Tensor):
        obj.shape, obj.stride(), obj.numel(), obj.dtype, obj.storage_offset()
        repr(obj)  # summarised when large, whatever its shape
        n = obj.numel()
        if n == 0:  # any shape torch accepts, up to dims of 2**63 - 1: no element to compute
            (obj + 1).sum(), obj.clone().reshape(-1), obj.float().mean()
            lists = math.prod(obj.shape[:list(obj.shape).index(0)])
            if lists <= 10 ** 5:  # tolist() of (2**61, 0) would build 2**61 lists, in torch too
                obj.tolist()
        elif n <= 10 ** 5:  # a stride-0 view may have any number of elements: small ones are computed
            c = obj.contiguous().reshape(-1)
            c.clone().sum()
            obj.tolist()
            if obj.dim():
                obj[..., :1].float() + 1
    elif isinstance(obj, dict):
        for k, v in list(dict.items(obj)):
            use(k, seen)
            use(v, seen)
    elif isinstance(obj, (list, tuple, set)):
        for v in list(obj):
            use(v, seen)
    else:
        repr(obj)


def check(kind: str, data: bytes) -> str:
    """'loaded', or the name of the allowed exception; raises what escapes (the input is then a bug)."""
    allowed = ALLOWED_SAFETENSORS if kind == "safetensors" else ALLOWED
    try:
        obj = st.load(data) if kind == "safetensors" else pyfront.load(io.BytesIO(data))
    except allowed as e:
        if type(e) not in allowed:  # e.g. NotImplementedError, a RuntimeError subclass
            raise
        return type(e).__name__
    use(obj)
    return "loaded"


def run(n: int, seed: int = 0, out: str | None = None, progress: bool = False) -> tuple:
    """Fuzz ``n`` inputs; returns (Counter of outcomes, list of (description, input, exception))."""
    rng = random.Random(seed)
    pool = [(name, kind, data, _records(data) if kind == "zip" else None)
            for name, (kind, data) in seeds().items()]
    for name, kind, data, _ in pool:  # every seed loads unmutated
        assert check(kind, data) == "loaded", name
    counts, escaped = collections.Counter(), []
    started = time.time()
    for i in range(n):
        name, kind, data, records = rng.choice(pool)
        case = mutate(rng, kind, data, records)
        try:
            counts[check(kind, case)] += 1
        except Exception as e:  # noqa: BLE001 (a foreign exception: what the fuzzer looks for)
            key = f"{type(e).__module__}.{type(e).__name__}"
            counts["ESCAPED " + key] += 1
            escaped.append((f"#{i} from {name}", case, e))
            if out:
                os.makedirs(out, exist_ok=True)
                with open(os.path.join(out, f"{i:08d}-{name}-{type(e).__name__}.bin"), "wb") as f:
                    f.write(case)
        if progress and (i + 1) % 10000 == 0:
            print(f"{i + 1} inputs, {time.time() - started:.0f} s: {dict(counts)}", flush=True)
    return counts, escaped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="how many mutated inputs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", help="folder for the inputs that escape (default: not written)")
    args = parser.parse_args()
    import warnings
    warnings.simplefilter("ignore")
    counts, escaped = run(args.n, args.seed, args.out, progress=True)
    for outcome, count in counts.most_common():
        print(f"{count:9d}  {outcome}")
    for what, _, e in escaped[:20]:
        print(f"{what}: {type(e).__name__}: {str(e)[:200]}")
    sys.exit(1 if escaped else 0)


if __name__ == "__main__":
    main()
