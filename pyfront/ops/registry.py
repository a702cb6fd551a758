"""OpDef and the registry: every primitive op is defined once, here in one entry.

An entry holds the op's shape/dtype rule, its NumPy implementation (a function of the ``numpy``
module and the input arrays, so that importing pyfront does not import NumPy), its backward
(VJP) written in pyfront ops, and what the tests need to check it against PyTorch.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import functools
import inspect
from typing import Callable, Optional

from ..autograd import graph
from ..autograd.grad_mode import _state as _grad
from ..tensor import Tensor
from . import shell

KINDS = ("elementwise", "reduction", "view", "other")


@dataclass(eq=False)
class OpDef:
    name: str
    kind: str
    # (inputs, attrs) -> ((shape, dtype), ...) one pair per output; views: (shape, strides, offset)
    infer: Callable
    # numpy(np, *arrays, **attrs) -> array or tuple of arrays; None only for views
    numpy: Optional[Callable]
    # vjp(ctx, *grads) -> one gradient (or None) per input; None: not differentiable
    vjp: Optional[Callable]
    arity: int = 1              # number of tensor inputs
    save: tuple = ()            # indices of the inputs the VJP reads
    save_output: bool | tuple = False   # whether the VJP reads the output(s); a tuple: those outputs
    saved_for: dict = field(default_factory=dict)  # saved input -> the inputs whose gradients read it
    differentiable_outputs: tuple = (0,)
    backward_name: str = ""
    # (inputs, attrs) -> the node's name where PyTorch's depends on the call (pow of two tensors)
    grad_fn: Optional[Callable] = None
    # The elementwise expression over a, b, c for the GPU backend: a string, a dict by scalar kind
    # ("f", "i", "u"), or a function of (attrs, ctype) returning the expression or (expression, numbers).
    # Numbers never go into the text (it keys the pipeline cache): they are read as s0 .. s3.
    wgsl: Optional[str] = None
    # For the tests: the torch function of the same name, and the valid input range.
    torch_name: Optional[str] = None
    domain: tuple = (None, None)
    samples: Optional[Callable] = None
    extra: dict = field(default_factory=dict)
    # the cpu rule takes float16 and bfloat16 arrays as they are, not in float32 (where nextafter's next
    # float would round back to the input)
    takes_halves: bool = False
    # the 16-bit dtypes (dtypes.HALVES, or one of them) whose gradients torch's backward kernel of the op
    # computes in float32 and rounds once (tanh_backward, _softmax_backward_data): its VJP runs so for
    # them (autograd/graph.py), where its chain of 16-bit ops would round at every step
    vjp_in_float32: tuple = ()
    # jvp(inputs, tangents, attrs) -> the tangent of each differentiable output (a tangent None: zeros), for
    # forward AD where torch's forward formula is not its backward's transpose (scatter's duplicate indices:
    # one write wins, not their sum); None: the tangents come from the VJP (autograd/dual.py)
    jvp: Optional[Callable] = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise TypeError(f"op {self.name}: unknown kind {self.kind!r}")
        if self.kind != "view" and self.numpy is None:
            raise TypeError(f"op {self.name}: no NumPy implementation")
        if not callable(self.infer):
            raise TypeError(f"op {self.name}: no shape/dtype rule")
        if not self.backward_name:
            self.backward_name = node_name(self.name)

    def __repr__(self) -> str:
        return f"<OpDef {self.name}>"


def ufunc(name: str) -> Callable:
    """The NumPy rule that is NumPy's ufunc ``name`` on the input arrays, nothing else. The rule names
    its ufunc (``rule.ufunc``), so a backend's plan may call the ufunc itself: at 1,000 elements the
    Python frame of a rule is a visible share of the op."""
    def rule(np, *arrays):
        return getattr(np, name)(*arrays)

    rule.ufunc = name
    return rule


def node_name(op_name: str) -> str:
    """The node PyTorch records for the op ``op_name``: "_unique2" -> "Unique2Backward0"."""
    return "".join(p.capitalize() for p in op_name.split("_")) + "Backward0"


OPS: dict[str, OpDef] = {}


def register(op: OpDef) -> OpDef:
    if op.name in OPS:
        raise TypeError(f"op {op.name} registered twice")
    OPS[op.name] = op
    return op


# Composite ops (functions of primitives) that the op tests check against torch, by public name.
COMPOSITES: dict[str, dict] = {}


def records(name, saves=None):
    """Decorator: the composite's result shows the node PyTorch's one op records (``grad_fn``), ``name``
    or ``name(*args, **kwargs)`` (None: the last primitive's own; a pair: the name and the inputs in the
    order PyTorch's op takes them), given to the last node it recorded, with the Tensor arguments'
    nodes as its ``next_functions``. ``saves``: what torch's node saves (see ``torch_saves``)."""
    def deco(fn):
        saved = torch_saves(fn, saves) if saves else None
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if not _grad.enabled:  # no node is recorded: none to name (the inputs not even gathered)
                return fn(*args, **kwargs)
            inputs = [t for a in (*args, *kwargs.values())
                      for t in (a if isinstance(a, (list, tuple)) else (a,)) if isinstance(t, Tensor)]
            for t in inputs:
                if t._requires_grad:
                    break
            else:  # no gradient can reach the result through its inputs: no node to name
                return fn(*args, **kwargs)
            before = {id(t): t._edge() for t in inputs}  # an in-place op gives its input a new history
            since = graph.SEQUENCE[0]
            out = fn(*args, **kwargs)
            if isinstance(name, str):
                node_name = name
            else:
                try:  # (free where nothing is raised)
                    node_name = name(*args, **kwargs)
                except TypeError:
                    if not kwargs:
                        raise
                    node_name = _bound_name(name, fn, args, kwargs)
            if isinstance(node_name, tuple):  # (name, the inputs in the order PyTorch's op takes them)
                node_name, inputs = node_name
            if node_name is not None:
                edges = [before.get(id(t)) or t._edge() for t in inputs if t.dtype.kind in "fc"]
                graph.present_as(out, node_name, since, edges=edges,
                                 saves=saved and (lambda: saved(node_name, args, kwargs)))
            return out
        return wrapper
    return deco


def _bound_name(namer, fn, args, kwargs):
    """``namer``'s node name for a call that gave by torch's keyword what it takes by position
    (masked_fill(x, mask=m, value=v)): the call bound to ``fn``'s parameters first."""
    bound = inspect.signature(fn).bind(*args, **kwargs)
    return namer(*bound.args, **bound.kwargs)


def torch_saves(fn, spec: str):
    """What torch's node of the composite ``fn`` saves, from ``spec``: its names, space-separated, each
    ``name`` (the argument of ``fn`` so named), ``name=argument``, or ``name=result`` / ``result<k>`` (the
    op's output k); ``@Node`` after a name: saved only where the call presents that node (``saves`` may
    differ by overload); ``/a,b`` last: saved only where argument ``a`` or ``b`` requires grad (the
    gradients that read it; else None, as torch's node keeps a tensor only for a gradient it computes);
    ``dim`` shown as torch's int dim as given (a negative one as its unsigned 64-bit pattern), ``dim[]`` as
    its int list (a 1-tuple for an int); or a function of the call's arguments giving those pairs (a view
    torch's op saves).
    Returns ``(node name, args, kwargs) -> [(name, value or output index), ...]``, read per call by position
    or keyword, without binding the whole signature (a composite runs per op)."""
    import inspect
    if callable(spec):
        return lambda node_name, args, kwargs: spec(*args, **kwargs)
    params = list(inspect.signature(fn).parameters.values())
    where = {p.name: (i if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) else len(params), p.default)
             for i, p in enumerate(params)}
    plan, dims = [], {}
    for item in spec.split():
        item, _, readers = item.partition("/")
        item, _, node = item.partition("@")
        name, _, source = item.partition("=")
        if name.endswith("[]") or name.startswith("dim"):
            name = name.removesuffix("[]")
            dims[name] = item.endswith("[]")
        source = source or name
        readers = tuple((where[r][0], r) for r in readers.split(",")) if readers else None
        if source.startswith("result"):
            plan.append((name, graph.Result(source[6:] or 0), None, None, node, readers))
        else:
            pos, default = where[source]
            plan.append((name, pos, source, None if default is inspect.Parameter.empty else default, node,
                         readers))

    def argument(args, kwargs, pos, source, default=None):
        return args[pos] if pos < len(args) else kwargs.get(source, default)

    def read(node_name, args, kwargs):
        out = [(name, None if readers and not any(getattr(argument(args, kwargs, *r), "requires_grad", False)
                                                  for r in readers)
                else pos if source is None else argument(args, kwargs, pos, source, default))
               for name, pos, source, default, node, readers in plan if not node or node == node_name]
        return [(name, _as_torch_dim(value, dims[name]) if name in dims else value) for name, value in out] \
            if dims else out
    return read


def _as_torch_dim(value, listed: bool):
    from ..autograd.saved_names import as_torch_saves
    if listed and type(value) is int:
        value = (value,)
    return as_torch_saves(value, "int[]" if listed else "int")


def composite(torch_name: Optional[str] = None, samples=None, domain=(None, None), grad=True, grad_fn=None,
              saves=None):
    """Mark a public function built from primitives, so the op table tests it against torch; ``grad_fn``:
    the node it presents, ``saves``: what that node saves (see ``records``)."""
    def deco(fn):
        if grad_fn is not None:
            fn = records(grad_fn, saves)(fn)
        if shell.decides(torch_name or fn.__name__):  # torch's shell dtype kernels
            fn = shell.whole(torch_name or fn.__name__, fn)
        COMPOSITES[torch_name or fn.__name__] = {"fn": fn, "samples": samples, "domain": domain,
                                                 "grad": grad}
        return fn
    return deco
