"""Stochastic gradient descent, with PyTorch's momentum, dampening and Nesterov conventions."""
from __future__ import annotations

from collections.abc import Callable

from ..backends import get_backend
from ..dtypes import float32, float64
from .optimizer import Optimizer, _check_tensor_lr, _closure_loss, _scalar, _use_grad_for_differentiable

__all__ = ["SGD"]


def _check_fused(fused, foreach, differentiable) -> None:
    """The flag combinations PyTorch refuses; pyfront runs every flag through the same single-tensor loop."""
    if fused:
        if differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum, as ``torch.optim.SGD``.

    Args:
        params (iterable): tensors or param-group dicts to optimize.
        lr (float): learning rate (default: 1e-3).
        momentum (float): momentum factor (default: 0).
        dampening (float): dampening for momentum (default: 0).
        weight_decay (float): L2 penalty (default: 0).
        nesterov (bool): Nesterov momentum (default: False).
        maximize (bool): maximize the objective instead of minimizing it (default: False).
    """

    def __init__(self, params, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False,
                 fused: bool | None = None) -> None:
        _check_tensor_lr(lr)
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay,
                    "nesterov": nesterov, "maximize": maximize, "foreach": foreach,
                    "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        _check_fused(fused, foreach, differentiable)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("nesterov", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("differentiable", False)
            group.setdefault("fused", False)

    @_use_grad_for_differentiable
    def step(self, closure: Callable | None = None):
        """Perform one optimization step; ``closure`` re-evaluates the model and returns the loss."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            lr, momentum, dampening = _scalar(group["lr"]), group["momentum"], group["dampening"]
            weight_decay = group["weight_decay"]
            if self._foreach_step(group, lr, momentum, dampening, weight_decay):
                continue
            for param in self._params_with_grad(group):
                grad = param.grad if not group["maximize"] else -param.grad
                if weight_decay != 0:
                    grad = grad.add(param, alpha=weight_decay)
                if momentum != 0:
                    state = self.state[param]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        # The buffer starts as the first gradient, so dampening applies from step 2 on.
                        buf = grad.detach().clone()
                        state["momentum_buffer"] = buf
                    else:
                        buf.mul_(momentum).add_(grad, alpha=1 - dampening)
                    grad = grad.add(buf, alpha=momentum) if group["nesterov"] else buf
                param.add_(grad, alpha=-lr)
        return loss

    def _foreach_step(self, group, lr, momentum, dampening, weight_decay) -> bool:
        """The whole group's update in one backend call where the backend has a multi-tensor kernel
        and every parameter qualifies (dense, one floating dtype and device, momentum buffers made
        by an earlier step); the same numbers as the loop above, without a dispatch per op."""
        params = self._params_with_grad(group)
        if group["foreach"] is False or group["differentiable"] or not params:
            return False
        first = params[0]
        if first.dtype not in (float32, float64):  # float16 rounds per op in float32: the loop does that
            return False
        bufs = [self.state[p].get("momentum_buffer") if momentum != 0 else None for p in params]
        # asked of the fields and layouts as stored (a property or method is a Python call, this runs for
        # every parameter every step): one device object per device; a layout's ``whole``: row-major over
        # its whole storage, no view (so no region to miss)
        dtype, device = first.dtype, first._storage.device
        for p, b in zip(params, bufs):
            g = p._grad  # (what .grad reads for a leaf; _params_with_grad asked .grad itself)
            if (p.dtype is not dtype or p._storage.device is not device or g.is_sparse or g.dtype is not dtype
                    or g._storage.device is not device or g._requires_grad
                    or not p._layout.whole or not g._layout.whole or p._lazy or g._lazy
                    or momentum != 0 and (b is None or not b._layout.whole or b._lazy)):
                return False
        backend = get_backend(first.device)
        if not backend.foreach_sgd([p._layout for p in params], [p._grad._layout for p in params],
                                   [b._layout if b is not None else None for b in bufs], lr, momentum,
                                   dampening, weight_decay, group["nesterov"], group["maximize"]):
            return False
        for t in (*params, *(b for b in bufs if b is not None)):
            t._vc.version += 1  # written in place, as add_ would count it
        return True

