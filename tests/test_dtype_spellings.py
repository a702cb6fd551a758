"""torch's three spellings of a dtype in its messages, each written once in pyfront.dtypes, read back from
torch's own messages for every dtype; and histogramdd's dtype checks, whose own partial table printed
'torch.int8' where torch prints 'signed char'."""
import pytest
import torch

import pyfront
from pyfront import dtypes as dt

OURS = {d.name: d for d in dt.ALL}
NAMES = [d.name for d in dt.ALL]


@pytest.mark.parametrize("name", list(OURS))
def test_cpp_and_scalar_names_are_torchs(name):
    d = getattr(torch, name)
    other = torch.float64 if d is torch.float32 else torch.float32
    # "Could not set tensor of type <TypeMeta name> to a tensor of type ..."
    with pytest.raises(RuntimeError) as e:
        torch.empty(1, dtype=other).set_(torch.empty(1, dtype=d))
    assert dt.cpp_name(OURS[name]) == str(e.value).split(" type ")[1][:-len(" to a tensor of")]
    assert dt.scalar_name(OURS[name]) == torch.empty(0, dtype=d).type()[len("torch."):-len("Tensor")]


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64", "float32"])
def test_convert_names_are_torchs(name):
    value = 1e300 if name == "float32" else 1e30
    with pytest.raises(RuntimeError) as theirs:
        torch.empty(1, dtype=getattr(torch, name)).fill_(value)
    with pytest.raises(RuntimeError) as ours:
        pyfront.empty(1, dtype=getattr(pyfront, name)).fill_(value)
    assert str(ours.value) == str(theirs.value)
    assert f"type {dt.convert_name(OURS[name])} " in str(theirs.value)


def _outcome(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return type(e).__name__, str(e)
    return "ok", None


def _histograms(lib, input_dtype, other):
    x, d = lib.ones(3, dtype=getattr(lib, input_dtype)), getattr(lib, other)
    return [lambda: lib.histogram(x, bins=lib.arange(3).to(d)),
            lambda: lib.histogram(x, bins=lib.arange(3).to(x.dtype), weight=lib.ones(3, dtype=d))]


@pytest.mark.parametrize("input_dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("other", NAMES)
def test_histogram_names_other_dtypes_as_torch(input_dtype, other):
    for ours, theirs in zip(_histograms(pyfront, input_dtype, other), _histograms(torch, input_dtype, other)):
        assert _outcome(ours) == _outcome(theirs)
