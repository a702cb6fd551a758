"""A whole model with hook-based ``nn.utils.spectral_norm`` (older GANs') saved by torch loads in pyfront and
the reverse: the hooks are torch's classes (SpectralNorm, SpectralNormStateDictHook, the load pre-hook in a
_WrappedHook), where pyfront had none of the two hook classes and kept a closure no pickle can write."""
import io

import pytest
import torch

import pyfront


def _model(lib):
    lib.manual_seed(0)
    sn = lib.nn.utils.spectral_norm
    return lib.nn.Sequential(sn(lib.nn.Linear(3, 4)), lib.nn.Tanh(),
                             sn(lib.nn.ConvTranspose1d(4, 2, 1), n_power_iterations=2))


def _crossed(writer, reader):
    buffer = io.BytesIO()
    writer.save(_model(writer), buffer)
    buffer.seek(0)
    return reader.load(buffer, weights_only=False)


def _behaviour(lib, model):
    x = lib.linspace(-1, 1, 6).reshape(2, 3)

    def run():
        return model[2](model[1](model[0](x)).unsqueeze(-1))

    model.train()
    trained = run().flatten().tolist()
    model.eval()
    evaluated = run().flatten().tolist()
    state = model.state_dict()
    meta = {k: dict(v) for k, v in state._metadata.items()}
    model.load_state_dict(state)
    lib.nn.utils.remove_spectral_norm(model[0])
    return trained, evaluated, sorted(state), meta, sorted(model.state_dict())


@pytest.mark.parametrize("writer,reader", [(torch, pyfront), (pyfront, torch), (pyfront, pyfront)],
                         ids=["torch-to-pyfront", "pyfront-to-torch", "pyfront-to-pyfront"])
def test_spectral_norm_model_crosses_whole(writer, reader):
    model = _crossed(writer, reader)
    hooks = model[0]._forward_pre_hooks.values()
    assert [type(h).__module__.split(".", 1)[0] for h in hooks] == [reader.__name__]
    ours, theirs = _behaviour(reader, model), _behaviour(writer, _model(writer))
    for a, b in zip(ours[:2], theirs[:2]):
        assert a == pytest.approx(b, rel=1e-4, abs=1e-5)
    assert ours[2:] == theirs[2:]


def test_version_zero_state_dict_recovers_v():
    """A state dict from before ``<name>_v`` was saved: the load pre-hook solves ``W v ~ sigma u`` for it, as
    torch's (whose solution may add a part of W's null space: the normalised weight is what must agree)."""
    values = []
    torch.manual_seed(0)
    source = torch.nn.utils.spectral_norm(torch.nn.Linear(4, 3))
    source(torch.ones(2, 4))
    saved = {k: v.tolist() for k, v in source.state_dict().items()} | {"weight": source.weight.tolist()}
    del saved["weight_v"]
    for lib in (torch, pyfront):
        state = lib.nn.Linear(1, 1).state_dict()  # an OrderedDict with torch's _metadata
        state.clear()
        state.update({k: lib.tensor(v) for k, v in saved.items()})
        state._metadata = {"": {"version": 1, "spectral_norm": {"weight.version": 0}}}
        target = lib.nn.utils.spectral_norm(lib.nn.Linear(4, 3))
        target.load_state_dict(state)
        target.eval()
        values.append(target(lib.eye(4)).flatten().tolist())
    assert values[1] == pytest.approx(values[0], rel=1e-3, abs=1e-5)


def test_a_module_with_a_load_pre_hook_pickles_whole():
    model = pyfront.nn.Linear(2, 2)
    seen = []
    model.register_load_state_dict_pre_hook(_record_prefix)
    buffer = io.BytesIO()
    pyfront.save(model, buffer)
    buffer.seek(0)
    loaded = pyfront.load(buffer, weights_only=False)
    loaded.load_state_dict(loaded.state_dict())
    assert seen == [] and _record_prefix.calls[-1] is loaded  # called with the loaded module itself


def _record_prefix(module, *args):
    _record_prefix.calls.append(module)


_record_prefix.calls = []
