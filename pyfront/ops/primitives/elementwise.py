"""Elementwise primitives: each is one registry entry with its NumPy rule and its VJP side by side.

``unary``/``binary`` register the OpDef and return the public function of the same name.
Operands are promoted to one dtype before the op (Python numbers become 0-d tensors), so each
NumPy rule sees arrays of a single dtype. Where the public function adds PyTorch's extra arguments
(``alpha``, ``rounding_mode``, ``decimals``), the op itself is the private ``_name`` (``_add``,
``_round``): a trailing underscore is PyTorch's mark of an in-place op, never used here otherwise.
"""

from __future__ import annotations

import math

from ... import _warnings
from ... import dtypes as dt
from ...autograd import graph
from ...autograd.grad_mode import _state
from ...autograd.dual import carries
from ...autograd.graph import SEQUENCE
from ...shape import broadcast_shapes, wrap_int
from ...tensor import Tensor
from ..common import (Formula, check_fits, in_float32, promote_args, promote_pair, scalar_first,
                      scalar_tensor, shown_as, spelled_number)
from ...backends import get_backend
from ...backends.scaled_add import scaled_add
from ..dispatch import apply, apply_as, fold, fold_unary, select
from ..shell import SHELL, refuse
from ..half_cpu import LANES, half_rsqrt, is_half, scalar_tail
from ..on_meta import broadcast_of
from ..registry import OPS, OpDef, records, register, ufunc
from .. import shell
from .. import samples
from . import activation_formulas as formulas

BOOL_OUT, SAME, FLOAT = "bool", "same", "float"
_ALL = frozenset(dt.ALL)


def _infer(out):
    def rule(*xs, **attrs):
        shape = xs[0]._shape
        for x in xs:
            if x._shape != shape:
                shape = broadcast_of(*xs)
                break
        return [(shape, dt.bool_ if out == BOOL_OUT else xs[0].dtype)]

    return rule


def _register(name, arity, np_fn, vjp, out=SAME, torch_name=None, **kw):
    return register(
        OpDef(
            name,
            "elementwise",
            _infer(out),
            np_fn,
            vjp,
            arity=arity,
            torch_name=torch_name or name,
            extra={"dtype_rule": out, **kw.pop("extra", {})},
            **kw,
        )
    )


NAN = "T(f32_from_bits(0x7fc00000u))"


def _nan_in_nan_out(wgsl, test):
    """The float variant of ``wgsl`` returning NaN where ``test`` (a NaN operand) holds: WGSL lets
    the compiler assume no NaN occurs, so built-ins (max, atan, pow, ...) may drop it."""
    if wgsl is None or callable(wgsl):
        return wgsl
    spec = wgsl if isinstance(wgsl, dict) else {"*": wgsl}
    f = spec.get("f", spec.get("*"))
    return {**spec, "f": f"select({f}, {NAN}, {test})"} if f is not None else wgsl


def shapes_first(*operands):
    """torch's broadcast error, where it applies, before a kernel's refusal of the dtype (TensorIterator
    finds the shape first): called on the refusal path only."""
    broadcast_shapes(*(t.shape for t in operands if isinstance(t, Tensor)))


def _refuse_bool(kernel, x):
    """torch has no bool kernel ``kernel`` for this op (its message names the kernel); or ``kernel``
    is a function raising the op's own error (see ``_bool_error``)."""
    if kernel and x.dtype is dt.bool_:
        if callable(kernel):
            kernel(x)
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _bool_error(message):
    """A ``bools`` refusal for an op whose bool error names no kernel: torch's RuntimeError ``message``."""
    def refuse(x):
        raise RuntimeError(message)

    return refuse


def _keeps_zero(wgsl):
    """``wgsl`` for an odd function through 0, returning the zero operand itself: the GPU's built-in
    (or a formula through sign()) may give +0 for -0, where torch keeps the sign."""
    return f"select({wgsl}, a, a == T(0))"


def unary(name, np_fn, vjp=None, out=SAME, ints=True, nan_safe=False, bools=None, **kw):
    """``ints=False``: torch refuses integer inputs instead of promoting them. ``bools``: the name of
    torch's kernel that refuses a bool input, or a ``_bool_error`` (None: bool is computed). Unless
    ``nan_safe`` (the expression handles NaN itself) or the result is bool, NaN maps to NaN on the GPU."""
    if out != BOOL_OUT and not nan_safe:
        kw["wgsl"] = _nan_in_nan_out(kw.get("wgsl"), "is_nan_f32(f32(a))")
    op = _register(name, 1, np_fn, vjp, out, **kw)

    def fn(input):
        if input.dtype.kind == "c":
            return _complex_unary(name, op, input)
        if not ints and not input.dtype.is_floating_point:
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{dt.scalar_name(input.dtype)}'")
        _refuse_bool(bools, input)
        if out == FLOAT and not input.dtype.is_floating_point:
            input = input.to(dt.get_default_dtype())
        return apply(op, input)

    fn.__name__ = name
    fn.__doc__ = f"Elementwise ``{name}``, as ``torch.{name}``."
    # the dtypes fn hands op unchanged (no refusal, no cast to float) take the op's plan in one frame
    return fold_unary(op, frozenset(d for d in _ALL if (d.kind == "f" or ints and out != FLOAT)
                                    and not (bools and d is dt.bool_)), fn)


# the one-operand ops whose NumPy rule is right for complex numbers: holomorphic ones (their derivative is
# conjugated by the autograd node: graph._conjugate_vjp) and the tests with a bool result; torch refuses the
# rest for complex inputs
_COMPLEX_OK = frozenset("neg exp exp2 expm1 log log2 log10 log1p sqrt rsqrt sin cos tan sinh cosh tanh asin "
                        "acos atan asinh acosh atanh reciprocal sigmoid square sinc isnan isinf isfinite "
                        "logical_not".split())
# torch's refusals of a complex input that do not follow its usual '"<op>_cpu" not implemented' text
_COMPLEX_REFUSALS = {
    "sign": "Unlike NumPy, torch.sign is not intended to support complex numbers. Please use torch.sgn "
            "instead.",
    "floor": "floor is not supported for complex inputs", "ceil": "ceil is not supported for complex inputs",
    "trunc": "trunc is not supported for complex inputs", "relu": "clamp is not supported for complex types",
    "maximum": "maximum not implemented for complex tensors.",
    "minimum": "minimum not implemented for complex tensors.",
    "floor_divide": "\"div_floor_cpu\" not implemented for '{}'",
    "div_floor": "\"div_floor_cpu\" not implemented for '{}'",
    "div_trunc": "\"div_trunc_cpu\" not implemented for '{}'",
    **{name: f"\"{name}_vml_cpu\" not implemented for '{{}}'" for name in ("round", "erf", "erfc", "lgamma",
                                                                          "erfinv", "i0")},
    "digamma": "\"digamma\" not implemented for '{}'",
    "bitwise_left_shift": "\"lshift_cpu\" not implemented for '{}'",
    "bitwise_right_shift": "\"rshift_cpu\" not implemented for '{}'",
}


# the two-operand ops torch computes on complex numbers (the rest it refuses, _COMPLEX_REFUSALS or its usual
# '"<op>_cpu" not implemented' text)
_COMPLEX_BINARY = frozenset("add sub mul div pow eq ne logical_and logical_or logical_xor logaddexp".split())


def _refuse_complex(name, x):
    # torch.special's kernels are named without the namespace (special.erfcx: "erfcx_cpu")
    kernel = name.removeprefix("special_")
    message = _COMPLEX_REFUSALS.get(name, f"\"{kernel}_cpu\" not implemented for '{{}}'")
    kind = RuntimeError if name in _OWN_COMPLEX_CHECKS else NotImplementedError
    raise kind(message.format(dt.scalar_name(x.dtype)))


# the ops whose complex refusal is their own check (a RuntimeError, before the operands' shapes), not a
# missing kernel's
_OWN_COMPLEX_CHECKS = frozenset(("maximum", "minimum"))


def _complex_unary(name, op, input):
    """``op`` on a complex tensor: abs is its own formula (a real result), holomorphic ops run, torch
    refuses the rest."""
    if name == "abs":
        from ..composite.complex_numbers import complex_abs
        return complex_abs(input)
    if name not in _COMPLEX_OK:
        _refuse_complex(name, input)
    return apply(op, input)


def binary(name, np_fn, vjp=None, out=SAME, scalars="both", nan_safe=False, opmath=False, divides=False,
           bools=None, **kw):
    """``scalars``: which operands may be Python numbers in torch's signature ("both", "other", "none").
    Unless ``nan_safe`` or the result is bool, a NaN operand gives NaN on the GPU. ``opmath``: a scalar
    ``other`` keeps float32 precision with float16 and bfloat16 tensors (see promote_args). ``divides``: an
    integer division, where a zero divisor raises as on PyTorch's CPU. ``bools``: as for ``unary``, or a
    function of both operands that raises torch's own error where either is bool (a tensor or a Python
    bool), asked before promotion (sub)."""
    if out != BOOL_OUT and not nan_safe:
        kw["wgsl"] = _nan_in_nan_out(kw.get("wgsl"), "is_nan_f32(f32(a)) || is_nan_f32(f32(b))")
    op = _register(name, 2, np_fn, vjp, out, **kw)
    float_only = out == FLOAT
    kernel, refuse = (None, bools) if callable(bools) else (bools, None)
    pair = fold(op, _ALL, lambda x, y: apply(op, x, y))  # the op on two tensors of one dtype, planned

    def fn(input, other):
        if scalars != "both":
            _check_tensor_args(name, input, other, scalars)
        if refuse is not None and (getattr(input, "dtype", None) is dt.bool_ or type(input) is bool
                                   or getattr(other, "dtype", None) is dt.bool_ or type(other) is bool):
            refuse(input, other)
        if type(input) is type(other) is Tensor and input.dtype is other.dtype and not float_only:
            x, y = input, other  # promote_args' first case, asked here: this runs per `a + b`
        else:
            x, y = promote_pair(input, other, float_only, opmath)
        if kernel and x.dtype is dt.bool_:
            if not callable(kernel):  # (a kernel's refusal; an op's own words come before the shapes)
                shapes_first(x, y)
            _refuse_bool(kernel, x)
        if x.dtype.kind == "c" and name not in _COMPLEX_BINARY:
            if name not in _OWN_COMPLEX_CHECKS:
                shapes_first(x, y)
            _refuse_complex(name, x)
        if divides:
            _check_integer_divisor(x, y)
        out = pair(x, y)  # not apply(op, *args): a star-call costs a C-level frame
        # (a number operand is no tensor torch's node could keep: only a cast tensor is kept as given)
        if (x is not input and type(input) is Tensor or y is not other and type(other) is Tensor) and \
                out._grad_fn is not None:
            graph.saved_before_cast(out, (x, input), (y, other))
        return out

    fn.__name__ = name
    fn.__doc__ = f"Elementwise ``{name}`` with broadcasting and type promotion, as ``torch.{name}``."
    if scalars != "none":  # the operator's fold (dispatch.fold): the tensor dtypes fn passes on unchanged
        fn.folds = op, frozenset(d for d in _ALL if (d.kind == "f" or not (float_only or divides))
                                 and not (bools and d is dt.bool_) and not (opmath and d in dt.HALVES))
    return fn


def _check_integer_divisor(x, y):
    """WGSL defines an integer division by zero (it gives the dividend), so a GPU cannot fault: look
    for a zero divisor with one read-back, as the CPU's NumPy rule raises (_int_division)."""
    if x.dtype.is_floating_point or x.device.type in ("cpu", "meta") or not y.numel():
        return
    if bool((y == 0).any()):
        shapes_first(x, y)  # (as on the CPU, whose kernel meets the zero after the shapes)
        raise RuntimeError("ZeroDivisionError")


def _check_tensor_args(name, input, other, scalars):
    if not isinstance(input, Tensor):
        if scalars == "other":
            from ..argcheck import invalid_combination
            raise invalid_combination(name, (input, other), {})
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if scalars == "none" and not isinstance(other, Tensor):
        raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")


def _no_derivative(name):
    def vjp(c, g):
        raise RuntimeError(f"derivative for aten::{name} is not implemented")

    return vjp


