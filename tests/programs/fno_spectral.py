"""neuraloperator's Fourier Neural Operator as zongyi-li/fourier_neural_operator wrote it (fourier_1d.py and
fourier_2d.py): SpectralConv1d/2d (rfft -> complex einsum on the low modes -> irfft with n=), the lifting and
projection layers, a grid channel, LpLoss's relative L2, a few Adam steps with StepLR on Burgers-like data;
then the FFT helpers such code leans on: fftfreq/rfftfreq, fftshift, a spectral derivative, norm= modes."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class SpectralConv1d(nn.Module):
    def __init__(self, in_channels, out_channels, modes1):
        super().__init__()
        self.in_channels, self.out_channels, self.modes1 = in_channels, out_channels, modes1
        self.scale = 1 / (in_channels * out_channels)
        self.weights1 = nn.Parameter(self.scale * torch.rand(in_channels, out_channels, self.modes1, dtype=torch.cfloat))

    def compl_mul1d(self, input, weights):
        return torch.einsum("bix,iox->box", input, weights)

    def forward(self, x):
        batchsize = x.shape[0]
        x_ft = torch.fft.rfft(x)
        out_ft = torch.zeros(batchsize, self.out_channels, x.size(-1) // 2 + 1, device=x.device, dtype=torch.cfloat)
        out_ft[:, :, :self.modes1] = self.compl_mul1d(x_ft[:, :, :self.modes1], self.weights1)
        return torch.fft.irfft(out_ft, n=x.size(-1))


class SpectralConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, modes1, modes2):
        super().__init__()
        self.out_channels, self.modes1, self.modes2 = out_channels, modes1, modes2
        self.scale = 1 / (in_channels * out_channels)
        self.weights1 = nn.Parameter(self.scale * torch.rand(in_channels, out_channels, modes1, modes2, dtype=torch.cfloat))
        self.weights2 = nn.Parameter(self.scale * torch.rand(in_channels, out_channels, modes1, modes2, dtype=torch.cfloat))

    def compl_mul2d(self, input, weights):
        return torch.einsum("bixy,ioxy->boxy", input, weights)

    def forward(self, x):
        batchsize = x.shape[0]
        x_ft = torch.fft.rfft2(x)
        out_ft = torch.zeros(batchsize, self.out_channels, x.size(-2), x.size(-1) // 2 + 1, dtype=torch.cfloat, device=x.device)
        out_ft[:, :, :self.modes1, :self.modes2] = self.compl_mul2d(x_ft[:, :, :self.modes1, :self.modes2], self.weights1)
        out_ft[:, :, -self.modes1:, :self.modes2] = self.compl_mul2d(x_ft[:, :, -self.modes1:, :self.modes2], self.weights2)
        return torch.fft.irfft2(out_ft, s=(x.size(-2), x.size(-1)))


class FNO1d(nn.Module):
    def __init__(self, modes, width):
        super().__init__()
        self.modes1, self.width, self.padding = modes, width, 2
        self.fc0 = nn.Linear(2, self.width)
        self.conv0 = SpectralConv1d(self.width, self.width, self.modes1)
        self.conv1 = SpectralConv1d(self.width, self.width, self.modes1)
        self.w0 = nn.Conv1d(self.width, self.width, 1)
        self.w1 = nn.Conv1d(self.width, self.width, 1)
        self.fc1 = nn.Linear(self.width, 32)
        self.fc2 = nn.Linear(32, 1)

    def forward(self, x):
        grid = self.get_grid(x.shape, x.device)
        x = torch.cat((x, grid), dim=-1)
        x = self.fc0(x)
        x = x.permute(0, 2, 1)
        x = F.pad(x, [0, self.padding])
        x = F.gelu(self.conv0(x) + self.w0(x))
        x = self.conv1(x) + self.w1(x)
        x = x[..., :-self.padding]
        x = x.permute(0, 2, 1)
        x = F.gelu(self.fc1(x))
        return self.fc2(x)

    def get_grid(self, shape, device):
        batchsize, size_x = shape[0], shape[1]
        gridx = torch.tensor(torch.linspace(0, 1, size_x), dtype=torch.float)
        gridx = gridx.reshape(1, size_x, 1).repeat([batchsize, 1, 1])
        return gridx.to(device)


class LpLoss(object):
    def __init__(self, d=2, p=2, size_average=True, reduction=True):
        self.d, self.p, self.reduction, self.size_average = d, p, reduction, size_average

    def rel(self, x, y):
        num_examples = x.size()[0]
        diff_norms = torch.norm(x.reshape(num_examples, -1) - y.reshape(num_examples, -1), self.p, 1)
        y_norms = torch.norm(y.reshape(num_examples, -1), self.p, 1)
        if self.reduction:
            return torch.mean(diff_norms / y_norms) if self.size_average else torch.sum(diff_norms / y_norms)
        return diff_norms / y_norms

    def __call__(self, x, y):
        return self.rel(x, y)


# Burgers-like data: u0 random smooth, target a heat-equation step solved spectrally
s, ntrain = 32, 16
k = torch.fft.rfftfreq(s, d=1.0 / s)
coef = torch.randn(ntrain, 5) / torch.arange(1, 6)
xs = torch.linspace(0, 1, s + 1)[:-1]
u0 = sum(coef[:, j:j + 1] * torch.sin(2 * math.pi * (j + 1) * xs) for j in range(5))
u1 = torch.fft.irfft(torch.fft.rfft(u0) * torch.exp(-0.01 * (2 * math.pi * k) ** 2), n=s)
x_train, y_train = u0.unsqueeze(-1), u1.unsqueeze(-1)

model = FNO1d(modes=8, width=12)
print("params:", sum(p.numel() * (2 if p.is_complex() else 1) for p in model.parameters()))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=1e-4)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.5)
myloss = LpLoss(size_average=False)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x_train, y_train), batch_size=8, shuffle=True)
for ep in range(8):
    model.train()
    train_l2 = 0
    for x, y in loader:
        optimizer.zero_grad()
        out = model(x)
        l2 = myloss(out.view(x.shape[0], -1), y.view(x.shape[0], -1))
        l2.backward()
        optimizer.step()
        train_l2 += l2.item()
    scheduler.step()
    print(f"ep {ep} lr {scheduler.get_last_lr()[0]:.4g} train_l2 {train_l2 / ntrain:.6f}")
w = model.conv0.weights1
print("complex grad:", w.grad.dtype, w.grad.shape, f"{w.grad.abs().sum().item():.5f}")

conv2 = SpectralConv2d(3, 4, 3, 3)
img = torch.randn(2, 3, 10, 12)
o = conv2(img)
o.square().mean().backward()
print("2d:", o.shape, f"{o.std().item():.6f}", f"{conv2.weights2.grad.abs().mean().item():.6f}")

# FFT helpers
print(torch.fft.fftfreq(6), torch.fft.rfftfreq(6, d=0.5))
print(torch.fft.fftshift(torch.arange(6)), torch.fft.ifftshift(torch.fft.fftshift(torch.arange(7))))
xx = torch.linspace(0, 2 * math.pi, 17)[:-1].double()
du = torch.fft.ifft(1j * torch.fft.fftfreq(16, d=1 / 16) * torch.fft.fft(torch.sin(xx))).real
print("spectral d/dx sin == cos:", torch.allclose(du, torch.cos(xx)), du.dtype)
sig = torch.randn(8)
for norm in ["backward", "ortho", "forward"]:
    X = torch.fft.fft(sig, norm=norm)
    print(norm, f"{X.abs().sum().item():.5f}", torch.allclose(torch.fft.ifft(X, norm=norm).real, sig, atol=1e-6))
print(torch.fft.rfft(sig, n=12).shape, torch.fft.hfft(torch.fft.ifft(sig)[:5], n=8).shape)
print(torch.fft.fft2(torch.eye(3)).real)
