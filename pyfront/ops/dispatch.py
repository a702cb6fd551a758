"""dispatch: run one registry op on its inputs' device and record it for autograd.

The common case, an elementwise op without attributes on tensors of one dtype and device, follows
a plan made once per (op, dtype, backend): its output dtypes and the backend's function that runs
it, so such a call is a dict look-up, that function and the wrapping of its result. Two-operand
ops (the arithmetic operators) take ``fold``, the same plan without apply's tuples and loops, in the
operator's own frame: at a 1,000-element add every Python call and object on the path is a visible
share of the cost.
"""
from __future__ import annotations

import math

from ..autograd.dual import ON as _DUAL, through_op
from ..autograd.graph import OpNode
from ..autograd.grad_mode import _state, _vmap_blocks
from ..backends import get_backend, on_replace
from ..backends.storage import Layout
from ..shape import Size, is_contiguous
from ..strides_order import column_major_strides, preserved_strides, result_strides
from ..tensor import Tensor, _fresh, _fresh_laid
from .common import scalar_tensor
from .cpu_fallback import run_on_cpu
from .shell import REFUSED_NAMES, SHELL, refuse

_new_layout = tuple.__new__

# (op, dtype, device type[, attributes]) -> (output dtypes, run(layouts, shape)). Keyed by the device
# type, not its backend (asking which backend costs as much as the rest of the look-up): a lost GPU's
# backend is replaced, and its plans go with it
_PLANS: dict = {}
on_replace(lambda: _PLANS.clear())
MAX_PLANS = 4096  # more than every elementwise op by every dtype on two backends (a cast: one per target)


def check_same_device(inputs):
    dev = inputs[0].device
    for t in inputs[1:]:
        if t.device != dev:
            if "meta" in (dev.type, t.device.type):  # torch's meta kernels name the one they expected
                raise RuntimeError(f"Tensor on device {t.device} is not on the expected device {dev}!")
            raise RuntimeError("Expected all tensors to be on the same device, but found at least "
                               f"two devices, {dev} and {t.device}!")
    return dev


def _on_one_device(inputs):
    dev = inputs[0]._storage.device
    for t in inputs:
        if t._storage.device is not dev:  # backends keep one device object each
            break
    else:
        return inputs, dev
    # PyTorch lets 0-d cpu tensors (numbers) join GPU tensors: they move to the GPU the op runs on
    gpu = next((t.device for t in inputs if t.device.type != "cpu"), dev)
    moved = tuple(t.to(gpu) if t.device.type == "cpu" and t.dim() == 0 else t for t in inputs)
    return moved, check_same_device(moved)


def _plan(op, inputs, dtype, backend, key, attrs):
    """The plan for an elementwise ``op`` on ``inputs`` of one ``dtype`` on ``backend``'s device:
    (output dtypes, run(layouts, shape)), made at the first such call (an elementwise rule's output
    dtypes depend on the input dtypes alone, and on ``attrs``, a part of ``key``); False where the
    general path runs it (a shell dtype's op: whether torch has its kernel depends on the operands'
    shapes)."""
    if dtype in SHELL:
        refuse(op.name, inputs)
        return _store(key, False)
    dtypes = tuple(d for _, d in op.infer(*inputs, **attrs))
    fallback = inputs[0].device.type != "cpu" and op.extra.get("cpu_fallback")
    return _store(key, False if fallback else (dtypes, backend.plan(op, dtype, dtypes, attrs)))


def forget_plans() -> None:
    """Drop every plan: the next call of each op asks its backend again (a profiler times what it gives)."""
    _PLANS.clear()


def _store(key, plan):
    """``plan`` kept under ``key`` (the cache emptied first when full: it stays bounded); returns it."""
    if len(_PLANS) >= MAX_PLANS:
        _PLANS.clear()
    _PLANS[key] = plan
    return plan