def _int_division(np_fn):
    """Integer division by zero raises, as on PyTorch's CPU (floats give inf/nan)."""

    def rule(np, x, y):
        if x.dtype.kind in "iu" and not np.all(y):
            raise RuntimeError("ZeroDivisionError")
        return np_fn(np, x, y)

    return rule


def zeros_like_grad(g):
    """torch's ``zeros_like(grad)``, a constant's gradient: laid out as ``g`` (g * 0 would give -0 and, for
    an inf g, nan)."""
    from ..creation import zeros_like
    return zeros_like(g)


def _zero(c, g):
    return (zeros_like_grad(g),)


def _zeros(c, g):
    return (zeros_like_grad(g),) * 2


# -- unary math ---------------------------------------------------------------------------------
neg = negative = unary(
    "neg", ufunc("negative"), lambda c, g: (-g,), wgsl={"u": "T(0) - a", "*": "-a"},
    bools=_bool_error("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                      "invert a mask, use the `~` or `logical_not()` operator instead."))
abs = unary("abs", ufunc("absolute"), lambda c, g: (g * c.inputs[0].sign(),), save=(0,), wgsl="abs(a)",
            bools="abs_cpu")
exp = unary(
    "exp", ufunc("exp"), lambda c, g: (g * c.out,), out=FLOAT, save_output=True,
    wgsl="T(exp_f32(f32(a)))",
)
exp2 = unary(
    "exp2",
    ufunc("exp2"),
    lambda c, g: (g * c.out * math.log(2),),
    out=FLOAT,
    save_output=True,
    wgsl="T(exp2_f32(f32(a)))",
)
log = unary(
    "log",
    ufunc("log"),
    lambda c, g: (g / c.inputs[0],),
    out=FLOAT,
    save=(0,),
    domain=(0.1, None),
    wgsl="T(log_f32(f32(a)))",
)
log2 = unary(
    "log2",
    ufunc("log2"),
    lambda c, g: (g / (c.inputs[0] * math.log(2)),),
    out=FLOAT,
    save=(0,),
    domain=(0.1, None),
    wgsl="T(log2_f32(f32(a)))",
)
log10 = unary(
    "log10",
    ufunc("log10"),
    lambda c, g: (g / (c.inputs[0] * math.log(10)),),
    out=FLOAT,
    save=(0,),
    domain=(0.1, None),
    wgsl="T(log_f32(f32(a)) * 0.4342944819032518)",
)
log1p = unary(
    "log1p",
    ufunc("log1p"),
    lambda c, g: (g / (c.inputs[0] + 1),),
    backward_name="Log1PBackward0",
    out=FLOAT,
    save=(0,),
    domain=(-0.9, None),
    wgsl="T(log1p_f32(f32(a)))",
)
expm1 = unary(
    "expm1",
    ufunc("expm1"),
    lambda c, g: (g * (c.out + 1),),
    out=FLOAT,
    save_output=True,
    wgsl="T(expm1_f32(f32(a)))",
)
sqrt = unary(
    "sqrt",
    ufunc("sqrt"),
    lambda c, g: (g / (2 * c.out),),
    out=FLOAT,
    save_output=True,
    domain=(0.1, None),
    wgsl="T(sqrt_f32(f32(a)))",
)
rsqrt = unary(
    "rsqrt",
    # ``vector``: the elements a loop step of the calling kernel computes (rsqrt's two vectors; bfloat16
    # pow(x, -0.5), which is this op, four)
    lambda np, x, vector=2 * LANES: half_rsqrt(np, x, vector) if is_half(x) else 1 / np.sqrt(x),
    lambda c, g: (-0.5 * g * c.out**3,),
    out=FLOAT,
    save_output=True,
    domain=(0.1, None),
    wgsl="T(rsqrt_f32(f32(a)))",
    takes_halves=True,  # its float16 rule rounds where torch's kernel does (ops/half_cpu.py)
)
sin = unary(
    "sin", ufunc("sin"), lambda c, g: (g * c.inputs[0].cos(),), out=FLOAT, save=(0,),
    wgsl="T(sin_f32(f32(a)))",
)
cos = unary(
    "cos",
    ufunc("cos"),
    lambda c, g: (-g * c.inputs[0].sin(),),
    out=FLOAT,
    save=(0,),
    wgsl="T(cos_f32(f32(a)))",
)
tan = unary(
    "tan",
    ufunc("tan"),
    lambda c, g: (g * (1 + c.out * c.out),),
    out=FLOAT,
    save_output=True,
    domain=(-1.2, 1.2),
    wgsl="T(tan_f32(f32(a)))",
)
asin = unary(
    "asin",
    ufunc("arcsin"),
    lambda c, g: (g * (1 - c.inputs[0] ** 2).rsqrt(),),
    out=FLOAT,
    save=(0,),
    domain=(-0.9, 0.9),
    wgsl="T(asin_f32(f32(a)))",
)
acos = unary(
    "acos",
    ufunc("arccos"),
    lambda c, g: (-g * (1 - c.inputs[0] ** 2).rsqrt(),),
    out=FLOAT,
    save=(0,),
    domain=(-0.9, 0.9),
    wgsl="T(acos_f32(f32(a)))",
)
atan = unary(
    "atan",
    ufunc("arctan"),
    lambda c, g: (g / (1 + c.inputs[0] ** 2),),
    out=FLOAT,
    save=(0,),
    wgsl="T(atan_f32(f32(a)))",
)
sinh = unary(
    "sinh",
    ufunc("sinh"),
    lambda c, g: (g * c.inputs[0].cosh(),),
    out=FLOAT,
    save=(0,),
    wgsl="T(sinh_f32(f32(a)))",
)
cosh = unary(
    "cosh",
    ufunc("cosh"),
    lambda c, g: (g * c.inputs[0].sinh(),),
    out=FLOAT,
    save=(0,),
    wgsl="T(cosh_f32(f32(a)))",
)
tanh = unary(
    "tanh",
    ufunc("tanh"),
    lambda c, g: (_tanh_backward(g, c.out),),
    out=FLOAT,
    save_output=True,
    wgsl="T(tanh_f32(f32(a)))",
)
sigmoid = unary(
    "sigmoid",
    lambda np, x: _sigmoid(np, x),
    lambda c, g: (_sigmoid_backward(g, c.out),),
    out=FLOAT,
    save_output=True,
    wgsl="T(1.0 / (1.0 + exp_f32(-f32(a))))",
)


def _tanh_backward(g, y):
    """torch's tanh_backward ``g * (1 - y * y)``; a real one a Formula of its own, whose gradients are
    torch's TanhBackwardBackward0's (a complex one is conjugated by the node as the composite it is)."""
    if y.dtype.kind == "c":
        return _tanh_backward_value(g, y)
    return Formula.apply(_tanh_backward_value, _tanh_double_backward, g, y)


@in_float32  # torch's 16-bit kernel: in float32, rounded once (in the Formula of the 16-bit tensors: its
def _tanh_backward_value(g, y):  # double backward's node is torch's, not a cast's)
    if y.dtype is dt.float32 or y.dtype is dt.float64:
        # 1 - y * y rounded once: torch's compiler contracts it into a fused multiply-add (so the formula
        # written out, as Karpathy's makemore part 4 writes it, is a few ulp off autograd's, as in torch)
        one = scalar_tensor(1, y.dtype, y._storage.device)
        return g * apply(OPS["fused_multiply_add_kernel"], -y, y, one)
    return g * (1 - y * y)


@shown_as("TanhBackwardBackward0")
def _tanh_double_backward(gg, g, y):
    """torch's: tanh_backward(gg, y) for the incoming gradient, ``gg * (-2 * y * g)`` for the result."""
    return _tanh_backward(gg, y), gg * (-2 * y * g)


def _sigmoid_backward(g, y):
    """torch's sigmoid_backward ``g * (1 - y) * y``, a Formula for a real ``y`` as ``_tanh_backward``."""
    if y.dtype.kind == "c":
        return _sigmoid_backward_value(g, y)
    return Formula.apply(_sigmoid_backward_value, _sigmoid_double_backward, g, y)


def _sigmoid_backward_value(g, y):
    """torch's sigmoid_backward: ``g * (1 - y) * y``, in float32 for bfloat16 (rounded once), in float16's
    own steps for float16."""
    if y.dtype is dt.bfloat16:
        return _sigmoid_backward_in_float32(g, y)
    return g * (1 - y) * y


_sigmoid_backward_in_float32 = in_float32(lambda g, y: g * (1 - y) * y)


@shown_as("SigmoidBackwardBackward0")
def _sigmoid_double_backward(gg, g, y):
    """torch's: sigmoid_backward(gg, y) for the incoming gradient, ``gg * g * (-2 * y + 1)`` for the
    result."""
    return _sigmoid_backward(gg, y), gg * g * (-2 * y + 1)


_RELU_BITS: dict = {}  # per NumPy float dtype: (the unsigned dtype of its width, a 0-d zero)


def _relu_bits(np, dtype):
    bits = np.dtype(f"u{dtype.itemsize}")
    c = _RELU_BITS[dtype] = (bits, np.zeros((), dtype))
    return c


# per NumPy float dtype: whether np.maximum(0, x) gives relu's bits, asked once (see _relu_np)
_MAXIMUM_KEEPS: dict = {}


def _maximum_keeps(np, dtype) -> bool:
    """Whether ``np.maximum(zero, x)`` (zero first) is ``_relu_bits_np``'s result, bit for bit, on probes
    that reach each of NumPy's loops for ``dtype`` (contiguous lengths a SIMD loop splits differently,
    strided, reversed): x86's maxps returns its second operand at a tie of zeros and where one is NaN,
    and NumPy's scalar loop does too, so -0.0 and every NaN come through; other CPUs, and float16, may
    not, and keep the bit select."""
    specials = np.array([-0.0, 0.0, np.nan, -np.nan, np.inf, -np.inf, -1e-45, 1e-45, -1.5, 2.5], dtype)
    keeps = True
    for n in (1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 257):
        x = np.resize(specials, n)
        for probe in (x, x[::-1], np.repeat(x, 2)[::2]):
            want = _relu_bits_np(np, probe)
            keeps &= np.maximum(dtype.type(0), probe).tobytes() == want.tobytes()
    _MAXIMUM_KEEPS[dtype] = keeps
    return keeps


def _relu_np(np, x):
    """x, with +0 where x < 0 (-0.0 and NaN stay as they are: torch's): NumPy's maximum with 0 first, one
    pass, where it keeps those bits (``_maximum_keeps``: x86's float32 and float64), else a bit select."""
    keeps = _MAXIMUM_KEEPS.get(x.dtype)
    if keeps is None:
        if x.dtype.kind != "f":
            return np.maximum(x, x.dtype.type(0))
        keeps = _maximum_keeps(np, x.dtype)
    if keeps:
        return np.maximum(x.dtype.type(0), x)
    return _relu_bits_np(np, x)


def _relu_bits_np(np, x):
    """x, with +0 where x < 0, selected by bits as ``_where_np``: -0.0 and NaN stay as they are (torch's).
    np.maximum leaves a tie of zeros to the CPU's instruction (-0.0 or +0), and a per-element select
    (np.where, putmask) mispredicts on random signs, ~10x slower than this. Each NumPy call or attribute
    costs as much as a 1,000-element add, so the constants are made once per dtype."""
    bits, zero = _RELU_BITS.get(x.dtype) or _relu_bits(np, x.dtype)
    keep = np.less(x, zero)
    keep = np.logical_not(keep, out=keep) if x.ndim else not keep  # (0-d: NumPy compares into a scalar)
    out = np.empty_like(x)  # returned itself, not a view: the backend keeps an array owning its memory
    mask = out.view(bits)
    np.copyto(mask, keep)  # 1 where x is not below 0: see _relu_backward_np
    np.multiply(x.view(bits), mask, out=mask)  # as it is, where a view would be computed again
    return out


def _relu_backward_np(np, g, out):
    """``g`` with +0 where ``out <= 0``, selected by bits (as ``_relu_np``): the mask, made 0 or 1 in g's
    bit width, times g's bit patterns, where a where() on the mask is ~10x slower and a float product
    would make inf * 0 a NaN. A NaN ``out`` keeps ``g`` (torch's threshold_backward). The mask is widened
    by a copy of its own: a ufunc of a bool and a uint32 operand casts the bool through a buffer, ~10x
    the cost of the copy (which is NumPy's plain cast loop). ``out`` is relu's output (its only caller's):
    nothing in it is below 0 but -0.0, so ``out != 0`` is ``not out <= 0`` (NaN included) in one pass."""
    if g.dtype != out.dtype or g.dtype.kind != "f":
        return np.where(out <= 0, g.dtype.type(0), g)
    bits, zero = _RELU_BITS.get(g.dtype) or _relu_bits(np, g.dtype)
    keep = np.not_equal(out, zero)
    # owned: see _relu_np (broadcast_shapes, a dozen Python calls of NumPy's, only where the shapes differ)
    result = np.empty(g.shape if g.shape == out.shape else np.broadcast_shapes(g.shape, out.shape), g.dtype)
    mask = result.view(bits)
    np.copyto(mask, keep)
    np.multiply(g.view(bits), mask, out=mask)
    return result


def _relu_backward_vjp(c, gg):
    """torch's ThresholdBackwardBackward0: the mask again for the incoming gradient, zeros for the
    output it was read from (no gradient flows through a mask, but torch's node has the edge)."""
    return (apply(_relu_backward, gg, c.inputs[1]) if c.needs_input_grad[0] else None,
            gg.new_zeros(gg.shape) if c.needs_input_grad[1] else None)  # torch's zeros_like(grad)


# relu's gradient, torch's threshold_backward(grad, result, 0): the incoming gradient where relu's output
# is above 0 (or NaN), else +0. One op where a where() on a mask was three (the mask, a zero, the select):
# a step of every ReLU network's backward. Internal (torch_name None): relu's gradient tests cover it
_relu_backward = register(OpDef(
    "relu_backward", "elementwise", _infer(SAME), _relu_backward_np, _relu_backward_vjp,
    arity=2, save=(1,), saved_for={1: (0,)}, backward_name="ThresholdBackwardBackward0",
    torch_name=None, takes_halves=True,  # a select: nothing to round
    wgsl="select(a, T(0), b <= T(0))"))  # not a NaN-in-NaN-out op: a NaN output passes the gradient


def _relu_vjp(c, g):
    """torch's threshold_backward(grad, result, 0), a TensorIterator over (result, grad): laid out by the
    result's layout first (pyfront's op reads (grad, result)); all row-major (a training step's case), it
    is already, and nothing is imported per call."""
    r = apply(_relu_backward, g, c.out)
    if not (r._odd or c.out._odd or g._odd):
        return (r,)
    from ..memory_formats import iterated
    return (iterated(r, c.out, g),)


relu = unary(
    "relu",
    _relu_np,
    _relu_vjp,
    save_output=True,
    wgsl="select(a, T(0), a < T(0))",  # not max: relu(-0.0) is -0.0
    bools=_bool_error("Boolean inputs not supported for relu"),
)


def _libm(name):
    """The NumPy rule of libm.py's ``name`` (math.erf, math.erfc, math.lgamma, vectorized in float64), its
    result rounded once to the input's dtype. libm.py is NumPy code, imported at the first call: pyfront
    imports without NumPy (the browser build)."""
    def rule(np, x):
        from . import libm
        return getattr(libm, name)(x).astype(x.dtype)
    return rule


erf = unary(
    "erf",
    _libm("erf"),
    lambda c, g: ((2 / math.sqrt(math.pi)) * (-(c.inputs[0] ** 2)).exp() * g,),
    out=FLOAT,
    save=(0,),
    wgsl="T(erf_f32(f32(a)))",
)
reciprocal = unary(
    "reciprocal",
    lambda np, x: 1 / x,
    lambda c, g: (-g * (c.out * c.out),),
    out=FLOAT,
    save_output=True,
    domain=(0.5, None),
    wgsl="T(1) / a",
)
floor = unary("floor", ufunc("floor"), _zero, wgsl={"f": "floor(a)", "*": "a"},
               bools="floor_vml_cpu")
ceil = unary("ceil", ufunc("ceil"), _zero, wgsl={"f": "ceil(a)", "*": "a"},
              bools="ceil_vml_cpu")
trunc = unary("trunc", ufunc("trunc"), _zero, wgsl={"f": "trunc(a)", "*": "a"},
               bools="trunc_vml_cpu")
sign = unary("sign", lambda np, x: _sign(np, x), _zero, nan_safe=True, wgsl={
    "f": "select(sign(a), T(0), is_nan_f32(f32(a)))", "u": "T(a != T(0))", "*": "sign(a)"})
frac = unary("frac", lambda np, x: x - np.trunc(x), lambda c, g: (g,), ints=False, wgsl="a - trunc(a)")
_round = unary("round", lambda np, x: np.round(x), _zero, wgsl={"f": "round(a)", "*": "a"},
               bools="round_vml_cpu")
isnan = unary(
    "isnan", ufunc("isnan"), out=BOOL_OUT, wgsl={"f": "is_nan_f32(f32(a))", "*": "false"}
)
isinf = unary(
    "isinf", ufunc("isinf"), out=BOOL_OUT, wgsl={"f": "is_inf_f32(f32(a))", "*": "false"}
)
_isfinite = unary(
    "isfinite",
    ufunc("isfinite"),
    out=BOOL_OUT,
    wgsl={"f": "!is_nan_f32(f32(a)) && !is_inf_f32(f32(a))", "*": "true"},
)


def _isfinite_e8m0(input):
    # torch's kernel counts every float8_e8m0fnu finite, its NaN (0xFF) too (its printing then picks the
    # notation with that NaN among the finite values); a shell dtype never takes the folded path
    if input.dtype is dt.float8_e8m0fnu:
        return isnan(input).fill_(True)
    return _isfinite.__wrapped__(input)


_isfinite_e8m0.__name__, _isfinite_e8m0.__doc__ = "isfinite", _isfinite.__doc__
isfinite = fold_unary(*_isfinite.folds, _isfinite_e8m0)
# floats' truth through common.wgsl's nonzero_f32 (NaN and subnormals true, whatever the driver)
logical_not = unary("logical_not", ufunc("logical_not"), out=BOOL_OUT,
                    wgsl={"f": "!nonzero_f32(f32(a))", "*": "a == T(0)"})
_bitwise_not = unary("bitwise_not", ufunc("invert"), wgsl="~a")


def _sign(np, x):
    # sign(nan) is 0 in PyTorch (NumPy gives nan)
    if x.dtype.kind == "b":  # sign of a bool is itself (NumPy has no bool sign)
        return x.copy()
    return np.where(np.isnan(x), 0, np.sign(x)).astype(x.dtype) if x.dtype.kind == "f" else np.sign(x)


def _sigmoid(np, x):
    # torch's formula (and the GPU kernel's): below -88.7 exp(-x) is inf and the result 0, as torch's
    return 1 / (1 + np.exp(-x))


def _round_decimals_np(np, x, decimals):
    """torch's round_decimals kernel, in float32 for the 16-bit dtypes (their opmath: 1234.5678 to 2
    decimals is 1235 in float16, not inf): ``rint(x * 10^d) / 10^d``, and ``rint(x / 10^-d) * 10^-d`` for
    a negative ``d`` (x * 0.001 would round differently from x / 1000)."""
    ten = x.dtype.type(_ten_pow(decimals))
    with np.errstate(all="ignore"):
        return np.rint(x / ten) * ten if decimals < 0 else np.rint(x * ten) / ten


def _ten_pow(decimals):
    """``std::pow(10, |decimals|)`` as a double: inf past its range (Python's power raises there). (This
    module's ``abs`` is the tensor op.)"""
    n = -decimals if decimals < 0 else decimals
    return 10.0**n if n <= 308 else math.inf


def _round_decimals_wgsl(attrs, ctype):
    d = attrs["decimals"]  # s1 < 0: divide first, as the NumPy rule
    return ("T(select(round(f32(a) * s0) / s0, round(f32(a) / s0) * s0, s1 < 0.0))",
            (_ten_pow(d), float(d)))


_round_decimals = register(OpDef(
    "round_decimals", "elementwise", _infer(SAME), _round_decimals_np, _zero, torch_name="round",
    backward_name="RoundBackward1", samples=samples.round_decimals, wgsl=_round_decimals_wgsl,
    extra={"dtype_rule": SAME}))


def round(input, *, decimals=None):
    """``torch.round``; ``decimals`` (even 0) is torch's round.decimals overload, which has no integer,
    bool or complex kernel (round() of an integer tensor is a copy)."""
    if decimals is None:
        return _round(input)
    if not input.dtype.is_floating_point:
        kernel = "round_vml_cpu" if decimals == 0 else "round_cpu"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt.scalar_name(input.dtype)}'")
    return _round(input) if decimals == 0 else apply(_round_decimals, input, decimals=int(decimals))


def bitwise_not(input):
    if input.dtype.is_floating_point:
        raise NotImplementedError(
            f"\"bitwise_not_cpu\" not implemented for '{dt.scalar_name(input.dtype)}'"
        )
    return logical_not(input) if input.dtype is dt.bool_ else _bitwise_not(input)




# -- binary math --------------------------------------------------------------------------------
def _pow_vjp(c, g):
    x, y = c.inputs
    # d/dx x**y = y * x**(y-1), taken as 0 where y == 0 (x**0 is constant, even at x == 0), as PyTorch does;
    # a number exponent's x ** (y - 1) is torch's pow with a number (sqrt for y = 1.5: see pow)
    gx = None
    if c.needs_input_grad[0]:
        power = pow(x, y._number - 1) if y._wrapped_number else x ** (y - 1)
        gx = where(y == 0, 0.0, g * (y * power))
    # d/dy x**y = x**y log x, taken as 0 where x == 0 and y >= 0, as PyTorch does; a number base's log is a
    # number too (torch's Scalar log: float16's result times it rounds once)
    gy = None
    if c.needs_input_grad[1]:
        number = x._wrapped_number and type(x._number) in (int, float) and x._number > 0
        # (a complex exponent's real part, as torch's pow_backward_exponent: ordering is refused for complex)
        gy = g * where((x == 0) & ((y.real if y.dtype.is_complex else y) >= 0), 0.0,
                       c.out * (math.log(x._number) if number else x.log()))
    return gx, gy


def _overload(op, x, y):
    """PyTorch's node for a binary op by its overload: Tensor-Scalar 0, Tensor-Tensor 1, Scalar-Tensor 2
    (which remainder has no derivative for)."""
    if y._wrapped_number:
        return f"{op}Backward0"
    if x._wrapped_number:
        return "PowBackward2" if op == "Pow" else "NotImplemented"
    return f"{op}Backward1"


def _remainder_vjp(c, g):
    if not c.needs_input_grad[1]:  # the operands are saved for other's gradient only, as torch's
        return g, None
    x, y = c.inputs
    if x is None:  # remainder(number, tensor): torch has no derivative, its node keeps nothing (OpNode)
        raise RuntimeError("derivative for aten::remainder is not implemented")
    # PyTorch's floor division (nan for inf / 1, where floor(x / y) is inf); it has no gradient
    return g, -g * _floor_divide(x.detach(), y.detach())


def _atan2_vjp(c, g):
    y, x = c.inputs
    # at the origin the gradient is taken as 0, as PyTorch does (1 / 0 would give nan there)
    denom = y * y + x * x
    recip = where(denom == 0, 0.0, 1 / denom)
    return g * x * recip, -g * y * recip


def _max_min_vjp(beats, loses):
    """maximum's (``beats``: >, ``loses``: <) or minimum's VJP: the winner gets the gradient; a tie splits it
    in half; with a NaN both get all of it (no comparison holds), as in PyTorch. From the inputs alone, which
    torch's node saves (not the result: writing it in place fails no backward). Each comparison takes x
    first, as torch's where(self == other, ...).masked_fill_(self < other, 0), laid out by (self, other)."""
    def vjp(c, g):
        x, y = c.inputs
        # (selected, not multiplied by a 0/1 mask: an infinite g gives the loser 0, not NaN)
        shared = where(x == y, g * 0.5, g)
        return where(loses(x, y), 0.0, shared), where(beats(x, y), 0.0, shared)
    return vjp


def _complex_sum(np, a, b, alpha):
    """torch's complex add kernel: ``a + alpha * b`` with alpha a complex number of the dtype (sub's the
    negated one: ``-2`` is -2 + 0j) times b as a complex product, even for alpha 1, then the sum: so a zero
    part's sign is the product's (0 - 0j plus 0 - 0j is 0 + 0j) and an infinite part makes its partner's
    product NaN (0j + (inf + 0j) is inf + nanj), as torch's."""
    a, b = np.asarray(a), np.asarray(b)
    dtype = np.result_type(a, b)
    return np.add(a, dtype.type(alpha) * b.astype(dtype, copy=False))


def _sum_rule(name, sign):
    """add's (sign 1) or sub's (-1) NumPy rule: the ufunc (which a plan calls itself), torch's complex kernel
    for complex operands (``rule.complex``: a plan for a complex dtype calls the rule)."""
    def rule(np, a, b, plain=False):
        a, b = np.asarray(a), np.asarray(b)
        if not plain and (a.dtype.kind == "c" or b.dtype.kind == "c"):
            return _complex_sum(np, a, b, sign)
        return getattr(np, name)(a, b)

    rule.ufunc, rule.complex = name, True
    return rule


_add = binary("add", _sum_rule("add", 1), lambda c, g: (g, g), wgsl="a + b")
_add_folded = fold(*_add.folds, _add)

_sub = binary("sub", _sum_rule("subtract", -1), lambda c, g: (g, -g if c.needs_input_grad[1] else None),
              wgsl="a - b",
              bools=lambda input, other: _refuse_bool_subtraction(input, other))  # (defined below)


def kernel_add(input, other):
    """``input + other`` as the sum inside torch's own kernels (addcmul's, addcdiv's): for complex operands a
    plain sum, where ``add`` is torch's add kernel, ``a + (1 + 0j) * b`` (so ``inf - infj`` stays itself)."""
    if input.dtype.kind != "c" and other.dtype.kind != "c":
        return add(input, other)
    x, y = promote_pair(input, other, False, False)
    return apply(_add.folds[0], x, y, plain=True)


def complex_product(np, a, b):
    """``a * b`` for complex operands as torch's kernel and C's plain product: ``(ac - bd) + (ad + bc)i``,
    each product rounded (NumPy's complex multiply fuses them on CPUs with FMA: a quarter of complex64 parts
    differed) and no infinity recovered (so inf * (1 + 0j) is inf + nanj, as torch's)."""
    a, b = np.asarray(a), np.asarray(b)
    dtype = np.result_type(a, b)
    a, b = a.astype(dtype, copy=False), b.astype(dtype, copy=False)
    out = np.empty(np.broadcast_shapes(a.shape, b.shape), dtype)
    np.subtract(a.real * b.real, a.imag * b.imag, out=out.real)
    np.add(a.real * b.imag, a.imag * b.real, out=out.imag)
    return out


def _mul_rule(np, a, b):
    """mul's NumPy rule: the ufunc (which a plan calls itself), torch's complex product for complex operands
    (``rule.complex``: a plan for a complex dtype calls the rule). torch's vectors (128 bytes a step) round
    each product; a result smaller than one step is its scalar loop's, c10::complex's product, which its
    AVX-512 kernels compile with FMA contraction, as NumPy's multiply fuses it (not emulated: a larger
    result's scalar tail)."""
    a, b = np.asarray(a), np.asarray(b)
    if (a.dtype.kind == "c" or b.dtype.kind == "c") and max(a.nbytes, b.nbytes) >= 128:
        return complex_product(np, a, b)
    return np.multiply(a, b)


_mul_rule.ufunc, _mul_rule.complex = "multiply", True

# an input whose gradient is not needed may not be saved (saved_for), so its partner gets None
mul = binary(
    "mul",
    _mul_rule,
    lambda c, g: (
        g * c.inputs[1] if c.needs_input_grad[0] else None,
        g * c.inputs[0] if c.needs_input_grad[1] else None,
    ),
    save=(0, 1),
    saved_for={0: (1,), 1: (0,)},
    wgsl="a * b",
    opmath=True,
)
# torch's div node keeps self for other's gradient, other for both
_DIV_SAVES = dict(save=(0, 1), saved_for={0: (1,), 1: (0, 1)})
_div = binary(
    "div",
    ufunc("true_divide"),
    # torch's kernel: other's gradient reads self and other, self's gradient other
    lambda c, g: (g / c.inputs[1] if c.needs_input_grad[0] else None,
                  -g * (c.inputs[0] / c.inputs[1] / c.inputs[1]) if c.needs_input_grad[1] else None),
    out=FLOAT,
    **_DIV_SAVES,
    domain=(0.5, None),
    wgsl="a / b",
    opmath=True,
)
_FLOOR_DIVISION = dict(
    bools="div_floor_cpu",
    domain=(0.5, None),
    wgsl={"f": "T(floordiv_f32(f32(a), f32(b)))", "i": "floordiv_i32(a, b)", "u": "a / b"},
    opmath=True,
    divides=True,
)
_floor_rule = _int_division(lambda np, x, y: np.floor_divide(x, y))
_floor_divide = binary("floor_divide", _floor_rule, _no_derivative("floor_divide"),
                       backward_name="NotImplemented", **_FLOOR_DIVISION)
# div(rounding_mode="floor") is torch's div.Tensor_mode: the same numbers, but a zero gradient (whose node
# still saves the operands as its other overload's)
_div_floor = binary("div_floor", _floor_rule, _zeros, torch_name="div", backward_name="DivBackward2",
                    samples=samples.rounding_mode("floor"), **_DIV_SAVES, **_FLOOR_DIVISION)
_div_trunc = binary(
    "div_trunc",
    _int_division(lambda np, x, y: np.trunc(x / y) if x.dtype.kind == "f" else np.trunc(x / y).astype(x.dtype)
                  ),
    _zeros,
    torch_name="div",
    backward_name="DivBackward2",
    samples=samples.rounding_mode("trunc"),
    **_DIV_SAVES,
    bools="div_trunc_cpu",
    domain=(0.5, None),
    wgsl={"f": "trunc(a / b)", "*": "a / b"},
    opmath=True,
    divides=True,
)
def _pow_rule(np, x, y):
    if x.dtype.kind == "c":
        # torch's complex pow is C's cpow, exp(y * log(x)), for every exponent (NumPy multiplies out an
        # integral one: x ** 4.0 differed in most complex64 results); the exponent complex first, as torch
        # converts it (a real y times log(x) keeps signed zeros a complex product does not)
        return np.exp(_c99_product(np, y.astype(x.dtype, copy=False), np.log(x)))
    if x.dtype.kind in "iu":
        # PyTorch's integer pow: 1 and -1 keep their magnitude under a negative exponent, the rest is 0
        # (NumPy raises for negative integer powers)
        negative = y < 0
        r = np.power(x, np.where(negative, 0, y).astype(y.dtype))
        sign = np.where(y % 2 == 0, 1, -1)
        return np.where(negative, np.where(x == 1, 1, np.where(x == -1, sign, 0)), r).astype(x.dtype)
    if x.dtype.kind == "f" and x.dtype.itemsize < 8 and y.ndim <= x.ndim and y.size == 1 and y.item() == 2:
        return x * x  # the commonest power, exact in float64 and so rounded once here too, 4x faster
    # NumPy's float32 power is up to an ulp off the correctly rounded result torch gives (0.1 ** -1
    # is 9.999999); in float64, rounded once, it is torch's
    r = np.power(x.astype(np.float64, copy=False), y)
    if (y == 0.5).any() if y.ndim else y.item() == 0.5:
        # NumPy takes sqrt for a broadcast exponent of 0.5; C's pow, as torch's kernel, gives +0 at -0
        # and inf at -inf (a number exponent of 0.5 is torch's sqrt: see pow)
        r = np.where((y == 0.5) & ((x == 0) | (x == -np.inf)), np.abs(x), r)
    return r.astype(x.dtype, copy=False)


def _c99_product(np, z, w):
    """``z * w`` as C's complex product (Annex G, libgcc's __mulsc3, what cpow multiplies with): where both
    parts of the plain product are NaN but an operand or a partial product is infinite, the infinity is
    recovered (cpow(inf + nanj, -3) is 0, not NaN)."""
    product = complex_product(np, z, w)
    lost = np.isnan(product.real) & np.isnan(product.imag)
    if not lost.any():
        return product
    a, b, c, d = (np.broadcast_to(part, product.shape).copy() for part in (z.real, z.imag, w.real, w.imag))
    partials_infinite = np.isinf(a * c) | np.isinf(b * d) | np.isinf(a * d) | np.isinf(b * c)
    z_infinite, w_infinite = np.isinf(a) | np.isinf(b), np.isinf(c) | np.isinf(d)
    recover = lost & (z_infinite | w_infinite | partials_infinite)
    for inf_side, (p, q), (r, s) in ((z_infinite, (a, b), (c, d)), (w_infinite, (c, d), (a, b))):
        box = recover & inf_side
        for part in (p, q):  # the infinite operand's parts boxed to +-1 (finite ones +-0)
            part[box] = np.copysign(np.isinf(part[box]), part[box])
        for part in (r, s):  # the other's NaNs to +-0
            fix = box & np.isnan(part)
            part[fix] = np.copysign(0, part[fix])
    only_partials = recover & ~z_infinite & ~w_infinite
    for part in (a, b, c, d):
        fix = only_partials & np.isnan(part)
        part[fix] = np.copysign(0, part[fix])
    real, imag = np.inf * (a * c - b * d), np.inf * (a * d + b * c)
    product[recover] = (real + 1j * 0)[recover]
    product.imag[recover] = imag[recover]
    return product


_pow = binary(
    "pow",
    _pow_rule,
    _pow_vjp,
    save=(0, 1),
    save_output=True,
    domain=(0.5, 2.0),
    grad_fn=lambda inputs, attrs: _overload("Pow", *inputs),
    extra={"scalar_overload": True},
    nan_safe=True,  # pow(nan, 0) and pow(1, nan) are 1
    wgsl={"f": "T(pow_f32(f32(a), f32(b)))", "*": "T(pow_i32(i32(a), i32(b)))"},
)
atan2 = binary(
    "atan2",
    lambda np, y, x: np.arctan2(y, x),
    lambda c, g: _atan2_vjp(c, g),
    out=FLOAT,
    save=(0, 1),
    domain=(0.5, None),
    scalars="none",
    wgsl="T(atan2_f32(f32(a), f32(b)))",
)
def _copysign_vjp(c, g):
    if not c.needs_input_grad[0]:  # self is saved for its own gradient only, as torch's
        return None, g.new_zeros(g.shape)  # torch's zeros of other's size (contiguous)
    x = c.inputs[0]
    # torch: grad * result / self, taken as 0 where self is 0; no gradient flows to the sign's source
    return g * where(x == 0, 0.0, c.out / x), g.new_zeros(g.shape)  # nan/inf in g stays nan at 0


copysign = binary(
    "copysign",
    lambda np, x, y: np.copysign(x, y),
    _copysign_vjp,
    out=FLOAT,
    save=(0,),
    save_output=True,
    saved_for={0: (0,)},
    scalars="other",
    nan_safe=True,  # a NaN magnitude stays NaN with the new sign; a NaN sign source gives its sign bit
    grad_fn=lambda inputs, attrs: "CopysignBackward1" if inputs[1]._wrapped_number else "CopysignBackward0",
    # the sign bit of b on the magnitude of a, through f32 (an f16's sign and NaN survive the widening)
    wgsl="T(bitcast<f32>((bitcast<u32>(f32(a)) & 0x7fffffffu) | (bitcast<u32>(f32(b)) & 0x80000000u)))",
)


def _max_min_np(np, x, y, beats):
    """maximum/minimum as torch's CPU kernel: NaN wins; at a tie of 0.0 with -0.0 its vectors (16 elements
    a loop step, float32 and float64 alike: measured) keep the second operand, its scalar tail the first."""
    if x.dtype.kind != "f":
        return _where_np(np, beats(y, x), y, x)
    take_y = beats(y, x) | np.isnan(y)
    zeros = (x == 0) & (y == 0)
    if np.count_nonzero(zeros):  # (not zeros.any(): see _where_np)
        shape = np.broadcast_shapes(x.shape, y.shape)
        layout = x if x.shape == shape else np.broadcast_to(x, shape)  # (its strides: the loop's order)
        take_y |= zeros & ~scalar_tail(np, layout, 16)
    return _where_np(np, take_y, y, x)


def _remainder_np(np, x, y):
    """torch's float remainder: fmod, moved by ``y`` where its sign differs from ``y``'s, so a zero result
    keeps the dividend's sign (remainder(-4.0, 2) is -0.0); NumPy's gives a zero the divisor's sign."""
    if x.dtype.kind != "f":
        return np.remainder(x, y)
    m = np.fmod(x, y)
    return _where_np(np, (m != 0) & ((m < 0) != (y < 0)), m + y, m)


remainder = binary(
    "remainder",
    _int_division(_remainder_np),
    lambda c, g: _remainder_vjp(c, g),
    save=(0, 1),
    saved_for={0: (1,), 1: (1,)},
    grad_fn=lambda inputs, attrs: _overload("Remainder", *inputs),
    extra={"scalar_overload": True},
    domain=(0.5, None),
    wgsl={"f": "T(remainder_f32(f32(a), f32(b)))", "i": "remainder_i32(a, b)", "u": "a % b"},
    divides=True,
    bools="remainder_cpu",
)
fmod = binary(
    "fmod",
    _int_division(lambda np, x, y: np.fmod(x, y)),
    lambda c, g: (g, -g * (c.inputs[0] / c.inputs[1]).trunc() if c.needs_input_grad[1] else None),
    save=(0, 1),
    saved_for={0: (1,), 1: (1,)},  # read by other's gradient only, as torch's
    grad_fn=lambda inputs, attrs: _overload("Fmod", *inputs),
    extra={"scalar_overload": True},
    domain=(0.5, None),
    scalars="other",
    wgsl={"f": "T(fmod_f32(f32(a), f32(b)))", "*": "a % b"},
    divides=True,
    bools="fmod_cpu",
)
maximum = binary(
    "maximum",
    lambda np, x, y: _max_min_np(np, x, y, np.greater),
    _max_min_vjp(lambda a, b: a > b, lambda a, b: a < b),
    save=(0, 1),
    scalars="none",
    # not max: at a tie (0.0 with -0.0) torch's vectors keep the second operand, its scalar tail (a run's
    # last elements under 16, every element of a small tensor) the first (_max_min_np); a fused expression
    # knows no position: the tail's, as a small tensor's
    wgsl="select(a, b, b > a)",
)
minimum = binary(
    "minimum",
    lambda np, x, y: _max_min_np(np, x, y, np.less),
    _max_min_vjp(lambda a, b: a < b, lambda a, b: a > b),
    save=(0, 1),
    scalars="none",
    wgsl="select(a, b, b < a)",
)
eq = binary("eq", ufunc("equal"), out=BOOL_OUT, scalars="other", wgsl="a == b")
ne = binary("ne", ufunc("not_equal"), out=BOOL_OUT, scalars="other", wgsl="!(a == b)")
lt = binary("lt", ufunc("less"), out=BOOL_OUT, scalars="other", wgsl="a < b")
le = binary("le", ufunc("less_equal"), out=BOOL_OUT, scalars="other", wgsl="a <= b")
gt = binary("gt", ufunc("greater"), out=BOOL_OUT, scalars="other", wgsl="a > b")
ge = binary("ge", ufunc("greater_equal"), out=BOOL_OUT, scalars="other", wgsl="a >= b")
logical_and = binary(
    "logical_and",
    ufunc("logical_and"),
    out=BOOL_OUT,
    scalars="none",
    wgsl={"f": "nonzero_f32(f32(a)) && nonzero_f32(f32(b))", "*": "!(a == T(0)) && !(b == T(0))"},
)
logical_or = binary(
    "logical_or",
    ufunc("logical_or"),
    out=BOOL_OUT,
    scalars="none",
    wgsl={"f": "nonzero_f32(f32(a)) || nonzero_f32(f32(b))", "*": "!(a == T(0)) || !(b == T(0))"},
)
logical_xor = binary(
    "logical_xor",
    ufunc("logical_xor"),
    out=BOOL_OUT,
    scalars="none",
    wgsl={"f": "nonzero_f32(f32(a)) != nonzero_f32(f32(b))", "*": "(a == T(0)) != (b == T(0))"},
)
_bitwise_and = binary("bitwise_and", ufunc("bitwise_and"), wgsl="a & b")
_bitwise_or = binary("bitwise_or", ufunc("bitwise_or"), wgsl="a | b")
_bitwise_xor = binary("bitwise_xor", ufunc("bitwise_xor"), wgsl="a ^ b")


def _shift(left):
    """PyTorch's shifts: a shift by a negative amount or by the dtype's width or more gives 0
    (and -1 for a right shift of a negative value), where C leaves it undefined."""

    def rule(np, x, y):
        fits = (y >= 0) & (y < 8 * x.dtype.itemsize)
        s = np.where(fits, y, 0).astype(x.dtype)
        if left:
            return np.where(fits, np.left_shift(x, s), 0).astype(x.dtype)
        return np.where(fits, np.right_shift(x, s), np.where(x < 0, -1, 0)).astype(x.dtype)

    return rule


# WGSL shifts take the amount modulo 32; narrow integers live in 32-bit lanes, so 32 bounds them all
_lshift = binary("bitwise_left_shift", _shift(True), samples=samples.shift,
                 wgsl="select(T(0), a << u32(b), b >= T(0) && b < T(32))")
_rshift = binary("bitwise_right_shift", _shift(False), samples=samples.shift,
                 wgsl="select(a >> 31u, a >> u32(b), b >= T(0) && b < T(32))")


# -- ternary, casts and copies ------------------------------------------------------------------
# the most elements np.where selects faster than _where_np's bits (measured: 1.5 against 5.4 us at 1,000
# random ones, 4 against 7 at 4,000; at 16,000 its mispredictions cost 146 against 18)
_BRANCHY = 4096


def _where_np(np, c, x, y):
    """``np.where``'s values, selected by bits: np.where branches per element, and a random condition
    (relu's gradient mask) mispredicts half of them, ~6x slower than this branch-free select of the
    bit patterns (the same values, NaN payloads and signed zeros) past a few thousand elements."""
    shape = c.shape if c.shape == x.shape == y.shape else np.broadcast_shapes(c.shape, x.shape, y.shape)
    if x.dtype != y.dtype or x.dtype.itemsize not in (1, 2, 4, 8) or math.prod(shape) <= _BRANCHY:
        return np.where(c, x, y)
    bits = np.dtype(f"u{x.dtype.itemsize}")
    xb, yb = x.view(bits), y.view(bits)
    out = np.empty(shape, x.dtype)  # owned, not a view (see relu)
    o = out.view(bits)
    mask = c.astype(bits)
    # (count_nonzero, not ndarray.any: any() runs NumPy's Python wrapper, ~3x the time; relu's gradient)
    if y.size == 1 and not np.count_nonzero(yb):  # where(c, x, 0): x's bits under the mask alone
        np.negative(mask, out=mask)  # all ones where c holds
        np.bitwise_and(xb, mask, out=o)
    elif x.size == 1 and not np.count_nonzero(xb):  # where(c, 0, y), relu's gradient: y's bits where c fails
        np.subtract(mask, 1, out=mask)  # all ones where c does not hold
        np.bitwise_and(yb, mask, out=o)
    else:
        np.negative(mask, out=mask)
        np.bitwise_xor(xb, yb, out=o)
        np.bitwise_and(o, mask, out=o)
        np.bitwise_xor(o, yb, out=o)
    return out


_where = register(
    OpDef(
        "where",
        "elementwise",
        lambda c, x, y: [(broadcast_of(c, x, y), x.dtype)],
        _where_np,
        # selected, not multiplied by the mask: a NaN gradient stays out of the other branch
        lambda c, g: (None, where(c.inputs[0], g, 0), where(c.inputs[0], 0, g)),
        arity=3,
        save=(0,),
        torch_name="where",
        wgsl="select(c, b, a != 0u)",
    )
)


def _nan_to_num_np(np, x, nan, posinf, neginf):
    # each replacement cast as torch's kernel casts the double: through float32 for every dtype but float64
    # (a 16-bit input comes widened to float32 and its result is rounded once: the same value)
    wide = np.float64 if x.dtype == np.float64 else np.float32
    out = np.array(x, order="C")
    for at, value in ((np.isnan(x), nan), (x == np.inf, posinf), (x == -np.inf, neginf)):
        np.copyto(out, np.asarray(value, np.float64).astype(wide), where=at)
    return out


# nan_to_num of a real floating tensor on the cpu in one kernel (ops/composite/functions.py's selections
# elsewhere: thirteen ops, ~150 us at 1,000 elements); its gradient torch's grad * isfinite(self), multiplied,
# not selected: where the input is not finite an infinite or NaN g gives NaN, a negative one -0.0 (the
# composite's selections give +0 there)
nan_to_num_op = register(OpDef(
    "nan_to_num", "other", lambda x, nan, posinf, neginf: [(x.shape, x.dtype)], _nan_to_num_np,
    lambda c, g: (mul(g, isfinite(c.inputs[0])),), save=(0,)))


class _NumPyMath:
    """The operations of activation_formulas on NumPy arrays (numbers as the array's dtype): the cpu
    kernels below, each the formula in one NumPy pass."""

    def __init__(self, np):
        self.np = np
        self.exp, self.expm1, self.log, self.log1p, self.abs = np.exp, np.expm1, np.log, np.log1p, np.abs
        self.logical_and, self.logical_not = np.logical_and, np.logical_not

    def where(self, c, x, y):
        return _where_np(self.np, c, x, y)

    def sigmoid(self, x):
        return _sigmoid(self.np, x)

    @staticmethod
    def num(x, v):
        return x.dtype.type(v)


_NUMPY_MATH: list = []  # the one _NumPyMath, made at the first kernel's call (the backend hands NumPy in)


def _numpy_math(np):
    if not _NUMPY_MATH:
        _NUMPY_MATH.append(_NumPyMath(np))
    return _NUMPY_MATH[0]


def _elu_np(np, x, alpha, scale, input_scale):
    return formulas.elu(_numpy_math(np), x, alpha, scale, input_scale)


def _softplus_np(np, x, beta, threshold):
    return formulas.softplus(_numpy_math(np), x, beta, threshold)


def _logsigmoid_np(np, x, buffer=False):
    """With ``buffer``, torch's log_sigmoid_forward's pair: the value and its kernel's buffer exp(-|x|)."""
    out = formulas.logsigmoid(_numpy_math(np), x)
    return (out, np.exp(-np.abs(x))) if buffer else out


# the _elu, softplus and _logsigmoid composites' values on the cpu in one kernel each, where no gradient is
# recorded (their eight to twelve steps cost 80-150 us at 1,000 elements, torch's kernels 2-3); a recorded
# call runs them in a Formula (nn/functional/activation.py) with the backward kernels below; webgpu keeps
# the composites
elu_op = register(OpDef(
    "elu", "other", lambda x, alpha, scale, input_scale: [(x.shape, x.dtype)], _elu_np, None))
softplus_op = register(OpDef(
    "softplus", "other", lambda x, beta, threshold: [(x.shape, x.dtype)], _softplus_np, None))
logsigmoid_op = register(OpDef(
    "log_sigmoid", "other", lambda x, buffer=False: [(x.shape, x.dtype)] * (1 + buffer), _logsigmoid_np, None))


def _elu_backward_np(np, g, x, alpha, scale, input_scale, nan_negative):
    return formulas.elu_backward(_numpy_math(np), g, x, alpha, scale, input_scale, nan_negative)


def _softplus_backward_np(np, g, x, beta, threshold):
    return formulas.softplus_backward(_numpy_math(np), g, x, beta, threshold)


def _log_sigmoid_backward_np(np, g, x, buffer=None):
    return formulas.log_sigmoid_backward(_numpy_math(np), g, x, buffer)


# their gradients on the cpu in one kernel each (the composites' selects: 9-12 ops); differentiated by the
# Formula that runs them (nn/functional/activation.py: torch's double-backward formulas)
elu_backward_op = register(OpDef(
    "elu_backward", "other", lambda g, x, **attrs: [(x.shape, x.dtype)], _elu_backward_np, None, arity=2))
softplus_backward_op = register(OpDef(
    "softplus_backward", "other", lambda g, x, **attrs: [(x.shape, x.dtype)], _softplus_backward_np, None,
    arity=2))
log_sigmoid_backward_op = register(OpDef(  # (the forward's buffer third where it kept one, as torch's kernel)
    "log_sigmoid_backward", "other", lambda g, x, buffer=None: [(x.shape, x.dtype)], _log_sigmoid_backward_np,
    None, arity=3))


def where(condition, input=None, other=None):
    """``input`` where ``condition`` holds, else ``other``; with one argument, ``nonzero`` as tuple."""
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    if condition.dtype is dt.bool_:  # the common cases: nothing to promote or cast
        if type(input) is Tensor:
            if type(other) is Tensor:
                if input.dtype is other.dtype:
                    return select(_where, condition, input, other)
            elif _keeps(input, other):  # where(mask, x, 0.0)
                return select(_where, condition, input, _kept_number(other, input))
        elif type(other) is Tensor and _keeps(other, input):
            return select(_where, condition, _kept_number(input, other), other)
    dtype = dt.result_type(input, other)  # (torch promotes the values first: a shell dtype's refusal)
    if condition.dtype is not dt.bool_:
        if condition.dtype is not dt.uint8:
            raise RuntimeError(
                f"where expected condition to be a boolean tensor, but got a tensor with "
                f"dtype {dt.scalar_name(condition.dtype)}"
            )
        _warnings.warn_once("where received a uint8 condition tensor. This behavior is deprecated and will "
                            "be removed in a future version of PyTorch. Use a boolean condition instead.")
        condition = condition.to(dt.bool_)
    for v in (input, other):
        if dtype not in dt.HALVES:  # torch rounds a 16-bit float one (1e5 is inf) and checks the others
            check_fits(v, dtype)
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):  # where(mask, 1.0, 0.0)
        input = scalar_tensor(input, dtype, condition.device)
    x, y = promote_args((input, other))
    return select(_where, condition, x, y)


