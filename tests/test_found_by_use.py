"""Faults a user found by trying the library (each checked against torch, on every device it applies to)."""
import warnings

import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _outcome(fn):
    try:
        return repr(fn().tolist())
    except Exception as e:  # noqa: BLE001 -- the type and text are what is compared
        return f"{type(e).__name__}: {e}"


def _select(shape, dim, i):
    return lambda t, d: t.ones(*shape, device=d).index_select(dim, t.tensor([i], device=d))


CASES = {
    # PyTorch's CPU kernel words an out-of-range index by the dim it selects along
    "index_select dim 0 past the end": _select((2, 3), 0, 7),
    "index_select dim 0 negative": _select((4,), 0, -1),
    "index_select dim 1 past the end": _select((2, 3), 1, 3),
    "index_select dim 1 negative": _select((2, 3), 1, -1),
    "empty inner dims": lambda t, d: t.zeros(3, 0, device=d),
    "empty middle dim": lambda t, d: t.zeros(2, 0, 3, device=d),
    "trunc division": lambda t, d: t.tensor([-7, 7, 3], device=d).div(t.tensor([2, -2, 1], device=d),
                                                                      rounding_mode="trunc"),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", list(CASES))
def test_as_torch(name, device):
    assert _outcome(lambda: CASES[name](pyfront, device)) == _outcome(lambda: CASES[name](torch, "cpu"))


DIVISIONS = {
    "//": lambda a, b: a // b,
    "%": lambda a, b: a % b,
    "fmod": lambda a, b: a.fmod(b),
    "remainder by 0": lambda a, b: a.remainder(0),
    "trunc": lambda a, b: a.div(b, rounding_mode="trunc"),
    "floor": lambda a, b: a.div(b, rounding_mode="floor"),
    "//=": lambda a, b: a.__ifloordiv__(b),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", ["uint8", "int8", "int32", "int64"])
@pytest.mark.parametrize("op", list(DIVISIONS))
def test_integer_division_by_zero_raises_as_on_torchs_cpu(op, dtype, device):
    outcomes = []
    for lib, dev in ((pyfront, device), (torch, "cpu")):
        a = lib.tensor([7, 3], dtype=getattr(lib, dtype), device=dev)
        b = lib.tensor([0, 1], dtype=getattr(lib, dtype), device=dev)
        outcomes.append(_outcome(lambda: DIVISIONS[op](a, b)))  # noqa: B023 -- called at once
    assert outcomes[0] == outcomes[1] == "RuntimeError: ZeroDivisionError"


def test_warnings_reach_code_run_without_a_module_name():
    code = "x = t.ones(2, requires_grad=True)\n(x * 2).grad\n"
    seen = []
    for lib in (pyfront, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            exec(code, {"t": lib})  # a notebook cell or an embedding host: globals without __name__
        seen.append([str(w.message).split(".")[0] for w in caught if w.category is UserWarning])
    assert seen[0] == seen[1] and seen[0], seen