def apply(op, *inputs, _name=None, **attrs):
    """Run ``op`` on Tensors ``inputs``; returns one Tensor or a tuple (multi-output ops).

    ``_name`` overrides the graph node's name where PyTorch names one op several ways
    (``t()`` records TBackward0, ``transpose`` TransposeBackward0, both are permutes here).
    """
    kind = op.kind
    plan = None
    # inline, not a helper's call: this runs for every op. An op whose few attributes settle its
    # output dtype and rule (a cast's dtype) is planned per value of them
    if kind == "elementwise" and (not attrs or (spelled := op.extra.get("plan_attrs"))):
        first = inputs[0]
        dtype, device, shape = first.dtype, first._storage.device, first._shape
        layouts = []
        odd = False
        for t in inputs:
            if t.dtype is not dtype or t._storage.device is not device:
                break
            if t._shape != shape:  # broadcasting: the rule says the shape
                shape = None
            if t._odd:  # the output takes the inputs' layout (a copy's its input's: the general path's)
                if op.extra.get("copies_layout"):
                    break
                odd = True
            layouts.append(t._layout)
        else:
            # (``plan_attrs`` True: the values as they are; a function: the values spelled apart where
            # == would merge two the rule tells apart, as clamp's -0.0 and 0.0 bounds)
            key = ((op, dtype, device.type, *(attrs.values() if spelled is True else spelled(attrs)))
                   if attrs else (op, dtype, device.type))
            plan = _PLANS.get(key)
            if plan is None:
                plan = _plan(op, inputs, dtype, get_backend(device), key, attrs)
    if plan:
        dtypes, run = plan
        if shape is None:
            shape = Size(op.infer(*inputs, **attrs)[0][0])
        if odd:
            return _finish(op, inputs, laid_out(run, inputs, layouts, shape, dtypes), attrs, _name)
        storages = run(layouts, shape)
        if len(dtypes) == 1:
            out = _fresh(storages[0], shape, dtypes[0])
            if _vmap_blocks[0]:
                mark_batched(inputs, (out,))
            if _state.enabled and op.vjp is not None:
                for t in inputs:
                    if t._requires_grad:
                        _record(op, inputs, (out,), attrs, _name)
                        break
            if _DUAL[0]:
                through_op(op, inputs, (out,), attrs)
            return out
        outs = tuple([_fresh(s, shape, d) for s, d in zip(storages, dtypes)])
    elif kind == "view":
        src = inputs[0]
        shape, strides, offset = op.infer(src._shape, src._strides, src._offset, **attrs)
        outs = (src._view(shape, strides, offset),)
    else:
        inputs, device = _on_one_device(inputs)
        outs = _run(op, inputs, attrs, device, kind == "elementwise")
    return _finish(op, inputs, outs, attrs, _name)


def select(op, mask, x, y):
    """``apply(op, mask, x, y)`` for a selection (where) of Tensors ``x`` and ``y`` of one dtype by a bool
    ``mask``, all on one device, by the plan of ``x``'s dtype (apply plans only operands of one dtype, and
    the mask's bool kept where from it: ~12 us of a 1,000-element where's 17); any other case (operands on
    two devices, a dtype without a plan) takes apply."""
    dtype, device = x.dtype, x._storage.device
    if y.dtype is dtype and mask._storage.device is device and y._storage.device is device:
        key = (op, "masked", dtype, device.type)  # (apply's plan of a one-dtype where: a key of its own)
        plan = _PLANS.get(key)
        if plan is None:
            plan = _plan(op, (mask, x, y), dtype, get_backend(device), key, {})
        if plan:
            (out_dtype,), run = plan
            inputs = (mask, x, y)
            # the one shape of those not 0-d (a number's 0-d operand broadcasts to it), else the rule's
            xs, ys, ms = x._shape, y._shape, mask._shape
            shape = xs or ys or ms
            if ys and ys != shape or ms and ms != shape:
                shape = Size(op.infer(mask, x, y)[0][0])
            layouts = [mask._layout, x._layout, y._layout]
            if mask._odd or x._odd or y._odd:  # the output takes their layout
                (out,) = laid_out(run, inputs, layouts, shape, (out_dtype,))
            else:
                out = _fresh(run(layouts, shape)[0], shape, out_dtype)
            if _vmap_blocks[0]:
                mark_batched(inputs, (out,))
            if (x._requires_grad or y._requires_grad) and _state.enabled:
                _record(op, inputs, (out,), {}, None)
            if _DUAL[0]:
                through_op(op, inputs, (out,), {})
            return out
    return apply(op, mask, x, y)


def apply_like(like, op, *inputs, **attrs):
    """``apply(op, *inputs, **attrs)`` for an op whose results (of ``like``'s shape) torch's kernel makes as
    ``empty_like(like)``: laid out as a copy of ``like`` (preserve_format) where ``like`` is out of row-major
    order, else contiguous (the usual case, at the cost of one attribute read)."""
    if not like._odd:
        return apply(op, *inputs, **attrs)
    return apply_laid(op, preserved_strides(like._shape, like._strides), *inputs, **attrs)


