"""What users pass where a number goes, compared with torch at every entry point, dtype and device:
Python ints beyond 64 bits (torch's OverflowError), complex numbers (torch's complex results and errors,
on webgpu too: never the real part), NumPy scalars and arrays, Fractions and Decimals (a TypeError)."""
import warnings
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
DTYPES = ["float32", "int64", "uint8", "bool"]


def _mask(m, device):
    return m.tensor([True, False], device=device)


# every way a number enters an op; ``m`` is torch or pyfront, ``t`` a 2-element tensor of the row's dtype
ENTRIES = {
    "t + x": lambda m, t, x, d: t + x,
    "x + t": lambda m, t, x, d: x + t,
    "t - x": lambda m, t, x, d: t - x,
    "x - t": lambda m, t, x, d: x - t,
    "t * x": lambda m, t, x, d: t * x,
    "x * t": lambda m, t, x, d: x * t,
    "t / x": lambda m, t, x, d: t / x,
    "t // x": lambda m, t, x, d: t // x,
    "t ** x": lambda m, t, x, d: t ** x,
    "t < x": lambda m, t, x, d: t < x,
    "t == x": lambda m, t, x, d: t == x,
    "t & x": lambda m, t, x, d: t & x,
    "torch.add": lambda m, t, x, d: m.add(t, x),
    "torch.mul": lambda m, t, x, d: m.mul(t, x),
    "torch.pow": lambda m, t, x, d: m.pow(t, x),
    "alpha=": lambda m, t, x, d: m.add(t, t, alpha=x),
    "clamp(min=)": lambda m, t, x, d: t.clamp(min=x),
    "clamp(max=)": lambda m, t, x, d: t.clamp(max=x),
    "full": lambda m, t, x, d: m.full((2,), x, device=d),
    "full(dtype=)": lambda m, t, x, d: m.full((2,), x, dtype=t.dtype, device=d),
    "fill_": lambda m, t, x, d: t.clone().fill_(x),
    "masked_fill": lambda m, t, x, d: t.masked_fill(_mask(m, d), x),
    "where": lambda m, t, x, d: m.where(_mask(m, d), t, x),
    "arange": lambda m, t, x, d: m.arange(x, device=d),
    "tensor": lambda m, t, x, d: m.tensor([x], device=d),
}
BIG_INTS = [2**64, 2**70, -(2**63) - 1, -(2**64)]


def _run(m, entry, dtype, device, x):
    t = m.tensor([1, 0], dtype=getattr(m, dtype), device=device)
    try:
        return ENTRIES[entry](m, t, x, device)
    except Exception as e:  # noqa: BLE001 -- the outcome compared is the exception
        return e


def _same_outcome(ours, theirs):
    if isinstance(theirs, Exception):
        assert isinstance(ours, Exception), f"torch raised {theirs!r}, pyfront gave {ours!r}"
        assert (type(ours), str(ours)) == (type(theirs), str(theirs))
    else:
        assert not isinstance(ours, Exception), f"pyfront raised {ours!r}, torch gave {theirs!r}"
        if isinstance(theirs, torch.Tensor):
            assert isinstance(ours, pyfront.Tensor), type(ours)
            assert str(ours.dtype) == str(theirs.dtype)
            np.testing.assert_array_equal(ours.cpu().numpy(), theirs.numpy())
        else:
            assert ours == theirs


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("entry", ENTRIES)
def test_int_beyond_64_bits_raises_torchs_overflow_error(entry, dtype, device):
    for x in BIG_INTS:
        theirs = _run(torch, entry, dtype, "cpu", x)
        ours = _run(pyfront, entry, dtype, device, x)
        _same_outcome(ours, theirs)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("entry", ENTRIES)
def test_complex_number_acts_as_torch_or_raises_one_clear_error(entry, dtype, device):
    for x in (1j, 2 + 0j, np.complex64(1j)):
        dropped, outcomes = [], []  # NumPy's ComplexWarning is the sign of a dropped imaginary part: torch
        for lib, where in ((pyfront, device), (torch, "cpu")):  # drops a NumPy complex scalar's (a float)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                outcomes.append(_run(lib, entry, dtype, where, x))
            dropped.append(any(issubclass(w.category, np.exceptions.ComplexWarning) for w in caught))
        ours, theirs = outcomes
        assert dropped[0] == dropped[1], (x, dropped)
        _same_outcome(ours, theirs)


