"""Glow-style flow pieces (rosinality/glow-pytorch, chaiyujin/glow-pytorch): ActNorm with data-dependent
init, invertible 1x1 convolution both as a plain weight (torch.slogdet) and LU-decomposed (torch.linalg.lu,
torch.triu/tril masks, the sign/log of the diagonal), affine coupling with a zero-initialised conv, squeeze,
log-likelihood in bits per dimension, and the inverse to check reconstruction."""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

logabs = lambda x: torch.log(torch.abs(x))


class ActNorm(nn.Module):
    def __init__(self, in_channel, logdet=True):
        super().__init__()
        self.loc = nn.Parameter(torch.zeros(1, in_channel, 1, 1))
        self.scale = nn.Parameter(torch.ones(1, in_channel, 1, 1))
        self.register_buffer("initialized", torch.tensor(0, dtype=torch.uint8))
        self.logdet = logdet

    def initialize(self, input):
        with torch.no_grad():
            flatten = input.permute(1, 0, 2, 3).contiguous().view(input.shape[1], -1)
            mean = flatten.mean(1).unsqueeze(1).unsqueeze(2).unsqueeze(3).permute(1, 0, 2, 3)
            std = flatten.std(1).unsqueeze(1).unsqueeze(2).unsqueeze(3).permute(1, 0, 2, 3)
            self.loc.data.copy_(-mean)
            self.scale.data.copy_(1 / (std + 1e-6))

    def forward(self, input):
        _, _, height, width = input.shape
        if self.initialized.item() == 0:
            self.initialize(input)
            self.initialized.fill_(1)
        log_abs = logabs(self.scale)
        logdet = height * width * torch.sum(log_abs)
        return self.scale * (input + self.loc), logdet

    def reverse(self, output):
        return output / self.scale - self.loc


class InvConv2d(nn.Module):
    def __init__(self, in_channel):
        super().__init__()
        weight = torch.randn(in_channel, in_channel)
        q, _ = torch.linalg.qr(weight)
        weight = q.unsqueeze(2).unsqueeze(3)
        self.weight = nn.Parameter(weight)

    def forward(self, input):
        _, _, height, width = input.shape
        out = F.conv2d(input, self.weight)
        logdet = height * width * torch.slogdet(self.weight.squeeze().double())[1].float()
        return out, logdet

    def reverse(self, output):
        return F.conv2d(output, self.weight.squeeze().inverse().unsqueeze(2).unsqueeze(3))


class InvConv2dLU(nn.Module):
    def __init__(self, in_channel):
        super().__init__()
        weight = torch.from_numpy(np.random.randn(in_channel, in_channel))  # (scipy's qr and lu in the original)
        q, _ = torch.linalg.qr(weight)
        w_p, w_l, w_u = (a.numpy() for a in torch.linalg.lu(q.float()))
        w_s = np.diag(w_u)
        w_u = np.triu(w_u, 1)
        u_mask = np.triu(np.ones_like(w_u), 1)
        l_mask = u_mask.T
        w_p, w_l, w_s, w_u = (torch.from_numpy(a.copy()) for a in (w_p, w_l, w_s, w_u))
        self.register_buffer("w_p", w_p)
        self.register_buffer("u_mask", torch.from_numpy(u_mask))
        self.register_buffer("l_mask", torch.from_numpy(l_mask))
        self.register_buffer("s_sign", torch.sign(w_s))
        self.register_buffer("l_eye", torch.eye(l_mask.shape[0]))
        self.w_l = nn.Parameter(w_l)
        self.w_s = nn.Parameter(logabs(w_s))
        self.w_u = nn.Parameter(w_u)

    def forward(self, input):
        _, _, height, width = input.shape
        weight = self.calc_weight()
        out = F.conv2d(input, weight)
        logdet = height * width * torch.sum(self.w_s)
        return out, logdet

    def calc_weight(self):
        weight = (self.w_p @ (self.w_l * self.l_mask + self.l_eye)
                  @ ((self.w_u * self.u_mask) + torch.diag(self.s_sign * torch.exp(self.w_s))))
        return weight.unsqueeze(2).unsqueeze(3)

    def reverse(self, output):
        weight = self.calc_weight()
        return F.conv2d(output, weight.squeeze().inverse().unsqueeze(2).unsqueeze(3))


class ZeroConv2d(nn.Module):
    def __init__(self, in_channel, out_channel, padding=1):
        super().__init__()
        self.conv = nn.Conv2d(in_channel, out_channel, 3, padding=0)
        self.conv.weight.data.zero_()
        self.conv.bias.data.zero_()
        self.scale = nn.Parameter(torch.zeros(1, out_channel, 1, 1))

    def forward(self, input):
        out = F.pad(input, [1, 1, 1, 1], value=1)
        out = self.conv(out)
        return out * torch.exp(self.scale * 3)


