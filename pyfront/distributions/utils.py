"""Helpers of the distributions, as ``torch.distributions.utils``: broadcasting parameters, probs and
logits, and the special functions (lgamma, digamma) composed of pyfront ops so that they run, and
differentiate, on every device."""

from __future__ import annotations

import math
from numbers import Number

from .. import dtypes as dt
from ..autograd import enable_grad
from ..ops.creation import tensor as _tensor
from ..ops.primitives.elementwise import where
# torch's distributions call torch.lgamma and torch.digamma: the same kernels (an own Lanczos series gave
# lgamma(1) = 4.8e-7, so Poisson(0).log_prob(0) was not 0)
from ..ops.primitives.special import digamma, lgamma  # noqa: F401  (re-exported to the distributions)
from ..shape import broadcast_shapes
from ..tensor import Tensor

__all__ = [
    "broadcast_all",
    "logits_to_probs",
    "probs_to_logits",
    "clamp_probs",
    "lazy_property",
    "lgamma",
    "xlogy",
    "digamma",
    "tril_matrix_to_vec",
    "vec_to_tril_matrix",
]


def broadcast_all(*values):
    """Numbers become tensors of the first tensor's dtype and device (the default dtype if none); all
    are broadcast to one shape, as ``torch.distributions.utils.broadcast_all``."""
    if not all(isinstance(v, (Tensor, Number)) for v in values):
        raise ValueError(
            "Input arguments must all be instances of Number, torch.Tensor or objects implementing "
            "__torch_function__."
        )
    like = next((v for v in values if isinstance(v, Tensor)), None)
    options = (
        dict(dtype=like.dtype, device=like.device) if like is not None else dict(dtype=dt.get_default_dtype())
    )
    values = [v if isinstance(v, Tensor) else _tensor(v, **options) for v in values]
    shape = broadcast_shapes(*(tuple(v.shape) for v in values))
    # a parameter already of the shape is kept as it is (no expand node), as torch's broadcast_tensors
    return tuple(v if tuple(v.shape) == shape else v.expand(shape) for v in values)


def clamp_probs(probs):
    """Probabilities kept inside (0, 1) by the dtype's eps, so their logs stay finite."""
    eps = dt.finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def logits_to_probs(logits, is_binary=False):
    return logits.sigmoid() if is_binary else logits.softmax(-1)


def probs_to_logits(probs, is_binary=False):
    p = clamp_probs(probs)
    return p.log() - (-p).log1p() if is_binary else p.log()


class lazy_property:
    """A property computed once per instance (with grad enabled, as torch's), then stored on it."""

    def __init__(self, wrapped):
        self.wrapped = wrapped
        self.__doc__ = wrapped.__doc__

    def __get__(self, instance, obj_type=None):
        if instance is None:
            return self
        with enable_grad():
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value


class BinaryParam:
    """The success probability of a trial given as ``probs`` or ``logits`` (exactly one); the other is
    derived on first use. Families mixing this in call ``_set_binary_param`` before
    ``Distribution.__init__`` and expand with ``_expanded(..., "probs", "logits")``."""

    def _set_binary_param(self, probs, logits, *others):
        """Broadcasts the given parameter with ``others`` (as ``broadcast_all``) and returns them; the
        batch shape is () when the parameter is a number."""
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        given = probs if probs is not None else logits
        param, *others = broadcast_all(given, *others)
        setattr(self, "probs" if probs is not None else "logits", param)
        return param, others

    @property
    def _param(self):
        return self.__dict__["probs"] if "probs" in self.__dict__ else self.__dict__["logits"]

    @lazy_property
    def logits(self):
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self):
        return logits_to_probs(self.logits, is_binary=True)

    @property
    def param_shape(self):
        return self._param.size()


def sum_rightmost(value, dim: int):
    """Sum out the ``dim`` right-most dims."""
    return value.reshape(tuple(value.shape[: value.dim() - dim]) + (-1,)).sum(-1) if dim > 0 else value