def _keeps(t, value) -> bool:
    """Whether plain number ``value`` beside Tensor ``t`` keeps its dtype in promotion (a float with a
    floating ``t``, an int of int64's range with an integer or floating one): where's operand as it is."""
    kind = type(value)
    if kind is float:
        return t.dtype.kind == "f" and not t._wrapped_number
    return kind is int and t.dtype.kind in "if" and not t._wrapped_number and -1 << 63 <= value < 1 << 63


def _kept_number(value, like):
    """``value`` (``_keeps`` it beside ``like``) as where's 0-d operand of like's dtype, checked as torch
    checks it: a 16-bit float rounds (1e5 is inf), every other dtype refuses a value it can't hold."""
    if like.dtype not in dt.HALVES:
        check_fits(value, like.dtype)
    return scalar_tensor(value, like.dtype, like._storage.device)


def _clamp_np(np, x, min, max):
    # a bound replaces x only where x is strictly beyond it, so clamp(-0.0, min=0) stays -0.0 and NaN
    # passes, as in torch (np.maximum may return either zero of a tie); a NaN bound gives NaN
    # (selected by bits: np.where branches per element and mispredicts where x crosses the bound at random;
    # np.maximum is exact where NaN is not the bound, but for a tie of zeros, where x is put back)
    for bound, beyond, nearer in ((min, np.less, np.maximum), (max, np.greater, np.minimum)):
        if bound is not None:
            b = np.array(bound, x.dtype)
            if x.dtype.kind != "f" or bound == bound and bound != 0:
                x = nearer(x, b)
            elif bound == 0:  # clamp(min=0), a relu: a third of the selection's time
                y = np.asarray(nearer(x, b))  # (0-d: a NumPy scalar, which copyto refuses)
                np.copyto(y, x, where=x == 0)
                x = y
            else:
                x = _where_np(np, beyond(x, b) | (bound != bound), b, x)
    return x


