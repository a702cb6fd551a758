"""Forward-mode tangents (``torch.autograd.forward_ad``'s dual tensors), carried op by op.

While a dual level is open, every op run on an input that has a tangent gives its outputs theirs at once, as
torch's forward mode does, whatever grad mode says. pyfront's registry holds one VJP per op and no JVP, so an
op's Jacobian-vector product is had from its VJP by the double-backward trick of ``autograd.functional.jvp``
(and so of ``func.jvp``), applied to that one op: ``u -> J^T u`` is linear in ``u``, so the gradient of
``<J^T u, t>`` with respect to ``u`` is ``J t``. A view's tangent is the same view of its input's tangent, and
an in-place write updates the written tensor's tangent in place (a view's is a view of its base's), so
tangents alias as torch's do.

The hooks that call in here are where ops record their graph nodes (ops/dispatch.py, Function.apply, the
in-place ``Tensor._assign``): each checks ``ON[0]`` first, so no dual level costs one list read per op.
"""
from __future__ import annotations

import contextlib
import functools
import threading
import weakref

from .grad_mode import _state, enable_grad, no_grad
from .graph import SEQUENCE, AccumulateGrad, Node, present_as

# whether ops carry tangents now: a dual level is open (and no tangent is being computed: the ops of that
# computation carry none, as torch's level has no nesting)
ON = [False]
# whether a tangent is being computed by transposing a VJP (_double_vjp): a backward's derivative in its
# incoming gradient only is taken, which a node torch does not differentiate twice (hardsigmoid's) gives;
# per thread (another thread's double backward is not a transposition)
_TRANSPOSING = threading.local()


def transposing() -> bool:
    """Whether this thread is computing a tangent by transposing a VJP (see _double_vjp)."""
    return getattr(_TRANSPOSING, "on", False)


_OWNERS: list = []  # weak references to the tensors given a tangent at the open level: cleared at its exit


def set_tangent(t, tangent) -> None:
    """Give ``t`` ``tangent`` at the open level (dropped when it exits), laid out as ``t`` (copied where it
    is not), as torch's: a view of ``t`` finds its tangent at the same place in it (``tangent_of``)."""
    if tangent._strides != t._strides and not t._overlaps():
        with paused():
            tangent = _zeros_as(t, tangent.dtype).copy_(tangent)
    t._tangent = tangent
    _OWNERS.append(weakref.ref(t))


def drop_all() -> None:
    """The open level exits: every tangent given in it goes."""
    for ref in _OWNERS:
        t = ref()
        if t is not None:
            t._tangent = None
    _OWNERS.clear()


def tangent_of(t):
    """``t``'s tangent at the open level, or None: a view's is the same view of its base's tangent, where the
    base has one (it may have got it after the view was taken, by a write through another view) and the view
    reads the base's values as they are (no conj or neg bit of its own, whose tangent is its own)."""
    base = t._base
    if base is not None and base._tangent is not None and base.dtype is t.dtype and base._lazy == t._lazy:
        bt = base._tangent
        with paused():
            return bt.as_strided(t._shape, t._strides, bt._offset + t._offset - base._offset)
    return t._tangent


def carries(t) -> bool:
    """Whether ``t`` has a tangent (a composite that records its own node only where its input requires grad
    must record it for this too: the tangent comes from that node)."""
    return ON[0] and tangent_of(t) is not None


@contextlib.contextmanager
def paused():
    """Ops run here carry no tangents (those that compute a tangent)."""
    was, ON[0] = ON[0], False
    try:
        yield
    finally:
        ON[0] = was


