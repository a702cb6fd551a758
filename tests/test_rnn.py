"""Recurrent layers, cells and ``nn.utils.rnn`` against torch.nn.

Each layer runs with torch's weights loaded into it (its state_dict, converted): outputs, final states
and the gradients to the input, the initial states and every parameter are compared with torch's, on
cpu (float64 and float32) and on webgpu (float32); also packed batches of unequal lengths, unbatched
inputs, dropout, ``print(model)``, state_dict keys both ways, and torch's errors and warnings.
A webgpu test counts the device read-backs of a forward and backward pass.
"""

import warnings

import numpy as np
import pytest
import torch
from optable import GPU_TOL, GRAD_TOL, assert_same, assert_same_error, to_numpy
from webgpu_required import requires_webgpu

import pyfront
import pyfront.nn as pnn
from pyfront.nn.utils import rnn as prnn
from torch.nn.utils import rnn as trnn

CPU64, CPU32, GPU32 = ("cpu", "float64"), ("cpu", "float32"), ("webgpu", "float32")


def spread(combos, ids, float32=(), webgpu=()):
    """Every combo on cpu in float64; the combos at the indices ``float32`` also on cpu in float32 and
    those at ``webgpu`` on webgpu (float32): each path is covered while the suite stays quick."""
    out = []
    for i, (combo, name) in enumerate(zip(combos, ids)):
        for where, chosen in ((CPU64, True), (CPU32, i in float32), (GPU32, i in webgpu)):
            if chosen:
                marks = requires_webgpu if where is GPU32 else ()
                out.append(pytest.param(*combo, where, marks=marks, id=f"{name}-{'-'.join(where)}"))
    return out


def product(*axes):
    """(combos, ids) of the cartesian product of axes given as [(value, id), ...]."""
    combos, ids = [()], [""]
    for axis in axes:
        combos = [c + (v,) for c in combos for v, _ in axis]
        ids = [f"{i}-{n}".strip("-") for i in ids for _, n in axis]
    return combos, ids


# (torch class, constructor kwargs): every recurrence, and the LSTM with a projection
LAYERS = [
    ("RNN", {}),
    ("RNN", dict(nonlinearity="relu")),
    ("LSTM", {}),
    ("LSTM", dict(proj_size=2)),
    ("GRU", {}),
]
LAYER_IDS = ["rnn_tanh", "rnn_relu", "lstm", "lstm_proj", "gru"]
LAYER_AXIS = list(zip(LAYERS, LAYER_IDS))
IN, HID, STEPS, BATCH = 3, 4, 4, 3


def tolerances(device, dtype):
    if device != "cpu":
        return GPU_TOL, GRAD_TOL
    if dtype == "float64":
        return {}, {}  # assert_close's float64 defaults
    return {}, GRAD_TOL


