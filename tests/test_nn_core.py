"""nn core against torch.nn: layers and losses with copied weights (outputs and every gradient), Module
semantics (registration, iteration, state_dict, errors, hooks, modes, conversions), init and clipping."""

import copy
import math
import warnings
from collections import OrderedDict

import numpy as np
import pytest
from webgpu_required import requires_webgpu
import torch

import pyfront
import pyfront.nn
import pyfront.nn.functional as PF

pnn, tnn = pyfront.nn, torch.nn
TOL = dict(rtol=1.3e-6, atol=1e-5)
GRAD_TOL = dict(rtol=1e-3, atol=1e-4)


def arr(t):
    return np.asarray(
        t.detach().tolist() if isinstance(t, pyfront.Tensor) else t.detach().numpy(), dtype=np.float64
    )


def close(p, t, **tol):
    tol = tol or TOL
    assert tuple(p.shape) == tuple(t.shape)
    np.testing.assert_allclose(arr(p), arr(t), rtol=tol["rtol"], atol=tol["atol"])


def copy_state(pmod, tmod):
    """Give the pyfront module torch's parameter and buffer values."""
    for name, t in list(tmod.named_parameters()) + list(tmod.named_buffers()):
        target = (
            pmod.get_parameter(name) if "." in name or name in pmod._parameters else pmod.get_buffer(name)
        )
        with pyfront.no_grad():
            target.copy_(pyfront.tensor(t.detach().numpy()))


def both(data, dtype="float32", grad=True):
    data = np.asarray(data, dtype=dtype)
    g = grad and dtype.startswith("float")
    return pyfront.tensor(data, requires_grad=g), torch.tensor(data, requires_grad=g)


def run_and_compare(pmod, tmod, inputs):
    """Forward on the same inputs, backward of sum(out * cotangent); outputs and all gradients equal."""
    copy_state(pmod, tmod)
    rng = np.random.default_rng(1)
    pins, tins = zip(*inputs) if inputs else ((), ())
    pout, tout = pmod(*pins), tmod(*tins)
    close(pout, tout)
    if not tout.requires_grad:
        return
    cot = rng.uniform(-1, 1, size=tuple(tout.shape)).astype(np.float32)
    (tout * torch.from_numpy(cot)).sum().backward()
    (pout * pyfront.tensor(cot)).sum().backward()
    for name, tp in tmod.named_parameters():
        pp = pmod.get_parameter(name)
        assert (pp.grad is None) == (tp.grad is None), name
        if tp.grad is not None:
            close(pp.grad, tp.grad, **GRAD_TOL)
    for p, t in zip(pins, tins):
        if t.requires_grad:
            close(p.grad, t.grad, **GRAD_TOL)


def rand(*shape, low=-2.0, high=2.0, seed=0, dtype="float32", grad=True):
    return both(np.random.default_rng(seed).uniform(low, high, size=shape), dtype, grad)


def ints(*shape, high, seed=0):
    return both(np.random.default_rng(seed).integers(0, high, size=shape), "int64")


