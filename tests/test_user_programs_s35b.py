"""Faults found running session 35's second round of user-style programs (tests/programs/: each file's header
names the public code it imitates), each checked as a kind against torch 2.13: every optimizer steps a complex
param as torch's do, as its view_as_real (zongyi-li's Fourier Neural Operator trains complex spectral weights
with Adam)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

# optimizer -> the option sets torch's single-tensor step branches on
_OPTIMIZERS = {
    "Adam": [{}, {"weight_decay": 0.1}, {"amsgrad": True}, {"foreach": True}],
    "AdamW": [{}, {"amsgrad": True}],
    "Adamax": [{}, {"weight_decay": 0.1}],
    "NAdam": [{}, {"decoupled_weight_decay": True, "weight_decay": 0.1}],
    "RAdam": [{}],
    "RMSprop": [{}, {"centered": True, "momentum": 0.5}],
    "Adagrad": [{}, {"initial_accumulator_value": 0.3}],
    "Adadelta": [{"lr": 1.0}],
    "ASGD": [{"t0": 1}],
    "Rprop": [{}],
    "SGD": [{"momentum": 0.9, "nesterov": True}],
}


def _steps(lib, name, options, start):
    """The complex param after seven steps on a loss whose gradient is not a multiple of the param."""
    w = lib.tensor(start, requires_grad=True)
    target = lib.tensor(start[::-1].copy())
    opt = getattr(lib.optim, name)([w], lr=options.pop("lr", 0.1), **options)
    for _ in range(7):
        opt.zero_grad()
        loss = ((w - target).abs() ** 3).sum() + (w * (1 + 2j)).real.sum()
        loss.backward()
        opt.step()
    return w.detach().numpy(), {k: v.numpy() for k, v in opt.state[w].items() if v.dim()}


@pytest.mark.parametrize("name,options", [(n, o) for n, opts in _OPTIMIZERS.items() for o in opts])
def test_complex_params_step_as_torchs(name, options):
    rng = np.random.default_rng(0)
    start = (rng.standard_normal(6) + 1j * rng.standard_normal(6)).astype(np.complex64)
    got, got_state = _steps(pyfront, name, dict(options), start)
    want, want_state = _steps(torch, name, dict(options), start)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert got_state.keys() == want_state.keys()
    for key, value in want_state.items():
        assert got_state[key].dtype == value.dtype, key
        np.testing.assert_allclose(got_state[key], value, rtol=1e-5, atol=1e-6, err_msg=key)


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_lbfgs_steps_complex_params_as_torchs(line_search_fn):
    rng = np.random.default_rng(1)
    start, target = ((rng.standard_normal((3, 2)) @ np.array([1, 1j])).astype(np.complex64) for _ in "ab")
    got = []
    for lib in (pyfront, torch):
        w = lib.tensor(start, requires_grad=True)
        opt = lib.optim.LBFGS([w], lr=0.5, max_iter=5, line_search_fn=line_search_fn)

        def closure():
            opt.zero_grad()
            loss = ((w - lib.tensor(target)).abs() ** 4).sum()
            loss.backward()
            return loss
        losses = [opt.step(closure).item() for _ in range(2)]
        got.append((losses, w.detach().numpy()))
    np.testing.assert_allclose(got[0][0], got[1][0], rtol=1e-5)
    np.testing.assert_allclose(got[0][1], got[1][1], rtol=1e-5, atol=1e-6)


def test_adafactor_refuses_complex_params_as_torch():
    for lib in (torch, pyfront):
        w = lib.zeros(3, dtype=lib.complex64, requires_grad=True)
        w.grad = lib.ones(3, dtype=lib.complex64)
        with pytest.raises(RuntimeError, match="^Adafactor does not support complex parameters$"):
            lib.optim.Adafactor([w]).step()


# fake quantization (quantization-aware training by hand: tests/programs/quantization_by_hand.py)
_VALUES = [-3.0, -1.25, -0.05, -0.0, 0.0, 0.35, 0.45, 0.77, 1.5, 9.0, 1e30, math.inf, -math.inf, math.nan]


def _fq_cases(lib):
    """(name, thunk) calls of both fake quantizers: dtypes, qparams as numbers and tensors, ranges."""
    x = lib.tensor(_VALUES * 3).reshape(3, 14)
    scales = lib.tensor([0.1, 0.25, 0.07])
    int_zps, float_zps = lib.tensor([0, 1, -2], dtype=lib.int32), lib.tensor([0.5, 1.0, -2.25])
    per_tensor = lib.fake_quantize_per_tensor_affine
    per_channel = lib.fake_quantize_per_channel_affine
    cases = {}
    for dtype in ("float32", "float64", "float16", "bfloat16"):
        xd = x.to(getattr(lib, dtype))
        cases[f"tensor {dtype}"] = lambda xd=xd: per_tensor(xd, 0.1, 3, -128, 127)
        cases[f"tensor 4-bit {dtype}"] = lambda xd=xd: per_tensor(xd, 0.07, 0, -8, 7)
        cases[f"channel {dtype}"] = lambda xd=xd: per_channel(xd, scales, int_zps, 0, -8, 7)
        cases[f"channel float zp {dtype}"] = lambda xd=xd: per_channel(xd, scales, float_zps, 0, -8, 7)
        cases[f"channel half zp {dtype}"] = lambda xd=xd: per_channel(xd, scales, float_zps.half(), 0, 0, 15)
    cases.update({
        "tensor qparams": lambda: per_tensor(x, lib.tensor(0.25), lib.tensor(0, dtype=lib.int32), 0, 15),
        "tensor qparams out of range": lambda: per_tensor(x, lib.tensor(0.1), lib.tensor(300), -128, 127),
        "scale 0": lambda: per_tensor(x, 0.0, 0, 0, 10),
        "negative scale": lambda: per_tensor(x, -1.0, 0, 0, 10),
        "wide range": lambda: per_tensor(x, 0.1, 0, -2 ** 40, 2 ** 40),
        "channel last axis": lambda: per_channel(x.t(), scales, int_zps, 1, -8, 7),
        # torch's errors, in its order
        "min > max": lambda: per_tensor(x, 0.1, 3, 5, 2),
        "zero point outside": lambda: per_tensor(x, 0.1, 300, -128, 127),
        "int input": lambda: per_tensor(x.int(), 0.1, 0, -128, 127),
        "two-element scale": lambda: per_tensor(x, lib.tensor([0.1, 0.2]), lib.tensor([0, 0]), 0, 10),
        "channel double scale": lambda: per_channel(x, scales.double(), int_zps, 0, -8, 7),
        "channel long zp": lambda: per_channel(x, scales, int_zps.long(), 0, -8, 7),
        "channel 2-d scale": lambda: per_channel(x, scales[None], int_zps, 0, -8, 7),
        "channel 2-d zp": lambda: per_channel(x, scales, int_zps[None], 0, -8, 7),
        "channel sizes": lambda: per_channel(x, scales[:2], int_zps, 0, -8, 7),
        "channel axis size": lambda: per_channel(x, scales, int_zps, 1, -8, 7),
        "channel axis range": lambda: per_channel(x, scales, int_zps, 2, -8, 7),
        "channel negative axis": lambda: per_channel(x.t(), scales, int_zps, -1, -8, 7),
        "channel min > max": lambda: per_channel(x, scales, int_zps, 0, 8, 7),
        "channel zp outside": lambda: per_channel(x, scales, int_zps + 10, 0, -8, 7),
        "channel int input": lambda: per_channel(x.int(), scales, int_zps, 0, -8, 7),
    })
    return cases


def _outcome(thunk):
    try:
        out = thunk()
    except Exception as e:  # the error is the outcome compared
        return type(e).__name__, str(e)
    return str(out.dtype), out.detach().double().numpy()


def test_fake_quantize_values_dtypes_and_errors_as_torch():
    ours, theirs = _fq_cases(pyfront), _fq_cases(torch)
    for name in theirs:
        got, want = _outcome(ours[name]), _outcome(theirs[name])
        assert got[0] == want[0], (name, got, want)
        if isinstance(want[1], str):
            assert got[1] == want[1], name
        else:
            np.testing.assert_array_equal(got[1], want[1], err_msg=name)


@pytest.mark.parametrize("per_channel", [False, True])
def test_fake_quantize_gradients_pass_inside_the_range_as_torch(per_channel):
    grads = []
    for lib in (torch, pyfront):
        x = lib.tensor(_VALUES, requires_grad=True)
        if per_channel:
            y = lib.fake_quantize_per_channel_affine(x[None], lib.tensor([0.1]), lib.tensor([0.5]), 0, -8, 7)
        else:
            y = lib.fake_quantize_per_tensor_affine(x, 0.1, 1, -8, 7)
        (y * lib.arange(1.0, 15.0)).sum().backward()
        grads.append((type(y.grad_fn).__name__, x.grad.numpy()))
    assert grads[0][0] == grads[1][0]
    np.testing.assert_array_equal(grads[1][1], grads[0][1])


@requires_webgpu
def test_fake_quantize_on_webgpu_as_torchs_float_kernels():
    """On a GPU torch's kernels compute in float32 (its cuda ones); pyfront's float64-free webgpu does too."""
    x = np.array(_VALUES[:10] * 3, dtype=np.float32).reshape(3, 10)
    scales, zps = [0.1, 0.25, 0.07], [0, 1, -2]
    got, want = [], []
    for lib, out, device in ((pyfront, got, "webgpu"), (torch, want, "cpu")):
        xt = lib.tensor(x, device=device, requires_grad=True)
        y1 = lib.fake_quantize_per_tensor_affine(xt, 0.1, 3, -8, 7)
        y2 = lib.fake_quantize_per_channel_affine(xt, lib.tensor(scales, device=device),
                                                   lib.tensor(zps, dtype=lib.int32, device=device), 0, -8, 7)
        (y1 + 2 * y2).sum().backward()
        out += [t.detach().cpu().numpy() for t in (y1, y2, xt.grad)]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-6, atol=0)


# autograd.Function under torch.func transforms (the "Extending torch.func" tutorial's rules)
def _function_kinds(lib):
    """A Function whose forward takes ctx, one with setup_context alone, and one with a vmap rule too."""
    class CtxForward(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.clamp(0, 1)

        @staticmethod
        def backward(ctx, g):
            return g

    class SetupContext(lib.autograd.Function):
        @staticmethod
        def forward(x):
            return x.clamp(0, 1)

        @staticmethod
        def setup_context(ctx, inputs, output):
            pass

        @staticmethod
        def backward(ctx, g):
            return g

    class GeneratedVmap(SetupContext):
        generate_vmap_rule = True

        @staticmethod
        def jvp(ctx, t):
            return t

    return CtxForward, SetupContext, GeneratedVmap


def _transform_calls(lib, fn):
    f = lib.func
    return {"vmap": lambda: f.vmap(fn.apply)(lib.ones(2, 3)),
            "vmap of a constant": lambda: f.vmap(lambda t: fn.apply(lib.ones(3)) + t)(lib.ones(2, 3)),
            "grad": lambda: f.grad(lambda t: fn.apply(t).sum())(lib.ones(3)),
            "vjp": lambda: f.vjp(fn.apply, lib.ones(3)),
            "jvp": lambda: f.jvp(fn.apply, (lib.ones(3),), (lib.ones(3),)),
            "jacrev": lambda: f.jacrev(fn.apply)(lib.ones(3)),
            "jacfwd": lambda: f.jacfwd(fn.apply)(lib.ones(3)),
            "hessian": lambda: f.hessian(lambda t: fn.apply(t).sum())(lib.ones(3)),
            "outside": lambda: fn.apply(lib.ones(3, requires_grad=True)).sum().backward()}


def _raised(thunk):
    try:
        thunk()
    except (RuntimeError, NotImplementedError) as e:  # the refusal is the outcome compared
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("kind", [0, 1, 2])
def test_functions_under_transforms_refused_as_torch(kind):
    ours = _transform_calls(pyfront, _function_kinds(pyfront)[kind])
    theirs = _transform_calls(torch, _function_kinds(torch)[kind])
    for name, thunk in theirs.items():
        assert _raised(ours[name]) == _raised(thunk), name


def test_custom_op_register_vmap_as_torch():
    """torch.library's vmap rule: registered on the op (and by name), vmap of the op as torch's."""
    outs = []
    for lib, ns in ((torch, "s35b_t"), (pyfront, "s35b_p")):
        def triple(x):
            return x * 3

        def shift(x, k):
            return x + k
        # the annotations custom_op infers its schema from (this file's are strings: __future__ annotations)
        triple.__annotations__ = {"x": lib.Tensor, "return": lib.Tensor}
        shift.__annotations__ = {"x": lib.Tensor, "k": float, "return": lib.Tensor}
        triple = lib.library.custom_op(f"{ns}::triple", mutates_args=())(triple)
        shift = lib.library.custom_op(f"{ns}::shift", mutates_args=())(shift)
        triple.register_vmap(lambda info, in_dims, x: (x * 3, in_dims[0]))
        lib.library.register_vmap(f"{ns}::shift", lambda info, in_dims, x, k: (x + k, in_dims[0]))
        xs = lib.arange(6.0).view(3, 2)
        outs.append([lib.func.vmap(triple)(xs).numpy(),
                     lib.func.vmap(shift, in_dims=(1, None))(xs, 0.5).numpy()])
    for got, want in zip(outs[1], outs[0]):
        np.testing.assert_array_equal(got, want)
