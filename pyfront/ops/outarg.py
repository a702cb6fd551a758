"""``out=``: PyTorch's preallocated-result keyword, added once to every public function that takes it.

``install`` wraps each function named in ``TAKES_OUT`` (the ``torch.*`` functions whose Python signature
has ``out``; tests/test_out.py checks the list against torch's own stubs). A call without ``out`` goes
straight through; with it, the function runs as usual and its result is written into ``out`` through
``copy_`` (the ordinary write path, which also settles a result that lazy fusion left pending), and
``out`` itself is returned, or a ``torch.return_types.<name>_out`` tuple of the given tensors.

PyTorch's rules, in the order it checks them:
- autograd: with grad mode on, no argument (``out`` included) may require grad;
- factories (``zeros``, ``arange``, ...) take their dtype and device from ``out``;
- the result must be castable to ``out``'s dtype (``torch.can_cast``) and on its device; index results
  and matrix products require the dtype exactly;
- ``out`` is resized to the result's shape, with PyTorch's deprecation warning when it had elements.
"""
from __future__ import annotations

import functools
import inspect
import threading

from .. import dtypes as dt
from .._warnings import warn
from ..dtypes import cpp_name, scalar_name
from ..autograd import is_grad_enabled, no_grad
from ..overrides import AWARE, ON, PASS, intercept
from ..strides_order import non_overlapping_and_dense
from ..tensor import Tensor
from . import return_types
from .argcheck import missing_argument, out_refused, parse_out_call
from .queries import can_cast
from .shell import SHELL, refuse_kernel

# torch.* functions whose signature has ``out`` (torch/_C/_VariableFunctions.pyi and the Python-level
# ones' signatures), limited to names pyfront exports
TAKES_OUT = frozenset("""
abs absolute acos add addbmm addcdiv addcmul addmm addmv all amax amin any arange arccos arcsin arctan
arctan2 argmax argmin argsort asin atan atan2 baddbmm bernoulli bitwise_and bitwise_left_shift bitwise_not
bitwise_or bitwise_right_shift bitwise_xor bmm bucketize cat ceil cholesky cholesky_inverse cholesky_solve
clamp clamp_max clamp_min clip column_stack concat concatenate copysign cos cosh cross cummax cummin cumprod
cumsum diag div divide dot dstack empty eq erf exp exp2 expm1 eye floor floor_divide fmax fmin fmod frac full
gather ge ger greater greater_equal gt heaviside histc hstack index_add index_copy index_select inner
inverse le lerp less less_equal linspace log log10 log1p log2 log_softmax logical_and logical_not
logical_or logical_xor logspace logsumexp lt masked_select matmul max maximum mean median min minimum mm
mode msort mul multinomial multiply mv nan_to_num nanmean nansum ne neg negative nonzero norm normal
not_equal ones outer pow prod qr rand randint randn randperm reciprocal remainder round rsqrt scatter
scatter_add scatter_reduce searchsorted sigmoid sign signbit sin sinh slogdet softmax sort sqrt square
stack std sub subtract sum svd take take_along_dim tan tanh tensordot topk tril triu true_divide trunc
var vdot vstack where zeros float_power kthvalue range
aminmax diff hardshrink histogram kron logcumsumexp matrix_power nanmedian nanquantile quantile renorm
row_stack threshold
acosh arccosh arcsinh arctanh asinh atanh deg2rad digamma erfc erfinv fix gcd hypot i0 isin isneginf
isposinf lcm ldexp lgamma logaddexp logaddexp2 logit mvlgamma nextafter polygamma rad2deg sgn sinc xlogy
addr narrow_copy slice_scatter geqrf lu_solve lu_unpack orgqr ormqr
angle complex polar
frexp igamma igammac
frobenius_norm nuclear_norm
alias_copy as_strided_copy detach_copy diagonal_copy expand_copy permute_copy select_copy slice_copy
squeeze_copy t_copy transpose_copy unfold_copy unsqueeze_copy view_copy chain_matmul conj_physical
index_reduce nonzero_static triangular_solve split_copy split_with_sizes_copy unbind_copy
lstsq matrix_rank solve symeig
""".split())  # (the last line: the removed ones, whose signatures keep ``out``; they only raise)
# torch.linalg's functions whose out= writes a result autograd may not record (torch refuses an input that
# requires grad), by their bindings' names; lstsq's four outs check each in its own words, and cond, eigvals,
# ldl_factor(_ex), ldl_solve, matrix_norm, norm, matrix_rank, tensorinv and tensorsolve are torch composites
# (or have no derivative) whose out= keeps the graph: without out= in pyfront
LINALG_TAKES_OUT = {n: f"linalg_{n}" for n in (
    "cholesky cholesky_ex cross det eig eigh eigvalsh householder_product inv inv_ex lu lu_factor "
    "lu_factor_ex lu_solve matmul matrix_power multi_dot pinv qr slogdet solve solve_ex solve_triangular svd "
    "svdvals vecdot vector_norm").split()}
