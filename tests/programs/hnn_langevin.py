"""Physics-flavoured autograd as greydanus/hamiltonian-nn and the MCMC tutorials write it: an HNN whose
time derivative is the symplectic gradient of a learned scalar (torch.autograd.grad(create_graph=True),
torch.eye(2).roll/permute for the permutation matrix M, torch.split of dx), trained on a mass-spring's
samples and integrated with a hand-written RK4; then sampling by gradients: unadjusted Langevin dynamics on
a banana density, SGLD by a torch.optim.Optimizer subclass adding noise to p.grad, and Hamiltonian Monte
Carlo with a leapfrog integrator and a Metropolis test (torch.exp, torch.rand, torch.where)."""
import math

import torch
import torch.nn as nn

torch.manual_seed(0)


class MLP(torch.nn.Module):
    def __init__(self, input_dim, hidden_dim, output_dim, nonlinearity='tanh'):
        super(MLP, self).__init__()
        self.linear1 = torch.nn.Linear(input_dim, hidden_dim)
        self.linear2 = torch.nn.Linear(hidden_dim, hidden_dim)
        self.linear3 = torch.nn.Linear(hidden_dim, output_dim, bias=None)
        for l in [self.linear1, self.linear2, self.linear3]:
            torch.nn.init.orthogonal_(l.weight)
        self.nonlinearity = torch.tanh

    def forward(self, x, separate_fields=False):
        h = self.nonlinearity(self.linear1(x))
        h = self.nonlinearity(self.linear2(h))
        return self.linear3(h)


