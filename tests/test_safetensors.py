"""pyfront.safetensors: the format per its specification, round trips, and a corpus of broken files."""
import json
import struct

import numpy as np
import pytest
import torch

import pyfront
import pyfront.safetensors as st

CODES = {"float32": "F32", "float64": "F64", "float16": "F16", "int64": "I64", "int32": "I32", "int16": "I16",
         "int8": "I8", "uint8": "U8", "bool": "BOOL"}


def build(entries: dict, blobs: bytes, metadata=None, pad: bytes = b"") -> bytes:
    """A safetensors file assembled by hand from the specification (independent of pyfront's writer)."""
    header = dict(entries)
    if metadata is not None:
        header["__metadata__"] = metadata
    text = json.dumps(header).encode() + pad
    return struct.pack("<Q", len(text)) + text + blobs


def _values(dtype: str, shape, seed=0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return np.asarray(rng.random(shape) < 0.5)
    if dtype.startswith("float"):
        return np.asarray(rng.standard_normal(shape).astype(dtype))
    return np.asarray(rng.integers(-100 if dtype != "uint8" else 0, 100, size=shape).astype(dtype))


@pytest.mark.parametrize("dtype", list(CODES))
@pytest.mark.parametrize("shape", [(), (0,), (3,), (2, 0, 3), (2, 3, 4)])
def test_reads_hand_built_files_bit_exact(dtype, shape):
    a, b = _values(dtype, shape), _values(dtype, (2,), seed=1)
    # little-endian bytes, offsets relative to the data start, sorted and contiguous
    entries = {"a": {"dtype": CODES[dtype], "shape": list(shape), "data_offsets": [0, a.nbytes]},
               "b": {"dtype": CODES[dtype], "shape": [2], "data_offsets": [a.nbytes, a.nbytes + b.nbytes]}}
    out = st.load(build(entries, a.astype(a.dtype.newbyteorder("<")).tobytes() + b.tobytes(), {"k": "v"}))
    assert list(out) == ["a", "b"]
    for name, arr in (("a", a), ("b", b)):
        assert tuple(out[name].shape) == arr.shape and out[name].dtype.name == dtype
        assert np.ascontiguousarray(out[name].numpy()).tobytes() == arr.tobytes()


@pytest.mark.parametrize("dtype", list(CODES))
def test_written_files_follow_the_spec(dtype):
    x = _values(dtype, (3, 2))
    data = st.save({"x": pyfront.tensor(x), "y": pyfront.tensor(x).t()}, metadata={"format": "pt"})
    n = struct.unpack("<Q", data[:8])[0]
    assert (8 + n) % 8 == 0 and data[8:9] == b"{"
    header = json.loads(data[8:8 + n])
    assert header["__metadata__"] == {"format": "pt"}
    assert header["x"] == {"dtype": CODES[dtype], "shape": [3, 2], "data_offsets": [0, x.nbytes]}
    assert header["y"] == {"dtype": CODES[dtype], "shape": [2, 3], "data_offsets": [x.nbytes, 2 * x.nbytes]}
    assert data[8 + n:] == x.tobytes() + np.ascontiguousarray(x.T).tobytes()
    assert st.load_metadata(data) == {"format": "pt"}


def test_file_round_trip_with_torch_tensors_and_bfloat16(tmp_path):
    t = torch.randn(3, 4).to(torch.bfloat16)
    raw = t.view(torch.int16).numpy().tobytes()
    path = tmp_path / "m.safetensors"
    path.write_bytes(build({"w": {"dtype": "BF16", "shape": [3, 4], "data_offsets": [0, 24]}}, raw))
    w = st.load_file(path)["w"]
    assert w.dtype is pyfront.bfloat16 and w.float().numpy().tobytes() == t.float().numpy().tobytes()
    st.save_file({"w": w, "i": pyfront.arange(5)}, tmp_path / "o.safetensors", metadata={"a": "b"})
    back = st.load_file(tmp_path / "o.safetensors")
    assert back["w"].dtype is pyfront.bfloat16 and back["i"].tolist() == list(range(5))
    assert back["w"].float().numpy().tobytes() == t.float().numpy().tobytes()
    import safetensors.torch as sft  # the reference reads our BF16 as torch's bfloat16, bit for bit
    theirs = sft.load_file(str(tmp_path / "o.safetensors"))["w"]
    assert theirs.dtype == torch.bfloat16 and torch.equal(theirs.view(torch.int16), t.view(torch.int16))


def test_reference_library_reads_ours_and_we_read_its(tmp_path):
    import safetensors.torch as sft  # the reference implementation, a test dependency
    theirs = {"a": torch.randn(3, 4), "b": torch.arange(5), "h": torch.randn(2, dtype=torch.float16)}
    sft.save_file(theirs, tmp_path / "r.safetensors", metadata={"format": "pt"})
    ours = st.load_file(tmp_path / "r.safetensors")
    for k, v in theirs.items():
        assert ours[k].numpy().tobytes() == v.numpy().tobytes()
    st.save_file(ours, tmp_path / "o.safetensors")
    back = sft.load_file(tmp_path / "o.safetensors")
    for k, v in theirs.items():
        assert torch.equal(back[k], v)


def test_bad_inputs_to_save():
    with pytest.raises(TypeError):
        st.save({"a": [1, 2]})
    with pytest.raises(TypeError):
        st.save({"a": pyfront.ones(1)}, metadata={"k": 1})
    with pytest.raises(ValueError):
        st.save({"__metadata__": pyfront.ones(1)})


def test_dtypes_pyfront_lacks_are_named():
    with pytest.raises(st.SafetensorError, match="F6_E2M3"):  # (U16, F8_E4M3, ...: loaded since s26)
        st.load(build({"a": {"dtype": "F6_E2M3", "shape": [1], "data_offsets": [0, 1]}}, b"\0"))


F32 = {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}


def _malformed():
    """(name, bytes, text the error must contain): each breaks one rule of the format."""
    ok = build({"a": F32}, bytes(8))
    n = struct.unpack("<Q", ok[:8])[0]
    two = {"a": F32, "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}

    def with_header(text: bytes, blobs=bytes(8)):
        return struct.pack("<Q", len(text)) + text + blobs

    return [
        ("empty", b"", "too short"),
        ("short length", b"\x10\x00\x00", "too short"),
        ("length past end", struct.pack("<Q", 1000) + b"{}", "truncated"),
        ("header over cap", struct.pack("<Q", 100_000_001) + b"{}", "more than"),
        ("zero header", struct.pack("<Q", 0), "start with '{'"),
        ("leading space", with_header(b' {"a":1}'), "start with '{'"),
        ("array header", with_header(b"[1, 2]"), "start with '{'"),
        ("not utf-8", with_header(b'{"\xff": 1}'), "UTF-8"),
        ("not json", with_header(b"{nope}"), "JSON"),
        ("trailing garbage", with_header(b'{"a": ' + json.dumps(F32).encode() + b"}x"), "JSON"),
        ("NUL padding", struct.pack("<Q", n + 1) + ok[8:8 + n] + b"\0" + ok[8 + n:], "JSON"),
        ("NaN constant", with_header(b'{"a": NaN}'), "NaN"),
        ("duplicate key", with_header(b'{"a": ' + json.dumps(F32).encode() + b', "a": '
                                      + json.dumps(F32).encode() + b"}"), "duplicate key"),
        ("entry not an object", build({"a": [1]}, bytes(8)), "exactly the fields"),
        ("missing dtype", build({"a": {"shape": [2], "data_offsets": [0, 8]}}, bytes(8)),
         "exactly the fields"),
        ("extra field", build({"a": {**F32, "x": 1}}, bytes(8)), "exactly the fields"),
        ("unknown dtype", build({"a": {**F32, "dtype": "F33"}}, bytes(8)), "unknown dtype"),
        ("dtype not a string", build({"a": {**F32, "dtype": 4}}, bytes(8)), "dtype that is not a string"),
        ("negative dim", build({"a": {**F32, "shape": [-2]}}, bytes(8)), "non-negative"),
        ("bool dim", build({"a": {**F32, "shape": [True, 2]}}, bytes(8)), "non-negative"),
        ("float dim", build({"a": {**F32, "shape": [2.0]}}, bytes(8)), "non-negative"),
        ("shape not a list", build({"a": {**F32, "shape": 2}}, bytes(8)), "non-negative"),
        ("offsets length", build({"a": {**F32, "data_offsets": [0, 4, 8]}}, bytes(8)), "list of 2"),
        ("offsets negative", build({"a": {**F32, "data_offsets": [-8, 0]}}, bytes(8)), "non-negative"),
        ("offsets reversed", build({"a": {**F32, "data_offsets": [8, 0]}}, bytes(8)), "needs 8 bytes"),
        ("byte length mismatch", build({"a": {**F32, "shape": [3]}}, bytes(8)), "needs 12 bytes"),
        ("huge shape", build({"a": {**F32, "shape": [2 ** 40, 2 ** 40]}}, bytes(8)), "overflows int64"),
        ("overlap", build({"a": F32, "b": {**F32, "data_offsets": [4, 12]}}, bytes(12)), "contiguous"),
        ("hole", build({"a": F32, "b": {**F32, "data_offsets": [12, 20]}}, bytes(20)), "contiguous"),
        ("not from zero", build({"a": {**F32, "data_offsets": [4, 12]}}, bytes(12)), "starts at byte 4"),
        ("trailing data", build({"a": F32}, bytes(9)), "cover 8 data bytes but the file holds 9"),
        ("truncated data", build(two, bytes(12)), "cover 16 data bytes but the file holds 12"),
        ("metadata value not str", build({"a": F32}, bytes(8), {"k": 1}), "strings to strings"),
        ("metadata not a dict", build({"a": F32}, bytes(8), ["k"]), "strings to strings"),
        ("nested metadata", build({"a": F32}, bytes(8), {"k": {"x": "y"}}), "strings to strings"),
        ("deep nesting", with_header(b'{"a": ' + b"[" * 100000 + b"]" * 100000 + b"}"), "nested too deeply"),
    ]


def test_corpus_size():
    assert len(_malformed()) >= 25


@pytest.mark.parametrize("index", range(len(_malformed())), ids=[c[0] for c in _malformed()])
def test_malformed_file_is_rejected(tmp_path, index):
    name, data, expected = _malformed()[index]
    with pytest.raises(st.SafetensorError) as info:
        st.load(data)
    assert expected in str(info.value), str(info.value)
    path = tmp_path / "bad.safetensors"
    path.write_bytes(data)
    with pytest.raises(st.SafetensorError):
        pyfront.load(path)


def test_every_truncated_prefix_is_rejected():
    data = st.save({"a": pyfront.arange(6, dtype=pyfront.float32).reshape(2, 3), "b": pyfront.tensor([True])},
                   metadata={"k": "v"})
    assert st.load(data)["a"].shape == (2, 3)
    for n in range(len(data)):
        with pytest.raises(st.SafetensorError):
            st.load(data[:n])