LAYERS = [
    ("Linear", lambda nn: nn.Linear(3, 4), lambda: [rand(2, 3)]),
    ("Linear-nobias", lambda nn: nn.Linear(3, 4, bias=False), lambda: [rand(5, 2, 3)]),
    ("Linear-1d", lambda nn: nn.Linear(3, 2), lambda: [rand(3)]),
    ("Bilinear", lambda nn: nn.Bilinear(3, 4, 5), lambda: [rand(2, 3), rand(2, 4, seed=1)]),
    (
        "Bilinear-nobias",
        lambda nn: nn.Bilinear(2, 2, 3, bias=False),
        lambda: [rand(4, 2), rand(4, 2, seed=1)],
    ),
    ("Identity", lambda nn: nn.Identity(), lambda: [rand(2, 3)]),
    ("Flatten", lambda nn: nn.Flatten(), lambda: [rand(2, 3, 4)]),
    ("Flatten-0", lambda nn: nn.Flatten(0, -2), lambda: [rand(2, 3, 4)]),
    ("Unflatten", lambda nn: nn.Unflatten(1, (2, 3)), lambda: [rand(4, 6)]),
    ("Embedding", lambda nn: nn.Embedding(10, 3), lambda: [ints(2, 4, high=10)]),
    ("Embedding-pad", lambda nn: nn.Embedding(6, 3, padding_idx=2), lambda: [ints(3, 5, high=6)]),
    ("Embedding-freq", lambda nn: nn.Embedding(4, 2, scale_grad_by_freq=True), lambda: [ints(8, high=4)]),
    ("Dropout-eval", lambda nn: nn.Dropout(0.5).eval(), lambda: [rand(3, 4)]),
    ("ReLU", lambda nn: nn.ReLU(), lambda: [rand(3, 4)]),
    ("LeakyReLU", lambda nn: nn.LeakyReLU(0.2), lambda: [rand(3, 4)]),
    ("ELU", lambda nn: nn.ELU(0.7), lambda: [rand(3, 4)]),
    ("CELU", lambda nn: nn.CELU(1.5), lambda: [rand(3, 4)]),
    ("SELU", lambda nn: nn.SELU(), lambda: [rand(3, 4)]),
    ("GELU", lambda nn: nn.GELU(), lambda: [rand(3, 4)]),
    ("GELU-tanh", lambda nn: nn.GELU("tanh"), lambda: [rand(3, 4)]),
    ("SiLU", lambda nn: nn.SiLU(), lambda: [rand(3, 4)]),
    ("Mish", lambda nn: nn.Mish(), lambda: [rand(3, 4)]),
    ("Hardswish", lambda nn: nn.Hardswish(), lambda: [rand(3, 4, low=-5, high=5)]),
    ("Hardsigmoid", lambda nn: nn.Hardsigmoid(), lambda: [rand(3, 4, low=-5, high=5)]),
    ("Hardtanh", lambda nn: nn.Hardtanh(-0.5, 1.5), lambda: [rand(3, 4)]),
    ("ReLU6", lambda nn: nn.ReLU6(), lambda: [rand(3, 4, low=-3, high=9)]),
    ("Sigmoid", lambda nn: nn.Sigmoid(), lambda: [rand(3, 4)]),
    ("Tanh", lambda nn: nn.Tanh(), lambda: [rand(3, 4)]),
    ("Softplus", lambda nn: nn.Softplus(), lambda: [rand(3, 4)]),
    ("Softplus-beta", lambda nn: nn.Softplus(beta=2, threshold=3), lambda: [rand(3, 4, low=-4, high=4)]),
    ("Softmax", lambda nn: nn.Softmax(dim=1), lambda: [rand(3, 4)]),
    ("Softmax-neg", lambda nn: nn.Softmax(dim=-1), lambda: [rand(2, 3, 4)]),
    ("LogSoftmax", lambda nn: nn.LogSoftmax(dim=1), lambda: [rand(3, 4)]),
    ("Softmin", lambda nn: nn.Softmin(dim=0), lambda: [rand(3, 4)]),
    ("Softmax2d", lambda nn: nn.Softmax2d(), lambda: [rand(2, 3, 2, 2)]),
    ("PReLU", lambda nn: nn.PReLU(), lambda: [rand(3, 4)]),
    ("PReLU-channels", lambda nn: nn.PReLU(3, 0.1), lambda: [rand(2, 3, 4)]),
    ("GLU", lambda nn: nn.GLU(), lambda: [rand(3, 4)]),
    ("Threshold", lambda nn: nn.Threshold(0.1, -1.0), lambda: [rand(3, 4)]),
    ("Softsign", lambda nn: nn.Softsign(), lambda: [rand(3, 4)]),
    ("LogSigmoid", lambda nn: nn.LogSigmoid(), lambda: [rand(3, 4)]),
    ("Tanhshrink", lambda nn: nn.Tanhshrink(), lambda: [rand(3, 4)]),
    ("Softshrink", lambda nn: nn.Softshrink(0.3), lambda: [rand(3, 4)]),
    ("Hardshrink", lambda nn: nn.Hardshrink(0.3), lambda: [rand(3, 4)]),
    (
        "MLP",
        lambda nn: nn.Sequential(
            nn.Linear(4, 8), nn.GELU(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 3), nn.LogSoftmax(dim=1)
        ),
        lambda: [rand(5, 4)],
    ),
]


@pytest.mark.parametrize("name,build,inputs", LAYERS, ids=[c[0] for c in LAYERS])
def test_layer_matches_torch(name, build, inputs):
    run_and_compare(build(pnn), build(tnn), inputs())


def _probs(*shape, seed=0):
    p = np.random.default_rng(seed).uniform(0.05, 1, size=shape)
    return both(p / p.sum(1, keepdims=True), grad=False)


