"""torch.distributions against torch 2.13: log_prob, entropy, moments and KL (values and gradients;
float64 on cpu, float32 on webgpu) with the same parameters, sample shapes and moments over many
samples, rsample gradients against the analytic ones, and validation errors (type and message)."""

import math
import warnings

import numpy as np
import pytest
import torch

import pyfront
from pyfront.distributions._gamma_sampler import standard_gamma_grad
from webgpu_required import requires_webgpu

RNG = np.random.default_rng(0)
POS = RNG.uniform(0.5, 3.0, (4, 3))  # positive parameters
POS2 = RNG.uniform(0.5, 3.0, (4, 3))
REAL = RNG.standard_normal((4, 3))
UNIT = RNG.uniform(0.1, 0.9, (4, 3))
SPD = np.array([[2.0, 0.5, 0.1], [0.5, 1.5, -0.3], [0.1, -0.3, 1.0]])
TRIL = np.linalg.cholesky(SPD)


def _p(lib, a, dtype, device):
    return lib.tensor(a, dtype=dtype, device=device, requires_grad=True)


# id: (make(lib, params) -> distribution, parameter arrays, a value in the support)
FAMILIES = {
    "Normal": (lambda D, p: D.Normal(p[0], p[1]), [REAL, POS], REAL * 2),
    "Uniform": (lambda D, p: D.Uniform(p[0], p[0] + p[1]), [REAL, POS], REAL + POS * UNIT),
    "Exponential": (lambda D, p: D.Exponential(p[0]), [POS], POS2),
    "Uniform-unit": (lambda D, p: D.Uniform(p[0] * 0.4, 0.6 + p[0] * 0.4), [UNIT], UNIT * 0.4 + 0.3),
    "Uniform-positive": (lambda D, p: D.Uniform(p[0], p[0] + p[1]), [POS, POS2], POS + POS2 * UNIT),
    "Laplace": (lambda D, p: D.Laplace(p[0], p[1]), [REAL, POS], REAL * 2),
    "Gamma": (lambda D, p: D.Gamma(p[0], p[1]), [POS, POS2], POS2),
    "Beta": (lambda D, p: D.Beta(p[0], p[1]), [POS, POS2], UNIT),
    "Dirichlet": (lambda D, p: D.Dirichlet(p[0]), [POS], UNIT / UNIT.sum(-1, keepdims=True)),
    "Bernoulli-probs": (lambda D, p: D.Bernoulli(probs=p[0]), [UNIT], (UNIT > 0.5) * 1.0),
    "Bernoulli-logits": (lambda D, p: D.Bernoulli(logits=p[0]), [REAL], (REAL > 0) * 1.0),
    "Categorical-probs": (lambda D, p: D.Categorical(probs=p[0]), [POS], np.array([0, 2, 1, 2])),
    "Categorical-logits": (lambda D, p: D.Categorical(logits=p[0]), [REAL], np.array([[1], [0], [2]])),
    "OneHotCategorical": (lambda D, p: D.OneHotCategorical(logits=p[0]), [REAL], np.eye(3)[[0, 2, 1, 1]]),
    "MultivariateNormal-cov": (
        lambda D, p: D.MultivariateNormal(p[0], covariance_matrix=p[1]),
        [REAL, SPD],
        REAL,
    ),
    "MultivariateNormal-prec": (
        lambda D, p: D.MultivariateNormal(p[0], precision_matrix=p[1]),
        [REAL[0], SPD],
        REAL,
    ),
    "MultivariateNormal-tril": (
        lambda D, p: D.MultivariateNormal(p[0], scale_tril=p[1]),
        [REAL, TRIL],
        REAL[:1],
    ),
    "Independent-Normal": (lambda D, p: D.Independent(D.Normal(p[0], p[1]), 1), [REAL, POS], REAL),
    "Independent-Beta": (lambda D, p: D.Independent(D.Beta(p[0], p[1]), 2), [POS, POS2], UNIT),
}
NAN_MOMENTS = ("Categorical",)  # torch gives nan mean and variance