def pair(name, *args, dtype="float32", device="cpu", **kwargs):
    """The same layer in both libraries; the pyfront one holds torch's weights (through state_dicts)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dropout with one layer warns in both
        tm = getattr(torch.nn, name)(*args, **kwargs).to(getattr(torch, dtype))
        pm = getattr(pnn, name)(*args, **kwargs, dtype=getattr(pyfront, dtype))
    state = {k: pyfront.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()}
    result = pm.load_state_dict(state)
    assert not result.missing_keys and not result.unexpected_keys
    return pm.to(device), tm


def leaf(shape, dtype, seed):
    return torch.from_numpy(np.random.default_rng(seed).standard_normal(shape).astype(dtype)).requires_grad_()


def to_pf(t, device):
    """torch leaves (nested in tuples/lists) as pyfront leaves with the same values."""
    if isinstance(t, (tuple, list)):
        return type(t)(to_pf(x, device) for x in t)
    if t is None:
        return None
    return pyfront.tensor(t.detach().numpy(), device=device, requires_grad=t.requires_grad)


def flat(out):
    """Every tensor (or None) of a nested result, PackedSequences included (they are named tuples)."""
    if isinstance(out, (tuple, list)):
        return [y for x in out for y in flat(x)]
    return [out]


def compare(pm, tm, p_args, t_args, leaves, device, dtype, seed=0):
    """Call both modules, compare every output, backward the same random cotangents, compare the
    gradients of ``leaves`` (pairs of pyfront, torch tensors) and of every parameter."""
    tol, grad_tol = tolerances(device, dtype)
    t_out, p_out = tm(*t_args), pm(*p_args)
    assert type(p_out).__name__ == type(t_out).__name__
    t_flat, p_flat = flat(t_out), flat(p_out)
    assert len(p_flat) == len(t_flat)
    rng = np.random.default_rng(seed)
    t_total = p_total = 0
    for p, t in zip(p_flat, t_flat):
        if t is None:
            assert p is None
            continue
        assert_same(p, t, **tol)
        if t.requires_grad:
            assert p.device.type == device
            cot = rng.uniform(-1, 1, size=tuple(t.shape)).astype(dtype)
            t_total = t_total + (t * torch.from_numpy(cot)).sum()
            p_total = p_total + (p * pyfront.tensor(cot, device=device)).sum()
    t_total.backward()
    p_total.backward()
    for p, t in leaves:
        assert_same(p.grad, t.grad, **grad_tol)
    t_params = dict(tm.named_parameters())
    assert [n for n, _ in pm.named_parameters()] == list(t_params)
    for name, p in pm.named_parameters():
        assert_same(p.grad, t_params[name].grad, **grad_tol)
    return p_out, t_out


def initial_state(name, kwargs, layers, batch, dtype, seed, unbatched=False):
    """torch leaves for h0 (and c0), shaped as the layer wants them."""
    directions = 2 if kwargs.get("bidirectional") else 1
    lead = (layers * directions,) if unbatched else (layers * directions, batch)
    h = leaf((*lead, kwargs.get("proj_size") or HID), dtype, seed)
    return (h, leaf((*lead, HID), dtype, seed + 1)) if name == "LSTM" else h


def state_leaves(p_h, t_h):
    return list(zip(flat(p_h), flat(t_h)))


# -- the layers over plain (padded) batches ---------------------------------------------------------
SHAPES = [((1, False, False), "1layer"), ((2, False, True), "2layers-batch_first"),
          ((1, True, True), "bidirectional-batch_first"), ((2, True, False), "2layers-bidirectional")]
_C, _I = product(LAYER_AXIS, SHAPES)


@pytest.mark.parametrize("layer,shape,where", spread(_C, _I, float32=range(2, 20, 4), webgpu=range(1, 20, 2)))
def test_layer_matches_torch(layer, shape, where):
    num_layers, bidirectional, batch_first = shape
    (name, kwargs), (device, dtype) = layer, where
    kwargs = dict(kwargs, num_layers=num_layers, bidirectional=bidirectional, batch_first=batch_first)
    pm, tm = pair(name, IN, HID, dtype=dtype, device=device, **kwargs)
    t_x = leaf((BATCH, STEPS, IN) if batch_first else (STEPS, BATCH, IN), dtype, 1)
    t_h = initial_state(name, kwargs, num_layers, BATCH, dtype, 2)
    p_x, p_h = to_pf(t_x, device), to_pf(t_h, device)
    compare(pm, tm, (p_x, p_h), (t_x, t_h), [(p_x, t_x), *state_leaves(p_h, t_h)], device, dtype)


@pytest.mark.parametrize("layer,where", spread(*product(LAYER_AXIS), webgpu=range(5)))
def test_zero_initial_state_and_no_bias(layer, where):
    """hx omitted: zeros, as torch makes them; and the layer without biases."""
    (name, kwargs), (device, dtype) = layer, where
    pm, tm = pair(name, IN, HID, dtype=dtype, device=device, bias=False, num_layers=2, **kwargs)
    t_x = leaf((STEPS, BATCH, IN), dtype, 3)
    p_x = to_pf(t_x, device)
    compare(pm, tm, (p_x,), (t_x,), [(p_x, t_x)], device, dtype)


_C, _I = product(LAYER_AXIS, [(False, "no_state"), (True, "with_state")])


@pytest.mark.parametrize("layer,with_state,where", spread(_C, _I, float32=(2, 3), webgpu=range(1, 10, 2)))
def test_unbatched_input(layer, with_state, where):
    """A 2-D input (L, H_in) and 2-D states: torch's unbatched path, batch_first ignored."""
    (name, kwargs), (device, dtype) = layer, where
    kwargs = dict(kwargs, bidirectional=True, batch_first=True)
    pm, tm = pair(name, IN, HID, dtype=dtype, device=device, **kwargs)
    t_x = leaf((STEPS, IN), dtype, 4)
    t_args = (t_x, initial_state(name, kwargs, 1, None, dtype, 5, unbatched=True)) if with_state else (t_x,)
    p_args = to_pf(t_args, device)
    leaves = [pair_ for p, t in zip(p_args, t_args) for pair_ in zip(flat(p), flat(t))]
    compare(pm, tm, p_args, t_args, leaves, device, dtype)


# -- packed sequences of unequal lengths -------------------------------------------------------------
LENGTHS = [[5, 3, 3, 1], [2, 5, 2, 4]]  # sorted and unsorted, each with a tie


_C, _I = product(LAYER_AXIS, [(False, "forward"), (True, "bidirectional")],
                 list(zip(LENGTHS, ["sorted", "unsorted"])))


@pytest.mark.parametrize("layer,bidirectional,lengths,where",
                         spread(_C, _I, float32=range(3, 20, 4), webgpu=range(3, 20, 4)))
