"""torchvision's MobileNetV3 building blocks as its models/mobilenetv3.py writes them (_make_divisible,
Conv2dNormActivation, SqueezeExcitation with Hardsigmoid scale, InvertedResidual with Hardswish, depthwise
convolutions, the classifier's Hardswish + Dropout), a tiny R(2+1)D video block (torchvision's
Conv2Plus1D: Conv3d with (1, k, k) then (k, 1, 1) kernels, BatchNorm3d, MaxPool3d/AvgPool3d,
AdaptiveAvgPool3d), a 1-D transposed-convolution decoder, and the activation zoo's less common members
(SELU + AlphaDropout as the self-normalizing-networks paper, CELU, Mish, Softsign, Tanhshrink, Hardshrink,
Softshrink, LogSigmoid, Softmin, RReLU in eval) forward and backward."""
from functools import partial

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def _make_divisible(v, divisor, min_value=None):
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


class Conv2dNormActivation(nn.Sequential):
    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, groups=1, norm_layer=nn.BatchNorm2d,
                 activation_layer=nn.ReLU):
        padding = (kernel_size - 1) // 2
        layers = [nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, groups=groups,
                            bias=norm_layer is None)]
        if norm_layer is not None:
            layers.append(norm_layer(out_channels))
        if activation_layer is not None:
            layers.append(activation_layer(inplace=True))
        super().__init__(*layers)
        self.out_channels = out_channels


class SqueezeExcitation(nn.Module):
    def __init__(self, input_channels, squeeze_channels, activation=nn.ReLU, scale_activation=nn.Sigmoid):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(input_channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, input_channels, 1)
        self.activation = activation()
        self.scale_activation = scale_activation()

    def _scale(self, input):
        scale = self.avgpool(input)
        scale = self.fc1(scale)
        scale = self.activation(scale)
        scale = self.fc2(scale)
        return self.scale_activation(scale)

    def forward(self, input):
        scale = self._scale(input)
        return scale * input


class InvertedResidualConfig:
    def __init__(self, input_channels, kernel, expanded_channels, out_channels, use_se, activation, stride,
                 dilation, width_mult):
        self.input_channels = self.adjust_channels(input_channels, width_mult)
        self.kernel = kernel
        self.expanded_channels = self.adjust_channels(expanded_channels, width_mult)
        self.out_channels = self.adjust_channels(out_channels, width_mult)
        self.use_se = use_se
        self.use_hs = activation == "HS"
        self.stride = stride
        self.dilation = dilation

    @staticmethod
    def adjust_channels(channels, width_mult):
        return _make_divisible(channels * width_mult, 8)


class InvertedResidual(nn.Module):
    def __init__(self, cnf, norm_layer, se_layer=partial(SqueezeExcitation, scale_activation=nn.Hardsigmoid)):
        super().__init__()
        self.use_res_connect = cnf.stride == 1 and cnf.input_channels == cnf.out_channels
        layers = []
        activation_layer = nn.Hardswish if cnf.use_hs else nn.ReLU
        if cnf.expanded_channels != cnf.input_channels:
            layers.append(Conv2dNormActivation(cnf.input_channels, cnf.expanded_channels, kernel_size=1,
                                               norm_layer=norm_layer, activation_layer=activation_layer))
        layers.append(Conv2dNormActivation(cnf.expanded_channels, cnf.expanded_channels, kernel_size=cnf.kernel,
                                           stride=cnf.stride, groups=cnf.expanded_channels,
                                           norm_layer=norm_layer, activation_layer=activation_layer))
        if cnf.use_se:
            squeeze_channels = _make_divisible(cnf.expanded_channels // 4, 8)
            layers.append(se_layer(cnf.expanded_channels, squeeze_channels))
        layers.append(Conv2dNormActivation(cnf.expanded_channels, cnf.out_channels, kernel_size=1,
                                           norm_layer=norm_layer, activation_layer=None))
        self.block = nn.Sequential(*layers)
        self.out_channels = cnf.out_channels

    def forward(self, input):
        result = self.block(input)
        if self.use_res_connect:
            result += input
        return result


class MobileNetV3(nn.Module):
    def __init__(self, inverted_residual_setting, last_channel, num_classes=5, dropout=0.2):
        super().__init__()
        norm_layer = partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)
        layers = []
        firstconv_output_channels = inverted_residual_setting[0].input_channels
        layers.append(Conv2dNormActivation(3, firstconv_output_channels, kernel_size=3, stride=2,
                                           norm_layer=norm_layer, activation_layer=nn.Hardswish))
        for cnf in inverted_residual_setting:
            layers.append(InvertedResidual(cnf, norm_layer))
        lastconv_input_channels = inverted_residual_setting[-1].out_channels
        lastconv_output_channels = 6 * lastconv_input_channels
        layers.append(Conv2dNormActivation(lastconv_input_channels, lastconv_output_channels, kernel_size=1,
                                           norm_layer=norm_layer, activation_layer=nn.Hardswish))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(
            nn.Linear(lastconv_output_channels, last_channel),
            nn.Hardswish(inplace=True),
            nn.Dropout(p=dropout, inplace=True),
            nn.Linear(last_channel, num_classes),
        )
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.features(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)