LOSSES = [
    ("MSE", lambda nn, r: nn.MSELoss(reduction=r), lambda: [rand(3, 4), rand(3, 4, seed=1, grad=False)]),
    ("L1", lambda nn, r: nn.L1Loss(reduction=r), lambda: [rand(3, 4), rand(3, 4, seed=1, grad=False)]),
    (
        "SmoothL1",
        lambda nn, r: nn.SmoothL1Loss(reduction=r, beta=0.5),
        lambda: [rand(3, 4), rand(3, 4, seed=1, grad=False)],
    ),
    ("Huber", lambda nn, r: nn.HuberLoss(reduction=r, delta=0.7), lambda: [rand(3, 4), rand(3, 4, seed=1)]),
    ("CE", lambda nn, r: nn.CrossEntropyLoss(reduction=r), lambda: [rand(4, 5), ints(4, high=5)]),
    (
        "CE-weight-ignore-smooth",
        lambda nn, r: nn.CrossEntropyLoss(
            weight=(pyfront if nn is pnn else torch).tensor([0.5, 1.0, 2.0, 1.5, 0.3]),
            ignore_index=1,
            label_smoothing=0.2,
            reduction=r,
        ),
        lambda: [rand(6, 5), ints(6, high=5, seed=3)],
    ),
    (
        "CE-Nd",
        lambda nn, r: nn.CrossEntropyLoss(reduction=r, label_smoothing=0.1),
        lambda: [rand(2, 5, 3, 2), ints(2, 3, 2, high=5)],
    ),
    ("CE-probs", lambda nn, r: nn.CrossEntropyLoss(reduction=r), lambda: [rand(4, 5), _probs(4, 5)]),
    (
        "CE-probs-Nd-smooth",
        lambda nn, r: nn.CrossEntropyLoss(reduction=r, label_smoothing=0.3),
        lambda: [rand(2, 5, 3), _probs(2, 5, 3)],
    ),
    ("NLL", lambda nn, r: nn.NLLLoss(reduction=r), lambda: [rand(4, 5), ints(4, high=5)]),
    (
        "NLL-weight-ignore-Nd",
        lambda nn, r: nn.NLLLoss(
            weight=(pyfront if nn is pnn else torch).tensor([0.5, 1.0, 2.0]), ignore_index=0, reduction=r
        ),
        lambda: [rand(2, 3, 4), ints(2, 4, high=3, seed=2)],
    ),
    (
        "BCE",
        lambda nn, r: nn.BCELoss(reduction=r),
        lambda: [rand(3, 4, low=0.05, high=0.95), rand(3, 4, low=0, high=1, seed=1, grad=False)],
    ),
    (
        "BCE-weight",
        lambda nn, r: nn.BCELoss(
            weight=(pyfront if nn is pnn else torch).tensor([1.0, 2.0, 0.5, 0.1]), reduction=r
        ),
        lambda: [rand(3, 4, low=0.05, high=0.95), rand(3, 4, low=0, high=1, seed=1, grad=False)],
    ),
    (
        "BCEWithLogits",
        lambda nn, r: nn.BCEWithLogitsLoss(reduction=r),
        lambda: [rand(3, 4, low=-30, high=30), rand(3, 4, low=0, high=1, seed=1)],
    ),
    (
        "BCEWithLogits-pos",
        lambda nn, r: nn.BCEWithLogitsLoss(
            pos_weight=(pyfront if nn is pnn else torch).tensor([1.0, 3.0, 0.5, 2.0]), reduction=r
        ),
        lambda: [rand(3, 4), rand(3, 4, low=0, high=1, seed=1)],
    ),
    (
        "KLDiv",
        lambda nn, r: nn.KLDivLoss(reduction="batchmean" if r == "mean" else r),
        lambda: [rand(3, 4, low=-3, high=0), rand(3, 4, low=0.05, high=1, seed=1)],
    ),
    (
        "KLDiv-log",
        lambda nn, r: nn.KLDivLoss(reduction="batchmean" if r == "mean" else r, log_target=True),
        lambda: [rand(3, 4, low=-3, high=0), rand(3, 4, low=-3, high=0, seed=1)],
    ),
]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name,build,inputs", LOSSES, ids=[c[0] for c in LOSSES])
def test_loss_matches_torch(name, build, inputs, reduction):
    run_and_compare(build(pnn, reduction), build(tnn, reduction), inputs())


def test_loss_weight_is_a_buffer():
    for fw in (pyfront, torch):
        m = fw.nn.CrossEntropyLoss(weight=fw.ones(3))
        assert [k for k, _ in m.named_buffers()] == ["weight"] and list(m.state_dict()) == ["weight"]
        assert list(fw.nn.BCEWithLogitsLoss(pos_weight=fw.ones(2)).state_dict()) == ["pos_weight"]


# -- Module semantics -----------------------------------------------------------------------------
def net_classes(nn):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Linear(4, 4)
            self.body = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
            self.shared = self.body[0]
            self.alpha = nn.Parameter(nn.init.ones_(nn.Linear(1, 1).weight.detach().clone()))
            self.register_buffer("count", nn.init.zeros_(nn.Linear(1, 2).bias.detach().clone()))
            self.register_buffer(
                "cache", nn.init.zeros_(nn.Linear(1, 3).bias.detach().clone()), persistent=False
            )
            self.plain = 3

        def forward(self, x):
            return self.body(self.conv(x)) * self.alpha

    return Net


def make_net(nn):
    return net_classes(nn)()


def test_registration_and_iteration_match_torch():
    p, t = make_net(pnn), make_net(tnn)
    assert [n for n, _ in p.named_parameters()] == [n for n, _ in t.named_parameters()]
    assert [n for n, _ in p.named_parameters(remove_duplicate=False)] == [
        n for n, _ in t.named_parameters(remove_duplicate=False)
    ]
    assert [n for n, _ in p.named_parameters(prefix="m", recurse=False)] == [
        n for n, _ in t.named_parameters(prefix="m", recurse=False)
    ]
    assert [n for n, _ in p.named_buffers()] == [n for n, _ in t.named_buffers()]
    assert [n for n, _ in p.named_modules()] == [n for n, _ in t.named_modules()]
    assert [n for n, _ in p.named_modules(prefix="root", remove_duplicate=False)] == [
        n for n, _ in t.named_modules(prefix="root", remove_duplicate=False)
    ]
    assert [n for n, _ in p.named_children()] == [n for n, _ in t.named_children()]
    assert len(list(p.parameters())) == len(list(t.parameters()))
    assert len(list(p.modules())) == len(list(t.modules()))
    assert sum(q.numel() for q in p.parameters()) == sum(q.numel() for q in t.parameters())
    assert all(q.requires_grad for q in p.parameters())
    assert p.plain == 3 and "plain" not in p._parameters
    assert p.get_submodule("body.2") is p.body[2] and p.get_parameter("body.0.bias") is p.body[0].bias
    assert p.get_buffer("count") is p.count


