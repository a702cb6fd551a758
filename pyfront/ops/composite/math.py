"""Elementwise math built from primitives (see primitives/__init__.py for the module conventions)."""
from __future__ import annotations

from ...autograd.function import Function
from ...backends import get_backend
from ...shape import broadcast_shapes
from ...tensor import Tensor
from ... import dtypes as dt
from ..common import Formula, check_fits, in_float32, refuse_numbers, scalar_first, scalar_tensor
from ..dispatch import apply
from ..primitives.special import fused_multiply_add_kernel, lerp_kernel
from ...autograd.graph import SEQUENCE
from ..primitives.elementwise import (abs, add, eq, isfinite, isnan, kernel_add, logical_and, logical_or, mul,
                                      pow, sub, where)
from ..on_meta import refuse_on_meta
from ..registry import composite
from .. import samples

__all__ = ["lerp", "addcmul", "addcdiv", "isclose", "allclose", "equal", "float_power"]
METHODS = "lerp addcmul addcdiv isclose allclose equal float_power float_power_"
INPLACE = "lerp addcmul addcdiv"


@composite(samples=samples.lerp,
           grad_fn=lambda input, end, weight: (
               "LerpBackward1" if isinstance(weight, Tensor) else "LerpBackward0"))
def lerp(input, end, weight):
    """``input + weight * (end - input)``, as ``torch.lerp``."""
    # torch's lerp promotes nothing, but a 0-d weight, which it reads as a number
    for name, other in (("end", end), ("weight", weight)):
        if isinstance(other, Tensor) and other.dtype is not input.dtype and (name == "end" or other.dim()):
            raise RuntimeError(f"expected dtype {dt.cpp_name(input.dtype)} for `{name}` but got dtype "
                               f"{dt.cpp_name(other.dtype)}")
    if isinstance(weight, Tensor) and not weight.dim():  # torch promotes the three over a 0-d weight
        common = dt.result_type(input, end, weight)
        input, end, weight = (t if t.dtype is common else t.to(common) for t in (input, end, weight))
    return _lerp_in_opmath(input, end, weight)


def lerp_into(self, end, weight) -> bool:
    """``self.lerp_(end, weight)`` by a number computed into ``self``'s own memory, as torch's lerp_ writes
    it (an EMA of weights, ``ema.lerp_(p, 0.001)``): no result apart to write back. Where methods._inplace
    has settled that autograd records nothing and ``end`` is ``self`` or apart from its memory; False where
    nothing was written (another dtype, a conj or neg view, a shape error: the general path's)."""
    if self.dtype is not dt.float32 and self.dtype is not dt.float64 or type(weight) not in (int, float) \
            or not isinstance(end, Tensor) or end.dtype is not self.dtype \
            or end._storage.device is not self._storage.device or end._lazy is not None:
        return False
    if end._shape != self._shape and broadcast_shapes(self._shape, end._shape) != tuple(self._shape):
        return False
    check_fits(weight, self.dtype, opmath=True)
    return get_backend(self._storage.device).lerp_into(self._layout, end._layout, weight)


lerp.into_self = lerp_into  # what lerp_ computes into self's memory with (methods._inplace)


def _lerp_in_opmath(input, end, weight):
    if input.dtype.kind not in "fc":
        kernel = "lerp_kernel_tensor" if isinstance(weight, Tensor) else "lerp_kernel_scalar"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt.scalar_name(input.dtype)}'")
    check_fits(weight, input.dtype, opmath=True)
    backward = _lerp_backward if isinstance(weight, Tensor) else _lerp_number_backward
    # the value in float32 for float16 and bfloat16 (torch's one kernel), its gradient torch's formula in
    # the operands' dtype (a chain of ops, each rounded)
    return Formula.apply(_lerp, backward, input, end, weight)


@in_float32
def _lerp(input, end, weight):
    """PyTorch's two forms: from ``input`` for a small weight, from ``end`` otherwise (exact at weight 1;
    inf and nan fall as there: lerp(0, inf, 1) is inf - inf * 0), each one fused multiply-add (its kernel);
    complex numbers take the two formulas unfused (the kernel is real-valued)."""
    if input.dtype.is_complex:
        diff = sub(end, input)
        if not isinstance(weight, Tensor):
            small = weight.real ** 2 + weight.imag ** 2 < 0.25  # |weight| < 0.5, a complex one's too
            return add(input, mul(weight, diff)) if small else sub(end, mul(diff, 1 - weight))
        return where(abs(weight) < 0.5, add(input, mul(weight, diff)), sub(end, mul(diff, sub(1, weight))))
    if not isinstance(weight, Tensor):  # the number in the dtype torch computes in (float32 for halves)
        weight = scalar_tensor(weight, input.dtype, input.device)
    return apply(lerp_kernel, input, end, weight)


