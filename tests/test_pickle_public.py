"""Every public callable pickles by reference and comes back as itself, as torch's do: ``torch.sum``,
``F.gelu``, ``Tensor.add``, ``t.relu`` (a model holding ``self.act = F.gelu`` saved whole, a dataset holding
one sent to a spawned DataLoader worker). The row is every name torch's namespaces and pyfront's share
that torch can pickle; files cross both ways: torch's names load in pyfront, pyfront writes torch's names."""
import importlib
import io
import os
import pickle
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import torch

import pyfront
from pyfront.serialization.full import FullUnpickler
from pyfront.serialization.homes import HOMES
from pyfront.serialization.pickler import Pickler

ROOT = Path(pyfront.__file__).parents[1]
NAMESPACES = ("", ".nn.functional", ".linalg", ".special", ".nn.init", ".nn", ".nn.utils", ".autograd",
              ".autograd.functional", ".func", ".optim", ".optim.lr_scheduler", ".amp", ".random", ".testing",
              ".utils.data", ".utils.checkpoint", ".distributions", ".distributed", ".multiprocessing")


def _round_trips(obj) -> bool:
    """Whether torch's ``obj`` comes back from pickle as itself (a tensor's method: of a tensor, by name)."""
    try:
        back = pickle.loads(pickle.dumps(obj))
    except Exception:
        return False
    if isinstance(getattr(obj, "__self__", None), torch.Tensor):
        return isinstance(back.__self__, torch.Tensor) and back.__name__ == obj.__name__
    return back is obj or back == obj


def _shared():
    """(where, name, torch's object, pyfront's object) for each public callable both have, torch's
    unbound Tensor methods and the methods of a tensor among them."""
    for suffix in NAMESPACES:
        theirs, ours = importlib.import_module("torch" + suffix), importlib.import_module("pyfront" + suffix)
        for name in dir(theirs):
            t, p = getattr(theirs, name, None), getattr(ours, name, None)
            if not name.startswith("_") and callable(t) and callable(p) and not isinstance(
                    p, types.ModuleType):
                yield "torch" + suffix, name, t, p
    for name in dir(torch.Tensor):
        t, p = getattr(torch.Tensor, name, None), getattr(pyfront.Tensor, name, None)
        if not name.startswith("_") and callable(t) and callable(p):
            yield "torch.Tensor", name, t, p


SHARED = [row for row in _shared() if _round_trips(row[2])]


def test_every_public_callable_round_trips_to_itself():
    assert len(SHARED) > 1500  # the whole public API, not a few names
    wrong = []
    for where, name, _, ours in SHARED:
        for protocol in (2, pickle.DEFAULT_PROTOCOL):
            try:
                back = pickle.loads(pickle.dumps(ours, protocol=protocol))
            except Exception as e:
                back = e
            if back is not ours:
                wrong.append(f"{where}.{name} (protocol {protocol}): {back!r}")
    assert not wrong, f"{len(wrong)} do not round-trip: {wrong[:10]}"


def test_a_tensors_methods_round_trip_as_torchs_do():
    t, x = torch.tensor([1.0, -2.0]), pyfront.tensor([1.0, -2.0])
    names = [name for where, name, *_ in SHARED if where == "torch.Tensor" and _round_trips(getattr(t, name))]
    assert len(names) > 400
    wrong = []
    for name in names:
        method = getattr(x, name)
        try:
            back = pickle.loads(pickle.dumps(method))
            ok = back.__func__ is method.__func__ and back.__self__.tolist() == x.tolist()
        except Exception as e:
            ok, back = False, e
        if not ok:
            wrong.append(f"{name}: {back!r}")
    assert not wrong, f"{len(wrong)} do not round-trip: {wrong[:10]}"