class HNN(torch.nn.Module):
    def __init__(self, input_dim, differentiable_model, field_type='solenoidal', baseline=False, assume_canonical_coords=True):
        super(HNN, self).__init__()
        self.baseline = baseline
        self.differentiable_model = differentiable_model
        self.assume_canonical_coords = assume_canonical_coords
        self.M = self.permutation_tensor(input_dim)
        self.field_type = field_type

    def forward(self, x):
        if self.baseline:
            return self.differentiable_model(x)
        y = self.differentiable_model(x)
        assert y.dim() == 2 and y.shape[1] == 2, "Output tensor should have shape [batch_size, 2]"
        return y.split(1, 1)

    def time_derivative(self, x, t=None, separate_fields=False):
        if self.baseline:
            return self.differentiable_model(x)
        F1, F2 = self.forward(x)
        conservative_field = torch.zeros_like(x)
        solenoidal_field = torch.zeros_like(x)
        if self.field_type != 'solenoidal':
            dF1 = torch.autograd.grad(F1.sum(), x, create_graph=True)[0]
            conservative_field = dF1 @ torch.eye(*self.M.shape)
        if self.field_type != 'conservative':
            dF2 = torch.autograd.grad(F2.sum(), x, create_graph=True)[0]
            solenoidal_field = dF2 @ self.M.t()
        if separate_fields:
            return [conservative_field, solenoidal_field]
        return conservative_field + solenoidal_field

    def permutation_tensor(self, n):
        M = None
        if self.assume_canonical_coords:
            M = torch.eye(n)
            M = torch.cat([M[n // 2:], -M[:n // 2]])
        else:
            M = torch.ones(n, n)
            M *= 1 - torch.eye(n)
            M[::2] *= -1
            M[:, ::2] *= -1
            for i in range(n):
                for j in range(i + 1, n):
                    M[i, j] *= -1
        return M


def get_dataset(n=64, noise_std=0.1):
    q = torch.rand(n) * 2 - 1
    p = torch.rand(n) * 2 - 1
    x = torch.stack([q, p], 1)
    dx = torch.stack([p, -q], 1)
    return x + noise_std * torch.randn_like(x), dx


x, dxdt = get_dataset()
model = HNN(2, differentiable_model=MLP(2, 32, 2), field_type='solenoidal')
print("M", model.M.tolist(), "non-canonical", model.permutation_tensor(4).tolist())
optim = torch.optim.Adam(model.parameters(), 1e-2, weight_decay=1e-4)
x.requires_grad_(True)
for step in range(40):
    dxdt_hat = model.time_derivative(x)
    loss = (dxdt - dxdt_hat).pow(2).mean()
    loss.backward()
    grad = torch.cat([p.grad.flatten() for p in model.parameters()]).clone()
    optim.step()
    optim.zero_grad()
    if step % 10 == 0:
        print("step {}, train_loss {:.4e}, grad norm {:.4e}, grad std {:.4e}".format(
            step, loss.item(), grad @ grad, grad.std()))
cons, sol = model.time_derivative(x[:3], separate_fields=True)
print("fields", cons.abs().sum().item(), sol.shape, sol.requires_grad)
both = HNN(2, MLP(2, 8, 2), field_type='both')
print("both", both.time_derivative(torch.tensor([[0.5, -0.2]], requires_grad=True)).shape)


def rk4(fun, y0, t_span, steps):
    h = (t_span[1] - t_span[0]) / steps
    y = y0
    traj = [y0]
    for i in range(steps):
        k1 = fun(y)
        k2 = fun(y + h / 2 * k1)
        k3 = fun(y + h / 2 * k2)
        k4 = fun(y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        traj.append(y)
    return torch.stack(traj)


def field(y):
    y = y.detach().requires_grad_(True)
    return model.time_derivative(y).detach()


traj = rk4(field, torch.tensor([[1.0, 0.0]]), (0, 2 * math.pi), 20)
energy = 0.5 * (traj ** 2).sum(-1).squeeze()
print("energy drift", f"{(energy[-1] - energy[0]).item():.4f}", traj[-1].round(decimals=3).tolist())


def log_banana(z):
    z1, z2 = z[..., 0], z[..., 1]
    return -0.5 * (z1 ** 2 / 4 + (z2 - 0.5 * z1 ** 2) ** 2)


def grad_log_p(z):
    z = z.detach().requires_grad_()
    lp = log_banana(z)
    (g,) = torch.autograd.grad(lp.sum(), z)
    return g, lp.detach()


z = torch.zeros(256, 2)
eps = 0.05
for it in range(200):
    g, _ = grad_log_p(z)
    z = z + eps * g + math.sqrt(2 * eps) * torch.randn_like(z)
print("ula mean", z.mean(0).round(decimals=3).tolist(), "var", z.var(0).round(decimals=2).tolist())


class SGLD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, temperature=1.0):
        defaults = dict(lr=lr, temperature=temperature)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group['params']:
                if p.grad is None:
                    continue
                noise = torch.randn_like(p) * math.sqrt(2 * group['lr'] * group['temperature'])
                p.add_(p.grad, alpha=-group['lr']).add_(noise)
        return loss


theta = torch.zeros(256, 2, requires_grad=True)
sgld = SGLD([theta], lr=0.05)
samples = []
for it in range(150):
    def closure():
        sgld.zero_grad()
        nll = -log_banana(theta).sum()
        nll.backward()
        return nll
    nll = sgld.step(closure)
    if it >= 100:
        samples.append(theta.detach().clone())
print("sgld", f"{nll.item():.3f}", torch.cat(samples).mean(0).round(decimals=3).tolist(), sgld)


def leapfrog(q, p, step_size, n_steps):
    g, _ = grad_log_p(q)
    p = p + 0.5 * step_size * g
    for i in range(n_steps):
        q = q + step_size * p
        g, _ = grad_log_p(q)
        if i != n_steps - 1:
            p = p + step_size * g
    p = p + 0.5 * step_size * g
    return q, p


q = torch.zeros(128, 2)
accepted = 0
for it in range(60):
    p0 = torch.randn_like(q)
    q_new, p_new = leapfrog(q, p0, 0.2, 8)
    h0 = -log_banana(q) + 0.5 * (p0 ** 2).sum(-1)
    h1 = -log_banana(q_new) + 0.5 * (p_new ** 2).sum(-1)
    accept = torch.rand(q.shape[0]) < torch.exp(torch.clamp(h0 - h1, max=0.0))
    q = torch.where(accept[:, None], q_new, q)
    accepted += accept.float().mean().item()
print("hmc acceptance", round(accepted / 60, 3), "mean", q.mean(0).round(decimals=2).tolist())
