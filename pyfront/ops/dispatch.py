"""dispatch: run one registry op on its inputs' device and record it for autograd.

The common case, an elementwise op without attributes on tensors of one dtype and device, follows
a plan made once per (op, dtype, backend): its output dtypes and the backend's function that runs
it, so such a call is a dict look-up, that function and the wrapping of its result. Two-tensor ops
(the arithmetic operators) take ``apply_binary``, the same plan without apply's tuples and loops: at
a 1,000-element add every Python call and object on the path is a visible share of the cost.
"""
from __future__ import annotations

from ..autograd.graph import OpNode
from ..autograd.grad_mode import _state
from ..backends import _BACKENDS, get_backend
from ..shape import Size
from ..tensor import Tensor, _fresh
from .cpu_fallback import run_on_cpu

_PLANS: dict = {}  # (op, dtype, backend) -> (output dtypes, run(layouts, shape))
MAX_PLANS = 4096  # more than every elementwise op by every dtype on two backends: a lost GPU's reopened
# backend gets plans of its own, so past this bound the old ones go


def check_same_device(inputs):
    dev = inputs[0].device
    for t in inputs[1:]:
        if t.device != dev:
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


def _plan(op, inputs, dtype, backend):
    """The plan for an elementwise ``op`` on ``inputs`` of one ``dtype`` on ``backend``'s device:
    (output dtypes, run(layouts, shape)), made at the first such call (an elementwise rule's output
    dtypes depend on the input dtypes alone); False where the general path runs it."""
    if len(_PLANS) >= MAX_PLANS:
        _PLANS.clear()
    dtypes = tuple(d for _, d in op.infer(*inputs))
    fallback = inputs[0].device.type != "cpu" and op.extra.get("cpu_fallback")
    plan = _PLANS[(op, dtype, backend)] = False if fallback else (dtypes, backend.plan(op, dtype, dtypes))
    return plan


def apply(op, *inputs, _name=None, **attrs):
    """Run ``op`` on Tensors ``inputs``; returns one Tensor or a tuple (multi-output ops).

    ``_name`` overrides the graph node's name where PyTorch names one op several ways
    (``t()`` records TBackward0, ``transpose`` TransposeBackward0, both are permutes here).
    """
    kind = op.kind
    plan = None
    if kind == "elementwise" and not attrs:  # inline, not a helper's call: this runs for every op
        first = inputs[0]
        dtype, device, shape = first.dtype, first._storage.device, first._shape
        layouts = []
        for t in inputs:
            if t.dtype is not dtype or t._storage.device is not device:
                break
            if t._shape != shape:  # broadcasting: the rule says the shape
                shape = None
            layouts.append(t._layout)
        else:
            # the backend is a key part: a lost GPU's backend is replaced, and its plans with it
            backend = _BACKENDS.get(device.type) or get_backend(device)
            plan = _PLANS.get((op, dtype, backend))
            if plan is None:
                plan = _plan(op, inputs, dtype, backend)
    if plan:
        dtypes, run = plan
        if shape is None:
            shape = Size(op.infer(*inputs)[0][0])
        storages = run(layouts, shape)
        if len(dtypes) == 1:
            out = _fresh(storages[0], shape, dtypes[0])
            if _state.enabled and op.vjp is not None:
                for t in inputs:
                    if t._requires_grad:
                        _record(op, inputs, (out,), attrs, _name)
                        break
            return out
        outs = tuple([_fresh(s, shape, d) for s, d in zip(storages, dtypes)])
    elif kind == "view":
        src = inputs[0]
        shape, strides, offset = op.infer(src._shape, src._strides, src._offset, **attrs)
        outs = (src._view(shape, strides, offset),)
    else:
        inputs, device = _on_one_device(inputs)
        meta = op.infer(*inputs, **attrs)
        layouts = [t._layout for t in inputs]
        if device.type != "cpu" and op.extra.get("cpu_fallback"):
            storages = run_on_cpu(op, layouts, attrs, meta, device)
        else:
            storages = get_backend(device).run(op, layouts, attrs, meta)
        outs = tuple([Tensor._make(s, shape, dtype) for s, (shape, dtype) in zip(storages, meta)])
    # the graph is recorded only where a gradient can flow (a plain loop: no generator per op)
    if _state.enabled and op.vjp is not None:
        for t in inputs:
            if t._requires_grad:
                _record(op, inputs, outs, attrs, _name)
                break
    return outs[0] if len(outs) == 1 else outs


def apply_binary(op, x, y):
    """``apply(op, x, y)`` for an elementwise ``op`` without attributes (the arithmetic operators):
    its planned path with the two tensors spelled out, without apply's argument tuple, loops and
    lists (a tenth of a 1,000-element add's host time); anything unplanned takes apply."""
    dtype, device = x.dtype, x._storage.device
    if y.dtype is dtype and y._storage.device is device:
        plan = _PLANS.get((op, dtype, _BACKENDS.get(device.type)))
        if plan and len(plan[0]) == 1:
            (out_dtype,), run = plan
            shape = x._shape
            if y._shape != shape and y._shape:  # broadcasting (a 0-d y, a number, keeps x's shape)
                shape = y._shape if not shape else Size(op.infer(x, y)[0][0])
            out = _fresh(run([x._layout, y._layout], shape)[0], shape, out_dtype)
            if (x._requires_grad or y._requires_grad) and _state.enabled and op.vjp is not None:
                _record(op, (x, y), (out,), {}, None)
            return out
    return apply(op, x, y)


def _record(op, inputs, outs, attrs, name):
    name = name or (op.grad_fn(inputs, attrs) if op.grad_fn else None)  # torch's node for this overload
    node = OpNode(op, inputs, outs, attrs, tuple(t._edge() for t in inputs), name)
    for i in op.differentiable_outputs:
        o = outs[i]
        if o.dtype.is_floating_point:
            o._grad_fn, o._output_nr, o._requires_grad = node, i, True
