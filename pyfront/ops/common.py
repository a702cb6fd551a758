"""Helpers shared by the op families: turning arguments into tensors of one dtype and device."""
from __future__ import annotations

import functools
import inspect
import math
import sys
import threading
from numbers import Number

from .. import dtypes as dt
from ..autograd.dual import ON
from ..autograd.function import Function
from ..autograd.grad_mode import _state, no_grad
from ..autograd.graph import SEQUENCE, present_as
from ..backends import get_backend, on_replace
from ..tensor import Tensor
from . import return_types


MAX_SCALARS = 512
# (device type, number's type, number, dtype) -> its 0-d tensor, the oldest first; emptied when a
# backend is replaced (its tensors are the old backend's)
_SCALARS: dict = {}
_SCALARS_LOCK = threading.Lock()  # a full cache drops its oldest: two threads must not drop one twice
on_replace(lambda: _SCALARS.clear())


_FLOAT_MAX: dict = {}  # each floating dtype's largest finite value, as check_fits asks it


def check_fits(value, dtype, opmath=False):
    """``value`` itself, or torch's RuntimeError where an argument that torch converts to the tensor's
    dtype with a range check (fill values, clamp bounds, alpha, a pow exponent) does not fit: a finite
    number beyond a float dtype's largest value (inf and nan are values), or any integer dtype's
    range (nan and inf included). Numbers in binary ops are not checked: ``h + 1e5`` is inf.
    ``opmath``: torch converts it to the type it computes in, float32 for float16 and bfloat16 (weights,
    slopes)."""
    if opmath and dtype in dt.HALVES:
        dtype = dt.float32
    if type(value) is float and dtype.kind == "f":  # the commonest: a float bound of a float tensor
        top = _FLOAT_MAX.get(dtype)
        if top is None:
            top = _FLOAT_MAX[dtype] = dt.finfo(dtype).max
        if -top <= value <= top or value != value or value in (math.inf, -math.inf):
            return value
    if value is None or isinstance(value, Tensor):
        return value
    value = dt.check_number(value)
    if dtype is dt.bool_ and isinstance(value, int) and value >= 1 << 63:
        return True  # torch's uint64 Scalar (past int64), read as a bool
    if dtype.is_complex:
        return value
    if isinstance(value, complex) and dtype is dt.bool_:
        return bool(value)
    if isinstance(value, complex):  # a real dtype takes a complex number only with no imaginary part
        if value.imag:
            raise RuntimeError(f"value cannot be converted to type {dt.convert_name(dtype)} without overflow")
        value = value.real
    if isinstance(value, bool) or dtype is dt.bool_:
        return value
    if dtype.is_floating_point:
        bad = math.isfinite(value) and abs(value) > dt.finfo(dtype).max
    else:
        info = dt.iinfo(dtype)
        # as torch's c10::overflows: an unsigned type takes an int down to -max, wrapped (uint8 -3 is 253)
        low = -info.max if info.min == 0 and isinstance(value, int) else info.min
        bad = not (low <= value <= info.max)  # nan compares false: it overflows too
        if not bad and value < 0 and low < 0 == info.min:
            value = _wrap_int(value, dtype)
    if bad:
        raise RuntimeError(f"value cannot be converted to type {dt.convert_name(dtype)} without overflow")
    return value



def _wrap_int(value: int, dtype) -> int:
    bits = dtype.itemsize * 8
    value &= (1 << bits) - 1
    return value - (1 << bits) if dtype.is_signed and value >= 1 << (bits - 1) else value


def spelled_number(value):
    """``value`` as a key that tells apart the numbers an op tells apart: the number itself where == is
    exact, its repr where it is not (0.0 == -0.0, nan != nan), with its type (1, 1.0 and True)."""
    return type(value), value if value == value and value else repr(value)


