"""Complex tensors' own functions: the views ``view_as_real`` / ``view_as_complex`` (and ``real`` / ``imag``
through them), ``complex``, ``polar``, ``conj``, ``abs``, ``angle``, ``sgn``, as torch's.

A complex64 tensor is stored as NumPy's complex array on the cpu; ``view_as_real`` reads the same memory as
float32 pairs, through a second storage over it (pyfront's storages are typed: ops/bit_views.py), so writes
go through both ways and one version counter counts them, as torch's. Both storages are marked exported:
neither may be replaced by an in-place op's result.
``conj`` is torch's lazy conjugate view (ops/lazy_bits.py): ``is_conj()``, one memory with ``z``, writes
through it store the conjugate; ``.imag`` of it a view with the negative bit; ``view_as_real`` of it asks
for ``resolve_conj()`` first, as torch's (pyfront's own uses resolve it).
The differentiable ones are composed of ``view_as_real``/``view_as_complex`` and real ops, or are formulas
with torch's derivative under its convention (the conjugate Wirtinger derivative), where the function is
not holomorphic (abs, angle, sgn)."""
from __future__ import annotations

import math

from ... import dtypes as dt
from ...strides_order import result_strides
from ...tensor import Tensor
from ..bit_views import reinterpreted
from ..common import Formula
from ..lazy_bits import lazy_view
from ..registry import records
from ..shell import refuse_kernel

METHODS = "conj_physical resolve_conj angle"
INPLACE = "conj_physical"
__all__ = ["view_as_real", "view_as_complex", "real", "imag", "complex", "polar", "conj", "conj_physical",
           "resolve_conj", "is_conj", "is_complex", "angle"]


def _as_real(input: Tensor) -> Tensor:
    strides = tuple(2 * s for s in input.stride()) + (1,)
    shape = (*input.shape, 2)
    return reinterpreted(input, dt.to_real(input.dtype), shape, strides, 2 * input.storage_offset())


