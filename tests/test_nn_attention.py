"""torch.nn.attention (SDPBackend, sdpa_kernel) against real torch (cpu), on cpu and webgpu: the enum's
members, values, repr and str; inside sdpa_kernel with each backend or list of backends,
scaled_dot_product_attention either gives torch's output and gradients or raises torch's error exactly
when torch's cpu build does; the previous switches come back after the block, also after an exception;
torch's error for a backends argument of the wrong type."""
import numpy as np
import pytest
import torch
import torch.nn.attention  # noqa: F401
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def test_enum_matches_torch():
    T, P = torch.nn.attention.SDPBackend, pyfront.nn.attention.SDPBackend
    assert list(P.__members__) == list(T.__members__)
    for name in T.__members__:
        t, p = getattr(T, name), getattr(P, name)
        assert (repr(p), str(p), int(p), p.name, p.value) == (repr(t), str(t), int(t), t.name, t.value)
    assert pyfront.nn.attention.WARN_FOR_UNFUSED_KERNELS is torch.nn.attention.WARN_FOR_UNFUSED_KERNELS


CHOICES = [["MATH"], ["FLASH_ATTENTION"], ["EFFICIENT_ATTENTION"], ["CUDNN_ATTENTION"], ["OVERRIDEABLE"],
           ["ERROR"], [], ["EFFICIENT_ATTENTION", "MATH"], "MATH", "EFFICIENT_ATTENTION"]


def _sdpa(lib, device, names):
    rng = np.random.RandomState(0)
    q, k, v = (rng.randn(2, 3, 4, 5).astype(np.float32) for _ in range(3))
    make = (lambda a: torch.tensor(a, requires_grad=True)) if lib is torch else (
        lambda a: pyfront.tensor(a, device=device, requires_grad=True))
    q, k, v = make(q), make(k), make(v)
    B = lib.nn.attention.SDPBackend
    backends = getattr(B, names) if isinstance(names, str) else [getattr(B, n) for n in names]
    try:
        with lib.nn.attention.sdpa_kernel(backends) as got:
            assert got == {}
            out = lib.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
    except RuntimeError as e:
        return "error", torch_text(e) if lib is torch else str(e)
    out.square().sum().backward()
    return [t.detach().cpu().numpy() for t in (out, q.grad, k.grad, v.grad)]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("names", CHOICES, ids=str)
def test_sdpa_kernel_matches_torch(device, names):
    want, got = _sdpa(torch, device, names), _sdpa(pyfront, device, names)
    if isinstance(want, tuple) or isinstance(got, tuple):  # an error outcome
        assert got == want
        return
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5)
    q = pyfront.ones(1, 2, 2, device=device)  # outside the block every backend is back
    pyfront.nn.functional.scaled_dot_product_attention(q, q, q)


def test_switches_restored_after_an_exception():
    B = pyfront.nn.attention.SDPBackend
    with pytest.raises(KeyError):
        with pyfront.nn.attention.sdpa_kernel([B.EFFICIENT_ATTENTION]):
            raise KeyError
    q = pyfront.ones(1, 2, 2)
    pyfront.nn.functional.scaled_dot_product_attention(q, q, q)
    with pyfront.nn.attention.sdpa_kernel([B.MATH]):
        with pyfront.nn.attention.sdpa_kernel(B.CUDNN_ATTENTION):
            with pytest.raises(RuntimeError):
                pyfront.nn.functional.scaled_dot_product_attention(q, q, q)
        pyfront.nn.functional.scaled_dot_product_attention(q, q, q)


@pytest.mark.parametrize("bad", ["math", (0,), None])
def test_wrong_backends_type_matches_torch(bad):
    with pytest.raises(Exception) as want:
        with torch.nn.attention.sdpa_kernel(bad):
            pass
    with pytest.raises(Exception) as got:
        with pyfront.nn.attention.sdpa_kernel(bad):
            pass
    assert type(got.value) is type(want.value) and str(got.value) == torch_text(want.value)
