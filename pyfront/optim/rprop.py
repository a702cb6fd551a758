"""Rprop (Riedmiller & Braun, 1993): per-element step sizes driven by gradient signs."""
from __future__ import annotations

from collections.abc import Callable

from ..ops.creation import full_like, zeros, zeros_like
from .optimizer import (Optimizer, _as_real_pair, _check_tensor_lr, _closure_loss, _real, _scalar,
                        _scalar_dtype, _use_grad_for_differentiable)

__all__ = ["Rprop"]


class Rprop(Optimizer):
    """Resilient backpropagation, as ``torch.optim.Rprop``.

    Args:
        params (iterable): tensors or param-group dicts to optimize.
        lr (float): initial step size (default: 1e-2).
        etas (tuple[float, float]): (etaminus, etaplus), the step-size factors on a sign flip and on a
            repeated sign (default: (0.5, 1.2)).
        step_sizes (tuple[float, float]): minimal and maximal step size (default: (1e-6, 50)).
        maximize (bool): maximize the objective instead of minimizing it (default: False).
    """

    _sparse_refusal = "Rprop does not support sparse gradients"

    def __init__(self, params, lr: float = 1e-2, etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        _check_tensor_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)
        self._tensor_steps_from_numbers()

    @_use_grad_for_differentiable
    def step(self, closure: Callable | None = None):
        """Perform one optimization step; ``closure`` re-evaluates the model and returns the loss."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            etaminus, etaplus = group["etas"]
            step_size_min, step_size_max = group["step_sizes"]
            for param in self._params_with_grad(group):
                state = self.state[param]
                if len(state) == 0:
                    state["step"] = zeros((), dtype=_scalar_dtype())
                    state["prev"] = zeros_like(param)
                    state["step_size"] = full_like(param.grad, _as_real_pair(_scalar(group["lr"]), param))
                prev, step_size = _real(state["prev"]), _real(state["step_size"])
                state["step"] += 1
                grad = param.grad if not group["maximize"] else -param.grad
                param, grad = _real(param), _real(grad)
                sign = grad.mul(prev).sign()
                sign.masked_fill_(sign.gt(0), etaplus)
                sign.masked_fill_(sign.lt(0), etaminus)
                sign.masked_fill_(sign.eq(0), 1)
                step_size.mul_(sign).clamp_(step_size_min, step_size_max)
                # after a sign flip the step is skipped, and the next one counts as a fresh start
                grad = grad.clone().masked_fill_(sign.eq(etaminus), 0)
                param.addcmul_(grad.sign(), step_size, value=-1)
                prev.copy_(grad)
        return loss