def _stats(lib, fid, dtype, device):
    make, params, value = FAMILIES[fid]
    ps = [_p(lib, a, dtype, device) for a in params]
    d = make(lib.distributions, ps)
    v = lib.tensor(value, dtype=lib.int64 if "Categorical-" in fid else dtype, device=device)
    out = {"log_prob": d.log_prob(v), "entropy": d.entropy()}
    if not fid.startswith(NAN_MOMENTS):
        out.update(mean=d.mean, variance=d.variance, stddev=d.stddev, mode=d.mode)
    loss = sum(o.sum() for o in out.values() if o.requires_grad and o.dtype.is_floating_point)
    grads = lib.autograd.grad(loss, ps, allow_unused=True)
    shapes = (tuple(d.batch_shape), tuple(d.event_shape))
    return (
        {k: o.detach().cpu().numpy() for k, o in out.items()},
        [g.cpu().numpy() for g in grads],
        shapes,
        repr(d),
    )


def _compare(fid, device, dtype, tol, grad_tol):
    want, want_grads, want_shapes, want_repr = _stats(torch, fid, torch.float64, "cpu")
    got, got_grads, got_shapes, got_repr = _stats(pyfront, fid, dtype, device)
    assert got_shapes == want_shapes and got_repr == want_repr
    for k in want:
        np.testing.assert_allclose(got[k], want[k], **tol, err_msg=k)
    for g, w in zip(got_grads, want_grads, strict=True):
        np.testing.assert_allclose(g, w, **grad_tol)


# torch's CPU trigamma (the derivative of digamma) is good to about 1e-8, so gradients through
# digamma are compared more loosely than values
@pytest.mark.parametrize("fid", list(FAMILIES))
def test_matches_torch_float64(fid):
    _compare(fid, "cpu", pyfront.float64, dict(rtol=1e-9, atol=1e-10), dict(rtol=1e-6, atol=1e-9))


@requires_webgpu
@pytest.mark.parametrize("fid", list(FAMILIES))
def test_matches_torch_webgpu(fid):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # MultivariateNormal's cholesky runs on the CPU, with a warning
        _compare(fid, "webgpu", pyfront.float32, dict(rtol=1e-4, atol=1e-4), dict(rtol=1e-3, atol=1e-4))


# -- KL divergence -----------------------------------------------------------------------------------------
KL_PAIRS = [
    ("Normal", "Normal"),
    ("Uniform", "Uniform"),
    ("Exponential", "Exponential"),
    ("Laplace", "Laplace"),
    ("Gamma", "Gamma"),
    ("Beta", "Beta"),
    ("Dirichlet", "Dirichlet"),
    ("Bernoulli-probs", "Bernoulli-logits"),
    ("Categorical-probs", "Categorical-logits"),
    ("OneHotCategorical", "OneHotCategorical"),
    ("MultivariateNormal-cov", "MultivariateNormal-tril"),
    ("Independent-Normal", "Independent-Normal"),
    ("Exponential", "Gamma"),
    ("Gamma", "Exponential"),
    ("Uniform", "Normal"),
    ("Normal", "Gamma"),
    ("Laplace", "Uniform"),
    ("Beta", "Exponential"),
    ("Beta", "Gamma"),
    ("Beta", "Normal"),
    ("Beta", "Uniform"),
    ("Exponential", "Normal"),
    ("Gamma", "Normal"),
    ("Laplace", "Normal"),
    ("Normal", "Laplace"),
    ("Uniform", "Beta"),
    ("Uniform", "Exponential"),
    ("Uniform", "Gamma"),
    ("Uniform-unit", "Beta"),
    ("Uniform-positive", "Exponential"),
    ("Uniform-positive", "Gamma"),
    ("Exponential", "Uniform"),
    ("Gamma", "Beta"),
    ("Laplace", "Exponential"),
]


def _kl(lib, pair, dtype, device):
    dists, params = [], []
    for k, fid in enumerate(pair):
        make, arrays, _ = FAMILIES[fid]
        # q's batch parameters are p's in reverse order, so the two differ
        ps = [_p(lib, a[::-1].copy() if k and a.shape == (4, 3) else a, dtype, device) for a in arrays]
        params += ps
        dists.append(make(lib.distributions, ps))
    kl = lib.distributions.kl_divergence(*dists)
    if not kl.requires_grad:  # an infinite divergence has no gradient
        return kl.detach().cpu().numpy(), [None] * len(params)
    grads = lib.autograd.grad(kl.sum(), params, allow_unused=True)
    return kl.detach().cpu().numpy(), [None if g is None else g.cpu().numpy() for g in grads]


