"""float(t), int(t), bool(t), complex(t), operator.index(t) and math.floor(t) of one-element tensors of
every dtype, against torch: its values and errors (a complex tensor's real part where its imaginary part
is 0, torch's checked conversion's overflow error where not, or where the real part leaves int64)."""
import math
import operator

import torch

import pyfront

_DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64",
           "complex64", "complex128")
_NAN, _INF = float("nan"), float("inf")
_VALUES = {"b": (True, False), "i": (3, 0, -2), "f": (1.5, -2.5, _NAN, _INF, 0.0, 1e30),
           "c": (1 + 0j, 2.7 + 0j, -1.5 + 0j, 1 + 2j, complex(_NAN, 0), complex(0, _NAN), complex(_INF, 0),
                 -0j, 9.3e18 + 0j, 1e30 + 0j, complex(0, 1e-300))}
_PROTOCOL = (float, int, bool, complex, operator.index, math.floor, math.ceil)


def _kind(name: str) -> str:
    return "b" if name == "bool" else "c" if "complex" in name else "f" if "float" in name else "i"


def _outcome(f, t):
    try:
        v = f(t)
    except Exception as e:  # noqa: BLE001 - compared
        return type(e).__name__, str(e)
    return type(v).__name__, repr(v)


def test_number_protocol_of_one_element_tensors_as_torch():
    wrong = []
    for name in _DTYPES:
        for value in _VALUES[_kind(name)]:
            if name == "uint8" and value < 0:
                continue
            for shape in ((), (1,), (1, 1), (2,)):
                ours = pyfront.tensor(value, dtype=getattr(pyfront, name)).expand(shape)
                theirs = torch.tensor(value, dtype=getattr(torch, name)).expand(shape)
                for f in _PROTOCOL:
                    got, expected = _outcome(f, ours), _outcome(f, theirs)
                    if got != expected:
                        wrong.append(f"{f.__name__}({name} {value!r} {shape}): {got}, torch: {expected}")
    assert not wrong, "\n".join(wrong)
