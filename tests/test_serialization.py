"""pyfront.save / pyfront.load against real torch.save / torch.load, both ways, bit-exact."""
import io
import pathlib
import pickle
import random
import struct
import zipfile
from collections import OrderedDict

import numpy as np
import pytest
import torch

import pyfront
from pyfront.serialization import zipformat

DTYPES = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"]
KINDS = ["0d", "empty", "vector", "3d", "transposed", "sliced", "expanded"]


def _data(dtype: str, shape, rng) -> np.ndarray:
    if dtype == "bool":
        return np.asarray(rng.random(shape) < 0.5)
    if dtype.startswith("float"):  # raw bit patterns: NaN payloads, infinities, subnormals, -0.0
        bits = rng.integers(0, 256, size=(*shape, np.dtype(dtype).itemsize), dtype=np.uint8)
        return bits.view(dtype).reshape(shape)
    info = np.iinfo(dtype)
    return np.asarray(rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True))


def _pair(kind: str, dtype: str, seed: int = 0):
    """The same tensor, with the same layout (strides, offset, shared storage), in pyfront and torch."""
    rng = np.random.default_rng(seed)
    shape = {"0d": (), "empty": (0, 3), "vector": (7,), "3d": (2, 3, 4), "transposed": (3, 5),
             "sliced": (4, 6), "expanded": (1, 4)}[kind]
    if dtype == "bfloat16":  # no NumPy dtype: float32 bit patterns rounded, NaN aside (its bits are torch's
        # choice by kernel: test_bfloat16 compares values, this file bytes)
        base = np.asarray(np.nan_to_num(_data("float32", shape, rng), nan=0.0, posinf=np.inf, neginf=-np.inf))
        p = pyfront.tensor(base).to(pyfront.bfloat16)
        t = torch.empty(shape, dtype=torch.bfloat16).copy_(torch.from_numpy(base))
    else:
        base = _data(dtype, shape, rng)
        p = pyfront.tensor(base)
        t = torch.empty(shape, dtype=getattr(torch, dtype)).copy_(torch.from_numpy(base))
    if kind == "transposed":
        p, t = p.t(), t.t()
    elif kind == "sliced":
        p, t = p[1:3, 2:5], t[1:3, 2:5]
    elif kind == "expanded":
        p, t = p.expand(3, 4), t.expand(3, 4)
    return p, t


def _bytes(x) -> bytes:
    """The elements' bytes in logical (row-major) order."""
    if isinstance(x, torch.Tensor):
        x = x.detach()
        arr = x.float().numpy() if x.dtype == torch.bfloat16 else x.numpy()
    else:  # bfloat16 has no NumPy array (torch's numpy() refuses it): its float32 values, exact
        arr = x.detach().float().numpy() if x.dtype is pyfront.bfloat16 else x.detach().numpy()
    return np.ascontiguousarray(arr).tobytes()


def _assert_same_tensor(p, t):
    """Bit-exact equality, plus the same layout: shape, strides, storage offset and dtype."""
    assert isinstance(p, pyfront.Tensor), type(p)
    assert tuple(p.shape) == tuple(t.shape)
    assert tuple(p.stride()) == tuple(t.stride())
    assert p.storage_offset() == t.storage_offset()
    assert p.dtype.name == str(t.dtype).replace("torch.", "")
    assert _bytes(p) == _bytes(t)
    assert p.requires_grad == t.requires_grad


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind", KINDS)
def test_torch_reads_what_pyfront_writes(tmp_path, dtype, kind):
    p, t = _pair(kind, dtype)
    pyfront.save({"t": p}, tmp_path / "x.pt")
    back = torch.load(tmp_path / "x.pt", weights_only=True)["t"]
    assert back.dtype == t.dtype and back.shape == t.shape
    assert back.stride() == t.stride() and back.storage_offset() == t.storage_offset()
    assert _bytes(back) == _bytes(t)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind", KINDS)