def through_op(op, inputs, outs, attrs) -> None:
    """Give the float outputs ``outs`` of the registry op ``op`` on ``inputs`` their tangents, where an input
    has one (an op without a VJP, argmax's, has none to give)."""
    tangents = [tangent_of(t) for t in inputs]
    if op.vjp is None or all(t is None for t in tangents):
        return
    wanted = [i for i in op.differentiable_outputs if i < len(outs) and outs[i].dtype.kind in "fc"]
    if not wanted:
        return
    with paused():
        if op.kind == "view":  # the same view of the tangent: it aliases the input's, as torch's does
            from ..ops.dispatch import apply
            set_tangent(outs[0], apply(op, tangents[0], **attrs))
            return
        if op.jvp is not None:  # torch's forward formula, on the real tensors (a graph of its own where kept)
            got = op.jvp(inputs, tangents, attrs)
            read = _read(op, inputs) if _keeps(inputs, tangents) else ()
            for i in wanted:
                set_tangent(outs[i], _reading(got[i], read) if read and not got[i].requires_grad else got[i])
            return
        from .graph import OpNode
        keep, since = _keeps(inputs, tangents), SEQUENCE[0]
        local, local_t = [_local(x, keep) for x in inputs], [_local(t, keep) for t in tangents]
        # the op's node over its inputs as leaves of their own: its VJP runs on the saved values, and what
        # its result's gradient reaches stops there (the engine would run the whole graph behind them)
        # a tangent-only input's gradient goes to a sink slot of its own: two inputs' in one slot would be
        # summed (a VJP that reads the op's saved output reaches this node when differentiated: scatter_reduce
        # prod's)
        sink = _Sink(len(local))
        edges = tuple(x._edge() if x.requires_grad else (sink, i) if t is not None else (None, 0)
                      for i, (x, t) in enumerate(zip(local, tangents)))
        node = OpNode(op, local, [o.detach() for o in outs], attrs, edges)
        if op.kind == "elementwise" and wanted == [0] and len(outs) == 1 and outs[0].dtype.kind == "f" \
                and all(x is None or x.dtype.kind != "c" for x in inputs):
            got = [_diagonal(node, local_t, outs[0], keep)]
        else:
            got = _double_vjp(node.apply, [outs[i] for i in wanted], len(outs), wanted, local_t, keep)
        if keep:
            got = [_linked(g, inputs, local, tangents, local_t, since, _read(op, inputs)) for g in got]
    for i, tangent in zip(wanted, got):
        set_tangent(outs[i], tangent)


def _read(op, inputs) -> list:
    """The inputs that require grad among those ``op``'s gradients read (see ``_reading``)."""
    return [inputs[i] for i in op.save if i < len(inputs) and getattr(inputs[i], "_requires_grad", 0)]


def _keeps(inputs, tangents) -> bool:
    """Whether the tangents made from these must be differentiable (reverse mode through forward mode)."""
    return _state.enabled and any(x is not None and x.requires_grad for x in (*inputs, *tangents))


def _local(x, keep):
    """``x`` cut from its graph: a leaf of its own where the tangent keeps a graph back to it."""
    if x is None:
        return None
    if keep and x.requires_grad:
        return x.detach().requires_grad_()
    return x.detach()


def _diagonal(node, tangents, out, keep):
    """The tangent of an elementwise op's real result as torch's forward formula for one (auto_element_wise)
    gives it: its Jacobian is diagonal, its own transpose, so its VJP run on each input's tangent (broadcast
    to the result) is that input's share. Where the VJP puts a constant (logit's NaN outside [eps, 1 - eps])
    the tangent has it too, as torch's; the double-backward trick would give 0 there, at twice the cost."""
    from ..ops.creation import zeros_like
    total = None
    with enable_grad() if keep else no_grad():  # (the saved result it reads leads to the node's sinks)
        for i, t in enumerate(tangents):
            if t is None:
                continue
            grads = node.apply((t.to(out.dtype).expand(out.shape),))
            g = grads[i] if isinstance(grads, (tuple, list)) else grads
            if g is not None:
                total = g if total is None else total + g
    if total is None:
        return zeros_like(out)
    if total.dtype is not out.dtype:
        total = total.to(out.dtype)
    if total.shape != out.shape:
        total = total.expand(out.shape)
    # a gradient passed on unchanged is the tangent given (add's): the result's tangent must be its own
    return total.clone() if any(t is not None and t._storage is total._storage for t in tangents) else total


