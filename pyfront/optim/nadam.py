"""NAdam (Dozat, 2016): Adam with Nesterov momentum and momentum decay, as ``torch.optim.NAdam``."""
from __future__ import annotations

from collections.abc import Callable

from ..ops.creation import tensor, zeros_like
from ..tensor import Tensor
from .adam import _check_adam_args
from .optimizer import (Optimizer, _closure_loss, _real, _scalar, _scalar_dtype, _to_scalar,
                        _use_grad_for_differentiable)

__all__ = ["NAdam"]


class NAdam(Optimizer):
    """NAdam, as ``torch.optim.NAdam``.

    Args:
        params (iterable): tensors or param-group dicts to optimize.
        lr (float): learning rate (default: 2e-3).
        betas (tuple[float, float]): decay rates of the running averages of the gradient and its square.
        eps (float): added to the denominator for numerical stability (default: 1e-8).
        weight_decay (float): L2 penalty, or decoupled decay (default: 0).
        momentum_decay (float): the psi of the momentum schedule (default: 4e-3).
        decoupled_weight_decay (bool): decay the weights directly, as AdamW (default: False).
        maximize (bool): maximize the objective instead of minimizing it (default: False).
    """

    _sparse_refusal = "NAdam does not support sparse gradients"

    def __init__(self, params, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False) -> None:
        _check_adam_args(lr, eps, betas, weight_decay)
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
            for p in group["params"]:
                p_state = self.state.get(p, {})
                if len(p_state) != 0 and not isinstance(p_state["mu_product"], Tensor):
                    p_state["mu_product"] = tensor(p_state["mu_product"], dtype=_scalar_dtype())
        self._tensor_steps_from_numbers()

    @_use_grad_for_differentiable
    def step(self, closure: Callable | None = None):
        """Perform one optimization step; ``closure`` re-evaluates the model and returns the loss."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            lr, eps, weight_decay = _to_scalar(group["lr"]), group["eps"], group["weight_decay"]
            beta1, beta2 = group["betas"]
            momentum_decay = group["momentum_decay"]
            for param in self._params_with_grad(group):
                state = self.state[param]
                if len(state) == 0:
                    state["step"] = tensor(0.0, dtype=_scalar_dtype())
                    state["mu_product"] = tensor(1.0, dtype=_scalar_dtype())
                    state["exp_avg"] = zeros_like(param)
                    state["exp_avg_sq"] = zeros_like(param)
                exp_avg, exp_avg_sq, mu_product = state["exp_avg"], state["exp_avg_sq"], state["mu_product"]
                grad = param.grad if not group["maximize"] else -param.grad
                param, grad, exp_avg, exp_avg_sq = map(_real, (param, grad, exp_avg, exp_avg_sq))
                state["step"] += 1
                step = state["step"].item()
                bias_correction2 = 1 - beta2 ** step
                if weight_decay != 0:
                    if group["decoupled_weight_decay"]:
                        param.mul_(1 - lr * weight_decay)
                    else:
                        grad = grad.add(param, alpha=weight_decay)
                mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
                mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
                # the running product is a tensor of the scalar dtype, so it rounds as PyTorch's does
                mu_product *= mu
                mu_product_value = mu_product.item()
                exp_avg.lerp_(grad, 1 - beta1)
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                denom = exp_avg_sq.div(bias_correction2).sqrt().add(eps)
                step_grad = _scalar(-lr * (1.0 - mu) / (1.0 - mu_product_value))
                step_avg = _scalar((-lr * mu_next) / (1.0 - mu_product_value * mu_next))
                if group["differentiable"]:
                    # torch's recorded form: the scaled copies are what addcdiv_ saves for its backward,
                    # not the buffer the next step's lerp_ overwrites
                    param.addcdiv_(grad * step_grad, denom)
                    param.addcdiv_(exp_avg * step_avg, denom)
                else:
                    param.addcdiv_(grad, denom, value=step_grad)
                    param.addcdiv_(exp_avg, denom, value=step_avg)
        return loss
