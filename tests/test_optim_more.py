"""Adadelta, Adamax, NAdam, RAdam, Rprop, ASGD, LBFGS and the CyclicLR / CosineAnnealingWarmRestarts /
PolynomialLR / ConstantLR / ChainedScheduler / SequentialLR schedules against torch.optim: trajectories step
by step (float64 to ~1e-10 on cpu, float32 on cpu and webgpu), state dicts in both directions, errors."""

import numpy as np
import pytest
import torch
from optable import assert_same_error
from webgpu_required import requires_webgpu

import pyfront

SHAPES = [(3, 4), (5,), ()]
DEVICES = [("cpu", "float64"), ("cpu", "float32"), pytest.param("webgpu", "float32", marks=requires_webgpu)]
TOL = {
    "float64": dict(rtol=1e-10, atol=1e-10),
    "float32": dict(rtol=1e-5, atol=1e-6),
    "webgpu": dict(rtol=2e-4, atol=2e-5),
}


def _np(t):
    if isinstance(t, torch.Tensor):
        return t.detach().numpy()
    return np.asarray(t.detach().tolist(), dtype=t.dtype.np_name).reshape(tuple(t.shape))


class Problem:
    """The same leaf parameters and loss ``sum(a * sin(p) + b * p**2 / 2)`` in ``lib`` on ``device``."""

    def __init__(self, lib, dtype="float64", device="cpu", seed=0):
        rng = np.random.default_rng(seed)
        arrays = [
            [rng.standard_normal(s), rng.uniform(0.5, 2.0, s), rng.uniform(0.1, 1.0, s)] for s in SHAPES
        ]
        kw = dict(dtype=getattr(lib, dtype))
        if lib is pyfront:
            kw["device"] = device
        self.lib = lib
        self.params = [lib.tensor(p, **kw).requires_grad_() for p, _, _ in arrays]
        self.a = [lib.tensor(a, **kw) for _, a, _ in arrays]
        self.b = [lib.tensor(b, **kw) for _, _, b in arrays]

    def loss(self):
        total = 0
        for p, a, b in zip(self.params, self.a, self.b):
            total = total + (a * self.lib.sin(p) + b * p * p / 2).sum()
        return total


def _convert(value, to):
    """A state-dict value with its tensors moved to library ``to`` (on cpu)."""
    if isinstance(value, (torch.Tensor, pyfront.Tensor)):
        return to.tensor(_np(value).copy())
    if isinstance(value, dict):
        return {k: _convert(v, to) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_convert(v, to) for v in value)
    return value


def assert_same_state(p_sd, t_sd, tol):
    """Two optimizer state dicts: the same structure, dtypes, shapes, numbers and param groups."""
    assert p_sd["param_groups"] == t_sd["param_groups"]

    def same(p, t):
        if isinstance(t, torch.Tensor):
            assert isinstance(p, pyfront.Tensor) and str(p.dtype) == str(t.dtype)
            assert tuple(p.shape) == tuple(t.shape)
            np.testing.assert_allclose(_np(p), t.numpy(), **tol)
        elif isinstance(t, dict):
            assert list(p) == list(t)
            for k in t:
                same(p[k], t[k])
        elif isinstance(t, (list, tuple)):
            assert type(p) is type(t) and len(p) == len(t)
            for a, b in zip(p, t):
                same(a, b)
        elif isinstance(t, float):
            np.testing.assert_allclose(p, t, **tol)
        else:
            assert p == t

    same(p_sd["state"], t_sd["state"])


def _optimizer(lib, prob, name, kwargs, groups):
    if groups:  # the first tensor in its own group with its own lr
        params = [{"params": prob.params[:1], "lr": 0.03}, {"params": prob.params[1:]}]
    else:
        params = prob.params
    return getattr(lib.optim, name)(params, **kwargs)


def _step(prob, opt, skip=None):
    opt.zero_grad()
    prob.loss().backward()
    if skip is not None:
        prob.params[skip].grad = None  # a param without a gradient is left alone, state and all
    opt.step()


