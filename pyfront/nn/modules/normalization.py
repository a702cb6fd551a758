"""Normalization layers: BatchNorm1d/2d, InstanceNorm1d/2d, LayerNorm, GroupNorm, RMSNorm.

Batch norm keeps ``running_mean``/``running_var``/``num_batches_tracked`` buffers: training
updates them (``momentum=None``: a cumulative average), eval normalizes with them.
"""

from __future__ import annotations

import numbers
import warnings

from ... import dtypes as dt
from ...ops.creation import empty, ones, tensor, zeros
from ...tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module


def _affine_parameters(module: Module, shape, affine: bool, bias: bool, device, dtype) -> None:
    """Register ``weight`` (and ``bias`` when asked) of ``shape``, or None for each when not affine."""
    module.register_parameter(
        "weight", Parameter(empty(shape, device=device, dtype=dtype)) if affine else None
    )
    module.register_parameter(
        "bias", Parameter(empty(shape, device=device, dtype=dtype)) if affine and bias else None
    )


def _reset_affine(module: Module) -> None:
    """Scale 1 and shift 0: a norm layer starts as a pure normalisation."""
    if module.weight is not None:
        init.ones_(module.weight)
    if getattr(module, "bias", None) is not None:
        init.zeros_(module.bias)


__all__ = [
    "BatchNorm1d",
    "BatchNorm2d",
    "InstanceNorm1d",
    "InstanceNorm2d",
    "BatchNorm3d",
    "InstanceNorm3d",
    "LayerNorm",
    "GroupNorm",
    "RMSNorm",
]


class _NormBase(Module):
    """Affine parameters and running-statistics buffers shared by batch and instance norm."""

    _version = 2  # version 2 added num_batches_tracked; older state dicts load without it, as in torch

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device=None,
        dtype=None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        _affine_parameters(self, num_features, affine, bias, device, dtype)
        if track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, device=device, dtype=dtype))
            self.register_buffer("running_var", ones(num_features, device=device, dtype=dtype))
            self.register_buffer("num_batches_tracked", tensor(0, dtype=dt.int64, device=device))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, *rest) -> None:
        version = local_metadata.get("version")
        key = prefix + "num_batches_tracked"
        if (version is None or version < 2) and self.track_running_stats and key not in state_dict:
            state_dict[key] = self.num_batches_tracked  # a state dict from before the counter: keep ours
        super()._load_from_state_dict(state_dict, prefix, local_metadata, *rest)

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        self.reset_running_stats()
        _reset_affine(self)

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}"
        )


