"""Every dtype saved from every device keeps its values, read by pyfront and by real torch.

A device may store elements wider than their dtype (webgpu keeps int64, int16, int8, uint8 and bool
in 32-bit lanes and pads float16 buffers), so a save that trusted the storage's byte size wrote
device bytes under the dtype's storage type. The oracle is the Python values the tensors were made
from, and torch.load(weights_only=True) on the same file.
"""
import io

import numpy as np
import pytest
import safetensors.torch as sft
import torch

import pyfront
import pyfront.safetensors as st
from webgpu_required import requires_webgpu

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
# every dtype on the cpu, every one but float64 on webgpu (WGSL has no 64-bit float: it is refused, below)
DTYPE_DEVICES = [pytest.param(d, "cpu", id=f"{d}-cpu") for d in DTYPES] + [
    pytest.param(d, "webgpu", id=f"{d}-webgpu", marks=requires_webgpu) for d in DTYPES if d != "float64"]


def _values(dtype: str) -> list:
    """Six values that use the dtype's whole width (int64: what a 32-bit webgpu lane can hold)."""
    if dtype == "bool":
        return [True, False, True, True, False, True]
    if dtype.startswith("float"):
        return [1.5, -0.0, float("inf"), -2.25, 65504.0, float("nan")]
    info = np.iinfo(dtype if dtype != "int64" else "int32")
    return [info.min, info.max, 0, 1, info.max - 1, info.min + 1]


@requires_webgpu
def test_webgpu_refuses_float64():
    with pytest.raises(TypeError, match="float64"):  # webgpu holds no float64: refused, not saved
        pyfront.zeros(1, dtype=pyfront.float64, device="webgpu")


def _same(loaded, values, dtype: str) -> None:
    """``loaded`` (a torch or pyfront tensor) holds exactly ``values`` as ``dtype``."""
    assert str(loaded.dtype).replace("torch.", "").replace("pyfront.", "") == dtype
    want = torch.tensor(values, dtype=getattr(torch, dtype))
    got = torch.tensor(loaded.tolist(), dtype=getattr(torch, dtype))
    assert got.shape == want.shape and got.numpy().tobytes() == want.numpy().tobytes(), (got, want)


def _nested(dtype: str, device: str):
    """A tensor, views of its storage (row, column, transpose, narrow) and a 0-d and empty tensor."""
    values = _values(dtype)
    t = pyfront.tensor(values, dtype=getattr(pyfront, dtype), device=device).reshape(2, 3)
    grid = [values[:3], values[3:]]
    obj = {"t": t, "views": [t[1], t[:, 2], (t.t(), t[:, 1:])], "more": {"scalar": t[0, 0],
                                                                      "empty": t[:, 3:]}}
    expected = {"t": grid, "views": [grid[1], [grid[0][2], grid[1][2]],
                                     ([list(c) for c in zip(*grid)], [r[1:] for r in grid])],
                "more": {"scalar": grid[0][0], "empty": [[], []]}}
    return obj, expected


def _check_tree(loaded, expected, dtype: str) -> None:
    if isinstance(expected, dict):
        assert set(loaded) == set(expected)
        for k in expected:
            _check_tree(loaded[k], expected[k], dtype)
    elif isinstance(expected, tuple) or (isinstance(expected, list) and not isinstance(loaded, (
            torch.Tensor, pyfront.Tensor))):
        assert len(loaded) == len(expected)
        for a, b in zip(loaded, expected):
            _check_tree(a, b, dtype)
    else:
        _same(loaded, expected, dtype)


def _tensors(obj) -> list:
    if isinstance(obj, dict):
        return [t for v in obj.values() for t in _tensors(v)]
    if isinstance(obj, (list, tuple)):
        return [t for v in obj for t in _tensors(v)]
    return [obj]


def _both_loads(buf: io.BytesIO, device: str):
    """pyfront's load (each tensor back on the device it was saved from) and torch's (on the cpu: the file
    tags every storage 'cpu' for it, without map_location)."""
    buf.seek(0)
    mine = pyfront.load(buf)
    assert {t.device.type for t in _tensors(mine)} == {device}
    buf.seek(0)
    return mine, torch.load(buf, weights_only=True)


