"""The torch-level functions scripts call that the op table cannot run (settings, factories, index
arithmetic, errors), and the torch-level aliases of functional ops, against real torch."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import pyfront
from optable import assert_same, assert_same_error
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def same_call(fn, *args, **kwargs):
    """``fn(torch, ...)`` and ``fn(pyfront, ...)``: equal results, or the same error type and text."""
    try:
        expected = fn(torch, *args, **kwargs)
    except Exception as e:  # noqa: BLE001  (pyfront must refuse it the same way)
        with pytest.raises(type(e)) as got:
            fn(pyfront, *args, **kwargs)
        assert_same_error(got.value, e)
        return None
    got = fn(pyfront, *args, **kwargs)
    if isinstance(expected, (torch.Tensor, tuple, list)) and not isinstance(expected, torch.Size):
        assert_same(got, expected)
    else:
        assert got == expected
    return got


# -- process settings ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["set_num_threads"])  # (the inter-op count, once: test_thread_counts.py)
def test_thread_counts_are_recorded_and_checked(name):
    get = getattr(pyfront, name.replace("set_", "get_"))
    before = get()
    assert isinstance(before, int) and before >= 1
    try:
        getattr(pyfront, name)(3)
        assert get() == 3
    finally:
        getattr(pyfront, name)(before)
    for bad in (0, -2, 1.5):
        same_call(lambda m, b: getattr(m, name)(b), bad)


def test_set_flush_denormal():
    assert pyfront.set_flush_denormal(True) in (True, False)
    assert pyfront.set_flush_denormal(False) in (True, False)
    same_call(lambda m: m.set_flush_denormal(1))


@pytest.mark.parametrize("t", ["torch.DoubleTensor", "DoubleTensor", "torch.HalfTensor", "torch.IntTensor",
                               "torch.cuda.FloatTensor", "torch.Foo", 3, "float32"])
def test_set_default_tensor_type(t):
    def call(m):
        arg = getattr(m, t) if t in ("DoubleTensor", "float32") else t
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                m.set_default_tensor_type(arg)
            return m.get_default_dtype(), m.tensor([1.0]).dtype
        finally:
            m.set_default_dtype(m.float32)
    expected = None
    try:
        expected = call(torch)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(type(e)) as got:
            call(pyfront)
        assert_same_error(got.value, e)
    if expected is not None:
        assert [str(d) for d in call(pyfront)] == [str(d) for d in expected]


def test_set_default_tensor_type_warns_deprecation():
    with pytest.warns(UserWarning, match=r"set_default_tensor_type\(\) is deprecated as of PyTorch 2.1"):
        pyfront._warnings._WARNED_ONCE.discard(next(m for m in pyfront._warnings._WARNED_ONCE
                                                    if "set_default_tensor_type" in m)
                                               if any("set_default_tensor_type" in m
                                                      for m in pyfront._warnings._WARNED_ONCE) else "")
        pyfront.set_default_tensor_type(pyfront.FloatTensor)


@pytest.mark.parametrize("device", DEVICES)
def test_object_queries(device):
    x = pyfront.zeros(2, 3, device=device)
    assert pyfront.get_device(x) == x.get_device() == (-1 if device == "cpu" else 0)
    assert pyfront.is_same_size(x, pyfront.ones(2, 3)) and not x.is_same_size(pyfront.ones(3, 2))
    assert pyfront.is_storage(x.untyped_storage()) and not pyfront.is_storage(x)
    for dtype in ("uint8", "int8", "float32", "bool"):
        assert pyfront.is_signed(pyfront.zeros(1, dtype=getattr(pyfront, dtype))) == \
            torch.is_signed(torch.zeros(1, dtype=getattr(torch, dtype)))
    assert pyfront.typename(x) == torch.typename(torch.zeros(2, 3))
    assert pyfront.typename(3) == torch.typename(3)
    # a class or a function names itself, not its type (the old code said "type", "function"); an
    # instance names its class; the torch/pyfront prefix is each library's own
    class Local:
        pass
    for ours, theirs in [(pyfront.nn.Linear, torch.nn.Linear),
                         (pyfront.nn.Linear(2, 2), torch.nn.Linear(2, 2)),
                         (Local, Local), (Local(), Local()), (len, len), (int, int), (None, None), ([1], [1]),
                         (test_broadcast_shapes, test_broadcast_shapes)]:
        assert pyfront.typename(ours).replace("pyfront", "torch") == torch.typename(theirs)


# -- shapes and indices -------------------------------------------------------------------------
# (a mismatch names the dim and shape torch's walk stops at: each shape from its last dim, in order)
@pytest.mark.parametrize("shapes", [((2, 1), (3,)), (2, (3, 1)), (), ((2, 3), (4,)), ((2, -1),),
                                    ((0, 1), (1, 5)), ((1,), (3, 1), [2, 1, 1]), ((3, 4), (2, 2)),
                                    ((2, 2), (3, 4)), ((3,), (-1,)), (5, (2, 3)), ([2, 3], (4, 3)),
                                    (None, (2,))])
def test_broadcast_shapes(shapes):
    got = same_call(lambda m: m.broadcast_shapes(*shapes))
    if got is not None:
        assert isinstance(got, pyfront.Size)


@pytest.mark.parametrize("indices,shape", [([0, 5, 11], (3, 4)), ([-1, 7], (2, 3)),
                                           ([[3, 2], [0, 1]], (2, 2)), (4, 5), ([1.0], (2, 3)),
                                           ([1], (2, -3)), ([5], ())])
def test_unravel_index(indices, shape):
    same_call(lambda m: m.unravel_index(m.tensor(indices), shape))


@pytest.mark.parametrize("args", [(3, 3), (4, 3, 1), (3, 5, -1), (0, 3), (3, 4, 10), (2, 2, -5)])
@pytest.mark.parametrize("name", ["tril_indices", "triu_indices"])
def test_triangle_indices(name, args):
    same_call(lambda m: getattr(m, name)(*args))
    same_call(lambda m: getattr(m, name)(*args, dtype=m.int32))
    same_call(lambda m: getattr(m, name)(*args, dtype=m.float32))


@pytest.mark.parametrize("name,shape,arg", [
    ("hsplit", (4, 6), 3), ("hsplit", (6,), [1, 4]), ("hsplit", (), 2), ("hsplit", (4, 4), 3),
    ("vsplit", (4, 3), 2), ("vsplit", (4,), 2), ("vsplit", (4, 3), 3), ("dsplit", (2, 2, 4), [1]),
    ("dsplit", (4, 4), 2), ("tensor_split", (7,), "tensor"), ("tensor_split", (7,), "0d"),
    ("tensor_split", (7,), "float")])
def test_named_splits(name, shape, arg):
    def call(m):
        x = m.arange(float(np.prod(shape, dtype=int))).reshape(shape)
        a = {"tensor": m.tensor([2, 5]), "0d": m.tensor(3), "float": m.tensor([1.0])}.get(arg, arg)
        return getattr(m, name)(x, a), getattr(x, name)(a)
    same_call(call)


# -- functions whose gradient torch itself cannot take, or that tie -----------------------------
def test_vander_gradient_is_the_power_rule():
    """torch.vander's backward fails (its cumprod reads a slice it wrote); d x^k / dx = k x^(k-1)."""
    x = pyfront.tensor([0.5, -1.5, 2.0], requires_grad=True)
    pyfront.vander(x, 4).sum().backward()
    xt = torch.tensor([0.5, -1.5, 2.0])
    assert_same(x.grad, 1 + 2 * xt + 3 * xt ** 2)


