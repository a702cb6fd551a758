"""The whole op table again on the webgpu device (Mesa's lavapipe in CI), against torch."""
import pytest

from optable import check, entries
from webgpu_required import requires_webgpu

pytestmark = requires_webgpu

CASES = [pytest.param(e, i, id=f"{e[0]}-{i}") for e in entries() for i in range(len(e[2]))]


@pytest.mark.parametrize("entry,index", CASES)
def test_op_matches_torch_on_webgpu(entry, index):
    name, torch_name, samples, domain, differentiable = entry
    check(name, torch_name, samples[index], domain, differentiable, seed=index, device="webgpu")
