"""dispatch: run one registry op on its inputs' device and record it for autograd."""
from __future__ import annotations

from ..autograd.graph import OpNode
from ..autograd.grad_mode import _state
from ..backends import get_backend
from ..tensor import Tensor


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
    if all(t._storage.device is dev for t in inputs):  # backends keep one device object each
        return inputs, dev
    gpu = _gpu_device(inputs)
    moved = tuple(t.to(gpu) if t.device.type == "cpu" and t.dim() == 0 else t for t in inputs)
    return moved, check_same_device(moved)


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
        inputs, device = _on_one_device(inputs) if len(inputs) > 1 else (inputs, inputs[0].device)
        meta = op.infer(*inputs, **attrs)
        storages = get_backend(device).run(op, inputs, attrs, meta)
        outs = tuple(Tensor._make(s, shape, dtype) for s, (shape, dtype) in zip(storages, meta))
    if _state.enabled and op.vjp is not None and any(t._requires_grad for t in inputs):
        name = _name or (op.grad_fn(inputs, attrs) if op.grad_fn else None)
        node = OpNode(op, inputs, outs, attrs, tuple(t._edge() for t in inputs), name)
        for i in op.differentiable_outputs:
            o = outs[i]
            if o.dtype.is_floating_point:
                o._grad_fn, o._output_nr, o._requires_grad = node, i, True
    return outs[0] if len(outs) == 1 else outs