def test_setattr_getattr_delattr_match_torch():
    for fw in (pyfront, torch):
        m = fw.nn.Linear(2, 2)
        m.weight = None
        assert m.weight is None and "weight" in m._parameters
        m.extra = fw.nn.ReLU()
        assert "extra" in m._modules
        del m.extra
        assert "extra" not in m._modules
        m.buf = fw.nn.Buffer(fw.ones(2), persistent=False)
        assert "buf" in m._buffers and "buf" not in m.state_dict()
        m.buf = fw.zeros(2)  # still a (non-persistent) buffer
        assert "buf" in m._buffers and "buf" not in m.state_dict()
    # the error types and messages
    cases = [
        lambda fw, m: setattr(m, "bias", fw.ones(2)),
        lambda fw, m: setattr(m, "bias", 3),
        lambda fw, m: m.register_buffer("weight", fw.ones(1)),
        lambda fw, m: m.register_buffer("a.b", fw.ones(1)),
        lambda fw, m: m.register_buffer("", fw.ones(1)),
        lambda fw, m: m.register_buffer("x", 5),
        lambda fw, m: m.register_parameter("x", fw.ones(1)),
        lambda fw, m: m.register_parameter("x", fw.nn.Parameter(fw.ones(1)) * 2),
        lambda fw, m: m.register_parameter("weight.x", None),
        lambda fw, m: m.add_module("weight", fw.nn.ReLU()),
        lambda fw, m: m.add_module("r", 4),
        lambda fw, m: m.add_module("a.b", fw.nn.ReLU()),
        lambda fw, m: m.nothing,
        lambda fw, m: m.get_submodule("foo"),
        lambda fw, m: m.get_submodule("weight"),
        lambda fw, m: m.get_parameter("nothing"),
        lambda fw, m: fw.nn.Sequential(fw.nn.ReLU()).get_parameter("0"),
        lambda fw, m: m.train("yes"),
        lambda fw, m: m.to(fw.int64),
        lambda fw, m: m(fw.ones(2, 3)),
        lambda fw, m: fw.nn.Module()(fw.ones(1)),
        lambda fw, m: fw.nn.Module(foo=1),
        lambda fw, m: fw.nn.Sequential()[0],
        lambda fw, m: fw.nn.ModuleList([fw.nn.ReLU()])[3],
        lambda fw, m: fw.nn.Parameter(fw.arange(3)),
    ]
    for case in cases:
        errors = []
        for fw in (pyfront, torch):
            m = fw.nn.Linear(2, 2)
            with pytest.raises(Exception) as info:
                case(fw, m)
            errors.append(info)
        pe, te = errors
        assert pe.type is te.type, (pe.value, te.value)
        if pe.type is not RuntimeError or "mat1" in str(te.value) or "forward" in str(te.value):
            assert str(pe.value) == str(te.value)


def state_pair():
    p, t = make_net(pnn), make_net(tnn)
    copy_state(p, t)
    return p, t


def test_state_dict_matches_torch():
    p, t = state_pair()
    ps, ts = p.state_dict(), t.state_dict()
    assert list(ps) == list(ts)
    for k in ts:
        close(ps[k], ts[k])
        assert not ps[k].requires_grad and type(ps[k]) is pyfront.Tensor
    assert list(ps._metadata) == list(ts._metadata)
    assert dict(ps._metadata) == dict(ts._metadata)
    kv = p.state_dict(keep_vars=True)
    assert kv["conv.weight"] is p.conv.weight
    assert list(p.state_dict(prefix="pre.")) == list(t.state_dict(prefix="pre."))


def test_load_state_dict_roundtrip_and_result():
    p, t = state_pair()
    q = make_net(pnn)
    version = q.conv.weight._version
    result = q.load_state_dict(p.state_dict())
    assert repr(result) == repr(t.load_state_dict(t.state_dict())) == "<All keys matched successfully>"
    assert q.conv.weight._version > version  # copied in place: the same Parameter object
    for k, v in p.state_dict().items():
        close(q.state_dict()[k], v)
    sd = p.state_dict()
    sd.pop("alpha")
    sd["extra.key"] = pyfront.zeros(1)
    tsd = t.state_dict()
    tsd.pop("alpha")
    tsd["extra.key"] = torch.zeros(1)
    pr, tr = q.load_state_dict(sd, strict=False), make_net(tnn).load_state_dict(tsd, strict=False)
    assert (pr.missing_keys, pr.unexpected_keys) == (tr.missing_keys, tr.unexpected_keys)
    assert repr(pr) == repr(tr)


