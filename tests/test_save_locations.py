"""Where loaded tensors go, and torch.load's arguments.

A tensor saved from webgpu loads back on webgpu (torch restores a CUDA tensor on CUDA), by ``load`` and by
plain pickle; torch, which has no webgpu device, still loads pyfront's file without map_location (the pickle
tags every storage 'cpu'; pyfront keeps the devices in a record of its own). ``map_location`` takes torch's
forms: a device, a dict of the file's location tags (an unmapped tag: its default), ``fn(storage,
location)`` (None: the default). ``load`` has torch's signature: ``pickle_module``, keyword-only
``weights_only`` and the Unpickler's keywords (``encoding``); ``UntypedStorage(n)`` is torch's.
"""
import inspect
import io
import pickle
import warnings

import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DTYPES = ["float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]


def _values(dtype: str) -> list:
    return [True, False, True] if dtype == "bool" else [1, 0, 3] if dtype == "uint8" else [-2, 0, 3]


def _saved(lib, obj) -> io.BytesIO:
    buf = io.BytesIO()
    lib.save(obj, buf)
    buf.seek(0)
    return buf


def _devices(loaded) -> dict:
    return {k: str(v.device) for k, v in loaded.items()}


@requires_webgpu
@pytest.mark.parametrize("dtype", DTYPES)
def test_a_webgpu_tensor_loads_back_on_webgpu_and_torch_loads_it_on_the_cpu(dtype):
    gpu = pyfront.tensor(_values(dtype), dtype=getattr(pyfront, dtype), device="webgpu")
    obj = {"gpu": gpu, "view": gpu[1:], "cpu": pyfront.tensor(_values(dtype), dtype=getattr(pyfront, dtype))}
    loaded = pyfront.load(_saved(pyfront, obj))
    assert _devices(loaded) == {"gpu": "webgpu:0", "view": "webgpu:0", "cpu": "cpu"}
    assert loaded["view"].tolist() == _values(dtype)[1:] and loaded["gpu"].tolist() == _values(dtype)
    assert loaded["view"].untyped_storage().data_ptr() == loaded["gpu"].untyped_storage().data_ptr()
    theirs = torch.load(_saved(pyfront, obj))  # weights_only, no map_location: any torch reads the file
    assert {k: v.tolist() for k, v in theirs.items()} == {k: v.tolist() for k, v in loaded.items()}
    assert _devices(theirs) == {"gpu": "cpu", "view": "cpu", "cpu": "cpu"}


@requires_webgpu
def test_map_location_takes_torchs_forms():
    obj = {"gpu": pyfront.arange(3.0, device="webgpu"), "cpu": pyfront.arange(2.0)}
    seen = []

    def keep(storage, location):
        seen.append((type(storage).__name__, location))

    for map_location, expected in [
        (None, {"gpu": "webgpu:0", "cpu": "cpu"}),
        ("cpu", {"gpu": "cpu", "cpu": "cpu"}),
        (pyfront.device("cpu"), {"gpu": "cpu", "cpu": "cpu"}),
        ("webgpu", {"gpu": "webgpu:0", "cpu": "webgpu:0"}),
        ({"webgpu:0": "cpu"}, {"gpu": "cpu", "cpu": "cpu"}),
        ({"cpu": "webgpu"}, {"gpu": "webgpu:0", "cpu": "webgpu:0"}),  # an unmapped tag: its own device
        (keep, {"gpu": "webgpu:0", "cpu": "cpu"}),  # None from the function: the default
        (lambda storage, location: storage, {"gpu": "cpu", "cpu": "cpu"}),  # the storage as read
    ]:
        loaded = pyfront.load(_saved(pyfront, obj), map_location=map_location)
        assert _devices(loaded) == expected, map_location
    assert sorted(seen) == [("UntypedStorage", "cpu"), ("UntypedStorage", "webgpu:0")]


@requires_webgpu
@pytest.mark.parametrize("dtype", DTYPES)
def test_a_plain_pickle_of_a_webgpu_tensor_comes_back_on_webgpu(dtype):
    t = pyfront.tensor(_values(dtype), dtype=getattr(pyfront, dtype), device="webgpu")
    for obj in (t, t[1:], pyfront.nn.Parameter(t.float()) if dtype != "float16" else t):
        back = pickle.loads(pickle.dumps(obj))
        assert (type(back), back.device, back.dtype, back.tolist()) == (type(obj), obj.device, obj.dtype,
                                                                          obj.tolist())
    assert pickle.loads(pickle.dumps(t.cpu())).device == pyfront.device("cpu")


def test_load_has_torchs_signature():
    ours, theirs = inspect.signature(pyfront.load), inspect.signature(torch.load)
    assert [(p.name, p.kind, p.default) for p in ours.parameters.values()] == [
        (p.name, p.kind, p.default) for p in theirs.parameters.values()]


def _outcome(lib, data: bytes, *args, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = lib.load(io.BytesIO(data), *args, **kw)
            kind = type(result).__name__
        except Exception as e:  # noqa: BLE001 - the kind and text are what is compared
            kind = f"{type(e).__name__}: {e}"
    return kind, [str(w.message) for w in caught if "pickle_load_args" in str(w.message)]


@pytest.mark.parametrize("args,kw", [
    ((None, pickle), {}), ((None, pickle), {"weights_only": True}), ((None, pickle), {"weights_only": False}),
    ((), {"encoding": "latin1"}), ((), {"encoding": "latin1", "weights_only": False}),
    ((None, None), {"weights_only": False, "encoding": "utf-8", "errors": "strict"}),
], ids=["pickle_module", "pickle_module+weights_only", "pickle_module+full", "encoding", "encoding+full",
        "errors"])
def test_pickle_module_and_pickle_load_args_act_as_torchs(args, kw):
    for make in (lambda lib: lib.nn.Linear(2, 1), lambda lib: {"w": lib.ones(2)}):
        theirs = _outcome(torch, _saved(torch, make(torch)).getvalue(), *args, **kw)
        ours = _outcome(pyfront, _saved(pyfront, make(pyfront)).getvalue(), *args, **kw)
        assert (ours[0].replace("pyfront", "torch")[:120], ours[1]) == (theirs[0][:120], theirs[1])


def test_a_pickle_module_s_unpickler_reads_the_file():
    class Counting(pickle.Unpickler):
        made = []

        def __init__(self, *args, **kw):
            Counting.made.append(kw)
            super().__init__(*args, **kw)

    module = type(pickle)("counting_pickle")
    module.Unpickler = Counting
    model = pyfront.load(_saved(pyfront, pyfront.nn.Linear(2, 1)), pickle_module=module, encoding="latin1")
    assert type(model) is pyfront.nn.Linear
    assert Counting.made == [{"encoding": "latin1"}]


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
@pytest.mark.parametrize("args", [(), (0,), (5,), ([1, 2, 255],), ([],)])
def test_untyped_storage_is_made_as_torchs(args, device):
    theirs = torch.UntypedStorage(*args)
    ours = pyfront.UntypedStorage(*args, device=device)
    assert ours.nbytes() == theirs.nbytes() and ours.device.type == device
    if args and isinstance(args[0], list):
        assert ours.tolist() == theirs.tolist()
    assert isinstance(pyfront.arange(2).untyped_storage(), pyfront.UntypedStorage)
