"""Image processing by hand, as users write it from the spatial-transformer and kornia-style tutorials:
F.affine_grid (2-D and 3-D, align_corners both ways) into F.grid_sample with every mode and padding_mode and
its gradients for the input and the grid, F.interpolate with every mode, antialias on the way down,
recompute_scale_factor and per-axis scales, unfold/fold patch extraction and reassembly (with overlap
counts), a Sobel edge detector by conv2d, a median filter through unfold, F.pad's four modes, max pooling
with indices into max_unpool, adaptive pooling at sizes that do not divide."""
import math

import torch
import torch.nn.functional as F

torch.manual_seed(0)
# the device-agnostic idiom: a GPU where there is one (python -m pyfront run --cuda-as webgpu)
torch.set_default_device("cuda" if torch.cuda.is_available() else "cpu")


def show(name, t, k=6):
    flat = t.detach().reshape(-1)
    print(f"{name}: shape={tuple(t.shape)} dtype={t.dtype} sum={flat.sum().item():.6f} "
          f"absmax={flat.abs().max().item():.6f} head={[round(v, 5) for v in flat[:k].tolist()]}")


img = torch.rand(2, 3, 9, 11)
img[0, 0, 4, 5] = 3.0  # a bright pixel that warps must move

# -- affine_grid + grid_sample -----------------------------------------------------------------------
angle = torch.tensor([0.3, -0.7])
theta = torch.stack([
    torch.stack([angle.cos() * 1.1, -angle.sin(), torch.tensor([0.1, -0.2])], 1),
    torch.stack([angle.sin(), angle.cos() * 0.9, torch.tensor([0.05, 0.3])], 1)], 1)
for align in (False, True):
    grid = F.affine_grid(theta, [2, 3, 7, 8], align_corners=align)
    show(f"grid align={align}", grid)
    for mode in ("bilinear", "nearest", "bicubic"):
        for pad in ("zeros", "border", "reflection"):
            x = img.clone().requires_grad_()
            g = grid.clone().requires_grad_()
            out = F.grid_sample(x, g, mode=mode, padding_mode=pad, align_corners=align)
            (out * torch.linspace(-0.5, 1.5, out.numel()).view_as(out)).sum().backward()
            show(f"  {mode:8s} {pad:10s}", out)
            show(f"    dx", x.grad, 3)
            if mode != "nearest":
                show(f"    dgrid", g.grad, 3)
            else:
                print("    dgrid zero:", bool((g.grad == 0).all()))

# a grid that leaves the image far, on every side
far = torch.tensor([[[[-3.0, -2.5], [2.2, 0.0], [0.0, 4.0], [1.5, -1.7], [0.999, 1.001]]]])
for pad in ("zeros", "border", "reflection"):
    for align in (False, True):
        show(f"far {pad} {align}", F.grid_sample(img[:1], far, padding_mode=pad, align_corners=align), 6)

vol = torch.rand(1, 2, 4, 5, 6)
theta3 = torch.tensor([[[0.9, 0.1, 0.0, 0.1], [-0.1, 1.0, 0.2, 0.0], [0.0, 0.05, 1.1, -0.1]]])
grid3 = F.affine_grid(theta3, [1, 2, 3, 4, 5], align_corners=False)
for mode in ("bilinear", "nearest"):
    for pad in ("zeros", "border", "reflection"):
        show(f"3d {mode} {pad}", F.grid_sample(vol, grid3, mode=mode, padding_mode=pad, align_corners=False))

for bad in (lambda: F.grid_sample(vol, grid3, mode="bicubic"),
            lambda: F.grid_sample(img, torch.zeros(2, 4, 4, 3)),
            lambda: F.grid_sample(img, torch.zeros(1, 4, 4, 2)),
            lambda: F.grid_sample(img, grid, mode="area"),
            lambda: F.affine_grid(theta, [2, 3, 7]),
            lambda: F.affine_grid(theta[:, :1], [2, 3, 7, 8])):
    try:
        bad()
        print("no error")
    except Exception as e:  # noqa: BLE001
        print(type(e).__name__, str(e).splitlines()[0])

# -- interpolate -------------------------------------------------------------------------------------
for mode in ("nearest", "nearest-exact", "bilinear", "bicubic", "area"):
    for size in ((4, 5), (17, 23), (9, 30)):
        kw = {} if mode in ("nearest", "nearest-exact", "area") else {"align_corners": False}
        show(f"interp {mode} {size}", F.interpolate(img, size=size, mode=mode, **kw), 4)
