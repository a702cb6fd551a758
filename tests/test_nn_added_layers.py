"""nn.SyncBatchNorm, nn.AdaptiveLogSoftmaxWithLoss, nn.FractionalMaxPool2d/3d (and F.fractional_max_pool*),
nn.utils.spectral_norm / remove_spectral_norm and nn.utils.fuse_* against torch 2.13: values, indices,
gradients (torch's parameters copied in), state-dict keys both ways, and the errors' type and text; on cpu
and webgpu."""
import warnings

import numpy as np
import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
RNG = np.random.default_rng(0)


def _np(t):
    return t.detach().cpu().numpy()


def _copy_state(theirs, ours, device):
    """torch module's parameters and buffers into ours (same keys), then moved to ``device``."""
    ours.load_state_dict({k: pyfront.tensor(_np(v)) for k, v in theirs.state_dict().items()})
    return ours.to(device)


def _error(call, L):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call(L)
    except Exception as e:  # noqa: BLE001 - the error is what is compared with torch's
        return type(e).__name__, str(e)
    return None


def _same_errors(calls):
    for name, call in calls.items():
        want, got = _error(call, torch), _error(call, pyfront)
        assert want is not None, name
        assert got == want, name


def _close(got, want, tol=1e-5):
    np.testing.assert_allclose(_np(got), _np(want), rtol=1e-4, atol=tol)


# -- AdaptiveLogSoftmaxWithLoss --------------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("targets", [[0, 4, 9, 2, 7, 5], [1, 0, 8, 9, 2, 6]])  # the second: one cluster empty
def test_adaptive_log_softmax_matches_torch(device, targets):
    theirs = torch.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6], div_value=2.0, head_bias=True)
    ours = _copy_state(theirs, pyfront.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6], div_value=2.0,
                                                                       head_bias=True), device)
    x = RNG.standard_normal((6, 8)).astype(np.float32)
    results = []
    for L, module, dev in ((torch, theirs, "cpu"), (pyfront, ours, device)):
        inp = L.tensor(x, device=dev, requires_grad=True)
        out = module(inp, L.tensor(targets, device=dev))
        assert type(out).__name__ == "_ASMoutput" and out._fields == ("output", "loss")
        full = module.log_prob(inp)
        (out.loss + (full * L.tensor(np.cos(np.arange(60)).reshape(6, 10), dtype=L.float32,
                                     device=dev)).sum()).backward()
        grads = [inp.grad] + [p.grad for _, p in sorted(module.named_parameters())]
        results.append((out.output, out.loss, full, module.predict(inp), grads))
    (o1, l1, f1, p1, g1), (o2, l2, f2, p2, g2) = results
    _close(o2, o1)
    _close(l2, l1)
    _close(f2, f1)
    assert p2.dtype == pyfront.int64 and _np(p2).tolist() == _np(p1).tolist()
    for got, want in zip(g2, g1, strict=True):
        _close(got, want)


def test_adaptive_log_softmax_unbatched_state_and_errors():
    theirs = torch.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6], div_value=2.0)
    ours = _copy_state(theirs, pyfront.nn.AdaptiveLogSoftmaxWithLoss(8, 10, (3, 6), div_value=2.0), "cpu")
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs) and ours.cutoffs == theirs.cutoffs == [3, 6, 10]
    x = RNG.standard_normal(8).astype(np.float32)
    want, got = theirs(torch.tensor(x), torch.tensor(7)), ours(pyfront.tensor(x), pyfront.tensor(7))
    assert tuple(got.output.shape) == () and tuple(got.loss.shape) == ()
    _close(got.output, want.output)
    _close(got.loss, want.loss)
    x2 = RNG.standard_normal((4, 8)).astype(np.float32)

    def module(L):
        return theirs if L is torch else ours
    _same_errors({
        "unsorted": lambda L: L.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [6, 3]),
        "too large": lambda L: L.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 10]),
        "repeated": lambda L: L.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 3]),
        "fraction": lambda L: L.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3.5]),
        "target high": lambda L: module(L)(L.tensor(x2), L.tensor([0, 4, 10, 2])),
        "target low": lambda L: module(L)(L.tensor(x2), L.tensor([0, 4, -1, 2])),
        "batch": lambda L: module(L)(L.tensor(x2), L.tensor([0, 4, 2])),
        "3-d input": lambda L: module(L)(L.tensor(x2).reshape(4, 2, 4), L.tensor([0, 4, 1, 2])),
        "2-d target": lambda L: module(L)(L.tensor(x2), L.tensor([[0, 4, 1, 2]])),
        "0-d target": lambda L: module(L)(L.tensor(x2), L.tensor(1)),
    })


