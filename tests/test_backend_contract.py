"""The backend seam: every backend keeps one contract (backends.base.Backend), driven here with
Storages and Layouts only, never a Tensor; and the tensor side never hands a backend a Tensor."""
import asyncio
import inspect
import math
import pathlib
import re
import struct

import pytest
from webgpu_required import requires_webgpu

import pyfront
from pyfront import dtypes as dt
from pyfront.backends import get_backend
from pyfront.backends.base import Backend
from pyfront.backends.numpy import NumpyBackend
from pyfront.backends.pure import PureBackend
from pyfront.backends.storage import Layout, Storage, dense
from pyfront.ops.registry import OPS

BACKENDS = ["numpy", "pure", pytest.param("webgpu", marks=requires_webgpu)]


def _backend(name):
    if name == "webgpu":
        return get_backend(pyfront.device("webgpu"))
    return {"numpy": NumpyBackend, "pure": PureBackend}[name]()


def _run(coro):
    return asyncio.run(coro)


@pytest.mark.parametrize("name", BACKENDS)
def test_every_backend_is_a_complete_backend(name):
    b = _backend(name)
    assert isinstance(b, Backend)
    abstract = Backend.__abstractmethods__
    assert {"from_list", "from_bytes", "to_list", "to_bytes", "run", "write", "full", "arange",
            "random"} <= abstract
    for method in abstract | {"to_list_async", "to_bytes_async", "synchronize", "synchronize_async"}:
        assert callable(getattr(type(b), method))
    b.synchronize()
    _run(b.synchronize_async())


@pytest.mark.parametrize("name", BACKENDS)
@pytest.mark.parametrize("dtype", ["float32", "int32", "int64", "uint8", "int8", "bool"])
def test_upload_and_download_round_trip(name, dtype):
    b, d = _backend(name), getattr(dt, dtype if dtype != "bool" else "bool_")
    values = [True, False, True, True, False, False] if d is dt.bool_ else [1, -2, 3, 0, 5, 7]
    if d is dt.uint8:
        values = [1, 200, 3, 0, 255, 7]
    storage = b.from_list(values, d)
    assert isinstance(storage, Storage)
    x = dense(storage, (2, 3), d)
    expected = [values[:3], values[3:]]
    assert b.to_list(x) == expected and _run(b.to_list_async(x)) == expected
    raw = struct.pack(f"<6{d.struct_fmt}", *values)
    assert b.to_bytes(x) == raw and _run(b.to_bytes_async(x)) == raw
    assert b.to_list(dense(b.from_bytes(raw, d), (6,), d)) == values


@pytest.mark.parametrize("name", BACKENDS)
def test_downloads_read_through_strides_and_offset(name):
    b = _backend(name)
    storage = b.from_list([float(i) for i in range(12)], dt.float32)
    x = Layout(storage, (3, 2), (1, 4), 1, dt.float32)  # a transposed window from element 1
    assert not x.contiguous
    assert b.to_list(x) == [[1.0, 5.0], [2.0, 6.0], [3.0, 7.0]]
    assert b.to_bytes(x) == struct.pack("<6f", 1, 5, 2, 6, 3, 7)
    assert b.to_list(x.view((), (), 11)) == 11.0
    assert b.to_list(x.view((2, 0), (1, 1), 0)) == [[], []]


@pytest.mark.parametrize("name", BACKENDS)
def test_full_arange_and_random(name):
    b = _backend(name)
    assert b.to_list(dense(b.full((2, 2), 1.5, dt.float32), (2, 2), dt.float32)) == [[1.5, 1.5], [1.5, 1.5]]
    assert b.to_list(dense(b.arange(3, -2, 4, dt.int32), (4,), dt.int32)) == [3, 1, -1, -3]
    # one Philox stream: the same integers on every backend, from any word offset
    def randint(backend):
        return backend.to_list(dense(backend.random("randint", 9, dt.int32, 1234, 5, -3, 40), (9,), dt.int32))
    ints = randint(b)
    assert ints == randint(NumpyBackend())
    assert all(-3 <= v < 40 for v in ints) and len(set(ints)) > 3
    u = b.to_list(dense(b.random("uniform", 64, dt.float32, 7, 0, 2.0, 3.0), (64,), dt.float32))
    assert all(2.0 <= v < 3.0 for v in u)


@pytest.mark.parametrize("name", BACKENDS)
def test_write_into_a_strided_region_from_a_broadcast_or_overlapping_source(name):
    b = _backend(name)
    storage = b.from_list([0.0] * 9, dt.float32)
    grid = dense(storage, (3, 3), dt.float32)
    column = grid.view((3,), (3,), 1)
    b.write(column, dense(b.from_list([7.0], dt.float32), (1,), dt.float32))  # broadcast from (1,)
    assert b.to_list(grid) == [[0.0, 7.0, 0.0]] * 3
    row = b.from_list([1.0, 2.0, 3.0], dt.float32)
    b.write(grid, dense(row, (3,), dt.float32))  # broadcast along dim 0
    assert b.to_list(grid) == [[1.0, 2.0, 3.0]] * 3
    # source and destination in one buffer, overlapping (x[1:] = x[:-1]): the source is read first
    flat = dense(b.from_list([1.0, 2.0, 3.0, 4.0], dt.float32), (4,), dt.float32)
    b.write(flat.view((3,), (1,), 1), flat.view((3,), (1,), 0))
    assert b.to_list(flat) == [1.0, 1.0, 2.0, 3.0]


