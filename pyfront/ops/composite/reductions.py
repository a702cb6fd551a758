"""Reductions built from primitives: statistics, logsumexp, and the value+index selections.

max/min/sort/topk/median with a dim pick indices with a non-differentiable primitive (argmax,
argsort) and gather the values with ``take_along``, so the gradient reaches exactly the selected
elements, as in PyTorch.
"""
from __future__ import annotations

import builtins
import math

from ... import _warnings
from ... import dtypes as dt
from ...autograd.function import Function
from ...autograd.saved_names import as_torch_saves
from ...autograd.dual import ON as _DUAL
from ...autograd.grad_mode import _state as _grad_state, _vmap_blocks
from ...backends import host_rules
from ...shape import index_like, normalize_dim, reads_as_int
from ...tensor import Tensor
from .. import return_types
from ..argcheck import invalid_combination
from ..common import in_float32, scalar_tensor
from ..creation import ones_like, zeros_like
from ..dispatch import apply, apply_like
from ..primitives import reductions as red
from ..primitives import moments
from ..primitives.elementwise import _where, maximum, minimum, where
from ..primitives.shaping import cat
from ..registry import composite
from .. import samples

__all__ = ["mean", "var", "std", "var_mean", "std_mean", "logsumexp", "count_nonzero", "max", "min", "sort",
           "topk", "median", "mode", "kthvalue"]
METHODS = "mean var std logsumexp count_nonzero max min sort topk median mode kthvalue"
INPLACE = ""


@composite(samples=samples.mean,
           grad_fn=lambda input, dim=None, *a, **k: "MeanBackward0" if dim is None else "MeanBackward1")
@in_float32
def mean(input, dim=None, keepdim=False, *, dtype=None):
    """The mean over ``dim`` (all dims when None); integer inputs need a floating ``dtype``."""
    if dtype is not None:
        input = input.to(dtype)
    if input.dtype.kind not in "fc":
        which = "Input" if dtype is None else "Optional"
        raise RuntimeError(f"mean(): could not infer output dtype. {which} dtype must be either a floating "
                           f"point or complex dtype. Got: {dt.scalar_name(input.dtype)}")
    dims = red.reduce_dims(dim, input.dim())
    return _Mean.apply(input, dims, keepdim)


class _Mean(Function):
    """The sum over ``dims`` divided by their count, differentiated as torch's mean_backward: the gradient
    expanded to the input's shape, then divided (a fresh, dense result; the sum's gradient alone stays an
    expanded view, as torch's)."""

    @staticmethod
    def forward(ctx, input, dims, keepdim):
        ctx.args = input.shape, dims, keepdim
        return input.sum(dims, keepdim) / math.prod(input.shape[d] for d in dims)

    @staticmethod
    def backward(ctx, g):
        shape, dims, keepdim = ctx.args
        if not keepdim:
            for d in sorted(dims):
                g = g.unsqueeze(d)
        return _mean_backward(g, shape, dims), None, None


def _mean_backward(g, shape, dims):
    """torch's mean_backward of a kept-dims gradient ``g``: expanded to ``shape``, then divided by the
    count of ``dims`` (a fresh, dense result)."""
    return g.expand(shape) / math.prod(shape[d] for d in dims)


_general_mean, _PLAIN_MEAN = mean, (dt.float32, dt.float64)


def mean(input, dim=None, keepdim=False, *, dtype=None):  # noqa: F811 (the general one is kept above)
    """The mean over ``dim`` (all dims when None); integer inputs need a floating ``dtype``."""
    # the commonest call, where no graph is recorded (whose node is MeanBackward) and no cast is made,
    # is the general one's sum and division without its wrappers (each costs as much as the sum)
    if (dtype is None and isinstance(input, Tensor) and input.dtype in _PLAIN_MEAN
            and not (input._requires_grad and _grad_state.enabled)):
        dims = red.reduce_dims(dim, input.dim())
        return red.sum(input, dims, keepdim) / math.prod([input._shape[d] for d in dims])
    return _general_mean(input, dim, keepdim, dtype=dtype)