@pytest.mark.parametrize("values", [[1.0, 2.0, 2.0, 3.0], [float("nan"), 1.0, 1.0, float("nan")],
                                    [float("nan")] * 3, [2.0, float("nan"), 2.0, 2.0, 5.0]])
def test_nanmedian_shares_the_gradient_among_ties(values):
    grads = []
    for m in (torch, pyfront):
        x = m.tensor(values, requires_grad=True)
        out = m.nanmedian(x)
        out.backward()
        grads.append((out, x.grad))
    assert_same(grads[1][0], grads[0][0])
    assert_same(grads[1][1], grads[0][1])


# -- factories ----------------------------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name,extra", [("hann_window", ()), ("hamming_window", ()),
                                        ("hamming_window", (0.5, 0.3)), ("blackman_window", ()),
                                        ("bartlett_window", ()), ("kaiser_window", ()),
                                        ("kaiser_window", (5.0,))])
def test_windows(device, name, extra):
    for n in (0, 1, 2, 5, 16, 33):
        for periodic in (True, False):
            expected = getattr(torch, name)(n, periodic, *extra)
            got = getattr(pyfront, name)(n, periodic, *extra, device=device)
            assert_same(got, expected, atol=1e-6, rtol=1e-5)
    if device == "cpu":
        assert_same(getattr(pyfront, name)(7, dtype=pyfront.float64),
                    getattr(torch, name)(7, dtype=torch.float64))
        assert getattr(pyfront, name)(4, requires_grad=True).requires_grad
        same_call(lambda m: getattr(m, name)(3, dtype=m.int64))
        same_call(lambda m: getattr(m, name)(-1))


