"""Gradients that are "g times 0" where an op masks its input: torch's formulas either select a literal 0
(clamp, hardtanh, threshold, where, masked_fill: +0 whatever g) or multiply g by a 0/1 mask (nan_to_num,
nansum: NaN for an infinite or NaN g, -0.0 for a negative one), and a composite's branches summed into one
gradient turn a -0.0 into +0.0 where torch's one kernel keeps it. Each op against torch with the incoming
gradient inf, -inf, NaN, -1 and -0.0 over inputs with every special value: NaN, the sign of a zero and the
infinities where they are, the other values to torch's tolerance."""
import math

import pytest
import torch

import pyfront

XS = [-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, math.inf, -math.inf, math.nan, 6.0, -0.0]
GS = [math.inf, -math.inf, math.nan, -1.0, -0.0]
MASK = [x > 0 for x in XS]
OPS = {
    "nan_to_num": lambda T, x: T.nan_to_num(x),
    "nansum": lambda T, x: T.nansum(x * 1.0, 0, keepdim=True).expand(len(XS)),
    "clamp": lambda T, x: T.clamp(x, -1.0, 1.0),
    "clamp_tensors": lambda T, x: T.clamp(x, T.full((len(XS),), -1.0), T.full((len(XS),), 1.0)),
    "hardtanh": lambda T, x: T.nn.functional.hardtanh(x),
    "relu6": lambda T, x: T.nn.functional.relu6(x),
    "relu": lambda T, x: T.relu(x),
    "threshold": lambda T, x: T.nn.functional.threshold(x, 0.5, 2.0),
    "where": lambda T, x: T.where(T.tensor(MASK), x, 0.0),
    "masked_fill": lambda T, x: x.masked_fill(T.tensor(MASK), 0.0),
    "softshrink": lambda T, x: T.nn.functional.softshrink(x),
    "hardshrink": lambda T, x: T.nn.functional.hardshrink(x),
    "leaky_relu": lambda T, x: T.nn.functional.leaky_relu(x),
}
# torch's one backward kernel each, where a composite's two branches' gradients were summed (the branch not
# taken adds +0, so a -0.0 incoming gradient came out +0.0)
OPS.update({
    "elu": lambda T, x: T.nn.functional.elu(x),
    "elu_alpha": lambda T, x: T.nn.functional.elu(x, 0.3),
    "selu": lambda T, x: T.nn.functional.selu(x),
    "celu": lambda T, x: T.nn.functional.celu(x, 2.5),
    "softplus": lambda T, x: T.nn.functional.softplus(x),
    "softplus_beta": lambda T, x: T.nn.functional.softplus(x, 2.0, 5.0),
    "logsigmoid": lambda T, x: T.nn.functional.logsigmoid(x),
})


def _kind(v):
    if math.isnan(v):
        return "nan"
    return repr(v) if v == 0 or math.isinf(v) else "number"


def _gradient(T, op, dtype, g):
    x = T.tensor(XS, dtype=getattr(T, dtype), requires_grad=True)
    op(T, x).backward(T.full((len(XS),), g, dtype=x.dtype))
    return x.grad.double().tolist()


def _compare(op, dtype):
    for g in GS:
        want, got = _gradient(torch, op, dtype, g), _gradient(pyfront, op, dtype, g)
        assert [_kind(v) for v in got] == [_kind(v) for v in want], g
        torch.testing.assert_close(torch.tensor(got), torch.tensor(want), equal_nan=True, rtol=1e-3,
                                   atol=1e-6)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
@pytest.mark.parametrize("name", OPS)
def test_masked_gradient_is_torchs(name, dtype):
    _compare(OPS[name], dtype)


# torch's vectorised loops (two 64-byte vectors at once) put NaN on the first branch of elu's and hardswish's
# backward select, its scalar tail and its 16-bit kernels on the last: 36 elements reach both
LONG = {name: OPS[name] for name in ("elu", "selu", "celu", "softplus", "logsigmoid")}
LONG["hardswish"] = lambda T, x: T.nn.functional.hardswish(x)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
@pytest.mark.parametrize("name", LONG)
def test_nan_in_vectors_and_tail_is_torchs(name, dtype):
    for g in (-1.0, -0.0):
        grads = []
        for T in (torch, pyfront):
            x = T.tensor(XS * 3, dtype=getattr(T, dtype), requires_grad=True)
            LONG[name](T, x).backward(T.full((len(XS) * 3,), g, dtype=x.dtype))
            grads.append(x.grad.double().tolist())
        assert [_kind(v) for v in grads[1]] == [_kind(v) for v in grads[0]], g


@pytest.mark.parametrize("name", ["elu", "selu", "celu", "softplus", "logsigmoid"])
def test_double_backward_is_torchs(name):
    """torch's double-backward formulas (elu's: a (x < 0) mask, so 0 at x = 0 for the input's part)."""
    got = []
    for T in (torch, pyfront):
        x = T.tensor([-3.0, -0.5, 0.0, -0.0, 0.5, 25.0], dtype=T.float64, requires_grad=True)
        g = T.full((6,), 0.3, dtype=T.float64, requires_grad=True)
        (gx,) = T.autograd.grad(OPS[name](T, x), x, g, create_graph=True)
        got.append([d.tolist() for d in T.autograd.grad((gx * gx).sum(), (x, g))])
    torch.testing.assert_close(torch.tensor(got[1]), torch.tensor(got[0]), rtol=1e-12, atol=0)


@pytest.mark.parametrize("call", ["elu(x, 0.7)", "selu(x)", "celu(x, 2.5)", "elu(x * 1, 2, True)",
                                  "celu(x * 1, inplace=True)", "softplus(x, 2.0, 5.0)"])
def test_saved_numbers_are_torchs(call):
    nodes = []
    for T in (torch, pyfront):
        x = T.tensor([-1.0, 2.0], requires_grad=True)
        node = eval(call, {"x": x, **vars(T.nn.functional)}).grad_fn
        nodes.append({a: repr(getattr(node, a)) for a in dir(node) if a.startswith("_saved_")
                      and a != "_saved_self" and not a.startswith("_saved_result")})
    assert nodes[1] == nodes[0]
