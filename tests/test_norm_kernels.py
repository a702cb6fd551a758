"""The cpu's one-op moment reductions and norm layers (ops/primitives/moments.py) give the composite's bits.

Where no graph is recorded, var/std/var_mean/std_mean, layer_norm, group_norm, batch_norm, instance_norm,
rms_norm and F.normalize run as one NumPy rule each; the composite (the GPU's, and autograd's) is the
reference: every value (NaN, inf, signed zeros), dtype, shape, stride, running statistic and version must
be the same, for each dtype, edge values, empty and one-element reductions, corrections and layouts."""
import warnings

import numpy as np
import pytest
import torch

import pyfront
from pyfront.ops.primitives import moments

F = pyfront.nn.functional
DTYPES = ["float32", "float64", "float16", "bfloat16"]
KERNELS = [moments._moment_op, moments._layer_norm_op, moments._group_norm_op, moments._batch_norm_op,
           moments._rms_norm_op, moments._normalize_op]


def _inputs(dtype):
    g = np.random.default_rng(0)
    x = g.standard_normal((4, 6, 5, 3))
    special = x.copy().reshape(-1)
    special[[0, 7, 20, 33]] = [np.nan, np.inf, -np.inf, 3e38 if dtype != "float16" else 6e4]
    wide = g.standard_normal((4, 6, 3, 10))
    return {
        "plain": pyfront.tensor(x, dtype=getattr(pyfront, dtype)),
        "special": pyfront.tensor(special.reshape(x.shape), dtype=getattr(pyfront, dtype)),
        "constant": pyfront.full((4, 6, 5, 3), 0.1, dtype=getattr(pyfront, dtype)),
        "strided": pyfront.tensor(wide, dtype=getattr(pyfront, dtype))[..., ::2].transpose(2, 3),
        "channels_last": pyfront.tensor(x, dtype=getattr(pyfront, dtype)).contiguous(
            memory_format=pyfront.channels_last),
        "empty": pyfront.zeros((0, 6, 5, 3), dtype=getattr(pyfront, dtype)),
    }


def _params(x, n):
    g = pyfront.Generator().manual_seed(1)
    return [pyfront.randn(n, generator=g).to(x.dtype) for _ in range(2)]


def _batch_norm(x, training):
    w, b = _params(x, 6)
    rm, rv = pyfront.zeros(6, dtype=x.dtype), pyfront.ones(6, dtype=x.dtype)
    out = F.batch_norm(x, rm, rv, w, b, training, 0.3, 1e-4)
    return out, rm, rv, rm._version, rv._version


def _instance_norm(x):
    w, b = _params(x, 6)
    rm, rv = pyfront.zeros(6, dtype=x.dtype), pyfront.ones(6, dtype=x.dtype)
    return F.instance_norm(x, rm, rv, w, b, True, 0.2), rm, rv, rm._version, rv._version


CALLS = {
    "var": lambda x: (x.var(1), x.var((0, 3), keepdim=True), x.var(), x.var(1, correction=0),
                      x.var(1, correction=6), x.var(-1, correction=9)),
    "std": lambda x: (x.std(1), x.std((0, 3), keepdim=True), x.std(), x.std(2, unbiased=False)),
    "var_mean": lambda x: pyfront.var_mean(x, (1, 2)) + pyfront.var_mean(x, 0, keepdim=True),
    "std_mean": lambda x: pyfront.std_mean(x, (1, 2)) + pyfront.std_mean(x, 0, correction=0),
    "layer_norm": lambda x: (F.layer_norm(x, (5, 3)), F.layer_norm(x, (3,), *_params(x, 3), eps=1e-2)),
    "group_norm": lambda x: (F.group_norm(x, 3, *_params(x, 6)), F.group_norm(x, 1)),
    "batch_norm": lambda x: _batch_norm(x, True) + _batch_norm(x, False),
    "instance_norm": lambda x: _instance_norm(x) + (F.instance_norm(x),),
    "rms_norm": lambda x: (F.rms_norm(x, (5, 3)), F.rms_norm(x, (3,), _params(x, 3)[0], 1e-3)),
    "normalize": lambda x: (F.normalize(x), F.normalize(x, 1, -1), F.normalize(x, 3.5, 0, 1e-3),
                            F.normalize(x, float("inf"), 2)),
}


