"""Discrete and sparse latents as their repositories write them: YongfeiYan/Gumbel_Softmax_VAE (sample_gumbel
by hand, the straight-through hard sample by scatter_, KL to a uniform categorical, temperature annealing)
next to F.gumbel_softmax, and openai/sparse_autoencoder (pre-bias, TopK by topk + scatter_, LN
preprocessing, normalised MSE and L1 losses, the stats_last_nonzero buffer) with the unit-norm decoder and
gradient projection of the SAE training libraries, a Weiszfeld geometric-median init and dead-latent
resampling by multinomial."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
latent_dim, categorical_dim = 4, 5


def sample_gumbel(shape, eps=1e-20):
    U = torch.rand(shape)
    return -torch.log(-torch.log(U + eps) + eps)


def gumbel_softmax_sample(logits, temperature):
    y = logits + sample_gumbel(logits.size())
    return F.softmax(y / temperature, dim=-1)


def gumbel_softmax(logits, temperature, hard=False):
    """
    ST-gumple-softmax
    input: [*, n_class]
    return: flatten --> [*, n_class] an one-hot vector
    """
    y = gumbel_softmax_sample(logits, temperature)

    if not hard:
        return y.view(-1, latent_dim * categorical_dim)

    shape = y.size()
    _, ind = y.max(dim=-1)
    y_hard = torch.zeros_like(y).view(-1, shape[-1])
    y_hard.scatter_(1, ind.view(-1, 1), 1)
    y_hard = y_hard.view(*shape)
    # Set gradients w.r.t. y_hard gradients w.r.t. y
    y_hard = (y_hard - y).detach() + y
    return y_hard.view(-1, latent_dim * categorical_dim)


class VAE_gumbel(nn.Module):
    def __init__(self, temp, hard):
        super(VAE_gumbel, self).__init__()
        self.fc1 = nn.Linear(36, 32)
        self.fc2 = nn.Linear(32, 24)
        self.fc3 = nn.Linear(24, latent_dim * categorical_dim)
        self.fc4 = nn.Linear(latent_dim * categorical_dim, 24)
        self.fc5 = nn.Linear(24, 32)
        self.fc6 = nn.Linear(32, 36)
        self.relu = nn.ReLU()
        self.sigmoid = nn.Sigmoid()
        self.hard = hard

    def encode(self, x):
        h1 = self.relu(self.fc1(x))
        h2 = self.relu(self.fc2(h1))
        return self.relu(self.fc3(h2))

    def decode(self, z):
        h4 = self.relu(self.fc4(z))
        h5 = self.relu(self.fc5(h4))
        return self.sigmoid(self.fc6(h5))

    def forward(self, x, temp):
        q = self.encode(x.view(-1, 36))
        q_y = q.view(q.size(0), latent_dim, categorical_dim)
        z = gumbel_softmax(q_y, temp, self.hard)
        return self.decode(z), F.softmax(q_y, dim=-1).reshape(*q.size())


# Reconstruction + KL divergence losses summed over all elements and batch
def loss_function(recon_x, x, qy):
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, 36), reduction='sum') / x.shape[0]

    log_ratio = torch.log(qy * categorical_dim + 1e-20)
    KLD = torch.sum(qy * log_ratio, dim=-1).mean()

    return BCE + KLD


data = (torch.rand(64, 6, 6) > 0.6).float()
for hard in (False, True):
    torch.manual_seed(1)
    model = VAE_gumbel(1.0, hard)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    temp, temp_min, ANNEAL_RATE = 1.0, 0.5, 0.00003
    for epoch in range(3):
        train_loss = 0
        for batch_idx in range(4):
            x = data[batch_idx * 16:(batch_idx + 1) * 16]
            optimizer.zero_grad()
            recon_batch, qy = model(x, temp)
            loss = loss_function(recon_batch, x, qy)
            loss.backward()
            train_loss += loss.item() * len(x)
            optimizer.step()
            if batch_idx % 2 == 1:
                temp = np.maximum(temp * np.exp(-ANNEAL_RATE * batch_idx), temp_min)
        print(f"hard={hard} epoch {epoch}: loss {train_loss / 64:.5f} temp {temp:.6f}")

logits = torch.randn(3, 5, requires_grad=True)
soft = F.gumbel_softmax(logits, tau=0.5)
hard = F.gumbel_softmax(logits, tau=0.5, hard=True)
print(soft.sum(-1), hard.sum(-1), hard.max(-1).values)
(hard * torch.arange(5.)).sum().backward()
print(f"straight-through grad {logits.grad.abs().sum().item():.6f}", hard.grad_fn.name())
try:
    F.gumbel_softmax(logits, tau=0.5, hard=True, dim=2)
except IndexError as e:
    print("IndexError:", e)


# -- sparse autoencoders ------------------------------------------------------------------------------
def LN(x: torch.Tensor, eps: float = 1e-5):
    mu = x.mean(dim=-1, keepdim=True)
    x = x - mu
    std = x.std(dim=-1, keepdim=True)
    x = x / (std + eps)
    return x, mu, std


class TopK(nn.Module):
    def __init__(self, k: int, postact_fn=nn.ReLU()) -> None:
        super().__init__()
        self.k = k
        self.postact_fn = postact_fn

    def forward(self, x):
        topk = torch.topk(x, k=self.k, dim=-1)
        values = self.postact_fn(topk.values)
        # make all other values 0
        result = torch.zeros_like(x)
        result.scatter_(-1, topk.indices, values)
        return result


class Autoencoder(nn.Module):
    def __init__(self, n_latents: int, n_inputs: int, activation=nn.ReLU(), tied: bool = False,
                 normalize: bool = False) -> None:
        super().__init__()

        self.pre_bias = nn.Parameter(torch.zeros(n_inputs))
        self.encoder = nn.Linear(n_inputs, n_latents, bias=False)
        self.latent_bias = nn.Parameter(torch.zeros(n_latents))
        self.activation = activation
        self.decoder = nn.Linear(n_latents, n_inputs, bias=False)
        self.normalize = normalize

        self.stats_last_nonzero: torch.Tensor
        self.latents_activation_frequency: torch.Tensor
        self.latents_mean_square: torch.Tensor
        self.register_buffer("stats_last_nonzero", torch.zeros(n_latents, dtype=torch.long))
        self.register_buffer("latents_activation_frequency", torch.ones(n_latents, dtype=torch.float))
        self.register_buffer("latents_mean_square", torch.zeros(n_latents, dtype=torch.float))

    def encode_pre_act(self, x, latent_slice: slice = slice(None)):
        x = x - self.pre_bias
        latents_pre_act = F.linear(x, self.encoder.weight[latent_slice], self.latent_bias[latent_slice])
        return latents_pre_act

    def preprocess(self, x):
        if not self.normalize:
            return x, dict()
        x, mu, std = LN(x)
        return x, dict(mu=mu, std=std)

    def decode(self, latents, info=None):
        ret = self.decoder(latents) + self.pre_bias
        if self.normalize:
            assert info is not None
            ret = ret * info["std"] + info["mu"]
        return ret

    def forward(self, x):
        x, info = self.preprocess(x)
        latents_pre_act = self.encode_pre_act(x)
        latents = self.activation(latents_pre_act)
        recons = self.decode(latents, info)

        # set all indices of self.stats_last_nonzero where (latents != 0) to 0
        self.stats_last_nonzero *= (latents == 0).all(dim=0).long()
        self.stats_last_nonzero += 1

        return latents_pre_act, latents, recons


def normalized_mean_squared_error(reconstruction, original_input):
    return (((reconstruction - original_input) ** 2).mean(dim=1) / (original_input**2).mean(dim=1)).mean()


def normalized_L1_loss(latent_activations, original_input):
    return (latent_activations.abs().sum(dim=1) / original_input.norm(dim=1)).mean()


@torch.no_grad()
def set_decoder_norm_to_unit_norm(W_dec):
    W_dec.data /= W_dec.data.norm(dim=0, keepdim=True)


@torch.no_grad()
def remove_gradient_parallel_to_decoder_directions(W_dec):
    parallel_component = torch.einsum("id,id->d", W_dec.grad, W_dec.data)
    W_dec.grad -= torch.einsum("d,id->id", parallel_component, W_dec.data)


def geometric_median(points, max_iter=50, tol=1e-6):
    median = points.mean(0)
    for _ in range(max_iter):
        weights = 1 / torch.norm(points - median, dim=1).clamp_min(1e-8)
        new = (weights[:, None] * points).sum(0) / weights.sum()
        if torch.norm(new - median) < tol:
            break
        median = new
    return median


torch.manual_seed(2)
dictionary = F.normalize(torch.randn(48, 16), dim=-1)
codes = torch.relu(torch.randn(256, 48) - 1.5)
acts = codes @ dictionary + 0.01 * torch.randn(256, 16)
for name, activation, normalize in (("relu+l1", nn.ReLU(), False), ("topk", TopK(4), True)):
    torch.manual_seed(3)
    sae = Autoencoder(64, 16, activation=activation, normalize=normalize)
    with torch.no_grad():
        sae.pre_bias.copy_(geometric_median(acts))
        sae.decoder.weight.copy_(sae.encoder.weight.t())
    set_decoder_norm_to_unit_norm(sae.decoder.weight)
    opt = torch.optim.Adam(sae.parameters(), lr=2e-3)
    for step in range(8):
        batch = acts[step % 4 * 64:(step % 4 + 1) * 64]
        pre, latents, recons = sae(batch)
        mse = normalized_mean_squared_error(recons, batch)
        loss = mse + (normalized_L1_loss(latents, batch) * 1e-2 if name == "relu+l1" else 0)
        opt.zero_grad()
        loss.backward()
        remove_gradient_parallel_to_decoder_directions(sae.decoder.weight)
        opt.step()
        set_decoder_norm_to_unit_norm(sae.decoder.weight)
        if step % 2 == 1:
            l0 = (latents != 0).float().sum(-1).mean().item()
            print(f"{name} step {step}: nmse {mse.item():.5f} L0 {l0:.3f} "
                  f"dead {(sae.stats_last_nonzero > 4).sum().item()}")
    print(f"{name}: decoder norms {sae.decoder.weight.norm(dim=0).mean().item():.6f} "
          f"pre_bias {sae.pre_bias.norm().item():.5f}")

# resample dead latents from the inputs the autoencoder reconstructs worst
with torch.no_grad():
    _, _, recons = sae(acts)
    losses = ((recons - acts) ** 2).sum(-1)
    dead = torch.nonzero(sae.stats_last_nonzero > 4).squeeze(-1)
    picks = torch.multinomial(losses ** 2, num_samples=max(1, dead.numel()), replacement=True)
    print(dead.numel(), picks.shape, f"{losses.mean().item():.5f}")
    if dead.numel():
        sae.encoder.weight[dead] = F.normalize(acts[picks], dim=-1) * 0.2
        sae.latent_bias[dead] = 0
        sae.stats_last_nonzero[dead] = 0
print(sae.stats_last_nonzero.max().item(), sorted(sae.state_dict())[:4])
