"""Statistics and integrals built from sort, gather, cumsum and matmul: cov, corrcoef, quantile,
nanquantile, nanmedian, aminmax, logcumsumexp, trapezoid, cumulative_trapezoid, histogram, histogramdd,
renorm.
Their gradients are autograd's; nanmedian's whole-tensor form shares it among ties, as PyTorch."""
from __future__ import annotations

import math

from ... import _warnings
from ... import dtypes as dt
from ...autograd.dual import carries
from ...autograd.function import Function, no_derivative
from ...shape import normalize_dim
from ...tensor import Tensor
from .. import return_types
from ..dispatch import apply
from ..creation import full, full_like, linspace, tensor, zeros
from ..argcheck import invalid_combination, must_be
from ..common import Formula, in_float32
from ..primitives import reductions as red
from ..primitives.elementwise import isnan, maximum, where
from ..primitives.special import logaddexp
from ..primitives.indexing import gather_op
from ..primitives.shaping import cat
from ..on_meta import refuse_on_meta
from ..registry import composite
from ..samples import T, s
from ..shell import refuse_accumulation
from .complex_numbers import complex as complex_parts
from .math import lerp
from .reductions import _refuse_median, sort
from .sets import _fmt, bincount, searchsorted
from ..memory_formats import contiguous_result, lays_out

__all__ = ["cov", "corrcoef", "quantile", "nanquantile", "nanmedian", "aminmax", "logcumsumexp", "trapezoid",
           "trapz", "cumulative_trapezoid", "histogram", "histogramdd", "renorm", "matrix_power",
           "matrix_exp"]
METHODS = ("cov corrcoef quantile nanquantile nanmedian aminmax logcumsumexp histogram renorm matrix_power "
           "matrix_exp")
INPLACE = "renorm"


# -- covariance ---------------------------------------------------------------------------------
@composite(samples=lambda: [
    s(T((3, 5))), s(T((6,))), s(T((2, 4)), correction=0), s(T((4, 5), layout="transposed")),
    s(T((3, 5), "int64")), s(T((2, 1))), s(T((3, 4)), fweights=T((4,), "int64", low=0, high=4)),
    s(T((3, 4)), aweights=T((4,), low=0.1, high=2)), s(T((2, 2, 2)))], grad_fn="SqueezeBackward0")
def cov(input, *, correction=1, fweights=None, aweights=None):
    """The covariance matrix of the variables in the rows of ``input`` (observations in columns),
    ``sum_i w_i (x_i - mean)(y_i - mean) / (sum w - correction)``, frequency and observation weights
    ``fweights``/``aweights`` as NumPy's, as ``torch.cov``. Warns, as torch, when the degrees of
    freedom are not positive; raises RuntimeError for more than 2 dims."""
    if input.dim() > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an input with "
                           f"{input.dim()} dimensions")
    if input.dtype is dt.bool_:
        raise RuntimeError("cov(): bool dtype is not supported for input")
    x = input.reshape(1, -1) if input.dim() < 2 else input
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        x = x.to(dt.get_default_dtype())
    n = x.shape[1]
    w = None
    for kind, weights in (("fweights", fweights), ("aweights", aweights)):
        if weights is not None:
            _check_weights(kind, weights, n)
            w = weights if w is None else w * weights
    if w is not None:  # torch weighs the input as it is: a shell dtype's promotion with the weights refused
        dt.promote_types(input.dtype, w.dtype)
    if w is None:
        avg = x.mean(1)
        norm = n - correction
    else:
        w_sum = w.sum()
        avg = (x * w).sum(1) / w_sum
        norm = w_sum - (correction * (w * aweights).sum() / w_sum if aweights is not None else correction)
    if (norm <= 0) if isinstance(norm, (int, float)) else bool((norm <= 0).item()):
        _warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less than the "
                       "number of observations.", UserWarning)
        norm = maximum(norm, zeros((), device=x.device)) if isinstance(norm, Tensor) else 0
    xm = x - avg.unsqueeze(1)
    xw = xm if w is None else xm * w
    xw = xw.t().conj() if xw.dtype.is_complex else xw.t()  # (torch's conj of a real tensor is itself)
    return (xm @ xw / norm).squeeze()


def _check_weights(kind: str, w: Tensor, n: int) -> None:
    """ATen's checks of cov's frequency (integer) and observation (float) weights, in its order."""
    if w.dim() > 1:
        raise RuntimeError(f"cov(): expected {kind} to have one or fewer dimensions but got {kind} with "
                           f"{w.dim()} dimensions")
    integral = kind == "fweights"
    if (w.dtype.is_floating_point or w.dtype is dt.bool_) if integral else not w.dtype.is_floating_point:
        raise RuntimeError(f"cov(): expected {kind} to have {'integral' if integral else 'floating point'} "
                           f"dtype but got {kind} with {dt.scalar_name(w.dtype)} dtype")
    if w.numel() != n:
        raise RuntimeError(f"cov(): expected {kind} to have the same numel as there are observations in the "
                           f"input but got {w.numel()} != {n}")
    if n and bool((w.min() < 0).item()):
        raise RuntimeError(f"cov(): {kind} cannot be negative")


