"""The functions real scripts call (issue 11), beyond the op table: layers with weights copied from
torch, parametrizations and their state_dicts, checkpointing, anomaly detection, Tensor methods.

Each case runs the same thing in torch and pyfront and compares values, gradients, printed
modules, errors and warnings (see test_ops.py for the op table's samples of the same functions).
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import pyfront
from optable import assert_same, to_numpy, GRAD_TOL, warns_as
from pyfront.nn.utils import parametrizations as p_parametrizations, parametrize as p_parametrize
from pyfront.utils.checkpoint import checkpoint as p_checkpoint
from torch.nn.utils import parametrizations as t_parametrizations, parametrize as t_parametrize
from torch.utils.checkpoint import checkpoint as t_checkpoint
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
RNG = np.random.default_rng(0)


def _pair(shape, device, grad=True, dtype="float32"):
    data = RNG.uniform(-2, 2, size=shape).astype(dtype)
    return (pyfront.tensor(data, device=device, requires_grad=grad), torch.tensor(data, requires_grad=grad))


def _copy_weights(p_module, t_module, device):
    """torch's state_dict loaded into the pyfront module (through NumPy), on ``device``."""
    state = {k: pyfront.tensor(v.detach().numpy()) for k, v in t_module.state_dict().items()}
    p_module.load_state_dict(state)
    return p_module.to(device)