# torch.nn.functional's functions that are torch._C._nn's bindings (F.gelu is torch._C._nn.gelu) take out=
# too, named by their binding (F.logsigmoid's is log_sigmoid); F.linear's too, left out: its wrapper would
# cost every training step
F_TAKES_OUT = {"gelu": "gelu", "softplus": "softplus", "logsigmoid": "log_sigmoid",
               "softshrink": "softshrink", "hardshrink": "hardshrink", "avg_pool2d": "avg_pool2d",
               "avg_pool3d": "avg_pool3d"}
# the op a binding's out= form runs, where torch's autograd refusal names it and not the binding
_OUT_OP = {"log_sigmoid": "log_sigmoid_forward", "chain_matmul": "mm", "linalg_multi_dot": "mm",
           "linalg_matmul": "matmul", "linalg_matrix_power": "matmul", "linalg_vecdot": "vdot",
           **{f"linalg_{n}": op for n, op in (
               ("cholesky", "linalg_cholesky_ex"), ("inv", "linalg_inv_ex"),
               ("lu_factor", "linalg_lu_factor_ex"), ("det", "_linalg_det"), ("eigh", "_linalg_eigh"),
               ("eigvalsh", "_linalg_eigh"), ("slogdet", "_linalg_slogdet"), ("solve", "_linalg_solve_ex"),
               ("solve_ex", "_linalg_solve_ex"), ("svd", "_linalg_svd"), ("svdvals", "_linalg_svd"))}}
# factories: the dtype and device of what they make are ``out``'s
_FACTORIES = frozenset("arange empty eye full linspace logspace ones rand randint randn randperm range zeros"
                       .split())
# reductions that accumulate in ``out``'s dtype, as if it were their ``dtype=``
_DTYPE_FROM_OUT = frozenset("sum nansum prod cumsum cumprod".split())
# Where PyTorch's kernel checks out's dtype itself, its own words: name -> (when, error, message), ``when``
# one of "differs" (out's dtype is not the result's), "nonfloat", "noncomplex", "nonbool"; {R}/{O} print
# the result's and out's ScalarType ("Float"), {rc}/{oc} their C++ names ("float"). Every other function
# takes any dtype the result casts to (``torch.can_cast``), as TensorIterator does.
_EXPECTED = "Expected out tensor to have dtype {rc}, but got {oc} instead"
_FOUND = "Found dtype {O} but expected {R}"
_SAME_SCALAR = "{name}(): self and result must have the same scalar type"
_DOT = "result dtype {O} does not match input dtype {R}"
_TENSORDOT = ("tensordot: Expected the output tensor to have dtype {R}, but got an output tensor with "
              "dtype {O}")
_SORTED = ("torch.searchsorted(): output tensor's dtype is wrong, it can only be Int(int32) or Long(int64) "
           "depending on whether out_int32 flag is True, but we got output tensor's dtype {O} and out_int32 "
           "flag is False")