@composite(samples=lambda: [s(T((3, 5))), s(T((6,))), s(T((4, 5), layout="transposed")),
                            s(T((3, 5), "int64")),
                            s(T((2, 1)))],
           grad_fn=lambda input: "DivBackward0" if input.dim() < 2 or input.shape[0] == 1 else
           "ClampBackward1")
def corrcoef(input):
    """The Pearson correlation coefficients of the rows of ``input`` (``cov`` normalized by the
    standard deviations, clipped to [-1, 1]), as ``torch.corrcoef``."""
    c = cov(input)
    if c.dim() == 0:
        return c / c
    d = c.diagonal()
    std = (d.real if d.dtype.is_complex else d).sqrt()
    c = c / std.unsqueeze(1)
    c = c / std.unsqueeze(0)
    if c.dtype.is_complex:  # each part clipped, as torch's
        return complex_parts(c.real.clamp(-1, 1), c.imag.clamp(-1, 1))
    return c.clamp(-1, 1)


# -- order statistics ---------------------------------------------------------------------------
_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(name, input, q, dim, keepdim, interpolation, ignore_nan):
    """torch's quantile: sort, a rank per q (q * (count - 1); the last place where the row holds NaN
    and NaN is not ignored), then the neighbouring sorted values, interpolated. Its checks in its order: a
    number q's range, the interpolation's name, then quantile_checks (an empty input, q's rank, the input's
    dtype, q's), then a tensor q's values."""
    scalar_q = not isinstance(q, Tensor)
    if scalar_q and not 0 <= q <= 1:
        raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {q:g}")  # C++'s printing
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(f"{name}() interpolation must be one of linear, lower, higher, midpoint or "
                           f"nearest, but got {interpolation}")
    if input.numel() == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    if not scalar_q and q.dim() > 1:
        raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
    if input.dtype not in (dt.float32, dt.float64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if scalar_q:
        q = tensor([q], dtype=input.dtype, device=input.device)
    else:
        if q.dtype is not input.dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
        if bool(((q < 0) | (q > 1)).any().item()):
            raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
        q = q.reshape(-1)
    if dim is None:
        x, kept = input.reshape(-1), [1] * input.dim() if keepdim else []
    else:
        d = normalize_dim(dim, max(input.dim(), 1))
        x = input.movedim(d, -1) if input.dim() else input.reshape(1)
        kept = list(input.shape)
        if input.dim():
            kept[d:d + 1] = [1] if keepdim else []
    values = sort(x, -1, stable=True).values
    n = values.shape[-1]
    if ignore_nan:
        count = (~isnan(values)).sum(-1, keepdim=True)
        ranks = where(count == 0, 0.0, q * (count - 1).to(q.dtype))
    else:
        ranks = where(isnan(values.narrow(-1, n - 1, 1)), float(n - 1), q * (n - 1))
    ranks = ranks.expand(*values.shape[:-1], q.shape[0])
    if interpolation in ("lower", "higher", "nearest"):
        ranks = {"lower": ranks.floor, "higher": ranks.ceil, "nearest": ranks.round}[interpolation]()
    below = ranks.long()
    out = values.gather(-1, below)
    if interpolation in ("linear", "midpoint"):
        above = values.gather(-1, ranks.ceil().long())
        weight = ranks - below.to(ranks.dtype) if interpolation == "linear" else 0.5
        out = lerp(out, above, weight)
    out = out.movedim(-1, 0).reshape(q.shape[0], *kept)
    return out.squeeze(0) if scalar_q else out


def _quantile_samples():
    return [s(T((3, 5)), 0.3), s(T((7,)), 0.5), s(T((3, 5)), T((3,), low=0, high=1, grad=False), 1),
            s(T((3, 5)), 0.25, 0, True), s(T((3, 5)), 0.4, None, True),
            s(T((4, 5), layout="transposed"), 0.7, 1),
            s(T((3, 5)), 0.4, 1, interpolation="lower"), s(T((3, 5)), 0.4, 1, interpolation="higher"),
            s(T((3, 5)), 0.5, 1, interpolation="nearest"), s(T((3, 5)), 0.3, 1, interpolation="midpoint"),
            s(T((3, 4), fill="special"), 0.5, 1), s(T(()), 0.2), s(T((3, 5)), 1.5), s(T((3,), "int64"), 0.5),
            s(T((3, 5)), 0.5, interpolation="foo"), s(T((0,)), 0.5)]


@composite(samples=_quantile_samples, grad_fn="SqueezeBackward4")
def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    """The ``q``-th quantiles of ``input`` (of all of it, or along ``dim``), interpolated between the
    two nearest sorted values as ``interpolation`` says; a row holding NaN gives NaN. As
    ``torch.quantile``; a 1-D ``q`` puts one result per q in a new first dim. Raises RuntimeError, as
    torch, for a non-float input, q outside [0, 1] or an unknown interpolation."""
    return _quantile("quantile", input, q, dim, keepdim, interpolation, False)


@composite(samples=_quantile_samples, grad_fn="SqueezeBackward4")
def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    """``quantile`` ignoring NaN (a row of only NaN gives NaN), as ``torch.nanquantile``."""
    return _quantile("quantile", input, q, dim, keepdim, interpolation, True)  # torch's messages say so


class _SharedTies(Function):
    """A whole-tensor order statistic whose gradient is shared evenly among the elements equal to it
    (all the NaNs where it is NaN), PyTorch's evenly_distribute_backward."""

    @staticmethod
    def forward(ctx, input, value):
        ctx.save_for_backward(input, value)
        return value.clone()

    @staticmethod
    def backward(ctx, g):
        x, value = ctx.saved_tensors
        mask = isnan(x) if bool(isnan(value).item()) else x == value
        return where(mask, g / mask.sum(), 0.0), None


def _nth_element_first(n: int) -> int:
    """Which of ``n`` equivalent elements (a row of NaN, which torch's nanmedian comparator never orders)
    libstdc++'s std::nth_element(first, first, last) leaves at ``first``: its introselect, whose
    median-of-three swaps the middle element to the front and whose unguarded partition then swaps
    every pair, down to three elements (insertion sort moves none)."""
    idx, first, last, depth = list(range(n)), 0, n, 2 * (n.bit_length() - 1)
    while last - first > 3 and depth:
        depth -= 1
        mid = first + (last - first) // 2
        idx[first], idx[mid] = idx[mid], idx[first]
        lo, hi = first + 1, last - 1
        while lo < hi:
            idx[lo], idx[hi] = idx[hi], idx[lo]
            lo, hi = lo + 1, hi - 1
        if lo > first:  # the cut: the partition stops where lo meets hi; nth (first) lies before it
            last = lo
    return idx[first]


def _signed_zero(input, k, value):
    """A zero median among zeros of both signs as torch's nth_element leaves it (tie_order)."""
    import numpy as np
    from ..primitives.tie_order import signed_zero_median
    found = value.item()
    if found != 0:
        return value
    values = input.detach()
    flat = np.ravel((values.float() if values.dtype is dt.bfloat16 else values).numpy(), order="K")
    return value.new_tensor(signed_zero_median(flat, int(k), np.asarray(found, flat.dtype)))


def _nan_rank(values, d):
    """Where the lower median of the non-NaN values lies in ``values`` (sorted, NaN last) along ``d``."""
    count = (~isnan(values)).sum(d, keepdim=True) if values.dtype.is_floating_point else values.shape[d]
    return ((count - 1) // 2).clamp(min=0) if isinstance(count, Tensor) else max((count - 1) // 2, 0)


@composite(samples=lambda: [
    s(T((3, 5))), s(T((3, 5)), 1), s(T((3, 4), fill="special"), 1), s(T((3, 4), fill="special")),
    s(T((2, 5)), 0, True), s(T((4, 5), layout="transposed"), 1), s(T((5,), "int64")), s(T((4,), "int64"), 0),
    s(T(())), s(T(()), 0), s(T((0,)))],
    grad_fn=lambda input, dim=None, *a, **k: "NanmedianBackward0" if dim is None else "NanmedianBackward1",
    saves="self=input@NanmedianBackward0 result@NanmedianBackward0")
def nanmedian(input, dim=None, keepdim=False):
    """The lower median ignoring NaN (NaN only where everything is NaN): of all of ``input`` (0-d, ties
    share the gradient), or (values, indices) along ``dim``, as ``torch.nanmedian``."""
    if dim is None:
        if input.numel() == 0:  # NaN in the dtype, as torch's cast writes it (an integer's C conversion)
            value = tensor(math.nan, device=input.device).to(input.dtype)
        else:
            _refuse_median(input, dim)
            if input.device.type == "cpu":  # one kernel: the sort, the NaN counted and a zero's sign
                value = apply(red.median_op, input.detach(), dims=tuple(range(input.dim())), keepdim=False,
                              nan_ties=True, nan_skipped=True)
                return _SharedTies.apply(input, value) if input.requires_grad or carries(input) else value
            values = sort(input.detach().reshape(-1), stable=True).values
            k = _nan_rank(values, 0)
            value = values.gather(0, k.reshape(1)).reshape(()) if isinstance(k, Tensor) else values[k]
            if input.device.type == "cpu" and input.dtype.is_floating_point:
                value = _signed_zero(input, k, value)
        return _SharedTies.apply(input, value) if input.requires_grad or carries(input) else value
    d = normalize_dim(dim, max(input.dim(), 1))  # (the dim before the dtype, as torch)
    if input.dim():
        red.check_nonempty("median", input, (d,), IndexError, whole=False)  # (torch's nanmedian: median())
    _refuse_median(input, dim)
    if input.dim() == 0:
        return return_types.nanmedian(input.clone(), zeros((), dtype=dt.int64, device=input.device))
    order = sort(input.detach(), d, stable=True).indices
    values = input.detach().gather(d, order)
    k = _nan_rank(values, d)
    k = k if isinstance(k, Tensor) else zeros((), dtype=dt.int64, device=input.device) + k
    shape = list(input.shape)
    shape[d] = 1
    idx = order.gather(d, k.expand(shape))
    if input.dtype.is_floating_point and input.shape[d] > 3:
        # a row of NaN only: torch's index is the element its std::nth_element leaves first
        idx = where(isnan(values).all(d, keepdim=True), _nth_element_first(input.shape[d]), idx)
    # (torch's node keeps the indices, not the input as a gather's does)
    out = return_types.nanmedian(gather_op(input, idx, d), idx)
    return out if keepdim else return_types.nanmedian(out[0].squeeze(d), out[1].squeeze(d))


@composite(samples=lambda: [
    s(T((3, 5))), s(T((3, 5)), dim=1), s(T((3, 5)), dim=0, keepdim=True), s(T(())), s(T((5,), "int64")),
    s(T((4, 5), layout="transposed"), dim=-1), s(T((0,)))], grad_fn="AminmaxBackward0")
def aminmax(input, *, dim=None, keepdim=False):
    """(min, max) of ``input`` (or along ``dim``), as ``torch.aminmax``; their gradients as amin/amax's.
    Raises RuntimeError for an empty extent, as torch."""
    if dim is not None:
        dim = normalize_dim(dim, input.dim())  # (an int only: no one-element tensor, as amin's dims take)
    if input.numel() == 0 and (dim is None or input.dim() and input.shape[dim] == 0):
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has "
                           "no identity.")
    red.refuse_complex_order(input, "\"aminmax_cpu\" not implemented for '{}'", NotImplementedError)
    dims = () if dim is None else dim
    if dim is None and keepdim:
        dims = tuple(range(input.dim()))
    if dim is None:  # torch's kernel of the whole tensor: max()'s NaN bits (amin/amax's gradients)
        dims = tuple(range(input.dim()))
        bits = red.whole_nan_bits(input.dtype)
        return return_types.aminmax(*(red.reduce(op, input, dims=dims, keepdim=keepdim, nan_ties=False,
                                                 nan_bits=bits) for op in (red.amin_op, red.amax_op)))
    return return_types.aminmax(input.amin(dims, keepdim), input.amax(dims, keepdim))


# -- scans and integrals ------------------------------------------------------------------------
def _logaddexp(a, b):
    """log(exp(a) + exp(b)) without overflow; -inf where both are -inf, inf where either is inf."""
    top = maximum(a, b)
    safe = where(top.isinf(), 0.0, top)  # an infinite shift would give inf - inf
    return (a - safe).exp().add((b - safe).exp()).log() + safe


@composite(samples=lambda: [
    s(T((3, 8)), 1), s(T((9,)), 0), s(T((2, 3, 4)), -2), s(T((6,), fill="special"), 0), s(T(()), 0),
    s(T((0, 3)), 0), s(T((4, 5), layout="transposed"), 1), s(T((5,), "int64"), 0),
    s(T((4,), low=-200, high=200), 0)], grad_fn="LogcumsumexpBackward0", saves="self=input dim result")
@lays_out(contiguous_result)
def logcumsumexp(input, dim):
    """log(cumsum(exp(input))) along ``dim`` without overflow, as ``torch.logcumsumexp``: a scan in log2(n)
    doubling steps, each adding (in log space) the partial result ``step`` places earlier."""
    d = normalize_dim(dim, max(input.dim(), 1))  # (the dim before the dtype, as torch)
    if input.dtype.is_complex:
        if input.dim() == 0 or not input.numel():
            return input.clone()
        return Formula.apply(_complex_logcumsumexp, _complex_logcumsumexp_backward, input, d)
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"logcumsumexp_out_cpu\" not implemented for "
                                  f"'{dt.scalar_name(input.dtype)}'")
    if input.dim() == 0:
        return input.clone()
    # float16 and bfloat16: the scan in float32, rounded once (torch's kernel); the gradient torch's formula,
    # a chain of ops in the input's dtype
    return Formula.apply(_logcumsumexp, _logcumsumexp_backward, input, d)


