"""A small WaveNet as the classic PyTorch reimplementations write it (vincentherrmann/pytorch-wavenet,
r9y9/wavenet_vocoder's building blocks): mu-law companding with sign/log1p and its inverse, one-hot inputs
by scatter_, causal dilated Conv1d by left F.pad, gated tanh*sigmoid residual blocks with skip
connections, a receptive-field count, teacher-forced training on a synthesised waveform, and sampling one
step at a time from the softmax at a temperature; plus an STFT magnitude spectrogram of the result."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def mu_law_encode(x, quantization_channels=256):
    mu = quantization_channels - 1.0
    x_mu = torch.sign(x) * torch.log1p(mu * torch.abs(x)) / math.log1p(mu)
    return ((x_mu + 1) / 2 * mu + 0.5).to(torch.int64)


def mu_law_decode(x_mu, quantization_channels=256):
    mu = quantization_channels - 1.0
    x = (x_mu.to(torch.float32) / mu) * 2 - 1.0
    return torch.sign(x) * (torch.exp(torch.abs(x) * math.log1p(mu)) - 1.0) / mu


class CausalConv1d(nn.Conv1d):
    def __init__(self, in_channels, out_channels, kernel_size, dilation=1, **kwargs):
        super().__init__(in_channels, out_channels, kernel_size, dilation=dilation, **kwargs)
        self.left = (kernel_size - 1) * dilation

    def forward(self, x):
        return super().forward(F.pad(x, (self.left, 0)))


class ResidualBlock(nn.Module):
    def __init__(self, residual_channels, gate_channels, skip_channels, dilation):
        super().__init__()
        self.conv = CausalConv1d(residual_channels, gate_channels, 2, dilation=dilation)
        self.res = nn.Conv1d(gate_channels // 2, residual_channels, 1)
        self.skip = nn.Conv1d(gate_channels // 2, skip_channels, 1)

    def forward(self, x):
        a, b = self.conv(x).chunk(2, dim=1)
        z = torch.tanh(a) * torch.sigmoid(b)
        return (x + self.res(z)) * math.sqrt(0.5), self.skip(z)


class WaveNet(nn.Module):
    def __init__(self, classes=64, layers=6, stacks=2, residual=16, gate=32, skip=32):
        super().__init__()
        self.classes = classes
        self.first = CausalConv1d(classes, residual, 1)
        dilations = [2 ** (i % (layers // stacks)) for i in range(layers)]
        self.blocks = nn.ModuleList([ResidualBlock(residual, gate, skip, d) for d in dilations])
        self.last = nn.Sequential(nn.ReLU(), nn.Conv1d(skip, skip, 1), nn.ReLU(), nn.Conv1d(skip, classes, 1))
        self.receptive_field = 1 + sum(d for d in dilations)

    def forward(self, x):
        x = self.first(x)
        skips = 0
        for block in self.blocks:
            x, s = block(x)
            skips = skips + s
        return self.last(skips)


def one_hot(q, classes):
    out = torch.zeros(q.size(0), classes, q.size(1))
    return out.scatter_(1, q.unsqueeze(1), 1.0)


Q = 64
t = torch.arange(0, 600, dtype=torch.float32) / 100.0
wave = 0.6 * torch.sin(2 * math.pi * 1.5 * t) * torch.exp(-0.1 * t) + 0.05 * torch.randn(t.shape)
q = mu_law_encode(wave.clamp(-1, 1), Q)
print(q.min().item(), q.max().item(), (mu_law_decode(q, Q) - wave).abs().max().item() < 0.1)

model = WaveNet(classes=Q)
print("receptive field", model.receptive_field, "parameters", sum(p.numel() for p in model.parameters()))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
seg = 120
for step in range(30):
    starts = torch.randint(0, len(q) - seg - 1, (8,))
    batch = torch.stack([q[s:s + seg + 1] for s in starts.tolist()])
    x, y = one_hot(batch[:, :-1], Q), batch[:, 1:]
    logits = model(x)
    loss = F.cross_entropy(logits, y)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_value_(model.parameters(), 1.0)
    opt.step()
    if step % 5 == 0:
        print(f"step {step}: loss {loss.item():.4f}")

model.eval()
generated = q[:model.receptive_field].tolist()
with torch.no_grad():
    for _ in range(40):
        ctx = torch.tensor(generated[-model.receptive_field:]).unsqueeze(0)
        logits = model(one_hot(ctx, Q))[0, :, -1] / 0.7
        generated.append(torch.multinomial(F.softmax(logits, dim=0), 1).item())
audio = mu_law_decode(torch.tensor(generated), Q)
print(len(generated), audio[-5:])

spec = torch.stft(audio, n_fft=16, hop_length=4, window=torch.hann_window(16), return_complex=True)
mag = spec.abs()
print(spec.shape, spec.dtype, mag.sum(dim=1)[:4], torch.log1p(mag).mean())
