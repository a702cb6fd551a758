"""The padding layers against torch.nn: printed form, argument handling, forward, gradient and errors, for
every kind and dimensionality, on cpu and webgpu."""
import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
KINDS = ["Reflection", "Replication", "Zero", "Constant", "Circular"]


def _make(lib, kind, k, padding):
    cls = getattr(lib.nn, f"{kind}Pad{k}d")
    return cls(padding, 1.5) if kind == "Constant" else cls(padding)


def _paddings(k):
    return [1, (1, 0) * k, tuple((i % 3) - (i == 1) for i in range(2 * k)), [2] * (2 * k)]


def _shapes(k):
    spatial = (4, 3, 5)[-k:]
    return [(2, 3) + spatial, (3,) + spatial, spatial, (1, 2, 2) + spatial, (2, 3) + (1,) * k,
            (0, 3) + spatial]


def _outcome(fn):
    try:
        return fn(), None
    except Exception as e:
        return None, (type(e), str(e))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("k", [1, 2, 3])
def test_printed_form_and_arguments(kind, k):
    for padding in _paddings(k) + [(1, 2), (1, 0) * 4]:  # torch keeps a tuple of the wrong length as given
        ref, mine = _make(torch, kind, k, padding), _make(pyfront, kind, k, padding)
        assert repr(mine) == repr(ref) and mine.padding == ref.padding
    assert isinstance(_make(pyfront, kind, k, 1), pyfront.nn.Module)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("k", [1, 2, 3])
def test_forward_gradient_and_errors_match_torch(kind, k, device):
    rng = np.random.default_rng(k)
    for shape in _shapes(k):
        for padding in _paddings(k) + [(1, 0) * 4]:
            x = rng.standard_normal(shape).astype(np.float32)
            tx = torch.tensor(x, requires_grad=True)
            px = pyfront.tensor(x, device=device, requires_grad=True)
            want, t_err = _outcome(lambda: _make(torch, kind, k, padding)(tx))  # noqa: B023 (called at once)
            got, p_err = _outcome(lambda: _make(pyfront, kind, k, padding)(px))  # noqa: B023
            where = f"{kind}Pad{k}d({padding}) on {shape}"
            assert p_err == t_err, where
            if t_err:
                continue
            assert got.shape == tuple(want.shape) and got.dtype == pyfront.float32, where
            np.testing.assert_allclose(got.detach().cpu().numpy(), want.detach().numpy(), err_msg=where)
            w = rng.standard_normal(tuple(want.shape)).astype(np.float32)
            (want * torch.tensor(w)).sum().backward()
            (got * pyfront.tensor(w, device=device)).sum().backward()
            np.testing.assert_allclose(px.grad.cpu().numpy(), tx.grad.numpy(), rtol=1e-5, atol=1e-5,
                                       err_msg=where)


@pytest.mark.parametrize("kind", ["Constant", "Zero", "Replication"])
def test_integer_input_keeps_its_dtype(kind):
    x = np.arange(24).reshape(2, 3, 4)
    want = _make(torch, kind, 1, (1, 2))(torch.tensor(x))
    got = _make(pyfront, kind, 1, (1, 2))(pyfront.tensor(x))
    assert str(got.dtype) == str(want.dtype)
    assert got.tolist() == want.tolist()
