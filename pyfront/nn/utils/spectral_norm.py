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


class SpectralNorm:
    """The forward pre-hook: one power-iteration step in training (updating the buffers in place), then
    ``<name> = <name>_orig / (u . W v)``. Its attributes are torch's class's, so a model holding it pickles
    whole either way."""

    _version = 1  # the state-dict format the hook writes in the metadata (0: no ``<name>_v`` buffer yet)

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



class SpectralNormStateDictHook:
    """Writes the format's version into a state dict's metadata (torch's class of the name)."""

    def __init__(self, fn: SpectralNorm) -> None:
        self.fn = fn

    def __call__(self, module, state_dict, prefix, local_metadata) -> None:
        versions = local_metadata.setdefault("spectral_norm", {})
        key = self.fn.name + ".version"
        if key in versions:
            raise RuntimeError(f"Unexpected key in metadata['spectral_norm']: {key}")
        versions[key] = self.fn._version


class SpectralNormLoadStateDictPreHook:
    """Reads a version-0 state dict (``<name>``, ``<name>_orig`` and ``<name>_u``, no ``<name>_v``; torch's
    class of the name): ``v`` is recovered from ``W_orig v ~ sigma u``, with ``sigma = W_orig / W``."""

    def __init__(self, fn: SpectralNorm) -> None:
        self.fn = fn

    def __call__(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                 error_msgs) -> None:
        name = self.fn.name
        version = local_metadata.get("spectral_norm", {}).get(name + ".version")
        if version is not None and version >= 1:
            return
        key = prefix + name
        today = all(key + s in state_dict for s in ("_orig", "_u", "_v"))
        if version is None and key not in state_dict and today:
            return  # today's keys without the metadata (a state dict built by hand): read as today's
        absent = [key + s for s in ("_orig", "", "_u") if key + s not in state_dict]
        if absent:
            if strict:
                missing_keys.extend(absent)
            return
        from ...linalg import pinv
        with no_grad():
            weight_orig, u = state_dict[key + "_orig"], state_dict[key + "_u"]
            sigma = (weight_orig / state_dict.pop(key)).mean()
            matrix = weight_matrix(weight_orig, self.fn.dim)
            v = pinv(matrix).mv(u)
            state_dict[key + "_v"] = v * (sigma / u.dot(matrix.mv(v)))


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
    module._register_state_dict_hook(SpectralNormStateDictHook(fn))
    module._register_load_state_dict_pre_hook(SpectralNormLoadStateDictPreHook(fn))
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
            for hooks, kind in ((module._state_dict_hooks, SpectralNormStateDictHook),
                                (module._load_state_dict_pre_hooks, SpectralNormLoadStateDictPreHook)):
                for k, h in list(hooks.items()):
                    if isinstance(getattr(h, "hook", h), kind) and getattr(h, "hook", h).fn is hook:
                        del hooks[k]
            return module
    raise ValueError(f"spectral_norm of '{name}' not found in {module}")