def test_frombuffer_shares_memory_and_checks_sizes():
    buf = bytearray(8)
    x = pyfront.frombuffer(buf, dtype=pyfront.int16)
    buf[0] = 1
    assert x.tolist() == [1, 0, 0, 0]
    x[1] = 7
    assert buf[2] == 7
    assert_same(pyfront.frombuffer(bytearray(b"abcdefgh"), dtype=pyfront.int16, count=2, offset=2),
                torch.frombuffer(bytearray(b"abcdefgh"), dtype=torch.int16, count=2, offset=2))
    for kwargs in (dict(buf=3), dict(buf=4, offset=5), dict(buf=4, count=3), dict(buf=0),
                   dict(buf=4, count=0)):
        n = kwargs.pop("buf")
        same_call(lambda m, n, kw: m.frombuffer(bytearray(n), dtype=m.int16, **kw), n, kwargs)


def test_asarray():
    t = pyfront.zeros(3)
    assert pyfront.asarray(t) is t
    assert pyfront.asarray(t, dtype=pyfront.float64).dtype is pyfront.float64
    assert pyfront.asarray(t, copy=True) is not t
    same_call(lambda m: m.asarray(m.zeros(3), dtype=m.float64, copy=False))
    a = np.zeros(3, np.float32)
    x = pyfront.asarray(a)
    a[0] = 5
    assert x.tolist() == [5.0, 0.0, 0.0]
    same_call(lambda m: m.asarray([[1, 2], [3, 4]]))
    same_call(lambda m: m.asarray([1.5, 2], dtype=m.float64))
    same_call(lambda m: m.asarray(bytearray(b"abcd"), dtype=m.int32))
    assert pyfront.asarray([1.0], requires_grad=True).requires_grad


def test_empty_strided():
    x = pyfront.empty_strided((2, 3), (1, 2))
    assert x.shape == (2, 3) and x.stride() == (1, 2) and not x.is_contiguous()
    assert pyfront.empty_strided((2, 0), (1, 2)).numel() == 0
    assert pyfront.empty_strided((2, 3), (3, 1), requires_grad=True).requires_grad
    same_call(lambda m: m.empty_strided((2, 3), (1,)))


def test_rrelu_training_draws_slopes_in_range():
    x = -pyfront.ones(2000)
    y = pyfront.rrelu(x, 0.1, 0.3, True)
    slopes = (y / x).numpy()
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and slopes.std() > 0.03
    assert pyfront.rrelu(pyfront.ones(3), 0.1, 0.3, True).tolist() == [1.0, 1.0, 1.0]


