"""torchmetrics' functional metrics written out as its sources compute them: multiclass confusion matrix via
bincount(target * C + preds), precision/recall/F1 (micro, macro, weighted) with zero_division, binary ROC
(sort descending, cumsum of tps/fps, thresholds where scores change) and AUROC by the trapezoid rule,
average precision, multiclass AUROC one-vs-rest, top-k accuracy, calibration error (ECE with bucketize),
Matthews correlation, Cohen's kappa, R2 / explained variance, Pearson/Spearman correlation (ranks through
argsort twice), and a metric object accumulating state across batches with reset()."""
import torch
import torch.nn.functional as F

torch.manual_seed(0)
N, C = 200, 4
logits = torch.randn(N, C) + F.one_hot(torch.randint(0, C, (N,)), C) * 1.5
target = torch.where(torch.rand(N) < 0.7, logits.argmax(1), torch.randint(0, C, (N,)))
probs = logits.softmax(-1)
preds = probs.argmax(-1)


def confusion_matrix(preds, target, num_classes):
    unique_mapping = target.to(torch.long) * num_classes + preds.to(torch.long)
    bins = torch.bincount(unique_mapping, minlength=num_classes ** 2)
    return bins.reshape(num_classes, num_classes)


cm = confusion_matrix(preds, target, C)
print(cm)
tp = cm.diag()
fp = cm.sum(0) - tp
fn = cm.sum(1) - tp
support = cm.sum(1)


def _safe_divide(num, denom, zero_division=0.0):
    num = num.float()
    denom = denom.float()
    return torch.where(denom != 0, num / torch.where(denom == 0, torch.ones_like(denom), denom),
                       torch.tensor(zero_division))


precision = _safe_divide(tp, tp + fp)
recall = _safe_divide(tp, tp + fn)
f1 = _safe_divide(2 * precision * recall, precision + recall)
print("precision", precision, "recall", recall)
print(f"f1 macro {f1.mean():.6f} weighted {(f1 * support / support.sum()).sum():.6f} "
      f"micro {_safe_divide(tp.sum(), tp.sum() + fp.sum()):.6f}")
print("nan_to_num", torch.nan_to_num(tp / (tp + fp * 0)).tolist())


def binary_clf_curve(preds, target):
    desc_score_indices = torch.argsort(preds, descending=True)
    preds = preds[desc_score_indices]
    target = target[desc_score_indices]
    distinct_value_indices = torch.nonzero(preds[1:] - preds[:-1], as_tuple=True)[0]
    threshold_idxs = F.pad(distinct_value_indices, [0, 1], value=target.size(0) - 1)
    target = (target == 1).to(torch.long)
    tps = torch.cumsum(target, dim=0)[threshold_idxs]
    fps = 1 + threshold_idxs - tps
    return fps, tps, preds[threshold_idxs]


def binary_roc(preds, target):
    fps, tps, thresholds = binary_clf_curve(preds, target)
    tps = torch.cat([torch.zeros(1, dtype=tps.dtype), tps])
    fps = torch.cat([torch.zeros(1, dtype=fps.dtype), fps])
    thresholds = torch.cat([torch.ones(1, dtype=thresholds.dtype), thresholds])
    fpr = fps / fps[-1]
    tpr = tps / tps[-1]
    return fpr, tpr, thresholds


def auc(x, y):
    return torch.trapz(y, x)


bin_target = (target == 0).long()
scores = torch.round(probs[:, 0] * 20) / 20  # ties, as real scores have
fpr, tpr, thr = binary_roc(scores, bin_target)
print("roc points", fpr.shape[0], f"auroc {auc(fpr, tpr).item():.6f}", thr[:4].tolist())
fps, tps, _ = binary_clf_curve(scores, bin_target)
precision_curve = tps / (tps + fps)
recall_curve = tps / tps[-1]
precision_curve = torch.cat([precision_curve.flip(0), torch.ones(1)])
recall_curve = torch.cat([recall_curve.flip(0), torch.zeros(1)])
ap = -torch.sum((recall_curve[1:] - recall_curve[:-1]) * precision_curve[:-1])
print(f"average precision {ap.item():.6f}")
aurocs = []
for c in range(C):
    f_, t_, _ = binary_roc(probs[:, c], (target == c).long())
    aurocs.append(torch.trapezoid(t_, f_))