@pytest.mark.parametrize("pair", KL_PAIRS, ids="-".join)
def test_kl_matches_torch(pair):
    want, want_grads = _kl(torch, pair, torch.float64, "cpu")
    got, got_grads = _kl(pyfront, pair, pyfront.float64, "cpu")
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-10)
    for g, w in zip(got_grads, want_grads, strict=True):
        if g is None and w is None:
            continue
        g, w = (np.zeros_like(w) if g is None else g), (np.zeros_like(g) if w is None else w)
        np.testing.assert_allclose(g, w, rtol=1e-6, atol=1e-9)


@requires_webgpu
@pytest.mark.parametrize(
    "pair",
    [
        ("Normal", "Normal"),
        ("Gamma", "Gamma"),
        ("Dirichlet", "Dirichlet"),
        ("Categorical-probs", "Categorical-logits"),
    ],
    ids="-".join,
)
def test_kl_matches_torch_webgpu(pair):
    want, _ = _kl(torch, pair, torch.float64, "cpu")
    got, _ = _kl(pyfront, pair, pyfront.float32, "webgpu")
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_kl_errors_and_register_kl():
    D = pyfront.distributions
    for lib in (torch, pyfront):
        with pytest.raises(NotImplementedError) as e:
            lib.distributions.kl_divergence(
                lib.distributions.Laplace(0.0, 1.0), lib.distributions.Bernoulli(0.5)
            )
        assert str(e.value) == "No KL(p || q) is implemented for p type Laplace and q type Bernoulli"
    msgs = []
    for lib in (torch, pyfront):
        with pytest.raises(NotImplementedError) as e:
            lib.distributions.kl_divergence(
                lib.distributions.Normal(0.0, 1.0), lib.distributions.Bernoulli(0.5)
            )
        msgs.append(str(e.value))
    assert msgs[0] == msgs[1]

    class MyNormal(D.Normal):
        pass

    @D.register_kl(MyNormal, D.Normal)
    def _kl_mine(p, q):
        return p.loc * 0 + 42.0

    assert D.kl_divergence(MyNormal(0.0, 1.0), D.Normal(0.0, 1.0)).item() == 42.0  # the more specific rule
    assert D.kl_divergence(D.Normal(0.0, 1.0), MyNormal(1.0, 1.0)).item() == pytest.approx(0.5)


# -- sampling ----------------------------------------------------------------------------------------------
MOMENTS = {
    "Normal": lambda D, T: D.Normal(T([0.5, -1.0]), T([1.0, 2.0])),
    "Uniform": lambda D, T: D.Uniform(T([0.0, -2.0]), T([1.0, 3.0])),
    "Exponential": lambda D, T: D.Exponential(T([0.5, 3.0])),
    "Laplace": lambda D, T: D.Laplace(T([1.0, -1.0]), T([0.5, 2.0])),
    "Gamma": lambda D, T: D.Gamma(T([0.3, 1.0, 4.0, 50.0]), T([1.0, 2.0, 0.5, 3.0])),
    "Beta": lambda D, T: D.Beta(T([0.5, 2.0]), T([0.5, 5.0])),
    "Dirichlet": lambda D, T: D.Dirichlet(T([0.5, 1.0, 3.0])),
    "Bernoulli": lambda D, T: D.Bernoulli(T([0.1, 0.7])),
    "Categorical": lambda D, T: D.OneHotCategorical(T([0.2, 0.3, 0.5])),
    "MultivariateNormal": lambda D, T: D.MultivariateNormal(
        T([1.0, 0.0, -1.0]), covariance_matrix=T(SPD.tolist())
    ),
}


