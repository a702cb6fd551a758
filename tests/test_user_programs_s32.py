"""Faults found running session 32's user-style programs (tests/programs/: mha_masks, moe_kan and the others
that session added), each checked as a kind against torch 2.13: scaled_dot_product_attention's
``attn_mask`` with ``is_causal`` (torch's CPU flash kernel applies both, its math kernel refuses the pair),
MultiheadAttention's key_padding_mask shape check (torch 2.13's _check_key_padding_mask text), and the
float()/complex() warning for a tensor that requires grad (torch warns only with grad mode on, so
LBFGS's float(loss) under no_grad is quiet), and torch.utils.checkpoint's arguments (its refusals, context_fn,
set_checkpoint_debug_enabled / set_checkpoint_early_stop, checkpoint_sequential's keyword check), and
helper tensors pyfront made on the default device where torch's C++ makes none or makes them on the cpu
(nan_to_num's replacements, packed sequences' batch_sizes and lengths, apply_, fractional pooling's ratio,
the data utilities' index draws and multinomial's)."""
from __future__ import annotations

import contextlib
import math
import warnings

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu


def _outcome(fn):
    """('ok', result) or (exception type name, message)."""
    try:
        return "ok", fn()
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return type(e).__name__, str(e)


def _to(lib, a, grad=False):
    t = lib.from_numpy(a.copy())
    return t.requires_grad_() if grad else t


# (q shape, k/v shape, mask, extra keyword arguments); 4-D inputs without dropout take torch's flash kernel
_RNG = np.random.default_rng(0)
_CAUSAL_WITH_MASK = [
    ((2, 2, 5, 8), (2, 2, 6, 8), _RNG.random((5, 6)) > 0.3, {}),  # bool mask, L != S
    ((2, 2, 5, 8), (2, 2, 5, 8), np.where(_RNG.random((5, 5)) > 0.8, -np.inf, _RNG.standard_normal((5, 5))),
     {}),
    ((2, 2, 4, 8), (2, 2, 4, 8), _RNG.standard_normal((2, 1, 4, 4)), {"scale": 0.3}),  # broadcast 4-D mask
    ((1, 4, 3, 8), (1, 2, 3, 8), np.ones((3, 3), bool), {"enable_gqa": True}),
    ((2, 2, 4, 8), (2, 2, 4, 8), np.tril(np.ones((4, 4), bool)).T, {}),  # a row masked by both: zeros
    # torch's math kernel: it refuses the pair
    ((2, 5, 8), (2, 6, 8), np.ones((5, 6), bool), {}),
    ((2, 2, 5, 8), (2, 2, 5, 8), np.ones((5, 5), bool), {"dropout_p": 0.5}),
    ((2, 2, 5, 8), (2, 2, 5, 8), np.ones((1, 2, 2, 5, 5), bool), {}),
    ((1, 2, 2, 5, 8), (1, 2, 2, 5, 8), np.ones((5, 5), bool), {}),
]


@pytest.mark.parametrize("case", range(len(_CAUSAL_WITH_MASK)))
def test_sdpa_attn_mask_with_is_causal_as_torch(case):
    qs, ks, mask, kw = _CAUSAL_WITH_MASK[case]
    rng = np.random.default_rng(case)
    arrays = [rng.standard_normal(s).astype(np.float32) for s in (qs, ks, ks)]
    mask = mask if mask.dtype == bool else mask.astype(np.float32)
    results = []
    for lib in (torch, pyfront):
        q, k, v = (_to(lib, a, grad=True) for a in arrays)

        def run():
            out = lib.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=_to(lib, mask),
                                                                 is_causal=True, **kw)
            out.sum().backward()
            return [t.detach().numpy() for t in (out, q.grad, k.grad, v.grad)]
        results.append(_outcome(run))
    (kind, want), (got_kind, got) = results
    assert got_kind == kind, (got_kind, got, kind, want)
    if kind != "ok":
        assert got == want
        return
    for w, g in zip(want, got):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


