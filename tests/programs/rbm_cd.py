"""Restricted Boltzmann machines as two popular PyTorch repositories write them, on 4x4 bars-and-stripes in
place of MNIST: GabrielBianconi/pytorch-rbm (plain tensors, contrastive divergence CD-k by hand with
momentum and weight decay, torch.rand thresholds) and odie2630463/Restricted-Boltzmann-Machines-using-pytorch
(an nn.Module whose loss is the free-energy difference, sampling by relu(sign(p - rand)), Variable, SGD);
then persistent CD with torch.bernoulli and a Generator, and the exact log-likelihood of the small model by
enumerating every hidden state (logsumexp over 2**n states)."""
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.autograd import Variable


class RBM():

    def __init__(self, num_visible, num_hidden, k, learning_rate=1e-3, momentum_coefficient=0.5,
                 weight_decay=1e-4, use_cuda=True):
        self.num_visible = num_visible
        self.num_hidden = num_hidden
        self.k = k
        self.learning_rate = learning_rate
        self.momentum_coefficient = momentum_coefficient
        self.weight_decay = weight_decay
        self.use_cuda = use_cuda

        self.weights = torch.randn(num_visible, num_hidden) * 0.1
        self.visible_bias = torch.ones(num_visible) * 0.5
        self.hidden_bias = torch.zeros(num_hidden)

        self.weights_momentum = torch.zeros(num_visible, num_hidden)
        self.visible_bias_momentum = torch.zeros(num_visible)
        self.hidden_bias_momentum = torch.zeros(num_hidden)

        if self.use_cuda:
            self.weights = self.weights.cuda()
            self.visible_bias = self.visible_bias.cuda()
            self.hidden_bias = self.hidden_bias.cuda()

            self.weights_momentum = self.weights_momentum.cuda()
            self.visible_bias_momentum = self.visible_bias_momentum.cuda()
            self.hidden_bias_momentum = self.hidden_bias_momentum.cuda()

    def sample_hidden(self, visible_probabilities):
        hidden_activations = torch.matmul(visible_probabilities, self.weights) + self.hidden_bias
        hidden_probabilities = self._sigmoid(hidden_activations)
        return hidden_probabilities

    def sample_visible(self, hidden_probabilities):
        visible_activations = torch.matmul(hidden_probabilities, self.weights.t()) + self.visible_bias
        visible_probabilities = self._sigmoid(visible_activations)
        return visible_probabilities

    def contrastive_divergence(self, input_data):
        # Positive phase
        positive_hidden_probabilities = self.sample_hidden(input_data)
        positive_hidden_activations = (positive_hidden_probabilities >= self._random_probabilities(self.num_hidden)).float()
        positive_associations = torch.matmul(input_data.t(), positive_hidden_activations)

        # Negative phase
        hidden_activations = positive_hidden_activations

        for step in range(self.k):
            visible_probabilities = self.sample_visible(hidden_activations)
            hidden_probabilities = self.sample_hidden(visible_probabilities)
            hidden_activations = (hidden_probabilities >= self._random_probabilities(self.num_hidden)).float()

        negative_visible_probabilities = visible_probabilities
        negative_hidden_probabilities = hidden_probabilities

        negative_associations = torch.matmul(negative_visible_probabilities.t(), negative_hidden_probabilities)

        # Update parameters
        self.weights_momentum *= self.momentum_coefficient
        self.weights_momentum += (positive_associations - negative_associations)

        self.visible_bias_momentum *= self.momentum_coefficient
        self.visible_bias_momentum += torch.sum(input_data - negative_visible_probabilities, dim=0)

        self.hidden_bias_momentum *= self.momentum_coefficient
        self.hidden_bias_momentum += torch.sum(positive_hidden_probabilities - negative_hidden_probabilities, dim=0)

        batch_size = input_data.size(0)

        self.weights += self.weights_momentum * self.learning_rate / batch_size
        self.visible_bias += self.visible_bias_momentum * self.learning_rate / batch_size
        self.hidden_bias += self.hidden_bias_momentum * self.learning_rate / batch_size

        self.weights -= self.weights * self.weight_decay  # L2 weight decay

        # Compute reconstruction error
        error = torch.sum((input_data - negative_visible_probabilities)**2)

        return error

    def _sigmoid(self, x):
        return 1 / (1 + torch.exp(-x))

    def _random_probabilities(self, num):
        random_probabilities = torch.rand(num)

        if self.use_cuda:
            random_probabilities = random_probabilities.cuda()

        return random_probabilities