OPTIMIZERS = [
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, eps=1e-5, weight_decay=0.1, maximize=True)),
    ("Adamax", dict(lr=0.05)),
    ("Adamax", dict(lr=0.05, betas=(0.8, 0.99), weight_decay=0.1, maximize=True, foreach=False)),
    ("NAdam", dict(lr=0.05)),
    ("NAdam", dict(lr=0.05, weight_decay=0.1, momentum_decay=0.01)),
    ("NAdam", dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("RAdam", dict(lr=0.05)),
    ("RAdam", dict(lr=0.05, betas=(0.8, 0.9), weight_decay=0.1)),
    ("RAdam", dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("Rprop", dict()),
    ("Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2), maximize=True)),
    ("ASGD", dict(lr=0.05)),
    ("ASGD", dict(lr=0.05, lambd=1e-2, alpha=0.5, t0=5, weight_decay=0.1, maximize=True)),
]


@pytest.mark.parametrize("device,dtype", DEVICES)
@pytest.mark.parametrize("name,kwargs", OPTIMIZERS, ids=str)
def test_trajectory(name, kwargs, device, dtype):
    """25 steps, parameters compared after each, with a param group of its own and a skipped gradient."""
    tol = TOL["webgpu" if device == "webgpu" else dtype]
    tp, pp = Problem(torch, dtype), Problem(pyfront, dtype, device)
    t_opt = _optimizer(torch, tp, name, kwargs, groups=True)
    p_opt = _optimizer(pyfront, pp, name, kwargs, groups=True)
    for i in range(25):
        skip = 1 if i in (3, 4) else None
        _step(tp, t_opt, skip)
        _step(pp, p_opt, skip)
        for p, t in zip(pp.params, tp.params):
            assert p.device.type == device
            np.testing.assert_allclose(_np(p), _np(t), **tol, err_msg=f"step {i}")
    assert_same_state(p_opt.state_dict(), t_opt.state_dict(), tol)


@pytest.mark.parametrize("name,kwargs", OPTIMIZERS[::2] + [("LBFGS", dict(history_size=3))], ids=str)
def test_state_dict_moves_both_ways(name, kwargs):
    """A torch state dict loads into pyfront and a pyfront one into torch; both go on as the original."""
    tp, pp = Problem(torch), Problem(pyfront)
    t_opt, p_opt = _optimizer(torch, tp, name, kwargs, False), _optimizer(pyfront, pp, name, kwargs, False)
    step = _lbfgs_step if name == "LBFGS" else _step
    for _ in range(5):
        step(tp, t_opt)
        step(pp, p_opt)
    # torch -> pyfront: a fresh pyfront optimizer on torch's parameters and state
    pp2 = Problem(pyfront)
    for p, t in zip(pp2.params, tp.params):
        p.data = pyfront.tensor(_np(t).copy())
    p_opt2 = _optimizer(pyfront, pp2, name, kwargs, False)
    p_opt2.load_state_dict(_convert(t_opt.state_dict(), pyfront))
    # pyfront -> torch
    tp2 = Problem(torch)
    with torch.no_grad():
        for p, t in zip(pp.params, tp2.params):
            t.copy_(torch.from_numpy(_np(p).copy()))
    t_opt2 = _optimizer(torch, tp2, name, kwargs, False)
    t_opt2.load_state_dict(_convert(p_opt.state_dict(), torch))
    # loading casts floating state (NAdam's mu_product, ASGD's eta) to the param's dtype in both libraries,
    # so the two loaded optimizers are compared with each other
    assert_same_state(p_opt2.state_dict(), t_opt2.state_dict(), TOL["float64"])
    for _ in range(5):
        for prob, opt in ((tp, t_opt), (pp2, p_opt2), (tp2, t_opt2)):
            step(prob, opt)
    for p, t, t2 in zip(pp2.params, tp.params, tp2.params):
        np.testing.assert_allclose(_np(p), _np(t2), **TOL["float64"])
        np.testing.assert_allclose(_np(t2), _np(t), rtol=1e-6)
    assert_same_state(p_opt2.state_dict(), t_opt2.state_dict(), TOL["float64"])


def test_float32_step_counters_and_float64_default_dtype():
    """Step counters and NAdam's mu_product / ASGD's eta are tensors of the scalar dtype: float32, or
    float64 when that is the default dtype (they round differently, so the trajectories tell)."""
    for default in ("float32", "float64"):
        torch.set_default_dtype(getattr(torch, default))
        pyfront.set_default_dtype(getattr(pyfront, default))
        try:
            for name, kwargs in [("NAdam", dict(lr=0.05)), ("ASGD", dict(lr=0.0123, lambd=0.1, t0=3))]:
                tp, pp = Problem(torch), Problem(pyfront)
                t_opt, p_opt = (
                    getattr(torch.optim, name)(tp.params, **kwargs),
                    getattr(pyfront.optim, name)(pp.params, **kwargs),
                )
                for _ in range(8):
                    _step(tp, t_opt)
                    _step(pp, p_opt)
                assert_same_state(p_opt.state_dict(), t_opt.state_dict(), TOL["float64"])
                for p, t in zip(pp.params, tp.params):
                    np.testing.assert_allclose(_np(p), _np(t), **TOL["float64"])
        finally:
            torch.set_default_dtype(torch.float32)
            pyfront.set_default_dtype(pyfront.float32)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("Adadelta", {}),
        ("Adamax", {}),
        ("NAdam", {}),
        ("RAdam", {}),
        ("Rprop", {}),
        ("ASGD", {}),
        ("Adam", {}),
        ("NAdam", dict(weight_decay=0.1, decoupled_weight_decay=True)),
        ("RAdam", dict(weight_decay=0.1, decoupled_weight_decay=True)),
        ("AdamW", dict(weight_decay=0.1)),
    ],
    ids=str,
)
def test_tensor_lr(name, kwargs):
    """A float32 tensor lr on float64 params: lr arithmetic rounds in float32, as PyTorch's does."""
    tp, pp = Problem(torch), Problem(pyfront)
    t_opt = getattr(torch.optim, name)(tp.params, lr=torch.tensor(0.0123), **kwargs)
    p_opt = getattr(pyfront.optim, name)(pp.params, lr=pyfront.tensor(0.0123), **kwargs)
    for _ in range(8):
        _step(tp, t_opt)
        _step(pp, p_opt)
    # float32 pow in NumPy is not always correctly rounded (torch's is), so ASGD's float32 eta may differ
    # by an ulp: 6e-8 relative
    tol = dict(rtol=1e-7, atol=1e-9) if name == "ASGD" else TOL["float64"]
    for p, t in zip(pp.params, tp.params):
        np.testing.assert_allclose(_np(p), _np(t), **tol)


