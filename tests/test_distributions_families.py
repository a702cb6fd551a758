"""The distribution families, transforms and biject_to/transform_to that pyfront lacked, against torch 2.13:
log_prob, cdf, entropy, mean, variance, mode (values and gradients, float64 on cpu, float32 on webgpu) with
the same parameters, sample and rsample shapes and dtypes, which parameters rsample's gradient reaches,
sample moments against the analytic ones, each transform's forward, inverse and log|det J|, and torch's
validation errors, and the KL divergences torch registers between them."""

import warnings

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

RNG = np.random.default_rng(0)
POS = RNG.uniform(0.5, 3.0, (4, 3))
POS2 = RNG.uniform(0.5, 3.0, (4, 3))
REAL = RNG.standard_normal((4, 3))
UNIT = RNG.uniform(0.1, 0.9, (4, 3))
COUNTS = np.floor(POS2 * 2)
SIMPLEX = UNIT / UNIT.sum(-1, keepdims=True)
SPD = np.array([[2.0, 0.5, 0.1], [0.5, 1.5, -0.3], [0.1, -0.3, 1.0]])
CORR_L = np.linalg.cholesky(SPD / np.sqrt(np.outer(np.diag(SPD), np.diag(SPD))))

# id: (make(distributions, params), parameter arrays, a value in the support)
FAMILIES = {
    "LogNormal": (lambda D, p: D.LogNormal(p[0], p[1]), [REAL, POS], POS2),
    "Gumbel": (lambda D, p: D.Gumbel(p[0], p[1]), [REAL, POS], REAL),
    "HalfNormal": (lambda D, p: D.HalfNormal(p[0]), [POS], POS2),
    "HalfCauchy": (lambda D, p: D.HalfCauchy(p[0]), [POS], POS2),
    "Cauchy": (lambda D, p: D.Cauchy(p[0], p[1]), [REAL, POS], REAL),
    "StudentT": (lambda D, p: D.StudentT(p[0], p[1], p[2]), [POS, REAL, POS2], REAL),
    "Chi2": (lambda D, p: D.Chi2(p[0]), [POS], POS2),
    "Poisson": (lambda D, p: D.Poisson(p[0]), [POS], COUNTS),
    "Binomial": (lambda D, p: D.Binomial(10, p[0]), [UNIT], COUNTS),
    "Binomial-logits": (lambda D, p: D.Binomial(10, logits=p[0]), [REAL], COUNTS),
    "NegativeBinomial": (lambda D, p: D.NegativeBinomial(p[0], p[1]), [POS, UNIT], COUNTS),
    "NegativeBinomial-logits": (lambda D, p: D.NegativeBinomial(p[0], logits=p[1]), [POS, REAL], COUNTS),
    "Multinomial": (lambda D, p: D.Multinomial(6, p[0]), [POS], np.array([[1, 2, 3], [0, 0, 6], [6, 0, 0],
                                                                         [2, 2, 2]])),
    "Geometric": (lambda D, p: D.Geometric(p[0]), [UNIT], COUNTS),
    "Weibull": (lambda D, p: D.Weibull(p[0], p[1]), [POS, POS2], POS2),
    "Pareto": (lambda D, p: D.Pareto(p[0], p[1]), [UNIT, POS], POS + 1),
    "InverseGamma": (lambda D, p: D.InverseGamma(p[0] + 2, p[1]), [POS, POS2], POS2),
    "InverseGamma-heavy": (lambda D, p: D.InverseGamma(p[0], p[1]), [POS, POS2], POS2),
    "RelaxedBernoulli": (lambda D, p: D.RelaxedBernoulli(p[1], p[0]), [UNIT, POS], UNIT),
    "RelaxedOneHotCategorical": (lambda D, p: D.RelaxedOneHotCategorical(p[1], logits=p[0]),
                                 [REAL, POS[:, :1]], SIMPLEX),
    "MixtureSameFamily": (lambda D, p: D.MixtureSameFamily(D.Categorical(logits=p[0]), D.Normal(p[1], p[2])),
                          [REAL, REAL, POS], REAL[:, 0]),
    "OneHotCategoricalStraightThrough": (lambda D, p: D.OneHotCategoricalStraightThrough(logits=p[0]), [REAL],
                                         np.eye(3)[[0, 2, 1, 1]]),
    "TanhNormal": (lambda D, p: D.TransformedDistribution(
        D.Normal(p[0], p[1]), [D.TanhTransform(cache_size=1), D.AffineTransform(0.5, 2.0)]),
        [REAL, POS], UNIT),
}
FLOAT64_BROKEN_IN_TORCH: set = set()  # families whose float64 log_prob torch computes in float32
RSAMPLE_GRAD_BROKEN_IN_TORCH: set = set()  # families whose rsample backward fails in torch