def scalar_tensor(value, dtype, device) -> Tensor:
    """A 0-d tensor for a Python number operand; it ranks below tensors in type promotion.

    These are never written to or exposed, so the recent (number, dtype, device) are kept: on a GPU
    that saves a fill kernel for every ``x * 2.0``, while a new number each step (a learning-rate
    schedule) only replaces the oldest (oldest made, not least used: a hit is one dict look-up, where
    keeping the order of use cost as much as the rest of ``x * 2``; a number in use that goes is made
    again). The key holds the number's type, so 1, 1.0 and True stay apart, and spells zeros and nan by
    repr, so -0.0 and 0.0 do too and nan finds itself.
    """
    if dtype.kind == "i" and isinstance(value, int) and not isinstance(value, bool):
        if not -0x8000000000000000 <= value < 0x10000000000000000:  # int64 or uint64, as torch reads it
            dt.check_number(value)
        value = _wrap_int(value, dtype)  # as torch's C cast: int8(t) + 1000 adds -24
    # spelled_number's key, inline (a call is a visible share of x * 2.0)
    key = (device.type, type(value), value if value == value and value else repr(value), dtype)
    t = _SCALARS.get(key)
    if t is None:
        dt.check_number(value)  # once per number: a float dtype's 2**70, a complex number
        t = Tensor._make(get_backend(device).full((), value, dtype), (), dtype)
        t._wrapped_number, t._number = True, value  # the number for a backward formula (pow's)
        t._inference = False  # made once, then shared: one first made in inference mode serves ops outside it
        with _SCALARS_LOCK:
            while len(_SCALARS) >= MAX_SCALARS:
                del _SCALARS[next(iter(_SCALARS))]
            _SCALARS[key] = t
    return t


# the plain Python numbers, by their rank in promotion's kinds (bool < integer < float); exact types,
# so a subclass (numpy's float64, an IntEnum) takes the general path
_NUMBER_KINDS = {bool: 0, int: 1, float: 2}


def promote_pair(x, y, float_only=False, opmath=False):
    """``promote_args((x, y), ...)``, its tensor-and-number case first without the tuple (a binary op
    asks it per call)."""
    pair = _tensor_and_number(x, y, float_only, opmath)
    return promote_args((x, y), float_only, opmath) if pair is None else pair


def _tensor_and_number(x, n, float_only, opmath):
    """promote_args for a tensor and a plain Python number, in either order (``x * 2``, ``2 - x``,
    ``x / n``): the one case every training step runs, decided from the tensor's dtype and the
    number's type alone, without result_type's tiers (a dimensioned or 0-d tensor ranks above a
    number, so only the kinds matter). None for anything else."""
    number_first = type(x) is not Tensor
    if number_first:
        n, x = x, n
        if type(x) is not Tensor or opmath:  # opmath keeps the second operand's precision: general path
            return None
    rank = _NUMBER_KINDS.get(type(n))
    if rank is None and type(n).__module__ == "numpy" and n.dtype.kind in "biuf":
        # torch reads a NumPy scalar as a Python number: an integer as int, a float and a bool as float
        n = int(n) if n.dtype.kind in "iu" else float(n)
        rank = _NUMBER_KINDS[type(n)]
    if rank is None or x._wrapped_number:
        return None
    dtype = x.dtype
    if rank > dt._KIND_ORDER[dtype.kind]:
        if rank == 1 and n >= 1 << 63:
            return None  # a uint64 scalar for torch: result_type refuses it with a bool tensor
        dtype = dt.get_default_dtype() if rank == 2 else (dt.int64 if rank == 1 else dt.bool_)
    if float_only and dtype.kind not in "fc":
        dtype = dt.get_default_dtype()
    if dtype is not x.dtype:
        from .primitives.elementwise import to_dtype
        x = to_dtype(x, dtype)
    if number_first:
        return scalar_tensor(n, dtype, x._storage.device), x
    if opmath and dtype in dt.HALVES:
        dtype = dt.float32  # see promote_args
    return x, scalar_tensor(n, dtype, x._storage.device)


