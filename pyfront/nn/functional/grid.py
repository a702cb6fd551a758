"""Spatial transformers: affine sampling grids and sampling an image at grid points.

grid_sample gathers the corner pixels with ``gather`` on the flattened image and weights them with
differentiable coordinates, so the gradient reaches both the image (gather's scatter-add) and the
grid (through the weights), as PyTorch's grid_sampler_2d does, on every device.
"""
from __future__ import annotations


from ... import _warnings
from ...autograd.function import Function
from ...ops import creation
from ...ops.composite.linalg import matmul
from ...ops.composite.shaping import stack
from ...ops.primitives.elementwise import where
from ...ops.registry import composite
from ...ops.samples import T, s
from ...tensor import Tensor

__all__ = ["affine_grid", "grid_sample"]

_DEFAULT_CHANGED = ("Default grid_sample and affine_grid behavior has changed to align_corners=False since "
                    "1.3.0. Please specify align_corners=True if the old behavior is desired. See the "
                    "documentation of grid_sample for details.")


def _linspace_from_neg_one(n, align_corners, like):
    if n <= 1:
        return creation.zeros(1, dtype=like.dtype, device=like.device)
    r = creation.linspace(-1, 1, n, dtype=like.dtype, device=like.device)
    return r if align_corners else r * (n - 1) / n  # two roundings, as torch's range * (n - 1) / n


@composite(torch_name="nn.functional.affine_grid", samples=lambda: [
    s(T((2, 2, 3)), (2, 3, 4, 5), align_corners=False), s(T((1, 2, 3)), (1, 1, 3, 3), align_corners=True),
    s(T((2, 3, 4)), (2, 1, 2, 3, 4), align_corners=False), s(T((2, 2, 3)), (2, 3, 4, 5)),
    s(T((2, 3, 3)), (2, 3, 4, 5), align_corners=False), s(T((2, 2, 3)), (2, 3, 4), align_corners=False),
    s(T((2, 2, 3), "int64"), (2, 3, 4, 5), align_corners=False),
    s(T((1, 2, 3)), (1, 1, 0, 3), align_corners=False)], grad_fn="AffineGridGeneratorBackward0")
def affine_grid(theta: Tensor, size, align_corners: bool | None = None) -> Tensor:
    r"""The sampling grid of a batch of affine maps, for ``grid_sample``.

    Each output point :math:`(x, y)` of an :math:`H \times W` grid in :math:`[-1, 1]^2` is mapped to
    :math:`\theta \, (x, y, 1)^T` (in 3-D, :math:`(x, y, z, 1)`).

    Args:
        theta: (N, 2, 3) affine matrices (2-D), or (N, 3, 4) (3-D).
        size: the target image size (N, C, H, W) or (N, C, D, H, W).
        align_corners: whether -1 and 1 are the centres of the corner pixels (True) or their outer
            edges (False); leaving it out warns and means False, as PyTorch.

    Shape:
        - Output: (N, H, W, 2) or (N, D, H, W, 3)

    Raises ValueError (bad theta dtype or shape, empty size) and NotImplementedError (not 4-D or 5-D),
    with PyTorch's messages. Follows Jaderberg et al., "Spatial Transformer Networks" (2015), and
    ``torch.nn.functional.affine_grid``.
    """
    if align_corners is None:
        _warnings.warn(_DEFAULT_CHANGED)
        align_corners = False
    if not theta.dtype.is_floating_point:
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    shown, size = size, list(size)
    k = len(size) - 2
    if k not in (2, 3):
        raise NotImplementedError("affine_grid only supports 4D and 5D sizes, for 2D and 3D affine "
                                  f"transforms, respectively. Got size {shown}.")
    if theta.dim() != 3 or theta.shape[-2] != k or theta.shape[-1] != k + 1:
        shape = "Nx2x3" if k == 2 else "Nx3x4"
        raise ValueError(f"Expected a batch of {k}D affine matrices of shape {shape} for size {shown}. "
                         f"Got {theta.shape}.")
    spatial = size[2:]
    if align_corners and min(spatial) == 1:
        _warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
                       "align_corners=True. This is not an intended use case of affine_grid. See the "
                       "documentation of affine_grid for details.")
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {shown}")
    # base[..., i] is the coordinate along spatial dim k-1-i (x runs along the last dim), then 1
    axes = [_linspace_from_neg_one(n, align_corners, theta) for n in spatial]
    coords = []
    for i in range(k):
        d = k - 1 - i
        view = [1] * k
        view[d] = -1
        coords.append(axes[d].reshape(view).expand(spatial))
    coords.append(creation.ones(spatial, dtype=theta.dtype, device=theta.device))
    base = stack(coords, -1).reshape(1, -1, k + 1)
    return matmul(base, theta.transpose(1, 2)).reshape(size[0], *spatial, k)


