"""Damaged checkpoints fail with torch.load's exception type; a seeded fuzz finds no other type.

torch.load(weights_only=True) itself fails with RuntimeError (the zip container, tensor geometry),
pickle.UnpicklingError (what the pickle builds) or EOFError (no more input) -- and, for some
damage, with whatever its unpickler trips over (KeyError, IndexError, struct.error ...). pyfront
raises torch's type where torch's is one of those three, and UnpicklingError (the pickle module's
own type for bad data) where torch's is foreign.
"""
import io
import math
import pickle
import sys
import time

import pytest
import torch

import pyfront
import fuzz_checkpoints
from test_malicious_files import P, S, archive, call, tensor

CLEAN = (RuntimeError, pickle.UnpicklingError, EOFError)


def _torch_zip(obj) -> bytes:
    buf = io.BytesIO()
    torch.save(obj, buf)
    return buf.getvalue()


def _legacy() -> bytes:
    buf = io.BytesIO()
    torch.save({"w": torch.arange(6.0)}, buf, _use_new_zipfile_serialization=False)
    return buf.getvalue()


def _rezipped_pickle(change) -> bytes:
    """A torch checkpoint whose data.pkl is changed by ``change``, re-zipped with a right CRC."""
    records = fuzz_checkpoints._records(_torch_zip({"w": torch.arange(6.0)}))
    return fuzz_checkpoints.rezip([(n, change(d) if n == "data.pkl" else d) for n, d in records])


def _cd_flags(data: bytes, bit: int) -> bytes:
    buf, i = bytearray(data), data.find(b"PK\x01\x02")
    while i >= 0:
        buf[i + 8] |= 1 << bit if bit < 8 else 0
        buf[i + 9] |= 1 << (bit - 8) if bit >= 8 else 0
        i = data.find(b"PK\x01\x02", i + 1)
    return bytes(buf)


GOOD = _torch_zip({"w": torch.arange(6.0)})


def _crc_stale(old: bytes, new: bytes) -> bytes:
    return GOOD.replace(old, new, 1)


def _pyfront_zip() -> bytes:
    buf = io.BytesIO()
    pyfront.save({"w": pyfront.arange(6.0)}, buf)
    return buf.getvalue()


def _end_record(offset: int, value: int) -> bytes:
    """A checkpoint without ZIP64 records (pyfront's: torch's ZIP64 end record stands in for this one),
    with a 2-byte field of its end of central directory record set."""
    data = _pyfront_zip()
    buf, i = bytearray(data), data.rfind(b"PK\x05\x06")
    buf[i + offset:i + offset + 2] = value.to_bytes(2, "little")
    return bytes(buf)


def _central(offset: int, value: int) -> bytes:
    """GOOD with a 2-byte field of its first central directory entry set."""
    buf, i = bytearray(GOOD), GOOD.find(b"PK\x01\x02")
    buf[i + offset:i + offset + 2] = value.to_bytes(2, "little")
    return bytes(buf)