def promote_args(args, float_only=False, opmath=False):
    """Cast the tensor operands to their common dtype and wrap Python numbers as 0-d tensors.

    ``opmath`` (torch's mul and div): where the result is float16 or bfloat16, a scalar second operand (a
    number or a 0-d tensor) keeps its value as float32, so the op computes in float32 and rounds
    once, as torch's CPU kernels use the scalar's original value: ``half(0.5) * 1e5`` is 49984,
    not ``0.5 * half(1e5) = inf``.
    """
    if len(args) == 2:
        pair = _tensor_and_number(args[0], args[1], float_only, opmath)
        if pair is not None:
            return pair
    first = args[0]
    if isinstance(first, Tensor):  # the common case, tensors of one dtype: nothing to cast (a loop: per op)
        dtype = first.dtype
        for a in args:
            if not isinstance(a, Tensor) or a.dtype is not dtype:
                break
        else:
            if not float_only or dtype.kind in "fc":
                return args
    device = next(a.device for a in args if isinstance(a, Tensor))
    dtype = dt.result_type(*args)
    if float_only:
        dtype = dt.to_float(dtype)
    from .primitives.elementwise import to_dtype
    out = []
    for i, a in enumerate(args):
        d = dtype
        if opmath and i == 1 and dtype in dt.HALVES and (not isinstance(a, Tensor) or a.dim() == 0):
            d = dt.float32
        out.append(to_dtype(a, d) if isinstance(a, Tensor) else scalar_tensor(a, d, device))
    return out


_HALVES = frozenset(dt.HALVES)


def in_float32(fn):
    """Run a composite whose floating tensors are all float16 (or all bfloat16) in float32, rounding each
    floating result to that dtype once: torch computes these (lerp, addcmul, mean, var, ...) in one kernel
    in float32, where a chain of 16-bit primitives would round, and overflow, at every step."""
    def up(a):
        return a.float() if isinstance(a, Tensor) and a.dtype in dt.HALVES else a

    # an in-place call (inplace=True, by name or position) writes into its input: no float32 copy
    params = list(inspect.signature(fn).parameters)
    at = params.index("inplace") if "inplace" in params else None

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        floats = {a.dtype for a in (*args, *kwargs.values())
                  if isinstance(a, Tensor) and a.dtype.is_floating_point}
        inplace = kwargs.get("inplace") or (at is not None and len(args) > at and args[at])
        if len(floats) != 1 or not floats <= _HALVES or kwargs.get("dtype") is not None:
            return fn(*args, **kwargs)
        (low,) = floats

        def down(r):
            return r.to(low) if isinstance(r, Tensor) and r.dtype is dt.float32 else r

        if inplace:  # computed as the out-of-place call, then written into the input, as torch's kernel
            since = SEQUENCE[0]
            if "inplace" in kwargs:
                kwargs = {**kwargs, "inplace": False}
            else:
                args = (*args[:at], False, *args[at + 1:])
            return args[0]._assign(wrapper(*args, **kwargs), since)
        try:
            out = fn(*map(up, args), **{k: up(v) for k, v in kwargs.items()})
        except Exception:  # noqa: BLE001 - a refusal names the caller's dtypes in torch ("c10::BFloat16",
            # "CPUBFloat16Type"), not float32's: the call as given raises it (its checks come first), or if
            # it does not, the float32 call's error stands
            fn(*args, **kwargs)
            raise
        if not isinstance(out, tuple):
            return down(out)
        vals = [down(r) for r in out]
        return type(out)(*vals) if return_types.is_return_type(out) else tuple(vals)

    return wrapper


def in_float32_of_one_dtype(fn):
    """``in_float32`` where every tensor operand has one dtype: ``fn`` refuses mixed ones itself,
    and must see them as given (torch names a 16-bit operand's type, not a float32 copy's)."""
    up = in_float32(fn)

    @functools.wraps(fn)
    def run(*args, **kwargs):
        kinds = {a.dtype for a in (*args, *kwargs.values()) if isinstance(a, Tensor)}
        return (up if len(kinds) == 1 else fn)(*args, **kwargs)
    return run


