# adapted from pytorch/examples fast_neural_style/neural_style/{transformer_net,utils}.py and
# super_resolution/{model,main}.py (channels shrunk, random images in place of datasets, VGG replaced by
# a small conv stack as the "loss network")
import sys
import torch
import torch.nn as nn
import torch.nn.init as init
import torch.optim as optim


class TransformerNet(torch.nn.Module):
    def __init__(self, c=8):
        super(TransformerNet, self).__init__()
        self.conv1 = ConvLayer(3, c, kernel_size=9, stride=1)
        self.in1 = torch.nn.InstanceNorm2d(c, affine=True)
        self.conv2 = ConvLayer(c, 2 * c, kernel_size=3, stride=2)
        self.in2 = torch.nn.InstanceNorm2d(2 * c, affine=True)
        self.res1 = ResidualBlock(2 * c)
        self.res2 = ResidualBlock(2 * c)
        self.deconv1 = UpsampleConvLayer(2 * c, c, kernel_size=3, stride=1, upsample=2)
        self.in4 = torch.nn.InstanceNorm2d(c, affine=True)
        self.deconv3 = ConvLayer(c, 3, kernel_size=9, stride=1)
        self.relu = torch.nn.ReLU()

    def forward(self, X):
        y = self.relu(self.in1(self.conv1(X)))
        y = self.relu(self.in2(self.conv2(y)))
        y = self.res1(y)
        y = self.res2(y)
        y = self.relu(self.in4(self.deconv1(y)))
        return self.deconv3(y)


class ConvLayer(torch.nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride):
        super(ConvLayer, self).__init__()
        self.reflection_pad = torch.nn.ReflectionPad2d(kernel_size // 2)
        self.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)

    def forward(self, x):
        return self.conv2d(self.reflection_pad(x))


class ResidualBlock(torch.nn.Module):
    def __init__(self, channels):
        super(ResidualBlock, self).__init__()
        self.conv1 = ConvLayer(channels, channels, kernel_size=3, stride=1)
        self.in1 = torch.nn.InstanceNorm2d(channels, affine=True)
        self.conv2 = ConvLayer(channels, channels, kernel_size=3, stride=1)
        self.in2 = torch.nn.InstanceNorm2d(channels, affine=True)
        self.relu = torch.nn.ReLU()

    def forward(self, x):
        residual = x
        out = self.relu(self.in1(self.conv1(x)))
        out = self.in2(self.conv2(out))
        return out + residual


class UpsampleConvLayer(torch.nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride, upsample=None):
        super(UpsampleConvLayer, self).__init__()
        self.upsample = upsample
        if upsample:
            self.upsample_layer = torch.nn.Upsample(mode='nearest', scale_factor=upsample)
        self.reflection_pad = torch.nn.ReflectionPad2d(kernel_size // 2)
        self.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)

    def forward(self, x):
        x_in = x
        if self.upsample:
            x_in = self.upsample_layer(x_in)
        return self.conv2d(self.reflection_pad(x_in))


def gram_matrix(y):
    (b, ch, h, w) = y.size()
    features = y.view(b, ch, w * h)
    features_t = features.transpose(1, 2)
    gram = features.bmm(features_t) / (ch * h * w)
    return gram


def normalize_batch(batch):
    mean = batch.new_tensor([0.485, 0.456, 0.406]).view(-1, 1, 1)
    std = batch.new_tensor([0.229, 0.224, 0.225]).view(-1, 1, 1)
    batch = batch.div_(255.0)
    return (batch - mean) / std


class SRNet(nn.Module):
    def __init__(self, upscale_factor):
        super(SRNet, self).__init__()
        self.relu = nn.ReLU()
        self.conv1 = nn.Conv2d(1, 16, (5, 5), (1, 1), (2, 2))
        self.conv2 = nn.Conv2d(16, 16, (3, 3), (1, 1), (1, 1))
        self.conv3 = nn.Conv2d(16, 8, (3, 3), (1, 1), (1, 1))
        self.conv4 = nn.Conv2d(8, upscale_factor ** 2, (3, 3), (1, 1), (1, 1))
        self.pixel_shuffle = nn.PixelShuffle(upscale_factor)
        self._initialize_weights()

    def forward(self, x):
        x = self.relu(self.conv1(x))
        x = self.relu(self.conv2(x))
        x = self.relu(self.conv3(x))
        return self.pixel_shuffle(self.conv4(x))

    def _initialize_weights(self):
        init.orthogonal_(self.conv1.weight, init.calculate_gain('relu'))
        init.orthogonal_(self.conv2.weight, init.calculate_gain('relu'))
        init.orthogonal_(self.conv3.weight, init.calculate_gain('relu'))
        init.orthogonal_(self.conv4.weight)


device = torch.device(sys.argv[1] if len(sys.argv) > 1 else 'cpu')
torch.manual_seed(42)
# fast_neural_style's train(): content + style loss through a fixed "loss network"
transformer = TransformerNet().to(device)
loss_net = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1)).to(device)
for p in loss_net.parameters():
    p.requires_grad_(False)
optimizer = optim.Adam(transformer.parameters(), 1e-3)
mse_loss = torch.nn.MSELoss()
style = torch.rand(1, 3, 16, 16, device=device) * 255
gram_style = gram_matrix(loss_net(normalize_batch(style.clone())))
for batch_id in range(3):
    x = torch.rand(2, 3, 16, 16, device=device) * 255
    optimizer.zero_grad()
    y = transformer(x)
    y = normalize_batch(y)
    x = normalize_batch(x)
    features_y, features_x = loss_net(y), loss_net(x)
    content_loss = 1e5 * mse_loss(features_y, features_x)
    style_loss = 1e10 * mse_loss(gram_matrix(features_y), gram_style[:2].expand(2, -1, -1))
    total_loss = content_loss + style_loss
    total_loss.backward()
    optimizer.step()
    print(f"batch {batch_id} content: {content_loss.item():.4f} style: {style_loss.item():.4f}")
transformer.eval()
with torch.no_grad():
    out = transformer(torch.rand(1, 3, 16, 16, device=device) * 255).clamp(0, 255)
    print(out.shape, out.mean().item())
print(sorted(transformer.state_dict().keys())[:6])

# super_resolution's train()/test(): MSE and PSNR
torch.manual_seed(123)
model = SRNet(upscale_factor=2).to(device)
criterion = nn.MSELoss()
optimizer = optim.Adam(model.parameters(), lr=0.01)
from math import log10
for epoch in range(1, 3):
    epoch_loss = 0
    for it in range(2):
        inp, target = torch.rand(4, 1, 8, 8, device=device), torch.rand(4, 1, 16, 16, device=device)
        optimizer.zero_grad()
        loss = criterion(model(inp), target)
        epoch_loss += loss.item()
        loss.backward()
        optimizer.step()
        print("===> Epoch[{}]({}/{}): Loss: {:.4f}".format(epoch, it, 2, loss.item()))
    with torch.no_grad():
        mse = criterion(model(inp), target)
        print("===> Avg. PSNR: {:.4f} dB".format(10 * log10(1 / mse.item())))
import os, tempfile
path = os.path.join(tempfile.mkdtemp(), "model.pth")
torch.save(model, path)
m2 = torch.load(path, weights_only=False)
print(type(m2).__name__, m2(inp[:1]).shape)
