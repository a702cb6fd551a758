"""Fresh-user finds in save/load, against torch: structures nested thousands deep, torch.return_types in a
checkpoint, and what a zip cut short raises."""
import io
import pickle
import sys
from contextlib import contextmanager

import pytest
import torch

import pyfront

DEPTH = 2000  # far past Python's default recursion limit (1000)


def _nest(kind: str, leaf, depth: int = DEPTH):
    for _ in range(depth):
        leaf = {"a": leaf} if kind == "dict" else (leaf,) if kind == "tuple" else [leaf]
    return leaf


def _leaf(kind: str, nested, depth: int = DEPTH):
    """The innermost value, reached without recursion (comparing the structures with == would recurse)."""
    for _ in range(depth):
        assert type(nested) is {"dict": dict, "tuple": tuple, "list": list}[kind] and len(nested) == 1
        nested = nested["a"] if kind == "dict" else nested[0]
    return nested


@contextmanager
def _recursion_limit(n: int):
    """torch's save (the C pickler) recurses: it writes such a structure only under a higher limit."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(n)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


@pytest.mark.parametrize("kind", ["list", "dict", "tuple"])
@pytest.mark.parametrize("weights_only", [True, False])
def test_deep_nesting_torch_saved_loads(kind, weights_only):
    buf = io.BytesIO()
    with _recursion_limit(20 * DEPTH):
        torch.save(_nest(kind, [1, torch.arange(3.0)]), buf)
    expected = _leaf(kind, torch.load(io.BytesIO(buf.getvalue()), weights_only=weights_only))
    got = _leaf(kind, pyfront.load(io.BytesIO(buf.getvalue()), weights_only=weights_only))
    assert got[0] == expected[0] and got[1].tolist() == expected[1].tolist()


@pytest.mark.parametrize("kind", ["list", "dict", "tuple"])
def test_deep_nesting_pyfront_saves(kind):
    buf = io.BytesIO()
    pyfront.save(_nest(kind, [1, pyfront.arange(3.0)]), buf)
    got = _leaf(kind, pyfront.load(io.BytesIO(buf.getvalue())))
    assert got[0] == 1 and got[1].tolist() == [0.0, 1.0, 2.0]
    expected = _leaf(kind, torch.load(io.BytesIO(buf.getvalue())))  # the file is torch's too
    assert expected[1].tolist() == [0.0, 1.0, 2.0]


def _results(m) -> dict:
    t = m.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])
    square = m.tensor([[2.0, 1.0], [1.0, 3.0]])
    return {"max": t.max(1), "topk": t.topk(2), "sort": t.sort(1), "aminmax": t.aminmax(dim=1),
            "linalg_slogdet": m.linalg.slogdet(square), "slogdet": m.slogdet(square)}


def _same(got, expected) -> None:
    assert type(got).__name__ == type(expected).__name__
    assert type(got).__module__ in ("torch.return_types", "pyfront.ops.return_types")
    assert [v.tolist() for v in got] == [v.tolist() for v in expected]


def test_return_types_pickle_under_torchs_name():
    buf = io.BytesIO()
    pyfront.save(_results(pyfront), buf)
    loaded = torch.load(io.BytesIO(buf.getvalue()), weights_only=False)
    assert all(type(v).__module__ == "torch.return_types" for v in loaded.values())
    for name, expected in _results(torch).items():
        _same(loaded[name], expected)
    again = pyfront.load(io.BytesIO(buf.getvalue()), weights_only=False)
    for name, expected in _results(torch).items():
        _same(again[name], expected)


def test_return_types_torch_saved_load():
    buf = io.BytesIO()
    torch.save(_results(torch), buf)
    loaded = pyfront.load(io.BytesIO(buf.getvalue()), weights_only=False)
    for name, expected in _results(torch).items():
        assert isinstance(loaded[name], getattr(pyfront.return_types, type(expected).__name__))
        _same(loaded[name], expected)
    for m in (torch, pyfront):  # not in the weights-only allowlist, in either
        with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
            m.load(io.BytesIO(buf.getvalue()), weights_only=True)


def test_return_types_pyfronts_old_spelling_loads():
    """A file an earlier pyfront wrote names pyfront.ops.return_types: it still loads."""
    buf = io.BytesIO()
    pyfront.save({"max": pyfront.tensor([1.0, 4.0]).max(0)}, buf, _use_new_zipfile_serialization=False)
    assert b"ctorch.return_types\nmax\n" in buf.getvalue()
    old = buf.getvalue().replace(b"ctorch.return_types\nmax\n", b"cpyfront.ops.return_types\nmax\n")
    loaded = pyfront.load(io.BytesIO(old), weights_only=False)["max"]
    assert type(loaded) is pyfront.return_types.max and loaded.values.item() == 4.0 and loaded.indices.item() == 1


def test_truncated_zip_raises_what_torch_raises(tmp_path):
    """As the README says: a zip cut short can raise what the file's seek raises (OSError from a path,
    ValueError from a BytesIO), in torch as in pyfront."""
    buf = io.BytesIO()
    torch.save({f"w{i}": torch.zeros(64, 64) for i in range(5)}, buf)
    cut = buf.getvalue()[:int(len(buf.getvalue()) * 0.55)]
    path = tmp_path / "cut.pt"
    path.write_bytes(cut)
    for source in (lambda: str(path), lambda: io.BytesIO(cut)):
        raised = []
        for m in (torch, pyfront):
            with pytest.raises((OSError, ValueError)) as info:
                m.load(source())
            raised.append((type(info.value), str(info.value)))
        assert raised[0] == raised[1]