BAD_ARGS = [
    ("Adadelta", dict(lr=-1)),
    ("Adadelta", dict(rho=1.5)),
    ("Adadelta", dict(eps=-1)),
    ("Adadelta", dict(weight_decay=-1)),
    ("Adadelta", dict(lr=torch.tensor([0.1, 0.2]))),
    ("Adamax", dict(lr=-1)),
    ("Adamax", dict(eps=-1e-3)),
    ("Adamax", dict(betas=(1.0, 0.9))),
    ("Adamax", dict(betas=(0.9, -0.1))),
    ("Adamax", dict(weight_decay=-0.5)),
    ("NAdam", dict(lr=-0.1)),
    ("NAdam", dict(momentum_decay=-1)),
    ("NAdam", dict(betas=(0.9, 1.0))),
    ("RAdam", dict(lr=-1)),
    ("RAdam", dict(weight_decay=-1)),
    ("RAdam", dict(betas=(-0.1, 0.9))),
    ("Rprop", dict(lr=-1)),
    ("Rprop", dict(etas=(1.5, 1.2))),
    ("Rprop", dict(etas=(0.5, 0.9))),
    ("ASGD", dict(lr=-1)),
    ("ASGD", dict(weight_decay=-1)),
    ("LBFGS", dict(lr=-1)),
    ("LBFGS", dict(lr=torch.tensor([0.1, 0.2]))),
]