def mean_without_overflow(input, dims, keepdim=False):
    """The mean over ``dims`` as a running (Welford) mean keeps it: each term divided by N before the
    sum, so the sum stays within max |x| and does not overflow where sum(x) / N does (3e38 + 1e37).
    PyTorch's var_mean, std_mean and norm layers take their mean from such a running update."""
    n = math.prod(input.shape[d] for d in dims)
    return (input / n).sum(dims, keepdim) if n else input.mean(dims, keepdim)  # NaN for no elements


# -- variance and standard deviation ------------------------------------------------------------
def _var_args(name, input, dim, unbiased, keepdim, correction):
    """(dims, keepdim, _Dof) from PyTorch's var/std signatures."""
    if isinstance(dim, bool):  # var(input, unbiased)
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:  # no signature of PyTorch's takes both
        shown = (input,) if dim is None else (input, dim)
        raise invalid_combination(name, shown, {"unbiased": unbiased, "correction": correction})
    if not input.dtype.is_floating_point:
        what = name if name.endswith("_mean") else "std and var"
        raise RuntimeError(f"{what} only support floating point and complex dtypes")
    if correction is None:
        correction = 0 if unbiased is False else 1
    dims = red.reduce_dims(dim, input.dim())
    dof = math.prod(input.shape[d] for d in dims) - correction
    kept = math.prod(n for d, n in enumerate(input.shape) if d not in dims)
    if dof <= 0 or kept == 0:  # PyTorch's factor (input numel / output numel) is 0 for an empty output
        _warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
                       "reduction factor (input numel divided by output numel).", UserWarning)
    # torch's var_backward counts an empty dim list's N as the product of no sizes, 1 (the forward's is all)
    grad = 1 - correction if isinstance(dim, (list, tuple)) and not dim and input.dim() else dof
    return dims, keepdim, _Dof(dof, dim is None or input.dim() == 0, grad)


class _Dof(float):
    """N - correction, knowing whether no dim was given (``whole``): torch's var_backward then takes a branch
    of its own, where no degrees of freedom give inf (NaN at the mean) whatever the input, not 2 / (N -
    correction) times the deviation; ``grad``: the N - correction var_backward divides by."""

    def __new__(cls, value, whole, grad=None):
        dof = super().__new__(cls, value)
        dof.whole, dof.grad = whole, value if grad is None else grad
        return dof


class _Moment(Function):
    """var (or std, ``root``) over ``dims`` with PyTorch's var_backward, 2 g (x - mean(x)) / dof, and
    std_backward, var's with g / (2 std) (0 where std is 0: the 2-norm's gradient at a constant input).
    Differentiated as a composite, (x - mean)^2 also sends the mean its share (0 in sum), which
    an infinite g made NaN everywhere. The formula is differentiable, for a second derivative.
    ``two_pass``: the deviations from the input's plain mean (torch's whole float32/float64 reduction), not
    from a running one (moments.two_pass)."""

    @staticmethod
    def forward(ctx, input, dims, keepdim, dof, root, two_pass, with_mean=False):
        ctx.save_for_backward(input)
        ctx.set_materialize_grads(False)  # (var_mean's var or mean unused: its part is left out, as torch's)
        ctx.args = dims, keepdim, dof, root, two_pass
        # torch's value divides by N - correction clamped at 0 (inf for a negative one), its gradient by it as
        # it is
        moment, mean = _moment(input, dims, keepdim, dof if dof > 0 else 0, root, two_pass, with_mean)
        return (moment, mean) if with_mean else moment

    @staticmethod
    def backward(ctx, g, g_mean=None):
        (x,) = ctx.saved_tensors
        dims, keepdim, dof, root, two_pass = ctx.args
        if not keepdim:
            for d in sorted(dims):
                g = None if g is None else g.unsqueeze(d)
                g_mean = None if g_mean is None else g_mean.unsqueeze(d)
        grad = None
        if g is not None:
            if root:
                std = _Moment.apply(x, dims, True, dof, True, two_pass)
                # (the divisor kept off 0 where it is not used: the quotient's own gradient there, 0 / 0,
                # would be NaN, and a tangent from it NaN where torch's is 0)
                g = where(std == 0, 0.0, g / where(std == 0, 1.0, std * 2))
            grad = _var_backward(g, x, dims, dof)
        if g_mean is not None:  # var_mean/std_mean: torch's one node adds the mean's part second, so the sum
            # is laid out as the var's part (as the input), and the mean's alone is dense
            part = _mean_backward(g_mean, x.shape, dims)
            grad = part if grad is None else grad + part
        return grad, None, None, None, None, None, None


