"""nn.Transformer and its encoder/decoder layers against torch.nn: torch's weights copied in, outputs and
gradients compared on cpu (float64, float32) and webgpu (float32), over norm_first, batch_first,
activations and every mask kind; print(model), state_dict names, warnings and error messages."""

import copy
import warnings

import numpy as np
import pytest
import torch
from optable import assert_same_error, to_numpy
from webgpu_required import requires_webgpu

import pyfront
import pyfront.nn as pnn

DEVICES = [("cpu", "float64"), ("cpu", "float32"), pytest.param("webgpu", "float32", marks=requires_webgpu)]
E, H, N, S, T = 8, 2, 3, 5, 4


def _tol(device, dtype):
    if dtype == "float64":
        return dict(rtol=1e-10, atol=1e-10)
    return dict(rtol=1e-3, atol=1e-4) if device == "webgpu" else dict(rtol=1e-4, atol=1e-5)


def _pf(t, device):
    """A pyfront copy of torch tensor ``t`` on ``device``, keeping requires_grad."""
    return pyfront.tensor(t.detach().numpy(), device=device, requires_grad=t.requires_grad)


def _close(p, t, tol):
    torch.testing.assert_close(torch.from_numpy(np.array(to_numpy(p))), t.detach(), **tol)


def compare(pm, tm, inputs, kwargs, device, dtype, seed=0):
    """Forward both, backward the same random cotangent, compare output, input and parameter grads."""
    tol = _tol(device, dtype)
    t_in = [x.to(getattr(torch, dtype)).requires_grad_() for x in inputs]
    p_in = [_pf(x, device) for x in t_in]
    t_kw = {
        k: v.to(getattr(torch, dtype)) if isinstance(v, torch.Tensor) and v.is_floating_point() else v
        for k, v in kwargs.items()
    }
    p_kw = {k: _pf(v, device) if isinstance(v, torch.Tensor) else v for k, v in t_kw.items()}
    t_out, p_out = tm(*t_in, **t_kw), pm(*p_in, **p_kw)
    assert p_out.device.type == device and str(p_out.dtype) == str(t_out.dtype)
    _close(p_out, t_out, tol)
    cot = torch.from_numpy(np.random.default_rng(seed).uniform(-1, 1, tuple(t_out.shape))).to(t_out.dtype)
    (t_out * cot).sum().backward()
    (p_out * _pf(cot, device)).sum().backward()
    for p, t in zip(p_in, t_in):
        _close(p.grad, t.grad, tol)
    t_params = dict(tm.named_parameters())
    for name, p in pm.named_parameters():
        _close(p.grad, t_params[name].grad, tol)


def randn(*shape, seed=0):
    return torch.from_numpy(np.random.default_rng(seed).standard_normal(shape))


def seq(length, batch_first, seed):
    return randn(*((N, length, E) if batch_first else (length, N, E)), seed=seed)


def padding(length, seed, kind="bool"):
    m = np.random.default_rng(seed).random((N, length)) < 0.3
    m[:, 0] = False  # every row keeps a key: no fully masked rows
    mask = torch.from_numpy(m)
    return mask if kind == "bool" else torch.zeros(N, length, dtype=torch.float64).masked_fill(mask, -1e9)


def causal(length):
    return torch.nn.Transformer.generate_square_subsequent_mask(length, dtype=torch.float64)


LAYER_OPTIONS = [
    dict(),
    dict(norm_first=True),
    dict(batch_first=True, activation="gelu"),
    dict(batch_first=True, norm_first=True, bias=False, layer_norm_eps=1e-3),
    dict(activation=torch.tanh),
]
def _options_id(options: dict) -> str:
    """A test id the same in every process (a callable by name, not by its address: pytest-xdist's
    workers must collect identical ids)."""
    return str({k: getattr(v, "__name__", v) for k, v in options.items()})


ENCODER_MASKS = [
    dict(),
    dict(src_mask="causal", is_causal=True),
    dict(src_mask="causal"),
    dict(src_mask="bool"),
    dict(src_mask="float"),
    dict(src_key_padding_mask="bool"),
    dict(src_key_padding_mask="float", src_mask="float"),
]


def _activation(options):
    """The same activation for torch and pyfront (a callable given as torch.tanh)."""
    act = options.get("activation")
    if act is torch.tanh:
        return {**options, "activation": torch.tanh}, {**options, "activation": pyfront.tanh}
    return options, options