_MV = "addmv input tensors must have the same dtype, but got {O}, {R}, and {R}"
_NANSUM = ("nonfloat", NotImplementedError, "\"nansum_cpu\" not implemented for '{O}'")
_DTYPE_ERRORS = {
    **dict.fromkeys("addmm addmv baddbmm bmm mm mv gather index_add index_copy log_softmax softmax msort "
                    "norm argmax argmin scatter scatter_add scatter_reduce sort topk tril triu "
                    "take_along_dim max min median matmul".split(), ("differs", RuntimeError, _EXPECTED)),
    **dict.fromkeys("abs absolute neg negative ceil floor frac round trunc fix sign sgn lerp clamp clip "
                    "clamp_min clamp_max".split(), ("differs", RuntimeError, _FOUND)),
    **dict.fromkeys("cross inverse slogdet qr avg_pool2d avg_pool3d".split(),
                    ("differs", RuntimeError, _EXPECTED)),
    **dict.fromkeys("gelu softplus softshrink hardshrink bitwise_not".split(),
                    ("differs", RuntimeError, _FOUND)),
    "log_sigmoid": ("differs", RuntimeError, "expected scalar type {R} but found {O}"),
    **dict.fromkeys("cat concat concatenate stack hstack vstack dstack column_stack".split(),
                    ("uncastable", TypeError, "torch.cat(): input types can't be cast to the desired output "
                     "type {O}")),
    **dict.fromkeys("cholesky cholesky_inverse cholesky_solve".split(),
                    ("uncastable", RuntimeError, "{name}: Expected result to be safely castable from {R} "
                     "dtype, but got result with dtype {O}")),
    **dict.fromkeys(("amax", "amin"), ("differs", RuntimeError, "Expected the dtype for input and out to "
                                       "match, but got {R} for input's dtype and {O} for out's dtype.")),
    **dict.fromkeys(("all", "any"), ("nonbool", RuntimeError, "{name} only supports bool tensor for result, "
                                     "got: {O}")),
    **dict.fromkeys(("index_select", "masked_select"), ("differs", RuntimeError, _SAME_SCALAR)),
    **dict.fromkeys(("dot", "vdot"), ("differs", RuntimeError, _DOT)),
    **dict.fromkeys(("inner", "tensordot"), ("differs", RuntimeError, _TENSORDOT)),
    **dict.fromkeys(("searchsorted", "bucketize"), ("differs", RuntimeError, _SORTED)),
    **dict.fromkeys(("cummax", "cummin"), ("differs", RuntimeError,
                                           "expected scalar_type {R} but found {O}")),
    # torch.linalg's ({field}: the return type's field the out stands for)
    **dict.fromkeys([f"linalg_{n}" for n in "cholesky cholesky_ex cross det eigh eigvalsh inv inv_ex lu "
                     "lu_factor lu_factor_ex lu_solve matmul qr slogdet solve solve_ex svd svdvals "
                     "vector_norm".split()], ("differs", RuntimeError, _EXPECTED)),
    **{f"linalg_{n}": ("uncastable", RuntimeError, f"{shown}: Expected {{field}} to be safely castable from "
                       "{R} dtype, but got {field} with dtype {O}")
       for n, shown in (("eig", "torch.linalg.eig"), ("pinv", "linalg.pinv"),
                        ("householder_product", "torch.linalg.householder_product"))},
    "linalg_multi_dot": ("differs", RuntimeError,
                         "multi_dot(): expected out tensor to have dtype {rc} but got {oc}"),
    "linalg_solve_triangular": ("differs", RuntimeError, "expected scalar type {R} but found {O}"),
    "linalg_vecdot": ("differs", RuntimeError, "linalg.vecdot: Expected out of dtype{R} but found {O}"),
    # (of two matrices or more: multi_dot's out; one is copied into out, which torch takes of any dtype)
    "chain_matmul": ("differs", RuntimeError,
                     "multi_dot(): expected out tensor to have dtype {rc} but got {oc}"),
    "float_power": ("differs", RuntimeError, "the output given to float_power has dtype {O} but the "
                    "operation's result requires dtype {R}"),
    "mode": ("differs", RuntimeError, "expected scalar type '{R}' but got '{O}' for values output"),
    "take": ("differs", RuntimeError, "take(): self and out expected to have the same dtype, but got "
             "self.dtype = {R} and out.dtype = {O}"),
    "nan_to_num": ("differs", RuntimeError, "nan_to_num: dtype of out: {O} should be same as input: {R}"),
    "histc": ("differs", RuntimeError, "torch.histogram: input tensor and hist tensor should have the same "
              "dtype, but got input {rc} and hist {oc}"),
    "nonzero": ("differs", RuntimeError, "nonzero: Expected out tensor to have scalar type Long but got "
                "scalar type{O}"),
    **dict.fromkeys(("signbit", "isposinf", "isneginf"),
                    ("nonbool", RuntimeError, "{name} does not support non-boolean outputs.")),
    "isin": ("nonbool", RuntimeError, "Expected out tensor to have dtype bool, but got {oc} instead"),
    "ldexp": ("uncastable", RuntimeError, "ldexp can't be cast to the desired output type {O}"),
    "heaviside": ("differs", RuntimeError,
                  "heaviside is not yet implemented for tensors with different dtypes."),
    "logsumexp": ("nonfloat", RuntimeError, "logsumexp(): Expected floating point type for result tensor, "
                  "but got: {O}"),
    "nansum": _NANSUM, "nanmean": _NANSUM,
    "mv": ("differs", RuntimeError, _MV),
    "addbmm": ("differs", RuntimeError, "self and mat2 must have the same dtype, but got {O} and {R}"),
    "mean": ("uncastable", RuntimeError,
             "mean.dtype_out(): input types can't be cast to the desired output type {O}"),
    **dict.fromkeys(("quantile", "nanquantile"), (
        "differs", RuntimeError, "quantile() out tensor must be same dtype as the input tensor")),
    **dict.fromkeys(("aminmax", "renorm"), ("differs", RuntimeError, _EXPECTED)),
    "logcumsumexp": ("differs", RuntimeError, "expected scalar_type {R} but found {O}"),
    "histogram": ("differs", RuntimeError, "torch.histogram: input tensor and hist tensor should have the "
                  "same dtype, but got input {rc} and hist {oc}"),
    # torch.fft's transforms, named as their kernel names itself (fft2 and fftn check as fftn)
    **{n: ("noncomplex", RuntimeError, f"{k} expects a complex output tensor, but got {{O}}")
       for k, names in (("fft", ["fft"]), ("ifft", ["ifft"]), ("rfft", ["rfft"]), ("ihfft", ["ihfft"]),
                        ("fftn", ["fft2", "ifft2", "fftn", "ifftn"]), ("rfftn", ["rfft2", "rfftn"]),
                        ("ihfftn", ["ihfft2", "ihfftn"])) for n in names},
    **{n: ("nonfloat", RuntimeError, f"{k} expects a floating point output tensor, but got {{O}}")
       for k, names in (("irfft", ["irfft"]), ("hfft", ["hfft"]), ("irfftn", ["irfft2", "irfftn"]),
                        ("hfftn", ["hfft2", "hfftn"])) for n in names},
}
# functions that check castability first in their own words, then the dtype exactly
_CAST_FIRST_WORDS = {"diag": "diag: result type {R} can't be cast to the desired out= type {O}",
                     "linalg_matrix_power": "matrix_power: Expected result to be safely castable from {R} "
                                            "dtype, but got result with dtype {O}"}
