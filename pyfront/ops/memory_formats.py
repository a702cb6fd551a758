"""torch's ``memory_format`` arguments: copies in an asked layout, fresh tensors laid out like another,
``is_contiguous(memory_format=)``. The stride rules themselves are pure functions in strides_order.py."""
from __future__ import annotations

import functools
from ..autograd.function import Function
from ..autograd.grad_mode import _state

from ..strides_order import check_format_rank, column_major_strides, dense_strides, format_rank, \
    format_strides, is_contiguous_as, non_overlapping_and_dense, preserved_strides, result_strides, \
    suggested_format
from ..tensor import Tensor


def memory_format_arg(fn: str, memory_format, none_ok: bool = True) -> None:
    """torch's TypeError where ``fn``'s ``memory_format`` argument is no memory format; None is one where
    ``none_ok`` (torch's optional arguments), not for the methods whose default is a format (contiguous)."""
    if (memory_format is not None or not none_ok) and getattr(memory_format, "name", None) not in _NAMES:
        from .argcheck import typename
        raise TypeError(f"{fn}(): argument 'memory_format' must be torch.memory_format, not "
                        f"{typename(memory_format)}")


def no_positional(fn: str, args) -> None:
    """torch's TypeError for positional arguments to a method whose ``memory_format`` is keyword-only."""
    if args:
        raise TypeError(f"{fn}() takes 0 positional arguments but {len(args)} "
                        f"{'was' if len(args) == 1 else 'were'} given")


def is_memory_format(value) -> bool:
    return getattr(value, "name", None) in _NAMES


_NAMES = ("preserve_format", "contiguous_format", "channels_last", "channels_last_3d")


def format_name(memory_format) -> str:
    """The name of ``memory_format`` (None: preserve_format, torch's default)."""
    if memory_format is None:
        return "preserve_format"
    name = getattr(memory_format, "name", None)
    if name not in _NAMES:
        raise TypeError(f"expected torch.memory_format, but got {type(memory_format).__name__}")
    return name


def asked_strides(t, memory_format):
    """The strides a copy of ``t`` in ``memory_format`` takes (None: contiguous), the format checked."""
    name = format_name(memory_format)
    if name == "preserve_format":
        return preserved_strides(t._shape, t._strides)
    if name == "contiguous_format":
        return None
    return format_strides(t._shape, name)


def copy_as(op, t, memory_format, **attrs):
    """``op`` (a copy: clone, a cast) of ``t`` laid out in ``memory_format``."""
    from .dispatch import apply, apply_as
    if memory_format is None or format_name(memory_format) == "preserve_format":
        return apply(op, t, **attrs)
    return apply_as(op, asked_strides(t, memory_format), t, **attrs)


def is_contiguous_in(t, memory_format) -> bool:
    """``t.is_contiguous(memory_format=)``, as torch's."""
    name = format_name(memory_format)
    if name in ("contiguous_format", "preserve_format"):  # torch reads preserve_format as the default
        return t._contiguous
    return is_contiguous_as(t._shape, t._strides, name)


def contiguous_as(t, memory_format):
    """``t.contiguous(memory_format=)``: ``t`` where it is already, else a copy in that format."""
    name = format_name(memory_format) if memory_format is not None else "contiguous_format"
    if name == "preserve_format" and not t._contiguous:
        raise RuntimeError("preserve memory format is unsupported by the contiguous operator")
    check_format_rank(name, t.dim())
    return t if is_contiguous_in(t, memory_format) else t.clone(memory_format=memory_format)


def keeps_format(t, memory_format) -> bool:
    """Whether ``t.to(memory_format=)`` with no other change returns ``t`` itself, as torch's (which asks
    which format the strides suggest, not whether they are contiguous in it)."""
    name = format_name(memory_format)
    return name == "preserve_format" or suggested_format(t._shape, t._strides) == name


def laid_like(out, input, memory_format):
    """``out``, a fresh contiguous tensor made for a ``*_like`` factory, over its own storage with the
    strides a copy of ``input`` in ``memory_format`` takes; a dense layout, filled in storage order as
    torch's."""
    name = format_name(memory_format)
    if name.startswith("channels"):
        check_format_rank(name, input.dim())
    strides = asked_strides(input, memory_format) if isinstance(input, Tensor) else None
    if strides is None:
        return out
    laid = Tensor._make(out._storage, out._shape, out.dtype, strides)
    laid._requires_grad = out._requires_grad
    return laid


