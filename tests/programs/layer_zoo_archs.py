"""Layers that well-known architectures lean on and most training scripts never touch, each inside the model
that made it famous: SegNet's MaxPool2d(return_indices=True) + MaxUnpool2d, ShuffleNet's channel shuffle
(nn.ChannelShuffle and the view/transpose form), ESPCN's PixelShuffle / PixelUnshuffle, AlexNet's
LocalResponseNorm, Dauphin's gated convolutional LM (nn.GLU), a sliding-window patch embedding by
nn.Unfold / nn.Fold (overlap-add), LPPool2d, AdaptiveMaxPool2d with indices, FractionalMaxPool2d with given
samples, nn.Bilinear, an LSTM with proj_size, RNNCell/GRUCell unrolled, Embedding(max_norm=,
scale_grad_by_freq=True), InstanceNorm2d(affine, track_running_stats), Zero/Reflection/CircularPad,
fuse_conv_bn_eval, skip_init and torch.nn.utils.stateless.functional_call."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import fuse_conv_bn_eval, skip_init
from torch.nn.utils.stateless import functional_call

torch.manual_seed(0)
x = torch.randn(2, 4, 8, 8)


class SegNetBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Conv2d(4, 8, 3, padding=1)
        self.pool = nn.MaxPool2d(2, 2, return_indices=True)
        self.unpool = nn.MaxUnpool2d(2, 2)
        self.dec = nn.Conv2d(8, 4, 3, padding=1)

    def forward(self, x):
        h = F.relu(self.enc(x))
        size = h.size()
        h, idx = self.pool(h)
        return self.dec(self.unpool(h, idx, output_size=size)), idx


seg = SegNetBlock()
out, idx = seg(x)
print("segnet", out.shape, idx.dtype, idx[0, 0, 0].tolist(), f"{out.sum().item():.5f}")
print("unpool zeros", (seg.unpool(*seg.pool(x)) == 0).sum().item())


def channel_shuffle(x, groups):
    batchsize, num_channels, height, width = x.size()
    channels_per_group = num_channels // groups
    x = x.view(batchsize, groups, channels_per_group, height, width)
    x = torch.transpose(x, 1, 2).contiguous()
    return x.view(batchsize, -1, height, width)


print("shuffle", torch.equal(channel_shuffle(x, 2), nn.ChannelShuffle(2)(x)), nn.ChannelShuffle(2),
      channel_shuffle(torch.arange(8.0).view(1, 8, 1, 1), 4).flatten().tolist())

ps, pu = nn.PixelShuffle(2), nn.PixelUnshuffle(2)
print("pixel", ps(x).shape, pu(x).shape, torch.equal(ps(pu(x)), x), pu)
espcn = nn.Sequential(nn.Conv2d(1, 8, 5, padding=2), nn.Tanh(), nn.Conv2d(8, 4, 3, padding=1), nn.PixelShuffle(2))
print("espcn", espcn(x[:, :1]).shape)

lrn = nn.LocalResponseNorm(size=3, alpha=1e-2, beta=0.75, k=2.0)
print("lrn", f"{lrn(x).sum().item():.6f}", lrn)
glu_lm = nn.Sequential(nn.Conv1d(4, 16, 3, padding=2), nn.GLU(dim=1))
seq = torch.randn(2, 4, 10)
print("glu", glu_lm(seq)[..., :-2].shape, f"{glu_lm(seq).mean().item():.6f}", F.glu(torch.arange(4.0)).tolist())

unfold, fold = nn.Unfold(kernel_size=3, padding=1, stride=2), nn.Fold(output_size=(8, 8), kernel_size=3, padding=1, stride=2)
patches = unfold(x)
print("unfold", patches.shape, "fold overlap counts", fold(unfold(torch.ones(1, 1, 8, 8)))[0, 0, :3, :3].tolist())
print("fold(unfold) / counts == x:", torch.allclose(fold(patches) / fold(unfold(torch.ones_like(x))), x))

print("lppool", f"{nn.LPPool2d(2, 2)(x.abs()).sum().item():.5f}", f"{nn.LPPool1d(3, 2)(seq.abs()).sum().item():.5f}")
amp, ai = nn.AdaptiveMaxPool2d((3, 3), return_indices=True)(x)
print("adaptive max", amp.shape, ai[0, 0].tolist())
samples = torch.rand(2, 4, 2)
fmp = nn.FractionalMaxPool2d(2, output_size=(5, 5), return_indices=True, _random_samples=samples)
fo, fi = fmp(x)
print("fractional", fo.shape, fi[0, 0, 0].tolist(), f"{fo.sum().item():.5f}")

bil = nn.Bilinear(4, 3, 2)
print("bilinear", f"{bil(torch.randn(5, 4), torch.randn(5, 3)).sum().item():.6f}", bil)

lstm = nn.LSTM(4, 8, num_layers=2, proj_size=3, batch_first=True)
o, (h, c) = lstm(seq.transpose(1, 2))
print("lstm proj", o.shape, h.shape, c.shape, [tuple(p.shape) for n, p in lstm.named_parameters() if "hr" in n])
cell, gcell = nn.RNNCell(4, 6, nonlinearity="tanh"), nn.GRUCell(4, 6)
hx, gx = torch.zeros(2, 6), torch.zeros(2, 6)
for t in range(seq.size(2)):
    hx, gx = cell(seq[:, :, t], hx), gcell(seq[:, :, t], gx)
print("cells", f"{hx.sum().item():.6f}", f"{gx.sum().item():.6f}", cell(seq[0, :, 0]).shape)

emb = nn.Embedding(10, 4, max_norm=1.0, scale_grad_by_freq=True)
ids = torch.tensor([[1, 2, 1, 1], [3, 2, 9, 1]])
before = emb.weight[1].norm().item()
e = emb(ids)
(e * torch.arange(4.0)).sum().backward()
print("embedding", f"{before:.5f}", f"{emb.weight[1].norm().item():.5f}", emb.weight.grad[[1, 2, 3]].tolist()[0])

inorm = nn.InstanceNorm2d(4, affine=True, track_running_stats=True)
inorm(x)
print("instancenorm", f"{inorm.running_mean.sum().item():.6f}", f"{inorm.running_var.sum().item():.6f}",
      inorm.eval()(x).std().item() > 0, inorm)

print("pads", nn.ZeroPad2d((1, 0, 2, 0))(x).shape, nn.ReflectionPad3d(1)(x.unsqueeze(0)).shape,
      nn.CircularPad2d(2)(x)[0, 0, 0, :4].tolist() == x[0, 0, -2, [-2, -1, 0, 1]].tolist(), nn.ReplicationPad1d((0, 3))(seq).shape)

conv, bn = nn.Conv2d(4, 6, 3), nn.BatchNorm2d(6)
bn.train()
for _ in range(3):
    bn(conv(torch.randn(4, 4, 8, 8)))
conv.eval()
bn.eval()
fused = fuse_conv_bn_eval(conv, bn)
print("fused", torch.allclose(fused(x), bn(conv(x)), atol=1e-5), type(fused).__name__)
lin = skip_init(nn.Linear, 3, 2)
print("skip_init", lin.weight.shape, lin.in_features)
net = nn.Linear(4, 2)
new = {"weight": torch.ones(2, 4), "bias": torch.zeros(2)}
print("stateless", functional_call(net, new, (torch.ones(1, 4),)).tolist(), net.weight.sum().item() != 8.0)
