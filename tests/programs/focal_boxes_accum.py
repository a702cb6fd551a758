"""A one-stage detector's loss pieces as torchvision writes them in pure torch (ops/focal_loss.py's
sigmoid_focal_loss, ops/boxes.py's box_area/box_iou/generalized_box_iou, a greedy NMS in torch, the anchor
matcher's argmax with a low-quality allowance), a multi-class focal loss on cross_entropy, trained with
gradient accumulation, ``clip_grad_norm_`` (its returned total norm), ``GradScaler`` disabled on the cpu and
``set_to_none`` zeroing; the classic KLDiv/temperature distillation term added to a student at the end."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def sigmoid_focal_loss(inputs, targets, alpha: float = 0.25, gamma: float = 2, reduction: str = "none"):
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    if reduction == "none":
        pass
    elif reduction == "mean":
        loss = loss.mean()
    elif reduction == "sum":
        loss = loss.sum()
    else:
        raise ValueError(
            f"Invalid Value for arg 'reduction': '{reduction} \n Supported reduction modes: 'none', 'mean', 'sum'"
        )
    return loss


def focal_loss_multiclass(logits, target, gamma=2.0, weight=None):
    ce = F.cross_entropy(logits, target, weight=weight, reduction="none")
    pt = torch.exp(-ce)
    return ((1 - pt) ** gamma * ce).mean()


def box_area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def _box_inter_union(boxes1, boxes2):
    area1 = box_area(boxes1)
    area2 = box_area(boxes2)
    lt = torch.max(boxes1[:, None, :2], boxes2[:, :2])
    rb = torch.min(boxes1[:, None, 2:], boxes2[:, 2:])
    wh = (rb - lt).clamp(min=0)
    inter = wh[:, :, 0] * wh[:, :, 1]
    union = area1[:, None] + area2 - inter
    return inter, union


def box_iou(boxes1, boxes2):
    inter, union = _box_inter_union(boxes1, boxes2)
    return inter / union


def generalized_box_iou(boxes1, boxes2):
    inter, union = _box_inter_union(boxes1, boxes2)
    iou = inter / union
    lti = torch.min(boxes1[:, None, :2], boxes2[:, :2])
    rbi = torch.max(boxes1[:, None, 2:], boxes2[:, 2:])
    whi = (rbi - lti).clamp(min=0)
    areai = whi[:, :, 0] * whi[:, :, 1]
    return iou - (areai - union) / areai


def nms(boxes, scores, iou_threshold):
    order = scores.argsort(descending=True)
    keep = []
    suppressed = torch.zeros(len(boxes), dtype=torch.bool)
    ious = box_iou(boxes, boxes)
    for i in order.tolist():
        if suppressed[i]:
            continue
        keep.append(i)
        suppressed |= ious[i] > iou_threshold
    return torch.tensor(keep, dtype=torch.int64)


def batched_nms(boxes, scores, idxs, iou_threshold):
    max_coordinate = boxes.max()
    offsets = idxs.to(boxes) * (max_coordinate + torch.tensor(1).to(boxes))
    return nms(boxes + offsets[:, None], scores, iou_threshold)


def random_boxes(n, size=32.0):
    xy = torch.rand(n, 2) * size
    wh = torch.rand(n, 2) * size / 2 + 2
    return torch.cat([xy, xy + wh], dim=1)


anchors = random_boxes(40)
gt = random_boxes(5)
iou = box_iou(gt, anchors)
print(iou.shape, iou.max().round(decimals=4), generalized_box_iou(gt[:2], gt[:3]).round(decimals=4))
# the matcher: best ground truth per anchor, background under 0.4, ignored between, and each ground truth's
# best anchors kept (allow_low_quality_matches)
matched_vals, matches = iou.max(dim=0)
all_matches = matches.clone()
matches[matched_vals < 0.4] = -1
matches[(matched_vals >= 0.4) & (matched_vals < 0.5)] = -2
highest_quality_foreach_gt, _ = iou.max(dim=1)
gt_pred_pairs_of_highest_quality = torch.where(iou == highest_quality_foreach_gt[:, None])
pred_inds_to_update = gt_pred_pairs_of_highest_quality[1]
matches[pred_inds_to_update] = all_matches[pred_inds_to_update]
print(matches.tolist())

scores = torch.rand(40)
labels = torch.randint(0, 3, (40,))
keep = nms(anchors, scores, 0.3)
print(keep.tolist()[:10], len(keep), batched_nms(anchors, scores, labels, 0.3).numel())


class Head(nn.Module):
    def __init__(self, n_in=8, n_classes=3):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(n_in, 32), nn.GroupNorm(4, 32), nn.ReLU(), nn.Linear(32, 32),
                                  nn.ReLU())
        self.cls = nn.Linear(32, n_classes)
        self.box = nn.Linear(32, 4)
        prior = 0.01  # RetinaNet's bias init: every anchor starts as background with probability 0.99
        nn.init.constant_(self.cls.bias, -torch.log(torch.tensor((1 - prior) / prior)).item())

    def forward(self, x):
        h = self.body(x)
        return self.cls(h), self.box(h)


feats = torch.randn(256, 8)
cls_t = torch.zeros(256, 3)
fg = torch.rand(256) < 0.1
cls_t[fg, torch.randint(0, 3, (int(fg.sum()),))] = 1.0
box_t = torch.randn(256, 4) * 0.1
model = Head()
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
scaler = torch.amp.GradScaler("cpu", enabled=False)
accum = 4
for step in range(24):
    chunk = slice((step % 4) * 64, (step % 4 + 1) * 64)
    with torch.autocast("cpu", enabled=False):
        logits, deltas = model(feats[chunk])
        n_fg = max(1, int(cls_t[chunk].sum()))
        l_cls = sigmoid_focal_loss(logits, cls_t[chunk], reduction="sum") / n_fg
        l_box = F.smooth_l1_loss(deltas[fg[chunk]], box_t[chunk][fg[chunk]], beta=1 / 9, reduction="sum") / n_fg
        loss = (l_cls + l_box) / accum
    scaler.scale(loss).backward()
    if (step + 1) % accum == 0:
        scaler.unscale_(opt)
        total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        scaler.step(opt)
        scaler.update()
        opt.zero_grad(set_to_none=True)
        print(f"step {step + 1}: cls {l_cls.item():.5f} box {l_box.item():.5f} grad norm {total.item():.4f}",
              model.cls.weight.grad is None, scaler.get_scale(), scaler.is_enabled())

# multi-class focal loss, class-weighted, against plain cross entropy at gamma 0
logits = torch.randn(16, 5, requires_grad=True)
target = torch.randint(0, 5, (16,))
w = torch.tensor([1.0, 2.0, 1.0, 0.5, 1.0])
print(torch.allclose(focal_loss_multiclass(logits, target, gamma=0.0), F.cross_entropy(logits, target)))
fl = focal_loss_multiclass(logits, target, gamma=2.0, weight=w)
fl.backward()
print(round(fl.item(), 5), logits.grad.abs().sum().round(decimals=4))
try:
    sigmoid_focal_loss(logits, torch.zeros(16, 5), reduction="avg")
except ValueError as e:
    print("ValueError", e)

# a student distilled from the head at temperature T: KLDivLoss(batchmean) on log-softmaxes, times T^2
teacher = model.eval()
student = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
kd = nn.KLDivLoss(reduction="batchmean")
sopt = torch.optim.Adam(student.parameters(), lr=1e-2)
T = 4.0
for epoch in range(5):
    with torch.no_grad():
        soft = F.softmax(teacher(feats)[0] / T, dim=-1)
    out = student(feats)
    loss = kd(F.log_softmax(out / T, dim=-1), soft) * T * T
    sopt.zero_grad()
    loss.backward()
    sopt.step()
    print(f"kd epoch {epoch}: {loss.item():.6f}")
