"""Bayes by Backprop (Blundell et al.) as the well-known PyTorch ports write it (nitarshan's notebook and
blitz-bayesian-deep-learning): Gaussian variational posteriors with softplus(rho) scales sampled by the
reparameterisation trick, a scale-mixture prior, the log-likelihood of a minibatch and the KL by Monte Carlo
and in closed form (torch.distributions.kl_divergence of Normal and of Independent), the ELBO with the
minibatch weighting, predictive mean and variance; then MC dropout (dropout kept on at test time) and a
Laplace-style last-layer posterior with torch.distributions.MultivariateNormal."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Independent, MultivariateNormal, Normal, kl_divergence

torch.manual_seed(0)


class Gaussian(object):
    def __init__(self, mu, rho):
        super().__init__()
        self.mu = mu
        self.rho = rho
        self.normal = torch.distributions.Normal(0, 1)

    @property
    def sigma(self):
        return torch.log1p(torch.exp(self.rho))

    def sample(self):
        epsilon = self.normal.sample(self.rho.size())
        return self.mu + self.sigma * epsilon

    def log_prob(self, input):
        return (-math.log(math.sqrt(2 * math.pi)) - torch.log(self.sigma)
                - ((input - self.mu) ** 2) / (2 * self.sigma ** 2)).sum()


class ScaleMixtureGaussian(object):
    def __init__(self, pi, sigma1, sigma2):
        super().__init__()
        self.pi, self.sigma1, self.sigma2 = pi, sigma1, sigma2
        self.gaussian1 = torch.distributions.Normal(0, sigma1)
        self.gaussian2 = torch.distributions.Normal(0, sigma2)

    def log_prob(self, input):
        prob1 = torch.exp(self.gaussian1.log_prob(input))
        prob2 = torch.exp(self.gaussian2.log_prob(input))
        return (torch.log(self.pi * prob1 + (1 - self.pi) * prob2)).sum()


PI, SIGMA_1, SIGMA_2 = 0.5, torch.FloatTensor([math.exp(-0)]), torch.FloatTensor([math.exp(-6)])


class BayesianLinear(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight_mu = nn.Parameter(torch.Tensor(out_features, in_features).uniform_(-0.2, 0.2))
        self.weight_rho = nn.Parameter(torch.Tensor(out_features, in_features).uniform_(-5, -4))
        self.weight = Gaussian(self.weight_mu, self.weight_rho)
        self.bias_mu = nn.Parameter(torch.Tensor(out_features).uniform_(-0.2, 0.2))
        self.bias_rho = nn.Parameter(torch.Tensor(out_features).uniform_(-5, -4))
        self.bias = Gaussian(self.bias_mu, self.bias_rho)
        self.weight_prior = ScaleMixtureGaussian(PI, SIGMA_1, SIGMA_2)
        self.bias_prior = ScaleMixtureGaussian(PI, SIGMA_1, SIGMA_2)
        self.log_prior = 0
        self.log_variational_posterior = 0

    def forward(self, input, sample=False, calculate_log_probs=False):
        if self.training or sample:
            weight = self.weight.sample()
            bias = self.bias.sample()
        else:
            weight = self.weight.mu
            bias = self.bias.mu
        if self.training or calculate_log_probs:
            self.log_prior = self.weight_prior.log_prob(weight) + self.bias_prior.log_prob(bias)
            self.log_variational_posterior = self.weight.log_prob(weight) + self.bias.log_prob(bias)
        else:
            self.log_prior, self.log_variational_posterior = 0, 0
        return F.linear(input, weight, bias)


class BayesianNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = BayesianLinear(1, 32)
        self.l2 = BayesianLinear(32, 1)

    def forward(self, x, sample=False):
        return self.l2(torch.tanh(self.l1(x, sample)), sample)

    def log_prior(self):
        return self.l1.log_prior + self.l2.log_prior

    def log_variational_posterior(self):
        return self.l1.log_variational_posterior + self.l2.log_variational_posterior

    def sample_elbo(self, input, target, samples=2, num_batches=4, noise=0.1):
        outputs = torch.zeros(samples, input.size(0), 1)
        log_priors = torch.zeros(samples)
        log_variational_posteriors = torch.zeros(samples)
        for i in range(samples):
            outputs[i] = self(input, sample=True)
            log_priors[i] = self.log_prior()
            log_variational_posteriors[i] = self.log_variational_posterior()
        log_prior = log_priors.mean()
        log_variational_posterior = log_variational_posteriors.mean()
        nll = -Normal(outputs.mean(0), noise).log_prob(target).sum()
        loss = (log_variational_posterior - log_prior) / num_batches + nll
        return loss, log_prior, log_variational_posterior, nll


x = torch.linspace(-2, 2, 64).unsqueeze(1)
yv = torch.sin(2 * x) + 0.1 * torch.randn_like(x)
net = BayesianNetwork()
optimizer = torch.optim.Adam(net.parameters(), lr=1e-2)
for epoch in range(20):
    net.train()
    for xb, yb in zip(x.split(16), yv.split(16)):
        net.zero_grad()
        loss, log_prior, log_vp, nll = net.sample_elbo(xb, yb)
        loss.backward()
        optimizer.step()
    if epoch % 5 == 4:
        print(f"epoch {epoch} loss {loss.item():.4f} prior {log_prior.item():.4f} vp {log_vp.item():.4f} "
              f"nll {nll.item():.4f}")
net.eval()
with torch.no_grad():
    preds = torch.stack([net(x, sample=True) for _ in range(10)])
print("predictive", f"{preds.mean().item():.5f}", f"{preds.std(0).mean().item():.6f}",
      f"{F.mse_loss(net(x), yv).item():.6f}")

# closed-form KL against a Normal prior, as blitz's kl_divergence_from_nn
q = Normal(net.l1.weight_mu, net.l1.weight.sigma)
p = Normal(torch.zeros_like(net.l1.weight_mu), torch.ones_like(net.l1.weight_mu))
kl = kl_divergence(q, p)
print("kl", kl.shape, f"{kl.sum().item():.4f}")
qi, pi = Independent(q, 2), Independent(p, 2)
print("independent", qi.batch_shape, qi.event_shape, f"{kl_divergence(qi, pi).item():.4f}",
      f"{qi.log_prob(net.l1.weight_mu).item():.4f}", f"{qi.entropy().item():.4f}")
w = q.rsample()
mc_kl = (q.log_prob(w) - p.log_prob(w)).sum()
mc_kl.backward()
print("rsample grad", f"{net.l1.weight_rho.grad.abs().sum().item():.4f}", w.requires_grad)

# MC dropout
torch.manual_seed(1)
mc = nn.Sequential(nn.Linear(1, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 1))
opt = torch.optim.SGD(mc.parameters(), lr=0.05, momentum=0.9)
for it in range(40):
    opt.zero_grad()
    l = F.mse_loss(mc(x), yv)
    l.backward()
    opt.step()
mc.eval()
for m in mc.modules():
    if isinstance(m, nn.Dropout):
        m.train()
with torch.no_grad():
    s = torch.stack([mc(x) for _ in range(20)])
print(f"mc dropout loss {l.item():.6f} mean {s.mean().item():.6f} std {s.std(0).mean().item():.6f}")

# Laplace on the last layer: posterior precision = H + prior precision
mc.eval()
with torch.no_grad():
    phi = mc[1](mc[0](x))
    H = phi.T @ phi / 0.1 ** 2 + torch.eye(32)
    cov = torch.linalg.inv(H)
    post = MultivariateNormal(mc[3].weight.flatten(), covariance_matrix=(cov + cov.T) / 2)
    f_var = (phi @ post.covariance_matrix * phi).sum(1)
print("laplace", f"{post.entropy().item():.4f}", f"{f_var.mean().item():.6f}",
      f"{post.log_prob(mc[3].weight.flatten()).item():.4f}")
