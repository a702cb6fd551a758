"""An old training script as torch 0.3/0.4-era code wrote it (the pytorch/examples and blog posts of 2017-18,
still run today): ``Variable``, ``torch.has_cuda``, a hand-written linear layer on the deprecated
``torch.addmm(beta, bias, alpha, x, w)``, an RNN cell on ``addmm_``'s scalar-first form, ``baddbmm`` and
``addbmm`` with beta first, SGD written as ``p.data.add_(-lr, p.grad.data)``, momentum by ``addcmul``'s old
form, ``loss.data[0]`` (today's IndexError) and ``loss.item()``; the warnings each prints once."""
import warnings

import torch
import torch.nn as nn
from torch.autograd import Variable

caught = warnings.catch_warnings(record=True)
log = caught.__enter__()
warnings.simplefilter("always")
torch.manual_seed(1)
use_cuda = torch.has_cuda and torch.cuda.is_available()
print("cuda:", use_cuda)


class OldLinear(nn.Module):
    def __init__(self, n_in, n_out):
        super(OldLinear, self).__init__()
        self.weight = nn.Parameter(torch.randn(n_out, n_in) * (1.0 / n_in) ** 0.5)
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        bias = self.bias.unsqueeze(0).expand(x.size(0), self.bias.size(0))
        return torch.addmm(1, bias, 1, x, self.weight.t())


class OldRNNCell(nn.Module):
    def __init__(self, n_in, n_hidden):
        super(OldRNNCell, self).__init__()
        self.w_ih = nn.Parameter(torch.randn(n_in, n_hidden) * 0.3)
        self.w_hh = nn.Parameter(torch.randn(n_hidden, n_hidden) * 0.3)

    def forward(self, x, h):
        pre = x.mm(self.w_ih)
        pre = pre.addmm(1, 1, h, self.w_hh)  # (beta, alpha, mat1, mat2)
        return torch.tanh(pre)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.cell = OldRNNCell(3, 8)
        self.out = OldLinear(8, 2)

    def forward(self, seq):
        h = Variable(torch.zeros(seq.size(1), 8))
        for t in range(seq.size(0)):
            h = self.cell(seq[t], h)
        return self.out(h)


# a toy task: is the sequence's sum of its first feature positive
xs = torch.randn(6, 32, 3)
ys = (xs[:, :, 0].sum(0) > 0).long()
net = Net()
lr, mu = 0.2, 0.5
velocity = {id(p): torch.zeros_like(p.data) for p in net.parameters()}
crit = nn.CrossEntropyLoss()
for epoch in range(12):
    x, y = Variable(xs), Variable(ys)
    loss = crit(net(x), y)
    net.zero_grad()
    loss.backward()
    for p in net.parameters():
        v = velocity[id(p)]
        v.mul_(mu).add_(1, p.grad.data)  # the old add_(alpha, other)
        p.data.add_(-lr, v)
    try:
        shown = loss.data[0]
    except IndexError as e:
        shown = loss.item()
        if epoch == 0:
            print("IndexError:", e)
    if epoch % 3 == 0:
        print("epoch %d loss %.5f" % (epoch, shown))

with torch.no_grad():
    acc = (net(Variable(xs)).max(1)[1] == ys).float().mean()
print("accuracy %.4f" % acc)

# the batched products with beta first, and addcmul's and addcdiv's old forms
b1, b2 = torch.randn(4, 2, 3), torch.randn(4, 3, 5)
acc_in = torch.ones(4, 2, 5)
print(torch.baddbmm(0.5, acc_in, 2, b1, b2).sum().item())
print(torch.addbmm(0.5, acc_in[0], b1, b2).sum().item())
print(acc_in[0].clone().addbmm_(2, 0.5, b1, b2).sum().item())
print(torch.addmv(0, torch.zeros(2), 1, b1[0], b2[0, :, 0]).tolist())
print(torch.addr(1, torch.eye(2), 2, torch.ones(2), torch.arange(2.0)).tolist())
print(torch.addcmul(torch.zeros(3), 0.5, torch.ones(3), torch.arange(3.0)).tolist())
print(torch.addcdiv(torch.zeros(3), 2, torch.ones(3), torch.arange(1.0, 4.0)).tolist())
caught.__exit__(None, None, None)
for w in log:
    print(w.category.__name__, str(w.message).split(" (Triggered")[0].splitlines()[:2])