def _lerp_backward(g, input, end, weight):
    """PyTorch's LerpBackward: g * (1 - weight), g * weight and g * (end - input), each one product
    (the composite's input gradient, g - g * weight, is inf - inf for an infinite g). As torch's node, it
    keeps input and end for weight's gradient alone (None where that is not needed), weight for any."""
    return (mul(g, sub(1, weight).conj()), mul(g, weight.conj()),
            None if input is None else mul(g, sub(end, input).conj()))


_lerp_backward.saves = {0: (2,), 1: (2,), 2: (0, 1, 2)}


def _lerp_number_backward(g, input, end, weight):
    """The same for a number weight (1 - weight in double, as torch's weight.toDouble()): it reads no
    tensor, so none is saved (NAdam's differentiable step lerps its buffer in place)."""
    return mul(g, (1 - weight).conjugate()), mul(g, weight.conjugate()), None


_lerp_number_backward.saves = ()


@composite(samples=samples.float_power)
def float_power(input, exponent):
    """``input ** exponent`` computed in float64 whatever the operands' dtypes, as ``torch.float_power``
    (its node is pow's: both operands are first converted to float64).

    Args:
        input (Tensor or Number): the base.
        exponent (Tensor or Number): the exponent.
    """
    result = _float_power_dtype(input, exponent)

    def double(x):
        return x.to(result) if isinstance(x, Tensor) else complex(x) if result.is_complex else float(x)
    return pow(double(input), double(exponent))


def _float_power_dtype(input, exponent):
    """float64, or complex128 where either operand is complex (a Python complex number too), as torch's."""
    complex_ = any(x.dtype.is_complex if isinstance(x, Tensor) else isinstance(x, complex)
                   for x in (input, exponent))
    return dt.complex128 if complex_ else dt.float64


def float_power_(self, exponent):
    """In-place ``float_power``: ``self`` must be float64, the dtype of the result."""
    result = _float_power_dtype(self, exponent)
    if self.dtype is not result:
        raise RuntimeError(f"the base given to float_power_ has dtype {dt.scalar_name(self.dtype)} but the "
                           f"operation's result requires dtype {dt.scalar_name(result)}")
    since = SEQUENCE[0]
    return self._assign(float_power(self, exponent), since)


@composite(samples=samples.addcmul, grad_fn="AddcmulBackward0")
def addcmul(input, tensor1, tensor2, *deprecated, value=1):
    """``input + value * tensor1 * tensor2``, as ``torch.addcmul``."""
    if deprecated:  # addcmul(input, value, tensor1, tensor2), deprecated
        value, (tensor1, tensor2) = scalar_first("addcmul", (tensor1, tensor2, *deprecated), 2)
    if type(input) is not Tensor or type(tensor1) is not Tensor or type(tensor2) is not Tensor:
        refuse_numbers("addcmul", input=input, tensor1=tensor1, tensor2=tensor2)
    if all(t.dtype is dt.bool_ for t in (input, tensor1, tensor2)):
        raise NotImplementedError("\"addcmul_cpu_out\" not implemented for 'Bool'")
    value = _read_as(value, input, tensor1, tensor2)
    # float32 and float64: torch's kernel is fma(value * tensor1, tensor2, input), rounded once; the value
    # in float32 for float16 and bfloat16 (torch's one kernel); its gradient torch's formula
    once = input.dtype in (dt.float32, dt.float64) and input.dtype is tensor1.dtype is tensor2.dtype \
        and type(value) in (int, float)
    value_fn = _addcmul_once if once else _addcmul
    try:
        return Formula.apply(value_fn, _addcmul_backward, input, tensor1, tensor2, value)
    except RuntimeError:  # (the product broadcasts first: torch's iterator names input's size first)
        broadcast_shapes(input.shape, tensor1.shape, tensor2.shape)
        raise


@in_float32
def _addcmul(input, tensor1, tensor2, value):
    return kernel_add(input, mul(mul(tensor1, value), tensor2))  # torch's order: (value * tensor1) * tensor2


def _addcmul_once(input, tensor1, tensor2, value):
    return apply(fused_multiply_add_kernel, mul(tensor1, value), tensor2, input)


def _addcmul_backward(g, input, tensor1, tensor2, value):
    """torch's AddcmulBackward0: grad * (tensor2 * value) and grad * (tensor1 * value), in their dtype (each
    operand kept for the other's alone: None where that gradient is not needed)."""
    return (g, None if tensor2 is None else g * (tensor2 * value),
            None if tensor1 is None else g * (tensor1 * value), None)


_addcmul_backward.saves = {1: (2,), 2: (1,)}


