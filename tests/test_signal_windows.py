"""torch.signal.windows against real torch (cpu), on cpu and webgpu: every window's values for symmetric and
periodic forms, lengths 0, 1, 2 and more, float32 and float64, its options, requires_grad (the result's
gradient history), and torch's argument checks (type and text)."""
import numpy as np
import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
WINDOWS = {"bartlett": {}, "blackman": {}, "cosine": {}, "exponential": {}, "gaussian": {},
           "general_cosine": {"a": [0.46, 0.23, 0.31]}, "general_hamming": {}, "hamming": {}, "hann": {},
           "kaiser": {}, "nuttall": {}}
OPTIONS = {"exponential": [{"tau": 3.0}, {"center": 2.0, "sym": False}], "gaussian": [{"std": 0.7}],
           "kaiser": [{"beta": 0.0}, {"beta": 5.5}], "general_hamming": [{"alpha": 0.3}]}


def _outcome(fn):
    try:
        w = fn()
        return "ok", str(w.dtype).split(".")[-1], w.requires_grad, w.detach().cpu().numpy()
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
        return type(e).__name__, torch_text(e)


def _compare(call, device):
    got = _outcome(lambda: call(pyfront, device))
    want = _outcome(lambda: call(torch, "cpu"))
    assert got[:-1] == want[:-1]
    if want[0] == "ok":
        np.testing.assert_allclose(got[-1], want[-1], rtol=1e-5, atol=1e-6)
    else:
        assert got[-1] == want[-1]


# webgpu has no float64 (DESIGN.md): float32 runs there, and its float64 refusal is tested below
DEVICE_DTYPES = [("cpu", "float32"), ("cpu", "float64"),
                 pytest.param("webgpu", "float32", marks=requires_webgpu)]


@pytest.mark.parametrize(("device", "dtype"), DEVICE_DTYPES)
@pytest.mark.parametrize("M", [0, 1, 2, 5, 16])
@pytest.mark.parametrize("name", WINDOWS)
def test_window_as_torch(name, M, dtype, device):
    for kw in [{}, *map(dict, OPTIONS.get(name, []))]:
        for sym in (True, False) if "sym" not in kw else (kw.pop("sym"),):
            _compare(lambda L, d, sym=sym, kw=kw: getattr(L.signal.windows, name)(
                M, sym=sym, dtype=getattr(L, dtype), device=d, **WINDOWS[name], **kw), device)


@requires_webgpu
@pytest.mark.parametrize("name", WINDOWS)
def test_window_float64_refused_on_webgpu(name):
    with pytest.raises(TypeError, match="WGSL has no 64-bit floats"):
        getattr(pyfront.signal.windows, name)(5, dtype=pyfront.float64, device="webgpu", **WINDOWS[name])


@pytest.mark.parametrize("name", WINDOWS)
def test_window_requires_grad_as_torch(name):
    def call(L, d):
        w = getattr(L.signal.windows, name)(6, requires_grad=True, **WINDOWS[name])
        assert w.is_leaf == (w.grad_fn is None)
        return w
    _compare(call, "cpu")


BAD = [("cosine", {"M": -1}), ("hann", {"M": 3, "dtype": "int64"}), ("kaiser", {"M": 3, "dtype": "float16"}),
       ("exponential", {"M": 3, "tau": 0}), ("exponential", {"M": 3, "center": 1.0}),
       ("gaussian", {"M": 3, "std": -1.0}), ("kaiser", {"M": 3, "beta": -0.1}),
       ("general_cosine", {"M": 3, "a": []}), ("general_cosine", {"M": 3, "a": 5}),
       ("general_cosine", {"M": 1, "a": 5}), ("bartlett", {"M": 3, "layout": "sparse_coo"}),
       ("blackman", {"M": -2, "dtype": "int32"})]


@pytest.mark.parametrize("name,kw", BAD, ids=str)
def test_window_argument_checks_as_torch(name, kw):
    def call(L, d):
        args = {k: getattr(L, v) if k in ("dtype", "layout") else v for k, v in kw.items()}
        return getattr(L.signal.windows, name)(**args)
    _compare(call, "cpu")


def test_namespace_as_torch():
    assert pyfront.signal.windows.__all__ == torch.signal.windows.__all__
