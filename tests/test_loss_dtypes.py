"""Every loss of nn.functional with input and target of different floating dtypes (float32/float64, both
orders) and an integer target: result dtype, value and error as PyTorch's. PyTorch computes in the promoted
dtype and writes into the buffer its kernel allocates, refusing only a cast across kinds."""
import pytest
import torch

import pyfront



# a bool operand: torch's loss kernels (mse, smooth_l1, huber) read it promoted, its composites subtract it
DTYPES = [("float32", "float64"), ("float64", "float32"), ("float32", "int64"), ("float64", "float64"),
          ("float32", "bool"), ("bool", "float32"), ("float64", "bool")]


def _gen(n, lo, hi):
    g = torch.Generator().manual_seed(n)
    return lo + (hi - lo) * torch.rand(2, 3, generator=g, dtype=torch.float64)


SIGNS = torch.tensor([[1.0, -1, 1], [-1, 1, 1]], dtype=torch.float64)
LOSSES = {  # name -> (input, target, extra args) in float64, cast to each case's dtypes
    "mse_loss": (_gen(0, -2, 2), _gen(1, -2, 2), {}),
    "l1_loss": (_gen(0, -2, 2), _gen(1, -2, 2), {}),
    "smooth_l1_loss": (_gen(0, -2, 2), _gen(1, -2, 2), {}),
    "huber_loss": (_gen(0, -2, 2), _gen(1, -2, 2), {"delta": 0.5}),
    "soft_margin_loss": (_gen(0, -2, 2), SIGNS, {}),
    "binary_cross_entropy": (_gen(0, 0.1, 0.9), _gen(1, 0, 1).round(), {}),
    "binary_cross_entropy_with_logits": (_gen(0, -2, 2), _gen(1, 0, 1).round(), {}),
    "kl_div": (_gen(0, -3, -0.1), _gen(1, 0.1, 1), {}),
    "poisson_nll_loss": (_gen(0, -1, 1), _gen(1, 0, 3).round(), {}),
    "hinge_embedding_loss": (_gen(0, -2, 2), SIGNS, {}),
    "multilabel_soft_margin_loss": (_gen(0, -2, 2), _gen(1, 0, 1).round(), {}),
}


def _call(lib, name, x, t, kw):
    try:
        out = getattr(lib.nn.functional, name)(x, t, **kw)
        return str(out.dtype).split(".")[-1], out.tolist()
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return type(e).__name__, str(e).split("\n")[0]


@pytest.mark.parametrize("dtypes", DTYPES, ids=["-".join(d) for d in DTYPES])
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_with_mixed_dtypes(name, dtypes):
    x, t, kw = LOSSES[name]
    x, t = x.to(getattr(torch, dtypes[0])), t.to(getattr(torch, dtypes[1]))
    want = _call(torch, name, x, t, kw)
    got = _call(pyfront, name, pyfront.tensor(x.numpy()), pyfront.tensor(t.numpy()), kw)
    assert got[0] == want[0]
    if isinstance(want[1], str):
        assert got[1] == want[1]
    else:
        assert got[1] == pytest.approx(want[1], rel=1e-6, abs=1e-7)