bneck_conf = partial(InvertedResidualConfig, width_mult=0.5)
setting = [
    bneck_conf(16, 3, 16, 16, True, "RE", 2, 1),
    bneck_conf(16, 3, 72, 24, False, "RE", 2, 1),
    bneck_conf(24, 3, 88, 24, False, "RE", 1, 1),
    bneck_conf(24, 5, 96, 40, True, "HS", 2, 1),
]
model = MobileNetV3(setting, last_channel=32)
print(sum(p.numel() for p in model.parameters()), [c.expanded_channels for c in setting])
opt = torch.optim.RMSprop(model.parameters(), lr=0.01, alpha=0.9, eps=0.0316, momentum=0.9, weight_decay=1e-5)
images = torch.randn(8, 3, 32, 32)
labels = torch.randint(0, 5, (8,))
for step in range(4):
    opt.zero_grad()
    loss = F.cross_entropy(model(images), labels, label_smoothing=0.1)
    loss.backward()
    opt.step()
    print(f"mobilenet step {step} loss {loss.item():.5f}")
model.eval()
with torch.inference_mode():
    print("eval logits", model(images[:2]).argmax(1).tolist(), model(images[:2]).abs().sum().item() > 0)


class Conv2Plus1D(nn.Sequential):
    def __init__(self, in_planes, out_planes, midplanes, stride=1, padding=1):
        super().__init__(
            nn.Conv3d(in_planes, midplanes, kernel_size=(1, 3, 3), stride=(1, stride, stride),
                      padding=(0, padding, padding), bias=False),
            nn.BatchNorm3d(midplanes),
            nn.ReLU(inplace=True),
            nn.Conv3d(midplanes, out_planes, kernel_size=(3, 1, 1), stride=(stride, 1, 1), padding=(padding, 0, 0),
                      bias=False),
        )


video_net = nn.Sequential(Conv2Plus1D(3, 8, 6), nn.BatchNorm3d(8), nn.ReLU(),
                          nn.MaxPool3d(kernel_size=(1, 2, 2), stride=(1, 2, 2)),
                          Conv2Plus1D(8, 8, 8, stride=2), nn.AvgPool3d(2, ceil_mode=True, count_include_pad=False),
                          nn.AdaptiveAvgPool3d((1, 1, 1)), nn.Flatten(), nn.Linear(8, 4))
clips = torch.randn(2, 3, 4, 12, 12)
vopt = torch.optim.SGD(video_net.parameters(), lr=0.05, momentum=0.9, nesterov=True)
for step in range(3):
    vopt.zero_grad()
    out = video_net(clips)
    loss = F.cross_entropy(out, torch.tensor([1, 3]))
    loss.backward()
    vopt.step()
    print(f"video step {step} loss {loss.item():.5f} conv3d grad {video_net[0][0].weight.grad.norm().item():.5f}")
h = clips
for layer in video_net:
    h = layer(h)
    print(type(layer).__name__, tuple(h.shape))

# a 1-D transposed convolution decoder (WaveGAN-style upsampling), output_padding and dilation
decoder = nn.Sequential(nn.ConvTranspose1d(4, 6, 4, stride=2, padding=1), nn.PReLU(6),
                        nn.ConvTranspose1d(6, 3, 5, stride=3, padding=2, output_padding=1, dilation=1),
                        nn.Tanh(), nn.ConvTranspose1d(3, 2, 3, stride=1, padding=2, dilation=2, groups=1, bias=False))
z = torch.randn(2, 4, 5)
w = decoder(z)
print("decoder", tuple(w.shape), round(w.sum().item(), 5), round(w.abs().mean().item(), 6))
w.pow(2).mean().backward()
print("decoder grads", [round(p.grad.norm().item(), 6) for p in decoder.parameters()])

# self-normalizing networks: lecun normal init, SELU, AlphaDropout
snn = nn.Sequential(nn.Linear(10, 64), nn.SELU(), nn.AlphaDropout(0.1), nn.Linear(64, 64), nn.SELU(),
                    nn.AlphaDropout(0.1), nn.Linear(64, 1))
for m in snn.modules():
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="linear")
        nn.init.zeros_(m.bias)
snn.eval()
xs = torch.randn(256, 10)
h = xs
for m in snn:
    h = m(h)
    if isinstance(m, nn.SELU):
        print(f"selu activations mean {h.mean().item():.5f} std {h.std().item():.5f}")
print("gain", nn.init.calculate_gain("selu"), nn.init.calculate_gain("leaky_relu", 0.2),
      nn.init.calculate_gain("tanh"))

acts = [nn.CELU(alpha=0.7), nn.Mish(), nn.Softsign(), nn.Tanhshrink(), nn.Hardshrink(0.3), nn.Softshrink(0.3),
        nn.LogSigmoid(), nn.Softmin(dim=1), nn.RReLU(0.1, 0.3).eval(), nn.Hardsigmoid(), nn.Hardswish(),
        nn.Hardtanh(-0.5, 0.7), nn.ReLU6(), nn.SiLU(), nn.GELU(approximate="tanh"), nn.Softplus(beta=2, threshold=5),
        nn.Threshold(0.1, -1.0), nn.ELU(alpha=0.5), nn.LeakyReLU(0.02), nn.SELU()]
grid = torch.linspace(-4, 4, 17).reshape(1, 17).repeat(2, 1).requires_grad_()
for act in acts:
    grid.grad = None
    out = act(grid)
    (out * torch.arange(17.0)).sum().backward()
    print(f"{act!r:45s} {out[0].sum().item():+.6f} {grid.grad[0].sum().item():+.6f} {out[0, 5].item():+.6f}")