def _double_vjp(vjp, outs, n_outputs, wanted, tangents, keep):
    """The tangents of ``outs`` (outputs ``wanted`` of ``n_outputs``) given the inputs' ``tangents`` (None:
    zero) and ``vjp``, the map of output gradients to input gradients: the gradient of ``<vjp(u), t>`` with
    respect to ``u``. An output no input gradient depends on (floor's) gets zeros, as torch's."""
    from . import grad
    from ..ops.creation import ones_like, zeros_like
    if all(o.numel() == 0 for o in outs):  # nothing to differentiate (some VJPs refuse an empty gradient)
        return [zeros_like(o) for o in outs]
    with enable_grad():
        # any u gives the same derivative (a VJP is linear in it); ones, not zeros: a VJP written with logs or
        # quotients of the cotangent (logcumsumexp's) is NaN at zero
        us = [ones_like(o).requires_grad_() for o in outs]
        grads = [None] * n_outputs
        for i, u in zip(wanted, us):
            grads[i] = u
        result = vjp(tuple(grads))
        result = result if isinstance(result, (tuple, list)) else (result,)
        pairs = [(g, t) for g, t in zip(result, tangents)
                 if g is not None and t is not None and g.requires_grad]
        got = [None] * len(us)
        if pairs:
            # the engine sums a broadcast gradient back to its input's shape: its transpose expands
            outer, _TRANSPOSING.on = transposing(), True
            try:
                got = grad([g for g, _ in pairs], us, [t.to(g.dtype).expand(g.shape) for g, t in pairs],
                           allow_unused=True, create_graph=keep, retain_graph=keep)
            finally:
                _TRANSPOSING.on = outer
    # a gradient passed on unchanged is the tangent given (clone's): the output's tangent must be its own
    given = {id(t._storage) for t in tangents if t is not None}
    return [zeros_like(o) if g is None else g.clone() if id(g._storage) in given else g
            for o, g in zip(outs, got)]


class _Sink(Node):
    """Where the tangent-only inputs' edges of a local node lead, one slot each: nowhere (their gradients are
    not wanted)."""

    has_saved = False

    def __init__(self, n):
        super().__init__((), [], n)

    def apply(self, grads):
        return ()


def _linked(tangent, inputs, local, tangents, local_t, since, read):
    """``tangent``, computed over local leaves, made part of the real graph: the edges of its nodes (all
    recorded after node number ``since``) that lead to a local leaf lead to the real tensor it stands for, so
    its ``grad_fn`` is the last op of its formula, as torch's. One that depends on nothing that requires grad
    has none, unless the op's formula reads primals that do (``read``): see ``_reading``."""
    if not tangent.requires_grad:
        return _reading(tangent, read) if read else tangent
    # (a Function's non-tensor arguments, a split's sizes, have no leaf)
    real = {x._accum: r._edge() for r, x in zip((*inputs, *tangents), (*local, *local_t))
            if getattr(x, "_accum", None) is not None}
    seen, todo = set(), [tangent.grad_fn]
    while todo:
        node = todo.pop()
        if node is None or node._seq <= since or id(node) in seen or isinstance(node, AccumulateGrad):
            continue
        seen.add(id(node))
        todo += [n for n, _ in node.edges]
        node.edges = tuple(real.get(n, (n, nr)) for n, nr in node.edges)
        if node.shown_edges is not None:
            node.shown_edges = tuple(real.get(n, (n, nr)) for n, nr in node.shown_edges)
    return tangent


def _reading(tangent, primals):
    """``tangent`` as the result of a formula that reads ``primals`` (which require grad) without depending on
    them: torch's formula for an op that reads its inputs multiplies a missing tangent, a zero, by a primal
    (mul's ``other_t * self_p`` where ``other`` is a number), so its tangent requires grad, and the primals'
    gradients from it are zeros; a loss on such a tangent backpropagates as torch's, not refused."""
    since = SEQUENCE[0]
    out = _reads_primals().apply(tangent, *primals)
    present_as(out, "AddBackward0", since)  # torch's sum of the formula's terms, one of them zero
    return out


@functools.cache
def _reads_primals():
    from ..ops.creation import zeros_like
    from .function import Function

    class ReadsPrimals(Function):
        @staticmethod
        def forward(ctx, t, *primals):
            ctx.primals = primals
            return t.clone()

        @staticmethod
        def backward(ctx, g):
            return (g, *(zeros_like(p) for p in ctx.primals))

    return ReadsPrimals


