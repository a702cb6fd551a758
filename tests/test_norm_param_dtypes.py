"""The norms with parameters (weight, bias, running stats) of another dtype than the input, as torch's
CPU kernels: float32 parameters beside a float16 input compute in float32 and give a float16 output
(and float32 parameter gradients); any other mismatch raises torch's "mixed dtype (CPU)" RuntimeError,
before the kernel's own dtype check. rms_norm (a composite in torch) casts back to the input's dtype.
Before, pyfront promoted: layer_norm(half x, float w) was float32, layer_norm(float x, double w) float64."""
import numpy as np
import pytest
import torch

import pyfront

DTYPES = ["float32", "float16", "float64", "int64", "bool"]
X = np.random.RandomState(0).randn(2, 4, 3)
P = np.random.RandomState(1).rand(4) + 0.5
NORMS = {
    "layer_norm": lambda F, x, w, b: F.layer_norm(x, (4, 3), w.view(4, 1).expand(4, 3),
                                                   b.view(4, 1).expand(4, 3)),
    "group_norm": lambda F, x, w, b: F.group_norm(x, 2, w, b),
    "instance_norm": lambda F, x, w, b: F.instance_norm(x, weight=w, bias=b),
    "batch_norm_eval": lambda F, x, w, b: F.batch_norm(x, w.detach().clone(), b.detach().abs(), w, b),
    "batch_norm_train": lambda F, x, w, b: F.batch_norm(x, None, None, w, b, training=True),
    "rms_norm": lambda F, x, w, b: F.rms_norm(x, (3,), w[:3]),
}


def _run(lib, name, dx, dw, db):
    x = lib.tensor(X).to(getattr(lib, dx))
    w, b = lib.tensor(P).to(getattr(lib, dw)), lib.tensor(P[::-1].copy()).to(getattr(lib, db))
    try:
        out = NORMS[name](lib.nn.functional, x, w, b)
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return type(e).__name__, str(e).split("\n")[0]
    return str(out.dtype).split(".")[-1], out.double().tolist()


@pytest.mark.parametrize("db", ["same", "float32"])
@pytest.mark.parametrize("dw", DTYPES)
@pytest.mark.parametrize("dx", DTYPES)
@pytest.mark.parametrize("name", sorted(NORMS))
def test_norm_with_parameters_of_another_dtype(name, dx, dw, db):
    db = dw if db == "same" else db
    want, got = _run(torch, name, dx, dw, db), _run(pyfront, name, dx, dw, db)
    assert got[0] == want[0]
    if isinstance(want[1], str):
        assert got[1] == want[1]
    else:
        tol = 2e-3 if "float16" in (dx, dw, db) else 1e-5
        np.testing.assert_allclose(got[1], want[1], rtol=tol, atol=tol)


@pytest.mark.parametrize("name", ["layer_norm", "group_norm", "rms_norm"])
def test_mixed_half_gradients(name):
    grads = {}
    for lib in (torch, pyfront):
        x = lib.tensor(X).half().requires_grad_()
        w, b = (lib.tensor(v).float().requires_grad_() for v in (P, P[::-1].copy()))
        NORMS[name](lib.nn.functional, x, w, b).float().pow(2).sum().backward()
        grads[lib] = [(str(t.grad.dtype).split(".")[-1], t.grad.double().tolist()) for t in (x, w, b)
                      if t.grad is not None]
    assert [g[0] for g in grads[pyfront]] == [g[0] for g in grads[torch]]
    for (_, got), (_, want) in zip(grads[pyfront], grads[torch]):
        np.testing.assert_allclose(got, want, rtol=2e-2, atol=2e-2)
