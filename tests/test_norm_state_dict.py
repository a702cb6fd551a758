"""Batch-norm state dicts from before ``num_batches_tracked`` (version < 2, or a plain dict without
metadata) load strictly, as in PyTorch; the version each norm layer records is torch's."""
from collections import OrderedDict

import pytest
import torch

import pyfront

LAYERS = ["BatchNorm1d", "BatchNorm2d", "InstanceNorm1d", "InstanceNorm2d"]


def _state(lib, name, drop_counter, version):
    m = getattr(lib.nn, name)(3, track_running_stats=True)
    sd = OrderedDict((k, v) for k, v in m.state_dict().items() if not (drop_counter and "num_batches" in k))
    if version is not None:
        sd._metadata = OrderedDict({"": {"version": version}})
    return m, sd


@pytest.mark.parametrize("version", [None, 1, 2])
@pytest.mark.parametrize("name", LAYERS)
def test_old_state_dict_without_counter(name, version):
    outcome = {}
    for lib in (torch, pyfront):
        m, sd = _state(lib, name, drop_counter=True, version=version)
        try:
            m.load_state_dict(sd)
            outcome[lib.__name__] = ("ok", int(m.num_batches_tracked))
        except Exception as e:  # noqa: BLE001 - the error is what is compared
            outcome[lib.__name__] = (type(e).__name__, str(e))
    assert outcome["pyfront"] == outcome["torch"]


@pytest.mark.parametrize("name", ["BatchNorm1d", "BatchNorm2d", "InstanceNorm1d", "LayerNorm", "GroupNorm"])
def test_recorded_version_is_torchs(name):
    args = {"LayerNorm": (3,), "GroupNorm": (1, 3)}.get(name, (3,))
    got = pyfront.nn.__dict__[name](*args).state_dict()._metadata[""]["version"]
    assert got == torch.nn.__dict__[name](*args).state_dict()._metadata[""]["version"]
