"""pytorch/examples imagenet/main.py's training loop pieces (AverageMeter, ProgressMeter, accuracy(topk)),
on a small ResNet in channels_last as NVIDIA's/timm's recipes run it, with timm-style extras: mixup and
cutmix (np.random.beta, randperm), label smoothing, LinearLR warmup + CosineAnnealingLR through SequentialLR, SGD
foreach, a ModelEma by torch._foreach_lerp_, resize augmentation by F.interpolate. Synthetic images."""
import math
from enum import Enum

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Summary(Enum):
    NONE = 0
    AVERAGE = 1
    SUM = 2
    COUNT = 3


class AverageMeter(object):
    def __init__(self, name, fmt=":f", summary_type=Summary.AVERAGE):
        self.name = name
        self.fmt = fmt
        self.summary_type = summary_type
        self.reset()

    def reset(self):
        self.val = 0
        self.avg = 0
        self.sum = 0
        self.count = 0

    def update(self, val, n=1):
        self.val = val
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count

    def __str__(self):
        fmtstr = "{name} {val" + self.fmt + "} ({avg" + self.fmt + "})"
        return fmtstr.format(**self.__dict__)

    def summary(self):
        fmtstr = "{name} {avg:.3f}" if self.summary_type is Summary.AVERAGE else "{name} {sum:.3f}"
        return fmtstr.format(**self.__dict__)