def test_aliases_and_methods():
    x = pyfront.arange(6.0).reshape(2, 3)
    xt = torch.arange(6.0).reshape(2, 3)
    assert_same(pyfront.row_stack([x, x]), torch.row_stack([xt, xt]))
    assert_same(pyfront.adjoint(x), torch.adjoint(xt))
    assert_same(pyfront.trapz(x, dx=2.0), torch.trapz(xt, dx=2.0))
    assert_same(pyfront.trapz(x, pyfront.tensor([0.0, 1.0, 3.0])),
                torch.trapz(xt, torch.tensor([0.0, 1.0, 3.0])))
    m = pyfront.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert_same(pyfront.matrix_power(m, 3), torch.matrix_power(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), 3))
    assert_same(m.matrix_power(-1), torch.tensor([[1.0, 2.0], [3.0, 4.0]]).matrix_power(-1))
    for name in ("kron", "diff", "cov", "corrcoef", "quantile", "nanquantile", "nanmedian", "aminmax",
                 "logcumsumexp", "histogram", "renorm", "matrix_power", "diagflat", "ravel", "tensor_split",
                 "hsplit", "vsplit", "dsplit", "renorm_"):
        assert hasattr(pyfront.Tensor, name), name
    y = x.clone()
    assert y.renorm_(2, 0, 1.0) is y
    assert_same(y, xt.clone().renorm_(2, 0, 1.0))


# -- torch-level aliases of functional ops (pyfront/functional_aliases.py) -----------------------
_MADE: dict = {}  # module name -> the tensors ``_r`` made for the running alias test


def _r(m, *shape, low=-2.0, high=2.0, seed=0, grad=True):
    """A seeded float tensor, the same values in torch and pyfront."""
    data = np.random.default_rng(seed + len(shape)).uniform(low, high, size=shape).astype(np.float32)
    t = m.tensor(data, requires_grad=grad)
    _MADE.setdefault(m.__name__, []).append(t)
    return t


def _i(m, values):
    return m.tensor(values)