@pytest.mark.parametrize("name,kwargs", BAD_ARGS, ids=str)
def test_argument_errors(name, kwargs):
    p_kwargs = {
        k: pyfront.tensor(v.tolist()) if isinstance(v, torch.Tensor) else v for k, v in kwargs.items()
    }
    with pytest.raises(Exception) as t_err:
        getattr(torch.optim, name)([torch.zeros(2, requires_grad=True)], **kwargs)
    with pytest.raises(Exception) as p_err:
        getattr(pyfront.optim, name)([pyfront.zeros(2, requires_grad=True)], **p_kwargs)
    assert_same_error(p_err.value, t_err.value)


def test_defaults_and_repr():
    """Every constructor's defaults (including foreach/capturable/differentiable) as torch's."""
    for name in ("Adadelta", "Adamax", "NAdam", "RAdam", "Rprop", "ASGD", "LBFGS"):
        t_opt = getattr(torch.optim, name)([torch.zeros(2, requires_grad=True)])
        p_opt = getattr(pyfront.optim, name)([pyfront.zeros(2, requires_grad=True)])
        assert p_opt.defaults == t_opt.defaults, name
        assert repr(p_opt) == repr(t_opt)
    with pytest.raises(ValueError, match="LBFGS doesn't support per-parameter options"):
        pyfront.optim.LBFGS(
            [
                {"params": [pyfront.zeros(1, requires_grad=True)]},
                {"params": [pyfront.zeros(1, requires_grad=True)]},
            ]
        )


# -- LBFGS ----------------------------------------------------------------------------------------------
def _rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def _rosenbrock_backward(opt, x):
    opt.zero_grad()
    loss = _rosenbrock(x)
    loss.backward()
    return loss


def _lbfgs_step(prob, opt):
    def closure():
        opt.zero_grad()
        loss = prob.loss()
        loss.backward()
        return loss

    return opt.step(closure)


LBFGS_CASES = [
    (dict(line_search_fn="strong_wolfe"), 6),
    (dict(line_search_fn="strong_wolfe", history_size=2, max_eval=9, tolerance_change=1e-6), 6),
    # without a line search, lr=1 steps bounce around the valley, amplifying last-bit differences of
    # the primitives (torch's vectorised add-with-alpha may fuse): compared over fewer iterations
    (dict(max_iter=8), 3),
    (dict(lr=0.5, max_iter=5, history_size=3), 3),
]


@pytest.mark.parametrize("device,dtype", DEVICES)
@pytest.mark.parametrize("kwargs,steps", LBFGS_CASES, ids=str)
def test_lbfgs_rosenbrock(kwargs, steps, device, dtype):
    # a last-bit difference of a primitive grows along the valley (to ~1e-8 after six float64 steps); in
    # float32 (the GPU's exp/log-based pow differs more) it reaches 1e-3 within 20 iterations, so float32
    # compares one step of 6 iterations
    tol = dict(rtol=1e-6, atol=1e-9) if dtype == "float64" else dict(rtol=1e-3, atol=1e-4)
    if dtype == "float32":
        kwargs = {**kwargs, "max_iter": min(kwargs.get("max_iter", 20), 6)}
    x0 = np.array([-1.5, 2.0])
    tx = torch.tensor(x0, dtype=getattr(torch, dtype), requires_grad=True)
    px = pyfront.tensor(x0, dtype=getattr(pyfront, dtype), device=device, requires_grad=True)
    t_opt, p_opt = torch.optim.LBFGS([tx], **kwargs), pyfront.optim.LBFGS([px], **kwargs)
    for i in range(steps if dtype == "float64" else 1):
        losses = []
        for x, opt in ((tx, t_opt), (px, p_opt)):
            losses.append(opt.step(lambda x=x, opt=opt: _rosenbrock_backward(opt, x)))
        np.testing.assert_allclose(_np(losses[1]), _np(losses[0]), **tol, err_msg=f"step {i}")
        np.testing.assert_allclose(_np(px), _np(tx), **tol, err_msg=f"step {i}")
        t_state, p_state = t_opt.state[tx], p_opt.state[px]
        assert (p_state["func_evals"], p_state["n_iter"]) == (t_state["func_evals"], t_state["n_iter"])
    if dtype == "float64":
        assert_same_state(p_opt.state_dict(), t_opt.state_dict(), dict(rtol=1e-4, atol=1e-6))
    # the run to the minimum: on webgpu only with the small evaluation budget, to keep the suite quick
    if "line_search_fn" in kwargs and (device == "cpu" or "max_eval" in kwargs):
        for _ in range(20 if dtype == "float32" else 0):
            p_opt.step(lambda: _rosenbrock_backward(p_opt, px))
        np.testing.assert_allclose(
            _np(px), [1.0, 1.0], atol=1e-2 if dtype == "float32" else 2e-3
        )  # reaches (near) the minimum


