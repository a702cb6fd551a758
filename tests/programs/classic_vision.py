"""Classic computer vision by hand in torch, as kornia's and scikit-image's tensor ports write it: grayscale
morphology (dilation/erosion by max_pool2d, opening/closing, the morphological gradient, top-hat), connected
components by iterated max-pooling of labels, histogram equalisation by histc/cumsum/bucketize, a bilateral
filter through unfold, Canny (Gaussian blur, Sobel, non-maximum suppression by gather along the gradient
direction, double threshold, hysteresis by dilation), a Hough line transform accumulated with index_put_
(accumulate=True) and its peaks by topk, Harris corners with a 3x3 max-pool NMS, and integral images by
cumsum for box filters."""
import math

import torch
import torch.nn.functional as F

torch.manual_seed(0)


def r(t, k=6, nd=4):
    return [round(v, nd) for v in t.detach().reshape(-1)[:k].tolist()]


H, W = 24, 28
yy, xx = torch.meshgrid(torch.arange(H, dtype=torch.float32), torch.arange(W, dtype=torch.float32), indexing="ij")
img = ((xx - 8).pow(2) + (yy - 9).pow(2) < 30).float() * 0.8          # a disc
img += ((xx > 15) & (xx < 25) & (yy > 4) & (yy < 18)).float() * 0.6   # a rectangle
img += (yy - 0.8 * xx - 14).abs().lt(0.8).float() * 0.5             # a line
img = (img + 0.05 * torch.randn(H, W)).clamp(0, 1)
x = img.view(1, 1, H, W)
print("image", r(x.sum((2, 3))), r(x.view(-1)[100:106]))