def test_load_state_dict_errors_match_torch():
    edits = [
        lambda fw, sd: sd.pop("body.0.weight"),
        lambda fw, sd: sd.update({"body.5.weight": fw.zeros(1), "foo": fw.zeros(1)}),
        lambda fw, sd: sd.update({"conv.bias": fw.zeros(5)}),
        lambda fw, sd: (sd.pop("count"), sd.update({"conv.weight": fw.zeros(4, 5), "zzz": fw.ones(1)})),
        lambda fw, sd: sd.update({"alpha": 3.0}),
    ]
    for edit in edits:
        messages = []
        for fw in (pyfront, torch):
            model = make_net(fw.nn)
            sd = model.state_dict()
            edit(fw, sd)
            with pytest.raises(RuntimeError) as info:
                model.load_state_dict(sd)
            messages.append(str(info.value))
        assert messages[0] == messages[1]
    for fw in (pyfront, torch):
        with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
            fw.nn.Linear(1, 1).load_state_dict([1])


def test_load_state_dict_assign():
    m = pnn.Linear(2, 2)
    w = pyfront.ones(2, 2)
    m.load_state_dict({"weight": w, "bias": pyfront.zeros(2)}, assign=True)
    assert isinstance(m.weight, pnn.Parameter) and m.weight.requires_grad
    assert m.weight.tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_hooks():
    calls = []
    m = pnn.Linear(2, 2)
    h1 = m.register_forward_pre_hook(lambda mod, args: (args[0] * 2,))
    h2 = m.register_forward_hook(lambda mod, args, out: out + 1)
    h3 = m.register_forward_hook(lambda mod, args, out: calls.append("first"), prepend=True)
    x = pyfront.ones(1, 2)
    with pyfront.no_grad():
        expected = PF.linear(x * 2, m.weight, m.bias) + 1
        close(m(x), torch.tensor(expected.tolist()))
        for h in (h1, h2, h3):
            h.remove()
        close(m(x), torch.tensor(PF.linear(x, m.weight, m.bias).tolist()))
    assert calls == ["first"]
    with m.register_forward_pre_hook(lambda mod, args, kwargs: ((args[0] * 0,), kwargs), with_kwargs=True):
        close(m(x), torch.tensor(m.bias.detach().tolist()).reshape(1, 2))
    assert not m._forward_pre_hooks


def test_full_backward_hook_matches_torch():
    results = {}
    models = {fw: fw.nn.Sequential(fw.nn.Linear(3, 2), fw.nn.Tanh()) for fw in (torch, pyfront)}
    copy_state(models[pyfront], models[torch])
    for fw, m in models.items():
        got = []
        m[0].register_full_backward_hook(lambda mod, gi, go, got=got: got.append((gi, go)))
        m[1].register_full_backward_hook(lambda mod, gi, go: (gi[0] * 2,))
        x = fw.tensor(np.arange(6, dtype=np.float32).reshape(2, 3) / 10, requires_grad=True)
        m(x).sum().backward()
        results[fw] = (got, x.grad, m[0].weight.grad)
    (pg, px, pw), (tg, tx, tw) = results[pyfront], results[torch]
    assert len(pg) == len(tg) == 1 and len(pg[0][0]) == len(tg[0][0])
    close(pg[0][1][0], tg[0][1][0], **GRAD_TOL)  # grad_output, doubled by the Tanh hook
    close(pg[0][0][0], tg[0][0][0], **GRAD_TOL)  # grad_input
    close(px, tx, **GRAD_TOL)
    close(pw, tw, **GRAD_TOL)


def test_train_eval_and_dropout():
    m = pnn.Sequential(pnn.Linear(2, 2), pnn.Dropout(0.5), pnn.Sequential(pnn.Dropout(0.2)))
    assert m.training and all(c.training for c in m.modules())
    assert m.eval() is m and not any(c.training for c in m.modules())
    x = pyfront.ones(200, 50)
    drop = pnn.Dropout(0.3)
    assert drop.eval()(x) is x
    drop.train()
    pyfront.manual_seed(3)
    y = drop(x)
    values = set(np.unique(arr(y)).round(5))
    assert values <= {0.0, round(1 / 0.7, 5)}
    assert abs((arr(y) == 0).mean() - 0.3) < 0.02
    pyfront.manual_seed(3)
    assert np.array_equal(arr(drop(x)), arr(y))  # seeded: the same mask
    assert not np.array_equal(arr(drop(x)), arr(y))
    assert arr(PF.dropout(x, 1.0)).sum() == 0 and PF.dropout(x, 0.5, training=False) is x
    z = x.clone()
    assert PF.dropout(z, 0.5, inplace=True) is z and (arr(z) == 0).any()
    ch = PF.dropout2d(pyfront.ones(4, 8, 3, 3), 0.5)
    flat = arr(ch).reshape(4, 8, 9)
    assert (flat.min(2) == flat.max(2)).all()  # whole channels are kept or dropped
    with pytest.raises(ValueError, match="between 0 and 1"):
        pnn.Dropout(1.5)


def test_dropout_gradient_uses_the_mask():
    x = pyfront.ones(50, 20, requires_grad=True)
    y = PF.dropout(x, 0.4)
    y.sum().backward()
    np.testing.assert_allclose(arr(x.grad), arr(y.detach()), rtol=1e-6)


