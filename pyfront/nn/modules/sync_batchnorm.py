"""``nn.SyncBatchNorm``: batch norm whose statistics would be reduced over a process group. pyfront runs
one process, where the group is that process alone, so it normalizes exactly as ``BatchNorm`` does
(torch 2.13 does the same on a CPU tensor or outside an initialized process group)."""
from __future__ import annotations

from ...autograd.grad_mode import no_grad
from ...tensor import Tensor
from .normalization import _BatchNorm
from .module import Module

__all__ = ["SyncBatchNorm"]


class SyncBatchNorm(_BatchNorm):
    """Batch normalization over ``(N, C, *)`` input whose batch statistics are shared across the
    processes of ``process_group``; with one process, the statistics of the local batch.

    Args:
        num_features: C, the channels.
        eps, momentum, affine, track_running_stats, bias: as for ``BatchNorm1d``.
        process_group: the group to synchronise over (kept; a single process has no other member).
        device, dtype: where and in which dtype the parameters and buffers are made.

    Shape: input ``(N, C, *)`` of 2 or more dims, output the same.

    Raises:
        ValueError: input of fewer than 2 dims, or with 0 channels (torch's texts).
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, process_group=None, device=None,
                 dtype=None, *, bias: bool = True) -> None:
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)
        self.process_group = process_group

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() < 2:
            raise ValueError(f"expected at least 2D input (got {input.dim()}D input)")

    def _check_non_zero_input_channels(self, input: Tensor) -> None:
        if input.size(1) == 0:
            raise ValueError("SyncBatchNorm number of input channels should be non-zero")

    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        self._check_non_zero_input_channels(input)
        return super().forward(input)

    @classmethod
    def convert_sync_batchnorm(cls, module: Module, process_group=None) -> Module:
        """Every batch-norm layer in ``module`` (itself included) replaced by a ``SyncBatchNorm`` holding the
        same parameters, buffers and training mode, as ``torch.nn.SyncBatchNorm.convert_sync_batchnorm``.

        Args:
            module: the model (or one batch-norm layer).
            process_group: given to every new layer.

        Returns:
            ``module`` with its batch norms replaced, or the new layer where ``module`` itself was one.
        """
        converted = module
        if isinstance(module, _BatchNorm):
            converted = cls(module.num_features, module.eps, module.momentum, module.affine,
                            module.track_running_stats, process_group)
            if module.affine:
                with no_grad():  # the very Parameter objects, so an optimizer built before still steps them
                    converted.weight = module.weight
                    converted.bias = module.bias
            converted.running_mean = module.running_mean
            converted.running_var = module.running_var
            converted.num_batches_tracked = module.num_batches_tracked
            converted.training = module.training
            if hasattr(module, "qconfig"):
                converted.qconfig = module.qconfig
        for name, child in module.named_children():
            converted.add_module(name, cls.convert_sync_batchnorm(child, process_group))
        return converted
