"""nn.utils.parametrizations.orthogonal against torch: every map, with and without the trivialization, on
square, tall, wide and batched weights: the originals it stores, the weight, a few SGD steps, the
state_dict, assignment (right_inverse) and the errors."""
import numpy as np
import pytest
import torch

import pyfront

SHAPES = [(3, 3), (5, 3), (3, 5), (2, 4, 3)]
MAPS = ["matrix_exp", "cayley", "householder", None]


def _p(t):
    return pyfront.tensor(t.detach().numpy())


def _close(ours, theirs, atol=2e-6):
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-5, atol=atol)


def _pair(shape, seed=0):
    """A torch module and a pyfront one holding the same ``weight`` of ``shape``."""
    torch.manual_seed(seed)
    theirs, ours = torch.nn.Module(), pyfront.nn.Module()
    theirs.weight = torch.nn.Parameter(torch.randn(shape))
    ours.weight = pyfront.nn.Parameter(_p(theirs.weight))
    return theirs, ours


@pytest.mark.parametrize("trivial", [True, False])
@pytest.mark.parametrize("orth_map", MAPS[:3])  # the default map: test_assignment_as_torch
@pytest.mark.parametrize("shape", SHAPES)
def test_orthogonal_as_torch(shape, orth_map, trivial):
    theirs, ours = _pair(shape)
    torch.nn.utils.parametrizations.orthogonal(theirs, orthogonal_map=orth_map, use_trivialization=trivial)
    pyfront.nn.utils.parametrizations.orthogonal(ours, orthogonal_map=orth_map, use_trivialization=trivial)
    state = theirs.state_dict()
    assert sorted(ours.state_dict()) == sorted(state)
    if not (trivial and shape[-1] != shape[-2]):  # a non-square base is completed by random columns
        _close(ours.parametrizations.weight.original, theirs.parametrizations.weight.original)
        _close(ours.weight, theirs.weight)
    ours.load_state_dict({k: _p(v) for k, v in state.items()})
    _close(ours.weight, theirs.weight)
    opt_t = torch.optim.SGD(theirs.parameters(), lr=0.1)
    opt_p = pyfront.optim.SGD(ours.parameters(), lr=0.1)
    target = torch.randn(shape)
    for _ in range(3):
        opt_t.zero_grad()
        opt_p.zero_grad()
        (theirs.weight - target).pow(2).sum().backward()
        (ours.weight - _p(target)).pow(2).sum().backward()
        opt_t.step()
        opt_p.step()
    _close(ours.parametrizations.weight.original, theirs.parametrizations.weight.original, 1e-5)
    _close(ours.weight, theirs.weight, 1e-5)
    again = pyfront.nn.Module()
    again.weight = pyfront.nn.Parameter(pyfront.zeros(shape))
    pyfront.nn.utils.parametrizations.orthogonal(again, orthogonal_map=orth_map, use_trivialization=trivial)
    again.load_state_dict(ours.state_dict())
    _close(again.weight, theirs.weight, 1e-5)


@pytest.mark.parametrize("trivial", [True, False])
@pytest.mark.parametrize("orth_map", MAPS)
@pytest.mark.parametrize("shape", [(3, 3), (5, 3), (3, 5)])
def test_assignment_as_torch(shape, orth_map, trivial):
    """``module.weight = X`` goes through right_inverse: an orthogonal X comes back as the weight, a square
    non-orthogonal one as its QR's Q; without the trivialization only householder can be assigned."""
    theirs, ours = _pair(shape)
    torch.nn.utils.parametrizations.orthogonal(theirs, orthogonal_map=orth_map, use_trivialization=trivial)
    pyfront.nn.utils.parametrizations.orthogonal(ours, orthogonal_map=orth_map, use_trivialization=trivial)
    torch.manual_seed(1)
    values = [torch.linalg.qr(torch.randn(max(shape), min(shape)))[0]]
    if shape[0] == shape[1]:
        values.append(torch.randn(shape))
    for value in values:
        value = value if shape[0] >= shape[1] else value.mT.contiguous()
        try:
            theirs.weight = value
        except Exception as e:
            with pytest.raises(type(e), match=str(e)):
                ours.weight = _p(value)
            continue
        ours.weight = _p(value)
        _close(ours.weight, theirs.weight, 1e-5)
    with pytest.raises(ValueError) as want:
        theirs.weight = torch.zeros(7, 2)
    with pytest.raises(type(want.value)) as got:
        ours.weight = pyfront.zeros(7, 2)
    if trivial or orth_map == "householder" or (orth_map is None and shape[0] != shape[1]):
        assert str(got.value) == str(want.value)


def test_orthogonal_errors_as_torch():
    calls = [(lambda lib: lib.nn.Linear(3, 3), {"name": "nope"}),
             (lambda lib: lib.nn.Linear(3, 3), {"orthogonal_map": "qr"}),
             (lambda lib: lib.nn.BatchNorm1d(3), {}),
             (lambda lib: _complex_holder(lib), {"orthogonal_map": "householder"})]
    for make, kwargs in calls:
        with pytest.raises(Exception) as want:
            torch.nn.utils.parametrizations.orthogonal(make(torch), **kwargs)
        with pytest.raises(type(want.value)) as got:
            pyfront.nn.utils.parametrizations.orthogonal(make(pyfront), **kwargs)
        assert str(got.value).replace("pyfront", "torch") == str(want.value)


def _complex_holder(lib):
    module = lib.nn.Module()
    module.weight = lib.nn.Parameter(lib.zeros(3, 3, dtype=lib.complex64))
    return module

