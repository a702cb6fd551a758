"""Plain ``pickle``, ``copy.deepcopy`` and ``copy.copy`` of tensors, as torch's: a view keeps its strides,
offset and whole storage (a transpose, a slice, an expand, a 0-size one), a conj or neg view its bit where
torch keeps it; deepcopy keeps views of one storage (views of its bits as another dtype too) sharing a copy of
it (its memo is keyed by the memory) while each pickled tensor carries a storage of its own; copy.copy aliases
the memory. Parameters, tensors with grad, user attributes, every dtype, cpu and webgpu; deepcopy of a
non-leaf refuses with torch's words."""
import copy
import pickle

import pytest
import torch

import pyfront

WEBGPU = pyfront.webgpu.is_available()
DEVICES = ["cpu"] + (["webgpu"] if WEBGPU else [])


def _pickled(obj):
    return pickle.loads(pickle.dumps(obj))


WAYS = {"pickle": _pickled, "deepcopy": copy.deepcopy, "copy": copy.copy}


def _cases(lib, device):
    """name -> (source objects, the tensors to read in what comes back: a function of it)."""
    def base(*shape, dtype=None):
        n = 1
        for s in shape:
            n *= s
        return lib.arange(n, dtype=lib.float32).reshape(shape).to(dtype or lib.float32).to(device)

    x = base(3, 4)
    cases = {
        "transpose": x.t(), "slice": x[1:], "column": x[:, 1], "expand": base(3).expand(2, 3),
        "zero_size": base(3, 4)[1:, :0], "scalar_view": x[1, 2], "empty": lib.empty(0, 3, device=device),
        "views_in_a_list": [x.t(), x[1:], x[2]], "same_twice": [x[1:], x[1:]],
        "views_in_a_dict": {"a": x[1:], "b": x[:, 1], "c": x},
        # one memory read as two dtypes: deepcopy still copies it once (pickle, once per tensor)
        "dtype_views": [x.view(lib.int32)[1:], x, x[:, 1].view(lib.int32)],
    }
    for name in ("bool", "uint8", "int8", "int32", "int64", "float16", "float64", "bfloat16", "complex64"):
        dtype = getattr(lib, name)
        if device != "cpu" and name in ("float64", "bfloat16", "complex64", "int8"):
            continue
        cases[name] = base(3, 4, dtype=dtype).t()[1:]
    if device == "cpu":
        z = lib.tensor([1 + 2j, 3 - 4j, -5j], dtype=lib.complex64)
        cases["conj"] = z.conj()
        cases["neg"] = z.conj().imag
        cases["conj_slice"] = z.conj()[1:]
    leaf = base(2, 3).requires_grad_()
    leaf.grad = base(3, 2).t() * 2
    cases["with_grad"] = leaf
    cases["requires_grad_view"] = leaf.t()  # a non-leaf: pickle and copy take it, deepcopy refuses
    p = lib.nn.Parameter(base(3, 2).t())
    p.grad = base(2, 3)
    cases["parameter"] = p
    attr = x[1:]
    attr.note = [1, "kept"]
    cases["attributes"] = attr
    holder = lib.nn.Module()
    holder.register_buffer("whole", x)
    holder.register_buffer("part", x[1:].t())
    holder.weight = lib.nn.Parameter(base(2, 2))
    cases["module"] = holder
    return cases


def _tensors(obj) -> list:
    if isinstance(obj, (list, tuple)):
        return [t for o in obj for t in _tensors(o)]
    if isinstance(obj, dict):
        return [t for o in obj.values() for t in _tensors(o)]
    if hasattr(obj, "_buffers"):
        return [obj.whole, obj.part, obj.weight]
    return [obj]


def _read(lib, t) -> tuple:
    """What a user sees of one tensor (the device left out: cpu and webgpu are read alike)."""
    values = t.detach()
    values = values.resolve_conj().resolve_neg().cpu()
    if values.dtype in (lib.bfloat16, lib.float16):
        values = values.float()
    grad = None if t.grad is None else (t.grad.cpu().tolist(), t.grad.stride())
    return (type(t).__name__, str(t.dtype).split(".")[1], tuple(t.shape), t.stride(), t.storage_offset(),
            t.untyped_storage().nbytes(), values.tolist(), t.requires_grad, t.is_leaf, grad, t.is_conj(),
            t.is_neg(), getattr(t, "note", None))


def _look(lib, src, back) -> tuple:
    """Each tensor's reading, which of them share memory, and which share the source's."""
    got, mine = _tensors(back), _tensors(src)
    # (an empty storage has no address to share: torch's are all 0)
    ptr = [t.untyped_storage().data_ptr() if t.untyped_storage().nbytes() else id(t) for t in got]
    theirs = {t.untyped_storage().data_ptr() for t in mine if t.untyped_storage().nbytes()}
    return ([_read(lib, t) for t in got], [[ptr.index(p) for p in ptr]], [p in theirs for p in ptr],
            [str(t.device).split(":")[0] for t in got])


def _outcome(lib, device, case, way):
    src = _cases(lib, device)[case]
    try:
        back = WAYS[way](src)
    except Exception as e:  # noqa: BLE001 (the type and words are compared)
        return type(e).__name__, str(e)
    return _look(lib, src, back)


CASES = list(_cases(torch, "cpu"))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("way", list(WAYS))
def test_pickle_and_copies_keep_what_torchs_keep(device, way):
    wrong = {}
    for case in _cases(pyfront, device):
        want = _outcome(torch, "cpu", case, way)
        got = _outcome(pyfront, device, case, way)
        if isinstance(want, tuple) and len(want) == 4:
            want = want[:3] + ([device] * len(want[3]),)
        if got != want:
            wrong[case] = (got, want)
    assert not wrong, wrong


def test_deepcopy_of_a_non_leaf_refuses_as_torch():
    def err(lib):
        a = lib.ones(2, requires_grad=True)
        try:
            copy.deepcopy([a * 2])
        except RuntimeError as e:
            return str(e)
    assert err(pyfront) == err(torch) is not None