def _var_backward(g, x, dims, dof):
    """torch's var_backward: 2 (x - mean(x)) / dof times ``g``, the mean taken again (in float32 even after a
    running mean's forward). With no degrees of freedom and no dim given, g times inf, NaN at the mean (a
    constant in x: no second derivative); over given dims 2 / 0 is inf, each term +-inf before a tangent sums
    them (to NaN)."""
    if dof <= 0 and getattr(dof, "whole", False):
        return g * where(x == x.mean(), math.nan, math.inf)
    dof = getattr(dof, "grad", dof)
    d = x - x.mean(dims, keepdim=True)
    return 2.0 / dof * g * d if dof else g * (math.inf * d)


def _moment(input, dims, keepdim, dof, root, two_pass, with_mean=False):
    """(var or std, the mean) as torch's CPU kernel computes them (moments._moment_np takes these steps as
    one op): the squared deviations summed in float64, rounded to float, then to a 16-bit dtype; on a device
    without float64 (webgpu), float16 and bfloat16 in float32 and the rest in the input's dtype."""
    device = input._storage.device
    if not host_rules(device) and device.type != "meta":
        return _narrow_moment(input, dims, keepdim, dof, root, two_pass, with_mean)
    wide = input.double().contiguous()
    center = _center(input, wide, dims, two_pass, with_mean)
    d = wide - center
    ssq = (d * d).sum(dims, keepdim=True)
    moment = (ssq / dof).sqrt() if root else ssq / dof
    if not input.numel():  # torch fills an empty input's outputs with its NaN, the positive one
        moment, center = moment.abs(), center.abs()
    elif input.dtype is not dt.float64 and host_rules(device) and not (_DUAL[0] or _vmap_blocks[0]):
        moment, center = moments.settle(input, wide, ssq, moment, center, dims, dof, root, two_pass,
                                        with_mean)
    shape = red.reduced_shape(input.shape, dims, keepdim)
    return tuple(_rounded(t, input.dtype).reshape(shape) for t in (moment, center))


def _center(input, wide, dims, two_pass, with_mean):
    """Where the deviations are taken from (the dims kept, float64): a whole float32 or float64 reduction's
    (``two_pass``) the input's plain mean in its dtype, as torch's; else torch's running mean in float64 is
    the exact mean to within its rounding: a float32 or 16-bit input's plain mean in float64 (whose sum
    neither overflows nor rounds a constant); a float64 input's the running center where the mean is a result
    (var_mean, std_mean: exact for a constant, finite where the sum overflows), else its plain mean (the
    running center costs ~10 us at 1,000 elements)."""
    if two_pass:
        return input.mean(dims, keepdim=True).double()
    if input.dtype is dt.float64 and with_mean:
        return _running_center(dims)(wide)
    return wide.mean(dims, keepdim=True)


def _rounded(wide, dtype):
    """A float64 result as torch's kernel stores it: to float, then to a 16-bit ``dtype`` (every NaN
    bfloat16's 0x7FC0, as torch's rounding gives it)."""
    if dtype is dt.bfloat16:
        wide = where(wide == wide, wide, math.nan)
    return wide.to(dt.float32).to(dtype) if dtype in dt.HALVES else wide.to(dtype)


# float16 and bfloat16: the value in float32, rounded once; _Moment's gradient is torch's formula in the input's
# dtype (var_backward: a chain of ops, each rounded)
@in_float32
def _narrow_moment(input, dims, keepdim, dof, root, two_pass, with_mean):
    center = input.mean(dims, keepdim=True) if two_pass else _running_center(dims)(input)
    d = input - center
    mean = mean_without_overflow(input, dims, keepdim) if with_mean else None
    if root:  # scaled by the largest |d| so the squares neither overflow nor underflow, as
        # PyTorch's float64 sum of squares: std ~ 1e38 is finite where sum(d^2) is not
        s = red.amax(d.abs(), dims, keepdim=True)
        s = where((s > 0) & s.isfinite(), s, 1.0)  # an infinite |d| gives inf, not inf / inf
        return ((d / s).square().sum(dims, keepdim=True) / dof).sqrt().mul(s).sum(dims, keepdim), mean
    return (d * d).sum(dims, keepdim) / dof, mean