def _pair(cls, *args, options, dtype, device):
    t_opt, p_opt = _activation(options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tm = getattr(torch.nn, cls)(*args, **t_opt).to(getattr(torch, dtype)).eval()
        pm = getattr(pnn, cls)(*args, **p_opt).eval()
    with torch.no_grad():
        for p in tm.parameters():
            p.add_(torch.randn(p.shape, dtype=p.dtype) * 0.1)
    state = {k: pyfront.tensor(v.detach().numpy(), device=device) for k, v in tm.state_dict().items()}
    result = pm.to(device=device, dtype=getattr(pyfront, dtype)).load_state_dict(state)
    assert not result.missing_keys and not result.unexpected_keys
    assert list(pm.state_dict()) == list(tm.state_dict())
    return pm, tm


def _masks(spec, length, source, seed=10):
    out = {}
    for name, kind in spec.items():
        if kind == "causal":
            out[name] = causal(length)
        elif kind == "bool" and "padding" in name:
            out[name] = padding(source, seed)
        elif kind == "float" and "padding" in name:
            out[name] = padding(source, seed, "float")
        elif kind == "bool":
            m = np.random.default_rng(seed).random((length, source)) < 0.3
            m[:, 0] = False
            out[name] = torch.from_numpy(m)
        elif kind == "float":
            out[name] = randn(length, source, seed=seed)
        else:
            out[name] = kind
        seed += 1
    return out


@pytest.mark.parametrize("device,dtype", DEVICES)
@pytest.mark.parametrize("options", LAYER_OPTIONS, ids=_options_id)
def test_encoder_layer(options, device, dtype):
    pm, tm = _pair("TransformerEncoderLayer", E, H, 16, 0.1, options=options, dtype=dtype, device=device)
    first = options.get("batch_first", False)
    compare(pm, tm, [seq(S, first, 1)], {}, device, dtype)


@pytest.mark.parametrize("device,dtype", DEVICES)
@pytest.mark.parametrize("masks", ENCODER_MASKS, ids=str)
def test_encoder_masks(masks, device, dtype):
    options = dict(batch_first=True, norm_first=bool(len(masks) % 2))
    pm, tm = _pair("TransformerEncoderLayer", E, H, 16, 0.0, options=options, dtype=dtype, device=device)
    compare(pm, tm, [seq(S, True, 1)], _masks(masks, S, S), device, dtype)


@pytest.mark.parametrize("device,dtype", DEVICES)
@pytest.mark.parametrize("options", LAYER_OPTIONS, ids=_options_id)
def test_decoder_layer(options, device, dtype):
    pm, tm = _pair("TransformerDecoderLayer", E, H, 16, options=options, dtype=dtype, device=device)
    first = options.get("batch_first", False)
    masks = _masks(
        dict(
            tgt_mask="causal",
            tgt_is_causal=True,
            memory_key_padding_mask="bool",
            tgt_key_padding_mask="float",
        ),
        T,
        S,
    )
    masks["tgt_key_padding_mask"] = padding(T, 3, "float")
    compare(pm, tm, [seq(T, first, 1), seq(S, first, 2)], masks, device, dtype)


@pytest.mark.parametrize("device,dtype", DEVICES)
@pytest.mark.parametrize(
    "masks",
    [
        dict(),
        dict(src_mask="causal", tgt_mask="causal"),
        dict(
            tgt_mask="causal", tgt_is_causal=True, src_key_padding_mask="bool", memory_key_padding_mask="bool"
        ),
        dict(memory_mask="float", tgt_mask="bool", tgt_key_padding_mask="bool"),
        dict(src_mask="causal", src_is_causal=True, memory_mask="bool"),
    ],
    ids=str,
)
def test_transformer(masks, device, dtype):
    options = dict(batch_first=bool(len(masks) % 2), norm_first=len(masks) == 4)
    pm, tm = _pair("Transformer", E, H, 2, 2, 16, options=options, dtype=dtype, device=device)
    first = options["batch_first"]
    spec = _masks(masks, S, S)
    for name in ("tgt_mask",):
        if name in masks:
            spec[name] = _masks({name: masks[name]}, T, T)[name]
    if "memory_mask" in masks:
        spec["memory_mask"] = _masks({"memory_mask": masks["memory_mask"]}, T, S)["memory_mask"]
    if "tgt_key_padding_mask" in masks:
        spec["tgt_key_padding_mask"] = padding(T, 5)
    compare(pm, tm, [seq(S, first, 1), seq(T, first, 2)], spec, device, dtype)


@pytest.mark.parametrize("device,dtype", DEVICES)
def test_encoder_stack_unbatched_with_norm(device, dtype):
    layer_t = torch.nn.TransformerEncoderLayer(E, H, 16, activation="gelu")
    tm = torch.nn.TransformerEncoder(layer_t, 3, torch.nn.LayerNorm(E), enable_nested_tensor=False)
    tm = tm.to(getattr(torch, dtype)).eval()
    pm = pnn.TransformerEncoder(
        pnn.TransformerEncoderLayer(E, H, 16, activation="gelu"),
        3,
        pnn.LayerNorm(E),
        enable_nested_tensor=False,
    ).eval()
    pm.to(device=device, dtype=getattr(pyfront, dtype)).load_state_dict(
        {k: pyfront.tensor(v.numpy(), device=device) for k, v in tm.state_dict().items()}
    )
    compare(pm, tm, [randn(S, E, seed=1)], dict(mask=causal(S)), device, dtype)


def test_nested_tensor_fast_path_zeroes_padded_positions():
    """torch's inference path packs a left-aligned padded batch; the padded rows come out as zeros
    (then normed), and pyfront gives the same numbers."""
    pm, tm = _pair(
        "TransformerEncoderLayer", E, H, 16, options=dict(batch_first=True), dtype="float32", device="cpu"
    )
    tm_stack, pm_stack = torch.nn.TransformerEncoder(tm, 2, torch.nn.LayerNorm(E)), None
    pm_stack = pnn.TransformerEncoder(pm, 2, pnn.LayerNorm(E))
    pm_stack.load_state_dict({k: pyfront.tensor(v.numpy()) for k, v in tm_stack.state_dict().items()})
    tm_stack.eval(), pm_stack.eval()
    pad = torch.tensor([[False] * 5, [False, False, False, True, True], [False, True, True, True, True]])
    x = randn(N, S, E, seed=1).float()
    with torch.no_grad():
        t_out = tm_stack(x, src_key_padding_mask=pad)
    with pyfront.no_grad():
        p_out = pm_stack(pyfront.tensor(x.numpy()), src_key_padding_mask=pyfront.tensor(pad.numpy()))
    _close(p_out, t_out, dict(rtol=1e-4, atol=1e-5))
    # with autograd on, both take the ordinary path, where padded queries still attend to the kept keys
    t_grad = tm_stack(x.requires_grad_(), src_key_padding_mask=pad)
    p_grad = pm_stack(
        pyfront.tensor(x.detach().numpy(), requires_grad=True),
        src_key_padding_mask=pyfront.tensor(pad.numpy()),
    )
    _close(p_grad, t_grad, dict(rtol=1e-4, atol=1e-5))
    assert not torch.allclose(t_grad, t_out)


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_generate_square_subsequent_mask(device):
    for sz in (0, 1, 4):
        p = pnn.Transformer.generate_square_subsequent_mask(sz, device=device)
        assert p.device.type == device
        t = torch.nn.Transformer.generate_square_subsequent_mask(sz)
        assert str(p.dtype) == str(t.dtype) and tuple(p.shape) == tuple(t.shape)
        assert np.array_equal(to_numpy(p), t.numpy())
    p = pnn.Transformer.generate_square_subsequent_mask(3, dtype=pyfront.float64)
    assert p.dtype is pyfront.float64


def test_print_and_state_dict_names():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        modules = [
            ("Transformer", (E, H, 2, 1, 16), dict()),
            ("Transformer", (E, H, 1, 1, 16), dict(bias=False, activation="gelu")),
            ("TransformerEncoderLayer", (E, H), dict(activation=torch.nn.GELU())),
            ("TransformerDecoderLayer", (E, H, 32, 0.2), dict(layer_norm_eps=1e-6)),
        ]
        for name, args, kwargs in modules:
            pk = {k: pnn.GELU() if isinstance(v, torch.nn.GELU) else v for k, v in kwargs.items()}
            tm, pm = getattr(torch.nn, name)(*args, **kwargs), getattr(pnn, name)(*args, **pk)
            assert repr(pm) == repr(tm)
            assert [(k, tuple(v.shape)) for k, v in pm.state_dict().items()] == [
                (k, tuple(v.shape)) for k, v in tm.state_dict().items()
            ]
        layer_t, layer_p = torch.nn.TransformerDecoderLayer(E, H, 16), pnn.TransformerDecoderLayer(E, H, 16)
        assert repr(pnn.TransformerDecoder(layer_p, 2)) == repr(torch.nn.TransformerDecoder(layer_t, 2))
        assert repr(
            pnn.TransformerEncoder(pnn.TransformerEncoderLayer(E, H, 16), 2, pnn.LayerNorm(E))
        ) == repr(
            torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(E, H, 16), 2, torch.nn.LayerNorm(E))
        )