def _clamp_vjp(c, g):
    # selected as PyTorch's clamp_backward does, not multiplied by the mask: an infinite g gives 0 outside
    x, lo, hi = c.inputs[0], c.attrs["min"], c.attrs["max"]
    inside = (x >= lo) if hi is None else (x <= hi) if lo is None else (x >= lo) & (x <= hi)
    return (where(inside, g, 0.0),)


def _clamp_wgsl(attrs, ctype):
    """min(max(a, lo), hi) with the bounds as kernel parameters s0, s1 (a missing one is the type's
    extreme), so new bounds compile nothing. Floats keep NaN as torch does, where WGSL's max, min
    and clamp may drop it."""
    lo, hi = attrs["min"], attrs["max"]
    if ctype[0] == "f":
        return "T(clamp_f32(f32(a), f32(s0), f32(s1)))", (-math.inf if lo is None else lo,
                                                          math.inf if hi is None else hi)
    lowest, highest = (-(1 << 31), (1 << 31) - 1) if ctype[0] == "i" else (0, (1 << 32) - 1)
    return "min(max(a, s0), s1)", (lowest if lo is None else lo, highest if hi is None else hi)


_clamp = register(
    OpDef(
        "clamp",
        "elementwise",
        _infer(SAME),
        _clamp_np,
        _clamp_vjp,
        save=(0,),
        torch_name="clamp",
        backward_name="ClampBackward1",
        wgsl=_clamp_wgsl,
        # planned per pair of bounds (a dict look-up, where the general path was three quarters of a
        # 1,000-element clamp), spelled so that -0.0 and 0.0 (which give -0.0 and 0.0 below them) and
        # NaN (which never equals itself) keep plans of their own
        extra={"plan_attrs": lambda attrs: [*map(spelled_number, attrs.values())]},
    )
)


