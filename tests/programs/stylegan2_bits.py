"""StyleGAN2's building blocks as rosinality/stylegan2-pytorch (model.py, train.py) writes them without its
CUDA ops: make_kernel by an outer product, upfirdn2d_native (F.pad with negative pads by slicing, a flipped
FIR kernel through F.conv2d on a (-1, 1, H, W) view), Blur, EqualLinear / EqualConv2d's runtime scale,
PixelNorm by torch.rsqrt, ModulatedConv2d (demodulation, the batch folded into groups for conv2d and a
transposed weight for conv_transpose2d(groups=batch)), NoiseInjection, ToRGB, the minibatch stddev layer,
the non-saturating logistic losses by softplus, the R1 penalty by autograd.grad on real images, the path
length regulariser with its moving mean, and the EMA accumulate() by param.data.mul_(decay).add_(...)."""
import math

import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)


def make_kernel(k):
    k = torch.tensor(k, dtype=torch.float32)
    if k.ndim == 1:
        k = k[None, :] * k[:, None]
    k /= k.sum()
    return k


def upfirdn2d_native(input, kernel, up_x, up_y, down_x, down_y, pad_x0, pad_x1, pad_y0, pad_y1):
    _, channel, in_h, in_w = input.shape
    input = input.reshape(-1, in_h, in_w, 1)
    _, in_h, in_w, minor = input.shape
    kernel_h, kernel_w = kernel.shape
    out = input.view(-1, in_h, 1, in_w, 1, minor)
    out = F.pad(out, [0, 0, 0, up_x - 1, 0, 0, 0, up_y - 1])
    out = out.view(-1, in_h * up_y, in_w * up_x, minor)
    out = F.pad(out, [0, 0, max(pad_x0, 0), max(pad_x1, 0), max(pad_y0, 0), max(pad_y1, 0)])
    out = out[:, max(-pad_y0, 0): out.shape[1] - max(-pad_y1, 0), max(-pad_x0, 0): out.shape[2] - max(-pad_x1, 0), :]
    out = out.permute(0, 3, 1, 2)
    out = out.reshape([-1, 1, in_h * up_y + pad_y0 + pad_y1, in_w * up_x + pad_x0 + pad_x1])
    w = torch.flip(kernel, [0, 1]).view(1, 1, kernel_h, kernel_w)
    out = F.conv2d(out, w)
    out = out.reshape(-1, minor, in_h * up_y + pad_y0 + pad_y1 - kernel_h + 1,
                      in_w * up_x + pad_x0 + pad_x1 - kernel_w + 1)
    out = out.permute(0, 2, 3, 1)
    out = out[:, ::down_y, ::down_x, :]
    out_h = (in_h * up_y + pad_y0 + pad_y1 - kernel_h + down_y) // down_y
    out_w = (in_w * up_x + pad_x0 + pad_x1 - kernel_w + down_x) // down_x
    return out.view(-1, channel, out_h, out_w)


def upfirdn2d(input, kernel, up=1, down=1, pad=(0, 0)):
    return upfirdn2d_native(input, kernel, up, up, down, down, pad[0], pad[1], pad[0], pad[1])


class Blur(nn.Module):
    def __init__(self, kernel, pad, upsample_factor=1):
        super().__init__()
        kernel = make_kernel(kernel)
        if upsample_factor > 1:
            kernel = kernel * (upsample_factor ** 2)
        self.register_buffer("kernel", kernel)
        self.pad = pad

    def forward(self, input):
        return upfirdn2d(input, self.kernel, pad=self.pad)


class PixelNorm(nn.Module):
    def forward(self, input):
        return input * torch.rsqrt(torch.mean(input ** 2, dim=1, keepdim=True) + 1e-8)


class EqualLinear(nn.Module):
    def __init__(self, in_dim, out_dim, bias=True, bias_init=0, lr_mul=1, activation=None):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_dim, in_dim).div_(lr_mul))
        self.bias = nn.Parameter(torch.zeros(out_dim).fill_(bias_init)) if bias else None
        self.activation = activation
        self.scale = (1 / math.sqrt(in_dim)) * lr_mul
        self.lr_mul = lr_mul

    def forward(self, input):
        if self.activation:
            out = F.linear(input, self.weight * self.scale)
            out = F.leaky_relu(out + self.bias * self.lr_mul, 0.2) * math.sqrt(2)
        else:
            out = F.linear(input, self.weight * self.scale, bias=self.bias * self.lr_mul)
        return out

    def __repr__(self):
        return f"{self.__class__.__name__}({self.weight.shape[1]}, {self.weight.shape[0]})"


class EqualConv2d(nn.Module):
    def __init__(self, in_channel, out_channel, kernel_size, stride=1, padding=0, bias=True):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_channel, in_channel, kernel_size, kernel_size))
        self.scale = 1 / math.sqrt(in_channel * kernel_size ** 2)
        self.stride, self.padding = stride, padding
        self.bias = nn.Parameter(torch.zeros(out_channel)) if bias else None

    def forward(self, input):
        return F.conv2d(input, self.weight * self.scale, bias=self.bias, stride=self.stride, padding=self.padding)