# median and nanmedian check their indices first, in their own words (a bool tensor's type: CPUBoolType)
_MEDIAN = ("Expected tensor for argument #1 'indices' to have scalar type Long; but got {T} instead (while "
           "checking arguments for median)")
_CASTS = (None, None, None)  # TensorIterator's rule: any dtype the result casts to
# a full reduction (one Tensor, no dim) writes its own message for an out its result cannot be cast to
_CAN_CAST = ("Expected canCast( typeMetaToScalarType(self.dtype()), typeMetaToScalarType(out.dtype())) to be "
             "true, but got false.  (Could this error message be improved?  If so, please report an "
             "enhancement request to PyTorch.)")
# functions whose ``dtype=`` must be out's dtype exactly when both are given
_DTYPE_ARG = frozenset("sum prod cumsum cumprod mean nansum nanmean softmax log_softmax norm".split())
# functions whose out= overload needs an argument the others lack (sum(x) has no out, sum(x, dim) has)
_OUT_NEEDS = {"sum": "dim", "prod": "dim", "argsort": "stable", "median": "dim", "nanmedian": "dim"}
# functions that resize ``out`` without PyTorch's deprecation warning (their kernels resize it themselves)
_SILENT_RESIZE = (_FACTORIES - {"arange"}) | {"addbmm"}
# the view copies that write a list of outs and return None; split_copy's kernel copies into each out as
# it is (an out of another shape is copy_'s broadcast error), the others resize theirs
_LIST_OUTS = frozenset(("split_copy", "split_with_sizes_copy", "unbind_copy"))
# kernels torch runs for out= alone (the function returns a real input as it is): none for a shell dtype
_OUT_KERNELS = {"conj_physical": "conj_cpu"}


def _result_casts(output, args, operands=2) -> None:
    """TensorIterator's check that the ``operands`` leading tensors' result type casts to the output (gcd's
    and lcm's, made before their kernels are looked up; addcmul's and addcdiv's, before their value is
    read)."""
    if len(args) < operands or not all(isinstance(a, Tensor) for a in args[:operands]):
        return  # the function's own TypeError
    result = dt.result_type(*args[:operands])
    if not can_cast(result, output):
        raise RuntimeError(f"result type {scalar_name(result)} can't be cast to the desired output type "
                           f"{scalar_name(output)}")