def through_function(cls, ctx, args, output) -> None:
    """Give the float outputs of ``cls.apply(*args)`` (an autograd Function) their tangents, where an argument
    has one: a user's Function by its ``jvp`` (refused without one, as torch), pyfront's own by its backward
    (the double-backward trick, over the Function run again on local leaves)."""
    from ..tensor import Tensor
    tangents = [tangent_of(a) if isinstance(a, Tensor) else None for a in args]
    if all(t is None for t in tangents):
        return
    outs = output if isinstance(output, tuple) else (output,)
    if not cls.__module__.startswith("pyfront."):
        _by_jvp(cls, ctx, args, tangents, outs)
        return
    wanted = [i for i, o in enumerate(outs) if isinstance(o, Tensor) and o.dtype.kind in "fc"]
    with paused():
        keep, since = _keeps([a for a in args if isinstance(a, Tensor)], tangents), SEQUENCE[0]
        local = [(a.detach().requires_grad_() if t is not None else _local(a, keep))
                 if isinstance(a, Tensor) else a for a, t in zip(args, tangents)]
        local_t = [_local(t, keep) for t in tangents]
        with enable_grad():
            again = cls.apply(*local)
        again = again if isinstance(again, tuple) else (again,)
        leaves = [i for i, a in enumerate(local) if isinstance(a, Tensor) and a.requires_grad]

        def vjp(grads):
            from . import grad
            pairs = [(again[i], g) for i, g in enumerate(grads) if g is not None and again[i].requires_grad]
            if not pairs:
                return [None] * len(leaves)
            return grad([o for o, _ in pairs], [local[i] for i in leaves], [g for _, g in pairs],
                        create_graph=True, allow_unused=True)

        got = _double_vjp(vjp, [outs[i] for i in wanted], len(outs), wanted, [local_t[i] for i in leaves],
                          keep)
        reals = [a if isinstance(a, Tensor) else None for a in args]
        read = [a for a in reals if a is not None and a.requires_grad]
        got = [_linked(g, reals, local, tangents, local_t, since, read) if keep else g for g in got]
    for i, tangent in zip(wanted, got):
        set_tangent(outs[i], tangent)


NO_JVP = "You must implement the jvp function for custom autograd.Function to use it with forward mode AD."


def _by_jvp(cls, ctx, args, tangents, outs):
    """A user's Function's tangents: its ``jvp(ctx, *tangents)``, one tangent per argument (zeros for a tensor
    without one, None for a non-tensor), one result per output; ``ctx.saved_tensors`` reads what forward gave
    ``save_for_forward``."""
    from ..tensor import Tensor
    from .function import Function
    if cls.jvp is Function.jvp:
        raise NotImplementedError(NO_JVP)
    given = [t if t is not None or not isinstance(a, Tensor) else a.new_zeros(a.shape)
             for a, t in zip(args, tangents)]
    ctx._in_jvp = True
    try:
        with paused():
            result = cls.jvp(ctx, *given)
    finally:
        ctx._in_jvp = False
    result = result if isinstance(result, tuple) else (result,)
    if len(result) != len(outs):
        raise RuntimeError("Function's jvp returned an invalid number of forward gradients (expected "
                           f"{len(outs)} but got {len(result)})")
    for o, r in zip(outs, result):
        if not isinstance(o, Tensor) or r is None or o.dtype.kind not in "fc":
            continue
        check_size(o, r)
        if id(o) in {id(t) for t in ctx.dirty_tensors} and tangent_of(o) is not None:
            with paused():
                tangent_of(o).copy_(r)  # written in place: its tangent too
        else:
            set_tangent(o, r)


def check_size(primal, tangent) -> None:
    if tangent.shape != primal.shape:
        raise RuntimeError("Trying to set a forward gradient that has a different size than that of the "
                           f"original Tensor, this is not supported. Tensor is of size {list(primal.shape)} "
                           f"while the given forward gradient is of size {list(tangent.shape)}.")


def after_write(self, new) -> None:
    """``self`` was written in place with ``new``'s values: its tangent is now ``new``'s (zeros where ``new``
    has none), written into the tangent it has, or its base's, so views of it see the change."""
    tn = tangent_of(new)
    ts = tangent_of(self)
    if tn is None and ts is None:
        return
    with paused():
        if ts is None:
            base = self._base
            if base is not None and base.dtype is self.dtype:
                set_tangent(base, _zeros_as(base))
                ts = tangent_of(self)
            else:
                set_tangent(self, _zeros_as(self))
                ts = self._tangent
        if tn is None:
            ts.zero_()
        else:
            ts.copy_(tn)


def _zeros_as(t, dtype=None):
    """Zeros laid out as ``t``: a view's tangent is the same view of them."""
    from ..ops.factories import empty_strided
    return empty_strided(t.shape, t.stride(), dtype=dtype or t.dtype, device=t.device).zero_()