def _moment_check(name, device, dtype, n):
    n = min(n, 4000) if name == "Categorical" else n  # multinomial draws are slow per sample
    T = lambda v: pyfront.tensor(v, dtype=dtype, device=device)  # noqa: E731
    d = MOMENTS[name](pyfront.distributions, T)
    pyfront.manual_seed(1)
    x = d.sample((n,))
    assert tuple(x.shape) == (n,) + tuple(d.batch_shape) + tuple(d.event_shape)
    assert x.dtype is dtype and x.device.type == device
    x = x.cpu().double()
    assert bool(d.support.check(x.to(device, dtype)).all())
    mean, var = d.mean.cpu().double(), d.variance.cpu().double()
    # the sample mean is within 5 standard errors; the sample variance within 15% (heavy tails included)
    assert bool(((x.mean(0) - mean).abs() <= 5 * (var / n).sqrt() + 1e-6).all()), (x.mean(0), mean)
    np.testing.assert_allclose(x.var(0).numpy(), var.numpy(), rtol=0.15)


@pytest.mark.parametrize("name", list(MOMENTS))
def test_sample_moments(name):
    _moment_check(name, "cpu", pyfront.float64, 20000)


@requires_webgpu
@pytest.mark.parametrize("name", list(MOMENTS))
def test_sample_moments_webgpu(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _moment_check(name, "webgpu", pyfront.float32, 10000)


def test_same_stream_on_every_device():
    """Seeded samples are the generator's stream, so cpu and webgpu draw the same numbers."""
    out = []
    for device in ("cpu", "webgpu") if pyfront.webgpu.is_available() else ("cpu",):
        pyfront.manual_seed(7)
        d = pyfront.distributions.Gamma(pyfront.tensor([0.5, 2.0, 9.0], device=device), 1.0)
        out.append(d.sample((50,)).cpu().numpy())
        pyfront.manual_seed(7)
        out.append(d.sample((50,)).cpu().numpy())
    for o in out[1:]:
        np.testing.assert_allclose(o, out[0], rtol=1e-5)


def test_sample_shapes_and_dtypes_match_torch():
    for lib in (torch, pyfront):
        D = lib.distributions
        assert tuple(D.Normal(0.0, 1.0).sample().shape) == ()
        assert tuple(D.Categorical(lib.ones(2, 3)).sample((4,)).shape) == (4, 2)
    for make in (
        lambda D, L: D.Categorical(L.ones(2, 3)),
        lambda D, L: D.Bernoulli(L.ones(2) / 2),
        lambda D, L: D.Normal(L.zeros(2), 1.0),
        lambda D, L: D.OneHotCategorical(L.ones(3)),
    ):
        want, got = (
            make(torch.distributions, torch).sample((5,)),
            make(pyfront.distributions, pyfront).sample((5,)),
        )
        assert tuple(got.shape) == tuple(want.shape) and str(got.dtype) == str(want.dtype)
        assert not got.requires_grad


# -- rsample gradients against the analytic ones ------------------------------------------------------------
def _grad_of_mean(make, params, f, n=40000):
    pyfront.manual_seed(3)
    ps = [pyfront.tensor(p, dtype=pyfront.float64, requires_grad=True) for p in params]
    x = make(pyfront.distributions, ps).rsample((n,))
    return [g.numpy() for g in pyfront.autograd.grad(f(x).mean(0).sum(), ps)]


RSAMPLE = {  # (make, params, f, analytic d/dparams of E[f(x)])
    "Normal": (
        lambda D, p: D.Normal(p[0], p[1]),
        [[0.5], [2.0]],
        lambda x: x**2,
        lambda m, s: [2 * m, 2 * s],
    ),
    "Uniform": (
        lambda D, p: D.Uniform(p[0], p[1]),
        [[0.0], [2.0]],
        lambda x: x**2,
        lambda a, b: [(2 * a + b) / 3, (a + 2 * b) / 3],
    ),
    "Exponential": (lambda D, p: D.Exponential(p[0]), [[2.0]], lambda x: x, lambda r: [-1 / r**2]),
    "Laplace": (
        lambda D, p: D.Laplace(p[0], p[1]),
        [[1.0], [0.5]],
        lambda x: x**2,
        lambda m, s: [2 * m, 4 * s],
    ),
    "Gamma": (
        lambda D, p: D.Gamma(p[0], p[1]),
        [[0.5, 3.0], [2.0, 1.5]],
        lambda x: x,
        lambda a, b: [1 / b, -a / b**2],
    ),
    "Beta": (
        lambda D, p: D.Beta(p[0], p[1]),
        [[2.0], [3.0]],
        lambda x: x,
        lambda a, b: [b / (a + b) ** 2, -a / (a + b) ** 2],
    ),
    "Dirichlet": (
        lambda D, p: D.Dirichlet(p[0]),
        [[1.0, 2.0, 3.0]],
        lambda x: x[..., :1],
        lambda c: [np.array([c[1] + c[2], -c[0], -c[0]]) / sum(c) ** 2],
    ),
    "MultivariateNormal": (
        lambda D, p: D.MultivariateNormal(p[0], scale_tril=p[1]),
        [[1.0, 0.0], TRIL[:2, :2]],
        lambda x: (x**2).sum(-1),
        lambda m, L: [2 * np.asarray(m), 2 * np.tril(L)],
    ),
}


@pytest.mark.parametrize("name", list(RSAMPLE))
def test_rsample_gradient_matches_the_analytic_one(name):
    make, params, f, analytic = RSAMPLE[name]
    got = _grad_of_mean(make, params, f)
    for g, want in zip(got, analytic(*[np.asarray(p, dtype=float) for p in params]), strict=True):
        np.testing.assert_allclose(g, np.broadcast_to(want, g.shape), rtol=0.05, atol=0.07)


def test_gamma_implicit_gradient_equals_torchs():
    x = np.array([1e-3, 0.2, 0.7, 1.5, 4.0, 12.0, 30.0, 95.0])
    alpha = np.array([0.1, 0.5, 1.0, 2.0, 3.5, 10.0, 25.0, 100.0])
    want = torch._standard_gamma_grad(torch.tensor(alpha), torch.tensor(x)).numpy()
    got = standard_gamma_grad(pyfront.tensor(x), pyfront.tensor(alpha)).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-3)