def clamp(input, min=None, max=None):
    """Clamp to [min, max]; the bounds may be numbers or tensors, as ``torch.clamp``."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if input.dtype.kind == "c":
        raise NotImplementedError("clamp is not supported for complex types")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        if not all(isinstance(b, Tensor) or b is None for b in (min, max)) and not all(
                b.dim() == 0 and not b.requires_grad for b in (min, max) if isinstance(b, Tensor)):
            # one Tensor bound and one number: neither of torch's signatures (Tensors, or Numbers, which a
            # 0-d tensor without grad passes for); the wrappers word it as torch's parser by the call's form
            raise TypeError("clamp(): expected both bounds Tensors or both Numbers")
        _refuse_kernelless(input, min, max, "cpu")
        # selections, not maximum/minimum, for PyTorch's gradient: at a tie the input takes all of it
        # (maximum would split it); a bound gets it only where it replaced the input; NaN propagates,
        # without a gradient (torch's clamp_backward: self >= min and self <= max fail for NaN)
        since = SEQUENCE[0]
        # (where no gradient or tangent of the input flows, a NaN's selection changes nothing: 7 us skipped)
        out = where(input != input, input.detach(), input) if (
            input._requires_grad and _state.enabled or carries(input)) else input
        if min is not None:
            out = where((out < min) | (min != min), min, out)
        if max is not None:
            out = where((out > max) | (max != max), max, out)
        return _shown_as_clamp(out, since, "ClampBackward0", ("self", input), ("min", min), ("max", max))
    if isinstance(min, complex) or isinstance(max, complex):
        if not input.dtype.is_floating_point:  # the bounds would make the result complex
            raise NotImplementedError("clamp is not supported for complex types")
        min, max = (check_fits(v, dt.float64) for v in (min, max))  # torch reads them as doubles
    dtype = input.dtype
    if dtype.kind != "f" or type(min) not in _KEEP_FLOATS or type(max) not in _KEEP_FLOATS or dtype in SHELL:
        # (a float tensor keeps its dtype by plain int and float bounds: result_type's tiers were a third of
        # a 1,000-element clamp)
        dtype = _refuse_kernelless(input, min, max, "scalar_cpu")
        input = input if dtype is input.dtype else input.to(dtype)
    return apply(_clamp, input, min=check_fits(min, dtype), max=check_fits(max, dtype))


# the bounds' types by which a float tensor's clamp keeps its dtype (exact types: a bool or a NumPy number
# takes result_type)
_KEEP_FLOATS = frozenset((int, float, type(None)))


clip = clamp


def _refuse_kernelless(input, min, max, form: str):
    """The computing dtype of a clamp, or torch's NotImplementedError where it has no kernel for it: bool
    and the shell dtypes (uint16/32/64, float8). ``form``: "scalar_cpu" (number bounds: torch's clamp,
    clamp_min, clamp_max kernels) or "cpu" (tensor bounds: clamp, or maximum/minimum for one bound, which
    bool has)."""
    dtype = dt.result_type(input, *(v for v in (min, max) if v is not None))  # torch's promotion errors first
    if dtype is not dt.bool_ and dtype not in dt.SHELL:
        return dtype
    if form == "scalar_cpu":
        kernel = "clamp" if None not in (min, max) else ("clamp_min" if max is None else "clamp_max")
    elif None in (min, max):
        if dtype is dt.bool_:
            return dtype
        kernel = "maximum" if max is None else "minimum"
    else:
        kernel = "clamp"
    shell.refuse_kernel(f"{kernel}_{form}", dtype)
    return dtype


def _shown_as_clamp(out, since, node, *operands):
    """``out``, tensor-bound clamp's selections, shown as torch's one ``node`` over ``operands`` ((name,
    tensor or None) pairs; an absent bound: no edge, as torch's undefined optional tensor), as a CopySlices
    of clamp_ through a view shows them too. The node keeps the operands as torch's does (so a write into
    one after the forward fails the backward, as torch's), where the selections kept only their masks."""
    if out._requires_grad:
        graph.present_as(out, node, since, edges=[t._edge() if isinstance(t, Tensor) else (None, 0)
                                                  for _, t in operands], saves=lambda: operands)
    return out


def clamp_min(input, min):
    since = SEQUENCE[0]
    if isinstance(min, Tensor):
        return _shown_as_clamp(clamp(input, min=min), since, "ClampMinBackward1", ("self", input), ("min", min))
    return _shown_as_one_sided(clamp(input, min=min), since, "ClampMinBackward0", input, ("min", min))


def clamp_max(input, max):
    since = SEQUENCE[0]
    if isinstance(max, Tensor):
        return _shown_as_clamp(clamp(input, max=max), since, "ClampMaxBackward1", ("self", input), ("max", max))
    return _shown_as_one_sided(clamp(input, max=max), since, "ClampMaxBackward0", input, ("max", max))


def _shown_as_one_sided(out, since, node, input, bound):
    """``out``, clamp by a number ``bound`` (its (name, number)), shown as torch's clamp_min's or clamp_max's
    own ``node``: its one edge is ``input``'s, it keeps ``input`` and the number."""
    if out._requires_grad:
        graph.present_as(out, node, since, edges=[input._edge()], saves=lambda: (("self", input), bound))
    return out


def _cast_np(np, x, dtype):
    # out-of-range floats become +-inf, as in torch: the backend runs every rule with NumPy's errors
    # ignored (a np.errstate here cost 4 us, three times the cast of 1,000 elements). A complex array to a
    # real number dtype keeps its real part, as torch's cast (NumPy's does too, with a warning); a bool is
    # whether it is nonzero
    if x.dtype.kind == "c" and dtype.kind in "fi":
        x = x.real
    if dtype in dt.HALVES or dtype in dt.FLOAT8:
        return dt.half_array(np, x, dtype)
    return x.astype(dt.numpy_dtype(np, dtype))


def _grad_as(g, dtype):
    """The gradient of a cast from ``dtype``: a real input's is the real part of a complex gradient (as
    torch's engine takes it, without the warning of a complex-to-real cast)."""
    if g.dtype.kind == "c" and dtype.kind != "c":
        g = g.real
    return g.to(dtype)


_to_copy = register(
    OpDef(
        "to_copy",
        "elementwise",
        lambda x, dtype: [(x.shape, dtype)],
        lambda np, x, dtype: _cast_np(np, x, dtype),
        lambda c, g: (_grad_as(g, c.input_dtypes[0]) if c.input_dtypes[0].is_floating_point else None,),
        backward_name="ToCopyBackward0",
        torch_name=None,
        wgsl="a",
        # planned per target dtype: every promotion of a mixed op casts. A copy keeps a dense input's
        # strides as they are (torch's preserve_format), where an op's result is laid out by its rule
        extra={"plan_attrs": True, "copies_layout": True},
    )
)

_clone = register(
    OpDef(
        "clone",
        "elementwise",
        _infer(SAME),
        # row-major: the backend's storages are (NumPy keeps a transposed view's order, and the
        # storage would then be copied a second time)
        lambda np, x: np.array(x, copy=True, order="C"),
        lambda c, g: (g,),
        torch_name="clone",
        wgsl="a",
        extra={"copies_layout": True},
    )
)

# A copy laid out as the caller asks (dispatch.apply_as), whose gradient is laid out with the strides
# ``back`` (None: as it comes): a layer that computes in the contiguous layout takes its channels-last input
# through it, so its input gradient comes back channels-last, as torch's kernels give it
_relaid = register(
    OpDef(
        "relaid",
        "elementwise",
        _infer(SAME),
        lambda np, x, back: np.array(x, copy=True, order="C"),
        lambda c, g: (g if c.attrs["back"] is None else relaid(g, c.attrs["back"]),),
        backward_name="CloneBackward0",
        torch_name=None,
        wgsl="a",
    )
)


def relaid(input, strides, back=None):
    """A copy of ``input`` with ``strides`` (None: contiguous) whose gradient takes the strides ``back``."""
    return apply_as(_relaid, strides, input, back=back)


def to_dtype(input, dtype):
    """A copy of ``input`` as ``dtype`` (``input`` itself when it already has it)."""
    dt.check_storable(dtype)
    if input.dtype.kind == "c" and dtype.kind == "f":
        _warnings.warn_once("Casting complex values to real discards the imaginary part")
    return input if input.dtype is dtype else apply(_to_copy, input, dtype=dtype)


def clone(input, *, memory_format=None):
    if memory_format is None:
        return apply(_clone, input)
    from ..memory_formats import copy_as, memory_format_arg
    memory_format_arg("clone", memory_format)
    return copy_as(_clone, input, memory_format)


# torch's CPU add and sub with an alpha compute ``input + alpha * other`` with one rounding (a fused
# multiply-add, in its vectors and its scalar loop alike: measured on float32 and float64, contiguous,
# strided and broadcast); a product then a sum rounds twice and differs in an ulp for a tenth of the
# elements. Internal (torch_name None): add's and sub's tests cover it; sub passes -alpha
def _scaled_add_np(np, a, b, alpha):
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind == "c":  # (torch's complex kernel: a product, then the sum)
        return _complex_sum(np, a, b, alpha)
    return scaled_add(np, a, b, alpha)


def _scaled_add_vjp(c, g):
    alpha = c.attrs["alpha"]  # (torch's: other's gradient is g times alpha's conjugate)
    if not c.needs_input_grad[1]:
        return g, None
    return g, mul(g, alpha.conjugate() if type(alpha) is complex else alpha)


_scaled_add = register(OpDef(
    "scaled_add", "elementwise", _infer(SAME), _scaled_add_np, _scaled_add_vjp,
    arity=2, backward_name="AddBackward0", torch_name=None,
    # (WGSL's fma may be unfused, lavapipe's is: fused_f32 rounds once wherever)
    wgsl=lambda attrs, ctype: ("T(fused_f32(f32(b), s0, f32(a)))", (attrs["alpha"],))))


def _rounded_once_sum(input, other, alpha, node):
    """``input + alpha * other`` rounded once for a float32 or float64 result (see _scaled_add), or a complex
    one as torch's complex kernel computes it (_complex_sum), presented as torch's ``node``; None where the
    result has another dtype (integers are exact, 16-bit floats round in float32 (_scale)) or ``alpha`` is
    not a plain number."""
    if not isinstance(input, Tensor) or type(alpha) not in (int, float, complex) or type(other) is bool:
        return None
    dtype = dt.result_type(input, other)
    if dtype is not dt.float32 and dtype is not dt.float64 and not _complex_on_cpu(dtype, input):
        return None
    since = SEQUENCE[0]
    x = input if input.dtype is dtype else input.to(dtype)
    y = other if isinstance(other, Tensor) else scalar_tensor(other, dtype, input.device)
    out = apply(_scaled_add, x, y if y.dtype is dtype else y.to(dtype), alpha=alpha)
    graph.present_as(out, node, since, [input, y])  # (a number: torch's wrapped 0-d tensor, no history)
    return out


# -- the arithmetic entry points with PyTorch's extra arguments ---------------------------------
def _check_alpha(alpha, dtype, name="alpha", complex_check=True):
    """torch's alpha_check, in its order: a bool alpha scales a bool result only, a float one a float one
    (addr checks its beta, then its alpha, so, without the complex check: a complex one fails to convert)."""
    alpha = dt.check_number(alpha)
    # (a 0-d tensor is the Scalar of its dtype)
    kind = alpha.dtype.kind if isinstance(alpha, Tensor) else "b" if isinstance(alpha, bool) else "f" \
        if isinstance(alpha, float) else "c" if isinstance(alpha, complex) else "i"
    if kind == "b" and dtype is not dt.bool_:
        raise RuntimeError(f"Boolean {name} only supported for Boolean results.")
    if dtype.kind not in "fc" and kind in "fc":
        raise RuntimeError(f"For integral input tensors, argument {name} must not be a floating point "
                           "number.")
    if complex_check and dtype.kind != "c" and kind == "c":
        raise RuntimeError(f"For non-complex input tensors, argument {name} must not be a complex number.")
    check_fits(alpha, dtype)


def _sub_alpha(alpha, dtype):
    """sub's ``alpha`` as torch reads it, checked: torch adds ``-alpha * other``, its int ``-alpha`` negated
    as an int64 (which wraps: sub(a, b, alpha=2**63) computes, and an int32 one takes alpha=2**31, not
    -2**31), alpha_check and the fit asked of that. Returns the alpha whose ``input - alpha * other`` is
    torch's result (an integer dtype's modulo its width)."""
    if type(alpha) is not int:
        _check_alpha(alpha, dtype)
        return alpha
    negated = wrap_int(-dt.check_number(alpha))
    _check_alpha(negated, dtype)
    return -negated if dtype.kind in "fc" else wrap_int(alpha)


def add(input, other, *deprecated, alpha=1):
    if deprecated or alpha != 1 or type(alpha) is not int:  # alpha=1.0 or a NumPy 1 is checked as torch does
        given, alpha = _given_alpha("add", input, other, deprecated, alpha)
        once = _rounded_once_sum(input, given, alpha, "AddBackward0")
        if once is not None:
            return once
        scaled = _add_operand(input, given, alpha=alpha)
        if scaled is not given and _half_result(input, given):
            return _rounded_once(_add, input, given, scaled, "AddBackward0")
        if scaled is not given and isinstance(given, Tensor):
            return _scaled_sum(_add, input, given, scaled, "AddBackward0")
        other = scaled
    # a Tensor input by _add's fold (as ``a + b``): torch.add(a, b) runs its commonest case in one frame
    return _add_folded(input, other) if type(input) is Tensor else _add(input, other)


def _given_alpha(name, input, other, deprecated, alpha):
    """(other, alpha) of an add or sub call, its deprecated form ``add(input, alpha, other)`` read as
    torch reads it, alpha checked against the result's dtype (torch's alpha_check)."""
    if deprecated:
        alpha, (other,) = scalar_first(name, (other, *deprecated), 1)
    if alpha != 1 or type(alpha) is not int:
        if name == "sub":  # _sub's own check, before alpha scales a bool away
            _refuse_bool_subtraction(input, other)
        dtype = dt.result_type(input, other)
        if name == "sub":
            alpha = _sub_alpha(alpha, dtype)
        else:
            _check_alpha(alpha, dtype)
        if dtype in dt.HALVES and isinstance(input, Tensor) and not isinstance(other, Tensor):
            # torch's wrapped number is cast to the 16-bit dtype before alpha scales it (x + 0.1 * (1/3) in
            # float16 took 1/3 unrounded: 5% of the sums an ulp off, 56% for alpha=3.3 and 0.7)
            other = scalar_tensor(other, dtype, input.device)
    return other, alpha


def _complex_on_cpu(dtype, input) -> bool:
    """Whether _rounded_once_sum computes a sum of ``dtype`` that is not float32 or float64 in one op: a
    complex one on the cpu (torch's complex kernel, _complex_sum)."""
    return dtype.kind == "c" and input.device.type == "cpu"


def _inplace_operand(name):
    """The one operand ``add_``/``sub_`` computes into self's memory (methods._inplace); where the sum is
    the fused one (_rounded_once_sum), the pair (other, alpha) of ``self + alpha * other`` instead, which
    scaled_add_into writes."""
    scaled_operand = _add_operand if name == "add" else _sub_operand
    sign = 1 if name == "add" else -1

    def operand(self, other, *deprecated, alpha=1):
        if deprecated or alpha != 1 or type(alpha) is not int:
            given, checked = _given_alpha(name, self, other, deprecated, alpha)
            if type(checked) in (int, float, complex) and type(given) is not bool and (
                    (dtype := dt.result_type(self, given)) in (dt.float32, dt.float64)
                    or _complex_on_cpu(dtype, self)):
                return given, sign * checked
            return scaled_operand(self, given, alpha=checked)  # (a number made a 16-bit tensor there)
        return scaled_operand(self, other, *deprecated, alpha=alpha)
    return operand


def scaled_add_into(self, other, alpha) -> bool:
    """``self + alpha * other`` rounded once (_rounded_once_sum's numbers) computed into ``self``'s own
    memory, as torch's ``add_`` writes it: no temporary of self's size, no copy back (an SGD step's
    ``p.add_(p.grad, alpha=-lr)``). ``other``: a number, or a Tensor of self's dtype and device whose shape
    broadcasts to self's and whose memory is apart from self's or is ``self`` (methods._inplace settled
    that, and that autograd records nothing). False where nothing was written (the caller computes the sum
    apart): another dtype, a conj or neg view, a shape error for the general path to raise, a backend
    without the kernel."""
    if isinstance(other, Tensor):
        if other.dtype is not self.dtype or other._storage.device is not self._storage.device or \
                other._lazy is not None:
            return False
        if other._shape != self._shape and broadcast_shapes(self._shape, other._shape) != tuple(self._shape):
            return False
    else:  # a Python number (_inplace_operand's fused case): torch's wrapped 0-d tensor of self's dtype
        other = scalar_tensor(other, self.dtype, self._storage.device)
    return get_backend(self._storage.device).scaled_add_into(self._layout, other._layout, alpha)


def _add_operand(input, other, *deprecated, alpha=1):
    """``other`` scaled by ``alpha``, what ``add`` adds (its deprecated and alpha arguments read and checked
    as torch does): ``add_`` computes that sum into its own memory (methods._inplace)."""
    if deprecated:  # add(input, alpha, other), deprecated
        alpha, (other,) = scalar_first("add", (other, *deprecated), 1)
    if alpha != 1 or type(alpha) is not int:
        dtype = dt.result_type(input, other)
        _check_alpha(alpha, dtype)
        if dtype is dt.bool_:  # torch casts alpha to the result's dtype: a bool sum stays bool
            alpha = bool(alpha)
            return other * alpha if isinstance(other, Tensor) else bool(other * alpha)
        return _scale(input, other, alpha, dtype)
    return other


def _scale(input, other, alpha, dtype):
    """``other * alpha``, what add and sub add to ``input``. For a float16 or bfloat16 result as torch's
    kernel: alpha rounded to that dtype (its scalar_t), in its vectors the product and the sum in float32,
    one rounding at the end (a 16-bit product rounded twice: alpha=0.1 moved a fifth of the sums by an
    ulp); in its scalar tail (ops/cpu_vectors.py) the product rounded to the 16-bit dtype first. ``add_``
    writes the float32 sum into its 16-bit self."""
    if dtype in dt.HALVES and isinstance(other, Tensor) and not isinstance(alpha, bool):
        from ..cpu_vectors import vector_or_tail
        scaled = other.float() * dt.round_half(alpha, dtype)
        if not isinstance(input, Tensor):
            return scaled
        shape = broadcast_shapes(input.shape, other.shape)
        operands = [input.expand(shape), other.expand(shape)]
        return vector_or_tail(operands, scaled.expand(shape), scaled.to(dtype).float(), 32)
    if isinstance(other, Tensor) and other.dtype is not dtype:  # torch scales in the result's dtype (a
        other = other.to(dtype)                                  # float8 number joining float32 included)
    return other * alpha


def _half_result(input, other) -> bool:
    return isinstance(input, Tensor) and isinstance(other, Tensor) and \
        dt.result_type(input, other) in dt.HALVES


def _rounded_once(op, input, other, scaled, node):
    """``op(input, scaled)`` (a float32 ``scaled``) rounded to the 16-bit result dtype once, its node
    torch's ``node``."""
    since = SEQUENCE[0]
    out = op(input, scaled).to(dt.result_type(input, other))
    graph.present_as(out, node, since, [input, other])
    return out


def _scaled_sum(op, input, other, scaled, node):
    """``op(input, scaled)`` (``scaled``: the Tensor ``other`` times alpha), its node torch's ``node`` with
    ``other``'s history as its input, as torch's one node shows it (not the scaling's MulBackward0); so
    does a CopySlices of ``add_``/``sub_`` through a view."""
    since = SEQUENCE[0]
    out = op(input, scaled)
    if isinstance(input, Tensor):
        graph.present_as(out, node, since, [input, other])
    return out


def _refuse_bool_subtraction(input, other):
    """torch refuses a bool operand of ``-``, a tensor or a Python bool alike (after reading a number)."""
    for x in (input, other):
        if not isinstance(x, Tensor):
            dt.check_number(x)
    bools = [type(x) is bool or (isinstance(x, Tensor) and x.dtype is dt.bool_) for x in (input, other)]
    if all(bools):
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use "
            "the `^` or `logical_xor()` operator instead."
        )
    if any(bools):
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to "
            "invert a mask, use the `~` or `logical_not()` operator instead."
        )


