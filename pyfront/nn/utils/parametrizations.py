"""Ready-made parametrizations: weight normalisation, as ``torch.nn.utils.parametrizations``."""
from __future__ import annotations

from ...tensor import Tensor
from ..modules.module import Module
from . import parametrize

__all__ = ["weight_norm", "spectral_norm"]


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


class _SpectralNorm(Module):
    """w / sigma(w), sigma the largest singular value of w as a matrix (``dim`` first, the rest
    flattened), estimated by power iteration on the buffers ``_u`` and ``_v`` while training."""

    def __init__(self, weight: Tensor, n_power_iterations: int = 1, dim: int = 0, eps: float = 1e-12) -> None:
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            raise IndexError("Dimension out of range (expected to be in range of "
                             f"[-{ndim}, {ndim - 1}] but got {dim})")
        if n_power_iterations <= 0:
            raise ValueError("Expected n_power_iterations to be positive, but "
                             f"got n_power_iterations={n_power_iterations}")
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            weight_mat = self._reshape_weight_to_matrix(weight)
            h, w = weight_mat.size()
            u = weight_mat.new_empty(h).normal_(0, 1)
            v = weight_mat.new_empty(w).normal_(0, 1)
            self.register_buffer("_u", _normalize(u, eps))
            self.register_buffer("_v", _normalize(v, eps))
            self._power_method(weight_mat, 15)  # a good estimate from the start

    def _reshape_weight_to_matrix(self, weight: Tensor) -> Tensor:
        return weight_matrix(weight, self.dim)

    def _power_method(self, weight_mat: Tensor, n_power_iterations: int) -> None:
        from ...autograd.grad_mode import no_grad
        with no_grad():  # the buffers change in place: a forward's sigma sees this step's estimate
            for _ in range(n_power_iterations):
                self._u.copy_(_normalize(weight_mat.mv(self._v), self.eps))
                self._v.copy_(_normalize(weight_mat.T.mv(self._u), self.eps))

    def forward(self, weight: Tensor) -> Tensor:
        if weight.ndim == 1:
            return _normalize(weight, self.eps)
        weight_mat = self._reshape_weight_to_matrix(weight)
        if self.training:
            self._power_method(weight_mat, self.n_power_iterations)
        u, v = self._u.clone(), self._v.clone()
        sigma = u.dot(weight_mat.mv(v))
        return weight / sigma

    def right_inverse(self, value: Tensor) -> Tensor:
        return value


def weight_matrix(weight: Tensor, dim: int) -> Tensor:
    """``weight`` as the matrix whose spectral norm is taken: ``dim`` first, every other dim flattened."""
    if dim != 0:
        weight = weight.permute(dim, *(d for d in range(weight.dim()) if d != dim))
    return weight.reshape(weight.shape[0], -1)  # a vector (the old hook API takes a bias too): one column


def _normalize(x: Tensor, eps: float) -> Tensor:
    from ..functional import normalize
    return normalize(x, dim=0, eps=eps)


def spectral_norm(module: Module, name: str = "weight", n_power_iterations: int = 1, eps: float = 1e-12,
                  dim: int | None = None) -> Module:
    r"""Divide ``module.<name>`` by its spectral norm (largest singular value), as
    ``torch.nn.utils.parametrizations.spectral_norm``.

    .. math::
        \mathbf{W}_{SN} = \dfrac{\mathbf{W}}{\sigma(\mathbf{W})}, \qquad
        \sigma(\mathbf{W}) = \max_{\mathbf{h} \ne 0} \dfrac{\|\mathbf{W}\mathbf{h}\|_2}{\|\mathbf{h}\|_2}

    ``sigma`` is estimated by power iteration on the parametrization's buffers ``_u`` and ``_v``
    (drawn from the normal distribution, then 15 iterations), ``n_power_iterations`` more at every
    training-mode access; in eval mode the estimate stays.

    Args:
        module (Module): the module holding the parameter.
        name (str): the parameter's name. Default: ``"weight"``
        n_power_iterations (int): power iterations per training access. Default: 1
        eps (float): the normalisation epsilon. Default: 1e-12
        dim (int, optional): the output dim; None: 1 for ConvTranspose, else 0.

    Raises:
        ValueError: no parameter or buffer ``name``, or a non-positive ``n_power_iterations`` (torch's
        texts). Follows Miyato et al. 2018, "Spectral Normalization for GANs".
    """
    from ..modules.conv import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if dim is None:
        dim = 1 if isinstance(module, (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)) else 0
    parametrize.register_parametrization(module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module
