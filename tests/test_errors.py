"""Bad input: pyfront raises torch's exception type with torch's exact message.

Each case runs the same call on torch and pyfront; torch's exception is caught first and is the
expected one. Mixing devices is tested in test_webgpu.py, where the second device exists.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import pyfront

A = np.arange(12, dtype="float32").reshape(3, 4)

CASES = {
    "add_broadcast_mismatch": lambda lib: lib.tensor(A) + lib.ones(3),
    "add_broadcast_mismatch_3d": lambda lib: lib.ones(2, 3, 4) + lib.ones(5, 1),
    "mul_broadcast_mismatch": lambda lib: lib.ones(2, 3).mul(lib.ones(4, 3)),
    "broadcast_two_mismatches": lambda lib: lib.ones(2, 3) - lib.ones(4, 5),
    "broadcast_left_longer": lambda lib: lib.ones(5, 1) * lib.ones(2, 3, 4),
    "view_of_non_contiguous": lambda lib: lib.tensor(A).t().view(12),
    "view_wrong_size": lambda lib: lib.tensor(A).view(5, 3),
    "reshape_wrong_size": lambda lib: lib.tensor(A).reshape(5, 2),
    "reshape_two_inferred": lambda lib: lib.tensor(A).reshape(-1, -1),
    "reshape_inferred_impossible": lambda lib: lib.tensor(A).reshape(-1, 5),
    "sum_bad_dim": lambda lib: lib.tensor(A).sum(2),
    "sum_bad_negative_dim": lambda lib: lib.tensor(A).sum(-3),
    "transpose_bad_dim": lambda lib: lib.tensor(A).transpose(0, 5),
    "unsqueeze_bad_dim": lambda lib: lib.tensor(A).unsqueeze(3),
    "squeeze_bad_dim": lambda lib: lib.tensor(A).squeeze(-4),
    "size_bad_dim": lambda lib: lib.tensor(A).size(2),
    "select_bad_dim_0d": lambda lib: lib.tensor(1.0).unsqueeze(-2),
    "expand_non_singleton": lambda lib: lib.ones(3, 4).expand(3, 5),
    "expand_too_few_sizes": lambda lib: lib.ones(3, 4).expand(4),
    "requires_grad_on_int_factory": lambda lib: lib.tensor([1, 2], requires_grad=True),
    "requires_grad_on_int_method": lambda lib: lib.tensor([1, 2]).requires_grad_(),
    "requires_grad_on_int_attribute": lambda lib: setattr(lib.tensor([1, 2]), "requires_grad", True),
    "item_of_many": lambda lib: lib.tensor(A).item(),
    "item_of_empty": lambda lib: lib.ones(0).item(),
    "bool_of_many": lambda lib: bool(lib.tensor(A)),
    "bool_of_empty": lambda lib: bool(lib.ones(0)),
    "len_of_0d": lambda lib: len(lib.tensor(1.0)),
    "iter_of_0d": lambda lib: iter(lib.tensor(1.0)),
    "backward_non_scalar": lambda lib: (lib.ones(3, requires_grad=True) * 2).backward(),
    "in_place_on_leaf": lambda lib: lib.ones(3, requires_grad=True).add_(1),
    "numpy_of_requires_grad": lambda lib: lib.ones(3, requires_grad=True).numpy(),
}


@pytest.mark.parametrize("name", list(CASES))
def test_error_matches_torch(name):
    case = CASES[name]
    with pytest.raises(Exception) as expected:
        case(torch)
    with pytest.raises(Exception) as got:
        case(pyfront)
    assert type(got.value) is type(expected.value), f"{type(got.value).__name__}: {got.value}"
    assert str(got.value) == str(expected.value)
