"""The cpu's one-kernel rules of the moment reductions (var, std, var_mean, std_mean) and the norm layers.

Those are composites of ~15 primitives each (ops/composite/reductions.py, nn/functional/normalization.py),
which is what the GPU and autograd run. Where no graph is recorded on the cpu, each instead runs as one
op here whose NumPy rule takes the composite's very steps on the arrays, in its order and dtype (a
running mean: each term divided by N before the sum; the sums NumPy's, as the sum primitive's), so the
values are the composite's to the bit, at the cost of one dispatch instead of fifteen.

No rule here has a VJP: a call that needs a gradient, forward AD or vmap takes the composite.
"""
from __future__ import annotations

import math

from ... import dtypes as dt
from ...autograd.dual import ON as _DUAL
from ...autograd.grad_mode import _state, _vmap_blocks
from ...backends import get_backend, host_numpy, host_rules
from ...strides_order import preserved_strides
from ...tensor import Tensor
from ..dispatch import apply, apply_like
from ..registry import OpDef, register
from .elementwise import _clamp_np, _where_np, relaid
from .reductions import _norm_np, reduced_shape

__all__: list = []
METHODS = ""
INPLACE = ""

_KERNEL_DTYPES = frozenset((dt.float32, dt.float64, *dt.HALVES))


def one_kernel(input, *others, numbers=()) -> bool:
    """Whether a composite of these may run as its one cpu op: ``input`` (of a float dtype it computes) and
    ``others`` (tensors or None) on the cpu's NumPy, with no graph to record, no forward AD and no vmap, and
    ``numbers`` (eps, momentum) plain ints or floats. Anything else takes the composite, whose steps refuse a
    wrong argument in torch's words."""
    if input.dtype not in _KERNEL_DTYPES or _DUAL[0] or _vmap_blocks[0]:
        return False
    device = input._storage.device
    if not host_rules(device):
        return False
    grad = _state.enabled and input._requires_grad
    for t in others:
        if t is not None:
            if not isinstance(t, Tensor) or t._storage.device is not device:
                return False
            grad = grad or _state.enabled and t._requires_grad
    for n in numbers:
        if type(n) is not float and type(n) is not int:
            return False
    return not grad


# -- the composites' steps on arrays --------------------------------------------------------------
def _mean(np, x, dims):
    """mean_without_overflow's (a running mean's) steps, the dims kept: each term divided by N, then summed;
    NaN (0 / 0) for no elements."""
    n = math.prod(x.shape[d] for d in dims)
    if not n:
        return np.add.reduce(x, dims, keepdims=True) / x.dtype.type(0)
    return np.add.reduce(x / x.dtype.type(n), dims, keepdims=True)


def _plain_mean(np, x, dims):
    """Tensor.mean's steps without a graph, the dims kept: the sum, divided by N."""
    return np.add.reduce(x, dims, keepdims=True) / x.dtype.type(math.prod(x.shape[d] for d in dims))


def _moments(np, x, dims):
    """The norm layers' (running mean, deviations from it, population variance as a running mean)."""
    mean = _mean(np, x, dims)
    d = x - mean
    return mean, d, _mean(np, d * d, dims)


def _rsqrt(np, x):
    return 1 / np.sqrt(x)  # rsqrt's rule (float32 and float64)


# -- var, std, var_mean, std_mean -------------------------------------------------------------------
def two_pass(input, dims, with_mean) -> bool:
    """Whether torch's CPU kernel takes var's or std's whole-tensor path (a float32 or float64 input, one
    output element, not var_mean's or std_mean's): the deviations from the input's mean in its own dtype (a
    sum, divided), not from a running (Welford) mean in float64."""
    return not with_mean and input.dtype in _TWO_PASS and \
        math.prod([n for d, n in enumerate(input.shape) if d not in dims]) == 1


_TWO_PASS = (dt.float32, dt.float64)


