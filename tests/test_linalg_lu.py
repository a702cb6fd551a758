"""The LU family (linalg.lu_factor(_ex), linalg.lu, lu_unpack, linalg.lu_solve, torch.lu, torch.lu_solve)
against torch 2.13: every output (pivots and info exactly, with their dtypes), gradients of every float
input (float64 on cpu, float32 on webgpu), and the error's type and text."""
import warnings

import numpy as np
import pytest
import torch
from leaf_calls import call_with_leaves
from webgpu_required import requires_webgpu

import pyfront

RNG = np.random.default_rng(0)
SINGULAR = np.array([[[1.0, 2, 3], [2, 4, 6], [1, 0, 1]], [[2.0, 1, 0], [1, 3, 1], [0, 1, 4]]])


def _mat(*shape):
    return RNG.standard_normal(shape)


CALLS = {
    "factor": lambda L, x: L.linalg.lu_factor(x(_mat(2, 4, 4))),
    "factor-2d": lambda L, x: L.linalg.lu_factor(x(_mat(5, 5))),
    "factor-tall": lambda L, x: L.linalg.lu_factor(x(_mat(2, 5, 3))),
    "factor-wide": lambda L, x: L.linalg.lu_factor(x(_mat(3, 5))),
    "factor-empty": lambda L, x: L.linalg.lu_factor(x(_mat(2, 0, 3))),
    "factor_ex": lambda L, x: L.linalg.lu_factor_ex(x(_mat(3, 3))),
    "factor_ex-singular": lambda L, x: L.linalg.lu_factor_ex(x(SINGULAR)),
    "factor-singular": lambda L, x: L.linalg.lu_factor(x(SINGULAR)),
    "factor-singular-2d": lambda L, x: L.linalg.lu_factor(x(SINGULAR[0])),
    "factor-1d": lambda L, x: L.linalg.lu_factor(x(_mat(3))),
    "factor-int": lambda L, x: L.linalg.lu_factor(L.ones(2, 2, dtype=L.int64)),
    "factor-nopivot": lambda L, x: L.linalg.lu_factor(x(_mat(2, 2)), pivot=False),
    "lu": lambda L, x: L.linalg.lu(x(_mat(2, 4, 4))),
    "lu-tall": lambda L, x: L.linalg.lu(x(_mat(5, 3))),
    "lu-wide": lambda L, x: L.linalg.lu(x(_mat(2, 3, 5))),
    "lu-1d": lambda L, x: L.linalg.lu(x(_mat(3))),
    "unpack": lambda L, x: L.lu_unpack(*L.linalg.lu_factor(x(_mat(2, 4, 4)))),
    "unpack-tall": lambda L, x: L.lu_unpack(*L.linalg.lu_factor(x(_mat(5, 3)))),
    "unpack-no-data": lambda L, x: L.lu_unpack(*L.linalg.lu_factor(x(_mat(3, 3)).detach()),
                                                unpack_data=False),
    "unpack-no-pivots": lambda L, x: L.lu_unpack(*L.linalg.lu_factor(x(_mat(3, 3))), unpack_pivots=False),
    "unpack-long-pivots": lambda L, x: L.lu_unpack(x(_mat(3, 3)), L.tensor([1, 2, 3])),
    "unpack-bad-pivots": lambda L, x: L.lu_unpack(x(_mat(3, 3)), L.tensor([1, 5, 3], dtype=L.int32)),
    "solve": lambda L, x: L.linalg.lu_solve(*L.linalg.lu_factor(x(_mat(2, 3, 3))), x(_mat(2, 3, 2))),
    "solve-broadcast": lambda L, x: L.linalg.lu_solve(*L.linalg.lu_factor(x(_mat(3, 3))), x(_mat(2, 3, 2))),
    "solve-adjoint": lambda L, x: L.linalg.lu_solve(*L.linalg.lu_factor(x(_mat(2, 3, 3))), x(_mat(3, 2)),
                                                    adjoint=True),
    "solve-right": lambda L, x: L.linalg.lu_solve(*L.linalg.lu_factor(x(_mat(3, 3))), x(_mat(2, 3)),
                                                  left=False),
    "solve-right-adjoint": lambda L, x: L.linalg.lu_solve(*L.linalg.lu_factor(x(_mat(3, 3))), x(_mat(4, 3)),
                                                          left=False, adjoint=True),
    "solve-1d-B": lambda L, x: L.linalg.lu_solve(*L.linalg.lu_factor(x(_mat(3, 3))), x(_mat(3))),
    "solve-shapes": lambda L, x: L.linalg.lu_solve(*L.linalg.lu_factor(x(_mat(3, 3))), x(_mat(2, 1))),
    "solve-right-shapes": lambda L, x: L.linalg.lu_solve(*L.linalg.lu_factor(x(_mat(3, 3))), x(_mat(3, 2)),
                                                         left=False),
    "solve-rect": lambda L, x: L.linalg.lu_solve(x(_mat(3, 2)), L.ones(2, dtype=L.int32), x(_mat(3, 1))),
    "solve-long-pivots": lambda L, x: L.linalg.lu_solve(x(_mat(3, 3)), L.ones(3, dtype=L.int64),
                                                        x(_mat(3, 1))),
    "solve-pivot-count": lambda L, x: L.linalg.lu_solve(x(_mat(3, 3)), L.ones(2, dtype=L.int32),
                                                        x(_mat(3, 1))),
    "solve-pivot-batch": lambda L, x: L.linalg.lu_solve(x(_mat(2, 3, 3)), L.ones(1, 3, dtype=L.int32),
                                                        x(_mat(3, 1))),
    "solve-dtype": lambda L, x: L.linalg.lu_solve(x(_mat(3, 3)), L.ones(3, dtype=L.int32),
                                                  x(_mat(3, 1)).float()),
    "solve-int": lambda L, x: L.linalg.lu_solve(L.ones(3, 3, dtype=L.int32), L.ones(3, dtype=L.int32),
                                                L.ones(3, 1, dtype=L.int32)),
    "unpack-list": lambda L, x: L.lu_unpack([[1.0]], L.ones(1, dtype=L.int32)),
    "factor-extra": lambda L, x: L.linalg.lu_factor(x(_mat(2, 2)), x(_mat(2, 2))),
    "lu-extra": lambda L, x: L.linalg.lu(x(_mat(2, 2)), True),
    "solve-missing": lambda L, x: L.linalg.lu_solve(x(_mat(2, 2)), L.ones(2, dtype=L.int32)),
    "solve-list": lambda L, x: L.linalg.lu_solve(x(_mat(2, 2)), [1, 2], x(_mat(2, 1))),
    "old-lu": lambda L, x: L.lu(x(_mat(2, 3, 3))),
    "old-lu-infos": lambda L, x: L.lu(x(SINGULAR), get_infos=True),
    "old-lu-method": lambda L, x: x(_mat(3, 3)).lu(),
    "old-lu_solve": lambda L, x: L.lu_solve(x(_mat(3, 2)), *L.lu(x(_mat(3, 3)))),
}


