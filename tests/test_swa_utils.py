"""torch.optim.swa_utils against real torch, on cpu and webgpu: AveragedModel (SWA by default, EMA through
avg_fn / multi_avg_fn, use_buffers) folded over SGD steps -- every state_dict entry and the key order,
print(model); update_bn's re-estimated running statistics and the restored momentum / mode; SWALR's lr
sequence for cos / linear / zero anneal epochs / per-group lrs and its state_dict; torch's errors."""
import numpy as np
import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _pair(device, norm="BatchNorm1d"):
    def make(nn):
        return nn.Sequential(nn.Linear(4, 3), getattr(nn, norm)(3), nn.ReLU(), nn.Linear(3, 2))
    tm, pm = make(torch.nn), make(pyfront.nn)
    pm.load_state_dict({k: pyfront.tensor(v.numpy()) for k, v in tm.state_dict().items()})
    return tm, pm.to(device)


def _close(pyfront_sd, torch_sd):
    assert list(pyfront_sd) == list(torch_sd)
    for k, v in torch_sd.items():
        got = pyfront_sd[k].cpu().numpy()
        assert got.dtype == v.numpy().dtype, k
        np.testing.assert_allclose(got, v.numpy(), rtol=1e-4, atol=1e-5, err_msg=k)


def _train(lib, model, averaged, xs):
    opt = lib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for x in xs:
        opt.zero_grad()
        model(x).square().mean().backward()
        opt.step()
        averaged.update_parameters(model)


AVERAGES = {
    "swa": {},
    "ema avg_fn": {"avg_fn": "get_ema_avg_fn", "decay": 0.9},
    "ema multi_avg_fn": {"multi_avg_fn": "get_ema_multi_avg_fn", "decay": 0.8},
    "swa multi use_buffers": {"multi_avg_fn": "get_swa_multi_avg_fn", "use_buffers": True,
                              "norm": "LayerNorm"},
    "ema use_buffers": {"avg_fn": "get_ema_avg_fn", "decay": 0.5, "use_buffers": True},
    "swa avg_fn": {"avg_fn": "get_swa_avg_fn"},
    "swa use_buffers": {"use_buffers": True},
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("kind", AVERAGES)
def test_averaged_model_matches_torch(device, kind):
    spec = dict(AVERAGES[kind])
    tm, pm = _pair(device, spec.get("norm", "BatchNorm1d"))

    def make(lib, model):
        swa = lib.optim.swa_utils
        kw = {"use_buffers": spec.get("use_buffers", False)}
        for key in ("avg_fn", "multi_avg_fn"):
            if key in spec:
                fn = getattr(swa, spec[key])
                kw[key] = fn(spec["decay"]) if "decay" in spec else fn()
        return swa.AveragedModel(model, **kw)

    ta, pa = make(torch, tm), make(pyfront, pm)
    assert str(pa) == str(ta)
    xs = [np.random.randn(5, 4).astype(np.float32) for _ in range(4)]
    _train(torch, tm, ta, [torch.tensor(x) for x in xs])
    _train(pyfront, pm, pa, [pyfront.tensor(x, device=device) for x in xs])
    _close(pa.state_dict(), ta.state_dict())
    x = np.random.randn(3, 4).astype(np.float32)
    ta.eval(), pa.eval()
    np.testing.assert_allclose(pa(pyfront.tensor(x, device=device)).detach().cpu().numpy(),
                               ta(torch.tensor(x)).detach().numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("device", DEVICES)
def test_update_bn_matches_torch(device):
    tm, pm = _pair(device)
    tm[1].momentum = pm[1].momentum = 0.3
    tm.eval(), pm.eval()
    xs = [np.random.randn(6, 4).astype(np.float32) * 2 + 1 for _ in range(3)]
    torch.optim.swa_utils.update_bn([(torch.tensor(x), 0) for x in xs], tm)
    pyfront.optim.swa_utils.update_bn([(pyfront.tensor(x), 0) for x in xs], pm, device=device)
    _close(pm.state_dict(), tm.state_dict())
    assert pm[1].momentum == 0.3 and not pm.training


SCHEDULES = [dict(swa_lr=0.05), dict(swa_lr=0.5, anneal_epochs=3, anneal_strategy="linear"),
             dict(swa_lr=0.01, anneal_epochs=0), dict(swa_lr=[0.2, 0.02], anneal_epochs=4)]


@pytest.mark.parametrize("kw", SCHEDULES, ids=str)
def test_swalr_lr_sequence_matches_torch(kw):
    def run(lib):
        w, b = lib.zeros(2, requires_grad=True), lib.zeros(1, requires_grad=True)
        opt = lib.optim.SGD([{"params": [w]}, {"params": [b], "lr": 0.3}], lr=1.0)
        kwargs = dict(kw) if isinstance(kw["swa_lr"], list) else dict(kw)
        if not isinstance(kw["swa_lr"], list):
            opt.param_groups.pop()  # one group when one swa_lr
        sched = lib.optim.swa_utils.SWALR(opt, **kwargs)
        lrs = []
        for _ in range(7):
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr())
        state = sched.state_dict()
        return lrs, sorted(state), [g["swa_lr"] for g in opt.param_groups]

    got, want = run(pyfront), run(torch)
    np.testing.assert_allclose(np.array(got[0]), np.array(want[0]), rtol=1e-12)
    assert got[1:] == want[1:]


ERRORS = {
    "ema decay": lambda lib: lib.optim.swa_utils.get_ema_avg_fn(1.5),
    "ema multi decay": lambda lib: lib.optim.swa_utils.get_ema_multi_avg_fn(-0.1),
    "both fns": lambda lib: lib.optim.swa_utils.AveragedModel(
        lib.nn.Linear(2, 2), avg_fn=lib.optim.swa_utils.get_swa_avg_fn(),
        multi_avg_fn=lib.optim.swa_utils.get_swa_multi_avg_fn()),
    "strategy": lambda lib: lib.optim.swa_utils.SWALR(
        lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=1), 0.1, anneal_strategy="exp"),
    "anneal epochs": lambda lib: lib.optim.swa_utils.SWALR(
        lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=1), 0.1, anneal_epochs=-1),
    "swa_lr length": lambda lib: lib.optim.swa_utils.SWALR(
        lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=1), [0.1, 0.2]),
}


def _swa_buffers_twice(lib):
    """torch's multi-tensor SWA update over buffers reaches BatchNorm's integer num_batches_tracked."""
    model = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.BatchNorm1d(2))
    averaged = lib.optim.swa_utils.AveragedModel(model, use_buffers=True,
                                                 multi_avg_fn=lib.optim.swa_utils.get_swa_multi_avg_fn())
    averaged.update_parameters(model)
    averaged.update_parameters(model)


ERRORS["swa over an integer buffer"] = _swa_buffers_twice


@pytest.mark.parametrize("name", ERRORS)
def test_errors_match_torch(name):
    with pytest.raises(Exception) as want:
        ERRORS[name](torch)
    with pytest.raises(Exception) as got:
        ERRORS[name](pyfront)
    assert type(got.value) is type(want.value)
    assert str(got.value) == torch_text(want.value)
