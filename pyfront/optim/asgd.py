"""Averaged SGD (Polyak & Juditsky, 1992), as ``torch.optim.ASGD``."""
from __future__ import annotations

from collections.abc import Callable

from ..ops.creation import as_tensor, ones, tensor, zeros, zeros_like
from ..tensor import Tensor
from .optimizer import (Optimizer, _check_tensor_lr, _closure_loss, _real, _scalar, _scalar_dtype, _to_scalar,
                        _use_grad_for_differentiable)

__all__ = ["ASGD"]


class ASGD(Optimizer):
    """Averaged stochastic gradient descent, as ``torch.optim.ASGD``; the average is kept in ``state["ax"]``.

    Args:
        params (iterable): tensors or param-group dicts to optimize.
        lr (float): learning rate (default: 1e-2).
        lambd (float): decay term (default: 1e-4).
        alpha (float): power of the eta update (default: 0.75).
        t0 (float): the step at which averaging starts (default: 1e6).
        weight_decay (float): L2 penalty (default: 0).
        maximize (bool): maximize the objective instead of minimizing it (default: False).
    """

    _sparse_refusal = "ASGD does not support sparse gradients"

    def __init__(self, params, lr: float = 1e-2, lambd: float = 1e-4, alpha: float = 0.75, t0: float = 1e6,
                 weight_decay: float = 0, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        _check_tensor_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)
            for p in group["params"]:
                p_state = self.state.get(p, {})
                for key in ("eta", "mu"):
                    if len(p_state) != 0 and not isinstance(p_state[key], Tensor):
                        p_state[key] = tensor(p_state[key], dtype=_scalar_dtype(), device=p.device)
        self._tensor_steps_from_numbers()

    @_use_grad_for_differentiable
    def step(self, closure: Callable | None = None):
        """Perform one optimization step; ``closure`` re-evaluates the model and returns the loss."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            lr, lambd, alpha, t0 = _to_scalar(group["lr"]), group["lambd"], group["alpha"], group["t0"]
            for param in self._params_with_grad(group):
                state = self.state[param]
                if len(state) == 0:
                    # eta and mu live on the param's device in the scalar dtype, as in PyTorch
                    state["step"] = zeros((), device=param.device, dtype=_scalar_dtype())
                    state["eta"] = tensor(_scalar(lr), device=param.device, dtype=_scalar_dtype())
                    state["mu"] = ones((), device=param.device, dtype=_scalar_dtype())
                    state["ax"] = zeros_like(param)
                mu, ax, eta = state["mu"], state["ax"], state["eta"]
                state["step"] += 1
                grad = param.grad if not group["maximize"] else -param.grad
                if group["weight_decay"] != 0:
                    grad = grad.add(param, alpha=group["weight_decay"])
                param, grad, ax = map(_real, (param, grad, ax))
                eta_value = eta.item()
                param.mul_(1 - lambd * eta_value)
                param.add_(grad, alpha=-eta_value)
                if mu.item() != 1:
                    ax.add_(param.sub(ax).mul_(mu))
                else:
                    ax.copy_(param)
                step = state["step"].item()
                # as_tensor first, as PyTorch: a number passes through the default dtype even when a
                # loaded state dict made eta and mu float64
                eta.copy_(as_tensor(lr / ((1 + lambd * lr * step) ** alpha)))
                mu.copy_(as_tensor(1 / max(1, step - t0)))
        return loss
