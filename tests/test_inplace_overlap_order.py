"""An in-place elementwise op whose operand is a strided or expanded view of the written memory (torch
cannot tell the overlap, so it does not refuse it): torch's CPU loop writes the elements in the output's
memory order, and an operand element whose place was written before reads the new value. pyfront gives the
same values (cpu and webgpu), its backward torch's gradients or version error; the overlaps torch can tell
(a dense view partly over the written one) are refused with its message. Rows are kept under 16 elements,
where torch's loop goes element by element (past that its vectorized loop's result depends on the CPU)."""
import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]

CASES = {
    "mul_diagonal": lambda b: b.mul_(b.diagonal()),
    "add_diagonal": lambda b: b.add_(b.diagonal()),
    "add_column": lambda b: b.add_(b[:, :1]),
    "sub_column_alpha": lambda b: b.sub_(b[:, 1:2], alpha=0.5),
    "div_column_of_transposed": lambda b: b.t().div_(b.t()[:, :1]),
    "add_row_of_transposed": lambda b: b.add_(b.t()[0]),
    "mul_diagonal_kw": lambda b: b.mul_(other=b.diagonal()),
    "clamp_min_diagonal": lambda b: b.clamp_min_(b.diagonal()),
    "lerp_diagonal": lambda b: b.lerp_(b.diagonal(), 0.25),
    "addcmul_diagonal": lambda b: b.addcmul_(b.diagonal(), b[:, :1]),
    "atan2_column": lambda b: b.atan2_(b[:, 2:3]),
    "pow_column": lambda b: b.pow_(b[:, :1]),
    "corner_of_3d": lambda b: b.view(3, 1, 3).mul_(b.view(3, 1, 3)[:1, :, :1]),
    "add_first_row": lambda b: b.add_(b[:1]),  # a dense row over the written memory: refused (partial)
    "add_transposed": lambda b: b.add_(b.t()),  # dense both ways: refused
    "row_times_row": lambda b: b[0].mul_(b[1]),  # apart: no overlap at all
}
# known faults: strict, so a fix shows as XPASS
KNOWN: dict = {}
_VALUES = [[0.5, 1.5, 2.5], [2.0, 0.75, 1.25], [3.0, 4.0, 1.75]]


def _run(lib, device, call, grad):
    x = lib.tensor(_VALUES, device=device, requires_grad=grad)
    b = x * 1 if grad else x.clone()
    try:
        out = call(b)
        if not grad:
            return b.tolist()
        (out * lib.arange(1.0, 1.0 + out.numel(), device=device).reshape(out.shape)).sum().backward()
        return x.grad.tolist()
    except Exception as e:  # noqa: BLE001 (the error is the outcome compared)
        return (type(e).__name__, str(e))


def _cases():
    known = {k: [pytest.mark.xfail(strict=True, reason=why)] for k, why in KNOWN.items()}
    return [pytest.param(name, grad, id=f"{name}-{'backward' if grad else 'values'}",
                         marks=known.get((name, grad), [])) for name in CASES for grad in (False, True)]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name, grad", _cases())
def test_overlapping_operand_as_torch(name, grad, device):
    ours, theirs = _run(pyfront, device, CASES[name], grad), _run(torch, "cpu", CASES[name], grad)
    if isinstance(theirs, tuple) or isinstance(ours, tuple):
        assert ours == theirs
    else:
        torch.testing.assert_close(torch.tensor(ours), torch.tensor(theirs), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("device", DEVICES)
def test_longer_chains_as_torch(device):
    """A column read by every later element of its row, and a diagonal whose own places come first: a 4 x 5
    and a 5 x 5 case where several rounds are needed."""
    for lib, dev in ((pyfront, device), (torch, "cpu")):
        a = lib.arange(1.0, 21.0, device=dev).reshape(4, 5) / 7
        a.add_(a[:, 2:3])
        c = lib.arange(1.0, 26.0, device=dev).reshape(5, 5) / 9
        c.t().mul_(c.diagonal())
        if lib is pyfront:
            ours = (a.tolist(), c.tolist())
        else:
            theirs = (a.tolist(), c.tolist())
    for o, t in zip(ours, theirs):
        torch.testing.assert_close(torch.tensor(o), torch.tensor(t), rtol=1e-5, atol=1e-6)
