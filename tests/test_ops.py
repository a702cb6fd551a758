"""Every registry op and composite against torch, forward and backward (see optable.py)."""
import pytest
import torch

import pyfront
from optable import assert_same, cases, check

CASES = cases("cpu")


@pytest.mark.parametrize("entry,index", CASES)
def test_op_matches_torch(entry, index):
    name, torch_name, samples, domain, differentiable = entry
    check(name, torch_name, samples[index], domain, differentiable, seed=index)


# Chains of narrow-integer ops with Python numbers (each intermediate must wrap to the dtype's
# width, not only the final result) and NaN through comparisons-based ops, as reported in issue 9.
CHAINS = {
    "uint8 (a - 3) // 2": (lambda m, a: (a - 3) // 2, "uint8", [0, 16, 200, 255]),
    "int8 -a": (lambda m, a: -a, "int8", [-128, -1, 0, 127]),
    "uint8 -a": (lambda m, a: -a, "uint8", [0, 16, 200, 255]),
    "uint8 ~a": (lambda m, a: ~a, "uint8", [0, 16, 200, 255]),
    "uint8 a ** 2 + 1": (lambda m, a: a ** 2 + 1, "uint8", [0, 16, 200, 255]),
    "int16 a * a // 7": (lambda m, a: a * a // 7, "int16", [-32768, -300, 181, 32767]),
    "int8 matmul then // 3": (lambda m, a: (a.reshape(2, 2) @ a.reshape(2, 2)) // 3, "int8",
                              [100, -100, 77, 5]),
    "float to uint8 and int8": (lambda m, a: (a.to(m.uint8), a.to(m.int8)), "float32",
                                [-1.0, 300.0, 3.7, -129.0]),
    "relu6 hardtanh threshold of nan": (
        lambda m, a: (m.nn.functional.relu6(a), m.nn.functional.hardtanh(a), m.relu(a),
                      m.nn.functional.threshold(a, 0.1, 20.0), m.sign(a), m.maximum(a, a.flip(0))),
        "float32", [float("nan"), float("inf"), -float("inf"), -0.5]),
    # zero results with a Python number operand keep torch's sign (the op table's rows pair tensors)
    "signed zeros with numbers": (
        lambda m, a: (m.remainder(a, 2), m.fmod(a, 2), a // 2, m.clamp(a, min=0), m.relu(a), a * 0,
                      m.nn.functional.hardtanh(a, 0.0, 1.0), m.nn.functional.leaky_relu(a), m.round(a / 9),
                      m.where(a > 0, a, -0.0), m.nan_to_num(a), m.abs(a), -a, m.sign(a)),
        "float32", [-4.0, 4.0, -0.0, 0.0, -0.25]),
}


def run_chain(key, device):
    fn, dtype, values = CHAINS[key]
    expected = fn(torch, torch.tensor(values, dtype=getattr(torch, dtype)))
    got = fn(pyfront, pyfront.tensor(values, dtype=getattr(pyfront, dtype), device=device))
    assert_same(got, expected, signed_zeros=True)


@pytest.mark.parametrize("key", CHAINS)
def test_chain_matches_torch(key):
    run_chain(key, "cpu")
