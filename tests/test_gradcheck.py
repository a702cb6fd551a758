"""gradcheck in float64 for every differentiable op of the op table, and gradcheck itself.

Each sample's float operands become float64 leaves; the op (with the sample's layout applied
inside the checked function, so expanded operands do not alias memory) is checked by pyfront's
gradcheck, and the first usable sample of each op by gradgradcheck. Samples torch refuses are
left to test_ops.py. gradcheck must be able to fail: wrong custom backwards are caught.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from optable import _resolve, _values, entries, laid_out

import pyfront
from torch.autograd.gradcheck import GradcheckError as TorchGradcheckError

from pyfront.autograd import Function, gradcheck, gradgradcheck
from pyfront.autograd.gradcheck import GradcheckError
from pyfront.ops.samples import T

DIFFERENTIABLE = [e for e in entries(edge=False) if e[4]]  # no finite differences at nan/inf


def _float64(spec) -> bool:
    return isinstance(spec, T) and spec.dtype.startswith("float")


def _prepare(torch_name, sample, domain, seed):
    """(grad data, call): the float operands' values (float64), and ``call(lib, *leaves)`` that runs
    the op of ``lib`` (pyfront or torch) with those operands replaced by ``leaves``."""
    rng = np.random.default_rng(seed)
    args, kwargs = sample
    names = list(range(len(args))) + list(kwargs)
    specs = list(args) + list(kwargs.values())
    data = [_values(sp, domain, rng) if isinstance(sp, T) else sp for sp in specs]
    data = [d.astype("float64") if _float64(sp) else d for sp, d in zip(specs, data)]
    wants = [_float64(sp) and sp.grad for sp in specs]

    def call(lib, *leaves):
        it = iter(leaves)
        values = []
        for spec, d, w in zip(specs, data, wants):
            if not isinstance(spec, T):
                values.append(spec)
                continue
            t = next(it) if w else lib.tensor(d)
            values.append(laid_out(t, spec))
        pos = [v for n, v in zip(names, values) if isinstance(n, int)]
        kw = {n: v for n, v in zip(names, values) if not isinstance(n, int)}
        return _resolve(lib, torch_name)(*pos, **kw)

    return [d for d, w in zip(data, wants) if w], call


# Samples with more float input elements than this are checked in fast mode (a random projection
# v^T J u of each Jacobian, pytorch/pytorch#53876) by torch's gradcheck at collection and by pyfront's in
# the tests: the full Jacobian costs two calls per input element (minutes for conv3d, attention). The
# small samples keep the full-Jacobian check. PyTorch's own OpInfo gradient tests run fast mode by default
# (OpInfo.gradcheck_fast_mode), which is the precedent.
FAST_ABOVE = 64


def _fast(leaves) -> bool:
    return sum(int(np.prod(t.shape)) for t in leaves) > FAST_ABOVE


def _torch_passes(torch_name, sample, domain, seed) -> bool:
    """torch's own gradcheck passes on the sample: False where torch refuses it or its gradcheck fails (a
    non-differentiable point such as scatter writing one place twice, or an op torch does not
    differentiate); those samples are outside gradcheck's reach, test_ops.py's business."""
    grad_data, call = _prepare(torch_name, sample, domain, seed)
    # torch.empty: contiguous strides even for zero-size data (torch.tensor gives them stride 0)
    torch_leaves = tuple(
        torch.empty(d.shape, dtype=torch.float64).copy_(torch.from_numpy(d)).requires_grad_()
        for d in grad_data
    )
    try:
        return torch.autograd.gradcheck(lambda *xs: call(torch, *xs), torch_leaves, raise_exception=False,
                                        fast_mode=_fast(grad_data))
    except Exception:
        return False


def _has_float_operand(sample) -> bool:
    args, kwargs = sample
    return any(_float64(sp) and sp.grad for sp in (*args, *kwargs.values()))


# Every sample with a float operand that requires grad is collected. torch's own gradcheck, which tells a
# sample outside gradcheck's reach (see _torch_passes), runs only where pyfront's fails: run on every
# sample at collection it cost about 45 s of CPU a suite run, for the same outcome (a test fails exactly
# where torch's gradcheck passes and pyfront's does not).
CASES = [
    pytest.param(e, i, id=f"{e[0]}-{i}")
    for e in DIFFERENTIABLE
    for i in range(len(e[2]))
    if _has_float_operand(e[2][i])
]


@pytest.mark.parametrize("entry,index", CASES)
def test_gradcheck_op(entry, index):
    _, torch_name, samples, domain, _ = entry
    grad_data, call = _prepare(torch_name, samples[index], domain, index)
    leaves = tuple(pyfront.tensor(d, requires_grad=True) for d in grad_data)
    try:
        assert gradcheck(lambda *xs: call(pyfront, *xs), leaves, fast_mode=_fast(leaves))
    except Exception:
        if _torch_passes(torch_name, samples[index], domain, index):
            raise


# gradgradcheck: each op's first sample where torch's own gradcheck passes (torch's runs up to that one)
FIRST = {e[0]: i for e in DIFFERENTIABLE
         if (i := next((i for i, sm in enumerate(e[2])
                        if _has_float_operand(sm) and _torch_passes(e[1], sm, e[3], i)), None)) is not None}


# torch does not differentiate these twice (its derivative of hardsigmoid_backward is not implemented:
# pyfront's node refuses as torch's, tests/test_activation_torch_formulas.py)
NOT_TWICE = {"nn.functional.hardsigmoid"}


@pytest.mark.parametrize("entry", [pytest.param(e, id=e[0]) for e in DIFFERENTIABLE
                                   if e[0] in FIRST and e[0] not in NOT_TWICE])
def test_gradgradcheck_op(entry):
    _, torch_name, samples, domain, _ = entry
    grad_data, call = _prepare(torch_name, samples[FIRST[entry[0]]], domain, FIRST[entry[0]])
    leaves = tuple(pyfront.tensor(d, requires_grad=True) for d in grad_data)
    assert gradgradcheck(lambda *xs: call(pyfront, *xs), leaves, fast_mode=_fast(leaves))


# later samples where pyfront's double backward once differed from torch's (a sweep of every sample, run by
# hand, costs minutes): the mean of no elements (its gradient's own gradient summed nothing to NaN) and var
# with more correction than elements (no mean's share in the second derivative)
LATER = {"mean": (8,), "var_mean": (8, 19), "var": (19,), "nn.functional.mse_loss": (4,),
         "nn.functional.l1_loss": (4,), "nn.functional.smooth_l1_loss": (4,),
         "nn.functional.huber_loss": (4,)}


@pytest.mark.parametrize("entry,index", [pytest.param(e, i, id=f"{e[0]}-{i}") for e in DIFFERENTIABLE
                                         if e[0] in LATER for i in LATER[e[0]]])
def test_gradgradcheck_later_samples(entry, index):
    _, torch_name, samples, domain, _ = entry
    grad_data, call = _prepare(torch_name, samples[index], domain, index)
    torch_leaves = tuple(torch.empty(d.shape, dtype=torch.float64).copy_(torch.from_numpy(d)).requires_grad_()
                         for d in grad_data)
    assert torch.autograd.gradgradcheck(lambda *xs: call(torch, *xs), torch_leaves)  # (torch's passes)
    leaves = tuple(pyfront.tensor(d, requires_grad=True) for d in grad_data)
    assert gradgradcheck(lambda *xs: call(pyfront, *xs), leaves, fast_mode=_fast(leaves))


# -- gradcheck can fail ---------------------------------------------------------------------------
class WrongSin(Function):
    """sin with a backward that is 1% off."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sin()

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x.cos() * 1.01