def apply_laid(op, strides, *inputs, **attrs):
    """``apply(op, *inputs, **attrs)`` whose results torch's kernel lays out with ``strides`` (None: as the op
    makes them, row-major)."""
    inputs, device = _on_one_device(inputs)
    outs = _run(op, inputs, attrs, device, False)
    if strides is not None:  # a copy in those strides, outside the graph: the op's own node records
        from .registry import OPS
        outs = tuple([_run(OPS["relaid"], (o,), {"back": None}, device, True, strides)[0] for o in outs])
    return _finish(op, inputs, outs, attrs, None)


def apply_column_major(op, matrices, *inputs, **attrs):
    """``apply(op, *inputs, **attrs)`` for a LAPACK-backed op whose outputs ``matrices`` (their indices)
    torch returns in column-major order (each matrix's columns contiguous, the batch outside them), as
    LAPACK writes them: so laid out, a copy outside the graph (the op's own node records)."""
    inputs, device = _on_one_device(inputs)
    outs = list(_run(op, inputs, attrs, device, False))
    from .registry import OPS
    for k in matrices:
        o = outs[k]
        strides = column_major_strides(o._shape)
        if strides is not None:
            outs[k] = _run(OPS["relaid"], (o,), {"back": None}, device, True, strides)[0]
    return _finish(op, inputs, tuple(outs), attrs, None)


def _finish(op, inputs, outs, attrs, name):
    """``outs`` marked batched (in vmap) and recorded for autograd where a gradient can flow; the one output
    or the tuple of them."""
    if _vmap_blocks[0]:
        mark_batched(inputs, outs)
    # the graph is recorded only where a gradient can flow (a plain loop: no generator per op)
    if _state.enabled and op.vjp is not None:
        for t in inputs:
            if t._requires_grad:
                _record(op, inputs, outs, attrs, name)
                break
    if _DUAL[0]:  # forward AD: the outputs' tangents, whatever grad mode says
        through_op(op, inputs, outs, attrs)
    return outs[0] if len(outs) == 1 else outs


def _run(op, inputs, attrs, device, laid_out, strides=None):
    """``op``'s outputs on ``inputs`` (on one ``device``) by its backend's general run. ``laid_out``: an
    elementwise op, whose outputs have the ``strides`` given, or else those torch's TensorIterator gives
    them from the inputs' layouts (None: contiguous)."""
    if op.name in REFUSED_NAMES and inputs[0].dtype in SHELL:  # torch dispatches on the leading operand
        refuse(op.name, inputs)
    meta = op.infer(*inputs, **attrs)
    layouts = [t._layout for t in inputs]
    if laid_out and meta:
        shape = tuple(meta[0][0])
        if strides is None and any(t._odd for t in inputs):
            strides = (preserved_strides(shape, inputs[0]._strides) if op.extra.get("copies_layout")
                       else result_strides(shape, [(t._shape, t._strides) for t in inputs]))
        if strides is not None:
            # computed contiguous over the dims in the output's order, outermost first: the backends
            # read strided inputs, and the storage they return is the output laid out as wanted
            order = sorted(range(len(shape)), key=lambda d: -strides[d])
            layouts = [_permuted(lay, shape, order) for lay in layouts]
            meta = [(tuple(s[d] for d in order), dtype) for s, dtype in meta]
    if device.type != "cpu" and op.extra.get("cpu_fallback") and device.type != "meta":  # (meta: no values)
        storages = run_on_cpu(op, layouts, attrs, meta, device)
    else:
        storages = get_backend(device).run(op, layouts, attrs, meta)
    if laid_out and meta and strides is not None:
        return tuple([Tensor._make(s, shape, dtype, strides) for s, (_, dtype) in zip(storages, meta)])
    return tuple([Tensor._make(s, shape, dtype) for s, (shape, dtype) in zip(storages, meta)])


# (result shape, each input's (shape, strides)) -> (the result's strides, whether they are contiguous, its
# shape with its dims outermost first, each input's (shape, strides, contiguous, bytes) read in that order),
# or None: contiguous. Bounded as the plans are
_LAID: dict = {}


