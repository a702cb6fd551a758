"""Whole optimizers and lr schedulers cross between torch and pyfront (``save``/``load(weights_only=False)``).

pyfront writes every optimizer and scheduler class by torch's name (``torch.optim.adam.Adam``), so torch
builds its own class from the file; what it rebuilds must work there: the loaded optimizer steps on as a
torch optimizer round-tripped by torch itself does, its attributes are a torch instance's, and the
reverse (torch saves, pyfront loads and steps) matches too.
"""
import io

import pytest
import torch

import pyfront

OPTIMIZERS = {
    "ASGD": {"lr": 0.1}, "Adadelta": {"lr": 0.5}, "Adafactor": {"lr": 0.05}, "Adagrad": {"lr": 0.1},
    "Adam": {"lr": 0.1, "amsgrad": True}, "AdamW": {"lr": 0.1}, "Adamax": {"lr": 0.1}, "LBFGS": {"lr": 0.5},
    "NAdam": {"lr": 0.1}, "RAdam": {"lr": 0.1}, "RMSprop": {"lr": 0.01, "momentum": 0.5},
    "Rprop": {"lr": 0.1}, "SGD": {"lr": 0.1, "momentum": 0.9, "nesterov": True}, "SparseAdam": {"lr": 0.1},
}


def _bytes(lib, obj) -> io.BytesIO:
    buf = io.BytesIO()
    lib.save(obj, buf)
    buf.seek(0)
    return buf


def _optimizer(lib, name):
    if name == "SparseAdam":  # its gradients are sparse: an Embedding's with sparse=True
        layer = lib.nn.Embedding(4, 3, sparse=True)
        with lib.no_grad():
            layer.weight.copy_(lib.arange(12.0).reshape(4, 3) / 10)
        params = list(layer.parameters())
    else:
        params = [lib.nn.Parameter(lib.tensor([1.0, -2.0, 3.0])),
                  lib.nn.Parameter(lib.tensor([[0.5, -0.25]]))]
    return getattr(lib.optim, name)(params, **OPTIMIZERS[name])


def _steps(lib, opt, n: int) -> None:
    params = [p for group in opt.param_groups for p in group["params"]]

    def closure():
        opt.zero_grad()
        if params[0].dim() == 2 and len(params) == 1:  # the SparseAdam embedding
            loss = lib.nn.functional.embedding(lib.tensor([0, 2, 2]), params[0], sparse=True).pow(2).sum()
        else:
            loss = sum((p * p * (i + 1)).sum() + p.sum() for i, p in enumerate(params))
        loss.backward()
        return loss
    for _ in range(n):
        opt.step(closure)


def _lbfgs_lost_its_params(lib, opt) -> None:
    """torch's LBFGS keeps ``_params`` outside what Optimizer.__getstate__ pickles: a whole LBFGS that torch
    loads cannot step, whoever saved it (torch's own round trip the same); pyfront's raises the same."""
    with pytest.raises(AttributeError, match="'LBFGS' object has no attribute '_params'"):
        _steps(lib, opt, 1)


def _params(opt) -> list:
    return [p.detach().tolist() for group in opt.param_groups for p in group["params"]]


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_an_optimizer_saved_by_pyfront_is_torchs_class_and_steps_in_torch(name):
    theirs = _optimizer(torch, name)
    _steps(torch, theirs, 2)
    theirs = torch.load(_bytes(torch, theirs), weights_only=False)  # torch's own round trip: the oracle
    ours = _optimizer(pyfront, name)
    _steps(pyfront, ours, 2)
    loaded = torch.load(_bytes(pyfront, ours), weights_only=False)
    assert type(loaded) is getattr(torch.optim, name)
    assert sorted(vars(loaded)) == sorted(vars(theirs))
    assert loaded.defaults == theirs.defaults
    if name == "LBFGS":
        _lbfgs_lost_its_params(torch, theirs)
        _lbfgs_lost_its_params(torch, loaded)
        return
    _steps(torch, loaded, 2)
    _steps(torch, theirs, 2)
    torch.testing.assert_close(_params(loaded), _params(theirs))
    for state, expected in zip(loaded.state.values(), theirs.state.values()):
        assert state.keys() == expected.keys()
        for key in state:
            torch.testing.assert_close(state[key], expected[key])
    # and its state_dict loads into a fresh optimizer of either library
    fresh = _optimizer(pyfront, name)
    fresh.load_state_dict(pyfront.load(_bytes(torch, loaded.state_dict())))
    assert fresh.state_dict()["param_groups"] == loaded.state_dict()["param_groups"]


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_an_optimizer_saved_by_torch_steps_in_pyfront(name):
    theirs = _optimizer(torch, name)
    _steps(torch, theirs, 2)
    loaded = pyfront.load(_bytes(torch, theirs), weights_only=False)
    assert type(loaded) is getattr(pyfront.optim, name)
    theirs = torch.load(_bytes(torch, theirs), weights_only=False)
    assert loaded.defaults == theirs.defaults
    if name == "LBFGS":
        _lbfgs_lost_its_params(pyfront, loaded)
        return
    _steps(pyfront, loaded, 2)
    _steps(torch, theirs, 2)
    torch.testing.assert_close(_params(loaded), _params(theirs))