@pytest.mark.parametrize("dtype, device", DTYPE_DEVICES)
def test_plain_tensor_saved_from_any_device(dtype, device):
    t = pyfront.tensor(_values(dtype), dtype=getattr(pyfront, dtype), device=device)
    buf = io.BytesIO()
    pyfront.save(t, buf)
    mine, theirs = _both_loads(buf, device)
    _same(mine, _values(dtype), dtype)
    _same(theirs, _values(dtype), dtype)
    assert theirs.untyped_storage().nbytes() == 6 * theirs.element_size()  # no device padding on disk


@pytest.mark.parametrize("dtype, device", DTYPE_DEVICES)
def test_nested_views_saved_from_any_device(dtype, device):
    obj, expected = _nested(dtype, device)
    buf = io.BytesIO()
    pyfront.save(obj, buf)
    mine, theirs = _both_loads(buf, device)
    for loaded in (mine, theirs):
        _check_tree(loaded, expected, dtype)
    # still one storage in both readers
    for loaded, storage in ((mine, lambda v: id(v._storage)),
                            (theirs, lambda v: v.untyped_storage().data_ptr())):
        views = [loaded["t"], *loaded["views"][:2], *loaded["views"][2], *loaded["more"].values()]
        assert len({storage(v) for v in views}) == 1


@pytest.mark.parametrize("device", DEVICES)
def test_batchnorm_state_dict_saved_from_any_device(device):
    """A model trained a step: num_batches_tracked (int64) and the running stats reach torch's model."""
    pyfront.manual_seed(0)
    model = pyfront.nn.Sequential(pyfront.nn.Linear(3, 4), pyfront.nn.BatchNorm1d(4)).to(device)
    model(pyfront.randn(5, 3, device=device)).sum().backward()
    model(pyfront.randn(5, 3, device=device))
    state = model.state_dict()
    buf = io.BytesIO()
    pyfront.save(state, buf)
    mine, theirs = _both_loads(buf, device)
    tracked = theirs["1.num_batches_tracked"]
    assert tracked.dtype == torch.int64 and tracked.item() == 2
    reference = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    reference.load_state_dict(theirs)  # strict: every key, shape and dtype as torch's own model has them
    for name, value in state.items():
        _same(mine[name], value.cpu().tolist(), value.dtype.name)
        _same(theirs[name], value.cpu().tolist(), value.dtype.name)


@pytest.mark.parametrize("dtype, device", DTYPE_DEVICES)
def test_torch_files_load_onto_any_device(tmp_path, dtype, device):
    base = torch.tensor(_values(dtype), dtype=getattr(torch, dtype)).reshape(2, 3)
    torch.save({"t": base, "col": base[:, 1], "tt": base.t()}, tmp_path / "t.pt")
    out = pyfront.load(tmp_path / "t.pt", map_location=device)
    assert {v.device.type for v in out.values()} == {device}
    assert out["col"]._storage is out["t"]._storage is out["tt"]._storage
    for name, want in [("t", base), ("col", base[:, 1]), ("tt", base.t())]:
        _same(out[name].cpu(), want.tolist(), dtype)
    pyfront.save(out, tmp_path / "back.pt")  # and back from that device to torch
    again = torch.load(tmp_path / "back.pt", weights_only=True)
    for name, want in [("t", base), ("col", base[:, 1]), ("tt", base.t())]:
        _same(again[name], want.tolist(), dtype)


@pytest.mark.parametrize("dtype, device", DTYPE_DEVICES)
def test_safetensors_from_any_device(tmp_path, dtype, device):
    t = pyfront.tensor(_values(dtype), dtype=getattr(pyfront, dtype), device=device).reshape(2, 3)
    st.save_file({"t": t, "col": t[:, 1]}, tmp_path / "w.safetensors")
    theirs = sft.load_file(tmp_path / "w.safetensors")
    mine = st.load_file(tmp_path / "w.safetensors", device=device)
    for loaded in (theirs, {k: v.cpu() for k, v in mine.items()}):
        _same(loaded["t"], [_values(dtype)[:3], _values(dtype)[3:]], dtype)
        _same(loaded["col"], _values(dtype)[1::3], dtype)