class Formula(Function):
    """``value(*inputs)`` differentiated by PyTorch's derivative formula ``backward(g, *inputs)`` (a
    gradient per input, or one Tensor for a single input), not as the composite of primitives it is
    built of: the product rule's terms of a composite (x * sigmoid(x), g - g * w) are opposite
    infinities (NaN) for an infinite ``g`` where torch's one product is infinite. Inputs may be
    tensors, numbers or None; a formula of differentiable ops makes the result twice differentiable.
    ``backward.reads_result``: it reads the result too, given as its keyword ``result`` (and saved)."""

    # its derivatives are made in ops, as a VJP's: a gradient a leaf alone receives becomes its .grad with no
    # copy (the engine's _made_here), where a user's Function may hand back a tensor it keeps
    fresh_gradients = True

    @classmethod
    def apply(cls, value, backward, *inputs):
        # where nothing records and no tangent flows, the value alone (under no_grad, as apply runs it: a
        # tensor it closes over records nothing): Function.apply's node and wrapping were 10-15 us of a
        # 1,000-element hardtanh's or lerp's call without grad
        if not ON[0]:
            if not _state.enabled:
                return value(*inputs)
            if not any([isinstance(a, Tensor) and a._requires_grad for a in inputs]):
                with no_grad():
                    return value(*inputs)
        name = getattr(backward, "node", None)
        if name is None:
            return super().apply(value, backward, *inputs)
        since = SEQUENCE[0]
        out = super().apply(value, backward, *inputs)
        present_as(out, name, since)
        return out

    @staticmethod
    def forward(ctx, value, backward, *inputs):
        out = value(*inputs)
        needs = ctx.needs_input_grad[2:]
        ctx.save_for_backward(*(a if isinstance(a, Tensor) and _kept(backward, i, needs) else None
                                for i, a in enumerate(inputs)),
                              *((out if _kept(backward, "result", needs) else None,)
                                if _reads_result(backward) else ()))
        ctx.formula, ctx.numbers = backward, tuple(None if isinstance(a, Tensor) else a for a in inputs)
        return out

    @staticmethod
    def backward(ctx, g):
        saved = ctx.saved_tensors
        inputs = [n if t is None else t for t, n in zip(saved, ctx.numbers)]
        result = {"result": saved[-1]} if _reads_result(ctx.formula) else {}
        grads = ctx.formula(g, *inputs, **result)
        grads = (grads,) if isinstance(grads, Tensor) else grads
        if getattr(ctx.formula, "grad_first", False):
            grads = _grad_first(g, inputs, grads)
        return None, None, *(d if need else None for d, need in zip(grads, ctx.needs_input_grad[2:]))


def shown_as(name: str):
    """Mark a ``Formula`` backward with the name of torch's node that differentiates the same value (a
    gradient computed with create_graph=True shows ``EluBackwardBackward0``, not a Formula's own)."""
    def mark(backward):
        backward.node = name
        return backward
    return mark


def grad_first(backward):
    """Mark a ``Formula`` backward whose torch kernel is a TensorIterator over (grad_output, input): the
    gradient of each input of the result's shape is laid out as that order picks (the incoming gradient's
    layout first), where the formula's selects would follow the input's."""
    backward.grad_first = True
    return backward


def _grad_first(g, inputs, grads):
    if not g._odd and not any(isinstance(x, Tensor) and x._odd for x in (*inputs, *grads)):  # all row-major
        return tuple(grads)
    from .memory_formats import iterated
    return tuple(iterated(d, g, x) if isinstance(d, Tensor) and isinstance(x, Tensor) and d._shape == x._shape
                 == g._shape else d for d, x in zip(grads, inputs))


def _reads_result(backward) -> bool:
    return getattr(backward, "reads_result", False)


def _kept(backward, key, needs) -> bool:
    """Whether a Formula keeps input ``key`` (or "result") for ``backward``, as torch's node keeps a tensor
    only for a gradient it computes (``needs``: each input's), so an in-place form (exp_avg.lerp_(grad,
    0.1)) or a write after the forward may change one it does not keep. ``backward.saves``: the inputs it
    reads (all by default), or ``{input or "result": the inputs whose gradients read it}``; one not kept
    reaches it as None (the gradients that read it are not needed)."""
    saves = getattr(backward, "saves", None)
    if saves is None:
        return True
    if isinstance(saves, dict):
        readers = saves.get(key)
        return readers is not None and any(needs[r] for r in readers)
    return key == "result" or key in saves