def test_packed_input(layer, bidirectional, lengths, where):
    """pack_sequence -> layer (with h0) -> PackedSequence out and final states in the caller's order,
    then pad_packed_sequence; gradients reach each sequence, h0 and every parameter."""
    (name, kwargs), (device, dtype) = layer, where
    kwargs = dict(kwargs, num_layers=2, bidirectional=bidirectional)
    pm, tm = pair(name, IN, HID, dtype=dtype, device=device, **kwargs)
    enforce_sorted = lengths == sorted(lengths, reverse=True)
    t_seqs = [leaf((n, IN), dtype, 10 + i) for i, n in enumerate(lengths)]
    t_h = initial_state(name, kwargs, 2, len(lengths), dtype, 20)
    p_seqs, p_h = to_pf(t_seqs, device), to_pf(t_h, device)
    t_packed = trnn.pack_sequence(t_seqs, enforce_sorted=enforce_sorted)
    p_packed = prnn.pack_sequence(p_seqs, enforce_sorted=enforce_sorted)
    leaves = [*zip(p_seqs, t_seqs), *state_leaves(p_h, t_h)]
    p_out, t_out = compare(pm, tm, (p_packed, p_h), (t_packed, t_h), leaves, device, dtype)
    assert isinstance(p_out[0], prnn.PackedSequence)
    assert p_out[0].batch_sizes.device.type == "cpu"
    tol = tolerances(device, dtype)[0]
    assert_same(prnn.pad_packed_sequence(p_out[0], batch_first=True),
                trnn.pad_packed_sequence(t_out[0], batch_first=True), **tol)


@pytest.mark.parametrize("layer", LAYERS, ids=LAYER_IDS)
def test_packed_padded_batch_first_without_state(layer):
    """pack_padded_sequence of a padded batch_first batch with a lengths tensor, no h0."""
    name, kwargs = layer
    pm, tm = pair(name, IN, HID, batch_first=True, **kwargs)
    t_x = leaf((4, 5, IN), "float32", 30)
    p_x = to_pf(t_x, "cpu")
    lengths = [3, 5, 1, 5]
    t_packed = trnn.pack_padded_sequence(t_x, torch.tensor(lengths), batch_first=True, enforce_sorted=False)
    p_packed = prnn.pack_padded_sequence(p_x, pyfront.tensor(lengths), batch_first=True, enforce_sorted=False)
    compare(pm, tm, (p_packed,), (t_packed,), [(p_x, t_x)], "cpu", "float32")


# -- cells ---------------------------------------------------------------------------------------------
CELLS = [("RNNCell", {}), ("RNNCell", dict(nonlinearity="relu")), ("LSTMCell", {}), ("GRUCell", {}),
         ("GRUCell", dict(bias=False))]


_C, _I = product(list(zip(CELLS, ["rnn_tanh", "rnn_relu", "lstm", "gru", "gru_nobias"])),
                 [(True, "batched"), (False, "unbatched")], [(True, "with_state"), (False, "no_state")])


@pytest.mark.parametrize("cell,batched,with_state,where",
                         spread(_C, _I, float32=range(0, 20, 4), webgpu=(*range(0, 20, 4), 11)))
def test_cell_matches_torch(cell, batched, with_state, where):
    (name, kwargs), (device, dtype) = cell, where
    pm, tm = pair(name, IN, HID, dtype=dtype, device=device, **kwargs)
    lead = (BATCH,) if batched else ()
    t_x = leaf((*lead, IN), dtype, 40)
    t_args = (t_x,)
    if with_state:
        h = leaf((*lead, HID), dtype, 41)
        t_args += ((h, leaf((*lead, HID), dtype, 42)) if name == "LSTMCell" else h,)
    p_args = to_pf(t_args, device)
    leaves = list(zip(flat(p_args), flat(t_args)))
    compare(pm, tm, p_args, t_args, leaves, device, dtype)


def test_cell_unrolled_over_time_trains_like_torch():
    """An LSTMCell stepped in a Python loop, a loss on the last state, two SGD steps: same as torch."""
    pm, tm = pair("LSTMCell", IN, HID)
    p_opt = pyfront.optim.SGD(pm.parameters(), lr=0.5)
    t_opt = torch.optim.SGD(tm.parameters(), lr=0.5)
    x = np.random.default_rng(50).standard_normal((6, BATCH, IN)).astype(np.float32)
    for _ in range(2):
        losses = []
        for m, opt, tensor in ((pm, p_opt, pyfront.tensor), (tm, t_opt, torch.tensor)):
            state = None
            for t in range(x.shape[0]):
                state = m(tensor(x[t]), state)
            loss = (state[0] ** 2).mean() + state[1].sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        assert abs(losses[0] - losses[1]) < 1e-5
    for name, value in tm.state_dict().items():
        assert_same(pm.state_dict()[name], value, **GRAD_TOL)


