# adapted from tonyduan/mixture-density-network: mdn/models.py (MixtureDensityNetwork with a
# OneHotCategorical over components and a diagonal Normal per component) as written, and examples/ex_1d.py's
# data (x = 7 sin(5y) + y/2 + noise, seeded) and Adam loop (n=512 -> 128 points, 2000 -> 60 iterations,
# logging -> print); matplotlib dropped: the sampled data's statistics and the distributions' own numbers
# (entropy, mean, variance, log_prob, rsample) printed instead
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from torch.distributions import Normal, OneHotCategorical


class MixtureDensityNetwork(nn.Module):
    def __init__(self, dim_in, dim_out, n_components):
        super().__init__()
        self.pi_network = CategoricalNetwork(dim_in, n_components)
        self.normal_network = MixtureDiagNormalNetwork(dim_in, dim_out,
                                                       n_components)

    def forward(self, x):
        return self.pi_network(x), self.normal_network(x)

    def loss(self, x, y):
        pi, normal = self.forward(x)
        loglik = normal.log_prob(y.unsqueeze(1).expand_as(normal.loc))
        loglik = torch.sum(loglik, dim=2)
        loss = -torch.logsumexp(torch.log(pi.probs) + loglik, dim=1)
        return loss

    def sample(self, x):
        pi, normal = self.forward(x)
        samples = torch.sum(pi.sample().unsqueeze(2) * normal.sample(), dim=1)
        return samples


class MixtureDiagNormalNetwork(nn.Module):

    def __init__(self, in_dim, out_dim, n_components, hidden_dim=None):
        super().__init__()
        self.n_components = n_components
        if hidden_dim is None:
            hidden_dim = in_dim
        self.network = nn.Sequential(
            nn.Linear(in_dim, hidden_dim),
            nn.ELU(),
            nn.Linear(hidden_dim, 2 * out_dim * n_components),
        )

    def forward(self, x):
        params = self.network(x)
        mean, sd = torch.split(params, params.shape[1] // 2, dim=1)
        mean = torch.stack(mean.split(mean.shape[1] // self.n_components, 1))
        sd = torch.stack(sd.split(sd.shape[1] // self.n_components, 1))
        return Normal(mean.transpose(0, 1), torch.exp(sd).transpose(0, 1))


class CategoricalNetwork(nn.Module):

    def __init__(self, in_dim, out_dim, hidden_dim=None):
        super().__init__()
        if hidden_dim is None:
            hidden_dim = in_dim
        self.network = nn.Sequential(
            nn.Linear(in_dim, hidden_dim),
            nn.ELU(),
            nn.Linear(hidden_dim, out_dim)
        )

    def forward(self, x):
        params = self.network(x)
        return OneHotCategorical(logits=params)


def gen_data(n=128):
    y = np.linspace(-1, 1, n)
    x = 7 * np.sin(5 * y) + 0.5 * y + 0.5 * np.random.randn(*y.shape)
    return x[:, np.newaxis], y[:, np.newaxis]


if __name__ == "__main__":
    np.random.seed(0)
    torch.manual_seed(0)
    x, y = gen_data()
    x = torch.Tensor(x)
    y = torch.Tensor(y)

    model = MixtureDensityNetwork(1, 1, n_components=3)
    optimizer = optim.Adam(model.parameters(), lr=0.005)

    for i in range(60):
        optimizer.zero_grad()
        loss = model.loss(x, y).mean()
        loss.backward()
        optimizer.step()
        if i % 10 == 0:
            print(f"Iter: {i}\t" + f"Loss: {loss.data:.4f}")

    samples = model.sample(x)
    print(samples.shape, "%.5f %.5f" % (samples.mean().item(), samples.std().item()))
    pi, normal = model(x[:3])
    print(pi)
    print(normal)
    print(pi.probs, pi.entropy(), pi.mean, pi.variance, pi.param_shape, pi.event_shape, pi.batch_shape)
    print(pi.log_prob(torch.eye(3)), pi.enumerate_support().shape)
    print(normal.entropy().squeeze(-1), normal.cdf(torch.zeros(3, 3, 1)).squeeze(-1))
    print(normal.rsample((2,)).shape, normal.icdf(torch.full((3, 3, 1), 0.25)).squeeze(-1))
    mix = torch.distributions.MixtureSameFamily(torch.distributions.Categorical(probs=pi.probs),
                                                torch.distributions.Independent(normal, 1))
    print(mix, mix.log_prob(y[:3]), mix.mean, mix.variance)
    print(torch.distributions.kl_divergence(pi._categorical, torch.distributions.Categorical(logits=torch.zeros(3))))