for mode in ("bilinear", "bicubic"):
    for size in ((4, 5), (3, 17), (20, 6)):
        x = img.clone().requires_grad_()
        out = F.interpolate(x, size=size, mode=mode, antialias=True, align_corners=False)
        out.pow(2).sum().backward()
        show(f"antialias {mode} {size}", out, 4)
        show("   grad", x.grad, 3)
for sf, rsf in (((0.37, 1.7), False), ((0.37, 1.7), True), (2.5, None), (0.5, True)):
    show(f"scale {sf} rsf={rsf}", F.interpolate(img, scale_factor=sf, mode="bilinear",
                                                 recompute_scale_factor=rsf), 4)
sig = torch.rand(2, 3, 10)
for mode in ("nearest", "linear", "area", "nearest-exact"):
    show(f"1d {mode}", F.interpolate(sig, scale_factor=1.3, mode=mode), 4)
show("3d trilinear", F.interpolate(vol, size=(5, 3, 7), mode="trilinear", align_corners=True), 4)
for bad in (lambda: F.interpolate(img, size=(4, 5), scale_factor=2.0),
            lambda: F.interpolate(img, mode="bilinear"),
            lambda: F.interpolate(sig, size=5, mode="bilinear"),
            lambda: F.interpolate(img, size=(4, 5), mode="nearest", antialias=True),
            lambda: F.interpolate(img, size=(4, 5), mode="bogus")):
    try:
        bad()
        print("no error")
    except Exception as e:  # noqa: BLE001
        print(type(e).__name__, str(e).splitlines()[0])

# -- patches: unfold/fold ----------------------------------------------------------------------------
patches = F.unfold(img, kernel_size=(3, 4), dilation=(1, 2), padding=1, stride=(2, 3))
show("unfold", patches)
back = F.fold(patches, output_size=(9, 11), kernel_size=(3, 4), dilation=(1, 2), padding=1, stride=(2, 3))
counts = F.fold(F.unfold(torch.ones_like(img), (3, 4), dilation=(1, 2), padding=1, stride=(2, 3)),
                (9, 11), (3, 4), dilation=(1, 2), padding=1, stride=(2, 3))
show("fold", back)
show("fold/overlap", back / counts.clamp(min=1))
# torch.Tensor.unfold sliding windows
win = img[:, :, :, :].unfold(2, 3, 2).unfold(3, 4, 3)
show("Tensor.unfold windows", win)

# -- Sobel and a median filter -----------------------------------------------------------------------
gray = (img * torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)).sum(1, keepdim=True)
kx = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
sobel = torch.stack([kx, kx.t()]).unsqueeze(1)
edges = F.conv2d(F.pad(gray, (1, 1, 1, 1), mode="replicate"), sobel)
mag = edges.pow(2).sum(1).sqrt()
show("sobel magnitude", mag)
show("sobel direction", torch.atan2(edges[:, 1], edges[:, 0]))
noisy = img.clone()
noisy[:, :, ::3, ::4] = 1.0
cols = F.unfold(F.pad(noisy, (1, 1, 1, 1), mode="reflect"), 3)
med = cols.view(2, 3, 9, -1).median(dim=2).values.view(2, 3, 9, 11)
show("median filter", med)
vals, idx = cols.view(2, 3, 9, -1).sort(dim=2, stable=True)
show("median via sort", vals[:, :, 4].view(2, 3, 9, 11))

for mode in ("constant", "reflect", "replicate", "circular"):
    show(f"pad {mode}", F.pad(img, (2, 1, 3, 0), mode=mode))
show("pad negative", F.pad(img, (-1, 2, 0, -3)))

# -- pooling -----------------------------------------------------------------------------------------
pooled, ind = F.max_pool2d(img, 3, stride=2, padding=1, return_indices=True, ceil_mode=True)
show("maxpool", pooled)
show("maxpool ind", ind.float())
show("unpool", F.max_unpool2d(pooled, ind, 3, stride=2, padding=1, output_size=img.shape[-2:]))
for size in ((4, 5), (5, 7), (1, 3), (9, 11), (None, 4)):
    show(f"adaptive avg {size}", F.adaptive_avg_pool2d(img, size))
    out, where = F.adaptive_max_pool2d(img, size, return_indices=True)
    show(f"adaptive max {size}", out)
    show("   where", where.float())
show("avg ceil count_include_pad=False", F.avg_pool2d(img, 3, 2, 1, ceil_mode=True, count_include_pad=False))
show("avg divisor_override", F.avg_pool2d(img, 2, divisor_override=3))
show("lp_pool", F.lp_pool2d(img, 2.0, (2, 3)))