def _scan(add, zero):
    """log(cumsum(exp(input))) along ``d`` by ``add`` (a log-space sum), ``zero`` its identity: a scan in
    log2(n) doubling steps."""
    def scan(input, d):
        n, x, step = input.shape[d], input, 1
        while step < n:
            start = full_like(x.narrow(d, 0, step), zero)
            earlier = cat([start, x.narrow(d, 0, n - step)], d)
            x = add(x, earlier)
            step *= 2
        return x if n > 1 else input.clone()  # a new tensor, as torch's
    return scan


_logcumsumexp = in_float32(_scan(_logaddexp, -math.inf))


def _complex_logcumsumexp(input, d):
    """The complex scan, each element first added (logaddexp) to the identity -inf+0j, as torch's running
    sum starts from it: an element of real part -inf becomes -inf+0j (torch's tie rule keeps the sum's); a
    NaN, once the sum has one, nan+nanj in every later place (torch's running sum stays NaN; the doubling
    scan's other order of the sums may lose it)."""
    zero = complex(-math.inf, 0)
    x = _scan(logaddexp, zero)(logaddexp(input, full_like(input, zero)), d)
    nan = isnan(x)
    return where(nan.cumsum(d) > nan.long(), complex(math.nan, math.nan), x)  # (a NaN before)