def test_pyfront_reads_what_torch_writes(tmp_path, dtype, kind):
    _, t = _pair(kind, dtype)
    torch.save({"t": t}, tmp_path / "x.pt")
    _assert_same_tensor(pyfront.load(tmp_path / "x.pt")["t"], t)


def test_bfloat16_views_keep_strides_and_offsets(tmp_path):
    base = torch.randn(4, 6).to(torch.bfloat16)
    torch.save([base[1:3, 2:5], base.t(), base], tmp_path / "bf.pt")
    views = pyfront.load(tmp_path / "bf.pt")
    for p, t in zip(views, [base[1:3, 2:5], base.t(), base]):
        _assert_same_tensor(p, t)
    assert views[0]._storage is views[1]._storage is views[2]._storage


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind", KINDS)
def test_pyfront_round_trip_is_bit_exact(dtype, kind):
    p, t = _pair(kind, dtype, seed=1)
    buf = io.BytesIO()
    pyfront.save(p, buf)
    buf.seek(0)
    _assert_same_tensor(pyfront.load(buf), t)


def test_views_are_saved_once_and_stay_shared_both_ways(tmp_path):
    base = pyfront.arange(24, dtype=pyfront.float32).reshape(4, 6)
    pyfront.save({"base": base, "row": base[2], "col": base[:, 1], "t": base.t()}, tmp_path / "v.pt")
    with zipfile.ZipFile(tmp_path / "v.pt") as z:
        assert [n for n in z.namelist() if "/data/" in n] == ["archive/data/0"]
    tl = torch.load(tmp_path / "v.pt", weights_only=True)
    ptr = tl["base"].untyped_storage().data_ptr()
    assert all(v.untyped_storage().data_ptr() == ptr for v in tl.values())
    assert tl["col"].stride() == (6,) and tl["col"].storage_offset() == 1
    tl["base"][0, 1] = 100.0  # one memory: the write shows through every view
    assert tl["col"][0] == 100.0 and tl["t"][1, 0] == 100.0
    pl = pyfront.load(tmp_path / "v.pt")
    assert len({id(v._storage) for v in pl.values()}) == 1
    pl["base"][0, 1] = 7.0
    assert pl["col"][0].item() == 7.0

    tb = torch.arange(24.0).reshape(4, 6)
    torch.save({"base": tb, "row": tb[2], "t": tb.t()}, tmp_path / "tv.pt")
    pv = pyfront.load(tmp_path / "tv.pt")
    assert pv["row"]._storage is pv["base"]._storage is pv["t"]._storage
    _assert_same_tensor(pv["row"], tb[2])


def test_same_object_twice_loads_as_one_object():
    t = pyfront.ones(3)
    buf = io.BytesIO()
    pyfront.save([t, t, (t,)], buf)
    buf.seek(0)
    a, b, (c,) = pyfront.load(buf)
    assert a is b is c


def test_nested_python_values_round_trip_and_torch_reads_them(tmp_path):
    obj = {"int": 3, "neg": -70000, "big": 2 ** 70, "float": 1.5, "nan_inf": [float("inf")],
           "str": "héllo \U0001F600", "none": None, "flags": (True, False), "bytes": b"\x00\xff",
           "empty": b"",
           "list": [1, [2, [3, []]]], "tuple": (1, 2, 3, 4, 5), "set": {1, 2},
           "size": pyfront.Size([2, 3]), "dtype": pyfront.int16, 7: "int key", "long": list(range(2500)),
           "od": OrderedDict([("b", 1), ("a", 2)])}
    pyfront.save(obj, tmp_path / "n.pt")
    back = pyfront.load(tmp_path / "n.pt")
    expected = torch.load(tmp_path / "n.pt", weights_only=True)
    for key, value in expected.items():
        if key == "size":
            assert back[key] == pyfront.Size([2, 3]) and type(back[key]) is pyfront.Size
        elif key == "dtype":
            assert back[key] is pyfront.int16 and value is torch.int16
        else:
            assert back[key] == value and type(back[key]) is type(value), key
    assert list(back["od"]) == ["b", "a"]


