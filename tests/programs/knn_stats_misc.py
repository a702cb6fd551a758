"""A kNN classifier and retrieval metrics as the DINO repository's eval_knn.py and scikit-style scripts write
them with torch.cdist (every p and compute_mode), topk votes weighted by exp(sim / T), torch.mode and
bincount majority votes; then the descriptive statistics a data-exploration notebook prints: histogram
(bins and edges, weights, density), histc, nanmedian / nanquantile (every interpolation), torch.gradient
(spacing, edge_order), cumulative_trapezoid, renorm (as the old embedding max-norm trick), and the float
helpers frexp / ldexp / nextafter / copysign / hypot / heaviside."""
import math

import torch
import torch.nn.functional as F

torch.manual_seed(0)

# two gaussian blobs per class, 3 classes
centers = torch.tensor([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]])
train_labels = torch.arange(3).repeat_interleave(20)
train = centers[train_labels] + 0.8 * torch.randn(60, 2)
test_labels = torch.arange(3).repeat_interleave(5)
test = centers[test_labels] + 0.8 * torch.randn(15, 2)

for p in (1.0, 2.0, 3.0, float("inf"), 0.0):
    d = torch.cdist(test, train, p=p)
    print(f"cdist p={p}: {tuple(d.shape)} {d.sum().item():.4f} {d.min().item():.6f} {d.max().item():.6f}")
for mode in ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist"):
    d = torch.cdist(test, train, compute_mode=mode)
    print(mode, f"{d.sum().item():.3f}", (d >= 0).all().item())
batched = torch.cdist(test.reshape(3, 5, 2), train.reshape(3, 20, 2))
print("batched", tuple(batched.shape), round(batched.mean().item(), 4))

k = 7
dist = torch.cdist(test, train)
knn_d, knn_i = dist.topk(k, largest=False)
votes = train_labels[knn_i]
pred_mode = votes.mode(dim=1).values
pred_count = torch.stack([torch.bincount(v, minlength=3) for v in votes]).argmax(1)
print("mode vote", pred_mode.tolist(), (pred_mode == test_labels).float().mean().item())
print("bincount vote", pred_count.tolist())


@torch.no_grad()
def knn_classifier(train_features, train_labels, test_features, test_labels, k, T, num_classes=3):
    # DINO eval_knn.py: cosine similarity, top-k, weights exp(sim / T), one-hot votes
    top1, top5, total = 0.0, 0.0, 0
    train_features = train_features.t()
    num_test_images, num_chunks = test_labels.shape[0], 3
    imgs_per_chunk = num_test_images // num_chunks
    retrieval_one_hot = torch.zeros(k, num_classes)
    for idx in range(0, num_test_images, imgs_per_chunk):
        features = test_features[idx: min((idx + imgs_per_chunk), num_test_images), :]
        targets = test_labels[idx: min((idx + imgs_per_chunk), num_test_images)]
        batch_size = targets.shape[0]
        similarity = torch.mm(features, train_features)
        distances, indices = similarity.topk(k, largest=True, sorted=True)
        candidates = train_labels.view(1, -1).expand(batch_size, -1)
        retrieved_neighbors = torch.gather(candidates, 1, indices)
        retrieval_one_hot.resize_(batch_size * k, num_classes).zero_()
        retrieval_one_hot.scatter_(1, retrieved_neighbors.view(-1, 1), 1)
        distances_transform = distances.clone().div_(T).exp_()
        probs = torch.sum(
            torch.mul(retrieval_one_hot.view(batch_size, -1, num_classes), distances_transform.view(batch_size, -1, 1)),
            1,
        )
        _, predictions = probs.sort(1, True)
        correct = predictions.eq(targets.data.view(-1, 1))
        top1 = top1 + correct.narrow(1, 0, 1).sum().item()
        top5 = top5 + correct.narrow(1, 0, min(2, k)).sum().item()
        total += targets.size(0)
    return top1 * 100.0 / total, top5 * 100.0 / total


feats_train = F.normalize(torch.cat([train, torch.ones(60, 1)], 1), dim=1)
feats_test = F.normalize(torch.cat([test, torch.ones(15, 1)], 1), dim=1)
print("dino knn", knn_classifier(feats_train, train_labels, feats_test, test_labels, k=10, T=0.07))

# recall@k for retrieval
sim = feats_test @ feats_train.T
ranks = sim.argsort(dim=1, descending=True, stable=True)
hits = train_labels[ranks] == test_labels[:, None]
for kk in (1, 5, 10):
    print(f"recall@{kk}", hits[:, :kk].any(1).float().mean().item())

