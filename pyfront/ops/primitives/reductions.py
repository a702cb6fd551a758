"""Reductions over dims (with ``keepdim``), scans, sorting and softmax; each VJP is in pyfront ops.

Reductions keep their reduced dims as a sorted tuple ``dims`` attr; a 0-d input reduces over
``()`` (PyTorch accepts dim 0/-1 there and returns the value unchanged). Index-valued results
(argmax, argsort) have no gradient: the ops that return values at those indices (max with a dim,
sort, topk, median with a dim) gather them with ``take_along``, whose VJP scatters the gradient
back to exactly those positions.
"""
from __future__ import annotations

import builtins
import math

from ... import dtypes as dt
from ...autograd.dual import ON as _DUAL
from ...autograd.grad_mode import is_grad_enabled
from ...autograd.graph import SEQUENCE, present_as
from ...backends import host_rules
from ...shape import normalize_dim, normalize_dims, reads_as_int, single_int_list
from ..argcheck import invalid_combination, must_be
from ..creation import ones, zeros_like
from ..dispatch import apply, apply_like, reduce
from ..half_cpu import half_prod, is_half, thread_buffer_sum as _thread_buffer_sum
from ..memory_formats import iterated
from ..registry import OpDef, register
from ..shell import SHELL, refuse_kernel
from ..views import OPS_VIEW
from .. import samples
from .elementwise import where
from .shaping import cat

__all__ = ["sum", "prod", "amax", "amin", "argmax", "argmin", "all", "any", "cumsum", "cumprod",
           "argsort", "softmax", "log_softmax", "norm"]
METHODS = ("sum sum_to_size prod amax amin argmax argmin all any cumsum cumprod argsort softmax "
           "log_softmax norm")
INPLACE = "cumsum cumprod"


def reduced_shape(shape, dims, keepdim):
    if keepdim:
        return tuple(1 if d in dims else n for d, n in enumerate(shape))
    return tuple(n for d, n in enumerate(shape) if d not in dims)


def unsqueeze_to(g, shape, dims):
    """Undo a keepdim=False reduction on ``g`` so that it broadcasts against ``shape``."""
    return g.reshape(reduced_shape(shape, dims, True))


def reduce_dims(dim, ndim: int) -> tuple:
    """The sorted dims a reduction over ``dim`` (None or () = all) covers; () for a 0-d input."""
    if type(dim) is int and -ndim <= dim < ndim:  # the commonest case, without normalize_dims' checks
        return (dim % ndim,)
    dims = normalize_dims(dim, ndim)
    return dims if ndim else ()


