"""A conditional beta-VAE as the tutorials write one (timbmg/VAE-CVAE-MNIST's CVAE with one-hot labels,
1Konny/Beta-VAE's beta and capacity terms): an encoder of the image and its label, the reparameterisation
trick, a Bernoulli decoder on BCE-with-logits summed per image, the closed-form KL checked against
torch.distributions' kl_divergence, KL annealing by a linear warm-up, the capacity-controlled objective
|KL - C|, sampling per class with torch.no_grad, latent interpolation by torch.lerp and the importance-
weighted log-likelihood estimate with logsumexp."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence

torch.manual_seed(0)
n_classes, side, latent = 4, 8, 3


def make_digits(n):
    """8x8 'digits': class c lights row pair c and a random column band."""
    y = torch.randint(0, n_classes, (n,))
    x = torch.zeros(n, side, side)
    for k, c in enumerate(y.tolist()):
        x[k, 2 * c:2 * c + 2, :] = 1.0
        col = torch.randint(0, side - 2, (1,)).item()
        x[k, :, col:col + 2] = torch.maximum(x[k, :, col:col + 2], torch.tensor(0.6))
    return x.view(n, -1), y


class CVAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(side * side + n_classes, 64), nn.ReLU())
        self.mu, self.logvar = nn.Linear(64, latent), nn.Linear(64, latent)
        self.dec = nn.Sequential(nn.Linear(latent + n_classes, 64), nn.ReLU(), nn.Linear(64, side * side))

    def encode(self, x, c):
        h = self.enc(torch.cat([x, c], dim=1))
        return self.mu(h), self.logvar(h)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z, c):
        return self.dec(torch.cat([z, c], dim=1))

    def forward(self, x, c):
        mu, logvar = self.encode(x, c)
        z = self.reparameterize(mu, logvar)
        return self.decode(z, c), mu, logvar


def kl_closed(mu, logvar):
    return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)


x, y = make_digits(256)
c = F.one_hot(y, n_classes).float()
model = CVAE()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
mu, logvar = model.encode(x[:5], c[:5])
q = Normal(mu, torch.exp(0.5 * logvar))
p = Normal(torch.zeros_like(mu), torch.ones_like(mu))
print(torch.allclose(kl_divergence(q, p).sum(1), kl_closed(mu, logvar), atol=1e-6))

beta, C_max, C_steps, warmup = 4.0, 5.0, 40, 20
for step in range(60):
    idx = torch.randperm(256)[:64]
    recon, mu, logvar = model(x[idx], c[idx])
    rec = F.binary_cross_entropy_with_logits(recon, x[idx], reduction="none").sum(1).mean()
    kl = kl_closed(mu, logvar).mean()
    if step < 30:  # KL annealing
        loss = rec + min(1.0, step / warmup) * kl
    else:  # Burgess et al.'s capacity objective
        C = torch.tensor(min(C_max, C_max * (step - 30) / C_steps))
        loss = rec + beta * (kl - C).abs()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(f"step {step}: loss {loss.item():.3f} rec {rec.item():.3f} kl {kl.item():.3f}")

model.eval()
with torch.no_grad():
    z = torch.randn(n_classes, latent)
    samples = torch.sigmoid(model.decode(z, torch.eye(n_classes))).view(n_classes, side, side)
    # each class's two bright rows should be where its label puts them
    print([int(samples[k].mean(1).argmax()) // 2 for k in range(n_classes)])
    z0, z1 = model.encode(x[:1], c[:1])[0], model.encode(x[1:2], c[1:2])[0]
    path = torch.stack([torch.lerp(z0, z1, w) for w in torch.linspace(0, 1, 5)]).squeeze(1)
    print(path.shape, (path[-1] - z1[0]).abs().max() < 1e-6)

    # importance-weighted estimate of log p(x|c) with K samples from q
    K = 32
    mu, logvar = model.encode(x[:8], c[:8])
    std = torch.exp(0.5 * logvar)
    zs = mu + std * torch.randn(K, *mu.shape)
    logits = model.decode(zs.view(-1, latent), c[:8].repeat(K, 1)).view(K, 8, -1)
    log_px_z = -F.binary_cross_entropy_with_logits(logits, x[:8].expand(K, -1, -1), reduction="none").sum(-1)
    log_pz = Normal(0.0, 1.0).log_prob(zs).sum(-1)
    log_qz = Normal(mu, std).log_prob(zs).sum(-1)
    ll = torch.logsumexp(log_px_z + log_pz - log_qz, dim=0) - math.log(K)
    print("IWAE log-likelihood", ll.mean().round(decimals=3))