def iterated(result, *operands):
    """``result``, an elementwise function of Tensors ``operands`` (broadcast to its shape), laid out as
    torch's kernel lays out its output when it is a TensorIterator over them in this order (a backward
    kernel's (grad_output, self), where pyfront's result took another operand's layout): a copy where the
    strides a view sees differ, else ``result`` itself (the row-major case: an attribute read per operand)."""
    if not result._odd and not any(t._odd for t in operands):  # all in row-major order: so is torch's
        return result
    return _laid_as_iterated(result, [(t._shape, t._strides) for t in operands])


def _laid_as_iterated(result, layouts):
    """``iterated`` over operands given by their (shape, strides) (none: contiguous)."""
    shape = result._shape
    strides = layouts and result_strides(shape, layouts) or \
        dense_strides(shape, range(len(shape) - 1, -1, -1))
    if all(n == 1 or a == b for n, a, b in zip(shape, strides, result._strides)):
        return result
    from .primitives.elementwise import relaid
    return relaid(result, strides)


def iterated_grads(*order, grads_of=None):
    """Decorator: a composite op (an elementwise function of its Tensor arguments) whose input gradients
    torch's backward kernel computes as a TensorIterator over ``order``: "grad" (the incoming gradient) and
    the positions of the arguments, e.g. ("grad", 0) for a kernel over (grad_output, self); none: contiguous
    gradients (a kernel that clones the gradient contiguous first: masked_fill). ``grads_of``: the positions
    whose gradients are so laid out (by default those in ``order``). pyfront's gradients come from the
    composite's steps, laid out by whichever operand each step takes first; here each gradient of the
    result's shape is laid out as ``order`` picks.

    The row-major case costs an attribute read per argument: only where one of them is laid out otherwise
    (and a gradient is wanted) is the gradient laid out at backward (``_laid_at_backward``). (An odd incoming
    gradient over row-major arguments is left as the steps lay it out.)"""
    positions = tuple(dict.fromkeys([k for k in order if k != "grad"] + list(grads_of or ())))
    laid = tuple(grads_of or positions)

    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            operands = [args[k] for k in positions if k < len(args) and isinstance(args[k], Tensor)]
            if not any(t._odd for t in operands) or not _state.enabled or \
                    not any(t._requires_grad for t in operands):
                return fn(*args, **kwargs)
            layouts = {k: (args[k]._shape, args[k]._strides) for k in positions
                       if k < len(args) and isinstance(args[k], Tensor)}
            lay = functools.partial(_lay_iterated, order, layouts)
            return _laid_at_backward(fn, args, kwargs, {k: lay for k in laid if k in layouts})
        return wrapper
    return deco


def _lay_iterated(order, layouts, d, incoming):
    """``iterated_grads``'s gradient ``d`` of an argument, laid out by the operands in ``order`` (``layouts``:
    the arguments' (shape, strides), ``incoming``: the incoming gradient's)."""
    operands = [incoming if k == "grad" else layouts[k] for k in order if k == "grad" or k in layouts]
    if operands and incoming[0] != d._shape:  # a reduced loss's (a scalar came in): arguments of d's shape
        operands = [o for o in operands if o[0] == d._shape]
        if not operands:  # (a broadcast argument's: reduced from the result's shape)
            return d
    return _laid_as_iterated(d, operands)


def grads_laid_as_inputs(*positions, when=None):
    """Decorator: an op whose backward writes each of the arguments at ``positions`` (default: the first)
    a gradient laid out as that argument, where it is dense (column-major, permuted), as torch's: take's
    put_ into ``zeros_like(input)``, masked_select's masked_scatter, cdist's matmul form (each operand's own
    elementwise steps; an empty one's zeros_like), where pyfront's steps give it row-major. ``when(*args, **kwargs)``: whether the
    call's backward does so (a broadcast input's is a sum: contiguous). The row-major case costs an
    attribute read per argument."""
    positions = positions or (0,)

    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            odd = [k for k in positions if k < len(args) and isinstance(args[k], Tensor) and args[k]._odd
                   and args[k]._requires_grad and non_overlapping_and_dense(args[k]._shape, args[k]._strides)]
            if not odd or not _state.enabled or when is not None and not when(*args, **kwargs):
                return fn(*args, **kwargs)
            return _laid_at_backward(fn, args, kwargs,
                                     {k: functools.partial(_lay_as, args[k]._strides) for k in odd})
        return wrapper
    return deco


def _lay_as(strides, d, incoming):
    """``grads_laid_as_inputs``'s gradient ``d``, laid out with ``strides``."""
    if all(n == 1 or a == b for n, a, b in zip(d._shape, strides, d._strides)):
        return d
    from .primitives.elementwise import relaid
    return relaid(d, strides)


