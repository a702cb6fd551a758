"""The whole op table again on the webgpu device (Mesa's lavapipe in CI), against torch."""
import pytest

from optable import cases, check
from test_ops import CHAINS, run_chain
from webgpu_required import requires_webgpu

pytestmark = requires_webgpu

CASES = cases("webgpu")


@pytest.mark.parametrize("entry,index", CASES)
def test_op_matches_torch_on_webgpu(entry, index):
    name, torch_name, samples, domain, differentiable = entry
    check(name, torch_name, samples[index], domain, differentiable, seed=index, device="webgpu")


@pytest.mark.parametrize("key", CHAINS)
def test_chain_matches_torch_on_webgpu(key):
    run_chain(key, "webgpu")
