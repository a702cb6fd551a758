"""pyfront.optim and pyfront.optim.lr_scheduler against torch.optim: parameter trajectories, state dicts,
param groups, hooks, errors, and learning-rate sequences, each run side by side in both libraries."""

import copy
import importlib
import warnings

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

LIBS = (torch, pyfront)
SHAPES = [(3, 4), (5,), ()]


# -- a shared problem: the same parameters and the same loss in both libraries ------------------------
def _arrays(seed=0, shapes=SHAPES):
    rng = np.random.default_rng(seed)
    params = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    scales = [rng.uniform(0.5, 2.0, s).astype(np.float32) for s in shapes]
    curvature = [rng.uniform(0.1, 1.0, s).astype(np.float32) for s in shapes]
    return params, scales, curvature


class Problem:
    """Leaf parameters in ``lib`` and a fixed loss ``sum(a * sin(p) + b * p**2 / 2)`` of them."""

    def __init__(self, lib, seed=0, shapes=SHAPES):
        params, scales, curvature = _arrays(seed, shapes)
        self.lib = lib
        self.params = [lib.tensor(p.tolist(), dtype=lib.float32).requires_grad_() for p in params]
        self.a = [lib.tensor(a.tolist(), dtype=lib.float32) for a in scales]
        self.b = [lib.tensor(b.tolist(), dtype=lib.float32) for b in curvature]

    def loss(self):
        total = 0
        for p, a, b in zip(self.params, self.a, self.b):
            total = total + (a * self.lib.sin(p) + b * p * p / 2).sum()
        return total

    def backward(self, skip=()):
        """Gradients of the loss; params at positions in ``skip`` are left with ``grad = None``."""
        loss = self.loss()
        loss.backward()
        for i in skip:
            self.params[i].grad = None
        return loss


def _np(t):
    return np.asarray(t.detach().tolist(), dtype=np.float32)


def assert_params_close(pf_params, t_params, rtol=1e-5, atol=1e-6):
    for p, t in zip(pf_params, t_params, strict=True):
        torch.testing.assert_close(torch.tensor(_np(p)), t.detach(), rtol=rtol, atol=atol)


def assert_state_close(pf_state, t_state):
    """Two ``state_dict()["state"]`` dicts: the same indices, keys, and (close) values."""
    assert list(pf_state) == list(t_state)
    for idx in t_state:
        assert list(pf_state[idx]) == list(t_state[idx])
        for key, tv in t_state[idx].items():
            pv = pf_state[idx][key]
            if isinstance(tv, torch.Tensor):
                assert isinstance(pv, pyfront.Tensor) and str(pv.dtype) == str(tv.dtype)
                assert tuple(pv.shape) == tuple(tv.shape)
                torch.testing.assert_close(torch.tensor(_np(pv)).to(tv.dtype), tv, rtol=1e-5, atol=1e-5)
            else:
                assert pv == tv


def _run(lib, cls_name, kwargs, steps=50, groups=None, skip=(), seed=0):
    """Step ``steps`` times; return the problem, the optimizer and the parameter values after each step."""
    prob = Problem(lib, seed)
    params = (
        prob.params
        if groups is None
        else [dict(g, params=[prob.params[i] for i in g["params"]]) for g in groups]
    )
    opt = getattr(lib.optim, cls_name)(params, **kwargs)
    trajectory = []
    for _ in range(steps):
        opt.zero_grad()
        prob.backward(skip)
        opt.step()
        trajectory.append([_np(p) for p in prob.params])
    return prob, opt, trajectory


def _compare_runs(cls_name, kwargs, **run_kwargs):
    _, t_opt, t_traj = _run(torch, cls_name, kwargs, **run_kwargs)
    _, p_opt, p_traj = _run(pyfront, cls_name, kwargs, **run_kwargs)
    for step, (pvals, tvals) in enumerate(zip(p_traj, t_traj)):
        for pv, tv in zip(pvals, tvals):
            np.testing.assert_allclose(pv, tv, rtol=1e-5, atol=1e-6, err_msg=f"step {step}")
    return p_opt, t_opt