# histograms
x = torch.randn(1000) * 2 + 1
hist, edges = torch.histogram(x, bins=8)
print("histogram", hist.tolist(), [round(e, 4) for e in edges.tolist()])
hist, edges = torch.histogram(x, bins=torch.tensor([-5.0, -1, 0, 0.5, 1, 3, 9]), density=True)
print("density", [round(h, 6) for h in hist.tolist()])
hist, edges = torch.histogram(x, bins=5, range=(-2.0, 2.0), weight=torch.linspace(0, 1, 1000))
print("weighted", [round(h, 4) for h in hist.tolist()], edges.tolist())
print("histc", torch.histc(x, bins=6, min=-3, max=3).tolist(), torch.histc(x, bins=4).tolist())
print("histogramdd", [t.tolist() for t in torch.histogramdd(torch.stack([x[:200], x[200:400]], 1), bins=[3, 2])[1]])

# nan-aware statistics
y = x[:20].clone()
y[[2, 5, 11]] = float("nan")
print("nanmedian", y.nanmedian().item(), y.reshape(4, 5).nanmedian(dim=1).values.tolist(),
      y.reshape(4, 5).nanmedian(dim=1).indices.tolist())
print("median", y.median().item(), x[:20].median().item())
q = torch.tensor([0.1, 0.5, 0.9])
for interp in ("linear", "lower", "higher", "midpoint", "nearest"):
    print(interp, [round(v, 5) for v in torch.nanquantile(y, q, interpolation=interp).tolist()],
          [round(v, 5) for v in torch.quantile(x[:20], q, interpolation=interp).tolist()])
print("nanquantile dim", torch.nanquantile(y.reshape(4, 5), 0.25, dim=1, keepdim=True).flatten().tolist())
print("nansum nanmean", y.nansum().item(), y.nanmean().item(), torch.full((3,), float("nan")).nanmean().item())

# calculus on samples
t = torch.linspace(0, math.pi, 9)
f = torch.sin(t)
print("gradient", [round(v, 6) for v in torch.gradient(f, spacing=(t,))[0].tolist()])
print("gradient edge2", [round(v, 6) for v in torch.gradient(f, spacing=t[1].item() - t[0].item(), edge_order=2)[0].tolist()])
grid = torch.outer(torch.arange(4.0), torch.arange(5.0)) ** 2
gy, gx = torch.gradient(grid)
print("gradient 2d", gy[1].tolist(), gx[:, 2].tolist())
print("gradient dim", torch.gradient(grid, spacing=2.0, dim=1)[0][3].tolist())
print("trapezoid", torch.trapezoid(f, t).item(), torch.cumulative_trapezoid(f, t)[-3:].tolist())
print("cumulative dx", torch.cumulative_trapezoid(grid, dx=0.5, dim=0)[-1].tolist())

# renorm: each row's p-norm capped at maxnorm (the embedding max_norm trick)
w = torch.randn(5, 4) * 3
r = torch.renorm(w, p=2, dim=0, maxnorm=1.5)
print("renorm", [round(v, 5) for v in r.norm(dim=1).tolist()], torch.equal(r[w.norm(dim=1) <= 1.5],
                                                                            w[w.norm(dim=1) <= 1.5]))
print("renorm p1 dim1", [round(v, 5) for v in w.renorm(1, 1, 2.0).abs().sum(0).tolist()])

# float helpers
v = torch.tensor([0.0, -0.0, 1.0, -3.5, 1024.0, 1e-40, float("inf"), float("nan")])
m, e = torch.frexp(v)
print("frexp", m.tolist(), e.tolist(), e.dtype)
print("ldexp", torch.ldexp(m, e).tolist())
print("nextafter", torch.nextafter(torch.tensor([1.0, 0.0, -1.0]), torch.tensor([2.0, 1.0, -2.0])).tolist())
print("copysign", torch.copysign(torch.tensor([1.0, 2.0, 0.0, 3.0]), torch.tensor([-0.0, 1.0, -1.0, float("nan")])).tolist())
print("hypot", torch.hypot(torch.tensor([3.0, 1e30, float("inf")]), torch.tensor([4.0, 1e30, float("nan")])).tolist())
print("heaviside", torch.heaviside(torch.tensor([-1.0, 0.0, 2.0, float("nan")]), torch.tensor([0.5])).tolist())
print("logaddexp2", torch.logaddexp2(torch.tensor([1.0, -float("inf")]), torch.tensor([1.0, -float("inf")])).tolist())
print("float_power", torch.float_power(torch.tensor([2, 3]), 0.5).tolist(), torch.float_power(torch.tensor([2, 3]), 2).dtype)
print("xlogy", torch.xlogy(torch.tensor([0.0, 2.0, 0.0]), torch.tensor([0.0, 3.0, float("nan")])).tolist(),
      torch.special.xlog1py(torch.tensor([0.0, 2.0]), torch.tensor([-1.0, 3.0])).tolist())