def sub(input, other, *deprecated, alpha=1):
    given = other
    if deprecated or alpha != 1 or type(alpha) is not int:
        given, alpha = _given_alpha("sub", input, other, deprecated, alpha)
        plain = type(alpha) in (int, float, complex)  # (a NumPy bool has no negative)
        once = _rounded_once_sum(input, given, -alpha, "SubBackward0") if plain else None
        if once is not None:
            return once
    scaled = _sub_operand(input, given, alpha=alpha)
    if scaled is not given and _half_result(input, given):
        return _rounded_once(_sub, input, given, scaled, "SubBackward0")
    if scaled is not given and isinstance(given, Tensor):
        return _scaled_sum(_sub, input, given, scaled, "SubBackward0")
    return _sub(input, scaled)


def _sub_operand(input, other, *deprecated, alpha=1):
    """``other`` scaled by ``alpha``, what ``sub`` subtracts (see _add_operand)."""
    if deprecated:  # sub(input, alpha, other), deprecated
        alpha, (other,) = scalar_first("sub", (other, *deprecated), 1)
    if alpha != 1 or type(alpha) is not int:
        _refuse_bool_subtraction(input, other)  # _sub's own check, before alpha scales a bool away
        dtype = dt.result_type(input, other)
        alpha = _sub_alpha(alpha, dtype)
        return _scale(input, other, alpha, dtype)
    return other