def _stats(lib, fid, dtype, device, families=FAMILIES, known=()):
    """Every moment the family has (torch's NotImplementedError is an outcome too), their gradients,
    sample and rsample shapes/dtypes and which parameters an rsample reaches; ``known`` names the
    moments left out (pyfront's differ from torch's on purpose)."""
    make, params, value = families[fid]
    ps = [lib.tensor(a, dtype=dtype, device=device, requires_grad=True) for a in params]
    d = make(lib.distributions, ps)
    v = lib.tensor(value, dtype=dtype, device=device)
    calls = dict(log_prob=lambda: d.log_prob(v), cdf=lambda: d.cdf(v), entropy=d.entropy,
                 mean=lambda: d.mean, variance=lambda: d.variance, mode=lambda: d.mode)
    calls = {k: c for k, c in calls.items() if k not in known}
    out = {}
    for k, call in calls.items():
        try:
            out[k] = call()
        except NotImplementedError:
            out[k] = "not implemented"
    s = d.sample((2,))
    facts = dict(sample=(tuple(s.shape), str(s.dtype).split(".")[-1]), has_rsample=d.has_rsample,
                 shapes=(tuple(d.batch_shape), tuple(d.event_shape)), support=repr(d.support))
    if d.has_rsample and fid not in RSAMPLE_GRAD_BROKEN_IN_TORCH:
        r = d.rsample((5,))
        reached = lib.autograd.grad(r.sum(), ps, allow_unused=True, retain_graph=True)
        facts.update(rsample=tuple(r.shape), reached=[g is not None for g in reached])
    # cdf's gradient is left out: torch has none for igamma's first argument
    differentiable = [o for k, o in out.items() if k != "cdf" and not isinstance(o, str) and o.requires_grad]
    grads = lib.autograd.grad(sum(o.sum() for o in differentiable), ps, allow_unused=True)
    values = {k: o if isinstance(o, str) else o.detach().cpu().numpy() for k, o in out.items()}
    return values, [None if g is None else g.cpu().numpy() for g in grads], facts


def _compare(fid, dtype, device, tol, grad_tol, families=FAMILIES, known=()):
    torch_dtype = getattr(torch, str(dtype).split(".")[-1])
    if fid in FLOAT64_BROKEN_IN_TORCH:
        torch_dtype = torch.float32
    want, want_grads, want_facts = _stats(torch, fid, torch_dtype, "cpu", families, known)
    got, got_grads, got_facts = _stats(pyfront, fid, dtype, device, families, known)
    assert got_facts == want_facts
    assert got.keys() == want.keys()
    for k in want:
        if isinstance(want[k], str) or isinstance(got[k], str):
            assert got[k] == want[k], k
        else:
            np.testing.assert_allclose(got[k], want[k], **tol, err_msg=k)
    for g, w in zip(got_grads, want_grads, strict=True):
        assert (g is None) == (w is None)
        if g is not None:
            np.testing.assert_allclose(g, w, **grad_tol)