def _seen(out):
    """Every observable of ``out``: bits, dtype, shape and strides of each tensor; other values as they are."""
    if not isinstance(out, pyfront.Tensor):
        return out
    wide = out.float() if out.dtype in (pyfront.float16, pyfront.bfloat16) else out
    return (str(out.dtype), tuple(out.shape), out.stride(), wide.contiguous().numpy().tobytes())


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(CALLS))
def test_one_op_gives_the_composites_bits(name, dtype, monkeypatch):
    counts = {op.name: 0 for op in KERNELS}

    def counted(op, rule):
        def run(*args, **kwargs):
            counts[op.name] += 1
            return rule(*args, **kwargs)
        return run

    for op in KERNELS:
        monkeypatch.setattr(op, "numpy", counted(op, op.numpy))
    for kind, x in _inputs(dtype).items():
        if name in ("batch_norm", "instance_norm") and kind == "empty":
            continue
        with pyfront.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (an empty reduction's degrees of freedom: both paths warn)
            fast = [_seen(o) for o in CALLS[name](x)]
            with monkeypatch.context() as m:
                m.setattr(moments, "one_kernel", lambda *args, **kwargs: False)
                composite = [_seen(o) for o in CALLS[name](x)]
        assert fast == composite, (name, dtype, kind)
    half_batch = name in ("batch_norm", "instance_norm", "normalize") and dtype in ("float16", "bfloat16")
    assert (sum(counts.values()) == 0) == half_batch, counts  # (16-bit ones keep their own steps)


def test_a_graph_a_tangent_or_webgpu_takes_the_composite():
    x = pyfront.randn(3, 4, requires_grad=True)
    assert not moments.one_kernel(x)
    assert moments.one_kernel(x.detach())
    with pyfront.no_grad():
        assert moments.one_kernel(x)
    w = pyfront.randn(4, requires_grad=True)
    assert not moments.one_kernel(x.detach(), w)
    assert F.layer_norm(x, (4,), w).grad_fn.name() == "NativeLayerNormBackward0"
    assert not moments.one_kernel(pyfront.arange(3))


def test_values_are_torchs():
    g = np.random.default_rng(3)
    x = g.standard_normal((8, 6, 7)).astype(np.float32)
    w, b = g.standard_normal(6).astype(np.float32), g.standard_normal(6).astype(np.float32)
    for lib in (torch, pyfront):
        t = lib.tensor(x)
        rm, rv = lib.zeros(6), lib.ones(6)
        out = [t.var(1), lib.std_mean(t, (0, 2)), lib.nn.functional.layer_norm(t, (7,)),
               lib.nn.functional.batch_norm(t, rm, rv, lib.tensor(w), lib.tensor(b), True), rm, rv,
               lib.nn.functional.group_norm(t, 2), lib.nn.functional.rms_norm(t, (6, 7)),
               lib.nn.functional.normalize(t, dim=2), lib.nn.functional.instance_norm(t)]
        flat = [o for item in out for o in (item if isinstance(item, tuple) else (item,))]
        if lib is torch:
            expected = [o.numpy() for o in flat]
        else:
            for got, want in zip(flat, expected):
                np.testing.assert_allclose(got.numpy(), want, rtol=1.3e-6, atol=1e-5)


def _outcome(call):
    try:
        out = call()
    except Exception as e:  # noqa: BLE001 (the outcome compared)
        return type(e).__name__, str(e)
    return [_seen(o) for o in (out if isinstance(out, tuple) else (out,))]


ODD_NUMBERS = {
    "group_norm eps": lambda x, v: F.group_norm(x, 3, eps=v),
    "layer_norm eps": lambda x, v: F.layer_norm(x, (3,), eps=v),
    "rms_norm eps": lambda x, v: F.rms_norm(x, (3,), eps=v),
    "batch_norm eps": lambda x, v: F.batch_norm(x, None, None, training=True, eps=v),
    "instance_norm momentum": lambda x, v: F.instance_norm(x, pyfront.zeros(6), pyfront.ones(6), momentum=v),
    "normalize eps": lambda x, v: F.normalize(x, eps=v),
    "var correction": lambda x, v: x.var(1, correction=v),
}


@pytest.mark.parametrize("name", sorted(ODD_NUMBERS))
def test_an_odd_number_argument_meets_the_composites_outcome(name, monkeypatch):
    """eps, momentum or a correction that is no plain number (None, a str, a 0-d tensor, a NumPy float) is
    refused or taken as the composite's steps do: the one op takes plain ints and floats only."""
    x = _inputs("float32")["plain"]
    for value in (None, "a", pyfront.tensor(0.5), np.float64(0.5), True):
        fast = _outcome(lambda: ODD_NUMBERS[name](x, value))
        with monkeypatch.context() as m:
            m.setattr(moments, "one_kernel", lambda *args, **kwargs: False)
            composite = _outcome(lambda: ODD_NUMBERS[name](x, value))
        assert fast == composite, (name, value)


def test_remembered_argument_types_still_refuse_bad_values():
    """argcheck keeps the argument types that fit (var's one-int dim, an F function's): a later call of
    those types with a value torch's parser refuses is still refused in its words."""
    for lib in (torch, pyfront):
        x = lib.randn(3, 4)
        lib.var(x, 1)
        lib.nn.functional.group_norm(x, 2)
        lib.nn.functional.batch_norm(x, None, None, training=True)
        lib.nn.functional.layer_norm(x, (4,), eps=1e-3)
        lib.nn.functional.layer_norm(x, (4,))
    for call in (lambda lib, x: lib.var(x, 2 ** 70), lambda lib, x: lib.std_mean(x, -2 ** 63 - 1),
                 lambda lib, x: lib.nn.functional.batch_norm(x, None, None, training=True, momentum=None),
                 lambda lib, x: lib.nn.functional.layer_norm(x, (4,), eps=None),
                 lambda lib, x: lib.nn.functional.layer_norm(x, (2 ** 70,)),
                 lambda lib, x: lib.nn.functional.layer_norm(x, (-2 ** 63 - 1,)),
                 lambda lib, x: lib.nn.functional.layer_norm(x, (True,)),
                 lambda lib, x: lib.nn.functional.layer_norm(x, [4.0])):
        expected = _outcome(lambda: call(torch, torch.randn(3, 4)))
        got = _outcome(lambda: call(pyfront, pyfront.randn(3, 4)))
        assert got[0] == expected[0] and got[1].splitlines()[0] == expected[1].splitlines()[0]  # (torch's
        # overflow text goes on with a C++ backtrace)
