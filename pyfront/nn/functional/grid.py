"""Spatial transformers: affine sampling grids and sampling an image at grid points.

grid_sample gathers the corner pixels (bilinear: 4, trilinear: 8, bicubic: 16 taps) with ``gather``
on the flattened image or volume and weights them with differentiable coordinates, so the gradient
reaches both the image (gather's scatter-add) and the grid (through the weights), as PyTorch's
grid_sampler_2d and grid_sampler_3d do, on every device, with no shader of its own.
"""
from __future__ import annotations

import itertools
import math

from ... import _warnings
from ... import dtypes as dt
from ...autograd.function import Function
from ...autograd.graph import saved_as_torch
from ...ops import creation
from ...ops.composite.linalg import matmul
from ...ops.composite.shaping import stack
from ...ops.primitives.elementwise import where
from ...ops.registry import composite
from ...ops.samples import T, s
from ...tensor import Tensor
from .vision import _cubic_coefficients

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


class _ZeroGradTo(Function):
    """``out`` itself, linked to ``points`` for autograd with PyTorch's zero-filled gradient (+0, finite,
    whatever the gradient of ``out`` or the points hold): nearest mode's grid gradient."""

    @staticmethod
    def forward(ctx, out, points):
        ctx.points = points.detach()
        return out * 1

    @staticmethod
    def backward(ctx, g):
        # (contiguous, as torch's kernel fills its grid gradient, whatever the grid's layout)
        points = ctx.points
        return g, creation.zeros(points.shape, dtype=points.dtype, device=points.device)


def _clip(coord, size):
    return _Clip.apply(coord, size)


def _pad(coord, size, padding_mode, align_corners):
    """An unnormalized coordinate moved inside [0, size - 1] as ``padding_mode`` says ("zeros": left
    as it is; ``_pick`` reads zero outside)."""
    if padding_mode == "border":
        coord = _clip(coord, size)
    elif padding_mode == "reflection":
        coord = _reflect(coord, 0, 2 * (size - 1)) if align_corners else _reflect(coord, -1, 2 * size - 1)
        coord = _clip(coord, size)
    return coord


def _inside(points, sizes):
    """Whether the integer points ``points`` (x, y[, z] tensors, ``sizes`` W, H[, D]) lie in the image."""
    inside = None
    for p, size in zip(points, sizes):
        within = (p >= 0) & (p <= size - 1)  # False for NaN too
        inside = within if inside is None else inside & within
    return inside


def _pick(flat, points, sizes):
    """flat (N, C, prod(sizes)) at the integer points ``points`` (x, y[, z] tensors of shape (N, P),
    ``sizes`` in the same order: W, H[, D]); zero outside the image."""
    inside = _inside(points, sizes)
    index = 0
    for p, size in zip(reversed(points), reversed(sizes)):  # ((z * H) + y) * W + x
        index = index * size + where(inside, p, 0)
    index = index.long().unsqueeze(1).expand(flat.shape[0], flat.shape[1], index.shape[-1])
    values = flat.gather(2, index)
    return where(inside.unsqueeze(1), values, 0.0)


def _linear(flat, coords, sizes):
    """Bilinear (2-D) or trilinear (3-D): the 2**k corners around each point, each weighted by the
    product of (1 - distance) along every axis, summed in PyTorch's order (x fastest). PyTorch's 3-D
    kernel skips a corner outside the volume where its 2-D kernel multiplies the zero read there, so a
    NaN weight (a NaN grid point) gives NaN in 2-D and 0 (gradients too) in 3-D."""
    low = [c.floor().detach() for c in coords]
    out = 0
    for bits in itertools.product((0, 1), repeat=len(coords)):
        bits = bits[::-1]  # x first
        corner = [lo + b for lo, b in zip(low, bits)]
        inside = _inside(corner, sizes) if len(coords) == 3 else None
        weight = None
        for c, lo, b in zip(coords, low, bits):
            w = c - lo if b else (lo + 1) - c
            if inside is not None:  # masked per factor, so no 0 * NaN reaches the other factors' gradients
                w = where(inside, w, 0)
            weight = w if weight is None else weight * w
        out = out + _pick(flat, corner, sizes) * weight.unsqueeze(1)
    return out


def _bicubic(flat, coords, sizes, padding_mode, align_corners):
    """PyTorch's bicubic grid sampling: the 4 x 4 taps around each (unpadded) point, each tap padded
    on its own, weighted by Keys' cubic convolution (a = -0.75) of the fractions."""
    taps, weights = [], []
    for c, size in zip(coords, sizes):
        low = c.floor().detach()
        weights.append(_cubic_coefficients(c - low))
        taps.append([_pad(low + k, size, padding_mode, align_corners) for k in (-1, 0, 1, 2)])
    out = 0
    for ty, wy in zip(taps[1], weights[1]):
        row = 0
        for tx, wx in zip(taps[0], weights[0]):
            row = row + _pick(flat, (tx, ty), sizes) * wx.unsqueeze(1)
        out = out + row * wy.unsqueeze(1)
    return out


