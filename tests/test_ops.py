"""Every registry op and composite against torch, forward and backward (see optable.py)."""
import pytest

from optable import check, entries

CASES = [pytest.param(e, i, id=f"{e[0]}-{i}") for e in entries() for i in range(len(e[2]))]


@pytest.mark.parametrize("entry,index", CASES)
def test_op_matches_torch(entry, index):
    name, torch_name, samples, domain, differentiable = entry
    check(name, torch_name, samples[index], domain, differentiable, seed=index)