def check_nonempty(name: str, input, dims, error=RuntimeError, whole=True, shown=None) -> None:
    """PyTorch's refusal to reduce an empty extent when the op has no identity (max, argmax, ...);
    ``whole``: no dim was given (a given dim, even every one, is refused by name: IndexError), ``shown``
    the dims as given (torch names a dim as given: -1), where they are not ``dims``."""
    if whole and input.numel() == 0 and (not input.dim() or len(dims) == input.dim()):
        tail = " Specify the reduction dim with the 'dim' argument." if error is RuntimeError else ""
        raise error(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.{tail}")
    if shown is not None and input.dim():  # (in the order given; a dim may be a NumPy int or a 0-d tensor)
        given = shown if isinstance(shown, (tuple, list)) else (shown,)
        dims = [(int(g) % input.dim(), int(g)) for g in given]
    else:
        dims = [(d, d) for d in dims]
    for d, given in dims:
        if input.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {given} to have non-zero size.")


def _reduce_infer(out_dtype=None):
    def rule(x, dims, keepdim, **attrs):
        return [(reduced_shape(x.shape, dims, keepdim), out_dtype or x.dtype)]
    return rule


def _restore(c, *tensors):
    """Reduced ``tensors`` (gradient, output) reshaped to broadcast against the input again."""
    if c.attrs["keepdim"]:
        return tensors
    return tuple(unsqueeze_to(t, c.input_shapes[0], c.attrs["dims"]) for t in tensors)


def _integer_result(input, dtype):
    """sum/prod/cumsum/cumprod: ``dtype`` when given, else integers and bools accumulate in int64."""
    if dtype is not None:
        return input.to(dtype)
    return input if input.dtype.kind in "fc" else input.to(dt.int64)


def refuse_complex_order(input, message, kind=RuntimeError):
    """torch's refusal of an op that orders elements (max, sort, argmax, ...) for a complex ``input``:
    complex numbers have no order. ``message`` may hold ``{}``, the dtype's ScalarType name."""
    if input.dtype.kind == "c":
        raise kind(message.format(dt.scalar_name(input.dtype)))


# -- sum and prod -------------------------------------------------------------------------------
def _exclusive_products(x, dim):
    """The product of the other entries along ``dim`` without dividing (right with zeros): the
    running product before each entry times the one after it, as PyTorch's prod_safe_zeros_backward."""
    n = x.shape[dim]
    one = ones(tuple(1 if d == dim else k for d, k in enumerate(x.shape)), dtype=x.dtype, device=x.device)
    before = apply(_cumprod, cat([one, x.narrow(dim, 0, n - 1)], dim), dim=dim, reverse=False)
    after = apply(_cumprod, cat([x.narrow(dim, 1, n - 1), one], dim), dim=dim, reverse=True)
    return before * after


def _exclusive_products_over(x, dims):
    """_exclusive_products along several ``dims`` at once (moved last and flattened into one)."""
    if len(dims) == 1:
        return _exclusive_products(x, dims[0])
    order = [d for d in range(x.dim()) if d not in dims] + list(dims)
    moved = x.permute(*order)
    flat = moved.reshape(tuple(moved.shape[:x.dim() - len(dims)]) + (-1,))
    excl = _exclusive_products(flat, flat.dim() - 1).reshape(moved.shape)
    return excl.permute(*[order.index(d) for d in range(x.dim())])


def _by_zeros(x, with_zeros, without, without_first=False):
    """PyTorch's choice of a gradient formula by whether ``x`` holds a zero (two thunks). On the cpu, with no
    graph of the gradient to record, the test is read on the host and one formula runs (the values the
    select gives); else (a GPU: no read-back; a vmap: a test per sample; a graph: through both, its nodes
    made in the order given, as a double backward adds its NaN in that order) both run and a select picks."""
    zero_any = (x == 0).any()
    if host_rules(x._storage.device) and not is_grad_enabled() and not _DUAL[0] and not zero_any._batched:
        return with_zeros() if zero_any.item() else without()
    if without_first:
        plain = without()
        return where(zero_any, with_zeros(), plain)
    return where(zero_any, with_zeros(), without())


def _prod_vjp(c, g):
    # PyTorch's choice, kept where it matters (inf entries): out / x while the input holds no zero
    # anywhere, else the exclusive products; a full product with two zeros or more has gradient 0
    x = c.inputs[0]
    g, out = _restore(c, g, c.out)
    dims = c.attrs["dims"]
    if x.dim() == 0 or x.numel() == 0:
        return (g.expand(c.input_shapes[0]),)
    grad = g * _by_zeros(x, lambda: _exclusive_products_over(x, dims), lambda: out / x)
    if len(dims) == x.dim() and not is_grad_enabled():
        grad = where((x == 0).sum() > 1, 0.0, grad)
    return (iterated(grad, g, out, x),)  # laid out as torch's grad * (result / input)


def _sum_vjp(c, g):
    """torch's sum_backward: the gradient with the summed dims put back (a whole sum's 0-d one as it is),
    expanded to the input's shape: the view itself, the shapes being the op's own (no checks)."""
    if g._shape:
        g = _restore(c, g)[0]
    return (apply(OPS_VIEW["expand"], g, size=tuple(c.input_shapes[0])),)


_sum = register(OpDef(
    "sum", "reduction", _reduce_infer(),
    # what np.sum calls for an array, without np.sum's microsecond of argument wrapping
    lambda np, x, dims, keepdim: np.add.reduce(x, dims, keepdims=keepdim),
    _sum_vjp,
    torch_name="sum", samples=samples.sum))

_prod = register(OpDef(
    "prod", "reduction", _reduce_infer(),
    lambda np, x, dims, keepdim: half_prod(np, x, dims, keepdim) if is_half(x) else
    np.prod(x, axis=dims, keepdims=keepdim), _prod_vjp, save=(0,),
    save_output=True, torch_name="prod", samples=samples.prod,
    # float16 and bfloat16: each product rounded, in the order of torch's CPU kernel (NumPy multiplies a
    # contiguous row in float32; torch's lanes make arange(2048).prod() NaN: 0 * inf)
    takes_halves=True))


# the weight and bias gradients of torch's CPU norm kernels in float16 and bfloat16: float32 rows summed into
# 16-bit per-thread buffers (ops/half_cpu.py); a sum, so its gradient is the sum's
thread_buffer_sum = register(OpDef(
    "thread_buffer_sum", "other", lambda x, dtype, threads: [(tuple(x.shape[1:]), dtype)],
    lambda np, x, dtype, threads: _thread_buffer_sum(np, x, dtype, threads),
    lambda c, g: (apply(OPS_VIEW["expand"], g.float().unsqueeze(0), size=tuple(c.input_shapes[0])),),
    extra={"cpu_fallback": True, "quiet_fallback": True}))


def sum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum over ``dim`` (all dims when None); integer and bool inputs sum as int64, like PyTorch."""
    if dtype is not None or input.dtype.kind not in "fc":  # _integer_result's cases, asked here (per x.sum())
        input = _integer_result(input, dtype)
    ndim = len(input._shape)
    return reduce(_sum, input, "SumBackward0" if dim is None else "SumBackward1",
                  dims=tuple(range(ndim)) if dim is None else reduce_dims(dim, ndim), keepdim=keepdim)


def sum_to_size(input, *sizes, size=None):
    """Sum ``input`` down to the broadcast-compatible ``size`` (how broadcast gradients shrink), recording
    torch's sum_to: a sum over the dims (SumBackward1) kept, viewed as ``size`` where leading dims go; a
    sum of everything to ``()``, SumBackward0."""
    # each sum by the planned reduction (dispatch.reduce): a bias's gradient, per layer per step
    size = sizes if size is None else (size,)  # (torch's keyword form: size=)
    if len(size) == 1 and isinstance(size[0], tuple) and builtins.all(type(n) is int for n in size[0]):
        size = tuple(size[0])  # the autograd engine's call (a Size of ints): nothing to parse
    elif not size:
        raise TypeError('sum_to_size() missing 1 required positional arguments: "size"')
    else:  # torch's reading of a ``tuple of ints``, with its TypeErrors (a str, a float, a range, an array)
        from ..creation import int_tuple  # creation imports the tensor layer that imports this module
        size = int_tuple(size, "sum_to_size")
    shape = tuple(input.shape)
    lead = len(shape) - len(size)
    if lead > 0 and shape[lead:] == size:  # a bias's gradient: the leading dims go, nothing to check
        dims = tuple(range(lead))
    else:
        # torch's is_expandable_to, before a sum whose reshape would fail with another message
        if lead < 0 or builtins.any(n != 1 and n != shape[lead + i] for i, n in enumerate(size)):
            raise RuntimeError(f"size {{{list(size)}}} is not expandable to size {{{list(shape)}}}.")
        dims = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(size)
                                          if n == 1 and shape[lead + i] != 1)
    if not dims:
        return input.reshape(size) if shape != size else input
    if input.dtype.kind not in "fc":  # torch's sum: integers and bools add up in int64
        input = input.to(dt.int64)
    if not size:
        return reduce(_sum, input, dims=dims, keepdim=False)
    if dims == tuple(range(lead)) and not (input.requires_grad and is_grad_enabled()):
        # the sum is the result itself, not a view of it, so it owns its memory (the autograd engine
        # keeps such a gradient as .grad with no copy); with grad, torch's graph records the view
        return reduce(_sum, input, dims=dims, keepdim=False)
    out = reduce(_sum, input, "SumBackward1", dims=dims, keepdim=True)
    return out.reshape(size) if lead else out  # with no leading dims the kept dims are ``size``: no view


def prod(input, dim=None, keepdim=False, *, dtype=None):
    """Product over one ``dim`` (all dims when None); ints and bools multiply as int64."""
    if dim is not None and not reads_as_int(dim):
        if keepdim:  # (input, dim, keepdim) fits one signature only: PyTorch names the argument
            raise TypeError(f"prod(): argument 'dim' (position 2) must be int, not {type(dim).__name__}")
        raise invalid_combination("prod", (input, dim), {})
    input = _integer_result(input, dtype)
    return reduce(_prod, input, "ProdBackward0" if dim is None else "ProdBackward1",
                  dims=reduce_dims(dim, input.dim()), keepdim=keepdim)


# -- amax/amin and argmax/argmin ----------------------------------------------------------------
def _evenly_vjp(c, g):
    # ties share the gradient evenly; with ``nan_ties`` (max()/min()/median() of everything) a NaN
    # result sends it to the NaN inputs, while amax/amin give NaN gradients there, as PyTorch does
    x = c.inputs[0]
    g, out = _restore(c, g, c.out)
    mask = x == out
    if not c.attrs["nan_ties"]:  # amax/amin: scale_grad_by_count multiplies by the mask (an inf g: NaN)
        return (g * mask / mask.sum(c.attrs["dims"], keepdim=True),)
    # max()/min()/median(): evenly_distribute_backward fills zeros (CPU's masked_fill), so an infinite
    # g leaves the other inputs 0
    mask = mask | (x.isnan() & out.isnan())
    return (where(mask, g / mask.sum(c.attrs["dims"], keepdim=True), 0.0),)


def _first_extreme(np, x, dims, keepdim, np_name, nan_bits="quiet"):
    """amax/amin as torch: of equal values (0.0 and -0.0) the first is kept, and NaN wins, as torch's bits
    (``_torch_nan``); NumPy's amax may return either zero of a tie."""
    if x.dtype.kind != "f" or x.size == 0 or x.ndim == 0:
        return getattr(np, np_name)(x, axis=dims, keepdims=keepdim)
    # NumPy's extreme is torch's (NaN propagates) but where it is a zero, of which either sign may be
    # NumPy's: only then the first of the row is looked for
    r = (np.maximum if np_name == "amax" else np.minimum).reduce(x, dims, keepdims=keepdim)
    # (a pass over the result, not the input; count_nonzero, not any(): NumPy's Python wrapper, ~3x the time)
    if np.count_nonzero(nan := r != r):
        r = _torch_nan(np, r, nan, nan_bits if x.size > 1 else "quiet")
    if not np.count_nonzero(r == 0):
        return r
    if nan_bits == "ones" and r.ndim == 0:  # a whole max()/min()/aminmax() of zeros: its vector kernel's sign
        return np.array(_vector_kernel_zero(np, x.reshape(-1)), dtype=x.dtype)
    dims = tuple(range(x.ndim)) if dims is None else tuple(d % x.ndim for d in np.atleast_1d(dims))
    kept = [d for d in range(x.ndim) if d not in dims]
    rows = np.transpose(x, kept + list(dims)).reshape([x.shape[d] for d in kept] + [-1])
    first = np.argmax(rows, axis=-1) if np_name == "amax" else np.argmin(rows, axis=-1)
    out = np.take_along_axis(rows, first[..., None], axis=-1)[..., 0]
    return np.expand_dims(out, dims) if keepdim else out


def _torch_nan(np, r, nan, bits: str):
    """``r`` with torch's CPU bits where it is NaN (``nan``): amax/amin's the quiet NaN whatever NaN came in
    ("quiet"); its kernel of a whole tensor's max(), min() and aminmax() blends by its vector comparison's
    mask, every bit set ("ones"), which float16's conversion leaves as 0xFE00 ("negative": the negative quiet
    NaN, in the float32 it computes in here)."""
    r = np.array(r)  # (a copy; a 0-d result too)
    if bits == "ones" and r.dtype.itemsize in (4, 8):
        r.view(f"u{r.dtype.itemsize}")[nan] = ~np.uint64(0) >> np.uint64(64 - 8 * r.dtype.itemsize)
    else:
        r[nan] = -np.nan if bits == "negative" else np.nan
    return r


# torch's whole max()/min()/aminmax() kernel (measured on its CPU build): 32-byte vectors, 8 float32 or 4
# float64 lanes, element i accumulated in lane i % lanes; of tied lanes its horizontal fold keeps this order
_LANE_PRIORITY = {8: (7, 3, 5, 1, 6, 2, 4, 0), 4: (3, 2, 1, 0)}


def _vector_kernel_zero(np, flat) -> float:
    """Which zero (0.0 or -0.0) torch's whole max()/min() returns where the extreme is a zero: its max/min
    instruction gives the second operand of a tie, so each lane keeps its last zero, and the lanes fold in
    ``_LANE_PRIORITY``'s order; under one vector (and other dtypes), a scalar loop: the last zero."""
    lanes = 32 // flat.dtype.itemsize
    zeros = np.flatnonzero(flat == 0)
    if len(flat) < lanes or lanes not in _LANE_PRIORITY:
        return float(flat[zeros[-1]])
    lane_of = zeros % lanes
    for lane in _LANE_PRIORITY[lanes]:
        if (mine := zeros[lane_of == lane]).size:
            return float(flat[mine[-1]])
    raise AssertionError("a zero extreme has a zero")


def whole_nan_bits(dtype) -> str:
    """``_torch_nan``'s bits of a whole tensor's max()/min()/aminmax() for ``dtype`` (bfloat16's conversion
    from float makes every NaN the quiet one; "ones" also picks the kernel's zero: _vector_kernel_zero)."""
    return {dt.float32: "ones", dt.float64: "ones", dt.float16: "negative"}.get(dtype, "quiet")


def _extreme(name, np_name):
    return register(OpDef(
        name, "reduction", _reduce_infer(),
        lambda np, x, dims, keepdim, nan_ties, nan_bits="quiet": _first_extreme(np, x, dims, keepdim, np_name,
                                                                                nan_bits),
        _evenly_vjp, save=(0,), save_output=True, torch_name=name,
        samples=samples.amax_amin))


amax_op = _extreme("amax", "amax")
amin_op = _extreme("amin", "amin")


def _median_np(np, x, dims, keepdim, nan_ties, nan_skipped=False):
    """The lower median of every element; ``nan_skipped`` (nanmedian's, the cpu's alone): of those not NaN,
    the first NaN in row-major order where all are."""
    flat = np.sort(x.reshape(-1))  # NaN sorts last
    if flat.size == 0:  # no identity: NaN for floats, and for integers the lowest value, as PyTorch
        return np.array(np.nan if x.dtype.kind == "f" else np.iinfo(x.dtype).min)
    last = flat[-1]
    if x.dtype.kind == "f" and np.isnan(last):
        if not nan_skipped:  # a NaN anywhere makes the median NaN
            return last
        count = flat.size - np.count_nonzero(np.isnan(flat))
        nth = max((count - 1) // 2, 0)
        if not count:
            return x.reshape(-1)[0]
    else:
        nth = (flat.size - 1) // 2
    if getattr(np, "__name__", None) != "numpy":  # (a compute module of another kind: the sort's)
        return flat[nth]
    from .tie_order import signed_zero_median  # which of -0.0 and 0.0 torch's nth_element leaves there
    return signed_zero_median(np.ravel(x, order="K"), nth, flat[nth])


# the lower median of every element; with a dim, median is a composite of argsort and take_along
median_op = register(OpDef("median", "reduction", _reduce_infer(), _median_np, _evenly_vjp, save=(0,),
                           save_output=True))


def _whole(dim) -> bool:
    """Whether amax/amin's ``dim`` names no dim (None, or an empty list: every one)."""
    return dim is None or isinstance(dim, (tuple, list)) and not dim


def amax(input, dim=(), keepdim=False):
    """The maximum over ``dim`` (all dims when ()); ties share the gradient evenly."""
    dims = reduce_dims(dim, input.dim())  # (torch checks the dims before its kernel's dtype)
    check_nonempty("amax", input, dims, whole=_whole(dim), shown=None if _whole(dim) else dim)
    if input.numel():  # (an empty result runs no kernel)
        refuse_complex_order(input, "\"max_values_cpu\" not implemented for '{}'", NotImplementedError)
    return reduce(amax_op, input, dims=dims, keepdim=keepdim, nan_ties=False)


def amin(input, dim=(), keepdim=False):
    """The minimum over ``dim`` (all dims when ()); ties share the gradient evenly."""
    dims = reduce_dims(dim, input.dim())  # (torch checks the dims before its kernel's dtype)
    check_nonempty("amin", input, dims, whole=_whole(dim), shown=None if _whole(dim) else dim)
    if input.numel():  # (an empty result runs no kernel)
        refuse_complex_order(input, "\"min_values_cpu\" not implemented for '{}'", NotImplementedError)
    return reduce(amin_op, input, dims=dims, keepdim=keepdim, nan_ties=False)


def _arg_np(fn_name):
    def rule(np, x, dim, keepdim):
        if dim is None:  # over the flattened input; keepdim keeps every dim as size 1
            out = getattr(np, fn_name)(x.reshape(-1))
            return np.reshape(out, (1,) * x.ndim if keepdim else ())
        return getattr(np, fn_name)(x, axis=dim, keepdims=keepdim) if x.ndim else np.array(0)
    return rule


def _arg_infer(x, dim, keepdim):
    if dim is None:
        return [((1,) * x.dim() if keepdim else (), dt.int64)]
    return [(reduced_shape(x.shape, (dim,) if x.dim() else (), keepdim), dt.int64)]


argmax_op = register(OpDef("argmax", "reduction", _arg_infer, _arg_np("argmax"), None, torch_name="argmax",
                         samples=samples.argmax_argmin))
argmin_op = register(OpDef("argmin", "reduction", _arg_infer, _arg_np("argmin"), None, torch_name="argmin",
                         samples=samples.argmax_argmin))


def _arg(op, name, input, dim, keepdim):
    if input.dtype is dt.bool_:
        raise RuntimeError(f"{name}(): does not support bool input")
    refuse_complex_order(input, f"{name}(): does not support complex input")
    if dim is None:
        check_nonempty(name, input, tuple(range(input.dim())), IndexError)
        return apply(op, input, dim=None, keepdim=keepdim)
    d = normalize_dim(dim, input.dim())
    check_nonempty(name, input, (d,) if input.dim() else (), IndexError, whole=False)
    return apply(op, input, dim=d, keepdim=keepdim)


def argmax(input, dim=None, keepdim=False):
    """Index of the (first) maximum over ``dim``, or of the flattened input when None."""
    return _arg(argmax_op, "argmax", input, dim, keepdim)


def argmin(input, dim=None, keepdim=False):
    """Index of the (first) minimum over ``dim``, or of the flattened input when None."""
    return _arg(argmin_op, "argmin", input, dim, keepdim)


# -- all/any ------------------------------------------------------------------------------------
def _logical_infer(x, dims, keepdim):
    # PyTorch keeps uint8 for uint8 inputs (the pre-bool convention) and gives bool otherwise
    return [(reduced_shape(x.shape, dims, keepdim), dt.uint8 if x.dtype is dt.uint8 else dt.bool_)]


_all = register(OpDef("all", "reduction", _logical_infer,
                      lambda np, x, dims, keepdim: np.all(x, axis=dims, keepdims=keepdim), None,
                      torch_name="all", samples=samples.all_any))
_any = register(OpDef("any", "reduction", _logical_infer,
                      lambda np, x, dims, keepdim: np.any(x, axis=dims, keepdims=keepdim), None,
                      torch_name="any", samples=samples.all_any))


def _int_or_ints(dim, ndim: int) -> tuple:
    """``reduce_dims`` of a ``dim`` torch types ``int`` or ``int[]`` (no int[1]: one tensor is no list)."""
    if not (dim is None or isinstance(dim, (tuple, list)) or reads_as_int(dim)):
        raise TypeError(f"dim must be an int, not {type(dim).__name__}")  # (the failed call is parsed)
    return reduce_dims(dim, ndim)


def all(input, dim=None, keepdim=False):
    """Whether every element over ``dim`` is nonzero (bool; uint8 for uint8 input)."""
    return apply(_all, input, dims=_int_or_ints(dim, input.dim()), keepdim=keepdim)


def any(input, dim=None, keepdim=False):
    """Whether any element over ``dim`` is nonzero (bool; uint8 for uint8 input)."""
    return apply(_any, input, dims=_int_or_ints(dim, input.dim()), keepdim=keepdim)


# -- cumulative sum and product -----------------------------------------------------------------
def _scan_np(fn_name):
    def rule(np, x, dim, reverse=False):
        if x.ndim == 0:
            return x.copy()
        # PyTorch's CPU scan accumulates floats in its acc_type, float64 for float32: a running product
        # through 3e38 * 1e20 comes back finite after * 1e-30, where a float32 one stays inf
        acc = np.float64 if x.dtype.kind == "f" else None

        def fn(v, axis):
            return getattr(np, fn_name)(v, axis=axis, dtype=acc).astype(x.dtype, copy=False)
        out = np.flip(fn(np.flip(x, dim), axis=dim), dim) if reverse else fn(x, axis=dim)
        # torch's running sum starts from +0, so it never gives -0 (NumPy's starts from the first element)
        return out + x.dtype.type(0) if fn_name == "cumsum" and x.dtype.kind == "f" else out
    return rule


def _scan_infer(x, dim, **attrs):
    return [(x.shape, x.dtype)]


def _cumprod_vjp(c, g):
    # Without a zero anywhere in the input (PyTorch's test): sum_{j >= i} g_j out_j / x_i. With one:
    # before a row's first zero z the same sum over j < z; z itself gets
    # prod(x[:z]) * sum_{z <= j < z2} g_j * prod(x[z+1..j]) up to the second zero z2; the rest gets 0
    x, out, dim = c.inputs[0], c.out, c.attrs["dim"]
    if x.numel() <= 1 or x.shape[dim] == 1:
        return (g,)
    w = g * out
    return (_by_zeros(x, lambda: _cumprod_grad_with_zeros(x, g, w, dim),
                      lambda: apply(_cumsum, w, dim=dim, reverse=True) / x, without_first=True),)


def _cumprod_grad_with_zeros(x, g, w, dim):
    """cumprod's gradient where the input holds a zero (``w``: g * out), by the rule above."""
    zero = x == 0
    count = cumsum(zero, dim)
    before, first, run = count == 0, zero & (count == 1), count == 1
    grad_before = where(before, apply(_cumsum, where(before, w, 0.0), dim=dim, reverse=True) / x, 0.0)
    tail = apply(_cumprod, where(run & ~first, x, 1.0), dim=dim, reverse=False)
    prefix = apply(_prod, where(before, x, 1.0), dims=(dim,), keepdim=True)
    at_zero = prefix * (g * tail * run).sum(dim, keepdim=True)
    return grad_before + where(first, at_zero, 0.0)


def _cumsum_vjp(c, g):
    # each x_i feeds every running sum from i on: the gradient is the running sum from the end
    return (apply(_cumsum, g, dim=c.attrs["dim"], reverse=not c.attrs["reverse"]),)


_cumsum = register(OpDef("cumsum", "other", _scan_infer, _scan_np("cumsum"), _cumsum_vjp, torch_name="cumsum",
                         samples=samples.cumsum_cumprod))
_cumprod = register(OpDef("cumprod", "other", _scan_infer, _scan_np("cumprod"), _cumprod_vjp, save=(0,),
                          save_output=True, torch_name="cumprod", samples=samples.cumsum_cumprod))


def cumsum(input, dim, *, dtype=None):
    """Running sum along ``dim``; ints and bools accumulate in int64 unless ``dtype`` says otherwise."""
    input = _integer_result(input, dtype)  # (webgpu's one refusal of a shell dtype first)
    if dtype in SHELL:  # torch's scans have no kernel of them (an unsigned input alone accumulates in int64)
        refuse_kernel("cumsum_out_cpu", dtype)
    return apply(_cumsum, input, dim=normalize_dim(dim, input.dim()), reverse=False)


def cumprod(input, dim, *, dtype=None):
    """Running product along ``dim``; ints and bools accumulate in int64 unless ``dtype`` says otherwise."""
    input = _integer_result(input, dtype)
    if dtype in SHELL:
        refuse_kernel("cumprod_out_cpu", dtype)
    return apply(_cumprod, input, dim=normalize_dim(dim, input.dim()))


def _extreme_index_np(np, x, dim, largest):
    # an element sets the running extreme where it equals the extreme so far including itself (ties: the
    # later wins) or is NaN (NaN beats every number, a later NaN too); each place takes the last such
    ext = (np.maximum if largest else np.minimum).accumulate(x, axis=dim)  # (NaN-propagating)
    sets = x == ext
    if x.dtype.kind == "f":
        sets |= np.isnan(x)
    # the last setting place, row by row along dim: each setter's position repeated up to the next one
    # (every row's first element sets, so no run crosses a row; NumPy's running max would be a slow pass)
    rows = np.moveaxis(sets, dim, -1)
    flat = rows.ravel()
    at = np.flatnonzero(flat)
    run = np.repeat(at % x.shape[dim], np.diff(at, append=flat.size))
    return np.ascontiguousarray(np.moveaxis(run.reshape(rows.shape), -1, dim))


# cummax/cummin's indices on the host in one running pass (the composite's doubling scan takes log2(n)
# rounds of whole-tensor ops: 100 times torch's time on the cpu); real inputs of at least one element
extreme_index = register(OpDef("extreme_index", "other", lambda x, dim, largest: [(x.shape, dt.int64)],
                               _extreme_index_np, None))


# -- sorting ------------------------------------------------------------------------------------
def _argsort_np(np, x, dim, descending):
    if x.ndim == 0:
        return np.zeros((), dtype=np.int64)
    from .tie_order import stable_argsort
    return stable_argsort(x, dim, descending)


_argsort = register(OpDef("argsort", "other", lambda x, dim, descending: [(x.shape, dt.int64)], _argsort_np,
                          None, torch_name="argsort", samples=samples.argsort))


def _lexsort_np(np, rows):
    """The stable order of ``rows`` (n, m) compared column by column, the first deciding first (NaN last, -0.0
    and 0.0 equal, as the stable argsort's): NumPy's lexsort takes its last key first."""
    return np.lexsort(rows.T[::-1]) if rows.shape[1] else np.arange(rows.shape[0])


# unique(dim=...)'s row order on the cpu in one kernel (composite/sets.py: a stable argsort per column elsewhere)
lexsort_op = register(OpDef("lexsort", "other", lambda rows: [((rows.shape[0],), dt.int64)], _lexsort_np, None))


def _torch_order_np(np, x, dim, how, k, descending, sorted_):
    from .tie_order import torch_order
    return torch_order(x, dim, how, k, descending, sorted_)


def _torch_order_infer(x, dim, how, k, descending, sorted_):
    shape = list(x.shape)
    if shape and how != "sort":
        shape[dim] = k if how == "topk" else 1
    return [(tuple(shape), dt.int64)]


# torch's CPU order among equal elements (tie_order.py): its kernels are sequential algorithms, so the webgpu
# device computes this one on the host, quietly (it is no missing kernel: a GPU order would differ)
torch_order = register(OpDef("torch_order", "other", _torch_order_infer, _torch_order_np, None,
                             extra={"cpu_fallback": True, "quiet_fallback": True}))


def host_orders(input) -> bool:
    """Whether torch's order among ties can be computed for ``input``: on the host, with NumPy. Without it
    (the browser build) a GPU tensor keeps its GPU sort's stable order rather than fail."""
    if input.device.type == "cpu":
        return True
    from ...backends import host_numpy
    return host_numpy() is not None


def _radix_sorted(input, dim, descending) -> bool:
    # torch's CPU sort of a long 1-d integer tensor, ascending, is fbgemm's radix sort: stable
    return (input.dim() == 1 and not descending and not input.dtype.is_floating_point
            and input.dtype is not dt.bool_ and input.numel() >= 32768)


def argsort(input, dim=-1, descending=False, *, stable=False):
    """Indices that sort ``input`` along ``dim``: with ``stable``, equal elements keep their order; without,
    they come in the order torch's CPU sort (std::sort) leaves them, on every device."""
    d = normalize_dim(dim, input.dim())  # (its range before the dtype, as torch)
    refuse_complex_order(input, " Sort does not support complex dtypes on CPU")
    if (stable or (input.dim() and input._strides[d] == 0) or _radix_sorted(input, d, descending)
            or not host_orders(input)):
        # (stride 0: torch's identity) laid out as the input, as torch's sort makes its results
        return apply_like(input, _argsort, input, dim=d, descending=bool(descending))
    return apply_like(input, torch_order, input, dim=d, how="sort", k=0, descending=bool(descending),
                      sorted_=True)


def _put_np(np, g, idx, dim, shape):
    # every caller's indices are distinct along ``dim`` (a sort order, or one index per row)
    out = np.zeros(shape, dtype=g.dtype)
    np.put_along_axis(out, idx, g, axis=dim)
    return out


take_along = register(OpDef(
    "take_along", "other", lambda x, idx, dim: [(idx.shape, x.dtype)],
    lambda np, x, idx, dim: np.take_along_axis(x, idx, axis=dim),
    lambda c, g: (apply(put_along, g, c.inputs[1], dim=c.attrs["dim"], shape=tuple(c.input_shapes[0])), None),
    arity=2, save=(1,), backward_name="GatherBackward0"))
put_along = register(OpDef(
    "put_along", "other", lambda g, idx, dim, shape: [(shape, g.dtype)], _put_np,
    lambda c, g: (apply(take_along, g, c.inputs[1], dim=c.attrs["dim"]), None),
    arity=2, save=(1,), backward_name="ScatterBackward0"))


# -- softmax ------------------------------------------------------------------------------------
def _row_max(np, x, axis):
    """``np.max(x, axis, keepdims=True)`` (-inf for an empty row). Short rows along the last dim (a
    classifier's scores) are reduced as columns of a transposed copy: NumPy reduces a row of ten in a
    loop of its own per row, ~5x slower. The maximum is exact and NaN wins either way: the same values."""
    if axis is not None and x.ndim >= 2 and axis == x.ndim - 1 and 0 < x.shape[axis] <= 32:
        # (a matrix's transpose as such: moveaxis and expand_dims are a dozen Python calls of NumPy's own)
        cols = np.ascontiguousarray(x.T if x.ndim == 2 else np.moveaxis(x, axis, 0))
        return np.maximum.reduce(cols, axis=0)[..., None]
    return np.max(x, axis=axis, keepdims=True, initial=-np.inf)


def _softmax_np(np, x, dim, log):
    axis = dim if x.ndim else None
    # float16 and bfloat16 compute in float32; torch's last-dim log_softmax kernel keeps the sum of exps, and
    # its log, in the 16-bit dtype (log_softmax takes 16-bit arrays: takes_halves)
    low = x.dtype if is_half(x) else None
    half_sum = low is not None and dim == max(x.ndim - 1, 0)
    x = x.astype(np.float32) if low is not None else x
    # shifting by the row maximum keeps exp from overflowing; initial= allows empty rows
    # (inf - inf and log(0) are quiet: the backend runs every rule under an ignoring errstate, where a
    # np.errstate of its own here cost ~4 us a call)
    shifted = x - _row_max(np, x, axis)
    if log:
        total = np.add.reduce(np.exp(shifted), axis=axis, keepdims=True)  # np.sum, without its frames
        if half_sum:
            return shifted - np.log(total.astype(low)).astype(low)
        return shifted - np.log(total)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_vjp(c, g):
    dim, y = c.attrs["dim"], c.out
    if _one_kernel(g, y):  # a training step's case: the formulas below as one op, where they are four
        return (apply(_SOFTMAX_BACKWARD[c.attrs["log"]], g, y, dim=dim),)
    since = SEQUENCE[0]
    if c.attrs["log"]:
        grad = g - y.exp() * g.sum(dim, keepdim=True)
    else:
        grad = y * (g - (g * y).sum(dim, keepdim=True))
    if is_grad_enabled():  # a graph of the gradient (create_graph): torch's one node of its backward op
        present_as(grad, _BACKWARD_NODES[c.attrs["log"]], since, inputs=(g, y))
    return (grad,)


_BACKWARD_NODES = {False: "SoftmaxBackwardDataBackward0", True: "LogSoftmaxBackwardDataBackward0"}


def _one_kernel(g, y) -> bool:
    """Whether softmax's gradient ``g`` and output ``y`` take ``_SOFTMAX_BACKWARD``'s op: whole row-major
    float32/float64 tensors of one shape (not 0-d) on NumPy's cpu, where no graph of the gradient is recorded
    and no forward gradient flows (the op has no derivative of its own: those take the formulas)."""
    return (not is_grad_enabled() and not _DUAL[0] and g._layout.whole and y._layout.whole and g.dtype in
            _BACKWARD_DTYPES and g.dtype is y.dtype and g._shape and g._shape == y._shape
            and host_rules(g._storage.device))


def _softmax_backward_np(log):
    """``_softmax_vjp``'s formula computed by the NumPy calls its ops make (the flat exp and products, the
    sum as ``sum``'s rule), so its bits are the composite's."""
    def rule(np, g, y, dim):
        if log:
            return g - np.exp(y) * np.add.reduce(g, (dim,), keepdims=True)
        return y * (g - np.add.reduce(g * y, (dim,), keepdims=True))
    return rule


_BACKWARD_DTYPES = (dt.float32, dt.float64)
# torch's _softmax_backward_data and _log_softmax_backward_data (by log), for the gradient only: run where no
# graph is recorded, so they need no VJP of their own (a graph of the gradient takes the formulas)
_SOFTMAX_BACKWARD = {log: register(OpDef(
    name, "other", lambda g, y, dim: [(g.shape, g.dtype)], _softmax_backward_np(log), None, arity=2))
    for log, name in ((False, "_softmax_backward_data"), (True, "_log_softmax_backward_data"))}


_softmax = register(OpDef("softmax", "reduction", lambda x, dim, log: [(x.shape, x.dtype)], _softmax_np,
                          _softmax_vjp, save_output=True, torch_name="softmax", samples=samples.softmax,
                          vjp_in_float32=dt.HALVES))
log_softmax_op = register(OpDef("log_softmax", "reduction", lambda x, dim, log: [(x.shape, x.dtype)],
                              _softmax_np, _softmax_vjp, save_output=True, torch_name="log_softmax",
                              samples=samples.softmax, takes_halves=True, vjp_in_float32=dt.HALVES))


def _softmax_call(op, name, input, dim, dtype):
    if dtype is not None:
        input = input.to(dtype)
    d = normalize_dim(dim, input.dim())
    if not input.dtype.is_floating_point or input.dtype in dt.FLOAT8:  # no kernel: by the dim, as torch's
        if not input.numel():
            return input.clone()  # (torch returns before it looks one up)
        kernel = f"{name}_lastdim_kernel_impl" if d == max(input.dim() - 1, 0) else f"{name}_kernel_impl"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt.scalar_name(input.dtype)}'")
    return apply(op, input, dim=d, log=op is log_softmax_op)


def softmax(input, dim, dtype=None):
    """exp(x) / sum(exp(x)) along ``dim``, computed stably; ``dtype`` casts the input first."""
    return _softmax_call(_softmax, "softmax", input, dim, dtype)


def log_softmax(input, dim, dtype=None):
    """x - logsumexp(x) along ``dim``, computed stably; ``dtype`` casts the input first."""
    return _softmax_call(log_softmax_op, "log_softmax", input, dim, dtype)


# -- vector norms -------------------------------------------------------------------------------
def _norm_np(np, x, p, dims, keepdim):
    a = np.abs(x)
    kw = {"axis": dims, "keepdims": keepdim}
    if p == math.inf:
        return np.max(a, **kw)
    if p == -math.inf:
        return np.min(a, **kw)
    if p == 0:
        return np.sum(a != 0, **kw)
    if p == 1:
        return np.sum(a, **kw)
    if p == 2:
        return np.sqrt(np.sum(a * a, **kw))
    with np.errstate(divide="ignore"):  # negative p: a zero entry makes the norm 0, as in PyTorch
        return np.sum(a ** p, **kw) ** (1 / p)


def _norm_vjp(c, g):
    # PyTorch's linalg_vector_norm_backward, case by case, so that zeros and infinities meet the same
    # masks; a power is taken on a stand-in where its masked result would be inf
    x, p, dims = c.inputs[0], c.attrs["p"], c.attrs["dims"]
    g, out = _restore(c, g, c.out)
    if p == 0:
        return (zeros_like(x),)
    if p == 1:
        return (g * x.sign(),)
    if abs(p) == math.inf:  # ties share the gradient, as for amax
        mask = x.abs() == out
        return (g * x.sign() * mask / mask.sum(dims, keepdim=True),)
    zero_x = x == 0
    if p < 1:  # |x|^(p-1) is infinite at 0, where PyTorch takes it as 0; the norm is not masked
        scaled = x.sign() * where(zero_x, 0, where(zero_x, 1, x).abs() ** (p - 1))
        return (scaled * g * out ** (1 - p),)
    # 0 where the norm is 0
    zero_norm = out == 0
    norm = where(zero_norm, 1, out)
    scale = where(zero_norm, 0, g / (norm if p == 2 else norm ** (p - 1)))
    return ((x if p == 2 else x.sign() * x.abs() ** (p - 1)) * scale,)


_norm = register(OpDef("norm", "reduction", _reduce_infer(), _norm_np, _norm_vjp, save=(0,), save_output=True,
                       backward_name="LinalgVectorNormBackward0", torch_name="norm", samples=samples.norm))


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """The vector p-norm over ``dim`` (all dims when None); 'fro' is the 2-norm, 'nuc' the nuclear norm (of
    two dims), as ``torch.norm``."""
    if isinstance(p, str) and p == "nuc":  # torch's Python hands it to matrix_norm, over every dim by default
        from ...linalg.norms import matrix_norm
        dims = tuple(range(input.dim())) if dim is None else (dim,) if isinstance(dim, int) else tuple(dim)
        return matrix_norm(input, "nuc", dims, keepdim, dtype=dtype)
    if input.dtype.is_complex:  # the norm of the magnitudes (a real result), its gradient through abs's
        return norm(input.abs(), p, dim, keepdim, dtype if dtype is None else dt.to_real(dtype))
    if not input.dtype.is_floating_point:  # checked before the cast to ``dtype``, as in PyTorch
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. "
                           f"Got {dt.scalar_name(input.dtype)}")
    if dtype is not None:
        if not dtype.is_floating_point:
            raise RuntimeError("linalg.vector_norm: dtype should be floating point or complex, but got "
                               f"{dt.scalar_name(dtype)}")
        input = input.to(dtype)
    if isinstance(dim, bool):  # torch's Python makes an int dim a list of it, and parses that
        raise TypeError("linalg_vector_norm(): argument 'dim' (position 3) must be tuple of ints, but found "
                        "element of type bool at pos 0")
    if isinstance(p, str):
        if dim is not None and not isinstance(dim, int):
            len(dim)  # (torch's Python asks a 'fro' norm's dims their count: a NumPy int has none)
        if p != "fro":
            raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
        if isinstance(dim, (tuple, list)) and len(dim) > 2:
            raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}")
        p = 2
    if dim is not None and not isinstance(dim, (tuple, list)) and single_int_list(dim) is None:
        raise must_be("linalg_vector_norm", "dim", "tuple of ints", dim, 3)  # (where torch's Python hands it)
    dims = reduce_dims(dim, input.dim())
    if abs(p) == math.inf and builtins.any(input.shape[d] == 0 for d in dims):
        raise RuntimeError(f"linalg.vector_norm cannot compute the {'-' if p < 0 else ''}inf norm on an "
                           "empty tensor because the operation does not have an identity")
    return apply(_norm, input, p=float(p), dims=dims, keepdim=keepdim)