def _running_center(np, x, dims):
    """_running_center's steps (composite/reductions.py): each slice's first element plus the mean of the
    differences from it, each term x / N - first / N; the plain mean (NaN) of no elements."""
    if not x.size:
        return _plain_mean(np, x, dims)
    first = x[tuple(slice(0, 1) if d in dims else slice(None) for d in range(x.ndim))]
    n = x.dtype.type(math.prod(x.shape[d] for d in dims))
    return first + np.add.reduce(x / n - first / n, dims, keepdims=True)


def _center_np(np, x, wide, dims, two_pass, with_mean, target):
    """_center's steps (composite/reductions.py): the input's plain mean in its dtype ``two_pass``; a float64
    input's running center for var_mean and std_mean, else its plain mean; else the plain mean in float64."""
    if two_pass:
        return _plain_mean(np, x, dims).astype(np.float64)
    if target == "float64" and with_mean:
        return _running_center(np, wide, dims)
    return _plain_mean(np, wide, dims)


def _moment_np(np, x, dims, keepdim, dof, root, two_pass, with_mean, target):
    """_moment's steps on the cpu (composite/reductions.py), torch's CPU kernel's order: the deviations in
    float64 from the center (the input's own mean ``two_pass``, else the running center in float64), their
    squares summed there, divided by ``dof``, the root taken, the outputs a tie could round otherwise settled
    (_settle_np), then rounded to the input's dtype; with the center beside them, rounded likewise (var_mean,
    std_mean)."""
    wide = np.asarray(x, np.float64, order="C")  # (as the composite's: its sums' order is the layout's)
    center = _center_np(np, x, wide, dims, two_pass, with_mean, target)
    d = wide - center
    ssq = np.add.reduce(d * d, dims, keepdims=True)
    moment = np.sqrt(ssq / np.float64(dof)) if root else ssq / np.float64(dof)
    if not x.size:  # torch fills an empty input's outputs with its NaN, the positive one
        moment, center = np.abs(moment), np.abs(center)
    elif target != "float64":
        moment, center = _settle_np(np, x, wide, ssq, moment, center, dims, dof, root, two_pass, with_mean,
                                    target)
    if target == "bfloat16":  # torch's float to bfloat16 gives every NaN as 0x7FC0
        moment, center = _plain_nan(np, moment), _plain_nan(np, center)
    shape = reduced_shape(x.shape, dims, keepdim)
    moment = moment.astype(x.dtype).reshape(shape)
    return (moment, center.astype(x.dtype).reshape(shape)) if with_mean else moment


def _plain_nan(np, r):
    """``r`` with each NaN the positive quiet one."""
    return np.where(r == r, r, np.float64(math.nan))


def _moment_infer(x, dims, keepdim, dof, root, two_pass, with_mean, target):
    shape = reduced_shape(x.shape, dims, keepdim)
    return [(shape, x.dtype)] * (2 if with_mean else 1)


_moment_op = register(OpDef("moment", "other", _moment_infer, _moment_np, None))


def moment(input, dims, keepdim, dof, root, with_mean):
    """var (std where ``root``) over ``dims`` divided by ``dof`` (a negative one clamped at 0), as torch's CPU
    kernel; (that, the mean) ``with_mean``."""
    return apply(_moment_op, input, dims=dims, keepdim=keepdim, dof=max(dof, 0), root=root,
                 two_pass=two_pass(input, dims, with_mean), with_mean=with_mean, target=input.dtype.name)


# -- ties: torch's own steps where the order of the float64 sums could decide the rounding --------------
_BUDGET = 1 << 16  # elements worth walking in Python: a non-finite tensor's every slice is unsure
_NEAR = 1 << 12  # float64 ulps from a rounding midpoint that the sums' order could cross (N ulps at most)
# where a float64's bits round to the target's: the bits below its mantissa (float, then a 16-bit one's)
_DROPPED = {"float32": (29,), "float16": (29, 42), "bfloat16": (29, 45)}
# target -> its (offset, mask, width) NumPy words, made on first use (NumPy is optional)
_TIE_TESTS: dict = {}


