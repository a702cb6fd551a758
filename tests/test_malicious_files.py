"""Crafted checkpoints: each is refused with a clear error, and nothing in it ever runs.

Every payload is hand-assembled pickle bytes inside a real PyTorch zip archive. Those that would
run code under ``pickle.loads`` do run it there (test_the_corpus_is_real), so the corpus is live.
"""
import io
import pickle
import struct
import subprocess
import sys
import zipfile

import pytest
import torch

import pyfront
from pyfront.serialization import zipformat

P = b"\x80\x02"  # PROTO 2


def S(text: str) -> bytes:
    data = text.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def G(module: str, name: str) -> bytes:
    return f"c{module}\n{name}\n".encode()


def I(v: int) -> bytes:  # noqa: E743
    if -2 ** 31 <= v < 2 ** 31:
        return b"J" + struct.pack("<i", v)
    data = v.to_bytes((v.bit_length() + 8) // 8, "little", signed=True)
    return b"\x8a" + bytes([len(data)]) + data


def TUP(values) -> bytes:
    return b"(" + b"".join(I(v) for v in values) + b"t"


def call(module: str, name: str, *args: bytes) -> bytes:
    return G(module, name) + b"(" + b"".join(args) + b"tR"


def tensor(key="0", numel=4, offset=0, size=(4,), stride=(1,), storage=("torch", "FloatStorage"),
           offset_bytes=None) -> bytes:
    """``torch._utils._rebuild_tensor_v2`` exactly as torch.save writes it, with every field settable."""
    pid = b"((" + S("storage") + G(*storage) + S(key) + S("cpu") + I(numel) + b"tQ"
    hooks = call("collections", "OrderedDict")
    rest = (offset_bytes or I(offset)) + TUP(size) + TUP(stride) + b"\x89" + hooks
    return G("torch._utils", "_rebuild_tensor_v2") + pid + rest + b"tR"


def archive(pkl: bytes, records=None) -> bytes:
    buf = io.BytesIO()
    zw = zipformat.ZipWriter(buf, "archive")
    zw.write("data.pkl", pkl)
    zw.write("byteorder", b"little")
    zw.write("version", b"3\n")
    for name, data in (records if records is not None else {"data/0": bytes(16)}).items():
        zw.write(name, data)
    zw.close()
    return buf.getvalue()


def corpus(canary: str):
    """(name, archive bytes, text the error must contain, runs code under pickle.loads)."""
    touch = f"touch {canary}"
    cases = [
        ("os.system", P + G("os", "system") + S(touch) + b"\x85R.", "os.system", True),
        ("posix.system", P + G("posix", "system") + S(touch) + b"\x85R.", "posix.system", True),
        ("eval", P + G("builtins", "eval") + S(f"open({canary!r}, 'w')") + b"\x85R.", "GLOBAL eval ", True),
        ("exec py2 name", P + G("__builtin__", "exec") + S(f"open({canary!r}, 'w')") + b"\x85R.",
         "GLOBAL exec ", True),
        ("subprocess", P + G("subprocess", "check_call") + b"(" + b"]" + b"(" + S("touch") + S(canary)
         + b"e" + b"tR.", "subprocess.check_call", True),
        ("__import__", P + G("builtins", "__import__") + S("os") + b"\x85R.", "GLOBAL __import__ ", False),
        ("getattr", P + G("builtins", "getattr") + G("collections", "OrderedDict") + S("fromkeys")
         + b"\x86R.",
         "GLOBAL getattr ", False),
        ("STACK_GLOBAL", b"\x80\x04" + S("os") + S("system") + b"\x93" + S(touch) + b"\x85R.", "os.system",
         True),
        ("INST", P + b"(" + S(touch) + b"ios\nsystem\n.", "INST", True),
        ("OBJ", P + b"(" + G("collections", "OrderedDict") + b"o.", "OBJ", False),
        ("NEWOBJ", P + G("collections", "OrderedDict") + b")\x81.", "NEWOBJ", False),
        ("EXT1", P + b"\x82\x01.", "EXT1", False),
        ("PERSID text", P + b"Pstorage\n.", "PERSID", False),
        ("numpy reconstruct", P + G("numpy.core.multiarray", "_reconstruct") + b")R.",
         "numpy.core.multiarray._reconstruct", False),
        ("functools.partial", P + G("functools", "partial") + G("os", "system") + b"\x85R.",
         "functools.partial", False),
        ("torch.load", P + G("torch", "load") + S("other.pt") + b"\x85R.", "torch.load", False),
        ("copyreg", P + G("copy_reg", "_reconstructor") + b")R.", "copy_reg._reconstructor", False),
        ("call a storage type", P + G("torch", "FloatStorage") + b")R.", "refused call of torch.FloatStorage",
         False),
        ("call a dtype", P + G("torch", "float32") + b")R.", "refused call of torch.float32", False),
        ("codecs non-latin1", P + call("_codecs", "encode", S("x"), S("rot13")) + b".", "latin1", False),
        ("setitem on a list", P + b"]K\x00K\x01s.", "item-setting on a list", False),
        ("setitems on a tuple", P + b")(K\x00K\x01u.", "item-setting on a tuple", False),
        ("append to a dict", P + b"}K\x01a.", "APPEND to a dict", False),
        ("BUILD on a list", P + b"]}" + S("append") + b"K\x01sb.", "BUILD of a list", False),
        ("BUILD __class__", P + call("collections", "OrderedDict") + b"}" + S("__class__") + b"K\x01sb.",
         "refused BUILD", False),
        ("memo miss", P + b"h\x07.", "memo entry 7", False),
        ("stack underflow", P + b"R.", "stack underflow", False),
        ("huge string", P + b"X\xff\xff\xff\xff" + b"a" * 8 + b".", "truncated", False),
        ("module pid", P + b"(" + S("module") + b"NNNt" + b"Q.", "refused persistent id 'module'", False),
        ("storage size mismatch", P + tensor(numel=400) + b".", "holds 16 bytes where its storage needs 1600",
         False),
        ("huge declared storage", P + tensor(numel=2 ** 62) + b".", "its storage needs", False),
        ("out-of-bounds strides", P + tensor(size=(2, 2), stride=(100, 1)) + b".",
         "not resizable: the tensor (size [2, 2], stride [100, 1], offset 0, storage '0') needs 102", False),
        ("offset past the end", P + tensor(offset=9) + b".", "needs 13 elements, the storage holds 4", False),
        ("negative stride", P + tensor(size=(4,), stride=(-1,)) + b".", "Negative strides", False),
        ("too many elements", P + tensor(size=(2 ** 40, 2 ** 40), stride=(0, 0)) + b".",
         "numel: integer multiplication overflow", False),
        ("too many elements, then a zero", P + tensor(size=(2 ** 40, 2 ** 40, 0), stride=(0, 0, 1)) + b".",
         "numel: integer multiplication overflow", False),
        ("size past int64", P + tensor(size=(2 ** 63, 0), stride=(1, 1)) + b".", "size must be an int",
         False),
        ("unknown location", P + tensor().replace(S("cpu"), S("LongStorage")) + b".",
         "don't know how to restore data location", False),
        ("BUILD keys", P + call("collections", "OrderedDict") + b"}" + S("keys") + b"K\x01sb.",
         "refused BUILD", False),
        ("size/stride rank", P + tensor(size=(2, 2), stride=(1,)) + b".", "differ in length", False),
        ("offset not an int", P + tensor(offset_bytes=S("0")) + b".", "storage_offset must be an int", False),
        ("missing data record", P + tensor(key="7") + b".", "no data record", False),
        ("storage re-declared", P + b"](" + tensor() + tensor(storage=("torch", "LongStorage"), numel=2)
         + b"e.",
         "declared twice", False),
        ("tensor without storage", P + G("torch._utils", "_rebuild_tensor_v2") + b"(]" + I(0) + TUP([1])
         + TUP([1]) + b"\x89}tR.", "needs a storage reference", False),
        ("bad protocol", b"\x80\x09N.", "protocol 9", False),
        ("trailing opcodes", P + b"N.N", "bytes after its end", False),
    ]
    return [(name, archive(pkl), expected, live) for name, pkl, expected, live in cases]


def test_corpus_size():
    assert len(corpus("x")) >= 15


@pytest.mark.parametrize("index", range(len(corpus("x"))), ids=[c[0] for c in corpus("x")])
def test_malicious_checkpoint_is_refused(tmp_path, index):
    canary = tmp_path / "canary"
    name, data, expected, _ = corpus(str(canary))[index]
    path = tmp_path / "evil.pt"
    path.write_bytes(data)
    with pytest.raises((pickle.UnpicklingError, RuntimeError, EOFError)) as info:
        pyfront.load(path)
    assert expected in str(info.value), str(info.value)
    assert not canary.exists()


def test_the_corpus_is_real(tmp_path):
    """The plain pickle module does run the live payloads: each creates its canary."""
    for name, data, _, live in corpus(str(tmp_path / "proof")):
        if not live:
            continue
        with zipfile.ZipFile(io.BytesIO(data)) as zf:  # the pickle is the data.pkl record
            pkl = zf.read("archive/data.pkl")
        proof = tmp_path / "proof"
        code = "import pickle, sys; pickle.loads(sys.stdin.buffer.read())"
        run = subprocess.run([sys.executable, "-c", code], input=pkl, capture_output=True, timeout=120)
        assert proof.exists(), f"{name}: {run.returncode} {run.stderr.decode()[-500:]}"
        proof.unlink()


def test_legacy_format_is_guarded_too(tmp_path):
    canary = tmp_path / "canary"
    parts = (0x1950A86A20F9469CFC6C, 1001, {"little_endian": True})  # legacy magic, protocol, sys_info
    header = b"".join(pickle.dumps(x, protocol=2) for x in parts)
    evil = header + P + G("os", "system") + S(f"touch {canary}") + b"\x85R." + pickle.dumps([], protocol=2)
    with pytest.raises(pickle.UnpicklingError, match="os.system"):
        pyfront.load(io.BytesIO(evil))
    assert not canary.exists()


def test_legacy_storage_records_are_checked(tmp_path):
    torch.save({"a": torch.ones(3)}, tmp_path / "l.pt", _use_new_zipfile_serialization=False)
    good = (tmp_path / "l.pt").read_bytes()
    size_at = len(good) - 12 - 8  # the int64 element count before the 12 data bytes
    bad_count = good[:size_at] + struct.pack("<q", 1000) + good[size_at + 8:]
    with pytest.raises(RuntimeError, match="disagrees"):
        pyfront.load(io.BytesIO(bad_count))
    with pytest.raises(RuntimeError, match="unexpected bytes"):
        pyfront.load(io.BytesIO(good + b"\0"))


def test_well_formed_control_loads(tmp_path):
    """The same builders make a file that loads, so each refusal above is about its one defect."""
    data = archive(P + tensor(size=(2, 2), stride=(2, 1)) + b".", {"data/0": struct.pack("<4f", 1, 2, 3, 4)})
    assert pyfront.load(io.BytesIO(data)).tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert torch.load(io.BytesIO(data), weights_only=True).tolist() == [[1.0, 2.0], [3.0, 4.0]]