# torch's deprecated scalar-first signatures (its tools/autograd/deprecated.yaml): x.add_(-lr, grad), as old
# training loops step their parameters, or torch.addcmul(t, 0.5, a, b). One warning a process, for whichever
# comes first (a TORCH_WARN_ONCE in torch's argument parser).
SCALAR_FIRST = {"add": ("alpha", "Tensor other"), "sub": ("alpha", "Tensor other"),
                 "addcmul": ("value", "Tensor tensor1, Tensor tensor2"),
                 "addcdiv": ("value", "Tensor tensor1, Tensor tensor2")}
_deprecated_overload_warned = [False]


def _called_as(name: str) -> tuple:
    """How the user called the op being run: ``("add_", "inplace")``, ``("add", "method")`` or
    ``("add", "function")`` (torch.add), read off pyfront's frames above it."""
    form, frame = "method", sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("pyfront."):
        module = frame.f_globals["__name__"]
        if module == "pyfront.ops.methods" and frame.f_code.co_name == "method":
            form = "inplace"
        elif module == "pyfront.ops.outarg" and form == "method":
            form = "function"
        frame = frame.f_back
    return (name + "_" if form == "inplace" else name), form


def _warn_deprecated_overload(name: str, old: str, new: str) -> None:
    """torch's one warning a process (its parser's TORCH_WARN_ONCE; each time under set_warn_always) for a
    call of a deprecated overload: the signature used, then the ones to use, as its parser prints them."""
    from .. import _warnings
    if not _warnings.WARN_ALWAYS[0]:  # (under set_warn_always: each time, its once not spent, as warn_once)
        if _deprecated_overload_warned[0]:
            return
        _deprecated_overload_warned[0] = True
    _warnings.warn(f"This overload of {name} is deprecated:\n\t{old}\nConsider using one of the following "
                   f"signatures instead:\n\t{new}")


# the products that add to an input whose deprecated forms take beta and alpha first (scalars_first)
SCALARS_FIRST = frozenset(("addmm", "addmv", "addr", "baddbmm", "addbmm"))


def _scalar_like(n) -> bool:
    """Whether torch's parser takes ``n`` for a Number: a Python number, or a 0-d tensor."""
    return isinstance(n, Number) or isinstance(n, Tensor) and n.dim() == 0


def operands_placed(args: tuple, kwargs: dict, operands: tuple) -> tuple:
    """``(args, kwargs)`` with the last of ``operands`` given by keyword moved after the positional arguments,
    as torch's parser binds a keyword to a deprecated form's parameter: ``torch.addmm(2, M, a, mat2=b)`` is
    ``torch.addmm(2, M, a, b)``. Unchanged where the keywords are not the last operands."""
    given = [o for o in operands if o in kwargs]
    if not given or tuple(given) != operands[len(operands) - len(given):]:
        return args, kwargs
    rest = {k: v for k, v in kwargs.items() if k not in given}
    return (*args, *(kwargs[o] for o in given)), rest