# -- trajectories over a grid of options ---------------------------------------------------------------
GRID = {
    "SGD": [
        dict(lr=0.1),
        dict(lr=0.05, momentum=0.9),
        dict(lr=0.05, momentum=0.9, dampening=0.3),
        dict(lr=0.05, momentum=0.8, nesterov=True),
        dict(lr=0.1, weight_decay=0.1),
        dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.05, maximize=True),
        dict(lr=0.02, momentum=0.5, dampening=0.5, maximize=True),
    ],
    "Adam": [
        dict(lr=0.05),
        dict(lr=0.05, amsgrad=True),
        dict(lr=0.1, betas=(0.8, 0.99), eps=1e-6),
        dict(lr=0.05, weight_decay=0.1),
        dict(lr=0.05, maximize=True, amsgrad=True, weight_decay=0.01),
        dict(lr=0.05, decoupled_weight_decay=True, weight_decay=0.1),
    ],
    "AdamW": [
        dict(lr=0.05),
        dict(lr=0.05, amsgrad=True, weight_decay=0.1),
        dict(lr=0.05, betas=(0.5, 0.9)),
        dict(lr=0.05, weight_decay=0.0, maximize=True),
        dict(lr=0.05, eps=1e-3, amsgrad=True, maximize=True),
    ],
    "RMSprop": [
        dict(),
        dict(lr=0.01, alpha=0.9),
        dict(lr=0.01, momentum=0.9),
        dict(lr=0.01, centered=True),
        dict(lr=0.005, centered=True, momentum=0.5, weight_decay=0.1, eps=1e-4),
        dict(lr=0.01, maximize=True, alpha=0.5),
    ],
    "Adagrad": [
        dict(),
        dict(lr=0.1),
        dict(lr=0.1, lr_decay=0.05),
        dict(lr=0.1, weight_decay=0.1),
        dict(lr=0.1, initial_accumulator_value=0.5, eps=1e-4),
        dict(lr=0.1, maximize=True, lr_decay=0.01, initial_accumulator_value=0.1),
    ],
}
CASES = [(name, kw) for name, grid in GRID.items() for kw in grid]


@pytest.mark.parametrize("cls_name,kwargs", CASES, ids=[f"{n}-{kw}" for n, kw in CASES])
def test_trajectory_matches_torch(cls_name, kwargs):
    p_opt, t_opt = _compare_runs(cls_name, kwargs)
    assert_state_close(p_opt.state_dict()["state"], t_opt.state_dict()["state"])
    assert p_opt.state_dict()["param_groups"] == t_opt.state_dict()["param_groups"]


GROUPS = {
    "SGD": (
        [{"params": [0], "lr": 0.02, "momentum": 0.9}, {"params": [1, 2], "nesterov": True}],
        dict(lr=0.05, momentum=0.5),
    ),
    "Adam": (
        [{"params": [0, 2], "betas": (0.5, 0.9)}, {"params": [1], "lr": 0.01, "amsgrad": True}],
        dict(lr=0.05),
    ),
    "AdamW": ([{"params": [2]}, {"params": [0, 1], "weight_decay": 0.5}], dict(lr=0.05)),
    "RMSprop": (
        [{"params": [1], "centered": True}, {"params": [0, 2], "momentum": 0.9, "lr": 0.002}],
        dict(lr=0.01),
    ),
    "Adagrad": ([{"params": [0], "lr_decay": 0.1}, {"params": [1, 2], "lr": 0.3}], dict(lr=0.1)),
}


@pytest.mark.parametrize("cls_name", list(GROUPS))
def test_param_groups_with_their_own_options(cls_name):
    groups, kwargs = GROUPS[cls_name]
    p_opt, t_opt = _compare_runs(cls_name, kwargs, groups=groups)
    assert p_opt.state_dict()["param_groups"] == t_opt.state_dict()["param_groups"]
    assert repr(p_opt) == repr(t_opt)


@pytest.mark.parametrize("cls_name", list(GROUPS))
def test_params_without_grad_are_skipped(cls_name):
    kwargs = GROUPS[cls_name][1]
    p_opt, t_opt = _compare_runs(cls_name, kwargs, skip=(1,), steps=10)
    assert_state_close(p_opt.state_dict()["state"], t_opt.state_dict()["state"])


