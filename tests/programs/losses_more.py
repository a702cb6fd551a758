"""Loss functions user code reaches for beyond cross-entropy, each as its paper's code or a popular
repository uses it: MultiMarginLoss (the Crammer-Singer SVM head, with p=2, margin and class weights),
SoftMarginLoss and MultiLabelSoftMarginLoss (multi-label tagging), HingeEmbeddingLoss on pair distances,
PoissonNLLLoss (count regression, log_input both ways, full=True's Stirling term), GaussianNLLLoss
(heteroscedastic regression, a variance per sample and a shared one), cross-entropy with label smoothing,
ignore_index and class weights together (the seq2seq padding case), on probabilities as targets, and
nll_loss on 4-D segmentation outputs; each at every reduction, with gradients, and the shape and value
errors torch raises."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_default_device("cuda" if torch.cuda.is_available() else "cpu")  # (--cuda-as webgpu: the GPU's kernels)


def report(name, fn, *inputs):
    for x in inputs:
        if x.is_floating_point():
            x.grad = None
    for reduction in ("mean", "sum", "none"):
        out = fn(reduction)
        if reduction == "none":
            print(f"{name:28s} none {tuple(out.shape)} {out.detach().flatten()[:4].tolist()}")
        else:
            grads = torch.autograd.grad(out, [x for x in inputs if x.requires_grad])
            print(f"{name:28s} {reduction:4s} {out.item():.6f} grads {[round(g.sum().item(), 6) for g in grads]}")


scores = torch.randn(6, 4, requires_grad=True)
target = torch.tensor([0, 3, 1, 1, 2, 0])
weight = torch.tensor([1.0, 2.0, 0.5, 1.5])
report("MultiMargin", lambda r: nn.MultiMarginLoss(reduction=r)(scores, target), scores)
report("MultiMargin p=2 w", lambda r: nn.MultiMarginLoss(p=2, margin=0.5, weight=weight, reduction=r)(scores, target),
       scores)
signs = torch.tensor([[1.0, -1, 1, -1], [-1, -1, 1, 1], [1, 1, 1, -1], [-1, 1, -1, 1], [1, -1, -1, -1], [1, 1, 1, 1]])
report("SoftMargin", lambda r: F.soft_margin_loss(scores, signs, reduction=r), scores)
multi = (signs > 0).float()
report("MultiLabelSoftMargin", lambda r: nn.MultiLabelSoftMarginLoss(reduction=r)(scores, multi), scores)
report("MultiLabelSoftMargin w", lambda r: nn.MultiLabelSoftMarginLoss(weight=weight, reduction=r)(scores, multi),
       scores)
report("MultiLabelMargin", lambda r: F.multilabel_margin_loss(
    scores, torch.tensor([[3, 0, -1, 1], [1, 2, 3, -1], [0, -1, 1, 1], [2, 2, -1, 0], [-1, 0, 0, 0],
                          [0, 1, 2, 3]]), reduction=r), scores)

a = torch.randn(8, 5, requires_grad=True)
b = torch.randn(8, 5)
same = torch.tensor([1.0, -1, -1, 1, 1, -1, 1, -1])
report("HingeEmbedding", lambda r: F.hinge_embedding_loss(F.pairwise_distance(a, b, eps=1e-6), same, margin=2.0,
                                                                          reduction=r), a)
report("CosineEmbedding", lambda r: F.cosine_embedding_loss(a, b, same, margin=0.2, reduction=r), a)
report("MarginRanking", lambda r: F.margin_ranking_loss(a[:, 0], a[:, 1], same, margin=0.1, reduction=r), a)

rate = torch.randn(10, requires_grad=True)
counts = torch.tensor([2.0, 4, 1, 0, 6, 3, 5, 2, 1, 0])  # torch.poisson draws in C++: fixed counts
print("counts", counts.tolist())
report("PoissonNLL log", lambda r: F.poisson_nll_loss(rate, counts, reduction=r), rate)
pos = rate.detach().exp().requires_grad_()
report("PoissonNLL rate full", lambda r: nn.PoissonNLLLoss(log_input=False, full=True, reduction=r)(pos, counts), pos)
report("PoissonNLL full eps", lambda r: F.poisson_nll_loss(rate, counts, full=True, eps=1e-3, reduction=r), rate)

mu = torch.randn(6, 3, requires_grad=True)
obs = torch.randn(6, 3)
var = F.softplus(torch.randn(6, 3)).requires_grad_()
report("GaussianNLL", lambda r: F.gaussian_nll_loss(mu, obs, var, reduction=r), mu, var)
shared = torch.ones(6, 1).mul(0.3).requires_grad_()
report("GaussianNLL shared full", lambda r: nn.GaussianNLLLoss(full=True, eps=1e-4, reduction=r)(mu, obs, shared),
       mu, shared)
tiny = torch.full((6, 3), 1e-8, requires_grad=True)
report("GaussianNLL clamped", lambda r: F.gaussian_nll_loss(mu, obs, tiny, reduction=r), mu, tiny)
report("GaussianNLL 1-d var", lambda r: F.gaussian_nll_loss(mu, obs, var[:, 0], reduction=r), mu)

# seq2seq: padded targets, label smoothing, class weights
PAD = 0
logits = torch.randn(3, 5, 7, requires_grad=True)
tgt = torch.tensor([[4, 2, 6, 0, 0], [1, 1, 3, 5, 0], [0, 0, 0, 0, 0]])
cls_w = torch.linspace(0.5, 2.0, 7)
for ls in (0.0, 0.1):
    for w in (None, cls_w):
        report(f"CE ls={ls} w={w is not None}", lambda r: F.cross_entropy(logits.transpose(1, 2), tgt,
                                                                           weight=w, ignore_index=PAD,
                                                                           label_smoothing=ls, reduction=r),
               logits)
all_pad = torch.zeros(2, 5, dtype=torch.long)
print("all padding", F.cross_entropy(logits[:2].transpose(1, 2), all_pad, ignore_index=PAD).item(),
      F.cross_entropy(logits[:2].transpose(1, 2), all_pad, ignore_index=PAD, label_smoothing=0.2,
                      weight=cls_w).item())
probs = F.softmax(torch.randn(6, 7), dim=1)
flat = logits.reshape(-1, 7)[:6]
report("CE soft targets ls w", lambda r: F.cross_entropy(flat, probs, weight=cls_w, label_smoothing=0.2,
                                                         reduction=r), logits)

seg = torch.randn(2, 4, 3, 3, requires_grad=True)
mask = torch.randint(0, 4, (2, 3, 3))
mask[0, 0] = 255
report("nll 4-D ignore 255", lambda r: F.nll_loss(F.log_softmax(seg, 1), mask, ignore_index=255, reduction=r), seg)
report("CE 4-D w ls", lambda r: nn.CrossEntropyLoss(weight=torch.tensor([0.2, 1, 1, 3.0]), ignore_index=255,
                                                    label_smoothing=0.05, reduction=r)(seg, mask), seg)


def show(fn):
    try:
        out = fn()
        print("  ok", tuple(out.shape) if hasattr(out, "shape") else out)
    except Exception as e:
        print(" ", type(e).__name__, str(e).splitlines()[0])


print("errors")
show(lambda: F.multi_margin_loss(scores, target, p=3))
show(lambda: F.multi_margin_loss(scores, target[:3]))
show(lambda: F.multi_margin_loss(scores, target, weight=torch.ones(3)))
show(lambda: F.soft_margin_loss(scores, signs[:, :2]))
show(lambda: F.multilabel_soft_margin_loss(scores, multi[:2]))
show(lambda: F.hinge_embedding_loss(F.pairwise_distance(a, b), same[:3]))
show(lambda: F.poisson_nll_loss(rate, counts[:4]))
show(lambda: F.gaussian_nll_loss(mu, obs, -var))
show(lambda: F.gaussian_nll_loss(mu, obs, var[:, :2]))
show(lambda: F.gaussian_nll_loss(mu, obs, var, reduction="avg"))
show(lambda: F.cross_entropy(flat, probs, ignore_index=1))
show(lambda: F.cross_entropy(flat, torch.tensor([0, 1, 7, 2, 3, 4])))
show(lambda: F.cross_entropy(flat, torch.tensor([0, 1, 2, 2, 3, 4]), label_smoothing=1.5))
show(lambda: F.cross_entropy(flat, torch.tensor([0, 1, 2, 2, 3, 4]), weight=torch.ones(3)))
show(lambda: F.cross_entropy(flat, torch.tensor([0.0, 1, 2, 2, 3, 4])))
show(lambda: F.nll_loss(seg, mask[:, :2]))
show(lambda: nn.MultiMarginLoss(margin=1, reduction="bad")(scores, target))