# -- morphology ---------------------------------------------------------------------------------------------
def dilate(x, k=3):
    return F.max_pool2d(x, k, stride=1, padding=k // 2)


def erode(x, k=3):
    return -F.max_pool2d(-x, k, stride=1, padding=k // 2)


opened, closed = dilate(erode(x)), erode(dilate(x))
print("dilate", r(dilate(x).sum()), "erode", r(erode(x).sum()), "open", r(opened.sum()), "close", r(closed.sum()))
print("gradient", r((dilate(x) - erode(x)).sum()), "top-hat", r((x - opened).clamp_min(0).sum()))
binary = (x > 0.5).float()
print("binary", int(binary.sum()), "5x5 dilation", int(dilate(binary, 5).sum()), "erosion", int(erode(binary, 5).sum()))

# -- connected components ----------------------------------------------------------------------------------
labels = (torch.arange(1, H * W + 1, dtype=torch.float32).view(1, 1, H, W)) * binary
for it in range(200):
    grown = F.max_pool2d(labels, 3, stride=1, padding=1) * binary
    if torch.equal(grown, labels):
        break
    labels = grown
ids, counts = torch.unique(labels[labels > 0], return_counts=True)
print("components", it, len(ids), sorted(counts.tolist(), reverse=True)[:5])

# -- histogram equalisation ---------------------------------------------------------------------------------
q = (img * 255).round()
hist = torch.histc(q, bins=256, min=0, max=255)
cdf = hist.cumsum(0)
cdf_min = cdf[cdf > 0].min()
lut = ((cdf - cdf_min) / (cdf[-1] - cdf_min) * 255).round().clamp(0, 255)
eq = lut[q.long()]
print("equalised", r(eq.view(-1)[:6]), "mean", round(eq.mean().item(), 4), "levels", int(torch.unique(eq).numel()))
edges = torch.linspace(0, 1, 9)
bins = torch.bucketize(img, edges[1:-1])
print("quantised", torch.bincount(bins.view(-1), minlength=8).tolist())


# -- bilateral filter ----------------------------------------------------------------------------------------
def bilateral(x, k=5, sigma_s=1.5, sigma_r=0.2):
    pad = k // 2
    patches = F.unfold(F.pad(x, (pad,) * 4, mode="reflect"), k).view(1, k * k, H, W)
    offs = torch.arange(k, dtype=torch.float32) - pad
    spatial = torch.exp(-(offs.view(-1, 1).pow(2) + offs.view(1, -1).pow(2)) / (2 * sigma_s ** 2)).view(1, -1, 1, 1)
    rng_w = torch.exp(-(patches - x).pow(2) / (2 * sigma_r ** 2))
    w = spatial * rng_w
    return (w * patches).sum(1, keepdim=True) / w.sum(1, keepdim=True)


bf = bilateral(x)
print("bilateral", r(bf.sum()), r(bf.view(-1)[200:204]))


# -- Canny -------------------------------------------------------------------------------------------------
def gaussian_kernel(sigma, k=5):
    g = torch.exp(-(torch.arange(k, dtype=torch.float32) - k // 2).pow(2) / (2 * sigma ** 2))
    g = g / g.sum()
    return (g.view(-1, 1) * g.view(1, -1)).view(1, 1, k, k)


blur = F.conv2d(F.pad(x, (2, 2, 2, 2), mode="reflect"), gaussian_kernel(1.0))
sx = torch.tensor([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]]).view(1, 1, 3, 3)
gx = F.conv2d(F.pad(blur, (1, 1, 1, 1), mode="replicate"), sx)
gy = F.conv2d(F.pad(blur, (1, 1, 1, 1), mode="replicate"), sx.transpose(-1, -2))
mag = torch.hypot(gx, gy)
angle = torch.atan2(gy, gx)
sector = (torch.round(angle / (math.pi / 4)) % 4).long()  # 0: horizontal, 1: 45, 2: vertical, 3: 135
neighbours = F.unfold(F.pad(mag, (1, 1, 1, 1)), 3).view(1, 9, H, W)
pairs = torch.tensor([[3, 5], [2, 6], [1, 7], [0, 8]])  # the two neighbours along each direction
idx = pairs[sector.view(-1)].T.reshape(2, 1, 1, H, W)
n1 = neighbours.gather(1, idx[0])
n2 = neighbours.gather(1, idx[1])
nms = torch.where((mag >= n1) & (mag >= n2), mag, torch.zeros_like(mag))
hi_t, lo_t = nms.max() * 0.3, nms.max() * 0.1
strong = (nms >= hi_t).float()
weak = ((nms >= lo_t) & (nms < hi_t)).float()
edges_ = strong
for _ in range(20):
    grown = torch.maximum(edges_, dilate(edges_) * weak)
    if torch.equal(grown, edges_):
        break
    edges_ = grown
print("canny: strong", int(strong.sum()), "weak", int(weak.sum()), "edges", int(edges_.sum()),
      "sectors", torch.bincount(sector.view(-1), minlength=4).tolist())

# -- Hough lines ---------------------------------------------------------------------------------------------
ys, xs = torch.nonzero(edges_[0, 0], as_tuple=True)
thetas = torch.linspace(-math.pi / 2, math.pi / 2, 90)
diag = int(math.ceil(math.hypot(H, W)))
rhos = (xs.float().unsqueeze(1) * thetas.cos() + ys.float().unsqueeze(1) * thetas.sin()).round().long() + diag
acc = torch.zeros(2 * diag + 1, thetas.numel())
acc.index_put_((rhos.reshape(-1), torch.arange(thetas.numel()).repeat(xs.numel())), torch.ones(rhos.numel()),
               accumulate=True)
top = acc.view(-1).topk(5)
print("hough peaks", top.values.tolist(), [(int(i) // thetas.numel() - diag, round(thetas[int(i) % thetas.numel()].item(), 3))
                                            for i in top.indices])

# -- Harris corners ------------------------------------------------------------------------------------------
Ixx, Iyy, Ixy = gx * gx, gy * gy, gx * gy
win = gaussian_kernel(1.5)
Sxx, Syy, Sxy = (F.conv2d(F.pad(t, (2, 2, 2, 2), mode="reflect"), win) for t in (Ixx, Iyy, Ixy))
R = Sxx * Syy - Sxy.pow(2) - 0.05 * (Sxx + Syy).pow(2)
peaks = (R == F.max_pool2d(R, 3, stride=1, padding=1)) & (R > 0.1 * R.max())
pts = torch.nonzero(peaks[0, 0])
print("harris", int(peaks.sum()), pts[:4].tolist(), r(R.max()))

# -- integral image box filter ------------------------------------------------------------------------------
ii = F.pad(img.cumsum(0).cumsum(1), (1, 0, 1, 0))
k = 5
box = (ii[k:, k:] - ii[:-k, k:] - ii[k:, :-k] + ii[:-k, :-k]) / (k * k)
ref = F.avg_pool2d(x, k, stride=1)[0, 0]
print("integral box", tuple(box.shape), torch.allclose(box, ref, atol=1e-5), r(box.view(-1)[50:54]))