def test_what_torch_pickles_loads_in_pyfront_as_pyfronts_namesake():
    # torch names its builtins by their C homes (torch._C._nn.gelu, getattr(torch._C.TensorBase, "add"));
    # F.conv2d is torch.conv2d there, so pyfront's torch.conv2d is as right as its F.conv2d
    wrong = []
    for where, name, theirs, ours in SHARED:
        if isinstance(theirs, type) and where != "torch.linalg":
            continue  # classes: test_full_load_paths.py (LinAlgError: torch names it torch._C._LinAlgError)
        try:
            back = FullUnpickler(pickle.dumps(theirs, protocol=2), None).load()
        except Exception as e:
            back = e
        # an instance torch pickles by value (distributions.identity_transform) must load equal to ours,
        # as _round_trips asks of torch's own
        if back is not ours and back is not getattr(pyfront, name, None) and not _equal(back, ours):
            wrong.append(f"{where}.{name}: {back!r}")
    assert not wrong, f"{len(wrong)} load as something else: {wrong[:10]}"


def _equal(a, b) -> bool:
    try:
        return (a == b) is True
    except Exception:
        return False


def _import(module, qualname):
    found = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part, None)
    return found


def test_what_pyfront_saves_names_torchs_public_function():
    """pyfront writes a public function under its torch name (torch.nn.functional.gelu, getattr(torch.Tensor,
    "add") at protocol 2), which torch loads as its own; an alias may come back as its namesake
    (Tensor.absolute as torch's Tensor.abs: pyfront's two names are one function)."""
    wrong, checked = [], 0
    for where, name, _, ours in SHARED:
        if not isinstance(ours, types.FunctionType) or ours not in HOMES:
            continue  # (torch.multiprocessing re-exports Python's multiprocessing)
        module, qualname = HOMES[ours]
        expected = _import(module, qualname)
        try:
            back = pickle.loads(Pickler().dump(ours))
        except Exception as e:
            back = e
        checked += 1
        # the name resolves to this function in pyfront too; torch's, looked up now (importing torch._dynamo
        # rewraps some of torch's functions, torch.manual_seed)
        if back is not expected or _import("pyfront" + module[len("torch"):], qualname) is not ours:
            wrong.append(f"{where}.{name} as {module}.{qualname}: {back!r}")
    assert checked > 1200 and not wrong, f"{len(wrong)} of {checked}: {wrong[:10]}"


def test_pyfront_names_every_nn_layer_by_torchs_path():
    """Written as torch writes it (torch.nn.modules.batchnorm.BatchNorm1d, wherever pyfront's file is), so
    torch loads a pyfront-saved model and the weights-only refusal names what torch's names."""
    layers = [n for n in dir(pyfront.nn) if isinstance(getattr(pyfront.nn, n), type)
              and issubclass(getattr(pyfront.nn, n), pyfront.nn.Module) and hasattr(torch.nn, n)]
    assert len(layers) > 100
    for name in layers:
        theirs = getattr(torch.nn, name)
        assert HOMES[getattr(pyfront.nn, name)] == (theirs.__module__, theirs.__qualname__), name


def test_the_file_names_torch_has_nothing_pyfront_lacks_is_an_unpickling_error():
    for data in (b"\x80\x02ctorch._C._nn\nno_such_fn\n.",
                 b"\x80\x02c__builtin__\ngetattr\nctorch._C\n_VariableFunctionsClass\nX\x0a\x00\x00\x00no_such_fn\x86R."):
        try:
            FullUnpickler(data, None).load()
        except pickle.UnpicklingError as e:
            assert "no_such_fn, which pyfront does not have" in str(e)
        else:
            raise AssertionError("loaded a name pyfront lacks")


class Net(pyfront.nn.Module):
    """A model holding functions as attributes, as user models do (``self.act = F.gelu``)."""

    def __init__(self):
        super().__init__()
        self.lin = pyfront.nn.Linear(3, 4)
        self.act, self.squash, self.rect = pyfront.nn.functional.gelu, pyfront.tanh, pyfront.Tensor.relu

    def forward(self, x):
        return self.rect(self.squash(self.act(self.lin(x))) - 0.1)


