"""torch.poisson and torch.binomial (drawn by the distributions' PTRS/BTRS samplers): torch's dtypes,
argument errors, graph nodes and gradients, the generator= stream, and the counts' moments on each device."""
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _outcome(lib, call):
    try:
        r = call(lib)
    except Exception as e:  # noqa: BLE001  (the comparison is the point)
        return type(e).__name__, str(e)
    return r.dtype.__repr__().split(".")[-1], tuple(r.shape), r.requires_grad, type(r.grad_fn).__name__


CALLS = {
    "negative rate": lambda t: t.poisson(t.tensor([1.0, -1.0])),
    "nan rate": lambda t: t.poisson(t.tensor([float("nan")])),
    "int rate": lambda t: t.poisson(t.tensor([1, 2])),
    "bool rate": lambda t: t.poisson(t.tensor([True])),
    "list rate": lambda t: t.poisson([1.0]),
    "double rate": lambda t: t.poisson(t.tensor([1.0, 2.0], dtype=t.float64)),
    "half rate": lambda t: t.poisson(t.tensor([1.0, 20.0], dtype=t.float16)),
    "empty rate": lambda t: t.poisson(t.zeros(0, 3)),
    "0-d rate": lambda t: t.poisson(t.tensor(3.0)),
    "rate with grad": lambda t: t.poisson(t.tensor([1.0], requires_grad=True)),
    "int count": lambda t: t.binomial(t.tensor([5]), t.tensor([0.5])),
    "bool prob": lambda t: t.binomial(t.tensor([3.0]), t.tensor([True])),
    "mixed dtypes": lambda t: t.binomial(t.tensor([5.0], dtype=t.float64), t.tensor([0.5])),
    "mixed dtypes 2": lambda t: t.binomial(t.tensor([5.0]), t.tensor([0.5], dtype=t.float64)),
    "half": lambda t: t.binomial(t.tensor([2.0], dtype=t.float16), t.tensor([0.5], dtype=t.float16)),
    "broadcast": lambda t: t.binomial(t.ones(2, 3) * 4, t.tensor([[0.5], [0.3]])),
    "bad shapes": lambda t: t.binomial(t.ones(3), t.ones(2) / 2),
    "count with grad": lambda t: t.binomial(t.tensor([5.0], requires_grad=True), t.tensor([0.5])),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_checks_dtypes_and_nodes_match_torch(name):
    assert _outcome(pyfront, CALLS[name]) == _outcome(torch, CALLS[name])


@pytest.mark.parametrize("lib", [torch, pyfront], ids=["torch", "pyfront"])
def test_gradients(lib):
    x = lib.tensor([2.0, 30.0], requires_grad=True)
    lib.poisson(x).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]
    x = lib.tensor([2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="derivative for aten::binomial is not implemented"):
        lib.binomial(x, lib.tensor([0.3])).sum().backward()


def test_exact_edges_match_torch():
    """Counts that are not random: zero rates, p = 0 or 1, out-of-range p and n, nan p."""
    n = [5.0, 5.0, 5.0, -5.0, 5.5, 0.0, 7.0]
    p = [0.0, 1.0, 1.5, 0.5, 1.0, 0.5, float("nan")]
    for lib in (torch, pyfront):
        assert lib.poisson(lib.zeros(4)).tolist() == [0.0] * 4
    ours = pyfront.binomial(pyfront.tensor(n), pyfront.tensor(p)).tolist()
    theirs = torch.binomial(torch.tensor(n), torch.tensor(p)).tolist()
    assert str(ours) == str(theirs)


def test_generator_gives_a_repeatable_stream():
    g = pyfront.Generator().manual_seed(3)
    rates = pyfront.tensor([0.5, 4.0, 40.0, 400.0])
    first = (pyfront.poisson(rates, g), pyfront.binomial(rates, pyfront.full((4,), 0.3), generator=g))
    g.manual_seed(3)
    again = (pyfront.poisson(rates, generator=g), pyfront.binomial(rates, pyfront.full((4,), 0.3), g))
    assert [t.tolist() for t in first] == [t.tolist() for t in again]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("mean", [3.0, 40.0])  # the arrival route and the rejection route
def test_moments(device, mean):
    n = 5000
    counts = pyfront.poisson(pyfront.full((n,), mean, device=device))
    assert counts.device.type == device and counts.floor().eq(counts).all()
    assert abs(counts.mean().item() - mean) < 5 * (mean / n) ** 0.5
    assert abs(counts.var().item() / mean - 1) < 0.1
    trials = pyfront.full((n,), mean * 4, device=device)
    k = pyfront.binomial(trials, pyfront.full((n,), 0.25, device=device))
    assert ((k >= 0) & (k <= trials)).all()
    assert abs(k.mean().item() - mean) < 5 * (0.75 * mean / n) ** 0.5
    assert abs(k.var().item() / (0.75 * mean) - 1) < 0.1


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
def test_poisson_counts_past_int64_are_torchs(dtype, device):
    """torch draws int64 counts: an infinite rate (or one whose count passes 2^63) gives int64's -2^63 in the
    dtype (-inf in float16); a zero rate 0."""
    if device == "webgpu" and dtype in ("float64", "bfloat16"):
        return  # (refused there: tests/test_bfloat16.py and the float64 refusal tests)
    rates = [float("inf"), 1e30, 1e19, 0.0]
    want = torch.poisson(torch.tensor(rates, dtype=getattr(torch, dtype))).tolist()
    got = pyfront.poisson(pyfront.tensor(rates, dtype=getattr(pyfront, dtype), device=device)).tolist()
    assert got == want
