"""save/load of whole objects: any picklable object saved as torch.save pickles it; weights_only=True
stays the strict default (torch's message, the user's add_safe_globals), weights_only=False opts in."""
import dataclasses
import io
import pickle

import numpy as np
import pytest
import torch

import pyfront


@dataclasses.dataclass
class Config:
    lr: float = 0.1
    name: str = "run"
    sizes: tuple = (2, 3)


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self, a=1, b=2):
        self.a, self.b = a, b


def _saved(lib, obj) -> io.BytesIO:
    buf = io.BytesIO()
    lib.save(obj, buf)
    buf.seek(0)
    return buf


def _refusal(lib, data: bytes, **kw) -> str:
    with pytest.raises(pickle.UnpicklingError) as info:
        lib.load(io.BytesIO(data), **kw)
    return str(info.value)


@pytest.fixture(autouse=True)
def _no_safe_globals():
    yield
    pyfront.serialization.clear_safe_globals()
    torch.serialization.clear_safe_globals()


@pytest.mark.parametrize("make", [lambda lib: Config(), lambda lib: np.arange(3.0),
                                  lambda lib: lib.nn.Linear(2, 2), lambda lib: {"cfg": Config(2.0)}],
                         ids=["dataclass", "ndarray", "module", "dataclass in a dict"])
def test_weights_only_refuses_a_global_with_torchs_message(make):
    theirs = _refusal(torch, _saved(torch, make(torch)).getvalue())
    ours = _refusal(pyfront, _saved(pyfront, make(pyfront)).getvalue())
    # the same words; a torch module's class is named by its module, which differs by the library name
    assert ours.replace("pyfront.", "torch.") == theirs
    assert ours == _refusal(pyfront, _saved(pyfront, make(pyfront)).getvalue(), weights_only=True)


def test_a_module_round_trips_with_weights_only_false():
    model = pyfront.nn.Sequential(pyfront.nn.Linear(3, 4), pyfront.nn.ReLU(), pyfront.nn.Linear(4, 2))
    model[2].weight.requires_grad_(False)
    model.register_buffer("steps", pyfront.tensor([7]))
    back = pyfront.load(_saved(pyfront, model), weights_only=False)
    assert type(back) is pyfront.nn.Sequential and repr(back) == repr(model)
    assert type(back[0].weight) is pyfront.nn.Parameter and back[0].weight.requires_grad
    assert back[2].weight.requires_grad is False
    x = pyfront.randn(5, 3)
    assert pyfront.equal(back(x), model(x)) and back.steps.tolist() == [7]
    assert [n for n, _ in back.named_parameters()] == [n for n, _ in model.named_parameters()]


def test_an_optimizer_and_shared_parameters_round_trip():
    model = pyfront.nn.Linear(3, 2)
    opt = pyfront.optim.Adam(model.parameters(), lr=0.01)
    model(pyfront.randn(4, 3)).sum().backward()
    opt.step()
    back = pyfront.load(_saved(pyfront, {"model": model, "opt": opt}), weights_only=False)
    assert back["opt"].param_groups[0]["params"][0] is back["model"].weight  # shared, as pickled
    mine, theirs = opt.state_dict(), back["opt"].state_dict()
    assert theirs["param_groups"] == mine["param_groups"]
    for k in ("exp_avg", "exp_avg_sq", "step"):
        assert pyfront.equal(theirs["state"][0][k], mine["state"][0][k])


def test_numpy_and_dataclass_round_trip():
    arr = np.arange(12, dtype=np.float32).reshape(3, 4)[:, 1:]
    obj = {"a": arr, "cfg": Config(0.5, "x", (1,)), "s": Slotted(3, 4), "t": pyfront.ones(2)}
    back = pyfront.load(_saved(pyfront, obj), weights_only=False)
    assert back["a"].dtype == arr.dtype and np.array_equal(back["a"], arr)
    assert back["cfg"] == Config(0.5, "x", (1,)) and (back["s"].a, back["s"].b) == (3, 4)
    assert back["t"].tolist() == [1.0, 1.0]


def test_a_torch_saved_dict_of_numpy_arrays_loads():
    arrays = {"w": np.linspace(0, 1, 6).reshape(2, 3), "i": np.arange(4, dtype=np.int64),
              "n": np.float64(2.5)}
    data = _saved(torch, arrays).getvalue()
    back = pyfront.load(io.BytesIO(data), weights_only=False)
    assert set(back) == set(arrays) and all(np.array_equal(back[k], arrays[k]) for k in arrays)
    assert _refusal(pyfront, data) == _refusal(torch, data)  # the default refuses both ways alike


def test_safe_globals_let_weights_only_build_allowed_classes_both_ways():
    """A file with a dataclass: pyfront's loads in torch and torch's in pyfront, once the class is allowed."""
    for lib in (torch, pyfront):
        lib.serialization.add_safe_globals([Config, Slotted])
    obj = {"cfg": Config(0.25), "s": Slotted(5, 6)}
    for writer, reader in [(pyfront, torch), (torch, pyfront), (pyfront, pyfront)]:
        back = reader.load(_saved(writer, {**obj, "t": writer.arange(3.0)}), weights_only=True)
        assert back["cfg"] == Config(0.25) and (back["s"].a, back["s"].b) == (5, 6)
        assert back["t"].tolist() == [0.0, 1.0, 2.0]