def test_zero_grad_requires_grad_apply_and_conversions():
    m = make_net(pnn)
    m(pyfront.ones(2, 4)).sum().backward()
    assert all(p.grad is not None for p in m.parameters())
    m.zero_grad(set_to_none=False)
    assert all(arr(p.grad).sum() == 0 for p in m.parameters())
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())
    assert m.requires_grad_(False) is m and not any(p.requires_grad for p in m.parameters())
    m.requires_grad_()
    names = []
    m.apply(lambda mod: names.append(type(mod).__name__))
    assert names == [type(mod).__name__ for mod in _apply_order(make_net(tnn))]
    weight = m.conv.weight
    m.double()
    assert m.conv.weight is weight and weight.dtype is pyfront.float64 and m.count.dtype is pyfront.float64
    m.to(pyfront.float32)
    assert weight.dtype is pyfront.float32 and m.to("cpu") is m and m.cpu() is m
    m.half().float()
    assert m.conv.weight.dtype is pyfront.float32
    e = pnn.Embedding(3, 2)
    e.double()
    assert e.weight.dtype is pyfront.float64
    c = copy.deepcopy(m)
    assert c.conv.weight is not m.conv.weight and isinstance(c.conv.weight, pnn.Parameter)
    close(c.conv.weight, torch.tensor(m.conv.weight.tolist()))
    assert c.shared is c.body[0]


def _apply_order(module):
    out = []
    for child in module.children():
        out.extend(_apply_order(child))
    return out + [module]


def test_containers():
    for fw in (pyfront, torch):
        nn = fw.nn
        s = nn.Sequential(nn.Linear(1, 1), nn.ReLU(), nn.Tanh())
        assert len(s) == 3 and isinstance(s[-1], nn.Tanh) and isinstance(s[1:], nn.Sequential)
        assert [type(x).__name__ for x in s] == ["Linear", "ReLU", "Tanh"]
        assert len(s + nn.Sequential(nn.ReLU())) == 4 and len(s * 2) == 6
        assert type(s.pop(0)).__name__ == "Linear" and list(s._modules) == ["0", "1"]
        lst = nn.ModuleList([nn.ReLU()])
        lst += [nn.Tanh()]
        lst.insert(0, nn.Sigmoid())
        assert [type(x).__name__ for x in lst] == ["Sigmoid", "ReLU", "Tanh"]
        d = nn.ModuleDict({"b": nn.ReLU(), "a": nn.Tanh()})
        assert list(d.keys()) == ["b", "a"] and "a" in d and len(d) == 2
        d.update([("c", nn.ReLU())])
        assert list(d) == ["b", "a", "c"] and type(d.pop("b")).__name__ == "ReLU"
        pl = nn.ParameterList([fw.ones(2), nn.Parameter(fw.zeros(1))])
        assert all(isinstance(x, nn.Parameter) for x in pl) and len(list(pl.parameters())) == 2
        pd = nn.ParameterDict({"z": fw.ones(1), "a": fw.ones(2)})
        assert list(pd) == ["a", "z"] and isinstance(pd["a"], nn.Parameter)
        assert [n for n, _ in pd.named_parameters()] == ["a", "z"]
    x = pyfront.tensor([[-1.0, 2.0]])
    close(pnn.Sequential(pnn.ReLU(), pnn.Tanh())(x), torch.tanh(torch.relu(torch.tensor([[-1.0, 2.0]]))))


def test_parameter_basics():
    p = pnn.Parameter(pyfront.ones(2, 2))
    assert isinstance(p, pyfront.Tensor) and p.requires_grad and p.is_leaf
    assert (
        type(p * 2) is pyfront.Tensor and type(p.detach()) is pyfront.Tensor and type(p[0]) is pyfront.Tensor
    )
    q = copy.deepcopy(p)
    assert type(q) is pnn.Parameter and q.requires_grad and q is not p
    data = pyfront.zeros(3)
    shared = pnn.Parameter(data)
    data.add_(1)
    assert shared.tolist() == [1.0, 1.0, 1.0]  # the same memory
    assert not pnn.Parameter(pyfront.ones(1), requires_grad=False).requires_grad
    assert isinstance(pnn.Buffer(pyfront.ones(1)), pnn.Buffer) and not isinstance(pyfront.ones(1), pnn.Buffer)


# -- init ------------------------------------------------------------------------------------------
def test_calculate_gain_matches_torch():
    for args in [
        ("linear",),
        ("conv2d",),
        ("sigmoid",),
        ("tanh",),
        ("relu",),
        ("leaky_relu",),
        ("leaky_relu", 0.2),
        ("leaky_relu", 3),
        ("selu",),
    ]:
        assert pnn.init.calculate_gain(*args) == tnn.init.calculate_gain(*args)
    for args in [("foo",), ("leaky_relu", True), ("leaky_relu", "x")]:
        with pytest.raises(ValueError) as pe:
            pnn.init.calculate_gain(*args)
        with pytest.raises(ValueError) as te:
            tnn.init.calculate_gain(*args)
        assert str(pe.value) == str(te.value)


def _stats(t):
    a = arr(t)
    return a.mean(), a.std(), a.min(), a.max()