def test_sdpa_attn_mask_with_is_causal_refused_under_the_math_backend():
    q = np.ones((1, 1, 3, 4), np.float32)
    got = []
    for lib in (torch, pyfront):
        with lib.nn.attention.sdpa_kernel(lib.nn.attention.SDPBackend.MATH):
            got.append(_outcome(lambda: lib.nn.functional.scaled_dot_product_attention(
                *(_to(lib, q) for _ in range(3)), attn_mask=_to(lib, np.ones((3, 3), bool)), is_causal=True)))
    assert got[0][0] == got[1][0] == "RuntimeError" and got[0][1] == got[1][1]


# key_padding_mask shapes that are wrong in the batch, then in the source length (after add_zero_attn /
# add_bias_kv padded it), on each of MultiheadAttention's paths
_MHA = [({}, (3, 6)), ({}, (2, 6)), ({}, (3, 7)), ({}, (2, 7)), ({"add_zero_attn": True}, (3, 5)),
        ({"add_bias_kv": True}, (3, 5)), ({"batch_first": True}, (3, 4))]


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("case", range(len(_MHA)))
def test_mha_key_padding_mask_shape_errors_as_torch(case, need_weights):
    kw, kpm_shape = _MHA[case]
    got = []
    for lib in (torch, pyfront):
        lib.manual_seed(0)
        mha = lib.nn.MultiheadAttention(8, 2, **kw)
        shape_q, shape_k = ((3, 4, 8), (3, 5, 8)) if kw.get("batch_first") else ((4, 3, 8), (5, 3, 8))
        q, k = lib.zeros(shape_q), lib.zeros(shape_k)
        got.append(_outcome(lambda: mha(q, k, k, key_padding_mask=lib.zeros(kpm_shape, dtype=lib.bool),
                                        need_weights=need_weights)[0].shape))
    assert (got[1][0], str(got[1][1])) == (got[0][0], str(got[0][1]))


_CONVERSIONS = [float, complex, math.exp, lambda t: "%f" % t, int, lambda t: t.item()]
_MODES = ["no_grad", "inference_mode", "enable_grad", "set_grad_enabled_false"]


def _mode(lib, name):
    if name == "set_grad_enabled_false":
        return lib.set_grad_enabled(False)
    return getattr(lib, name)()


@pytest.mark.parametrize("mode", _MODES)
def test_scalar_of_graph_warning_follows_grad_mode(mode):
    def warned(lib):
        lib.set_warn_always(True)  # torch's TORCH_WARN_ONCE warns every time: each case is seen
        try:
            x = lib.ones(1, requires_grad=True) * 2
            out = []
            for convert in _CONVERSIONS:
                with warnings.catch_warnings(record=True) as seen, _mode(lib, mode):
                    warnings.simplefilter("always")
                    convert(x)
                out.append(any("requires_grad=True to a scalar" in str(w.message) for w in seen))
            return out
        finally:
            lib.set_warn_always(False)
    want = warned(torch)
    assert warned(pyfront) == want
    assert any(want) == (mode == "enable_grad")  # the test can tell the two apart


def test_lbfgs_step_is_quiet():
    with warnings.catch_warnings(record=True) as seen, contextlib.ExitStack():
        warnings.simplefilter("always")
        pyfront.set_warn_always(True)
        try:
            w = pyfront.nn.Parameter(pyfront.ones(3))
            opt = pyfront.optim.LBFGS([w], max_iter=3)

            def closure():
                opt.zero_grad()
                loss = (w ** 2).sum()
                loss.backward()
                return loss
            opt.step(closure)
        finally:
            pyfront.set_warn_always(False)
    assert not [str(w.message) for w in seen]


