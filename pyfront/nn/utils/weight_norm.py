"""``nn.utils.weight_norm`` / ``remove_weight_norm``: the hook-based weight normalisation (deprecated in
torch for ``parametrizations.weight_norm``, yet still what many audio and GAN models call)."""
from __future__ import annotations

from ..._warnings import warn
from ..modules.module import Module
from ..parameter import Parameter
from .parametrizations import _norm_except_dim


class WeightNorm:
    """The forward pre-hook that recomputes ``name`` from ``name_g`` and ``name_v`` before each call."""

    def __init__(self, name: str, dim: int) -> None:
        self.name = name
        self.dim = -1 if dim is None else dim

    def compute_weight(self, module: Module):
        g, v = getattr(module, self.name + "_g"), getattr(module, self.name + "_v")
        return v * (g / _norm_except_dim(v, self.dim))

    def __call__(self, module: Module, inputs) -> None:
        setattr(module, self.name, self.compute_weight(module))


def weight_norm(module: Module, name: str = "weight", dim: int | None = 0) -> Module:
    r"""Split ``module.<name>`` into a magnitude ``<name>_g`` and a direction ``<name>_v``, recombined by a
    forward pre-hook before every call, as ``torch.nn.utils.weight_norm``.

    .. math::
        \mathbf{w} = g \dfrac{\mathbf{v}}{\|\mathbf{v}\|}

    Args:
        module (Module): the module holding the parameter.
        name (str): the parameter's name. Default: ``"weight"``
        dim (int, optional): the dim whose slices keep their own norm; None: one norm over the whole
            tensor. Default: 0

    Returns:
        the module, with parameters ``<name>_g`` (norms, shaped as ``v`` with size 1 off ``dim``) and
        ``<name>_v`` in place of ``<name>``.

    Raises:
        RuntimeError: a second weight_norm on the same parameter (torch's text). Warns FutureWarning, as
        torch does, pointing at ``parametrizations.weight_norm``. Follows Salimans & Kingma 2016.
    """
    warn("`torch.nn.utils.weight_norm` is deprecated in favor of "
         "`torch.nn.utils.parametrizations.weight_norm`.", FutureWarning)
    for hook in module._forward_pre_hooks.values():
        if isinstance(hook, WeightNorm) and hook.name == name:
            raise RuntimeError(f"Cannot register two weight_norm hooks on the same parameter {name}")
    fn = WeightNorm(name, dim)
    weight = getattr(module, name)
    del module._parameters[name]
    module.register_parameter(name + "_g", Parameter(_norm_except_dim(weight, fn.dim).detach()))
    module.register_parameter(name + "_v", Parameter(weight.detach()))
    setattr(module, name, fn.compute_weight(module))
    module.register_forward_pre_hook(fn)
    return module


def remove_weight_norm(module: Module, name: str = "weight") -> Module:
    """Undo :func:`weight_norm`: ``<name>`` becomes one parameter again, holding the current weight, as
    ``torch.nn.utils.remove_weight_norm``.

    Args:
        module (Module): a module that :func:`weight_norm` was applied to. name (str): the parameter.

    Returns:
        the same module, with ``<name>_g`` and ``<name>_v`` gone.

    Raises:
        ValueError: the module has no weight_norm on ``name`` (torch's text).
    """
    for key, hook in list(module._forward_pre_hooks.items()):
        if isinstance(hook, WeightNorm) and hook.name == name:
            weight = hook.compute_weight(module).detach()
            delattr(module, name)
            del module._parameters[name + "_g"], module._parameters[name + "_v"]
            module.register_parameter(name, Parameter(weight))
            del module._forward_pre_hooks[key]
            return module
    raise ValueError(f"weight_norm of '{name}' not found in {module}")