# -- dropout between layers ------------------------------------------------------------------------------
@pytest.mark.parametrize("layer", LAYERS, ids=LAYER_IDS)
def test_dropout_in_eval_mode_and_at_one(layer):
    """dropout is the identity in eval mode; p=1 in training zeroes the first layer's output: both
    deterministic, so both equal torch."""
    name, kwargs = layer
    for p, train in ((0.5, False), (1.0, True)):
        pm, tm = pair(name, IN, HID, num_layers=2, dropout=p, **kwargs)
        pm.train(train)
        tm.train(train)
        t_x = leaf((STEPS, BATCH, IN), "float32", 60)
        p_x = to_pf(t_x, "cpu")
        compare(pm, tm, (p_x,), (t_x,), [(p_x, t_x)], "cpu", "float32")


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_dropout_in_training_drops_half(device):
    """A 2-layer ReLU RNN whose second layer passes its input through (W_ih = I, W_hh = 0, no bias):
    in training its output is the first layer's output with each element zeroed (p = 0.5) or doubled.
    The same construction in torch shows the same, so the test checks torch's semantics."""
    width, steps, batch = 8, 40, 25
    x = np.abs(np.random.default_rng(70).standard_normal((steps, batch, width))).astype(np.float32)
    for lib, nn, make in ((torch, torch.nn, torch.tensor), (pyfront, pnn, pyfront.tensor)):
        m = nn.RNN(width, width, num_layers=2, nonlinearity="relu", dropout=0.5)
        with lib.no_grad():
            for p in m.parameters():
                p.abs_()  # a positive first layer: every output of it is > 0
            m.weight_ih_l1.copy_(lib.eye(width))
            m.weight_hh_l1.zero_()
            m.bias_ih_l1.zero_()
            m.bias_hh_l1.zero_()
        if lib is pyfront:
            m.to(device)
        xs = make(x) if lib is torch else make(x, device=device)
        kept = to_numpy(m.eval()(xs)[0])
        out = m.train()(xs)[0]
        ratio = to_numpy(out) / kept
        assert np.all(kept > 0)
        assert np.allclose(ratio[ratio > 0.5], 2.0, rtol=1e-4)
        assert np.all((np.abs(ratio) < 1e-6) | (np.abs(ratio - 2) < 1e-3))
        assert abs((ratio < 0.5).mean() - 0.5) < 0.03
        assert not np.array_equal(to_numpy(m(xs)[0]), to_numpy(out))  # a fresh mask each call


# -- parameters, state_dict, init, print -------------------------------------------------------------------
CONFIGS = [
    ("RNN", (3, 4), {}),
    ("RNN", (3, 4, 2, "relu"), dict(bias=False)),
    ("LSTM", (3, 4), dict(num_layers=3, bidirectional=True)),
    ("LSTM", (3, 5), dict(proj_size=2, num_layers=2, bidirectional=True, bias=False)),
    ("LSTM", (3, 4), dict(num_layers=2, dropout=0.25, batch_first=True)),
    ("GRU", (3, 4), dict(num_layers=2, bidirectional=True, batch_first=True, dropout=0.5)),
    ("LSTM", (3, 4, 2), dict(dropout=1)),
    ("RNNCell", (3, 4), dict(bias=False, nonlinearity="relu")),
    ("RNNCell", (3, 4), {}),
    ("LSTMCell", (3, 4), dict(bias=False)),
    ("GRUCell", (3, 4), {}),
]


@pytest.mark.parametrize("name,args,kwargs", CONFIGS, ids=lambda v: str(v))
def test_print_and_state_dict_keys_as_torch(name, args, kwargs):
    tm = getattr(torch.nn, name)(*args, **kwargs)
    pm = getattr(pnn, name)(*args, **kwargs)
    assert repr(pm) == repr(tm)
    assert {k: tuple(v.shape) for k, v in pm.state_dict().items()} == {
        k: tuple(v.shape) for k, v in tm.state_dict().items()
    }
    assert list(pm.state_dict()) == list(tm.state_dict())
    if hasattr(tm, "all_weights"):
        assert [[tuple(w.shape) for w in ws] for ws in pm.all_weights] == [
            [tuple(w.shape) for w in ws] for ws in tm.all_weights
        ]
        assert pm._flat_weights_names == tm._flat_weights_names
    seq_t, seq_p = torch.nn.Sequential(tm, torch.nn.Linear(4, 2)), pnn.Sequential(pm, pnn.Linear(4, 2))
    assert repr(seq_p) == repr(seq_t)


def test_state_dict_moves_from_pyfront_to_torch():
    """A pyfront LSTM's own (random) weights, loaded into torch: the same outputs."""
    kwargs = dict(num_layers=2, bidirectional=True, proj_size=2)
    pm = pnn.LSTM(IN, HID, **kwargs)
    tm = torch.nn.LSTM(IN, HID, **kwargs)
    tm.load_state_dict({k: torch.from_numpy(to_numpy(v)) for k, v in pm.state_dict().items()})
    x = leaf((STEPS, BATCH, IN), "float32", 80)
    assert_same(pm(to_pf(x, "cpu")), tm(x))