class ModulatedConv2d(nn.Module):
    def __init__(self, in_channel, out_channel, kernel_size, style_dim, demodulate=True, upsample=False,
                 blur_kernel=[1, 3, 3, 1]):
        super().__init__()
        self.eps = 1e-8
        self.kernel_size, self.in_channel, self.out_channel = kernel_size, in_channel, out_channel
        self.upsample = upsample
        if upsample:
            factor = 2
            p = (len(blur_kernel) - factor) - (kernel_size - 1)
            pad0 = (p + 1) // 2 + factor - 1
            pad1 = p // 2 + 1
            self.blur = Blur(blur_kernel, pad=(pad0, pad1), upsample_factor=factor)
        fan_in = in_channel * kernel_size ** 2
        self.scale = 1 / math.sqrt(fan_in)
        self.padding = kernel_size // 2
        self.weight = nn.Parameter(torch.randn(1, out_channel, in_channel, kernel_size, kernel_size))
        self.modulation = EqualLinear(style_dim, in_channel, bias_init=1)
        self.demodulate = demodulate

    def forward(self, input, style):
        batch, in_channel, height, width = input.shape
        style = self.modulation(style).view(batch, 1, in_channel, 1, 1)
        weight = self.scale * self.weight * style
        if self.demodulate:
            demod = torch.rsqrt(weight.pow(2).sum([2, 3, 4]) + 1e-8)
            weight = weight * demod.view(batch, self.out_channel, 1, 1, 1)
        weight = weight.view(batch * self.out_channel, in_channel, self.kernel_size, self.kernel_size)
        if self.upsample:
            input = input.view(1, batch * in_channel, height, width)
            weight = weight.view(batch, self.out_channel, in_channel, self.kernel_size, self.kernel_size)
            weight = weight.transpose(1, 2).reshape(batch * in_channel, self.out_channel, self.kernel_size,
                                                    self.kernel_size)
            out = F.conv_transpose2d(input, weight, padding=0, stride=2, groups=batch)
            _, _, height, width = out.shape
            out = out.view(batch, self.out_channel, height, width)
            out = self.blur(out)
        else:
            input = input.view(1, batch * in_channel, height, width)
            out = F.conv2d(input, weight, padding=self.padding, groups=batch)
            _, _, height, width = out.shape
            out = out.view(batch, self.out_channel, height, width)
        return out


class NoiseInjection(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1))

    def forward(self, image, noise=None):
        if noise is None:
            batch, _, height, width = image.shape
            noise = image.new_empty(batch, 1, height, width).normal_()
        return image + self.weight * noise


class StyledConv(nn.Module):
    def __init__(self, in_channel, out_channel, kernel_size, style_dim, upsample=False):
        super().__init__()
        self.conv = ModulatedConv2d(in_channel, out_channel, kernel_size, style_dim, upsample=upsample)
        self.noise = NoiseInjection()
        self.bias = nn.Parameter(torch.zeros(1, out_channel, 1, 1))

    def forward(self, input, style, noise=None):
        out = self.noise(self.conv(input, style), noise=noise)
        return F.leaky_relu(out + self.bias, 0.2) * math.sqrt(2)


class Generator(nn.Module):
    def __init__(self, style_dim=16, ch=8):
        super().__init__()
        self.style = nn.Sequential(PixelNorm(), EqualLinear(style_dim, style_dim, lr_mul=0.01, activation=True),
                                   EqualLinear(style_dim, style_dim, lr_mul=0.01, activation=True))
        self.input = nn.Parameter(torch.randn(1, ch, 4, 4))
        self.conv1 = StyledConv(ch, ch, 3, style_dim)
        self.up = StyledConv(ch, ch, 3, style_dim, upsample=True)
        self.to_rgb = ModulatedConv2d(ch, 3, 1, style_dim, demodulate=False)

    def forward(self, z, return_latents=False):
        w = self.style(z)
        out = self.input.repeat(z.shape[0], 1, 1, 1)
        out = self.up(self.conv1(out, w), w)
        img = self.to_rgb(out, w)
        return (img, w) if return_latents else (img, None)


