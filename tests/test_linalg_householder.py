"""linalg.householder_product, torch.orgqr and torch.ormqr (all four sides/transposes) against torch 2.13:
values and the gradients of every input (float64 on cpu, float32 on webgpu), and the errors' type and
text."""
import numpy as np
import pytest
import torch
from leaf_calls import call_with_leaves
from webgpu_required import requires_webgpu

import pyfront

RNG = np.random.default_rng(0)


def _m(*shape):
    return RNG.standard_normal(shape)


def _ormqr_call(left, transpose):
    def call(L, x):
        other = _m(2, 5, 4) if left else _m(2, 4, 5)
        return L.ormqr(x(_m(2, 5, 3)), x(_m(2, 3)), x(other), left, transpose)
    return call


CALLS = {
    "product": lambda L, x: L.linalg.householder_product(x(_m(2, 5, 3)), x(_m(2, 3))),
    "product-fewer": lambda L, x: L.linalg.householder_product(x(_m(5, 3)), x(_m(2))),
    "product-square": lambda L, x: L.linalg.householder_product(x(_m(4, 4)), x(_m(4))),
    "product-none": lambda L, x: L.linalg.householder_product(x(_m(3, 2)), x(_m(0))),
    "orgqr": lambda L, x: L.orgqr(x(_m(2, 4, 3)), x(_m(2, 3))),
    "orgqr-method": lambda L, x: x(_m(4, 3)).orgqr(x(_m(3))),
    **{f"ormqr-{side}-{tr}": _ormqr_call(side, tr) for side in (True, False) for tr in (True, False)},
    "ormqr-wide": lambda L, x: x(_m(3, 5)).ormqr(x(_m(3)), x(_m(3, 2))),
    "product-1d": lambda L, x: L.linalg.householder_product(x(_m(3)), x(_m(3))),
    "product-wide": lambda L, x: L.linalg.householder_product(x(_m(3, 5)), x(_m(3))),
    "product-tau-big": lambda L, x: L.linalg.householder_product(x(_m(5, 3)), x(_m(4))),
    "product-tau-rank": lambda L, x: L.linalg.householder_product(x(_m(2, 5, 3)), x(_m(3))),
    "product-tau-batch": lambda L, x: L.linalg.householder_product(x(_m(2, 5, 3)), x(_m(3, 3))),
    "product-dtype": lambda L, x: L.linalg.householder_product(x(_m(5, 3)), x(_m(3)).float()),
    "product-int": lambda L, x: L.linalg.householder_product(L.ones(3, 3, dtype=L.int32),
                                                             L.ones(3, dtype=L.int32)),
    "ormqr-1d": lambda L, x: L.ormqr(x(_m(3)), x(_m(3)), x(_m(5, 2))),
    "ormqr-other-1d": lambda L, x: L.ormqr(x(_m(5, 3)), x(_m(3)), x(_m(5))),
    "ormqr-rows": lambda L, x: L.ormqr(x(_m(5, 3)), x(_m(3)), x(_m(4, 2))),
    "ormqr-cols": lambda L, x: L.ormqr(x(_m(5, 3)), x(_m(3)), x(_m(4, 4)), left=False),
    "ormqr-tau-short": lambda L, x: L.ormqr(x(_m(5, 3)), x(_m(2)), x(_m(5, 2))),
    "ormqr-tau-rank": lambda L, x: L.ormqr(x(_m(2, 5, 3)), x(_m(3)), x(_m(2, 5, 2))),
    "ormqr-other-batch": lambda L, x: L.ormqr(x(_m(2, 5, 3)), x(_m(2, 3)), x(_m(3, 5, 2))),
    "ormqr-dtype": lambda L, x: L.ormqr(x(_m(5, 3)), x(_m(3)), x(_m(5, 2)).float()),
}


def _outcome(L, call, device, dtype):
    r, leaves = call_with_leaves(L, call, device, dtype)
    if leaves is None:
        return r
    weight = L.tensor(np.cos(np.arange(r.numel()) + 1.0).reshape(tuple(r.shape)), dtype=r.dtype,
                      device=device)
    if not r.requires_grad:  # (torch's product of no reflectors is a constant)
        return str(r.dtype), tuple(r.shape), r.detach().cpu().numpy(), [None] * len(leaves)
    grads = L.autograd.grad((r * weight).sum(), leaves, allow_unused=True)
    return (str(r.dtype), tuple(r.shape), r.detach().cpu().numpy(),
            [None if g is None else g.cpu().numpy() for g in grads])


def _compare(name, device, dtype, tol):
    state = RNG.bit_generator.state
    want = _outcome(torch, CALLS[name], "cpu", dtype)
    RNG.bit_generator.state = state
    got = _outcome(pyfront, CALLS[name], device, dtype)
    if len(want) == 2:
        assert got == want
        return
    assert got[:2] == want[:2]
    np.testing.assert_allclose(got[2], want[2], **tol)
    for g, w in zip(got[3], want[3], strict=True):
        if w is None:  # torch gives no gradient to an unused (zero-width) input
            assert g is None or not g.any()
        else:
            np.testing.assert_allclose(g, w, **tol)


@pytest.mark.parametrize("name", list(CALLS))
def test_matches_torch(name):
    _compare(name, "cpu", "float64", dict(rtol=1e-9, atol=1e-9))


@requires_webgpu
@pytest.mark.parametrize("name", ["product", "ormqr-True-False", "ormqr-False-True"])
def test_matches_torch_webgpu(name):
    _compare(name, "webgpu", "float32", dict(rtol=1e-3, atol=1e-4))


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_geqrf_matches_torch_and_feeds_the_products(device):
    dtype = "float64" if device == "cpu" else "float32"
    tol = dict(rtol=1e-9, atol=1e-9) if device == "cpu" else dict(rtol=1e-4, atol=1e-5)
    for shape in [(2, 5, 3), (3, 5), (4, 4), (2, 0, 0)]:
        a = _m(*shape)
        want = torch.geqrf(torch.tensor(a, dtype=getattr(torch, dtype)))
        got = pyfront.geqrf(pyfront.tensor(a, dtype=getattr(pyfront, dtype), device=device))
        assert type(got).__name__ == "geqrf" and (got.a, got.tau) == tuple(got)
        for g, w in zip(got, want):
            assert tuple(g.shape) == tuple(w.shape) and str(g.dtype) == str(w.dtype)
            np.testing.assert_allclose(g.cpu().numpy(), w.numpy(), **tol)
        if shape[-2] >= shape[-1] and 0 not in shape:  # Q of the QR from geqrf's compact form
            q = pyfront.linalg.householder_product(*got)
            np.testing.assert_allclose(q.cpu().numpy(), torch.linalg.qr(torch.tensor(a)).Q.numpy(), **tol)
    errors = []
    for L in (torch, pyfront):
        outcome = []
        for call in (lambda lib: lib.geqrf(lib.randn(3)),
                     lambda lib: lib.geqrf(lib.ones(3, 3, dtype=lib.int64)),
                     lambda lib: lib.geqrf(lib.randn(3, 3, requires_grad=True)).a.sum().backward()):
            try:
                call(L)
            except Exception as e:  # noqa: BLE001 - compared with torch's
                outcome.append((type(e).__name__, str(e)))
        errors.append(outcome)
    assert errors[1] == errors[0] and len(errors[0]) == 3