# -- fractional max pooling ------------------------------------------------------------------------
FRACTIONAL = [  # (nd, input shape, kernel, output size or None, ratio or None)
    (2, (2, 3, 9, 8), 2, (4, 5), None),
    (2, (2, 3, 9, 8), (3, 2), None, (0.5, 0.7)),
    (2, (3, 7, 7), 3, 5, None),  # unbatched
    (2, (1, 2, 6, 6), 2, 1, None),
    (3, (2, 2, 6, 7, 8), 2, (3, 4, 5), None),
    (3, (2, 6, 7, 8), (2, 3, 2), None, 0.5),  # unbatched
]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", range(len(FRACTIONAL)))
@pytest.mark.parametrize("data", ["normal", "ties-nan"])
def test_fractional_max_pool_matches_torch(device, case, data):
    nd, shape, kernel, size, ratio = FRACTIONAL[case]
    x = RNG.standard_normal(shape).astype(np.float32)
    if data == "ties-nan":  # torch's scan: the first maximum, or the last nan
        x = np.round(x)
        x.flat[RNG.integers(0, x.size, 4)] = np.nan
    planes = (1,) + shape[:1] if len(shape) == nd + 1 else shape[:2]
    samples = RNG.random(planes + (nd,)).astype(np.float32)
    out = []
    for L, dev in ((torch, "cpu"), (pyfront, device)):
        inp = L.tensor(x, device=dev, requires_grad=True)
        fn = getattr(L.nn.functional, f"fractional_max_pool{nd}d")
        values, indices = fn(inp, kernel, output_size=size, output_ratio=ratio, return_indices=True,
                             _random_samples=L.tensor(samples, device=dev))
        values.backward(L.tensor(np.cos(np.arange(values.numel())).reshape(tuple(values.shape)),
                                 dtype=L.float32, device=dev))
        out.append((values, indices, inp.grad))
    (v1, i1, g1), (v2, i2, g2) = out
    assert i2.dtype == pyfront.int64 and _np(i2).tolist() == _np(i1).tolist()
    np.testing.assert_array_equal(_np(v2), _np(v1))
    _close(g2, g1)


@pytest.mark.parametrize("device", DEVICES)
def test_fractional_max_pool_modules(device):
    samples = RNG.random((2, 3, 2)).astype(np.float32)
    x = RNG.standard_normal((2, 3, 10, 9)).astype(np.float32)
    outs = []
    for L, dev in ((torch, "cpu"), (pyfront, device)):
        m = L.nn.FractionalMaxPool2d((3, 2), output_ratio=(0.5, 0.6), return_indices=True,
                                     _random_samples=L.tensor(samples)).to(dev)
        assert repr(m) == "FractionalMaxPool2d()" and list(m.state_dict()) == ["_random_samples"]
        assert (m.kernel_size, m.output_size, m.output_ratio) == ((3, 2), None, (0.5, 0.6))
        outs.append(m(L.tensor(x, device=dev)))
    assert _np(outs[1][1]).tolist() == _np(outs[0][1]).tolist()
    m3 = pyfront.nn.FractionalMaxPool3d(2, output_size=3).to(device)
    assert tuple(m3(pyfront.randn(2, 2, 6, 6, 6, device=device)).shape) == (2, 2, 3, 3, 3)
    assert list(m3.state_dict()) == list(torch.nn.FractionalMaxPool3d(2, output_size=3).state_dict()) == []