def _checkpoint_cases(lib):
    ck = lib.utils.checkpoint
    f = lambda a, scale=1.0: a * scale  # noqa: E731
    seq = lib.nn.Sequential(lib.nn.Identity(), lib.nn.Identity())
    return [
        lambda x: ck.checkpoint(f, x, use_reentrant=True, scale=2.0),
        lambda x: ck.checkpoint(f, x, use_reentrant=False, scale=2.0),
        lambda x: ck.checkpoint(f, x, use_reentrant=True, preserve_rng_state=False),
        lambda x: ck.checkpoint(f, x, use_reentrant=True, context_fn=ck.noop_context_fn),
        lambda x: ck.checkpoint(f, x, use_reentrant=True, context_fn=lambda: ck.noop_context_fn()),
        lambda x: ck.checkpoint(f, x, use_reentrant=True, debug=True),
        lambda x: ck.checkpoint(f, x, use_reentrant=False, debug=True),
        lambda x: ck.checkpoint(f, x, use_reentrant=False, debug=True,
                                context_fn=lambda: ck.noop_context_fn()),
        lambda x: ck.checkpoint(f, x, use_reentrant=False, determinism_check="bogus"),
        lambda x: ck.checkpoint(f, x, use_reentrant=False, determinism_check="none", early_stop=False),
        lambda x: ck.checkpoint_sequential(seq, 2, x, use_reentrant=False, preserve_rng_state=False),
        lambda x: ck.checkpoint_sequential(seq, 2, x, use_reentrant=False, scale=2.0),
    ]


@pytest.mark.parametrize("case", range(12))
def test_checkpoint_arguments_as_torch(case):
    got = []
    for lib in (torch, pyfront):
        x = lib.ones(2, requires_grad=True)

        def run():
            out = _checkpoint_cases(lib)[case](x)
            out.sum().backward()
            return out.tolist(), x.grad.tolist()
        got.append(_outcome(run))
    assert got[1] == got[0]


def test_checkpoint_runs_forward_and_recomputation_under_context_fn():
    def events(lib):
        log = []

        @contextlib.contextmanager
        def tagged(name):
            log.append(name + " in")
            yield
            log.append(name + " out")

        def fn(a):
            log.append("run")
            return a * a
        x = lib.ones(2, requires_grad=True)
        # early_stop=False: torch's early stop leaves the recomputation's context by an exception
        out = lib.utils.checkpoint.checkpoint(fn, x, use_reentrant=False, early_stop=False,
                                              context_fn=lambda: (tagged("forward"), tagged("recompute")))
        log.append("backward")
        out.sum().backward()
        return log, x.grad.tolist()
    assert events(pyfront) == events(torch)


def test_checkpoint_debug_setting_overrides_the_argument():
    got = []
    for lib in (torch, pyfront):
        ck = lib.utils.checkpoint
        with ck.set_checkpoint_debug_enabled(True), ck.set_checkpoint_early_stop(False):
            got.append(_outcome(lambda: ck.checkpoint(lambda a: a * 2, lib.ones(1, requires_grad=True),
                                                      use_reentrant=False,
                                                      context_fn=lambda: ck.noop_context_fn())))
    assert got[0][0] == got[1][0] == "ValueError" and got[0][1] == got[1][1]


@pytest.mark.parametrize("inputs", [lambda m: (m.ones(2, requires_grad=True), 3, m.zeros(1)),
                                    lambda m: (m.zeros(1), "x"), lambda m: [m.ones(1)], lambda m: ()])
def test_checkpoint_helpers_as_torch(inputs):
    got = []
    for lib in (torch, pyfront):
        ck = lib.utils.checkpoint
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            checked = _outcome(lambda: ck.check_backward_validity(inputs(lib)))
        out = _outcome(lambda: [(type(t).__name__, t.requires_grad, t.grad_fn is None)
                                if isinstance(t, lib.Tensor) else t for t in ck.detach_variable(inputs(lib))])
        got.append((checked, [str(w.message) for w in seen], out))
    assert got[1] == got[0]