def _ldexp_casts(output, args) -> None:
    """ldexp's own check: its result, a float whatever the operands, needs a floating output; and its kernel
    of a float mantissa and an integer exponent writes the mantissa's dtype only (torch asserts)."""
    if not (output.is_floating_point or output.is_complex):  # (whatever the operands are)
        raise RuntimeError(f"ldexp can't be cast to the desired output type {scalar_name(output)}")
    if len(args) < 2 or not all(isinstance(a, Tensor) for a in args[:2]):
        return  # the function's own TypeError
    input, other = args[:2]
    if input.dtype.is_floating_point and not (other.dtype.is_floating_point or other.dtype.is_complex) \
            and output is not input.dtype and input.dtype not in dt.FLOAT8:
        raise RuntimeError("!needs_dynamic_casting<func_t>::check(iter) INTERNAL ASSERT FAILED at "
                           '"/__w/pytorch/pytorch/aten/src/ATen/native/cpu/Loops.h":311, please report a '
                           "bug to PyTorch. ")


def _mvlgamma_casts(output, args) -> None:
    """mvlgamma's own check, after its arguments' (a bool input, p < 1) and a float8 input's kernel: its text
    names the input's dtype as the result's, and the result's (a float) as the output's."""
    input, p = (*args, None)[:2]
    if not isinstance(input, Tensor) or input.dtype is dt.bool_ or input.dtype in dt.FLOAT8 \
            or not isinstance(p, int) or p < 1:
        return
    result = input.dtype if input.dtype.is_floating_point else dt.get_default_dtype()
    if not can_cast(result, output):
        raise RuntimeError(f"mvlgamma: result type {scalar_name(input.dtype)} can't be cast to the desired "
                           f"output type {scalar_name(result)}")


# ops whose kernel's loop order torch's TensorIterator takes from the output's strides first, so that their
# bits depend on an out= tensor's layout: they read it (out_strides) while they compute for one
_LAID_BY_OUT = frozenset({"addr"})
_OUT_LAYOUT = threading.local()


def out_strides(shape):
    """The strides of the out= tensor an op of _LAID_BY_OUT computes for now on this thread, where it has the
    result's ``shape`` (else torch resizes it, and its loop ignores its strides), else None."""
    out = getattr(_OUT_LAYOUT, "out", None)
    return out.stride() if out is not None and tuple(out.shape) == tuple(shape) else None


def _laid_by_out(fn, out, args, kwargs):
    outer, _OUT_LAYOUT.out = getattr(_OUT_LAYOUT, "out", None), out
    try:
        return fn(*args, **kwargs)
    finally:
        _OUT_LAYOUT.out = outer  # (an out= call inside keeps the outer one's layout after it)


# one-operand ops whose TensorIterator has no type promotion: an out of another dtype than the input is
# refused before the kernel looks at the dtype (bitwise_not of a float, floor of a bool)
_SAME_DTYPE = frozenset("abs absolute neg negative ceil floor frac round trunc fix sign sgn bitwise_not"
                        .split())


def _same_dtype_first(name: str, args, out: Tensor, error: NotImplementedError) -> None:
    """TensorIterator's refusal of ``out`` of another dtype than the input, where the kernel refused the
    dtype (its '"floor_vml_cpu" not implemented for ...'; an op's own refusal before, complex floor's,
    stands)."""
    x = args[0] if args else None
    if name in _SAME_DTYPE and isinstance(x, Tensor) and out.dtype is not x.dtype \
            and str(error).startswith('"') and " not implemented for " in str(error):
        raise RuntimeError(_FOUND.format(O=scalar_name(out.dtype), R=scalar_name(x.dtype))) from None


# out= (and in-place) forms that check the output's dtype before they compute, each in its words: output
# dtype, the operands -> raises
CAST_FIRST = {"gcd": _result_casts, "lcm": _result_casts, "ldexp": _ldexp_casts, "mvlgamma": _mvlgamma_casts,
              **dict.fromkeys(("addcmul", "addcdiv"), functools.partial(_result_casts, operands=3))}


@functools.cache
def _out_type(result_type: type) -> type:
    """``torch.return_types.max_out`` for ``max``: the named tuple PyTorch returns for ``out=``."""
    return return_types._make(result_type.__name__ + "_out", result_type._names)


def _requires_grad(values) -> bool:
    for v in values:
        if isinstance(v, (list, tuple)):
            if _requires_grad(v):
                return True
        elif isinstance(v, Tensor) and v.requires_grad:
            return True
    return False


