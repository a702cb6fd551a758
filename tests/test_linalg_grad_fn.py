"""The nodes ``torch.linalg`` (and the top-level names kept for it) record, which the op table does not
sample: every decomposition, solver and product's ``type(out.grad_fn).__name__`` is torch's, for each
argument form whose result torch still gives its one op's node (vector right-hand sides, left=False,
upper=True, compute_uv=False), on cpu and webgpu."""
import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
_rng = np.random.default_rng(0)
M = _rng.standard_normal((3, 3))
SPD = M @ M.T + 3 * np.eye(3)
L_SPD = np.linalg.cholesky(SPD)
R = _rng.standard_normal((4, 3))
V = _rng.standard_normal(3)

CASES = {
    "inv": lambda m, t: m.linalg.inv(t(M)), "inv_ex": lambda m, t: m.linalg.inv_ex(t(M)),
    "inverse": lambda m, t: m.inverse(t(M)), "det": lambda m, t: m.linalg.det(t(M)),
    "slogdet": lambda m, t: m.linalg.slogdet(t(M)), "logdet": lambda m, t: m.logdet(t(SPD)),
    "solve": lambda m, t: m.linalg.solve(t(M), t(R[:3])),
    "solve_vector": lambda m, t: m.linalg.solve(t(M), t(V)),
    "solve_right": lambda m, t: m.linalg.solve(t(M), t(R), left=False),
    "solve_ex": lambda m, t: m.linalg.solve_ex(t(M), t(R[:3])),
    "cholesky": lambda m, t: m.linalg.cholesky(t(SPD)),
    "cholesky_upper": lambda m, t: m.linalg.cholesky(t(SPD), upper=True),
    "cholesky_ex": lambda m, t: m.linalg.cholesky_ex(t(SPD)),
    "legacy_cholesky": lambda m, t: m.cholesky(t(SPD), upper=True),
    "qr": lambda m, t: m.linalg.qr(t(R)), "qr_r": lambda m, t: m.linalg.qr(t(R), mode="r"),
    "svd": lambda m, t: m.linalg.svd(t(R), full_matrices=False), "legacy_svd": lambda m, t: m.svd(t(R)),
    "svd_no_uv": lambda m, t: m.svd(t(R), compute_uv=False).S, "svdvals": lambda m, t: m.linalg.svdvals(t(R)),
    "eigh": lambda m, t: m.linalg.eigh(t(SPD)), "eigvalsh": lambda m, t: m.linalg.eigvalsh(t(SPD)),
    "matrix_norm_nuc": lambda m, t: m.linalg.matrix_norm(t(R), "nuc"),
    "matrix_norm_2": lambda m, t: m.linalg.matrix_norm(t(R), 2), "norm": lambda m, t: m.linalg.norm(t(R)),
    "multi_dot": lambda m, t: m.linalg.multi_dot([t(R), t(M), t(M)]),
    "multi_dot_vectors": lambda m, t: m.linalg.multi_dot([t(R[0]), t(R.T), t(R[:, 0])]),
    "matrix_power_0": lambda m, t: m.linalg.matrix_power(t(M), 0),
    "matrix_power_1": lambda m, t: m.linalg.matrix_power(t(M), 1),
    "matrix_power_3": lambda m, t: m.linalg.matrix_power(t(M), 3),
    "matrix_power_neg": lambda m, t: m.linalg.matrix_power(t(M), -2),
    "solve_triangular": lambda m, t: m.linalg.solve_triangular(t(SPD), t(R[:3]), upper=True),
    "cholesky_solve": lambda m, t: m.cholesky_solve(t(R[:3]), t(L_SPD)),
    "cholesky_inverse": lambda m, t: m.cholesky_inverse(t(L_SPD)),
    "pinv": lambda m, t: m.linalg.pinv(t(R)),
    "pinv_hermitian": lambda m, t: m.linalg.pinv(t(SPD), hermitian=True),
    "pinverse": lambda m, t: m.pinverse(t(R)), "lstsq": lambda m, t: m.linalg.lstsq(t(R), t(R)),
    "cross": lambda m, t: m.linalg.cross(t(R), t(R[::-1].copy())),
    "vecdot": lambda m, t: m.linalg.vecdot(t(R), t(R)),
    "lu_factor": lambda m, t: m.linalg.lu_factor(t(M)),
    "lu_factor_ex": lambda m, t: m.linalg.lu_factor_ex(t(M)),
    "lu": lambda m, t: m.linalg.lu(t(R)), "lu_unpack": lambda m, t: m.lu_unpack(*m.linalg.lu_factor(t(M))),
    "lu_solve": lambda m, t: m.linalg.lu_solve(*m.linalg.lu_factor(t(M)), t(R[:3])),
    "lu_solve_right": lambda m, t: m.linalg.lu_solve(*m.linalg.lu_factor(t(M)), t(R), left=False),
    "householder_product": lambda m, t: m.linalg.householder_product(t(R), t(V)),
    "ormqr": lambda m, t: m.ormqr(t(R), t(V), t(R)),
}


def _names(out):
    outs = out if isinstance(out, (tuple, list)) else (out,)
    return [type(o.grad_fn).__name__ if o.grad_fn is not None else None for o in outs]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", list(CASES))
def test_linalg_records_torchs_node(case, device):
    expected = _names(CASES[case](torch, lambda a: torch.tensor(a, requires_grad=True)))
    got = _names(CASES[case](pyfront, lambda a: pyfront.tensor(a, dtype=pyfront.float32, device=device,
                                                               requires_grad=True)))
    assert got == expected