def laid_out(run, inputs, layouts, shape, dtypes):
    """The outputs of a plan's ``run`` on ``inputs`` (their ``layouts``), some with strides other than the
    row-major ones: computed contiguous over the dims in the order torch's TensorIterator lays the result
    out (the backends read strided inputs), with that layout's strides. The order and the inputs' readings
    in it are worked out once per set of input layouts: an op on a transposed or channels-last input costs
    a look-up and a Layout per input more than on a contiguous one."""
    key = (shape, *[(t._shape, t._strides) for t in inputs])
    laid = _LAID.get(key, False)
    if laid is False:
        laid = _LAID[key] = _laying(shape, inputs)
        if len(_LAID) > MAX_PLANS:
            _LAID.clear()
    if laid is None:
        return tuple([_fresh(s, shape, d) for s, d in zip(run(layouts, shape), dtypes)])
    strides, contiguous, permuted, reads = laid
    # each input's Layout in that order, by index (a field's name costs a call): whole where it reads its
    # storage contiguously from the start to the end (Layout.whole)
    storages = run([lay if read is None else _new_layout(Layout, (
        lay[0], read[0], read[1], lay[3], lay[4], read[2],
        read[2] and not lay[3] and lay[0].nbytes == read[3])) for lay, read in zip(layouts, reads)], permuted)
    return tuple([_fresh_laid(s, shape, d, strides, contiguous) for s, d in zip(storages, dtypes)])


def _laying(shape, inputs):
    """``laid_out``'s entry for ``inputs`` and a result of ``shape``."""
    strides = result_strides(shape, [(t._shape, t._strides) for t in inputs])
    if strides is None:
        return None
    order = sorted(range(len(shape)), key=lambda d: -strides[d])
    reads = []
    for t in inputs:  # (a 0-d one, a number, is read as it is: the backends broadcast it)
        read = _permuted(t._layout, shape, order) if t._shape else None
        reads.append(read and (read.shape, read.strides, read.contiguous,
                               math.prod(read.shape) * t.dtype.itemsize))
    return strides, is_contiguous(shape, strides), tuple(shape[d] for d in order), reads


def _permuted(layout, shape, order):
    """``layout`` broadcast to ``shape``'s rank (leading size-1 dims) and its dims taken in ``order``."""
    lead = len(shape) - len(layout.shape)
    size, strides = (1,) * lead + tuple(layout.shape), (0,) * lead + tuple(layout.strides)
    return Layout(layout.storage, tuple(size[d] for d in order), tuple(strides[d] for d in order),
                  layout.offset, layout.dtype)


def apply_as(op, strides, *inputs, **attrs):
    """``apply(op, *inputs, **attrs)`` for an elementwise ``op`` whose outputs take ``strides`` (a copy in
    an asked memory format; None: contiguous), whatever the inputs' layouts."""
    inputs, device = _on_one_device(inputs)
    # contiguous (None): the backend's plain run, which reads strided inputs into a row-major result
    return _finish(op, inputs, _run(op, inputs, attrs, device, strides is not None, strides), attrs, None)


# the plain numbers a fold takes, and the dtype kinds each keeps (an int keeps an integer or float
# tensor's dtype, a float a float tensor's); a bool number is left to the general path's checks
_KEEPS = {int: "if", float: "f"}


def fold(op, dtypes, slow, reflected=False):
    """``slow(x, y)``, an operator or function of ``op`` (Tensor ``x``), with its commonest cases run
    here in one frame: ``y`` a Tensor of x's dtype and device, or a plain number that keeps x's dtype
    (made the 0-d tensor ``scalar_tensor`` caches, as promotion makes it). ``dtypes``: those x may
    have, where ``slow`` hands ``op`` such operands unchanged (no float-only cast, no refused bool).
    Each Python frame is a visible share of a 1,000-element add: ``a + b`` was four before the plan.
    ``reflected``: ``y op x`` (``2 - a``) with a number ``y``, taken only where no graph is recorded
    (a reflected op names its node its own way)."""

    def entry(x, y):
        dtype = x.dtype
        if dtype in dtypes:
            device = x._storage.device
            if isinstance(y, Tensor):
                if y.dtype is not dtype or y._storage.device is not device or reflected:
                    return slow(x, y)
                a, b = x, y
            elif dtype.kind in _KEEPS.get(type(y), "") and not x._wrapped_number:
                if reflected:
                    if x._requires_grad:
                        return slow(x, y)
                    a, b = scalar_tensor(y, dtype, device), x
                else:
                    a, b = x, scalar_tensor(y, dtype, device)
            else:
                return slow(x, y)
            plan = _PLANS.get((op, dtype, device.type))
            if plan:  # apply's planned path, for two tensors spelled out (no tuples, loops or lists)
                (out_dtype,), run = plan  # one output: every two-operand elementwise op
                shape = a._shape
                if b._shape != shape and b._shape:  # broadcasting (a 0-d b, a number, keeps a's shape)
                    shape = b._shape if not shape else Size(op.infer(a, b)[0][0])
                if a._odd or b._odd:  # the output takes their layout
                    (out,) = laid_out(run, (a, b), [a._layout, b._layout], shape, (out_dtype,))
                else:
                    out = _fresh(run([a._layout, b._layout], shape)[0], shape, out_dtype)
                if _vmap_blocks[0]:
                    mark_batched((a, b), (out,))
                if (a._requires_grad or b._requires_grad) and _state.enabled and op.vjp is not None:
                    _record(op, (a, b), (out,), {}, None)
                if _DUAL[0]:
                    through_op(op, (a, b), (out,), {})
                return out
        return slow(x, y)  # the first call of a dtype (it makes the plan), or any other case

    entry.__name__ = getattr(slow, "__name__", op.name)
    entry.per_op = True  # (argcheck words a refused call of it without a wrapper: none on this path)
    return entry


