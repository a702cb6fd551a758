"""Complex-valued networks as complexPyTorch (wavefrontshaping/complexPyTorch) and deep complex networks
write them, with torch's native complex support: nn.Linear / nn.Conv1d with dtype=torch.cfloat, complex_relu
(CReLU) and modReLU, a complex BatchNorm by whitening the real/imag pair, phase and magnitude losses through
abs/angle, torch.polar and view_as_complex/view_as_real, Wirtinger gradients, clip_grad_norm_ over complex
grads, Adam/RMSprop/SGD on complex params, state_dict round trip of complex weights, and an STFT/ISTFT
denoising mask trained on the spectrogram."""
import io
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def complex_relu(input):
    return F.relu(input.real).type(torch.complex64) + 1j * F.relu(input.imag).type(torch.complex64)


class ModReLU(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.b = nn.Parameter(torch.full((features,), -0.1))

    def forward(self, z):
        mag = z.abs()
        return F.relu(mag + self.b) * z / (mag + 1e-6)


class ComplexBatchNorm1d(nn.Module):
    def __init__(self, num_features, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.tensor([[1 / math.sqrt(2), 0.0], [0.0, 1 / math.sqrt(2)]]).repeat(num_features, 1, 1))
        self.bias = nn.Parameter(torch.zeros(num_features, 2))

    def forward(self, z):
        x = torch.view_as_real(z)  # (N, C, 2)
        x = x - x.mean(0)
        Vrr = (x[..., 0] ** 2).mean(0) + self.eps
        Vii = (x[..., 1] ** 2).mean(0) + self.eps
        Vri = (x[..., 0] * x[..., 1]).mean(0)
        s = torch.sqrt(Vrr * Vii - Vri ** 2)
        t = torch.sqrt(Vrr + Vii + 2 * s)
        inv = 1.0 / (s * t)
        Wrr, Wii, Wri = (Vii + s) * inv, (Vrr + s) * inv, -Vri * inv
        xr = Wrr * x[..., 0] + Wri * x[..., 1]
        xi = Wri * x[..., 0] + Wii * x[..., 1]
        white = torch.stack([xr, xi], -1)
        out = torch.einsum("cij,ncj->nci", self.weight, white) + self.bias
        return torch.view_as_complex(out.contiguous())


class ComplexNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(2, 4, 3, padding=1, dtype=torch.cfloat)
        self.fc1 = nn.Linear(4 * 8, 16, dtype=torch.cfloat)
        self.bn = ComplexBatchNorm1d(16)
        self.act = ModReLU(16)
        self.fc2 = nn.Linear(16, 3, dtype=torch.cfloat)

    def forward(self, z):
        z = complex_relu(self.conv(z)).flatten(1)
        z = self.act(self.bn(self.fc1(z)))
        return self.fc2(z).abs()


net = ComplexNet()
print({n: (str(p.dtype), tuple(p.shape)) for n, p in list(net.named_parameters())[:4]})
z = torch.polar(torch.rand(32, 2, 8) + 0.5, (torch.rand(32, 2, 8) - 0.5) * 2 * math.pi)
y = (z.angle().mean((1, 2)) > 0).long() + (z.abs().mean((1, 2)) > 1).long()
print("labels", torch.bincount(y).tolist(), z.dtype, f"{z.abs().mean().item():.6f}")
for name, opt in [("Adam", torch.optim.Adam(net.parameters(), lr=5e-3)),
                  ("RMSprop", torch.optim.RMSprop(net.parameters(), lr=1e-3)),
                  ("SGD", torch.optim.SGD(net.parameters(), lr=1e-2, momentum=0.9))]:
    for it in range(4):
        opt.zero_grad()
        loss = F.cross_entropy(net(z), y)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
    print(f"{name} loss {loss.item():.6f} grad norm {norm.item():.6f} conv.weight.grad {net.conv.weight.grad.dtype}")

# Wirtinger: d|w|^2/dw* = w (torch returns the conjugate Wirtinger derivative times 2)
w = torch.tensor([1 + 2j, -0.5 + 0.25j], requires_grad=True)
(w.abs() ** 2).sum().backward()
print("wirtinger", w.grad)
w.grad = None
(w * w).real.sum().backward()
print("real(w^2)", w.grad)
w.grad = None
torch.angle(w).sum().backward()
print("angle", w.grad)

buf = io.BytesIO()
torch.save(net.state_dict(), buf)
buf.seek(0)
sd = torch.load(buf, weights_only=True)
net2 = ComplexNet()
print(net2.load_state_dict(sd), torch.equal(net2.fc1.weight, net.fc1.weight), sd["fc2.bias"].dtype)

# STFT mask denoising
n = 512
t = torch.arange(n) / 8000
clean = torch.sin(2 * math.pi * 440 * t) + 0.5 * torch.sin(2 * math.pi * 1200 * t)
noisy = clean + 0.3 * torch.randn(n)
win = torch.hann_window(64)
spec = torch.stft(noisy, 64, hop_length=16, window=win, return_complex=True)
target = torch.stft(clean, 64, hop_length=16, window=win, return_complex=True)
print("stft", spec.shape, spec.dtype)
mask_logits = torch.zeros(spec.shape, requires_grad=True)
opt = torch.optim.Adam([mask_logits], lr=0.1)
for it in range(30):
    est = spec * torch.sigmoid(mask_logits)
    loss = (est - target).abs().pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
rec = torch.istft(spec * torch.sigmoid(mask_logits.detach()), 64, hop_length=16, window=win, length=n)
print(f"mask loss {loss.item():.6f} snr before {10 * torch.log10(clean.pow(2).sum() / (noisy - clean).pow(2).sum()).item():.4f}"
      f" after {10 * torch.log10(clean.pow(2).sum() / (rec - clean).pow(2).sum()).item():.4f}")
