"""Custom differentiable operations: ``autograd.Function``, as ``torch.autograd.Function``.

A subclass defines static ``forward(ctx, *args)`` (or ``forward(*args)`` plus ``setup_context``)
and ``backward(ctx, *grads)``. ``Function.apply`` runs forward without recording, then makes one
graph node for the call. As in PyTorch, that node *is* the ctx: an instance of the class
``<Name>Backward`` generated for each Function, so ``out.grad_fn.some_attr`` reads what forward
stored on ctx. ``backward`` runs under the engine's grad mode, so a backward written in pyfront
ops is itself differentiable (double backward) unless marked ``@once_differentiable``.
"""
from __future__ import annotations

import functools
import inspect
import warnings
from contextlib import contextmanager
from typing import Any, Callable

from ..ops import sparse_seam
from ..random import VMAP_LEVELS
from ..tensor import Tensor
from .grad_mode import _state, no_grad
from . import dual, graph
from .graph import _FREED, Node, SavedTensor


# the torch.func.jvp calls running now ("func"): pyfront computes them by reverse mode twice, which runs a
# Function's backward; torch asks for its jvp and its setup_context, so without them pyfront refuses as torch
# (forward_ad's dual numbers ask for the jvp themselves: autograd/dual.py)
_FORWARD_AD: list = []


@contextmanager
def forward_ad(kind: str):
    _FORWARD_AD.append(kind)
    try:
        yield
    finally:
        _FORWARD_AD.pop()


_NO_JVP = dual.NO_JVP


class FunctionCtx:
    """The methods forward/setup_context call on ``ctx``."""

    def save_for_backward(self, *tensors) -> None:
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f"save_for_backward can only save variables, but argument {i} is of "
                                f"type {type(t).__name__}")
        self.to_save = tensors

    def save_for_forward(self, *tensors) -> None:
        """Keep ``tensors`` for ``jvp``, where ``ctx.saved_tensors`` reads them (forward-mode AD)."""
        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise AssertionError("save_for_forward expects all arguments to be tensors; you should save "
                                     "non-tensors as attributes on ctx.")
        self.saved_for_forward = tensors

    def mark_dirty(self, *args) -> None:
        self.dirty_tensors = args

    def mark_non_differentiable(self, *args) -> None:
        self.non_differentiable = args

    def set_materialize_grads(self, value: bool) -> None:
        self.materialize_grads = bool(value)


class BackwardCFunction(Node, FunctionCtx):
    """The graph node (and ctx) of one ``Function.apply`` call."""

    _forward_cls = None
    _in_jvp = False  # its Function's jvp is running (autograd/dual.py)

    def __init__(self):
        super().__init__((), [], 1)
        self.to_save = ()
        self.dirty_tensors = ()
        self.non_differentiable = ()
        self.materialize_grads = True
        self.needs_input_grad = ()
        self._saved = None           # (SavedTensor, output_nr) per saved slot, (None, 0) for a None
        self._freed = False
        self._arg_slots = ()         # for each forward arg: its index among tensor inputs, or None
        self._output_meta = ()       # (shape, dtype, device) per forward output, None for non-tensors

    __repr__ = object.__repr__      # <pyfront.autograd.function.MyFnBackward object at 0x...>

    def name(self) -> str:
        name = type(self).__name__
        if getattr(self, "presented", False):  # a composite shown as torch's C++ node (CopySlices)
            from .graph import _CPP_NODES
            return f"torch::autograd::{name}" if name in _CPP_NODES else name
        return name

    @property
    def saved_tensors(self) -> tuple:
        if self._in_jvp:  # forward mode: what forward saved for it
            return tuple(getattr(self, "saved_for_forward", ()))
        if self._freed:
            raise RuntimeError(_FREED)
        if self._saved is None:
            return ()
        return tuple(None if s is None else s.unpack(self, nr) for s, nr in self._saved)

    # the engine's view of the node -------------------------------------------------------------
    def apply(self, grads):
        cls = self._forward_cls
        if cls.backward is Function.backward:
            raise NotImplementedError("You must implement either the backward or vjp method for your "
                                      "custom autograd.Function to use it with backward mode AD.")
        grads = list(grads)
        for i, meta in enumerate(self._output_meta):
            if grads[i] is None and meta is not None and self.materialize_grads:
                from ..ops.creation import zeros
                shape, dtype, device = meta
                grads[i] = zeros(shape, dtype=dtype, device=device)
        result = cls.backward(self, *grads)
        return self._input_grads(result if isinstance(result, tuple) else (result,))

    def _input_grads(self, result):
        """Map backward's one-gradient-per-forward-arg result to one gradient per tensor input."""
        n_args = len(self._arg_slots)
        if len(result) < n_args or any(g is not None for g in result[n_args:]):
            raise RuntimeError(f"function {self.name()} returned an incorrect number of gradients "
                               f"(expected {n_args}, got {len(result)})")
        out = [None] * len(self.edges)
        for pos, (g, slot) in enumerate(zip(result, self._arg_slots)):
            if g is None:
                continue
            if not isinstance(g, (Tensor, *sparse_seam.TYPES)):  # a sparse COO gradient is one too
                raise RuntimeError(f"expected Variable or None (got {type(g).__name__})")
            if slot is None:
                raise RuntimeError(f"function {self.name()} returned a gradient different than None at "
                                   f"position {pos + 1}, but the corresponding forward input was not a "
                                   "Variable")
            shape = self.input_meta[slot][0]
            if tuple(g.shape) != tuple(shape) and not _expandable(shape, g.shape):
                raise RuntimeError(f"Function {self.name()} returned an invalid gradient at index {slot} - "
                                   f"got {list(g.shape)} but expected shape compatible with {list(shape)}")
            out[slot] = g
        return tuple(out)

    def release(self):
        if self._saved:
            for s, _ in self._saved:  # a user's _raw_saved_tensors refuses hooks after this, as torch's
                if s is not None:
                    s.free(hooks_stay=True)
            self._saved = None
            self._freed = True

    @property
    def _raw_saved_tensors(self) -> tuple:
        """What ``save_for_backward`` kept, as torch's SavedTensor objects (``register_hooks``)."""
        if self._freed:
            raise RuntimeError(_FREED)
        return tuple(graph.NONE_SAVED if s is None else s for s, _ in self._saved or ())

    def _readers_of_saved(self) -> dict:
        from .saved_names import function_saved
        return function_saved(self)

    def replace_saved(self, storage, current_value, operands):
        """An in-place op built on a Function (silu_) keeps the overwritten input's value."""
        graph.replace_saved((s for s, _ in self._saved or ()), storage, current_value, operands)


