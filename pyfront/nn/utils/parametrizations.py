"""Ready-made parametrizations: weight normalisation, spectral norm and orthogonal matrices, as
``torch.nn.utils.parametrizations``."""
from __future__ import annotations

from enum import Enum, auto

from ...tensor import Tensor
from ..modules.module import Module
from . import parametrize

__all__ = ["orthogonal", "spectral_norm", "weight_norm"]


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


class _OrthMaps(Enum):
    """The maps from free parameters onto orthogonal matrices (torch's enum: a pickled module holds one)."""
    matrix_exp = auto()
    cayley = auto()
    householder = auto()


class _Orthogonal(Module):
    """Q orthogonal (unitary when complex) from an unconstrained tensor of the weight's shape.

    matrix_exp and cayley read the lower triangle as a skew-symmetric A and map it to exp(A) or the
    Cayley transform (I - A/2)^-1 (I + A/2); householder reads the strict lower triangle as reflectors and
    the diagonal's signs as the columns' signs. With ``use_trivialization`` the result is ``base @ Q``,
    ``base`` a buffer set on assignment, so the free parameters start at the point -I that maps to I.
    """

    def __init__(self, weight: Tensor, orthogonal_map: _OrthMaps, *, use_trivialization: bool = True) -> None:
        super().__init__()
        if orthogonal_map is _OrthMaps.householder and weight.is_complex():
            raise ValueError("The householder parametrization does not support complex tensors.")
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X: Tensor) -> Tensor:
        from ... import cat, eye, matrix_exp
        from ...linalg import householder_product, solve
        wide = X.size(-2) < X.size(-1)
        if wide:  # every map works on tall matrices: a wide one is the transpose of a tall one
            X = X.mT
        n, k = X.size(-2), X.size(-1)
        if self.orthogonal_map is _OrthMaps.householder:
            reflectors = X.tril(diagonal=-1)
            tau = 2.0 / (1.0 + (reflectors * reflectors).sum(dim=-2))
            # the diagonal's signs choose each column's sign; as ints they carry no gradient
            Q = householder_product(reflectors, tau) * X.diagonal(dim1=-2, dim2=-1).int().unsqueeze(-2)
        else:
            X = X.tril()
            if n != k:  # the n x k lower triangle, padded with zero columns to n x n
                X = cat([X, X.new_zeros(n, n - k).expand(*X.shape[:-2], -1, -1)], dim=-1)
            A = X - X.mH
            if self.orthogonal_map is _OrthMaps.matrix_exp:
                Q = matrix_exp(A)
            else:
                Id = eye(n, dtype=A.dtype, device=A.device)
                Q = solve(Id.add(A, alpha=-0.5), Id.add(A, alpha=0.5))
            if n != k:
                Q = Q[..., :k]
        if hasattr(self, "base"):
            Q = self.base @ Q
        return Q.mT if wide else Q

    def right_inverse(self, Q: Tensor) -> Tensor:
        from ...autograd.grad_mode import no_grad
        with no_grad():
            return self._right_inverse(Q)

    def _right_inverse(self, Q: Tensor) -> Tensor:
        from ... import cat, randn, zeros_like
        from ... import geqrf
        if Q.shape != self.shape:
            raise ValueError(f"Expected a matrix or batch of matrices of shape {self.shape}. "
                             f"Got a tensor of shape {Q.shape}.")
        given = Q
        wide = Q.size(-2) < Q.size(-1)
        if wide:
            Q = Q.mT
        n, k = Q.size(-2), Q.size(-1)
        if not hasattr(self, "base"):
            if self.orthogonal_map is not _OrthMaps.householder:
                # no closed form gives the lower triangle whose exp or Cayley image has these columns
                raise NotImplementedError("It is not possible to assign to the matrix exponential or the "
                                          "Cayley parametrizations when use_trivialization=False.")
            # Q's QR factorisation, with diag(R) made positive: its reflectors are the parameters, the
            # diagonal holds +-1 (flipped where LAPACK skipped a reflection, tau == 0)
            A, tau = geqrf(Q)
            signs = A.diagonal(dim1=-2, dim2=-1)
            signs.copy_(signs.sign().where(tau != 0.0, -signs.sign()))
            return A.mT if wide else A
        if n == k:
            Q = Q.clone() if _is_orthogonal(Q) else _make_orthogonal(Q)
        else:  # random columns complete Q to a square matrix, then QR makes it orthogonal
            Q = _make_orthogonal(cat([Q, randn(*(Q.size()[:-2] + (n, n - k)), dtype=Q.dtype,
                                                    device=Q.device)], dim=-1))
        self.base = Q
        # the parameters that map to the identity (householder reads -1 on the diagonal as +1 columns)
        minus_identity = zeros_like(given)
        minus_identity.diagonal(dim1=-2, dim2=-1).fill_(-1.0)
        return minus_identity


def _is_orthogonal(Q: Tensor) -> bool:
    from ... import allclose, eye, finfo
    n, k = Q.size(-2), Q.size(-1)
    return allclose(Q.mH @ Q, eye(k, dtype=Q.dtype, device=Q.device), atol=10.0 * n * finfo(Q.dtype).eps)


def _make_orthogonal(A: Tensor) -> Tensor:
    """The Q of A = QR (A tall) with diag(R) real and positive."""
    from ... import geqrf
    from ...linalg import householder_product
    X, tau = geqrf(A)
    return householder_product(X, tau) * X.diagonal(dim1=-2, dim2=-1).sgn().unsqueeze(-2)


def orthogonal(module: Module, name: str = "weight", orthogonal_map: str | None = None, *,
               use_trivialization: bool = True) -> Module:
    r"""Constrain ``module.<name>`` (a matrix or a batch of them) to be orthogonal, or unitary when complex:
    :math:`Q^H Q = I` for a tall matrix, :math:`Q Q^H = I` for a wide one; as
    ``torch.nn.utils.parametrizations.orthogonal``.

    Args:
        module (Module): the module holding the tensor.
        name (str): the tensor's name. Default: ``"weight"``
        orthogonal_map (str, optional): ``"matrix_exp"``, ``"cayley"`` or ``"householder"``. Default:
            ``"matrix_exp"`` for a square or complex matrix, else ``"householder"``.
        use_trivialization (bool): keep a ``base`` buffer and parametrize ``base @ Q`` (a dynamic
            trivialization, Lezcano-Casado 2019), which also makes assignment possible for every map.
            Default: ``True``

    Raises:
        ValueError: no such tensor, fewer than 2 dims, an unknown map, or householder of a complex tensor.
    """
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if weight.ndim < 2:
        raise ValueError(f"Expected a matrix or batch of matrices. Got a tensor of {weight.ndim} dimensions.")
    if orthogonal_map is None:
        square = weight.size(-2) == weight.size(-1)
        orthogonal_map = "matrix_exp" if square or weight.is_complex() else "householder"
    kind = _OrthMaps.__members__.get(orthogonal_map) if isinstance(orthogonal_map, str) else None
    if kind is None:
        raise ValueError('orthogonal_map has to be one of "matrix_exp", "cayley", "householder". '
                         f"Got: {orthogonal_map}")
    parametrize.register_parametrization(module, name, _Orthogonal(weight, kind,
                                                                   use_trivialization=use_trivialization),
                                         unsafe=True)
    return module