def test_recursive_list_and_huge_int_round_trip():
    a = [-(2 ** 2100)]  # a LONG4 opcode (torch's weights_only reader lacks it; pyfront's has it)
    a.append(a)
    buf = io.BytesIO()
    pyfront.save(a, buf)
    buf.seek(0)
    b = pyfront.load(buf)
    assert b[0] == -(2 ** 2100) and b[1] is b


def test_state_dict_with_parameters_and_metadata_from_torch(tmp_path):
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2))
    sd = model.state_dict()
    frozen = torch.nn.Parameter(torch.ones(2), requires_grad=False)
    torch.save({"sd": sd, "param": model[0].weight, "frozen": frozen}, tmp_path / "m.pt")
    out = pyfront.load(tmp_path / "m.pt")
    assert type(out["sd"]) is OrderedDict and list(out["sd"]) == list(sd)
    assert out["sd"]._metadata == sd._metadata
    for k, v in sd.items():
        _assert_same_tensor(out["sd"][k], v)
    # a Parameter loads as a Parameter, as torch.load gives it back
    assert type(torch.load(tmp_path / "m.pt")["param"]) is torch.nn.Parameter
    assert type(out["param"]) is pyfront.nn.Parameter and out["param"].requires_grad and out["param"].is_leaf
    assert type(out["frozen"]) is pyfront.nn.Parameter
    _assert_same_tensor(out["param"], model[0].weight)
    assert not out["frozen"].requires_grad
    # and back: torch loads pyfront's copy of the state_dict, _metadata included
    pyfront.save(out["sd"], tmp_path / "again.pt")
    again = torch.load(tmp_path / "again.pt", weights_only=True)
    assert again._metadata == sd._metadata
    fresh = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2))
    fresh.load_state_dict(again)
    for k, v in fresh.state_dict().items():
        assert torch.equal(v, sd[k])


def _optimizer_state(lib):
    """A dict shaped exactly like ``optimizer.state_dict()`` (SGD with momentum), in ``lib``."""
    return {"state": {0: {"momentum_buffer": lib.tensor([0.5, -1.25, 3.0])},
                      1: {"momentum_buffer": lib.tensor([[1.0, 2.0]]), "step": lib.tensor(4.0)}},
            "param_groups": [{"lr": 0.1, "momentum": 0.9, "dampening": 0, "weight_decay": 0,
                              "nesterov": False, "maximize": False, "foreach": None,
                              "differentiable": False, "fused": None, "params": [0, 1]}]}


def test_optimizer_state_round_trips_both_ways(tmp_path):
    pyfront.save(_optimizer_state(pyfront), tmp_path / "opt.pt")
    theirs = torch.load(tmp_path / "opt.pt", weights_only=True)
    expected = _optimizer_state(torch)
    assert theirs["param_groups"] == expected["param_groups"]
    for i, state in expected["state"].items():
        for k, v in state.items():
            assert torch.equal(theirs["state"][i][k], v)
    ours = pyfront.load(tmp_path / "opt.pt")
    assert ours["param_groups"] == expected["param_groups"] and set(ours["state"]) == {0, 1}
    _assert_same_tensor(ours["state"][1]["step"], expected["state"][1]["step"])


@pytest.mark.parametrize("opt", ["SGD", "Adam"])
def test_real_torch_optimizer_state_dict_loads(tmp_path, opt):
    model = torch.nn.Linear(3, 2)
    extra = {"momentum": 0.9} if opt == "SGD" else {}
    optimizer = getattr(torch.optim, opt)(model.parameters(), lr=0.1, **extra)
    model(torch.randn(4, 3)).sum().backward()
    optimizer.step()
    sd = optimizer.state_dict()
    torch.save(sd, tmp_path / "o.pt")
    out = pyfront.load(tmp_path / "o.pt")
    assert out["param_groups"] == sd["param_groups"]
    for i, state in sd["state"].items():
        for k, v in state.items():
            _assert_same_tensor(out["state"][i][k], v)