def _unnormalize(coord, size, align_corners):
    return (coord + 1) / 2 * (size - 1) if align_corners else ((coord + 1) * size - 1) / 2


def _reflect(coord, twice_low, twice_high):
    """PyTorch's reflect_coordinates: fold ``coord`` into [low, high] by mirroring at the ends."""
    if twice_low == twice_high:
        return coord * 0
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    dist = where(coord < low, low - coord, coord - low)  # at ``low`` itself the gradient is +1, as torch
    extra = dist.fmod(span)
    flips = (dist / span).floor()
    return where(flips.fmod(2) == 0, extra + low, span - extra + low)


class _Clip(Function):
    """``coord`` clamped to [0, size - 1], with PyTorch's clip_coordinates_set_grad: the gradient is
    multiplied by 0 at the ends too (torch.clamp passes it there), so a NaN gradient stays NaN."""

    @staticmethod
    def forward(ctx, coord, size):
        ctx.save_for_backward(coord)
        ctx.size = size
        return coord.clamp(0, size - 1)

    @staticmethod
    def backward(ctx, g):
        (coord,) = ctx.saved_tensors
        return g * ((coord > 0) & (coord < ctx.size - 1)).to(g.dtype), None


def _clip(coord, size):
    return _Clip.apply(coord, size)


def _source_index(coord, size, padding_mode, align_corners):
    coord = _unnormalize(coord, size, align_corners)
    if padding_mode == "border":
        coord = _clip(coord, size)
    elif padding_mode == "reflection":
        coord = _reflect(coord, 0, 2 * (size - 1)) if align_corners else _reflect(coord, -1, 2 * size - 1)
        coord = _clip(coord, size)
    return coord


def _pick(flat, ix, iy, width, height):
    """flat (N, C, H*W) at integer points (ix, iy) of shape (N, P); zero outside the image."""
    inside = (ix >= 0) & (ix <= width - 1) & (iy >= 0) & (iy <= height - 1)  # False for NaN too
    index = (where(inside, iy, 0) * width + where(inside, ix, 0)).long()
    index = index.unsqueeze(1).expand(flat.shape[0], flat.shape[1], index.shape[-1])
    values = flat.gather(2, index)
    return where(inside.unsqueeze(1), values, 0.0)


def _grid_samples():
    return [s(T((2, 3, 4, 5)), T((2, 3, 2, 2), low=-1.2, high=1.2), align_corners=False),
            s(T((1, 2, 4, 4)), T((1, 3, 3, 2), low=-1.2, high=1.2), align_corners=True),
            s(T((2, 3, 4, 5)), T((2, 3, 2, 2), low=-1.5, high=1.5), padding_mode="border",
              align_corners=False),
            s(T((2, 3, 4, 5)), T((2, 3, 2, 2), low=-2.5, high=2.5), padding_mode="reflection",
              align_corners=False),
            s(T((2, 3, 4, 5)), T((2, 3, 2, 2), low=-2.5, high=2.5), padding_mode="reflection",
              align_corners=True),
            s(T((2, 3, 4, 5)), T((2, 3, 2, 2), low=-1.2, high=1.2), mode="nearest", align_corners=False),
            s(T((2, 3, 4, 5)), T((2, 3, 2, 2), low=-1.5, high=1.5), mode="nearest", padding_mode="border",
              align_corners=True),
            s(T((2, 3, 4, 5)), T((2, 3, 2, 2))),
            s(T((2, 3, 4, 5)), T((2, 3, 2, 2)), mode="foo", align_corners=False),
            s(T((2, 3, 4, 5)), T((2, 3, 2, 2)), padding_mode="foo", align_corners=False),
            s(T((1, 1, 1, 1)), T((1, 2, 2, 2)), align_corners=True)]