@pytest.mark.parametrize("name,chunks", [("RNN", 1), ("LSTM", 4), ("GRU", 3), ("LSTMCell", 4)])
def test_init_is_uniform_in_one_over_sqrt_hidden(name, chunks):
    hidden = 64
    m = getattr(pnn, name)(16, hidden)
    bound = hidden**-0.5
    values = np.concatenate([to_numpy(p).ravel() for p in m.parameters()])
    assert values.size == chunks * hidden * (16 + hidden + 2)
    assert np.all(np.abs(values) <= bound)
    assert abs(values.std() - bound / 3**0.5) < 0.02 * bound  # the uniform's std
    assert abs(values.mean()) < 0.03 * bound


def test_module_to_webgpu_keeps_parameters_and_flatten_parameters_is_a_no_op():
    m = pnn.GRU(IN, HID, num_layers=2)
    before = list(m.parameters())
    m.flatten_parameters()
    if pyfront.webgpu.is_available():
        m.to("webgpu")
        assert all(p.device.type == "webgpu" for p in m.all_weights[1])
    assert [id(p) for p in m.parameters()] == [id(p) for p in before]
    assert m._flat_weights[0] is m.weight_ih_l0


# -- errors and warnings, as torch's -----------------------------------------------------------------------
def raises_as_torch(call):
    """``call(lib)`` raises in torch; it must raise the same type and text in pyfront."""
    with pytest.raises(Exception) as expected:
        call(torch)
    with pytest.raises(type(expected.value)) as got:
        call(pyfront)
    assert_same_error(got.value, expected.value)


def _r(lib, *shape, dtype=None):
    return lib.zeros(*shape, dtype=getattr(lib, dtype) if dtype else None)


CONSTRUCTOR_ERRORS = [
    lambda nn: nn.LSTM(3, 4, dropout=1.5),
    lambda nn: nn.LSTM(3, 4, dropout=True),
    lambda nn: nn.LSTM(3, 4, dropout=-0.1),
    lambda nn: nn.LSTM(3, 4, proj_size=4),
    lambda nn: nn.LSTM(3, 4, proj_size=-1),
    lambda nn: nn.GRU(3, 4, proj_size=2),
    lambda nn: nn.RNN(3, 4, proj_size=2),
    lambda nn: nn.RNN(3, 4, nonlinearity="sigmoid"),
    lambda nn: nn.RNN(3, 4, 1, "gelu"),
    lambda nn: nn.RNN(3, 4, num_layers=0),
    lambda nn: nn.RNN(3.0, 4),
    lambda nn: nn.RNN(0, 4),
    lambda nn: nn.GRU(3, 4.5),
    lambda nn: nn.GRU(3, 0),
    lambda nn: nn.GRU(3, 4, bias=1),
    lambda nn: nn.GRU(3, 4, batch_first=None),
]


@pytest.mark.parametrize("build", CONSTRUCTOR_ERRORS)
def test_constructor_errors_as_torch(build):
    raises_as_torch(lambda lib: build(lib.nn))


