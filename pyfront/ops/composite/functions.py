"""Everyday functions built from primitives: grids, diagonals, distances, NaN-aware math, running
extremes.

Everything here is a composition (where, compare, cat, take_along, norm, ...), so it runs on every
device and its gradient is autograd's; only heaviside has none, as in PyTorch.
"""
from __future__ import annotations

import math
import operator

from ... import _warnings
from ... import dtypes as dt
from ...errors import refuse_halves
from ...dtypes import scalar_name
from ...autograd.function import no_derivative
from ...autograd.graph import also_saves, saved_as_torch
from ...backends import host_rules
from ...autograd.grad_mode import is_grad_enabled
from ...shape import broadcast_shapes, normalize_dim
from ...tensor import Tensor
from .. import return_types
from ..argcheck import must_be, typename
from ..common import Formula
from ..creation import arange, check_storage
from ..dispatch import apply, apply_like
from ..primitives import reductions as red
from ..creation import full
from ..memory_formats import grads_laid_as_inputs, iterated_grads
from ..primitives.elementwise import copysign, isfinite, isinf, isnan, logical_or, nan_to_num_op, where
from ..primitives.shaping import cat
from ..registry import composite
from ..samples import T, s
from ..shell import refuse_kernel
from .complex_numbers import complex as complex_parts
from .linalg import matmul
from .reductions import sort
from .shaping import pad
from ..memory_formats import contiguous_result_always, lays_out

__all__ = ["meshgrid", "diag", "diag_embed", "trace", "cdist", "dist", "nan_to_num", "fmax", "fmin",
           "heaviside", "signbit", "nanmean", "nansum", "msort", "cummax", "cummin"]
METHODS = ("diag diag_embed trace dist nan_to_num fmax fmin heaviside signbit nanmean nansum msort cummax "
           "cummin")
INPLACE = "nan_to_num heaviside"


# -- grids --------------------------------------------------------------------------------------
@composite(samples=lambda: [
    s(T((3,)), T((4,)), indexing="ij"), s(T((3,)), T((4,)), T((2,)), indexing="xy"), s(T((3,)), T((4,))),
    s(T(()), T((2,)), indexing="xy"), s(T((0,)), T((2,)), indexing="ij"), s(T((3,)), indexing="xy"),
    s(T((3,)), T((4,)), indexing="foo"),
    s(T((2,)), T((3,), "int64"), indexing="ij"), s(indexing="ij")])
def meshgrid(*tensors, indexing: str | None = None):
    """Coordinate grids: output k holds ``tensors[k]`` along dim k, expanded over the others (views).

    ``indexing="xy"`` swaps the first two dims (Cartesian, as NumPy's default); without
    ``indexing`` PyTorch warns that it will become required and uses "ij".
    """
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {typename(t)}")
    if indexing is None:
        _warnings.warn_once("torch.meshgrid: in an upcoming release, it will be required to pass the "
                            "indexing argument.")
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}')
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for t in tensors:
        if t.dim() > 1:
            raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: "
                               f"{t}")
    if any(t.dtype is not tensors[0].dtype for t in tensors):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    swap = indexing == "xy" and len(tensors) >= 2
    order = list(tensors)
    if swap:
        order[0], order[1] = order[1], order[0]
    shape = tuple(t.numel() for t in order)
    grids = []
    for k, t in enumerate(order):
        view = [1] * len(order)
        view[k] = -1
        grids.append(t.reshape(view).expand(shape))
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


# -- diagonals ----------------------------------------------------------------------------------
@composite(samples=lambda: [
    s(T((3,))), s(T((3,)), 1), s(T((3,)), -2), s(T((2, 3, 4)), 1, 0, 2), s(T((2, 3)), -1, -1, 0),
    s(T((0,))), s(T((4, 5), layout="transposed")), s(T((3,), "int64"), 2), s(T((2, 3)), 0, 1, 1),
    s(T((3,), "bool"), -1)], grad_fn="DiagEmbedBackward0")
@lays_out(contiguous_result_always)  # torch's fresh zeros, the diagonal written in: whatever dim1 and dim2
def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """A tensor whose diagonals (``offset`` above the main one) between ``dim1`` and ``dim2`` hold the
    last dim of ``input``; zero elsewhere. As ``torch.diag_embed``."""
    if input.requires_grad:  # differentiated as torch's node: the incoming gradient's diagonal (a view)
        return Formula.apply(_diag_embedded, _diag_embed_backward, input, offset, dim1, dim2)
    return _diag_embedded(input, offset, dim1, dim2)


