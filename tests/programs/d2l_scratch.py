# adapted from d2l-ai/d2l-en chapter_convolutional-modern/batch-norm.md (batch_norm and BatchNorm from
# scratch, in a LeNet) and chapter_recurrent-neural-networks/rnn-scratch.md (an RNN from scratch with
# one-hot inputs, gradient clipping by the global norm, prediction by argmax): d2l's data sets replaced by
# random images and a random token stream, the d2l helpers inlined, sizes shrunk, seeds added
import math
import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)


def batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum):
    if not torch.is_grad_enabled():
        X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
    else:
        assert len(X.shape) in (2, 4)
        if len(X.shape) == 2:
            mean = X.mean(dim=0)
            var = ((X - mean) ** 2).mean(dim=0)
        else:
            mean = X.mean(dim=(0, 2, 3), keepdim=True)
            var = ((X - mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        moving_mean = (1.0 - momentum) * moving_mean + momentum * mean
        moving_var = (1.0 - momentum) * moving_var + momentum * var
    Y = gamma * X_hat + beta
    return Y, moving_mean.data, moving_var.data


class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        super().__init__()
        if num_dims == 2:
            shape = (1, num_features)
        else:
            shape = (1, num_features, 1, 1)
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        self.moving_mean = torch.zeros(shape)
        self.moving_var = torch.ones(shape)

    def forward(self, X):
        if self.moving_mean.device != X.device:
            self.moving_mean = self.moving_mean.to(X.device)
            self.moving_var = self.moving_var.to(X.device)
        Y, self.moving_mean, self.moving_var = batch_norm(
            X, self.gamma, self.beta, self.moving_mean,
            self.moving_var, eps=1e-5, momentum=0.1)
        return Y


device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
net = nn.Sequential(
    nn.LazyConv2d(6, kernel_size=5), BatchNorm(6, num_dims=4), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.LazyConv2d(16, kernel_size=5), BatchNorm(16, num_dims=4), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2), nn.Flatten(),
    nn.LazyLinear(120), BatchNorm(120, num_dims=2), nn.Sigmoid(),
    nn.LazyLinear(84), BatchNorm(84, num_dims=2), nn.Sigmoid(),
    nn.LazyLinear(10)).to(device)
X = torch.rand(32, 1, 28, 28, device=device)
y = torch.randint(0, 10, (32,), device=device)
net(X)
opt = torch.optim.SGD(net.parameters(), lr=0.1)
for epoch in range(3):
    loss = F.cross_entropy(net(X), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"epoch {epoch}: loss {loss.item():.5f}")
print(net[1].gamma.reshape((-1,)).tolist(), net[1].beta.reshape((-1,)).tolist())
with torch.no_grad():
    print(net(X[:2]).tolist())

# -- an RNN from scratch ------------------------------------------------------------------------------
vocab_size, num_hiddens, num_steps, batch_size = 12, 16, 5, 4
corpus = torch.randint(0, vocab_size, (200,)).tolist()


class RNNScratch(nn.Module):
    def __init__(self, num_inputs, num_hiddens, sigma=0.01):
        super().__init__()
        self.num_hiddens = num_hiddens
        self.W_xh = nn.Parameter(torch.randn(num_inputs, num_hiddens) * sigma)
        self.W_hh = nn.Parameter(torch.randn(num_hiddens, num_hiddens) * sigma)
        self.b_h = nn.Parameter(torch.zeros(num_hiddens))

    def forward(self, inputs, state=None):
        if state is None:
            state = torch.zeros((inputs.shape[1], self.num_hiddens), device=inputs.device)
        else:
            state, = state
        outputs = []
        for X in inputs:
            state = torch.tanh(torch.matmul(X, self.W_xh) + torch.matmul(state, self.W_hh) + self.b_h)
            outputs.append(state)
        return outputs, state


class RNNLMScratch(nn.Module):
    def __init__(self, rnn, vocab_size):
        super().__init__()
        self.rnn, self.vocab_size = rnn, vocab_size
        self.W_hq = nn.Parameter(torch.randn(self.rnn.num_hiddens, self.vocab_size) * 0.01)
        self.b_q = nn.Parameter(torch.zeros(self.vocab_size))

    def one_hot(self, X):
        return F.one_hot(X.T, self.vocab_size).type(torch.float32)

    def output_layer(self, rnn_outputs):
        outputs = [torch.matmul(H, self.W_hq) + self.b_q for H in rnn_outputs]
        return torch.stack(outputs, 1)

    def forward(self, X, state=None):
        embs = self.one_hot(X)
        rnn_outputs, _ = self.rnn(embs, state)
        return self.output_layer(rnn_outputs)

    def predict(self, prefix, num_preds):
        state, outputs = None, [prefix[0]]
        for i in range(len(prefix) + num_preds - 1):
            X = torch.tensor([[outputs[-1]]])
            embs = self.one_hot(X)
            rnn_outputs, state = self.rnn(embs, state)
            if i < len(prefix) - 1:
                outputs.append(prefix[i + 1])
            else:
                Y = self.output_layer(rnn_outputs)
                outputs.append(int(Y.argmax(axis=2).reshape(1)))
        return outputs


def clip_gradients(grad_clip_val, model):
    params = [p for p in model.parameters() if p.requires_grad]
    norm = torch.sqrt(sum(torch.sum((p.grad ** 2)) for p in params))
    if norm > grad_clip_val:
        for param in params:
            param.grad[:] *= grad_clip_val / norm


model = RNNLMScratch(RNNScratch(vocab_size, num_hiddens), vocab_size)
opt = torch.optim.SGD(model.parameters(), lr=1)
data = torch.tensor(corpus)
for step in range(8):
    starts = torch.randint(0, len(corpus) - num_steps - 1, (batch_size,))
    Xb = torch.stack([data[s:s + num_steps] for s in starts.tolist()])
    Yb = torch.stack([data[s + 1:s + num_steps + 1] for s in starts.tolist()])
    Y_hat = model(Xb)
    loss = F.cross_entropy(Y_hat.reshape(-1, vocab_size), Yb.reshape(-1))
    opt.zero_grad()
    loss.backward()
    clip_gradients(1, model)
    opt.step()
    print(f"step {step}: loss {loss.item():.5f}, perplexity {math.exp(loss.item()):.4f}")
print(model.predict([1, 2, 3], 6))
