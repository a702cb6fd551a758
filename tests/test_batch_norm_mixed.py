"""batch_norm of a float16/bfloat16 input with float32 weight, bias and running stats (ATen's "mixed" CPU
kernel, what every conv + BatchNorm takes under cpu autocast): computed in float32 with the batch
statistics kept in float32 (not rounded to the input's dtype, as the plain 16-bit kernel stores them), the
output rounded once; the weight's and bias's gradients in float32. A fresh user's bf16 autocast CNN drifted
from torch's loss by the third step (2.0694 vs 2.0283)."""
import numpy as np
import pytest
import torch

import pyfront


def _run(L, dtype, training):
    rng = np.random.default_rng(0)
    x = L.tensor(rng.standard_normal((4, 8, 6, 6)).astype(np.float32) * 3 + 1).to(getattr(L, dtype))
    x.requires_grad_()
    w = L.tensor(np.linspace(0.5, 1.5, 8, dtype=np.float32), requires_grad=True)
    b = L.tensor(np.linspace(-1, 1, 8, dtype=np.float32), requires_grad=True)
    rm, rv = L.zeros(8), L.ones(8) * 2
    y = L.nn.functional.batch_norm(x, rm, rv, w, b, training=training)
    (y.float() * L.linspace(-1, 1, y.numel()).reshape(y.shape)).sum().backward()
    return [t.detach().float().numpy() for t in (y, rm, rv, x.grad, w.grad, b.grad)], (y.dtype, w.grad.dtype)


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
def test_mixed_batch_norm_as_torch(dtype, training):
    (y, rm, rv, dx, dw, db), dtypes = _run(pyfront, dtype, training)
    (ty, trm, trv, tdx, tdw, tdb), tdtypes = _run(torch, dtype, training)
    assert str(dtypes) == str(tdtypes)
    np.testing.assert_array_equal(y, ty)  # the output to the bit
    for got, want in ((rm, trm), (rv, trv)):  # (the running stats' float32 sums may add in another order)
        np.testing.assert_allclose(got, want, rtol=3e-7, atol=0)
    # the backward's float32 sums may add in another order: within an ulp of the input's dtype
    ulp = 2.0 ** (-7 if dtype == "bfloat16" else -10)
    np.testing.assert_allclose(dx, tdx, rtol=ulp, atol=ulp * np.abs(tdx).max())
    np.testing.assert_allclose(dw, tdw, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(db, tdb, rtol=1e-6, atol=1e-6)