EULER_GAMMA = 0.57721566490153286061  # the Euler-Mascheroni constant, the mean of a standard Gumbel

def xlogy(x, y):
    """``x * log(y)``, 0 where x is 0 (unless y is nan), as ``torch.xlogy``."""
    return where((x == 0) & (y == y), 0.0, x * y.log())


def erfinv(y):
    """The inverse error function on [-1, 1]: Giles' single-precision approximation (2010, about 4e-7
    relative where float32 can tell y from ±1), refined by two Newton steps on ``erf``. Near ±1 ``erf``
    loses the digits of ``1 - |y|``: float32 keeps Giles' value in its tails (1 - |y| < 0.3), float64
    always refines, exact to rounding for 1 - |y| above 1e-9 and to about 1e-5 relative at 1e-12 (no
    erfc to do better)."""
    eps = dt.finfo(y.dtype).eps
    edge = y.abs() >= 1
    y_in = y
    y = where(edge, 0.0, y)  # the edges are constants below; their graph must not make nan gradients
    w = -((1 - y) * (1 + y)).clamp(min=dt.finfo(y.dtype).tiny).log()
    central = w - 2.5
    p = 2.81022636e-08
    for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
              -0.00417768164, 0.246640727, 1.50140941):
        p = p * central + c
    tail = where(w < 5, 5.0, w).sqrt() - 3  # sqrt's gradient at w = 0 (y = 0) would be infinite
    q = -0.000200214257
    for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
              0.00943887047, 1.00167406, 2.83297682):
        q = q * tail + c
    x = where(w < 5, p, q) * y
    refine = (1 - y.abs() > eps / 4e-7) | (y.dtype is dt.float64)
    for _ in range(2):
        step = (x.erf() - y) / (2 / math.sqrt(math.pi) * (-x * x).exp())
        x = x - where(refine, step, 0.0)
    x = where(y_in == 1, math.inf, where(y_in == -1, -math.inf, x))
    return where(edge & (y_in.abs() != 1), math.nan, x)


def _tril_positions(n: int, diag: int):
    """Flat positions (row-major) of the entries of an n x n matrix on or below diagonal ``diag``."""
    return [i * n + j for i in range(n) for j in range(n) if j - i <= diag]


def tril_matrix_to_vec(mat, diag: int = 0):
    """The entries of ``mat``'s last two dims on or below diagonal ``diag``, row by row."""
    from ..ops.creation import tensor as make

    n = mat.shape[-1]
    index = make(_tril_positions(n, diag), device=mat.device)
    return mat.reshape(tuple(mat.shape[:-2]) + (-1,))[..., index]


def vec_to_tril_matrix(vec, diag: int = 0):
    """The inverse of ``tril_matrix_to_vec``: a square matrix, zero above diagonal ``diag``, whose lower
    part is ``vec`` row by row. The size n solves ``count(n) = vec.shape[-1]``."""
    from ..ops.creation import tensor as make
    from ..ops.primitives.shaping import cat

    count = vec.shape[-1]
    # entries on or below diagonal diag: n (n + 1) / 2 + diag n - diag (|diag| + 1) / 2 for diag <= 0
    b = 1 + 2 * diag
    n = round((-b + math.sqrt(b * b + 8 * count + 4 * abs(diag) * (diag + 1))) / 2)
    positions = _tril_positions(n, diag)
    if len(positions) != count:
        raise RuntimeError(
            f"shape mismatch: value tensor of shape [{count}] cannot be broadcast to indexing result of "
            f"shape [{len(positions)}]"
        )
    # each matrix entry reads vec's entry for it, or the zero put in front of vec
    where_from = [0] * (n * n)
    for k, p in enumerate(positions):
        where_from[p] = k + 1
    padded = cat([vec.new_zeros(tuple(vec.shape[:-1]) + (1,)), vec], -1)
    picked = padded[..., make(where_from, device=vec.device)]
    return picked.reshape(tuple(vec.shape[:-1]) + (n, n))