def test_special_functions_match_torch():
    from pyfront.distributions.utils import digamma, lgamma

    x = np.concatenate([np.linspace(0.01, 5, 40), [7.5, 20.0, 150.0, -0.5, -2.3]])
    for ours, theirs in ((lgamma, torch.lgamma), (digamma, torch.digamma)):
        np.testing.assert_allclose(
            ours(pyfront.tensor(x)).numpy(), theirs(torch.tensor(x)).numpy(), rtol=1e-11, atol=1e-12
        )


# -- validation: PyTorch's ValueError messages -------------------------------------------------------
def _t(lib, v):
    return lib.tensor(v)


ERRORS = {
    "normal-scale": lambda D, L: D.Normal(0.0, -1.0),
    "normal-scale-tensor": lambda D, L: D.Normal(L.zeros(2), L.tensor([1.0, 0.0])),
    "normal-loc-nan": lambda D, L: D.Normal(L.tensor([float("nan")]), 1.0),
    "uniform-order": lambda D, L: D.Uniform(1.0, 0.0),
    "exponential-rate": lambda D, L: D.Exponential(L.tensor([-1.0, 1.0])),
    "laplace-scale": lambda D, L: D.Laplace(0.0, 0.0),
    "gamma-concentration": lambda D, L: D.Gamma(L.tensor([0.0]), 1.0),
    "beta-concentration": lambda D, L: D.Beta(-1.0, 1.0),
    "dirichlet-concentration": lambda D, L: D.Dirichlet(L.tensor([1.0, -1.0])),
    "dirichlet-0d": lambda D, L: D.Dirichlet(L.tensor(1.0)),
    "bernoulli-both": lambda D, L: D.Bernoulli(probs=0.5, logits=0.0),
    "bernoulli-neither": lambda D, L: D.Bernoulli(),
    "bernoulli-probs": lambda D, L: D.Bernoulli(probs=L.tensor([1.5])),
    "categorical-neither": lambda D, L: D.Categorical(),
    "categorical-0d": lambda D, L: D.Categorical(probs=L.tensor(1.0)),
    "categorical-logits-0d": lambda D, L: D.Categorical(logits=L.tensor(1.0)),
    "categorical-negative": lambda D, L: D.Categorical(probs=L.tensor([-0.5, 1.5])),
    "mvn-no-matrix": lambda D, L: D.MultivariateNormal(L.zeros(2)),
    "mvn-two-matrices": lambda D, L: D.MultivariateNormal(L.zeros(2), L.eye(2), scale_tril=L.eye(2)),
    "mvn-loc-0d": lambda D, L: D.MultivariateNormal(L.tensor(0.0), L.eye(2)),
    "mvn-cov-1d": lambda D, L: D.MultivariateNormal(L.zeros(2), L.ones(2)),
    "mvn-tril-1d": lambda D, L: D.MultivariateNormal(L.zeros(2), scale_tril=L.ones(2)),
    "mvn-not-pd": lambda D, L: D.MultivariateNormal(L.zeros(2), L.tensor([[1.0, 2.0], [2.0, 1.0]])),
    "mvn-tril-upper": lambda D, L: D.MultivariateNormal(L.zeros(2), scale_tril=L.ones(2, 2)),
    "independent-ndims": lambda D, L: D.Independent(D.Normal(0.0, 1.0), 1),
    "log_prob-number": lambda D, L: D.Normal(0.0, 1.0).log_prob(1.0),
    "log_prob-broadcast": lambda D, L: D.Normal(L.zeros(2), 1.0).log_prob(L.zeros(3)),
    "log_prob-event-shape": lambda D, L: D.Dirichlet(L.ones(3)).log_prob(L.ones(2) / 2),
    "log_prob-support-bernoulli": lambda D, L: D.Bernoulli(probs=L.tensor([0.5])).log_prob(L.tensor([0.5])),
    "log_prob-support-gamma": lambda D, L: D.Gamma(1.0, 1.0).log_prob(L.tensor(-1.0)),
    "log_prob-support-uniform": lambda D, L: D.Uniform(0.0, 1.0).log_prob(L.tensor([2.0])),
    "log_prob-support-categorical": lambda D, L: D.Categorical(L.ones(3)).log_prob(L.tensor(3)),
    "log_prob-support-simplex": lambda D, L: D.Dirichlet(L.ones(2)).log_prob(L.tensor([0.5, 0.6])),
    "log_prob-support-onehot": lambda D, L: D.OneHotCategorical(L.ones(2)).log_prob(L.tensor([1.0, 1.0])),
    "mvn-kl-event-shapes": lambda D, L: D.kl_divergence(
        D.MultivariateNormal(L.zeros(2), L.eye(2)), D.MultivariateNormal(L.zeros(3), L.eye(3))
    ),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_validation_error_matches_torch(case):
    fn = ERRORS[case]
    with pytest.raises(Exception) as want:
        fn(torch.distributions, torch)
    with pytest.raises(Exception) as got:
        fn(pyfront.distributions, pyfront)
    assert type(got.value) is type(want.value)
    assert str(got.value) == str(want.value)


def test_validation_switches():
    D = pyfront.distributions
    D.Normal(0.0, -1.0, validate_args=False)  # no check
    D.Normal(0.0, 1.0, validate_args=False).log_prob(pyfront.tensor(3.0))
    try:
        D.Distribution.set_default_validate_args(False)
        D.Normal(0.0, -1.0)
        D.Bernoulli(0.5).log_prob(pyfront.tensor(0.5))
    finally:
        D.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError):
        D.Normal(0.0, -1.0)