def _var(input, dims, keepdim, dof, with_mean=False):
    # (no or negative degrees of freedom too: sum / 0, its gradient torch's formula, with the mean's share in
    # a second derivative, as torch's)
    if moments.one_kernel(input):  # no graph: _Moment's value as one op
        return moments.moment(input, dims, keepdim, dof, False, with_mean)
    return _Moment.apply(input, dims, keepdim, dof, False, moments.two_pass(input, dims, with_mean), with_mean)


@in_float32
def _var_without_dof(input, dims, keepdim, dof):
    # no degrees of freedom: PyTorch's value is sum / 0 (inf, or NaN for a zero sum: an empty input's, the
    # positive NaN torch fills it with) and its gradient 2 (x - mean) / (N - correction), unclamped, without
    # the mean's (zero) share, which here would be inf - inf; the value carries no gradient, the second term
    # no value
    d = input - input.mean(dims, keepdim=True).detach()
    ssq = (d * d).sum(dims, keepdim)
    if dof == 0:
        return (ssq / 0.0).abs()
    scaled = ssq / dof
    return (ssq / 0.0).abs().detach() + (scaled - scaled.detach())


def _std(input, dims, keepdim, dof, with_mean=False):
    # inf or NaN, with PyTorch's gradient: sqrt's 0 times var's (NaN where it is inf); std_mean's of a
    # nonempty input in _Moment's one node, which lays the sum with the mean's part out as the input, as torch's
    if dof <= 0 and not input.numel():
        std = _std_without_dof(input, dims, keepdim, dof)
        return (std, _mean_once(input, dims, keepdim).abs()) if with_mean else std  # (+NaN, as torch's fill)
    if moments.one_kernel(input):  # (as _var's)
        return moments.moment(input, dims, keepdim, dof, True, with_mean)
    return _Moment.apply(input, dims, keepdim, dof, True, moments.two_pass(input, dims, with_mean), with_mean)


@in_float32
def _std_without_dof(input, dims, keepdim, dof):
    return _var_without_dof(input, dims, keepdim, dof).sqrt()


@composite(samples=samples.var_std, grad_fn="VarBackward0")
def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """The variance over ``dim``, divided by N - ``correction`` (1 unless ``unbiased=False``); of a complex
    tensor, the real parts' plus the imaginary parts' (a real result)."""
    if input.dtype.is_complex:
        return var(input.real, dim, unbiased, keepdim, correction=correction) + \
            var(input.imag, dim, unbiased, keepdim, correction=correction)
    return _var(input, *_var_args("var", input, dim, unbiased, keepdim, correction))


@composite(samples=samples.var_std, grad_fn="StdBackward0",
           saves="self=input dim[] keepdim correction result")
def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """The standard deviation over ``dim``, divided by N - ``correction`` (1 unless ``unbiased=False``)."""
    if input.dtype.is_complex:
        return var(input, dim, unbiased, keepdim, correction=correction).sqrt()
    return _std(input, *_var_args("std", input, dim, unbiased, keepdim, correction))


def _complex_mean(input, dim, keepdim):
    """The mean beside a complex tensor's var or std (var's own checks have read ``dim``; a bool there is
    ``unbiased``)."""
    return input.mean(red.reduce_dims(None if isinstance(dim, bool) else dim, input.dim()), keepdim)


def _running_center(dims):
    """PyTorch's CPU kernel (one Welford pass in float64; all but a whole float32 or float64 var or std)
    measures the deviations from the running mean: finite where sum(x) overflows, and exactly the value of a
    constant input (each update adds (x - mean) / k = 0), so its deviations and std are 0 (the mean of the
    terms x / N is not: 12 ones give 0.99999994). Taken here (for a float64 input, and on a device without
    float64) from each slice's first element, plus the mean of the differences from it (each term x / N -
    first / N, so it cannot overflow). A whole reduction of var or std does not: PyTorch's takes the input's
    mean first and gives inf where the sum overflows."""
    def center(x):
        if not x.numel():
            return x.mean(dims, keepdim=True)  # (NaN for no elements)
        first = x
        for d in dims:
            first = first.narrow(d, 0, 1)
        n = math.prod(x.shape[d] for d in dims)
        return first + (x / n - first / n).sum(dims, keepdim=True)
    return center