def _check(input, grid, mode, align_corners):
    """PyTorch's grid_sampler argument and shape checks, in its order, with its messages."""
    for position, name, value, kind in ((1, "input", input, Tensor), (2, "grid", grid, Tensor),
                                        (5, "align_corners", align_corners, bool)):
        if not isinstance(value, kind):
            raise TypeError(f"grid_sampler(): argument '{name}' (position {position}) must be "
                            f"{kind.__name__}, not {type(value).__name__}")
    if input.dim() == 0 or grid.dim() == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    shapes = f"input with sizes {list(input.shape)} and grid with sizes {list(grid.shape)}"
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError("grid_sampler(): expected grid and input to have same batch size, but got "
                           + shapes)
    if grid.shape[-1] != input.dim() - 2:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {input.dim() - 2} in last dimension, "
                           f"but got grid with sizes {list(grid.shape)}")
    for d in range(2, input.dim()):
        if input.shape[d] <= 0:
            raise RuntimeError("grid_sampler(): expected input to have non-empty spatial dimensions, but "
                               f"input has sizes {list(input.shape)} with dimension {d} being empty")
    rank = 4 if input.dim() == 4 else 5
    if input.dim() != rank or grid.dim() != rank:
        raise RuntimeError(f"grid_sampler(): expected {rank}D input and grid with same number of dimensions, "
                           f"but got {shapes}")
    if rank == 5 and mode == "bicubic":
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    if not input.dtype.is_floating_point:
        kernel = "grid_sampler_2d_cpu_kernel_impl" if rank == 4 else "grid_sampler3d_cpu"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt.scalar_name(input.dtype)}'")
    if grid.dtype != input.dtype:
        raise RuntimeError(f"expected scalar type {dt.scalar_name(input.dtype)} but found "
                           f"{dt.scalar_name(grid.dtype)}")


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
            s(T((1, 1, 1, 1)), T((1, 2, 2, 2)), align_corners=True),
            s(T((2, 3, 4, 5)), T((2, 3, 2, 2), low=-2.5, high=2.5), mode="bicubic", padding_mode="reflection",
              align_corners=False),
            s(T((1, 2, 4, 4)), T((1, 3, 3, 2), low=-1.5, high=1.5), mode="bicubic", align_corners=True),
            s(T((2, 2, 3, 4, 5)), T((2, 2, 3, 2, 3), low=-1.2, high=1.2), align_corners=False),
            s(T((2, 2, 3, 4, 5)), T((2, 2, 3, 2, 3), low=-2.5, high=2.5), padding_mode="reflection",
              align_corners=True),
            s(T((2, 2, 3, 4, 5)), T((2, 2, 3, 2, 3), low=-1.5, high=1.5), mode="nearest",
              padding_mode="border", align_corners=False)]


@composite(torch_name="nn.functional.grid_sample", samples=_grid_samples,
           grad_fn=lambda input, *a, **k: f"GridSampler{input.dim() - 2}DBackward0", saves="input grid")
def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear", padding_mode: str = "zeros",
                align_corners: bool | None = None) -> Tensor:
    r"""``input`` sampled at the points of ``grid`` (x, y[, z] in [-1, 1], -1 the left/top/front edge).

    Bilinear sampling weights the four pixels around a point :math:`(x, y)` by
    :math:`(1 - |x - x_i|)(1 - |y - y_i|)` (5-D input: the eight voxels around :math:`(x, y, z)`, i.e.
    trilinear, with a third factor); nearest takes the closest (halves round to even); bicubic (4-D
    only) weights the 4 x 4 pixels around the point by Keys' cubic convolution :math:`W(x - x_i)
    W(y - y_i)` with :math:`a = -0.75`, each of the 16 taps padded on its own, as PyTorch.
    Gradients reach both ``input`` and ``grid`` (zero for the grid in nearest mode).

    Args:
        input: (N, C, H_in, W_in) images or (N, C, D_in, H_in, W_in) volumes.
        grid: (N, H_out, W_out, 2) sampling points, x then y; or (N, D_out, H_out, W_out, 3): x, y, z.
        mode: "bilinear" (trilinear for 5-D input), "nearest" or "bicubic" (4-D input only).
        padding_mode: what points outside read: "zeros", "border" (the nearest edge pixel) or
            "reflection" (mirrored at the edges).
        align_corners: whether -1 and 1 are the centres of the corner pixels (True) or their outer
            edges (False); leaving it out warns and means False, as PyTorch.

    Shape:
        - Output: (N, C, H_out, W_out) or (N, C, D_out, H_out, W_out)

    Raises ValueError for an unknown ``mode`` or ``padding_mode``, RuntimeError for mismatched
    shapes, an empty spatial size, bicubic with 5-D input or a grid of another dtype, and
    NotImplementedError for an integer input, all with PyTorch's messages. Follows
    ``torch.nn.functional.grid_sample`` (cubic convolution: Keys, 1981).
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
    _check(input, grid, mode, align_corners)
    saved_as_torch(input, grid)  # torch's grid_sampler kernel saves both for any gradient
    n, c, *spatial = input.shape
    out_spatial = grid.shape[1:-1]
    k = len(spatial)
    flat = input.reshape(n, c, math.prod(spatial))
    points = grid.reshape(n, math.prod(out_spatial), k)
    sizes = spatial[::-1]  # the grid's order: x runs along W, y along H, z along D
    coords = [_unnormalize(points[..., i], sizes[i], align_corners) for i in range(k)]
    if mode == "bicubic":  # each tap is padded, not the point
        return _bicubic(flat, coords, sizes, padding_mode, align_corners).reshape(n, c, *out_spatial)
    coords = [_pad(co, size, padding_mode, align_corners) for co, size in zip(coords, sizes)]
    if mode == "bilinear":
        return _linear(flat, coords, sizes).reshape(n, c, *out_spatial)
    out = _pick(flat, [co.round().detach() for co in coords], sizes)
    return _ZeroGradTo.apply(out, points).reshape(n, c, *out_spatial)