def test_tensor_subclass_params():
    class Param(pyfront.Tensor):
        pass

    prob = Problem(pyfront)
    for p in prob.params:
        p.__class__ = Param
    t_prob = Problem(torch)
    p_opt, t_opt = pyfront.optim.Adam(prob.params, lr=0.1), torch.optim.Adam(t_prob.params, lr=0.1)
    for _ in range(5):
        for opt, pr in ((p_opt, prob), (t_opt, t_prob)):
            opt.zero_grad()
            pr.backward()
            opt.step()
    assert all(type(p) is Param for p in prob.params)
    assert_params_close(prob.params, t_prob.params)


# -- state_dict ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "cls_name,kwargs",
    [
        ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
        ("Adam", dict(lr=0.05, amsgrad=True)),
        ("AdamW", dict(lr=0.05)),
        ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)),
        ("Adagrad", dict(lr=0.1, lr_decay=0.01)),
    ],
)
def test_state_dict_round_trip_mid_training(cls_name, kwargs):
    results = {}
    for lib in LIBS:
        groups = [{"params": [0]}, {"params": [1, 2], "lr": 0.02}]
        prob, opt, _ = _run(lib, cls_name, kwargs, steps=20, groups=groups)
        saved = copy.deepcopy(opt.state_dict())
        # A fresh model and optimizer, as after loading a checkpoint: same values, state from the dict.
        fresh = Problem(lib)
        with lib.no_grad():
            for dst, src in zip(fresh.params, prob.params):
                dst.copy_(src)
        new_opt = getattr(lib.optim, cls_name)(
            [{"params": fresh.params[:1]}, {"params": fresh.params[1:]}], **kwargs
        )
        new_opt.load_state_dict(saved)
        assert new_opt.param_groups[1]["lr"] == 0.02
        assert new_opt.param_groups[1]["params"][0] is fresh.params[1]
        for _ in range(30):
            new_opt.zero_grad()
            fresh.backward()
            new_opt.step()
        results[lib] = fresh, new_opt, saved
    assert_params_close(results[pyfront][0].params, results[torch][0].params)
    assert_state_close(results[pyfront][1].state_dict()["state"], results[torch][1].state_dict()["state"])
    assert_state_close(results[pyfront][2]["state"], results[torch][2]["state"])


def test_state_dict_layout_matches_torch():
    sds = {}
    for lib in LIBS:
        prob = Problem(lib)
        groups = [{"params": prob.params[:2], "momentum": 0.9}, {"params": prob.params[2:]}]
        opt = lib.optim.SGD(groups, lr=0.1)
        prob.backward()
        opt.step()
        sd = opt.state_dict()
        # The state holds the live tensors (no copies), as torch's does.
        assert sd["state"][0]["momentum_buffer"] is opt.state[prob.params[0]]["momentum_buffer"]
        sds[lib] = sd
    assert sds[pyfront]["param_groups"] == sds[torch]["param_groups"]
    assert_state_close(sds[pyfront]["state"], sds[torch]["state"])


def test_load_state_dict_casts_state_to_the_param_dtype():
    for lib in LIBS:
        p = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        q = lib.tensor([1.0, 2.0], requires_grad=True)
        opt = lib.optim.Adam([q], lr=0.1)
        q.grad = lib.ones(2)
        opt.step()
        new = lib.optim.Adam([p], lr=0.1)
        new.load_state_dict(opt.state_dict())
        assert new.state[p]["exp_avg"].dtype == lib.float64
        assert new.state[p]["step"].dtype == lib.float32  # step keeps its own dtype


def _error(fn, lib):
    with pytest.raises(Exception) as info:
        fn(lib)
    return type(info.value), str(info.value)


def _same_error(fn):
    pf_type, pf_msg = _error(fn, pyfront)
    # A message that prints the Tensor class names its module, which differs by library.
    assert (pf_type, pf_msg.replace("pyfront.tensor.Tensor", "torch.Tensor")) == _error(fn, torch)


