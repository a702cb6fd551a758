"""Ints spelled out where a method's one positional parameter is an int list (torch's parser reads
``x.view(3, 2)`` as ``x.view((3, 2))``), called on a Tensor subclass too: an nn.Parameter's
``w.view(height, -1)`` (sngan's SpectralNorm) was refused as an invalid combination, its count checked
off the plain Tensor's fast path. With a keyword beside them torch still refuses."""
import pytest
import torch

import pyfront
from optable import assert_same, assert_same_error

CALLS = {
    "view": lambda x: x.view(3, 2),
    "view -1": lambda x: x.view(2, -1),
    "squeeze": lambda x: x.squeeze(0, 2),
    "count_nonzero": lambda x: x.count_nonzero(0, 1),
    "new": lambda x: x.new(2, 3).shape,
    "hsplit": lambda x: x.squeeze(0, 2).hsplit(1, 2),
    "view and a keyword": lambda x: x.view(3, 2, dtype=None),
    "view and size=": lambda x: x.view(3, 2, size=2),
    "view of a dtype": lambda x: x.view(6, x.dtype),
}


def _operands(lib):
    values = torch.arange(6.0).reshape(1, 2, 1, 3).tolist()
    return [lib.tensor(values), lib.nn.Parameter(lib.tensor(values))]


@pytest.mark.parametrize("name", CALLS)
def test_ints_spelled_out_on_tensors_and_parameters_as_torch(name):
    for p, t in zip(_operands(pyfront), _operands(torch)):
        try:
            expected = CALLS[name](t)
        except TypeError as e:
            with pytest.raises(TypeError) as got:
                CALLS[name](p)
            assert_same_error(got.value, e)
            continue
        got = CALLS[name](p)
        if isinstance(expected, torch.Size):
            assert tuple(got) == tuple(expected)
        else:
            assert_same(got, expected)
