"""linalg.vander, diagonal, tensorinv, tensorsolve and cond against torch 2.13: values, shapes, dtypes,
gradients (float64 on cpu, float32 on webgpu) and the error's type and text."""
import numpy as np
import pytest
import torch
from leaf_calls import call_with_leaves
from webgpu_required import requires_webgpu

import pyfront

RNG = np.random.default_rng(0)
SQ = RNG.standard_normal((2, 3, 3)) + 3 * np.eye(3)
T4 = RNG.standard_normal((2, 3, 6)) + np.eye(6).reshape(2, 3, 6)

CALLS = {
    "vander": lambda L, x: L.linalg.vander(x(RNG.standard_normal((2, 3)))),
    "vander-N": lambda L, x: L.linalg.vander(x(RNG.standard_normal(4)), N=6),
    "vander-int": lambda L, x: L.linalg.vander(L.tensor([1, 2, 3])),
    "vander-N1": lambda L, x: L.linalg.vander(x(RNG.standard_normal(3)), N=1),
    "vander-0d": lambda L, x: L.linalg.vander(x(np.array(2.0))),
    "diagonal": lambda L, x: L.linalg.diagonal(x(RNG.standard_normal((2, 3, 4)))),
    "diagonal-offset": lambda L, x: L.linalg.diagonal(x(RNG.standard_normal((2, 3, 4))), offset=1, dim1=0,
                                                      dim2=2),
    "tensorinv": lambda L, x: L.linalg.tensorinv(
        x((np.eye(6) * 2 + RNG.standard_normal((6, 6)) * 0.1).reshape(6, 2, 3)), ind=1),
    "tensorinv-ind0": lambda L, x: L.linalg.tensorinv(x(SQ), ind=0),
    "tensorinv-shape": lambda L, x: L.linalg.tensorinv(x(RNG.standard_normal((2, 3, 2, 2)))),
    "tensorsolve": lambda L, x: L.linalg.tensorsolve(x(T4), x(RNG.standard_normal((2, 3)))),
    "tensorsolve-dims": lambda L, x: L.linalg.tensorsolve(x(T4.transpose(2, 0, 1).copy()),
                                                          x(RNG.standard_normal((2, 3))), dims=(0,)),
    "cond": lambda L, x: L.linalg.cond(x(SQ)),
    "cond-rect": lambda L, x: L.linalg.cond(x(RNG.standard_normal((3, 2)))),
    "cond-rect-1": lambda L, x: L.linalg.cond(x(RNG.standard_normal((3, 2))), 1),
    "cond-1d": lambda L, x: L.linalg.cond(x(RNG.standard_normal(3)), 1),
    **{f"cond-{p}": (lambda order: lambda L, x: L.linalg.cond(x(SQ), order))(p)
       for p in (2, -2, "fro", "nuc", 1, -1, float("inf"), -float("inf"))},
}


def _outcome(L, call, device, dtype):
    r, leaves = call_with_leaves(L, call, device, dtype)
    if leaves is None:
        return r
    grads = []
    if r.requires_grad:
        try:
            grads = [g.cpu().numpy() for g in L.autograd.grad((r * r).sum(), leaves)]
        except RuntimeError:  # torch's cond for a norm order writes its inverse in place, breaking backward
            grads = None
    return str(r.dtype).split(".")[-1], tuple(r.shape), r.detach().cpu().numpy(), grads


def _compare(name, device, dtype, tol):
    state = RNG.bit_generator.state
    want = _outcome(torch, CALLS[name], "cpu", dtype)
    RNG.bit_generator.state = state
    got = _outcome(pyfront, CALLS[name], device, dtype)
    assert got[:2] == want[:2]
    if len(want) == 4:
        np.testing.assert_allclose(got[2], want[2], **tol)
        assert got[3] is not None
        for g, w in zip(got[3], want[3] or got[3], strict=True):
            np.testing.assert_allclose(g, w, **tol)


@pytest.mark.parametrize("name", list(CALLS))
def test_matches_torch(name):
    _compare(name, "cpu", "float64", dict(rtol=1e-9, atol=1e-9))


@requires_webgpu
@pytest.mark.parametrize("name", ["vander", "diagonal", "tensorsolve", "cond-fro"])
def test_matches_torch_webgpu(name):
    _compare(name, "webgpu", "float32", dict(rtol=1e-3, atol=1e-3))