def _complex_logcumsumexp_backward(g, input, d, result):
    """PyTorch's logcumsumexp_backward of complex numbers: no sign split, the logarithm of conj(g) summed
    from the end by a reversed logcumsumexp, conjugated back."""
    reversed_sum = Formula.apply(_complex_logcumsumexp, _complex_logcumsumexp_backward,
                                 (g.conj().log() - result).flip(d), d).flip(d)
    return (reversed_sum + input).exp().conj(), None


_complex_logcumsumexp_backward.reads_result = True


def _logcumsumexp_backward(g, input, d, result):
    """PyTorch's logcumsumexp_backward (after TensorFlow's): the gradient's positive and negative parts
    in log space, each summed from the end by a reversed logcumsumexp; the composite's own gradient is
    NaN at an infinite input, where torch's is finite."""
    lowest = dt.finfo(g.dtype).min
    log_abs = g.abs().log()

    def part(log_g):
        return (_logcumsumexp((log_g - result).flip(d), d).flip(d) + input).exp()

    return part(where(g > 0, log_abs, lowest)) - part(where(g < 0, log_abs, lowest)), None


_logcumsumexp_backward.reads_result = True


def _spacing(name, y, x, d):
    """The gaps between the sample points along ``d``: ``diff(x)`` shaped to broadcast with ``y``, as
    ATen's (a 1-D ``x`` along ``d`` with one point per sample, a shorter one padded with leading 1s)."""
    if x.dim() == 1:
        if x.shape[0] != y.shape[d]:
            raise RuntimeError(f"{name}: There must be one `x` value for each sample point")
        x = x.reshape([-1 if k == d else 1 for k in range(y.dim())])
    elif x.dim() < y.dim():
        x = x.reshape((1,) * (y.dim() - x.dim()) + tuple(x.shape))
    k = max(x.shape[d] - 1, 0)
    return x.narrow(d, x.shape[d] - k, k) - x.narrow(d, 0, k)