def _on_default_device_cases(lib):
    """name -> a call on cpu tensors made here (before the test changes the default device)."""
    rnn = lib.nn.utils.rnn
    x = lib.tensor([[1.0, math.nan, 3.0], [math.inf, -math.inf, 0.5]])
    padded, lengths = lib.ones(3, 4, 2), lib.tensor([4, 2, 1])
    packed = rnn.pack_padded_sequence(padded, lengths, batch_first=True)
    image = lib.arange(64.0, dtype=lib.float64).reshape(1, 1, 8, 8)
    samples = lib.full((1, 1, 2), 0.5, dtype=lib.float64)
    four = lib.arange(4.0)
    return {
        "nan_to_num": lambda: x.nan_to_num(0.0),
        "nan_to_num float64": lambda: x.double().nan_to_num(1.0, 2.0, -2.0),
        "batch_sizes": lambda: rnn.pack_padded_sequence(padded, lengths, batch_first=True).batch_sizes,
        "lengths": lambda: rnn.pad_packed_sequence(packed, batch_first=True)[1],
        "apply_": lambda: four.clone().apply_(lambda v: v * 2),
        "fractional_max_pool2d": lambda: lib.nn.functional.fractional_max_pool2d(image, 2, output_size=3,
                                                                                 _random_samples=samples),
    }


@requires_webgpu
@pytest.mark.parametrize("name", sorted(_on_default_device_cases(torch)))
def test_cpu_ops_under_another_default_device_stay_on_the_cpu(name):
    """torch (default device meta) and pyfront (default device webgpu) on cpu inputs: a cpu result, torch's
    values."""
    want = _on_default_device_cases(torch)[name]()
    calls = [_on_default_device_cases(lib)[name] for lib in (torch, pyfront)]
    torch.set_default_device("meta")
    pyfront.set_default_device("webgpu")
    try:
        t, p = (call() for call in calls)
    finally:
        torch.set_default_device(None)
        pyfront.set_default_device(None)
    assert str(t.device) == str(p.device) == "cpu"
    np.testing.assert_array_equal(p.numpy(), want.numpy())


def _data_draws(lib):
    """The index draws of the data utilities and of multinomial on cpu weights, each seeded."""
    D = lib.utils.data
    ds = D.TensorDataset(lib.arange(10))
    g = lambda: lib.Generator().manual_seed(3)  # noqa: E731
    lib.manual_seed(0)
    return {
        "shuffled loader": [b[0].tolist() for b in D.DataLoader(ds, batch_size=4, shuffle=True)],
        "seeded loader": [b[0].tolist() for b in D.DataLoader(ds, batch_size=4, shuffle=True, generator=g())],
        "random sampler with replacement": list(D.RandomSampler(ds, replacement=True, num_samples=40,
                                                                generator=g())),
        "subset sampler": list(D.SubsetRandomSampler([5, 6, 7, 8], generator=g())),
        "weighted sampler": list(D.WeightedRandomSampler([0.1, 0.9, 0.5], 12, generator=g())),
        "random_split": [list(s.indices) for s in D.random_split(range(10), [0.3, 0.7], generator=g())],
        "multinomial": lib.multinomial(lib.tensor([0.2, 0.3, 0.5]), 5, replacement=True,
                                       generator=g()).tolist(),
    }


@requires_webgpu
def test_data_draws_ignore_the_default_device():
    """A script's set_default_device('webgpu') leaves the samplers' draws on their generator's device: the
    same indices as with the cpu default (torch with a cuda default and a cpu generator raises here instead;
    webgpu's randint covers 32 bits and has no float64, so drawing there failed)."""
    want = _data_draws(pyfront)
    pyfront.set_default_device("webgpu")
    try:
        got = _data_draws(pyfront)
    finally:
        pyfront.set_default_device(None)
    assert got == want