def _diag_embed_backward(g, input, offset, dim1, dim2):
    """torch's formula: ``grad.diagonal(offset, dim1, dim2)``, a strided view of the incoming gradient (the
    sum over the embedding's zeros was a dense copy, and +0 where a diagonal element is -0)."""
    return g.diagonal(offset, dim1, dim2), None, None, None


_diag_embed_backward.saves = ()  # (reads no input)


def _diag_embedded(input, offset, dim1, dim2):
    n_out = input.dim() + 1
    d1, d2 = normalize_dim(dim1, n_out), normalize_dim(dim2, n_out)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    n = input.shape[-1] if input.dim() else 1
    m = n + abs(operator.index(offset))  # (a 0-d integer tensor too)
    _allocated_first([*input.shape[:-1]], (d1, d2), m, input)
    x = pad(input.reshape(*input.shape[:-1], n), (0, abs(offset)))
    values = x.unsqueeze(-1 if offset >= 0 else -2).expand(*x.shape[:-1], m, m)
    rows = arange(m, device=input.device)
    on_diagonal = (rows.unsqueeze(0) - rows.unsqueeze(1)) == offset  # column - row
    out = values.masked_fill(~on_diagonal, 0)
    return out.movedim((-2, -1), (d1, d2)) if (d1, d2) != (n_out - 2, n_out - 1) else out


def _allocated_first(shape: list, dims: tuple, m: int, input) -> None:
    """torch's diag_embed makes its result (``shape`` with ``m`` at both ``dims``) before it writes the
    diagonal: its size checked, and one of 2**31 elements or more allocated, so that a result the machine
    cannot hold is refused at once in the allocator's words (an offset of 2**31 built an 8 GiB row first)."""
    for d in sorted(dims):
        shape.insert(d, m)
    check_storage(shape, input.dtype)
    if math.prod(shape) >= 2 ** 31:
        input.new_empty(shape)


@composite(samples=lambda: [
    s(T((4,))), s(T((4,)), 2), s(T((3, 4))), s(T((3, 4)), -1), s(T((3, 4)), 5),
    s(T((4, 5), layout="transposed"), 1),
    s(T(())), s(T((2, 2, 2))), s(T((0,))), s(T((3,), "int64"), -1)],
           grad_fn=lambda input, *a, **k: (
               "DiagEmbedBackward0" if input.dim() == 1 else "DiagonalBackward0_copy"))
def diag(input, diagonal=0):
    """The ``diagonal``-th diagonal of a matrix (a copy), or a square matrix with a vector on it."""
    if input.dim() == 1:
        return diag_embed(input, diagonal, 0, 1)
    if input.dim() != 2:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.dim()}D")
    return input.diagonal(diagonal).clone()


@composite(samples=lambda: [
    s(T((3, 3))), s(T((3, 5))), s(T((5, 2))), s(T((4, 5), layout="transposed")), s(T((3, 3), "int64")),
    s(T((0, 2))), s(T((3,))), s(T((2, 2), "bool")), s(T((2, 3), "int32"))], grad_fn="TraceBackward0")
def trace(input):
    """The sum of a matrix's main diagonal (int64 for integer inputs), as ``torch.trace``."""
    if input.dim() != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.dim()}")
    if input.dtype is dt.bool_:
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    return input.diagonal().sum()


# -- distances ----------------------------------------------------------------------------------
_CDIST_MODES = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                "donot_use_mm_for_euclid_dist")


def _cdist_uses_mm(x1, x2, p, compute_mode):
    """Whether PyTorch computes this cdist in its matmul form (2-norm, asked for or more than 25 rows)."""
    large = x1.shape[-2] > 25 or x2.shape[-2] > 25
    return p == 2 and (compute_mode == _CDIST_MODES[1] or (compute_mode == _CDIST_MODES[0] and large))


@composite(samples=lambda: [
    s(T((3, 4)), T((5, 4))), s(T((2, 3, 4)), T((2, 5, 4)), p=1.0), s(T((3, 4)), T((5, 4)), 0.0),
    s(T((3, 4)), T((5, 4)), math.inf), s(T((3, 2)), T((4, 2)), 3.5), s(T((1, 3, 4)), T((2, 5, 4))),
    s(T((0, 4)), T((5, 4))), s(T((3, 4)), T((5, 3))), s(T((3,)), T((5, 3))), s(T((3, 4)), T((5, 4)), -1.0),
    s(T((3, 4), "int64"), T((5, 4), "int64")), s(T((4, 3), layout="transposed"), T((5, 4))),
    s(T((30, 3)), T((4, 3))), s(T((2, 3)), T((4, 3)), compute_mode="use_mm_for_euclid_dist"),
    s(T((30, 3)), T((4, 3)), compute_mode="donot_use_mm_for_euclid_dist"),
    s(T((2, 3)), T((4, 3)), compute_mode="x")],
           grad_fn=lambda x1, x2, p=2.0, compute_mode=_CDIST_MODES[0]: (
               None if _cdist_uses_mm(x1, x2, p, compute_mode) else "CdistBackward0"),
           saves="x1 x2 p result")