def _trapezoid_samples():
    return [s(T((3, 5))), s(T((6,)), dx=0.5), s(T((3, 5)), T((5,))), s(T((3, 5)), T((3, 5)), dim=1),
            s(T((3, 4)), dim=0), s(T((4, 5), layout="transposed")), s(T((5,), "int64")), s(T((0,))),
            s(T((3, 1))), s(T((2, 3)), T((2, 3)), dim=0)]


def _no_bool(name, y, x=None, dx=None, checks_dtype=True):
    """torch's checks of ``y``: a Tensor (its parser's words, by the overload the other arguments pick),
    not bool (unless not ``checks_dtype``: trapezoid looks at the dtypes after its sizes)."""
    if not isinstance(y, Tensor):
        if x is None and dx is None:
            raise must_be(name, "y", "Tensor", y, 1)
        raise invalid_combination(name, (y,) if x is None else (y, x), {} if dx is None else {"dx": dx})
    if not checks_dtype:
        return
    if isinstance(x, Tensor):
        if y.dtype is dt.bool_ or x.dtype is dt.bool_:
            raise RuntimeError(f"{name}: received a bool input for `x` or `y`, but bool is not supported")
    elif y.dtype is dt.bool_:
        raise RuntimeError(f"{name}: received a bool input for `y`, but bool is not supported")
    if isinstance(dx, bool):
        raise RuntimeError(f"{name}: Currently, we only support dx as a real number.")