@records(lambda input, other, **kw: "RsubBackward0" if isinstance(other, Tensor) else "RsubBackward1")
def rsub(input, other, *, alpha=1):
    _refuse_bool_subtraction(other, input)  # before a number becomes a tensor of input's dtype
    return sub(other if isinstance(other, Tensor) else promote_args((other, input))[0], input, alpha=alpha)


def div(input, other, *, rounding_mode=None):
    if rounding_mode is None:
        return _div(input, other)
    if rounding_mode == "floor":
        return _div_floor(input, other)
    if rounding_mode == "trunc":
        return _div_trunc(input, other)
    raise RuntimeError(
        f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'"
    )


def floor_divide(input, other):
    return _floor_divide(input, other)


def pow(input, exponent):
    kind = type(exponent)
    if (kind is int or kind is float) and isinstance(input, Tensor) and input.dtype.kind == "f" \
            and input.dtype not in dt.HALVES and exponent != 0.5 and exponent != -0.5 and exponent != 3 \
            and exponent != -2:
        return _pow(input, exponent)  # the common ``x ** 2``: no check below applies to this base
    base_bool = input.dtype is dt.bool_ if isinstance(input, Tensor) else isinstance(input, bool)
    if base_bool and isinstance(exponent, Tensor) and exponent.dtype is dt.bool_:
        # torch has no bool kernel; a bool number exponent is its fill-with-1 or copy special case
        shapes_first(input, exponent)
        raise NotImplementedError("\"pow\" not implemented for 'Bool'")
    if not isinstance(input, Tensor):  # number ** tensor
        base, exponent = promote_args((input, exponent))
        if exponent._odd:  # torch's kernel for a number base writes a contiguous result, whatever the layout
            return apply_as(OPS["pow"], None, base, exponent)
        return _pow(base, exponent)
    if type(exponent) is not int and type(exponent) is not float and not isinstance(exponent, Tensor):
        exponent = dt.check_number(exponent)  # a NumPy scalar as its number; ints beyond 64 bits raise
    if (
        isinstance(exponent, int)
        and not isinstance(exponent, bool)
        and exponent < 0
        and input.dtype.kind not in "fc"
    ):
        dt.check_number(exponent)  # torch reads the number first: below -2**63 it overflows
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    if not isinstance(exponent, Tensor):
        d = dt.result_type(input, exponent)
        if d is input.dtype and (d in dt.HALVES or d.kind == "i"):
            check_fits(exponent, d)  # torch converts such an exponent to the dtype (float32's to double)
        if (exponent == 0.5 or exponent == -0.5) and d in _SPECIALISED:  # (0.5+0j too, as torch's Scalar)
            return _half_power(input.to(d), exponent.real)
        if exponent in _STEPS and d in _SPECIALISED or exponent in _COMPLEX_STEPS and d in dt.COMPLEX:
            return _number_power(input.to(d), exponent, _STEPS.get(exponent) or _COMPLEX_STEPS[exponent])
    return _pow(input, exponent)