class SinFirstOrderOnly(Function):
    """sin whose backward is right but hides its dependence on x (wrong second derivative)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sin()

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x.detach().cos()


class RightSin(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sin()

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x.cos()


def _x():
    return pyfront.randn(2, 3, dtype=pyfront.float64, requires_grad=True)


@pytest.mark.parametrize("fast_mode", [False, True])
def test_gradcheck_catches_wrong_backward(fast_mode):
    x = _x()
    with pytest.raises(GradcheckError, match="Jacobian mismatch for output 0 with respect to input 0"):
        gradcheck(WrongSin.apply, (x,), fast_mode=fast_mode)
    assert gradcheck(WrongSin.apply, (x,), raise_exception=False, fast_mode=fast_mode) is False
    assert gradcheck(RightSin.apply, (x,), fast_mode=fast_mode)
    assert issubclass(GradcheckError, RuntimeError) and issubclass(TorchGradcheckError, RuntimeError)


@pytest.mark.parametrize("fast_mode", [False, True])
def test_gradgradcheck_catches_wrong_double_backward(fast_mode):
    x = _x()
    assert gradcheck(SinFirstOrderOnly.apply, (x,), fast_mode=fast_mode)
    with pytest.raises(GradcheckError, match="Jacobian mismatch"):
        gradgradcheck(SinFirstOrderOnly.apply, (x,), fast_mode=fast_mode)
    assert gradgradcheck(RightSin.apply, (x,), fast_mode=fast_mode)


class TorchWrongSin(torch.autograd.Function):
    """WrongSin in torch, for the shape of the fast-mode error message."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sin()

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x.cos() * 1.01


