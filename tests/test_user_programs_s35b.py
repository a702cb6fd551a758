"""Faults found running session 35's second round of user-style programs (tests/programs/: each file's header
names the public code it imitates), each checked as a kind against torch 2.13: every optimizer steps a complex
param as torch's do, as its view_as_real (zongyi-li's Fourier Neural Operator trains complex spectral weights
with Adam)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

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


def test_adafactor_refuses_complex_params_as_torch():
    for lib in (torch, pyfront):
        w = lib.zeros(3, dtype=lib.complex64, requires_grad=True)
        w.grad = lib.ones(3, dtype=lib.complex64)
        with pytest.raises(RuntimeError, match="^Adafactor does not support complex parameters$"):
            lib.optim.Adafactor([w]).step()