def test_a_whole_model_holding_functions_saves_and_loads():
    model, x = Net(), pyfront.randn(2, 3)
    buf = io.BytesIO()
    pyfront.save(model, buf)
    buf.seek(0)
    back = pyfront.load(buf, weights_only=False)
    assert back.act is pyfront.nn.functional.gelu and back.squash is pyfront.tanh
    assert back.rect is pyfront.Tensor.relu and pyfront.equal(back(x), model(x))


NET = """
import torch
import torch.nn.functional as F


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(3, 4)
        self.act, self.squash, self.rect = F.gelu, torch.tanh, torch.Tensor.relu

    def forward(self, x):
        return self.rect(self.squash(self.act(self.lin(x))) - 0.1)
"""

LOAD_AND_SAVE = """
import sys
import torch
import net

model = torch.load(sys.argv[1], weights_only=False)
assert model.act is torch.nn.functional.gelu and model.rect is torch.Tensor.relu, (model.act, model.rect)
assert model.squash is torch.tanh and type(model.lin) is torch.nn.Linear
x = torch.linspace(-2, 2, 6).reshape(2, 3)
print(model(x).tolist())
with torch.no_grad():
    model.lin.weight.mul_(2)
torch.save(model, sys.argv[2])
print(model(x).tolist())
"""


def test_whole_models_holding_functions_cross_between_torch_and_pyfront(tmp_path):
    """A torch user's model (its class in the user's module, which imports torch) saved by torch loads under
    ``pyfront run`` with pyfront's functions and layers in it; what pyfront saves of it loads in torch with
    torch's. Both compute what the saver's model did."""
    (tmp_path / "net.py").write_text(textwrap.dedent(NET))
    (tmp_path / "load_and_save.py").write_text(textwrap.dedent(LOAD_AND_SAVE))
    x = torch.linspace(-2, 2, 6).reshape(2, 3)
    sys.path.insert(0, str(tmp_path))
    try:
        net = importlib.import_module("net")
        model = net.Net()
        torch.save(model, tmp_path / "torch.pt")
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-m", "pyfront", "run", "load_and_save.py", "torch.pt",
                               "pf.pt"], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode == 0, done.stderr
        loaded, resaved = (torch.tensor(eval(line)) for line in done.stdout.splitlines())
        back = torch.load(tmp_path / "pf.pt", weights_only=False)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("net", None)
    with torch.no_grad():
        assert torch.allclose(loaded, model(x), atol=1e-6)
        assert type(back) is net.Net and type(back.lin) is torch.nn.Linear
        assert (back.act, back.squash, back.rect) == (torch.nn.functional.gelu, torch.tanh, torch.Tensor.relu)
        assert torch.allclose(back(x), resaved, atol=1e-6) and not torch.allclose(resaved, loaded)


def test_an_allowlisted_layer_loads_weights_only_from_either_librarys_file():
    """A file names a layer by torch's path (torch.nn.modules.batchnorm.BatchNorm1d), whichever library
    wrote it; allowlisting pyfront's layer lets it load, as allowlisting torch's does in torch."""
    def saved(lib):
        buf = io.BytesIO()
        lib.save(lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.BatchNorm1d(2)), buf)
        return buf.getvalue()
    layers = [pyfront.nn.Sequential, pyfront.nn.Linear, pyfront.nn.BatchNorm1d]
    for data in (saved(torch), saved(pyfront)):
        with pyfront.serialization.safe_globals(layers + [set]):
            back = pyfront.load(io.BytesIO(data), weights_only=True)
        assert [type(m) for m in back] == layers[1:]
    with torch.serialization.safe_globals([torch.nn.Sequential, torch.nn.Linear, torch.nn.BatchNorm1d, set]):
        back = torch.load(io.BytesIO(saved(pyfront)), weights_only=True)
    assert [type(m) for m in back] == [torch.nn.Linear, torch.nn.BatchNorm1d]