print("ovr auroc", [round(a.item(), 6) for a in aurocs], f"macro {torch.stack(aurocs).mean().item():.6f}")

topk = probs.topk(2, dim=1).indices
print("top-2 acc", (topk == target[:, None]).any(1).float().mean().item())

conf, pred = probs.max(1)
acc = pred.eq(target)
bin_boundaries = torch.linspace(0, 1, 11)
indices = torch.bucketize(conf, bin_boundaries) - 1
count = torch.zeros(10).scatter_add_(0, indices, torch.ones_like(conf))
conf_bin = torch.zeros(10).scatter_add_(0, indices, conf)
acc_bin = torch.zeros(10).scatter_add_(0, indices, acc.float())
prop = count / count.sum()
conf_bin = torch.nan_to_num(conf_bin / count)
acc_bin = torch.nan_to_num(acc_bin / count)
print(f"ECE {torch.sum(torch.abs(acc_bin - conf_bin) * prop).item():.6f}",
      f"MCE {torch.max(torch.abs(acc_bin - conf_bin)).item():.6f}", count.long().tolist())

cmf = cm.double()
t_sum, p_sum = cmf.sum(1), cmf.sum(0)
n_correct, n = cmf.trace(), cmf.sum()
cov_ytyp = n_correct * n - torch.dot(t_sum, p_sum)
mcc = cov_ytyp / torch.sqrt((n ** 2 - torch.dot(p_sum, p_sum)) * (n ** 2 - torch.dot(t_sum, t_sum)))
expected = torch.outer(t_sum, p_sum) / n
w = 1 - torch.eye(C, dtype=torch.double)
kappa = 1 - (w * cmf).sum() / (w * expected).sum()
print(f"mcc {mcc.item():.8f} kappa {kappa.item():.8f}")

y = torch.randn(64, 2)
yhat = y * 0.8 + 0.3 * torch.randn(64, 2)
ss_res = ((y - yhat) ** 2).sum(0)
ss_tot = ((y - y.mean(0)) ** 2).sum(0)
r2 = 1 - ss_res / ss_tot
ev = 1 - (y - yhat).var(0, unbiased=False) / y.var(0, unbiased=False)
print("r2", r2.tolist(), "explained var", ev.tolist())


def rank(x):
    return x.argsort().argsort().float()


def pearson(a, b):
    a, b = a - a.mean(), b - b.mean()
    return (a * b).sum() / (a.norm() * b.norm())


print(f"pearson {pearson(y[:, 0], yhat[:, 0]).item():.6f} spearman {pearson(rank(y[:, 0]), rank(yhat[:, 0])).item():.6f}",
      f"corrcoef {torch.corrcoef(torch.stack([y[:, 0], yhat[:, 0]]))[0, 1].item():.6f}")


class MulticlassAccuracy:
    full_state_update = False

    def __init__(self, num_classes, average="macro"):
        self.num_classes, self.average = num_classes, average
        self.reset()

    def reset(self):
        self.tp = torch.zeros(self.num_classes, dtype=torch.long)
        self.total = torch.zeros(self.num_classes, dtype=torch.long)

    def update(self, preds, target):
        if preds.ndim == target.ndim + 1:
            preds = preds.argmax(dim=1)
        self.tp += torch.bincount(target[preds == target], minlength=self.num_classes)
        self.total += torch.bincount(target, minlength=self.num_classes)

    def compute(self):
        per_class = self.tp.float() / self.total.float()
        return per_class.nanmean() if self.average == "macro" else self.tp.sum() / self.total.sum()


metric = MulticlassAccuracy(C)
for chunk_logits, chunk_target in zip(logits.split(64), target.split(64)):
    metric.update(chunk_logits, chunk_target)
print("accumulated", metric.compute().item(), metric.tp.tolist())
metric.reset()
metric.update(logits[:3], target[:3])
print("after reset", metric.total.tolist(), metric.compute())