def test_fractional_max_pool_errors():
    x = RNG.standard_normal((2, 3, 9, 8)).astype(np.float32)

    def F(L):
        return L.nn.functional
    _same_errors({
        "no size": lambda L: F(L).fractional_max_pool2d(L.tensor(x), 2),
        "too large": lambda L: F(L).fractional_max_pool2d(L.tensor(x), 3, output_size=8),
        "too large w": lambda L: F(L).fractional_max_pool2d(L.tensor(x), 2, output_size=(4, 8)),
        "3d strict": lambda L: F(L).fractional_max_pool3d(L.randn(1, 1, 7, 7, 7), 3, output_size=5),
        "rank": lambda L: F(L).fractional_max_pool2d(L.randn(1, 2, 3, 8, 8), 2, output_size=4),
        "rank 3d": lambda L: F(L).fractional_max_pool3d(L.randn(1, 1, 2, 8, 8, 8), 2, output_size=4),
        "low rank": lambda L: F(L).fractional_max_pool2d(L.randn(9, 8), 2, output_size=4),
        "empty": lambda L: F(L).fractional_max_pool2d(L.randn(2, 0, 8, 8), 2, output_size=4),
        "samples rank": lambda L: F(L).fractional_max_pool2d(L.tensor(x), 2, output_size=4,
                                                             _random_samples=L.rand(2, 3)),
        "samples batch": lambda L: F(L).fractional_max_pool2d(L.tensor(x), 2, output_size=4,
                                                              _random_samples=L.rand(1, 3, 2)),
        "samples channels": lambda L: F(L).fractional_max_pool2d(L.tensor(x), 2, output_size=4,
                                                                 _random_samples=L.rand(2, 5, 2)),
        "samples last": lambda L: F(L).fractional_max_pool2d(L.tensor(x), 2, output_size=4,
                                                             _random_samples=L.rand(2, 3, 3)),
        "samples dtype": lambda L: F(L).fractional_max_pool2d(L.tensor(x), 2, output_size=4,
                                                              _random_samples=L.rand(2, 3, 2).double()),
        "int input": lambda L: F(L).fractional_max_pool2d(L.ones(1, 1, 4, 4, dtype=L.int64), 2,
                                                          output_size=2),
        "module none": lambda L: L.nn.FractionalMaxPool2d(2),
        "module both": lambda L: L.nn.FractionalMaxPool3d(2, output_size=3, output_ratio=0.5),
        "module ratio": lambda L: L.nn.FractionalMaxPool2d(2, output_ratio=1.5),
        "module ratio 3d": lambda L: L.nn.FractionalMaxPool3d(2, output_ratio=(0.5, 1.0, 0.5)),
    })