@composite(samples=_trapezoid_samples,
           grad_fn=lambda y, x=None, **k: "MulBackward1" if x is None else "DivBackward1")
def trapezoid(y, x=None, *, dx=None, dim=-1):
    """The trapezoid rule along ``dim``: ``sum (y[i] + y[i-1]) / 2 * (x[i] - x[i-1])`` (spacing ``dx``, 1 by
    default, when ``x`` is not given), as ``torch.trapezoid``."""
    _no_bool("trapezoid", y, x, dx, checks_dtype=False)
    d = normalize_dim(dim, y.dim())
    if y.dim() == 0:  # (with x, torch wraps dim against y as one element first: dim 0)
        raise IndexError(f"Dimension specified as {0 if isinstance(x, Tensor) else dim} but tensor has no "
                         "dimensions")
    n = y.shape[d]
    if n == 0:  # torch's zeros of y's dtype, before it looks at the dtypes (bool and integers too)
        return zeros(y.shape[:d] + y.shape[d + 1:], dtype=y.dtype, device=y.device)
    _no_bool("trapezoid", y, x, dx)
    if x is None:
        return (y.sum(d) - (y.select(d, 0) + y.select(d, n - 1)) * 0.5) * (1.0 if dx is None else dx)
    gaps = _spacing("trapezoid", y, x, d)
    return ((y.narrow(d, 1, n - 1) + y.narrow(d, 0, n - 1)) * gaps).sum(d) / 2.0


def trapz(y, x=None, *, dx=None, dim=-1):
    """Alias of ``trapezoid`` (torch.trapz(y, x, dim=) or torch.trapz(y, dx=, dim=))."""
    return trapezoid(y, x, dx=dx, dim=dim)


@composite(samples=_trapezoid_samples,
           grad_fn=lambda y, x=None, **k: "CumsumBackward0" if x is None else "DivBackward1")
def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """The running trapezoid rule along ``dim`` (one fewer element than ``y`` there), as
    ``torch.cumulative_trapezoid``."""
    _no_bool("cumulative_trapezoid", y, x, dx)
    d = normalize_dim(dim, y.dim())
    if y.dim() == 0:  # (with x, torch reads y's size at dim 0, which it wrapped as one element's)
        raise IndexError("Dimension specified as 0 but tensor has no dimensions" if isinstance(x, Tensor)
                         else "slice() cannot be applied to a 0-dim tensor.")
    n = y.shape[d]
    pairs = y.narrow(d, min(n, 1), max(n - 1, 0)) + y.narrow(d, 0, max(n - 1, 0))
    if x is None:
        return (pairs * ((1.0 if dx is None else dx) / 2.0)).cumsum(d)
    return (pairs * _spacing("cumulative_trapezoid", y, x, d)).cumsum(d) / 2.0


# -- histograms and norms -----------------------------------------------------------------------
_BINNED = (dt.float32, dt.float64, *dt.HALVES)  # the dtypes torch's histogram kernel bins


def _dd(message: str) -> RuntimeError:
    return RuntimeError("torch.histogramdd: " + message)


def _even_edges(points, k: int, count: int, range):
    """Dimension ``k``'s ``count`` equal bins' edges, over ``range``'s pair for it or the data's extent."""
    if range is not None:
        lo, hi = float(range[2 * k]), float(range[2 * k + 1])
    elif points.shape[0]:
        column = points[:, k]
        lo, hi = float(column.min().item()), float(column.max().item())
    else:
        lo, hi = 0.0, 1.0
    if not (math.isfinite(lo) and math.isfinite(hi)):
        num = [("nan" if math.isnan(v) else _fmt(v)) for v in (lo, hi)]  # min/max of data give +NaN
        raise _dd(f"dimension {k}'s range [{num[0]}, {num[1]}] is not finite")
    if lo > hi:
        raise _dd(f"min should not exceed max, but got min {_fmt(lo)} max {_fmt(hi)} for dimension {k}")
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    return linspace(lo, hi, count + 1, dtype=points.dtype, device=points.device)