def test_dropout_with_one_layer_warns_as_torch():
    for lib in (torch, pyfront):
        with pytest.warns(UserWarning) as caught:
            lib.nn.LSTM(3, 4, dropout=0.5)
        assert [str(w.message) for w in caught] == [
            "dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects "
            "num_layers greater than 1, but got dropout=0.5 and num_layers=1"
        ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pnn.LSTM(3, 4, num_layers=2, dropout=0.5)


def _layer(lib, name, **kwargs):
    lib.manual_seed(0)
    return getattr(lib.nn, name)(3, 4, **kwargs)


FORWARD_CALLS = (
    lambda lib, m: m(_r(lib, 2, 2, 2, 3)),
    lambda lib, m: m(_r(lib, 3)),
    lambda lib, m: m(_r(lib, 2, 2, 5)),
    lambda lib, m: m(_r(lib, 2, 5)),
    lambda lib, m: m(_r(lib, 2, 2, 3, dtype="float64")),
    lambda lib, m: m(_r(lib, 0, 2, 3)),
    lambda lib, m: m(_r(lib, 0, 3)),
    lambda lib, m: m(_r(lib, 2, 2, 3), m_state(lib, m, (1, 3))),
    lambda lib, m: m(_r(lib, 2, 2, 3), m_state(lib, m, (2, 2))),
    lambda lib, m: m(_r(lib, 2, 2, 3), m_state(lib, m, (2,))),
    lambda lib, m: m(_r(lib, 2, 3), m_state(lib, m, (1, 2))),
    lambda lib, m: m(_r(lib, 2, 3), m_state(lib, m, (1,), width=5)),
    lambda lib, m: m(_r(lib, 2, 2, 3), m_state(lib, m, (1, 2), width=3)),
    lambda lib, m: m(lib.nn.utils.rnn.pack_sequence([_r(lib, 3, 5), _r(lib, 2, 5)])),
    lambda lib, m: m(lib.nn.utils.rnn.pack_sequence([_r(lib, 3, 3, dtype="float64"), _r(lib, 2, 3)])),
)
PACKED_BAD_STATE = lambda lib, m: m(  # noqa: E731
    lib.nn.utils.rnn.pack_sequence([_r(lib, 3, 3), _r(lib, 2, 3)]), m_state(lib, m, (1, 3))
)
FORWARD_ERRORS = [
    (name, kwargs, call)
    for name, kwargs in (("RNN", {}), ("GRU", {}), ("LSTM", {}), ("LSTM", dict(proj_size=2)))
    for call in FORWARD_CALLS + ((PACKED_BAD_STATE,) if name != "LSTM" else ())
] + [
    ("LSTM", {}, lambda lib, m: m(_r(lib, 2, 2, 3), m_state(lib, m, (1, 2), cell_width=5))),
    ("LSTM", {}, lambda lib, m: m(_r(lib, 2, 3), m_state(lib, m, (1,), cell_width=5))),
]


def m_state(lib, m, lead, width=None, cell_width=None):
    h = _r(lib, *lead, width or (m.proj_size or m.hidden_size))
    return (h, _r(lib, *lead, cell_width or m.hidden_size)) if isinstance(m, lib.nn.LSTM) else h


@pytest.mark.parametrize("name,kwargs,call", FORWARD_ERRORS)
def test_forward_errors_as_torch(name, kwargs, call):
    raises_as_torch(lambda lib: call(lib, _layer(lib, name, **kwargs)))


def test_packed_lstm_with_a_wrong_state_is_refused():
    """torch's packed LSTM checks h0 only in its C++ kernel, with a broadcasting message; pyfront makes
    the check it makes for a padded batch (the same RuntimeError type)."""
    with pytest.raises(RuntimeError):
        PACKED_BAD_STATE(torch, _layer(torch, "LSTM"))
    with pytest.raises(RuntimeError, match=r"Expected hidden\[0\] size \(1, 2, 4\), got \[1, 3, 4\]"):
        PACKED_BAD_STATE(pyfront, _layer(pyfront, "LSTM"))


CELL_ERRORS = [
    (name, call)
    for name in ("RNNCell", "LSTMCell", "GRUCell")
    for call in (
        lambda lib, m: m(_r(lib, 2, 2, 3)),
        lambda lib, m: m(_r(lib, 2, 5)),
        lambda lib, m: m(_r(lib, 2, 3), cell_state(lib, m, 3, 4)),
        lambda lib, m: m(_r(lib, 2, 3), cell_state(lib, m, 2, 5)),
        lambda lib, m: m(_r(lib, 2, 3), cell_state(lib, m, 2, 4, lead=(2,))),
        lambda lib, m: m(_r(lib, 3), cell_state(lib, m, 2, 4)),
        lambda lib, m: m(_r(lib, 3), cell_state(lib, m, None, 5)),
    )
] + [
    ("LSTMCell", lambda lib, m: m(_r(lib, 2, 3), (_r(lib, 2, 4), _r(lib, 2, 5)))),
    ("LSTMCell", lambda lib, m: m(_r(lib, 2, 3), (_r(lib, 2, 4), _r(lib, 3, 4)))),
    ("LSTMCell", lambda lib, m: m(_r(lib, 2, 3), (_r(lib, 2, 4), _r(lib, 1, 2, 4)))),
    ("RNNCell", lambda lib, m: lib.nn.RNNCell(3, 4, nonlinearity="gelu")(_r(lib, 2, 3))),
    ("RNNCell", lambda lib, m: lib.nn.RNNCell(3, 4, nonlinearity="gelu")(_r(lib, 2, 2, 3))),
    ("GRUCell", lambda lib, m: m(_r(lib, 2, 3, dtype="float64"))),
    ("LSTMCell", lambda lib, m: m(_r(lib, 2, 3), (_r(lib, 2, 4, dtype="float64"),) * 2)),
]


def cell_state(lib, m, batch, width, lead=()):
    h = _r(lib, *lead, *((batch,) if batch else ()), width)
    return (h, h) if isinstance(m, lib.nn.LSTMCell) else h


@pytest.mark.parametrize("name,call", CELL_ERRORS)
def test_cell_errors_as_torch(name, call):
    raises_as_torch(lambda lib: call(lib, _layer(lib, name)))


# -- nn.utils.rnn ---------------------------------------------------------------------------------------
def _seqs(lib, lengths, dtype="float32", width=2, device=None):
    rng = np.random.default_rng(90)
    arrays = [rng.standard_normal((n, width)).astype(dtype) for n in lengths]
    if lib is torch:
        return [torch.from_numpy(a) for a in arrays]
    return [pyfront.tensor(a, device=device) for a in arrays]


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_pad_sequence(batch_first, padding_side):
    for lengths, value in (([3, 1, 4], 0.0), ([2, 2], -1.5)):
        args = dict(batch_first=batch_first, padding_value=value, padding_side=padding_side)
        assert_same(prnn.pad_sequence(_seqs(pyfront, lengths), **args),
                    trnn.pad_sequence(_seqs(torch, lengths), **args))
    ints = [[1, 2], [3], [4, 5, 6]]
    args = dict(batch_first=batch_first, padding_value=7.9)  # truncated to 7 in an integer batch
    assert_same(prnn.pad_sequence([pyfront.tensor(v) for v in ints], **args),
                trnn.pad_sequence([torch.tensor(v) for v in ints], **args))


def test_pad_sequence_broadcasts_and_keeps_the_first_dtype_as_torch():
    shapes = [((2, 3), "float32"), ((3,), "float64"), ((1, 1), "float32")]
    make = [lambda lib, s=s, d=d: lib.ones(*s, dtype=getattr(lib, d)) * (s[0] + 1) for s, d in shapes]
    assert_same(prnn.pad_sequence([m(pyfront) for m in make]), trnn.pad_sequence([m(torch) for m in make]))


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.utils.rnn.pad_sequence([]),
    lambda lib: lib.nn.utils.rnn.pad_sequence(3),
    lambda lib: lib.nn.utils.rnn.pad_sequence([lib.zeros(2, 3), lib.zeros(3, 4)]),
    lambda lib: lib.nn.utils.rnn.pad_sequence([lib.zeros(2, 3)], padding_side="middle"),
    lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.zeros(5, 3, 2), [5, 2, 3]),
    lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.zeros(5, 3, 2), [5, 2, 0]),
    lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.zeros(5, 3, 2), [0, 5, 2], enforce_sorted=False),
    lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.zeros(5, 3, 2), [5, 2, 1, 1]),
    lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.zeros(5, 3, 2), lib.tensor([[5, 2, 1]])),
    lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.zeros(5, 3, 2), [5, 2, 1], batch_first=True),
    lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.zeros(0, 3, 2), [1, 1, 1]),
    lambda lib: lib.nn.utils.rnn.pad_packed_sequence(
        lib.nn.utils.rnn.pack_sequence([lib.zeros(3), lib.zeros(2)]), total_length=2),
    lambda lib: lib.nn.utils.rnn.PackedSequence(lib.zeros(3), None),
])
def test_utils_errors_as_torch(call):
    raises_as_torch(call)