# name -> the call, given the module (torch or pyfront); every positional argument as ATen takes it
ALIASES = {
    "conv1d": lambda m: m.conv1d(_r(m, 2, 3, 7), _r(m, 4, 3, 3, seed=1), _r(m, 4, seed=2), 2, 1),
    "conv2d": lambda m: m.conv2d(_r(m, 1, 2, 5, 5), _r(m, 3, 2, 3, 3, seed=1), None, 1, 1, 1, 1),
    "conv_transpose1d": lambda m: m.conv_transpose1d(_r(m, 1, 2, 5), _r(m, 2, 3, 3, seed=1), None, 2, 1, 1),
    "conv_transpose2d": lambda m: m.conv_transpose2d(_r(m, 1, 2, 4, 4), _r(m, 2, 3, 3, 3, seed=1)),
    "bilinear": lambda m: m.bilinear(_r(m, 4, 3), _r(m, 4, 2, seed=1), _r(m, 5, 3, 2, seed=2),
                                     _r(m, 5, seed=3)),
    "pixel_shuffle": lambda m: m.pixel_shuffle(_r(m, 1, 8, 2, 3), 2),
    "pixel_unshuffle": lambda m: m.pixel_unshuffle(_r(m, 1, 2, 4, 6), 2),
    "cosine_similarity": lambda m: m.cosine_similarity(_r(m, 4, 5), _r(m, 4, 5, seed=1), 1, 1e-8),
    "pairwise_distance": lambda m: m.pairwise_distance(_r(m, 4, 5), _r(m, 4, 5, seed=1), 3.0, 1e-6, True),
    "prelu": lambda m: m.prelu(_r(m, 2, 3, 4), _r(m, 3, seed=1)),
    "hardshrink": lambda m: m.hardshrink(_r(m, 3, 4), 0.7),
    "avg_pool1d": lambda m: m.avg_pool1d(_r(m, 1, 2, 9), 3, 2, 1, True, False),
    "adaptive_avg_pool1d": lambda m: m.adaptive_avg_pool1d(_r(m, 1, 2, 9), 4),
    "rms_norm": lambda m: m.rms_norm(_r(m, 2, 3, 4), [4], _r(m, 4, seed=1), 1e-5),
    "dropout": lambda m: m.dropout(_r(m, 3, 4), 0.5, False),
    "dropout p=0": lambda m: m.dropout(_r(m, 3, 4), 0.0, True),
    "alpha_dropout": lambda m: m.alpha_dropout(_r(m, 3, 4), 0.5, False),
    "feature_alpha_dropout": lambda m: m.feature_alpha_dropout(_r(m, 2, 3, 4), 0.5, False),
    "dropout_": lambda m: m.dropout_(_r(m, 3, 4, grad=False), 0.0, True),
    "alpha_dropout_": lambda m: m.alpha_dropout_(_r(m, 3, 4, grad=False), 0.3, False),
    "feature_alpha_dropout_": lambda m: m.feature_alpha_dropout_(_r(m, 2, 3, 4, grad=False), 0.3, False),
    "selu": lambda m: m.selu(_r(m, 3, 4)),
    "selu_": lambda m: m.selu_(_r(m, 3, 4, grad=False)),
    "celu": lambda m: m.celu(_r(m, 3, 4), 0.7),
    "celu_": lambda m: m.celu_(_r(m, 3, 4, grad=False), 0.7),
    "threshold": lambda m: m.threshold(_r(m, 3, 4), 0.1, 20.0),
    "threshold_": lambda m: m.threshold_(_r(m, 3, 4, grad=False), 0.1, 20.0),
    "layer_norm": lambda m: m.layer_norm(_r(m, 2, 3, 4), [3, 4], _r(m, 3, 4, seed=1), _r(m, 3, 4, seed=2),
                                         1e-5, True),
    "group_norm": lambda m: m.group_norm(_r(m, 2, 4, 3), 2, _r(m, 4, seed=1), _r(m, 4, seed=2), 1e-5, True),
    "batch_norm": lambda m: m.batch_norm(_r(m, 4, 3, 2), _r(m, 3, seed=1), _r(m, 3, seed=2),
                                         m.zeros(3), m.ones(3), True, 0.1, 1e-5, True),
    "batch_norm eval": lambda m: m.batch_norm(_r(m, 4, 3), None, None, _r(m, 3, seed=1, grad=False),
                                              _r(m, 3, seed=2, low=0.5, grad=False), False, 0.1, 1e-5, False),
    "instance_norm": lambda m: m.instance_norm(_r(m, 2, 3, 5), _r(m, 3, seed=1), _r(m, 3, seed=2), None,
                                               None, True, 0.1, 1e-5, True),
    "embedding": lambda m: m.embedding(_r(m, 5, 3), _i(m, [[0, 4], [2, 2]])),
    "embedding padding": lambda m: m.embedding(_r(m, 5, 3), _i(m, [0, 4, 2, 2]), 2),
    "max_pool1d": lambda m: m.max_pool1d(_r(m, 1, 2, 9), 3),
    "max_pool1d stride": lambda m: m.max_pool1d(_r(m, 1, 2, 9), 3, 1, 1, 1, True),
    "max_pool1d_with_indices": lambda m: m.max_pool1d_with_indices(_r(m, 1, 2, 9), 2),
    "max_pool2d": lambda m: m.max_pool2d(_r(m, 1, 2, 6, 6), 2),
    "max_pool2d stride": lambda m: m.max_pool2d(_r(m, 1, 2, 6, 6), 3, 2, 1),
    "adaptive_max_pool1d": lambda m: m.adaptive_max_pool1d(_r(m, 1, 2, 9), 4),
    "constant_pad_nd": lambda m: m.constant_pad_nd(_r(m, 2, 3), [1, 2, 0, 1], 1.5),
    "kl_div": lambda m: m.kl_div(_r(m, 3, 4), _r(m, 3, 4, seed=1, low=0.1, high=1)),
    "kl_div sum log_target": lambda m: m.kl_div(_r(m, 3, 4), _r(m, 3, 4, seed=1), 2, log_target=True),
    "kl_div mean": lambda m: m.kl_div(_r(m, 3, 4), _r(m, 3, 4, seed=1, low=0.1, high=1), 1),
    "margin_ranking_loss default": lambda m: m.margin_ranking_loss(_r(m, 5), _r(m, 5, seed=1),
                                                                   m.tensor([1.0, -1, 1, -1, 1])),
    "hinge_embedding_loss mean": lambda m: m.hinge_embedding_loss(_r(m, 5), m.tensor([1.0, -1, 1, -1, 1]),
                                                                  1.0, 1),
    "triplet_margin_loss default": lambda m: m.triplet_margin_loss(_r(m, 3, 4), _r(m, 3, 4, seed=1),
                                                                   _r(m, 3, 4, seed=2)),
    "binary_cross_entropy_with_logits default": lambda m: m.binary_cross_entropy_with_logits(
        _r(m, 3, 4), _r(m, 3, 4, seed=1, low=0, high=1)),
    "margin_ranking_loss": lambda m: m.margin_ranking_loss(_r(m, 5), _r(m, 5, seed=1),
                                                           m.tensor([1.0, -1, 1, -1, 1]), 0.2, 2),
    "hinge_embedding_loss": lambda m: m.hinge_embedding_loss(_r(m, 5), m.tensor([1.0, -1, 1, -1, 1]), 0.5, 0),
    "triplet_margin_loss": lambda m: m.triplet_margin_loss(_r(m, 3, 4), _r(m, 3, 4, seed=1),
                                                           _r(m, 3, 4, seed=2), 1.0, 2.0, 1e-6, True, 1),
    "poisson_nll_loss": lambda m: m.poisson_nll_loss(_r(m, 3, 4), _r(m, 3, 4, seed=1, low=0, high=3),
                                                     True, True, 1e-8, 1),
    "binary_cross_entropy_with_logits": lambda m: m.binary_cross_entropy_with_logits(
        _r(m, 3, 4), _r(m, 3, 4, seed=1, low=0, high=1), _r(m, 4, seed=2, grad=False),
        _r(m, 4, seed=3, low=0.5, grad=False), 2),
    "cosine_embedding_loss": lambda m: m.cosine_embedding_loss(_r(m, 4, 5), _r(m, 4, 5, seed=1),
                                                               m.tensor([1.0, -1, -1, 1]), 0.1),
    "cosine_embedding_loss mean": lambda m: m.cosine_embedding_loss(_r(m, 4, 5), _r(m, 4, 5, seed=1),
                                                                    m.tensor([1, -1, -1, 1]), 0.0, 1),
    "cosine_embedding_loss 1-D sum": lambda m: m.cosine_embedding_loss(_r(m, 5), _r(m, 5, seed=1),
                                                                       m.tensor(-1.0), -0.5, 2),
    "native_layer_norm": lambda m: m.native_layer_norm(_r(m, 2, 3, 4), [3, 4], _r(m, 3, 4, seed=1),
                                                       _r(m, 3, 4, seed=2), 1e-5),
    "native_layer_norm no affine": lambda m: m.native_layer_norm(_r(m, 3, 5), [5], None, None, 1e-3),
    "rrelu": lambda m: m.rrelu(_r(m, 3, 4), 0.1, 0.3, False),
    "rrelu_": lambda m: m.rrelu_(_r(m, 3, 4, grad=False)),
    "channel_shuffle": lambda m: m.channel_shuffle(_r(m, 2, 6, 2), 3),
    "channel_shuffle bad": lambda m: m.channel_shuffle(_r(m, 2, 6, 2), 4),
    "native_channel_shuffle": lambda m: m.native_channel_shuffle(_r(m, 1, 4, 3, 2), 2),
    "pdist": lambda m: m.pdist(_r(m, 5, 3)),
    "pdist p=1": lambda m: m.pdist(_r(m, 4, 3), 1.0),
    "pdist 1-D": lambda m: m.pdist(_r(m, 4)),
}