def grads_in_incoming_format(rule):
    """Decorator: a layer whose backward kernel makes its input's gradient in the memory format the incoming
    gradient suggests (upsampling's ``empty(input_size, grad_output.suggest_memory_format())``), whatever
    layout the layer's steps give it. ``rule(*args, **kwargs)``: "suggested" for that, a format name for one
    the kernel takes whatever the incoming gradient's, or None where the steps' layout is torch's. The input
    is the first argument; its gradient is laid out at backward (``_laid_at_backward``) where one is
    wanted."""
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if not _state.enabled or not args or not isinstance(args[0], Tensor) or \
                    not args[0]._requires_grad:
                return fn(*args, **kwargs)
            name = rule(*args, **kwargs)
            if name is None:
                return fn(*args, **kwargs)
            return _laid_at_backward(fn, args, kwargs, {0: functools.partial(_lay_in_format, name)})
        return wrapper
    return deco


def incoming_suggested(*args, **kwargs) -> str:
    """``grads_in_incoming_format``'s rule of a layer whose backward is another layer over the incoming
    gradient, laid out in the format that gradient suggests whatever the call (the pixel shuffles)."""
    return "suggested"


def _lay_in_format(name, d, incoming):
    """``grads_in_incoming_format``'s input gradient ``d``: in format ``name``, or ("suggested") in the one
    the incoming gradient's (shape, strides) suggest."""
    return in_format(d, suggested_format(*incoming) if name == "suggested" else name)


def _laid_at_backward(fn, args, kwargs, lays):
    """``fn(*args, **kwargs)`` whose arguments' gradients are laid out once the incoming gradient is known:
    ``lays`` maps an argument's position to ``lay(gradient, incoming gradient's (shape, strides))``. Two
    pass-through nodes: one at the result that notes the incoming gradient's layout (the composite's node,
    which its ``records`` presents as torch's), one per argument that lays its gradient out by it."""
    seen = [None]
    args = list(args)
    for k, lay in lays.items():
        if args[k]._requires_grad:
            args[k] = _GradLaidOut.apply(args[k], seen, lay)
    out = fn(*args, **kwargs)
    return _GradSeen.apply(out, seen) if isinstance(out, Tensor) and out._requires_grad else out


class _GradSeen(Function):
    """``_laid_at_backward``'s identity at the result: notes the layout of the gradient that comes in."""

    @staticmethod
    def forward(ctx, out, seen):
        ctx.seen = seen
        return out.detach()  # (its memory and version counter, as a new node's output)

    @staticmethod
    def backward(ctx, g):
        ctx.seen[0] = (g._shape, g._strides)
        return g, None


class _GradLaidOut(Function):
    """``_laid_at_backward``'s identity at an argument: lays its gradient out by the incoming gradient's
    layout that ``_GradSeen`` noted."""

    @staticmethod
    def forward(ctx, x, seen, lay):
        ctx.seen, ctx.lay = seen, lay
        return x.detach()

    @staticmethod
    def backward(ctx, d):
        incoming = ctx.seen[0]
        return (d if incoming is None else ctx.lay(d, incoming)), None, None


def suggested(t) -> str:
    """The memory format ``t``'s strides suggest (torch's ``suggest_memory_format``; not a Tensor:
    contiguous_format, the layer's own checks refuse it)."""
    return suggested_format(t._shape, t._strides) if isinstance(t, Tensor) else "contiguous_format"


def lays_out(rule, grads: int = 1, as_given: bool = False, batched: int | None = None, unbatched=None):
    """Decorator: a layer whose results (and its first argument's gradient) torch lays out in a memory
    format that the inputs' layouts pick, computed here in the contiguous layout and laid out after.
    ``rule(*args, **kwargs)`` gives (the results' format, the input gradient's format or None: as it
    comes), or None where the body's own layout is torch's (the usual contiguous case, at no cost). The
    input is the first Tensor argument; ``grads``: how many leading positional Tensor arguments (of the
    input's rank) take the input gradient's format (2 for a convolution: torch's weight gradient too);
    ``as_given``: their values keep their own (dense) layout, for a body whose results follow it.
    ``batched``: the rank of the layer's batched input, where it takes an unbatched one (one dim fewer) as
    torch does, on a batch of one: the rule judges that batched view and the formats are the batch's
    (a channels-last unbatched image: channels innermost), where some argument is not contiguous; by the rule
    ``unbatched`` where the kernel judges that batch its own way (3-d max pooling's)."""
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            lead = 0 if batched is None else _unbatched(args, batched)  # (no call for most layers)
            try:
                formats = rule(*args, **kwargs) if not lead else \
                    (unbatched or rule)(args[0].detach().unsqueeze(0), *args[1:], **kwargs)
            except TypeError:  # an argument left out: the layer's own words (Python's, in its name)
                return fn(*args, **kwargs)
            if formats is None:
                return fn(*args, **kwargs)
            out_format, grad_format = formats
            if grad_format is not None and _state.enabled:
                args = _grads_in_format(args, grad_format, grads, as_given, lead)
            out = fn(*args, **kwargs)
            if out_format is None:  # (the results as the body lays them out)
                return out
            if isinstance(out, tuple):
                return type(out)(in_format(o, out_format, lead) for o in out) if type(out) is tuple else \
                    type(out)(*(in_format(o, out_format, lead) for o in out))
            return in_format(out, out_format, lead)
        return wrapper
    return deco


