"""APIs torch programs use that pyfront lacked: torch.range (deprecated, with torch's warning),
Tensor.is_inference, Tensor.resize_ / resize_as_, Tensor.float_power_ (kthvalue and float_power
themselves are op-table rows: values, gradients, errors, out=, cpu and webgpu). Real torch (cpu) is the
oracle: values and dtypes, or the error's type and text, and the warnings."""
import warnings

import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _outcome(fn):
    """(result's dtype and values, or the error) and the warnings' texts."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            r = fn()
            got = (str(r.dtype).split(".")[-1], list(r.shape), [round(v, 5) for v in r.reshape(-1).tolist()])
        except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
            got = (type(e).__name__, torch_text(e))
    return got, [torch_text(w.message) for w in seen]


def _same(call, device="cpu"):
    assert _outcome(lambda: call(pyfront, device)) == _outcome(lambda: call(torch, "cpu"))


RANGES = [(0, 1, 0.25), (1, 4), (3, 0, -1), (0, 0.9, 0.3), (0, 1, 0), (1, 0), (2.5, 2.5), (-1, 1, 0.5)]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("args", RANGES, ids=str)
def test_range_includes_its_end_and_warns_as_torch(args, device):
    _same(lambda L, d: L.range(*args, device=d), device)
    if all(isinstance(a, int) for a in args):  # torch 2.13 dies of SIGFPE on int64 with a step under 1
        _same(lambda L, d: L.range(*args, dtype=L.int64, device=d), device)
    _same(lambda L, d: L.range(*args, out=L.zeros(2, device=d)), device)


def test_is_inference_as_torch():
    def call(L, d):
        normal = L.ones(3)
        with L.inference_mode():
            made, view_of_normal, op_on_normal = L.ones(2), normal[:1], normal + 1
        with L.inference_mode(False):
            off = L.ones(2)
        return L.tensor([t.is_inference() for t in (normal, made, made[:1], made.view(2, 1), view_of_normal,
                                                    op_on_normal, off, made + 1)])
    _same(call)


@pytest.mark.parametrize("device", DEVICES)
def test_resize_as_torch(device):
    sizes = [(2, 2), ((3, 2),), ([6],), (6,), (0,), (1, 6), (-1,)]
    for size in sizes:
        _same(lambda L, d, size=size: L.arange(6.0, device=d).resize_(*size), device)
        if size in ((2, 2), (0,), (-1,)):  # the view holds 5: a larger size grows into unset memory
            _same(lambda L, d, size=size: L.arange(6.0, device=d)[1:].resize_(*size), device)
    grown = pyfront.arange(6.0, device=device).resize_(8)
    assert grown.shape == (8,) and grown[:6].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]  # the rest: unset
    base = pyfront.arange(6.0, device=device)
    with pytest.raises(RuntimeError, match="cannot grow memory that another tensor"):
        base[1:].resize_(3, 2)  # torch grows the shared storage in place; pyfront refuses (ops/resize.py)
    _same(lambda L, d: L.arange(6.0, device=d).resize_as_(L.zeros(3, 2, device=d)), device)
    _same(lambda L, d: L.ones(2, requires_grad=True, device=d).resize_(3), device)
    base = pyfront.arange(6.0, device=device)
    view = base.view(2, 3)
    base.resize_(2, 2)  # shrinking stays in the same memory: a view taken before still sees it
    base.add_(1)
    assert view.tolist() == [[1.0, 2.0, 3.0], [4.0, 4.0, 5.0]]


def test_float_power_in_place_as_torch():
    for dtype in ("float32", "float64", "int64"):
        for exponent in (2, 0.5, "tensor"):
            def call(L, d, dtype=dtype, exponent=exponent):
                x = L.tensor([1.0, 2.0, 4.0]).to(getattr(L, dtype))
                e = L.tensor([2, 1, 0]) if exponent == "tensor" else exponent
                return x.float_power_(e)
            _same(call)
