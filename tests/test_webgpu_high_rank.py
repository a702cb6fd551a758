"""Layouts of more dims than a webgpu kernel indexes, against torch (which indexes up to 25).

A tensor of 9 or 13 dims whose neighbours do not merge (every other pair swapped) once raised "webgpu
elementwise kernels index at most 8 dimensions ...: make the operands contiguous first", and
``.contiguous()`` itself raised it. Now the elementwise kernel loops over its smallest dims on the host
(strides.peel) and the other kernels (indexing, flip, scans, reductions) run again on dense copies.
"""
import numpy as np
import pytest
import torch

import pyfront
from optable import assert_same
from webgpu_required import requires_webgpu

pytestmark = requires_webgpu


def _swapped(rank):
    """A permutation of ``rank`` dims with no two neighbours in order (no dims merge)."""
    perm = list(range(rank))
    for k in range(0, rank - 1, 2):
        perm[k], perm[k + 1] = perm[k + 1], perm[k]
    return perm


def _operands(lib, rank, device):
    rng = np.random.default_rng(rank)
    values = rng.standard_normal([2] * rank).astype("float32")
    index = rng.integers(0, 2, size=[1] + [2] * (rank - 1))
    x = lib.tensor(values, **({"device": device} if device else {})).permute(*_swapped(rank))
    i = lib.tensor(index, **({"device": device} if device else {}))
    return x, i


CALLS = {
    "contiguous": lambda m, x, i: x.contiguous(),
    "add strided to dense": lambda m, x, i: x + x.contiguous(),
    "exp": lambda m, x, i: x.exp(),
    "masked_fill": lambda m, x, i: x.masked_fill(x > 0, 1.5),
    "copy_": lambda m, x, i: m.zeros_like(x).copy_(x),
    "mul_": lambda m, x, i: x.clone().mul_(x),
    "cat": lambda m, x, i: m.cat([x, x], 1),
    "sort": lambda m, x, i: x.sort(1),
    "topk": lambda m, x, i: x.topk(1, 2),
    "flip": lambda m, x, i: x.flip(0, 3),
    "index": lambda m, x, i: x[m.tensor([1, 0, 1], device=x.device)],
    "gather": lambda m, x, i: x.gather(0, i),
    "scatter_add": lambda m, x, i: m.zeros_like(x).scatter_add(0, i, x[:1]),
    "index_put": lambda m, x, i: x.index_put((m.tensor([1], device=x.device),),
                                             m.full((), 5.0, device=x.device)),
    "cumsum": lambda m, x, i: x.cumsum(1),
    "cummax": lambda m, x, i: x.cummax(2),
    "softmax": lambda m, x, i: x.softmax(1),
    "sum": lambda m, x, i: x.sum((0, 2, 5)),
    "var": lambda m, x, i: x.var(1),
}


# 9 dims: past the elementwise, indexing and flip kernels' 8; 13: past the reductions' 12 and the row
# kernels' 8 beside the row
RANKS = [(name, 9) for name in CALLS] + [(name, 13) for name in ("contiguous", "gather", "cumsum", "sum",
                                                                  "flip")]


@pytest.mark.parametrize("name,rank", RANKS)
def test_many_unmerged_dims_on_webgpu_as_torch(name, rank):
    expected = CALLS[name](torch, *_operands(torch, rank, None))
    got = CALLS[name](pyfront, *_operands(pyfront, rank, "webgpu"))
    assert_same(got, expected, rtol=1e-3, atol=1e-5)


def test_a_mask_of_more_dims_than_an_index_kernel_takes_is_refused_clearly():
    """Left: x[mask] with a 13-dim mask is 13 index rows, past the 12 one indexing kernel takes (torch
    computes it); the refusal names that limit, not a kernel parameter's length."""
    x, _ = _operands(pyfront, 13, "webgpu")
    with pytest.raises(RuntimeError, match=r"^webgpu indexing: too many indexed dimensions \(13\) for one "
                                           r"kernel; at most 12$"):
        x[x > 0]
