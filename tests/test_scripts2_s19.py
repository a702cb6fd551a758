"""Faults found running user-style programs (tests/programs/: transformer_lm, resnet_amp_resume,
autoencoder_compile, ...) under ``python -m pyfront run``, each tested against real torch:

- names scripts spell that pyfront lacked: ``torch.memory_format`` and its values (``channels_last`` in
  ``model.to(memory_format=torch.channels_last)``), ``torch.compile`` / ``torch.compiler``.
"""
from __future__ import annotations

import pytest
import torch

import pyfront
import pyfront.nn as pnn

FORMATS = ("contiguous_format", "preserve_format", "channels_last", "channels_last_3d")


@pytest.mark.parametrize("name", FORMATS)
def test_memory_format_values_print_as_torchs(name):
    ours, theirs = getattr(pyfront, name), getattr(torch, name)
    assert isinstance(ours, pyfront.memory_format)
    assert repr(ours) == repr(theirs) and str(ours) == str(theirs)


@pytest.mark.parametrize("name", FORMATS[:3])
def test_memory_format_is_taken_where_torch_takes_it_and_values_stay(name):
    x = torch.randn(2, 3, 4, 5)
    p = pyfront.from_numpy(x.numpy().copy())
    fmt, pfmt = getattr(torch, name), getattr(pyfront, name)
    for ours, theirs in [(p.to(memory_format=pfmt), x.to(memory_format=fmt)),
                         (p.contiguous(memory_format=pfmt) if name != "preserve_format" else p, x),
                         (p.clone(memory_format=pfmt), x.clone(memory_format=fmt)),
                         (pyfront.empty_like(p, memory_format=pfmt).shape,
                          torch.empty_like(x, memory_format=fmt).shape)]:
        if isinstance(theirs, torch.Tensor):
            assert ours.tolist() == theirs.tolist()
        else:
            assert tuple(ours) == tuple(theirs)
    conv, tconv = pnn.Conv2d(3, 2, 1), torch.nn.Conv2d(3, 2, 1)
    with torch.no_grad():
        tconv.weight.copy_(torch.from_numpy(conv.weight.detach().numpy()))
        tconv.bias.copy_(torch.from_numpy(conv.bias.detach().numpy()))
    out = conv.to(memory_format=pfmt)(p)
    assert abs(out.detach().numpy() - tconv.to(memory_format=fmt)(x).detach().numpy()).max() < 1e-5


def test_compile_returns_what_computes_the_same_and_decorates():
    model = pnn.Linear(3, 2)
    assert pyfront.compile(model) is model
    assert pyfront.compile(model, mode="max-autotune", dynamic=True, fullgraph=True) is model

    @pyfront.compile(fullgraph=True)
    def f(x):
        return x * 2

    assert f(pyfront.ones(2)).tolist() == [2.0, 2.0]
    assert pyfront.compile(backend="eager")(len) is len
    assert pyfront.compiler.is_compiling() is torch.compiler.is_compiling() is False
    assert pyfront.compiler.disable(len) is len


@pytest.mark.parametrize("args, kwargs", [((lambda x: x,), {"mode": "fastest"}),
                                          ((lambda x: x,), {"mode": "default", "options": {}}),
                                          ((3,), {})])
def test_compile_refuses_as_torch_does(args, kwargs):
    with pytest.raises(Exception) as theirs:
        torch.compile(*args, **kwargs)
    with pytest.raises(type(theirs.value)) as ours:
        pyfront.compile(*args, **kwargs)
    assert str(ours.value) == str(theirs.value)