@pytest.mark.parametrize("key", ALIASES)
def test_torch_level_alias(key):
    """Values, and the gradient of every float input, against torch's own torch-level function."""
    fn = ALIASES[key]
    _MADE.clear()
    try:
        expected = fn(torch)
    except Exception as e:  # noqa: BLE001  (pyfront must refuse it the same way)
        with pytest.raises(type(e)) as got:
            fn(pyfront)
        assert_same_error(got.value, e)
        return
    got = fn(pyfront)
    assert_same(got, expected)
    outs = [(p, t) for p, t in zip(*(o if isinstance(o, tuple) else (o,) for o in (got, expected)))
            if t.requires_grad]
    t_leaves, p_leaves = _MADE.get("torch", []), _MADE.get("pyfront", [])
    if not outs or not any(t.requires_grad for t in t_leaves):
        return
    t_total = sum((t * (t.detach() * 0 + 0.7)).sum() for _, t in outs)
    p_total = sum((p * (p.detach() * 0 + 0.7)).sum() for p, _ in outs)
    p_leaves = [t for t in p_leaves if t.requires_grad]
    try:
        t_grads = torch.autograd.grad(t_total, [t for t in t_leaves if t.requires_grad], allow_unused=True)
    except RuntimeError as e:  # torch has no derivative: pyfront must say so
        with pytest.raises(RuntimeError) as got:
            pyfront.autograd.grad(p_total, p_leaves, allow_unused=True)
        assert_same_error(got.value, e)
        return
    p_grads = pyfront.autograd.grad(p_total, p_leaves, allow_unused=True)
    for pg, tg in zip(p_grads, t_grads):
        assert (pg is None) == (tg is None)
        if tg is not None:
            assert_same(pg, tg, rtol=1e-3, atol=1e-4)