def test_constraints_print_as_torchs():
    for name in (
        "real",
        "positive",
        "nonnegative",
        "unit_interval",
        "simplex",
        "boolean",
        "real_vector",
        "lower_cholesky",
        "positive_definite",
        "nonnegative_integer",
        "one_hot",
        "lower_triangular",
    ):
        assert repr(getattr(pyfront.distributions.constraints, name)) == repr(
            getattr(torch.distributions.constraints, name)
        ), name
    for lib in (torch, pyfront):
        assert repr(lib.distributions.constraints.interval(0, 1)) == "Interval(lower_bound=0, upper_bound=1)"
    assert repr(pyfront.distributions.Uniform(0.0, 2.0).support) == repr(
        torch.distributions.Uniform(0.0, 2.0).support
    )


@pytest.mark.parametrize(
    "fid",
    [
        "Normal",
        "Gamma",
        "Categorical-probs",
        "Dirichlet",
        "MultivariateNormal-tril",
        "Independent-Normal",
        "Bernoulli-probs",
    ],
)
def test_expand_matches_torch(fid):
    make, params, value = FAMILIES[fid]
    out = []
    for lib in (torch, pyfront):
        d = make(lib.distributions, [lib.tensor(a) for a in params])
        e = d.expand((2,) + tuple(d.batch_shape))
        v = lib.tensor(value, dtype=lib.int64 if "Categorical" in fid else lib.float64)
        out.append((tuple(e.batch_shape), tuple(e.event_shape), e.log_prob(v).numpy(), type(e).__name__))
    assert out[0][0::3] == out[1][0::3] and out[0][1] == out[1][1]
    np.testing.assert_allclose(out[1][2], out[0][2], rtol=1e-10)