def _histogramdd(input, bins, range, weight, density, op: str):
    """(hist, edges) of the points along ``input``'s last dim, its others flattened: ATen's histogramdd
    once its caller checked the input's dtype (and histogram its bins), in its order and words.
    ``bins``: a list of edge tensors, or a count or list of counts."""
    n = input.shape[-1]
    points = input.reshape(math.prod(input.shape[:-1]), n)
    given = isinstance(bins, (list, tuple)) and bins and isinstance(bins[0], Tensor)  # edges, not counts
    if given:
        if len(bins) != n:
            raise _dd(f"expected {n} sequences of bin edges for a {n}-dimensional histogram but got "
                      f"{len(bins)}")
        edges = list(bins)
    else:
        if range is None and points.shape[0] and input.dtype not in (dt.float32, dt.float64):
            # (torch finds the data's extent for these only)
            raise NotImplementedError(f"\"histogramdd\" not implemented for '{dt.scalar_name(input.dtype)}'")
        if range is not None and len(range) != 2 * n:
            raise _dd(f"for a {n}-dimensional histogram range should have {2 * n} elements, but got "
                      f"{len(range)}")
        counts = [bins] * n if isinstance(bins, (int, Tensor)) else list(bins)  # (a 0-d tensor: an int)
        if len(counts) != n:
            raise RuntimeError("histogramdd: The size of bins must be equal to the innermost dimension of "
                               "the input.")
        edges = [_even_edges(points, k, int(c), range) for k, c in enumerate(counts)]
    for k, e in enumerate(edges):  # (even ones pass the first two)
        if e.dtype is not input.dtype:
            raise _dd("input tensor and bins tensors should have the same dtype, but got input with "
                      f"dtype {dt.cpp_name(input.dtype)} and bins for dimension {k} with dtype "
                      f"{dt.cpp_name(e.dtype)}")
        if e.dim() != 1:
            raise _dd(f"bins tensor should have one dimension, but got {e.dim()} dimensions in the bins "
                      f"tensor for dimension {k}")
        if not e.numel():
            raise _dd(f"bins tensor should have at least 1 element, but got 0 elements in the bins tensor "
                      f"for dimension {k}")
    if weight is not None:
        if weight.dtype is not input.dtype:
            raise _dd("if weight tensor is provided, input tensor and weight tensor should have the same "
                      f"dtype, but got input({dt.cpp_name(input.dtype)}), and "
                      f"weight({dt.cpp_name(weight.dtype)})")
        if tuple(weight.shape) != tuple(input.shape[:-1]):
            raise _dd("if weight tensor is provided it should have the same shape as the input tensor "
                      f"excluding its innermost dimension, but got input with shape {list(input.shape)} and "
                      f"weight with shape {list(weight.shape)}")
    for k, e in enumerate(edges):
        if e.shape[0] < 2:
            raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {e.shape[0] - 1} for "
                               f"dimension {k}")
    if input.dtype not in _BINNED:  # (even edges of a given range: linspace refused some first)
        raise NotImplementedError(f"\"histogram_cpu\" not implemented for '{dt.scalar_name(input.dtype)}'")
    # each point's bin, row-major over the dims; a point outside any dim's edges counts nowhere
    shape = [e.shape[0] - 1 for e in edges]
    inside = full((points.shape[0],), n > 0, dtype=dt.bool_, device=input.device)  # (no dims: no bin)
    flat = zeros(points.shape[0], dtype=dt.int64, device=input.device)
    for k, e in enumerate(edges):
        column = points[:, k].contiguous()
        inside = inside & (column >= e[0]) & (column <= e[-1])
        flat = flat * shape[k] + (searchsorted(e, column, right=True) - 1).clamp(0, shape[k] - 1)
    total = math.prod(shape)
    w = inside.to(input.dtype) if weight is None else where(inside, weight.reshape(-1), 0.0)
    hist = bincount(flat, w, minlength=total)[:total].to(input.dtype).reshape(shape)
    if density:
        volume = 1.0
        for k, e in enumerate(edges):  # each bin's width in each dim, broadcast to the bins' grid
            volume = volume * (e[1:] - e[:-1]).reshape([-1 if j == k else 1 for j, _ in enumerate(edges)])
        hist = hist / (hist.sum() * volume)
    tensors = [t for t in (input, *(bins if isinstance(bins, (list, tuple)) else (bins,)), weight)
               if isinstance(t, Tensor)]
    if any(t.requires_grad for t in tensors):  # torch records the op, without a derivative
        message = f"derivative for aten::{op} is not implemented"
        hist = no_derivative(hist.detach(), message, *tensors)
        edges = [no_derivative(e.detach(), message, *tensors) for e in edges]
    return hist, edges


@composite(grad=False, samples=lambda: [
    s(T((20,)), 4), s(T((3, 5)), 3, range=(-1.0, 1.0)), s(T((10,)), T((4,), sort=True)),
    s(T((12,)), 5, weight=T((12,), low=0, high=2)), s(T((12,)), 3, density=True), s(T((0,)), 2),
    s(T((6,), "int64"), 3), s(T((4, 5), layout="transposed"), 2)])