@composite(samples=samples.var_std, grad_fn="VarMeanBackward0")
def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(var, mean) over ``dim``, as ``torch.var_mean``."""
    if input.dtype.is_complex:
        return var(input, dim, unbiased, keepdim, correction=correction), _complex_mean(input, dim, keepdim)
    dims, keepdim, dof = _var_args("var_mean", input, dim, unbiased, keepdim, correction)
    return _var(input, dims, keepdim, dof, with_mean=True)


@composite(samples=samples.var_std, grad_fn="StdMeanBackward0",
           saves="self=input dim[] keepdim correction result0=result")
def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(std, mean) over ``dim``, as ``torch.std_mean``."""
    if input.dtype.is_complex:
        return std(input, dim, unbiased, keepdim, correction=correction), _complex_mean(input, dim, keepdim)
    dims, keepdim, dof = _var_args("std_mean", input, dim, unbiased, keepdim, correction)
    return _std(input, dims, keepdim, dof, with_mean=True)


# the mean of var_mean and std_mean in float32 for float16 and bfloat16, rounded once (torch's one kernel)
_mean_once = in_float32(mean_without_overflow)


# -- logsumexp and count_nonzero ----------------------------------------------------------------
# no in_float32: torch's logsumexp is itself a chain of ops (amax, sub, exp, sum, log, add), each
# rounding to float16
@composite(samples=samples.logsumexp, grad_fn="LogsumexpBackward0")
def logsumexp(input, dim, keepdim=False):
    """log(sum(exp(x))) over ``dim``, shifted by the maximum so it neither overflows nor underflows."""
    if not input.dtype.is_floating_point:
        input = input.to(dt.get_default_dtype())
    dims = red.reduce_dims(dim, input.dim())
    if isinstance(dim, (tuple, list)) and not dim and not keepdim and input.dim() and input.numel():
        # torch reads () as every dim, its maximum kept ([1, 1]) but its sum not: it cannot subtract one
        # into the other's shape
        raise RuntimeError(f"output with shape [] doesn't match the broadcast shape {[1] * input.dim()}")
    if input._requires_grad and _grad_state.enabled:
        return _Logsumexp.apply(input, dims, keepdim, dim)
    out = _shifted_lse(input, dims)
    return out if keepdim else out.reshape(red.reduced_shape(input.shape, dims, False))


def _shifted_lse(input, dims):
    """torch's logsumexp, op by op (each rounding as its does), the reduced dims kept."""
    if builtins.all(input.shape[d] for d in dims):
        # an infinite maximum would turn inf - inf into NaN, so it shifts by 0 there instead
        m = red.amax(input, dims, keepdim=True)
        # where's op itself: one dtype, a zero of it (the public where's promotion costs as much as the rest)
        m = apply(_where, m.isinf(), scalar_tensor(0, m.dtype, m._storage.device), m)
    else:  # an empty reduction: log(0) = -inf, no shift needed
        m = input.new_zeros(red.reduced_shape(input.shape, dims, True))
    return (input - m).exp().sum(dims, keepdim=True).log() + m


class _Logsumexp(Function):
    """logsumexp as one node with torch's derivative, g * exp(input - result): the ops of the shifted form
    run without a graph (five nodes fewer a call), and the gradient is torch's one product, not the chain
    rule through log, sum, exp and the shift. The node is the result's (LogsumexpBackward0, as torch's
    one node), with torch's saved self, result, dim (as given) and keepdim."""

    @staticmethod
    def forward(ctx, input, dims, keepdim, dim):
        out = _shifted_lse(input, dims)
        if not keepdim:
            out = out.reshape(red.reduced_shape(input.shape, dims, False))
        ctx.save_for_backward(input, out)
        ctx.saved_names = ("self", "result")
        ctx._saved_dim = as_torch_saves(tuple(dim) if isinstance(dim, (list, tuple)) else (dim,), "int[]")
        ctx._saved_keepdim, ctx.dims = keepdim, dims
        return out

    @staticmethod
    def backward(ctx, g):
        input, out = ctx.saved_tensors
        if not ctx._saved_keepdim:  # the reduced dims back, to broadcast against the input
            kept = red.reduced_shape(input.shape, ctx.dims, True)
            g, out = g.reshape(kept), out.reshape(kept)
        return g * (input - out).exp(), None, None, None