# -- Tensor methods ---------------------------------------------------------------------------
METHODS = {
    "unique": lambda x: x.unique(return_inverse=True, return_counts=True),
    "unique_consecutive": lambda x: x.unique_consecutive(return_counts=True),
    "bincount": lambda x: x.bincount(minlength=8),
    "histc": lambda x: x.float().histc(4, 0, 6),
    "diag": lambda x: x.float().diag(1),
    "diag_embed": lambda x: x.float().diag_embed(-1),
    "trace": lambda x: x.reshape(2, 3).trace(),
    "nan_to_num": lambda x: (x.float() / (x.float() - 2)).nan_to_num(posinf=9.0),
    "fmax": lambda x: x.float().fmax(x.float().flip(0)),
    "fmin": lambda x: x.float().fmin(x.float().flip(0)),
    "cummax": lambda x: tuple(x.cummax(0)),
    "cummin": lambda x: (x.cummin(0).values, x.cummin(0).indices),
    "heaviside": lambda x: (x - 2).heaviside(x * 0 + 7),
    "signbit": lambda x: (x - 2).signbit(),
    "nanmean": lambda x: (x.float() / (x.float() - 2)).nan_to_num(posinf=float("nan")).nanmean(),
    "nansum": lambda x: (x.float() / (x.float() - 2)).nan_to_num(posinf=float("nan")).nansum(),
    "msort": lambda x: x.reshape(3, 2).msort(),
    "dist": lambda x: x.float().dist(x.float().flip(0), 3),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", list(METHODS))
def test_tensor_method_matches_torch(name, device):
    data = [3, 1, 2, 2, 0, 5]
    got = METHODS[name](pyfront.tensor(data, device=device))
    assert_same(got, METHODS[name](torch.tensor(data)))


def test_cummax_is_a_named_tuple_as_torch_prints_it():
    data = [1.0, 3.0, float("nan"), 2.0]
    got, expected = pyfront.cummax(pyfront.tensor(data), 0), torch.cummax(torch.tensor(data), 0)
    assert repr(got) == repr(expected)
    assert_same(got.values, expected.values)
    assert_same(got.indices, expected.indices)


def test_unique_backward_raises_torchs_error():
    x, tx = _pair((5,), "cpu")
    for fn in (lambda m, v: m.unique(v), lambda m, v: m.unique(v, dim=0),
               lambda m, v: m.unique_consecutive(v)):
        with pytest.raises(NotImplementedError) as expected:
            fn(torch, tx).sum().backward()
        with pytest.raises(NotImplementedError) as got:
            fn(pyfront, x).sum().backward()
        assert str(got.value) == str(expected.value)


def test_meshgrid_warns_once_without_indexing_and_names_a_bad_tensor():
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        pyfront.meshgrid(pyfront.ones(2), pyfront.ones(3))
        pyfront.meshgrid(pyfront.ones(2), pyfront.ones(3))
    texts = [str(w.message) for w in seen]
    assert texts.count("torch.meshgrid: in an upcoming release, it will be required to pass the indexing "
                       "argument.") <= 1  # once per process, as torch (an earlier test may have shown it)
    # torch prints the offending tensor in its C++ layout; pyfront prints it as Python does (the part
    # before the tensor is torch's)
    with pytest.raises(RuntimeError, match=r"^torch\.meshgrid: Expected 0D or 1D tensor in the tensor list "
                                           r"but got: "):
        pyfront.meshgrid(pyfront.ones(2, 2), pyfront.ones(3), indexing="ij")


@pytest.mark.parametrize("device", DEVICES)
def test_searchsorted_and_bucketize_on_sorted_data_with_ties(device):
    seq = [1.0, 2.0, 2.0, 2.0, 5.0, float("inf")]
    values = [[2.0, 0.0, 5.0], [7.0, float("nan"), float("inf")]]
    for kw in ({}, {"right": True}, {"side": "right"}, {"out_int32": True}):
        p_seq, p_values = pyfront.tensor(seq, device=device), pyfront.tensor(values, device=device)
        assert_same(pyfront.searchsorted(p_seq, p_values, **kw),
                    torch.searchsorted(torch.tensor(seq), torch.tensor(values), **kw))
    assert_same(pyfront.bucketize(pyfront.tensor(values, device=device), pyfront.tensor(seq, device=device),
                                  right=True),
                torch.bucketize(torch.tensor(values), torch.tensor(seq), right=True))


@pytest.mark.parametrize("device", DEVICES)
def test_cummax_and_cdist_at_sizes_past_a_few_elements(device):
    data = RNG.integers(0, 50, size=(3, 1000)).astype("float32")
    assert_same(pyfront.cummax(pyfront.tensor(data, device=device), 1),
                torch.cummax(torch.tensor(data), 1))
    a, b = RNG.standard_normal((40, 7)).astype("float32"), RNG.standard_normal((30, 7)).astype("float32")
    # torch computes p=2 through a matmul past 25 rows: equal within float32 rounding
    assert_same(pyfront.cdist(pyfront.tensor(a, device=device), pyfront.tensor(b, device=device)),
                torch.cdist(torch.tensor(a), torch.tensor(b)), rtol=1e-4, atol=1e-4)


# -- layers -------------------------------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
def test_distance_layers_match_torch(device):
    for p_layer, t_layer in ((pyfront.nn.CosineSimilarity(dim=-1, eps=1e-6),
                              torch.nn.CosineSimilarity(dim=-1, eps=1e-6)),
                             (pyfront.nn.PairwiseDistance(p=3.0, keepdim=True),
                              torch.nn.PairwiseDistance(p=3.0, keepdim=True))):
        assert repr(p_layer) == repr(t_layer)
        (x1, tx1), (x2, tx2) = _pair((4, 5), device), _pair((4, 5), device)
        out, t_out = p_layer(x1, x2), t_layer(tx1, tx2)
        assert_same(out, t_out)
        out.sum().backward()
        t_out.sum().backward()
        assert_same(x1.grad, tx1.grad, **GRAD_TOL)
        assert_same(x2.grad, tx2.grad, **GRAD_TOL)


BAGS = {
    "mean_2d": (dict(mode="mean"), [[1, 2, 4], [4, 3, 0]], None, None),
    "sum_offsets": (dict(mode="sum"), [1, 2, 4, 5, 4, 3, 2, 9], [0, 2, 2, 5], None),
    "max_offsets_last": (dict(mode="max", include_last_offset=True), [1, 2, 4, 5, 4, 3, 2, 9], [0, 3, 3, 8],
                         None),
    "sum_weights": (dict(mode="sum"), [1, 2, 4, 5, 4, 3], [0, 4], [0.5, 1.0, -2.0, 3.0, 1.5, 2.5]),
    "mean_padding": (dict(mode="mean", padding_idx=4), [1, 4, 4, 5, 4, 3], [0, 1, 3], None),
    "max_padding_empty_bag": (dict(mode="max", padding_idx=2), [2, 2, 1, 3], [0, 2], None),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", list(BAGS))
def test_embedding_bag_matches_torch(case, device):
    kw, indices, offsets, weights = BAGS[case]
    torch.manual_seed(0)
    t_bag = torch.nn.EmbeddingBag(10, 3, **kw)
    p_bag = _copy_weights(pyfront.nn.EmbeddingBag(10, 3, **kw), t_bag, device)
    assert repr(p_bag) == repr(t_bag)
    t_args = [torch.tensor(indices), None if offsets is None else torch.tensor(offsets)]
    p_args = [pyfront.tensor(indices, device=device), None if offsets is None else pyfront.tensor(offsets,
                                                                                               device=device)]
    t_kw = {} if weights is None else {"per_sample_weights": torch.tensor(weights, requires_grad=True)}
    p_kw = {} if weights is None else {"per_sample_weights": pyfront.tensor(weights, device=device,
                                                                            requires_grad=True)}
    out, t_out = p_bag(*p_args, **p_kw), t_bag(*t_args, **t_kw)
    assert_same(out, t_out)
    cot = RNG.uniform(-1, 1, size=tuple(t_out.shape)).astype("float32")
    (t_out * torch.tensor(cot)).sum().backward()
    (out * pyfront.tensor(cot, device=device)).sum().backward()
    assert_same(p_bag.weight.grad, t_bag.weight.grad, **GRAD_TOL)
    if weights is not None:
        assert_same(p_kw["per_sample_weights"].grad, t_kw["per_sample_weights"].grad, **GRAD_TOL)


# -- parametrizations ---------------------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
def test_weight_norm_state_dict_moves_both_ways_with_torch(device):
    torch.manual_seed(1)
    t_model = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.Tanh(), torch.nn.Conv1d(5, 3, 2))
    t_parametrizations.weight_norm(t_model[0])
    t_parametrizations.weight_norm(t_model[2], dim=1)
    p_model = pyfront.nn.Sequential(pyfront.nn.Linear(4, 5), pyfront.nn.Tanh(), pyfront.nn.Conv1d(5, 3, 2))
    p_parametrizations.weight_norm(p_model[0])
    p_parametrizations.weight_norm(p_model[2], dim=1)
    assert repr(p_model) == repr(t_model)
    assert list(p_model.state_dict()) == list(t_model.state_dict())
    _copy_weights(p_model, t_model, device)
    x, tx = _pair((2, 4), device, grad=False)
    fwd = lambda m, v: m[2](m[1](m[0](v)).unsqueeze(-1).expand(2, 5, 3))  # noqa: E731
    out, t_out = fwd(p_model, x), fwd(t_model, tx)
    assert_same(out, t_out)
    out.sum().backward()
    t_out.sum().backward()
    for (name, p), (t_name, t) in zip(p_model.named_parameters(), t_model.named_parameters()):
        assert name == t_name
        assert_same(p.grad, t.grad, **GRAD_TOL)
    # and back: pyfront's state_dict loads into torch, giving the same weight
    t_back = torch.nn.Linear(4, 5)
    t_parametrizations.weight_norm(t_back)
    t_back.load_state_dict({k: torch.tensor(to_numpy(v)) for k, v in p_model[0].state_dict().items()})
    assert_same(p_model[0].weight, t_back.weight)


def test_parametrize_register_remove_and_cache_as_torch():
    class Symmetric(pyfront.nn.Module):
        def forward(self, x):
            return x.triu() + x.triu(1).transpose(-1, -2)

    class TSymmetric(torch.nn.Module):
        def forward(self, x):
            return x.triu() + x.triu(1).transpose(-1, -2)

    torch.manual_seed(2)
    t_layer = torch.nn.Linear(3, 3)
    p_layer = _copy_weights(pyfront.nn.Linear(3, 3), t_layer, "cpu")
    t_parametrize.register_parametrization(t_layer, "weight", TSymmetric())
    p_parametrize.register_parametrization(p_layer, "weight", Symmetric())
    assert type(p_layer).__name__ == type(t_layer).__name__ == "ParametrizedLinear"
    assert repr(p_layer).replace("Symmetric", "X") == repr(t_layer).replace("TSymmetric", "X")
    assert list(p_layer.state_dict()) == list(t_layer.state_dict())
    assert_same(p_layer.weight, t_layer.weight)
    with p_parametrize.cached():
        assert p_layer.weight is p_layer.weight
    assert p_layer.weight is not p_layer.weight
    with pytest.raises(ValueError) as got:
        p_parametrize.register_parametrization(p_layer, "nothing", Symmetric())
    assert str(got.value).endswith("does not have a parameter, a buffer, or a parametrized element with name "
                                   "'nothing'")
    t_parametrize.remove_parametrizations(t_layer, "weight")
    p_parametrize.remove_parametrizations(p_layer, "weight")
    assert type(p_layer).__name__ == "Linear" and list(p_layer.state_dict()) == list(t_layer.state_dict())
    assert_same(p_layer.weight, t_layer.weight)


# -- checkpoint ---------------------------------------------------------------------------------
@pytest.mark.parametrize("use_reentrant", [True, False])
@pytest.mark.parametrize("device", DEVICES)
def test_checkpoint_recomputes_and_gives_the_same_gradients(device, use_reentrant):
    torch.manual_seed(3)
    t_net = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 2))
    p_net = _copy_weights(pyfront.nn.Sequential(pyfront.nn.Linear(4, 6), pyfront.nn.Tanh(),
                                                pyfront.nn.Linear(6, 2)), t_net, device)
    calls = []
    p_net.register_forward_hook(lambda *a: calls.append(1))
    x, tx = _pair((3, 4), device)
    out = p_checkpoint(p_net, x, use_reentrant=use_reentrant)
    t_out = t_checkpoint(t_net, tx, use_reentrant=use_reentrant)
    assert_same(out, t_out)
    assert len(calls) == 1
    out.sum().backward()
    t_out.sum().backward()
    assert len(calls) == 2  # run again in backward
    assert_same(x.grad, tx.grad, **GRAD_TOL)
    for p, t in zip(p_net.parameters(), t_net.parameters()):
        assert_same(p.grad, t.grad, **GRAD_TOL)


