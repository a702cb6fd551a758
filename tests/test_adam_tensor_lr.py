"""A Tensor lr with ``foreach=True``: torch's multi-tensor Adam/AdamW refuse it unless capturable, at
construction and at a step after the group's lr became a Tensor; the single-tensor path takes it."""
import pytest
import torch

import pyfront


def _outcome(lib, cls, construct_with_tensor, foreach):
    p = [lib.nn.Parameter(lib.ones(2))]
    try:
        lr = lib.tensor(0.01) if construct_with_tensor else 0.01
        opt = getattr(lib.optim, cls)(p, lr=lr, foreach=foreach)
        opt.param_groups[0]["lr"] = lib.tensor(0.02)
        p[0].grad = lib.ones(2)
        opt.step()
        return ("ok", [round(v, 6) for v in p[0].tolist()])
    except Exception as e:
        return (type(e).__name__, str(e))


@pytest.mark.parametrize("cls", ["Adam", "AdamW"])
@pytest.mark.parametrize("construct_with_tensor", [True, False])
@pytest.mark.parametrize("foreach", [True, False, None])
def test_tensor_lr_with_foreach_follows_torch(cls, construct_with_tensor, foreach):
    assert _outcome(pyfront, cls, construct_with_tensor, foreach) == _outcome(
        torch, cls, construct_with_tensor, foreach)