def test_load_state_dict_errors_match_torch():
    def different_group_count(lib):
        prob = Problem(lib)
        sd = lib.optim.SGD(prob.params, lr=0.1).state_dict()
        lib.optim.SGD([{"params": prob.params[:1]}, {"params": prob.params[1:]}], lr=0.1).load_state_dict(sd)

    def different_group_size(lib):
        prob = Problem(lib)
        sd = lib.optim.SGD(prob.params, lr=0.1).state_dict()
        lib.optim.SGD(prob.params[:2], lr=0.1).load_state_dict(sd)

    _same_error(different_group_count)
    _same_error(different_group_size)


@pytest.mark.parametrize(
    "make",
    [
        lambda lib, ps: lib.optim.SGD(ps, lr=-1),
        lambda lib, ps: lib.optim.SGD(ps, lr=0.1, momentum=-0.5),
        lambda lib, ps: lib.optim.SGD(ps, lr=0.1, weight_decay=-1e-3),
        lambda lib, ps: lib.optim.SGD(ps, lr=0.1, nesterov=True),
        lambda lib, ps: lib.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
        lambda lib, ps: lib.optim.SGD(ps[0], lr=0.1),
        lambda lib, ps: lib.optim.SGD([], lr=0.1),
        lambda lib, ps: lib.optim.SGD([ps[0] * 2], lr=0.1),
        lambda lib, ps: lib.optim.SGD([ps[0], 3], lr=0.1),
        lambda lib, ps: lib.optim.SGD([{"params": ps[:2]}, {"params": ps[1:]}], lr=0.1),
        lambda lib, ps: lib.optim.SGD([{"params": {ps[0]}}], lr=0.1),
        lambda lib, ps: lib.optim.SGD([("w", ps[0]), ps[1]], lr=0.1),
        lambda lib, ps: lib.optim.SGD(ps, lr=0.1, fused=True, foreach=True),
        lambda lib, ps: lib.optim.Adam(ps, lr=-0.1),
        lambda lib, ps: lib.optim.Adam(ps, eps=-1.0),
        lambda lib, ps: lib.optim.Adam(ps, betas=(1.0, 0.999)),
        lambda lib, ps: lib.optim.Adam(ps, betas=(0.9, -0.1)),
        lambda lib, ps: lib.optim.Adam(ps, betas=(0.9, 1)),
        lambda lib, ps: lib.optim.AdamW(ps, weight_decay=-1.0),
        lambda lib, ps: lib.optim.RMSprop(ps, alpha=-1.0),
        lambda lib, ps: lib.optim.RMSprop(ps, momentum=-1.0),
        lambda lib, ps: lib.optim.Adagrad(ps, lr_decay=-1.0),
        lambda lib, ps: lib.optim.Adagrad(ps, initial_accumulator_value=-1.0),
        lambda lib, ps: lib.optim.Adagrad(ps, eps=-1.0),
        lambda lib, ps: lib.optim.SGD(ps, lr=0.1).add_param_group(ps[0]),
        lambda lib, ps: lib.optim.SGD(ps[:1], lr=0.1).add_param_group({"params": ps[:1]}),
    ],
)
def test_constructor_errors_match_torch(make):
    _same_error(lambda lib: make(lib, Problem(lib).params))


def test_named_params_and_add_param_group():
    for lib in LIBS:
        prob = Problem(lib)
        opt = lib.optim.SGD([("a", prob.params[0]), ("b", prob.params[1])], lr=0.1)
        opt.add_param_group({"params": [("c", prob.params[2])], "lr": 0.5})
        groups = opt.state_dict()["param_groups"]
        assert [g["param_names"] for g in groups] == [["a", "b"], ["c"]]
        assert [g["params"] for g in groups] == [[0, 1], [2]]
        assert groups[1]["lr"] == 0.5 and groups[1]["momentum"] == 0
    with pytest.warns(UserWarning, match="duplicate parameters"):
        prob = Problem(pyfront)
        pyfront.optim.SGD([prob.params[0], prob.params[0]], lr=0.1)


def test_zero_grad():
    prob = Problem(pyfront)
    opt = pyfront.optim.SGD(prob.params, lr=0.1)
    prob.backward()
    opt.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad.any() for p in prob.params)
    opt.zero_grad()
    assert all(p.grad is None for p in prob.params)


