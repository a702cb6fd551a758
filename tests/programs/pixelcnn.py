# adapted from jzbontar/pixelcnn-pytorch main.py (a PixelCNN of masked 7x7 convolutions, 256-way
# softmax per pixel): MNIST replaced by random 28x28 "digits" quantised to 256 levels, fm/epochs/batches
# shrunk and the sample grid 4 images of 8x8 pixels cut from the model's own output, torchvision's
# save_image replaced by printing the sample's statistics; Variable/volatile/async/print-statement and
# loss.data[0] written as torch 2 spells them (torch.no_grad, loss.item()); .cuda() dropped
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn, optim, backends
from torch.utils import data
backends.cudnn.benchmark = True
torch.manual_seed(0)


class MaskedConv2d(nn.Conv2d):
    def __init__(self, mask_type, *args, **kwargs):
        super(MaskedConv2d, self).__init__(*args, **kwargs)
        assert mask_type in {'A', 'B'}
        self.register_buffer('mask', self.weight.data.clone())
        _, _, kH, kW = self.weight.size()
        self.mask.fill_(1)
        self.mask[:, :, kH // 2, kW // 2 + (mask_type == 'B'):] = 0
        self.mask[:, :, kH // 2 + 1:] = 0

    def forward(self, x):
        self.weight.data *= self.mask
        return super(MaskedConv2d, self).forward(x)


fm = 8
net = nn.Sequential(
    MaskedConv2d('A', 1,   fm, 7, 1, 3), nn.BatchNorm2d(fm), nn.ReLU(True),
    MaskedConv2d('B', fm,  fm, 7, 1, 3), nn.BatchNorm2d(fm), nn.ReLU(True),
    MaskedConv2d('B', fm, 256, 7, 1, 3))
print(net[0].mask[0, 0])
print(sorted(net.state_dict().keys())[:5])

images = (torch.rand(64, 1, 28, 28) > 0.7).float() * torch.rand(64, 1, 28, 28)
tr = data.DataLoader(data.TensorDataset(images, torch.zeros(64)), batch_size=16, shuffle=True, num_workers=0)
sample = torch.Tensor(4, 1, 8, 8)
optimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9, nesterov=True)
for epoch in range(2):
    # train
    err = []
    net.train()
    for input, _ in tr:
        target = (input[:, 0] * 255).long()
        loss = F.cross_entropy(net(input), target)
        err.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    # sample
    net.eval()
    sample.fill_(0)
    with torch.no_grad():
        for i in range(8):
            for j in range(8):
                out = net(sample)
                probs = F.softmax(out[:, :, i, j], dim=1).data
                sample[:, :, i, j] = torch.multinomial(probs, 1).float() / 255.
    print(epoch, '%.5f' % np.mean(err), '%.5f' % sample.mean().item(), sample.view(4, -1)[:, :6])