@composite(grad=False, samples=samples.count_nonzero)
def count_nonzero(input, dim=None):
    """How many elements over ``dim`` (all dims when None) are nonzero, as int64."""
    return (input != 0).sum(dim)


# -- max/min/sort/topk/median: values with their indices ----------------------------------------
def _gather(name, input, idx, dim, keepdim):
    """The named (values, indices) pair for indices ``idx`` (kept dims) along ``dim``."""
    values = apply_like(idx, red.take_along, input, idx, dim=dim)  # sort's: laid out as its indices
    if not keepdim:
        values, idx = values.squeeze(dim), idx.squeeze(dim)
    return getattr(return_types, name)(values, idx)


def _scalar(name, fn, input, *args):
    """A 0-d input through ``fn`` as a 1-element vector (NumPy's axis ops need a dim)."""
    values, indices = fn(input.reshape(1), 0, *args)
    return getattr(return_types, name)(values.reshape(()), indices.reshape(()))


def _extreme_name(op, dim, other):
    """max/min's node: of everything (MaxBackward1), along a dim (MaxBackward0); maximum's own."""
    if other is not None or isinstance(dim, Tensor):
        return None
    return f"{op}Backward1" if dim is None else f"{op}Backward0"


def _extreme(name, arg_op, full_op, pair_fn, input, dim, keepdim, other):
    if isinstance(dim, Tensor) or other is not None:
        return pair_fn(input, dim if other is None else other)
    if dim is not None and not reads_as_int(dim):
        raise invalid_combination(name, (input, dim), {})
    # torch's order: the dim's range, an empty extent, then the dtype
    if dim is None:  # the whole tensor, ties sharing the gradient (NaN wins: it gets the gradient)
        dims = red.reduce_dims(None, input.dim())
        red.check_nonempty(name, input, dims)
        red.refuse_complex_order(input, f"\"{name}_all\" not implemented for '{{}}'", NotImplementedError)
        return apply(full_op, input, dims=dims, keepdim=False, nan_ties=True,
                     nan_bits=red.whole_nan_bits(input.dtype))
    d = normalize_dim(dim, input.dim())
    if input.dim():
        red.check_nonempty(name, input, (d,), IndexError, whole=False)
    red.refuse_complex_order(input, f"{name}(): does not support complex input")
    if input.dim() == 0:
        return _scalar(name, lambda x, d0: _extreme(name, arg_op, full_op, pair_fn, x, d0, False, None),
                       input)
    return _gather(name, input, apply(arg_op, input, dim=d, keepdim=True), d, keepdim)


@composite(samples=samples.max_min, grad_fn=lambda input, dim=None, *a, other=None, **k: (
                                        _extreme_name("Max", dim, other)))
def max(input, dim=None, keepdim=False, *, other=None):
    """The maximum: of everything (0-d), or (values, indices) along ``dim``, or ``maximum(input, other)``."""
    return _extreme("max", red.argmax_op, red.amax_op, maximum, input, dim, keepdim, other)


@composite(samples=samples.max_min, grad_fn=lambda input, dim=None, *a, other=None, **k: (
                                        _extreme_name("Min", dim, other)))
def min(input, dim=None, keepdim=False, *, other=None):
    """The minimum: of everything (0-d), or (values, indices) along ``dim``, or ``minimum(input, other)``."""
    return _extreme("min", red.argmin_op, red.amin_op, minimum, input, dim, keepdim, other)


@composite(samples=samples.sort, grad_fn=lambda *a, stable=None, **k: (
                                     "SortBackward0" if stable is None else "SortBackward1"))  # sort.stable
def sort(input, dim=-1, descending=False, *, stable=None):
    """(values, indices) sorted along ``dim``; equal values keep their order with ``stable``, else come in
    torch's CPU order (see ``argsort``)."""
    d = normalize_dim(dim, input.dim())  # (its range before the dtype, as torch)
    red.refuse_complex_order(input, " Sort does not support complex dtypes on CPU")
    if input.dim() == 0:
        return _scalar("sort", sort, input, descending)
    return _gather("sort", input, red.argsort(input, d, descending, stable=bool(stable)), d, True)