class _BatchNorm(_NormBase):
    _dims: tuple = ()
    _dims_text = ""

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() not in self._dims:
            raise ValueError(f"expected {self._dims_text} input (got {input.dim()}D input)")

    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            factor = 1.0 / float(self.num_batches_tracked) if self.momentum is None else self.momentum
        # eval uses the running statistics, unless there are none (then the batch's, as in training)
        use_batch_stats = self.training or (self.running_mean is None and self.running_var is None)
        keep = not self.training or self.track_running_stats
        return F.batch_norm(
            input,
            self.running_mean if keep else None,
            self.running_var if keep else None,
            self.weight,
            self.bias,
            use_batch_stats,
            factor,
            self.eps,
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalization of ``(N, C)`` or ``(N, C, L)``, per channel.

    In training, the batch statistics are used and the running ones updated; in eval, the running ones.

    ``y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias``, with the biased variance. When ``training``, E
    and Var come from the batch and ``running_mean``/``running_var`` (if given) are updated in place, ``r = (1
    - momentum) * r + momentum * s`` (the variance unbiased); otherwise the running statistics are used.

    Args:
        num_features (int): C, the number of channels.
        eps (float): added to the variance for stability. Default: 1e-5
        momentum (float or None): weight of each new batch in the running statistics; None keeps a cumulative
            average (1 / batches seen). Default: 0.1
        affine (bool): learnable per-channel ``weight`` (ones) and ``bias`` (zeros). Default: True
        track_running_stats (bool): keep ``running_mean``/``running_var`` buffers, used in eval mode. Default:
            True
        device, dtype: of the parameters and buffers. Default: None
        bias (bool, keyword-only): whether the affine map has a shift. Default: True

    Shape:
        input: ``(N, C)`` or ``(N, C, L)``; output: the same shape.

    Raises:
        ValueError: (in forward) an input of the wrong rank (2-d or 3-d).
        ValueError: one value per channel while ``training``, or only one of the running stats given.
        RuntimeError: a running stat missing in evaluation, a stat/weight/bias without ``C`` elements, a
            running stat that requires grad, or dtypes that differ from ``input``'s.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.BatchNorm1d``; its forward calls ``F.batch_norm`` (whose errors it raises).
    """

    _dims = (2, 3)
    _dims_text = "2D or 3D"


class BatchNorm2d(_BatchNorm):
    """Batch normalization of ``(N, C, H, W)``, per channel.

    In training, the batch statistics are used and the running ones updated; in eval, the running ones.

    ``y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias``, with the biased variance. When ``training``, E
    and Var come from the batch and ``running_mean``/``running_var`` (if given) are updated in place, ``r = (1
    - momentum) * r + momentum * s`` (the variance unbiased); otherwise the running statistics are used.

    Args:
        num_features (int): C, the number of channels.
        eps (float): added to the variance for stability. Default: 1e-5
        momentum (float or None): weight of each new batch in the running statistics; None keeps a cumulative
            average (1 / batches seen). Default: 0.1
        affine (bool): learnable per-channel ``weight`` (ones) and ``bias`` (zeros). Default: True
        track_running_stats (bool): keep ``running_mean``/``running_var`` buffers, used in eval mode. Default:
            True
        device, dtype: of the parameters and buffers. Default: None
        bias (bool, keyword-only): whether the affine map has a shift. Default: True

    Shape:
        input: ``(N, C, H, W)``; output: the same shape.

    Raises:
        ValueError: (in forward) an input of the wrong rank (4-d).
        ValueError: one value per channel while ``training``, or only one of the running stats given.
        RuntimeError: a running stat missing in evaluation, a stat/weight/bias without ``C`` elements, a
            running stat that requires grad, or dtypes that differ from ``input``'s.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.BatchNorm2d``; its forward calls ``F.batch_norm`` (whose errors it raises).
    """

    _dims = (4,)
    _dims_text = "4D"


class _InstanceNorm(_NormBase):
    _dims: tuple = ()
    _dims_text = ""

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = False,
        track_running_stats: bool = False,
        device=None,
        dtype=None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)

    def forward(self, input: Tensor) -> Tensor:
        if input.dim() not in self._dims:
            raise ValueError(f"expected {self._dims_text} input (got {input.dim()}D input)")
        unbatched = self._dims[0]
        feature_dim = input.dim() - unbatched
        if input.shape[feature_dim] != self.num_features:
            if self.affine:
                raise ValueError(
                    f"expected input's size at dim={feature_dim} to match num_features "
                    f"({self.num_features}), but got: {input.shape[feature_dim]}."
                )
            warnings.warn(
                f"input's size at dim={feature_dim} does not match num_features. You can silence this "
                "warning by not passing in num_features, which is not used because affine=False",
                stacklevel=2,
            )
        x = input.unsqueeze(0) if input.dim() == unbatched else input
        out = F.instance_norm(
            x,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            self.training or not self.track_running_stats,
            self.momentum if self.momentum is not None else 0.0,
            self.eps,
        )
        return out.squeeze(0) if input.dim() == unbatched else out


class InstanceNorm1d(_InstanceNorm):
    """Instance normalization of ``(N, C, L)`` or ``(C, L)``: each sample and channel on its own.

    ``y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias``; with ``running_mean``/``running_var`` given, they
    get the per-instance statistics' batch average as in ``batch_norm``.

    Args:
        num_features (int): C, the number of channels.
        eps (float): added to the variance for stability. Default: 1e-5
        momentum (float or None): weight of each new batch in the running statistics; None leaves them as they
            are. Default: 0.1
        affine (bool): learnable per-channel ``weight`` (ones) and ``bias`` (zeros). Default: False
        track_running_stats (bool): keep ``running_mean``/``running_var`` buffers, used in eval mode. Default:
            False
        device, dtype: of the parameters and buffers. Default: None
        bias (bool, keyword-only): whether the affine map has a shift. Default: True

    Shape:
        input: ``(N, C, L)`` or ``(C, L)``; output: the same shape.

    Raises:
        ValueError: (in forward) an input of the wrong rank (2-d or 3-d), or (with ``affine``) a channel count
            other than ``num_features`` (without ``affine`` it warns).
        ValueError: one spatial element while ``use_input_stats``.
        RuntimeError: ``use_input_stats=False`` without both running stats.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.InstanceNorm1d``; its forward calls ``F.instance_norm`` (whose errors it raises).
    """

    _dims = (2, 3)
    _dims_text = "2D or 3D"


class InstanceNorm2d(_InstanceNorm):
    """Instance normalization of ``(N, C, H, W)`` or ``(C, H, W)``, each sample and channel alone.

    ``y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias``; with ``running_mean``/``running_var`` given, they
    get the per-instance statistics' batch average as in ``batch_norm``.

    Args:
        num_features (int): C, the number of channels.
        eps (float): added to the variance for stability. Default: 1e-5
        momentum (float or None): weight of each new batch in the running statistics; None leaves them as they
            are. Default: 0.1
        affine (bool): learnable per-channel ``weight`` (ones) and ``bias`` (zeros). Default: False
        track_running_stats (bool): keep ``running_mean``/``running_var`` buffers, used in eval mode. Default:
            False
        device, dtype: of the parameters and buffers. Default: None
        bias (bool, keyword-only): whether the affine map has a shift. Default: True

    Shape:
        input: ``(N, C, H, W)`` or ``(C, H, W)``; output: the same shape.

    Raises:
        ValueError: (in forward) an input of the wrong rank (3-d or 4-d), or (with ``affine``) a channel count
            other than ``num_features`` (without ``affine`` it warns).
        ValueError: one spatial element while ``use_input_stats``.
        RuntimeError: ``use_input_stats=False`` without both running stats.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.InstanceNorm2d``; its forward calls ``F.instance_norm`` (whose errors it raises).
    """

    _dims = (3, 4)
    _dims_text = "3D or 4D"


class BatchNorm3d(_BatchNorm):
    """Batch normalization of ``(N, C, D, H, W)``, per channel.

    ``y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias``, with the biased variance. When ``training``, E
    and Var come from the batch and ``running_mean``/``running_var`` (if given) are updated in place, ``r = (1
    - momentum) * r + momentum * s`` (the variance unbiased); otherwise the running statistics are used.

    Args:
        num_features (int): C, the number of channels.
        eps (float): added to the variance for stability. Default: 1e-5
        momentum (float or None): weight of each new batch in the running statistics; None keeps a cumulative
            average. Default: 0.1
        affine (bool): learnable per-channel ``weight`` and ``bias``. Default: True
        track_running_stats (bool): keep ``running_mean``/``running_var`` buffers. Default: True
        device, dtype: of the parameters and buffers. Default: None
        bias (bool, keyword-only): whether the affine map has a shift. Default: True

    Shape:
        input: ``(N, C, D, H, W)``; output: the same shape.

    Raises:
        ValueError: (in forward) an input of the wrong rank (5-d); others from ``F.batch_norm``.

    Matches ``torch.nn.BatchNorm3d`` (Ioffe and Szegedy 2015); its forward calls ``F.batch_norm``.
    """

    _dims = (5,)
    _dims_text = "5D"


class InstanceNorm3d(_InstanceNorm):
    """Instance normalization of ``(N, C, D, H, W)`` or ``(C, D, H, W)``, each sample and channel alone.

    ``y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias``; with running statistics tracked, they get the
    per-instance statistics' batch average.

    Args:
        num_features (int): C, the number of channels.
        eps (float): added to the variance for stability. Default: 1e-5
        momentum (float or None): weight of each new batch in the running statistics. Default: 0.1
        affine (bool): learnable per-channel ``weight`` and ``bias``. Default: False
        track_running_stats (bool): keep ``running_mean``/``running_var`` buffers. Default: False
        device, dtype: of the parameters and buffers. Default: None
        bias (bool, keyword-only): whether the affine map has a shift. Default: True

    Shape:
        input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``; output: the same shape.

    Raises:
        ValueError: (in forward) an input of the wrong rank (4-d or 5-d), or (with ``affine``) a channel count
            other than ``num_features``; others from ``F.instance_norm``.

    Matches ``torch.nn.InstanceNorm3d`` (Ulyanov et al. 2016); its forward calls ``F.instance_norm``.
    """

    _dims = (4, 5)
    _dims_text = "4D or 5D"


class LayerNorm(Module):
    """Layer normalization over the last ``len(normalized_shape)`` dims of each sample.

    ``y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias``, E and the biased Var over those dims.

    Args:
        normalized_shape (int or tuple of int): the trailing shape to normalise over.
        eps (float): added to the variance for stability. Default: 1e-5
        elementwise_affine (bool): learnable elementwise ``weight`` (ones) and ``bias`` (zeros) of
            ``normalized_shape``. Default: True
        bias (bool): whether the affine map has a shift. Default: True
        device, dtype: of the parameters. Default: None

    Shape:
        input: ``(N, *)``, ending in ``normalized_shape``; output: the same shape.

    Raises:
        TypeError: ``normalized_shape`` is not a tuple or list.
        RuntimeError: ``normalized_shape`` is empty or is not the input's trailing shape, or weight or bias
            does not have that shape.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.LayerNorm``; its forward calls ``F.layer_norm`` (whose errors it raises).
    """

    def __init__(
        self,
        normalized_shape,
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        _affine_parameters(self, self.normalized_shape, elementwise_affine, bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        _reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
            f"bias={self.bias is not None}"
        )


class RMSNorm(Module):
    """Root-mean-square normalization over the last ``len(normalized_shape)`` dims.

    ``y = x / sqrt(mean(x^2) + eps) * weight``.

    Args:
        normalized_shape (int or tuple of int): the trailing shape to normalise over.
        eps (float, optional): added to the mean square; None uses the input dtype's machine epsilon. Default:
            None
        elementwise_affine (bool): a learnable elementwise ``weight`` (ones) of ``normalized_shape``. Default:
            True
        device, dtype: of the parameter. Default: None

    Shape:
        input: ``(N, *)``, ending in ``normalized_shape``; output: the same shape.

    Raises:
        TypeError: ``normalized_shape`` is not a tuple or list.
        RuntimeError: ``normalized_shape`` is empty or is not the input's trailing shape, or weight does not
            have that shape.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.RMSNorm``; its forward calls ``F.rms_norm`` (whose errors it raises).
    """

    def __init__(
        self,
        normalized_shape,
        eps: float | None = None,
        elementwise_affine: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        self.register_parameter(
            "weight",
            Parameter(empty(self.normalized_shape, device=device, dtype=dtype))
            if elementwise_affine
            else None,
        )
        self.reset_parameters()

    def reset_parameters(self) -> None:
        _reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        return F.rms_norm(input, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class GroupNorm(Module):
    """Group normalization: the C channels of each sample split into ``num_groups`` groups.

    Each group is normalised over its channels and spatial dims, per sample.

    ``y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias``, weight and bias per channel.

    Args:
        num_groups (int): how many groups the channels form.
        num_channels (int): C; must be divisible by ``num_groups``.
        eps (float): added to the variance for stability. Default: 1e-5
        affine (bool): learnable per-channel ``weight`` (ones) and ``bias`` (zeros). Default: True
        device, dtype: of the parameters. Default: None
        bias (bool, keyword-only): whether the affine map has a shift. Default: True

    Shape:
        input: ``(N, C, *)``; output: the same shape.

    Raises:
        ValueError: ``num_channels`` not divisible by ``num_groups``.
        RuntimeError: fewer than 2 dims, ``C`` not divisible by ``num_groups``, or weight/bias not ``(C,)``.
        ValueError: one value per group.
        NotImplementedError: ``input`` is not floating point.

    Matches ``torch.nn.GroupNorm``; its forward calls ``F.group_norm`` (whose errors it raises).
    """

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        device=None,
        dtype=None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups ({num_groups})")
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        _affine_parameters(self, num_channels, affine, bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        _reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
            f"bias={self.bias is not None}"
        )