def test_mvn_parametrisations_agree():
    D = pyfront.distributions
    loc = pyfront.tensor(REAL[0])
    by = [
        D.MultivariateNormal(loc, covariance_matrix=pyfront.tensor(SPD)),
        D.MultivariateNormal(loc, precision_matrix=pyfront.tensor(np.linalg.inv(SPD))),
        D.MultivariateNormal(loc, scale_tril=pyfront.tensor(TRIL)),
    ]
    for d in by:
        np.testing.assert_allclose(d.covariance_matrix.numpy(), SPD, atol=1e-12)
        np.testing.assert_allclose(d.precision_matrix.numpy(), np.linalg.inv(SPD), atol=1e-12)
        np.testing.assert_allclose(d.scale_tril.numpy(), TRIL, atol=1e-12)
    assert math.isfinite(by[0].entropy().item())


@pytest.mark.parametrize(
    "make",
    [
        lambda D, L: D.Bernoulli(L.tensor([[0.2, 0.5, 0.9]])),
        lambda D, L: D.Categorical(L.ones(2, 4)),
        lambda D, L: D.OneHotCategorical(L.ones(2, 3)),
    ],
)
@pytest.mark.parametrize("expand", [True, False])
def test_enumerate_support_matches_torch(make, expand):
    want = make(torch.distributions, torch).enumerate_support(expand)
    got = make(pyfront.distributions, pyfront).enumerate_support(expand)
    assert str(got.dtype) == str(want.dtype)
    np.testing.assert_array_equal(got.numpy(), want.numpy())


@pytest.mark.parametrize("name", ["Normal", "Laplace", "Uniform", "Exponential"])
def test_cdf_and_icdf_match_torch(name):
    make, params, _ = FAMILIES[name]
    # erfinv is exact to rounding where 1 - |y| > 1e-9 (utils.erfinv): the quantiles stay there
    q = np.array([2e-9, 1e-6, 0.01, 0.3, 0.5, 0.77, 0.999, 1 - 2e-9])[:, None, None] * np.ones((4, 3))
    out = []
    for lib in (torch, pyfront):
        ps = [lib.tensor(a, requires_grad=True) for a in params]
        d = make(lib.distributions, ps)
        qs = lib.tensor(q, requires_grad=True)
        x = d.icdf(qs)
        c = d.cdf(x.detach())
        grads = lib.autograd.grad(x.sum(), ps + [qs])
        out.append([x.detach().numpy(), c.detach().numpy()] + [g.numpy() for g in grads])
    for got, want in zip(out[1], out[0], strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-12)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_erfinv_matches_torch(dtype):
    from pyfront.distributions.utils import erfinv

    y = np.array([-1.0, -0.999999, -0.5, 0.0, 1e-8, 0.3, 0.9, 0.99999, 1.0, 1.5, -2.0])
    got = erfinv(pyfront.tensor(y, dtype=getattr(pyfront, dtype))).numpy()
    want = torch.erfinv(torch.tensor(y, dtype=getattr(torch, dtype))).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-12 if dtype == "float64" else 1e-6)


