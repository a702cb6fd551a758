"""Bind the op functions to Tensor: methods, operators, and the in-place ``op_`` twins.

A function becomes a method when its module lists it in ``METHODS`` below; every in-place twin
is its out-of-place op followed by ``Tensor._assign`` (see tensor.py), or, where no autograd history
is recorded, its elementwise op computed straight into self's memory (dispatch.into), as torch's write.
"""

from __future__ import annotations

import inspect


from .. import _warnings
from .. import dtypes as dt
from .. import overrides
from ..autograd import graph
from ..autograd.dual import ON as _DUAL
from ..autograd.grad_mode import _state, _vmap_blocks, is_grad_enabled
from ..autograd.function import no_derivative, zero_derivative
from ..autograd.grad_mode import no_grad
from ..autograd.graph import SEQUENCE
from ..tensor import Tensor
from . import (composite, conversion, creation, iteration_order, primitives, resize, sampling, sparse_seam,
               views)
from ..tensor import _GRADLESS, _kind_name
from .common import promote_args
from .shell import SHELL, refuse_kernel
from .dispatch import fold, into
from .outarg import CAST_FIRST
from .queries import can_cast
from .primitives import elementwise as ew

# the modules whose METHODS become Tensor methods and whose INPLACE names get an ``op_`` twin
FAMILIES = (*primitives.FAMILIES, *composite.FAMILIES, views)


def bind_family(module, names: str):
    # AS_METHOD: a method whose arguments come in another order than the function's (polygamma(n, x))
    as_method = getattr(module, "AS_METHOD", {})
    for name in names.split():
        setattr(Tensor, name, as_method.get(name) or getattr(module, name))


# torch's in-place functions (``torch.abs_(t)`` is ``t.abs_()``): each one pyfront has as a method
TORCH_INPLACE = (
    "abs_ acos_ acosh_ addmv_ arccos_ arccosh_ arcsin_ arcsinh_ arctan_ arctanh_ asin_ asinh_ atan_ atanh_ "
    "ceil_ clamp_ clamp_max_ clamp_min_ clip_ cos_ cosh_ deg2rad_ detach_ erf_ erfc_ exp2_ exp_ expm1_ fill_ "
    "fix_ floor_ frac_ gcd_ i0_ index_put_ lcm_ ldexp_ log10_ log1p_ log2_ log_ logit_ nan_to_num_ neg_ "
    "negative_ rad2deg_ reciprocal_ relu_ round_ rsqrt_ selu_ celu_ sigmoid_ sin_ sinc_ sinh_ sqrt_ square_ "
    "tan_ tanh_ threshold_ trunc_ xlogy_ zero_ dropout_ alpha_dropout_ feature_alpha_dropout_ rrelu_ "
    "resize_as_ as_strided_ conj_physical_"
)


def bind_torch_inplace(namespace: dict):
    """Install ``torch.X_`` for every name of TORCH_INPLACE that pyfront has as ``Tensor.X_`` (torch.addmv_
    with its function's own forms)."""
    for name in TORCH_INPLACE.split():
        if name not in namespace and hasattr(Tensor, name):
            method = getattr(Tensor, name)
            namespace[name] = _torch_addmv_ if name == "addmv_" else _as_torch_function(method, name)