def test_checkpoint_replays_dropout_and_warns_as_torch():
    pyfront.manual_seed(4)
    x = pyfront.randn(50, requires_grad=True)
    out = p_checkpoint(lambda v: pyfront.nn.functional.dropout(v, 0.5) * 3, x, use_reentrant=False)
    out.sum().backward()
    kept = to_numpy(out) != 0
    np.testing.assert_array_equal(to_numpy(x.grad) != 0, kept)  # the same mask in the second run
    with warnings.catch_warnings(record=True) as t_warned:
        warnings.simplefilter("always")
        t_checkpoint(torch.nn.Linear(2, 2), torch.ones(1, 2, requires_grad=True))
    with warns_as(t_warned):
        p_checkpoint(pyfront.nn.Linear(2, 2), pyfront.ones(1, 2, requires_grad=True))


# -- anomaly detection --------------------------------------------------------------------------
def _nan_backward(lib):
    x = lib.tensor([0.0, 1.0], requires_grad=True)
    y = (x / x).sum()
    y.backward()


def test_detect_anomaly_names_the_backward_node_and_the_forward_line():
    for lib in (torch, pyfront):
        assert not lib.is_anomaly_enabled()
    outcomes = []
    for lib in (torch, pyfront):
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            with pytest.raises(RuntimeError) as err:
                with lib.autograd.detect_anomaly():
                    assert lib.is_anomaly_enabled() and lib.is_anomaly_check_nan_enabled()
                    _nan_backward(lib)
        assert not lib.is_anomaly_enabled()
        texts = [str(w.message).split(" (Triggered internally")[0] for w in seen]
        outcomes.append((str(err.value), texts))
    assert outcomes[0] == outcomes[1]
    assert outcomes[1][0] == "Function 'DivBackward0' returned nan values in its 1th output."
    assert "y = (x / x).sum()" in outcomes[1][1][-1]


def test_set_detect_anomaly_as_a_call_and_a_context():
    pyfront.autograd.set_detect_anomaly(True)
    try:
        assert pyfront.is_anomaly_enabled()
        with pyfront.autograd.set_detect_anomaly(False):
            assert not pyfront.is_anomaly_enabled()
            _nan_backward(pyfront)  # off: a NaN gradient is only a value
        assert pyfront.is_anomaly_enabled()
        with pyfront.autograd.set_detect_anomaly(True, check_nan=False):
            _nan_backward(pyfront)
    finally:
        pyfront.autograd.set_detect_anomaly(False)
    assert not pyfront.is_anomaly_enabled()