def test_step_runs_without_recording_and_returns_the_closure_loss():
    prob = Problem(pyfront)
    opt = pyfront.optim.SGD(prob.params, lr=0.1, momentum=0.9)

    def closure():
        opt.zero_grad()
        assert pyfront.is_grad_enabled()
        return prob.backward()

    loss = opt.step(closure)
    assert isinstance(loss, pyfront.Tensor) and loss.requires_grad
    assert all(p.is_leaf and p.grad_fn is None for p in prob.params)
    t_prob = Problem(torch)
    t_opt = torch.optim.SGD(t_prob.params, lr=0.1, momentum=0.9)
    t_loss = t_opt.step(lambda: t_prob.backward())
    assert abs(loss.item() - t_loss.item()) < 1e-5
    assert_params_close(prob.params, t_prob.params)


def test_hooks():
    calls = []
    prob = Problem(pyfront)
    opt = pyfront.optim.Adam(prob.params, lr=0.1)
    pre = opt.register_step_pre_hook(lambda o, args, kwargs: calls.append(("pre", o is opt)))
    opt.register_step_post_hook(lambda o, args, kwargs: calls.append(("post", o is opt)))
    register_global = importlib.import_module("pyfront.optim.optimizer").register_optimizer_step_pre_hook
    glob = register_global(lambda o, a, k: calls.append(("global", 1)))
    prob.backward()
    opt.step()
    assert calls == [("global", 1), ("pre", True), ("post", True)]
    pre.remove()
    glob.remove()
    opt.step()
    assert calls[3:] == [("post", True)]
    opt.register_state_dict_post_hook(lambda o, sd: dict(sd, extra=1))
    assert opt.state_dict()["extra"] == 1
    seen = []
    opt.register_load_state_dict_pre_hook(lambda o, sd: seen.append(sorted(sd)))
    opt.register_load_state_dict_post_hook(lambda o: seen.append("post"))
    opt.load_state_dict(opt.state_dict())
    assert seen == [["extra", "param_groups", "state"], "post"]
    opt.register_step_pre_hook(lambda o, a, k: 5)
    with pytest.raises(RuntimeError, match="must return None or a tuple"):
        opt.step()


# -- schedulers ------------------------------------------------------------------------------------------
def _sched_optimizer(lib, opt_name="SGD"):
    prob = Problem(lib)
    groups = [{"params": prob.params[:1]}, {"params": prob.params[1:], "lr": 0.3}]
    if opt_name == "SGD":
        return lib.optim.SGD(groups, lr=0.1, momentum=0.9)
    return getattr(lib.optim, opt_name)(groups, lr=0.1)


def _constant(factor):
    return lambda epoch: factor


class _Decay:
    """A callable lr_lambda object: its ``__dict__`` goes into the scheduler's state_dict."""

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, epoch):
        return self.rate**epoch