@requires_webgpu
@pytest.mark.parametrize("view", [(36,), (4, 9), (2, 3, 6)])
def test_copy_of_a_reshaped_pending_product_on_webgpu(view):
    """A reshaped view of a still-pending fused result copied into a tensor of the view's shape (what
    ``kron(..., out=)`` does): the fused kernel computes over the chain's own shape, so it is not run
    straight into the destination (it wrote wrong values there once)."""
    a = np.random.default_rng(0).uniform(-1, 1, (6, 1)).astype(np.float32)
    b = np.random.default_rng(1).uniform(-1, 1, (1, 6)).astype(np.float32)
    product = pyfront.tensor(a, device="webgpu") * pyfront.tensor(b, device="webgpu")
    out = pyfront.zeros(view, device="webgpu")
    out.copy_(product.reshape(view))
    assert_same(out, torch.from_numpy(a * b).reshape(view))


@pytest.mark.parametrize("device", DEVICES)
def test_tensor_where_method_keeps_self_where_the_condition_holds(device):
    """``x.where(cond, y)`` is ``where(cond, x, y)`` (the method once took ``x`` as the condition)."""
    values = [1.0, -2.0, float("nan"), 0.5]
    x, xt = pyfront.tensor(values, device=device), torch.tensor(values)
    assert_same(x.where(x > 0, 0.0), xt.where(xt > 0, 0.0))
    assert_same(x.where(x < 1, pyfront.tensor([9.0, 8, 7, 6], device=device)),
                xt.where(xt < 1, torch.tensor([9.0, 8, 7, 6])))