NUMPY_OPERANDS = [np.float32(2), np.float64(1.5), np.int64(2), np.int32(-3), np.uint8(5), np.bool_(True),
                  np.bool_(False)]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("entry", [e for e in ENTRIES if e not in ("arange", "tensor")])
def test_numpy_scalar_acts_as_torch_reads_it(entry, dtype, device):
    for x in NUMPY_OPERANDS:
        theirs = _run(torch, entry, dtype, "cpu", x)
        ours = _run(pyfront, entry, dtype, device, x)
        _same_outcome(ours, theirs)


@pytest.mark.parametrize("op", ["add", "mul", "sub", "truediv"])
@pytest.mark.parametrize("dtype", ["float32", "int64"])
def test_numpy_array_operand_gives_torchs_tensor(op, dtype):
    for x in (np.array([1, 2]), np.array(2.5), np.array([0.5, 1.5], dtype=np.float32)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # torch's old __array_wrap__ signature
            theirs = getattr(torch.tensor([1, 3], dtype=getattr(torch, dtype)), f"__{op}__")(x)
            theirs = x.__getattribute__(f"__r{op}__")(torch.tensor([1, 3], dtype=getattr(torch, dtype))) \
                if theirs is NotImplemented else theirs
        t = pyfront.tensor([1, 3], dtype=getattr(pyfront, dtype))
        ours = getattr(t, f"__{op}__")(x)
        ours = x.__getattribute__(f"__r{op}__")(t) if ours is NotImplemented else ours
        _same_outcome(ours, theirs)


@pytest.mark.parametrize("x", [Fraction(1, 2), Decimal(2), "a", None, [1]])
def test_operator_with_a_non_number_raises_torchs_type_error(x):
    for op in ("__add__", "__mul__", "__radd__", "__truediv__", "__lt__", "__pow__"):
        def call(m, op=op):
            t = m.tensor([1.0, 2.0])
            r = getattr(t, op)(x)
            if r is NotImplemented:
                raise TypeError("NotImplemented")
            return r
        for m in (torch, pyfront):
            try:
                call(m)
            except TypeError:
                continue
            raise AssertionError(f"{m.__name__} {op} {x!r} did not raise TypeError")


@pytest.mark.parametrize("x", [Fraction(1, 2), Decimal(2)])
@pytest.mark.parametrize("entry", ["torch.add", "torch.mul", "clamp(min=)", "full", "fill_"])
def test_function_with_a_fraction_or_decimal_raises_type_error(entry, x):
    assert isinstance(_run(torch, entry, "float32", "cpu", x), TypeError)
    assert isinstance(_run(pyfront, entry, "float32", "cpu", x), TypeError)


SMALL = {
    "bool &= 2.5": lambda m, d: m.tensor([True], device=d).__iand__(2.5),
    "bool |= 2.5": lambda m, d: m.tensor([True], device=d).__ior__(2.5),
    "bool ^= 2.5": lambda m, d: m.tensor([True], device=d).__ixor__(2.5),
    "bool &= 1": lambda m, d: m.tensor([True], device=d).__iand__(1),
    "int |= 1.5": lambda m, d: m.tensor([1], device=d).__ior__(1.5),
    "bool.bitwise_xor_(int)": lambda m, d: m.tensor([True], device=d).bitwise_xor_(m.tensor([2], device=d)),
    "~float": lambda m, d: ~m.tensor([1.0], device=d),
    "bitwise_not(float)": lambda m, d: m.bitwise_not(m.tensor([1.0], device=d)),
    "bool.clamp(min=True)": lambda m, d: m.tensor([True], device=d).clamp(min=True),
    "bool.clamp(max=True)": lambda m, d: m.tensor([True], device=d).clamp(max=True),
    "bool.clamp(True, True)": lambda m, d: m.tensor([True], device=d).clamp(True, True),
    "clamp_min(bool, 1)": lambda m, d: m.clamp_min(m.tensor([True], device=d), 1),
    "bool.square()": lambda m, d: m.tensor([True, False], device=d).square(),
    "uint8.square()": lambda m, d: m.tensor([3], dtype=m.uint8, device=d).square(),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", SMALL)
def test_edge_operands_match_torch(case, device):
    def run(m, d):
        try:
            return SMALL[case](m, d)
        except Exception as e:  # noqa: BLE001
            return e

    ours, theirs = run(pyfront, device), run(torch, "cpu")
    if isinstance(theirs, Exception) and device == "webgpu":  # torch names its cpu kernel; so does pyfront
        assert (type(ours), str(ours)) == (type(theirs), str(theirs))
    _same_outcome(ours, theirs)