@pytest.mark.parametrize("fid", list(FAMILIES))
def test_family_matches_torch(fid):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Wishart: "Singular sample detected", in both
        if fid in FLOAT64_BROKEN_IN_TORCH:
            _compare(fid, pyfront.float32, "cpu", dict(rtol=1e-5, atol=1e-6), dict(rtol=1e-4, atol=1e-5))
        else:
            _compare(fid, pyfront.float64, "cpu", dict(rtol=1e-7, atol=1e-9), dict(rtol=1e-6, atol=1e-8))


@requires_webgpu
@pytest.mark.parametrize("fid", ["LogNormal", "Gumbel", "StudentT", "TanhNormal", "MixtureSameFamily",
                                 "Poisson", "NegativeBinomial"])
def test_family_matches_torch_webgpu(fid):
    _compare(fid, pyfront.float32, "webgpu", dict(rtol=1e-4, atol=1e-4), dict(rtol=1e-3, atol=1e-4))


# -- sample moments ------------------------------------------------------------------------------------------
MOMENTS = ["LogNormal", "Gumbel", "HalfNormal", "StudentT", "Chi2", "Geometric", "Weibull", "Pareto",
           "MixtureSameFamily", "Poisson", "Binomial", "NegativeBinomial", "Multinomial", "InverseGamma"]


@pytest.mark.parametrize("fid", MOMENTS)
def test_sample_moments(fid):
    """The mean of 4000 samples lies within 6 standard errors of torch's analytic mean."""
    make, params, _ = FAMILIES[fid]
    want = make(torch.distributions, [torch.tensor(a) for a in params])
    d = make(pyfront.distributions, [pyfront.tensor(a) for a in params])
    n = 4000
    s = d.sample((n,)).numpy()
    mean, var = want.mean.numpy(), want.variance.numpy()
    with np.errstate(invalid="ignore"):  # a Pareto's infinite mean and variance
        err = np.abs(s.mean(0) - mean) / np.sqrt(var / n)
    finite = np.isfinite(mean) & np.isfinite(var)  # none for StudentT, Pareto below 2
    assert finite.any() and np.all(err[finite] < 6), err


def _error(call):
    try:
        r = call()
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
        return type(e).__name__, str(e).split("\n")[0].replace("torch.", "").replace("pyfront.", "")
    return "ok", tuple(r.shape), r.requires_grad