def _tie_tests(np, target):
    tests = _TIE_TESTS.get(target)
    if tests is None:
        # |low bits - half| < _NEAR as one unsigned comparison: (u + _NEAR - half) & mask < 2 _NEAR
        tests = _TIE_TESTS[target] = [
            (np.uint64((1 << 64) + _NEAR - (1 << (bits - 1))), np.uint64((1 << bits) - 1),
             np.uint64(2 * _NEAR))
            for bits in _DROPPED[target]]
    return tests


def _near_ties(np, r, target):
    """Where float64 results ``r`` lie within _NEAR ulps of a midpoint of ``target``'s (or of float's, where
    torch rounds to float first), or are not finite: where the order of the float64 sums could decide the
    result, or torch's steps decide its infinities and NaNs. (A float16 subnormal's rounding, at a fixed
    2^-24, counts as near.)"""
    u = r.view(np.uint64)
    near = None
    for offset, mask, width in _tie_tests(np, target):
        test = ((u + offset) & mask) < width
        near = test if near is None else near | test
    if not np.isfinite(r).all():
        near |= ~np.isfinite(r)
    if target == "float16":  # a subnormal's grid is 2^-24: near one of its midpoints (float's rounding on the
        # way, at most a float ulp of r, included)
        grid = np.abs(r) * 2.0 ** 24
        near |= (grid < 2.0 ** 10) & (np.abs(grid - np.floor(grid) - 0.5) <= grid * 2.0 ** -22)
    return near


def _settle_np(np, x, wide, ssq, moment, center, dims, dof, root, two_pass, with_mean, target):
    """``moment`` and ``center`` (float64, the dims kept; the center given back ``with_mean``) with each
    output whose rounding the order of the sums could change recomputed by torch's own steps (_welford or
    _two_pass_sum) in its order: the reduced dims walked by ``x``'s strides, the smallest innermost
    (TensorIterator's)."""
    if not wide.size:
        return moment, center
    loose = _near_ties(np, moment, target)
    if with_mean:  # also a mean cancelled to near 0, whose last bits are the rounding's (a symmetric slice)
        cancelled = center * center < ssq * (2.0 ** -40 * moment.size / wide.size)
        loose |= _near_ties(np, center, target) | cancelled
    if not loose.any():
        return moment, center
    if not np.isfinite(moment).all():  # a NaN input's slice is NaN in any order: only an infinity's is walked
        loose &= ~np.isnan(wide).any(dims, keepdims=True)
        if not loose.any():
            return moment, center
    walked = range(x.ndim) if two_pass else dims
    order = sorted(walked, key=lambda d: -abs(x.strides[d]))
    slices = wide.transpose([d for d in range(x.ndim) if d not in order] + order).reshape(loose.size, -1)
    rows = np.flatnonzero(loose)
    if rows.size * slices.shape[1] > _BUDGET:
        return moment, center
    moment, center = moment.copy(), center.copy()
    for i in rows:
        values = slices[i].tolist()
        if two_pass:
            ssq_i = _two_pass_sum(values, float(center.flat[i]))
        else:
            center.flat[i], ssq_i = _welford(values)
        var = np.float64(ssq_i) / np.float64(dof)
        moment.flat[i] = np.sqrt(var) if root else var
    return moment, center


def _welford(values):
    """torch's WelfordOps over ``values`` (Python floats: C doubles, in its order): (mean, sum of squares)."""
    mean = ssq = 0.0
    for n, v in enumerate(values, 1):
        delta = v - mean
        mean += delta / n
        ssq += delta * (v - mean)
    return mean, ssq


def _two_pass_sum(values, mean):
    """std_var_all_cpu's sum of squared deviations from ``mean``, one by one in its order."""
    total = 0.0
    for v in values:
        total += (v - mean) * (v - mean)
    return total


def _settle_infer(x, wide, ssq, moment, center, **attrs):
    return [(moment.shape, moment.dtype), (center.shape, center.dtype)]