# Boundaries of the supports and parameters (values at 0 and 1, zero probabilities, -inf logits):
# log_prob, entropy, KL and modes as torch gives them (inf, -inf and nan included)
EDGES = {
    "uniform at high": lambda D, L: D.Uniform(0.0, 1.0).log_prob(L.tensor([0.0, 1.0, 0.5])),
    "uniform outside novalidate": lambda D, L: D.Uniform(0.0, 1.0, validate_args=False).log_prob(
        L.tensor([-1.0, 2.0])
    ),
    "exponential at 0": lambda D, L: D.Exponential(2.0).log_prob(L.tensor(0.0)),
    "gamma at 0 c=1": lambda D, L: D.Gamma(1.0, 2.0).log_prob(L.tensor(0.0)),
    "gamma at 0 c=0.5": lambda D, L: D.Gamma(0.5, 2.0).log_prob(L.tensor(0.0)),
    "gamma at 0 c=2": lambda D, L: D.Gamma(2.0, 2.0).log_prob(L.tensor(0.0)),
    "beta at 0/1": lambda D, L: D.Beta(L.tensor([2.0, 1.0, 0.5]), L.tensor([2.0, 3.0, 0.5])).log_prob(
        L.tensor([0.0, 0.0, 1.0])
    ),
    "dirichlet edge": lambda D, L: D.Dirichlet(L.tensor([1.0, 2.0])).log_prob(L.tensor([0.0, 1.0])),
    "bernoulli logits big": lambda D, L: D.Bernoulli(logits=L.tensor([100.0, -100.0])).log_prob(
        L.tensor([0.0, 0.0])
    ),
    "bernoulli probs 0/1": lambda D, L: D.Bernoulli(probs=L.tensor([0.0, 1.0])).log_prob(
        L.tensor([0.0, 1.0])
    ),
    "bernoulli entropy 0/1": lambda D, L: D.Bernoulli(probs=L.tensor([0.0, 1.0])).entropy(),
    "categorical zero prob entropy": lambda D, L: D.Categorical(probs=L.tensor([0.0, 0.3, 0.7])).entropy(),
    "categorical zero prob logprob": lambda D, L: D.Categorical(probs=L.tensor([0.0, 0.3, 0.7])).log_prob(
        L.tensor(0)
    ),
    "categorical logits -inf": lambda D, L: D.Categorical(
        logits=L.tensor([-float("inf"), 0.0, 1.0])
    ).entropy(),
    "kl categorical zeros": lambda D, L: D.kl_divergence(
        D.Categorical(probs=L.tensor([0.0, 0.5, 0.5])), D.Categorical(probs=L.tensor([0.5, 0.0, 0.5]))
    ),
    "kl bernoulli 0/1": lambda D, L: D.kl_divergence(
        D.Bernoulli(probs=L.tensor([0.0, 1.0, 0.5])), D.Bernoulli(probs=L.tensor([0.5, 0.5, 1.0]))
    ),
    "dirichlet mode <1": lambda D, L: D.Dirichlet(L.tensor([[0.5, 0.7, 0.2], [2.0, 3.0, 4.0]])).mode,
    "beta mode": lambda D, L: D.Beta(L.tensor([0.5, 2.0]), L.tensor([0.5, 3.0])).mode,
    "gamma mode c<1": lambda D, L: D.Gamma(L.tensor([0.5]), 1.0).mode,
    "laplace cdf": lambda D, L: D.Laplace(0.0, 1.0).cdf(L.tensor([-1.0, 0.0, 2.0])),
    "normal cdf": lambda D, L: D.Normal(0.0, 1.0).cdf(L.tensor([-1.0, 0.0, 2.0])),
    "mvn batch log_prob": lambda D, L: D.MultivariateNormal(L.zeros(2, 3), L.eye(3)).log_prob(
        L.ones(4, 1, 3)
    ),
    "onehot mode": lambda D, L: D.OneHotCategorical(L.tensor([0.2, 0.5, 0.3])).mode,
}


@pytest.mark.parametrize("case", list(EDGES))
def test_boundary_values_match_torch(case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = EDGES[case](torch.distributions, torch)
        got = EDGES[case](pyfront.distributions, pyfront)
    assert tuple(got.shape) == tuple(want.shape) and str(got.dtype) == str(want.dtype)
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6, atol=1e-7, equal_nan=True)
