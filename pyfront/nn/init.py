"""``nn.init``: fill tensors in place with PyTorch's initialisation distributions.

The distributions are PyTorch's; the numbers differ, since pyfront's random generator is its own.
Everything runs under ``no_grad`` on the tensor's device, so it works on parameters directly.
"""

from __future__ import annotations

import math
import warnings

from ..autograd.grad_mode import no_grad
from ..ops import creation
from ..ops.primitives.elementwise import logical_or, where
from ..tensor import Tensor

__all__ = [
    "calculate_gain",
    "uniform_",
    "normal_",
    "trunc_normal_",
    "constant_",
    "ones_",
    "zeros_",
    "eye_",
    "dirac_",
    "xavier_uniform_",
    "xavier_normal_",
    "kaiming_uniform_",
    "kaiming_normal_",
    "orthogonal_",
    "sparse_",
]

_LINEAR_FNS = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
)


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain (scale of the weights' std) for a nonlinearity.

    linear, conv*, conv_transpose*, sigmoid: 1; tanh: 5/3; relu: sqrt(2); leaky_relu: ``sqrt(2 / (1 +
    slope^2))``; selu: 3/4.

    Args:
        nonlinearity (str): the ``nn.functional`` name of the nonlinearity.
        param (float, optional): the negative slope for ``'leaky_relu'`` (None: 0.01). Default: None

    Raises:
        ValueError: an unsupported nonlinearity, or a ``param`` that is not an int or float.

    Matches ``torch.nn.init.calculate_gain``.
    """
    if nonlinearity in _LINEAR_FNS or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif (not isinstance(param, bool) and isinstance(param, int)) or isinstance(param, float):
            negative_slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator=None) -> Tensor:
    """Fills ``tensor`` with values drawn from the uniform distribution U(a, b).

    Args:
        tensor (Tensor): the tensor to fill, in place (under ``no_grad``); it is returned.
        a (float): the lower bound. Default: 0.0
        b (float): the upper bound. Default: 1.0
        generator (Generator, optional): the random generator to draw from. Default: None

    Shape:
        tensor: ``(*)``, any shape; returned as it is, filled.

    Matches ``torch.nn.init.uniform_`` (the distribution, not the numbers: pyfront's generator is its own).
    """
    with no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator=None) -> Tensor:
    """Fills ``tensor`` with values drawn from the normal distribution N(mean, std^2).

    Args:
        tensor (Tensor): the tensor to fill, in place (under ``no_grad``); it is returned.
        mean (float): the mean. Default: 0.0
        std (float): the standard deviation. Default: 1.0
        generator (Generator, optional): the random generator to draw from. Default: None

    Shape:
        tensor: ``(*)``, any shape; returned as it is, filled.

    Matches ``torch.nn.init.normal_`` (the distribution, not the numbers).
    """
    with no_grad():
        return tensor.normal_(mean, std, generator=generator)


def trunc_normal_(
    tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0, generator=None
) -> Tensor:
    """Fills ``tensor`` with N(mean, std^2) truncated to ``[a, b]``.

    Draws outside ``[a, b]`` are redrawn until none is left (warns when ``mean`` is more than 2 std outside).

    Args:
        tensor (Tensor): the tensor to fill, in place (under ``no_grad``); it is returned.
        mean (float): the mean. Default: 0.0
        std (float): the standard deviation. Default: 1.0
        a (float): the lower cut-off. Default: -2.0
        b (float): the upper cut-off. Default: 2.0
        generator (Generator, optional): the random generator to draw from. Default: None

    Shape:
        tensor: ``(*)``, any shape; returned as it is, filled.

    Matches ``torch.nn.init.trunc_normal_`` in distribution (torch uses the inverse-CDF method instead).
    """
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values "
            "may be incorrect.",
            stacklevel=2,
        )
    with no_grad():
        result = creation.empty(tensor.shape, dtype=tensor.dtype, device=tensor.device).normal_(
            mean, std, generator=generator
        )
        while True:
            outside = logical_or(result < a, result > b)
            if not outside.any():
                break
            fresh = creation.empty(tensor.shape, dtype=tensor.dtype, device=tensor.device).normal_(
                mean, std, generator=generator
            )
            result = where(outside, fresh, result)
        return tensor.copy_(result)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fills ``tensor`` with the value ``val``.

    Args:
        tensor (Tensor): the tensor to fill, in place (under ``no_grad``); it is returned.
        val (float): the value.

    Shape:
        tensor: ``(*)``, any shape; returned as it is, filled.

    Matches ``torch.nn.init.constant_``.
    """
    with no_grad():
        return tensor.fill_(val)


def ones_(tensor: Tensor) -> Tensor:
    """Fills ``tensor`` with ones.

    Args:
        tensor (Tensor): the tensor to fill, in place (under ``no_grad``); it is returned.

    Shape:
        tensor: ``(*)``, any shape; returned as it is, filled.

    Matches ``torch.nn.init.ones_``.
    """
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    """Fills ``tensor`` with zeros.

    Args:
        tensor (Tensor): the tensor to fill, in place (under ``no_grad``); it is returned.

    Shape:
        tensor: ``(*)``, any shape; returned as it is, filled.

    Matches ``torch.nn.init.zeros_``.
    """
    with no_grad():
        return tensor.zero_()


def eye_(tensor: Tensor) -> Tensor:
    """Fills a 2-dim ``tensor`` with the identity matrix (ones on the main diagonal, zeros elsewhere).

    Args:
        tensor (Tensor): the tensor to fill, in place (under ``no_grad``); it is returned.

    Shape:
        tensor: ``(rows, cols)``.

    Raises:
        ValueError: ``tensor`` is not 2-dim.

    Matches ``torch.nn.init.eye_``.
    """
    if tensor.ndimension() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    with no_grad():
        return tensor.copy_(creation.eye(*tensor.shape, dtype=tensor.dtype, device=tensor.device))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Fills a convolution weight with the Dirac delta: the convolution passes its input channels through.

    Each group's output channel d gets 1 at input channel d, at the kernel's centre (for d below both channel
    counts); everything else is 0.

    Args:
        tensor (Tensor): the tensor to fill, in place (under ``no_grad``); it is returned.
        groups (int): the number of groups of the convolution; must divide ``tensor.size(0)``. Default: 1

    Shape:
        tensor: ``(C_out, C_in, kL)``, ``(C_out, C_in, kH, kW)`` or ``(C_out, C_in, kD, kH, kW)``.

    Raises:
        ValueError: ``tensor`` is not 3-, 4- or 5-dim, or ``groups`` does not divide dim 0.

    Matches ``torch.nn.init.dirac_``.
    """
    dims = tensor.ndimension()
    if dims not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    sizes = tensor.size()
    if sizes[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    per_group = sizes[0] // groups
    centre = tuple(s // 2 for s in sizes[2:])
    value = creation.zeros(sizes, dtype=tensor.dtype, device=tensor.device)
    for g in range(groups):
        for d in range(min(per_group, sizes[1])):
            value[(g * per_group + d, d, *centre)] = 1
    with no_grad():
        return tensor.copy_(value)


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive_field_size = math.prod(tensor.shape[2:])
    return tensor.size(1) * receptive_field_size, tensor.size(0) * receptive_field_size


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    valid_modes = ["fan_in", "fan_out"]
    if mode not in valid_modes:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid_modes}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot uniform: fills ``tensor`` from U(-a, a), ``a = gain * sqrt(6 / (fan_in + fan_out))``.

    fan_in = ``tensor.size(1) * prod(tensor.shape[2:])``, fan_out = ``tensor.size(0) *
    prod(tensor.shape[2:])``.

    Args:
        tensor (Tensor): the tensor to fill, in place (under ``no_grad``); it is returned.
        gain (float): the scale (see ``calculate_gain``). Default: 1.0
        generator (Generator, optional): the random generator to draw from. Default: None

    Shape:
        tensor: ``(fan_out_dim, fan_in_dim, *kernel)``, at least 2-dim.

    Raises:
        ValueError: ``tensor`` has fewer than 2 dims (no fan in and fan out).

    Follows Glorot & Bengio 2010, as ``torch.nn.init.xavier_uniform_``.
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    a = math.sqrt(3.0) * gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot normal: fills ``tensor`` from N(0, std^2), ``std = gain * sqrt(2 / (fan_in + fan_out))``.

    fan_in = ``tensor.size(1) * prod(tensor.shape[2:])``, fan_out = ``tensor.size(0) *
    prod(tensor.shape[2:])``.

    Args:
        tensor (Tensor): the tensor to fill, in place (under ``no_grad``); it is returned.
        gain (float): the scale (see ``calculate_gain``). Default: 1.0
        generator (Generator, optional): the random generator to draw from. Default: None

    Shape:
        tensor: ``(fan_out_dim, fan_in_dim, *kernel)``, at least 2-dim.

    Raises:
        ValueError: ``tensor`` has fewer than 2 dims (no fan in and fan out).

    Follows Glorot & Bengio 2010, as ``torch.nn.init.xavier_normal_``.
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / float(fan_in + fan_out)), generator)


def _kaiming_std(tensor, a, mode, nonlinearity) -> float:
    return calculate_gain(nonlinearity, a) / math.sqrt(_calculate_correct_fan(tensor, mode))


def kaiming_uniform_(
    tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu", generator=None
) -> Tensor:
    """He uniform: fills ``tensor`` from U(-bound, bound), ``bound = gain * sqrt(3 / fan_mode)``.

    ``gain = calculate_gain(nonlinearity, a)``; fan_in = ``tensor.size(1) * prod(tensor.shape[2:])``, fan_out
    = ``tensor.size(0) * prod(tensor.shape[2:])``. A tensor with no elements is left alone (with a warning).

    Args:
        tensor (Tensor): the tensor to fill, in place (under ``no_grad``); it is returned.
        a (float): the negative slope of the leaky_relu that follows (its gain's parameter). Default: 0
        mode (str): ``'fan_in'`` (keeps the forward pass's variance) or ``'fan_out'`` (the backward's).
            Default: ``'fan_in'``
        nonlinearity (str): the ``nn.functional`` name of the nonlinearity that follows (``'relu'`` or
            ``'leaky_relu'`` recommended). Default: ``'leaky_relu'``
        generator (Generator, optional): the random generator to draw from. Default: None

    Shape:
        tensor: ``(fan_out_dim, fan_in_dim, *kernel)``, at least 2-dim.

    Raises:
        ValueError: ``tensor`` has fewer than 2 dims (no fan in and fan out).
        ValueError: an unknown ``mode`` or ``nonlinearity``.

    Follows He et al. 2015, as ``torch.nn.init.kaiming_uniform_``.
    """
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(
    tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu", generator=None
) -> Tensor:
    """He normal: fills ``tensor`` from N(0, std^2), ``std = gain / sqrt(fan_mode)``.

    ``gain = calculate_gain(nonlinearity, a)``; fan_in = ``tensor.size(1) * prod(tensor.shape[2:])``, fan_out
    = ``tensor.size(0) * prod(tensor.shape[2:])``. A tensor with no elements is left alone (with a warning).

    Args:
        tensor (Tensor): the tensor to fill, in place (under ``no_grad``); it is returned.
        a (float): the negative slope of the leaky_relu that follows (its gain's parameter). Default: 0
        mode (str): ``'fan_in'`` (keeps the forward pass's variance) or ``'fan_out'`` (the backward's).
            Default: ``'fan_in'``
        nonlinearity (str): the ``nn.functional`` name of the nonlinearity that follows (``'relu'`` or
            ``'leaky_relu'`` recommended). Default: ``'leaky_relu'``
        generator (Generator, optional): the random generator to draw from. Default: None

    Shape:
        tensor: ``(fan_out_dim, fan_in_dim, *kernel)``, at least 2-dim.

    Raises:
        ValueError: ``tensor`` has fewer than 2 dims (no fan in and fan out).
        ValueError: an unknown ``mode`` or ``nonlinearity``.

    Follows He et al. 2015, as ``torch.nn.init.kaiming_normal_``.
    """
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    return normal_(tensor, 0, _kaiming_std(tensor, a, mode, nonlinearity), generator)


def _default_layer_init_(weight: Tensor, bias: Tensor | None) -> None:
    """PyTorch's default for Linear and the convolutions: kaiming_uniform_(a=sqrt(5)), which is
    U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the same bound for the bias."""
    kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        fan_in, _ = _calculate_fan_in_and_fan_out(weight)
        if fan_in != 0:
            bound = 1 / math.sqrt(fan_in)
            uniform_(bias, -bound, bound)


def _orthonormal_columns(a: Tensor) -> Tensor:
    """Q of the QR factorisation of a tall matrix with R's diagonal made positive (Gram-Schmidt,
    each column orthogonalised twice for accuracy): the Haar-distributed factor PyTorch's
    sign-corrected ``linalg.qr`` gives."""
    cols = []
    for j in range(a.shape[1]):
        v = a[:, j]
        for _ in range(2):
            for q in cols:
                v = v - (q * v).sum() * q
        cols.append(v / v.norm())
    from ..ops.composite.shaping import stack

    return stack(cols, 1)


def orthogonal_(tensor: Tensor, gain: float = 1, generator=None) -> Tensor:
    """Fills ``tensor`` with a (semi-)orthogonal matrix times ``gain``.

    The matrix is the QR factor of a Gaussian matrix. The trailing dims are flattened: the ``(rows, cols)``
    matrix has orthonormal rows or columns (whichever are fewer), Haar-distributed as torch's sign-corrected
    QR gives.

    Args:
        tensor (Tensor): the tensor to fill, in place (under ``no_grad``); it is returned.
        gain (float): the scale. Default: 1
        generator (Generator, optional): the random generator to draw from. Default: None

    Shape:
        tensor: ``(rows, *)``, at least 2-dim; an empty tensor is returned as it is.

    Raises:
        ValueError: ``tensor`` has fewer than 2 dims.

    Follows Saxe et al. 2013, as ``torch.nn.init.orthogonal_``.
    """
    if tensor.ndimension() < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.size(0)
    cols = tensor.numel() // rows
    with no_grad():
        flat = creation.empty((rows, cols), dtype=tensor.dtype, device=tensor.device).normal_(
            0, 1, generator=generator
        )
        q = _orthonormal_columns(flat.t() if rows < cols else flat)
        if rows < cols:
            q = q.t()
        return tensor.copy_(q.reshape(tensor.shape) * gain)


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01, generator=None) -> Tensor:
    """Fills the 2-D ``tensor`` as a sparse matrix: N(0, std) values with a fraction of each column zero.

    ``ceil(sparsity * rows)`` entries of every column, at rows drawn by ``randperm``, are set to 0 (Martens
    2010, "Deep learning via Hessian-free optimization"), as ``torch.nn.init.sparse_``, drawing its random
    numbers in torch's order (the normal fill, then one permutation per column).

    Args:
        tensor (Tensor): a 2-D tensor, filled in place.
        sparsity (float): the fraction of each column set to zero.
        std (float): the standard deviation of the nonzero values. Default: 0.01
        generator (Generator, optional): the generator of the normal fill (torch's permutations use the
            default one, and so do these).

    Raises:
        ValueError: ``tensor`` is not 2-D.
    """
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    num_zeros = math.ceil(sparsity * rows)
    with no_grad():
        tensor.normal_(0, std, generator=generator)
        for col_idx in range(cols):
            zero_indices = creation.randperm(rows)[:num_zeros]
            tensor[zero_indices, col_idx] = 0
    return tensor


def _deprecated(meth):
    new_name = meth.__name__
    old_name = new_name[:-1]

    def deprecated_init(*args, **kwargs):
        warnings.warn(
            f"`nn.init.{old_name}` is now deprecated in favor of `nn.init.{new_name}`.",
            FutureWarning,
            stacklevel=2,
        )
        return meth(*args, **kwargs)

    deprecated_init.__name__ = old_name
    deprecated_init.__doc__ = f"""Deprecated name of ``{new_name}``: warns (FutureWarning), then calls it.

    Args:
        tensor (Tensor): the tensor to fill; the other arguments are those of ``{new_name}``.

    Shape, errors and distribution: those of ``{new_name}``. Matches ``torch.nn.init.{old_name}``.
    """
    return deprecated_init


uniform = _deprecated(uniform_)
normal = _deprecated(normal_)
constant = _deprecated(constant_)
eye = _deprecated(eye_)
dirac = _deprecated(dirac_)
xavier_uniform = _deprecated(xavier_uniform_)
xavier_normal = _deprecated(xavier_normal_)
kaiming_uniform = _deprecated(kaiming_uniform_)
kaiming_normal = _deprecated(kaiming_normal_)
orthogonal = _deprecated(orthogonal_)
sparse = _deprecated(sparse_)
