"""Metric learning as in the siamese-triplet repos (adambielski/siamese-triplet) and the PyTorch forums'
triplet recipes: an embedding net trained with nn.TripletMarginLoss on online batch-hard triplets (cdist,
masked max/min), TripletMarginWithDistanceLoss with cosine distance and swap, pairwise_distance,
F.normalize, then retrieval: recall@k from topk over a cosine similarity matrix, CosineEmbeddingLoss and
MarginRankingLoss on pairs, and a contrastive loss written by hand."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3)
n_classes, per_class, dim = 5, 12, 10
centers = torch.randn(n_classes, dim) * 2.0
labels = torch.arange(n_classes).repeat_interleave(per_class)
X = centers[labels] + 0.8 * torch.randn(len(labels), dim)


class EmbeddingNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, 32), nn.PReLU(), nn.Linear(32, 32), nn.PReLU(), nn.Linear(32, 8))

    def forward(self, x):
        return F.normalize(self.net(x), p=2, dim=1)


def batch_hard(emb, y, margin=0.3):
    d = torch.cdist(emb, emb, p=2)
    same = y.unsqueeze(0) == y.unsqueeze(1)
    eye = torch.eye(len(y), dtype=torch.bool)
    hardest_pos = (d * (same & ~eye)).max(dim=1).values
    hardest_neg = d.masked_fill(same, float("inf")).min(dim=1).values
    return F.relu(hardest_pos - hardest_neg + margin).mean(), (hardest_pos, hardest_neg)


def recall_at_k(emb, y, k):
    sim = emb @ emb.t()
    sim.fill_diagonal_(-float("inf"))
    idx = sim.topk(k, dim=1).indices
    hit = (y[idx] == y.unsqueeze(1)).any(dim=1)
    return hit.float().mean().item()


model = EmbeddingNet()
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
triplet = nn.TripletMarginLoss(margin=0.3, p=2)
cos_triplet = nn.TripletMarginWithDistanceLoss(distance_function=lambda a, b: 1.0 - F.cosine_similarity(a, b),
                                               margin=0.2, swap=True)
print("recall@1 before", round(recall_at_k(model(X).detach(), labels, 1), 4))
for epoch in range(25):
    perm = torch.randperm(len(labels))
    emb = model(X[perm])
    y = labels[perm]
    loss_bh, (hp, hn) = batch_hard(emb, y)
    # random valid triplets for the two loss modules
    a_idx = torch.arange(len(y))
    pos_idx = torch.stack([torch.nonzero((y == y[i]) & (a_idx != i)).flatten()[0] for i in range(len(y))])
    neg_idx = torch.stack([torch.nonzero(y != y[i]).flatten()[i % 10] for i in range(len(y))])
    loss = loss_bh + triplet(emb, emb[pos_idx], emb[neg_idx]) + 0.5 * cos_triplet(emb, emb[pos_idx], emb[neg_idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    if epoch % 5 == 0 or epoch == 24:
        print(f"epoch {epoch} loss {loss.item():.5f} bh {loss_bh.item():.5f} pos {hp.mean():.4f} neg {hn.mean():.4f}"
              f" lr {sched.get_last_lr()[0]:.4f}")

model.eval()
with torch.no_grad():
    emb = model(X)
print("recall@1", round(recall_at_k(emb, labels, 1), 4), "recall@5", round(recall_at_k(emb, labels, 5), 4))
a, b = emb[:6], emb[6:12]
print(F.pairwise_distance(a, b).shape, F.pairwise_distance(a, b, p=1, keepdim=True).shape)
print(torch.allclose(F.pairwise_distance(a, b), (a - b + 1e-6).norm(dim=1)))
print(nn.PairwiseDistance(p=2.0, eps=1e-6)(a, b)[:3])
tgt = torch.where(labels[:6] == labels[6:12], 1, -1)
print(nn.CosineEmbeddingLoss(margin=0.1)(a, b, tgt), nn.MarginRankingLoss(margin=0.5)(a[:, 0], b[:, 0], tgt.float()))
d = F.pairwise_distance(a, b)
same = (tgt == 1).float()
contrastive = (same * d.pow(2) + (1 - same) * F.relu(1.0 - d).pow(2)).mean() / 2
print(f"{contrastive.item():.6f}", triplet(a, b, emb[12:18]), nn.TripletMarginLoss(reduction="none", swap=True)(a, b, b.flip(0)))
for bad in [(a, b[:3], b), (a[:, :4], b, b)]:
    try:
        triplet(*bad)
    except RuntimeError as e:
        print("RuntimeError", str(e).splitlines()[0])
