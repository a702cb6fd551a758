"""Every registry op and composite against torch, forward and backward (see optable.py)."""
import pytest

from optable import cases, check

CASES = cases("cpu")


@pytest.mark.parametrize("entry,index", CASES)
def test_op_matches_torch(entry, index):
    name, torch_name, samples, domain, differentiable = entry
    check(name, torch_name, samples[index], domain, differentiable, seed=index)