def scalars_first(*operands: str):
    """Decorator: a product that adds to an input (addmm, addmv, addr, baddbmm, addbmm, named by its two
    ``operands``) also takes torch's deprecated forms with beta, and alpha, first, as code written for
    torch 0.4 calls them: ``torch.addmm(beta, M, alpha, a, b)``, ``torch.addmm(beta, M, a, b)``,
    ``M.addmm(beta, a, b)``, ``M.addmm_(beta, alpha, a, b)``; read there after torch's warning."""
    tensors = ", ".join(f"Tensor {o}" for o in operands)

    def deco(fn):
        @functools.wraps(fn)
        def read(*args, **kwargs):
            # (a test or two per call: torch's own forms take three tensors, a method self too; a deprecated
            # form may name its last tensors, addmm(2, M, a, mat2=b))
            if len(args) + len(kwargs) < 4 or len(args) < 4 and operands[-1] not in kwargs:
                return fn(*args, **kwargs)
            name, form = _called_as(fn.__name__)
            method = form != "function"
            placed, rest = operands_placed(args, kwargs, operands)
            if len(placed) < 4:  # (torch's own form, its operands named: addmm(M, mat1=a, mat2=b, beta=2))
                return fn(*args, **kwargs)
            self, numbers = (placed[0], placed[1:-2]) if method else (placed[1], (placed[0], *placed[2:-2]))
            deprecated = (len(placed) >= 4 and isinstance(self, Tensor) and 0 < len(numbers) <= 2
                          and all(map(_scalar_like, numbers))
                          and all(isinstance(t, Tensor) for t in placed[-2:]))
            if not deprecated or rest and (method or rest.keys() != {"out"}):
                if not method:  # (its parser's count, or its overloads listed; a method's: argcheck's words)
                    from .argcheck import torch_refusal
                    if (refused := torch_refusal("torch." + name, args, kwargs)) is not None:
                        raise refused
                return fn(*args, **kwargs)
            numbers = [n.item() if isinstance(n, Tensor) else n for n in numbers]
            old = ", ".join(("Number beta", "Number alpha")[:len(numbers)]) + ", " + tensors
            if not method:
                old = old.replace(", ", ", Tensor input, ", 1) + ", *, Tensor out = None"
            from .overloads import OVERLOADS  # (read on this rare path only)
            options = OVERLOADS[("Tensor." if method else "") + name]
            _warn_deprecated_overload(name, f"{name}({old})", "\n\t".join(name + o for o in options))
            alpha = numbers[1] if len(numbers) > 1 else 1
            return fn(self, *placed[-2:], beta=numbers[0], alpha=alpha, **rest)
        return read
    return deco


def refuse_numbers(name: str, **operands) -> None:
    """torch's parser takes only a Tensor for each of ``operands`` (addcmul's input, tensor1 and tensor2, by
    name in its signature's order, the input first): anything else there (a Python or NumPy number, None, a
    list) is its TypeError, before any check of the op's own. Asked only where one of them is not a Tensor
    (addcmul_ runs in every Adam step)."""
    for i, (arg, v) in enumerate(operands.items()):
        if not isinstance(v, Tensor):
            from .argcheck import typename
            n, form = _called_as(name)  # (a method's input is self: its tensor1 is the first argument)
            raise TypeError(f"{n}(): argument '{arg}' (position {i + (form == 'function')}) must be Tensor, "
                            f"not {typename(v)}")


def scalar_first(name: str, args: tuple, n_tensors: int) -> tuple:
    """``(scalar, tensors)`` of a deprecated call ``name(input, scalar, *tensors)``, after torch's warning;
    anything else past the tensor arguments is the TypeError torch's parser gives."""
    n, form = _called_as(name)
    # (a number among addcmul's tensors fits no signature: torch words the count of the one without a scalar;
    # add's and sub's parser takes a number for their tensor)
    if len(args) != n_tensors + 1 or isinstance(args[0], Tensor) or not isinstance(args[0], Number) \
            or name not in ("add", "sub") and any(isinstance(t, Number) for t in args[1:]):
        k = n_tensors + (form == "function")
        given = len(args) + k - n_tensors
        raise TypeError(f"{n}() takes {k} positional argument{'s' if k != 1 else ''} but {given} were given")
    scalar, tensors = SCALAR_FIRST[name]
    if form == "function":
        old = f"{n}(Tensor input, Number {scalar}, {tensors}, *, Tensor out = None)"
        new = f"{n}(Tensor input, {tensors}, *, Number {scalar} = 1, Tensor out = None)"
    else:
        old, new = f"{n}(Number {scalar}, {tensors})", f"{n}({tensors}, *, Number {scalar} = 1)"
    _warn_deprecated_overload(n, old, new)
    return args[0], args[1:]
