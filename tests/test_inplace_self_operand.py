"""An in-place op whose operand is its own self, or shares its memory, as torch's: the op keeps a copy
of self's original value where its backward needs it, but the operand stays saved as it is, so writing
self fails the backward with torch's version error (``b.mul_(b)``, ``x[0].mul_(x[1])``); ops whose
backward saves no such operand still compute. The index kernels refuse a source that is self's own
memory (torch's assert_no_overlap). Each case runs on torch (cpu) and pyfront (cpu, webgpu): values,
error type and message."""
import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]

_I = [1, 0, 2]
# op name -> in-place call on b (3 x 3, values in (0.5, 5)); lib is torch or pyfront
SELF_OPERAND = {
    "mul_": lambda lib, b: b.mul_(b),
    "div_": lambda lib, b: b.div_(b),
    "true_divide_": lambda lib, b: b.true_divide_(b),
    "pow_": lambda lib, b: b.pow_(b),
    "add_": lambda lib, b: b.add_(b),
    "sub_": lambda lib, b: b.sub_(b, alpha=2),
    "addcmul_": lambda lib, b: b.addcmul_(b, b),
    "addcmul_t1": lambda lib, b: b.addcmul_(b, b * 1),
    "addcmul_kw": lambda lib, b: b.addcmul_(tensor1=b * 1, tensor2=b, value=2),
    "addcdiv_": lambda lib, b: b.addcdiv_(b, b + 1),
    "addcdiv_t2": lambda lib, b: b.addcdiv_(b + 1, b),
    "atan2_": lambda lib, b: b.atan2_(b),
    "hypot_": lambda lib, b: b.hypot_(b),
    "copysign_": lambda lib, b: b.copysign_(b),
    "lerp_": lambda lib, b: b.lerp_(b, 0.3),
    "lerp_weight": lambda lib, b: b.lerp_(b * 2, b),
    "fmod_": lambda lib, b: b.fmod_(b),
    "remainder_": lambda lib, b: b.remainder_(b),
    "xlogy_": lambda lib, b: b.xlogy_(b),
    "ldexp_": lambda lib, b: b.ldexp_(b),
    "masked_scatter_": lambda lib, b: b.masked_scatter_(b > 1, b * 1),
    "addmm_": lambda lib, b: b.addmm_(b, b),
    "copy_": lambda lib, b: b.copy_(b),
    "row_mul_row": lambda lib, b: b[0].mul_(b[1]),
    "div_t": lambda lib, b: b.div_(b.t()),
    "exp_then_mul_": lambda lib, b: (lambda e: e.mul_(e))(b.exp()),
    "relu_then_mul_": lambda lib, b: (lambda r: r.mul_(r))(b.relu()),
    "sqrt_then_div_": lambda lib, b: b.sqrt_().div_(2),
    "index_add_": lambda lib, b: b.index_add_(0, lib.tensor(_I, device=b.device), b),
    "index_copy_": lambda lib, b: b.index_copy_(0, lib.tensor(_I, device=b.device), b),
    "scatter_": lambda lib, b: b.scatter_(0, _index(lib, b), b),
    "scatter_add_": lambda lib, b: b.scatter_add_(0, _index(lib, b), b),
    "scatter_reduce_": lambda lib, b: b.scatter_reduce_(0, _index(lib, b), b, "sum"),
    "index_put_": lambda lib, b: b.index_put_((lib.tensor(_I, device=b.device),), b),
    "setitem": lambda lib, b: b.__setitem__(lib.tensor(_I, device=b.device), b) or b,
}
def _index(lib, b):
    return lib.tensor([_I] * 3, device=b.device).t()


_VALUES = [[0.5, 1.5, 2.5], [2.0, 0.75, 1.25], [3.0, 4.0, 4.5]]


def _run(lib, device, call, grad):
    x = lib.tensor(_VALUES, device=device, requires_grad=grad)
    b = x * 1 if grad else x.clone()
    try:
        out = call(lib, b)
        if not grad:
            return b.tolist()
        out.sum().backward()
        return x.grad.tolist()
    except Exception as e:  # noqa: BLE001 (the error is the outcome compared)
        return (type(e).__name__, str(e))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("grad", [False, True], ids=["values", "backward"])
@pytest.mark.parametrize("name", list(SELF_OPERAND))
def test_self_as_operand_as_torch(name, grad, device):
    call = SELF_OPERAND[name]
    ours, theirs = _run(pyfront, device, call, grad), _run(torch, "cpu", call, grad)
    if isinstance(theirs, tuple) or isinstance(ours, tuple):
        assert ours == theirs
    else:
        torch.testing.assert_close(torch.tensor(ours), torch.tensor(theirs), rtol=1e-4, atol=1e-5,
                                   equal_nan=True)
