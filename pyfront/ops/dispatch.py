"""dispatch: run one registry op on its inputs' device and record it for autograd.

The common case, an elementwise op without attributes on tensors of one dtype and device, follows
a plan made once per (op, dtype, backend): its output dtypes and the backend's function that runs
it, so such a call is a dict look-up, that function and the wrapping of its result.
"""
from __future__ import annotations

from ..autograd.graph import OpNode
from ..autograd.grad_mode import _state
from ..backends import get_backend
from ..tensor import Tensor
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


def _plan(op, inputs):
    """The plan for an elementwise ``op`` on ``inputs`` of one dtype and device: (output dtypes,
    run(layouts, shape)), made at the first such call (an elementwise rule's output dtypes depend on
    the input dtypes alone); None where the general path runs it."""
    first = inputs[0]
    dtype, device = first.dtype, first._storage.device
    for t in inputs:
        if t.dtype is not dtype or t._storage.device is not device:
            return None
    backend = get_backend(device)  # a key part: a lost GPU's backend is replaced, and its plans with it
    key = (op, dtype, backend)
    plan = _PLANS.get(key)
    if plan is None:
        if len(_PLANS) >= MAX_PLANS:
            _PLANS.clear()
        dtypes = tuple(d for _, d in op.infer(*inputs))
        fallback = device.type != "cpu" and op.extra.get("cpu_fallback")
        plan = _PLANS[key] = False if fallback else (dtypes, backend.plan(op, dtype, dtypes))
    return plan or None


def apply(op, *inputs, _name=None, **attrs):
    """Run ``op`` on Tensors ``inputs``; returns one Tensor or a tuple (multi-output ops).

    ``_name`` overrides the graph node's name where PyTorch names one op several ways
    (``t()`` records TBackward0, ``transpose`` TransposeBackward0, both are permutes here).
    """
    kind = op.kind
    if kind == "view":
        src = inputs[0]
        shape, strides, offset = op.infer(src._shape, src._strides, src._offset, **attrs)
        outs = (src._view(shape, strides, offset),)
    elif kind == "elementwise" and not attrs and (plan := _plan(op, inputs)) is not None:
        dtypes, run = plan
        shape = inputs[0]._shape
        for t in inputs:
            if t._shape != shape:  # broadcasting: the rule says the shape
                shape = op.infer(*inputs)[0][0]
                break
        storages = run([t._layout for t in inputs], shape)
        if len(dtypes) == 1:
            outs = (Tensor._make(storages[0], shape, dtypes[0]),)
        else:
            outs = tuple([Tensor._make(s, shape, d) for s, d in zip(storages, dtypes)])
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


def _record(op, inputs, outs, attrs, name):
    name = name or (op.grad_fn(inputs, attrs) if op.grad_fn else None)  # torch's node for this overload
    node = OpNode(op, inputs, outs, attrs, tuple(t._edge() for t in inputs), name)
    for i in op.differentiable_outputs:
        o = outs[i]
        if o.dtype.is_floating_point:
            o._grad_fn, o._output_nr, o._requires_grad = node, i, True
