"""A tensor index read where it is (issue 13): ``x[idx]`` with one int64 index tensor stacks no copy of it (a
zeros and a copy_ were 40 of its 72 us at 10 elements), and a vector's index_select/index_add/index_copy
take the index itself (a reshape and an expand to its own shape were 10 us). Against torch: values, errors,
gradients (repeated indices add), and an index written after the forward (its saved version refuses)."""
import pytest
import torch

import pyfront
from pyfront.ops.composite import indexing
from webgpu_required import requires_webgpu


def test_one_int64_index_is_not_copied():
    x, idx = pyfront.arange(10.0), pyfront.tensor([1, -2, 3])
    view, adv = indexing._apply_basic(x, idx)
    packed, dims = indexing._packed(view, adv)
    assert packed._storage is idx._storage and dims == (0,)
    assert indexing._along(idx, 0, (3,)) is idx


def _run(lib, index, grad=True):
    x = lib.arange(12.0).reshape(4, 3).requires_grad_(grad)
    try:
        out = x[index(lib)]
    except (IndexError, RuntimeError) as e:
        return type(e), str(e)
    out.sum().backward()
    return out.tolist(), list(out.stride()), x.grad.tolist()


@pytest.mark.parametrize("index", [
    lambda lib: lib.tensor([1, -1, 1]), lambda lib: lib.tensor([[0, 3], [3, 3]]), lambda lib: lib.tensor([4]),
    lambda lib: lib.tensor([-5]), lambda lib: lib.tensor([[0, 7], [-9, 1]]),
    lambda lib: (lib.tensor([0, 1]), lib.tensor([2, 3])), lambda lib: (lib.tensor([0, 9]), lib.tensor([5, 3])), lambda lib: lib.tensor([0, 2], dtype=lib.int32), lambda lib: lib.tensor([], dtype=lib.int64),
    lambda lib: lib.tensor(2), lambda lib: lib.tensor([True, False, True, True]),
    lambda lib: (slice(None), lib.tensor([2, 0, 2])), lambda lib: lib.arange(8).reshape(2, 4).t()[:, 0] % 4])
def test_indexing_by_one_tensor_matches_torch(index):
    assert _run(pyfront, index) == _run(torch, index)


def test_vector_index_ops_match_torch():
    for lib in (pyfront, torch):
        x, idx = lib.arange(5.0), lib.tensor([4, 0, 4])
        src = lib.tensor([1.0, 2.0, 3.0])
        got = (x.index_select(0, idx).tolist(), x.index_add(0, idx, src).tolist(),
               x.index_copy(0, lib.tensor([4, 0, 1]), src).tolist())
        if lib is pyfront:
            ours = got
    assert ours == got
    for lib in (pyfront, torch):
        with pytest.raises(IndexError, match="index out of range in self"):
            lib.arange(5.0).index_select(0, lib.tensor([5]))


def test_an_index_written_after_the_forward_refuses_the_backward():
    said = []
    for lib in (pyfront, torch):
        x, idx = lib.arange(4.0, requires_grad=True), lib.tensor([1, 1])
        out = x[idx]
        idx.add_(1)
        with pytest.raises(RuntimeError) as e:
            out.sum().backward()
        said.append(str(e.value))
    assert said[0] == said[1] and "modified by an inplace operation" in said[0]


@requires_webgpu
def test_a_cpu_index_of_a_webgpu_tensor():
    """torch takes a cpu index for a tensor on another device: the index is copied to it, not read where it
    is (a webgpu x indexed by a cpu int64 tensor failed with 'Expected all tensors to be on the same device')."""
    x = pyfront.arange(12.0, device="webgpu").reshape(4, 3).requires_grad_()
    out = x[pyfront.tensor([2, 0, 2, 3])]
    out.sum().backward()
    expected = torch.arange(12.0).reshape(4, 3)[torch.tensor([2, 0, 2, 3])]
    assert out.device.type == "webgpu" and out.tolist() == expected.tolist()
    assert x.grad.tolist() == [[1.0] * 3, [0.0] * 3, [2.0] * 3, [1.0] * 3]