SCHEDULERS = {
    "StepLR": lambda lib, o: lib.optim.lr_scheduler.StepLR(o, step_size=7, gamma=0.5),
    "MultiStepLR": lambda lib, o: lib.optim.lr_scheduler.MultiStepLR(o, [3, 10, 10, 30], gamma=0.3),
    "ExponentialLR": lambda lib, o: lib.optim.lr_scheduler.ExponentialLR(o, gamma=0.93),
    "CosineAnnealingLR": lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingLR(o, T_max=12, eta_min=0.01),
    "LambdaLR": lambda lib, o: lib.optim.lr_scheduler.LambdaLR(o, [lambda e: 1 / (1 + e), _Decay(0.9)]),
    "MultiplicativeLR": lambda lib, o: lib.optim.lr_scheduler.MultiplicativeLR(o, _constant(0.95)),
    "ConstantLR": lambda lib, o: lib.optim.lr_scheduler.ConstantLR(o, factor=0.25, total_iters=8),
    "LinearLR": lambda lib, o: lib.optim.lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=20),
    "LinearLR-down": lambda lib, o: lib.optim.lr_scheduler.LinearLR(o, 1.0, 0.2, total_iters=30),
    "PolynomialLR": lambda lib, o: lib.optim.lr_scheduler.PolynomialLR(o, total_iters=40, power=2.0),
    "OneCycleLR-cos": lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(o, max_lr=[1.0, 2.0], total_steps=51),
    "OneCycleLR-linear": lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(
        o, max_lr=0.5, epochs=5, steps_per_epoch=11, anneal_strategy="linear", pct_start=0.4
    ),
    "OneCycleLR-three-phase": lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(
        o, max_lr=0.8, total_steps=60, three_phase=True, div_factor=10.0, final_div_factor=100.0
    ),
    "OneCycleLR-no-momentum": lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(
        o, max_lr=0.8, total_steps=50, cycle_momentum=False
    ),
    "SequentialLR": lambda lib, o: lib.optim.lr_scheduler.SequentialLR(
        o,
        [
            lib.optim.lr_scheduler.LinearLR(o, start_factor=0.2, total_iters=5),
            lib.optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
        ],
        milestones=[5],
    ),
    "SequentialLR-three": lambda lib, o: lib.optim.lr_scheduler.SequentialLR(
        o,
        [
            lib.optim.lr_scheduler.ConstantLR(o, factor=0.5, total_iters=4),
            lib.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10),
            lib.optim.lr_scheduler.StepLR(o, step_size=5, gamma=0.5),
        ],
        milestones=[8, 20],
    ),
    "ChainedScheduler": lambda lib, o: lib.optim.lr_scheduler.ChainedScheduler(
        [
            lib.optim.lr_scheduler.ConstantLR(o, factor=0.1, total_iters=4),
            lib.optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
        ]
    ),
}


def _drive(lib, name, opt_name="SGD", steps=50):
    opt = _sched_optimizer(lib, opt_name)
    sched = SCHEDULERS[name](lib, opt)
    lrs, momenta = [sched.get_last_lr()], []
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(list(sched.get_last_lr()))
        momenta.append([g.get("momentum", g.get("betas")) for g in opt.param_groups])
    return opt, sched, lrs, momenta


def _assert_lrs_close(a, b):
    np.testing.assert_allclose(np.array(a, dtype=np.float64), np.array(b, dtype=np.float64), rtol=1e-12)


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_scheduler_lrs_match_torch(name):
    opt_name = "Adam" if name == "OneCycleLR-linear" else "SGD"
    steps = 50 if not name.startswith("OneCycleLR") else int(name.endswith("linear")) * 5 + 50
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # stepping in the right order warns in neither library
        p_opt, p_sched, p_lrs, p_mom = _drive(pyfront, name, opt_name, steps)
        t_opt, t_sched, t_lrs, t_mom = _drive(torch, name, opt_name, steps)
    _assert_lrs_close(p_lrs, t_lrs)
    _assert_lrs_close(p_mom, t_mom)
    assert [g["lr"] for g in p_opt.param_groups] == pytest.approx([g["lr"] for g in t_opt.param_groups])
    assert sorted(p_sched.state_dict()) == sorted(t_sched.state_dict())
    assert getattr(p_sched, "last_epoch", None) == getattr(t_sched, "last_epoch", None)


