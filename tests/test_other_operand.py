"""A value that is neither a Tensor nor a number, where a binary function or method takes ``other`` (or
pow's ``exponent``): torch refuses it with its parser's TypeError. pyfront read it as a number: None gave
NaN on cpu (``x.add_(None)`` filled x with NaN) and, on webgpu, a tensor that failed at its first read
for good. Every such function and method of the op table's binary elementwise ops, their in-place forms,
against torch: the error's type and text, on cpu and webgpu."""
import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
NAMES = ["add", "sub", "mul", "div", "maximum", "minimum", "atan2", "fmod", "remainder", "eq", "lt", "pow",
         "hypot", "xlogy", "logaddexp", "copysign", "floor_divide", "bitwise_and", "true_divide", "fmax"]
BAD = {"none": None, "str": "a", "list": [1.0, 2.0, 3.0], "object": object()}


def _forms(name):
    forms = [("torch", lambda L, x, b: getattr(L, name)(x, b)),
             ("method", lambda L, x, b: getattr(x, name)(b))]
    if hasattr(torch.Tensor, name + "_"):
        forms.append(("inplace", lambda L, x, b: getattr(x, name + "_")(b)))
    return forms


def _outcome(lib, device, form, bad):
    x = lib.ones(3, device=device)
    try:
        form(lib, x, bad)
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
        return type(e).__name__, torch_text(str(e).splitlines()[0]), x.tolist()
    return "no error", None, x.tolist()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("bad", list(BAD))
@pytest.mark.parametrize("name", NAMES)
def test_a_non_number_other_is_refused_as_torch(name, bad, device):
    for label, form in _forms(name):
        got = _outcome(pyfront, device, form, BAD[bad])
        want = _outcome(torch, "cpu", form, BAD[bad])
        assert got == want, label  # the same error, and x left as it was
