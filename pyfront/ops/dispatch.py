"""dispatch: run one registry op on its inputs' device and record it for autograd."""
from __future__ import annotations

from ..autograd.graph import OpNode
from ..autograd.grad_mode import _state
from ..backends import get_backend
from ..backends.storage import dense
from ..tensor import Tensor
from .._warnings import warn_once
from ..device import device as _Device

_CPU = _Device("cpu")


def check_same_device(inputs):
    dev = inputs[0].device
    for t in inputs[1:]:
        if t.device != dev:
            raise RuntimeError("Expected all tensors to be on the same device, but found at least "
                               f"two devices, {dev} and {t.device}!")
    return dev


def _gpu_device(inputs):
    """PyTorch lets 0-d cpu tensors (numbers) join GPU tensors: the device the op runs on."""
    return next((t.device for t in inputs if t.device.type != "cpu"), inputs[0].device)


def _on_one_device(inputs):
    dev = inputs[0]._storage.device
    for t in inputs:
        if t._storage.device is not dev:  # backends keep one device object each
            break
    else:
        return inputs, dev
    gpu = _gpu_device(inputs)
    moved = tuple(t.to(gpu) if t.device.type == "cpu" and t.dim() == 0 else t for t in inputs)
    return moved, check_same_device(moved)


def _run_on_cpu(op, inputs, attrs, meta, device):
    """An op with no kernel on ``device`` (LAPACK's decompositions): computed by the cpu backend on
    copies and moved back, with a one-time warning, as PyTorch's MPS fallback does."""
    warn_once(f"The operator '{op.name}' has no kernel on the {device.type} device and will fall back to "
              "run on the CPU (the result is moved back). This may have performance implications.")
    cpu, target = get_backend(_CPU), get_backend(device)
    host = [dense(cpu.from_bytes(target.to_bytes(x), x.dtype), x.shape, x.dtype) for x in inputs]
    return [target.from_bytes(cpu.to_bytes(dense(st, shape, dtype)), dtype)
            for st, (shape, dtype) in zip(cpu.run(op, host, attrs, meta), meta)]


def apply(op, *inputs, _name=None, **attrs):
    """Run ``op`` on Tensors ``inputs``; returns one Tensor or a tuple (multi-output ops).

    ``_name`` overrides the graph node's name where PyTorch names one op several ways
    (``t()`` records TBackward0, ``transpose`` TransposeBackward0, both are permutes here).
    """
    if op.kind == "view":
        src = inputs[0]
        shape, strides, offset = op.infer(src._shape, src._strides, src._offset, **attrs)
        outs = (src._view(shape, strides, offset),)
    else:
        inputs, device = _on_one_device(inputs)
        meta = op.infer(*inputs, **attrs)
        layouts = [t._layout for t in inputs]
        if device.type != "cpu" and op.extra.get("cpu_fallback"):
            storages = _run_on_cpu(op, layouts, attrs, meta, device)
        else:
            storages = get_backend(device).run(op, layouts, attrs, meta)
        if len(storages) == 1:  # most ops: no loop
            (shape, dtype), = meta
            outs = (Tensor._make(storages[0], shape, dtype),)
        else:
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