def _check(name: str, r: Tensor, o: Tensor, index: bool, args, dtype_given: bool = False,
           field: str = "result") -> None:
    if o.device != r.device:
        raise RuntimeError("Expected all tensors to be on the same device, but found at least "
                           f"two devices, {o.device} and {r.device}!")
    if index:
        when, error, text = "differs", RuntimeError, _MEDIAN if name in ("median", "nanmedian") else _EXPECTED
    else:
        when, error, text = _DTYPE_ERRORS.get(name, _CASTS)
    if name == "kthvalue":  # its own words for each output
        when, error = "differs", RuntimeError
        text = ("output indices must be of scalar type Long" if index else
                "output values must be of same type as input")
    if name == "frexp":  # its own words for each output
        when, error = "differs", RuntimeError
        text = ("torch.frexp() expects exponent to have int dtype but got {oc}" if r.dtype is dt.int32 else
                "torch.frexp() expects mantissa to have dtype {rc} but got {oc}")
    if name == "matmul" and r.dim() < 2 and args[-1].dim() == 1:
        text = _DOT if r.dim() == 0 else _MV  # the 1-D products are dot's and mv's
    if name == "lerp" and not isinstance(args[-1], Tensor) or name.startswith(("clamp", "clip")) and any(
            isinstance(a, Tensor) for a in args[1:]):
        when = None  # lerp's Number weight, clamp's Tensor bounds: TensorIterator's cast rule
    if name in ("abs", "absolute") and args[0].dtype.is_complex:  # (a real result: TensorIterator's rule)
        when = None
    if name in _CAST_FIRST_WORDS and r.dtype is not o.dtype:  # castability first, in its own words
        castable = can_cast(r.dtype, o.dtype)
        when, error, text = "differs", RuntimeError, _EXPECTED if castable else _CAST_FIRST_WORDS[name]
    if name in ("max", "min", "mean") and len(args) == 1:  # the full reduction
        when, text = "uncastable", _CAN_CAST if name != "mean" else text
    elif name == "mean" or name == "nansum" and (dtype_given or args[0].dtype.kind in "biu"):
        when = None  # nansum into an integer out computes for dtype= asking for it, or an integer input
    if name in ("all", "any") and r.dtype is dt.uint8 and o.dtype in (dt.uint8, dt.bool_):
        return  # a uint8 input's result (0 or 1) into a uint8 or a bool out: torch takes both
    fails = {"differs": r.dtype is not o.dtype, "nonfloat": not o.dtype.is_floating_point,
             "noncomplex": not o.dtype.is_complex,
             "nonbool": o.dtype is not dt.bool_, "uncastable": not can_cast(r.dtype, o.dtype),
             None: False}[when]
    if fails:
        raise error(text.format(name=name, field=field, R=scalar_name(r.dtype), O=scalar_name(o.dtype),
                                rc=cpp_name(r.dtype), oc=cpp_name(o.dtype), T=dt.type_name(o.dtype)))
    if not can_cast(r.dtype, o.dtype):
        raise RuntimeError(f"result type {scalar_name(r.dtype)} can't be cast to the desired output type "
                           f"{scalar_name(o.dtype)}")


def _check_dtype_arg(name: str, given, o: Tensor) -> None:
    """torch's refusal of a ``dtype=`` other than ``out``'s (the functions' own error for an integer
    dtype where they need a floating one comes first: they raise it when called)."""
    if given is None or given is o.dtype:
        return
    if name in ("mean", "nanmean", "norm") and not given.is_floating_point:
        return
    if name in ("nansum", "nanmean") and given.is_floating_point:
        raise RuntimeError("nansum: provided dtype must match dtype of result. Got "
                           f"{scalar_name(o.dtype)} and {scalar_name(given)}.")
    raise RuntimeError(_EXPECTED.format(rc=cpp_name(given), oc=cpp_name(o.dtype)))


def _resize_warning(name: str, r: Tensor, o: Tensor, dim) -> str | None:
    """PyTorch's warning when ``out`` (with elements) is resized to ``r``'s shape, or None."""
    if not o.numel() or name in _SILENT_RESIZE:
        return None
    if name == "arange":
        if o.numel() == r.numel():
            return None
        return (f"The number of elements in the out tensor of shape {list(o.shape)} is {o.numel()} which "
                f"does not match the computed number of elements {r.numel()}. Note that this may occur as a "
                f"result of rounding error. The out tensor will be resized to a tensor of shape "
                f"({r.numel()},).")
    have, want = list(o.shape), list(r.shape)
    if name in ("mode", "kthvalue"):  # their kernels resize the outs with the reduced dim kept
        dim = -1 if dim is None else dim
        have.insert(dim % (o.dim() + 1), 1)
        want.insert(dim % (r.dim() + 1), 1)
    return resized_text(have, want)


def resized_text(have: list, want: list) -> str:
    """torch's deprecation warning for an output with elements resized from shape ``have`` to ``want``."""
    return (f"An output with one or more elements was resized since it had shape {have}, which does not "
            f"match the required output shape {want}. This behavior is deprecated, and in a future PyTorch "
            "release outputs will not be resized unless they have zero elements. You can explicitly reuse an "
            "out tensor t by resizing it, inplace, to zero elements with t.resize_(0).")