class Discriminator(nn.Module):
    def __init__(self, ch=8):
        super().__init__()
        self.conv = EqualConv2d(3, ch, 3, padding=1)
        self.blur = Blur([1, 3, 3, 1], pad=(1, 1))
        self.down = EqualConv2d(ch, ch, 3, stride=2, padding=0)
        self.stddev_group, self.stddev_feat = 2, 1
        self.final = EqualLinear((ch + 1) * 3 * 3, 1)

    def forward(self, input):
        out = F.leaky_relu(self.conv(input), 0.2) * math.sqrt(2)
        out = F.leaky_relu(self.down(self.blur(out)), 0.2) * math.sqrt(2)
        out = F.adaptive_avg_pool2d(out, 3)
        batch, channel, height, width = out.shape
        group = min(batch, self.stddev_group)
        stddev = out.view(group, -1, self.stddev_feat, channel // self.stddev_feat, height, width)
        stddev = torch.sqrt(stddev.var(0, unbiased=False) + 1e-8)
        stddev = stddev.mean([2, 3, 4], keepdims=True).squeeze(2)
        stddev = stddev.repeat(group, 1, height, width)
        out = torch.cat([out, stddev], 1)
        return self.final(out.view(batch, -1))


def d_logistic_loss(real_pred, fake_pred):
    return F.softplus(-real_pred).mean() + F.softplus(fake_pred).mean()


def d_r1_loss(real_pred, real_img):
    grad_real, = torch.autograd.grad(outputs=real_pred.sum(), inputs=real_img, create_graph=True)
    return grad_real.pow(2).reshape(grad_real.shape[0], -1).sum(1).mean()


def g_nonsaturating_loss(fake_pred):
    return F.softplus(-fake_pred).mean()


def g_path_regularize(fake_img, latents, mean_path_length, decay=0.01):
    noise = torch.randn_like(fake_img) / math.sqrt(fake_img.shape[2] * fake_img.shape[3])
    grad, = torch.autograd.grad(outputs=(fake_img * noise).sum(), inputs=latents, create_graph=True)
    path_lengths = torch.sqrt(grad.pow(2).sum(1))
    path_mean = mean_path_length + decay * (path_lengths.mean() - mean_path_length)
    path_penalty = (path_lengths - path_mean).pow(2).mean()
    return path_penalty, path_mean.detach(), path_lengths


def requires_grad(model, flag=True):
    for p in model.parameters():
        p.requires_grad = flag


def accumulate(model1, model2, decay=0.999):
    par1 = dict(model1.named_parameters())
    par2 = dict(model2.named_parameters())
    for k in par1.keys():
        par1[k].data.mul_(decay).add_(par2[k].data, alpha=1 - decay)


x = torch.arange(16.).view(1, 1, 4, 4)
k = make_kernel([1, 3, 3, 1])
print("kernel", k[0].tolist())
print("up", upfirdn2d(x, k * 4, up=2, pad=(2, 1)).shape, "down", upfirdn2d(x, k, down=2, pad=(1, 1)).shape)
print("negative pad", upfirdn2d_native(x, make_kernel([1]), 1, 1, 1, 1, -1, 0, 0, -1)[0, 0].tolist())
print(EqualLinear(4, 3), PixelNorm()(torch.tensor([[3.0, 4.0]])).tolist())
g, d, g_ema = Generator(), Discriminator(), Generator()
g_ema.eval()
accumulate(g_ema, g, 0)
g_optim = torch.optim.Adam(g.parameters(), lr=0.002 * 4 / 5, betas=(0 ** (4 / 5), 0.99 ** (4 / 5)))
d_optim = torch.optim.Adam(d.parameters(), lr=0.002 * 16 / 17, betas=(0 ** (16 / 17), 0.99 ** (16 / 17)))
real = torch.tanh(torch.randn(4, 3, 8, 8))
mean_path_length = 0
for i in range(4):
    requires_grad(g, False)
    requires_grad(d, True)
    noise = torch.randn(4, 16)
    fake_img, _ = g(noise)
    d_loss = d_logistic_loss(d(real), d(fake_img))
    d.zero_grad()
    d_loss.backward()
    d_optim.step()
    if i % 2 == 0:
        real.requires_grad = True
        real_pred = d(real)
        r1_loss = d_r1_loss(real_pred, real)
        d.zero_grad()
        (10 / 2 * r1_loss * 2 + 0 * real_pred[0]).backward()
        d_optim.step()
        real.requires_grad = False
    requires_grad(g, True)
    requires_grad(d, False)
    fake_img, _ = g(torch.randn(4, 16))
    g_loss = g_nonsaturating_loss(d(fake_img))
    g.zero_grad()
    g_loss.backward()
    g_optim.step()
    if i % 2 == 1:
        fake_img, latents = g(torch.randn(2, 16), return_latents=True)
        path_loss, mean_path_length, path_lengths = g_path_regularize(fake_img, latents, mean_path_length)
        g.zero_grad()
        weighted_path_loss = 2 * 2 * path_loss
        weighted_path_loss += 0 * fake_img[0, 0, 0, 0]
        weighted_path_loss.backward()
        g_optim.step()
        print(f"path {path_loss.item():.5f} mean {mean_path_length.item():.5f}")
    accumulate(g_ema, g, 0.5 ** (32 / (10 * 1000)))
    print(f"{i}: d {d_loss.item():.5f} g {g_loss.item():.5f} r1 {r1_loss.item():.5f}")
with torch.no_grad():
    sample, _ = g_ema(torch.randn(2, 16))
print("sample", tuple(sample.shape), f"{sample.std().item():.5f}", f"{g_ema.up.noise.weight.item():.6f}")