def _outcome(L, call, device, dtype):
    r, leaves = call_with_leaves(L, call, device, dtype)
    if leaves is None:
        return r
    outs = list(r) if isinstance(r, tuple) else [r]
    kind = type(r).__name__ if isinstance(r, tuple) else "Tensor"
    values = [(str(o.dtype), tuple(o.shape), o.detach().cpu().numpy()) for o in outs]
    floats = [o for o in outs if o.requires_grad]
    grads = []
    if floats:
        # a fixed weight per output: each one's gradient shows, with no symmetry hiding a wrong sign
        loss = sum((o * L.tensor(np.cos(np.arange(o.numel()) + 1.0).reshape(tuple(o.shape)), dtype=o.dtype,
                                 device=device)).sum() for o in floats)
        grads = [g.cpu().numpy() for g in L.autograd.grad(loss, leaves)]
    return kind, values, grads


def _compare(name, device, dtype, tol):
    state = RNG.bit_generator.state
    want = _outcome(torch, CALLS[name], "cpu", dtype)
    RNG.bit_generator.state = state
    got = _outcome(pyfront, CALLS[name], device, dtype)
    assert got[0] == want[0]
    if len(want) == 2:  # an error: type and text
        assert got == want
        return
    assert [v[:2] for v in got[1]] == [v[:2] for v in want[1]]
    for (d, _, g), (_, _, w) in zip(got[1], want[1]):
        if "int" in d:
            np.testing.assert_array_equal(g, w)
        else:
            np.testing.assert_allclose(g, w, **tol)
    assert len(got[2]) == len(want[2])
    for g, w in zip(got[2], want[2]):
        np.testing.assert_allclose(g, w, **tol)


@pytest.mark.parametrize("name", list(CALLS))
def test_matches_torch(name):
    _compare(name, "cpu", "float64", dict(rtol=1e-9, atol=1e-9))


@requires_webgpu
@pytest.mark.parametrize("name", ["factor", "factor-tall", "factor_ex-singular", "lu-wide", "unpack", "solve",
                                  "solve-right-adjoint", "factor-singular"])
def test_matches_torch_webgpu(name):
    _compare(name, "webgpu", "float32", dict(rtol=1e-3, atol=1e-3))


def test_gradgrad_of_lu_matches_torch():
    """The factorization's backward is composed of ops, so its own gradient is differentiable as torch's."""
    a = _mat(3, 3)
    results = []
    for L in (torch, pyfront):
        A = L.tensor(a, dtype=L.float64, requires_grad=True)
        P, Lo, U = L.linalg.lu(A)
        (g,) = L.autograd.grad((Lo.sin() * U.cos()).sum(), A, create_graph=True)
        results.append(L.autograd.grad(g.square().sum(), A)[0].numpy())
    np.testing.assert_allclose(results[1], results[0], rtol=1e-8, atol=1e-9)


def test_deprecation_warnings_are_torchs():
    a = _mat(3, 3)
    texts = []
    for L in (torch, pyfront):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            LU, piv = L.lu(L.tensor(a))
            L.lu_solve(L.tensor(a), LU, piv)
        texts.append([str(w.message).split(" (Triggered")[0] for w in caught])
    assert texts[1] == texts[0]


@pytest.mark.parametrize("shape, seed", [((4, 3), 1), ((3, 4), 23), ((2, 3, 3), 0)])
def test_lu_gradient_zeros_are_positive_as_torch(shape, seed):
    """An exact zero of the gradient is +0.0, as torch's triangular solves leave it (pyfront's were -0.0)."""
    A = np.random.default_rng(seed).integers(-3, 4, size=shape).astype(np.float32)
    grads = []
    for L in (torch, pyfront):
        a = L.tensor(A, requires_grad=True)
        _, lower, upper = L.linalg.lu(a)
        (lower.sum() + upper.sum()).backward()
        grads.append(a.grad.detach().numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-5, atol=1e-6)
    zeros = grads[0] == 0
    np.testing.assert_array_equal(np.signbit(grads[1][zeros]), np.signbit(grads[0][zeros]))
