"""The linalg functions that check their matrices (inv, solve, cholesky, lu_factor; their _ex forms with
check_errors=True; the old torch.cholesky, torch.lu, inverse, matrix_power, tensorsolve) against torch 2.13 on
singular and not positive-definite matrices, single and batched: torch's error class name (``_LinAlgError``)
and text, which names the function called (``linalg.inv_ex:`` where inv_ex checked), or the result where
torch does not refuse (torch.lu with a singular matrix)."""
import warnings

import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _calls(L, dev):
    S = L.zeros(2, 2, device=dev)
    N = L.tensor([[1.0, 2.0], [2.0, 1.0]], device=dev)
    batch = L.stack([L.eye(2, device=dev), N])
    la = L.linalg
    return {
        "inv": lambda: la.inv(S), "inv_ex": lambda: la.inv_ex(S, check_errors=True),
        "inv_ex batch": lambda: la.inv_ex(L.stack([N, S]), check_errors=True),
        "inv_ex unchecked": lambda: la.inv_ex(S).info,
        "solve": lambda: la.solve(S, L.ones(2, device=dev)),
        "solve_ex": lambda: la.solve_ex(S, L.ones(2, device=dev), check_errors=True),
        "cholesky": lambda: la.cholesky(N), "cholesky_ex": lambda: la.cholesky_ex(N, check_errors=True),
        "cholesky_ex batch": lambda: la.cholesky_ex(batch, check_errors=True),
        "cholesky_ex upper": lambda: la.cholesky_ex(N, upper=True, check_errors=True),
        "lu_factor": lambda: la.lu_factor(S), "lu_factor_ex": lambda: la.lu_factor_ex(S, check_errors=True),
        "lu_factor_ex batch": lambda: la.lu_factor_ex(L.stack([N, S]), check_errors=True),
        "torch.lu": lambda: L.lu(S), "torch.lu infos": lambda: L.lu(S, get_infos=True)[2],
        "Tensor.lu": lambda: S.lu(), "torch.cholesky": lambda: L.cholesky(-L.eye(2, device=dev)),
        "Tensor.cholesky": lambda: (-L.eye(2, device=dev)).cholesky(), "inverse": lambda: L.inverse(S),
        "matrix_power -1": lambda: la.matrix_power(S, -1),
        "tensorsolve": lambda: la.tensorsolve(S, L.ones(2, device=dev)),
    }


def _outcome(L, dev, case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = _calls(L, dev)[case]()
        except RuntimeError as e:
            return type(e).__name__, str(e)
    outs = out if isinstance(out, tuple) else (out,)
    return [o.cpu().tolist() for o in outs]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", list(_calls(torch, "cpu")))
def test_a_failed_check_as_torch(case, device):
    assert _outcome(pyfront, device, case) == _outcome(torch, "cpu", case)