ERRORS = {
    "Poisson-negative-rate": lambda L: L.distributions.Poisson(L.tensor([-1.0])),
    "Binomial-probs-above-1": lambda L: L.distributions.Binomial(3, L.tensor([1.5])),
    "Binomial-no-probs": lambda L: L.distributions.Binomial(3),
    "Poisson-value": lambda L: L.distributions.Poisson(L.tensor([2.0])).log_prob(L.tensor([1.5])),
    "biject_to-lower_cholesky": lambda L: L.distributions.biject_to(
        L.distributions.constraints.lower_cholesky),
    "Geometric-both": lambda L: L.distributions.Geometric(L.tensor([0.5]), L.tensor([0.1])),
    "LogNormal-scale": lambda L: L.distributions.LogNormal(0.0, L.tensor([-1.0])),
    "StudentT-value": lambda L: L.distributions.StudentT(L.tensor([3.0])).log_prob(L.tensor([[1.0], [2.0]])),
    "HalfNormal-value": lambda L: L.distributions.HalfNormal(L.tensor([2.0])).log_prob(L.tensor([-1.0])),
    "Mixture-batch": lambda L: L.distributions.MixtureSameFamily(
        L.distributions.Categorical(logits=L.zeros(3)), L.distributions.Normal(L.zeros(4), 1.0)),
    "Mixture-not-categorical": lambda L: L.distributions.MixtureSameFamily(
        L.distributions.Normal(0.0, 1.0), L.distributions.Normal(L.zeros(4), 1.0)),
    "Mixture-batch-shapes": lambda L: L.distributions.MixtureSameFamily(
        L.distributions.Categorical(logits=L.zeros(4, 3)), L.distributions.Normal(L.zeros(5, 3), 1.0)),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_errors_as_torch(case):
    assert _error(lambda: ERRORS[case](pyfront)) == _error(lambda: ERRORS[case](torch))


# -- transforms and the constraint registries ----------------------------------------------------------------
TRANSFORMS = {
    "Exp": (lambda T: T.ExpTransform(), REAL),
    "Affine": (lambda T: T.AffineTransform(1.5, -2.0), REAL),
    "Affine-event": (lambda T: T.AffineTransform(torch_or(T).ones(3), 2.0, event_dim=1), REAL),
    "Sigmoid": (lambda T: T.SigmoidTransform(), REAL),
    "Tanh": (lambda T: T.TanhTransform(), REAL * 0.5),
    "Softplus": (lambda T: T.SoftplusTransform(), REAL),
    "Abs": (lambda T: T.AbsTransform(), REAL),
    "Power": (lambda T: T.PowerTransform(2.5), POS),
    "Softmax": (lambda T: T.SoftmaxTransform(), REAL),
    "StickBreaking": (lambda T: T.StickBreakingTransform(), REAL),
    "Compose": (lambda T: T.ComposeTransform([T.AffineTransform(0.0, 2.0), T.ExpTransform()]), REAL),
    "Independent": (lambda T: T.IndependentTransform(T.ExpTransform(), 1), REAL),
    "Inverse-Sigmoid": (lambda T: T.SigmoidTransform().inv, UNIT),
    "identity": (lambda T: T.identity_transform, REAL),
}


def torch_or(T):
    return torch if T is torch.distributions.transforms else pyfront


def _transform(lib, tid, transforms=TRANSFORMS):
    make, x = transforms[tid]
    t = make(lib.distributions.transforms)
    x = lib.tensor(x, dtype=lib.float64, requires_grad=True)
    y = t(x)
    out = [y, t.inv(y)]
    try:
        out.append(t.log_abs_det_jacobian(x, y))
    except NotImplementedError:
        pass
    grads = lib.autograd.grad(sum(o.sum() for o in out), x)
    facts = (repr(t.domain), repr(t.codomain), t.bijective, t.sign if tid in ("Exp", "Affine") else None,
             tuple(t.forward_shape((4, 3))) if tid != "CorrCholesky" else None)
    return [o.detach().numpy() for o in out], grads[0].numpy(), facts


def _compare_transform(tid, transforms=TRANSFORMS):
    want, want_grad, want_facts = _transform(torch, tid, transforms)
    got, got_grad, got_facts = _transform(pyfront, tid, transforms)
    assert got_facts == want_facts
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(got_grad, want_grad, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("tid", list(TRANSFORMS))
def test_transform_matches_torch(tid):
    _compare_transform(tid)


CONSTRAINTS = {
    "real": lambda C: C.real, "positive": lambda C: C.positive, "unit_interval": lambda C: C.unit_interval,
    "greater_than": lambda C: C.greater_than(1.5), "less_than": lambda C: C.less_than(-1.0),
    "interval": lambda C: C.interval(-2.0, 3.0), "simplex": lambda C: C.simplex,
    "nonnegative": lambda C: C.nonnegative, "half_open_interval": lambda C: C.half_open_interval(-1.0, 2.0),
    "real_vector": lambda C: C.real_vector, "independent-simplex": lambda C: C.independent(C.simplex, 1),
}


@pytest.mark.parametrize("registry", ["biject_to", "transform_to"])
@pytest.mark.parametrize("cid", list(CONSTRAINTS))
def test_constraint_registry_matches_torch(cid, registry):
    x = RNG.standard_normal((4, 3))

    def run(lib):
        t = getattr(lib.distributions, registry)(CONSTRAINTS[cid](lib.distributions.constraints))
        y = t(lib.tensor(x))
        return y.numpy(), bool(CONSTRAINTS[cid](lib.distributions.constraints).check(y).all()), repr(t)

    want, got = run(torch), run(pyfront)
    assert got[1] and want[1] and got[2] == want[2]
    np.testing.assert_allclose(got[0], want[0], rtol=1e-10, atol=1e-12)


# -- KL divergence of the new pairs ---------------------------------------------------------------------
KL_FAMILIES = {
    **{k: FAMILIES[k] for k in ("Gumbel", "HalfNormal", "Cauchy", "Poisson", "Binomial", "Geometric",
                               "Pareto", "LogNormal")},
    "Normal": (lambda D, p: D.Normal(p[0], p[1]), [REAL, POS], None),
    "Uniform": (lambda D, p: D.Uniform(p[0], p[0] + p[1]), [REAL, POS], None),
    "Exponential": (lambda D, p: D.Exponential(p[0]), [POS], None),
    "Gamma": (lambda D, p: D.Gamma(p[0], p[1]), [POS, POS2], None),
    "Beta": (lambda D, p: D.Beta(p[0], p[1]), [POS, POS2], None),
    "Laplace": (lambda D, p: D.Laplace(p[0], p[1]), [REAL, POS], None),
    "Bernoulli": (lambda D, p: D.Bernoulli(p[0]), [UNIT], None),
    "MultivariateNormal": (lambda D, p: D.MultivariateNormal(p[0], covariance_matrix=p[1]), [REAL, SPD],
                           None),
}
OLD_FAMILIES = ("Normal", "Uniform", "Exponential", "Gamma", "Beta", "Laplace", "Bernoulli",
                "MultivariateNormal")


def _new_kl_pairs():
    registered = {(a.__name__, b.__name__) for a, b in torch.distributions.kl._KL_REGISTRY}
    return sorted(pair for pair in registered if all(n in KL_FAMILIES for n in pair)
                  and any(n not in OLD_FAMILIES for n in pair))


def _kl_value(lib, pair, families=KL_FAMILIES):
    dists, params = [], []
    for k, name in enumerate(pair):
        make, arrays, _ = families[name]
        ps = [lib.tensor(a[::-1].copy() if k and a.shape == (4, 3) else a, dtype=lib.float64,
                         requires_grad=True) for a in arrays]
        params += ps
        dists.append(make(lib.distributions, ps))
    kl = lib.distributions.kl_divergence(*dists)
    grads = [None] * len(params)
    if kl.requires_grad and bool(kl.isfinite().all()):
        grads = lib.autograd.grad(kl.sum(), params, allow_unused=True)
    return kl.detach().numpy(), [None if g is None else g.numpy() for g in grads]


def test_every_torch_kl_pair_is_registered():
    """Every pair torch registers between families pyfront has."""
    theirs = {(a.__name__, b.__name__) for a, b in torch.distributions.kl._KL_REGISTRY
              if hasattr(pyfront.distributions, a.__name__) and hasattr(pyfront.distributions, b.__name__)}
    ours = {(a.__name__, b.__name__) for a, b in pyfront.distributions.kl._KL_REGISTRY}
    assert sorted(theirs - ours) == []


def _compare_kl(pair, families=KL_FAMILIES):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want, want_grads = _kl_value(torch, pair, families)
        got, got_grads = _kl_value(pyfront, pair, families)
    np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-9)
    for g, w in zip(got_grads, want_grads, strict=True):
        if g is not None and w is not None:
            np.testing.assert_allclose(g, w, rtol=1e-6, atol=1e-8)
        else:
            assert (g is None or not g.any()) and (w is None or not w.any())


@pytest.mark.parametrize("pair", _new_kl_pairs() + [("LogNormal", "LogNormal")], ids="-".join)
def test_new_kl_pairs_match_torch(pair):
    _compare_kl(pair)