@pytest.mark.parametrize("name", ["numpy", pytest.param("webgpu", marks=requires_webgpu)])
def test_run_takes_layouts_and_returns_storages(name):
    b = _backend(name)
    a = dense(b.from_list([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], dt.float32), (2, 3), dt.float32)
    at = a.view((3, 2), (1, 3), 0)  # read transposed, no copy
    one = dense(b.from_list([10.0, 20.0], dt.float32), (2,), dt.float32)
    (out,) = b.run(OPS["add"], [at, one], {}, [((3, 2), dt.float32)])
    assert isinstance(out, Storage)
    assert b.to_list(dense(out, (3, 2), dt.float32)) == [[11.0, 24.0], [12.0, 25.0], [13.0, 26.0]]
    (total,) = b.run(OPS["sum"], [a], {"dims": (1,), "keepdim": False}, [((2,), dt.float32)])
    assert b.to_list(dense(total, (2,), dt.float32)) == [6.0, 15.0]


def test_pure_backend_converts_without_numpy_and_refuses_compute_without_a_gpu(monkeypatch):
    b = PureBackend()
    x = dense(b.from_list([1.5, -2.5, 3.0], dt.float32), (3,), dt.float32)
    (out,) = b.run(OPS["to_copy"], [x], {"dtype": dt.int32}, [((3,), dt.int32)])
    assert b.to_list(dense(out, (3,), dt.int32)) == [1, -2, 3]
    from pyfront import backends
    monkeypatch.setattr(backends, "available", lambda kind: None)
    with pytest.raises(RuntimeError, match="needs NumPy"):
        b.run(OPS["add"], [x, x], {}, [((3,), dt.float32)])


class _Spy:
    """Wraps a backend; records the type of every argument its contract methods get."""

    def __init__(self, backend, seen):
        self._backend, self._seen = backend, seen

    def __getattr__(self, name):
        attr = getattr(self._backend, name)
        if not callable(attr):
            return attr

        def call(*args, **kwargs):
            self._seen.extend(type(a) for a in (*args, *kwargs.values()))
            for a in args:
                if isinstance(a, (list, tuple)) and not isinstance(a, Layout):
                    self._seen.extend(type(v) for v in a)
            return attr(*args, **kwargs)
        return call


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_the_tensor_side_hands_backends_no_tensor(device, monkeypatch):
    from pyfront import backends
    seen = []
    real = get_backend(pyfront.device(device))
    monkeypatch.setitem(backends._BACKENDS, device, _Spy(real, seen))
    x = pyfront.arange(6.0, device=device).reshape(2, 3)
    y = (x.t() + 1).sum(0)
    x.mul_(2)
    x[0] = 5.0
    x.copy_(y.reshape(1, 2).expand(2, 2).sum(0).repeat(3)[:3])
    y.tolist(), x.sum().item(), _run(x.tolist_async())
    pyfront.zeros(3, device=device), pyfront.rand(3, device=device)
    assert seen and not any(issubclass(t, pyfront.Tensor) for t in seen)


def test_no_module_probes_a_backend_or_driver_for_what_it_offers():
    """The contract says what every backend has: nothing asks with hasattr/getattr(..., None)."""
    # (a getattr with a default, or hasattr: reading a method the contract names by its name is no probe)
    probe = re.compile(r"\b(?:hasattr\(\s*[\w.]*(?:backend|driver|runtime|gpu)\b"
                       r"|getattr\(\s*[\w.]*(?:backend|driver|runtime|gpu)\b[^()]*,[^()]*,)")
    root = pathlib.Path(pyfront.__file__).parent
    found = [f"{f}:{n}" for f in root.rglob("*.py")
             for n, line in enumerate(f.read_text().splitlines(), 1) if probe.search(line)]
    assert not found


def test_layout_is_a_frozen_record_of_the_five_fields():
    s = Storage(bytearray(24), pyfront.device("cpu"), 24)
    x = Layout(s, (2, 3), (3, 1), 0, dt.float32)
    fields = (x.storage, x.shape, x.strides, x.offset, x.dtype, x.contiguous)
    assert fields == (s, (2, 3), (3, 1), 0, dt.float32, True)
    assert x.numel() == 6 and x.dim() == 2 and not x.view((3, 2), (1, 3), 0).contiguous
    assert x.expand((4, 2, 3)).strides == (0, 3, 1)
    with pytest.raises(AttributeError):
        x.shape = (6,)
    assert math.prod(dense(s, (6,), dt.float32).shape) == 6
    assert not any("Tensor" in str(p.annotation) for p in inspect.signature(Backend.run).parameters.values())


def _imports(path: pathlib.Path, package: str) -> set:
    """Absolute names of the modules (and ``from X import name`` members) that ``path`` imports."""
    import ast
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = ".".join(parts[:len(parts) - node.level + 1]) if node.level else ""
            mod = ".".join(p for p in (base, node.module or "") if p)
            found.add(mod)
            found.update(f"{mod}.{a.name}" for a in node.names)
    return found


def test_nothing_under_backends_imports_the_layers_above():
    root = pathlib.Path(pyfront.__file__).parent
    above = ("pyfront.tensor", "pyfront.ops", "pyfront.autograd", "pyfront.nn", "pyfront.webgpu")
    up = {}
    for f in (root / "backends").rglob("*.py"):
        package = "pyfront." + ".".join(f.relative_to(root).with_suffix("").parts[:-1])
        hits = [m for m in _imports(f, package) if any(m == a or m.startswith(a + ".") for a in above)]
        if hits:
            up[str(f.relative_to(root))] = hits
    assert up == {}
    webgpu = root / "backends" / "webgpu"
    assert not any("driver" in m for m in _imports(webgpu / "browser.py", "pyfront.backends.webgpu"))
    assert not any("browser" in m for m in _imports(webgpu / "driver.py", "pyfront.backends.webgpu"))
