"""scaled_dot_product_attention's output strides against torch (cpu): torch's dispatcher picks its flash
kernel (an output laid out as ``empty_like(query)``) or its math one (contiguous) by the inputs' ranks,
strides, sizes, mask rank and dropout; a (B, T, H, E) query's output then transposes back into a view
(``o.transpose(1, 2).view(B, T, H * E)``) exactly where torch's does."""
import pytest
import torch
import torch.nn.attention  # noqa: F401

from webgpu_required import requires_webgpu

import pyfront


def _btha(L, b=2, t=5, h=2, e=4, **kw):
    """A query as a (B, T, H, E) projection transposed to (B, H, T, E)."""
    return L.randn(b, t, h, e, **kw).transpose(1, 2)


# name: lambda L, dtype -> (query, key, value, keyword arguments)
CASES = {
    "transposed": lambda L, d: (_btha(L, dtype=d),) * 3 + ({},),
    "transposed kv contiguous": lambda L, d: (_btha(L, dtype=d), L.randn(2, 2, 7, 4, dtype=d),
                                             L.randn(2, 2, 7, 4, dtype=d), {}),
    "contiguous q, transposed kv": lambda L, d: (L.randn(2, 2, 5, 4, dtype=d), _btha(L, t=7, dtype=d),
                                                _btha(L, t=7, dtype=d), {}),
    "causal": lambda L, d: (_btha(L, dtype=d),) * 3 + ({"is_causal": True},),
    "2-d mask": lambda L, d: (_btha(L, dtype=d),) * 3 + ({"attn_mask": L.ones(5, 5, dtype=L.bool)},),
    "4-d mask": lambda L, d: (_btha(L, dtype=d),) * 3 + ({"attn_mask": L.zeros(2, 1, 5, 5, dtype=d)},),
    "3-d mask": lambda L, d: (_btha(L, dtype=d),) * 3 + ({"attn_mask": L.ones(2, 5, 5, dtype=L.bool)},),
    "scale": lambda L, d: (_btha(L, dtype=d),) * 3 + ({"scale": 0.3},),
    "gqa": lambda L, d: (_btha(L, h=4, dtype=d), L.randn(2, 2, 7, 4, dtype=d), L.randn(2, 2, 7, 4, dtype=d),
                         {"enable_gqa": True}),
    "requires_grad": lambda L, d: (_btha(L, dtype=d, requires_grad=True),) * 3 + ({},),
    "heads-first": lambda L, d: (L.randn(2, 2, 5, 4, dtype=d).transpose(0, 1),) * 3 + ({},),
    "not dense": lambda L, d: (L.randn(2, 5, 2, 8, dtype=d).transpose(1, 2)[..., :4],) * 3 + ({},),
    "size-1 heads": lambda L, d: (_btha(L, h=1, dtype=d),) * 3 + ({},),
    "expanded batch": lambda L, d: (_btha(L, b=1, dtype=d).expand(2, 2, 5, 4),) * 3 + ({},),
    # torch's math kernel: a contiguous output
    "contiguous": lambda L, d: (L.randn(2, 2, 5, 4, dtype=d),) * 3 + ({},),
    "last dim strided": lambda L, d: (L.randn(5, 4, 2, 2, dtype=d).permute(2, 3, 0, 1),) * 3 + ({},),
    "dropout": lambda L, d: (_btha(L, dtype=d),) * 3 + ({"dropout_p": 0.5},),
    "3-d": lambda L, d: (L.randn(2, 5, 4, dtype=d).transpose(0, 1),) * 3 + ({},),
    "5-d": lambda L, d: (L.randn(3, 2, 5, 2, 4, dtype=d).transpose(2, 3),) * 3 + ({},),
    "value head dim differs": lambda L, d: (_btha(L, dtype=d), L.randn(2, 2, 7, 4, dtype=d),
                                           L.randn(2, 2, 7, 3, dtype=d), {}),
    "key batch broadcast": lambda L, d: (_btha(L, dtype=d), L.randn(1, 2, 7, 4, dtype=d),
                                        L.randn(1, 2, 7, 4, dtype=d), {}),
    "empty batch": lambda L, d: (_btha(L, b=0, dtype=d),) * 3 + ({},),
    "empty keys": lambda L, d: (_btha(L, dtype=d), L.randn(2, 2, 0, 4, dtype=d), L.randn(2, 2, 0, 4, dtype=d),
                                {}),
}


def _run(lib, name, dtype, math_only, device="cpu"):
    q, k, v, kw = CASES[name](lib, getattr(lib, dtype))
    if device != "cpu":  # (``to`` keeps each layout: the query's is asserted below)
        q, k, v = (t.to(device) for t in (q, k, v))
        kw = {key: a.to(device) if isinstance(a, pyfront.Tensor) else a for key, a in kw.items()}
    if math_only:
        with lib.nn.attention.sdpa_kernel(lib.nn.attention.SDPBackend.MATH):
            return q, lib.nn.functional.scaled_dot_product_attention(q, k, v, **kw)
    return q, lib.nn.functional.scaled_dot_product_attention(q, k, v, **kw)


def _viewed(q, out):
    """Whether the output transposes back into a (B, T, H * Ev) view, as a multi-head layer reads it."""
    if out.dim() != 4:
        return None
    try:
        out.transpose(1, 2).view(out.shape[0], out.shape[2], -1)
        return True
    except RuntimeError:
        return False


# (the math-only run asks only the switch: cpu is enough)
@pytest.mark.parametrize("math_only, device", [
    (False, "cpu"), pytest.param(False, "webgpu", marks=requires_webgpu), (True, "cpu")],
    ids=["cpu", "webgpu", "math kernel"])
def test_output_strides_match_torch(math_only, device):
    torch.manual_seed(0)
    pyfront.manual_seed(0)
    wrong, compared = [], 0
    for name in CASES:
        dtypes = ("float32", "float64", "bfloat16", "float16") if name == "transposed" else ("float32",)
        for dtype in dtypes if device == "cpu" else ("float32",):  # (WGSL has no float64)
            tq, t = _run(torch, name, dtype, math_only)
            pq, p = _run(pyfront, name, dtype, math_only, device)
            if device != "cpu" and tuple(pq.stride()) != tq.stride():
                continue  # (a non-dense query comes over dense: its case is the cpu run's)
            assert tuple(pq.stride()) == tq.stride(), name  # the same query layout on both sides
            compared += 1
            if (tuple(p.stride()), _viewed(pq, p)) != (t.stride(), _viewed(tq, t)):
                wrong.append((name, dtype, tuple(p.stride()), t.stride()))
    assert not wrong
    assert compared >= len(CASES) - 3