# the out= writes torch makes without its internal-overlap check (reductions that skip it, the fill-made
# factories, cummax/cummin, and the BLAS calls mv, bmm, dot), so an expanded ``out`` is written; every
# other one is refused (Tensor._check_no_overlap). Checked one by one against torch 2.13.
_OVERLAP_OK = frozenset("sum prod amax amin std var norm nansum argmax argmin all any zeros ones full empty "
                        "cummax cummin mv bmm dot".split())


# the out= kernels that read their inputs without checking that ``out`` partly shares their memory
# (reductions, max/min over everything, matrix products, softmax, cummax/cummin, tril/triu, diag,
# histc, slice_scatter: a copy of self, then of src into the slice), and those that refuse even the
# same memory (torch's assert_no_overlap); every other one refuses a partial overlap. Checked against
# torch 2.13 (tests/test_partial_overlap.py).
_INPUTS_UNCHECKED = frozenset("sum prod mean amax amin std var norm nansum nanmean logsumexp argmax argmin "
                              "all any mm mv bmm dot vdot inner tensordot matmul cummax cummin softmax "
                              "log_softmax tril triu diag histc quantile nanquantile aminmax "
                              "histogram mvlgamma slice_scatter".split())
_NO_OVERLAP = frozenset("index_select gather cat concat concatenate take".split())


def _overlap_ok(name: str, args) -> bool:
    """Whether torch writes this op's result into an expanded ``out`` (matmul with a vector is mv or dot)."""
    if name == "matmul":
        dims = [a.dim() for a in args[:2] if isinstance(a, Tensor)]
        return 1 in dims and max(dims) <= 2
    return name in _OVERLAP_OK


def _write(name: str, r: Tensor, o: Tensor, dim, overlap_ok: bool) -> None:
    if o.shape != r.shape:
        text = _resize_warning(name, r, o, dim)
        if text:
            warn(text)
        # resized: fresh memory of the new size, laid out as the result (the layout torch's kernel gives
        # the output it resizes: a channels-last one from channels-last inputs)
        fresh = r.new_empty(r.shape, dtype=o.dtype)
        if r._odd and non_overlapping_and_dense(r._shape, r._strides):
            fresh = Tensor._make(fresh._storage, r._shape, o.dtype, r._strides)
        o.data = fresh
    if overlap_ok:
        o._assign(r.to(o.device, o.dtype), overlap_ok=True)
    else:
        o.copy_(r)


