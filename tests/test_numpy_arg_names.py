"""torch's argument parser takes NumPy's names ``axis`` for ``dim`` and ``keepdims`` for ``keepdim`` on
every function and method that has those arguments (makemore writes ``P.sum(1, keepdims=True)``)."""
import pytest
import torch

import pyfront

CALLS = [
    lambda t, x: x.sum(axis=1), lambda t, x: x.sum(1, keepdims=True),
    lambda t, x: t.mean(x, axis=0, keepdims=True),
    lambda t, x: x.max(axis=1).values, lambda t, x: x.argmax(axis=1), lambda t, x: x.softmax(axis=1),
    lambda t, x: x.std(axis=1, keepdims=True), lambda t, x: t.amax(x, axis=1, keepdims=True),
    lambda t, x: t.cumsum(x, axis=1), lambda t, x: x.prod(axis=0), lambda t, x: t.logsumexp(x, axis=1),
    lambda t, x: x.var(axis=0), lambda t, x: x.any(axis=1),
]


@pytest.mark.parametrize("i", range(len(CALLS)))
def test_numpy_names_are_accepted_as_torch_does(i):
    data = [[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]]
    theirs, ours = CALLS[i](torch, torch.tensor(data)), CALLS[i](pyfront, pyfront.tensor(data))
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert ours.reshape(-1).tolist() == pytest.approx(theirs.reshape(-1).tolist())


def test_both_names_at_once_is_a_type_error_in_both():
    with pytest.raises(TypeError):
        torch.ones(2, 2).sum(dim=1, axis=1)
    with pytest.raises(TypeError):
        pyfront.ones(2, 2).sum(dim=1, axis=1)