def test_pack_longer_than_padded_is_refused():
    """torch reads past the padded input here (no check); pyfront refuses."""
    with pytest.raises(RuntimeError, match="longest sequence has length 6"):
        prnn.pack_padded_sequence(pyfront.zeros(5, 3, 2), [6, 2, 1])


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("enforce_sorted,lengths", [(True, [4, 4, 2, 1]), (False, [2, 4, 1, 4]),
                                                     (False, pyfront.tensor([2.7, 4, 1, 4]))])
def test_pack_and_pad_round_trip_with_gradients(batch_first, enforce_sorted, lengths):
    """pack_padded_sequence (list or tensor lengths, floats truncated) -> pad_packed_sequence with
    total_length and padding_value, fields and gradients as torch."""
    t_lengths = torch.tensor(to_numpy(lengths)) if isinstance(lengths, pyfront.Tensor) else lengths
    shape = (4, 5, 2) if batch_first else (5, 4, 2)
    t_x = leaf(shape, "float64", 100)
    p_x = to_pf(t_x, "cpu")
    how = dict(batch_first=batch_first, enforce_sorted=enforce_sorted)
    t_packed = trnn.pack_padded_sequence(t_x, t_lengths, **how)
    p_packed = prnn.pack_padded_sequence(p_x, lengths, **how)
    assert_same(tuple(p_packed), tuple(t_packed))
    args = dict(batch_first=batch_first, padding_value=-2.0, total_length=6)
    t_out, t_len = trnn.pad_packed_sequence(t_packed, **args)
    p_out, p_len = prnn.pad_packed_sequence(p_packed, **args)
    assert_same((p_out, p_len), (t_out, t_len))
    cot = np.random.default_rng(0).standard_normal(tuple(t_out.shape))
    (t_out * torch.from_numpy(cot)).sum().backward()
    (p_out * pyfront.tensor(cot)).sum().backward()
    assert_same(p_x.grad, t_x.grad)


