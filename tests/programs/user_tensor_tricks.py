"""Intermediate tensor tricks from forum answers: indexing assignment, scatter/gather reductions,
searchsorted/bucketize, unique, unfold/fold, grid_sample, sdpa with masks, combinatorics."""
import torch
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.arange(12.).reshape(3, 4)
x[x > 5] = -1
x[[0, 2], [1, 3]] = torch.tensor([100., 200.])
x[:, torch.tensor([True, False, True, False])] *= 2
print(x)
idx = torch.tensor([0, 1, 0, 2, 1])
src = torch.tensor([1., 2., 3., 4., 5.])
for red in ["sum", "prod", "mean", "amax", "amin"]:
    print(red, torch.zeros(3).scatter_reduce(0, idx, src, reduce=red), torch.ones(3).scatter_reduce(0, idx, src, reduce=red, include_self=False))
print(torch.zeros(3).index_put_((idx,), src, accumulate=True), torch.zeros(3).index_add(0, idx, src, alpha=2))
print(torch.zeros(2, 3).scatter_(1, torch.tensor([[0], [2]]), 5.0), torch.zeros(2, 3).scatter_add(1, torch.tensor([[0, 0], [2, 1]]), torch.ones(2, 2)))
b = torch.tensor([1., 3., 5., 7.])
v = torch.tensor([0., 3., 6., 9., 3.5])
print(torch.searchsorted(b, v), torch.searchsorted(b, v, right=True), torch.bucketize(v, b), torch.bucketize(v, b, right=True))
print(torch.searchsorted(b, v, side="right", out_int32=True).dtype)
u = torch.tensor([3, 1, 3, 2, 1, 1])
print(torch.unique(u), torch.unique(u, sorted=True, return_inverse=True, return_counts=True))
print(torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 3, 1, 1]), return_counts=True, return_inverse=True))
print(torch.unique(torch.tensor([[1, 2], [1, 2], [0, 1]]), dim=0, return_counts=True))
print(torch.histc(torch.tensor([1., 2., 1., 4.]), bins=4, min=0, max=4), torch.bincount(u, minlength=5), torch.bincount(u, weights=u.float()))
img = torch.randn(1, 2, 4, 4)
pat = F.unfold(img, kernel_size=2, stride=2)
print(pat.shape, torch.allclose(F.fold(pat, (4, 4), kernel_size=2, stride=2), img))
print(img.unfold(2, 2, 1).shape, torch.arange(10).unfold(0, 3, 2))
theta = torch.tensor([[[0.8, -0.2, 0.1], [0.3, 0.9, -0.1]]])
grid = F.affine_grid(theta, (1, 2, 4, 4), align_corners=False)
for mode in ["bilinear", "nearest", "bicubic"]:
    for pad in ["zeros", "border", "reflection"]:
        print(mode, pad, F.grid_sample(img, grid, mode=mode, padding_mode=pad, align_corners=False).sum().item())
print(F.interpolate(img, scale_factor=0.5, mode="bilinear", antialias=True).sum(), F.interpolate(img, size=(3, 5), mode="bicubic", align_corners=True).sum())
print(F.interpolate(img, scale_factor=1.5, mode="nearest-exact").shape, F.interpolate(img, scale_factor=1.5, mode="area").shape)
print(F.pixel_shuffle(torch.arange(16.).reshape(1, 4, 2, 2), 2), F.pixel_unshuffle(torch.arange(16.).reshape(1, 1, 4, 4), 2).shape)
q, k, vv = torch.randn(2, 2, 5, 4), torch.randn(2, 2, 6, 4), torch.randn(2, 2, 6, 3)
mask = torch.ones(5, 6, dtype=torch.bool).tril()
print(F.scaled_dot_product_attention(q, k, vv, attn_mask=mask).sum(), F.scaled_dot_product_attention(q, k, vv, attn_mask=mask.float().log()).sum())
print(F.scaled_dot_product_attention(q, k, vv, is_causal=True).sum(), F.scaled_dot_product_attention(q, k, vv, scale=0.1, dropout_p=0.0).sum())
try:
    F.scaled_dot_product_attention(q, k, vv, attn_mask=mask, is_causal=True)
except RuntimeError as e:
    print("RuntimeError:", e)
print(torch.block_diag(torch.ones(1, 2), torch.full((2, 1), 2.)), torch.cartesian_prod(torch.tensor([1, 2]), torch.tensor([3, 4])))
print(torch.combinations(torch.tensor([1, 2, 3]), r=2), torch.combinations(torch.tensor([1, 2]), with_replacement=True))
print(torch.tril_indices(3, 3), torch.triu_indices(3, 4, offset=1), torch.kron(torch.eye(2), torch.ones(2, 2)).shape)
print(torch.vander(torch.tensor([1, 2, 3]), N=3), torch.cdist(torch.randn(3, 2), torch.randn(4, 2)).shape, torch.tensordot(torch.randn(2, 3, 4), torch.randn(4, 3), dims=([1, 2], [1, 0])).shape)
print(torch.einsum("bij,bjk->bik", torch.ones(2, 2, 3), torch.ones(2, 3, 1)).squeeze(), torch.einsum("ii->i", torch.eye(3)), torch.einsum("i,j->ij", torch.arange(2.), torch.arange(3.)))
print(torch.diff(torch.tensor([1, 4, 9, 16]), n=2), torch.cummax(torch.tensor([1, 3, 2, 5]), 0), torch.logcumsumexp(torch.tensor([0., 1., 2.]), 0))
print(torch.nonzero(torch.tensor([[0, 1], [1, 0]]), as_tuple=True), torch.argwhere(torch.tensor([0, 3, 0, 4])), torch.count_nonzero(torch.eye(3), dim=0))
print(torch.take_along_dim(torch.tensor([[10, 30, 20]]), torch.argsort(torch.tensor([[10, 30, 20]]), dim=1), dim=1), torch.masked_select(x, x > 0))
print(torch.where(torch.tensor([1, 0, 2]) > 0), torch.clamp(torch.arange(5), min=torch.tensor(1), max=3), torch.nan_to_num(torch.tensor([float("nan"), float("inf")]), posinf=9.0))
print(torch.rot90(torch.arange(4).reshape(2, 2)), torch.flipud(torch.arange(4).reshape(2, 2)), torch.roll(torch.arange(6).reshape(2, 3), shifts=(1, 1), dims=(0, 1)))
print(torch.meshgrid(torch.arange(2), torch.arange(3), indexing="xy")[0], torch.atleast_2d(torch.tensor(1.)), torch.broadcast_tensors(torch.ones(2, 1), torch.ones(3))[0].shape)
print(torch.quantile(torch.tensor([1., 2., 3., 4.]), torch.tensor([0.25, 0.5]), interpolation="midpoint"), torch.nanmean(torch.tensor([1., float("nan"), 3.])), torch.mode(torch.tensor([1, 2, 2, 3])))
print(torch.topk(torch.tensor([1, 3, 3, 2]), 2, largest=False), torch.kthvalue(torch.tensor([5., 1., 3.]), 2), torch.msort(torch.tensor([[3, 1], [1, 2]])))