def fold_unary(op, dtypes, slow):
    """``slow(input)``, the public function of a one-operand elementwise ``op``, with its commonest
    case run here in one frame, as ``fold`` runs two operands: ``input`` a Tensor of one of ``dtypes``
    (those ``slow`` hands ``op`` unchanged), by the op's plan."""

    def entry(input):
        if isinstance(input, Tensor):
            dtype = input.dtype
            if dtype in dtypes:
                plan = _PLANS.get((op, dtype, input._storage.device.type))
                if plan:  # apply's planned path for one tensor
                    (out_dtype,), run = plan
                    shape = input._shape
                    if input._odd:  # the output takes its layout
                        (out,) = laid_out(run, (input,), [input._layout], shape, (out_dtype,))
                    else:
                        out = _fresh(run([input._layout], shape)[0], shape, out_dtype)
                    if _vmap_blocks[0]:
                        mark_batched((input,), (out,))
                    if input._requires_grad and _state.enabled and op.vjp is not None:
                        _record(op, (input,), (out,), {}, None)
                    if _DUAL[0]:
                        through_op(op, (input,), (out,), {})
                    return out
        return slow(input)  # the first call of a dtype (it makes the plan), or any other case

    entry.__name__, entry.__doc__, entry.__wrapped__ = slow.__name__, slow.__doc__, slow
    entry.per_op = True  # (as fold's)
    entry.folds = op, dtypes  # as a binary function's: in-place, the op runs into its input (``into``)
    return entry


def into(op, dtypes, self, args):
    """``op(self, *args)`` computed into ``self``'s own memory, as an in-place op writes, where the op's
    plan can: ``args`` none or one operand of the kind ``fold`` takes (a Tensor of self's dtype and device,
    or a number that keeps its dtype), ``self``'s dtype one of ``dtypes``, and the result of self's shape
    and dtype. Returns True where it wrote self (the caller bumps the version), the result as a new Tensor
    where the backend made one (the caller assigns it), None where nothing ran. The caller has settled what
    the write needs first (no autograd record, no overlap, not in vmap)."""
    dtype = self.dtype
    if dtype not in dtypes or len(args) != op.arity - 1:
        return None
    device, shape = self._storage.device, self._shape
    if args:
        (y,) = args
        if isinstance(y, Tensor):
            if y.dtype is not dtype or y._storage.device is not device:
                return None
            if y._shape != shape and y._shape and Size(op.infer(self, y)[0][0]) != shape:
                return None  # other broadcasts self to a larger shape: the assignment's error
        elif dtype.kind in _KEEPS.get(type(y), "") and not self._wrapped_number:
            y = scalar_tensor(y, dtype, device)
        else:
            return None
        layouts = [self._layout, y._layout]
    else:
        layouts = [self._layout]
    plan = _PLANS.get((op, dtype, device.type))
    if not plan or plan[0] != (dtype,):  # not planned yet (the first call makes it), or another dtype out
        return None
    storage = plan[1](layouts, shape, self._layout)[0]
    return True if storage is self._storage else _fresh(storage, shape, dtype)


