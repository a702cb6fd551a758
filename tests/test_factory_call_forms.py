"""Every call form torch accepts for its factories (random ones and zeros/ones/empty), pyfront accepts
with the same shape and dtype (and refuses with the same error type): torch's own library code calls them
by keyword, e.g.
RandomSampler's ``torch.randint(high=n, size=(32,), dtype=torch.int64, generator=g)``."""
import pytest
import torch

import pyfront

FORMS = [
    ("randint", (5, (3,)), {}),
    ("randint", (2, 5, (3, 2)), {}),
    ("randint", (), {"high": 5, "size": (32,), "dtype": "int64"}),
    ("randint", (), {"low": 1, "high": 5, "size": (2,)}),
    ("randint", (5,), {"size": (2,)}),
    ("randint", (), {"size": (2,)}),
    ("randint", (3,), {}),
    ("rand", (2, 3), {}),
    ("rand", ((2, 3),), {}),
    ("rand", (), {"size": (2, 3)}),
    ("randn", (4,), {"dtype": "float64"}),
    ("randn", (), {"size": [2, 2]}),
    ("zeros", (), {"size": (2, 3)}),
    ("ones", (), {"size": [4]}),
    ("empty", (), {"size": (1, 2)}),
    ("zeros", (), {}),
    ("randperm", (6,), {}),
    ("randperm", (), {"n": 6}),
]


@pytest.mark.parametrize("name,args,kw", FORMS)
def test_random_factory_call_form(name, args, kw):
    def call(lib):
        k = {key: getattr(lib, v) if key == "dtype" else v for key, v in kw.items()}
        try:
            return getattr(lib, name)(*args, **k)
        except Exception as e:  # noqa: BLE001 - the error type is what is compared
            return e
    ours, theirs = call(pyfront), call(torch)
    if isinstance(theirs, Exception):
        assert type(ours) is type(theirs), ours
    else:
        assert not isinstance(ours, Exception), ours
        assert tuple(ours.shape) == tuple(theirs.shape)
        assert str(ours.dtype) == str(theirs.dtype)
