"""Two kinds of training outside plain backprop, as their public tutorials write them: the NeurIPS implicit
layers tutorial's deep equilibrium layer (chapter 4: a forward fixed point by Anderson acceleration with
torch.linalg.solve on the bordered system, the backward fixed point through a hook registered on the
output, gradcheck of the implicit layer), and OpenAI-style evolution strategies (parameters_to_vector /
vector_to_parameters, antithetic sampling, centered ranks, Adam on the ES gradient) on a small regression."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import parameters_to_vector, vector_to_parameters

torch.manual_seed(0)


def anderson(f, x0, m=5, lam=1e-4, max_iter=50, tol=1e-4, beta=1.0):
    """ Anderson acceleration for fixed point iteration. """
    bsz, d, H, W = x0.shape
    X = torch.zeros(bsz, m, d * H * W, dtype=x0.dtype, device=x0.device)
    F_ = torch.zeros(bsz, m, d * H * W, dtype=x0.dtype, device=x0.device)
    X[:, 0], F_[:, 0] = x0.view(bsz, -1), f(x0).view(bsz, -1)
    X[:, 1], F_[:, 1] = F_[:, 0], f(F_[:, 0].view_as(x0)).view(bsz, -1)

    Hm = torch.zeros(bsz, m + 1, m + 1, dtype=x0.dtype, device=x0.device)
    Hm[:, 0, 1:] = Hm[:, 1:, 0] = 1
    y = torch.zeros(bsz, m + 1, 1, dtype=x0.dtype, device=x0.device)
    y[:, 0] = 1

    res = []
    for k in range(2, max_iter):
        n = min(k, m)
        G = F_[:, :n] - X[:, :n]
        Hm[:, 1:n + 1, 1:n + 1] = torch.bmm(G, G.transpose(1, 2)) + lam * torch.eye(n, dtype=x0.dtype, device=x0.device)[None]
        alpha = torch.linalg.solve(Hm[:, :n + 1, :n + 1], y[:, :n + 1])[:, 1:n + 1, 0]
        X[:, k % m] = beta * (alpha[:, None] @ F_[:, :n])[:, 0] + (1 - beta) * (alpha[:, None] @ X[:, :n])[:, 0]
        F_[:, k % m] = f(X[:, k % m].view_as(x0)).view(bsz, -1)
        res.append((F_[:, k % m] - X[:, k % m]).norm().item() / (1e-5 + F_[:, k % m].norm().item()))
        if res[-1] < tol:
            break
    return X[:, k % m].view_as(x0), res


class ResNetLayer(nn.Module):
    def __init__(self, n_channels, n_inner_channels, kernel_size=3, num_groups=4):
        super().__init__()
        self.conv1 = nn.Conv2d(n_channels, n_inner_channels, kernel_size, padding=kernel_size // 2, bias=False)
        self.conv2 = nn.Conv2d(n_inner_channels, n_channels, kernel_size, padding=kernel_size // 2, bias=False)
        self.norm1 = nn.GroupNorm(num_groups, n_inner_channels)
        self.norm2 = nn.GroupNorm(num_groups, n_channels)
        self.norm3 = nn.GroupNorm(num_groups, n_channels)
        self.conv1.weight.data.normal_(0, 0.01)
        self.conv2.weight.data.normal_(0, 0.01)

    def forward(self, z, x):
        y = self.norm1(F.relu(self.conv1(z)))
        return self.norm3(F.relu(z + self.norm2(x + self.conv2(y))))


class DEQFixedPoint(nn.Module):
    def __init__(self, f, solver, **kwargs):
        super().__init__()
        self.f = f
        self.solver = solver
        self.kwargs = kwargs

    def forward(self, x):
        with torch.no_grad():
            z, self.forward_res = self.solver(lambda z: self.f(z, x), torch.zeros_like(x), **self.kwargs)
        z = self.f(z, x)
        z0 = z.clone().detach().requires_grad_()
        f0 = self.f(z0, x)

        def backward_hook(grad):
            g, self.backward_res = self.solver(lambda y: torch.autograd.grad(f0, z0, y, retain_graph=True)[0] + grad,
                                               grad, **self.kwargs)
            return g

        z.register_hook(backward_hook)
        return z


f = ResNetLayer(8, 16)
deq = DEQFixedPoint(f, anderson, tol=1e-4, max_iter=40)
X = torch.randn(4, 8, 6, 6)
out = deq(X)
print("forward iterations", len(deq.forward_res), f"residual {deq.forward_res[-1]:.2e}" if deq.forward_res[-1] < 1e-4 else "not converged")
print(f"fixed point: {(f(out, X) - out).norm().item() < 1e-2}", out.shape)
(out * torch.linspace(-1, 1, 6)).sum().backward()
print("backward iterations", len(deq.backward_res) > 1, f"{f.conv1.weight.grad.norm().item():.4f}")

model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), DEQFixedPoint(ResNetLayer(8, 16), anderson, tol=1e-3, max_iter=25),
                      nn.BatchNorm2d(8), nn.AdaptiveAvgPool2d((2, 2)), nn.Flatten(), nn.Linear(32, 3))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
imgs = torch.randn(16, 1, 6, 6)
labels = (imgs.mean((1, 2, 3)) > 0).long() + (imgs[:, :, :3].mean((1, 2, 3)) > 0.2).long()
for it in range(4):
    opt.zero_grad()
    loss = F.cross_entropy(model(imgs), labels)
    loss.backward()
    opt.step()
    print(f"deq step {it} loss {loss.item():.5f}")

# evolution strategies
torch.manual_seed(3)
Xr = torch.randn(128, 4)
yr = torch.sin(Xr[:, :1] * 2) + Xr[:, 1:2] * Xr[:, 2:3]
net = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1))
theta = parameters_to_vector(net.parameters()).detach()
print("params", theta.numel(), type(theta).__name__, theta.requires_grad)


def fitness(vec):
    vector_to_parameters(vec, net.parameters())
    with torch.no_grad():
        return -F.mse_loss(net(Xr), yr)


def centered_ranks(x):
    ranks = torch.empty_like(x)
    ranks[x.argsort()] = torch.arange(len(x), dtype=x.dtype)
    return ranks / (len(x) - 1) - 0.5


theta = theta.clone().requires_grad_()
es_opt = torch.optim.Adam([theta], lr=0.03)
sigma, pop = 0.05, 16
for gen in range(12):
    eps = torch.randn(pop // 2, theta.numel())
    eps = torch.cat([eps, -eps])
    with torch.no_grad():
        rewards = torch.stack([fitness(theta.detach() + sigma * e) for e in eps])
    shaped = centered_ranks(rewards)
    theta.grad = -(shaped @ eps) / (pop * sigma)
    es_opt.step()
    if gen % 4 == 3:
        print(f"gen {gen} fitness {fitness(theta.detach()).item():.6f} best {rewards.max().item():.6f}")
vector_to_parameters(theta.detach(), net.parameters())
print("vector_to_parameters wrote back:", torch.equal(parameters_to_vector(net.parameters()), theta.detach()))
try:
    vector_to_parameters(theta.detach()[:10], net.parameters())
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    vector_to_parameters([1.0], net.parameters())
except TypeError as e:
    print("TypeError:", e)
