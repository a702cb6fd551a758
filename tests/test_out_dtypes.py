"""``out=`` and ``dtype=`` together, and the factories' integer ranges: each outcome (values and dtype, or the
error's type and text) is real torch's (cpu), over small grids, on cpu and webgpu.

The kinds: a reduction given both ``dtype`` and ``out`` requires them equal; a ``*_like`` factory has no
``out`` (nor any keyword torch lacks); ``arange`` into an integer dtype truncates as torch's kernels do (int64
truncates start, end and step first, so a step under 1 is "step must be nonzero"); the samplers refuse an
integer dtype in their kernel's words."""
import warnings

import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _outcome(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            r = fn()
        except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
            return type(e).__name__, torch_text(e)
    return str(r.dtype).split(".")[-1], _rounded(r.tolist())


def _rounded(v):
    """float32 results to 5 decimals (softmax's order of operations differs in the last bit)."""
    return [_rounded(x) for x in v] if isinstance(v, list) else round(v, 5) if isinstance(v, float) else v


def _same(call, device):
    assert _outcome(lambda: call(pyfront, device)) == _outcome(lambda: call(torch, "cpu"))


DT = ["float32", "float64", "int64", "int32"]
REDUCTIONS = {
    "sum": lambda L, x, d, o: L.sum(x, 0, dtype=d, out=o),
    "prod": lambda L, x, d, o: L.prod(x, 0, dtype=d, out=o),
    "mean": lambda L, x, d, o: L.mean(x, 0, dtype=d, out=o),
    "nansum": lambda L, x, d, o: L.nansum(x, 0, dtype=d, out=o),
    "nanmean": lambda L, x, d, o: L.nanmean(x, 0, dtype=d, out=o),
    "norm": lambda L, x, d, o: L.norm(x, dim=0, dtype=d, out=o),
    "cumsum": lambda L, x, d, o: L.cumsum(x[0], 0, dtype=d, out=o),
    "cumprod": lambda L, x, d, o: L.cumprod(x[0], 0, dtype=d, out=o),
    "softmax": lambda L, x, d, o: L.softmax(x[0], 0, dtype=d, out=o),
    "log_softmax": lambda L, x, d, o: L.log_softmax(x[0], 0, dtype=d, out=o),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("device", DEVICES)
def test_a_reduction_given_dtype_and_out_as_torch(name, device):
    for given in (None, *DT):
        for out in DT:
            if device != "cpu" and "float64" in (given, out):
                continue  # no float64 on webgpu
            def call(L, dev, given=given, out=out):
                x = L.arange(4.0, device=dev).view(2, 2) + 1
                d = getattr(L, given) if given else None
                return REDUCTIONS[name](L, x, d, L.zeros(2, dtype=getattr(L, out), device=dev))
            _same(call, device)


ARANGES = [(0, 1, 0.25), (0, 1, 0.5), (0, 2, 0.5), (0, 3, 1.5), (0.5, 3, 1), (0, 1, 0.99), (0, 1, -0.5),
           (1, 0, -0.5), (5, 0, -2.5), (-1.5, 2, 1), (0.7, 3.2, 0.9), (0, 1, 0), (3.5,), (0, 4)]


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8", "uint8", "float32"])
@pytest.mark.parametrize("device", DEVICES)
def test_arange_into_an_integer_dtype_as_torch(dtype, device):
    for args in ARANGES:
        _same(lambda L, dev, args=args: L.arange(*args, dtype=getattr(L, dtype), device=dev), device)
        _same(lambda L, dev, args=args: L.arange(*args, out=L.zeros(4, dtype=getattr(L, dtype), device=dev)),
              device)


LIKES = ["zeros_like", "ones_like", "empty_like", "full_like", "rand_like", "randn_like", "randint_like"]


@pytest.mark.parametrize("name", LIKES)
def test_a_like_factory_has_no_out_as_torch(name):
    for kw in ({"out": "tensor"}, {"bogus": 1}, {"layout": "strided", "pin_memory": False}):
        def call(L, dev, kw=kw):
            x = L.zeros(2)
            kw = {k: x if v == "tensor" else getattr(L, v) if v == "strided" else v for k, v in kw.items()}
            r = getattr(L, name)(x, *((3,) if name in ("full_like", "randint_like") else ()), **kw)
            return r.zero_()  # the values of empty and the samplers are their own
        _same(call, "cpu")


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool"])
def test_a_sampler_refuses_an_integer_dtype_as_torch(dtype):
    for name in ("rand", "randn"):
        _same(lambda L, dev, name=name: getattr(L, name)(2, dtype=getattr(L, dtype)), "cpu")
        _same(lambda L, dev, name=name: getattr(L, name)(2, out=L.zeros(2, dtype=getattr(L, dtype))), "cpu")