def test_state_dict_round_trip_back_to_torch():
    pm = pnn.Transformer(E, H, 1, 1, 16)
    tm = torch.nn.Transformer(E, H, 1, 1, 16).eval()
    tm.load_state_dict({k: torch.from_numpy(to_numpy(v).copy()) for k, v in pm.state_dict().items()})
    src, tgt = randn(S, N, E, seed=1).float(), randn(T, N, E, seed=2).float()
    out = pm.eval()(pyfront.tensor(src.numpy()), pyfront.tensor(tgt.numpy()))
    _close(out, tm(src, tgt), dict(rtol=1e-4, atol=1e-5))


def test_layers_are_deep_copies_and_init():
    layer = pnn.TransformerEncoderLayer(E, H, 16)
    enc = pnn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
    assert enc.layers[0].linear1.weight is not enc.layers[1].linear1.weight
    assert enc.layers[0] is not layer and enc.num_layers == 2
    model = pnn.Transformer(E, H, 1, 1, 16)
    # Transformer re-initialises every matrix with xavier_uniform_: bound sqrt(6 / (fan_in + fan_out))
    w = to_numpy(model.encoder.layers[0].linear1.weight)
    assert np.abs(w).max() <= np.sqrt(6 / (E + 16)) and np.abs(w).max() > np.sqrt(1 / E)


