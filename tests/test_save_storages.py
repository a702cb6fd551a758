"""Storages saved as themselves, anywhere in the object: alone, in a dict, a list, a tuple, beside the tensors
over them, the same one twice, typed storages of every dtype (bfloat16 and complex too), in torch's zip and
legacy formats, weights-only and full: pyfront loads torch's files as torch does (a TypedStorage each, of
bytes when untyped, sharing memory with the tensors over it), and torch loads pyfront's. pyfront loaded a
storage saved alone and refused every other one."""
import io
import warnings

import pytest
import torch

import pyfront

KINDS = ["Float", "Double", "Half", "BFloat16", "Long", "Int", "Short", "Char", "Byte", "Bool",
         "ComplexFloat", "ComplexDouble"]


def _typed(lib, kind):
    return getattr(lib, f"{kind}Storage")([1 + 2j, 0, -1j] if "Complex" in kind else [1, 0, 2])


def _beside(lib):
    t = lib.arange(6.0)
    return {"t": t[2:], "s": t.storage(), "u8": lib.UntypedStorage([1, 2, 3])}


LAYOUTS = {
    "alone": lambda lib, kind: _typed(lib, kind),
    "dict": lambda lib, kind: {"s": _typed(lib, kind), "n": 1},
    "list": lambda lib, kind: [_typed(lib, kind), lib.IntStorage([3]), lib.UntypedStorage([7, 9])],
    "tuple": lambda lib, kind: ({"x": (_typed(lib, kind),)}, 2),
}
CASES = [(layout, kind) for layout in LAYOUTS for kind in KINDS]


def _shown(lib, obj, seen):
    if isinstance(obj, lib.TypedStorage):
        ptr = obj.data_ptr()
        return ("storage", type(obj).__name__, str(obj.dtype).split(".")[-1], obj.tolist(),
                seen.setdefault(ptr, len(seen)))
    if isinstance(obj, lib.Tensor):
        ptr = obj.untyped_storage().data_ptr()
        return ("tensor", obj.tolist(), obj.storage_offset(), seen.setdefault(ptr, len(seen)))
    if isinstance(obj, dict):
        return {k: _shown(lib, v, seen) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj).__name__, [_shown(lib, v, seen) for v in obj]
    return obj


def _round(src, dst, obj, legacy=False, weights_only=True):
    f = io.BytesIO()
    src.save(obj, f, _use_new_zipfile_serialization=not legacy)
    f.seek(0)
    loaded = dst.load(f, weights_only=weights_only)
    return _shown(dst, loaded, {})


def _both(make, **kw):
    """What torch makes of torch's file, pyfront of torch's file and torch of pyfront's."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = _round(torch, torch, make(torch), **kw)
        assert _round(torch, pyfront, make(torch), **kw) == expected
        assert _round(pyfront, torch, make(pyfront), **kw) == expected
        assert _round(pyfront, pyfront, make(pyfront), **kw) == expected


@pytest.mark.parametrize("layout,kind", CASES)
def test_storages_in_containers(layout, kind):
    _both(lambda lib: LAYOUTS[layout](lib, kind))


@pytest.mark.parametrize("weights_only", [True, False])
def test_storage_beside_its_tensor_and_twice(weights_only):
    _both(_beside, weights_only=weights_only)
    _both(lambda lib: [lib.LongStorage([1, 2])] * 2, weights_only=weights_only)


def test_one_storage_twice_is_one_object():
    f = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = torch.LongStorage([1, 2])
        torch.save({"a": s, "b": [s]}, f)
        f.seek(0)
        loaded = pyfront.load(f)
    assert loaded["a"] is loaded["b"][0]


@pytest.mark.parametrize("kind", ["Long", "BFloat16", "ComplexFloat"])
def test_legacy_format(kind):  # (torch's legacy reader has no untyped storages)
    _both(lambda lib: {"s": _typed(lib, kind), "l": [lib.FloatStorage([1.5])]}, legacy=True)
