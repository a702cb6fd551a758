"""Volumetric segmentation as wolny/pytorch-3dunet and MONAI's losses write it, small: a 3D U-Net of
Conv3d + GroupNorm/InstanceNorm3d + ReLU blocks, MaxPool3d down, upsampling both by F.interpolate
(mode='trilinear' / 'nearest' to an encoder's size) and by ConvTranspose3d, skip joins by torch.cat;
DiceLoss from softmax probabilities and F.one_hot(...).permute(0, 4, 1, 2, 3), a generalized Dice with
class weights 1/(sum^2).clamp(min=eps), plus CrossEntropy with class weights; per-class Dice at the end."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def create_conv(in_channels, out_channels, kernel_size, order, num_groups, padding):
    modules = []
    for i, char in enumerate(order):
        if char == 'r':
            modules.append(('ReLU', nn.ReLU(inplace=True)))
        elif char == 'l':
            modules.append(('LeakyReLU', nn.LeakyReLU(inplace=True)))
        elif char == 'c':
            bias = not ('g' in order or 'b' in order)
            modules.append(('conv', nn.Conv3d(in_channels, out_channels, kernel_size, padding=padding, bias=bias)))
        elif char == 'g':
            is_before_conv = i < order.index('c')
            num_channels = in_channels if is_before_conv else out_channels
            if num_channels < num_groups:
                num_groups = 1
            assert num_channels % num_groups == 0, f'Expected number of channels in input to be divisible by num_groups. num_channels={num_channels}, num_groups={num_groups}'
            modules.append(('groupnorm', nn.GroupNorm(num_groups=num_groups, num_channels=num_channels)))
        elif char == 'i':
            modules.append(('instancenorm', nn.InstanceNorm3d(out_channels, affine=True)))
        elif char == 'b':
            modules.append(('batchnorm', nn.BatchNorm3d(out_channels)))
        else:
            raise ValueError(f"Unsupported layer type '{char}'")
    return modules


class SingleConv(nn.Sequential):
    def __init__(self, in_channels, out_channels, kernel_size=3, order='gcr', num_groups=4, padding=1):
        super(SingleConv, self).__init__()
        for name, module in create_conv(in_channels, out_channels, kernel_size, order, num_groups, padding):
            self.add_module(name, module)


class DoubleConv(nn.Sequential):
    def __init__(self, in_channels, out_channels, encoder, order='gcr', num_groups=4):
        super(DoubleConv, self).__init__()
        if encoder:
            conv1_in, conv1_out = in_channels, max(out_channels // 2, in_channels)
        else:
            conv1_in, conv1_out = in_channels, out_channels
        self.add_module('SingleConv1', SingleConv(conv1_in, conv1_out, 3, order, num_groups))
        self.add_module('SingleConv2', SingleConv(conv1_out, out_channels, 3, order, num_groups))


class UNet3D(nn.Module):
    def __init__(self, in_channels=1, out_channels=3, f_maps=(8, 16, 32), order='gcr', transposed=False):
        super().__init__()
        self.encoders = nn.ModuleList()
        for i, f in enumerate(f_maps):
            self.encoders.append(DoubleConv(in_channels if i == 0 else f_maps[i - 1], f, True, order))
        self.pool = nn.MaxPool3d(kernel_size=2)
        self.transposed = transposed
        self.ups = nn.ModuleList(nn.ConvTranspose3d(f_maps[i + 1], f_maps[i + 1], 3, stride=2, padding=1,
                                                    output_padding=1) for i in reversed(range(len(f_maps) - 1)))
        self.decoders = nn.ModuleList(DoubleConv(f_maps[i] + f_maps[i + 1], f_maps[i], False, order)
                                      for i in reversed(range(len(f_maps) - 1)))
        self.final_conv = nn.Conv3d(f_maps[0], out_channels, 1)

    def forward(self, x):
        skips = []
        for i, enc in enumerate(self.encoders):
            if i > 0:
                x = self.pool(x)
            x = enc(x)
            skips.insert(0, x)
        for up, dec, skip in zip(self.ups, self.decoders, skips[1:]):
            if self.transposed:
                x = up(x)
            else:
                x = F.interpolate(x, size=skip.size()[2:], mode='trilinear', align_corners=False)
            x = dec(torch.cat((skip, x), dim=1))
        return self.final_conv(x)


def flatten(tensor):
    C = tensor.size(1)
    axis_order = (1, 0) + tuple(range(2, tensor.dim()))
    transposed = tensor.permute(axis_order)
    return transposed.contiguous().view(C, -1)


def compute_per_channel_dice(input, target, epsilon=1e-6, weight=None):
    assert input.size() == target.size(), "'input' and 'target' must have the same shape"
    input = flatten(input)
    target = flatten(target)
    target = target.float()
    intersect = (input * target).sum(-1)
    if weight is not None:
        intersect = weight * intersect
    denominator = (input * input).sum(-1) + (target * target).sum(-1)
    return 2 * (intersect / denominator.clamp(min=epsilon))


class DiceLoss(nn.Module):
    def __init__(self, weight=None, normalization='softmax'):
        super().__init__()
        self.register_buffer('weight', weight)
        self.normalization = nn.Softmax(dim=1) if normalization == 'softmax' else nn.Sigmoid()

    def forward(self, input, target):
        input = self.normalization(input)
        per_channel_dice = compute_per_channel_dice(input, target, weight=self.weight)
        return 1. - torch.mean(per_channel_dice)


class GeneralizedDiceLoss(nn.Module):
    def __init__(self, epsilon=1e-6):
        super().__init__()
        self.epsilon = epsilon

    def forward(self, input, target):
        input = F.softmax(input, dim=1)
        input = flatten(input)
        target = flatten(target).float()
        w_l = target.sum(-1)
        w_l = 1 / (w_l * w_l).clamp(min=self.epsilon)
        w_l.requires_grad = False
        intersect = (input * target).sum(-1) * w_l
        denominator = ((input + target).sum(-1) * w_l).sum()
        return 1 - 2 * (intersect.sum() / denominator.clamp(min=self.epsilon))


def expand_as_one_hot(labels, C):
    return F.one_hot(labels, C).permute(0, 4, 1, 2, 3).contiguous()


# a sphere and a cube in noise
grid = torch.stack(torch.meshgrid(*[torch.arange(8.)] * 3, indexing='ij'))
vol = torch.zeros(2, 8, 8, 8, dtype=torch.long)
vol[:, 1:4, 1:4, 1:4] = 1
vol[((grid - 5.0) ** 2).sum(0)[None].expand(2, -1, -1, -1) < 4.5] = 2
x = vol.float().unsqueeze(1) + 0.5 * torch.randn(2, 1, 8, 8, 8)
target = expand_as_one_hot(vol, 3)
print("one-hot", tuple(target.shape), target.dtype, target.sum((0, 2, 3, 4)).tolist())
for transposed, order in [(False, 'gcr'), (True, 'cir')]:
    torch.manual_seed(2)
    model = UNet3D(order=order, transposed=transposed)
    n_params = sum(p.numel() for p in model.parameters())
    dice, gdice = DiceLoss(), GeneralizedDiceLoss()
    ce = nn.CrossEntropyLoss(weight=torch.tensor([0.2, 1.0, 1.0]))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for step in range(4):
        logits = model(x)
        l1, l2, l3 = dice(logits, target), gdice(logits, target), ce(logits, vol)
        loss = l1 + l3
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"{order} {n_params} step {step}: dice {l1.item():.5f} gdice {l2.item():.5f} ce {l3.item():.5f}")
    with torch.no_grad():
        pred = model(x).argmax(1)
        per = compute_per_channel_dice(expand_as_one_hot(pred, 3).float(), target)
    print("per-class dice", per.round(decimals=4).tolist())
print(model.encoders[0])
print(F.interpolate(torch.arange(8.).view(1, 1, 2, 2, 2), scale_factor=2, mode='nearest').sum().item(),
      F.interpolate(torch.arange(8.).view(1, 1, 2, 2, 2), size=(3, 3, 3), mode='trilinear', align_corners=True)[0, 0, 1])
try:
    SingleConv(8, 8, order='gcx')
except ValueError as e:
    print("ValueError:", e)
try:
    nn.GroupNorm(4, 6)
except ValueError as e:
    print("ValueError:", e)
try:
    F.group_norm(torch.randn(2, 6, 3), 4)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    F.one_hot(torch.tensor([0, 3]), 3)
except RuntimeError as e:
    print("RuntimeError:", e)