def _warns(fn):
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        fn()
    return [str(w.message) for w in got]


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(batch_first=True, norm_first=True),
        dict(batch_first=True, bias=False),
        dict(batch_first=True),
        dict(batch_first=True, activation=torch.tanh),
    ],
    ids=_options_id,
)
def test_enable_nested_tensor_warnings(kwargs):
    t_opt, p_opt = _activation(kwargs)
    t = _warns(lambda: torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(E, H, 16, **t_opt), 1))
    p = _warns(lambda: pnn.TransformerEncoder(pnn.TransformerEncoderLayer(E, H, 16, **p_opt), 1))
    assert p == t
    odd_t = _warns(
        lambda: torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(9, 3, batch_first=True), 1)
    )
    odd_p = _warns(lambda: pnn.TransformerEncoder(pnn.TransformerEncoderLayer(9, 3, batch_first=True), 1))
    assert odd_p == odd_t and odd_t


def _errors(make_t, make_p):
    """Both calls raise, with the same type and text (the lambdas run here, at once)."""
    with pytest.raises(Exception) as t_err:
        make_t()
    with pytest.raises(Exception) as p_err:
        make_p()
    assert_same_error(p_err.value, t_err.value)


def test_errors():
    for args, kwargs in [((7, 2), {}), ((0, 2), {}), ((8, 0), {}), ((8, 2), dict(activation="tanh"))]:
        for name in ("TransformerEncoderLayer", "TransformerDecoderLayer", "Transformer"):
            _errors(
                lambda: getattr(torch.nn, name)(*args, **kwargs),  # noqa: B023
                lambda: getattr(pnn, name)(*args, **kwargs),  # noqa: B023
            )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tm, pm = torch.nn.Transformer(E, H, 1, 1, 16), pnn.Transformer(E, H, 1, 1, 16)
    cases = [
        (randn(S, N, E), randn(T, N + 1, E)),
        (randn(S, N, E), randn(T, N, E + 1)),
        (randn(S, E + 1), randn(T, E + 1)),
    ]
    for src, tgt in cases:
        src, tgt = src.float(), tgt.float()
        p_src, p_tgt = pyfront.tensor(src.numpy()), pyfront.tensor(tgt.numpy())
        _errors(lambda: tm(src, tgt), lambda: pm(p_src, p_tgt))  # noqa: B023
    layer_t, layer_p = torch.nn.TransformerEncoderLayer(E, H, 16), pnn.TransformerEncoderLayer(E, H, 16)
    x = randn(S, N, E).float()
    # is_causal without a mask; an integer mask; a wrongly shaped mask
    for kwargs in [
        dict(is_causal=True),
        dict(src_mask=torch.zeros(S, S, dtype=torch.int64)),
        dict(src_mask=torch.zeros(S, S + 1)),
    ]:
        p_kwargs = {
            k: pyfront.tensor(v.numpy()) if isinstance(v, torch.Tensor) else v for k, v in kwargs.items()
        }
        _errors(lambda: layer_t(x, **kwargs), lambda: layer_p(pyfront.tensor(x.numpy()), **p_kwargs))  # noqa: B023


