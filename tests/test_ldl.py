"""torch.linalg.ldl_factor / ldl_factor_ex / ldl_solve (Bunch-Kaufman as LAPACK's sytf2/sytrs): LD and the
1-based int32 pivots are torch's, 2x2 blocks included, on a sweep of symmetric matrices (zero diagonals
force 2x2 pivots) in float and double, batched; the solves agree; and the argument errors are torch's."""
import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu


def _symmetric(seed):
    rs = np.random.RandomState(seed)
    n = 1 + seed % 7
    A = rs.randn(2, n, n)
    A = A + A.transpose(0, 2, 1)
    if seed % 3 == 0:
        A[:, range(n), range(n)] = 0  # no 1x1 pivot fits: 2x2 blocks
    return A, rs.randn(2, n, 3)


def _factor_and_solve(lib, A, B, dtype, device="cpu"):
    a, b = lib.tensor(A, dtype=dtype), lib.tensor(B, dtype=dtype)
    if lib is pyfront:
        a, b = a.to(device), b.to(device)
    LD, pivots, info = lib.linalg.ldl_factor_ex(a)
    X = lib.linalg.ldl_solve(LD, pivots, b)
    return LD.cpu().numpy(), pivots.cpu().numpy(), str(pivots.dtype), info.cpu().numpy(), X.cpu().numpy()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("seed", range(0, 24, 1))
def test_factor_and_solve_match_torch(seed, dtype):
    A, B = _symmetric(seed)
    ours = _factor_and_solve(pyfront, A, B, getattr(pyfront, dtype))
    theirs = _factor_and_solve(torch, A, B, getattr(torch, dtype))
    assert [ours[i].tolist() if i != 2 else ours[i] for i in (1, 2, 3)] == \
        [theirs[i].tolist() if i != 2 else theirs[i] for i in (1, 2, 3)]
    tol = 1e-9 if dtype == "float64" else 2e-4
    np.testing.assert_allclose(ours[0], theirs[0], rtol=tol, atol=tol)
    np.testing.assert_allclose(ours[4], theirs[4], rtol=tol * 10, atol=tol * 10)


@requires_webgpu
def test_webgpu_tensors():
    A, B = _symmetric(3)
    ours = _factor_and_solve(pyfront, A, B, pyfront.float32, "webgpu")
    theirs = _factor_and_solve(torch, A, B, torch.float32)
    assert ours[1].tolist() == theirs[1].tolist()
    np.testing.assert_allclose(ours[4], theirs[4], rtol=2e-3, atol=2e-3)


def _outcome(lib, call):
    try:
        out = call(lib)
    except Exception as e:  # noqa: BLE001  (the comparison is the point)
        return type(e).__name__, str(e)
    return [str(t) for t in out]


@pytest.mark.parametrize("call", [
    lambda t: t.linalg.ldl_factor(t.zeros(3, 2, 2)),
    lambda t: t.linalg.ldl_factor(t.tensor([[1.0, 0], [0, 0]])),
    lambda t: t.linalg.ldl_factor_ex(t.zeros(2, 2), check_errors=True),
    lambda t: t.linalg.ldl_factor_ex(t.zeros(2, 2)),
    lambda t: t.linalg.ldl_factor(t.zeros(2, 3)),
    lambda t: t.linalg.ldl_factor(t.zeros(2, 2, dtype=t.int64)),
    lambda t: t.linalg.ldl_factor(t.zeros(2)),
    lambda t: t.linalg.ldl_factor(t.eye(2).half()),
    lambda t: t.linalg.ldl_factor(t.tensor([[0.0, 1], [1, 0]])),
    lambda t: t.linalg.ldl_factor(t.eye(2, requires_grad=True)),
    lambda t: t.linalg.ldl_solve(*t.linalg.ldl_factor(t.eye(2)), t.ones(3, 1)),
    lambda t: t.linalg.ldl_solve(*t.linalg.ldl_factor(t.eye(2)), t.ones(2)),
])
def test_errors_and_reprs(call):
    assert _outcome(pyfront, call) == _outcome(torch, call)
