"""milesial/Pytorch-UNet unet/unet_parts.py + unet_model.py + utils/dice_score.py, as written (bilinear and
transposed-convolution upsampling, F.pad to odd sizes), trained a few steps on random images and masks with
train.py's loss (cross-entropy + dice on softmax), RMSprop, ReduceLROnPlateau and GradScaler(enabled=False)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class DoubleConv(nn.Module):
    """(convolution => [BN] => ReLU) * 2"""

    def __init__(self, in_channels, out_channels, mid_channels=None):
        super().__init__()
        if not mid_channels:
            mid_channels = out_channels
        self.double_conv = nn.Sequential(
            nn.Conv2d(in_channels, mid_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(mid_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(mid_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True)
        )

    def forward(self, x):
        return self.double_conv(x)


class Down(nn.Module):
    """Downscaling with maxpool then double conv"""

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.maxpool_conv = nn.Sequential(
            nn.MaxPool2d(2),
            DoubleConv(in_channels, out_channels)
        )

    def forward(self, x):
        return self.maxpool_conv(x)


class Up(nn.Module):
    """Upscaling then double conv"""

    def __init__(self, in_channels, out_channels, bilinear=True):
        super().__init__()
        if bilinear:
            self.up = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)
            self.conv = DoubleConv(in_channels, out_channels, in_channels // 2)
        else:
            self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
            self.conv = DoubleConv(in_channels, out_channels)

    def forward(self, x1, x2):
        x1 = self.up(x1)
        # input is CHW
        diffY = x2.size()[2] - x1.size()[2]
        diffX = x2.size()[3] - x1.size()[3]

        x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2,
                        diffY // 2, diffY - diffY // 2])
        x = torch.cat([x2, x1], dim=1)
        return self.conv(x)


class OutConv(nn.Module):
    def __init__(self, in_channels, out_channels):
        super(OutConv, self).__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=1)

    def forward(self, x):
        return self.conv(x)


class UNet(nn.Module):
    def __init__(self, n_channels, n_classes, bilinear=False, base=64):
        super(UNet, self).__init__()
        self.n_channels = n_channels
        self.n_classes = n_classes
        self.bilinear = bilinear

        self.inc = (DoubleConv(n_channels, base))
        self.down1 = (Down(base, base * 2))
        self.down2 = (Down(base * 2, base * 4))
        factor = 2 if bilinear else 1
        self.down3 = (Down(base * 4, base * 8 // factor))
        self.up1 = (Up(base * 8, base * 4 // factor, bilinear))
        self.up2 = (Up(base * 4, base * 2 // factor, bilinear))
        self.up3 = (Up(base * 2, base, bilinear))
        self.outc = (OutConv(base, n_classes))

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x4 = self.down3(x3)
        x = self.up1(x4, x3)
        x = self.up2(x, x2)
        x = self.up3(x, x1)
        logits = self.outc(x)
        return logits

    def use_checkpointing(self):
        self.inc = torch.utils.checkpoint.checkpoint(self.inc)


def dice_coeff(input: Tensor, target: Tensor, reduce_batch_first: bool = False, epsilon: float = 1e-6):
    # Average of Dice coefficient for all batches, or for a single mask
    assert input.size() == target.size()
    assert input.dim() == 3 or not reduce_batch_first

    sum_dim = (-1, -2) if input.dim() == 2 or not reduce_batch_first else (-1, -2, -3)

    inter = 2 * (input * target).sum(dim=sum_dim)
    sets_sum = input.sum(dim=sum_dim) + target.sum(dim=sum_dim)
    sets_sum = torch.where(sets_sum == 0, inter, sets_sum)

    dice = (inter + epsilon) / (sets_sum + epsilon)
    return dice.mean()


def multiclass_dice_coeff(input: Tensor, target: Tensor, reduce_batch_first: bool = False, epsilon: float = 1e-6):
    # Average of Dice coefficient for all classes
    return dice_coeff(input.flatten(0, 1), target.flatten(0, 1), reduce_batch_first, epsilon)


def dice_loss(input: Tensor, target: Tensor, multiclass: bool = False):
    # Dice loss (objective to minimize) between 0 and 1
    fn = multiclass_dice_coeff if multiclass else dice_coeff
    return 1 - fn(input, target, reduce_batch_first=True)


def run(bilinear, n_classes, size):
    torch.manual_seed(0)
    model = UNet(n_channels=3, n_classes=n_classes, bilinear=bilinear, base=8)
    model = model.to(memory_format=torch.channels_last)
    print(f"bilinear={bilinear} classes={n_classes} params={sum(p.numel() for p in model.parameters())}")
    images = torch.randn(4, 3, size, size).to(memory_format=torch.channels_last)
    if n_classes == 1:
        true_masks = (images.mean(1) > 0).long()
    else:
        true_masks = ((images[:, 0] > 0).long() + (images[:, 1] > 0.5).long()).clamp(max=n_classes - 1)
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3, weight_decay=1e-8, momentum=0.999, foreach=True)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, 'max', patience=5)
    grad_scaler = torch.cuda.amp.GradScaler(enabled=False)
    criterion = nn.CrossEntropyLoss() if n_classes > 1 else nn.BCEWithLogitsLoss()
    model.train()
    for step in range(4):
        with torch.autocast("cpu", enabled=False):
            masks_pred = model(images)
            if n_classes == 1:
                loss = criterion(masks_pred.squeeze(1), true_masks.float())
                loss += dice_loss(F.sigmoid(masks_pred.squeeze(1)), true_masks.float(), multiclass=False)
            else:
                loss = criterion(masks_pred, true_masks)
                loss += dice_loss(
                    F.softmax(masks_pred, dim=1).float(),
                    F.one_hot(true_masks, n_classes).permute(0, 3, 1, 2).float(),
                    multiclass=True
                )
        optimizer.zero_grad(set_to_none=True)
        grad_scaler.scale(loss).backward()
        grad_scaler.unscale_(optimizer)
        total = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        grad_scaler.step(optimizer)
        grad_scaler.update()
        print(f"  step {step} loss {loss.item():.4f} grad norm {total.item():.4f}")
    model.eval()
    with torch.no_grad():
        pred = model(images)
        if n_classes == 1:
            mask_pred = (F.sigmoid(pred) > 0.5).float()
            score = dice_coeff(mask_pred.squeeze(1), true_masks.float(), reduce_batch_first=False)
        else:
            mask_true = F.one_hot(true_masks, n_classes).permute(0, 3, 1, 2).float()
            mask_pred = F.one_hot(pred.argmax(dim=1), n_classes).permute(0, 3, 1, 2).float()
            score = multiclass_dice_coeff(mask_pred[:, 1:], mask_true[:, 1:], reduce_batch_first=False)
    scheduler.step(score)
    print("  out", tuple(pred.shape), "dice", round(score.item(), 4), "lr", optimizer.param_groups[0]["lr"])
    print("  channels_last", pred.is_contiguous(memory_format=torch.channels_last),
          model.inc.double_conv[0].weight.is_contiguous(memory_format=torch.channels_last))


run(bilinear=False, n_classes=2, size=20)
run(bilinear=True, n_classes=1, size=18)
run(bilinear=True, n_classes=3, size=16)