def _order(input, d, how, k=0, largest=False, sorted=True):
    """Indices along ``d`` in torch's CPU order among equal elements (ops/primitives/tie_order.py); without
    NumPy, a GPU tensor's stable order."""
    if not red.host_orders(input):
        order = red.argsort(input, d, largest, stable=True)
        if how == "sort":
            return order
        return order.narrow(d, 0, k) if how == "topk" else order.narrow(d, k - 1, 1)
    return apply(red.torch_order, input.detach(), dim=d, how=how, k=k, descending=largest, sorted_=sorted)


@composite(samples=samples.topk, grad_fn="TopkBackward0")
def topk(input, k, dim=-1, largest=True, sorted=True):
    """The ``k`` largest (or smallest) elements along ``dim`` with their indices: equal elements, and the
    order without ``sorted``, as torch's CPU kernel gives them (std::partial_sort or std::nth_element)."""
    if type(k) is not int and index_like(k):  # a NumPy integer (a 0-d integer array too): torch's int
        k = int(k)
    d = normalize_dim(dim, input.dim())  # (the dim and k before the dtype, as torch)
    if k < 0 or k > (input.shape[d] if input.dim() else 1):
        raise RuntimeError("selected index k out of range")
    if input.dtype is dt.bool_:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    red.refuse_complex_order(input, " topk does not support complex dtypes on CPU")
    if input.dim() == 0:  # (k 0 or 1: torch's copy of the element either way)
        return _scalar("topk", lambda x, d0: topk(x, 1, d0, largest), input)
    return _gather("topk", input, _order(input, d, "topk", k, largest, sorted), d, True)


def _refuse_median(input, dim):
    """torch's median kernels have no bool or complex one; the one named: the whole tensor's, or the dim's."""
    if input.dtype is dt.bool_ or input.dtype.is_complex:
        kernel = "median_cpu" if dim is None else "median_out"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt.scalar_name(input.dtype)}'")


@composite(samples=samples.median, grad_fn=lambda input, dim=None, *a, **k: (
                                       "MedianBackward0" if dim is None else "MedianBackward1"))