def _as_torch_function(method, name: str):
    """``torch.X_``: the method ``Tensor.X_`` with its tensor named ``input``, as torch's binding names it
    (torch.sigmoid_(input=t); ``self=`` is refused, as torch's "missing ... "input"")."""
    def function(input, *args, **kwargs):
        return method(input, *args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = method.__doc__
    params = list(inspect.signature(method).parameters.values())  # (what torch's words of a refusal read)
    function.__signature__ = inspect.Signature([params[0].replace(name="input"), *params[1:]])
    return function


def _torch_addmv_(*args, **kwargs):
    """``torch.addmv_``: input, mat and vec as torch's function takes them, or its deprecated forms with beta
    (and alpha) around input, ``torch.addmv_(beta, input, [alpha,] mat, vec)``, after torch's warning; other
    counts are refused by torch's words (beta after self is the method's form, not the function's)."""
    from .common import _scalar_like, _warn_deprecated_overload, operands_placed
    placed, rest = operands_placed(args, kwargs, ("mat", "vec"))  # (addmv_(2, x, mat, vec=v) too)
    if not rest and len(placed) in (4, 5) and _scalar_like(placed[0]) and isinstance(placed[1], Tensor) and (
            len(placed) == 4 or _scalar_like(placed[2])) and all(isinstance(t, Tensor) for t in placed[-2:]):
        numbers = [n.item() if isinstance(n, Tensor) else n for n in (placed[0], *placed[2:-2])]
        alpha = ", Number alpha" if len(numbers) > 1 else ""
        _warn_deprecated_overload(
            "addmv_", f"addmv_(Number beta, Tensor input{alpha}, Tensor mat, Tensor vec)",
            "addmv_(Tensor input, Tensor mat, Tensor vec, *, Number beta = 1, Number alpha = 1)")
        return placed[1].addmv_(*placed[-2:], beta=numbers[0], alpha=numbers[1] if alpha else 1)
    try:
        bound = _ADDMV_SIGNATURE.bind(*args, **kwargs).arguments
    except TypeError:
        bound = None
    if bound is None or not all(isinstance(bound[t], Tensor) for t in ("input", "mat", "vec")):
        from .argcheck import torch_refusal
        refused = torch_refusal("torch.addmv_", args, kwargs)
        if refused is not None or bound is None:
            raise refused or TypeError("addmv_() takes 3 positional arguments")
    return bound.pop("input").addmv_(**bound)


_ADDMV_SIGNATURE = __import__("inspect").signature(lambda input, mat, vec, *, beta=1, alpha=1: None)


# the in-place ops torch lets write into an expanded tensor, with the example its deprecation warning gives
_OVERLAP_OK = {"masked_fill": "tensor[mask] = scalar", "index_fill": "tensor[mask] = scalar",
               "index_put": "tensor[indices] = tensor"}
# the in-place ops whose torch kernel reads its other tensors without checking that they partly share self's
# memory (matrix products, masked writes, ldexp: torch's ldexp_ is self.mul_(pow(2, other)), other read into a
# new tensor first); every other one refuses it (Tensor._check_no_partial_overlap)
_PARTIAL_OVERLAP_OK = frozenset(
    "masked_fill masked_scatter index_fill addmm addmv addbmm baddbmm ldexp".split())
# the index kernels check their arguments' shapes first, the overlap after (TensorIterator's: overlap first),
# and refuse a source that is self's very memory too (torch's assert_no_overlap)
_OVERLAP_LAST = frozenset(
    "index_add index_copy index_reduce scatter scatter_add scatter_reduce index_put put".split())


def _refuse_gradless_view(self):
    """torch refuses writing a view made in no_grad or inference mode before the op reads the view's history
    (which, once such a view was written in place, refuses otherwise: Tensor.grad_fn)."""
    if self._creation in _GRADLESS and is_grad_enabled():
        self._check_inplace_allowed()


# how torch's refusal inside vmap names an in-place op that writes a batched value into an unbatched tensor
# (Tensor.vmap_inplace_error): its batching rule's "inplace arithmetic", the op's own name, a shape error
# where the rule broadcasts the batch dimension in, else its fallback loop's "aten::name_"
_VMAP_ARITHMETIC = frozenset("mul multiply div divide true_divide sub copy clamp_max clamp_min logical_and "
                             "logical_or logical_xor masked_fill".split())  # masked_fill: a batched mask's
_VMAP_OWN_NAME = frozenset("fill index_add index_fill scatter_add scatter_reduce index_put".split())
_VMAP_SHAPE = frozenset("add arctan2 atan2 bitwise_and bitwise_or bitwise_xor bitwise_left_shift "
                        "bitwise_right_shift copysign gcd lcm".split())


# the ops behind the in-place operators (a /= b is div_)
_OPERATOR_OPS = {"truediv": "div", "floordiv": "floor_divide", "mod": "remainder", "and": "bitwise_and",
                 "or": "bitwise_or", "xor": "bitwise_xor", "lshift": "bitwise_left_shift",
                 "rshift": "bitwise_right_shift"}


def _vmap_name(name):
    if name in _VMAP_SHAPE:
        return None
    if name in _VMAP_ARITHMETIC:
        return "inplace arithmetic"
    return f"{name}_" if name in _VMAP_OWN_NAME else f"aten::{name}_"


def _clamp_cast(self, args, kwargs):
    """torch's clamp_ with number bounds checks its result type against self's own, and names self's C++
    type ("long int", where the generic in-place check says "Long"); tensor bounds take the generic one."""
    bounds = [b for b in (*args, *kwargs.values()) if b is not None]
    if bounds and not any(isinstance(b, Tensor) for b in bounds):
        result = dt.result_type(self, *bounds)
        if not can_cast(result, self.dtype):
            raise RuntimeError(f"result type {dt.scalar_name(result)} can't be cast to the desired output "
                               f"type {dt.cpp_name(self.dtype)}")


def _scan_in_self(kernel):
    """torch's in-place scan accumulates in self's own dtype, which has no scan ``kernel`` where it is a shell
    dtype (the out-of-place scan accumulates an unsigned one in int64)."""
    def check(self, args, kwargs):
        if self.dtype in SHELL:
            refuse_kernel(kernel, self.dtype)
    return check


def _casts_first(check):
    """An out= form's check of its output's dtype before it computes (outarg.CAST_FIRST), self the output."""
    return lambda self, args, kwargs: check(self.dtype, [self, *args, *kwargs.values()])


def _product_shape(self, args, kwargs):
    """The shape of addmm's, addmv's or baddbmm's product where its operands are well formed for it (matrices
    that multiply, one dtype with self's, self broadcast to a vector's or a batch's product): None elsewhere,
    where the op's own check words the fault. ``args``: the product's two operands, leading."""
    a, b = (*args, *kwargs.values())[:2] if len(args) + len(kwargs) >= 2 else (None, None)
    if not (isinstance(a, Tensor) and isinstance(b, Tensor)) or not (a.dtype is b.dtype is self.dtype):
        return None
    if a.dim() == 2 and b.dim() in (1, 2) and a.shape[1] == b.shape[0]:
        shape = (a.shape[0],) + tuple(b.shape[1:])
    elif a.dim() == 3 and b.dim() == 3 and a.shape[0] == b.shape[0] and a.shape[2] == b.shape[1]:
        shape = (a.shape[0], a.shape[1], b.shape[2])
    else:
        return None
    if b.dim() != 2 and (len(self._shape) > len(shape) or any(
            n not in (1, m) for n, m in zip(self._shape[::-1], shape[::-1]))):
        return None  # (addmv's and baddbmm's expansion of self fails first, in their words; addmm's comes later)
    return shape


def _refused_leaf(self) -> bool:
    """A leaf that requires grad, whose in-place call torch refuses before any argument check (a non-leaf,
    a view of one included, is checked as any tensor)."""
    return self._requires_grad and _state.enabled and self.grad_fn is None


def _product_in_self(self, args, kwargs):
    """torch's structured in-place products (addmm_, addmv_, baddbmm_) refuse a self of another shape than
    the product's once their operands are checked, before self is broadcast to it (where pyfront's
    broadcast would have named the shapes another way); a leaf that requires grad is refused before."""
    shape = _product_shape(self, args, kwargs)
    if shape is not None and tuple(self._shape) != shape and not _refused_leaf(self):
        raise RuntimeError(f"Bad in-place call: input tensor size {list(self._shape)} and output tensor size "
                           f"{list(shape)} should match")


def _outer_in_self(self, args, kwargs):
    """torch's addr_ writes into self as it is (out-of-place addr expands input first): after the vectors'
    checks, self must be the 2-D (len(vec1), len(vec2)) matrix, else its own two texts; a leaf that
    requires grad is refused before."""
    vectors = [a for a in args if isinstance(a, Tensor)][:2]
    vectors += [kwargs[k] for k in ("vec1", "vec2") if k in kwargs]
    if len(vectors) != 2 or any(v.dim() != 1 for v in vectors) or _refused_leaf(self):
        return  # (addr's own checks word the rest)
    if self.dim() != 2:
        raise RuntimeError(f"2D tensor expected, got {self.dim()}D tensor for input")
    if tuple(self._shape) != (vectors[0].shape[0], vectors[1].shape[0]):
        raise RuntimeError(f"size mismatch, input: {list(self._shape)}, v1: {list(vectors[0].shape)}, "
                           f"v2: {list(vectors[1].shape)}")


def _mask_expanded_to_self(self, args, kwargs):
    """masked_scatter_ expands its mask to self's shape (torch's expand_inplace; the out-of-place op
    broadcasts both), in expand's words."""
    given = dict(zip(("mask", "source"), args), **kwargs)  # (bound by name: keywords in any order)
    mask, source = given.get("mask"), given.get("source")
    if isinstance(mask, Tensor) and isinstance(source, Tensor) and mask._shape != self._shape:
        from .composite.indexing import check_source_dtype
        check_source_dtype(self, source)  # (torch's first)
        mask.expand(self.shape)


# ops whose in-place form checks its arguments itself first, with its own text
_INPLACE_CHECKS = {**dict.fromkeys(("addmm", "addmv", "baddbmm"), _product_in_self), "addr": _outer_in_self,
                   "masked_scatter": _mask_expanded_to_self,
                   **dict.fromkeys(("clamp", "clip", "clamp_min", "clamp_max"), _clamp_cast),
                   "cumsum": _scan_in_self("cumsum_out_cpu"), "cumprod": _scan_in_self("cumprod_out_cpu"),
                   "masked_fill": composite.indexing.masked_fill_arguments,
                   **{name: _casts_first(check) for name, check in CAST_FIRST.items()
                      if name not in ("addcmul", "addcdiv")}}  # (theirs on the failure path: below)


def _is_broadcast_error(error) -> bool:
    return str(error).startswith("The size of tensor a (")


def _broadcast_first(self, args, kwargs, error):
    """torch's elementwise in-place op checks self's shape against the operands' broadcast one before their
    dtypes (TensorIterator): where the call failed on its dtypes, that shape's error if it applies."""
    from ..shape import broadcast_shapes
    try:
        whole = broadcast_shapes(self._shape, *(a.shape for a in (*args, *kwargs.values())
                                                if isinstance(a, Tensor)))
    except RuntimeError:
        # named in torch's order: self's size first, then each operand's (the meta device's own words stand)
        if _is_broadcast_error(error) and self.device.type != "meta":
            raise
        return
    if tuple(whole) != tuple(self._shape):
        raise RuntimeError(f"output with shape {list(self._shape)} doesn't match the broadcast shape "
                           f"{list(whole)}") from None


def _shape_before_kernel(self, args, kwargs, error):
    """TensorIterator's checks where the call failed in its kernel (no kernel for the dtype, an integer
    division by zero: torch's RuntimeError "ZeroDivisionError"): self's internal overlap (an expanded self),
    then ``_broadcast_first``; an op's own checks before TensorIterator's (sub of bools, heaviside of
    complex, floor's of complex) stand."""
    if isinstance(error, NotImplementedError) or str(error) == "ZeroDivisionError" or _is_broadcast_error(error):
        if str(error).startswith('"'):  # a kernel's: '"floor_vml_cpu" not implemented for ...'
            self._check_no_overlap()
        _broadcast_first(self, args, kwargs, error)


def _batches_in_self(self, args, kwargs, error):
    """torch's in-place baddbmm_ of batches that agree with self but not with each other: its own words for
    the product's dtype refusal ("expected scalar type" where the function is called)."""
    batch1, batch2 = (*args, *kwargs.values())[:2]
    if str(error).startswith("expected scalar type") and batch1.dtype is self.dtype:
        raise RuntimeError(f"Bad in-place call: input tensor dtype {dt.cpp_name(batch1.dtype)} and output "
                           f"tensor dtype {dt.cpp_name(batch2.dtype)} should match") from None


# and those whose failed call torch words otherwise in place (on the failure path only: addcmul_ and
# addcdiv_ run in every Adam step)
def _broadcast_then_cast(self, args, kwargs, error):
    """addcmul_'s and addcdiv_'s: the shape's error, then TensorIterator's cast of the result type into self
    (before their value is read: a float or complex one that does not fit self's integer dtype)."""
    _broadcast_first(self, args, kwargs, error)
    CAST_FIRST["addcmul"](self.dtype, [self, *args, *kwargs.values()])


_INPLACE_FAILURES = {"addcmul": _broadcast_then_cast, "addcdiv": _broadcast_then_cast,
                     "baddbmm": _batches_in_self}


def _inplace(fn, name=None):
    vmap_name = _vmap_name(name or fn.__name__)
    own_check = _INPLACE_CHECKS.get(fn.__name__)
    # (an op's own, else TensorIterator's order: self's shape against the operands' before a kernel's refusal)
    on_failure = _INPLACE_FAILURES.get(fn.__name__, _shape_before_kernel)
    example = _OVERLAP_OK.get(fn.__name__)
    check = fn.__name__ not in _PARTIAL_OVERLAP_OK
    last = fn.__name__ in _OVERLAP_LAST
    folds = getattr(fn, "folds", None)  # (op, dtypes) where fn is its op's own function (dispatch.fold)
    # add and sub: their one operand from (other, alpha); an op without one takes no more arguments
    operand = getattr(fn, "operand", None)
    into_self = getattr(fn, "into_self", None)  # an op's own way into self's memory (lerp_ by a number)
    in_order = iteration_order.applies(fn.__name__)  # an operand over self's memory: read as torch's loop

    def method(self, *args, **kwargs):
        since = SEQUENCE[0]
        if self._creation in _GRADLESS:  # _refuse_gradless_view's test, asked here: this runs per a.add_(b)
            _refuse_gradless_view(self)
        if self._requires_grad and _state.enabled:  # (not in an optimizer's no_grad step)
            self._check_autograd_first()
        if check and not last and (args or kwargs) and not (
                # the commonest operand, one number or a tensor over other memory, overlaps nothing
                len(args) == 1 and not kwargs and (type(args[0]) in _PLAIN or type(
                    args[0]) is Tensor and args[0]._storage is not self._storage)):
            self._check_no_partial_overlap((args, tuple(kwargs.values())) if kwargs else args)
        if example is not None:
            self._warn_expanded(fn.__name__ + "_", example)
        if own_check is not None:
            own_check(self, args, kwargs)
        # an operand over self's memory: computed apart, then read in torch's order (iteration_order);
        # not self itself, which each element reads before it is written, as computed into self
        shared = in_order and (isinstance(args[0], Tensor) and args[0]._storage is self._storage
                               and args[0] is not self if len(args) == 1 and not kwargs
                               else _shares(self, args, kwargs))
        if folds is not None and (operand or not kwargs and len(args) < 2) and not shared \
                and _writable(self, args):
            foldable = True
            if kwargs or len(args) > 1:  # add_(other, alpha=2): the op's one operand, other * 2
                one = operand(self, *args, **kwargs)
                if type(one) is tuple:  # (other, alpha): a sum rounded once, which no fold computes
                    if ew.scaled_add_into(self, *one):
                        self._vc.version += 1
                        return self
                    foldable = False
                else:
                    args, kwargs = (one,), {}
            new = into(*folds, self, args) if foldable else None
            if new is True:
                self._vc.version += 1
                return self
            if new is not None:
                return self._assign(new, since, False, vmap_name)
        elif into_self is not None and not shared and _writable(self, (*args, *kwargs.values())) \
                and into_self(self, *args, **kwargs):
            self._vc.version += 1
            return self
        if (args or kwargs) and _state.enabled:  # self as an operand too: saved as the operand
            operands, twin = self._operands_apart((*args, *kwargs.values()) if kwargs else args)
            if twin is not None:
                args, kwargs = operands[:len(args)], dict(zip(kwargs, operands[len(args):]))
        else:
            operands, twin = (), None
        try:  # (free where nothing is raised)
            new = fn(self, *args, **kwargs)
        except RuntimeError as e:  # (a dtype refusal, an integer division by zero, ...)
            on_failure(self, args, kwargs, e)
            raise
        if check and last:
            self._check_no_partial_overlap((args, tuple(kwargs.values())) if kwargs else args, full=True)
        if shared:
            iteration_order.reread(self, fn, args, kwargs, new)
        self._assign(new, since, example is not None, vmap_name, operands)
        if twin is not None:
            twin._follow(self)
        return self

    method.__name__ = fn.__name__ + "_"
    method.__doc__ = f"In-place ``{fn.__name__}``."
    method.__wrapped__ = fn  # its signature, for inspect and the stubs
    return method


# torch's in-place ops whose derivative formula reads self, which the write overwrites: their node refuses
_NO_INPLACE_DERIVATIVE = ("acosh", "asinh", "atanh")


def _inplace_without_derivative(fn, name):
    """``name``'s in-place method as torch's: where a gradient is recorded, its node (<Name>Backward1)
    refuses the backward with NotImplementedError ("the derivative for 'inplace version of acosh' is not
    implemented."), after the forward wrote the values; elsewhere the plain in-place path."""
    plain = _inplace(fn, name)
    message = f"the derivative for 'inplace version of {name}' is not implemented."
    node = f"{name.capitalize()}Backward1"

    def method(self):
        if not _records(self, (), {}):
            return plain(self)
        since = SEQUENCE[0]
        _refuse_gradless_view(self)
        self._assign(no_derivative(fn(self.detach()), message, self, error=NotImplementedError, grad_fn=node),
                     since)
        return self

    method.__name__, method.__doc__, method.__wrapped__ = plain.__name__, plain.__doc__, fn
    return method


# torch's in-place comparisons record a node of their own (their out-of-place twins give a bool tensor, which
# records none): <Op>Backward1 for a tensor operand, 0 for a number; its gradients are zeros
_COMPARISON_NODES = {"eq": "Eq", "ne": "Ne", "not_equal": "Ne", "lt": "Lt", "less": "Lt", "le": "Le",
                     "less_equal": "Le", "gt": "Gt", "greater": "Gt", "ge": "Ge", "greater_equal": "Ge"}
# torch's in-place logical ops have no autograd kernel: the write records nothing (self keeps its history,
# the gradient flows on through it as if unwritten), on a leaf too; only the version moves
_LOGICAL_INPLACE = ("logical_and", "logical_or", "logical_xor", "logical_not")
# in-place ops whose out-of-place twin's node may refuse its backward: torch's in-place node names itself in
# the message ("derivative for aten::floor_divide_ is not implemented")
_NAMED_NO_DERIVATIVE = ("floor_divide", "heaviside", "scatter")


def _records(self, args, kwargs) -> bool:
    """Whether an in-place op on ``self`` with these operands records autograd history."""
    return _state.enabled and (
        self._requires_grad or self._base is not None and self._base._requires_grad
        or any(getattr(a, "_requires_grad", False) for a in (*args, *kwargs.values())))


def _inplace_with_own_node(fn, name, node):
    """``name``'s in-place method where torch's in-place op records another node than its out-of-place twin:
    where autograd records, ``node(self, args, new)`` gives ``new`` (the out-of-place result) with torch's
    node; elsewhere the plain in-place path (its cost unchanged)."""
    plain = _inplace(fn, name)

    def renoded(self, *args, **kwargs):
        return node(self, args, fn(self, *args, **kwargs))

    renoded.__name__ = fn.__name__  # (the in-place checks _inplace looks up by name)
    recording = _inplace(renoded, name)

    def method(self, *args, **kwargs):
        return (recording if _records(self, args, kwargs) else plain)(self, *args, **kwargs)

    method.__name__, method.__doc__, method.__wrapped__ = plain.__name__, plain.__doc__, fn
    return method


def _comparison_node(op):
    def node(self, args, new):
        tensors = [a for a in args if isinstance(a, Tensor)]
        return zero_derivative(new.detach().to(self.dtype), (self, *tensors),
                               f"{op}Backward{1 if tensors else 0}")

    return node


def _named_no_derivative(name):
    message = f"derivative for aten::{name}_ is not implemented"

    def node(self, args, new):
        if type(new.grad_fn).__name__ != "NotImplemented":
            return new
        return no_derivative(new.detach(), message, self, *[a for a in args if isinstance(a, Tensor)])

    return node


def _conj_physical_node(self, args, new):
    """torch's conj_physical_ records ConjPhysicalBackward1, a real tensor's too (its out-of-place twin
    returns a real tensor itself, recording nothing)."""
    if new is self:
        new = self.clone()
    graph.present_as(new, "ConjPhysicalBackward1", new.grad_fn._seq - 1)
    return new


def _inplace_without_autograd(fn, name):
    """``name``'s in-place method as torch's logical ops: computed and written as under no_grad."""
    plain = _inplace(fn, name)

    def method(self, *args, **kwargs):
        with no_grad():
            return plain(self, *args, **kwargs)

    method.__name__, method.__doc__, method.__wrapped__ = plain.__name__, plain.__doc__, fn
    return method


def _shares(self, args, kwargs) -> bool:
    """Whether a Tensor among ``args`` and ``kwargs`` other than ``self`` reads ``self``'s memory."""
    return any(isinstance(a, Tensor) and a._storage is self._storage and a is not self
               for a in (*args, *kwargs.values()))


def _writable(self, args) -> bool:
    """Whether an in-place op may compute straight into ``self``'s memory (dispatch.into): no autograd
    history to record, and none of the refusals ``Tensor._assign`` makes before it writes (an inference
    tensor outside inference mode, internal overlap, a batched value inside vmap) can apply."""
    if _DUAL[0]:  # forward AD: the write updates a tangent (Tensor._assign)
        return False
    if _state.enabled and (self._requires_grad or self._base is not None and self._base._requires_grad
                           or any(getattr(a, "_requires_grad", False) for a in args)):
        return False
    return (not (self._inference and not _state.inference) and 0 not in self._strides and not _vmap_blocks[0]
            and self._lazy is None)  # a conj view's memory takes the conjugate: Tensor._assign writes it


def _reflected(fn):
    def method(self, other):
        return fn(promote_args((other, self))[0], self)

    return method


_PLAIN = frozenset((float, int, bool))


def _operand(other):
    """An operator's operand that is not a plain number or a Tensor, as torch takes it: a NumPy scalar
    as its Python number, a complex number raises (see dtypes.check_number); anything else, a NumPy
    array, a Fraction, a Decimal, None or a str included, is NotImplemented: Python then raises its own
    TypeError ("unsupported operand type(s)"), ``t == None`` is False, and an array's own operator
    computes, its result wrapped back into a Tensor by ``Tensor.__array_wrap__``, as in torch."""
    # no NumPy import here (pyfront imports without it): a NumPy scalar is any numpy type but the array
    numpy_scalar = type(other).__module__ == "numpy" and type(other).__name__ != "ndarray"
    if isinstance(other, (int, float, complex)) or (numpy_scalar and other.dtype.kind in "biufc"):
        return dt.check_number(other)
    return NotImplemented


def _operator(fn, folds=None, reflected=False, name=None, dunder=None):
    """``fn`` as a Python operator; its unusual operands go through ``_operand``. Where ``fn`` is its
    op's own function for the common operands (``folds``: the op and those operands' dtypes; see
    dispatch.fold), the operator runs those in its own frame, and the rest as here. ``name``: the
    operator's ("add", "add_" for ``+=``), for a sparse right operand; ``dunder``: the operator's
    attribute (``__radd__``), for a duck-typed operand's ``__torch_function__``."""

    def method(self, other):
        # the plain numbers and Tensor first: only an unusual operand pays for _operand
        if type(other) not in _PLAIN and not isinstance(other, Tensor):
            if name and isinstance(other, sparse_seam.TYPES):
                return sparse_seam.operator(name, self, other)
            number = _operand(other)
            if number is NotImplemented:  # (torch's operator hands a duck type's override the call first)
                return overrides.operator_override(dunder, self, other)
            other = number
        return fn(self, other)

    method.__name__ = fn.__name__
    folds = folds or getattr(fn, "folds", None)
    return method if folds is None else fold(*folds, method, reflected)


def _bitwise_inplace(fn):
    """An in-place bitwise op (``b &= 2.5``, ``bitwise_or_``): torch checks that the result type casts
    to self's before the kernel, so this is its cast error, not the kernel's "not implemented"."""
    def method(self, other):
        if not isinstance(other, Tensor) or other.dtype is not self.dtype:
            r = dt.result_type(self, other)
            if not can_cast(r, self.dtype):
                raise RuntimeError(f"result type {_kind_name(r)} can't be cast to the desired output type "
                                   f"{_kind_name(self.dtype)}")
        return fn(self, other)

    method.__name__ = fn.__name__
    return method


def _invert(self):
    if self.dtype.is_floating_point:  # the operator's own words; torch.bitwise_not says "not implemented"
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return ew.bitwise_not(self)


def _fill_(self, value):
    return _fill_recording(self, value, "FillBackward2")


def _fill_recording(self, value, node):
    """``fill_``, its node named ``node`` as PyTorch names it (zero_ records ZeroBackward0)."""
    from .creation import full

    self._check_autograd_first()
    _refuse_gradless_view(self)
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(
                f"fill_ only supports 0-dimension value tensor but got tensor with {value.dim()} dimensions."
            )
        # torch checks overlap here
        new = value.to(self.dtype).expand(self.shape)
        if (self.requires_grad or value.requires_grad) and is_grad_enabled():
            # torch's FillBackward3: the value's gradient, a zero one to self's old history
            since = SEQUENCE[0]
            new = ew.where(self.new_zeros((), dtype=dt.bool_), self, new)
            graph.present_as(new, "FillBackward3", since, [self, value])
        return self._assign(new, vmap_name="fill_")
    since = SEQUENCE[0]  # what follows is fresh: self may adopt its buffer
    new = full(self.shape, value, dtype=self.dtype, device=self.device)
    if self.requires_grad and is_grad_enabled():
        # PyTorch keeps the history, with a zero gradient (FillBackward2, ZeroBackward0 for zero_)
        new = ew.where(self.new_zeros((), dtype=dt.bool_), self, new)
        graph.present_as(new, node, since, [self])
    return self._assign(new, since, overlap_ok=True)  # torch fills an expanded tensor with a number


def _copy_(self, other, non_blocking=False):
    src = other  # (torch's keyword: other=)
    if not isinstance(src, Tensor):
        if isinstance(src, sparse_seam.TYPES):
            return sparse_seam.call("copy_", (self, src), {})
        raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not {type(src).__name__}")
    self._check_autograd_first()
    _refuse_gradless_view(self)
    self._check_no_partial_overlap((src,))
    new = src.to(self.device, self.dtype)  # cast on the cpu where self is on webgpu: float64 stays there
    # ``src`` itself stays its owner's: as a view it is copied in, never adopted by _assign's storage take
    new = src.view(src.shape) if new is src else new
    if (self.requires_grad or src.requires_grad) and is_grad_enabled():
        # PyTorch records CopyBackwards: src's gradient, and a zero one to self's old history
        since = SEQUENCE[0]
        new = ew.where(self.new_zeros((), dtype=dt.bool_), self, new)
        graph.present_as(new, "CopyBackwards", since, [self, src])
        return self._assign(new, since)
    return self._assign(new)


def _T(self):
    n = self.dim()
    if n == 0:
        _warnings.warn_once("Tensor.T is deprecated on 0-D tensors. This function is the identity in these "
                            "cases.")
    elif n != 2:
        _warnings.warn_once("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
                            "deprecated and it will throw an error in a future release. Consider `x.mT` to "
                            "transpose batches of matrices or "
                            "`x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a "
                            "tensor.")
    return self.permute(tuple(range(n - 1, -1, -1)))


def _H(self):
    n = self.dim()
    if n == 0:
        _warnings.warn_once("Tensor.H is deprecated on 0-D tensors. Consider using x.conj().")
        return self.view(()).conj()
    if n != 2:
        batches = " For batches of matrices, consider using tensor.mH" if n > 2 else ""
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {n}-D "
                           f"tensor.{batches}")
    return self.transpose(0, 1).conj()