def _unbatched(args, batched) -> int:
    """1 where ``lays_out``'s layer of batched rank ``batched`` is given an unbatched input and some
    argument is not contiguous (its rule then judges the batch of one torch makes), else 0."""
    if not args or not isinstance(args[0], Tensor) or args[0].dim() != batched - 1:
        return 0
    return int(any(isinstance(a, Tensor) and not a._contiguous for a in args))


def _grads_in_format(args, name, count, as_given, lead=0):
    """``args`` with the first ``count`` positional Tensors (of the first one's rank) that require grad
    relaid so that their gradients come out in memory format ``name`` (their values contiguous, or with
    ``as_given`` in their own layout where it is dense); ``lead``: 1 where the first is unbatched (its
    format is its batch of one's; the others are judged at their own rank)."""
    from .primitives.elementwise import relaid
    args, rank = list(args), None
    for i, a in enumerate(args):
        if not isinstance(a, Tensor):
            continue
        first = rank is None
        rank = a.dim() if first else rank
        extra = lead if first else 0  # (the unbatched input's format: its batch of one's)
        fits = format_rank(name) in (None, a.dim() + extra) and (first or lead or a.dim() == rank)
        if a._requires_grad and fits:
            kept = a._strides if as_given and non_overlapping_and_dense(a._shape, a._strides) else None
            args[i] = relaid(a, kept, _format_strides_of(a, name, extra))
        count -= 1
        if count == 0:
            break
    return tuple(args)


def _format_strides_of(t, name, lead=0):
    """The strides of ``t`` in memory format ``name``; ``lead``: 1 for an unbatched ``t`` (its batch of one's
    strides, less the batch dim's)."""
    return format_strides((1,) * lead + tuple(t._shape), name)[lead:]


def in_format(t, name, lead=0):
    """``t`` laid out in memory format ``name`` (``t`` itself where it is already, or of another rank): a copy
    that records a CloneBackward0 node where a gradient flows. ``lead``: 1 for an unbatched ``t`` (laid out
    as its batch of one would be)."""
    from .primitives.elementwise import relaid
    if not isinstance(t, Tensor) or format_rank(name) not in (None, t.dim() + lead):
        return t
    # the very strides torch's kernel gives (a size-1 dim's too), not only a layout contiguous in the format
    strides = _format_strides_of(t, name, lead)
    return t if t._strides == strides else relaid(t, strides)


def in_column_major(t):
    """``t`` laid out as LAPACK leaves a batch of matrices, as torch returns its linalg kernels' results (each
    matrix's columns contiguous): a copy that records a CloneBackward0 node where a gradient flows, or ``t``
    itself where it is already."""
    from .primitives.elementwise import relaid
    strides = column_major_strides(t._shape)
    if strides is None or all(n == 1 or a == b for n, a, b in zip(t._shape, strides, t._strides)):
        return t
    return relaid(t, strides)


def like_input(input, *args, **kwargs):
    """``lays_out``'s rule of a layer whose kernel makes its result and input gradient in the format its
    input suggests, channels-last or else contiguous (pooling, upsampling, padding, pixel shuffles,
    group_norm)."""
    if not isinstance(input, Tensor) or input._contiguous:
        return None
    name = suggested(input)
    return name, name


def channels_last_only(batch_of_one, *args, **kwargs):
    """``lays_out``'s ``unbatched`` rule of 3-d max pooling: torch's CPU kernel pools an unbatched input as its
    batch of one, channels-last where that batch is contiguous only so (channels innermost, which torch's
    suggest_memory_format does not see through the batch dim's stride), else contiguous."""
    if batch_of_one._contiguous or not is_contiguous_as(batch_of_one._shape, batch_of_one._strides,
                                                        "channels_last_3d"):
        return None
    return "channels_last_3d", "channels_last_3d"