# torch's kernel for these number exponents multiplies in the dtype, each step rounded (x * x * x,
# 1 / (x * x)), for float32, float64 and bfloat16 (C's pow rounds once: x ** 3 differed in a quarter of
# float32 results); float16, the other exponents and a tensor exponent take pow (float16's in float32)
_STEPS = {3: lambda x: mul(mul(x, x), x), -2: lambda x: reciprocal(mul(x, x))}
# the dtypes whose kernel takes those steps, and sqrt and 1 / sqrt for 0.5 and -0.5; complex ones also x * x
# for 2 and reciprocal for -1 (their real kernels' pow gives the same there; cpow does not)
_SPECIALISED = (dt.float32, dt.float64, dt.bfloat16, *dt.COMPLEX)
_COMPLEX_STEPS = {2: lambda x: mul(x, x), -1: lambda x: reciprocal(x), 0: lambda x: _ones_like(x),
                  1: lambda x: x.clone()}  # torch's pow fills 1 for 0 and copies for 1 (cpow: 0 ** 0 NaN)


def _half_power(input, exponent):
    """torch's pow with the number 0.5 or -0.5 in float32, float64 and bfloat16 (not float16): sqrt and 1 /
    sqrt (bfloat16's -0.5 as its pow kernel's loop rounds it: 1 / sqrt rounded once over four vectors a
    step, the square root rounded first in the scalar tail),
    where C's pow, its kernel for the rest (and for an exponent tensor), differs at -0 and -inf (-0 ** 0.5
    is -0 and -inf ** 0.5 nan, not +0 and inf; -0 ** -0.5 is -inf, not inf). Its gradient is pow's."""
    if exponent > 0:
        return _number_power(input, exponent, sqrt)
    if input.dtype is dt.bfloat16:
        return _number_power(input, exponent, lambda x: apply(OPS["rsqrt"], x, vector=4 * LANES))
    return _number_power(input, exponent, rsqrt)


def _ones_like(x):
    from ..creation import ones_like
    return ones_like(x)


def _number_power(input, exponent, kernel):
    """``input ** exponent`` (a number) computed as torch's kernel does, by ``kernel(input)``; the gradient
    is pow's."""
    if input._requires_grad and _state.enabled:
        return _differentiable_number_power(input, exponent, kernel)
    return kernel(input)


@records("PowBackward0")
def _differentiable_number_power(input, exponent, kernel):
    return Formula.apply(kernel, lambda g, x: _number_power_backward(g, x, exponent), input)


def _number_power_backward(g, x, exponent):
    """torch's pow_backward: ``g * conj(y * x ** (y - 1))``, the power a number power again (1 / sqrt for
    0.5), zeros for ``y == 0``."""
    if exponent == 0:
        return zeros_like_grad(g)
    derivative = mul(pow(x, exponent - 1), exponent)
    return mul(g, derivative.conj() if derivative.dtype in dt.COMPLEX else derivative)


# the public functions that are their op's own function for operands the op's fold takes (see binary);
# not pow's: a number exponent of +-0.5 is torch's sqrt there (_half_power), which the fold would skip
add.folds = _add.folds  # (alpha 1: add is _add's fold)
add.operand, sub.operand = _inplace_operand("add"), _inplace_operand("sub")  # what add_/sub_ write self with
sub.folds = _sub.folds[0], _sub.folds[1] - {dt.bool_}  # torch refuses a bool operand of ``-``
div.folds, floor_divide.folds = _div.folds, _floor_divide.folds


@records("PowBackward0")
def square(input):
    if input.dtype in SHELL:  # torch's square is its pow, which has no kernel for them (mul has)
        refuse("square", (input,))
    if input.dtype is dt.bool_:  # torch's square is pow(input, 2): a bool base promotes to int64
        input = input.to(dt.int64)
    return mul(input, input)


def bitwise_and(input, other):
    return _bitwise_and(*_integral_args("bitwise_and", input, other))


def bitwise_or(input, other):
    return _bitwise_or(*_integral_args("bitwise_or", input, other))


def bitwise_xor(input, other):
    return _bitwise_xor(*_integral_args("bitwise_xor", input, other))


def bitwise_left_shift(input, other):
    return _lshift(*_integral_args("lshift", input, other, bools=False))


def bitwise_right_shift(input, other):
    return _rshift(*_integral_args("rshift", input, other, bools=False))


def _integral_args(name, *args, bools=True):
    args = promote_args(args)
    if args[0].dtype.is_floating_point or (not bools and args[0].dtype is dt.bool_):
        shapes_first(*args)
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{dt.scalar_name(args[0].dtype)}'")
    return args


true_divide = divide = div
multiply, subtract = mul, sub
absolute, arctan2, arcsin, arccos, arctan = abs, atan2, asin, acos, atan
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


METHODS = (
    "neg negative abs absolute exp exp2 log log2 log10 log1p expm1 sqrt rsqrt sin cos tan asin "
    "acos atan arcsin arccos arctan sinh cosh tanh sigmoid relu erf reciprocal floor ceil trunc "
    "frac sign round isnan isinf isfinite logical_not bitwise_not add sub rsub mul multiply div copysign "
    "divide true_divide floor_divide pow square atan2 arctan2 remainder fmod maximum minimum eq "
    "ne lt le gt ge greater greater_equal less less_equal not_equal logical_and logical_or "
    "logical_xor bitwise_and bitwise_or bitwise_xor bitwise_left_shift bitwise_right_shift clamp "
    "clip clamp_min clamp_max clone subtract"
)
INPLACE = (
    "neg abs exp exp2 log log2 log10 log1p expm1 sqrt rsqrt sin cos tan asin acos atan sinh "
    "cosh tanh sigmoid relu erf reciprocal floor ceil trunc frac sign round logical_not "
    "add sub mul div floor_divide pow square atan2 copysign remainder fmod clamp clip clamp_min "
    "clamp_max bitwise_and bitwise_or bitwise_xor bitwise_left_shift bitwise_right_shift logical_and "
    "logical_or logical_xor eq ne lt "
    "le gt ge multiply subtract true_divide divide negative bitwise_not absolute arcsin arccos arctan "
    "arctan2 greater greater_equal less less_equal not_equal"
)
__all__ = METHODS.split() + ["to_dtype", "where"]


def _where_method(self, condition, other):
    """``x.where(condition, other)``: ``where(condition, x, other)``, the tensor itself where it holds
    (torch's method; the function takes the condition first)."""
    return where(condition, self, other)


_where_method.__name__ = "where"
Tensor.where = _where_method