def test_lbfgs_errors_and_converged_start():
    x = pyfront.tensor([1.0, 1.0], requires_grad=True)
    opt = pyfront.optim.LBFGS([x], line_search_fn="armijo")

    def closure():
        opt.zero_grad()
        loss = _rosenbrock(x) + (x * 0.5).sum()
        loss.backward()
        return loss

    with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
        opt.step(closure)
    # at the minimum the first gradient is below tolerance_grad: no step, the loss is returned
    y = pyfront.tensor([1.0, 1.0], dtype=pyfront.float64, requires_grad=True)
    opt = pyfront.optim.LBFGS([y])

    def closure2():
        opt.zero_grad()
        loss = _rosenbrock(y)
        loss.backward()
        return loss

    assert opt.step(closure2).item() == 0.0 and y.tolist() == [1.0, 1.0]
    assert opt.state[y] == {"func_evals": 1, "n_iter": 0}


# -- schedulers -----------------------------------------------------------------------------------------
def _sched_pair(make, opt_name="SGD", opt_kwargs=None):
    """``make(lib, optimizer)`` in both libraries, on two param groups."""
    opt_kwargs = opt_kwargs or dict(lr=0.1, momentum=0.9)
    out = []
    for lib in (torch, pyfront):
        groups = [
            {"params": [lib.zeros(2, requires_grad=True)]},
            {"params": [lib.zeros(1, requires_grad=True)], "lr": 0.05},
        ]
        opt = getattr(lib.optim, opt_name)(groups, **opt_kwargs)
        out.append((opt, make(lib, opt)))
    return out


def _lr_values(sched):
    return [float(v) for v in sched.get_last_lr()]


def _momenta(opt):
    """Each group's momentum, or its betas (both, so a cycled beta1 must leave beta2 alone)."""
    return [v for g in opt.param_groups for v in (g["betas"] if "betas" in g else (g["momentum"],))]


SCHEDULES = [
    ("cawr", lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=3)),
    (
        "cawr-mult",
        lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, 2, T_mult=2, eta_min=1e-3),
    ),
    ("cyclic", lambda lib, o: lib.optim.lr_scheduler.CyclicLR(o, 0.01, 0.1, step_size_up=3)),
    (
        "cyclic2",
        lambda lib, o: lib.optim.lr_scheduler.CyclicLR(
            o, [0.01, 0.02], 0.1, step_size_up=2, step_size_down=4, mode="triangular2"
        ),
    ),
    (
        "cyclic-exp",
        lambda lib, o: lib.optim.lr_scheduler.CyclicLR(
            o, 0.01, [0.1, 0.2], 3, mode="exp_range", gamma=0.9, base_momentum=0.7
        ),
    ),
    (
        "cyclic-fn",
        lambda lib, o: lib.optim.lr_scheduler.CyclicLR(
            o, 0.01, 0.1, 2, scale_fn=lambda x: 0.5**x, scale_mode="iterations", cycle_momentum=False
        ),
    ),
    ("poly", lambda lib, o: lib.optim.lr_scheduler.PolynomialLR(o, total_iters=6, power=2.0)),
    ("constant", lambda lib, o: lib.optim.lr_scheduler.ConstantLR(o, factor=0.5, total_iters=4)),
    (
        "chained",
        lambda lib, o: lib.optim.lr_scheduler.ChainedScheduler(
            [
                lib.optim.lr_scheduler.ConstantLR(o, factor=0.5, total_iters=3),
                lib.optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
            ]
        ),
    ),
    (
        "sequential",
        lambda lib, o: lib.optim.lr_scheduler.SequentialLR(
            o,
            [
                lib.optim.lr_scheduler.ConstantLR(o, factor=0.2, total_iters=2),
                lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=4),
            ],
            milestones=[3],
        ),
    ),
]