def histogram(input, bins=100, *, range=None, weight=None, density=False):
    """(hist, bin_edges): counts (``weight`` sums, a density with ``density``) in ``bins`` equal bins over
    ``range`` (default the data's min and max) or between the given edges; each bin holds its left
    edge, the last both. As ``torch.histogram``."""
    refuse_on_meta("aten::histogram." + ("bins_tensor" if isinstance(bins, Tensor) else "bin_ct"), input)
    if not isinstance(bins, Tensor) and bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    # torch's histogram is histogramdd of its elements as 1-D points, the weight flattened alike
    hist, edges = _histogramdd(input.reshape(-1, 1), [bins] if isinstance(bins, Tensor) else bins, range,
                               None if weight is None else weight.reshape(-1), density, "histogram")
    return return_types.histogram(hist, edges[0])


@composite(grad=False, samples=lambda: [
    s(T((5, 2)), [2, 3]), s(T((4, 3)), 2, range=[-1.0, 1.0, -2.0, 2.0, 0.0, 1.0]),
    s(T((2, 3, 2)), [2, 2], weight=T((2, 3), low=0, high=2), density=True),
    s(T((0, 2)), 2), s(T((4, 2), "int64"), 2)])  # (edge tensors: tests/shell_sweep.py's ROWS)
def histogramdd(input, bins, range=None, weight=None, density=False):
    """(hist, bin_edges): the points along ``input``'s last dim (N coordinates each) counted (``weight``
    summed, a density with ``density``) in an N-dimensional grid of bins: ``bins`` equal bins per dim (an
    int, or one per dim) over ``range`` (2N numbers, default each dim's min and max), or between N edge
    tensors; each bin holds its left edges, the last of each dim its right one too. As
    ``torch.histogramdd``."""
    by_edges = isinstance(bins, (list, tuple)) and bins and isinstance(bins[0], Tensor)
    refuse_on_meta("aten::_histogramdd_" + ("from_bin_tensors" if by_edges else "bin_edges"), input)
    if isinstance(bins, int) and not input.dim():  # torch's Python repeats a count input.size(-1) times first
        input.size(-1)
    if input.dim() < 2:
        raise _dd("input tensor should have at least 2 dimensions")
    hist, edges = _histogramdd(input, bins, range, weight, density,
                               "_histogramdd_from_bin_tensors" if by_edges else "_histogramdd_from_bin_cts")
    return return_types.histogramdd(hist, tuple(edges))


@composite(samples=lambda: [
    s(T((3, 5)), 2, 0, 1.0), s(T((3, 5)), 1, 1, 0.5), s(T((2, 3, 4)), 3.0, -1, 2.0),
    s(T((4, 5), layout="transposed"), 2, 0, 1.0), s(T((3, 4)), math.inf, 0, 1.0), s(T((3, 4)), 2, 0, 100.0),
    s(T((3, 4)), -1, 0, 1.0), s(T((0, 3)), 2, 0, 1.0)],
    grad_fn="RenormBackward0", saves="self=input p dim maxnorm")
@lays_out(contiguous_result)
def renorm(input, p, dim, maxnorm):
    """``input`` with each slice along ``dim`` whose ``p``-norm passes ``maxnorm`` scaled down to norm
    ``maxnorm`` (by maxnorm / (norm + 1e-7)), as ``torch.renorm``. Raises RuntimeError for p <= 0, maxnorm < 0
    or fewer than 2 dims, in torch's order."""
    for name, v in (("p", p), ("maxnorm", maxnorm)):
        if isinstance(v, complex) or getattr(v, "is_complex", lambda: False)():
            raise RuntimeError(f"renorm: {name} must be real-valued")
        if name == "p" and not p > 0:  # (NaN too)
            raise RuntimeError("renorm: non-positive-norm not supported")
    if not maxnorm >= 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {float(maxnorm):g}")
    if input.dim() < 2:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {input.dim()} dimensions")
    d = normalize_dim(dim, input.dim())
    if input.dtype in dt.SHELL:  # torch takes the norms in the input's accumulation type
        refuse_accumulation(input.dtype)
    others = tuple(k for k in range(input.dim()) if k != d)
    # the rows under maxnorm pass through untouched, their gradient exactly the incoming one (torch's
    # renorm_backward), so NaN in one of them reaches neither the scaled rows nor its own gradient
    over = red.norm(input.detach(), p, others, True) > maxnorm
    scaled = where(over, input, 0.0)
    return where(over, scaled * (maxnorm / (red.norm(scaled, p, others, True) + 1e-7)), input)


def matrix_power(input, n):
    """``input`` multiplied by itself ``n`` times, as ``torch.matrix_power`` (torch.linalg's)."""
    from ...linalg import matrix_power as linalg_matrix_power
    return linalg_matrix_power(input, n)


def matrix_exp(input):
    """The matrix exponential of each square matrix in ``input``, as ``torch.matrix_exp``
    (torch.linalg's)."""
    from ...linalg import matrix_exp as linalg_matrix_exp
    return linalg_matrix_exp(input)
