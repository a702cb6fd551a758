"""``nn.utils.spectral_norm`` / ``remove_spectral_norm``: the hook-based spectral normalisation (Miyato et
al. 2018, "Spectral Normalization for Generative Adversarial Networks"), which torch keeps beside
``parametrizations.spectral_norm`` and which older GAN checkpoints were saved with.

The module keeps ``<name>_orig`` (the parameter) and the power-iteration vectors ``<name>_u`` and
``<name>_v`` (buffers), so its state dict has torch's keys and loads either way; ``<name>`` itself is a
plain attribute that a forward pre-hook recomputes as ``<name>_orig / sigma`` before every call."""
from __future__ import annotations

from ...autograd.grad_mode import no_grad
from ..modules.module import Module
from ..parameter import Parameter
from .parametrizations import _normalize, weight_matrix

__all__ = ["spectral_norm", "remove_spectral_norm"]

_VERSION = 1  # the state-dict format torch's hook writes in the metadata (and reads back)


class SpectralNorm:
    """The forward pre-hook: one power-iteration step in training (updating the buffers in place), then
    ``<name> = <name>_orig / (u . W v)``."""

    def __init__(self, name: str, n_power_iterations: int, dim: int, eps: float) -> None:
        if n_power_iterations <= 0:
            raise ValueError("Expected n_power_iterations to be positive, but "
                             f"got n_power_iterations={n_power_iterations}")
        self.name, self.n_power_iterations, self.dim, self.eps = name, n_power_iterations, dim, eps

    def compute_weight(self, module: Module, do_power_iteration: bool):
        weight = getattr(module, self.name + "_orig")
        u, v = getattr(module, self.name + "_u"), getattr(module, self.name + "_v")
        matrix = weight_matrix(weight, self.dim)
        if do_power_iteration:
            with no_grad():  # the estimate is a constant of the graph; the buffers keep it for the next call
                for _ in range(self.n_power_iterations):
                    v.copy_(_normalize(matrix.mT.mv(u), self.eps))
                    u.copy_(_normalize(matrix.mv(v), self.eps))
            # copies, so the next call's in-place update does not modify what this graph saved
            u, v = u.clone(), v.clone()
        return weight / u.dot(matrix.mv(v))

    def __call__(self, module: Module, inputs) -> None:
        setattr(module, self.name, self.compute_weight(module, do_power_iteration=module.training))

    def state_dict_hook(self, module, state_dict, prefix, local_metadata) -> None:
        local_metadata.setdefault("spectral_norm", {})[self.name + ".version"] = _VERSION


def spectral_norm(module: Module, name: str = "weight", n_power_iterations: int = 1, eps: float = 1e-12,
                  dim: int | None = None) -> Module:
    r"""Divide ``module.<name>`` by its largest singular value before every call, estimated by power
    iteration, as ``torch.nn.utils.spectral_norm`` (the hook API).

    .. math::
        \mathbf{W}_{SN} = \dfrac{\mathbf{W}}{\sigma(\mathbf{W})}, \qquad
        \sigma(\mathbf{W}) \approx \mathbf{u}^\top \mathbf{W} \mathbf{v}

    W is taken as a matrix with ``dim`` first and every other dim flattened; ``u`` and ``v`` start as
    normalised normal draws and take ``n_power_iterations`` steps at each training-mode call.

    Args:
        module (Module): the module holding the parameter.
        name (str): the parameter's name. Default: ``"weight"``
        n_power_iterations (int): power iterations per training call. Default: 1
        eps (float): the normalisation epsilon. Default: 1e-12
        dim (int, optional): the output dim; None: 1 for ConvTranspose, else 0.

    Returns:
        the module, with parameter ``<name>_orig`` and buffers ``<name>_u`` (rows) and ``<name>_v``
        (columns) in place of the parameter ``<name>``.

    Raises:
        RuntimeError: a second spectral_norm on the same parameter; ValueError: a non-positive
        ``n_power_iterations``; KeyError: no parameter ``name`` (torch's types and texts).
    """
    from ..modules.conv import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
    for hook in module._forward_pre_hooks.values():
        if isinstance(hook, SpectralNorm) and hook.name == name:
            raise RuntimeError(f"Cannot register two spectral_norm hooks on the same parameter {name}")
    if dim is None:
        dim = 1 if isinstance(module, (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)) else 0
    fn = SpectralNorm(name, n_power_iterations, dim, eps)
    weight = module._parameters[name]
    with no_grad():
        rows, cols = weight_matrix(weight, dim).shape
        u = _normalize(weight.new_empty(rows).normal_(0, 1), eps)
        v = _normalize(weight.new_empty(cols).normal_(0, 1), eps)
    del module._parameters[name]
    module.register_parameter(name + "_orig", weight)
    setattr(module, name, weight.detach())
    module.register_buffer(name + "_u", u)
    module.register_buffer(name + "_v", v)
    module.register_forward_pre_hook(fn)
    fn.state_dict_handle = module.register_state_dict_post_hook(fn.state_dict_hook)
    return module


def remove_spectral_norm(module: Module, name: str = "weight") -> Module:
    """Undo :func:`spectral_norm`: ``<name>`` becomes one parameter holding the normalised weight (with the
    current ``u``, ``v``, no iteration), as ``torch.nn.utils.remove_spectral_norm``.

    Args:
        module (Module): a module spectral_norm was applied to. name (str): the parameter.

    Returns:
        the same module, without ``<name>_orig``, ``<name>_u``, ``<name>_v`` and the hooks.

    Raises:
        ValueError: the module has no spectral_norm on ``name`` (torch's text).
    """
    for key, hook in list(module._forward_pre_hooks.items()):
        if isinstance(hook, SpectralNorm) and hook.name == name:
            weight = hook.compute_weight(module, do_power_iteration=False).detach()
            delattr(module, name)
            del module._parameters[name + "_orig"]
            del module._buffers[name + "_u"], module._buffers[name + "_v"]
            module.register_parameter(name, Parameter(weight))
            del module._forward_pre_hooks[key]
            hook.state_dict_handle.remove()
            return module
    raise ValueError(f"spectral_norm of '{name}' not found in {module}")