@pytest.mark.parametrize("fmt", ["legacy", "protocol4", "folder_name", "file_object"])
def test_torch_file_variants(tmp_path, fmt):
    base = torch.arange(12, dtype=torch.int16).reshape(3, 4)
    obj = {"a": base.t(), "b": torch.randn(2, 3, dtype=torch.float64), "c": base[1], "x": 5}
    path = tmp_path / ("weird.name-1.bin" if fmt == "folder_name" else "t.pt")
    kwargs = {"legacy": dict(_use_new_zipfile_serialization=False), "protocol4": dict(pickle_protocol=4)}
    torch.save(obj, path, **kwargs.get(fmt, {}))
    if fmt == "folder_name":
        with zipfile.ZipFile(path) as z:
            assert z.namelist()[0].startswith("weird.name-1/")
    if fmt == "file_object":
        with open(path, "rb") as f:
            out = pyfront.load(io.BytesIO(f.read()))
    else:
        out = pyfront.load(str(path))
    for k in ("a", "b", "c"):
        _assert_same_tensor(out[k], obj[k])
    assert out["x"] == 5
    assert out["a"]._storage is out["c"]._storage


def test_big_endian_archive_is_byteswapped(tmp_path):
    t = torch.tensor([[1.5, -2.25], [3.0, 1e-3]], dtype=torch.float64)
    torch.save({"t": t, "h": t.to(torch.bfloat16)}, tmp_path / "le.pt")
    with zipfile.ZipFile(tmp_path / "le.pt") as z:
        names = z.namelist()
        prefix = names[0].split("/")[0]
        records = {n.split("/", 1)[1]: z.read(n) for n in names}
    buf = io.BytesIO()
    zw = zipformat.ZipWriter(buf, prefix)
    for name, data in records.items():
        if name == "byteorder":
            data = b"big"
        elif name.startswith("data/"):
            size = 8 if len(data) == 32 else 2
            data = b"".join(data[i:i + size][::-1] for i in range(0, len(data), size))
        zw.write(name, data)
    zw.close()
    buf.seek(0)
    out = pyfront.load(buf)
    _assert_same_tensor(out["t"], t)
    _assert_same_tensor(out["h"], t.to(torch.bfloat16))


def test_zip64_records_are_read_by_torch_and_pyfront(tmp_path, monkeypatch):
    monkeypatch.setattr(zipformat, "ZIP64_LIMIT", 0)  # every size and offset takes the ZIP64 form
    p, t = _pair("sliced", "float32")
    pyfront.save({"p": p}, tmp_path / "z.pt")
    with zipfile.ZipFile(tmp_path / "z.pt") as z:
        assert z.testzip() is None and all(i.extract_version == 45 for i in z.infolist())
    _assert_same_tensor(pyfront.load(tmp_path / "z.pt")["p"], t)
    assert _bytes(torch.load(tmp_path / "z.pt", weights_only=True)["p"]) == _bytes(t)


def test_records_are_64_byte_aligned(tmp_path):
    pyfront.save({"a": pyfront.ones(3), "b": pyfront.zeros(5, dtype=pyfront.int8)}, tmp_path / "a.pt")
    raw = (tmp_path / "a.pt").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.pt") as z:
        for info in z.infolist():
            name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26:info.header_offset + 30])
            assert (info.header_offset + 30 + name_len + extra_len) % 64 == 0, info.filename
    assert torch.load(tmp_path / "a.pt", mmap=True, weights_only=True)["a"].tolist() == [1.0] * 3


@pytest.mark.parametrize("where", ["cpu", "device", "dict", "callable"])
def test_map_location_to_cpu(tmp_path, where):
    torch.save({"w": torch.ones(2, 3)}, tmp_path / "m.pt")
    seen = []
    location = {"cpu": "cpu", "device": pyfront.device("cpu"), "dict": {"cpu": "cpu"},
                "callable": lambda storage, loc: seen.append(loc)}[where]
    out = pyfront.load(tmp_path / "m.pt", map_location=location)
    assert out["w"].device == pyfront.device("cpu") and out["w"].tolist() == [[1.0] * 3] * 2
    assert seen == (["cpu"] if where == "callable" else [])