@pytest.mark.parametrize("kind,make", SCHEDULES, ids=[s[0] for s in SCHEDULES])
@pytest.mark.parametrize(
    "opt_name,opt_kwargs", [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(lr=0.1))], ids=["sgd", "adam"]
)
def test_schedule_and_state_dict(kind, make, opt_name, opt_kwargs):
    """get_last_lr (and cycled momentum) step by step; halfway, the state dict goes into a fresh scheduler."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scheduler-before-optimizer warnings: the same in both
        (t_opt, t_sched), (p_opt, p_sched) = _sched_pair(make, opt_name, opt_kwargs)
        assert _lr_values(p_sched) == pytest.approx(_lr_values(t_sched), rel=1e-12)
        for i in range(14):
            if i == 7:
                state = p_sched.state_dict()
                t_state = t_sched.state_dict()
                assert sorted(state) == sorted(t_state)
                (_, t_sched2), (_, p_sched2) = _sched_pair(make, opt_name, opt_kwargs)
                p_sched2.optimizer.param_groups = p_opt.param_groups
                p_sched2.load_state_dict(state)
                p_sched = p_sched2
            t_opt.step()
            p_opt.step()
            t_sched.step()
            p_sched.step()
            assert _lr_values(p_sched) == pytest.approx(_lr_values(t_sched), rel=1e-12), f"step {i}"
            assert _momenta(p_opt) == pytest.approx(_momenta(t_opt), rel=1e-12)


@pytest.mark.parametrize("T_mult", [1, 2, 3])
def test_warm_restarts_fractional_epochs(T_mult):
    (t_opt, t_sched), (p_opt, p_sched) = _sched_pair(
        lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(
            o, T_0=2, T_mult=T_mult, eta_min=0.01
        )
    )
    for epoch in [0.0, 0.25, 0.5, 1.75, 2.0, 2.5, 3, 5.9, 6.0, 10.3, 14, 27.5, 1.0]:
        t_sched.step(epoch)
        p_sched.step(epoch)
        assert _lr_values(p_sched) == pytest.approx(_lr_values(t_sched), rel=1e-12)
        assert (p_sched.T_cur, p_sched.T_i, p_sched.last_epoch) == (
            t_sched.T_cur,
            t_sched.T_i,
            t_sched.last_epoch,
        )
    for t, p in zip(t_opt.param_groups, p_opt.param_groups):
        assert p["lr"] == pytest.approx(t["lr"], rel=1e-12)


SCHED_ERRORS = [
    lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=0),
    lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2.0),
    lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=0),
    lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2, eta_min="x"),
    lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2).step(-1),
    lambda lib, o: lib.optim.lr_scheduler.CyclicLR(o, 0.01, 0.1, mode="bogus"),
    lambda lib, o: lib.optim.lr_scheduler.CyclicLR(o, [0.01], 0.1),
    lambda lib, o: lib.optim.lr_scheduler.CyclicLR(lib.optim.Adagrad(o.param_groups[0]["params"]), 0.01, 0.1),
    lambda lib, o: lib.optim.lr_scheduler.CyclicLR(None, 0.01, 0.1),
    lambda lib, o: lib.optim.lr_scheduler.ConstantLR(o, factor=1.5),
]


@pytest.mark.parametrize("index", range(len(SCHED_ERRORS)))
def test_scheduler_errors(index):
    errors = []
    for lib in (torch, pyfront):
        opt = lib.optim.SGD(
            [{"params": [lib.zeros(1, requires_grad=True)]}, {"params": [lib.zeros(1, requires_grad=True)]}],
            lr=0.1,
        )
        with pytest.raises(Exception) as err:
            SCHED_ERRORS[index](lib, opt)
        errors.append(err.value)
    assert_same_error(errors[1], errors[0])


def test_exports():
    for name in ("Adadelta", "Adamax", "NAdam", "RAdam", "Rprop", "ASGD", "LBFGS"):
        assert name in pyfront.optim.__all__ and getattr(pyfront.optim, name).__module__.startswith(
            "pyfront.optim"
        )
    for name in (
        "CosineAnnealingWarmRestarts",
        "CyclicLR",
        "PolynomialLR",
        "ConstantLR",
        "ChainedScheduler",
        "SequentialLR",
    ):
        assert name in pyfront.optim.lr_scheduler.__all__


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_copy_into_state_keeps_the_source_separate(device):
    """``state.copy_(param)`` (ASGD's ax, LBFGS's restore of x_init) must copy: the in-place op took over
    the source's memory, so later updates of either tensor showed in the other."""
    a = pyfront.ones(3, device=device)
    b = pyfront.zeros(3, device=device)
    b.copy_(a)
    a.mul_(0.5)
    b.add_(1)
    assert a.tolist() == [0.5] * 3 and b.tolist() == [2.0] * 3
    w = pyfront.ones(3, requires_grad=True, device=device)
    c = pyfront.zeros(3, device=device)
    c.copy_(w)
    (c * 3).sum().backward()
    assert w.grad.tolist() == [3.0] * 3


