"""A Python complex scalar with a real tensor, through every kind of op that takes a scalar: on the cpu
torch's result or error (type and text; an in-place op into a real tensor was a bare KeyError), on
webgpu too (complex64 held as float32 pairs there): never a NumPy ComplexWarning, never the imaginary part
dropped."""
import warnings

import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

CASES = {
    "add_": lambda L, t: t.clone().add_(1j), "mul_": lambda L, t: t.clone().mul_(2 + 1j),
    "fill_": lambda L, t: t.clone().fill_(1j), "masked_fill": lambda L, t: t.masked_fill(t > 0, 1j),
    "where": lambda L, t: L.where(t > 0, t, 1j), "clamp": lambda L, t: t.clamp(min=1j),
    "pow": lambda L, t: t ** 1j, "full": lambda L, t: L.full((2,), 1j, device=t.device),
    "alpha": lambda L, t: t.add(t, alpha=1j), "addcmul": lambda L, t: L.addcmul(t, t, t, value=1j),
    "lerp": lambda L, t: L.lerp(t, t, 1j), "div": lambda L, t: t / 1j, "rsub": lambda L, t: 1j - t,
    "eq": lambda L, t: t == 1j, "lt": lambda L, t: t < 1j, "int add": lambda L, t: t.long() + 1j,
    "fmod": lambda L, t: L.fmod(t, 1j), "mul": lambda L, t: L.mul(t, 2 + 1j),
    "new_full": lambda L, t: t.new_full((2,), 1j), "setitem": lambda L, t: t.clone().__setitem__(0, 1j),
    "threshold": lambda L, t: L.nn.functional.threshold(t, 0.5, 1j),
}


def _outcome(lib, device, case):
    t = lib.tensor([1.0, 2.0], device=device)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            r = CASES[case](lib, t)
        except Exception as e:  # noqa: BLE001  (the comparison is the point)
            return type(e).__name__, str(e)
    return "value", r.tolist() if hasattr(r, "tolist") else r


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_complex_scalar_with_a_real_tensor(device):
    for case in CASES:
        expected = _outcome(torch, "cpu", case)
        got = _outcome(pyfront, device, case)
        if device == "webgpu" and expected[0] == "value" and got[0] == "value":  # (float32 there)
            torch.testing.assert_close(torch.tensor(got[1]), torch.tensor(expected[1]), rtol=1e-6, atol=0)
        else:
            assert got == expected, case