_settle_op = register(OpDef("settle_moments", "other", _settle_infer,
                            lambda np, *arrays, **attrs: _settle_np(np, *arrays, **attrs), None))


def settle(input, wide, ssq, moment, center, dims, dof, root, two_pass, with_mean):
    """_settle_np as an op of the composite's tensors (``input`` as given, the rest float64, dims kept)."""
    return apply(_settle_op, input, wide, ssq, moment, center, dims=dims, dof=dof, root=root,
                 two_pass=two_pass, with_mean=with_mean, target=input.dtype.name)


# -- layer_norm and group_norm ------------------------------------------------------------------------
def _affine_np(out, params, weight, bias):
    """_affine's steps: times the weight, plus the bias (each present or not, in that order in ``params``)."""
    if weight:
        out = out * params[0]
    if bias:
        out = out + params[-1]
    return out


def _layer_norm_np(np, x, *params, dims, eps, weight, bias):
    _, d, var = _moments(np, x, dims)
    return _affine_np(d * _rsqrt(np, var + x.dtype.type(eps)), params, weight, bias)


_layer_norm_op = register(OpDef("layer_norm_kernel", "other", lambda x, *p, **a: [(x.shape, x.dtype)],
                                _layer_norm_np, None))


def layer_norm(input, dims, weight, bias, eps):
    """_layer_norm's value (normalization.py), one op."""
    params = [p for p in (weight, bias) if p is not None]
    return apply_like(input, _layer_norm_op, input, *params, dims=dims, eps=eps, weight=weight is not None,
                      bias=bias is not None)


def _group_norm_np(np, x, *params, groups, eps, weight, bias):
    grouped = x.reshape(x.shape[0], groups, -1)
    _, d, var = _moments(np, grouped, (2,))
    out = (d * _rsqrt(np, var + x.dtype.type(eps))).reshape(x.shape)
    shape = (-1,) + (1,) * (x.ndim - 2)
    return _affine_np(out, [p.reshape(shape) for p in params], weight, bias)


_group_norm_op = register(OpDef("group_norm_kernel", "other", lambda x, *p, **a: [(x.shape, x.dtype)],
                                _group_norm_np, None))


def group_norm(input, groups, weight, bias, eps):
    """_group_norm's value (normalization.py), one op (its result contiguous, as the composite's)."""
    params = [p for p in (weight, bias) if p is not None]
    return apply(_group_norm_op, input, *params, groups=groups, eps=eps, weight=weight is not None,
                 bias=bias is not None)


# -- batch_norm and instance_norm ---------------------------------------------------------------------
def _batch_norm_np(np, x, *arrays, dims, eps, weight, bias):
    """_scale_shift's steps (normalization.py) of a float32 or float64 input: ``x * alpha + beta`` from
    the batch's moments over ``dims`` (then also returned, as the running update reads them) or, where
    ``dims`` is None, the given per-channel statistics (the last two arrays)."""
    t = x.dtype.type
    shape = (-1,) + (1,) * (x.ndim - 2)
    params = [p.reshape(shape) for p in arrays[:weight + bias]]
    if dims is None:
        mean, var = (a.reshape(shape) for a in arrays[-2:])
    else:
        mean, _, var = _moments(np, x, dims)
    alpha = _rsqrt(np, var + t(eps))
    if weight:
        alpha = alpha * params[0]
    beta = (params[-1] if bias else t(0)) - mean * alpha
    out = x * alpha + beta
    return out if dims is None else (out, mean, var)


def _batch_norm_infer(x, *arrays, dims, eps, weight, bias):
    if dims is None:
        return [(x.shape, x.dtype)]
    stats = reduced_shape(x.shape, dims, True)
    return [(x.shape, x.dtype), (stats, x.dtype), (stats, x.dtype)]


_batch_norm_op = register(OpDef("batch_norm_kernel", "other", _batch_norm_infer, _batch_norm_np, None))