@grads_laid_as_inputs(0, 1, when=lambda x1, x2, p=2.0, compute_mode=_CDIST_MODES[0]: x1.dim() >= 2 and
                      x2.dim() >= 2 and (_cdist_uses_mm(x1, x2, p, compute_mode) or not x1.numel() * x2.numel()))
def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """The p-norm distance between each row of ``x1`` (…, P, M) and each row of ``x2`` (…, R, M):
    a (…, P, R) tensor; batch dims broadcast. As ``torch.cdist``."""
    if compute_mode not in _CDIST_MODES:  # (torch's Python, before its binding sees anything)
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    # (then its binding's parser: the operands, then a float p, a tensor's too)
    if isinstance(x1, Tensor) and isinstance(x2, Tensor) and not isinstance(p, (int, float, Tensor)):
        raise must_be("cdist", "p", "float", p, 3)
    for name, x in (("X1", x1), ("X2", x2)):
        if x.dim() < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: {x.dim()}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: "
                           f"{x2.shape[-1]}")
    for name, x in (("X1", x1), ("X2", x2)):
        if not x.dtype.is_floating_point:
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: "
                               f"{scalar_name(x.dtype)}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    saved_as_torch(x1, x2)  # torch's cdist saves both (its kernel, or its matmul form's products)
    if _cdist_uses_mm(x1, x2, p, compute_mode):
        for x in (x1, x2):  # torch's form squares each operand with pow first
            if x.dtype in dt.FLOAT8:
                refuse_kernel("pow", x.dtype)
        a, b = _euclidean_operands(x1, x2)
        out = _euclidean_dist(a, b)
        also_saves(out, (None, a), (None, b))
        # PyTorch's matmul path ends in a view to the batch's shape: its node is ViewBackward0
        return out.view(*broadcast_shapes(x1.shape[:-2], x2.shape[:-2]), *out.shape[-2:])
    # torch's distance kernel: float and double only, and x2 read as x1's type; an empty input returns
    # before the kernel's checks (empty, or zeros where M is 0), in x1's dtype
    if x1.numel() == 0 or x2.numel() == 0:
        return red.norm(x1.unsqueeze(-2) - x2.to(x1.dtype).unsqueeze(-3), p, -1)
    refuse_halves("cdist", x1.dtype)
    if x2.dtype is not x1.dtype:
        raise RuntimeError(f"expected scalar type {scalar_name(x1.dtype)} but found {scalar_name(x2.dtype)}")
    return red.norm(x1.unsqueeze(-2) - x2.unsqueeze(-3), p, -1)


def _euclidean_operands(x1, x2):
    """What torch's _euclidean_dist node (EuclideanDistBackward0) keeps, whichever gradient is computed: the
    operands as cdist hands them to it (with a batch of more than one, expanded to the common batch and
    flattened to one batch dim: a copy where that expands it)."""
    batch = broadcast_shapes(x1.shape[:-2], x2.shape[:-2])
    if math.prod(batch) == 1:
        return x1, x2
    return tuple(x.expand(*batch, *x.shape[-2:]).contiguous().view(-1, *x.shape[-2:]) for x in (x1, x2))


def _euclidean_dist(x1, x2):
    """PyTorch's matmul form of the 2-norm distance (|a|^2 + |b|^2 - 2 a.b), with its gradients: it
    needs no (P, R, M) difference tensor."""
    x1_norm = (x1 * x1).sum(-1, keepdim=True)
    x2_norm = (x2 * x2).sum(-1, keepdim=True)
    x1_ = cat([x1 * -2, x1_norm, x1_norm * 0 + 1], -1)
    x2_ = cat([x2, x2_norm * 0 + 1, x2_norm], -1)
    return matmul(x1_, x2_.transpose(-2, -1)).clamp_min(1e-30).sqrt()