def test_map_location_routes_through_tensor_to(tmp_path):
    base = torch.arange(6.0).reshape(2, 3)
    torch.save({"base": base, "col": base[:, 1]}, tmp_path / "m.pt")
    try:
        out = pyfront.load(tmp_path / "m.pt", map_location="webgpu")
    except RuntimeError as e:  # no usable WebGPU adapter on this machine: a clear error
        assert "webgpu" in str(e).lower() or "adapter" in str(e).lower(), e
    else:
        assert out["base"].device.type == "webgpu" and out["col"]._storage is out["base"]._storage
        assert out["col"].cpu().tolist() == [1.0, 4.0]
        pyfront.save(out, tmp_path / "back.pt")  # and a webgpu tensor saves through its backend
        assert torch.equal(torch.load(tmp_path / "back.pt", weights_only=True)["col"], base[:, 1])
    with pytest.raises(RuntimeError, match="cuda"):
        pyfront.load(tmp_path / "m.pt", map_location="cuda")


@pytest.mark.parametrize("dtype", ["complex32"])  # (uint16/32/64 and float8 load since s26)
def test_dtypes_pyfront_lacks_are_named(tmp_path, dtype):
    torch.save({"t": torch.zeros(2, dtype=getattr(torch, dtype))}, tmp_path / "c.pt")
    with pytest.raises(pickle.UnpicklingError, match=dtype):
        pyfront.load(tmp_path / "c.pt")


def test_saving_unsupported_objects_fails_cleanly(tmp_path):
    import threading
    with pytest.raises(TypeError, match="cannot pickle '_thread.lock' object"):  # torch.save's error
        pyfront.save({"f": threading.Lock()}, tmp_path / "bad.pt")
    assert list(tmp_path.iterdir()) == []


def test_safetensors_path_goes_through_safetensors(tmp_path):
    import pyfront.safetensors as st
    st.save_file({"a": pyfront.arange(3)}, tmp_path / "w.safetensors")
    assert pyfront.load(str(tmp_path / "w.safetensors"))["a"].tolist() == [0, 1, 2]
    with pytest.raises(RuntimeError, match="map_location"):
        pyfront.load(str(tmp_path / "w.safetensors"), map_location={"cpu": "cpu"})


# -- broken files: a clear error, never a bare EOFError / KeyError / struct.error ---------------
CLEAN = (RuntimeError, pickle.UnpicklingError, EOFError)  # torch.load's types for damaged files


def _assert_clean_failure(data: bytes):
    with pytest.raises(Exception) as info:
        pyfront.load(io.BytesIO(data))
    assert type(info.value) in CLEAN, f"{type(info.value).__name__}: {info.value}"
    assert str(info.value)


def _small_files(tmp_path):
    files = {}
    pyfront.save({"w": pyfront.arange(6, dtype=pyfront.float32).reshape(2, 3), "n": 1}, tmp_path / "p.pt")
    files["pyfront"] = (tmp_path / "p.pt").read_bytes()
    torch.save({"w": torch.arange(6.0).reshape(2, 3).t(), "s": "x"}, tmp_path / "l.pt",
               _use_new_zipfile_serialization=False)
    files["legacy"] = (tmp_path / "l.pt").read_bytes()
    return files


def test_empty_and_garbage_files():
    _assert_clean_failure(b"")
    _assert_clean_failure(b"hello, not a checkpoint")
    _assert_clean_failure(b"PK\x03\x04" + b"\0" * 40)
    _assert_clean_failure(pickle.dumps([1, 2], protocol=2))  # a pickle, but not a checkpoint
    with pytest.raises(EOFError, match="empty"):
        pyfront.load(io.BytesIO(b""))


@pytest.mark.parametrize("which", ["pyfront", "legacy"])
def test_every_truncated_prefix_is_rejected(tmp_path, which):
    data = _small_files(tmp_path)[which]
    assert pyfront.load(io.BytesIO(data))["w"].shape == (3, 2) if which == "legacy" else True
    for n in range(len(data)):
        _assert_clean_failure(data[:n])