def test_pack_sequence_unpack_and_unpad():
    lengths = [2, 5, 3]
    t_packed = trnn.pack_sequence(_seqs(torch, lengths), enforce_sorted=False)
    p_packed = prnn.pack_sequence(_seqs(pyfront, lengths), enforce_sorted=False)
    assert_same(tuple(p_packed), tuple(t_packed))
    assert repr(p_packed) == repr(t_packed)
    assert_same(prnn.unpack_sequence(p_packed), trnn.unpack_sequence(t_packed))
    padded = trnn.pad_sequence(_seqs(torch, lengths))
    assert_same(prnn.unpad_sequence(to_pf(padded, "cpu"), pyfront.tensor(lengths)),
                trnn.unpad_sequence(padded, torch.tensor(lengths)))
    assert_same(prnn.invert_permutation(pyfront.tensor([2, 0, 3, 1])),
                trnn.invert_permutation(torch.tensor([2, 0, 3, 1])))
    assert prnn.invert_permutation(None) is None


def test_packed_sequence_fields_and_conversions():
    p = prnn.pack_sequence(_seqs(pyfront, [2, 3]), enforce_sorted=False)
    t = trnn.pack_sequence(_seqs(torch, [2, 3]), enforce_sorted=False)
    assert p._fields == t._fields == ("data", "batch_sizes", "sorted_indices", "unsorted_indices")
    assert p.to(pyfront.float32) is p
    for convert in ("double", "half", "long"):
        assert_same(tuple(getattr(p, convert)()), tuple(getattr(t, convert)()))
    assert not p.is_cuda
    rebuilt = prnn.PackedSequence(p.data, p.batch_sizes, p.sorted_indices)
    assert_same(tuple(rebuilt), tuple(t))
    assert_same(tuple(prnn.PackedSequence((p.data, p.batch_sizes))),
                tuple(trnn.PackedSequence((t.data, t.batch_sizes))))


@requires_webgpu
def test_packed_sequence_to_webgpu_keeps_batch_sizes_on_cpu():
    p = prnn.pack_sequence(_seqs(pyfront, [2, 3, 1]), enforce_sorted=False).to("webgpu")
    assert p.data.device.type == p.sorted_indices.device.type == p.unsorted_indices.device.type == "webgpu"
    assert p.batch_sizes.device.type == "cpu"
    back = p.cpu()
    t = trnn.pack_sequence(_seqs(torch, [2, 3, 1]), enforce_sorted=False)
    assert_same(tuple(back), tuple(t))
    with pytest.raises(ValueError, match="batch_sizes should always be on CPU"):
        prnn.PackedSequence(p.data, p.batch_sizes.to("webgpu"))


def test_exported_as_torch():
    for name in ("RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"):
        assert getattr(pnn, name).__name__ == name
    assert set(prnn.__all__) == set(trnn.__all__)
    assert pyfront.nn.utils.rnn is prnn


# -- webgpu: no read-back inside the time loop ----------------------------------------------------------
@requires_webgpu
def test_time_loop_reads_nothing_back_on_webgpu(monkeypatch):
    """Forward and backward of a 2-layer bidirectional projected LSTM: no read-back at all on plain
    input; on a packed unsorted batch, a fixed few (the index checks of the permutations) that do not
    grow with the number of steps."""
    driver = pyfront.webgpu._backend().runtime.driver
    syncs = []
    for method in ("read_buffer", "wait"):  # every read-back and every wait for the GPU goes through these

        def counting(*args, real=getattr(driver, method), method=method):
            syncs.append(method)
            return real(*args)

        monkeypatch.setattr(driver, method, counting)
    m = pnn.LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2).to("webgpu")

    def counted(run):
        syncs.clear()
        run()
        return len(syncs)

    def plain(steps):
        x = pyfront.randn(steps, 2, 3, device="webgpu", requires_grad=True)
        out, (h, c) = m(x)
        (out.sum() + h.sum() + c.sum()).backward()

    def packed(steps):
        seqs = [pyfront.randn(n, 3, device="webgpu", requires_grad=True) for n in (2, steps, steps - 1)]
        out, (h, c) = m(prnn.pack_sequence(seqs, enforce_sorted=False))
        (out.data.sum() + h.sum() + c.sum()).backward()

    assert counted(lambda: plain(3)) == counted(lambda: plain(8)) == 0
    assert counted(lambda: packed(3)) == counted(lambda: packed(8)) <= 6
    assert counted(lambda: m.weight_hh_l1.grad.tolist()) >= 1  # the counter does see read-backs


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_double_backward_as_torch(name):
    """A gradient penalty (the input gradient's norm, differentiated again) matches torch's."""
    pm, tm = pair(name, IN, HID, dtype="float64", bidirectional=True)
    t_x = leaf((STEPS, BATCH, IN), "float64", 110)
    p_x = to_pf(t_x, "cpu")
    grads = []
    for lib, m, x in ((torch, tm, t_x), (pyfront, pm, p_x)):
        (g,) = lib.autograd.grad(m(x)[0].tanh().sum(), x, create_graph=True)
        (g**2).sum().backward()
        grads.append((g, x.grad, m.weight_hh_l0.grad))
    assert_same(grads[1], grads[0])
