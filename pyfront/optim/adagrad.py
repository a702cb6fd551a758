"""Adagrad, with PyTorch's lr decay and initial accumulator value."""
from __future__ import annotations

from collections.abc import Callable

from ..ops.creation import full_like, tensor
from .optimizer import (Optimizer, _as_real_pair, _check_tensor_lr, _closure_loss, _real, _scalar,
                        _scalar_dtype, _use_grad_for_differentiable)
from .sgd import _check_fused

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad, as ``torch.optim.Adagrad``.

    Args:
        params (iterable): tensors or param-group dicts to optimize.
        lr (float): learning rate (default: 1e-2).
        lr_decay (float): learning rate decay per step (default: 0).
        weight_decay (float): L2 penalty (default: 0).
        initial_accumulator_value (float): starting value of the squared-gradient sums (default: 0).
        eps (float): added to the denominator for numerical stability (default: 1e-10).
        maximize (bool): maximize the objective instead of minimizing it (default: False).
    """

    def __init__(self, params, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        _check_tensor_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        _check_fused(fused, foreach, differentiable)
        # Unlike the other optimizers, Adagrad creates its state up front, so it is in state_dict at once.
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p)

    def _init_state(self, param) -> None:
        # PyTorch fills every accumulator from the constructor's value, not the group's.
        state = self.state[param]
        state["step"] = tensor(0.0, dtype=_scalar_dtype())
        state["sum"] = full_like(param, _as_real_pair(self.defaults["initial_accumulator_value"], param))

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("fused", None)
        self._tensor_steps_from_numbers()

    @_use_grad_for_differentiable
    def step(self, closure: Callable | None = None):
        """Perform one optimization step; ``closure`` re-evaluates the model and returns the loss."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            lr, lr_decay, eps = _scalar(group["lr"]), group["lr_decay"], group["eps"]
            weight_decay = group["weight_decay"]
            for param in self._params_with_grad(group):
                if len(self.state[param]) == 0:
                    self._init_state(param)
                state = self.state[param]
                state["step"] += 1
                step = state["step"].item()
                grad = param.grad if not group["maximize"] else -param.grad
                if weight_decay != 0:
                    if grad.is_sparse:
                        raise RuntimeError("weight_decay option is not compatible with sparse gradients")
                    grad = grad.add(param, alpha=weight_decay)
                clr = lr / (1 + (step - 1) * lr_decay)
                if grad.is_sparse:
                    _sparse_step(param, grad, state["sum"], clr, eps)
                    continue
                param, grad, state_sum = map(_real, (param, grad, state["sum"]))
                state_sum.addcmul_(grad, grad, value=1)
                std = state_sum.sqrt().add_(eps)
                param.addcdiv_(grad, std, value=-clr)
        return loss


def _sparse_step(param, grad, state_sum, clr, eps) -> None:
    """torch's Adagrad step for a sparse gradient: only the rows it holds (coalesced, as the update is not
    linear) change, in the sum and in the parameter."""
    grad = grad.coalesce()
    values = grad._values()
    state_sum.add_(_like(grad, values.pow(2)))
    std_values = state_sum.sparse_mask(grad)._values().sqrt().add_(eps)
    param.add_(_like(grad, values / std_values), alpha=-clr)


def _like(grad, values):
    from ..sparse import SparseCooTensor
    return SparseCooTensor(grad._indices(), values, tuple(grad.shape), True)