class ModuleRBM(nn.Module):
    def __init__(self,
                 n_vis=784,
                 n_hin=500,
                 k=5):
        super(ModuleRBM, self).__init__()
        self.W = nn.Parameter(torch.randn(n_hin,n_vis)*1e-2)
        self.v_bias = nn.Parameter(torch.zeros(n_vis))
        self.h_bias = nn.Parameter(torch.zeros(n_hin))
        self.k = k

    def sample_from_p(self,p):
        return F.relu(torch.sign(p - Variable(torch.rand(p.size()))))

    def v_to_h(self,v):
        p_h = F.sigmoid(F.linear(v,self.W,self.h_bias))
        sample_h = self.sample_from_p(p_h)
        return p_h,sample_h

    def h_to_v(self,h):
        p_v = F.sigmoid(F.linear(h,self.W.t(),self.v_bias))
        sample_v = self.sample_from_p(p_v)
        return p_v,sample_v

    def forward(self,v):
        pre_h1,h1 = self.v_to_h(v)

        h_ = h1
        for _ in range(self.k):
            pre_v_,v_ = self.h_to_v(h_)
            pre_h_,h_ = self.v_to_h(v_)

        return v,v_

    def free_energy(self,v):
        vbias_term = v.mv(self.v_bias)
        wx_b = F.linear(v,self.W,self.h_bias)
        hidden_term = wx_b.exp().add(1).log().sum(1)
        return (-hidden_term - vbias_term).mean()


def bars_and_stripes(n=4):
    rows = []
    for bits in itertools.product([0, 1], repeat=n):
        row = torch.tensor(bits, dtype=torch.float32)
        rows.append(row.unsqueeze(1).expand(n, n).reshape(-1))  # stripes
        rows.append(row.unsqueeze(0).expand(n, n).reshape(-1))  # bars
    return torch.unique(torch.stack(rows), dim=0)


data = bars_and_stripes()
print(data.shape, data.sum().item())

CUDA = torch.cuda.is_available()
torch.manual_seed(0)
rbm = RBM(16, 8, k=2, learning_rate=0.05, use_cuda=CUDA)
for epoch in range(8):
    perm = torch.randperm(data.size(0))
    epoch_error = 0.0
    for i in range(0, data.size(0), 10):
        batch = data[perm[i:i + 10]]
        if CUDA:
            batch = batch.cuda()
        batch_error = rbm.contrastive_divergence(batch)
        epoch_error += batch_error
    print('Epoch Error (epoch=%d): %.4f' % (epoch, epoch_error))
print(rbm.weights[:2, :4].cpu())

torch.manual_seed(1)
model = ModuleRBM(n_vis=16, n_hin=8, k=1)
train_op = optim.SGD(model.parameters(), 0.1)
for epoch in range(6):
    loss_ = []
    for i in range(0, data.size(0), 10):
        sample_data = Variable(data[i:i + 10]).bernoulli()
        v, v1 = model(sample_data)
        loss = model.free_energy(v) - model.free_energy(v1)
        loss_.append(loss.item())
        train_op.zero_grad()
        loss.backward()
        train_op.step()
    print("Training loss for {} epoch: {:.5f}".format(epoch, sum(loss_) / len(loss_)))
print(type(model.free_energy(data).grad_fn).__name__, v1.dtype, v1.unique().tolist())

# persistent CD: chains kept between updates, sampled with torch.bernoulli and a Generator
g = torch.Generator().manual_seed(7)
W = torch.zeros(16, 8)
b, c = torch.zeros(16), torch.zeros(8)
chains = torch.bernoulli(torch.full((10, 16), 0.5), generator=g)
for step in range(30):
    batch = data[torch.randint(0, data.size(0), (10,), generator=g)]
    ph = torch.sigmoid(batch @ W + c)
    for _ in range(1):
        h = torch.bernoulli(torch.sigmoid(chains @ W + c), generator=g)
        chains = torch.bernoulli(torch.sigmoid(h @ W.t() + b), generator=g)
    nh = torch.sigmoid(chains @ W + c)
    W.add_(0.1 * (batch.t() @ ph - chains.t() @ nh) / 10)
    b.add_(0.1 * (batch - chains).mean(0))
    c.add_(0.1 * (ph - nh).mean(0))
print(f"pcd: |W| {W.norm().item():.5f} b {b.mean().item():.5f} chains {chains.sum().item():.0f}")

# the exact log-likelihood: the partition function over every hidden state
hidden = torch.tensor(list(itertools.product([0., 1.], repeat=8)))  # (256, 8)
visible = torch.tensor(list(itertools.product([0., 1.], repeat=16)))  # (65536, 16)


def free_energy(v):
    return -(v @ b) - F.softplus(v @ W + c).sum(-1)


log_z = torch.logsumexp(-free_energy(visible), dim=0)
log_z_h = torch.logsumexp(hidden @ c + F.softplus(hidden @ W.t() + b).sum(-1), dim=0)
nll = (free_energy(data) + log_z).mean()
print(f"log Z {log_z.item():.4f} (over h: {log_z_h.item():.4f}), data NLL {nll.item():.4f}")
p = torch.exp(-free_energy(visible) - log_z)
print(f"sum p {p.sum().item():.5f}, mass on the data {p[(visible[:, None] == data).all(-1).any(-1)].sum().item():.5f}")