@pytest.mark.parametrize(
    "name",
    [
        "StepLR",
        "CosineAnnealingLR",
        "LambdaLR",
        "OneCycleLR-three-phase",
        "SequentialLR-three",
        "ChainedScheduler",
        "MultiStepLR",
    ],
)
def test_scheduler_state_dict_round_trip(name):
    sequences = {}
    for lib in LIBS:
        opt, sched, lrs, _ = _drive(lib, name, steps=17)
        state = copy.deepcopy(sched.state_dict())
        new_opt = _sched_optimizer(lib)
        new_opt.load_state_dict(opt.state_dict())
        new_sched = SCHEDULERS[name](lib, new_opt)
        new_sched.load_state_dict(state)
        for _ in range(25):
            new_opt.step()
            new_sched.step()
            lrs.append(list(new_sched.get_last_lr()))
        sequences[lib] = lrs
    _assert_lrs_close(sequences[pyfront], sequences[torch])


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(mode="max", factor=0.5, patience=2),
        dict(threshold_mode="abs", threshold=0.25, patience=1, cooldown=2),
        dict(mode="max", threshold_mode="abs", patience=0, min_lr=[0.05, 0.001]),
        dict(patience=3, min_lr=0.02, factor=0.3, eps=1e-3),
    ],
)
def test_reduce_lr_on_plateau_matches_torch(kwargs):
    # The first values step by exactly 0.25, the abs threshold of one case: equal is not better.
    metrics = np.concatenate(
        [
            [2.0, 1.75, 1.5, 1.25, 1.0],
            np.linspace(1.0, 0.5, 10),
            np.full(8, 0.5),
            np.linspace(0.5, 0.49, 7),
            np.sin(np.arange(25)) * 0.1 + 0.6,
        ]
    ).tolist()
    lrs = {}
    for lib in LIBS:
        opt = _sched_optimizer(lib)
        sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
        seq = [sched.get_last_lr() + [0, 0, 0.0]]
        for i, m in enumerate(metrics):
            opt.step()
            sched.step(m if i % 2 else lib.tensor(m))  # a number or a 0-d tensor metric
            seq.append(list(sched.get_last_lr()) + [sched.num_bad_epochs, sched.cooldown_counter, sched.best])
        lrs[lib] = seq
        state = sched.state_dict()
    _assert_lrs_close(lrs[pyfront], lrs[torch])
    assert "optimizer" not in state and state["last_epoch"] == len(metrics)


def test_scheduler_errors_match_torch():
    sched = pyfront.optim.lr_scheduler
    cases = [
        lambda lib: lib.optim.lr_scheduler.StepLR(object(), 3),
        lambda lib: lib.optim.lr_scheduler.StepLR(_sched_optimizer(lib), 3, last_epoch=5),
        lambda lib: lib.optim.lr_scheduler.LinearLR(_sched_optimizer(lib), start_factor=0),
        lambda lib: lib.optim.lr_scheduler.LinearLR(_sched_optimizer(lib), end_factor=2),
        lambda lib: lib.optim.lr_scheduler.LambdaLR(_sched_optimizer(lib), [_constant(1.0)]),
        lambda lib: lib.optim.lr_scheduler.MultiplicativeLR(_sched_optimizer(lib), 0.5),
        lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(_sched_optimizer(lib), factor=1.0),
        lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(_sched_optimizer(lib), mode="avg"),
        lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(_sched_optimizer(lib), threshold_mode="x"),
        lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(_sched_optimizer(lib), min_lr=[0.1]),
        lambda lib: lib.optim.lr_scheduler.OneCycleLR(_sched_optimizer(lib), 0.1),
        lambda lib: lib.optim.lr_scheduler.OneCycleLR(_sched_optimizer(lib), 0.1, total_steps=0),
        lambda lib: lib.optim.lr_scheduler.OneCycleLR(_sched_optimizer(lib), 0.1, total_steps=9, pct_start=1),
        lambda lib: lib.optim.lr_scheduler.OneCycleLR(_sched_optimizer(lib), [0.1], total_steps=10),
        lambda lib: lib.optim.lr_scheduler.OneCycleLR(
            _sched_optimizer(lib), 0.1, total_steps=9, anneal_strategy="exp"
        ),
        lambda lib: lib.optim.lr_scheduler.OneCycleLR(_sched_optimizer(lib, "Adagrad"), 0.1, total_steps=9),
        lambda lib: lib.optim.lr_scheduler.SequentialLR(_sched_optimizer(lib), [], milestones=[]),
        lambda lib: lib.optim.lr_scheduler.SequentialLR(
            _sched_optimizer(lib), [lib.optim.lr_scheduler.StepLR(_sched_optimizer(lib), 2)], milestones=[]
        ),
        lambda lib: lib.optim.lr_scheduler.ChainedScheduler([]),
    ]
    for case in cases:
        pf_type, pf_msg = _error(case, pyfront)
        t_type, t_msg = _error(case, torch)
        assert pf_type is t_type
        # torch's messages that print objects differ only in the object's repr.
        if " has " not in t_msg:
            assert pf_msg == t_msg
    opt = _sched_optimizer(pyfront)
    one = sched.OneCycleLR(opt, 0.1, total_steps=2)
    opt.step()
    one.step()
    opt.step()
    one.step()
    with pytest.raises(ValueError, match="Tried to step 3 times"):
        one.step()


