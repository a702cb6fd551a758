"""torch.svd_lowrank and torch.pca_lowrank (randomized range finding over pyfront's QR and SVD): on
matrices of exact low rank the leading triplets are torch's whatever the random sketch, and so are the
shapes, dtypes, the low-rank reconstruction, gradients' existence and the argument errors."""
import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _low_rank(batch, m, n, rank, seed=0):
    rs = np.random.RandomState(seed)
    return (rs.randn(*batch, m, rank) @ rs.randn(*batch, rank, n)).astype(np.float32)


def _triplets(lib, fn, A, device="cpu", k=3):
    a = lib.tensor(A)
    a = a.to(device) if lib is pyfront else a
    U, S, V = fn(lib, a)
    # each triplet's sign is the sketch's choice: its outer product u s v^T is not
    outers = [(U[..., :, i:i + 1] * S[..., None, i:i + 1]) @ V[..., :, i:i + 1].mT for i in range(k)]
    return ([tuple(t.shape) for t in (U, S, V)], str(S.dtype), S[..., :k].cpu().numpy(),
            *[o.cpu().numpy() for o in outers])


CALLS = {
    "svd tall": (lambda t, a: t.svd_lowrank(a, q=4), ((2,), 9, 7)),
    "svd wide": (lambda t, a: t.svd_lowrank(a, q=5, niter=1), ((), 5, 8)),
    "svd with M": (lambda t, a: t.svd_lowrank(a, q=4, M=a[..., :1, :] * 0 + 1), ((), 8, 6)),
    "pca": (lambda t, a: t.pca_lowrank(a), ((3,), 10, 6)),
    "pca q, uncentred": (lambda t, a: t.pca_lowrank(a, q=3, center=False, niter=3), ((), 7, 9)),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", list(CALLS))
def test_leading_triplets_are_torchs(name, device):
    fn, (batch, m, n) = CALLS[name]
    A = _low_rank(batch, m, n, 3)
    if name == "svd with M":
        A = A + 1  # A - M has rank 3
    ours, theirs = _triplets(pyfront, fn, A, device), _triplets(torch, fn, A)
    assert ours[:2] == theirs[:2]
    for a, b in zip(ours[2:], theirs[2:]):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-3)


def _error(lib, call):
    try:
        call(lib)
    except Exception as e:  # noqa: BLE001  (the comparison is the point)
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("call", [
    lambda t: t.pca_lowrank(t.ones(4, 3), q=4),
    lambda t: t.pca_lowrank(t.ones(4, 3), q=-1),
    lambda t: t.pca_lowrank(t.ones(4, 3), niter=-1),
    lambda t: t.svd_lowrank(t.ones(3, 4, dtype=t.int64), q=2),
])
def test_argument_errors(call):
    assert _error(pyfront, call) == _error(torch, call) is not None


def test_double_and_gradient():
    a = pyfront.tensor(_low_rank((), 6, 5, 2).astype(np.float64), requires_grad=True)
    U, S, V = pyfront.svd_lowrank(a, q=2)
    assert S.dtype is pyfront.float64 and U.dtype is pyfront.float64
    S.sum().backward()
    expected = torch.linalg.svd(torch.tensor(a.detach().numpy()), full_matrices=False)
    np.testing.assert_allclose(a.grad.numpy(), (expected.U[:, :2] @ expected.Vh[:2]).numpy(), atol=1e-6)