def _expandable(shape, target) -> bool:
    """Whether ``shape`` broadcasts to ``target`` (the engine then sums the gradient back)."""
    if len(shape) > len(target):
        return False
    return all(s == t or s == 1 for s, t in zip(reversed(shape), reversed(target)))


def _check_transformable(cls, separate_ctx: bool) -> None:
    """torch's refusals of a user's Function inside torch.func transforms: one whose forward takes ctx
    (any transform), one without a vmap rule (inside vmap or jacfwd)."""
    if not separate_ctx:
        raise RuntimeError("In order to use an autograd.Function with functorch transforms (vmap, grad, jvp, "
                           "jacrev, ...), it must override the setup_context staticmethod. For more details, "
                           "please see https://pytorch.org/docs/main/notes/extending.func.html")
    # a vmap running, or a jacfwd (torch's maps its jvp over the basis): each holds a randomness level
    if getattr(VMAP_LEVELS, "stack", None) and not cls.generate_vmap_rule and cls.vmap is Function.vmap:
        raise RuntimeError(f"You tried to vmap over {cls.__name__}, but it does not have vmap support. "
                           "Please override and implement the vmap staticmethod or set "
                           "generate_vmap_rule=True. For more details, please see "
                           "https://pytorch.org/docs/main/notes/extending.func.html")


class FunctionMeta(type):
    """Gives every Function subclass its own node class, ``<Name>Backward``."""

    def __init__(cls, name, bases, attrs):
        # named where its base lives, as torch's (torch.autograd.function.<Name>Backward under pyfront run)
        cls._backward_cls = type(name + "Backward", (BackwardCFunction,),
                                 {"_forward_cls": cls, "__module__": BackwardCFunction.__module__})
        super().__init__(name, bases, attrs)


