"""Soft actor-critic's squashed Gaussian policy as written in pranz24/pytorch-soft-actor-critic (GaussianPolicy
with the tanh log-prob correction, weights_init_, soft_update/hard_update, the alpha auto-tuning) and in
the TanhTransform form of later code (TransformedDistribution(Independent(Normal), TanhTransform(cache_size=1))),
trained a few updates on a toy 1-step bandit with a twin-Q critic; plus a distributions-based VAE
(Normal posterior, Independent Bernoulli likelihood, kl_divergence) as in the Pyro-style examples."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Normal, Independent, Bernoulli, TransformedDistribution, kl_divergence
from torch.distributions.transforms import TanhTransform, AffineTransform
from torch.optim import Adam

LOG_SIG_MAX = 2
LOG_SIG_MIN = -20
epsilon = 1e-6


def weights_init_(m):
    if isinstance(m, nn.Linear):
        torch.nn.init.xavier_uniform_(m.weight, gain=1)
        torch.nn.init.constant_(m.bias, 0)


def soft_update(target, source, tau):
    for target_param, param in zip(target.parameters(), source.parameters()):
        target_param.data.copy_(target_param.data * (1.0 - tau) + param.data * tau)


def hard_update(target, source):
    for target_param, param in zip(target.parameters(), source.parameters()):
        target_param.data.copy_(param.data)


class QNetwork(nn.Module):
    def __init__(self, num_inputs, num_actions, hidden_dim):
        super(QNetwork, self).__init__()
        self.linear1 = nn.Linear(num_inputs + num_actions, hidden_dim)
        self.linear2 = nn.Linear(hidden_dim, hidden_dim)
        self.linear3 = nn.Linear(hidden_dim, 1)
        self.linear4 = nn.Linear(num_inputs + num_actions, hidden_dim)
        self.linear5 = nn.Linear(hidden_dim, hidden_dim)
        self.linear6 = nn.Linear(hidden_dim, 1)
        self.apply(weights_init_)

    def forward(self, state, action):
        xu = torch.cat([state, action], 1)
        x1 = F.relu(self.linear1(xu))
        x1 = F.relu(self.linear2(x1))
        x1 = self.linear3(x1)
        x2 = F.relu(self.linear4(xu))
        x2 = F.relu(self.linear5(x2))
        x2 = self.linear6(x2)
        return x1, x2


class GaussianPolicy(nn.Module):
    def __init__(self, num_inputs, num_actions, hidden_dim, action_space=None):
        super(GaussianPolicy, self).__init__()
        self.linear1 = nn.Linear(num_inputs, hidden_dim)
        self.linear2 = nn.Linear(hidden_dim, hidden_dim)
        self.mean_linear = nn.Linear(hidden_dim, num_actions)
        self.log_std_linear = nn.Linear(hidden_dim, num_actions)
        self.apply(weights_init_)
        if action_space is None:
            self.action_scale = torch.tensor(1.)
            self.action_bias = torch.tensor(0.)
        else:
            self.action_scale = torch.FloatTensor((action_space[1] - action_space[0]) / 2.)
            self.action_bias = torch.FloatTensor((action_space[1] + action_space[0]) / 2.)

    def forward(self, state):
        x = F.relu(self.linear1(state))
        x = F.relu(self.linear2(x))
        mean = self.mean_linear(x)
        log_std = self.log_std_linear(x)
        log_std = torch.clamp(log_std, min=LOG_SIG_MIN, max=LOG_SIG_MAX)
        return mean, log_std

    def sample(self, state):
        mean, log_std = self.forward(state)
        std = log_std.exp()
        normal = Normal(mean, std)
        x_t = normal.rsample()  # for reparameterization trick (mean + std * N(0,1))
        y_t = torch.tanh(x_t)
        action = y_t * self.action_scale + self.action_bias
        log_prob = normal.log_prob(x_t)
        # Enforcing Action Bound
        log_prob -= torch.log(self.action_scale * (1 - y_t.pow(2)) + epsilon)
        log_prob = log_prob.sum(1, keepdim=True)
        mean = torch.tanh(mean) * self.action_scale + self.action_bias
        return action, log_prob, mean

    def to(self, device):
        self.action_scale = self.action_scale.to(device)
        self.action_bias = self.action_bias.to(device)
        return super(GaussianPolicy, self).to(device)


torch.manual_seed(0)
S, A = 3, 2
policy = GaussianPolicy(S, A, 32, action_space=(torch.tensor([-2., -1.]).numpy(), torch.tensor([2., 1.]).numpy()))
critic = QNetwork(S, A, 32)
critic_target = QNetwork(S, A, 32)
hard_update(critic_target, critic)
policy_optim = Adam(policy.parameters(), lr=3e-3)
critic_optim = Adam(critic.parameters(), lr=3e-3)
target_entropy = -torch.prod(torch.Tensor([A])).item()
log_alpha = torch.zeros(1, requires_grad=True)
alpha_optim = Adam([log_alpha], lr=3e-3)
alpha = log_alpha.exp()
print("target entropy", target_entropy, policy.action_scale, policy.action_bias)


def reward(state, action):
    # best action: (state[0], -state[1] / 2) scaled into the box
    return -((action[:, :1] - state[:, :1]) ** 2 + (action[:, 1:] + state[:, 1:2] / 2) ** 2)


for it in range(12):
    state = torch.rand(64, S) * 2 - 1
    with torch.no_grad():
        action, _, _ = policy.sample(state)
    r = reward(state, action)
    q1, q2 = critic(state, action)
    qf_loss = F.mse_loss(q1, r) + F.mse_loss(q2, r)
    critic_optim.zero_grad()
    qf_loss.backward()
    critic_optim.step()

    pi, log_pi, _ = policy.sample(state)
    qf1_pi, qf2_pi = critic(state, pi)
    min_qf_pi = torch.min(qf1_pi, qf2_pi)
    policy_loss = ((alpha * log_pi) - min_qf_pi).mean()
    policy_optim.zero_grad()
    policy_loss.backward()
    policy_optim.step()

    alpha_loss = -(log_alpha * (log_pi + target_entropy).detach()).mean()
    alpha_optim.zero_grad()
    alpha_loss.backward()
    alpha_optim.step()
    alpha = log_alpha.exp()
    soft_update(critic_target, critic, 0.005)
    if it % 3 == 2:
        print(f"it {it} q loss {qf_loss.item():.4f} pi loss {policy_loss.item():.4f} alpha {alpha.item():.4f} "
              f"reward {r.mean().item():.4f}")

# the same policy through TanhTransform: log_prob equals the hand-written correction (scale 1, bias 0)
mean, log_std = policy(torch.zeros(4, S))
base = Independent(Normal(mean, log_std.exp()), 1)
squashed = TransformedDistribution(base, [TanhTransform(cache_size=1)])
a = squashed.rsample()
hand = (Normal(mean, log_std.exp()).log_prob(torch.atanh(a)) - torch.log(1 - a.pow(2) + epsilon)).sum(1)
print("tanh log_prob", squashed.log_prob(a).shape, torch.allclose(squashed.log_prob(a), hand, atol=1e-2))
scaled = TransformedDistribution(base, [TanhTransform(cache_size=1), AffineTransform(policy.action_bias,
                                                                                     policy.action_scale)])
s = scaled.sample((5,))
print("scaled", s.shape, bool((s[..., 0].abs() <= 2).all()), bool((s[..., 1].abs() <= 1).all()))
print(scaled.batch_shape, scaled.event_shape, base.entropy().shape, squashed.has_rsample)
try:
    squashed.entropy()
except NotImplementedError as e:
    print("NotImplementedError", e)


# a VAE written with torch.distributions
class DVAE(nn.Module):
    def __init__(self, d=20, z=2):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(d, 32), nn.Tanh(), nn.Linear(32, 2 * z))
        self.dec = nn.Sequential(nn.Linear(z, 32), nn.Tanh(), nn.Linear(32, d))
        self.z = z

    def forward(self, x):
        loc, raw = self.enc(x).chunk(2, -1)
        q = Independent(Normal(loc, F.softplus(raw) + 1e-4), 1)
        z = q.rsample()
        p = Independent(Bernoulli(logits=self.dec(z)), 1)
        prior = Independent(Normal(torch.zeros_like(loc), torch.ones_like(loc)), 1)
        return -(p.log_prob(x) - kl_divergence(q, prior)).mean()


torch.manual_seed(2)
data = (torch.rand(128, 20) < torch.linspace(0.1, 0.9, 20)).float()
vae = DVAE()
opt = Adam(vae.parameters(), lr=1e-2)
for epoch in range(5):
    for i in range(0, 128, 32):
        loss = vae(data[i:i + 32])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"vae epoch {epoch} -elbo {loss.item():.4f}")