def product_read_as(op, operands, read, **attrs):
    """``apply(op, *operands, **attrs)`` for a matrix product, computed on ``read`` (plain tensors the
    kernel reads in the operands' place: a conj view's memory, which ``attrs`` tell it to conjugate) and
    recorded on ``operands``, as their product."""
    return _finish(op, operands, (apply(op, *read, **attrs),), attrs, None)


def product(op, shape, operands, **attrs):
    """``apply(op, *operands, **attrs)`` for a matrix product (mm, bmm, addmm: the bias first) whose
    operands the caller has checked (their ranks, sizes and one dtype) and whose output ``shape`` (a Size)
    it knows, by a plan made once per (op, dtype, device type): the backend's function of the operands'
    layouts, so no rule, meta or layout list is made per call (an MLP step makes eight products). A
    backend without such a plan, float16, operands on two devices and empty results take ``apply``'s
    general path."""
    device = operands[-1]._storage.device
    dtype = operands[-1].dtype
    for t in operands:
        if t._storage.device is not device:
            break
    else:
        if 0 not in shape:
            key = (op, dtype, device.type, *attrs.values())
            plan = _PLANS.get(key)
            if plan is None:
                refuse(op.name, operands)
                # a shell dtype's product is never planned: whether torch has its kernel depends on the
                # call (a WHOLE composite's inner product computes, the same product called alone refuses)
                plan = _store(key, dtype not in SHELL and get_backend(device).plan_product(op, dtype, attrs)
                              or False)
            if plan:
                out = _fresh(plan([t._layout for t in operands], shape), shape, dtype)
                if _vmap_blocks[0]:
                    mark_batched(operands, (out,))
                if _state.enabled:
                    for t in operands:
                        if t._requires_grad:
                            _record(op, operands, (out,), attrs, None)
                            break
                if _DUAL[0]:
                    through_op(op, operands, (out,), attrs)
                return out
    return apply(op, *operands, **attrs)


def mark_batched(inputs, outs):
    """Inside vmap: an op's outputs are one value per sample (torch's BatchedTensor) at every level one of
    its inputs is (vmap's per-sample slices start it), so .item(), bool() and in-place writes of them
    refuse as torch's do; what only unbatched tensors (captured ones, factories' results) make is not."""
    batched = 0
    for t in inputs:
        batched |= t._batched
    if batched:
        for o in outs:
            o._batched |= batched


def _record(op, inputs, outs, attrs, name):
    name = name or (op.grad_fn(inputs, attrs) if op.grad_fn else None)  # torch's node for this overload
    node = OpNode(op, inputs, outs, attrs, tuple([t._edge() for t in inputs]), name)
    for i in op.differentiable_outputs:
        o = outs[i]
        if o.dtype.kind in "fc":
            o._grad_fn, o._output_nr, o._requires_grad = node, i, True


def reduce(op, input, _name=None, **attrs):
    """``apply(op, input, **attrs)`` for a reduction (``attrs``: its dims, keepdim and the like, all
    hashable), by a plan made once per (op, dtype, device type, input shape, attributes): the output's
    shape and dtype and the backend's function that computes it, so no rule, meta or layout list is
    made per call. The zero-size cases and cpu-fallback ops take ``apply``'s general path."""
    device = input._storage.device
    key = (op, input.dtype, device.type, input._shape, *attrs.values())
    plan = _PLANS.get(key)
    if plan is None:
        refuse(op.name, (input,))
        ((shape, dtype),) = op.infer(input, **attrs)
        # (a shell dtype's reduction is not planned either: see product)
        general = 0 in shape or 0 in input._shape or input.dtype in SHELL or (
            device.type != "cpu" and op.extra.get("cpu_fallback"))
        # a backend that stores a dtype wider than its width (webgpu's bool) has its outputs' layouts
        # made by _make, which tells whether they are whole
        make = _fresh if device.type == "cpu" else Tensor._make
        plan = _store(key, False if general else (
            Size(shape), dtype, get_backend(device).plan_reduction(op, input.dtype, dtype, attrs, shape),
            make))
    if not plan:
        return apply(op, input, _name=_name, **attrs)
    shape, dtype, run, make = plan
    out = make(run(input._layout), shape, dtype)
    if _vmap_blocks[0]:
        mark_batched((input,), (out,))
    if input._requires_grad and _state.enabled and op.vjp is not None:
        _record(op, (input,), (out,), attrs, _name)
    if _DUAL[0]:
        through_op(op, (input,), (out,), attrs)
    return out