def test_fast_gradcheck_message_like_torch():
    """Same lines as torch's fast-mode error: projections, then the full Jacobians, max difference. The
    projected numbers differ (torch and pyfront draw u and v from different generators)."""
    x = _x()
    t = torch.tensor(x.tolist(), dtype=torch.float64, requires_grad=True)
    with pytest.raises(TorchGradcheckError) as t_err:
        torch.autograd.gradcheck(TorchWrongSin.apply, (t,), fast_mode=True)
    with pytest.raises(GradcheckError) as p_err:
        gradcheck(WrongSin.apply, (x,), fast_mode=True)
    t_lines, p_lines = str(t_err.value).splitlines(), str(p_err.value).splitlines()

    def shape(lines):  # numbers out, labels kept
        return [line.split(":")[0] if ":" in line and "http" not in line else line for line in lines]

    assert shape(p_lines) == shape(t_lines)
    slow = p_lines.index("Numerical:")
    assert p_lines[slow:] == t_lines[slow:]  # the slow-mode Jacobians of the same input are equal


def test_fast_gradcheck_catches_one_wrong_element():
    """A wrong derivative of one element of a large input still fails the projection (fast mode is
    weaker than the full check: a 1% error in one of 100 elements would pass)."""
    class OneOff(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 3

        @staticmethod
        def backward(ctx, g):
            mask = pyfront.zeros_like(g)
            mask.view(-1)[37] = 3.0  # that one derivative doubled
            return g * (3 + mask)

    x = pyfront.randn(10, 10, dtype=pyfront.float64, requires_grad=True)
    with pytest.raises(GradcheckError, match="computed \nin fast mode"):
        gradcheck(OneOff.apply, (x,), fast_mode=True)
    assert gradcheck(lambda y: (y * 3).exp().sum(1), (x * 0.1).detach().requires_grad_(), fast_mode=True)


def test_gradcheck_catches_backward_not_scaled_by_grad_output():
    class Ignores(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return pyfront.ones_like(g) * 2  # right only for a grad_output of ones

    x = _x()
    with pytest.raises(GradcheckError):
        gradcheck(Ignores.apply, (x,))


def test_gradcheck_multiple_outputs_and_inputs():
    a, b = _x(), pyfront.randn(3, dtype=pyfront.float64, requires_grad=True)
    assert gradcheck(lambda x, y, k: (x * y, (x + y).exp() * k, x.sum()), (a, b, 3))
    assert gradgradcheck(lambda x, y: (x * y).tanh(), (a, b))


def _same_error(torch_call, pyfront_call):
    with pytest.raises(Exception) as t_err:
        torch_call()
    with pytest.raises(type(t_err.value)) as p_err:
        pyfront_call()
    assert str(p_err.value) == str(t_err.value)


def test_gradcheck_input_errors_match_torch():
    _same_error(
        lambda: torch.autograd.gradcheck(torch.sin, (torch.randn(3, dtype=torch.float64),)),
        lambda: gradcheck(pyfront.sin, (pyfront.randn(3, dtype=pyfront.float64),)),
    )
    t = torch.randn(3, 1, dtype=torch.float64, requires_grad=True)
    p = pyfront.randn(3, 1, dtype=pyfront.float64, requires_grad=True)
    _same_error(
        lambda: torch.autograd.gradcheck(torch.sin, (t.expand(3, 4),)),
        lambda: gradcheck(pyfront.sin, (p.expand(3, 4),)),
    )


def test_gradcheck_warns_on_float32_like_torch():
    with warnings.catch_warnings(record=True) as t_w:
        warnings.simplefilter("always")
        torch.autograd.gradcheck(torch.sin, (torch.randn(3, requires_grad=True),), raise_exception=False)
    with warnings.catch_warnings(record=True) as p_w:
        warnings.simplefilter("always")
        gradcheck(pyfront.sin, (pyfront.randn(3, requires_grad=True),), raise_exception=False)
    t_msgs = {(w.category, str(w.message)) for w in t_w if "double precision" in str(w.message)}
    p_msgs = {(w.category, str(w.message)) for w in p_w if "double precision" in str(w.message)}
    assert t_msgs and p_msgs == t_msgs