def median(input, dim=None, keepdim=False):
    """The lower median: of everything (0-d, ties share the gradient), or (values, indices) along ``dim``.

    NaN propagates: a row with a NaN has median NaN, at its first NaN.
    """
    if dim is None:
        if not input.numel() and (input.dtype is dt.bool_ or input.dtype.is_complex):
            return input.new_tensor(math.nan, dtype=dt.float32).to(input.dtype)  # (torch's: no kernel runs)
        _refuse_median(input, dim)
        return apply(red.median_op, input, dims=tuple(range(input.dim())), keepdim=False, nan_ties=True)
    d = normalize_dim(dim, input.dim())  # (the dim before the dtype, as torch)
    if input.dim():
        red.check_nonempty("median", input, (d,), IndexError, whole=False)
    _refuse_median(input, dim)
    if input.dim() == 0:
        return _scalar("median", lambda x, d0: median(x, d0), input)
    idx = red.argsort(input, d, stable=True).narrow(d, (input.shape[d] - 1) // 2, 1)
    if input.dtype.is_floating_point:
        nan = input.isnan()
        idx = where(nan.any(d, keepdim=True), apply(red.argmax_op, nan, dim=d, keepdim=True), idx)
    else:  # a fresh tensor, as torch's indices (the narrowed argsort is a strided view of a larger one)
        idx = idx.contiguous()
    return _gather("median", input, idx, d, keepdim)


@composite(samples=samples.kthvalue, grad_fn="KthvalueBackward0")
def kthvalue(input, k, dim=-1, keepdim=False):
    """(values, indices): the ``k``-th smallest element along ``dim`` (1-based) and where it is, as
    ``torch.kthvalue``. NaN counts as larger than every number (the order of ``torch.sort``); the
    gradient reaches the element at the index.

    Args:
        input (Tensor): the input.
        k (int): which smallest, from 1.
        dim (int): the dim to reduce. Default: -1
        keepdim (bool): keep ``dim`` with size 1.

    Raises:
        RuntimeError: ``k`` is not in [1, size of ``dim``].
        IndexError: ``dim`` is out of range, or has size 0 in a non-empty input.
    """
    if isinstance(k, bool):  # (the argument check then gives torch's text)
        raise TypeError("kthvalue(): k must be an int, not bool")
    d = normalize_dim(dim, input.dim())  # (the dim and k before the dtype, as torch)
    n = input.shape[d] if input.dim() else 1
    if input.dim():
        red.check_nonempty("kthvalue", input, (d,), IndexError, whole=False)
    if k < 1 or k > n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    if input.dim() == 0 and (input.dtype is dt.bool_ or input.dtype.is_complex):  # torch's copy, no kernel
        return return_types.kthvalue(input.clone(), input.new_zeros((), dtype=dt.int64))
    if input.dtype is dt.bool_ or input.dtype.is_complex:
        raise NotImplementedError(f"\"kthvalue_cpu\" not implemented for '{dt.scalar_name(input.dtype)}'")
    if input.dim() == 0:
        return _scalar("kthvalue", lambda x, d0: kthvalue(x, k, d0), input)
    return _gather("kthvalue", input, _order(input, d, "kthvalue", k), d, keepdim)


def _nan_rows_order(keys, order, d):
    """``order`` with the rows of ``keys`` along ``d`` that hold a NaN in std::sort's order of them (torch's
    cpu kernel, the oracle of every device), read as lists: no NumPy (the browser's webgpu has none)."""
    from ..creation import tensor
    from ..primitives.nan_order import nan_row_order
    rows = keys.movedim(d, -1).reshape(-1, keys.shape[d]).tolist()
    moved = order.movedim(d, -1)
    out = moved.reshape(-1, keys.shape[d]).tolist()
    for r, row in enumerate(rows):
        if any(v != v for v in row):
            out[r] = nan_row_order(row)
    return tensor(out, dtype=order.dtype, device=order.device).reshape(moved.shape).movedim(-1, d)


@composite(samples=samples.mode, grad_fn="ModeBackward0")
def mode(input, dim=-1, keepdim=False):
    """(values, indices): the most frequent value along ``dim`` and where it occurs.

    Among values of equal count the smallest is the mode, as PyTorch's. The index is the one PyTorch's CPU
    kernel gives: the last of the mode's run in std::sort's order (its last occurrence in rows of up to 16
    elements). A NaN equals nothing, and a row holding one is in the order std::sort's plain ``<`` leaves it
    (ops/primitives/nan_order.py), as torch's kernel on cpu, on every device. The gradient reaches the
    element at the index.

    Args:
        input (Tensor): the input.
        dim (int): the dim to reduce. Default: -1
        keepdim (bool): keep ``dim`` with size 1.

    Raises:
        IndexError: ``dim`` is out of range or has size 0.
    """
    d = normalize_dim(dim, input.dim())
    if input.dim() == 0:
        if input.dtype.is_complex:  # torch answers a 0-d one without its kernel (which has no complex one)
            return return_types.mode(input.clone(), input.new_zeros((), dtype=dt.int64))
        return _scalar("mode", lambda x, d0: mode(x, d0), input)
    if input.numel():  # (no kernel runs on an empty tensor)
        red.refuse_complex_order(input, "\"mode_cpu\" not implemented for '{}'", NotImplementedError)
    red.check_nonempty("mode", input, (d,), IndexError, whole=False)
    keys = input.detach()
    keys = keys.to(dt.uint8) if keys.dtype is dt.bool_ else keys
    order = _order(keys, d, "sort")  # torch's std::sort order: its index is the run's last in that order
    if keys.dtype.is_floating_point and keys.isnan().any():
        order = _nan_rows_order(keys, order, d)
    v = apply(red.take_along, keys, order, dim=d)
    n = input.shape[d]
    prev, nxt = v.narrow(d, 0, n - 1), v.narrow(d, 1, n - 1)
    same = nxt == prev  # (a NaN ends its run: torch's kernel compares with !=)
    # a run of equal sorted values: its id (from the starts) and its count, read at its last element
    first = ones_like(v.narrow(d, 0, 1), dtype=dt.bool_)
    starts = cat([first, ~same], d).long()
    run = starts.cumsum(d) - 1
    counts = zeros_like(run).scatter_add(d, run, ones_like(run))
    ends = cat([~same, first], d)
    count = where(ends, counts.gather(d, run), 0)
    idx = order.gather(d, count.argmax(d, keepdim=True))  # the first highest count: the smallest value
    return _gather("mode", input, idx, d, keepdim)
