"""``torch.library``: custom operators written in Python (``custom_op``), run eagerly.

``@torch.library.custom_op("ns::name", mutates_args=...)`` turns a type-annotated function into an op
callable as itself and as ``torch.ops.ns.name``. As torch's, its output carries no autograd history of
the function's inside: backward through it raises torch's error unless ``register_autograd(backward,
setup_context=...)`` gave its gradient, which then runs as an ``autograd.Function``. ``register_fake``
records the fake (shape) implementation, which pyfront, tracing nothing, never needs (and ``register_vmap``
the vmap rule, which its per-sample vmap never calls);
``register_kernel(device_types)`` gives the implementation used for tensors on those devices.

The schema-string API (``Library``, ``define``, ``impl``) is not here: it raises RuntimeError saying so.
"""
from __future__ import annotations

import inspect
import types

__all__ = ["CustomOpDef", "Library", "custom_op", "define", "impl", "register_autograd", "register_fake",
           "register_kernel", "register_vmap"]


class CustomOpDef:
    """What ``custom_op`` returns: the op, callable; ``register_autograd``, ``register_fake`` and
    ``register_kernel`` add to it."""

    def __init__(self, namespace: str, name: str, fn, mutates_args):
        self._namespace, self._name, self._init_fn = namespace, name, fn
        self._kernels: dict = {}
        self._backward = self._setup_context = self._fake = self._vmap = None
        self.__name__ = name
        self.__doc__ = fn.__doc__

    def _kernel(self, args):
        from .tensor import Tensor
        for a in args:
            if isinstance(a, Tensor) and a.device.type in self._kernels:
                return self._kernels[a.device.type]
        return self._init_fn

    def __call__(self, *args, **kwargs):
        from .autograd.function import Function
        op, kernel = self, self._kernel(args)

        def forward(ctx, *inputs):
            out = kernel(*inputs, **kwargs)
            if op._setup_context is not None:
                op._setup_context(ctx, inputs, out)
            return out

        def backward(ctx, *grads):
            if op._backward is None:
                raise RuntimeError(f"Trying to backward through {op._namespace}.{op._name}.default but "
                                   "no autograd formula was registered. Please use register_autograd to "
                                   "add one.")
            result = op._backward(ctx, *grads)
            return result if isinstance(result, tuple) else (result,)
        # the op's one autograd node, named as torch's dispatcher names it
        _Op = type(f"GeneratedBackwardFor_{self._namespace}_{self._name}_default", (Function,),
                   {"forward": staticmethod(forward), "backward": staticmethod(backward)})
        return _Op.apply(*args)

    def register_autograd(self, backward, /, *, setup_context=None):
        """Give the op's gradient: ``setup_context(ctx, inputs, output)`` saves what ``backward(ctx,
        *grads)`` needs; backward returns one gradient (or None) per input."""
        self._backward, self._setup_context = backward, setup_context

    def register_fake(self, fn, /):
        """Record the op's fake implementation (torch's tracing uses it; pyfront runs the real one)."""
        self._fake = fn
        return fn

    def register_vmap(self, fn=None, /):
        """Record the op's vmap rule ``fn(info, in_dims, *args) -> (output, out_dims)``; a decorator without
        ``fn``. pyfront's vmap runs the op once per sample (as it runs a Function's forward, whose ``vmap``
        staticmethod it does not call either), so a rule that batches the op's own values changes nothing."""
        def register(f):
            self._vmap = f
            return f
        return register if fn is None else register(fn)

    def register_kernel(self, device_types, fn=None, /):
        """The implementation for tensors on ``device_types`` ("cpu", "webgpu", ...); a decorator without
        ``fn``."""
        def register(f):
            for d in [device_types] if isinstance(device_types, str) else device_types:
                self._kernels[d] = f
            return f
        return register if fn is None else register(fn)

    def __repr__(self) -> str:
        return f"<CustomOpDef({self._namespace}::{self._name})>"