CASES = {
    "empty": b"",
    "text": b"hello, not a checkpoint",
    "one byte": b"\x80",
    "random bytes": bytes(range(7, 200, 3)),
    "plain pickle": pickle.dumps([1, 2], protocol=2),
    "plain pickle, protocol 4": pickle.dumps({"a": 1}, protocol=4),
    "zip, half": GOOD[:len(GOOD) // 2],
    "zip, end record cut": GOOD[:-10],
    "zip, local header only": b"PK\x03\x04" + bytes(40),
    "zip, encrypted record": _cd_flags(GOOD, 0),
    "zip, patched record (flag bit 5)": _cd_flags(GOOD, 5),
    "zip, strong encryption (flag bit 6)": _cd_flags(GOOD, 6),
    "data.pkl cut short": _rezipped_pickle(lambda d: d[:len(d) // 2]),
    "data.pkl without STOP": _rezipped_pickle(lambda d: d[:-1]),
    "legacy, cut in a pickle": _legacy()[:20],
    "legacy, cut in its data": _legacy()[:-3],
    "tensor past its storage": archive(P + tensor(size=(5,)) + b"."),
    "negative storage offset": archive(P + tensor(offset=-1) + b"."),
    "numel overflows int64": archive(P + tensor(size=(2 ** 40, 2 ** 40, 0), stride=(0, 0, 1)) + b"."),
    "unknown location tag": archive(P + tensor().replace(S("cpu"), S("LongStorage")) + b"."),
    # torch's zip reader (miniz) checks the end records and the central directory when it opens the file,
    # and no CRC: a changed byte of data.pkl fails as the pickle it makes fails
    "data.pkl byte changed, CRC stale": _crc_stale(b"collections", b"collectiona"),
    "end record: two disks": _end_record(4, 1),
    "end record: entries on this disk": _end_record(8, 7),
    "end record: directory past it": _end_record(16, 0x7FFF),
    "central directory: record on disk 3": _central(34, 3),
    "central directory: stored sizes differ": _central(20, 1),
    "data record missing": _rezipped_pickle(lambda d: d.replace(b"X\x01\x00\x00\x000",
                                                                b"X\x01\x00\x00\x009")),
}


# torch's unpickler refuses protocol 4's FRAME opcode before it checks the magic number; pyfront
# reads FRAME, and refuses the file for its magic number, as torch does a protocol-2 pickle
OVERRIDES = {"plain pickle, protocol 4": RuntimeError}


@pytest.mark.parametrize("name", list(CASES))
def test_damaged_file_gets_torchs_exception_type(name):
    data = CASES[name]
    with pytest.raises(Exception) as theirs:
        torch.load(io.BytesIO(data), weights_only=True)
    expected = type(theirs.value) if type(theirs.value) in CLEAN else pickle.UnpicklingError
    expected = OVERRIDES.get(name, expected)
    with pytest.raises(Exception) as mine:
        pyfront.load(io.BytesIO(data))
    assert type(mine.value) is expected, (type(theirs.value), mine.value)
    assert str(mine.value)


@pytest.mark.parametrize("name,expected", [
    ("empty", "Ran out of input"), ("text", "invalid load key, b'h'"),
    ("plain pickle", "Invalid magic number"),
    ("tensor past its storage", "Trying to resize storage that is not resizable"),
    ("numel overflows int64", "numel: integer multiplication overflow"),
    ("unknown location tag", "don't know how to restore data location")])
def test_damaged_file_messages_start_as_torchs(name, expected):
    with pytest.raises(CLEAN, match=expected):
        pyfront.load(io.BytesIO(CASES[name]))


def test_ordered_dict_build_may_not_hide_its_methods():
    for attribute in ("keys", "items", "values", "get", "pop"):
        data = archive(P + call("collections", "OrderedDict") + b"}" + S(attribute) + b"K\x01sb.")
        with pytest.raises(pickle.UnpicklingError, match="refused BUILD"):
            pyfront.load(io.BytesIO(data))
    data = archive(P + call("collections", "OrderedDict") + b"}" + S("_metadata") + b"}sb.")
    assert pyfront.load(io.BytesIO(data))._metadata == {}  # a state_dict's own attribute still loads


# -- zero-element tensors with huge dimensions: torch loads and uses them, so pyfront does -------
HUGE = [((2 ** 61, 0), (1, 1)), ((0, 2 ** 62), (2 ** 62, 1)), ((3, 0), (4, 2 ** 62)),
        ((0, 2 ** 63 - 1), (1, 1)), ((2 ** 40, 0, 2 ** 20), (0, 0, 0)), ((2 ** 62, 2, 0), (0, 0, 0))]


def _huge(size, stride):
    data = archive(P + tensor(size=size, stride=stride) + b".")
    return pyfront.load(io.BytesIO(data)), torch.load(io.BytesIO(data), weights_only=True)


@pytest.mark.parametrize("size,stride", HUGE)
def test_zero_element_tensor_with_huge_dims_is_usable(size, stride):
    mine, theirs = _huge(size, stride)
    assert tuple(mine.shape) == tuple(theirs.shape) and mine.stride() == theirs.stride()
    assert repr(mine) == repr(theirs)
    if math.prod(theirs.shape[:list(theirs.shape).index(0)]) <= 1000:  # torch builds the lists too
        assert mine.tolist() == theirs.tolist()
    for op in [lambda t: t + 1, lambda t: t * t, lambda t: -t, lambda t: t.clone(), lambda t: t.contiguous(),
               lambda t: t.double(), lambda t: t == t, lambda t: t.reshape(-1), lambda t: t.flatten(),
               lambda t: t.sum(), lambda t: t.mean(),
               lambda t: t.sum(dim=list(t.shape).index(max(t.shape))),
               lambda t: t.transpose(0, 1), lambda t: t[1:], lambda t: t.unsqueeze(0)]:
        got, want = op(mine), op(theirs)
        assert tuple(got.shape) == tuple(want.shape) and got.dtype.name == str(want.dtype)[6:]
        if want.numel():  # a reduction's value: 0 for a sum, nan for a mean, as torch gives
            torch.testing.assert_close(torch.tensor(got.tolist(), dtype=want.dtype), want, equal_nan=True)
    zero = list(theirs.shape).index(0)  # summed away: the result keeps the huge dimensions
    try:
        want = theirs.sum(dim=zero)
    except RuntimeError:  # torch can't allocate it either
        with pytest.raises(RuntimeError):
            mine.sum(dim=zero)
    else:
        assert mine.sum(dim=zero).tolist() == want.tolist()
    buf = io.BytesIO()
    pyfront.save(mine, buf)
    buf.seek(0)
    assert torch.load(buf, weights_only=True).shape == theirs.shape


@pytest.mark.parametrize("size", [(2 ** 62,), (2 ** 31, 2 ** 31)])
def test_broadcast_view_past_memory_prints_and_fails_as_torch(size):
    """A stride-0 view over one element may have 2**62 elements: it prints, indexes and reduces a
    slice; what would have to allocate it fails with torch's RuntimeError and text."""
    data = archive(P + tensor(size=size, stride=(0,) * len(size)) + b".")
    mine, theirs = pyfront.load(io.BytesIO(data)), torch.load(io.BytesIO(data), weights_only=True)
    assert repr(mine) == repr(theirs)
    corner = (5,) * len(size)
    assert mine[corner].item() == theirs[corner].item() and mine[:3].sum().item() == theirs[:3].sum().item()
    for op in (lambda t: t + 1, lambda t: t.contiguous()):
        with pytest.raises(RuntimeError) as want:
            op(theirs)
        with pytest.raises(RuntimeError) as got:
            op(mine)
        assert str(got.value) == str(want.value).split("\n")[0]


# -- the seeded fuzz ---------------------------------------------------------------------------
def test_seeded_fuzz_of_checkpoints_and_safetensors():
    """20,000 mutated checkpoints and safetensors files: each loads (and is usable) or fails with
    an allowed type. ``python tests/fuzz_checkpoints.py --n 1000000`` runs a longer search."""
    started = time.time()
    counts, escaped = fuzz_checkpoints.run(20_000, seed=0)
    report = [f"{what}: {type(e).__name__}: {e}" for what, _, e in escaped[:10]]
    assert not escaped, "\n".join(report)
    assert counts["loaded"] > 1000 and counts["UnpicklingError"] > 1000 and counts["EOFError"] > 100, counts
    assert counts["SafetensorError"] > 1000, counts
    print(f"fuzz: {dict(counts)} in {time.time() - started:.1f} s", file=sys.stderr)


def test_fuzz_script_runs_by_hand(tmp_path):
    import subprocess
    out = subprocess.run([sys.executable, fuzz_checkpoints.__file__, "--n", "200", "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "loaded" in out.stdout and list(tmp_path.iterdir()) == []


# -- truncated checkpoints (found by a user's damaged-file check, s28) ----------------------------------
# miniz looks for the end record from the end in 4 KiB windows stepped back 4093 bytes in unsigned
# arithmetic: a file of 4 to ~68 KiB steps to a negative offset, and the Python file's own seek error
# (OSError on disk, ValueError on a BytesIO) is what torch.load raises; shorter or longer ones fail as
# miniz reports it (RuntimeError)
BIG = _torch_zip({"w": torch.arange(20000.0)})  # ~80 KiB
CUTS = [0, 10, 21, 100, 4096, 4100, 5000, 8189, 8190, 30000, 68000, 69700, 75000, len(BIG) - 22, len(BIG) - 1]


def _load_outcome(lib, data, where, tmp_path):
    if where == "file":
        path = tmp_path / f"cut_{lib.__name__}.pt"
        path.write_bytes(data)
        source = str(path)
    else:
        source = io.BytesIO(data)
    try:
        lib.load(source)
    except Exception as e:  # noqa: BLE001 -- the type is what is compared, and a seek's text
        return type(e), str(e) if isinstance(e, (OSError, ValueError)) else None
    return "loaded", None


@pytest.mark.parametrize("where", ["file", "bytes"])
def test_truncated_checkpoint_fails_as_torchs(where, tmp_path):
    got = [_load_outcome(pyfront, BIG[:n], where, tmp_path) for n in CUTS]
    want = [_load_outcome(torch, BIG[:n], where, tmp_path) for n in CUTS]
    assert list(zip(CUTS, got)) == list(zip(CUTS, want))


@pytest.mark.parametrize("n,expected", [(10, "not a ZIP archive"), (100, "failed finding central directory"),
                                        (69700, "failed finding central directory")])
def test_truncated_checkpoint_messages_start_as_torchs(n, expected):
    with pytest.raises(RuntimeError, match="PytorchStreamReader failed reading zip archive: " + expected):
        pyfront.load(io.BytesIO(BIG[:n]))