def test_scheduler_warnings_match_torch():
    for lib in LIBS:
        opt = _sched_optimizer(lib)
        sched = lib.optim.lr_scheduler.StepLR(opt, 2)
        with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
            sched.step()
        with pytest.warns(UserWarning, match="use `get_last_lr\\(\\)`"):
            sched.get_lr()
        with pytest.warns(UserWarning, match="epoch parameter"):
            sched.step(7)  # the closed form: initial_lr * gamma ** (7 // 2)
        assert sched.get_last_lr() == pytest.approx([0.1 * 0.1**3, 0.3 * 0.1**3])


def test_scheduler_drives_the_optimizer_trajectory():
    trajectories = {}
    for lib in LIBS:
        prob = Problem(lib)
        opt = lib.optim.SGD(prob.params, lr=0.1, momentum=0.9, nesterov=True)
        sched = lib.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.2, total_steps=50)
        for _ in range(50):
            opt.zero_grad()
            prob.backward()
            opt.step()
            sched.step() if sched.last_epoch < 49 else None
        trajectories[lib] = prob.params
    assert_params_close(trajectories[pyfront], trajectories[torch])


def _signum(lib):
    """A user-defined optimizer, written as PyTorch users write them."""

    required = importlib.import_module(f"{lib.__name__}.optim.optimizer").required

    class Signum(lib.optim.Optimizer):
        def __init__(self, params, lr=required):
            super().__init__(params, {"lr": lr})

        @lib.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        p.add_(p.grad.sign(), alpha=-group["lr"])

    return Signum


def test_custom_optimizer_subclass():
    _same_error(lambda lib: _signum(lib)([{"params": Problem(lib).params}]))
    results = {}
    for lib in LIBS:
        prob = Problem(lib)
        opt = _signum(lib)([{"params": prob.params[:1], "lr": 0.01}, {"params": prob.params[1:]}], lr=0.05)
        calls = []
        opt.register_step_post_hook(lambda o, a, k, calls=calls: calls.append(1))
        for _ in range(20):
            opt.zero_grad()
            prob.backward()
            opt.step()
        assert len(calls) == 20
        results[lib] = prob.params
    assert_params_close(results[pyfront], results[torch])


def test_tensor_lr_follows_the_scheduler():
    results = {}
    for lib in LIBS:
        prob = Problem(lib)
        lr = lib.tensor(0.1)
        opt = lib.optim.Adam(prob.params, lr=lr)
        sched = lib.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
        for _ in range(10):
            opt.zero_grad()
            prob.backward()
            opt.step()
            sched.step()
        assert opt.param_groups[0]["lr"] is lr  # updated in place
        results[lib] = prob.params, lr.item()
    assert_params_close(results[pyfront][0], results[torch][0])
    assert results[pyfront][1] == pytest.approx(results[torch][1], rel=1e-6)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
        ("Adam", dict(lr=0.05)),
        ("AdamW", dict(lr=0.05, amsgrad=True, weight_decay=0.1)),
        ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)),
        ("Adagrad", dict(lr=0.1)),
    ],
)
@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_trajectory_with_a_scheduler_on_each_device(name, kwargs, device):
    x0 = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    finals = {}
    for lib in (pyfront, torch):
        p = (
            pyfront.tensor(x0, requires_grad=True, device=device)
            if lib is pyfront
            else torch.tensor(x0, requires_grad=True)
        )
        opt = getattr(lib.optim, name)([p], **kwargs)
        scheduler = lib.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
        for _ in range(20):
            loss = (p.sin() * p + p**2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            scheduler.step()
        finals[lib] = np.array(p.detach().cpu().tolist() if lib is pyfront else p.detach().tolist())
    np.testing.assert_allclose(finals[pyfront], finals[torch], rtol=1e-5, atol=1e-6)