class ProgressMeter(object):
    def __init__(self, num_batches, meters, prefix=""):
        self.batch_fmtstr = self._get_batch_fmtstr(num_batches)
        self.meters = meters
        self.prefix = prefix

    def display(self, batch):
        entries = [self.prefix + self.batch_fmtstr.format(batch)]
        entries += [str(meter) for meter in self.meters]
        print("\t".join(entries))

    def display_summary(self):
        entries = [" *"]
        entries += [meter.summary() for meter in self.meters]
        print(" ".join(entries))

    def _get_batch_fmtstr(self, num_batches):
        num_digits = len(str(num_batches // 1))
        fmt = "{:" + str(num_digits) + "d}"
        return "[" + fmt + "/" + fmt.format(num_batches) + "]"


def accuracy(output, target, topk=(1,)):
    with torch.no_grad():
        maxk = max(topk)
        batch_size = target.size(0)
        _, pred = output.topk(maxk, 1, True, True)
        pred = pred.t()
        correct = pred.eq(target.view(1, -1).expand_as(pred))
        res = []
        for k in topk:
            correct_k = correct[:k].reshape(-1).float().sum(0, keepdim=True)
            res.append(correct_k.mul_(100.0 / batch_size))
        return res


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        return self.relu(out)


class TinyResNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(inplace=True))
        self.layer1 = BasicBlock(16, 16)
        self.layer2 = BasicBlock(16, 32, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(32, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
        for m in self.modules():
            if isinstance(m, BasicBlock):
                nn.init.constant_(m.bn2.weight, 0)

    def forward(self, x):
        x = self.layer2(self.layer1(self.stem(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class ModelEma:
    def __init__(self, model, decay=0.9):
        self.module = TinyResNet()
        self.module.load_state_dict(model.state_dict())
        self.module.eval()
        self.decay = decay

    @torch.no_grad()
    def update(self, model):
        ema_p = [p for p in self.module.state_dict().values() if p.is_floating_point()]
        model_p = [p for p in model.state_dict().values() if p.is_floating_point()]
        torch._foreach_lerp_(ema_p, model_p, weight=1.0 - self.decay)


def mixup_cutmix(x, y, num_classes, alpha=0.8, use_cutmix=False, smoothing=0.1):
    lam = float(np.random.beta(alpha, alpha))  # as timm's Mixup draws it
    perm = torch.randperm(x.size(0))
    if use_cutmix:
        H, W = x.shape[-2:]
        cut = math.sqrt(1.0 - lam)
        ch, cw = int(H * cut), int(W * cut)
        cy, cx = int(torch.randint(H, (1,))), int(torch.randint(W, (1,)))
        y1, y2 = max(cy - ch // 2, 0), min(cy + ch // 2, H)
        x1, x2 = max(cx - cw // 2, 0), min(cx + cw // 2, W)
        x = x.clone()
        x[:, :, y1:y2, x1:x2] = x[perm, :, y1:y2, x1:x2]
        lam = 1.0 - (y2 - y1) * (x2 - x1) / (H * W)
    else:
        x = lam * x + (1 - lam) * x[perm]
    off, on = smoothing / num_classes, 1.0 - smoothing + smoothing / num_classes
    y1h = torch.full((y.size(0), num_classes), off).scatter_(1, y.unsqueeze(1), on)
    return x, lam * y1h + (1 - lam) * y1h[perm]


torch.manual_seed(0)
np.random.seed(0)
centers = torch.randn(10, 3, 1, 1) * 0.8
labels = torch.randint(0, 10, (96,))
images = centers[labels] + 0.5 * torch.randn(96, 3, 12, 12)
model = TinyResNet().to(memory_format=torch.channels_last)
print(model.stem[0].weight.is_contiguous(memory_format=torch.channels_last), model.stem[0].weight.stride())
ema = ModelEma(model)
params_bn = [p for n, p in model.named_parameters() if p.ndim <= 1]
params_w = [p for n, p in model.named_parameters() if p.ndim > 1]
optimizer = torch.optim.SGD([{"params": params_w, "weight_decay": 5e-4}, {"params": params_bn, "weight_decay": 0.0}],
                            lr=0.1, momentum=0.9, nesterov=True, foreach=True)
warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=3)
cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=9, eta_min=1e-4)
scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[3])
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
for epoch in range(4):
    batch_time, losses = AverageMeter("Time", ":6.3f"), AverageMeter("Loss", ":.4e")
    top1, top5 = AverageMeter("Acc@1", ":6.2f"), AverageMeter("Acc@5", ":6.2f")
    progress = ProgressMeter(3, [losses, top1, top5], prefix="Epoch: [{}]".format(epoch))
    model.train()
    for i in range(3):
        idx = torch.arange(i * 32, (i + 1) * 32)
        x, y = images[idx], labels[idx]
        if epoch % 2 == 1:
            size = int(torch.randint(10, 15, (1,)))
            x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False, antialias=False)
        x = x.contiguous(memory_format=torch.channels_last)
        xm, ysoft = mixup_cutmix(x, y, 10, use_cutmix=(i % 2 == 1))
        output = model(xm)
        loss = torch.sum(-ysoft * F.log_softmax(output, dim=-1), dim=-1).mean() if i % 2 else criterion(model(x), y)
        acc1, acc5 = accuracy(output, y, topk=(1, 5))
        losses.update(loss.item(), x.size(0))
        top1.update(acc1[0], x.size(0))
        top5.update(acc5[0], x.size(0))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        ema.update(model)
        progress.display(i + 1)
    scheduler.step()
    print(f"lr {scheduler.get_last_lr()}")
    progress.display_summary()

model.eval()
with torch.no_grad():
    for name, net in (("model", model), ("ema", ema.module)):
        out = net(images.contiguous(memory_format=torch.channels_last))
        a1, a5 = accuracy(out, labels, topk=(1, 5))
        print(name, f"{a1.item():.2f} {a5.item():.2f}", out.is_contiguous(), out.shape)
feat = model.layer2(model.layer1(model.stem(images[:2].contiguous(memory_format=torch.channels_last))))
print(feat.is_contiguous(memory_format=torch.channels_last), feat.shape, feat.stride())
up = F.interpolate(feat, scale_factor=2, mode="nearest")
print(up.shape, up.is_contiguous(memory_format=torch.channels_last), F.upsample_bilinear(feat, size=(4, 4)).shape if hasattr(F, "upsample_bilinear") else "")
