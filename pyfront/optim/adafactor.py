"""Adafactor (Shazeer & Stern, 2018, "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost"), as
``torch.optim.Adafactor``: the second moment of a matrix's gradient kept as its row and column means."""
from __future__ import annotations

from collections.abc import Callable

from ..autograd.grad_mode import no_grad
from ..dtypes import finfo
from ..ops.creation import tensor, zeros_like
from ..tensor import Tensor
from .optimizer import Optimizer, _closure_loss, _scalar_dtype, _to_scalar

__all__ = ["Adafactor"]


class Adafactor(Optimizer):
    """Adafactor, as ``torch.optim.Adafactor`` (its single-tensor step; ``foreach`` is recorded).

    Per step ``t``: ``rho = min(lr, 1/sqrt(t))``, ``alpha = max(eps2, RMS(param)) * rho``; decoupled weight
    decay ``param *= 1 - lr * weight_decay``; a matrix's row and column mean squares move towards the
    gradient's by ``t ** beta2_decay`` and estimate ``V = R C / max(mean(R), eps1)`` (a vector keeps its
    own ``V``); the update ``G / max(sqrt(V), eps1)`` is scaled down to RMS ``d`` and applied times alpha.

    Args:
        params (iterable): tensors or param-group dicts to optimize.
        lr (float or Tensor): the largest relative step size and the weight decay's factor (default: 1e-2).
        beta2_decay (float): the exponent of ``1 - beta2_t = t ** beta2_decay`` (default: -0.8).
        eps (tuple[float | None, float]): eps1 (None: the dtype's machine epsilon) and eps2, the smallest
            parameter scale (default: (None, 1e-3)).
        d (float): the clipping threshold of the update's RMS (default: 1.0).
        weight_decay (float): decoupled weight decay (default: 0.0).
        maximize (bool): maximize the objective instead of minimizing it (default: False).

    Raises:
        ValueError: for an out-of-range hyperparameter, with PyTorch's message.
    """

    _sparse_refusal = "Adafactor does not support sparse gradients"

    def __init__(self, params, lr: float | Tensor = 1e-2, beta2_decay: float = -0.8,
                 eps: tuple[float | None, float] = (None, 1e-3), d: float = 1.0, weight_decay: float = 0.0, *,
                 foreach: bool | None = None, maximize: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = {"lr": lr, "beta2_decay": beta2_decay, "eps": eps, "d": d, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize}
        super().__init__(params, defaults)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
        self._tensor_steps_from_numbers()

    def step(self, closure: Callable | None = None):
        """Perform one optimization step; ``closure`` re-evaluates the model and returns the loss."""
        loss = _closure_loss(closure)
        with no_grad():
            for group in self.param_groups:
                self._step_group(group)
        return loss

    def _step_group(self, group) -> None:
        lr, d, weight_decay = _to_scalar(group["lr"]), group["d"], group["weight_decay"]
        eps1, eps2 = group["eps"]
        params = self._params_with_grad(group)
        if any(p.is_complex() for p in params):  # its factored second moment has no complex form
            raise RuntimeError("Adafactor does not support complex parameters")
        for param in params:
            grad = param.grad if not group["maximize"] else -param.grad
            state = self.state[param]
            if len(state) == 0:
                state["step"] = tensor(0.0, dtype=_scalar_dtype())
                if grad.dim() > 1:  # the factors: the last dim reduced, and the second to last
                    state["row_var"] = grad.new_zeros((*grad.shape[:-1], 1))
                    state["col_var"] = grad.new_zeros((*grad.shape[:-2], 1, grad.shape[-1]))
                else:
                    state["variance"] = zeros_like(grad)
            if eps1 is None:
                eps1 = finfo(param.dtype).eps
            state["step"] += 1
            step = state["step"].item()
            one_minus_beta2 = step ** group["beta2_decay"]
            rho = min(lr, 1 / step ** 0.5)
            alpha = max(eps2, param.norm(2).item() / param.numel() ** 0.5) * rho
            if weight_decay != 0:
                param.mul_(1 - lr * weight_decay)
            if grad.dim() > 1:
                row_var, col_var = state["row_var"], state["col_var"]
                # the mean squares along each of the last two dims, as norm(...)^2 / n
                row_var.lerp_(grad.norm(dim=-1, keepdim=True).square_().div_(grad.size(-1)), one_minus_beta2)
                col_var.lerp_(grad.norm(dim=-2, keepdim=True).square_().div_(grad.size(-2)), one_minus_beta2)
                var_estimate = row_var @ col_var
                var_estimate.div_(row_var.mean(dim=-2, keepdim=True).clamp_(min=eps1))
            else:
                state["variance"].lerp_(grad * grad, one_minus_beta2)
                var_estimate = state["variance"].clone()
            update = var_estimate.clamp_(min=eps1 * eps1).rsqrt_().mul_(grad)
            denom = max(1.0, update.norm(2).item() / (update.numel() ** 0.5 * d))
            param.add_(update, alpha=-alpha / denom)