@composite(samples=samples.addcdiv, grad_fn="AddcdivBackward0")
def addcdiv(input, tensor1, tensor2, *deprecated, value=1):
    """``input + value * tensor1 / tensor2``, as ``torch.addcdiv``."""
    if deprecated:  # addcdiv(input, value, tensor1, tensor2), deprecated
        value, (tensor1, tensor2) = scalar_first("addcdiv", (tensor1, tensor2, *deprecated), 2)
    if type(input) is not Tensor or type(tensor1) is not Tensor or type(tensor2) is not Tensor:
        refuse_numbers("addcdiv", input=input, tensor1=tensor1, tensor2=tensor2)
    if not any(t.dtype.is_floating_point or t.dtype.is_complex for t in (tensor1, tensor2)):
        # torch refuses when both divided operands are integers (bool included), whatever input is
        # (sic: torch's text has two spaces in "future  release")
        raise RuntimeError("Integer division with addcdiv is no longer supported, and in a future  release "
                           "addcdiv will perform a true division of tensor1 and tensor2. The historic "
                           "addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / "
                           "tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / "
                           "tensor2) for float inputs. The future addcdiv behavior is just the latter "
                           "implementation: (input + value * tensor1 / tensor2), for all dtypes.")
    return _Addcdiv.apply(input, tensor1, tensor2, _read_as(value, input, tensor1, tensor2))


def _read_as(value, *tensors):
    """addcmul's and addcdiv's value (a Scalar) checked to fit the tensors' common dtype (computed first: a
    float8 pair's error) and read as it: it does not promote, so a complex one is its real part for a real
    result, a float one truncated toward 0 for an integer one."""
    dtype = dt.result_type(*tensors)
    check_fits(value, dtype, opmath=True)
    if isinstance(value, complex) and not dtype.is_complex:
        value = value.real
    if isinstance(value, float) and not (dtype.is_floating_point or dtype.is_complex):
        value = int(value)
    return value


class _Addcdiv(Function):
    """``input + value * (tensor1 / tensor2)`` with PyTorch's derivatives (derivatives.yaml), not those of
    the composite: tensor2's is -grad * value * tensor1 / (tensor2 * tensor2), whose square overflows to
    inf (a gradient of 0 at tensor1 = 1e37, tensor2 = 1e20, where (tensor1 / tensor2) / tensor2 is 1e-3)."""

    @staticmethod
    def forward(ctx, input, tensor1, tensor2, value):
        # as torch's node: input's shape alone, tensor1 for tensor2's gradient only (an in-place
        # param.addcdiv_(exp_avg, ...) then a later exp_avg.lerp_ stays legal), tensor2 whatever needs one
        need2 = ctx.needs_input_grad[2]
        ctx.save_for_backward(tensor1 if need2 else None, tensor2)
        ctx.value, ctx.shapes = value, (input.shape, tensor1.shape, tensor2.shape)
        return _addcdiv(input, tensor1, tensor2, value)

    @staticmethod
    def backward(ctx, g):
        t1, t2 = ctx.saved_tensors
        v = ctx.value
        need = ctx.needs_input_grad
        shape0, shape1, shape2 = ctx.shapes
        return (g.sum_to_size(shape0) if need[0] else None,
                (g * (v / t2)).sum_to_size(shape1) if need[1] else None,
                (-g * (v * t1 / (t2 * t2))).sum_to_size(shape2) if need[2] else None,
                None)


@in_float32  # torch's one kernel computes float16 and bfloat16 in float32; its gradient (above) is a chain
def _addcdiv(input, tensor1, tensor2, value):
    return kernel_add(input, mul(tensor1, value) / tensor2)  # torch's order: (value * tensor1) / tensor2


@composite(grad=False, samples=samples.isclose)
def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """``|input - other| <= atol + rtol * |other|`` elementwise (infinities equal only to themselves)."""
    if input.dtype is not other.dtype:  # torch promotes nothing here
        raise RuntimeError(f"{dt.scalar_name(input.dtype)} did not match {dt.scalar_name(other.dtype)}")
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        # torch compares bools and integers as default floats: no wrap-around in a narrow or unsigned
        # difference (uint8 1 - 2), and int64s past 2**24 round as float32s do
        input, other = input.to(dt.get_default_dtype()), other.to(dt.get_default_dtype())
    error = abs(sub(input, other))  # an infinite error (inf vs a finite value) is never close
    close = logical_or(eq(input, other), logical_and(isfinite(error), error <= atol + rtol * abs(other)))
    if equal_nan:
        close = logical_or(close, logical_and(isnan(input), isnan(other)))
    return close


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    return bool(isclose(input, other, rtol, atol, equal_nan).all())


def equal(input, other) -> bool:
    """True when both have the same shape and elements, as ``torch.equal``."""
    refuse_on_meta("aten::equal", input, other)
    return input.shape == other.shape and bool(eq(input, other).all())