@pytest.mark.parametrize("which", ["pyfront", "legacy"])
def test_corrupted_bytes_fail_cleanly_or_load(tmp_path, which):
    data = _small_files(tmp_path)[which]
    rng = random.Random(0)
    for _ in range(400):
        buf = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
        try:
            pyfront.load(io.BytesIO(bytes(buf)))
        except CLEAN as e:
            assert str(e)


def test_paths_and_pathlike(tmp_path):
    t = pyfront.tensor([1, 2, 3], dtype=pyfront.int8)
    pyfront.save(t, str(tmp_path / "s.pt"))
    pyfront.save(t, pathlib.Path(tmp_path / "p.pt"))
    assert pyfront.load(tmp_path / "s.pt").tolist() == [1, 2, 3]
    assert pyfront.load(str(tmp_path / "p.pt")).tolist() == [1, 2, 3]


def test_pyfront_optimizer_state_dict_round_trips(tmp_path):
    """A real pyfront optimizer's state: saved by pyfront, read by torch and by pyfront, resumed."""
    p = pyfront.tensor([1.0, -2.0, 3.0], requires_grad=True)
    opt = pyfront.optim.Adam([p], lr=0.1)
    (p ** 2).sum().backward()
    opt.step()
    pyfront.save(opt.state_dict(), tmp_path / "adam.pt")
    theirs = torch.load(tmp_path / "adam.pt", weights_only=True)
    state = opt.state_dict()["state"][0]
    assert theirs["state"][0]["exp_avg"].tolist() == state["exp_avg"].tolist()
    assert theirs["param_groups"][0]["betas"] == (0.9, 0.999)
    fresh = pyfront.optim.Adam([p], lr=0.1)
    fresh.load_state_dict(pyfront.load(tmp_path / "adam.pt"))
    assert fresh.state_dict()["state"][0]["exp_avg_sq"].tolist() == state["exp_avg_sq"].tolist()


def _set_zip_field(data: bytes, signature: bytes, offset: int, change) -> bytes:
    """Apply ``change`` to a 2-byte field of every header with ``signature`` (b'PK\\x01\\x02': central
    directory, offset 6 = version needed, 8 = flags; b'PK\\x03\\x04': local header, 4 and 6)."""
    buf, i = bytearray(data), data.find(signature)
    while i >= 0:
        struct.pack_into("<H", buf, i + offset, change(struct.unpack_from("<H", buf, i + offset)[0]))
        i = data.find(signature, i + 1)
    return bytes(buf)


@pytest.mark.parametrize("header", ["central", "local"])
@pytest.mark.parametrize("field,change", [("version", lambda v: 255), ("version", lambda v: 64)] + [
    ("flags", lambda v, b=b: v | 1 << b) for b in (0, 3, 5, 6, 11, 13)] + [("flags", lambda v: 0xFFFF)])
@pytest.mark.parametrize("writer", ["torch", "pyfront"])
def test_zip_versions_and_flags_are_read_as_torch_reads_them(header, field, change, writer):
    """miniz (torch's reader) ignores the version needed and the local header's flags, and refuses
    encrypted (0), patched (5), strongly encrypted (6) and masked (13) records in the central directory."""
    buf = io.BytesIO()
    (torch.save if writer == "torch" else pyfront.save)({"w": torch.arange(6.0)} if writer == "torch" else
                                                         {"w": pyfront.arange(6.0)}, buf)
    sig, offset = {"central": (b"PK\x01\x02", 6), "local": (b"PK\x03\x04", 4)}[header]
    data = _set_zip_field(buf.getvalue(), sig, offset + (2 if field == "flags" else 0), change)
    try:
        expected = torch.load(io.BytesIO(data), weights_only=True)["w"].tolist()
    except RuntimeError:
        with pytest.raises(RuntimeError, match="compressed, encrypted or patched"):
            pyfront.load(io.BytesIO(data))
    else:
        assert pyfront.load(io.BytesIO(data))["w"].tolist() == expected == list(range(6))