def _lr_lambda(epoch):
    return 0.9 ** epoch


def _factor(epoch):
    return 0.9


SCHEDULERS = {
    "LambdaLR": lambda L, o: L.LambdaLR(o, _lr_lambda),
    "MultiplicativeLR": lambda L, o: L.MultiplicativeLR(o, _factor),
    "StepLR": lambda L, o: L.StepLR(o, 2), "MultiStepLR": lambda L, o: L.MultiStepLR(o, [1, 3]),
    "ConstantLR": lambda L, o: L.ConstantLR(o), "LinearLR": lambda L, o: L.LinearLR(o),
    "ExponentialLR": lambda L, o: L.ExponentialLR(o, 0.9),
    "SequentialLR": lambda L, o: L.SequentialLR(o, [L.ConstantLR(o), L.ExponentialLR(o, 0.9)], [2]),
    "PolynomialLR": lambda L, o: L.PolynomialLR(o),
    "CosineAnnealingLR": lambda L, o: L.CosineAnnealingLR(o, 5),
    "ChainedScheduler": lambda L, o: L.ChainedScheduler([L.ConstantLR(o), L.ExponentialLR(o, 0.9)]),
    "ReduceLROnPlateau": lambda L, o: L.ReduceLROnPlateau(o, patience=0),
    "OneCycleLR": lambda L, o: L.OneCycleLR(o, 1.0, total_steps=10),
    "CyclicLR": lambda L, o: L.CyclicLR(o, 0.01, 0.1, step_size_up=2),
    "CosineAnnealingWarmRestarts": lambda L, o: L.CosineAnnealingWarmRestarts(o, 3),
    "SWALR": lambda L, o: L.SWALR(o, 0.05, anneal_epochs=3),
}


def _scheduler(lib, name):
    opt = lib.optim.SGD([lib.nn.Parameter(lib.ones(2))], lr=0.1, momentum=0.9)
    space = lib.optim.swa_utils if name == "SWALR" else lib.optim.lr_scheduler
    return SCHEDULERS[name](space, opt)


def _epochs(sched, n: int) -> list:
    opt, lrs = sched.optimizer, []
    for _ in range(n):
        opt.step()
        sched.step(1.0) if type(sched).__name__ == "ReduceLROnPlateau" else sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


@pytest.mark.parametrize("name", SCHEDULERS)
@pytest.mark.parametrize("writer,reader", [(pyfront, torch), (torch, pyfront)], ids=["pyfront->torch",
                                                                                    "torch->pyfront"])
def test_a_scheduler_saved_whole_crosses_and_schedules_on(name, writer, reader):
    theirs = _scheduler(torch, name)
    _epochs(theirs, 3)
    theirs = torch.load(_bytes(torch, theirs), weights_only=False)
    saved = _scheduler(writer, name)
    _epochs(saved, 3)
    loaded = reader.load(_bytes(writer, saved), weights_only=False)
    space = reader.optim.swa_utils if name == "SWALR" else reader.optim.lr_scheduler
    assert type(loaded) is getattr(space, name)
    assert type(loaded.optimizer) is reader.optim.SGD
    assert sorted(vars(loaded)) == sorted(vars(theirs))
    assert _epochs(loaded, 6) == pytest.approx(_epochs(theirs, 6))
    assert loaded.state_dict().keys() == theirs.state_dict().keys()


def test_every_optimizer_and_scheduler_class_is_written_by_torchs_name():
    from pyfront.serialization.homes import HOMES
    spaces = [("optim", pyfront.optim, torch.optim), ("lr_scheduler", pyfront.optim.lr_scheduler,
                                                       torch.optim.lr_scheduler),
              ("swa_utils", pyfront.optim.swa_utils, torch.optim.swa_utils)]
    seen = 0
    for _, ours, theirs in spaces:
        for name in ours.__all__:
            cls = getattr(ours, name)
            if not isinstance(cls, type):
                continue
            expected = getattr(theirs, name)
            assert HOMES[cls] == (expected.__module__, expected.__qualname__), name
            seen += 1
    assert seen >= 33
