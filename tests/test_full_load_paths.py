"""Whole modules saved by torch (``torch.save(model)``) load with ``load(weights_only=False)``: the
full unpickler finds every nn class pyfront has under the module path torch pickles it with
(``torch.nn.modules.batchnorm.BatchNorm1d``), and the loaded module computes torch's outputs."""
import inspect

import numpy as np
import pytest
import torch

import pyfront
import pyfront.nn as pnn
from pyfront.serialization.full import FullUnpickler


def _shared_classes():
    return [n for n in dir(pnn)
            if inspect.isclass(getattr(pnn, n)) and inspect.isclass(getattr(torch.nn, n, None))]


def test_every_nn_class_resolves_under_torchs_module_path():
    find = FullUnpickler.find_class.__get__(FullUnpickler.__new__(FullUnpickler))
    names = _shared_classes()
    assert len(names) > 50  # the row is the whole of pyfront.nn, not a few
    for name in names:
        theirs = getattr(torch.nn, name)
        assert find(theirs.__module__, theirs.__qualname__) is getattr(pnn, name), theirs.__module__


def test_a_class_pyfront_lacks_is_an_unpickling_error():
    find = FullUnpickler.find_class.__get__(FullUnpickler.__new__(FullUnpickler))
    with pytest.raises(Exception) as info:
        find("torch.nn.modules.batchnorm", "NoSuchNorm")
    assert type(info.value).__name__ == "UnpicklingError"
    assert str(info.value) == ("the file names torch.nn.modules.batchnorm.NoSuchNorm, which pyfront does "
                               "not have")


MODULES = {
    "BatchNorm1d": (lambda: torch.nn.BatchNorm1d(4), (5, 4)),
    "BatchNorm2d": (lambda: torch.nn.BatchNorm2d(3), (2, 3, 4, 4)),
    "MultiheadAttention": (lambda: torch.nn.MultiheadAttention(8, 2, batch_first=True), (2, 5, 8)),
    "TransformerEncoderLayer": (lambda: torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0,
                                                                         batch_first=True), (2, 5, 8)),
    "Sequential": (lambda: torch.nn.Sequential(torch.nn.Conv1d(4, 3, 2), torch.nn.GELU(), torch.nn.Flatten(),
                                               torch.nn.Linear(9, 2)), (2, 4, 4)),
}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_module_saved_whole_by_torch_loads_and_computes_torchs_output(name, tmp_path):
    make, shape = MODULES[name]
    torch.manual_seed(0)
    theirs = make()
    if name.startswith("BatchNorm"):  # running statistics that are not the defaults
        theirs(torch.randn(*shape) * 3 + 1)
    theirs.eval()
    torch.save(theirs, tmp_path / "m.pt")
    ours = pyfront.load(tmp_path / "m.pt", weights_only=False)
    assert type(ours) is getattr(pnn, type(theirs).__name__)
    x = torch.randn(*shape)
    px = pyfront.tensor(x.numpy())
    with torch.no_grad():
        want = theirs(x, x, x)[0] if name == "MultiheadAttention" else theirs(x)
    got = ours(px, px, px)[0] if name == "MultiheadAttention" else ours(px)
    np.testing.assert_allclose(got.detach().numpy(), want.numpy(), rtol=1e-5, atol=1e-5)
    assert repr(ours) == repr(theirs)