def test_parameters_are_saved_as_torch_saves_them():
    p = pyfront.nn.Parameter(pyfront.ones(2))
    back = torch.load(_saved(pyfront, {"p": p}), weights_only=True)["p"]
    assert type(back) is torch.nn.Parameter and back.requires_grad


def test_safe_globals_api_matches_torch():
    for lib in (torch, pyfront):
        ser = lib.serialization
        ser.clear_safe_globals()
        assert ser.get_safe_globals() == []
        ser.add_safe_globals([Config])
        with ser.safe_globals([Slotted, (Config, "alias.Cfg")]):
            assert set(map(repr, ser.get_safe_globals())) == {repr(Config), repr(Slotted),
                                                              repr((Config, "alias.Cfg"))}
        assert ser.get_safe_globals() == [Config]
        ser.clear_safe_globals()


def test_allowing_one_class_allows_no_other():
    data = _saved(pyfront, {"cfg": Config(), "s": Slotted()}).getvalue()
    with pyfront.serialization.safe_globals([Config]):
        with torch.serialization.safe_globals([Config]):
            theirs = _refusal(torch, _saved(torch, {"cfg": Config(), "s": Slotted()}).getvalue())
        assert _refusal(pyfront, data) == theirs
    assert "GLOBAL test_save_objects.Config" in _refusal(pyfront, data)  # gone after the block


def test_newobj_and_build_stay_refused_for_classes_not_allowed():
    # a file that gets an allowed callable's result and then tries to NEWOBJ/BUILD something else
    newobj = b"\x80\x02ccollections\nOrderedDict\n)\x81."
    assert "refused NEWOBJ" in _refusal(pyfront, _archive(newobj))
    with pyfront.serialization.safe_globals([Config]):
        build = b"\x80\x02ctest_save_objects\nConfig\n)\x81}X\x02\x00\x00\x00lrK\x05sb."
        assert pyfront.load(io.BytesIO(_archive(build))).lr == 5
    assert "Unsupported global: GLOBAL test_save_objects.Config" in _refusal(pyfront, _archive(build))


def _archive(pkl: bytes) -> bytes:
    from pyfront.serialization.zipformat import ZipWriter
    buf = io.BytesIO()
    zw = ZipWriter(buf, "archive")
    zw.write("data.pkl", pkl)
    zw.write("version", b"3\n")
    zw.close()
    return buf.getvalue()


def test_unpicklable_objects_fail_as_in_torch(tmp_path):
    def local():
        class Inner:
            pass
        return Inner()

    for obj in (lambda x: x, local()):
        with pytest.raises(Exception) as theirs:
            torch.save(obj, io.BytesIO())
        with pytest.raises(Exception) as ours:
            pyfront.save(obj, tmp_path / "x.pt")
        assert type(ours.value) is type(theirs.value)
        assert str(ours.value).split(" at 0x")[0] == str(theirs.value).split(" at 0x")[0]
    assert list(tmp_path.iterdir()) == []


def test_a_torch_saved_module_loads_as_pyfronts_own():
    """torch.X globals resolve to pyfront.X under weights_only=False: a whole torch model loads and runs."""
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
    back = pyfront.load(_saved(torch, model), weights_only=False)
    assert type(back) is pyfront.nn.Sequential and repr(back) == repr(model)
    assert type(back[0].weight) is pyfront.nn.Parameter
    x = np.linspace(-1, 1, 8, dtype=np.float32).reshape(4, 2)
    np.testing.assert_allclose(back(pyfront.tensor(x)).detach().numpy(),
                               model(torch.tensor(x)).detach().numpy(), rtol=1e-6, atol=1e-6)


def _set_state(obj, state):
    obj.value = state * 2


class WithStateSetter:
    def __init__(self, value):
        self.value = value

    def __reduce__(self):
        return (WithStateSetter, (0,), 21, None, None, _set_state)


def test_reduce_with_a_state_setter_round_trips_as_pickle():
    back = pyfront.load(_saved(pyfront, [WithStateSetter(5)]), weights_only=False)[0]
    assert back.value == pickle.loads(pickle.dumps(WithStateSetter(5), protocol=2)).value == 42


@pytest.mark.parametrize("saver", ["pyfront", "torch"])
def test_whole_module_with_parameters_loads_with_weights_only_false(saver):
    """A whole module (its Parameters rebuilt by torch._utils._rebuild_parameter) loads back as torch's
    does: the same class, Parameters that require grad, the same values, a working forward."""
    lib = pyfront if saver == "pyfront" else torch
    lib.manual_seed(0)
    model = lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.ReLU(), lib.nn.Linear(2, 1))
    buf = io.BytesIO()
    lib.save(model, buf)
    buf.seek(0)
    loaded = pyfront.load(buf, weights_only=False)
    assert repr(loaded) == repr(model)
    for (name, p), (_, q) in zip(loaded.named_parameters(), model.named_parameters()):
        assert isinstance(p, pyfront.nn.Parameter) and p.requires_grad, name
        assert p.tolist() == q.tolist(), name
    x = [[1.0, -2.0, 0.5]]
    assert loaded(pyfront.tensor(x)).tolist()[0] == pytest.approx(model(lib.tensor(x)).tolist()[0])