class AffineCoupling(nn.Module):
    def __init__(self, in_channel, filter_size=16, affine=True):
        super().__init__()
        self.affine = affine
        self.net = nn.Sequential(nn.Conv2d(in_channel // 2, filter_size, 3, padding=1), nn.ReLU(inplace=True),
                                 nn.Conv2d(filter_size, filter_size, 1), nn.ReLU(inplace=True),
                                 ZeroConv2d(filter_size, in_channel if self.affine else in_channel // 2))
        self.net[0].weight.data.normal_(0, 0.05)
        self.net[0].bias.data.zero_()
        self.net[2].weight.data.normal_(0, 0.05)
        self.net[2].bias.data.zero_()

    def forward(self, input):
        in_a, in_b = input.chunk(2, 1)
        log_s, t = self.net(in_a).chunk(2, 1)
        s = F.sigmoid(log_s + 2)
        out_b = (in_b + t) * s
        logdet = torch.sum(torch.log(s).view(input.shape[0], -1), 1)
        return torch.cat([in_a, out_b], 1), logdet

    def reverse(self, output):
        out_a, out_b = output.chunk(2, 1)
        log_s, t = self.net(out_a).chunk(2, 1)
        s = F.sigmoid(log_s + 2)
        in_b = out_b / s - t
        return torch.cat([out_a, in_b], 1)


class Flow(nn.Module):
    def __init__(self, in_channel, conv_lu=True):
        super().__init__()
        self.actnorm = ActNorm(in_channel)
        self.invconv = InvConv2dLU(in_channel) if conv_lu else InvConv2d(in_channel)
        self.coupling = AffineCoupling(in_channel)

    def forward(self, input):
        out, logdet = self.actnorm(input)
        out, det1 = self.invconv(out)
        out, det2 = self.coupling(out)
        logdet = logdet + det1
        if det2 is not None:
            logdet = logdet + det2
        return out, logdet

    def reverse(self, output):
        input = self.coupling.reverse(output)
        input = self.invconv.reverse(input)
        return self.actnorm.reverse(input)


def squeeze2(x):
    b, c, h, w = x.shape
    x = x.view(b, c, h // 2, 2, w // 2, 2).permute(0, 1, 3, 5, 2, 4).contiguous()
    return x.view(b, c * 4, h // 2, w // 2)


def gaussian_log_p(x, mean, log_sd):
    return -0.5 * math.log(2 * math.pi) - log_sd - 0.5 * (x - mean) ** 2 / torch.exp(2 * log_sd)


torch.manual_seed(0)
np.random.seed(0)
n_bins, n_pixel = 2.0 ** 5, 3 * 8 * 8
images = torch.rand(16, 3, 8, 8)
flows = nn.ModuleList([Flow(12, conv_lu=(i % 2 == 0)) for i in range(3)])
opt = torch.optim.Adam(flows.parameters(), lr=1e-3)
for step in range(8):
    x = squeeze2(images + torch.rand_like(images) / n_bins - 0.5)
    logdet = 0
    for f in flows:
        x, det = f(x)
        logdet = logdet + det
    log_p = gaussian_log_p(x, torch.zeros_like(x), torch.zeros_like(x)).view(16, -1).sum(1)
    loss = -math.log(n_bins) * n_pixel + logdet + log_p
    bpd = (-loss / (math.log(2) * n_pixel)).mean()
    opt.zero_grad()
    bpd.backward()
    opt.step()
    print(step, f"bpd {bpd.item():.5f} logdet {logdet.mean().item():.4f} logp {log_p.mean().item():.4f}")

with torch.no_grad():
    z = squeeze2(images - 0.5)
    h = z
    for f in flows:
        h, _ = f(h)
    back = h
    for f in reversed(flows):
        back = f.reverse(back)
    print("reconstruction error", (back - z).abs().max().item() < 1e-4)
    w = flows[1].invconv.weight.squeeze()
    sign, logabsdet = torch.linalg.slogdet(w)
    print(sign.item(), f"{logabsdet.item():.6f}", f"{torch.logdet(w @ w.t()).item():.6f}", f"{torch.det(w).abs().item():.6f}")
    P, L, U = torch.linalg.lu(w)
    print(torch.allclose(P @ L @ U, w, atol=1e-6), torch.diagonal(L).tolist() == [1.0] * 12, torch.triu(U).equal(U))
    print(flows[0].invconv.calc_weight().shape, flows[0].actnorm.initialized, flows[0].actnorm.initialized.dtype)