def _as_complex(input: Tensor) -> Tensor:
    return reinterpreted(input, dt.to_complex(input.dtype), input.shape[:-1],
                        tuple(s // 2 for s in input.stride()[:-1]), input.storage_offset() // 2)


@records("ViewAsRealBackward0")
def view_as_real(input: Tensor) -> Tensor:
    """``input``'s memory as a real tensor with a last dim of 2 (real, imaginary), as
    ``torch.view_as_real``."""
    if not input.dtype.is_complex:
        raise RuntimeError("view_as_real is only supported for complex tensors")
    if input.is_conj():
        raise RuntimeError("view_as_real doesn't work on unresolved conjugated tensors.  To resolve the "
                           "conjugate tensor so you can view it as real, use self.resolve_conj(); however, "
                           "be warned that the resulting tensor will NOT alias the original.")
    return _viewing(Formula.apply(_as_real, _as_real_grad, input), input)


@records("ViewAsComplexBackward0")
def view_as_complex(input: Tensor) -> Tensor:
    """``input``'s last dim of 2 (real, imaginary) as a complex tensor over its memory, as
    ``torch.view_as_complex``."""
    if input.dtype not in (dt.float32, dt.float64, dt.float16):
        raise RuntimeError("view_as_complex is only supported for half, float and double tensors, but got a "
                           f"tensor of scalar type: {dt.scalar_name(input.dtype)}")
    dt.check_storable(dt.to_complex(input.dtype))
    if not input.dim() or input.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    if input.stride(-1) != 1:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(s % 2 for s in input.stride()[:-1]):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    if input.storage_offset() % 2:
        raise RuntimeError("Tensor must have a storage_offset divisible by 2")
    return _viewing(Formula.apply(_as_complex, _as_complex_grad, input), input)


# the views' gradients read no value of the input (torch's nodes save none): a write into it after the view
# was taken fails no backward
def _as_real_grad(g, x):
    return view_as_complex(g.contiguous())


def _as_complex_grad(g, x):
    return view_as_real(g.resolve_conj())


_as_real_grad.saves = _as_complex_grad.saves = ()


def _viewing(out: Tensor, input: Tensor) -> Tensor:
    """``out``, over ``input``'s memory as another dtype, made a view of ``input``'s base as torch's: an
    in-place write through it (or ``.real``, ``.imag``) becomes its base's history, and a write into the
    base regenerates its history (ops/views.py: record_view_write, as_strided_record)."""
    base = input if input._base is None else input._base
    out._base, out._view_of_fn, out._view_at = base, base._grad_fn, out._vc.version
    return out


def real(input: Tensor) -> Tensor:
    """The real parts (a view of a complex tensor; a real tensor itself), as ``torch.real``: a conj view's
    are its memory's."""
    if not input.dtype.is_complex:
        return input
    return view_as_real(lazy_view(input, "conj") if input.is_conj() else input)[..., 0]


def imag(input: Tensor) -> Tensor:
    """The imaginary parts of a complex tensor, a view, as ``torch.imag``."""
    if not input.dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    if input.is_conj():  # the memory's imaginary parts, shown negated (torch's negative bit)
        return lazy_view(view_as_real(lazy_view(input, "conj")), "neg")[..., 1]
    return view_as_real(input)[..., 1]


@records("ComplexBackward0")
def complex(real: Tensor, imag: Tensor) -> Tensor:
    """``real + imag * 1j`` of two float tensors of one dtype (broadcast), as ``torch.complex``."""
    if real.dtype not in (dt.float16, dt.float32, dt.float64) or imag.dtype not in (dt.float16, dt.float32,
                                                                                   dt.float64):
        raise RuntimeError("Expected both inputs to be Half, Float or Double tensors but got "
                           f"{dt.scalar_name(real.dtype)} and {dt.scalar_name(imag.dtype)}")
    if real.dtype is not imag.dtype:
        raise RuntimeError(f"Expected object of scalar type {dt.scalar_name(real.dtype)} but got scalar type "
                           f"{dt.scalar_name(imag.dtype)} for second argument")
    from .arrays import broadcast_tensors
    from .shaping import stack
    real, imag = broadcast_tensors(real, imag)
    if real._odd or imag._odd:  # (row-major operands, the usual case: so is torch's result)
        order = _iterated_order(real, imag)
        if order is not None:  # the pairs stacked in that order, the dims put back: a view of them
            pairs = stack((real.permute(order), imag.permute(order)), -1)
            return view_as_complex(pairs).permute([order.index(d) for d in range(real.dim())])
    return view_as_complex(stack((real, imag), -1))


def _iterated_order(*operands):
    """The dims of the elementwise result of ``operands`` (of one shape), outermost first, as torch's
    TensorIterator lays it out (None: row-major)."""
    shape = operands[0]._shape
    strides = result_strides(shape, [(t._shape, t._strides) for t in operands])
    return None if strides is None else sorted(range(len(shape)), key=lambda d: -strides[d])


@records("PolarBackward0", saves="result")
def polar(abs: Tensor, angle: Tensor) -> Tensor:
    """``abs * (cos(angle) + 1j * sin(angle))``, as ``torch.polar``."""
    if abs.dtype is angle.dtype and abs.dtype.is_floating_point:
        return Formula.apply(_polar_value, _polar_grad, abs, angle)
    return complex(abs, angle)  # its dtype errors, which torch's polar shares


def _polar_value(r, theta):
    return complex(r * theta.cos(), r * theta.sin())


def _polar_grad(g, r, theta, result):
    """torch's polar_backward: ``Re(conj(g) sgn(z))`` and ``Re(conj(g) i z)`` (its sgn(z) makes a negative
    radius's gradient the negative of d|z|/dr, as torch's). It reads the result z only, as torch's node
    saves it only: an in-place change of the radius or angle afterwards is no error."""
    gc = conj(g)
    return real(gc * complex_sgn(result)), real(gc * result * 1j)


_polar_grad.saves, _polar_grad.reads_result = (), True


@records("ConjPhysicalBackward0")
def conj_physical(input: Tensor) -> Tensor:
    """The complex conjugate, a new tensor (a real tensor's is itself), as ``torch.conj_physical``."""
    if not input.dtype.is_complex:
        return input
    if input.is_conj():  # a conj view's conjugate: the values in its memory
        return lazy_view(input, "conj").clone()
    signs = input.new_tensor([1.0, -1.0], dtype=dt.to_real(input.dtype))
    return view_as_complex(view_as_real(input) * signs)  # laid out as input, as torch's kernel


def conj(input: Tensor) -> Tensor:
    """The complex conjugate as a lazy view of ``input`` (a real tensor: itself), as ``torch.conj``."""
    return lazy_view(input, "conj") if input.dtype.is_complex else input


def resolve_conj(input: Tensor) -> Tensor:
    """A conj view's values as a tensor of their own (a copy); any other tensor itself, as
    ``torch.resolve_conj``."""
    return input.clone() if input._lazy == "conj" else input


def is_conj(input: Tensor) -> bool:
    """Whether ``input`` is a lazy conj view, as ``torch.is_conj``."""
    return input.is_conj()


def is_complex(input: Tensor) -> bool:
    """Whether ``input``'s dtype is complex, as ``torch.is_complex``."""
    return input.dtype.is_complex


def _safe_abs(z: Tensor) -> Tensor:
    from ..primitives.special import hypot
    parts = view_as_real(z.resolve_conj())
    return hypot(parts[..., 0], parts[..., 1])


@records("AbsBackward0")
def complex_abs(input: Tensor) -> Tensor:
    """``|z|`` (a real tensor) with torch's gradient ``g * sgn(z)``, 0 at 0."""
    return Formula.apply(lambda z: _safe_abs(z), lambda g, z: g * complex_sgn(z), input)


@records("AngleBackward0")
def angle(input: Tensor) -> Tensor:
    """The argument of each element, in (-pi, pi]; of a real tensor pi where negative, else 0 (nan stays),
    as ``torch.angle``."""
    from ..primitives.elementwise import atan2
    if input.dtype.is_complex:
        # (contiguous whatever z's layout, as torch's complex kernel makes it; a real input's follows it)
        return Formula.apply(lambda z: atan2(imag(z), real(z)).contiguous(), _angle_grad, input)
    if input.dtype in dt.FLOAT8:  # torch's angle kernel has no float8 (the unsigned ones go to float)
        refuse_kernel("angle_cpu", input.dtype)
    x = input if input.dtype.is_floating_point else input.to(dt.get_default_dtype())
    return Formula.apply(lambda v: (v * 0).where(v >= 0, math.pi).where(v == v, v), lambda g, v: g * 0, x)


def _angle_grad(g, z):
    """torch's angle_backward: ``g * i z / |z|^2``, 0 at 0."""
    r2 = z.abs() ** 2
    return (g * z * 1j / r2.where(r2 != 0, 1.0)).where(r2 != 0, 0.0)


@records("SgnBackward0")
def complex_sgn(input: Tensor) -> Tensor:
    """``z / |z|`` (0 at 0) of a complex tensor, torch's ``sgn``."""
    return Formula.apply(_sgn_value, _sgn_grad, input)


def _sgn_value(z):
    r = _safe_abs(z)
    return (z / r.where(r != 0, 1.0)).where(r != 0, 0.0)


def _sgn_grad(g, z):
    """torch's sgn_backward: ``(g - Re(g * conj(sgn z)) * sgn z) / |z|``, 0 at 0."""
    r = _safe_abs(z)
    s = _sgn_value(z)
    safe = r.where(r != 0, 1.0)
    return ((g - real(g * conj(s)) * s) / safe).where(r != 0, 0.0)
