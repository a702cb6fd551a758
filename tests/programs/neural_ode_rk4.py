"""rtqichen/torchdiffeq examples/ode_demo.py (the spiral: true dynamics dy/dt = (y**3) @ A, ODEFunc with
a tanh MLP, get_batch, RunningAverageMeter) with a hand-written fixed-step RK4 solver in place of
torchdiffeq.odeint, trained by backpropagating through the solver; then a continuous normalizing flow step
(Hutchinson trace via torch.autograd.grad with create_graph) and an adjoint-style gradient check."""
import time

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

data_size = 200
batch_time = 10
batch_size = 16
niters = 30
test_freq = 10
device = torch.device('cpu')
torch.manual_seed(0)

true_y0 = torch.tensor([[2., 0.]]).to(device)
t = torch.linspace(0., 25., data_size).to(device)
true_A = torch.tensor([[-0.1, 2.0], [-2.0, -0.1]]).to(device)


def rk4_step(func, t0, dt, y):
    k1 = func(t0, y)
    k2 = func(t0 + dt / 2, y + dt * k1 / 2)
    k3 = func(t0 + dt / 2, y + dt * k2 / 2)
    k4 = func(t0 + dt, y + dt * k3)
    return y + dt * (k1 + 2 * k2 + 2 * k3 + k4) / 6


def odeint(func, y0, t, method='rk4', substeps=2):
    ys = [y0]
    y = y0
    for t0, t1 in zip(t[:-1], t[1:]):
        dt = (t1 - t0) / substeps
        for s in range(substeps):
            y = rk4_step(func, t0 + s * dt, dt, y)
        ys.append(y)
    return torch.stack(ys)


class Lambda(nn.Module):

    def forward(self, t, y):
        return torch.mm(y**3, true_A)


with torch.no_grad():
    true_y = odeint(Lambda(), true_y0, t, method='dopri5')
print("true_y", true_y.shape, true_y[-1])


def get_batch():
    s = torch.from_numpy(np.random.choice(np.arange(data_size - batch_time, dtype=np.int64), batch_size,
                                          replace=False))
    batch_y0 = true_y[s]  # (M, D)
    batch_t = t[:batch_time]  # (T)
    batch_y = torch.stack([true_y[s + i] for i in range(batch_time)], dim=0)  # (T, M, D)
    return batch_y0.to(device), batch_t.to(device), batch_y.to(device)


class ODEFunc(nn.Module):

    def __init__(self):
        super(ODEFunc, self).__init__()

        self.net = nn.Sequential(
            nn.Linear(2, 50),
            nn.Tanh(),
            nn.Linear(50, 2),
        )

        for m in self.net.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, mean=0, std=0.1)
                nn.init.constant_(m.bias, val=0)
        self.nfe = 0

    def forward(self, t, y):
        self.nfe += 1
        return self.net(y**3)


class RunningAverageMeter(object):
    """Computes and stores the average and current value"""

    def __init__(self, momentum=0.99):
        self.momentum = momentum
        self.reset()

    def reset(self):
        self.val = None
        self.avg = 0

    def update(self, val):
        if self.val is None:
            self.avg = val
        else:
            self.avg = self.avg * self.momentum + val * (1 - self.momentum)
        self.val = val


np.random.seed(0)
ii = 0
func = ODEFunc().to(device)
optimizer = optim.RMSprop(func.parameters(), lr=1e-3)
end = time.time()
time_meter = RunningAverageMeter(0.97)
loss_meter = RunningAverageMeter(0.97)
first = None
for itr in range(1, niters + 1):
    optimizer.zero_grad()
    batch_y0, batch_t, batch_y = get_batch()
    pred_y = odeint(func, batch_y0, batch_t).to(device)
    loss = torch.mean(torch.abs(pred_y - batch_y))
    loss.backward()
    optimizer.step()
    time_meter.update(time.time() - end)
    loss_meter.update(loss.item())
    if itr % test_freq == 0:
        with torch.no_grad():
            pred_y = odeint(func, true_y0, t[:60])
            loss = torch.mean(torch.abs(pred_y - true_y[:60]))
            print('Iter {:04d} | Total Loss {:.6f} | nfe {}'.format(itr, loss.item(), func.nfe))
            first = first or loss.item()
            ii += 1
    end = time.time()
print("loss fell:", loss.item() < first * 1.5, "meter", round(loss_meter.avg, 4))


# a continuous normalizing flow's dynamics: dz/dt = f(z), dlogp/dt = -trace(df/dz) (exact, 2-d)
class CNF(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(3, 16), nn.Softplus(), nn.Linear(16, 2))

    def forward(self, t, state):
        z, _ = state[:, :2], state[:, 2:]
        with torch.enable_grad():
            z = z.requires_grad_(True) if not z.requires_grad else z
            dz = self.f(torch.cat([z, t.expand(z.shape[0], 1)], 1))
            trace = sum(torch.autograd.grad(dz[:, i].sum(), z, create_graph=True)[0][:, i] for i in range(2))
        return torch.cat([dz, -trace[:, None]], 1)


torch.manual_seed(1)
cnf = CNF()
opt = optim.Adam(cnf.parameters(), lr=1e-2)
target = torch.randn(64, 2) * 0.5 + torch.tensor([1.0, -1.0])
for it in range(6):
    state = torch.cat([target, torch.zeros(64, 1)], 1)
    out = odeint(cnf, state, torch.tensor([1.0, 0.0]), substeps=4)[-1]
    z0, delta_logp = out[:, :2], out[:, 2:]
    logp0 = torch.distributions.Normal(0., 1.).log_prob(z0).sum(1, keepdim=True)
    loss = -(logp0 - delta_logp).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"cnf it {it} nll {loss.item():.4f}")

# gradient through the solver against finite differences, in double precision
w = torch.tensor([[-0.1, 2.0], [-2.0, -0.1]], dtype=torch.float64, requires_grad=True)
y0 = torch.tensor([[1.0, 0.5]], dtype=torch.float64)
sol = odeint(lambda t_, y: y @ w, y0, torch.linspace(0, 1, 5, dtype=torch.float64))
sol[-1].pow(2).sum().backward()
print("dL/dA", w.grad)
print(torch.autograd.gradcheck(lambda a: odeint(lambda t_, y: torch.tanh(y @ a), y0,
                                               torch.linspace(0, 1, 3, dtype=torch.float64))[-1], (w,)))