class Function(FunctionCtx, metaclass=FunctionMeta):
    """Base class of custom differentiable operations; call them with ``MyFn.apply(*args)``.

    Example::

        class Exp(Function):
            @staticmethod
            def forward(ctx, x):
                y = x.exp()
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, grad):
                y, = ctx.saved_tensors
                return grad * y
    """

    def __init__(self, *args, **kwargs):
        warnings.warn(f"{self.__class__} should not be instantiated. Methods on autograd functions are "
                      "all static, so you should invoke them on the class itself. Instantiating an "
                      "autograd function will raise an error in a future version of PyTorch.",
                      DeprecationWarning, stacklevel=2)

    def __call__(self, *args, **kwargs):
        raise RuntimeError("Legacy autograd function with non-static forward method is deprecated. Please "
                           "use new-style autograd function with static forward method. (Example: "
                           "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> Any:
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def jvp(ctx: Any, *grad_inputs: Any) -> Any:
        raise NotImplementedError(_NO_JVP)

    # vmap support, as torch's: a subclass overrides ``vmap`` or sets ``generate_vmap_rule`` (pyfront's vmap
    # runs forward per sample either way), else vmap refuses it
    generate_vmap_rule = False

    @staticmethod
    def vmap(info: Any, in_dims: tuple, *args: Any) -> Any:
        raise NotImplementedError("To use autograd.Function with vmap, you must either override the vmap "
                                  "staticmethod or set generate_vmap_rule=True.")

    @classmethod
    def apply(cls, *args, **kwargs):
        separate_ctx = cls.setup_context is not Function.setup_context
        # inside a torch.func transform (vmap, grad, jacrev, jvp, ...) torch refuses some user Functions,
        # whatever their inputs; pyfront's own Functions are what torch does in C++
        if _state.transforms and not cls.__module__.startswith("pyfront."):
            _check_transformable(cls, separate_ctx)
        if (_FORWARD_AD and _state.enabled and not cls.__module__.startswith("pyfront.")  # pyfront's own
                # Functions are built for reverse mode twice; a user's needs what torch's forward AD needs
                and any(isinstance(a, Tensor) and a._requires_grad for a in args)
                and cls.jvp is Function.jvp):
            raise NotImplementedError(_NO_JVP)
        if kwargs:  # PyTorch binds keywords (and then the defaults) to forward's positional arguments
            sig = inspect.signature(cls.forward)
            bound = sig.bind(*args, **kwargs) if separate_ctx else sig.bind(None, *args, **kwargs)
            bound.apply_defaults()
            args = bound.args if separate_ctx else bound.args[1:]
        node = cls._backward_cls()
        tensors = [a for a in args if isinstance(a, Tensor)]
        record = _state.enabled and any(t._requires_grad for t in tensors)
        node.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad and _state.enabled
                                      for a in args)
        # forward mode: ops inside carry no tangents, its outputs' come from its jvp (below); the switch is
        # flipped here, not by dual.paused()'s generator, which every Function call would build
        tangents, dual.ON[0] = dual.ON[0], False
        try:
            with no_grad():
                if separate_ctx:
                    output = cls.forward(*args)
                    cls.setup_context(node, args, output)
                else:
                    output = cls.forward(node, *args)
        finally:
            dual.ON[0] = tangents
        output = _wrap_outputs(node, args, tensors, output, record)
        if tangents:
            dual.through_function(cls, node, args, output)
        return output


def _wrap_outputs(node, args, tensors, output, record):
    """Give the forward's tensor outputs their history (``node``) and keep what backward needs."""
    is_tuple = isinstance(output, tuple)
    outputs = list(output) if is_tuple else [output]
    dirty = {id(t) for t in node.dirty_tensors}
    inputs = {id(t) for t in tensors}
    if not record:
        for t in node.dirty_tensors:  # an in-place forward still counts as a write
            t._vc.version += 1
        return output
    slots, k = [], 0
    for a in args:
        slots.append(k if isinstance(a, Tensor) else None)
        k += isinstance(a, Tensor)
    node._arg_slots = tuple(slots)
    node.edges = tuple(t._edge() for t in tensors)
    node.input_meta = [(t.shape, t.dtype) for t in tensors]
    node.n_outputs = len(outputs)
    non_diff = {id(t) for t in node.non_differentiable}
    meta = []
    for i, o in enumerate(outputs):
        if not isinstance(o, Tensor):
            meta.append(None)
            continue
        meta.append((o.shape, o.dtype, o.device))
        if id(o) in dirty:
            _rebase_dirty(node, o, i)
        else:
            if id(o) in inputs:  # an input returned as-is comes back as a view of it
                with no_grad():
                    o = o.view_as(o)
            if id(outputs[i]) not in non_diff and o.dtype.kind in "fc":
                o._grad_fn, o._output_nr, o._requires_grad = node, i, True
        outputs[i] = o
    node._output_meta = tuple(meta)
    out_ids = {id(o): i for i, o in enumerate(outputs) if isinstance(o, Tensor)}
    saved = []
    for t in node.to_save:
        if t is None:
            saved.append((None, 0))
            continue
        nr = out_ids.get(id(t))
        # a saved output is kept without its history (no reference cycle) and re-attached on unpack
        saved.append((SavedTensor(t, nr is not None and t._grad_fn is node, node, nr or 0), nr or 0))
    node._saved = saved
    node.to_save = ()
    return tuple(outputs) if is_tuple else outputs[0]