@pytest.mark.parametrize(
    "name,kwargs,shape",
    [
        ("uniform_", dict(a=-0.5, b=1.5), (300, 200)),
        ("normal_", dict(mean=1.0, std=0.5), (300, 200)),
        ("xavier_uniform_", dict(gain=2.0), (300, 200)),
        ("xavier_normal_", dict(), (300, 20, 3)),
        ("kaiming_uniform_", dict(a=math.sqrt(5)), (300, 200)),
        ("kaiming_uniform_", dict(mode="fan_out", nonlinearity="relu"), (200, 30, 3, 3)),
        ("kaiming_normal_", dict(), (300, 200)),
        ("kaiming_normal_", dict(a=0.1, mode="fan_out"), (100, 50, 4)),
        ("trunc_normal_", dict(mean=0.5, std=1.0, a=-1.0, b=1.5), (300, 200)),
        ("trunc_normal_", dict(std=0.02), (300, 200)),
    ],
)
def test_init_distributions_match_torch(name, kwargs, shape):
    p = getattr(pnn.init, name)(pyfront.empty(*shape), **kwargs)
    t = getattr(tnn.init, name)(torch.empty(*shape), **kwargs)
    (pm, ps, plo, phi), (tm, ts, tlo, thi) = _stats(p), _stats(t)
    scale = max(ts, 1e-3)
    assert abs(pm - tm) < 0.05 * scale + 0.01 * abs(tm) + 5 * ts / math.sqrt(p.numel())
    assert abs(ps - ts) < 0.03 * ts
    if "uniform" in name:
        bound_tol = 0.02 * (thi - tlo)
        assert abs(plo - tlo) < bound_tol and abs(phi - thi) < bound_tol
    if "trunc" in name:
        assert plo >= kwargs.get("a", -2.0) and phi <= kwargs.get("b", 2.0)


def test_deterministic_inits_and_orthogonal():
    for name in ("ones_", "zeros_", "eye_"):
        close(getattr(pnn.init, name)(pyfront.empty(3, 4)), getattr(tnn.init, name)(torch.empty(3, 4)))
    close(pnn.init.constant_(pyfront.empty(2, 3), 0.7), tnn.init.constant_(torch.empty(2, 3), 0.7))
    close(pnn.init.dirac_(pyfront.empty(6, 4, 3, 3), 2), tnn.init.dirac_(torch.empty(6, 4, 3, 3), 2))
    for shape in [(5, 3), (3, 5), (4, 2, 3)]:
        w = pnn.init.orthogonal_(pyfront.empty(*shape), gain=2.0)
        flat = arr(w).reshape(shape[0], -1)
        gram = flat @ flat.T if shape[0] <= flat.shape[1] else flat.T @ flat
        np.testing.assert_allclose(gram, 4 * np.eye(gram.shape[0]), atol=1e-4)
    for fn, args in [
        ("eye_", (pyfront.empty(2, 2, 2),)),
        ("orthogonal_", (pyfront.empty(3),)),
        ("xavier_uniform_", (pyfront.empty(3),)),
        ("kaiming_normal_", (pyfront.empty(3, 3), 0, "x")),
    ]:
        with pytest.raises(ValueError) as pe:
            getattr(pnn.init, fn)(*args)
        with pytest.raises(ValueError) as te:
            getattr(tnn.init, fn)(
                *[torch.empty(*a.shape) if isinstance(a, pyfront.Tensor) else a for a in args]
            )
        assert str(pe.value) == str(te.value)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pnn.init.kaiming_uniform_(pyfront.empty(0, 3))
    assert "zero-element" in str(caught[0].message)


def test_init_keeps_parameter_and_grad_flag():
    w = pnn.Parameter(pyfront.empty(4, 3))
    assert pnn.init.kaiming_uniform_(w) is w and w.requires_grad and w.is_leaf


@pytest.mark.parametrize(
    "layer,bound",
    [
        (lambda nn: nn.Linear(50, 300), 1 / math.sqrt(50)),
        (lambda nn: nn.Bilinear(40, 5, 300), 1 / math.sqrt(40)),
    ],
)
def test_default_layer_init_matches_torch(layer, bound):
    p, t = layer(pnn), layer(tnn)
    for (name, pp), (_, tp) in zip(p.named_parameters(), t.named_parameters()):
        (_, ps, plo, phi), (_, ts, _, _) = _stats(pp), _stats(tp)
        assert plo >= -bound and phi <= bound, name
        assert abs(ps - ts) < 0.1 * ts, name
    e = pnn.Embedding(400, 50, padding_idx=3)
    assert abs(arr(e.weight).std() - 1) < 0.03 and not arr(e.weight)[3].any()
    assert arr(pnn.PReLU(4).weight).tolist() == [0.25] * 4