@pytest.mark.parametrize("name,kwargs", [("Adadelta", {}), ("NAdam", {}), ("RAdam", dict(betas=(0.9, 0.5))),
                                         ("ASGD", {}), ("RMSprop", {})], ids=str)
def test_differentiable_step(name, kwargs):
    """``differentiable=True``: the update is recorded, so a loss of the updated tensor reaches what the
    gradient was made from (the updates avoid in-place ops on results their backward needs)."""
    rng = np.random.default_rng(0)
    p0, g0 = rng.standard_normal(4), rng.standard_normal(4)
    grads = []
    for lib in (torch, pyfront):
        p = lib.tensor(p0, requires_grad=True)
        x = p * 1.0
        x.grad = lib.tensor(g0) * p
        opt = getattr(lib.optim, name)([x], differentiable=True, **kwargs)
        for _ in range(8):
            opt.step()
        (x * x).sum().backward()
        grads.append(_np(p.grad))
    # torch's differentiable NAdam forms its step sizes from the float32 mu_product tensor: ~2e-9 apart
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-8)


def test_foreach_true_follows_torchs_multi_tensor_path():
    """``foreach=True`` runs torch's multi-tensor code, which rounds like its single-tensor loop for these
    optimizers (pyfront runs one loop for every ``foreach``). Not ASGD: torch's foreach ASGD forms its
    update as ``p - eta * (grad + lambd * p)`` from tensor etas, ~1e-6 from its own single-tensor path."""
    for name, kwargs in OPTIMIZERS:
        if name == "ASGD":
            continue
        tp, pp = Problem(torch), Problem(pyfront)
        t_opt = getattr(torch.optim, name)(tp.params, **{**kwargs, "foreach": True})
        p_opt = getattr(pyfront.optim, name)(pp.params, **{**kwargs, "foreach": True})
        for _ in range(10):
            _step(tp, t_opt)
            _step(pp, p_opt)
        for p, t in zip(pp.params, tp.params):
            np.testing.assert_allclose(_np(p), _np(t), **TOL["float64"], err_msg=name)


# torch's fused Adam/AdamW on a 16-bit param: the step in float32 (its opmath), each state rounded once (the
# single-tensor loop in float16 turned a zero gradient's update into 0/0: eps underflows there)
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("kwargs", [{}, {"amsgrad": True}, {"weight_decay": 0.1},
                                    {"weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}])
def test_fused_adam_of_16_bits_is_torchs_to_the_bit(dtype, kwargs):
    def run(lib):
        low = getattr(lib, dtype)
        p = (lib.arange(40.0).reshape(5, 8).sin() * 2).to(low).requires_grad_()
        opt = lib.optim.Adam([p], lr=0.01, fused=True, **kwargs)
        for i in range(4):
            opt.zero_grad()
            steps = lib.arange(40.0).reshape(5, 8)
            p.grad = ((steps * (i + 1) / 13).cos() * (steps % 3 != 0)).to(low)
            opt.step()
        return [t.detach().float().tolist() for t in (p, *opt.state[p].values())]
    assert run(pyfront) == run(torch)