# -- spectral_norm (the hook API) ------------------------------------------------------------------
SPECTRAL = {
    "linear": (lambda L: L.nn.Linear(5, 4), (3, 5), {}),
    "conv": (lambda L: L.nn.Conv2d(2, 3, 3), (2, 2, 5, 5), {"n_power_iterations": 2}),
    "conv-transpose": (lambda L: L.nn.ConvTranspose2d(2, 3, 2), (1, 2, 3, 3), {}),  # dim 1
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("kind", list(SPECTRAL))
def test_spectral_norm_matches_torch(device, kind):
    make, shape, kwargs = SPECTRAL[kind]
    theirs = torch.nn.utils.spectral_norm(make(torch), **kwargs)
    ours = pyfront.nn.utils.spectral_norm(make(pyfront), **kwargs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [tuple(v.shape) for v in ours.state_dict().values()] == [tuple(v.shape) for v in
                                                                     theirs.state_dict().values()]
    _copy_state(theirs, ours, device)
    x = RNG.standard_normal(shape).astype(np.float32)
    outs = []
    for L, module, dev in ((torch, theirs, "cpu"), (pyfront, ours, device)):
        y = module(L.tensor(x, device=dev))  # training: a power-iteration step updates u and v
        (y * y).sum().backward()
        module.eval()
        y_eval = module(L.tensor(x, device=dev))
        outs.append((y, module.weight_u, module.weight_v, module.weight_orig.grad, y_eval))
        L.nn.utils.remove_spectral_norm(module)
        outs[-1] += (module.weight, list(module.state_dict()))
    for got, want in zip(outs[1][:-1], outs[0][:-1]):
        _close(got, want)
    assert outs[1][-1] == outs[0][-1]


def test_spectral_norm_checkpoints_cross(tmp_path):
    theirs = torch.nn.utils.spectral_norm(torch.nn.Linear(5, 4))
    ours = pyfront.nn.utils.spectral_norm(pyfront.nn.Linear(5, 4))
    state = ours.state_dict()
    assert state._metadata[""]["spectral_norm"] == theirs.state_dict()._metadata[""]["spectral_norm"]
    pyfront.save(state, tmp_path / "ours.pt")
    theirs.load_state_dict(torch.load(tmp_path / "ours.pt"))  # torch's load hook reads the metadata
    x = RNG.standard_normal((3, 5)).astype(np.float32)
    _close(ours.eval()(pyfront.tensor(x)), theirs.eval()(torch.tensor(x)))
    torch.save(theirs.state_dict(), tmp_path / "theirs.pt")
    again = pyfront.nn.utils.spectral_norm(pyfront.nn.Linear(5, 4))
    again.load_state_dict(pyfront.load(tmp_path / "theirs.pt"))
    _close(again.eval()(pyfront.tensor(x)), theirs(torch.tensor(x)))


def test_spectral_norm_errors():
    def applied(L):
        return L.nn.utils.spectral_norm(L.nn.Linear(2, 2))
    _same_errors({
        "twice": lambda L: L.nn.utils.spectral_norm(applied(L)),
        "remove missing": lambda L: L.nn.utils.remove_spectral_norm(L.nn.Linear(2, 2)),
        "iterations": lambda L: L.nn.utils.spectral_norm(L.nn.Linear(2, 2), n_power_iterations=0),
        "no parameter": lambda L: L.nn.utils.spectral_norm(L.nn.Linear(2, 2), name="foo"),
    })


# -- fusing batch norm into conv / linear ----------------------------------------------------------
def _bn_with_stats(L, bn, affine_seed):
    gen = np.random.default_rng(affine_seed)
    n = bn.num_features
    bn.running_mean.copy_(L.tensor(gen.standard_normal(n).astype(np.float32)))
    bn.running_var.copy_(L.tensor(gen.random(n).astype(np.float32) + 0.5))
    if bn.weight is not None:
        with L.no_grad():
            bn.weight.copy_(L.tensor(gen.standard_normal(n).astype(np.float32)))
            bn.bias.copy_(L.tensor(gen.standard_normal(n).astype(np.float32)))
    return bn.eval()


FUSE = {
    "conv": (lambda L: (L.nn.Conv2d(2, 3, 3), L.nn.BatchNorm2d(3)), (2, 2, 5, 5), False),
    "conv-no-bias-no-affine": (lambda L: (L.nn.Conv1d(2, 3, 2, bias=False),
                                          L.nn.BatchNorm1d(3, affine=False)), (2, 2, 5), False),
    "conv-transpose": (lambda L: (L.nn.ConvTranspose2d(2, 3, 2), L.nn.BatchNorm2d(3)), (1, 2, 3, 3), True),
    "linear": (lambda L: (L.nn.Linear(4, 3), L.nn.BatchNorm1d(3)), (5, 4), None),
    "linear-bn1": (lambda L: (L.nn.Linear(4, 3), L.nn.BatchNorm1d(1)), (5, 4), None),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("kind", list(FUSE))
def test_fuse_matches_torch(device, kind):
    make, shape, transpose = FUSE[kind]
    t_layer, t_bn = make(torch)
    p_layer, p_bn = make(pyfront)
    _copy_state(t_layer, p_layer, device)
    _bn_with_stats(torch, t_bn, 1)
    _bn_with_stats(pyfront, p_bn, 1).to(device)
    t_layer.eval()
    p_layer.eval()
    if transpose is None:
        t_fused = torch.nn.utils.fuse_linear_bn_eval(t_layer, t_bn)
        p_fused = pyfront.nn.utils.fuse_linear_bn_eval(p_layer, p_bn)
    else:
        t_fused = torch.nn.utils.fuse_conv_bn_eval(t_layer, t_bn, transpose)
        p_fused = pyfront.nn.utils.fuse_conv_bn_eval(p_layer, p_bn, transpose)
    assert p_fused is not p_layer and type(p_fused.weight).__name__ == "Parameter"
    assert [p.requires_grad for p in (p_fused.weight, p_fused.bias)] == [t_fused.weight.requires_grad,
                                                                          t_fused.bias.requires_grad]
    _close(p_fused.weight, t_fused.weight)
    _close(p_fused.bias, t_fused.bias)
    x = RNG.standard_normal(shape).astype(np.float32)
    _close(p_fused(pyfront.tensor(x, device=device)), t_fused(torch.tensor(x)), 1e-4)
    if kind != "linear-bn1":  # (torch's BatchNorm1d(1) refuses 3 features; the fused layer broadcasts it)
        _close(p_fused(pyfront.tensor(x, device=device)), t_bn(t_layer(torch.tensor(x))), 1e-4)


def test_fuse_weights_dtypes_and_errors():
    w64, b32 = RNG.standard_normal((3, 2, 1, 1)), RNG.standard_normal(3).astype(np.float32)
    stats = [RNG.standard_normal(3).astype(np.float32), RNG.random(3).astype(np.float32) + 0.5]
    kinds = []
    for L in (torch, pyfront):
        w, b = L.nn.utils.fuse_conv_bn_weights(L.tensor(w64), L.tensor(b32), *map(L.tensor, stats), 1e-5,
                                               None, None)
        w2, b2 = L.nn.utils.fuse_linear_bn_weights(L.tensor(w64[..., 0, 0]).requires_grad_(), None,
                                                   *map(L.tensor, stats), 1e-3, L.ones(3), L.zeros(3))
        fused = (w, b, w2, b2)
        kinds.append([(type(t).__name__, str(t.dtype).split(".")[-1], t.requires_grad) for t in fused]
                     + [_np(t) for t in fused])
    assert kinds[1][:4] == kinds[0][:4]
    for got, want in zip(kinds[1][4:], kinds[0][4:]):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    _same_errors({
        "conv training": lambda L: L.nn.utils.fuse_conv_bn_eval(L.nn.Conv2d(2, 3, 1), L.nn.BatchNorm2d(3)),
        "linear training": lambda L: L.nn.utils.fuse_linear_bn_eval(L.nn.Linear(2, 3).eval(),
                                                                    L.nn.BatchNorm1d(3)),
        "features": lambda L: L.nn.utils.fuse_linear_bn_eval(L.nn.Linear(2, 3).eval(),
                                                             L.nn.BatchNorm1d(4).eval()),
    })


# -- SyncBatchNorm ---------------------------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
def test_sync_batch_norm_is_batch_norm_in_one_process(device):
    theirs = torch.nn.SyncBatchNorm(3, momentum=None)
    ours = _copy_state(theirs, pyfront.nn.SyncBatchNorm(3, momentum=None), device)
    assert repr(ours) == repr(theirs) and list(ours.state_dict()) == list(theirs.state_dict())
    x = RNG.standard_normal((4, 3, 5)).astype(np.float32)
    outs = []
    for L, m, dev in ((torch, theirs, "cpu"), (pyfront, ours, device)):
        inp = L.tensor(x, device=dev, requires_grad=True)
        y = m(inp)
        m(inp * 2)
        (y * L.tensor(np.cos(np.arange(60)).reshape(4, 3, 5), dtype=L.float32, device=dev)).sum().backward()
        outs.append([y, inp.grad, m.weight.grad, m.running_mean, m.running_var, m.eval()(inp)])
        assert int(m.num_batches_tracked) == 2
    for got, want in zip(outs[1], outs[0]):
        _close(got, want)


def test_convert_sync_batchnorm_and_errors():
    results = []
    for L in (torch, pyfront):
        net = L.nn.Sequential(L.nn.Conv2d(1, 3, 3), L.nn.BatchNorm2d(3),
                              L.nn.Sequential(L.nn.BatchNorm1d(4, affine=False).eval(),
                                              L.nn.InstanceNorm1d(4)))
        net[1].running_mean.add_(1)
        weight = net[1].weight
        sync = L.nn.SyncBatchNorm.convert_sync_batchnorm(net, process_group="group")
        assert sync[1].weight is weight and sync[1].process_group == "group"
        results.append((repr(sync), [type(m).__name__ for m in sync.modules()], list(sync.state_dict()),
                        _np(sync[1].running_mean).tolist(), sync[2][0].training))
        assert isinstance(L.nn.SyncBatchNorm.convert_sync_batchnorm(L.nn.BatchNorm3d(2)), L.nn.SyncBatchNorm)
    assert results[1] == results[0]
    _same_errors({
        "1-d": lambda L: L.nn.SyncBatchNorm(3)(L.randn(3)),
        "no channels": lambda L: L.nn.SyncBatchNorm(0)(L.randn(2, 0, 3)),
        "one value": lambda L: L.nn.SyncBatchNorm(3)(L.randn(1, 3)),
    })


# -- the small ones: Container, factory_kwargs, skip_init, clip_grads_with_norm_, convert_conv*d_weight_*
def test_small_nn_names_match_torch():
    for L in (torch, pyfront):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            box = L.nn.Container(a=L.nn.ReLU(), b=L.nn.Linear(2, 3))
        assert [(w.category, str(w.message)) for w in caught] == [
            (FutureWarning, "`nn.Container` is deprecated. All of its functionality is now implemented in "
                            "`nn.Module`. Subclass that instead.")]
        assert [n for n, _ in box.named_children()] == ["a", "b"] and list(box.state_dict()) == ["b.weight",
                                                                                                   "b.bias"]
        assert L.nn.factory_kwargs({"device": "cpu", "factory_kwargs": {"dtype": L.float64}}) == {
            "dtype": L.float64, "device": "cpu"}
        assert L.nn.factory_kwargs(None) == {}
        made = L.nn.utils.skip_init(L.nn.Linear, 3, 4, bias=False)
        assert tuple(made.weight.shape) == (4, 3) and made.bias is None and str(made.weight.device) == "cpu"
        net = L.nn.Sequential(L.nn.Conv2d(2, 3, 3), L.nn.Sequential(L.nn.ConvTranspose3d(1, 1, 1)))
        before = [p for p in net.parameters()]
        values = [_np(p).copy() for p in before]
        assert L.nn.utils.convert_conv2d_weight_memory_format(net, L.channels_last) is net
        assert L.nn.utils.convert_conv3d_weight_memory_format(net, L.channels_last_3d) is net
        assert all(a is b for a, b in zip(net.parameters(), before))
        assert all(np.array_equal(_np(p), v) for p, v in zip(net.parameters(), values))
    grads = []
    for L in (torch, pyfront):
        params = [L.nn.Parameter(L.zeros(3)), L.nn.Parameter(L.zeros(2)), L.nn.Parameter(L.zeros(1))]
        params[0].grad, params[1].grad = L.tensor([3.0, 0.0, 4.0]), L.tensor([1.0, 2.0])
        L.nn.utils.clip_grads_with_norm_(params, 2.0, L.tensor(10.0))
        grads.append([_np(p.grad) for p in params[:2]] + [params[2].grad])
    for got, want in zip(grads[1][:2], grads[0][:2]):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    assert grads[1][2] is None and grads[0][2] is None
    _same_errors({
        "skip_init not a module": lambda L: L.nn.utils.skip_init(int),
        "skip_init no device": lambda L: L.nn.utils.skip_init(L.nn.ReLU),
        "factory unknown": lambda L: L.nn.factory_kwargs({"foo": 1}),
        "factory twice": lambda L: L.nn.factory_kwargs({"dtype": 1, "factory_kwargs": {"dtype": 2}}),
    })


# -- F.conv_tbc ------------------------------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("steps,kernel,pad", [(7, 3, 1), (7, 3, -1), (2, 3, 0), (5, 1, 2)])
def test_conv_tbc_matches_torch(device, steps, kernel, pad):
    arrays = [RNG.standard_normal(s).astype(np.float32) for s in ((steps, 2, 3), (kernel, 3, 4), (4,))]
    outs = []
    for L, dev in ((torch, "cpu"), (pyfront, device)):
        leaves = [L.tensor(a, device=dev, requires_grad=True) for a in arrays]
        y = L.nn.functional.conv_tbc(*leaves, pad)
        weight = L.tensor(np.cos(np.arange(y.numel())).reshape(tuple(y.shape)), dtype=L.float32, device=dev)
        outs.append([y] + list(L.autograd.grad((y * weight).sum(), leaves)))
    assert tuple(outs[1][0].shape) == tuple(outs[0][0].shape)
    for got, want in zip(outs[1], outs[0]):
        _close(got, want)


def test_conv_tbc_and_assert_int_or_pair_errors():
    def tbc(L, x=(7, 2, 3), w=(3, 3, 4), b=(4,)):
        return L.nn.functional.conv_tbc(L.randn(*x), L.randn(*w), L.randn(*b))
    _same_errors({
        "input rank": lambda L: tbc(L, x=(7, 3)),
        "weight rank": lambda L: tbc(L, w=(3, 4)),
        "bias rank": lambda L: tbc(L, b=(1, 4)),
        "channels": lambda L: tbc(L, w=(3, 2, 4)),
        "bias size": lambda L: tbc(L, b=(5,)),
        "too short": lambda L: tbc(L, x=(1, 2, 3)),
        "pair": lambda L: L.nn.functional.assert_int_or_pair([1, 2, 3], "size", "{} must be an int or pair"),
    })
    assert pyfront.nn.functional.assert_int_or_pair((1, 2), "size", "{}") is None