@composite(samples=lambda: [
    s(T((3, 4)), T((3, 4))), s(T((3, 4)), T((4,)), 1),
    s(T((3, 4), grad=False), T((3, 4), grad=False), 0),
    s(T((3, 4)), T((3, 1)), math.inf),
    s(T((5,)), T((5,)), 3.5), s(T(()), T(())), s(T((0,)), T((0,))), s(T((3,), "int64"), T((3,), "int64")),
    s(T((3,)), T((3,), "int64"))], grad_fn="DistBackward0", saves="self=input other p result")
def dist(input, other, p=2):
    """The p-norm of ``input - other`` (broadcast), as ``torch.dist``."""
    diff = input - other
    if not (diff.dtype.is_floating_point or diff.dtype.is_complex):
        raise RuntimeError("norm(): input dtype should be either floating point or complex. Got "
                           f"{scalar_name(diff.dtype)} instead.")
    saved_as_torch(input, other)  # torch's dist kernel saves both
    return red.norm(diff, p)


# -- NaN-aware math -----------------------------------------------------------------------------
@composite(samples=lambda: [
    s(T((3, 4), fill="special")), s(T((3, 4), fill="special"), 1.5, 2.0, -3.0), s(T((3, 4))),
    s(T((3, 4), fill="special"), posinf=7.0), s(T((5,), "int64")), s(T((), fill="special")),
    s(T((4, 5), fill="special", layout="transposed"), neginf=0.5), s(T((6,), "float64", fill="special"))],
           grad_fn="NanToNumBackward0", saves="self=input")
@iterated_grads("grad", 0)  # torch's grad * isfinite(self)
def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    """``input`` with NaN, +inf and -inf replaced by ``nan``, ``posinf`` and ``neginf`` (the dtype's
    largest and lowest finite values by default), as ``torch.nan_to_num``."""
    # torch's binding reads each as a double, whatever the dtype: an int past int64 is taken (2**64), one
    # past double's range is Python's OverflowError ("int too large to convert to float")
    nan, posinf, neginf = (float(v) if isinstance(v, int) else v for v in (nan, posinf, neginf))
    if input.dtype.is_complex:  # each part as its real dtype's (torch has no derivative for it)
        if input.requires_grad and is_grad_enabled():
            raise RuntimeError("nan_to_num does not support automatic differentiation for outputs with "
                               "complex dtype.")
        return complex_parts(nan_to_num(input.real, nan, posinf, neginf),
                             nan_to_num(input.imag, nan, posinf, neginf))
    if not input.dtype.is_floating_point:
        return input.clone()
    info = dt.finfo(input.dtype)
    posinf = info.max if posinf is None else posinf
    neginf = info.min if neginf is None else neginf
    if host_rules(input._storage.device):
        return apply_like(input, nan_to_num_op, input, nan=nan, posinf=posinf, neginf=neginf)
    if input.requires_grad:  # differentiated by torch's formula, as nan_to_num_op's
        return Formula.apply(_replaced, _times_finite, input, nan, posinf, neginf)
    return _replaced(input, nan, posinf, neginf)


def _replaced(input, nan, posinf, neginf):
    """nan_to_num's selections (where the cpu's one kernel is not: webgpu, the browser's cpu)."""
    # the replacements are cast to the dtype, so a float32 input gets float32's largest for 1e300
    out = where(isnan(input), _as(nan, input), input)
    out = where(isinf(input) & (input > 0), _as(posinf, input), out)
    return where(isinf(input) & (input < 0), _as(neginf, input), out)


def _times_finite(g, input, *numbers):
    """torch's nan_to_num derivative, grad * isfinite(self): multiplied, not selected, so an infinite or NaN
    g gives NaN where the input is not finite, a negative one -0.0 (the selections' own gradient: +0)."""
    return (g * isfinite(input), *(None for _ in numbers))


def _as(value, like):
    """``value`` as a 0-d tensor of ``like``'s dtype: cast as torch's kernel casts the double
    (``static_cast<scalar_t>``, through float for the 16-bit dtypes): past the dtype's range it is inf,
    never full's overflow error."""
    wide = full((), value, dtype=dt.float64, device="cpu")  # on the host, whatever the default device
    if like.dtype is not dt.float64:
        wide = wide.to(dt.float32)
    return wide.to(dtype=like.dtype, device=like.device)


def _fpair_samples():
    return [s(T((3, 4), fill="special"), T((3, 4), fill="special", shift=3)), s(T((3, 1)), T((1, 4))),
            s(T((3, 4)), T((3, 4))), s(T((5,), "int64"), T((5,), "int64")), s(T((4,)), T((4,), "int64")),
            s(T(()), T((2, 3), layout="transposed")), s(T((0, 3)), T((3,))), s(T((3,)), 2.0)]


