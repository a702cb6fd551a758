"""An infinite incoming gradient: every differentiable op of the op table (its first sample) runs
backward with the cotangent cycling (inf, -1, 2, -inf), compared with torch, NaN positions and signed
zeros included. The kind of fault: a gradient masked by multiplying (``g * mask``, ``g * (x > 0)``)
turns inf into NaN where torch's formula selects (where / masked_fill / zeros), so 0."""
import warnings

import pytest
import torch

import pyfront
from optable import GPU_TOL, _float_outputs, assert_same, entries
from test_zero_gradients import COTANGENT, _grads, _run
from webgpu_required import requires_webgpu

_SUM_OF_INFS = ("a composite whose gradient is a sum of terms (product rule), which are opposite "
                "infinities (NaN) where torch multiplies g by the whole derivative once")
# the remaining differences, each a strict xfail: fixing one turns it into a failure to remove here
KNOWN = {
    "nn.functional.grid_sample": _SUM_OF_INFS + " (the corner weights' terms)",
}
# ops whose masks were products (now selections) or whose composite summed the product rule's
# terms (now torch's one formula): also run on webgpu
FIXED = {"maximum", "minimum", "max", "min", "median", "nn.functional.softshrink",
         "nn.functional.margin_ranking_loss", "nn.functional.hinge_embedding_loss",
         "nn.functional.triplet_margin_loss", "nn.functional.gelu", "nn.functional.silu",
         "nn.functional.mish", "nn.functional.hardswish", "var", "std", "var_mean", "std_mean",
         "lerp", "nn.functional.binary_cross_entropy", "nn.functional.binary_cross_entropy_with_logits",
         "nan_to_num", "nansum", "nanmean"}
DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _torch_runs(entry, index):
    """Whether torch runs the entry's sample ``index`` backward, with a float output and a leaf."""
    try:
        out, leaves = _run(torch, entry, 1, index=index)
        outs = [t for _, t in _float_outputs(out, out)]
        if leaves and outs:
            _grads(torch, outs, leaves, COTANGENT)
            return True
    except (RuntimeError, ValueError, TypeError):
        pass
    return False


def _first_torch_runs(entry):
    """The index of the entry's first sample that torch runs backward, or None (no derivative in torch;
    where's samples have a float condition, clamp's no bound: they are run below)."""
    return next((index for index in range(len(entry[2])) if _torch_runs(entry, index)), None)


def _backward_entries():
    found = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for entry in entries(edge=False):
            index = _first_torch_runs(entry) if entry[4] else None
            if index is None:
                continue
            marks = [pytest.mark.xfail(strict=True, reason=KNOWN[entry[0]])] if entry[0] in KNOWN else []
            found.append(pytest.param(entry, index, id=entry[0], marks=marks))
    return found


BACKWARD = _backward_entries()


def _compare(entry, index, device):
    t_out, t_leaves = _run(torch, entry, 1, index=index)
    p_out, p_leaves = _run(pyfront, entry, 0, device, index)
    pairs = _float_outputs(p_out, t_out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = _grads(torch, [t for _, t in pairs], t_leaves, COTANGENT)
        got = _grads(pyfront, [p.cpu() for p, _ in pairs], p_leaves, COTANGENT)
    tol = dict(rtol=1e-4, atol=1e-5) if device == "cpu" else GPU_TOL
    for g, e in zip(got, expected):
        if e is not None:
            assert_same(g.cpu(), e, signed_zeros=device == "cpu", **tol)


def test_the_kind_is_found():
    names = {p.id for p in BACKWARD}
    assert FIXED <= names and set(KNOWN) <= names, names


@pytest.mark.parametrize("entry, index", BACKWARD)
def test_an_infinite_gradient_flows_as_in_torch(entry, index):
    _compare(entry, index, "cpu")


@requires_webgpu
@pytest.mark.parametrize("entry, index", [p for p in BACKWARD if p.id in FIXED])
def test_an_infinite_gradient_flows_as_in_torch_webgpu(entry, index):
    _compare(entry, index, "webgpu")


def _every_sample(names):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [pytest.param(e, i, id=f"{e[0]}-{i}") for e in entries(edge=False) if e[0] in names
                for i in range(len(e[2])) if _torch_runs(e, i)]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("entry, index", _every_sample({"lerp", "nn.functional.binary_cross_entropy",
                                                        "nn.functional.binary_cross_entropy_with_logits"}))
def test_a_formulas_every_sample(entry, index, device):
    """The ops given torch's one formula: every sample (a tensor or number weight, every reduction, a
    weight and pos_weight, the target's gradient too)."""
    _compare(entry, index, device)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("bounds", [dict(min=-0.5), dict(max=0.5), dict(min=-0.5, max=0.5), "tensors"])
def test_clamp_and_where_select_an_infinite_gradient(device, bounds):
    data = [[-2.0, -0.2, 0.1, 3.0], [float("nan"), 0.4, -0.7, 0.9]]
    cot = [COTANGENT, COTANGENT[::-1]]
    got, expected = [], []
    for lib, dev, out in ((pyfront, device, got), (torch, "cpu", expected)):
        x = lib.tensor(data, device=dev, requires_grad=True)
        if bounds == "tensors":
            lo, hi = lib.full((4,), -0.5, device=dev), lib.full((2, 1), 0.5, device=dev)
            y = lib.clamp(x, lo, hi) + lib.where(x > 0, x, lib.zeros((), device=dev))
        else:
            y = lib.clamp(x, **bounds)
        out.extend(lib.autograd.grad((y * lib.tensor(cot, device=dev)).sum(), [x]))
    assert_same(got[0].cpu(), expected[0], signed_zeros=device == "cpu")


@pytest.mark.parametrize("device", DEVICES)
def test_copysign_at_zero_keeps_an_infinite_or_nan_gradient(device):
    """torch's copysign gradient is grad * (result / input, 0 at a zero input): nan or inf flowing in
    gives nan at ±0, and -1 gives -0 (the op table's random rows never hold a zero input)."""
    x_data, sign = [0.0, -0.0, -3.0, 3.0, 0.0, -0.0], [0.0, -0.0, 3.0, -3.0, -1.0, 1.0]
    for cot in ([float("nan")] * 6, [float("inf"), -float("inf")] * 3, [-1.0] * 6):
        grads = []
        for lib, dev in ((pyfront, device), (torch, "cpu")):
            x = lib.tensor(x_data, device=dev, requires_grad=True)
            y = lib.copysign(x, lib.tensor(sign, device=dev))
            grads.append(lib.autograd.grad((y * lib.tensor(cot, device=dev)).sum(), [x])[0])
        assert_same(grads[0].cpu(), grads[1], signed_zeros=device == "cpu")