def _matrix_transpose(name, advice, deprecated=None):
    """``mT``, ``mH`` and ``adjoint()``: torch names each its own way in its messages. The last two are
    the conjugate transpose (a real tensor's ``conj()`` is itself)."""
    conjugate = name != "mT"

    def prop(self):
        n = self.dim()
        if n == 0:
            _warnings.warn_once(f"{deprecated or 'Tensor.' + name} is deprecated on 0-D tensors. {advice}")
            out = self.view(())
        elif n == 1:
            raise RuntimeError(f"tensor.{name} is only supported on matrices or batches of matrices. Got "
                               f"1-D tensor.")
        else:
            out = self.transpose(-2, -1)
        return out.conj() if conjugate else out

    return prop


def _new(fn):
    def method(self, *size, dtype=None, device=None, requires_grad=False, **kw):
        if kw:
            creation.factory_keywords(f"new_{fn.__name__}", kw)
        return creation.batched_as(fn(
            creation._size(size, f"new_{fn.__name__}", kw),  # torch's errors name the method
            dtype=dtype or self.dtype,
            device=device if device is not None else self.device,
            requires_grad=requires_grad,
        ), self)

    return method


def _new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False, **kw):
    if kw:
        creation.factory_keywords("new_full", kw)
    try:
        out = creation.full(size, fill_value, dtype=dtype or self.dtype,
                            device=device if device is not None else self.device, requires_grad=requires_grad)
    except RuntimeError:  # a size torch refuses where its new_full is registered: that place named
        creation._size((size,), "new_full")
        raise
    return creation.batched_as(out, self)


