"""Quantization written out as the well-known references do it: absmax and zero-point int8 (Tim Dettmers'
LLM.int8() blog / bitsandbytes' vectorwise quantization, Maxime Labonne's "Introduction to weight
quantization"), per-channel scales, LLM.int8's outlier decomposition, a QAT linear with the straight-through
estimator (x + (q - x).detach()), LSQ's learned step size (Esser et al.) with its gradient scale, and
torch.fake_quantize_per_tensor_affine / per_channel_affine with their gradients."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def absmax_quantize(X):
    scale = 127 / torch.max(torch.abs(X))
    X_quant = (scale * X).round()
    X_dequant = X_quant / scale
    return X_quant.to(torch.int8), X_dequant


def zeropoint_quantize(X):
    x_range = torch.max(X) - torch.min(X)
    x_range = 1 if x_range == 0 else x_range
    scale = 255 / x_range
    zeropoint = (-scale * torch.min(X) - 128).round()
    X_quant = torch.clip((X * scale + zeropoint).round(), -128, 127)
    X_dequant = (X_quant - zeropoint) / scale
    return X_quant.to(torch.int8), X_dequant


W = torch.randn(6, 8) * 0.5
W[2, 3] = 4.0  # an outlier
for fn in (absmax_quantize, zeropoint_quantize):
    q, dq = fn(W)
    print(fn.__name__, q.dtype, q[0].tolist(), f"err {(W - dq).abs().max().item():.6f}")


def vectorwise_quant(x, dim=-1):
    max1 = torch.amax(torch.abs(x), dim=dim, keepdim=True)
    xq = torch.round(x * (127.0 / max1)).to(torch.int8)
    return xq, max1


X = torch.randn(4, 8)
xq, sx = vectorwise_quant(X, dim=1)
wq, sw = vectorwise_quant(W, dim=1)
out_int = torch.matmul(xq.to(torch.int32), wq.to(torch.int32).t())
print("int32 matmul:", out_int.dtype, out_int[0].tolist())
out = out_int.float() * (sx * sw.t()) / (127 * 127)
print("vectorwise err:", f"{(out - X @ W.t()).abs().max().item():.6f}")

# LLM.int8: outlier columns of the input in fp, the rest in int8
X[:, 3] *= 20
outliers = (X.abs() > 6).any(dim=0)
print("outlier cols:", outliers.nonzero().flatten().tolist())
xq, sx = vectorwise_quant(X[:, ~outliers], dim=1)
wq, sw = vectorwise_quant(W[:, ~outliers], dim=1)
regular = (xq.to(torch.int32) @ wq.to(torch.int32).t()).float() * (sx * sw.t()) / 127 ** 2
mixed = regular + X[:, outliers] @ W[:, outliers].t()
print("int8 mixed err:", f"{(mixed - X @ W.t()).abs().max().item():.5f}")


class STEQuantLinear(nn.Linear):
    def __init__(self, *a, bits=4, **k):
        super().__init__(*a, **k)
        self.qmax = 2 ** (bits - 1) - 1

    def forward(self, x):
        s = self.weight.abs().amax(dim=1, keepdim=True) / self.qmax
        wq = torch.clamp(torch.round(self.weight / s), -self.qmax - 1, self.qmax) * s
        w = self.weight + (wq - self.weight).detach()
        return F.linear(x, w, self.bias)


def grad_scale(x, scale):
    return (x - x * scale).detach() + x * scale


def round_pass(x):
    return (x.round() - x).detach() + x


class LSQQuantizer(nn.Module):
    def __init__(self, bits=4):
        super().__init__()
        self.thd_neg, self.thd_pos = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
        self.s = nn.Parameter(torch.tensor(1.0))

    def init_from(self, x):
        self.s = nn.Parameter(x.detach().abs().mean() * 2 / (self.thd_pos ** 0.5))

    def forward(self, x):
        s_grad_scale = 1.0 / ((self.thd_pos * x.numel()) ** 0.5)
        s_scale = grad_scale(self.s, s_grad_scale)
        x = x / s_scale
        x = torch.clamp(x, self.thd_neg, self.thd_pos)
        return round_pass(x) * s_scale


Xd = torch.randn(64, 8)
yd = (Xd @ torch.randn(8, 3)).argmax(1)
model = nn.Sequential(STEQuantLinear(8, 16), nn.ReLU(), STEQuantLinear(16, 3))
lsq = LSQQuantizer()
lsq.init_from(model[0].weight)
opt = torch.optim.SGD(list(model.parameters()) + list(lsq.parameters()), lr=0.1)
for it in range(6):
    h = F.relu(F.linear(Xd, lsq(model[0].weight), model[0].bias))
    loss = F.cross_entropy(model[2](h), yd)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"qat {it} loss {loss.item():.6f} s {lsq.s.item():.6f} s.grad {lsq.s.grad.item():.6f}")

# the built-in fake quantizers and their straight-through gradients
x = torch.tensor([-3.0, -1.2, -0.04, 0.0, 0.3, 0.77, 1.5, 9.0], requires_grad=True)
y = torch.fake_quantize_per_tensor_affine(x, 0.1, 3, -128, 127)
y.sum().backward()
print("fq per tensor:", y.tolist(), x.grad.tolist())
y = torch.fake_quantize_per_tensor_affine(x.detach(), torch.tensor(0.25), torch.tensor(0, dtype=torch.int32), 0, 15)
print("fq tensor qparams:", y.tolist())
xc = torch.randn(3, 4, requires_grad=True)
scales = torch.tensor([0.1, 0.2, 0.05])
zps = torch.tensor([0, 1, -2], dtype=torch.int32)
yc = torch.fake_quantize_per_channel_affine(xc, scales, zps, 0, -8, 7)
(yc * torch.arange(12.0).view(3, 4)).sum().backward()
print("fq per channel:", [round(v, 4) for v in yc.flatten().tolist()], xc.grad.tolist())
