"""Imitates a user's normalizing-flow notebook in the style of the common "RealNVP on two moons" scripts:
affine coupling layers with checkerboard masks (nn.Parameter masks frozen through requires_grad=False),
a MultivariateNormal base, log-likelihood training with Adam + StepLR, sampling by inverting the flow;
then torch.distributions beyond it: a TransformedDistribution (log-normal from Normal + ExpTransform,
a logistic from Uniform + SigmoidTransform inverse + AffineTransform) checked against LogNormal, Independent,
a MixtureSameFamily density, rsample gradients through Normal and Gamma-free reparameterisations, entropy
and kl_divergence tables, validate_args errors, the distributions' reprs, and a variational Bayesian linear
regression trained with the ELBO (Normal prior, a mean-field posterior). Written for pyfront's tests;
synthetic moons, tiny sizes."""
import math

import torch
import torch.nn as nn
from torch import distributions as D

torch.manual_seed(0)


def make_moons(n, noise=0.1):
    t = torch.rand(n) * math.pi
    upper = torch.stack([torch.cos(t), torch.sin(t)], 1)
    lower = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], 1)
    x = torch.cat([upper[: n // 2], lower[n // 2:]])
    return x + noise * torch.randn_like(x)


class Coupling(nn.Module):
    def __init__(self, mask, hidden=16):
        super().__init__()
        self.mask = nn.Parameter(mask, requires_grad=False)
        self.s = nn.Sequential(nn.Linear(2, hidden), nn.LeakyReLU(), nn.Linear(hidden, 2), nn.Tanh())
        self.t = nn.Sequential(nn.Linear(2, hidden), nn.LeakyReLU(), nn.Linear(hidden, 2))

    def forward(self, z):  # data -> latent
        zm = z * self.mask
        s = self.s(zm) * (1 - self.mask)
        t = self.t(zm) * (1 - self.mask)
        return zm + (1 - self.mask) * (z - t) * torch.exp(-s), -s.sum(1)

    def inverse(self, z):
        zm = z * self.mask
        s = self.s(zm) * (1 - self.mask)
        t = self.t(zm) * (1 - self.mask)
        return zm + (1 - self.mask) * (z * torch.exp(s) + t)


class RealNVP(nn.Module):
    def __init__(self, n_layers=4):
        super().__init__()
        masks = torch.tensor([[0.0, 1.0], [1.0, 0.0]] * (n_layers // 2))
        self.layers = nn.ModuleList(Coupling(m) for m in masks)
        self.prior = D.MultivariateNormal(torch.zeros(2), torch.eye(2))

    def log_prob(self, x):
        log_det = torch.zeros(x.shape[0])
        for layer in reversed(self.layers):
            x, ld = layer(x)
            log_det = log_det + ld
        return self.prior.log_prob(x) + log_det

    def sample(self, n):
        z = self.prior.sample((n,))
        for layer in self.layers:
            z = layer.inverse(z)
        return z


flow = RealNVP()
print(flow.layers[0])
print([n for n, p in flow.named_parameters() if not p.requires_grad])
opt = torch.optim.Adam([p for p in flow.parameters() if p.requires_grad], lr=5e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=20, gamma=0.5)
for step in range(40):
    x = make_moons(64)
    loss = -flow.log_prob(x).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    if step % 10 == 0:
        print(f"step {step:3d} nll {loss.item():.4f} lr {sched.get_last_lr()[0]:.5f}")
with torch.no_grad():
    s = flow.sample(200)
    print("sample mean", s.mean(0), "std", s.std(0))
    print("held-out nll", -flow.log_prob(make_moons(200)).mean())

# distributions a user reaches for
base = D.Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 0.5]))
lognormal = D.TransformedDistribution(base, [D.transforms.ExpTransform()])
ref = D.LogNormal(base.loc, base.scale)
v = torch.tensor([0.5, 2.0])
print(lognormal.log_prob(v), ref.log_prob(v), ref.mean, ref.variance, ref.entropy())
logistic = D.TransformedDistribution(D.Uniform(0.0, 1.0), [D.transforms.SigmoidTransform().inv,
                                                           D.transforms.AffineTransform(loc=1.0, scale=2.0)])
print(logistic.log_prob(torch.tensor([0.0, 1.0, 3.0])), logistic.sample((3,)))
ind = D.Independent(D.Normal(torch.zeros(3, 2), torch.ones(3, 2)), 1)
print(ind.batch_shape, ind.event_shape, ind.log_prob(torch.zeros(3, 2)))
mix = D.MixtureSameFamily(D.Categorical(logits=torch.tensor([0.0, 1.0, -1.0])),
                          D.Normal(torch.tensor([-2.0, 0.0, 3.0]), torch.tensor([0.5, 1.0, 0.3])))
grid = torch.linspace(-3, 4, 8)
print(mix.log_prob(grid), mix.mean, mix.variance, mix.sample((4,)))
mu = torch.tensor(0.5, requires_grad=True)
sd = torch.tensor(1.5, requires_grad=True)
(D.Normal(mu, sd).rsample((1000,)) ** 2).mean().backward()
print("rsample grads", mu.grad, sd.grad)
pairs = [(D.Normal(0.0, 1.0), D.Normal(1.0, 2.0)), (D.Bernoulli(0.3), D.Bernoulli(0.6)),
         (D.Categorical(torch.tensor([0.2, 0.8])), D.Categorical(torch.tensor([0.5, 0.5]))),
         (D.Beta(2.0, 3.0), D.Beta(1.0, 1.0)), (D.Gamma(2.0, 1.0), D.Gamma(3.0, 2.0)),
         (D.Exponential(1.0), D.Exponential(3.0)), (D.Poisson(2.0), D.Poisson(4.0)),
         (D.Dirichlet(torch.tensor([1.0, 2.0, 3.0])), D.Dirichlet(torch.ones(3))),
         (D.Laplace(0.0, 1.0), D.Laplace(1.0, 2.0)), (D.Uniform(0.0, 1.0), D.Uniform(-1.0, 2.0))]

def entropy(p):
    try:
        return p.entropy()
    except NotImplementedError:  # Poisson has none
        return "no entropy"


for p, q in pairs:
    print(p, q, D.kl_divergence(p, q), entropy(p))
for bad in (lambda: D.Normal(0.0, -1.0), lambda: D.Categorical(torch.tensor([-0.1, 1.1])),
            lambda: D.Bernoulli(probs=0.5, logits=0.0), lambda: D.Normal(0.0, 1.0).log_prob("x")):
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
print(D.Normal(0.0, 1.0).cdf(torch.tensor([-1.0, 0.0, 2.0])), D.Normal(0.0, 1.0).icdf(torch.tensor([0.1, 0.5])))
print(D.Binomial(10, torch.tensor([0.2, 0.7])).log_prob(torch.tensor([3.0, 7.0])),
      D.Geometric(0.3).log_prob(torch.tensor(2.0)), D.StudentT(3.0).log_prob(torch.tensor(1.0)))
print(D.constraints.positive, D.Normal.arg_constraints, D.Normal(0.0, 1.0).support)

# variational Bayesian linear regression, mean-field Normal posterior on the weights
X = torch.randn(50, 3)
w_true = torch.tensor([1.0, -2.0, 0.5])
y = X @ w_true + 0.3 * torch.randn(50)
q_mu = torch.zeros(3, requires_grad=True)
q_rho = torch.full((3,), -3.0, requires_grad=True)
prior = D.Normal(torch.zeros(3), torch.ones(3))
opt = torch.optim.Adam([q_mu, q_rho], lr=0.05)
for it in range(100):
    q = D.Normal(q_mu, nn.functional.softplus(q_rho))
    w = q.rsample((8,))
    loglik = D.Normal(X @ w.T, 0.3).log_prob(y[:, None]).sum(0).mean()
    elbo = loglik - D.kl_divergence(q, prior).sum()
    opt.zero_grad()
    (-elbo).backward()
    opt.step()
    if it % 50 == 0:
        print(f"it {it} elbo {elbo.item():.3f}")
print("posterior mean", q_mu.detach(), "std", nn.functional.softplus(q_rho).detach())
