"""Ready-made parametrizations: weight normalisation, as ``torch.nn.utils.parametrizations``."""
from __future__ import annotations

from ...tensor import Tensor
from ..modules.module import Module
from . import parametrize

__all__ = ["weight_norm"]


def _norm_except_dim(v: Tensor, dim: int) -> Tensor:
    """The 2-norm over every dim but ``dim``, kept as size-1 dims (all of them when ``dim`` is -1)."""
    if dim == -1:
        return v.norm()
    dim = dim % v.dim()
    return v.norm(2, [d for d in range(v.dim()) if d != dim], keepdim=True)


class _WeightNorm(Module):
    """w = g * v / ||v||, with the norm over every dim but ``dim``."""

    def __init__(self, dim: int | None = 0) -> None:
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g: Tensor, weight_v: Tensor) -> Tensor:
        return weight_v * (weight_g / _norm_except_dim(weight_v, self.dim))

    def right_inverse(self, weight: Tensor):
        return _norm_except_dim(weight, self.dim), weight


def weight_norm(module: Module, name: str = "weight", dim: int = 0) -> Module:
    r"""Reparametrize ``module.<name>`` by its magnitude and direction (weight normalisation).

    .. math::
        \mathbf{w} = g \dfrac{\mathbf{v}}{\|\mathbf{v}\|}

    ``g`` (``parametrizations.<name>.original0``) holds the norms over every dim but ``dim`` and
    ``v`` (``original1``) the direction, as in Salimans & Kingma, "Weight Normalization" (2016).
    A state_dict with the older ``<name>_g`` / ``<name>_v`` keys still loads.

    Args:
        module: the module holding the weight.
        name: the parameter's name. Default: "weight"
        dim: the dim kept by the norm (``None`` or -1: one norm of the whole tensor). Default: 0

    Returns the module, as ``torch.nn.utils.parametrizations.weight_norm``.
    """
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def _weight_norm_compat_hook(module, state_dict, prefix, local_metadata, strict, missing_keys,
                                 unexpected_keys, error_msgs) -> None:
        g_key, v_key = f"{prefix}{name}_g", f"{prefix}{name}_v"
        if g_key in state_dict and v_key in state_dict:
            state_dict[f"{prefix}parametrizations.{name}.original0"] = state_dict.pop(g_key)
            state_dict[f"{prefix}parametrizations.{name}.original1"] = state_dict.pop(v_key)

    module.register_load_state_dict_pre_hook(_weight_norm_compat_hook)
    return module