# -- functional extras and utils ---------------------------------------------------------------------
def test_functional_errors_match_torch():
    cases = [
        lambda fw: fw.nn.functional.embedding(fw.tensor([1.0]), fw.ones(5, 3)),
        lambda fw: fw.nn.functional.embedding(fw.tensor([7]), fw.ones(5, 3)),
        lambda fw: fw.nn.functional.one_hot(fw.tensor([-1])),
        lambda fw: fw.nn.functional.one_hot(fw.tensor([5]), 3),
        lambda fw: fw.nn.functional.nll_loss(fw.ones(3, 5), fw.tensor([1, 2, 7])),
        lambda fw: fw.nn.functional.nll_loss(fw.ones(3, 5), fw.tensor([1, 2])),
        lambda fw: fw.nn.functional.nll_loss(fw.ones(3, 5, 2), fw.tensor([1, 2, 3])),
        lambda fw: fw.nn.functional.cross_entropy(fw.ones(3, 5), fw.ones(3, 5), ignore_index=1),
        lambda fw: fw.nn.functional.binary_cross_entropy(fw.ones(3), fw.ones(3, 1)),
        lambda fw: fw.nn.functional.binary_cross_entropy(fw.ones(3) * 2, fw.ones(3)),
        lambda fw: fw.nn.functional.binary_cross_entropy_with_logits(fw.ones(3), fw.ones(3, 1)),
        lambda fw: fw.nn.functional.mse_loss(fw.ones(3), fw.ones(3), reduction="foo"),
        lambda fw: fw.nn.functional.gelu(fw.ones(3), approximate="x"),
        lambda fw: fw.nn.functional.linear(fw.ones(2, 3), fw.ones(4, 5)),
    ]
    for case in cases:
        with pytest.raises(Exception) as te:
            case(torch)
        with pytest.raises(Exception) as pe:
            case(pyfront)
        assert pe.type is te.type and str(pe.value) == str(te.value), (pe.value, te.value)


def test_embedding_max_norm_and_from_pretrained():
    w = np.random.default_rng(0).normal(size=(6, 3)).astype(np.float32) * 3
    idx = np.array([[0, 2], [2, 5]])
    pe, te = pnn.Embedding(6, 3, max_norm=1.0), tnn.Embedding(6, 3, max_norm=1.0)
    copy_state(pe, te)
    with pyfront.no_grad():
        pe.weight.copy_(pyfront.tensor(w))
    with torch.no_grad():
        te.weight.copy_(torch.tensor(w))
    close(pe(pyfront.tensor(idx)), te(torch.tensor(idx)))
    close(pe.weight, te.weight)
    fp = pnn.Embedding.from_pretrained(pyfront.tensor(w))
    assert not fp.weight.requires_grad and repr(fp) == repr(tnn.Embedding.from_pretrained(torch.tensor(w)))


def test_clip_grad_matches_torch():
    for norm_type in (2.0, 1.0, math.inf):
        grads = [
            np.random.default_rng(i).normal(size=s).astype(np.float32) for i, s in enumerate([(3, 4), (5,)])
        ]
        ps = [pnn.Parameter(pyfront.zeros(*g.shape)) for g in grads]
        ts = [tnn.Parameter(torch.zeros(*g.shape)) for g in grads]
        for p, t, g in zip(ps, ts, grads):
            p.grad, t.grad = pyfront.tensor(g), torch.tensor(g)
        close(pnn.utils.clip_grad_norm_(ps, 1.5, norm_type), tnn.utils.clip_grad_norm_(ts, 1.5, norm_type))
        for p, t in zip(ps, ts):
            close(p.grad, t.grad)
    pnn.utils.clip_grad_value_(ps, 0.1)
    tnn.utils.clip_grad_value_(ts, 0.1)
    for p, t in zip(ps, ts):
        close(p.grad, t.grad)
    close(pnn.utils.parameters_to_vector(ps), tnn.utils.parameters_to_vector(ts))
    vec = pyfront.arange(17.0)
    pnn.utils.vector_to_parameters(vec, ps)
    assert ps[1].tolist() == [12.0, 13.0, 14.0, 15.0, 16.0]


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_training_loop_matches_torch(device):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(32, 4)).astype(np.float32), rng.integers(0, 3, size=32)
    models = {
        fw: fw.nn.Sequential(fw.nn.Linear(4, 16), fw.nn.ReLU(), fw.nn.Linear(16, 3))
        for fw in (pyfront, torch)
    }
    copy_state(models[pyfront], models[torch])
    models[pyfront].to(device)
    losses = {}
    for fw, model in models.items():
        opt = fw.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        fn = fw.nn.CrossEntropyLoss()
        out = []
        where = {"device": device} if fw is pyfront else {}
        for _ in range(20):
            opt.zero_grad()
            loss = fn(model(fw.tensor(x, **where)), fw.tensor(y, **where))
            loss.backward()
            opt.step()
            out.append(loss.item())
        losses[fw] = out
    np.testing.assert_allclose(losses[pyfront], losses[torch], rtol=1e-4, atol=1e-5)


def test_named_members_prefix_ordered_dict_sequential():
    def build(nn):
        return nn.Sequential(OrderedDict(a=nn.Linear(1, 2), b=nn.Sequential(nn.Linear(2, 2))))

    p, t = build(pnn), build(tnn)
    assert list(p.state_dict()) == list(t.state_dict()) == ["a.weight", "a.bias", "b.0.weight", "b.0.bias"]