def _legacy_new(self, *args, **kwargs):
    """``x.new(*sizes)`` / ``x.new(data)`` / ``x.new(t)``: the legacy constructor with ``x``'s dtype and
    device (older scripts' ``x.new(x.size()).normal_()``); sizes give zeros where torch leaves memory
    unset."""
    from .legacy import construct
    return construct(Tensor, self.dtype, args, self.device, kwargs, new=True)


def _new_empty_strided(self, size, stride, *, dtype=None, device=None, requires_grad=False, **kw):
    if kw:
        creation.factory_keywords("new_empty_strided", kw)
    from .factories import empty_strided
    return empty_strided(size, stride, dtype=dtype or self.dtype,
                         device=device if device is not None else self.device, requires_grad=requires_grad)


def _new_tensor(self, data, *, dtype=None, device=None, requires_grad=False, **kw):
    if kw:  # (the method's name in torch's text, not this function's)
        creation.factory_keywords("new_tensor", kw)
    if isinstance(data, Tensor) and _warnings.called_by_user():
        _warnings.warn_copy_construct("tensor.new_tensor")
    return creation.tensor(
        data,
        dtype=dtype or self.dtype,
        device=device if device is not None else self.device,
        requires_grad=requires_grad,
    )


def bind_all():
    for module in FAMILIES:
        bind_family(module, module.METHODS)
    for name, fn in conversion.METHODS.items():
        setattr(Tensor, name, fn)
    for module in FAMILIES:
        for name in module.INPLACE.split():
            setattr(Tensor, name + "_", _inplace(getattr(Tensor, name), name))
    for name in _NO_INPLACE_DERIVATIVE:  # (and their arc- aliases, whose messages name the op as torch's)
        setattr(Tensor, name + "_", _inplace_without_derivative(getattr(Tensor, name), name))
        setattr(Tensor, "arc" + name[1:] + "_", getattr(Tensor, name + "_"))
    for name, op in _COMPARISON_NODES.items():
        setattr(Tensor, name + "_", _inplace_with_own_node(getattr(Tensor, name), name, _comparison_node(op)))
    for name in _NAMED_NO_DERIVATIVE:
        setattr(Tensor, name + "_",
                _inplace_with_own_node(getattr(Tensor, name), name, _named_no_derivative(name)))
    Tensor.conj_physical_ = _inplace_with_own_node(Tensor.conj_physical, "conj_physical", _conj_physical_node)
    for name in _LOGICAL_INPLACE:
        setattr(Tensor, name + "_", _inplace_without_autograd(getattr(Tensor, name), name))
    ops = {
        "add": ew._add,  # alpha is 1: the op itself, one call less per `a + b`
        "sub": ew.sub,
        "mul": ew.mul,
        "truediv": ew.div,
        "floordiv": ew.floor_divide,
        "mod": ew.remainder,
        "pow": ew.pow,
        "and": ew.bitwise_and,
        "or": ew.bitwise_or,
        "xor": ew.bitwise_xor,
        "lshift": ew.bitwise_left_shift,
        "rshift": ew.bitwise_right_shift,
    }
    for name, fn in ops.items():
        setattr(Tensor, f"__{name}__", _operator(fn, name=name, dunder=f"__{name}__"))
        setattr(Tensor, f"__r{name}__", _operator(_reflected(fn), dunder=f"__r{name}__"))
        op = _OPERATOR_OPS.get(name, name)
        in_place = _inplace_with_own_node(fn, op, _named_no_derivative(op)) if op in _NAMED_NO_DERIVATIVE \
            else _inplace(fn, op)
        setattr(Tensor, f"__i{name}__", _operator(in_place, name=name + "_", dunder=f"__i{name}__"))
    for name in ("and", "or", "xor", "lshift", "rshift"):
        setattr(Tensor, f"__i{name}__", _bitwise_inplace(getattr(Tensor, f"__i{name}__")))
    for name in ("and", "or", "xor", "left_shift", "right_shift"):
        if hasattr(Tensor, f"bitwise_{name}_"):
            setattr(Tensor, f"bitwise_{name}_", _bitwise_inplace(getattr(Tensor, f"bitwise_{name}_")))
    # as torch: ``2 * t`` is ``t * 2`` and ``2 / t`` is ``t.reciprocal() * 2``, so the number stays the
    # scalar ``other`` of a mul (it keeps float32 precision with float16, see promote_args); ``1 + t`` is
    # ``t + 1`` (its node's inputs in that order), and so are the commutative bitwise operators
    for name in ("add", "mul", "and", "or", "xor"):
        setattr(Tensor, f"__r{name}__", _operator(ops[name], dunder=f"__r{name}__"))
    # ``1 - t``: torch.rsub(t, 1)
    Tensor.__rsub__ = _operator(ew.rsub, ew.sub.folds, reflected=True, dunder="__rsub__")
    Tensor.__rtruediv__ = _operator(lambda self, other: ew.mul(ew.reciprocal(self), other),
                                    dunder="__rtruediv__")
    Tensor.__rdiv__ = Tensor.__rtruediv__  # (torch's name for it, which a __torch_function__ handler is given)
    Tensor.__rdiv__.__name__ = "__rdiv__"
    # ``2 ** t`` is torch.pow(2, t): the number-base kernel (its own result layout), not pow of two tensors
    Tensor.__rpow__ = _operator(lambda self, other: ew.pow(other, self), dunder="__rpow__")
    for name, fn in {"eq": ew.eq, "ne": ew.ne, "lt": ew.lt, "le": ew.le, "gt": ew.gt, "ge": ew.ge}.items():
        setattr(Tensor, f"__{name}__", _operator(fn, name=name, dunder=f"__{name}__"))
    Tensor.__neg__ = ew.negative
    Tensor.__pos__ = lambda self: self
    Tensor.__abs__ = ew.abs
    Tensor.__invert__ = _invert
    Tensor.__hash__ = lambda self: id(self)
    Tensor.fill_ = _fill_
    Tensor.zero_ = lambda self: _fill_recording(self, 0, "ZeroBackward0")
    Tensor.copy_ = _copy_
    Tensor.resize_, Tensor.resize_as_, Tensor.set_ = resize.resize_, resize.resize_as_, resize.set_
    Tensor.resize, Tensor.resize_as = resize.resize, resize.resize_as  # the deprecated out-of-place ones
    for name in views.IN_PLACE_METHODS:  # the in-place view changes and fill_diagonal_
        setattr(Tensor, name, getattr(views, name))
    from ..nn.functional import hardshrink, prelu  # torch's Tensor has these two of F's as methods
    Tensor.hardshrink, Tensor.prelu = hardshrink, prelu
    Tensor.new_empty_strided = _new_empty_strided
    Tensor.new = _legacy_new
    for name, fn in sampling.METHODS.items():
        setattr(Tensor, name, fn)
    Tensor.multinomial = creation.multinomial
    Tensor.bernoulli = creation.bernoulli
    Tensor.new_zeros = _new(creation.zeros)
    Tensor.new_ones = _new(creation.ones)
    Tensor.new_empty = _new(creation.empty)
    Tensor.new_full = _new_full
    Tensor.new_tensor = _new_tensor
    Tensor.T = property(_T)
    Tensor.mT = property(_matrix_transpose("mT", "This function is the identity in these cases."))
    Tensor.H = property(_H)
    Tensor.mH = property(_matrix_transpose("mH", "Consider using x.conj()."))
    Tensor.adjoint = _matrix_transpose("adjoint()", "Consider using x.conj().", deprecated="adjoint()")
    Tensor.is_nonzero = lambda self: bool(self)


__all__ = ["bind_all", "dt"]