@composite(torch_name="nn.functional.grid_sample", samples=_grid_samples,
           grad_fn=lambda input, *a, **k: f"GridSampler{input.dim() - 2}DBackward0")
def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear", padding_mode: str = "zeros",
                align_corners: bool | None = None) -> Tensor:
    r"""``input`` sampled at the points of ``grid`` (x, y in [-1, 1], -1 the left/top edge).

    Bilinear sampling weights the four pixels around a point :math:`(x, y)` by
    :math:`(1 - |x - x_i|)(1 - |y - y_i|)`; nearest takes the closest (halves round to even).

    Args:
        input: (N, C, H_in, W_in) images.
        grid: (N, H_out, W_out, 2) sampling points, x then y.
        mode: "bilinear" or "nearest" ("bicubic" is refused: not implemented here).
        padding_mode: what points outside read: "zeros", "border" (the nearest edge pixel) or
            "reflection" (mirrored at the edges).
        align_corners: whether -1 and 1 are the centres of the corner pixels (True) or their outer
            edges (False); leaving it out warns and means False, as PyTorch.

    Shape:
        - Output: (N, C, H_out, W_out)

    Raises ValueError for an unknown ``mode`` or ``padding_mode``, with PyTorch's messages. Follows
    ``torch.nn.functional.grid_sample`` (4-D inputs only).
    """
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError("nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or "
                         f"'bicubic', but got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
                         f"'reflection', but got: '{padding_mode}'")
    if align_corners is None:
        _warnings.warn(_DEFAULT_CHANGED)
        align_corners = False
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"grid_sampler_2d_cpu_kernel_impl\" not implemented for "
                                  f"'{input.dtype._legacy_name[:-6]}'")
    if mode == "bicubic" or input.dim() != 4:
        raise NotImplementedError("grid_sample: pyfront implements 4-D inputs in 'bilinear' and 'nearest' "
                                  "modes")
    n, c, height, width = input.shape
    out_h, out_w = grid.shape[1], grid.shape[2]
    flat = input.reshape(n, c, height * width)
    points = grid.reshape(n, out_h * out_w, 2)
    ix = _source_index(points[..., 0], width, padding_mode, align_corners)
    iy = _source_index(points[..., 1], height, padding_mode, align_corners)
    if mode == "nearest":
        out = _pick(flat, ix.round().detach(), iy.round().detach(), width, height)
        # the grid gets PyTorch's zero gradient (a finite zero, whatever the grid holds)
        link = where(points == points, points.clamp(-1, 1) * 0, 0).sum(-1).unsqueeze(1)
        return (out + link).reshape(n, c, out_h, out_w)
    x0, y0 = ix.floor().detach(), iy.floor().detach()
    x1, y1 = x0 + 1, y0 + 1
    out = 0
    for cx, cy, wx, wy in ((x0, y0, x1 - ix, y1 - iy), (x1, y0, ix - x0, y1 - iy),
                           (x0, y1, x1 - ix, iy - y0), (x1, y1, ix - x0, iy - y0)):
        out = out + _pick(flat, cx, cy, width, height) * (wx * wy).unsqueeze(1)
    return out.reshape(n, c, out_h, out_w)