def _rebase_dirty(node, t, index):
    """A tensor forward modified in place (``mark_dirty``) becomes output ``index`` of ``node``."""
    if t._base is None and t._requires_grad and t._grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
    base = t._base
    if base is not None and base._requires_grad and base._grad_fn is None:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    t._vc.version += 1
    if base is None:
        t._grad_fn, t._output_nr, t._requires_grad = node, index, True
        return
    # the write went through a view: its base's history becomes "base with this region replaced"
    from ..ops.views import record_view_write
    new = t._alias()
    new._grad_fn, new._output_nr, new._requires_grad = node, index, True
    record_view_write(t, new)


def once_differentiable(fn: Callable) -> Callable:
    """Mark a ``backward`` as not differentiable: it runs without recording, and differentiating
    its result raises, as ``torch.autograd.function.once_differentiable``."""
    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with no_grad():
            outputs = fn(ctx, *args)
        if not _state.enabled:
            return outputs
        needing = [a for a in args if isinstance(a, Tensor) and a._requires_grad]
        if not needing:
            return outputs
        err = Error(needing)
        tupled = outputs if isinstance(outputs, tuple) else (outputs,)
        wrapped = []
        for o in tupled:
            if isinstance(o, Tensor) and o.dtype.kind in "fc":
                o = o._alias()
                o._grad_fn, o._output_nr, o._requires_grad = err, 0, True
            wrapped.append(o)
        return tuple(wrapped) if isinstance(outputs, tuple) else wrapped[0]
    return wrapper


class Error(Node):
    """Stands for the result of a once-differentiable backward: differentiating it raises (PyTorch's
    ``torch::autograd::Error`` node)."""

    def __init__(self, inputs):
        super().__init__(tuple(t._edge() for t in inputs), [(t.shape, t.dtype) for t in inputs], 1)

    def apply(self, grads):
        raise RuntimeError("trying to differentiate twice a function that was marked with "
                           "@once_differentiable")


class InplaceFunction(Function):
    """A Function with an ``inplace`` flag, kept for PyTorch compatibility."""

    def __init__(self, inplace: bool = False):
        super().__init__()
        self.inplace = inplace


__all__ = ["FunctionCtx", "BackwardCFunction", "FunctionMeta", "Function", "once_differentiable",
           "InplaceFunction"]


class _NoDerivative(Function):
    """The graph node of an op PyTorch records but cannot differentiate: backward raises its error."""

    @staticmethod
    def forward(ctx, message, boxed_result, *inputs):
        ctx.message = message
        return boxed_result[0]

    @staticmethod
    def backward(ctx, grad):
        raise ctx.message[0](ctx.message[1])


def no_derivative(result: Tensor, message: str, *inputs: Tensor, error: type = RuntimeError,
                  grad_fn: str = "NotImplemented", saves=None) -> Tensor:
    """``result`` (computed off the graph) as the output of ``inputs`` whose backward raises
    ``error(message)``, as PyTorch's ops without a derivative for these arguments do; its node is
    named ``grad_fn``, as PyTorch names it, and keeps ``saves`` (see graph.present_as): torch's node
    unpacks them, so a write into one after the forward fails first."""
    since = graph.SEQUENCE[0]
    out = _NoDerivative.apply((error, message), (result,), *inputs)
    graph.present_as(out, grad_fn, since, saves=saves)
    return out


class _ZeroDerivative(Function):
    """The graph node of a sampler PyTorch differentiates as a constant (its gradient is zeros)."""

    @staticmethod
    def forward(ctx, boxed_result, *inputs):
        return boxed_result[0]

    @staticmethod
    def backward(ctx, grad):
        from ..ops.primitives.elementwise import zeros_like_grad
        zero = zeros_like_grad(grad)  # (the engine sums it down to a broadcast input's shape)
        return (None, *[zero] * len(ctx.needs_input_grad[1:]))


def zero_derivative(result: Tensor, inputs, grad_fn: str) -> Tensor:
    """``result`` (computed off the graph, of the inputs' broadcast shape) as the output of ``inputs`` (a
    tensor or several) whose gradient is zero, its node named ``grad_fn`` as PyTorch's (``torch.poisson``'s
    ``PoissonBackward0``, a sampler's: ``torch.normal``'s, ``uniform_``'s)."""
    since = graph.SEQUENCE[0]
    out = _ZeroDerivative.apply((result,), *((inputs,) if isinstance(inputs, Tensor) else inputs))
    graph.present_as(out, grad_fn, since)
    return out
