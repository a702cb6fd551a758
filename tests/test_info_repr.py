"""torch.finfo's and torch.iinfo's printed forms, as torch's (its numbers in %g's form: 6 significant
digits, 65504 and 0.0078125 as they are, int64's limits as -9.22337e+18), for every dtype."""
import pytest
import torch

import pyfront

FLOATS = ("float16", "bfloat16", "float32", "float64")
INTS = ("uint8", "int8", "int16", "int32", "int64")


@pytest.mark.parametrize("name", FLOATS + INTS)
def test_info_prints_as_torch(name):
    info = "finfo" if name in FLOATS else "iinfo"
    got, want = (getattr(lib, info)(getattr(lib, name)) for lib in (pyfront, torch))
    assert (repr(got), str(got)) == (repr(want), str(want))
