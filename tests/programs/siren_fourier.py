"""Coordinate networks as vsitzmann/siren (explore_siren.ipynb: SineLayer's uniform_ init with omega_0,
get_mgrid by torch.linspace + torch.meshgrid + torch.stack(dim=-1).reshape, the gradient and laplacian
through torch.autograd.grad(grad_outputs=torch.ones_like, create_graph=True) and a divergence loop) and
tancik/fourier-feature-networks (a Gaussian random Fourier feature mapping 2*pi*x@B.T into cat(sin, cos))
write them, fitting a synthetic image and its gradients a few steps."""
import math

import numpy as np
import torch
from torch import nn

torch.manual_seed(0)


def get_mgrid(sidelen, dim=2):
    tensors = tuple(dim * [torch.linspace(-1, 1, steps=sidelen)])
    mgrid = torch.stack(torch.meshgrid(*tensors, indexing='ij'), dim=-1)
    mgrid = mgrid.reshape(-1, dim)
    return mgrid


class SineLayer(nn.Module):
    def __init__(self, in_features, out_features, bias=True, is_first=False, omega_0=30):
        super().__init__()
        self.omega_0 = omega_0
        self.is_first = is_first
        self.in_features = in_features
        self.linear = nn.Linear(in_features, out_features, bias=bias)
        self.init_weights()

    def init_weights(self):
        with torch.no_grad():
            if self.is_first:
                self.linear.weight.uniform_(-1 / self.in_features, 1 / self.in_features)
            else:
                self.linear.weight.uniform_(-np.sqrt(6 / self.in_features) / self.omega_0,
                                            np.sqrt(6 / self.in_features) / self.omega_0)

    def forward(self, input):
        return torch.sin(self.omega_0 * self.linear(input))

    def forward_with_intermediate(self, input):
        intermediate = self.omega_0 * self.linear(input)
        return torch.sin(intermediate), intermediate


class Siren(nn.Module):
    def __init__(self, in_features, hidden_features, hidden_layers, out_features, outermost_linear=False,
                 first_omega_0=30, hidden_omega_0=30.):
        super().__init__()
        self.net = []
        self.net.append(SineLayer(in_features, hidden_features, is_first=True, omega_0=first_omega_0))
        for i in range(hidden_layers):
            self.net.append(SineLayer(hidden_features, hidden_features, is_first=False, omega_0=hidden_omega_0))
        if outermost_linear:
            final_linear = nn.Linear(hidden_features, out_features)
            with torch.no_grad():
                final_linear.weight.uniform_(-np.sqrt(6 / hidden_features) / hidden_omega_0,
                                             np.sqrt(6 / hidden_features) / hidden_omega_0)
            self.net.append(final_linear)
        else:
            self.net.append(SineLayer(hidden_features, out_features, is_first=False, omega_0=hidden_omega_0))
        self.net = nn.Sequential(*self.net)

    def forward(self, coords):
        coords = coords.clone().detach().requires_grad_(True)
        output = self.net(coords)
        return output, coords


def laplace(y, x):
    grad = gradient(y, x)
    return divergence(grad, x)


def divergence(y, x):
    div = 0.
    for i in range(y.shape[-1]):
        div += torch.autograd.grad(y[..., i], x, torch.ones_like(y[..., i]), create_graph=True)[0][..., i:i + 1]
    return div


def gradient(y, x, grad_outputs=None):
    if grad_outputs is None:
        grad_outputs = torch.ones_like(y)
    grad = torch.autograd.grad(y, [x], grad_outputs=grad_outputs, create_graph=True)[0]
    return grad


sidelen = 16
coords = get_mgrid(sidelen)
print("mgrid", tuple(coords.shape), coords[:3].tolist(), coords[-1].tolist())
img = (torch.sin(3 * coords[:, :1]) * torch.cos(2 * coords[:, 1:])).float()
img_siren = Siren(in_features=2, out_features=1, hidden_features=32, hidden_layers=2, outermost_linear=True)
optim = torch.optim.Adam(lr=1e-4, params=img_siren.parameters())
for step in range(12):
    model_output, coords_out = img_siren(coords)
    loss = ((model_output - img) ** 2).mean()
    if step % 4 == 0:
        img_grad = gradient(model_output, coords_out)
        img_laplacian = laplace(model_output, coords_out)
        print("Step %d, Total loss %0.6f" % (step, loss), "grad", f"{img_grad.norm(dim=-1).mean().item():.4f}",
              "laplacian", f"{img_laplacian.abs().mean().item():.3f}")
    optim.zero_grad()
    loss.backward()
    optim.step()

# fitting the gradient field (the Poisson example's grad loss)
target_grad = torch.cat([3 * torch.cos(3 * coords[:, :1]) * torch.cos(2 * coords[:, 1:]),
                         -2 * torch.sin(3 * coords[:, :1]) * torch.sin(2 * coords[:, 1:])], -1)
poisson = Siren(2, 24, 1, 1, outermost_linear=True)
optim = torch.optim.Adam(poisson.parameters(), lr=1e-4)
for step in range(6):
    out, c = poisson(coords)
    g = gradient(out, c)
    loss = ((g - target_grad) ** 2).sum(-1).mean()
    optim.zero_grad()
    loss.backward()
    optim.step()
    print(f"poisson {step} {loss.item():.5f}")
layer = SineLayer(2, 3, is_first=True)
s, pre = layer.forward_with_intermediate(coords[:2])
print("intermediate", torch.allclose(torch.sin(pre), s), pre.shape)


class FourierFeatures(nn.Module):
    def __init__(self, in_features, mapping_size=16, scale=10.0):
        super().__init__()
        self.register_buffer("B", torch.randn(mapping_size, in_features) * scale)

    def forward(self, x):
        x_proj = (2. * math.pi * x) @ self.B.T
        return torch.cat([torch.sin(x_proj), torch.cos(x_proj)], dim=-1)


for scale in [1.0, 10.0]:
    torch.manual_seed(1)
    net = nn.Sequential(FourierFeatures(2, 16, scale), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    for step in range(30):
        loss = nn.functional.mse_loss(net(coords), img)
        opt.zero_grad()
        loss.backward()
        opt.step()
    psnr = -10 * torch.log10(loss.detach())
    print(f"fourier scale {scale}: loss {loss.item():.6f} psnr {psnr.item():.2f}")
print(net[0].B.shape, net[0].state_dict().keys())