def test_train_mode_dropout_and_deepcopy():
    pm = pnn.TransformerEncoderLayer(E, H, 16, dropout=0.5)
    x = pyfront.randn(S, N, E)
    assert not np.allclose(to_numpy(pm(x)), to_numpy(pm.eval()(x)))
    clone = copy.deepcopy(pm)
    assert np.array_equal(to_numpy(clone(x)), to_numpy(pm(x)))


def test_mismatched_mask_kinds_warn_as_torch():
    pm, tm = _pair("TransformerEncoderLayer", E, H, 16, options=dict(), dtype="float32", device="cpu")
    x = randn(S, N, E, seed=1).float()
    pad, mask = padding(S, 2), randn(S, S, seed=3).float()
    t_warn = _warns(lambda: tm(x, src_mask=mask, src_key_padding_mask=pad))
    p_warn = _warns(
        lambda: pm(
            pyfront.tensor(x.numpy()),
            src_mask=pyfront.tensor(mask.numpy()),
            src_key_padding_mask=pyfront.tensor(pad.numpy()),
        )
    )
    assert p_warn == t_warn and t_warn


def test_padding_not_left_aligned_keeps_the_ordinary_path():
    """A padding mask with a kept position after a padded one is not packed by torch: no zeroed rows."""
    pm, tm = _pair(
        "TransformerEncoderLayer", E, H, 16, options=dict(batch_first=True), dtype="float32", device="cpu"
    )
    tm_stack, pm_stack = torch.nn.TransformerEncoder(tm, 2), pnn.TransformerEncoder(pm, 2)
    pm_stack.load_state_dict({k: pyfront.tensor(v.numpy()) for k, v in tm_stack.state_dict().items()})
    tm_stack.eval(), pm_stack.eval()
    pad = torch.tensor([[False, True, False, False, True]] * N)
    x = randn(N, S, E, seed=1).float()
    with torch.no_grad():
        t_out = tm_stack(x, src_key_padding_mask=pad)
    with pyfront.no_grad():
        p_out = pm_stack(pyfront.tensor(x.numpy()), src_key_padding_mask=pyfront.tensor(pad.numpy()))
    _close(p_out, t_out, dict(rtol=1e-4, atol=1e-5))
    assert np.abs(to_numpy(p_out)[:, 1]).min() > 0


def test_custom_encoder_and_decoder():
    enc_t = torch.nn.TransformerEncoder(
        torch.nn.TransformerEncoderLayer(E, H, 16), 1, enable_nested_tensor=False
    )
    dec_t = torch.nn.TransformerDecoder(torch.nn.TransformerDecoderLayer(E, H, 16), 1)
    enc_p = pnn.TransformerEncoder(pnn.TransformerEncoderLayer(E, H, 16), 1, enable_nested_tensor=False)
    dec_p = pnn.TransformerDecoder(pnn.TransformerDecoderLayer(E, H, 16), 1)
    tm = torch.nn.Transformer(E, H, custom_encoder=enc_t, custom_decoder=dec_t).eval()
    pm = pnn.Transformer(E, H, custom_encoder=enc_p, custom_decoder=dec_p).eval()
    assert repr(pm) == repr(tm)
    pm.load_state_dict({k: pyfront.tensor(v.numpy()) for k, v in tm.state_dict().items()})
    src, tgt = randn(S, N, E, seed=1).float(), randn(T, N, E, seed=2).float()
    _close(
        pm(pyfront.tensor(src.numpy()), pyfront.tensor(tgt.numpy())), tm(src, tgt), dict(rtol=1e-4, atol=1e-5)
    )


@pytest.mark.parametrize("device,dtype", DEVICES)
def test_decoder_memory_is_causal(device, dtype):
    pm, tm = _pair(
        "TransformerDecoderLayer", E, H, 16, options=dict(norm_first=True), dtype=dtype, device=device
    )
    masks = dict(tgt_mask=causal(T), tgt_is_causal=True, memory_mask=causal(T), memory_is_causal=True)
    compare(pm, tm, [seq(T, False, 1), seq(T, False, 2)], masks, device, dtype)
