"""Layers of classic CNNs that pyfront.nn.functional lacked: local response normalization (AlexNet), power
average (Lp) pooling, channel shuffle (ShuffleNet), max unpooling (SegNet), randomized leaky ReLU, pdist,
and the in-place ``celu_``/``selu_``. Each is composed of pyfront ops (as PyTorch composes most of them in
Python), so gradients and every device come from those ops."""

from __future__ import annotations

import math

from ... import dtypes as dt
from ...errors import refuse_halves
from ...ops.composite.shaping import pad as _constant_pad
from ...ops.creation import zeros
from ...ops.primitives.elementwise import relaid
from ...ops.composite.arrays import triu_indices
from ...ops.shell import refuse_kernel
from ...tensor import Tensor
from ...autograd.graph import SEQUENCE, Result, present_as
from .activation import RRELU_BACKWARDS, celu, leaky_slope, relu, selu
from .pooling import avg_pool1d, avg_pool2d, max_pool1d, max_pool2d
from .pooling3d import avg_pool3d, max_pool3d
from ...ops.memory_formats import lays_out, like_input

__all__ = ["local_response_norm", "lp_pool1d", "lp_pool2d", "lp_pool3d", "channel_shuffle",
           "native_channel_shuffle", "max_unpool1d", "max_unpool2d", "max_unpool3d", "rrelu", "rrelu_",
           "pdist", "celu_", "selu_"]


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> Tensor:
    """Local response normalization across channels: ``b_c = a_c (k + alpha / n sum_{c'} a_{c'}^2)^-beta``,
    the sum over the ``n = size`` channels around ``c``.

    Args:
        input (Tensor): ``(N, C, *)``, at least 3 dims.
        size (int): the number of neighbouring channels summed.
        alpha (float): the multiplicative factor. Default: 1e-4
        beta (float): the exponent. Default: 0.75
        k (float): the additive factor. Default: 1.0

    Shape:
        input ``(N, C, *)``; output: the same.

    Raises:
        ValueError: fewer than 3 dims (PyTorch's text).

    Krizhevsky et al. 2012, as ``torch.nn.functional.local_response_norm`` (its composition).
    """
    dim = input.dim()
    if dim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality                          input (got {dim} "
                         "dimensions)")
    if input.numel() == 0:
        return input
    div = input.mul(input)
    if dim == 3:
        div = _constant_pad(div.unsqueeze(1), (0, 0, size // 2, (size - 1) // 2))
        div = avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:
        sizes = input.size()
        div = div.view(sizes[0], 1, sizes[1], sizes[2], -1)
        div = _constant_pad(div, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        div = avg_pool3d(div, (size, 1, 1), stride=1).squeeze(1).view(sizes)
    return input / div.mul(alpha).add(k).pow(beta)


def _lp_pool(nd, input, norm_type, kernel_size, stride, ceil_mode):
    avg, mx = {1: (avg_pool1d, max_pool1d), 2: (avg_pool2d, max_pool2d), 3: (avg_pool3d, max_pool3d)}[nd]
    if isinstance(norm_type, (int, float)) and math.isinf(norm_type):
        if norm_type > 0:
            return mx(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
        return -mx(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    kernel = kernel_size if isinstance(kernel_size, (tuple, list)) else (kernel_size,) * nd
    if stride is not None:
        out = avg(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    else:
        out = avg(input.pow(norm_type), kernel_size, padding=0, ceil_mode=ceil_mode)
    return (out.sign() * relu(out.abs())).mul(math.prod(kernel)).pow(1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    """1-d power-average pooling: ``(sum_{window} x^p)^(1/p)`` (p = inf: max pooling of ``|x|``).

    Args:
        input (Tensor): ``(N, C, L)`` or ``(C, L)``.
        norm_type (float): p.
        kernel_size (int): the window. stride (int, optional): Default: ``kernel_size``.
        ceil_mode (bool): round the output size up. Default: False

    Shape:
        output ``(N, C, L_out)``, ``L_out`` as ``avg_pool1d``'s.

    Raises:
        RuntimeError: from ``avg_pool1d`` (bad window, stride or input).

    As ``torch.nn.functional.lp_pool1d`` (its composition: the sign-preserving root of the window sum).
    """
    return _lp_pool(1, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool2d(input: Tensor, norm_type, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    """2-d power-average pooling: ``(sum_{window} x^p)^(1/p)`` (p = inf: max pooling of ``|x|``).

    Args:
        input (Tensor): ``(N, C, H, W)`` or ``(C, H, W)``.
        norm_type (float): p.
        kernel_size (int or (int, int)): the window.
        stride (int or (int, int), optional): Default: the window.
        ceil_mode (bool): round the output size up. Default: False

    Shape:
        output ``(N, C, H_out, W_out)``, as ``avg_pool2d``'s.

    Raises:
        RuntimeError: from ``avg_pool2d`` (bad window, stride or input).

    As ``torch.nn.functional.lp_pool2d``.
    """
    return _lp_pool(2, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool3d(input: Tensor, norm_type, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    """3-d power-average pooling: ``(sum_{window} x^p)^(1/p)`` (p = inf: max pooling of ``|x|``).

    Args:
        input (Tensor): ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
        norm_type (float): p.
        kernel_size (int or (int, int, int)): the window. stride (optional): Default: the window.
        ceil_mode (bool): round the output size up. Default: False

    Shape:
        output ``(N, C, D_out, H_out, W_out)``, as ``avg_pool3d``'s.

    Raises:
        RuntimeError: from ``avg_pool3d`` (bad window, stride or input).

    As ``torch.nn.functional.lp_pool3d``.
    """
    return _lp_pool(3, input, norm_type, kernel_size, stride, ceil_mode)


@lays_out(like_input)
def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """Channel shuffle: ``(N, g * k, *)`` viewed as ``(N, g, k, *)``, the two channel dims swapped, flattened.

    Args:
        input (Tensor): ``(N, C, *)``, at least 3 dims.
        groups (int): g, which divides C.

    Shape:
        output: input's shape.

    Raises:
        RuntimeError: fewer than 3 dims, a non-positive ``groups``, or C not divisible by it (PyTorch's
            texts).

    Zhang et al. 2018 (ShuffleNet), as ``torch.nn.functional.channel_shuffle``.
    """
    if input.dim() <= 2:
        raise RuntimeError(f"channel_shuffle expects input with > 2 dims, but got input with sizes "
                           f"{list(input.shape)}")
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of "
                           f"groups:{groups}")
    c = input.shape[1]
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels and {groups} "
                           "groups.")
    n, rest = input.shape[0], input.shape[2:]
    return input.reshape(n, groups, c // groups, *rest).transpose(1, 2).reshape(input.shape)


native_channel_shuffle = channel_shuffle


def _unpool_size(input, kernel, stride, padding, output_size):
    """PyTorch's _unpool_output_size, with its checks."""
    nd = len(kernel)
    default = [(input.shape[-nd + d] - 1) * stride[d] + kernel[d] - 2 * padding[d] for d in range(nd)]
    if output_size is None:
        return default
    output_size = list(output_size)
    if len(output_size) == nd + 2:
        output_size = output_size[2:]
    if len(output_size) != nd:
        raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} elements, but it has "
                         f"a length of '{len(output_size)}'")
    for d in range(nd):
        lo, hi = default[d] - stride[d], default[d] + stride[d]
        if not lo < output_size[d] < hi:
            raise ValueError(f'invalid output_size "{tuple(output_size)}" (dim {d} must be between {lo} and '
                             f'{hi})')
    return output_size


def _max_unpool(nd, input, indices, kernel_size, stride, padding, output_size):
    def tup(v):
        return tuple(v) if isinstance(v, (tuple, list)) else (v,) * nd
    kernel = tup(kernel_size)
    stride = tup(stride) if stride is not None else kernel
    size = _unpool_size(input, kernel, stride, tup(padding), output_size)
    if indices.dtype.name != "int64":
        kind = dt.scalar_name(indices.dtype)
        raise RuntimeError(f"elements in indices should be type int64 but got: {kind}")
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor "
                           f"({list(input.shape)}) but got indices tensor with shape: {list(indices.shape)}")
    area = math.prod(size)
    if indices.numel() and not ((indices >= 0) & (indices < area)).all():
        bad = indices[(indices < 0) | (indices >= area)].reshape(-1)[0].item()
        shown = "x".join(map(str, [*size, 1] if nd == 1 else size))  # torch runs 1-d as 2-d
        raise RuntimeError(f"Found an invalid max index: {bad} (output volumes are of size {shown})")
    lead = input.shape[:-nd]
    flat = zeros(*lead, area, dtype=input.dtype, device=input.device)
    return flat.scatter(-1, indices.flatten(-nd), input.flatten(-nd)).reshape(*lead, *size)


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None):
    """The partial inverse of ``max_pool1d``: each value put back at its index, zeros elsewhere.

    ``L_out = (L_in - 1) * stride - 2 * padding + kernel_size`` (or ``output_size``).

    Args:
        input (Tensor): the pooled values, ``(N, C, L_in)`` or ``(C, L_in)``.
        indices (Tensor): int64, the indices ``max_pool1d(..., return_indices=True)`` gave.
        kernel_size, stride (default: kernel_size), padding: the pooling's.
        output_size (optional): the size to produce (within one stride of the default).

    Shape:
        output ``(N, C, L_out)`` or ``(C, L_out)``.

    Raises:
        ValueError: an output_size of the wrong length or out of range. RuntimeError: indices not int64, of
            another shape, or out of the output (PyTorch's texts).

    As ``torch.nn.functional.max_unpool1d``.
    """
    return _max_unpool(1, input, indices, kernel_size, stride, padding, output_size)


@lays_out(like_input)
def max_unpool2d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None):
    """The partial inverse of ``max_pool2d``: each value put back at its index, zeros elsewhere.

    ``H_out = (H_in - 1) * stride - 2 * padding + kernel_size`` (or ``output_size``); the same for W.

    Args:
        input (Tensor): the pooled values, ``(N, C, H, W)`` or ``(C, H, W)``.
        indices (Tensor): int64, the indices ``max_pool2d(..., return_indices=True)`` gave.
        kernel_size, stride (default: kernel_size), padding: the pooling's.
        output_size (optional): the size to produce (within one stride of the default).

    Shape:
        output ``(N, C, H_out, W_out)`` or ``(C, H_out, W_out)``.

    Raises:
        ValueError / RuntimeError: as ``max_unpool1d``.

    As ``torch.nn.functional.max_unpool2d`` (Badrinarayanan et al. 2015, SegNet, use it).
    """
    return _max_unpool(2, input, indices, kernel_size, stride, padding, output_size)


def max_unpool3d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None):
    """The partial inverse of ``max_pool3d``: each value put back at its index, zeros elsewhere.

    ``D_out = (D_in - 1) * stride - 2 * padding + kernel_size`` (or ``output_size``); the same for H and W.

    Args:
        input (Tensor): the pooled values, ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
        indices (Tensor): int64, the indices ``max_pool3d(..., return_indices=True)`` gave.
        kernel_size, stride (default: kernel_size), padding: the pooling's.
        output_size (optional): the size to produce (within one stride of the default).

    Shape:
        output ``(N, C, D_out, H_out, W_out)`` or ``(C, D_out, H_out, W_out)``.

    Raises:
        ValueError / RuntimeError: as ``max_unpool1d``.

    As ``torch.nn.functional.max_unpool3d``.
    """
    return _max_unpool(3, input, indices, kernel_size, stride, padding, output_size)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False, generator=None) -> Tensor:
    """Randomized leaky ReLU: ``x`` where ``x >= 0``, else ``a * x`` with ``a ~ U(lower, upper)`` per element
    when ``training``, ``a = (lower + upper) / 2`` otherwise.

    Args:
        input (Tensor): any shape.
        lower, upper (float): the slope's range. Defaults: 1/8, 1/3
        training (bool): draw the slopes. Default: False
        inplace (bool): write the result into ``input``. Default: False

    Shape:
        output: input's.

    Raises:
        RuntimeError: ``lower > upper``, or (not ``inplace``) a bound that is not finite (PyTorch's text).

    Xu et al. 2015, as ``torch.nn.functional.rrelu`` (the slopes come from pyfront's generator, so they
    differ from torch's draws).
    """
    if not inplace:  # torch.rrelu's check (F.rrelu's inplace form is torch.rrelu_, which lacks it)
        for name, bound in (("lower", lower), ("upper", upper)):
            if not math.isfinite(float(bound)):
                raise RuntimeError(f"rrelu: {name} bound must be finite, got {float(bound):g}")
    if not lower <= upper:  # ATen's check, which a NaN bound fails too
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    # torch's kernel writes a contiguous result (and noise) whatever the input's layout; its gradient is
    # leaky_relu's (laid out as the input) in eval, the contiguous noise's in training
    relay = not inplace and not input._contiguous
    if not training:
        return _rrelu_evaluation(input, lower, upper, inplace, relay)
    x = relaid(input, None) if relay else input
    slope = x.detach().new_empty(x.shape).uniform_(lower, upper, generator=generator)
    out = x.where(x >= 0, x * slope)
    return input.copy_(out) if inplace else out


def _rrelu_evaluation(input, lower, upper, inplace, relay):
    """leaky_relu's values with the mean slope, shown as torch's RreluWithNoiseBackward0 (in place: 1, from
    the result, as torch's; a copy_ into the input it saved failed backward), whose noise torch leaves
    unwritten in evaluation (pyfront's: empty)."""
    since = SEQUENCE[0]
    out = leaky_slope(input, (lower + upper) / 2, inplace, RRELU_BACKWARDS)
    if out.grad_fn is not None:
        noise = input.new_empty(input.shape)
        present_as(out, f"RreluWithNoiseBackward{int(bool(inplace))}", since, saves=lambda: [
            ("lower", lower), ("noise", noise), ("result", Result(0)) if inplace else ("self", input),
            ("training", False), ("upper", upper)])
    return relaid(out, None) if relay else out


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
           generator=None) -> Tensor:
    """In-place ``rrelu``: ``input`` becomes ``rrelu(input, lower, upper, training)``.

    Args:
        input (Tensor): written in place. lower, upper, training: as ``rrelu``.
        generator (Generator, optional): the source of the slopes drawn when training. Default: None

    Raises:
        RuntimeError: ``lower > upper``.

    As ``torch.nn.functional.rrelu_``, which is ``torch.rrelu_`` (one binding: ATen checks only the bounds'
    order here).
    """
    return rrelu(input, lower, upper, training, inplace=True, generator=generator)


def pdist(input: Tensor, p: float = 2) -> Tensor:
    """The p-norm distance between every pair of rows: ``||x_i - x_j||_p`` for ``i < j``, row-major.

    Args:
        input (Tensor): ``(N, M)``, floating point.
        p (float): the norm's exponent (>= 0). Default: 2

    Shape:
        output ``(N * (N - 1) / 2,)``.

    Raises:
        RuntimeError: not 2-D, not floating point, or a negative p (PyTorch's texts).

    As ``torch.nn.functional.pdist`` (the upper triangle of ``cdist(input, input)``).
    """
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if not input.dtype.is_floating_point:
        raise RuntimeError("pdist only supports floating-point dtypes")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    if input.shape[0] > 1:  # torch's kernel, looked up where there is a pair (float and double only)
        refuse_halves("pdist", input.dtype)
        if input.dtype in dt.FLOAT8:
            refuse_kernel("pdist", input.dtype)
    elif input.dtype in dt.FLOAT8:  # no pair: torch's empty result, where pyfront's difference has no kernel
        return input.new_empty((0,))
    i, j = triu_indices(input.shape[0], input.shape[0], 1, device=input.device)
    return (input[i] - input[j]).norm(p, dim=1)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place ``celu``: ``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``.

    Args:
        input (Tensor): written in place. alpha (float): Default: 1.0

    Raises:
        as ``celu``.

    As ``torch.nn.functional.celu_`` (Barron 2017).
    """
    return celu(input, alpha, inplace=True)


def selu_(input: Tensor) -> Tensor:
    """In-place ``selu``: ``scale * (max(0, x) + min(0, alpha * (exp(x) - 1)))``.

    Args:
        input (Tensor): written in place.

    Raises:
        as ``selu``.

    As ``torch.nn.functional.selu_`` (Klambauer et al. 2017).
    """
    return selu(input, inplace=True)