def batch_norm(input, weight, bias, eps, dims=None, mean=None, var=None):
    """batch_norm's and instance_norm's value (normalization.py), one op: from the batch's statistics over
    ``dims`` (returned too: (output, mean, var), the dims kept) or from the per-channel ``mean`` and ``var``
    given."""
    arrays = [p for p in (weight, bias) if p is not None] + ([] if dims else [mean, var])
    attrs = {"dims": dims, "eps": eps, "weight": weight is not None, "bias": bias is not None}
    if not dims:
        return apply_like(input, _batch_norm_op, input, *arrays, **attrs)
    out, mean, var = apply(_batch_norm_op, input, *arrays, **attrs)
    # the output laid out as the composite's elementwise steps lay it (the input's layout), the stats
    # contiguous
    return (relaid(out, preserved_strides(input._shape, input._strides)) if input._odd else out), mean, var


def update_running(running_mean, running_var, mean, var, momentum, count, instances=None, writes=0) -> bool:
    """_update's steps (normalization.py) for both running statistics, on their arrays in their own memory:
    each ``r * (1 - momentum) + stat * momentum``, the stats from the kernel's ``mean`` and ``var`` (the
    variance unbiased over ``count`` elements; averaged over the ``instances`` where given, instance_norm's
    per-sample statistics), each version moved by ``writes``. False where one takes _update's general path
    (another dtype, a layout of its own, not the cpu's NumPy, forward AD or vmap): nothing is written then."""
    dtype = mean.dtype
    if _DUAL[0] or _vmap_blocks[0] or not host_rules(mean._storage.device):
        return False
    for r in (running_mean, running_var):
        if r is None or r.dtype is not dtype or dtype not in (dt.float32, dt.float64) or not r._contiguous \
                or r._storage.device is not mean._storage.device or r._inference:
            return False
    array, np = get_backend(mean._storage.device).array, host_numpy()
    m, v = array(mean._layout).reshape(-1), array(var._layout).reshape(-1)
    t = m.dtype.type
    with np.errstate(all="ignore"):
        if instances is None:
            stats = m, v * t(count / (count - 1)) if count > 1 else v
        else:  # per (sample, channel): the mean over the samples
            stats = (_plain_mean(np, m.reshape(instances, -1), (0,))[0],
                     _plain_mean(np, v.reshape(instances, -1) * t(count / (count - 1)), (0,))[0])
        for running, stat in zip((running_mean, running_var), stats):
            r = array(running._layout).reshape(-1)
            np.multiply(r, t(1 - momentum), out=r)
            np.add(r, stat * t(momentum), out=r)
            running._vc.version += writes
    return True


# -- rms_norm and normalize ---------------------------------------------------------------------------
def _rms_norm_np(np, x, *params, dims, eps):
    out = x * _rsqrt(np, _plain_mean(np, x * x, dims) + x.dtype.type(eps))
    return out * params[0] if params else out


_rms_norm_op = register(OpDef("rms_norm_kernel", "other", lambda x, *p, **a: [(x.shape, x.dtype)],
                              _rms_norm_np, None))


def rms_norm(input, dims, weight, eps):
    """rms_norm's value of a float32 or float64 input, and a weight that does not promote it
    (normalization.py), one op."""
    return apply_like(input, _rms_norm_op, input, *([] if weight is None else [weight]), dims=dims, eps=eps)


def _normalize_np(np, x, p, dims, eps):
    norm = _norm_np(np, x, p, dims, True)
    return x / _clamp_np(np, np.asarray(norm, x.dtype), eps, None)


_normalize_op = register(OpDef("normalize_kernel", "other", lambda x, **a: [(x.shape, x.dtype)],
                               _normalize_np, None))


def normalize(input, p, dims, eps):
    """F.normalize's value of a float32 or float64 input (nn/functional/linear.py), one op."""
    return apply_like(input, _normalize_op, input, p=float(p), dims=dims, eps=eps)