def call_with_out(fn, name: str, args, kwargs, out, shown: str | None = None):
    """``fn(*args, **kwargs)`` written into ``out`` (a Tensor, or a tuple for several results); ``shown``:
    the name torch's parser gives it, where not ``name`` (special_erf, fft_fft)."""
    outs = tuple(out) if isinstance(out, (tuple, list)) else (out,)
    if name == "frexp" and isinstance(out, Tensor):  # frexp has one signature: its parser's own words
        raise TypeError("frexp(): argument 'out' must be tuple of Tensors, not Tensor")
    if isinstance(out, Tensor):  # torch's parser speaks first (the tables type a tuple of outs as one Tensor)
        parse_out_call(shown or name, args, {**kwargs, "out": out})
    needs = _OUT_NEEDS.get(name)
    if not all(isinstance(o, Tensor) for o in outs) or (needs and needs not in kwargs
                                                        and (needs == "stable" or len(args) < 2)):
        if name in ("median", "nanmedian"):
            raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')
        raise out_refused(fn, shown or name, args, kwargs, out)
    if is_grad_enabled() and _requires_grad((*outs, *args, *kwargs.values())):
        # (vecdot of vectors is vdot, of batches a sum of products)
        batched = name == "linalg_vecdot" and any(a.dim() > 1 for a in args[:2])
        op = "sum" if batched else _OUT_OP.get(name, name)
        raise RuntimeError(f"{op}(): functions with out=... arguments don't support "
                           "automatic differentiation, but one of the arguments requires grad.")
    if name not in _INPUTS_UNCHECKED and not (name in ("max", "min") and len(args) == 1):
        for o in outs:
            o._check_no_partial_overlap((args, tuple(kwargs.values())), full=name in _NO_OVERLAP)
    dtype_given = kwargs.get("dtype") is not None
    if name in _DTYPE_ARG:
        _check_dtype_arg(name, kwargs.get("dtype"), outs[0])
    if name in _FACTORIES or name in _DTYPE_FROM_OUT:
        given = kwargs.get("dtype")
        if given is not None and given is not outs[0].dtype and name in _FACTORIES:
            raise RuntimeError(f"dtype {scalar_name(given)} does not match dtype of out parameter "
                               f"({scalar_name(outs[0].dtype)})")
        kwargs = {**kwargs, "dtype": given or outs[0].dtype}
        if name in _FACTORIES:
            kwargs.setdefault("device", outs[0].device)
    if name in CAST_FIRST:
        CAST_FIRST[name](outs[0].dtype, [*args, *kwargs.values()])
    if name in ("all", "any") and outs[0].dtype is dt.uint8 and args and isinstance(args[0], Tensor):
        args = (args[0].to(dt.uint8), *args[1:])  # torch's uint8 kernel reads the input as uint8 (0.5 is 0)
    try:
        result = _laid_by_out(fn, outs[0], args, kwargs) if name in _LAID_BY_OUT else fn(*args, **kwargs)
    except NotImplementedError as e:
        _same_dtype_first(name, args, outs[0], e)
        raise
    except TypeError as e:  # (worded by the call without out, which torch's parser counts)
        if (refused := out_refused(fn, shown or name, args, kwargs, out, error=e)) is e:
            raise
        raise refused from None
    if name in _OUT_KERNELS and result.dtype in SHELL:
        refuse_kernel(_OUT_KERNELS[name], result.dtype)
    results = result if isinstance(result, tuple) else (result,)
    if isinstance(out, Tensor) == isinstance(result, tuple) or len(outs) != len(results):
        raise out_refused(fn, shown or name, args, kwargs, out, len(results))
    for i, (r, o) in reversed(list(enumerate(zip(results, outs)))) if name == "nanmedian" else enumerate(
            zip(results, outs)):
        # the indices of max/sort/topk are int64 exactly, as argmax's
        _check(name, r, o, i > 0 and r.dtype is dt.int64, [*args, *kwargs.values()],
               dtype_given, getattr(result, "_names", ("result",) * len(results))[i])
    overlap_ok = _overlap_ok(name, args)
    dim_at = 2 if name == "kthvalue" else 1  # where the dim argument sits (kthvalue's k comes first)
    with no_grad():
        for r, o in zip(results, outs):
            if name == "split_copy":
                o.copy_(r)
                continue
            _write(name, r, o, kwargs.get("dim", args[dim_at] if len(args) > dim_at else None), overlap_ok)
    if kwargs.get("requires_grad") and name in _FACTORIES:
        outs[0].requires_grad_(True)  # torch.zeros(2, out=t, requires_grad=True): t is the leaf made
    if isinstance(out, Tensor):
        return out
    if name in _LIST_OUTS:
        return None
    return _out_type(type(result))(*outs) if return_types.is_return_type(result) else tuple(outs)


def _with_out(fn, name: str, shown: str):
    @functools.wraps(fn)
    def op(*args, out=None, **kwargs):
        # (this is the public function: it asks for __torch_function__ overrides itself, overrides.py)
        if ON[0] and (result := intercept(op, args, kwargs if out is None else {**kwargs, "out": out})) \
                is not PASS:
            return result
        if out is None:  # without an empty **kwargs, which costs a dict copy per call
            try:  # (free where nothing is raised)
                return fn(*args, **kwargs) if kwargs else fn(*args)
            except Exception as e:
                if (result := intercept(op, args, kwargs)) is not PASS:
                    return result
                if not isinstance(e, TypeError) or \
                        (torchs := missing_argument(shown, fn, args, kwargs, e)) is e:
                    raise
                raise torchs from None
        return call_with_out(fn, name, args, kwargs, out, shown)

    AWARE.add(op)

    sig = inspect.signature(fn)
    params = [p for p in sig.parameters.values() if p.kind is not p.VAR_KEYWORD]
    rest = [p for p in sig.parameters.values() if p.kind is p.VAR_KEYWORD]
    out = inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None)
    op.__signature__ = sig.replace(parameters=[*params, out, *rest])
    return op


def install(namespace: dict, names=TAKES_OUT, prefix: str = "") -> None:
    """Give each function of ``namespace`` (the package's dict) named in ``names`` the ``out`` keyword;
    ``names`` a dict: its functions by their torch names; ``prefix``: the one torch's parser puts before
    the names in its messages (torch.special.erf's are special_erf's)."""
    for name in names:
        fn = namespace.get(name)
        if callable(fn) and "out" not in inspect.signature(fn).parameters:
            torch_name = names[name] if isinstance(names, dict) else name
            namespace[name] = _with_out(fn, torch_name, prefix + torch_name)