@composite(samples=_fpair_samples, grad_fn="FmaxBackward0", saves="self=input other")
@iterated_grads(grads_of=(0, 1))  # torch's grad.masked_fill(...): a contiguous clone of the gradient
def fmax(input, other):
    """The elementwise maximum, where a NaN loses to a number (NaN only where both are), as ``torch.fmax``."""
    if not isinstance(other, Tensor):
        raise TypeError(f"fmax(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
    red.refuse_complex_order(input, "fmax not implemented for complex tensors.")
    saved_as_torch(input, other)  # torch's fmax kernel saves both
    return where(logical_or(input >= other, isnan(other)), input, other)


@composite(samples=_fpair_samples, grad_fn="FminBackward0", saves="self=input other")
@iterated_grads(grads_of=(0, 1))  # torch's grad.masked_fill(...): a contiguous clone of the gradient
def fmin(input, other):
    """The elementwise minimum, where a NaN loses to a number (NaN only where both are), as ``torch.fmin``."""
    if not isinstance(other, Tensor):
        raise TypeError(f"fmin(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
    red.refuse_complex_order(input, "fmin not implemented for complex tensors.")
    saved_as_torch(input, other)  # torch's fmin kernel saves both
    return where(logical_or(input <= other, isnan(other)), input, other)


@composite(samples=lambda: [
    s(T((3, 4), fill="special"), T(())), s(T((3, 4), "int64", low=-1, high=2), T((3, 4), "int64")),
    s(T((3, 4)), T((3, 4), "int64")), s(T((3, 1), low=-1.0, high=1.0), T((1, 4))), s(T((0,)), T(())),
    s(T((4, 5), layout="transposed"), T((4, 5)))])
def heaviside(input, values):
    """The Heaviside step: 0 where ``input`` < 0, ``values`` where it is 0, 1 where it is > 0."""
    red.refuse_complex_order(input, "heaviside is not yet implemented for complex tensors.")
    if input.dtype is not values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    out = where(input == 0, values.detach(), (input.detach() > 0).to(input.dtype))
    if input.requires_grad or values.requires_grad:
        return no_derivative(out, "derivative for aten::heaviside is not implemented", input, values)
    return out


@composite(grad=False, samples=lambda: [
    s(T((3, 4), fill="special")), s(T((5,), "int64")), s(T((3,), "bool")), s(T((0,))), s(T(())),
    s(T((4, 5), fill="special", layout="transposed"))])
def signbit(input):
    """Whether the sign bit is set: True for negatives, -0.0 and a negative NaN (copysign reads it, on every
    device; a comparison cannot)."""
    if input.dtype is dt.bool_ or input.dtype is dt.uint8:
        return input != input
    red.refuse_complex_order(input, "signbit is not implemented for complex tensors.", NotImplementedError)
    if not input.dtype.is_floating_point:
        return input < 0
    x = input.detach()
    return copysign(full((), 1.0, dtype=x.dtype, device=x.device), x) < 0


def _nan_samples():
    return [s(T((3, 4), fill="special")), s(T((3, 4), fill="special"), 1), s(T((2, 3, 4)), (0, 2), True),
            s(T(())), s(T((0, 3)), 1), s(T((4, 5), fill="special", layout="transposed"), 0),
            s(T((3, 4), "int64")), s(T((3, 4)), 2)]


_NANSUM_COMPLEX = "nansum on CPU does not support complex inputs"


def _not_nan(input):
    if not input.dtype.is_floating_point:
        return input
    if input.requires_grad:  # torch's nansum derivative, grad * self.isnan().logical_not(): see _times_finite
        return Formula.apply(_zero_nan, lambda g, x: g * ~isnan(x), input)
    return _zero_nan(input)


def _zero_nan(input):
    return where(isnan(input), 0, input)


@composite(samples=_nan_samples, grad_fn="NansumBackward0", saves="self=input dim[] keepdim")
def nansum(input, dim=None, keepdim=False, *, dtype=None):
    """The sum over ``dim`` treating NaN as zero, as ``torch.nansum``."""
    red.reduce_dims(dim, input.dim())  # (the dims' range before the dtype, as torch)
    red.refuse_complex_order(input, _NANSUM_COMPLEX)
    return _not_nan(input).sum(dim, keepdim, dtype=dtype)


@composite(samples=_nan_samples)
def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    """The mean over ``dim`` of the elements that are not NaN (NaN where all are), as ``torch.nanmean``."""
    if not (input.dtype.is_floating_point or input.dtype.is_complex):  # (then its nansum's checks)
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype but got "
                           f"{scalar_name(input.dtype)}")
    red.reduce_dims(dim, input.dim())
    red.refuse_complex_order(input, _NANSUM_COMPLEX)
    if dtype is not None and not dtype.is_floating_point:
        raise RuntimeError("nanmean(): could not infer output dtype. Optional dtype must be either a "
                           f"floating point or complex dtype. Got: {scalar_name(dtype)}")
    count = (~isnan(input)).sum(dim, keepdim)
    return nansum(input, dim, keepdim, dtype=dtype) / count


@composite(samples=lambda: [s(T((4, 3))), s(T((5,))), s(T(())), s(T((0, 2))), s(T((6, 2), "int64")),
                            s(T((4, 5), layout="transposed"))])
def msort(input):
    """``input`` sorted along its first dim (values only), as ``torch.msort``."""
    return sort(input, 0).values


# -- running extremes ---------------------------------------------------------------------------
def _shift(t, step, d):
    """``t`` moved ``step`` places later along ``d`` (the first ``step`` places repeat the start)."""
    n = t.shape[d]
    return cat([t.narrow(d, 0, step), t.narrow(d, 0, n - step)], d)


def _cumulative(name, input, dim, later_wins):
    """(values, indices) of the running extreme along ``dim``: on the cpu one running pass, elsewhere a
    scan in log2(n) doubling steps, each combining a segment with the one ``step`` before it; the later
    element wins ties and NaN beats every number (a later NaN too), as PyTorch's cummax/cummin."""
    if input.dim() == 0:
        if dim not in (0, -1):  # (torch's own words for a 0-d input's dim)
            raise IndexError(f"{name}(): Expected reduction dim -1 or 0 for scalar but got {dim}")
        return getattr(return_types, name)(input.clone(), input.new_zeros((), dtype=dt.int64).detach())
    if not input.numel():  # (torch's kernel runs on elements only, no dim checked: an empty complex passes)
        indices = input.new_zeros(input.shape, dtype=dt.int64).detach()
        return getattr(return_types, name)(input.clone(), indices)
    d = normalize_dim(dim, input.dim())
    red.refuse_complex_order(input, f"\"{name}_cpu\" not implemented for '{{}}'", NotImplementedError)
    if host_rules(input._storage.device):  # one running pass (the scan below is for the GPU)
        idx = apply(red.extreme_index, input.detach(), dim=d, largest=name == "cummax")
        return getattr(return_types, name)(input.gather(d, idx), idx)
    n = input.shape[d]
    view = [1] * input.dim()
    view[d] = n
    pos = arange(n, device=input.device).reshape(view)
    v, idx = input.detach(), pos.expand(input.shape)
    step = 1
    while step < n:
        pv, pi = _shift(v, step, d), _shift(idx, step, d)
        take = logical_or(later_wins(v, pv), isnan(v)) if v.dtype.is_floating_point else later_wins(v, pv)
        take = logical_or(take, pos < step)
        v, idx = where(take, v, pv), where(take, idx, pi)
        step *= 2
    idx = idx.contiguous()
    return getattr(return_types, name)(input.gather(d, idx), idx)


def _cum_samples():
    return [s(T((3, 8)), 1), s(T((9,)), 0), s(T((2, 3, 4)), -2), s(T((6,), "int64", low=0, high=3), 0),
            s(T((5,), fill="special"), 0), s(T(()), 0), s(T((0, 3)), 0), s(T((3, 4)), 2),
            s(T((4, 5), layout="transposed"), 1), s(T((7,), "bool"), 0), s(T((6,), "uint8"), 0),
            s(T((3, 1), layout="expanded", expand_to=(3, 5)), 1)]


@composite(samples=_cum_samples, grad_fn="CummaxBackward0", saves="self=input dim")
def cummax(input, dim):
    """(values, indices) of the running maximum along ``dim``, as ``torch.cummax``."""
    return _cumulative("cummax", input, dim, lambda later, earlier: later >= earlier)


@composite(samples=_cum_samples, grad_fn="CumminBackward0", saves="self=input dim")
def cummin(input, dim):
    """(values, indices) of the running minimum along ``dim``, as ``torch.cummin``."""
    return _cumulative("cummin", input, dim, lambda later, earlier: later <= earlier)

