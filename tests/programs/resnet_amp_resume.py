"""Imitates a user's image-classification training script in the style of the common "ResNet on
CIFAR-10" recipes: BasicBlock residual blocks with BatchNorm, AdamW + OneCycleLR stepped per batch,
cross-entropy with label smoothing, mixed precision under torch.autocast (float16 here; test_bfloat16 and
test_amp cover the cpu default, bfloat16), a checkpoint of model + optimizer + scheduler + RNG state
saved mid-training with torch.save, and a second run resumed from it with torch.load that must
continue exactly as the first did. Written for pyfront's tests; synthetic 8x8 images, tiny sizes.
"""
import argparse
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--n-train", type=int, default=64)
parser.add_argument("--amp-dtype", default="float16")
parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
args = parser.parse_args()
device = torch.device(args.device)
amp_dtype = getattr(torch, args.amp_dtype)
torch.manual_seed(3)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, planes, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.shortcut(x)
        return F.relu(out)


class ResNet(nn.Module):
    def __init__(self, block, num_blocks, num_classes=4):
        super().__init__()
        self.in_planes = 8
        self.conv1 = nn.Conv2d(3, 8, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.layer1 = self._make_layer(block, 8, num_blocks[0], stride=1)
        self.layer2 = self._make_layer(block, 16, num_blocks[1], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.linear = nn.Linear(16 * block.expansion, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def _make_layer(self, block, planes, num_blocks, stride):
        layers = []
        for s in [stride] + [1] * (num_blocks - 1):
            layers.append(block(self.in_planes, planes, s))
            self.in_planes = planes * block.expansion
        return nn.Sequential(*layers)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer2(self.layer1(out))
        out = torch.flatten(self.avgpool(out), 1)
        return self.linear(out)


images = torch.randn(args.n_train, 3, 8, 8)
targets = (images[:, 0].mean((1, 2)) > 0).long() + 2 * (images[:, 1].mean((1, 2)) > 0).long()
loader = DataLoader(TensorDataset(images, targets), batch_size=16, shuffle=True, drop_last=True)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)


def make():
    model = ResNet(BasicBlock, [1, 1]).to(device).to(memory_format=torch.channels_last)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=5e-4)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=2e-2, epochs=args.epochs,
                                                    steps_per_epoch=len(loader))
    return model, optimizer, scheduler


def train_epoch(model, optimizer, scheduler):
    model.train()
    losses = []
    for x, y in loader:
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device_type=device.type, dtype=amp_dtype):
            logits = model(x)
            loss = criterion(logits, y)
        assert logits.dtype == amp_dtype and loss.dtype == torch.float32
        loss.backward()
        optimizer.step()
        scheduler.step()
        losses.append(round(loss.item(), 4))
    return losses


def evaluate(model):
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in DataLoader(TensorDataset(images, targets), batch_size=32):
            correct += (model(x.to(device)).argmax(1) == y.to(device)).sum().item()
    return correct / len(images)


model, optimizer, scheduler = make()
print(model.layer2)
ckpt = os.path.join(tempfile.mkdtemp(), "ckpt.pt")
first = []
for epoch in range(args.epochs):
    if epoch == 1:
        torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(), "rng": torch.get_rng_state()}, ckpt)
    losses = train_epoch(model, optimizer, scheduler)
    first.append(losses)
    print(f"epoch {epoch} lr {scheduler.get_last_lr()[0]:.6f} losses {losses} acc {evaluate(model):.4f}")
print("running_mean", [round(v, 4) for v in model.bn1.running_mean.tolist()],
      "batches tracked", model.bn1.num_batches_tracked.item())

# resume: fresh objects, everything loaded back, the rest of the run again
model2, optimizer2, scheduler2 = make()
state = torch.load(ckpt, weights_only=True)
model2.load_state_dict(state["model"])
optimizer2.load_state_dict(state["optimizer"])
scheduler2.load_state_dict(state["scheduler"])
torch.set_rng_state(state["rng"])
for epoch in range(state["epoch"], args.epochs):
    losses = train_epoch(model2, optimizer2, scheduler2)
    # evaluate as the first run did: every DataLoader iterator draws a base seed, shuffled or not
    print(f"resumed epoch {epoch} same losses {losses == first[epoch]} acc {evaluate(model2):.4f}")
same = all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), model2.state_dict().values()))
print("resumed weights identical", same, "lr", scheduler2.get_last_lr())
