"""Tensor.pin_memory / is_pinned, which nanoGPT's get_batch calls on the cuda branch."""
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu


def test_without_an_accelerator_it_is_torchs_cpu_build_error():
    assert pyfront.ones(2).is_pinned() is torch.ones(2).is_pinned() is False
    with pytest.raises(RuntimeError) as theirs:
        torch.ones(2).pin_memory()
    with pytest.raises(RuntimeError) as ours:
        pyfront.ones(2).pin_memory()
    assert str(ours.value) == str(theirs.value)


@requires_webgpu
def test_with_cuda_mapped_to_webgpu_it_is_a_copy():
    pyfront.cuda.map_to_webgpu(True)
    try:
        x = pyfront.arange(4.0)
        y = x.pin_memory()
        assert y is not x and y.tolist() == x.tolist() and y.device.type == "cpu"
        y.add_(1)
        assert x.tolist() == [0.0, 1.0, 2.0, 3.0]  # a copy, as torch's pinned copy
        assert y.to("cuda", non_blocking=True).device.type == "webgpu"
    finally:
        pyfront.cuda.map_to_webgpu(False)