def like_input_or_weight(input, weight, *args, **kwargs):
    """``lays_out``'s rule of a convolution: a channels-last input or weight (of the input's rank) makes the
    result and the input gradient channels-last, as torch's CPU kernels (mkldnn's and the slow ones) pick."""
    if not isinstance(input, Tensor) or not isinstance(weight, Tensor) or \
            input._contiguous and weight._contiguous:
        return None
    name = suggested(input)
    if name == "contiguous_format" and weight.dim() == input.dim():
        name = suggested(weight)
    return name, name


def like_input_or_weight_3d(input, weight, *args, **kwargs):
    """``lays_out``'s rule of a 3-d convolution: ``like_input_or_weight``'s, but a batch of one (an unbatched
    input's too) makes its result and gradients contiguous whatever the layouts, as torch's CPU kernels pick
    (measured)."""
    formats = like_input_or_weight(input, weight)
    if formats is None or input.dim() == 0 or input.shape[0] != 1:
        return formats
    return "contiguous_format", "contiguous_format"


def like_weight(input, weight, *args, **kwargs):
    """``lays_out``'s rule of a 1-d convolution, which torch runs as a 2-d one over a height of 1: a weight
    whose 2-d view is channels-last (a column-major 1-d weight) makes its result and gradients channels-last
    there, whatever the input's layout (measured: a column-major input with a row-major weight stays
    contiguous)."""
    if not isinstance(weight, Tensor) or weight._contiguous:
        return None
    name = suggested(weight)
    return name, name


def suggested_result(input, *args, **kwargs):
    """``lays_out``'s rule of a layer whose kernel makes its result in the format its input suggests but
    whose input gradient is an elementwise one's, laid out by the gradients' own layouts (batch_norm)."""
    formats = like_input(input)
    return formats and (formats[0], None)


def like_all_inputs(tensors, *args, **kwargs):
    """``lays_out``'s rule of cat: the format its inputs all suggest, else contiguous (as its kernel picks
    its result's); their gradients are slices of the result's."""
    if not isinstance(tensors, (list, tuple)) or not tensors or \
            all(isinstance(t, Tensor) and t._contiguous for t in tensors):
        return None
    names = {suggested(t) for t in tensors}
    return (names.pop() if len(names) == 1 else "contiguous_format"), None


def rolled(input, shifts, dims=None):
    """``lays_out``'s rule of roll: along dims, the format its input suggests (its kernel's); flattened,
    contiguous."""
    # (dims as given: an int, a NumPy integer, a sequence; an empty sequence is a flattened roll)
    flattened = dims is None or isinstance(dims, (tuple, list)) and len(dims) == 0
    return contiguous_result(input) if flattened else like_input(input)


def contiguous_result(input, *args, **kwargs):
    """``lays_out``'s rule of a layer whose result and input gradient torch makes contiguous whatever its
    input's layout (instance_norm, layer_norm, log_sigmoid, avg_pool3d)."""
    return None if not isinstance(input, Tensor) or input._contiguous else \
        ("contiguous_format", "contiguous_format")


def contiguous_gradients(input, target, *args, **kwargs):
    """``lays_out``'s rule of a pointwise loss whose kernel's backward makes the input's and the target's
    gradients contiguous (zeros_like(input, contiguous) filled in: smooth_l1_loss, huber_loss), its result
    as its elementwise steps lay it out."""
    tensors = [t for t in (input, target) if isinstance(t, Tensor)]
    return None if all(t._contiguous for t in tensors) else (None, "contiguous_format")


def contiguous_result_of_all(*args, **kwargs):
    """``lays_out``'s rule of a layer whose result torch makes contiguous whatever its Tensor arguments'
    layouts (a fresh output its kernel fills: nll_loss's per-element losses), whichever of them the body's
    elementwise steps would follow; its gradients as they come."""
    return None if all(a._contiguous for a in args if isinstance(a, Tensor)) else ("contiguous_format", None)


def contiguous_result_always(*args, **kwargs):
    """``lays_out``'s rule of a layer whose result torch makes contiguous where the body's steps may move its
    dims whatever the inputs' layouts (diag_embed's movedim); its gradients as they come."""
    return "contiguous_format", None


def contiguous_result_only(input, *args, **kwargs):
    """``lays_out``'s rule of a layer whose result torch makes contiguous whatever its input's layout, its
    input gradient a view or an elementwise one's of the gradients' own layouts (diag_embed)."""
    return None if not isinstance(input, Tensor) or input._contiguous else ("contiguous_format", None)