def custom_op(name: str, fn=None, /, *, mutates_args, device_types=None, schema=None):
    """``torch.library.custom_op``: the function ``fn`` as the op ``name`` ("namespace::name"), reachable as
    ``torch.ops.namespace.name`` too; a decorator without ``fn``. Raises ValueError, as torch's, for a
    parameter without a type annotation."""
    def inner(f):
        namespace, opname = name.split("::")
        if schema is None:
            for p in inspect.signature(f).parameters.values():
                if p.annotation is inspect.Parameter.empty:
                    raise ValueError(f"infer_schema(func): Parameter {p.name} must have a type annotation. "
                                     f"Got func with signature {inspect.signature(f)})")
        op = CustomOpDef(namespace, opname, f, mutates_args)
        if device_types is not None:
            op.register_kernel(device_types, f)
        from . import ops as torch_ops  # torch.ops.<namespace>.<name>
        space = getattr(torch_ops, namespace, None)
        if space is None:
            space = types.SimpleNamespace()
            setattr(torch_ops, namespace, space)
        setattr(space, opname, OpOverloadPacket(op))
        return op
    return inner if fn is None else inner(fn)


class OpOverload:
    """``torch.ops.namespace.name.default``: the op's one overload, callable as the op."""

    def __init__(self, op: CustomOpDef, overload: str) -> None:
        self._op, self._overloadname = op, overload

    def __call__(self, *args, **kwargs):
        return self._op(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<OpOverload(op='{self._op._namespace}.{self._op._name}', overload='{self._overloadname}')>"


class OpOverloadPacket:
    """``torch.ops.namespace.name``: the op (callable) and its overloads (a custom_op has one: default)."""

    def __init__(self, op: CustomOpDef) -> None:
        self._op, self.default = op, OpOverload(op, "default")

    def __call__(self, *args, **kwargs):
        return self._op(*args, **kwargs)

    def overloads(self) -> list:
        return ["default"]

    def __repr__(self) -> str:
        return f"<OpOverloadPacket(op='{self._op._namespace}.{self._op._name}')>"


def register_autograd(op, backward, /, *, setup_context=None, lib=None):
    """``torch.library.register_autograd(op, ...)`` for a ``custom_op`` (see ``CustomOpDef``)."""
    _custom(op).register_autograd(backward, setup_context=setup_context)


def register_fake(op, fn=None, /, *, lib=None, _stacklevel=1):
    """``torch.library.register_fake(op)`` for a ``custom_op`` (see ``CustomOpDef``)."""
    op = _custom(op)
    return op.register_fake if fn is None else op.register_fake(fn)


def register_vmap(op, fn=None, /, *, lib=None):
    """``torch.library.register_vmap(op)`` for a ``custom_op`` (see ``CustomOpDef.register_vmap``)."""
    return _custom(op).register_vmap(fn)


def register_kernel(op, device_types, fn=None, /, *, lib=None):
    """``torch.library.register_kernel(op, device_types)`` for a ``custom_op`` (see ``CustomOpDef``)."""
    return _custom(op).register_kernel(device_types, fn)


def _custom(op) -> CustomOpDef:
    if isinstance(op, str):
        from . import ops as torch_ops
        namespace, name = op.split("::")
        op = getattr(getattr(torch_ops, namespace, None), name, None)
    if isinstance(op, (OpOverloadPacket, OpOverload)):  # torch.ops.ns.name(.default) names the op too
        op = op._op
    if not isinstance(op, CustomOpDef):
        raise RuntimeError("pyfront's torch.library registers only on an op made by torch.library.custom_op")
    return op


def _schema_api(*args, **kwargs):
    raise RuntimeError("pyfront's torch.library has custom_op only: defining ops from schema strings "
                       "(Library, define, impl) needs torch's dispatcher, which pyfront does not have. Write "
                       "the op with @torch.library.custom_op instead.")


Library = define = impl = _schema_api
